/*
 * The matcher of 查重 (docs/internals/check.md): every maximal common
 * substring of at least min code points between a draft and the paragraphs
 * of the indexed documents, from the index's own pair postings and text
 * store, with nothing but O(draft) memory of its own.
 *
 * A window is min consecutive code points of one draft paragraph; the
 * copied stretches are exactly the union of the windows that stand in some
 * library paragraph. Each window holds min - 1 pairs; an occurrence of the
 * window holds each of them at the same offset. So every window gets an
 * anchor: its two rarest pairs (by the bytes of their posting lists). The
 * co-occurrences of an anchor's two pairs at the right distance are
 * candidates; each is extended left and right against the text store to
 * its maximal match (or found to be none). Anchors run cheapest first, and
 * an anchor all of whose windows some earlier match already covers is not
 * run. That finds every window that stands in the library (the anchor of
 * an uncovered window is always run), and only those.
 */
#include "check/check_int.h"

#include "sucai/text.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* An anchor whose rarest list is this small is run alone: its positions
 * are fewer than the second list would cost to decode. */
#define SINGLE_BYTES 48

void ck_matches_release(struct ck_matches *m)
{
    free(m->m);
    memset(m, 0, sizeof *m);
}

/* Normalised form of a library code point in a paragraph that maps one for
 * one (text.h: rules 1-2). Ideographs and CJK punctuation are never
 * changed: the common case skips the call. */
static inline uint32_t lib_fold(uint32_t c)
{
    return c - 0x3001u < 0xFF01u - 0x3001u ? c : sc_fold_cp(c);
}

/* ---------------------------------------------------------------- keys */

struct kq {
    uint64_t key;
    uint32_t q;
};

static int kq_cmp(const void *a, const void *b)
{
    const struct kq *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->q < y->q ? -1 : x->q > y->q;
}

/* First dictionary entry of seg with key >= key, searching from lo on
 * (galloping: the keys come in increasing order). */
static size_t dict_seek(const struct sc_seg *seg, size_t lo, uint64_t key)
{
    size_t n = seg->npairs, step = 1, hi = lo;
    while (hi < n && seg->dict[hi].key < key) {
        lo = hi + 1;
        hi += step;
        step *= 2;
    }
    if (hi > n)
        hi = n;
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (seg->dict[m].key < key)
            lo = m + 1;
        else
            hi = m;
    }
    return lo;
}

static uint64_t list_bytes(const struct sc_seg *seg, size_t e)
{
    uint64_t end = e + 1 < seg->npairs ? seg->dict[e + 1].off : seg->post_len - SC_CODEC_PAD;
    return end - seg->dict[e].off;
}

/* ---------------------------------------------------------------- state */

struct anchor {
    uint32_t q1, q2; /* pair positions in the draft; q2 == q1 for a single */
    uint32_t left;   /* windows not yet covered */
    uint64_t cost;
    uint32_t wfirst, wlast; /* the first and last window it serves */
    uint32_t q3;            /* a third pair inside all of them, or UINT32_MAX */
    int ran;
};

/* The matches found so far, by (document ordinal, diagonal): open
 * addressing, so a lookup is mostly one probe into a table that holds only
 * matches (a few thousand). */
struct dent {
    uint32_t g1; /* document ordinal + 1; 0 = empty */
    uint32_t ds, de;
    int64_t diag; /* library position - draft position */
};

struct cand {
    uint32_t si, doc, x;
};
#define CBUF        64
#define CACHE_LIST  (64u << 10)
#define CACHE_TOTAL ((size_t)64 << 20)

/* The library paragraph being compared, in normalised code points. */
struct lpara {
    const struct sc_seg *seg;
    uint32_t doc, para;
    uint32_t ns, ne; /* normalised range */
    const struct sc_stext *t;
    uint64_t obase; /* code of position ns (one for one paragraphs) */
    int ident;
    struct sc_pnorm pn; /* other paragraphs: their normalised form */
    int valid;
};

