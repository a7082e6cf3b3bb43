#!/usr/bin/env bash
# sucai check end to end: spans and sources on a small library, code-point
# offsets (a character beyond U+FFFF, CRLF, a BOM), the folding (full width,
# case, spaces and zero-width characters between ideographs fold away; a
# different punctuation mark does not), --min, --common, --json, standard
# input, --batch, --with, --docx, paid sources, and the refusals with
# their exit codes. With ../shared present: the labelled sample scored
# (recall, precision and attribution 1.0, overlap exact).
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/../lib/stores.sh"
L=$(new_library lib)
s() { "$SUCAI" -L "$L" "$@"; }
s init >/dev/null
mkdir -p "$T_TMP/in"
printf '甲局2023年工作总结\n一、主要做法\n深化商事制度改革，企业开办时间压缩至1个工作日，新增市场主体。\n持续优化营商环境，GDP增长百分之五。\n' >"$T_TMP/in/a.txt"
printf '乙市工作计划\n深化商事制度改革，企业开办时间压缩至1个工作日。\n##paidbegin##\n付费部分：独有的具体做法在这里写得很清楚。\n##paidend##\n' >"$T_TMP/in/b.txt"
s import "$T_TMP/in" >/dev/null 2>&1
A=$(s list --json | jq '.[] | select(.title | contains("甲局")) | .id')
B=$(s list --json | jq '.[] | select(.title | contains("乙市")) | .id')

cp_of() { python3 -c 'import sys; print(len(sys.argv[1]))' "$1"; }
j() { jq -r "$1" "$T_TMP/out.json"; }

printf '𠮷开头不相干。深化商事制度改革，企业开办时间压缩至1个工作日，新增市场主体。结尾。\n' >"$T_TMP/d1.txt"
t_ok "check --json" bash -c "'$SUCAI' -L '$L' check --json '$T_TMP/d1.txt' >'$T_TMP/out.json'"
t_eq "one span" 1 "$(j '.spans | length')"
t_eq "start in code points" "$(cp_of '𠮷开头不相干。')" "$(j '.spans[0].start')"
t_eq "end: the longest stretch (from 甲)" "$(cp_of '𠮷开头不相干。深化商事制度改革，企业开办时间压缩至1个工作日，新增市场主体。')" "$(j '.spans[0].end')"
t_eq "the best source first: the document holding all of it" "$A" "$(j '.spans[0].sources[0].id')"
t_eq "both documents are sources (乙 holds a piece)" "2 $B" "$(j '"\(.spans[0].sources | length) \(.spans[0].sources[1].id)"')"
t_eq "docs: the documents holding the whole span" 1 "$(j '.spans[0].docs')"
t_eq "section path of the source" "一、主要做法" "$(j '.spans[0].sources[0].section')"
t_eq "paragraph of the source" 2 "$(j '.spans[0].sources[0].paragraph')"
t_ok "overlap = copied / chars" jq -e '.overlap == ((.copied / .chars * 1000000 | round) / 1000000)' "$T_TMP/out.json"
t_eq "sections of the draft (none)" 0 "$(j '.sections | length')"

# the folding: full width, case, spaces / zero-width characters between
# ideographs fold away; a 、 for a ， does not (the span breaks there)
printf '持续优化营商环境，ｇｄｐ增长百\xe2\x80\x8b分之五。\n深化商事制度改革、企业开办时间压缩至1个工作日\n' >"$T_TMP/d2.txt"
s check --json "$T_TMP/d2.txt" >"$T_TMP/out.json"
t_eq "folded edits still match" "0 $(cp_of '持续优化营商环境，ｇｄｐ增长百​分之五。')" "$(j '"\(.spans[0].start) \(.spans[0].end)"')"
# 深化商事制度改革 (8) 、 企业开办时间压缩至1个工作日 (14): only the second is long enough
t_eq "a changed punctuation mark splits the span" "2 $(cp_of '持续优化营商环境，ｇｄｐ增长百​分之五。
深化商事制度改革、')" "$(j '"\(.spans | length) \(.spans[1].start)"')"
t_eq "--min 15: the 14-character piece goes" 1 "$(s check --json --min 15 "$T_TMP/d2.txt" | jq '.spans | length')"
t_eq "--common 1: everything is 常用表述, nothing counts" "true 0" "$(s check --json --common 1 "$T_TMP/d2.txt" | jq -r '"\(.spans[0].common) \(.overlap)"')"

# CRLF and a BOM are characters of the file: offsets count them
printf '\xef\xbb\xbf开头\r\n深化商事制度改革，企业开办时间压缩至1个工作日\r\n' >"$T_TMP/d3.txt"
# BOM 开 头 CR LF: the span starts at code point 5
t_eq "offsets of a file with a BOM and CRLF" 5 "$(s check --json "$T_TMP/d3.txt" | jq '.spans[0].start')"
t_eq "standard input" 5 "$(s check --json - <"$T_TMP/d3.txt" | jq '.spans[0].start')"
t_ok "human output: the rate and the source" bash -c "'$SUCAI' -L '$L' check '$T_TMP/d1.txt' | grep -q '总重复率' && '$SUCAI' -L '$L' check '$T_TMP/d1.txt' | grep -q '甲局2023年工作总结'"

