/*
 * Internals of the shelf (lib/shelf/): its tables. Not a public header.
 */
#ifndef SC_SHELF_INT_H
#define SC_SHELF_INT_H

#include "store/handle.h"
#include "sucai/shelf.h"

/* The shelf's tables, registered with the store by lib/library/library.c
 * (after the members' and the library's: they refer to users and
 * documents). */
extern const struct sc_store_part sc_shelf_part;
/* The tables are there (made now if missing and the library is writable). */
enum sc_err sc_shelf_schema(struct sc_library *lib, struct sc_diag *diag);

#endif
