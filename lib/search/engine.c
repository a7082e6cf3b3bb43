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
 */
#include "search/engine.h"

#include "sucai/gongwen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BM25_K1 1.2
#define BM25_B 0.75
#define TITLE_BOOST 2.0

struct uent {
    uint64_t unit;
    double score;
    uint32_t count;
    uint32_t title; /* raw leaves: a match in the title line */
};

struct ulist {
    struct uent *v;
    size_t n, cap;
};

struct ctx {
    const struct sc_snap *snap;
    const struct sc_search_opts *opts;
    int para;            /* paragraph mode */
    uint32_t kindmask;   /* section: restriction, 0 = none */
    struct sc_diag *diag;
    enum sc_err err;
    /* scratch */
    uint32_t *pb[SC_QUERY_MAX_TERM_BYTES];
    size_t pcap[SC_QUERY_MAX_TERM_BYTES];
    uint32_t *starts;
    size_t scap;
};

static void ul_free(struct ulist *l)
{
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static int ul_push(struct ctx *c, struct ulist *l, uint64_t unit, double score, uint32_t count,
                   uint32_t title)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 64;
        struct uent *nv = sc_reallocarray(l->v, nc, sizeof *nv);
        if (!nv) {
            c->err = sc_diag_set(c->diag, SC_ENOMEM, "out of memory");
            return -1;
        }
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n++] = (struct uent){unit, score, count, title};
    return 0;
}

static int grow_u32(struct ctx *c, uint32_t **p, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    size_t nc = need + need / 2 + 16;
    uint32_t *np = realloc(*p, nc * sizeof *np);
    if (!np) {
        c->err = sc_diag_set(c->diag, SC_ENOMEM, "out of memory");
        return -1;
    }
    *p = np;
    *cap = nc;
    return 0;
}

/* ---------------------------------------------------------------- snapshot */

enum sc_err sc_snap_new(struct sc_seg **segs, size_t n, struct sc_snap **out)
{
    *out = NULL;
    struct sc_snap *s = calloc(1, sizeof *s);
    if (!s)
        return SC_ENOMEM;
    s->segs = n ? malloc(n * sizeof *s->segs) : NULL;
    s->base = malloc((n + 1) * sizeof *s->base);
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
    *out = s;
    return SC_OK;
}

void sc_snap_free(struct sc_snap *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nseg; i++)
        sc_seg_close(s->segs[i]);
    free(s->segs);
    free(s->base);
    free(s);
}

static const struct sc_sdoc *doc_of(const struct sc_snap *s, uint32_t ord, size_t *segi)
{
    size_t k = sc_snap_seg_of(s, ord);
    if (segi)
        *segi = k;
    return &s->segs[k]->docs[ord - s->base[k]];
}

/* ---------------------------------------------------------------- kinds */

