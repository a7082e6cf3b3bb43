#!/usr/bin/env bash
# HTTP API end to end: every read endpoint over a small library, as an
# anonymous caller and on a --all-entitled server; the page's files; the
# access log, metrics, keep-alive and a clean shutdown.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/lib.sh"
http_need_tools

LIB=$(new_library lib)
t_ok "fixture library" http_library "$LIB"
start_server "$LIB" || { echo "not ok - server start"; exit 1; }

# ---- health and headers ----
t_eq "healthz 200" 200 "$(req GET /healthz)"
t_eq "healthz body" ok "$(jbody .status)"
t_eq "CSP header" "default-src 'self'" "$(header Content-Security-Policy | cut -d';' -f1)"
t_ok "CSP forbids inline script" bash -c "! grep -i 'unsafe-inline' '$T_TMP/headers'"
t_eq "nosniff" nosniff "$(header X-Content-Type-Options)"
t_eq "frame options" DENY "$(header X-Frame-Options)"
t_eq "referrer policy" no-referrer "$(header Referrer-Policy)"

# ---- search ----
t_eq "search 200" 200 "$(req GET '/api/v1/search?q=%E4%BE%9D%E6%B3%95%E8%A1%8C%E6%94%BF')"
t_eq "search total (依法行政)" 1 "$(jbody .total)"
t_eq "search hit title" "XX县市场监管局2023年工作总结" "$(jbody '.hits[0].title')"
t_ok "search took_ms is a number" test "$(jbody '.took_ms | type')" = number
t_eq "search echoes the query" "依法行政" "$(jbody .query)"
t_eq "search mode doc" doc "$(jbody .mode)"
# every highlight covers exactly the query in its snippet
hl=$(jq -r '.hits[0].snippets[] | .text as $t | .highlights[] | $t[.[0]:.[1]]' "$T_TMP/body" | sort -u)
t_eq "highlights cover 依法行政" "依法行政" "$hl"
t_eq "facets present" "genre,kind,level,year" "$(jbody '.facets | keys | join(",")')"
t_eq "facet genre count" 1 "$(jbody '[.facets.genre[] | select(.value == "工作总结")][0].count')"
t_eq "content type json" "application/json; charset=utf-8" "$(header Content-Type)"

# a query with spaces and a plus sign, %-encoded or not
t_eq "search with + as space" 200 "$(req GET '/api/v1/search?q=%E4%BE%9D%E6%B3%95+%E8%A1%8C%E6%94%BF')"
t_eq "q=依法 行政 (AND)" "依法 行政" "$(jbody .query)"
t_eq "raw UTF-8 in the query string" 200 "$(req GET '/api/v1/search?q=依法行政')"
t_eq "raw UTF-8 total" 1 "$(jbody .total)"

t_eq "paragraph mode" 200 "$(req GET '/api/v1/search?q=%E5%AE%89%E5%85%A8&mode=para&limit=5')"
t_eq "para hits carry paragraph numbers" true "$(jbody '[.hits[] | .paragraph | type == "number"] | all')"
t_ok "para total >= 3" test "$(jbody .total)" -ge 3

# filters appended as fields; a repeated filter is an OR
t_eq "genre filter" 200 "$(req GET '/api/v1/search?q=%E5%B7%A5%E4%BD%9C&genre=%E5%B7%A5%E4%BD%9C%E8%AE%A1%E5%88%92')"
t_eq "genre filter keeps only 工作计划" "工作计划" "$(jbody '[.hits[].genre] | unique | join(",")')"
t_eq "genre filter in the effective query" '(工作) genre:"工作计划"' "$(jbody .query)"
t_eq "two genres" 200 "$(req GET '/api/v1/search?q=%E5%B7%A5%E4%BD%9C&genre=%E5%B7%A5%E4%BD%9C%E8%AE%A1%E5%88%92&genre=%E5%B7%A5%E4%BD%9C%E6%80%BB%E7%BB%93')"
t_eq "two genres total" 2 "$(jbody .total)"
t_eq "year filter" 200 "$(req GET '/api/v1/search?q=%E5%B7%A5%E4%BD%9C&year=2024')"
t_eq "year filter hits" 2024 "$(jbody '[.hits[].year] | unique | join(",")')"
t_eq "filter without q" 200 "$(req GET '/api/v1/search?genre=%E5%B7%A5%E4%BD%9C%E6%80%BB%E7%BB%93')"
t_eq "filter without q total" 1 "$(jbody .total)"
t_eq "section filter" 200 "$(req GET '/api/v1/search?q=%E4%BE%9D%E6%B3%95%E8%A1%8C%E6%94%BF&section=%E6%89%93%E7%AE%97')"
t_eq "section filter total" 1 "$(jbody .total)"

