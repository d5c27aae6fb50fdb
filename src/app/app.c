/* SPDX-License-Identifier: ISC */
#include "app.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "app_int.h"
#include "prov.h"
#include "source.h"
#include "ytdlp.h"
#include "text.h"

char *app_xdg_dir(const char *env, const char *fallback_rel)
{
    const char *v = getenv(env);
    struct strbuf b;
    sb_init(&b);
    if (v && *v == '/') {
        sb_printf(&b, "%s/winnow", v);
    } else {
        const char *home = getenv("HOME");
        sb_printf(&b, "%s/%s/winnow", (home && *home) ? home : ".", fallback_rel);
    }
    return sb_steal(&b);
}

/* A misspelt filter name stops the start like any other bad line, once, with its line, naming the
 * valid names: checked later, it would only flash past in the reader. */
static int check_filters(struct app *app, struct error *err)
{
    const struct config *c = &app->cfg;
    for (size_t i = 0; i < c->n_prov_filters; i++) {
        int known = 0;
        for (const char *const *f = prov_filter_names(); *f && !known; f++) known = !strcmp(*f, c->prov_filters[i].action);
        if (known) continue;
        struct strbuf b;
        sb_init(&b);
        for (const char *const *f = prov_filter_names(); *f; f++) sb_printf(&b, "%s%s", b.len ? ", " : "", *f);
        error_set(err, "%s:%d: no filter \"%s\" for %s (the filters: %s)", app->config_path, c->prov_filters[i].line,
                  c->prov_filters[i].action, c->prov_filters[i].key, b.s);
        sb_free(&b);
        return -1;
    }
    return 0;
}

/* Rules are checked at start, like every other key, so a typo shows at once and not as items
 * quietly left unfiled at the next refresh. */
static int parse_rules(struct app *app, struct error *err)
{
    const struct config *c = &app->cfg;
    if (!c->n_auto_lists) return 0;
    app->rules = xcalloc(c->n_auto_lists, sizeof *app->rules);
    for (size_t i = 0; i < c->n_auto_lists; i++) {
        struct error e;
        error_clear(&e);
        if (lists_rule_parse(c->auto_lists[i].text, &app->rules[i], &e) < 0) {
            error_set(err, "%s:%d: %s", app->config_path, c->auto_lists[i].line, e.msg);
            return -1;
        }
        app->n_rules++;
    }
    return 0;
}

int app_open(struct app *app, const struct app_paths *paths, struct error *err)
{
    memset(app, 0, sizeof *app);
    config_defaults(&app->cfg);
    app->data_dir = app_xdg_dir("XDG_DATA_HOME", ".local/share");
    app->cache_dir = app_xdg_dir("XDG_CACHE_HOME", ".cache");
    app->config_dir = app_xdg_dir("XDG_CONFIG_HOME", ".config");

    const char *cfg = paths && paths->config ? paths->config : getenv("WINNOW_CONFIG");
    int optional = !(cfg && *cfg);
    if (cfg && *cfg) {
        app->config_path = xstrdup(cfg);
    } else {
        struct strbuf b;
        sb_init(&b);
        sb_printf(&b, "%s/config", app->config_dir);
        app->config_path = sb_steal(&b);
    }
    if (config_load(&app->cfg, app->config_path, optional, err) < 0) {
        app_close(app);
        return -1;
    }
    app_sources_configure(app);   /* hook: ytdlp-path and bridge-x for the adapters */

    const char *db = paths && paths->db ? paths->db : getenv("WINNOW_DB");
    if (db && *db) {
        app->db_path = xstrdup(db);
    } else {
        struct strbuf b;
        sb_init(&b);
        sb_printf(&b, "%s/winnow.db", app->data_dir);
        app->db_path = sb_steal(&b);
    }
    if (check_filters(app, err) < 0 || parse_rules(app, err) < 0) {
        app_close(app);
        return -1;
    }
    if (paths && paths->no_store) return 0;
    app->store = store_open(app->db_path, err);
    if (!app->store) {
        app_close(app);
        return -1;
    }
    struct store_retention keep = {app->cfg.keep_items, app->cfg.keep_read_days, app->cfg.max_new_items};
    store_set_retention(app->store, &keep);
    return 0;
}

