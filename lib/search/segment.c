/*
 * Segment files: the builder (documents in, one file out) and the reader
 * (mmap, dictionary lookups, posting cursors). The format is described in
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
#include "search/segment.h"

#include "base/bigmem.h"

#include "sucai/text.h"

#include <errno.h>
#include <pthread.h>
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
    uint64_t off_text, len_text;
    uint64_t nchars, off_cdict;
};

/* ---------------------------------------------------------------- build */

/*
 * The builder keeps, per document, the normalised text's pair ids in one
 * array (a hash table maps pair keys to dense ids and counts each one's
 * positions) . Writing sorts the positions into per-id buckets with one
 * counting-sort pass and encodes each bucket in key order, so no per-list
 * staging buffers are grown during the scan.
 *
 * Both passes are bound by cache misses (a hash probe per position while
 * adding, a bucket per position while writing), so each looks PREFETCH
 * positions ahead and asks for the line it will need; the large arrays are
 * huge-page mappings (base/bigmem.h) kept from build to build.
 */

#define NO_ID UINT32_MAX
#define PREFETCH 12

/* key and id side by side with the count: one cache line per probe */
struct hslot {
    uint64_t key;
    uint32_t id1; /* id + 1; 0 = empty */
    uint32_t cnt; /* positions so far */
};

struct sc_segbuild {
    /* pair key -> dense id (open addressing, linear probing) */
    struct sc_big slots_m;
    struct hslot *slots;
    size_t hmask, nid;
    /* per normalised code point of every document: its pair id, NO_ID for '\n' */
    struct sc_big ids_m;
    uint32_t *ids;
    size_t nids;
    struct sc_big keys_m; /* scratch: the pair keys of the document being added */
    uint64_t *dstart; /* per document: first index into ids; ndocs + 1 */
    uint32_t ndocs;
    int64_t last_id;
    struct sc_buf docs; /* document tables */
    uint64_t *docoff;   /* offset of each doc's table */
    size_t capdocs;
    uint64_t total_norm, total_para;
    int nosync; /* a temporary file: no fsync */
    /* write: sorted keys and their ids, counts and bucket starts by id, the
     * dictionary, the positions bucketed by id, the postings */
    struct sc_big skey_m, sid_m, tkey_m, tid_m, cnt_m, start_m, dict_m, rec_m;
    uint8_t *post;
    size_t postcap;
    /* the text store (struct sc_stext): codes of every document's original
     * text, the first code of each document (ndocs + 1) */
    struct sc_big text_m;
    uint64_t ntext, *tstart;
    uint32_t twidth, nesc;
    uint32_t esc[SC_TEXT_MAXESC];
    /* scratch */
    uint32_t *cps, *ob;
    size_t capcps;
    uint32_t *ocp_byte;
    size_t capocp;
};

static int table_alloc(struct sc_segbuild *sb, size_t nslots)
{
    struct sc_big m = SC_BIG_INIT;
    if (sc_big_reserve_n(&m, nslots, sizeof(struct hslot), 1))
        return -1;
    sc_big_release(&sb->slots_m);
    sb->slots_m = m;
    sb->slots = m.p;
    sb->hmask = nslots - 1;
    return 0;
}

enum sc_err sc_segbuild_new(struct sc_segbuild **out)
{
    *out = NULL;
    struct sc_segbuild *sb = sc_calloc(1, sizeof *sb);
    if (!sb)
        return SC_ENOMEM;
    sb->dstart = sc_malloc(1024 * sizeof *sb->dstart);
    sb->capdocs = 1023;
    sb->docoff = sc_malloc(1024 * sizeof *sb->docoff);
    sb->tstart = sc_malloc(1024 * sizeof *sb->tstart);
    sb->twidth = 2;
    if (table_alloc(sb, (size_t)1 << 16) || !sb->dstart || !sb->docoff || !sb->tstart) {
        sc_segbuild_free(sb);
        return SC_ENOMEM;
    }
    sb->dstart[0] = 0;
    sb->tstart[0] = 0;
    sc_buf_init(&sb->docs);
    *out = sb;
    return SC_OK;
}

void sc_segbuild_free(struct sc_segbuild *sb)
{
    if (!sb)
        return;
    struct sc_big *big[] = {&sb->slots_m, &sb->ids_m, &sb->keys_m, &sb->skey_m, &sb->sid_m,
                            &sb->tkey_m,  &sb->tid_m, &sb->cnt_m,  &sb->start_m, &sb->dict_m,
                            &sb->rec_m, &sb->text_m};
    for (size_t i = 0; i < sizeof big / sizeof *big; i++)
        sc_big_release(big[i]);
    free(sb->dstart);
    sc_buf_release(&sb->docs);
    free(sb->docoff);
    free(sb->tstart);
    free(sb->cps);
    free(sb->ob);
    free(sb->ocp_byte);
    free(sb->post);
    free(sb);
}

void sc_segbuild_reset(struct sc_segbuild *sb)
{
    memset(sb->slots, 0, (sb->hmask + 1) * sizeof *sb->slots);
    sb->nid = 0;
    sb->nids = 0;
    sb->ndocs = 0;
    sb->last_id = 0;
    sb->dstart[0] = 0;
    sc_buf_reset(&sb->docs);
    sb->total_norm = sb->total_para = 0;
    sb->ntext = 0;
    sb->tstart[0] = 0;
    sb->twidth = 2;
    sb->nesc = 0;
}

