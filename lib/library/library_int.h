/*
 * Internals shared by the files of lib/library/: the library handle (from
 * the store layer) and the library part's own tables. Not a public header
 * and included by no other part.
 */
#ifndef SUCAI_LIBRARY_INT_H
#define SUCAI_LIBRARY_INT_H

#include "base/ztext.h"
#include "store/handle.h"

/* The library part's tables (sources, documents, sections, points,
 * boilerplate, refused), registered with the store by library.c. */
extern const struct sc_store_part sc_library_part;

/* Highest document id in the store (0 if none). */
int64_t sc_store_max_doc_id(struct sc_library *lib);

/* documents.text (tables.c). The one way it is written: z[0..zlen), the
 * text packed by sc_ztext_pack, bound as a blob (a bytea in PostgreSQL),
 * used in place until the statement is reset. Returns the store's rc. */
int sc_doc_text_bind(struct sc_stmt *st, int i, const char *z, size_t zlen);
/* The text in column i of st's row, in either stored form (a zstd frame,
 * or plain text from a library before schema 2): *text a new
 * NUL-terminated copy the caller frees, *len its bytes. SC_ENOMEM, or
 * SC_EPARSE for a damaged frame. */
enum sc_err sc_doc_text_column(struct sc_stmt *st, int i, char **text, size_t *len);

/* Re-run the pipeline over one stored source (import.c), in place. */
enum sc_err sc_import_reparse_source(struct sc_library *lib, int64_t source_id, const char *name,
                                     const void *data, size_t len, size_t *ndocs,
                                     struct sc_diag *diag);

#endif
