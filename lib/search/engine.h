/*
 * The search engine over a snapshot of segments (engine.c, snippet.c),
 * independent of the store: the original text for snippets comes through a
 * callback, so unit tests can run it on in-memory documents.
 */
#ifndef SC_SEARCH_ENGINE_H
#define SC_SEARCH_ENGINE_H

#include "search/query.h"
#include "search/segment.h"
#include "sucai/quickfind.h"
#include "sucai/search.h"

/* An immutable, reference-counted set of segments in id order. */
#define SC_FACET_NAMES 255 /* distinct genres (levels) named; more count as "other" */
#define SC_FACET_OTHER 255

struct sc_facet_key {
    uint8_t genre, level;
    uint16_t year;        /* 0 unknown */
    uint32_t kinds;       /* section kinds present */
    uint32_t kinds_shown; /* ... among sections whose heading is not withheld */
};

struct sc_snap {
    int refs;                 /* guarded by the owner's lock */
    struct sc_seg **segs;
    size_t nseg;
    uint32_t *base;           /* global ordinal of each segment's first doc */
    uint32_t ndocs;
    uint64_t total_norm, total_para;
    int64_t maxid, generation;
    int64_t seq; /* the change-log number the snapshot reflects */
    /* per document ordinal, what the facets count, so that counting over
     * every match touches one small record (genre and level as indexes
     * into the names below: 0 none, FACET_OTHER beyond the names kept) */
    struct sc_facet_key *fkey;
    struct sc_str32 genre_name[SC_FACET_NAMES], level_name[SC_FACET_NAMES];
    size_t ngenre_name, nlevel_name; /* names [1, n) are used */
    /* 一键快速查找 over this snapshot, built on first use (quickfind.c) */
    struct sc_quickfind *qf;
    struct sc_qf_entry *qf_entries;
    /* 提纲's interned headings, built on first use (skeleton.c) */
    struct sc_skel_cache *skel;
    /* the paid cut (sc_paid_cut) per document ordinal, in normalised code
     * points: matches in [wf, wt) are withheld from callers who may not
     * read paid text (wf == wt: nothing), and a section starting in
     * [wline, wt) has its heading there */
    uint32_t *wf, *wt, *wline;
    uint8_t *paidmask;  /* 1 where something is withheld */
    uint32_t npaid;     /* documents with something withheld */
    uint32_t *seg_npaid; /* ... per segment */
};

void sc_snap_skeleton_free(struct sc_snap *s);

/* Free a snapshot's quick-find structure (sc_snap_free calls it). */
void sc_snap_quickfind_free(struct sc_snap *s);

/* What one caller sees of one document (NULL everywhere = everything):
 * positions in [wf, wt) are withheld, and with hide the sections whose
 * heading starts in [line, wt) do not exist for it. */
struct sc_seen {
    uint32_t wf, wt, line;
    int hide;
};
static inline void sc_snap_seen(const struct sc_snap *s, uint32_t ord, int hide,
                                struct sc_seen *out)
{
    out->wf = s->wf[ord];
    out->wt = s->wt[ord];
    out->line = s->wline[ord];
    out->hide = hide;
}
/* Is [p, p + n) (normalised) visible to seen? */
static inline int sc_seen_visible(const struct sc_seen *v, uint32_t p, uint32_t n)
{
    return !v || v->wf == v->wt || (uint64_t)p + n <= v->wf || p >= v->wt;
}
/* Does seen see a section starting at nstart? */
static inline int sc_seen_section(const struct sc_seen *v, uint32_t nstart)
{
    return !v || !v->hide || v->wf == v->wt || nstart < v->line || nstart >= v->wt;
}

/* Take ownership of segs[0..n) (sorted by id range) and build a snapshot
 * with refs = 1. */
enum sc_err sc_snap_new(struct sc_seg **segs, size_t n, struct sc_snap **out);
void sc_snap_free(struct sc_snap *s); /* closes its segments */

/* Where snippets get the original text: read bytes [off, off + len) of
 * document id's text into buf. total is the length the index recorded;
 * a text of another length means the store changed since indexing, and
 * the reader answers SC_ENOTFOUND (the hit then has no snippets). */
