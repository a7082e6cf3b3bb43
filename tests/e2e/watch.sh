#!/usr/bin/env bash
# Saved searches: the matches an import reports equal `search` restricted to
# the documents imported after the search was saved; every (saved search,
# document) pair is stored exactly once, also when imports are killed with
# kill -9 (the mark is committed with the matches); "new since you last
# looked" counts; the CLI's errors name the input.
. "$(dirname "$0")/../lib/testlib.sh"
L=$T_TMP/lib
s() { "$SUCAI" -L "$L" "$@"; }
if ! command -v sqlite3 >/dev/null; then
    t_skip "saved searches" "no sqlite3 command"
    t_done
    exit 0
fi
q() { sqlite3 "$L/library.db" "$@"; }

# briefs with a 发文字号, a date, and topics that vary with the number
gen() { # gen DIR FROM TO
    mkdir -p "$1"
    local topics=(乡村振兴 安全生产 营商环境 生态环境 基层治理)
    for i in $(seq "$2" "$3"); do
        t=${topics[$((i % 5))]}
        printf 'XX县关于%s工作的第%d号简报\nX政办发〔%d〕%d号\n一、基本情况\n本期简报记录%s第%d项工作。\n二、存在的问题\n%s推进不平衡。\n三、下一步打算\n继续抓好第%d项工作落实。\nXX县人民政府办公室\n2023年%d月%d日\n' \
            "$t" "$i" $((2019 + i % 5)) "$i" "$t" "$i" "$([ $((i % 3)) = 0 ] && echo 资金 || echo 人员)" "$i" \
            $((1 + i % 12)) $((1 + i % 28)) >"$1/brief-$(printf %05d "$i").txt"
    done
}
gen "$T_TMP/old" 1 150
gen "$T_TMP/new" 151 1650
s init >/dev/null
s import --quiet "$T_TMP/old" >/dev/null

queries=(
    "乡村振兴"
    "简报 -安全生产"
    "(营商环境 | 生态环境) 资金"
    "section:问题 资金"
    "docno:〔2021〕"
    "date:2023-03..2023-05 基层治理"
    "-简报"
    "第15"
)
for qq in "${queries[@]}"; do
    s watch add -- "$qq" >/dev/null || echo "# cannot save $qq"
done
t_eq "saved searches are listed" ${#queries[@]} "$(s watch list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
t_eq "documents imported before saving are not new" 0 "$(q 'SELECT coalesce(sum(n), 0) FROM watch_hits')"

# kill -9 imports part-way, twice; then a complete one
for round in 1 2; do
    "$SUCAI" -L "$L" import --quiet "$T_TMP/new" >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 1 300); do
        [ "$(q 'SELECT count(*) FROM documents' 2>/dev/null || echo 0)" -gt $((150 + round * 300)) ] && break
        sleep 0.02
    done
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    n=$(q 'SELECT count(*) FROM documents')
    echo "# round $round: killed with $n documents stored, mark $(q "SELECT value FROM watch_state WHERE key = 'mark'")"
done
s import --quiet "$T_TMP/new" >/dev/null 2>&1
t_eq "every document is in" 1650 "$(q 'SELECT count(*) FROM documents')"
t_eq "the mark reached the last document" "$(q 'SELECT max(id) FROM documents')" \
    "$(q "SELECT value FROM watch_state WHERE key = 'mark'")"

# each saved search's matches = search restricted to the documents after it
check() {
    python3 - "$SUCAI" "$L" <<'PY'
import json, subprocess, sqlite3, sys
sucai, lib = sys.argv[1], sys.argv[2]
db = sqlite3.connect(lib + "/library.db")
bad = 0
for wid, query, after in db.execute("SELECT id, query, after_id FROM watches ORDER BY id"):
    got = []  # the stored ids: varint deltas, ascending, one row per run
    for blob, n in db.execute("SELECT docs, n FROM watch_hits WHERE watch_id = ?", (wid,)):
        prev = v = shift = 0
        ids = []
        for b in blob:
            v |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                prev += v
                ids.append(prev)
                v = shift = 0
        assert len(ids) == n, (wid, len(ids), n)
        got += ids
    want, off = set(), 0
    while True:
        out = subprocess.run([sucai, "-L", lib, "search", "--json", "--limit", "100",
                              "--offset", str(off), "--", query], capture_output=True, text=True, errors="replace")
        r = json.loads(out.stdout)
        want |= {h["id"] for h in r["hits"] if h["id"] > after}
        off += len(r["hits"])
        if not r["hits"] or off >= r["total"]:
            break
    if len(got) != len(set(got)) or set(got) != want:
        print("%s: %d matches stored (%d distinct), search has %d" % (query, len(got), len(set(got)), len(want)))
        bad += 1
print("bad", bad)
PY
}
out=$(check 2>&1)
printf '%s\n' "$out" | grep -v '^bad' | sed 's/^/# /'
t_eq "each saved search's matches equal search over the new documents, once each" "bad 0" "$(printf '%s\n' "$out" | tail -1)"
t_ok "some saved searches matched" test "$(q 'SELECT coalesce(sum(n), 0) FROM watch_hits')" -gt 100

