/* SPDX-License-Identifier: ISC */
/* Private to the player: what a playback borrows from the process (signal handlers, tty modes, the
 * screen) and gives back, shared by player.c and player_term.c. */
#ifndef WINNOW_PLAYER_INT_H
#define WINNOW_PLAYER_INT_H

#include <termios.h>

#include "player.h"


struct player_tty {
    struct sigaction saved[PLAYER_TERM_NSIG];
    struct termios tio;
    int have_tio;
    int alt;                  /* the alternate screen was entered */
    char leave[128];          /* what leaves it again */
};

/* Before mpv starts: saves handlers and tty modes; alt: switches to a cleared alternate screen. */
void player_tty_take(struct player_tty *t, int alt);
/* After mpv_terminate_destroy: the tty modes, the normal screen and the handlers as they were. */
void player_tty_give_back(struct player_tty *t);

#endif
