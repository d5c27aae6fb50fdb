/* SPDX-License-Identifier: ISC */
/* Reading subcommands: refresh and items. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "date.h"

static int resolve_feed(struct app *app, const char *arg, int64_t *id)
{
    struct feed_row row;
    struct error err;
    error_clear(&err);
    if (store_feed_get(app->store, arg, &row, &err) < 0) {
        cli_error("%s", err.msg);
        return -1;
    }
    *id = row.id;
    store_feed_row_free(&row);
    return 0;
}

static void print_event(const struct refresh_event *ev, void *user)
{
    (void)user;
    const char *name = ev->feed->title && *ev->feed->title ? ev->feed->title : ev->feed->url;
    switch (ev->status) {
    case REFRESH_NEW:
        char col[512];
        printf("  new        %s %d new item%s (%d in feed)\n", cli_col(col, sizeof col, name, 40, 0),
               ev->new_items, ev->new_items == 1 ? "" : "s", ev->items);
        if (ev->message) printf("             %s\n", ev->message);
        break;
    case REFRESH_UNCHANGED:
        printf("  unchanged  %s\n", name);
        if (ev->message) printf("             %s\n", ev->message);
        break;
    case REFRESH_FAILED: printf("  error      %s: %s\n", ev->feed->url, ev->message); break;
    }
    fflush(stdout);
}

static const struct cli_opt refresh_opts[] = {
    {'j', "jobs", CLI_ARG, "N", CLI_OPT_SHORT, "parallel transfers, 1 to 256 (else the config's jobs)"},
    {'q', "quiet", CLI_NO_ARG, NULL, CLI_OPT_SHORT, "only the summary, no line per feed"},
    {'S', "no-scan", CLI_NO_ARG, NULL, 0, "fetch no media for provenance scans"},
    {0, NULL, 0, NULL, 0, NULL},
};

static int refresh_exec(struct app *app, const struct cli_args *a)
{
    int jobs = 0, quiet = cli_has(a, 'q') > 0;
    const char *j = cli_get(a, 'j');
    if (j) {
        jobs = atoi(j);
        if (jobs < 1 || jobs > 256) return cli_usage_error("refresh", "--jobs takes 1..256");
    }
    if (cli_has(a, 'S')) app->no_scan = 1;   /* no media fetched: their verdicts say "not checked yet" */
    size_t n = (size_t)a->argc;
    int64_t *ids = xcalloc(n ? n : 1, sizeof *ids);
    for (size_t i = 0; i < n; i++)
        if (resolve_feed(app, a->argv[i], &ids[i]) < 0) { free(ids); return 1; }
    struct refresh_report rep;
    struct error err;
    error_clear(&err);
    int rc = app_refresh(app, ids, n, jobs, quiet ? NULL : print_event, NULL, &rep, &err);
    free(ids);
    if (rc < 0) {
        cli_error("%s", err.msg);
        return 1;
    }
    if (rep.feeds == 0) {
        printf("No feeds to refresh.  Add one with: winnow add URL\n");
        return 0;
    }
    printf("%zu feed%s: %zu updated, %zu unchanged, %zu failed; %zu new item%s in %.2f s\n", rep.feeds,
           rep.feeds == 1 ? "" : "s", rep.updated, rep.unchanged, rep.failed, rep.new_items,
           rep.new_items == 1 ? "" : "s", rep.elapsed_ms / 1000.0);
    if (rep.store_errors)
        cli_error("%zu store write%s failed (the first: %s)", rep.store_errors, rep.store_errors == 1 ? "" : "s",
                  rep.store_error);
    if (app->store_errors) {
        cli_error("%u store write%s of the media scans failed (the first: %s)", app->store_errors,
                  app->store_errors == 1 ? "" : "s", app->store_error);
        rc = 1;
    }
    return rc;
}