# paging
t_eq "page 1" 200 "$(req GET '/api/v1/search?q=XX&limit=1&offset=0')"
first=$(jbody '.hits[0].id'); total=$(jbody .total)
t_eq "page 2" 200 "$(req GET '/api/v1/search?q=XX&limit=1&offset=1')"
t_ok "page 2 differs" test "$(jbody '.hits[0].id')" != "$first"
t_eq "paging echoed" "1 1" "$(jbody '"\(.offset) \(.limit)"')"
t_eq "limit=0 counts only" 200 "$(req GET '/api/v1/search?q=XX&limit=0')"
t_eq "limit=0 total" "$total 0" "$(jbody '"\(.total) \(.hits | length)"')"
t_eq "limit=100 accepted" 200 "$(req GET '/api/v1/search?q=XX&limit=100')"

# paid text is withheld from anonymous callers
t_eq "paid hit" 200 "$(req GET '/api/v1/search?q=%E4%B9%A1%E6%9D%91%E6%95%B0%E5%AD%97%E8%B5%8B%E8%83%BD')"
t_eq "paid hit found" 1 "$(jbody .total)"
t_eq "paid hit flagged" true "$(jbody '.hits[0].paid')"
t_eq "paid hit found only in its paid part" true "$(jbody '.hits[0].paid_only')"
t_eq "paid hit: no snippet, count or score" "0 null null" "$(jbody '"\(.hits[0].snippets | length) \(.hits[0].count) \(.hits[0].score)"')"
t_eq "paid parts were searched" "true false 1" "$(jbody '"\(.paid_parts.searched) \(.paid_parts.readable) \(.paid_parts.only)"')"

# ---- documents ----
t_eq "docs list" 200 "$(req GET /api/v1/docs)"
t_eq "docs total" 3 "$(jbody .total)"
t_eq "docs paged" 200 "$(req GET '/api/v1/docs?limit=2&offset=1')"
t_eq "docs page size" "2 3" "$(jbody '"\(.docs | length) \(.total)"')"
t_eq "docs by genre" 200 "$(req GET '/api/v1/docs?genre=%E5%B7%A5%E4%BD%9C%E8%AE%A1%E5%88%92')"
t_eq "docs by genre total" 1 "$(jbody .total)"
t_eq "docs by year" 200 "$(req GET '/api/v1/docs?year=2023')"
t_eq "docs by year total" 2 "$(jbody .total)"
t_eq "docs by year range" 200 "$(req GET '/api/v1/docs?year=2023-2024')"
t_eq "docs by year range total" 3 "$(jbody .total)"

req GET '/api/v1/docs?genre=%E5%B7%A5%E4%BD%9C%E8%AE%A1%E5%88%92' >/dev/null
PAID=$(jbody '.docs[0].id')
req GET '/api/v1/docs?genre=%E5%B7%A5%E4%BD%9C%E6%80%BB%E7%BB%93' >/dev/null
FREE=$(jbody '.docs[0].id')

t_eq "doc 200" 200 "$(req GET "/api/v1/docs/$FREE")"
t_eq "doc title" "XX县市场监管局2023年工作总结" "$(jbody .title)"
t_eq "doc not locked" false "$(jbody .locked)"
t_ok "doc has an outline" test "$(jbody '.outline | length')" -ge 4
t_eq "doc text is the original" 1 "$(jbody '.text | contains("依法行政") | if . then 1 else 0 end')"

t_eq "paid doc 200" 200 "$(req GET "/api/v1/docs/$PAID")"
t_eq "paid doc locked" true "$(jbody .locked)"
t_ok "paid doc has paid_from" test "$(jbody '.paid_from | type')" = number
t_eq "paid doc withheld range" "$(jbody .paid_from)" "$(jbody '.withheld[0]')"
t_ok "paid text not served" bash -c "! grep -q '乡村数字赋能' '$T_TMP/body'"
t_eq "free part served" 1 "$(jbody '.text | contains("保障措施") | if . then 1 else 0 end')"

t_eq "section 200" 200 "$(req GET "/api/v1/docs/$FREE/sections/0")"
t_eq "section heading" "主要工作开展情况" "$(jbody .section.heading)"
t_eq "section text starts with its heading" "一、主要工作开展情况" "$(jbody '.text | split("\n")[0]')"
# the paid doc's section that lies in the paid range
n=$(curl -s "$BASE/api/v1/docs/$PAID" | jq '[.outline[] | .start] | to_entries | map(select(.value >= 0)) | length')
locked_sections=0
for i in $(seq 0 $((n - 1))); do
    req GET "/api/v1/docs/$PAID/sections/$i" >/dev/null
    [ "$(jbody .locked)" = true ] && locked_sections=$((locked_sections + 1))
    grep -q '乡村数字赋能' "$T_TMP/body" && echo "# section $i leaks paid text"
done
t_ok "some section of the paid doc is locked" test "$locked_sections" -ge 1
t_ok "no section leaks paid text" bash -c "for i in \$(seq 0 $((n - 1))); do curl -s '$BASE/api/v1/docs/$PAID/sections/'\$i | grep -q '乡村数字赋能' && exit 1; done; exit 0"

t_eq "stats" 200 "$(req GET /api/v1/stats)"
t_eq "stats documents" 3 "$(jbody .documents)"
t_ok "stats chars" test "$(jbody .chars)" -gt 500

