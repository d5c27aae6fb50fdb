/* SPDX-License-Identifier: ISC */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The one table of the config keys: how each is read, its default and what it means.  Parsing,
 * the defaults, `winnow help config`, the man page and the README are all made from it (the man
 * page's and README's sections by `winnow help --man` / `--markdown`, compared by a test). */
#define INT(f, lo, hi) CONFIG_INT, offsetof(struct config, f), 0, lo, hi, NULL
#define BOOL(f) CONFIG_BOOL, offsetof(struct config, f), 0, 0, 1, NULL
#define AUTOBOOL(f) CONFIG_AUTOBOOL, offsetof(struct config, f), 0, 0, 1, NULL
#define WORD(f, w) CONFIG_WORD, offsetof(struct config, f), sizeof(((struct config *)0)->f), 0, 0, w
#define STR(f) CONFIG_STR, offsetof(struct config, f), sizeof(((struct config *)0)->f), 0, 0, NULL
#define LIST CONFIG_LIST, 0, 0, 0, 0, NULL
/* a word key's field is written as an int */
_Static_assert(sizeof(enum config_layout) == sizeof(int) && sizeof(enum config_vo) == sizeof(int),
               "word settings are stored as int");
/* In the order of their enums in config.h (a test checks each word lands on its value). */
static const char *const w_layout[] = {"list", "cards", "grid", NULL};
static const char *const w_thumbs[] = {"symbols", "sixel", "kitty", "off", NULL};
static const char *const w_vo[] = {"tct", "sixel", "gpu", "auto", "none", NULL};
static const char *const w_preset[] = {"auto", "full", "ssh", NULL};
static const char *const w_resume[] = {"yes", "no", "ask", NULL};
static const char *const w_sensitive[] = {"blur", "hide", "show", NULL};

