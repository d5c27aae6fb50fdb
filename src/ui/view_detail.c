/* SPDX-License-Identifier: ISC */
/* view_detail — the scrolling text views: an item's detail (title, author, feed, date, numbered
 * links, media facts, the summary as wrapped plain text, provenance), the help generated from the
 * live keymap, and the errors of the last refresh.  All three are lines built for the current
 * width, rebuilt when the width changes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "text.h"
#include "html.h"
#include "ui_int.h"

enum { P_DETAIL, P_HELP, P_ERRORS };

#define LABEL_W 9
#define MAX_LINKS 200   /* the header's links and every link and picture of the text */
#define MAX_SPANS 32

struct pline {
    const char *label;      /* NULL: the text starts at the margin */
    const char *text;
    int label_elem, elem;
    int link;               /* 1..: the line shows link number `link` */
    int picture;            /* the first of the lines the item's picture covers */
};

struct pager {
    struct view base;
    int kind;
    struct arena a;
    struct pline *lines;
    size_t n, cap;
    int built_w, label_w;
    int64_t scroll;
    int h;
    /* detail */
    struct view *list;
    struct item_sink item;
    const char *links[MAX_LINKS + 1];
    int nlinks;
    /* OSC 8: the link text on screen, rewritten inside a hyperlink after the frame */
    struct { int y, x; char *text; const char *url; } spans[MAX_SPANS];
    int nspans;
    int osc8_dirty;
    int pic_cols, pic_rows;     /* the picture's box, 0 when the item has none */
    unsigned prov_gen;          /* the badge facts the lines were built with */
    int gfx_y, gfx_x;           /* sixel/kitty: where this frame wants the picture, -1 nowhere */
    int revealed;               /* x: the sensitive picture and the content-warned text are shown */
    int put_y;                  /* where it was last written, -1 not on screen */
};

static const struct view_ops pager_ops;
static void picture_moved(struct ui *u, struct pager *p);

static void add(struct pager *p, const char *label, int label_elem, const char *text, int elem, int link)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->lines = xrealloc(p->lines, p->cap * sizeof *p->lines);
    }
    p->lines[p->n++] = (struct pline){label ? arena_strdup(&p->a, label) : NULL, arena_strdup(&p->a, text ? text : ""),
                                      label_elem, elem, link, 0};
}

/* Wraps text into lines of at most width columns; the first line carries the label. */
static void add_wrapped(struct pager *p, const char *label, const char *text, int elem, int width)
{
    struct strbuf w;
    sb_init(&w);
    text_wrap(&w, text ? text : "", width);
    int first = 1;
    for (char *s = w.s; s && *s;) {
        char *nl = strchr(s, '\n');
        if (nl) *nl = 0;
        add(p, first ? label : (label ? "" : NULL), EL_LABEL, s, elem, 0);
        first = 0;
        s = nl ? nl + 1 : NULL;
    }
    if (first) add(p, label, EL_LABEL, "", elem, 0);
    sb_free(&w);
}

static void reset_lines(struct pager *p)
{
    arena_free(&p->a);
    arena_init(&p->a);
    p->n = 0;
    p->nlinks = 0;
    p->osc8_dirty = 1;
}

static int add_link(struct pager *p, const char *label, const char *url)
{
    if (!url || !*url || p->nlinks >= MAX_LINKS) return 0;
    p->links[++p->nlinks] = url;
    char t[64];
    snprintf(t, sizeof t, "[%d] ", p->nlinks);
    struct strbuf b;
    sb_init(&b);
    sb_adds(&b, t);
    sb_adds(&b, url);
    add(p, label, EL_LABEL, b.s, EL_LINK, p->nlinks);
    sb_free(&b);
    return p->nlinks;
}

/* The text's own links (html_to_text_linked): the "[N] URL" lines after the HTML_LINKS_HEADING
 * line at its end, numbered 1.. in order.  Returns where that block starts (the text proper ends
 * there), or NULL when the text has none; urls receives them (in the arena), *n their count. */
