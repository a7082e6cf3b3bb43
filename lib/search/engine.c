/*
 * Query evaluation: leaves (terms, fields) become sorted lists of units
 * (documents, or document<<32|paragraph in paragraph mode) carrying a
 * BM25-style score and a match count; AND / OR / NOT combine the lists;
 * the best units are ranked, and snippets are cut for the page asked for.
 *
 * Exactness: a term of n >= 2 code points is located by the pairs at
 * offsets 0, 2, 4, ... (and n-2): together they fix every code point of the
 * term at consecutive positions, and a pair never spans a paragraph break,
 * so a verified position is a substring match and nothing else.
 *
 * Cost: every node is evaluated against a candidate set (a document mask
 * from the field filters, and the units still alive in the enclosing AND),
 * so an AND evaluates its rarest term in full and then only probes the
 * others in the documents that term left; positions are decoded only for
 * documents in which every pair of a term is present.
 */
#include "search/engine.h"

#include "sucai/gongwen.h"
#include "sucai/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A document found only in its paid part, for a caller who may not read
 * it: ranked after every other hit, by year and id; in paragraph mode its
 * unit names no paragraph. */
#define PAID_ONLY_SCORE (-2.0)
#define PARA_NONE UINT32_MAX

#define BM25_K1 1.2
#define BM25_B 0.75
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
    int para;            /* paragraph mode */
    uint32_t kindmask;   /* section: restriction, 0 = none */
    int vis;             /* matches in withheld ranges do not count (a caller who may not
                          * read paid text) */
    int paid_matches;    /* ... and documents whose paid part matches are found */
    int hide;            /* ... and sections whose heading is withheld do not exist */
    struct sc_diag *diag;
    enum sc_err err;
    /* scratch, reused across terms */
    uint32_t *pb[SC_QUERY_MAX_TERM_BYTES];
    size_t pcap[SC_QUERY_MAX_TERM_BYTES];
    uint32_t *starts;
    size_t scap;
    uint32_t *cdocs; /* candidate documents of one segment */
    size_t cdcap;
    uint32_t *tf;    /* per document of one segment (one-character terms) */
    size_t tfcap;
    uint32_t *fill;  /* ... the buckets' fill */
    size_t fillcap;
    uint32_t *allpos; /* ... the positions bucketed per document */
    size_t allcap;
    uint32_t *blk, *pcnt; /* one document's block table and paragraph counts */
    size_t blkcap, pcntcap;
    uint8_t *tmark;  /* per document of one segment: title holds the term */
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
    size_t topk_k;
    double *topk_h;  /* min-heap of the best exact scores so far */
    size_t topk_n;
};

static int oom(struct ctx *c)
{
    if (!c->err)
        c->err = sc_diag_set(c->diag, SC_ENOMEM, "out of memory");
    return -1;
}

