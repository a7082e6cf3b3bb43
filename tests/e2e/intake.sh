#!/usr/bin/env bash
# End-to-end: init, import (every format, refusals, duplicates), list, show,
# stats, reparse — run as a user would, on the project's samples and on
# small hostile files made here.
. "$(dirname "$0")/../lib/testlib.sh"
L=$T_TMP/lib
s() { "$SUCAI" -L "$L" "$@"; }

# no library yet: a clear hint, exit 2
out=$(s list 2>&1); rc=$?
t_eq "list without a library exits 2" 2 "$rc"
t_ok "the message says to run sucai init" grep -q "sucai init" <<<"$out"

t_ok "init creates the library" s init
out=$(s init 2>&1); rc=$?
t_eq "init twice exits 2" 2 "$rc"
t_ok "init twice says it exists" grep -q "already holds a library" <<<"$out"

# the samples: UTF-8, GB18030, a 汇编 with 目录 and paywall, .md, .docx
s import --json "$REPO/samples" >"$T_TMP/import.jsonl"; rc=$?
t_eq "import samples exits 0" 0 "$rc"
t_eq "one JSON line per sample file" 5 "$(wc -l <"$T_TMP/import.jsonl")"
t_eq "every sample imported" 5 "$(grep -c '"status": "imported"' "$T_TMP/import.jsonl")"
t_ok "import lines have file, status, docs, reason" python3 -c '
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    assert set(o) >= {"file", "status", "docs", "reason"}, o
    assert all(isinstance(i, int) and i > 0 for i in o["docs"]), o
' "$T_TMP/import.jsonl"
t_ok "the 汇编 becomes three documents" python3 -c '
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    if "汇编" in o["file"]:
        assert len(o["docs"]) == 3, o
        sys.exit(0)
sys.exit(1)
' "$T_TMP/import.jsonl"

s list --json >"$T_TMP/list.json"
t_ok "list --json: ids ascending, contract fields" python3 -c '
import json, sys
docs = json.load(open(sys.argv[1]))
assert len(docs) == 7, len(docs)
ids = [d["id"] for d in docs]
assert ids == sorted(ids) and ids[0] == 1, ids
for d in docs:
    for k in ("id", "title", "chars", "source", "genre", "year", "unit", "level", "paid_from", "dup_of"):
        assert k in d, (k, d)
titles = [d["title"] for d in docs]
assert "XX街道2024年工作计划" in titles, titles           # decoded from GB18030
assert "关于开展XX专项整治工作的实施方案" in titles, titles  # .docx title
' "$T_TMP/list.json"

id=$(python3 -c 'import json,sys; print([d["id"] for d in json.load(open(sys.argv[1])) if d["title"]=="XX街道2024年工作计划"][0])' "$T_TMP/list.json")
s show "$id" --json >"$T_TMP/show.json"
t_ok "show --json: text starts with the title, normalized present, outline" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["text"].split("\n")[0] == d["title"], d["text"][:50]
assert d["normalized"], d
assert "优化营商环境" in d["text"]
assert isinstance(d["outline"], list)
assert d["source"]["file"].endswith(".txt") and d["source"]["part"] == 1
assert d["chars"] == len(d["text"].replace("\n", ""))
' "$T_TMP/show.json"
t_ok "show --text prints the text" bash -c "'$SUCAI' -L '$L' show $id --text | grep -q 一企一专员"
out=$(s show 9999 2>&1); rc=$?
t_eq "show of a missing id exits 1" 1 "$rc"
t_ok "show of a missing id says so" grep -q "no document 9999" <<<"$out"
out=$(s show abc 2>&1); rc=$?
t_eq "show of a non-number exits 2" 2 "$rc"

# importing the same files again adds nothing and says so
s import --json "$REPO/samples" >"$T_TMP/again.jsonl"; rc=$?
t_eq "re-import exits 0" 0 "$rc"
t_eq "re-import: every file a duplicate" 5 "$(grep -c '"status": "duplicate"' "$T_TMP/again.jsonl")"
t_eq "re-import adds no documents" 7 "$(s list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"

