/*
 * The 查重 report from the matcher's matches: spans (the union of the
 * matches), their sources (best first), how many documents hold each,
 * whether it is 常用表述, the per-section rates over the draft's own
 * outline and the 总重复率. What a caller may see of the library is decided
 * by the matcher (ck_find's vis: matches cut to the text the caller may
 * see) and, for section paths, here (source_seen).
 */
#include "check/check_int.h"

#include "sucai/gongwen.h"
#include "sucai/text.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- draft */

enum sc_err ck_draft_init(struct ck_draft *d, const char *text, size_t len)
{
    memset(d, 0, sizeof *d);
    d->text = text;
    d->len = len;
    struct sc_buf nb = SC_BUF_INIT;
    uint32_t *map = NULL;
    enum sc_err e = sc_normalize(text, len, &nb, &map);
    if (e != SC_OK) {
        sc_buf_release(&nb);
        return e;
    }
    d->cp = sc_malloc((nb.len + 1) * sizeof *d->cp);
    d->obyte = sc_malloc((nb.len + 1) * sizeof *d->obyte);
    if (!d->cp || !d->obyte) {
        free(map);
        sc_buf_release(&nb);
        ck_draft_release(d);
        return SC_ENOMEM;
    }
    size_t n = 0;
    for (size_t i = 0; i < nb.len;) {
        uint32_t cp;
        size_t k = sc_utf8_decode(nb.data + i, nb.len - i, &cp);
        if (!k)
            k = 1, cp = 0xFFFD;
        d->cp[n] = cp;
        d->obyte[n] = map[i];
        n++;
        i += k;
    }
    d->obyte[n] = (uint32_t)len;
    d->n = n;
    free(map);
    sc_buf_release(&nb);
    return SC_OK;
}

void ck_draft_release(struct ck_draft *d)
{
    free(d->cp);
    free(d->obyte);
    d->cp = NULL;
    d->obyte = NULL;
    d->n = 0;
}

/* End byte of the original character that produced normalised cp i. */
static size_t obyte_end(const struct ck_draft *d, size_t i)
{
    size_t b = d->obyte[i];
    if (b >= d->len)
        return d->len;
    uint32_t cp;
    size_t k = sc_utf8_decode(d->text + b, d->len - b, &cp);
    return b + (k ? k : 1);
}

size_t ck_cp_of(struct ck_cpmap *m, size_t byte)
{
    if (byte < m->byte) {
        m->byte = 0;
        m->cp = 0;
    }
    if (byte > m->len)
        byte = m->len;
    while (m->byte < byte) {
        unsigned char c = (unsigned char)m->text[m->byte];
        size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        m->byte += k;
        m->cp++;
    }
    return m->cp;
}

/* ---------------------------------------------------------------- library text */

/* A paragraph that is not one for one, normalised again with its map (an
 * allocation failure gives the paragraph's start). */
uint32_t ck_orig_cp(const struct sc_seg *seg, uint32_t doc, uint32_t pos)
{
    const struct sc_sdoc *sd = &seg->docs[doc];
    uint32_t p = sc_sdoc_para_of(sd, pos);
    uint32_t off = pos - sd->para[p].norm;
    if (sd->para[p].ident)
        return sd->para[p].orig_cp + off;
    struct sc_pnorm pn = { 0 };
    uint32_t res = sd->para[p].orig_cp;
    if (sc_seg_para_norm(seg, doc, p, &pn) == SC_OK)
        res += pn.ocp[off < pn.n ? off : pn.n];
    sc_pnorm_release(&pn);
    return res;
}

/* ---------------------------------------------------------------- the paywall */

/* (The matcher sees only the text the caller may see: ck_find's vis.)
 * What a caller who is not entitled sees of a document's sections: the
 * headings of paid sections are withheld unless shown as a teaser. NULL
 * for an entitled caller (everything). */
static const struct sc_seen *source_seen(const struct sc_snap *snap, const struct ck_match *m,
                                         const struct sc_check_opts *o, struct sc_seen *buf)
{
    if (o->entitled)
        return NULL;
    sc_snap_seen(snap, snap->base[m->seg] + m->doc, !(o->caller && o->caller->view.headings),
                 buf);
    return buf;
}

