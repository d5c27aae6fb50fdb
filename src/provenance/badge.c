/* SPDX-License-Identifier: ISC */
/* The badge: every AI claim from every source, ranked by where it came from (verified C2PA >
 * invalid C2PA > the poster's or platform's disclosure > a labeller > XMP > the user's rules >
 * heuristics), the strongest source's class shown, disagreement flagged; and the three ways to show
 * it: two row cells, the detail view's lines, JSON. */
#include "prov_int.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

const char *prov_state_name(enum prov_state s)
{
    static const char *const n[] = {"none", "remote", "present", "malformed", "invalid", "valid", "trusted"};
    return (unsigned)s < sizeof n / sizeof n[0] ? n[s] : "none";
}

const char *prov_cred_name(enum prov_cred c)
{
    static const char *const n[] = {"none", "stripped", "present", "invalid", "valid", "trusted",
                                    "unchecked", "unavailable"};
    return (unsigned)c < sizeof n / sizeof n[0] ? n[c] : "none";
}

const char *prov_ai_name(enum prov_ai a)
{
    static const char *const n[] = {"unknown", "capture", "human-made", "enhanced", "synthetic", "ai-edited",
                                    "generated"};
    return (unsigned)a < sizeof n / sizeof n[0] ? n[a] : "unknown";
}

const char *prov_origin_name(enum prov_origin o)
{
    static const char *const n[] = {"none", "heuristic", "platform-nature", "user", "xmp", "labeller", "platform",
                                    "c2pa-unverified", "c2pa"};
    return (unsigned)o < sizeof n / sizeof n[0] ? n[o] : "none";
}

static int is_ai(enum prov_ai a) { return a >= PROV_AI_SYNTHETIC; }
static int is_real(enum prov_ai a) { return a == PROV_AI_CAPTURE || a == PROV_AI_HUMAN; }

/* One pass over the evidence makes the verdict, and the badge's text when a badge is wanted (the
 * refresh works out a verdict for every item it stores, and shows none of them): the two cannot
 * disagree, since the verdict's facts are the badge's. */
struct build {
    struct prov_verdict *v;
    struct prov_badge *b;        /* NULL: the verdict alone */
    int n_claims;                /* as many as the badge's list keeps */
    int any_ai, any_real;
};

static void add_claim(struct build *k, enum prov_ai ai, enum prov_origin o, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add_claim(struct build *k, enum prov_ai ai, enum prov_origin o, const char *fmt, ...)
{
    if (ai == PROV_AI_UNKNOWN || k->n_claims >= PROV_MAX_CLAIMS) return;
    /* the strongest source wins; of equal ones, the first to arrive (the list's first entry) */
    if (!k->n_claims || o > k->v->origin) {
        k->v->ai = ai;
        k->v->origin = o;
    }
    k->any_ai |= is_ai(ai);
    k->any_real |= is_real(ai);
    k->v->conflict = k->any_ai && k->any_real;
    k->n_claims++;
    struct prov_badge *b = k->b;
    if (!b) return;
    /* keep the list ordered by precedence; equal sources keep their order of arrival */
    int at = b->n_claims;
    while (at > 0 && b->claims[at - 1].origin < o) at--;
    memmove(&b->claims[at + 1], &b->claims[at], (size_t)(b->n_claims - at) * sizeof b->claims[0]);
    struct prov_claim *c = &b->claims[at];
    c->ai = ai;
    c->origin = o;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->detail, sizeof c->detail, fmt, ap);
    va_end(ap);
    b->n_claims++;
}

/* snprintf whose truncation is intended: details are cut to their cell */
static void bprintf(char *dst, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void bprintf(char *dst, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, cap, fmt, ap);
    va_end(ap);
}

static void fmt_time(int64_t t, char *out, size_t cap)
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (t < 0 || !gmtime_r(&tt, &tm)) {
        out[0] = 0;
        return;
    }
    strftime(out, cap, "%Y-%m-%d %H:%MZ", &tm);
}