struct fetcher *app_fetcher_jobs(struct app *app, int jobs)
{
    if (app->fetcher) return app->fetcher;
    struct fetch_opts o;
    fetch_opts_default(&o);
    o.max_total = jobs > 0 ? jobs : app->cfg.jobs;
    o.max_per_host = app->cfg.jobs_per_host;
    o.timeout_s = app->cfg.timeout;
    o.connect_timeout_s = app->cfg.connect_timeout;
    o.max_body = (size_t)app->cfg.max_body_mb << 20;
    /* NULL when curl_global_init or curl_multi_init failed; the next call tries again */
    app->fetcher = fetch_new(&o);
    return app->fetcher;
}

struct fetcher *app_fetcher(struct app *app) { return app_fetcher_jobs(app, 0); }

int app_poll(struct app *app, int timeout_ms, struct fetch_waitfd *extra, unsigned n_extra)
{
    struct fetcher *f = app_fetcher(app);
    return f ? fetch_poll(f, timeout_ms, extra, n_extra) : -1;
}

int app_busy(const struct app *app) { return app->fetcher ? fetch_pending(app->fetcher) : 0; }

struct fetch_one {
    int done, ok;
    char *body;
    size_t len;
    char error[256];
};

static void on_one(const struct fetch_result *r, void *user)
{
    struct fetch_one *g = user;
    g->done = 1;
    g->ok = r->ok && !r->not_modified;
    if (g->ok) {
        g->body = xmalloc(r->len + 1);
        memcpy(g->body, r->body, r->len);
        g->body[r->len] = 0;
        g->len = r->len;
    } else {
        snprintf(g->error, sizeof g->error, "%s", r->error[0] ? r->error : "no body");
    }
}

int app_arg_is_url(const char *s)
{
    return item_url_is_http(s) || !strncasecmp(s, "file://", 7);
}

int app_fetch_one(struct app *app, const char *url, size_t max, long range_end, int allow_file,
                  char **body, size_t *len, struct error *err)
{
    struct fetch_one g = {0};
    struct fetcher *f = app_fetcher(app);
    if (!f) {
        error_set(err, "%s", APP_NO_FETCHER);
        return -1;
    }
    struct fetch_req req = {.url = url, .range_end = range_end, .allow_file = allow_file, .tag = &g};
    fetch_add(f, &req, on_one, &g);
    while (!g.done && fetch_pending(f) > 0) fetch_poll(f, 1000, NULL, 0);
    if (g.ok && g.len > max) {
        free(g.body);
        g.ok = 0;
        snprintf(g.error, sizeof g.error, "larger than %zu bytes", max);
    }
    if (!g.ok) {
        char *u = text_sanitize_dup(url, strlen(url), TEXT_MAX_URL, 0);
        error_set(err, "%s: %s", u, g.error[0] ? g.error : "fetch failed");
        free(u);
        return -1;
    }
    *body = g.body;
    *len = g.len;
    return 0;
}

void app_note_store_error(struct app *app, const char *what, const struct error *err)
{
    if (!app->store_errors++)
        snprintf(app->store_error, sizeof app->store_error, "%.100s: %.200s", what,
                 err && err->msg[0] ? err->msg : "store error");
}

void app_close(struct app *app)
{
    app_prov_free(app);
    if (app->fetcher) fetch_free(app->fetcher);
    if (app->store) store_close(app->store);
    for (size_t i = 0; i < app->n_rules; i++) lists_rule_free(&app->rules[i]);
    free(app->rules);
    free(app->db_path);
    free(app->config_path);
    free(app->data_dir);
    free(app->cache_dir);
    free(app->config_dir);
    memset(app, 0, sizeof *app);
}

static int url_acceptable(const char *url)
{
    return !strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8) ||
           !strncasecmp(url, "file://", 7);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The path of a file:// URL ("file:///x", "file://localhost/x"), percent-decoded; NULL when the
 * URL names another host or decodes to a NUL. */
static char *file_url_path(const char *url)
{
    const char *p = url + 7;
    if (!strncasecmp(p, "localhost/", 10)) p += 9;
    if (*p != '/') return NULL;
    size_t n = strcspn(p, "?#");
    char *out = xmalloc(n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (p[i] == '%' && i + 2 < n && (hi = hexval(p[i + 1])) >= 0 && (lo = hexval(p[i + 2])) >= 0) {
            char c = (char)(hi * 16 + lo);
            if (!c) {
                free(out);
                return NULL;
            }
            out[j++] = c;
            i += 2;
        } else {
            out[j++] = p[i];
        }
    }
    out[j] = 0;
    return out;
}

