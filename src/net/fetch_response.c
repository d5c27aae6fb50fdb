/* SPDX-License-Identifier: ISC */
/* fetch_response — what curl hands over while a response arrives: the body, kept within the size
 * cap, and the headers a feed reader needs (status line and reason, validators, content type and
 * location, Retry-After, Link), cleaned of control bytes; a new status line (after a redirect or a
 * 100 Continue) starts the response over. */
#include "fetch_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "date.h"
#include "util.h"

void fetch_reset_response(struct xfer *x)
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

size_t fetch_on_body(char *data, size_t size, size_t nmemb, void *userp)
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
    return fetch_dup_clean(v, (size_t)(e - v));
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
    char *r = fetch_dup_clean(p, rl);
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

size_t fetch_on_header(char *line, size_t size, size_t nmemb, void *userp)
{
    struct xfer *x = userp;
    size_t n = size * nmemb;
    char *v;
    if (n >= 5 && strncmp(line, "HTTP/", 5) == 0) {
        /* A new response after a redirect or a 1xx: only the final one's headers count. */
        fetch_reset_response(x);
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

char *fetch_url_part(const char *url, CURLUPart part, unsigned flags)
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
