/*
 * Internals of the search engine shared by its parts: engine.c (snapshot,
 * the search and saved-search entry points), eval.c (query evaluation:
 * terms, fields, AND / OR / NOT), rank.c (ranking, the page's hits and
 * their term positions) and facets.c. Not a public interface.
 */
#ifndef SC_SEARCH_ENGINE_INT_H
#define SC_SEARCH_ENGINE_INT_H

#include "search/engine.h"

#include <stdlib.h>
#include <string.h>

/* A document found only in its paid part, for a caller who may not read
 * it: ranked after every other hit, by year and id; in paragraph mode its
 * unit names no paragraph. */
#define PAID_ONLY_SCORE (-2.0)
#define PARA_NONE       UINT32_MAX

#define BM25_K1     1.2
#define BM25_B      0.75
#define TITLE_BOOST 2.0

/* The constants of a leaf's BM25: idf from the estimated df. */
struct bm25 {
    double idf, ka, kb;
};

static inline double bm25(const struct bm25 *b, double tf, double len)
{
    return b->idf * tf * (BM25_K1 + 1) / (tf + b->ka + b->kb * len);
}

struct uent {
    uint64_t unit;
    double score;
    uint32_t count;
    uint32_t title; /* raw leaves: the term occurs in the title */
};

struct ulist {
    struct uent *v;
    size_t n, cap;
};

/* What a node may answer: documents with mask[ord] set (NULL = any) and,
 * when units is set, only units of that sorted list. */
struct cand {
    const uint8_t *mask;
    const struct ulist *units;
};

struct ctx {
    const struct sc_snap *snap;
    const struct sc_search_opts *opts;
    int para;          /* paragraph mode */
    uint32_t kindmask; /* section: restriction, 0 = none */
    int vis;           /* matches in withheld ranges do not count (a caller who may not
                        * read paid text) */
    int paid_matches;  /* ... and documents whose paid part matches are found */
    int hide;          /* ... and sections whose heading is withheld do not exist */
    struct sc_diag *diag;
    enum sc_err err;
    /* scratch, reused across terms */
    uint32_t *pb[SC_QUERY_MAX_TERM_BYTES];
    size_t pcap[SC_QUERY_MAX_TERM_BYTES];
    uint32_t *starts;
    size_t scap;
    uint32_t *cdocs; /* candidate documents of one segment */
    size_t cdcap;
    uint32_t *tf; /* per document of one segment (one-character terms) */
    size_t tfcap;
    uint32_t *fill; /* ... the buckets' fill */
    size_t fillcap;
    uint32_t *allpos; /* ... the positions bucketed per document */
    size_t allcap;
    uint32_t *blk, *pcnt; /* one document's block table and paragraph counts */
    size_t blkcap, pcntcap;
    uint8_t *tmark; /* per document of one segment: title holds the term */
    size_t tmcap;
    int exists; /* only which documents match: no counts, scores or title marks */
    /* the BM25 of the term leaf being evaluated (NULL: no scores): units
     * are scored as they are made, while their document is at hand */
    const struct bm25 *bm;
    /* paragraph mode: the candidate units of the term leaf being evaluated
     * (NULL: any), only those are made; cui where the last look-up ended */
    const struct ulist *cu;
    size_t cui;
    /* a query of one term (document mode): rank while evaluating */
    const struct sc_qnode *topk_term;
    const struct sc_qnode *topk_and; /* ... or of one AND of terms and fields (sc_and_topk_ok) */
    size_t topk_k;
    double *topk_h; /* min-heap of the best exact scores so far */
    size_t topk_n;
};

static inline int oom(struct ctx *c)
{
    if (!c->err)
        c->err = sc_diag_set(c->diag, SC_ENOMEM, "out of memory");
    return -1;
}

