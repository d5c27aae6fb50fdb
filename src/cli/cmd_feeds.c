/* SPDX-License-Identifier: ISC */
/* Subscription subcommands: add, remove, feeds, import, export. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "date.h"
#include "login.h"

static const struct cli_opt add_opts[] = {
    {'k', "kind", CLI_ARG, "KIND", CLI_OPT_SHORT, "the adapter: feed, youtube, invidious, mastodon, bluesky, reddit, "
                                                  "peertube, hackernews, lemmy, link (else picked from the URL)"},
    {'l', "link", CLI_NO_ARG, NULL, CLI_OPT_SHORT, "keep one page as one item, from its OpenGraph tags"},
    {'V', "via", CLI_ARG, "yt-dlp", 0, "read a video page through the yt-dlp program"},
    {'t', "title", CLI_ARG, "TITLE", CLI_OPT_SHORT, "a title refreshes will not overwrite"},
    {'g', "tag", CLI_ARG, "TAG", CLI_OPT_SHORT | CLI_OPT_REPEAT, "file the feed under a tag (repeatable)"},
    {'I', "insecure-tls", CLI_NO_ARG, NULL, 0, "fetch this feed without checking its TLS certificate"},
    {'O', "offline", CLI_NO_ARG, NULL, 0, "subscribe without checking the URL first"},
    {'p', "pick", CLI_ARG, "N", 0, "of the feeds a page names, subscribe to the N-th"},
    {0, NULL, 0, NULL, 0, NULL},
};

static int add_exec(struct app *app, const struct cli_args *a)
{
    struct app_add_opts o = {0};
    int link = cli_has(a, 'l') > 0;
    o.kind = cli_get(a, 'k');
    o.title = cli_get(a, 't');
    o.insecure_tls = cli_has(a, 'I') > 0;
    o.offline = cli_has(a, 'O') > 0;
    const char *via = cli_get(a, 'V');
    /* --via yt-dlp: the page is read by the external program (the ytdlp kind) */
    if (via && strcmp(via, "yt-dlp") && strcmp(via, "ytdlp")) return cli_usage_error("add", "--via knows only yt-dlp");
    if (via) o.kind = "ytdlp";
    const char *pick = cli_get(a, 'p');
    if (pick) {
        char *end;
        long v = strtol(pick, &end, 10);
        if (!*pick || *end || v < 1 || v > APP_DISCOVER_MAX)
            return cli_usage_error("add", "--pick takes a number from 1 to %d", APP_DISCOVER_MAX);
        o.pick = (int)v;
    }
    size_t n_tags;
    const char *const *tag = cli_all(a, 'g', &n_tags);
    for (size_t i = 0; i < n_tags; i++)
        if (strchr(tag[i], ',')) return cli_usage_error("add", "a tag cannot contain a comma");
    if (a->argc != 1) return cli_usage_error("add", "give exactly one URL");
    struct strbuf tags;
    sb_init(&tags);
    for (size_t i = 0; i < n_tags; i++) sb_printf(&tags, "%s%s", tags.len ? "," : "", tag[i]);
    if (link && o.kind && strcmp(o.kind, "link")) {
        sb_free(&tags);
        return cli_usage_error("add", "--link and --kind %s contradict each other", o.kind);
    }
    if (link) o.kind = "link";
    o.url = a->argv[0];
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

const struct cli_cmd_entry cli_add_entry = {
    .name = "add",
    .operands = "URL|TIMELINE",
    .operands_first = 1,
    .summary = "subscribe to a feed, a channel, an account or one page",
    .opts = add_opts,
    .help =
        "Subscribes to URL (http, https or file): a feed, or the page you copied from a browser on\n"
        "YouTube, Invidious, Mastodon, Bluesky, Reddit, PeerTube, Hacker News or Lemmy.  winnow picks\n"
        "the adapter and the API endpoint from the URL and says which; --kind forces an adapter\n"
        "(feed, youtube, invidious, mastodon, bluesky, reddit, peertube, hackernews, lemmy, link),\n"
        "and an API endpoint URL is taken as it is.  --link keeps one page (a Sora, Meta Vibes or X\n"
        "share link, any article) as one item from its OpenGraph tags.  --title sets a title that\n"
        "refreshes will not overwrite; --tag (repeatable) files the feed under tags.\n"
        "--insecure-tls fetches this one feed without checking its TLS certificate (a self-signed\n"
        "server you trust); every other feed stays verified.\n"
        "add checks the URL with one request (10 s at most) and refuses it with what failed (the host\n"
        "does not answer, HTTP 404, the API's own reason); --offline subscribes without asking.  A web\n"
        "page is searched for the feeds it names (<link rel=\"alternate\"> RSS, Atom or JSON Feed, or\n"
        "rel=\"feed\"): winnow subscribes to the first and lists the others, --pick N takes the N-th; a\n"
        "page that names none is refused (--link keeps the page itself).  The same feed under another\n"
        "spelling (HTTP://, an upper-case host, a trailing slash, a fragment, its API URL) is not\n"
        "added again: winnow says \"already subscribed as feed N\" and exits 0.\n"
        "--via yt-dlp reads a video page (TikTok, Vimeo, Instagram, ... any page yt-dlp knows)\n"
        "through the yt-dlp program: one video becomes one item, a channel or playlist a feed; such\n"
        "pages go to yt-dlp by themselves when it is installed.  A Sora share link is read from the\n"
        "post's JSON (else yt-dlp, else its card); an X profile needs `bridge-x = URL` (Nitter or\n"
        "RSSHub) in the config.  After `winnow login`, TIMELINE names your own: mastodon:home,\n"
        "mastodon:list/ID, mastodon:bookmarks, mastodon:favourites, mastodon:notifications,\n"
        "bluesky:following, bluesky:feed/AT-URI, bluesky:list/AT-URI (NAME@SERVER picks a login).\n",
    .needs = CLI_NEEDS_STORE,
    .exec = add_exec,
};

