/* SPDX-License-Identifier: ISC */
/* Items: pages of items for the views, counts, read/starred flags and playback positions.
 *
 * store_items assembles its SQL from the filters present, never from their values: every value is
 * a bound parameter.  Each combination of filters is prepared once per handle and kept. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

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

static int query_shape(const struct item_query *q)
{
    int shape = 0;
    if (q->feed_id > 0) shape |= QS_FEED;
    if (q->tag && *q->tag) shape |= QS_TAG;
    if (q->list_id > 0) shape |= QS_LIST;
    if (q->unread_only) shape |= QS_UNREAD;
    if (q->starred_only) shape |= QS_STARRED;
    if (q->search && *q->search) shape |= QS_SEARCH;
    if (q->prov_hide) shape |= QS_PHIDE;
    if (q->prov_only) shape |= QS_PONLY;
    if (q->category && *q->category) shape |= QS_CATEGORY;
    return shape;
}

/* page: the statement returns rows (needs the feed's title, and an order); else it counts. */
static void add_from_where(struct strbuf *b, int shape, int page)
{
    sb_adds(b, " FROM items i");
    if (shape & QS_LIST) sb_adds(b, " JOIN list_items li ON li.item_id = i.id AND li.list_id = :list");
    if (page) sb_adds(b, " LEFT JOIN feeds f ON f.id = i.feed_id");
    sb_adds(b, " WHERE 1");
    if (shape & QS_FEED) sb_adds(b, " AND i.feed_id = :feed");
    /* Literal 0 and 1, so the planner can use items_read and the partial items_starred index. */
    /* curated by provenance, a count walks the covering items_prov_read (7 ms for 100k items)
     * rather than items_read and a row lookup for each mask (60 ms): the unary + says so */
    if (shape & QS_UNREAD)
        sb_adds(b, !page && (shape & (QS_PHIDE | QS_PONLY)) ? " AND +i.read = 0" : " AND i.read = 0");
    if (shape & QS_STARRED) sb_adds(b, " AND i.starred = 1");
    if (shape & QS_SEARCH)
        sb_adds(b, " AND (i.title LIKE :search ESCAPE '\\' OR i.summary LIKE :search ESCAPE '\\'"
                   " OR i.categories LIKE :search ESCAPE '\\')");
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

struct bound {
    char *search, *tag, *category;
};

static void bind_query(sqlite3_stmt *s, const struct item_query *q, int shape, struct bound *hold)
{
    hold->search = hold->tag = hold->category = NULL;
    if (shape & QS_FEED) sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":feed"), q->feed_id);
    if (shape & QS_LIST) sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":list"), q->list_id);
    if (shape & QS_PHIDE) sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":phide"), q->prov_hide);
    if (shape & QS_PONLY) sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":ponly"), q->prov_only);
    if (shape & QS_SEARCH) {
        hold->search = like_escape(q->search, 1);
        store_bind_text(s, sqlite3_bind_parameter_index(s, ":search"), hold->search);
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
    free(hold->tag);
    free(hold->category);
}

static sqlite3_stmt *page_stmt(struct store *st, int shape, struct error *err)
{
    if (st->page[shape]) return st->page[shape];
    struct strbuf b;
    sb_init(&b);
    sb_adds(&b, "SELECT " ITEM_COLS);
    add_from_where(&b, shape, 1);
    sb_adds(&b, " ORDER BY ");
    if (shape & QS_LIST) sb_adds(&b, "li.position, li.added_at, ");
    /* Matches items_sort / items_feed_sort read backwards, so a page is an index walk that stops
     * after limit + offset rows, with no sort. */
    sb_adds(&b, "i.sort_key DESC, i.id DESC LIMIT :limit OFFSET :offset");
    sqlite3_stmt *s = store_stmt_cached(st, &st->page[shape], b.s, err);
    sb_free(&b);
    return s;
}

static sqlite3_stmt *count_stmt(struct store *st, int shape, struct error *err)
{
    if (st->count[shape]) return st->count[shape];
    struct strbuf b;
    sb_init(&b);
    sb_adds(&b, "SELECT COUNT(*)");
    add_from_where(&b, shape, 0);
    sqlite3_stmt *s = store_stmt_cached(st, &st->count[shape], b.s, err);
    sb_free(&b);
    return s;
}

int store_items(struct store *st, const struct item_query *q, struct item_sink *out, struct error *err)
{
    int shape = query_shape(q);
    sqlite3_stmt *s = page_stmt(st, shape, err);
    if (!s) return -1;
    struct bound hold;
    bind_query(s, q, shape, &hold);
    sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":limit"), q->limit > 0 ? q->limit : -1);
    sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, ":offset"), q->offset > 0 ? q->offset : 0);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) store_push_item_row(s, out);
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
    int rc = sqlite3_step(s);
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
    add_from_where(&b, shape, 1);
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
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
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

int store_item_get(struct store *st, int64_t id, struct item_sink *out, struct error *err)
{
    sqlite3_stmt *s = store_stmt(st, Q_ITEM_GET,
        "SELECT " ITEM_COLS " FROM items i LEFT JOIN feeds f ON f.id = i.feed_id WHERE i.id = ?1", err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
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
    int rc = sqlite3_step(s);
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
    int rc = sqlite3_step(s);
    int ret = 0;
    if (rc == SQLITE_ROW) *seconds = sqlite3_column_double(s, 0);
    else if (rc != SQLITE_DONE) ret = store_fail(st, rc, err);
    store_stmt_done(s);
    return ret;
}
