/*
 * Segment files, the reader (mmap, dictionary lookups, posting cursors);
 * the writer is seg_write.c, the merge seg_merge.c. The format is described in
 * docs/internals/index.md; in short:
 *
 *   header | postings | dictionary | character dictionary | document tables
 *   | document offsets | text
 *
 * A posting list: varints kd, kp, doc-stream bytes, skip count; skip
 * entries; the doc stream (per doc: Rice gap, gamma tf); the position stream
 * (per doc: tf Rice-coded gaps of normalised code-point positions). The
 * postings area starts with the character lists (the same layout with an
 * empty position stream: per document the count of one code point), then
 * the pair lists.
 */
#include "search/seg_int.h"

#include "sucai/text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

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
    free(seg->tkey);
    free(seg->tdoc);
    free(seg->text.ident);
    free(seg->text.pfirst);
    free(seg->text.point);
    if (seg->map)
        munmap((void *)seg->map, seg->size);
    if (seg->fd >= 0)
        close(seg->fd);
    free(seg->path);
    free(seg);
}

void sc_seg_ref(struct sc_seg *seg)
{
    __atomic_add_fetch(&seg->refs, 1, __ATOMIC_RELAXED);
}

void sc_seg_close(struct sc_seg *seg)
{
    if (seg && __atomic_sub_fetch(&seg->refs, 1, __ATOMIC_ACQ_REL) == 0)
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
    d->docno = rd_str(r);
    d->date = (int32_t)rd_var(r);
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
    d->para = sc_malloc((np + 1) * sizeof *d->para);
    if (!d->para)
        return -1;
    uint32_t a = 0, b = 0, c = 0;
    for (uint64_t i = 0; i < np; i++) {
        uint64_t v = rd_var(r);
        a += (uint32_t)(v >> 1);
        d->para[i].ident = (uint8_t)(v & 1);
        b += (uint32_t)rd_var(r);
        c += (uint32_t)rd_var(r);
        d->para[i].norm = a;
        d->para[i].orig_cp = b;
        d->para[i].orig_byte = c;
    }
    /* sentinel: as if a '\n' followed the last paragraph */
    d->para[np].norm = d->norm_len + 1;
    d->para[np].orig_byte = d->orig_len + 1;
    d->para[np].orig_cp = 0; /* set from the text store (text_doc_ok) */
    d->para[np].ident = 0;
    uint64_t ns = rd_var(r);
    if (r->bad || ns > (uint64_t)(r->end - r->p))
        return -1;
    d->nsec = (uint32_t)ns;
    d->sec = ns ? sc_calloc(ns, sizeof *d->sec) : NULL;
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

/* The text section at p[0..len) for ndocs documents: 0 if well formed. */
static int text_open(struct sc_stext *t, const uint8_t *p, uint64_t len, uint32_t ndocs)
{
    uint32_t head[4];
    if (len < 16)
        return -1;
    memcpy(head, p, 16);
    memcpy(&t->ncodes, &head[2], 8);
    t->width = head[0];
    t->nesc = head[1];
    if ((t->width != 2 && t->width != 4) || t->nesc > SC_TEXT_MAXESC ||
        (t->width == 4 && t->nesc))
        return -1;
    uint64_t off = 16 + (uint64_t)t->nesc * 4;
    off += (8 - (off & 7)) % 8;
    if (off + ((uint64_t)ndocs + 1) * 8 > len || t->ncodes > (len - off) / t->width)
        return -1;
    t->esc = (const uint32_t *)(p + 16);
    t->start = (const uint64_t *)(p + off);
    off += ((uint64_t)ndocs + 1) * 8;
    uint64_t body = t->ncodes * t->width;
    if (off + body + (8 - (body & 7)) % 8 != len)
        return -1;
    t->codes = p + off;
    if (t->start[0] != 0 || t->start[ndocs] != t->ncodes)
        return -1;
    for (uint32_t i = 0; i < ndocs; i++)
        if (t->start[i + 1] < t->start[i])
            return -1;
    return 0;
}

/* A document's paragraph table fits its ncodes original code points; the
 * sentinel entry gets the end. */
static int text_doc_ok(struct sc_sdoc *d, uint64_t ncodes)
{
    if (ncodes >= UINT32_MAX)
        return 0;
    for (uint32_t i = 0; i < d->npara; i++)
        if (d->para[i].orig_cp > ncodes || (i && d->para[i].orig_cp < d->para[i - 1].orig_cp))
            return 0;
    d->para[d->npara].orig_cp = (uint32_t)ncodes + 1; /* as if a '\n' followed */
    for (uint32_t i = 0; i < d->npara; i++)
        if (d->para[i].norm > d->para[i].orig_cp)
            return 0; /* normalising never adds code points */
    return 1;
}

/* The text points of every document (struct sc_tpoint). */
static int text_points(struct sc_seg *seg)
{
    struct sc_stext *t = &seg->text;
    uint32_t nd = seg->ndocs;
    t->ident = sc_malloc(nd ? nd : 1);
    t->pfirst = sc_malloc(((size_t)nd + 1) * sizeof *t->pfirst);
    if (!t->ident || !t->pfirst)
        return -1;
    size_t np = 0, cap = 0;
    for (uint32_t i = 0; i < nd; i++) {
        const struct sc_sdoc *d = &seg->docs[i];
        t->pfirst[i] = (uint32_t)np;
        int ident = t->start[i + 1] - t->start[i] == d->norm_len;
        for (uint32_t p = 0; ident && p < d->npara; p++)
            ident = d->para[p].ident && d->para[p].orig_cp == d->para[p].norm;
        t->ident[i] = (uint8_t)ident;
        if (ident)
            continue;
        size_t first = np;
        for (uint32_t p = 0; p < d->npara; p++) {
            uint32_t shift = d->para[p].orig_cp - d->para[p].norm, id = d->para[p].ident;
            if (np > first && id && t->point[np - 1].ident && t->point[np - 1].shift == shift)
                continue;
            if (np == cap) {
                size_t ncap = cap ? cap * 2 : 64;
                struct sc_tpoint *n = sc_reallocarray(t->point, ncap, sizeof *n);
                if (!n || ncap >= UINT32_MAX)
                    return -1;
                t->point = n;
                cap = ncap;
            }
            t->point[np++] = (struct sc_tpoint){d->para[p].norm, p, shift, id};
        }
    }
    t->pfirst[nd] = (uint32_t)np;
    return 0;
}

enum sc_err sc_seg_text_utf8(const struct sc_seg *seg, uint32_t d, uint64_t from, uint64_t to,
                             struct sc_buf *out)
{
    if (d >= seg->ndocs)
        return SC_OK;
    const struct sc_stext *t = &seg->text;
    uint64_t a = t->start[d], n = t->start[d + 1] - a;
    if (to > n)
        to = n;
    for (uint64_t i = from; i < to; i++) {
        char u[4];
        sc_buf_add(out, u, sc_utf8_encode(sc_stext_cp(t, a + i), u));
    }
    return sc_buf_err(out);
}

size_t sc_seg_text_utf8_buf(const struct sc_seg *seg, uint32_t d, uint64_t from, uint64_t to,
                            char *buf, size_t cap)
{
    if (d >= seg->ndocs)
        return 0;
    const struct sc_stext *t = &seg->text;
    uint64_t a = t->start[d], n = t->start[d + 1] - a;
    if (to > n)
        to = n;
    if (seg->fd < 0 || from >= to)
        return 0;
    /* read, not touched through the mapping: a hit's text would stay in
     * the resident set (the page cache holds it either way) */
    uint8_t tmp[4096];
    const size_t per = sizeof tmp / t->width;
    uint64_t off = (uint64_t)(t->codes - seg->map) + (a + from) * t->width;
    struct sc_stext one = *t;
    one.codes = tmp;
    size_t w = 0;
    for (uint64_t i = from; i < to;) {
        size_t m = to - i < per ? (size_t)(to - i) : per;
        ssize_t got = pread(seg->fd, tmp, m * t->width, (off_t)off);
        if (got != (ssize_t)(m * t->width))
            return SIZE_MAX;
        for (size_t j = 0; j < m; j++) {
            uint32_t cp = sc_stext_cp(&one, j);
            if (cp < 0x80 && w < cap) {
                buf[w++] = (char)cp;
                continue;
            }
            char u[4];
            size_t k = sc_utf8_encode(cp, u);
            if (cap - w < k)
                return SIZE_MAX;
            memcpy(buf + w, u, k);
            w += k;
        }
        i += m;
        off += m * t->width;
    }
    return w;
}

/* The (pair key, doc) entries of every normalised title, sorted. */
static int title_index(struct sc_seg *seg)
{
    size_t n = 0;
    for (uint32_t i = 0; i < seg->ndocs; i++)
        n += seg->docs[i].title_norm.len + 1; /* >= code points + 1 */
    uint64_t *key = sc_malloc((n ? n : 1) * sizeof *key), *tk = sc_malloc((n ? n : 1) * sizeof *tk);
    uint32_t *doc = sc_malloc((n ? n : 1) * sizeof *doc), *tv = sc_malloc((n ? n : 1) * sizeof *tv);
    if (!key || !tk || !doc || !tv) {
        free(key);
        free(tk);
        free(doc);
        free(tv);
        return -1;
    }
    size_t k = 0;
    for (uint32_t i = 0; i < seg->ndocs; i++) {
        const char *t = seg->docs[i].title_norm.p;
        size_t len = seg->docs[i].title_norm.len, at = 0;
        uint32_t prev = 0;
        int have = 0;
        while (at < len) {
            uint32_t c;
            size_t l = sc_utf8_decode(t + at, len - at, &c);
            at += l ? l : 1;
            if (have) {
                key[k] = sc_pair_key(prev, c & SC_PAIR_END);
                doc[k++] = i;
            }
            prev = c & SC_PAIR_END;
            have = 1;
        }
        if (have) {
            key[k] = sc_pair_key(prev, SC_PAIR_END);
            doc[k++] = i;
        }
    }
    sc_radix_sort_kv(key, doc, tk, tv, k, 48); /* stable: docs stay ascending */
    free(tk);
    free(tv);
    size_t w = 0;
    for (size_t i = 0; i < k; i++) {
        if (w && key[w - 1] == key[i] && doc[w - 1] == doc[i])
            continue;
        key[w] = key[i];
        doc[w] = doc[i];
        w++;
    }
    seg->tkey = key;
    seg->tdoc = doc;
    seg->ntitle = w;
    return 0;
}

void sc_seg_title_range(const struct sc_seg *seg, uint64_t klo, uint64_t khi, size_t *first,
                        size_t *end)
{
    size_t lo = 0, hi = seg->ntitle;
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (seg->tkey[m] < klo)
            lo = m + 1;
        else
            hi = m;
    }
    *first = lo;
    hi = seg->ntitle;
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (seg->tkey[m] <= khi)
            lo = m + 1;
        else
            hi = m;
    }
    *end = lo;
}

