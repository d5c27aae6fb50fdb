/* SPDX-License-Identifier: ISC */
/* theme — plain-text colour themes: the file parser, the lookup folders, and the mapping of a
 * theme's colours onto what the terminal can show (16, 256 or direct colour, or none at all).
 * A theme names colours the way people think of them (#rrggbb, 0..255, "cyan"); which escape
 * sequence carries them is decided here, once, from the terminal's abilities. */
#include <ctype.h>
#include <curses.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "ui.h"
#include "ui_int.h"

static const char *const elem_names[EL__COUNT] = {
    [EL_NORMAL] = "normal", [EL_TITLE] = "title", [EL_STATUS] = "status",
    [EL_MESSAGE] = "message", [EL_ERROR] = "error", [EL_CURSOR] = "cursor",
    [EL_CURSOR_LINE] = "cursor-line", [EL_UNREAD] = "unread", [EL_READ] = "read",
    [EL_DATE] = "date", [EL_SOURCE] = "source", [EL_FLAG] = "flag", [EL_BADGE] = "badge",
    [EL_BADGE_GOOD] = "badge-good", [EL_BADGE_WARN] = "badge-warn", [EL_BADGE_BAD] = "badge-bad",
    [EL_FEED_ERROR] = "feed-error", [EL_COUNT] = "count", [EL_TAG] = "tag",
    [EL_HEADING] = "heading", [EL_LABEL] = "label", [EL_LINK] = "link", [EL_MATCH] = "match",
    [EL_KEY] = "key", [EL_PROMPT] = "prompt", [EL_DIM] = "dim",
};

const char *ui_elem_name(int elem)
{
    return elem >= 0 && elem < EL__COUNT ? elem_names[elem] : "?";
}

int ui_elem_by_name(const char *name)
{
    for (int i = 0; i < EL__COUNT; i++)
        if (!strcmp(elem_names[i], name)) return i;
    return -1;
}

static const char *const color_names[16] = {
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
    "bright-black", "bright-red", "bright-green", "bright-yellow", "bright-blue",
    "bright-magenta", "bright-cyan", "bright-white",
};

int theme_parse_color(const char *s, struct theme_color *out)
{
    out->kind = TC_DEFAULT;
    out->value = 0;
    if (!strcasecmp(s, "default")) return 0;
    if (s[0] == '#') {
        if (strlen(s) != 7 || strspn(s + 1, "0123456789abcdefABCDEF") != 6) return -1;
        out->kind = TC_RGB;
        out->value = (int)strtol(s + 1, NULL, 16);
        return 0;
    }
    if (isdigit((unsigned char)s[0])) {
        if (strspn(s, "0123456789") != strlen(s) || strlen(s) > 3) return -1;
        int v = atoi(s);
        if (v > 255) return -1;
        out->kind = TC_INDEX;
        out->value = v;
        return 0;
    }
    for (int i = 0; i < 16; i++) {
        /* "bright-red", "brightred" and "grey"/"gray" for bright-black */
        const char *n = color_names[i];
        int match = !strcasecmp(s, n);
        if (!match && i >= 8 && !strncasecmp(s, "bright", 6) && !strcasecmp(s + 6, n + 7)) match = 1;
        if (match) {
            out->kind = TC_INDEX;
            out->value = i;
            return 0;
        }
    }
    if (!strcasecmp(s, "grey") || !strcasecmp(s, "gray")) {
        out->kind = TC_INDEX;
        out->value = 8;
        return 0;
    }
    return -1;
}

static const struct { const char *name; unsigned bit; } attr_names[] = {
    {"bold", TA_BOLD}, {"dim", TA_DIM}, {"underline", TA_UNDERLINE}, {"reverse", TA_REVERSE},
    {"italic", TA_ITALIC}, {"standout", TA_STANDOUT}, {"none", 0},
};

static void set(struct theme *t, int e, int fgk, int fg, int bgk, int bg, unsigned attrs)
{
    t->el[e].fg.kind = fgk;
    t->el[e].fg.value = fg;
    t->el[e].bg.kind = bgk;
    t->el[e].bg.value = bg;
    t->el[e].attrs = attrs;
}

