/*
 * 一键快速查找 (include/sucai/quickfind.h; docs/internals/quickfind.md).
 *
 * Per document the structure keeps one search text: the normalised title,
 * U+001F, the canonical 发文字号. Every distinct code point of it and every
 * pair of neighbouring code points (not across the U+001F) is a key; a
 * key's list holds the documents whose text has it, newest first, as
 * varint gaps. A word typed is looked up in the rarest of its keys (its
 * single code point when it is one), and the documents of that list are
 * checked newest first with memmem until enough match: on a million
 * titles the rarest key of a word of two or more characters is short, and
 * a common one fills the page at once. Dates are a sorted array; units a
 * table of the distinct normalised units with their counts.
 */
#include "search/codec.h"
#include "search/engine.h"

#include "search/index.h"
#include "sucai/docno.h"
#include "sucai/json.h"
#include "sucai/quickfind.h"
#include "sucai/text.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SEP             0x1F
#define UNI_LOW         0x1FFFFEu    /* key of a single code point: cp << 21 | UNI_LOW */
#define DOCNO_KEY       (1ULL << 63) /* keys of the 发文字号 part, apart from the title's */
#define MAX_WORDS       4
#define MAX_QUERY_BYTES 256
#define SCAN_BUDGET     300000 /* documents checked per word set, at most */
#define PREFIX_LOOK     4000   /* documents checked beyond a full page, for titles starting so */
#define UNITS_SHOWN     3

struct qf_list {
    uint64_t key;
    uint64_t off; /* into post */
    uint32_t n;
    uint32_t last; /* building: the last entry counted (dedupe within a text) */
};

struct qf_date {
    int32_t date;
    uint32_t ord;
};

struct qf_unit {
    uint64_t off; /* normalised name in unit_text */
    uint32_t len;
    uint32_t newest; /* entry of its newest document */
    int64_t count;
};

struct sc_quickfind {
    const struct sc_qf_entry *e;
    size_t n;
    char *text;     /* the search texts, one after another */
    uint64_t *toff; /* n + 1 offsets */
    uint32_t *tlen; /* bytes of the title part of each text */
    struct qf_list *lists;
    size_t nlists;
    uint32_t *slot; /* hash: list index + 1, 0 = empty */
    size_t nslot;   /* power of two */
    uint8_t *post;
    size_t npost;
    struct qf_date *dates;
    size_t ndates;
    struct qf_unit *units;
    size_t nunits;
    char *unit_text;
    uint32_t *dsort; /* entries with a 发文字号, by it (bytes), newest first among equals */
    size_t ndsort;
};

static uint64_t mix(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return k;
}

static struct qf_list *find_list(const struct sc_quickfind *qf, uint64_t key)
{
    size_t m = qf->nslot - 1;
    for (size_t h = mix(key) & m;; h = (h + 1) & m) {
        uint32_t s = qf->slot[h];
        if (!s)
            return NULL;
        if (qf->lists[s - 1].key == key)
            return &qf->lists[s - 1];
    }
}

static int grow_hash(struct sc_quickfind *qf)
{
    size_t ns = qf->nslot ? qf->nslot * 2 : 1u << 16;
    uint32_t *slot = sc_calloc(ns, sizeof *slot);
    if (!slot)
        return -1;
    for (size_t i = 0; i < qf->nlists; i++)
        for (size_t h = mix(qf->lists[i].key) & (ns - 1);; h = (h + 1) & (ns - 1))
            if (!slot[h]) {
                slot[h] = (uint32_t)i + 1;
                break;
            }
    free(qf->slot);
    qf->slot = slot;
    qf->nslot = ns;
    return 0;
}

/* Count key for entry ord (once per entry). */
static int count_key(struct sc_quickfind *qf, uint64_t key, uint32_t ord, size_t *cap)
{
    size_t m = qf->nslot - 1;
    size_t h = mix(key) & m;
    for (;; h = (h + 1) & m) {
        uint32_t s = qf->slot[h];
        if (!s)
            break;
        struct qf_list *l = &qf->lists[s - 1];
        if (l->key == key) {
            if (l->last != ord || !l->n) {
                l->n++;
                l->last = ord;
            }
            return 0;
        }
    }
    if (qf->nlists == *cap) {
        size_t nc = *cap ? *cap * 2 : 4096;
        struct qf_list *nl = sc_reallocarray(qf->lists, nc, sizeof *nl);
        if (!nl)
            return -1;
        qf->lists = nl;
        *cap = nc;
    }
    qf->lists[qf->nlists] = (struct qf_list){ key, 0, 1, ord };
    qf->slot[h] = (uint32_t)++qf->nlists;
    if (qf->nlists * 2 > qf->nslot)
        return grow_hash(qf);
    return 0;
}