int app_local_feed_check(const char *url, struct error *err)
{
    char *path = file_url_path(url);
    if (!path) {
        error_set(err, "%s: only this machine's files can be subscribed (file:///path)", url);
        return -1;
    }
    struct stat st;
    int rc = 0;
    if (stat(path, &st) != 0) {
        error_set(err, "%s: %s", path, strerror(errno));
        rc = -1;
    } else if (!S_ISREG(st.st_mode)) {
        error_set(err, "%s is not a regular file (a device, FIFO or socket is never read)", path);
        rc = -1;
    }
    free(path);
    return rc;
}

int app_add_validate(const char *url, const char *kind, const struct source **src_out, struct error *err)
{
    if (!url || !*url) {
        error_set(err, "add: no URL given");
        return -1;
    }
    char *clean = text_sanitize_dup(url, strlen(url), TEXT_MAX_URL, 0);
    if (strcmp(clean, url) != 0 || strchr(url, ' ')) {
        error_set(err, "add: the URL holds spaces or control characters");
        free(clean);
        return -1;
    }
    free(clean);
    if (!url_acceptable(url)) {
        error_set(err, "add: %s: only http://, https:// and file:// URLs can be subscribed", url);
        return -1;
    }
    if (!strncasecmp(url, "file://", 7) && app_local_feed_check(url, err) < 0) {
        error_prefix(err, "add");
        return -1;
    }
    const struct source *src;
    if (kind && *kind) {
        src = source_by_name(kind);
        if (!src) {
            struct strbuf b;
            sb_init(&b);
            for (const struct source *const *s = source_all(); *s; s++)
                sb_printf(&b, "%s%s", b.len ? ", " : "", (*s)->name);
            error_set(err, "add: unknown kind \"%s\" (known: %s)", kind, b.s ? b.s : "");
            sb_free(&b);
            return -1;
        }
    } else {
        src = source_for_url(url);
    }
    /* a URL the adapter cannot turn into a request fails now, not at every refresh */
    struct subscription sub = {.url = url, .kind = src->name};
    struct strbuf req;
    sb_init(&req);
    int ok = src->request(&sub, &req, err) == 0;
    sb_free(&req);
    if (!ok) {
        error_prefix(err, "add");
        return -1;
    }
    *src_out = src;
    return 0;
}

int app_add_feed_as_is(struct app *app, const char *url, const char *kind, const char *title,
                       const char *tags, int64_t *id_out, const char **picked_out, struct error *err)
{
    const struct source *src;
    if (app_add_validate(url, kind, &src, err) < 0) return -1;
    char *t = title ? text_sanitize_dup(title, strlen(title), TEXT_MAX_TITLE, 0) : NULL;
    char *g = tags ? text_sanitize_dup(tags, strlen(tags), TEXT_MAX_NAME, 0) : NULL;
    int rc = store_feed_add(app->store, url, src->name, t, g, id_out, err);
    free(t);
    free(g);
    if (rc == 0 && picked_out) *picked_out = src->name;
    return rc;
}

int app_add_feed(struct app *app, const char *url, const char *kind, const char *title,
                 const char *tags, int64_t *id_out, const char **picked_out, struct error *err)
{
    /* the same feed under another spelling (HTTP://, a trailing slash, its API URL) is one feed */
    int64_t dup = url ? app_feed_duplicate(app, url, kind) : 0;
    if (dup) {
        error_set(err, "already subscribed as feed %lld", (long long)dup);
        return -1;
    }
    return app_add_feed_as_is(app, url, kind, title, tags, id_out, picked_out, err);
}

int app_remove_feed(struct app *app, const char *url_or_id, struct error *err)
{
    struct feed_row row;
    if (store_feed_get(app->store, url_or_id, &row, err) < 0) return -1;
    int rc = store_feed_remove(app->store, row.id, err);
    store_feed_row_free(&row);
    return rc;
}

int app_feed_plan(struct app *app, const char *url, const char *kind, struct strbuf *out,
                  struct error *err)
{
    (void)app;
    const struct source *src = kind && *kind ? source_by_name(kind) : source_for_url(url);
    if (!src) {
        error_set(err, "unknown kind \"%s\"", kind);
        return -1;
    }
    struct subscription sub = {.url = url, .kind = src->name};
    return source_describe(src, &sub, out, err);
}