static const struct config_key_info table[] = {
    {"jobs", INT(jobs, 1, 256), "16",
     "Parallel transfers of a refresh, scans and thumbnails together."},
    {"jobs-per-host", INT(jobs_per_host, 1, 64), "6",
     "Parallel transfers to one host; more wait in winnow's queue."},
    {"timeout", INT(timeout, 1, 3600), "30",
     "Seconds one transfer may take in all before it fails."},
    {"connect-timeout", INT(connect_timeout, 1, 600), "10",
     "Seconds to connect to a server."},
    {"max-body-mb", INT(max_body_mb, 1, 1024), "16",
     "The largest response body in MiB (after decompression); a larger one fails the transfer."},
    {"max-items", INT(max_items, 0, 100000), "0",
     "Items kept per feed and refresh; 0 keeps all the feed sends."},
    {"refresh-on-start", BOOL(refresh_on_start), "no",
     "The reader refreshes every feed in the background as it opens; the first screen never waits for it."},
    {"theme", STR(theme), "default",
     "NAME.theme from $XDG_CONFIG_HOME/winnow/themes, $WINNOW_THEMES_DIR or the installed themes (default, light, solarized-dark, high-contrast, mono). A theme holds element = FG BG [ATTR...] lines: colours by name, 0-255 or #rrggbb; attributes bold, dim, underline, reverse, italic."},
    {"open-command", STR(open_command), "xdg-open",
     "The program o runs, without a shell: the URL is its one argument, or replaces %u."},
    {"open-in-terminal", BOOL(open_in_terminal), "no",
     "open-command needs the terminal (w3m, lynx): the reader hands it over and waits."},
    {"truecolor", AUTOBOOL(truecolor), "auto",
     "24-bit colour: yes, no, or auto (when COLORTERM says truecolor). NO_COLOR turns colour off."},
    {"osc8", BOOL(osc8), "no",
     "Links in the detail view as clickable OSC 8 hyperlinks."},
    {"ascii", AUTOBOOL(ascii), "auto",
     "Draw with ASCII only: yes, no, or auto (when the locale is not UTF-8)."},
    {"cursor-line", BOOL(cursor_line), "yes",
     "Highlight the whole cursor row; no marks it with the bar only (about half the bytes per cursor move over SSH)."},
    {"bind", LIST, "",
     "bind KEY ACTION: KEY (a character, ^X, Enter, Esc, Space, Tab, BackTab, Backspace, Up, Down, Left, Right, PgUp, PgDn, Home, End, Insert, Delete, F1..F12) runs ACTION (winnow help keys lists them); bind KEY none unbinds it. An unknown key or action stops winnow with the line's number."},
    {"layout", WORD(layout, w_layout), "list",
     "The items view: a list (one line per item), cards (three lines per item with a thumbnail column) or a grid of cards with thumbnails; v cycles them."},
    {"thumbnails", WORD(thumbnails, w_thumbs), "symbols",
     "Pictures in the grid and the detail view as coloured Unicode blocks (symbols), as sixel or kitty pixels in the detail view (not inside tmux or screen unless thumbnails-force), or off."},
    {"thumbnails-force", BOOL(thumbnails_force), "no",
     "sixel or kitty pixels even inside tmux or screen."},
    {"thumb-cache-mb", INT(thumb_cache_mb, 1, 100000), "200",
     "The disk cache of fetched pictures in MiB, least recently used evicted first."},
    {"scan-media", BOOL(scan_media), "yes",
     "After a refresh stores new items, fetch their media (thumbnails whole, images and videos their first 4 MiB) behind the feeds and store what their Content Credentials and IPTC metadata say. With no (or refresh --no-scan) those items say \"not checked yet\" until winnow scan."},
    {"sensitive-media", WORD(sensitive_media, w_sensitive), "blur",
     "Pictures marked sensitive (Mastodon sensitive, Reddit nsfw, Bluesky porn, sexual, nudity, graphic-media labels): blur withholds them behind a placeholder saying why until x in the detail view, hide withholds them for good, show shows them. Content warnings fold the text until x."},
    {"hide", LIST, "",
     "hide = FILTER: hide the items a provenance filter matches (ai-generated, ai-edited, ai, synthetic, bot, sensitive, conflict, credentials-invalid, ...; winnow help trust lists them all). A name that is no filter stops winnow with the line's number."},
    {"only", LIST, "",
     "only = FILTER: show only the items a provenance filter matches (credentials-valid, credentials-trusted, capture, human-made, ...)."},
    {"trust-anchor", LIST, "",
     "trust-anchor = FILE.pem: another certificate that signed media may chain to, beside the C2PA trust list and winnow trust add."},
    {"video-output", WORD(video_output, w_vo), "tct",
     "Where the reader's and play's video goes: tct (the terminal), sixel, gpu (a window), auto (a window when a display is there), none (sound only)."},
    {"video-preset", WORD(video_preset, w_preset), "auto",
     "Terminal video: full, or ssh (256 colours, 10 fps, a smaller picture); auto picks ssh over SSH."},
    {"audio-only", BOOL(audio_only), "no",
     "Play the sound of videos only."},
    {"resume", WORD(resume, w_resume), "yes",
     "Start where an item was stopped: yes, no, or ask (the reader asks \"resume at 1:23? [y/n]\")."},
    {"mpv-config", BOOL(mpv_config), "yes",
     "Read mpv's own config directory (~/.config/mpv)."},
    {"mpv-option", LIST, "",
     "mpv-option = KEY=VALUE (up to 32 lines): passes any mpv option."},
    {"keep-items", INT(keep_items, 0, 10000000), "1000",
     "Each feed keeps its newest N items (plus those read in the last keep-read-days days, and every starred or listed item); older ones are deleted after a refresh and stay deleted while the feed still carries them. 0 keeps all. newsboat's max-items and newsraft's item-limit are off by default; a feed that rotates its guids would otherwise add tens of MB per refresh."},
    {"keep-read-days", INT(keep_read_days, 0, 36500), "30",
     "Items read within this many days are kept beyond keep-items."},
    {"max-new-items", INT(max_new_items, 0, 10000000), "1000",
     "New items stored per feed and refresh; the rest wait for later refreshes, and the refresh says so. 0: no cap."},
    {"keep-days", INT(keep_days, 0, 36500), "0",
     "After each refresh, delete items seen and published more than this many days ago; 0 keeps everything. Never a starred item, one in a list, or one of a feed whose last refresh failed."},
    {"auto-list", LIST, "",
     "auto-list NAME when CONDITION [and CONDITION]...: files each new item of a refresh into the list (made when missing) when every condition holds: source=, feed=, author=, tag=, title~/REGEX/, provenance=; values with spaces are quoted. auto-list = NAME when ... is the same. A rule that does not parse stops winnow with its line number."},
    {"ytdlp-path", STR(ytdlp_path), "yt-dlp",
     "The yt-dlp program for video pages no adapter reads (looked up on PATH)."},
    {"ytdlp-timeout", INT(ytdlp_timeout, 1, 3600), "30",
     "Seconds one yt-dlp run may take before it is stopped."},
    {"ytdlp-option", LIST, "",
     "ytdlp-option = ARG (up to 16 lines): one more argument for yt-dlp, one argv element per line (e.g. --cookies-from-browser, then firefox)."},
    {"bridge-x", LIST, "",
     "bridge-x = URL: the Nitter instance or RSSHub base (http or https) through which X profiles are read."},
    {NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL},
};