void sc_segbuild_nosync(struct sc_segbuild *sb)
{
    sb->nosync = 1;
}

size_t sc_segbuild_ndocs(const struct sc_segbuild *sb)
{
    return sb->ndocs;
}

static inline size_t hash_key(uint64_t k)
{
    return (size_t)((k * 0x9E3779B97F4A7C15ull) >> 29);
}

/* Double the table (kept at most half full). */
static int grow_table(struct sc_segbuild *sb)
{
    struct sc_big old = sb->slots_m;
    size_t omask = sb->hmask;
    sb->slots_m = (struct sc_big)SC_BIG_INIT;
    if (table_alloc(sb, (omask + 1) * 2)) {
        sb->slots_m = old;
        sb->slots = old.p;
        sb->hmask = omask;
        return -1;
    }
    const struct hslot *os = old.p;
    for (size_t i = 0; i <= omask; i++) {
        if (!os[i].id1)
            continue;
        size_t h = hash_key(os[i].key) & sb->hmask;
        while (sb->slots[h].id1)
            h = (h + 1) & sb->hmask;
        sb->slots[h] = os[i];
    }
    sc_big_release(&old);
    return 0;
}

/* The slot of a pair key (a new one if unseen); NULL when out of memory. */
static inline struct hslot *key_slot(struct sc_segbuild *sb, uint64_t key)
{
    size_t h = hash_key(key) & sb->hmask;
    for (;;) {
        struct hslot *sl = &sb->slots[h];
        if (!sl->id1)
            break;
        if (sl->key == key)
            return sl;
        h = (h + 1) & sb->hmask;
    }
    if ((sb->nid + 1) * 2 > sb->hmask) {
        if (sb->nid >= NO_ID - 1 || grow_table(sb))
            return NULL;
        return key_slot(sb, key);
    }
    struct hslot *sl = &sb->slots[h];
    sl->key = key;
    sl->id1 = (uint32_t)++sb->nid;
    sl->cnt = 0;
    return sl;
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
        uint32_t *a = sc_realloc(sb->cps, nc * sizeof *a);
        if (!a)
            return -1;
        sb->cps = a;
        uint32_t *b = sc_realloc(sb->ob, nc * sizeof *b);
        if (!b)
            return -1;
        sb->ob = b;
        sb->capcps = nc;
    }
    if (nocp + 2 > sb->capocp) {
        size_t nc = nocp + 2 + nocp / 2;
        uint32_t *a = sc_realloc(sb->ocp_byte, nc * sizeof *a);
        if (!a)
            return -1;
        sb->ocp_byte = a;
        sb->capocp = nc;
    }
    return 0;
}

