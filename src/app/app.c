#include "app.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
    if (parse_rules(app, err) < 0) {
        app_close(app);
        return -1;
    }
    app->store = store_open(app->db_path, err);
    if (!app->store) {
        app_close(app);
        return -1;
    }
    return 0;
}

void app_close(struct app *app)
{
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

int app_add_feed(struct app *app, const char *url, const char *kind, const char *title,
                 const char *tags, int64_t *id_out, const char **picked_out, struct error *err)
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
    char *t = title ? text_sanitize_dup(title, strlen(title), TEXT_MAX_TITLE, 0) : NULL;
    char *g = tags ? text_sanitize_dup(tags, strlen(tags), TEXT_MAX_NAME, 0) : NULL;
    int rc = store_feed_add(app->store, url, src->name, t, g, id_out, err);
    free(t);
    free(g);
    if (rc == 0 && picked_out) *picked_out = src->name;
    return rc;
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
