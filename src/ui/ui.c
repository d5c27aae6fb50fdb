/* SPDX-License-Identifier: ISC */
/* ui — the reader's event loop and frame.  One thread: the loop waits in poll() on the terminal
 * (and a self-pipe for signals) with no timeout while idle, or inside the refresh's
 * curl_multi_poll with the terminal as an extra fd while feeds are fetched, so typing never waits
 * for the network and an idle reader costs no CPU.  Each pass handles every key that arrived,
 * then draws one frame; ncurses sends only what changed. */
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <term.h>
#include <unistd.h>

#include "text.h"
#include "ui_int.h"

/* Below this the reader says so and waits for the pane to grow; above it, views drop columns
 * and the grid falls back to cards, then to the list, as the room shrinks. */
#define MIN_COLS 40
#define MIN_ROWS 10

static int sig_fd = -1;
static volatile sig_atomic_t got_winch, got_quit;

static void on_signal(int sig)
{
    int saved = errno;
    if (sig == SIGWINCH) got_winch = 1;
    else got_quit = 1;
    if (sig_fd >= 0) {
        char c = 0;
        if (write(sig_fd, &c, 1) < 0) { /* the pipe is full: a wake-up is pending anyway */ }
    }
    errno = saved;
}

void ui_message(struct ui *u, int elem, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(u->msg, sizeof u->msg, fmt, ap);
    va_end(ap);
    if (k >= (int)sizeof u->msg) text_trim_partial(u->msg);   /* not half a character at the cut */
    u->msg_elem = elem;
}

struct view *ui_top(struct ui *u) { return u->depth ? u->stack[u->depth - 1] : NULL; }

void ui_push(struct ui *u, struct view *v)
{
    if (!v) return;
    if (u->depth == UI_MAX_VIEWS) {
        /* cannot happen with the views as they are (help and errors replace each other), but a
         * view below may be referenced by the one above it: refuse rather than drop one */
        v->ops->free(v);
        ui_message(u, EL_ERROR, "too many views open; q closes one");
        return;
    }
    u->stack[u->depth++] = v;
}

/* Closes views down to depth (at least the first); the one then on top reloads once, so what the
 * closed views did (marks, stars) shows in it. */
void ui_pop_to(struct ui *u, int depth)
{
    if (depth < 1) depth = 1;
    if (u->depth <= depth) return;
    while (u->depth > depth) {
        struct view *v = u->stack[--u->depth];
        v->ops->free(v);
    }
    struct view *t = ui_top(u);
    if (t->ops->changed) t->ops->changed(u, t);
}

void ui_pop(struct ui *u) { ui_pop_to(u, u->depth - 1); }

int ui_body_height(const struct ui *u)
{
    return u->rows - 3 > 1 ? u->rows - 3 : 1;
}

void ui_raw_append(struct ui *u, const char *s, size_t n)
{
    size_t old = u->raw_out ? strlen(u->raw_out) : 0;
    u->raw_out = xrealloc(u->raw_out, old + n + 1);
    memcpy(u->raw_out + old, s, n);
    u->raw_out[old + n] = 0;
}

/* ---- the frame ---- */

/* Appends "KEY label" for the action's first key, when it still fits in width columns. */
static void hint(struct ui *u, struct strbuf *b, int width, int act, const char *label)
{
    char keys[160], one[200];
    keymap_keys_for(&u->km, act, keys, sizeof keys);
    if (!keys[0]) return;
    char *comma = strstr(keys, ", ");
    if (comma) *comma = 0;
    snprintf(one, sizeof one, "%s%s %s", b->len ? "  " : " ", keys, label);
    if ((b->len ? text_width(b->s) : 0) + text_width(one) > width) return;
    sb_adds(b, one);
}