/* ---------------------------------------------------------------- spans */

struct group { /* the matches of one span in one document */
    uint32_t seg, doc;
    size_t best; /* index of its longest match */
    uint32_t len;
    int full; /* some match covers the whole span */
    int paid;
    int64_t id;
};

static int idx_by_start(const void *x, const void *y, void *ctx)
{
    const struct ck_match *m = ctx;
    const struct ck_match *a = &m[*(const size_t *)x], *b = &m[*(const size_t *)y];
    if (a->ds != b->ds)
        return a->ds < b->ds ? -1 : 1;
    if (a->seg != b->seg)
        return a->seg < b->seg ? -1 : 1;
    if (a->doc != b->doc)
        return a->doc < b->doc ? -1 : 1;
    return a->de > b->de ? -1 : a->de < b->de;
}

static int group_cmp(const void *x, const void *y)
{
    const struct group *a = x, *b = y;
    if (a->len != b->len)
        return a->len > b->len ? -1 : 1;
    if (a->paid != b->paid)
        return a->paid < b->paid ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

static int group_doc_cmp(const void *x, const void *y)
{
    const struct group *a = x, *b = y;
    if (a->seg != b->seg)
        return a->seg < b->seg ? -1 : 1;
    return a->doc < b->doc ? -1 : a->doc > b->doc;
}

static enum sc_err make_source(const struct sc_snap *snap, const struct ck_draft *d,
                               const struct ck_match *m, int paid, const struct sc_check_opts *o,
                               struct sc_check_source *src)
{
    const struct sc_seg *seg = snap->segs[m->seg];
    const struct sc_sdoc *sd = &seg->docs[m->doc];
    memset(src, 0, sizeof *src);
    src->id = sd->id;
    src->year = sd->year;
    src->title = sc_malloc(sd->title.len + 1);
    if (!src->title)
        return SC_ENOMEM;
    memcpy(src->title, sd->title.p, sd->title.len);
    src->title[sd->title.len] = '\0';
    src->paragraph = sc_sdoc_para_of(sd, m->ls);
    struct sc_seen seen;
    src->section = sc_section_path(sd, source_seen(snap, m, o, &seen), m->ls);
    if (!src->section)
        return SC_ENOMEM;
    uint32_t len = m->de - m->ds;
    src->start_cp = ck_orig_cp(seg, m->doc, m->ls);
    src->end_cp = (int64_t)ck_orig_cp(seg, m->doc, m->ls + len - 1) + 1;
    src->draft_start = d->obyte[m->ds];
    src->draft_end = obyte_end(d, m->de - 1);
    src->paid = paid;
    struct sc_buf t = SC_BUF_INIT;
    enum sc_err e =
        sc_seg_text_utf8(seg, m->doc, (uint64_t)src->start_cp, (uint64_t)src->end_cp, &t);
    if (e == SC_OK && !(src->text = sc_buf_take(&t, NULL)))
        e = SC_ENOMEM;
    if (e != SC_OK)
        sc_buf_release(&t);
    return e;
}

static void source_release(struct sc_check_source *s)
{
    free(s->title);
    free(s->section);
    free(s->text);
}

void sc_check_result_release(struct sc_check_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nspans; i++) {
        for (size_t k = 0; k < r->spans[i].nsources; k++)
            source_release(&r->spans[i].sources[k]);
        free(r->spans[i].sources);
    }
    free(r->spans);
    for (size_t i = 0; i < r->nsections; i++) {
        free(r->sections[i].label);
        free(r->sections[i].heading);
    }
    free(r->sections);
    for (size_t i = 0; i < r->npaid_only; i++)
        free(r->paid_only[i].title);
    free(r->paid_only);
    memset(r, 0, sizeof *r);
}

