# tests/http/lib.sh: helpers for the HTTP end-to-end tests (bash + curl + jq).
# Source tests/lib/testlib.sh first, then this file:
#
#   http_library DIR            create a library in DIR with the HTTP fixtures
#                               (tests/data/http/*) imported
#   start_server LIBDIR [ARGS]  start `sucai serve` on a free loopback port;
#                               sets SERVER_PID, SERVER_PORT, BASE (http://127.0.0.1:PORT)
#                               and SERVER_LOG (its stderr: the access log)
#   stop_server                 SIGTERM, wait; sets SERVER_EXIT (0 = clean shutdown)
#   req METHOD PATH [CURL ARGS] one request: the body goes to $T_TMP/body, the
#                               headers to $T_TMP/headers, the status is printed
#   body / header NAME          the last response's body / one header's value
#   jbody FILTER                jq FILTER over the last body (-r)
#   found BASE QUERY            how many documents a search on BASE finds
#   until_found BASE QUERY      wait up to 5 s until it finds one (non-zero if not)
#   http_need_tools             exit with a SKIP line if curl or jq is missing
#   new_library, drop_library, lib_sql, have_lib_sql: tests/lib/stores.sh
#
# Running this file by itself does nothing (the runner runs every *.sh here).
[[ "${BASH_SOURCE[0]}" == "$0" ]] && exit 0

HTTP_FIXTURES="$REPO/tests/data/http"

http_need_tools() {
    local t
    for t in curl jq; do
        if ! command -v "$t" >/dev/null 2>&1; then
            t_skip "http tests" "$t is not installed"
            exit 0
        fi
    done
    if [ ! -x "$SUCAI" ]; then
        echo "not ok - sucai binary $SUCAI is missing (run make)"
        exit 1
    fi
}

. "$REPO/tests/lib/stores.sh"


http_library() {
    local dir=$1
    "$SUCAI" -L "$dir" init >/dev/null || return 1
    "$SUCAI" -L "$dir" import --quiet "$HTTP_FIXTURES"/* >/dev/null 2>&1
    local rc=$?
    [ $rc -le 1 ] # 1 = some file refused; the fixtures are all good, checked by the tests
}

start_server() {
    local lib=$1; shift
    local out="$T_TMP/server.$$.$RANDOM.out"
    SERVER_LOG="$T_TMP/server.$$.$RANDOM.log"
    : >"$out" # there before the server's shell opens it: the loop below reads it
    "$SUCAI" -L "$lib" serve --listen 127.0.0.1:0 "$@" >"$out" 2>"$SERVER_LOG" &
    SERVER_PID=$!
    SERVER_PORT=
    local i
    for i in $(seq 1 100); do
        SERVER_PORT=$(sed -n 's/^listening on http:\/\/127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$out")
        [ -n "$SERVER_PORT" ] && break
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "# server exited at start:"; sed 's/^/#   /' "$SERVER_LOG"
            return 1
        fi
        sleep 0.05
    done
    if [ -z "$SERVER_PORT" ]; then
        echo "# server did not print its port"
        kill "$SERVER_PID" 2>/dev/null
        return 1
    fi
    BASE="http://127.0.0.1:$SERVER_PORT"
    export BASE SERVER_PORT SERVER_PID SERVER_LOG
}

stop_server() {
    [ -n "${SERVER_PID:-}" ] || return 0
    kill -TERM "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID"
    SERVER_EXIT=$?
    SERVER_PID=
    return 0
}

req() {
    local method=$1 path=$2; shift 2
    curl -s -o "$T_TMP/body" -D "$T_TMP/headers" -w '%{http_code}' --max-time 20 \
        -X "$method" "$@" "$BASE$path"
}

body() { cat "$T_TMP/body"; }

found() { # BASE QUERY: how many documents a search finds
    curl -s --max-time 10 "$1/api/v1/search?q=$2" | jq -r '.total'
}

until_found() { # BASE QUERY: wait up to 5 s for one document (a follower's work)
    local i
    for i in $(seq 1 50); do
        [ "$(found "$1" "$2")" = 1 ] && return 0
        sleep 0.1
    done
    return 1
}

header() {
    tr -d '\r' <"$T_TMP/headers" | awk -v n="$1" 'BEGIN { IGNORECASE = 1 }
        tolower(substr($0, 1, length(n) + 1)) == tolower(n ":") { sub(/^[^:]*: */, ""); print; exit }'
}

jbody() { jq -r "$@" <"$T_TMP/body"; }

# The server must not outlive a failed test script (nor the cluster).
if [ "${SUCAI_STORE:-}" = pg ]; then
    # the server's SQL errors, for whoever reads a failure
    trap 'stop_server; grep -A1 " ERROR: " "$PG_DIR/log" 2>/dev/null | sort | uniq -c | sort -rn |
              head -12 | sed "s/^/# PostgreSQL: /"; pg_stop; rm -rf "$T_TMP"' EXIT
else
    trap 'stop_server; rm -rf "$T_TMP"' EXIT
fi