t_eq "me" 200 "$(req GET /api/v1/me)"
t_eq "me anonymous" "null anonymous false" "$(jbody '"\(.user) \(.tier) \(.entitled)"')"

# ---- the page ----
t_eq "index 200" 200 "$(req GET /)"
t_eq "index type" "text/html; charset=utf-8" "$(header Content-Type)"
t_ok "index has a search box" grep -q 'id="q"' "$T_TMP/body"
t_ok "index has no inline script" bash -c "! grep -Eq '<script>|<script [^>]*>[^<]' '$T_TMP/body' && ! grep -qi ' on[a-z]*=' '$T_TMP/body'"
etag=$(header ETag)
t_ok "index has an ETag" test -n "$etag"
t_eq "If-None-Match -> 304" 304 "$(req GET / -H "If-None-Match: $etag")"
t_eq "app.js" 200 "$(req GET /app.js)"
t_eq "app.js type" "text/javascript; charset=utf-8" "$(header Content-Type)"
t_eq "style.css" 200 "$(req GET /style.css)"
t_eq "style.css type" "text/css; charset=utf-8" "$(header Content-Type)"
t_eq "HEAD /" "200 0" "$(curl -s -I -o /dev/null -w '%{http_code} %{size_download}' "$BASE/")"
t_eq "unknown page 404" 404 "$(req GET /nothing.html)"

# ---- metrics ----
t_eq "metrics" 200 "$(req GET /metrics)"
t_ok "metrics count searches" grep -Eq '^sucai_http_requests_total\{route="search",status="200"\} [0-9]+$' "$T_TMP/body"
t_ok "metrics histogram" grep -Eq '^sucai_http_request_duration_seconds_bucket\{route="search",le="\+Inf"\} [0-9]+$' "$T_TMP/body"
t_ok "metrics index lag is 0 once caught up" grep -Eq '^sucai_index_lag_documents 0$' "$T_TMP/body"
t_ok "metrics documents" grep -q '^sucai_documents 3$' "$T_TMP/body"
t_ok "metrics 404s" grep -Eq '^sucai_http_requests_total\{route="static",status="404"\} 1$' "$T_TMP/body"
t_ok "metrics type lines" grep -q '^# TYPE sucai_http_request_duration_seconds histogram$' "$T_TMP/body"

# ---- keep-alive ----
reuse=$(curl -sv -o /dev/null -o /dev/null "$BASE/healthz" "$BASE/api/v1/stats" 2>&1 | grep -c 'Re-using existing connection')
t_eq "keep-alive reuses the connection" 1 "$reuse"

# ---- access log ----
t_ok "access log line" grep -Eq '^[0-9T:-]+Z 127\.0\.0\.1 GET /api/v1/search 200 [0-9]+ [0-9.]+ms$' "$SERVER_LOG"
t_ok "access log has no query strings" bash -c "! grep -q 'q=' '$SERVER_LOG'"

stop_server
t_eq "clean shutdown on SIGTERM" 0 "$SERVER_EXIT"
t_ok "shutdown logged" grep -q 'shutting down' "$SERVER_LOG"

# ---- a private server: --all-entitled reads paid text ----
start_server "$LIB" --all-entitled --quiet || { echo "not ok - server start"; exit 1; }
t_eq "entitled doc" 200 "$(req GET "/api/v1/docs/$PAID")"
t_eq "entitled doc unlocked" false "$(jbody .locked)"
t_eq "entitled doc has paid text" 1 "$(jbody '.text | contains("乡村数字赋能") | if . then 1 else 0 end')"
t_eq "entitled search" 200 "$(req GET '/api/v1/search?q=%E4%B9%A1%E6%9D%91%E6%95%B0%E5%AD%97%E8%B5%8B%E8%83%BD')"
t_ok "entitled snippet has paid text" grep -q '乡村数字赋能' "$T_TMP/body"
t_eq "me entitled" true "$(curl -s "$BASE/api/v1/me" | jq .entitled)"
t_eq "quiet: no access log" 0 "$(grep -c ' GET /' "$SERVER_LOG")"
kill -INT "$SERVER_PID"; wait "$SERVER_PID"; rc=$?; SERVER_PID=
t_eq "clean shutdown on SIGINT" 0 "$rc"

# ---- --dev serves web/ from disk, uncached ----
start_server "$LIB" --dev --web "$REPO/web" --quiet --threads 1 || { echo "not ok - server start"; exit 1; }
t_eq "dev index" 200 "$(req GET /)"
t_eq "dev index is the file on disk" "$(sha256sum <"$REPO/web/index.html")" "$(sha256sum <"$T_TMP/body")"
t_eq "dev is not cached" no-store "$(header Cache-Control)"
t_eq "dev app.js" 200 "$(req GET /app.js)"
t_eq "dev: no file outside web/" 404 "$(req GET /Makefile)"
t_eq "dev: no traversal" 400 "$(req GET '/..%2fMakefile' --path-as-is)"
t_eq "dev: no hidden files" 404 "$(req GET /.gitignore)"
stop_server

t_done
