/*
 * Store internals shared by the files of lib/library/ (schema and
 * statement helpers around the one SQLite connection of a library).
 */
#ifndef SUCAI_STORE_H
#define SUCAI_STORE_H

#include "library_int.h"

/* Open lib->db at lib->db_path; create = make the file and schema. */
enum sc_err sc_store_open(struct sc_library *lib, int create, struct sc_diag *diag);
/* Did the last statement fail for lack of space (SQLITE_FULL, ENOSPC)? */
int sc_store_full(struct sc_library *lib);
/* Record sqlite3_errmsg in diag ("disk full" when it was that); returns
 * SC_ESTORE. */
enum sc_err sc_store_fail(struct sc_library *lib, struct sc_diag *diag);
/* Prepare a statement; NULL (with diag set) on error. Caller finalizes. */
sqlite3_stmt *sc_store_prepare(struct sc_library *lib, const char *sql, struct sc_diag *diag);
/* First column of the first row as an integer (0 if none). */
int64_t sc_store_int(struct sc_library *lib, const char *sql);
enum sc_err sc_store_bump_generation(struct sc_library *lib, struct sc_diag *diag);

/* Text column as a malloc'd copy (NULL for SQL NULL or on OOM: check *oom). */
char *sc_column_dup(sqlite3_stmt *st, int col, int *oom);

/* Re-run the pipeline over one stored source (import.c), in place. */
enum sc_err sc_import_reparse_source(struct sc_library *lib, int64_t source_id, const char *name,
                                     const void *data, size_t len, size_t *ndocs,
                                     struct sc_diag *diag);

#endif