static void ul_free(struct ulist *l)
{
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static int ul_reserve(struct ctx *c, struct ulist *l, size_t need)
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
    l->v[l->n++] = (struct uent){unit, score, count, title};
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

static int grow_u32(struct ctx *c, uint32_t **p, size_t *cap, size_t need)
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

/* ---------------------------------------------------------------- snapshot */

static int str32_eq(struct sc_str32 a, struct sc_str32 b)
{
    return a.len == b.len && memcmp(a.p, b.p, a.len) == 0;
}

/* The index of v among names[1, *n) (added if new; 0 for an empty v). A
 * run of documents of one genre asks for the same name: last is checked
 * first. */
static uint8_t facet_name_id(struct sc_str32 *names, size_t *n, struct sc_str32 v, uint8_t last)
{
    if (!v.len)
        return 0;
    if (last && last != SC_FACET_OTHER && str32_eq(names[last], v))
        return last;
    for (size_t i = 1; i < *n; i++)
        if (str32_eq(names[i], v))
            return (uint8_t)i;
    if (*n >= SC_FACET_NAMES)
        return SC_FACET_OTHER;
    names[*n] = v;
    return (uint8_t)(*n)++;
}

enum sc_err sc_snap_new(struct sc_seg **segs, size_t n, struct sc_snap **out)
{
    *out = NULL;
    struct sc_snap *s = sc_calloc(1, sizeof *s);
    if (!s)
        return SC_ENOMEM;
    s->segs = n ? sc_malloc(n * sizeof *s->segs) : NULL;
    s->base = sc_malloc((n + 1) * sizeof *s->base);
    if ((n && !s->segs) || !s->base) {
        free(s->segs);
        free(s->base);
        free(s);
        return SC_ENOMEM;
    }
    s->refs = 1;
    s->nseg = n;
    uint32_t ord = 0;
    for (size_t i = 0; i < n; i++) {
        s->segs[i] = segs[i];
        s->base[i] = ord;
        ord += segs[i]->ndocs;
        s->total_norm += segs[i]->total_norm;
        s->total_para += segs[i]->total_para;
        if (segs[i]->hi > s->maxid)
            s->maxid = segs[i]->hi;
    }
    s->base[n] = ord;
    s->ndocs = ord;
    size_t no = ord ? ord : 1;
    s->fkey = sc_malloc(no * sizeof *s->fkey);
    s->wf = sc_malloc(no * sizeof *s->wf);
    s->wt = sc_malloc(no * sizeof *s->wt);
    s->wline = sc_malloc(no * sizeof *s->wline);
    s->paidmask = sc_calloc(no, 1);
    s->seg_npaid = sc_calloc(n ? n : 1, sizeof *s->seg_npaid);
    if (!s->fkey || !s->wf || !s->wt || !s->wline || !s->paidmask || !s->seg_npaid) {
        for (size_t i = 0; i < n; i++)
            s->segs[i] = NULL; /* the caller still owns them */
        s->nseg = 0;
        sc_snap_free(s);
        return SC_ENOMEM;
    }
    s->ngenre_name = s->nlevel_name = 1;
    uint8_t lastg = 0, lastl = 0;
    for (size_t i = 0; i < n; i++)
        for (uint32_t k = 0; k < segs[i]->ndocs; k++) {
            const struct sc_sdoc *d = &segs[i]->docs[k];
            struct sc_facet_key *fk = &s->fkey[s->base[i] + k];
            fk->genre = lastg = facet_name_id(s->genre_name, &s->ngenre_name, d->genre, lastg);
            fk->level = lastl = facet_name_id(s->level_name, &s->nlevel_name, d->level, lastl);
            fk->year = d->year > 0 && d->year < 65536 ? (uint16_t)d->year : 0;
            fk->kinds = d->kinds;
            /* the paid cut in normalised code points (the rule of sc_paid_cut) */
            uint32_t g = s->base[i] + k;
            int64_t f = 0, t = 0;
            uint32_t body = d->npara > 1 ? d->para[1].norm : d->norm_len;
            sc_paid_cut(d->npaid_from < d->npaid_to ? (int64_t)d->npaid_from : -1, d->npaid_to,
                        body, d->norm_len, &f, &t);
            s->wf[g] = (uint32_t)f;
            s->wt[g] = (uint32_t)t;
            s->wline[g] = f < t ? d->para[sc_sdoc_para_of(d, (uint32_t)f)].norm : 0;
            if (f < t) {
                s->paidmask[g] = 1;
                s->npaid++;
                s->seg_npaid[i]++;
            }
            struct sc_seen seen;
            sc_snap_seen(s, g, 1, &seen);
            fk->kinds_shown = 0;
            for (uint32_t x = 0; x < d->nsec; x++)
                if (d->sec[x].kind < 32 && sc_seen_section(&seen, d->sec[x].nstart))
                    fk->kinds_shown |= 1u << d->sec[x].kind;
        }
    *out = s;
    return SC_OK;
}

void sc_snap_free(struct sc_snap *s)
{
    if (!s)
        return;
    sc_snap_quickfind_free(s);
    sc_snap_skeleton_free(s);
    for (size_t i = 0; i < s->nseg; i++)
        sc_seg_close(s->segs[i]);
    free(s->segs);
    free(s->base);
    free(s->fkey);
    free(s->wf);
    free(s->wt);
    free(s->wline);
    free(s->paidmask);
    free(s->seg_npaid);
    free(s);
}

static const struct sc_sdoc *doc_of(const struct sc_snap *s, uint32_t ord, size_t *segi)
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

/* ---------------------------------------------------------------- kinds */

int sc_in_kinds(const struct sc_sdoc *d, const struct sc_seen *seen, uint32_t s, uint32_t e,
                uint32_t mask)
{
    if (!(d->kinds & mask))
        return 0;
    for (uint32_t i = 0; i < d->nsec; i++) {
        const struct sc_ssec *sec = &d->sec[i];
        if ((mask >> sec->kind) & 1 && sec->nstart <= s && e <= sec->nend &&
            sc_seen_section(seen, sec->nstart))
            return 1;
    }
    return 0;
}

/* What this evaluation sees of document g (NULL: everything). */
static const struct sc_seen *seen_of(const struct ctx *c, uint32_t g, struct sc_seen *buf)
{
    if (!c->vis || !c->snap->paidmask[g])
        return NULL;
    sc_snap_seen(c->snap, g, c->hide, buf);
    return buf;
}

/* Keep the starts st[0..ns) of a term of tlen code points that document g
 * shows this evaluation; returns how many are left. */
static size_t keep_visible(const struct ctx *c, uint32_t g, uint32_t *st, size_t ns, size_t tlen)
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

static size_t decode_cps(const char *s, size_t len, uint32_t *out, size_t max)
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
static size_t pair_offsets(size_t n, uint32_t *offs)
{
    size_t k = 0;
    for (size_t o = 0; o + 1 < n; o += 2)
        offs[k++] = (uint32_t)o;
    if (n % 2 == 1)
        offs[k++] = (uint32_t)(n - 2);
    return k;
}

/* The cursors of a term (n >= 2) in one segment, rarest first. Returns the
 * number of pairs, or 0 when a pair is absent (no match in the segment). */
struct tcur {
    uint32_t offs[SC_QUERY_MAX_TERM_BYTES];
    struct sc_pcur cur[SC_QUERY_MAX_TERM_BYTES / 2 + 2];
    size_t order[SC_QUERY_MAX_TERM_BYTES / 2 + 2];
    size_t k;
};

static size_t tcur_open(struct tcur *t, const struct sc_seg *seg, const uint32_t *cps, size_t n)
{
    t->k = pair_offsets(n, t->offs);
    for (size_t j = 0; j < t->k; j++) {
        int64_t en = sc_seg_find(seg, sc_pair_key(cps[t->offs[j]], cps[t->offs[j] + 1]));
        if (en < 0 || sc_pcur_init(&t->cur[j], seg, (size_t)en) != SC_OK)
            return t->k = 0;
        t->order[j] = j;
    }
    for (size_t a = 1; a < t->k; a++)
        for (size_t b = a; b > 0 && t->cur[t->order[b]].ndocs < t->cur[t->order[b - 1]].ndocs;
             b--) {
            size_t x = t->order[b];
            t->order[b] = t->order[b - 1];
            t->order[b - 1] = x;
        }
    return t->k;
}

/* Verified starts of the term in the document all cursors are on, into
 * c->starts; returns their number. */
static size_t verify_doc(struct ctx *c, struct tcur *t)
{
    const size_t k = t->k;
    const size_t lead = t->order[0];
    for (size_t j = 0; j < k; j++) {
        if (grow_u32(c, &c->pb[j], &c->pcap[j], t->cur[j].tf))
            return 0;
        sc_pcur_positions(&t->cur[j], c->pb[j]);
    }
    const uint32_t nlead = t->cur[lead].tf;
    if (grow_u32(c, &c->starts, &c->scap, nlead))
        return 0;
    uint32_t *restrict st = c->starts;
    const uint32_t *restrict lp = c->pb[lead];
    size_t ns = 0;
    const uint32_t off = t->offs[lead];
    for (uint32_t i = 0; i < nlead; i++)
        if (lp[i] >= off)
            st[ns++] = lp[i] - off;
    for (size_t oi = 1; oi < k && ns; oi++) {
        const size_t j = t->order[oi];
        const uint32_t *restrict p = c->pb[j];
        const uint32_t np = t->cur[j].tf, o = t->offs[j];
        uint32_t pi = 0;
        size_t w = 0;
        for (size_t s = 0; s < ns; s++) {
            uint32_t want = st[s] + o;
            while (pi < np && p[pi] < want)
                pi++;
            if (pi == np)
                break;
            if (p[pi] == want)
                st[w++] = st[s];
        }
        ns = w;
    }
    return ns;
}

/* Advance all cursors of t (and the candidate list cd, when given) to the
 * first document >= *target present in all; 0 when there is none. */
static int tcur_align(struct tcur *t, uint32_t *target, const uint32_t *cd, size_t ncd,
                      size_t *ci)
{
    uint32_t x = *target;
    for (;;) {
        int moved = 0;
        if (cd) {
            while (*ci < ncd && cd[*ci] < x)
                (*ci)++;
            if (*ci == ncd)
                return 0;
            x = cd[*ci];
        }
        for (size_t oi = 0; oi < t->k; oi++) {
            struct sc_pcur *o = &t->cur[t->order[oi]];
            if (!sc_pcur_seek(o, x))
                return 0;
            if (o->doc > x) {
                x = o->doc;
                moved = 1;
                break;
            }
        }
        if (!moved) {
            *target = x;
            return 1;
        }
    }
}

/* Keep the starts st[0..ns) (in any order) of a term of tlen code points
 * that count for this evaluation in document gord: visible to the caller,
 * inside the section kinds asked for. Returns how many are left. */
static size_t filter_starts(struct ctx *c, uint32_t gord, const struct sc_sdoc *d, uint32_t *st,
                            size_t ns, size_t tlen)
{
    ns = keep_visible(c, gord, st, ns, tlen);
    if (c->kindmask) {
        struct sc_seen sb;
        const struct sc_seen *v = seen_of(c, gord, &sb);
        size_t w = 0;
        for (size_t i = 0; i < ns; i++)
            if (sc_in_kinds(d, v, st[i], st[i] + (uint32_t)tlen, c->kindmask))
                st[w++] = st[i];
        ns = w;
    }
    return ns;
}

/* The last paragraph of d starting at or before pos, searching from
 * paragraph p on (d->para[p].norm <= pos): galloping, so that a walk over
 * sorted positions costs the log of each step, not of the document. */
static inline uint32_t para_from(const struct sc_sdoc *d, uint32_t p, uint32_t pos)
{
    /* the next few paragraphs first: matches are often dense */
    for (int k = 0; k < 4; k++) {
        if (p + 1 >= d->npara || d->para[p + 1].norm > pos)
            return p;
        p++;
    }
    uint32_t lo = p, step = 1;
    while (lo + step < d->npara && d->para[lo + step].norm <= pos) {
        lo += step;
        step *= 2;
    }
    uint32_t hi = lo + step < d->npara ? lo + step : d->npara;
    while (hi - lo > 1) {
        uint32_t m = lo + (hi - lo) / 2;
        if (d->para[m].norm <= pos)
            lo = m;
        else
            hi = m;
    }
    return lo;
}

/* The candidate paragraphs of document gord (paragraph mode, cand->units
 * of the term being evaluated): entries [*a, *b) of c->cu, found from where
 * the last call left off (documents come in order). 0 when there are no
 * candidate units. */
static int cand_paras(struct ctx *c, uint32_t gord, size_t *a, size_t *b)
{
    if (!c->cu)
        return 0;
    const struct ulist *u = c->cu;
    size_t i = c->cui;
    if (i > 0 && i <= u->n && (uint32_t)(u->v[i - 1].unit >> 32) >= gord)
        i = 0; /* documents out of order: search again */
    while (i < u->n && (uint32_t)(u->v[i].unit >> 32) < gord)
        i++;
    *a = i;
    while (i < u->n && (uint32_t)(u->v[i].unit >> 32) == gord)
        i++;
    *b = c->cui = i;
    return 1;
}

/* The paragraph units of sorted starts st[0..ns) in document gord. */
static int emit_paras(struct ctx *c, struct ulist *out, uint32_t gord, const struct sc_sdoc *d,
                      const uint32_t *st, size_t ns)
{
    size_t ca, cb;
    if (cand_paras(c, gord, &ca, &cb)) {
        /* only the candidate paragraphs: count the starts in each */
        size_t i = 0;
        for (size_t k = ca; k < cb && i < ns; k++) {
            uint32_t p = (uint32_t)c->cu->v[k].unit;
            if (p >= d->npara)
                continue;
            uint32_t from = d->para[p].norm, end = d->para[p + 1].norm, cnt = 0;
            while (i < ns && st[i] < from)
                i++;
            while (i < ns && st[i] < end) {
                cnt++;
                i++;
            }
            if (cnt && ul_push(c, out, ((uint64_t)gord << 32) | p,
                               leaf_score(c, cnt, para_len(d, p)), cnt, 0))
                return -1;
        }
        return 0;
    }
    size_t i = 0;
    uint32_t p = 0;
    while (i < ns) {
        p = para_from(d, p, st[i]);
        uint32_t end = d->para[p + 1].norm, cnt = 0;
        while (i < ns && st[i] < end) {
            cnt++;
            i++;
        }
        if (ul_push(c, out, ((uint64_t)gord << 32) | p, leaf_score(c, cnt, para_len(d, p)), cnt,
                    0))
            return -1;
    }
    return 0;
}

/* Emit the units of one document for a term with verified starts. */
static int emit_starts(struct ctx *c, struct ulist *out, uint32_t gord, const struct sc_sdoc *d,
                       uint32_t *st, size_t ns, size_t tlen)
{
    ns = filter_starts(c, gord, d, st, ns, tlen);
    if (!ns)
        return 0;
    if (!c->para)
        return ul_push(c, out, gord, leaf_score(c, (uint32_t)ns, d->norm_len), (uint32_t)ns, 0);
    return emit_paras(c, out, gord, d, st, ns);
}

#define PBLOCK_SHIFT 5 /* positions per entry of a document's block table: 32 */

/* The paragraph units of the starts pos[0..n) of a one-character term in
 * document gord, in any order (they come from many pair lists): counted
 * per paragraph through a table of the paragraph at every 32nd position,
 * so that no position is sorted or searched for. */
static int emit_paras_unsorted(struct ctx *c, struct ulist *out, uint32_t gord,
                               const struct sc_sdoc *d, uint32_t *pos, size_t n)
{
    if (n <= 24 || d->npara < 2) {
        for (size_t i = 1; i < n; i++) {
            uint32_t v = pos[i];
            size_t j = i;
            for (; j > 0 && pos[j - 1] > v; j--)
                pos[j] = pos[j - 1];
            pos[j] = v;
        }
        return emit_paras(c, out, gord, d, pos, n);
    }
    size_t nb = ((size_t)d->norm_len >> PBLOCK_SHIFT) + 1;
    if (grow_u32(c, &c->blk, &c->blkcap, nb) || grow_u32(c, &c->pcnt, &c->pcntcap, d->npara))
        return -1;
    uint32_t *restrict blk = c->blk, *restrict cnt = c->pcnt;
    uint32_t p = 0;
    for (size_t b = 0; b < nb; b++) {
        uint32_t at = (uint32_t)(b << PBLOCK_SHIFT);
        while (p + 1 < d->npara && d->para[p + 1].norm <= at)
            p++;
        blk[b] = p;
    }
    memset(cnt, 0, d->npara * sizeof *cnt);
    for (size_t i = 0; i < n; i++) {
        uint32_t v = pos[i];
        size_t b = v >> PBLOCK_SHIFT;
        uint32_t q = blk[b < nb ? b : nb - 1];
        while (q + 1 < d->npara && d->para[q + 1].norm <= v)
            q++;
        cnt[q]++;
    }
    size_t ca, cb;
    if (cand_paras(c, gord, &ca, &cb)) {
        for (size_t k = ca; k < cb; k++) {
            uint32_t q = (uint32_t)c->cu->v[k].unit;
            if (q < d->npara && cnt[q] &&
                ul_push(c, out, ((uint64_t)gord << 32) | q, leaf_score(c, cnt[q], para_len(d, q)),
                        cnt[q], 0))
                return -1;
        }
        return 0;
    }
    for (uint32_t q = 0; q < d->npara; q++)
        if (cnt[q] && ul_push(c, out, ((uint64_t)gord << 32) | q,
                              leaf_score(c, cnt[q], para_len(d, q)), cnt[q], 0))
            return -1;
    return 0;
}

/* The candidate documents of segment si (local ordinals, ascending) from
 * cand->units; *ncd = 0 and NULL when there is no unit list. */
static const uint32_t *seg_cands(struct ctx *c, size_t si, const struct cand *cand, size_t *ncd)
{
    *ncd = 0;
    if (!cand->units)
        return NULL;
    const struct ulist *u = cand->units;
    uint32_t lo = c->snap->base[si], hi = c->snap->base[si + 1];
    /* first unit of the segment */
    size_t a = 0, b = u->n;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (unit_ord(c, u->v[m].unit) < lo)
            a = m + 1;
        else
            b = m;
    }
    size_t n = 0;
    for (size_t i = a; i < u->n; i++) {
        uint32_t o = unit_ord(c, u->v[i].unit);
        if (o >= hi)
            break;
        if (n && c->cdocs[n - 1] == o - lo)
            continue;
        if (n == c->cdcap && grow_u32(c, &c->cdocs, &c->cdcap, n + 1))
            return NULL;
        c->cdocs[n++] = o - lo;
    }
    *ncd = n;
    return c->cdocs;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* One-character term in one segment. Its character list gives the
 * documents and counts; positions (paragraph mode, section kinds, text
 * withheld from the caller) come from the pair lists of its key range,
 * bucketed per document in the counts' room, and are counted per
 * paragraph unsorted. */
static int eval_char_seg(struct ctx *c, size_t si, uint32_t ch, const uint32_t *cd, size_t ncd,
                         const uint8_t *mask, struct ulist *out)
{
    const struct sc_seg *seg = c->snap->segs[si];
    uint32_t gbase = c->snap->base[si];
    int64_t ce = sc_seg_find_char(seg, ch);
    struct sc_pcur cur;
    if (ce < 0 || !seg->ndocs || sc_pcur_init_char(&cur, seg, (size_t)ce) != SC_OK)
        return 0;
    int need_pos = c->para || c->kindmask || (c->vis && c->snap->seg_npaid[si]);
    if (!need_pos) {
        if (cd) {
            for (size_t i = 0; i < ncd; i++) {
                if (!sc_pcur_seek(&cur, cd[i]))
                    break;
                if (cur.doc == cd[i] && (!mask || mask[gbase + cd[i]]) &&
                    ul_push(c, out, gbase + cd[i],
                            leaf_score(c, cur.tf, seg->docs[cd[i]].norm_len), cur.tf, 0))
                    return -1;
            }
        } else {
            if (ul_reserve(c, out, out->n + cur.ndocs))
                return -1;
            while (sc_pcur_next(&cur) && cur.doc < seg->ndocs)
                if (!mask || mask[gbase + cur.doc])
                    out->v[out->n++] = (struct uent){
                        gbase + cur.doc, leaf_score(c, cur.tf, seg->docs[cur.doc].norm_len),
                        cur.tf, 0};
        }
        return 0;
    }
    /* positions: the wanted documents' counts give each a bucket */
    if (grow_u32(c, &c->tf, &c->tfcap, (size_t)seg->ndocs + 1) ||
        grow_u32(c, &c->fill, &c->fillcap, (size_t)seg->ndocs + 1))
        return -1;
    uint32_t *tf = c->tf, *fill = c->fill;
    memset(tf, 0, ((size_t)seg->ndocs + 1) * sizeof *tf);
    size_t nwant = 0;
    if (cd) {
        for (size_t i = 0; i < ncd; i++) {
            if (!sc_pcur_seek(&cur, cd[i]))
                break;
            if (cur.doc == cd[i] && (!mask || mask[gbase + cd[i]]))
                tf[cd[i]] = cur.tf, nwant++;
        }
    } else {
        while (sc_pcur_next(&cur) && cur.doc < seg->ndocs)
            if (!mask || mask[gbase + cur.doc])
                tf[cur.doc] = cur.tf, nwant++;
    }
    if (!nwant)
        return 0;
    uint64_t total = 0;
    for (uint32_t d = 0; d < seg->ndocs; d++) {
        uint32_t n = tf[d];
        tf[d] = fill[d] = (uint32_t)total; /* start of the bucket */
        total += n;
    }
    tf[seg->ndocs] = (uint32_t)total;
    if (grow_u32(c, &c->allpos, &c->allcap, total))
        return -1;
    uint32_t *all = c->allpos;
    size_t f, e;
    sc_seg_range(seg, sc_pair_key(ch, 0), sc_pair_key(ch, SC_PAIR_END), &f, &e);
    for (size_t x = f; x < e; x++) {
        struct sc_pcur pc;
        if (sc_pcur_init(&pc, seg, x) != SC_OK)
            continue;
        /* few wanted documents of a long list: seek to each */
        int seek = (uint64_t)nwant * 8 < pc.ndocs && cd;
        size_t ci = 0;
        int64_t last = -1;
        for (;;) {
            if (seek) {
                while (ci < ncd && ((int64_t)cd[ci] <= last || tf[cd[ci] + 1] == tf[cd[ci]]))
                    ci++;
                if (ci == ncd || !sc_pcur_seek(&pc, cd[ci]))
                    break;
                last = pc.doc;
            } else if (!sc_pcur_next(&pc)) {
                break;
            }
            uint32_t d = pc.doc;
            if (d >= seg->ndocs)
                break;
            if (tf[d + 1] == tf[d])
                continue;
            if (pc.tf <= tf[d + 1] - fill[d]) {
                sc_pcur_positions(&pc, all + fill[d]);
                fill[d] += pc.tf;
            } else { /* more than the character list counted: damaged */
                if (grow_u32(c, &c->pb[0], &c->pcap[0], pc.tf))
                    return -1;
                sc_pcur_positions(&pc, c->pb[0]);
                uint32_t room = tf[d + 1] - fill[d];
                memcpy(all + fill[d], c->pb[0], room * sizeof *all);
                fill[d] += room;
            }
        }
    }
    for (uint32_t d = 0; d < seg->ndocs; d++) {
        uint32_t a = tf[d], n = fill[d] - a;
        if (!n)
            continue;
        const struct sc_sdoc *sd = &seg->docs[d];
        n = (uint32_t)filter_starts(c, gbase + d, sd, all + a, n, 1);
        if (!n)
            continue;
        int rc = !c->para ? ul_push(c, out, gbase + d, leaf_score(c, n, sd->norm_len), n, 0)
                          : emit_paras_unsorted(c, out, gbase + d, sd, all + a, n);
        if (rc)
            return -1;
    }
    return c->err ? -1 : 0;
}

static int exists_doc(struct tcur *t);
/* The visible occurrences of a two-character term in the current document
 * of cur (global ordinal g): its tf, unless g withholds something. */
static uint32_t vis_tf(struct ctx *c, struct sc_pcur *cur, uint32_t g)
{
    if (!c->vis || !c->snap->paidmask[g])
        return cur->tf;
    if (grow_u32(c, &c->pb[0], &c->pcap[0], cur->tf))
        return 0;
    sc_pcur_positions(cur, c->pb[0]);
    return (uint32_t)keep_visible(c, g, c->pb[0], cur->tf, 2);
}

static int eval_term_seg(struct ctx *c, size_t si, const uint32_t *cps, size_t n,
                         const struct cand *cand, struct ulist *out)
{
    const struct sc_seg *seg = c->snap->segs[si];
    uint32_t gbase = c->snap->base[si];
    size_t ncd;
    const uint32_t *cd = seg_cands(c, si, cand, &ncd);
    if (c->err)
        return -1;
    if (cand->units && !ncd)
        return 0;
    if (n == 1)
        return eval_char_seg(c, si, cps[0], cd, ncd, cand->mask, out);
    struct tcur *t = sc_malloc(sizeof *t);
    if (!t)
        return oom(c);
    int rc = 0;
    if (!tcur_open(t, seg, cps, n))
        goto done;
    const uint8_t *mask = cand->mask;
    if (t->k == 1 && !c->para && !c->kindmask) {
        /* a two-character term: the doc stream answers (tf included) */
        struct sc_pcur *cur = &t->cur[0];
        if (cd) {
            for (size_t i = 0; i < ncd && !rc; i++) {
                if (!sc_pcur_seek(cur, cd[i]))
                    break;
                if (cur->doc == cd[i] && (!mask || mask[gbase + cd[i]])) {
                    uint32_t tf = vis_tf(c, cur, gbase + cur->doc);
                    if (tf)
                        rc = ul_push(c, out, gbase + cur->doc,
                                     leaf_score(c, tf, seg->docs[cur->doc].norm_len), tf, 0);
                }
            }
        } else {
            if (ul_reserve(c, out, out->n + cur->ndocs)) {
                rc = -1;
                goto done;
            }
            while (sc_pcur_next(cur)) {
                if (cur->doc >= seg->ndocs)
                    break;
                if (!mask || mask[gbase + cur->doc]) {
                    uint32_t tf = vis_tf(c, cur, gbase + cur->doc);
                    if (tf)
                        out->v[out->n++] = (struct uent){
                            gbase + cur->doc, leaf_score(c, tf, seg->docs[cur->doc].norm_len),
                            tf, 0};
                }
            }
        }
        if (c->err)
            rc = -1;
        goto done;
    }
    uint32_t target = 0;
    size_t ci = 0;
    while (!rc && tcur_align(t, &target, cd, ncd, &ci)) {
        if (target >= seg->ndocs)
            break;
        if ((!mask || mask[gbase + target]) && c->exists && !c->para && !c->kindmask) {
            /* saved searches ask only whether the document matches */
            if (exists_doc(t))
                rc = ul_push(c, out, gbase + target, 0, 1, 0);
        } else if (!mask || mask[gbase + target]) {
            size_t ns = verify_doc(c, t);
            if (c->err)
                rc = -1;
            else if (ns)
                rc = emit_starts(c, out, gbase + target, &seg->docs[target], c->starts, ns, n);
        }
        target++;
    }
done:
    free(t);
    return rc || c->err ? -1 : 0;
}

/* ---------------------------------------------------------------- leaves */

/* Documents (estimated) holding term cps[0..n): the document count of its
 * rarest pair, summed over the segments (exact for two characters). The
 * idf of the ranking uses it, and AND orders its terms by it. */
static double term_df(const struct ctx *c, const uint32_t *cps, size_t n)
{
    double df = 0;
    for (size_t si = 0; si < c->snap->nseg; si++) {
        const struct sc_seg *seg = c->snap->segs[si];
        double m;
        if (n == 0) {
            m = 0;
        } else if (n == 1) {
            size_t f, e;
            sc_seg_range(seg, sc_pair_key(cps[0], 0), sc_pair_key(cps[0], SC_PAIR_END), &f, &e);
            m = 0;
            for (size_t x = f; x < e && m < seg->ndocs; x++)
                m += seg->dict[x].ndocs;
            if (m > seg->ndocs)
                m = seg->ndocs;
        } else {
            uint32_t offs[SC_QUERY_MAX_TERM_BYTES];
            size_t k = pair_offsets(n, offs);
            m = seg->ndocs;
            for (size_t j = 0; j < k && m > 0; j++) {
                int64_t en = sc_seg_find(seg, sc_pair_key(cps[offs[j]], cps[offs[j] + 1]));
                double nd = en < 0 ? 0 : seg->dict[en].ndocs;
                if (nd < m)
                    m = nd;
            }
        }
        df += m;
    }
    return df;
}

/* Documents of list e of segment si with a visible occurrence of its pair
 * (plen code points of it count: 1 for a one-character term). */
static uint32_t list_vis_docs(struct ctx *c, size_t si, size_t e, size_t plen)
{
    const struct sc_seg *seg = c->snap->segs[si];
    uint32_t gbase = c->snap->base[si], n = 0;
    struct sc_pcur cur;
    if (sc_pcur_init(&cur, seg, e) != SC_OK)
        return 0;
    while (sc_pcur_next(&cur)) {
        if (cur.doc >= seg->ndocs)
            break;
        uint32_t g = gbase + cur.doc;
        if (!c->snap->paidmask[g]) {
            n++;
            continue;
        }
        if (grow_u32(c, &c->pb[0], &c->pcap[0], cur.tf))
            return n;
        sc_pcur_positions(&cur, c->pb[0]);
        n += keep_visible(c, g, c->pb[0], cur.tf, plen) > 0;
    }
    return n;
}

/* term_df for a caller who may not read paid text: the same estimate on
 * the text that caller sees (the fewest documents with a visible
 * occurrence of one of the term's pairs), so that no score depends on
 * paid text. Segments without paid ranges answer from the dictionary. */
static double term_df_vis(struct ctx *c, const uint32_t *cps, size_t n)
{
    double df = 0;
    for (size_t si = 0; si < c->snap->nseg && n; si++) {
        const struct sc_seg *seg = c->snap->segs[si];
        uint32_t np = c->snap->seg_npaid[si];
        double m;
        if (n == 1) {
            size_t f, e;
            sc_seg_range(seg, sc_pair_key(cps[0], 0), sc_pair_key(cps[0], SC_PAIR_END), &f, &e);
            m = 0;
            for (size_t x = f; x < e && m < seg->ndocs; x++)
                m += np ? list_vis_docs(c, si, x, 1) : seg->dict[x].ndocs;
        } else {
            uint32_t offs[SC_QUERY_MAX_TERM_BYTES];
            size_t k = pair_offsets(n, offs);
            m = seg->ndocs;
            for (size_t j = 0; j < k && m > 0; j++) {
                int64_t en = sc_seg_find(seg, sc_pair_key(cps[offs[j]], cps[offs[j] + 1]));
                double nd = en < 0 ? 0 : seg->dict[en].ndocs;
                /* a list of nd documents has at least nd - np visible ones:
                 * when that is not below the least so far, it cannot be less */
                if (en >= 0 && np && nd - np < m)
                    nd = list_vis_docs(c, si, (size_t)en, 2);
                if (nd < m)
                    m = nd;
            }
        }
        if (m > seg->ndocs)
            m = seg->ndocs;
        df += m;
    }
    return df;
}

/* The df that scores a leaf: what the caller can see. */
static double leaf_df(struct ctx *c, const uint32_t *cps, size_t n)
{
    return c->vis && c->snap->npaid ? term_df_vis(c, cps, n) : term_df(c, cps, n);
}

/* Mark in c->tmark the documents of segment seg whose title holds the
 * first pair of the term cps[0..n) (for one character: any of its pairs);
 * the entries marked are seg->tdoc[*first..*end). */
static int title_marks(struct ctx *c, const struct sc_seg *seg, const uint32_t *cps, size_t n,
                       size_t *first, size_t *end)
{
    if (seg->ndocs > c->tmcap) {
        free(c->tmark);
        c->tmark = sc_calloc(seg->ndocs, 1); /* kept all zero between terms */
        if (!c->tmark) {
            c->tmcap = 0;
            return oom(c);
        }
        c->tmcap = seg->ndocs;
    }
    uint64_t lo = n == 1 ? sc_pair_key(cps[0], 0) : sc_pair_key(cps[0], cps[1]);
    uint64_t hi = n == 1 ? sc_pair_key(cps[0], SC_PAIR_END) : lo;
    sc_seg_title_range(seg, lo, hi, first, end);
    for (size_t i = *first; i < *end; i++)
        c->tmark[seg->tdoc[i]] = 1;
    return 0;
}

static struct bm25 bm25_of(const struct ctx *c, double df)
{
    const struct sc_snap *s = c->snap;
    double N = c->para ? (double)s->total_para : (double)s->ndocs;
    if (N < 1)
        N = 1;
    if (c->para && s->ndocs)
        df = df * (double)s->total_para / (double)s->ndocs;
    if (df > N)
        df = N;
    double avg = (double)s->total_norm / N;
    if (avg < 1)
        avg = 1;
    struct bm25 b = {log(1.0 + (N - df + 0.5) / (df + 0.5)), BM25_K1 * (1 - BM25_B),
                     BM25_K1 * BM25_B / avg};
    return b;
}

/* Does the term occur in the document all cursors of t are on? Reads the
 * positions one at a time and stops at the first match; the rest are
 * skipped (cheaply) when the cursors move on. */
static int exists_doc(struct tcur *t)
{
    uint32_t val[SC_QUERY_MAX_TERM_BYTES / 2 + 2];
    size_t k = t->k;
    int found = 1;
    for (size_t j = 0; j < k; j++) {
        sc_pcur_pos_open(&t->cur[j]);
        if (found && !sc_pcur_pos_next(&t->cur[j], &val[j]))
            found = 0;
    }
    uint32_t st = 0; /* candidate start */
    while (found) {
        int moved = 0;
        for (size_t oi = 0; oi < k && found && !moved; oi++) {
            size_t j = t->order[oi];
            uint32_t want = st + t->offs[j];
            while (val[j] < want)
                if (!sc_pcur_pos_next(&t->cur[j], &val[j])) {
                    found = 0;
                    break;
                }
            if (found && val[j] > want) {
                st = val[j] - t->offs[j];
                moved = 1;
            }
        }
        if (found && !moved)
            break;
    }
    for (size_t j = 0; j < k; j++)
        sc_pcur_pos_close(&t->cur[j]);
    return found;
}

static void topk_add(struct ctx *c, double score)
{
    double *h = c->topk_h;
    size_t n = c->topk_n, i;
    if (n < c->topk_k) {
        i = c->topk_n++;
        while (i > 0 && h[(i - 1) / 2] > score) {
            h[i] = h[(i - 1) / 2];
            i = (i - 1) / 2;
        }
        h[i] = score;
        return;
    }
    if (score <= h[0])
        return;
    i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        double mv = score;
        if (l < n && h[l] < mv)
            m = l, mv = h[l];
        if (r < n && h[r] < mv)
            m = r;
        if (m == i)
            break;
        h[i] = h[m];
        i = m;
    }
    h[i] = score;
}

