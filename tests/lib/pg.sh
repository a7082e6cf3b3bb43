# pg.sh: a throw-away PostgreSQL cluster for a test script (bash), after
# testlib.sh. Source it, then:
#   pg_need NAME       skip NAME and exit when no PostgreSQL server is
#                      installed or the binary is built without libpq
#   pg_start           initdb in $T_TMP/pg (as postgres when run as root),
#                      start it on a Unix socket there (no TCP), stopped at
#                      exit; call it directly, not inside t_ok (a subshell,
#                      whose exit would stop it). Commits do not wait for
#                      the disk unless PG_COMMIT is set (to "" for the default)
#   pg_newdb NAME      create database NAME; prints its URL
#   pg_psql DB SQL     run SQL in database DB, print the rows unaligned
#   pg_stop            stop it (also done at exit)
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
PG_DIR=$T_TMP/pg
PG_AS=()
[ "$(id -u)" = 0 ] && PG_AS=(runuser -u postgres --)

pg_need() {
    local why=
    if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
        why="no PostgreSQL server installed"
    elif ! "$SUCAI" -L "postgresql://x@/x?host=/nonexistent" list 2>&1 | grep -q "connection to server"; then
        why="sucai built without libpq"
    fi
    if [ -n "$why" ]; then
        t_skip "$1" "$why"
        t_done
        exit
    fi
}

pg_stop() {
    [ -d "$PG_DIR/data" ] && "${PG_AS[@]}" "$PGBIN/pg_ctl" -D "$PG_DIR/data" -w -m fast stop >/dev/null 2>&1
    return 0
}

pg_start() {
    mkdir -p "$PG_DIR"
    if [ "$(id -u)" = 0 ]; then
        chmod 755 "$T_TMP"
        chown postgres "$PG_DIR"
    fi
    trap 'pg_stop; rm -rf "$T_TMP"' EXIT
    "${PG_AS[@]}" "$PGBIN/initdb" -D "$PG_DIR/data" -A trust -U sucai -E UTF8 --no-locale >"$PG_DIR/initdb.log" 2>&1 &&
        "${PG_AS[@]}" "$PGBIN/pg_ctl" -D "$PG_DIR/data" -w -l "$PG_DIR/log" \
            -o "-k $PG_DIR -c listen_addresses= -c fsync=off ${PG_COMMIT--c synchronous_commit=off}" start >/dev/null
}

pg_newdb() {
    "${PG_AS[@]}" "$PGBIN/createdb" -h "$PG_DIR" -U sucai "$1" && echo "postgresql://sucai@/$1?host=$PG_DIR"
}

pg_psql() {
    "${PG_AS[@]}" "$PGBIN/psql" -h "$PG_DIR" -U sucai -d "$1" -XAtq -c "$2"
}