static void media_claims(struct build *k, const struct prov_media *m)
{
    if (m->source_type[0]) {
        int ok = m->state == PROV_VALID || m->state == PROV_TRUSTED;
        add_claim(k, prov_source_type_class(m->source_type), ok ? PROV_FROM_C2PA : PROV_FROM_C2PA_UNVERIFIED,
                  "%s (%s%s%s)", m->source_type, m->source_where, m->software_agent[0] ? ", " : "",
                  m->software_agent);
    }
    if (m->ingredient_source_type[0])
        add_claim(k, prov_source_type_class(m->ingredient_source_type),
                  m->state == PROV_VALID || m->state == PROV_TRUSTED ? PROV_FROM_C2PA : PROV_FROM_C2PA_UNVERIFIED,
                  "%s (an ingredient's manifest)", m->ingredient_source_type);
    if (m->xmp_source_type[0])
        add_claim(k, prov_source_type_class(m->xmp_source_type), PROV_FROM_XMP, "XMP DigitalSourceType %s",
                  m->xmp_source_type);
    if (m->xmp_ai_system[0])
        add_claim(k, PROV_AI_GENERATED, PROV_FROM_XMP, "XMP AISystemUsed %s", m->xmp_ai_system);
    if (m->heuristic[0]) add_claim(k, PROV_AI_GENERATED, PROV_FROM_HEURISTIC, "%s", m->heuristic);
}

/* A label the badge shows as ignored: a labeller the user's rules do not honour. */
static void ignore_label(struct build *k, int i)
{
    if (k->b) k->b->platform.labels[i].ignored = 1;
}

static void platform_claims(struct build *k, const struct prov_platform *p, const struct prov_rules *r)
{
    if (p->synthetic_media)
        add_claim(k, PROV_AI_GENERATED, PROV_FROM_PLATFORM, "%s: altered or synthetic content disclosed",
                  p->platform[0] ? p->platform : "platform");
    /* inferred from the site the item lives on: nobody disclosed it */
    if (p->nature[0]) add_claim(k, PROV_AI_GENERATED, PROV_FROM_NATURE, "platform: %s (inferred from the site)", p->nature);
    if (p->ai_label[0]) add_claim(k, prov_text_class(p->ai_label), PROV_FROM_PLATFORM, "platform label \"%s\"", p->ai_label);
    if (p->flair[0]) add_claim(k, prov_text_class(p->flair), PROV_FROM_PLATFORM, "flair \"%s\"", p->flair);
    for (int i = 0; i < p->n_labels; i++) {
        const struct prov_label *l = &p->labels[i];
        enum prov_ai c = prov_label_class(l->value);
        if (c == PROV_AI_UNKNOWN) continue;
        if (!l->source[0] || !strcmp(l->source, "self"))
            add_claim(k, c, PROV_FROM_PLATFORM, "self-label %s", l->value);
        else if (!strcmp(l->source, "platform"))
            add_claim(k, c, PROV_FROM_PLATFORM, "platform label %s", l->value);
        else if (prov_rules_labeller_ok(r, l->source))
            add_claim(k, c, PROV_FROM_LABELLER, "label %s by %s", l->value, l->source);
        else
            ignore_label(k, i);
    }
    enum prov_ai u = prov_rules_account_class(r, p);
    if (u != PROV_AI_UNKNOWN) add_claim(k, u, PROV_FROM_USER, "your rule for %s", p->account);
}

/* Bluesky's moderation labels ("!" values), applied as bsky.app does for the reader winnow is:
 * logged out unless the feed was read with the user's login; a labeller's only when honoured. */
