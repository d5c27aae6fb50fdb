/* SPDX-License-Identifier: ISC */
/* Auto-list rules: "auto-list NAME when CONDITION [and ...]" parsed once, matched against each
 * new item and its feed, and applied after a refresh commits.  Rules are the user's standing
 * order, not an action, so what they file is not recorded for undo. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lists_int.h"
#include "text.h"

static lists_provenance_fn prov_fn;
static void *prov_user;

void lists_set_provenance_hook(lists_provenance_fn fn, void *user)
{
    prov_fn = fn;
    prov_user = user;
}

void lists_rule_free(struct list_rule *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n; i++) {
        if (r->conds[i].field == RULE_TITLE) regfree(&r->conds[i].re);
        free(r->conds[i].value);
    }
    free(r->conds);
    free(r->list);
    memset(r, 0, sizeof *r);
}

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t') p++;
    return p;
}

/* Whether p starts with the word w (case-insensitive) followed by a blank or the end. */
static int word_at(const char *p, const char *w)
{
    size_t n = strlen(w);
    return !strncasecmp(p, w, n) && (p[n] == 0 || p[n] == ' ' || p[n] == '\t');
}

/* A "quoted" string (with \" and \\) or a bare word up to a blank; *p advances past it. */
static char *take_value(const char **p, struct error *err)
{
    const char *s = *p;
    struct strbuf b;
    sb_init(&b);
    if (*s == '"') {
        for (s++; *s && *s != '"'; s++) {
            if (*s == '\\' && (s[1] == '"' || s[1] == '\\')) s++;
            sb_addc(&b, *s);
        }
        if (*s != '"') {
            sb_free(&b);
            error_set(err, "unterminated quote");
            return NULL;
        }
        s++;
    } else {
        while (*s && *s != ' ' && *s != '\t') sb_addc(&b, *s++);
    }
    *p = s;
    if (!b.len) {
        sb_free(&b);
        error_set(err, "empty value");
        return NULL;
    }
    return sb_steal(&b);
}

/* /REGEX/ with \/ for a slash. */
static char *take_regex(const char **p, struct error *err)
{
    const char *s = *p;
    if (*s != '/') {
        error_set(err, "title takes ~/REGEX/");
        return NULL;
    }
    struct strbuf b;
    sb_init(&b);
    for (s++; *s && *s != '/'; s++) {
        if (*s == '\\' && s[1] == '/') s++;
        else if (*s == '\\' && s[1]) sb_addc(&b, *s++);
        sb_addc(&b, *s);
    }
    if (*s != '/') {
        sb_free(&b);
        error_set(err, "unterminated /regex/");
        return NULL;
    }
    *p = s + 1;
    if (!b.len) {
        sb_free(&b);
        error_set(err, "empty /regex/");
        return NULL;
    }
    return sb_steal(&b);
}

static int parse_cond(const char **pp, struct list_rule_cond *c, struct error *err)
{
    static const struct { const char *name; enum list_rule_field f; } fields[] = {
        {"source", RULE_SOURCE}, {"feed", RULE_FEED}, {"author", RULE_AUTHOR}, {"tag", RULE_TAG},
        {"title", RULE_TITLE}, {"provenance", RULE_PROVENANCE}, {"category", RULE_CATEGORY},
    };
    const char *p = *pp;
    const char *start = p;
    while (isalpha((unsigned char)*p)) p++;
    size_t len = (size_t)(p - start);
    int f = -1;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (strlen(fields[i].name) == len && !strncasecmp(fields[i].name, start, len)) f = (int)fields[i].f;
    if (f < 0) {
        if (!len) error_set(err, "expected a condition at \"%.20s\"", start);
        else error_set(err, "unknown condition \"%.*s\" (source, feed, author, tag, title, provenance, category)",
                       (int)(len > 40 ? 40 : len), start);
        return -1;
    }
    c->field = (enum list_rule_field)f;
    p = skip_ws(p);
    if (c->field == RULE_TITLE) {
        if (*p != '~') {
            error_set(err, "title takes ~/REGEX/");
            return -1;
        }
        p = skip_ws(p + 1);
        c->value = take_regex(&p, err);
        if (!c->value) return -1;
        if (strlen(c->value) > LISTS_RULE_MAX_REGEX) {
            error_set(err, "regex longer than %d bytes", LISTS_RULE_MAX_REGEX);
            goto fail;
        }
        /* glibc matches back-references by backtracking, which a crafted title could make take
         * forever; without them POSIX EREs match in time bounded by pattern and title. */
        for (const char *q = c->value; *q; q++) {
            if (*q == '\\' && q[1] >= '1' && q[1] <= '9') {
                error_set(err, "back-references (\\%c) are not allowed in a rule's regex", q[1]);
                goto fail;
            }
            if (*q == '\\' && q[1]) q++;
        }
        int rc = regcomp(&c->re, c->value, REG_EXTENDED | REG_ICASE | REG_NOSUB);
        if (rc != 0) {
            char msg[128];
            regerror(rc, &c->re, msg, sizeof msg);
            error_set(err, "bad regex /%.60s/: %s", c->value, msg);
            goto fail;
        }
    } else {
        if (*p != '=') {
            error_set(err, "expected = after %.*s", (int)len, start);
            return -1;
        }
        p = skip_ws(p + 1);
        c->value = take_value(&p, err);
        if (!c->value) return -1;
        if (strlen(c->value) > TEXT_MAX_NAME) {
            error_set(err, "value longer than %d bytes", TEXT_MAX_NAME);
            goto fail;
        }
    }
    *pp = p;
    return 0;
fail:
    free(c->value);
    c->value = NULL;
    return -1;
}

