/*
 * 查重: which stretches of a draft already stand in the library, and where.
 *
 * A span is a maximal stretch of the draft that, after the search
 * normalisation (text.h: full-width forms folded, Latin lower-cased,
 * zero-width characters dropped, spaces between two ideographs dropped),
 * is covered by substrings of at least opts.min characters each of which
 * stands inside one paragraph of a library document. Every such stretch is
 * reported, nothing shorter is (the exact definition, the folding and the
 * algorithm: docs/internals/check.md). Offsets are byte offsets into the
 * draft; the JSON form counts code points.
 */
#ifndef SUCAI_CHECK_H
#define SUCAI_CHECK_H

#include "base.h"
#include "json.h"
#include "library.h"
#include "search.h"

#define SC_CHECK_MAX_CHARS   200000 /* longest draft, in code points */
#define SC_CHECK_MIN         13     /* default shortest span */
#define SC_CHECK_MIN_LO      5      /* shortest --min accepted */
#define SC_CHECK_MIN_HI      1000
#define SC_CHECK_COMMON      50 /* default: a span in this many documents is 常用表述 */
#define SC_CHECK_SOURCES     10 /* default sources listed per span */
#define SC_CHECK_SOURCES_MAX 100

struct sc_check_opts {
    size_t min;         /* shortest span in code points (0: SC_CHECK_MIN) */
    size_t common;      /* 常用表述 threshold in documents (0: SC_CHECK_COMMON) */
    size_t max_sources; /* sources listed per span (0: SC_CHECK_SOURCES) */
    int entitled;       /* the caller may read paid text: paid ranges count like free text */
    /* For a caller who is not entitled: who asks (sc_caller_init, or
     * sc_caller_operator at the command line). The check is made on the
     * text the caller may see only; while the caller's daily allowance of
     * answers with paid matches lasts (members.h), the documents whose
     * withheld part holds a stretch of the draft are named in paid_only,
     * one bit each (no place, length, count or text). NULL: paid parts
     * are not searched. Also decides whether section paths show paid
     * headings. */
    const struct sc_caller *caller;
};

/* A document whose withheld part holds a stretch of the draft (for a
 * caller who is not entitled). */
struct sc_check_paid_doc {
    int64_t id;
    char *title; /* owned */
};

struct sc_check_source {
    int64_t id;  /* document id (0 when comparing two drafts) */
    char *title; /* owned */
    int year;
    int64_t paragraph;             /* 0-based paragraph of the document (0 is the title) */
    char *section;                 /* section path, "" if none; owned */
    int64_t start_cp, end_cp;      /* of the document's text: the stretch */
    size_t draft_start, draft_end; /* bytes of the draft: the part of the span it holds */
    int paid;                      /* the stretch lies (partly) in the paid range (only
                                    * for an entitled caller: others are shown no
                                    * stretch that reaches it) */
    char *text;                    /* the stretch as the document has it; owned */
};

struct sc_check_span {
    size_t start, end;               /* bytes of the draft, end exclusive */
    int common;                      /* 常用表述: stands in at least opts.common documents */
    int64_t docs;                    /* documents holding the span in full; for a span pieced
                                      * together from several sources, the documents found
                                      * holding a piece of it */
    struct sc_check_source *sources; /* best first, at most opts.max_sources */
    size_t nsources;
};

struct sc_check_section {
    int level;
    char *label, *heading; /* "一、", "总体要求"; owned */
    size_t start, end;     /* bytes of the draft, heading included */
    size_t chars, copied;  /* code points: all, and inside spans that are not common */
    double overlap;        /* copied / chars */
};

/* What the matcher did (docs/internals/check.md; the benchmark prints it). */
struct sc_check_stats {
    uint64_t keys;        /* distinct pairs of the draft */
    uint64_t windows;     /* windows of min characters */
    uint64_t anchors;     /* their anchors (pairs of pairs) */
    uint64_t anchors_run; /* anchors whose posting lists were read */
    uint64_t list_bytes;  /* bytes of those lists */
    uint64_t candidates;  /* co-occurrences of an anchor's two pairs */
    uint64_t extended;    /* candidates compared with the text store */
    uint64_t matches;     /* maximal matches of at least min */
    double ms_keys, ms_anchors, ms_run;
};

