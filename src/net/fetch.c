/* SPDX-License-Identifier: ISC */
/* The fetch engine: one libcurl multi handle driven from the caller's loop.  Requests wait in our
 * own two queues (normal, then low priority) so that no more than max_total easy handles are ever
 * inside the multi handle, and no more than max_per_host of them for one host: a handle that curl
 * parks waiting for a free connection to a busy host would hold a slot other hosts could use, and
 * its total timeout runs while it waits.  curl spreads the admitted transfers over connections
 * within the same limits and multiplexes them on HTTP/2. */
#include "fetch.h"
#include "fetch_file.h"
#include "text.h"
#include "util.h"
#include "workq.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* configure passes the version in DEFS (there is no generated config.h: include/config.h is the
 * user's settings module). */
#ifndef PACKAGE_VERSION
#error "PACKAGE_VERSION is not defined: build through configure"
#endif

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
    char *host_key;              /* scheme://host:port, for the per-host limit; NULL for file:// */
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
};

/* One file:// read on the worker. */
struct file_task {
    struct wtask t;
    struct file_task *live_next;   /* the fetcher's list of reads not yet delivered */
    struct xfer *x;
    size_t max;
    char *body;
    size_t len;
    int ok;
    char error[256];
};

/* ---------------------------------------------------------------------------------------------- */

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc;
static char version_line[512];

static void global_init(void)
{
    global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
    snprintf(version_line, sizeof version_line, "winnow/%s %s", PACKAGE_VERSION, curl_version());
}

void fetch_opts_default(struct fetch_opts *o)
{
    memset(o, 0, sizeof *o);
    o->max_total = 16;
    o->max_per_host = 6;
    o->connect_timeout_s = 10;
    o->timeout_s = 30;
    o->low_speed_bytes = 1;
    o->low_speed_time_s = 15;
    o->max_body = 16 * MIB;
    o->max_redirects = 5;
    o->user_agent = NULL;
}

const char *fetch_version(void)
{
    pthread_once(&global_once, global_init);
    return version_line;
}

static void q_push(struct queue *q, struct xfer *x)
{
    x->next = NULL;
    if (q->tail) q->tail->next = x;
    else q->head = x;
    q->tail = x;
    q->n++;
}

static struct xfer *q_pop(struct queue *q)
{
    struct xfer *x = q->head;
    if (!x) return NULL;
    q->head = x->next;
    if (!q->head) q->tail = NULL;
    q->n--;
    x->next = NULL;
    return x;
}

static void q_unlink(struct queue *q, struct xfer *prev, struct xfer *x)
{
    if (prev) prev->next = x->next;
    else q->head = x->next;
    if (q->tail == x) q->tail = prev;
    q->n--;
    x->next = NULL;
}

static void reset_response(struct xfer *x)
{
    free(x->etag);
    free(x->last_modified);
    free(x->content_type);
    free(x->link);
    free(x->content_location);
    x->etag = x->last_modified = x->content_type = x->link = x->content_location = NULL;
    x->retry_after_s = -1;
    x->len = 0;
    x->too_big = 0;
    x->line_status = 0;
    x->reason[0] = 0;
}

static void xfer_free(struct xfer *x)
{
    reset_response(x);
    free(x->body);
    free(x->url);
    free(x->host_key);
    free(x->req_etag);
    free(x->req_lm);
    free(x->file_path);
    free(x->early_error);
    free(x->post_body);
    curl_slist_free_all(x->hdrs);
    free(x);
}

