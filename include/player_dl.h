/* SPDX-License-Identifier: ISC */
/* player_dl — whether libmpv could be loaded.  winnow resolves libmpv at run time (see
 * src/media/mpv_dl.c) so that runs which never play anything do not pay for its dependencies. */
#ifndef WINNOW_PLAYER_DL_H
#define WINNOW_PLAYER_DL_H

/* Loads libmpv on first call; 1 when it is there. */
int player_dl_available(void);
/* NULL when loaded, else a one-line reason for the user. */
const char *player_dl_error(void);
/* The client API version of the libmpv loaded (major << 16 | minor), loading it; 0 without it. */
unsigned long player_dl_api_version(void);

#endif
