/* SPDX-License-Identifier: ISC */
/* Items: pages of items for the views, counts, read/starred flags and playback positions.
 *
 * store_items assembles its SQL from the filters present, never from their values: every value is
 * a bound parameter.  Each combination of filters is prepared once per handle and kept. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "text.h"

#define ITEM_COLS STORE_ITEM_COLS

static const char *col_text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

static int64_t col_known(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, i);
}

/* The column text stays valid until the next step; push_raw copies it into the sink's arena. */
void store_push_item_row(sqlite3_stmt *s, struct item_sink *out)
{
    struct item it;
    item_init(&it);
    it.id = sqlite3_column_int64(s, 0);
    it.feed_id = sqlite3_column_int64(s, 1);
    it.guid = col_text(s, 2);
    it.title = col_text(s, 3);
    it.author = col_text(s, 4);
    it.author_handle = col_text(s, 5);
    it.author_url = col_text(s, 6);
    it.url = col_text(s, 7);
    it.published = col_known(s, 8);
    it.updated = col_known(s, 9);
    it.summary = col_text(s, 10);
    it.thumb_url = col_text(s, 11);
    it.thumb_w = sqlite3_column_int(s, 12);
    it.thumb_h = sqlite3_column_int(s, 13);
    it.media_url = col_text(s, 14);
    it.media_type = col_text(s, 15);
    it.media_duration = col_known(s, 16);
    it.media_size = col_known(s, 17);
    it.media_w = sqlite3_column_int(s, 18);
    it.media_h = sqlite3_column_int(s, 19);
    it.platform = col_text(s, 20);
    it.host = col_text(s, 21);
    it.author_bot = sqlite3_column_int(s, 22);
    it.labels = col_text(s, 23);
    it.extra = col_text(s, 24);
    it.read = sqlite3_column_int(s, 25);
    it.starred = sqlite3_column_int(s, 26);
    it.feed_title = col_text(s, 27);
    it.prov_mask = col_known(s, 28);
    it.scan_state = sqlite3_column_int(s, 29);
    it.categories = col_text(s, 30);
    it.enclosures = col_text(s, 31);
    /* a far-future date sorts, and shows in lists, as the fetch time (schema.c, 8) */
    int64_t sort_key = col_known(s, 32);
    if (it.published >= 0 && sort_key >= 0 && it.published > sort_key) {
        it.published_orig = it.published;
        it.published = sort_key;
    }
    item_sink_push_raw(out, &it);
}

/* 1 when text has a character the full-text index keeps (a letter or a digit, any non-ASCII
 * byte counted as one), so that a search for it can use the index. */
