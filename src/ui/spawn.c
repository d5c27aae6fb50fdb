/* SPDX-License-Identifier: ISC */
/* spawn — the two ways a link leaves winnow: `o` starts the configured program with the URL as
 * one argv element (posix_spawnp, never a shell, so no URL can become a command), and `y` puts it
 * on the clipboard with OSC 52, which travels over SSH because it is only bytes to the terminal.
 * Both escape sequences winnow writes itself are built here from sanitised URLs only. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "text.h"
#include "ui_int.h"

extern char **environ;

char *ui_base64(const unsigned char *s, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = xmalloc(4 * ((n + 2) / 3) + 1), *o = out;
    size_t i = 0;
    for (; i + 2 < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16 | (unsigned)s[i + 1] << 8 | s[i + 2];
        *o++ = tab[v >> 18];
        *o++ = tab[(v >> 12) & 63];
        *o++ = tab[(v >> 6) & 63];
        *o++ = tab[v & 63];
    }
    if (i < n) {
        unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0);
        *o++ = tab[v >> 18];
        *o++ = tab[(v >> 12) & 63];
        *o++ = i + 1 < n ? tab[(v >> 6) & 63] : '=';
        *o++ = '=';
    }
    *o = 0;
    return out;
}

char *ui_osc52(const char *text)
{
    if (!text || !*text) return NULL;
    /* base64 carries any byte harmlessly, so the payload cannot end the sequence early */
    char *b = ui_base64((const unsigned char *)text, strlen(text));
    struct strbuf sb;
    sb_init(&sb);
    sb_printf(&sb, "\033]52;c;%s\a", b);
    free(b);
    return sb_steal(&sb);
}

char *ui_osc8_url(const char *url)
{
    if (!url || !*url) return NULL;
    /* a click on the link goes to the terminal's own opener: the same mailto rule as o */
    char *clean = ui_mailto_clean(url);
    struct strbuf b;
    sb_init(&b);
    for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
        if (*p < 0x21 || *p > 0x7E || *p == ';') sb_printf(&b, "%%%02X", *p);
        else sb_addc(&b, (char)*p);
    }
    free(clean);
    return sb_steal(&b);
}

void ui_argv_free(char **argv)
{
    if (!argv) return;
    for (char **a = argv; *a; a++) free(*a);
    free(argv);
}

char **ui_open_argv(const char *cmd, const char *url)
{
    if (!cmd || !url) return NULL;
    size_t cap = 8, n = 0;
    char **argv = xcalloc(cap, sizeof *argv);
    int had_u = 0;
    const char *p = cmd;
    for (;;) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        struct strbuf w;
        sb_init(&w);
        sb_adds(&w, "");
        while (*p && *p != ' ' && *p != '\t') {
            if (*p == '"' || *p == '\'') {
                char q = *p++;
                const char *e = strchr(p, q);
                if (!e) {
                    sb_free(&w);
                    ui_argv_free(argv);
                    return NULL;
                }
                sb_add(&w, p, (size_t)(e - p));
                p = e + 1;
            } else {
                sb_addc(&w, *p++);
            }
        }
        char *word = sb_steal(&w);
        char *pct = strstr(word, "%u");
        if (pct) {
            /* the URL replaces %u inside its argument: still one argv element, never split */
            struct strbuf r;
            sb_init(&r);
            sb_add(&r, word, (size_t)(pct - word));
            sb_adds(&r, url);
            sb_adds(&r, pct + 2);
            free(word);
            word = sb_steal(&r);
            had_u = 1;
        }
        if (n + 2 >= cap) {
            cap *= 2;
            argv = xrealloc(argv, cap * sizeof *argv);
        }
        argv[n++] = word;
        argv[n] = NULL;
    }
    if (n == 0) {
        free(argv);
        return NULL;
    }
    if (!had_u) {
        if (n + 2 >= cap) argv = xrealloc(argv, (cap + 2) * sizeof *argv);
        argv[n++] = xstrdup(url);
    }
    argv[n] = NULL;
    return argv;
}

pid_t ui_spawn(char **argv, int wait, struct error *err)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&at);
    if (!wait) {
        /* a browser launcher chatters on stdout/stderr; it must not scribble over the screen, and
         * it must not read the keys meant for winnow */
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
        /* its own process group: ^C in winnow is not meant for it */
        posix_spawnattr_setpgroup(&at, 0);
    }
    sigset_t def;
    sigemptyset(&def);
    sigaddset(&def, SIGINT);
    sigaddset(&def, SIGTERM);
    sigaddset(&def, SIGHUP);
    sigaddset(&def, SIGWINCH);
    sigaddset(&def, SIGPIPE);
    sigaddset(&def, SIGCHLD);
    sigaddset(&def, SIGTSTP);
    posix_spawnattr_setsigdefault(&at, &def);
    short flags = POSIX_SPAWN_SETSIGDEF;
    if (!wait) flags |= POSIX_SPAWN_SETPGROUP;
    posix_spawnattr_setflags(&at, flags);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, &at, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    if (rc != 0) {
        error_set(err, "open-command \"%s\": %s", argv[0], strerror(rc));
        return -1;
    }
    if (wait) {
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
        if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
            error_set(err, "open-command \"%s\" could not run", argv[0]);
            return -1;
        }
        return 0;
    }
    return pid;
}


