/* SPDX-License-Identifier: ISC */
/* verdict — provenance as a stored fact of every item.  The session loads the user's rules and
 * trust once (the trust file, the config's hide/only and trust-anchor lines) for the CLI and the
 * reader alike.  A media scan is stored per URL when its bytes arrive (refresh, a thumbnail the
 * reader fetched, a media head); an item's badge is one function of its stored platform signals
 * and its stored scans (app_item_badge), and what curation needs of it — one bit per filter name —
 * is stored beside the item (prov_mask), so hide/only and rules run in SQL.
 *
 * Only a scan that found Content Credentials depends on the trust store.  Its bytes are kept as
 * evidence beside the database, so a changed trust store re-judges it without fetching the media
 * again; a changed trust file (signer, account, labeller rules) re-works the masks. */
#include "app_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "lists.h"
#include "text.h"

#define EVIDENCE_MAX (8u * 1024u * 1024u)   /* bytes kept per manifest-bearing scan */
#define JUDGE_BATCH 2000
#define FP_VERSION "verdict 1"

/* ---- loading the rules and the trust store once ---- */

static int load_rules(struct app *app, struct app_prov *p, struct error *err)
{
    const struct config *c = &app->cfg;
    p->rules = prov_rules_new();
    char *path = prov_rules_path();
    int rc = prov_rules_load(p->rules, path, 1, err);
    free(path);
    if (rc < 0) return -1;
    for (size_t i = 0; i < c->n_prov_filters; i++) {
        char line[160], name[300];
        snprintf(line, sizeof line, "%s = %s\n", c->prov_filters[i].key, c->prov_filters[i].action);
        snprintf(name, sizeof name, "%s:%d (config)", app->config_path ? app->config_path : "config",
                 c->prov_filters[i].line);
        if (prov_rules_parse(p->rules, line, name, err) < 0) return -1;
    }
    const char *extra[CONFIG_MAX_PROV];
    for (size_t i = 0; i < c->n_trust_anchors; i++) extra[i] = c->trust_anchors[i];
    p->trust = prov_trust_load(p->rules, extra, c->n_trust_anchors, err);
    if (!p->trust) return -1;
    p->trust_fp = xstrdup(prov_trust_fingerprint(p->trust));
    prov_rules_masks(p->rules, &p->hide, &p->only);
    return 0;
}

/* What the stored masks depend on besides the scans: the trust file's rules (signers, accounts,
 * labellers, ai_account), the trust store and the filter names.  A change means work them out
 * again.  Not a secret: FNV-1a is enough to notice a change. */
