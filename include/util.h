/* SPDX-License-Identifier: ISC */
/* util — the small plumbing every module uses: a bump arena for batch lifetimes, a growable string
 * buffer, and the error record that carries a message a user can read up to the CLI or the status
 * line.  Nothing here knows about feeds. */
#ifndef WINNOW_UTIL_H
#define WINNOW_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

/* An arena owns every allocation made from it; arena_free releases them all at once.  Items of one
 * fetched batch live in one arena, so no module has to track ownership of single strings. */
struct arena_block;
struct arena {
    struct arena_block *head;
    size_t total;          /* bytes handed out, for tests and limits */
};

void  arena_init(struct arena *a);
void  arena_free(struct arena *a);
void *arena_alloc(struct arena *a, size_t n);            /* zeroed; aborts on OOM */
char *arena_strdup(struct arena *a, const char *s);      /* NULL in, NULL out */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A NUL-terminated growable buffer.  len never counts the terminator. */
struct strbuf {
    char  *s;
    size_t len, cap;
};

void sb_init(struct strbuf *b);
void sb_free(struct strbuf *b);
void sb_reset(struct strbuf *b);                         /* len = 0, keeps the memory */
/* Room for extra more bytes (and the terminator) without another allocation: a caller may then
 * write up to extra bytes at s + len itself, and must keep len and the terminator right. */
void sb_reserve(struct strbuf *b, size_t extra);
void sb_add(struct strbuf *b, const char *s, size_t n);
void sb_adds(struct strbuf *b, const char *s);
void sb_addc(struct strbuf *b, char c);
void sb_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s percent-encoded for a URL path segment or query value: RFC 3986's unreserved ASCII
 * characters are kept, every other byte becomes %XX (the locale never changes which).  NULL adds
 * nothing. */
void sb_add_pct(struct strbuf *b, const char *s);
char *sb_steal(struct strbuf *b);                        /* caller frees; buffer is reset */

/* Errors: functions return 0 / -1 and fill one of these.  The message is one line, for people. */
struct error {
    char msg[1024];   /* room for a message that names every valid word (bind actions) */
};

void error_set(struct error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void error_prefix(struct error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void error_clear(struct error *e);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Read a whole file into a malloc'd NUL-terminated buffer, refusing files larger than max. */
int read_file(const char *path, size_t max, char **out, size_t *len, struct error *err);
/* FNV-1a over the bytes of s (NULL adds nothing), going on from h (HASH_FNV_SEED to start): a
 * quick hash that never changes, for tables and for fingerprints kept in the database; not for
 * anything an attacker must not steer. */
#define HASH_FNV_SEED 1469598103934665603ull
uint64_t hash_fnv1a(const char *s, uint64_t h);
/* Writes all n bytes to fd, through short writes and EINTR, waiting (poll) while a non-blocking fd
 * is full.  0, or -1 with errno set. */
int write_all(int fd, const void *p, size_t n);

/* Writing a file whole or not at all.  The temporary file is made by mkstemp (O_CREAT|O_EXCL, an
 * unguessable name) in path's own directory, so nobody who can write there can point the write
 * elsewhere with a symlink, and a reader of path never sees half a file; atomic_file_commit
 * renames it over path.  mode is the finished file's (0644 for exports, 0600 for caches). */
struct atomic_file {
    FILE *f;                 /* write here */
    char *tmp, *path;
};
int atomic_file_open(struct atomic_file *a, const char *path, unsigned mode, struct error *err);
/* Flushes, closes and renames; on any failure the temporary file is removed and err says why.
 * ok = 0 abandons the write (the caller's own failure) without touching err. */
int atomic_file_commit(struct atomic_file *a, int ok, struct error *err);
/* Both at once for a buffer: 0 or -1. */
int atomic_file_write(const char *path, const void *data, size_t len, unsigned mode, struct error *err);

/* mkdir -p with the given mode for created components. */
int mkdir_p(const char *path, unsigned mode);

/* Monotonic milliseconds, for timing and timeouts. */
double now_ms(void);

#endif