struct ctx {
    const struct sc_snap *snap;
    const struct ck_draft *d;
    size_t min;
    uint32_t *plo, *phi;  /* per draft position: its paragraph [lo, hi) */
    uint32_t *covered;    /* per window start: covered (1) */
    uint32_t *win_anchor; /* per window start: anchor index, UINT32_MAX none */
    struct anchor *an;
    size_t nan;
    struct dent *ht;
    size_t hmask, hn;
    /* posting lists decoded once for all the anchors that use them: per
     * key index, the (document ordinal << 32 | position) of every
     * occurrence, in order; lists beyond CACHE_LIST bytes, or once
     * CACHE_TOTAL bytes are held, are read through cursors instead */
    uint64_t **lists;
    uint32_t *nlist;
    uint8_t *lstate; /* per key: 0 not tried, 1 cached, 2 not cached */
    size_t cached;
    const int32_t *ent;  /* per key and segment: dictionary entry or -1 */
    const int32_t *kidq; /* per draft pair position: key index */
    const uint64_t *kcost;
    /* candidates gathered so that their text is fetched together */
    struct cand cbuf[CBUF];
    size_t ncand;
    uint32_t cand_q;
    struct lpara lp;
    uint32_t *pa, *pb; /* positions of a document in two lists */
    size_t capa, capb;
    struct ck_matches *out;
    int vis;        /* only the text a caller who may not read paid text sees */
    uint8_t *found; /* vis: per document ordinal, a match reached its withheld range */
    int oom;
};

static inline size_t dhash(uint32_t g, int64_t diag)
{
    uint64_t h = ((uint64_t)g << 32 ^ (uint64_t)diag) * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 32);
}

/* Is draft position q on (document g, diag) inside a match found before? */
static int seen(const struct ctx *c, uint32_t g, int64_t diag, uint32_t q)
{
    if (!c->ht)
        return 0;
    for (size_t h = dhash(g, diag) & c->hmask; c->ht[h].g1; h = (h + 1) & c->hmask) {
        const struct dent *e = &c->ht[h];
        if (e->g1 == g + 1 && e->diag == diag && q >= e->ds && q < e->de)
            return 1;
    }
    return 0;
}

static int remember(struct ctx *c, uint32_t g, int64_t diag, uint32_t ds, uint32_t de)
{
    if (!c->ht || (c->hn + 1) * 2 > c->hmask) {
        size_t ncap = c->ht ? (c->hmask + 1) * 2 : 4096;
        struct dent *nt = sc_calloc(ncap, sizeof *nt);
        if (!nt)
            return -1;
        for (size_t i = 0; c->ht && i <= c->hmask; i++) {
            if (!c->ht[i].g1)
                continue;
            size_t h = dhash(c->ht[i].g1 - 1, c->ht[i].diag) & (ncap - 1);
            while (nt[h].g1)
                h = (h + 1) & (ncap - 1);
            nt[h] = c->ht[i];
        }
        free(c->ht);
        c->ht = nt;
        c->hmask = ncap - 1;
    }
    size_t h = dhash(g, diag) & c->hmask;
    while (c->ht[h].g1)
        h = (h + 1) & c->hmask;
    c->ht[h] = (struct dent){ g + 1, ds, de, diag };
    c->hn++;
    return 0;
}

/* ---------------------------------------------------------------- text */

/* Load paragraph para of (seg, doc) into c->lp. */
static int lp_load(struct ctx *c, const struct sc_seg *seg, uint32_t doc, uint32_t para)
{
    struct lpara *lp = &c->lp;
    if (lp->valid && lp->seg == seg && lp->doc == doc && lp->para == para)
        return 0;
    const struct sc_sdoc *sd = &seg->docs[doc];
    lp->seg = seg;
    lp->doc = doc;
    lp->para = para;
    lp->ns = sd->para[para].norm;
    lp->ne = sd->para[para + 1].norm - 1;
    lp->t = &seg->text;
    lp->ident = sd->para[para].ident;
    lp->obase = seg->text.start[doc] + sd->para[para].orig_cp;
    lp->valid = 1;
    if (lp->ident) {
        /* one for one, read from the store as compared (lp_at): as many
         * code points as the normalised range */
        uint64_t ncodes = seg->text.start[doc + 1] - seg->text.start[doc];
        if ((uint64_t)sd->para[para].orig_cp + (lp->ne - lp->ns) > ncodes)
            lp->ne = lp->ns; /* damaged: compare nothing */
        return 0;
    }
    /* normalised again from the text store */
    c->out->st.nonident++;
    if (sc_seg_para_norm(seg, doc, para, &lp->pn) != SC_OK) {
        lp->valid = 0;
        return -1;
    }
    /* the index's normalised length is the truth; a text that disagrees
     * (it cannot, short of damage) is compared no further than both */
    if (lp->pn.n < (size_t)(lp->ne - lp->ns))
        lp->ne = lp->ns + (uint32_t)lp->pn.n;
    return 0;
}

static inline uint32_t lp_at(const struct lpara *lp, uint32_t pos)
{
    if (lp->ident)
        return lib_fold(sc_stext_cp(lp->t, lp->obase + (pos - lp->ns)));
    return lp->pn.cp[pos - lp->ns];
}

