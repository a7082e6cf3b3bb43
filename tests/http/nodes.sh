#!/usr/bin/env bash
# The change log and several `sucai serve` nodes on one library: every
# document stored gets the next change number (import --json, the upload's
# "seq" and X-Sucai-Seq); a read that carries min_seq is answered from an
# index that has applied it, or refused with 503, never from an older
# state; a node follows what other processes commit without a restart. On
# PostgreSQL (when installed): two nodes with caches of their own on one
# library, a write through one read through the other, a node killed and
# restarted catching up from where it was (no rebuild), a node whose cache
# was deleted rebuilding it, and a login through one node kept on the other.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/lib.sh"
http_need_tools

D="$T_TMP/docs"; mkdir -p "$D"
doc() { # NAME TITLE WORD: a short 通知 holding WORD
    printf '%s\n\n各单位：\n为做好%s工作，现就有关事项通知如下。\n一、%s要落实到位。\n' "$2" "$3" "$3" >"$D/$1.txt"
}
doc a 关于加强银杏保护的通知 银杏保护
doc b 关于紫檀木材管理的通知 紫檀管理
doc c 关于楠木采伐审批的通知 楠木审批
doc d 关于黄杨苗木培育的通知 黄杨培育
doc e 关于香樟病害防治的通知 香樟防治
doc f 关于红豆杉调查的通知 红豆杉调查
printf 'editor-password-1\n' >"$T_TMP/pw"
seq_of() { jq -r '.seq' | tail -1; }     # the last --json line's change number

# ---------------------------------------------------------------- a folder

LIB="$T_TMP/lib"
t_ok "init" "$SUCAI" -L "$LIB" init
s1=$("$SUCAI" -L "$LIB" import --json "$D/a.txt" | seq_of)
s2=$("$SUCAI" -L "$LIB" import --json "$D/b.txt" | seq_of)
t_eq "import --json gives each stored file its change number" "1 2" "$s1 $s2"
out=$("$SUCAI" -L "$LIB" import --json "$D/a.txt")
t_eq "a duplicate changes nothing: seq 0" "duplicate 0" "$(jq -r '.status' <<<"$out") $(jq -r '.seq' <<<"$out")"
t_ok "editor" "$SUCAI" -L "$LIB" user add ed --role editor --password-file "$T_TMP/pw"
TOKEN=$("$SUCAI" -L "$LIB" token create ed --label nodes 2>/dev/null | awk '{ print $NF }' | tail -1)

start_server "$LIB" || { echo "not ok - server start"; exit 1; }
t_eq "a search says the change it reflects" "200 2" "$(req GET '/api/v1/search?q=银杏') $(header X-Sucai-Seq)"
t_eq "min_seq that has been applied: answered" "200 1" "$(req GET '/api/v1/search?q=银杏&min_seq=2') $(jbody .total)"
t_eq "X-Sucai-Min-Seq does the same" "200" "$(req GET /api/v1/docs/1 -H 'X-Sucai-Min-Seq: 1')"
t_eq "a change not made yet: 503 after a short wait, with Retry-After" "503 unavailable 1" \
    "$(req GET '/api/v1/search?q=银杏&min_seq=99') $(jbody .error.code) $(header Retry-After)"
t_eq "the refusal names both numbers" "1" "$(jbody .error.message | grep -c 'up to 2, not yet 99')"
t_eq "a bad min_seq: 400" "400 400" "$(req GET '/api/v1/search?q=x&min_seq=-1') $(req GET '/api/v1/search?q=x&min_seq=1x')"
code=$(req POST /api/v1/import -H "Authorization: Bearer $TOKEN" -F "files=@$D/c.txt")
t_eq "an upload answers with its change number" "200 3 3 3" \
    "$code $(jbody .summary.seq) $(jbody '.files[0].seq') $(header X-Sucai-Seq)"
t_eq "the upload is found at once with its number" "200 1" "$(req GET '/api/v1/search?q=楠木&min_seq=3') $(jbody .total)"
# another process writes: the node follows without a restart
"$SUCAI" -L "$LIB" import --quiet "$D/d.txt"
t_ok "a document the CLI imported is found by the running node" until_found "$BASE" 黄杨
t_eq "and the node says so" "4" "$(req GET '/api/v1/search?q=x' >/dev/null; header X-Sucai-Seq)"
stop_server
t_eq "the node stops cleanly with its follower" "0" "$SERVER_EXIT"
t_eq "the store keeps the log" "add add add add" \
    "$(sqlite3 "$LIB/library.db" 'SELECT kind FROM changes ORDER BY seq' 2>/dev/null | tr '\n' ' ' | sed 's/ $//')"

