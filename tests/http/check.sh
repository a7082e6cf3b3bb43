#!/usr/bin/env bash
# POST /api/v1/check and /api/v1/check/compare end to end: a draft as JSON
# text and as an uploaded .txt/.docx/.md, the JSON contract (code-point
# offsets of the submitted text, sources with title and section path), the
# .docx report, two drafts compared, the refusals (empty, binary, too long,
# bad options, unknown fields, wrong method) and the daily check quota
# (anonymous callers by address, members by account; 429 when used up,
# given back when a check fails).
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/lib.sh"
http_need_tools
export SUCAI_PWHASH_FAST=1

LIB=$(new_library lib)
t_ok "fixture library" http_library "$LIB"
s() { "$SUCAI" -L "$LIB" "$@"; }
t_ok "anonymous callers get 5 checks a day" s user check-quota anonymous 5
t_eq "check-quota shows the tiers" "anonymous 5 checks per day" "$(s user check-quota | head -1 | tr -s ' ')"
t_ok "free members get 2" s user check-quota free 2
printf 'reader-password-1\n' >"$T_TMP/pw"
t_ok "a free user" s user add fu --tier free --password-file "$T_TMP/pw"

start_server "$LIB" --quiet || { echo "not ok - server start"; exit 1; }
J='Content-Type: application/json'

# a draft: a novel line, then a copied sentence (its offset in code points
# is known), then a line from another fixture with its ， changed to 、
NOVEL='这是一段全新的开头文字𠮷，'
COPY='深化商事制度改革，企业开办时间压缩至1个工作日'
DRAFT="${NOVEL}${COPY}。"
START=$(printf '%s' "$NOVEL" | python3 -c 'import sys; print(len(sys.stdin.read()))')
LEN=$(printf '%s' "$COPY" | python3 -c 'import sys; print(len(sys.stdin.read()))')
t_eq "check JSON text" 200 "$(req POST /api/v1/check -H "$J" --data-binary "$(jq -cn --arg t "$DRAFT" '{text: $t}')")"
t_eq "one span" 1 "$(jbody '.spans | length')"
t_eq "span start in code points (past a character beyond U+FFFF)" "$START" "$(jbody '.spans[0].start')"
t_ok "span covers the copied sentence" test "$(jbody '.spans[0].end')" -ge $((START + LEN))
t_eq "chars counts code points" "$(printf '%s' "$DRAFT" | python3 -c 'import sys; print(len(sys.stdin.read()))')" "$(jbody .chars)"
t_eq "source title" "XX县市场监管局2023年工作总结" "$(jbody '.spans[0].sources[0].title')"
t_ok "source section path" bash -c "jq -r '.spans[0].sources[0].section' '$T_TMP/body' | grep -q '持续优化营商环境'"
t_ok "source paragraph and offsets" test "$(jbody '.spans[0].sources[0].paragraph')" -gt 0 -a "$(jbody '.spans[0].sources[0].end')" -gt "$(jbody '.spans[0].sources[0].start')"
t_eq "source text is the matched stretch" true "$(jq --arg c "$COPY" '.spans[0].sources[0].text | startswith($c)' "$T_TMP/body")"
t_eq "not common" false "$(jbody '.spans[0].common')"
t_ok "overlap is copied / chars" jq -e '(.overlap - (.copied / .chars) | fabs) < 0.000001' "$T_TMP/body"
t_eq "the draft's text comes back" "$DRAFT" "$(jbody .text)"
t_eq "checks left" 4 "$(jbody .checks_left)"
t_eq "X-Checks-Left" 4 "$(header X-Checks-Left)"

# options
t_eq "--min as a field" 200 "$(req POST /api/v1/check -H "$J" --data-binary "$(jq -cn --arg t "$DRAFT" '{text: $t, min: 40}')")"
t_eq "a span shorter than min is not reported" 0 "$(jbody '.spans | length')"
t_eq "common threshold 1: everything is 常用表述" 200 "$(req POST /api/v1/check -H "$J" --data-binary "$(jq -cn --arg t "$DRAFT" '{text: $t, common: 1}')")"
t_eq "common span" "true 0" "$(jbody '"\(.spans[0].common) \(.overlap)"')"

# uploads
printf '%s\n' "$DRAFT" >"$T_TMP/draft.txt"
t_eq "upload a .txt" 200 "$(req POST /api/v1/check -F "file=@$T_TMP/draft.txt")"
t_eq "upload: the same span" "$START" "$(jbody '.spans[0].start')"
# a .docx made by the server's own report writer is a draft like any other
t_eq "format=docx: the report" 200 "$(req POST /api/v1/check -F "file=@$T_TMP/draft.txt" -F format=docx)"
t_eq "report content type" "application/vnd.openxmlformats-officedocument.wordprocessingml.document" "$(header Content-Type)"
t_eq "report is a zip" "PK" "$(head -c 2 "$T_TMP/body")"
t_ok "report file name" bash -c "grep -qi 'filename\*=UTF-8' <<<'$(header Content-Disposition)'"
cp "$T_TMP/body" "$T_TMP/report.docx"
t_eq "checks are used up for this address" 429 "$(req POST /api/v1/check -F "file=@$T_TMP/report.docx")"
t_eq "quota message" quota_exceeded "$(jbody .error.code)"