static int has_word(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p >= 0x80 || (*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')) return 1;
    return 0;
}

static int query_shape(const struct item_query *q)
{
    int shape = 0;
    if (q->feed_id > 0) shape |= QS_FEED;
    if (q->tag && *q->tag) shape |= QS_TAG;
    if (q->list_id > 0) shape |= QS_LIST;
    if (q->unread_only) shape |= QS_UNREAD;
    if (q->starred_only) shape |= QS_STARRED;
    if (q->search && *q->search) shape |= has_word(q->search) ? QS_SEARCH : QS_LIKE;
    if (q->prov_hide) shape |= QS_PHIDE;
    if (q->prov_only) shape |= QS_PONLY;
    if (q->category && *q->category) shape |= QS_CATEGORY;
    return shape;
}

/* How the rows are reached: a count, a page (needs the feed's title), a walk in page order (ids
 * and keys only), or a walk driven by the text index (its matches are few; the planner is told to
 * start there). */
enum { FW_COUNT, FW_PAGE, FW_WALK, FW_FTS };

static void add_from_where(struct strbuf *b, int shape, int how)
{
    int page = how != FW_COUNT;
    sb_adds(b, how == FW_FTS ? " FROM items_fts CROSS JOIN items i ON i.id = items_fts.rowid" : " FROM items i");
    if (shape & QS_LIST) sb_adds(b, " JOIN list_items li ON li.item_id = i.id AND li.list_id = :list");
    if (how == FW_PAGE) sb_adds(b, " LEFT JOIN feeds f ON f.id = i.feed_id");
    sb_adds(b, how == FW_FTS ? " WHERE items_fts MATCH :match" : " WHERE 1");
    if (shape & QS_FEED) sb_adds(b, " AND i.feed_id = :feed");
    /* Literal 0 and 1, so the planner can use items_read and the partial items_starred index. */
    /* curated by provenance, a count walks the covering items_prov_read (7 ms for 100k items)
     * rather than items_read and a row lookup for each mask (60 ms): the unary + says so */
    if (shape & QS_UNREAD)
        sb_adds(b, !page && (shape & (QS_PHIDE | QS_PONLY)) ? " AND +i.read = 0" : " AND i.read = 0");
    if (shape & QS_STARRED) sb_adds(b, " AND i.starred = 1");
    /* the index's matches (looked up once per statement run; a page walks its own order), and
     * of those the ones with the text itself: the index folds away punctuation ("50%" would find
     * "500") */
    if (shape & QS_SEARCH) sb_adds(b, " AND i.id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH :search)");
    if (shape & (QS_SEARCH | QS_LIKE))
        sb_adds(b, " AND (i.title LIKE :like ESCAPE '\\' OR i.summary LIKE :like ESCAPE '\\'"
                   " OR i.categories LIKE :like ESCAPE '\\')");
    if (how == FW_FTS) sb_adds(b, " AND (i.title LIKE :mlike ESCAPE '\\' OR i.summary LIKE :mlike ESCAPE '\\')");
    /* One category per line: wrapping both sides in line breaks matches whole categories only
     * (LIKE folds ASCII case, as the feeds' own spellings vary). */
    if (shape & QS_CATEGORY)
        sb_adds(b, " AND char(10) || i.categories || char(10) LIKE"
                   " '%' || char(10) || :category || char(10) || '%' ESCAPE '\\'");
    /* provenance curation on the stored masks: an item not yet worked out (NULL) hides nothing
     * and matches no "only" */
    if (shape & QS_PHIDE) sb_adds(b, " AND (IFNULL(i.prov_mask, 0) & :phide) = 0");
    if (shape & QS_PONLY) sb_adds(b, " AND (IFNULL(i.prov_mask, 0) & :ponly) != 0");
    /* Tags are stored as "a,b,c": wrapping both sides in commas matches whole tags only.  For a
     * page, the unary + keeps the planner off items_feed_sort: gathering every item of the tagged
     * feeds and sorting them all costs far more (58 ms against 1 ms for half of 100k items) than
     * walking items_sort until the page is full.  A count has no order, so it takes the index. */
    if (shape & QS_TAG)
        sb_adds(b, page ? " AND +i.feed_id IN (SELECT id FROM feeds"
                          " WHERE ',' || tags || ',' LIKE '%,' || :tag || ',%' ESCAPE '\\')"
                        : " AND i.feed_id IN (SELECT id FROM feeds"
                          " WHERE ',' || tags || ',' LIKE '%,' || :tag || ',%' ESCAPE '\\')");
}

/* The rows past the item with key (:k, :kid) in page order (after: older) or before it: the
 * first term is a range of the order's index, the second settles equal dates by id. */
static void add_key(struct strbuf *b, int after, int inclusive)
{
    sb_printf(b, " AND i.sort_key %s :k AND (i.sort_key %s :k OR i.id %s%s :kid)", after ? "<=" : ">=",
              after ? "<" : ">", after ? "<" : ">", inclusive ? "=" : "");
}

/* s with LIKE's wildcards and the escape character itself escaped, wrapped as "%s%" when wrap. */
static char *like_escape(const char *s, int wrap)
{
    struct strbuf b;
    sb_init(&b);
    if (wrap) sb_addc(&b, '%');
    for (; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '\\') sb_addc(&b, '\\');
        sb_addc(&b, *s);
    }
    if (wrap) sb_addc(&b, '%');
    return sb_steal(&b);
}

/* The full-text query for what the user typed: one phrase (the index's tokenizer splits it into
 * words as it split the text), the last word a prefix; quotes doubled, so no text is taken for
 * the query language.  cols restricts it to those columns ("{title summary}"), or NULL. */
