/*
 * Internals of saved searches (lib/watch/): the tables, and the hooks the
 * store and the index call. Not a public header.
 */
#ifndef SC_WATCH_INT_H
#define SC_WATCH_INT_H

#include "store/handle.h"
#include "sucai/watch.h"

/* The tables of saved searches, registered with the store by
 * lib/library/library.c (after the members' and the library's: they refer
 * to users and documents). A library made before them gets its mark at
 * its highest document: what it holds already is not new to anyone. */
extern const struct sc_store_part sc_watch_part;
/* The tables are there (made now if missing and the library is writable). */
enum sc_err sc_watch_schema(struct sc_library *lib, struct sc_diag *diag);

/* The index added documents (called by lib/search/index.c after each
 * catch-up, with its write lock held, through the hook library.c sets): match them now. background:
 * the catch-ups an import makes as it goes, which match at most every SC_WATCH_BG_INTERVAL_MS (a
 * run's fixed cost — every query looked up in the new segments, one transaction — is paid a few
 * times per import, not at every build); the catch-up that ends an import, or opens a library,
 * always matches. Errors are kept for sc_watch_stats; the mark stays, so
 * the next catch-up tries again. */
#define SC_WATCH_BG_INTERVAL_MS 3000.0
void sc_watch_after_index(struct sc_library *lib, int background);

/* Free this library's matcher (sc_library_close, after the index). */
void sc_watch_detach(struct sc_library *lib);

/* Matches per transaction when a run stores them: each transaction
 * commits the matches of a range of whole documents with the mark moved
 * to its end, so an import writing meanwhile waits for one at most. */
#define SC_WATCH_TX_ROWS 2000000

/* The stored matches of one saved search, newest document first (only
 * documents below before, when before > 0). */
struct sc_watch_docs {
    struct sc_stmt *st;
    int64_t before;
    int64_t *ids; /* the current row's, ascending; handed out from the end */
    size_t n, i, cap;
    int64_t at;
    enum sc_err err; /* a read or decoding error ended the walk */
};
enum sc_err sc_watch_docs_open(struct sc_library *lib, int64_t watch, int64_t before,
                               struct sc_watch_docs *it, struct sc_diag *diag);
int sc_watch_docs_next(struct sc_watch_docs *it, int64_t *doc, int64_t *at);
void sc_watch_docs_close(struct sc_watch_docs *it);

#endif
