/* SPDX-License-Identifier: ISC */
/* Import and export of subscriptions: OPML 1.0/2.0 (read with expat, nested outlines become tags)
 * and newsboat's urls file (URL, tags, "~Title"). */
#include <ctype.h>
#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "app_int.h"
#include "source.h"
#include "text.h"

struct opml_ctx {
    opml_outline_fn *each;
    void *ud;
    int depth;
    char *folders[16];       /* titles of enclosing outlines, used as tags */
    int folder_depth[16];
    int nfolders;
    int failed;
    int body_seen;
    struct error *err;
};

static const char *attr(const XML_Char **a, const char *name)
{
    for (; a && a[0]; a += 2)
        if (!strcasecmp(a[0], name)) return a[1];
    return NULL;
}

struct import_counts {
    struct app *app;
    struct app_dup_index *dups;
    int allow_file;
    int added, skipped;
    struct strbuf *refused;
};

static void add_one(void *ud, const char *url, const char *title, const char *tags, const char *kind)
{
    struct import_counts *ic = ud;
    struct error e;
    error_clear(&e);
    int64_t id;
    if (!strncasecmp(url, "file:", 5)) {
        /* someone else's list must not make winnow read this machine's files */
        if (!ic->allow_file) error_set(&e, "a local file in an imported list (import --allow-file takes it)");
        else app_local_feed_check(url, &e);
        if (e.msg[0]) {
            ic->skipped++;
            if (ic->refused) {
                char *u = text_sanitize_dup(url, strlen(url), TEXT_MAX_URL, 0);
                sb_printf(ic->refused, "%s: %s\n", u, e.msg);
                free(u);
            }
            return;
        }
    }
    if (kind && !source_by_name(kind)) kind = NULL;   /* a kind this winnow does not know: pick by URL */
    int64_t dup = app_dup_index_find(ic->dups, url, kind);
    if (dup) {
        /* the feed is there already: the folder it sits in here is news, the rest is not */
        struct error me;
        error_clear(&me);
        if (tags && store_feed_merge_tags(ic->app->store, dup, tags, &me) < 0 && ic->refused) {
            char *u = text_sanitize_dup(url, strlen(url), TEXT_MAX_URL, 0);
            sb_printf(ic->refused, "%s: already subscribed; its folder was not added: %s\n", u, me.msg);
            free(u);
        }
        ic->skipped++;
        return;
    }
    const char *picked = NULL;
    if (app_add_feed_as_is(ic->app, url, kind, title, tags, &id, &picked, &e) == 0) {
        ic->added++;
        app_dup_index_add(ic->dups, id, url, picked, NULL);
    } else {
        ic->skipped++;
    }
}

static void XMLCALL opml_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct opml_ctx *c = ud;
    c->depth++;
    if (!strcasecmp(name, "body")) c->body_seen = 1;
    if (strcasecmp(name, "outline") != 0) return;
    /* winnow's own export keeps the URL it subscribed and its kind beside the xmlUrl other
     * readers can use (the platform's RSS), so a round trip through winnow loses nothing */
    const char *url = attr(atts, "winnow:url");
    const char *kind = url ? attr(atts, "winnow:kind") : NULL;
    if (!url) url = attr(atts, "xmlUrl");
    if (!kind) kind = attr(atts, "winnowKind");
    const char *title = attr(atts, "title");
    if (!title) title = attr(atts, "text");
    if (title && url && !strcmp(title, url)) title = NULL;   /* exporters fill text with the URL */
    if (url && *url) {
        struct strbuf tags;
        sb_init(&tags);
        for (int i = 0; i < c->nfolders; i++) sb_printf(&tags, "%s%s", tags.len ? "," : "", c->folders[i]);
        const char *cat = attr(atts, "category");
        if (cat && *cat) sb_printf(&tags, "%s%s", tags.len ? "," : "", cat[0] == '/' ? cat + 1 : cat);
        c->each(c->ud, url, title, tags.len ? tags.s : NULL, kind);
        sb_free(&tags);
    } else if (title && c->nfolders < 16) {
        c->folders[c->nfolders] = xstrdup(title);
        c->folder_depth[c->nfolders] = c->depth;
        c->nfolders++;
    }
}