const struct config_key_info *config_key_table(void) { return table; }

static const char *keys[sizeof table / sizeof table[0]];

const char *const *config_keys(void)
{
    for (size_t i = 0; table[i].name; i++) keys[i] = table[i].name;
    return keys;
}

const char *config_key_values(const struct config_key_info *k, char *buf, size_t n)
{
    size_t at = 0;
    buf[0] = 0;
    switch (k->type) {
    case CONFIG_INT: snprintf(buf, n, "%d to %d", k->lo, k->hi); break;
    case CONFIG_BOOL: snprintf(buf, n, "yes, no"); break;
    case CONFIG_AUTOBOOL: snprintf(buf, n, "auto, yes, no"); break;
    case CONFIG_WORD:
        for (int i = 0; k->words[i] && at < n; i++)
            at += (size_t)snprintf(buf + at, n - at, "%s%s", i ? ", " : "", k->words[i]);
        break;
    case CONFIG_STR: snprintf(buf, n, "text"); break;
    case CONFIG_LIST: snprintf(buf, n, "repeatable line"); break;
    }
    return buf;
}

void config_defaults(struct config *c)
{
    memset(c, 0, sizeof *c);
    for (const struct config_key_info *k = table; k->name; k++) {
        char *f = (char *)c + k->off;
        switch (k->type) {
        case CONFIG_INT: *(int *)f = atoi(k->def); break;
        case CONFIG_BOOL: *(int *)f = !strcmp(k->def, "yes"); break;
        case CONFIG_AUTOBOOL: *(int *)f = !strcmp(k->def, "auto") ? -1 : !strcmp(k->def, "yes"); break;
        case CONFIG_WORD:
            for (int i = 0; k->words[i]; i++)
                if (!strcmp(k->words[i], k->def)) *(int *)f = i;
            break;
        case CONFIG_STR: snprintf(f, k->size, "%s", k->def); break;
        case CONFIG_LIST: break;
        }
    }
}

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

static int set_list(struct config *c, const char *k, char *v, const char *name, int line, struct error *err);