static const char *text_links(struct pager *p, const char *text, const char **urls, int max, int *n)
{
    *n = 0;
    const char *h = NULL;
    for (const char *s = strstr(text, "\n" HTML_LINKS_HEADING "\n"); s; s = strstr(s + 1, "\n" HTML_LINKS_HEADING "\n"))
        h = s;
    if (!h) return NULL;
    const char *l = h + strlen("\n" HTML_LINKS_HEADING "\n");
    int k = 0;
    while (*l) {
        char want[24];
        int wl = snprintf(want, sizeof want, "[%d] ", k + 1);
        if (strncmp(l, want, (size_t)wl)) return NULL;   /* not the list this program wrote */
        const char *u = l + wl, *e = strchr(u, '\n');
        size_t ul = e ? (size_t)(e - u) : strlen(u);
        /* the list html_to_text_linked writes holds only these; a text that merely looks like it
         * (an article ending in "Links:" and file:// lines) is shown as text, never opened */
        if (strncasecmp(u, "http://", 7) && strncasecmp(u, "https://", 8) && strncasecmp(u, "mailto:", 7)) return NULL;
        if (k < max) urls[k] = arena_strndup(&p->a, u, ul);
        k++;
        l = e ? e + 1 : u + ul;
    }
    *n = k < max ? k : max;
    while (h > text && h[-1] == '\n') h--;
    return h;
}

/* The text with its link numbers moved past the header's links: "[k]" and "[image k" become
 * k + base, in order (a bracket the article itself wrote is left alone unless it is the very
 * number expected next). */
static char *renumber(struct pager *p, const char *text, size_t len, int base, int n)
{
    struct strbuf b;
    sb_init(&b);
    int next = 1;
    size_t i = 0;
    while (i < len) {
        if (text[i] == '[' && next <= n) {
            char m1[24], m2[32];
            int l1 = snprintf(m1, sizeof m1, "[%d]", next), l2 = snprintf(m2, sizeof m2, "[image %d", next);
            if (i + (size_t)l1 <= len && !strncmp(text + i, m1, (size_t)l1)) {
                sb_printf(&b, "[%d]", next + base);
                i += (size_t)l1;
                next++;
                continue;
            }
            if (i + (size_t)l2 <= len && !strncmp(text + i, m2, (size_t)l2) &&
                (i + (size_t)l2 == len || text[i + l2] == ']' || text[i + l2] == ':')) {
                sb_printf(&b, "[image %d", next + base);
                i += (size_t)l2;
                next++;
                continue;
            }
        }
        sb_addc(&b, text[i++]);
    }
    char *r = arena_strndup(&p->a, b.s ? b.s : "", b.len);
    sb_free(&b);
    return r;
}

static void fmt_duration(int64_t s, char *buf, size_t n)
{
    if (s >= 3600) snprintf(buf, n, "%lld:%02lld:%02lld", (long long)(s / 3600), (long long)(s / 60 % 60), (long long)(s % 60));
    else snprintf(buf, n, "%lld:%02lld", (long long)(s / 60), (long long)(s % 60));
}

/* The enclosures beside the one that plays: each a numbered link, so each can be opened. */
/* The stored labels ("value@source", comma-separated) in words: "graphic-media (self-label)",
 * "!warn (by did:plc:…): the labeller asks that it be shown behind a warning". */
static void label_words(const char *labels, struct strbuf *out)
{
    for (const char *s = labels; *s;) {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        while (n && *s == ' ') { s++; n--; }
        if (n) {
            const char *at = memchr(s, '@', n);
            size_t vl = at ? (size_t)(at - s) : n;
            char value[64];
            snprintf(value, sizeof value, "%.*s", (int)(vl < 63 ? vl : 63), s);
            if (out->len) sb_adds(out, ", ");
            sb_adds(out, value);
            if (at) {
                int sl = (int)(n - vl - 1);
                if (sl == 4 && !strncmp(at + 1, "self", 4)) sb_adds(out, " (self-label)");
                else sb_printf(out, " (by %.*s)", sl, at + 1);
            }
            const char *means = app_label_meaning(value);
            if (means) sb_printf(out, ": %s", means);
        }
        if (!e) break;
        s = e + 1;
    }
}

