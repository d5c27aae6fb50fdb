/* SPDX-License-Identifier: ISC */
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
struct ui_media;

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

enum prompt_kind { PR_NONE, PR_SEARCH, PR_FILTER, PR_ADD_LINK, PR_CONFIRM, PR_NEW_LIST };

struct prompt {
    enum prompt_kind kind;
    char label[64];
    char text[1024];
    size_t len;
    int64_t saved_pos;          /* search: where the cursor was, for Esc */
    char note[80];              /* shown at the right of the prompt ("no match") */
    int search_due;             /* search: the text changed; search once the typed keys are read */
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
    size_t rf_capped;           /* feeds whose new items max-new-items held back */
    unsigned store_errors_said; /* of app->store_errors (background scans), how many were shown */
    int rf_dirty;               /* new items arrived since the views last reloaded */
    double rf_last_reload;
    struct failure *failures;   /* of the last refresh */
    size_t n_failures, cap_failures;
    int had_refresh;
    size_t n_feeds;             /* for the river's title, loaded after the first frame */
    size_t n_feeds_failed;      /* of them, those whose last refresh failed */
    int n_feeds_known;

    pid_t kids[UI_MAX_KIDS];
    int n_kids;
    char *raw_out;              /* sequences to write after the next doupdate (OSC 52) */
    int sig_pipe[2];
    int quit;
    int full_redraw;
    int repainted;              /* this frame repainted the whole screen */

    /* curation and playback (view_lists.c, picker.c, play.c) */
    int64_t *sel;               /* selected item ids, in the order they were selected */
    size_t n_sel, cap_sel;
    const struct view *sel_view;   /* the view they were selected in */
    int sel_range;              /* select-range: items the cursor reaches join the selection */
    int play_preset;            /* 0: as configured; else the preset toggled for the next play */
    int64_t *play_ids;          /* waiting for the resume question */
    size_t n_play_ids;
    int64_t *pick_ids;          /* what the picker's choice receives */
    size_t n_pick_ids;
    int64_t confirm_list;       /* the list a delete question is about */

    /* thumbnails and media scans (thumbs.c) */
    struct ui_media *media;
    int grid;                   /* the items' layout: LAYOUT_LIST, _GRID or _CARDS (layout =, v cycles) */
    int layout_read;            /* layout = cards applied (the media set-up knows list and grid) */
    int hide_ai;                /* H: items the "ai" filter names are hidden for this session */
};

/* u->grid: the items view's layout.  v cycles list -> cards -> grid -> list. */
enum { LAYOUT_LIST = 0, LAYOUT_GRID = 1, LAYOUT_CARDS = 2 };

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
struct view *ui_items_view_new(struct ui *u, int64_t feed_id, const char *tag, const char *title);
/* The item under an items view's cursor (NULL when the list is empty), and moving it. */
const struct item *ui_items_view_current(struct ui *u, struct view *v);
int ui_items_view_step(struct ui *u, struct view *v, int delta);
int ui_items_view_is(const struct view *v);
/* Cards per row in the grid as last drawn (1 in the list and cards layouts). */
int ui_items_view_columns(const struct view *v);

void ui_items_view_mark_current(struct ui *u, struct view *v, int read);
void ui_items_view_mark_all(struct ui *u, struct view *v);

struct view *ui_feeds_view_new(struct ui *u);
int ui_feeds_view_is(const struct view *v);
void ui_feeds_view_mark_all(struct ui *u, struct view *v);

struct view *ui_detail_view_new(struct ui *u, struct view *list, int64_t item_id);
/* The item a detail view shows, or NULL for any other view. */
const struct item *ui_detail_view_item(const struct view *v);
struct view *ui_help_view_new(struct ui *u);
struct view *ui_errors_view_new(struct ui *u);
int ui_view_is_help(const struct view *v);
int ui_view_is_errors(const struct view *v);

