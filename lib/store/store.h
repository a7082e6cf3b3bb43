/*
 * The store layer: one connection to a library's database, statements,
 * transactions, error classes, and the schema versions of the parts that
 * keep tables in it. Every part of libsucai that keeps or reads rows goes
 * through this header; none sees a database library's own API. A driver
 * (struct sc_store_driver, lib/store/driver.h) does the work; SQLite's
 * (lib/store/sqlite.c) is the one there is. Not a public header.
 *
 * SQL is written in one dialect, SQLite's as the store has always used it
 * ("?"/"?N" placeholders, INSERT OR IGNORE/REPLACE, AUTOINCREMENT, COLLATE
 * NOCASE, strftime('%Y-%m-%dT%H:%M:%SZ','now')); a driver for another
 * engine rewrites those at prepare time (docs/internals/store.md).
 *
 * Ownership: sc_store_open/sc_store_reopen hand out a connection the
 * caller closes with sc_store_close; sc_stmt_prepare a statement the caller
 * finalizes with sc_stmt_finalize (NULL is fine for both); text and blob
 * columns stay valid until the next step, reset or finalize of that
 * statement.
 */
#ifndef SC_STORE_H
#define SC_STORE_H

#include "sucai/base.h"

#include <stddef.h>
#include <stdint.h>

struct sc_store; /* one connection */
struct sc_stmt;  /* a prepared statement on one connection */
struct sc_blob;  /* an open text or blob value, read in slices */

/* What a statement or connection call returns. Errors are classes, the
 * same for every driver: a driver maps its own codes onto them. */
enum sc_store_rc {
    SC_STORE_OK = 0,
    SC_STORE_ROW,        /* sc_stmt_step: a row is ready */
    SC_STORE_DONE,       /* sc_stmt_step: no more rows / the statement ran */
    SC_STORE_ERROR,      /* anything not below */
    SC_STORE_BUSY,       /* locked by another connection past the busy time */
    SC_STORE_CONSTRAINT, /* a constraint failed (sc_store_errcode: SC_STORE_UNIQUE for a
                            uniqueness one) */
    SC_STORE_UNIQUE,
    SC_STORE_FULL,     /* no space left for the store (disk full, quota) */
    SC_STORE_NOMEM,    /* out of memory */
    SC_STORE_READONLY, /* a write on a read-only connection */
    SC_STORE_UNAVAILABLE, /* the server is not reachable or cannot take writes now
                             (down, restarting, failing over): sc_store_fail gives
                             SC_EUNAVAILABLE; the connection is made again later */
};

/* Types of a column's value in the current row. */
enum sc_store_type {
    SC_COL_INT = 1,
    SC_COL_REAL,
    SC_COL_TEXT,
    SC_COL_BLOB,
    SC_COL_NULL,
};

/* Flags of sc_store_open and sc_store_reopen. */
enum sc_store_flags {
    SC_STORE_RDONLY = 1 << 0,  /* no writes; no schema work at open */
    SC_STORE_CREATE = 1 << 1,  /* make the database if it is not there */
    SC_STORE_PRIVATE = 1 << 2, /* used by one thread at a time (no locking of its own);
                                  otherwise calls from several threads are serialised */
};

/* A part that keeps tables in the store registers itself with this when
 * the library is opened (lib/library/library.c lists them), the way a
 * virtual table's shadow tables are made by its module: the store records
 * each part's schema version in meta ('schema:<name>') and calls migrate
 * with the version it found (0: none recorded — a new library, or one made
 * before versions were recorded, so steps to version 1 are idempotent).
 * Parts are migrated in the order given, so one may refer to the tables of
 * one before it. */
struct sc_store_part {
    const char *name;
    int version;
    enum sc_err (*migrate)(struct sc_store *st, int from, struct sc_diag *diag);
};

/* Open the store at location (a file path for SQLite) and, unless
 * SC_STORE_RDONLY, bring every part's tables up to date. busy_ms: how long
 * a statement waits for another connection's lock. Refuses a database
 * that is not a sucai library (no meta 'schema_version'). */
enum sc_err sc_store_open(const char *location, int flags, int busy_ms,
                          const struct sc_store_part *const *parts, size_t nparts,
                          struct sc_store **out, struct sc_diag *diag);
/* Another connection to the same store (same driver, same location), with
 * no schema work: for readers and writers that must not share a
 * connection's transaction. */
enum sc_err sc_store_reopen(const struct sc_store *st, int flags, int busy_ms,
                            struct sc_store **out, struct sc_diag *diag);
void sc_store_close(struct sc_store *st);
/* The location as messages name it: as given, a URL without its password. */
const char *sc_store_path(const struct sc_store *st);

/* The location as messages name it: a URL's password ("//user:secret@")
 * left out, a path as it is. The caller frees it; NULL when out of memory. */
char *sc_store_shown(const char *location);

/* The store's size in bytes as its engine counts it (SQLite: the file and
 * its WAL; PostgreSQL: the database); -1 if unknown. */
int64_t sc_store_bytes(struct sc_store *st);

/* Change notifications between connections, where the engine has them
 * (PostgreSQL's NOTIFY/LISTEN; SQLite has none). channel: a lower-case
 * word. sc_store_notify: the listeners of channel are woken when the
 * current transaction commits (SC_STORE_OK at once without notifications).
 * sc_store_listen: this connection receives them (SC_STORE_OK; an engine
 * without them, or a standby, which cannot listen, gives SC_STORE_ERROR:
 * poll). sc_store_wait: 1 when a notification came within timeout_ms, 0
 * when none did (an engine without them sleeps timeout_ms), -1 when the
 * connection failed (its message in sc_store_errmsg). */