/* Anything shown to a person or put in a header must not carry control bytes from outside. */
static char *dup_clean(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        d[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    d[n] = 0;
    return d;
}

static void human_size(size_t n, char *out, size_t cap)
{
    if (n >= MIB && n % MIB == 0) snprintf(out, cap, "%zu MiB", n / MIB);
    else if (n >= 1024 && n % 1024 == 0) snprintf(out, cap, "%zu KiB", n / 1024);
    else snprintf(out, cap, "%zu bytes", n);
}

/* ---------------------------------------------------------------------------------------------- */
/* curl callbacks */

static size_t on_body(char *data, size_t size, size_t nmemb, void *userp)
{
    struct xfer *x = userp;
    size_t n = size * nmemb;
    size_t max = x->f->o.max_body;
    if (x->len > max || n > max - x->len) {
        /* Chunked or compressed bodies announce no usable size, so the cap is enforced here. */
        x->too_big = 1;
        return 0;
    }
    size_t need = x->len + n + 1;
    if (need > x->cap) {
        size_t cap = x->cap;
        if (cap == 0) {
            curl_off_t cl = -1;
            curl_easy_getinfo(x->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
            cap = (cl > 0 && (uint64_t)cl < max) ? (size_t)cl + 1 : BODY_FIRST_CAP;
        }
        while (cap < need) cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
        if (cap > max + 1) cap = max + 1;
        x->body = xrealloc(x->body, cap);
        x->cap = cap;
    }
    memcpy(x->body + x->len, data, n);
    x->len += n;
    x->body[x->len] = 0;
    return n;
}

static char *header_value(const char *line, size_t n, const char *name)
{
    size_t nl = strlen(name);
    if (n <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':') return NULL;
    const char *v = line + nl + 1, *e = line + n;
    while (v < e && (*v == ' ' || *v == '\t')) v++;
    while (e > v && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' ' || e[-1] == '\t')) e--;
    return dup_clean(v, (size_t)(e - v));
}

static void parse_status_line(struct xfer *x, const char *line, size_t n)
{
    /* "HTTP/1.1 404 Not Found" — HTTP/2 and later carry no reason phrase. */
    const char *p = memchr(line, ' ', n), *e = line + n;
    x->line_status = 0;
    x->reason[0] = 0;
    if (!p) return;
    while (p < e && *p == ' ') p++;
    long code = 0;
    int digits = 0;
    while (p < e && *p >= '0' && *p <= '9' && digits < 3) code = code * 10 + (*p++ - '0'), digits++;
    x->line_status = code;
    while (p < e && *p == ' ') p++;
    while (e > p && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' ')) e--;
    size_t rl = (size_t)(e - p);
    if (rl >= sizeof x->reason) rl = sizeof x->reason - 1;
    char *r = dup_clean(p, rl);
    memcpy(x->reason, r, rl + 1);
    free(r);
}

static long parse_retry_after(const char *v)
{
    char *end;
    errno = 0;
    long s = strtol(v, &end, 10);
    if (end != v && *end == 0 && errno == 0) return s < 0 ? 0 : s;
    time_t t = curl_getdate(v, NULL);
    if (t == (time_t)-1) return -1;
    time_t now = time(NULL);
    return t > now ? (long)(t - now) : 0;
}

static size_t on_header(char *line, size_t size, size_t nmemb, void *userp)
{
    struct xfer *x = userp;
    size_t n = size * nmemb;
    char *v;
    if (n >= 5 && strncmp(line, "HTTP/", 5) == 0) {
        /* A new response after a redirect or a 1xx: only the final one's headers count. */
        reset_response(x);
        x->status_seen = 1;
        parse_status_line(x, line, n);
    } else if ((v = header_value(line, n, "etag"))) {
        free(x->etag);
        x->etag = v;
    } else if ((v = header_value(line, n, "last-modified"))) {
        free(x->last_modified);
        x->last_modified = v;
    } else if ((v = header_value(line, n, "content-type"))) {
        for (char *c = v; *c; c++)
            if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
        free(x->content_type);
        x->content_type = v;
    } else if ((v = header_value(line, n, "content-location"))) {
        free(x->content_location);
        x->content_location = v;
    } else if ((v = header_value(line, n, "retry-after"))) {
        x->retry_after_s = parse_retry_after(v);
        free(v);
    } else if ((v = header_value(line, n, "link"))) {
        free(x->link);
        x->link = v;
    }
    return n;
}

/* ---------------------------------------------------------------------------------------------- */

/* HTTP/2 and later send no reason phrase; people still want "Not Found" after the number. */
static const struct { short code; const char *text; } reasons[] = {
    {300, "Multiple Choices"}, {301, "Moved Permanently"}, {302, "Found"}, {303, "See Other"},
    {305, "Use Proxy"}, {307, "Temporary Redirect"}, {308, "Permanent Redirect"},
    {400, "Bad Request"}, {401, "Unauthorized"}, {402, "Payment Required"}, {403, "Forbidden"},
    {404, "Not Found"}, {405, "Method Not Allowed"}, {406, "Not Acceptable"},
    {407, "Proxy Authentication Required"}, {408, "Request Timeout"}, {409, "Conflict"},
    {410, "Gone"}, {411, "Length Required"}, {412, "Precondition Failed"},
    {413, "Content Too Large"}, {414, "URI Too Long"}, {415, "Unsupported Media Type"},
    {416, "Range Not Satisfiable"}, {418, "I'm a teapot"}, {421, "Misdirected Request"},
    {422, "Unprocessable Content"}, {425, "Too Early"}, {426, "Upgrade Required"},
    {428, "Precondition Required"}, {429, "Too Many Requests"},
    {431, "Request Header Fields Too Large"}, {451, "Unavailable For Legal Reasons"},
    {500, "Internal Server Error"}, {501, "Not Implemented"}, {502, "Bad Gateway"},
    {503, "Service Unavailable"}, {504, "Gateway Timeout"}, {505, "HTTP Version Not Supported"},
    {508, "Loop Detected"}, {511, "Network Authentication Required"},
};

