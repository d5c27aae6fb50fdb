/* SPDX-License-Identifier: ISC */
/* `winnow play`: URLs and items of the store as one queue through libmpv, one line per entry on
 * how it ended. */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "lists.h"
#include "player.h"
#include "text.h"

#define MAX_CLI_MPV_OPTIONS 32

static int all_digits(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s)) return 0;
    return 1;
}

static int playable_arg(const char *s)
{
    struct stat st;
    return strstr(s, "://") != NULL || stat(s, &st) == 0;
}

static void print_label(const struct app_play_entry *e)
{
    if (e->item_id > 0) {
        printf("item %lld", (long long)e->item_id);
        if (e->title) {
            fputs(" (", stdout);
            cli_fputs_clean(e->title, stdout);
            fputc(')', stdout);
        }
    } else {
        cli_fputs_clean(e->url, stdout);
    }
}

/* The items of a list in its order; the ones without anything to play are left out (said so). */
static int list_items(struct app *app, const char *name, struct item_sink *out)
{
    struct error err;
    error_clear(&err);
    struct list_row row;
    if (lists_find(app->store, name, &row, &err) < 0) {
        cli_error("%s", err.msg);
        return -1;
    }
    struct item_query q = {0};
    q.list_id = row.id;
    lists_row_free(&row);
    struct item_sink all;
    item_sink_init(&all);
    if (store_items(app->store, &q, &all, &err) < 0) {
        cli_error("%s", err.msg);
        item_sink_free(&all);
        return -1;
    }
    size_t skipped = 0;
    for (size_t i = 0; i < all.n; i++) {
        const struct item *it = &all.items[i];
        if ((it->media_url && *it->media_url) || (it->url && player_url_is_page(it->url)))
            item_sink_push_raw(out, it);
        else
            skipped++;
    }
    item_sink_free(&all);
    if (skipped)
        cli_printf_clean("list %s: %zu item%s without media left out\n", name, skipped, skipped == 1 ? "" : "s");
    return 0;
}

static void print_result(const struct app_play_entry *e)
{
    char buf[512];
    print_label(e);
    cli_printf_clean(": %s\n", app_play_describe(e, buf, sizeof buf));
}

int cmd_play(struct app *app, int argc, char **argv)
{
    static const struct option opts[] = {
        {"vo", required_argument, 0, 'v'}, {"ao", required_argument, 0, 'a'},
        {"audio-only", no_argument, 0, 'A'}, {"preset", required_argument, 0, 'p'},
        {"no-resume", no_argument, 0, 'R'}, {"no-mpv-config", no_argument, 0, 'C'},
        {"mpv-option", required_argument, 0, 'o'}, {"untimed", no_argument, 0, 'U'},
        {"stop-after", required_argument, 0, 'S'}, {"ytdl", no_argument, 0, 'Y'},
        {"list", required_argument, 0, 'L'}, {0, 0, 0, 0}};
    struct app_play_settings set;
    app_play_settings(app, &set);
    const char *mpv_opts[APP_PLAY_MAX_MPV_OPTIONS + MAX_CLI_MPV_OPTIONS];
    size_t n_mpv = set.opts.n_mpv_options;
    memcpy(mpv_opts, set.mpv_options, n_mpv * sizeof *mpv_opts);
    int no_resume = 0, ytdl = 0, c;
    const char *list = NULL;
    optind = 0;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'v':
            if (player_vo_parse(optarg, &set.opts.vo) < 0)
                return cli_usage_error("play", "--vo takes tct, sixel, gpu, auto, none or null");
            break;
        case 'a':
            if (player_ao_parse(optarg, &set.opts.ao) < 0)
                return cli_usage_error("play", "--ao takes auto or null");
            break;
        case 'p':
            if (player_preset_parse(optarg, &set.opts.preset) < 0)
                return cli_usage_error("play", "--preset takes auto, full or ssh");
            break;
        case 'A': set.opts.audio_only = 1; break;
        case 'R': no_resume = 1; break;
        case 'C': set.opts.mpv_config = 0; break;
        case 'o':
            if (!strchr(optarg, '=') || optarg[0] == '=')
                return cli_usage_error("play", "--mpv-option takes KEY=VALUE");
            if (n_mpv >= sizeof mpv_opts / sizeof mpv_opts[0])
                return cli_usage_error("play", "too many --mpv-option");
            mpv_opts[n_mpv++] = optarg;
            break;
        case 'U': set.opts.untimed = 1; break;
        case 'Y': ytdl = 1; break;
        case 'L': list = optarg; break;
        case 'S': {
            char *end;
            set.opts.stop_after = strtod(optarg, &end);
            if (*end || !(set.opts.stop_after > 0))
                return cli_usage_error("play", "--stop-after takes a number of seconds");
            break;
        }
        default: return cli_usage_error("play", "bad option");
        }
    }
    set.opts.mpv_options = mpv_opts;
    set.opts.n_mpv_options = n_mpv;
    size_t nargs = (size_t)(argc - optind), n = nargs;
    struct item_sink listed;
    item_sink_init(&listed);
    if (list && list_items(app, list, &listed) < 0) {
        item_sink_free(&listed);
        return 1;
    }
    n += listed.n;
    if (n == 0) {
        item_sink_free(&listed);
        if (list) {
            cli_printf_clean("list %s: nothing to play\n", list);
            return 1;
        }
        return cli_usage_error("play", "nothing to play: give URLs, item ids or --list NAME");
    }
    struct app_play_entry *entries = xcalloc(n, sizeof *entries);
    for (size_t i = 0; i < listed.n; i++) entries[nargs + i].item_id = listed.items[i].id;
    item_sink_free(&listed);
    for (size_t i = 0; i < nargs; i++) {
        const char *a = argv[optind + (int)i];
        if (all_digits(a)) {
            entries[i].item_id = strtoll(a, NULL, 10);
        } else if (playable_arg(a)) {
            entries[i].url = a;
        } else {
            free(entries);
            return cli_usage_error("play", "\"%s\" is neither an item id nor a URL or file", a);
        }
    }
    struct error err;
    error_clear(&err);
    /* the CLI cannot ask, so ask resumes */
    enum app_resume resume = no_resume || set.resume == APP_RESUME_NO ? APP_RESUME_NO : APP_RESUME_YES;
    int rc = app_play_prepare(app, entries, n, resume, &err);
    if (rc == 0) {
        for (size_t i = 0; i < n; i++)
            if (ytdl && entries[i].item_id == 0) entries[i].page = 1;
        for (size_t i = 0; i < n; i++) {
            if (entries[i].media_url && entries[i].start > 0) {
                char t[32];
                print_label(&entries[i]);
                printf(": resuming at %s\n", player_format_time(entries[i].start, t, sizeof t));
            }
        }
        fflush(stdout);
        rc = app_play_run(app, entries, n, &set.opts, &err);
    }
    int status = 0;
    if (rc < 0) {
        cli_error("%s", err.msg);
        status = 1;
    } else {
        const char *note = app_play_sound_note(entries, n);
        if (note) fprintf(stderr, "winnow: %s\n", note);
        for (size_t i = 0; i < n; i++) {
            print_result(&entries[i]);
            if (entries[i].result.end != PLAYER_END_EOF) status = 1;
        }
    }
    app_play_entries_free(entries, n);
    free(entries);
    return status;
}
