/* SPDX-License-Identifier: ISC */
/* `winnow play`: URLs and items of the store as one queue through libmpv, one line per entry on
 * how it ended. */
#include <ctype.h>
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

static const struct cli_opt play_opts[] = {
    {'L', "list", CLI_ARG, "NAME", 0, "the items of a list, in its order, after the others"},
    {'v', "vo", CLI_ARG, "tct|sixel|gpu|auto|none|null", 0, "where the picture goes (the config's video-output)"},
    {'a', "ao", CLI_ARG, "auto|null", 0, "the sound's output"},
    {'A', "audio-only", CLI_NO_ARG, NULL, 0, "the sound only"},
    {'p', "preset", CLI_ARG, "auto|full|ssh", 0, "terminal video: full, or ssh (256 colours, 10 fps)"},
    {'R', "no-resume", CLI_NO_ARG, NULL, 0, "start items over"},
    {'C', "no-mpv-config", CLI_NO_ARG, NULL, 0, "do not read mpv's own config (~/.config/mpv)"},
    {'Y', "ytdl", CLI_NO_ARG, NULL, 0, "open the URLs through yt-dlp"},
    {'o', "mpv-option", CLI_ARG, "KEY=VALUE", CLI_OPT_SHORT | CLI_OPT_REPEAT, "any mpv option (repeatable)"},
    {'U', "untimed", CLI_NO_ARG, NULL, CLI_OPT_HIDDEN, "decode without a clock (tests)"},
    {'S', "stop-after", CLI_ARG, "SECONDS", CLI_OPT_HIDDEN, "stop like q after SECONDS (tests)"},
    {0, NULL, 0, NULL, 0, NULL},
};

/* The options into set (its mpv options point into mpv_opts); 0, or a usage error's status. */
static int play_options(const struct cli_args *a, struct app_play_settings *set, const char **mpv_opts, size_t cap)
{
    const char *v;
    if ((v = cli_get(a, 'v')) && player_vo_parse(v, &set->opts.vo) < 0)
        return cli_usage_error("play", "--vo takes tct, sixel, gpu, auto, none or null");
    if ((v = cli_get(a, 'a')) && player_ao_parse(v, &set->opts.ao) < 0)
        return cli_usage_error("play", "--ao takes auto or null");
    if ((v = cli_get(a, 'p')) && player_preset_parse(v, &set->opts.preset) < 0)
        return cli_usage_error("play", "--preset takes auto, full or ssh");
    if (cli_has(a, 'A')) set->opts.audio_only = 1;
    if (cli_has(a, 'C')) set->opts.mpv_config = 0;
    if (cli_has(a, 'U')) set->opts.untimed = 1;
    if ((v = cli_get(a, 'S'))) {
        char *end;
        set->opts.stop_after = strtod(v, &end);
        if (*end || !(set->opts.stop_after > 0))
            return cli_usage_error("play", "--stop-after takes a number of seconds");
    }
    size_t n_mpv = set->opts.n_mpv_options, n_o;
    memcpy(mpv_opts, set->mpv_options, n_mpv * sizeof *mpv_opts);
    const char *const *o = cli_all(a, 'o', &n_o);
    for (size_t i = 0; i < n_o; i++) {
        if (!strchr(o[i], '=') || o[i][0] == '=') return cli_usage_error("play", "--mpv-option takes KEY=VALUE");
        if (n_mpv >= cap) return cli_usage_error("play", "too many --mpv-option");
        mpv_opts[n_mpv++] = o[i];
    }
    set->opts.mpv_options = mpv_opts;
    set->opts.n_mpv_options = n_mpv;
    return 0;
}

static int play_exec(struct app *app, const struct cli_args *a)
{
    struct app_play_settings set;
    app_play_settings(app, &set);
    const char *mpv_opts[APP_PLAY_MAX_MPV_OPTIONS + MAX_CLI_MPV_OPTIONS];
    int bad = play_options(a, &set, mpv_opts, sizeof mpv_opts / sizeof mpv_opts[0]);
    if (bad) return bad;
    int no_resume = cli_has(a, 'R') > 0, ytdl = cli_has(a, 'Y') > 0;
    const char *list = cli_get(a, 'L');
    size_t nargs = (size_t)a->argc, n = nargs;
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
        const char *w = a->argv[i];
        if (all_digits(w)) {
            entries[i].item_id = strtoll(w, NULL, 10);
        } else if (playable_arg(w)) {
            entries[i].url = w;
        } else {
            free(entries);
            return cli_usage_error("play", "\"%s\" is neither an item id nor a URL or file", w);
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

const struct cli_cmd_entry cli_play_entry = {
    .name = "play",
    .operands = "URL|ITEM-ID...",
    .operands_first = 1,
    .summary = "play media through mpv, in the terminal by default",
    .opts = play_opts,
    .help = "Plays the URLs and items in order as one queue: an item's media, or its video page through\n"
            "yt-dlp; --list NAME adds the items of a list in its order, --ytdl opens the URLs through yt-dlp.\n"
            "Inside mpv: > and < move through the queue, q quits, b switches to the low-bandwidth preset\n"
            "and back.  --vo: tct (the terminal, default), sixel, gpu (a window), auto (a window when a\n"
            "display is there), none (audio only), null.  --preset ssh: 256 colours, 10 fps, a smaller\n"
            "picture (auto: over SSH).  Items resume where they were stopped (--no-resume starts over);\n"
            "items played to the end are marked read.  mpv's own config (~/.config/mpv) is read unless\n"
            "--no-mpv-config; -o/--mpv-option KEY=VALUE passes any mpv option.  One line per entry on how\n"
            "it ended; exit status 0 when everything played to the end, 1 otherwise.\n"
            "Test options: --untimed (decode without a clock), --stop-after SECONDS (stop like q).\n",
    .needs = CLI_NEEDS_STORE,
    .raw_output = 1,
    .exec = play_exec,
};
