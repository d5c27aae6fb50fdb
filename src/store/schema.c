/* SPDX-License-Identifier: ISC */
/* The schema's history.  Entry i takes a database from user_version i to i + 1; store_open applies
 * the missing ones in order, each in its own transaction, so a new version is one more entry here
 * and a database is never left half-way between two versions.
 *
 * Migrations run with foreign keys off (store_open turns them on afterwards), as SQLite's table
 * rebuild procedure requires; each is checked with foreign_key_check before it commits. */
#include "store_int.h"

const char *const store_migrations[] = {
    /* 1: initial schema */
    "CREATE TABLE feeds ("
    "  id INTEGER PRIMARY KEY,"
    "  url TEXT UNIQUE NOT NULL,"
    "  kind TEXT,"
    "  title TEXT,"
    "  user_title INTEGER NOT NULL DEFAULT 0,"
    "  tags TEXT,"
    "  site_url TEXT,"
    "  etag TEXT,"
    "  last_modified TEXT,"
    "  last_error TEXT,"
    "  last_fetch INTEGER,"
    "  last_success INTEGER,"
    "  created INTEGER"
    ");"
    /* feed_id is NULL for items kept (starred or listed) after their feed was removed; NULLs are
     * distinct in UNIQUE, so detached items never collide with anything. */
    "CREATE TABLE items ("
    "  id INTEGER PRIMARY KEY,"
    "  feed_id INTEGER REFERENCES feeds(id) ON DELETE SET NULL,"
    "  guid TEXT NOT NULL,"
    "  title TEXT, author TEXT, author_handle TEXT, author_url TEXT, url TEXT,"
    "  published INTEGER, updated INTEGER, first_seen INTEGER,"
    "  summary TEXT,"
    "  thumb_url TEXT, thumb_w INTEGER, thumb_h INTEGER,"
    "  media_url TEXT, media_type TEXT, media_duration INTEGER, media_size INTEGER,"
    "  media_w INTEGER, media_h INTEGER,"
    "  platform TEXT, host TEXT, author_bot INTEGER, labels TEXT, extra TEXT,"
    "  feed_title TEXT,"
    "  read INTEGER NOT NULL DEFAULT 0,"
    "  starred INTEGER NOT NULL DEFAULT 0,"
    "  sort_key INTEGER,"
    "  UNIQUE(feed_id, guid)"
    ");"
    /* Pages are ordered sort_key DESC, id DESC.  An ascending index read backwards yields exactly
     * that (the rowid is the index's last key); a DESC index would give id ascending within equal
     * sort_keys and cost a sort. */
    "CREATE INDEX items_sort ON items(sort_key);"
    /* sort_key follows published.  A refresh's upsert names every content column in its SET; were
     * sort_key among them, SQLite would rewrite its index entries for every updated row even when
     * the value stays the same (a third of the cost of an update).  This fires only on a real
     * change of date. */
    "CREATE TRIGGER items_sort_key AFTER UPDATE OF published ON items"
    "  WHEN NEW.published IS NOT OLD.published BEGIN"
    "  UPDATE items SET sort_key = COALESCE(NEW.published, NEW.first_seen) WHERE id = NEW.id;"
    "  END;"
    "CREATE INDEX items_feed_sort ON items(feed_id, sort_key);"
    "CREATE INDEX items_read ON items(read, sort_key);"
    /* Unread items per feed, in page order: the feeds list counts them from this index alone, and
     * a feed's unread page walks it.  Partial, so it shrinks as items are read. */
    "CREATE INDEX items_unread_feed ON items(feed_id, sort_key) WHERE read = 0;"
    /* Starred items are few: a small partial index saves scanning every item to find them. */
    "CREATE INDEX items_starred ON items(sort_key) WHERE starred = 1;"
    "CREATE TABLE lists ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT UNIQUE NOT NULL,"
    "  created INTEGER,"
    "  position INTEGER"
    ");"
    "CREATE TABLE list_items ("
    "  list_id INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,"
    "  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,"
    "  position INTEGER,"
    "  added_at INTEGER,"
    "  PRIMARY KEY(list_id, item_id)"
    ");"
    /* Deleting an item looks up list_items by item_id (the cascade and the "is it kept" test). */
    "CREATE INDEX list_items_item ON list_items(item_id);"
    "CREATE TABLE positions ("
    "  item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,"
    "  seconds REAL,"
    "  updated INTEGER"
    ");"
    "INSERT INTO lists(name, created, position) VALUES"
    "  ('keep', CAST(strftime('%s','now') AS INTEGER), 1),"
    "  ('watch later', CAST(strftime('%s','now') AS INTEGER), 2);",
    /* 2: what a refresh learns about a feed beyond its items.  retry_after: Unix seconds before
     * which refreshes skip the feed (a 429/503 with Retry-After).  endpoint, endpoint_stage: the
     * API URL a user's URL resolved to (a Mastodon profile's statuses), so later refreshes start
     * there instead of resolving again. */
    "ALTER TABLE feeds ADD COLUMN retry_after INTEGER;"
    "ALTER TABLE feeds ADD COLUMN endpoint TEXT;"
    "ALTER TABLE feeds ADD COLUMN endpoint_stage TEXT;",
    /* 3: insecure_tls: the user accepted this feed's server without a trusted certificate
     * (`winnow add --insecure-tls`, a self-signed home server); only its own requests skip the
     * check. */
    "ALTER TABLE feeds ADD COLUMN insecure_tls INTEGER NOT NULL DEFAULT 0;",
    /* 4: purged: the guids keep-days deleted while their feed still carried them.  Without it the
     * next refresh would store them again as new, unread items, and keep-days would delete them
     * again a month later, round and round.  seen: the last refresh that still found the guid in
     * the feed (or asked about it); a tombstone not seen for a day is dropped, since the feed no
     * longer carries that item. */
    "CREATE TABLE purged ("
    "  feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
    "  guid TEXT NOT NULL,"
    "  seen INTEGER,"
    "  PRIMARY KEY(feed_id, guid)"
    ") WITHOUT ROWID;",
    /* 5: the origin rule (item_confine_urls) for rows stored before it: a remote feed's item may
     * name only http(s) pictures and media, and no file: links.  Rows of local (file://) feeds,
     * and of items whose feed is gone, keep theirs only when the feed was local. */
    "UPDATE items SET thumb_url = NULL, thumb_w = 0, thumb_h = 0"
    "  WHERE thumb_url IS NOT NULL AND thumb_url NOT LIKE 'http://%' AND thumb_url NOT LIKE 'https://%'"
    "  AND NOT EXISTS (SELECT 1 FROM feeds f WHERE f.id = items.feed_id AND f.url LIKE 'file:%');"
    "UPDATE items SET media_url = NULL, media_type = NULL, media_duration = -1, media_size = -1,"
    "  media_w = 0, media_h = 0"
    "  WHERE media_url IS NOT NULL AND media_url NOT LIKE 'http://%' AND media_url NOT LIKE 'https://%'"
    "  AND NOT EXISTS (SELECT 1 FROM feeds f WHERE f.id = items.feed_id AND f.url LIKE 'file:%');"
    "UPDATE items SET url = NULL WHERE url LIKE 'file:%'"
    "  AND NOT EXISTS (SELECT 1 FROM feeds f WHERE f.id = items.feed_id AND f.url LIKE 'file:%');"
    "UPDATE items SET author_url = NULL WHERE author_url LIKE 'file:%'"
    "  AND NOT EXISTS (SELECT 1 FROM feeds f WHERE f.id = items.feed_id AND f.url LIKE 'file:%');",
    /* 6: provenance as a stored fact.  media_scans: one row per media URL (thumbnail, image or
     * video enclosure) with what its bytes said: result is the scan's facts as key=value lines
     * (prov_media_format), error why it could not be checked (HTTP 404, not media), trust_fp the
     * trust store it was judged against, manifest 1 when the bytes held Content Credentials (only
     * those depend on trust: a trust change re-judges them from the evidence kept beside the
     * database).  Items link to their scans by URL.  prov_mask: one bit per curation filter
     * (prov_filter_names) the item's badge falls under, NULL when not yet worked out; scan_state:
     * 0 nothing to scan, 1 waiting, 2 scanned, 3 could not be checked.  The partial indexes hold
     * only the rows with work left, so they cost nothing once it is done.  meta: small facts of the
     * database itself (the fingerprint the stored masks were made under). */
    "CREATE TABLE media_scans ("
    "  url TEXT PRIMARY KEY,"
    "  sha256 TEXT,"
    "  scanned INTEGER NOT NULL,"
    "  trust_fp TEXT,"
    "  manifest INTEGER NOT NULL DEFAULT 0,"
    "  head_only INTEGER NOT NULL DEFAULT 0,"
    "  result TEXT,"
    "  error TEXT,"
    "  tries INTEGER NOT NULL DEFAULT 1"
    ");"
    "CREATE INDEX media_scans_judge ON media_scans(trust_fp) WHERE manifest = 1;"
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
    "ALTER TABLE items ADD COLUMN prov_mask INTEGER;"
    "ALTER TABLE items ADD COLUMN scan_state INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX items_prov_todo ON items(feed_id) WHERE prov_mask IS NULL;"
    "CREATE INDEX items_scan_todo ON items(feed_id) WHERE scan_state IN (1, 3);",
    /* 7: categories: every category/tag/subject a feed gives an item, one per line (filters and
     * rules match whole lines).  enclosures: every enclosure as a JSON array of {url, type,
     * length}; media_url stays the one that plays.  feeds.charset: the character encoding the
     * last refresh read the feed in ("utf-8", "big5", ...). */
    "ALTER TABLE items ADD COLUMN categories TEXT;"
    "ALTER TABLE items ADD COLUMN enclosures TEXT;"
    "ALTER TABLE feeds ADD COLUMN charset TEXT;",
    /* 8: a bound on every feed, and dates that cannot pin an item.  read_at: when the item was
     * first marked read (the retention rule keeps what was read lately; items read before this
     * version count as read now, so nobody loses them at the upgrade).  sort_key: a published
     * date later than the first sighting plus an hour (a pubDate in 9999) sorts as the first
     * sighting; published keeps what the feed said, for the detail view. */
    "ALTER TABLE items ADD COLUMN read_at INTEGER;"
    "UPDATE items SET read_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE read != 0;"
    "CREATE TRIGGER items_read_at AFTER UPDATE OF read ON items"
    "  WHEN NEW.read != 0 AND OLD.read = 0 BEGIN"
    "  UPDATE items SET read_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = NEW.id;"
    "  END;"
    "DROP TRIGGER items_sort_key;"
    "CREATE TRIGGER items_sort_key AFTER UPDATE OF published ON items"
    "  WHEN NEW.published IS NOT OLD.published BEGIN"
    "  UPDATE items SET sort_key = CASE WHEN NEW.published > NEW.first_seen + 3600 THEN NEW.first_seen"
    "  ELSE COALESCE(NEW.published, NEW.first_seen) END WHERE id = NEW.id;"
    "  END;"
    "UPDATE items SET sort_key = first_seen WHERE published > first_seen + 3600;",
    /* 9: counting a view curated by provenance (hide = ai-generated) reads this index, not the
     * items: a count of 100,000 items went from a walk of every row (summaries and all) to a walk
     * of three integers each. */
    "CREATE INDEX items_prov_read ON items(prov_mask, read);",
    /* 10: the items a feed holds back (Bluesky's !no-unauthenticated, a labeller's !hide): few,
     * counted per feed for the feeds view through this small index.  The bit is
     * STORE_MASK_WITHHELD, prov_filter_index("withheld") (a unit test keeps them in step). */
    "CREATE INDEX items_withheld ON items(feed_id, read) WHERE (prov_mask & 32768) != 0;",
    /* 11: a million items open as fast as a hundred.  n_items, n_unread: each feed's counts,
     * kept by triggers, so they move in the same statement (and transaction) as the rows they
     * count, whoever writes them (a refresh, a purge, a list import, mark-read, a feed removed);
     * a view's count is a sum over the feeds, not a walk of every item.  Items kept after their
     * feed went (feed_id NULL) count through items_feed_sort, a range as small as they are few.
     * items_fts: the text search, an external-content FTS5 index of title, summary and
     * categories (unicode61: words, case and accents folded); a search is the words typed, in
     * order, the last one a prefix, so it narrows as the user types.  The index finds the few
     * items it names among a million (the trigram tokenizer kept substrings too, at 6x the size
     * and 5x the indexing time); it is kept in step in the writing transaction.  A sort_key is never
     * NULL after this, so paging by key (sort_key, id) sees every row. */
    "UPDATE items SET sort_key = COALESCE(published, first_seen, 0) WHERE sort_key IS NULL;"
    "ALTER TABLE feeds ADD COLUMN n_items INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE feeds ADD COLUMN n_unread INTEGER NOT NULL DEFAULT 0;"
    "UPDATE feeds SET n_items = (SELECT COUNT(*) FROM items WHERE feed_id = feeds.id),"
    "  n_unread = (SELECT COUNT(*) FROM items WHERE feed_id = feeds.id AND read = 0);"
    "CREATE TRIGGER items_count_ins AFTER INSERT ON items WHEN NEW.feed_id IS NOT NULL BEGIN"
    "  UPDATE feeds SET n_items = n_items + 1, n_unread = n_unread + (NEW.read = 0) WHERE id = NEW.feed_id;"
    "  END;"
    "CREATE TRIGGER items_count_del AFTER DELETE ON items WHEN OLD.feed_id IS NOT NULL BEGIN"
    "  UPDATE feeds SET n_items = n_items - 1, n_unread = n_unread - (OLD.read = 0) WHERE id = OLD.feed_id;"
    "  END;"
    "CREATE TRIGGER items_count_upd AFTER UPDATE OF read, feed_id ON items"
    "  WHEN (NEW.read = 0) IS NOT (OLD.read = 0) OR NEW.feed_id IS NOT OLD.feed_id BEGIN"
    "  UPDATE feeds SET n_items = n_items - 1, n_unread = n_unread - (OLD.read = 0) WHERE id = OLD.feed_id;"
    "  UPDATE feeds SET n_items = n_items + 1, n_unread = n_unread + (NEW.read = 0) WHERE id = NEW.feed_id;"
    "  END;"
    "CREATE VIRTUAL TABLE items_fts USING fts5(title, summary, categories,"
    "  content='items', content_rowid='id', tokenize='unicode61');"
    "INSERT INTO items_fts(items_fts) VALUES('rebuild');"
    /* New rows are indexed by their writer, a batch at the end of its statements
     * (store_fts_index_new: one INSERT ... SELECT costs half of a trigger per row); updates and
     * deletes by triggers, which touch the index only for rows it holds (its docsize table has
     * one row per document), so a row changed or gone before its batch was indexed is safe. */
    "CREATE TRIGGER items_fts_del AFTER DELETE ON items"
    "  WHEN EXISTS (SELECT 1 FROM items_fts_docsize WHERE id = OLD.id) BEGIN"
    "  INSERT INTO items_fts(items_fts, rowid, title, summary, categories)"
    "  VALUES('delete', OLD.id, OLD.title, OLD.summary, OLD.categories);"
    "  END;"
    /* only a change of the indexed text costs index work: most updates are of other columns */
    "CREATE TRIGGER items_fts_upd AFTER UPDATE OF title, summary, categories ON items"
    "  WHEN (NEW.title IS NOT OLD.title OR NEW.summary IS NOT OLD.summary"
    "  OR NEW.categories IS NOT OLD.categories)"
    "  AND EXISTS (SELECT 1 FROM items_fts_docsize WHERE id = OLD.id) BEGIN"
    "  INSERT INTO items_fts(items_fts, rowid, title, summary, categories)"
    "  VALUES('delete', OLD.id, OLD.title, OLD.summary, OLD.categories);"
    "  INSERT INTO items_fts(rowid, title, summary, categories)"
    "  VALUES(NEW.id, NEW.title, NEW.summary, NEW.categories);"
    "  END;",
    /* 12: a new row's count is added by its writer, once per feed (store_feed_commit), not by a
     * trigger per row: any trigger makes SQLite keep a statement journal for each insert, and that
     * was a fifth of a cold refresh's main thread (callgrind: 1,830 M instructions with the trigger,
     * 1,478 M without).  Rows only ever come in through the refresh's insert (a feed's items) and a
     * list import (feed_id NULL, counted by no feed); deletes and updates keep their triggers. */
    "DROP TRIGGER items_count_ins;",
    /* 13: the text index merges its segments sixteen at a time, not four (FTS5's automerge): a
     * refresh writes one segment per transaction, and with four the merges grew faster than the
     * items (a cold refresh of 3,000 feeds: main thread 14,505 M -> 13,417 M instructions).  A
     * search reads a few more segments; the reader's search at a million items stays at 20 ms. */
    "INSERT INTO items_fts(items_fts, rank) VALUES('automerge', 16);",
};

const int store_migrations_n = (int)(sizeof store_migrations / sizeof store_migrations[0]);