/* A query of one term of three or more characters in document mode: the
 * units are scored as they are found, and a document whose score cannot
 * reach the best k so far (an upper bound from its pairs' tf and a
 * possible title boost) is only checked for a match, not counted out. Its
 * score is set below every real one, so ranking and totals are those of
 * the full evaluation. */
static int eval_term_topk(struct ctx *c, const struct sc_qnode *q, const uint32_t *cps, size_t n,
                          struct ulist *out)
{
    struct bm25 b = bm25_of(c, leaf_df(c, cps, n));
    struct tcur *t = sc_malloc(sizeof *t);
    if (!t)
        return oom(c);
    int rc = 0;
    for (size_t si = 0; si < c->snap->nseg && !rc; si++) {
        const struct sc_seg *seg = c->snap->segs[si];
        uint32_t gbase = c->snap->base[si];
        size_t f, e;
        if (title_marks(c, seg, cps, n, &f, &e)) {
            rc = -1;
            break;
        }
        if (tcur_open(t, seg, cps, n)) {
            uint32_t target = 0;
            size_t ci = 0;
            while (!rc && tcur_align(t, &target, NULL, 0, &ci)) {
                if (target >= seg->ndocs)
                    break;
                const struct sc_sdoc *d = &seg->docs[target];
                uint32_t tfub = UINT32_MAX;
                for (size_t j = 0; j < t->k; j++)
                    if (t->cur[j].tf < tfub)
                        tfub = t->cur[j].tf;
                double boost = c->tmark[target] ? TITLE_BOOST : 1.0;
                /* a document withholding text from this caller is counted in
                 * full: its first occurrence may be a withheld one */
                int withholds = c->vis && c->snap->paidmask[gbase + target];
                if (c->topk_n == c->topk_k && !withholds &&
                    bm25(&b, tfub, d->norm_len) * boost < c->topk_h[0]) {
                    if (exists_doc(t))
                        rc = ul_push(c, out, gbase + target, -1.0, 1, 0);
                } else {
                    size_t ns = verify_doc(c, t);
                    if (!c->err)
                        ns = keep_visible(c, gbase + target, c->starts, ns, n);
                    if (c->err) {
                        rc = -1;
                    } else if (ns) {
                        int title = c->tmark[target] &&
                                    d->title_norm.len >= q->len &&
                                    memmem(d->title_norm.p, d->title_norm.len, q->text, q->len);
                        double sc = bm25(&b, (double)ns, d->norm_len) * (title ? TITLE_BOOST : 1);
                        rc = ul_push(c, out, gbase + target, sc, (uint32_t)ns, 0);
                        topk_add(c, sc);
                    }
                }
                target++;
            }
        }
        for (size_t i = f; i < e; i++)
            c->tmark[seg->tdoc[i]] = 0;
    }
    free(t);
    return rc || c->err ? -1 : 0;
}