static char *fts_phrase(const char *text, const char *cols)
{
    struct strbuf b;
    sb_init(&b);
    if (cols) sb_printf(&b, "%s : ", cols);
    sb_addc(&b, '"');
    for (const char *p = text; *p; p++) {
        if (*p == '"') sb_addc(&b, '"');
        sb_addc(&b, *p);
    }
    sb_adds(&b, "\"*");
    return sb_steal(&b);
}

struct bound {
    char *search, *like, *tag, *category;
};

static void bind_query(sqlite3_stmt *s, const struct item_query *q, int shape, struct bound *hold)
{
    hold->search = hold->like = hold->tag = hold->category = NULL;
    if (shape & QS_FEED) sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":feed"), q->feed_id);
    if (shape & QS_LIST) sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":list"), q->list_id);
    if (shape & QS_PHIDE) sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":phide"), q->prov_hide);
    if (shape & QS_PONLY) sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":ponly"), q->prov_only);
    if (shape & QS_SEARCH) {
        hold->search = fts_phrase(q->search, NULL);
        store_bind_text(s, sqlite3_bind_parameter_index(s, ":search"), hold->search);
    }
    if (shape & (QS_SEARCH | QS_LIKE)) {
        hold->like = like_escape(q->search, 1);
        store_bind_text(s, sqlite3_bind_parameter_index(s, ":like"), hold->like);
    }
    if (shape & QS_CATEGORY) {
        hold->category = like_escape(q->category, 0);
        store_bind_text(s, sqlite3_bind_parameter_index(s, ":category"), hold->category);
    }
    if (shape & QS_TAG) {
        hold->tag = like_escape(q->tag, 0);
        store_bind_text(s, sqlite3_bind_parameter_index(s, ":tag"), hold->tag);
    }
}

static void unbind(sqlite3_stmt *s, struct bound *hold)
{
    store_stmt_done(s);
    free(hold->search);
    free(hold->like);
    free(hold->tag);
    free(hold->category);
}

static sqlite3_stmt *page_stmt(struct store *st, int shape, int paging, struct error *err)
{
    if (st->page[paging][shape]) return st->page[paging][shape];
    struct strbuf b;
    sb_init(&b);
    sb_adds(&b, "SELECT " ITEM_COLS);
    add_from_where(&b, shape, FW_PAGE);
    if (paging != QP_OFFSET) add_key(&b, paging == QP_AFTER, 0);
    sb_adds(&b, " ORDER BY ");
    if (shape & QS_LIST) sb_adds(&b, "li.position, li.added_at, ");
    /* Matches items_sort / items_feed_sort read backwards (before: forwards), so a page is an
     * index walk that stops after its rows (plus offset), with no sort. */
    if (paging == QP_BEFORE) sb_adds(&b, "i.sort_key ASC, i.id ASC LIMIT :limit");
    else if (paging == QP_AFTER) sb_adds(&b, "i.sort_key DESC, i.id DESC LIMIT :limit");
    else sb_adds(&b, "i.sort_key DESC, i.id DESC LIMIT :limit OFFSET :offset");
    sqlite3_stmt *s = store_stmt_cached(st, &st->page[paging][shape], b.s, err);
    sb_free(&b);
    return s;
}

/* The shapes the feeds' kept counts answer (schema.c, 10): all items, a feed, a tag, unread. */
#define QS_COUNTED (QS_FEED | QS_TAG | QS_UNREAD)

/* Curation by provenance over all items (unread or not): the masks are few, so the count is a
 * sum over the distinct masks, each found by one seek of items_prov_read (a loose index scan)
 * and counted as a range of it; "hide" subtracts the hidden from the kept total.  It reads the
 * rows the curation names, not every row (315 ms for a million items became a few ms). */
#define QS_MASKED (QS_UNREAD | QS_PHIDE | QS_PONLY)

static void add_mask_sum(struct strbuf *b, int shape, const char *which)
{
    sb_printf(b, "(WITH RECURSIVE m(v) AS ("
                 "SELECT (SELECT MIN(prov_mask) FROM items WHERE prov_mask IS NOT NULL) UNION ALL "
                 "SELECT (SELECT MIN(prov_mask) FROM items WHERE prov_mask > m.v) FROM m WHERE m.v IS NOT NULL) "
                 "SELECT COALESCE(SUM((SELECT COUNT(*) FROM items WHERE prov_mask = m.v%s)), 0) FROM m "
                 "WHERE m.v IS NOT NULL AND %s)", shape & QS_UNREAD ? " AND read = 0" : "", which);
}