static const char *reason_for(long code)
{
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        if (reasons[i].code == code) return reasons[i].text;
    return "";
}

static char *url_part(const char *url, CURLUPart part, unsigned flags)
{
    char *out = NULL, *ret = NULL;
    CURLU *u = curl_url();
    if (!u) return NULL;
    if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
        curl_url_get(u, part, &out, flags) == CURLUE_OK && out) {
        ret = xstrdup(out);
        curl_free(out);
    }
    curl_url_cleanup(u);
    return ret;
}

/* 1 when ip (text, as curl gives it) is loopback, private, link-local, CGNAT or unspecified:
 * addresses of the user's own machine and network. */
static int addr_local(const char *ip)
{
    unsigned char a[16];
    if (inet_pton(AF_INET, ip, a) == 1) {
    v4:
        return a[0] == 127 || a[0] == 10 || a[0] == 0 || (a[0] == 172 && (a[1] & 0xF0) == 16) ||
               (a[0] == 192 && a[1] == 168) || (a[0] == 169 && a[1] == 254) ||
               (a[0] == 100 && (a[1] & 0xC0) == 64);
    }
    if (inet_pton(AF_INET6, ip, a) != 1) return 1;   /* unknown: treat as local, refuse */
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (!memcmp(a, mapped, 12)) {
        memmove(a, a + 12, 4);
        goto v4;
    }
    static const unsigned char zero[15] = {0};
    if (!memcmp(a, zero, 15) && (a[15] == 0 || a[15] == 1)) return 1;   /* :: and ::1 */
    return (a[0] & 0xFE) == 0xFC || (a[0] == 0xFE && (a[1] & 0xC0) == 0x80);   /* fc00::/7, fe80::/10 */
}

/* Before every request, redirects included, with the address it is about to talk to.  A feed on
 * the network must not make winnow probe the user's own services by redirecting to them
 * (127.0.0.1:631, a router's page); a feed whose own URL is local (a home server) may. */
static int on_prereq(void *user, char *conn_primary_ip, char *conn_local_ip, int conn_primary_port,
                     int conn_local_port)
{
    (void)conn_local_ip;
    (void)conn_local_port;
    struct xfer *x = user;
    int local = addr_local(conn_primary_ip ? conn_primary_ip : "");
    if (x->hops++ == 0) {
        x->origin_local = local && !x->public_origin;
        return CURL_PREREQFUNC_OK;
    }
    if (local && !x->origin_local) {
        char *eff = NULL;
        curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &eff);
        char *u = dup_clean(eff ? eff : "", strlen(eff ? eff : ""));
        snprintf(x->refused, sizeof x->refused, "redirect to a local address refused (%s, %s port %d)", u,
                 conn_primary_ip ? conn_primary_ip : "?", conn_primary_port);
        free(u);
        return CURL_PREREQFUNC_ABORT;
    }
    return CURL_PREREQFUNC_OK;
}

