/* SPDX-License-Identifier: ISC */
/* player — playback through libmpv.  A queue of media URLs plays in one mpv session, so mpv's own
 * next/previous keys move through it; video goes to the terminal (vo=tct, or sixel), to a window, or
 * nowhere (audio only).  Each entry comes back with how it ended (end of file, quit, skipped, error
 * with mpv's reason), where and of how long, which is what resume and read marks are made of.
 * The terminal handoff (player_term_*) is what the TUI wraps around a playback so that mpv can own
 * the terminal and ncurses gets it back exactly as it was, any number of times. */
#ifndef WINNOW_PLAYER_H
#define WINNOW_PLAYER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Where video goes.  AUTO: a window when a display is available ($DISPLAY / $WAYLAND_DISPLAY),
 * else the terminal.  NONE: no video at all (audio only).  NULL: decode but show nothing (tests). */
enum player_vo { PLAYER_VO_TCT, PLAYER_VO_SIXEL, PLAYER_VO_GPU, PLAYER_VO_AUTO, PLAYER_VO_NONE,
                 PLAYER_VO_NULL };
enum player_ao { PLAYER_AO_AUTO, PLAYER_AO_NULL };
/* FULL: truecolour at the video's frame rate, the whole terminal.  SSH: 256 colours, 10 fps, two
 * thirds of the terminal in each direction (0.43 MB/s at 120×40 against 3.5 for FULL, 25 fps,
 * bench/play.sh).  AUTO: SSH when $SSH_CONNECTION or $SSH_TTY is set. */
enum player_preset { PLAYER_PRESET_AUTO, PLAYER_PRESET_FULL, PLAYER_PRESET_SSH };

/* The key inside mpv that switches between the full and the SSH preset (terminal video only). */
#define PLAYER_PRESET_KEY "b"

struct player_opts {
    enum player_vo vo;                /* PLAYER_VO_TCT */
    enum player_ao ao;                /* PLAYER_AO_AUTO: mpv's (or its config's) choice */
    enum player_preset preset;        /* PLAYER_PRESET_AUTO */
    int audio_only;                   /* every entry without video (0) */
    int mpv_config;                   /* load mpv's own config dir, e.g. ~/.config/mpv (1) */
    const char *const *mpv_options;   /* "key=value" mpv options, applied after mpv's config */
    size_t n_mpv_options;
    int terminal;                     /* mpv owns the terminal (keys, status line): -1 when stdin
                                         and stdout are terminals (-1), 0 never, 1 always */
    int alt_screen;                   /* play on the terminal's alternate screen so the screen
                                         underneath stays intact: -1 when video is drawn in the
                                         terminal (-1), 1 whenever mpv owns it (the TUI), 0 never */
    /* for tests */
    int untimed;                      /* decode as fast as possible, no clock (0) */
    double stop_after;                /* > 0: stop once an entry plays past this position, or
                                         has played 2 s of wall time longer (timestamps that jump
                                         back), the way `q` would (0) */
};

void player_opts_init(struct player_opts *o);

struct player_item {
    const char *url;
    const char *title;                /* for mpv's title; NULL: mpv's own */
    double start;                     /* seconds to start at (resume); 0 the beginning */
    int audio_only;                   /* this entry without video (a podcast episode) */
    int page;                         /* a web page (a YouTube watch URL): played through yt-dlp */
};

/* How an entry ended.  NONE: never reached (quit earlier, or not loaded). STOP: left by next,
 * previous or another playlist action before its end. */
enum player_end { PLAYER_END_NONE, PLAYER_END_EOF, PLAYER_END_QUIT, PLAYER_END_STOP,
                  PLAYER_END_ERROR };

struct player_result {
    enum player_end end;
    double position;                  /* seconds where it ended (its duration on EOF); -1 unknown */
    double duration;                  /* -1 unknown */
    char message[320];                /* ERROR: "loading failed (HTTP 404 Not Found)" */
    int no_audio_device;              /* played without sound: no audio output could be opened */
};

/* Plays items[0..n) in order in one mpv session and fills results[0..n).  Returns 0 when the session
 * ran (whatever each entry's end), -1 when mpv could not start (err says why).  An entry that needs
 * yt-dlp when none is installed ends with ERROR at once and the rest still play.  Signal handlers,
 * the tty modes and LC_NUMERIC are as before when it returns. */
int player_play_queue(const struct player_item *items, size_t n, const struct player_opts *opts,
                      struct player_result *results, struct error *err);

/* Parsing option words; 0 or -1 for an unknown word. */
int player_vo_parse(const char *s, enum player_vo *out);      /* tct sixel gpu auto none null */
int player_ao_parse(const char *s, enum player_ao *out);      /* auto null */
int player_preset_parse(const char *s, enum player_preset *out);   /* auto full ssh */

const char *player_end_name(enum player_end e);               /* "EOF", "QUIT", ... */
/* "1:23", "1:02:03"; "?" for a negative (unknown) time. */
const char *player_format_time(double seconds, char *buf, size_t size);

/* A URL of a page that only yt-dlp turns into media (YouTube, Vimeo, ...), by host. */
int player_url_is_page(const char *url);
/* The yt-dlp (or youtube-dl) program on $PATH, or NULL when neither is installed. */
const char *player_ytdl_find(void);

/* Terminal handoff for the TUI.  suspend: saves ncurses' program mode and leaves it (def_prog_mode,
 * endwin), and saves the signal handlers mpv replaces.  resume: restores the handlers and the tty,
 * resizes ncurses to the terminal's current size when it changed meanwhile (KEY_RESIZE is then
 * queued), and repaints the whole screen.  Returns 1 when the size changed, else 0.  The reader:
 *     player_term_suspend(&t);
 *     app_play_run(app, entries, n, &opts, &err);      opts.alt_screen = 1
 *     if (player_term_resume(&t)) relayout;  redraw;  status line: app_play_describe(...)
 * Works any number of times in one process (tests/e2e/play_tct.sh). */
#define PLAYER_TERM_NSIG 10
struct player_term {
    struct sigaction saved[PLAYER_TERM_NSIG];
    int curses;                       /* ncurses was active at suspend */
    int rows, cols;                   /* its size then */
};
/* The signal dispositions mpv changes, saved and put back (PLAYER_TERM_NSIG entries). */
void player_signals_save(struct sigaction *saved);
void player_signals_restore(const struct sigaction *saved);
/* In src/ui/player_term.c: the reader's ncurses side. */
void player_term_suspend(struct player_term *t);
int player_term_resume(struct player_term *t);

#endif