static void status_left(struct ui *u, struct view *v, struct strbuf *b, int width)
{
    if (u->refresh) {
        sb_printf(b, " Refreshing %zu/%zu", u->rf_done, u->rf_total);
        if (u->rf_failed) sb_printf(b, " %s %zu failed", ui_draw_glyphs()->sep, u->rf_failed);
        if (u->rf_new) sb_printf(b, " %s %zu new", ui_draw_glyphs()->sep, u->rf_new);
        return;
    }
    if (u->n_sel && u->sel_view == v)
        sb_printf(b, " %zu selected%s ", u->n_sel, u->sel_range ? " (range: V ends)" : "");
    /* help and the way out first: they must fit at any width */
    hint(u, b, width, ACT_HELP, "help");
    hint(u, b, width, ACT_QUIT, u->depth > 1 ? "back" : "quit");
    if (ui_items_view_is(v)) {
        hint(u, b, width, ACT_OPEN, "open");
        /* what sets winnow apart, before the keys every reader has */
        hint(u, b, width, ACT_PLAY, "play");
        hint(u, b, width, ACT_LIST_ADD, "list");
        hint(u, b, width, ACT_TOGGLE_LAYOUT, "view");
        hint(u, b, width, ACT_TOGGLE_HIDE_AI, "hide AI");
        hint(u, b, width, ACT_SEARCH, "search");
        hint(u, b, width, ACT_FILTER, "filter");
        hint(u, b, width, ACT_TOGGLE_UNREAD, "unread");
        hint(u, b, width, ACT_FEEDS, "feeds");
        hint(u, b, width, ACT_REFRESH_ALL, "refresh");
    } else if (ui_feeds_view_is(v)) {
        hint(u, b, width, ACT_OPEN, "open");
        hint(u, b, width, ACT_SHOW_ERROR, "error");
        hint(u, b, width, ACT_ERRORS, "errors");
        hint(u, b, width, ACT_REFRESH, "refresh");
        hint(u, b, width, ACT_ADD_LINK, "add link");
    } else if (ui_picker_is(v)) {
        /* the picker takes every key, so the usual hints would mislead */
        b->len = 0;
        sb_adds(b, " type to narrow  Up/Down move  Enter chooses  Esc cancels");
    } else if (ui_lists_view_is(v)) {
        hint(u, b, width, ACT_OPEN, "open");
        hint(u, b, width, ACT_PLAY, "play");
        hint(u, b, width, ACT_LIST_REMOVE, "delete");
        hint(u, b, width, ACT_UNDO, "undo");
    } else if (ui_view_is_help(v) || ui_view_is_errors(v)) {
        hint(u, b, width, ACT_DOWN, "down");
        hint(u, b, width, ACT_UP, "up");
        hint(u, b, width, ACT_PAGE_DOWN, "page");
        hint(u, b, width, ACT_SEARCH, "search");
    } else {
        hint(u, b, width, ACT_OPEN_LINK, "open link");
        hint(u, b, width, ACT_COPY_LINK, "copy");
        hint(u, b, width, ACT_NEXT_ITEM, "next");
        hint(u, b, width, ACT_PREV_ITEM, "previous");
        hint(u, b, width, ACT_SEARCH, "search");
    }
}

static void draw_too_small(struct ui *u)
{
    char b[160];
    snprintf(b, sizeof b, "terminal too small: %d%s%d, winnow needs at least %d%s%d", u->cols,
             ui_draw_glyphs()->times, u->rows, MIN_COLS, ui_draw_glyphs()->times, MIN_ROWS);
    int w = text_width(b);
    int x = w < u->cols ? (u->cols - w) / 2 : 0;
    ui_draw_text(u->rows / 2, x, u->cols - x, b, EL_ERROR);
}

