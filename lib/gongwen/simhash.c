/*
 * Near-duplicate detection: character shingles (SC_SHINGLE_N code points,
 * whitespace skipped) hashed to 64 bits; a SimHash of them as the cheap
 * fingerprint, and the exact Jaccard similarity of the two shingle sets
 * (sorted hash arrays merged) as the confirmation.
 */
#include "gongwen_int.h"

#include <stdlib.h>
#include <string.h>

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static int skip_cp(uint32_t cp)
{
    /* above U+3000 only U+FEFF is a space (gw_is_space): ideographs, the
     * bulk of the text, need no call */
    if (cp > 0x3000)
        return cp == 0xFEFF;
    return cp == '\n' || gw_is_space(cp);
}

/*
 * Walk the shingles of s: fn(ctx, hash) for each window of SC_SHINGLE_N
 * significant code points. A text with fewer gives one shingle of all it
 * has (so two short texts compare whole); an empty text gives none.
 */
typedef int shingle_fn(void *ctx, uint64_t h);

/* Always inlined, so that each caller's fn is a direct (inlinable) call:
 * this loop runs once per code point of every imported article. */
static inline __attribute__((always_inline)) int each_shingle(const char *s, size_t len,
                                                              shingle_fn *fn, void *ctx)
{
    /* the last SC_SHINGLE_N significant code points, oldest first */
    uint32_t w[SC_SHINGLE_N] = { 0 };
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += gw_decode(s + i, len - i, &cp);
        if (skip_cp(cp))
            continue;
        for (size_t k = 0; k + 1 < SC_SHINGLE_N; k++)
            w[k] = w[k + 1];
        w[SC_SHINGLE_N - 1] = cp;
        n++;
        if (n >= SC_SHINGLE_N) {
            uint64_t h = 0xCBF29CE484222325ULL;
            for (size_t k = 0; k < SC_SHINGLE_N; k++)
                h = (h ^ w[k]) * 0x100000001B3ULL;
            if (fn(ctx, mix64(h)))
                return 1;
        }
    }
    if (n > 0 && n < SC_SHINGLE_N) {
        uint64_t h = 0x84222325CBF29CE4ULL; /* a different seed: never equals a full shingle */
        for (size_t k = SC_SHINGLE_N - n; k < SC_SHINGLE_N; k++)
            h = (h ^ w[k]) * 0x100000001B3ULL;
        return fn(ctx, mix64(h));
    }
    return 0;
}

struct hash_vec {
    uint64_t *v;
    size_t n, cap;
    int failed;
};

/*
 * SimHash counters, eight bits at a time: the byte-spread of each 8-bit
 * slice is added to a packed uint64 of eight byte counters, flushed to
 * the real counters before a byte can overflow.
 */
struct simhash_acc {
    uint64_t packed[8];
    uint32_t count[64];
    uint32_t pending;
    uint64_t total;
};

/* Byte j of the result is bit (7 - j) of x. */
static uint64_t spread8(uint64_t x)
{
    return ((x * 0x8040201008040201ULL) >> 7) & 0x0101010101010101ULL;
}

static void acc_flush(struct simhash_acc *a)
{
    for (int k = 0; k < 8; k++) {
        for (int j = 0; j < 8; j++)
            a->count[k * 8 + (7 - j)] += (uint32_t)((a->packed[k] >> (8 * j)) & 0xFF);
        a->packed[k] = 0;
    }
    a->pending = 0;
}

static int acc_add(void *ctx, uint64_t h)
{
    struct simhash_acc *a = ctx;
    for (int k = 0; k < 8; k++)
        a->packed[k] += spread8((h >> (8 * k)) & 0xFF);
    a->total++;
    if (++a->pending == 255)
        acc_flush(a);
    return 0;
}

/* Append a shingle hash to a struct hash_vec (grown as needed). */
static int vec_add(void *ctx, uint64_t h);

/*
 * SimHash of the shingle SET: each distinct shingle votes once, as in the
 * Jaccard similarity it stands in for. (Counting repeats lets the stock
 * phrases of a genre, 第X条 and the like, dominate: on the corpus the
 * multiset version needed 12 times as many candidates for the same recall;
 * docs/gongwen.md has the figures.) If the set cannot be allocated, the
 * fingerprint falls back to the streamed multiset: a near duplicate may
 * then be missed, never invented, since sc_similarity confirms.
 *
 * The hashes are gathered first and then put in an open-addressing set
 * (at most half full), looking a few hashes ahead to fetch their slots:
 * the probes are cache misses for any long text, and they were a third
 * of the time.
 */
#define VOTE_PREFETCH 8

