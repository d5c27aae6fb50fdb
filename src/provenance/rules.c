/* SPDX-License-Identifier: ISC */
/* The user's trust file: which signers and accounts to trust, which labellers to honour, the
 * user's own claims about accounts, and the hide/only filters.  Same grammar as the main config
 * (`key = value`, # comments) and the same house rule: an unknown key is an error with its line. */
#include "prov_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct signer_rule {
    int trust;              /* +1 trust, -1 distrust */
    char sha[65];
    char org[128], cn[128];
};

struct ai_rule {
    char account[160];
    enum prov_ai ai;
};

struct prov_rules {
    char **anchors;
    size_t n_anchors;
    struct signer_rule *signers;
    size_t n_signers;
    char **accounts;
    size_t n_accounts;
    char **labellers;
    size_t n_labellers;
    struct ai_rule *ai;
    size_t n_ai;
    unsigned hide, only;    /* bit i = FILTERS[i] */
};

static const char *const FILTERS[] = {
    "ai-generated", "ai-edited", "ai", "synthetic", "capture", "human-made", "ai-unknown",
    "credentials-trusted", "credentials-valid", "credentials-invalid", "credentials-none",
    "credentials-stripped", "bot", "conflict", "sensitive", "withheld", NULL,
};

const char *const *prov_filter_names(void) { return FILTERS; }

struct prov_rules *prov_rules_new(void) { return xcalloc(1, sizeof(struct prov_rules)); }

static void free_list(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++) free(l[i]);
    free(l);
}

void prov_rules_free(struct prov_rules *r)
{
    if (!r) return;
    free_list(r->anchors, r->n_anchors);
    free_list(r->accounts, r->n_accounts);
    free_list(r->labellers, r->n_labellers);
    free(r->signers);
    free(r->ai);
    free(r);
}

static void push(char ***l, size_t *n, const char *s)
{
    *l = xrealloc(*l, (*n + 1) * sizeof **l);
    (*l)[(*n)++] = xstrdup(s);
}

size_t prov_rules_anchors(const struct prov_rules *r, const char *const **paths)
{
    *paths = (const char *const *)r->anchors;
    return r->n_anchors;
}

/* "sha256:HEX", or "O=Org[,CN=Name]" / "CN=Name" (an organisation may itself hold commas, as in
 * "Amazon Web Services, Inc.", so CN is found by its own key). */
static int parse_signer(const char *v, struct signer_rule *s)
{
    memset(s, 0, sizeof *s);
    if (!strncasecmp(v, "sha256:", 7)) {
        const char *h = v + 7;
        if (strlen(h) != 64) return -1;
        for (int i = 0; i < 64; i++) {
            if (!isxdigit((unsigned char)h[i])) return -1;
            s->sha[i] = (char)tolower((unsigned char)h[i]);
        }
        return 0;
    }
    const char *cn = NULL;
    if (!strncmp(v, "CN=", 3)) cn = v + 3;
    else if (!strncmp(v, "O=", 2)) {
        const char *o = v + 2;
        const char *c = strstr(o, ",CN=");
        const char *c2 = strstr(o, ", CN=");
        size_t ol;
        if (c2 && (!c || c2 < c)) { ol = (size_t)(c2 - o); cn = c2 + 5; }
        else if (c) { ol = (size_t)(c - o); cn = c + 4; }
        else ol = strlen(o);
        if (!ol || ol >= sizeof s->org) return -1;
        memcpy(s->org, o, ol);
    } else {
        return -1;
    }
    if (cn) {
        if (!*cn || strlen(cn) >= sizeof s->cn) return -1;
        snprintf(s->cn, sizeof s->cn, "%s", cn);
    }
    return 0;
}

static int filter_bit(const char *name)
{
    for (int i = 0; FILTERS[i]; i++)
        if (!strcmp(FILTERS[i], name)) return i;
    return -1;
}

static enum prov_ai class_by_name(const char *s)
{
    if (!strcmp(s, "generated") || !strcmp(s, "ai-generated")) return PROV_AI_GENERATED;
    if (!strcmp(s, "ai-edited") || !strcmp(s, "edited")) return PROV_AI_EDITED;
    if (!strcmp(s, "synthetic")) return PROV_AI_SYNTHETIC;
    if (!strcmp(s, "enhanced")) return PROV_AI_ENHANCED;
    if (!strcmp(s, "human-made") || !strcmp(s, "human")) return PROV_AI_HUMAN;
    if (!strcmp(s, "capture")) return PROV_AI_CAPTURE;
    return PROV_AI_UNKNOWN;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) s[--n] = 0;
    return s;
}

