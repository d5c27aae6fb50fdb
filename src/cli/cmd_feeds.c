/* SPDX-License-Identifier: ISC */
/* Subscription subcommands: add, remove, feeds, import, export. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "date.h"
#include "login.h"

int cmd_add(struct app *app, int argc, char **argv)
{
    static const struct option opts[] = {
        {"kind", required_argument, 0, 'k'}, {"title", required_argument, 0, 't'},
        {"tag", required_argument, 0, 'g'}, {"link", no_argument, 0, 'l'},
        {"insecure-tls", no_argument, 0, 'I'}, {"offline", no_argument, 0, 'O'},
        {"pick", required_argument, 0, 'p'}, {"via", required_argument, 0, 'V'}, {0, 0, 0, 0}};
    struct app_add_opts o = {0};
    int link = 0;
    struct strbuf tags;
    sb_init(&tags);
    optind = 0;
    int c;
    while ((c = getopt_long(argc, argv, "k:t:g:l", opts, NULL)) != -1) {
        switch (c) {
        case 'k': o.kind = optarg; break;
        case 't': o.title = optarg; break;
        case 'l': link = 1; break;
        case 'I': o.insecure_tls = 1; break;
        case 'O': o.offline = 1; break;
        case 'V':
            /* --via yt-dlp: the page is read by the external program (the ytdlp kind) */
            if (strcmp(optarg, "yt-dlp") && strcmp(optarg, "ytdlp")) {
                sb_free(&tags);
                return cli_usage_error("add", "--via knows only yt-dlp");
            }
            o.kind = "ytdlp";
            break;
        case 'p': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > APP_DISCOVER_MAX) {
                sb_free(&tags);
                return cli_usage_error("add", "--pick takes a number from 1 to %d", APP_DISCOVER_MAX);
            }
            o.pick = (int)v;
            break;
        }
        case 'g':
            if (strchr(optarg, ',')) { sb_free(&tags); return cli_usage_error("add", "a tag cannot contain a comma"); }
            sb_printf(&tags, "%s%s", tags.len ? "," : "", optarg);
            break;
        default: sb_free(&tags); return cli_usage_error("add", "bad option");
        }
    }
    if (optind != argc - 1) { sb_free(&tags); return cli_usage_error("add", "give exactly one URL"); }
    if (link && o.kind && strcmp(o.kind, "link")) {
        sb_free(&tags);
        return cli_usage_error("add", "--link and --kind %s contradict each other", o.kind);
    }
    if (link) o.kind = "link";
    o.url = argv[optind];
    o.tags = tags.len ? tags.s : NULL;
    struct error err;
    error_clear(&err);
    /* mastodon:home and the other timeline names of a login become their API URL; the login was
     * checked when it was made, and an unauthenticated check of the URL would only see a 401 */
    char *tl_url = NULL, *tl_title = NULL;
    const char *tl_kind = o.kind;
    int tl = o.kind ? 1 : app_login_resolve(app, o.url, &tl_url, &tl_kind, &tl_title, &err);
    if (tl < 0) {
        sb_free(&tags);
        return cli_error("%s", err.msg);
    }
    if (tl == 0) {
        o.url = tl_url;
        o.kind = tl_kind;
        if (!o.title) o.title = tl_title;
        o.offline = 1;
    }
    struct app_add_result res;
    int rc = app_subscribe(app, &o, &res, &err);
    sb_free(&tags);
    if (rc < 0) {
        cli_error("%s", err.msg);
        app_add_result_free(&res);
        free(tl_url);
        free(tl_title);
        return 1;
    }
    if (tl == 0 && !res.existing) {
        printf("added feed %lld: %s (%s: %s, read with your login)\n", (long long)res.id, res.url, res.kind,
               tl_title ? tl_title : "");
        app_add_result_free(&res);
        free(tl_url);
        free(tl_title);
        return 0;
    }
    free(tl_url);
    free(tl_title);
    if (res.existing) {
        /* the goal (being subscribed) is reached: not an error */
        printf("already subscribed as feed %lld\n", (long long)res.existing);
        app_add_result_free(&res);
        return 0;
    }
    if (o.insecure_tls)
        printf("TLS not verified for this feed: anyone between you and its server can change it\n");
    if (res.found.n) {
        printf("the page names %zu feed%s; subscribing to %d:\n", res.found.n, res.found.n == 1 ? "" : "s",
               res.picked);
        for (size_t i = 0; i < res.found.n; i++)
            printf("  %c %zu: %s%s%s%s\n", (int)i + 1 == res.picked ? '*' : ' ', i + 1, res.found.url[i],
                   res.found.title[i] ? " (" : "", res.found.title[i] ? res.found.title[i] : "",
                   res.found.title[i] ? ")" : "");
        if (res.found.n > 1) printf("  (add --pick N URL subscribes to another)\n");
    }
    const char *url = res.url;
    /* say what will be fetched when it is not simply the URL given */
    struct strbuf plan;
    sb_init(&plan);
    error_clear(&err);
    int asked = o.kind && !res.found.n;
    if (app_feed_plan(app, url, res.kind, &plan, &err) < 0 || !plan.len || !strcmp(plan.s, url))
        printf("added feed %lld: %s (%s, %s)\n", (long long)res.id, url, res.kind,
               asked ? "as asked" : "picked from the URL");
    else
        printf("added feed %lld: %s (%s%s: %s)\n", (long long)res.id, url, res.kind, asked ? ", as asked" : "",
               plan.s);
    if (o.offline) printf("not checked (--offline): the first refresh will tell\n");
    sb_free(&plan);
    app_add_result_free(&res);
    return 0;
}