static void masks_fingerprint(const struct app_prov *p, char out[17])
{
    uint64_t h = HASH_FNV_SEED;
#define MIX(s) (h = hash_fnv1a("|", hash_fnv1a((s), h)))
    MIX(FP_VERSION);
    MIX(p->trust_fp);
    for (const char *const *n = prov_filter_names(); *n; n++) MIX(*n);
    char *path = prov_rules_path();
    char *text = NULL;
    size_t len = 0;
    struct error e;
    if (read_file(path, 1u << 20, &text, &len, &e) == 0) MIX(text);
    free(text);
    free(path);
#undef MIX
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* ---- the badge of an item, from what is stored ---- */

int app_media_scannable(const struct item *it)
{
    const char *t = it->media_type;
    if (!it->media_url || !*it->media_url) return 0;
    if (t && (!strncmp(t, "image/", 6) || !strncmp(t, "video/", 6) || !strncmp(t, "audio/", 6))) return 1;
    if (t && *t) return 0;
    /* a type the adapter did not know: judge by the name */
    const char *end = it->media_url + strcspn(it->media_url, "?#");
    static const char *const ext[] = {".jpg", ".jpeg", ".png", ".webp", ".mp4", ".m4v", ".mov",
                                      ".m4a", ".mp3", NULL};
    for (int i = 0; ext[i]; i++) {
        size_t n = strlen(ext[i]);
        if ((size_t)(end - it->media_url) >= n && !strncasecmp(end - n, ext[i], n)) return 1;
    }
    return 0;
}

/* What the stored scans of an item's media say: the scan to fold in (NULL: none), whether one
 * waits or failed and why, and the item's scan state (0 nothing to scan, 1 waiting, 2 scanned,
 * 3 could not). */
struct looked {
    const struct prov_media *m;
    int pending, failed, state;
    char error[160];
    struct prov_media *head, *thumb;   /* malloc'd for the scans found */
};

/* The stored scan of url into *m (malloc'd then): 1 when there is a result; 0 when it waits or
 * failed (lk says).  With ask 0 the caller knows none is stored. */
static int stored_scan(struct app *app, const char *url, int ask, struct prov_media **m, struct looked *lk)
{
    struct store_scan s;
    struct error err;
    int got = ask ? store_scan_get(app->store, url, &s, &err) : 0;
    if (got <= 0) {
        lk->pending = 1;   /* never scanned (or the store could not say: not a verdict either) */
        return 0;
    }
    int ok = 0;
    if (s.error) {
        lk->failed = 1;
        snprintf(lk->error, sizeof lk->error, "%s", s.error);
    } else {
        *m = xmalloc(sizeof **m);
        ok = prov_media_parse(s.result, *m) == 0 || (s.result && !*s.result);
        if (!ok) {
            lk->failed = 1;
            snprintf(lk->error, sizeof lk->error, "the stored scan is unreadable");
        }
    }
    store_scan_free(&s);
    return ok;
}

/* The media URLs an item's verdict reads: the head (when it is media) and the thumbnail (when it
 * is another URL); NULL when there is none. */
static void media_urls(const struct item *it, const char **hu, const char **tu)
{
    *hu = app_media_scannable(it) ? it->media_url : NULL;
    *tu = it->thumb_url && *it->thumb_url ? it->thumb_url : NULL;
    if (*tu && *hu && !strcmp(*tu, *hu)) *tu = NULL;
}

/* The stored scans of an item's media URLs hu and tu (media_urls); ask[0] and ask[1]: whether
 * each may have one (0: known not to). */
static void look_up(struct app *app, const char *hu, const char *tu, const unsigned char ask[2], struct looked *lk)
{
    memset(lk, 0, sizeof *lk);
    int have_h = hu && stored_scan(app, hu, ask[0], &lk->head, lk);
    int have_t = tu && stored_scan(app, tu, ask[1], &lk->thumb, lk);
    /* the media head usually says more (platforms re-encode thumbnails, dropping manifests), so it
     * wins when it found something; a thumbnail's "nothing" waits for the head */
    if (have_h && lk->head->state != PROV_NONE) lk->m = lk->head;
    else if (have_t && lk->thumb->state != PROV_NONE) lk->m = lk->thumb;
    else if (!lk->pending && have_h) lk->m = lk->head;
    else if (!lk->pending && have_t) lk->m = lk->thumb;
    lk->state = !hu && !tu ? 0 : lk->pending ? 1 : (lk->failed && !lk->m) ? 3 : 2;
}

static void looked_free(struct looked *lk)
{
    free(lk->head);
    free(lk->thumb);
}

static const unsigned char ASK_BOTH[2] = {1, 1};

/* The badge of an item, from what is stored. */
static void badge_of(struct app *app, struct app_prov *p, const struct item *it, struct prov_badge *b)
{
    const char *hu, *tu;
    media_urls(it, &hu, &tu);
    struct looked lk;
    look_up(app, hu, tu, ASK_BOTH, &lk);
    prov_badge_for_item(b, it, lk.m, p->rules);
    if (!lk.m && (lk.pending || lk.failed)) prov_badge_scan_status(b, lk.pending, lk.error);
    looked_free(&lk);
}

/* What curation stores of the same badge (prov_filter_mask), and the item's scan state; url and
 * ask are the item's two of a batch. */
static int64_t mask_of(struct app *app, struct app_prov *p, const struct item *it, const char *const url[2],
                       const unsigned char ask[2], int *state)
{
    struct looked lk;
    look_up(app, url[0], url[1], ask, &lk);
    struct prov_verdict v;
    prov_verdict_for_item(&v, it, lk.m, p->rules);
    if (!lk.m && (lk.pending || lk.failed)) prov_verdict_scan_status(&v, lk.pending);
    looked_free(&lk);
    *state = lk.state;
    return prov_verdict_mask(&v);
}

/* A batch of items' media URLs (media_urls, two an item) and whether each may have a stored scan.
 * When the scans table holds no URL from the batch's least to its greatest (none at all on a cold
 * refresh or one with --no-scan; none of this feed's while the scans of others arrive), nothing
 * is looked up; else (or when the store cannot say) every URL is. */
struct batch {
    const char **url;
    unsigned char *ask;
};

static void batch_init(struct app *app, const struct item_sink *items, struct batch *bt)
{
    size_t n = items->n ? 2 * items->n : 1;
    bt->url = xmalloc(n * sizeof *bt->url);   /* media_urls fills both of every item */
    bt->ask = xmalloc(n);
    const char *lo = NULL, *hi = NULL;
    for (size_t i = 0; i < items->n; i++) {
        const char **u = &bt->url[2 * i];
        media_urls(&items->items[i], &u[0], &u[1]);
        for (int k = 0; k < 2; k++) {
            if (!u[k]) continue;
            if (!lo || strcmp(u[k], lo) < 0) lo = u[k];
            if (!hi || strcmp(u[k], hi) > 0) hi = u[k];
        }
    }
    struct error err;
    int some = lo ? store_scans_between(app->store, lo, hi, &err) : 0;
    memset(bt->ask, some != 0, n);
}

static void batch_free(struct batch *bt)
{
    free(bt->url);
    free(bt->ask);
}

void app_item_badge(struct app *app, const struct item *it, struct prov_badge *b)
{
    struct error err;
    struct app_prov *p = app_prov_get(app, &err);
    if (!p) {
        prov_badge_for_item(b, it, NULL, NULL);
        return;
    }
    badge_of(app, p, it, b);
}

int app_badge_cells(struct app *app, const struct item *it, int ascii, char out[2][8])
{
    struct error err;
    struct app_prov *p = app_prov_get(app, &err);
    struct app_badge_slot *s = NULL;
    if (p && it->id > 0) {
        if (!p->slots) p->slots = xcalloc(APP_BADGE_SLOTS, sizeof *p->slots);
        s = &p->slots[(uint64_t)it->id % APP_BADGE_SLOTS];
        if (s->id == it->id && s->gen == p->gen && s->ascii == ascii) {
            memcpy(out, s->cells, sizeof s->cells);
            return s->tone;
        }
    }
    struct prov_badge *b = xmalloc(sizeof *b);   /* a few KB: not for the stack of a draw */
    app_item_badge(app, it, b);
    struct prov_cell c[2];
    int sev = prov_badge_cells(b, ascii, c);
    free(b);
    snprintf(out[0], 8, "%s", c[0].glyph);
    snprintf(out[1], 8, "%s", c[1].glyph);
    int tone = sev >= 3 ? APP_TONE_BAD : sev == 2 ? APP_TONE_WARN
             : (sev == 1 && (c[0].style == PROV_STYLE_TRUSTED || c[0].style == PROV_STYLE_VALID ||
                             c[1].style == PROV_STYLE_CAPTURE)) ? APP_TONE_GOOD : APP_TONE_PLAIN;
    if (s) {
        s->id = it->id;
        s->gen = p->gen;
        s->ascii = ascii;
        s->tone = tone;
        memcpy(s->cells, out, sizeof s->cells);
    }
    return tone;
}

void app_badge_lines(struct app *app, const struct item *it, int ascii, struct strbuf *out)
{
    struct prov_badge *b = xmalloc(sizeof *b);
    app_item_badge(app, it, b);
    prov_badge_lines(b, ascii, out);
    if (b->has_media && b->media.head_only) sb_adds(out, "          (scanned the first MiBs of the media)\n");
    free(b);
}

struct cJSON *app_badge_json(struct app *app, const struct item *it)
{
    struct prov_badge *b = xmalloc(sizeof *b);
    app_item_badge(app, it, b);
    struct cJSON *o = prov_badge_json(b);
    free(b);
    return o;
}

int app_badge_media(struct app *app, const void *bytes, size_t len, int head_only, int use_cache,
                    struct prov_badge *b, int *have_list, struct error *err)
{
    struct app_prov *p = app_prov_get(app, err);
    if (!p) return -1;
    struct prov_scan_opts o = {.trust = p->trust, .head_only = head_only, .cache_dir = use_cache ? p->scan_cache : NULL};
    struct prov_media *m = xmalloc(sizeof *m);
    prov_scan(bytes, len, &o, m);
    prov_badge_build(b, m, NULL, p->rules);
    free(m);
    if (have_list) *have_list = prov_trust_count(p->trust, 1) > 0;
    return 0;
}

int app_badge_file(struct app *app, const char *path, int use_cache, struct prov_badge *b, int *have_list,
                   struct error *err)
{
    struct app_prov *p = app_prov_get(app, err);
    if (!p) return -1;
    struct prov_scan_opts o = {.trust = p->trust, .cache_dir = use_cache ? p->scan_cache : NULL};
    struct prov_media *m = xmalloc(sizeof *m);
    int rc = prov_scan_file(path, &o, m, err);
    if (rc == 0) prov_badge_build(b, m, NULL, p->rules);
    free(m);
    if (have_list) *have_list = prov_trust_count(p->trust, 1) > 0;
    return rc;
}

int app_trust_tsa_count(struct app *app)
{
    struct error err;
    struct app_prov *p = app_prov_get(app, &err);
    return p ? prov_trust_tsa_count(p->trust) : 0;
}

void app_trust_each(struct app *app, int *n_official, int *n_mine,
                    void (*fn)(const char *org, const char *cn, const char *sha256, int official, void *user),
                    void *user, struct error *err)
{
    struct app_prov *p = app_prov_get(app, err);
    *n_official = *n_mine = -1;
    if (!p) return;
    *n_official = prov_trust_count(p->trust, 1);
    *n_mine = prov_trust_count(p->trust, 0);
    if (fn) prov_trust_each(p->trust, fn, user);
}

int app_item_sensitive(struct app *app, const struct item *it, char *why, size_t n)
{
    (void)app;
    struct prov_platform *p = xmalloc(sizeof *p);
    prov_platform_from_item(it, p);
    int s = p->sensitive;
    if (s && why && n) {
        snprintf(why, n, "marked sensitive by the platform");
        static const char *const kinds[] = {"porn", "sexual", "nudity", "graphic-media", "gore", "nsfl", NULL};
        for (int i = 0; i < p->n_labels; i++)
            for (int k = 0; kinds[k]; k++)
                if (!strcmp(p->labels[i].value, kinds[k])) {
                    const char *src = p->labels[i].source;
                    snprintf(why, n, "%s (%s)", kinds[k], !strcmp(src, "self") ? "author" : !*src ? "platform" : src);
                    i = p->n_labels;
                    break;
                }
    }
    free(p);
    return s;
}

int app_item_content_warning(struct app *app, const struct item *it, char *cw, size_t n)
{
    if (it->labels && strstr(it->labels, "!warn")) {
        struct prov_badge *b = xmalloc(sizeof *b);
        app_item_badge(app, it, b);
        int warn = b->warn[0] != 0;
        if (warn) snprintf(cw, n, "%s", b->warn);
        free(b);
        if (warn) return 1;
    }
    if (!it->extra || !strstr(it->extra, "spoiler_text")) return 0;
    cJSON *js = cJSON_Parse(it->extra);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(js, "spoiler_text");
    int has = cJSON_IsString(v) && v->valuestring[0];
    if (has) snprintf(cw, n, "%s", v->valuestring);   /* sanitised when the item was stored */
    cJSON_Delete(js);
    return has;
}

const char *app_label_meaning(const char *value) { return prov_label_meaning(value); }

unsigned app_prov_generation(struct app *app)
{
    return app->prov ? app->prov->gen : 0;
}

int app_curation_masks(struct app *app, int hide_ai, int64_t *hide, int64_t *only, struct error *err)
{
    *hide = *only = 0;
    struct app_prov *p = app_prov_get(app, err);
    if (!p) return -1;
    *hide = p->hide;
    *only = p->only;
    if (hide_ai) *hide |= (int64_t)1 << prov_filter_index("ai");
    /* what bsky.app would not show a logged-out reader (or hides for a labeller the user honours)
     * winnow does not show either: the feeds view counts them */
    *hide |= (int64_t)1 << prov_filter_index("withheld");
    return 0;
}

int app_filter_masks(const char *const *hide, size_t n_hide, const char *const *only, size_t n_only,
                     int64_t *hmask, int64_t *omask, struct error *err)
{
    for (int pass = 0; pass < 2; pass++) {
        const char *const *v = pass ? only : hide;
        size_t n = pass ? n_only : n_hide;
        for (size_t i = 0; i < n; i++) {
            int bit = prov_filter_index(v[i]);
            if (bit < 0) {
                struct strbuf b;
                sb_init(&b);
                for (const char *const *f = prov_filter_names(); *f; f++) sb_printf(&b, "%s%s", b.len ? ", " : "", *f);
                error_set(err, "no filter \"%s\" (the names: %s)", v[i], b.s);
                sb_free(&b);
                return -1;
            }
            *(pass ? omask : hmask) |= (int64_t)1 << bit;
        }
    }
    return 0;
}

/* ---- working out the stored masks ---- */

static int judge_items(struct app *app, struct app_prov *p, const struct item_sink *items, struct error *err)
{
    struct batch bt;
    batch_init(app, items, &bt);
    int rc = 0;
    for (size_t i = 0; i < items->n && rc == 0; i++) {
        int state;
        int64_t mask = mask_of(app, p, &items->items[i], &bt.url[2 * i], &bt.ask[2 * i], &state);
        rc = store_item_set_prov(app->store, items->items[i].id, mask, state, err);
    }
    batch_free(&bt);
    return rc;
}

struct judge_batch_ctx {
    struct app *app;
    struct app_prov *p;
    const struct item_sink *items;
};

static int judge_batch(struct store *st, void *ud)
{
    (void)st;
    struct judge_batch_ctx *c = ud;
    struct error err;
    return judge_items(c->app, c->p, c->items, &err);
}

/* Every item of feed_id (0: all) without a mask gets one, a batch per transaction; a refresh that
 * changed nothing (most of them) reads one index entry and writes nothing. */
static int judge_unjudged(struct app *app, struct app_prov *p, int64_t feed_id, struct error *err)
{
    size_t got;
    do {
        struct item_sink s;
        item_sink_init(&s);
        int rc = store_items_unjudged(app->store, feed_id, JUDGE_BATCH, &s, err);
        got = s.n;
        struct judge_batch_ctx c = {app, p, &s};
        if (rc == 0 && got) rc = store_transaction(app->store, judge_batch, &c, err);
        item_sink_free(&s);
        if (rc < 0) return -1;
        if (got) p->gen++;
    } while (got == JUDGE_BATCH);
    return 0;
}

static char *evidence_path(const struct app_prov *p, const char *sha256)
{
    struct strbuf b;
    sb_init(&b);
    sb_printf(&b, "%s/%s", p->evidence_dir, sha256);
    return sb_steal(&b);
}

/* Scans judged against another trust store are judged again from their evidence; a scan whose
 * evidence is gone is forgotten, so that the next refresh fetches its media again. */
static int rejudge(struct app *app, struct app_prov *p, struct error *err)
{
    struct store_scan *v;
    size_t n;
    if (store_scans_to_rejudge(app->store, p->trust_fp, &v, &n, err) < 0) return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char *path = v[i].sha256 ? evidence_path(p, v[i].sha256) : NULL;
        char *bytes = NULL;
        size_t len = 0;
        struct error e;
        if (path && read_file(path, EVIDENCE_MAX, &bytes, &len, &e) == 0) {
            struct prov_scan_opts o = {.trust = p->trust, .head_only = v[i].head_only};
            struct prov_media m;
            prov_scan(bytes, len, &o, &m);
            struct strbuf t;
            sb_init(&t);
            prov_media_format(&m, &t);
            struct store_scan s = v[i];
            s.result = t.s ? t.s : "";
            s.error = NULL;
            s.trust_fp = p->trust_fp;
            s.scanned = (int64_t)time(NULL);
            rc = store_scan_put(app->store, &s, err);
            sb_free(&t);
        } else {
            rc = store_scan_delete(app->store, v[i].url, err);
        }
        free(bytes);
        free(path);
        /* the items naming it: their masks again */
        struct item_sink s;
        item_sink_init(&s);
        if (rc == 0 && (rc = store_items_by_media(app->store, v[i].url, &s, err)) == 0)
            for (size_t k = 0; k < s.n && rc == 0; k++)
                rc = store_item_set_prov(app->store, s.items[k].id, -1, s.items[k].scan_state, err);
        item_sink_free(&s);
    }
    store_scans_free(v, n);
    return rc;
}

