/*
 * The search index attached to a library (index.c), as the wiring
 * (lib/library/library.c) and the index's other readers (lib/check/,
 * lib/watch/, quickfind and 提纲) use it. Not a public header.
 */
#ifndef SC_SEARCH_INDEX_H
#define SC_SEARCH_INDEX_H

#include "store/handle.h"

struct sc_snap; /* search/engine.h */

/* Attach/detach the search index. sc_index_attach opens the index files
 * under <dir>/index/, checks them against the store and catches up any
 * lag (unless the library is read-only). */
enum sc_err sc_index_attach(struct sc_library *lib, struct sc_diag *diag);
void sc_index_detach(struct sc_library *lib);
/* A snapshot of the index's segments that hold documents with ids above
 * after_id (sharing the current snapshot's segments when it is loaded),
 * with maxid = the highest id the index covers; *out is NULL when the
 * index holds no segment. For the saved-search matcher; the caller frees
 * it with sc_snap_free. */
enum sc_err sc_index_tail(struct sc_library *lib, int64_t after_id, struct sc_snap **out,
                          struct sc_diag *diag);
/* The current snapshot (loaded on first use, kept current as search's
 * is), with a reference the caller gives back with sc_index_snap_put;
 * NULL (diag set) when it cannot be loaded. */
struct sc_snap *sc_index_snap(struct sc_library *lib, struct sc_diag *diag);
void sc_index_snap_put(struct sc_library *lib, struct sc_snap *s);

/* The current index snapshot with a reference for the caller, for readers
 * of the index other than search (lib/check/): NULL when the index is
 * empty or failed to load (*err says which). Give it back with
 * sc_index_snap_give. */
struct sc_snap *sc_index_snap_take(struct sc_library *lib, enum sc_err *err, struct sc_diag *diag);
void sc_index_snap_give(struct sc_library *lib, struct sc_snap *s);

#endif
