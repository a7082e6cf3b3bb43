#!/usr/bin/env bash
# HTTP error paths and hard limits: bad queries (with the position), unknown
# documents and routes, wrong methods and media types, oversized bodies,
# path traversal in every spelling, bad %-escapes and invalid UTF-8, page
# size and offset limits, too many parameters, malformed requests. Every
# error is JSON {"error": {"code", "message"}} and the server stays up.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/lib.sh"
http_need_tools

LIB=$(new_library lib)
t_ok "fixture library" http_library "$LIB"
start_server "$LIB" --quiet || { echo "not ok - server start"; exit 1; }

# err NAME WANT_STATUS WANT_CODE METHOD PATH [CURL ARGS]: status, code, JSON shape
err() {
    local name=$1 want=$2 code=$3 method=$4 path=$5; shift 5
    local got
    got=$(req "$method" "$path" "$@")
    t_eq "$name: status" "$want" "$got"
    t_eq "$name: code" "$code" "$(jq -r '.error.code' "$T_TMP/body" 2>/dev/null)"
    t_eq "$name: has a message" true "$(jq '.error.message | type == "string" and length > 0' "$T_TMP/body" 2>/dev/null)"
}

# ---- queries ----
err "unbalanced (" 400 bad_query GET '/api/v1/search?q=%28%E4%BE%9D%E6%B3%95'
t_eq "unbalanced ( position" 1 "$(jbody .error.position)"
err "dangling |" 400 bad_query GET '/api/v1/search?q=%E4%BE%9D%E6%B3%95%20%7C'
t_eq "dangling | position" 4 "$(jbody .error.position)"
err "unknown section kind" 400 bad_query GET '/api/v1/search?q=%E5%B7%A5%E4%BD%9C%20section:xyz'
t_ok "section error names the kinds" grep -q '问题' "$T_TMP/body"
# with a filter appended, the position still refers to the user's own q
err "bad q with a filter" 400 bad_query GET '/api/v1/search?q=%E4%BE%9D%E6%B3%95%29&genre=%E5%B7%A5%E4%BD%9C%E6%80%BB%E7%BB%93'
t_eq "bad q with a filter: position in q" 3 "$(jbody .error.position)"
err "bad year filter" 400 bad_filter GET '/api/v1/search?q=x&year=2023%20OR%20y'
err "quote in a filter" 400 bad_filter GET '/api/v1/search?q=x&genre=a%22b'
err "missing q" 400 missing_query GET '/api/v1/search'
err "blank q" 400 missing_query GET '/api/v1/search?q=%20%20'
err "bad mode" 400 bad_request GET '/api/v1/search?q=x&mode=fast'
long=$(printf 'a%.0s' $(seq 1 1100))
err "query too long" 400 query_too_long GET "/api/v1/search?q=$long"
err "limit=100000" 400 bad_limit GET '/api/v1/search?q=x&limit=100000'
err "limit=101" 400 bad_limit GET '/api/v1/search?q=x&limit=101'
err "limit=-1" 400 bad_limit GET '/api/v1/search?q=x&limit=-1'
err "limit=abc" 400 bad_limit GET '/api/v1/search?q=x&limit=abc'
err "offset=-5" 400 bad_offset GET '/api/v1/search?q=x&offset=-5'
err "offset too deep" 400 bad_offset GET '/api/v1/search?q=x&offset=1000000'
err "20-digit offset" 400 bad_offset GET '/api/v1/search?q=x&offset=99999999999999999999'
err "19-digit limit" 400 bad_limit GET '/api/v1/search?q=x&limit=9999999999999999999'
err "20-digit list offset" 400 bad_offset GET '/api/v1/docs?offset=-99999999999999999999'
err "docs limit" 400 bad_limit GET '/api/v1/docs?limit=100000'
err "docs offset" 400 bad_offset GET '/api/v1/docs?offset=-1'
err "docs bad year" 400 bad_request GET '/api/v1/docs?year=20x3'

# ---- encoding ----
err "invalid UTF-8 (%FF)" 400 bad_encoding GET '/api/v1/search?q=%FF'
err "truncated UTF-8" 400 bad_encoding GET '/api/v1/search?q=%E4%BE'
err "overlong UTF-8" 400 bad_encoding GET '/api/v1/search?q=%C0%AF'
err "UTF-16 surrogate in UTF-8" 400 bad_encoding GET '/api/v1/search?q=%ED%A0%80'
err "bad %-escape" 400 bad_encoding GET '/api/v1/search?q=%G1'
err "truncated %-escape" 400 bad_encoding GET '/api/v1/search?q=abc%4'
err "NUL byte" 400 bad_encoding GET '/api/v1/search?q=a%00b'
t_ok "encoding error names the parameter" grep -q "'q'" "$T_TMP/body"
err "raw invalid UTF-8 byte" 400 bad_encoding GET "/api/v1/search?q=$(printf '\xff')"
many=$(for i in $(seq 1 70); do printf 'p%d=1&' "$i"; done)
err "too many parameters" 400 limit GET "/api/v1/search?${many}q=x"

