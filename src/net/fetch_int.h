/* SPDX-License-Identifier: ISC */
/* fetch_int — what the fetch engine's files share (fetch.c drives the transfers, fetch_response.c
 * reads what arrives, fetch_errors.c words failures, fetch_guard.c refuses redirects to local
 * addresses): the transfer and fetcher records and the few functions that cross between them.
 * Not part of the net room's public face (include/fetch.h). */
#ifndef WINNOW_FETCH_INT_H
#define WINNOW_FETCH_INT_H

#include <curl/curl.h>
#include <stddef.h>

#include "fetch.h"

#define MIB (1024u * 1024u)
#define BODY_FIRST_CAP (16u * 1024u)

struct xfer {
    struct xfer *next;
    struct fetcher *f;
    CURL *easy;                  /* NULL while queued */
    struct curl_slist *hdrs;
    fetch_done_fn done;
    void *user;

    char *url;
    int host;                    /* fetch_hosts.c's index of scheme://host:port (the per-host limit);
                                  * -1 for file:// */
    char *req_etag, *req_lm;
    int low_priority;
    long range_end;
    int insecure_tls;
    const void *tag;
    char *file_path;             /* file:// requests: the decoded path, read on the file worker */
    char *post_body;             /* POST instead of GET when set */
    char *early_error;           /* set when the request fails before reaching curl */

    char *body;
    size_t len, cap;
    int too_big;
    int status_seen;             /* a status line arrived, so the body is the final response's */
    long line_status;            /* code and reason of the latest status line */
    char reason[96];
    char *etag, *last_modified, *content_type, *content_location;
    char *link;                  /* the Link header (API paging), sanitised, or NULL */
    long retry_after_s;
    double t_start;
    char errbuf[CURL_ERROR_SIZE];
    /* the redirect guard (on_prereq): the first request's address decides whether later hops may
     * be local; public_origin (tests) makes a loopback origin count as public */
    int public_origin;
    int hops;
    int origin_local;
    char refused[160];
};

struct queue {
    struct xfer *head, *tail;
    int n;
    int kind;                    /* 0 normal, 1 low (counted per host), 2 not counted */
};

/* A host of the fetcher's requests (fetch_hosts.c). */
struct fetch_host {
    char *key;                   /* scheme://host:port, lower case */
    int active;                  /* its transfers running */
    int queued[2];               /* ... waiting in the normal and the low queue */
    unsigned walk;               /* the last walk of a queue that found it full */
};

struct fetcher {
    CURLM *multi;
    struct fetch_opts o;
    char *user_agent;
    struct queue normal, low, failed;
    struct xfer **active;        /* max_total slots, so fetch_free can find running transfers */
    int n_active;
    CURL **pool;                 /* finished easy handles kept for reuse */
    int n_pool;
    struct workq *files;         /* reads file:// URLs off the caller's thread; made on first use */
    int n_files;                 /* file reads submitted and not yet delivered */
    struct file_task *file_tasks;/* those reads, for fetch_cancel */
    struct fetch_host *hosts;    /* every host seen, by index (fetch_hosts.c) */
    int n_hosts, cap_hosts;
    int *slots;                  /* ... and a hash table of those indexes, by key */
    size_t n_slots;
    unsigned walk;               /* counts the walks of q_take_startable */
};

/* The index of the host with this key, added if new. */
int fetch_host_intern(struct fetcher *f, const char *key);
void fetch_hosts_free(struct fetcher *f);

/* A copy of s[0..n) with control bytes as '?': for anything shown to a person or put in a header. */
char *fetch_dup_clean(const char *s, size_t n);
/* One part of a URL (curl's parser), malloc'd, or NULL. */
char *fetch_url_part(const char *url, CURLUPart part, unsigned flags);
/* The reason phrase for an HTTP status ("Not Found"), or "". */
const char *fetch_reason_for(long code);
/* The sentence for a failed transfer (curl's rc, the final HTTP status) into out. */
void fetch_describe_error(struct xfer *x, CURLcode rc, long status, char *out, size_t cap);
/* Forgets what the last response said (a new status line starts another). */
void fetch_reset_response(struct xfer *x);
/* CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION (userp is the struct xfer). */
size_t fetch_on_body(char *data, size_t size, size_t nmemb, void *userp);
size_t fetch_on_header(char *line, size_t size, size_t nmemb, void *userp);
/* CURLOPT_PREREQFUNCTION: the redirect guard (user is the struct xfer). */
int fetch_on_prereq(void *user, char *conn_primary_ip, char *conn_local_ip, int conn_primary_port,
                    int conn_local_port);

#endif
