#!/usr/bin/env bash
# POST /api/v1/compile end to end: a 汇编 by ids and by query in each format,
# the Content-Type and the RFC 6266/5987 file name, paid parts left out for
# callers not entitled, validation errors, and the daily download quota
# (429 when used up).
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/lib.sh"
http_need_tools

LIB=$(new_library lib)
t_ok "fixture library" http_library "$LIB"
printf 'reader-password-1\n' >"$T_TMP/pw"
t_ok "add a free user" "$SUCAI" -L "$LIB" user add fu --tier free --password-file "$T_TMP/pw"
t_ok "free users get 2 downloads a day" "$SUCAI" -L "$LIB" user quota free 2

# ---- a private server: everyone may download, paid parts included ----
start_server "$LIB" --all-entitled --quiet || { echo "not ok - server start"; exit 1; }
J='Content-Type: application/json'
t_eq "compile ids as docx" 200 "$(req POST /api/v1/compile -H "$J" --data-binary '{"ids": [3, 1, 2], "title": "测试汇编"}')"
t_eq "docx content type" "application/vnd.openxmlformats-officedocument.wordprocessingml.document" "$(header Content-Type)"
t_eq "docx is a zip" "PK" "$(head -c 2 "$T_TMP/body")"
cd_header=$(header Content-Disposition)
t_eq "ASCII fallback name" 'attachment; filename="download.docx"' "$(cut -d';' -f1-2 <<<"$cd_header")"
t_eq "UTF-8 file name" "filename*=UTF-8''%E6%B5%8B%E8%AF%95%E6%B1%87%E7%BC%96.docx" "$(cut -d';' -f3 <<<"$cd_header" | tr -d ' ')"
t_eq "documents header" 3 "$(header X-Sucai-Documents)"
t_ok "pages header" test "$(header X-Sucai-Pages)" -ge 4
if command -v unzip >/dev/null; then
    t_ok "docx holds word/document.xml" bash -c "unzip -l '$T_TMP/body' | grep -q word/document.xml"
fi

t_eq "compile as txt" 200 "$(req POST /api/v1/compile -H "$J" --data-binary '{"ids": [1, 2], "format": "txt"}')"
t_eq "txt content type" "text/plain; charset=utf-8" "$(header Content-Type)"
t_ok "txt has a 目录" grep -q '目录' "$T_TMP/body"
t_ok "entitled txt has the paid part" grep -q '乡村数字赋能' "$T_TMP/body"
t_ok "txt file name" grep -q "filename\*=UTF-8''.*\.txt" <<<"$(header Content-Disposition)"

t_eq "compile by query as md" 200 "$(req POST /api/v1/compile -H "$J" --data-binary '{"query": "工作 year:2023", "format": "md", "limit": 5}')"
t_eq "md content type" "text/markdown; charset=utf-8" "$(header Content-Type)"
t_eq "query found the 2023 documents" 2 "$(header X-Sucai-Documents)"

# validation
bad() { t_eq "$1" "$2" "$(req POST /api/v1/compile -H "$J" --data-binary "$3")"; t_eq "$1: code" "$4" "$(jbody .error.code)"; }
bad "not JSON" 400 '{"ids": [1,}' bad_json
bad "not an object" 400 '[1, 2]' bad_json
bad "no documents" 400 '{"title": "x"}' bad_request
bad "ids and query" 400 '{"ids": [1], "query": "x"}' bad_request
bad "ids not numbers" 400 '{"ids": ["1"]}' bad_request
bad "fractional id" 400 '{"ids": [1.5]}' bad_request
bad "empty ids" 400 '{"ids": []}' bad_request
bad "unknown format" 400 '{"ids": [1], "format": "pdf"}' bad_request
bad "unknown document" 404 '{"ids": [1, 99999]}' not_found
bad "bad query" 400 '{"query": "(工作"}' bad_query
t_eq "bad query: its position" 1 "$(jbody .error.position)"
bad "no hits" 404 '{"query": "不存在的词语组合"}' not_found
bad "limit too big" 400 '{"query": "工作", "limit": 1000}' bad_limit
long=$(printf '长%.0s' $(seq 1 300))
bad "title too long" 400 "{\"ids\": [1], \"title\": \"$long\"}" bad_request
bad "deep JSON" 400 "$(printf "[%.0s" $(seq 1 100))" bad_json
ids=$(seq -s, 1 1001)
bad "too many ids" 400 "{\"ids\": [$ids]}" bad_request
stop_server

# ---- a members server: free users get the free part, within their quota ----
start_server "$LIB" --quiet || { echo "not ok - server start"; exit 1; }
t_eq "anonymous compile" 401 "$(req POST /api/v1/compile -H "$J" --data-binary '{"ids": [1]}')"
cookie="$T_TMP/cookies"
t_eq "free user logs in" 200 "$(curl -s -c "$cookie" -o "$T_TMP/login.json" -w '%{http_code}' -H "$J" --data-binary '{"name": "fu", "password": "reader-password-1"}' "$BASE/api/v1/session")"
CSRF=$(jq -r .csrf "$T_TMP/login.json")
t_eq "free compile 1" 200 "$(req POST /api/v1/compile -b "$cookie" -H "X-CSRF-Token: $CSRF" -H "$J" --data-binary '{"ids": [1, 2], "format": "txt"}')"
t_ok "free user gets no paid text" bash -c "! grep -q '乡村数字赋能' '$T_TMP/body'"
t_ok "omitted characters reported" test "$(header X-Sucai-Omitted-Chars)" -gt 0
t_eq "downloads left" 1 "$(header X-Downloads-Left)"
t_eq "a failed compile costs nothing" 404 "$(req POST /api/v1/compile -b "$cookie" -H "X-CSRF-Token: $CSRF" -H "$J" --data-binary '{"ids": [99999]}')"
t_eq "free compile 2" 200 "$(req POST /api/v1/compile -b "$cookie" -H "X-CSRF-Token: $CSRF" -H "$J" --data-binary '{"ids": [3]}')"
t_eq "quota used up" 429 "$(req POST /api/v1/compile -b "$cookie" -H "X-CSRF-Token: $CSRF" -H "$J" --data-binary '{"ids": [3]}')"
t_eq "quota used up: code" quota_exceeded "$(jbody .error.code)"
t_eq "compile without CSRF" 403 "$(req POST /api/v1/compile -b "$cookie" -H "$J" --data-binary '{"ids": [3]}')"
stop_server
t_eq "clean shutdown" 0 "$SERVER_EXIT"
t_done
