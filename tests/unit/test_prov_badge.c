/* SPDX-License-Identifier: ISC */
/* The badge: platform signals read from items encoded the way the adapters fill them (labels as
 * value@source, the extra JSON), precedence between sources, conflicts, the two cells with their
 * ASCII fallbacks, the detail lines, JSON, and the user's rules and filters.  Items built from the
 * real Bluesky and Mastodon captures show the signals those platforms actually send. */
#include "testutil.h"

#include <cjson/cJSON.h>

#include "prov.h"
#include "prov_verdict_check.h"
#include "store.h"
#include "text.h"

static void test_mastodon_signals(void **state)
{
    (void)state;
    struct item it = mk("mastodon", "fosstodon.org", "@alice@fosstodon.org", 1, NULL,
                        "{\"verified_fields\":[{\"name\":\"Website\",\"value\":\"https://a.example\","
                        "\"verified_at\":\"2024-05-04T19:57:14.688+00:00\"},{\"name\":\"Pronouns\",\"value\":\"she\","
                        "\"verified_at\":null}],\"sensitive\":true}");
    struct prov_badge b;
    badge_for_item(&b, &it, NULL, NULL);
    assert_int_equal(b.platform.acct, PROV_ACCT_LINKS);
    assert_non_null(strstr(b.platform.acct_detail, "Website"));
    assert_null(strstr(b.platform.acct_detail, "Pronouns"));
    assert_int_equal(b.platform.bot, 1);
    assert_int_equal(b.platform.sensitive, 1);
    assert_int_equal(b.ai, PROV_AI_UNKNOWN);      /* silence is unknown */
    assert_int_equal(b.cred, PROV_CRED_NONE);
    struct prov_cell c[2];
    assert_int_equal(prov_badge_cells(&b, 1, c), 1);
    assert_string_equal(c[0].glyph, ".");
    assert_string_equal(c[1].glyph, " ");
    struct strbuf l;
    sb_init(&l);
    prov_badge_lines(&b, 0, &l);
    assert_non_null(strstr(l.s, "Source    mastodon | fosstodon.org"));
    assert_non_null(strstr(l.s, "[bot]"));
    assert_non_null(strstr(l.s, "links verified"));
    assert_non_null(strstr(l.s, "not \"not AI\""));
    sb_free(&l);
}

static void test_bluesky_labels(void **state)
{
    (void)state;
    const char *labeller = "did:plc:bpkpvmwpd3nr2ry4btt55ack";
    char labels[256];
    snprintf(labels, sizeof labels, "ai-imagery@%s, graphic-media@did:plc:ar7c4by46qjdydhdevvrndac,nudity@self", labeller);
    struct item it = mk("bluesky", "bsky.app", "alice.example.com", 0, labels, "{\"verified\":true,\"verified_by\":\"did:plc:z72i\"}");
    struct prov_badge b;
    badge_for_item(&b, &it, NULL, NULL);
    assert_int_equal(b.platform.n_labels, 3);
    assert_string_equal(b.platform.labels[0].value, "ai-imagery");
    assert_string_equal(b.platform.labels[0].source, labeller);
    assert_string_equal(b.platform.labels[2].source, "self");
    assert_int_equal(b.platform.sensitive, 1);
    assert_int_equal(b.platform.acct, PROV_ACCT_PLATFORM);
    assert_int_equal(b.ai, PROV_AI_GENERATED);
    assert_int_equal(b.origin, PROV_FROM_LABELLER);
    struct prov_cell c[2];
    assert_int_equal(prov_badge_cells(&b, 0, c), 2);
    assert_string_equal(c[1].glyph, "\xe2\x9c\xa6");
    assert_int_equal(c[1].attrs & PROV_ATTR_BOLD, 0);   /* not signed: normal weight */

    /* a labeller the user did not choose is shown but not believed */
    struct prov_rules *r = prov_rules_new();
    struct error err;
    assert_int_equal(prov_rules_parse(r, "labeller = did:plc:someoneelse\n", "t", &err), 0);
    badge_for_item(&b, &it, NULL, r);
    assert_int_equal(b.ai, PROV_AI_UNKNOWN);
    assert_int_equal(b.platform.labels[0].ignored, 1);
    struct strbuf l;
    sb_init(&l);
    prov_badge_lines(&b, 0, &l);
    assert_non_null(strstr(l.s, "ignored"));
    sb_free(&l);
    prov_rules_free(r);

    /* a self-label is the poster's own disclosure: above any labeller */
    it = mk("bluesky", "bsky.app", "bob.bsky.social", 0, "ai-generated@self,bot@did:plc:x", NULL);
    badge_for_item(&b, &it, NULL, NULL);
    assert_int_equal(b.origin, PROV_FROM_PLATFORM);
    assert_int_equal(b.platform.acct, PROV_ACCT_NONE);   /* bsky.social proves nothing */
    assert_int_equal(b.platform.bot, 1);
    it = mk("bluesky", "bsky.app", "handle.invalid", 0, NULL, NULL);
    badge_for_item(&b, &it, NULL, NULL);
    assert_int_equal(b.platform.acct, PROV_ACCT_NONE);
}

