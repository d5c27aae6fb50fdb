/* SPDX-License-Identifier: ISC */
/* Reading file:// URLs for the fetch engine: regular files only, non-blocking, bounded. */
#include "fetch_file.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MIB (1024u * 1024u)

static void shown_path(const char *path, char *out, size_t cap)
{
    size_t j = 0;
    for (size_t i = 0; path[i] && j + 1 < cap; i++) {
        unsigned char c = (unsigned char)path[i];
        out[j++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    out[j] = 0;
}

int fetch_file_read(const char *path, size_t max, long range_end, char **body, size_t *len,
                    char *err, size_t cap)
{
    char shown[512];
    shown_path(path, shown, sizeof shown);
    *body = NULL;
    *len = 0;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOCTTY: a terminal named here must
     * not become ours.  Neither is read: the type is checked first. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, cap, "cannot read %s: %s", shown, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(err, cap, "cannot read %s: %s", shown, strerror(errno));
        close(fd);
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, cap, "cannot read %s: %s", shown, strerror(EISDIR));
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, cap, "%s is not a regular file (a device, FIFO or socket is never read)", shown);
        close(fd);
        return -1;
    }
    size_t want = (size_t)st.st_size;
    if (range_end > 0 && (size_t)range_end + 1 < want) want = (size_t)range_end + 1;
    if (want > max) {
        if (max >= MIB && max % MIB == 0) snprintf(err, cap, "larger than %zu MiB", max / MIB);
        else snprintf(err, cap, "larger than %zu bytes", max);
        close(fd);
        return -1;
    }
    char *buf = xmalloc(want + 1);
    size_t got = 0;
    while (got < want) {
        ssize_t r = read(fd, buf + got, want - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            snprintf(err, cap, "cannot read %s: %s", shown, strerror(errno));
            free(buf);
            close(fd);
            return -1;
        }
        if (r == 0) break;   /* the file shrank while we read: what is there is the body */
        got += (size_t)r;
    }
    close(fd);
    buf[got] = 0;
    *body = buf;
    *len = got;
    return 0;
}