# members: a free user has 2; a logged-in check needs the CSRF token
ST=$(req POST /api/v1/session -c "$T_TMP/jar" -H "$J" --data '{"name": "fu", "password": "reader-password-1"}')
t_eq "login" 200 "$ST"
CS=$(jbody .csrf)
t_eq "cookie without CSRF token refused" 403 "$(req POST /api/v1/check -b "$T_TMP/jar" -H "$J" --data '{"text": "一二三"}')"
t_eq "upload a .docx (member)" 200 "$(req POST /api/v1/check -b "$T_TMP/jar" -H "X-CSRF-Token: $CS" -F "file=@$T_TMP/report.docx")"
t_ok "the .docx's text is checked and returned" bash -c "jq -r .text '$T_TMP/body' | grep -q '查重报告'"
t_ok "spans found in the converted text" test "$(jbody '.spans | length')" -ge 1
t_eq "member checks left" 1 "$(jbody .checks_left)"
printf '# 标题\n\n%s\n' "$COPY" >"$T_TMP/draft.md"
t_eq "upload a .md" 200 "$(req POST /api/v1/check -b "$T_TMP/jar" -H "X-CSRF-Token: $CS" -F "file=@$T_TMP/draft.md")"
t_eq ".md converted: the span" 1 "$(jbody '.spans | length')"
t_eq "member quota used up" 429 "$(req POST /api/v1/check -b "$T_TMP/jar" -H "X-CSRF-Token: $CS" --data-binary '{"text": "一二三"}' -H "$J")"
stop_server

# refusals (an unlimited private server: the quota is not what is tested)
start_server "$LIB" --all-entitled --quiet || { echo "not ok - server start"; exit 1; }
t_eq "checks left: unlimited" 200 "$(req POST /api/v1/check -H "$J" --data '{"text": "一二三"}')"
t_eq "checks_left null" null "$(jbody .checks_left)"
t_eq "empty text" 400 "$(req POST /api/v1/check -H "$J" --data '{"text": ""}')"
t_ok "empty: says so" bash -c "jq -r .error.message '$T_TMP/body' | grep -q empty"
t_eq "blank text" 400 "$(req POST /api/v1/check -H "$J" --data '{"text": " \n "}')"
t_eq "NUL in the JSON text" 400 "$(req POST /api/v1/check -H "$J" --data '{"text": "ab\u0000cd"}')"
t_ok "NUL: says so" bash -c "jq -r .error.message '$T_TMP/body' | grep -q NUL"
printf 'ab\0cd\0\1\2' >"$T_TMP/bin.txt"
t_eq "a binary upload" 400 "$(req POST /api/v1/check -F "file=@$T_TMP/bin.txt")"
t_ok "binary: says so" bash -c "jq -r .error.message '$T_TMP/body' | grep -q binary"
printf '%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n1 0 obj\n' >"$T_TMP/x.pdf"
t_eq "a PDF upload" 415 "$(req POST /api/v1/check -F "file=@$T_TMP/x.pdf")"
python3 -c 'print("字" * 200001)' >"$T_TMP/long.txt"
t_eq "a draft over 200,000 characters" 413 "$(req POST /api/v1/check -F "file=@$T_TMP/long.txt")"
t_ok "too long: names the limit" bash -c "jq -r .error.message '$T_TMP/body' | grep -q 200000"
t_eq "no text" 400 "$(req POST /api/v1/check -H "$J" --data '{}')"
t_eq "text not a string" 400 "$(req POST /api/v1/check -H "$J" --data '{"text": 5}')"
t_eq "min out of range" 400 "$(req POST /api/v1/check -H "$J" --data '{"text": "一二三", "min": 2}')"
t_ok "min: names the range" bash -c "jq -r .error.message '$T_TMP/body' | grep -q 'min must be'"
t_eq "min not whole" 400 "$(req POST /api/v1/check -H "$J" --data '{"text": "一二三", "min": 13.5}')"
t_eq "bad format" 400 "$(req POST /api/v1/check -H "$J" --data '{"text": "一二三", "format": "pdf"}')"
t_eq "unknown field" 400 "$(req POST /api/v1/check -H "$J" --data '{"text": "一二三", "txet": 1}')"
t_eq "bad JSON" 400 "$(req POST /api/v1/check -H "$J" --data '{"text": ')"
t_eq "multipart without a file" 400 "$(req POST /api/v1/check -F min=13)"
t_eq "GET is not allowed" 405 "$(req GET /api/v1/check)"

# two drafts with each other
A="甲稿开头。${COPY}，后面是甲稿自己的话。"
B="乙稿完全不同的开头，${COPY}，乙稿结尾。"
t_eq "compare" 200 "$(req POST /api/v1/check/compare -H "$J" --data-binary "$(jq -cn --arg a "$A" --arg b "$B" '{text: $a, other: $b}')")"
t_eq "compare: a span in the first" 1 "$(jbody '.spans | length')"
t_eq "compare: the other draft is the source" 对照稿 "$(jbody '.spans[0].sources[0].title')"
t_eq "compare: and the second's spans" 1 "$(jbody '.other.spans | length')"
t_eq "compare: the second's source is the first" 稿件 "$(jbody '.other.spans[0].sources[0].title')"
t_eq "compare: start in code points" 5 "$(jbody '.spans[0].start')"
printf '%s' "$A" >"$T_TMP/a.txt"
printf '%s' "$B" >"$T_TMP/b.txt"
t_eq "compare uploads" 200 "$(req POST /api/v1/check/compare -F "file=@$T_TMP/a.txt" -F "other=@$T_TMP/b.txt")"
t_eq "compare uploads: the span" 5 "$(jbody '.spans[0].start')"
t_eq "compare needs both" 400 "$(req POST /api/v1/check/compare -H "$J" --data '{"text": "一二三"}')"
stop_server
t_eq "clean shutdown" 0 "$SERVER_EXIT"
t_done
