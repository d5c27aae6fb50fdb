/* SPDX-License-Identifier: ISC */
/* url — RFC 3986 reference resolution (section 5.2) and host extraction.  Feeds are full of relative
 * links ("/r/funny", "../img/a.jpg", "//cdn.example/x.png", "?page=2"); they are resolved against
 * xml:base or the feed's own address so that the store only ever holds absolute URLs. */
#include "source.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

/* Length of "scheme" when s starts with "scheme:", else 0. */
static size_t scheme_len(const char *s, size_t n)
{
    if (n == 0 || !isalpha((unsigned char)s[0])) return 0;
    for (size_t i = 1; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ':') return i;
        if (!isalnum(c) && c != '+' && c != '-' && c != '.') return 0;
    }
    return 0;
}

struct uparts {
    const char *scheme; size_t scheme_n;   /* without ':' */
    const char *auth;   size_t auth_n;     /* without "//"; auth == NULL when absent */
    const char *path;   size_t path_n;
    const char *query;  size_t query_n;    /* with '?'; NULL when absent */
    const char *frag;   size_t frag_n;     /* with '#'; NULL when absent */
};

static void split(const char *s, size_t n, struct uparts *u)
{
    memset(u, 0, sizeof *u);
    size_t i = 0, sl = scheme_len(s, n);
    if (sl) { u->scheme = s; u->scheme_n = sl; i = sl + 1; }
    if (i + 1 < n && s[i] == '/' && s[i + 1] == '/') {
        size_t j = i + 2;
        while (j < n && s[j] != '/' && s[j] != '?' && s[j] != '#') j++;
        u->auth = s + i + 2;
        u->auth_n = j - (i + 2);
        i = j;
    }
    size_t j = i;
    while (j < n && s[j] != '?' && s[j] != '#') j++;
    u->path = s + i;
    u->path_n = j - i;
    i = j;
    if (i < n && s[i] == '?') {
        while (j < n && s[j] != '#') j++;
        u->query = s + i;
        u->query_n = j - i;
        i = j;
    }
    if (i < n && s[i] == '#') { u->frag = s + i; u->frag_n = n - i; }
}

/* RFC 3986 5.2.4 over in[0..n), appending to out (which has room for n + 1 bytes).  Returns the
 * output length.  Works segment by segment so it is linear in the input. */
static size_t remove_dots(const char *in, size_t n, char *out)
{
    size_t o = 0, i = 0;
    while (i < n) {
        size_t rest = n - i;
        const char *p = in + i;
        if (rest >= 3 && !memcmp(p, "../", 3)) { i += 3; continue; }
        if (rest >= 2 && !memcmp(p, "./", 2)) { i += 2; continue; }
        if (rest >= 3 && !memcmp(p, "/./", 3)) { i += 2; continue; }
        if (rest == 2 && !memcmp(p, "/.", 2)) { out[o++] = '/'; break; }
        if ((rest >= 4 && !memcmp(p, "/../", 4)) || (rest == 3 && !memcmp(p, "/..", 3))) {
            /* drop the last output segment and its preceding '/' */
            while (o > 0 && out[o - 1] != '/') o--;
            if (o > 0) o--;
            if (rest == 3) { out[o++] = '/'; break; }
            i += 3;
            continue;
        }
        if ((rest == 1 && p[0] == '.') || (rest == 2 && !memcmp(p, "..", 2))) break;
        /* move the first segment (with its leading '/', if any) to the output */
        size_t j = (p[0] == '/') ? 1 : 0;
        while (j < rest && p[j] != '/') j++;
        memcpy(out + o, p, j);
        o += j;
        i += j;
    }
    out[o] = 0;
    return o;
}

