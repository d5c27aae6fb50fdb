/* SPDX-License-Identifier: ISC */
#include "apiutil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feedutil.h"
#include "html.h"
#include "source.h"
#include "text.h"

/* ---- URLs ------------------------------------------------------------------------------------ */

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Percent-decodes s[0..n) into the arena; plus_space also turns '+' into ' ' (query strings). */
static char *pct_decode(struct arena *a, const char *s, size_t n, int plus_space)
{
    char *r = arena_alloc(a, n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int h1, h2;
        if (s[i] == '%' && i + 2 < n && (h1 = hexval((unsigned char)s[i + 1])) >= 0 &&
            (h2 = hexval((unsigned char)s[i + 2])) >= 0) {
            r[o++] = (char)(h1 * 16 + h2);
            i += 2;
        } else if (plus_space && s[i] == '+') {
            r[o++] = ' ';
        } else {
            r[o++] = s[i];
        }
    }
    r[o] = 0;
    return r;
}

int aurl_parse(struct arena *a, const char *url, struct aurl *u)
{
    memset(u, 0, sizeof *u);
    /* a URL that does not parse still leaves a usable, empty shape behind */
    u->origin = u->host = "";
    u->path = "/";
    u->query = "";
    if (!url) return -1;
    while (*url == ' ' || *url == '\t') url++;
    size_t skip;
    if (!strncasecmp(url, "http://", 7)) skip = 7;
    else if (!strncasecmp(url, "https://", 8)) skip = 8;
    else return -1;
    const char *auth = url + skip, *e = auth;
    while (*e && *e != '/' && *e != '?' && *e != '#') e++;
    const char *h = auth;
    for (const char *p = e; p > auth; p--)
        if (p[-1] == '@') { h = p; break; }
    if (h >= e) return -1;
    struct strbuf b;
    sb_init(&b);
    for (size_t i = 0; i < skip; i++) sb_addc(&b, (char)tolower((unsigned char)url[i]));
    for (const char *p = h; p < e; p++) sb_addc(&b, (char)tolower((unsigned char)*p));
    u->origin = arena_strdup(a, b.s);
    sb_free(&b);
    const char *host = url_host(a, url);
    if (!host) return -1;
    u->host = host;

    const char *p = e, *pe = p;
    while (*pe && *pe != '?' && *pe != '#') pe++;
    u->path = pe > p ? arena_strndup(a, p, (size_t)(pe - p)) : "/";
    const char *q = pe, *qe;
    if (*q == '?') {
        q++;
        qe = q;
        while (*qe && *qe != '#') qe++;
        u->query = arena_strndup(a, q, (size_t)(qe - q));
    } else {
        u->query = "";
    }
    for (const char *s = p; s < pe;) {
        while (s < pe && *s == '/') s++;
        const char *se = s;
        while (se < pe && *se != '/') se++;
        if (se > s) {
            if (u->nseg < AURL_MAX_SEGS) u->seg[u->nseg] = pct_decode(a, s, (size_t)(se - s), 0);
            u->nseg++;
        }
        s = se;
    }
    return 0;
}

const char *aurl_param(struct arena *a, const struct aurl *u, const char *name)
{
    size_t nl = strlen(name);
    for (const char *p = u->query; p && *p;) {
        const char *e = strchr(p, '&');
        if (!e) e = p + strlen(p);
        const char *eq = memchr(p, '=', (size_t)(e - p));
        const char *ke = eq ? eq : e;
        if ((size_t)(ke - p) == nl && !strncmp(p, name, nl))
            return eq ? pct_decode(a, eq + 1, (size_t)(e - eq - 1), 1) : "";
        p = *e ? e + 1 : e;
    }
    return NULL;
}

int api_host_is(const char *host, const char *domain)
{
    if (!host || !domain) return 0;
    size_t h = strlen(host), d = strlen(domain);
    if (h == d) return !strcasecmp(host, domain);
    return h > d && host[h - d - 1] == '.' && !strcasecmp(host + h - d, domain);
}

int aurl_seg_is(const struct aurl *u, int i, const char *s)
{
    return i >= 0 && i < u->nseg && i < AURL_MAX_SEGS && !strcasecmp(u->seg[i], s);
}

int aurl_path_ends(const struct aurl *u, const char *suffix)
{
    size_t n = strlen(u->path), m = strlen(suffix);
    return n >= m && !strcmp(u->path + n - m, suffix);
}

