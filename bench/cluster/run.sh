#!/usr/bin/env bash
# bench/cluster/run.sh (make bench-cluster): sucai over PostgreSQL beside
# the SQLite library, several nodes, nginx in front (issue 17's figures).
#
#   CORPUS    docs (default: ../shared/corpus/docs, 4,416 documents), S90M
#             (the 9000万字 corpus, built in ../bench-data/S90M as bench/run
#             does when missing) or a folder of documents
#   QUERIES   class<TAB>query lines (default ../shared/anchors/queries_scale.txt)
#   ROUNDS    passes over the queries per node for search latency (3)
#   FRESH_N   new documents for freshness (50); EXTRA_N copies for recovery (200)
#   WRK_DUR   seconds per wrk run (15), 32 connections
#   PG_OPTS   extra postgres -c settings (default none: fsync on, as deployed)
#   KEEP=1    keep the temp folder (caches, logs)
#
# One run: (1) import MB/s into PostgreSQL and into a SQLite folder (once
# each), (2) search p50/p95 over HTTP, one connection, node on PostgreSQL
# vs node on SQLite, (3) cold start of nodes with an empty cache, (4) a node
# killed with -9 mid catch-up and restarted on its cache, (5) freshness of
# FRESH_N single imports on 3 nodes, (6) wrk through nginx over 1 vs 3
# nodes. Prints one table, also written to ../bench-data/cluster-<corpus>/results.md.
set -u
cd "$(dirname "$0")/../.."
REPO=$PWD
SUCAI=${SUCAI:-$REPO/${BUILD:-build}/sucai}
SHARED=$(cd "${SUCAI_SHARED:-$REPO/../shared}" 2>/dev/null && pwd) || { echo "bench/cluster: no shared folder (set SUCAI_SHARED)"; exit 2; }
mkdir -p "${SUCAI_BENCH_DIR:-$REPO/../bench-data}"
BD=$(cd "${SUCAI_BENCH_DIR:-$REPO/../bench-data}" && pwd)
CORPUS=${CORPUS:-docs}
QUERIES=${QUERIES:-$SHARED/anchors/queries_scale.txt}
ROUNDS=${ROUNDS:-3}; FRESH_N=${FRESH_N:-50}; EXTRA_N=${EXTRA_N:-200}; WRK_DUR=${WRK_DUR:-15}
PROBE=$REPO/bench/cluster/probe.py
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
PG_AS=()
[ "$(id -u)" = 0 ] && PG_AS=(runuser -u postgres --)

die() { echo "bench/cluster: $*" >&2; exit 2; }
log() { printf '%s  %s\n' "$(date +%T)" "$*" >&2; }
now() { date +%s.%N; }
calc() { python3 -c "print($1)"; }

# ---- the corpus
case $CORPUS in
docs) DOCS=$SHARED/corpus/docs; NAME=docs ;;
S90M)
    NAME=S90M; DOCS=$BD/S90M/docs
    if [ ! -f "$BD/S90M/manifest.tsv" ]; then # as bench/run builds it
        log "building the corpus S90M in $BD/S90M"
        python3 "$SHARED/corpus/scale.py" --chars 90000000 --out "$BD/S90M" --seed 1 &&
            python3 "$SHARED/anchors/convert_scale.py" "$BD/S90M" || die "corpus build failed"
    fi ;;