static int eval_term(struct ctx *c, const struct sc_qnode *q, const struct cand *cand,
                     struct ulist *out)
{
    uint32_t cps[SC_QUERY_MAX_TERM_BYTES];
    size_t n = decode_cps(q->text, q->len, cps, SC_QUERY_MAX_TERM_BYTES);
    if (n == 0)
        return 0;
    if (q == c->topk_term && n >= 3 && !cand->units && !cand->mask)
        return eval_term_topk(c, q, cps, n, out);
    struct bm25 bm;
    if (!c->exists) {
        bm = bm25_of(c, leaf_df(c, cps, n));
        c->bm = &bm;
    }
    c->cu = c->para ? cand->units : NULL;
    c->cui = 0;
    for (size_t si = 0; si < c->snap->nseg; si++) {
        size_t from = out->n;
        if (eval_term_seg(c, si, cps, n, cand, out)) {
            c->bm = NULL;
            c->cu = NULL;
            return -1;
        }
        if (c->para || out->n == from || c->exists)
            continue;
        /* the title boost: the documents whose title holds the term */
        const struct sc_seg *seg = c->snap->segs[si];
        size_t f, e;
        if (title_marks(c, seg, cps, n, &f, &e)) {
            c->bm = NULL;
            c->cu = NULL;
            return -1;
        }
        if (f == e)
            continue;
        uint32_t gbase = c->snap->base[si];
        for (size_t i = from; i < out->n; i++) {
            uint32_t d = (uint32_t)out->v[i].unit - gbase;
            if (c->tmark[d]) {
                /* for one or two characters holding the pair is holding
                 * the term; longer terms are confirmed in the title */
                const struct sc_sdoc *sd = &seg->docs[d];
                if (n <= 2 || (sd->title_norm.len >= q->len &&
                               memmem(sd->title_norm.p, sd->title_norm.len, q->text, q->len)))
                    out->v[i].score *= TITLE_BOOST;
            }
        }
        for (size_t i = f; i < e; i++)
            c->tmark[seg->tdoc[i]] = 0;
    }
    c->bm = NULL;
    c->cu = NULL;
    return 0;
}