static void add_enclosures(struct pager *p, const struct item *it, int vw)
{
    cJSON *arr = it->enclosures ? cJSON_Parse(it->enclosures) : NULL;
    const cJSON *e;
    cJSON_ArrayForEach(e, arr) {
        const cJSON *u = cJSON_GetObjectItemCaseSensitive(e, "url");
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(e, "type");
        const cJSON *l = cJSON_GetObjectItemCaseSensitive(e, "length");
        if (!cJSON_IsString(u) || (it->media_url && !strcmp(u->valuestring, it->media_url))) continue;
        struct strbuf b;
        sb_init(&b);
        sb_adds(&b, cJSON_IsString(t) ? t->valuestring : "file");
        if (cJSON_IsNumber(l) && l->valuedouble > 0)
            sb_printf(&b, " %s %.1f MB", ui_draw_glyphs()->sep, l->valuedouble / 1e6);
        add_wrapped(p, "File", b.s, EL_NORMAL, vw);
        sb_free(&b);
        add_link(p, "", arena_strdup(&p->a, u->valuestring));
    }
    cJSON_Delete(arr);
}

static void build_detail(struct ui *u, struct pager *p, int w)
{
    const struct item *it = p->item.n ? &p->item.items[0] : NULL;
    if (!it) {
        add(p, NULL, 0, "This item is gone (its feed was removed).", EL_ERROR, 0);
        return;
    }
    int tw = w - 2, vw = w - 2 - p->label_w;
    const char *sep = ui_draw_glyphs()->sep;
    p->pic_cols = p->pic_rows = 0;
    /* media marked sensitive stay behind a placeholder saying why, as the platforms' own clients
     * do, until x reveals them (sensitive-media = hide: never fetched nor shown) */
    char why[160];
    enum config_sensitive smode = u->app->cfg.sensitive_media;
    int pictures = u->app->cfg.thumbnails != CONFIG_THUMBS_OFF;
    int sensitive = smode != CONFIG_SENSITIVE_SHOW && app_item_sensitive(u->app, it, why, sizeof why);
    int withheld = sensitive && (!p->revealed || smode == CONFIG_SENSITIVE_HIDE);
    if (withheld && it->thumb_url && *it->thumb_url && pictures) {
        char line[240];
        snprintf(line, sizeof line, "[picture withheld %s sensitive: %s%s]", ui_draw_glyphs()->sep, why,
                 smode != CONFIG_SENSITIVE_HIDE ? "; x shows it" : "");
        add_wrapped(p, NULL, line, EL_DIM, tw);
        add(p, NULL, 0, "", EL_NORMAL, 0);
    } else if (it->thumb_url && *it->thumb_url && pictures) {
        /* blank lines the picture is drawn over */
        ui_detail_thumb_box(w, p->h > 0 ? p->h : ui_body_height(u), &p->pic_cols, &p->pic_rows);
        for (int r = 0; r < p->pic_rows; r++) add(p, NULL, 0, "", EL_NORMAL, 0);
        p->lines[p->n - (size_t)p->pic_rows].picture = 1;
        add(p, NULL, 0, "", EL_NORMAL, 0);
    }
    p->prov_gen = ui_prov_generation(u);
    add_wrapped(p, NULL, it->title && *it->title ? it->title : "(untitled)", EL_HEADING, tw);
    add(p, NULL, 0, "", EL_NORMAL, 0);
    struct strbuf b;
    sb_init(&b);
    if ((it->author && *it->author) || (it->author_handle && *it->author_handle)) {
        if (it->author && *it->author) sb_adds(&b, it->author);
        if (it->author_handle && *it->author_handle) {
            if (b.len) sb_adds(&b, " ");
            sb_printf(&b, "%s%s", it->author_handle[0] == '@' ? "" : "@", it->author_handle);
        }
        if (it->author_bot) sb_adds(&b, " (automated account)");
        add_wrapped(p, "Author", b.s, EL_NORMAL, vw);
        sb_reset(&b);
    }
    add_link(p, "Profile", it->author_url);
    if (it->feed_title && *it->feed_title) add_wrapped(p, "Feed", it->feed_title, EL_NORMAL, vw);
    int has_pf = it->platform && *it->platform, has_host = it->host && *it->host;
    if (has_pf || has_host) {
        if (has_pf && has_host) sb_printf(&b, "%s %s %s", it->platform, sep, it->host);
        else sb_adds(&b, has_pf ? it->platform : it->host);
        add_wrapped(p, "Source", b.s, EL_NORMAL, vw);
        sb_reset(&b);
    }
    char d[32], d2[32];
    ui_fmt_datetime(it->published, d, sizeof d);
    if (*d) {
        sb_adds(&b, d);
        ui_fmt_datetime(it->updated, d2, sizeof d2);
        if (*d2 && strcmp(d, d2)) sb_printf(&b, " (updated %s)", d2);
        /* a date past the fetch time sorts as fetched (schema.c, 8); what the feed said shows here */
        char d3[48];
        ui_fmt_datetime(it->published_orig, d3, sizeof d3);
        if (*d3) sb_printf(&b, " (the feed says %s, in the future)", d3);
        add(p, "Date", EL_LABEL, b.s, EL_NORMAL, 0);
        sb_reset(&b);
    }
    add_link(p, "Link", it->url);
    if (it->media_url || it->media_type) {
        sb_adds(&b, it->media_type && *it->media_type ? it->media_type : "media");
        if (it->media_duration >= 0) {
            fmt_duration(it->media_duration, d, sizeof d);
            sb_printf(&b, " %s %s", sep, d);
        }
        if (it->media_size >= 0) {
            double mb = (double)it->media_size / 1e6;
            if (mb >= 1) sb_printf(&b, " %s %.1f MB", sep, mb);
            else sb_printf(&b, " %s %lld KB", sep, (long long)(it->media_size + 999) / 1000);
        }
        if (it->media_w > 0 && it->media_h > 0)
            sb_printf(&b, " %s %d%s%d", sep, it->media_w, ui_draw_glyphs()->times, it->media_h);
        add_wrapped(p, "Media", b.s, EL_NORMAL, vw);
        sb_reset(&b);
        add_link(p, "", it->media_url);
    }
    add_link(p, "Image", it->thumb_url);
    add_enclosures(p, it, vw);
    if (it->categories && *it->categories) {
        for (const char *c = it->categories; *c; c++) {
            if (*c == '\n') sb_adds(&b, ", ");
            else sb_addc(&b, *c);
        }
        add_wrapped(p, "Category", b.s, EL_NORMAL, vw);
        sb_reset(&b);
    }
    if (it->labels && *it->labels) {
        label_words(it->labels, &b);
        add_wrapped(p, "Labels", b.s, EL_NORMAL, vw);
        sb_reset(&b);
    }
    sb_printf(&b, "%s%s", it->read ? "read" : "unread", it->starred ? ", starred" : "");
    add(p, "State", EL_LABEL, b.s, EL_DIM, 0);
    sb_reset(&b);
    add(p, NULL, 0, "", EL_NORMAL, 0);
    char cw[200];
    const char *text_urls[MAX_LINKS];
    int text_nlinks = 0;
    if (it->summary && *it->summary && !p->revealed && app_item_content_warning(u->app, it, cw, sizeof cw)) {
        char line[300];
        snprintf(line, sizeof line, "[content warning: %s %s x shows the text]", cw, ui_draw_glyphs()->sep);
        add_wrapped(p, NULL, line, EL_DIM, tw);
        add(p, NULL, 0, "", EL_NORMAL, 0);
    } else if (it->summary && *it->summary) {
        /* the text's links are numbered after the header's (Link, Image, ...): No opens one, Ny
         * copies it, and the list comes at the end, as newsraft shows it */
        const char *urls[MAX_LINKS];
        int nt = 0;
        const char *cut = text_links(p, it->summary, urls, MAX_LINKS - p->nlinks, &nt);
        if (cut) {
            add_wrapped(p, NULL, renumber(p, it->summary, (size_t)(cut - it->summary), p->nlinks, nt), EL_NORMAL, tw);
        } else {
            add_wrapped(p, NULL, it->summary, EL_NORMAL, tw);
        }
        add(p, NULL, 0, "", EL_NORMAL, 0);
        text_nlinks = nt;
        for (int k = 0; k < nt; k++) text_urls[k] = urls[k];
    }
    add(p, NULL, 0, "Provenance", EL_HEADING, 0);
    ui_provenance_lines(u, it, &b);
    add_wrapped(p, NULL, b.s ? b.s : "", EL_DIM, tw);
    sb_free(&b);
    if (text_nlinks) {
        add(p, NULL, 0, "", EL_NORMAL, 0);
        add(p, NULL, 0, "Links", EL_HEADING, 0);
        for (int k = 0; k < text_nlinks; k++) add_link(p, NULL, text_urls[k]);
    }
}