static void draw_frame(struct ui *u)
{
    getmaxyx(stdscr, u->rows, u->cols);
    ui_media_frame(u);
    erase();
    u->too_small = u->rows < MIN_ROWS || u->cols < MIN_COLS;
    struct view *v = ui_top(u);
    if (u->too_small) {
        draw_too_small(u);
    } else {
        int w = u->cols;
        char title[700];
        title[0] = 0;
        v->ops->title(u, v, title, sizeof title);
        ui_draw_fill(0, 0, w, EL_TITLE);
        int x = ui_draw_text(0, 0, w, " winnow ", EL_TITLE);
        x += ui_draw_text(0, x, w - x, ui_draw_glyphs()->sep, EL_TITLE);
        x += ui_draw_text(0, x, 1, " ", EL_TITLE);
        ui_draw_text(0, x, w - x - 1, title, EL_TITLE);

        v->ops->draw(u, v, 1, ui_body_height(u), w);

        int sy = u->rows - 2;
        ui_draw_fill(sy, 0, w, EL_STATUS);
        char right[96], pos[64];
        pos[0] = 0;
        v->ops->position(u, v, pos, sizeof pos);
        if (u->count) snprintf(right, sizeof right, "%d  %s ", u->count, pos);
        else snprintf(right, sizeof right, "%s ", pos);
        int rw = ui_draw_text_right(sy, 0, w, right, EL_STATUS);
        struct strbuf left;
        sb_init(&left);
        status_left(u, v, &left, w - rw - 1);
        ui_draw_text(sy, 0, w - rw - 1, left.s ? left.s : "", EL_STATUS);
        sb_free(&left);

        if (u->prompt.kind != PR_NONE) ui_prompt_draw(u, u->rows - 1, w);
        else if (u->msg[0]) ui_draw_text(u->rows - 1, 0, w, u->msg, u->msg_elem);
    }
    /* with the cursor hidden ncurses need not park it after each update: fewer bytes per frame */
    leaveok(stdscr, u->prompt.kind == PR_NONE || u->prompt.kind == PR_CONFIRM || u->too_small);
    u->repainted = u->full_redraw;
    if (u->full_redraw) {
        clearok(curscr, TRUE);
        u->full_redraw = 0;
    }
    wnoutrefresh(stdscr);
    doupdate();
    if (!u->too_small && v->ops->after_draw) v->ops->after_draw(u, v);
    if (u->raw_out) {
        /* after doupdate: ncurses has flushed, these bytes follow the frame */
        (void)write_all(STDOUT_FILENO, u->raw_out, strlen(u->raw_out));
        free(u->raw_out);
        u->raw_out = NULL;
    }
}

/* ---- actions ---- */

static void cycle_theme(struct ui *u)
{
    char (*names)[64] = xcalloc(UI_MAX_THEMES, 64);
    size_t n = theme_list(u->app->config_dir, names, UI_MAX_THEMES);
    size_t i = 0;
    while (i < n && strcmp(names[i], u->theme.name)) i++;
    const char *next = names[(i + 1) % n];
    struct theme t;
    struct error err;
    error_clear(&err);
    if (theme_load(&t, next, u->app->config_dir, &err) < 0) {
        ui_message(u, EL_ERROR, "%s", err.msg);
    } else {
        u->theme = t;
        theme_apply(&u->theme, u->cm);
        bkgdset((chtype)' ' | (chtype)COLOR_PAIR(theme_pair(EL_NORMAL)));
        u->full_redraw = 1;
        ui_message(u, EL_MESSAGE, "theme %s (%zu of %zu)", t.name, (i + 1) % n + 1, n);
    }
    free(names);
}