static void XMLCALL opml_end(void *ud, const XML_Char *name)
{
    struct opml_ctx *c = ud;
    if (c->nfolders && c->folder_depth[c->nfolders - 1] == c->depth) {
        free(c->folders[--c->nfolders]);
    }
    c->depth--;
}

static void XMLCALL opml_entity_decl(void *ud, const XML_Char *n, int pe, const XML_Char *v, int vl,
                                     const XML_Char *b, const XML_Char *s, const XML_Char *p,
                                     const XML_Char *nn)
{
    struct opml_ctx *c = ud;
    c->failed = 1;
}

int opml_parse(const char *buf, size_t len, const char *path, opml_outline_fn *each, void *ud,
               struct error *err)
{
    struct opml_ctx c = {.each = each, .ud = ud, .err = err};
    XML_Parser p = XML_ParserCreate(NULL);
    XML_SetUserData(p, &c);
    XML_SetElementHandler(p, opml_start, opml_end);
    XML_SetEntityDeclHandler(p, opml_entity_decl);
    int ok = XML_Parse(p, buf, (int)len, 1) == XML_STATUS_OK && !c.failed;
    if (!ok) {
        if (c.failed) error_set(err, "%s: entity declarations are refused", path);
        else
            error_set(err, "%s: not valid XML at line %lu: %s", path,
                      (unsigned long)XML_GetCurrentLineNumber(p), XML_ErrorString(XML_GetErrorCode(p)));
    } else if (!c.body_seen) {
        error_set(err, "%s: not an OPML file (no <body>)", path);
        ok = 0;
    }
    XML_ParserFree(p);
    while (c.nfolders) free(c.folders[--c.nfolders]);
    return ok ? 0 : -1;
}

static int import_opml(struct import_counts *ic, const char *buf, size_t len, const char *path,
                       struct error *err)
{
    return opml_parse(buf, len, path, add_one, ic, err);
}

/* newsboat urls: URL [tag | "tag with spaces" | "~Title" | "!hidden"]... */
static int import_urls(struct import_counts *ic, char *buf)
{
    char *line = buf;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        char *s = line;
        line = nl ? nl + 1 : NULL;
        while (isspace((unsigned char)*s)) s++;
        if (!*s || *s == '#') continue;
        char *words[64];
        int nw = 0;
        while (*s && nw < 64) {
            while (isspace((unsigned char)*s)) s++;
            if (!*s) break;
            if (*s == '"') {
                char *start = ++s;
                while (*s && *s != '"') s++;
                if (*s) *s++ = 0;
                words[nw++] = start;
            } else {
                words[nw++] = s;
                while (*s && !isspace((unsigned char)*s)) s++;
                if (*s) *s++ = 0;
            }
        }
        if (nw == 0) continue;
        if (!strncmp(words[0], "query:", 6) || !strncmp(words[0], "exec:", 5) ||
            !strncmp(words[0], "filter:", 7)) {
            ic->skipped++;   /* newsboat-only meta feeds have no URL to fetch */
            continue;
        }
        const char *title = NULL;
        struct strbuf tags;
        sb_init(&tags);
        for (int i = 1; i < nw; i++) {
            if (words[i][0] == '~') title = words[i] + 1;
            else if (words[i][0] == '!') continue;
            else sb_printf(&tags, "%s%s", tags.len ? "," : "", words[i]);
        }
        add_one(ic, words[0], title, tags.len ? tags.s : NULL, NULL);
        sb_free(&tags);
    }
    return 0;
}

int app_import(struct app *app, const char *path, int allow_file, int *added, int *skipped,
               struct strbuf *refused, struct error *err)
{
    char *buf;
    size_t len;
    *added = *skipped = 0;
    if (read_file(path, 16u << 20, &buf, &len, err) < 0) return -1;
    const char *p = buf;
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) p += 3;
    while (*p && isspace((unsigned char)*p)) p++;
    struct import_counts ic = {.app = app, .allow_file = allow_file, .refused = refused,
                               .dups = app_dup_index_new(app)};
    int rc;
    if (*p == '<') rc = import_opml(&ic, buf, len, path, err);
    else rc = import_urls(&ic, buf);
    *added = ic.added;
    *skipped = ic.skipped;
    app_dup_index_free(ic.dups);
    free(buf);
    return rc;
}