/* The keys of one text, passed to fn. */
typedef int key_fn(void *ctx, uint64_t key);
static int each_key(const char *s, size_t len, key_fn *fn, void *ctx)
{
    uint32_t prev = 0;
    int have = 0;
    uint64_t part = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t k = sc_utf8_decode(s + i, len - i, &c);
        if (!k) {
            k = 1;
            c = 0xFFFD;
        }
        i += k;
        if (c == SEP || c == ' ') {
            if (c == SEP)
                part = DOCNO_KEY;
            have = 0;
            continue;
        }
        if (fn(ctx, part | ((uint64_t)c << 21) | UNI_LOW))
            return -1;
        if (have && fn(ctx, part | ((uint64_t)prev << 21) | c))
            return -1;
        prev = c;
        have = 1;
    }
    return 0;
}

struct count_ctx {
    struct sc_quickfind *qf;
    uint32_t ord;
    size_t *cap;
};

static int count_cb(void *ctx, uint64_t key)
{
    struct count_ctx *c = ctx;
    return count_key(c->qf, key, c->ord, c->cap);
}

struct fill_ctx {
    struct sc_quickfind *qf;
    uint32_t ord;
    uint32_t *tmp; /* postings, uint32, list after list */
    uint64_t *pos; /* per list: next free slot in tmp */
};

static int fill_cb(void *ctx, uint64_t key)
{
    struct fill_ctx *f = ctx;
    struct qf_list *l = find_list(f->qf, key);
    if (!l)
        return -1;
    size_t li = (size_t)(l - f->qf->lists);
    if (l->last == f->ord)
        return 0; /* already for this text */
    l->last = f->ord;
    f->tmp[f->pos[li]++] = f->ord;
    return 0;
}

static int cmp_date(const void *a, const void *b)
{
    const struct qf_date *x = a, *y = b;
    if (x->date != y->date)
        return x->date > y->date ? -1 : 1;
    return (x->ord < y->ord) - (x->ord > y->ord);
}

void sc_quickfind_free(struct sc_quickfind *qf)
{
    if (!qf)
        return;
    free(qf->text);
    free(qf->toff);
    free(qf->tlen);
    free(qf->lists);
    free(qf->slot);
    free(qf->post);
    free(qf->dates);
    free(qf->units);
    free(qf->unit_text);
    free(qf->dsort);
    free(qf);
}

size_t sc_quickfind_bytes(const struct sc_quickfind *qf)
{
    return qf->toff[qf->n] + (qf->n + 1) * sizeof *qf->toff + qf->n * sizeof *qf->tlen +
           qf->nlists * sizeof *qf->lists + qf->nslot * sizeof *qf->slot + qf->npost +
           qf->ndates * sizeof *qf->dates + qf->nunits * sizeof *qf->units +
           qf->ndsort * sizeof *qf->dsort;
}

static int cmp_docno(const void *a, const void *b, void *ctx)
{
    const struct sc_quickfind *qf = ctx;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    const struct sc_str *p = &qf->e[x].docno, *q = &qf->e[y].docno;
    size_t n = p->len < q->len ? p->len : q->len;
    int c = memcmp(p->p, q->p, n);
    if (c)
        return c;
    if (p->len != q->len)
        return p->len < q->len ? -1 : 1;
    return (x < y) - (x > y);
}