/* ---------------------------------------------------------------- extend */

static void cover(struct ctx *c, uint32_t ds, uint32_t de)
{
    for (uint32_t a = ds; a + c->min <= de; a++) {
        if (c->covered[a])
            continue;
        c->covered[a] = 1;
        uint32_t ai = c->win_anchor[a];
        if (ai != UINT32_MAX && c->an[ai].left)
            c->an[ai].left--;
    }
}

static int extend_para(struct ctx *c, const struct sc_seg *seg, uint32_t doc, uint32_t para,
                       uint32_t q, uint32_t x, uint32_t *pds, uint32_t *pde, uint32_t *pls);
static void record(struct ctx *c, uint32_t g, int64_t diag, uint32_t si, uint32_t doc, uint32_t q,
                   uint32_t ds, uint32_t de, uint32_t ls);

/* A candidate: draft position q stands at normalised position x of
 * (segment si, doc). Extend to the maximal match on that diagonal. */
static void candidate(struct ctx *c, uint32_t si, uint32_t doc, uint32_t q, uint32_t x)
{
    c->out->st.candidates++;
    uint32_t g = c->snap->base[si] + doc;
    int64_t diag = (int64_t)x - (int64_t)q;
    if (seen(c, g, diag, q))
        return;
    const struct sc_seg *seg = c->snap->segs[si];
    const struct sc_stext *t = &seg->text;
    /* the stretch of the document around x whose normalised positions are
     * its text's code points shifted: the whole document, usually */
    uint64_t shift = 0;
    uint32_t rlo = 0, rhi = (uint32_t)(t->start[doc + 1] - t->start[doc]);
    if (!t->ident[doc]) {
        const struct sc_sdoc *sdoc = &seg->docs[doc];
        uint32_t nb = t->pfirst[doc + 1] - t->pfirst[doc];
        const struct sc_tpoint *bp = t->point + t->pfirst[doc];
        rhi = sdoc->norm_len;
        if (!nb)
            return;
        uint32_t lo = 0, hi = nb; /* last stretch with norm <= x */
        while (hi - lo > 1) {
            uint32_t m = lo + (hi - lo) / 2;
            if (bp[m].norm <= x)
                lo = m;
            else
                hi = m;
        }
        if (!bp[lo].ident) {
            uint32_t ds, de, ls;
            if (!extend_para(c, seg, doc, bp[lo].para, q, x, &ds, &de, &ls))
                record(c, g, diag, si, doc, q, ds, de, ls);
            return;
        }
        shift = bp[lo].shift;
        rlo = bp[lo].norm;
        rhi = lo + 1 < nb ? bp[lo + 1].norm : sdoc->norm_len;
    }
    if (x >= rhi)
        return;
    /* compared code by code; the text's '\n' (never in a draft paragraph)
     * ends the comparison at the paragraph's ends */
    const uint32_t *N = c->d->cp;
    uint32_t lo = c->plo[q], hi = c->phi[q];
    uint64_t base = t->start[doc] + shift;
    uint32_t i = q, j = x;
    c->out->st.extended++;
    while (i > lo && j > rlo && N[i - 1] == lib_fold(sc_stext_cp(t, base + j - 1)))
        i--, j--;
    uint32_t ds = i, ls = j;
    i = q, j = x;
    while (i < hi && j < rhi && N[i] == lib_fold(sc_stext_cp(t, base + j)))
        i++, j++;
    record(c, g, diag, si, doc, q, ds, i, ls);
}

/* Extension inside paragraph para, which is not one for one: the
 * paragraph normalised again (lp_load). 1 when there is nothing to record. */
static int extend_para(struct ctx *c, const struct sc_seg *seg, uint32_t doc, uint32_t para,
                       uint32_t q, uint32_t x, uint32_t *pds, uint32_t *pde, uint32_t *pls)
{
    if (lp_load(c, seg, doc, para)) {
        c->oom = 1;
        return 1;
    }
    const struct lpara *lp = &c->lp;
    if (x < lp->ns || x >= lp->ne)
        return 1;
    c->out->st.extended++;
    const uint32_t *N = c->d->cp;
    uint32_t lo = c->plo[q], hi = c->phi[q];
    uint32_t i = q, j = x;
    while (i > lo && j > lp->ns && N[i - 1] == lp_at(lp, j - 1))
        i--, j--;
    *pds = i, *pls = j;
    i = q, j = x;
    while (i < hi && j < lp->ne && N[i] == lp_at(lp, j))
        i++, j++;
    *pde = i;
    return 0;
}

