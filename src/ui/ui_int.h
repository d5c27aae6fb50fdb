/* ui_int — what the UI's own rooms share: the session state, the view interface and the drawing
 * helpers.  Nothing outside src/ui includes this (include/ui.h is the public face). */
#ifndef WINNOW_UI_INT_H
#define WINNOW_UI_INT_H

#include <curses.h>
#include <stdint.h>
#include <sys/types.h>

#include "app.h"
#include "ui.h"

struct ui;
struct view;

/* A view draws the body (rows y0 .. y0+h-1) and handles the actions that concern it.  The frame
 * around it (title bar, status bar, message line) belongs to ui.c. */
struct view_ops {
    const char *name;
    void (*draw)(struct ui *u, struct view *v, int y0, int h, int w);
    /* 1 when the action was handled */
    int (*action)(struct ui *u, struct view *v, int act, int count);
    /* the title bar text and the status bar's right part (position) */
    void (*title)(struct ui *u, struct view *v, char *buf, size_t n);
    void (*position)(struct ui *u, struct view *v, char *buf, size_t n);
    /* the store changed under the view (refresh, marks): reload, keeping the cursor's item */
    void (*changed)(struct ui *u, struct view *v);
    /* search: move to the next match in direction dir (+1/-1), starting at the cursor itself when
     * here is set; 0 not found, 1 found, 2 found after wrapping around */
    int (*find)(struct ui *u, struct view *v, const char *needle, int dir, int here);
    int64_t (*get_pos)(struct view *v);
    void (*set_pos)(struct view *v, int64_t pos);
    /* the filter prompt's text was accepted ("" clears) */
    void (*filter)(struct ui *u, struct view *v, const char *text);
    /* raw sequences to write after the frame is on the terminal (OSC 8), or NULL */
    void (*after_draw)(struct ui *u, struct view *v);
    void (*free)(struct view *v);
};

struct view {
    const struct view_ops *ops;
};

enum prompt_kind { PR_NONE, PR_SEARCH, PR_FILTER, PR_ADD_LINK, PR_CONFIRM };

struct prompt {
    enum prompt_kind kind;
    char label[64];
    char text[1024];
    size_t len;
    int64_t saved_pos;          /* search: where the cursor was, for Esc */
    char note[80];              /* shown at the right of the prompt ("no match") */
    int confirm_action;         /* PR_CONFIRM: what y confirms */
};

struct failure {
    char *title, *url, *message;
};

#define UI_MAX_VIEWS 16
#define UI_MAX_KIDS 32
#define UI_MAX_THEMES 64

struct ui {
    struct app *app;
    struct keymap km;
    struct theme theme;
    enum color_mode cm;
    int ascii;
    int rows, cols;
    int too_small;
    SCREEN *screen;

    struct view *stack[UI_MAX_VIEWS];
    int depth;

    char msg[600];
    int msg_elem;
    struct prompt prompt;
    char search[256];
    int count;                  /* count prefix being typed, 0 none */

    /* refresh in the background */
    struct refresh *refresh;
    size_t rf_total, rf_done, rf_failed, rf_new;
    size_t rf_new_since;        /* new items since the views last reloaded */
    int rf_dirty;               /* new items arrived since the views last reloaded */
    double rf_last_reload;
    struct failure *failures;   /* of the last refresh */
    size_t n_failures, cap_failures;
    int had_refresh;
    size_t n_feeds;             /* for the river's title, loaded after the first frame */
    int n_feeds_known;

    pid_t kids[UI_MAX_KIDS];
    int n_kids;
    char *raw_out;              /* sequences to write after the next doupdate (OSC 52) */
    int sig_pipe[2];
    int quit;
    int full_redraw;
    int repainted;              /* this frame repainted the whole screen */
};

/* ---- ui.c: services for the views ---- */
void ui_message(struct ui *u, int elem, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void ui_push(struct ui *u, struct view *v);
void ui_pop(struct ui *u);
/* Closes views until depth are left (at least the first). */
void ui_pop_to(struct ui *u, int depth);
struct view *ui_top(struct ui *u);
int ui_body_height(const struct ui *u);
void ui_start_refresh(struct ui *u, const int64_t *ids, size_t n, const char *what);
/* Opens / copies a URL (o / y). */
void ui_open_url(struct ui *u, const char *url);
void ui_copy_url(struct ui *u, const char *url);
void ui_raw_append(struct ui *u, const char *s, size_t n);
void ui_reap_kids(struct ui *u);

/* ---- live.c: refreshing while the reader runs ---- */
#define RELOAD_MS 300           /* how often a running refresh may reload the lists */
void ui_reload_views(struct ui *u);
void ui_finish_refresh(struct ui *u);
void ui_count_feeds(struct ui *u);
void ui_clear_failures(struct ui *u);

/* ---- views ---- */
struct view *items_view_new(struct ui *u, int64_t feed_id, const char *tag, const char *title);
/* The item under an items view's cursor (NULL when the list is empty), and moving it. */
const struct item *items_view_current(struct ui *u, struct view *v);
int items_view_step(struct ui *u, struct view *v, int delta);
int items_view_is(const struct view *v);
/* The feed an items view shows (0: several). */
int64_t items_view_feed(const struct view *v);
void items_view_mark_current(struct ui *u, struct view *v, int read);
void items_view_mark_all(struct ui *u, struct view *v);

struct view *feeds_view_new(struct ui *u);
int feeds_view_is(const struct view *v);
void feeds_view_mark_all(struct ui *u, struct view *v);

struct view *detail_view_new(struct ui *u, struct view *list, int64_t item_id);
struct view *help_view_new(struct ui *u);
struct view *errors_view_new(struct ui *u);
int view_is_help(const struct view *v);
int view_is_errors(const struct view *v);

/* ---- prompt.c ---- */
void prompt_open(struct ui *u, enum prompt_kind kind, const char *label, const char *initial);
/* Feeds a key to the open prompt; returns 1 when it was consumed. */
int prompt_key(struct ui *u, int key);
void prompt_draw(struct ui *u, int y, int w);

/* ---- draw.c ---- */
struct glyphs {
    const char *cursor, *unread, *star, *error, *sep, *times, *badge_blank, *ellipsis;
};
void draw_set_ascii(int ascii);
const struct glyphs *draw_glyphs(void);
/* Draws sanitised text at (y, x) in at most w columns with the element's colours; controls that
 * slipped through become '?', and without UTF-8 so does every non-ASCII character.  Returns the
 * columns used. */
int draw_text(int y, int x, int w, const char *s, int elem);
/* Same, right-aligned so the text ends at x + w. */
int draw_text_right(int y, int x, int w, const char *s, int elem);
void draw_fill(int y, int x, int w, int elem);
/* "1,234,567" */
void fmt_count(int64_t n, char *buf, size_t len);
/* Local date "2024-05-01" (width 10) and "2024-05-01 14:02" (16); "" when unknown. */
void fmt_date(int64_t t, char *buf, size_t n);
void fmt_datetime(int64_t t, char *buf, size_t n);

/* ---- theme.c (ncurses side) ---- */
void theme_apply(const struct theme *t, enum color_mode m);
attr_t theme_attr(int elem);
int theme_pair(int elem);

/* ---- spawn.c ---- */
/* Starts argv without a shell; wait: the child owns the terminal until it exits.  Returns the
 * pid (or 0 after waiting), -1 with err. */
pid_t ui_spawn(char **argv, int wait, struct error *err);
/* Writes all of s to fd (the terminal), retrying short writes. */
void ui_write_all(int fd, const char *s, size_t n);

#endif
