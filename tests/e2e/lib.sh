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
tmux_stop() { [ -n "$SOCK" ] && tmux -S "$SOCK" kill-server 2>/dev/null; true; }
# wait_for TEXT [SECONDS]: until the pane shows TEXT
wait_for() {
  local i=0 limit=$(( ${2:-5} * 20 ))
  while [ $i -lt $limit ]; do
    screen | grep -qF -- "$1" && return 0
    sleep 0.05; i=$((i + 1))
  done
  echo "--- screen while waiting for '$1':"; screen
  return 1
}
pane_dead() { [ "$(tmux -S "$SOCK" display-message -t w -p '#{pane_dead}')" = 1 ]; }