/* Candidates are gathered, their memory asked for ahead, then run. */
static void flush(struct ctx *c)
{
    for (size_t k = 0; k < c->ncand; k++) {
        const struct cand *cd = &c->cbuf[k];
        const struct sc_seg *seg = c->snap->segs[cd->si];
        __builtin_prefetch(seg->text.codes + (seg->text.start[cd->doc] + cd->x) * seg->text.width);
    }
    for (size_t k = 0; k < c->ncand && !c->oom; k++)
        candidate(c, c->cbuf[k].si, c->cbuf[k].doc, c->cand_q, c->cbuf[k].x);
    c->ncand = 0;
}

static inline void push(struct ctx *c, uint32_t si, uint32_t doc, uint32_t x)
{
    const struct sc_seg *seg = c->snap->segs[si];
    __builtin_prefetch(seg->text.codes + (seg->text.start[doc] + x) * seg->text.width);
    if (c->ht)
        __builtin_prefetch(
            &c->ht[dhash(c->snap->base[si] + doc, (int64_t)x - c->cand_q) & c->hmask]);
    c->cbuf[c->ncand++] = (struct cand){ si, doc, x };
    if (c->ncand == CBUF)
        flush(c);
}

/* One match into the output, its windows covered. */
static void add_match(struct ctx *c, uint32_t si, uint32_t doc, uint32_t ds, uint32_t de,
                      uint32_t ls)
{
    struct ck_matches *o = c->out;
    if (o->n == o->cap) {
        size_t ncap = o->cap ? o->cap * 2 : 256;
        struct ck_match *nm = sc_reallocarray(o->m, ncap, sizeof *nm);
        if (!nm) {
            c->oom = 1;
            return;
        }
        o->m = nm;
        o->cap = ncap;
    }
    o->m[o->n++] = (struct ck_match){ ds, de, ls, si, doc };
    cover(c, ds, de);
}

/* A stretch found by extension: remembered for its diagonal, and a match
 * if it is long enough. With vis, the paywall (ck_find): a match reaching
 * into the withheld range [wf, wt) of document g marks it and leaves only
 * its parts outside, if they are long enough (each is maximal in the text
 * the caller sees: it ends where the withheld range begins). */
static void record(struct ctx *c, uint32_t g, int64_t diag, uint32_t si, uint32_t doc, uint32_t q,
                   uint32_t ds, uint32_t de, uint32_t ls)
{
    /* only matches are remembered: a stretch too short to be one is seldom
     * met again, and the chains stay short */
    if (de <= q || de - ds < c->min)
        return;
    if (remember(c, g, diag, ds, de)) {
        c->oom = 1;
        return;
    }
    uint32_t wf = c->snap->wf[g], wt = c->snap->wt[g], len = de - ds;
    if (!c->vis || wf == wt || ls + len <= wf || ls >= wt) {
        add_match(c, si, doc, ds, de, ls);
        return;
    }
    if (c->found)
        c->found[g] = 1;
    if (ls < wf && wf - ls >= c->min)
        add_match(c, si, doc, ds, ds + (wf - ls), ls);
    if (ls + len > wt && ls + len - wt >= c->min)
        add_match(c, si, doc, ds + (wt - ls), de, wt);
}

static int grow_pos(uint32_t **p, size_t *cap, size_t n)
{
    if (n <= *cap)
        return 0;
    size_t nc = n + n / 2 + 64;
    uint32_t *np = sc_realloc(*p, nc * sizeof *np);
    if (!np)
        return -1;
    *p = np;
    *cap = nc;
    return 0;
}

/* The decoded list of key k (NULL when it is not to be cached). */
static const uint64_t *list_of(struct ctx *c, int32_t k, uint32_t *n)
{
    if (c->lstate[k] == 1) {
        *n = c->nlist[k];
        return c->lists[k];
    }
    if (c->lstate[k] == 2 || c->kcost[k] > CACHE_LIST ||
        c->cached + c->kcost[k] * 8 > CACHE_TOTAL) {
        c->lstate[k] = 2;
        return NULL;
    }
    c->lstate[k] = 2;
    size_t nseg = c->snap->nseg, cnt = 0, cap = 0;
    uint64_t *v = NULL;
    for (size_t s = 0; s < nseg; s++) {
        int32_t e = c->ent[(size_t)k * nseg + s];
        struct sc_pcur cur;
        if (e < 0 || sc_pcur_init(&cur, c->snap->segs[s], (size_t)e) != SC_OK)
            continue;
        if (sc_pcur_decode_all(&cur, c->snap->base[s], &v, &cnt, &cap)) {
            free(v);
            c->oom = 1;
            return NULL;
        }
    }
    c->lists[k] = v;
    c->nlist[k] = (uint32_t)cnt;
    c->lstate[k] = 1;
    c->cached += cnt * sizeof *v;
    *n = (uint32_t)cnt;
    return v;
}

