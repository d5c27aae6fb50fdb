/* SPDX-License-Identifier: ISC */
/* credentials — the secrets file of login.h: one login a line, `service server key=value ...`,
 * values printable ASCII without spaces (what tokens are; anything else is refused before it is
 * stored, so no value can break a line or a request header). */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "login.h"

#define CRED_FILE_MAX (1u << 20)

char *cred_path(const struct app *app)
{
    const char *env = getenv("WINNOW_CREDENTIALS");
    if (env && *env) return xstrdup(env);
    struct strbuf b;
    sb_init(&b);
    sb_printf(&b, "%s/credentials", app->data_dir);
    return sb_steal(&b);
}

int cred_token_ok(const char *s, size_t max)
{
    size_t n = 0;
    for (; s && s[n]; n++)
        if ((unsigned char)s[n] <= 0x20 || (unsigned char)s[n] >= 0x7f) return 0;
    return s && n > 0 && n < max;
}

static const struct { const char *key; size_t off, size; } fields[] = {
#define F(k, m) {k, offsetof(struct cred, m), sizeof(((struct cred *)0)->m)}
    F("account", account), F("client_id", client_id), F("client_secret", client_secret), F("access", access),
    F("refresh", refresh), F("did", did), F("pds", pds),
#undef F
};

static int parse_line(char *line, struct cred *c)
{
    memset(c, 0, sizeof *c);
    char *save = NULL;
    char *svc = strtok_r(line, " \t", &save), *srv = strtok_r(NULL, " \t", &save);
    if (!svc || !srv || strlen(svc) >= sizeof c->service || strlen(srv) >= sizeof c->server) return -1;
    strcpy(c->service, svc);
    strcpy(c->server, srv);
    for (char *kv; (kv = strtok_r(NULL, " \t", &save));) {
        char *eq = strchr(kv, '=');
        if (!eq) return -1;
        *eq = 0;
        int known = 0;
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
            if (strcmp(fields[i].key, kv)) continue;
            if (strlen(eq + 1) >= fields[i].size) return -1;
            strcpy((char *)c + fields[i].off, eq + 1);
            known = 1;
        }
        if (!known) return -1;
    }
    return 0;
}

int cred_load(const char *path, struct creds *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return 0;
        error_set(err, "credentials %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        error_set(err, "credentials %s: not a regular file", path);
        close(fd);
        return -1;
    }
    if (st.st_mode & 077) {
        error_set(err, "credentials %s: readable by others (mode %04o): chmod 600 %s", path,
                  (unsigned)(st.st_mode & 07777), path);
        close(fd);
        return -1;
    }
    if (st.st_uid != geteuid()) {
        error_set(err, "credentials %s: owned by another user", path);
        close(fd);
        return -1;
    }
    if (st.st_size > (off_t)CRED_FILE_MAX) {
        error_set(err, "credentials %s: larger than 1 MiB", path);
        close(fd);
        return -1;
    }
    char *buf = xmalloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(fd);
    buf[got] = 0;
    int rc = 0, lineno = 0;
    for (char *p = buf, *nl; p && *p; p = nl ? nl + 1 : NULL) {
        nl = strchr(p, '\n');
        if (nl) *nl = 0;
        lineno++;
        if (!*p || *p == '#') continue;
        if (out->n >= CRED_MAX || parse_line(p, &out->c[out->n]) < 0) {
            /* the line's text is not repeated: it holds secrets */
            error_set(err, "credentials %s:%d: malformed line", path, lineno);
            rc = -1;
            break;
        }
        out->n++;
    }
    /* the buffer held secrets */
    memset(buf, 0, got);
    free(buf);
    return rc;
}

int cred_save(const char *path, const struct creds *in, struct error *err)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = 0;
        if (mkdir_p(dir, 0700) < 0) {
            error_set(err, "credentials: cannot create %s: %s", dir, strerror(errno));
            free(dir);
            return -1;
        }
    }
    free(dir);
    struct strbuf tmp;
    sb_init(&tmp);
    sb_printf(&tmp, "%s.tmp%ld", path, (long)getpid());
    int fd = open(tmp.s, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        error_set(err, "credentials %s: %s", tmp.s, strerror(errno));
        sb_free(&tmp);
        return -1;
    }
    struct strbuf b;
    sb_init(&b);
    sb_adds(&b, "# winnow logins: secrets, keep this file mode 0600 (winnow logout forgets one)\n");
    for (size_t i = 0; i < in->n; i++) {
        const struct cred *c = &in->c[i];
        sb_printf(&b, "%s %s", c->service, c->server);
        for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) {
            const char *v = (const char *)c + fields[k].off;
            if (*v) sb_printf(&b, " %s=%s", fields[k].key, v);
        }
        sb_addc(&b, '\n');
    }
    int ok = write_all(fd, b.s, b.len) == 0;
    if (fsync(fd) < 0) ok = 0;
    if (close(fd) < 0) ok = 0;
    memset(b.s, 0, b.len);
    sb_free(&b);
    if (!ok || rename(tmp.s, path) < 0) {
        error_set(err, "credentials %s: could not write: %s", path, strerror(errno));
        unlink(tmp.s);
        sb_free(&tmp);
        return -1;
    }
    sb_free(&tmp);
    return 0;
}

/* The origin (scheme://host[:port]) of url, lower-cased, into out. */
static void origin_of(const char *url, char *out, size_t cap)
{
    out[0] = 0;
    const char *p = strstr(url, "://");
    if (!p) return;
    p += 3;
    size_t n = (size_t)(p - url) + strcspn(p, "/?#");
    if (n >= cap) return;
    for (size_t i = 0; i < n; i++) out[i] = (char)(url[i] >= 'A' && url[i] <= 'Z' ? url[i] + 32 : url[i]);
    out[n] = 0;
}

struct cred *cred_find(struct creds *cs, const char *service, const char *url)
{
    struct cred *hit = NULL;
    int n = 0;
    char want[300];
    if (url) origin_of(url, want, sizeof want);
    for (size_t i = 0; i < cs->n; i++) {
        struct cred *c = &cs->c[i];
        if (strcmp(c->service, service)) continue;
        if (!url) {
            hit = c;
            n++;
            continue;
        }
        char a[300], b[300];
        origin_of(c->server, a, sizeof a);
        origin_of(c->pds[0] ? c->pds : c->server, b, sizeof b);
        if (want[0] && (!strcmp(want, a) || !strcmp(want, b))) return c;
    }
    return n == 1 ? hit : NULL;
}

int cred_remove(struct creds *cs, const char *service, const char *server)
{
    int removed = 0;
    char want[300] = "";
    if (server) origin_of(server, want, sizeof want);
    for (size_t i = 0; i < cs->n;) {
        char have[300];
        origin_of(cs->c[i].server, have, sizeof have);
        if (!strcmp(cs->c[i].service, service) && (!server || !strcmp(want, have))) {
            memset(&cs->c[i], 0, sizeof cs->c[i]);
            memmove(&cs->c[i], &cs->c[i + 1], (cs->n - i - 1) * sizeof cs->c[0]);
            cs->n--;
            removed++;
        } else {
            i++;
        }
    }
    return removed;
}
