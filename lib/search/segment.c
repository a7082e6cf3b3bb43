/*
 * Segment files: the builder (documents in, one file out) and the reader
 * (mmap, dictionary lookups, posting cursors). The format is described in
 * docs/internals/index.md; in short:
 *
 *   header | postings | dictionary | document tables | document offsets
 *
 * A posting list: varints kd, kp, doc-stream bytes, skip count; skip
 * entries; the doc stream (per doc: Rice gap, gamma tf); the position stream
 * (per doc: tf Rice-coded gaps of normalised code-point positions).
 */
#include "search/segment.h"

#include "sucai/text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct seg_header {
    char magic[8];
    uint32_t version, ndocs;
    uint64_t npairs;
    uint64_t off_post, len_post, off_dict, off_docs, len_docs, off_docidx;
    uint64_t total_norm, total_para, file_size;
};

/* ---------------------------------------------------------------- build */

struct stage {
    uint8_t *p;
    uint32_t len, cap;
};

struct entry {
    uint64_t key;
    struct stage st;
    uint32_t lastdoc;  /* ordinal + 1 of the last doc staged, 0 = none */
    uint32_t lastpos;
    uint32_t ndocs;
    uint64_t npos, sum_dgap, sum_pgap;
};

struct sc_segbuild {
    struct entry *e;
    size_t ne, cape;
    uint32_t *slot; /* entry index + 1 */
    size_t mask;
    uint32_t ndocs;
    int64_t last_id;
    struct sc_buf docs;   /* document tables */
    uint64_t *docoff;     /* offset of each doc's table */
    size_t capdocs;
    uint64_t total_norm, total_para;
    /* scratch */
    uint32_t *cps, *ob;
    size_t capcps;
    uint32_t *ocp_byte;
    size_t capocp;
};

enum sc_err sc_segbuild_new(struct sc_segbuild **out)
{
    *out = NULL;
    struct sc_segbuild *sb = calloc(1, sizeof *sb);
    if (!sb)
        return SC_ENOMEM;
    sb->mask = (1u << 16) - 1;
    sb->slot = calloc(sb->mask + 1, sizeof *sb->slot);
    if (!sb->slot) {
        free(sb);
        return SC_ENOMEM;
    }
    sc_buf_init(&sb->docs);
    *out = sb;
    return SC_OK;
}

void sc_segbuild_free(struct sc_segbuild *sb)
{
    if (!sb)
        return;
    for (size_t i = 0; i < sb->ne; i++)
        free(sb->e[i].st.p);
    free(sb->e);
    free(sb->slot);
    sc_buf_release(&sb->docs);
    free(sb->docoff);
    free(sb->cps);
    free(sb->ob);
    free(sb->ocp_byte);
    free(sb);
}

size_t sc_segbuild_ndocs(const struct sc_segbuild *sb)
{
    return sb->ndocs;
}

static inline size_t hash_key(uint64_t k)
{
    return (size_t)((k * 0x9E3779B97F4A7C15ull) >> 20);
}

static int grow_table(struct sc_segbuild *sb)
{
    size_t nmask = sb->mask * 2 + 1;
    uint32_t *ns = calloc(nmask + 1, sizeof *ns);
    if (!ns)
        return -1;
    for (size_t i = 0; i < sb->ne; i++) {
        size_t h = hash_key(sb->e[i].key) & nmask;
        while (ns[h])
            h = (h + 1) & nmask;
        ns[h] = (uint32_t)i + 1;
    }
    free(sb->slot);
    sb->slot = ns;
    sb->mask = nmask;
    return 0;
}

static struct entry *entry_get(struct sc_segbuild *sb, uint64_t key)
{
    size_t h = hash_key(key) & sb->mask;
    for (;;) {
        uint32_t s = sb->slot[h];
        if (!s)
            break;
        if (sb->e[s - 1].key == key)
            return &sb->e[s - 1];
        h = (h + 1) & sb->mask;
    }
    if ((sb->ne + 1) * 2 > sb->mask) {
        if (grow_table(sb))
            return NULL;
        return entry_get(sb, key);
    }
    if (sb->ne == sb->cape) {
        size_t nc = sb->cape ? sb->cape * 2 : 4096;
        struct entry *ne = sc_reallocarray(sb->e, nc, sizeof *ne);
        if (!ne)
            return NULL;
        sb->e = ne;
        sb->cape = nc;
    }
    struct entry *e = &sb->e[sb->ne];
    memset(e, 0, sizeof *e);
    e->key = key;
    sb->slot[h] = (uint32_t)++sb->ne;
    return e;
}

