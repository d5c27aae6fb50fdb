/* SPDX-License-Identifier: ISC */
/* The playback session: one mpv handle per queue, mpv's playlist as the queue, and the events that
 * tell how each entry ended. */
#include "player.h"

#include <ctype.h>
#include <dlfcn.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <mpv/client.h>

#include "player_dl.h"
#include "player_int.h"
#include "text.h"

void player_opts_init(struct player_opts *o)
{
    memset(o, 0, sizeof *o);
    o->vo = PLAYER_VO_TCT;
    o->ao = PLAYER_AO_AUTO;
    o->preset = PLAYER_PRESET_AUTO;
    o->mpv_config = 1;
    o->terminal = -1;
    o->alt_screen = -1;
}

static int word_index(const char *s, const char *const *words)
{
    for (int i = 0; s && words[i]; i++)
        if (!strcmp(s, words[i])) return i;
    return -1;
}

int player_vo_parse(const char *s, enum player_vo *out)
{
    static const char *const w[] = {"tct", "sixel", "gpu", "auto", "none", "null", NULL};
    int i = word_index(s, w);
    if (i < 0) return -1;
    *out = (enum player_vo)i;
    return 0;
}

int player_ao_parse(const char *s, enum player_ao *out)
{
    static const char *const w[] = {"auto", "null", NULL};
    int i = word_index(s, w);
    if (i < 0) return -1;
    *out = (enum player_ao)i;
    return 0;
}

int player_preset_parse(const char *s, enum player_preset *out)
{
    static const char *const w[] = {"auto", "full", "ssh", NULL};
    int i = word_index(s, w);
    if (i < 0) return -1;
    *out = (enum player_preset)i;
    return 0;
}

const char *player_end_name(enum player_end e)
{
    switch (e) {
    case PLAYER_END_EOF: return "EOF";
    case PLAYER_END_QUIT: return "QUIT";
    case PLAYER_END_STOP: return "STOP";
    case PLAYER_END_ERROR: return "ERROR";
    case PLAYER_END_NONE: break;
    }
    return "NONE";
}