int sc_in_kinds(const struct sc_sdoc *d, uint32_t s, uint32_t e, uint32_t mask)
{
    if (!(d->kinds & mask))
        return 0;
    for (uint32_t i = 0; i < d->nsec; i++) {
        const struct sc_ssec *sec = &d->sec[i];
        if ((mask >> sec->kind) & 1 && sec->nstart <= s && e <= sec->nend)
            return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- terms */

static int decode_cps(const char *s, size_t len, uint32_t *out, size_t max)
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
    return (int)n;
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

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Verified starts of an n >= 2 term in the doc all cursors are on. */
static size_t verify_doc(struct ctx *c, struct sc_pcur *cur, const uint32_t *offs, size_t k,
                         const size_t *order)
{
    for (size_t j = 0; j < k; j++) {
        if (grow_u32(c, &c->pb[j], &c->pcap[j], cur[j].tf))
            return 0;
    }
    /* the same list may back two offsets: decode each cursor once */
    for (size_t j = 0; j < k; j++)
        sc_pcur_positions(&cur[j], c->pb[j]);
    size_t lead = order[0];
    if (grow_u32(c, &c->starts, &c->scap, cur[lead].tf))
        return 0;
    size_t ns = 0;
    for (uint32_t t = 0; t < cur[lead].tf; t++)
        if (c->pb[lead][t] >= offs[lead])
            c->starts[ns++] = c->pb[lead][t] - offs[lead];
    for (size_t oi = 1; oi < k && ns; oi++) {
        size_t j = order[oi];
        const uint32_t *p = c->pb[j];
        uint32_t np = cur[j].tf, pi = 0;
        size_t w = 0;
        for (size_t s = 0; s < ns; s++) {
            uint32_t want = c->starts[s] + offs[j];
            while (pi < np && p[pi] < want)
                pi++;
            if (pi < np && p[pi] == want)
                c->starts[w++] = c->starts[s];
        }
        ns = w;
    }
    return ns;
}

/* Emit the units of one document for a term with verified starts. */
static int emit_starts(struct ctx *c, struct ulist *out, uint32_t gord, const struct sc_sdoc *d,
                       const uint32_t *st, size_t ns, size_t tlen)
{
    if (c->kindmask) {
        size_t w = 0;
        for (size_t i = 0; i < ns; i++)
            if (sc_in_kinds(d, st[i], st[i] + (uint32_t)tlen, c->kindmask))
                c->starts[w++] = st[i];
        st = c->starts;
        ns = w;
    }
    if (!ns)
        return 0;
    uint32_t title_end = d->npara > 1 ? d->para[1].norm : d->norm_len + 1;
    if (!c->para)
        return ul_push(c, out, gord, 0, (uint32_t)ns, st[0] < title_end);
    size_t i = 0;
    while (i < ns) {
        uint32_t p = sc_sdoc_para_of(d, st[i]);
        uint32_t end = d->para[p + 1].norm, cnt = 0;
        while (i < ns && st[i] < end) {
            cnt++;
            i++;
        }
        if (ul_push(c, out, ((uint64_t)gord << 32) | p, 0, cnt, p == 0))
            return -1;
    }
    return 0;
}

/* Mark the documents of seg whose normalised title contains t (one scan
 * over the joined titles). Returns a calloc'd array of ndocs flags. */
static uint8_t *title_marks(const struct sc_seg *seg, const char *t, size_t len)
{
    uint8_t *m = calloc(seg->ndocs ? seg->ndocs : 1, 1);
    if (!m || !len || !seg->ndocs)
        return m;
    const char *all = seg->titles, *end = all + seg->title_off[seg->ndocs];
    const char *p = all;
    while (p < end) {
        const char *hit = memmem(p, (size_t)(end - p), t, len);
        if (!hit)
            break;
        uint32_t off = (uint32_t)(hit - all), lo = 0, hi = seg->ndocs;
        while (hi - lo > 1) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (seg->title_off[mid] <= off)
                lo = mid;
            else
                hi = mid;
        }
        m[lo] = 1;
        p = all + seg->title_off[lo + 1]; /* next title */
    }
    return m;
}

static int eval_term_seg(struct ctx *c, size_t si, const char *text, size_t tlen_b,
                         const uint32_t *cps, size_t n, struct ulist *out)
{
    const struct sc_seg *seg = c->snap->segs[si];
    uint32_t gbase = c->snap->base[si];
    int need_pos = c->para || c->kindmask;
    if (n == 1) {
        size_t f, e;
        sc_seg_range(seg, sc_pair_key(cps[0], 0), sc_pair_key(cps[0], SC_PAIR_END), &f, &e);
        if (f == e)
            return 0;
        if (!need_pos) {
            uint32_t *tf = calloc(seg->ndocs ? seg->ndocs : 1, sizeof *tf);
            if (!tf) {
                c->err = sc_diag_set(c->diag, SC_ENOMEM, "out of memory");
                return -1;
            }
            for (size_t x = f; x < e; x++) {
                struct sc_pcur cur;
                if (sc_pcur_init(&cur, seg, x) != SC_OK)
                    continue;
                while (sc_pcur_next(&cur))
                    if (cur.doc < seg->ndocs)
                        tf[cur.doc] += cur.tf;
            }
            uint8_t *tm = title_marks(seg, text, tlen_b);
            int rc = tm ? 0 : -1;
            if (!tm)
                c->err = sc_diag_set(c->diag, SC_ENOMEM, "out of memory");
            for (uint32_t d = 0; d < seg->ndocs && !rc; d++)
                if (tf[d])
                    rc = ul_push(c, out, gbase + d, 0, tf[d], tm[d]);
            free(tf);
            free(tm);
            return rc;
        }
        /* all (doc, position) pairs of the character, sorted */
        uint64_t *all = NULL;
        size_t na = 0, cap = 0;
        for (size_t x = f; x < e; x++) {
            struct sc_pcur cur;
            if (sc_pcur_init(&cur, seg, x) != SC_OK)
                continue;
            while (sc_pcur_next(&cur)) {
                if (grow_u32(c, &c->pb[0], &c->pcap[0], cur.tf))
                    goto fail1;
                sc_pcur_positions(&cur, c->pb[0]);
                if (na + cur.tf > cap) {
                    size_t nc = (na + cur.tf) * 2;
                    uint64_t *nv = sc_reallocarray(all, nc, sizeof *nv);
                    if (!nv) {
                        c->err = sc_diag_set(c->diag, SC_ENOMEM, "out of memory");
                        goto fail1;
                    }
                    all = nv;
                    cap = nc;
                }
                for (uint32_t t = 0; t < cur.tf; t++)
                    all[na++] = ((uint64_t)cur.doc << 32) | c->pb[0][t];
            }
        }
        qsort(all, na, sizeof *all, cmp_u64);
        uint32_t *st = NULL;
        size_t stcap = 0;
        for (size_t i = 0; i < na;) {
            uint32_t d = (uint32_t)(all[i] >> 32);
            size_t j = i;
            while (j < na && (uint32_t)(all[j] >> 32) == d)
                j++;
            if (grow_u32(c, &st, &stcap, j - i) ||
                grow_u32(c, &c->starts, &c->scap, j - i)) {
                free(st);
                goto fail1;
            }
            for (size_t t = i; t < j; t++)
                st[t - i] = (uint32_t)all[t];
            if (d < seg->ndocs && emit_starts(c, out, gbase + d, &seg->docs[d], st, j - i, 1)) {
                free(st);
                goto fail1;
            }
            i = j;
        }
        free(st);
        free(all);
        return 0;
    fail1:
        free(all);
        return -1;
    }

    uint32_t offs[SC_QUERY_MAX_TERM_BYTES];
    size_t k = pair_offsets(n, offs);
    struct sc_pcur *cur = calloc(k, sizeof *cur);
    size_t *order = calloc(k, sizeof *order);
    uint32_t *eoff = calloc(k, sizeof *eoff);
    if (!cur || !order || !eoff) {
        free(cur);
        free(order);
        free(eoff);
        c->err = sc_diag_set(c->diag, SC_ENOMEM, "out of memory");
        return -1;
    }
    int rc = 0;
    for (size_t j = 0; j < k; j++) {
        int64_t en = sc_seg_find(seg, sc_pair_key(cps[offs[j]], cps[offs[j] + 1]));
        if (en < 0 || sc_pcur_init(&cur[j], seg, (size_t)en) != SC_OK)
            goto done; /* a pair never seen: no match in this segment */
        order[j] = j;
    }
    /* rarest first */
    for (size_t a = 1; a < k; a++)
        for (size_t b = a; b > 0 && cur[order[b]].ndocs < cur[order[b - 1]].ndocs; b--) {
            size_t t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    if (k == 1 && !need_pos) {
        uint8_t *tm = title_marks(seg, text, tlen_b);
        if (!tm) {
            c->err = sc_diag_set(c->diag, SC_ENOMEM, "out of memory");
            rc = -1;
            goto done;
        }
        while (sc_pcur_next(&cur[0]) && !rc)
            rc = ul_push(c, out, gbase + cur[0].doc, 0, cur[0].tf,
                         cur[0].doc < seg->ndocs ? tm[cur[0].doc] : 0);
        free(tm);
        goto done;
    }
    struct sc_pcur *lead = &cur[order[0]];
    while (!rc && sc_pcur_next(lead)) {
        uint32_t target = lead->doc;
        int all = 1;
        for (size_t oi = 1; oi < k; oi++) {
            struct sc_pcur *o = &cur[order[oi]];
            if (!sc_pcur_seek(o, target))
                goto done;
            if (o->doc != target) {
                all = 0;
                if (!sc_pcur_seek(lead, o->doc))
                    goto done;
                /* re-check from the new lead doc */
                target = lead->doc;
                oi = 0;
                all = 1;
            }
        }
        if (!all)
            continue;
        if (target >= seg->ndocs)
            break;
        size_t ns = verify_doc(c, cur, offs, k, order);
        if (c->err)
            rc = -1;
        else if (ns)
            rc = emit_starts(c, out, gbase + target, &seg->docs[target], c->starts, ns, n);
    }
done:
    free(cur);
    free(order);
    free(eoff);
    return rc || c->err ? -1 : 0;
}

enum sc_err sc_term_positions(const struct sc_seg *seg, uint32_t doc, const uint32_t *cps,
                              size_t n, uint32_t **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    uint32_t *res = NULL, *buf = NULL;
    size_t nres = 0, cap = 0, bcap = 0;
    if (n == 0)
        return SC_OK;
    if (n == 1) {
        size_t f, e;
        sc_seg_range(seg, sc_pair_key(cps[0], 0), sc_pair_key(cps[0], SC_PAIR_END), &f, &e);
        for (size_t x = f; x < e; x++) {
            struct sc_pcur cur;
            if (sc_pcur_init(&cur, seg, x) != SC_OK || !sc_pcur_seek(&cur, doc) || cur.doc != doc)
                continue;
            if (nres + cur.tf > cap) {
                size_t nc = (nres + cur.tf) * 2;
                uint32_t *nv = sc_reallocarray(res, nc, sizeof *nv);
                if (!nv)
                    goto oom;
                res = nv;
                cap = nc;
            }
            sc_pcur_positions(&cur, res + nres);
            nres += cur.tf;
        }
        /* merge the per-pair runs */
        for (size_t i = 1; i < nres; i++)
            for (size_t j = i; j > 0 && res[j] < res[j - 1]; j--) {
                uint32_t t = res[j];
                res[j] = res[j - 1];
                res[j - 1] = t;
            }
        *out = res;
        *nout = nres;
        return SC_OK;
    }
    uint32_t offs[SC_QUERY_MAX_TERM_BYTES];
    size_t k = pair_offsets(n, offs);
    for (size_t j = 0; j < k; j++) {
        int64_t en = sc_seg_find(seg, sc_pair_key(cps[offs[j]], cps[offs[j] + 1]));
        struct sc_pcur cur;
        if (en < 0 || sc_pcur_init(&cur, seg, (size_t)en) != SC_OK || !sc_pcur_seek(&cur, doc) ||
            cur.doc != doc) {
            free(res);
            free(buf);
            return SC_OK;
        }
        if (cur.tf > bcap) {
            uint32_t *nb = realloc(buf, cur.tf * sizeof *nb);
            if (!nb)
                goto oom;
            buf = nb;
            bcap = cur.tf;
        }
        sc_pcur_positions(&cur, buf);
        if (j == 0) {
            res = malloc((cur.tf ? cur.tf : 1) * sizeof *res);
            if (!res)
                goto oom;
            for (uint32_t t = 0; t < cur.tf; t++)
                res[nres++] = buf[t]; /* offset 0 */
        } else {
            size_t w = 0, pi = 0;
            for (size_t s = 0; s < nres; s++) {
                uint32_t want = res[s] + offs[j];
                while (pi < cur.tf && buf[pi] < want)
                    pi++;
                if (pi < cur.tf && buf[pi] == want)
                    res[w++] = res[s];
            }
            nres = w;
        }
    }
    free(buf);
    *out = res;
    *nout = nres;
    return SC_OK;
oom:
    free(res);
    free(buf);
    return SC_ENOMEM;
}

/* ---------------------------------------------------------------- leaves */

static double unit_len(const struct ctx *c, uint64_t unit)
{
    uint32_t ord = c->para ? (uint32_t)(unit >> 32) : (uint32_t)unit;
    const struct sc_sdoc *d = doc_of(c->snap, ord, NULL);
    if (!c->para)
        return d->norm_len;
    uint32_t p = (uint32_t)unit;
    return (double)(d->para[p + 1].norm - d->para[p].norm - 1);
}

static void score_leaf(struct ctx *c, struct ulist *l)
{
    const struct sc_snap *s = c->snap;
    double N = c->para ? (double)s->total_para : (double)s->ndocs;
    if (N < 1)
        N = 1;
    double avg = (double)s->total_norm / N;
    if (avg < 1)
        avg = 1;
    double df = (double)l->n;
    double idf = log(1.0 + (N - df + 0.5) / (df + 0.5));
    for (size_t i = 0; i < l->n; i++) {
        struct uent *u = &l->v[i];
        double tf = u->count;
        double len = unit_len(c, u->unit);
        double w = idf * tf * (BM25_K1 + 1) / (tf + BM25_K1 * (1 - BM25_B + BM25_B * len / avg));
        if (u->title && !c->para)
            w *= TITLE_BOOST;
        u->score = w;
        u->title = 0;
    }
}

static int eval_term(struct ctx *c, const struct sc_qnode *q, struct ulist *out)
{
    uint32_t cps[SC_QUERY_MAX_TERM_BYTES];
    size_t n = (size_t)decode_cps(q->text, q->len, cps, SC_QUERY_MAX_TERM_BYTES);
    for (size_t si = 0; si < c->snap->nseg; si++)
        if (eval_term_seg(c, si, q->text, q->len, cps, n, out))
            return -1;
    score_leaf(c, out);
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
static int doc_pred(const struct sc_qnode *q, const struct sc_sdoc *d)
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
        return (d->kinds >> q->section) & 1;
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
    uint32_t ord = c->para ? (uint32_t)(unit >> 32) : (uint32_t)unit;
    const struct sc_sdoc *d = doc_of(c->snap, ord, NULL);
    if (!doc_pred(q, d))
        return 0;
    if (c->para && q->kind == SC_Q_SECTION) {
        uint32_t p = (uint32_t)unit;
        uint32_t s = d->para[p].norm, e = d->para[p + 1].norm - 1;
        return sc_in_kinds(d, s, e > s ? e : s, 1u << q->section);
    }
    return 1;
}

/* Every unit passing all preds (npred may be 0). */
static int universe(struct ctx *c, const struct sc_qnode *const *preds, size_t npred,
                    struct ulist *out)
{
    const struct sc_snap *s = c->snap;
    for (size_t si = 0; si < s->nseg; si++) {
        const struct sc_seg *seg = s->segs[si];
        for (uint32_t d = 0; d < seg->ndocs; d++) {
            uint32_t g = s->base[si] + d;
            uint32_t np = c->para ? seg->docs[d].npara : 1;
            for (uint32_t p = 0; p < np; p++) {
                uint64_t unit = c->para ? ((uint64_t)g << 32) | p : g;
                int ok = 1;
                for (size_t i = 0; i < npred && ok; i++)
                    ok = unit_pred(c, preds[i], unit);
                if (ok && ul_push(c, out, unit, 0, 0, 0))
                    return -1;
            }
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- algebra */

static int ul_and(struct ctx *c, struct ulist *a, const struct ulist *b)
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
    (void)c;
    return 0;
}

static int ul_or(struct ctx *c, struct ulist *a, const struct ulist *b)
{
    struct ulist r = {0};
    size_t i = 0, j = 0;
    while (i < a->n || j < b->n) {
        int rc;
        if (j >= b->n || (i < a->n && a->v[i].unit < b->v[j].unit)) {
            rc = ul_push(c, &r, a->v[i].unit, a->v[i].score, a->v[i].count, 0);
            i++;
        } else if (i >= a->n || b->v[j].unit < a->v[i].unit) {
            rc = ul_push(c, &r, b->v[j].unit, b->v[j].score, b->v[j].count, 0);
            j++;
        } else {
            rc = ul_push(c, &r, a->v[i].unit, a->v[i].score + b->v[j].score,
                         a->v[i].count + b->v[j].count, 0);
            i++, j++;
        }
        if (rc) {
            ul_free(&r);
            return -1;
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

static int eval(struct ctx *c, const struct sc_qnode *q, struct ulist *out);

static int eval_and(struct ctx *c, const struct sc_qnode *q, struct ulist *out)
{
    const struct sc_qnode *preds[SC_QUERY_MAX_NODES];
    size_t npred = 0;
    int have = 0;
    for (size_t i = 0; i < q->nkids; i++) {
        const struct sc_qnode *k = q->kids[i];
        if (is_pred(k)) {
            preds[npred++] = k;
            continue;
        }
        if (k->kind == SC_Q_NOT)
            continue;
        struct ulist l = {0};
        if (eval(c, k, &l)) {
            ul_free(&l);
            return -1;
        }
        if (!have) {
            *out = l;
            have = 1;
        } else {
            ul_and(c, out, &l);
            ul_free(&l);
        }
        if (out->n == 0)
            return 0;
    }
    if (!have) {
        if (universe(c, preds, npred, out))
            return -1;
    } else if (npred) {
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
    for (size_t i = 0; i < q->nkids && out->n; i++) {
        const struct sc_qnode *k = q->kids[i];
        if (k->kind != SC_Q_NOT)
            continue;
        struct ulist l = {0};
        if (eval(c, k->kids[0], &l)) {
            ul_free(&l);
            return -1;
        }
        ul_not(out, &l);
        ul_free(&l);
    }
    return 0;
}

static int eval(struct ctx *c, const struct sc_qnode *q, struct ulist *out)
{
    switch (q->kind) {
    case SC_Q_TERM:
        return eval_term(c, q, out);
    case SC_Q_AND:
        return eval_and(c, q, out);
    case SC_Q_OR:
        for (size_t i = 0; i < q->nkids; i++) {
            struct ulist l = {0};
            if (eval(c, q->kids[i], &l) || (i == 0 ? (*out = l, 0) : ul_or(c, out, &l))) {
                if (i)
                    ul_free(&l);
                return -1;
            }
            if (i)
                ul_free(&l);
        }
        return 0;
    case SC_Q_NOT: {
        if (universe(c, NULL, 0, out))
            return -1;
        struct ulist l = {0};
        if (eval(c, q->kids[0], &l)) {
            ul_free(&l);
            return -1;
        }
        ul_not(out, &l);
        ul_free(&l);
        return 0;
    }
    default: {
        const struct sc_qnode *p = q;
        return universe(c, &p, 1, out);
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

static int facet_add(struct sc_facet **v, size_t *n, const char *s, size_t len)
{
    for (size_t i = 0; i < *n; i++)
        if (strlen((*v)[i].value) == len && memcmp((*v)[i].value, s, len) == 0) {
            (*v)[i].count++;
            return 0;
        }
    struct sc_facet *nv = sc_reallocarray(*v, *n + 1, sizeof *nv);
    if (!nv)
        return -1;
    *v = nv;
    nv[*n].value = sc_strndup(s, len);
    if (!nv[*n].value)
        return -1;
    nv[*n].count = 1;
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

static int cmp_facet_year(const void *x, const void *y)
{
    const struct sc_facet *a = x, *b = y;
    return -strcmp(a->value, b->value);
}

static int make_facets(struct ctx *c, const struct ulist *l, struct sc_facets *f)
{
    char tmp[16];
    for (size_t i = 0; i < l->n; i++) {
        uint64_t u = l->v[i].unit;
        uint32_t ord = c->para ? (uint32_t)(u >> 32) : (uint32_t)u;
        const struct sc_sdoc *d = doc_of(c->snap, ord, NULL);
        if (d->genre.len && facet_add(&f->genre, &f->ngenre, d->genre.p, d->genre.len))
            return -1;
        if (d->level.len && facet_add(&f->level, &f->nlevel, d->level.p, d->level.len))
            return -1;
        if (d->year > 0) {
            int k = snprintf(tmp, sizeof tmp, "%d", d->year);
            if (facet_add(&f->year, &f->nyear, tmp, (size_t)k))
                return -1;
        }
        uint32_t kinds = d->kinds;
        if (c->para) {
            uint32_t p = (uint32_t)u;
            uint32_t s = d->para[p].norm;
            kinds = 0;
            for (uint32_t k = 0; k < SC_KIND_COUNT; k++)
                if ((d->kinds >> k) & 1 && sc_in_kinds(d, s, s, 1u << k))
                    kinds |= 1u << k;
        }
        for (uint32_t k = 0; k < SC_KIND_COUNT; k++) {
            if (!((kinds >> k) & 1))
                continue;
            const char *nm = sc_kind_name((enum sc_section_kind)k);
            if (facet_add(&f->kind, &f->nkind, nm, strlen(nm)))
                return -1;
        }
    }
    if (f->ngenre)
        qsort(f->genre, f->ngenre, sizeof *f->genre, cmp_facet);
    if (f->nlevel)
        qsort(f->level, f->nlevel, sizeof *f->level, cmp_facet);
    if (f->nkind)
        qsort(f->kind, f->nkind, sizeof *f->kind, cmp_facet);
    if (f->nyear)
        qsort(f->year, f->nyear, sizeof *f->year, cmp_facet_year);
    return 0;
}

/* ---------------------------------------------------------------- hits */

static enum sc_err make_hit(struct ctx *c, sc_text_fn *fetch, void *fctx, const struct uent *u,
                            const struct sc_qnode *const *terms, size_t nterms, struct sc_hit *h)
{
    uint32_t ord = c->para ? (uint32_t)(u->unit >> 32) : (uint32_t)u->unit;
    size_t si;
    const struct sc_sdoc *d = doc_of(c->snap, ord, &si);
    const struct sc_seg *seg = c->snap->segs[si];
    uint32_t local = ord - c->snap->base[si];
    h->id = d->id;
    h->score = u->score;
    h->count = u->count;
    h->year = d->year;
    h->paragraph = c->para ? (int64_t)(uint32_t)u->unit : -1;
    h->title = sc_strndup(d->title.p, d->title.len);
    h->genre = d->genre.len ? sc_strndup(d->genre.p, d->genre.len) : NULL;
    if (!h->title || (d->genre.len && !h->genre))
        return SC_ENOMEM;
    if (c->para) {
        h->section = sc_section_path(d, d->para[h->paragraph].norm);
        if (!h->section)
            return SC_ENOMEM;
    }
    /* positions of every positive term in this document */
    struct sc_qterm qt[SC_QUERY_MAX_NODES];
    uint32_t *pos = NULL;
    uint8_t *which = NULL;
    size_t npos = 0, cap = 0;
    enum sc_err e = SC_OK;
    uint32_t cpsbuf[SC_QUERY_MAX_TERM_BYTES];
    for (size_t t = 0; t < nterms; t++) {
        qt[t].text = terms[t]->text;
        qt[t].len = terms[t]->len;
        qt[t].ncp = terms[t]->ncp;
        qt[t].cps = NULL;
        size_t n = (size_t)decode_cps(terms[t]->text, terms[t]->len, cpsbuf,
                                      SC_QUERY_MAX_TERM_BYTES);
        uint32_t *tp;
        size_t ntp;
        e = sc_term_positions(seg, local, cpsbuf, n, &tp, &ntp);
        if (e != SC_OK)
            goto out;
        if (npos + ntp > cap) {
            size_t nc = (npos + ntp) * 2 + 8;
            uint32_t *np = sc_reallocarray(pos, nc, sizeof *np);
            uint8_t *nw = np ? realloc(which, nc) : NULL;
            if (!np || !nw) {
                free(np ? np : pos);
                pos = NULL;
                free(tp);
                e = SC_ENOMEM;
                goto out;
            }
            pos = np;
            which = nw;
            cap = nc;
        }
        for (size_t i = 0; i < ntp; i++) {
            if (c->kindmask && !sc_in_kinds(d, tp[i], tp[i] + (uint32_t)n, c->kindmask))
                continue;
            if (d->npaid_from < d->npaid_to && tp[i] >= d->npaid_from && tp[i] < d->npaid_to &&
                (!c->para || sc_sdoc_para_of(d, tp[i]) == (uint32_t)h->paragraph))
                h->paid = 1;
            pos[npos] = tp[i];
            which[npos] = (uint8_t)t;
            npos++;
        }
        free(tp);
    }
    char *text = NULL;
    size_t tlen = 0;
    if (fetch) {
        struct sc_diag fd = {0};
        e = fetch(fctx, d->id, &text, &tlen, &fd);
        if (e != SC_OK) {
            /* the document vanished under us: a hit without snippets */
            e = e == SC_ENOMEM ? e : SC_OK;
            goto out;
        }
        if (tlen != d->orig_len) {
            /* the store changed since indexing: skip snippets */
            free(text);
            goto out;
        }
    } else {
        goto out;
    }
    e = sc_snippets_make(d, text, tlen, qt, nterms, pos, which, npos, h->paragraph, c->kindmask,
                         c->opts->entitled, h);
    free(text);
out:
    free(pos);
    free(which);
    return e;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

enum sc_err sc_engine_search(const struct sc_snap *snap, sc_text_fn *fetch, void *fctx,
                             const struct sc_search_opts *opts, struct sc_results *out,
                             struct sc_diag *diag)
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
    struct ulist res = {0};
    if (eval(&c, q.root, &res) != 0) {
        e = c.err ? c.err : sc_diag_set(diag, SC_ENOMEM, "out of memory");
        goto done;
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
        struct rank *h = malloc(want * sizeof *h);
        if (!h) {
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
            goto done;
        }
        size_t nh = 0;
        for (size_t i = 0; i < res.n; i++) {
            uint32_t ord = c.para ? (uint32_t)(res.v[i].unit >> 32) : (uint32_t)res.v[i].unit;
            const struct sc_sdoc *d = doc_of(snap, ord, NULL);
            struct rank r = {res.v[i].score, d->year, d->id, i};
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
        out->hits = nret ? calloc(nret, sizeof *out->hits) : NULL;
        if (nret && !out->hits) {
            free(h);
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
            goto done;
        }
        const struct sc_qnode *terms[SC_QUERY_MAX_NODES];
        size_t nterms = 0;
        collect_terms(q.root, terms, &nterms);
        for (size_t i = 0; i < nret; i++) {
            out->nhits++;
            e = make_hit(&c, fetch, fctx, &res.v[h[opts->offset + i].idx], terms, nterms,
                         &out->hits[i]);
            if (e != SC_OK) {
                sc_diag_set(diag, e, "out of memory making results");
                break;
            }
        }
        free(h);
    }
done:
    ul_free(&res);
    for (size_t i = 0; i < SC_QUERY_MAX_TERM_BYTES; i++)
        free(c.pb[i]);
    free(c.starts);
    sc_query_release(&q);
    out->took_ms = now_ms() - t0;
    return e;
}
