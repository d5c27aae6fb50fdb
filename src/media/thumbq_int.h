/* SPDX-License-Identifier: ISC */
/* The thumbnail pipeline's disk cache (src/media/thumbq_disk.c), private to src/media: one file of
 * fetched bytes per URL, named by the URL's SHA-256, bounded in total size with LRU by mtime.
 * Safe to call from any thread; it has its own lock. */
#ifndef WINNOW_THUMBQ_INT_H
#define WINNOW_THUMBQ_INT_H

#include <stddef.h>

struct tdisk;

/* The cache in cache_dir/thumbs (created), or NULL when cache_dir is NULL or cannot be made:
 * no cache is no reason to show no thumbnails. */
struct tdisk *tdisk_open(const char *cache_dir, size_t limit);
void tdisk_close(struct tdisk *d);

/* The file for url (out[0] = 0 when there is none: no cache, or a file:// URL, read in place). */
void tdisk_path(const struct tdisk *d, const char *url, char *out, size_t n);

/* Reads a cached file (at most max bytes) and marks it recently used.  0, or -1 when it is gone. */
int tdisk_read(struct tdisk *d, const char *path, size_t max, char **buf, size_t *len);

/* Stores bytes under path atomically (temporary file + rename), then trims the cache when it has
 * grown past its bound. */
void tdisk_write(struct tdisk *d, const char *path, const void *data, size_t len);

/* Removes a file that turned out to be useless (it no longer decodes). */
void tdisk_drop(struct tdisk *d, const char *path);

/* Counts what earlier sessions left and trims it; the first worker calls this, so that no one
 * waits on a directory scan.  Runs once. */
void tdisk_scan_once(struct tdisk *d);

struct tdisk_stats {
    size_t bytes;
    unsigned long hits, writes, evictions;
};
void tdisk_stats(struct tdisk *d, struct tdisk_stats *out);

#endif