static void add_kept_total(struct strbuf *b, int shape)
{
    sb_printf(b, "(SELECT COALESCE(SUM(%s), 0) FROM feeds)"
                 " + (SELECT COUNT(*) FROM items INDEXED BY items_feed_sort WHERE feed_id IS NULL%s)",
              shape & QS_UNREAD ? "n_unread" : "n_items", shape & QS_UNREAD ? " AND read = 0" : "");
}

static sqlite3_stmt *count_stmt(struct store *st, int shape, struct error *err)
{
    if (st->count[shape]) return st->count[shape];
    struct strbuf b;
    sb_init(&b);
    if (!(shape & ~QS_MASKED) && (shape & QS_PONLY)) {
        sb_adds(&b, "SELECT ");
        add_mask_sum(&b, shape, shape & QS_PHIDE ? "(m.v & :ponly) != 0 AND (m.v & :phide) = 0" : "(m.v & :ponly) != 0");
    } else if (!(shape & ~QS_MASKED) && (shape & QS_PHIDE)) {
        sb_adds(&b, "SELECT ");
        add_kept_total(&b, shape);
        sb_adds(&b, " - ");
        add_mask_sum(&b, shape, "(m.v & :phide) != 0");
    } else if (!(shape & ~QS_COUNTED)) {
        /* a sum over the feeds (a thousand rows for a million items), plus the detached items,
         * a range of items_feed_sort as long as they are many */
        sb_printf(&b, "SELECT (SELECT COALESCE(SUM(%s), 0) FROM feeds WHERE 1",
                  shape & QS_UNREAD ? "n_unread" : "n_items");
        if (shape & QS_FEED) sb_adds(&b, " AND id = :feed");
        if (shape & QS_TAG) sb_adds(&b, " AND ',' || tags || ',' LIKE '%,' || :tag || ',%' ESCAPE '\\'");
        sb_adds(&b, ")");
        if (!(shape & (QS_FEED | QS_TAG)))
            sb_printf(&b, " + (SELECT COUNT(*) FROM items INDEXED BY items_feed_sort WHERE feed_id IS NULL%s)",
                      shape & QS_UNREAD ? " AND read = 0" : "");
    } else {
        sb_adds(&b, "SELECT COUNT(*)");
        add_from_where(&b, shape, FW_COUNT);
    }
    sqlite3_stmt *s = store_stmt_cached(st, &st->count[shape], b.s, err);
    sb_free(&b);
    return s;
}

static const char *order_sql(int after)
{
    return after ? " ORDER BY i.sort_key DESC, i.id DESC" : " ORDER BY i.sort_key ASC, i.id ASC";
}

/* The key (sort_key) of item id: 1 found, 0 gone, -1 error. */
static int item_key(struct store *st, int64_t id, int64_t *key, struct error *err)
{
    sqlite3_stmt *s = store_stmt(st, Q_ITEM_KEY, "SELECT sort_key FROM items WHERE id = ?1", err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, id);
    int rc = store_step(st, s);
    int ret = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
    if (ret == 1) *key = sqlite3_column_int64(s, 0);
    store_stmt_done(s);
    return ret;
}

static void bind_key(sqlite3_stmt *s, int64_t key, int64_t id)
{
    sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":k"), key);
    sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":kid"), id);
}

/* The id of the row at offset under q (0: none, -1: error): a walk of the order's index that
 * reads no row (ids and keys only, where the filters allow), where an OFFSET on the page itself
 * would join and skip every row before it (500 ms to the middle of a million). */
static int64_t id_at(struct store *st, const struct item_query *q, int shape, int64_t offset, struct error *err)
{
    sqlite3_stmt *s = st->at[shape];
    if (!s) {
        struct strbuf b;
        sb_init(&b);
        sb_adds(&b, "SELECT i.id");
        add_from_where(&b, shape, FW_WALK);
        sb_printf(&b, "%s LIMIT 1 OFFSET :offset", order_sql(1));
        s = store_stmt_cached(st, &st->at[shape], b.s, err);
        sb_free(&b);
        if (!s) return -1;
    }
    struct bound hold;
    bind_query(s, q, shape, &hold);
    sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":offset"), offset);
    int rc = store_step(st, s);
    int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
    unbind(s, &hold);
    return id;
}

