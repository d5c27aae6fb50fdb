/* SPDX-License-Identifier: ISC */
/* play_expired — the entries of a played queue whose signed media URL had expired (HTTP 403 on an
 * item of a platform that signs its URLs: Sora): their feeds are refreshed, which stores the
 * post's fresh URLs, and the entries are prepared again.  Private to src/app. */
#ifndef WINNOW_PLAY_EXPIRED_H
#define WINNOW_PLAY_EXPIRED_H

#include <stddef.h>

struct app;
struct app_play_entry;

/* How many entries to play again; *again (malloc'd, NULL when none) holds their indexes. */
size_t app_play_refetch_expired(struct app *app, struct app_play_entry *entries, size_t n, size_t **again);

#endif