const char *player_format_time(double seconds, char *buf, size_t size)
{
    if (!isfinite(seconds) || seconds < 0) {
        snprintf(buf, size, "?");
        return buf;
    }
    /* truncated like mpv's own display, so "quit at 0:01" matches what the user saw */
    long t = (long)seconds;
    if (t >= 3600) snprintf(buf, size, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else snprintf(buf, size, "%ld:%02ld", t / 60, t % 60);
    return buf;
}

int player_url_is_page(const char *url)
{
    static const char *const hosts[] = {"youtube.com", "youtu.be", "youtube-nocookie.com", "vimeo.com",
                                        "dailymotion.com", "twitch.tv", "soundcloud.com", "bandcamp.com",
                                        NULL};
    const char *p = url ? strstr(url, "://") : NULL;
    if (!p || strncasecmp(url, "http", 4)) return 0;
    p += 3;
    size_t n = strcspn(p, "/?#");
    const char *at = memchr(p, '@', n);
    if (at) {
        n -= (size_t)(at + 1 - p);
        p = at + 1;
    }
    const char *colon = memchr(p, ':', n);
    if (colon) n = (size_t)(colon - p);
    for (int i = 0; hosts[i]; i++) {
        size_t h = strlen(hosts[i]);
        if (n < h || strncasecmp(p + n - h, hosts[i], h)) continue;
        if (n == h || p[n - h - 1] == '.') return 1;
    }
    return 0;
}

const char *player_ytdl_find(void)
{
    /* the names mpv's ytdl hook looks for, in its order */
    static const char *const names[] = {"yt-dlp", "yt-dlp_x86", "youtube-dl", NULL};
    const char *path = getenv("PATH");
    if (!path || !*path) return NULL;
    for (int i = 0; names[i]; i++) {
        for (const char *d = path; *d;) {
            size_t len = strcspn(d, ":");
            char full[4096];
            if (len > 0 && len + strlen(names[i]) + 2 < sizeof full) {
                snprintf(full, sizeof full, "%.*s/%s", (int)len, d, names[i]);
                if (access(full, X_OK) == 0) return names[i];
            }
            d += len;
            if (*d == ':') d++;
        }
    }
    return NULL;
}

/* --- the session ---------------------------------------------------------------------------- */

enum { OBS_TIME = 1, OBS_DURATION, OBS_EOF, OBS_AO };

struct slot {
    int64_t mpv_id;
    size_t idx;
};

struct session {
    mpv_handle *h;
    const struct player_item *items;
    struct player_result *results;
    size_t n;
    struct slot *slots;
    size_t nslots, capslots;
    /* the entry now playing */
    long cur;                 /* index into items, -1 none */
    double pos, dur;
    int eof_reached;
    int stopping;
    int ao_asked_null;        /* the user asked for no sound: a null output is no news */
    int no_audio_device;      /* mpv fell back to the null output: no device could be opened */
    /* Log lines reach the client only when no event is queued, so those about an entry can come
     * after its END_FILE and even after the next START_FILE.  mpv closes each entry's lines with
     * "finished playback, ..." (verbose level): that line, not the events, moves the lines that
     * follow on to the next entry started. */
    long *started;                     /* items in the order START_FILE named them */
    size_t nstarted, capstarted, log_at;
    struct detail { char text[256]; int score; } *details;   /* per item: the most telling line */
    /* terminal video */
    int tct;
    int ssh;
    double stop_after;
    double entry_wall;                 /* monotonic seconds when the current entry started */
};

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wall-clock slack past stop_after before the clock stops an entry that its position did not:
 * a repeating MPEG-TS segment whose timestamps jump back never reaches the position. */
#define STOP_WALL_SLACK_S 2.0

static void add_slot(struct session *s, int64_t id, size_t idx)
{
    if (s->nslots == s->capslots) {
        s->capslots = s->capslots ? s->capslots * 2 : 16;
        s->slots = xrealloc(s->slots, s->capslots * sizeof *s->slots);
    }
    s->slots[s->nslots++] = (struct slot){id, idx};
}

static long slot_lookup(const struct session *s, int64_t id)
{
    for (size_t i = 0; i < s->nslots; i++)
        if (s->slots[i].mpv_id == id) return (long)s->slots[i].idx;
    return -1;
}

static int set_opt(mpv_handle *h, const char *name, const char *value, struct error *err)
{
    int rc = mpv_set_option_string(h, name, value);
    if (rc < 0 && err) error_set(err, "mpv option %s=%s: %s", name, value, mpv_error_string(rc));
    return rc < 0 ? -1 : 0;
}

static int display_available(void)
{
    const char *x = getenv("DISPLAY"), *w = getenv("WAYLAND_DISPLAY");
    return (x && *x) || (w && *w);
}

static void term_size(int *rows, int *cols)
{
    struct winsize ws;
    *rows = 24;
    *cols = 80;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
        *rows = ws.ws_row;
        *cols = ws.ws_col;
    }
}

/* The tct options are read when the VO starts, so a live switch restarts the VO: setting the same
 * vo again is a no-op in mpv 0.35, a detour through null is not. */
static void apply_preset(struct session *s, int live)
{
    mpv_handle *h = s->h;
    if (s->tct) {
        char w[16] = "0", ht[16] = "0";
        if (s->ssh) {
            int rows, cols;
            term_size(&rows, &cols);
            snprintf(w, sizeof w, "%d", cols * 2 / 3 > 8 ? cols * 2 / 3 : 8);
            snprintf(ht, sizeof ht, "%d", rows * 2 / 3 > 4 ? rows * 2 / 3 : 4);
        }
        mpv_set_property_string(h, "vo-tct-256", s->ssh ? "yes" : "no");
        mpv_set_property_string(h, "vo-tct-width", w);
        mpv_set_property_string(h, "vo-tct-height", ht);
    }
    /* a labelled filter, so the user's own vf chain stays */
    const char *add[] = {"vf", "add", "@winnow-fps:fps=10", NULL};
    const char *del[] = {"vf", "remove", "@winnow-fps", NULL};
    if (s->ssh) mpv_command(h, add);
    else if (live) mpv_command(h, del);
    if (live && s->tct) {
        mpv_set_property_string(h, "vo", "null");
        mpv_set_property_string(h, "vo", "tct");
    }
}