/* The built-in default: the terminal's own colours for text, a few ANSI accents that every
 * palette maps to something readable, so it suits dark and light terminals alike. */
void theme_builtin(struct theme *t)
{
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "default");
    const int D = TC_DEFAULT, I = TC_INDEX;
    set(t, EL_NORMAL, D, 0, D, 0, 0);
    set(t, EL_TITLE, I, 7, I, 4, TA_BOLD);
    set(t, EL_STATUS, I, 0, I, 6, 0);
    set(t, EL_MESSAGE, D, 0, D, 0, 0);
    set(t, EL_ERROR, I, 1, D, 0, TA_BOLD);
    set(t, EL_CURSOR, I, 6, D, 0, TA_BOLD);
    set(t, EL_CURSOR_LINE, D, 0, D, 0, TA_REVERSE);
    set(t, EL_UNREAD, D, 0, D, 0, TA_BOLD);
    set(t, EL_READ, D, 0, D, 0, 0);
    set(t, EL_DATE, I, 6, D, 0, 0);
    set(t, EL_SOURCE, I, 3, D, 0, 0);
    set(t, EL_FLAG, I, 2, D, 0, TA_BOLD);
    set(t, EL_BADGE, D, 0, D, 0, TA_DIM);
    set(t, EL_BADGE_GOOD, I, 2, D, 0, TA_BOLD);
    set(t, EL_BADGE_WARN, I, 3, D, 0, TA_BOLD);
    set(t, EL_BADGE_BAD, I, 1, D, 0, TA_BOLD);
    set(t, EL_FEED_ERROR, I, 1, D, 0, TA_BOLD);
    set(t, EL_COUNT, I, 6, D, 0, 0);
    set(t, EL_TAG, I, 5, D, 0, 0);
    set(t, EL_HEADING, D, 0, D, 0, TA_BOLD);
    set(t, EL_LABEL, I, 6, D, 0, 0);
    set(t, EL_LINK, I, 4, D, 0, TA_UNDERLINE);
    set(t, EL_MATCH, I, 0, I, 3, 0);
    set(t, EL_KEY, I, 2, D, 0, TA_BOLD);
    set(t, EL_PROMPT, D, 0, D, 0, TA_BOLD);
    set(t, EL_DIM, D, 0, D, 0, TA_DIM);
}

static char *next_word(char **p)
{
    char *s = *p;
    while (*s == ' ' || *s == '\t') s++;
    if (!*s) { *p = s; return NULL; }
    char *w = s;
    while (*s && *s != ' ' && *s != '\t') s++;
    if (*s) *s++ = 0;
    *p = s;
    return w;
}

/* '#' starts a comment at the start of a line or after a space, unless it is a #rrggbb colour. */
static void strip_comment(char *s)
{
    for (char *c = s; (c = strchr(c, '#')); c++) {
        int at_start = 1;
        for (char *q = s; q < c; q++)
            if (*q != ' ' && *q != '\t') { at_start = 0; break; }
        if (!at_start) {
            if (c[-1] != ' ' && c[-1] != '\t') continue;
            if (strspn(c + 1, "0123456789abcdefABCDEF") == 6 && (c[7] == 0 || c[7] == ' ' || c[7] == '\t'))
                continue;
        }
        *c = 0;
        return;
    }
}