static void moderation(struct build *k, const struct prov_platform *p, const struct prov_rules *r)
{
    struct prov_badge *b = k->b;
    for (int i = 0; i < p->n_labels; i++) {
        const struct prov_label *l = &p->labels[i];
        if (l->value[0] != '!') continue;
        int self = !l->source[0] || !strcmp(l->source, "self");
        const char *who = self ? "the author" : !strcmp(l->source, "platform") ? "the platform" : l->source;
        int honoured = self || !strcmp(l->source, "platform") || prov_rules_labeller_ok(r, l->source);
        if (!strcmp(l->value, "!no-unauthenticated") && self) {
            if (!p->logged_in && !k->v->withheld) {
                k->v->withheld = 1;
                if (b) bprintf(b->withheld, sizeof b->withheld, "the author asks not to be shown to logged-out readers");
            }
        } else if (!honoured) {
            ignore_label(k, i);
        } else if ((!strcmp(l->value, "!hide") || !strcmp(l->value, "!takedown")) && !k->v->withheld) {
            k->v->withheld = 1;
            if (b)
                bprintf(b->withheld, sizeof b->withheld, "%s by %.96s (%s)",
                        !strcmp(l->value, "!hide") ? "hidden" : "taken down", who, l->value);
        } else if (b && !strcmp(l->value, "!warn") && !b->warn[0]) {
            bprintf(b->warn, sizeof b->warn, "a warning from %.96s (!warn)", who);
        }
    }
}

void prov_badge_scan_status(struct prov_badge *b, int pending, const char *error)
{
    if (b->has_media) return;
    struct prov_verdict v = {.cred = b->cred};
    prov_verdict_scan_status(&v, pending);
    b->cred = v.cred;
    if (pending) bprintf(b->cred_detail, sizeof b->cred_detail, "not checked yet");
    else bprintf(b->cred_detail, sizeof b->cred_detail, "could not check: %s", error && *error ? error : "unknown error");
}

void prov_verdict_scan_status(struct prov_verdict *v, int pending)
{
    if (v->has_media) return;
    v->cred = pending ? PROV_CRED_UNCHECKED : PROV_CRED_UNAVAILABLE;
}

static enum prov_cred media_cred(const struct prov_media *m, const struct prov_rules *r, int *signer_rule)
{
    enum prov_cred c = PROV_CRED_NONE;
    switch (m->state) {
    case PROV_NONE: c = m->stripped_hint ? PROV_CRED_STRIPPED : PROV_CRED_NONE; break;
    case PROV_REMOTE: case PROV_PRESENT: c = PROV_CRED_PRESENT; break;
    case PROV_MALFORMED: case PROV_INVALID: c = PROV_CRED_INVALID; break;
    case PROV_VALID: c = PROV_CRED_VALID; break;
    case PROV_TRUSTED: c = PROV_CRED_TRUSTED; break;
    }
    *signer_rule = 0;
    if (c == PROV_CRED_VALID || c == PROV_CRED_TRUSTED) {
        *signer_rule = prov_rules_signer(r, m);
        if (*signer_rule > 0) c = PROV_CRED_TRUSTED;
        if (*signer_rule < 0) c = PROV_CRED_VALID;
    }
    return c;
}

