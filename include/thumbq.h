/* SPDX-License-Identifier: ISC */
/* thumbq — the thumbnail pipeline behind the TUI's lists: requests for (URL, size) are answered
 * from a bounded in-memory cache of rendered grids, else from the disk cache, else fetched through
 * the caller's fetch engine at low priority; a pool of worker threads of its own (core/workq,
 * by priority, signals blocked) decodes and renders off the UI's path and hands results back
 * through a pipe the UI polls.  Scrolling never waits for
 * a picture: a request returns at once, and thumbq_get says "pending" until the grid is ready.
 *
 * Threads: every thumbq_* function is for the UI thread (the one that drives the fetcher); the
 * workers touch no ncurses and no fetcher, only pixels and files.
 *
 * The disk cache holds the fetched bytes, one file per URL named by the SHA-256 of the URL under
 * CACHE_DIR/thumbs, written atomically (temporary file + rename), bounded in total size by evicting
 * the least recently used files (by mtime, which a hit refreshes).  file:// pictures are read in
 * place, not copied. */
#ifndef WINNOW_THUMBQ_H
#define WINNOW_THUMBQ_H

#include <stddef.h>

#include "thumb.h"

struct fetcher;
struct thumbq;

enum thumbq_state {
    THUMBQ_NONE,       /* never requested, or forgotten (evicted, or the style changed) */
    THUMBQ_PENDING,    /* being fetched, read or rendered: show a placeholder */
    THUMBQ_READY,      /* thumbq_get returns the grid */
    THUMBQ_FAILED,     /* show a small marker; thumbq_error says why */
};

#define THUMBQ_DEFAULT_DISK_BYTES (200u * 1024u * 1024u)
#define THUMBQ_DEFAULT_MEM_COUNT 1000
#define THUMBQ_DEFAULT_MEM_BYTES (24u * 1024u * 1024u)

/* A queue fetching through f (which the caller keeps polling).  cache_dir is e.g. $XDG_CACHE_HOME/winnow (NULL: no disk cache); cache_bytes 0
 * means THUMBQ_DEFAULT_DISK_BYTES; workers is clamped to 1..4.  NULL only when threads or the
 * pipe cannot be made. */
struct thumbq *thumbq_new(struct fetcher *f, const char *cache_dir, size_t cache_bytes, int workers);

/* Stops the workers and frees everything; its fetches still in the fetcher are cancelled
 * (fetch_cancel), so the fetcher must still be alive and goes on serving its other owners. */
void thumbq_free(struct thumbq *q);

/* How every later render looks: ASCII symbols (non-UTF-8 locale; the default follows the locale
 * at thumbq_new) and the cell's pixel size (0, 0: 1:2, the default).  A change forgets the
 * rendered grids, which are then rendered again on request. */
void thumbq_set_style(struct thumbq *q, int ascii, int cell_w, int cell_h);

/* Bounds of the in-memory cache of rendered grids (0 keeps a bound as it is). */
void thumbq_set_memory_limit(struct thumbq *q, size_t max_count, size_t max_bytes);

/* Called on the UI thread with the bytes of every picture read through the fetcher (network or
 * file://; not for disk cache hits), before decoding: the provenance scanner reads the same
 * download, so a picture is fetched once.  The bytes are valid during the call only, and the call
 * holds up the UI: copy what is needed and scan elsewhere. */
typedef void (*thumbq_bytes_fn)(const char *url, const void *bytes, size_t len, void *user);
void thumbq_set_bytes_hook(struct thumbq *q, thumbq_bytes_fn fn, void *user);

/* Asks for url rendered into a cols × rows box in the given colours.  Cheap when the grid is ready
 * or pending, so the UI may ask for every visible row on every draw.  Higher priority is served
 * first (e.g. visible rows above the page ahead); asking again with a higher one raises it.
 * Returns the state after the call. */
enum thumbq_state thumbq_request(struct thumbq *q, const char *url, int cols, int rows,
                                 enum thumb_colors mode, int priority);

/* Readable when results wait: add it to the UI's poll set, then call thumbq_collect. */
int thumbq_fd(const struct thumbq *q);

/* Moves finished work into the cache and calls fn (may be NULL) once per request that became
 * READY or FAILED (or NONE: rendered for a style no longer current), so the UI can redraw those
 * rows.  Returns the number of results. */
typedef void (*thumbq_ready_fn)(const char *url, int cols, int rows, enum thumbq_state state,
                                void *user);
int thumbq_collect(struct thumbq *q, thumbq_ready_fn fn, void *user);

/* The ready grid for (url, cols, rows, mode), or NULL with *state (may be NULL) saying why.  The
 * grid stays valid until the next thumbq_request, thumbq_collect or thumbq_free (which may evict). */
const struct thumb *thumbq_get(struct thumbq *q, const char *url, int cols, int rows,
                               enum thumb_colors mode, enum thumbq_state *state);

/* Why a FAILED request failed ("HTTP 404 Not Found", "not an image: the data is an HTML page"), or
 * NULL. */
const char *thumbq_error(struct thumbq *q, const char *url, int cols, int rows, enum thumb_colors mode);

/* Forgets every FAILED request, so that the next request tries again (the reader calls it when a
 * refresh starts). */
void thumbq_forget_failed(struct thumbq *q);

/* Puts bytes fetched elsewhere (a refresh's provenance scan) into the disk cache under
 * CACHE_DIR/thumbs, so that the reader finds them there instead of fetching them again. */
void thumbq_cache_store(const char *cache_dir, size_t cache_bytes, const char *url, const void *data,
                        size_t len);

/* Requests not yet READY or FAILED. */
int thumbq_pending(const struct thumbq *q);

struct thumbq_stats {
    size_t mem_count, mem_bytes;       /* rendered grids held, and their bytes */
    size_t disk_bytes;                 /* as last counted */
    unsigned long fetches;             /* network or file:// reads started */
    unsigned long disk_hits, disk_writes, disk_evictions;
    unsigned long rendered, failed, mem_evictions;
};
void thumbq_stats(struct thumbq *q, struct thumbq_stats *out);

#endif
