/*
 * Snippets: pick the best one to three paragraphs of a hit, cut a window
 * of about 80 characters around the matches, and express the window and
 * its highlights in code points of the ORIGINAL text. Only the chosen
 * paragraphs are read from the store (a byte range of the document) and
 * normalised again (with the offset map), so the cost does not grow with
 * the document. For a caller who may not read paid text, every match
 * given is in the free text, windows stop at the withheld range (the cut
 * of sc_paid_cut, in original code points here) and section paths leave
 * out paid sections.
 */
#include "search/engine.h"

#include "sucai/text.h"

#include <stdlib.h>
#include <string.h>

#define WINDOW 80
#define LEAD 20
#define MAX_SNIPPETS 3
#define PATH_SEP " \xe2\x80\xba " /* " › " */

char *sc_section_path(const struct sc_sdoc *d, const struct sc_seen *seen, uint32_t pos)
{
    struct sc_buf b = SC_BUF_INIT;
    int last_level = 0;
    for (uint32_t i = 0; i < d->nsec; i++) {
        const struct sc_ssec *s = &d->sec[i];
        if (s->nstart > pos || pos >= s->nend || !sc_seen_section(seen, s->nstart))
            continue;
        if (s->level && s->level <= last_level)
            continue; /* a sibling range overlapping oddly: keep the first */
        if (b.len)
            sc_buf_adds(&b, PATH_SEP);
        sc_buf_add(&b, s->name.p, s->name.len);
        if (s->level)
            last_level = s->level;
    }
    return sc_buf_take(&b, NULL);
}

struct run {
    uint32_t s, e; /* code points, relative to the paragraph */
    uint64_t terms;
};

static int cmp_run(const void *x, const void *y)
{
    const struct run *a = x, *b = y;
    return a->s < b->s ? -1 : a->s > b->s ? 1 : (a->e > b->e) - (a->e < b->e);
}

/* The code points of cp[i..n) that term t[0..len) (UTF-8) starts: its
 * code point count, or SIZE_MAX when it does not match there. */
static size_t term_at(const uint32_t *cp, size_t n, size_t i, const char *t, size_t len)
{
    size_t j = 0;
    for (size_t k = 0; k < len; j++) {
        uint32_t c;
        size_t m = sc_utf8_decode(t + k, len - k, &c);
        if (i + j >= n || !m || cp[i + j] != c)
            return SIZE_MAX;
        k += m;
    }
    return j;
}

/* Build the snippet of paragraph p (original text pt[0..plen); pn its
 * normalised form unless it is an identity paragraph) into sn. */