const char *api_url_short(struct arena *a, const char *url, const char *base)
{
    struct aurl x, y;
    if (aurl_parse(a, url, &x) < 0 || aurl_parse(a, base, &y) < 0 || strcmp(x.origin, y.origin))
        return url;
    return *x.query ? arena_printf(a, "%s?%s", x.path, x.query) : x.path;
}

void api_describe_req(struct strbuf *out, const char *req, const char *user_url)
{
    if (!req || !strcmp(req, user_url)) return;
    struct arena a;
    arena_init(&a);
    sb_adds(out, api_url_short(&a, req, user_url));
    arena_free(&a);
}

/* ---- JSON ------------------------------------------------------------------------------------ */

struct shape {
    size_t max_depth;   /* deepest nesting of [ and { */
    size_t open;        /* brackets still open at the end */
    int in_string;      /* the input ends inside a string */
    int mismatch;       /* a closing bracket of the wrong kind: broken, not cut */
};

/* One pass over the text outside strings: what went wrong when cJSON gives up, since cJSON only
 * says where it stopped (and for a cut string, that is where the string began).  Runs only on
 * the error path, so the bracket stack may cost a byte per input byte. */
static struct shape shape_of(const char *s, size_t n)
{
    struct shape sh = {0, 0, 0, 0};
    char *stack = malloc(n + 1);
    for (size_t i = 0; i < n && !sh.mismatch; i++) {
        char c = s[i];
        if (sh.in_string) {
            if (c == '\\') i++;
            else if (c == '"') sh.in_string = 0;
        } else if (c == '"') {
            sh.in_string = 1;
        } else if (c == '[' || c == '{') {
            if (stack) stack[sh.open] = c;
            if (++sh.open > sh.max_depth) sh.max_depth = sh.open;
        } else if (c == ']' || c == '}') {
            if (!sh.open || (stack && stack[sh.open - 1] != (c == ']' ? '[' : '{'))) sh.mismatch = 1;
            else sh.open--;
        }
    }
    free(stack);
    return sh;
}

static unsigned long line_at(const char *s, size_t pos)
{
    unsigned long line = 1;
    for (const char *p = s; (p = memchr(p, '\n', pos - (size_t)(p - s))) != NULL; p++) line++;
    return line;
}

static unsigned hex4(const char *s)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval((unsigned char)s[i]);
        if (h < 0) return 0x110000;
        v = (v << 4) | (unsigned)h;
    }
    return v;
}

/* cJSON rejects a string with an unpaired UTF-16 surrogate escape and reports where it begins;
 * say so, since "invalid JSON" alone would send people looking for a syntax error. */
static int bad_escape_at(const char *s, size_t n, size_t pos)
{
    if (pos >= n) return 0;
    if (s[pos] == '"') pos++;                /* cJSON points at the string's content */
    for (size_t i = pos; i + 5 < n && s[i] != '"'; i++) {
        if (s[i] != '\\') continue;
        if (s[i + 1] != 'u') { i++; continue; }
        unsigned u = hex4(s + i + 2);
        if (u >= 0xDC00 && u <= 0xDFFF) return 1;
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (i + 11 >= n || s[i + 6] != '\\' || s[i + 7] != 'u') return 1;
            unsigned lo = hex4(s + i + 8);
            if (lo < 0xDC00 || lo > 0xDFFF) return 1;
            i += 6;
        }
        i += 5;
    }
    return 0;
}

void api_json_error(const char *body, size_t len, const char *at, struct error *err)
{
    size_t pos = (at && at >= body && at <= body + len) ? (size_t)(at - body) : len;
    struct shape sh = shape_of(body, len);
    if (sh.max_depth > CJSON_NESTING_LIMIT)
        error_set(err, "not valid JSON: nesting too deep (more than %d levels)", CJSON_NESTING_LIMIT);
    else if (!sh.mismatch && (sh.open || sh.in_string))
        error_set(err, "truncated: unexpected end of input at line %lu", line_at(body, len));
    else if (bad_escape_at(body, len, pos))
        error_set(err, "not valid JSON at line %lu: a \\u escape is a lone surrogate", line_at(body, pos));
    else
        error_set(err, "not valid JSON at line %lu", line_at(body, pos));
}

