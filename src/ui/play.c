/* SPDX-License-Identifier: ISC */
/* play — playback from the reader.  mpv gets the terminal for the length of the queue
 * (player_term_suspend), plays on the alternate screen so the reader's picture stays underneath,
 * and hands it back (player_term_resume); the reader then repaints, relaid out when the terminal
 * was resized meanwhile, and says in the status line how it ended. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "ui_int.h"

int ui_item_playable(const struct item *it)
{
    if (!it->media_url || !*it->media_url) return 0;
    const char *t = it->media_type ? it->media_type : "";
    if (!strncasecmp(t, "audio/", 6) || !strncasecmp(t, "video/", 6) || !strcmp(t, "hls") ||
        !strcmp(t, "dash"))
        return 1;
    /* a page plays only through yt-dlp: without it Enter keeps opening the item */
    return (!strcmp(t, "page") || player_url_is_page(it->media_url)) && player_ytdl_find() != NULL;
}

void ui_toggle_preset(struct ui *u)
{
    struct app_play_settings set;
    app_play_settings(u->app, &set);
    int cur = u->play_preset ? u->play_preset : (int)set.opts.preset;
    if (cur == PLAYER_PRESET_AUTO)
        cur = getenv("SSH_CONNECTION") || getenv("SSH_TTY") ? PLAYER_PRESET_SSH : PLAYER_PRESET_FULL;
    u->play_preset = cur == PLAYER_PRESET_SSH ? PLAYER_PRESET_FULL : PLAYER_PRESET_SSH;
    ui_message(u, EL_MESSAGE, "next playback: %s (b inside mpv switches too)",
               u->play_preset == PLAYER_PRESET_SSH ? "low-bandwidth video (ssh)" : "full video");
}

static void run(struct ui *u, struct app_play_entry *e, size_t n, struct app_play_settings *set)
{
    struct player_opts opts = set->opts;
    opts.alt_screen = 1;
    if (u->play_preset) opts.preset = (enum player_preset)u->play_preset;
    struct error err;
    error_clear(&err);
    struct player_term t;
    player_term_suspend(&t);
    int rc = app_play_run(u->app, e, n, &opts, &err);
    player_term_resume(&t);
    /* whatever size came back, the next frame lays itself out from scratch */
    getmaxyx(stdscr, u->rows, u->cols);
    u->full_redraw = 1;
    if (rc < 0) {
        ui_message(u, EL_ERROR, "%s", err.msg);
    } else {
        /* the last entry that was reached says the most: where the user stopped */
        size_t last = 0;
        for (size_t i = 0; i < n; i++)
            if (e[i].result.end != PLAYER_END_NONE) last = i;
        char what[400];
        app_play_describe(&e[last], what, sizeof what);
        const char *note = app_play_sound_note(e, n);
        if (note) snprintf(what + strlen(what), sizeof what - strlen(what), "; %s", note);
        if (n > 1) ui_message(u, e[last].result.end == PLAYER_END_ERROR ? EL_ERROR : EL_MESSAGE,
                              "%zu of %zu: %s", last + 1, n, what);
        else ui_message(u, e[last].result.end == PLAYER_END_ERROR ? EL_ERROR : EL_MESSAGE, "%s", what);
    }
    for (int i = 0; i < u->depth; i++)
        if (u->stack[i]->ops->changed) u->stack[i]->ops->changed(u, u->stack[i]);
}

/* Prepares and plays; resume: NO starts every entry at its beginning. */
static void play(struct ui *u, const int64_t *ids, size_t n, enum app_resume resume, int may_ask)
{
    struct app_play_settings set;
    app_play_settings(u->app, &set);
    struct app_play_entry *e = xcalloc(n, sizeof *e);
    for (size_t i = 0; i < n; i++) e[i].item_id = ids[i];
    struct error err;
    error_clear(&err);
    if (app_play_prepare(u->app, e, n, resume, &err) < 0) {
        ui_message(u, EL_ERROR, "%s", err.msg);
        goto out;
    }
    size_t playable = 0, pages = 0, first_saved = n;
    for (size_t i = 0; i < n; i++) {
        if (!e[i].media_url) continue;
        playable++;
        pages += e[i].page;
        if (e[i].saved_position > 0 && first_saved == n) first_saved = i;
    }
    if (!playable) {
        char what[400];
        ui_message(u, EL_MESSAGE, "%s", app_play_describe(&e[0], what, sizeof what));
        goto out;
    }
    if (pages == playable && !player_ytdl_find()) {
        /* mpv would fail each one at once: say what would help instead */
        ui_message(u, EL_ERROR, "this needs yt-dlp (apt-get install yt-dlp)");
        goto out;
    }
    if (may_ask && set.resume == APP_RESUME_ASK && first_saved < n) {
        free(u->play_ids);
        u->play_ids = xcalloc(n, sizeof *ids);
        memcpy(u->play_ids, ids, n * sizeof *ids);
        u->n_play_ids = n;
        char at[32], q[96];
        player_format_time(e[first_saved].saved_position, at, sizeof at);
        snprintf(q, sizeof q, "resume at %s? [y/n] ", at);
        ui_prompt_open(u, PR_CONFIRM, q, "");
        u->prompt.confirm_action = ACT_PLAY;
        goto out;
    }
    run(u, e, n, &set);
out:
    app_play_entries_free(e, n);
    free(e);
}

void ui_play_ids(struct ui *u, const int64_t *ids, size_t n)
{
    if (!n) return;
    play(u, ids, n, APP_RESUME_YES, 1);
}

void ui_play_answer(struct ui *u, int key)
{
    int64_t *ids = u->play_ids;
    size_t n = u->n_play_ids;
    u->play_ids = NULL;
    u->n_play_ids = 0;
    if (!ids) return;
    if (key == 'y' || key == 'Y' || key == 'n' || key == 'N')
        play(u, ids, n, key == 'y' || key == 'Y' ? APP_RESUME_YES : APP_RESUME_NO, 0);
    else
        ui_message(u, EL_MESSAGE, "not played");
    free(ids);
}