int theme_parse(struct theme *t, const char *text, const char *name, struct error *err)
{
    /* What a file leaves out keeps the built-in attributes but takes the file's own normal
     * colours, so a dark theme never shows a stray element on the terminal's background. */
    struct theme base;
    theme_builtin(&base);
    for (int e = 0; e < EL__COUNT; e++) {
        t->el[e] = base.el[e];
        t->el[e].fg.kind = t->el[e].bg.kind = TC_DEFAULT;
    }
    char *copy = xstrdup(text);
    int line = 0, rc = 0;
    for (char *p = copy; p && *p;) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = 0;
        line++;
        char *s = p;
        p = nl ? nl + 1 : NULL;
        strip_comment(s);
        while (*s == ' ' || *s == '\t') s++;
        if (!*s) continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            error_set(err, "%s:%d: expected \"element = FG BG [ATTR...]\"", name, line);
            rc = -1;
            break;
        }
        *eq = 0;
        char *k = s, *ke = eq;
        while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t')) *--ke = 0;
        int e = ui_elem_by_name(k);
        if (e < 0) {
            error_set(err, "%s:%d: unknown element \"%s\"", name, line, k);
            rc = -1;
            break;
        }
        char *rest = eq + 1;
        struct theme_style st = {{TC_DEFAULT, 0}, {TC_DEFAULT, 0}, 0};
        int nword = 0;
        char *w;
        while ((w = next_word(&rest))) {
            nword++;
            if (nword <= 2 && theme_parse_color(w, nword == 1 ? &st.fg : &st.bg) == 0) continue;
            size_t i;
            for (i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++)
                if (!strcasecmp(w, attr_names[i].name)) break;
            if (i == sizeof attr_names / sizeof attr_names[0]) {
                error_set(err, "%s:%d: bad %s \"%s\" (colours: names, 0-255, #rrggbb, default; "
                          "attributes: bold dim underline reverse italic standout none)",
                          name, line, nword <= 2 ? "colour" : "attribute", w);
                rc = -1;
                break;
            }
            if (nword <= 2) nword = 2;   /* attributes may follow a single colour */
            st.attrs |= attr_names[i].bit;
        }
        if (rc < 0) break;
        if (nword == 0) {
            error_set(err, "%s:%d: %s needs a colour", name, line, k);
            rc = -1;
            break;
        }
        t->el[e] = st;
    }
    free(copy);
    return rc;
}

/* ---- lookup ---- */

/* The bundled themes, built in (themes_builtin.c, generated from the themes folder). */
struct theme_text { const char *name, *text; };
extern const struct theme_text theme_texts[];

static const char *builtin_text(const char *name)
{
    for (const struct theme_text *t = theme_texts; t->name; t++)
        if (!strcmp(t->name, name)) return t->text;
    return NULL;
}

/* Theme files a user may put beside the built-in ones; a file overrides a built-in theme of the
 * same name. */
static int theme_dirs(const char *config_dir, char dirs[4][1024])
{
    int n = 0;
    if (config_dir && *config_dir) snprintf(dirs[n++], 1024, "%s/themes", config_dir);
    const char *env = getenv("WINNOW_THEMES_DIR");
    if (env && *env) snprintf(dirs[n++], 1024, "%s", env);
    return n;
}

static int valid_name(const char *name)
{
    return name && *name && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..") &&
           strlen(name) < 64;
}

int theme_load(struct theme *t, const char *name, const char *config_dir, struct error *err)
{
    if (!valid_name(name)) {
        error_set(err, "theme \"%s\": not a theme name", name ? name : "");
        return -1;
    }
    char dirs[4][1024];
    int nd = theme_dirs(config_dir, dirs);
    for (int i = 0; i < nd; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s.theme", dirs[i], name);
        struct stat sb;
        if (stat(path, &sb) != 0) continue;
        char *buf;
        size_t len;
        if (read_file(path, 1 << 16, &buf, &len, err) < 0) return -1;
        int rc = theme_parse(t, buf, path, err);
        free(buf);
        if (rc == 0) snprintf(t->name, sizeof t->name, "%s", name);
        return rc;
    }
    const char *text = builtin_text(name);
    if (text) {
        char where[96];
        snprintf(where, sizeof where, "built-in theme %s", name);
        int rc = theme_parse(t, text, where, err);
        if (rc == 0) snprintf(t->name, sizeof t->name, "%s", name);
        return rc;
    }
    if (!strcmp(name, "default")) {
        theme_builtin(t);
        return 0;
    }
    struct strbuf where, known;
    sb_init(&where);
    sb_init(&known);
    for (int i = 0; i < nd; i++) sb_printf(&where, "%s%s", i ? ", " : "", dirs[i]);
    for (const struct theme_text *b = theme_texts; b->name; b++) sb_printf(&known, "%s%s", known.len ? ", " : "", b->name);
    error_set(err, "theme \"%s\" not found (built in: %s; looked in %s too)", name, known.s ? known.s : "",
              where.s ? where.s : "no theme folders");
    sb_free(&where);
    sb_free(&known);
    return -1;
}

static int cmp_name(const void *a, const void *b) { return strcmp(a, b); }