static int build_units(struct sc_quickfind *qf)
{
    /* distinct normalised units, in a small hash table of their names */
    struct uref {
        char *norm;
        size_t len;
        uint32_t ord;
    } *u = sc_calloc(qf->n ? qf->n : 1, sizeof *u);
    if (!u)
        return -1;
    size_t nu = 0;
    int rc = 0;
    for (size_t i = 0; i < qf->n && !rc; i++) {
        const struct sc_str *s = &qf->e[i].unit;
        if (!s->len)
            continue;
        struct sc_buf b = SC_BUF_INIT;
        if (sc_normalize(s->p, s->len, &b, NULL) != SC_OK || sc_buf_err(&b) != SC_OK) {
            sc_buf_release(&b);
            rc = -1;
            break;
        }
        u[nu].norm = sc_buf_take(&b, &u[nu].len);
        u[nu].ord = (uint32_t)i;
        if (!u[nu].norm)
            rc = -1;
        else
            nu++;
    }
    struct sc_buf all = SC_BUF_INIT;
    size_t cap = 0;
    /* a small open-addressing table from name to unit index */
    size_t ns = 64;
    while (ns < nu * 2 + 2)
        ns *= 2;
    uint32_t *slot = sc_calloc(ns, sizeof *slot);
    if (!slot)
        rc = -1;
    for (size_t i = 0; i < nu && !rc; i++) {
        uint64_t h = 1469598103934665603ULL;
        for (size_t k = 0; k < u[i].len; k++)
            h = (h ^ (unsigned char)u[i].norm[k]) * 1099511628211ULL;
        size_t at = h & (ns - 1);
        for (;; at = (at + 1) & (ns - 1)) {
            uint32_t s = slot[at];
            if (!s)
                break;
            struct qf_unit *x = &qf->units[s - 1];
            if (x->len == u[i].len && !memcmp(all.data + x->off, u[i].norm, u[i].len))
                break;
        }
        if (slot[at]) {
            struct qf_unit *x = &qf->units[slot[at] - 1];
            x->count++;
            x->newest = u[i].ord;
            continue;
        }
        if (qf->nunits == cap) {
            size_t nc = cap ? cap * 2 : 256;
            struct qf_unit *nn = sc_reallocarray(qf->units, nc, sizeof *nn);
            if (!nn) {
                rc = -1;
                break;
            }
            qf->units = nn;
            cap = nc;
        }
        qf->units[qf->nunits] = (struct qf_unit){ all.len, (uint32_t)u[i].len, u[i].ord, 1 };
        sc_buf_add(&all, u[i].norm, u[i].len);
        slot[at] = (uint32_t)++qf->nunits;
    }
    free(slot);
    for (size_t i = 0; i < nu; i++)
        free(u[i].norm);
    free(u);
    if (sc_buf_err(&all) != SC_OK)
        rc = -1;
    qf->unit_text = sc_buf_take(&all, NULL);
    if (!qf->unit_text)
        qf->unit_text = sc_calloc(1, 1);
    return rc || !qf->unit_text ? -1 : 0;
}

