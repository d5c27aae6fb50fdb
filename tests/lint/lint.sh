#!/bin/sh
# SPDX-License-Identifier: ISC
# tools/lint.py catches a planted violation of each of its rules, with the file, line and rule, and
# passes a tree that keeps them all.  13 findings: one per rule, plus a file the prefix table does
# not know, an anonymous struct's array, and three stale allowances (ui.c's signal flags).
set -u
src=${WINNOW_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
py=${PYTHON3:-python3}
lint="$src/tools/lint.py"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0
ok() { echo "ok - $1"; }
bad() { echo "not ok - $1"; fails=$((fails + 1)); }

spdx='/* SPDX-License-Identifier: ISC */'
mkdir -p "$t/src/core" "$t/src/store" "$t/src/ui" "$t/src/media" "$t/include" "$t/tests"
# A clean tree first: one file of each kind the rules look at.
cat >"$t/include/util.h" <<E
$spdx
int now_ms(void);
E
cat >"$t/include/store.h" <<E
$spdx
#include "util.h"
int store_feed_remove(void *st, long id) __attribute__((warn_unused_result));
int store_feeds(void *st);
E
cat >"$t/include/ui.h" <<E
$spdx
void ui_run(void);
E
cat >"$t/src/core/util.c" <<E
$spdx
#include "util.h"
static const char *const names[] = {"a", "b"};
static int helper(void) { return names[0][0]; }
int now_ms(void) { return helper(); }
E
cat >"$t/src/store/feeds.c" <<E
$spdx
#include <sqlite3.h>
#include "store.h"
int store_feeds(void *st) { return sqlite3_exec(st, "", 0, 0, 0); }
E
cat >"$t/src/ui/view.c" <<E
$spdx
#include "ui.h"
#include "store.h"
void ui_run(void) {}
E
printf '#!/bin/sh\n# SPDX-License-Identifier: ISC\necho\n' >"$t/tests/a.sh"

if out=$("$py" "$lint" "$t" 2>&1); then ok "a clean tree passes"; else bad "a clean tree passes: $out"; fi

# Now one violation per rule.
expect() {   # expect FILE:LINE RULE — the linter's output has that line
    if printf '%s\n' "$out" | grep -q "^$1: $2: "; then ok "$2 at $1"
    else bad "$2 at $1, got:"; printf '%s\n' "$out" | sed 's/^/#   /'; fi
}
cat >"$t/src/store/bad.c" <<E
$spdx
#include "util.h"
#include "ui.h"
static int counter;
int helper_exported(void) { return counter; }
int store_twice(void) { return curl_easy_init() != 0; }
static struct { int hits; } per_feed[4];
E
# src/ui/ui.c has an allowance for its signal flags (tools/lint.py MUTABLE_ALLOWED): here it has none
cat >"$t/src/ui/ui.c" <<E
$spdx
void ui_quit(void) {}
E
cat >"$t/src/core/long.c" <<E
$spdx
static int f(void)
{
$(i=0; while [ $i -lt 151 ]; do echo "    (void)0;"; i=$((i + 1)); done)
}
int now_long(void) { return f(); }
E
i=0; { echo "$spdx"; while [ $i -lt 800 ]; do echo "/* line */"; i=$((i + 1)); done; } >"$t/src/core/big.h"
cat >>"$t/include/store.h" <<E
int store_item_set_read(void *st, long id,
                        int read);
E
printf '#!/bin/sh\necho no licence line\n' >"$t/tests/b.sh"

if out=$("$py" "$lint" "$t" 2>&1); then bad "a tree with violations fails"; else ok "a tree with violations fails"; fi
expect src/store/bad.c:3 layering
expect src/store/bad.c:4 mutable-global
expect src/store/bad.c:5 prefix
expect src/store/bad.c:6 lib-call
expect src/store/bad.c:7 mutable-global    # an anonymous struct's array
expect src/ui/ui.c:1 mutable-global        # an allowance for what is not there any more
expect src/core/long.c:2 function-size
expect src/core/long.c:1 prefix    # a file the prefix table does not know
expect src/core/big.h:801 file-size
expect include/store.h:5 unchecked-write
expect tests/b.sh:1 spdx
n=$(printf '%s\n' "$out" | grep -c '^[^ ]*:[0-9]*: [a-z-]*: ')
if [ "$n" = 13 ]; then ok "nothing else is reported"; else bad "13 findings, got $n:"; printf '%s\n' "$out" | sed 's/^/#   /'; fi

[ "$fails" = 0 ]
