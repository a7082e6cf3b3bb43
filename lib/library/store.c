/*
 * The SQLite store: schema, opening, and small statement helpers. SQLite
 * is the source of truth; everything else (the search index) is derived
 * from it. WAL mode lets searches and reads go on while an import writes,
 * and each imported file is stored all or nothing (a savepoint in a
 * transaction of 50 ms of files), so a crash leaves the store as it was
 * before that file or after it.
 */
#include "store.h"
#include "base/alloc.h"
#include "shelf/shelf_int.h"
#include "sucai/members.h"
#include "watch/watch_int.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Version 1 of the schema. Later versions add migrations below it. */
static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;\n"
    "CREATE TABLE IF NOT EXISTS sources(\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  name TEXT NOT NULL,          -- file name as given\n"
    "  path TEXT,                   -- path as given on import\n"
    "  size INTEGER NOT NULL,\n"
    "  sha256 TEXT NOT NULL UNIQUE,\n"
    "  format TEXT, encoding TEXT,\n"
    "  bytes BLOB NOT NULL,         -- original bytes, zstd (zlib before 2026-11)\n"
    "  imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));\n"
    "CREATE TABLE IF NOT EXISTS documents(\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  source_id INTEGER NOT NULL REFERENCES sources(id),\n"
    "  part INTEGER NOT NULL,       -- 1-based article number in the source\n"
    "  src_line INTEGER,\n"
    "  title TEXT NOT NULL,\n"
    "  text TEXT NOT NULL,          -- original text, title first, '\\n' paragraphs\n"
    "  chars INTEGER NOT NULL,\n"
    "  norm_sha256 TEXT NOT NULL,   -- of the normalised text: exact duplicates\n"
    "  simhash INTEGER NOT NULL,    -- near duplicates\n"
    "  genre TEXT, year INTEGER, unit TEXT, level TEXT, topics TEXT,\n"
    "  paid_from INTEGER NOT NULL DEFAULT -1, paid_to INTEGER NOT NULL DEFAULT -1,\n"
    "  dup_of INTEGER, similarity REAL);\n"
    "CREATE INDEX IF NOT EXISTS documents_norm ON documents(norm_sha256);\n"
    "CREATE INDEX IF NOT EXISTS documents_source ON documents(source_id, part);\n"
    "-- every SimHash (with the id) without reading the rows' text: an import\n"
    "-- loads them all (0.02 s instead of 0.2 s for 10,000 documents)\n"
    "CREATE INDEX IF NOT EXISTS documents_simhash ON documents(simhash);\n"
    "CREATE TABLE IF NOT EXISTS sections(\n"
    "  doc_id INTEGER NOT NULL, n INTEGER NOT NULL,\n"
    "  level INTEGER NOT NULL, label TEXT NOT NULL, heading TEXT NOT NULL, kind TEXT NOT NULL,\n"
    "  start INTEGER NOT NULL, end INTEGER NOT NULL, fault TEXT,\n"
    "  PRIMARY KEY(doc_id, n)) WITHOUT ROWID;\n"
    "CREATE TABLE IF NOT EXISTS points(\n"
    "  doc_id INTEGER NOT NULL, section_n INTEGER NOT NULL, n INTEGER NOT NULL,\n"
    "  label TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,\n"
    "  PRIMARY KEY(doc_id, section_n, n)) WITHOUT ROWID;\n"
    "CREATE TABLE IF NOT EXISTS boilerplate(\n"
    "  id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL, line INTEGER NOT NULL,\n"
    "  text TEXT NOT NULL, reason TEXT NOT NULL);\n"
    "CREATE TABLE IF NOT EXISTS refused(\n"
    "  id INTEGER PRIMARY KEY, file TEXT NOT NULL, reason TEXT NOT NULL,\n"
    "  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));\n"
    "INSERT OR IGNORE INTO meta VALUES('schema_version', '1');\n"
    "INSERT OR IGNORE INTO meta VALUES('generation', '1');\n";

enum sc_err sc_store_exec(struct sc_library *lib, const char *sql, struct sc_diag *diag)
{
    char *err = NULL;
    if (sqlite3_exec(lib->db, sql, NULL, NULL, &err) != SQLITE_OK) {
        sc_diag_set(diag, SC_ESTORE, "%s: %s", lib->db_path, err ? err : "error");
        sqlite3_free(err);
        return SC_ESTORE;
    }
    return SC_OK;
}