static void xml_escape(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
    }
}

static void xml_attr(FILE *out, const char *name, const char *value)
{
    fprintf(out, " %s=\"", name);
    xml_escape(out, value);
    fputc('"', out);
}

/* The path segments of an http(s) URL after its host: "/@Gargron" of https://h/@Gargron. */
static const char *url_path(const char *url)
{
    const char *p = strstr(url, "://");
    if (!p) return NULL;
    p = strchr(p + 3, '/');
    return p && !strchr(p, '?') ? p : NULL;
}

/* The feed other readers can use for a platform subscription: the RSS/Atom URL the platform
 * itself offers (Mastodon accounts and tags, Bluesky profiles, subreddits, YouTube's Atom), or
 * NULL when it offers none. */
static char *platform_feed(const struct feed_row *r)
{
    const char *kind = r->kind ? r->kind : "feed";
    const char *path = url_path(r->url);
    struct strbuf b;
    sb_init(&b);
    size_t plen = path ? strlen(path) : 0;
    while (plen > 1 && path[plen - 1] == '/') plen--;
    if (!strcmp(kind, "mastodon") && path &&
        ((path[1] == '@' && !memchr(path + 1, '/', plen - 1)) || !strncmp(path, "/tags/", 6)))
        sb_printf(&b, "%.*s%.*s.rss", (int)(path - r->url), r->url, (int)plen, path);
    else if (!strcmp(kind, "bluesky") && path && !strncmp(path, "/profile/", 9) && !memchr(path + 9, '/', plen - 9))
        sb_printf(&b, "%.*s/rss", (int)(path - r->url + plen), r->url);
    else if (!strcmp(kind, "reddit") && path && (!strncmp(path, "/r/", 3) || !strncmp(path, "/user/", 6)) &&
             !strstr(path, ".json"))
        sb_printf(&b, "%.*s/.rss", (int)(path - r->url + plen), r->url);
    else if (!strcmp(kind, "youtube")) {
        const char *e = r->endpoint && strstr(r->endpoint, "/feeds/videos.xml") ? r->endpoint : NULL;
        struct subscription sub = {.url = r->url, .kind = "youtube"};
        struct strbuf req;
        sb_init(&req);
        struct error err;
        error_clear(&err);
        if (!e && source_youtube.request(&sub, &req, &err) == 0 && req.s && strstr(req.s, "/feeds/videos.xml"))
            sb_adds(&b, req.s);
        else if (e)
            sb_adds(&b, e);
        sb_free(&req);
    }
    return b.len ? sb_steal(&b) : (sb_free(&b), NULL);
}

static int is_api_url(const char *u) { return strstr(u, "/api/") || strstr(u, "/xrpc/") || strstr(u, ".json"); }

int app_export_opml(struct app *app, FILE *out, struct error *err)
{
    struct feed_row *rows;
    size_t n;
    if (store_feeds(app->store, &rows, &n, err) < 0) return -1;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\" xmlns:winnow=\"urn:winnow:opml:1\">\n"
          "  <head><title>winnow subscriptions</title></head>\n  <body>\n", out);
    for (size_t i = 0; i < n; i++) {
        const struct feed_row *r = &rows[i];
        const char *title = r->title && *r->title ? r->title : r->url;
        const char *kind = r->kind ? r->kind : "feed";
        int plain = !strcmp(kind, "feed");
        char *feed = plain ? NULL : platform_feed(r);
        const char *html = r->site_url ? r->site_url : !plain && !is_api_url(r->url) ? r->url : NULL;
        fputs("    <outline type=\"rss\"", out);
        xml_attr(out, "text", title);
        xml_attr(out, "title", title);
        xml_attr(out, "xmlUrl", feed ? feed : r->url);
        if (html) xml_attr(out, "htmlUrl", html);
        if (r->tags && *r->tags) xml_attr(out, "category", r->tags);
        if (!plain || feed) {
            xml_attr(out, "winnow:kind", kind);
            xml_attr(out, "winnow:url", r->url);
        }
        fputs("/>\n", out);
        free(feed);
    }
    fputs("  </body>\n</opml>\n", out);
    store_feed_rows_free(rows, n);
    return 0;
}
