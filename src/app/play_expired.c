/* SPDX-License-Identifier: ISC */
/* play_expired — signed media URLs that expire.  A Sora post's video URL is signed and stops
 * working after a while; the stored one then answers 403.  The item's post is fetched anew (its
 * feed refreshed, which stores the fresh URL) and the entry is played once more. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "play_expired.h"

/* Platforms whose media URLs are signed and expire. */
static const char *const signed_platforms[] = {"sora", NULL};

static int expired(struct app *app, const struct app_play_entry *e, int64_t *feed_id)
{
    if (e->item_id <= 0 || e->result.end != PLAYER_END_ERROR || !strstr(e->result.message, "HTTP 403")) return 0;
    struct item_sink s;
    item_sink_init(&s);
    struct error err;
    error_clear(&err);
    int hit = 0;
    if (store_item_get(app->store, e->item_id, &s, &err) == 0 && s.n && s.items[0].platform) {
        for (int i = 0; signed_platforms[i]; i++)
            if (!strcmp(s.items[0].platform, signed_platforms[i])) hit = 1;
        *feed_id = s.items[0].feed_id;
    }
    item_sink_free(&s);
    return hit && *feed_id > 0;
}

size_t app_play_refetch_expired(struct app *app, struct app_play_entry *entries, size_t n, size_t **again)
{
    *again = NULL;
    size_t na = 0;
    int64_t *feeds = NULL;
    for (size_t i = 0; i < n; i++) {
        int64_t fid = 0;
        if (!expired(app, &entries[i], &fid)) continue;
        *again = realloc(*again, (na + 1) * sizeof **again);
        feeds = realloc(feeds, (na + 1) * sizeof *feeds);
        if (!*again || !feeds) abort();
        (*again)[na] = i;
        feeds[na++] = fid;
    }
    if (!na) {
        free(feeds);
        return 0;
    }
    struct error err;
    error_clear(&err);
    /* whatever the refresh says, the entries are tried again: an unchanged URL fails as before */
    app_refresh(app, feeds, na, 0, NULL, NULL, NULL, &err);
    free(feeds);
    for (size_t j = 0; j < na; j++) {
        struct app_play_entry *e = &entries[(*again)[j]];
        free(e->media_url);
        free(e->title);
        e->media_url = e->title = NULL;
        error_clear(&err);
        app_play_prepare(app, e, 1, APP_RESUME_YES, &err);
    }
    return na;
}
