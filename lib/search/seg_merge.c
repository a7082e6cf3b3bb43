/*
 * Segment files, the merge: segments merged into one from their own
 * postings (docs/internals/index.md), no store needed.
 */
#include "search/seg_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- merging segments from their postings */

struct merge_part {
    struct sc_seg **in;
    size_t nin;
    const uint32_t *base; /* first ordinal of each input in the output */
    uint64_t klo, khi;    /* keys [klo, khi) */
    struct sc_bitw out;
    struct sc_dentry *dict;
    size_t nd, capd;
    enum sc_err err;
};

/* Decode the list of dictionary entry e of seg into records, docs offset
 * by base; appended to *rec. */
static int decode_list(const struct sc_seg *seg, size_t e, uint32_t base, uint64_t **rec, size_t *n,
                       size_t *cap, uint32_t **pb, size_t *pcap)
{
    struct sc_pcur c;
    if (sc_pcur_init(&c, seg, e) != SC_OK)
        return -1;
    while (sc_pcur_next(&c)) {
        if (c.tf > *pcap) {
            uint32_t *np = sc_realloc(*pb, (size_t)c.tf * sizeof *np);
            if (!np)
                return -1;
            *pb = np;
            *pcap = c.tf;
        }
        sc_pcur_positions(&c, *pb);
        if (*n + c.tf > *cap) {
            size_t nc = *cap ? *cap * 2 : 1024;
            while (nc < *n + c.tf)
                nc *= 2;
            uint64_t *nr = sc_reallocarray(*rec, nc, sizeof *nr);
            if (!nr)
                return -1;
            *rec = nr;
            *cap = nc;
        }
        uint64_t d = (uint64_t)(base + c.doc) << 32;
        for (uint32_t t = 0; t < c.tf; t++)
            (*rec)[(*n)++] = d | (*pb)[t];
    }
    return 0;
}

static void *merge_run(void *arg)
{
    struct merge_part *mp = arg;
    size_t *at = sc_calloc(mp->nin, sizeof *at);
    uint64_t *rec = NULL;
    uint32_t *pb = NULL;
    size_t nrec = 0, caprec = 0, pcap = 0;
    struct sc_lenc l;
    memset(&l, 0, sizeof l);
    if (!at) {
        mp->err = SC_ENOMEM;
        return NULL;
    }
    for (size_t s = 0; s < mp->nin; s++) {
        size_t f, e;
        sc_seg_range(mp->in[s], mp->klo, UINT64_MAX, &f, &e);
        at[s] = f;
    }
    for (;;) {
        uint64_t key = UINT64_MAX;
        for (size_t s = 0; s < mp->nin; s++)
            if (at[s] < mp->in[s]->npairs && mp->in[s]->dict[at[s]].key < key)
                key = mp->in[s]->dict[at[s]].key;
        if (key == UINT64_MAX || key >= mp->khi)
            break;
        nrec = 0;
        for (size_t s = 0; s < mp->nin; s++)
            if (at[s] < mp->in[s]->npairs && mp->in[s]->dict[at[s]].key == key) {
                if (decode_list(mp->in[s], at[s], mp->base[s], &rec, &nrec, &caprec, &pb, &pcap)) {
                    mp->err = SC_ENOMEM;
                    goto out;
                }
                at[s]++;
            }
        if (mp->nd == mp->capd) {
            size_t nc = mp->capd ? mp->capd * 2 : 65536;
            struct sc_dentry *nd = sc_reallocarray(mp->dict, nc, sizeof *nd);
            if (!nd) {
                mp->err = SC_ENOMEM;
                goto out;
            }
            mp->dict = nd;
            mp->capd = nc;
        }
        struct sc_dentry *de = &mp->dict[mp->nd++];
        de->key = key;
        de->off = (uint32_t)mp->out.len; /* relative to this part */
        if (mp->out.len >= UINT32_MAX - 64) {
            mp->err = SC_ELIMIT;
            goto out;
        }
        if (sc_encode_list(&l, rec, nrec, &mp->out, &de->ndocs)) {
            mp->err = SC_ENOMEM;
            goto out;
        }
    }
out:
    free(at);
    free(rec);
    free(pb);
    sc_lenc_release(&l);
    return NULL;
}

/* The character lists of segments in[0..n) (documents offset by base[s];
 * nd documents in all) merged into cl. */