static void describe_error(struct xfer *x, CURLcode rc, long status, char *out, size_t cap)
{
    if (x->refused[0]) {
        snprintf(out, cap, "%s", x->refused);
        return;
    }
    struct fetch_opts *o = &x->f->o;
    char *eff = NULL, *host = NULL;
    curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &eff);
    const char *url = eff ? eff : x->url;
    const char *detail = x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc);
    char *det = dup_clean(detail, strlen(detail));
    size_t dl = strlen(det);
    while (dl && (det[dl - 1] == ' ' || det[dl - 1] == '?')) det[--dl] = 0;

    switch (rc) {
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
        if (x->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
            char sz[32];
            human_size(o->max_body, sz, sizeof sz);
            snprintf(out, cap, "larger than %s", sz);
        } else {
            snprintf(out, cap, "could not store the response (%s)", det);
        }
        break;
    case CURLE_OPERATION_TIMEDOUT: {
        double elapsed = now_ms() - x->t_start;
        curl_off_t connect_us = 0;
        curl_easy_getinfo(x->easy, CURLINFO_CONNECT_TIME_T, &connect_us);
        host = url_part(url, CURLUPART_HOST, 0);
        if (o->timeout_s > 0 && elapsed >= (double)o->timeout_s * 1000.0 - 50.0)
            snprintf(out, cap, "timed out after %ld s", o->timeout_s);
        else if (connect_us == 0)
            snprintf(out, cap, "could not connect to %s: timed out after %ld s", host ? host : url,
                     o->connect_timeout_s);
        else
            snprintf(out, cap, "stalled: less than %ld byte%s/s for %ld s", o->low_speed_bytes,
                     o->low_speed_bytes == 1 ? "" : "s", o->low_speed_time_s);
        break;
    }
    case CURLE_COULDNT_RESOLVE_HOST:
        host = url_part(url, CURLUPART_HOST, 0);
        snprintf(out, cap, "could not resolve host %s", host ? host : url);
        break;
    case CURLE_COULDNT_RESOLVE_PROXY:
        snprintf(out, cap, "could not resolve the proxy (%s)", det);
        break;
    case CURLE_COULDNT_CONNECT: {
        long os_err = 0;
        curl_easy_getinfo(x->easy, CURLINFO_OS_ERRNO, &os_err);
        host = url_part(url, CURLUPART_HOST, 0);
        if (os_err > 0)
            snprintf(out, cap, "could not connect to %s: %s", host ? host : url,
                     strerror((int)os_err));
        else
            snprintf(out, cap, "could not connect to %s", host ? host : url);
        break;
    }
    case CURLE_TOO_MANY_REDIRECTS:
        snprintf(out, cap, "too many redirects (more than %d)", o->max_redirects);
        break;
    case CURLE_UNSUPPORTED_PROTOCOL: {
        long redirects = 0;
        curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_COUNT, &redirects);
        if (redirects > 0 || strcmp(url, x->url) != 0) {
            char *u = dup_clean(url, strlen(url));
            snprintf(out, cap, "redirect to a non-HTTP URL refused (%s)", u);
            free(u);
        } else {
            snprintf(out, cap, "unsupported URL (%s)", det);
        }
        break;
    }
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
        if (x->status_seen) snprintf(out, cap, "connection reset while receiving the body");
        else snprintf(out, cap, "connection reset before the server answered");
        break;
    case CURLE_GOT_NOTHING:
        snprintf(out, cap, "the server closed the connection without answering");
        break;
    case CURLE_SEND_ERROR:
        snprintf(out, cap, "connection lost while sending the request (%s)", det);
        break;
    case CURLE_PEER_FAILED_VERIFICATION:
        snprintf(out, cap, "TLS certificate not trusted (%s); for a server you trust, add the feed "
                 "with --insecure-tls", det);
        break;
    case CURLE_SSL_CONNECT_ERROR:
        snprintf(out, cap, "TLS handshake failed (%s)", det);
        break;
    case CURLE_BAD_CONTENT_ENCODING:
        snprintf(out, cap, "could not decode the compressed body (%s)", det);
        break;
    case CURLE_WEIRD_SERVER_REPLY:
        snprintf(out, cap, "the server sent an invalid HTTP response (%s)", det);
        break;
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        snprintf(out, cap, "HTTP/2 error (%s)", det);
        break;
    case CURLE_URL_MALFORMAT:
        snprintf(out, cap, "invalid URL (%s)", det);
        break;
    default:
        if (status > 0) snprintf(out, cap, "HTTP %ld: %s", status, det);
        else snprintf(out, cap, "%s", det);
        break;
    }
    free(host);
    free(det);
}

/* ---------------------------------------------------------------------------------------------- */

static void deliver(struct xfer *x, struct fetch_result *r)
{
    if (!r->body) r->body = "";
    if (r->error[0]) {
        /* Messages quote servers (reason phrases, redirect targets) and paths: make them safe to
         * show, and repair a UTF-8 sequence that snprintf may have cut. */
        char *clean = text_sanitize_dup(r->error, strlen(r->error), sizeof r->error - 1, 0);
        snprintf(r->error, sizeof r->error, "%s", clean);
        free(clean);
    }
    if (x->done) x->done(r, x->user);
}

