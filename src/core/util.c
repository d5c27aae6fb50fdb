/* SPDX-License-Identifier: ISC */
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <time.h>

struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    max_align_t data[];
};

#define ARENA_BLOCK 65536

void arena_init(struct arena *a) { a->head = NULL; a->total = 0; }

void arena_free(struct arena *a)
{
    struct arena_block *b = a->head;
    while (b) {
        struct arena_block *n = b->next;
        free(b);
        b = n;
    }
    a->head = NULL;
    a->total = 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
    size_t align = sizeof(max_align_t);
    n = (n + align - 1) / align * align;
    if (n == 0) n = align;
    struct arena_block *b = a->head;
    if (!b || b->cap - b->used < n) {
        /* Large requests get a block of their own so small ones keep filling the current block. */
        size_t cap = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
        struct arena_block *nb = xmalloc(sizeof *nb + cap);
        nb->used = 0;
        nb->cap = cap;
        if (b && cap == n && b->cap - b->used >= ARENA_BLOCK / 8) {
            nb->next = b->next;          /* keep the roomy current block at the head */
            b->next = nb;
            b = nb;
        } else {
            nb->next = b;
            a->head = nb;
            b = nb;
        }
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    a->total += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    if (!s) return NULL;
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return arena_strdup(a, "");
    char *p = arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void sb_init(struct strbuf *b) { b->s = NULL; b->len = b->cap = 0; }
void sb_free(struct strbuf *b) { free(b->s); sb_init(b); }
void sb_reset(struct strbuf *b) { b->len = 0; if (b->s) b->s[0] = 0; }

static void sb_grow(struct strbuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) cap *= 2;
    b->s = xrealloc(b->s, cap);
    b->cap = cap;
}

void sb_reserve(struct strbuf *b, size_t extra) { sb_grow(b, extra); }

void sb_add(struct strbuf *b, const char *s, size_t n)
{
    sb_grow(b, n);
    if (n) memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

void sb_adds(struct strbuf *b, const char *s) { sb_add(b, s, strlen(s)); }
void sb_addc(struct strbuf *b, char c) { sb_add(b, &c, 1); }

void sb_printf(struct strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0) return;
    sb_grow(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void sb_add_pct(struct strbuf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        unsigned c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '_' || c == '.' || c == '~') {
            sb_addc(b, (char)c);
        } else {
            sb_addc(b, '%');
            sb_addc(b, hex[c >> 4]);
            sb_addc(b, hex[c & 15]);
        }
    }
}

char *sb_steal(struct strbuf *b)
{
    char *s = b->s ? b->s : xstrdup("");
    sb_init(b);
    return s;
}

void error_set(struct error *e, const char *fmt, ...)
{
    if (!e) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
}

void error_prefix(struct error *e, const char *fmt, ...)
{
    if (!e) return;
    char pre[256], old[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pre, sizeof pre, fmt, ap);
    va_end(ap);
    memcpy(old, e->msg, sizeof old);
    /* built by hand: a too-long message is cut, which snprintf would warn about */
    size_t n = strlen(pre), o = strlen(old), cap = sizeof e->msg - 1;
    if (n > cap) n = cap;
    memcpy(e->msg, pre, n);
    size_t k = n;
    if (k + 2 <= cap) { e->msg[k++] = ':'; e->msg[k++] = ' '; }
    if (o > cap - k) o = cap - k;
    memcpy(e->msg + k, old, o);
    e->msg[k + o] = 0;
}

void error_clear(struct error *e) { if (e) e->msg[0] = 0; }

static void oom(void)
{
    fputs("winnow: out of memory\n", stderr);
    abort();
}

void *xmalloc(size_t n) { void *p = malloc(n ? n : 1); if (!p) oom(); return p; }
void *xcalloc(size_t n, size_t m) { void *p = calloc(n ? n : 1, m ? m : 1); if (!p) oom(); return p; }
void *xrealloc(void *p, size_t n) { p = realloc(p, n ? n : 1); if (!p) oom(); return p; }
char *xstrdup(const char *s) { char *p = strdup(s ? s : ""); if (!p) oom(); return p; }

uint64_t hash_fnv1a(const char *s, uint64_t h)
{
    for (; s && *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

int write_all(int fd, const void *p, size_t n)
{
    const char *s = p;
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                struct pollfd pfd = {.fd = fd, .events = POLLOUT};
                if (poll(&pfd, 1, -1) < 0 && errno != EINTR) return -1;
                continue;
            }
            return -1;
        }
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

int read_file(const char *path, size_t max, char **out, size_t *len, struct error *err)
{
    /* Non-blocking and no controlling terminal while the type is unknown: a terminal, device or
     * socket named here is refused, never read (reading /dev/tty waits for the keyboard).  A FIFO
     * is read as the stream a user piped in, so it goes back to blocking reads. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        error_set(err, "%s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        error_set(err, "%s: %s", path, strerror(S_ISDIR(st.st_mode) ? EISDIR : errno));
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
        error_set(err, "%s: not a regular file", path);
        close(fd);
        return -1;
    }
    if (S_ISFIFO(st.st_mode)) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    struct strbuf b;
    sb_init(&b);
    sb_grow(&b, 0);
    b.s[0] = 0;   /* an empty file is an empty string, not 64 bytes of whatever malloc left */
    char buf[65536];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            close(fd);
            sb_free(&b);
            error_set(err, "%s: read error (%s)", path, strerror(errno));
            return -1;
        }
        if (n == 0) break;
        if (b.len + (size_t)n > max) {
            close(fd);
            sb_free(&b);
            error_set(err, "%s: larger than %zu bytes", path, max);
            return -1;
        }
        sb_add(&b, buf, (size_t)n);
    }
    close(fd);
    *len = b.len;
    *out = sb_steal(&b);
    return 0;
}