enum sc_err sc_quickfind_new(const struct sc_qf_entry *e, size_t n, struct sc_quickfind **out,
                             struct sc_diag *diag)
{
    *out = NULL;
    if (n > 0x7FFFFFFF)
        return sc_diag_set(diag, SC_ELIMIT, "too many documents for the quick-find index (%zu)", n);
    struct sc_quickfind *qf = sc_calloc(1, sizeof *qf);
    if (!qf)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    qf->e = e;
    qf->n = n;
    struct sc_buf text = SC_BUF_INIT;
    qf->toff = sc_malloc((n + 1) * sizeof *qf->toff);
    qf->tlen = sc_malloc((n ? n : 1) * sizeof *qf->tlen);
    int bad = !qf->toff || !qf->tlen || grow_hash(qf) != 0;
    /* the search texts */
    for (size_t i = 0; i < n && !bad; i++) {
        qf->toff[i] = text.len;
        if (sc_normalize(e[i].title.p, e[i].title.len, &text, NULL) != SC_OK)
            bad = 1;
        qf->tlen[i] = (uint32_t)(text.len - qf->toff[i]);
        sc_buf_addc(&text, SEP);
        sc_buf_add(&text, e[i].docno.p, e[i].docno.len);
    }
    if (!bad) {
        qf->toff[n] = text.len;
        bad = sc_buf_err(&text) != SC_OK;
    }
    qf->text = sc_buf_take(&text, NULL);
    bad |= !qf->text;
    /* pass 1: the keys and their document counts */
    size_t cap = 0;
    for (size_t i = 0; i < n && !bad; i++) {
        struct count_ctx c = { qf, (uint32_t)i, &cap };
        bad = each_key(qf->text + qf->toff[i], qf->toff[i + 1] - qf->toff[i], count_cb, &c) != 0;
    }
    /* pass 2: the postings, newest first (entries taken from the last) */
    uint64_t total = 0;
    for (size_t l = 0; l < qf->nlists && !bad; l++)
        total += qf->lists[l].n;
    uint32_t *tmp = bad ? NULL : sc_malloc((total ? total : 1) * sizeof *tmp);
    uint64_t *pos = bad ? NULL : sc_malloc((qf->nlists ? qf->nlists : 1) * sizeof *pos);
    bad |= !tmp || !pos;
    uint64_t at = 0;
    for (size_t l = 0; l < qf->nlists && !bad; l++) {
        pos[l] = at;
        at += qf->lists[l].n;
        qf->lists[l].last = UINT32_MAX;
    }
    for (size_t i = n; i-- > 0 && !bad;) {
        struct fill_ctx f = { qf, (uint32_t)i, tmp, pos };
        bad = each_key(qf->text + qf->toff[i], qf->toff[i + 1] - qf->toff[i], fill_cb, &f) != 0;
    }
    /* varint gaps, descending */
    struct sc_buf post = SC_BUF_INIT;
    at = 0;
    for (size_t l = 0; l < qf->nlists && !bad; l++) {
        struct qf_list *li = &qf->lists[l];
        li->off = post.len;
        uint32_t prev = 0;
        for (uint32_t k = 0; k < li->n; k++) {
            uint32_t v = tmp[at + k];
            sc_varint_put(&post, k ? (uint64_t)(prev - v) : (uint64_t)v);
            prev = v;
        }
        at += li->n;
    }
    free(tmp);
    free(pos);
    bad |= sc_buf_err(&post) != SC_OK;
    qf->post = (uint8_t *)sc_buf_take(&post, &qf->npost);
    bad |= !qf->post;
    /* dates */
    qf->dates = sc_malloc((n ? n : 1) * sizeof *qf->dates);
    bad |= !qf->dates;
    for (size_t i = 0; i < n && !bad; i++)
        if (sc_date_valid(e[i].date))
            qf->dates[qf->ndates++] = (struct qf_date){ e[i].date, (uint32_t)i };
    if (!bad)
        qsort(qf->dates, qf->ndates, sizeof *qf->dates, cmp_date);
    if (!bad)
        bad = build_units(qf) != 0;
    qf->dsort = bad ? NULL : sc_malloc((n ? n : 1) * sizeof *qf->dsort);
    bad |= !qf->dsort;
    for (size_t i = 0; i < n && !bad; i++)
        if (e[i].docno.len)
            qf->dsort[qf->ndsort++] = (uint32_t)i;
    if (!bad)
        qsort_r(qf->dsort, qf->ndsort, sizeof *qf->dsort, cmp_docno, qf);
    if (bad) {
        sc_quickfind_free(qf);
        return sc_diag_set(diag, SC_ENOMEM, "out of memory building the quick-find index");
    }
    *out = qf;
    return SC_OK;
}

/* ---------------------------------------------------------------- queries */

struct word {
    const char *p;
    size_t len, ncp;
};

/* The rarest list of the words' keys; NULL when a key is missing (no
 * document can match). */
static const struct qf_list *rarest(const struct sc_quickfind *qf, const struct word *w, size_t nw,
                                    uint64_t part)
{
    const struct qf_list *best = NULL;
    for (size_t i = 0; i < nw; i++) {
        uint32_t prev = 0;
        int have = 0;
        for (size_t k = 0; k < w[i].len;) {
            uint32_t c;
            size_t m = sc_utf8_decode(w[i].p + k, w[i].len - k, &c);
            if (!m) {
                m = 1;
                c = 0xFFFD;
            }
            k += m;
            uint64_t key =
                part | (have ? ((uint64_t)prev << 21) | c : ((uint64_t)c << 21) | UNI_LOW);
            /* a word of one character uses its single key; longer ones their pairs */
            if (have || w[i].ncp == 1) {
                const struct qf_list *l = find_list(qf, key);
                if (!l)
                    return NULL;
                if (!best || l->n < best->n)
                    best = l;
            }
            prev = c;
            have = 1;
        }
    }
    return best;
}

struct found {
    struct sc_qf_hit *h;
    size_t n, cap;
};

