/* SPDX-License-Identifier: ISC */
/* The refresh stores each item's mask from prov_verdict_build, not from a badge; the reader, the
 * CLI, rules and exports show the badge.  These wrappers build every badge a provenance test makes
 * both ways and fail on any difference, so each synthetic case and fixture those tests cover also
 * checks that the stored fact is the shown one. */
#ifndef WINNOW_PROV_VERDICT_CHECK_H
#define WINNOW_PROV_VERDICT_CHECK_H

#include "testutil.h"

#include "prov.h"

/* v (from the verdict path) is what the badge b says. */
static inline void verdict_matches_badge(const struct prov_verdict *v, const struct prov_badge *b)
{
    struct prov_verdict w;
    prov_badge_verdict(b, &w);
    assert_int_equal(v->cred, w.cred);
    assert_int_equal(v->ai, w.ai);
    assert_int_equal(v->origin, w.origin);
    assert_int_equal(v->conflict, w.conflict);
    assert_int_equal(v->bot, w.bot);
    assert_int_equal(v->sensitive, w.sensitive);
    assert_int_equal(v->withheld, w.withheld);
    assert_int_equal(v->has_media, w.has_media);
    assert_int_equal(prov_verdict_mask(v), prov_filter_mask(b));
    /* and the badge's own facts are its claims' (the strongest first), as they were before */
    if (b->n_claims) {
        assert_int_equal(b->ai, b->claims[0].ai);
        assert_int_equal(b->origin, b->claims[0].origin);
    } else {
        assert_int_equal(b->ai, PROV_AI_UNKNOWN);
        assert_int_equal(b->origin, PROV_FROM_NONE);
    }
    int any_ai = 0, any_real = 0;
    for (int i = 0; i < b->n_claims; i++) {
        any_ai |= b->claims[i].ai >= PROV_AI_SYNTHETIC;
        any_real |= b->claims[i].ai == PROV_AI_CAPTURE || b->claims[i].ai == PROV_AI_HUMAN;
    }
    assert_int_equal(b->conflict, any_ai && any_real);
}

static inline void badge_build(struct prov_badge *b, const struct prov_media *m, const struct prov_platform *p,
                               const struct prov_rules *r)
{
    prov_badge_build(b, m, p, r);
    struct prov_verdict v;
    prov_verdict_build(&v, m, p, r);
    verdict_matches_badge(&v, b);
}

static inline void badge_for_item(struct prov_badge *b, const struct item *it, const struct prov_media *m,
                                  const struct prov_rules *r)
{
    prov_badge_for_item(b, it, m, r);
    struct prov_verdict v;
    prov_verdict_for_item(&v, it, m, r);
    verdict_matches_badge(&v, b);
}

/* Both, then the scan status the app adds where no scan is folded in (pending, or failed). */
static inline void badge_for_item_status(struct prov_badge *b, const struct item *it, const struct prov_media *m,
                                         const struct prov_rules *r, int pending, const char *error)
{
    prov_badge_for_item(b, it, m, r);
    prov_badge_scan_status(b, pending, error);
    struct prov_verdict v;
    prov_verdict_for_item(&v, it, m, r);
    prov_verdict_scan_status(&v, pending);
    verdict_matches_badge(&v, b);
}

/* An item with the platform signals the badge reads, the rest empty. */
static inline struct item mk(const char *platform, const char *host, const char *handle, int bot,
                             const char *labels, const char *extra)
{
    struct item it;
    item_init(&it);
    it.platform = platform;
    it.host = host;
    it.author_handle = handle;
    it.author_bot = bot;
    it.labels = labels;
    it.extra = extra;
    return it;
}

#endif