static void cred_text(struct prov_badge *b, const struct prov_media *m)
{
    char when[32];
    fmt_time(m->signed_at, when, sizeof when);
    const char *who = m->signer_org[0] ? m->signer_org : m->signer_cn;
    switch (b->cred) {
    case PROV_CRED_TRUSTED: case PROV_CRED_VALID:
        bprintf(b->cred_detail, sizeof b->cred_detail, "%s: signed by %s%s%s",
                b->cred == PROV_CRED_TRUSTED ? "trusted" : "valid, signer not trusted",
                who[0] ? who : "an unnamed signer", when[0] ? " at " : "", when);
        break;
    case PROV_CRED_INVALID:
        bprintf(b->cred_detail, sizeof b->cred_detail, "%s: %s", m->state == PROV_MALFORMED ? "malformed" :
                 "invalid", m->failure_text[0] ? m->failure_text : m->failure);
        break;
    case PROV_CRED_PRESENT:
        bprintf(b->cred_detail, sizeof b->cred_detail, "%s", m->state == PROV_REMOTE ?
                 "a remote manifest is referenced (not fetched)" : "present, not checked");
        if (m->failure_text[0] && m->state == PROV_PRESENT) {
            size_t l = strlen(b->cred_detail);
            bprintf(b->cred_detail + l, sizeof b->cred_detail - l, ": %s", m->failure_text);
        }
        break;
    case PROV_CRED_STRIPPED:
        bprintf(b->cred_detail, sizeof b->cred_detail, "the XMP names a manifest that is not there (removed?)");
        break;
    case PROV_CRED_NONE:
    case PROV_CRED_UNCHECKED:
    case PROV_CRED_UNAVAILABLE:   /* only prov_badge_scan_status sets these, without a scan */
        bprintf(b->cred_detail, sizeof b->cred_detail, "no content credentials");
        break;
    }
}

static void build(struct build *k, const struct prov_media *m, const struct prov_platform *p,
                  const struct prov_rules *r)
{
    struct prov_verdict *v = k->v;
    struct prov_badge *b = k->b;
    memset(v, 0, sizeof *v);
    if (m) {
        int signer_rule;
        v->has_media = 1;
        v->cred = media_cred(m, r, &signer_rule);
        if (b) {
            b->has_media = 1;
            b->media = *m;
            b->cred = v->cred;
            b->signer_rule = signer_rule;
            cred_text(b, m);
        }
        media_claims(k, m);
    }
    if (p) {
        v->bot = p->bot != 0;
        v->sensitive = p->sensitive != 0;
        if (b) {
            b->has_platform = 1;
            b->platform = *p;
            if (prov_rules_account_trusted(r, p)) {
                b->platform.acct = PROV_ACCT_USER;
                bprintf(b->platform.acct_detail, sizeof b->platform.acct_detail, "in your trusted accounts");
            }
        }
        platform_claims(k, p, r);
        moderation(k, p, r);
    }
    if (b) {
        b->ai = v->ai;
        b->origin = v->origin;
        b->conflict = v->conflict;
        if (b->n_claims) bprintf(b->ai_detail, sizeof b->ai_detail, "%s", b->claims[0].detail);
    }
}

void prov_badge_build(struct prov_badge *b, const struct prov_media *m, const struct prov_platform *p,
                      const struct prov_rules *r)
{
    memset(b, 0, sizeof *b);
    struct prov_verdict v;
    struct build k = {.v = &v, .b = b};
    build(&k, m, p, r);
}

void prov_verdict_build(struct prov_verdict *v, const struct prov_media *m, const struct prov_platform *p,
                        const struct prov_rules *r)
{
    struct build k = {.v = v};
    build(&k, m, p, r);
}

void prov_badge_for_item(struct prov_badge *b, const struct item *it, const struct prov_media *m,
                         const struct prov_rules *r)
{
    struct prov_platform p;
    prov_platform_from_item(it, &p);
    prov_badge_build(b, m, &p, r);
}

void prov_verdict_for_item(struct prov_verdict *v, const struct item *it, const struct prov_media *m,
                           const struct prov_rules *r)
{
    struct prov_platform p;
    prov_platform_from_item(it, &p);
    prov_verdict_build(v, m, &p, r);
}

void prov_badge_verdict(const struct prov_badge *b, struct prov_verdict *v)
{
    memset(v, 0, sizeof *v);
    v->cred = b->cred;
    v->ai = b->ai;
    v->origin = b->origin;
    v->conflict = b->conflict;
    v->bot = b->has_platform && b->platform.bot;
    v->sensitive = b->has_platform && b->platform.sensitive;
    v->withheld = b->withheld[0] != 0;
    v->has_media = b->has_media;
}

