/* SPDX-License-Identifier: ISC */
/* prov — provenance: where a piece of media came from and whether it says it was made by AI.
 *
 * Two kinds of evidence meet here.  Platform signals arrive on a struct item from the source
 * adapters (platform, host, bot flag, labels with the labeller that set them, and the extra JSON
 * with verified profile links, flair, synthetic-media flags).  Media scans read bytes already fetched
 * (a thumbnail, an image, the head of a video): Content Credentials (C2PA manifest stores in JPEG,
 * PNG, WebP and MP4, verified with OpenSSL against the C2PA trust list and the user's own anchors
 * only, never the system CA store) and IPTC DigitalSourceType in XMP.  Both fold into a badge: a
 * credentials state, an AI class with the source of that claim, and a conflict flag when sources
 * disagree.  Precedence: verified C2PA > invalid C2PA (shown, flagged) > platform self-disclosure >
 * labeller > XMP > user rules > platform nature > heuristics.  Silence is "unknown", never "not AI".  Every string this
 * module hands out has passed the text sanitiser; scan results are cached by the media's SHA-256. */
#ifndef WINNOW_PROV_H
#define WINNOW_PROV_H

#include <stddef.h>
#include <stdint.h>

#include "item.h"
#include "util.h"

struct cJSON;
struct prov_badge;

/* ---- media scans ------------------------------------------------------------------------------ */

/* The C2PA validation state of one media file, worst news last among the failures. */
enum prov_state {
    PROV_NONE = 0,       /* no manifest store */
    PROV_REMOTE,         /* XMP points at a manifest elsewhere; not fetched */
    PROV_PRESENT,        /* a manifest that could not be fully checked (head of a file, unsupported
                            binding); its claims are shown as unverified */
    PROV_MALFORMED,      /* a store that cannot be read (truncated, oversized, corrupted) */
    PROV_INVALID,        /* a signature, hash or certificate check failed: failure says which */
    PROV_VALID,          /* every check passed; the signer does not chain to an anchor */
    PROV_TRUSTED,        /* every check passed and the chain reaches an anchor */
};

/* AI classes, ordered from least to most synthetic; the strongest claim of a source wins. */
enum prov_ai {
    PROV_AI_UNKNOWN = 0,
    PROV_AI_CAPTURE,     /* digitalCapture and edits of captures */
    PROV_AI_HUMAN,       /* made by people with software (digitalCreation, screenCapture, ...) */
    PROV_AI_ENHANCED,    /* algorithmicallyEnhanced: denoise, upscaling */
    PROV_AI_SYNTHETIC,   /* algorithmicMedia, compositeSynthetic: generated without a trained model */
    PROV_AI_EDITED,      /* compositeWithTrainedAlgorithmicMedia: generative fill, in/out-painting */
    PROV_AI_GENERATED,   /* trainedAlgorithmicMedia: generative AI */
};

/* Where an AI claim came from, in order of precedence (higher wins). */
enum prov_origin {
    PROV_FROM_NONE = 0,
    PROV_FROM_HEURISTIC,     /* e.g. a PNG text chunk a generator writes; weak */
    PROV_FROM_NATURE,        /* what the platform is: an AI-video app generates every post (an
                                inference from the site, never a disclosure) */
    PROV_FROM_USER,          /* the user's own rule */
    PROV_FROM_XMP,           /* IPTC DigitalSourceType in XMP (unsigned, forgeable) */
    PROV_FROM_LABELLER,      /* a Bluesky labeller the user honours */
    PROV_FROM_PLATFORM,      /* the poster's or platform's own disclosure */
    PROV_FROM_C2PA_UNVERIFIED, /* a manifest that is invalid or could not be checked */
    PROV_FROM_C2PA,          /* a valid (or trusted) manifest */
};

