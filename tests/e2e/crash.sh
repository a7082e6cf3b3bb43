#!/usr/bin/env bash
# kill -9 in the middle of an import: the library opens, is consistent, and
# holds every file whose import had finished; importing again completes it.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/../lib/stores.sh"
L=$(new_library lib)
s() { "$SUCAI" -L "$L" "$@"; }
src=$T_TMP/src
mkdir -p "$src"
# 2,000 small distinct documents, enough for the import to be under way when killed
N=2000
for i in $(seq 1 $N); do
    printf 'XX县第%d号工作简报\n\n一、基本情况\n本期简报编号%d，记录XX县第%d项重点工作的推进情况。\n二、下一步打算\n继续抓好第%d项工作落实。\n' \
        "$i" "$i" "$i" "$i" >"$src/brief-$(printf %04d "$i").txt"
done
s init >/dev/null
for round in 1 2 3; do
    # the binary itself, not a shell function, so that kill -9 hits the importer
    "$SUCAI" -L "$L" import --json "$src" >"$T_TMP/round$round.jsonl" 2>/dev/null &
    pid=$!
    # kill as soon as the import has stored something (plus a little more each round)
    for _ in $(seq 1 200); do
        [ "$(lib_sql "$L" 'SELECT count(*) FROM documents' 2>/dev/null || echo 0)" -gt $((round * 100)) ] && break
        sleep 0.02
    done
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    n=$(s list --json 2>"$T_TMP/list.err" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'); rc=$?; [ $rc = 0 ] || sed "s/^/# list: /" "$T_TMP/list.err"
    t_eq "round $round: the library opens after kill -9" 0 "$rc"
    echo "# round $round: killed with $n of $N documents stored, $(grep -c '"status": "imported"' "$T_TMP/round$round.jsonl") reported imported in this round"
    [ "$n" -lt $N ] && killed_mid=1
    if [ "${SUCAI_STORE:-}" != pg ] && command -v sqlite3 >/dev/null; then
        t_eq "round $round: integrity_check" ok "$(lib_sql "$L" 'PRAGMA integrity_check')"
    fi
    # files are committed in groups and reported after their commit: what
    # was reported imported before the kill must be there
    t_eq "round $round: every file reported imported is stored" "" "$(s list --json | python3 -c '
import json, os, sys
stored = {d["source"] for d in json.load(sys.stdin)}
for line in open(sys.argv[1], encoding="utf-8"):
    try:
        r = json.loads(line)
    except ValueError:
        continue  # the line the kill cut short
    if r["status"] == "imported" and os.path.basename(r["file"]) not in stored:
        print(r["file"])
' "$T_TMP/round$round.jsonl" | head -3)"
    t_ok "round $round: every stored document has its source" test \
        "$(lib_sql "$L" 'SELECT count(*) FROM documents WHERE source_id NOT IN (SELECT id FROM sources)' 2>/dev/null || echo 0)" = 0
done
t_eq "at least one kill landed in the middle of an import" 1 "${killed_mid:-0}"
s import --quiet "$src" >/dev/null 2>"$T_TMP/final.err"; rc=$?
sed "s/^/# /" "$T_TMP/final.err" | head -5
t_eq "a final import completes" 0 "$rc"
t_eq "every file is in, none twice" $N "$(s list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
t_eq "sources match documents" $N "$(s stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["sources"])')"
if "$SUCAI" search --help >/dev/null 2>&1; then
    t_eq "the index caught up: every brief is searchable" $N "$(s search --count 工作简报)"
fi

# two importers at once over the same files: each file is stored once, both succeed
L2=$(new_library lib2)
"$SUCAI" -L "$L2" init >/dev/null
"$SUCAI" -L "$L2" import --json "$src" >"$T_TMP/a.jsonl" 2>/dev/null &
pa=$!
"$SUCAI" -L "$L2" import --json "$src" >"$T_TMP/b.jsonl" 2>/dev/null
rb=$?
wait $pa
ra=$?
t_eq "concurrent imports both exit 0" "0 0" "$ra $rb"
t_eq "concurrent imports store every file once" $N \
    "$("$SUCAI" -L "$L2" stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])')"
t_eq "each file is imported by one and a duplicate for the other" $N \
    "$(cat "$T_TMP/a.jsonl" "$T_TMP/b.jsonl" | grep -c '"status": "imported"')"
t_done