static void finish(struct fetcher *f, struct xfer *x, CURLcode rc)
{
    struct fetch_result r;
    memset(&r, 0, sizeof r);
    long status = 0;
    char *eff = NULL;
    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &eff);

    r.url = x->url;
    r.effective_url = eff ? eff : x->url;
    r.status = status;
    r.from_public = x->hops > 0 && !x->origin_local;
    r.elapsed_ms = now_ms() - x->t_start;
    r.content_type = x->content_type;
    r.content_location = x->content_location;
    r.etag = x->etag;
    r.last_modified = x->last_modified;
    r.link = x->link;
    r.retry_after_s = (status == 429 || status == 503) ? x->retry_after_s : -1;

    if (rc != CURLE_OK) {
        describe_error(x, rc, status, r.error, sizeof r.error);
    } else if (status == 304) {
        r.ok = 1;
        r.not_modified = 1;
        /* A 304 may omit the validators; the ones we sent are still the current ones. */
        if (!r.etag) r.etag = x->req_etag;
        if (!r.last_modified) r.last_modified = x->req_lm;
        x->len = 0;
    } else if (status >= 200 && status < 300) {
        r.ok = 1;
        r.body = x->body;
        r.len = x->len;
    } else {
        const char *reason = (x->line_status == status && x->reason[0]) ? x->reason
                                                                       : reason_for(status);
        snprintf(r.error, sizeof r.error, "HTTP %ld%s%s", status, reason[0] ? " " : "", reason);
        r.body = x->body;
        r.len = x->len;
    }

    curl_multi_remove_handle(f->multi, x->easy);
    for (int i = 0; i < f->n_active; i++) {
        if (f->active[i] == x) {
            f->active[i] = f->active[--f->n_active];
            break;
        }
    }
    deliver(x, &r);

    if (f->n_pool < f->o.max_total) {
        curl_easy_reset(x->easy);
        f->pool[f->n_pool++] = x->easy;
    } else {
        curl_easy_cleanup(x->easy);
    }
    x->easy = NULL;
    xfer_free(x);
}

static void fail_early(struct fetcher *f, struct xfer *x, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail_early(struct fetcher *f, struct xfer *x, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    x->early_error = dup_clean(msg, strlen(msg));
    q_push(&f->failed, x);
}

static int deliver_failed(struct fetcher *f)
{
    int n = 0;
    /* Take the list first: a callback may queue another bad URL, which waits for the next poll. */
    struct queue q = f->failed;
    memset(&f->failed, 0, sizeof f->failed);
    struct xfer *x;
    while ((x = q_pop(&q))) {
        struct fetch_result r;
        memset(&r, 0, sizeof r);
        r.url = r.effective_url = x->url;
        r.retry_after_s = -1;
        snprintf(r.error, sizeof r.error, "%s", x->early_error);
        deliver(x, &r);
        xfer_free(x);
        n++;
    }
    return n;
}

/* ---------------------------------------------------------------------------------------------- */
/* file:// on the worker: the caller's thread (the reader's UI) never opens a local file itself */

static void file_run(struct wtask *t)
{
    struct file_task *ft = (struct file_task *)t;
    ft->ok = fetch_file_read(ft->x->file_path, ft->max, ft->x->range_end, &ft->body, &ft->len,
                             ft->error, sizeof ft->error) == 0;
}

static void file_drop(struct wtask *t)
{
    struct file_task *ft = (struct file_task *)t;
    xfer_free(ft->x);
    free(ft->body);
    free(ft);
}

static void file_submit(struct fetcher *f, struct xfer *x)
{
    if (!f->files) f->files = workq_new(1);
    if (!f->files) {
        fail_early(f, x, "%s", "could not start the file reader");
        return;
    }
    struct file_task *ft = xcalloc(1, sizeof *ft);
    ft->t.run = file_run;
    ft->x = x;
    ft->max = f->o.max_body;
    x->t_start = now_ms();
    ft->live_next = f->file_tasks;
    f->file_tasks = ft;
    workq_submit(f->files, &ft->t);
    f->n_files++;
}

static int deliver_files(struct fetcher *f)
{
    int n = 0;
    struct wtask *t;
    while (f->files && (t = workq_take(f->files))) {
        struct file_task *ft = (struct file_task *)t;
        struct xfer *x = ft->x;
        struct fetch_result r;
        memset(&r, 0, sizeof r);
        r.url = r.effective_url = x->url;
        r.retry_after_s = -1;
        r.elapsed_ms = now_ms() - x->t_start;
        r.ok = ft->ok;
        r.body = ft->ok ? ft->body : "";
        r.len = ft->ok ? ft->len : 0;
        if (!ft->ok) snprintf(r.error, sizeof r.error, "%s", ft->error);
        f->n_files--;
        for (struct file_task **pp = &f->file_tasks; *pp; pp = &(*pp)->live_next)
            if (*pp == ft) {
                *pp = ft->live_next;
                break;
            }
        deliver(x, &r);
        file_drop(t);
        n++;
    }
    return n;
}

static int setup_easy(struct fetcher *f, struct xfer *x, CURL *e)
{
    struct fetch_opts *o = &f->o;
    CURLcode rc = CURLE_OK;
#define SET(opt, val) do { if (rc == CURLE_OK) rc = curl_easy_setopt(e, opt, val); } while (0)
    SET(CURLOPT_URL, x->url);
    SET(CURLOPT_PRIVATE, x);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_ERRORBUFFER, x->errbuf);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, x);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, x);
    SET(CURLOPT_FOLLOWLOCATION, 1L);
    SET(CURLOPT_PREREQFUNCTION, on_prereq);
    SET(CURLOPT_PREREQDATA, x);
    SET(CURLOPT_MAXREDIRS, (long)o->max_redirects);
