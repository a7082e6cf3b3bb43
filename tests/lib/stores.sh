# stores.sh: the library of a test script in either store (bash, after
# testlib.sh). With SUCAI_STORE=pg (tests/run's e2e-pg and http-pg layers)
# the script's libraries live in a PostgreSQL cluster of its own, started
# when this file is sourced (skipped where there is none) and stopped at
# exit; otherwise they are folders under $T_TMP.
#   new_library NAME   a location for a new library: $T_TMP/NAME, or a new
#                      database's URL (each URL's index in its own cache
#                      under $T_TMP)
#   drop_library LIB   remove a library (the folder; the database and the
#                      caches), so that its location can be made again
#   lib_sql LIB SQL    run SQL on a library's store (sqlite3 or psql)
#   have_lib_sql       is there a shell for lib_sql?
# A script that sets a trap of its own on EXIT must call pg_stop in it
# when SUCAI_STORE=pg.
new_library() {
    if [ "${SUCAI_STORE:-}" != pg ]; then
        echo "$T_TMP/$1"
        return
    fi
    pg_newdb "$1"
}

pg_db_of() { # URL -> its database name
    local db=${1#*@/}
    echo "${db%%\?*}"
}

drop_library() {
    if [ "${SUCAI_STORE:-}" != pg ]; then
        rm -rf "$1"
        return
    fi
    local db
    db=$(pg_db_of "$1")
    pg_psql postgres "DROP DATABASE IF EXISTS $db WITH (FORCE)" && pg_newdb "$db" >/dev/null
    rm -rf "$XDG_CACHE_HOME/sucai"
}

have_lib_sql() {
    [ "${SUCAI_STORE:-}" = pg ] || command -v sqlite3 >/dev/null
}

lib_sql() {
    if [ "${SUCAI_STORE:-}" = pg ]; then
        pg_psql "$(pg_db_of "$1")" "$2"
    else
        sqlite3 "$1/library.db" ".timeout 5000" "$2"
    fi
}

# SUCAI_STORE=pg: the script's libraries live in a PostgreSQL cluster of its
# own (tests/lib/pg.sh), started here; skipped where there is none
if [ "${SUCAI_STORE:-}" = pg ]; then
    . "$REPO/tests/lib/pg.sh"
    pg_need "$(basename "$0") on PostgreSQL"
    PG_COMMIT= pg_start || { echo "not ok - a PostgreSQL cluster for $(basename "$0")"; exit 1; }
    export XDG_CACHE_HOME="$T_TMP/xdg-cache"
fi