int sc_store_notify(struct sc_store *st, const char *channel);
int sc_store_listen(struct sc_store *st, const char *channel);
int sc_store_wait(struct sc_store *st, int timeout_ms);

/* The schema version of a part as the store records it (0: none yet), or
 * -1 when it cannot be read. */
int sc_store_part_version(struct sc_store *st, const struct sc_store_part *part);

/* Is the location a URL ("postgresql://…"), not a file? */
int sc_store_is_url(const char *location);
int sc_store_readonly(const struct sc_store *st);

/* Run a script of statements without results. On failure: SC_ESTORE,
 * "<path>: <driver's message>". */
enum sc_err sc_store_exec(struct sc_store *st, const char *sql, struct sc_diag *diag);
/* Does a table of this name exist? */
int sc_store_has_table(struct sc_store *st, const char *name);

/* Transactions. A write transaction takes the write lock at once (SQLite's
 * BEGIN IMMEDIATE); savepoints nest inside one. Messages as sc_store_fail
 * (a COMMIT on a full disk says "disk full"). */
enum sc_err sc_store_begin(struct sc_store *st, int write, struct sc_diag *diag);
enum sc_err sc_store_commit(struct sc_store *st, struct sc_diag *diag);
void sc_store_rollback(struct sc_store *st);
enum sc_err sc_store_savepoint(struct sc_store *st, const char *name, struct sc_diag *diag);
void sc_store_release(struct sc_store *st, const char *name);
void sc_store_rollback_to(struct sc_store *st, const char *name);
/* Is a transaction open on this connection? */
int sc_store_in_tx(struct sc_store *st);

/* The last statement's effects on this connection. */
int64_t sc_store_changes(struct sc_store *st);
int64_t sc_store_last_id(struct sc_store *st);

/* The class of the last failure (enum sc_store_rc), its message, and
 * whether it was for lack of space. */
int sc_store_errcode(struct sc_store *st);
const char *sc_store_errmsg(struct sc_store *st);
int sc_store_full(struct sc_store *st);
/* Record the last failure in diag: "<path>: disk full (no space left for
 * the store)" when it was that, "<path>: <message>" otherwise; returns
 * SC_ESTORE. */
enum sc_err sc_store_fail(struct sc_store *st, struct sc_diag *diag);

/* Statements. prepare returns SC_STORE_OK or an error class (*out NULL);
 * persistent: the statement is kept long and reused (a hint). */
int sc_stmt_prepare(struct sc_store *st, const char *sql, struct sc_stmt **out);
int sc_stmt_prepare_persistent(struct sc_store *st, const char *sql, struct sc_stmt **out);
/* Prepare, or NULL with sc_store_fail's message in diag. */
struct sc_stmt *sc_store_prepare(struct sc_store *st, const char *sql, struct sc_diag *diag);
void sc_stmt_finalize(struct sc_stmt *s);
int sc_stmt_reset(struct sc_stmt *s);
int sc_stmt_clear_bindings(struct sc_stmt *s);
/* Parameters count from 1. Text and blobs are used where they are until the
 * statement is stepped to its end, reset or finalized; the _copy forms copy
 * them. n < 0: text up to its NUL. */
int sc_stmt_bind_int64(struct sc_stmt *s, int i, int64_t v);
int sc_stmt_bind_int(struct sc_stmt *s, int i, int v);
int sc_stmt_bind_double(struct sc_stmt *s, int i, double v);
int sc_stmt_bind_null(struct sc_stmt *s, int i);
int sc_stmt_bind_text(struct sc_stmt *s, int i, const char *text, int n);
int sc_stmt_bind_text_copy(struct sc_stmt *s, int i, const char *text, int n);
int sc_stmt_bind_blob(struct sc_stmt *s, int i, const void *p, int n);
int sc_stmt_bind_blob_copy(struct sc_stmt *s, int i, const void *p, int n);
/* SC_STORE_ROW, SC_STORE_DONE or an error class. */
int sc_stmt_step(struct sc_stmt *s);
/* Columns count from 0. */
int sc_stmt_column_type(struct sc_stmt *s, int col);
int64_t sc_stmt_column_int64(struct sc_stmt *s, int col);
int sc_stmt_column_int(struct sc_stmt *s, int col);
double sc_stmt_column_double(struct sc_stmt *s, int col);
/* NULL for SQL NULL (or out of memory) */
const char *sc_stmt_column_text(struct sc_stmt *s, int col);
const void *sc_stmt_column_blob(struct sc_stmt *s, int col);
int sc_stmt_column_bytes(struct sc_stmt *s, int col);
/* Text column as an allocated copy (NULL for SQL NULL or on OOM: check
 * *oom); the caller frees it. */
char *sc_column_dup(struct sc_stmt *s, int col, int *oom);

/* First column of the first row as an integer (0 if none or on error). */
int64_t sc_store_int(struct sc_store *st, const char *sql);

/* meta, the store's own table: 'schema_version' (a sucai library),
 * 'generation' (bumped by every change that removes or rewrites
 * documents; the index rebuilds when it differs), the parts' versions. */
int64_t sc_store_generation(struct sc_store *st);
enum sc_err sc_store_bump_generation(struct sc_store *st, struct sc_diag *diag);

/* Read a text or blob value in slices without loading it (SQLite's
 * incremental I/O): the value of column in table's row id. The open blob
 * holds a read transaction until it is closed. */
int sc_blob_open(struct sc_store *st, const char *table, const char *column, int64_t id,
                 struct sc_blob **out);
/* Move to another row of the same table and column (on failure the blob
 * is unusable: close it). */
int sc_blob_reopen(struct sc_blob *b, int64_t id);
int sc_blob_bytes(struct sc_blob *b);
int sc_blob_read(struct sc_blob *b, void *buf, int n, int off);
void sc_blob_close(struct sc_blob *b);

#endif
