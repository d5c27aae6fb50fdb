/* SPDX-License-Identifier: ISC */
/* Reading subcommands: refresh and items. */
#include <getopt.h>
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
    case REFRESH_UNCHANGED: printf("  unchanged  %s\n", name); break;
    case REFRESH_FAILED: printf("  error      %s: %s\n", ev->feed->url, ev->message); break;
    }
    fflush(stdout);
}

int cmd_refresh(struct app *app, int argc, char **argv)
{
    static const struct option opts[] = {{"jobs", required_argument, 0, 'j'}, {"quiet", no_argument, 0, 'q'},
                                         {"no-scan", no_argument, 0, 'S'}, {0, 0, 0, 0}};
    int jobs = 0, quiet = 0, c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "j:q", opts, NULL)) != -1) {
        if (c == 'j') {
            jobs = atoi(optarg);
            if (jobs < 1 || jobs > 256) return cli_usage_error("refresh", "--jobs takes 1..256");
        } else if (c == 'q') {
            quiet = 1;
        } else if (c == 'S') {
            app->no_scan = 1;   /* no media fetched: their verdicts say "not checked yet" */
        } else {
            return cli_usage_error("refresh", "bad option");
        }
    }
    size_t n = (size_t)(argc - optind);
    int64_t *ids = xcalloc(n ? n : 1, sizeof *ids);
    for (size_t i = 0; i < n; i++)
        if (resolve_feed(app, argv[optind + (int)i], &ids[i]) < 0) { free(ids); return 1; }
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
    return rc;
}

int cmd_scan(struct app *app, int argc, char **argv)
{
    size_t n = 0;
    int64_t *ids = xcalloc((size_t)argc, sizeof *ids);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--all")) continue;
        char *end;
        long long id = strtoll(argv[i], &end, 10);
        if (!*argv[i] || *end || id <= 0) {
            free(ids);
            return cli_usage_error("scan", "not an item id: %s", argv[i]);
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
    return 0;
}

int cmd_items(struct app *app, int argc, char **argv)
{
    static const struct option opts[] = {
        {"feed", required_argument, 0, 'f'}, {"unread", no_argument, 0, 'u'},
        {"limit", required_argument, 0, 'n'}, {"json", no_argument, 0, 'J'},
        {"search", required_argument, 0, 's'}, {"tag", required_argument, 0, 't'},
        {"hide", required_argument, 0, 'H'}, {"only", required_argument, 0, 'O'},
        {"no-filters", no_argument, 0, 'N'}, {"category", required_argument, 0, 'c'}, {0, 0, 0, 0}};
    struct item_query q = {0};
    int json = 0, c, no_filters = 0;
    const char *hide[CONFIG_MAX_PROV], *only[CONFIG_MAX_PROV];
    size_t nh = 0, no = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:un:Js:t:c:", opts, NULL)) != -1) {
        switch (c) {
        case 'H':
            if (nh == CONFIG_MAX_PROV) return cli_usage_error("items", "at most %d --hide", CONFIG_MAX_PROV);
            hide[nh++] = optarg;
            break;
        case 'O':
            if (no == CONFIG_MAX_PROV) return cli_usage_error("items", "at most %d --only", CONFIG_MAX_PROV);
            only[no++] = optarg;
            break;
        case 'N': no_filters = 1; break;
        case 'f':
            if (resolve_feed(app, optarg, &q.feed_id) < 0) return 1;
            break;
        case 'u': q.unread_only = 1; break;
        case 'n':
            q.limit = atoll(optarg);
            if (q.limit < 1) return cli_usage_error("items", "--limit takes a positive number");
            break;
        case 'J': json = 1; break;
        case 's': q.search = optarg; break;
        case 't': q.tag = optarg; break;
        case 'c': q.category = optarg; break;
        default: return cli_usage_error("items", "bad option");
        }
    }
    if (optind != argc) return cli_usage_error("items", "unexpected argument %s", argv[optind]);
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