# paid parts: the operator sees what a reader who may not read paid text
# would (the check is made on the free text, the document named as paid
# only), and everything with --entitled
printf '稿件：付费部分：独有的具体做法在这里写得很清楚。\n' >"$T_TMP/d4.txt"
s check --json "$T_TMP/d4.txt" >"$T_TMP/out.json"
t_eq "a paid stretch is no span for a reader who may not read it" "0 0" "$(j '"\(.spans | length) \(.copied)"')"
t_eq "... its document is named as holding it in the paid part" "$B" "$(j '.paid_only[0].id')"
t_eq "... nothing said of the matcher's counts" false "$(j 'has("stats")')"
t_ok "... and the human output says so" bash -c "'$SUCAI' -L '$L' check '$T_TMP/d4.txt' | grep -q '会员内容中另有相同表述'"
s check --json --entitled "$T_TMP/d4.txt" >"$T_TMP/out.json"
t_eq "--entitled: the paid source is reported" "$B true" "$(j '"\(.spans[0].sources[0].id) \(.spans[0].sources[0].paid)"')"
t_ok "--entitled: with its text" jq -e '.spans[0].sources[0].text | contains("独有的具体做法")' "$T_TMP/out.json"
t_eq "--entitled: no paid-only document" 0 "$(j '.paid_only | length')"

# --batch: one JSON line per file, an error line for a bad one
printf '%s\n' "$T_TMP/d1.txt" "$T_TMP/missing.txt" "$T_TMP/d2.txt" | s check --batch --json >"$T_TMP/batch.out"
t_eq "--batch answers a line per file" 3 "$(wc -l <"$T_TMP/batch.out")"
t_eq "--batch: an error line for the missing file" 1 "$(sed -n 2p "$T_TMP/batch.out" | jq 'has("error")' | grep -c true)"

# --with: two drafts
printf '另一稿：深化商事制度改革，企业开办时间压缩至1个工作日，完。\n' >"$T_TMP/other.txt"
t_eq "--with compares the drafts" "1 $(cp_of '𠮷开头不相干。')" "$(s check --json --with "$T_TMP/other.txt" "$T_TMP/d1.txt" | jq -r '"\(.spans | length) \(.spans[0].start)"')"

# --docx: the report
t_ok "--docx writes the report" s check --docx "$T_TMP/r.docx" "$T_TMP/d1.txt"
t_eq "the report is a zip" PK "$(head -c 2 "$T_TMP/r.docx")"
t_ok "the report reads back as a draft" bash -c "'$SUCAI' -L '$L' check --json --text '$T_TMP/r.docx' | jq -e '.text | contains(\"总重复率\")'"

# refusals
st() { "$@" >/dev/null 2>"$T_TMP/err"; echo $?; }
t_eq "a missing file: exit 2 (cannot read)" 2 "$(st s check "$T_TMP/nope.txt")"
t_ok "names the file" grep -q 'nope.txt' "$T_TMP/err"
: >"$T_TMP/empty.txt"
t_eq "an empty file: exit 1" 1 "$(st s check "$T_TMP/empty.txt")"
t_ok "says empty" grep -q 'empty' "$T_TMP/err"
printf 'ab\0cd' >"$T_TMP/bin.txt"
t_eq "a binary file: exit 1" 1 "$(st s check "$T_TMP/bin.txt")"
t_ok "says binary" grep -q 'binary' "$T_TMP/err"
python3 -c 'print("字" * 200001)' >"$T_TMP/long.txt"
t_eq "too long: exit 1" 1 "$(st s check "$T_TMP/long.txt")"
t_ok "names the limit" grep -q '200000' "$T_TMP/err"
t_eq "--min 2: usage error" 2 "$(st s check --min 2 "$T_TMP/d1.txt")"
t_ok "names the range" grep -q -- '--min takes a number from 5' "$T_TMP/err"
t_eq "no file: usage error" 2 "$(st s check)"
t_eq "two files: usage error" 2 "$(st s check "$T_TMP/d1.txt" "$T_TMP/d2.txt")"
t_ok "--help" bash -c "'$SUCAI' check --help | grep -q -- '--common N'"

# the labelled sample of shared/corpus/writers/check
if [ -n "$SUCAI_SHARED" ] && [ -f "$SUCAI_SHARED/corpus/writers/check/truth.jsonl" ]; then
    t_ok "the labelled sample: recall and precision 1.0" bash -c "python3 '$REPO/bench/check_score.py' --sucai '$SUCAI' --set '$SUCAI_SHARED/corpus/writers/check' >'$T_TMP/score' && grep -q 'recall       1.0000' '$T_TMP/score' && grep -q 'precision    1.0000' '$T_TMP/score' && grep -q 'attribution  1.0000' '$T_TMP/score' && grep -q 'overlap err  0.00000' '$T_TMP/score'"
    sed 's/^/# /' "$T_TMP/score"
else
    t_skip "the labelled sample" "no shared/corpus/writers/check"
fi
t_done
