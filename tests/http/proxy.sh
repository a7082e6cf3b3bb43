#!/usr/bin/env bash
# Behind a reverse proxy (nginx in front of several nodes): with
# --trusted-proxy ADDR a request from that address is from the client its
# X-Forwarded-For names (the rightmost entry that is not a proxy), for the
# access log and the per-address limits (login throttling); from anyone
# else the header is ignored, so a client cannot pick its own address.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/lib.sh"
http_need_tools

LIB=$(new_library lib)
t_ok "fixture library" http_library "$LIB"
printf 'proxy-password-1\n' >"$T_TMP/pw"
t_ok "a user" "$SUCAI" -L "$LIB" user add pat --password-file "$T_TMP/pw"
t_eq "--trusted-proxy needs an address" "2 1" \
    "$("$SUCAI" -L "$LIB" serve --trusted-proxy nginx >/dev/null 2>"$T_TMP/err"; echo $?) $(grep -c 'takes an address (nginx is not one)' "$T_TMP/err")"

login() { # ADDR-HEADER PASSWORD: the status of one login
    curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' ${1:+-H "X-Forwarded-For: $1"} \
        -d "{\"name\":\"pat\",\"password\":\"$2\"}" "$BASE/api/v1/session"
}
last_addr() { tail -1 "$SERVER_LOG" | awk '{ print $2 }'; }
addr_for() { # [X-FORWARDED-FOR]: the address the access log gives a request that carries it
    req GET /api/v1/stats ${1:+-H "X-Forwarded-For: $1"} >/dev/null
    sleep 0.1
    last_addr
}

# not trusted: the header is the client's word, ignored
start_server "$LIB" || { echo "not ok - server start"; exit 1; }
t_eq "without --trusted-proxy X-Forwarded-For is ignored" "127.0.0.1" "$(addr_for '203.0.113.9')"
stop_server

start_server "$LIB" --trusted-proxy 127.0.0.1 --trusted-proxy ::1 || { echo "not ok - server start"; exit 1; }
t_eq "from the proxy: the client it names" "203.0.113.9" "$(addr_for '203.0.113.9')"
t_eq "the rightmost entry that is not a proxy (left of it is the client's word)" "203.0.113.9" "$(addr_for '198.51.100.1, 203.0.113.9, 127.0.0.1')"
t_eq "an IPv6 client" "2001:db8::7" "$(addr_for '2001:db8::7')"
t_eq "not an address: the proxy's own" "127.0.0.1" "$(addr_for '<script>')"
t_eq "no header: the proxy's own" "127.0.0.1" "$(addr_for)"

# login throttling is per client, not per proxy
for i in 1 2 3 4 5; do login 203.0.113.9 wrong-password-$i >/dev/null; done
t_eq "client A: throttled after its failures" "429" "$(login 203.0.113.9 proxy-password-1)"
t_eq "client B behind the same proxy: not throttled" "200" "$(login 198.51.100.20 proxy-password-1)"
stop_server
t_done
