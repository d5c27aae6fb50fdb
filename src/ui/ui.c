/* The reader's terminal face.  This first version is deliberately small: the item river, a detail
 * view and a background refresh; the full set of views, keys and themes grows on top of it. */
#include <curses.h>
#include <locale.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "date.h"
#include "text.h"

struct ui {
    struct app *app;
    struct item_sink items;
    size_t cur, top;
    int detail;             /* showing the detail of items.items[cur] */
    int detail_scroll;
    char status[600];
    struct refresh *refresh;
    size_t nfeeds;
};

static void load_items(struct ui *u)
{
    item_sink_free(&u->items);
    item_sink_init(&u->items);
    struct item_query q = {0};
    q.limit = 5000;
    struct error err;
    error_clear(&err);
    if (store_items(u->app->store, &q, &u->items, &err) < 0) snprintf(u->status, sizeof u->status, "%s", err.msg);
    if (u->cur >= u->items.n) u->cur = u->items.n ? u->items.n - 1 : 0;
    struct feed_row *rows;
    size_t n;
    if (store_feeds(u->app->store, &rows, &n, &err) == 0) {
        u->nfeeds = n;
        store_feed_rows_free(rows, n);
    }
}

/* Draws s clipped to cols columns at the cursor (s is sanitised text from the store). */
static void put_clipped(const char *s, int cols)
{
    if (!s || cols <= 0) return;
    int used;
    size_t b = text_fit(s, cols, &used);
    addnstr(s, (int)b);
}

static void draw_list(struct ui *u, int rows, int cols)
{
    int h = rows - 2;
    if (u->cur < u->top) u->top = u->cur;
    if (u->cur >= u->top + (size_t)h) u->top = u->cur - (size_t)h + 1;
    for (int r = 0; r < h; r++) {
        size_t i = u->top + (size_t)r;
        move(1 + r, 0);
        clrtoeol();
        if (i >= u->items.n) continue;
        const struct item *it = &u->items.items[i];
        if (i == u->cur) attron(A_REVERSE);
        char d[32] = "          ";
        if (it->published >= 0) { date_rfc3339(it->published, d, sizeof d); d[10] = 0; }
        mvprintw(1 + r, 0, "%c %s  ", it->read ? ' ' : '*', d);
        int x = getcurx(stdscr);
        put_clipped(it->feed_title ? it->feed_title : "", 18);
        move(1 + r, x + 20);
        put_clipped(it->title ? it->title : "(untitled)", cols - x - 21);
        if (i == u->cur) {
            int cx = getcurx(stdscr);
            for (; cx < cols; cx++) addch(' ');
            attroff(A_REVERSE);
        }
    }
}

static void draw_detail(struct ui *u, int rows, int cols)
{
    const struct item *it = &u->items.items[u->cur];
    struct strbuf b;
    sb_init(&b);
    char d[32] = "unknown";
    if (it->published >= 0) date_rfc3339(it->published, d, sizeof d);
    sb_printf(&b, "%s\n\nFeed:   %s\nAuthor: %s\nDate:   %s\nLink:   %s\n", it->title ? it->title : "(untitled)",
              it->feed_title ? it->feed_title : "", it->author ? it->author : "", d, it->url ? it->url : "");
    if (it->media_url) sb_printf(&b, "Media:  %s (%s)\n", it->media_url, it->media_type ? it->media_type : "?");
    sb_adds(&b, "\n");
    if (it->summary) sb_adds(&b, it->summary);
    struct strbuf w;
    sb_init(&w);
    text_wrap(&w, b.s, cols - 2);
    int line = 0, y = 1;
    for (char *p = w.s; p && *p && y < rows - 1;) {
        char *nl = strchr(p, '\n');
        if (line >= u->detail_scroll) {
            move(y++, 1);
            clrtoeol();
            addnstr(p, nl ? (int)(nl - p) : -1);
        }
        line++;
        p = nl ? nl + 1 : NULL;
    }
    for (; y < rows - 1; y++) { move(y, 0); clrtoeol(); }
    sb_free(&w);
    sb_free(&b);
}

