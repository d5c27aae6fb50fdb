/* thumbs — the reader's pictures and media scans.  The UI owns a second fetcher, apart from the
 * refresh's, for thumbnails and media heads, so a picture can load while no refresh runs; thumbq
 * drives it at low priority and renders on its workers.  The same bytes go to the provenance
 * scanner through thumbq's bytes hook, so a picture is downloaded once: the scan runs right there
 * on the UI thread, which is fine because bytes without a manifest are only walked (a few
 * microseconds per picture) and a manifest is verified once, then found in the scan cache by its
 * SHA-256.  Results are kept by URL for the badges (hooks.c). */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "image.h"
#include "prov.h"
#include "thumb.h"
#include "thumbq.h"
#include "ui_int.h"

#define SCANS 256                        /* recent scans kept: several pages of items */
#define HEAD_BYTES (4L * 1024 * 1024)    /* of a media file: where C2PA stores usually sit */

struct scan {
    char *url;
    struct prov_media m;
};

struct head {
    struct ui_media *um;
    char *url;
    struct head *next;
};

/* The detail's picture as sixel or kitty pixels: one at a time, decoded and rendered on the UI
 * thread when its bytes arrive (one picture per opened item, a few ms). */
struct gfx {
    struct ui_media *um;
    char *url;
    int cols, rows;
    int state;                           /* 0 loading, 1 ready, 2 failed */
    struct strbuf seq;
    struct gfx *next;                    /* every record, the current one and those loading */
};

struct ui_media {
    struct ui *u;
    struct fetcher *f;
    struct thumbq *q;                    /* NULL when thumbnails = off */
    struct thumb_pairs pairs;
    enum thumb_colors mode;
    struct prov_rules *rules;
    struct prov_trust *trust;
    char *scan_cache;
    struct scan *scans;
    size_t next_scan;
    struct head *heads;                  /* media heads in flight */
    int curating;
    enum thumb_pixels pixels;            /* what the detail's picture uses, after tmux's say */
    int cell_w, cell_h;
    struct gfx *gfx, *gfx_all;
    const void *gfx_owner;               /* the view whose picture is on screen, NULL none */
    unsigned findings;                   /* scans that found something (curation re-filters) */
};

static const struct prov_media *find_scan(struct ui_media *um, const char *url)
{
    if (!url || !*url) return NULL;
    for (size_t i = 0; i < SCANS; i++)
        if (um->scans[i].url && !strcmp(um->scans[i].url, url)) return &um->scans[i].m;
    return NULL;
}

static void keep_scan(struct ui_media *um, const char *url, const void *bytes, size_t len, int head_only)
{
    struct prov_scan_opts o = {.trust = um->trust, .head_only = head_only, .cache_dir = um->scan_cache};
    struct prov_media m;
    prov_scan(bytes, len, &o, &m);
    struct scan *s = NULL;
    for (size_t i = 0; i < SCANS && !s; i++)
        if (um->scans[i].url && !strcmp(um->scans[i].url, url)) s = &um->scans[i];
    if (!s) {
        s = &um->scans[um->next_scan];
        um->next_scan = (um->next_scan + 1) % SCANS;
        free(s->url);
        s->url = xstrdup(url);
    }
    s->m = m;
    ui_hooks_changed();
    if (m.state != PROV_NONE || m.xmp_source_type[0] || m.heuristic[0] || m.stripped_hint) um->findings++;
}

static void on_bytes(const char *url, const void *bytes, size_t len, void *user)
{
    keep_scan(user, url, bytes, len, 0);
}

/* A media head scan says more than the thumbnail's (the thumbnail is usually re-encoded by the
 * platform, which drops the manifest), so it wins when both are known. */
static const struct prov_media *lookup(const struct item *it, void *user)
{
    struct ui_media *um = user;
    const struct prov_media *m = find_scan(um, it->media_url);
    return m ? m : find_scan(um, it->thumb_url);
}

/* hide/only from the config, as rules lines, checked by the provenance module that knows the
 * names; the error points at the config line. */
