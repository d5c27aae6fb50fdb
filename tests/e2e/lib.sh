# SPDX-License-Identifier: ISC
# tmux helpers for the end-to-end tests: a detached session of fixed size running winnow.
command -v tmux >/dev/null || { echo "SKIP: tmux not installed"; exit 77; }
SOCK=""
tmux_start() {  # tmux_start COLS ROWS command...
  local cols=$1 rows=$2; shift 2
  SOCK="$T/tmux.sock"
  tmux -S "$SOCK" -f /dev/null new-session -d -s w -x "$cols" -y "$rows" "$@"
  tmux -S "$SOCK" set-option -t w remain-on-exit on >/dev/null
}
tmux_keys() { tmux -S "$SOCK" send-keys -t w "$@"; }
screen() { tmux -S "$SOCK" capture-pane -t w -p; }
# kill-server returns before the server is gone; a new session on the same socket meanwhile
# reaches the dying server ("server exited unexpectedly"): wait for the server process to go.
tmux_stop() {
  [ -n "$SOCK" ] || return 0
  local pid i=0
  pid=$(tmux -S "$SOCK" display-message -p '#{pid}' 2>/dev/null)
  tmux -S "$SOCK" kill-server 2>/dev/null
  while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ $i -lt 40 ]; do sleep 0.05; i=$((i + 1)); done
  true
}
# wait_for TEXT [SECONDS]: until the pane shows TEXT (10 s unless told: it returns as soon as the
# text is there, and a loaded CI machine running the sanitizer build is slow)
wait_for() {
  local i=0 limit=$(( ${2:-10} * 20 ))
  while [ $i -lt $limit ]; do
    screen | grep -qF -- "$1" && return 0
    sleep 0.05; i=$((i + 1))
  done
  echo "--- screen while waiting for '$1':"; screen
  return 1
}
pane_dead() { [ "$(tmux -S "$SOCK" display-message -t w -p '#{pane_dead}')" = 1 ]; }
screen_e() { tmux -S "$SOCK" capture-pane -t w -p -e; }
tmux_resize() { tmux -S "$SOCK" resize-window -t w -x "$1" -y "$2"; }
pane_pid() { tmux -S "$SOCK" display-message -t w -p '#{pane_pid}'; }
pane_status() { tmux -S "$SOCK" display-message -t w -p '#{pane_dead_status}'; }
# wait_gone TEXT [SECONDS]: until the pane no longer shows TEXT
wait_gone() {
  local i=0 limit=$(( ${2:-5} * 20 ))
  while [ $i -lt $limit ]; do
    screen | grep -qF -- "$1" || return 0
    sleep 0.05; i=$((i + 1))
  done
  echo "--- screen still showing '$1':"; screen
  return 1
}
# wait_dead [SECONDS]: until the program in the pane has exited
wait_dead() {
  local i=0 limit=$(( ${1:-5} * 20 ))
  while [ $i -lt $limit ]; do
    pane_dead && return 0
    sleep 0.05; i=$((i + 1))
  done
  return 1
}
# The line the reader's cursor bar is on (UTF-8 drawing: "▌"; ASCII: ">").
cursor_line() { screen | grep -m1 -E '^(▌|>)'; }
# cursor_on TEXT [SECONDS]: until the cursor's line holds TEXT
cursor_on() {
  local i=0 limit=$(( ${2:-5} * 20 ))
  while [ $i -lt $limit ]; do
    cursor_line | grep -qF -- "$1" && return 0
    sleep 0.05; i=$((i + 1))
  done
  echo "--- cursor line while waiting for '$1': $(cursor_line)"; screen
  return 1
}

