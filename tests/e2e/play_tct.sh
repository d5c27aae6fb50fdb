#!/bin/bash
# SPDX-License-Identifier: ISC
# Playback in the terminal, in tmux.  From a shell: `winnow play --vo tct` draws colour blocks, the
# preset key switches to 256 colours, > and < move through the queue, q quits, the screen underneath
# is intact and Ctrl-C / Ctrl-Z work as before.  Through the handoff (tests/player_term_prog, an
# ncurses program using player_term_suspend/resume): the screen comes back identical, any number of
# times, a resize during playback is picked up, and its Ctrl-C handler and ncurses' Ctrl-Z still work.
. "$WINNOW_SRCDIR/tests/integration/lib.sh"
. "$WINNOW_SRCDIR/tests/integration/serverctl.sh"
command -v ffmpeg >/dev/null || { echo "SKIP: ffmpeg not installed (it makes the test clip)"; exit 77; }
setup_home
. "$WINNOW_SRCDIR/tests/e2e/lib.sh"
trap 'tmux_stop; server_stop; cleanup_home' EXIT
PROG="$WINNOW_BUILDDIR/tests/player_term_prog"
[ -x "$PROG" ] || { echo "FAIL: $PROG is not built (make check builds it)"; exit 1; }

D="$T/www"
mkdir -p "$D/hls"
clip() {
  ffmpeg -loglevel error -y -f lavfi -i "testsrc=size=160x120:rate=25:duration=3" \
    -f lavfi -i "sine=frequency=440:duration=3" -c:v "$2" -g 25 -pix_fmt yuv420p -c:a aac -b:a 32k \
    -shortest "$1"
}
clip "$D/clip.mp4" libx264 2>/dev/null || clip "$D/clip.mp4" mpeg4 || { echo "FAIL: ffmpeg made no clip"; exit 1; }
ffmpeg -loglevel error -y -i "$D/clip.mp4" -c copy -f hls -hls_time 1 -hls_playlist_type vod \
  "$D/hls/index.m3u8" || exit 1
server_start --docroot "$D" || exit 1
U="$SERVER_URL/d"

screen_e() { tmux -S "$SOCK" capture-pane -t w -p -e; }
# wait_sgr TEXT [SECONDS]: until the pane holds TEXT among its colour codes
wait_sgr() {
  local i=0 limit=$(( ${2:-15} * 20 ))
  while [ $i -lt $limit ]; do
    screen_e | grep -qF -- "$1" && return 0
    sleep 0.05; i=$((i + 1))
  done
  return 1
}
# same_screen HOW TEXT: until the pane (screen or screen_e) shows exactly TEXT again, 10 s at
# most: the program repaints after a handoff at its own pace, slower on a loaded machine
same_screen() {
  local i=0
  while [ $i -lt 200 ]; do
    [ "$($1)" = "$2" ] && return 0
    sleep 0.05; i=$((i + 1))
  done
  echo "--- screen while waiting for it to be as before:"; $1
  return 1
}
# settled HOW: the pane once two looks 0.2 s apart agree (the program has finished painting)
settled() {
  local a b i=0
  a=$($1)
  while [ $i -lt 50 ]; do
    sleep 0.2; b=$($1)
    [ "$a" = "$b" ] && break
    a=$b; i=$((i + 1))
  done
  printf '%s' "$b"
}
# wait_log TEXT [SECONDS]: until the program's log has TEXT
wait_log() {
  local i=0 limit=$(( ${2:-15} * 20 ))
  while [ $i -lt $limit ]; do
    grep -qF -- "$1" "$T/prog.log" 2>/dev/null && return 0
    sleep 0.05; i=$((i + 1))
  done
  echo "--- log while waiting for '$1':"; cat "$T/prog.log"
  return 1
}
shell() {  # a plain shell in a 100x30 pane, winnow's files isolated
  if [ -n "$SOCK" ]; then
    # a new server on the socket of one still going down fails to start: wait it out
    tmux_stop
    for _ in $(seq 100); do tmux -S "$SOCK" list-sessions >/dev/null 2>&1 || break; sleep 0.05; done
    rm -f "$SOCK"
  fi
  tmux_start 100 30 env PS1='$ ' TERM=xterm-256color XDG_CONFIG_HOME="$XDG_CONFIG_HOME" \
    XDG_DATA_HOME="$XDG_DATA_HOME" WINNOW_DB="$WINNOW_DB" bash --norc --noprofile
  wait_for '$' >/dev/null
}
W="$WINNOW_BIN play --vo tct --ao null --no-mpv-config"