/* Segment of global document ordinal g, searched from segment s on. */
static inline uint32_t seg_from(const struct sc_snap *snap, uint32_t s, uint32_t g)
{
    while (s + 1 < snap->nseg && snap->base[s + 1] <= g)
        s++;
    return s;
}

/* An anchor over two decoded lists: the occurrences of the second pair
 * dist after an occurrence of the first, by a merge (galloping through the
 * longer list). */
static void run_lists(struct ctx *c, const uint64_t *a, uint32_t na, const uint64_t *b, uint32_t nb,
                      uint32_t dist, const uint64_t *f, uint32_t nf, int64_t fdist)
{
    uint32_t s = 0, i = 0, j = 0, h = 0;
    while (i < na && j < nb && !c->oom) {
        uint64_t want = a[i] + dist;
        if (b[j] < want) {
            uint32_t step = 1, lo = j + 1; /* gallop: first b >= want */
            while (j + step < nb && b[j + step] < want)
                lo = j + step + 1, step *= 2;
            uint32_t hi = j + step < nb ? j + step : nb;
            while (lo < hi) {
                uint32_t m = lo + (hi - lo) / 2;
                if (b[m] < want)
                    lo = m + 1;
                else
                    hi = m;
            }
            j = lo;
        } else if (b[j] > want) {
            uint64_t back = b[j] - dist;
            uint32_t step = 1, lo = i + 1;
            while (i + step < na && a[i + step] < back)
                lo = i + step + 1, step *= 2;
            uint32_t hi = i + step < na ? i + step : na;
            while (lo < hi) {
                uint32_t m = lo + (hi - lo) / 2;
                if (a[m] < back)
                    lo = m + 1;
                else
                    hi = m;
            }
            i = lo;
        } else {
            if (f) { /* the third pair: the filter's list is walked forward */
                uint64_t fw = (uint64_t)((int64_t)a[i] + fdist);
                while (h < nf && f[h] < fw)
                    h++;
                if (h == nf)
                    break;
                if (f[h] != fw || (uint32_t)(fw >> 32) != (uint32_t)(a[i] >> 32)) {
                    i++, j++;
                    continue;
                }
            }
            uint32_t g = (uint32_t)(a[i] >> 32);
            s = seg_from(c->snap, s, g);
            push(c, s, g - c->snap->base[s], (uint32_t)a[i]);
            i++, j++;
        }
    }
}

/* Run one anchor over every segment. ent: per (key index, segment) the
 * dictionary entry, -1 if absent. */