int lists_rule_parse(const char *text, struct list_rule *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    if (!text || strlen(text) > LISTS_RULE_MAX_LINE) {
        error_set(err, "auto-list: rule missing or longer than %d bytes", LISTS_RULE_MAX_LINE);
        return -1;
    }
    const char *p = skip_ws(text);
    if (word_at(p, "auto-list")) p = skip_ws(p + 9);
    char *name = NULL;
    if (*p == '"') {
        name = take_value(&p, err);
        if (!name) {
            error_prefix(err, "auto-list: list name");
            return -1;
        }
        p = skip_ws(p);
    } else {
        /* the name is every word up to "when" */
        const char *q = p;
        while (*q && !word_at(q, "when")) {
            while (*q && *q != ' ' && *q != '\t') q++;
            q = skip_ws(q);
        }
        size_t n = (size_t)(q - p);
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
        name = xmalloc(n + 1);
        memcpy(name, p, n);
        name[n] = 0;
        p = q;
    }
    out->list = text_sanitize_dup(name, strlen(name), LISTS_NAME_MAX, 0);
    free(name);
    if (!*out->list) {
        error_set(err, "auto-list: no list name (auto-list NAME when CONDITION)");
        goto fail;
    }
    if (!word_at(p, "when")) {
        error_set(err, "auto-list: expected \"when\" after the list name (auto-list NAME when CONDITION)");
        goto fail;
    }
    p = skip_ws(p + 4);
    for (;;) {
        if (out->n == LISTS_RULE_MAX_CONDS) {
            error_set(err, "auto-list: more than %d conditions", LISTS_RULE_MAX_CONDS);
            goto fail;
        }
        if (!out->conds) out->conds = xcalloc(LISTS_RULE_MAX_CONDS, sizeof *out->conds);
        if (parse_cond(&p, &out->conds[out->n], err) != 0) {
            error_prefix(err, "auto-list %s", out->list);
            goto fail;
        }
        out->n++;
        p = skip_ws(p);
        if (!*p) break;
        if (!word_at(p, "and")) {
            error_set(err, "auto-list %s: expected \"and\" or the end at \"%.20s\"", out->list, p);
            goto fail;
        }
        p = skip_ws(p + 3);
    }
    return 0;
fail:
    lists_rule_free(out);
    return -1;
}

static const char *no_at(const char *s)
{
    return s && *s == '@' ? s + 1 : s;
}

static int eq_ci(const char *a, const char *b)
{
    return a && b && !strcasecmp(a, b);
}

static int has_tag(const char *tags, const char *want)
{
    if (!tags) return 0;
    size_t n = strlen(want);
    for (const char *p = tags; *p;) {
        const char *end = strchr(p, ',');
        if (!end) end = p + strlen(p);
        if ((size_t)(end - p) == n && !strncasecmp(p, want, n)) return 1;
        p = *end ? end + 1 : end;
    }
    return 0;
}

/* The item's categories are one per line (item.h). */
static int has_category(const char *cats, const char *want)
{
    size_t n = strlen(want);
    for (const char *p = cats; p && *p;) {
        size_t l = strcspn(p, "\n");
        if (l == n && !strncasecmp(p, want, n)) return 1;
        p += l;
        if (*p) p++;
    }
    return 0;
}

static int cond_match(const struct list_rule_cond *c, const struct list_rule_subject *s)
{
    const struct item *it = s->item;
    switch (c->field) {
    case RULE_SOURCE: return eq_ci(it->platform, c->value) || eq_ci(s->feed_kind, c->value);
    case RULE_FEED: {
        char *end;
        long long id = strtoll(c->value, &end, 10);
        if (*c->value && !*end && s->feed_id > 0 && id == s->feed_id) return 1;
        return eq_ci(s->feed_url, c->value) || eq_ci(s->feed_title, c->value) ||
               (!s->feed_title && eq_ci(it->feed_title, c->value));
    }
    case RULE_AUTHOR:
        return eq_ci(no_at(it->author), no_at(c->value)) || eq_ci(no_at(it->author_handle), no_at(c->value));
    case RULE_TAG: return has_tag(s->feed_tags, c->value);
    case RULE_CATEGORY: return has_category(it->categories, c->value);
    case RULE_TITLE: return regexec(&c->re, it->title ? it->title : "", 0, NULL, 0) == 0;
    case RULE_PROVENANCE:
        if (!prov_fn) return eq_ci("unknown", c->value) || eq_ci("ai-unknown", c->value);
        return eq_ci("unknown", c->value) ? prov_fn(it, "ai-unknown", prov_user) == 1
                                          : prov_fn(it, c->value, prov_user) == 1;
    }
    return 0;
}

