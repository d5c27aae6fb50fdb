/* SPDX-License-Identifier: ISC */
/* Subscribing with care: URLs compared after normalisation (and by the endpoint they resolve to),
 * one check request at `winnow add` that says what failed, feed autodiscovery on an HTML page, and
 * the reason an API gives in its error body. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "app.h"
#include "app_int.h"
#include "login.h"
#include "source.h"
#include "text.h"

#define CHECK_TIMEOUT_S 10
#define CHECK_CONNECT_S 5
#define CHECK_BYTES (1L << 20)      /* a page's links are in its head; a feed sniffs in its start */
#define REASON_MAX 160

char *app_url_normalise(const char *url)
{
    struct strbuf b;
    sb_init(&b);
    const char *sep = strstr(url, "://");
    if (!sep) {
        sb_printf(&b, "%s", url);
        return sb_steal(&b);
    }
    for (const char *p = url; p < sep; p++) sb_addc(&b, (char)tolower((unsigned char)*p));
    sb_printf(&b, "://");
    int http = sep - url == 4 && !strncasecmp(url, "http", 4);
    int https = sep - url == 5 && !strncasecmp(url, "https", 5);
    const char *auth = sep + 3;
    size_t alen = strcspn(auth, "/?#");
    const char *at = memchr(auth, '@', alen);
    const char *host = at ? at + 1 : auth;
    size_t hlen = alen - (size_t)(host - auth);
    /* the default port says nothing */
    if ((http && hlen > 3 && !strncmp(host + hlen - 3, ":80", 3)) ||
        (https && hlen > 4 && !strncmp(host + hlen - 4, ":443", 4)))
        hlen -= http ? 3 : 4;
    if (at) sb_printf(&b, "%.*s", (int)(host - auth), auth);
    for (size_t i = 0; i < hlen; i++) sb_addc(&b, (char)tolower((unsigned char)host[i]));
    const char *rest = auth + alen;
    size_t rlen = strcspn(rest, "#");           /* a fragment never reaches the server */
    size_t plen = strcspn(rest, "?#");
    size_t keep = plen;
    while (keep > 0 && rest[keep - 1] == '/') keep--;   /* /feed/ and /feed are one path */
    sb_printf(&b, "%.*s%.*s", (int)keep, rest, (int)(rlen - plen), rest + plen);
    return sb_steal(&b);
}

/* The normalised first request of a subscription, or NULL when the adapter refuses it. */
static char *request_norm(const char *url, const char *kind)
{
    struct subscription sub = {.url = url, .kind = kind};
    const struct source *src = source_for_sub(&sub);
    sub.kind = src->name;
    struct strbuf req;
    sb_init(&req);
    struct error e;
    error_clear(&e);
    char *n = NULL;
    if (src->request(&sub, &req, &e) == 0 && req.len) n = app_url_normalise(req.s);
    sb_free(&req);
    return n;
}

static int same(const char *a, const char *b) { return a && b && !strcmp(a, b); }

/* The spellings of the subscribed feeds, normalised once: an import of thousands of feeds asks
 * about each, and working them out again for every question would make it quadratic in requests. */
struct app_dup_index {
    struct dup_entry { int64_t id; char *url, *req, *endpoint; } *e;
    size_t n, cap;
};

void app_dup_index_add(struct app_dup_index *x, int64_t id, const char *url, const char *kind, const char *endpoint)
{
    if (x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 64;
        x->e = xrealloc(x->e, x->cap * sizeof *x->e);
    }
    x->e[x->n++] = (struct dup_entry){id, app_url_normalise(url), request_norm(url, kind),
                                      endpoint ? app_url_normalise(endpoint) : NULL};
}

struct app_dup_index *app_dup_index_new(struct app *app)
{
    struct app_dup_index *x = xcalloc(1, sizeof *x);
    struct feed_row *rows;
    size_t n;
    struct error e;
    error_clear(&e);
    if (store_feeds(app->store, &rows, &n, &e) < 0) return x;
    for (size_t i = 0; i < n; i++) app_dup_index_add(x, rows[i].id, rows[i].url, rows[i].kind, rows[i].endpoint);
    store_feed_rows_free(rows, n);
    return x;
}

void app_dup_index_free(struct app_dup_index *x)
{
    if (!x) return;
    for (size_t i = 0; i < x->n; i++) {
        free(x->e[i].url);
        free(x->e[i].req);
        free(x->e[i].endpoint);
    }
    free(x->e);
    free(x);
}

