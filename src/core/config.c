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
    /* newsboat's max-items and newsraft's item-limit are off by default; here a feed that rotates
     * its guids would add tens of MB per refresh, so the bound is on */
    c->keep_items = 1000;
    c->keep_read_days = 30;
    c->max_new_items = 1000;
    c->refresh_on_start = 0;
    snprintf(c->theme, sizeof c->theme, "default");
    snprintf(c->open_command, sizeof c->open_command, "xdg-open");
    c->truecolor = -1;
    c->osc8 = 0;
    c->ascii = -1;
    snprintf(c->layout, sizeof c->layout, "list");
    snprintf(c->thumbnails, sizeof c->thumbnails, "symbols");
    c->thumb_cache_mb = 200;
    c->scan_media = 1;
    snprintf(c->video_output, sizeof c->video_output, "tct");
    snprintf(c->video_preset, sizeof c->video_preset, "auto");
    snprintf(c->resume, sizeof c->resume, "yes");
    c->mpv_config = 1;
}

static const char *const keys[] = {
    "jobs", "jobs-per-host", "timeout", "connect-timeout", "max-body-mb", "max-items",
    "refresh-on-start", "theme", "open-command", "truecolor", "osc8", "ascii",
    "open-in-terminal", "cursor-line", "bind", "layout", "thumbnails", "thumbnails-force",
    "thumb-cache-mb", "scan-media", "hide", "only", "trust-anchor", "video-output", "video-preset", "audio-only",
    "resume", "mpv-config", "mpv-option", "keep-days", "keep-items", "keep-read-days", "max-new-items", "auto-list", NULL,
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
    } else if (!strcmp(k, "layout")) {
        if (strcmp(v, "list") && strcmp(v, "cards") && strcmp(v, "grid")) ok = -1;
        else snprintf(c->layout, sizeof c->layout, "%s", v);
    } else if (!strcmp(k, "thumbnails")) {
        if (strcmp(v, "symbols") && strcmp(v, "sixel") && strcmp(v, "kitty") && strcmp(v, "off")) ok = -1;
        else snprintf(c->thumbnails, sizeof c->thumbnails, "%s", v);
    } else if (!strcmp(k, "thumbnails-force")) {
        ok = parse_bool(v, &c->thumbnails_force);
    } else if (!strcmp(k, "scan-media")) {
        ok = parse_bool(v, &c->scan_media);
    } else if (!strcmp(k, "thumb-cache-mb")) {
        ok = parse_int(v, 1, 100000, &c->thumb_cache_mb);
    } else if (!strcmp(k, "hide") || !strcmp(k, "only")) {
        /* the names are the provenance module's: checked where the rules are built */
        if (c->n_prov_filters >= CONFIG_MAX_PROV) { error_set(err, "%s:%d: too many hide/only lines", name, line); return -1; }
        if (!*v || strlen(v) >= sizeof c->prov_filters[0].action) ok = -1;
        else {
            struct config_bind *b = &c->prov_filters[c->n_prov_filters++];
            snprintf(b->key, sizeof b->key, "%s", k);
            snprintf(b->action, sizeof b->action, "%s", v);
            b->line = line;
        }
    } else if (!strcmp(k, "trust-anchor")) {
        if (c->n_trust_anchors >= CONFIG_MAX_PROV) { error_set(err, "%s:%d: too many trust-anchor lines", name, line); return -1; }
        if (!*v || strlen(v) >= sizeof c->trust_anchors[0]) ok = -1;
        else snprintf(c->trust_anchors[c->n_trust_anchors++], sizeof c->trust_anchors[0], "%s", v);
    } else if (!strcmp(k, "video-output") || !strcmp(k, "video-preset") || !strcmp(k, "resume")) {
        static const char *const words[3][6] = {{"tct", "sixel", "gpu", "auto", "none", NULL},
                                                {"auto", "full", "ssh", NULL},
                                                {"yes", "no", "ask", NULL}};
        int which = k[0] == 'r' ? 2 : k[6] == 'p' ? 1 : 0;
        char *dst = which == 2 ? c->resume : which == 1 ? c->video_preset : c->video_output;
        ok = -1;
        for (int i = 0; words[which][i]; i++)
            if (!strcmp(v, words[which][i])) {
                snprintf(dst, sizeof c->resume, "%s", v);
                ok = 0;
            }
    } else if (!strcmp(k, "audio-only")) {
        ok = parse_bool(v, &c->audio_only);
    } else if (!strcmp(k, "mpv-config")) {
        ok = parse_bool(v, &c->mpv_config);
    } else if (!strcmp(k, "mpv-option")) {
        if (c->n_mpv_options >= CONFIG_MAX_MPV_OPTIONS) {
            error_set(err, "%s:%d: at most %d mpv-option lines", name, line, CONFIG_MAX_MPV_OPTIONS);
            return -1;
        }
        const char *eq = strchr(v, '=');
        if (!eq || eq == v || strlen(v) >= sizeof c->mpv_options[0]) ok = -1;
        else snprintf(c->mpv_options[c->n_mpv_options++], sizeof c->mpv_options[0], "%s", v);
    } else if (!strcmp(k, "keep-days")) {
        ok = parse_int(v, 0, 36500, &c->keep_days);
    } else if (!strcmp(k, "keep-items")) {
        ok = parse_int(v, 0, 10000000, &c->keep_items);
    } else if (!strcmp(k, "keep-read-days")) {
        ok = parse_int(v, 0, 36500, &c->keep_read_days);
    } else if (!strcmp(k, "max-new-items")) {
        ok = parse_int(v, 0, 10000000, &c->max_new_items);
    } else if (!strcmp(k, "auto-list")) {
        if (c->n_auto_lists >= CONFIG_MAX_AUTO_LISTS) {
            error_set(err, "%s:%d: at most %d auto-list lines", name, line, CONFIG_MAX_AUTO_LISTS);
            return -1;
        }
        if (!*v || strlen(v) >= sizeof c->auto_lists[0].text) ok = -1;
        else {
            struct config_rule *r = &c->auto_lists[c->n_auto_lists++];
            snprintf(r->text, sizeof r->text, "%s", v);
            r->line = line;
        }
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
        } else if (!strncmp(s, "auto-list", 9) && (isspace((unsigned char)s[9]) || s[9] == '=')) {
            /* both `auto-list NAME when ...` and `auto-list = NAME when ...`; the rule keeps its
             * quotes, only the surrounding blanks go */
            char *r = s + 9;
            while (isspace((unsigned char)*r)) r++;
            if (*r == '=') r++;
            while (isspace((unsigned char)*r)) r++;
            char *e = r + strlen(r);
            while (e > r && isspace((unsigned char)e[-1])) *--e = 0;
            s[9] = 0;
            val = r;
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
