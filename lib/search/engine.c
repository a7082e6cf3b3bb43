/*
 * The search engine's entry points: the snapshot (its segments and the
 * per-document facet keys and paid cuts), sc_engine_search (parse,
 * evaluate (eval.c), count the facets (facets.c), rank and make the page
 * (rank.c)) and sc_engine_match for saved searches.
 */
#include "search/engine_int.h"

#include "sucai/gongwen.h"
#include "sucai/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static uint32_t collect_kinds(const struct sc_qnode *q)
{
    if (!q)
        return 0;
    uint32_t m = q->kind == SC_Q_SECTION ? 1u << q->section : 0;
    for (size_t i = 0; i < q->nkids; i++)
        m |= collect_kinds(q->kids[i]);
    return m;
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
    int rc = sc_eval(&f, root, &pm, &full);
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
    enum sc_err e = sc_query_build(qs, qlen, opts->filters, opts->nfilters, &q, diag);
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
    if (!c.para && (q.root->kind == SC_Q_TERM || sc_and_topk_ok(q.root)) && opts->limit &&
        !(flags & SC_ENGINE_EXHAUSTIVE)) {
        c.topk_k = opts->offset + opts->limit;
        c.topk_h = sc_malloc(c.topk_k * sizeof *c.topk_h);
        if (c.topk_h && q.root->kind == SC_Q_TERM) /* else rank after evaluating */
            c.topk_term = q.root;
        else if (c.topk_h)
            c.topk_and = q.root;
    }
    if (sc_eval(&c, q.root, &all, &res) != 0) {
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
        if (sc_facets_make(&c, &res, &out->facets)) {
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
            goto done;
        }
    }
    e = sc_rank_page(&c, src, &res, q.root, out, diag);
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
                            const uint8_t *vis, int64_t after_id, sc_match_fn *fn, void *fctx,
                            struct sc_diag *diag)
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
        /* the owner's view: with vis, on the text a reader who may not read
         * paid text sees (paid headings withheld too) */
        c.vis = c.hide = vis && vis[qi] && snap->npaid;
        c.err = SC_OK;
        struct ulist res = { 0 };
        if (sc_eval(&c, qs[qi]->root, &cand, &res) != 0) {
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
