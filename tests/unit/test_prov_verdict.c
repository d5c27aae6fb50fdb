/* SPDX-License-Identifier: ISC */
/* The stored verdict is the shown one.  A refresh works out each item's mask from prov_verdict_build
 * (no badge, no text) and skips the per-URL scan lookups when no scan is stored; the reader, the
 * CLI, rules and exports show app_item_badge.  Checked here: every synthetic case (platform signals
 * x media scan states x the user's rules x scan status), every item the adapters read from the real
 * captures in fixtures/feeds (with no scan and with each real scan in fixtures/provenance), and a
 * session's stored masks against app_item_badge before and after scans are stored, with the scans
 * table empty and not.  Also: prov_copy_text's copy of plain ASCII is the sanitiser's. */
#include "testutil.h"

#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../src/app/app_int.h"
#include "../../src/provenance/prov_int.h"
#include "app.h"
#include "prov.h"
#include "prov_verdict_check.h"
#include "source.h"
#include "store.h"
#include "text.h"

static char tmp[256];

/* Platform signals of every kind the badge reads. */
static const struct {
    const char *platform, *host, *handle;
    int bot;
    const char *labels, *extra;
} SIGNALS[] = {
    {"rss", "example.org", NULL, 0, NULL, NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
    {"mastodon", "fosstodon.org", "@alice@fosstodon.org", 1, NULL,
     "{\"verified_fields\":[{\"name\":\"Website\",\"verified_at\":\"2024-05-04T19:57:14Z\"}],\"sensitive\":true}"},
    {"mastodon", "example.social", "bob", 0, NULL, "{\"verified\":true,\"nsfw\":true}"},
    {"bluesky", "bsky.app", "alice.example.com", 0, "ai-imagery@did:plc:lab,porn@did:plc:mod,self-made@self", NULL},
    {"bluesky", "bsky.app", "bob.bsky.social", 0, "ai-generated@self,bot", NULL},
    {"bluesky", "bsky.app", "bob.bsky.social", 0, "!no-unauthenticated@self", NULL},
    {"bluesky", "bsky.app", "bob.bsky.social", 0, "!no-unauthenticated@self", "{\"logged_in\":true}"},
    {"bluesky", "bsky.app", "bob.bsky.social", 0, "!hide@did:plc:mod,!warn@did:plc:other", NULL},
    {"bluesky", "bsky.app", "bob.bsky.social", 0, "!takedown@platform,!hide@did:plc:mod", NULL},
    {"bluesky", "bsky.app", "x.brid.gy", 0, "!no-unauthenticated@did:plc:mod,ai-edited@did:plc:other", NULL},
    {"youtube", "www.youtube.com", "chan", 0, NULL, "{\"synthetic_media\":true}"},
    {"reddit", "www.reddit.com", "u1", 0, NULL, "{\"flair\":\"AI Art\",\"original_content\":true}"},
    {"reddit", "www.reddit.com", "u2", 0, NULL, "{\"flair\":\"No AI, handmade\"}"},
    {"reddit", "www.reddit.com", "u3", 0, NULL, "{\"ai_label\":\"AI-edited photo\",\"flair\":\"Photo\"}"},
    {"sora", "sora.chatgpt.com", "maker", 0, NULL, "{\"platform_nature\":\"Sora generates every video\"}"},
    /* more claims than the badge keeps (12): what is past the cap counts for neither */
    {"bluesky", "bsky.app", "many.bsky.social", 0,
     "ai@self,ai-art@self,ai-video@self,genai@self,ai-image@self,ai-content@self,made-with-ai@self,"
     "synthetic-media@self,ai-generated-content@self,generative-ai@self,ai-edited@self,ai-assisted@self,"
     "ai-modified@self,ai-enhanced@self",
     "{\"flair\":\"handmade\"}"},
    {"bluesky", "bsky.app", "many.bsky.social", 0,
     "ai@did:plc:a,ai-art@did:plc:b,ai-video@did:plc:lab,genai@did:plc:c,ai-image@did:plc:d,ai-content@did:plc:e,"
     "made-with-ai@did:plc:f,synthetic-media@did:plc:g,ai-generated-content@did:plc:h,generative-ai@did:plc:i,"
     "ai-edited@did:plc:j,ai-assisted@did:plc:lab",
     "{\"flair\":\"human made\",\"synthetic_media\":true}"},
    {"mastodon", "m.example", "cam", 0, "bot,gore", "{\"flair\":\"Photo, not AI\"}"},
};

static void media_cases(struct prov_media *v, size_t *n)
{
    size_t k = 0;
    memset(v, 0, 16 * sizeof *v);
    for (size_t i = 0; i < 16; i++) v[i].signed_at = -1;
    v[k].state = PROV_NONE;                                         /* a picture without credentials */
    snprintf(v[k++].container, 8, "jpeg");
    v[k].state = PROV_NONE;
    v[k++].stripped_hint = 1;
    v[k].state = PROV_NONE;
    snprintf(v[k++].xmp_source_type, 64, "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture");
    v[k].state = PROV_REMOTE;
    snprintf(v[k++].failure_text, 160, "remote");
    v[k].state = PROV_PRESENT;
    snprintf(v[k].failure_text, 160, "head only");
    snprintf(v[k++].source_type, 64, "trainedAlgorithmicMedia");
    v[k].state = PROV_MALFORMED;
    snprintf(v[k++].failure, 64, "claim.malformed");
    v[k].state = PROV_INVALID;
    snprintf(v[k].source_type, 64, "trainedAlgorithmicMedia");
    snprintf(v[k++].xmp_source_type, 64, "digitalCapture");
    v[k].state = PROV_VALID;
    snprintf(v[k].signer_org, 128, "Org");
    snprintf(v[k].cert_sha256[0], 65, "%064d", 7);
    snprintf(v[k++].source_type, 64, "digitalCapture");
    v[k].state = PROV_TRUSTED;
    snprintf(v[k].signer_org, 128, "Org");
    snprintf(v[k].signer_cn, 128, "Signer");
    snprintf(v[k].source_type, 64, "trainedAlgorithmicMedia");
    snprintf(v[k++].ingredient_source_type, 64, "digitalCapture");
    v[k].state = PROV_VALID;
    snprintf(v[k].signer_org, 128, "Other");
    snprintf(v[k++].ingredient_source_type, 64, "compositeWithTrainedAlgorithmicMedia");
    v[k].state = PROV_NONE;
    snprintf(v[k].heuristic, 96, "a PNG \"parameters\" chunk");
    snprintf(v[k++].xmp_ai_system, 96, "Midjourney");
    v[k].state = PROV_TRUSTED;
    snprintf(v[k].signer_org, 128, "Org");
    snprintf(v[k++].source_type, 64, "algorithmicallyEnhanced");
    *n = k;
}

static const char *const RULES[] = {
    NULL,
    "",
    "labeller = did:plc:lab\n",
    "trust_signer = O=Org\n",
    "distrust_signer = O=Org\ntrust_signer = O=Other\n",
    "trust_account = alice.example.com\nai_account = @alice@fosstodon.org generated\n"
    "ai_account = bob.bsky.social human-made\nai_account = cam@m.example capture\n",
    "hide = ai\nonly = credentials-valid\n",
};
#define N_RULES (sizeof RULES / sizeof RULES[0])

static struct prov_rules *rules_of(const char *text)
{
    if (!text) return NULL;
    struct prov_rules *r = prov_rules_new();
    struct error err;
    if (prov_rules_parse(r, text, "trust", &err) < 0) fail_msg("rules: %s", err.msg);
    return r;
}

/* The badge of an item as the app makes it, and the verdict the refresh stores, for one case. */
static void check_item(struct prov_badge *b, const struct item *it, const struct prov_media *m,
                       const struct prov_rules *r)
{
    badge_for_item(b, it, m, r);
    badge_for_item_status(b, it, m, r, 1, NULL);
    badge_for_item_status(b, it, m, r, 0, "HTTP 404 Not Found");
    badge_for_item_status(b, it, m, r, 0, NULL);
    if (r) {
        /* and the filters the reader applies agree with the stored bits */
        struct prov_verdict v;
        prov_verdict_for_item(&v, it, m, r);
        int64_t hide, only;
        prov_rules_masks(r, &hide, &only);
        int64_t mask = prov_verdict_mask(&v);
        prov_badge_for_item(b, it, m, r);
        assert_int_equal(prov_rules_allow(r, b), !(mask & hide) && (!only || (mask & only)));
    }
}

static void test_synthetic(void **state)
{
    (void)state;
    struct prov_media *media = calloc(16, sizeof *media);
    size_t n_media;
    media_cases(media, &n_media);
    struct prov_badge *b = malloc(sizeof *b);
    size_t cases = 0;
    for (size_t ri = 0; ri < N_RULES; ri++) {
        struct prov_rules *r = rules_of(RULES[ri]);
        for (size_t si = 0; si < sizeof SIGNALS / sizeof SIGNALS[0]; si++) {
            struct item it = mk(SIGNALS[si].platform, SIGNALS[si].host, SIGNALS[si].handle, SIGNALS[si].bot,
                                SIGNALS[si].labels, SIGNALS[si].extra);
            check_item(b, &it, NULL, r);
            for (size_t mi = 0; mi < n_media; mi++) check_item(b, &it, &media[mi], r);
            cases += 1 + n_media;
        }
        /* a scan alone, no platform signals at all */
        for (size_t mi = 0; mi < n_media; mi++) badge_build(b, &media[mi], NULL, r);
        badge_build(b, NULL, NULL, r);
        prov_rules_free(r);
    }
    print_message("%zu synthetic cases\n", cases);
    /* the cap: 14 self-labels fill the list with AI claims, so the user's rule (the last claim to
     * arrive) that the account's media are human-made is past it: no conflict either way */
    struct prov_rules *r = rules_of("ai_account = many.bsky.social human-made\n");
    struct item it = mk(SIGNALS[16].platform, SIGNALS[16].host, SIGNALS[16].handle, 0, SIGNALS[16].labels, NULL);
    badge_for_item(b, &it, NULL, r);
    assert_int_equal(b->n_claims, PROV_MAX_CLAIMS);
    assert_int_equal(b->conflict, 0);
    it.labels = "ai@self";
    badge_for_item(b, &it, NULL, r);
    assert_int_equal(b->conflict, 1);
    prov_rules_free(r);
    free(b);
    free(media);
}

/* ---- every item of the real captures ---- */

struct capture {
    const char *dir;
    const struct source *src;
    const char *user_url, *fetch_url;   /* NULL: the file's own */
};

static const struct capture DIRS[] = {
    {"rss", &source_feed, "https://example.org/feed", NULL},
    {"atom", &source_feed, "https://example.org/feed", NULL},
    {"jsonfeed", &source_feed, "https://example.org/feed.json", NULL},
    {"malformed", &source_feed, "https://example.org/feed", NULL},
    {"mastodon", &source_mastodon, "https://mastodon.social/public",
     "https://mastodon.social/api/v1/timelines/public?limit=20"},
    {"bluesky", &source_bluesky, "https://bsky.app/search?q=rstats",
     "https://public.api.bsky.app/xrpc/app.bsky.feed.searchPosts?q=rstats"},
    {"bluesky", &source_bluesky, "https://bsky.app/profile/andrew.heiss.phd",
     "https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed?actor=andrew.heiss.phd"},
    {"reddit", &source_reddit, "https://www.reddit.com/r/all/hot.json", "https://www.reddit.com/r/all/hot.json"},
    {"peertube", &source_peertube, "https://framatube.org/videos/trending",
     "https://framatube.org/api/v1/videos?sort=-trending&start=0&count=12"},
    {"lemmy", &source_lemmy, "https://test1.lemmy.ddenis.info/", "https://test1.lemmy.ddenis.info/api/v3/post/list"},
    {"youtube", &source_youtube, "https://www.youtube.com/user/Kurzgesagt",
     "https://www.youtube.com/feeds/videos.xml?user=Kurzgesagt"},
};

static const char *const MEDIA_FILES[] = {"C.jpg", "XCA.jpg", "E-sig-CA.jpg", "ocsp.jpg", "video1.mp4",
                                          "video1_no_manifest.mp4", "amazon-titan-g1.png", NULL};

static struct prov_trust *trust_with_roots(void)
{
    struct prov_trust *t = prov_trust_new();
    struct error err;
    char p[4096];
    snprintf(p, sizeof p, "%s/provenance/trust/C2PA-TRUST-LIST.pem", fixtures_dir());
    assert_true(prov_trust_add_file(t, p, 1, &err) > 10);
    snprintf(p, sizeof p, "%s/provenance/trust/c2pa-rs-test_cert_root_bundle.pem", fixtures_dir());
    assert_true(prov_trust_add_file(t, p, 0, &err) > 0);
    return t;
}

/* The real scans: each fixture file without an anchor and with the c2pa-rs test roots. */
static size_t real_scans(struct prov_media *out, size_t cap)
{
    struct prov_trust *roots = trust_with_roots();
    size_t n = 0;
    for (int i = 0; MEDIA_FILES[i] && n + 2 <= cap; i++) {
        char rel[256];
        snprintf(rel, sizeof rel, "provenance/%s", MEDIA_FILES[i]);
        size_t len = 0;
        char *bytes = fixture_read(rel, &len);
        struct prov_scan_opts plain = {.trust = NULL}, anchored = {.trust = roots};
        prov_scan(bytes, len, &plain, &out[n++]);
        prov_scan(bytes, len, &anchored, &out[n++]);
        free(bytes);
    }
    prov_trust_free(roots);
    return n;
}

static size_t items_of_file(const struct capture *c, const char *path, struct prov_badge *b,
                            const struct prov_media *media, size_t n_media, struct prov_rules *const *rules)
{
    size_t len = 0;
    char *body = fixture_read(path, &len);
    struct item_sink s;
    item_sink_init(&s);
    struct subscription sub = {.id = 1, .url = c->user_url, .fetch_url = c->fetch_url ? c->fetch_url : c->user_url};
    struct error e;
    error_clear(&e);
    int rc = c->src->parse(body, len, &sub, &s, &e);
    free(body);
    size_t n = rc == 0 ? s.n : 0;   /* a capture of another endpoint, or a malformed feed: no items */
    for (size_t i = 0; i < n; i++)
        for (size_t ri = 0; ri < N_RULES; ri++) {
            check_item(b, &s.items[i], NULL, rules[ri]);
            for (size_t mi = 0; mi < n_media; mi++) badge_for_item(b, &s.items[i], &media[mi], rules[ri]);
        }
    item_sink_free(&s);
    return n;
}

static void test_fixture_items(void **state)
{
    (void)state;
    require_fixtures();
    struct prov_media *media = calloc(16, sizeof *media);
    size_t n_media = real_scans(media, 16);
    assert_int_equal(n_media, 14);
    struct prov_rules *rules[N_RULES];
    for (size_t i = 0; i < N_RULES; i++) rules[i] = rules_of(RULES[i]);
    struct prov_badge *b = malloc(sizeof *b);
    size_t total = 0, labelled = 0;
    for (size_t d = 0; d < sizeof DIRS / sizeof DIRS[0]; d++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/feeds/%s", fixtures_dir(), DIRS[d].dir);
        DIR *dh = opendir(dir);
        if (!dh) fail_msg("no fixtures in %s", dir);
        struct dirent *de;
        while ((de = readdir(dh)) != NULL) {
            if (de->d_name[0] == '.') continue;
            char rel[512];
            snprintf(rel, sizeof rel, "feeds/%s/%s", DIRS[d].dir, de->d_name);
            size_t n = items_of_file(&DIRS[d], rel, b, media, n_media, rules);
            total += n;
            if (!strcmp(DIRS[d].dir, "bluesky")) labelled += n;
        }
        closedir(dh);
    }
    print_message("%zu fixture items, each under %zu rule sets, with no scan and %zu real scans\n", total,
                  (size_t)N_RULES, n_media);
    assert_true(total > 300);
    assert_true(labelled > 0);
    for (size_t i = 0; i < N_RULES; i++) prov_rules_free(rules[i]);
    free(b);
    free(media);
}

/* ---- a session: the masks it stores are its badges' ---- */

static int64_t badge_mask(struct app *app, const struct item *it)
{
    struct prov_badge *b = malloc(sizeof *b);
    app_item_badge(app, it, b);
    int64_t m = prov_filter_mask(b);
    free(b);
    return m;
}

/* The stored items from id from to id to: each stored mask is the item's badge's (and, with
 * states, its scan state is 0 without media, else 1: nothing scanned yet); returns how many. */
static size_t check_stored(struct app *app, int64_t from, int64_t to, int states)
{
    size_t n = 0;
    for (int64_t id = from; id <= to; id++) {
        struct item_sink s;
        item_sink_init(&s);
        struct error e;
        assert_int_equal(store_item_get(app->store, id, &s, &e), 0);
        if (s.n == 1) {
            const struct item *it = &s.items[0];
            assert_true(it->prov_mask >= 0);
            if (it->prov_mask != badge_mask(app, it))
                fail_msg("item %lld (%s): stored mask %llx, badge %llx", (long long)id, it->guid,
                         (unsigned long long)it->prov_mask, (unsigned long long)badge_mask(app, it));
            if (states) assert_int_equal(it->scan_state, atoi(strchr(it->guid, '-') + 1) % 5 == 4 ? 0 : 1);
            n++;
        }
        item_sink_free(&s);
    }
    return n;
}

static int scanned_between(struct app *app, int64_t from, int64_t to)
{
    int scanned = 0;
    for (int64_t id = from; id <= to; id++) {
        struct item_sink s;
        item_sink_init(&s);
        struct error e;
        assert_int_equal(store_item_get(app->store, id, &s, &e), 0);
        scanned += s.n == 1 && s.items[0].scan_state >= 2;
        item_sink_free(&s);
    }
    return scanned;
}

static const char *const MEDIA_NAME[] = {"a.jpg", "b.jpg", "c.mp4", "d.jpg"};

static void media_url(char *out, size_t cap, const char *host, size_t k)
{
    snprintf(out, cap, "https://%s/%s", host, MEDIA_NAME[k % 4]);
}

/* One item per platform signal case, each with some of host's media URLs (head, thumbnail, both,
 * the same URL twice, neither; the thumbnails on thumb_host). */
static void fill_sink(struct item_sink *s, const char *prefix, const char *host, const char *thumb_host)
{
    size_t n_sig = sizeof SIGNALS / sizeof SIGNALS[0];
    for (size_t i = 0; i < n_sig; i++) {
        struct item it = mk(SIGNALS[i].platform, SIGNALS[i].host, SIGNALS[i].handle, SIGNALS[i].bot,
                            SIGNALS[i].labels, SIGNALS[i].extra);
        char guid[32], u[3][128];
        snprintf(guid, sizeof guid, "%s%zu", prefix, i);
        it.guid = guid;
        it.title = guid;
        media_url(u[0], sizeof u[0], host, i);
        media_url(u[1], sizeof u[1], thumb_host, i + 1);
        media_url(u[2], sizeof u[2], host, 2);
        switch (i % 5) {
        case 0: it.media_url = u[0]; it.media_type = "image/jpeg"; break;
        case 1: it.thumb_url = u[1]; break;
        case 2: it.media_url = u[2]; it.media_type = "video/mp4"; it.thumb_url = u[1]; break;
        case 3: media_url(u[0], sizeof u[0], host, 3); it.media_url = it.thumb_url = u[0]; break;   /* no type */
        case 4: break;
        }
        item_sink_push(s, &it);
    }
}

static void commit(struct app *app, const char *url, const char *prefix, const char *host, const char *thumb_host)
{
    int64_t feed = 0;
    struct error e;
    error_clear(&e);
    if (store_feed_add(app->store, url, NULL, NULL, NULL, &feed, &e) < 0) fail_msg("add: %s", e.msg);
    struct item_sink s;
    item_sink_init(&s);
    fill_sink(&s, prefix, host, thumb_host);
    app_prov_judge_sink(app, &s);
    int new_items = 0;
    if (store_feed_commit(app->store, feed, &s, NULL, NULL, &new_items, &e) < 0) fail_msg("commit: %s", e.msg);
    assert_int_equal(new_items, (int)s.n);
    item_sink_free(&s);
}

/* A scan of url arrives (the bytes of a fixture, or an error) for the items naming it. */
static void store_scan_of(struct app *app, const char *url, const char *fixture, const char *error)
{
    char rel[256];
    size_t len = 0;
    char *bytes = NULL;
    if (fixture) {
        snprintf(rel, sizeof rel, "provenance/%s", fixture);
        bytes = fixture_read(rel, &len);
    }
    struct item_sink w;
    item_sink_init(&w);
    struct error e;
    assert_int_equal(store_items_by_media(app->store, url, &w, &e), 0);
    int64_t ids[64];
    size_t n = 0;
    for (size_t i = 0; i < w.n && n < 64; i++) ids[n++] = w.items[i].id;
    item_sink_free(&w);
    app_prov_store_scan(app, url, ids, n, bytes, len, 0, error);
    free(bytes);
}

static int between(struct app *app, const char *lo, const char *hi)
{
    struct error e;
    return store_scans_between(app->store, lo, hi, &e);
}

static void test_session_masks(void **state)
{
    (void)state;
    require_fixtures();
    char db[400], cfg[400], trust[400];
    snprintf(db, sizeof db, "%s/verdict.db", tmp);
    snprintf(cfg, sizeof cfg, "%s/config", tmp);
    snprintf(trust, sizeof trust, "%s/trust", tmp);
    FILE *f = fopen(cfg, "w");
    fclose(f);
    /* rules that change verdicts: one labeller honoured, an account class, a signer */
    f = fopen(trust, "w");
    fputs("labeller = did:plc:lab\nai_account = bob.bsky.social human-made\ntrust_signer = O=Org\n", f);
    fclose(f);
    setenv("WINNOW_TRUST_FILE", trust, 1);
    struct app app;
    struct app_paths paths = {.db = db, .config = cfg};
    struct error e;
    error_clear(&e);
    if (app_open(&app, &paths, &e) < 0) fail_msg("app_open: %s", e.msg);
    const int64_t n = (int64_t)(sizeof SIGNALS / sizeof SIGNALS[0]);

    /* a cold refresh: no scan stored, so the batch asks for none */
    assert_int_equal(between(&app, "", "\x7f"), 0);
    commit(&app, "https://example.org/one", "one-", "m.example", "m.example");
    assert_int_equal(check_stored(&app, 1, n, 1), n);

    /* scans arrive: credentials, an error, a video's */
    char u[4][128];
    for (size_t k = 0; k < 4; k++) media_url(u[k], sizeof u[k], "m.example", k);
    store_scan_of(&app, u[0], "C.jpg", NULL);
    store_scan_of(&app, u[1], NULL, "HTTP 404 Not Found");
    store_scan_of(&app, u[2], "video1.mp4", NULL);
    check_stored(&app, 1, n, 0);
    assert_true(scanned_between(&app, 1, n) > 0);
    /* the range check: both ends count, and nothing between two stored URLs is one */
    assert_int_equal(between(&app, u[0], u[0]), 1);
    assert_int_equal(between(&app, "https://m.example/a.jpg0", "https://m.example/b.jp"), 0);
    assert_int_equal(between(&app, "https://a.example/", u[0]), 1);
    assert_int_equal(between(&app, u[2], "https://z.example/"), 1);
    assert_int_equal(between(&app, "https://n.example/", "https://n.example/~"), 0);

    /* the next feed's batch on the same host, with scans stored: the same URLs are found */
    commit(&app, "https://example.org/two", "two-", "m.example", "m.example");
    assert_int_equal(check_stored(&app, 1, 2 * n, 0), 2 * n);
    assert_true(scanned_between(&app, n + 1, 2 * n) > 0);
    /* a feed on another host while those scans are stored: none of its URLs is looked up */
    commit(&app, "https://example.org/three", "three-", "n.example", "n.example");
    assert_int_equal(check_stored(&app, 2 * n + 1, 3 * n, 1), n);
    /* a feed whose URLs' range holds a stored URL that none of them is */
    store_scan_of(&app, "https://p.example/b.jpg0", "C.jpg", NULL);
    commit(&app, "https://example.org/four", "four-", "p.example", "p.example");
    assert_int_equal(check_stored(&app, 3 * n + 1, 4 * n, 1), n);
    /* a feed whose thumbnails are on the scanned host, its media elsewhere */
    commit(&app, "https://example.org/five", "five-", "q.example", "m.example");
    assert_int_equal(check_stored(&app, 4 * n + 1, 5 * n, 0), n);
    assert_true(scanned_between(&app, 4 * n + 1, 5 * n) > 0);
    /* a scan that serves the second and third feeds' items only after they were stored */
    store_scan_of(&app, u[3], "amazon-titan-g1.png", NULL);
    char v[128];
    media_url(v, sizeof v, "n.example", 0);
    store_scan_of(&app, v, "video1_no_manifest.mp4", NULL);
    assert_int_equal(check_stored(&app, 1, 5 * n, 0), 5 * n);

    /* the masks worked out again from nothing (the catch-up after the rules change) */
    assert_int_equal(store_items_forget_prov(app.store, &e), 0);
    assert_int_equal(store_meta_set(app.store, "prov_masks", "other", &e), 0);
    assert_int_equal(app_prov_reload(&app, &e), 0);
    assert_int_equal(check_stored(&app, 1, 5 * n, 0), 5 * n);
    app_close(&app);
    unsetenv("WINNOW_TRUST_FILE");
}

/* ---- the plain-ASCII copy ---- */

static void test_copy_text(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "rss", "example.org", "@alice@fosstodon.org", "two words", " lead", "trail ", "two  spaces", "tab\there",
        "line\nbreak", "esc\x1b[2J", "del\x7f", "caf\xc3\xa9", "bad\xff", "zw\xe2\x80\x8b\xe2\x80\x8bx", "~!#$%^&*()_+",
        "a", " ", "", "0123456789abcdef0123456789abcdef", NULL,
    };
    for (int i = 0; cases[i]; i++)
        for (size_t cap = 1; cap <= 40; cap++) {
            char got[64];
            memset(got, 'x', sizeof got);
            size_t len = strlen(cases[i]);
            prov_copy_text(got, cap, cases[i], len);
            /* what it did before for every string: the sanitiser's text, cut to the buffer */
            char want[64] = "";
            if (len) {
                char *t = text_sanitize_dup(cases[i], len, cap - 1, 0);
                size_t n = strlen(t) < cap ? strlen(t) : cap - 1;
                memcpy(want, t, n);
                want[n] = 0;
                free(t);
            }
            if (strcmp(got, want)) fail_msg("\"%s\" cap %zu: \"%s\", not \"%s\"", cases[i], cap, got, want);
        }
}

int main(void)
{
    snprintf(tmp, sizeof tmp, "/tmp/winnow-test-verdict-XXXXXX");
    if (!mkdtemp(tmp)) return 1;
    setenv("XDG_CACHE_HOME", tmp, 1);
    setenv("XDG_DATA_HOME", tmp, 1);
    setenv("XDG_CONFIG_HOME", tmp, 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_synthetic),
        cmocka_unit_test(test_fixture_items),
        cmocka_unit_test(test_session_masks),
        cmocka_unit_test(test_copy_text),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    rm_tree(tmp);
    return failed;
}
