/*
 * Internal interface of 校对: the decoded draft every rule reads, the
 * finding sink, and one entry point per rule family.
 */
#ifndef SC_PROOF_INT_H
#define SC_PROOF_INT_H

#include "sucai/proof.h"

#include <stddef.h>
#include <stdint.h>

/* The draft decoded once: code points with their byte offsets (off[n] is
 * the text length), and the lines (paragraphs) as code-point ranges. */
struct pline {
    size_t s, e; /* code-point range, e exclusive, without the '\n' */
};

struct pdoc {
    const char *text;
    size_t len;
    uint32_t *cp;
    size_t *off; /* n + 1 entries */
    size_t n;
    struct pline *lines;
    size_t nlines;
    const struct sc_proof_opts *opts;
    struct sc_proof_result *out;
    enum sc_err err; /* first allocation failure */
};

/* Code point at i, 0 outside [0, n). */
static inline uint32_t pd_at(const struct pdoc *d, size_t i)
{
    return i < d->n ? d->cp[i] : 0;
}

static inline int is_han(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF) || c == 0x3007;
}
static inline int is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}
static inline int is_latin(uint32_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
/* Full-width digits and Latin letters, as the normaliser folds them. */
static inline uint32_t fold_width(uint32_t c)
{
    return c >= 0xFF01 && c <= 0xFF5E ? c - 0xFEE0 : c;
}
/* Chinese text around a mark: an ideograph or full-width CJK punctuation. */
int is_cjk_text(uint32_t c);

/* Does the text at code point i start with the UTF-8 string s? Returns its
 * length in code points, or 0. */
size_t pd_match(const struct pdoc *d, size_t i, const char *s);
/* Does the text end with s just before code point i? Returns its length
 * in code points, or 0. */
size_t pd_match_before(const struct pdoc *d, size_t i, const char *s);

/* Record a finding over code points [s, e). message is a printf format;
 * suggestion (may be NULL) is copied. */
void pd_add(struct pdoc *d, size_t s, size_t e, enum sc_proof_kind kind,
            enum sc_proof_severity sev, const char *rule, const char *suggestion,
            const char *fmt, ...) __attribute__((format(printf, 8, 9)));
/* Text of code points [s, e) into buf (NUL-terminated, truncated to fit). */
void pd_copy(const struct pdoc *d, size_t s, size_t e, char *buf, size_t size);

/* Corpus frequency of the UTF-8 string s: shipped list plus opts->count. */
int64_t pd_freq(const struct pdoc *d, const char *s, size_t len);
/* Shipped frequency only (lib/proof/data/freq.tsv), 0 when absent. */
int64_t freq_shipped(const char *s, size_t len);

static inline int kind_on(const struct pdoc *d, enum sc_proof_kind k)
{
    return !d->opts || !d->opts->kinds || (d->opts->kinds & (1u << k));
}

/* Rule families (one file each). */
void rule_numbering(struct pdoc *d);
void rule_doubled(struct pdoc *d);
void rule_marks(struct pdoc *d); /* placeholder, filter_artefact */
void rule_punct(struct pdoc *d); /* punct_width, bracket_unbalanced, quote_unbalanced */
void rule_forms(struct pdoc *d); /* doc_number, date_format */
void rule_confusable(struct pdoc *d);

#endif