static int load_rules(struct ui *u, struct ui_media *um, struct error *err)
{
    const struct config *c = &u->app->cfg;
    um->rules = prov_rules_new();
    char *path = prov_rules_path();
    int rc = prov_rules_load(um->rules, path, 1, err);
    free(path);
    if (rc < 0) return -1;
    for (size_t i = 0; i < c->n_prov_filters; i++) {
        char line[160], name[300];
        snprintf(line, sizeof line, "%s = %s\n", c->prov_filters[i].key, c->prov_filters[i].action);
        snprintf(name, sizeof name, "%s:%d (config)", u->app->config_path ? u->app->config_path : "config",
                 c->prov_filters[i].line);
        if (prov_rules_parse(um->rules, line, name, err) < 0) return -1;
    }
    um->curating = c->n_prov_filters > 0;
    const char *extra[CONFIG_MAX_PROV];
    for (size_t i = 0; i < c->n_trust_anchors; i++) extra[i] = c->trust_anchors[i];
    um->trust = prov_trust_load(um->rules, extra, c->n_trust_anchors, err);
    return um->trust ? 0 : -1;
}

void ui_media_init(struct ui *u)
{
    struct ui_media *um = xcalloc(1, sizeof *um);
    u->media = um;
    um->u = u;
    um->scans = xcalloc(SCANS, sizeof *um->scans);
    um->scan_cache = prov_cache_dir();
    struct error err;
    error_clear(&err);
    if (load_rules(u, um, &err) < 0) {
        /* the reader still works without provenance rules: say why once */
        ui_message(u, EL_ERROR, "provenance: %s", err.msg);
        if (!um->trust) um->trust = prov_trust_new();
    }
    ui_hooks_set(um->rules, lookup, um, u->ascii);
    u->grid = !strcmp(u->app->cfg.layout, "grid");

    struct fetch_opts fo;
    fetch_opts_default(&fo);
    fo.max_total = 6;
    fo.max_per_host = 4;
    fo.timeout_s = u->app->cfg.timeout;
    fo.connect_timeout_s = u->app->cfg.connect_timeout;
    fo.max_body = (size_t)u->app->cfg.max_body_mb << 20;
    um->f = fetch_new(&fo);
    if (strcmp(u->app->cfg.thumbnails, "off")) {
        um->q = thumbq_new(um->f, u->app->cache_dir, (size_t)u->app->cfg.thumb_cache_mb << 20, 2);
        if (um->q) {
            int cw = 0, ch = 0;
            int known = thumb_cell_size(STDOUT_FILENO, &cw, &ch);
            thumbq_set_style(um->q, u->ascii, cw, ch);
            um->cell_w = known ? cw : 10;
            um->cell_h = known ? ch : 20;
            thumbq_set_bytes_hook(um->q, on_bytes, um);
        }
    }
    um->mode = u->cm == CM_MONO ? THUMB_COLORS_NONE : thumb_curses_colors();
    enum thumb_pixels want = THUMB_PIXELS_SYMBOLS;
    thumb_pixels_parse(u->app->cfg.thumbnails, &want);
    um->pixels = thumb_pixels_effective(want, u->app->cfg.thumbnails_force);
    /* the theme's pairs are 1..EL__COUNT */
    thumb_pairs_init(&um->pairs, EL__COUNT + 1);
}

void ui_media_free(struct ui *u)
{
    struct ui_media *um = u->media;
    if (!um) return;
    ui_hooks_set(NULL, NULL, NULL, 0);
    thumbq_free(um->q);
    fetch_free(um->f);   /* no callbacks after this: the head records are ours to free */
    while (um->heads) {
        struct head *h = um->heads;
        um->heads = h->next;
        free(h->url);
        free(h);
    }
    while (um->gfx_all) {
        struct gfx *g = um->gfx_all;
        um->gfx_all = g->next;
        free(g->url);
        sb_free(&g->seq);
        free(g);
    }
    for (size_t i = 0; i < SCANS; i++) free(um->scans[i].url);
    free(um->scans);
    free(um->scan_cache);
    prov_rules_free(um->rules);
    prov_trust_free(um->trust);
    free(um);
    u->media = NULL;
}

