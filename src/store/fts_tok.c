/* SPDX-License-Identifier: ISC */
/* The text index's tokenizer: SQLite's own unicode61, with what it decides for each character
 * remembered.  unicode61 looks every non-ASCII character up in its category and case-folding
 * tables (a binary search each, and one more for diacritics), about 780 instructions a word for
 * the accented, Cyrillic and CJK text of the refresh benchmark: 36 % of a cold refresh's main
 * thread (callgrind).  A feed's text uses a few hundred distinct characters, so this one asks the
 * built-in tokenizer once per character and connection (is it a word's first character, does it
 * continue a word, what does it fold to) and from then on splits the text itself.
 *
 * It is registered under the name "unicode61" on winnow's own connections, in front of the
 * built-in one (FTS5 finds the latest registration of a name first).  The schema still says
 * unicode61, and any other program opening the database (sqlite3, a backup tool) tokenizes with
 * the built-in one; that is safe because the words are the same, byte for byte, offset for
 * offset (tests/unit/test_fts_tok.c compares the two on random text).  The rules it mirrors are
 * those of fts5UnicodeTokenize in SQLite's fts5_tokenize.c (3.40): separators are skipped; a word
 * starts at a character that is a letter, a number or private-use (the default categories); it
 * goes on over such characters and diacritics, each replaced by its folded form (nothing when
 * that is 0); it ends before an ASCII separator or just after a non-ASCII one.  A text that is
 * not strictly valid UTF-8 (SQLite's decoder reads such bytes its own way), and a tokenizer
 * created with arguments, are handed to the built-in tokenizer whole. */
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* The built-in tokenizer this one stands in for, on one connection. */
struct tok_module {
    fts5_tokenizer orig;
    void *orig_ctx;
};

/* What unicode61 does with one character. */
struct tok_class {
    uint32_t fold;            /* its folded form (0: dropped from the word) */
    unsigned char start;      /* a word may start with it */
    unsigned char cont;       /* a word goes on over it */
};

struct tok {
    struct tok_module *m;
    Fts5Tokenizer *orig;      /* the built-in instance: asked about characters, or given the text */
    int fast;                 /* created without arguments: the remembered classes apply */
    struct tok_class ascii[128];
    uint32_t *keys;           /* non-ASCII code points (0: free slot), open addressing */
    struct tok_class *vals;
    size_t cap, n;
    char *out;                /* the folded word */
    size_t out_cap;
};

/* ---- UTF-8 ---- */