int prov_badge_cells(const struct prov_badge *b, int ascii, struct prov_cell out[2])
{
    static const struct { const char *u, *a; enum prov_style st; int attrs; } CRED[] = {
        [PROV_CRED_NONE] = {"\xe2\x8b\x85", ".", PROV_STYLE_NONE, PROV_ATTR_DIM},          /* ⋅ */
        [PROV_CRED_STRIPPED] = {"\xe2\x8c\x80", "/", PROV_STYLE_STRIPPED, PROV_ATTR_DIM},  /* ⌀ */
        [PROV_CRED_PRESENT] = {"\xe2\x97\x8c", "?", PROV_STYLE_PENDING, 0},                /* ◌ */
        [PROV_CRED_INVALID] = {"\xe2\x9c\x97", "X", PROV_STYLE_INVALID, PROV_ATTR_BOLD},   /* ✗ */
        [PROV_CRED_VALID] = {"\xe2\x9c\x93", "v", PROV_STYLE_VALID, 0},                    /* ✓ */
        [PROV_CRED_TRUSTED] = {"\xe2\x9c\x94", "V", PROV_STYLE_TRUSTED, PROV_ATTR_BOLD},   /* ✔ */
    };
    static const struct { const char *u, *a; enum prov_style st; } AI[] = {
        [PROV_AI_UNKNOWN] = {" ", " ", PROV_STYLE_NONE},
        [PROV_AI_CAPTURE] = {"\xe2\x97\x89", "C", PROV_STYLE_CAPTURE},     /* ◉ */
        [PROV_AI_HUMAN] = {"\xe2\x9c\x8e", "h", PROV_STYLE_HUMAN},         /* ✎ */
        [PROV_AI_ENHANCED] = {"\xe2\x88\xbf", "s", PROV_STYLE_SYNTH},      /* ∿ */
        [PROV_AI_SYNTHETIC] = {"\xe2\x88\xbf", "s", PROV_STYLE_SYNTH},
        [PROV_AI_EDITED] = {"\xe2\x9c\xa7", "g", PROV_STYLE_AI},           /* ✧ */
        [PROV_AI_GENERATED] = {"\xe2\x9c\xa6", "G", PROV_STYLE_AI},        /* ✦ */
    };
    const enum prov_cred c = b->cred <= PROV_CRED_TRUSTED ? b->cred : PROV_CRED_NONE;
    snprintf(out[0].glyph, sizeof out[0].glyph, "%s", ascii ? CRED[c].a : CRED[c].u);
    out[0].style = CRED[c].st;
    out[0].attrs = CRED[c].attrs;
    if (b->cred == PROV_CRED_UNCHECKED || b->cred == PROV_CRED_UNAVAILABLE) {
        /* no verdict yet, or none to be had: quiet marks that are not "none" */
        int wait = b->cred == PROV_CRED_UNCHECKED;
        snprintf(out[0].glyph, sizeof out[0].glyph, "%s",
                 ascii ? (wait ? "~" : "#") : (wait ? "\xe2\x80\xa6" : "\xe2\x80\xbd"));   /* … ‽ */
        out[0].style = wait ? PROV_STYLE_NONE : PROV_STYLE_PENDING;
        out[0].attrs = PROV_ATTR_DIM;
    }

    enum prov_ai a = b->ai <= PROV_AI_GENERATED ? b->ai : PROV_AI_UNKNOWN;
    /* a capture claim is only worth a glyph when a valid signature backs it: anyone can write XMP */
    if (a == PROV_AI_CAPTURE && b->origin != PROV_FROM_C2PA) a = PROV_AI_UNKNOWN;
    if (b->conflict) {
        snprintf(out[1].glyph, sizeof out[1].glyph, "!");
        out[1].style = PROV_STYLE_CONFLICT;
        out[1].attrs = PROV_ATTR_BOLD;
    } else {
        snprintf(out[1].glyph, sizeof out[1].glyph, "%s", ascii ? AI[a].a : AI[a].u);
        out[1].style = AI[a].st;
        out[1].attrs = 0;
        if (b->origin == PROV_FROM_C2PA) out[1].attrs |= PROV_ATTR_BOLD;
        if (b->origin == PROV_FROM_C2PA && a == PROV_AI_GENERATED) out[1].attrs |= PROV_ATTR_REVERSE;
        if (b->origin == PROV_FROM_C2PA_UNVERIFIED) out[1].attrs |= PROV_ATTR_UNDERLINE;
        if (b->origin == PROV_FROM_HEURISTIC) out[1].attrs |= PROV_ATTR_DIM | PROV_ATTR_UNDERLINE;
    }
    if (c == PROV_CRED_INVALID || b->conflict) return 3;
    if (is_ai(a) || c == PROV_CRED_STRIPPED) return 2;
    if (c != PROV_CRED_NONE || a != PROV_AI_UNKNOWN || (b->has_platform && b->platform.bot)) return 1;
    return 0;
}