/* Offsets past this are reached by id_at and a page by key. */
#define OFFSET_BY_KEY 1000

int store_items(struct store *st, const struct item_query *q, struct item_sink *out, struct error *err)
{
    int shape = query_shape(q);
    int paging = q->after_id > 0 ? QP_AFTER : q->before_id > 0 ? QP_BEFORE : QP_OFFSET;
    int64_t anchor = paging == QP_AFTER ? q->after_id : q->before_id, key = 0;
    if (paging == QP_OFFSET && q->offset > OFFSET_BY_KEY && !(shape & QS_LIST)) {
        /* the page after the row just before it */
        anchor = id_at(st, q, shape, q->offset - 1, err);
        if (anchor <= 0) return (int)anchor;
        paging = QP_AFTER;
    }
    if (paging != QP_OFFSET) {
        if (shape & QS_LIST) {
            error_set(err, "a list pages by position, not by item");
            return -1;
        }
        if (paging == QP_BEFORE && anchor == STORE_PAST_END) {
            key = anchor = INT64_MIN;   /* older than every row */
        } else {
            int found = item_key(st, anchor, &key, err);
            if (found <= 0) return found;
        }
    }
    sqlite3_stmt *s = page_stmt(st, shape, paging, err);
    if (!s) return -1;
    struct bound hold;
    bind_query(s, q, shape, &hold);
    sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":limit"), q->limit > 0 ? q->limit : -1);
    if (paging == QP_OFFSET)
        sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":offset"), q->offset > 0 ? q->offset : 0);
    else
        bind_key(s, key, anchor);
    int rc;
    while ((rc = store_step(st, s)) == SQLITE_ROW) store_push_item_row(s, out);
    int ret = rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
    unbind(s, &hold);
    return ret;
}

int64_t store_items_count(struct store *st, const struct item_query *q, struct error *err)
{
    int shape = query_shape(q);
    sqlite3_stmt *s = count_stmt(st, shape, err);
    if (!s) return -1;
    struct bound hold;
    bind_query(s, q, shape, &hold);
    int rc = store_step(st, s);
    int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : store_fail(st, rc, err);
    unbind(s, &hold);
    return n;
}

/* Title and summary in page order (forward) or its exact reverse, from an offset. */
static sqlite3_stmt *find_stmt(struct store *st, int shape, int forward, struct error *err)
{
    sqlite3_stmt **slot = &st->find[forward][shape];
    if (*slot) return *slot;
    const char *d = forward ? " DESC" : " ASC";
    struct strbuf b;
    sb_init(&b);
    sb_adds(&b, "SELECT i.title, i.summary");
    add_from_where(&b, shape, FW_PAGE);
    sb_adds(&b, " ORDER BY ");
    if (shape & QS_LIST) {
        const char *a = forward ? "" : " DESC";
        sb_printf(&b, "li.position%s, li.added_at%s, ", a, a);
    }
    sb_printf(&b, "i.sort_key%s, i.id%s LIMIT :limit OFFSET :offset", d, d);
    sqlite3_stmt *s = store_stmt_cached(st, slot, b.s, err);
    sb_free(&b);
    return s;
}