static int utf8_put(char *o, uint32_t c)
{
    if (c < 0x80) {
        o[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (char)(0xC0 | (c >> 6));
        o[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (char)(0xE0 | (c >> 12));
        o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | ((c >> 18) & 0x07));
    o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    o[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* The code point at p (strictly valid UTF-8: no overlong form, surrogate, U+FFFE/U+FFFF or
 * value past U+10FFFF, which SQLite's decoder would read differently) and its length in *len;
 * 0 when the bytes are not such a character. */
static uint32_t utf8_get(const unsigned char *p, const unsigned char *end, int *len)
{
    uint32_t c = p[0];
    int n;
    if (c < 0x80) {
        *len = 1;
        return c;
    }
    if (c >= 0xC2 && c <= 0xDF) n = 1, c &= 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) n = 2, c &= 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) n = 3, c &= 0x07;
    else return 0;
    if (end - p <= n) return 0;
    for (int i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    static const uint32_t least[4] = {0, 0x80, 0x800, 0x10000};
    if (c < least[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF) || c == 0xFFFE || c == 0xFFFF) return 0;
    /* SQLite's decoder takes every continuation byte that follows as part of the character */
    if (p + n + 1 < end && (p[n + 1] & 0xC0) == 0x80) return 0;
    *len = n + 1;
    return c;
}

/* ---- asking the built-in tokenizer ---- */

struct probe {
    int n;                    /* words it gave */
    char word[16];
    int len, end;             /* the first word and where it ended */
};

static int probe_word(void *ctx, int flags, const char *w, int n, int start, int end)
{
    (void)flags;
    (void)start;
    struct probe *p = ctx;
    if (p->n++ == 0) {
        p->len = n < (int)sizeof p->word ? n : -1;
        if (p->len > 0) memcpy(p->word, w, (size_t)n);
        p->end = end;
    }
    return SQLITE_OK;
}

/* The folded form the word of a probe ends with, after skip bytes; -1 when it is not one
 * character. */
static int64_t probe_fold(const struct probe *p, int skip)
{
    if (p->len < skip) return -1;
    if (p->len == skip) return 0;
    int len;
    uint32_t c = utf8_get((const unsigned char *)p->word + skip, (const unsigned char *)p->word + p->len, &len);
    if (len != p->len - skip || (c == 0 && p->word[skip] != 0)) return -1;
    return c;
}

/* How unicode61 treats c: alone (does a word start there, and as what) and after an "a" (does
 * the word go on over it). */
static int tok_learn(struct tok *t, uint32_t c, struct tok_class *cls)
{
    char text[8];
    int n = utf8_put(text + 1, c);
    struct probe alone = {0}, after = {0};
    int rc = t->m->orig.xTokenize(t->orig, &alone, FTS5_TOKENIZE_DOCUMENT, text + 1, n, probe_word);
    if (rc != SQLITE_OK) return rc;
    text[0] = 'a';
    rc = t->m->orig.xTokenize(t->orig, &after, FTS5_TOKENIZE_DOCUMENT, text, n + 1, probe_word);
    if (rc != SQLITE_OK) return rc;
    memset(cls, 0, sizeof *cls);
    cls->start = alone.n > 0;
    cls->cont = after.n == 1 && after.end == n + 1;
    int64_t f = cls->cont ? probe_fold(&after, 1) : cls->start ? probe_fold(&alone, 0) : 0;
    /* a character that starts a word continues one too (a letter is both); anything else is not
     * what unicode61 does, and its texts go to it whole */
    char tmp[4];
    if (f < 0 || (cls->start && !cls->cont) || (cls->start && probe_fold(&alone, 0) != f) ||
        (f && utf8_put(tmp, (uint32_t)f) > 2 * n))   /* tok_split's buffer allows for twice */
        return SQLITE_MISMATCH;
    cls->fold = (uint32_t)f;
    return SQLITE_OK;
}

static int tok_grow(struct tok *t)
{
    size_t cap = t->cap ? t->cap * 2 : 512;
    uint32_t *keys = calloc(cap, sizeof *keys);
    struct tok_class *vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return SQLITE_NOMEM;
    }
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->keys[i]) continue;
        size_t h = (t->keys[i] * 2654435761u) & (cap - 1);
        while (keys[h]) h = (h + 1) & (cap - 1);
        keys[h] = t->keys[i];
        vals[h] = t->vals[i];
    }
    free(t->keys);
    free(t->vals);
    t->keys = keys;
    t->vals = vals;
    t->cap = cap;
    return SQLITE_OK;
}

/* The class of a non-ASCII c, worked out the first time it is seen. */
static int tok_learn_once(struct tok *t, uint32_t c)
{
    if (t->n * 2 >= t->cap) {
        int rc = tok_grow(t);
        if (rc != SQLITE_OK) return rc;
    }
    size_t h = (c * 2654435761u) & (t->cap - 1);
    while (t->keys[h] && t->keys[h] != c) h = (h + 1) & (t->cap - 1);
    if (t->keys[h]) return SQLITE_OK;
    int rc = tok_learn(t, c, &t->vals[h]);
    if (rc != SQLITE_OK) return rc;
    t->keys[h] = c;
    t->n++;
    return SQLITE_OK;
}

/* The class of a non-ASCII c that tok_learn_once has seen. */
static inline const struct tok_class *tok_find(const struct tok *t, uint32_t c)
{
    size_t h = (c * 2654435761u) & (t->cap - 1);
    while (t->keys[h] != c) h = (h + 1) & (t->cap - 1);
    return &t->vals[h];
}

/* The code point at p, known to be valid UTF-8 of more than one byte, and its length. */
static inline uint32_t utf8_known(const unsigned char *p, int *len)
{
    if (p[0] < 0xE0) {
        *len = 2;
        return ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    }
    if (p[0] < 0xF0) {
        *len = 3;
        return ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    }
    *len = 4;
    return ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) | ((uint32_t)(p[2] & 0x3F) << 6) |
           (p[3] & 0x3F);
}

/* ---- the tokenizer ---- */

static void tok_delete(Fts5Tokenizer *p);

static int tok_create(void *ctx, const char **args, int n_args, Fts5Tokenizer **out)
{
    struct tok_module *m = ctx;
    struct tok *t = calloc(1, sizeof *t);
    if (!t) return SQLITE_NOMEM;
    t->m = m;
    int rc = m->orig.xCreate(m->orig_ctx, args, n_args, &t->orig);
    if (rc != SQLITE_OK) {
        free(t);
        return rc;
    }
    t->fast = n_args == 0;
    /* the ASCII characters at once: the loops below read their classes without a check */
    for (uint32_t c = 0; t->fast && c < 0x80; c++) {
        rc = tok_learn(t, c, &t->ascii[c]);
        if (rc == SQLITE_MISMATCH || t->ascii[c].fold >= 0x80) t->fast = 0;
        else if (rc != SQLITE_OK) {
            tok_delete((Fts5Tokenizer *)t);
            return rc;
        }
    }
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *p)
{
    struct tok *t = (struct tok *)p;
    if (!t) return;
    t->m->orig.xDelete(t->orig);
    free(t->keys);
    free(t->vals);
    free(t->out);
    free(t);
}