static int merge_chars(struct sc_seg *const *in, size_t n, const uint32_t *base, uint32_t nd,
                       struct sc_clists *cl)
{
    size_t *at = sc_calloc(n ? n : 1, sizeof *at);
    uint32_t *tf = sc_calloc((size_t)nd + 1, sizeof *tf);
    uint32_t *docs = sc_malloc(((size_t)nd + 1) * sizeof *docs);
    struct sc_lenc l;
    memset(&l, 0, sizeof l);
    int rc = !at || !tf || !docs ? -1 : 0;
    while (!rc) {
        uint64_t cp = UINT64_MAX;
        for (size_t s = 0; s < n; s++)
            if (at[s] < in[s]->nchars && in[s]->cdict[at[s]].key < cp)
                cp = in[s]->cdict[at[s]].key;
        if (cp == UINT64_MAX)
            break;
        size_t m = 0;
        for (size_t s = 0; s < n && !rc; s++) {
            if (at[s] >= in[s]->nchars || in[s]->cdict[at[s]].key != cp)
                continue;
            struct sc_pcur c;
            if (sc_pcur_init_char(&c, in[s], at[s]) != SC_OK) {
                rc = -1;
                break;
            }
            while (sc_pcur_next(&c) && m < nd) {
                uint32_t d = base[s] + c.doc;
                if (d >= nd || (m && docs[m - 1] >= d))
                    continue; /* damaged: keep the order */
                docs[m++] = d;
                tf[d] = c.tf;
            }
            at[s]++;
        }
        if (!rc && sc_clists_add(cl, &l, (uint32_t)cp, docs, tf, m))
            rc = -1;
        for (size_t i = 0; i < m; i++)
            tf[docs[i]] = 0;
    }
    free(at);
    free(tf);
    free(docs);
    sc_lenc_release(&l);
    return rc;
}

