/*
 * Index segments (docs/internals/index.md): one immutable file per batch of
 * documents, holding a dictionary of code-point pairs, Rice-coded postings
 * with positions, and the per-document tables (paragraphs, sections, paid
 * range, metadata). Built by struct sc_segbuild from struct sc_doc values
 * (no store needed, which the unit tests use), read through mmap.
 */
#ifndef SC_SEARCH_SEGMENT_H
#define SC_SEARCH_SEGMENT_H

#include "sucai/library.h"
#include "search/codec.h"

#define SC_SEG_MAGIC   "SCIDX006"
#define SC_SEG_VERSION 6
#define SC_PAIR_END 0x1FFFFFu /* second half of the pair of a paragraph's last character */
#define SC_SKIP_BLOCK 128

static inline uint64_t sc_pair_key(uint32_t a, uint32_t b)
{
    return ((uint64_t)a << 21) | b;
}

/* ---- building ---- */

struct sc_segbuild; /* opaque */

enum sc_err sc_segbuild_new(struct sc_segbuild **out);
/* Add a document (ids strictly increasing). Needs text and sections. */
enum sc_err sc_segbuild_add(struct sc_segbuild *sb, const struct sc_doc *doc, struct sc_diag *diag);
size_t sc_segbuild_ndocs(const struct sc_segbuild *sb);
/* Empty the builder for the next segment, keeping its memory. */
void sc_segbuild_reset(struct sc_segbuild *sb);
/* The file to write is temporary (merged away at once): skip the fsync. */
void sc_segbuild_nosync(struct sc_segbuild *sb);
/* Write the segment to path (via path.tmp, fsync, rename). */
enum sc_err sc_segbuild_write(struct sc_segbuild *sb, const char *path, struct sc_diag *diag);
void sc_segbuild_free(struct sc_segbuild *sb);

struct sc_seg;
/* Merge segments in[0..n) (in id order) into one file at path, from their
 * own postings (no store needed); threads = 2 encodes two key ranges at
 * once. */
enum sc_err sc_seg_merge(struct sc_seg *const *in, size_t n, const char *path, int threads,
                         struct sc_diag *diag);

/* ---- reading ---- */

struct sc_str32 {
    const char *p; /* into the mapping; not NUL-terminated */
    uint32_t len;
};

struct sc_spara {
    uint32_t norm;      /* first code point of the paragraph in the normalised text */
    uint32_t orig_cp;   /* ... in the original text */
    uint32_t orig_byte; /* byte offset in the original text */
    uint8_t ident;      /* normalised code points map one for one onto the original's */
};

struct sc_ssec {
    uint32_t nstart, nend;   /* normalised code points */
    uint32_t ostart, oend;   /* original code points */
    uint8_t kind, level;
    struct sc_str32 name;    /* "label heading" */
};

struct sc_sdoc {
    int64_t id;
    int year;
    struct sc_str32 title, title_norm, genre, level, unit;
    struct sc_str32 docno;           /* 发文字号, canonical ("" = none) */
    int32_t date;                    /* 成文日期 YYYYMMDD, 0 = unknown */
    uint32_t norm_len;               /* normalised code points, '\n' included */
    uint32_t orig_len;               /* original bytes */
    int64_t paid_from, paid_to;      /* original code points; -1 = none / to end */
    uint32_t npaid_from, npaid_to;   /* normalised; from == to when none */
    uint32_t npara;
    struct sc_spara *para;           /* npara + 1 entries (the last one is the end) */
    uint32_t nsec;
    struct sc_ssec *sec;
    uint32_t kinds;                  /* bit set of the section kinds present */
};

/*
 * The text store of a segment: every document's original text as fixed-width
 * codes, one per code point ('\n' included), so that code point i of a
 * document is one load (the paragraph tables give each paragraph's first
 * original code point). Width 2: a code is the code point itself below
 * U+10000; code 0xD800 + k (never a code point of valid text) stands for
 * esc[k], the segment's k-th code point beyond U+FFFF. Width 4: the code
 * point itself (a segment with more than SC_TEXT_MAXESC of them).
 */
#define SC_TEXT_MAXESC 2048u