/* How telling a log line is about a failure: an HTTP status beats yt-dlp's complaint beats the
 * first other error; plain warnings say nothing. */
static int message_score(const mpv_event_log_message *m)
{
    if (m->log_level > MPV_LOG_LEVEL_WARN) return 0;
    if (strstr(m->text, "HTTP error ") || strstr(m->text, "HTTP Error ")) return 3;
    if (m->log_level > MPV_LOG_LEVEL_ERROR) return 0;
    if (!strcmp(m->prefix, "ytdl_hook")) return strstr(m->text, "youtube-dl failed") ? 1 : 2;
    return 1;
}

static void note_message(struct session *s, const mpv_event_log_message *m)
{
    if (!strcmp(m->prefix, "cplayer") && !strncmp(m->text, "finished playback", 17)) {
        s->log_at++;
        return;
    }
    long idx = s->log_at < s->nstarted ? s->started[s->log_at] : -1;
    int score = message_score(m);
    if (idx < 0 || score <= s->details[idx].score) return;
    struct detail *d = &s->details[idx];
    d->score = score;
    const char *t = m->text;
    char buf[256];
    const char *http = strstr(t, "HTTP error ");
    if (http) {
        snprintf(buf, sizeof buf, "HTTP %s", http + 11);   /* "HTTP 404 Not Found" */
        t = buf;
    } else if (!strncmp(t, "ERROR: ", 7)) {
        t += 7;
    }
    size_t len = strlen(t);
    static const char *const cuts[] = {"; please report", " (caused by", NULL};
    for (int i = 0; cuts[i]; i++) {
        const char *c = strstr(t, cuts[i]);
        if (c && (size_t)(c - t) < len) len = (size_t)(c - t);
    }
    while (len && (isspace((unsigned char)t[len - 1]) || t[len - 1] == '.')) len--;
    char *clean = text_sanitize_dup(t, len, sizeof d->text - 1, 0);
    snprintf(d->text, sizeof d->text, "%s", clean);
    free(clean);
}

static void entry_started(struct session *s, int64_t id)
{
    s->cur = slot_lookup(s, id);
    if (s->nstarted == s->capstarted) {
        s->capstarted = s->capstarted ? s->capstarted * 2 : 16;
        s->started = xrealloc(s->started, s->capstarted * sizeof *s->started);
    }
    s->started[s->nstarted++] = s->cur;
    s->pos = s->cur >= 0 ? s->items[s->cur].start : 0;
    s->dur = -1;
    s->eof_reached = 0;
}

static void entry_ended(struct session *s, const mpv_event_end_file *ef)
{
    long idx = slot_lookup(s, ef->playlist_entry_id);
    if (ef->reason == MPV_END_FILE_REASON_REDIRECT) {
        /* a playlist URL became its entries: they stand for the same item */
        if (idx >= 0)
            for (int i = 0; i < ef->playlist_insert_num_entries; i++)
                add_slot(s, ef->playlist_insert_id + i, (size_t)idx);
        return;
    }
    if (idx < 0) return;
    struct player_result *r = &s->results[idx];
    r->duration = s->dur;
    r->position = s->pos;
    r->message[0] = 0;
    switch (ef->reason) {
    case MPV_END_FILE_REASON_EOF: r->end = PLAYER_END_EOF; break;
    case MPV_END_FILE_REASON_QUIT: r->end = s->eof_reached ? PLAYER_END_EOF : PLAYER_END_QUIT; break;
    case MPV_END_FILE_REASON_ERROR:
        r->end = PLAYER_END_ERROR;
        /* the detail is added after the session, when all its log lines are in */
        snprintf(r->message, sizeof r->message, "%s", mpv_error_string(ef->error));
        break;
    default: r->end = s->eof_reached ? PLAYER_END_EOF : PLAYER_END_STOP; break;
    }
    if (r->end == PLAYER_END_EOF && s->dur > 0) r->position = s->dur;
    r->no_audio_device = s->no_audio_device;
    s->cur = -1;
}