# ---- paths ----
err "unknown document" 404 not_found GET /api/v1/docs/999999
err "document 0" 404 not_found GET /api/v1/docs/0
err "non-numeric id" 404 not_found GET /api/v1/docs/abc
err "huge id" 404 not_found GET /api/v1/docs/99999999999999999999999
err "section out of range" 404 not_found GET /api/v1/docs/1/sections/999
err "unknown endpoint" 404 not_found GET /api/v1/nope
err "unknown nested path" 404 not_found GET /a/b/c
err "traversal /../" 400 bad_path GET '/../../etc/passwd' --path-as-is
err "traversal /static/../" 400 bad_path GET '/x/../../../etc/passwd' --path-as-is
err "traversal %2e%2e" 400 bad_path GET '/%2e%2e/%2e%2e/etc/passwd' --path-as-is
err "traversal %2E%2E%2F" 400 bad_path GET '/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd' --path-as-is
err "traversal .%2e" 400 bad_path GET '/.%2e/Makefile' --path-as-is
err "backslash" 400 bad_path GET '/..%5c..%5cetc%5cpasswd' --path-as-is
err "dot segment" 400 bad_path GET '/./index.html' --path-as-is
err "NUL in path" 400 bad_path GET '/index.html%00.js' --path-as-is
err "encoded slash to a source file" 404 not_found GET '/server%2fserver.c' --path-as-is
err "a name outside web/" 404 not_found GET '/Makefile'
t_ok "no file contents leak" bash -c "! grep -q 'root:' '$T_TMP/body'"

# ---- methods and media types ----
err "POST search" 405 method_not_allowed POST /api/v1/search
t_eq "405 Allow header" "GET, HEAD" "$(header Allow)"
err "DELETE doc" 405 method_not_allowed DELETE /api/v1/docs/1
err "PUT import" 405 method_not_allowed PUT /api/v1/import
t_eq "PUT import Allow" POST "$(header Allow)"
err "GET import" 405 method_not_allowed GET /api/v1/import
err "PATCH" 405 method_not_allowed PATCH /api/v1/stats
err "compile as text/plain" 415 unsupported_media_type POST /api/v1/compile -H 'Content-Type: text/plain' --data-binary '{}'
err "compile without type" 415 unsupported_media_type POST /api/v1/compile --data-binary '{}' -H 'Content-Type:'
err "import as JSON" 415 unsupported_media_type POST /api/v1/import -H 'Content-Type: application/json' --data-binary '{}'
err "session as form" 415 unsupported_media_type POST /api/v1/session --data 'name=a&password=b'

# ---- bodies ----
head -c 70000 /dev/zero | tr '\0' ' ' >"$T_TMP/big.json"
err "oversized JSON body" 413 payload_too_large POST /api/v1/compile -H 'Content-Type: application/json' --data-binary @"$T_TMP/big.json"
err "oversized chunked body" 413 payload_too_large POST /api/v1/compile -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' --data-binary @"$T_TMP/big.json"
err "body on GET" 413 payload_too_large GET /api/v1/stats --data-binary 'x=1' -X GET
err "anonymous import" 401 unauthorized POST /api/v1/import -F "files=@$HTTP_FIXTURES/XX镇2024年工作计划.txt"
err "anonymous compile" 401 unauthorized POST /api/v1/compile -H 'Content-Type: application/json' --data-binary '{"ids": [1]}'

