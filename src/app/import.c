/* Import and export of subscriptions: OPML 1.0/2.0 (read with expat, nested outlines become tags)
 * and newsboat's urls file (URL, tags, "~Title"). */
#include <ctype.h>
#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
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
    int allow_file;
    int added, skipped;
    struct strbuf *refused;
};

static void add_one(void *ud, const char *url, const char *title, const char *tags)
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
    if (app_add_feed(ic->app, url, NULL, title, tags, &id, NULL, &e) == 0) ic->added++;
    else ic->skipped++;
}

static void XMLCALL opml_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct opml_ctx *c = ud;
    c->depth++;
    if (!strcasecmp(name, "body")) c->body_seen = 1;
    if (strcasecmp(name, "outline") != 0) return;
    const char *url = attr(atts, "xmlUrl");
    const char *title = attr(atts, "title");
    if (!title) title = attr(atts, "text");
    if (title && url && !strcmp(title, url)) title = NULL;   /* exporters fill text with the URL */
    if (url && *url) {
        struct strbuf tags;
        sb_init(&tags);
        for (int i = 0; i < c->nfolders; i++) sb_printf(&tags, "%s%s", tags.len ? "," : "", c->folders[i]);
        const char *cat = attr(atts, "category");
        if (cat && *cat) sb_printf(&tags, "%s%s", tags.len ? "," : "", cat[0] == '/' ? cat + 1 : cat);
        c->each(c->ud, url, title, tags.len ? tags.s : NULL);
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
        add_one(ic, words[0], title, tags.len ? tags.s : NULL);
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
    struct import_counts ic = {.app = app, .allow_file = allow_file, .refused = refused};
    int rc;
    if (*p == '<') rc = import_opml(&ic, buf, len, path, err);
    else rc = import_urls(&ic, buf);
    *added = ic.added;
    *skipped = ic.skipped;
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

int app_export_opml(struct app *app, FILE *out, struct error *err)
{
    struct feed_row *rows;
    size_t n;
    if (store_feeds(app->store, &rows, &n, err) < 0) return -1;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n"
          "  <head><title>winnow subscriptions</title></head>\n  <body>\n", out);
    for (size_t i = 0; i < n; i++) {
        const char *title = rows[i].title && *rows[i].title ? rows[i].title : rows[i].url;
        fputs("    <outline type=\"rss\" text=\"", out);
        xml_escape(out, title);
        fputs("\" title=\"", out);
        xml_escape(out, title);
        fputs("\" xmlUrl=\"", out);
        xml_escape(out, rows[i].url);
        fputs("\"", out);
        if (rows[i].site_url) { fputs(" htmlUrl=\"", out); xml_escape(out, rows[i].site_url); fputs("\"", out); }
        if (rows[i].tags && *rows[i].tags) { fputs(" category=\"", out); xml_escape(out, rows[i].tags); fputs("\"", out); }
        if (rows[i].kind && strcmp(rows[i].kind, "feed") != 0) {
            fputs(" winnowKind=\"", out); xml_escape(out, rows[i].kind); fputs("\"", out);
        }
        fputs("/>\n", out);
    }
    fputs("  </body>\n</opml>\n", out);
    store_feed_rows_free(rows, n);
    return 0;
}