static int already(const struct found *f, size_t entry)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->h[i].entry == entry && f->h[i].kind != SC_QF_UNIT)
            return 1; /* a unit's entry only names one of its documents */
    return 0;
}

/* Documents whose title (docno_part = 0) or 发文字号 (1) holds every word;
 * exact = 1: the 发文字号 is the word. Newest first, and titles that start
 * with the first word before the others (looked for PREFIX_LOOK documents
 * past a full page). Appended to out, at most want, none twice. */
static void scan(const struct sc_quickfind *qf, const struct word *w, size_t nw, int docno_part,
                 int exact, size_t want, struct found *out)
{
    if (!nw || !want)
        return;
    const struct qf_list *l = rarest(qf, w, nw, docno_part ? DOCNO_KEY : 0);
    if (!l)
        return;
    struct sc_qf_hit pre[SC_QF_LIMIT_MAX], rest[SC_QF_LIMIT_MAX];
    size_t npre = 0, nrest = 0, looked = 0, full_at = 0;
    if (want > SC_QF_LIMIT_MAX)
        want = SC_QF_LIMIT_MAX;
    const uint8_t *p = qf->post + l->off, *end = qf->post + qf->npost;
    uint32_t ord = 0;
    for (uint32_t k = 0; k < l->n && looked < SCAN_BUDGET; k++) {
        uint64_t v;
        size_t m = sc_varint_get(p, end, &v);
        if (!m)
            break;
        p += m;
        ord = k ? ord - (uint32_t)v : (uint32_t)v;
        looked++;
        if (npre >= want ||
            (npre + nrest >= want && (docno_part || looked > full_at + PREFIX_LOOK)))
            break;
        const char *t = qf->text + qf->toff[ord];
        size_t tl = qf->tlen[ord];
        const char *s = docno_part ? t + tl + 1 : t;
        size_t sl = docno_part ? qf->toff[ord + 1] - qf->toff[ord] - tl - 1 : tl;
        /* the cheap test first: once the page is full only titles that
         * start with the first word may still come in */
        int prefix = !docno_part && sl >= w[0].len && memcmp(s, w[0].p, w[0].len) == 0;
        if (!prefix && npre + nrest >= want)
            continue;
        const char *first = prefix ? s : NULL;
        int ok = 1;
        for (size_t i = prefix ? 1 : 0; i < nw && ok; i++) {
            const char *at = w[i].len <= sl ? memmem(s, sl, w[i].p, w[i].len) : NULL;
            ok = at != NULL && (!exact || sl == w[i].len);
            if (i == 0)
                first = at;
        }
        if (!ok || already(out, ord))
            continue;
        size_t fcp = first == s ? 0 : sc_utf8_count(s, (size_t)(first - s));
        struct sc_qf_hit h = { docno_part ? SC_QF_DOCNO : SC_QF_TITLE, ord, 0, (int64_t)fcp,
                               (int64_t)(fcp + w[0].ncp) };
        if (prefix) {
            pre[npre++] = h;
        } else if (nrest < want) {
            rest[nrest++] = h;
        } else {
            continue;
        }
        if (npre + nrest >= want && !full_at)
            full_at = looked;
    }
    for (size_t i = 0; i < npre && out->n < out->cap; i++)
        out->h[out->n++] = pre[i];
    for (size_t i = 0; i < nrest && npre + i < want && out->n < out->cap; i++)
        out->h[out->n++] = rest[i];
}

static int is_space_cp(const char *s, size_t len, size_t *k)
{
    uint32_t c;
    *k = sc_utf8_decode(s, len, &c);
    if (!*k)
        *k = 1;
    return c == ' ' || c == '\t' || c == 0x3000;
}

/* The words of s (at spaces, ASCII or U+3000), each normalised into buf;
 * the words point into buf (which must not grow afterwards). */
