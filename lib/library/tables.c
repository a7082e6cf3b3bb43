/*
 * The library part's tables in the store: the imported sources, their
 * documents with sections and points, the boilerplate kept aside and the
 * refused files. Each imported file is stored all or nothing (a savepoint
 * in a transaction of 50 ms of files, import.c), so a crash leaves the
 * store as it was before that file or after it.
 */
#include "library_int.h"

#include <stdlib.h>

static const char schema_sql[] =
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
    "  text BLOB NOT NULL,          -- original text, title first, '\\n' paragraphs:\n"
    "                               -- a zstd frame (plain UTF-8 before schema 2)\n"
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
    "  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));\n";

int sc_doc_text_bind(struct sc_stmt *st, int i, const char *z, size_t zlen)
{
    return sc_stmt_bind_blob(st, i, z ? z : "", (int)zlen);
}

enum sc_err sc_doc_text_column(struct sc_stmt *st, int i, char **text, size_t *len)
{
    const void *v = sc_stmt_column_blob(st, i);
    int n = sc_stmt_column_bytes(st, i);
    return sc_ztext_unpack(v, n > 0 ? (size_t)n : 0, text, len);
}

/* Rows of documents packed per transaction by the step to version 2. */
#define PACK_BATCH 256

struct packed_row {
    int64_t id;
    char *z;
    size_t zlen;
};

/* Pack up to PACK_BATCH plain rows with ids above *after, in one write
 * transaction; *after moves to the last id read, *done is set when no row
 * was left, *npacked counts the rows rewritten. */
static enum sc_err pack_batch(struct sc_store *st, int64_t *after, int *done, int64_t *npacked,
                              struct sc_diag *diag)
{
    struct packed_row rows[PACK_BATCH];
    size_t n = 0, nread = 0;
    enum sc_err e = sc_store_begin(st, 1, diag);
    if (e != SC_OK)
        return e;
    struct sc_stmt *sel = sc_store_prepare(
        st, "SELECT id, text FROM documents WHERE id > ? ORDER BY id LIMIT ?", diag);
    struct sc_stmt *upd =
        sel ? sc_store_prepare(st, "UPDATE documents SET text = ? WHERE id = ?", diag) : NULL;
    if (!upd)
        e = SC_ESTORE;
    if (e == SC_OK) {
        sc_stmt_bind_int64(sel, 1, *after);
        sc_stmt_bind_int(sel, 2, PACK_BATCH);
        int rc;
        while (e == SC_OK && (rc = sc_stmt_step(sel)) == SC_STORE_ROW) {
            nread++;
            *after = sc_stmt_column_int64(sel, 0);
            const void *v = sc_stmt_column_blob(sel, 1);
            int vlen = sc_stmt_column_bytes(sel, 1);
            size_t len = vlen > 0 ? (size_t)vlen : 0;
            if (sc_ztext_is_packed(v, len))
                continue; /* packed already (an open that stopped half way) */
            rows[n].id = *after;
            if (sc_ztext_pack(v, len, &rows[n].z, &rows[n].zlen) != SC_OK)
                e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
            else
                n++;
        }
        if (e == SC_OK && rc != SC_STORE_DONE)
            e = sc_store_fail(st, diag);
    }
    sc_stmt_finalize(sel);
    for (size_t k = 0; e == SC_OK && k < n; k++) {
        sc_doc_text_bind(upd, 1, rows[k].z, rows[k].zlen);
        sc_stmt_bind_int64(upd, 2, rows[k].id);
        if (sc_stmt_step(upd) != SC_STORE_DONE)
            e = sc_store_fail(st, diag);
        sc_stmt_reset(upd);
    }
    sc_stmt_finalize(upd);
    for (size_t k = 0; k < n; k++)
        free(rows[k].z);
    if (e == SC_OK)
        e = sc_store_commit(st, diag);
    else
        sc_store_rollback(st);
    if (e == SC_OK) {
        *npacked += (int64_t)n;
        *done = nread < PACK_BATCH;
    }
    return e;
}

/* Version 3: the change log. Every document stored, re-parsed or removed
 * gets the next number in the transaction that makes the change; an index
 * records the number it has applied, a follower (another machine's
 * `sucai serve`) reads what came after it, and a request that carries a
 * number waits for it (docs/internals/changes.md). */
static const char changes_sql[] =
    "CREATE TABLE IF NOT EXISTS changes(\n"
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  kind TEXT NOT NULL,           -- add, reparse, remove\n"
    "  doc_id INTEGER,\n"
    "  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));\n";

static enum sc_err migrate(struct sc_store *st, int from, struct sc_diag *diag)
{
    /* version 1: idempotent, also brings older libraries up to date */
    enum sc_err e = sc_store_exec(st, schema_sql, diag);
    if (e == SC_OK)
        e = sc_store_exec(st, changes_sql, diag);
    if (e != SC_OK || from >= 2)
        return e;
    /* version 2: documents.text packed as a zstd frame (issue 19). The
     * column keeps its declared type (SQLite does not mind a blob in a
     * TEXT column; a new library declares it BLOB). */
    int64_t after = 0, npacked = 0;
    int done = 0;
    while (e == SC_OK && !done)
        e = pack_batch(st, &after, &done, &npacked, diag);
    /* give the space back: VACUUM runs outside a transaction in SQLite and
     * PostgreSQL alike; best effort, since another connection's read can
     * make SQLite's fail, and the library is good without it */
    if (e == SC_OK && npacked && !sc_store_in_tx(st)) {
        struct sc_diag ignored = { 0 };
        (void)sc_store_exec(st, "VACUUM", &ignored);
    }
    return e;
}

const struct sc_store_part sc_library_part = { "library", 3, migrate };

int64_t sc_store_max_doc_id(struct sc_library *lib)
{
    return sc_store_int(lib->db, "SELECT coalesce(max(id), 0) FROM documents");
}

int64_t sc_library_seq(struct sc_library *lib)
{
    return sc_store_int(lib->db, "SELECT coalesce(max(seq), 0) FROM changes");
}