static int str_eq(struct sc_str32 s, const char *t, size_t len)
{
    return s.len == len && memcmp(s.p, t, len) == 0;
}

static int str_has(struct sc_str32 s, const char *t, size_t len)
{
    return s.len >= len && memmem(s.p, s.len, t, len) != NULL;
}

/* Field predicates on a document. */
static int doc_pred(const struct ctx *c, const struct sc_qnode *q, const struct sc_sdoc *d,
                    uint32_t g)
{
    switch (q->kind) {
    case SC_Q_TITLE:
        return str_has(d->title_norm, q->text, q->len);
    case SC_Q_GENRE:
        return str_eq(d->genre, q->text, q->len);
    case SC_Q_LEVEL:
        return str_eq(d->level, q->text, q->len);
    case SC_Q_UNIT:
        return str_has(d->unit, q->text, q->len);
    case SC_Q_YEAR:
        return d->year >= q->year_from && d->year <= q->year_to;
    case SC_Q_SECTION:
        return ((c->hide ? c->snap->fkey[g].kinds_shown : d->kinds) >> q->section) & 1;
    case SC_Q_DOCNO:
        return q->exact ? str_eq(d->docno, q->text, q->len) : str_has(d->docno, q->text, q->len);
    case SC_Q_DATE: return d->date && d->date >= q->date_from && d->date <= q->date_to;
    default:
        return 0;
    }
}

static int is_pred(const struct sc_qnode *q)
{
    return q->kind >= SC_Q_TITLE;
}

/* Does the unit satisfy predicate q (a field leaf)? */
static int unit_pred(const struct ctx *c, const struct sc_qnode *q, uint64_t unit)
{
    const struct sc_sdoc *d = doc_of(c->snap, unit_ord(c, unit), NULL);
    uint32_t g = unit_ord(c, unit);
    if (!doc_pred(c, q, d, g))
        return 0;
    if (c->para && q->kind == SC_Q_SECTION) {
        uint32_t p = (uint32_t)unit;
        uint32_t s = d->para[p].norm, e = d->para[p + 1].norm - 1;
        struct sc_seen sb;
        return sc_in_kinds(d, c->hide ? seen_of(c, g, &sb) : NULL, s, e > s ? e : s,
                           1u << q->section);
    }
    return 1;
}