*) DOCS=$(cd "$CORPUS" && pwd) || die "no corpus $CORPUS"; NAME=$(basename "$DOCS") ;;
esac
OUT=$BD/cluster-$NAME
mkdir -p "$OUT"
[ -x "$SUCAI" ] || die "$SUCAI not built (make)"
[ -x "$PGBIN/initdb" ] || die "no PostgreSQL server installed"
for t in nginx wrk curl python3; do command -v $t >/dev/null || [ -x /usr/sbin/$t ] || die "$t is not installed"; done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# ---- everything started is stopped at exit, also on failure
T=$(mktemp -d /tmp/sucai-cluster.XXXXXX)
chmod 755 "$T"
PIDS=()
NGINX_PID=
cleanup() {
    local p
    [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${PIDS[@]}" $NGINX_PID; do wait "$p" 2>/dev/null; done
    [ -d "$T/pg/data" ] && "${PG_AS[@]}" "$PGBIN/pg_ctl" -D "$T/pg/data" -w -m fast stop >/dev/null 2>&1
    if [ -n "${KEEP:-}" ]; then echo "kept $T" >&2; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- PostgreSQL in $T/pg on a Unix socket (as tests/lib/pg.sh)
pg_start() {
    mkdir -p "$T/pg"
    [ "$(id -u)" = 0 ] && chown postgres "$T/pg"
    "${PG_AS[@]}" "$PGBIN/initdb" -D "$T/pg/data" -A trust -U sucai -E UTF8 --no-locale >"$T/pg/initdb.log" 2>&1 &&
        "${PG_AS[@]}" "$PGBIN/pg_ctl" -D "$T/pg/data" -w -l "$T/pg/log" \
            -o "-k $T/pg -c listen_addresses= ${PG_OPTS:-}" start >/dev/null &&
        "${PG_AS[@]}" "$PGBIN/createdb" -h "$T/pg" -U sucai bench
}
psql_1() { "${PG_AS[@]}" "$PGBIN/psql" -h "$T/pg" -U sucai -d bench -XAtq -c "$1"; }
max_seq() { psql_1 'SELECT coalesce(max(seq), 0) FROM changes'; }

# ---- nodes: node NAME LIB [CACHE] starts one; sets URL_<NAME>, PID_<NAME>
node() {
    local name=$1 lib=$2 cache=${3:-} port= i pid
    SUCAI_CACHE=$cache "$SUCAI" -L "$lib" serve --listen 127.0.0.1:0 --quiet >"$T/$name.out" 2>"$T/$name.err" &
    pid=$!
    PIDS+=("$pid")
    for i in $(seq 1200); do # a cold node may build its index before it listens
        port=$(sed -n 's/^listening on http:\/\/127\.0\.0\.1:\([0-9]*\)$/\1/p' "$T/$name.out")
        [ -n "$port" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    [ -n "$port" ] || { cat "$T/$name.err" >&2; die "node $name did not start"; }
    printf -v "URL_$name" '%s' "http://127.0.0.1:$port"
    printf -v "PID_$name" '%s' "$pid"
}
stop_node() { # NAME [SIGNAL]
    local v=PID_$1
    kill -"${2:-TERM}" "${!v}" 2>/dev/null
    wait "${!v}" 2>/dev/null
}
first_segment() { sed -n 's/^segment \([^ ]*\) .*/\1/p' "$1/index/MANIFEST" | head -1; }
node_seq() { curl -s -o /dev/null -D - --max-time 5 "$1/api/v1/search?q=x&limit=1" | tr -d '\r' | sed -n 's/^X-Sucai-Seq: //ip'; }
free_port() { python3 -c "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])"; }

# ---- 1. import, the same files into each store, once each
import_timed() { # LIB CACHE: prints wall seconds
    local t0 t1
    t0=$(now)
    SUCAI_CACHE=$2 "$SUCAI" -L "$1" import --quiet "$DOCS" >"$T/import.out" 2>&1 || { cat "$T/import.out" >&2; die "import into $1 failed"; }
    t1=$(now)
    calc "'%.2f' % ($t1 - $t0)"
}

# ---- 6. nginx in front of the nodes: one server block per upstream list
nginx_start() { # PORT1 PORT3 NODE-URL...
    local p1=$1 p3=$2 u
    shift 2
    mkdir -p "$T/nginx/logs"
    {
        echo "worker_processes 1; pid $T/nginx/nginx.pid; error_log $T/nginx/logs/error.log;"
        [ "$(id -u)" = 0 ] && echo "user root;"
        echo "events { worker_connections 1024; }"
        echo "http { access_log off;"
        for d in client_body proxy fastcgi uwsgi scgi; do echo " ${d}_temp_path $T/nginx/$d;"; done
        echo " upstream one { server ${1#http://}; keepalive 64; }"
        echo " upstream three {"
        for u in "$@"; do echo "  server ${u#http://};"; done
        echo "  keepalive 64; }"
        for u in "one $p1" "three $p3"; do
            set -- $u
            echo " server { listen 127.0.0.1:$2; location / { proxy_pass http://$1; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"
        done
        echo "}"
    } >"$T/nginx/nginx.conf"
    "$NGINX" -p "$T/nginx" -c "$T/nginx/nginx.conf" -g 'daemon off;' 2>"$T/nginx/stderr" &
    NGINX_PID=$!
    local i
    for i in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$p1/healthz" && return 0; sleep 0.1; done
    cat "$T/nginx/stderr" "$T/nginx/logs/error.log" >&2 2>/dev/null
    die "nginx did not start"
}
wrk_run() { # NAME URL: prints "req/s p99_ms errors"
    wrk -t2 -c32 -d3s -s "$SHARED/anchors/http/cycle.lua" "$2" -- "$T/paths.txt" 2 >/dev/null 2>&1 # warm-up
    wrk -t2 -c32 -d"${WRK_DUR}s" --latency -s "$SHARED/anchors/http/cycle.lua" "$2" -- "$T/paths.txt" 2 >"$OUT/wrk-$1.txt" 2>&1
    python3 - "$OUT/wrk-$1.txt" <<'EOF'
import re, sys
t = open(sys.argv[1]).read()
rps = re.search(r'Requests/sec:\s*([\d.]+)', t)
p99 = re.search(r'^\s*99%\s+([\d.]+)(us|ms|s)\b', t, re.M)
err = sum(int(x) for x in re.findall(r'(?:connect|read|write|timeout) (\d+)', t))
err += sum(int(x) for x in re.findall(r'Non-2xx or 3xx responses: (\d+)', t))
ms = float(p99.group(1)) * {'us': 0.001, 'ms': 1, 's': 1000}[p99.group(2)] if p99 else float('nan')
print(f"{float(rps.group(1)) if rps else float('nan'):.0f} {ms:.1f} {err}")
EOF
}

# ================================================================ the run
BYTES=$(find "$DOCS" -type f \( -name '*.txt' -o -name '*.docx' -o -name '*.md' \) -printf '%s\n' | awk '{s += $1} END {print s}')
NFILES=$(find "$DOCS" -type f \( -name '*.txt' -o -name '*.docx' -o -name '*.md' \) | wc -l)
python3 - "$QUERIES" "$T/paths.txt" <<'EOF' # as bench/http/run.sh: queries -> API paths
import sys
from urllib.parse import quote
with open(sys.argv[2], 'w') as out:
    for line in open(sys.argv[1], encoding='utf-8'):
        line = line.rstrip('\n')
        if line:
            out.write('/api/v1/search?q=' + quote(line.split('\t', 1)[-1], safe='') + '\n')
EOF
NQ=$(wc -l <"$T/paths.txt")
log "corpus $NAME: $NFILES files, $BYTES bytes ($DOCS); $NQ queries; temp $T"
pg_start || { cat "$T/pg/initdb.log" "$T/pg/log" >&2 2>/dev/null; die "PostgreSQL did not start"; }
PGURL="postgresql://sucai@/bench?host=$T/pg"
SQL=$T/sqlite
"$SUCAI" -L "$SQL" init >/dev/null || die "init $SQL"
"$SUCAI" -L "$PGURL" --cache "$T/cache-cli" init >/dev/null || die "init $PGURL"
find "$DOCS" -type f -exec cat {} + >/dev/null # both imports read from the page cache

log "1. import into SQLite"
IMP_SQL=$(import_timed "$SQL" "")
log "   $IMP_SQL s"
log "1. import into PostgreSQL"
IMP_PG=$(import_timed "$PGURL" "$T/cache-cli")
log "   $IMP_PG s"
MB_SQL=$(calc "'%.1f' % ($BYTES / 1e6 / $IMP_SQL)")
MB_PG=$(calc "'%.1f' % ($BYTES / 1e6 / $IMP_PG)")
SEQ0=$(max_seq)
NDOCS=$(psql_1 'SELECT count(*) FROM documents' 2>/dev/null || echo "?")

log "3. cold start of node P1 (empty cache) to seq $SEQ0"
t0=$(now)
node P1 "$PGURL" "$T/cache1"
read -r COLD1 TOT1 <<<"$(python3 "$PROBE" seq "$URL_P1" "$SEQ0" "$t0" 600)"
log "   $COLD1 s (通知: $TOT1 documents)"

log "2. search latency, $ROUNDS rounds of $NQ queries each, node on SQLite vs P1"
node S "$SQL"
python3 "$PROBE" lat "$URL_S" "$T/paths.txt" 1 "$T/warm.tsv" >/dev/null # warm both
python3 "$PROBE" lat "$URL_P1" "$T/paths.txt" 1 "$T/warm.tsv" >/dev/null
read -r S50 S95 SN SE <<<"$(python3 "$PROBE" lat "$URL_S" "$T/paths.txt" "$ROUNDS" "$OUT/totals-sqlite.tsv")"
read -r P50 P95 PN PE <<<"$(python3 "$PROBE" lat "$URL_P1" "$T/paths.txt" "$ROUNDS" "$OUT/totals-pg.tsv")"
sed 's/$/\&limit=0/' "$T/paths.txt" >"$T/paths0.txt" # counts only: the index without the store's text
read -r S0_50 S0_95 _ <<<"$(python3 "$PROBE" lat "$URL_S" "$T/paths0.txt" "$ROUNDS" "$T/t0.tsv")"
read -r P0_50 P0_95 _ <<<"$(python3 "$PROBE" lat "$URL_P1" "$T/paths0.txt" "$ROUNDS" "$T/t0.tsv")"
DIFF=$(paste "$OUT/totals-sqlite.tsv" "$OUT/totals-pg.tsv" | awk -F'\t' '$2 != $4' | wc -l)
log "   SQLite p50 $S50 p95 $S95 ms; PostgreSQL p50 $P50 p95 $P95 ms; $DIFF queries with other totals"
log "   limit=0: SQLite p50 $S0_50 p95 $S0_95 ms; PostgreSQL p50 $P0_50 p95 $P0_95 ms"

log "4. recovery: node P2 cold, then kill -9 while it follows $EXTRA_N new documents"
t0=$(now)
node P2 "$PGURL" "$T/cache2"
read -r COLD2 _ <<<"$(python3 "$PROBE" seq "$URL_P2" "$SEQ0" "$t0" 600)"
FIRST=$(first_segment "$T/cache2")
mkdir -p "$T/extra"
find "$DOCS" -type f -name '*.txt' | sort | head -"$EXTRA_N" | awk '{ printf "%s %d\n", $0, NR }' |
    while read -r f i; do { echo "关于第${i}批复核材料的通知（副本${i}）"; cat "$f"; } >"$T/extra/copy-$i.txt"; done
SUCAI_CACHE=$T/cache-cli "$SUCAI" -L "$PGURL" import --quiet "$T/extra" >"$T/extra.out" 2>&1 &
IMP_PID=$!
KILL_SEQ=
for i in $(seq 500); do # kill as soon as P2 has applied part of the batch
    KILL_SEQ=$(node_seq "$URL_P2")
    [ -n "$KILL_SEQ" ] && [ "$KILL_SEQ" -gt "$SEQ0" ] && break
    kill -0 "$IMP_PID" 2>/dev/null || break
    sleep 0.02
done
stop_node P2 9
wait "$IMP_PID" || { cat "$T/extra.out" >&2; die "import of the extra documents failed"; }
SEQ1=$(max_seq)
log "   killed at seq ${KILL_SEQ:-?} of $SEQ1; restart"
t0=$(now)
node P2 "$PGURL" "$T/cache2"
read -r RECOV _ <<<"$(python3 "$PROBE" seq "$URL_P2" "$SEQ1" "$t0" 120)"
FIRST_AFTER=$(first_segment "$T/cache2")
KEPT=no; [ -n "$FIRST" ] && [ "$FIRST" = "$FIRST_AFTER" ] && KEPT=yes
MSEQ=$(sed -n 's/^seq //p' "$T/cache2/index/MANIFEST")
log "   $RECOV s; first segment kept: $KEPT ($FIRST -> $FIRST_AFTER); MANIFEST seq $MSEQ"

log "5. freshness: node P3 cold, then $FRESH_N single imports on P1 P2 P3"
t0=$(now)
node P3 "$PGURL" "$T/cache3"
read -r COLD3 _ <<<"$(python3 "$PROBE" seq "$URL_P3" "$SEQ1" "$t0" 600)"
mkdir -p "$T/fresh"
python3 "$PROBE" fresh "$SUCAI" "$PGURL" "$T/cache-cli" "$T/fresh" "$FRESH_N" "$URL_P1" "$URL_P2" "$URL_P3" >"$OUT/fresh.txt" ||
    die "freshness run failed"
read -r _ F50 F95 F99 FS50 FS95 FS99 FMAX FCLI FN FLOST <<<"$(grep '^summary' "$OUT/fresh.txt")"
log "   from commit p50 $F50 p95 $F95 p99 $F99 s ($FN samples, $FLOST never seen)"

log "6. wrk -c32 ${WRK_DUR}s: SQLite node, PG node direct, nginx over 1 node, nginx over 3 nodes"
NP1=$(free_port); NP3=$(free_port)
while [ "$NP3" = "$NP1" ]; do NP3=$(free_port); done
nginx_start "$NP1" "$NP3" "$URL_P1" "$URL_P2" "$URL_P3"
read -r WS_RPS WS_P99 WS_ERR <<<"$(wrk_run sqlite "$URL_S")"
read -r WD_RPS WD_P99 WD_ERR <<<"$(wrk_run direct "$URL_P1")"
read -r W1_RPS W1_P99 W1_ERR <<<"$(wrk_run nginx1 "http://127.0.0.1:$NP1")"
read -r W3_RPS W3_P99 W3_ERR <<<"$(wrk_run nginx3 "http://127.0.0.1:$NP3")"
log "   SQLite $WS_RPS req/s; direct $WD_RPS; nginx 1 node $W1_RPS; 3 nodes $W3_RPS"
SEQ_END=$(max_seq)
LAG=
for n in P1 P2 P3; do
    v=URL_$n; s=$(node_seq "${!v}")
    [ "$s" = "$SEQ_END" ] || LAG="$LAG $n:$s"
done

# ---- the table
ratio() { calc "'%.2f' % ($1 / $2)"; }
ok() { python3 -c "
try: print('yes' if $1 else 'NO')
except Exception: print('NO')" 2>/dev/null || echo NO; }
COLD_MED=$(printf '%s\n' "$COLD1" "$COLD2" "$COLD3" | sort -g | sed -n 2p)
{
    echo "# bench-cluster: $NAME ($NFILES files, $((BYTES / 1000000)) MB, $NDOCS documents), $(date -u +%F)"
    echo
    echo "sucai $(git -C "$REPO" rev-parse --short HEAD), $(nproc) cores, PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on a Unix socket (${PG_OPTS:-default settings, fsync on}), nodes with --threads = cores"
    echo
    echo "| measure | PostgreSQL | SQLite | ratio | goal | met |"
    echo "|---|---|---|---|---|---|"
    echo "| 1. import MB/s (\`import --quiet\`, once each, $BYTES B) | $MB_PG ($IMP_PG s) | $MB_SQL ($IMP_SQL s) | $(ratio "$MB_PG" "$MB_SQL") PG/SQLite | ≥ 0.6 | $(ok "$MB_PG / $MB_SQL >= 0.6") |"
    echo "| 2. search p50 ms (HTTP, 1 connection, $NQ queries × $ROUNDS rounds, median of rounds) | $P50 | $S50 | $(ratio "$P50" "$S50") | within 10 % | $(ok "abs($P50 / $S50 - 1) <= 0.1") |"
    echo "| 2. search p95 ms (same; $PE/$SE errors, $DIFF queries with other totals) | $P95 | $S95 | $(ratio "$P95" "$S95") | within 10 % | $(ok "abs($P95 / $S95 - 1) <= 0.1") |"
    echo "| 2. search p50 / p95 ms with limit=0 (counts only: no text read from the store) | $P0_50 / $P0_95 | $S0_50 / $S0_95 | $(ratio "$P0_50" "$S0_50") / $(ratio "$P0_95" "$S0_95") | – | – |"
    echo "| 3. cold start s, empty cache to seq $SEQ0 (median of 3 nodes: $COLD1, $COLD2, $COLD3) | $COLD_MED | – | – | ≤ 60 (90 M chars) | $(ok "$COLD_MED <= 60") |"
    echo "| 4. recovery s after kill -9 at seq ${KILL_SEQ:-?} of $SEQ1 ($EXTRA_N copies; first segment kept: $KEPT) | $RECOV | – | – | ≤ 10, no rebuild | $(ok "'$RECOV' != 'timeout' and $RECOV <= 10 and '$KEPT' == 'yes'") |"
    echo "| 5. freshness s from the CLI's return, p50 / p95 / p99 (3 nodes × $FRESH_N docs, $FN seen, $FLOST not within 10 s) | $F50 / $F95 / $F99 (max $FMAX) | – | – | p95 ≤ 1, p99 ≤ 2 | $(ok "$F95 <= 1 and $F99 <= 2") |"
    echo "| 5. freshness s from the CLI's start (one-file import takes $FCLI s median) | $FS50 / $FS95 / $FS99 | – | – | – | – |"
    echo "| 6. wrk -c32 ${WRK_DUR}s, direct to 1 node: req/s, p99 ms | $WD_RPS, $WD_P99 ($WD_ERR errors) | $WS_RPS, $WS_P99 ($WS_ERR errors) | $(ratio "$WD_RPS" "$WS_RPS") | – | – |"
    echo "| 6. wrk through nginx, 1 node: req/s, p99 ms | $W1_RPS, $W1_P99 ($W1_ERR errors) | – | – | – | – |"
    echo "| 6. wrk through nginx, 3 nodes: req/s, p99 ms | $W3_RPS, $W3_P99 ($W3_ERR errors) | – | $(ratio "$W3_RPS" "$W1_RPS") 3/1 | no loss on $(nproc) cores | $(ok "$W3_RPS / $W1_RPS >= 0.9") |"
    echo
    echo "Nodes at the store's last change ($SEQ_END) at the end: ${LAG:-all}${LAG:+ behind}."
} >"$OUT/results.md"
echo
cat "$OUT/results.md"
echo
echo "written to $OUT/results.md (wrk output, freshness samples, query totals beside it)"
