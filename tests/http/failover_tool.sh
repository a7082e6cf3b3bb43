#!/usr/bin/env bash
# Automatic failover with pg_auto_failover (docs/scale-out.md says why this
# tool): a monitor, a primary and a synchronous secondary; a node and the
# CLI on a library given with both servers. The primary crashes (its keeper
# and PostgreSQL killed with -9): the monitor promotes the secondary, the
# node goes on answering searches meanwhile and takes writes again on the
# new primary without a restart (the seconds it took are printed), and no
# committed document is lost.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/pg.sh"
. "$(dirname "$0")/../lib/cluster.sh"
http_need_tools
pg_need "failover with pg_auto_failover"
paf_need "failover with pg_auto_failover"
paf_start lib
t_eq "pg_auto_failover: a primary and a secondary" "0" "$?"
URL=$PAF_URL
C="$T_TMP/cache0"
t_ok "init on the formation" timeout 30 "$SUCAI" -L "$URL" --cache "$C" init
D="$T_TMP/docs"; mkdir -p "$D"
for i in $(seq 1 30); do
    printf '关于第%d批湿地保护的通知\n\n各单位：\n做好第%d批湿地保护工作。\n' "$i" "$i" >"$D/w$i.txt"
done
"$SUCAI" -L "$URL" --cache "$C" import --quiet "$D"/w{1,2,3,4,5,6,7,8,9,10}.txt
printf 'editor-password-1\n' >"$T_TMP/pw"
"$SUCAI" -L "$URL" --cache "$C" user add ed --role editor --password-file "$T_TMP/pw" >/dev/null
TOKEN=$("$SUCAI" -L "$URL" --cache "$C" token create ed --label failover 2>/dev/null | awk '{ print $NF }' | tail -1)
export SUCAI_CACHE="$T_TMP/cacheA"
start_server "$URL" || { echo "not ok - server start"; exit 1; }
trap 'stop_server; paf_stop; rm -rf "$T_TMP"' EXIT
t_eq "the node finds the documents" "200 10" "$(req GET '/api/v1/search?q=湿地') $(jbody .total)"

old=$(paf_primary)
t0=$(date +%s.%N)
paf_kill_primary
t_eq "primary crashed: searches go on from the index" "200 10" "$(req GET '/api/v1/search?q=湿地') $(jbody .total)"
ok=0 i=11 refused=0
for _ in $(seq 1 600); do
    code=$(req POST /api/v1/import -H "Authorization: Bearer $TOKEN" -F "files=@$D/w$i.txt")
    if [ "$code" = 200 ]; then ok=1; break; fi
    [ "$code" = 503 ] && refused=$((refused + 1))
    sleep 0.1
done
t1=$(date +%s.%N)
t_eq "meanwhile writes are refused with 503" "1" "$([ "$refused" -gt 0 ] && echo 1)"
t_eq "the monitor's promotion is found by the node: writes again, without a restart" "1 imported" \
    "$ok $(jbody '.files[0].status')"
echo "# writes resumed $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s after the primary crashed"
new=$(paf_primary)
t_eq "a new primary" "1" "$([ -n "$new" ] && [ "$new" != "$old" ] && echo 1)"
n=$(jbody .summary.seq)
t_eq "the upload is searchable (read your write)" "200 1" "$(req GET "/api/v1/search?q=第11批&min_seq=$n") $(jbody .total)"
t_ok "the CLI writes to the new primary" "$SUCAI" -L "$URL" --cache "$C" import --quiet "$D/w12.txt"
t_eq "nothing committed was lost" "12" \
    "$("${PG_AS[@]}" "$PGBIN/psql" -h 127.0.0.1 -p "$new" -U postgres -d lib -XAtqc 'SELECT count(*) FROM documents')"
t_ok "the node follows the new primary's change log" until_found "$BASE" 第12批
stop_server
t_done