/* From normalised position norm of a document on (up to the next point),
 * normalised position i is code i + shift of its text; a point with ident
 * 0 is one paragraph (para) that is not one for one (the normaliser dropped
 * zero-width characters or spaces between ideographs in it). */
struct sc_tpoint {
    uint32_t norm, para, shift, ident;
};

struct sc_stext {
    uint32_t width;        /* bytes a code: 2 or 4 */
    uint32_t nesc;
    const uint32_t *esc;   /* nesc code points */
    const uint64_t *start; /* ndocs + 1: first code of each document */
    const uint8_t *codes;
    uint64_t ncodes;
    /* made on open, for readers that go from normalised positions to the
     * text (查重): per document 1 when normalised position i is code i
     * (nearly every document), else its points pfirst[d] .. pfirst[d + 1] */
    uint8_t *ident;
    uint32_t *pfirst;      /* ndocs + 1 */
    struct sc_tpoint *point;
};

/* Code point at code index i (i < ncodes). */
static inline uint32_t sc_stext_cp(const struct sc_stext *t, uint64_t i)
{
    if (t->width == 4) {
        uint32_t c;
        memcpy(&c, t->codes + i * 4, 4);
        return c;
    }
    uint16_t c;
    memcpy(&c, t->codes + i * 2, 2);
    if ((uint32_t)c - 0xD800u < 0x800u)
        return (uint32_t)c - 0xD800u < t->nesc ? t->esc[c - 0xD800u] : 0xFFFDu;
    return c;
}

struct sc_dentry {
    uint64_t key;
    uint32_t ndocs;
    uint32_t off; /* of the list, from the start of the postings area */
};

struct sc_seg {
    int refs;                /* snapshots holding it (atomic) */
    char *path;
    int64_t lo, hi;          /* document ids covered: (lo, hi] */
    const uint8_t *map;
    size_t size;
    int fd;                  /* the file, open for reads that should not map it */
    const struct sc_dentry *dict;
    uint64_t npairs;
    /* per character: the documents holding it, with its count in each (a
     * list without positions; key = the code point), sorted by key */
    const struct sc_dentry *cdict;
    uint64_t nchars;
    const uint8_t *post;     /* postings area */
    uint64_t post_len;       /* including the padding */
    uint32_t ndocs;
    struct sc_sdoc *docs;
    uint64_t total_norm;     /* sum of norm_len */
    uint64_t total_para;
    /* In memory, built on open: every (pair key, doc) of the normalised
     * titles, sorted, so a term's title matches are found without a scan. */
    uint64_t *tkey;
    uint32_t *tdoc;
    size_t ntitle;
    struct sc_stext text;    /* the original texts (mapped) */
};

enum sc_err sc_seg_open(const char *path, struct sc_seg **out, struct sc_diag *diag);
/* Segments are shared by the snapshots that name them: open gives one
 * reference, sc_seg_ref adds one, sc_seg_close drops one (the last frees). */
void sc_seg_ref(struct sc_seg *seg);
void sc_seg_close(struct sc_seg *seg);

/* Dictionary lookups: entry index or -1; range of keys [lo, hi]. */
int64_t sc_seg_find(const struct sc_seg *seg, uint64_t key);
void sc_seg_range(const struct sc_seg *seg, uint64_t lo, uint64_t hi, size_t *first, size_t *end);

/* Character list of code point cp: entry index into seg->cdict or -1. */
int64_t sc_seg_find_char(const struct sc_seg *seg, uint32_t cp);

/* Documents whose normalised title holds a pair with a key in [lo, hi]:
 * entries [*first, *end) of seg->tdoc (sorted by key, then doc). */
void sc_seg_title_range(const struct sc_seg *seg, uint64_t lo, uint64_t hi, size_t *first,
                        size_t *end);

/* Original code points [from, to) of document ordinal d appended to out
 * as UTF-8 (clipped to the document). SC_ENOMEM on allocation failure. */
enum sc_err sc_seg_text_utf8(const struct sc_seg *seg, uint32_t d, uint64_t from, uint64_t to,
                             struct sc_buf *out);

/* The same into buf[0..cap), not allocating and read from the file rather
 * than the mapping (so that it does not grow the resident set): the bytes
 * written, or SIZE_MAX when they do not fit or the read fails. */