/* What one media scan found.  Plain data: cacheable, copyable. */
struct prov_media {
    char sha256[65];           /* of the scanned bytes, when they hold a manifest (the cache key) */
    char container[8];         /* "jpeg", "png", "webp", "bmff", "" when not recognised */
    int head_only;             /* the bytes were only the start of a longer file */
    enum prov_state state;
    char failure[64];          /* first failure as a C2PA status code ("assertion.dataHash.mismatch") */
    char failure_text[160];    /* the same for people */
    int manifests;             /* manifests in the store */
    int claim_version;         /* 1 or 2 */
    char manifest_label[128];  /* of the active manifest */
    char generator[128];       /* claim generator by the display rule */
    char title[128];
    char actions[192];         /* actions of the active manifest, "c2pa.opened, c2pa.edited" */
    char source_type[64];      /* digitalSourceType term ("trainedAlgorithmicMedia"): the strongest of
                                  the nearest manifest that has one (the active, else ingredients) */
    char source_where[24];     /* "active manifest", "ingredient", "vendor parameter" */
    char software_agent[96];   /* of the action that carried source_type */
    char ingredient_source_type[64]; /* a stronger one further down the ingredient chain, if any */
    char signer_org[128];      /* leaf certificate subject O */
    char signer_cn[128];       /* leaf certificate subject CN */
    char issuer_cn[128];       /* leaf certificate issuer CN */
    char cert_sha256[2][65];   /* leaf DER, last certificate of the x5chain */
    char alg[8];               /* "ES256", "PS256", "Ed25519", ... */
    int64_t signed_at;         /* Unix seconds from a matching timestamp, -1 none */
    int chain_trusted;         /* the signer chains to an anchor at signing time */
    char trust_note[128];      /* why not trusted, for people */
    /* XMP outside the manifest */
    char xmp_source_type[64];
    char xmp_ai_system[96];
    char xmp_provenance[256];  /* dcterms:provenance */
    int stripped_hint;         /* XMP names an embedded store that is not there */
    char heuristic[96];        /* a weak generator trace, e.g. a PNG "parameters" text chunk */
    /* added for issue 16 */
    char ingredient_untrusted[128]; /* the first ingredient whose signer is not trusted, and why;
                                       such a file is valid, never trusted (as c2pa-rs) */
    char identity[192];        /* CAWG identity assertion: who it names ("Silly Cats 929 (Example
                                  Social Network)", or an X.509 signer), set when its checks hold */
    char identity_code[64];    /* its first status code when not verified ("cawg.ica.did_unavailable") */
    char identity_note[128];   /* the same for people ("not checked (needs network): ...") */
    int tsa_untrusted;         /* a time stamp whose authority is not on the loaded TSA list */
};

/* The trust store: the official C2PA trust list plus the user's anchors, nothing else. */
struct prov_trust;

struct prov_trust *prov_trust_new(void);
void prov_trust_free(struct prov_trust *t);
/* Adds every certificate of a PEM file.  official marks the C2PA trust list.  Returns the number of
 * certificates added (0 is an error: "no certificate in FILE"), -1 when unreadable. */
int prov_trust_add_file(struct prov_trust *t, const char *path, int official, struct error *err);
int prov_trust_add_pem(struct prov_trust *t, const char *pem, size_t len, int official,
                       const char *name, struct error *err);
int prov_trust_count(const struct prov_trust *t, int official);
/* A hash of every anchor, so cached results made with other anchors are not reused. */
const char *prov_trust_fingerprint(const struct prov_trust *t);
/* Calls fn for each anchor: its O and CN, the SHA-256 of its DER, whether it is official. */
void prov_trust_each(const struct prov_trust *t,
                     void (*fn)(const char *org, const char *cn, const char *sha256, int official,
                                void *user),
                     void *user);

/* $XDG_DATA_HOME/winnow/trust/C2PA-TRUST-LIST.pem and the anchors directory beside it. */
char *prov_trust_list_path(void);
/* The C2PA TSA trust list (time stamping authorities), beside it: trust/C2PA-TSA-TRUST-LIST.pem.
 * With it loaded, a timestamp counts only when its authority chains to it; an untrusted one leaves
 * the signer judged at the current time (c2pa-rs: timeStamp.untrusted).  Without it, timestamps
 * count as before and trust_note says the authority was not checked. */
char *prov_tsa_list_path(void);
int prov_trust_add_tsa_file(struct prov_trust *t, const char *path, struct error *err);
int prov_trust_tsa_count(const struct prov_trust *t);
char *prov_trust_anchor_dir(void);

struct prov_rules;

