/*
 * 一键快速查找: one box that finds a document by what a writer remembers of
 * it — a fragment of its title, its 发文字号 in any typed spelling
 * (国发〔2019〕4号, 国发[2019]4号, 国发2019 4号), its issuing unit, or its
 * date — with suggestions as one types.
 *
 * The structure (docs/internals/quickfind.md) indexes each document's
 * normalised title and canonical 发文字号 by code-point pairs and single
 * code points (posting lists newest first, varint-coded), keeps the
 * documents' dates sorted, and the distinct units with their counts. A
 * query term is looked up in its rarest list, whose documents are checked
 * newest first until enough are found. Titles, numbers, units and dates
 * are public metadata: suggestions carry no text of a document's body.
 */
#ifndef SUCAI_QUICKFIND_H
#define SUCAI_QUICKFIND_H

#include "base.h"
#include "library.h"

#define SC_QF_LIMIT_MAX 50

/* One document as the structure sees it; strings are borrowed (they must
 * outlive the structure). Entries are given oldest first (ids ascending):
 * later ones rank as newer. */
struct sc_qf_entry {
    int64_t id;
    struct sc_str title;
    struct sc_str docno; /* canonical 发文字号, may be empty */
    struct sc_str unit;  /* may be empty */
    struct sc_str genre; /* may be empty */
    int year;            /* 0 = unknown */
    int32_t date;        /* 成文日期 YYYYMMDD, 0 = unknown */
};

struct sc_quickfind; /* opaque */

/* Build over e[0..n) (borrowed). SC_ENOMEM, SC_ELIMIT beyond 2^31 - 1
 * entries. Free with sc_quickfind_free. */
enum sc_err sc_quickfind_new(const struct sc_qf_entry *e, size_t n, struct sc_quickfind **out,
                             struct sc_diag *diag);
void sc_quickfind_free(struct sc_quickfind *qf);
/* Bytes the structure holds (its own, not the borrowed strings). */
size_t sc_quickfind_bytes(const struct sc_quickfind *qf);

enum sc_qf_kind {
    SC_QF_DOCNO, /* the 发文字号 matched (whole, or the part typed) */
    SC_QF_DATE,  /* the 成文日期 is in the date (month, range) typed */
    SC_QF_TITLE, /* every word typed is in the title */
    SC_QF_UNIT,  /* an issuing unit holding what was typed (entry: one of its documents) */
};

struct sc_qf_hit {
    enum sc_qf_kind kind;
    size_t entry;     /* index into the entries */
    int64_t count;    /* SC_QF_UNIT: documents of that unit */
    int64_t from_cp, to_cp; /* the part of the title (SC_QF_TITLE, first word) or of
                             * the 发文字号 (SC_QF_DOCNO) that matched; -1 none */
};

/* Suggestions for what was typed (q[0..len), at most 256 bytes used),
 * best first, at most limit (<= SC_QF_LIMIT_MAX) into hits[] (caller's
 * array of limit); *n receives their number. The order: a whole 发文字号
 * first, then numbers, units, dates and titles by how well they match
 * (a title that starts with the words, then the newest). */
enum sc_err sc_quickfind_query(const struct sc_quickfind *qf, const char *q, size_t len,
                               size_t limit, struct sc_qf_hit *hits, size_t *n,
                               struct sc_diag *diag);

/* GET /api/v1/suggest and `sucai find`: the suggestions for q over the
 * library's index, as JSON {"q", "took_ms", "suggestions": [{"kind":
 * "docno"|"date"|"title"|"unit", "id", "title", "docno", "date", "unit",
 * "genre", "year", "match": [from, to] (code points of title or docno) or
 * null, "count" (units), "query": a search that finds it (units:
 * unit:"…"; numbers: docno:"…")}]}. The structure is built once per
 * index snapshot (on the first suggestion after the index changed). */
enum sc_err sc_suggest_json(struct sc_library *lib, const char *q, size_t limit, struct sc_buf *out,
                            struct sc_diag *diag);

#endif