enum sc_err ck_paid_only(const struct sc_snap *snap, const uint8_t *found,
                         struct sc_check_result *out)
{
    size_t n = 0;
    for (uint32_t i = 0; i < snap->ndocs; i++)
        n += found[i] != 0;
    if (!n)
        return SC_OK;
    out->paid_only = sc_calloc(n, sizeof *out->paid_only);
    if (!out->paid_only)
        return SC_ENOMEM;
    for (size_t si = 0; si < snap->nseg; si++) {
        const struct sc_seg *seg = snap->segs[si];
        for (uint32_t k = 0; k < seg->ndocs; k++) {
            if (!found[snap->base[si] + k])
                continue;
            const struct sc_sdoc *sd = &seg->docs[k];
            struct sc_check_paid_doc *p = &out->paid_only[out->npaid_only];
            p->id = sd->id;
            if (!(p->title = sc_malloc(sd->title.len + 1)))
                return SC_ENOMEM;
            memcpy(p->title, sd->title.p, sd->title.len);
            p->title[sd->title.len] = '\0';
            out->npaid_only++;
        }
    }
    return SC_OK;
}

/* Sources of one span: matches idx[0..k) (all inside it). */
static enum sc_err span_sources(const struct sc_snap *snap, const struct ck_draft *d,
                                const struct ck_matches *mm, const size_t *idx, size_t k,
                                uint32_t sds, uint32_t sde, const struct sc_check_opts *o,
                                struct sc_check_span *sp, struct group *g)
{
    size_t ng = 0;
    for (size_t i = 0; i < k; i++) {
        const struct ck_match *m = &mm->m[idx[i]];
        g[ng++] =
            (struct group){ m->seg, m->doc, idx[i], m->de - m->ds, m->ds == sds && m->de == sde,
                            0,      0 };
    }
    qsort(g, ng, sizeof *g, group_doc_cmp);
    size_t nd = 0;
    for (size_t i = 0; i < ng; i++) {
        if (nd && g[nd - 1].seg == g[i].seg && g[nd - 1].doc == g[i].doc) {
            struct group *h = &g[nd - 1];
            h->full |= g[i].full;
            if (g[i].len > h->len)
                h->len = g[i].len, h->best = g[i].best;
            continue;
        }
        g[nd++] = g[i];
    }
    int64_t full = 0;
    for (size_t i = 0; i < nd; i++) {
        const struct ck_match *m = &mm->m[g[i].best];
        const struct sc_sdoc *sd = &snap->segs[m->seg]->docs[m->doc];
        g[i].id = sd->id;
        g[i].paid = sd->npaid_to > sd->npaid_from && m->ls < sd->npaid_to &&
                    m->ls + (m->de - m->ds) > sd->npaid_from;
        full += g[i].full;
    }
    sp->docs = full ? full : (int64_t)nd;
    sp->common = (size_t)sp->docs >= o->common;
    qsort(g, nd, sizeof *g, group_cmp);
    size_t want = nd < o->max_sources ? nd : o->max_sources;
    sp->sources = want ? sc_calloc(want, sizeof *sp->sources) : NULL;
    if (want && !sp->sources)
        return SC_ENOMEM;
    for (size_t i = 0; i < nd && sp->nsources < want; i++) {
        enum sc_err e =
            make_source(snap, d, &mm->m[g[i].best], g[i].paid, o, &sp->sources[sp->nsources]);
        sp->nsources++;
        if (e != SC_OK)
            return e;
    }
    return SC_OK;
}

