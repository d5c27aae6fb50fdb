/* SPDX-License-Identifier: ISC */
/* ytdlp — runs the external yt-dlp program for video pages' metadata (`yt-dlp -J`), bounded: argv
 * only (posix_spawnp, never a shell), a timeout after which its process group is killed, its output
 * capped, its stderr kept as the error a user reads ("yt-dlp: ERROR: Unsupported URL: ...").  Runs
 * happen on worker threads and are announced on a file descriptor, so a refresh waits for them in
 * the same poll as the network and the terminal, and the reader never blocks on one.
 *
 * A refresh hands a request to this module instead of the fetcher when its URL carries the
 * "ytdlp:" prefix (source.h: SOURCE_YTDLP_PREFIX); the JSON comes back as a fetch_result whose body
 * is yt-dlp's stdout, so the adapter parses it like any other response. */
#ifndef WINNOW_YTDLP_H
#define WINNOW_YTDLP_H

#include <stddef.h>

#include "fetch.h"
#include "util.h"

#define YTDLP_MAX_OUTPUT ((size_t)32 << 20)
#define YTDLP_MAX_OPTIONS 16

struct ytdlp_opts {
    const char *path;                 /* program, looked up on PATH; default "yt-dlp" */
    int timeout_s;                    /* default 30 */
    const char *options[YTDLP_MAX_OPTIONS];   /* extra argv elements, each one element */
    size_t n_options;
    size_t max_output;                /* default YTDLP_MAX_OUTPUT */
    int playlist_end;                 /* entries of a channel/playlist page, default 30 */
};

/* The argv of one run (NULL-terminated, free with ytdlp_argv_free). */
char **ytdlp_argv(const struct ytdlp_opts *o, const char *url);
void ytdlp_argv_free(char **argv);

/* Runs yt-dlp on url and waits for it (on the caller's thread): stdout into out, 0 on exit
 * status 0.  -1 with the program's last "ERROR:" line (or why it could not run: "install yt-dlp
 * for video pages (yt-dlp: not found)", "yt-dlp: timed out after 30 s", "yt-dlp: output over 32
 * MiB").  When cancel_fd >= 0 becomes readable the child is killed and the run fails. */
int ytdlp_run(const struct ytdlp_opts *o, const char *url, int cancel_fd, struct strbuf *out,
              struct error *err);

/* Runs on a small pool of worker threads. */
struct ytdlp_queue;
struct ytdlp_queue *ytdlp_queue_new(const struct ytdlp_opts *o);
/* Queues a run of url; done() is called from ytdlp_queue_take on the owner's thread, with a
 * result shaped like the fetcher's (ok, body = the JSON, content_type application/json, or the
 * error).  The strings of o given to ytdlp_queue_new must outlive the queue. */
void ytdlp_queue_add(struct ytdlp_queue *q, const char *url, fetch_done_fn done, void *user);
/* Readable while finished runs wait to be taken. */
int ytdlp_queue_fd(const struct ytdlp_queue *q);
/* Runs queued or running and not yet taken. */
size_t ytdlp_queue_pending(const struct ytdlp_queue *q);
/* Calls done() for every finished run; returns how many. */
int ytdlp_queue_take(struct ytdlp_queue *q);
/* Kills the runs under way, without callbacks, and frees the queue. */
void ytdlp_queue_free(struct ytdlp_queue *q);

/* The options of app's config (ytdlp-path, ytdlp-timeout, ytdlp-option lines, max-items for the
 * playlist length); the strings point into app's config. */
struct app;
void app_ytdlp_opts(const struct app *app, struct ytdlp_opts *out);
/* A queue with those options (NULL when no thread or pipe could be made: the runs then fail). */
struct ytdlp_queue *app_ytdlp_queue_new(const struct app *app);

/* Hands the config's settings adapters need to the registry (source_set_option): ytdlp-path,
 * bridge-x.  Called by app_open once the config is read. */
void app_sources_configure(const struct app *app);

#endif