# ---------------------------------------------------------------- PostgreSQL
. "$(dirname "$0")/../lib/pg.sh"
pg_need "several nodes on a PostgreSQL library"
pg_start
t_eq "a PostgreSQL cluster starts" "0" "$?"
A_PID= B_PID=
trap 'kill -9 ${A_PID:-} ${B_PID:-} 2>/dev/null; pg_stop; [ -n "${KEEP:-}" ] || rm -rf "$T_TMP"' EXIT
URL=$(pg_newdb nodes)
t_ok "init (PostgreSQL)" "$SUCAI" -L "$URL" --cache "$T_TMP/cache0" init
"$SUCAI" -L "$URL" --cache "$T_TMP/cache0" import --quiet "$D/a.txt" "$D/b.txt"
t_ok "editor (PostgreSQL)" "$SUCAI" -L "$URL" --cache "$T_TMP/cache0" user add ed --role editor --password-file "$T_TMP/pw"
PTOKEN=$("$SUCAI" -L "$URL" --cache "$T_TMP/cache0" token create ed --label nodes 2>/dev/null | awk '{ print $NF }' | tail -1)

node() { # CACHE: start a node on the PostgreSQL library; prints its URL and pid
    export SUCAI_CACHE=$1
    start_server "$URL" >/dev/null || return 1
    echo "$BASE $SERVER_PID"
}
read -r A A_PID <<<"$(node "$T_TMP/cacheA")"
read -r B B_PID <<<"$(node "$T_TMP/cacheB")"
SERVER_PID=
t_ok "two nodes start, each with its own cache" test -n "$A" -a -n "$B" -a -d "$T_TMP/cacheA/index" -a -d "$T_TMP/cacheB/index"
BASE=$A
code=$(req POST /api/v1/import -H "Authorization: Bearer $PTOKEN" -F "files=@$D/c.txt")
n=$(jbody .summary.seq)
t_eq "an upload through node A" "200 3" "$code $n"
BASE=$B
t_eq "read your write through node B: min_seq is waited for" "200 1 3" \
    "$(req GET "/api/v1/search?q=楠木&min_seq=$n") $(jbody .total) $(header X-Sucai-Seq)"
"$SUCAI" -L "$URL" --cache "$T_TMP/cache0" import --quiet "$D/d.txt"
t_ok "a CLI import reaches node A (notified)" until_found "$A" 黄杨
t_ok "and node B" until_found "$B" 黄杨
same_answers() { # at the store's last change, the two nodes answer alike (times aside)
    local q a b n
    n=$(pg_psql nodes 'SELECT max(seq) FROM changes')
    for q in 通知 银杏 紫檀 工作 黄杨; do
        a=$(curl -s "$A/api/v1/search?q=$q&limit=50&min_seq=$n" | jq -c 'del(.took_ms)')
        b=$(curl -s "$B/api/v1/search?q=$q&limit=50&min_seq=$n" | jq -c 'del(.took_ms)')
        if [ -z "$a" ] || [ "$a" != "$b" ]; then
            echo "# $q: A $a"; echo "# $q: B $b"
            return 1
        fi
    done
}
t_ok "two nodes at the same change answer alike" same_answers

# a login through A is a session on B: sessions live in PostgreSQL
curl -s -c "$T_TMP/jar" -H 'Content-Type: application/json' \
    -d '{"name":"ed","password":"editor-password-1"}' "$A/api/v1/session" >/dev/null
t_eq "a session made on A is known on B" "ed" "$(curl -s -b "$T_TMP/jar" "$B/api/v1/me" | jq -r '.user')"

# quotas are taken in PostgreSQL: 8 parallel downloads over both nodes
# against a quota of 3 give exactly 3
"$SUCAI" -L "$URL" --cache "$T_TMP/cache0" user add qr --tier free --password-file "$T_TMP/pw" >/dev/null
"$SUCAI" -L "$URL" --cache "$T_TMP/cache0" user quota free 3 >/dev/null
QTOKEN=$("$SUCAI" -L "$URL" --cache "$T_TMP/cache0" token create qr --label quota 2>/dev/null | awk '{ print $NF }' | tail -1)
pids=()
for i in 1 2 3 4 5 6 7 8; do
    node_url=$A; [ $((i % 2)) = 0 ] && node_url=$B
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 30 -X POST "$node_url/api/v1/compile" \
        -H "Authorization: Bearer $QTOKEN" -H 'Content-Type: application/json' \
        --data '{"ids": [1], "format": "txt"}' >"$T_TMP/race.$i" &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
