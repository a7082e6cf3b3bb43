#!/usr/bin/env bash
# End-to-end: a library in PostgreSQL (-L postgresql://…, the index in
# --cache DIR) answers every command as a library folder does on the same
# input — the conformance of the two stores at the command line — and the
# bad locations each get one clear error with nothing written.
source "$(dirname "$0")/../lib/testlib.sh"
source "$(dirname "$0")/../lib/pg.sh"
pg_need "a library in PostgreSQL"
pg_start
t_eq "a PostgreSQL cluster starts" "0" "$?"
URL=$(pg_newdb lib1)
F="$T_TMP/folder"
pgl() { "$SUCAI" -L "$URL" --cache "$T_TMP/cache" "$@"; }
fol() { "$SUCAI" -L "$F" "$@"; }
# what differs by nature: times, the location, sizes of the store
norm() { sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/TIME/g; s/\([0-9.]+ ms\)/(MS)/; s/in [0-9.]+ s/in S/; s/"took_ms": [0-9.]+/"took_ms": MS/'; }

t_ok "init (PostgreSQL)" pgl init
t_ok "init (folder)" fol init
out=$(pgl init 2>&1)
t_eq "init again is refused" "2 sucai: postgresql://sucai@/lib1?host=$PG_DIR already holds a library" "$? $out"
t_ok "import (PostgreSQL)" pgl import --quiet "$REPO/samples"
t_ok "import (folder)" fol import --quiet "$REPO/samples"
t_eq "the index is in the cache folder" "1" "$(ls "$T_TMP/cache/index" | grep -c MANIFEST)"
t_eq "documents are in PostgreSQL" "$(fol list | wc -l)" "$(pg_psql lib1 'SELECT count(*) FROM documents')"

same() { # NAME ARGS...: the command's output is the same on both stores
    local name=$1; shift
    t_eq "$name: the same on both stores" "$(fol "$@" 2>&1 | norm)" "$(pgl "$@" 2>&1 | norm)"
}
same "list" list
same "list --json" list --json
same "show" show 4
same "show --outline" show 4 --outline
same "show --json" show 4 --json
same "show --free" show 1 --free --text
same "search" search 工作
same "search --json" search --json '工作 year:2023'
same "search, paragraph mode" search --json --para 工作
same "search, entitled" search --entitled --json 工作
same "search, a query error" search --json '工作 year:'
t_eq "search --json: documents found" "1" "$(pgl search --json 工作 | grep -c '"id": 4,')"
printf 'pw-%s\n' 12345678 >"$T_TMP/pw"
for s in fol pgl; do
    $s user add amy --tier vip --role editor --password-file "$T_TMP/pw" >/dev/null
    $s user add bob --password-file "$T_TMP/pw" >/dev/null
    $s user set-tier bob svip --days 30 >/dev/null
    $s token create amy --label ci >/dev/null
done
same "user list" user list
same "user list --json" user list --json
same "token list" token list
same "audit" audit
t_ok "compile (PostgreSQL)" pgl compile --ids 1,2,3 -o "$T_TMP/p.docx"
t_ok "compile (folder)" fol compile --ids 1,2,3 -o "$T_TMP/f.docx"
t_eq "compile: the same 汇编" "$(unzip -p "$T_TMP/f.docx" word/document.xml | md5sum)" \
    "$(unzip -p "$T_TMP/p.docx" word/document.xml | md5sum)"
t_ok "export (PostgreSQL)" pgl export 4 -o "$T_TMP/p4.docx"
t_ok "reindex (PostgreSQL)" pgl reindex
same "search after reindex" search --json '工作 year:2023'
t_eq "stats: the same documents" "$(fol stats | grep -v -e '^store' -e '^index')" "$(pgl stats | grep -v -e '^store' -e '^index')"
# the server on the PostgreSQL library; its log names it without a password
PWURL=${URL/sucai@/sucai:s3cret@}
"$SUCAI" -L "$PWURL" --cache "$T_TMP/cache" serve --listen 127.0.0.1:0 >"$T_TMP/serve.out" 2>"$T_TMP/serve.err" &
SPID=$!
for _ in $(seq 50); do grep -q listening "$T_TMP/serve.out" 2>/dev/null && break; sleep 0.1; done
BASE=$(sed -n 's/^listening on //p' "$T_TMP/serve.out")
# an anonymous reader: search is for all, so the document found only in its
# paid part is counted (its paid text withheld), as from a library folder —
# which needs the paid allowance taken in PostgreSQL
t_eq "serve: searches answer from PostgreSQL" "1 1" \
    "$(curl -s "$BASE/api/v1/search?q=%E5%B7%A5%E4%BD%9C" | grep -c '^{"total": 7,') $(fol search 工作 | grep -c '1 of them found only in the paid part')"
t_eq "serve: a document from PostgreSQL" "1" "$(curl -s "$BASE/api/v1/docs/4" | grep -c '"title": "XX区教育局2023年工作总结"')"
kill "$SPID"; wait "$SPID" 2>/dev/null
t_eq "serve: the log names the library without its password" "1 0" \
    "$(grep -c "library postgresql://sucai@/lib1" "$T_TMP/serve.err") $(grep -c s3cret "$T_TMP/serve.err")"
t_eq "stats: the store's size is the database's" "1" "$(pgl stats | grep -c '^store: *[1-9][0-9.]* MB$')"
rm -rf "$T_TMP/cache"
same "a deleted cache is rebuilt from PostgreSQL" search --json 工作

# bad locations: one clear error each, nothing written
out=$("$SUCAI" -L "postgresql://sucai@/nodb?host=$PG_DIR" --cache "$T_TMP/c2" list 2>&1)
t_eq "a database that does not exist: exit 2" "2" "$?"
t_eq "a database that does not exist: says so" "1" "$(grep -c 'cannot open postgresql://sucai@/nodb.*does not exist' <<<"$out")"
out=$("$SUCAI" -L "postgresql://sucai:s3cret@127.0.0.1:1/x" --cache "$T_TMP/c2" list 2>&1)
t_eq "an unreachable server: exit 2" "2" "$?"
t_eq "an unreachable server: names it on one line, without the password" "1 1 0" \
    "$(wc -l <<<"$out") $(grep -c 'cannot open postgresql://sucai@127.0.0.1:1/x: connection to server.*; Is the server running' <<<"$out") $(grep -c s3cret <<<"$out")"
E=$(pg_newdb empty)
out=$("$SUCAI" -L "$E" --cache "$T_TMP/c2" import "$REPO/samples" 2>&1)
t_eq "an empty database is not a library until init" \
    "2 sucai: no library at $E (an empty database: create one with \`sucai init\`)" "$? $out"
t_eq "an empty database: nothing written" "0" "$(pg_psql empty "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
O=$(pg_newdb other)
pg_psql other "CREATE TABLE invoices(id int, total numeric); INSERT INTO invoices VALUES (1, 9.5)"
out=$("$SUCAI" -L "$O" --cache "$T_TMP/c2" init 2>&1)
t_eq "another application's database: refused" \
    "2 sucai: $O is not a sucai library (it holds another application's tables; nothing was written)" "$? $out"
t_eq "another application's database: nothing written" "invoices" \
    "$(pg_psql other "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'")"
# a library from before the change log, migrated in PostgreSQL
pg_psql lib1 "DROP TABLE changes; UPDATE meta SET value = '2' WHERE key = 'schema:library'"
t_eq "migrate (PostgreSQL): library 2 -> 3" "1 1" \
    "$(pgl migrate | grep -c '^library  2 -> 3$') $(pg_psql lib1 "SELECT count(*) FROM pg_tables WHERE tablename = 'changes'")"
t_eq "migrate again: up to date" "0" "$(pgl migrate --json | jq .changed)"
same "search after the migration" search --json '工作 year:2023'
pg_psql lib1 "UPDATE meta SET value = '7' WHERE key = 'schema:library'"
out=$(pgl list 2>&1)
t_eq "a library made by a newer sucai: refused" "2" "$?"
t_eq "a library made by a newer sucai: says so" "1" "$(grep -c 'was made by a newer sucai (its library tables are at version 7' <<<"$out")"
t_ok "the cluster stops" pg_stop
t_done