int ui_media_curating(const struct ui *u) { return (u->media && u->media->curating) || u->hide_ai; }

unsigned ui_media_findings(const struct ui *u) { return u->media ? u->media->findings : 0; }

unsigned ui_media_fds(struct ui *u, struct fetch_waitfd *fds)
{
    if (!u->media || !u->media->q) return 0;
    fds->fd = thumbq_fd(u->media->q);
    fds->events = POLLIN;
    fds->revents = 0;
    return 1;
}

int ui_media_busy(const struct ui *u) { return u->media && fetch_pending(u->media->f) > 0; }

void ui_media_poll(struct ui *u, int timeout_ms, struct fetch_waitfd *extra, unsigned n_extra)
{
    if (u->media) fetch_poll(u->media->f, timeout_ms, extra, n_extra);
}

int ui_media_collect(struct ui *u)
{
    if (!u->media || !u->media->q) return 0;
    return thumbq_collect(u->media->q, NULL, NULL);
}

void ui_media_frame(struct ui *u)
{
    struct ui_media *um = u->media;
    if (um && um->gfx_owner && um->gfx_owner != ui_top(u)) ui_thumb_graphics_gone(u);
    if (!um || !um->q || !thumb_pairs_need_reset(&um->pairs)) return;
    /* every pair is forgotten, the theme's too: set them again and repaint everything */
    thumb_pairs_reset(&um->pairs);
    theme_apply(&u->theme, u->cm);
    bkgdset((chtype)' ' | (chtype)COLOR_PAIR(theme_pair(EL_NORMAL)));
    u->full_redraw = 1;
}

void ui_thumb_want(struct ui *u, const char *url, int cols, int rows, int prio)
{
    if (u->media && u->media->q && url && *url && cols > 0 && rows > 0)
        thumbq_request(u->media->q, url, cols, rows, u->media->mode, prio);
}

void ui_thumb_draw(struct ui *u, const char *url, int y, int x, int cols, int rows, int prio)
{
    struct ui_media *um = u->media;
    if (!um || !um->q || !url || !*url || cols < 1 || rows < 1) return;
    enum thumbq_state st = thumbq_request(um->q, url, cols, rows, um->mode, prio);
    const struct thumb *t = st == THUMBQ_READY ? thumbq_get(um->q, url, cols, rows, um->mode, &st) : NULL;
    if (t) {
        thumb_draw_curses(stdscr, y + (rows - t->rows) / 2, x + (cols - t->cols) / 2, t, &um->pairs);
        return;
    }
    /* a quiet placeholder the size of the box, so the layout does not jump when it arrives */
    const char *mark = st == THUMBQ_FAILED ? (u->ascii ? "x" : "\xc3\x97") : (u->ascii ? "..." : "\xe2\x80\xa6");
    for (int r = 0; r < rows; r++) draw_fill(y + r, x, cols, EL_DIM);
    int mw = st == THUMBQ_FAILED ? 1 : (u->ascii ? 3 : 1);
    draw_text(y + rows / 2, x + (cols - mw) / 2, mw, mark, EL_DIM);
}

static void on_head(const struct fetch_result *res, void *user)
{
    struct head *h = user;
    struct ui_media *um = h->um;
    for (struct head **pp = &um->heads; *pp; pp = &(*pp)->next)
        if (*pp == h) {
            *pp = h->next;
            break;
        }
    if (res->ok && res->len > 0)
        keep_scan(um, h->url, res->body, res->len, res->len >= (size_t)HEAD_BYTES);
    free(h->url);
    free(h);
}

static int scannable(const struct item *it)
{
    const char *t = it->media_type;
    if (!it->media_url || !*it->media_url) return 0;
    if (t && (!strncmp(t, "image/", 6) || !strncmp(t, "video/", 6))) return 1;
    /* a type the adapter did not know: judge by the name */
    const char *dot = strrchr(it->media_url, '.');
    return !t && dot && (!strcasecmp(dot, ".jpg") || !strcasecmp(dot, ".jpeg") || !strcasecmp(dot, ".png") ||
                         !strcasecmp(dot, ".webp") || !strcasecmp(dot, ".mp4") || !strcasecmp(dot, ".m4v"));
}