static int remove_exec(struct app *app, const struct cli_args *a)
{
    if (a->argc != 1) return cli_usage_error("remove", "give one feed URL or id");
    struct error err;
    error_clear(&err);
    if (app_remove_feed(app, a->argv[0], &err) < 0) {
        cli_error("%s", err.msg);
        return 1;
    }
    printf("removed %s\n", a->argv[0]);
    return 0;
}

const struct cli_cmd_entry cli_remove_entry = {
    .name = "remove",
    .operands = "URL|ID",
    .summary = "unsubscribe",
    .help = "Removes a feed and its items.  Items you starred or put in a list stay.\n",
    .needs = CLI_NEEDS_STORE,
    .exec = remove_exec,
};

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

static const struct cli_opt json_opts[] = {
    {'J', "json", CLI_NO_ARG, NULL, 0, "print JSON"},
    {0, NULL, 0, NULL, 0, NULL},
};

static int feeds_exec(struct app *app, const struct cli_args *a)
{
    int json = cli_has(a, 'J') > 0;
    if (a->argc) return cli_usage_error("feeds", "unknown argument %s", a->argv[0]);
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

const struct cli_cmd_entry cli_feeds_entry = {
    .name = "feeds",
    .summary = "list subscriptions",
    .opts = json_opts,
    .help = "Lists feeds with their id, kind, unread/total item counts, the size of their items in the\n"
            "database, and the last error.  --json: bytes is that size.\n",
    .needs = CLI_NEEDS_STORE,
    .exec = feeds_exec,
};

static const struct cli_opt import_opts[] = {
    {'F', "allow-file", CLI_NO_ARG, NULL, 0, "take the file:// entries of the list too (regular files only)"},
    {0, NULL, 0, NULL, 0, NULL},
};

static int import_exec(struct app *app, const struct cli_args *a)
{
    int allow_file = cli_has(a, 'F') > 0;
    if (a->argc != 1) return cli_usage_error("import", "give one file (and --allow-file to take file:// feeds)");
    const char *path = a->argv[0];
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

const struct cli_cmd_entry cli_import_entry = {
    .name = "import",
    .operands = "FILE",
    .summary = "import subscriptions (OPML or a newsboat urls file)",
    .opts = import_opts,
    .help = "Reads OPML (nested outlines become tags) or a newsboat urls file (tags and \"~Title\").\n"
            "A shared list is someone else's: its file:// entries are refused (and named) unless\n"
            "--allow-file is given, and even then only regular files are taken.\n",
    .needs = CLI_NEEDS_STORE,
    .exec = import_exec,
};

static const struct cli_opt export_opts[] = {
    {'o', "opml", CLI_NO_ARG, NULL, CLI_OPT_REQUIRED, "OPML 2.0 (the one format)"},
    {0, NULL, 0, NULL, 0, NULL},
};

static int export_exec(struct app *app, const struct cli_args *a)
{
    if (a->argc || !cli_has(a, 'o')) return cli_usage_error("export", "only --opml is supported");
    struct error err;
    error_clear(&err);
    if (app_export_opml(app, stdout, &err) < 0) {
        cli_error("%s", err.msg);
        return 1;
    }
    return 0;
}

const struct cli_cmd_entry cli_export_entry = {
    .name = "export",
    .summary = "print subscriptions as OPML",
    .opts = export_opts,
    .help = "Writes OPML 2.0 to standard output.\n",
    .needs = CLI_NEEDS_STORE,
    .exec = export_exec,
};
