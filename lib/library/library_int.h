/*
 * Internals shared by the files of lib/library/: the library handle (from
 * the store layer) and the library part's own tables. Not a public header
 * and included by no other part.
 */
#ifndef SUCAI_LIBRARY_INT_H
#define SUCAI_LIBRARY_INT_H

#include "store/handle.h"

/* The library part's tables (sources, documents, sections, points,
 * boilerplate, refused), registered with the store by library.c. */
extern const struct sc_store_part sc_library_part;

/* Highest document id in the store (0 if none). */
int64_t sc_store_max_doc_id(struct sc_library *lib);

/* Re-run the pipeline over one stored source (import.c), in place. */
enum sc_err sc_import_reparse_source(struct sc_library *lib, int64_t source_id, const char *name,
                                     const void *data, size_t len, size_t *ndocs,
                                     struct sc_diag *diag);

#endif
