/*
 * Saved searches (订阅): a member saves a query (its filters are fields of
 * the query) under a name, and is told of the documents imported after
 * that which match it: "N new since you last looked", a list of them, and
 * a private Atom feed behind a revocable token.
 *
 * Matching is done when documents are committed, not when a member looks:
 * each time the index has added documents, every saved query is run by the
 * search engine over those documents only (search's exact semantics, by
 * construction), and the matches are stored with a high-water mark (the
 * highest document id matched) in one transaction. A crash or kill -9
 * leaves either both or neither, and the next catch-up goes on from the
 * mark, so each (saved search, document) pair is stored, and reported,
 * exactly once. docs/internals/watch.md has the details and the costs.
 *
 * Owners: a principal with an account (p->user_id), or NULL for the
 * operator at the command line, who may also see and remove every member's
 * saved searches. Anonymous callers have none.
 */
#ifndef SUCAI_WATCH_H
#define SUCAI_WATCH_H

#include "base.h"
#include "library.h"
#include "members.h"

#define SC_WATCH_NAME_MAX  64   /* bytes of a name */
#define SC_WATCH_HITS_KEPT 1000 /* matches kept per saved search (the newest) */

/* How many one may keep: sc_watch_limit (members.h). */

/* Save query under name for owner (NULL = the operator). The query must
 * parse (SC_EPARSE names the position); name is 1..SC_WATCH_NAME_MAX bytes
 * without control characters, unique per owner (SC_EDUPLICATE), or NULL /
 * "" for the query itself (cut to fit). Documents imported from now on are
 * new to it. SC_EDENIED for anonymous owners, SC_ELIMIT beyond
 * sc_watch_limit. *id (may be NULL) receives its number. */
enum sc_err sc_watch_add(struct sc_library *lib, const struct sc_principal *owner, const char *name,
                         const char *query, int64_t *id, struct sc_diag *diag);
/* Remove saved search id of owner (NULL: any). SC_ENOTFOUND if there is
 * none of theirs by that number. Its matches and feed go with it. */
enum sc_err sc_watch_rm(struct sc_library *lib, const struct sc_principal *owner, int64_t id,
                        struct sc_diag *diag);

/* The owner's saved searches (owner NULL: everyone's, with "user"), as a
 * JSON array of {"id", "name", "query", "created", "new" (matches since
 * last looked), "matches" (kept), "last_match" (time or null), "feed"
 * (whether a feed token is live), "user"} when json, else one text line
 * each. */
enum sc_err sc_watch_list(struct sc_library *lib, const struct sc_principal *owner, int json,
                          struct sc_buf *out, struct sc_diag *diag);

/* The matches of saved search id, newest first: JSON {"watch": {as in the
 * list}, "hits": [{document card, "new", "matched_at"}], "next_before"}
 * (before_doc > 0: matches of older documents only; limit at most 100).
 * mark_seen = 1 records that the owner has looked (the "new" count is 0
 * afterwards; the hits of this answer still say which were new). */
enum sc_err sc_watch_hits(struct sc_library *lib, const struct sc_principal *owner, int64_t id,
                          size_t limit, int64_t before_doc, int mark_seen, struct sc_buf *out,
                          struct sc_diag *diag);

/* A private feed for saved search id: a new token (replacing any earlier
 * one, which stops working) in *token (malloc'd; the only copy; "swf_" and
 * 64 hex digits). */
enum sc_err sc_watch_feed_token(struct sc_library *lib, const struct sc_principal *owner,
                                int64_t id, char **token, struct sc_diag *diag);
/* Revoke the feed token of saved search id. */
enum sc_err sc_watch_feed_revoke(struct sc_library *lib, const struct sc_principal *owner,
                                 int64_t id, struct sc_diag *diag);
/* The Atom feed a token opens (its newest 50 matches); SC_ENOTFOUND for
 * an unknown or revoked token. self/page: URLs to name (may be NULL). */
enum sc_err sc_watch_feed_atom(struct sc_library *lib, const char *token, const char *self,
                               const char *page, struct sc_buf *out, struct sc_diag *diag);

/* What a matching run did. */
struct sc_watch_run {
    int64_t from_id, to_id; /* documents (from_id, to_id] were matched */
    int64_t docs;           /* of them */
    int64_t watches;        /* saved searches run */
    int64_t hits;           /* matches stored */
    double match_ms, store_ms;
};

/* Match the documents the index holds beyond the mark now (an import does
 * it by itself; this is for the operator and the benchmark). *run (may be
 * NULL) says what was done; run->docs == 0 when nothing was pending. */
enum sc_err sc_watch_match(struct sc_library *lib, struct sc_watch_run *run, struct sc_diag *diag);
/* The figures of this process's matching runs so far, summed, and the
 * first error of an automatic run (SC_OK if none) with its message. */
enum sc_err sc_watch_stats(struct sc_library *lib, struct sc_watch_run *sum, struct sc_diag *diag);

#endif
