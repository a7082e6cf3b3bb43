#!/usr/bin/env bash
# End-to-end: libraries the store refuses as they are, each with one clear
# message and nothing written — a database of another application where
# library.db should be, a library made by a newer sucai, a location no
# store driver takes, an empty library.db.
source "$(dirname "$0")/../lib/testlib.sh"
F="$T_TMP/foreign"
mkdir -p "$F"
sqlite3 "$F/library.db" "CREATE TABLE invoices(id INTEGER, total REAL); INSERT INTO invoices VALUES(1, 9.5);"
before=$(sha256sum "$F/library.db")
out=$("$SUCAI" -L "$F" list 2>&1)
t_eq "another application's database: refused (exit 2, a store error)" "2" "$?"
t_eq "another application's database: the message" \
    "sucai: $F/library.db is not a sucai library" "$out"
out=$("$SUCAI" -L "$F" import "$REPO/samples" 2>&1)
t_eq "another application's database: import refused too" "2" "$?"
t_eq "another application's database: import says nothing was written" \
    "sucai: $F/library.db is not a sucai library (it holds another application's tables; nothing was written)" "$out"
t_eq "another application's database: not a byte changed" "$before" "$(sha256sum "$F/library.db")"
t_eq "another application's database: no journal left" "" "$(ls "$F" | grep -v '^library.db$')"

N="$T_TMP/newer"
t_ok "init" "$SUCAI" -L "$N" init
sqlite3 "$N/library.db" "UPDATE meta SET value = '99' WHERE key = 'schema:members'"
before=$(sqlite3 "$N/library.db" "SELECT group_concat(key || '=' || value) FROM meta")
out=$("$SUCAI" -L "$N" list 2>&1)
t_eq "a newer library: refused" "2" "$?"
t_eq "a newer library: the message" \
    "sucai: $N/library.db was made by a newer sucai (its members tables are at version 99, this sucai knows up to 1): upgrade sucai to open it" \
    "$out"
out=$("$SUCAI" -L "$N" serve --listen 127.0.0.1:0 2>&1)
t_eq "a newer library: serve refuses to start" "2" "$?"
t_eq "a newer library: meta unchanged" "$before" \
    "$(sqlite3 "$N/library.db" "SELECT group_concat(key || '=' || value) FROM meta")"

# an empty library.db (an init cut short): not a library, until init makes it one
E="$T_TMP/empty"
mkdir -p "$E"
: >"$E/library.db"
out=$("$SUCAI" -L "$E" list 2>&1)
t_eq "an empty library.db: no library yet" \
    "2 sucai: no library at $E/library.db (an empty database: create one with \`sucai init\`)" "$? $out"
t_ok "an empty library.db: init makes it a library" "$SUCAI" -L "$E" init
t_ok "an empty library.db: then it opens" "$SUCAI" -L "$E" list
t_done