static void build_help(struct ui *u, struct pager *p, int w)
{
    struct strbuf b;
    sb_init(&b);
    keymap_help(&u->km, &b);
    /* the key column as wide as its widest entry, within reason */
    p->label_w = 12;
    for (char *s = b.s; s && *s;) {
        char *tab = strchr(s, '\t'), *nl = strchr(s, '\n');
        if (tab && (!nl || tab < nl)) {
            *tab = 0;
            int kw = text_width(s) + 2;
            *tab = '\t';
            if (kw > p->label_w) p->label_w = kw > 32 ? 32 : kw;
        }
        s = nl ? nl + 1 : NULL;
    }
    for (char *s = b.s; s && *s;) {
        char *nl = strchr(s, '\n');
        if (nl) *nl = 0;
        char *tab = strchr(s, '\t');
        if (s[0] == '#') {
            add(p, NULL, 0, s + 1, EL_HEADING, 0);
        } else if (tab) {
            *tab = 0;
            add(p, s, EL_KEY, tab + 1, EL_NORMAL, 0);
        } else {
            add_wrapped(p, NULL, s, EL_NORMAL, w - 2);
        }
        s = nl ? nl + 1 : NULL;
    }
    sb_free(&b);
}

static void build_errors(struct ui *u, struct pager *p, int w)
{
    char line[200];
    if (u->had_refresh) {
        snprintf(line, sizeof line, "The last refresh: %zu of %zu feeds failed", u->n_failures, u->rf_total);
        add(p, NULL, 0, line, EL_HEADING, 0);
        add(p, NULL, 0, "", EL_NORMAL, 0);
        for (size_t i = 0; i < u->n_failures; i++) {
            const struct failure *f = &u->failures[i];
            add_wrapped(p, NULL, f->title, EL_FEED_ERROR, w - 2);
            add_wrapped(p, "URL", f->url, EL_DIM, w - 2 - p->label_w);
            add_wrapped(p, "Error", f->message, EL_ERROR, w - 2 - p->label_w);
            add(p, NULL, 0, "", EL_NORMAL, 0);
        }
        if (!u->n_failures) add(p, NULL, 0, "No failures.", EL_NORMAL, 0);
        return;
    }
    /* no refresh in this session yet: what the store kept from the last one of each feed */
    struct feed_row *rows;
    size_t n, shown = 0;
    struct error err;
    error_clear(&err);
    if (store_feeds(u->app->store, &rows, &n, &err) < 0) {
        add(p, NULL, 0, err.msg, EL_ERROR, 0);
        return;
    }
    add(p, NULL, 0, "Errors kept from each feed's last refresh (R refreshes all)", EL_HEADING, 0);
    add(p, NULL, 0, "", EL_NORMAL, 0);
    for (size_t i = 0; i < n; i++) {
        if (!rows[i].last_error || !*rows[i].last_error) continue;
        add_wrapped(p, NULL, rows[i].title && *rows[i].title ? rows[i].title : rows[i].url, EL_FEED_ERROR, w - 2);
        add_wrapped(p, "URL", rows[i].url, EL_DIM, w - 2 - p->label_w);
        add_wrapped(p, "Error", rows[i].last_error, EL_ERROR, w - 2 - p->label_w);
        add(p, NULL, 0, "", EL_NORMAL, 0);
        shown++;
    }
    if (!shown) add(p, NULL, 0, "No feed has an error.", EL_NORMAL, 0);
    store_feed_rows_free(rows, n);
}