static void test_youtube_and_reddit(void **state)
{
    (void)state;
    struct item it = mk("youtube", "www.youtube.com", NULL, 0, NULL, "{\"synthetic_media\":true}");
    struct prov_badge b;
    badge_for_item(&b, &it, NULL, NULL);
    assert_int_equal(b.ai, PROV_AI_GENERATED);
    assert_int_equal(b.origin, PROV_FROM_PLATFORM);
    struct prov_cell c[2];
    prov_badge_cells(&b, 1, c);
    assert_string_equal(c[0].glyph, ".");
    assert_string_equal(c[1].glyph, "G");
    it = mk("reddit", "r/midjourney", "u/x", 0, NULL, "{\"flair\":\"AI Art\",\"original_content\":true}");
    badge_for_item(&b, &it, NULL, NULL);
    assert_int_equal(b.ai, PROV_AI_GENERATED);
    assert_int_equal(b.platform.original_content, 1);
    it = mk("reddit", "r/pics", "u/x", 0, NULL, "{\"flair\":\"Rainy day\"}");
    badge_for_item(&b, &it, NULL, NULL);
    assert_int_equal(b.ai, PROV_AI_UNKNOWN);           /* "Rainy" holds "ai", not the word AI */
    it = mk("reddit", "r/art", "u/x", 0, NULL, "{\"flair\":\"Handmade - no AI\"}");
    badge_for_item(&b, &it, NULL, NULL);
    assert_int_equal(b.ai, PROV_AI_HUMAN);
    it = mk("tiktok", NULL, NULL, 0, "ai-edited@platform", "{\"ai_label\":\"AI-generated\"}");
    badge_for_item(&b, &it, NULL, NULL);
    assert_int_equal(b.ai, PROV_AI_GENERATED);
    assert_int_equal(b.n_claims, 2);
    /* extra that is not JSON, or not an object, is ignored */
    it = mk("mastodon", NULL, NULL, 0, NULL, "[1,2");
    badge_for_item(&b, &it, NULL, NULL);
    it = mk("mastodon", NULL, NULL, 0, NULL, "\"text\"");
    badge_for_item(&b, &it, NULL, NULL);
    assert_int_equal(b.ai, PROV_AI_UNKNOWN);
}

static struct prov_media media(enum prov_state st, const char *dst, const char *xmp)
{
    struct prov_media m;
    memset(&m, 0, sizeof m);
    m.state = st;
    m.signed_at = 1722981217;
    snprintf(m.container, sizeof m.container, "jpeg");
    snprintf(m.signer_org, sizeof m.signer_org, "Example Camera Co");
    if (dst) {
        snprintf(m.source_type, sizeof m.source_type, "%s", dst);
        snprintf(m.source_where, sizeof m.source_where, "active manifest");
    }
    if (xmp) snprintf(m.xmp_source_type, sizeof m.xmp_source_type, "%s", xmp);
    if (st == PROV_INVALID) {
        snprintf(m.failure, sizeof m.failure, "assertion.dataHash.mismatch");
        snprintf(m.failure_text, sizeof m.failure_text, "the file's bytes do not match");
    }
    return m;
}

