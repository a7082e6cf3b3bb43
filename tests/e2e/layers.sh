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
bad=$(grep -lE '#include "(base|text|ingest|gongwen|library|search|export|members|store|check|proof|mask)/' \
    "$REPO"/cli/*.c "$REPO"/cli/*.h "$REPO"/server/*.c "$REPO"/server/*.h 2>/dev/null | tr '\n' ' ')
t_eq "the CLI and the server include only the public headers" "" "$bad"
# one way to allocate: sc_malloc/sc_calloc/sc_realloc (base.h), so that the
# failure injection (lib/base/alloc.h) reaches every allocation
bare=$(grep -nP '(?<![\w.>])(malloc|calloc|realloc)\s*\(' "$REPO"/lib/*/*.c "$REPO"/cli/*.c "$REPO"/server/*.c |
    grep -v '^[^:]*lib/base/alloc\.c:' | grep -v 'sc_alloc_gate' | head -5 | sed "s|$REPO/||")
t_eq "every allocation goes through sc_malloc, sc_calloc or sc_realloc" "" "$bare"
t_done