/* ---- hooks.c: provenance in the reader, as the session stores it ---- */
/* 1 when the item's media are marked sensitive and sensitive-media is not "show": rows mark it,
 * cards and the detail draw a placeholder instead of its picture. */
int ui_item_withheld(struct ui *u, const struct item *it);
/* The badge's two cells for a row and the theme element to draw them in. */
void ui_badge_cells(struct ui *u, const struct item *it, char out[2][8], int *elem);
/* The detail view's provenance section. */
void ui_provenance_lines(struct ui *u, const struct item *it, struct strbuf *out);
/* Changes whenever a stored verdict changes: views redraw their badges then. */
unsigned ui_prov_generation(struct ui *u);

/* ---- thumbs.c: the thumbnail queue, on the session's fetcher ---- */
void ui_media_init(struct ui *u);
void ui_media_free(struct ui *u);
/* Adds the queue's fd to a poll set; returns the count added (0 or 1). */
unsigned ui_media_fds(struct ui *u, struct fetch_waitfd *fds);
/* Takes finished thumbnails; returns how many (the screen needs a redraw). */
int ui_media_collect(struct ui *u);
/* Before a frame: resets colour pairs when thumbnails used many (forces a full redraw). */
void ui_media_frame(struct ui *u);
/* Draws url's thumbnail in a cols × rows box at (y, x), centred; a placeholder while it loads, a
 * small marker when it failed.  prio: higher first (visible rows above the page ahead). */
void ui_thumb_draw(struct ui *u, const char *url, int y, int x, int cols, int rows, int prio);
/* Forgets the pictures that failed, so that the next frame asks for them again (each refresh). */
void ui_media_retry_failed(struct ui *u);
/* Asks for it without drawing (the page ahead). */
void ui_thumb_want(struct ui *u, const char *url, int cols, int rows, int prio);
/* The item was opened: its media are scanned now if they were not (the session queues them first). */
void ui_media_scan_head(struct ui *u, const struct item *it);
/* thumbnails = sixel|kitty (outside tmux, or forced): 1 when url's picture is ready as pixels for
 * a cols × rows box (then draw no symbols there), else 0 and it is being fetched. */
int ui_thumb_graphics(struct ui *u, const char *url, int cols, int rows);
/* After doupdate: writes that picture at (y, x) for owner (the view showing it). */
void ui_thumb_graphics_put(struct ui *u, const void *owner, int y, int x);
/* The picture moved or its view closed: removes it (kitty) and repaints the screen. */
void ui_thumb_graphics_gone(struct ui *u);

/* ---- view_items.c: an items view of one list, in list order; the list it shows (0: none) ---- */
struct view *ui_items_view_new_list(struct ui *u, int64_t list_id, const char *title);
int64_t ui_items_view_list(const struct view *v);

/* ---- view_lists.c: the lists view, the selection and the curation keys ---- */
struct view *ui_lists_view_new(struct ui *u);
int ui_lists_view_is(const struct view *v);
/* The curation and playback keys, before the view's own handling: 1 when handled. */
int ui_curate_action(struct ui *u, struct view *v, int act, int count);
/* After any action: select-range collects the item under the cursor. */
void ui_curate_after(struct ui *u, struct view *v);
/* A y/n question of the curation keys was answered with key. */
void ui_curate_confirm(struct ui *u, int act, int key);
/* 1 when the item is selected in the view on top: the row code draws its marker from this. */
int ui_item_selected(const struct ui *u, int64_t item_id);
void ui_selection_clear(struct ui *u);
/* Frees what the curation keys hold (at exit). */
void ui_curate_free(struct ui *u);

/* ---- picker.c: choosing a list by typing ---- */
void ui_picker_open(struct ui *u, const int64_t *ids, size_t n);
int ui_picker_is(const struct view *v);
/* Keys go here first while the picker is on top: 1 when consumed. */
int ui_picker_key(struct ui *u, int key);
/* The "new list…" prompt was accepted. */
void ui_picker_new_list(struct ui *u, const char *name);
/* Adds ids to a list and says so ("→ keep", "already in keep"). */
void ui_add_to_list(struct ui *u, int64_t list_id, const int64_t *ids, size_t n);

