#!/usr/bin/env bash
# bench/http/run.sh: `sucai serve` under load with wrk, beside Groonga's own
# HTTP server on the same queries (the anchors in ../shared/anchors/http).
#
#   LIB          the library to serve (default ../bench-data/lib-S90M, built by bench/run)
#   QUERIES      class<TAB>query lines (default ../bench-data/results-S90M/queries.txt,
#                else ../shared/anchors/queries_scale.txt)
#   CONNS        connection counts (default "1 8 32 64"); DUR seconds each (20), WARM (5)
#   THREADS      wrk threads (2); SERVER_THREADS for sucai (default: one per CPU)
#   GROONGA_DB   Groonga database for the anchor (default ../bench-data/groonga-S90M/db;
#                skipped when missing or when groonga is not installed)
#   OUT          results folder (default ../bench-data/http-<library name>)
#
# Every search request does the real work: the default top 20 with snippets
# and facet counts. Prints one table (the anchors' summarize.py) with req/s,
# p50/p90/p99, errors and the CPU the server used.
set -u
cd "$(dirname "$0")/../.."
REPO=$PWD
SUCAI=${SUCAI:-$REPO/${BUILD:-build}/sucai}
SHARED=$(cd "${SUCAI_SHARED:-$REPO/../shared}" 2>/dev/null && pwd) || { echo "bench/http: no shared folder (set SUCAI_SHARED)"; exit 2; }
BD=$(cd "${SUCAI_BENCH_DIR:-$REPO/../bench-data}" 2>/dev/null && pwd) || BD=$REPO/../bench-data
LIB=${LIB:-$BD/lib-S90M}
QUERIES=${QUERIES:-$BD/results-S90M/queries.txt}
[ -f "$QUERIES" ] || QUERIES=$SHARED/anchors/queries_scale.txt
CONNS=${CONNS:-"1 8 32 64"}
DUR=${DUR:-20}; WARM=${WARM:-5}; THREADS=${THREADS:-2}
GROONGA_DB=${GROONGA_DB:-$BD/groonga-S90M/db}
OUT=${OUT:-$BD/http-$(basename "$LIB")}
HZ=$(getconf CLK_TCK)
[ -x "$SUCAI" ] || { echo "bench/http: $SUCAI not built (make)"; exit 2; }
[ -f "$LIB/library.db" ] || { echo "bench/http: no library at $LIB (bench/run builds it; or set LIB)"; exit 2; }
command -v wrk >/dev/null || { echo "bench/http: wrk is not installed"; exit 2; }
rm -rf "$OUT/raw"
mkdir -p "$OUT/raw"

# the same queries as sucai API paths
python3 - "$QUERIES" "$OUT/paths.txt" <<'EOF'
import sys
from urllib.parse import quote
with open(sys.argv[2], 'w') as out:
    for line in open(sys.argv[1], encoding='utf-8'):
        line = line.rstrip('\n')
        if line:
            q = line.split('\t', 1)[-1]
            out.write('/api/v1/search?q=' + quote(q, safe='') + '\n')
EOF
echo "library $LIB: $("$SUCAI" -L "$LIB" stats | tr -s ' ' | head -2 | tr '\n' ' ')"
echo "queries $QUERIES: $(wc -l <"$OUT/paths.txt") paths; $DUR s per run, wrk -t$THREADS"