static enum sc_err window(const struct sc_sdoc *d, const char *pt, size_t plen,
                          const struct sc_pnorm *pn, const struct sc_qterm *terms, size_t nterms,
                          const uint32_t *pos, const uint8_t *which, size_t npos, uint32_t p,
                          uint32_t kindmask, const struct sc_seen *seen, struct sc_snippet *sn)
{
    int entitled = seen == NULL;
    uint32_t pcp = d->para[p].orig_cp;
    uint32_t pnorm = d->para[p].norm;
    struct run *runs = NULL;
    size_t nruns = 0, cap = 0;
    enum sc_err e = SC_OK;
    if (d->para[p].ident) {
        /* normalised and original code points correspond one for one: the
         * index's match positions are the highlights */
        uint32_t pend = d->para[p + 1].norm;
        for (size_t i = 0; i < npos; i++) {
            if (pos[i] < pnorm || pos[i] >= pend)
                continue;
            if (nruns == cap) {
                size_t nc = cap ? cap * 2 : 16;
                struct run *nr = sc_reallocarray(runs, nc, sizeof *nr);
                if (!nr) {
                    e = SC_ENOMEM;
                    goto out;
                }
                runs = nr;
                cap = nc;
            }
            runs[nruns].s = pos[i] - pnorm;
            runs[nruns].e = runs[nruns].s + (uint32_t)terms[which[i] % (nterms ? nterms : 1)].ncp;
            runs[nruns].terms = 1ull << (which[i] & 63);
            nruns++;
        }
        nterms = 0; /* no second search */
    }
    /* every occurrence of every term in the normalised paragraph (a match
     * of code points is one of UTF-8 bytes: both are valid UTF-8) */
    for (size_t t = 0; t < nterms; t++) {
        for (size_t i = 0; i <= pn->n; i++) {
            size_t m = term_at(pn->cp, pn->n, i, terms[t].text, terms[t].len);
            if (m == SIZE_MAX)
                continue;
            uint32_t ns = pnorm + (uint32_t)i;
            /* a caller who may not read paid text is shown free matches only */
            if (!sc_seen_visible(seen, ns, (uint32_t)terms[t].ncp))
                continue;
            if (kindmask && !sc_in_kinds(d, seen, ns, ns + (uint32_t)terms[t].ncp, kindmask))
                continue;
            if (nruns == cap) {
                size_t nc = cap ? cap * 2 : 16;
                struct run *nr = sc_reallocarray(runs, nc, sizeof *nr);
                if (!nr) {
                    e = SC_ENOMEM;
                    goto out;
                }
                runs = nr;
                cap = nc;
            }
            runs[nruns].s = pn->ocp[i];
            runs[nruns].e = pn->ocp[i + m];
            runs[nruns].terms = 1ull << (t & 63);
            nruns++;
        }
    }
    /* merge overlapping and touching matches into runs */
    if (nruns) {
        qsort(runs, nruns, sizeof *runs, cmp_run);
        size_t w = 0;
        for (size_t i = 1; i < nruns; i++) {
            if (runs[i].s <= runs[w].e) {
                if (runs[i].e > runs[w].e)
                    runs[w].e = runs[i].e;
                runs[w].terms |= runs[i].terms;
            } else {
                runs[++w] = runs[i];
            }
        }
        nruns = w + 1;
    }
    uint32_t ncp = (uint32_t)sc_utf8_count(pt, plen);
    /* the paid range (the cut), relative to the paragraph */
    int64_t pf = -1, pe = -1, cf, ct;
    int has_paid = 0; /* the paid range overlaps this paragraph */
    if (sc_paid_cut(d->paid_from, d->paid_to, d->npara > 1 ? d->para[1].orig_cp : INT64_MAX,
                    INT64_MAX, &cf, &ct)) {
        pf = cf - (int64_t)pcp;
        pe = ct - (int64_t)pcp;
        if (pf < 0) /* paid from an earlier paragraph on */
            pf = 0;
        has_paid = pe > 0 && pf < (int64_t)ncp;
    }
    /* anchor: the first run (for unentitled callers, the first outside the paid range) */
    size_t anchor = 0;
    int anchor_paid = 0;
    if (has_paid && !entitled) {
        while (anchor < nruns && (int64_t)runs[anchor].s >= pf && (int64_t)runs[anchor].e <= pe)
            anchor++;
        if (anchor == nruns && nruns) {
            anchor = 0;
            anchor_paid = 1;
        }
        if (!nruns && pf <= 0 && pe >= (int64_t)ncp)
            anchor_paid = 1;
    }
    uint32_t as = nruns ? runs[anchor].s : 0;
    uint32_t ws = as > LEAD ? as - LEAD : 0;
    uint32_t we = ws + WINDOW < ncp ? ws + WINDOW : ncp;
    if (we - ws < WINDOW)
        ws = we > WINDOW ? we - WINDOW : 0;
    /* never split a run */
    for (size_t i = 0; i < nruns; i++) {
        if (runs[i].e <= ws || runs[i].s >= we)
            continue;
        if (runs[i].s < ws)
            ws = runs[i].s;
        if (runs[i].e > we)
            we = runs[i].e;
    }
    sn->paid = has_paid && (int64_t)ws < pe && (int64_t)we > pf;
    if (sn->paid && !entitled) {
        if (anchor_paid) {
            ws = we = 0;
        } else {
            /* clip to the free side of the window that holds the anchor */
            if (pf > (int64_t)as && (int64_t)we > pf)
                we = (uint32_t)pf;
            if (pe <= (int64_t)as && (int64_t)ws < pe)
                ws = (uint32_t)pe;
        }
    }
    sn->start_cp = (int64_t)pcp + ws;
    sn->section = sc_section_path(d, seen, pnorm);
    if (!sn->section) {
        e = SC_ENOMEM;
        goto out;
    }
    if (ws == we && sn->paid && !entitled) {
        sn->text = NULL; /* withheld */
        goto out;
    }
    size_t bs = sc_utf8_offset(pt, plen, ws), be = sc_utf8_offset(pt, plen, we);
    sn->text = sc_strndup(pt + bs, be - bs);
    if (!sn->text) {
        e = SC_ENOMEM;
        goto out;
    }
    size_t nh = 0;
    for (size_t i = 0; i < nruns; i++)
        if (runs[i].s >= ws && runs[i].e <= we)
            nh++;
    if (nh) {
        sn->highlights_cp = sc_malloc(nh * sizeof *sn->highlights_cp);
        if (!sn->highlights_cp) {
            e = SC_ENOMEM;
            goto out;
        }
        for (size_t i = 0; i < nruns; i++)
            if (runs[i].s >= ws && runs[i].e <= we) {
                sn->highlights_cp[sn->nhighlights][0] = runs[i].s - ws;
                sn->highlights_cp[sn->nhighlights][1] = runs[i].e - ws;
                sn->nhighlights++;
            }
    }
out:
    free(runs);
    return e;
}