static size_t split_words(const char *s, size_t len, struct sc_buf *buf, struct word *w)
{
    size_t nw = 0, i = 0, offs[MAX_WORDS], lens[MAX_WORDS];
    while (i < len && nw < MAX_WORDS) {
        size_t k;
        while (i < len && is_space_cp(s + i, len - i, &k))
            i += k;
        size_t b = i;
        while (i < len && !is_space_cp(s + i, len - i, &k))
            i += k;
        if (i == b)
            continue;
        size_t at = buf->len;
        if (sc_normalize(s + b, i - b, buf, NULL) != SC_OK)
            break;
        if (buf->len > at) {
            offs[nw] = at;
            lens[nw] = buf->len - at;
            nw++;
        }
    }
    if (sc_buf_err(buf) != SC_OK)
        return 0;
    for (size_t j = 0; j < nw; j++) {
        w[j].p = buf->data + offs[j];
        w[j].len = lens[j];
        w[j].ncp = sc_utf8_count(w[j].p, w[j].len);
    }
    return nw;
}

enum sc_err sc_quickfind_query(const struct sc_quickfind *qf, const char *q, size_t len,
                               size_t limit, struct sc_qf_hit *hits, size_t *n,
                               struct sc_diag *diag)
{
    *n = 0;
    if (!q)
        len = 0;
    if (limit > SC_QF_LIMIT_MAX)
        limit = SC_QF_LIMIT_MAX;
    if (len > MAX_QUERY_BYTES) {
        len = MAX_QUERY_BYTES;
        while (len > 0 && ((unsigned char)q[len] & 0xC0) == 0x80)
            len--;
    }
    if (!len || !limit || !qf->n)
        return SC_OK;
    struct sc_buf nq = SC_BUF_INIT;
    if (sc_normalize(q, len, &nq, NULL) != SC_OK || sc_buf_err(&nq) != SC_OK) {
        sc_buf_release(&nq);
        return sc_diag_set(diag, SC_EPARSE, "the text typed is not valid UTF-8");
    }
    struct found f = { hits, 0, limit };
    /* a 发文字号: whole, or its start (国发〔2019〕) in the sorted numbers;
     * another part of one (〔2019〕4号) in the numbers' own keys */
    char canon[SC_DOCNO_MAX];
    enum sc_docno_kind dk = sc_docno_canon(q, len, canon);
    size_t cl = strlen(canon);
    int digits = strpbrk(canon, "0123456789") != NULL;
    int anchored = cl && strncmp(canon, "〔", 3) != 0 && strncmp(canon, "第", 3) != 0;
    if ((dk == SC_DOCNO_FULL || (dk == SC_DOCNO_PARTIAL && digits)) && anchored) {
        size_t lo = 0, hi = qf->ndsort;
        while (lo < hi) { /* the first number >= canon */
            size_t m = lo + (hi - lo) / 2;
            const struct sc_str *x = &qf->e[qf->dsort[m]].docno;
            size_t k = x->len < cl ? x->len : cl;
            int c = memcmp(x->p, canon, k);
            if (c < 0 || (c == 0 && x->len < cl))
                lo = m + 1;
            else
                hi = m;
        }
        /* the newest `limit` of those that start so (or equal, when whole) */
        size_t top = 0;
        for (size_t i = lo; i < qf->ndsort && i < lo + 100000; i++) {
            const struct sc_str *x = &qf->e[qf->dsort[i]].docno;
            if (x->len < cl || memcmp(x->p, canon, cl) != 0)
                break;
            if (dk == SC_DOCNO_FULL && x->len != cl)
                break;
            struct sc_qf_hit h = { SC_QF_DOCNO, qf->dsort[i], 0, 0,
                                   (int64_t)sc_utf8_count(canon, cl) };
            size_t at = top;
            while (at > 0 && f.h[at - 1].entry < h.entry)
                at--;
            if (at >= limit)
                continue;
            if (top < limit)
                top++;
            memmove(&f.h[at + 1], &f.h[at], (top - 1 - at) * sizeof *f.h);
            f.h[at] = h;
        }
        f.n = top;
    } else if (dk != SC_DOCNO_NONE && digits) {
        struct word w = { canon, cl, sc_utf8_count(canon, cl) };
        scan(qf, &w, 1, 1, 0, limit, &f);
    }
    if (dk == SC_DOCNO_FULL && f.n) {
        /* a whole number typed: that is what is wanted */
        sc_buf_release(&nq);
        *n = f.n;
        return SC_OK;
    }
    /* units holding what was typed (spaces and all) */
    size_t ncp = sc_utf8_count(nq.data, nq.len);
    if (ncp >= 2 && f.n < limit && !memchr(nq.data, ' ', nq.len)) {
        size_t best[UNITS_SHOWN], nb = 0;
        for (size_t u = 0; u < qf->nunits; u++) {
            const struct qf_unit *x = &qf->units[u];
            if (x->len < nq.len || !memmem(qf->unit_text + x->off, x->len, nq.data, nq.len))
                continue;
            /* keep the UNITS_SHOWN with the most documents */
            size_t at = nb;
            while (at > 0 && qf->units[best[at - 1]].count < x->count)
                at--;
            if (at >= UNITS_SHOWN)
                continue;
            if (nb < UNITS_SHOWN)
                nb++;
            memmove(&best[at + 1], &best[at], (nb - 1 - at) * sizeof *best);
            best[at] = u;
        }
        for (size_t i = 0; i < nb && f.n < limit; i++) {
            const struct qf_unit *x = &qf->units[best[i]];
            hits[f.n++] = (struct sc_qf_hit){ SC_QF_UNIT, x->newest, x->count, -1, -1 };
        }
    }
    /* a date narrower than a year: the documents of that day or month */
    int32_t d0, d1;
    if (f.n < limit && sc_date_range_parse(q, len, &d0, &d1, NULL) == SC_OK &&
        !(d0 % 10000 == 101 && d1 % 10000 == 1231)) {
        size_t lo = 0, hi = qf->ndates;
        while (lo < hi) { /* the first with date <= d1 (dates descend) */
            size_t m = lo + (hi - lo) / 2;
            if (qf->dates[m].date > d1)
                lo = m + 1;
            else
                hi = m;
        }
        for (size_t i = lo; i < qf->ndates && qf->dates[i].date >= d0 && f.n < limit; i++)
            if (!already(&f, qf->dates[i].ord))
                hits[f.n++] = (struct sc_qf_hit){ SC_QF_DATE, qf->dates[i].ord, 0, -1, -1 };
    }
    /* titles holding every word (split where it was typed: normalising
     * drops the spaces between ideographs) */
    struct sc_buf ws = SC_BUF_INIT;
    if (f.n < limit) {
        struct word w[MAX_WORDS];
        size_t nw = split_words(q, len, &ws, w);
        scan(qf, w, nw, 0, 0, limit - f.n, &f);
    }
    sc_buf_release(&ws);
    sc_buf_release(&nq);
    *n = f.n;
    return SC_OK;
}