#if LIBCURL_VERSION_NUM >= 0x075500
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    SET(CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    SET(CURLOPT_ACCEPT_ENCODING, "");
    SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    SET(CURLOPT_PIPEWAIT, 1L);
    SET(CURLOPT_CONNECTTIMEOUT, o->connect_timeout_s);
    SET(CURLOPT_TIMEOUT, o->timeout_s);
    SET(CURLOPT_LOW_SPEED_LIMIT, o->low_speed_bytes);
    SET(CURLOPT_LOW_SPEED_TIME, o->low_speed_time_s);
    SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_body);
    SET(CURLOPT_USERAGENT, f->user_agent);
    SET(CURLOPT_SSL_VERIFYPEER, x->insecure_tls ? 0L : 1L);
    SET(CURLOPT_SSL_VERIFYHOST, x->insecure_tls ? 0L : 2L);
    SET(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
    if (x->hdrs) SET(CURLOPT_HTTPHEADER, x->hdrs);
    if (x->post_body) {
        SET(CURLOPT_POSTFIELDSIZE, (long)strlen(x->post_body));
        SET(CURLOPT_POSTFIELDS, x->post_body);
    } else {
        SET(CURLOPT_HTTPGET, 1L);   /* a pooled handle may have posted before */
    }
    if (x->range_end > 0) {
        char range[48];
        snprintf(range, sizeof range, "0-%ld", x->range_end);
        SET(CURLOPT_RANGE, range);
    }
#undef SET
    return rc == CURLE_OK ? 0 : -1;
}

static int host_busy(const struct fetcher *f, const struct xfer *x)
{
    if (!x->host_key) return 0;
    int n = 0;
    for (int i = 0; i < f->n_active; i++)
        if (f->active[i]->host_key && strcmp(f->active[i]->host_key, x->host_key) == 0) n++;
    return n >= f->o.max_per_host;
}

/* The oldest request in q whose host has room, taken out of q. */
static struct xfer *q_take_startable(struct fetcher *f, struct queue *q)
{
    struct xfer *prev = NULL;
    for (struct xfer *x = q->head; x; prev = x, x = x->next) {
        if (!host_busy(f, x)) {
            q_unlink(q, prev, x);
            return x;
        }
    }
    return NULL;
}

/* Moves queued requests into the multi handle while there is room, normal ones first. */
static void start_queued(struct fetcher *f)
{
    while (f->n_active < f->o.max_total) {
        struct xfer *x = q_take_startable(f, &f->normal);
        if (!x) x = q_take_startable(f, &f->low);
        if (!x) break;
        CURL *e = f->n_pool ? f->pool[--f->n_pool] : curl_easy_init();
        if (!e) {
            fail_early(f, x, "%s", "out of memory starting the transfer");
            continue;
        }
        if (setup_easy(f, x, e) != 0) {
            curl_easy_cleanup(e);
            fail_early(f, x, "could not set up the transfer (%s)", x->errbuf);
            continue;
        }
        x->easy = e;
        x->t_start = now_ms();
        CURLMcode mc = curl_multi_add_handle(f->multi, e);
        if (mc != CURLM_OK) {
            curl_easy_cleanup(e);
            x->easy = NULL;
            fail_early(f, x, "could not start the transfer (%s)", curl_multi_strerror(mc));
            continue;
        }
        f->active[f->n_active++] = x;
    }
}

static int drain(struct fetcher *f)
{
    int n = 0, left;
    CURLMsg *m;
    while ((m = curl_multi_info_read(f->multi, &left))) {
        if (m->msg != CURLMSG_DONE) continue;
        char *priv = NULL;
        CURLcode rc = m->data.result;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
        struct xfer *x = (struct xfer *)priv;
        if (!x) continue;
        finish(f, x, rc);
        n++;
    }
    start_queued(f);
    return n;
}

/* ---------------------------------------------------------------------------------------------- */

struct fetcher *fetch_new(const struct fetch_opts *opts)
{
    pthread_once(&global_once, global_init);
    if (global_rc != CURLE_OK) return NULL;