cJSON *api_json_parse(const char *body, size_t len, struct error *err)
{
    size_t i = 0;
    if (body && len >= 3 && !memcmp(body, "\xEF\xBB\xBF", 3)) i = 3;
    while (body && i < len && isspace((unsigned char)body[i])) i++;
    if (!body || i >= len) {
        error_set(err, "empty response");
        return NULL;
    }
    if (body[i] == '<') {
        /* the common wrong answer: a login wall, a consent page, an RSS feed at a JSON URL */
        int html = len - i > 5 && (!strncasecmp(body + i, "<!doc", 5) || !strncasecmp(body + i, "<html", 5));
        error_set(err, "not JSON: got %s", html ? "an HTML page" : "XML or HTML");
        return NULL;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(body + i, len - i, &end, 0);
    if (!root) api_json_error(body, len, end, err);
    return root;
}

const char *api_jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
    return (cJSON_IsString(v) && v->valuestring && *v->valuestring) ? v->valuestring : NULL;
}

const cJSON *api_jobj(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
    return cJSON_IsObject(v) ? v : NULL;
}

const cJSON *api_jarr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
    return cJSON_IsArray(v) ? v : NULL;
}

double api_jnum(const cJSON *o, const char *key, double dflt)
{
    const cJSON *v = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
    if (cJSON_IsNumber(v)) return v->valuedouble;
    if (cJSON_IsString(v) && v->valuestring && *v->valuestring) {
        char *end;
        double d = strtod(v->valuestring, &end);
        if (end != v->valuestring && *end == 0) return d;
    }
    return dflt;
}

int64_t api_jint(const cJSON *o, const char *key)
{
    double d = api_jnum(o, key, -1);
    return (d >= 0 && d < 9e15) ? (int64_t)d : -1;
}

int api_jbool(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
    return cJSON_IsTrue(v);
}

const cJSON *api_jpath(const cJSON *o, const char *path)
{
    char key[64];
    while (o && *path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        if (n >= sizeof key) return NULL;
        memcpy(key, path, n);
        key[n] = 0;
        o = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
        path += n + (dot != NULL);
    }
    return o;
}

const char *api_jid(struct arena *a, const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
    if (cJSON_IsString(v) && v->valuestring && *v->valuestring) return v->valuestring;
    if (cJSON_IsNumber(v)) return arena_printf(a, "%.17g", v->valuedouble);
    return NULL;
}

/* ---- the provenance encoding --------------------------------------------------------------- */

void api_labels_add(struct strbuf *b, const char *value, const char *source)
{
    if (!value || !*value) return;
    if (b->len) sb_addc(b, ',');
    for (const char *p = value; *p; p++) sb_addc(b, *p == ',' ? ' ' : *p);
    if (source && *source) {
        sb_addc(b, '@');
        for (const char *p = source; *p; p++) sb_addc(b, *p == ',' ? ' ' : *p);
    }
}

cJSON *api_extra_new(void)
{
    return cJSON_CreateObject();
}

void api_extra_str(cJSON *o, const char *key, const char *v, size_t max)
{
    if (!o || !v || !*v) return;
    char *c = text_sanitize_dup(v, strlen(v), max ? max : TEXT_MAX_SHORT, 0);
    if (*c) cJSON_AddStringToObject(o, key, c);
    free(c);
}

void api_extra_bool(cJSON *o, const char *key, int v)
{
    if (o) cJSON_AddBoolToObject(o, key, v != 0);
}

void api_extra_num(cJSON *o, const char *key, double v)
{
    if (o) cJSON_AddNumberToObject(o, key, v);
}

const char *api_extra_done(struct arena *a, cJSON *o)
{
    if (!o) return NULL;
    const char *r = NULL;
    if (o->child) {
        char *s = cJSON_PrintUnformatted(o);
        r = arena_strdup(a, s);
        free(s);
    }
    cJSON_Delete(o);
    return r;
}

/* ---- text ------------------------------------------------------------------------------------ */

const char *api_text(struct arena *a, const char *html)
{
    if (!html) return NULL;
    return html_to_text(a, html, strlen(html));
}

const char *api_text_linked(struct arena *a, const char *html)
{
    if (!html) return NULL;
    return html_to_text_linked(a, html, strlen(html));
}

const char *api_title(struct arena *a, const char *title, const char *text, const char *fallback)
{
    if (!feed_blank(title)) return title;
    const char *t = feed_title_from_text(a, text);
    if (!feed_blank(t)) return t;
    return feed_blank(fallback) ? "(untitled)" : fallback;
}

int64_t api_duration(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
    if (cJSON_IsNumber(v)) return (v->valuedouble >= 0 && v->valuedouble < 1e9) ? (int64_t)(v->valuedouble + 0.5) : -1;
    if (cJSON_IsString(v)) return feed_parse_duration(v->valuestring);
    return -1;
}
