/*
 * 精准搜索: exact substring search over the normalised text of every
 * paragraph, with AND / OR / NOT, fields and filters, BM25-style ranking,
 * highlighted snippets and paid-range awareness. The index behind it is
 * sucai's own (docs/internals/index.md), derived from the store.
 *
 * Query syntax: terms separated by spaces are ANDed; "…" quotes a term with
 * spaces; A | B or A OR B; -term excludes; ( ) group. Fields: title:…
 * genre:… year:2023 year:2019-2023 unit:… level:… section:问题|做法|成效|
 * 打算|情况|其他 (or English kind names), docno:国发〔2019〕4号 (发文字号 in
 * any typed spelling; a part such as docno:国发2019 matches as a
 * substring), date:2019-01-27 / date:2019-01 / date:2019 / date:A..B
 * (成文日期).
 */
#ifndef SUCAI_SEARCH_H
#define SUCAI_SEARCH_H

#include "base.h"
#include "docno.h"
#include "library.h"
#include "members.h"

#define SC_MAX_QUERY_BYTES 1024
#define SC_MAX_LIMIT 100

enum sc_search_mode {
    SC_SEARCH_DOC = 0,  /* one hit per document */
    SC_SEARCH_PARA = 1, /* one hit per matching paragraph */
};

/* The fields a search can be filtered on, as the query's fields of the
 * same names (genre:… year:… …); in this order they are ANDed onto the query
 * and written by sc_search_query_text. */
enum sc_filter_field {
    SC_FILTER_GENRE,
    SC_FILTER_YEAR,
    SC_FILTER_LEVEL,
    SC_FILTER_SECTION,
    SC_FILTER_UNIT,
    SC_FILTER_TITLE,
    SC_FILTER_DOCNO,
    SC_FILTER_DATE,
};
#define SC_FILTER_FIELDS 8

/* One filter: the value as it would follow "field:" in a query (工作总结,
 * 2019-2023, 问题, 国发〔2019〕4号, 2019-01..2019-03), without quotes and
 * without a '"' in it (a value is quoted when the filter is written as
 * query text). Filters of one field are ORed, fields ANDed with the query. */
struct sc_search_filter {
    enum sc_filter_field field;
    const char *value; /* UTF-8, NUL-terminated, borrowed */
};

/* The field of a filter name ("genre", "year", "level", "section", "unit",
 * "title", "docno", "date"), or -1; and the name of a field (NULL if none). */
int sc_search_filter_field(const char *name);
const char *sc_search_filter_name(enum sc_filter_field f);

struct sc_search_opts {
    const char *query;      /* UTF-8, at most SC_MAX_QUERY_BYTES */
    /* Filters the engine applies on the query's tree (not as text): a bad
     * one is SC_EINVAL naming it; the paid rule is the same as for the
     * query fields they stand for. */
    const struct sc_search_filter *filters;
    size_t nfilters;
    enum sc_search_mode mode;
    size_t limit;           /* hits to return (0 = count only), at most SC_MAX_LIMIT */
    size_t offset;
    int entitled;           /* caller may see text of paid ranges */
    int facets;             /* compute facet counts (genre, year, level, kind) */
    /* For a caller who is not entitled: who asks (sc_caller_init, or
     * sc_caller_operator at the command line). While the caller's daily
     * allowance lasts, documents whose paid part matches are found (as
     * paid_only hits); NULL: paid ranges never match. Also decides whether
     * section paths show paid headings. */
    const struct sc_caller *caller;
};

struct sc_snippet {
    char *text;                 /* original text of the window (owned); NULL when withheld */
    int64_t start_cp;           /* offset of the window in the document text */
    int64_t (*highlights_cp)[2]; /* [start, end) offsets relative to the window */
    size_t nhighlights;
    char *section;              /* section path, e.g. "二、存在的问题 › （一）…"; may be "" */
    int paid;                   /* window touches the paid range (for a caller who is not
                                 * entitled, the text stops at it) */
};

struct sc_hit {
    int64_t id;
    char *title;
    double score;
    int64_t count;              /* matches of the query's terms in the doc / paragraph */
    int paid;                   /* some match lies in the paid range */
    int paid_only;              /* found only in the paid part, for a caller who is not
                                 * entitled: score, count, paragraph, section and snippets
                                 * are withheld (0, -1, "", none) */
    int64_t paragraph;          /* para mode: 0-based paragraph index, else -1 */
    char *section;              /* para mode: section path of the paragraph */
    int year;
    char *genre;
    char docno[SC_DOCNO_MAX]; /* 发文字号, "" = none */
    int32_t date;             /* 成文日期 YYYYMMDD, 0 = unknown */
    struct sc_snippet *snippets;
    size_t nsnippets;
};

struct sc_facet {
    char *value;
    int64_t count;
};

struct sc_facets {
    struct sc_facet *genre, *year, *level, *kind;
    size_t ngenre, nyear, nlevel, nkind;
};

