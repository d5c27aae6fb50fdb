/* SPDX-License-Identifier: ISC */
/* The text index's tokenizer (src/store/fts_tok.c) against SQLite's built-in unicode61: the same
 * words, bytes and offsets on random text of every kind of character (letters with and without
 * case, combining marks, scripts without spaces, digits of other scripts, private use, emoji,
 * separators, controls) and on bytes that are not UTF-8; and an index written through it passes
 * the built-in tokenizer's own integrity check on a connection that never saw it. */
#include "store_testutil.h"

#include "../../src/store/store_int.h"

struct word {
    char text[64];
    int len, start, end, flags;
};

struct words {
    struct word w[256];
    int n;
};

static int take(void *ctx, int flags, const char *t, int n, int start, int end)
{
    struct words *ws = ctx;
    if (ws->n < 256) {
        struct word *w = &ws->w[ws->n];
        w->len = n;
        memcpy(w->text, t, (size_t)(n < 64 ? n : 64));
        w->start = start;
        w->end = end;
        w->flags = flags;
    }
    ws->n++;
    return SQLITE_OK;
}

static fts5_api *api_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL), SQLITE_OK);
    sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(s);
    sqlite3_finalize(s);
    assert_non_null(api);
    return api;
}

struct tokenizer {
    fts5_tokenizer x;
    Fts5Tokenizer *t;
};

static void tokenizer_get(fts5_api *api, struct tokenizer *out)
{
    void *ctx = NULL;
    assert_int_equal(api->xFindTokenizer(api, "unicode61", &ctx, &out->x), SQLITE_OK);
    assert_int_equal(out->x.xCreate(ctx, NULL, 0, &out->t), SQLITE_OK);
}

static void put(char **o, uint32_t c)
{
    unsigned char *p = (unsigned char *)*o;
    if (c < 0x80) *p++ = (unsigned char)c;
    else if (c < 0x800) *p++ = (unsigned char)(0xC0 | (c >> 6)), *p++ = (unsigned char)(0x80 | (c & 0x3F));
    else if (c < 0x10000)
        *p++ = (unsigned char)(0xE0 | (c >> 12)), *p++ = (unsigned char)(0x80 | ((c >> 6) & 0x3F)),
        *p++ = (unsigned char)(0x80 | (c & 0x3F));
    else
        *p++ = (unsigned char)(0xF0 | (c >> 18)), *p++ = (unsigned char)(0x80 | ((c >> 12) & 0x3F)),
        *p++ = (unsigned char)(0x80 | ((c >> 6) & 0x3F)), *p++ = (unsigned char)(0x80 | (c & 0x3F));
    *o = (char *)p;
}

/* Characters of every class unicode61 tells apart, and some it folds in unusual ways. */
static const uint32_t alphabet[] = {
    'a', 'Z', 'q', '0', '9', ' ', ' ', '-', '_', '.', '\'', '#', '\t', '\n', 0x1, 0x7F,
    0xE9, 0xC9, 0xF1, 0xDF, 0xFF, 0xAA, 0xB5, 0xBA, 0xB2, 0xA0, 0xD7, 0xC6, 0x130, 0x131, 0x1C4, 0x1C5,
    0x300, 0x301, 0x308, 0x327, 0x20DD, 0x3A9, 0x3C3, 0x3C2, 0x390, 0x434, 0x401, 0x4E9,
    0x6771, 0x4EAC, 0x6620, 0x50CF, 0x3042, 0x30A2, 0xD55C, 0x1100, 0x628, 0x64E, 0x661, 0x915, 0x94D,
    0x93F, 0xE01, 0xE31, 0x1F600, 0x1F44D, 0x1F3FD, 0x200D, 0x200C, 0x2014, 0x201C, 0x201D, 0x2026, 0xFF21,
    0xFF41, 0x216B, 0x2460, 0xE000, 0xF8FF, 0x10FFFD, 0x378, 0xFB01, 0x212A, 0x1E9E, 0x1D400, 0x1E00,
    0x1EA0, 0x2C65, 0xA7AA, 0x10400, 0x118A0, 0x1E900, 0xFE0F, 0x301C, 0x3000, 0xFEFF, 0x2028,
};

static unsigned rnd_state = 12345;
static unsigned rnd(void)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (rnd_state >> 8) & 0xFFFFFF;
}

static int same(const struct words *a, const struct words *b)
{
    if (a->n != b->n) return 0;
    for (int i = 0; i < a->n && i < 256; i++) {
        const struct word *x = &a->w[i], *y = &b->w[i];
        if (x->len != y->len || x->start != y->start || x->end != y->end || x->flags != y->flags ||
            memcmp(x->text, y->text, (size_t)(x->len < 64 ? x->len : 64)) != 0)
            return 0;
    }
    return 1;
}