/* ---- the o and y actions ---- */

static void ui_open_clean(struct ui *u, const char *url);

static int openable(const char *url)
{
    static const char *const ok[] = {"http://", "https://", "gemini://", "gopher://", "mailto:"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (!strncasecmp(url, ok[i], strlen(ok[i]))) return 1;
    return 0;
}

/* The name of a query parameter, percent-decoded and lower-cased, is one of names. */
static int param_is(const char *p, size_t n, const char *const *names)
{
    char name[32];
    size_t k = 0;
    for (size_t i = 0; i < n && p[i] != '=' && k < sizeof name - 1; i++) {
        char c = p[i];
        if (c == '%' && i + 2 < n && isxdigit((unsigned char)p[i + 1]) && isxdigit((unsigned char)p[i + 2])) {
            char hex[3] = {p[i + 1], p[i + 2], 0};
            c = (char)strtol(hex, NULL, 16);
            i += 2;
        }
        name[k++] = (char)tolower((unsigned char)c);
    }
    name[k] = 0;
    for (int j = 0; names[j]; j++)
        if (!strcmp(name, names[j])) return 1;
    return 0;
}

char *ui_mailto_clean(const char *url)
{
    /* mailto:x?attach=/home/you/.ssh/id_rsa makes some mail programs attach a local file to the
     * message they open: a feed's link must not choose the user's files to send */
    static const char *const drop[] = {"attach", "attachment", NULL};
    if (strncasecmp(url, "mailto:", 7)) return xstrdup(url);
    const char *q = strchr(url, '?');
    if (!q) return xstrdup(url);
    struct strbuf b;
    sb_init(&b);
    sb_add(&b, url, (size_t)(q - url));
    const char *p = q + 1, *end = p + strcspn(p, "#");
    int first = 1;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        size_t n = amp ? (size_t)(amp - p) : (size_t)(end - p);
        if (n && !param_is(p, n, drop)) {
            sb_addc(&b, first ? '?' : '&');
            sb_add(&b, p, n);
            first = 0;
        }
        p += n + (amp ? 1 : 0);
    }
    sb_adds(&b, end);
    return sb_steal(&b);
}

void ui_open_url(struct ui *u, const char *url_in)
{
    char *clean = url_in ? ui_mailto_clean(url_in) : NULL;
    ui_open_clean(u, clean);
    free(clean);
}

static void ui_open_clean(struct ui *u, const char *url)
{
    /* only web links: a feed must not make winnow hand a local file or an option to a program */
    if (!url || !openable(url)) {
        /* cut by width on a character boundary: %.80s split characters */
        ui_message(u, EL_ERROR, "not opening \"%.*s\": only http, https, gemini, gopher and mailto links",
                   (int)text_fit(url ? url : "", 80, NULL), url ? url : "");
        return;
    }
    char **argv = ui_open_argv(u->app->cfg.open_command, url);
    if (!argv) {
        ui_message(u, EL_ERROR, "open-command \"%s\" is empty or has an unclosed quote", u->app->cfg.open_command);
        return;
    }
    struct error err;
    error_clear(&err);
    pid_t pid;
    if (u->app->cfg.open_in_terminal) {
        /* as the C library's system function does: ^C and ^\ belong to the program while it owns the terminal */
        struct sigaction ign, old_int, old_quit;
        memset(&ign, 0, sizeof ign);
        ign.sa_handler = SIG_IGN;
        sigaction(SIGINT, &ign, &old_int);
        sigaction(SIGQUIT, &ign, &old_quit);
        def_prog_mode();
        endwin();
        pid = ui_spawn(argv, 1, &err);
        reset_prog_mode();
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGQUIT, &old_quit, NULL);
        u->full_redraw = 1;
    } else {
        pid = ui_spawn(argv, 0, &err);
        if (pid > 0 && u->n_kids < UI_MAX_KIDS) u->kids[u->n_kids++] = pid;
    }
    if (pid < 0) ui_message(u, EL_ERROR, "%s", err.msg);
    else ui_message(u, EL_MESSAGE, "opened %s", url);
    ui_argv_free(argv);
}

void ui_copy_url(struct ui *u, const char *url)
{
    char *seq = ui_osc52(url);
    if (!seq) return;
    ui_raw_append(u, seq, strlen(seq));
    free(seq);
    ui_message(u, EL_MESSAGE, "copied %s", url);
}

void ui_reap_kids(struct ui *u)
{
    for (int i = 0; i < u->n_kids;) {
        if (waitpid(u->kids[i], NULL, WNOHANG) != 0) u->kids[i] = u->kids[--u->n_kids];
        else i++;
    }
}