static int stage_put(struct stage *s, uint64_t v)
{
    if (s->cap - s->len < 10) {
        uint64_t nc = s->cap ? (uint64_t)s->cap * 2 : 16;
        if (nc > UINT32_MAX)
            return -1;
        uint8_t *np = realloc(s->p, (size_t)nc);
        if (!np)
            return -1;
        s->p = np;
        s->cap = (uint32_t)nc;
    }
    do {
        uint8_t c = v & 0x7F;
        v >>= 7;
        s->p[s->len++] = c | (v ? 0x80 : 0);
    } while (v);
    return 0;
}

static size_t stage_get(const uint8_t *p, uint64_t *v)
{
    uint64_t r = 0;
    size_t i = 0;
    for (;; i++) {
        r |= (uint64_t)(p[i] & 0x7F) << (7 * i);
        if (!(p[i] & 0x80))
            break;
    }
    *v = r;
    return i + 1;
}

/* Stage position pos of doc ord for entry e. Staging format per doc:
 * doc gap, first position + 1, position gaps (>= 1), 0 terminator. */
static int stage_pos(struct entry *e, uint32_t ord, uint32_t pos)
{
    if (e->lastdoc != ord + 1) {
        uint64_t gap = e->lastdoc ? ord - e->lastdoc : ord; /* ord - (prev + 1) */
        if (e->lastdoc && stage_put(&e->st, 0))
            return -1;
        if (stage_put(&e->st, gap) || stage_put(&e->st, (uint64_t)pos + 1))
            return -1;
        e->sum_dgap += gap;
        e->sum_pgap += pos;
        e->lastdoc = ord + 1;
        e->ndocs++;
    } else {
        if (stage_put(&e->st, pos - e->lastpos))
            return -1;
        e->sum_pgap += pos - e->lastpos - 1;
    }
    e->lastpos = pos;
    e->npos++;
    return 0;
}

static void put_str(struct sc_buf *b, const char *s, size_t len)
{
    sc_varint_put(b, len);
    sc_buf_add(b, s, len);
}

static void put_strz(struct sc_buf *b, const char *s)
{
    put_str(b, s ? s : "", s ? strlen(s) : 0);
}

/* First normalised code point whose original byte offset is >= obyte. */
static uint32_t norm_of_obyte(const uint32_t *ob, uint32_t n, uint32_t obyte)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t m = lo + (hi - lo) / 2;
        if (ob[m] < obyte)
            lo = m + 1;
        else
            hi = m;
    }
    return lo;
}

static int ensure_scratch(struct sc_segbuild *sb, size_t ncps, size_t nocp)
{
    if (ncps + 2 > sb->capcps) {
        size_t nc = ncps + 2 + ncps / 2;
        uint32_t *a = realloc(sb->cps, nc * sizeof *a);
        if (!a)
            return -1;
        sb->cps = a;
        uint32_t *b = realloc(sb->ob, nc * sizeof *b);
        if (!b)
            return -1;
        sb->ob = b;
        sb->capcps = nc;
    }
    if (nocp + 2 > sb->capocp) {
        size_t nc = nocp + 2 + nocp / 2;
        uint32_t *a = realloc(sb->ocp_byte, nc * sizeof *a);
        if (!a)
            return -1;
        sb->ocp_byte = a;
        sb->capocp = nc;
    }
    return 0;
}