# new since last looked
n1=$(s watch list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["new"])')
t_eq "new counts every match of the first saved search" "$(q 'SELECT coalesce(sum(n), 0) FROM watch_hits WHERE watch_id = 1')" "$n1"
s watch show 1 --seen --limit 5 >"$T_TMP/show.txt"
t_eq "show lists the newest first" "5" "$(grep -c new "$T_TMP/show.txt")"
t_eq "after looking, nothing is new" 0 "$(s watch list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["new"])')"
gen "$T_TMP/more" 1651 1660
s import --quiet "$T_TMP/more" >/dev/null
t_eq "documents imported later are new again" 2 "$(s watch list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["new"])')"

# matching deferred, then run by hand: the same answer
gen "$T_TMP/late" 1661 1700
SUCAI_WATCH_DEFER=1 "$SUCAI" -L "$L" import --quiet "$T_TMP/late" >/dev/null
before=$(q 'SELECT coalesce(sum(n), 0) FROM watch_hits')
run=$(SUCAI_WATCH_DEFER=1 "$SUCAI" -L "$L" watch run --json)
t_eq "watch run matches the deferred documents" 40 "$(printf '%s' "$run" | python3 -c 'import json,sys; print(json.load(sys.stdin)["docs"])')"
t_eq "and stores what it reports" "$(printf '%s' "$run" | python3 -c 'import json,sys; print(json.load(sys.stdin)["hits"])')" \
    "$(( $(q 'SELECT coalesce(sum(n), 0) FROM watch_hits') - before ))"
t_eq "a second run finds nothing pending" "no new documents to match" "$(s watch run)"
out=$(check 2>&1)
t_eq "still equal to search after the deferred run" "bad 0" "$(printf '%s\n' "$out" | tail -1)"

# members' saved searches, removal, errors
printf 'correct horse\n' | SUCAI_PWHASH_FAST=1 s user add alice --tier free >/dev/null
for i in 1 2 3; do s watch add -u alice "乡村振兴 第$i" >/dev/null; done
s watch add -u alice "再来一个" >/dev/null 2>"$T_TMP/err"; rc=$?
t_eq "a free member keeps at most 3" 1 "$rc"
t_ok "the refusal says why" grep -q "may keep 3 saved searches" "$T_TMP/err"
t_eq "alice sees her own" 3 "$(s watch list -u alice --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
s watch add '(乡村' >/dev/null 2>"$T_TMP/err"; rc=$?
t_eq "a bad query is refused" 1 "$rc"
t_ok "naming the place" grep -q "at character" "$T_TMP/err"
s watch add --name 乡村振兴 '乡村振兴' >/dev/null 2>&1
s watch add --name 乡村振兴 '乡村' >/dev/null 2>"$T_TMP/err"; rc=$?
t_eq "names are unique per owner" 1 "$rc"
wid=$(s watch list -u alice --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
t_ok "the operator removes a member's saved search" s watch rm "$wid"
t_eq "its matches go with it" 0 "$(q "SELECT count(*) FROM watch_hits WHERE watch_id = $wid")"
s watch rm 99999 >/dev/null 2>"$T_TMP/err"; rc=$?
t_eq "removing a missing one is not found" 1 "$rc"
t_ok "and says so" grep -q "no saved search 99999" "$T_TMP/err"
s watch show abc >/dev/null 2>&1; rc=$?
t_eq "a bad number is a usage error" 2 "$rc"
tok=$(s watch feed 1 | tail -1)
t_ok "a feed token is made" test "${tok#swf_}" != "$tok"
t_ok "feed revoke" s watch feed 1 --revoke
t_done