int prov_rules_parse(struct prov_rules *r, const char *text, const char *name, struct error *err)
{
    char *copy = xstrdup(text);
    int lineno = 0, rc = 0;
    for (char *line = copy, *next; line && rc == 0; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = 0;
        lineno++;
        char *hash = strchr(line, '#');
        if (hash) *hash = 0;
        char *l = trim(line);
        if (!*l) continue;
        char *eq = strchr(l, '=');
        if (!eq) {
            error_set(err, "%s:%d: expected key = value", name, lineno);
            rc = -1;
            break;
        }
        *eq = 0;
        char *key = trim(l), *val = trim(eq + 1);
        if (!*val) {
            error_set(err, "%s:%d: %s needs a value", name, lineno, key);
            rc = -1;
        } else if (!strcmp(key, "anchor")) {
            if (val[0] == '~' && val[1] == '/') {
                struct strbuf b;
                sb_init(&b);
                const char *home = getenv("HOME");
                sb_printf(&b, "%s/%s", home ? home : ".", val + 2);
                push(&r->anchors, &r->n_anchors, b.s);
                sb_free(&b);
            } else {
                push(&r->anchors, &r->n_anchors, val);
            }
        } else if (!strcmp(key, "trust_signer") || !strcmp(key, "distrust_signer")) {
            struct signer_rule s;
            if (parse_signer(val, &s) < 0) {
                error_set(err, "%s:%d: %s wants sha256:HEX or O=Organisation[,CN=Name]", name, lineno, key);
                rc = -1;
            } else {
                s.trust = key[0] == 't' ? 1 : -1;
                r->signers = xrealloc(r->signers, (r->n_signers + 1) * sizeof *r->signers);
                r->signers[r->n_signers++] = s;
            }
        } else if (!strcmp(key, "trust_account")) {
            push(&r->accounts, &r->n_accounts, val[0] == '@' ? val + 1 : val);
        } else if (!strcmp(key, "labeller") || !strcmp(key, "labeler")) {
            push(&r->labellers, &r->n_labellers, val);
        } else if (!strcmp(key, "ai_account")) {
            char *sp = strrchr(val, ' ');
            enum prov_ai cls = sp ? class_by_name(trim(sp + 1)) : PROV_AI_UNKNOWN;
            if (!sp || cls == PROV_AI_UNKNOWN) {
                error_set(err, "%s:%d: ai_account wants HANDLE CLASS (generated, ai-edited, synthetic, "
                          "enhanced, human-made, capture)", name, lineno);
                rc = -1;
            } else {
                *sp = 0;
                char *acct = trim(val);
                if (*acct == '@') acct++;
                r->ai = xrealloc(r->ai, (r->n_ai + 1) * sizeof *r->ai);
                snprintf(r->ai[r->n_ai].account, sizeof r->ai[r->n_ai].account, "%s", acct);
                r->ai[r->n_ai++].ai = cls;
            }
        } else if (!strcmp(key, "hide") || !strcmp(key, "only")) {
            int bit = filter_bit(val);
            if (bit < 0) {
                error_set(err, "%s:%d: no filter \"%s\" (winnow help trust lists them)", name, lineno, val);
                rc = -1;
            } else if (key[0] == 'h') {
                r->hide |= 1u << bit;
            } else {
                r->only |= 1u << bit;
            }
        } else {
            error_set(err, "%s:%d: unknown key \"%s\"", name, lineno, key);
            rc = -1;
        }
    }
    free(copy);
    return rc;
}

int prov_rules_load(struct prov_rules *r, const char *path, int optional, struct error *err)
{
    char *buf;
    size_t len;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (optional) return 0;
        error_set(err, "cannot open %s", path);
        return -1;
    }
    fclose(f);
    if (read_file(path, 1u << 20, &buf, &len, err) < 0) return -1;
    int rc = prov_rules_parse(r, buf, path, err);
    free(buf);
    return rc;
}

int prov_rules_signer(const struct prov_rules *r, const struct prov_media *m)
{
    int verdict = 0;
    for (size_t i = 0; r && i < r->n_signers; i++) {
        const struct signer_rule *s = &r->signers[i];
        int hit;
        if (s->sha[0]) hit = !strcmp(s->sha, m->cert_sha256[0]) || !strcmp(s->sha, m->cert_sha256[1]);
        else hit = (!s->org[0] || !strcmp(s->org, m->signer_org)) && (!s->cn[0] || !strcmp(s->cn, m->signer_cn)) &&
                   (s->org[0] || s->cn[0]);
        if (!hit) continue;
        if (s->trust < 0) return -1;     /* distrust beats trust */
        verdict = 1;
    }
    return verdict;
}

