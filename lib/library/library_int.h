/*
 * Internal view of struct sc_library, shared by the parts of libsucai that
 * hang state on it (the search index, members). Not a public header.
 */
#ifndef SUCAI_LIBRARY_INT_H
#define SUCAI_LIBRARY_INT_H

#include "sucai/library.h"

#include <pthread.h>
#include <sqlite3.h>

struct sc_index;   /* lib/search/: the search index attached to a library */
struct sc_watcher; /* lib/watch/: the saved-search matcher */
struct sc_snap;    /* lib/search/engine.h */

struct sc_library {
    char *dir;            /* library folder (owned) */
    char *db_path;        /* <dir>/library.db (owned) */
    sqlite3 *db;          /* one connection, SQLITE_OPEN_FULLMUTEX (serialized) */
    int flags;            /* enum sc_library_flags */
    struct sc_index *index;
    pthread_mutex_t index_lock; /* guards index swaps and catch-up */
    struct sc_watcher *watcher; /* made on first use */
};

/* Attach/detach the search index (lib/search/). sc_index_attach opens the
 * index files under <dir>/index/, checks them against the store and
 * catches up any lag (unless the library is read-only). */
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

/* The current index snapshot (lib/search/engine.h) with a reference for the
 * caller, for readers of the index other than search (lib/check/): NULL
 * when the index is empty or failed to load (*err says which). Give it
 * back with sc_index_snap_give. */
struct sc_snap;
struct sc_snap *sc_index_snap_take(struct sc_library *lib, enum sc_err *err,
                                   struct sc_diag *diag);
void sc_index_snap_give(struct sc_library *lib, struct sc_snap *s);

/* Store helpers (lib/library/store.c). */
enum sc_err sc_store_exec(struct sc_library *lib, const char *sql, struct sc_diag *diag);
/* Highest document id in the store (0 if none). */
int64_t sc_store_max_doc_id(struct sc_library *lib);
/* Monotonic counter bumped by every change that removes or rewrites
 * documents (reparse, delete); the index rebuilds when it differs. */
int64_t sc_store_generation(struct sc_library *lib);

#endif