int lists_rule_asks_provenance(const struct list_rule *r)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->conds[i].field == RULE_PROVENANCE) return 1;
    return 0;
}

int lists_rule_match(const struct list_rule *r, const struct list_rule_subject *s)
{
    if (!r->n) return 0;
    for (size_t i = 0; i < r->n; i++)
        if (!cond_match(&r->conds[i], s)) return 0;
    return 1;
}

/* The rule's list id, created (without a journal entry) when missing; cached per call. */
static int rule_list(struct store *st, const struct list_rule *r, int64_t *cache, struct error *err)
{
    if (*cache) return 0;
    sqlite3_stmt *s = li_prep(st, "SELECT id FROM lists WHERE name = ?1", err);
    if (!s) return -1;
    store_bind_text(s, 1, r->list);
    int rc = store_step(st, s);
    if (rc == SQLITE_ROW) *cache = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return store_fail(st, rc, err);
    if (*cache) return 0;
    return li_create_list(st, r->list, cache, err);
}

int lists_apply_rules(struct store *st, const struct list_rule *rules, size_t n,
                      const int64_t *new_item_ids, size_t n_new, struct error *err)
{
    if (!n || !n_new) return 0;
    if (li_ensure(st, err) != 0 || store_tx_begin(st, err) != 0) return -1;
    int64_t *cache = xcalloc(n, sizeof *cache);
    sqlite3_stmt *fs = li_prep(st, "SELECT url, kind, title, tags FROM feeds WHERE id = ?1", err);
    int ok = fs != NULL, added = 0;
    for (size_t k = 0; ok && k < n_new; k++) {
        struct item_sink sink;
        item_sink_init(&sink);
        struct error miss;
        if (store_item_get(st, new_item_ids[k], &sink, &miss) != 0) {
            item_sink_free(&sink);   /* gone already (a purge, another process): nothing to file */
            continue;
        }
        struct list_rule_subject subj = {.item = &sink.items[0], .feed_id = sink.items[0].feed_id};
        int rc = SQLITE_DONE;
        if (subj.feed_id > 0) {
            sqlite3_bind_int64(fs, 1, subj.feed_id);
            rc = store_step(st, fs);
            if (rc == SQLITE_ROW) {
                subj.feed_url = (const char *)sqlite3_column_text(fs, 0);
                subj.feed_kind = (const char *)sqlite3_column_text(fs, 1);
                subj.feed_title = (const char *)sqlite3_column_text(fs, 2);
                subj.feed_tags = (const char *)sqlite3_column_text(fs, 3);
            } else if (rc != SQLITE_DONE) {
                ok = store_fail(st, rc, err) == 0;
            }
        }
        for (size_t r = 0; ok && r < n; r++) {
            if (!lists_rule_match(&rules[r], &subj)) continue;
            int fresh = 0;
            ok = rule_list(st, &rules[r], &cache[r], err) == 0 &&
                 li_append(st, cache[r], new_item_ids[k], &fresh, err) == 0;
            added += fresh;
        }
        sqlite3_reset(fs);
        sqlite3_clear_bindings(fs);
        item_sink_free(&sink);
    }
    sqlite3_finalize(fs);
    free(cache);
    if (store_tx_end(st, ok, err) != 0) return -1;
    return added;
}

int lists_item_mark(struct store *st, int64_t *mark, struct error *err)
{
    int found;
    *mark = 0;
    if (li_query_int(st, "SELECT MAX(id) FROM items", NULL, 0, mark, &found, err) != 0) return -1;
    if (!found) *mark = 0;
    return 0;
}

int lists_new_items(struct store *st, int64_t mark, int64_t feed_id, int64_t **ids, size_t *n, struct error *err)
{
    *ids = NULL;
    *n = 0;
    sqlite3_stmt *s = li_prep(st, "SELECT id FROM items WHERE id > ?1 AND feed_id = ?2 ORDER BY id", err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, mark);
    sqlite3_bind_int64(s, 2, feed_id);
    size_t cap = 0;
    int rc;
    while ((rc = store_step(st, s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            *ids = xrealloc(*ids, cap * sizeof **ids);
        }
        (*ids)[(*n)++] = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        free(*ids);
        *ids = NULL;
        *n = 0;
        return store_fail(st, rc, err);
    }
    return 0;
}

int lists_apply_rules_since(struct store *st, const struct list_rule *rules, size_t n, int64_t feed_id,
                            int64_t mark, struct error *err)
{
    if (!n) return 0;
    int64_t *ids;
    size_t n_ids;
    if (lists_new_items(st, mark, feed_id, &ids, &n_ids, err) != 0) return -1;
    int rc = lists_apply_rules(st, rules, n, ids, n_ids, err);
    free(ids);
    return rc;
}