/* "alice@example.social" matches the handle "alice" on host example.social, and itself. */
static int account_is(const char *rule, const struct prov_platform *p)
{
    const char *a = p->account[0] == '@' ? p->account + 1 : p->account;
    if (!*a) return 0;
    if (!strcasecmp(rule, a)) return 1;
    const char *at = strchr(rule, '@');
    if (at && !strchr(a, '@') && p->host[0] && (size_t)(at - rule) == strlen(a) &&
        !strncasecmp(rule, a, strlen(a)) && !strcasecmp(at + 1, p->host))
        return 1;
    return 0;
}

int prov_rules_account_trusted(const struct prov_rules *r, const struct prov_platform *p)
{
    for (size_t i = 0; r && i < r->n_accounts; i++)
        if (account_is(r->accounts[i], p)) return 1;
    return 0;
}

enum prov_ai prov_rules_account_class(const struct prov_rules *r, const struct prov_platform *p)
{
    for (size_t i = 0; r && i < r->n_ai; i++)
        if (account_is(r->ai[i].account, p)) return r->ai[i].ai;
    return PROV_AI_UNKNOWN;
}

int prov_rules_labeller_ok(const struct prov_rules *r, const char *did)
{
    if (!r || !r->n_labellers) return 1;
    for (size_t i = 0; i < r->n_labellers; i++)
        if (!strcmp(r->labellers[i], did)) return 1;
    return 0;
}

/* Bit i for FILTERS[i] (the refresh works out every filter for every item it stores). */
int64_t prov_verdict_mask(const struct prov_verdict *v)
{
    enum prov_ai a = v->ai;
    enum prov_cred c = v->cred;
#define BIT(i, cond) ((int64_t)((cond) != 0) << (i))
    return BIT(0, a == PROV_AI_GENERATED)                                /* ai-generated */
         | BIT(1, a == PROV_AI_EDITED)                                   /* ai-edited */
         | BIT(2, a >= PROV_AI_SYNTHETIC)                                /* ai */
         | BIT(3, a == PROV_AI_SYNTHETIC || a == PROV_AI_ENHANCED)       /* synthetic */
         | BIT(4, a == PROV_AI_CAPTURE)                                  /* capture */
         | BIT(5, a == PROV_AI_HUMAN)                                    /* human-made */
         | BIT(6, a == PROV_AI_UNKNOWN)                                  /* ai-unknown */
         | BIT(7, c == PROV_CRED_TRUSTED)                                /* credentials-trusted */
         | BIT(8, c == PROV_CRED_VALID || c == PROV_CRED_TRUSTED)        /* credentials-valid */
         | BIT(9, c == PROV_CRED_INVALID)                                /* credentials-invalid */
         | BIT(10, c == PROV_CRED_NONE)                                  /* credentials-none */
         | BIT(11, c == PROV_CRED_STRIPPED)                              /* credentials-stripped */
         | BIT(12, v->bot)                                               /* bot */
         | BIT(13, v->conflict)                                          /* conflict */
         | BIT(14, v->sensitive)                                         /* sensitive */
         | BIT(15, v->withheld);                                         /* withheld */
#undef BIT
}
_Static_assert(sizeof FILTERS / sizeof FILTERS[0] == 17, "prov_verdict_mask numbers the filters: keep both in step");

int64_t prov_filter_mask(const struct prov_badge *b)
{
    struct prov_verdict v;
    prov_badge_verdict(b, &v);
    return prov_verdict_mask(&v);
}

int prov_filter_index(const char *name)
{
    for (int i = 0; name && FILTERS[i]; i++)
        if (!strcmp(FILTERS[i], name)) return i;
    return -1;
}

void prov_rules_masks(const struct prov_rules *r, int64_t *hide, int64_t *only)
{
    *hide = r ? (int64_t)r->hide : 0;
    *only = r ? (int64_t)r->only : 0;
}

int prov_filter_hit(const struct prov_badge *b, const char *name)
{
    struct prov_verdict v;
    prov_badge_verdict(b, &v);
    for (int i = 0; FILTERS[i]; i++)
        if (!strcmp(FILTERS[i], name)) return (int)(prov_verdict_mask(&v) >> i & 1);
    return -1;
}

int prov_rules_allow(const struct prov_rules *r, const struct prov_badge *b)
{
    if (!r) return 1;
    struct prov_verdict v;
    prov_badge_verdict(b, &v);
    int64_t m = prov_verdict_mask(&v);
    if ((int64_t)r->hide & m) return 0;
    return !r->only || ((int64_t)r->only & m) != 0;
}