enum sc_err sc_seg_open(const char *path, struct sc_seg **out, struct sc_diag *diag)
{
    *out = NULL;
    struct sc_seg *seg = sc_calloc(1, sizeof *seg);
    if (seg) {
        seg->refs = 1;
        seg->fd = -1;
    }
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
    if (fstat(fd, &st) != 0 || (size_t)st.st_size < sizeof(struct sc_seg_header)) {
        close(fd);
        seg_free(seg);
        return sc_diag_set(diag, SC_EPARSE, "%s: damaged index segment (too short)", path);
    }
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    seg->fd = fd; /* kept for sc_seg_text_utf8_buf */
    if (m == MAP_FAILED) {
        seg_free(seg);
        return sc_diag_set(diag, SC_EIO, "cannot map %s: %s", path, strerror(errno));
    }
    /* queries touch scattered lists: no read-ahead around them (it would
     * only swell the resident set) */
    (void)madvise(m, (size_t)st.st_size, MADV_RANDOM);
    seg->map = m;
    seg->size = (size_t)st.st_size;
    struct sc_seg_header h;
    memcpy(&h, m, sizeof h);
    uint64_t sz = seg->size;
    if (memcmp(h.magic, SC_SEG_MAGIC, 8) != 0 || h.version != SC_SEG_VERSION || h.file_size != sz || h.off_post != sizeof h ||
        h.len_post < SC_CODEC_PAD || h.off_post + h.len_post != h.off_dict ||
        h.npairs > sz / sizeof(struct sc_dentry) ||
        h.off_dict + h.npairs * sizeof(struct sc_dentry) != h.off_cdict ||
        h.nchars > sz / sizeof(struct sc_dentry) ||
        h.off_cdict + h.nchars * sizeof(struct sc_dentry) != h.off_docs ||
        h.off_docs + h.len_docs > h.off_docidx || h.off_docidx > sz ||
        h.off_text > sz || (uint64_t)h.ndocs * 8 != h.off_text - h.off_docidx ||
        h.len_text != sz - h.off_text || (h.off_dict & 7) || (h.off_docidx & 7) ||
        text_open(&seg->text, seg->map + h.off_text, h.len_text, h.ndocs) != 0) {
        seg_free(seg);
        return sc_diag_set(diag, SC_EPARSE, "%s: damaged index segment (run `sucai reindex`)",
                           path);
    }
    seg->post = seg->map + h.off_post;
    seg->post_len = h.len_post;
    seg->dict = (const struct sc_dentry *)(seg->map + h.off_dict);
    seg->npairs = h.npairs;
    seg->cdict = (const struct sc_dentry *)(seg->map + h.off_cdict);
    seg->nchars = h.nchars;
    seg->ndocs = h.ndocs;
    seg->total_norm = h.total_norm;
    seg->total_para = h.total_para;
    for (uint64_t i = 0; i < h.npairs; i++)
        if (seg->dict[i].off >= h.len_post - SC_CODEC_PAD ||
            (i && seg->dict[i].key <= seg->dict[i - 1].key)) {
            seg_free(seg);
            return sc_diag_set(diag, SC_EPARSE, "%s: damaged index dictionary", path);
        }
    for (uint64_t i = 0; i < h.nchars; i++)
        if (seg->cdict[i].off >= h.len_post - SC_CODEC_PAD || seg->cdict[i].ndocs > h.ndocs ||
            (i && seg->cdict[i].key <= seg->cdict[i - 1].key)) {
            seg_free(seg);
            return sc_diag_set(diag, SC_EPARSE, "%s: damaged index dictionary", path);
        }
    seg->docs = h.ndocs ? sc_calloc(h.ndocs, sizeof *seg->docs) : NULL;
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
        if (parse_doc(&seg->docs[i], &r) != 0 ||
            !text_doc_ok(&seg->docs[i], seg->text.start[i + 1] - seg->text.start[i])) {
            seg_free(seg);
            return sc_diag_set(diag, SC_EPARSE, "%s: damaged document table", path);
        }
    }
    if (title_index(seg) != 0 || text_points(seg) != 0) {
        seg_free(seg);
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    }
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