static void rebuild(struct ui *u, struct pager *p, int w)
{
    reset_lines(p);
    p->built_w = w;
    p->label_w = LABEL_W;
    if (p->kind == P_DETAIL) build_detail(u, p, w);
    else if (p->kind == P_HELP) build_help(u, p, w);
    else build_errors(u, p, w);
}

static struct pager *pager_new(struct ui *u, int kind)
{
    struct pager *p = xcalloc(1, sizeof *p);
    p->base.ops = &pager_ops;
    p->kind = kind;
    arena_init(&p->a);
    item_sink_init(&p->item);
    p->h = ui_body_height(u);
    p->gfx_y = p->put_y = -1;
    return p;
}

static void load_item(struct ui *u, struct pager *p, int64_t id)
{
    item_sink_free(&p->item);
    p->revealed = 0;   /* each item starts withheld again */
    item_sink_init(&p->item);
    struct error err;
    error_clear(&err);
    if (store_item_get(u->app->store, id, &p->item, &err) < 0) ui_message(u, EL_ERROR, "%s", err.msg);
    p->scroll = 0;
    p->built_w = 0;
}

struct view *ui_detail_view_new(struct ui *u, struct view *list, int64_t item_id)
{
    struct pager *p = pager_new(u, P_DETAIL);
    p->list = list;
    load_item(u, p, item_id);
    if (p->item.n) {
        p->item.items[0].read = 1;   /* opening it reads it (the list marks the store) */
        ui_media_scan_head(u, &p->item.items[0]);
    }
    return &p->base;
}