# hostile and broken input: each refused with the file and the reason; the batch goes on
B=$T_TMP/bad
mkdir -p "$B/sub"
: >"$B/empty.txt"
printf '   \n\n' >"$B/blank.txt"
printf 'PK\003\004garbage that is no zip' >"$B/corrupt.docx"
printf '%%PDF-1.4\n...' >"$B/report.pdf"
printf '\320\317\021\340\241\261\032\341rest' >"$B/old.doc"
head -c 3000 /dev/urandom >"$B/random.bin"
printf '\x00\x01\x02ELF' >"$B/nul.txt"
printf '\xd5\xfe\xb8\xae\xff\xfe\xff\xfe\xd5\xfe\xb8\xae\xb9\xa4\xd7\xf7' >"$B/badgbk.txt"
ln -s "$B/sub" "$B/sub/loop"
ln -s "$B/missing-target.txt" "$B/dangling.txt"
printf '关于XX的通知\n\n各单位：现将有关事项通知如下。\n' >"$B/good.txt"
s import --json "$B" "$T_TMP/does-not-exist.txt" >"$T_TMP/bad.jsonl" 2>"$T_TMP/bad.err"; rc=$?
t_eq "a batch with refusals exits 1" 1 "$rc"
t_ok "the good file in the batch is imported" grep -q '"file": ".*good.txt", "status": "imported"' "$T_TMP/bad.jsonl"
for f in empty.txt blank.txt corrupt.docx report.pdf old.doc random.bin nul.txt badgbk.txt dangling.txt does-not-exist.txt; do
    t_ok "refused with a reason: $f" python3 -c '
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o["file"].endswith("/" + sys.argv[2]):
        assert o["status"] == "refused" and len(o["reason"]) > 5, o
        sys.exit(0)
sys.exit("no line for " + sys.argv[2])
' "$T_TMP/bad.jsonl" "$f"
done
t_ok "the symlink loop is refused, not followed forever" grep -q 'loop' "$T_TMP/bad.jsonl"
t_ok ".pdf refusal says how to convert" grep -q 'report.pdf.*pdftotext\|report.pdf.*convert' "$T_TMP/bad.jsonl"
t_ok ".doc refusal says how to convert" grep -q 'old.doc.*docx' "$T_TMP/bad.jsonl"
s import "$B/empty.txt" 2>"$T_TMP/plain.err"; rc=$?
t_eq "plain refusal exits 1" 1 "$rc"
t_ok "plain refusal names the file and the reason" grep -q "empty.txt: .*empty" "$T_TMP/plain.err"
t_ok "plain refusal has the form docs/cli.md gives (sucai: FILE: reason)" grep -q "^sucai: $B/empty.txt: " "$T_TMP/plain.err"
t_eq "refused files are counted in stats" 1 "$(s stats --json | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["refused"] >= 11))')"

s stats --json >"$T_TMP/stats.json"
t_ok "stats --json" python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert s["documents"] == 8 and s["sources"] == 6, s
assert s["chars"] > 3000 and s["store_bytes"] > 0, s
' "$T_TMP/stats.json"

# reparse keeps ids and documents
before=$(s list --json | python3 -c 'import json,sys; print([(d["id"], d["title"]) for d in json.load(sys.stdin)])')
t_ok "reparse succeeds" s reparse
after=$(s list --json | python3 -c 'import json,sys; print([(d["id"], d["title"]) for d in json.load(sys.stdin)])')
t_eq "reparse keeps ids and titles" "$before" "$after"
# sources stored as zlib streams (libraries written before zstd) still reparse
python3 - "$L/library.db" <<'PY'
import sqlite3, sys, zlib
db = sqlite3.connect(sys.argv[1])
for sid, path in db.execute("SELECT id, path FROM sources").fetchall():
    raw = open(path, "rb").read()  # the files imported above are still there
    db.execute("UPDATE sources SET bytes = ? WHERE id = ?", (zlib.compress(raw, 1), sid))
db.commit()
PY
t_eq "reparse reads zlib sources of older libraries" "reparsed 6 sources into 8 documents; 0 failed" "$(s reparse)"
after=$(s list --json | python3 -c 'import json,sys; print([(d["id"], d["title"]) for d in json.load(sys.stdin)])')
t_eq "and keeps ids and titles" "$before" "$after"

# usage errors
out=$(s import 2>&1); rc=$?
t_eq "import without paths exits 2" 2 "$rc"
out=$(s frobnicate 2>&1); rc=$?
t_eq "unknown command exits 2" 2 "$rc"
t_ok "help lists the commands" bash -c "'$SUCAI' --help | grep -q import"
# a document longer than the limit (4,000,000 characters: indexing holds about
# 50 bytes a character of it) is refused with the reason, in little memory,
# and the rest of the batch goes on
LONG=$T_TMP/long
mkdir -p "$LONG"
python3 -c 'import sys; sys.stdout.write("一行很长的文件\n" + "推进乡村振兴发展特色产业" * 333334)' >"$LONG/long.txt"
printf '关于YY的通知\n\n各单位：另一份通知。\n' >"$LONG/short.txt"
"$SUCAI" -L "$T_TMP/longlib" init >/dev/null
"$SUCAI" -L "$T_TMP/longlib" import --json "$LONG" >"$T_TMP/long.jsonl" 2>/dev/null
t_ok "a document over the limit is refused with the reason" grep -q '"file": ".*long.txt", "status": "refused", .*document too long (4000016 characters; the limit is 4000000 a document): split the file' "$T_TMP/long.jsonl"
t_ok "... and the other file of the batch imported" grep -q '"file": ".*short.txt", "status": "imported"' "$T_TMP/long.jsonl"

t_done
