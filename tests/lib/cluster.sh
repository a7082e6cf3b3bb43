# cluster.sh: a streaming standby beside pg.sh's cluster, for failover
# tests (bash, after testlib.sh and pg.sh). Source it, then:
#   pg_start_primary   pg_start, commits waiting for the disk
#   pg_start_standby   a standby in $T_TMP/pg2 (pg_basebackup -R), on its own
#                      Unix socket there, streaming from the primary; from
#                      then on the primary's commits wait for it (synchronous)
#   pg_crash_primary   stop the primary at once (-m immediate: as a crash)
#   pg_promote         promote the standby (pg_ctl promote), waiting for it
#   pg_urls DB         a URL naming both servers, the one taking writes
#                      first found by libpq (target_session_attrs=read-write)
#   pg2_psql DB SQL    pg_psql on the standby
# Both are stopped at exit.
PG2_DIR=$T_TMP/pg2

pg2_stop() {
    [ -d "$PG2_DIR/data" ] && "${PG_AS[@]}" "$PGBIN/pg_ctl" -D "$PG2_DIR/data" -w -m fast stop >/dev/null 2>&1
    return 0
}

pg_start_primary() {
    PG_COMMIT= pg_start || return 1
    trap 'pg2_stop; pg_stop; rm -rf "$T_TMP"' EXIT
}

pg_start_standby() {
    mkdir -p "$PG2_DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$PG2_DIR"
    "${PG_AS[@]}" "$PGBIN/pg_basebackup" -h "$PG_DIR" -U sucai -D "$PG2_DIR/data" -R -X stream \
        >"$PG2_DIR/basebackup.log" 2>&1 &&
        "${PG_AS[@]}" "$PGBIN/pg_ctl" -D "$PG2_DIR/data" -w -l "$PG2_DIR/log" \
            -o "-k $PG2_DIR -c listen_addresses= -c fsync=off" start >/dev/null || return 1
    # streaming once the primary lists it
    local i
    for i in $(seq 1 100); do
        [ "$(pg_psql postgres "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" = 1 ] && break
        sleep 0.1
    done
    # every commit waits for the standby: a committed document survives the
    # primary (set only now: with no standby, commits would wait for ever)
    pg_psql postgres "ALTER SYSTEM SET synchronous_standby_names = '*'" &&
        "${PG_AS[@]}" "$PGBIN/pg_ctl" -D "$PG_DIR/data" -w reload >/dev/null &&
        [ "$(pg_psql postgres "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'")" = 1 ]
}

pg_crash_primary() {
    "${PG_AS[@]}" "$PGBIN/pg_ctl" -D "$PG_DIR/data" -w -m immediate stop >/dev/null 2>&1
}

pg_promote() {
    "${PG_AS[@]}" "$PGBIN/pg_ctl" -D "$PG2_DIR/data" -w promote >/dev/null
}

pg_urls() {
    echo "postgresql://sucai@/$1?host=$PG_DIR,$PG2_DIR&target_session_attrs=read-write"
}

pg2_psql() {
    "${PG_AS[@]}" "$PGBIN/psql" -h "$PG2_DIR" -U sucai -d "$1" -XAtq -c "$2"
}