size_t theme_list(const char *config_dir, char (*names)[64], size_t max)
{
    size_t n = 0;
    if (max == 0) return 0;
    snprintf(names[n++], 64, "default");
    for (const struct theme_text *b = theme_texts; b->name && n < max; b++)
        if (strcmp(b->name, "default")) snprintf(names[n++], 64, "%s", b->name);
    char dirs[4][1024];
    int nd = theme_dirs(config_dir, dirs);
    for (int i = 0; i < nd; i++) {
        DIR *d = opendir(dirs[i]);
        if (!d) continue;
        struct dirent *de;
        while ((de = readdir(d)) && n < max) {
            size_t l = strlen(de->d_name);
            if (l <= 6 || l - 6 >= 64 || strcmp(de->d_name + l - 6, ".theme")) continue;
            char nm[64];
            snprintf(nm, sizeof nm, "%.*s", (int)(l - 6), de->d_name);
            int dup = 0;
            for (size_t k = 0; k < n; k++) dup |= !strcmp(names[k], nm);
            if (!dup && valid_name(nm)) snprintf(names[n++], 64, "%s", nm);
        }
        closedir(d);
    }
    qsort(names, n, 64, cmp_name);
    return n;
}

/* ---- colour mapping ---- */

static const int ansi_rgb[16] = {
    0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
    0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
};
static const int cube[6] = {0, 95, 135, 175, 215, 255};

int theme_palette_rgb(int i)
{
    if (i < 0) return 0;
    if (i < 16) return ansi_rgb[i];
    if (i < 232) {
        i -= 16;
        return cube[i / 36] << 16 | cube[(i / 6) % 6] << 8 | cube[i % 6];
    }
    if (i < 256) {
        int g = 8 + 10 * (i - 232);
        return g << 16 | g << 8 | g;
    }
    return 0;
}

static long dist2(int a, int b)
{
    long dr = ((a >> 16) & 255) - ((b >> 16) & 255);
    long dg = ((a >> 8) & 255) - ((b >> 8) & 255);
    long db = (a & 255) - (b & 255);
    /* weighted a little towards green, as the eye is */
    return 3 * dr * dr + 4 * dg * dg + 2 * db * db;
}

int theme_nearest_256(int rgb)
{
    int best = 16;
    long bd = -1;
    for (int i = 16; i < 256; i++) {
        long d = dist2(rgb, theme_palette_rgb(i));
        if (bd < 0 || d < bd) { bd = d; best = i; }
    }
    return best;
}

int theme_nearest_ansi(int rgb, int n)
{
    int best = 0;
    long bd = -1;
    for (int i = 0; i < n && i < 16; i++) {
        long d = dist2(rgb, ansi_rgb[i]);
        if (bd < 0 || d < bd) { bd = d; best = i; }
    }
    return best;
}

int theme_map_color(struct theme_color c, enum color_mode m)
{
    if (c.kind == TC_DEFAULT || m == CM_MONO) return -1;
    switch (m) {
    case CM_8:
        if (c.kind == TC_INDEX && c.value < 16) return c.value & 7;
        return theme_nearest_ansi(c.kind == TC_RGB ? c.value : theme_palette_rgb(c.value), 8);
    case CM_16:
        if (c.kind == TC_INDEX && c.value < 16) return c.value;
        return theme_nearest_ansi(c.kind == TC_RGB ? c.value : theme_palette_rgb(c.value), 16);
    case CM_256:
        if (c.kind == TC_INDEX) return c.value;
        return theme_nearest_256(c.value);
    case CM_DIRECT: {
        if (c.kind == TC_INDEX && c.value < 8) return c.value;
        int rgb = c.kind == TC_RGB ? c.value : theme_palette_rgb(c.value);
        return rgb < 8 ? 8 : rgb;
    }
    default:
        return -1;
    }
}

/* The colour an element is drawn with: TC_DEFAULT inherits the normal element's. */
static struct theme_color resolve(const struct theme *t, int e, int bg)
{
    struct theme_color c = bg ? t->el[e].bg : t->el[e].fg;
    if (c.kind == TC_DEFAULT && e != EL_NORMAL) c = bg ? t->el[EL_NORMAL].bg : t->el[EL_NORMAL].fg;
    return c;
}