    struct fetcher *f = xcalloc(1, sizeof *f);
    struct fetch_opts d;
    fetch_opts_default(&d);
    f->o = opts ? *opts : d;
    /* Zero means "not set" for every field: a caller may fill only what it cares about. */
    if (f->o.max_total <= 0) f->o.max_total = d.max_total;
    if (f->o.max_per_host <= 0) f->o.max_per_host = d.max_per_host;
    if (f->o.connect_timeout_s <= 0) f->o.connect_timeout_s = d.connect_timeout_s;
    if (f->o.timeout_s <= 0) f->o.timeout_s = d.timeout_s;
    if (f->o.low_speed_bytes <= 0) f->o.low_speed_bytes = d.low_speed_bytes;
    if (f->o.low_speed_time_s <= 0) f->o.low_speed_time_s = d.low_speed_time_s;
    if (f->o.max_body == 0) f->o.max_body = d.max_body;
    if (f->o.max_redirects <= 0) f->o.max_redirects = d.max_redirects;
    if (f->o.user_agent && *f->o.user_agent) {
        f->user_agent = xstrdup(f->o.user_agent);
    } else {
        size_t n = strlen("winnow/") + strlen(PACKAGE_VERSION) + 1;
        f->user_agent = xmalloc(n);
        snprintf(f->user_agent, n, "winnow/%s", PACKAGE_VERSION);
    }
    f->o.user_agent = f->user_agent;

    f->multi = curl_multi_init();
    if (!f->multi) {
        free(f->user_agent);
        free(f);
        return NULL;
    }
    curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)f->o.max_total);
    curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)f->o.max_per_host);
    curl_multi_setopt(f->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    f->active = xcalloc((size_t)f->o.max_total, sizeof *f->active);
    f->pool = xcalloc((size_t)f->o.max_total, sizeof *f->pool);
    return f;
}

static void free_queue(struct queue *q)
{
    struct xfer *x;
    while ((x = q_pop(q))) xfer_free(x);
}

void fetch_free(struct fetcher *f)
{
    if (!f) return;
    for (int i = 0; i < f->n_active; i++) {
        struct xfer *x = f->active[i];
        curl_multi_remove_handle(f->multi, x->easy);
        curl_easy_cleanup(x->easy);
        xfer_free(x);
    }
    for (int i = 0; i < f->n_pool; i++) curl_easy_cleanup(f->pool[i]);
    free_queue(&f->normal);
    free_queue(&f->low);
    free_queue(&f->failed);
    if (f->files) workq_free(f->files, file_drop);
    curl_multi_cleanup(f->multi);
    free(f->active);
    free(f->pool);
    free(f->user_agent);
    free(f);
}

static struct curl_slist *add_header(struct curl_slist *l, const char *name, const char *value)
{
    size_t n = strlen(name) + strlen(value) + 3;
    char *h = xmalloc(n);
    snprintf(h, n, "%s: %s", name, value);
    /* A stored validator came from a server: keep it from smuggling extra header lines in. */
    for (char *c = h; *c; c++)
        if (*c == '\r' || *c == '\n') *c = ' ';
    struct curl_slist *nl = curl_slist_append(l, h);
    free(h);
    if (!nl) abort();
    return nl;
}

/* A file:// URL: only when the caller says its origin is local, only on this machine's files. */
static int add_file(struct fetcher *f, struct xfer *x, int allowed)
{
    if (!allowed) {
        fail_early(f, x, "%s", "a local file (file://) refused: only a feed that is itself a local "
                   "file may name local files");
        return -1;
    }
    char *host = url_part(x->url, CURLUPART_HOST, 0);
    int remote = host && *host && strcasecmp(host, "localhost") != 0;
    free(host);
    if (remote) {
        fail_early(f, x, "%s", "file:// on another host refused (only this machine's files)");
        return -1;
    }
    x->file_path = url_part(x->url, CURLUPART_PATH, CURLU_URLDECODE);
    if (!x->file_path || !*x->file_path) {
        fail_early(f, x, "not a valid file URL: %s", x->url);
        return -1;
    }
    file_submit(f, x);
    return 0;
}

