/*
 * 查重 inside the library (docs/internals/check.md): the matcher over an
 * index snapshot (match.c), the report built from its matches (report.c),
 * the draft-to-draft comparison (compare.c) and the .docx report (docx.c).
 */
#ifndef SC_CHECK_INT_H
#define SC_CHECK_INT_H

#include "search/engine.h"
#include "sucai/check.h"

/* The draft in normalised code points ('\n' between its paragraphs), with
 * the original byte each came from. */
struct ck_draft {
    const char *text; /* the draft as submitted (borrowed) */
    size_t len;
    uint32_t *cp;    /* n normalised code points */
    uint32_t *obyte; /* n + 1: byte offset in text of each; obyte[n] = len */
    size_t n;
};

enum sc_err ck_draft_init(struct ck_draft *d, const char *text, size_t len);
void ck_draft_release(struct ck_draft *d);

/* A maximal common substring: draft code points [ds, de) equal the
 * normalised text of document ordinal doc of segment seg from position ls
 * on, inside one paragraph of each; not extendable either way. */
struct ck_match {
    uint32_t ds, de;
    uint32_t ls;
    uint32_t seg, doc;
};

/* What the matcher did, for the benchmark and the internals page. */
struct ck_stats {
    uint64_t keys, windows, anchors, anchors_run, candidates, extended, nonident;
    uint64_t list_bytes;
    double ms_keys, ms_anchors, ms_run; /* dictionary lookups, anchor choice, runs */
};

struct ck_matches {
    struct ck_match *m;
    size_t n, cap;
    struct ck_stats st;
};

/*
 * Maximal common substrings of at least min code points between the draft
 * and the paragraphs of the documents of snap, each found once per
 * (document, alignment); matches from different documents may overlap.
 * Their union is exactly the draft's copied stretches, and every document
 * holding a whole stretch has its match. In a stretch found in fewer than
 * `pieces` documents (0: none), every document holding a piece of at least
 * min of it has its matches too. out is zeroed first; free it with
 * ck_matches_release.
 *
 * With vis (the caller may not read paid text) all of this holds of the
 * text the caller may see: 查重's one paywall decision. A maximal match
 * that reaches into its document's withheld range [wf, wt) (the
 * snapshot's sc_paid_cut) is cut to its parts outside it, parts shorter
 * than min are dropped, so no span, source, count or 常用表述 decision
 * depends on paid text; with found (one byte per document ordinal,
 * zeroed; the caller's allowance granted this answer) the document is
 * marked, and nothing else of it is kept.
 */
#define CK_PIECES 5 /* sc_check's `pieces`: complete sources below 5 documents */
enum sc_err ck_find(const struct sc_snap *snap, const struct ck_draft *d, size_t min, size_t pieces,
                    int vis, uint8_t *found, struct ck_matches *out, struct sc_diag *diag);
void ck_matches_release(struct ck_matches *m);

/* Normalised position -> original code point of a document (the
 * paragraph tables and, for paragraphs that are not one for one, a second
 * normalisation of the paragraph from the text store). */
uint32_t ck_orig_cp(const struct sc_seg *seg, uint32_t doc, uint32_t pos);

/* The report from matches (spans, sources, docs, common, sections,
 * overlap), text of the sources through the paywall decision below. */
enum sc_err ck_report(const struct sc_snap *snap, const struct ck_draft *d,
                      const struct ck_matches *m, const struct sc_check_opts *o,
                      struct sc_check_result *out, struct sc_diag *diag);

/* out->paid_only from the marks of ck_find's found (in id order: the
 * segments hold ascending id ranges). */
enum sc_err ck_paid_only(const struct sc_snap *snap, const uint8_t *found,
                         struct sc_check_result *out);

/* The totals (chars, copied, common, overlap) and the per-section rates of
 * out->spans over the draft's own outline (shared with compare.c). */
enum sc_err ck_sections(const struct ck_draft *d, struct sc_check_result *out);

/* Byte offset -> code point index of the draft text (for the JSON). */
struct ck_cpmap {
    const char *text;
    size_t len, byte, cp; /* a cursor: conversions in increasing order are linear */
};
size_t ck_cp_of(struct ck_cpmap *m, size_t byte);

#endif