typedef int (*tok_emit)(void *, int, const char *, int, int, int);

/* Splits text into words as unicode61 does (the header comment), from the remembered classes:
 * every character of it was seen by tok_prepare. */
static int tok_split(struct tok *t, void *ctx, const unsigned char *text, const unsigned char *end, tok_emit emit)
{
    /* a folded character takes at most twice the bytes of the character (U+023A, 2 bytes, folds
     * to U+2C65, 3) */
    size_t need = 2 * (size_t)(end - text) + 8;
    if (need > t->out_cap) {
        char *b = realloc(t->out, need);
        if (!b) return SQLITE_NOMEM;
        t->out = b;
        t->out_cap = need;
    }
    char *out = t->out;
    const unsigned char *p = text;
    for (;;) {
        /* the separators before a word */
        for (;; p++) {
            if (p >= end) return SQLITE_OK;
            if (*p < 0x80) {
                if (t->ascii[*p].start) break;
                continue;
            }
            int len;
            uint32_t c = utf8_known(p, &len);
            if (tok_find(t, c)->start) break;
            p += len - 1;
        }
        const unsigned char *start = p, *word_end;
        size_t o = 0;
        for (;;) {
            if (p >= end) {
                word_end = p;
                break;
            }
            if (*p < 0x80) {
                const struct tok_class *a = &t->ascii[*p];
                if (!a->cont) {
                    word_end = p;
                    break;
                }
                if (a->fold) out[o++] = (char)a->fold;
                p++;
                continue;
            }
            int len;
            uint32_t c = utf8_known(p, &len);
            const struct tok_class *cls = tok_find(t, c);
            if (!cls->cont) {
                word_end = p;
                p += len;   /* a non-ASCII separator is read before the word ends */
                break;
            }
            if (cls->fold) o += (size_t)utf8_put(out + o, cls->fold);
            p += len;
        }
        int rc = emit(ctx, 0, out, (int)o, (int)(start - text), (int)(word_end - text));
        if (rc == SQLITE_DONE) return SQLITE_OK;
        if (rc != SQLITE_OK) return rc;
    }
}

/* SQLITE_OK when every character of the text is strictly valid UTF-8 and its class is known
 * (learnt now if need be); SQLITE_MISMATCH when not, and the text goes to unicode61 whole. */
static int tok_prepare(struct tok *t, const unsigned char *p, const unsigned char *end)
{
    while (p < end) {
        if (*p < 0x80) {
            p++;
            continue;
        }
        int len;
        uint32_t c = utf8_get(p, end, &len);
        if (!c) return SQLITE_MISMATCH;
        int rc = tok_learn_once(t, c);
        if (rc != SQLITE_OK) return rc;
        p += len;
    }
    return SQLITE_OK;
}

static int tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int n, tok_emit emit)
{
    struct tok *t = (struct tok *)p;
    const unsigned char *s = (const unsigned char *)text, *end = s + (n > 0 ? n : 0);
    int rc = t->fast ? tok_prepare(t, s, end) : SQLITE_MISMATCH;
    if (rc == SQLITE_MISMATCH) return t->m->orig.xTokenize(t->orig, ctx, flags, text, n, emit);
    return rc == SQLITE_OK ? tok_split(t, ctx, s, end, emit) : rc;
}

int store_fts_tok_install(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL) != SQLITE_OK) return SQLITE_ERROR;
    sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(s);
    sqlite3_finalize(s);
    if (!api || api->iVersion < 2) return SQLITE_ERROR;
    struct tok_module *m = calloc(1, sizeof *m);
    if (!m) return SQLITE_NOMEM;
    int rc = api->xFindTokenizer(api, "unicode61", &m->orig_ctx, &m->orig);
    if (rc != SQLITE_OK) {
        free(m);
        return rc;
    }
    fts5_tokenizer mine = {tok_create, tok_delete, tok_tokenize};
    rc = api->xCreateTokenizer(api, "unicode61", m, &mine, free);
    if (rc != SQLITE_OK) free(m);
    return rc;
}