/* How paid text entered an answer (docs/internals/members.md, "the paid rule"). */
enum sc_paid_answer {
    SC_PAID_READ = 0,  /* entitled: paid text counts like free text */
    SC_PAID_FOUND,     /* not entitled: matched on the free text, and documents found only
                        * in their paid part are paid_only hits */
    SC_PAID_FREE_ONLY, /* not entitled: paid parts were not searched (allowance used up,
                        * or no caller); only free text matched */
};

/* The "paid_parts" member of an answer (an open object of w): {"readable",
 * "searched", "only", "left" (null: not counted), "note" (why paid parts
 * were not searched)}; search and 查重 write it alike. */
struct sc_jw;
void sc_paid_parts_json(struct sc_jw *w, enum sc_paid_answer paid, int64_t only, int64_t left,
                        const char *why);

struct sc_results {
    int64_t total;    /* exact number of matching documents (or paragraphs), in the text the
                       * caller may search (paid_only hits included) */
    double took_ms;   /* inside the engine */
    struct sc_hit *hits;
    size_t nhits;
    struct sc_facets facets;
    int has_facets;   /* facets were asked for (opts.facets) */
    enum sc_paid_answer paid;
    int64_t paid_only;  /* paid_only hits counted in total */
    int64_t paid_left;  /* answers with paid parts searched left today; -1 = not counted */
    const char *paid_why; /* static: why paid parts were not searched ("" otherwise) */
};

/* Run a query. Malformed queries give SC_EPARSE (SC_ELIMIT past a limit)
 * with a message that names the position ("unbalanced ( at character 5")
 * and the same position in diag->pos_cp (1-based code point of the query
 * text; 0 when the error has none). A bad filter gives SC_EINVAL. Release
 * out with sc_results_release (also after an error). */
enum sc_err sc_search(struct sc_library *lib, const struct sc_search_opts *opts,
                      struct sc_results *out, struct sc_diag *diag);
void sc_results_release(struct sc_results *r);

/* Highlight i of snippet s as a byte range [*from, *to) of s->text (the
 * snippet's own offsets are code points, the unit of the JSON form): 0, or
 * -1 when s has no text or no highlight i. */
int sc_snippet_mark(const struct sc_snippet *s, size_t i, size_t *from, size_t *to);

/* The effective query: opts->query and the filters written as query text
 * (`(工作) genre:"工作计划" (year:2023 | year:2024)`; the query alone without
 * filters, the filters alone for a blank query), appended to out: what a
 * search answer echoes and a saved search can keep. The query and the
 * filters are checked as sc_search checks them (SC_EPARSE with
 * diag->pos_cp for the query, SC_EINVAL for a filter). */
enum sc_err sc_search_query_text(const struct sc_search_opts *opts, struct sc_buf *out,
                                 struct sc_diag *diag);

/* The JSON form of results (the contract of `sucai search --json` and
 * GET /api/v1/search): the object appended to b, or its members written
 * into the object w has open (so that a caller adds its own fields). */
struct sc_jw;
void sc_results_json(struct sc_buf *b, const struct sc_results *r, enum sc_search_mode mode);
void sc_results_json_members(struct sc_jw *w, const struct sc_results *r, enum sc_search_mode mode);

/* Index maintenance. sc_index_sync brings the index up to the store (new
 * documents become searchable); force = 0 may defer small batches for a
 * short while, force = 1 flushes now. sc_index_rebuild rebuilds it from
 * scratch (`sucai reindex`). */
enum sc_err sc_index_sync(struct sc_library *lib, int force, struct sc_diag *diag);
enum sc_err sc_index_rebuild(struct sc_library *lib, struct sc_diag *diag);

/* The change-log number (sc_library_seq) the index's searches reflect:
 * every change up to it and none after. */
int64_t sc_index_seq(struct sc_library *lib);
/* Bring the index to change seq at least, catching up here, waiting up to
 * timeout_ms for a store that has not got it yet (a replica behind):
 * SC_OK, or SC_EUNAVAILABLE naming both numbers. Read your writes: a write
 * answers with its number, a later read waits for it. */
enum sc_err sc_index_wait(struct sc_library *lib, int64_t seq, int timeout_ms,
                          struct sc_diag *diag);
/* Follow the change log on a thread of the library's own until it is
 * closed: woken by the store's notifications where it has them
 * (PostgreSQL), looking every poll_ms otherwise, it brings the index up to
 * changes other processes and machines commit. */
enum sc_err sc_index_follow(struct sc_library *lib, int poll_ms, struct sc_diag *diag);

/* Bytes of the index files in use (0 if none). */
int64_t sc_index_bytes(struct sc_library *lib);

/* Documents in the store that searches do not see yet (0 when caught up). */
int64_t sc_index_lag(struct sc_library *lib);
/* Why the index could not be brought up to date when the library was
 * opened or last synced (e.g. "cannot write ...: disk full (...)"), or ""
 * (into out[0..cap)). Searches then answer from the index as it was:
 * reading never needs to write. */
void sc_index_stale(struct sc_library *lib, char *out, size_t cap);

#endif