struct view *ui_help_view_new(struct ui *u) { return &pager_new(u, P_HELP)->base; }

static int pager_is(const struct view *v, int kind)
{
    return v && v->ops == &pager_ops && ((const struct pager *)v)->kind == kind;
}

int ui_view_is_help(const struct view *v) { return pager_is(v, P_HELP); }

const struct item *ui_detail_view_item(const struct view *v)
{
    if (!pager_is(v, P_DETAIL)) return NULL;
    const struct pager *p = (const struct pager *)v;
    return p->item.n ? &p->item.items[0] : NULL;
}
int ui_view_is_errors(const struct view *v) { return pager_is(v, P_ERRORS); }
struct view *ui_errors_view_new(struct ui *u) { return &pager_new(u, P_ERRORS)->base; }

static void pager_free(struct view *vv)
{
    struct pager *p = (struct pager *)vv;
    arena_free(&p->a);
    free(p->lines);
    item_sink_free(&p->item);
    for (int i = 0; i < p->nspans; i++) free(p->spans[i].text);
    free(p);
}

static int64_t max_scroll(const struct pager *p)
{
    return (int64_t)p->n > p->h ? (int64_t)p->n - p->h : 0;
}

static int osc8_safe(const char *url, const char *shown)
{
    if (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8)) return 0;
    for (const unsigned char *s = (const unsigned char *)shown; *s; s++)
        if (*s < 0x20 || *s > 0x7E) return 0;
    return 1;
}

static void pager_draw(struct ui *u, struct view *vv, int y0, int h, int w)
{
    struct pager *p = (struct pager *)vv;
    /* a media scan that finished since changes the provenance lines */
    if (p->kind == P_DETAIL && p->prov_gen != ui_prov_generation(u)) p->built_w = 0;
    if (p->h != h) {
        p->osc8_dirty = 1;
        if (p->kind == P_DETAIL) p->built_w = 0;   /* the picture's box follows the height */
    }
    p->h = h;
    if (p->built_w != w) rebuild(u, p, w);
    if (p->scroll > max_scroll(p)) p->scroll = max_scroll(p);
    if (p->scroll < 0) p->scroll = 0;
    for (int i = 0; i < p->nspans; i++) free(p->spans[i].text);
    p->nspans = 0;
    p->gfx_y = -1;
    for (int r = 0; r < h && p->scroll + r < (int64_t)p->n; r++) {
        const struct pline *l = &p->lines[p->scroll + r];
        int x = 1;
        if (l->picture && r + p->pic_rows <= h) {
            const struct item *it = &p->item.items[0];
            int px = (w - p->pic_cols) / 2;
            if (ui_thumb_graphics(u, it->thumb_url, p->pic_cols, p->pic_rows)) {
                p->gfx_y = y0 + r;
                p->gfx_x = px;
            } else {
                ui_thumb_draw(u, it->thumb_url, y0 + r, px, p->pic_cols, p->pic_rows, 3);
            }
        }
        if (l->label) {
            ui_draw_text(y0 + r, x, p->label_w, l->label, l->label_elem);
            x += p->label_w;
        }
        int used = ui_draw_text_hl(y0 + r, x, w - x - 1, l->text, l->elem, ui_search_term(u), EL_MATCH);
        if (l->link && p->nspans < MAX_SPANS && p->kind == P_DETAIL) {
            /* the URL part of "[n] URL", exactly as drawn, for the OSC 8 rewrite */
            const char *url = p->links[l->link];
            const char *shown = strstr(l->text, url);
            if (shown && osc8_safe(url, shown)) {
                int pre = text_width(l->text) - text_width(shown);
                size_t bytes = text_fit(shown, used - pre, NULL);
                p->spans[p->nspans].y = y0 + r;
                p->spans[p->nspans].x = x + pre;
                char *t = xmalloc(bytes + 1);
                memcpy(t, shown, bytes);
                t[bytes] = 0;
                p->spans[p->nspans].text = t;
                p->spans[p->nspans].url = url;
                p->nspans++;
            }
        }
    }
}

