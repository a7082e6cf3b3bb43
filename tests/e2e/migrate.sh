#!/usr/bin/env bash
# sucai migrate: a library made by an older sucai (here: one whose library
# tables are at version 2, from before the change log) is brought up to
# this binary's schema part by part, saying what changed; again, it says
# it is up to date; a library of a newer sucai is refused, nothing written.
. "$(dirname "$0")/../lib/testlib.sh"
L=$T_TMP/lib
s() { "$SUCAI" -L "$L" "$@"; }
s init >/dev/null
s import --quiet "$REPO/samples" >/dev/null 2>&1
n=$(s list | wc -l)
if ! command -v sqlite3 >/dev/null; then
    t_skip "sucai migrate" "sqlite3 is not installed"
    t_done
    exit
fi
# as a sucai before the change log left it
sqlite3 "$L/library.db" "DROP TABLE changes; UPDATE meta SET value = '2' WHERE key = 'schema:library'"
out=$(s migrate)
t_eq "migrate: the part that was behind, and the rest" "library  2 -> 3
members  1 (up to date)
watch    1 (up to date)
shelf    1 (up to date)" "$out"
t_eq "the change log is there" "1" "$(sqlite3 "$L/library.db" "SELECT count(*) FROM sqlite_master WHERE name = 'changes'")"
t_eq "the documents are as they were" "$n" "$(s list | wc -l)"
out=$(s migrate)
t_eq "again: up to date" "1" "$(grep -c '^the library is up to date$' <<<"$out")"
t_eq "--json" '{"parts": [{"part": "library", "from": 3, "to": 3}, {"part": "members", "from": 1, "to": 1}, {"part": "watch", "from": 1, "to": 1}, {"part": "shelf", "from": 1, "to": 1}], "changed": 0}' \
    "$(s migrate --json)"
printf '关于做好迁移测试的通知\n\n各单位：\n请做好迁移后的核对工作。\n' >"$T_TMP/new.txt"
t_eq "a new document gets a change number after the migration" "imported 1" \
    "$(s import --json "$T_TMP/new.txt" | jq -r '"\(.status) \(.seq)"')"
# made by a newer sucai: refused, nothing written
sqlite3 "$L/library.db" "UPDATE meta SET value = '99' WHERE key = 'schema:library'"
cp "$L/library.db" "$T_TMP/before.db"
out=$(s migrate 2>&1)
t_eq "a newer library: exit 2, named, nothing written" "2 1 same" \
    "$? $(grep -c 'made by a newer sucai' <<<"$out") $(cmp -s "$L/library.db" "$T_TMP/before.db" && echo same)"
t_eq "migrate with an argument: usage error" "2" "$(s migrate extra >/dev/null 2>&1; echo $?)"
t_done