/* ---------------------------------------------------------------- over a library */

/* The structure of a snapshot, built on first use (one at a time). */
static pthread_mutex_t build_lock = PTHREAD_MUTEX_INITIALIZER;

static enum sc_err snap_quickfind(struct sc_snap *s, struct sc_quickfind **out,
                                  struct sc_diag *diag)
{
    pthread_mutex_lock(&build_lock);
    enum sc_err e = SC_OK;
    if (!s->qf) {
        struct sc_qf_entry *ent = sc_calloc(s->ndocs ? s->ndocs : 1, sizeof *ent);
        if (!ent) {
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
        } else {
            size_t k = 0;
            for (size_t si = 0; si < s->nseg; si++)
                for (uint32_t d = 0; d < s->segs[si]->ndocs; d++) {
                    const struct sc_sdoc *x = &s->segs[si]->docs[d];
                    ent[k++] = (struct sc_qf_entry){ x->id,
                                                     { x->title.p, x->title.len },
                                                     { x->docno.p, x->docno.len },
                                                     { x->unit.p, x->unit.len },
                                                     { x->genre.p, x->genre.len },
                                                     x->year,
                                                     x->date };
                }
            e = sc_quickfind_new(ent, k, &s->qf, diag);
            if (e == SC_OK)
                s->qf_entries = ent;
            else
                free(ent);
        }
    }
    *out = s->qf;
    pthread_mutex_unlock(&build_lock);
    return e;
}

void sc_snap_quickfind_free(struct sc_snap *s)
{
    sc_quickfind_free(s->qf);
    free(s->qf_entries);
    s->qf = NULL;
    s->qf_entries = NULL;
}