static void global_action(struct ui *u, int act, int count)
{
    struct view *v = ui_top(u);
    switch (act) {
    case ACT_QUIT:
        if (u->depth > 1) ui_pop(u);
        else u->quit = 1;
        return;
    case ACT_QUIT_NOW: u->quit = 1; return;
    case ACT_BACK: ui_pop_to(u, u->depth > 1 ? u->depth - 1 : 1); return;
    case ACT_HELP:
    case ACT_ERRORS:
        /* the same key closes the view it opened */
        if (act == ACT_HELP ? ui_view_is_help(v) : ui_view_is_errors(v)) {
            ui_pop(u);
            return;
        }
        if (ui_view_is_help(v) || ui_view_is_errors(v)) ui_pop(u);   /* one replaces the other */
        ui_push(u, act == ACT_HELP ? ui_help_view_new(u) : ui_errors_view_new(u));
        return;
    case ACT_FEEDS:
        for (int i = u->depth - 1; i >= 0; i--)
            if (ui_feeds_view_is(u->stack[i])) {
                ui_pop_to(u, i + 1);
                return;
            }
        ui_push(u, ui_feeds_view_new(u));
        return;
    case ACT_RIVER: ui_pop_to(u, 1); return;
    case ACT_SEARCH:
        ui_prompt_open(u, PR_SEARCH, "/", "");
        u->prompt.saved_pos = v->ops->get_pos(v);
        return;
    case ACT_SEARCH_NEXT:
    case ACT_SEARCH_PREV: {
        if (!u->search[0]) {
            ui_message(u, EL_MESSAGE, "no search yet (/ starts one)");
            return;
        }
        int r = 0;
        for (int i = 0; i < (count > 0 ? count : 1); i++) r = v->ops->find(u, v, u->search, act == ACT_SEARCH_NEXT ? 1 : -1, 0);
        if (r == 0) ui_message(u, EL_ERROR, "not found: %s", u->search);
        else if (r == 2) ui_message(u, EL_MESSAGE, "search wrapped around: %s", u->search);
        else ui_message(u, EL_MESSAGE, "/%s", u->search);
        return;
    }
    case ACT_FILTER:
        if (!v->ops->filter) ui_message(u, EL_MESSAGE, "nothing to filter here");
        else ui_prompt_open(u, PR_FILTER, "Filter (empty: all): ", "");
        return;
    case ACT_REFRESH_ALL: ui_start_refresh(u, NULL, 0, "all feeds"); return;
    case ACT_ADD_LINK: ui_prompt_open(u, PR_ADD_LINK, "Link to follow: ", ""); return;
    case ACT_CYCLE_THEME: cycle_theme(u); return;
    case ACT_TOGGLE_HIDE_AI:
        u->hide_ai = !u->hide_ai;
        ui_reload_views(u);
        ui_message(u, EL_MESSAGE, "%s", u->hide_ai ? "items declared or labelled AI-made are hidden (H shows them)"
                                                   : "AI-made items are shown again (H hides them)");
        return;
    case ACT_REDRAW: u->full_redraw = 1; return;
    case ACT_TOGGLE_LAYOUT:
        if (!ui_items_view_is(v)) break;
        /* list -> cards -> grid -> list */
        u->grid = u->grid == LAYOUT_LIST ? LAYOUT_CARDS : u->grid == LAYOUT_CARDS ? LAYOUT_GRID : LAYOUT_LIST;
        ui_message(u, EL_MESSAGE, "%s",
                   u->grid == LAYOUT_CARDS  ? "cards with thumbnails (v: grid of cards)"
                   : u->grid == LAYOUT_GRID ? "grid of cards (v: list)"
                                            : "list (v: cards with thumbnails)");
        return;
    case ACT_MARK_ALL_READ:
        if (!ui_items_view_is(v) && !ui_feeds_view_is(v)) break;
        ui_prompt_open(u, PR_CONFIRM, "Mark every item here read? (y/n) ", "");
        u->prompt.confirm_action = ACT_MARK_ALL_READ;
        return;
    default:
        break;
    }
    if (ui_curate_action(u, v, act, count)) {
        ui_curate_after(u, ui_top(u));
        return;
    }
    if (!v->ops->action(u, v, act, count))
        ui_message(u, EL_MESSAGE, "%s does nothing here", ui_action_info(act)->name);
    ui_curate_after(u, ui_top(u));
}

static void close_prompt(struct ui *u)
{
    u->prompt.kind = PR_NONE;
    u->prompt.search_due = 0;
    curs_set(0);
}

/* Incremental search, run once per batch of typed keys rather than per key: a fast typist (or a
 * paste) would otherwise pay one search of the whole store per character. */
static void prompt_search_now(struct ui *u)
{
    struct prompt *p = &u->prompt;
    if (p->kind != PR_SEARCH || !p->search_due) return;
    p->search_due = 0;
    struct view *v = ui_top(u);
    /* each change searches again from where the search began */
    v->ops->set_pos(v, p->saved_pos);
    snprintf(p->note, sizeof p->note, "%s", p->len && !v->ops->find(u, v, p->text, 1, 1) ? "no match" : "");
}

const char *ui_search_term(const struct ui *u)
{
    if (u->prompt.kind == PR_SEARCH && u->prompt.text[0]) return u->prompt.text;
    return u->search;
}