int64_t app_dup_index_find(const struct app_dup_index *x, const char *url, const char *kind)
{
    char *nu = app_url_normalise(url);
    char *nr = request_norm(url, kind);
    int64_t found = 0;
    for (size_t i = 0; i < x->n && !found; i++) {
        const struct dup_entry *d = &x->e[i];
        if (same(nu, d->url) || same(nu, d->req) || same(nr, d->url) || same(nr, d->req) || same(nu, d->endpoint) ||
            same(nr, d->endpoint))
            found = d->id;
    }
    free(nu);
    free(nr);
    return found;
}

int64_t app_feed_duplicate(struct app *app, const char *url, const char *kind)
{
    struct app_dup_index *x = app_dup_index_new(app);
    int64_t id = app_dup_index_find(x, url, kind);
    app_dup_index_free(x);
    return id;
}

int app_api_reason(const char *body, size_t len, char *out, size_t cap)
{
    if (cap) out[0] = 0;
    if (!body || !len || len > (64u << 10)) return 0;
    size_t i = 0;
    while (i < len && isspace((unsigned char)body[i])) i++;
    if (i == len || body[i] != '{') return 0;
    cJSON *j = cJSON_ParseWithLength(body, len);
    if (!j) return 0;
    /* Bluesky and Reddit put the words in "message" ("error" is a code or a number there);
     * Mastodon puts them in "error" */
    static const char *const keys[] = {"message", "error_description", "error", "reason"};
    const char *why = NULL;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0] && !why; k++) {
        cJSON *v = cJSON_GetObjectItemCaseSensitive(j, keys[k]);
        if (cJSON_IsString(v) && v->valuestring[0]) why = v->valuestring;
    }
    int rc = 0;
    if (why) {
        char *clean = text_sanitize_dup(why, strlen(why), REASON_MAX, 0);
        snprintf(out, cap, "%s", clean);
        free(clean);
        rc = out[0] != 0;
    }
    cJSON_Delete(j);
    return rc;
}

void app_fetch_error(const struct fetch_result *res, char *out, size_t cap)
{
    char why[REASON_MAX + 8];
    const char *base = res->error[0] ? res->error : "fetch failed";
    if (res->status >= 400 && app_api_reason(res->body, res->len, why, sizeof why))
        snprintf(out, cap, "%s: %s", base, why);
    else
        snprintf(out, cap, "%s", base);
}

/* ---- the check request ---- */

struct check {
    int done, ok, html;
    long status;
    char *body, *final_url;
    size_t len;
    char error[512];
};

/* A web page, not a feed: by its bytes, or by its type unless the bytes say feed (servers that
 * send RSS as text/html are common enough). */
static int looks_html(const char *ct, const char *body, size_t len)
{
    size_t i = 0;
    if (len >= 3 && !memcmp(body, "\xEF\xBB\xBF", 3)) i = 3;
    while (i < len && isspace((unsigned char)body[i])) i++;
    const char *b = body + i;
    size_t n = len - i;
    if ((n >= 14 && !strncasecmp(b, "<!doctype", 9) && !strncasecmp(b + 10, "html", 4)) ||
        (n >= 5 && !strncasecmp(b, "<html", 5)))
        return 1;
    /* XHTML opens like a feed: its root element tells */
    if (n >= 5 && !strncmp(b, "<?xml", 5) && memmem(b, n < 2048 ? n : 2048, "<html", 5)) return 1;
    int feedish = (n >= 5 && !strncmp(b, "<?xml", 5)) || (n >= 4 && !strncmp(b, "<rss", 4)) ||
                  (n >= 5 && !strncmp(b, "<feed", 5)) || (n >= 8 && !strncmp(b, "<rdf:RDF", 8)) ||
                  (n >= 1 && b[0] == '{');
    return !feedish && ct && (!strncmp(ct, "text/html", 9) || !strncmp(ct, "application/xhtml", 17));
}

static void on_check(const struct fetch_result *r, void *user)
{
    struct check *c = user;
    c->done = 1;
    c->status = r->status;
    c->ok = r->ok;
    /* only what says the URL is wrong refuses it (no host, no server, 404, 410, a bad request):
     * a bot wall, a login, a rate limit or a server having a bad day does not, since a refresh
     * may get through (Sora's post API answers a challenge page that yt-dlp then reads) */
    if (!r->ok && (r->status == 401 || r->status == 403 || r->status == 429 || r->status >= 500)) {
        c->ok = 1;
        c->len = 0;
        c->body = xstrdup("");
        c->final_url = xstrdup(r->effective_url ? r->effective_url : r->url);
        return;
    }
    if (!r->ok) {
        app_fetch_error(r, c->error, sizeof c->error);
        return;
    }
    c->html = looks_html(r->content_type, r->body, r->len);
    c->body = xmalloc(r->len + 1);
    memcpy(c->body, r->body, r->len);
    c->body[r->len] = 0;
    c->len = r->len;
    c->final_url = xstrdup(r->effective_url ? r->effective_url : r->url);
}