/* ---- play.c: playback from the reader ---- */
/* 1 when Enter plays the item rather than opening it: audio or video, or a page with yt-dlp. */
int ui_item_playable(const struct item *it);
/* Plays the items as one queue (asks first with resume = ask). */
void ui_play_ids(struct ui *u, const int64_t *ids, size_t n);
/* The answer to "resume at 1:23? [y/n]". */
void ui_play_answer(struct ui *u, int key);
void ui_toggle_preset(struct ui *u);

/* ---- grid.c: items as cards ---- */
struct grid_geom {
    int ncols, nrows;        /* cards across and down */
    int card_w, card_h;
    int tcols, trows;        /* the picture's box */
    int rows;                /* 1: one card per row, the picture on the left (layout = cards) */
};
void ui_grid_geometry(int w, int h, struct grid_geom *g);
/* The cards layout: a one-column grid of 3-line rows with a small picture on the left. */
void ui_cards_geometry(int w, int h, struct grid_geom *g);
/* Cards for items top.. (at gives item i or NULL), the cursor's marked; asks for the next page's
 * pictures too. */
void ui_grid_draw(struct ui *u, const struct grid_geom *g, int y0, int64_t top, int64_t cur, int from_feed,
               const struct item *(*at)(void *ctx, int64_t i), void *ctx);
/* The detail view's picture box for a body of w × h. */
void ui_detail_thumb_box(int w, int h, int *cols, int *rows);

/* ---- prompt.c ---- */
void ui_prompt_open(struct ui *u, enum prompt_kind kind, const char *label, const char *initial);
/* Feeds a key to the open prompt; returns 1 when it was consumed. */
int ui_prompt_key(struct ui *u, int key);
void ui_prompt_draw(struct ui *u, int y, int w);

/* ---- draw.c ---- */
struct glyphs {
    const char *cursor, *unread, *star, *error, *sep, *times, *badge_blank, *ellipsis;
};
void ui_draw_set_ascii(int ascii);
const struct glyphs *ui_draw_glyphs(void);
/* Draws sanitised text at (y, x) in at most w columns with the element's colours; controls that
 * slipped through become '?', and without UTF-8 so does every non-ASCII character.  Returns the
 * columns used. */
int ui_draw_text(int y, int x, int w, const char *s, int elem);
/* ui_draw_text with every occurrence of needle (ASCII case-insensitive, as the search matches) drawn
 * in hl_elem; needle NULL or "" draws plainly.  Returns the columns drawn. */
int ui_draw_text_hl(int y, int x, int w, const char *s, int elem, const char *needle, int hl_elem);
/* What to highlight as a search match: the search being typed, else the last one ("" none). */
const char *ui_search_term(const struct ui *u);
/* Same, right-aligned so the text ends at x + w. */
int ui_draw_text_right(int y, int x, int w, const char *s, int elem);
void ui_draw_fill(int y, int x, int w, int elem);
/* "1,234,567" */
void ui_fmt_count(int64_t n, char *buf, size_t len);
/* Local date "2024-05-01" (width 10) and "2024-05-01 14:02" (16); "" when unknown. */
void ui_fmt_date(int64_t t, char *buf, size_t n);
void ui_fmt_datetime(int64_t t, char *buf, size_t n);

/* ---- theme.c (ncurses side) ---- */
void theme_apply(const struct theme *t, enum color_mode m);
attr_t theme_attr(int elem);
int theme_pair(int elem);

/* ---- spawn.c ---- */
/* Starts argv without a shell; wait: the child owns the terminal until it exits.  Returns the
 * pid (or 0 after waiting), -1 with err. */
pid_t ui_spawn(char **argv, int wait, struct error *err);

#endif