static int catch_up(struct app *app, struct app_prov *p, struct error *err)
{
    if (rejudge(app, p, err) < 0) return -1;
    char fp[17];
    masks_fingerprint(p, fp);
    char *was = NULL;
    if (store_meta_get(app->store, "prov_masks", &was, err) < 0) return -1;
    int changed = !was || strcmp(was, fp) != 0;
    free(was);
    if (changed && (store_items_forget_prov(app->store, err) < 0 ||
                    store_meta_set(app->store, "prov_masks", fp, err) < 0))
        return -1;
    return judge_unjudged(app, p, 0, err);
}

/* auto-list … when provenance=NAME: the stored mask answers */
static int rule_hook(const struct item *it, const char *filter, void *user)
{
    (void)user;
    int bit = prov_filter_index(filter);
    if (bit < 0) return 0;
    if (it->prov_mask < 0) return !strcmp(filter, "ai-unknown");   /* not worked out: nothing known */
    return (int)(it->prov_mask >> bit & 1);
}

struct app_prov *app_prov_get(struct app *app, struct error *err)
{
    if (app->prov) return app->prov;
    struct app_prov *p = xcalloc(1, sizeof *p);
    app->prov = p;
    if (load_rules(app, p, err) < 0) {
        app_prov_free(app);
        return NULL;
    }
    struct strbuf b;
    sb_init(&b);
    sb_printf(&b, "%s/evidence", app->data_dir);
    p->evidence_dir = sb_steal(&b);
    p->scan_cache = prov_cache_dir();
    p->scans = scanq_new();
    lists_set_provenance_hook(rule_hook, app);
    /* a store that cannot be written (disk full, read-only) still reads: the masks catch up later */
    struct error e;
    error_clear(&e);
    if (app->store) catch_up(app, p, &e);
    return p;
}