/* Every unit allowed by cand passing all preds (npred may be 0). */
static int universe(struct ctx *c, const struct sc_qnode *const *preds, size_t npred,
                    const struct cand *cand, struct ulist *out)
{
    const struct sc_snap *s = c->snap;
    if (cand->units) {
        const struct ulist *u = cand->units;
        if (ul_reserve(c, out, u->n))
            return -1;
        for (size_t i = 0; i < u->n; i++) {
            uint64_t unit = u->v[i].unit;
            if (cand->mask && !cand->mask[unit_ord(c, unit)])
                continue;
            int ok = 1;
            for (size_t p = 0; p < npred && ok; p++)
                ok = unit_pred(c, preds[p], unit);
            if (ok)
                out->v[out->n++] = (struct uent){unit, 0, 0, 0};
        }
        return 0;
    }
    for (size_t si = 0; si < s->nseg; si++) {
        const struct sc_seg *seg = s->segs[si];
        for (uint32_t d = 0; d < seg->ndocs; d++) {
            uint32_t g = s->base[si] + d;
            if (cand->mask && !cand->mask[g])
                continue;
            int dok = 1;
            for (size_t i = 0; i < npred && dok; i++)
                dok = doc_pred(c, preds[i], &seg->docs[d], g);
            if (!dok)
                continue;
            uint32_t np = c->para ? seg->docs[d].npara : 1;
            for (uint32_t p = 0; p < np; p++) {
                uint64_t unit = c->para ? ((uint64_t)g << 32) | p : g;
                int ok = 1;
                for (size_t i = 0; i < npred && ok && c->para; i++)
                    ok = unit_pred(c, preds[i], unit);
                if (ok && ul_push(c, out, unit, 0, 0, 0))
                    return -1;
            }
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- algebra */

/* a := a AND b, where b is a subset of a (scores and counts add up). */
static void ul_and(struct ulist *a, const struct ulist *b)
{
    size_t i = 0, j = 0, w = 0;
    while (i < a->n && j < b->n) {
        if (a->v[i].unit < b->v[j].unit)
            i++;
        else if (a->v[i].unit > b->v[j].unit)
            j++;
        else {
            a->v[w] = a->v[i];
            a->v[w].score += b->v[j].score;
            a->v[w].count += b->v[j].count;
            w++, i++, j++;
        }
    }
    a->n = w;
}

static int ul_or(struct ctx *c, struct ulist *a, const struct ulist *b)
{
    if (!b->n)
        return 0;
    struct ulist r = {0};
    if (ul_reserve(c, &r, a->n + b->n))
        return -1;
    size_t i = 0, j = 0;
    while (i < a->n || j < b->n) {
        if (j >= b->n || (i < a->n && a->v[i].unit < b->v[j].unit)) {
            r.v[r.n++] = a->v[i++];
        } else if (i >= a->n || b->v[j].unit < a->v[i].unit) {
            r.v[r.n++] = b->v[j++];
        } else {
            r.v[r.n] = a->v[i];
            r.v[r.n].score += b->v[j].score;
            r.v[r.n].count += b->v[j].count;
            r.n++, i++, j++;
        }
    }
    ul_free(a);
    *a = r;
    return 0;
}

static void ul_not(struct ulist *a, const struct ulist *b)
{
    size_t i = 0, j = 0, w = 0;
    while (i < a->n) {
        while (j < b->n && b->v[j].unit < a->v[i].unit)
            j++;
        if (j < b->n && b->v[j].unit == a->v[i].unit) {
            i++;
            continue;
        }
        a->v[w++] = a->v[i++];
    }
    a->n = w;
}

static int eval(struct ctx *c, const struct sc_qnode *q, const struct cand *cand,
                struct ulist *out);

/* Estimated number of documents a node matches (to order an AND). */
static double estimate(const struct ctx *c, const struct sc_qnode *q)
{
    double N = c->snap->ndocs;
    switch (q->kind) {
    case SC_Q_TERM: {
        uint32_t cps[SC_QUERY_MAX_TERM_BYTES];
        size_t n = decode_cps(q->text, q->len, cps, SC_QUERY_MAX_TERM_BYTES);
        return term_df(c, cps, n);
    }
    case SC_Q_AND: {
        double m = N;
        for (size_t i = 0; i < q->nkids; i++)
            if (q->kids[i]->kind != SC_Q_NOT && !is_pred(q->kids[i])) {
                double e = estimate(c, q->kids[i]);
                if (e < m)
                    m = e;
            }
        return m;
    }
    case SC_Q_OR: {
        double s = 0;
        for (size_t i = 0; i < q->nkids; i++)
            s += estimate(c, q->kids[i]);
        return s < N ? s : N;
    }
    default:
        return N;
    }
}

static int eval_and(struct ctx *c, const struct sc_qnode *q, const struct cand *cand,
                    struct ulist *out)
{
    const struct sc_qnode *preds[SC_QUERY_MAX_NODES], *pos[SC_QUERY_MAX_NODES];
    double est[SC_QUERY_MAX_NODES];
    size_t npred = 0, npos = 0;
    for (size_t i = 0; i < q->nkids; i++) {
        const struct sc_qnode *k = q->kids[i];
        if (is_pred(k))
            preds[npred++] = k;
        else if (k->kind != SC_Q_NOT) {
            est[npos] = estimate(c, k);
            pos[npos++] = k;
        }
    }
    /* the field filters first: a document mask */
    uint8_t *own = NULL;
    struct cand cc = *cand;
    if (npred && npos) {
        const struct sc_snap *s = c->snap;
        own = sc_malloc(s->ndocs ? s->ndocs : 1);
        if (!own)
            return oom(c);
        for (size_t si = 0; si < s->nseg; si++)
            for (uint32_t d = 0; d < s->segs[si]->ndocs; d++) {
                uint32_t g = s->base[si] + d;
                int ok = !cand->mask || cand->mask[g];
                for (size_t p = 0; p < npred && ok; p++)
                    ok = doc_pred(c, preds[p], &s->segs[si]->docs[d], g);
                own[g] = (uint8_t)ok;
            }
        cc.mask = own;
    }
    /* saved searches: a filter that leaves few documents (genre:, year:)
     * gives them as candidates, which cursors seek to, instead of a mask
     * the cursors read through */
    struct ulist own_units = { 0 };
    if (own && c->exists && !cand->units) {
        const struct sc_snap *s = c->snap;
        size_t allowed = 0;
        for (uint32_t g = 0; g < s->ndocs; g++)
            allowed += own[g];
        if (allowed * 4 < s->ndocs) {
            if (ul_reserve(c, &own_units, allowed ? allowed : 1)) {
                free(own);
                return -1;
            }
            for (uint32_t g = 0; g < s->ndocs; g++)
                if (own[g])
                    own_units.v[own_units.n++] = (struct uent){ g, 0, 0, 0 };
            cc.units = &own_units;
        }
    }
    int rc = 0;
    if (!npos) {
        rc = universe(c, preds, npred, cand, out);
    } else {
        /* rarest first; each next one only where the previous ones hold */
        for (size_t a = 1; a < npos; a++)
            for (size_t b = a; b > 0 && est[b] < est[b - 1]; b--) {
                double te = est[b];
                est[b] = est[b - 1];
                est[b - 1] = te;
                const struct sc_qnode *tq = pos[b];
                pos[b] = pos[b - 1];
                pos[b - 1] = tq;
            }
        rc = eval(c, pos[0], &cc, out);
        for (size_t i = 1; i < npos && !rc && out->n; i++) {
            struct ulist l = {0};
            struct cand ci = {cc.mask, out};
            rc = eval(c, pos[i], &ci, &l);
            if (!rc)
                ul_and(out, &l);
            ul_free(&l);
        }
        if (!rc && npred && c->para) {
            /* section: filters hold per paragraph */
            size_t w = 0;
            for (size_t i = 0; i < out->n; i++) {
                int ok = 1;
                for (size_t p = 0; p < npred && ok; p++)
                    ok = unit_pred(c, preds[p], out->v[i].unit);
                if (ok)
                    out->v[w++] = out->v[i];
            }
            out->n = w;
        }
    }
    for (size_t i = 0; i < q->nkids && !rc && out->n; i++) {
        const struct sc_qnode *k = q->kids[i];
        if (k->kind != SC_Q_NOT)
            continue;
        struct ulist l = {0};
        struct cand cn = {cc.mask, out};
        rc = eval(c, k->kids[0], &cn, &l);
        if (!rc)
            ul_not(out, &l);
        ul_free(&l);
    }
    free(own);
    ul_free(&own_units);
    return rc;
}

static int eval(struct ctx *c, const struct sc_qnode *q, const struct cand *cand,
                struct ulist *out)
{
    switch (q->kind) {
    case SC_Q_TERM:
        return eval_term(c, q, cand, out);
    case SC_Q_AND:
        return eval_and(c, q, cand, out);
    case SC_Q_OR:
        for (size_t i = 0; i < q->nkids; i++) {
            if (i == 0) {
                if (eval(c, q->kids[0], cand, out))
                    return -1;
                continue;
            }
            struct ulist l = {0};
            int rc = eval(c, q->kids[i], cand, &l) || ul_or(c, out, &l);
            ul_free(&l);
            if (rc)
                return -1;
        }
        return 0;
    case SC_Q_NOT: {
        if (universe(c, NULL, 0, cand, out))
            return -1;
        struct ulist l = {0};
        struct cand cn = {cand->mask, out};
        int rc = eval(c, q->kids[0], &cn, &l);
        if (!rc)
            ul_not(out, &l);
        ul_free(&l);
        return rc;
    }
    default: {
        const struct sc_qnode *p = q;
        return universe(c, &p, 1, cand, out);
    }
    }
}

static uint32_t collect_kinds(const struct sc_qnode *q)
{
    if (!q)
        return 0;
    uint32_t m = q->kind == SC_Q_SECTION ? 1u << q->section : 0;
    for (size_t i = 0; i < q->nkids; i++)
        m |= collect_kinds(q->kids[i]);
    return m;
}

/* Positive terms (not under a NOT), for highlighting; deduplicated. */
static void collect_terms(const struct sc_qnode *q, const struct sc_qnode **out, size_t *n)
{
    if (!q || q->kind == SC_Q_NOT)
        return;
    if (q->kind == SC_Q_TERM) {
        for (size_t i = 0; i < *n; i++)
            if (out[i]->len == q->len && memcmp(out[i]->text, q->text, q->len) == 0)
                return;
        out[(*n)++] = q;
        return;
    }
    for (size_t i = 0; i < q->nkids; i++)
        collect_terms(q->kids[i], out, n);
}

/* ---------------------------------------------------------------- ranking */

struct rank {
    double score;
    int year;
    int64_t id;
    size_t idx;
};

/* a ranks before b */
static int better(const struct rank *a, const struct rank *b)
{
    if (a->score != b->score)
        return a->score > b->score;
    if (a->year != b->year)
        return a->year > b->year;
    if (a->id != b->id)
        return a->id < b->id;
    return a->idx < b->idx;
}

static int cmp_rank(const void *x, const void *y)
{
    const struct rank *a = x, *b = y;
    return better(a, b) ? -1 : better(b, a) ? 1 : 0;
}

/* min-heap on "better": the root is the worst kept */
static void heap_down(struct rank *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && better(&h[m], &h[l]))
            m = l;
        if (r < n && better(&h[m], &h[r]))
            m = r;
        if (m == i)
            return;
        struct rank t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

/* ---------------------------------------------------------------- facets */

static int facet_push(struct sc_facet **v, size_t *n, const char *s, size_t len, int64_t count)
{
    struct sc_facet *nv = sc_reallocarray(*v, *n + 1, sizeof *nv);
    if (!nv)
        return -1;
    *v = nv;
    nv[*n].value = sc_strndup(s, len);
    if (!nv[*n].value)
        return -1;
    nv[*n].count = count;
    (*n)++;
    return 0;
}

static int cmp_facet(const void *x, const void *y)
{
    const struct sc_facet *a = x, *b = y;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->value, b->value);
}

#define FACET_YEAR_MIN 1900
#define FACET_YEAR_MAX 2199

/* Named facet values with their counts (names[i] counted in count[i]). */
static int names_emit(const struct sc_str32 *names, size_t n, const int64_t *count,
                      struct sc_facet **v, size_t *nv)
{
    for (size_t i = 1; i < n; i++)
        if (count[i] && facet_push(v, nv, names[i].p, names[i].len, count[i]))
            return -1;
    return 0;
}

/* Facet counting runs over every matching unit, so it counts into arrays
 * indexed by the snapshot's per-document facet keys and makes strings
 * only at the end. */
static int make_facets(struct ctx *c, const struct ulist *l, struct sc_facets *f)
{
    int64_t genre_n[SC_FACET_NAMES + 1] = { 0 }, level_n[SC_FACET_NAMES + 1] = { 0 };
    int64_t years[FACET_YEAR_MAX - FACET_YEAR_MIN + 1] = { 0 };
    int64_t kinds_n[SC_KIND_COUNT] = { 0 };
    const struct sc_facet_key *fkey = c->snap->fkey;
    for (size_t i = 0; i < l->n; i++) {
        uint64_t u = l->v[i].unit;
        uint32_t ord = unit_ord(c, u);
        const struct sc_facet_key *fk = &fkey[ord];
        genre_n[fk->genre]++;
        level_n[fk->level]++;
        if (fk->year >= FACET_YEAR_MIN && fk->year <= FACET_YEAR_MAX)
            years[fk->year - FACET_YEAR_MIN]++;
        uint32_t kinds = c->hide ? fk->kinds_shown : fk->kinds;
        if (c->para && kinds && (uint32_t)u == PARA_NONE) {
            kinds = 0; /* a paid part found: its sections are not told */
        } else if (c->para && kinds) {
            const struct sc_sdoc *d = doc_of(c->snap, ord, NULL);
            uint32_t s = d->para[(uint32_t)u].norm;
            struct sc_seen sb;
            const struct sc_seen *v = c->hide ? seen_of(c, ord, &sb) : NULL;
            kinds = 0;
            for (uint32_t k = 0; k < SC_KIND_COUNT; k++)
                if ((d->kinds >> k) & 1 && sc_in_kinds(d, v, s, s, 1u << k))
                    kinds |= 1u << k;
        }
        for (uint32_t k = 0; kinds && k < SC_KIND_COUNT; k++)
            kinds_n[k] += (kinds >> k) & 1;
    }
    if (names_emit(c->snap->genre_name, c->snap->ngenre_name, genre_n, &f->genre, &f->ngenre) ||
        names_emit(c->snap->level_name, c->snap->nlevel_name, level_n, &f->level, &f->nlevel))
        return -1;
    for (int y = FACET_YEAR_MAX; y >= FACET_YEAR_MIN; y--) { /* newest first */
        if (!years[y - FACET_YEAR_MIN])
            continue;
        char tmp[16];
        int k = snprintf(tmp, sizeof tmp, "%d", y);
        if (facet_push(&f->year, &f->nyear, tmp, (size_t)k, years[y - FACET_YEAR_MIN]))
            return -1;
    }
    for (uint32_t k = 0; k < SC_KIND_COUNT; k++) {
        if (!kinds_n[k])
            continue;
        const char *nm = sc_kind_name((enum sc_section_kind)k);
        if (facet_push(&f->kind, &f->nkind, nm, strlen(nm), kinds_n[k]))
            return -1;
    }
    if (f->ngenre)
        qsort(f->genre, f->ngenre, sizeof *f->genre, cmp_facet);
    if (f->nlevel)
        qsort(f->level, f->nlevel, sizeof *f->level, cmp_facet);
    if (f->nkind)
        qsort(f->kind, f->nkind, sizeof *f->kind, cmp_facet);
    return 0;
}

/* ---------------------------------------------------------------- hits */

/* Term positions in the hits' documents: per term, cursors that only move
 * forward while the hits are visited in index order. */
struct hterm {
    uint32_t cps[SC_QUERY_MAX_TERM_BYTES];
    size_t n;
    size_t seg;           /* segment the cursors are open on, or SIZE_MAX */
    struct tcur *t;       /* n >= 2 */
    struct sc_pcur *cc;   /* n == 1: one cursor per list of the key range */
    size_t ncc;
    int scan;             /* n == 1 with many lists: read the text store instead */
    int none;             /* no match possible in this segment */
    /* the starts found in the last document asked for (paragraph mode
     * asks again for each hit paragraph of a document) */
    uint32_t cdoc;
    int have;
    uint32_t *cpos;
    size_t ncpos, capcpos;
};

/* A one-character term whose key range has more lists than this finds its
 * occurrences in a hit from the text store (one pass over the document)
 * rather than by seeking a cursor in every list (engine.h). */
size_t sc_engine_scan_lists = 48;

struct hpos {
    uint32_t *pos;
    uint8_t *which;
    size_t n, cap;
};

static int hpos_add(struct hpos *h, uint32_t p, uint8_t w)
{
    if (h->n == h->cap) {
        size_t nc = h->cap ? h->cap * 2 : 64;
        uint32_t *np = sc_reallocarray(h->pos, nc, sizeof *np);
        if (!np)
            return -1;
        h->pos = np;
        uint8_t *nw = sc_realloc(h->which, nc);
        if (!nw)
            return -1;
        h->which = nw;
        h->cap = nc;
    }
    h->pos[h->n] = p;
    h->which[h->n] = w;
    h->n++;
    return 0;
}

static int hterm_open(struct ctx *c, struct hterm *ht, size_t si)
{
    const struct sc_seg *seg = c->snap->segs[si];
    free(ht->cc);
    ht->cc = NULL;
    ht->ncc = 0;
    ht->seg = si;
    ht->none = 0;
    ht->have = 0;
    if (ht->n >= 2) {
        if (!ht->t && !(ht->t = sc_malloc(sizeof *ht->t)))
            return oom(c);
        ht->none = !tcur_open(ht->t, seg, ht->cps, ht->n);
        return 0;
    }
    size_t f, e;
    sc_seg_range(seg, sc_pair_key(ht->cps[0], 0), sc_pair_key(ht->cps[0], SC_PAIR_END), &f, &e);
    ht->none = f == e;
    ht->scan = e - f > sc_engine_scan_lists;
    if (f == e || ht->scan)
        return 0;
    ht->cc = sc_malloc((e - f) * sizeof *ht->cc);
    if (!ht->cc)
        return oom(c);
    for (size_t x = f; x < e; x++)
        if (sc_pcur_init(&ht->cc[ht->ncc], seg, x) == SC_OK)
            ht->ncc++;
    return 0;
}

/* The occurrences of the one-character term ht in local document doc of
 * segment seg, read from the text store: an identity paragraph's
 * normalised code points are its original ones folded (sc_fold_cp), any
 * other paragraph is normalised again. */
static int hterm_scan(struct ctx *c, struct hterm *ht, const struct sc_seg *seg, uint32_t doc)
{
    const struct sc_sdoc *d = &seg->docs[doc];
    const struct sc_stext *t = &seg->text;
    const uint32_t ch = ht->cps[0];
    uint64_t base = t->start[doc], ncodes = t->start[doc + 1] - base;
    struct sc_buf orig = SC_BUF_INIT, norm = SC_BUF_INIT;
    int rc = 0;
    for (uint32_t p = 0; p < d->npara && !rc; p++) {
        uint32_t ns = d->para[p].norm, ne = d->para[p + 1].norm - 1; /* the '\n' excluded */
        if (ne <= ns)
            continue;
        if (d->para[p].ident) {
            uint64_t o = d->para[p].orig_cp;
            if (o + (ne - ns) > ncodes)
                continue; /* damaged */
            for (uint32_t i = 0; i < ne - ns; i++) {
                uint32_t cp = sc_stext_cp(t, base + o + i);
                if (cp != ch && sc_fold_cp(cp) != ch)
                    continue;
                if (ht->ncpos == ht->capcpos &&
                    grow_u32(c, &ht->cpos, &ht->capcpos, ht->ncpos + 1)) {
                    rc = -1;
                    break;
                }
                ht->cpos[ht->ncpos++] = ns + i;
            }
            continue;
        }
        orig.len = norm.len = 0;
        if (sc_seg_text_utf8(seg, doc, d->para[p].orig_cp, d->para[p + 1].orig_cp - 1, &orig) !=
                SC_OK ||
            sc_normalize(orig.data ? orig.data : "", orig.len, &norm, NULL) != SC_OK) {
            rc = oom(c);
            break;
        }
        uint32_t i = 0;
        for (size_t k = 0; k < norm.len && ns + i < ne; i++) {
            uint32_t cp;
            size_t m = sc_utf8_decode(norm.data + k, norm.len - k, &cp);
            k += m ? m : 1;
            if (cp != ch)
                continue;
            if (ht->ncpos == ht->capcpos && grow_u32(c, &ht->cpos, &ht->capcpos, ht->ncpos + 1)) {
                rc = -1;
                break;
            }
            ht->cpos[ht->ncpos++] = ns + i;
        }
    }
    sc_buf_release(&orig);
    sc_buf_release(&norm);
    return rc;
}

/* Match starts of term ht in local document doc into ht->cpos. */
static int hterm_find(struct ctx *c, struct hterm *ht, uint32_t doc)
{
    ht->ncpos = 0;
    if (ht->none)
        return 0;
    if (ht->scan)
        return hterm_scan(c, ht, c->snap->segs[ht->seg], doc);
    if (ht->n >= 2) {
        uint32_t target = doc;
        size_t ci = 0;
        if (!tcur_align(ht->t, &target, NULL, 0, &ci) || target != doc)
            return 0;
        size_t ns = verify_doc(c, ht->t);
        if (c->err)
            return -1;
        if (grow_u32(c, &ht->cpos, &ht->capcpos, ns))
            return -1;
        if (ns)
            memcpy(ht->cpos, c->starts, ns * sizeof *ht->cpos);
        ht->ncpos = ns;
        return 0;
    }
    for (size_t x = 0; x < ht->ncc; x++) {
        struct sc_pcur *cur = &ht->cc[x];
        if (!sc_pcur_seek(cur, doc) || cur->doc != doc)
            continue;
        if (grow_u32(c, &ht->cpos, &ht->capcpos, ht->ncpos + cur->tf))
            return -1;
        sc_pcur_positions(cur, ht->cpos + ht->ncpos);
        ht->ncpos += cur->tf;
    }
    /* the per-list runs, merged: a character that follows itself by many
     * others in a long document makes many interleaved runs */
    if (ht->ncpos > 1)
        qsort(ht->cpos, ht->ncpos, sizeof *ht->cpos, cmp_u32);
    return 0;
}

/* Match starts of term ht in local document doc, appended to hp. */
static int hterm_doc(struct ctx *c, struct hterm *ht, uint32_t doc, uint8_t which,
                     struct hpos *hp)
{
    if (!ht->have || ht->cdoc != doc) {
        if (hterm_find(c, ht, doc))
            return -1;
        ht->cdoc = doc;
        ht->have = 1;
    }
    for (size_t i = 0; i < ht->ncpos; i++)
        if (hpos_add(hp, ht->cpos[i], which))
            return oom(c);
    return 0;
}

struct hord {
    uint32_t ord;
    size_t hit;
};

static int cmp_hord(const void *x, const void *y)
{
    const struct hord *a = x, *b = y;
    return a->ord < b->ord ? -1 : a->ord > b->ord ? 1 : (a->hit > b->hit) - (a->hit < b->hit);
}

static enum sc_err make_hits(struct ctx *c, const struct sc_textsrc *src,
                             const struct uent *const *u, size_t nh,
                             const struct sc_qnode *const *terms, size_t nterms,
                             struct sc_hit *hits)
{
    enum sc_err e = SC_OK;
    struct hterm *ht = sc_calloc(nterms ? nterms : 1, sizeof *ht);
    struct hord *ho = sc_malloc((nh ? nh : 1) * sizeof *ho);
    struct sc_qterm qt[SC_QUERY_MAX_NODES];
    struct hpos hp = {0};
    if (!ht || !ho) {
        e = SC_ENOMEM;
        goto out;
    }
    for (size_t t = 0; t < nterms; t++) {
        ht[t].n = decode_cps(terms[t]->text, terms[t]->len, ht[t].cps, SC_QUERY_MAX_TERM_BYTES);
        ht[t].seg = SIZE_MAX;
        qt[t].text = terms[t]->text;
        qt[t].len = terms[t]->len;
        qt[t].ncp = terms[t]->ncp;
        qt[t].cps = NULL;
    }
    for (size_t i = 0; i < nh; i++) {
        ho[i].ord = unit_ord(c, u[i]->unit);
        ho[i].hit = i;
    }
    qsort(ho, nh, sizeof *ho, cmp_hord);
    for (size_t k = 0; k < nh && e == SC_OK; k++) {
        size_t i = ho[k].hit;
        struct sc_hit *h = &hits[i];
        size_t si;
        const struct sc_sdoc *d = doc_of(c->snap, ho[k].ord, &si);
        uint32_t local = ho[k].ord - c->snap->base[si];
        int paid_only = u[i]->score == PAID_ONLY_SCORE;
        h->id = d->id;
        h->score = paid_only ? 0 : u[i]->score;
        h->count = paid_only ? -1 : (int64_t)u[i]->count;
        h->year = d->year;
        h->paragraph = c->para && !paid_only ? (int64_t)(uint32_t)u[i]->unit : -1;
        h->title = sc_strndup(d->title.p, d->title.len);
        h->genre = d->genre.len ? sc_strndup(d->genre.p, d->genre.len) : NULL;
        if (d->docno.len < SC_DOCNO_MAX) {
            memcpy(h->docno, d->docno.p, d->docno.len);
            h->docno[d->docno.len] = '\0';
        }
        h->date = d->date;
        if (!h->title || (d->genre.len && !h->genre)) {
            e = SC_ENOMEM;
            break;
        }
        if (paid_only) {
            /* found in the paid part: that it is found, and nothing else */
            h->paid = h->paid_only = 1;
            continue;
        }
        /* the cut of this document; what this caller sees of it */
        struct sc_seen cut;
        sc_snap_seen(c->snap, ho[k].ord, c->hide, &cut);
        const struct sc_seen *seen = c->vis ? &cut : NULL;
        if (c->para) {
            h->section = sc_section_path(d, seen, d->para[h->paragraph].norm);
            if (!h->section) {
                e = SC_ENOMEM;
                break;
            }
        }
        /* positions of every positive term in this document */
        hp.n = 0;
        for (size_t t = 0; t < nterms; t++) {
            if (!ht[t].n)
                continue;
            if (ht[t].seg != si && hterm_open(c, &ht[t], si)) {
                e = c->err;
                break;
            }
            size_t from = hp.n;
            if (hterm_doc(c, &ht[t], local, (uint8_t)t, &hp)) {
                e = c->err ? c->err : SC_ENOMEM;
                break;
            }
            /* keep those in the section kinds asked for; note paid matches */
            size_t w = from;
            uint32_t tl = (uint32_t)ht[t].n;
            for (size_t x = from; x < hp.n; x++) {
                uint32_t p = hp.pos[x];
                if (c->vis && !sc_seen_visible(&cut, p, tl)) {
                    /* withheld: the paid part of a document found in its free
                     * text also matches (told only while paid parts are
                     * searched for this caller) */
                    if (c->paid_matches && !c->para &&
                        (!c->kindmask || sc_in_kinds(d, NULL, p, p + tl, c->kindmask)))
                        h->paid = 1;
                    continue;
                }
                if (c->kindmask && !sc_in_kinds(d, seen, p, p + tl, c->kindmask))
                    continue;
                if (!c->vis && !sc_seen_visible(&cut, p, tl) &&
                    (!c->para || sc_sdoc_para_of(d, p) == (uint32_t)h->paragraph))
                    h->paid = 1;
                hp.pos[w] = p;
                hp.which[w] = hp.which[x];
                w++;
            }
            hp.n = w;
        }
        if (e != SC_OK)
            break;
        e = sc_snippets_make(d, src, qt, nterms, hp.pos, hp.which, hp.n, h->paragraph,
                             c->kindmask, seen, h);
    }
out:
    if (ht)
        for (size_t t = 0; t < nterms; t++) {
            free(ht[t].t);
            free(ht[t].cc);
            free(ht[t].cpos);
        }
    free(ht);
    free(ho);
    free(hp.pos);
    free(hp.which);
    return e;
}

static void ctx_release(struct ctx *c)
{
    for (size_t i = 0; i < SC_QUERY_MAX_TERM_BYTES; i++)
        free(c->pb[i]);
    free(c->starts);
    free(c->cdocs);
    free(c->tf);
    free(c->fill);
    free(c->allpos);
    free(c->blk);
    free(c->pcnt);
    free(c->tmark);
    free(c->topk_h);
    memset(c, 0, sizeof *c);
}

static int has_term(const struct sc_qnode *q)
{
    if (!q)
        return 0;
    if (q->kind == SC_Q_TERM)
        return 1;
    for (size_t i = 0; i < q->nkids; i++)
        if (has_term(q->kids[i]))
            return 1;
    return 0;
}

int sc_engine_needs_paid(const struct sc_snap *snap, const char *query)
{
    if (!snap || !snap->npaid || !query)
        return 0;
    size_t len = strlen(query);
    if (len > SC_MAX_QUERY_BYTES)
        return 0;
    struct sc_query q;
    int yes = sc_query_parse(query, len, &q, NULL) == SC_OK && has_term(q.root);
    sc_query_release(&q);
    return yes;
}

/* The documents found only in their paid part (res holds what the
 * caller's own text matched): the query evaluated again on the documents
 * that withhold something, with their paid text, less the units already
 * found; each becomes one unit of score PAID_ONLY_SCORE appended to res. */
static int paid_only(struct ctx *c, const struct sc_qnode *root, struct ulist *res,
                     size_t *nfound)
{
    struct ctx f;
    memset(&f, 0, sizeof f);
    f.snap = c->snap;
    f.opts = c->opts;
    f.para = c->para;
    f.kindmask = c->kindmask;
    f.diag = c->diag;
    struct cand pm = {c->snap->paidmask, NULL};
    struct ulist full = {0};
    int rc = eval(&f, root, &pm, &full);
    enum sc_err err = f.err;
    ctx_release(&f);
    if (rc) {
        ul_free(&full);
        c->err = err ? err : sc_diag_set(c->diag, SC_ENOMEM, "out of memory");
        return -1;
    }
    /* res is sorted by unit; so is full */
    size_t n0 = res->n, j = 0;
    uint32_t last = UINT32_MAX;
    for (size_t i = 0; i < full.n && !rc; i++) {
        uint64_t u = full.v[i].unit;
        while (j < n0 && res->v[j].unit < u)
            j++;
        if (j < n0 && res->v[j].unit == u)
            continue;
        uint32_t ord = unit_ord(c, u);
        if (c->para) {
            if (ord == last)
                continue; /* one unit per document: its paid part */
            last = ord;
            u = ((uint64_t)ord << 32) | PARA_NONE;
        }
        rc = ul_push(c, res, u, PAID_ONLY_SCORE, 0, 0);
    }
    *nfound = res->n - n0;
    ul_free(&full);
    return rc;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

enum sc_err sc_engine_search(const struct sc_snap *snap, const struct sc_textsrc *src,
                             const struct sc_search_opts *opts, struct sc_results *out,
                             struct sc_diag *diag)
{
    return sc_engine_search_ex(snap, src, opts, 0, out, diag);
}

enum sc_err sc_engine_search_ex(const struct sc_snap *snap, const struct sc_textsrc *src,
                                const struct sc_search_opts *opts, int flags,
                                struct sc_results *out, struct sc_diag *diag)
{
    double t0 = now_ms();
    memset(out, 0, sizeof *out);
    const char *qs = opts->query ? opts->query : "";
    size_t qlen = strlen(qs);
    if (qlen > SC_MAX_QUERY_BYTES)
        return sc_diag_set(diag, SC_ELIMIT, "query too long (%zu bytes, at most %d)", qlen,
                           SC_MAX_QUERY_BYTES);
    if (opts->limit > SC_MAX_LIMIT)
        return sc_diag_set(diag, SC_ELIMIT, "limit %zu is over the maximum of %d", opts->limit,
                           SC_MAX_LIMIT);
    if (opts->offset > 100000)
        return sc_diag_set(diag, SC_ELIMIT, "offset %zu is too large", opts->offset);
    struct sc_query q;
    enum sc_err e = sc_query_parse(qs, qlen, &q, diag);
    if (e != SC_OK) {
        sc_query_release(&q);
        return e;
    }
    if (!q.root) {
        sc_query_release(&q);
        return sc_diag_set(diag, SC_EPARSE, "empty query");
    }
    struct ctx c;
    memset(&c, 0, sizeof c);
    c.snap = snap;
    c.opts = opts;
    c.para = opts->mode == SC_SEARCH_PARA;
    c.kindmask = collect_kinds(q.root);
    c.diag = diag;
    c.vis = !opts->entitled;
    c.hide = c.vis && !(opts->caller && opts->caller->view.headings);
    c.paid_matches = c.vis && (flags & SC_ENGINE_PAID_MATCHES) && snap->npaid && has_term(q.root);
    out->paid = !c.vis                                               ? SC_PAID_READ
                : c.paid_matches || !snap->npaid || !has_term(q.root) ? SC_PAID_FOUND
                                                                      : SC_PAID_FREE_ONLY;
    out->paid_left = -1;
    out->paid_why = "";
    struct ulist res = {0};
    struct cand all = {NULL, NULL};
    if (!c.para && q.root->kind == SC_Q_TERM && opts->limit && !(flags & SC_ENGINE_EXHAUSTIVE)) {
        c.topk_k = opts->offset + opts->limit;
        c.topk_h = sc_malloc(c.topk_k * sizeof *c.topk_h);
        if (c.topk_h)
            c.topk_term = q.root; /* else rank after evaluating */
    }
    if (eval(&c, q.root, &all, &res) != 0) {
        e = c.err ? c.err : sc_diag_set(diag, SC_ENOMEM, "out of memory");
        goto done;
    }
    if (c.paid_matches) {
        size_t np = 0;
        if (paid_only(&c, q.root, &res, &np)) {
            e = c.err ? c.err : sc_diag_set(diag, SC_ENOMEM, "out of memory");
            goto done;
        }
        out->paid_only = (int64_t)np;
    }
    out->total = (int64_t)res.n;
    if (opts->facets) {
        out->has_facets = 1;
        if (make_facets(&c, &res, &out->facets)) {
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
            goto done;
        }
    }
    size_t want = opts->offset + opts->limit;
    if (opts->limit && res.n > opts->offset) {
        if (want > res.n)
            want = res.n;
        struct rank *h = sc_malloc(want * sizeof *h);
        const struct uent **hu = sc_malloc(want * sizeof *hu);
        if (!h || !hu) {
            free(h);
            free(hu);
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
            goto done;
        }
        size_t nh = 0;
        for (size_t i = 0; i < res.n; i++) {
            struct rank r = {res.v[i].score, 0, 0, i};
            if (nh == want && r.score < h[0].score)
                continue; /* cannot enter: ties need the document */
            const struct sc_sdoc *d = doc_of(snap, unit_ord(&c, res.v[i].unit), NULL);
            r.year = d->year;
            r.id = d->id;
            if (nh < want) {
                h[nh++] = r;
                if (nh == want)
                    for (size_t k = want / 2 + 1; k-- > 0;)
                        heap_down(h, nh, k);
            } else if (better(&r, &h[0])) {
                h[0] = r;
                heap_down(h, nh, 0);
            }
        }
        qsort(h, nh, sizeof *h, cmp_rank);
        size_t nret = nh > opts->offset ? nh - opts->offset : 0;
        out->hits = nret ? sc_calloc(nret, sizeof *out->hits) : NULL;
        if (nret && !out->hits) {
            free(h);
            free(hu);
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < nret; i++)
            hu[i] = &res.v[h[opts->offset + i].idx];
        const struct sc_qnode *terms[SC_QUERY_MAX_NODES];
        size_t nterms = 0;
        collect_terms(q.root, terms, &nterms);
        out->nhits = nret;
        e = make_hits(&c, src, hu, nret, terms, nterms, out->hits);
        if (e != SC_OK)
            sc_diag_set(diag, e, "out of memory making results");
        free(h);
        free(hu);
    }
done:
    ul_free(&res);
    ctx_release(&c);
    sc_query_release(&q);
    out->took_ms = now_ms() - t0;
    if (!opts->entitled && snap->npaid)
        out->took_ms = ceil(out->took_ms); /* no fine clock on work over paid text */
    return e;
}

/* ---------------------------------------------------------------- saved searches */

enum sc_err sc_engine_match(const struct sc_snap *snap, const struct sc_query *const *qs, size_t nq,
                            int64_t after_id, sc_match_fn *fn, void *fctx, struct sc_diag *diag)
{
    /* the first ordinal above after_id: ids ascend with ordinals */
    uint32_t from = 0;
    while (from < snap->ndocs) {
        size_t si = sc_snap_seg_of(snap, from);
        const struct sc_seg *seg = snap->segs[si];
        if (!seg->ndocs || seg->docs[seg->ndocs - 1].id <= after_id) {
            from = snap->base[si] + seg->ndocs;
            continue;
        }
        uint32_t lo = 0, hi = seg->ndocs;
        while (lo < hi) {
            uint32_t m = lo + (hi - lo) / 2;
            if (seg->docs[m].id <= after_id)
                lo = m + 1;
            else
                hi = m;
        }
        from = snap->base[si] + lo;
        break;
    }
    uint8_t *mask = NULL;
    struct ulist units = { 0 };
    struct cand cand = { NULL, NULL };
    if (from > 0 && from < snap->ndocs) {
        uint32_t want = snap->ndocs - from;
        if (want * 4 < snap->ndocs) {
            /* few of many: candidate units, which cursors seek to */
            units.v = sc_malloc(want * sizeof *units.v);
            if (!units.v)
                return sc_diag_set(diag, SC_ENOMEM, "out of memory");
            for (uint32_t o = from; o < snap->ndocs; o++)
                units.v[units.n++] = (struct uent){ o, 0, 0, 0 };
            units.cap = want;
            cand.units = &units;
        } else {
            mask = sc_calloc(snap->ndocs, 1);
            if (!mask)
                return sc_diag_set(diag, SC_ENOMEM, "out of memory");
            memset(mask + from, 1, want);
            cand.mask = mask;
        }
    }
    if (from >= snap->ndocs)
        return SC_OK;
    struct sc_search_opts opts;
    memset(&opts, 0, sizeof opts);
    opts.mode = SC_SEARCH_DOC;
    struct ctx c;
    memset(&c, 0, sizeof c);
    c.snap = snap;
    c.opts = &opts;
    c.diag = diag;
    c.exists = 1;
    int64_t *ids = NULL;
    size_t cap = 0;
    enum sc_err e = SC_OK;
    /* one context for every query: the scratch arrays are reused */
    for (size_t qi = 0; qi < nq && e == SC_OK; qi++) {
        if (!qs[qi] || !qs[qi]->root)
            continue;
        c.kindmask = collect_kinds(qs[qi]->root);
        c.err = SC_OK;
        struct ulist res = { 0 };
        if (eval(&c, qs[qi]->root, &cand, &res) != 0) {
            e = c.err ? c.err : sc_diag_set(diag, SC_ENOMEM, "out of memory");
            ul_free(&res);
            break;
        }
        if (res.n > cap) {
            int64_t *grown = sc_reallocarray(ids, res.n, sizeof *ids);
            if (!grown) {
                ul_free(&res);
                e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
                break;
            }
            ids = grown;
            cap = res.n;
        }
        size_t n = res.n;
        for (size_t i = 0; i < n; i++)
            ids[i] = doc_of(snap, (uint32_t)res.v[i].unit, NULL)->id;
        ul_free(&res);
        if (n && fn(fctx, qi, ids, n))
            break;
    }
    free(ids);
    free(mask);
    ul_free(&units);
    for (size_t i = 0; i < SC_QUERY_MAX_TERM_BYTES; i++)
        free(c.pb[i]);
    free(c.starts);
    free(c.cdocs);
    free(c.tf);
    free(c.fill);
    free(c.allpos);
    free(c.blk);
    free(c.pcnt);
    free(c.tmark);
    return e;
}