# ---- malformed requests: the server answers 400 (or closes) and stays up ----
raw() { # send raw bytes, print the status line
    exec 3<>"/dev/tcp/127.0.0.1/$SERVER_PORT" || return 1
    printf '%b' "$1" >&3
    timeout 5 head -1 <&3 2>/dev/null | tr -d '\r'
    exec 3>&-
}
status=$(raw 'GARBAGE\r\n\r\n')
t_ok "garbage request line -> 400 or closed ($status)" bash -c "[ -z '$status' ] || [[ '$status' == 'HTTP/1.1 400'* ]]"
status=$(raw 'GET /healthz HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n')
t_ok "header without colon -> 4xx" bash -c "[[ '$status' == 'HTTP/1.1 4'* ]]"
bigh=$(head -c 40000 /dev/zero | tr '\0' a)
status=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $bigh" "$BASE/healthz")
t_ok "40 KB header refused ($status)" bash -c "[ '$status' = 431 ] || [ '$status' = 413 ] || [ '$status' = 400 ] || [ '$status' = 000 ]"
status=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/v1/search?q=$(head -c 40000 /dev/zero | tr '\0' a)")
t_ok "40 KB URL refused ($status)" bash -c "[ '$status' = 414 ] || [ '$status' = 431 ] || [ '$status' = 400 ] || [ '$status' = 000 ]"
# rawbytes ESCAPED: send the bytes, print every status line the server sent
# back, and [open] if it kept the connection open (3 s)
rawbytes() {
    python3 - "$SERVER_PORT" "$1" <<'PY'
import socket, sys
data = sys.argv[2].encode('latin-1').decode('unicode_escape').encode('latin-1')
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
s.settimeout(3)
s.sendall(data)
out = b''
try:
    while True:
        b = s.recv(65536)
        if not b:
            break
        out += b
except socket.timeout:
    out += b'[open]'
for line in out.split(b'\r\n'):
    if line.startswith(b'HTTP/1.'):
        print(line.decode('latin-1'))
if out.endswith(b'[open]'):
    print('[open]')
PY
}
out=$(rawbytes 'GET /api/v1/stats\x00x HTTP/1.1\r\nHost: x\r\n\r\n')
t_eq "a raw NUL in the path: 400, the connection kept" "HTTP/1.1 400 Bad Request [open]" "$(echo $out)"
python3 - "$SERVER_PORT" >"$T_TMP/nul.json" <<'PY'
import socket, sys
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
s.sendall(b'GET /api/v1/search?q=\x00x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
out = b''
while True:
    b = s.recv(65536)
    if not b:
        break
    out += b
sys.stdout.write(out.split(b'\r\n\r\n', 1)[1].decode())
PY
t_eq "a raw NUL in the query too: bad_path" bad_path "$(jq -r .error.code "$T_TMP/nul.json")"
out=$(rawbytes 'GET /healthz HTTP/1.1\r\n\r\n')
t_eq "HTTP/1.1 without Host: 400 (RFC 9112)" "HTTP/1.1 400 Bad Request" "$(echo "$out" | head -1)"
out=$(rawbytes 'GET /healthz HTTP/1.0\r\n\r\n')
t_eq "HTTP/1.0 without Host is fine" "HTTP/1.1 200 OK" "$(echo "$out" | head -1)"
for cl in -1 99999999999999999999 12abc; do
    out=$(rawbytes "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: $cl\r\n\r\n{}")
    first=$(echo "$out" | head -1)
    t_ok "Content-Length: $cl refused ($first)" bash -c "[[ '$first' == 'HTTP/1.1 400'* || '$first' == 'HTTP/1.1 413'* ]]"
    t_eq "Content-Length: $cl: the connection is closed" 0 "$(grep -c '\[open\]' <<<"$out")"
    # libmicrohttpd before 1.0 writes the head of its own error answer twice
    # (its state is reset after the error; nothing else follows on the
    # connection); from 1.0 on there must be exactly one answer
    if pkg-config --atleast-version=1.0 libmicrohttpd 2>/dev/null; then
        t_eq "Content-Length: $cl: one answer" 1 "$(grep -c '^HTTP/1.1' <<<"$out")"
    else
        t_skip "Content-Length: $cl: one answer" "libmicrohttpd $(pkg-config --modversion libmicrohttpd 2>/dev/null) repeats the head of its own error answer"
    fi
done
t_eq "still healthy" 200 "$(req GET /healthz)"
t_eq "security headers on errors" nosniff "$(req GET /nope >/dev/null; header X-Content-Type-Options)"

stop_server
t_eq "clean shutdown" 0 "$SERVER_EXIT"

# ---- start-up errors ----
out=$("$SUCAI" -L "$T_TMP/none" serve --listen 127.0.0.1:0 2>&1); rc=$?
t_eq "missing library exits 2" 2 "$rc"
t_ok "missing library says so" grep -q 'sucai init' <<<"$out"
out=$("$SUCAI" -L "$LIB" serve --listen nonsense 2>&1); rc=$?
t_eq "bad --listen exits 2" 2 "$rc"
t_ok "bad --listen is explained" grep -q 'listen' <<<"$out"
out=$("$SUCAI" -L "$LIB" serve --threads 0 2>&1); rc=$?
t_eq "bad --threads exits 2" 2 "$rc"
t_ok "serve --help" "$SUCAI" serve --help

t_done