uint64_t sc_simhash(const char *norm, size_t len)
{
    struct simhash_acc a;
    memset(&a, 0, sizeof a);
    if (!norm)
        return 0;
    struct hash_vec hv = { NULL, 0, 0, 0 };
    size_t cps = gw_count(norm, len), cap = 64;
    while (cap < 2 * cps && cap < SIZE_MAX / 16)
        cap *= 2;
    uint64_t *slot = sc_calloc(cap, sizeof *slot);
    hv.v = slot ? sc_malloc((cps + 1) * sizeof *hv.v) : NULL;
    hv.cap = cps + 1; /* at most one shingle per code point, or one in all */
    if (!hv.v) {
        each_shingle(norm, len, acc_add, &a);
    } else {
        each_shingle(norm, len, vec_add, &hv); /* cannot fail: room for all */
        size_t mask = cap - 1;
        int zero_seen = 0; /* 0 marks an empty slot; the hash 0 is tracked apart */
        for (size_t k = 0; k < hv.n; k++) {
            if (k + VOTE_PREFETCH < hv.n)
                __builtin_prefetch(&slot[(size_t)(hv.v[k + VOTE_PREFETCH] >> 7) & mask], 1);
            uint64_t h = hv.v[k];
            if (h == 0) {
                if (!zero_seen)
                    acc_add(&a, h);
                zero_seen = 1;
                continue;
            }
            size_t i = (size_t)(h >> 7) & mask;
            while (slot[i] && slot[i] != h)
                i = (i + 1) & mask;
            if (!slot[i]) {
                slot[i] = h;
                acc_add(&a, h);
            }
        }
    }
    free(hv.v);
    free(slot);
    acc_flush(&a);
    uint64_t out = 0;
    for (int b = 0; b < 64; b++)
        if (2 * (uint64_t)a.count[b] > a.total)
            out |= 1ULL << b;
    return out;
}

int sc_simhash_distance(uint64_t a, uint64_t b)
{
    /* SWAR count: without -mpopcnt the builtin is a call into libgcc, and
     * an import compares every new fingerprint with every stored one */
    uint64_t x = a ^ b;
    x -= (x >> 1) & 0x5555555555555555ULL;
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return (int)((x * 0x0101010101010101ULL) >> 56);
}

/* ---- exact similarity ---- */

static int vec_add(void *ctx, uint64_t h)
{
    struct hash_vec *hv = ctx;
    if (hv->n == hv->cap) {
        size_t nc = hv->cap ? hv->cap * 2 : 1024;
        uint64_t *p = sc_reallocarray(hv->v, nc, sizeof *p);
        if (!p) {
            hv->failed = 1;
            return 1;
        }
        hv->v = p;
        hv->cap = nc;
    }
    hv->v[hv->n++] = h;
    return 0;
}

/* LSD radix sort, 8 bits per pass; passes where every key has the same
 * byte are skipped. */
static int radix_sort(uint64_t *v, size_t n)
{
    if (n < 2)
        return 1;
    uint64_t *tmp = sc_malloc(n * sizeof *tmp);
    if (!tmp)
        return 0;
    uint64_t *src = v, *dst = tmp;
    for (int shift = 0; shift < 64; shift += 8) {
        size_t cnt[256] = { 0 };
        for (size_t i = 0; i < n; i++)
            cnt[(src[i] >> shift) & 0xFF]++;
        if (cnt[(src[0] >> shift) & 0xFF] == n)
            continue;
        size_t pos = 0;
        for (int b = 0; b < 256; b++) {
            size_t c = cnt[b];
            cnt[b] = pos;
            pos += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[cnt[(src[i] >> shift) & 0xFF]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != v)
        memcpy(v, src, n * sizeof *v);
    free(tmp);
    return 1;
}

static size_t unique(uint64_t *v, size_t n)
{
    if (n == 0)
        return 0;
    size_t k = 1;
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[k - 1])
            v[k++] = v[i];
    return k;
}

static int shingle_set(const char *s, size_t len, struct hash_vec *hv)
{
    memset(hv, 0, sizeof *hv);
    if (s)
        each_shingle(s, len, vec_add, hv);
    if (hv->failed || !radix_sort(hv->v, hv->n))
        return 0;
    hv->n = unique(hv->v, hv->n);
    return 1;
}

double sc_similarity(const char *a, size_t alen, const char *b, size_t blen)
{
    struct hash_vec x, y;
    double r = -1.0;
    if (!shingle_set(a, alen, &x)) {
        free(x.v);
        return -1.0;
    }
    if (!shingle_set(b, blen, &y))
        goto out;
    if (x.n == 0 && y.n == 0) {
        r = 1.0; /* two texts with nothing but whitespace */
        goto out;
    }
    size_t i = 0, j = 0, inter = 0;
    while (i < x.n && j < y.n) {
        if (x.v[i] < y.v[j]) {
            i++;
        } else if (x.v[i] > y.v[j]) {
            j++;
        } else {
            inter++;
            i++;
            j++;
        }
    }
    r = (double)inter / (double)(x.n + y.n - inter);
out:
    free(x.v);
    free(y.v);
    return r;
}