/* Decode one code point of valid UTF-8 (normaliser output) at p. */
static inline uint32_t utf8_next(const unsigned char *p, size_t *k)
{
    unsigned c = p[0];
    if (c < 0x80) {
        *k = 1;
        return c;
    }
    if (c < 0xE0) {
        *k = 2;
        return ((c & 0x1Fu) << 6) | (p[1] & 0x3Fu);
    }
    if (c < 0xF0) {
        *k = 3;
        return ((c & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
    }
    *k = 4;
    return ((c & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
}

/* ---- the text store */

/* Widen the codes so far from 2 to 4 bytes (more code points beyond
 * U+FFFF than escapes). */
static int text_widen(struct sc_segbuild *sb)
{
    if (sc_big_reserve_n(&sb->text_m, sb->ntext + 1, 4, 0))
        return -1;
    uint8_t *t = sb->text_m.p;
    for (uint64_t i = sb->ntext; i-- > 0;) {
        uint16_t c;
        memcpy(&c, t + i * 2, 2);
        uint32_t cp = c;
        if ((uint32_t)c - 0xD800u < 0x800u)
            cp = sb->esc[c - 0xD800u];
        memcpy(t + i * 4, &cp, 4);
    }
    sb->twidth = 4;
    return 0;
}

/* The width-2 code of cp, -1 when the escapes are used up. */
static int64_t text_code16(struct sc_segbuild *sb, uint32_t cp)
{
    if (cp < 0x10000 && (cp < 0xD800 || cp > 0xDFFF))
        return cp;
    for (uint32_t k = 0; k < sb->nesc; k++)
        if (sb->esc[k] == cp)
            return 0xD800 + k;
    if (sb->nesc == SC_TEXT_MAXESC)
        return -1;
    sb->esc[sb->nesc] = cp;
    return 0xD800 + sb->nesc++;
}

/* Append the codes of text[0..len): one per byte that is not a UTF-8
 * continuation byte (the count the paragraph tables use), U+FFFD where the
 * sequence is not valid. */
static int text_add(struct sc_segbuild *sb, const char *text, size_t len, uint32_t nocp)
{
    uint64_t t0 = sb->ntext;
    if (sc_big_reserve_n(&sb->text_m, sb->ntext + nocp + 1, sb->twidth, 0))
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (((unsigned char)text[i] & 0xC0) == 0x80)
            continue;
        uint32_t cp = (unsigned char)text[i];
        if (cp >= 0x80 && !sc_utf8_decode(text + i, len - i, &cp))
            cp = 0xFFFD;
        if (sb->twidth == 2) {
            int64_t c = text_code16(sb, cp);
            if (c < 0) {
                if (text_widen(sb) ||
                    sc_big_reserve_n(&sb->text_m, sb->ntext + nocp + 1, 4, 0)) {
                    sb->ntext = t0;
                    return -1;
                }
            } else {
                uint16_t c16 = (uint16_t)c;
                memcpy((uint8_t *)sb->text_m.p + sb->ntext++ * 2, &c16, 2);
                continue;
            }
        }
        memcpy((uint8_t *)sb->text_m.p + sb->ntext++ * 4, &cp, 4);
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
    if (len >= UINT32_MAX / 2 || sb->ndocs >= UINT32_MAX - 1)
        return sc_diag_set(diag, SC_ELIMIT, "index: document %lld is too large",
                           (long long)doc->id);
    struct sc_buf nb = SC_BUF_INIT;
    uint32_t *map = NULL;
    enum sc_err e = sc_normalize(text, len, &nb, &map);
    if (e != SC_OK)
        goto oom;
    if (ensure_scratch(sb, nb.len, len))
        goto oom;
    /* normalised code points and the original byte each came from */
    uint32_t n = 0;
    const unsigned char *nd = (const unsigned char *)nb.data;
    for (size_t i = 0; i < nb.len;) {
        size_t k = 0;
        uint32_t c = 0;
        if (i + 4 <= nb.len)
            c = utf8_next(nd + i, &k);
        else if (!(k = sc_utf8_decode(nb.data + i, nb.len - i, &c)))
            k = 1;
        sb->cps[n] = c & SC_PAIR_END;
        sb->ob[n] = map[i];
        n++;
        i += k;
    }
    /* original code point -> byte */
    uint32_t nocp = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            sb->ocp_byte[nocp++] = (uint32_t)i;
    sb->ocp_byte[nocp] = (uint32_t)len;

    /* pair ids: the keys first, so that the probe PREFETCH ahead can be
     * started while this one is looked up */
    if (sc_big_reserve_n(&sb->ids_m, sb->nids + n, sizeof *sb->ids, 0) ||
        sc_big_reserve_n(&sb->keys_m, (size_t)n + 1, sizeof(uint64_t), 0))
        goto oom;
    sb->ids = sb->ids_m.p;
    uint64_t *keys = sb->keys_m.p;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t a = sb->cps[i];
        uint32_t b = (i + 1 < n && sb->cps[i + 1] != '\n') ? sb->cps[i + 1] : SC_PAIR_END;
        keys[i] = a == '\n' ? UINT64_MAX : sc_pair_key(a, b);
    }
    uint32_t *ids = sb->ids + sb->nids;
    for (uint32_t i = 0; i < n; i++) {
        if (i + PREFETCH < n)
            __builtin_prefetch(&sb->slots[hash_key(keys[i + PREFETCH]) & sb->hmask], 1);
        if (keys[i] == UINT64_MAX) {
            ids[i] = NO_ID;
            continue;
        }
        struct hslot *sl = key_slot(sb, keys[i]);
        if (!sl)
            goto oom;
        ids[i] = sl->id1 - 1;
        sl->cnt++;
    }

    /* the document's table */
    struct sc_buf *d = &sb->docs;
    if (sb->ndocs + 1 >= sb->capdocs) {
        size_t nc = sb->capdocs * 2 + 2;
        uint64_t *no = sc_reallocarray(sb->docoff, nc, sizeof *no);
        if (!no)
            goto oom;
        sb->docoff = no;
        uint64_t *ns = sc_reallocarray(sb->dstart, nc + 1, sizeof *ns);
        if (!ns)
            goto oom;
        sb->dstart = ns;
        uint64_t *ts = sc_reallocarray(sb->tstart, nc + 1, sizeof *ts);
        if (!ts)
            goto oom;
        sb->tstart = ts;
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
    put_strz(d, doc->docno);
    sc_varint_put(d, doc->docdate > 0 ? (uint64_t)doc->docdate : 0);
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
            /* identity: the paragraph's normalised code points map one for
             * one, in order, onto its original ones (snippets then need no
             * second normalisation) */
            uint32_t ne = on, oe = oc;
            while (ne < n && sb->cps[ne] != '\n')
                ne++;
            while (oe < nocp && text[sb->ocp_byte[oe]] != '\n')
                oe++;
            int ident = ne - on == oe - oc;
            for (uint32_t i = 0; ident && i < ne - on; i++)
                ident = sb->ob[on + i] == sb->ocp_byte[oc + i];
            sc_varint_put(d, (uint64_t)(on - pn) << 1 | (uint64_t)ident);
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
    if (sc_buf_err(d) != SC_OK || text_add(sb, text, len, nocp))
        goto oom;
    sb->tstart[sb->ndocs + 1] = sb->ntext;
    sb->nids += n;
    sb->total_norm += n;
    sb->ndocs++;
    sb->dstart[sb->ndocs] = sb->nids;
    sb->last_id = doc->id;
    sc_buf_release(&nb);
    free(map);
    return SC_OK;
oom:
    sc_buf_release(&nb);
    free(map);
    return sc_diag_set(diag, SC_ENOMEM, "out of memory indexing document %lld", (long long)doc->id);
}

/* Scratch of one list encoder. */
struct lenc {
    struct sc_bitw ds, ps, sk;
};

static void lenc_release(struct lenc *l)
{
    free(l->ds.p);
    free(l->ps.p);
    free(l->sk.p);
}

/* Encode the list of records rec[0..n) (doc << 32 | position, sorted) and
 * append it to out; *ndocs receives its document count. */
static int encode_list(struct lenc *l, const uint64_t *rec, size_t n, struct sc_bitw *out,
                       uint32_t *ndocs)
{
    /* Rice parameters from the mean gaps */
    uint64_t nd = 0, sdg = 0, spg = 0;
    int64_t prevdoc = -1;
    uint32_t prevpos = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t d = (uint32_t)(rec[i] >> 32), p = (uint32_t)rec[i];
        if ((int64_t)d != prevdoc) {
            sdg += (uint64_t)((int64_t)d - prevdoc - 1);
            spg += p;
            prevdoc = d;
            nd++;
        } else {
            spg += p - prevpos - 1;
        }
        prevpos = p;
    }
    unsigned kd = sc_rice_k(sdg, nd), kp = sc_rice_k(spg, n);
    sc_bitw_reset(&l->ds);
    sc_bitw_reset(&l->ps);
    sc_bitw_reset(&l->sk);
    /* room for the codes: Rice bounds from the sums above; a gamma code of
     * a count <= n has at most 2 * bits(n) - 1 bits */
    uint64_t gmax = 2 * (64 - (uint64_t)__builtin_clzll((uint64_t)n | 1));
    if (sc_bitw_room(&l->ds, (sc_rice_bits_max(sdg, nd, kd) + nd * gmax) / 8 + 16) ||
        sc_bitw_room(&l->ps, sc_rice_bits_max(spg, n, kp) / 8 + 16))
        return -1;
    uint32_t nskip = 0, di = 0;
    prevdoc = -1;
    for (size_t i = 0; i < n;) {
        uint32_t d = (uint32_t)(rec[i] >> 32);
        size_t j = i + 1;
        while (j < n && (uint32_t)(rec[j] >> 32) == d)
            j++;
        if (di && di % SC_SKIP_BLOCK == 0) {
            uint32_t ent[3] = {(uint32_t)prevdoc, (uint32_t)sc_bitw_bits(&l->ds),
                               (uint32_t)sc_bitw_bits(&l->ps)};
            sc_bitw_bytes(&l->sk, ent, sizeof ent);
            nskip++;
        }
        sc_bitw_rice(&l->ds, (uint64_t)((int64_t)d - prevdoc - 1), kd);
        sc_bitw_gamma(&l->ds, j - i);
        uint32_t prev = 0;
        for (size_t t = i; t < j; t++) {
            uint32_t p = (uint32_t)rec[t];
            sc_bitw_rice(&l->ps, t == i ? p : p - prev - 1, kp);
            prev = p;
        }
        prevdoc = d;
        di++;
        i = j;
    }
    sc_bitw_flush(&l->ds);
    sc_bitw_flush(&l->ps);
    sc_bitw_varint(out, kd);
    sc_bitw_varint(out, kp);
    sc_bitw_varint(out, l->ds.len);
    sc_bitw_varint(out, nskip);
    sc_bitw_bytes(out, l->sk.p, l->sk.len);
    sc_bitw_bytes(out, l->ds.p, l->ds.len);
    sc_bitw_bytes(out, l->ps.p, l->ps.len);
    *ndocs = (uint32_t)nd;
    return l->ds.err || l->ps.err || l->sk.err || out->err ? -1 : 0;
}

/* Encode a character list: documents docs[0..n) (ascending) with counts
 * tf[docs[i]], no positions; appended to out. */
static int encode_doclist(struct lenc *l, const uint32_t *docs, const uint32_t *tf, size_t n,
                          struct sc_bitw *out)
{
    uint64_t sdg = 0, maxtf = 1;
    int64_t prevdoc = -1;
    for (size_t i = 0; i < n; i++) {
        sdg += (uint64_t)((int64_t)docs[i] - prevdoc - 1);
        prevdoc = docs[i];
        if (tf[docs[i]] > maxtf)
            maxtf = tf[docs[i]];
    }
    unsigned kd = sc_rice_k(sdg, n);
    sc_bitw_reset(&l->ds);
    sc_bitw_reset(&l->sk);
    uint64_t gmax = 2 * (64 - (uint64_t)__builtin_clzll(maxtf));
    if (sc_bitw_room(&l->ds, (sc_rice_bits_max(sdg, n, kd) + n * gmax) / 8 + 16))
        return -1;
    uint32_t nskip = 0;
    prevdoc = -1;
    for (size_t i = 0; i < n; i++) {
        if (i && i % SC_SKIP_BLOCK == 0) {
            uint32_t ent[3] = {(uint32_t)prevdoc, (uint32_t)sc_bitw_bits(&l->ds), 0};
            sc_bitw_bytes(&l->sk, ent, sizeof ent);
            nskip++;
        }
        sc_bitw_rice(&l->ds, (uint64_t)((int64_t)docs[i] - prevdoc - 1), kd);
        sc_bitw_gamma(&l->ds, tf[docs[i]]);
        prevdoc = docs[i];
    }
    sc_bitw_flush(&l->ds);
    sc_bitw_varint(out, kd);
    sc_bitw_varint(out, 0);
    sc_bitw_varint(out, l->ds.len);
    sc_bitw_varint(out, nskip);
    sc_bitw_bytes(out, l->sk.p, l->sk.len);
    sc_bitw_bytes(out, l->ds.p, l->ds.len);
    return l->ds.err || l->sk.err || out->err ? -1 : 0;
}

/* The character lists being written: the lists and their dictionary. */
struct clists {
    struct sc_bitw post;
    struct sc_dentry *dict;
    size_t n, cap;
};

static void clists_release(struct clists *cl)
{
    free(cl->post.p);
    free(cl->dict);
    memset(cl, 0, sizeof *cl);
}

/* Append the list of character cp (documents docs[0..n), counts tf[doc]). */
static int clists_add(struct clists *cl, struct lenc *l, uint32_t cp, const uint32_t *docs,
                      const uint32_t *tf, size_t n)
{
    if (cl->n == cl->cap) {
        size_t nc = cl->cap ? cl->cap * 2 : 4096;
        struct sc_dentry *nd = sc_reallocarray(cl->dict, nc, sizeof *nd);
        if (!nd)
            return -1;
        cl->dict = nd;
        cl->cap = nc;
    }
    if (cl->post.len >= UINT32_MAX - 64)
        return -1;
    cl->dict[cl->n] = (struct sc_dentry){cp, (uint32_t)n, (uint32_t)cl->post.len};
    cl->n++;
    return encode_doclist(l, docs, tf, n, &cl->post);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* The documents touched[0..nt) counted in tf (ndocs of them), in order,
 * into touched: sorted when few, else by a sweep. */
static void touched_sort(uint32_t *touched, size_t nt, const uint32_t *tf, uint32_t ndocs)
{
    if ((uint64_t)nt * 16 < ndocs) {
        qsort(touched, nt, sizeof *touched, cmp_u32);
        return;
    }
    size_t w = 0;
    for (uint32_t d = 0; d < ndocs; d++)
        if (tf[d])
            touched[w++] = d;
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
            return sc_diag_set(diag, SC_EIO, "cannot write %s: %s", path, sc_strerrno(errno));
        }
        c += w;
        n -= (size_t)w;
    }
    return SC_OK;
}

/* The text section to write: the output's width and escapes, the start of
 * each document's codes, and the codes as runs taken from the builder or
 * from merged segments (each run with the width and escapes it is coded
 * in; a run coded differently from the output is recoded on the way). */
struct text_run {
    const uint8_t *codes;
    uint64_t n;
    uint32_t width, nesc;
    const uint32_t *esc;
};

struct text_out {
    uint32_t width, nesc;
    const uint32_t *esc;
    const uint64_t *start; /* ndocs + 1 */
    const struct text_run *run;
    size_t nrun;
};

static uint64_t text_ncodes(const struct text_out *tx)
{
    uint64_t n = 0;
    for (size_t i = 0; i < tx->nrun; i++)
        n += tx->run[i].n;
    return n;
}

static uint64_t text_section_len(const struct text_out *tx, uint32_t ndocs)
{
    uint64_t head = 16 + (uint64_t)tx->nesc * 4;
    head += (8 - (head & 7)) % 8;
    uint64_t body = text_ncodes(tx) * tx->width;
    return head + ((uint64_t)ndocs + 1) * 8 + body + (8 - (body & 7)) % 8;
}

static enum sc_err write_text(int fd, const struct text_out *tx, uint32_t ndocs,
                              const char *path, struct sc_diag *diag)
{
    static const uint8_t zero[8];
    uint32_t head[4] = {tx->width, tx->nesc, 0, 0};
    uint64_t nc = text_ncodes(tx);
    memcpy(&head[2], &nc, 8);
    enum sc_err e = write_all(fd, head, sizeof head, path, diag);
    if (e == SC_OK && tx->nesc)
        e = write_all(fd, tx->esc, (size_t)tx->nesc * 4, path, diag);
    if (e == SC_OK)
        e = write_all(fd, zero, (8 - ((16 + (uint64_t)tx->nesc * 4) & 7)) % 8, path, diag);
    if (e == SC_OK)
        e = write_all(fd, tx->start, ((size_t)ndocs + 1) * 8, path, diag);
    uint8_t *buf = NULL;
    enum { BLOCK = 32768 };
    for (size_t r = 0; r < tx->nrun && e == SC_OK; r++) {
        const struct text_run *run = &tx->run[r];
        if (run->width == tx->width &&
            (run->width == 4 || (run->esc == tx->esc && run->nesc == tx->nesc))) {
            e = write_all(fd, run->codes, run->n * run->width, path, diag);
            continue;
        }
        if (!buf && !(buf = sc_malloc((size_t)BLOCK * 4)))
            return sc_diag_set(diag, SC_ENOMEM, "out of memory writing the index");
        struct sc_stext in = {.width = run->width, .nesc = run->nesc, .esc = run->esc,
                              .codes = run->codes, .ncodes = run->n};
        /* the run's escapes in the output's code */
        uint16_t remap[SC_TEXT_MAXESC];
        for (uint32_t k = 0; k < run->nesc && tx->width == 2; k++) {
            remap[k] = 0xFFFD;
            for (uint32_t j = 0; j < tx->nesc; j++)
                if (tx->esc[j] == run->esc[k])
                    remap[k] = (uint16_t)(0xD800 + j);
        }
        for (uint64_t i = 0; i < run->n && e == SC_OK;) {
            size_t m = run->n - i < BLOCK ? (size_t)(run->n - i) : BLOCK;
            for (size_t j = 0; j < m; j++) {
                if (tx->width == 4) {
                    uint32_t cp = sc_stext_cp(&in, i + j);
                    memcpy(buf + j * 4, &cp, 4);
                } else { /* a width-2 run with other escapes */
                    uint16_t c;
                    memcpy(&c, run->codes + (i + j) * 2, 2);
                    if ((uint32_t)c - 0xD800u < 0x800u)
                        c = (uint32_t)c - 0xD800u < run->nesc ? remap[c - 0xD800u] : 0xFFFD;
                    memcpy(buf + j * 2, &c, 2);
                }
            }
            e = write_all(fd, buf, m * tx->width, path, diag);
            i += m;
        }
    }
    free(buf);
    if (e == SC_OK)
        e = write_all(fd, zero, (8 - ((nc * tx->width) & 7)) % 8, path, diag);
    return e;
}

/* Write a segment file: header, postings (post[0..npost) of which the
 * lists' dictionary is dict[0..nd)), padding, dictionary, document tables
 * and their offsets, the text store; via path.tmp, fsync and rename. */
static enum sc_err write_segment(const char *path, const struct sc_bitw *post, size_t npost,
                                 const struct sc_dentry *dict, size_t nd,
                                 const struct sc_dentry *cdict, size_t nc, const uint8_t *docs,
                                 size_t docs_len, const uint64_t *docoff, uint32_t ndocs,
                                 uint64_t total_norm, uint64_t total_para,
                                 const struct text_out *tx, int durable, struct sc_diag *diag)
{
    struct sc_buf tmp = SC_BUF_INIT;
    sc_buf_addf(&tmp, "%s.tmp", path);
    if (sc_buf_err(&tmp))
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    int fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        enum sc_err e =
            sc_diag_set(diag, SC_EIO, "cannot create %s: %s", tmp.data, sc_strerrno(errno));
        sc_buf_release(&tmp);
        return e;
    }
    struct seg_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, SC_SEG_MAGIC, 8);
    h.version = SC_SEG_VERSION;
    h.ndocs = ndocs;
    h.npairs = nd;
    h.off_post = sizeof h;
    h.total_norm = total_norm;
    h.total_para = total_para;
    uint64_t off = 0;
    for (size_t i = 0; i < npost; i++)
        off += post[i].len;
    enum sc_err e = SC_OK;
    if (off + SC_CODEC_PAD >= UINT32_MAX)
        e = sc_diag_set(diag, SC_ELIMIT, "index segment too large");
    static const uint8_t pad[SC_CODEC_PAD + 8];
    /* padding for the bit readers, then align the dictionary to 8 */
    size_t padn = SC_CODEC_PAD + (8 - ((sizeof h + off + SC_CODEC_PAD) & 7)) % 8;
    h.len_post = off + padn;
    h.off_dict = h.off_post + h.len_post;
    h.nchars = nc;
    h.off_cdict = h.off_dict + nd * sizeof *dict;
    h.off_docs = h.off_cdict + nc * sizeof *cdict;
    h.len_docs = docs_len;
    size_t padd = (8 - ((h.off_docs + h.len_docs) & 7)) % 8;
    h.off_docidx = h.off_docs + h.len_docs + padd;
    h.off_text = h.off_docidx + (uint64_t)ndocs * sizeof *docoff;
    h.len_text = text_section_len(tx, ndocs);
    h.file_size = h.off_text + h.len_text;
    if (e == SC_OK)
        e = write_all(fd, &h, sizeof h, tmp.data, diag);
    for (size_t i = 0; i < npost && e == SC_OK; i++)
        e = write_all(fd, post[i].p, post[i].len, tmp.data, diag);
    if (e == SC_OK)
        e = write_all(fd, pad, padn, tmp.data, diag);
    if (e == SC_OK && nd)
        e = write_all(fd, dict, nd * sizeof *dict, tmp.data, diag);
    if (e == SC_OK && nc)
        e = write_all(fd, cdict, nc * sizeof *cdict, tmp.data, diag);
    if (e == SC_OK && docs_len)
        e = write_all(fd, docs, docs_len, tmp.data, diag);
    if (e == SC_OK)
        e = write_all(fd, pad, padd, tmp.data, diag);
    if (e == SC_OK && ndocs)
        e = write_all(fd, docoff, ndocs * sizeof *docoff, tmp.data, diag);
    if (e == SC_OK)
        e = write_text(fd, tx, ndocs, tmp.data, diag);
    if (e == SC_OK && durable && fsync(fd) != 0)
        e = sc_diag_set(diag, SC_EIO, "cannot sync %s: %s", tmp.data, sc_strerrno(errno));
    if (close(fd) != 0 && e == SC_OK)
        e = sc_diag_set(diag, SC_EIO, "cannot write %s: %s", tmp.data, sc_strerrno(errno));
    if (e == SC_OK && rename(tmp.data, path) != 0)
        e = sc_diag_set(diag, SC_EIO, "cannot rename %s: %s", tmp.data, sc_strerrno(errno));
    if (e != SC_OK)
        unlink(tmp.data);
    sc_buf_release(&tmp);
    return e;
}