enum sc_err sc_segbuild_add(struct sc_segbuild *sb, const struct sc_doc *doc, struct sc_diag *diag)
{
    if (sb->ndocs && doc->id <= sb->last_id)
        return sc_diag_set(diag, SC_EINVAL, "index: document ids out of order (%lld after %lld)",
                           (long long)doc->id, (long long)sb->last_id);
    const char *text = doc->text ? doc->text : "";
    size_t len = doc->text ? doc->text_len : 0;
    if (len >= UINT32_MAX / 2)
        return sc_diag_set(diag, SC_ELIMIT, "index: document %lld is too large",
                           (long long)doc->id);
    uint32_t ord = sb->ndocs;
    struct sc_buf nb = SC_BUF_INIT;
    uint32_t *map = NULL;
    enum sc_err e = sc_normalize(text, len, &nb, &map);
    if (e != SC_OK)
        goto oom;
    if (ensure_scratch(sb, nb.len, len))
        goto oom;
    /* normalised code points and the original byte each came from */
    uint32_t n = 0;
    for (size_t i = 0; i < nb.len;) {
        uint32_t c;
        size_t k = sc_utf8_decode(nb.data + i, nb.len - i, &c);
        if (k == 0)
            k = 1;
        sb->cps[n] = c;
        sb->ob[n] = map[i];
        n++;
        i += k;
    }
    /* original code point -> byte */
    uint32_t nocp = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t k = sc_utf8_decode(text + i, len - i, &c);
        if (k == 0)
            k = 1;
        sb->ocp_byte[nocp++] = (uint32_t)i;
        i += k;
    }
    sb->ocp_byte[nocp] = (uint32_t)len;

    /* postings */
    for (uint32_t i = 0; i < n; i++) {
        uint32_t a = sb->cps[i];
        if (a == '\n')
            continue;
        uint32_t b = (i + 1 < n && sb->cps[i + 1] != '\n') ? sb->cps[i + 1] : SC_PAIR_END;
        struct entry *en = entry_get(sb, sc_pair_key(a, b));
        if (!en || stage_pos(en, ord, i))
            goto oom;
    }

    /* the document's table */
    struct sc_buf *d = &sb->docs;
    if (sb->ndocs == sb->capdocs) {
        size_t nc = sb->capdocs ? sb->capdocs * 2 : 1024;
        uint64_t *no = sc_reallocarray(sb->docoff, nc, sizeof *no);
        if (!no)
            goto oom;
        sb->docoff = no;
        sb->capdocs = nc;
    }
    sb->docoff[sb->ndocs] = d->len;
    struct sc_buf tn = SC_BUF_INIT;
    if (doc->title && sc_normalize(doc->title, strlen(doc->title), &tn, NULL) != SC_OK) {
        sc_buf_release(&tn);
        goto oom;
    }
    sc_varint_put(d, (uint64_t)doc->id);
    sc_varint_put(d, doc->year > 0 ? (uint64_t)doc->year : 0);
    put_strz(d, doc->title);
    put_str(d, tn.data, tn.len);
    sc_buf_release(&tn);
    put_strz(d, doc->genre);
    put_strz(d, doc->level);
    put_strz(d, doc->unit);
    sc_varint_put(d, n);
    sc_varint_put(d, len);
    int64_t pf = doc->paid_from, pt = doc->paid_to;
    if (pf < 0 || pf >= (int64_t)nocp)
        pf = -1;
    if (pf >= 0 && (pt < 0 || pt > (int64_t)nocp))
        pt = nocp;
    if (pf >= 0 && pt < pf)
        pt = pf;
    uint32_t npf = 0, npt = 0;
    if (pf >= 0) {
        npf = norm_of_obyte(sb->ob, n, sb->ocp_byte[pf]);
        npt = norm_of_obyte(sb->ob, n, sb->ocp_byte[pt]);
    }
    sc_varint_put(d, (uint64_t)(pf + 1));
    sc_varint_put(d, (uint64_t)(pf >= 0 ? pt + 1 : 0));
    sc_varint_put(d, npf);
    sc_varint_put(d, npt);
    /* paragraphs: '\n' is kept one for one by the normaliser */
    uint32_t npara = 1;
    for (uint32_t i = 0; i < n; i++)
        npara += sb->cps[i] == '\n';
    sc_varint_put(d, npara);
    {
        uint32_t pn = 0, pc = 0, pb = 0; /* previous values */
        uint32_t on = 0, oc = 0, obt = 0;
        uint32_t ci = 0; /* original cp cursor */
        for (uint32_t p = 0; p < npara; p++) {
            if (p > 0) {
                while (on < n && sb->cps[on] != '\n')
                    on++;
                on++;
                while (ci < nocp && text[sb->ocp_byte[ci]] != '\n')
                    ci++;
                ci++;
                oc = ci;
                obt = sb->ocp_byte[ci > nocp ? nocp : ci];
            }
            sc_varint_put(d, on - pn);
            sc_varint_put(d, oc - pc);
            sc_varint_put(d, obt - pb);
            pn = on, pc = oc, pb = obt;
        }
        sb->total_para += npara;
    }
    sc_varint_put(d, doc->nsections);
    for (size_t s = 0; s < doc->nsections; s++) {
        const struct sc_section *sec = &doc->sections[s];
        int64_t os = sec->start < 0 ? 0 : sec->start, oe = sec->end;
        if (os > (int64_t)nocp)
            os = nocp;
        if (oe < os)
            oe = os;
        if (oe > (int64_t)nocp)
            oe = nocp;
        sc_varint_put(d, norm_of_obyte(sb->ob, n, sb->ocp_byte[os]));
        sc_varint_put(d, norm_of_obyte(sb->ob, n, sb->ocp_byte[oe]));
        sc_varint_put(d, (uint64_t)os);
        sc_varint_put(d, (uint64_t)oe);
        sc_varint_put(d, (unsigned)sec->kind < SC_KIND_COUNT ? (uint64_t)sec->kind : 0);
        sc_varint_put(d, sec->level > 0 && sec->level < 256 ? (uint64_t)sec->level : 0);
        size_t ll = sec->label ? strlen(sec->label) : 0, hl = sec->heading ? strlen(sec->heading) : 0;
        sc_varint_put(d, ll + hl);
        sc_buf_add(d, sec->label ? sec->label : "", ll);
        sc_buf_add(d, sec->heading ? sec->heading : "", hl);
    }
    if (sc_buf_err(d) != SC_OK)
        goto oom;
    sb->total_norm += n;
    sb->ndocs++;
    sb->last_id = doc->id;
    sc_buf_release(&nb);
    free(map);
    return SC_OK;