void app_prov_free(struct app *app)
{
    struct app_prov *p = app->prov;
    if (!p) return;
    scanq_free(app, p->scans);
    prov_rules_free(p->rules);
    prov_trust_free(p->trust);
    free(p->trust_fp);
    free(p->evidence_dir);
    free(p->scan_cache);
    free(p->slots);
    free(p);
    app->prov = NULL;
    lists_set_provenance_hook(NULL, NULL);
}

int app_prov_reload(struct app *app, struct error *err)
{
    app_prov_free(app);
    return app_prov_get(app, err) ? 0 : -1;
}

/* ---- after a refresh, and when scans arrive ---- */

static int tries_left(struct app *app, const char *url)
{
    struct store_scan s;
    struct error err;
    int got = store_scan_get(app->store, url, &s, &err);
    int want = got == 0 || (got == 1 && s.error && s.tries < APP_SCAN_TRIES);
    store_scan_free(&s);
    return want;
}

static void queue_item(struct app *app, struct app_prov *p, const struct item *it, int urgent)
{
    if (app_media_scannable(it) && tries_left(app, it->media_url))
        scanq_add(app, p->scans, it->media_url, it->id, 1, urgent);
    if (it->thumb_url && *it->thumb_url && (!it->media_url || strcmp(it->thumb_url, it->media_url)) &&
        tries_left(app, it->thumb_url))
        scanq_add(app, p->scans, it->thumb_url, it->id, 0, urgent);
}