static inline void ul_free(struct ulist *l)
{
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static inline int ul_reserve(struct ctx *c, struct ulist *l, size_t need)
{
    if (need <= l->cap)
        return 0;
    size_t nc = l->cap ? l->cap * 2 : 64;
    while (nc < need)
        nc *= 2;
    struct uent *nv = sc_reallocarray(l->v, nc, sizeof *nv);
    if (!nv)
        return oom(c);
    l->v = nv;
    l->cap = nc;
    return 0;
}

static inline int ul_push(struct ctx *c, struct ulist *l, uint64_t unit, double score,
                          uint32_t count, uint32_t title)
{
    if (l->n == l->cap && ul_reserve(c, l, l->n + 1))
        return -1;
    l->v[l->n++] = (struct uent){ unit, score, count, title };
    return 0;
}

/* The score of a unit of a term leaf with count matches in len code points. */
static inline double leaf_score(const struct ctx *c, uint32_t count, double len)
{
    return c->bm ? bm25(c->bm, count, len) : 0;
}

/* The length BM25 takes for paragraph p of d. */
static inline double para_len(const struct sc_sdoc *d, uint32_t p)
{
    return (double)(d->para[p + 1].norm - d->para[p].norm - 1);
}

static inline int grow_u32(struct ctx *c, uint32_t **p, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    size_t nc = need + need / 2 + 16;
    uint32_t *np = sc_realloc(*p, nc * sizeof *np);
    if (!np)
        return oom(c);
    *p = np;
    *cap = nc;
    return 0;
}

static inline const struct sc_sdoc *doc_of(const struct sc_snap *s, uint32_t ord, size_t *segi)
{
    size_t k = sc_snap_seg_of(s, ord);
    if (segi)
        *segi = k;
    return &s->segs[k]->docs[ord - s->base[k]];
}

static inline uint32_t unit_ord(const struct ctx *c, uint64_t unit)
{
    return c->para ? (uint32_t)(unit >> 32) : (uint32_t)unit;
}

/* What this evaluation sees of document g (NULL: everything). */
static inline const struct sc_seen *seen_of(const struct ctx *c, uint32_t g, struct sc_seen *buf)
{
    if (!c->vis || !c->snap->paidmask[g])
        return NULL;
    sc_snap_seen(c->snap, g, c->hide, buf);
    return buf;
}

/* Keep the starts st[0..ns) of a term of tlen code points that document g
 * shows this evaluation; returns how many are left. */
static inline size_t keep_visible(const struct ctx *c, uint32_t g, uint32_t *st, size_t ns,
                                  size_t tlen)
{
    struct sc_seen sb;
    const struct sc_seen *v = seen_of(c, g, &sb);
    if (!v)
        return ns;
    size_t w = 0;
    for (size_t i = 0; i < ns; i++)
        if (sc_seen_visible(v, st[i], (uint32_t)tlen))
            st[w++] = st[i];
    return w;
}

/* ---------------------------------------------------------------- terms */

static inline size_t decode_cps(const char *s, size_t len, uint32_t *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n < max;) {
        uint32_t c;
        size_t k = sc_utf8_decode(s + i, len - i, &c);
        if (k == 0)
            k = 1;
        out[n++] = c;
        i += k;
    }
    return n;
}

/* Pair offsets covering a term of n >= 2 code points. */
static inline size_t pair_offsets(size_t n, uint32_t *offs)
{
    size_t k = 0;
    for (size_t o = 0; o + 1 < n; o += 2)
        offs[k++] = (uint32_t)o;
    if (n % 2 == 1)
        offs[k++] = (uint32_t)(n - 2);
    return k;
}

/* The cursors of a term (n >= 2) in one segment, rarest first. */
struct tcur {
    uint32_t offs[SC_QUERY_MAX_TERM_BYTES];
    struct sc_pcur cur[SC_QUERY_MAX_TERM_BYTES / 2 + 2];
    size_t order[SC_QUERY_MAX_TERM_BYTES / 2 + 2];
    size_t k;
};

static inline int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* eval.c */
/* Open the cursors of a term cps[0..n) (n >= 2) in seg: the number of
 * pairs, or 0 when a pair is absent (no match in the segment). */
size_t sc_tcur_open(struct tcur *t, const struct sc_seg *seg, const uint32_t *cps, size_t n);
/* Verified starts of the term in the document all cursors are on, into
 * c->starts; returns their number. */
size_t sc_tcur_verify(struct ctx *c, struct tcur *t);
/* Advance all cursors of t (and the candidate list cd, when given) to the
 * first document >= *target present in all; 0 when there is none. */
int sc_tcur_align(struct tcur *t, uint32_t *target, const uint32_t *cd, size_t ncd, size_t *ci);
/* Is q an AND that can be ranked while it is evaluated (document mode,
 * at the top): terms of two or more characters and field filters other
 * than section:, no NOT? */
int sc_and_topk_ok(const struct sc_qnode *q);
/* Evaluate q against the candidates cand into out (sorted units). */
int sc_eval(struct ctx *c, const struct sc_qnode *q, const struct cand *cand, struct ulist *out);

/* rank.c: rank the result set res and make the page's hits (with
 * snippets, their text through src) into out->hits. */
enum sc_err sc_rank_page(struct ctx *c, const struct sc_textsrc *src, const struct ulist *res,
                         const struct sc_qnode *root, struct sc_results *out, struct sc_diag *diag);

/* facets.c: count the facets of the result set l into f. */
int sc_facets_make(struct ctx *c, const struct ulist *l, struct sc_facets *f);

#endif