oom:
    sc_buf_release(&nb);
    free(map);
    return sc_diag_set(diag, SC_ENOMEM, "out of memory indexing document %lld", (long long)doc->id);
}

static int cmp_entry(const void *a, const void *b)
{
    uint64_t x = ((const struct entry *)a)->key, y = ((const struct entry *)b)->key;
    return x < y ? -1 : x > y;
}

/* Encode one posting list into out. */
static void encode_list(struct entry *e, struct sc_buf *out, struct sc_buf *ds, struct sc_buf *ps,
                        struct sc_buf *sk)
{
    unsigned kd = sc_rice_k(e->sum_dgap, e->ndocs), kp = sc_rice_k(e->sum_pgap, e->npos);
    sc_buf_reset(ds);
    sc_buf_reset(ps);
    sc_buf_reset(sk);
    struct sc_bitw dw, pw;
    sc_bitw_init(&dw, ds);
    sc_bitw_init(&pw, ps);
    const uint8_t *p = e->st.p, *end = e->st.p + e->st.len;
    uint32_t doc = 0, nskip = 0;
    int64_t prev = -1;
    for (uint32_t i = 0; i < e->ndocs; i++) {
        uint64_t gap, v;
        p += stage_get(p, &gap);
        uint32_t d = (uint32_t)(prev + 1 + (int64_t)gap);
        if (i && i % SC_SKIP_BLOCK == 0) {
            uint32_t ent[3] = {doc, (uint32_t)dw.nbits, (uint32_t)pw.nbits};
            sc_buf_add(sk, ent, sizeof ent);
            nskip++;
        }
        doc = d;
        /* count the positions first: tf precedes them */
        const uint8_t *q = p;
        uint32_t tf = 0;
        while (q < end) {
            q += stage_get(q, &v);
            if (v == 0)
                break;
            tf++;
        }
        sc_bitw_rice(&dw, gap, kd);
        sc_bitw_gamma(&dw, tf);
        uint64_t pos = 0;
        for (uint32_t t = 0; t < tf; t++) {
            p += stage_get(p, &v);
            if (t == 0) {
                pos = v - 1;
                sc_bitw_rice(&pw, pos, kp);
            } else {
                pos += v;
                sc_bitw_rice(&pw, v - 1, kp);
            }
        }
        if (p < end) {
            p += stage_get(p, &v); /* terminator */
        }
        prev = d;
    }
    sc_bitw_flush(&dw);
    sc_bitw_flush(&pw);
    sc_varint_put(out, kd);
    sc_varint_put(out, kp);
    sc_varint_put(out, ds->len);
    sc_varint_put(out, nskip);
    sc_buf_add(out, sk->data, sk->len);
    sc_buf_add(out, ds->data, ds->len);
    sc_buf_add(out, ps->data, ps->len);
}

static enum sc_err write_all(int fd, const void *p, size_t n, const char *path,
                             struct sc_diag *diag)
{
    const char *c = p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return sc_diag_set(diag, SC_EIO, "cannot write %s: %s", path, strerror(errno));
        }
        c += w;
        n -= (size_t)w;
    }
    return SC_OK;
}