const struct cli_cmd_entry cli_refresh_entry = {
    .name = "refresh",
    .operands = "[FEED...]",
    .summary = "fetch feeds",
    .opts = refresh_opts,
    .help = "Fetches all feeds (or the given URLs or ids) in parallel and stores new items.  Prints one\n"
            "line per feed and a summary.  Exit status 0 when every feed succeeded, 1 when some failed\n"
            "(or a store write failed: it is named).  A failed feed keeps everything stored before.  Then,\n"
            "behind the feeds, the new items' media are fetched (thumbnails whole, images and videos their\n"
            "first 4 MiB) and scanned for Content Credentials and IPTC metadata; the verdicts are stored.\n"
            "--no-scan (or scan-media = no in the config) fetches no media: those items say \"not checked\n"
            "yet\" until winnow scan.\n",
    .needs = CLI_NEEDS_STORE,
    .exec = refresh_exec,
};

static const struct cli_opt scan_opts[] = {
    {'a', "all", CLI_NO_ARG, NULL, 0, "every item whose media are not checked yet or could not be (the default)"},
    {0, NULL, 0, NULL, 0, NULL},
};

static int scan_exec(struct app *app, const struct cli_args *a)
{
    size_t n = 0;
    int64_t *ids = xcalloc((size_t)a->argc + 1, sizeof *ids);
    for (int i = 0; i < a->argc; i++) {
        char *end;
        long long id = strtoll(a->argv[i], &end, 10);
        if (!*a->argv[i] || *end || id <= 0) {
            free(ids);
            return cli_usage_error("scan", "not an item id: %s", a->argv[i]);
        }
        ids[n++] = id;
    }
    struct error err;
    error_clear(&err);
    int rc = app_scan_items(app, ids, n, &err);
    free(ids);
    if (rc < 0) return cli_error("scan: %s", err.msg);
    int queued = app_scan_pending(app);
    while (app_scan_pending(app) > 0) app_poll(app, 1000, NULL, 0);
    printf("scanned the media of %d URL%s\n", queued, queued == 1 ? "" : "s");
    if (app->store_errors)
        return cli_error("%u store write%s failed (the first: %s)", app->store_errors,
                         app->store_errors == 1 ? "" : "s", app->store_error);
    return 0;
}

const struct cli_cmd_entry cli_scan_entry = {
    .name = "scan",
    .usage = "scan [--all | ITEM-ID...]",
    .summary = "check the media of items for provenance now",
    .opts = scan_opts,
    .help = "Fetches and scans the media of the given items, or (--all, the default) of every item whose\n"
            "media are not checked yet or could not be checked, and stores the verdicts.\n",
    .needs = CLI_NEEDS_STORE,
    .exec = scan_exec,
};

static const struct cli_opt items_opts[] = {
    {'f', "feed", CLI_ARG, "URL|ID", CLI_OPT_SHORT, "one feed's items"},
    {'u', "unread", CLI_NO_ARG, NULL, CLI_OPT_SHORT, "the unread ones"},
    {'c', "category", CLI_ARG, "NAME", CLI_OPT_SHORT, "items the feed filed under NAME"},
    {'s', "search", CLI_ARG, "TEXT", CLI_OPT_SHORT, "TEXT in the title, summary or categories"},
    {'t', "tag", CLI_ARG, "TAG", CLI_OPT_SHORT, "the items of the feeds filed under TAG"},
    {'n', "limit", CLI_ARG, "N", CLI_OPT_SHORT, "at most N items"},
    {'H', "hide", CLI_ARG, "FILTER", CLI_OPT_REPEAT, "hide what a provenance filter matches (repeatable)"},
    {'O', "only", CLI_ARG, "FILTER", CLI_OPT_REPEAT, "only what a provenance filter matches (repeatable)"},
    {'N', "no-filters", CLI_NO_ARG, NULL, 0, "without the config's hide and only lines"},
    {'J', "json", CLI_NO_ARG, NULL, CLI_OPT_SHORT, "one JSON array of objects"},
    {0, NULL, 0, NULL, 0, NULL},
};

