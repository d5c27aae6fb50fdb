/* SPDX-License-Identifier: ISC */
/* Playing items of the store: which URL to open, where to resume, and what to remember afterwards
 * (a position when stopped early, read when played to the end). */
#include "player.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "play_expired.h"

/* Under a second in, stopping is a false start, not a place to come back to. */
#define RESUME_MIN_SECONDS 1.0

int app_play_settings_from(struct app_play_settings *out, const struct config *c, struct error *err)
{
    memset(out, 0, sizeof *out);
    player_opts_init(&out->opts);
    /* the config's enums map onto the player's and the session's, value by value */
    static const enum player_vo vo[] = {[CONFIG_VO_TCT] = PLAYER_VO_TCT, [CONFIG_VO_SIXEL] = PLAYER_VO_SIXEL,
                                        [CONFIG_VO_GPU] = PLAYER_VO_GPU, [CONFIG_VO_AUTO] = PLAYER_VO_AUTO,
                                        [CONFIG_VO_NONE] = PLAYER_VO_NONE};
    static const enum player_preset preset[] = {[CONFIG_PRESET_AUTO] = PLAYER_PRESET_AUTO,
                                                [CONFIG_PRESET_FULL] = PLAYER_PRESET_FULL,
                                                [CONFIG_PRESET_SSH] = PLAYER_PRESET_SSH};
    static const enum app_resume resume[] = {[CONFIG_RESUME_YES] = APP_RESUME_YES,
                                             [CONFIG_RESUME_NO] = APP_RESUME_NO,
                                             [CONFIG_RESUME_ASK] = APP_RESUME_ASK};
    out->opts.vo = vo[c->video_output];
    out->opts.preset = preset[c->video_preset];
    out->resume = resume[c->resume];
    out->opts.audio_only = c->audio_only != 0;
    out->opts.mpv_config = c->mpv_config != 0;
    size_t n = c->n_mpv_options;
    if (n > APP_PLAY_MAX_MPV_OPTIONS) {
        error_set(err, "mpv-option: at most %d", APP_PLAY_MAX_MPV_OPTIONS);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(c->mpv_options[i], '=');
        if (!eq || eq == c->mpv_options[i]) {
            error_set(err, "mpv-option: \"%s\" is not key=value", c->mpv_options[i]);
            return -1;
        }
        out->mpv_options[i] = c->mpv_options[i];
    }
    out->opts.mpv_options = out->mpv_options;
    out->opts.n_mpv_options = n;
    return 0;
}

void app_play_settings(const struct app *app, struct app_play_settings *out)
{
    struct error err;
    error_clear(&err);
    /* config.c accepts only the shapes checked here, so this cannot fail on a config that loaded;
     * if it ever did, the defaults are the safe answer */
    if (app_play_settings_from(out, &app->cfg, &err) < 0) {
        struct config def;
        config_defaults(&def);
        app_play_settings_from(out, &def, &err);   /* the defaults hold no mpv option to refuse */
    }
}

static int is_audio_url(const char *url)
{
    static const char *const ext[] = {".mp3", ".m4a", ".ogg", ".oga", ".opus", ".flac", ".wav", ".aac", NULL};
    size_t n = strcspn(url, "?#");
    for (int i = 0; ext[i]; i++) {
        size_t e = strlen(ext[i]);
        if (n >= e && !strncasecmp(url + n - e, ext[i], e)) return 1;
    }
    return 0;
}

/* A feed is hostile input: its media URL must not reach mpv's other protocols (av://, edl://,
 * lavf://...: devices and local files).  file:// only comes from feeds that are local files
 * themselves, like the demo. */
int app_media_url_allowed(struct app *app, const struct item *it, const char *url)
{
    if (!strncasecmp(url, "http://", 7) || !strncasecmp(url, "https://", 8)) return 1;
    if (strncasecmp(url, "file://", 7) || it->feed_id <= 0) return 0;
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)it->feed_id);
    struct feed_row row;
    struct error err;
    if (store_feed_get(app->store, id, &row, &err) < 0) return 0;
    int local = row.url && !strncasecmp(row.url, "file://", 7);
    store_feed_row_free(&row);
    return local;
}

static void no_media(struct app_play_entry *e, const char *why)
{
    e->result.end = PLAYER_END_ERROR;
    snprintf(e->result.message, sizeof e->result.message, "%s", why);
}

static int prepare_item(struct app *app, struct app_play_entry *e, enum app_resume resume, struct error *err)
{
    struct item_sink sink;
    item_sink_init(&sink);
    if (store_item_get(app->store, e->item_id, &sink, err) < 0) {
        item_sink_free(&sink);
        return -1;
    }
    const struct item *it = &sink.items[0];
    const char *type = it->media_type ? it->media_type : "";
    if (it->title && *it->title) e->title = xstrdup(it->title);
    if (it->media_url && *it->media_url && !app_media_url_allowed(app, it, it->media_url)) {
        no_media(e, "the media URL is neither http(s) nor a file of a local feed");
    } else if (it->media_url && *it->media_url) {
        e->media_url = xstrdup(it->media_url);
        e->page = !strcmp(type, "page") || player_url_is_page(it->media_url);
        e->audio_only = !strncasecmp(type, "audio/", 6) || (!*type && is_audio_url(it->media_url));
    } else if (it->url && player_url_is_page(it->url)) {   /* only http(s) hosts are pages */
        e->media_url = xstrdup(it->url);
        e->page = 1;
    } else {
        no_media(e, "no media to play");
    }
    item_sink_free(&sink);
    if (!e->media_url) return 0;
    if (store_position_get(app->store, e->item_id, &e->saved_position, err) < 0) return -1;
    e->start = resume == APP_RESUME_NO ? 0 : e->saved_position;
    return 0;
}