static void prompt_accept(struct ui *u)
{
    prompt_search_now(u);
    struct view *v = ui_top(u);
    struct prompt *p = &u->prompt;
    char text[sizeof p->text];
    snprintf(text, sizeof text, "%s", p->text);
    enum prompt_kind kind = p->kind;
    int missed = p->note[0] != 0;
    close_prompt(u);
    if (kind == PR_SEARCH) {
        /* the typing already moved the cursor to the match: Enter keeps it */
        if (!text[0]) return;
        snprintf(u->search, sizeof u->search, "%s", text);
        if (missed) ui_message(u, EL_ERROR, "not found: %s", text);
    } else if (kind == PR_FILTER) {
        v->ops->filter(u, v, text);
    } else if (kind == PR_NEW_LIST) {
        ui_picker_new_list(u, text);
    } else if (kind == PR_ADD_LINK) {
        char *url = text_sanitize_dup(text, strlen(text), TEXT_MAX_URL, 0);
        if (*url) {
            int64_t id = 0;
            const char *picked = NULL;
            struct error err;
            error_clear(&err);
            if (app_add_feed(u->app, url, "link", NULL, NULL, &id, &picked, &err) < 0) {
                ui_message(u, EL_ERROR, "%s", err.msg);
            } else {
                ui_reload_views(u);
                ui_start_refresh(u, &id, 1, url);
                ui_message(u, EL_MESSAGE, "following %s (%s)", url, picked ? picked : "link");
            }
        }
        free(url);
    }
}

static void prompt_handle(struct ui *u, int key)
{
    struct prompt *p = &u->prompt;
    struct view *v = ui_top(u);
    key = ui_key_normalise(key);
    if (p->kind == PR_CONFIRM) {
        int yes = key == 'y' || key == 'Y';
        int act = p->confirm_action;
        close_prompt(u);
        if (act != ACT_MARK_ALL_READ) {
            ui_curate_confirm(u, act, key);
            return;
        }
        if (!yes) ui_message(u, EL_MESSAGE, "nothing marked");
        else if (act == ACT_MARK_ALL_READ && ui_items_view_is(v)) ui_items_view_mark_all(u, v);
        else if (act == ACT_MARK_ALL_READ && ui_feeds_view_is(v)) ui_feeds_view_mark_all(u, v);
        return;
    }
    if (key == 27 || key == 7) {   /* Esc, ^G */
        if (p->kind == PR_SEARCH) v->ops->set_pos(v, p->saved_pos);
        close_prompt(u);
        return;
    }
    if (key == '\n') {
        prompt_accept(u);
        return;
    }
    if (!ui_prompt_key(u, key) || p->kind != PR_SEARCH) return;
    p->search_due = 1;   /* read_keys searches when the keys typed so far are read */
}

static void handle_key(struct ui *u, int key)
{
    if (u->prompt.kind != PR_NONE) {
        prompt_handle(u, key);
        return;
    }
    u->msg[0] = 0;
    if (ui_picker_is(ui_top(u)) && ui_picker_key(u, key)) return;
    int act = keymap_lookup(&u->km, key);
    if (act == ACT_NONE && key >= '0' && key <= '9' && (u->count > 0 || key != '0')) {
        if (u->count < 1000000) u->count = u->count * 10 + (key - '0');
        return;
    }
    int count = u->count;
    u->count = 0;
    /* the grid is two-dimensional: h/l and Left/Right move along a row (Enter still opens, q and
     * Esc still go back); j/k and Down/Up go to the row below or above (items_action) */
    struct view *top = ui_top(u);
    if (ui_items_view_is(top) && ui_items_view_columns(top) > 1) {
        int dx = 0;
        if (act == ACT_OPEN && (key == 'l' || key == UI_KEY_FN + KEY_RIGHT)) dx = 1;
        if (act == ACT_BACK && (key == 'h' || key == UI_KEY_FN + KEY_LEFT)) dx = -1;
        if (dx) {
            ui_items_view_step(u, top, dx * (count > 0 ? count : 1));
            return;
        }
    }
    if (act == ACT_NONE) {
        char name[32];
        ui_key_name(ui_key_normalise(key), name, sizeof name);
        ui_message(u, EL_MESSAGE, "%s is not bound (? lists the keys)", name);
        return;
    }
    global_action(u, act, count);
}

static void read_keys(struct ui *u)
{
    wint_t wc;
    int rc;
    while (!u->quit && (rc = get_wch(&wc)) != ERR) {
        if (rc == KEY_CODE_YES && (wc == KEY_RESIZE || wc == KEY_MOUSE)) continue;
        handle_key(u, rc == KEY_CODE_YES ? UI_KEY_FN + (int)wc : (int)wc);
    }
    prompt_search_now(u);
}

