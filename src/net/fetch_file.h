/* SPDX-License-Identifier: ISC */
/* fetch_file — the fetch engine's reader of file:// URLs, private to src/net.  A local file is
 * read only when the request allows it (a feed that is itself a local file, and what it names),
 * only when it is a regular file (never a terminal, a FIFO, a device or a directory: those block
 * or never end), opened without blocking and without becoming a controlling terminal, and bounded
 * like a body from the network.  fetch.c runs it on a worker thread, never on the caller's. */
#ifndef WINNOW_NET_FETCH_FILE_H
#define WINNOW_NET_FETCH_FILE_H

#include <stddef.h>

/* Reads path (already URL-decoded): at most max bytes, or only bytes 0..range_end when
 * range_end > 0.  Returns 0 with a malloc'd, NUL-terminated *body, or -1 with a one-line reason
 * in err ("cannot read /x: No such file or directory", "/dev/tty is not a regular file"). */
int fetch_file_read(const char *path, size_t max, long range_end, char **body, size_t *len,
                    char *err, size_t cap);

#endif