static int items_exec(struct app *app, const struct cli_args *a)
{
    struct item_query q = {0};
    int json = cli_has(a, 'J') > 0, no_filters = cli_has(a, 'N') > 0;
    size_t nh, no;
    const char *const *hide = cli_all(a, 'H', &nh), *const *only = cli_all(a, 'O', &no);
    if (nh > CONFIG_MAX_PROV) return cli_usage_error("items", "at most %d --hide", CONFIG_MAX_PROV);
    if (no > CONFIG_MAX_PROV) return cli_usage_error("items", "at most %d --only", CONFIG_MAX_PROV);
    const char *limit = cli_get(a, 'n');
    if (limit) {
        q.limit = atoll(limit);
        if (q.limit < 1) return cli_usage_error("items", "--limit takes a positive number");
    }
    q.unread_only = cli_has(a, 'u') > 0;
    q.search = cli_get(a, 's');
    q.tag = cli_get(a, 't');
    q.category = cli_get(a, 'c');
    if (a->argc) return cli_usage_error("items", "unexpected argument %s", a->argv[0]);
    const char *feed = cli_get(a, 'f');
    if (feed && resolve_feed(app, feed, &q.feed_id) < 0) return 1;
    struct item_sink sink;
    item_sink_init(&sink);
    struct error err;
    error_clear(&err);
    /* curation on the stored verdicts: the config's hide/only unless --no-filters, and these */
    int frc = no_filters ? 0 : app_curation_masks(app, 0, &q.prov_hide, &q.prov_only, &err);
    if (frc == 0) frc = app_filter_masks(hide, nh, only, no, &q.prov_hide, &q.prov_only, &err);
    if (frc < 0) return cli_error("items: %s", err.msg);
    if (store_items(app->store, &q, &sink, &err) < 0) {
        cli_error("%s", err.msg);
        item_sink_free(&sink);
        return 1;
    }
    if (json) {
        cJSON *arr = cJSON_CreateArray();
        for (size_t i = 0; i < sink.n; i++) cJSON_AddItemToArray(arr, cli_item_json(app, &sink.items[i]));
        char *s = cJSON_Print(arr);
        puts(s);
        free(s);
        cJSON_Delete(arr);
    } else {
        for (size_t i = 0; i < sink.n; i++) {
            const struct item *it = &sink.items[i];
            char t[32] = "";
            if (it->published >= 0) date_rfc3339(it->published, t, sizeof t);
            t[10] = t[0] ? 0 : t[10];
            char ft[128];
            printf("%6lld %c %-10s  %s  %s\n", (long long)it->id, it->read ? ' ' : 'N',
                   t[0] ? t : "          ", cli_col(ft, sizeof ft, it->feed_title, 20, 1),
                   it->title ? it->title : "(untitled)");
        }
    }
    item_sink_free(&sink);
    return 0;
}

const struct cli_cmd_entry cli_items_entry = {
    .name = "items",
    .summary = "list items, newest first",
    .opts = items_opts,
    .help = "Prints items newest first.  --json prints one array of objects (id, feed, title, author,\n"
            "url, published as RFC 3339, thumbnail, media {url, type, duration}, categories,\n"
            "enclosures [{url, type, length}], provenance, ...).  --category keeps items the feed filed\n"
            "under NAME (a whole category, ASCII case ignored); --search matches title, summary and\n"
            "categories where a word starts (\"snake_ca\" finds snake_case).  --hide and --only curate by\n"
            "the stored provenance verdicts (the names of winnow help badge: ai-generated, ai-edited,\n"
            "ai, credentials-valid, ..., withheld), on top of the config's\n"
            "hide/only lines unless --no-filters.  --feed shows one feed's items, --tag those of the feeds\n"
            "filed under a tag, --unread the unread ones, --limit at most N.\n",
    .needs = CLI_NEEDS_STORE,
    .exec = items_exec,
};