static void property_changed(struct session *s, const mpv_event *ev)
{
    const mpv_event_property *p = ev->data;
    /* values turn unavailable as a file unloads, before END_FILE: keep the last real one */
    if (p->format == MPV_FORMAT_NONE || s->cur < 0) return;
    if (ev->reply_userdata == OBS_TIME && p->format == MPV_FORMAT_DOUBLE) {
        s->pos = *(double *)p->data;
        if (s->stop_after > 0 && s->pos >= s->stop_after && !s->stopping) {
            s->stopping = 1;
            mpv_command_string(s->h, "quit");
        }
    } else if (ev->reply_userdata == OBS_DURATION && p->format == MPV_FORMAT_DOUBLE) {
        s->dur = *(double *)p->data;
    } else if (ev->reply_userdata == OBS_EOF && p->format == MPV_FORMAT_FLAG) {
        s->eof_reached = *(int *)p->data;
    } else if (ev->reply_userdata == OBS_AO && p->format == MPV_FORMAT_STRING) {
        const char *ao = *(char **)p->data;
        if (ao && !strcmp(ao, "null") && !s->ao_asked_null) s->no_audio_device = 1;
    }
}

static void client_message(struct session *s, const mpv_event_client_message *m)
{
    if (m->num_args >= 1 && !strcmp(m->args[0], "winnow-preset") && s->tct) {
        s->ssh = !s->ssh;
        apply_preset(s, 1);
    }
}

/* Appends "key=value" to a loadfile option list; the value goes in mpv's %length% quoting so that
 * commas and equals signs in titles cannot break the list. */
static void add_file_opt(struct strbuf *b, const char *key, const char *value)
{
    sb_printf(b, "%s%s=%%%zu%%%s", b->len ? "," : "", key, strlen(value), value);
}

static int queue_items(struct session *s, int have_ytdl)
{
    size_t loaded = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct player_item *it = &s->items[i];
        struct player_result *r = &s->results[i];
        if (!it->url || !*it->url) {
            r->end = PLAYER_END_ERROR;
            snprintf(r->message, sizeof r->message, "nothing to play");
            continue;
        }
        if (it->page && !have_ytdl) {
            r->end = PLAYER_END_ERROR;
            snprintf(r->message, sizeof r->message, "this needs yt-dlp (apt-get install yt-dlp)");
            continue;
        }
        struct strbuf url, fo;
        sb_init(&url);
        sb_init(&fo);
        /* ytdl:// makes mpv's hook run yt-dlp for this entry alone (see the exclude in setup) */
        if (it->page) sb_adds(&url, "ytdl://");
        sb_adds(&url, it->url);
        if (it->start > 0) {
            char v[32];
            snprintf(v, sizeof v, "%.3f", it->start);
            add_file_opt(&fo, "start", v);
        }
        if (it->audio_only) add_file_opt(&fo, "vid", "no");
        if (it->title && *it->title) add_file_opt(&fo, "force-media-title", it->title);
        const char *cmd[] = {"loadfile", url.s, "append", fo.len ? fo.s : NULL, NULL};
        mpv_node res;
        int rc = mpv_command_ret(s->h, cmd, &res);
        if (rc < 0) {
            r->end = PLAYER_END_ERROR;
            snprintf(r->message, sizeof r->message, "mpv refused it: %s", mpv_error_string(rc));
        } else {
            int64_t id = -1;
            if (res.format == MPV_FORMAT_NODE_MAP)
                for (int k = 0; k < res.u.list->num; k++)
                    if (!strcmp(res.u.list->keys[k], "playlist_entry_id") &&
                        res.u.list->values[k].format == MPV_FORMAT_INT64)
                        id = res.u.list->values[k].u.int64;
            mpv_free_node_contents(&res);
            add_slot(s, id, i);
            loaded++;
        }
        sb_free(&url);
        sb_free(&fo);
    }
    return (int)loaded;
}