int cmd_remove(struct app *app, int argc, char **argv)
{
    if (argc != 2) return cli_usage_error("remove", "give one feed URL or id");
    struct error err;
    error_clear(&err);
    if (app_remove_feed(app, argv[1], &err) < 0) {
        cli_error("%s", err.msg);
        return 1;
    }
    printf("removed %s\n", argv[1]);
    return 0;
}

static void fmt_time(int64_t t, char *buf, size_t n)
{
    if (t <= 0) snprintf(buf, n, "never");
    else date_rfc3339(t, buf, n);
}

/* What a feed's items take in the database (store_feed_bytes), 0 when it cannot be said. */
static int64_t feed_bytes(struct app *app, int64_t id)
{
    struct error e;
    error_clear(&e);
    int64_t b = 0;
    return store_feed_bytes(app->store, id, &b, &e) == 0 ? b : 0;
}

static void fmt_size(int64_t b, char *buf, size_t n)
{
    if (b < 1000) snprintf(buf, n, "%lld B", (long long)b);
    else if (b < 1000000) snprintf(buf, n, "%.1f kB", b / 1e3);
    else if (b < 1000000000) snprintf(buf, n, "%.1f MB", b / 1e6);
    else snprintf(buf, n, "%.1f GB", b / 1e9);
}