/* The check runs before anything else of the session, so its fetcher can be the short-tempered
 * one: an add should answer in seconds, not wait out a refresh's timeouts. */
static struct fetcher *check_fetcher(struct app *app)
{
    if (!app->fetcher) {
        struct fetch_opts o;
        fetch_opts_default(&o);
        o.timeout_s = app->cfg.timeout < CHECK_TIMEOUT_S ? app->cfg.timeout : CHECK_TIMEOUT_S;
        o.connect_timeout_s = app->cfg.connect_timeout < CHECK_CONNECT_S ? app->cfg.connect_timeout
                                                                         : CHECK_CONNECT_S;
        o.max_body = (size_t)app->cfg.max_body_mb << 20;
        app->fetcher = fetch_new(&o);   /* NULL: the caller says APP_NO_FETCHER */
    }
    return app->fetcher;
}

/* ---- autodiscovery ---- */

static int feed_type(const char *t)
{
    static const char *const types[] = {"application/rss+xml", "application/atom+xml", "application/feed+json",
                                        "application/json", "application/rdf+xml", "text/xml", "application/xml"};
    if (!t) return 0;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strncasecmp(t, types[i], strlen(types[i]))) return 1;
    return 0;
}

static int has_token(const char *list, const char *tok)
{
    size_t n = strlen(tok);
    for (const char *p = list; p && *p;) {
        while (*p && isspace((unsigned char)*p)) p++;
        size_t w = strcspn(p, " \t\r\n\f");
        if (w == n && !strncasecmp(p, tok, n)) return 1;
        p += w;
    }
    return 0;
}

static void walk_links(xmlNode *node, const char *base, struct app_discovered *d, int depth)
{
    for (xmlNode *n = node; n && depth < 64; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && !strcasecmp((const char *)n->name, "link") &&
            d->n < APP_DISCOVER_MAX) {
            xmlChar *rel = xmlGetProp(n, (const xmlChar *)"rel");
            xmlChar *type = xmlGetProp(n, (const xmlChar *)"type");
            xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
            xmlChar *title = xmlGetProp(n, (const xmlChar *)"title");
            int alt = rel && has_token((const char *)rel, "alternate") && feed_type((const char *)type) &&
                      !has_token((const char *)rel, "stylesheet");
            int feed = rel && has_token((const char *)rel, "feed");
            if ((alt || feed) && href && *href) {
                struct arena a;
                arena_init(&a);
                const char *abs = url_resolve(&a, base, (const char *)href);
                char *u = text_sanitize_dup(abs, strlen(abs), TEXT_MAX_URL, 0);
                int dup = !*u || (strncasecmp(u, "http://", 7) && strncasecmp(u, "https://", 8));
                for (size_t i = 0; i < d->n && !dup; i++) dup = !strcmp(d->url[i], u);
                if (dup) {
                    free(u);
                } else {
                    d->url[d->n] = u;
                    d->title[d->n] = title ? text_sanitize_dup((const char *)title, strlen((const char *)title),
                                                               TEXT_MAX_TITLE, 0)
                                           : NULL;
                    d->n++;
                }
                arena_free(&a);
            }
            xmlFree(rel);
            xmlFree(type);
            xmlFree(href);
            xmlFree(title);
        }
        if (n->children) walk_links(n->children, base, d, depth + 1);
    }
}

void app_discover_feeds(const char *html, size_t len, const char *base, struct app_discovered *d)
{
    memset(d, 0, sizeof *d);
    if (len > (size_t)CHECK_BYTES * 4) len = (size_t)CHECK_BYTES * 4;
    htmlDocPtr doc = htmlReadMemory(html, (int)len, base, NULL,
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                        HTML_PARSE_NONET | HTML_PARSE_COMPACT);
    if (!doc) return;
    walk_links(xmlDocGetRootElement(doc), base, d, 0);
    xmlFreeDoc(doc);
}

void app_discovered_free(struct app_discovered *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->url[i]);
        free(d->title[i]);
    }
    memset(d, 0, sizeof *d);
}

/* ---- `winnow add` ---- */