enum sc_err sc_segbuild_write(struct sc_segbuild *sb, const char *path, struct sc_diag *diag)
{
    struct sc_buf tmp = SC_BUF_INIT;
    sc_buf_addf(&tmp, "%s.tmp", path);
    if (sc_buf_err(&tmp))
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    int fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        enum sc_err e =
            sc_diag_set(diag, SC_EIO, "cannot create %s: %s", tmp.data, strerror(errno));
        sc_buf_release(&tmp);
        return e;
    }
    enum sc_err e = SC_OK;
    struct sc_buf out = SC_BUF_INIT, ds = SC_BUF_INIT, ps = SC_BUF_INIT, sk = SC_BUF_INIT;
    struct sc_dentry *dict = NULL;
    struct seg_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, SC_SEG_MAGIC, 8);
    h.version = 2;
    h.ndocs = sb->ndocs;
    h.npairs = sb->ne;
    h.off_post = sizeof h;
    h.total_norm = sb->total_norm;
    h.total_para = sb->total_para;
    e = write_all(fd, &h, sizeof h, tmp.data, diag);
    qsort(sb->e, sb->ne, sizeof *sb->e, cmp_entry);
    dict = sb->ne ? malloc(sb->ne * sizeof *dict) : NULL;
    if (sb->ne && !dict)
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory writing the index");
    uint64_t off = 0;
    for (size_t i = 0; e == SC_OK && i < sb->ne; i++) {
        if (off + out.len > UINT32_MAX) {
            e = sc_diag_set(diag, SC_ELIMIT, "index segment too large");
            break;
        }
        dict[i].key = sb->e[i].key;
        dict[i].ndocs = sb->e[i].ndocs;
        dict[i].off = (uint32_t)(off + out.len);
        encode_list(&sb->e[i], &out, &ds, &ps, &sk);
        free(sb->e[i].st.p);
        sb->e[i].st.p = NULL;
        if (out.len >= (1u << 20) || i + 1 == sb->ne) {
            if (sc_buf_err(&out) || sc_buf_err(&ds) || sc_buf_err(&ps) || sc_buf_err(&sk)) {
                e = sc_diag_set(diag, SC_ENOMEM, "out of memory writing the index");
                break;
            }
            off += out.len;
            e = write_all(fd, out.data, out.len, tmp.data, diag);
            sc_buf_reset(&out);
        }
    }
    if (e == SC_OK && sb->ne == 0)
        off = 0;
    static const uint8_t pad[SC_CODEC_PAD + 8];
    /* padding for the bit readers, then align the dictionary to 8 */
    size_t padn = SC_CODEC_PAD + (8 - ((sizeof h + off + SC_CODEC_PAD) & 7)) % 8;
    if (e == SC_OK)
        e = write_all(fd, pad, padn, tmp.data, diag);
    h.len_post = off + padn;
    h.off_dict = h.off_post + h.len_post;
    if (e == SC_OK && sb->ne)
        e = write_all(fd, dict, sb->ne * sizeof *dict, tmp.data, diag);
    h.off_docs = h.off_dict + sb->ne * sizeof *dict;
    h.len_docs = sb->docs.len;
    if (e == SC_OK)
        e = write_all(fd, sb->docs.data, sb->docs.len, tmp.data, diag);
    size_t padd = (8 - ((h.off_docs + h.len_docs) & 7)) % 8;
    if (e == SC_OK)
        e = write_all(fd, pad, padd, tmp.data, diag);
    h.off_docidx = h.off_docs + h.len_docs + padd;
    if (e == SC_OK && sb->ndocs)
        e = write_all(fd, sb->docoff, sb->ndocs * sizeof *sb->docoff, tmp.data, diag);
    h.file_size = h.off_docidx + (uint64_t)sb->ndocs * sizeof *sb->docoff;
    if (e == SC_OK && pwrite(fd, &h, sizeof h, 0) != (ssize_t)sizeof h)
        e = sc_diag_set(diag, SC_EIO, "cannot write %s: %s", tmp.data, strerror(errno));
    if (e == SC_OK && fsync(fd) != 0)
        e = sc_diag_set(diag, SC_EIO, "cannot sync %s: %s", tmp.data, strerror(errno));
    if (close(fd) != 0 && e == SC_OK)
        e = sc_diag_set(diag, SC_EIO, "cannot write %s: %s", tmp.data, strerror(errno));
    if (e == SC_OK && rename(tmp.data, path) != 0)
        e = sc_diag_set(diag, SC_EIO, "cannot rename %s: %s", tmp.data, strerror(errno));
    if (e != SC_OK)
        unlink(tmp.data);
    free(dict);
    sc_buf_release(&out);
    sc_buf_release(&ds);
    sc_buf_release(&ps);
    sc_buf_release(&sk);
    sc_buf_release(&tmp);
    /* the staging buffers were consumed */
    sb->ne = 0;
    return e;
}