struct sc_textsrc {
    enum sc_err (*read)(void *ctx, int64_t id, uint32_t total, uint32_t off, uint32_t len,
                        char *buf);
    void *ctx;
};

/* src may be NULL: hits without snippets. */
enum sc_err sc_engine_search(const struct sc_snap *snap, const struct sc_textsrc *src,
                             const struct sc_search_opts *opts, struct sc_results *out,
                             struct sc_diag *diag);
/* The same with flags: SC_ENGINE_EXHAUSTIVE scores every unit in full
 * (no pruning of a one-term query against the best k so far); the tests
 * check that both give the same page. SC_ENGINE_PAID_MATCHES: for a caller
 * who is not entitled, find the documents whose paid part matches (the
 * caller's allowance granted this answer). */
#define SC_ENGINE_EXHAUSTIVE 1
#define SC_ENGINE_PAID_MATCHES 2
/* Would the answer to query depend on paid text for a caller who is not
 * entitled (the snapshot has paid ranges and the query has a term)? 0 for
 * a query that does not parse. */
int sc_engine_needs_paid(const struct sc_snap *snap, const char *query);
enum sc_err sc_engine_search_ex(const struct sc_snap *snap, const struct sc_textsrc *src,
                                const struct sc_search_opts *opts, int flags,
                                struct sc_results *out, struct sc_diag *diag);

/* Saved searches: every document of snap with an id above after_id that
 * each query matches, in id order, with search's semantics (document
 * mode): the same documents as search over the whole snapshot, restricted
 * to those ids. fn is called once per query with at least one match, with
 * the ids (borrowed for the call); a non-zero return stops. qs[i] may be
 * NULL (skipped). The queries are parsed once by the caller; one context
 * serves them all. When the documents asked for are a small part of the
 * snapshot (a merged segment), cursors seek to them with their skips
 * instead of reading the postings of the others. With vis (NULL: none),
 * query i for which vis[i] is set matches as search does for a reader who
 * may not read paid text and has no allowance: on the visible text only,
 * paid headings withheld. */
typedef int sc_match_fn(void *ctx, size_t qi, const int64_t *ids, size_t n);
enum sc_err sc_engine_match(const struct sc_snap *snap, const struct sc_query *const *qs, size_t nq,
                            const uint8_t *vis, int64_t after_id, sc_match_fn *fn, void *ctx,
                            struct sc_diag *diag);

/* A one-character term with more pair lists than this in a segment finds
 * its occurrences in a hit from the text store instead of by seeking a
 * cursor in each list (the tests set it to compare both ways). */
extern size_t sc_engine_scan_lists;

/* Locate a global ordinal. */
static inline size_t sc_snap_seg_of(const struct sc_snap *s, uint32_t ord)
{
    size_t lo = 0, hi = s->nseg;
    while (hi - lo > 1) {
        size_t m = lo + (hi - lo) / 2;
        if (s->base[m] <= ord)
            lo = m;
        else
            hi = m;
    }
    return lo;
}

/* snippet.c: fill hit->snippets for a hit on document d; the chosen
 * paragraphs' original text is read through src. pos/npos: match starts
 * (normalised positions) in the doc, with the term index of each in
 * which[]; para = the paragraph in paragraph mode, else -1. */
struct sc_qterm {
    const char *text; /* normalised */
    size_t len, ncp;
    uint32_t *cps;
};
/* seen: what the caller sees of d (NULL: an entitled caller, everything);
 * for any other caller every position given is visible, and the windows
 * stop at the withheld range. */
enum sc_err sc_snippets_make(const struct sc_sdoc *d, const struct sc_textsrc *src,
                             const struct sc_qterm *terms, size_t nterms, const uint32_t *pos,
                             const uint8_t *which, size_t npos, int64_t para, uint32_t kindmask,
                             const struct sc_seen *seen, struct sc_hit *hit);
/* The section path of normalised position pos ("" if none), of the
 * sections seen sees; malloc'd. */
char *sc_section_path(const struct sc_sdoc *d, const struct sc_seen *seen, uint32_t pos);
/* Does [s, e) (normalised) lie inside a section seen sees of a kind in
 * mask? */
int sc_in_kinds(const struct sc_sdoc *d, const struct sc_seen *seen, uint32_t s, uint32_t e,
                uint32_t mask);

#endif