/* Options as they must be for the handoff and the queue.  Set before mpv_initialize so that they
 * hold while it starts, and again after it, because mpv's config files override what was set
 * before (measured on 0.35): the user's mpv.conf may say terminal=no or idle=yes. */
static int apply_core(mpv_handle *h, const struct player_opts *o, const char *vo, int terminal,
                      struct error *err)
{
    const char *t = terminal ? "yes" : "no";
    if (set_opt(h, "terminal", t, err) || set_opt(h, "input-terminal", t, err) ||
        set_opt(h, "input-default-bindings", "yes", err) || set_opt(h, "idle", "once", err) ||
        set_opt(h, "keep-open", "no", err))   /* the queue ends at its end, back to winnow */
        return -1;
    if (vo && set_opt(h, "vo", vo, err)) return -1;
    if (o->audio_only || o->vo == PLAYER_VO_NONE)
        if (set_opt(h, "vid", "no", err)) return -1;
    if (o->ao == PLAYER_AO_NULL && set_opt(h, "ao", "null", err)) return -1;
    /* A box without a sound device (an SSH server) still plays the picture: mpv goes on with
     * its null output instead of failing every entry with "audio output initialization failed" */
    if (set_opt(h, "audio-fallback-to-null", "yes", err)) return -1;
    if (o->untimed && (set_opt(h, "untimed", "yes", err) || set_opt(h, "ao-null-untimed", "yes", err)))
        return -1;
    return 0;
}

static int apply_extra(mpv_handle *h, const struct player_opts *o, struct error *err)
{
    for (size_t i = 0; i < o->n_mpv_options; i++) {
        const char *kv = o->mpv_options[i];
        const char *eq = kv ? strchr(kv, '=') : NULL;
        if (!eq || eq == kv) {
            error_set(err, "mpv option \"%s\": expected key=value", kv ? kv : "");
            return -1;
        }
        char key[128];
        snprintf(key, sizeof key, "%.*s", (int)(eq - kv), kv);
        if (set_opt(h, key, eq + 1, err) < 0) return -1;
    }
    return 0;
}

/* The user may point mpv's hook at a yt-dlp outside $PATH in mpv's own config. */
static int ytdl_configured(mpv_handle *h)
{
    mpv_node n;
    int found = 0;
    if (mpv_get_property(h, "script-opts", MPV_FORMAT_NODE, &n) < 0) return 0;
    if (n.format == MPV_FORMAT_NODE_MAP)
        for (int i = 0; i < n.u.list->num; i++)
            if (!strcmp(n.u.list->keys[i], "ytdl_hook-ytdl_path") &&
                n.u.list->values[i].format == MPV_FORMAT_STRING && *n.u.list->values[i].u.string)
                found = 1;
    mpv_free_node_contents(&n);
    return found;
}