size_t sc_seg_text_utf8_buf(const struct sc_seg *seg, uint32_t d, uint64_t from, uint64_t to,
                            char *buf, size_t cap);

/* The normalised form of one paragraph (para_norm.c): cp[i] its i-th
 * normalised code point, ocp[i] the original code point (from the
 * paragraph's start) it came from, ocp[n] the paragraph's original length.
 * Owned by the caller (zero-initialised), reused across calls, released
 * with sc_pnorm_release. */
struct sc_pnorm {
    uint32_t *cp, *ocp;
    size_t n, cap; /* cap: room in each array */
};

/* Paragraph p of document ordinal doc: an identity paragraph folded code
 * point by code point (nothing when the text store is too short for it:
 * damaged), any other normalised again from the text store (clipped to the
 * document; n is the index's count unless damaged). SC_ENOMEM. */
enum sc_err sc_seg_para_norm(const struct sc_seg *seg, uint32_t doc, uint32_t p,
                             struct sc_pnorm *out);
/* The same for a text given as UTF-8 (sc_normalize with its map). */
enum sc_err sc_pnorm_text(const char *text, size_t len, struct sc_pnorm *out);
void sc_pnorm_release(struct sc_pnorm *pn);

/* Paragraph of a normalised position (binary search). */
uint32_t sc_sdoc_para_of(const struct sc_sdoc *d, uint32_t pos);

/* ---- posting cursors ---- */

struct sc_pcur {
    const uint8_t *skip;   /* nskip entries of 3 u32 (prev doc, doc bit, pos bit) */
    uint32_t nskip;
    struct sc_bitr dr, pr; /* doc and position streams */
    unsigned kd, kp;
    uint32_t ndocs;
    int64_t i;             /* index of the current doc, -1 before the first */
    uint32_t doc, tf;
    uint64_t pending;      /* positions to skip before the current doc's */
    int pos_done;          /* current doc's positions consumed */
    int eof;
    uint32_t pleft, plast; /* incremental reading: positions left, last one */
};

/* Position a cursor before the first doc of dictionary entry e. */
enum sc_err sc_pcur_init(struct sc_pcur *c, const struct sc_seg *seg, size_t e);
/* ... of character list ce (seg->cdict): documents and counts only, no
 * positions (sc_pcur_positions must not be called on it). */
enum sc_err sc_pcur_init_char(struct sc_pcur *c, const struct sc_seg *seg, size_t ce);
/* Advance to the next doc; 0 at the end. */
int sc_pcur_next(struct sc_pcur *c);
/* Advance to the first doc >= target; 0 at the end. */
int sc_pcur_seek(struct sc_pcur *c, uint32_t target);
/* Positions of the current doc (tf of them) into out. Once per doc. */
void sc_pcur_positions(struct sc_pcur *c, uint32_t *out);
/* The current doc's positions one at a time (instead of sc_pcur_positions):
 * open, next (0 when there are no more), close (the rest are skipped
 * cheaply when the cursor moves on). */
void sc_pcur_pos_open(struct sc_pcur *c);
static inline int sc_pcur_pos_next(struct sc_pcur *c, uint32_t *pos)
{
    if (!c->pleft)
        return 0;
    uint32_t v = (uint32_t)sc_bitr_rice(&c->pr, c->kp);
    c->plast = c->pleft == c->tf ? v : c->plast + 1 + v;
    c->pleft--;
    *pos = c->plast;
    return 1;
}
void sc_pcur_pos_close(struct sc_pcur *c);

/* Every posting of a cursor still before its first document, decoded in
 * one pass into per-document buckets: document d's positions go to
 * out[fill[d]..], fill[d] advancing, when they fit below end[d] (a document
 * without room is skipped). For a one-character term, whose positions come
 * from many lists. */
void sc_pcur_scatter(struct sc_pcur *c, const uint32_t *end, uint32_t *fill, uint32_t *out,
                     uint32_t ndocs);

/* Every posting of a cursor still before its first document, as
 * (hi + doc) << 32 | position, appended to *out (grown with realloc; *cap
 * its room): the whole list in one pass, for readers that want all of it.
 * -1 when out of memory (*out still owned by the caller). */
int sc_pcur_decode_all(struct sc_pcur *c, uint64_t hi, uint64_t **out, size_t *n, size_t *cap);

#endif