int64_t store_items_find(struct store *st, const struct item_query *q, int64_t from, int dir,
                         store_match_fn match, void *user, struct error *err)
{
    int shape = query_shape(q);
    int forward = dir >= 0;
    int64_t offset = from;
    if (!forward) {
        /* the reverse order starts at the last item: from counts back from there */
        int64_t total = store_items_count(st, q, err);
        if (total < 0) return -2;
        if (from >= total) from = total - 1;
        if (from < 0) return -1;
        offset = total - 1 - from;
    }
    if (offset < 0) offset = 0;
    sqlite3_stmt *s = find_stmt(st, shape, forward, err);
    if (!s) return -2;
    struct bound hold;
    bind_query(s, q, shape, &hold);
    sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":offset"), offset);
    sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":limit"), q->limit > 0 ? q->limit : -1);
    int64_t pos = forward ? offset : from, hit = -1;
    int rc;
    while ((rc = store_step(st, s)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        const char *sum = (const char *)sqlite3_column_text(s, 1);
        if (match(t ? t : "", sum ? sum : "", user)) {
            hit = pos;
            break;
        }
        pos += forward ? 1 : -1;
    }
    if (hit < 0 && rc != SQLITE_DONE) hit = store_fail(st, rc, err) < 0 ? -2 : -1;
    unbind(s, &hold);
    return hit;
}

/* ---- the text search ---- */

/* How many rows the search walks from where it starts, checking each against the index, before
 * it asks the index for its matches instead: a word on every other item is found in the walk, a
 * rare one by the index, whose matches are then few. */
#define SEARCH_WALK 256

/* The rows from a key on (inclusive), in page order or its reverse. */
static sqlite3_stmt *walk_stmt(struct store *st, int shape, int after, struct error *err)
{
    sqlite3_stmt **slot = &st->near[after][shape];
    if (*slot) return *slot;
    struct strbuf b;
    sb_init(&b);
    sb_adds(&b, "SELECT i.id, i.sort_key, i.title, i.summary");
    add_from_where(&b, shape, FW_WALK);
    add_key(&b, after, 1);
    sb_printf(&b, "%s LIMIT :limit", order_sql(after));
    sqlite3_stmt *s = store_stmt_cached(st, slot, b.s, err);
    sb_free(&b);
    return s;
}

/* The index's first match past a key. */
static sqlite3_stmt *far_stmt(struct store *st, int shape, int after, struct error *err)
{
    sqlite3_stmt **slot = &st->far[after][shape];
    if (*slot) return *slot;
    struct strbuf b;
    sb_init(&b);
    sb_adds(&b, "SELECT i.id, i.sort_key");
    add_from_where(&b, shape, FW_FTS);
    add_key(&b, after, 0);
    sb_printf(&b, "%s LIMIT 1", order_sql(after));
    sqlite3_stmt *s = store_stmt_cached(st, slot, b.s, err);
    sb_free(&b);
    return s;
}

/* How many rows lie past a key (at most :limit). */
static sqlite3_stmt *side_stmt(struct store *st, int shape, int after, struct error *err)
{
    sqlite3_stmt **slot = &st->side[after][shape];
    if (*slot) return *slot;
    struct strbuf b;
    sb_init(&b);
    sb_adds(&b, "SELECT COUNT(*) FROM (SELECT 1");
    add_from_where(&b, shape, FW_WALK);
    add_key(&b, after, 0);
    sb_adds(&b, " LIMIT :limit)");
    sqlite3_stmt *s = store_stmt_cached(st, slot, b.s, err);
    sb_free(&b);
    return s;
}

/* 1 when item id matches the full-text query m, 0 when not, -1 on error. */
static int fts_row_matches(struct store *st, const char *m, int64_t id, struct error *err)
{
    sqlite3_stmt *s = store_stmt(st, Q_FTS_ROW, "SELECT 1 FROM items_fts WHERE items_fts MATCH ?1 AND rowid = ?2", err);
    if (!s) return -1;
    store_bind_text(s, 1, m);
    sqlite3_bind_int64(s, 2, id);
    int rc = store_step(st, s);
    int ret = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : store_fail(st, rc, err);
    store_stmt_done(s);
    return ret;
}

/* Rows of q past (key, id), towards after's side, at most limit (-1: all); -1 on error. */
static int64_t count_side(struct store *st, const struct item_query *q, int shape, int after, int64_t key,
                          int64_t id, int64_t limit, struct error *err)
{
    sqlite3_stmt *s = side_stmt(st, shape, after, err);
    if (!s) return -1;
    struct bound hold;
    bind_query(s, q, shape, &hold);
    bind_key(s, key, id);
    sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":limit"), limit);
    int rc = store_step(st, s);
    int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : store_fail(st, rc, err);
    unbind(s, &hold);
    return n;
}