int app_play_prepare(struct app *app, struct app_play_entry *entries, size_t n, enum app_resume resume,
                     struct error *err)
{
    for (size_t i = 0; i < n; i++) {
        struct app_play_entry *e = &entries[i];
        memset(&e->result, 0, sizeof e->result);
        e->result.position = e->result.duration = -1;
        e->position_saved = e->marked_read = 0;
        if (e->item_id > 0) {
            if (prepare_item(app, e, resume, err) < 0) return -1;
        } else if (e->url && *e->url) {
            e->media_url = xstrdup(e->url);
            e->page = player_url_is_page(e->url);
            e->audio_only = is_audio_url(e->url);
        } else {
            no_media(e, "nothing to play");
        }
    }
    return 0;
}

/* What an item's ending means for next time. */
static int remember(struct app *app, struct app_play_entry *e, struct error *err)
{
    const struct player_result *r = &e->result;
    if (r->end == PLAYER_END_EOF) {
        if (store_item_set_read(app->store, e->item_id, 1, err) < 0 ||
            store_position_set(app->store, e->item_id, 0, err) < 0)
            return -1;
        e->marked_read = 1;
    } else if (r->end == PLAYER_END_QUIT || r->end == PLAYER_END_STOP) {
        double pos = r->position >= RESUME_MIN_SECONDS ? r->position : 0;
        if (store_position_set(app->store, e->item_id, pos, err) < 0) return -1;
        e->position_saved = pos > 0;
    }
    return 0;
}

static int play_once(struct app *app, struct app_play_entry *entries, size_t n, const struct player_opts *opts,
                     struct error *err)
{
    struct player_item *items = xcalloc(n ? n : 1, sizeof *items);
    struct player_result *results = xcalloc(n ? n : 1, sizeof *results);
    size_t *map = xcalloc(n ? n : 1, sizeof *map);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct app_play_entry *e = &entries[i];
        if (!e->media_url) continue;
        items[k] = (struct player_item){.url = e->media_url, .title = e->title, .start = e->start,
                                        .audio_only = e->audio_only, .page = e->page};
        map[k++] = i;
    }
    int rc = player_play_queue(items, k, opts, results, err);
    if (rc == 0) {
        struct error serr;
        error_clear(&serr);
        for (size_t j = 0; j < k; j++) {
            struct app_play_entry *e = &entries[map[j]];
            e->result = results[j];
            if (e->item_id > 0 && remember(app, e, &serr) < 0 && rc == 0) {
                *err = serr;
                rc = -1;
            }
        }
    }
    free(items);
    free(results);
    free(map);
    return rc;
}

int app_play_run(struct app *app, struct app_play_entry *entries, size_t n, const struct player_opts *opts,
                 struct error *err)
{
    int rc = play_once(app, entries, n, opts, err);
    /* hook: a signed media URL that expired (HTTP 403) is fetched anew with its post, once */
    size_t *again = NULL;
    size_t na = rc == 0 ? app_play_refetch_expired(app, entries, n, &again) : 0;
    for (size_t j = 0; j < na && rc == 0; j++) rc = play_once(app, &entries[again[j]], 1, opts, err);
    free(again);
    return rc;
}

void app_play_entries_free(struct app_play_entry *entries, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(entries[i].media_url);
        free(entries[i].title);
        entries[i].media_url = entries[i].title = NULL;
    }
}

const char *app_play_sound_note(const struct app_play_entry *entries, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (entries[i].result.no_audio_device) return "playing without sound (no audio device)";
    return NULL;
}

const char *app_play_describe(const struct app_play_entry *e, char *buf, size_t size)
{
    const struct player_result *r = &e->result;
    char p[32], d[32];
    const char *verb = r->end == PLAYER_END_QUIT ? "quit" : "skipped";
    switch (r->end) {
    case PLAYER_END_EOF: snprintf(buf, size, "ended%s", e->marked_read ? " (marked read)" : ""); break;
    case PLAYER_END_QUIT:
    case PLAYER_END_STOP:
        player_format_time(r->position, p, sizeof p);
        if (r->duration > 0)
            snprintf(buf, size, "%s at %s of %s%s", verb, p, player_format_time(r->duration, d, sizeof d),
                     e->position_saved ? " (position saved)" : "");
        else
            snprintf(buf, size, "%s at %s%s", verb, p, e->position_saved ? " (position saved)" : "");
        break;
    case PLAYER_END_ERROR: snprintf(buf, size, "error: %s", r->message); break;
    case PLAYER_END_NONE: snprintf(buf, size, "not played"); break;
    }
    return buf;
}