/* The usual store: the downloaded C2PA list (when there is one), the anchors added with `winnow
 * trust add`, the anchors the rules name, and extra PEM files.  A missing list is not an error:
 * prov_trust_count(t, 1) == 0 tells the caller to say so. */
struct prov_trust *prov_trust_load(const struct prov_rules *rules, const char *const *extra,
                                   size_t n_extra, struct error *err);

struct prov_scan_opts {
    const struct prov_trust *trust;  /* NULL: signatures checked, nobody trusted */
    int head_only;                   /* the bytes are the start of a longer file */
    int64_t now;                     /* certificate time when there is no timestamp; 0 = time() */
    const char *cache_dir;           /* results cached here by SHA-256; NULL = no cache */
};

/* Scans len bytes of media.  Never fails: what cannot be read is PROV_MALFORMED with a reason.
 * Unrecognised bytes give PROV_NONE with an empty container.  Bytes without a manifest are only
 * walked (microseconds, whatever their size); a manifest is verified once and then found in the
 * cache by the bytes' SHA-256. */
void prov_scan(const void *data, size_t len, const struct prov_scan_opts *o, struct prov_media *out);

/* A scan's facts as text (key=value lines) and back, for storing them: parse returns 0, or -1
 * when the text is not such a record (the fields it has are kept, the rest zero). */
void prov_media_format(const struct prov_media *m, struct strbuf *out);
int prov_media_parse(const char *text, struct prov_media *m);
/* prov_scan over a file, mapped rather than read: the hashes stream through it and hand each
 * stretch back to the kernel behind them, so memory stays a window, whatever the file's size.
 * -1 (err says why) only when the file cannot be opened or mapped.  For files at rest: one that
 * another process truncates while it is scanned raises SIGBUS (use prov_scan on bytes for media
 * still being written). */
int prov_scan_file(const char *path, const struct prov_scan_opts *o, struct prov_media *m, struct error *err);

/* $XDG_CACHE_HOME/winnow/prov (malloc'd). */
char *prov_cache_dir(void);
/* Reads or writes one cached result; get returns 0 on a hit made with the same trust fingerprint. */
int prov_cache_get(const char *dir, const char *sha256, const char *trust_fp, struct prov_media *m);
int prov_cache_put(const char *dir, const char *trust_fp, const struct prov_media *m);

/* ---- platform signals -------------------------------------------------------------------------- */

enum prov_acct {
    PROV_ACCT_NONE = 0,
    PROV_ACCT_DOMAIN,     /* a Bluesky handle on the account's own domain */
    PROV_ACCT_LINKS,      /* Mastodon profile links verified by rel=me */
    PROV_ACCT_PLATFORM,   /* the platform's own verification */
    PROV_ACCT_USER,       /* in the user's trusted accounts */
};

#define PROV_MAX_LABELS 16

struct prov_label {
    char value[64];
    char source[96];      /* labeller DID, "self" (self-label) or "platform" */
    int ignored;          /* set by the badge: a labeller the user's rules do not honour */
};

struct prov_platform {
    char platform[24];
    char host[128];
    char account[160];     /* handle of the author */
    enum prov_acct acct;
    char acct_detail[160]; /* "alice.example.com", "links: Website, GitHub" */
    int bot;
    struct prov_label labels[PROV_MAX_LABELS];
    int n_labels;
    char flair[96];
    int original_content;  /* Reddit OC */
    int synthetic_media;   /* YouTube altered-or-synthetic disclosure */
    char ai_label[96];     /* a platform's own AI label text */
    char nature[96];       /* extra "platform_nature": "Sora generates every video" */
    int sensitive;         /* marked sensitive / NSFW */
    int logged_in;         /* fetched with the user's login (extra "logged_in"): what asks not to be
                              shown to logged-out readers is shown */
};

/* What a label value asks of a client, in words ("the author asks not to be shown to logged-out
 * readers" for !no-unauthenticated), or NULL for a label that only describes. */
const char *prov_label_meaning(const char *value);

/* Reads the platform fields of an item (labels "value" or "value@source", extra JSON). */
void prov_platform_from_item(const struct item *it, struct prov_platform *out);

/* ---- the user's rules: trusted signers, accounts, labellers, filters ------------------------- */

