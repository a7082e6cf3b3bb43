/*
 * The SQLite driver of the store layer. The store's SQL is written in
 * SQLite's dialect, so statements go to SQLite as they are; what is
 * SQLite's own is here: the connection settings (WAL, page size), the
 * mapping of its result codes onto the store's classes (SQLITE_FULL and
 * ENOSPC/EDQUOT as "full"), incremental blob I/O, and the routing of its
 * allocations through libsucai's gate (base/alloc.h).
 */
#include "driver.h"

#include "base/alloc.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* SQLite allocates through libsucai's gate (base/alloc.h), so that tests
 * which fail the n-th allocation reach the store's error paths too. */
static void *sq_malloc(int n)
{
    return n > 0 && sc_alloc_gate() == 0 ? malloc((size_t)n) : NULL;
}

static void sq_free(void *p)
{
    free(p);
}

static void *sq_realloc(void *p, int n)
{
    return n > 0 && sc_alloc_gate() == 0 ? realloc(p, (size_t)n) : NULL;
}

static int sq_size(void *p)
{
    return p ? (int)malloc_usable_size(p) : 0;
}

static int sq_roundup(int n)
{
    return (n + 7) & ~7;
}

static int sq_init(void *ctx)
{
    (void)ctx;
    return SQLITE_OK;
}

static void sq_shutdown(void *ctx)
{
    (void)ctx;
}

/* SQLite keeps memory statistics by default, behind one global mutex
 * taken at every allocation: the threads of an import and of the server
 * all met there. Nothing here reads the statistics. This must precede
 * SQLite's initialisation; if the process used SQLite before, the calls
 * fail and change nothing. */
static void sqlite_configure(void)
{
    static const sqlite3_mem_methods mem = { sq_malloc,  sq_free, sq_realloc,  sq_size,
                                             sq_roundup, sq_init, sq_shutdown, NULL };
    (void)sqlite3_config(SQLITE_CONFIG_MALLOC, &mem);
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int rc_class(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK: return SC_STORE_OK;
    case SQLITE_ROW: return SC_STORE_ROW;
    case SQLITE_DONE: return SC_STORE_DONE;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return SC_STORE_BUSY;
    case SQLITE_CONSTRAINT: return SC_STORE_CONSTRAINT;
    case SQLITE_FULL: return SC_STORE_FULL;
    case SQLITE_NOMEM: return SC_STORE_NOMEM;
    case SQLITE_READONLY: return SC_STORE_READONLY;
    default: return SC_STORE_ERROR;
    }
}

static int claims(const char *location)
{
    return strstr(location, "://") == NULL;
}

static int sq_open(const char *location, int flags, int busy_ms, void **conn)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_configure);
    sqlite3 *db = NULL;
    int of = (flags & SC_STORE_PRIVATE) ? SQLITE_OPEN_NOMUTEX : SQLITE_OPEN_FULLMUTEX;
    of |= (flags & SC_STORE_RDONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (flags & SC_STORE_CREATE)
        of |= SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(location, &db, of, NULL);
    *conn = db;
    if (rc != SQLITE_OK)
        return rc_class(rc) == SC_STORE_OK ? SC_STORE_ERROR : rc_class(rc);
    sqlite3_busy_timeout(db, busy_ms);
    return SC_STORE_OK;
}

static void sq_close(void *conn)
{
    sqlite3_close(conn);
}

static int sq_exec(void *conn, const char *sql)
{
    return rc_class(sqlite3_exec(conn, sql, NULL, NULL, NULL));
}

static int sq_has_table(void *conn, const char *name)
{
    sqlite3_stmt *st = NULL;
    int yes = 0;
    if (sqlite3_prepare_v2(conn, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) == SQLITE_OK)
        yes = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return yes;
}

static int sq_empty(void *conn)
{
    sqlite3_stmt *st = NULL;
    int none = 0;
    if (sqlite3_prepare_v2(conn, "SELECT 1 FROM sqlite_master LIMIT 1", -1, &st, NULL) == SQLITE_OK)
        none = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    return none;
}

/* The database file and its write-ahead log, as they are on disk now. */
static int64_t sq_bytes(void *conn)
{
    const char *file = sqlite3_db_filename(conn, "main");
    if (!file || !*file)
        return -1;
    int64_t n = 0;
    struct stat sb;
    char wal[4096];
    if (stat(file, &sb) == 0)
        n += sb.st_size;
    if ((size_t)snprintf(wal, sizeof wal, "%s-wal", file) < sizeof wal && stat(wal, &sb) == 0)
        n += sb.st_size;
    return n;
}

static int sq_begin(void *conn, int write)
{
    return sq_exec(conn, write ? "BEGIN IMMEDIATE" : "BEGIN");
}

static int sq_commit(void *conn)
{
    return sq_exec(conn, "COMMIT");
}

static int sq_rollback(void *conn)
{
    return sq_exec(conn, "ROLLBACK");
}

/* Savepoint names are the callers' own constants (identifiers). */
static int sp(void *conn, const char *verb, const char *name)
{
    char sql[96];
    if (snprintf(sql, sizeof sql, "%s %s", verb, name) >= (int)sizeof sql)
        return SC_STORE_ERROR;
    return sq_exec(conn, sql);
}

static int sq_savepoint(void *conn, const char *name)
{
    return sp(conn, "SAVEPOINT", name);
}

static int sq_release(void *conn, const char *name)
{
    return sp(conn, "RELEASE", name);
}

static int sq_rollback_to(void *conn, const char *name)
{
    return sp(conn, "ROLLBACK TO", name);
}

static int sq_in_tx(void *conn)
{
    return !sqlite3_get_autocommit(conn);
}

static int64_t sq_changes(void *conn)
{
    return sqlite3_changes(conn);
}