void app_prov_judge_sink(struct app *app, struct item_sink *sink)
{
    struct error err;
    struct app_prov *p = app_prov_get(app, &err);
    if (!p) return;   /* the masks stay NULL: worked out when the rules load */
    struct batch bt;
    batch_init(app, sink, &bt);
    for (size_t i = 0; i < sink->n; i++) {
        struct item *it = &sink->items[i];
        it->prov_mask = mask_of(app, p, it, &bt.url[2 * i], &bt.ask[2 * i], &it->scan_state);
    }
    batch_free(&bt);
    p->gen++;
}

int app_prov_after_commit(struct app *app, int64_t feed_id, int scan, struct error *err)
{
    struct app_prov *p = app_prov_get(app, err);
    if (!p) return -1;
    if (judge_unjudged(app, p, feed_id, err) < 0) return -1;
    if (!scan) return 0;
    struct item_sink s;
    item_sink_init(&s);
    int rc = store_items_scan_todo(app->store, feed_id, 1, &s, err);
    for (size_t i = 0; rc == 0 && i < s.n; i++) queue_item(app, p, &s.items[i], 0);
    item_sink_free(&s);
    return rc;
}

int app_scan_items(struct app *app, const int64_t *ids, size_t n, struct error *err)
{
    struct app_prov *p = app_prov_get(app, err);
    if (!p) return -1;
    struct item_sink s;
    item_sink_init(&s);
    int rc = 0;
    if (n == 0) {
        rc = store_items_scan_todo(app->store, 0, 1, &s, err);
    } else {
        for (size_t i = 0; i < n && rc == 0; i++) rc = store_item_get(app->store, ids[i], &s, err);
    }
    for (size_t i = 0; rc == 0 && i < s.n; i++) queue_item(app, p, &s.items[i], 0);
    item_sink_free(&s);
    return rc;
}