struct sc_check_result {
    size_t chars;                /* code points of the draft, line breaks included */
    size_t copied, common;       /* code points inside copied / common spans */
    double overlap;              /* copied / chars: the 总重复率 */
    struct sc_check_span *spans; /* in draft order, disjoint */
    size_t nspans;
    struct sc_check_section *sections; /* the draft's own outline, in order */
    size_t nsections;
    double took_ms;
    int64_t ndocs; /* documents checked against */
    struct sc_check_stats stats; /* for an entitled caller only (zero otherwise: the
                                  * matcher's counts depend on paid text) */
    /* how paid text entered the answer, as for search (docs/internals/members.md) */
    enum sc_paid_answer paid;
    struct sc_check_paid_doc *paid_only; /* SC_PAID_FOUND: in id order */
    size_t npaid_only;
    int64_t paid_left;    /* answers with paid parts searched left today; -1 = not counted */
    const char *paid_why; /* static: why paid parts were not searched ("" otherwise) */
};

/*
 * Make the draft to check from a file's bytes (name picks the format, as
 * import does): UTF-8 text is taken as it is, so offsets are those of the
 * bytes given; another encoding, .docx and .md are converted (offsets then
 * count the converted text, which the JSON carries). Empty and binary input
 * is refused as import refuses it (SC_EPARSE / SC_EUNSUPPORTED), a draft of
 * more than SC_CHECK_MAX_CHARS code points with SC_ELIMIT. out is reset
 * first.
 */
enum sc_err sc_check_draft(const char *name, const void *data, size_t len, struct sc_buf *out,
                           struct sc_diag *diag);

/*
 * Check text[0..len) (valid UTF-8, at most SC_CHECK_MAX_CHARS code points)
 * against every indexed document of lib. Release out with
 * sc_check_result_release (also after an error).
 */
enum sc_err sc_check(struct sc_library *lib, const char *text, size_t len,
                     const struct sc_check_opts *opts, struct sc_check_result *out,
                     struct sc_diag *diag);

/*
 * Compare two drafts with each other: the spans of a that stand in b
 * (sources: b's paragraphs, id 0, title other_title) into out_a, and the
 * same of b against a into out_b (either may be NULL). Same semantics and
 * limits as sc_check, common never set.
 */
enum sc_err sc_check_compare(const char *a, size_t alen, const char *b, size_t blen,
                             const struct sc_check_opts *opts, const char *a_title,
                             const char *b_title, struct sc_check_result *out_a,
                             struct sc_check_result *out_b, struct sc_diag *diag);

void sc_check_result_release(struct sc_check_result *r);

/*
 * The JSON of a result (the contract of `sucai check --json` and POST
 * /api/v1/check): {"chars", "overlap", "copied", "common", "spans": [{"start",
 * "end", "common", "docs", "sources": [{"id", "title", "paragraph", "section",
 * "start", "end", "draft_start", "draft_end", "paid", "text"}]}], "sections":
 * [{"heading", "label", "level", "start", "end", "chars", "copied", "overlap"}],
 * "took_ms", "min", "common_docs", "paid_parts": {"readable", "searched",
 * "only", "left", "note"}, "paid_only": [{"id", "title"}]} with offsets in
 * code points of text; "stats" (the matcher's counts) for an entitled
 * caller only. flags:
 * SC_CHECK_JSON_TEXT adds "text" (the draft itself), SC_CHECK_JSON_LINES puts
 * each span and section on a line of its own (else all on one line).
 * Written as one value into w; with SC_CHECK_JSON_MEMBERS, as the members
 * of the object w has open (so that a caller adds its own).
 */
#define SC_CHECK_JSON_TEXT    1
#define SC_CHECK_JSON_LINES   2
#define SC_CHECK_JSON_MEMBERS 4
void sc_check_json(struct sc_jw *w, const char *text, size_t len, const struct sc_check_result *r,
                   const struct sc_check_opts *opts, int flags);

/*
 * The report as a .docx (appended to out): the draft with copied spans
 * highlighted (common ones in another colour), the rates, and the list of
 * spans with their sources. title heads it.
 */
enum sc_err sc_check_docx(const char *text, size_t len, const struct sc_check_result *r,
                          const char *title, struct sc_buf *out, struct sc_diag *diag);

#endif