static void event_loop(struct session *s)
{
    for (;;) {
        /* with --stop-after, wake now and then to look at the clock too */
        mpv_event *ev = mpv_wait_event(s->h, s->stop_after > 0 ? 0.2 : -1);
        if (s->stop_after > 0 && s->cur >= 0 && !s->stopping &&
            mono_s() - s->entry_wall >= s->stop_after + STOP_WALL_SLACK_S) {
            s->stopping = 1;
            mpv_command_string(s->h, "quit");
        }
        switch (ev->event_id) {
        case MPV_EVENT_SHUTDOWN:
            /* log lines still waiting behind the events: the last entry's reasons among them */
            for (int i = 0; i < 10000; i++) {
                ev = mpv_wait_event(s->h, 0);
                if (ev->event_id == MPV_EVENT_NONE || ev->event_id == MPV_EVENT_SHUTDOWN) break;
                if (ev->event_id == MPV_EVENT_LOG_MESSAGE) note_message(s, ev->data);
            }
            return;
        case MPV_EVENT_START_FILE:
            s->entry_wall = mono_s();
            entry_started(s, ((mpv_event_start_file *)ev->data)->playlist_entry_id);
            break;
        case MPV_EVENT_END_FILE: entry_ended(s, ev->data); break;
        case MPV_EVENT_PROPERTY_CHANGE: property_changed(s, ev); break;
        case MPV_EVENT_LOG_MESSAGE: note_message(s, ev->data); break;
        case MPV_EVENT_CLIENT_MESSAGE: client_message(s, ev->data); break;
        default: break;
        }
    }
}

/* ALSA reports every device it cannot open straight to stderr, over the reader's screen or the
 * CLI's lines, and PipeWire's client logs its missing config the same way.  Both libraries are
 * already in the process when mpv is: winnow only turns their printing off (the outcome still
 * reaches the user, as mpv's fallback and our own one line). */
static void alsa_quiet(const char *file, int line, const char *function, int err, const char *fmt, ...)
{
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}

static void quiet_audio_libraries(void)
{
    setenv("PIPEWIRE_DEBUG", "0", 0);
    void *asound = dlopen("libasound.so.2", RTLD_NOW | RTLD_NOLOAD);
    if (!asound) return;
    typedef void (*handler_t)(const char *, int, const char *, int, const char *, ...);
    int (*set)(handler_t) = (int (*)(handler_t))dlsym(asound, "snd_lib_error_set_handler");
    if (set) set(alsa_quiet);
    dlclose(asound);
}

static int run_session(struct session *s, const struct player_opts *o, const char *vo, int terminal,
                       struct error *err)
{
    mpv_handle *h = s->h;
    s->ao_asked_null = o->ao == PLAYER_AO_NULL;
    quiet_audio_libraries();
    if (set_opt(h, "config", o->mpv_config ? "yes" : "no", err) || apply_core(h, o, vo, terminal, err) ||
        apply_extra(h, o, err))
        return -1;
    int rc = mpv_initialize(h);
    if (rc < 0) {
        error_set(err, "mpv could not start: %s", mpv_error_string(rc));
        return -1;
    }
    if (apply_core(h, o, vo, terminal, err) || apply_extra(h, o, err)) return -1;
    /* Without this, every plain URL that fails to load is handed to yt-dlp as well: half a second
     * more and its message instead of the real one.  Pages ask for yt-dlp with ytdl://. */
    const char *excl[] = {"change-list", "script-opts", "append", "ytdl_hook-exclude=.", NULL};
    mpv_command(h, excl);
    apply_preset(s, 0);
    if (s->tct && terminal) {
        const char *bind[] = {"keybind", PLAYER_PRESET_KEY, "script-message winnow-preset", NULL};
        mpv_command(h, bind);
    }
    /* verbose for the "finished playback" lines, see struct session */
    mpv_request_log_messages(h, "v");
    mpv_observe_property(h, OBS_TIME, "time-pos", MPV_FORMAT_DOUBLE);
    mpv_observe_property(h, OBS_DURATION, "duration", MPV_FORMAT_DOUBLE);
    mpv_observe_property(h, OBS_EOF, "eof-reached", MPV_FORMAT_FLAG);
    mpv_observe_property(h, OBS_AO, "current-ao", MPV_FORMAT_STRING);

    int have_ytdl = player_ytdl_find() != NULL || ytdl_configured(h);
    if (queue_items(s, have_ytdl) == 0) return 0;
    /* queued first and started after, so that a first entry failing at once cannot end the
     * session (idle=once) before the rest are in the playlist */
    mpv_set_property_string(h, "playlist-pos", "0");
    event_loop(s);
    return 0;
}

