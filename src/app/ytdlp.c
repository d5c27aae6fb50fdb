/* SPDX-License-Identifier: ISC */
/* ytdlp — yt-dlp as a bounded child process, and a small pool that runs it off the caller's
 * thread.  See include/ytdlp.h. */
#include "ytdlp.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "source.h"
#include "text.h"
#include "workq.h"

extern char **environ;

/* stderr beyond this is not kept: the error line a user needs is short */
#define STDERR_CAP (64u << 10)
/* two yt-dlp processes at a time: each is a Python interpreter, and the machine has other work */
#define POOL_THREADS 2

static void opts_fill(struct ytdlp_opts *d, const struct ytdlp_opts *o)
{
    *d = *o;
    if (!d->path || !*d->path) d->path = "yt-dlp";
    if (d->timeout_s <= 0) d->timeout_s = 30;
    if (!d->max_output) d->max_output = YTDLP_MAX_OUTPUT;
    if (d->playlist_end <= 0) d->playlist_end = 30;
    if (d->n_options > YTDLP_MAX_OPTIONS) d->n_options = YTDLP_MAX_OPTIONS;
}

char **ytdlp_argv(const struct ytdlp_opts *o, const char *url)
{
    struct ytdlp_opts d;
    opts_fill(&d, o);
    char **argv = xcalloc(16 + d.n_options, sizeof *argv);
    size_t n = 0;
    char end[24];
    snprintf(end, sizeof end, "%d", d.playlist_end);
    argv[n++] = xstrdup(d.path);
    /* -J: one JSON document; a channel or playlist page lists its entries without resolving each */
    argv[n++] = xstrdup("-J");
    argv[n++] = xstrdup("--flat-playlist");
    argv[n++] = xstrdup("--playlist-end");
    argv[n++] = xstrdup(end);
    argv[n++] = xstrdup("--no-progress");
    argv[n++] = xstrdup("--no-cache-dir");
    for (size_t i = 0; i < d.n_options; i++) argv[n++] = xstrdup(d.options[i]);
    /* the URL is never read as an option, whatever it starts with */
    argv[n++] = xstrdup("--");
    argv[n++] = xstrdup(url);
    argv[n] = NULL;
    return argv;
}

void ytdlp_argv_free(char **argv)
{
    for (size_t i = 0; argv && argv[i]; i++) free(argv[i]);
    free(argv);
}

/* The line of stderr a user needs: yt-dlp's last "ERROR:" line, else its last line. */
static void stderr_message(const char *prog, const struct strbuf *e, int status, struct error *err)
{
    const char *s = e->s ? e->s : "", *best = NULL, *last = NULL;
    size_t best_n = 0, last_n = 0;
    for (const char *p = s; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        while (n && (p[n - 1] == '\r' || p[n - 1] == ' ')) n--;
        if (n) {
            last = p;
            last_n = n;
            if (!strncmp(p, "ERROR:", 6)) { best = p; best_n = n; }
        }
        if (!nl) break;
        p = nl + 1;
    }
    if (!best) { best = last; best_n = last_n; }
    if (best) {
        char *clean = text_sanitize_dup(best, best_n, 400, 0);
        error_set(err, "%s: %s", prog, clean);
        free(clean);
    } else {
        error_set(err, "%s: exited with status %d and said nothing", prog, status);
    }
}

static int spawn_child(const struct ytdlp_opts *d, char **argv, int out_fd, int err_fd, pid_t *pid)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&at);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
    posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
    /* its own process group, so a timeout kills what it started too; default signals and an
     * empty mask whatever this worker thread blocks */
    posix_spawnattr_setpgroup(&at, 0);
    sigset_t all, none;
    sigfillset(&all);
    sigdelset(&all, SIGKILL);
    sigdelset(&all, SIGSTOP);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&at, &all);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    int rc = posix_spawnp(pid, d->path, &fa, &at, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    return rc;
}