/* ---------------------------------------------------------------- read */

struct rd {
    const uint8_t *p, *end;
    int bad;
};

static uint64_t rd_var(struct rd *r)
{
    uint64_t v = 0;
    size_t k = sc_varint_get(r->p, r->end, &v);
    if (!k) {
        r->bad = 1;
        return 0;
    }
    r->p += k;
    return v;
}

static struct sc_str32 rd_str(struct rd *r)
{
    struct sc_str32 s = {"", 0};
    uint64_t n = rd_var(r);
    if (r->bad || n > (uint64_t)(r->end - r->p)) {
        r->bad = 1;
        return s;
    }
    s.p = (const char *)r->p;
    s.len = (uint32_t)n;
    r->p += n;
    return s;
}

static void seg_free(struct sc_seg *seg)
{
    if (!seg)
        return;
    if (seg->docs) {
        for (uint32_t i = 0; i < seg->ndocs; i++) {
            free(seg->docs[i].para);
            free(seg->docs[i].sec);
        }
        free(seg->docs);
    }
    free(seg->titles);
    free(seg->title_off);
    if (seg->map)
        munmap((void *)seg->map, seg->size);
    free(seg->path);
    free(seg);
}

void sc_seg_close(struct sc_seg *seg)
{
    seg_free(seg);
}

static int parse_doc(struct sc_sdoc *d, struct rd *r)
{
    d->id = (int64_t)rd_var(r);
    d->year = (int)rd_var(r);
    d->title = rd_str(r);
    d->title_norm = rd_str(r);
    d->genre = rd_str(r);
    d->level = rd_str(r);
    d->unit = rd_str(r);
    d->norm_len = (uint32_t)rd_var(r);
    d->orig_len = (uint32_t)rd_var(r);
    d->paid_from = (int64_t)rd_var(r) - 1;
    d->paid_to = (int64_t)rd_var(r) - 1;
    d->npaid_from = (uint32_t)rd_var(r);
    d->npaid_to = (uint32_t)rd_var(r);
    uint64_t np = rd_var(r);
    if (r->bad || np == 0 || np > (uint64_t)d->norm_len + 1)
        return -1;
    d->npara = (uint32_t)np;
    d->para = malloc((np + 1) * sizeof *d->para);
    if (!d->para)
        return -1;
    uint32_t a = 0, b = 0, c = 0;
    for (uint64_t i = 0; i < np; i++) {
        a += (uint32_t)rd_var(r);
        b += (uint32_t)rd_var(r);
        c += (uint32_t)rd_var(r);
        d->para[i].norm = a;
        d->para[i].orig_cp = b;
        d->para[i].orig_byte = c;
    }
    /* sentinel: as if a '\n' followed the last paragraph */
    d->para[np].norm = d->norm_len + 1;
    d->para[np].orig_byte = d->orig_len + 1;
    d->para[np].orig_cp = 0; /* unused */
    uint64_t ns = rd_var(r);
    if (r->bad || ns > (uint64_t)(r->end - r->p))
        return -1;
    d->nsec = (uint32_t)ns;
    d->sec = ns ? calloc(ns, sizeof *d->sec) : NULL;
    if (ns && !d->sec)
        return -1;
    for (uint64_t i = 0; i < ns; i++) {
        struct sc_ssec *s = &d->sec[i];
        s->nstart = (uint32_t)rd_var(r);
        s->nend = (uint32_t)rd_var(r);
        s->ostart = (uint32_t)rd_var(r);
        s->oend = (uint32_t)rd_var(r);
        s->kind = (uint8_t)rd_var(r);
        s->level = (uint8_t)rd_var(r);
        s->name = rd_str(r);
        if (s->kind < 32)
            d->kinds |= 1u << s->kind;
    }
    return r->bad ? -1 : 0;
}

