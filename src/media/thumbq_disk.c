/* SPDX-License-Identifier: ISC */
/* The thumbnail disk cache: fetched bytes in CACHE_DIR/thumbs/<sha256 of the URL>, written through
 * a temporary file and rename so a reader never sees half a file, and bounded in total size by
 * removing the least recently used files (mtime, which a read refreshes). */
#include "thumbq_int.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TMP_MAX_AGE_S 3600   /* temporary files older than this were left by a crash */

struct tdisk {
    char *dir;
    size_t limit;
    pthread_mutex_t mu;            /* guards everything below */
    size_t bytes;                  /* as last counted, plus what was written since */
    int scanned, busy;             /* busy: one scan at a time */
    unsigned long hits, writes, evictions;
};

struct tdisk *tdisk_open(const char *cache_dir, size_t limit)
{
    if (!cache_dir || !*cache_dir) return NULL;
    size_t n = strlen(cache_dir) + 16;
    char *dir = xmalloc(n);
    snprintf(dir, n, "%s/thumbs", cache_dir);
    if (mkdir_p(dir, 0700) != 0) {
        free(dir);
        return NULL;
    }
    struct tdisk *d = xcalloc(1, sizeof *d);
    d->dir = dir;
    d->limit = limit;
    pthread_mutex_init(&d->mu, NULL);
    return d;
}

void tdisk_close(struct tdisk *d)
{
    if (!d) return;
    pthread_mutex_destroy(&d->mu);
    free(d->dir);
    free(d);
}

void tdisk_path(const struct tdisk *d, const char *url, char *out, size_t n)
{
    out[0] = 0;
    if (!d || !strncmp(url, "file:", 5)) return;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    char hex[2 * EVP_MAX_MD_SIZE + 1];
    if (!EVP_Digest(url, strlen(url), md, &mdlen, EVP_sha256(), NULL)) return;
    for (unsigned i = 0; i < mdlen; i++) snprintf(hex + 2 * i, 3, "%02x", md[i]);
    if ((size_t)snprintf(out, n, "%s/%s", d->dir, hex) >= n) out[0] = 0;
}

int tdisk_read(struct tdisk *d, const char *path, size_t max, char **buf, size_t *len)
{
    struct error err;
    if (!d || !path[0] || read_file(path, max, buf, len, &err) < 0) return -1;
    utimensat(AT_FDCWD, path, NULL, 0);
    pthread_mutex_lock(&d->mu);
    d->hits++;
    pthread_mutex_unlock(&d->mu);
    return 0;
}

void tdisk_drop(struct tdisk *d, const char *path)
{
    if (d && path[0]) unlink(path);
}

struct dfile {
    char name[80];
    struct timespec mtime;
    size_t size;
};

static int dfile_cmp(const void *a, const void *b)
{
    const struct dfile *x = a, *y = b;
    if (x->mtime.tv_sec != y->mtime.tv_sec) return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
    if (x->mtime.tv_nsec != y->mtime.tv_nsec) return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Counts the cache and, when over its bound, removes the least recently used files down to 90 %
 * of it, so that the very next write does not scan again.  The caller holds d->busy. */
static void scan(struct tdisk *d)
{
    DIR *dir = opendir(d->dir);
    if (!dir) return;
    struct dfile *v = NULL;
    size_t n = 0, cap = 0, total = 0;
    time_t now = time(NULL);
    struct dirent *de;
    while ((de = readdir(dir))) {
        if (de->d_name[0] == '.' && (de->d_name[1] == 0 || de->d_name[1] == '.')) continue;
        struct stat sb;
        if (fstatat(dirfd(dir), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode)) continue;
        if (de->d_name[0] == '.') {
            if (now - sb.st_mtime > TMP_MAX_AGE_S) unlinkat(dirfd(dir), de->d_name, 0);
            continue;
        }
        if (strlen(de->d_name) >= sizeof v->name) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            v = xrealloc(v, cap * sizeof *v);
        }
        snprintf(v[n].name, sizeof v[n].name, "%s", de->d_name);
        v[n].mtime = sb.st_mtim;
        v[n].size = (size_t)sb.st_size;
        total += v[n].size;
        n++;
    }
    unsigned long evicted = 0;
    if (total > d->limit) {
        qsort(v, n, sizeof *v, dfile_cmp);
        size_t target = d->limit / 10 * 9;
        for (size_t i = 0; i < n && total > target; i++)
            if (unlinkat(dirfd(dir), v[i].name, 0) == 0) {
                total -= v[i].size;
                evicted++;
            }
    }
    closedir(dir);
    free(v);
    pthread_mutex_lock(&d->mu);
    d->bytes = total;
    d->evictions += evicted;
    pthread_mutex_unlock(&d->mu);
}

static void scan_exclusive(struct tdisk *d)
{
    scan(d);
    pthread_mutex_lock(&d->mu);
    d->busy = 0;
    pthread_mutex_unlock(&d->mu);
}

void tdisk_scan_once(struct tdisk *d)
{
    if (!d) return;
    pthread_mutex_lock(&d->mu);
    int run = !d->scanned && !d->busy;
    if (run) d->scanned = d->busy = 1;
    pthread_mutex_unlock(&d->mu);
    if (run) scan_exclusive(d);
}

void tdisk_write(struct tdisk *d, const char *path, const void *data, size_t len)
{
    if (!d || !path[0]) return;
    char tmp[PATH_MAX];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s/.tmp-XXXXXX", d->dir) >= sizeof tmp) return;
    int fd = mkstemp(tmp);
    if (fd < 0) return;
    int bad = write_all(fd, data, len) < 0;
    if (close(fd) != 0) bad = 1;
    if (bad || rename(tmp, path) != 0) {
        unlink(tmp);
        return;
    }
    pthread_mutex_lock(&d->mu);
    d->writes++;
    d->bytes += len;
    int run = d->bytes > d->limit && !d->busy;
    if (run) d->busy = 1;
    pthread_mutex_unlock(&d->mu);
    if (run) scan_exclusive(d);
}

void tdisk_stats(struct tdisk *d, struct tdisk_stats *out)
{
    memset(out, 0, sizeof *out);
    if (!d) return;
    pthread_mutex_lock(&d->mu);
    out->bytes = d->bytes;
    out->hits = d->hits;
    out->writes = d->writes;
    out->evictions = d->evictions;
    pthread_mutex_unlock(&d->mu);
}