static void line(struct strbuf *out, const char *label, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void line(struct strbuf *out, const char *label, const char *fmt, ...)
{
    va_list ap;
    sb_printf(out, "%-10s", label);
    va_start(ap, fmt);
    char buf[512];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    sb_adds(out, buf);
    sb_addc(out, '\n');
}

static const char *acct_name(enum prov_acct a)
{
    static const char *const n[] = {"", "domain-verified", "links verified", "verified", "trusted by you"};
    return (unsigned)a < sizeof n / sizeof n[0] ? n[a] : "";
}

void prov_badge_lines(const struct prov_badge *b, int ascii, struct strbuf *out)
{
    struct prov_cell cells[2];
    prov_badge_cells(b, ascii, cells);
    if (b->has_platform) {
        const struct prov_platform *p = &b->platform;
        if (p->platform[0] || p->host[0])
            line(out, "Source", "%s%s%s", p->platform, p->platform[0] && p->host[0] ? " | " : "", p->host);
        if (p->account[0] || p->acct || p->bot)
            line(out, "Account", "%s%s%s%s%s", p->account, p->acct ? " (" : "", acct_name(p->acct),
                 p->acct ? ")" : "", p->bot ? " [bot]" : "");
        if (p->acct_detail[0]) line(out, "", "%s", p->acct_detail);
        for (int i = 0; i < p->n_labels; i++) {
            const struct prov_label *l = &p->labels[i];
            const char *means = prov_label_meaning(l->value);
            line(out, i ? "" : "Labels", "%s%s%s%s%s%s%s", l->value, l->source[0] ? " (" : "",
                 !strcmp(l->source, "self") ? "self-label" : l->source, l->source[0] ? ")" : "",
                 means ? ": " : "", means ? means : "", l->ignored ? " ignored: not a labeller you honour" : "");
        }
        if (p->flair[0]) line(out, "Flair", "%s%s", p->flair, p->original_content ? " | original content" : "");
        else if (p->original_content) line(out, "Flair", "original content");
        if (p->sensitive) line(out, "Content", "marked sensitive");
        if (b->withheld[0]) line(out, "Withheld", "%s%s", b->withheld, p->logged_in ? "" : " (winnow reads logged out)");
        if (b->warn[0]) line(out, "Warning", "%s", b->warn);
    }
    if (!b->has_media && (b->cred == PROV_CRED_UNCHECKED || b->cred == PROV_CRED_UNAVAILABLE))
        line(out, "Creds", "%s %s", cells[0].glyph, b->cred_detail);
    if (b->has_media) {
        const struct prov_media *m = &b->media;
        line(out, "Creds", "%s %s", cells[0].glyph, b->cred_detail);
        if (m->state != PROV_NONE && m->state != PROV_REMOTE) {
            if (m->signer_org[0] || m->signer_cn[0])
                line(out, "Signer", "%s%s%s%s%s%s", m->signer_org, m->signer_org[0] && m->signer_cn[0] ? " / " : "",
                     m->signer_cn, m->alg[0] ? " | " : "", m->alg,
                     b->signer_rule > 0 ? " | trusted by your rule" : b->signer_rule < 0 ? " | distrusted by your rule" : "");
            if (m->trust_note[0] && b->cred != PROV_CRED_TRUSTED) line(out, "Trust", "%s", m->trust_note);
            /* who the credential says made it: the fact a reader most wants, marked as checked or not */
            if (m->identity[0] && !m->identity_code[0]) line(out, "Identity", "%s | %s", m->identity, m->identity_note);
            else if (m->identity[0]) line(out, "Identity", "%s | not verified: %s", m->identity, m->identity_note);
            else if (m->identity_code[0]) line(out, "Identity", "not verified: %s (%s)", m->identity_note, m->identity_code);
            if (m->generator[0]) line(out, "Generator", "%s", m->generator);
            if (m->actions[0]) line(out, "Actions", "%s", m->actions);
            if (m->manifests > 1) line(out, "Manifests", "%d (the last one is active)", m->manifests);
        }
        if (m->xmp_source_type[0] || m->xmp_ai_system[0])
            line(out, "XMP", "%s%s%s", m->xmp_source_type, m->xmp_source_type[0] && m->xmp_ai_system[0] ? " | " : "",
                 m->xmp_ai_system);
        if (m->xmp_provenance[0]) line(out, "XMP link", "%s", m->xmp_provenance);
    }
    if (b->n_claims) {
        line(out, "AI", "%s %s, from %s: %s", cells[1].glyph, prov_ai_name(b->ai), prov_origin_name(b->origin),
             b->ai_detail);
        for (int i = 1; i < b->n_claims; i++)
            line(out, "", "also %s, from %s: %s", prov_ai_name(b->claims[i].ai), prov_origin_name(b->claims[i].origin),
                 b->claims[i].detail);
    } else {
        line(out, "AI", "unknown (no source says; that is not \"not AI\")");
    }
    if (b->conflict) line(out, "Conflict", "the sources disagree about AI; the strongest is shown");
}

static void add_str(cJSON *o, const char *k, const char *v)
{
    if (v && *v) cJSON_AddStringToObject(o, k, v);
    else cJSON_AddNullToObject(o, k);
}

cJSON *prov_badge_json(const struct prov_badge *b)
{
    cJSON *o = cJSON_CreateObject();
    struct prov_cell u[2], a[2];
    prov_badge_cells(b, 0, u);
    prov_badge_cells(b, 1, a);
    char cells[24];
    snprintf(cells, sizeof cells, "%s%s", u[0].glyph, u[1].glyph);
    cJSON_AddStringToObject(o, "cells", cells);
    snprintf(cells, sizeof cells, "%s%s", a[0].glyph, a[1].glyph);
    cJSON_AddStringToObject(o, "cells_ascii", cells);
    cJSON_AddStringToObject(o, "credentials", prov_cred_name(b->cred));
    add_str(o, "credentials_detail", b->cred_detail);
    cJSON *ai = cJSON_AddObjectToObject(o, "ai");
    cJSON_AddStringToObject(ai, "class", prov_ai_name(b->ai));
    cJSON_AddStringToObject(ai, "origin", prov_origin_name(b->origin));
    add_str(ai, "detail", b->ai_detail);
    cJSON_AddBoolToObject(o, "conflict", b->conflict);
    cJSON *cl = cJSON_AddArrayToObject(o, "claims");
    for (int i = 0; i < b->n_claims; i++) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "class", prov_ai_name(b->claims[i].ai));
        cJSON_AddStringToObject(c, "origin", prov_origin_name(b->claims[i].origin));
        cJSON_AddStringToObject(c, "detail", b->claims[i].detail);
        cJSON_AddItemToArray(cl, c);
    }
    if (b->has_media) {
        const struct prov_media *m = &b->media;
        cJSON_AddStringToObject(o, "state", prov_state_name(m->state));
        cJSON_AddBoolToObject(o, "manifest", m->state != PROV_NONE && m->state != PROV_REMOTE);
        add_str(o, "failure", m->failure);
        add_str(o, "failure_text", m->failure_text);
        add_str(o, "container", m->container);
        cJSON_AddBoolToObject(o, "head_only", m->head_only);
        cJSON_AddNumberToObject(o, "manifests", m->manifests);
        if (m->claim_version) cJSON_AddNumberToObject(o, "claim_version", m->claim_version);
        else cJSON_AddNullToObject(o, "claim_version");
        add_str(o, "manifest_label", m->manifest_label);
        add_str(o, "generator", m->generator);
        add_str(o, "title", m->title);
        add_str(o, "actions", m->actions);
        add_str(o, "source_type", m->source_type);
        add_str(o, "source_where", m->source_where);
        add_str(o, "software_agent", m->software_agent);
        add_str(o, "ingredient_source_type", m->ingredient_source_type);
        add_str(o, "signer_org", m->signer_org);
        add_str(o, "signer_cn", m->signer_cn);
        add_str(o, "issuer_cn", m->issuer_cn);
        add_str(o, "signer_sha256", m->cert_sha256[0]);
        add_str(o, "alg", m->alg);
        char t[32] = "";
        if (m->signed_at >= 0) {
            struct tm tm;
            time_t tt = (time_t)m->signed_at;
            gmtime_r(&tt, &tm);
            strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%SZ", &tm);
        }
        add_str(o, "signed_at", t);
        cJSON_AddBoolToObject(o, "trusted_chain", m->chain_trusted);
        add_str(o, "trust_note", m->trust_note);
        add_str(o, "ingredient_untrusted", m->ingredient_untrusted);
        add_str(o, "identity", m->identity);
        add_str(o, "identity_code", m->identity_code);
        add_str(o, "identity_note", m->identity_note);
        add_str(o, "signer_rule", b->signer_rule > 0 ? "trusted" : b->signer_rule < 0 ? "distrusted" : NULL);
        cJSON_AddBoolToObject(o, "stripped_hint", m->stripped_hint);
        cJSON *x = cJSON_AddObjectToObject(o, "xmp");
        add_str(x, "source_type", m->xmp_source_type);
        add_str(x, "ai_system", m->xmp_ai_system);
        add_str(x, "provenance", m->xmp_provenance);
        add_str(o, "heuristic", m->heuristic);
        add_str(o, "sha256", m->sha256);
    }
    if (b->has_platform) {
        const struct prov_platform *p = &b->platform;
        cJSON *po = cJSON_AddObjectToObject(o, "platform");
        add_str(po, "platform", p->platform);
        add_str(po, "host", p->host);
        add_str(po, "account", p->account);
        add_str(po, "account_verification", p->acct ? acct_name(p->acct) : NULL);
        add_str(po, "account_detail", p->acct_detail);
        cJSON_AddBoolToObject(po, "bot", p->bot);
        cJSON *la = cJSON_AddArrayToObject(po, "labels");
        for (int i = 0; i < p->n_labels; i++) {
            cJSON *l = cJSON_CreateObject();
            cJSON_AddStringToObject(l, "value", p->labels[i].value);
            add_str(l, "source", p->labels[i].source);
            cJSON_AddBoolToObject(l, "ignored", p->labels[i].ignored);
            cJSON_AddItemToArray(la, l);
        }
        add_str(po, "flair", p->flair);
        cJSON_AddBoolToObject(po, "original_content", p->original_content);
        cJSON_AddBoolToObject(po, "synthetic_media", p->synthetic_media);
        add_str(po, "ai_label", p->ai_label);
        add_str(po, "platform_nature", p->nature);
        cJSON_AddBoolToObject(po, "sensitive", p->sensitive);
    }
    return o;
}