enum sc_err sc_seg_open(const char *path, struct sc_seg **out, struct sc_diag *diag)
{
    *out = NULL;
    struct sc_seg *seg = calloc(1, sizeof *seg);
    if (!seg || !(seg->path = sc_strdup(path))) {
        free(seg);
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        seg_free(seg);
        return sc_diag_set(diag, SC_EIO, "cannot open %s: %s", path, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || (size_t)st.st_size < sizeof(struct seg_header)) {
        close(fd);
        seg_free(seg);
        return sc_diag_set(diag, SC_EPARSE, "%s: damaged index segment (too short)", path);
    }
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (m == MAP_FAILED) {
        seg_free(seg);
        return sc_diag_set(diag, SC_EIO, "cannot map %s: %s", path, strerror(errno));
    }
    seg->map = m;
    seg->size = (size_t)st.st_size;
    struct seg_header h;
    memcpy(&h, m, sizeof h);
    uint64_t sz = seg->size;
    if (memcmp(h.magic, SC_SEG_MAGIC, 8) != 0 || h.file_size != sz || h.off_post != sizeof h ||
        h.len_post < SC_CODEC_PAD || h.off_post + h.len_post != h.off_dict ||
        h.npairs > sz / sizeof(struct sc_dentry) ||
        h.off_dict + h.npairs * sizeof(struct sc_dentry) != h.off_docs ||
        h.off_docs + h.len_docs > h.off_docidx || h.off_docidx > sz ||
        (uint64_t)h.ndocs * 8 != sz - h.off_docidx || (h.off_dict & 7) || (h.off_docidx & 7)) {
        seg_free(seg);
        return sc_diag_set(diag, SC_EPARSE, "%s: damaged index segment (run `sucai reindex`)",
                           path);
    }
    seg->post = seg->map + h.off_post;
    seg->post_len = h.len_post;
    seg->dict = (const struct sc_dentry *)(seg->map + h.off_dict);
    seg->npairs = h.npairs;
    seg->ndocs = h.ndocs;
    seg->total_norm = h.total_norm;
    seg->total_para = h.total_para;
    for (uint64_t i = 0; i < h.npairs; i++)
        if (seg->dict[i].off >= h.len_post - SC_CODEC_PAD ||
            (i && seg->dict[i].key <= seg->dict[i - 1].key)) {
            seg_free(seg);
            return sc_diag_set(diag, SC_EPARSE, "%s: damaged index dictionary", path);
        }
    seg->docs = h.ndocs ? calloc(h.ndocs, sizeof *seg->docs) : NULL;
    if (h.ndocs && !seg->docs) {
        seg_free(seg);
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    }
    const uint64_t *doff = (const uint64_t *)(seg->map + h.off_docidx);
    for (uint32_t i = 0; i < h.ndocs; i++) {
        if (doff[i] >= h.len_docs) {
            seg->ndocs = i;
            seg_free(seg);
            return sc_diag_set(diag, SC_EPARSE, "%s: damaged document table", path);
        }
        struct rd r = {seg->map + h.off_docs + doff[i], seg->map + h.off_docs + h.len_docs, 0};
        if (parse_doc(&seg->docs[i], &r) != 0) {
            seg_free(seg);
            return sc_diag_set(diag, SC_EPARSE, "%s: damaged document table", path);
        }
    }
    /* the titles, joined, so a term's title matches are one scan */
    size_t tl = 0;
    for (uint32_t i = 0; i < h.ndocs; i++)
        tl += seg->docs[i].title_norm.len + 1;
    seg->titles = malloc(tl + 1);
    seg->title_off = malloc(((size_t)h.ndocs + 1) * sizeof *seg->title_off);
    if (!seg->titles || !seg->title_off || tl > UINT32_MAX) {
        seg_free(seg);
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    }
    tl = 0;
    for (uint32_t i = 0; i < h.ndocs; i++) {
        seg->title_off[i] = (uint32_t)tl;
        memcpy(seg->titles + tl, seg->docs[i].title_norm.p, seg->docs[i].title_norm.len);
        tl += seg->docs[i].title_norm.len;
        seg->titles[tl++] = '\n';
    }
    seg->titles[tl] = '\0';
    seg->title_off[h.ndocs] = (uint32_t)tl;
    if (h.ndocs) {
        seg->lo = seg->docs[0].id - 1;
        seg->hi = seg->docs[h.ndocs - 1].id;
    }
    *out = seg;
    return SC_OK;
}

int64_t sc_seg_find(const struct sc_seg *seg, uint64_t key)
{
    size_t lo = 0, hi = seg->npairs;
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (seg->dict[m].key < key)
            lo = m + 1;
        else
            hi = m;
    }
    return lo < seg->npairs && seg->dict[lo].key == key ? (int64_t)lo : -1;
}

void sc_seg_range(const struct sc_seg *seg, uint64_t klo, uint64_t khi, size_t *first,
                  size_t *end)
{
    size_t lo = 0, hi = seg->npairs;
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (seg->dict[m].key < klo)
            lo = m + 1;
        else
            hi = m;
    }
    *first = lo;
    hi = seg->npairs;
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (seg->dict[m].key <= khi)
            lo = m + 1;
        else
            hi = m;
    }
    *end = lo;
}

