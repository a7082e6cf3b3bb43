/*
 * The driver contract of the store layer (docs/internals/store.md): what
 * an engine must provide for lib/store/store.c to run every part's SQL on
 * it. Handles are the driver's own (void *); lib/store/store.c wraps them
 * and dispatches, so nothing above the store knows which driver runs.
 * Return values are enum sc_store_rc classes. Not a public header.
 */
#ifndef SC_STORE_DRIVER_H
#define SC_STORE_DRIVER_H

#include "store.h"

struct sc_store_driver {
    const char *name; /* "sqlite" */
    /* Does this driver take the location ("postgresql://…" for libpq)? */
    int (*claims)(const char *location);
    /* Run once on a writable connection before the schema (NULL: none). */
    const char *setup_sql;

    /* Connect (enum sc_store_flags); on failure *conn may be left for
     * errmsg and is closed by the caller. Writable connections get the
     * engine's settings (SQLite: WAL, page size, foreign keys). */
    int (*open)(const char *location, int flags, int busy_ms, void **conn);
    void (*close)(void *conn);
    int (*exec)(void *conn, const char *sql);
    int (*has_table)(void *conn, const char *name);
    /* Does the database hold no tables at all (a new library)? */
    int (*empty)(void *conn);
    /* The store's size in bytes (SQLite: the file and its WAL); -1 unknown. */
    int64_t (*bytes)(void *conn);

    /* BEGIN (write: take the write lock now), COMMIT, ROLLBACK,
     * SAVEPOINT, RELEASE, ROLLBACK TO */
    int (*begin)(void *conn, int write);
    int (*commit)(void *conn);
    int (*rollback)(void *conn);
    int (*savepoint)(void *conn, const char *name);
    int (*release)(void *conn, const char *name);
    int (*rollback_to)(void *conn, const char *name);
    int (*in_tx)(void *conn);

    int64_t (*changes)(void *conn);
    int64_t (*last_id)(void *conn);
    int (*errcode)(void *conn); /* class of the last failure */
    const char *(*errmsg)(void *conn);
    int (*full)(void *conn); /* was it for lack of space? */

    int (*prepare)(void *conn, const char *sql, int persistent, void **stmt);
    void (*finalize)(void *stmt);
    int (*reset)(void *stmt);
    int (*clear_bindings)(void *stmt);
    int (*bind_int64)(void *stmt, int i, int64_t v);
    int (*bind_double)(void *stmt, int i, double v);
    int (*bind_null)(void *stmt, int i);
    int (*bind_text)(void *stmt, int i, const char *s, int n, int copy);
    int (*bind_blob)(void *stmt, int i, const void *p, int n, int copy);
    int (*step)(void *stmt);
    int (*column_type)(void *stmt, int col);
    int64_t (*column_int64)(void *stmt, int col);
    double (*column_double)(void *stmt, int col);
    const char *(*column_text)(void *stmt, int col);
    const void *(*column_blob)(void *stmt, int col);
    int (*column_bytes)(void *stmt, int col);

    int (*blob_open)(void *conn, const char *table, const char *column, int64_t id, void **blob);
    int (*blob_reopen)(void *blob, int64_t id);
    int (*blob_bytes)(void *blob);
    int (*blob_read)(void *blob, void *buf, int n, int off);
    void (*blob_close)(void *blob);
    /* Change notifications (NULL: the engine has none, and followers
     * poll). notify: wake the listeners of channel when this connection's
     * transaction commits; listen: receive them on this connection; wait:
     * 1 when one came within timeout_ms, 0 when none did, -1 when the
     * connection failed (the message for errmsg kept). */
    int (*notify)(void *conn, const char *channel);
    int (*listen)(void *conn, const char *channel);
    int (*wait)(void *conn, int timeout_ms);
};

extern const struct sc_store_driver sc_store_sqlite;
#ifdef SC_HAVE_PG
extern const struct sc_store_driver sc_store_pg; /* pg.c, where libpq is installed */
#endif

#endif
