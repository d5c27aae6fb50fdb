#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void config_defaults(struct config *c)
{
    memset(c, 0, sizeof *c);
    c->jobs = 16;
    c->jobs_per_host = 6;
    c->timeout = 30;
    c->connect_timeout = 10;
    c->max_body_mb = 16;
    c->max_items = 0;
    c->refresh_on_start = 0;
    snprintf(c->theme, sizeof c->theme, "default");
    snprintf(c->open_command, sizeof c->open_command, "xdg-open");
    c->truecolor = -1;
    c->osc8 = 0;
    c->ascii = -1;
}

static const char *const keys[] = {
    "jobs", "jobs-per-host", "timeout", "connect-timeout", "max-body-mb", "max-items",
    "refresh-on-start", "theme", "open-command", "truecolor", "osc8", "ascii",
    "open-in-terminal", "cursor-line", "bind", NULL,
};

const char *const *config_keys(void) { return keys; }

static int parse_bool(const char *v, int *out)
{
    if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "on") || !strcmp(v, "1")) { *out = 1; return 0; }
    if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "off") || !strcmp(v, "0")) { *out = 0; return 0; }
    return -1;
}

static int parse_int(const char *v, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < lo || n > hi) return -1;
    *out = (int)n;
    return 0;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s)) s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1])) *--e = 0;
    /* strip one pair of surrounding quotes */
    size_t n = strlen(s);
    if (n >= 2 && ((s[0] == '"' && s[n - 1] == '"') || (s[0] == '\'' && s[n - 1] == '\''))) {
        s[n - 1] = 0;
        s++;
    }
    return s;
}

static int set_key(struct config *c, const char *k, char *v, const char *name, int line, struct error *err)
{
    int ok = 0;
    if (!strcmp(k, "jobs")) ok = parse_int(v, 1, 256, &c->jobs);
    else if (!strcmp(k, "jobs-per-host")) ok = parse_int(v, 1, 64, &c->jobs_per_host);
    else if (!strcmp(k, "timeout")) ok = parse_int(v, 1, 3600, &c->timeout);
    else if (!strcmp(k, "connect-timeout")) ok = parse_int(v, 1, 600, &c->connect_timeout);
    else if (!strcmp(k, "max-body-mb")) ok = parse_int(v, 1, 1024, &c->max_body_mb);
    else if (!strcmp(k, "max-items")) ok = parse_int(v, 0, 100000, &c->max_items);
    else if (!strcmp(k, "refresh-on-start")) ok = parse_bool(v, &c->refresh_on_start);
    else if (!strcmp(k, "truecolor")) {
        if (!strcmp(v, "auto")) c->truecolor = -1;
        else ok = parse_bool(v, &c->truecolor);
    } else if (!strcmp(k, "osc8")) {
        ok = parse_bool(v, &c->osc8);
    } else if (!strcmp(k, "ascii")) {
        if (!strcmp(v, "auto")) c->ascii = -1;
        else ok = parse_bool(v, &c->ascii);
    } else if (!strcmp(k, "open-in-terminal")) {
        ok = parse_bool(v, &c->open_in_terminal);
    } else if (!strcmp(k, "cursor-line")) {
        ok = parse_bool(v, &c->cursor_line);
    } else if (!strcmp(k, "theme")) {
        if (!*v || strlen(v) >= sizeof c->theme || strchr(v, '/')) ok = -1;
        else snprintf(c->theme, sizeof c->theme, "%s", v);
    } else if (!strcmp(k, "open-command")) {
        if (!*v || strlen(v) >= sizeof c->open_command) ok = -1;
        else snprintf(c->open_command, sizeof c->open_command, "%s", v);
    } else if (!strcmp(k, "bind")) {
        /* bind KEY ACTION: the action is checked by the UI, which knows its actions */
        char *sp = v;
        while (*sp && !isspace((unsigned char)*sp)) sp++;
        if (!*sp) { error_set(err, "%s:%d: bind needs a key and an action (bind j down)", name, line); return -1; }
        *sp++ = 0;
        char *act = trim(sp);
        if (c->n_binds >= CONFIG_MAX_BINDS) { error_set(err, "%s:%d: too many bind lines", name, line); return -1; }
        if (strlen(v) >= sizeof c->binds[0].key || strlen(act) >= sizeof c->binds[0].action || !*act) {
            error_set(err, "%s:%d: bind: key or action too long", name, line);
            return -1;
        }
        struct config_bind *b = &c->binds[c->n_binds++];
        snprintf(b->key, sizeof b->key, "%s", v);
        snprintf(b->action, sizeof b->action, "%s", act);
        b->line = line;
    } else {
        error_set(err, "%s:%d: unknown key \"%s\" (see `winnow help config`)", name, line, k);
        return -1;
    }
    if (ok < 0) {
        error_set(err, "%s:%d: bad value \"%s\" for %s", name, line, v, k);
        return -1;
    }
    return 0;
}

int config_parse(struct config *c, const char *text, const char *name, struct error *err)
{
    char *copy = xstrdup(text);
    char *save = NULL;
    int line = 0, rc = 0;
    /* strtok_r would skip empty lines and lose the numbering, so split by hand */
    char *p = copy;
    (void)save;
    while (p && *p) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = 0;
        line++;
        char *s = p;
        p = nl ? nl + 1 : NULL;
        while (isspace((unsigned char)*s)) s++;
        if (!*s || *s == '#') continue;
        char *key = s, *val;
        if (!strncmp(s, "bind", 4) && isspace((unsigned char)s[4])) {
            s[4] = 0;
            val = trim(s + 5);
        } else {
            char *eq = strchr(s, '=');
            if (!eq) {
                error_set(err, "%s:%d: expected \"key = value\"", name, line);
                rc = -1;
                break;
            }
            *eq = 0;
            val = trim(eq + 1);
        }
        key = trim(key);
        if (set_key(c, key, val, name, line, err) < 0) { rc = -1; break; }
    }
    free(copy);
    return rc;
}

int config_load(struct config *c, const char *path, int optional, struct error *err)
{
    char *buf;
    size_t len;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (optional && errno == ENOENT) return 0;
        error_set(err, "config %s: %s", path, strerror(errno));
        return -1;
    }
    fclose(f);
    if (read_file(path, 1 << 20, &buf, &len, err) < 0) return -1;
    int rc = config_parse(c, buf, path, err);
    free(buf);
    return rc;
}
