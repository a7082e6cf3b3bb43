/*
 * 校对: proofread a 公文 draft. Deterministic rules, each resting on a
 * named clause of GB/T 9704-2012 (公文格式), GB/T 15834-2011 (标点符号用法),
 * GB/T 15835-2011 (出版物上数字用法) or on a documented word list; see
 * docs/internals/proof.md for every rule, its clause and its look-alikes.
 *
 * The text is UTF-8, one paragraph per line. Findings carry byte offsets
 * (start inclusive, end exclusive) into that text; sc_proof_json converts
 * them to code points, the unit of the JSON interface.
 *
 * Names, places and units are never "corrected": no rule suggests a change
 * to a proper noun.
 */
#ifndef SUCAI_PROOF_H
#define SUCAI_PROOF_H

#include "base.h"
#include "json.h"
#include "library.h"

#include <stdint.h>

#define SC_PROOF_MAX_BYTES (4u * 1024 * 1024) /* largest draft sc_proof takes */

enum sc_proof_kind {
    SC_PK_NUMBERING_GAP = 0,
    SC_PK_NUMBERING_DUP,
    SC_PK_NUMBERING_ORDER,
    SC_PK_DOUBLED_CHAR,
    SC_PK_PLACEHOLDER,
    SC_PK_FILTER_ARTEFACT,
    SC_PK_PUNCT_WIDTH,
    SC_PK_BRACKET_UNBALANCED,
    SC_PK_QUOTE_UNBALANCED,
    SC_PK_DOC_NUMBER,
    SC_PK_DATE_FORMAT,
    SC_PK_CONFUSABLE,
    SC_PK_COUNT
};

enum sc_proof_severity {
    SC_PS_ERROR = 0,
    SC_PS_WARNING,
    SC_PS_INFO,
};

/* The JSON name of a kind ("numbering_gap" ...) and of a severity. Static. */
const char *sc_proof_kind_name(enum sc_proof_kind k);
const char *sc_proof_severity_name(enum sc_proof_severity s);
/* Parse a comma-separated list of kind names into a bit mask (bit k for
 * enum value k). SC_EINVAL names the unknown kind. */
enum sc_err sc_proof_kinds_parse(const char *list, unsigned *mask, struct sc_diag *diag);

struct sc_finding {
    size_t start, end; /* byte offsets into the text, end exclusive */
    enum sc_proof_kind kind;
    enum sc_proof_severity severity;
    const char *rule;  /* static: rule id and the clause it rests on */
    char *message;     /* owned: what is wrong, in Chinese */
    char *suggestion;  /* owned replacement for [start, end), NULL when no fix is certain */
};

struct sc_proof_result {
    struct sc_finding *items; /* sorted by start, then end, then kind */
    size_t n, cap;
};

/*
 * Frequencies: how often a short string occurs in a reference corpus. The
 * doubled-character and filter-artefact rules ask for counts of a few
 * three-character strings around each candidate. Return the count, or -1
 * when unknown. sc_proof_library_counter counts paragraphs of a library
 * (through the search index) that hold the string; its ctx is a
 * struct sc_library *.
 */
typedef int64_t sc_proof_count_fn(void *ctx, const char *s, size_t len);
int64_t sc_proof_library_counter(void *lib, const char *s, size_t len);

struct sc_proof_opts {
    unsigned kinds;           /* bit mask of enum sc_proof_kind; 0 = all kinds */
    sc_proof_count_fn *count; /* extra frequencies (a library), or NULL: the shipped list only */
    void *count_ctx;
};

/*
 * Proofread text[0..len) (valid UTF-8, at most SC_PROOF_MAX_BYTES).
 * opts may be NULL (all kinds, shipped frequencies). out receives the
 * findings; release it with sc_proof_result_release, also after an error.
 */
enum sc_err sc_proof_run(const char *text, size_t len, const struct sc_proof_opts *opts,
                         struct sc_proof_result *out, struct sc_diag *diag);
void sc_proof_result_release(struct sc_proof_result *r);

/* The JSON form {"findings": [...]} with code-point offsets (the contract of
 * `sucai proof --json` and POST /api/v1/proof). text is the proofread text. */
void sc_proof_json(struct sc_jw *w, const char *text, size_t len,
                   const struct sc_proof_result *r);

#endif