int cmd_feeds(struct app *app, int argc, char **argv)
{
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) json = 1;
        else return cli_usage_error("feeds", "unknown argument %s", argv[i]);
    }
    struct feed_row *rows;
    size_t n;
    struct error err;
    error_clear(&err);
    if (store_feeds(app->store, &rows, &n, &err) < 0) {
        cli_error("%s", err.msg);
        return 1;
    }
    if (json) {
        cJSON *arr = cJSON_CreateArray();
        for (size_t i = 0; i < n; i++) {
            struct feed_row *r = &rows[i];
            cJSON *o = cJSON_CreateObject();
            char t[32];
            cJSON_AddNumberToObject(o, "id", (double)r->id);
            cJSON_AddStringToObject(o, "url", r->url);
            cJSON_AddStringToObject(o, "kind", r->kind ? r->kind : "feed");
            if (r->title) cJSON_AddStringToObject(o, "title", r->title); else cJSON_AddNullToObject(o, "title");
            cJSON *tags = cJSON_AddArrayToObject(o, "tags");
            if (r->tags && *r->tags) {
                char *copy = xstrdup(r->tags), *save = NULL;
                for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
                    cJSON_AddItemToArray(tags, cJSON_CreateString(tok));
                free(copy);
            }
            if (r->site_url) cJSON_AddStringToObject(o, "site_url", r->site_url);
            cJSON_AddNumberToObject(o, "items", (double)r->total);
            cJSON_AddNumberToObject(o, "unread", (double)r->unread);
            if (r->last_fetch > 0) { fmt_time(r->last_fetch, t, sizeof t); cJSON_AddStringToObject(o, "last_fetch", t); }
            else cJSON_AddNullToObject(o, "last_fetch");
            if (r->last_error) cJSON_AddStringToObject(o, "error", r->last_error);
            else cJSON_AddNullToObject(o, "error");
            if (r->retry_after > 0) { fmt_time(r->retry_after, t, sizeof t); cJSON_AddStringToObject(o, "retry_after", t); }
            if (r->endpoint) cJSON_AddStringToObject(o, "endpoint", r->endpoint);
            if (r->insecure_tls) cJSON_AddTrueToObject(o, "insecure_tls");
            if (r->charset) cJSON_AddStringToObject(o, "charset", r->charset);
            cJSON_AddNumberToObject(o, "bytes", (double)feed_bytes(app, r->id));
            cJSON_AddItemToArray(arr, o);
        }
        char *s = cJSON_Print(arr);
        puts(s);
        free(s);
        cJSON_Delete(arr);
    } else if (n == 0) {
        printf("No feeds yet.  Add one with: winnow add URL\n");
    } else {
        for (size_t i = 0; i < n; i++) {
            struct feed_row *r = &rows[i];
            char t[32];
            fmt_time(r->last_fetch, t, sizeof t);
            char size[32];
            fmt_size(feed_bytes(app, r->id), size, sizeof size);
            printf("%4lld  %-10s %4lld/%-4lld %8s  %s  %s%s%s%s\n", (long long)r->id, r->kind ? r->kind : "feed",
                   (long long)r->unread, (long long)r->total, size, r->title ? r->title : "(untitled)", r->url,
                   r->tags && *r->tags ? "  [" : "", r->tags && *r->tags ? r->tags : "",
                   r->tags && *r->tags ? "]" : "");
            if (r->last_error) printf("      error: %s (at %s)\n", r->last_error, t);
            if (r->insecure_tls) printf("      TLS not verified (added with --insecure-tls)\n");
            int64_t wait = r->retry_after - (int64_t)time(NULL);
            if (wait > 0) printf("      waiting: the server asked to wait; refreshes skip this feed for %lld s\n",
                                 (long long)wait);
        }
    }
    store_feed_rows_free(rows, n);
    return 0;
}

int cmd_import(struct app *app, int argc, char **argv)
{
    int allow_file = argc == 3 && !strcmp(argv[1], "--allow-file");
    if (argc != 2 + allow_file) return cli_usage_error("import", "give one file (and --allow-file to take file:// feeds)");
    const char *path = argv[1 + allow_file];
    int added, skipped;
    struct error err;
    error_clear(&err);
    struct strbuf refused;
    sb_init(&refused);
    if (app_import(app, path, allow_file, &added, &skipped, &refused, &err) < 0) {
        cli_error("%s", err.msg);
        sb_free(&refused);
        return 1;
    }
    /* the refused lines are sanitised URLs and our own words */
    if (refused.len) fprintf(stderr, "%s", refused.s);
    sb_free(&refused);
    printf("imported %d feed%s (%d skipped: already subscribed, not fetchable or refused)\n", added,
           added == 1 ? "" : "s", skipped);
    return 0;
}

int cmd_export(struct app *app, int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[1], "--opml") != 0) return cli_usage_error("export", "only --opml is supported");
    struct error err;
    error_clear(&err);
    if (app_export_opml(app, stdout, &err) < 0) {
        cli_error("%s", err.msg);
        return 1;
    }
    return 0;
}