uint32_t sc_sdoc_para_of(const struct sc_sdoc *d, uint32_t pos)
{
    uint32_t lo = 0, hi = d->npara; /* last para with norm <= pos */
    while (hi - lo > 1) {
        uint32_t m = lo + (hi - lo) / 2;
        if (d->para[m].norm <= pos)
            lo = m;
        else
            hi = m;
    }
    return lo;
}

/* ---------------------------------------------------------------- cursors */

enum sc_err sc_pcur_init(struct sc_pcur *c, const struct sc_seg *seg, size_t e)
{
    memset(c, 0, sizeof *c);
    const uint8_t *p = seg->post + seg->dict[e].off;
    const uint8_t *end = seg->post + seg->post_len - SC_CODEC_PAD;
    uint64_t kd, kp, dbytes, nskip;
    size_t k;
    if (!(k = sc_varint_get(p, end, &kd)))
        return SC_EPARSE;
    p += k;
    if (!(k = sc_varint_get(p, end, &kp)))
        return SC_EPARSE;
    p += k;
    if (!(k = sc_varint_get(p, end, &dbytes)))
        return SC_EPARSE;
    p += k;
    if (!(k = sc_varint_get(p, end, &nskip)))
        return SC_EPARSE;
    p += k;
    if (kd > 31 || kp > 31 || nskip * 12 > (uint64_t)(end - p) ||
        dbytes > (uint64_t)(end - p) - nskip * 12)
        return SC_EPARSE;
    c->skip = p;
    c->nskip = (uint32_t)nskip;
    p += nskip * 12;
    c->kd = (unsigned)kd;
    c->kp = (unsigned)kp;
    c->dr.base = p;
    c->dr.limit = dbytes * 8;
    c->pr.base = p + dbytes;
    c->pr.limit = (uint64_t)(end - (p + dbytes)) * 8;
    c->ndocs = seg->dict[e].ndocs;
    c->i = -1;
    c->pos_done = 1;
    return SC_OK;
}

int sc_pcur_next(struct sc_pcur *c)
{
    if (c->eof || c->i + 1 >= (int64_t)c->ndocs) {
        c->eof = 1;
        return 0;
    }
    if (!c->pos_done)
        c->pending += c->tf;
    uint64_t gap = sc_bitr_rice(&c->dr, c->kd);
    c->doc = c->i < 0 ? (uint32_t)gap : c->doc + 1 + (uint32_t)gap;
    c->tf = (uint32_t)sc_bitr_gamma(&c->dr);
    c->i++;
    c->pos_done = 0;
    return 1;
}

int sc_pcur_seek(struct sc_pcur *c, uint32_t target)
{
    if (c->eof)
        return 0;
    if (c->i >= 0 && c->doc >= target)
        return 1;
    if (c->nskip) {
        /* last block whose previous doc is < target */
        uint32_t lo = 0, hi = c->nskip;
        while (lo < hi) {
            uint32_t m = lo + (hi - lo) / 2;
            uint32_t prev;
            memcpy(&prev, c->skip + (size_t)m * 12, 4);
            if (prev < target)
                lo = m + 1;
            else
                hi = m;
        }
        if (lo > 0) {
            uint32_t b = lo - 1; /* skip entry b starts block b + 1 */
            int64_t first = (int64_t)(b + 1) * SC_SKIP_BLOCK;
            if (first > c->i + 1) {
                uint32_t ent[3];
                memcpy(ent, c->skip + (size_t)b * 12, 12);
                c->dr.pos = ent[1];
                c->pr.pos = ent[2];
                c->pending = 0;
                c->pos_done = 1;
                c->i = first - 1;
                c->doc = ent[0];
            }
        }
    }
    while (sc_pcur_next(c))
        if (c->doc >= target)
            return 1;
    return 0;
}

void sc_pcur_positions(struct sc_pcur *c, uint32_t *out)
{
    if (c->pos_done || c->i < 0)
        return;
    for (uint64_t k = 0; k < c->pending; k++)
        (void)sc_bitr_rice(&c->pr, c->kp);
    c->pending = 0;
    uint32_t p = 0;
    for (uint32_t t = 0; t < c->tf; t++) {
        uint32_t v = (uint32_t)sc_bitr_rice(&c->pr, c->kp);
        p = t == 0 ? v : p + 1 + v;
        out[t] = p;
    }
    c->pos_done = 1;
}
