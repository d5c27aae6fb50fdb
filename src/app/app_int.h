/* SPDX-License-Identifier: ISC */
/* app_int — what src/app's files share about the session and nobody else sees: the provenance
 * half of the session (rules, trust, badge cache, scan queue) and the hooks between refresh,
 * verdicts and scans. */
#ifndef WINNOW_APP_INT_H
#define WINNOW_APP_INT_H

#include "app.h"
#include "prov.h"

struct scanq;
struct source;

/* The checks every subscription passes (a URL winnow can fetch, a known kind, a request the
 * adapter can make); *src receives the adapter. */
int app_add_validate(const char *url, const char *kind, const struct source **src, struct error *err);
/* app_add_feed without its duplicate check, for a caller that made it already (import). */
int app_add_feed_as_is(struct app *app, const char *url, const char *kind, const char *title,
                       const char *tags, int64_t *id_out, const char **picked_out, struct error *err);

#define APP_BADGE_SLOTS 512   /* several pages of rows; direct-mapped by item id */

struct app_badge_slot {
    int64_t id;
    unsigned gen;
    int ascii, tone;
    char cells[2][8];
};

struct app_prov {
    struct prov_rules *rules;     /* the trust file and the config's hide/only lines */
    struct prov_trust *trust;     /* the C2PA list, `trust add` anchors, the config's trust-anchor */
    char *trust_fp;               /* prov_trust_fingerprint at load */
    char *evidence_dir;           /* $XDG_DATA_HOME/winnow/evidence: bytes of media with a manifest */
    char *scan_cache;             /* prov_scan's own cache of verified manifests */
    int64_t hide, only;           /* the config's (and trust file's) curation masks */
    unsigned gen;                 /* bumped whenever a stored verdict changes */
    struct app_badge_slot *slots;
    struct scanq *scans;
};

/* The loaded provenance state, loading it on first use; NULL with err when the rules or the trust
 * store cannot be loaded. */
struct app_prov *app_prov_get(struct app *app, struct error *err);
void app_prov_free(struct app *app);

/* Works out the verdict of every item in a parsed batch before it is committed (the masks and
 * scan states go into the same upsert), from its platform signals and the scans already stored. */
void app_prov_judge_sink(struct app *app, struct item_sink *sink);

/* Works out the masks of a feed's items that have none (0: every such item), in one transaction;
 * then, with scan set, queues the scans their media wait for (failed ones again). */
int app_prov_after_commit(struct app *app, int64_t feed_id, int scan, struct error *err);

/* A scan result arrived for url (bytes, or the error that kept them away): keep it, work out again
 * the items ids that asked for it, and file those that provenance rules now match. */
void app_prov_store_scan(struct app *app, const char *url, const int64_t *ids, size_t n_ids,
                         const void *bytes, size_t len, int head_only, const char *error);

/* scanq.c: the queue of media fetches for scans, on the session's fetcher at low priority */
struct scanq *scanq_new(void);
void scanq_free(struct app *app, struct scanq *q);
/* Queues url for item id (a job per URL; head: only the first 4 MiB).  urgent jobs go first. */
void scanq_add(struct app *app, struct scanq *q, const char *url, int64_t id, int head, int urgent);
int scanq_pending(const struct scanq *q);

/* 1 when the media URL of it is worth a head scan (an image or a video). */
int app_media_scannable(const struct item *it);

#endif