/* Sort (key, value) pairs by key: LSD radix sort, 16 bits a pass over the
 * bits in use; tmp has room for n pairs. */
static void radix_sort_kv(uint64_t *key, uint32_t *val, uint64_t *tkey, uint32_t *tval, size_t n,
                          unsigned bits)
{
    static const unsigned R = 16;
    size_t *count = sc_calloc((size_t)1 << R, sizeof *count);
    if (!count) { /* fall back to insertion sort: slow but correct */
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0 && key[j] < key[j - 1]; j--) {
                uint64_t tk = key[j];
                key[j] = key[j - 1];
                key[j - 1] = tk;
                uint32_t tv = val[j];
                val[j] = val[j - 1];
                val[j - 1] = tv;
            }
        return;
    }
    for (unsigned shift = 0; shift < bits; shift += R) {
        memset(count, 0, ((size_t)1 << R) * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(key[i] >> shift) & 0xFFFF]++;
        size_t sum = 0;
        for (size_t b = 0; b < ((size_t)1 << R); b++) {
            size_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            size_t at = count[(key[i] >> shift) & 0xFFFF]++;
            tkey[at] = key[i];
            tval[at] = val[i];
        }
        memcpy(key, tkey, n * sizeof *key);
        memcpy(val, tval, n * sizeof *val);
    }
    free(count);
}