/* Reads what is there; 1 at EOF. */
static int drain_fd(int fd, struct strbuf *b, size_t cap, int *over)
{
    char buf[65536];
    ssize_t r = read(fd, buf, sizeof buf);
    if (r == 0) return 1;
    if (r < 0) return errno == EINTR || errno == EAGAIN ? 0 : 1;
    if (b->len + (size_t)r > cap) {
        *over = 1;
        size_t room = cap > b->len ? cap - b->len : 0;
        sb_add(b, buf, room);
        return 0;
    }
    sb_add(b, buf, (size_t)r);
    return 0;
}

int ytdlp_run(const struct ytdlp_opts *o, const char *url, int cancel_fd, struct strbuf *out,
              struct error *err)
{
    struct ytdlp_opts d;
    opts_fill(&d, o);
    int po[2], pe[2];
    if (pipe2(po, O_CLOEXEC) < 0) {
        error_set(err, "yt-dlp: %s", strerror(errno));
        return -1;
    }
    if (pipe2(pe, O_CLOEXEC) < 0) {
        error_set(err, "yt-dlp: %s", strerror(errno));
        close(po[0]);
        close(po[1]);
        return -1;
    }
    char **argv = ytdlp_argv(&d, url);
    pid_t pid;
    int rc = spawn_child(&d, argv, po[1], pe[1], &pid);
    ytdlp_argv_free(argv);
    close(po[1]);
    close(pe[1]);
    if (rc != 0) {
        close(po[0]);
        close(pe[0]);
        if (rc == ENOENT) error_set(err, "install yt-dlp for video pages (%s: not found)", d.path);
        else error_set(err, "%s: cannot run: %s", d.path, strerror(rc));
        return -1;
    }
    struct strbuf e;
    sb_init(&e);
    int out_eof = 0, err_eof = 0, over = 0, stderr_over = 0, timed_out = 0, cancelled = 0;
    double deadline = now_ms() + d.timeout_s * 1000.0;
    while (!(out_eof && err_eof) && !over) {
        double left = deadline - now_ms();
        if (left <= 0) { timed_out = 1; break; }
        struct pollfd p[3] = {{out_eof ? -1 : po[0], POLLIN, 0}, {err_eof ? -1 : pe[0], POLLIN, 0},
                              {cancel_fd, POLLIN, 0}};
        int n = poll(p, cancel_fd >= 0 ? 3 : 2, left > 1000 ? 1000 : (int)left + 1);
        if (n < 0 && errno != EINTR) break;
        if (n <= 0) continue;
        if (cancel_fd >= 0 && p[2].revents) { cancelled = 1; break; }
        if (p[0].revents) out_eof = drain_fd(po[0], out, d.max_output, &over);
        if (p[1].revents) err_eof = drain_fd(pe[0], &e, STDERR_CAP, &stderr_over);
    }
    if (!(out_eof && err_eof)) kill(-pid, SIGKILL);
    close(po[0]);
    close(pe[0]);
    /* a child that closed its output but does not exit is bounded by the same deadline */
    int st = 0;
    for (;;) {
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid || (w < 0 && errno != EINTR)) break;
        if (w == 0 && now_ms() > deadline) {
            timed_out = 1;
            kill(-pid, SIGKILL);
            while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
                ;
            break;
        }
        if (w == 0) {
            struct timespec ts = {0, 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    int ret = -1;
    if (cancelled) error_set(err, "yt-dlp: cancelled");
    else if (timed_out) error_set(err, "yt-dlp: timed out after %d s", d.timeout_s);
    else if (over) error_set(err, "yt-dlp: output over %zu MiB", d.max_output >> 20);
    else if (!WIFEXITED(st)) error_set(err, "yt-dlp: killed by signal %d", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    else if (WEXITSTATUS(st) != 0) stderr_message("yt-dlp", &e, WEXITSTATUS(st), err);
    else if (!out->len) error_set(err, "yt-dlp: printed nothing");
    else ret = 0;
    sb_free(&e);
    return ret;
}

/* ---- the pool --------------------------------------------------------------------------------- */

struct yrun {
    struct wtask w;          /* first: the pool hands back &w */
    struct ytdlp_queue *q;
    char *url;
    fetch_done_fn done;
    void *user;
    struct strbuf out;
    struct error e;
    int rc;
    double started, elapsed;
};

struct ytdlp_queue {
    struct ytdlp_opts o;
    struct workq *pool;
    int cancel[2];           /* written when the queue is freed: runs under way stop */
    size_t pending;
};

static void run_one(struct wtask *w)
{
    struct yrun *r = (struct yrun *)w;
    r->started = now_ms();
    r->rc = ytdlp_run(&r->q->o, r->url, r->q->cancel[0], &r->out, &r->e);
    r->elapsed = now_ms() - r->started;
}

static void yrun_free(struct yrun *r)
{
    free(r->url);
    sb_free(&r->out);
    free(r);
}

struct ytdlp_queue *ytdlp_queue_new(const struct ytdlp_opts *o)
{
    struct ytdlp_queue *q = xcalloc(1, sizeof *q);
    opts_fill(&q->o, o);
    if (pipe2(q->cancel, O_CLOEXEC) < 0 || !(q->pool = workq_new(POOL_THREADS))) {
        if (q->cancel[0] > 0) close(q->cancel[0]);
        if (q->cancel[1] > 0) close(q->cancel[1]);
        free(q);
        return NULL;
    }
    return q;
}

void ytdlp_queue_add(struct ytdlp_queue *q, const char *url, fetch_done_fn done, void *user)
{
    struct yrun *r = xcalloc(1, sizeof *r);
    r->q = q;
    r->url = xstrdup(url);
    r->done = done;
    r->user = user;
    sb_init(&r->out);
    error_clear(&r->e);
    r->w.run = run_one;
    q->pending++;
    workq_submit(q->pool, &r->w);
}

int ytdlp_queue_fd(const struct ytdlp_queue *q) { return workq_fd(q->pool); }

size_t ytdlp_queue_pending(const struct ytdlp_queue *q) { return q ? q->pending : 0; }

int ytdlp_queue_take(struct ytdlp_queue *q)
{
    int n = 0;
    struct wtask *w;
    while (q && (w = workq_take(q->pool))) {
        struct yrun *r = (struct yrun *)w;
        q->pending--;
        struct fetch_result res;
        memset(&res, 0, sizeof res);
        res.url = res.effective_url = r->url;
        res.ok = r->rc == 0;
        res.body = r->out.s && r->rc == 0 ? r->out.s : "";
        res.len = r->rc == 0 ? r->out.len : 0;
        res.content_type = "application/json";
        res.retry_after_s = -1;
        res.elapsed_ms = r->elapsed;
        if (r->rc != 0) {
            /* the message is one line; a long one is cut where the result's buffer ends */
            size_t l = strnlen(r->e.msg, sizeof res.error - 1);
            memcpy(res.error, r->e.msg, l);
            res.error[l] = 0;
        }
        r->done(&res, r->user);
        yrun_free(r);
        n++;
    }
    return n;
}

static void drop_run(struct wtask *w) { yrun_free((struct yrun *)w); }

void ytdlp_queue_free(struct ytdlp_queue *q)
{
    if (!q) return;
    /* the runs under way see the cancel pipe readable and kill their child */
    if (write(q->cancel[1], "x", 1) < 0) { /* nothing more to do: the runs end by their timeout */ }
    workq_free(q->pool, drop_run);
    close(q->cancel[0]);
    close(q->cancel[1]);
    free(q);
}

/* ---- the session's settings ------------------------------------------------------------------ */

void app_ytdlp_opts(const struct app *app, struct ytdlp_opts *out)
{
    memset(out, 0, sizeof *out);
    const struct config *c = &app->cfg;
    out->path = c->ytdlp_path;
    out->timeout_s = c->ytdlp_timeout;
    for (size_t i = 0; i < c->n_ytdlp_options && i < YTDLP_MAX_OPTIONS; i++) out->options[out->n_options++] = c->ytdlp_options[i];
    out->playlist_end = c->max_items > 0 && c->max_items < 1000 ? c->max_items : 30;
}

struct ytdlp_queue *app_ytdlp_queue_new(const struct app *app)
{
    struct ytdlp_opts o;
    app_ytdlp_opts(app, &o);
    return ytdlp_queue_new(&o);
}

void app_sources_configure(const struct app *app)
{
    source_set_option("ytdlp-path", app->cfg.ytdlp_path);
    source_set_option("bridge-x", app->cfg.bridge_x);
}
