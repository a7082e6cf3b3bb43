#!/usr/bin/env bash
# The store's PostgreSQL driver against a real server: a throw-away cluster
# (initdb in a temporary folder, a Unix socket there, no TCP), the driver's
# unit tests (tests/unit/store/test_pg.c) run on it, the cluster stopped.
# Skipped where PostgreSQL's server or the driver is not built in.
. "$(dirname "$0")/../lib/testlib.sh"
T=$REPO/$BUILD/tests/unit/store/test_pg
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ ! -x "$T" ] || [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
    t_skip "the PostgreSQL driver passes its tests on a real server" "no PostgreSQL server or no $T"
    t_done
    exit
fi
if ! grep -q "sc_store_pg" <(nm "$T" 2>/dev/null); then
    t_skip "the PostgreSQL driver passes its tests on a real server" "built without libpq"
    t_done
    exit
fi
# initdb and the server refuse to run as root: as postgres then
as=()
if [ "$(id -u)" = 0 ]; then
    as=(runuser -u postgres --)
    chmod 755 "$T_TMP"
fi
D=$T_TMP/pg
mkdir -p "$D"
trap '"${as[@]}" "$PGBIN/pg_ctl" -D "$D/data" -m immediate stop >/dev/null 2>&1; rm -rf "$T_TMP"' EXIT
[ "$(id -u)" = 0 ] && chown postgres "$D"
t_ok "initdb" "${as[@]}" "$PGBIN/initdb" -D "$D/data" -A trust -U sucai -E UTF8 --no-locale
t_ok "the server starts" "${as[@]}" "$PGBIN/pg_ctl" -D "$D/data" -w -l "$D/log" \
    -o "-k $D -c listen_addresses= -c fsync=off" start
URL="postgresql://sucai@/postgres?host=$D"
out=$(SUCAI_TEST_PG=$URL "$T" 2>&1)
rc=$?
t_eq "the PostgreSQL driver passes its tests on a real server" "0" "$rc"
[ "$rc" = 0 ] || sed 's/^/#   /' <<<"$out" | grep -v "^#   \[ *\(RUN\|OK\) " | head -30
t_eq "no test was skipped" "0" "$(grep -c SKIPPED <<<"$out")"
t_ok "the server stops" "${as[@]}" "$PGBIN/pg_ctl" -D "$D/data" -w -m fast stop
t_done