/* The user trust file ($XDG_CONFIG_HOME/winnow/trust, or WINNOW_TRUST_FILE), `key = value` lines:
 *   anchor = PATH.pem            another trust anchor
 *   trust_signer = sha256:HEX | O=Org[,CN=Name]     treat this signer as trusted
 *   distrust_signer = ...        never show this signer as trusted
 *   trust_account = HANDLE       e.g. @alice@example.social, alice.bsky.social, did:plc:...
 *   labeller = DID               honour this labeller (once one is named, only those named)
 *   ai_account = HANDLE CLASS    the user's own claim about an account's media
 *   hide = FILTER | only = FILTER   curation, see prov_filter_names
 * Unknown keys and bad values are errors with their line number. */
struct prov_rules *prov_rules_new(void);
void prov_rules_free(struct prov_rules *r);
int prov_rules_load(struct prov_rules *r, const char *path, int optional, struct error *err);
int prov_rules_parse(struct prov_rules *r, const char *text, const char *name, struct error *err);
char *prov_rules_path(void);   /* malloc'd */
size_t prov_rules_anchors(const struct prov_rules *r, const char *const **paths);
/* True when an item with this badge passes the user's hide/only filters. */
int prov_rules_allow(const struct prov_rules *r, const struct prov_badge *b);
/* 1 when the badge falls under the named filter (one of prov_filter_names), 0 when not, -1 for a
 * name that is not a filter. */
int prov_filter_hit(const struct prov_badge *b, const char *name);
/* The filters a badge falls under, bit i for prov_filter_names()[i]: what the store keeps of a
 * verdict so that hide/only and rules run in SQL. */
int64_t prov_filter_mask(const struct prov_badge *b);
/* The bit of a filter name, -1 when it is none. */
int prov_filter_index(const char *name);
/* The rules' hide and only filters as masks of the same bits. */
void prov_rules_masks(const struct prov_rules *r, int64_t *hide, int64_t *only);
/* "ai-generated", "ai-edited", "ai", "synthetic", "capture", "human-made", "ai-unknown",
 * "credentials-trusted", "credentials-valid", "credentials-invalid", "credentials-none",
 * "credentials-stripped", "bot", "conflict", "sensitive"; NULL-terminated. */
const char *const *prov_filter_names(void);

/* ---- the badge --------------------------------------------------------------------------------- */

/* Badge cell 1. */
enum prov_cred {
    PROV_CRED_NONE = 0,
    PROV_CRED_STRIPPED,   /* XMP says a manifest existed; none is there */
    PROV_CRED_PRESENT,    /* present, not checked (or a remote reference) */
    PROV_CRED_INVALID,    /* invalid or malformed: cred_detail says why */
    PROV_CRED_VALID,      /* valid, signer not trusted */
    PROV_CRED_TRUSTED,
    PROV_CRED_UNCHECKED,  /* the media is not checked yet (a scan waits) */
    PROV_CRED_UNAVAILABLE,/* the media could not be checked: cred_detail says why */
};

struct prov_claim {
    enum prov_ai ai;
    enum prov_origin origin;
    char detail[160];
};

#define PROV_MAX_CLAIMS 12

struct prov_badge {
    enum prov_cred cred;
    char cred_detail[160];
    enum prov_ai ai;
    enum prov_origin origin;
    char ai_detail[160];
    int conflict;                 /* one source says AI, another says capture or human-made */
    int signer_rule;              /* +1 trusted, -1 distrusted by the user's rules */
    struct prov_claim claims[PROV_MAX_CLAIMS];   /* every AI claim, strongest source first */
    int n_claims;
    int has_media, has_platform;
    struct prov_media media;
    struct prov_platform platform;
    /* Bluesky's moderation labels, as bsky.app applies them: why the item is withheld (the
     * author's !no-unauthenticated to a logged-out reader, !hide from a labeller the user
     * honours), and why it is shown behind a warning (!warn); "" when not. */
    char withheld[160];
    char warn[160];
};

/* What a badge comes to for curation: the facts its filters read (prov_filter_names), without
 * its text or its copies of the scan and the platform signals.  The refresh works one out for
 * every item it stores and shows none: prov_verdict_build is prov_badge_build's own pass without
 * the text, so the stored mask (prov_verdict_mask) is prov_filter_mask of the badge shown. */