# The environment every reader test runs winnow in: the test's home and database, the source
# tree's themes, a UTF-8 locale, and stderr kept in $T/stderr (sanitizer reports land there).
WINNOW_TUI_ENV() {
  printf '%s\n' TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 WINNOW_DB="$WINNOW_DB" \
    XDG_CONFIG_HOME="$XDG_CONFIG_HOME" XDG_DATA_HOME="$XDG_DATA_HOME" XDG_CACHE_HOME="$XDG_CACHE_HOME" \
    WINNOW_THEMES_DIR="$WINNOW_SRCDIR/themes" NO_COLOR= COLORTERM= ESCDELAY=25
}
# The pane runs winnow under a shell that keeps its exit status in $T/stderr.rc: tmux 3.3 now and
# then marks a pane dead without ever reporting the status of its process.
WINNOW_TUI_SH='f=$1; shift; "$@" 2>>"$f"; echo $? >"$f.rc"'
# The reader's process id (the pane's shell is its parent).
winnow_pid() { ps -o pid= --ppid "$(pane_pid)" | tr -d ' ' | head -1; }
# winnow_tmux COLS ROWS [VAR=VALUE...]: the reader in tmux (VAR=VALUE override the defaults).
winnow_tmux() {
  local cols=$1 rows=$2; shift 2
  local IFS='
'
  # shellcheck disable=SC2046
  rm -f "$T/stderr.rc"
  tmux_start "$cols" "$rows" sh -c "$WINNOW_TUI_SH" sh "$T/stderr" \
    env $(WINNOW_TUI_ENV) "$@" "$WINNOW_BIN"
}
# winnow_tmux_logged COLS ROWS LOG [VAR=VALUE...]: the same, with every byte winnow writes to the
# terminal appended to LOG (tmux pipe-pane is attached before winnow starts).
winnow_tmux_logged() {
  local cols=$1 rows=$2 log=$3; shift 3
  local IFS='
'
  # shellcheck disable=SC2046
  rm -f "$T/stderr.rc"
  tmux_start "$cols" "$rows" sh -c "read _; $WINNOW_TUI_SH" sh "$T/stderr" \
    env $(WINNOW_TUI_ENV) "$@" "$WINNOW_BIN"
  : >"$log"
  tmux -S "$SOCK" pipe-pane -t w -O "cat >>'$log'"
  tmux_keys Enter
}
# quit_cleanly: q until the reader exits; it must exit 0 with nothing on stderr.
quit_cleanly() {
  local i=0
  while ! pane_dead && [ $i -lt 10 ]; do tmux_keys q; sleep 0.15; i=$((i + 1)); done
  expect "the reader quits" wait_dead
  local st="" k=0
  while [ ! -s "$T/stderr.rc" ] && [ $k -lt 100 ]; do sleep 0.05; k=$((k + 1)); done
  st=$(cat "$T/stderr.rc" 2>/dev/null)
  expect_eq "exit status" "$st" 0
  if [ -s "$T/stderr" ]; then bad "nothing on stderr, got: $(head -c 2000 "$T/stderr")"; else ok "nothing on stderr"; fi
  tmux_stop
  : >"$T/stderr"
}
# make_feed FILE TITLE COUNT PREFIX [NEWEST_UNIX] [LINK_BASE]: an RSS 2.0 file with COUNT items,
# "PREFIX 01" .. "PREFIX COUNT", newest (the highest number) first, one hour apart.
make_feed() {
  "$PY" - "$@" <<'PYEOF'
import sys, time, email.utils
path, title, n, prefix = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
newest = int(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[5] else int(time.time()) - 3600
base = sys.argv[6] if len(sys.argv) > 6 else "https://example.org/" + prefix.replace(" ", "-").lower()
out = ['<?xml version="1.0" encoding="UTF-8"?>', '<rss version="2.0"><channel>',
       f"<title>{title}</title><link>{base}/</link><description>test</description>"]
for k in range(n, 0, -1):
    date = email.utils.formatdate(newest - (n - k) * 3600, usegmt=True)
    out.append(f"<item><title>{prefix} {k:02d}</title><link>{base}/{k}?a=1&amp;b=2</link>"
               f"<guid>{base}/{k}</guid><pubDate>{date}</pubDate>"
               f"<description>Summary of {prefix.lower()} number {k}. Needle{k}x.</description></item>")
out.append("</channel></rss>")
open(path, "w").write("\n".join(out))
PYEOF
}