static int check_url(struct app *app, const char *url, const char *kind, int insecure_tls, struct check *c,
                     struct error *err)
{
    struct subscription sub = {.url = url, .kind = kind};
    const struct source *src = source_for_sub(&sub);
    sub.kind = src->name;
    struct strbuf req;
    sb_init(&req);
    if (src->request(&sub, &req, err) < 0) {
        sb_free(&req);
        return -1;
    }
    /* a request that is not a fetch (ytdlp:PAGE runs yt-dlp) is checked by fetching the page */
    if (strncasecmp(req.s, "http://", 7) && strncasecmp(req.s, "https://", 8) && strncasecmp(req.s, "file://", 7)) {
        sb_reset(&req);
        sb_adds(&req, url);
    }
    struct fetcher *f = check_fetcher(app);
    if (!f) {
        error_set(err, "%s", APP_NO_FETCHER);
        sb_free(&req);
        return -1;
    }
    /* the headers the source sends with its requests (an API's Accept, a site's Referer) */
    struct arena ha;
    arena_init(&ha);
    struct feed_row row = {.url = (char *)url, .kind = (char *)src->name};
    char why[200];
    struct fetch_req fr = {.url = req.s, .range_end = src->head_bytes > 0 ? src->head_bytes : CHECK_BYTES,
                           .insecure_tls = insecure_tls, .tag = c,
                           .headers = app_request_headers(app, &row, src, req.s, &ha, why, sizeof why)};
    fetch_add(f, &fr, on_check, c);
    while (!c->done && fetch_pending(f) > 0) fetch_poll(f, 1000, NULL, 0);
    int rc = 0;
    if (!c->done || !c->ok) {
        char *u = text_sanitize_dup(req.s, req.len, TEXT_MAX_URL, 0);
        error_set(err, "add: %s: %s (add --offline subscribes anyway)", u, c->error[0] ? c->error : "fetch failed");
        free(u);
        rc = -1;
    }
    arena_free(&ha);
    sb_free(&req);
    return rc;
}

int app_subscribe(struct app *app, const struct app_add_opts *o, struct app_add_result *res,
                  struct error *err)
{
    memset(res, 0, sizeof *res);
    const char *url = o->url;
    const struct source *src;
    if (app_add_validate(url, o->kind, &src, err) < 0) return -1;
    int64_t dup = app_feed_duplicate(app, url, o->kind);
    if (dup) {
        res->existing = dup;
        res->url = xstrdup(url);
        return 0;
    }
    int is_http = !strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8);
    char *chosen = NULL;
    if (!o->offline && is_http) {
        struct check c = {0};
        if (check_url(app, url, src->name, o->insecure_tls, &c, err) < 0) return -1;
        if (c.html && src == &source_feed && !(o->kind && *o->kind)) {
            app_discover_feeds(c.body, c.len, c.final_url, &res->found);
            if (res->found.n == 0 && source_video_page(c.body, c.len)) {
                /* a video page: refreshes read it with yt-dlp (or say to install it) */
                free(c.body);
                free(c.final_url);
                goto add;
            }
            if (res->found.n == 0) {
                char *u = text_sanitize_dup(url, strlen(url), TEXT_MAX_URL, 0);
                error_set(err, "add: %s is a web page that names no feed (no <link rel=\"alternate\">); "
                               "add --link %s keeps the page itself as one item", u, u);
                free(u);
            } else if (o->pick < 0 || (size_t)o->pick > res->found.n) {
                error_set(err, "add: --pick %d: the page names %zu feed%s (1 to %zu)", o->pick, res->found.n,
                          res->found.n == 1 ? "" : "s", res->found.n);
            } else {
                res->picked = o->pick ? o->pick : 1;
                chosen = xstrdup(res->found.url[res->picked - 1]);
            }
            if (!chosen) {
                free(c.body);
                free(c.final_url);
                app_discovered_free(&res->found);
                return -1;
            }
        }
        free(c.body);
        free(c.final_url);
    } else if (o->pick) {
        error_set(err, "add: --pick chooses among the feeds a web page names; it needs a check (no --offline)");
        return -1;
    }
add:
    if (chosen) {
        dup = app_feed_duplicate(app, chosen, NULL);
        if (dup) {
            res->existing = dup;
            res->url = chosen;
            return 0;
        }
    }
    int rc = app_add_feed(app, chosen ? chosen : url, chosen ? NULL : o->kind, o->title, o->tags, &res->id,
                          &res->kind, err);
    if (rc == 0 && o->insecure_tls) rc = store_feed_set_insecure_tls(app->store, res->id, 1, err);
    res->url = chosen ? chosen : xstrdup(url);
    return rc;
}

void app_add_result_free(struct app_add_result *r)
{
    app_discovered_free(&r->found);
    free(r->url);
    memset(r, 0, sizeof *r);
}
