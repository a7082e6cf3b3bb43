/*
 * Query evaluation: leaves (terms, fields) become sorted lists of units
 * (documents, or document<<32|paragraph in paragraph mode) carrying a
 * BM25-style score and a match count; AND / OR / NOT combine the lists.
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
#include "search/engine_int.h"

#include "sucai/text.h"

#include <math.h>

size_t sc_tcur_open(struct tcur *t, const struct sc_seg *seg, const uint32_t *cps, size_t n)
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
size_t sc_tcur_verify(struct ctx *c, struct tcur *t)
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
int sc_tcur_align(struct tcur *t, uint32_t *target, const uint32_t *cd, size_t ncd, size_t *ci)
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
        if (ul_push(c, out, ((uint64_t)gord << 32) | p, leaf_score(c, cnt, para_len(d, p)), cnt, 0))
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
    const struct sc_spara *para = d->para;
    const uint32_t np = d->npara;
    /* block b (positions from b << PBLOCK_SHIFT) starts in paragraph p when
     * para[p].norm <= b << PBLOCK_SHIFT < para[p + 1].norm: filled paragraph
     * by paragraph (a branch per paragraph, not per block) */
    size_t b = 0;
    for (uint32_t p = 0; p < np && b < nb; p++) {
        size_t e = ((size_t)para[p + 1].norm + (1u << PBLOCK_SHIFT) - 1) >> PBLOCK_SHIFT;
        if (e > nb)
            e = nb;
        while (b < e)
            blk[b++] = p;
    }
    while (b < nb)
        blk[b++] = np - 1;
    memset(cnt, 0, np * sizeof *cnt);
    for (size_t i = 0; i < n; i++) {
        uint32_t v = pos[i];
        size_t k = v >> PBLOCK_SHIFT;
        uint32_t q = blk[k < nb ? k : nb - 1];
        while (q + 1 < np && para[q + 1].norm <= v)
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
                    ul_push(c, out, gbase + cd[i], leaf_score(c, cur.tf, seg->docs[cd[i]].norm_len),
                            cur.tf, 0))
                    return -1;
            }
        } else {
            if (ul_reserve(c, out, out->n + cur.ndocs))
                return -1;
            while (sc_pcur_next(&cur) && cur.doc < seg->ndocs)
                if (!mask || mask[gbase + cur.doc])
                    out->v[out->n++] =
                        (struct uent){ gbase + cur.doc,
                                       leaf_score(c, cur.tf, seg->docs[cur.doc].norm_len), cur.tf,
                                       0 };
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
        if (!seek) { /* the whole list in one pass */
            sc_pcur_scatter(&pc, tf + 1, fill, all, seg->ndocs);
            continue;
        }
        size_t ci = 0;
        int64_t last = -1;
        for (;;) {
            while (ci < ncd && ((int64_t)cd[ci] <= last || tf[cd[ci] + 1] == tf[cd[ci]]))
                ci++;
            if (ci == ncd || !sc_pcur_seek(&pc, cd[ci]))
                break;
            last = pc.doc;
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
    if (!sc_tcur_open(t, seg, cps, n))
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
                        out->v[out->n++] =
                            (struct uent){ gbase + cur->doc,
                                           leaf_score(c, tf, seg->docs[cur->doc].norm_len), tf, 0 };
                }
            }
        }
        if (c->err)
            rc = -1;
        goto done;
    }
    uint32_t target = 0;
    size_t ci = 0;
    while (!rc && sc_tcur_align(t, &target, cd, ncd, &ci)) {
        if (target >= seg->ndocs)
            break;
        if ((!mask || mask[gbase + target]) && c->exists && !c->para && !c->kindmask &&
            !(c->vis && c->snap->paidmask[gbase + target])) {
            /* saved searches ask only whether the document matches (a
             * document withholding text from the view: all its starts) */
            if (exists_doc(t))
                rc = ul_push(c, out, gbase + target, 0, 1, 0);
        } else if (!mask || mask[gbase + target]) {
            size_t ns = sc_tcur_verify(c, t);
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
    struct bm25 b = { log(1.0 + (N - df + 0.5) / (df + 0.5)), BM25_K1 * (1 - BM25_B),
                      BM25_K1 * BM25_B / avg };
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
        if (sc_tcur_open(t, seg, cps, n)) {
            uint32_t target = 0;
            size_t ci = 0;
            while (!rc && sc_tcur_align(t, &target, NULL, 0, &ci)) {
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
                    size_t ns = sc_tcur_verify(c, t);
                    if (!c->err)
                        ns = keep_visible(c, gbase + target, c->starts, ns, n);
                    if (c->err) {
                        rc = -1;
                    } else if (ns) {
                        int title = c->tmark[target] && d->title_norm.len >= q->len &&
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
    case SC_Q_TITLE: return str_has(d->title_norm, q->text, q->len);
    case SC_Q_GENRE: return str_eq(d->genre, q->text, q->len);
    case SC_Q_LEVEL: return str_eq(d->level, q->text, q->len);
    case SC_Q_UNIT: return str_has(d->unit, q->text, q->len);
    case SC_Q_YEAR: return d->year >= q->year_from && d->year <= q->year_to;
    case SC_Q_SECTION:
        return ((c->hide ? c->snap->fkey[g].kinds_shown : d->kinds) >> q->section) & 1;
    case SC_Q_DOCNO:
        return q->exact ? str_eq(d->docno, q->text, q->len) : str_has(d->docno, q->text, q->len);
    case SC_Q_DATE: return d->date && d->date >= q->date_from && d->date <= q->date_to;
    default: return 0;
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
                out->v[out->n++] = (struct uent){ unit, 0, 0, 0 };
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
    struct ulist r = { 0 };
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
    default: return N;
    }
}

#define AND_PARA_MAX 8 /* terms of an AND evaluated a document at a time */

/* Paragraph mode, an AND of terms of two or more characters each (in the
 * order they are to be evaluated, rarest first), no candidate units: the
 * terms are evaluated together a document at a time. */
static int and_terms_para_ok(const struct ctx *c, const struct sc_qnode *const *pos, size_t npos,
                             const struct cand *cand)
{
    if (!c->para || c->exists || cand->units || npos < 2 || npos > AND_PARA_MAX)
        return 0;
    for (size_t i = 0; i < npos; i++)
        if (pos[i]->kind != SC_Q_TERM || pos[i]->ncp < 2 || pos[i]->ncp > SC_QUERY_MAX_TERM_BYTES)
            return 0;
    return 1;
}

/* The AND above: the documents holding every term's pairs (the terms'
 * cursors leapfrogging), in each the first term's paragraphs with their
 * counts, narrowed by each next term's; a unit's score and count are the
 * sums the terms' own lists would have given through ul_and, added in the
 * same order. No unit list is made for a single term. */
static int and_terms_para(struct ctx *c, const struct sc_qnode *const *pos, size_t npos,
                          const uint8_t *mask, struct ulist *out)
{
    struct term {
        uint32_t cps[SC_QUERY_MAX_TERM_BYTES];
        size_t n;
        struct bm25 bm;
        struct tcur t;
    } *tm = sc_calloc(npos, sizeof *tm);
    uint32_t *pp = NULL, *pc = NULL; /* the paragraphs left in a document, their counts */
    double *ps = NULL;               /* ... and scores */
    size_t cap = 0;
    if (!tm)
        return oom(c);
    for (size_t i = 0; i < npos; i++) {
        tm[i].n = decode_cps(pos[i]->text, pos[i]->len, tm[i].cps, SC_QUERY_MAX_TERM_BYTES);
        tm[i].bm = bm25_of(c, leaf_df(c, tm[i].cps, tm[i].n));
    }
    int rc = c->err ? -1 : 0;
    for (size_t si = 0; si < c->snap->nseg && !rc; si++) {
        const struct sc_seg *seg = c->snap->segs[si];
        uint32_t gbase = c->snap->base[si];
        int any = 1;
        for (size_t i = 0; i < npos && any; i++)
            any = tm[i].n >= 2 && sc_tcur_open(&tm[i].t, seg, tm[i].cps, tm[i].n) > 0;
        if (!any)
            continue;
        uint32_t target = 0;
        for (;;) {
            /* every term's cursors on one document */
            int ok = 1;
            for (size_t i = 0; i < npos && ok;) {
                uint32_t x = target;
                size_t ci = 0;
                if (!sc_tcur_align(&tm[i].t, &x, NULL, 0, &ci)) {
                    ok = 0;
                } else if (x != target) {
                    target = x;
                    i = 0; /* the others again, from the new document */
                } else {
                    i++;
                }
            }
            if (!ok || target >= seg->ndocs)
                break;
            uint32_t g = gbase + target;
            const struct sc_sdoc *d = &seg->docs[target];
            size_t np = 0;
            for (size_t i = 0; i < npos && (mask ? mask[g] : 1); i++) {
                size_t ns = sc_tcur_verify(c, &tm[i].t);
                if (c->err) {
                    rc = -1;
                    break;
                }
                ns = filter_starts(c, g, d, c->starts, ns, tm[i].n);
                const uint32_t *st = c->starts;
                if (i == 0) {
                    /* the first term's paragraphs */
                    if (ns > cap) {
                        size_t nc = ns + ns / 2 + 16;
                        uint32_t *a = sc_reallocarray(pp, nc, sizeof *a);
                        if (a)
                            pp = a;
                        uint32_t *b = a ? sc_reallocarray(pc, nc, sizeof *b) : NULL;
                        if (b)
                            pc = b;
                        double *e = b ? sc_reallocarray(ps, nc, sizeof *e) : NULL;
                        if (!e) {
                            rc = oom(c);
                            break;
                        }
                        ps = e;
                        cap = nc;
                    }
                    uint32_t p = 0;
                    for (size_t k = 0; k < ns;) {
                        p = para_from(d, p, st[k]);
                        uint32_t end = d->para[p + 1].norm, cnt = 0;
                        while (k < ns && st[k] < end) {
                            cnt++;
                            k++;
                        }
                        pp[np] = p;
                        pc[np] = cnt;
                        ps[np] = bm25(&tm[0].bm, cnt, para_len(d, p));
                        np++;
                    }
                } else {
                    /* the paragraphs left that hold this term too */
                    size_t k = 0, w = 0;
                    for (size_t j = 0; j < np; j++) {
                        uint32_t p = pp[j];
                        uint32_t from = d->para[p].norm, end = d->para[p + 1].norm, cnt = 0;
                        while (k < ns && st[k] < from)
                            k++;
                        while (k < ns && st[k] < end) {
                            cnt++;
                            k++;
                        }
                        if (!cnt)
                            continue;
                        pp[w] = p;
                        pc[w] = pc[j] + cnt;
                        ps[w] = ps[j] + bm25(&tm[i].bm, cnt, para_len(d, p));
                        w++;
                    }
                    np = w;
                }
                if (!np)
                    break;
            }
            if (rc)
                break;
            if (mask && !mask[g])
                np = 0;
            for (size_t j = 0; j < np && !rc; j++)
                rc = ul_push(c, out, ((uint64_t)g << 32) | pp[j], ps[j], pc[j], 0);
            target++;
        }
    }
    free(tm);
    free(pp);
    free(pc);
    free(ps);
    return rc || c->err ? -1 : 0;
}

int sc_and_topk_ok(const struct sc_qnode *q)
{
    if (!q || q->kind != SC_Q_AND)
        return 0;
    size_t nt = 0;
    for (size_t i = 0; i < q->nkids; i++) {
        const struct sc_qnode *k = q->kids[i];
        if (is_pred(k) && k->kind != SC_Q_SECTION)
            continue;
        if (k->kind != SC_Q_TERM || k->ncp < 2 || k->ncp > SC_QUERY_MAX_TERM_BYTES)
            return 0;
        nt++;
    }
    return nt >= 1 && nt <= AND_PARA_MAX;
}

/* The top-level AND of sc_and_topk_ok (document mode), its terms pos[0..npos)
 * rarest first: evaluated a document at a time and ranked as it goes, as
 * eval_term_topk does for one term. A document whose upper bound (the sum
 * over the terms of BM25 of the least tf among a term's pairs, doubled
 * where the title holds its first pair) is below the k-th best exact score
 * so far is only checked for a match of every term and kept with a score
 * below every real one; any other gets the score and count the terms' own
 * lists would have given through ul_and, added in the same order. */
static int and_terms_topk(struct ctx *c, const struct sc_qnode *const *pos, size_t npos,
                          const uint8_t *mask, struct ulist *out)
{
    struct term {
        uint32_t cps[SC_QUERY_MAX_TERM_BYTES];
        size_t n;
        struct bm25 bm;
        struct tcur t;
    } *tm = sc_calloc(npos, sizeof *tm);
    if (!tm)
        return oom(c);
    for (size_t i = 0; i < npos; i++) {
        tm[i].n = decode_cps(pos[i]->text, pos[i]->len, tm[i].cps, SC_QUERY_MAX_TERM_BYTES);
        tm[i].bm = bm25_of(c, leaf_df(c, tm[i].cps, tm[i].n));
    }
    int rc = c->err ? -1 : 0;
    for (size_t si = 0; si < c->snap->nseg && !rc; si++) {
        const struct sc_seg *seg = c->snap->segs[si];
        uint32_t gbase = c->snap->base[si];
        if (seg->ndocs > c->tmcap) {
            free(c->tmark);
            c->tmark = sc_calloc(seg->ndocs, 1); /* kept all zero between terms */
            if (!c->tmark) {
                c->tmcap = 0;
                rc = oom(c);
                break;
            }
            c->tmcap = seg->ndocs;
        }
        /* the title marks: bit i for term i */
        for (size_t i = 0; i < npos; i++) {
            size_t f, e;
            uint64_t key = sc_pair_key(tm[i].cps[0], tm[i].cps[1]);
            sc_seg_title_range(seg, key, key, &f, &e);
            for (size_t x = f; x < e; x++)
                c->tmark[seg->tdoc[x]] |= (uint8_t)(1u << i);
        }
        int any = 1;
        for (size_t i = 0; i < npos && any; i++)
            any = tm[i].n >= 2 && sc_tcur_open(&tm[i].t, seg, tm[i].cps, tm[i].n) > 0;
        uint32_t target = 0;
        while (any && !rc) {
            int ok = 1;
            for (size_t i = 0; i < npos && ok;) {
                uint32_t x = target;
                size_t ci = 0;
                if (!sc_tcur_align(&tm[i].t, &x, NULL, 0, &ci)) {
                    ok = 0;
                } else if (x != target) {
                    target = x;
                    i = 0;
                } else {
                    i++;
                }
            }
            if (!ok || target >= seg->ndocs)
                break;
            uint32_t g = gbase + target;
            if (mask && !mask[g]) {
                target++;
                continue;
            }
            const struct sc_sdoc *d = &seg->docs[target];
            uint8_t tb = c->tmark[target];
            double ub = 0;
            for (size_t i = 0; i < npos; i++) {
                uint32_t tfub = UINT32_MAX;
                for (size_t j = 0; j < tm[i].t.k; j++)
                    if (tm[i].t.cur[j].tf < tfub)
                        tfub = tm[i].t.cur[j].tf;
                double w = bm25(&tm[i].bm, tfub, d->norm_len);
                ub += (tb >> i) & 1 ? w * TITLE_BOOST : w;
            }
            /* a document withholding text from this caller is counted in
             * full: its first occurrences may be withheld ones */
            int withholds = c->vis && c->snap->paidmask[g];
            if (c->topk_n == c->topk_k && !withholds && ub < c->topk_h[0]) {
                int all = 1;
                for (size_t i = 0; i < npos && all; i++)
                    all = tm[i].n == 2 || exists_doc(&tm[i].t);
                if (all)
                    rc = ul_push(c, out, g, -1.0, 1, 0);
                target++;
                continue;
            }
            double acc = 0;
            uint32_t cnt = 0;
            int all = 1;
            for (size_t i = 0; i < npos && all; i++) {
                size_t ns;
                if (tm[i].n == 2) {
                    ns = vis_tf(c, &tm[i].t.cur[0], g);
                } else {
                    ns = sc_tcur_verify(c, &tm[i].t);
                    if (!c->err)
                        ns = keep_visible(c, g, c->starts, ns, tm[i].n);
                }
                if (c->err) {
                    rc = -1;
                    break;
                }
                if (!ns) {
                    all = 0;
                    break;
                }
                double w = bm25(&tm[i].bm, (double)ns, d->norm_len);
                if ((tb >> i) & 1 && (tm[i].n <= 2 || (d->title_norm.len >= pos[i]->len &&
                                                       memmem(d->title_norm.p, d->title_norm.len,
                                                              pos[i]->text, pos[i]->len))))
                    w *= TITLE_BOOST;
                acc = i == 0 ? w : acc + w;
                cnt += (uint32_t)ns;
            }
            if (!rc && all) {
                rc = ul_push(c, out, g, acc, cnt, 0);
                topk_add(c, acc);
            }
            target++;
        }
        for (size_t i = 0; i < npos; i++) {
            size_t f, e;
            uint64_t key = sc_pair_key(tm[i].cps[0], tm[i].cps[1]);
            sc_seg_title_range(seg, key, key, &f, &e);
            for (size_t x = f; x < e; x++)
                c->tmark[seg->tdoc[x]] = 0;
        }
    }
    free(tm);
    return rc || c->err ? -1 : 0;
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
        if (q == c->topk_and && !c->para && !cand->units && !c->kindmask) {
            rc = and_terms_topk(c, pos, npos, cc.mask, out);
            npos = 0; /* done */
        } else if (and_terms_para_ok(c, pos, npos, &cc)) {
            rc = and_terms_para(c, pos, npos, cc.mask, out);
            npos = 0; /* done */
        } else {
            rc = eval(c, pos[0], &cc, out);
        }
        for (size_t i = 1; i < npos && !rc && out->n; i++) {
            struct ulist l = { 0 };
            struct cand ci = { cc.mask, out };
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
        struct ulist l = { 0 };
        struct cand cn = { cc.mask, out };
        rc = eval(c, k->kids[0], &cn, &l);
        if (!rc)
            ul_not(out, &l);
        ul_free(&l);
    }
    free(own);
    ul_free(&own_units);
    return rc;
}

static int eval(struct ctx *c, const struct sc_qnode *q, const struct cand *cand, struct ulist *out)
{
    switch (q->kind) {
    case SC_Q_TERM: return eval_term(c, q, cand, out);
    case SC_Q_AND: return eval_and(c, q, cand, out);
    case SC_Q_OR:
        for (size_t i = 0; i < q->nkids; i++) {
            if (i == 0) {
                if (eval(c, q->kids[0], cand, out))
                    return -1;
                continue;
            }
            struct ulist l = { 0 };
            int rc = eval(c, q->kids[i], cand, &l) || ul_or(c, out, &l);
            ul_free(&l);
            if (rc)
                return -1;
        }
        return 0;
    case SC_Q_NOT: {
        if (universe(c, NULL, 0, cand, out))
            return -1;
        struct ulist l = { 0 };
        struct cand cn = { cand->mask, out };
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

int sc_eval(struct ctx *c, const struct sc_qnode *q, const struct cand *cand, struct ulist *out)
{
    return eval(c, q, cand, out);
}