void app_scan_item(struct app *app, const struct item *it)
{
    struct error err;
    struct app_prov *p = app_prov_get(app, &err);
    if (p) queue_item(app, p, it, 1);
}

int app_scan_pending(struct app *app)
{
    return app->prov ? scanq_pending(app->prov->scans) : 0;
}

/* Why bytes that are no media cannot be checked, or NULL when they are media. */
static const char *not_media(const struct prov_media *m, const void *bytes, size_t len)
{
    if (m->container[0]) return NULL;
    if (m->state != PROV_NONE) return NULL;   /* a store found in something else (rare): keep it */
    const unsigned char *b = bytes;
    size_t i = 0;
    while (i < len && i < 64 && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) i++;
    if (i < len && b[i] == '<') return "not an image or video: the data is an HTML or XML page";
    if (len == 0) return "the server sent no data";
    return "not an image or video this version reads";
}

struct store_ctx {
    struct app *app;
    struct app_prov *p;
    const struct store_scan *scan;
    const int64_t *ids;
    size_t n_ids;
    struct item_sink judged;
    struct error err;        /* why store_and_judge failed (store_transaction says only that it did) */
};

static int store_and_judge(struct store *st, void *ud)
{
    struct store_ctx *c = ud;
    struct error err;
    error_clear(&err);
    if (store_scan_put(st, c->scan, &c->err) < 0) return -1;
    for (size_t i = 0; i < c->n_ids; i++)
        if (store_item_get(st, c->ids[i], &c->judged, &err) < 0) continue;   /* gone meanwhile */
    if (judge_items(c->app, c->p, &c->judged, &c->err) < 0) return -1;
    return 0;
}