enum sc_err sc_segbuild_write(struct sc_segbuild *sb, const char *path, struct sc_diag *diag)
{
    enum sc_err e = SC_OK;
    size_t nid = sb->nid, n1 = nid ? nid : 1;
    struct lenc l;
    struct sc_bitw out = {.p = sb->post, .cap = sb->postcap};
    struct clists cl;
    memset(&l, 0, sizeof l);
    memset(&cl, 0, sizeof cl);
    if (sc_big_reserve_n(&sb->skey_m, n1, sizeof(uint64_t), 0) ||
        sc_big_reserve_n(&sb->sid_m, n1, sizeof(uint32_t), 0) ||
        sc_big_reserve_n(&sb->tkey_m, n1, sizeof(uint64_t), 0) ||
        sc_big_reserve_n(&sb->tid_m, n1, sizeof(uint32_t), 0) ||
        sc_big_reserve_n(&sb->cnt_m, n1, sizeof(uint32_t), 0) ||
        sc_big_reserve_n(&sb->start_m, nid + 1, sizeof(uint64_t), 0) ||
        sc_big_reserve_n(&sb->dict_m, n1, sizeof(struct sc_dentry), 0)) {
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory writing the index");
        goto done;
    }
    uint64_t *skey = sb->skey_m.p, *start = sb->start_m.p;
    uint32_t *sid = sb->sid_m.p, *cnt = sb->cnt_m.p;
    struct sc_dentry *dict = sb->dict_m.p;
    /* the lists in key order; the buckets laid out in that order, so
     * that encoding reads the scattered positions front to back */
    for (size_t h = 0; h <= sb->hmask; h++) {
        const struct hslot *sl = &sb->slots[h];
        if (sl->id1) {
            skey[sl->id1 - 1] = sl->key;
            cnt[sl->id1 - 1] = sl->cnt;
        }
    }
    for (size_t i = 0; i < nid; i++)
        sid[i] = (uint32_t)i;
    radix_sort_kv(skey, sid, sb->tkey_m.p, sb->tid_m.p, nid, 48);
    uint64_t total = 0;
    for (size_t i = 0; i < nid; i++) {
        start[sid[i]] = total;
        total += cnt[sid[i]];
    }
    start[nid] = total;
    if (sc_big_reserve_n(&sb->rec_m, total ? total : 1, sizeof(uint64_t), 0)) {
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory writing the index");
        goto done;
    }
    uint64_t *rec = sb->rec_m.p;
    /* scatter: a bucket's start PREFETCH * 2 positions ahead, the place in
     * the bucket PREFETCH ahead (its start has arrived by then) */
    const uint32_t *ids = sb->ids;
    for (uint32_t d = 0; d < sb->ndocs; d++) {
        uint64_t a = sb->dstart[d], b = sb->dstart[d + 1];
        for (uint64_t i = a; i < b; i++) {
            if (i + 2 * PREFETCH < sb->nids && ids[i + 2 * PREFETCH] != NO_ID)
                __builtin_prefetch(&start[ids[i + 2 * PREFETCH]], 1);
            if (i + PREFETCH < sb->nids && ids[i + PREFETCH] != NO_ID)
                __builtin_prefetch(&rec[start[ids[i + PREFETCH]]], 1);
            uint32_t id = ids[i];
            if (id != NO_ID)
                rec[start[id]++] = (uint64_t)d << 32 | (uint32_t)(i - a);
        }
    }
    for (size_t i = 0; i < nid && e == SC_OK; i++) {
        uint32_t id = sid[i];
        uint64_t b = start[id], a = b - cnt[id];
        if (out.len >= UINT32_MAX - 64) {
            e = sc_diag_set(diag, SC_ELIMIT, "index segment too large");
            break;
        }
        dict[i].key = skey[i];
        dict[i].off = (uint32_t)out.len;
        if (encode_list(&l, rec + a, (size_t)(b - a), &out, &dict[i].ndocs))
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory writing the index");
    }
    /* the character lists: the documents of each character's pair lists
     * (consecutive keys) with their positions counted */
    uint32_t *tf = NULL, *touched = NULL;
    if (e == SC_OK) {
        tf = sc_calloc((size_t)sb->ndocs + 1, sizeof *tf);
        touched = sc_malloc(((size_t)sb->ndocs + 1) * sizeof *touched);
        if (!tf || !touched)
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory writing the index");
    }
    for (size_t i = 0; i < nid && e == SC_OK;) {
        uint32_t cp = (uint32_t)(skey[i] >> 21);
        size_t nt = 0;
        for (; i < nid && (uint32_t)(skey[i] >> 21) == cp; i++) {
            uint32_t id = sid[i];
            uint64_t b = start[id], a = b - cnt[id];
            for (uint64_t r = a; r < b; r++) {
                uint32_t d = (uint32_t)(rec[r] >> 32);
                if (!tf[d]++)
                    touched[nt++] = d;
            }
        }
        touched_sort(touched, nt, tf, sb->ndocs);
        if (clists_add(&cl, &l, cp, touched, tf, nt))
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory writing the index");
        for (size_t t = 0; t < nt; t++)
            tf[touched[t]] = 0;
    }
    free(tf);
    free(touched);
    /* the pair lists follow the character lists */
    for (size_t i = 0; i < nid && e == SC_OK; i++) {
        if ((uint64_t)dict[i].off + cl.post.len >= UINT32_MAX)
            e = sc_diag_set(diag, SC_ELIMIT, "index segment too large");
        dict[i].off += (uint32_t)cl.post.len;
    }
    struct text_run run = {sb->text_m.p, sb->ntext, sb->twidth, sb->nesc, sb->esc};
    struct text_out tx = {sb->twidth, sb->twidth == 2 ? sb->nesc : 0, sb->esc, sb->tstart, &run, 1};
    struct sc_bitw post[2] = {cl.post, out};
    if (e == SC_OK)
        e = write_segment(path, post, 2, dict, nid, cl.dict, cl.n, (const uint8_t *)sb->docs.data,
                          sb->docs.len, sb->docoff, sb->ndocs, sb->total_norm, sb->total_para,
                          &tx, !sb->nosync, diag);
done:
    sb->post = out.p; /* kept for the next build */
    sb->postcap = out.cap;
    clists_release(&cl);
    lenc_release(&l);
    return e;
}

