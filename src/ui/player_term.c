/* SPDX-License-Identifier: ISC */
/* The reader's side of the terminal handoff to mpv: ncurses leaves the terminal (program mode
 * saved, signal handlers kept) and gets it back exactly as it was, resized when the terminal was
 * resized while mpv played. */
#include <curses.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "player.h"

void player_term_suspend(struct player_term *t)
{
    memset(t, 0, sizeof *t);
    player_signals_save(t->saved);
    t->curses = stdscr != NULL && !isendwin();
    if (t->curses) {
        t->rows = LINES;
        t->cols = COLS;
        def_prog_mode();
        endwin();
    }
}

int player_term_resume(struct player_term *t)
{
    player_signals_restore(t->saved);
    if (!t->curses) return 0;
    reset_prog_mode();
    /* keys mpv did not read were meant for mpv */
    flushinp();
    int resized = 0;
    struct winsize ws;
    /* ncurses' SIGWINCH handler was not installed while mpv played: ask the terminal itself */
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
        (ws.ws_row != LINES || ws.ws_col != COLS)) {
        resizeterm(ws.ws_row, ws.ws_col);
        resized = 1;
    }
    clearok(curscr, TRUE);
    refresh();
    return resized;
}