static void draw(struct ui *u)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    erase();
    attron(A_BOLD);
    mvprintw(0, 0, "winnow — %zu items in %zu feeds", u->items.n, u->nfeeds);
    attroff(A_BOLD);
    if (u->items.n == 0) {
        mvprintw(2, 2, "Nothing to read yet.");
        mvprintw(4, 2, "Add a feed:        winnow add https://example.org/feed.xml");
        mvprintw(5, 2, "Import a list:     winnow import subscriptions.opml");
        mvprintw(6, 2, "Open the demo:     winnow demo");
        mvprintw(7, 2, "                   (a separate database with three offline feeds)");
        mvprintw(9, 2, "Keys: R refresh all   q quit");
    } else if (u->detail) {
        draw_detail(u, rows, cols);
    } else {
        draw_list(u, rows, cols);
    }
    move(rows - 1, 0);
    clrtoeol();
    if (u->status[0]) put_clipped(u->status, cols - 1);
    else put_clipped(u->detail ? "j/k scroll  q back" : "j/k move  Enter open  R refresh  q quit", cols - 1);
    refresh();
}

static void on_refresh(const struct refresh_event *ev, void *user)
{
    struct ui *u = user;
    const struct refresh_report *r = app_refresh_report(u->refresh);
    snprintf(u->status, sizeof u->status, "refreshing %zu/%zu, %zu failed", r->done + 1, r->feeds, r->failed);
}

int ui_run(struct app *app)
{
    struct ui u = {0};
    u.app = app;
    item_sink_init(&u.items);
    load_items(&u);
    initscr();
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    int quit = 0;
    while (!quit) {
        draw(&u);
        if (u.refresh) {
            /* Wait on the network and the keyboard together: typing never waits for a feed. */
            struct fetch_waitfd fd = {STDIN_FILENO, POLLIN, 0};
            int pending = app_refresh_poll(u.refresh, 1000, &fd, 1);
            if (pending == 0) {
                const struct refresh_report *r = app_refresh_report(u.refresh);
                snprintf(u.status, sizeof u.status, "refreshed %zu feeds: %zu new items, %zu failed", r->feeds,
                         r->new_items, r->failed);
                app_refresh_free(u.refresh);
                u.refresh = NULL;
                int64_t keep = u.items.n ? u.items.items[u.cur].id : 0;
                load_items(&u);
                for (size_t i = 0; i < u.items.n; i++)
                    if (u.items.items[i].id == keep) u.cur = i;
            }
            if (!(fd.revents & POLLIN)) continue;
        }
        int ch = getch();
        if (ch != ERR && !u.refresh) u.status[0] = 0;
        switch (ch) {
        case 'q': case 27: case 'h': case KEY_LEFT:
            if (u.detail) u.detail = 0;
            else if (ch == 'q') quit = 1;
            break;
        case 'j': case KEY_DOWN:
            if (u.detail) u.detail_scroll++;
            else if (u.cur + 1 < u.items.n) u.cur++;
            break;
        case 'k': case KEY_UP:
            if (u.detail) { if (u.detail_scroll > 0) u.detail_scroll--; }
            else if (u.cur > 0) u.cur--;
            break;
        case '\n': case KEY_ENTER: case 'l': case KEY_RIGHT:
            if (u.items.n) {
                u.detail = 1;
                u.detail_scroll = 0;
                struct error err;
                store_item_set_read(app->store, u.items.items[u.cur].id, 1, &err);
                u.items.items[u.cur].read = 1;
            }
            break;
        case 'R':
            if (!u.refresh) {
                struct error err;
                error_clear(&err);
                u.refresh = app_refresh_start(app, NULL, 0, 0, on_refresh, &u, &err);
                if (!u.refresh) snprintf(u.status, sizeof u.status, "%s", err.msg);
                else snprintf(u.status, sizeof u.status, "refreshing…");
            }
            break;
        case KEY_RESIZE: break;
        default: break;
        }
    }
    endwin();
    app_refresh_free(u.refresh);
    item_sink_free(&u.items);
    return 0;
}