int fetch_add(struct fetcher *f, const struct fetch_req *req, fetch_done_fn done, void *user)
{
    struct xfer *x = xcalloc(1, sizeof *x);
    x->f = f;
    x->done = done;
    x->user = user;
    x->url = xstrdup(req->url ? req->url : "");
    x->low_priority = req->low_priority;
    x->range_end = req->range_end;
    x->insecure_tls = req->insecure_tls;
    x->public_origin = req->public_origin;
    x->tag = req->tag;
    x->retry_after_s = -1;

    char *scheme = url_part(x->url, CURLUPART_SCHEME, 0);
    if (!scheme) {
        fail_early(f, x, "not a valid URL: %s", x->url);
        return -1;
    }
    if (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0 &&
        strcasecmp(scheme, "file") != 0) {
        fail_early(f, x, "unsupported URL scheme \"%s\" (only http, https and file)", scheme);
        free(scheme);
        return -1;
    }
    if (strcasecmp(scheme, "file") == 0) {
        free(scheme);
        return add_file(f, x, req->allow_file);
    }
    {
        char *host = url_part(x->url, CURLUPART_HOST, 0);
        char *port = url_part(x->url, CURLUPART_PORT, CURLU_DEFAULT_PORT);
        size_t n = strlen(scheme) + (host ? strlen(host) : 0) + (port ? strlen(port) : 0) + 8;
        x->host_key = xmalloc(n);
        snprintf(x->host_key, n, "%s://%s:%s", scheme, host ? host : "", port ? port : "");
        for (char *c = x->host_key; *c; c++)
            if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
        free(host);
        free(port);
    }
    free(scheme);

    if (req->etag && *req->etag) {
        x->req_etag = xstrdup(req->etag);
        x->hdrs = add_header(x->hdrs, "If-None-Match", req->etag);
    }
    if (req->last_modified && *req->last_modified) {
        x->req_lm = xstrdup(req->last_modified);
        x->hdrs = add_header(x->hdrs, "If-Modified-Since", req->last_modified);
    }
    for (size_t i = 0; req->headers && req->headers[i]; i++) x->hdrs = curl_slist_append(x->hdrs, req->headers[i]);
    if (req->post_body) {
        x->post_body = xstrdup(req->post_body);
        char ct[128];
        snprintf(ct, sizeof ct, "Content-Type: %s", req->post_type ? req->post_type : "application/json");
        x->hdrs = curl_slist_append(x->hdrs, ct);
    }
    q_push(x->low_priority ? &f->low : &f->normal, x);
    return 0;
}

static void cancel_queue(struct queue *q, const void *tag)
{
    struct xfer *prev = NULL, *x = q->head;
    while (x) {
        struct xfer *next = x->next;
        if (x->tag == tag) {
            q_unlink(q, prev, x);
            xfer_free(x);
        } else {
            prev = x;
        }
        x = next;
    }
}

void fetch_cancel(struct fetcher *f, const void *tag)
{
    if (!f || !tag) return;
    cancel_queue(&f->normal, tag);
    cancel_queue(&f->low, tag);
    cancel_queue(&f->failed, tag);
    for (int i = 0; i < f->n_active;) {
        struct xfer *x = f->active[i];
        if (x->tag != tag) {
            i++;
            continue;
        }
        curl_multi_remove_handle(f->multi, x->easy);
        curl_easy_cleanup(x->easy);
        x->easy = NULL;
        f->active[i] = f->active[--f->n_active];
        xfer_free(x);
    }
    /* a file read on the worker cannot be taken back: it is delivered to nobody */
    for (struct file_task *ft = f->file_tasks; ft; ft = ft->live_next)
        if (ft->x->tag == tag) ft->x->done = NULL;
    start_queued(f);
}

int fetch_pending(const struct fetcher *f)
{
    return f->normal.n + f->low.n + f->failed.n + f->n_active + f->n_files;
}

int fetch_poll(struct fetcher *f, int timeout_ms, struct fetch_waitfd *extra, unsigned n_extra)
{
    int running = 0, done = 0;
    for (unsigned i = 0; i < n_extra; i++) extra[i].revents = 0;

    done += deliver_failed(f);
    done += deliver_files(f);
    start_queued(f);
    curl_multi_perform(f->multi, &running);
    done += drain(f);

    if (n_extra == 0 && fetch_pending(f) == 0) return 0;

    /* Having just delivered results, return promptly so the caller can show them; the extra fds
     * are still polled (with no wait) so their revents are current.  The file reader's fd wakes
     * the wait when a read finishes. */
    int wait_ms = (done > 0 || f->failed.n > 0) ? 0 : timeout_ms < 0 ? INT_MAX : timeout_ms;
    unsigned nw = n_extra + (f->n_files > 0);
    struct curl_waitfd stackw[9], *w = stackw;
    if (nw > 9) w = xcalloc(nw, sizeof *w);
    for (unsigned i = 0; i < n_extra; i++) {
        w[i].fd = extra[i].fd;
        w[i].events = extra[i].events;
        w[i].revents = 0;
    }
    if (f->n_files > 0) {
        w[n_extra].fd = workq_fd(f->files);
        w[n_extra].events = CURL_WAIT_POLLIN;
        w[n_extra].revents = 0;
    }
    curl_multi_poll(f->multi, nw ? w : NULL, nw, wait_ms, NULL);
    for (unsigned i = 0; i < n_extra; i++) extra[i].revents = w[i].revents;
    if (w != stackw) free(w);

    deliver_files(f);
    curl_multi_perform(f->multi, &running);
    drain(f);
    return fetch_pending(f);
}

void fetch_run(struct fetcher *f)
{
    while (fetch_pending(f) > 0) fetch_poll(f, 1000, NULL, 0);
}
