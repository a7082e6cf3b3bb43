#!/usr/bin/env bash
# bench/outline_quality.sh: 提纲's leave-one-out precision@10 and recall@10
# per 文种, and its answer time, on the 9000万字 bench library and on a
# library of shared/corpus/docs (real 公文: laws, regulations, 通知 …).
# Run it under the machine-wide lock:
#   flock /work/.bench.lock bench/outline_quality.sh
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
SUCAI=${SUCAI:-$REPO/${BUILD:-build}/sucai}
BD=$(cd "${SUCAI_BENCH_DIR:-$REPO/../bench-data}" && pwd)
SHARED=$(cd "${SUCAI_SHARED:-$REPO/../shared}" 2>/dev/null && pwd) || {
    echo "bench: no shared folder (set SUCAI_SHARED)"; exit 2; }
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
LIB=$BD/lib-watch-base
[ -f "$LIB/library.db" ] || LIB=$BD/lib-S90M
if [ -f "$LIB/library.db" ]; then
    "$SUCAI" -L "$LIB" stats >/dev/null
    echo "== the 9000万字 bench library ($LIB)"
    $PY bench/outline_quality.py "$SUCAI" "$LIB" --per-genre "${SUCAI_OQ_PER_GENRE:-200}"
fi
CL=$BD/lib-corpus
if [ ! -f "$CL/library.db" ]; then
    "$SUCAI" -L "$CL" init >/dev/null
    "$SUCAI" -L "$CL" import --quiet "$SHARED/corpus/docs" >/dev/null || true
fi
"$SUCAI" -L "$CL" stats >/dev/null
echo "== shared/corpus/docs ($CL)"
$PY bench/outline_quality.py "$SUCAI" "$CL" --per-genre "${SUCAI_OQ_PER_GENRE:-200}"