static void sgr_color(char *buf, size_t n, size_t *used, int v, int bg, enum color_mode m)
{
    int w;
    if (v < 0) w = snprintf(buf + *used, n - *used, ";%d", bg ? 49 : 39);
    else if (m == CM_DIRECT && v >= 8)
        w = snprintf(buf + *used, n - *used, ";%d;2;%d;%d;%d", bg ? 48 : 38, (v >> 16) & 255, (v >> 8) & 255, v & 255);
    else if (v < 8) w = snprintf(buf + *used, n - *used, ";%d", (bg ? 40 : 30) + v);
    else if (v < 16 && m == CM_16) w = snprintf(buf + *used, n - *used, ";%d", (bg ? 100 : 90) + v - 8);
    else w = snprintf(buf + *used, n - *used, ";%d;5;%d", bg ? 48 : 38, v);
    if (w > 0 && (size_t)w < n - *used) *used += (size_t)w;
}

void theme_sgr(const struct theme *t, int elem, enum color_mode m, char *buf, size_t n)
{
    size_t used = 0;
    int w = snprintf(buf, n, "\033[0");
    if (w < 0 || (size_t)w >= n) { if (n) buf[0] = 0; return; }
    used = (size_t)w;
    unsigned a = t->el[elem].attrs;
    static const struct { unsigned bit; int code; } codes[] = {
        {TA_BOLD, 1}, {TA_DIM, 2}, {TA_ITALIC, 3}, {TA_UNDERLINE, 4}, {TA_REVERSE, 7}, {TA_STANDOUT, 7},
    };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if ((a & codes[i].bit) && used + 4 < n) used += (size_t)snprintf(buf + used, n - used, ";%d", codes[i].code);
    if (m != CM_MONO) {
        sgr_color(buf, n, &used, theme_map_color(resolve(t, elem, 0), m), 0, m);
        sgr_color(buf, n, &used, theme_map_color(resolve(t, elem, 1), m), 1, m);
    }
    if (used + 2 < n) {
        buf[used++] = 'm';
        buf[used] = 0;
    }
}

/* ---- ncurses side ---- */

static attr_t el_attr[EL__COUNT];
static int el_pair[EL__COUNT];

static attr_t curses_attrs(unsigned a)
{
    attr_t r = 0;
    if (a & TA_BOLD) r |= A_BOLD;
    if (a & TA_DIM) r |= A_DIM;
    if (a & TA_UNDERLINE) r |= A_UNDERLINE;
    if (a & TA_REVERSE) r |= A_REVERSE;
    if (a & TA_STANDOUT) r |= A_STANDOUT;
#ifdef A_ITALIC
    if (a & TA_ITALIC) r |= A_ITALIC;
#endif
    return r;
}

void theme_apply(const struct theme *t, enum color_mode m)
{
    for (int e = 0; e < EL__COUNT; e++) {
        el_attr[e] = curses_attrs(t->el[e].attrs);
        el_pair[e] = 0;
        if (m == CM_MONO) {
            /* without colour, the bars and the cursor still need to stand out */
            if ((e == EL_TITLE || e == EL_STATUS || e == EL_CURSOR_LINE || e == EL_MATCH) &&
                !(el_attr[e] & (A_REVERSE | A_STANDOUT)))
                el_attr[e] |= A_REVERSE;
            if (e == EL_CURSOR) el_attr[e] |= A_BOLD;
            continue;
        }
        int fg = theme_map_color(resolve(t, e, 0), m);
        int bg = theme_map_color(resolve(t, e, 1), m);
        /* 8 colours have no bright half: bold stands in for it */
        struct theme_color fc = resolve(t, e, 0);
        if (m == CM_8 && fc.kind == TC_INDEX && fc.value >= 8 && fc.value < 16) el_attr[e] |= A_BOLD;
        el_pair[e] = e + 1;
        init_extended_pair(e + 1, fg, bg);
    }
}

attr_t theme_attr(int elem) { return elem >= 0 && elem < EL__COUNT ? el_attr[elem] : 0; }
int theme_pair(int elem) { return elem >= 0 && elem < EL__COUNT ? el_pair[elem] : 0; }
