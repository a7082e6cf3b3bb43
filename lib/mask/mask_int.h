/*
 * Internal interface of 脱敏 / 套用: the decoded text, the candidate spans
 * the recognisers propose, and the lexicons (sorted TSV data files).
 */
#ifndef SC_MASK_INT_H
#define SC_MASK_INT_H

#include "sucai/mask.h"

#include <stddef.h>
#include <stdint.h>

struct mdoc {
    const char *text;
    size_t len;
    uint32_t *cp;
    size_t *off; /* n + 1 entries */
    size_t n;
    unsigned kinds;
    struct cand *c; /* proposed spans, code points */
    size_t nc, capc;
    enum sc_err err;
};

struct cand {
    size_t s, e; /* code points */
    enum sc_mask_kind kind;
    int prio;    /* higher wins an overlap */
    size_t keep; /* for places and orgs: code points at the end kept as the suffix (XX市) */
};

static inline uint32_t md_at(const struct mdoc *d, size_t i)
{
    return i < d->n ? d->cp[i] : 0;
}
static inline int m_han(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x20000 && c <= 0x2FFFF);
}
static inline int m_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}
static inline int m_latin(uint32_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

void md_cand(struct mdoc *d, size_t s, size_t e, enum sc_mask_kind kind, int prio, size_t keep);
/* Length in code points of the UTF-8 string s if the text has it at i, else 0. */
size_t md_match(const struct mdoc *d, size_t i, const char *s);
/* Is code point c one of the characters of the UTF-8 string set? */
int md_in(const char *set, uint32_t c);
/* Is one of the '|'-separated words at i? Its length, else 0. */
size_t md_word(const struct mdoc *d, size_t i, const char *words);
/* Does one of the '|'-separated words end just before i? Its length, else 0. */
size_t md_word_before(const struct mdoc *d, size_t i, const char *words);

/* ---- lexicons: "name<TAB>tag" lines sorted by bytes ---- */

struct lex {
    const char *data;
    uint32_t *line;         /* start of each line */
    unsigned char *namelen; /* bytes of each line's name (up to the tab) */
    size_t n;
    uint32_t *first; /* 0x10001 entries: lines whose name starts with code point c are
                        [first[c], first[c + 1]) (BMP only); NULL = search them */
};

/* The lexicon of a data file ("divisions.tsv", "persons.tsv"), loaded once
 * (thread-safe); an empty lexicon if the data is missing. */
const struct lex *lex_get(const char *name);
/* Longest entry that the text has at code point i, at most maxlen code
 * points long: its length (0 = none) and its tag character in *tag. */
size_t lex_longest(const struct lex *x, const struct mdoc *d, size_t i, size_t maxlen,
                   char *tag);
/* Tag of the exact entry cps[i..i+len) of d, 0 when absent. */
char lex_tag(const struct lex *x, const struct mdoc *d, size_t i, size_t len);

/* Recognisers (each proposes candidates for the kinds it knows). */
void rec_structured(struct mdoc *d); /* phone, idcard, email, plate, bankcard */
void rec_places(struct mdoc *d);     /* place, org */
void rec_persons(struct mdoc *d);
void rec_numbers(struct mdoc *d);

/* Slot finding shared by fill: a run of X/Ｘ/×/某 standing for something. */
size_t slot_at(const struct mdoc *d, size_t i);

#endif