int player_play_queue(const struct player_item *items, size_t n, const struct player_opts *opts,
                      struct player_result *results, struct error *err)
{
    struct player_opts defaults;
    if (!opts) {
        player_opts_init(&defaults);
        opts = &defaults;
    }
    for (size_t i = 0; i < n; i++) {
        memset(&results[i], 0, sizeof results[i]);
        results[i].end = PLAYER_END_NONE;
        results[i].position = results[i].duration = -1;
    }
    if (n == 0) return 0;

    struct session s = {0};
    s.items = items;
    s.results = results;
    s.n = n;
    s.cur = -1;
    s.details = xcalloc(n, sizeof *s.details);
    s.stop_after = opts->stop_after;

    const char *vo = NULL;
    switch (opts->vo) {
    case PLAYER_VO_TCT: vo = "tct"; break;
    case PLAYER_VO_SIXEL: vo = "sixel"; break;
    case PLAYER_VO_GPU: vo = "gpu"; break;
    case PLAYER_VO_NULL: vo = "null"; break;
    case PLAYER_VO_NONE: vo = "null"; break;
    case PLAYER_VO_AUTO: vo = display_available() ? NULL : "tct"; break;
    }
    int any_video = 0;
    for (size_t i = 0; i < n; i++) any_video |= !items[i].audio_only;
    any_video &= !opts->audio_only && opts->vo != PLAYER_VO_NONE;
    int term_video = any_video && vo && (!strcmp(vo, "tct") || !strcmp(vo, "sixel"));
    s.tct = term_video && !strcmp(vo, "tct");
    const char *ssh_env = getenv("SSH_CONNECTION"), *ssh_tty = getenv("SSH_TTY");
    s.ssh = opts->preset == PLAYER_PRESET_SSH ||
            (opts->preset == PLAYER_PRESET_AUTO && ((ssh_env && *ssh_env) || (ssh_tty && *ssh_tty)));

    int terminal = opts->terminal < 0 ? isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) : opts->terminal;
    int alt = isatty(STDOUT_FILENO) &&
              (opts->alt_screen < 0 ? term_video : opts->alt_screen && (terminal || term_video));

    /* mpv_create refuses any other LC_NUMERIC, and mpv parses numbers with the C library for as
     * long as it runs */
    char *old_numeric = xstrdup(setlocale(LC_NUMERIC, NULL));
    setlocale(LC_NUMERIC, "C");
    struct player_tty tty;
    player_tty_take(&tty, alt);
    int rc = -1;
    s.h = mpv_create();
    if (!s.h) {
        const char *why = player_dl_error();
        error_set(err, "mpv could not start: %s", why ? why : "libmpv refused (out of memory?)");
    } else {
        rc = run_session(&s, opts, vo, terminal, err);
        mpv_terminate_destroy(s.h);
    }
    player_tty_give_back(&tty);
    setlocale(LC_NUMERIC, old_numeric);
    free(old_numeric);
    for (size_t i = 0; i < n; i++) {
        struct player_result *r = &results[i];
        if (r->end == PLAYER_END_ERROR && s.details[i].text[0]) {
            /* mpv's word for MPV_ERROR_GENERIC says nothing: the log line alone does */
            if (!strcmp(r->message, mpv_error_string(MPV_ERROR_GENERIC))) {
                snprintf(r->message, sizeof r->message, "%s", s.details[i].text);
            } else {
                size_t len = strlen(r->message);
                snprintf(r->message + len, sizeof r->message - len, " (%s)", s.details[i].text);
            }
        }
    }
    if (opts->vo == PLAYER_VO_GPU && !display_available())
        for (size_t i = 0; i < n; i++)
            if (results[i].end == PLAYER_END_ERROR && s.details[i].text[0]) {
                size_t len = strlen(results[i].message);
                snprintf(results[i].message + len, sizeof results[i].message - len,
                         "; no display for a window: DISPLAY and WAYLAND_DISPLAY are unset");
            }
    free(s.started);
    free(s.details);
    free(s.slots);
    return rc;
}
