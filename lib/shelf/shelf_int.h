/*
 * Internals of the shelf (lib/shelf/): its tables. Not a public header.
 */
#ifndef SC_SHELF_INT_H
#define SC_SHELF_INT_H

#include "library/store.h"
#include "sucai/shelf.h"

/* Create the shelf tables if missing (idempotent; the store calls it when
 * it opens a writable library). */
enum sc_err sc_shelf_schema(struct sc_library *lib, struct sc_diag *diag);

#endif
