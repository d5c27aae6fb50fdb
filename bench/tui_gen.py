#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Generates a winnow database with many stored items, fast, for the reader benchmarks.

usage: tui_gen.py WINNOW_BIN DB FEEDS ITEMS_PER_FEED [--newsboat DIR]

The schema is winnow's own: `winnow feeds` on the new path creates and migrates the database,
then this script fills the feeds and items tables the way a refresh would (sort_key follows
published, first_seen is now).  Titles are deterministic, so a benchmark knows which item stands
on which screen row: item k of feed f is published at BASE - (k * FEEDS + f) minutes, so the
river interleaves feeds and the newest item is "Item 0 of feed 0".
With --newsboat DIR it also writes DIR/urls, DIR/config and DIR/cache.db holding the same feeds and
items for newsboat, so the two readers open the same data.
"""
import random
import sqlite3
import subprocess
import sys
import time

WORDS = ("calm quiet river morning paper signal archive window garden letter harbour "
         "lantern orbit meadow copper violet thunder pixel").split()


def main():
    winnow, db, nfeeds, per = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    generate(winnow, db, nfeeds, per)
    if len(sys.argv) > 6 and sys.argv[5] == "--newsboat":
        newsboat_cache(db, sys.argv[6])


def generate(winnow, db, nfeeds, per):
    subprocess.run([winnow, "--db", db, "feeds"], check=True, stdout=subprocess.DEVNULL)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    now = int(time.time())
    base = now - 60
    rnd = random.Random(7)
    with con:
        for f in range(nfeeds):
            con.execute("INSERT INTO feeds(id, url, kind, title, user_title, tags, created, last_fetch,"
                        " last_success) VALUES(?,?,?,?,0,?,?,?,?)",
                        (f + 1, f"http://127.0.0.1:9/feed{f}.xml", "feed", f"Feed number {f}",
                         "bench" if f % 2 == 0 else "bench,odd", now, now, now))
        rows = []
        for k in range(per):
            for f in range(nfeeds):
                pub = base - (k * nfeeds + f) * 60
                words = " ".join(rnd.choice(WORDS) for _ in range(6))
                summary = ("Paragraph about " + words + ". ") * 4
                rows.append((f + 1, f"guid-{f}-{k}", f"Item {k} of feed {f}: {words}", f"Author {f}",
                             f"https://example.org/{f}/{k}", pub, pub, now, summary, "rss", "example.org",
                             f"Feed number {f}", pub))
                if len(rows) >= 20000:
                    insert(con, rows)
                    rows = []
        insert(con, rows)
        # winnow's writers index their new rows in the text index themselves (store_int.h) and
        # add them to their feed's kept counts (schema.c, 12)
        con.execute("INSERT INTO items_fts(items_fts) VALUES('rebuild')")
        con.execute("UPDATE feeds SET n_items = (SELECT COUNT(*) FROM items WHERE feed_id = feeds.id),"
                    " n_unread = (SELECT COUNT(*) FROM items WHERE feed_id = feeds.id AND read = 0)")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    # a refresh works out each item's stored verdict as it stores it; winnow does it for rows
    # written behind its back the first time it opens them
    subprocess.run([winnow, "--db", db, "items", "--limit", "1"], check=True, stdout=subprocess.DEVNULL)


def insert(con, rows):
    con.executemany("INSERT INTO items(feed_id, guid, title, author, url, published, updated, first_seen,"
                    " summary, platform, host, feed_title, sort_key) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)



def newsboat_cache(db, outdir, newsboat="newsboat"):
    """Writes outdir/{urls,config,cache.db} holding the same feeds and items as the winnow db, in
    the schema newsboat creates itself (it is asked to create an empty cache first)."""
    import os
    os.makedirs(outdir, exist_ok=True)
    seed = os.path.join(outdir, "seed.xml")
    with open(seed, "w") as f:
        f.write('<?xml version="1.0"?><rss version="2.0"><channel><title>seed</title>'
                '<link>http://127.0.0.1:9/</link></channel></rss>')
    with open(os.path.join(outdir, "urls"), "w") as f:
        f.write(f"file://{seed}\n")
    open(os.path.join(outdir, "config"), "w").close()
    cache = os.path.join(outdir, "cache.db")
    subprocess.run([newsboat, "-u", os.path.join(outdir, "urls"), "-c", cache, "-C",
                    os.path.join(outdir, "config"), "-x", "reload"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    src = sqlite3.connect(db)
    dst = sqlite3.connect(cache)
    with dst:
        dst.execute("DELETE FROM rss_feed")
        dst.execute("DELETE FROM rss_item")
        urls = []
        for fid, url, title in src.execute("SELECT id, url, title FROM feeds ORDER BY id"):
            urls.append(url)
            dst.execute("INSERT INTO rss_feed(rssurl, url, title) VALUES(?,?,?)",
                        (url, "http://127.0.0.1:9/", title))
        rows = src.execute("SELECT i.guid, i.title, i.author, i.url, f.url, i.published, i.summary"
                           " FROM items i JOIN feeds f ON f.id = i.feed_id")
        dst.executemany("INSERT INTO rss_item(guid, title, author, url, feedurl, pubDate, content,"
                        " unread) VALUES(?,?,?,?,?,?,?,1)", rows)
    dst.close()
    with open(os.path.join(outdir, "urls"), "w") as f:
        f.write("".join(u + "\n" for u in urls))


if __name__ == "__main__":
    main()