static void test_precedence_and_conflict(void **state)
{
    (void)state;
    struct prov_badge b;
    struct prov_platform p;
    struct item it = mk("bluesky", "bsky.app", "x.bsky.social", 0, "ai-imagery@did:plc:lab", NULL);
    prov_platform_from_item(&it, &p);

    /* a valid capture manifest beats a labeller, and the disagreement is flagged */
    struct prov_media m = media(PROV_TRUSTED, "digitalCapture", NULL);
    badge_build(&b, &m, &p, NULL);
    assert_int_equal(b.ai, PROV_AI_CAPTURE);
    assert_int_equal(b.origin, PROV_FROM_C2PA);
    assert_int_equal(b.conflict, 1);
    struct prov_cell c[2];
    assert_int_equal(prov_badge_cells(&b, 0, c), 3);
    assert_string_equal(c[0].glyph, "\xe2\x9c\x94");
    assert_string_equal(c[1].glyph, "!");

    /* without the label: capture, shown, bold */
    badge_build(&b, &m, NULL, NULL);
    prov_badge_cells(&b, 1, c);
    assert_string_equal(c[0].glyph, "V");
    assert_string_equal(c[1].glyph, "C");
    assert_true(c[1].attrs & PROV_ATTR_BOLD);

    /* invalid credentials still outrank the platform, but are marked */
    struct item self = mk("bluesky", "bsky.app", "x.bsky.social", 0, "ai-generated@self", NULL);
    prov_platform_from_item(&self, &p);
    m = media(PROV_INVALID, "trainedAlgorithmicMedia", NULL);
    badge_build(&b, &m, &p, NULL);
    assert_int_equal(b.origin, PROV_FROM_C2PA_UNVERIFIED);
    assert_int_equal(b.cred, PROV_CRED_INVALID);
    assert_int_equal(prov_badge_cells(&b, 1, c), 3);
    assert_string_equal(c[0].glyph, "X");
    assert_string_equal(c[1].glyph, "G");
    assert_true(c[1].attrs & PROV_ATTR_UNDERLINE);
    assert_int_equal(b.conflict, 0);

    /* XMP below a labeller; a capture claim from XMP alone gets no glyph (anyone can write XMP) */
    prov_platform_from_item(&it, &p);
    m = media(PROV_NONE, NULL, "digitalCapture");
    badge_build(&b, &m, &p, NULL);
    assert_int_equal(b.origin, PROV_FROM_LABELLER);
    assert_int_equal(b.conflict, 1);
    badge_build(&b, &m, NULL, NULL);
    assert_int_equal(b.ai, PROV_AI_CAPTURE);
    prov_badge_cells(&b, 1, c);
    assert_string_equal(c[1].glyph, " ");

    /* the user's rule is the weakest claim */
    struct prov_rules *r = prov_rules_new();
    struct error err;
    assert_int_equal(prov_rules_parse(r, "ai_account = @x.bsky.social human-made\n", "t", &err), 0);
    badge_build(&b, NULL, &p, r);
    assert_int_equal(b.origin, PROV_FROM_LABELLER);
    assert_int_equal(b.conflict, 1);
    struct item plain = mk("bluesky", "bsky.app", "x.bsky.social", 0, NULL, NULL);
    prov_platform_from_item(&plain, &p);
    badge_build(&b, NULL, &p, r);
    assert_int_equal(b.ai, PROV_AI_HUMAN);
    assert_int_equal(b.origin, PROV_FROM_USER);
    prov_rules_free(r);

    /* stripped and present */
    m = media(PROV_NONE, NULL, NULL);
    m.stripped_hint = 1;
    badge_build(&b, &m, NULL, NULL);
    assert_int_equal(prov_badge_cells(&b, 1, c), 2);
    assert_string_equal(c[0].glyph, "/");
    m = media(PROV_PRESENT, NULL, NULL);
    badge_build(&b, &m, NULL, NULL);
    prov_badge_cells(&b, 1, c);
    assert_string_equal(c[0].glyph, "?");
}

/* An AI-video app's item: what the site is (platform nature) is an inference, ranked above
 * silence and below every claim somebody made, and never worded as a disclosure. */