static int64_t sq_last_id(void *conn)
{
    return sqlite3_last_insert_rowid(conn);
}

static int sq_errcode(void *conn)
{
    int rc = sqlite3_extended_errcode(conn);
    return rc == SQLITE_CONSTRAINT_UNIQUE ? SC_STORE_UNIQUE : rc_class(rc);
}

static const char *sq_errmsg(void *conn)
{
    return sqlite3_errmsg(conn);
}

static int sq_full(void *conn)
{
    int rc = sqlite3_extended_errcode(conn);
    int en = sqlite3_system_errno(conn);
    return (rc & 0xff) == SQLITE_FULL ||
           ((rc & 0xff) == SQLITE_IOERR && (en == ENOSPC || en == EDQUOT));
}

static int sq_prepare(void *conn, const char *sql, int persistent, void **stmt)
{
    sqlite3_stmt *st = NULL;
    int rc =
        sqlite3_prepare_v3(conn, sql, -1, persistent ? SQLITE_PREPARE_PERSISTENT : 0, &st, NULL);
    *stmt = st;
    return rc_class(rc);
}

static void sq_finalize(void *stmt)
{
    sqlite3_finalize(stmt);
}

static int sq_reset(void *stmt)
{
    return rc_class(sqlite3_reset(stmt));
}

static int sq_clear_bindings(void *stmt)
{
    return rc_class(sqlite3_clear_bindings(stmt));
}

static int sq_bind_int64(void *stmt, int i, int64_t v)
{
    return rc_class(sqlite3_bind_int64(stmt, i, v));
}

static int sq_bind_double(void *stmt, int i, double v)
{
    return rc_class(sqlite3_bind_double(stmt, i, v));
}

static int sq_bind_null(void *stmt, int i)
{
    return rc_class(sqlite3_bind_null(stmt, i));
}

static int sq_bind_text(void *stmt, int i, const char *s, int n, int copy)
{
    return rc_class(sqlite3_bind_text(stmt, i, s, n, copy ? SQLITE_TRANSIENT : SQLITE_STATIC));
}

static int sq_bind_blob(void *stmt, int i, const void *p, int n, int copy)
{
    return rc_class(sqlite3_bind_blob(stmt, i, p, n, copy ? SQLITE_TRANSIENT : SQLITE_STATIC));
}

static int sq_step(void *stmt)
{
    return rc_class(sqlite3_step(stmt));
}

static int sq_column_type(void *stmt, int col)
{
    switch (sqlite3_column_type(stmt, col)) {
    case SQLITE_INTEGER: return SC_COL_INT;
    case SQLITE_FLOAT: return SC_COL_REAL;
    case SQLITE_TEXT: return SC_COL_TEXT;
    case SQLITE_BLOB: return SC_COL_BLOB;
    default: return SC_COL_NULL;
    }
}

static int64_t sq_column_int64(void *stmt, int col)
{
    return sqlite3_column_int64(stmt, col);
}

static double sq_column_double(void *stmt, int col)
{
    return sqlite3_column_double(stmt, col);
}

static const char *sq_column_text(void *stmt, int col)
{
    return (const char *)sqlite3_column_text(stmt, col);
}

static const void *sq_column_blob(void *stmt, int col)
{
    return sqlite3_column_blob(stmt, col);
}

static int sq_column_bytes(void *stmt, int col)
{
    return sqlite3_column_bytes(stmt, col);
}

static int sq_blob_open(void *conn, const char *table, const char *column, int64_t id, void **blob)
{
    sqlite3_blob *b = NULL;
    int rc = sqlite3_blob_open(conn, "main", table, column, id, 0, &b);
    *blob = b;
    return rc_class(rc);
}

static int sq_blob_reopen(void *blob, int64_t id)
{
    return rc_class(sqlite3_blob_reopen(blob, id));
}

static int sq_blob_bytes(void *blob)
{
    return sqlite3_blob_bytes(blob);
}

static int sq_blob_read(void *blob, void *buf, int n, int off)
{
    return rc_class(sqlite3_blob_read(blob, buf, n, off));
}

static void sq_blob_close(void *blob)
{
    sqlite3_blob_close(blob);
}

const struct sc_store_driver sc_store_sqlite = {
    .name = "sqlite",
    .claims = claims,
    /* page_size takes effect only when the file is created: 16 KiB pages
     * make a document's text or source a few pages instead of a dozen, a
     * quarter of the WAL writes of an import (each a system call).
     * temp_store=MEMORY keeps the sub-journals of the import's per-file
     * savepoints in memory instead of temporary files (those were half of
     * all writes). */
    .setup_sql = "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; "
                 "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                 "PRAGMA temp_store=MEMORY;",
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .has_table = sq_has_table,
    .empty = sq_empty,
    .bytes = sq_bytes,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .savepoint = sq_savepoint,
    .release = sq_release,
    .rollback_to = sq_rollback_to,
    .in_tx = sq_in_tx,
    .changes = sq_changes,
    .last_id = sq_last_id,
    .errcode = sq_errcode,
    .errmsg = sq_errmsg,
    .full = sq_full,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .reset = sq_reset,
    .clear_bindings = sq_clear_bindings,
    .bind_int64 = sq_bind_int64,
    .bind_double = sq_bind_double,
    .bind_null = sq_bind_null,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .step = sq_step,
    .column_type = sq_column_type,
    .column_int64 = sq_column_int64,
    .column_double = sq_column_double,
    .column_text = sq_column_text,
    .column_blob = sq_column_blob,
    .column_bytes = sq_column_bytes,
    .blob_open = sq_blob_open,
    .blob_reopen = sq_blob_reopen,
    .blob_bytes = sq_blob_bytes,
    .blob_read = sq_blob_read,
    .blob_close = sq_blob_close,
};
