#!/usr/bin/env bash
# sucai search / reindex end to end: exact counts on a small library,
# --json / --count / --para / --batch, errors with positions, paid
# snippets withheld, new documents searchable after import, reindex, and
# a concurrent reader while another process imports.
. "$(dirname "$0")/../lib/testlib.sh"
L=$T_TMP/lib
s() { "$SUCAI" -L "$L" "$@"; }
s init >/dev/null
mkdir -p "$T_TMP/in"
printf '甲局2023年工作总结\n今年共受理112345件，通过。过开展专项行动，ＧＤＰ增长5%%。\n依法行政水平有待提高。\n' >"$T_TMP/in/a.txt"
printf '乙市工作计划\n通过开展招商引资，依法行政。\n12345热线全年畅通。\n' >"$T_TMP/in/b.txt"
printf '丙区述职报告\n免费部分。\n##paidbegin##\n付费部分：独有的具体做法。\n##paidend##\n' >"$T_TMP/in/c.txt"
s import "$T_TMP/in" >/dev/null 2>&1
t_eq "digit run inside a longer run" 2 "$(s search --count 12345)"
t_eq "no bridging over punctuation" 1 "$(s search --count 通过开展)"
t_eq "full-width folds" 1 "$(s search --count gdp)"
t_eq "AND" 2 "$(s search --count 依法行政 通过)"
t_eq "NOT" 1 "$(s search --count 依法行政 -招商)"
t_eq "OR" 2 "$(s search --count '招商 | 112345')"
t_eq "absent" 0 "$(s search --count 量子纠缠)"
t_eq "paragraph mode counts paragraphs" 2 "$(s search --count --para 依法行政)"
t_ok "--json has the contract's fields" python3 -c '
import json, subprocess, sys
r = json.loads(subprocess.check_output(sys.argv[1:] + ["search", "--json", "依法行政"]))
assert r["total"] == 2 and isinstance(r["took_ms"], float), r
h = r["hits"][0]
for k in ("id", "title", "score", "count", "paid", "snippets"):
    assert k in h, k
s = h["snippets"][0]
for k in ("text", "highlights", "start", "section"):
    assert k in s, k
a, b = s["highlights"][0]
assert s["text"][a:b] == "依法行政", s
' "$SUCAI" -L "$L"
t_ok "--para --json has paragraph and section" python3 -c '
import json, subprocess, sys
r = json.loads(subprocess.check_output(sys.argv[1:] + ["search", "--json", "--para", "依法行政"]))
assert all("paragraph" in h and "section" in h for h in r["hits"]), r
' "$SUCAI" -L "$L"
t_ok "paid text withheld unless --entitled" python3 -c '
import json, subprocess, sys
base = sys.argv[1:]
r = json.loads(subprocess.check_output(base + ["search", "--json", "独有的具体做法"]))
if r["total"] == 1:   # only where the importer records the paid range
    h = r["hits"][0]
    if h["paid"]:
        assert all(s["text"] is None for s in h["snippets"]), h
        r = json.loads(subprocess.check_output(base + ["search", "--json", "--entitled", "独有的具体做法"]))
        assert "独有的具体做法" in r["hits"][0]["snippets"][0]["text"]
' "$SUCAI" -L "$L"
out=$(s search '(依法 行政' 2>&1); rc=$?
t_eq "malformed query exits 1 (input refused)" 1 "$rc"
t_ok "the error names the position" grep -q "character 1" <<<"$out"
t_eq "--batch answers one line per query" 3 "$(printf '依法行政\n(oops\n12345\n' | s search --batch --count | wc -l)"
t_ok "--batch --json reports errors as objects" sh -c "printf '(oops\n' | \"$SUCAI\" -L \"$L\" search --batch --json | grep -q '\"error\"'"
printf '丁县工作要点\n新增文档：鲲鹏计划启动。\n' >"$T_TMP/d.txt"
s import "$T_TMP/d.txt" >/dev/null 2>&1
t_eq "a new document is searchable after import" 1 "$(s search --count 鲲鹏计划)"
t_ok "reindex" s reindex
t_eq "the same after reindex" 2 "$(s search --count 12345)"
rm -rf "$L/index"
t_eq "a lost index is rebuilt on open" 1 "$(s search --count 鲲鹏计划)"
# a reader keeps answering while another process imports
mkdir -p "$T_TMP/more"
for i in $(seq 1 40); do printf '第%d号文件\n批量导入的第%d篇，独特标记%d。\n' $i $i $i >"$T_TMP/more/m$i.txt"; done
( s import "$T_TMP/more" >/dev/null 2>&1 ) &
imp=$!
bad=0
for i in $(seq 1 20); do n=$(s search --count 依法行政) || bad=1; [ "$n" = 2 ] || bad=1; done
wait $imp
t_eq "searches work during an import" 0 "$bad"
t_eq "all imported documents are found" 40 "$(s search --count 批量导入)"
t_eq "each found where it is" 1 "$(s search --count 独特标记37)"
t_ok "the manifest names each segment once" sh -c "test \$(grep -c '^segment ' '$L/index/MANIFEST') -le 10"
t_eq "no parts or temporary files are left" "" "$(ls "$L/index" | grep -E 'part|tmp' || true)"
# one import after another, each its own segment: beyond ten, neighbours
# are merged two at a time and nothing is lost
for i in $(seq 1 14); do
    printf '第%d批\n逐批导入的文件，批次标记%d号。\n' "$i" "$i" >"$T_TMP/batch$i.txt"
    s import "$T_TMP/batch$i.txt" >/dev/null 2>&1
done
t_ok "at most ten segments after fourteen imports" sh -c "test \$(grep -c '^segment ' '$L/index/MANIFEST') -le 10"
t_eq "every batch is found" 14 "$(s search --count 逐批导入)"
t_eq "the first batch is found where it is" 1 "$(s search --count 批次标记1号)"
t_eq "the last batch is found where it is" 1 "$(s search --count 批次标记14号)"
t_ok "the segments cover the ids in order, without overlap" python3 - "$L/index/MANIFEST" <<'PY'
import sys
segs = [l.split() for l in open(sys.argv[1]) if l.startswith('segment ')]
maxid = int([l.split()[1] for l in open(sys.argv[1]) if l.startswith('maxid ')][0])
prev = 0
for _, name, lo, hi in segs:
    lo, hi = int(lo), int(hi)
    assert lo >= prev and hi > lo, (prev, lo, hi)
    prev = hi
assert prev == maxid, (prev, maxid)
PY
t_eq "merged-away files are removed" "$(grep -c '^segment ' "$L/index/MANIFEST")" "$(ls "$L/index" | grep -c '^seg-')"
# a segment of an older format version is rebuilt on open, not an error
python3 - "$L/index" <<'PY'
import glob, struct, sys
for f in glob.glob(sys.argv[1] + '/seg-*.sx'):
    with open(f, 'r+b') as fp:
        fp.seek(8)
        fp.write(struct.pack('<I', 2))
PY
t_ok "a read-only command on an old segment format still works" s list
t_eq "an old segment format is rebuilt on open" 40 "$(s search --count 批量导入)"
t_ok "the rebuilt segments are of the current version" python3 -c '
import glob, struct, sys
fs = glob.glob(sys.argv[1] + "/seg-*.sx")
assert fs
for f in fs:
    h = open(f, "rb").read(12)
    assert h[:8] == b"SCIDX006" and struct.unpack("<I", h[8:])[0] == 6, (f, h)
' "$L/index"
t_done
