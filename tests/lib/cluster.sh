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
        "${PG_AS[@]}" "$PGBIN/pg_ctl" -D "$PG_DIR/data" -w reload >/dev/null || return 1
    # the walsender takes the new setting up a moment after the reload
    for i in $(seq 1 100); do
        [ "$(pg_psql postgres "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'")" = 1 ] && return 0
        sleep 0.1
    done
    return 1
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

# pg_auto_failover (Debian's postgresql-15-auto-failover): a monitor and two
# keepers, each running its PostgreSQL on 127.0.0.1 (pg_autoctl needs TCP).
#   paf_need NAME      skip NAME and exit when pg_autoctl is not installed
#   paf_start DB       monitor + primary + secondary (synchronous), database
#                      DB made on them; sets PAF_URL (both nodes,
#                      target_session_attrs=read-write)
#   paf_primary        the port of the node the monitor says is primary
#   paf_kill_primary   kill -9 the primary's keeper, its services and its
#                      PostgreSQL (a crash of the machine)
#   paf_state          the monitor's table
# Everything is stopped at exit.
PAF_DIR=$T_TMP/paf

paf_need() {
    if ! command -v pg_autoctl >/dev/null 2>&1; then
        t_skip "$1" "pg_autoctl (pg_auto_failover) is not installed"
        t_done
        exit
    fi
}

paf_ctl() { # pg_autoctl as postgres, with its own config folders under PAF_DIR
    "${PG_AS[@]}" env PATH="$PGBIN:$PATH" PG_CONFIG="$PGBIN/pg_config" \
        XDG_CONFIG_HOME="$PAF_DIR/config" XDG_DATA_HOME="$PAF_DIR/share" pg_autoctl "$@"
}

# Each keeper runs in a session of its own (setsid): its services rename
# themselves ("pg_autoctl: start/stop postgres"), so only the session finds
# them all, PostgreSQL included. PAF_SID[n]: node n's (0: the monitor).
PAF_SID=()

paf_kill() { # N: kill -9 every process of node N's session
    [ -n "${PAF_SID[$1]:-}" ] && pkill -9 -s "${PAF_SID[$1]}" 2>/dev/null
    return 0
}

paf_stop() {
    local n
    # stopped by their keepers first: a PostgreSQL killed under its
    # workers can leave them behind
    for n in node2 node1 monitor; do
        [ -d "$PAF_DIR/$n" ] && timeout 20 paf_ctl stop --pgdata "$PAF_DIR/$n" --immediate >/dev/null 2>&1
    done
    for n in 1 2 0; do paf_kill "$n"; done
    return 0
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

paf_start() {
    mkdir -p "$PAF_DIR"
    if [ "$(id -u)" = 0 ]; then
        chmod 755 "$T_TMP"
        chown postgres "$PAF_DIR"
    fi
    trap 'paf_stop; rm -rf "$T_TMP"' EXIT
    PAF_PORTS=("$(free_port)" "$(free_port)" "$(free_port)")
    local mon="postgres://autoctl_node@127.0.0.1:${PAF_PORTS[0]}/pg_auto_failover?sslmode=disable"
    setsid bash -c "$(declare -f paf_ctl); PG_AS=(${PG_AS[*]}); PGBIN=$PGBIN; PAF_DIR=$PAF_DIR
        paf_ctl create monitor --pgdata $PAF_DIR/monitor --pgport ${PAF_PORTS[0]} \
        --hostname 127.0.0.1 --auth trust --no-ssl --run" >"$PAF_DIR/monitor.log" 2>&1 &
    PAF_SID[0]=$!
    disown
    local i n
    for i in $(seq 1 150); do
        "${PG_AS[@]}" "$PGBIN/psql" -h 127.0.0.1 -p "${PAF_PORTS[0]}" -d pg_auto_failover -XAtqc \
            'SELECT 1' >/dev/null 2>&1 && break
        sleep 0.2
    done
    # the monitor's health checks at a test's pace (defaults: a node is
    # unhealthy after 20 s of failed checks every 5 s, and an unreachable
    # primary is given 30 s to demote itself before the secondary is
    # promoted); docs/scale-out.md
    "${PG_AS[@]}" "$PGBIN/psql" -h 127.0.0.1 -p "${PAF_PORTS[0]}" -d pg_auto_failover -XAtq \
        -c "ALTER SYSTEM SET pgautofailover.health_check_period = 1000" \
        -c "ALTER SYSTEM SET pgautofailover.health_check_timeout = 1000" \
        -c "ALTER SYSTEM SET pgautofailover.health_check_max_retries = 1" \
        -c "ALTER SYSTEM SET pgautofailover.health_check_retry_delay = 500" \
        -c "ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout = 3000" \
        -c "ALTER SYSTEM SET pgautofailover.primary_demote_timeout = 3000" \
        -c "SELECT pg_reload_conf()" >/dev/null
    for n in 1 2; do
        setsid bash -c "$(declare -f paf_ctl); PG_AS=(${PG_AS[*]}); PGBIN=$PGBIN; PAF_DIR=$PAF_DIR
            paf_ctl create postgres --pgdata $PAF_DIR/node$n --pgport ${PAF_PORTS[$n]} \
            --hostname 127.0.0.1 --auth trust --no-ssl --dbname $1 --monitor '$mon' \
            --run" >"$PAF_DIR/node$n.log" 2>&1 &
        PAF_SID[$n]=$!
        disown
        # the first is the primary; the second is made from it
        [ "$n" = 1 ] && for i in $(seq 1 300); do
            "${PG_AS[@]}" "$PGBIN/psql" -h 127.0.0.1 -p "${PAF_PORTS[1]}" -d "$1" -XAtqc 'SELECT 1' \
                >/dev/null 2>&1 && break
            sleep 0.2
        done
    done
    for i in $(seq 1 600); do
        [ "$(paf_state | grep -cE '\| +(primary|secondary) +\| +(primary|secondary) *$')" = 2 ] && break
        sleep 0.25
    done
    PAF_URL="postgresql://postgres@127.0.0.1:${PAF_PORTS[1]},127.0.0.1:${PAF_PORTS[2]}/$1?target_session_attrs=read-write&sslmode=disable"
    [ "$(paf_state | grep -cE '\| +(primary|secondary) +\| +(primary|secondary) *$')" = 2 ]
}

paf_state() {
    paf_ctl show state --pgdata "$PAF_DIR/monitor" 2>/dev/null
}

paf_primary() {
    # the state the monitor assigned (a crashed primary still reports
    # primary); one whose secondary is gone is wait_primary
    paf_state | awk -F'|' '$7 ~ /^ *(primary|wait_primary|single) *$/ { sub(/.*:/, "", $3); gsub(/ /, "", $3); print $3 }' | head -1
}

paf_kill_primary() {
    local port n
    port=$(paf_primary)
    for n in 1 2; do
        [ "${PAF_PORTS[$n]}" = "$port" ] && paf_kill "$n"
    done
    return 0
}
