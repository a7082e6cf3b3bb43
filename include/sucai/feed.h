/*
 * 今日更新 and feeds: what came into the library, per day, newest first,
 * grouped by 文种 and topic (sc_updates_*), and the Atom 1.0 (RFC 4287)
 * writer behind every feed (sc_atom_*): the library's updates, per 文种,
 * level or topic, and each saved search's private feed (watch.h).
 *
 * Feeds and update lists never carry paid text: an entry's summary is the
 * free opening of the document's body (sc_free_summary), whoever asks.
 */
#ifndef SUCAI_FEED_H
#define SUCAI_FEED_H

#include "base.h"
#include "library.h"

/* ---- Atom 1.0 ----
 * The writer escapes all text (& < > " and characters XML 1.0 forbids,
 * which are dropped; invalid UTF-8 becomes U+FFFD). Times are seconds
 * since the epoch, written as RFC 3339 UTC. Strings may be NULL where the
 * comment says so. */
struct sc_atom_feed {
    const char *id; /* a permanent IRI: sc_uuid_urn */
    const char *title;
    const char *subtitle;  /* may be NULL */
    const char *self;      /* the feed's own URL (rel="self"); may be NULL */
    const char *alternate; /* the page it follows (rel="alternate"); may be NULL */
    int64_t updated;       /* newest change */
    const char *author;    /* the feed's author (required by RFC 4287 when entries have none) */
};

struct sc_atom_entry {
    const char *id; /* permanent IRI */
    const char *title;
    const char *link;              /* rel="alternate"; an entry without content needs one */
    int64_t updated;               /* when the entry came (or changed) */
    int64_t published;             /* 0 = none */
    const char *summary;           /* plain text; may be NULL */
    const char *author;            /* may be NULL: the feed's author stands */
    const char *const *categories; /* terms; NULL entries skipped */
    size_t ncategories;
};

void sc_atom_begin(struct sc_buf *b, const struct sc_atom_feed *f);
void sc_atom_add(struct sc_buf *b, const struct sc_atom_entry *e);
void sc_atom_end(struct sc_buf *b);

/* s[0..len) as XML character data (escaped; forbidden characters dropped). */
void sc_xml_text(struct sc_buf *b, const char *s, size_t len);

/* "urn:uuid:…" (RFC 9562 version 8: the first 128 bits of the SHA-256 of
 * seed, with the version and variant bits set): the same seed gives the
 * same id, so a feed and its entries keep their ids. out holds 46 bytes. */
#define SC_UUID_URN_LEN 46
void sc_uuid_urn(char out[SC_UUID_URN_LEN], const char *seed, size_t len);

/* "2026-12-02T19:56:47Z" (out holds 21 bytes). */
void sc_time_rfc3339(char out[21], int64_t t);

/* ---- what every feed and update list shows of a document ---- */

/* The free opening of a document loaded with SC_DOC_TEXT: the body (title
 * line left out) up to the paid range, at most max_cp code points,
 * paragraphs joined with a space, "…" appended when cut. Never any text of
 * the paid range, for any caller. Appended to out. */
void sc_free_summary(struct sc_buf *out, const struct sc_doc *doc, size_t max_cp);

/* The library's permanent id (a random UUID made on first use, kept in the
 * store): the seed of every feed id. out holds 37 bytes ("" if the store
 * cannot be read). */
enum sc_err sc_library_uuid(struct sc_library *lib, char out[37], struct sc_diag *diag);

/* ---- 今日更新 ---- */

struct sc_updates_opts {
    int64_t since;     /* documents imported at or after this time (epoch s) */
    int64_t before_id; /* page: only documents with smaller ids (0 = from the newest) */
    const char *genre; /* filters, NULL = any */
    const char *level;
    const char *topic;
    size_t limit; /* documents listed, at most SC_MAX_LIMIT (0 = counts only) */
};

/* JSON of the updates (GET /api/v1/updates): {"since": ISO 8601, "total",
 * "days": [{"day": "YYYY-MM-DD" (local), "count", "genres": [{"value",
 * "count"}], "topics": [...]}] newest first, "docs": [{"id", "title",
 * "genre", "year", "level", "unit", "topics", "docno", "date",
 * "imported_at", "day", "summary", "locked"}] newest first, "next_before":
 * id of the next page or null}. summary is sc_free_summary; locked says the
 * document has a paid part. Appended to out. */
enum sc_err sc_updates_json(struct sc_library *lib, const struct sc_updates_opts *o,
                            struct sc_buf *out, struct sc_diag *diag);

/* The same as an Atom feed of the newest o->limit documents (self and
 * alternate: the URLs to name; may be NULL). */
enum sc_err sc_updates_atom(struct sc_library *lib, const struct sc_updates_opts *o,
                            const char *self, const char *alternate, struct sc_buf *out,
                            struct sc_diag *diag);

/* The newest import time of a document passing o's filters (0 if none):
 * what a feed's ETag and the page's "updated" follow. */
int64_t sc_updates_newest(struct sc_library *lib, const struct sc_updates_opts *o);

#endif