/* ---- merging segments from their postings */

struct merge_part {
    struct sc_seg **in;
    size_t nin;
    const uint32_t *base;   /* first ordinal of each input in the output */
    uint64_t klo, khi;      /* keys [klo, khi) */
    struct sc_bitw out;
    struct sc_dentry *dict;
    size_t nd, capd;
    enum sc_err err;
};

/* Decode the list of dictionary entry e of seg into records, docs offset
 * by base; appended to *rec. */
static int decode_list(const struct sc_seg *seg, size_t e, uint32_t base, uint64_t **rec,
                       size_t *n, size_t *cap, uint32_t **pb, size_t *pcap)
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
    struct lenc l;
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
                if (decode_list(mp->in[s], at[s], mp->base[s], &rec, &nrec, &caprec, &pb,
                                &pcap)) {
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
        if (encode_list(&l, rec, nrec, &mp->out, &de->ndocs)) {
            mp->err = SC_ENOMEM;
            goto out;
        }
    }
out:
    free(at);
    free(rec);
    free(pb);
    lenc_release(&l);
    return NULL;
}

/* The character lists of segments in[0..n) (documents offset by base[s];
 * nd documents in all) merged into cl. */
static int merge_chars(struct sc_seg *const *in, size_t n, const uint32_t *base, uint32_t nd,
                       struct clists *cl)
{
    size_t *at = sc_calloc(n ? n : 1, sizeof *at);
    uint32_t *tf = sc_calloc((size_t)nd + 1, sizeof *tf);
    uint32_t *docs = sc_malloc(((size_t)nd + 1) * sizeof *docs);
    struct lenc l;
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
        if (!rc && clists_add(cl, &l, (uint32_t)cp, docs, tf, m))
            rc = -1;
        for (size_t i = 0; i < m; i++)
            tf[docs[i]] = 0;
    }
    free(at);
    free(tf);
    free(docs);
    lenc_release(&l);
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
    struct text_run *truns = NULL;
    struct clists cl;
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
        struct seg_header h;
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
        truns[s] = (struct text_run){t->codes, t->ncodes, t->width, t->nesc, t->esc};
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
    struct text_out tx = {width, width == 2 ? nesc : 0, mesc, tstart, truns, n};
    struct sc_bitw post[3] = {cl.post, part[0].out, part[1].out};
    e = write_segment(path, post, (size_t)nparts + 1, dict, ndict, cl.dict, cl.n,
                      (const uint8_t *)docs.data, docs.len, docoff, (uint32_t)nd, total_norm,
                      total_para, &tx, 1, diag);
done:
    clists_release(&cl);
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
    radix_sort_kv(key, doc, tk, tv, k, 48); /* stable: docs stay ascending */
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
    if (seg)
        seg->refs = 1;
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
    /* queries touch scattered lists: no read-ahead around them (it would
     * only swell the resident set) */
    (void)madvise(m, (size_t)st.st_size, MADV_RANDOM);
    seg->map = m;
    seg->size = (size_t)st.st_size;
    struct seg_header h;
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