char *url_resolve(struct arena *a, const char *base, const char *ref)
{
    if (!ref) return NULL;
    const char *r = ref;
    size_t rn = strlen(r);
    while (rn && is_ws(*r)) { r++; rn--; }
    while (rn && is_ws(r[rn - 1])) rn--;
    int trimmed = r != ref || rn != strlen(ref);

    if (scheme_len(r, rn) || !base) return trimmed ? arena_strndup(a, r, rn) : (char *)ref;

    size_t bn = strlen(base);
    while (bn && is_ws(*base)) { base++; bn--; }
    while (bn && is_ws(base[bn - 1])) bn--;
    struct uparts B, R;
    split(base, bn, &B);
    if (!B.scheme) return trimmed ? arena_strndup(a, r, rn) : (char *)ref;
    split(r, rn, &R);

    /* The result is never longer than base + ref + "://" + "/". */
    size_t cap = bn + rn + 8;
    char *out = arena_alloc(a, cap);
    char *tmp = arena_alloc(a, cap);          /* merged path before dot removal */
    size_t o = 0;

    memcpy(out, B.scheme, B.scheme_n);
    o = B.scheme_n;
    out[o++] = ':';

    const char *auth = B.auth; size_t auth_n = B.auth_n;
    const char *query = NULL; size_t query_n = 0;
    size_t tn = 0;
    int verbatim = 0;           /* RFC 3986 keeps the base path as it is when ref has no path */

    if (R.auth) {
        auth = R.auth; auth_n = R.auth_n;
        memcpy(tmp, R.path, R.path_n); tn = R.path_n;
        query = R.query; query_n = R.query_n;
    } else if (R.path_n == 0) {
        memcpy(tmp, B.path, B.path_n); tn = B.path_n;
        verbatim = 1;
        if (R.query) { query = R.query; query_n = R.query_n; }
        else { query = B.query; query_n = B.query_n; }
    } else if (R.path[0] == '/') {
        memcpy(tmp, R.path, R.path_n); tn = R.path_n;
        query = R.query; query_n = R.query_n;
    } else {
        if (B.auth && B.path_n == 0) {
            tmp[tn++] = '/';
        } else {
            size_t k = B.path_n;
            while (k > 0 && B.path[k - 1] != '/') k--;
            memcpy(tmp, B.path, k); tn = k;
        }
        memcpy(tmp + tn, R.path, R.path_n); tn += R.path_n;
        query = R.query; query_n = R.query_n;
    }

    if (auth) {
        out[o++] = '/'; out[o++] = '/';
        memcpy(out + o, auth, auth_n); o += auth_n;
    }
    if (verbatim) { memcpy(out + o, tmp, tn); o += tn; }
    else o += remove_dots(tmp, tn, out + o);
    if (query) { memcpy(out + o, query, query_n); o += query_n; }
    if (R.frag) { memcpy(out + o, R.frag, R.frag_n); o += R.frag_n; }
    out[o] = 0;
    return out;
}

char *url_host(struct arena *a, const char *url)
{
    if (!url) return NULL;
    while (is_ws(*url)) url++;
    size_t skip;
    if (!strncasecmp(url, "http://", 7)) skip = 7;
    else if (!strncasecmp(url, "https://", 8)) skip = 8;
    else return NULL;
    const char *s = url + skip, *e = s;
    while (*e && *e != '/' && *e != '?' && *e != '#' && !is_ws(*e)) e++;
    /* userinfo ends at the last '@' of the authority */
    for (const char *p = e; p > s; p--)
        if (p[-1] == '@') { s = p; break; }
    const char *h = s, *he = e;
    if (*h == '[') {
        const char *rb = memchr(h, ']', (size_t)(e - h));
        if (!rb) return NULL;
        he = rb + 1;
    } else {
        const char *colon = memchr(h, ':', (size_t)(e - h));
        if (colon) he = colon;
    }
    if (he > h && he[-1] == '.') he--;       /* "example.com." names the same host */
    if (he <= h) return NULL;
    char *r = arena_strndup(a, h, (size_t)(he - h));
    for (char *p = r; *p; p++) *p = (char)tolower((unsigned char)*p);
    return r;
}