struct pinfo {
    uint32_t para;
    uint64_t mask;
    uint32_t count;
    int paid;
};

static int cmp_pos_para(const void *x, const void *y)
{
    const struct pinfo *a = x, *b = y;
    return (a->para > b->para) - (a->para < b->para);
}

static int popc(uint64_t m)
{
    return __builtin_popcountll(m);
}

static int cmp_pinfo(const void *x, const void *y, void *arg)
{
    const struct pinfo *a = x, *b = y;
    int entitled = *(const int *)arg;
    if (popc(a->mask) != popc(b->mask))
        return popc(b->mask) - popc(a->mask);
    if (!entitled && a->paid != b->paid)
        return a->paid - b->paid;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return (a->para > b->para) - (a->para < b->para);
}

enum sc_err sc_snippets_make(const struct sc_sdoc *d, const struct sc_textsrc *src,
                             const struct sc_qterm *terms, size_t nterms, const uint32_t *pos,
                             const uint8_t *which, size_t npos, int64_t para, uint32_t kindmask,
                             const struct sc_seen *seen, struct sc_hit *hit)
{
    int entitled = seen == NULL;
    uint32_t chosen[MAX_SNIPPETS];
    size_t nchosen = 0;
    if (para >= 0) {
        if ((uint64_t)para < d->npara)
            chosen[nchosen++] = (uint32_t)para;
    } else if (npos) {
        struct pinfo *pi = sc_malloc(npos * sizeof *pi);
        if (!pi)
            return SC_ENOMEM;
        for (size_t i = 0; i < npos; i++) {
            pi[i].para = sc_sdoc_para_of(d, pos[i]);
            pi[i].mask = 1ull << (which[i] & 63);
            pi[i].count = 1;
            pi[i].paid = seen && !sc_seen_visible(seen, pos[i], 1);
        }
        qsort(pi, npos, sizeof *pi, cmp_pos_para);
        size_t w = 0;
        for (size_t i = 1; i < npos; i++) {
            if (pi[i].para == pi[w].para) {
                pi[w].mask |= pi[i].mask;
                pi[w].count++;
                pi[w].paid = pi[w].paid && pi[i].paid;
            } else {
                pi[++w] = pi[i];
            }
        }
        size_t np = w + 1;
        qsort_r(pi, np, sizeof *pi, cmp_pinfo, &entitled);
        /* the title line is shown as the hit's title, not as a snippet,
         * unless it is the only place that matched */
        for (size_t i = 0; i < np && nchosen < MAX_SNIPPETS; i++)
            if (pi[i].para != 0 || np == 1)
                chosen[nchosen++] = pi[i].para;
        free(pi);
    } else if (d->npara > 1) {
        chosen[nchosen++] = 1; /* no term: the opening of the body */
    }
    if (!nchosen || !src)
        return SC_OK;
    hit->snippets = sc_calloc(nchosen, sizeof *hit->snippets);
    if (!hit->snippets)
        return SC_ENOMEM;
    char small[4096], *buf = small;
    size_t cap = sizeof small;
    struct sc_pnorm pn = { 0 }; /* a paragraph's normalised form, reused */
    enum sc_err e = SC_OK;
    for (size_t i = 0; i < nchosen && e == SC_OK; i++) {
        uint32_t p = chosen[i];
        uint32_t ob = d->para[p].orig_byte, oe = d->para[p + 1].orig_byte - 1;
        if (oe > d->orig_len)
            oe = d->orig_len;
        if (ob > oe)
            ob = oe;
        size_t plen = oe - ob;
        if (plen > cap) {
            char *nb = sc_malloc(plen);
            if (!nb) {
                e = SC_ENOMEM;
                break;
            }
            if (buf != small)
                free(buf);
            buf = nb;
            cap = plen;
        }
        enum sc_err re = plen ? src->read(src->ctx, d->id, d->orig_len, ob, (uint32_t)plen, buf)
                              : SC_OK;
        if (re != SC_OK) {
            /* the document vanished or changed under us: no snippets */
            if (re == SC_ENOMEM)
                e = re;
            break;
        }
        hit->nsnippets++;
        if (!d->para[p].ident && (e = sc_pnorm_text(buf, plen, &pn)) != SC_OK)
            break;
        e = window(d, buf, plen, &pn, terms, nterms, pos, which, npos, p, kindmask, seen,
                   &hit->snippets[hit->nsnippets - 1]);
    }
    if (buf != small)
        free(buf);
    sc_pnorm_release(&pn);
    if (hit->nsnippets == 0) {
        free(hit->snippets);
        hit->snippets = NULL;
    }
    return e;
}