static void test_platform_nature(void **state)
{
    (void)state;
    struct prov_badge b;
    struct prov_platform p;
    struct item it = mk("sora", "sora.chatgpt.com", "@maker", 0, NULL,
                        "{\"platform_nature\":\"Sora generates every video\"}");
    badge_for_item(&b, &it, NULL, NULL);
    assert_int_equal(b.ai, PROV_AI_GENERATED);
    assert_int_equal(b.origin, PROV_FROM_NATURE);
    assert_string_equal(b.ai_detail, "platform: Sora generates every video (inferred from the site)");
    assert_string_equal(prov_origin_name(b.origin), "platform-nature");
    struct strbuf l;
    sb_init(&l);
    prov_badge_lines(&b, 0, &l);
    assert_null(strstr(l.s, "disclosed"));
    assert_non_null(strstr(l.s, "from platform-nature: platform: Sora generates every video (inferred from the site)"));
    sb_free(&l);
    struct prov_cell c[2];
    prov_badge_cells(&b, 1, c);
    assert_string_equal(c[1].glyph, "G");

    /* a verified manifest outranks it: the C2PA claim is the one shown */
    prov_platform_from_item(&it, &p);
    struct prov_media m = media(PROV_VALID, "trainedAlgorithmicMedia", NULL);
    badge_build(&b, &m, &p, NULL);
    assert_int_equal(b.origin, PROV_FROM_C2PA);
    assert_int_equal(b.n_claims, 2);
    assert_int_equal(b.claims[1].origin, PROV_FROM_NATURE);
    /* so does a poster's own disclosure, and even forgeable XMP */
    struct item self = mk("sora", "sora.chatgpt.com", NULL, 0, "ai-edited@self",
                          "{\"platform_nature\":\"Sora generates every video\"}");
    badge_for_item(&b, &self, NULL, NULL);
    assert_int_equal(b.origin, PROV_FROM_PLATFORM);
    assert_int_equal(b.ai, PROV_AI_EDITED);
    m = media(PROV_NONE, NULL, "digitalCapture");
    badge_build(&b, &m, &p, NULL);
    assert_int_equal(b.origin, PROV_FROM_XMP);
    assert_int_equal(b.conflict, 1);
    /* it is above a heuristic, and above unknown */
    m = media(PROV_NONE, NULL, NULL);
    snprintf(m.heuristic, sizeof m.heuristic, "a generator's PNG text chunk");
    badge_build(&b, &m, &p, NULL);
    assert_int_equal(b.origin, PROV_FROM_NATURE);
    cJSON *js = prov_badge_json(&b);
    cJSON *po = cJSON_GetObjectItem(js, "platform");
    assert_string_equal(cJSON_GetObjectItem(po, "platform_nature")->valuestring, "Sora generates every video");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(js, "ai"), "origin")->valuestring, "platform-nature");
    cJSON_Delete(js);
}

static void test_glyphs_one_column(void **state)
{
    (void)state;
    for (int cr = PROV_CRED_NONE; cr <= PROV_CRED_TRUSTED; cr++)
        for (int ai = PROV_AI_UNKNOWN; ai <= PROV_AI_GENERATED; ai++) {
            struct prov_badge b;
            memset(&b, 0, sizeof b);
            b.cred = (enum prov_cred)cr;
            b.ai = (enum prov_ai)ai;
            b.origin = PROV_FROM_C2PA;
            struct prov_cell c[2];
            prov_badge_cells(&b, 0, c);
            assert_int_equal(text_width(c[0].glyph), 1);
            assert_int_equal(text_width(c[1].glyph), 1);
            prov_badge_cells(&b, 1, c);
            assert_int_equal(strlen(c[0].glyph), 1);
            assert_int_equal(strlen(c[1].glyph), 1);
        }
}

