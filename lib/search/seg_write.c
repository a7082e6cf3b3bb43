/*
 * Segment files, the writer: the builder (documents in, one file out), the
 * list encoders and the file writer that the merge (seg_merge.c) shares.
 * The format is in docs/internals/index.md and segment.c.
 */
#include "search/seg_int.h"

#include "base/bigmem.h"

#include "sucai/text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

#define NO_ID    UINT32_MAX
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
    uint64_t *dstart;     /* per document: first index into ids; ndocs + 1 */
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
    struct sc_big *big[] = { &sb->slots_m, &sb->ids_m,  &sb->keys_m, &sb->skey_m,
                             &sb->sid_m,   &sb->tkey_m, &sb->tid_m,  &sb->cnt_m,
                             &sb->start_m, &sb->dict_m, &sb->rec_m,  &sb->text_m };
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

/* Room for n + 2 entries, grown by half again of what it had (documents
 * come in many sizes), but exactly what a document larger than that asks:
 * one very long document must not cost half again of its size. */
static size_t scratch_cap(size_t cap, size_t n)
{
    size_t grown = cap + cap / 2;
    return n + 2 > grown ? n + 2 : grown;
}

/* Scratch for a document of ncps normalised and nocp original code points. */
static int ensure_scratch(struct sc_segbuild *sb, size_t ncps, size_t nocp)
{
    if (ncps + 2 > sb->capcps) {
        size_t nc = scratch_cap(sb->capcps, ncps);
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
        size_t nc = scratch_cap(sb->capocp, nocp);
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
                if (text_widen(sb) || sc_big_reserve_n(&sb->text_m, sb->ntext + nocp + 1, 4, 0)) {
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
    /* sized by code points, not bytes: a third of it for Chinese text */
    size_t nocp_all = 0;
    for (size_t i = 0; i < len; i++)
        nocp_all += ((unsigned char)text[i] & 0xC0) != 0x80;
    if (ensure_scratch(sb, sc_utf8_count(nb.data, nb.len), nocp_all))
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
        if (n + 2 > sb->capcps)
            goto oom; /* not UTF-8 as the normaliser writes it: cannot happen */
        sb->cps[n] = c & SC_PAIR_END;
        sb->ob[n] = map[i];
        n++;
        i += k;
    }
    /* the normalised text and its map are not needed beyond this: free them
     * before the pair arrays of a long document are made */
    sc_buf_release(&nb);
    free(map);
    map = NULL;
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
    int64_t pf = doc->paid_from_cp, pt = doc->paid_to_cp;
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
        int64_t os = sec->start_cp < 0 ? 0 : sec->start_cp, oe = sec->end_cp;
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
        size_t ll = sec->label ? strlen(sec->label) : 0,
               hl = sec->heading ? strlen(sec->heading) : 0;
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

void sc_lenc_release(struct sc_lenc *l)
{
    free(l->ds.p);
    free(l->ps.p);
    free(l->sk.p);
}

/* Encode the list of records rec[0..n) (doc << 32 | position, sorted) and
 * append it to out; *ndocs receives its document count. */
int sc_encode_list(struct sc_lenc *l, const uint64_t *rec, size_t n, struct sc_bitw *out,
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
            uint32_t ent[3] = { (uint32_t)prevdoc, (uint32_t)sc_bitw_bits(&l->ds),
                                (uint32_t)sc_bitw_bits(&l->ps) };
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
int sc_encode_doclist(struct sc_lenc *l, const uint32_t *docs, const uint32_t *tf, size_t n,
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
            uint32_t ent[3] = { (uint32_t)prevdoc, (uint32_t)sc_bitw_bits(&l->ds), 0 };
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

void sc_clists_release(struct sc_clists *cl)
{
    free(cl->post.p);
    free(cl->dict);
    memset(cl, 0, sizeof *cl);
}

/* Append the list of character cp (documents docs[0..n), counts tf[doc]). */
int sc_clists_add(struct sc_clists *cl, struct sc_lenc *l, uint32_t cp, const uint32_t *docs,
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
    cl->dict[cl->n] = (struct sc_dentry){ cp, (uint32_t)n, (uint32_t)cl->post.len };
    cl->n++;
    return sc_encode_doclist(l, docs, tf, n, &cl->post);
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

static uint64_t text_ncodes(const struct sc_text_out *tx)
{
    uint64_t n = 0;
    for (size_t i = 0; i < tx->nrun; i++)
        n += tx->run[i].n;
    return n;
}

static uint64_t text_section_len(const struct sc_text_out *tx, uint32_t ndocs)
{
    uint64_t head = 16 + (uint64_t)tx->nesc * 4;
    head += (8 - (head & 7)) % 8;
    uint64_t body = text_ncodes(tx) * tx->width;
    return head + ((uint64_t)ndocs + 1) * 8 + body + (8 - (body & 7)) % 8;
}

static enum sc_err write_text(int fd, const struct sc_text_out *tx, uint32_t ndocs,
                              const char *path, struct sc_diag *diag)
{
    static const uint8_t zero[8];
    uint32_t head[4] = { tx->width, tx->nesc, 0, 0 };
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
    enum {
        BLOCK = 32768
    };
    for (size_t r = 0; r < tx->nrun && e == SC_OK; r++) {
        const struct sc_text_run *run = &tx->run[r];
        if (run->width == tx->width &&
            (run->width == 4 || (run->esc == tx->esc && run->nesc == tx->nesc))) {
            e = write_all(fd, run->codes, run->n * run->width, path, diag);
            continue;
        }
        if (!buf && !(buf = sc_malloc((size_t)BLOCK * 4)))
            return sc_diag_set(diag, SC_ENOMEM, "out of memory writing the index");
        struct sc_stext in = { .width = run->width,
                               .nesc = run->nesc,
                               .esc = run->esc,
                               .codes = run->codes,
                               .ncodes = run->n };
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
enum sc_err sc_seg_write_file(const char *path, const struct sc_bitw *post, size_t npost,
                              const struct sc_dentry *dict, size_t nd,
                              const struct sc_dentry *cdict, size_t nc, const uint8_t *docs,
                              size_t docs_len, const uint64_t *docoff, uint32_t ndocs,
                              uint64_t total_norm, uint64_t total_para,
                              const struct sc_text_out *tx, int durable, struct sc_diag *diag)
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
    struct sc_seg_header h;
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
void sc_radix_sort_kv(uint64_t *key, uint32_t *val, uint64_t *tkey, uint32_t *tval, size_t n,
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
    struct sc_lenc l;
    struct sc_bitw out = { .p = sb->post, .cap = sb->postcap };
    struct sc_clists cl;
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
    sc_radix_sort_kv(skey, sid, sb->tkey_m.p, sb->tid_m.p, nid, 48);
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
        if (sc_encode_list(&l, rec + a, (size_t)(b - a), &out, &dict[i].ndocs))
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
        if (sc_clists_add(&cl, &l, cp, touched, tf, nt))
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
    struct sc_text_run run = { sb->text_m.p, sb->ntext, sb->twidth, sb->nesc, sb->esc };
    struct sc_text_out tx = { sb->twidth, sb->twidth == 2 ? sb->nesc : 0, sb->esc, sb->tstart, &run,
                              1 };
    struct sc_bitw post[2] = { cl.post, out };
    if (e == SC_OK)
        e = sc_seg_write_file(path, post, 2, dict, nid, cl.dict, cl.n,
                              (const uint8_t *)sb->docs.data, sb->docs.len, sb->docoff, sb->ndocs,
                              sb->total_norm, sb->total_para, &tx, !sb->nosync, diag);
done:
    sb->post = out.p; /* kept for the next build */
    sb->postcap = out.cap;
    sc_clists_release(&cl);
    sc_lenc_release(&l);
    return e;
}
