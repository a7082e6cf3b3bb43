#!/usr/bin/env bash
# Losing the primary: a node on a library given with both servers
# (host=primary,standby&target_session_attrs=read-write) goes on answering
# searches from its index while the primary is gone, refuses writes with
# 503, and when the standby is promoted (pg_ctl promote) finds it by itself
# and takes writes again, without a restart; every document committed
# before the crash is on the new primary (commits waited for the standby).
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/pg.sh"
. "$(dirname "$0")/../lib/cluster.sh"
http_need_tools
pg_need "failover to a promoted standby"
pg_start_primary
t_eq "a primary starts" "0" "$?"
pg_newdb lib >/dev/null
pg_start_standby
t_eq "a synchronous standby streams from it" "0" "$?"
URL=$(pg_urls lib)
C="$T_TMP/cache0"
t_ok "init through the two-server URL" timeout 20 "$SUCAI" -L "$URL" --cache "$C" init

D="$T_TMP/docs"; mkdir -p "$D"
for i in $(seq 1 12); do
    printf '关于第%d批古树名木普查的通知\n\n各单位：\n做好第%d批普查登记工作。\n' "$i" "$i" >"$D/t$i.txt"
done
"$SUCAI" -L "$URL" --cache "$C" import --quiet "$D"/t{1,2,3,4,5,6,7,8,9,10}.txt
printf 'editor-password-1\n' >"$T_TMP/pw"
"$SUCAI" -L "$URL" --cache "$C" user add ed --role editor --password-file "$T_TMP/pw" >/dev/null
TOKEN=$("$SUCAI" -L "$URL" --cache "$C" token create ed --label failover 2>/dev/null | awk '{ print $NF }' | tail -1)
t_eq "the standby has every committed document" "10" "$(pg2_psql lib 'SELECT count(*) FROM documents')"

# node R reads from the standby (--read-store), writes to the primary
export SUCAI_CACHE="$T_TMP/cacheR"
start_server "$URL" --read-store "postgresql://sucai@/lib?host=$PG2_DIR" || { echo "not ok - server start R"; exit 1; }
R=$BASE R_PID=$SERVER_PID
export SUCAI_CACHE="$T_TMP/cacheA"
start_server "$URL" || { echo "not ok - server start"; exit 1; }
trap 'stop_server; kill $R_PID 2>/dev/null; pg2_stop; pg_stop; rm -rf "$T_TMP"' EXIT
t_eq "the node finds them" "200 10" "$(req GET '/api/v1/search?q=普查') $(jbody .total)"
t_eq "node R, built from the standby, too" "10" "$(curl -s "$R/api/v1/search?q=普查" | jq .total)"
t_eq "--read-store on a folder library is refused" "2 1" \
    "$("$SUCAI" -L "$T_TMP/folder" init >/dev/null; "$SUCAI" -L "$T_TMP/folder" serve --listen 127.0.0.1:0 \
        --read-store "postgresql://sucai@/lib?host=$PG2_DIR" >/dev/null 2>"$T_TMP/rs.err"; echo $?) $(grep -c 'give both as URLs' "$T_TMP/rs.err")"

pg_crash_primary
t_eq "primary gone: searches go on from the index" "200 10" "$(req GET '/api/v1/search?q=普查') $(jbody .total)"
t_eq "primary gone: node R still reads documents, from the standby" "200 1" \
    "$(curl -s -o "$T_TMP/r.json" -w '%{http_code}' "$R/api/v1/docs/1") $(jq -r '.title' "$T_TMP/r.json" | grep -c '普查')"
t_eq "primary gone: an upload is 503" "503 unavailable" \
    "$(req POST /api/v1/import -H "Authorization: Bearer $TOKEN" -F "files=@$D/t11.txt") $(jbody .error.code)"
out=$("$SUCAI" -L "$URL" --cache "$C" import --quiet "$D/t11.txt" 2>&1)
t_eq "primary gone: the CLI exits 2, naming the library" "2 1" "$? $(grep -c 'postgresql://sucai@/lib' <<<"$out")"

t0=$(date +%s.%N)
pg_promote
t_eq "the standby is promoted" "f" "$(pg2_psql lib 'SELECT pg_is_in_recovery()')"
ok=0
for _ in $(seq 1 100); do
    code=$(req POST /api/v1/import -H "Authorization: Bearer $TOKEN" -F "files=@$D/t11.txt")
    [ "$code" = 200 ] && { ok=1; break; }
    sleep 0.1
done
t1=$(date +%s.%N)
t_eq "after the promotion the node takes writes again, without a restart" "1 imported" "$ok $(jbody '.files[0].status')"
echo "# writes resumed $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s after pg_ctl promote"
n=$(jbody .summary.seq)
t_eq "and its upload is searchable (read your write)" "200 1" "$(req GET "/api/v1/search?q=第11批&min_seq=$n") $(jbody .total)"
"$SUCAI" -L "$URL" --cache "$C" import --quiet "$D/t12.txt"
t_eq "the CLI finds the new primary too" "0" "$?"
t_eq "nothing committed was lost: the new primary holds all 12" "12" "$(pg2_psql lib 'SELECT count(*) FROM documents')"
t_ok "the node follows the new primary's change log" until_found "$BASE" 第12批
t_ok "and node R, polling the promoted standby" until_found "$R" 第12批
kill -TERM "$R_PID"; wait "$R_PID" 2>/dev/null
stop_server
t_eq "the node stops cleanly" "0" "$SERVER_EXIT"
t_done
