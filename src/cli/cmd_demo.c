/* SPDX-License-Identifier: ISC */
/* `winnow demo`: subscribes a separate database to the bundled offline feeds (file:// URLs) and
 * opens the reader on them, so a new user sees winnow work without touching the network. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* post.html is one page (the link adapter), the rest are feeds */
static const char *const demo_files[] = {"slow-news.rss", "clips.atom", "notes.json", "post.html", NULL};

static int is_demo_dir(const char *d)
{
    char p[PATH_MAX];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", d, demo_files[0]);
    return stat(p, &st) == 0;
}

/* A list with two items, in the list "watch later" a fresh database has: the clip and the signed
 * photo.  Only once: a list the user has changed is theirs. */
static int demo_list(struct app *app, struct error *err)
{
    static const char *const guids[] = {"urn:winnow:demo:clips:1", "demo-slow-1"};
    struct list_row list;
    int64_t list_id;
    if (lists_find(app->store, "watch later", &list, err) < 0) {
        error_clear(err);
        if (lists_create(app->store, "watch later", &list_id, err) < 0) return -1;
    } else {
        int64_t had = list.count;
        list_id = list.id;
        lists_row_free(&list);
        if (had) return 0;
    }
    struct item_query q = {0};
    q.limit = 100;
    struct item_sink s;
    item_sink_init(&s);
    if (store_items(app->store, &q, &s, err) < 0) {
        item_sink_free(&s);
        return -1;
    }
    int64_t ids[2] = {0, 0};
    size_t n = 0;
    for (size_t g = 0; g < 2; g++)
        for (size_t i = 0; i < s.n; i++)
            if (s.items[i].guid && !strcmp(s.items[i].guid, guids[g])) ids[n++] = s.items[i].id;
    item_sink_free(&s);
    size_t added;
    return n ? lists_add(app->store, list_id, ids, n, &added, err) : 0;
}

static const struct cli_opt demo_opts[] = {
    {'n', "no-tui", CLI_NO_ARG, NULL, 0, "subscribe and refresh, but do not open the reader"},
    {0, NULL, 0, NULL, 0, NULL},
};

static int demo_exec(struct app *app, const struct cli_args *a)
{
    int tui = isatty(STDOUT_FILENO) && isatty(STDIN_FILENO) && !cli_has(a, 'n');
    if (a->argc > 1) return cli_usage_error("demo", "one folder of demo feeds at most");
    const char *dir = a->argc ? a->argv[0] : NULL;
    if (!dir) {
        const char *env = getenv("WINNOW_DEMO_DIR");
        if (env && is_demo_dir(env)) dir = env;
        else if (is_demo_dir(WINNOW_DATADIR "/demo")) dir = WINNOW_DATADIR "/demo";
        else if (is_demo_dir("demo-data")) dir = "demo-data";   /* the build tree's, signed */
        else if (is_demo_dir("data/demo")) dir = "data/demo";
    }
    if (!dir || !is_demo_dir(dir)) {
        fprintf(stderr, "winnow: the demo feeds were not found; give their folder: winnow demo DIR\n");
        return 1;
    }
    char abs[PATH_MAX];
    if (!realpath(dir, abs)) {
        cli_error("%s: cannot resolve the path", dir);
        return 1;
    }
    for (const char *const *f = demo_files; *f; f++) {
        char url[PATH_MAX + 64];
        snprintf(url, sizeof url, "file://%s/%s", abs, *f);
        struct error err;
        error_clear(&err);
        int64_t id;
        struct feed_row row;
        if (store_feed_get(app->store, url, &row, &err) == 0) {
            store_feed_row_free(&row);
            continue;
        }
        const char *kind = strstr(*f, ".html") ? "link" : NULL;
        if (app_add_feed(app, url, kind, NULL, "demo", &id, NULL, &err) < 0) {
            cli_error("%s", err.msg);
            return 1;
        }
    }
    struct refresh_report rep;
    struct error err;
    error_clear(&err);
    int rc = app_refresh(app, NULL, 0, 0, NULL, NULL, &rep, &err);
    if (rc < 0) {
        cli_error("%s", err.msg);
        return 1;
    }
    if (demo_list(app, &err) < 0) {
        cli_error("%s", err.msg);
        return 1;
    }
    /* demo keeps the raw streams for the reader: its paths pass the sanitiser here */
    struct strbuf line;
    sb_init(&line);
    sb_printf(&line, "demo: %zu feeds from %s, %zu new items, %zu failed (database %s)\n", rep.feeds, abs,
              rep.new_items, rep.failed, app->db_path);
    cli_fputs_clean(line.s, stdout);
    sb_free(&line);
    if (tui) return ui_run(app);
    return rc;
}

const struct cli_cmd_entry cli_demo_entry = {
    .name = "demo",
    .operands = "[DIR]",
    .operands_first = 1,
    .summary = "open the bundled offline demo feeds",
    .opts = demo_opts,
    .help = "Subscribes a separate database (demo.db beside the usual one, unless --db is given) to the\n"
            "bundled demo feeds as file:// URLs, refreshes them and opens the reader.\n",
    .needs = CLI_NEEDS_STORE,
    .raw_output = 1,
    .exec = demo_exec,
};