enum sc_err sc_seg_merge(struct sc_seg *const *in, size_t n, const char *path, int threads,
                         struct sc_diag *diag)
{
    enum sc_err e = SC_OK;
    uint32_t *base = sc_malloc((n + 1) * sizeof *base);
    struct merge_part part[2];
    memset(part, 0, sizeof part);
    struct sc_buf docs = SC_BUF_INIT;
    uint64_t *docoff = NULL, *tstart = NULL;
    struct sc_dentry *dict = NULL;
    struct sc_text_run *truns = NULL;
    struct sc_clists cl;
    memset(&cl, 0, sizeof cl);
    uint32_t mesc[SC_TEXT_MAXESC]; /* the output's escapes */
    if (!base)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    uint64_t nd = 0, total_norm = 0, total_para = 0;
    for (size_t s = 0; s < n; s++) {
        base[s] = (uint32_t)nd;
        nd += in[s]->ndocs;
        total_norm += in[s]->total_norm;
        total_para += in[s]->total_para;
    }
    if (nd >= UINT32_MAX) {
        free(base);
        return sc_diag_set(diag, SC_ELIMIT, "index segment too large");
    }
    /* the document tables: the records are copied as they are */
    docoff = sc_malloc((nd ? nd : 1) * sizeof *docoff);
    if (!docoff) {
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t s = 0; s < n; s++) {
        struct sc_seg_header h;
        memcpy(&h, in[s]->map, sizeof h);
        const uint64_t *off = (const uint64_t *)(in[s]->map + h.off_docidx);
        for (uint32_t i = 0; i < in[s]->ndocs; i++)
            docoff[base[s] + i] = docs.len + off[i];
        sc_buf_add(&docs, in[s]->map + h.off_docs, h.len_docs);
    }
    if (sc_buf_err(&docs)) {
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
        goto done;
    }
    /* the postings, in two key ranges when two threads may work */
    uint64_t split = UINT64_MAX;
    if (threads > 1 && n) {
        /* the median key of the largest input */
        size_t big = 0;
        for (size_t s = 1; s < n; s++)
            if (in[s]->post_len > in[big]->post_len)
                big = s;
        if (in[big]->npairs > 64) {
            /* by postings bytes, not by key count */
            uint64_t half = in[big]->post_len / 2;
            size_t lo = 0, hi = in[big]->npairs;
            while (lo < hi) {
                size_t m = lo + (hi - lo) / 2;
                if (in[big]->dict[m].off < half)
                    lo = m + 1;
                else
                    hi = m;
            }
            if (lo < in[big]->npairs)
                split = in[big]->dict[lo].key;
        }
    }
    int nparts = split == UINT64_MAX ? 1 : 2;
    for (int p = 0; p < nparts; p++) {
        part[p].in = (struct sc_seg **)in;
        part[p].nin = n;
        part[p].base = base;
        part[p].klo = p == 0 ? 0 : split;
        part[p].khi = p == 0 && nparts == 2 ? split : UINT64_MAX;
    }
    pthread_t th;
    int started = nparts == 2 && pthread_create(&th, NULL, merge_run, &part[1]) == 0;
    merge_run(&part[0]);
    if (nparts == 2) {
        if (started)
            pthread_join(th, NULL);
        else
            merge_run(&part[1]);
    }
    for (int p = 0; p < nparts; p++)
        if (part[p].err && e == SC_OK)
            e = sc_diag_set(diag, part[p].err,
                            part[p].err == SC_ELIMIT ? "index segment too large"
                                                     : "out of memory merging the index");
    if (e != SC_OK)
        goto done;
    size_t ndict = part[0].nd + part[1].nd;
    dict = sc_malloc((ndict ? ndict : 1) * sizeof *dict);
    if (!dict) {
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
        goto done;
    }
    memcpy(dict, part[0].dict, part[0].nd * sizeof *dict);
    for (size_t i = 0; i < part[1].nd; i++) {
        dict[part[0].nd + i] = part[1].dict[i];
        if ((uint64_t)dict[part[0].nd + i].off + part[0].out.len >= UINT32_MAX) {
            e = sc_diag_set(diag, SC_ELIMIT, "index segment too large");
            goto done;
        }
        dict[part[0].nd + i].off += (uint32_t)part[0].out.len;
    }
    /* the texts: concatenated, in one width; width 2 when every input is
     * and their escapes together fit */
    tstart = sc_malloc((nd + 1) * sizeof *tstart);
    truns = sc_malloc((n ? n : 1) * sizeof *truns);
    if (!tstart || !truns) {
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
        goto done;
    }
    uint32_t width = 2, nesc = 0;
    uint64_t tbase = 0;
    for (size_t s = 0; s < n; s++) {
        const struct sc_stext *t = &in[s]->text;
        truns[s] = (struct sc_text_run){ t->codes, t->ncodes, t->width, t->nesc, t->esc };
        for (uint32_t i = 0; i < in[s]->ndocs; i++)
            tstart[base[s] + i] = tbase + t->start[i];
        tbase += t->ncodes;
        if (t->width == 4)
            width = 4;
        for (uint32_t k = 0; k < t->nesc && width == 2; k++) {
            uint32_t j = 0;
            while (j < nesc && mesc[j] != t->esc[k])
                j++;
            if (j == nesc) {
                if (nesc == SC_TEXT_MAXESC)
                    width = 4;
                else
                    mesc[nesc++] = t->esc[k];
            }
        }
    }
    tstart[nd] = tbase;
    /* the character lists: the inputs' lists concatenated */
    if (merge_chars(in, n, base, (uint32_t)nd, &cl) != 0) {
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory merging the index");
        goto done;
    }
    for (size_t i = 0; i < ndict; i++) {
        if ((uint64_t)dict[i].off + cl.post.len >= UINT32_MAX) {
            e = sc_diag_set(diag, SC_ELIMIT, "index segment too large");
            goto done;
        }
        dict[i].off += (uint32_t)cl.post.len;
    }
    struct sc_text_out tx = { width, width == 2 ? nesc : 0, mesc, tstart, truns, n };
    struct sc_bitw post[3] = { cl.post, part[0].out, part[1].out };
    e = sc_seg_write_file(path, post, (size_t)nparts + 1, dict, ndict, cl.dict, cl.n,
                          (const uint8_t *)docs.data, docs.len, docoff, (uint32_t)nd, total_norm,
                          total_para, &tx, 1, diag);
done:
    sc_clists_release(&cl);
    free(tstart);
    free(truns);
    for (int p = 0; p < 2; p++) {
        free(part[p].out.p);
        free(part[p].dict);
    }
    free(dict);
    free(base);
    free(docoff);
    sc_buf_release(&docs);
    return e;
}
