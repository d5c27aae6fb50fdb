/* SPDX-License-Identifier: ISC */
/* What mpv takes from the process while it owns the terminal (signal handlers, tty modes, the
 * alternate screen) and how each is given back.  The reader's ncurses side of the handoff is
 * src/ui/player_term.c. */
#include "player.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "player_int.h"

/* mpv with terminal=yes installs handlers for these and leaves SIGINT, SIGTERM and SIGTSTP at
 * SIG_DFL when it goes (measured on 0.35); ncurses has its own for SIGINT, SIGTSTP and SIGWINCH. */
static const int handoff_signals[PLAYER_TERM_NSIG] = {
    SIGINT, SIGTERM, SIGTSTP, SIGWINCH, SIGCONT, SIGQUIT, SIGPIPE, SIGHUP, SIGTTIN, SIGTTOU,
};

void player_signals_save(struct sigaction *saved)
{
    for (int i = 0; i < PLAYER_TERM_NSIG; i++) sigaction(handoff_signals[i], NULL, &saved[i]);
}

void player_signals_restore(const struct sigaction *saved)
{
    for (int i = 0; i < PLAYER_TERM_NSIG; i++) sigaction(handoff_signals[i], &saved[i], NULL);
}

static void copy_cap(char *dst, size_t size, const char *name)
{
    const char *s = tigetstr(name);
    if (s && s != (const char *)-1 && strlen(dst) + strlen(s) < size) strcat(dst, s);
}

/* The terminfo strings that enter and leave the alternate screen.  Inside the TUI the terminal is
 * already set up; from the CLI a description is loaded for the moment and dropped again. */
static void screen_caps(char *enter, size_t esize, char *leave, size_t lsize)
{
    enter[0] = leave[0] = 0;
    TERMINAL *old = cur_term;
    if (!old) {
        int e = 0;
        if (setupterm(NULL, STDOUT_FILENO, &e) != 0) return;   /* OK */
    }
    copy_cap(enter, esize, "smcup");
    copy_cap(enter, esize, "clear");
    copy_cap(leave, lsize, "sgr0");
    copy_cap(leave, lsize, "cnorm");
    copy_cap(leave, lsize, "rmcup");
    if (!old) {
        TERMINAL *mine = cur_term;
        set_curterm(NULL);
        del_curterm(mine);
    }
}

static void put(const char *s)
{
    /* the terminal is the user's: nothing better to do when it will not take the bytes */
    (void)write_all(STDOUT_FILENO, s, strlen(s));
}

void player_tty_take(struct player_tty *t, int alt)
{
    memset(t, 0, sizeof *t);
    player_signals_save(t->saved);
    /* restoring the modes from a background process group would stop us with SIGTTOU */
    t->have_tio = isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp() &&
                  tcgetattr(STDIN_FILENO, &t->tio) == 0;
    if (alt) {
        char enter[128];
        screen_caps(enter, sizeof enter, t->leave, sizeof t->leave);
        if (enter[0]) {
            fflush(stdout);
            put(enter);
            t->alt = 1;
        }
    }
}

void player_tty_give_back(struct player_tty *t)
{
    /* mpv's VO writes through stdio: its last bytes may still sit in stdout's buffer */
    fflush(stdout);
    if (t->have_tio) tcsetattr(STDIN_FILENO, TCSADRAIN, &t->tio);
    if (t->alt) put(t->leave);
    player_signals_restore(t->saved);
}

