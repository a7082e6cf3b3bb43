/*
 * One paragraph's normalised code points with, for each, the original code
 * point it came from: what ranking (a frequent character's hits), snippets
 * (highlights) and 查重 (comparison, positions back in the original) need
 * of a paragraph the index does not map one for one.
 */
#include "search/segment.h"

#include "sucai/text.h"

#include <stdlib.h>

/* Room for need entries in both arrays. */
static enum sc_err pnorm_reserve(struct sc_pnorm *pn, size_t need)
{
    if (need <= pn->cap)
        return SC_OK;
    uint32_t *cp = sc_reallocarray(pn->cp, need, sizeof *cp);
    if (!cp)
        return SC_ENOMEM;
    pn->cp = cp;
    uint32_t *ocp = sc_reallocarray(pn->ocp, need, sizeof *ocp);
    if (!ocp)
        return SC_ENOMEM;
    pn->ocp = ocp;
    pn->cap = need;
    return SC_OK;
}

enum sc_err sc_pnorm_text(const char *text, size_t len, struct sc_pnorm *out)
{
    out->n = 0;
    struct sc_buf nb = SC_BUF_INIT;
    uint32_t *map = NULL;
    enum sc_err e = sc_normalize(text, len, &nb, &map);
    /* never more code points than bytes */
    if (e == SC_OK)
        e = pnorm_reserve(out, nb.len + 1);
    if (e != SC_OK)
        goto done;
    /* the map gives original bytes; code points are counted as
     * sc_utf8_count does (lead bytes), the map never going back */
    size_t ob = 0, oc = 0, n = 0;
    for (size_t k = 0; k < nb.len;) {
        uint32_t cp;
        size_t m = sc_utf8_decode(nb.data + k, nb.len - k, &cp);
        if (!m)
            m = 1, cp = 0xFFFD;
        for (; ob < map[k]; ob++)
            oc += ((unsigned char)text[ob] & 0xC0) != 0x80;
        out->cp[n] = cp;
        out->ocp[n++] = (uint32_t)oc;
        k += m;
    }
    for (; ob < len; ob++)
        oc += ((unsigned char)text[ob] & 0xC0) != 0x80;
    out->ocp[n] = (uint32_t)oc;
    out->n = n;
done:
    free(map);
    sc_buf_release(&nb);
    return e;
}

enum sc_err sc_seg_para_norm(const struct sc_seg *seg, uint32_t doc, uint32_t p,
                             struct sc_pnorm *out)
{
    out->n = 0;
    const struct sc_sdoc *d = &seg->docs[doc];
    const struct sc_stext *t = &seg->text;
    uint64_t base = t->start[doc], ncodes = t->start[doc + 1] - base;
    uint32_t ns = d->para[p].norm, ne = d->para[p + 1].norm - 1; /* the '\n' excluded */
    uint32_t o = d->para[p].orig_cp;
    if (d->para[p].ident) {
        /* as many code points as the normalised range; a text store too
         * short for it is damaged: nothing */
        uint32_t n = ne > ns ? ne - ns : 0;
        if ((uint64_t)o + n > ncodes)
            n = 0;
        if (pnorm_reserve(out, (size_t)n + 1) != SC_OK)
            return SC_ENOMEM;
        for (uint32_t i = 0; i < n; i++) {
            out->cp[i] = sc_fold_cp(sc_stext_cp(t, base + o + i));
            out->ocp[i] = i;
        }
        out->ocp[n] = n;
        out->n = n;
        return SC_OK;
    }
    /* the stored text (clipped to the document) normalised again */
    struct sc_buf u = SC_BUF_INIT;
    enum sc_err e = sc_seg_text_utf8(seg, doc, o, d->para[p + 1].orig_cp - 1, &u);
    if (e == SC_OK)
        e = sc_pnorm_text(u.data ? u.data : "", u.len, out);
    sc_buf_release(&u);
    return e;
}

void sc_pnorm_release(struct sc_pnorm *pn)
{
    free(pn->cp);
    free(pn->ocp);
    pn->cp = pn->ocp = NULL;
    pn->n = pn->cap = 0;
}
