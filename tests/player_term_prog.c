/* SPDX-License-Identifier: ISC */
/* A tiny ncurses program that hands the terminal to mpv and takes it back, for
 * tests/e2e/play_tct.sh (which drives it in tmux): it draws a screen, plays URL on the terminal
 * (vo=tct) between player_term_suspend and player_term_resume when p is pressed, and logs each
 * return to LOG, so the test can compare the screen before and after, resize the window meanwhile,
 * and check that Ctrl-C (its own handler) and Ctrl-Z (ncurses') still work afterwards.
 * usage: player_term_prog URL LOG [MPV-OPTION=VALUE...]   keys: p play, r repaint, q quit */
#include <curses.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "player.h"

static volatile sig_atomic_t interrupts;

static void on_sigint(int sig)
{
    (void)sig;
    interrupts++;
}

static void draw(void)
{
    erase();
    attron(COLOR_PAIR(1) | A_BOLD);
    mvprintw(0, 0, " player_term_prog %*s", COLS > 19 ? COLS - 19 : 0, "");
    attroff(COLOR_PAIR(1) | A_BOLD);
    mvprintw(2, 2, "size %dx%d", COLS, LINES);
    mvprintw(3, 2, "interrupts %d", (int)interrupts);
    for (int i = 0; i < 6 && 6 + i < LINES - 1; i++) {
        attron(COLOR_PAIR(2 + i % 3));
        mvprintw(6 + i, 4, "line %d of colour %d", i, 2 + i % 3);
        attroff(COLOR_PAIR(2 + i % 3));
    }
    attron(A_REVERSE);
    mvprintw(LINES - 1, 0, "p play  q quit");
    attroff(A_REVERSE);
    refresh();
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: player_term_prog URL LOG [MPV-OPTION=VALUE...]\n");
        return 2;
    }
    setlocale(LC_ALL, "");
    FILE *log = fopen(argv[2], "a");
    if (!log) return 1;
    setvbuf(log, NULL, _IOLBF, 0);
    /* a handler of the program's own, before initscr, so ncurses leaves SIGINT to it */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);

    initscr();
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    curs_set(0);
    start_color();
    init_pair(1, COLOR_WHITE, COLOR_BLUE);
    init_pair(2, COLOR_RED, COLOR_BLACK);
    init_pair(3, COLOR_GREEN, COLOR_BLACK);
    init_pair(4, COLOR_YELLOW, COLOR_BLUE);
    timeout(50);
    int plays = 0;
    sig_atomic_t seen = 0;
    draw();
    fprintf(log, "ready %dx%d\n", COLS, LINES);
    for (;;) {
        int ch = getch();
        if (interrupts != seen) {
            seen = interrupts;
            draw();
            fprintf(log, "interrupt %d\n", (int)seen);
        }
        if (ch == 'q') break;
        if (ch == 'r') {
            /* Ctrl-L style: the same full repaint resume does, so that screens compare alike */
            clearok(curscr, TRUE);
            draw();
            fprintf(log, "redrawn\n");
        }
        if (ch == KEY_RESIZE) {
            draw();
            fprintf(log, "resize %dx%d\n", COLS, LINES);
        }
        if (ch != 'p') continue;
        struct player_opts o;
        player_opts_init(&o);
        o.vo = PLAYER_VO_TCT;
        o.ao = PLAYER_AO_NULL;
        o.mpv_config = 0;
        o.terminal = 1;
        o.alt_screen = 1;
        o.mpv_options = (const char *const *)argv + 3;
        o.n_mpv_options = (size_t)(argc - 3);
        struct player_item it = {.url = argv[1]};
        struct player_result r;
        struct error err;
        error_clear(&err);
        struct player_term t;
        player_term_suspend(&t);
        int rc = player_play_queue(&it, 1, &o, &r, &err);
        int resized = player_term_resume(&t);
        plays++;
        /* as the TUI will: its own full repaint after playback */
        draw();
        fprintf(log, "resumed %d resized %d size %dx%d end %s%s%s\n", plays, resized, COLS, LINES,
                rc < 0 ? "FAILED" : player_end_name(r.end), rc < 0 ? ": " : "", rc < 0 ? err.msg : "");
    }
    endwin();
    fprintf(log, "bye\n");
    fclose(log);
    return 0;
}
