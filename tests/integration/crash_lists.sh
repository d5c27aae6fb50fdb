#!/bin/bash
# SPDX-License-Identifier: ISC
# Crash safety of curation: kill -9 `winnow list add / rm / move` at random moments, CRASH_ROUNDS
# times (100 unless set: a round takes about 30 ms).  After each kill the database passes
# integrity_check, a list committed before any kill is untouched, and the list being edited holds
# either its state before the command or its state after it, never something in between.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
setup_home
trap cleanup_home EXIT
ROUNDS=${CRASH_ROUNDS:-100}

"$PY" - "$T/feed.rss" <<'PY'
import sys
items = "".join("<item><title>Item %d</title><guid>g%d</guid><link>https://example.org/%d</link>"
                "<pubDate>Mon, 23 Nov 2026 08:%02d:00 +0000</pubDate></item>" % (i, i, i, i % 60)
                for i in range(400))
open(sys.argv[1], "w").write('<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>%s'
                             '</channel></rss>' % items)
PY
w add "file://$T/feed.rss"; w refresh
expect_eq "400 items to curate" "$(item_count --limit 1000)" 400
w list new base; w list new work
"$PY" - "$WINNOW_BIN" "$WINNOW_DB" "$ROUNDS" > "$T/rounds.log" <<'PY'
import os, random, signal, sqlite3, subprocess, sys, time
winnow, db, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])

def q(sql, *a):
    c = sqlite3.connect(db, timeout=10)
    try:
        return c.execute(sql, a).fetchall()
    finally:
        c.close()

def members(name):
    return [r[0] for r in q("SELECT li.item_id FROM list_items li JOIN lists l ON l.id = li.list_id "
                            "WHERE l.name = ? ORDER BY li.position", name)]

ids = [r[0] for r in q("SELECT id FROM items ORDER BY id")]
subprocess.run([winnow, "list", "add", "base"] + [str(i) for i in ids[:50]], check=True,
               stdout=subprocess.DEVNULL)
base = members("base")
print("ok - base list committed (%d items)" % len(base))
killed = 0
for r in range(1, rounds + 1):
    before = members("work")
    pool = [i for i in ids if i not in before]
    op = random.choice(["add", "add", "rm", "move"]) if before else "add"
    if not pool:
        op = "rm"
    if op == "add":
        new = random.sample(pool, min(len(pool), random.randint(1, 150)))
        args, after = ["add", "work"] + [str(i) for i in new], before + new
        ok_states = [before, after]
    elif op == "rm":
        gone = set(random.sample(before, random.randint(1, len(before))))
        args, after = ["rm", "work"] + [str(i) for i in gone], [i for i in before if i not in gone]
        ok_states = [before, after]
    else:
        it = random.choice(before)
        args, after = ["move", "work", str(it), random.choice(["top", "bottom", "up", "down", "1"])], None
        ok_states = [before]
    p = subprocess.Popen([winnow, "list"] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(random.uniform(0.0, 0.03))
    if p.poll() is None:
        p.send_signal(signal.SIGKILL)
        killed += 1
    rc = p.wait()
    integ = q("PRAGMA integrity_check")[0][0]
    now = members("work")
    if integ != "ok":
        print("FAIL - round %d (%s): integrity_check says %s" % (r, op, integ)); continue
    if members("base") != base:
        print("FAIL - round %d (%s): the committed base list changed" % (r, op)); continue
    if rc == 0 and after is not None and now != after:
        print("FAIL - round %d (%s): finished but the list is not its result" % (r, op)); continue
    if op == "move" and (sorted(now) != sorted(before)):
        print("FAIL - round %d (move): members changed" % r); continue
    if op != "move" and now not in ok_states:
        print("FAIL - round %d (%s): half-applied (%d items, before %d)" % (r, op, len(now), len(before)))
        continue
    print("ok - round %d: %s %s, integrity ok, %d items" % (r, op, "killed" if rc < 0 else "finished", len(now)))
print("killed %d" % killed)
PY
cat "$T/rounds.log"
while IFS= read -r l; do
  case $l in "ok - "*) CHECKS=$((CHECKS + 1)) ;; "FAIL - "*) CHECKS=$((CHECKS + 1)); FAILURES=$((FAILURES + 1)) ;; esac
done < "$T/rounds.log"
killed=$(sed -n 's/^killed //p' "$T/rounds.log")
expect "the python driver ran every round" [ -n "$killed" ]
expect "some commands were killed mid-way (${killed:-0} of $ROUNDS)" [ "${killed:-0}" -ge $((ROUNDS / 5)) ]
finish
