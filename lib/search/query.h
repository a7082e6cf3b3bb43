/*
 * The query language of 精准搜索, parsed into a small tree (query.c).
 * Grammar (docs/internals/index.md):
 *   or    := and ( ("|" | "OR") and )*
 *   and   := unary+                      juxtaposition is AND
 *   unary := "-" unary | "(" or ")" | field ":" value | term | "\"" text "\""
 * Terms and quoted text are normalised with sc_normalize at parse time.
 */
#ifndef SC_SEARCH_QUERY_H
#define SC_SEARCH_QUERY_H

#include "sucai/base.h"

#define SC_QUERY_MAX_NODES 64
#define SC_QUERY_MAX_TERM_BYTES 256

enum sc_qkind {
    SC_Q_TERM,    /* text: normalised term */
    SC_Q_AND,
    SC_Q_OR,
    SC_Q_NOT,     /* one child */
    SC_Q_TITLE,   /* text: normalised substring of the title */
    SC_Q_GENRE,   /* text: exact genre */
    SC_Q_YEAR,    /* year_from..year_to */
    SC_Q_UNIT,    /* text: substring of the unit */
    SC_Q_LEVEL,   /* text: exact level */
    SC_Q_SECTION, /* kind */
    SC_Q_DOCNO,   /* text: canonical 发文字号 (exact) or a part of one (substring) */
    SC_Q_DATE,    /* 成文日期 in date_from..date_to (YYYYMMDD) */
};

struct sc_qnode {
    enum sc_qkind kind;
    char *text;        /* owned, NUL-terminated (TERM and text fields) */
    size_t len;        /* bytes of text */
    size_t ncp;        /* code points of text */
    int year_from, year_to;
    int section;       /* enum sc_section_kind for SC_Q_SECTION */
    int exact;         /* SC_Q_DOCNO: a whole number, compared whole */
    int32_t date_from, date_to;
    struct sc_qnode **kids;
    size_t nkids;
};

struct sc_query {
    struct sc_qnode *root; /* NULL for an empty query */
    size_t nnodes;
};

/* Parse q[0..len). SC_EPARSE / SC_ELIMIT with a message naming the
 * 1-based character position. Release with sc_query_release (also on error). */
enum sc_err sc_query_parse(const char *q, size_t len, struct sc_query *out, struct sc_diag *diag);
void sc_query_release(struct sc_query *q);

/* The tree a search evaluates: q parsed as above, ANDed with the filters
 * (sc_search_opts.filters: one field node per filter, the filters of one
 * field ORed, fields in the order of enum sc_filter_field). A bad filter is
 * SC_EINVAL naming it ("bad year filter '20x3' (use 2023 or 2019-2023)"),
 * with no position. Release out with sc_query_release (also on error). */
struct sc_search_filter;
enum sc_err sc_query_build(const char *q, size_t len, const struct sc_search_filter *filters,
                           size_t nfilters, struct sc_query *out, struct sc_diag *diag);

/* A one-line dump of the tree, e.g. (and "依法" (not "行政") year:2019-2023). */
void sc_query_dump(struct sc_buf *b, const struct sc_query *q);

#endif
