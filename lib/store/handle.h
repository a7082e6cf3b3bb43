/*
 * The library handle (struct sc_library of the public headers) as the
 * parts see it: the store connection and the places the parts hang their
 * state on. lib/library/library.c makes it and wires the parts to it;
 * every part reaches the store through this header and lib/store/store.h,
 * none through another part's internals. Not a public header.
 */
#ifndef SC_STORE_HANDLE_H
#define SC_STORE_HANDLE_H

#include "store.h"
#include "sucai/library.h"

#include <pthread.h>

/* The channel a transaction that logs changes (the library part's
 * changes table) notifies, and followers listen on. */
#define SC_CHANGES_CHANNEL "sucai_changes"

struct sc_index;   /* lib/search/: the search index attached to a library */
struct sc_watcher; /* lib/watch/: the saved-search matcher */

struct sc_library {
    char *dir;           /* the location as given: a folder or a URL (owned) */
    char *name;          /* the location as messages name it, no password (owned) */
    char *db_path;       /* <dir>/library.db or the URL (owned): the store's location */
    char *cache;         /* folder of what this machine derives from the store,
                            index/ (owned): the library folder, or for a URL
                            $SUCAI_CACHE or ~/.cache/sucai/<hash> */
    struct sc_store *db; /* one connection, calls from threads serialised */
    struct sc_store *rdb; /* a standby for reads that need no freshness (the index's
                             builds and snippets, the follower, document reads), or
                             NULL: db (sc_library_read_from) */
    int flags;           /* enum sc_library_flags */
    struct sc_index *index;
    pthread_mutex_t index_lock; /* guards index swaps and catch-up */
    struct sc_watcher *watcher; /* made on first use */
    /* Called by the index after each catch-up that may have added
     * documents (background: the catch-up ran alone, not inside an
     * import); set by the wiring to the saved-search matcher. */
    void (*after_index)(struct sc_library *lib, int background);
};

/* Where reads that need no freshness go: the standby if one was given. */
static inline struct sc_store *sc_library_reader(const struct sc_library *lib)
{
    return lib->rdb ? lib->rdb : lib->db;
}

#endif
