#!/usr/bin/env bash
# The store's PostgreSQL driver against a real server: a throw-away cluster
# (tests/lib/pg.sh), the driver's unit tests (tests/unit/store/test_pg.c)
# run on it, the cluster stopped. Skipped where PostgreSQL's server or the
# driver is not built in.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/../lib/pg.sh"
T=$REPO/$BUILD/tests/unit/store/test_pg
if [ ! -x "$T" ] || ! grep -q "sc_store_pg" <(nm "$T" 2>/dev/null); then
    t_skip "the PostgreSQL driver passes its tests on a real server" "no $T built with libpq"
    t_done
    exit
fi
pg_need "the PostgreSQL driver passes its tests on a real server"
pg_start
t_eq "the server starts" "0" "$?"
out=$(SUCAI_TEST_PG="postgresql://sucai@/postgres?host=$PG_DIR" "$T" 2>&1)
rc=$?
t_eq "the PostgreSQL driver passes its tests on a real server" "0" "$rc"
[ "$rc" = 0 ] || sed 's/^/#   /' <<<"$out" | grep -v "^#   \[ *\(RUN\|OK\) " | head -30
t_eq "no test was skipped" "0" "$(grep -c SKIPPED <<<"$out")"
t_ok "the server stops" pg_stop
t_done
