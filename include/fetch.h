/* SPDX-License-Identifier: ISC */
/* fetch — the fetch engine: libcurl multi, single-threaded, parallel transfers with per-host
 * limits, conditional GET, size caps and timeouts, and file:// for local feeds (only when a
 * request allows it, regular files only, read on a worker thread).  The caller drives it
 * with fetch_poll(), which can also wait on extra file descriptors (the terminal) so that the UI
 * never blocks on the network. */
#ifndef WINNOW_FETCH_H
#define WINNOW_FETCH_H

#include <stddef.h>
#include <stdint.h>

/* A field left at zero takes its default, so a caller may set only what it cares about. */
struct fetch_opts {
    int max_total;            /* parallel transfers, default 16 */
    int max_per_host;         /* default 6; requests beyond it wait in the queue, not in curl */
    long connect_timeout_s;   /* default 10 */
    long timeout_s;           /* total, default 30 */
    long low_speed_bytes;     /* abort below this many bytes/s ... default 1 */
    long low_speed_time_s;    /* ... for this long, default 15 */
    size_t max_body;          /* default 16 MiB */
    int max_redirects;        /* default 5 */
    const char *user_agent;   /* default "winnow/VERSION" */
};

void fetch_opts_default(struct fetch_opts *o);

struct fetch_req {
    const char *url;
    const char *etag;           /* sent as If-None-Match when set */
    const char *last_modified;  /* sent as If-Modified-Since when set */
    int low_priority;           /* queued behind normal requests (thumbnails) */
    long range_end;             /* > 0: fetch only bytes 0..range_end (media heads) */
    int insecure_tls;           /* 1: accept any TLS certificate, for this request only (a feed
                                   the user opted in with `winnow add --insecure-tls`) */
    const void *tag;            /* the owner, for fetch_cancel (NULL: none) */
    int public_origin;          /* tests only: count the first address as public even when it is
                                   loopback, so that a redirect from it to 127.0.0.1 is refused as
                                   one from a public host would be (every test server is local) */
    int allow_file;             /* 1: a file:// URL may be read.  Set it only for a feed that is
                                   itself a local file, and for what such a feed names; a URL from
                                   a remote document never may.  Even then only regular files are
                                   read (never /dev/tty, a FIFO or a directory), without blocking,
                                   bounded by max_body, on the engine's worker thread. */
    const char *const *headers; /* extra "Name: value" lines, NULL-terminated, or NULL (an API's
                                   Accept, a login's Authorization: curl drops them on a redirect
                                   to another host) */
    const char *post_body;      /* non-NULL: POST this body (copied) instead of a GET */
    const char *post_type;      /* its Content-Type, default application/json */
};

struct fetch_result {
    const char *url;            /* the requested URL */
    const char *effective_url;  /* after redirects */
    int ok;                     /* 1: status 2xx (or file://) with a body, or 304 */
    int not_modified;           /* 1: 304 */
    long status;                /* HTTP status, 0 for file:// or transport errors */
    const char *body;           /* NUL-terminated for convenience; len excludes the NUL; never
                                   NULL ("" when empty); kept on HTTP errors (the error page) */
    size_t len;
    const char *content_type;   /* lower-cased, may be NULL */
    const char *content_location; /* the Content-Location header as sent (a feed's base), or NULL */
    const char *etag;           /* of the final response; on a 304 without them, the ones sent */
    const char *last_modified;
    const char *link;           /* the Link header (API paging: rel="next"/"prev"), or NULL */
    long retry_after_s;         /* from Retry-After on 429/503, else -1 */
    double elapsed_ms;
    int from_public;            /* 1: over http(s) from a public address (the first hop was not
                                   loopback or private, or public_origin): what the document names
                                   must not point at the user's own machine (item_confine_urls) */
    char error[256];            /* one line when !ok: "HTTP 404 Not Found", "timed out after 30 s" */
};

/* Called once per request, from inside fetch_poll.  The result is valid only during the call.
 * A callback may call fetch_add (the request is queued as usual), but not fetch_poll, fetch_run
 * or fetch_free. */
typedef void (*fetch_done_fn)(const struct fetch_result *res, void *user);

struct fetcher;

struct fetcher *fetch_new(const struct fetch_opts *opts);
void fetch_free(struct fetcher *f);   /* aborts transfers still running, without callbacks */

/* Queues a request; copies everything it needs from req.  Returns 0, or -1 for an unsupported
 * URL scheme (the callback is then called with an error at the next poll, never re-entrantly). */
int fetch_add(struct fetcher *f, const struct fetch_req *req, fetch_done_fn done, void *user);

struct fetch_waitfd {
    int fd;
    short events;     /* POLLIN etc. */
    short revents;    /* filled by fetch_poll */
};

/* Runs transfers, waiting at most timeout_ms for network activity or for one of the extra fds to
 * become ready; calls the callbacks of finished requests.  Returns the number of requests still
 * queued or running.  A negative timeout_ms waits without limit, as poll() does.  It does not wait
 * when a callback was called (so the caller can show the result) or when there is nothing to wait
 * for (no requests and no extra fds). */
int fetch_poll(struct fetcher *f, int timeout_ms, struct fetch_waitfd *extra, unsigned n_extra);

/* Drops every request queued or running with this tag, without calling its callback: a refresh
 * that ends early, a thumbnail queue that is freed.  The session's other requests go on. */
void fetch_cancel(struct fetcher *f, const void *tag);

/* Requests queued or running. */
int fetch_pending(const struct fetcher *f);

/* Runs until every request has finished. */
void fetch_run(struct fetcher *f);

/* "winnow/0.1 libcurl/7.88.1 ..." for --version. */
const char *fetch_version(void);

#endif