static void test_rules_and_filters(void **state)
{
    (void)state;
    struct error err;
    struct prov_rules *r = prov_rules_new();
    assert_int_equal(prov_rules_parse(r, "# mine\nhide = ai-generated\nhide = bot\n", "t", &err), 0);
    struct prov_badge b;
    struct item it = mk("youtube", NULL, NULL, 0, NULL, "{\"synthetic_media\":true}");
    badge_for_item(&b, &it, NULL, r);
    assert_int_equal(prov_rules_allow(r, &b), 0);
    it = mk("mastodon", NULL, NULL, 1, NULL, NULL);
    badge_for_item(&b, &it, NULL, r);
    assert_int_equal(prov_rules_allow(r, &b), 0);
    it = mk("mastodon", NULL, NULL, 0, NULL, NULL);
    badge_for_item(&b, &it, NULL, r);
    assert_int_equal(prov_rules_allow(r, &b), 1);
    prov_rules_free(r);
    r = prov_rules_new();
    assert_int_equal(prov_rules_parse(r, "only = credentials-valid\n", "t", &err), 0);
    struct prov_media m = media(PROV_VALID, NULL, NULL);
    badge_build(&b, &m, NULL, r);
    assert_int_equal(prov_rules_allow(r, &b), 1);
    badge_build(&b, NULL, NULL, r);
    assert_int_equal(prov_rules_allow(r, &b), 0);
    assert_int_equal(prov_rules_allow(NULL, &b), 1);
    prov_rules_free(r);

    /* trusted accounts */
    r = prov_rules_new();
    assert_int_equal(prov_rules_parse(r, "trust_account = @alice@fosstodon.org\n", "t", &err), 0);
    it = mk("mastodon", "fosstodon.org", "@alice", 0, NULL, NULL);
    badge_for_item(&b, &it, NULL, r);
    assert_int_equal(b.platform.acct, PROV_ACCT_USER);
    prov_rules_free(r);

    /* errors name the line */
    static const char *const bad[] = {"color = red\n", "hide = everything\n", "trust_signer = Adobe\n",
                                      "\n\nlabeller\n", "trust_signer = sha256:abc\n", "ai_account = @x maybe\n",
                                      "anchor =\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = prov_rules_new();
        assert_int_equal(prov_rules_parse(r, bad[i], "trust", &err), -1);
        assert_non_null(strstr(err.msg, "trust:"));
        prov_rules_free(r);
    }
    r = prov_rules_new();
    assert_int_equal(prov_rules_parse(r, "\n\nbogus = 1\n", "trust", &err), -1);
    assert_non_null(strstr(err.msg, "trust:3:"));
    prov_rules_free(r);
    for (const char *const *f = prov_filter_names(); *f; f++) {
        char line[64];
        snprintf(line, sizeof line, "only = %s\n", *f);
        r = prov_rules_new();
        assert_int_equal(prov_rules_parse(r, line, "t", &err), 0);
        prov_rules_free(r);
    }
}

/* issue 14: a Sora page is inferred to be AI from its site, which ranks below any disclosure and
 * says so; a Bridgy Fed handle is not called domain-verified */
static void test_inferred_and_bridged(void **state)
{
    (void)state;
    struct item it = mk("link", "sora.chatgpt.com", NULL, 0, NULL, "{\"platform_nature\":\"Sora generates every video\"}");
    struct prov_badge b;
    badge_for_item(&b, &it, NULL, NULL);
    assert_int_equal(b.ai, PROV_AI_GENERATED);
    assert_int_equal(b.origin, PROV_FROM_NATURE);
    struct strbuf s;
    sb_init(&s);
    prov_badge_lines(&b, 0, &s);
    assert_non_null(strstr(s.s, "inferred from the site"));
    assert_null(strstr(s.s, "disclosed"));
    sb_free(&s);
    it = mk("link", "sora.chatgpt.com", NULL, 0, NULL,
            "{\"platform_nature\":\"Sora generates every video\",\"ai_label\":\"Made with AI\"}");
    badge_for_item(&b, &it, NULL, NULL);
    assert_int_equal(b.origin, PROV_FROM_PLATFORM);   /* the disclosure outranks the inference */
    assert_true(b.n_claims >= 2);
    assert_int_equal(b.claims[b.n_claims - 1].origin, PROV_FROM_NATURE);

    it = mk("bluesky", "bsky.app", "@alice.mastodon.social.ap.brid.gy", 0, NULL, NULL);
    badge_for_item(&b, &it, NULL, NULL);
    assert_int_not_equal(b.platform.acct, PROV_ACCT_DOMAIN);
    sb_init(&s);
    prov_badge_lines(&b, 0, &s);
    assert_null(strstr(s.s, "domain-verified"));
    assert_non_null(strstr(s.s, "bridged by Bridgy Fed"));
    sb_free(&s);
    it = mk("bluesky", "bsky.app", "alice.example.com", 0, NULL, NULL);
    badge_for_item(&b, &it, NULL, NULL);
    assert_int_equal(b.platform.acct, PROV_ACCT_DOMAIN);
    assert_non_null(strstr(b.platform.acct_detail, "alice.example.com names this account"));
}