/* The index's first match past (key, id): its id (0 none, -1 error) and key. */
static int64_t search_far(struct store *st, const struct item_query *q, int shape, int after, const char *m,
                          const char *text, int64_t *key, int64_t id, struct error *err)
{
    sqlite3_stmt *s = far_stmt(st, shape, after, err);
    if (!s) return -1;
    struct bound hold;
    bind_query(s, q, shape, &hold);
    bind_key(s, *key, id);
    store_bind_text(s, sqlite3_bind_parameter_index(s, ":match"), m);
    char *like = like_escape(text, 1);
    store_bind_text(s, sqlite3_bind_parameter_index(s, ":mlike"), like);
    int rc = store_step(st, s);
    int64_t hit = 0;
    if (rc == SQLITE_ROW) {
        hit = sqlite3_column_int64(s, 0);
        *key = sqlite3_column_int64(s, 1);
    } else if (rc != SQLITE_DONE) {
        hit = store_fail(st, rc, err);
    }
    unbind(s, &hold);
    free(like);
    return hit;
}

int64_t store_items_search(struct store *st, const struct item_query *q, const char *text, int64_t from_id,
                           int64_t from_pos, int inclusive, int dir, int64_t total, int64_t *pos,
                           struct error *err)
{
    *pos = -1;
    if (!text || !*text || total <= 0) return 0;
    int shape = query_shape(q);
    if (shape & QS_LIST) {
        error_set(err, "a list is searched by position, not by item");
        return -1;
    }
    int after = dir >= 0;
    int64_t key = 0;
    if (from_id > 0) {
        int found = item_key(st, from_id, &key, err);
        if (found < 0) return -1;
        if (!found) from_id = 0;
    }
    if (from_id <= 0) {
        /* from the first (last) item: a key past every row */
        key = after ? INT64_MAX : INT64_MIN;
        from_id = key;
        inclusive = 1;
        from_pos = after ? 0 : total - 1;
    }
    /* a text with no word in it has nothing in the index: it is looked for row by row */
    int word = has_word(text);
    char *m = word ? fts_phrase(text, "{title summary}") : NULL;
    sqlite3_stmt *s = walk_stmt(st, shape, after, err);
    if (!s) {
        free(m);
        return -1;
    }
    struct bound hold;
    bind_query(s, q, shape, &hold);
    bind_key(s, key, from_id);
    sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":limit"), word ? SEARCH_WALK : -1);
    int64_t r = 0, hit = 0, last_id = from_id, last_key = key;
    int rc;
    while (hit == 0 && (rc = store_step(st, s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        last_id = id;
        last_key = sqlite3_column_int64(s, 1);
        if (id != from_id || inclusive) {
            /* the text itself first (cheap), then that it starts a word as the index says */
            const char *t = (const char *)sqlite3_column_text(s, 2);
            const char *sum = (const char *)sqlite3_column_text(s, 3);
            int yes = text_contains_ci(t ? t : "", text) || text_contains_ci(sum ? sum : "", text);
            if (yes && word) yes = fts_row_matches(st, m, id, err);
            if (yes < 0) hit = -1;
            else if (yes) hit = id;
        }
        if (hit == 0) r++;
    }
    int walked = hit != 0 || rc == SQLITE_ROW || rc == SQLITE_DONE;
    if (!walked) hit = store_fail(st, rc, err);
    int64_t rows = r;
    unbind(s, &hold);
    if (hit > 0) {
        *pos = from_pos + (after ? r : -r);
    } else if (hit == 0 && word && rows >= SEARCH_WALK) {
        /* not near: the index's matches past the walk, the first in page order */
        int64_t hkey = last_key;
        hit = search_far(st, q, shape, after, m, text, &hkey, last_id, err);
        if (hit > 0) {
            /* its position, counted from the nearer end of the order */
            int64_t half = total / 2 + 1;
            int64_t older = count_side(st, q, shape, 1, hkey, hit, half, err);
            if (older < 0) hit = -1;
            else if (older < half) *pos = total - 1 - older;
            else {
                int64_t newer = count_side(st, q, shape, 0, hkey, hit, -1, err);
                if (newer < 0) hit = -1;
                else *pos = newer;
            }
        }
    }
    free(m);
    return hit < 0 ? -1 : hit;
}

int64_t store_max_item_id(struct store *st, struct error *err)
{
    sqlite3_stmt *s = store_stmt(st, Q_MAX_ITEM, "SELECT COALESCE(MAX(id), 0) FROM items", err);
    if (!s) return -1;
    int rc = store_step(st, s);
    int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : store_fail(st, rc, err);
    store_stmt_done(s);
    return id;
}

int store_item_get(struct store *st, int64_t id, struct item_sink *out, struct error *err)
{
    sqlite3_stmt *s = store_stmt(st, Q_ITEM_GET,
        "SELECT " ITEM_COLS " FROM items i LEFT JOIN feeds f ON f.id = i.feed_id WHERE i.id = ?1", err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, id);
    int rc = store_step(st, s);
    int ret = 0;
    if (rc == SQLITE_ROW) store_push_item_row(s, out);
    else if (rc == SQLITE_DONE) ret = (error_set(err, "no item with id %lld", (long long)id), -1);
    else ret = store_fail(st, rc, err);
    store_stmt_done(s);
    return ret;
}

/* Runs a one-item UPDATE; "no item with id N" when no row matched. */
static int item_write(struct store *st, sqlite3_stmt *s, int64_t id, struct error *err)
{
    if (store_step_done(st, s, err) != 0) return -1;
    if (sqlite3_changes(st->db) == 0) {
        error_set(err, "no item with id %lld", (long long)id);
        return -1;
    }
    return 0;
}

int store_item_set_read(struct store *st, int64_t id, int read, struct error *err)
{
    sqlite3_stmt *s = store_stmt(st, Q_ITEM_READ, "UPDATE items SET read = ?2 WHERE id = ?1", err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, read != 0);
    return item_write(st, s, id, err);
}

int store_item_set_starred(struct store *st, int64_t id, int starred, struct error *err)
{
    sqlite3_stmt *s = store_stmt(st, Q_ITEM_STARRED, "UPDATE items SET starred = ?2 WHERE id = ?1", err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, starred != 0);
    return item_write(st, s, id, err);
}

int store_feed_mark_read(struct store *st, int64_t feed_id, struct error *err)
{
    sqlite3_stmt *s = feed_id > 0
        ? store_stmt(st, Q_MARK_READ_FEED, "UPDATE items SET read = 1 WHERE read = 0 AND feed_id = ?1", err)
        : store_stmt(st, Q_MARK_READ_ALL, "UPDATE items SET read = 1 WHERE read = 0", err);
    if (!s) return -1;
    if (feed_id > 0) sqlite3_bind_int64(s, 1, feed_id);
    return store_step_done(st, s, err);
}

int store_position_set(struct store *st, int64_t item_id, double seconds, struct error *err)
{
    if (!isfinite(seconds) || seconds < 0) {
        error_set(err, "bad playback position for item %lld", (long long)item_id);
        return -1;
    }
    sqlite3_stmt *s = store_stmt(st, Q_POS_SET,
        "INSERT INTO positions(item_id, seconds, updated) VALUES(?1, ?2, ?3) "
        "ON CONFLICT(item_id) DO UPDATE SET seconds = excluded.seconds, updated = excluded.updated",
        err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, item_id);
    sqlite3_bind_double(s, 2, seconds);
    sqlite3_bind_int64(s, 3, store_now());
    int rc = store_step(st, s);
    int ret = 0;
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        ret = (error_set(err, "no item with id %lld", (long long)item_id), -1);
    else if (rc != SQLITE_DONE)
        ret = store_fail(st, rc, err);
    store_stmt_done(s);
    return ret;
}

int store_position_get(struct store *st, int64_t item_id, double *seconds, struct error *err)
{
    *seconds = 0;
    sqlite3_stmt *s = store_stmt(st, Q_POS_GET, "SELECT seconds FROM positions WHERE item_id = ?1", err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, item_id);
    int rc = store_step(st, s);
    int ret = 0;
    if (rc == SQLITE_ROW) *seconds = sqlite3_column_double(s, 0);
    else if (rc != SQLITE_DONE) ret = store_fail(st, rc, err);
    store_stmt_done(s);
    return ret;
}