static void handle_signals(struct ui *u)
{
    char buf[64];
    while (read(u->sig_pipe[0], buf, sizeof buf) > 0)
        ;
    if (got_quit) u->quit = 1;
    if (got_winch) {
        got_winch = 0;
        struct winsize ws;
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
            resize_term(ws.ws_row, ws.ws_col);
            /* a terminal may reflow or clear on resize: repaint rather than trust the old picture */
            u->full_redraw = 1;
        }
    }
}

/* ---- setup ---- */

static int term_is_direct(const char *name)
{
    int err = 0;
    if (setupterm((char *)name, STDOUT_FILENO, &err) != OK) return -1;
    int direct = tigetflag("RGB") > 0 || tigetnum("colors") >= 0x1000000;
    del_curterm(cur_term);
    cur_term = NULL;
    return direct;
}

/* Truecolor only when told (COLORTERM, or truecolor = yes): ssh does not forward COLORTERM, and a
 * wrong guess garbles every colour.  ncurses speaks direct colour through a "-direct" terminfo
 * entry, so pick one for the terminal's family when TERM itself is not one. */
static const char *pick_term(struct ui *u, char *buf, size_t n)
{
    const char *ct = getenv("COLORTERM");
    int want = u->app->cfg.truecolor == 1 ||
               (u->app->cfg.truecolor == -1 && ct && (!strcmp(ct, "truecolor") || !strcmp(ct, "24bit")));
    const char *term = getenv("TERM");
    if (!want || !term || !*term || term_is_direct(term) != 0) return NULL;
    snprintf(buf, n, "%.*s-direct", (int)strcspn(term, "-"), term);
    if (term_is_direct(buf) == 1) return buf;
    snprintf(buf, n, "xterm-direct");
    if (term_is_direct(buf) == 1) return buf;
    ui_message(u, EL_MESSAGE, "truecolor: no direct-colour terminfo entry for %s (package ncurses-term); using 256 colours", term);
    return NULL;
}

static void setup_colors(struct ui *u)
{
    const char *nc = getenv("NO_COLOR");
    u->cm = CM_MONO;
    if ((!nc || !*nc) && has_colors()) {
        start_color();
        use_default_colors();
        if (COLORS >= 0x1000000) u->cm = CM_DIRECT;
        else if (COLORS >= 256) u->cm = CM_256;
        else if (COLORS >= 16) u->cm = CM_16;
        else if (COLORS >= 8) u->cm = CM_8;
    }
    theme_apply(&u->theme, u->cm);
    bkgdset((chtype)' ' | (chtype)COLOR_PAIR(theme_pair(EL_NORMAL)));
}

static int prepare(struct ui *u, struct app *app)
{
    u->app = app;
    struct error err;
    error_clear(&err);
    keymap_defaults(&u->km);
    if (keymap_apply_config(&u->km, &app->cfg, app->config_path ? app->config_path : "config", &err) < 0 ||
        theme_load(&u->theme, app->cfg.theme, app->config_dir, &err) < 0) {
        fprintf(stderr, "winnow: %s\n", err.msg);
        return -1;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "winnow: the reader needs a terminal; for scripts use the subcommands (winnow --help)\n");
        return -1;
    }
    const char *cs = nl_langinfo(CODESET);
    u->ascii = app->cfg.ascii == -1 ? !(cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"))) : app->cfg.ascii;
    ui_draw_set_ascii(u->ascii);
    return 0;
}

static void install_signals(struct ui *u, int on)
{
    static struct sigaction old[4];
    static const int sigs[4] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP};
    for (int i = 0; i < 4; i++) {
        if (on) {
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = on_signal;
            sigemptyset(&sa.sa_mask);
            sigaction(sigs[i], &sa, &old[i]);
        } else {
            sigaction(sigs[i], &old[i], NULL);
        }
    }
    sig_fd = on ? u->sig_pipe[1] : -1;
}