# --- the CLI --------------------------------------------------------------------------------------
shell
tmux_keys "echo marker-before" Enter
expect "the shell runs" wait_for "marker-before"
tmux_keys "$W --preset full -o loop-file=inf $U/clip.mp4" Enter
expect "vo=tct draws truecolour blocks" wait_sgr "48;2;"
tmux_keys b
expect "the preset key (b) switches to 256 colours" wait_sgr "48;5;"
tmux_keys q
expect "q quits, with the reason" wait_for "clip.mp4: quit at"
expect "…and the screen underneath is intact (alternate screen)" wait_for "marker-before"
tmux_keys "sleep 100" Enter
sleep 0.3
tmux_keys C-c
tmux_keys "echo status-\$?" Enter
expect "Ctrl-C still interrupts a command in the shell" wait_for "status-130"
tmux_keys "sleep 100" Enter
sleep 0.3
tmux_keys C-z
expect "Ctrl-Z still stops one" wait_for "Stopped"
tmux_keys "kill %1" Enter

tmux_keys "clear" Enter
tmux_keys "$W $U/missing.mp4; echo exit-\$?" Enter
expect "a stream that fails: exit 1 with the reason" wait_for "exit-1"
expect "…shown in the shell" wait_for "missing.mp4: error: loading failed (HTTP 404 Not Found)"
tmux_keys "sleep 100" Enter
sleep 0.3
tmux_keys C-c
tmux_keys "echo again-\$?" Enter
expect "…and the terminal still works (Ctrl-C)" wait_for "again-130"

tmux_keys "clear" Enter
tmux_keys "$W -o loop-file=inf $U/clip.mp4 $U/hls/index.m3u8" Enter
wait_sgr "48;" >/dev/null
tmux_keys '>'
sleep 1
tmux_keys '<'
sleep 1
tmux_keys q
expect "> then < then q: the first entry quit…" wait_for "clip.mp4: quit at"
expect "…the second was skipped" wait_for "index.m3u8: skipped at"

tmux_keys "clear" Enter
tmux_keys "$W --untimed $U/clip.mp4; echo exit-\$?" Enter
expect "a clip played to its end in the terminal: ended, exit 0" wait_for "exit-0" 30
expect "…with its line" wait_for "clip.mp4: ended"

# --- the handoff from ncurses and back ------------------------------------------------------------
shell
tmux_keys "$PROG $U/clip.mp4 $T/prog.log loop-file=inf" Enter
expect "the ncurses program is up" wait_log "ready 100x30"
before=$(settled screen_e)
tmux_keys p
expect "p: mpv draws the clip over it" wait_sgr "48;2;"
tmux_keys q
expect "q: back from mpv" wait_log "resumed 1 resized 0 size 100x30 end QUIT"
expect "…and the screen is exactly as before (with colours)" same_screen screen_e "$before"

tmux_keys p
wait_sgr "48;2;" >/dev/null
tmux -S "$SOCK" resize-window -t w -x 80 -y 24
sleep 0.3
tmux_keys q
expect "a resize during playback is picked up on return" wait_log "resumed 2 resized 1 size 80x24 end QUIT"
expect "…and drawn at the new size" wait_for "size 80x24"

tmux_keys r
wait_log "redrawn" >/dev/null
before=$(settled screen_e)
tmux_keys p
wait_sgr "48;2;" >/dev/null
tmux_keys q
expect "a third time" wait_log "resumed 3 resized 0 size 80x24 end QUIT"
expect "…the screen is again exactly as before" same_screen screen_e "$before"

tmux_keys C-c
expect "after playback Ctrl-C reaches the program's own handler" wait_log "interrupt 1"
expect "…which keeps it running" wait_for "interrupts 1"
before=$(settled screen)
tmux_keys C-z
expect "Ctrl-Z stops it (ncurses' handler gives the shell back)" wait_for "Stopped"
tmux_keys "fg" Enter
expect "fg brings it back" wait_for "player_term_prog"
expect "…repainted as it was" same_screen screen "$before"
tmux_keys q
expect "q ends it" wait_log "bye"
finish