static void test_json(void **state)
{
    (void)state;
    struct item it = mk("bluesky", "bsky.app", "alice.example.com", 0, "ai-imagery@did:plc:lab", NULL);
    struct prov_media m = media(PROV_VALID, "trainedAlgorithmicMedia", NULL);
    struct prov_badge b;
    badge_for_item(&b, &it, &m, NULL);
    cJSON *o = prov_badge_json(&b);
    char *s = cJSON_PrintUnformatted(o);
    assert_non_null(strstr(s, "\"credentials\":\"valid\""));
    assert_non_null(strstr(s, "\"class\":\"generated\",\"origin\":\"c2pa\""));
    assert_non_null(strstr(s, "\"account_verification\":\"domain-verified\""));
    assert_non_null(strstr(s, "\"labels\":[{\"value\":\"ai-imagery\",\"source\":\"did:plc:lab\""));
    assert_non_null(strstr(s, "\"signed_at\":\"2024-08-06T21:53:37Z\""));
    assert_non_null(strstr(s, "\"cells_ascii\":\"vG\""));
    free(s);
    cJSON_Delete(o);
}

/* Items made from the real captures the way the adapters will fill them. */
static void test_captures(void **state)
{
    (void)state;
    require_fixtures();
    size_t n;
    char *text = fixture_read("feeds/bluesky/searchPosts_rstats.json", &n);
    cJSON *root = cJSON_Parse(text);
    free(text);
    int labelled = 0;
    const cJSON *post;
    cJSON_ArrayForEach(post, cJSON_GetObjectItemCaseSensitive(root, "posts"))
    {
        const cJSON *labs = cJSON_GetObjectItemCaseSensitive(post, "labels");
        const cJSON *author = cJSON_GetObjectItemCaseSensitive(post, "author");
        const char *did = cJSON_GetObjectItemCaseSensitive(author, "did")->valuestring;
        const char *handle = cJSON_GetObjectItemCaseSensitive(author, "handle")->valuestring;
        struct strbuf lb;
        sb_init(&lb);
        const cJSON *l;
        cJSON_ArrayForEach(l, labs)
        {
            const char *src = cJSON_GetObjectItemCaseSensitive(l, "src")->valuestring;
            const char *val = cJSON_GetObjectItemCaseSensitive(l, "val")->valuestring;
            sb_printf(&lb, "%s%s@%s", lb.len ? "," : "", val, strcmp(src, did) ? src : "self");
        }
        struct item it = mk("bluesky", "bsky.app", handle, 0, lb.len ? lb.s : NULL, NULL);
        struct prov_badge b;
        badge_for_item(&b, &it, NULL, NULL);
        if (lb.len) {
            labelled++;
            assert_true(b.platform.n_labels > 0);
            if (strstr(lb.s, "graphic-media")) assert_int_equal(b.platform.sensitive, 1);
        }
        assert_int_equal(b.ai, PROV_AI_UNKNOWN);    /* none of these posts carries an AI label */
        sb_free(&lb);
    }
    assert_true(labelled >= 1);
    cJSON_Delete(root);

    text = fixture_read("feeds/mastodon/mastodon.social_timelines_public.json", &n);
    root = cJSON_Parse(text);
    free(text);
    int bots = 0, verified = 0;
    const cJSON *st;
    cJSON_ArrayForEach(st, root)
    {
        const cJSON *acct = cJSON_GetObjectItemCaseSensitive(st, "account");
        cJSON *extra = cJSON_CreateObject();
        cJSON_AddItemToObject(extra, "verified_fields",
                              cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(acct, "fields"), 1));
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(st, "sensitive"))) cJSON_AddTrueToObject(extra, "sensitive");
        char *ex = cJSON_PrintUnformatted(extra);
        const char *handle = cJSON_GetObjectItemCaseSensitive(acct, "acct")->valuestring;
        struct item it = mk("mastodon", "mastodon.social", handle,
                            cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(acct, "bot")), NULL, ex);
        struct prov_badge b;
        badge_for_item(&b, &it, NULL, NULL);
        bots += b.platform.bot;
        verified += b.platform.acct == PROV_ACCT_LINKS;
        free(ex);
        cJSON_Delete(extra);
    }
    assert_int_equal(bots, 1);
    assert_true(verified >= 3);
    cJSON_Delete(root);
}