int sc_store_full(struct sc_library *lib)
{
    int rc = sqlite3_extended_errcode(lib->db);
    int en = sqlite3_system_errno(lib->db);
    return (rc & 0xff) == SQLITE_FULL ||
           ((rc & 0xff) == SQLITE_IOERR && (en == ENOSPC || en == EDQUOT));
}

enum sc_err sc_store_fail(struct sc_library *lib, struct sc_diag *diag)
{
    if (sc_store_full(lib))
        return sc_diag_set(diag, SC_ESTORE, "%s: disk full (no space left for the store)",
                           lib->db_path);
    return sc_diag_set(diag, SC_ESTORE, "%s: %s", lib->db_path, sqlite3_errmsg(lib->db));
}

sqlite3_stmt *sc_store_prepare(struct sc_library *lib, const char *sql, struct sc_diag *diag)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(lib->db, sql, -1, &st, NULL) != SQLITE_OK) {
        sc_store_fail(lib, diag);
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

int64_t sc_store_int(struct sc_library *lib, const char *sql)
{
    sqlite3_stmt *st = sc_store_prepare(lib, sql, NULL);
    int64_t v = 0;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

int64_t sc_store_max_doc_id(struct sc_library *lib)
{
    return sc_store_int(lib, "SELECT coalesce(max(id), 0) FROM documents");
}

int64_t sc_store_generation(struct sc_library *lib)
{
    return sc_store_int(lib, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'generation'");
}

enum sc_err sc_store_bump_generation(struct sc_library *lib, struct sc_diag *diag)
{
    return sc_store_exec(lib,
                         "UPDATE meta SET value = CAST(value AS INTEGER) + 1 "
                         "WHERE key = 'generation'",
                         diag);
}

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
    static const sqlite3_mem_methods mem = { sq_malloc, sq_free,    sq_realloc, sq_size,
                                             sq_roundup, sq_init, sq_shutdown, NULL };
    (void)sqlite3_config(SQLITE_CONFIG_MALLOC, &mem);
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

enum sc_err sc_store_open(struct sc_library *lib, int create, struct sc_diag *diag)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_configure);
    int oflags = SQLITE_OPEN_FULLMUTEX;
    oflags |= (lib->flags & SC_LIBRARY_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (create)
        oflags |= SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(lib->db_path, &lib->db, oflags, NULL) != SQLITE_OK) {
        enum sc_err e = sc_diag_set(diag, SC_ESTORE, "cannot open %s: %s", lib->db_path,
                                    lib->db ? sqlite3_errmsg(lib->db) : "out of memory");
        sqlite3_close(lib->db);
        lib->db = NULL;
        return e;
    }
    sqlite3_busy_timeout(lib->db, 10000);
    enum sc_err e = SC_OK;
    if (!(lib->flags & SC_LIBRARY_READONLY)) {
        /* page_size takes effect only when the file is created: 16 KiB
         * pages make a document's text or source a few pages instead of
         * a dozen, a quarter of the WAL writes of an import (each a system
         * call). temp_store=MEMORY keeps the sub-journals of the import's
         * per-file savepoints in memory instead of temporary files (those
         * were half of all writes). */
        e = sc_store_exec(lib,
                          "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; "
                          "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                          "PRAGMA temp_store=MEMORY;",
                          diag);
        /* idempotent: also brings older libraries up to date */
        if (e == SC_OK)
            e = sc_store_exec(lib, schema_sql, diag);
        if (e == SC_OK)
            e = sc_members_schema(lib, diag);
        if (e == SC_OK)
            e = sc_watch_schema(lib, diag);
        if (e == SC_OK)
            e = sc_shelf_schema(lib, diag);
    }
    if (e == SC_OK) {
        /* a store that is not ours (or is corrupt) is refused here */
        sqlite3_stmt *st =
            sc_store_prepare(lib, "SELECT value FROM meta WHERE key = 'schema_version'", diag);
        if (!st)
            e = SC_ESTORE;
        else if (sqlite3_step(st) != SQLITE_ROW)
            e = sc_diag_set(diag, SC_ESTORE, "%s is not a sucai library", lib->db_path);
        sqlite3_finalize(st);
    }
    return e;
}
