#!/usr/bin/env bash
# bench/quickfind.sh: 一键快速查找 suggestion times, p50/p95/p99 of the time
# spent per request (bench/quickfind.c), on the 9000万字 bench library and
# on 1,000,000 synthetic titles. Run it under the machine-wide lock:
#   flock /work/.bench.lock bench/quickfind.sh
# The goal is p95 <= 5 ms on both.
#   SUCAI_BENCH_DIR   cache folder (default ../bench-data); the library is
#                     lib-watch-base (bench/watch.sh builds it) or lib-S90M
#   SUCAI_QF_TITLES   synthetic titles (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
make -s "$BUILD/bench/quickfind" >/dev/null
BD=$(cd "${SUCAI_BENCH_DIR:-../bench-data}" && pwd)
LIB=$BD/lib-watch-base
[ -f "$LIB/library.db" ] || LIB=$BD/lib-S90M
if [ -f "$LIB/library.db" ]; then
    # opened read-only: its index must be of this build's format (sucai stats catches up)
    "$BUILD/sucai" -L "$LIB" stats >/dev/null
    for run in 1 2 3; do "$BUILD/bench/quickfind" "$LIB"; done
else
    echo "no bench library in $BD: run make bench or bench/watch.sh first"
fi
for run in 1 2 3; do "$BUILD/bench/quickfind" --synthetic "${SUCAI_QF_TITLES:-1000000}"; done