int64_t sc_seg_find_char(const struct sc_seg *seg, uint32_t cp)
{
    size_t lo = 0, hi = seg->nchars;
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (seg->cdict[m].key < cp)
            lo = m + 1;
        else
            hi = m;
    }
    return lo < seg->nchars && seg->cdict[lo].key == cp ? (int64_t)lo : -1;
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

static enum sc_err pcur_init(struct sc_pcur *c, const struct sc_seg *seg,
                             const struct sc_dentry *de)
{
    memset(c, 0, sizeof *c);
    const uint8_t *p = seg->post + de->off;
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
    c->ndocs = de->ndocs;
    c->i = -1;
    c->pos_done = 1;
    return SC_OK;
}

enum sc_err sc_pcur_init(struct sc_pcur *c, const struct sc_seg *seg, size_t e)
{
    return pcur_init(c, seg, &seg->dict[e]);
}

enum sc_err sc_pcur_init_char(struct sc_pcur *c, const struct sc_seg *seg, size_t ce)
{
    return pcur_init(c, seg, &seg->cdict[ce]);
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
    /* the skip entry that starts the block after the next document's */
    uint32_t b0 = (uint32_t)((c->i + 1) / SC_SKIP_BLOCK);
    uint32_t prev0 = 0;
    if (b0 < c->nskip)
        memcpy(&prev0, c->skip + (size_t)b0 * 12, 4);
    if (b0 < c->nskip && prev0 < target) {
        /* last block whose previous doc is < target */
        uint32_t lo = b0 + 1, hi = c->nskip;
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

/* Skip n Rice codes: only the unary part needs looking at. */
static inline void rice_skip(struct sc_bitr *r, unsigned k, uint64_t n)
{
    for (; n > 0; n--) {
        uint64_t w = sc_bitr_peek(r);
        if (__builtin_expect((w >> 8) != 0, 1)) {
            unsigned z = (unsigned)__builtin_clzll(w);
            r->pos += z + 1 + k;
        } else {
            (void)sc_bitr_rice(r, k);
        }
    }
}

void sc_pcur_pos_open(struct sc_pcur *c)
{
    c->pleft = 0;
    if (c->pos_done || c->i < 0)
        return;
    rice_skip(&c->pr, c->kp, c->pending);
    c->pending = 0;
    c->pleft = c->tf;
    c->plast = 0;
}

void sc_pcur_pos_close(struct sc_pcur *c)
{
    if (c->pos_done || c->i < 0)
        return;
    c->pending = c->pleft;
    c->pleft = 0;
    c->pos_done = 1;
}

void sc_pcur_positions(struct sc_pcur *c, uint32_t *out)
{
    if (c->pos_done || c->i < 0)
        return;
    /* locals: the stores to out must not make the compiler reload state */
    struct sc_bitr r = c->pr;
    const unsigned k = c->kp;
    const uint32_t tf = c->tf;
    rice_skip(&r, k, c->pending);
    c->pending = 0;
    uint32_t p = 0;
    for (uint32_t t = 0; t < tf; t++) {
        uint32_t v = (uint32_t)sc_bitr_rice(&r, k);
        p = t == 0 ? v : p + 1 + v;
        out[t] = p;
    }
    c->pr = r;
    c->pos_done = 1;
}

void sc_pcur_scatter(struct sc_pcur *c, const uint32_t *end, uint32_t *fill, uint32_t *out,
                     uint32_t ndocs)
{
    if (c->i >= 0)
        return;
    struct sc_bitr dr = c->dr, pr = c->pr;
    const unsigned kd = c->kd, kp = c->kp;
    uint32_t doc = 0;
    for (uint32_t i = 0; i < c->ndocs; i++) {
        uint32_t gap = (uint32_t)sc_bitr_rice(&dr, kd);
        doc = i == 0 ? gap : doc + 1 + gap;
        uint32_t tf = (uint32_t)sc_bitr_gamma(&dr);
        if (doc >= ndocs)
            break;
        if (end[doc] - fill[doc] < tf) {
            rice_skip(&pr, kp, tf);
            continue;
        }
        uint32_t *w = out + fill[doc], p = 0;
        for (uint32_t t = 0; t < tf; t++) {
            uint32_t v = (uint32_t)sc_bitr_rice(&pr, kp);
            p = t == 0 ? v : p + 1 + v;
            w[t] = p;
        }
        fill[doc] += tf;
    }
    c->eof = 1;
}

int sc_pcur_decode_all(struct sc_pcur *c, uint64_t hi, uint64_t **out, size_t *n, size_t *cap)
{
    if (c->i >= 0)
        return 0;
    struct sc_bitr dr = c->dr, pr = c->pr;
    const unsigned kd = c->kd, kp = c->kp;
    uint64_t *o = *out;
    size_t at = *n, room = *cap;
    uint32_t doc = 0;
    for (uint32_t i = 0; i < c->ndocs; i++) {
        uint32_t gap = (uint32_t)sc_bitr_rice(&dr, kd);
        doc = i == 0 ? gap : doc + 1 + gap;
        uint32_t tf = (uint32_t)sc_bitr_gamma(&dr);
        if (room - at < tf) { /* one pass: room grows as it is needed */
            size_t nc = (at + tf) * 2 + 64;
            uint64_t *no = sc_reallocarray(o, nc, sizeof *no);
            if (!no)
                return -1;
            *out = o = no;
            *cap = room = nc;
        }
        uint64_t h = (hi + doc) << 32, *w = o + at;
        uint32_t p = 0;
        for (uint32_t t = 0; t < tf; t++) {
            uint32_t v = (uint32_t)sc_bitr_rice(&pr, kp);
            p = t == 0 ? v : p + 1 + v;
            w[t] = h | p;
        }
        at += tf;
    }
    *n = at;
    c->eof = 1;
    return 0;
}