/* Rewrites the visible links inside OSC 8 hyperlinks: same text, same place, same colours, so
 * ncurses' picture of the screen stays true.  Only after the picture changed. */
static void pager_after_draw(struct ui *u, struct view *vv)
{
    struct pager *p = (struct pager *)vv;
    if (p->gfx_y >= 0 && (u->repainted || p->put_y < 0)) {
        ui_thumb_graphics_put(u, p, p->gfx_y, p->gfx_x);
        p->put_y = p->gfx_y;
    }
    if (!u->app->cfg.osc8 || p->kind != P_DETAIL || !(p->osc8_dirty || u->repainted)) return;
    p->osc8_dirty = 0;
    if (!p->nspans) return;
    struct strbuf b;
    sb_init(&b);
    char sgr[128];
    theme_sgr(&u->theme, EL_LINK, u->cm, sgr, sizeof sgr);
    sb_adds(&b, "\0337");
    for (int i = 0; i < p->nspans; i++) {
        char *target = ui_osc8_url(p->spans[i].url);
        if (!target || !p->spans[i].text) {
            free(target);
            continue;
        }
        sb_printf(&b, "\033[%d;%dH\033]8;;%s\033\\%s%s\033]8;;\033\\\033[0m", p->spans[i].y + 1, p->spans[i].x + 1,
                  target, sgr, p->spans[i].text);
        free(target);
    }
    sb_adds(&b, "\0338");
    ui_raw_append(u, b.s, b.len);
    sb_free(&b);
}

static void pager_title(struct ui *u, struct view *vv, char *buf, size_t n)
{
    struct pager *p = (struct pager *)vv;
    if (p->kind == P_HELP) snprintf(buf, n, "Help %s keys as bound now", ui_draw_glyphs()->sep);
    else if (p->kind == P_ERRORS) snprintf(buf, n, "Errors");
    else {
        const struct item *it = p->item.n ? &p->item.items[0] : NULL;
        snprintf(buf, n, "%s", it && it->feed_title ? it->feed_title : "Item");
    }
}

static void pager_position(struct ui *u, struct view *vv, char *buf, size_t n)
{
    struct pager *p = (struct pager *)vv;
    int64_t last = p->scroll + p->h < (int64_t)p->n ? p->scroll + p->h : (int64_t)p->n;
    int pct = p->n ? (int)(100 * last / (int64_t)p->n) : 100;
    snprintf(buf, n, "line %lld/%zu %d%%", (long long)(p->n ? p->scroll + 1 : 0), p->n, pct);
}

static void pager_changed(struct ui *u, struct view *vv)
{
    struct pager *p = (struct pager *)vv;
    if (p->kind == P_HELP) return;
    p->built_w = 0;   /* errors and counts: rebuilt at the next draw */
}

static int pager_find(struct ui *u, struct view *vv, const char *needle, int dir, int here)
{
    struct pager *p = (struct pager *)vv;
    int64_t n = (int64_t)p->n;
    if (!n || !needle || !*needle) return 0;
    int64_t start = p->scroll + (here ? 0 : dir);
    for (int64_t k = 0; k < n; k++) {
        int64_t i = ((start + dir * k) % n + n) % n;
        if (text_contains_ci(p->lines[i].text, needle) || (p->lines[i].label && text_contains_ci(p->lines[i].label, needle))) {
            int wrapped = dir > 0 ? i < start : i > start;
            p->scroll = i;
            p->osc8_dirty = 1;
            picture_moved(u, p);
            return wrapped ? 2 : 1;
        }
    }
    return 0;
}

static int64_t pager_get_pos(struct view *vv) { return ((struct pager *)vv)->scroll; }

static void pager_set_pos(struct view *vv, int64_t pos)
{
    struct pager *p = (struct pager *)vv;
    p->scroll = pos;
    p->osc8_dirty = 1;
}

/* Pixels written beside ncurses do not scroll with the text: take them away and repaint. */
static void picture_moved(struct ui *u, struct pager *p)
{
    if (p->put_y < 0) return;
    ui_thumb_graphics_gone(u);
    p->put_y = -1;
}