/* Bluesky's moderation labels (issue 14): !no-unauthenticated withholds a post from a logged-out
 * reader (not from one who fetched it with the login), !hide from a labeller the user honours
 * withholds it, !warn folds it behind a warning; a labeller not honoured is ignored. */
static void test_bluesky_moderation(void **state)
{
    (void)state;
    assert_int_equal(STORE_MASK_WITHHELD, (int64_t)1 << prov_filter_index("withheld"));
    struct prov_badge b;
    struct item it = mk("bluesky", "bsky.app", "bob.bsky.social", 0, "!no-unauthenticated@self", NULL);
    badge_for_item(&b, &it, NULL, NULL);
    assert_non_null(strstr(b.withheld, "logged-out readers"));
    assert_int_equal(prov_filter_hit(&b, "withheld"), 1);
    assert_int_equal(prov_filter_mask(&b) & ((int64_t)1 << prov_filter_index("withheld")), (int64_t)1 << prov_filter_index("withheld"));
    struct strbuf l;
    sb_init(&l);
    prov_badge_lines(&b, 0, &l);
    assert_non_null(strstr(l.s, "!no-unauthenticated (self-label): the author asks not to be shown to logged-out readers"));
    assert_non_null(strstr(l.s, "Withheld"));
    sb_free(&l);
    /* the same post read through the user's own timeline */
    it.extra = "{\"logged_in\":true}";
    badge_for_item(&b, &it, NULL, NULL);
    assert_string_equal(b.withheld, "");
    assert_int_equal(prov_filter_hit(&b, "withheld"), 0);
    /* a labeller's !hide and !warn: honoured by default, ignored once others are named */
    it = mk("bluesky", "bsky.app", "bob.bsky.social", 0, "!hide@did:plc:mod,!warn@did:plc:other", NULL);
    badge_for_item(&b, &it, NULL, NULL);
    assert_string_equal(b.withheld, "hidden by did:plc:mod (!hide)");
    assert_string_equal(b.warn, "a warning from did:plc:other (!warn)");
    struct prov_rules *r = prov_rules_new();
    struct error err;
    assert_int_equal(prov_rules_parse(r, "labeller = did:plc:other\n", "trust", &err), 0);
    badge_for_item(&b, &it, NULL, r);
    assert_string_equal(b.withheld, "");
    assert_int_equal(b.platform.labels[0].ignored, 1);
    assert_string_equal(b.warn, "a warning from did:plc:other (!warn)");
    prov_rules_free(r);
    /* a !no-unauthenticated put on someone else's post by a labeller is not the author's wish */
    it = mk("bluesky", "bsky.app", "bob.bsky.social", 0, "!no-unauthenticated@did:plc:mod", NULL);
    badge_for_item(&b, &it, NULL, NULL);
    assert_string_equal(b.withheld, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mastodon_signals),
        cmocka_unit_test(test_bluesky_labels),
        cmocka_unit_test(test_youtube_and_reddit),
        cmocka_unit_test(test_precedence_and_conflict),
        cmocka_unit_test(test_platform_nature),
        cmocka_unit_test(test_glyphs_one_column),
        cmocka_unit_test(test_rules_and_filters),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_inferred_and_bridged),
        cmocka_unit_test(test_captures),
        cmocka_unit_test(test_bluesky_moderation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