int atomic_file_open(struct atomic_file *a, const char *path, unsigned mode, struct error *err)
{
    memset(a, 0, sizeof a[0]);
    const char *slash = strrchr(path, '/');
    size_t dl = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = slash ? slash + 1 : path;
    size_t n = dl + strlen(base) + 16;
    a->tmp = xmalloc(n);
    snprintf(a->tmp, n, "%.*s.%s.XXXXXX", (int)dl, path, base);
    int fd = mkstemp(a->tmp);
    if (fd < 0) {
        error_set(err, "%s: %s", path, strerror(errno));
        free(a->tmp);
        a->tmp = NULL;
        return -1;
    }
    if (fchmod(fd, (mode_t)mode) != 0 || !(a->f = fdopen(fd, "wb"))) {
        error_set(err, "%s: %s", path, strerror(errno));
        close(fd);
        unlink(a->tmp);
        free(a->tmp);
        a->tmp = NULL;
        return -1;
    }
    a->path = xstrdup(path);
    return 0;
}

int atomic_file_commit(struct atomic_file *a, int ok, struct error *err)
{
    if (!a->f) return -1;
    int rc = ok ? 0 : -1;
    if (ok && (fflush(a->f) != 0 || ferror(a->f))) {
        error_set(err, "%s: %s", a->path, strerror(errno ? errno : EIO));
        rc = -1;
    }
    if (fclose(a->f) != 0 && rc == 0) {
        error_set(err, "%s: %s", a->path, strerror(errno));
        rc = -1;
    }
    if (rc == 0 && rename(a->tmp, a->path) != 0) {
        error_set(err, "%s: %s", a->path, strerror(errno));
        rc = -1;
    }
    if (rc != 0) unlink(a->tmp);
    free(a->tmp);
    free(a->path);
    memset(a, 0, sizeof a[0]);
    return rc;
}

int atomic_file_write(const char *path, const void *data, size_t len, unsigned mode, struct error *err)
{
    struct atomic_file a;
    if (atomic_file_open(&a, path, mode, err) < 0) return -1;
    int ok = fwrite(data, 1, len, a.f) == len;
    if (!ok) error_set(err, "%s: %s", path, strerror(errno ? errno : EIO));
    return atomic_file_commit(&a, ok, err);
}

int mkdir_p(const char *path, unsigned mode)
{
    char tmp[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof tmp) return -1;
    memcpy(tmp, path, n + 1);
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = 0;
            if (mkdir(tmp, mode) != 0 && errno != EEXIST) return -1;
            *p = '/';
        }
    }
    if (mkdir(tmp, mode) != 0 && errno != EEXIST) return -1;
    return 0;
}

double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}
