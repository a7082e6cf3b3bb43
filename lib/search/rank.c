/*
 * Ranking: the page's units chosen from the result set with a heap (by
 * score, then year, newer first, then id), and their hits made: the term
 * positions of each hit (cursors that move forward only while the hits are
 * visited in index order) and its snippets (snippet.c).
 */
#include "search/engine_int.h"

#include "sucai/gongwen.h"
#include "sucai/text.h"

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

/* ---------------------------------------------------------------- hits */

/* Term positions in the hits' documents: per term, cursors that only move
 * forward while the hits are visited in index order. */
struct hterm {
    uint32_t cps[SC_QUERY_MAX_TERM_BYTES];
    size_t n;
    size_t seg;         /* segment the cursors are open on, or SIZE_MAX */
    struct tcur *t;     /* n >= 2 */
    struct sc_pcur *cc; /* n == 1: one cursor per list of the key range */
    size_t ncc;
    int scan;           /* n == 1 with many lists: read the text store instead */
    struct sc_pnorm pn; /* scan: the paragraph read last */
    int none;           /* no match possible in this segment */
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
        ht->none = !sc_tcur_open(ht->t, seg, ht->cps, ht->n);
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
 * segment seg, read from the text store paragraph by paragraph
 * (sc_seg_para_norm). */
static int hterm_scan(struct ctx *c, struct hterm *ht, const struct sc_seg *seg, uint32_t doc)
{
    struct sc_pnorm *pn = &ht->pn;
    const struct sc_sdoc *d = &seg->docs[doc];
    const uint32_t ch = ht->cps[0];
    for (uint32_t p = 0; p < d->npara; p++) {
        uint32_t ns = d->para[p].norm, ne = d->para[p + 1].norm - 1; /* the '\n' excluded */
        if (ne <= ns)
            continue;
        if (sc_seg_para_norm(seg, doc, p, pn) != SC_OK)
            return oom(c);
        /* the index's length is the truth (a damaged text is read no further) */
        size_t n = pn->n < ne - ns ? pn->n : ne - ns;
        for (size_t i = 0; i < n; i++) {
            if (pn->cp[i] != ch)
                continue;
            if (ht->ncpos == ht->capcpos && grow_u32(c, &ht->cpos, &ht->capcpos, ht->ncpos + 1))
                return -1;
            ht->cpos[ht->ncpos++] = ns + (uint32_t)i;
        }
    }
    return 0;
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
        if (!sc_tcur_align(ht->t, &target, NULL, 0, &ci) || target != doc)
            return 0;
        size_t ns = sc_tcur_verify(c, ht->t);
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
static int hterm_doc(struct ctx *c, struct hterm *ht, uint32_t doc, uint8_t which, struct hpos *hp)
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

/* Snippet text from the segment's text store (mapped: no copy, no read
 * transaction), the caller's source only for a range that is not a whole
 * paragraph of the text store. */
struct store_src {
    const struct sc_seg *seg;
    uint32_t local;
    const struct sc_sdoc *d;
    const struct sc_textsrc *src;
};

static enum sc_err store_read(void *ctx, int64_t id, uint32_t total, uint32_t off, uint32_t len,
                              char *buf)
{
    const struct store_src *s = ctx;
    const struct sc_sdoc *d = s->d;
    uint32_t lo = 0, hi = d->npara; /* the paragraph starting at byte off */
    while (lo < hi) {
        uint32_t m = lo + (hi - lo) / 2;
        if (d->para[m].orig_byte < off)
            lo = m + 1;
        else
            hi = m;
    }
    if (lo < d->npara && d->para[lo].orig_byte == off && total == d->orig_len) {
        uint64_t from = d->para[lo].orig_cp, to = (uint64_t)d->para[lo + 1].orig_cp - 1;
        if (sc_seg_text_utf8_buf(s->seg, s->local, from, to, buf, len) == len)
            return SC_OK;
    }
    return s->src->read(s->src->ctx, id, total, off, len, buf);
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
    struct hpos hp = { 0 };
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
        struct store_src ss = { c->snap->segs[si], local, d, src };
        struct sc_textsrc tsrc = { store_read, &ss };
        e = sc_snippets_make(d, src ? &tsrc : NULL, qt, nterms, hp.pos, hp.which, hp.n,
                             h->paragraph, c->kindmask, seen, h);
    }
out:
    if (ht)
        for (size_t t = 0; t < nterms; t++) {
            free(ht[t].t);
            free(ht[t].cc);
            free(ht[t].cpos);
            sc_pnorm_release(&ht[t].pn);
        }
    free(ht);
    free(ho);
    free(hp.pos);
    free(hp.which);
    return e;
}

enum sc_err sc_rank_page(struct ctx *c, const struct sc_textsrc *src, const struct ulist *res,
                         const struct sc_qnode *root, struct sc_results *out, struct sc_diag *diag)
{
    const struct sc_search_opts *opts = c->opts;
    enum sc_err e = SC_OK;
    size_t want = opts->offset + opts->limit;
    if (opts->limit && res->n > opts->offset) {
        if (want > res->n)
            want = res->n;
        struct rank *h = sc_malloc(want * sizeof *h);
        const struct uent **hu = sc_malloc(want * sizeof *hu);
        if (!h || !hu) {
            free(h);
            free(hu);
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
            return e;
        }
        size_t nh = 0;
        for (size_t i = 0; i < res->n; i++) {
            struct rank r = { res->v[i].score, 0, 0, i };
            if (nh == want && r.score < h[0].score)
                continue; /* cannot enter: ties need the document */
            const struct sc_sdoc *d = doc_of(c->snap, unit_ord(c, res->v[i].unit), NULL);
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
            return e;
        }
        for (size_t i = 0; i < nret; i++)
            hu[i] = &res->v[h[opts->offset + i].idx];
        const struct sc_qnode *terms[SC_QUERY_MAX_NODES];
        size_t nterms = 0;
        collect_terms(root, terms, &nterms);
        out->nhits = nret;
        e = make_hits(c, src, hu, nret, terms, nterms, out->hits);
        if (e != SC_OK)
            sc_diag_set(diag, e, "out of memory making results");
        free(h);
        free(hu);
    }
    return e;
}