/* Per-section rates and the totals from the spans (bytes of the draft). */
enum sc_err ck_sections(const struct ck_draft *d, struct sc_check_result *out)
{
    size_t ncp = sc_utf8_count(d->text, d->len);
    out->chars = ncp;
    /* copied code points before each code point, and each one's byte */
    uint32_t *pre = sc_malloc((ncp + 1) * sizeof *pre);
    uint32_t *cpb = sc_malloc((ncp + 1) * sizeof *cpb);
    if (!pre || !cpb) {
        free(pre);
        free(cpb);
        return SC_ENOMEM;
    }
    size_t b = 0;
    uint32_t sum = 0;
    size_t si = 0;
    out->copied = out->common = 0;
    for (size_t i = 0; i < ncp; i++) {
        while (si < out->nspans && out->spans[si].end <= b)
            si++;
        int in = si < out->nspans && out->spans[si].start <= b;
        cpb[i] = (uint32_t)b;
        pre[i] = sum;
        if (in && !out->spans[si].common)
            sum++, out->copied++;
        else if (in)
            out->common++;
        unsigned char c = (unsigned char)d->text[b];
        b += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (b > d->len)
            b = d->len;
    }
    pre[ncp] = sum;
    cpb[ncp] = (uint32_t)d->len;
    out->overlap = ncp ? (double)out->copied / (double)ncp : 0.0;
    struct sc_section *secs = NULL;
    size_t ns = 0;
    enum sc_err e = sc_outline_parse(d->text, d->len, &secs, &ns);
    if (e == SC_OK && ns) {
        out->sections = sc_calloc(ns, sizeof *out->sections);
        if (!out->sections)
            e = SC_ENOMEM;
    }
    for (size_t i = 0; e == SC_OK && i < ns; i++) {
        struct sc_check_section *cs = &out->sections[out->nsections];
        int64_t s = secs[i].start_cp, t = secs[i].end_cp;
        if (s < 0 || t < s || (size_t)t > ncp)
            continue;
        cs->level = secs[i].level;
        cs->label = sc_strdup(secs[i].label ? secs[i].label : "");
        cs->heading = sc_strdup(secs[i].heading ? secs[i].heading : "");
        out->nsections++;
        if (!cs->label || !cs->heading) {
            e = SC_ENOMEM;
            break;
        }
        cs->start = cpb[s];
        cs->end = cpb[t];
        cs->chars = (size_t)(t - s);
        cs->copied = pre[t] - pre[s];
        cs->overlap = cs->chars ? (double)cs->copied / (double)cs->chars : 0.0;
    }
    sc_sections_free(secs, ns);
    free(pre);
    free(cpb);
    return e;
}

enum sc_err ck_report(const struct sc_snap *snap, const struct ck_draft *d,
                      const struct ck_matches *mm, const struct sc_check_opts *o,
                      struct sc_check_result *out, struct sc_diag *diag)
{
    size_t n = mm->n;
    size_t *idx = sc_malloc((n ? n : 1) * sizeof *idx);
    struct group *g = sc_malloc((n ? n : 1) * sizeof *g);
    enum sc_err e = SC_OK;
    if (!idx || !g) {
        e = SC_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    qsort_r(idx, n, sizeof *idx, idx_by_start, (void *)mm->m); /* GNU: built with _GNU_SOURCE */
    /* spans: the union of the matches (touching ones join) */
    size_t nsp = 0;
    for (size_t i = 0; i < n;) {
        uint32_t de = mm->m[idx[i]].de;
        size_t j = i + 1;
        while (j < n && mm->m[idx[j]].ds <= de) {
            if (mm->m[idx[j]].de > de)
                de = mm->m[idx[j]].de;
            j++;
        }
        nsp++;
        i = j;
    }
    out->spans = nsp ? sc_calloc(nsp, sizeof *out->spans) : NULL;
    if (nsp && !out->spans) {
        e = SC_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < n && e == SC_OK;) {
        uint32_t ds = mm->m[idx[i]].ds, de = mm->m[idx[i]].de;
        size_t j = i + 1;
        while (j < n && mm->m[idx[j]].ds <= de) {
            if (mm->m[idx[j]].de > de)
                de = mm->m[idx[j]].de;
            j++;
        }
        struct sc_check_span *sp = &out->spans[out->nspans++];
        sp->start = d->obyte[ds];
        sp->end = obyte_end(d, de - 1);
        e = span_sources(snap, d, mm, idx + i, j - i, ds, de, o, sp, g);
        i = j;
    }
    if (e == SC_OK)
        e = ck_sections(d, out);
done:
    free(idx);
    free(g);
    if (e != SC_OK)
        return sc_diag_set(diag, e, "out of memory building the check report");
    return SC_OK;
}