static void compare(struct tokenizer *orig, struct tokenizer *mine, const char *text, int n)
{
    static struct words a, b;
    a.n = b.n = 0;
    assert_int_equal(orig->x.xTokenize(orig->t, &a, FTS5_TOKENIZE_DOCUMENT, text, n, take), SQLITE_OK);
    assert_int_equal(mine->x.xTokenize(mine->t, &b, FTS5_TOKENIZE_DOCUMENT, text, n, take), SQLITE_OK);
    if (!same(&a, &b)) {
        fprintf(stderr, "text (%d bytes):", n);
        for (int i = 0; i < n; i++) fprintf(stderr, " %02x", (unsigned char)text[i]);
        fprintf(stderr, "\nbuilt-in %d words, fts_tok %d\n", a.n, b.n);
        fail_msg("the words differ");
    }
}

static void test_same_words_as_unicode61(void **state)
{
    (void)state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    struct tokenizer orig, mine;
    tokenizer_get(api_of(db), &orig);
    assert_int_equal(store_fts_tok_install(db), SQLITE_OK);
    tokenizer_get(api_of(db), &mine);
    assert_ptr_not_equal(mine.x.xTokenize, orig.x.xTokenize);   /* it is in front now */

    char text[512];
    size_t n_alpha = sizeof alphabet / sizeof alphabet[0];
    /* every character alone, after a letter and before one */
    for (size_t i = 0; i < n_alpha; i++) {
        char *o = text;
        put(&o, alphabet[i]);
        compare(&orig, &mine, text, (int)(o - text));
        o = text;
        put(&o, 'x'), put(&o, alphabet[i]), put(&o, 'y');
        compare(&orig, &mine, text, (int)(o - text));
    }
    /* random strings of them, on one instance that remembers what it learnt */
    for (int round = 0; round < 20000; round++) {
        char *o = text;
        int len = (int)(rnd() % 40);
        for (int k = 0; k < len; k++) put(&o, alphabet[rnd() % n_alpha]);
        compare(&orig, &mine, text, (int)(o - text));
    }
    /* bytes that are not (strict) UTF-8: stray continuations, overlong forms, surrogates, cut off
     * sequences, U+FFFE, beyond U+10FFFF */
    static const char *bad[] = {"ab\x80" "cd", "\xC0\xAF" "x", "\xED\xA0\x80" "y", "caf\xC3", "\xEF\xBF\xBE" "z",
                                "\xF4\x90\x80\x80", "\xE2\x82", "a\xC3\xA9\xA9" "b", "\xFF\xFE" "word", "\xF8\x88\x80\x80\x80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) compare(&orig, &mine, bad[i], (int)strlen(bad[i]));
    for (int round = 0; round < 5000; round++) {
        int len = (int)(rnd() % 24);
        static const char some[] = "aZ9 \xC3\xA9\xE6\x9D\xB1\x80\xFF";
        for (int k = 0; k < len; k++) text[k] = rnd() % 3 ? some[rnd() % 12] : (char)(rnd() & 0xFF);
        compare(&orig, &mine, text, len);
    }
    orig.x.xDelete(orig.t);
    mine.x.xDelete(mine.t);
    sqlite3_close(db);
}

/* An index written by winnow's connection is what the built-in tokenizer would have written: its
 * integrity check, on a plain connection, re-tokenizes every row and compares. */
static void test_index_checks_with_builtin(void **state)
{
    (void)state;
    char path[512];
    struct store *st = open_fresh(path, sizeof path);
    int64_t f = add_feed(st, "https://a.example/feed", "A", NULL);
    struct item_sink s;
    item_sink_init(&s);
    static const char *titles[] = {"Café naïve ÜBER straße", "東京の映像 ведро Ωmega", "ǅemal İstanbul ﬁne",
                                   "deux\xC2\xA0mots — “quotes” 😀 emoji", "١٢٣ digits ², Ⅻ roman"};
    char guid[16];
    for (int i = 0; i < 5; i++) {
        snprintf(guid, sizeof guid, "g%d", i);
        push(&s, guid, titles[i], 1000 + i);
    }
    assert_int_equal(commit(st, f, &s, NULL, NULL), 5);
    item_sink_free(&s);
    store_close(st);

    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, "INSERT INTO items_fts(items_fts) VALUES('integrity-check')", NULL, NULL, &msg);
    if (rc != SQLITE_OK) fail_msg("integrity-check: %s", msg ? msg : "?");
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM items_fts WHERE items_fts MATCH ?1", -1, &q, NULL),
                     SQLITE_OK);
    static const char *words[] = {"cafe", "naive", "uber", "ведро", "ωmega", "mots", "emoji", "roman"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        sqlite3_bind_text(q, 1, words[i], -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(q), SQLITE_ROW);
        if (sqlite3_column_int(q, 0) != 1) fail_msg("%s: %d matches", words[i], sqlite3_column_int(q, 0));
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_words_as_unicode61),
        cmocka_unit_test(test_index_checks_with_builtin),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