t_eq "8 parallel downloads over two nodes, quota 3: exactly 3" "200x3 429x5 " \
    "$(cat "$T_TMP"/race.* | sort | uniq -c | awk '{print $2 "x" $1}' | tr '\n' ' ')"

# kill -9 a node, write meanwhile, start it again on its cache: it goes on
# from the change it had applied, keeping its segments
first=$(sed -n 's/^segment \([^ ]*\) .*/\1/p' "$T_TMP/cacheB/index/MANIFEST" | head -1)
kill -9 "$B_PID"; wait "$B_PID" 2>/dev/null
"$SUCAI" -L "$URL" --cache "$T_TMP/cache0" import --quiet "$D/e.txt"
read -r B B_PID <<<"$(node "$T_TMP/cacheB")"
SERVER_PID=
t_ok "node B after kill -9 finds what came while it was down" until_found "$B" 香樟
t_eq "from where it was: its first segment is kept" "$first" \
    "$(sed -n 's/^segment \([^ ]*\) .*/\1/p' "$T_TMP/cacheB/index/MANIFEST" | head -1)"
t_eq "it has applied every change" "$(pg_psql nodes 'SELECT max(seq) FROM changes')" \
    "$(sed -n 's/^seq //p' "$T_TMP/cacheB/index/MANIFEST")"
t_ok "and answers as node A does" same_answers
kill -TERM "$B_PID"; wait "$B_PID" 2>/dev/null

# a node whose cache was deleted rebuilds it from PostgreSQL
rm -rf "$T_TMP/cacheB"
read -r B B_PID <<<"$(node "$T_TMP/cacheB")"
SERVER_PID=
t_ok "a node with its cache deleted rebuilds it" test -f "$T_TMP/cacheB/index/MANIFEST"
t_ok "and answers as node A does" same_answers
"$SUCAI" -L "$URL" --cache "$T_TMP/cache0" import --quiet "$D/f.txt"
t_ok "and follows again" until_found "$B" 红豆杉
t_eq "the log in PostgreSQL" "6 add" "$(pg_psql nodes 'SELECT count(*), min(kind) FROM changes' | tr '|' ' ')"

# the database stops: searches go on from the nodes' indexes, writes get
# 503 with a clear error, the CLI names the server and exits 2; when it
# is back, writes work again without a restart
pg_stop
BASE=$A
t_eq "database down: a search is answered from the index" "200 1" "$(req GET '/api/v1/search?q=银杏') $(jbody .total)"
t_eq "database down: an upload is 503 (who asks cannot be checked), Retry-After" "503 unavailable 1" \
    "$(req POST /api/v1/import -H "Authorization: Bearer $PTOKEN" -F "files=@$D/a.txt") $(jbody .error.code) $(header Retry-After)"
t_eq "database down: a document read is 503, naming the database" "503 1" \
    "$(req GET /api/v1/docs/1) $(jbody .error.message | grep -c 'postgresql://sucai@/nodes.*not available now')"
out=$("$SUCAI" -L "$URL" --cache "$T_TMP/cache0" import --quiet "$D/a.txt" 2>&1)
t_eq "database down: the CLI exits 2 naming the server" "2 1" "$? $(grep -c "postgresql://sucai@/nodes.*connection to server" <<<"$out")"
"${PG_AS[@]}" "$PGBIN/pg_ctl" -D "$PG_DIR/data" -w -l "$PG_DIR/log" \
    -o "-k $PG_DIR -c listen_addresses= -c fsync=off -c synchronous_commit=off" start >/dev/null
doc g 关于梧桐修剪的通知 梧桐修剪
up() { [ "$(req POST /api/v1/import -H "Authorization: Bearer $PTOKEN" -F "files=@$D/g.txt")" = 200 ]; }
back=0
for _ in $(seq 1 30); do up && { back=1; break; }; sleep 0.2; done
t_eq "database back: uploads work again without a restart" "1 imported" "$back $(jbody '.files[0].status')"
n=$(jbody .summary.seq)
t_eq "and both nodes have it (read your write)" "1 1" \
    "$(curl -s "$A/api/v1/search?q=梧桐&min_seq=$n" | jq .total) $(curl -s "$B/api/v1/search?q=梧桐&min_seq=$n" | jq .total)"
for p in "$A_PID" "$B_PID"; do kill -TERM "$p"; wait "$p" 2>/dev/null; done
t_done