static void run_anchor(struct ctx *c, const struct anchor *an, int32_t k1, int32_t k2)
{
    size_t nseg = c->snap->nseg;
    const int32_t *ent1 = c->ent + (size_t)k1 * nseg, *ent2 = c->ent + (size_t)k2 * nseg;
    uint32_t dist = an->q2 - an->q1;
    c->cand_q = an->q1;
    uint32_t na = 0, nb = 0;
    const uint64_t *la = list_of(c, k1, &na);
    const uint64_t *lb = la && an->q2 != an->q1 ? list_of(c, k2, &nb) : NULL;
    if (la && (lb || an->q2 == an->q1)) {
        if (an->q2 == an->q1) {
            uint32_t s = 0;
            for (uint32_t i = 0; i < na && !c->oom; i++) {
                uint32_t g = (uint32_t)(la[i] >> 32);
                s = seg_from(c->snap, s, g);
                push(c, s, g - c->snap->base[s], (uint32_t)la[i]);
            }
        } else {
            uint32_t nf = 0;
            /* only a list decoded already: decoding one for the filter
             * costs more than the candidates it would drop */
            int32_t k3 = an->q3 != UINT32_MAX ? c->kidq[an->q3] : -1;
            const uint64_t *lf = k3 >= 0 && c->lstate[k3] == 1 ? list_of(c, k3, &nf) : NULL;
            run_lists(c, la, na, lb, nb, dist, lf, nf, (int64_t)an->q3 - (int64_t)an->q1);
        }
        flush(c);
        return;
    }
    for (size_t s = 0; s < c->snap->nseg && !c->oom; s++) {
        const struct sc_seg *seg = c->snap->segs[s];
        if (ent1[s] < 0 || ent2[s] < 0)
            continue;
        struct sc_pcur a, b;
        if (sc_pcur_init(&a, seg, (size_t)ent1[s]) != SC_OK)
            continue;
        if (an->q2 == an->q1) {
            while (sc_pcur_next(&a) && !c->oom) {
                if (grow_pos(&c->pa, &c->capa, a.tf)) {
                    c->oom = 1;
                    break;
                }
                sc_pcur_positions(&a, c->pa);
                uint32_t tf = a.tf, doc = a.doc;
                for (uint32_t t = 0; t < tf && !c->oom; t++)
                    push(c, (uint32_t)s, doc, c->pa[t]);
            }
            continue;
        }
        if (sc_pcur_init(&b, seg, (size_t)ent2[s]) != SC_OK)
            continue;
        /* the list with fewer documents leads, the other seeks */
        struct sc_pcur *lead = a.ndocs <= b.ndocs ? &a : &b, *other = lead == &a ? &b : &a;
        if (!sc_pcur_next(lead))
            continue;
        for (;;) {
            if (!sc_pcur_seek(other, lead->doc))
                break;
            if (other->doc != lead->doc) {
                if (!sc_pcur_seek(lead, other->doc))
                    break;
                continue;
            }
            if (grow_pos(&c->pa, &c->capa, a.tf) || grow_pos(&c->pb, &c->capb, b.tf)) {
                c->oom = 1;
                break;
            }
            sc_pcur_positions(&a, c->pa);
            sc_pcur_positions(&b, c->pb);
            uint32_t ta = a.tf, tb = b.tf, doc = a.doc;
            for (uint32_t i = 0, j = 0; i < ta && j < tb && !c->oom;) {
                uint64_t want = (uint64_t)c->pa[i] + dist;
                if (c->pb[j] < want)
                    j++;
                else if (c->pb[j] > want)
                    i++;
                else {
                    push(c, (uint32_t)s, doc, c->pa[i]);
                    i++, j++;
                }
            }
            if (c->oom || !sc_pcur_next(lead))
                break;
        }
    }
    flush(c);
}

static int match_by_start(const void *x, const void *y, void *ctx)
{
    const struct ck_match *m = ctx;
    uint32_t a = m[*(const uint32_t *)x].ds, b = m[*(const uint32_t *)y].ds;
    return a < b ? -1 : a > b;
}