void ui_media_scan_head(struct ui *u, const struct item *it)
{
    struct ui_media *um = u->media;
    if (!um || !scannable(it) || find_scan(um, it->media_url)) return;
    for (struct head *h = um->heads; h; h = h->next)
        if (!strcmp(h->url, it->media_url)) return;
    struct head *h = xcalloc(1, sizeof *h);
    h->um = um;
    h->url = xstrdup(it->media_url);
    /* stored URLs obey the origin rule (item_confine_urls): file:// only for a local feed's item */
    struct fetch_req req = {.url = h->url, .low_priority = 1, .range_end = HEAD_BYTES - 1, .allow_file = 1};
    h->next = um->heads;
    um->heads = h;
    fetch_add(um->f, &req, on_head, h);
}

/* ---- pixel graphics for the detail's picture ---- */

static void gfx_drop(struct ui_media *um, struct gfx *g)
{
    for (struct gfx **pp = &um->gfx_all; *pp; pp = &(*pp)->next)
        if (*pp == g) {
            *pp = g->next;
            break;
        }
    free(g->url);
    sb_free(&g->seq);
    free(g);
}

static void on_gfx(const struct fetch_result *res, void *user)
{
    struct gfx *g = user;
    struct ui_media *um = g->um;
    if (g != um->gfx) {   /* replaced by another picture meanwhile */
        gfx_drop(um, g);
        return;
    }
    g->state = 2;
    if (!res->ok || !res->len) return;
    struct thumb_opts o;
    thumb_opts_default(&o, g->cols, g->rows);
    o.cell_w = um->cell_w;
    o.cell_h = um->cell_h;
    struct image img;
    struct error err;
    error_clear(&err);
    if (image_decode(res->body, res->len, g->cols * o.cell_w, g->rows * o.cell_h, &img, &err) < 0) return;
    int oc = 0, orow = 0;
    if (thumb_render_graphics(&img, &o, um->pixels, &g->seq, &oc, &orow, &err) == 0 && g->seq.len) g->state = 1;
    image_free(&img);
}

int ui_thumb_graphics(struct ui *u, const char *url, int cols, int rows)
{
    struct ui_media *um = u->media;
    if (!um || !url || !*url || (um->pixels != THUMB_PIXELS_SIXEL && um->pixels != THUMB_PIXELS_KITTY)) return 0;
    struct gfx *g = um->gfx;
    if (g && !strcmp(g->url, url) && g->cols == cols && g->rows == rows) return g->state == 1;
    um->gfx = NULL;
    if (g && g->state != 0) gfx_drop(um, g);   /* one still loading is dropped by its callback */
    g = um->gfx = xcalloc(1, sizeof *g);
    g->next = um->gfx_all;
    um->gfx_all = g;
    g->um = um;
    g->url = xstrdup(url);
    g->cols = cols;
    g->rows = rows;
    sb_init(&g->seq);
    struct fetch_req req = {.url = g->url, .allow_file = 1};   /* a stored URL, as for heads */
    fetch_add(um->f, &req, on_gfx, g);
    return 0;
}

void ui_thumb_graphics_put(struct ui *u, const void *owner, int y, int x)
{
    struct ui_media *um = u->media;
    if (!um || !um->gfx || um->gfx->state != 1) return;
    thumb_graphics_put(STDOUT_FILENO, y, x, um->gfx->seq.s, um->gfx->seq.len);
    um->gfx_owner = owner;
}

void ui_thumb_graphics_gone(struct ui *u)
{
    struct ui_media *um = u->media;
    if (!um || !um->gfx_owner) return;
    /* kitty keeps images over the text; sixel pixels stay where ncurses thinks cells are blank */
    const char *clear = thumb_graphics_clear(um->pixels);
    if (*clear) ui_write_all(STDOUT_FILENO, clear, strlen(clear));
    um->gfx_owner = NULL;
    u->full_redraw = 1;
}