struct prov_verdict {
    enum prov_cred cred;
    enum prov_ai ai;
    enum prov_origin origin;
    int conflict;
    int bot, sensitive;       /* the platform signals' */
    int withheld;             /* the badge's withheld is not "" */
    int has_media;            /* a scan was folded in */
};

/* Folds a media scan and platform signals (either may be NULL) under the user's rules (may be NULL). */
void prov_badge_build(struct prov_badge *b, const struct prov_media *m, const struct prov_platform *p,
                      const struct prov_rules *r);
/* Where no scan is there to fold in: says the media is not checked yet (pending), or could not be
 * checked and why (error).  Does nothing to a badge that has a scan. */
void prov_badge_scan_status(struct prov_badge *b, int pending, const char *error);
/* Shorthand: the item's platform signals plus an optional media scan. */
void prov_badge_for_item(struct prov_badge *b, const struct item *it, const struct prov_media *m,
                         const struct prov_rules *r);

/* The same as prov_badge_build, prov_badge_scan_status and prov_badge_for_item for the verdict
 * alone (no text is formatted, nothing large is cleared or copied). */
void prov_verdict_build(struct prov_verdict *v, const struct prov_media *m, const struct prov_platform *p,
                        const struct prov_rules *r);
void prov_verdict_scan_status(struct prov_verdict *v, int pending);
void prov_verdict_for_item(struct prov_verdict *v, const struct item *it, const struct prov_media *m,
                           const struct prov_rules *r);
/* The verdict of a built badge. */
void prov_badge_verdict(const struct prov_badge *b, struct prov_verdict *v);
/* The filters a verdict falls under: prov_filter_mask of its badge. */
int64_t prov_verdict_mask(const struct prov_verdict *v);

/* Styles the UI maps to theme colours. */
enum prov_style {
    PROV_STYLE_NONE = 0,     /* dim */
    PROV_STYLE_TRUSTED,      /* green bold */
    PROV_STYLE_VALID,        /* cyan */
    PROV_STYLE_PENDING,      /* yellow */
    PROV_STYLE_INVALID,      /* red bold */
    PROV_STYLE_STRIPPED,     /* dim yellow */
    PROV_STYLE_AI,           /* magenta */
    PROV_STYLE_SYNTH,        /* blue */
    PROV_STYLE_CAPTURE,      /* green */
    PROV_STYLE_HUMAN,        /* default */
    PROV_STYLE_CONFLICT,     /* red bold */
};
enum { PROV_ATTR_BOLD = 1, PROV_ATTR_REVERSE = 2, PROV_ATTR_DIM = 4, PROV_ATTR_UNDERLINE = 8 };

struct prov_cell {
    char glyph[8];           /* one column: UTF-8, or ASCII when asked */
    enum prov_style style;
    int attrs;               /* PROV_ATTR_*: bold = signed C2PA, dim+underline = heuristic */
};

/* The two cells of a row: credentials, AI class.  Returns a severity: 0 nothing to say, 1 info,
 * 2 worth a look (AI, stripped), 3 alarm (invalid credentials, conflict). */
int prov_badge_cells(const struct prov_badge *b, int ascii, struct prov_cell out[2]);

/* The detail view's lines, one fact per line, "Label     text\n". */
void prov_badge_lines(const struct prov_badge *b, int ascii, struct strbuf *out);

/* A JSON object (cJSON) with the same facts; the caller owns it. */
struct cJSON *prov_badge_json(const struct prov_badge *b);

/* Names for output and filters. */
const char *prov_state_name(enum prov_state s);   /* "none", "remote", "present", "malformed", ... */
const char *prov_cred_name(enum prov_cred c);     /* "trusted", "valid", "present", "invalid", ... */
const char *prov_ai_name(enum prov_ai a);         /* "generated", "ai-edited", "synthetic", ... */
const char *prov_origin_name(enum prov_origin o); /* "c2pa", "platform", "labeller", "xmp", ... */
/* Class of a digitalSourceType term or URI (last path segment, trimmed); UNKNOWN when not known. */
enum prov_ai prov_source_type_class(const char *term_or_uri);

#endif
