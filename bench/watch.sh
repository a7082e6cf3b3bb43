#!/usr/bin/env bash
# bench/watch.sh: saved searches matched at import. Run it under the
# machine-wide lock:  flock /work/.bench.lock bench/watch.sh
#
# Base: the 9000万字 bench corpus imported into a library (built once, then
# copied for each run). New: 1,120 documents (10 M characters) made by
# shared/corpus/scale.py with another seed. Saved searches: 10,000 drawn
# from the corpus by bench/watch_queries.py (a realistic mix, and a worst
# case of short unfiltered terms).
#
# Prints, as medians of SUCAI_WATCH_RUNS (default 3) runs on fresh copies:
#   - the import of the new documents without saved searches and with
#     10,000 (matched while the import runs), and their ratio;
#   - matching alone (SUCAI_WATCH_DEFER=1 import, then `sucai watch run`):
#     10,000 saved searches against the new documents, engine and store.
#
#   SUCAI_BENCH_DIR   cache folder (default ../bench-data)
#   SUCAI_WATCH_N     saved searches (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
SUCAI=${SUCAI:-$REPO/${BUILD:-build}/sucai}
SHARED=$(cd "${SUCAI_SHARED:-$REPO/../shared}" 2>/dev/null && pwd) || {
    echo "bench: no shared folder (set SUCAI_SHARED)"; exit 2; }
BD=$(cd "${SUCAI_BENCH_DIR:-$REPO/../bench-data}" && pwd)
RUNS=${SUCAI_WATCH_RUNS:-3}
N=${SUCAI_WATCH_N:-10000}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
CORPUS=$BD/S90M
BASE=$BD/lib-watch-base
NEW=$BD/watch-new-10M
RES=$BD/results-watch
L=$BD/lib-watch-run
mkdir -p "$RES"
[ -x "$SUCAI" ] || { echo "bench: $SUCAI not built (make)"; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is needed (apt-get install time)"; exit 2; }
if [ ! -d "$CORPUS/docs" ]; then
    echo "bench: $CORPUS/docs is missing: run make bench once (it builds the corpus)"; exit 2
fi
if [ ! -f "$NEW/INDEX.tsv" ]; then
    rm -rf "$NEW"
    $PY "$SHARED/corpus/scale.py" --chars 10000000 --out "$NEW" --seed 16 >/dev/null
fi
# the base library, built by this binary (so its index is of this format)
if [ ! -f "$BASE/library.db" ] || [ "$("$SUCAI" -L "$BASE" stats --json 2>/dev/null |
        $PY -c 'import json,sys; print(json.load(sys.stdin)["documents"])' 2>/dev/null)" = "" ]; then
    rm -rf "$BASE"
    "$SUCAI" -L "$BASE" init >/dev/null
    "$SUCAI" -L "$BASE" import --quiet "$CORPUS/docs" >/dev/null
fi
"$SUCAI" -L "$BASE" stats >/dev/null # catches the index up (a new format rebuilds it)
NDOCS=$(find "$NEW" -name '*.txt' | wc -l)
NCHARS=$(awk -F'\t' 'NR > 1 { s += $4 } END { print s }' "$NEW/INDEX.tsv")
$PY "$REPO/bench/watch_queries.py" "$CORPUS/docs" "$N" >"$RES/queries.txt"
$PY "$REPO/bench/watch_queries.py" "$CORPUS/docs" "$N" --worst >"$RES/queries-worst.txt"
echo "base: $("$SUCAI" -L "$BASE" stats --json | $PY -c 'import json,sys; d=json.load(sys.stdin); print(d["documents"], "documents,", d["chars"], "characters")')"
echo "new:  $NDOCS documents, $NCHARS characters; $N saved searches"

fresh() { rm -rf "$L"; cp -a "$BASE" "$L"; sync; }
# the import, timed: wall seconds to $1_w, CPU seconds (user + system) to $1_c
timed_import() {
    local out=$RES/time.$$
    /usr/bin/time -f '%e %U %S' -o "$out" "$@" >/dev/null
    read -r w u s <"$out"
    TW=$w
    TC=$($PY -c "print($u + $s)")
}
secs() { date +%s.%N; }
median() { $PY -c 'import statistics,sys; print("%.2f" % statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }

plain=() watched=() cplain=() cwatched=() match=() store=() hits=() wmatch=() wstore=() whits=()
for run in $(seq 1 "$RUNS"); do
    fresh
    timed_import "$SUCAI" -L "$L" import --quiet "$NEW"
    plain+=("$TW"); cplain+=("$TC")

    fresh
    "$SUCAI" -L "$L" watch add --file "$RES/queries.txt" >/dev/null
    sync
    timed_import "$SUCAI" -L "$L" import --quiet "$NEW"
    watched+=("$TW"); cwatched+=("$TC")
    got=$(sqlite3 "$L/library.db" 'SELECT coalesce(sum(n), 0) FROM watch_hits' 2>/dev/null || echo "?")

    for kind in real worst; do
        fresh
        qf=$RES/queries.txt
        [ $kind = worst ] && qf=$RES/queries-worst.txt
        "$SUCAI" -L "$L" watch add --file "$qf" >/dev/null
        SUCAI_WATCH_DEFER=1 "$SUCAI" -L "$L" import --quiet "$NEW" >/dev/null
        r=$(SUCAI_WATCH_DEFER=1 "$SUCAI" -L "$L" watch run --json)
        m=$(printf '%s' "$r" | $PY -c 'import json,sys; d=json.load(sys.stdin); print(d["match_ms"]/1000, d["store_ms"]/1000, d["hits"], d["docs"], d["watches"])')
        read -r a b c dd w <<<"$m"
        if [ $kind = real ]; then match+=("$a"); store+=("$b"); hits=("$c"); [ "$got" = "$c" ] || echo "# note: run $run stored $got matches during the import, $c when matched alone"
        else wmatch+=("$a"); wstore+=("$b"); whits=("$c"); fi
    done
    echo "# run $run: import ${plain[-1]} s (${cplain[-1]} s CPU) plain, ${watched[-1]} s (${cwatched[-1]} s CPU) with saved searches; match ${match[-1]} + ${store[-1]} s (worst ${wmatch[-1]} + ${wstore[-1]} s)"
done
rm -rf "$L"
tp=$(median "${plain[@]}")
tw=$(median "${watched[@]}")
echo
echo "import of $NDOCS new documents ($NCHARS characters), median of $RUNS:"
echo "  without saved searches   $tp s"
cp_=$(median "${cplain[@]}")
cw_=$(median "${cwatched[@]}")
echo "  with $N               $tw s   throughput $($PY -c "print('%.0f %%' % (100 * $tp / $tw))") of the import without them (goal >= 80 %)"
echo "  CPU (user + system)      $cp_ s without, $cw_ s with: $($PY -c "print('%.0f %%' % (100 * $cp_ / $cw_))") (on a shared host the steadier figure)"
echo "matching alone, $N saved searches x $NDOCS documents:"
echo "  realistic mix  engine $(median "${match[@]}") s + store $(median "${store[@]}") s, ${hits[0]} matches (goal <= 5 s)"
echo "  worst case     engine $(median "${wmatch[@]}") s + store $(median "${wstore[@]}") s, ${whits[0]} matches"