static int set_key(struct config *c, const char *k, char *v, const char *name, int line, struct error *err)
{
    const struct config_key_info *key = NULL;
    for (const struct config_key_info *t = table; t->name && !key; t++)
        if (!strcmp(t->name, k)) key = t;
    if (!key) {
        error_set(err, "%s:%d: unknown key \"%s\" (see `winnow help config`)", name, line, k);
        return -1;
    }
    char *f = (char *)c + key->off;
    int ok = 0;
    switch (key->type) {
    case CONFIG_INT: ok = parse_int(v, key->lo, key->hi, (int *)f); break;
    case CONFIG_BOOL: ok = parse_bool(v, (int *)f); break;
    case CONFIG_AUTOBOOL:
        if (!strcmp(v, "auto")) *(int *)f = -1;
        else ok = parse_bool(v, (int *)f);
        break;
    case CONFIG_WORD:
        ok = -1;
        for (int i = 0; key->words[i]; i++)
            if (!strcmp(v, key->words[i])) {
                *(int *)f = i;   /* an enum of config.h, in the words' order */
                ok = 0;
            }
        break;
    case CONFIG_STR:
        /* a theme is a name looked up in the themes folders, never a path */
        if (!*v || strlen(v) >= key->size || (!strcmp(k, "theme") && strchr(v, '/'))) ok = -1;
        else snprintf(f, key->size, "%s", v);
        break;
    case CONFIG_LIST: return set_list(c, k, v, name, line, err);
    }
    if (ok < 0) {
        char vals[160];
        error_set(err, "%s:%d: bad value \"%s\" for %s (%s%s)", name, line, v, k,
                  key->type == CONFIG_STR ? "" : "allowed: ",
                  key->type == CONFIG_STR ? "a name without '/', at most 63 bytes" : config_key_values(key, vals, sizeof vals));
        return -1;
    }
    return 0;
}

/* The repeatable keys, each kept as written for the module that knows its words. */
static int set_list(struct config *c, const char *k, char *v, const char *name, int line, struct error *err)
{
    int ok = 0;
    if (!strcmp(k, "hide") || !strcmp(k, "only")) {
        /* the names are the provenance module's: app_open checks them */
        if (c->n_prov_filters >= CONFIG_MAX_PROV) { error_set(err, "%s:%d: too many hide/only lines", name, line); return -1; }
        if (!*v || strlen(v) >= sizeof c->prov_filters[0].action) ok = -1;
        else {
            struct config_bind *b = &c->prov_filters[c->n_prov_filters++];
            snprintf(b->key, sizeof b->key, "%s", k);
            snprintf(b->action, sizeof b->action, "%s", v);
            b->line = line;
        }
    } else if (!strcmp(k, "ytdlp-option")) {
        if (c->n_ytdlp_options >= CONFIG_MAX_YTDLP_OPTIONS) {
            error_set(err, "%s:%d: at most %d ytdlp-option lines", name, line, CONFIG_MAX_YTDLP_OPTIONS);
            return -1;
        }
        if (!*v || strlen(v) >= sizeof c->ytdlp_options[0]) ok = -1;
        else snprintf(c->ytdlp_options[c->n_ytdlp_options++], sizeof c->ytdlp_options[0], "%s", v);
    } else if (!strcmp(k, "bridge-x")) {
        /* a base URL, http(s) only */
        if (strlen(v) >= sizeof c->bridge_x || (strncmp(v, "http://", 7) && strncmp(v, "https://", 8))) ok = -1;
        else snprintf(c->bridge_x, sizeof c->bridge_x, "%s", v);
    } else if (!strcmp(k, "trust-anchor")) {
        if (c->n_trust_anchors >= CONFIG_MAX_PROV) { error_set(err, "%s:%d: too many trust-anchor lines", name, line); return -1; }
        if (!*v || strlen(v) >= sizeof c->trust_anchors[0]) ok = -1;
        else snprintf(c->trust_anchors[c->n_trust_anchors++], sizeof c->trust_anchors[0], "%s", v);
    } else if (!strcmp(k, "mpv-option")) {
        if (c->n_mpv_options >= CONFIG_MAX_MPV_OPTIONS) {
            error_set(err, "%s:%d: at most %d mpv-option lines", name, line, CONFIG_MAX_MPV_OPTIONS);
            return -1;
        }
        const char *eq = strchr(v, '=');
        if (!eq || eq == v || strlen(v) >= sizeof c->mpv_options[0]) ok = -1;
        else snprintf(c->mpv_options[c->n_mpv_options++], sizeof c->mpv_options[0], "%s", v);
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