static void show_item(struct ui *u, struct pager *p)
{
    const struct item *it = ui_items_view_current(u, p->list);
    if (!it) return;
    picture_moved(u, p);
    load_item(u, p, it->id);
    ui_items_view_mark_current(u, p->list, 1);
    if (p->item.n) {
        p->item.items[0].read = 1;
        ui_media_scan_head(u, &p->item.items[0]);
    }
}

static int pager_action(struct ui *u, struct view *vv, int act, int count)
{
    struct pager *p = (struct pager *)vv;
    int h = p->h > 0 ? p->h : 1, n = count > 0 ? count : 1;
    int64_t before = p->scroll;
    const struct item *it = p->kind == P_DETAIL && p->item.n ? &p->item.items[0] : NULL;
    struct error err;
    error_clear(&err);
    switch (act) {
    case ACT_REVEAL:
        if (!it) return 0;
        p->revealed = !p->revealed;
        p->built_w = 0;   /* rebuilt with (or without) the picture and the text */
        ui_message(u, EL_MESSAGE, "%s", p->revealed ? "shown (x hides it again)" : "withheld again");
        return 1;
    case ACT_DOWN: p->scroll += n; break;
    case ACT_UP: p->scroll -= n; break;
    case ACT_PAGE_DOWN: p->scroll += (int64_t)h * n; break;
    case ACT_PAGE_UP: p->scroll -= (int64_t)h * n; break;
    case ACT_HALF_DOWN: p->scroll += (int64_t)(h + 1) / 2 * n; break;
    case ACT_HALF_UP: p->scroll -= (int64_t)(h + 1) / 2 * n; break;
    case ACT_TOP: p->scroll = count > 0 ? count - 1 : 0; break;
    case ACT_BOTTOM: p->scroll = count > 0 ? count - 1 : max_scroll(p); break;
    case ACT_NEXT_ITEM:
    case ACT_PREV_ITEM:
        if (!p->list) return 0;
        if (!ui_items_view_step(u, p->list, act == ACT_NEXT_ITEM ? n : -n)) {
            ui_message(u, EL_MESSAGE, act == ACT_NEXT_ITEM ? "this is the last item" : "this is the first item");
            return 1;
        }
        show_item(u, p);
        return 1;
    case ACT_OPEN:
    case ACT_OPEN_LINK:
    case ACT_COPY_LINK: {
        if (!it) return act == ACT_OPEN ? 1 : 0;
        int k = count > 0 ? count : 1;
        if (k > p->nlinks) {
            if (p->nlinks) ui_message(u, EL_MESSAGE, "the links are numbered 1 to %d", p->nlinks);
            else ui_message(u, EL_MESSAGE, "this item has no link");
            return 1;
        }
        if (act == ACT_COPY_LINK) ui_copy_url(u, p->links[k]);
        else ui_open_url(u, p->links[k]);
        return 1;
    }
    case ACT_TOGGLE_READ:
    case ACT_TOGGLE_STAR:
        if (!it) return 0;
        if (act == ACT_TOGGLE_READ) {
            ui_items_view_mark_current(u, p->list, !it->read);
            p->item.items[0].read = !it->read;
            ui_message(u, EL_MESSAGE, it->read ? "marked read" : "marked unread");
        } else if (store_item_set_starred(u->app->store, it->id, !it->starred, &err) < 0) {
            ui_message(u, EL_ERROR, "%s", err.msg);
        } else {
            p->item.items[0].starred = !it->starred;
            p->list->ops->changed(u, p->list);
            ui_message(u, EL_MESSAGE, it->starred ? "starred" : "unstarred");
        }
        p->built_w = 0;
        return 1;
    case ACT_REFRESH:
        if (!it || it->feed_id <= 0) return 0;
        ui_start_refresh(u, &it->feed_id, 1, it->feed_title ? it->feed_title : "this feed");
        return 1;
    default:
        return 0;
    }
    if (p->scroll > max_scroll(p)) p->scroll = max_scroll(p);
    if (p->scroll < 0) p->scroll = 0;
    if (p->scroll != before) {
        p->osc8_dirty = 1;
        picture_moved(u, p);
    }
    return 1;
}

static const struct view_ops pager_ops = {
    .name = "pager",
    .draw = pager_draw,
    .action = pager_action,
    .title = pager_title,
    .position = pager_position,
    .changed = pager_changed,
    .find = pager_find,
    .get_pos = pager_get_pos,
    .set_pos = pager_set_pos,
    .after_draw = pager_after_draw,
    .free = pager_free,
};