static int u64_cmp(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static int anchor_cmp(const void *x, const void *y)
{
    const struct anchor *a = *(const struct anchor *const *)x,
                        *b = *(const struct anchor *const *)y;
    if (a->cost != b->cost)
        return a->cost < b->cost ? -1 : 1;
    return a->q1 < b->q1 ? -1 : a->q1 > b->q1;
}

enum sc_err ck_find(const struct sc_snap *snap, const struct ck_draft *d, size_t min, size_t pieces,
                    int vis, uint8_t *found, struct ck_matches *out, struct sc_diag *diag)
{
    memset(out, 0, sizeof *out);
    if (min < 2)
        return sc_diag_set(diag, SC_EINVAL, "check: the shortest span must be at least 2");
    size_t n = d->n, nseg = snap ? snap->nseg : 0;
    if (n < min || nseg == 0)
        return SC_OK;
    struct ctx c;
    memset(&c, 0, sizeof c);
    c.snap = snap;
    c.d = d;
    c.min = min;
    c.out = out;
    c.vis = vis;
    c.found = vis ? found : NULL;
    struct kq *kq = sc_malloc(n * sizeof *kq);
    int32_t *kid = sc_malloc(n * sizeof *kid); /* per pair position: key index, -1 none */
    size_t nu = 0;                          /* distinct keys */
    uint64_t *kcost = NULL;                 /* per key: list bytes over all segments */
    int32_t *ent = NULL;                    /* per key and segment: entry, -1 */
    struct anchor **order = NULL;
    c.plo = sc_malloc(n * sizeof *c.plo);
    c.phi = sc_malloc(n * sizeof *c.phi);
    c.covered = sc_calloc(n, sizeof *c.covered);
    c.win_anchor = sc_malloc(n * sizeof *c.win_anchor);

    enum sc_err e = SC_OK;
    if (!kq || !kid || !c.plo || !c.phi || !c.covered || !c.win_anchor)
        goto oom;

    double t0 = now_ms();
    /* paragraphs of the draft, and its pairs */
    const uint32_t *N = d->cp;
    size_t nk = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && N[j] != '\n')
            j++;
        for (size_t k = i; k < j; k++) {
            c.plo[k] = (uint32_t)i;
            c.phi[k] = (uint32_t)j;
        }
        if (j < n) {
            c.plo[j] = c.phi[j] = (uint32_t)j;
        }
        for (size_t k = i; k + 1 < j; k++)
            kq[nk++] =
                (struct kq){ sc_pair_key(N[k] & SC_PAIR_END, N[k + 1] & SC_PAIR_END), (uint32_t)k };
        i = j + 1;
    }
    for (size_t i = 0; i < n; i++)
        kid[i] = -1;
    qsort(kq, nk, sizeof *kq, kq_cmp);
    for (size_t i = 0; i < nk; i++) {
        if (i == 0 || kq[i].key != kq[i - 1].key)
            kq[nu++].key = kq[i].key; /* the distinct keys, packed in front */
        kid[kq[i].q] = (int32_t)(nu - 1);
    }
    out->st.keys = nu;
    kcost = sc_calloc(nu ? nu : 1, sizeof *kcost);
    ent = sc_malloc((nu ? nu : 1) * nseg * sizeof *ent);
    if (!kcost || !ent)
        goto oom;
    for (size_t s = 0; s < nseg; s++) {
        const struct sc_seg *seg = snap->segs[s];
        size_t lo = 0;
        for (size_t u = 0; u < nu; u++) {
            lo = dict_seek(seg, lo, kq[u].key);
            if (lo < seg->npairs && seg->dict[lo].key == kq[u].key) {
                ent[u * nseg + s] = (int32_t)lo;
                kcost[u] += list_bytes(seg, lo);
            } else {
                ent[u * nseg + s] = -1;
            }
        }
    }

    double t1 = now_ms();
    out->st.ms_keys = t1 - t0;
    /* windows and their anchors: the two rarest pairs; windows with a pair
     * the library does not have stand nowhere */
    c.an = sc_malloc((n ? n : 1) * sizeof *c.an);
    c.lists = sc_calloc(nu ? nu : 1, sizeof *c.lists);
    c.nlist = sc_calloc(nu ? nu : 1, sizeof *c.nlist);
    c.lstate = sc_calloc(nu ? nu : 1, 1);
    c.ent = ent;
    c.kcost = kcost;
    c.kidq = kid;
    if (!c.an || !c.lists || !c.nlist || !c.lstate)
        goto oom;
    for (size_t a = 0; a < n; a++)
        c.win_anchor[a] = UINT32_MAX;
    for (size_t a = 0; a + min <= n; a++) {
        if (c.phi[a] < a + min || N[a] == '\n')
            continue;
        out->st.windows++;
        /* the rarest pair, then the rarest that does not overlap it: two
         * overlapping pairs (a rare character's two) filter little more
         * than one */
        size_t b1 = SIZE_MAX, b2 = SIZE_MAX;
        int absent = 0;
        for (size_t q = a; q + 1 < a + min; q++) {
            int32_t k = kid[q];
            if (k < 0 || kcost[k] == 0) {
                absent = 1;
                break;
            }
            if (b1 == SIZE_MAX || kcost[k] < kcost[kid[b1]])
                b1 = q;
        }
        if (absent)
            continue;
        for (size_t q = a; q + 1 < a + min; q++)
            if ((q + 1 < b1 || q > b1 + 1) && (b2 == SIZE_MAX || kcost[kid[q]] < kcost[kid[b2]]))
                b2 = q;
        uint32_t q1 = (uint32_t)b1, q2 = (uint32_t)(b2 == SIZE_MAX ? b1 : b2);
        if (kcost[kid[b1]] <= SINGLE_BYTES)
            q2 = q1;
        if (q2 < q1) {
            uint32_t t = q1;
            q1 = q2;
            q2 = t;
        }
        /* neighbouring windows mostly share their anchor; one that does
         * lies among the anchors of the last min windows */
        size_t ai = c.nan;
        for (size_t back = 0; back < c.nan && back < 2 * min; back++)
            if (c.an[c.nan - 1 - back].q1 == q1 && c.an[c.nan - 1 - back].q2 == q2) {
                ai = c.nan - 1 - back;
                break;
            }
        if (ai < c.nan) {
            c.an[ai].left++;
            c.an[ai].wlast = (uint32_t)a;
        } else {
            uint64_t cost = kcost[kid[q1]] + (q2 != q1 ? kcost[kid[q2]] : 0);
            c.an[c.nan++] =
                (struct anchor){ q1, q2, 1, cost, (uint32_t)a, (uint32_t)a, UINT32_MAX, 0 };
        }
        c.win_anchor[a] = (uint32_t)ai;
    }
    /* a third pair for each anchor, inside every window it serves, apart
     * from the other two: a candidate without it at its offset cannot be
     * an occurrence of any of them, and is dropped before its text is read */
    for (size_t i = 0; i < c.nan; i++) {
        struct anchor *an = &c.an[i];
        if (an->q2 == an->q1)
            continue;
        for (uint32_t q = an->wlast; q + 1 < an->wfirst + min; q++) {
            if ((q + 1 >= an->q1 && q <= an->q1 + 1) || (q + 1 >= an->q2 && q <= an->q2 + 1))
                continue;
            if (an->q3 == UINT32_MAX || kcost[kid[q]] < kcost[kid[an->q3]])
                an->q3 = q;
        }
    }
    out->st.anchors = c.nan;
    order = sc_malloc((c.nan ? c.nan : 1) * sizeof *order);
    if (!order)
        goto oom;
    for (size_t i = 0; i < c.nan; i++)
        order[i] = &c.an[i];
    qsort(order, c.nan, sizeof *order, anchor_cmp);
    double t2 = now_ms();
    out->st.ms_anchors = t2 - t1;
    for (size_t i = 0; i < c.nan && !c.oom; i++) {
        struct anchor *an = order[i];
        if (!an->left)
            continue;
        an->ran = 1;
        out->st.anchors_run++;
        out->st.list_bytes += an->cost;
        run_anchor(&c, an, kid[an->q1], kid[an->q2]);
    }
    /* The copied stretches are now exact. Every document holding a piece
     * of one holds some window of it: in a stretch found in fewer than
     * `pieces` documents, the anchors of its windows not run yet find the
     * documents the first pass did not need to (a stretch in more is
     * 常用表述, whose sources are the documents holding all of it). */
    if (pieces && out->n && !c.oom) {
        size_t nm = out->n;
        uint32_t *ord = sc_malloc(nm * sizeof *ord);
        uint64_t *seen_doc = sc_malloc(nm * sizeof *seen_doc);
        if (!ord || !seen_doc) {
            free(ord);
            free(seen_doc);
            goto oom;
        }
        for (size_t i = 0; i < nm; i++)
            ord[i] = (uint32_t)i;
        qsort_r(ord, nm, sizeof *ord, match_by_start, out->m);
        for (size_t i = 0; i < nm && !c.oom;) {
            uint32_t ds = out->m[ord[i]].ds, de = out->m[ord[i]].de;
            size_t j = i, nd = 0;
            while (j < nm && out->m[ord[j]].ds <= de) {
                const struct ck_match *mm = &out->m[ord[j]];
                if (mm->de > de)
                    de = mm->de;
                seen_doc[nd++] = (uint64_t)c.snap->base[mm->seg] + mm->doc;
                j++;
            }
            qsort(seen_doc, nd, sizeof *seen_doc, u64_cmp);
            size_t distinct = 0;
            for (size_t k = 0; k < nd; k++)
                distinct += !k || seen_doc[k] != seen_doc[k - 1];
            for (size_t a = ds; distinct < pieces && a + min <= de && !c.oom; a++) {
                uint32_t ai = c.win_anchor[a];
                if (ai == UINT32_MAX || c.an[ai].ran)
                    continue;
                struct anchor *an = &c.an[ai];
                an->ran = 1;
                out->st.anchors_run++;
                out->st.list_bytes += an->cost;
                run_anchor(&c, an, kid[an->q1], kid[an->q2]);
            }
            i = j;
        }
        free(ord);
        free(seen_doc);
    }
    out->st.ms_run = now_ms() - t2;
    if (c.oom)
        goto oom;
    goto done;
oom:
    e = sc_diag_set(diag, SC_ENOMEM, "out of memory checking the draft");
    ck_matches_release(out);
done:
    free(kq);
    free(kid);
    free(kcost);
    free(ent);
    free(order);
    free(c.plo);
    free(c.phi);
    free(c.covered);
    free(c.win_anchor);
    free(c.an);
    free(c.ht);
    for (size_t k = 0; c.lists && k < nu; k++)
        free(c.lists[k]);
    free(c.lists);
    free(c.nlist);
    free(c.lstate);

    sc_pnorm_release(&c.lp.pn);
    free(c.pa);
    free(c.pb);
    return e;
}
