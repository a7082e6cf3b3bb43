/*
 * Internals of lib/feed/ shared with the parts that list documents
 * (saved searches, the shelf): how a document is shown in a list and in
 * a feed. Not a public header.
 */
#ifndef SC_FEED_INT_H
#define SC_FEED_INT_H

#include "store/handle.h"
#include "sucai/feed.h"
#include "sucai/json.h"

/* The members of a document as lists show it (inside an object the caller
 * opened): "id", "title", "genre", "year", "level", "unit", "topics",
 * "docno", "date", "summary" (sc_free_summary: never paid text), "locked"
 * (it has a paid part). d is loaded with SC_DOC_TEXT. */
void sc_doc_card(struct sc_jw *w, const struct sc_doc *d);

/* One feed entry for document d that came at time `at`; its link is the
 * reader on page (page + "#doc=ID"). */
void sc_feed_entry(struct sc_library *lib, struct sc_buf *out, const struct sc_doc *d, int64_t at,
                   const char *page);

/* The permanent entry id of document id in this library's feeds. */
void sc_feed_doc_urn(struct sc_library *lib, int64_t id, char out[SC_UUID_URN_LEN]);

/* n random bytes (libsodium). */
void sc_feed_random(unsigned char *out, size_t n);

#endif
