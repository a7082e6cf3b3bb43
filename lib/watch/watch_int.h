/*
 * Internals of saved searches (lib/watch/): the tables, and the hooks the
 * store and the index call. Not a public header.
 */
#ifndef SC_WATCH_INT_H
#define SC_WATCH_INT_H

#include "library/store.h"
#include "sucai/watch.h"

/* Create the tables if missing (idempotent; the store calls it when it
 * opens a writable library). A library made before them gets its mark at
 * its highest document: what it holds already is not new to anyone. */
enum sc_err sc_watch_schema(struct sc_library *lib, struct sc_diag *diag);

/* The index added documents (called by lib/search/index.c after each
 * catch-up, with its write lock held): match them now. Errors are kept
 * for sc_watch_stats; the mark stays, so the next catch-up tries again. */
void sc_watch_after_index(struct sc_library *lib);

/* Free this library's matcher (sc_library_close, after the index). */
void sc_watch_detach(struct sc_library *lib);

/* Hit rows (watch_id, doc_id) per transaction when matches are stored:
 * each transaction commits the matches of a run of whole documents with
 * the mark, so an import waits for at most one of them. */
#define SC_WATCH_TX_ROWS 20000

#endif
