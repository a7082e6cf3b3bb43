#!/usr/bin/env bash
# The layout is the architecture, checked: libsucai.a exports only what the
# public headers declare, and the front ends include only those headers.
. "$(dirname "$0")/../lib/testlib.sh"
A=$REPO/$BUILD/libsucai.a
if [ ! -f "$A" ] || ! command -v nm >/dev/null; then
    t_skip "libsucai.a exports only the public API" "no $A or no nm"
else
    nm "$A" | awk '$2 ~ /^[TDBRVW]$/ { print $3 }' | sort -u >"$T_TMP/globals"
    "$REPO/tools/public-symbols" >"$T_TMP/public"
    extra=$(comm -23 "$T_TMP/globals" "$T_TMP/public" | head -20 | tr '\n' ' ')
    t_eq "libsucai.a exports only symbols the public headers declare" "" "$extra"
    t_ok "libsucai.a exports the public API" test "$(wc -l <"$T_TMP/globals")" -gt 50
fi
parts=$(cd "$REPO/lib" && ls -d */ | tr -d / | paste -sd '|')
bad=$(grep -lE "#include \"($parts)/" \
    "$REPO"/cli/*.c "$REPO"/cli/*.h "$REPO"/server/*.c "$REPO"/server/*.h 2>/dev/null | tr '\n' ' ')
t_eq "the CLI and the server include only the public headers" "" "$bad"
# one way to allocate: sc_malloc/sc_calloc/sc_realloc (base.h), so that the
# failure injection (lib/base/alloc.h) reaches every allocation
bare=$(grep -nP '(?<![\w.>])(malloc|calloc|realloc)\s*\(' "$REPO"/lib/*/*.c "$REPO"/cli/*.c "$REPO"/server/*.c |
    grep -v '^[^:]*lib/base/alloc\.c:' | grep -v 'sc_alloc_gate' | head -5 | sed "s|$REPO/||")
t_eq "every allocation goes through sc_malloc, sc_calloc or sc_realloc" "" "$bare"
# parts depend on each other without cycles: lib/A depends on lib/B when
# a file of A includes one of B's internal headers ("B/..."); the store
# (lib/store/) is at the bottom and lib/library/library.c wires the rest
part_deps() {
    local f a b
    shopt -s nullglob
    for f in "$1"/lib/*/*.c "$1"/lib/*/*.h; do
        a=${f#"$1"/lib/}
        a=${a%%/*}
        sed -n 's|^#include "\([a-z]*\)/.*|\1|p' "$f" | sort -u | while read -r b; do
            if [ -d "$1/lib/$b" ] && [ "$b" != "$a" ]; then echo "$a $b"; fi
        done
    done | sort -u
}
part_deps "$REPO" >"$T_TMP/deps"
loop=$(tsort "$T_TMP/deps" 2>&1 >/dev/null | sed -n 's/^tsort: \([a-z]*\)$/\1/p' | tr '\n' ' ')
t_eq "no include cycle between the parts of lib/" "" "$loop"
t_ok "the parts' dependencies are found" test "$(wc -l <"$T_TMP/deps")" -gt 5
# the check sees a cycle: two parts that include each other's headers
mkdir -p "$T_TMP/cyc/lib/aa" "$T_TMP/cyc/lib/bb"
printf '#include "bb/b_int.h"\n' >"$T_TMP/cyc/lib/aa/a.c"
printf '#include "aa/a_int.h"\n' >"$T_TMP/cyc/lib/bb/b.c"
part_deps "$T_TMP/cyc" >"$T_TMP/cyc/deps"
loop=$(tsort "$T_TMP/cyc/deps" 2>&1 >/dev/null | sed -n 's/^tsort: \([a-z]*\)$/\1/p' | sort | tr '\n' ' ')
t_eq "a cycle between two parts is found" "aa bb " "$loop"
# the library's internals are its own: other parts reach the store and the
# handle through lib/store/
inner=$(grep -lE '#include "library/' "$REPO"/lib/*/*.c "$REPO"/lib/*/*.h | grep -v '/lib/library/' |
    sed "s|$REPO/||" | tr '\n' ' ')
t_eq "no part includes lib/library's internal headers" "" "$inner"
sq=$(grep -lE '#include <sqlite3.h>|sqlite3_' "$REPO"/lib/*/*.c "$REPO"/lib/*/*.h | grep -v '/lib/store/' |
    sed "s|$REPO/||" | tr '\n' ' ')
t_eq "only the store's driver speaks to SQLite" "" "$sq"
t_done