void app_prov_store_scan(struct app *app, const char *url, const int64_t *ids, size_t n_ids,
                         const void *bytes, size_t len, int head_only, const char *error)
{
    struct error err;
    struct app_prov *p = app_prov_get(app, &err);
    if (!p) return;
    struct store_scan prior;
    int had = store_scan_get(app->store, url, &prior, &err) == 1;
    struct store_scan s = {.url = (char *)url, .trust_fp = p->trust_fp, .scanned = (int64_t)time(NULL),
                           .head_only = head_only, .tries = 1};
    struct strbuf text;
    sb_init(&text);
    struct prov_media m;
    if (!error) {
        struct prov_scan_opts o = {.trust = p->trust, .head_only = head_only, .cache_dir = p->scan_cache};
        prov_scan(bytes, len, &o, &m);
        error = not_media(&m, bytes, len);
        if (!error && m.state == PROV_NONE && !head_only && strstr(m.failure_text, "ends early"))
            error = "the file ends early";
    }
    if (error) {
        s.error = (char *)error;
        s.tries = had && prior.error ? prior.tries + 1 : 1;
    } else {
        prov_media_format(&m, &text);
        s.result = text.s ? text.s : (char *)"";
        if (m.sha256[0]) {
            /* a manifest: its judgement depends on trust, so keep what it was judged from */
            s.sha256 = m.sha256;
            s.manifest = 1;
            if (len <= EVIDENCE_MAX && mkdir_p(p->evidence_dir, 0700) == 0) {
                char *path = evidence_path(p, m.sha256);
                struct error e;
                atomic_file_write(path, bytes, len, 0600, &e);
                free(path);
            }
        }
    }
    if (had) store_scan_free(&prior);
    struct store_ctx c = {.app = app, .p = p, .scan = &s, .ids = ids, .n_ids = n_ids};
    item_sink_init(&c.judged);
    error_clear(&err);
    error_clear(&c.err);
    int stored = store_transaction(app->store, store_and_judge, &c, &err);
    if (stored < 0)
        app_note_store_error(app, "a media scan was not stored (it is scanned again later)", c.err.msg[0] ? &c.err : &err);
    if (stored == 0) {
        p->gen++;
        /* rules that ask about provenance can answer now */
        if (app->n_rules && c.judged.n) {
            int64_t *v = xcalloc(c.judged.n, sizeof *v);
            for (size_t i = 0; i < c.judged.n; i++) v[i] = c.judged.items[i].id;
            struct list_rule *pr = xcalloc(app->n_rules, sizeof *pr);
            size_t npr = 0;
            for (size_t i = 0; i < app->n_rules; i++)
                if (lists_rule_asks_provenance(&app->rules[i])) pr[npr++] = app->rules[i];
            if (npr && lists_apply_rules(app->store, pr, npr, v, c.judged.n, &err) < 0)
                app_note_store_error(app, "auto-list rules after a scan", &err);
            free(pr);
            free(v);
        }
    }
    item_sink_free(&c.judged);
    sb_free(&text);
}

void app_scan_bytes(struct app *app, const char *url, const void *bytes, size_t len)
{
    struct store_scan s;
    struct error err;
    int got = store_scan_get(app->store, url, &s, &err);
    int have = got == 1 && !s.error;
    store_scan_free(&s);
    if (got < 0 || have) return;
    /* the items waiting for it learn of it when their own scans are queued; the ones on screen
     * now are found through the URL */
    struct item_sink items;
    item_sink_init(&items);
    int64_t *ids = NULL;
    size_t n = 0;
    if (store_items_waiting_for(app->store, url, &items, &err) == 0 && items.n) {
        ids = xcalloc(items.n, sizeof *ids);
        for (size_t i = 0; i < items.n; i++) ids[n++] = items.items[i].id;
    }
    item_sink_free(&items);
    app_prov_store_scan(app, url, ids, n, bytes, len, 0, NULL);
    free(ids);
}