SRVPID=
snap() { # server ticks, machine busy ticks, machine total ticks
    local s=0 f
    if [ -r "/proc/$SRVPID/stat" ]; then f=($(sed 's/^.*) //' "/proc/$SRVPID/stat")); s=$((f[11] + f[12])); fi
    read -r _ u n sy id io irq sirq st _ </proc/stat
    echo "$s $((u + n + sy + irq + sirq + st)) $((u + n + sy + id + io + irq + sirq + st))"
}
bench() { # NAME URL [PATHS]
    local name=$1 url=$2 paths=${3:-} script=() c a b
    [ -n "$paths" ] && script=(-s "$SHARED/anchors/http/cycle.lua")
    wrk -t"$THREADS" -c32 -d"${WARM}s" "${script[@]}" "$url" ${paths:+-- "$paths" "$THREADS"} >"$OUT/raw/${name}_warmup.txt" 2>&1
    for c in $CONNS; do
        local t=$THREADS
        [ "$c" -lt "$t" ] && t=$c
        a=($(snap))
        wrk -t"$t" -c"$c" -d"${DUR}s" --latency "${script[@]}" "$url" ${paths:+-- "$paths" "$t"} >"$OUT/raw/${name}_c$c.txt" 2>&1
        b=($(snap))
        awk -v s=$((b[0] - a[0])) -v bu=$((b[1] - a[1])) -v tt=$((b[2] - a[2])) -v hz="$HZ" -v d="$DUR" \
            'BEGIN { printf "CPU server_cores=%.2f machine_busy=%.0f%%\n", s / hz / d, 100 * bu / tt }' >>"$OUT/raw/${name}_c$c.txt"
        echo "== $name c=$c: $(grep -E 'Requests/sec' "$OUT/raw/${name}_c$c.txt") $(tail -1 "$OUT/raw/${name}_c$c.txt")"
    done
}

# ---- sucai ----
cat "$LIB"/library.db "$LIB"/index/* >/dev/null 2>&1 # warm the page cache
"$SUCAI" -L "$LIB" serve --listen 127.0.0.1:0 --quiet ${SERVER_THREADS:+--threads "$SERVER_THREADS"} >"$OUT/serve.out" 2>"$OUT/serve.err" &
SRVPID=$!
trap 'kill "$SRVPID" 2>/dev/null' EXIT
for i in $(seq 100); do
    PORT=$(sed -n 's/^listening on http:\/\/127\.0\.0\.1:\([0-9]*\)$/\1/p' "$OUT/serve.out")
    [ -n "$PORT" ] && break
    sleep 0.1
done
[ -n "${PORT:-}" ] || { echo "bench/http: server did not start"; cat "$OUT/serve.err"; exit 2; }
URL=http://127.0.0.1:$PORT
# every query must answer 200 before it is timed
bad=0
while read -r p; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$URL$p")
    [ "$code" = 200 ] || { bad=$((bad + 1)); [ $bad -le 5 ] && echo "  $code $p"; }
done <"$OUT/paths.txt"
echo "check: $bad of $(wc -l <"$OUT/paths.txt") queries did not answer 200"
bench sucai_search "$URL" "$OUT/paths.txt"
bench sucai_healthz "$URL/healthz"
curl -s "$URL/metrics" >"$OUT/metrics.txt"
echo "server RSS: $(awk '/VmRSS/ { print $2, $3 }' "/proc/$SRVPID/status")"
kill -TERM "$SRVPID"; wait "$SRVPID"; echo "sucai exited $?"
trap - EXIT

# ---- Groonga's own HTTP server, same queries, same settings ----
if command -v groonga >/dev/null && [ -e "$GROONGA_DB" ]; then
    GPORT=$(python3 -c "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])")
    python3 "$SHARED/anchors/http/make_paths.py" "$QUERIES" "$OUT/groonga_paths.txt"
    cat "$GROONGA_DB"* >/dev/null
    groonga -s --protocol http --bind-address 127.0.0.1 -p "$GPORT" --cache-limit 0 \
        --log-path "$OUT/groonga.log" "$GROONGA_DB" >"$OUT/groonga.out" 2>&1 &
    SRVPID=$!
    for i in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$GPORT/d/status" && break; sleep 0.1; done
    bench groonga_select "http://127.0.0.1:$GPORT" "$OUT/groonga_paths.txt"
    kill "$SRVPID"; wait "$SRVPID" 2>/dev/null
else
    echo "skip Groonga: groonga not installed or no database at $GROONGA_DB"
fi

echo
python3 "$SHARED/anchors/http/summarize.py" "$OUT/raw" | tee "$OUT/summary.md"