static void jw_str(struct sc_jw *w, const char *key, struct sc_str s)
{
    if (s.len)
        sc_jw_kstr(w, key, s.p, s.len);
    else
        sc_jw_knull(w, key);
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

enum sc_err sc_suggest_json(struct sc_library *lib, const char *q, size_t limit, struct sc_buf *out,
                            struct sc_diag *diag)
{
    double t0 = now_ms();
    if (!q)
        q = "";
    size_t len = strlen(q);
    if (!sc_utf8_valid(q, len, NULL))
        return sc_diag_set(diag, SC_EPARSE, "the text typed is not valid UTF-8");
    struct sc_snap *s = sc_index_snap(lib, diag);
    if (!s)
        return diag && diag->err ? diag->err : SC_ESTORE;
    struct sc_quickfind *qf = NULL;
    enum sc_err e = snap_quickfind(s, &qf, diag);
    struct sc_qf_hit hits[SC_QF_LIMIT_MAX];
    size_t n = 0;
    if (limit > SC_QF_LIMIT_MAX)
        limit = SC_QF_LIMIT_MAX;
    if (e == SC_OK)
        e = sc_quickfind_query(qf, q, len, limit, hits, &n, diag);
    if (e == SC_OK) {
        struct sc_jw w;
        sc_jw_init(&w, out);
        sc_jw_obj(&w, SC_JW_INLINE);
        sc_jw_kstr(&w, "q", q, len);
        sc_jw_key(&w, "suggestions");
        sc_jw_arr(&w, SC_JW_INLINE);
        static const char *const kinds[] = { "docno", "date", "title", "unit" };
        for (size_t i = 0; i < n; i++) {
            const struct sc_qf_entry *x = &s->qf_entries[hits[i].entry];
            sc_jw_obj(&w, SC_JW_INLINE);
            sc_jw_kstrz(&w, "kind", kinds[hits[i].kind]);
            if (hits[i].kind == SC_QF_UNIT) {
                jw_str(&w, "unit", x->unit);
                sc_jw_kint(&w, "count", hits[i].count);
                struct sc_buf qq = SC_BUF_INIT;
                sc_buf_adds(&qq, "unit:\"");
                sc_buf_add(&qq, x->unit.p, x->unit.len);
                sc_buf_addc(&qq, '"');
                sc_jw_kstr(&w, "query", qq.data, qq.len);
                sc_buf_release(&qq);
                sc_jw_obj_end(&w);
                continue;
            }
            sc_jw_kint(&w, "id", x->id);
            jw_str(&w, "title", x->title);
            jw_str(&w, "docno", x->docno);
            char date[11];
            sc_date_format(x->date, date);
            sc_jw_kstrz(&w, "date", date[0] ? date : NULL);
            jw_str(&w, "unit", x->unit);
            jw_str(&w, "genre", x->genre);
            if (x->year > 0)
                sc_jw_kint(&w, "year", x->year);
            else
                sc_jw_knull(&w, "year");
            /* where it matched, in the shown title or number (the
             * normalised title counts alike unless spaces were dropped) */
            struct sc_str shown = hits[i].kind == SC_QF_DOCNO ? x->docno : x->title;
            size_t tcp = sc_utf8_count(shown.p, shown.len);
            const char *nt = qf->text + qf->toff[hits[i].entry];
            size_t ncp =
                hits[i].kind == SC_QF_DOCNO ? tcp : sc_utf8_count(nt, qf->tlen[hits[i].entry]);
            if (hits[i].from_cp >= 0 && ncp == tcp && hits[i].kind != SC_QF_DATE) {
                sc_jw_key(&w, "match");
                sc_jw_arr(&w, SC_JW_INLINE);
                sc_jw_int(&w, hits[i].from_cp);
                sc_jw_int(&w, hits[i].to_cp);
                sc_jw_arr_end(&w);
            } else {
                sc_jw_knull(&w, "match");
            }
            if (hits[i].kind == SC_QF_DOCNO) {
                struct sc_buf qq = SC_BUF_INIT;
                sc_buf_adds(&qq, "docno:\"");
                sc_buf_add(&qq, x->docno.p, x->docno.len);
                sc_buf_addc(&qq, '"');
                sc_jw_kstr(&w, "query", qq.data, qq.len);
                sc_buf_release(&qq);
            }
            sc_jw_obj_end(&w);
        }
        sc_jw_arr_end(&w);
        sc_jw_knum(&w, "took_ms", now_ms() - t0, 3);
        sc_jw_obj_end(&w);
        if (sc_jw_finish(&w) != SC_OK)
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
    }
    sc_index_snap_put(lib, s);
    return e;
}