static void loop(struct ui *u)
{
    int dirty = 1;
    while (!u->quit) {
        if (dirty) draw_frame(u);
        dirty = 0;
        ui_reap_kids(u);
        struct fetch_waitfd fds[3] = {{STDIN_FILENO, POLLIN, 0}, {u->sig_pipe[0], POLLIN, 0}, {-1, 0, 0}};
        unsigned nfds = 2 + ui_media_fds(u, &fds[2]);
        if (u->refresh && u->rf_done >= u->rf_total) {
            /* every feed was settled as the refresh started (none at all, or none fetchable):
             * nothing to wait for */
            ui_finish_refresh(u);
            dirty = 1;
            continue;
        }
        if (u->refresh) {
            int timeout = 1000;
            if (u->rf_dirty) {
                double left = RELOAD_MS - (now_ms() - u->rf_last_reload);
                timeout = left > 0 ? (int)left + 1 : 0;
            }
            /* the refresh drives the session's one fetcher: thumbnails and scans move with it */
            int pending = app_refresh_poll(u->refresh, timeout, fds, nfds);
            if (pending == 0) ui_finish_refresh(u);
            else if (u->rf_dirty && now_ms() - u->rf_last_reload >= RELOAD_MS) ui_reload_views(u);
            dirty = 1;
        } else if (app_busy(u->app)) {
            app_poll(u->app, 1000, fds, nfds);
            dirty = 1;
        } else {
            /* idle: no timeout, so no wake-ups and no CPU until a key, a signal or a picture */
            struct pollfd pfd[3];
            for (unsigned i = 0; i < nfds; i++) pfd[i] = (struct pollfd){fds[i].fd, POLLIN, 0};
            if (poll(pfd, nfds, -1) < 0 && errno != EINTR) break;
            for (unsigned i = 0; i < nfds; i++) fds[i].revents = pfd[i].revents;
        }
        if (ui_media_collect(u) > 0) dirty = 1;
        if (!u->refresh && u->app->store_errors != u->store_errors_said) {
            /* a scan's verdict or the rules it woke could not be stored: said once per new failure
             * (during a refresh, by its summary instead, which would hide this line at once) */
            u->store_errors_said = u->app->store_errors;
            ui_message(u, EL_ERROR, "%u store write%s of the media scans failed: %s", u->app->store_errors,
                       u->app->store_errors == 1 ? "" : "s", u->app->store_error);
            dirty = 1;
        }
        if (fds[1].revents || got_winch || got_quit) {
            handle_signals(u);
            dirty = 1;
        }
        if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) u->quit = 1;   /* the terminal went away */
        if (fds[0].revents & POLLIN) {
            read_keys(u);
            dirty = 1;
        }
    }
}

int ui_run(struct app *app)
{
    struct ui *u = xcalloc(1, sizeof *u);
    if (prepare(u, app) < 0) {
        free(u);
        return 1;
    }
    if (pipe2(u->sig_pipe, O_NONBLOCK | O_CLOEXEC) < 0) {
        fprintf(stderr, "winnow: pipe: %s\n", strerror(errno));
        free(u);
        return 1;
    }
    /* ours before initscr, so ncurses leaves SIGWINCH and the quit signals to this loop */
    install_signals(u, 1);
    char tbuf[128];
    const char *term = pick_term(u, tbuf, sizeof tbuf);
    u->screen = newterm(term, stdout, stdin);
    if (!u->screen) {
        install_signals(u, 0);
        fprintf(stderr, "winnow: cannot use the terminal \"%s\"\n", term ? term : getenv("TERM") ? getenv("TERM") : "");
        close(u->sig_pipe[0]);
        close(u->sig_pipe[1]);
        free(u);
        return 1;
    }
    set_term(u->screen);
    const char *ed = getenv("ESCDELAY");
    set_escdelay(ed && *ed ? atoi(ed) : 50);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    idlok(stdscr, TRUE);
    scrollok(stdscr, FALSE);
    curs_set(0);
    setup_colors(u);
    getmaxyx(stdscr, u->rows, u->cols);
    ui_media_init(u);

    /* the first frame: one count and one page of items, nothing else */
    ui_push(u, ui_items_view_new(u, 0, NULL, "All items"));
    draw_frame(u);
    ui_count_feeds(u);
    if (app->cfg.refresh_on_start) ui_start_refresh(u, NULL, 0, "all feeds");
    loop(u);

    while (u->depth > 0) {
        struct view *v = u->stack[--u->depth];
        v->ops->free(v);
    }
    app_refresh_free(u->refresh);
    ui_curate_free(u);
    ui_media_free(u);
    ui_clear_failures(u);
    free(u->failures);
    free(u->raw_out);
    endwin();
    delscreen(u->screen);
    install_signals(u, 0);
    close(u->sig_pipe[0]);
    close(u->sig_pipe[1]);
    ui_reap_kids(u);
    free(u);
    return 0;
}
