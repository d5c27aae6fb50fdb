# SPDX-License-Identifier: ISC
# Shell helpers for tests that need the loopback fixture server (tests/integration/server.py).
# Source this file, then:
#   server_start [server.py options, e.g. --docroot DIR]   exports SERVER_URL and SERVER_PID
#   ...                                                    curl "$SERVER_URL/f/atom/theverge.atom.xml"
#   server_stop
# The server binds 127.0.0.1 on a free port and stops by itself after --lifetime seconds (300 by
# default), so a test that dies before server_stop leaves nothing running for long.

server_start() {
    _srv_dir=$(mktemp -d "${TMPDIR:-/tmp}/winnow-server.XXXXXX") || return 1
    _srv_py="${WINNOW_SRCDIR:-.}/tests/integration/server.py"
    if [ ! -f "$_srv_py" ]; then
        echo "server_start: $_srv_py not found (set WINNOW_SRCDIR)" >&2
        return 1
    fi
    "${PYTHON3:-python3}" "$_srv_py" --port-file "$_srv_dir/port" "$@" \
        >"$_srv_dir/log" 2>&1 &
    SERVER_PID=$!
    # Up to 10 s for the port file: python starts in well under a second on an idle machine.
    _srv_i=0
    while [ ! -s "$_srv_dir/port" ]; do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "server_start: server exited early:" >&2
            cat "$_srv_dir/log" >&2
            rm -rf "$_srv_dir"
            return 1
        fi
        _srv_i=$((_srv_i + 1))
        if [ "$_srv_i" -gt 200 ]; then
            echo "server_start: no port after 10 s" >&2
            server_stop
            return 1
        fi
        sleep 0.05
    done
    SERVER_PORT=$(cat "$_srv_dir/port")
    SERVER_URL="http://127.0.0.1:$SERVER_PORT"
    export SERVER_URL SERVER_PID SERVER_PORT
}

server_stop() {
    if [ -n "${SERVER_PID:-}" ]; then
        kill "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
    fi
    [ -n "${_srv_dir:-}" ] && rm -rf "$_srv_dir"
    SERVER_PID=
    SERVER_URL=
    _srv_dir=
}
