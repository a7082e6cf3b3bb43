/*
 * Bit-level codecs of the search index (docs/internals/index.md): Rice codes
 * for gaps, Elias-gamma codes for counts, and byte varints for headers.
 * Bits are written most significant first, so a reader finds a unary prefix
 * with one count-leading-zeros. Readers may look up to 8 bytes past the
 * last byte they decode: every encoded area ends with SC_CODEC_PAD zero bytes.
 */
#ifndef SC_SEARCH_CODEC_H
#define SC_SEARCH_CODEC_H

#include "sucai/base.h"

#include <stdint.h>
#include <string.h>

#define SC_CODEC_PAD 8

/* ---- writing: an MSB-first bit writer into a growable byte area ---- */

struct sc_bitw {
    uint8_t *p; /* the bytes written (owned: sc_bitw_release) */
    size_t len, cap;
    uint64_t acc; /* n pending bits, right-aligned */
    unsigned n;
    int err; /* an allocation failed: the output is incomplete */
};

/* Room for need more bytes; -1 (and err set) when out of memory. The
 * inline writers below do not check: reserve a bound first (the segment
 * builder reserves a list's Rice bound, sc_rice_bits_max, once). */
int sc_bitw_room(struct sc_bitw *w, size_t need);

/* Append the low b bits of v (b <= 32). Bits above the n pending ones may
 * be left in acc: every read of it takes only pending bits. */
static inline void sc_bitw_put(struct sc_bitw *w, uint64_t v, unsigned b)
{
    w->acc = (w->acc << b) | (v & ((1ull << b) - 1));
    w->n += b;
    if (w->n >= 32) {
        w->n -= 32;
        uint32_t be = __builtin_bswap32((uint32_t)(w->acc >> w->n));
        memcpy(w->p + w->len, &be, 4);
        w->len += 4;
    }
}

/* Bits written so far. */
static inline uint64_t sc_bitw_bits(const struct sc_bitw *w)
{
    return (uint64_t)w->len * 8 + w->n;
}

/* Rice code: v >> k in unary (zeros, then a one), then the low k bits. */
static inline void sc_bitw_rice(struct sc_bitw *w, uint64_t v, unsigned k)
{
    uint64_t q = v >> k;
    if (q + 1 + k <= 32) { /* the usual case: one write */
        sc_bitw_put(w, (1ull << k) | (v & ((1ull << k) - 1)), (unsigned)q + 1 + k);
        return;
    }
    while (q >= 32) {
        sc_bitw_put(w, 0, 32);
        q -= 32;
    }
    sc_bitw_put(w, 1, (unsigned)q + 1);
    if (k)
        sc_bitw_put(w, v, k);
}

/* Upper bound of the bits of count Rice codes with parameter k whose
 * values sum to sum. */
static inline uint64_t sc_rice_bits_max(uint64_t sum, uint64_t count, unsigned k)
{
    return (sum >> k) + count * (1 + (uint64_t)k);
}

/* Elias-gamma code of v >= 1 (0 is written as 1; at most 2^32 - 1). */
static inline void sc_bitw_gamma(struct sc_bitw *w, uint64_t v)
{
    if (v == 0)
        v = 1;
    if (v > 0xFFFFFFFFu)
        v = 0xFFFFFFFFu;
    unsigned nb = 64 - (unsigned)__builtin_clzll(v);
    if (2 * nb - 1 <= 32) { /* nb - 1 zeros and v's nb bits at once */
        sc_bitw_put(w, v, 2 * nb - 1);
        return;
    }
    sc_bitw_put(w, 0, nb - 1);
    sc_bitw_put(w, v, nb);
}

void sc_bitw_flush(struct sc_bitw *w); /* the pending bits, padded to a byte */
void sc_bitw_reset(struct sc_bitw *w); /* empty, keeping the memory */
void sc_bitw_bytes(struct sc_bitw *w, const void *p, size_t n); /* byte-aligned: after a flush */
void sc_bitw_varint(struct sc_bitw *w, uint64_t v);
void sc_bitw_release(struct sc_bitw *w);

/* Rice parameter for values whose mean is sum/count. */
unsigned sc_rice_k(uint64_t sum, uint64_t count);

#define SC_VARINT_MAX 10 /* bytes of the longest varint (a uint64) */
/* Write v as a varint into out; returns the bytes written. */
size_t sc_varint_encode(uint64_t v, uint8_t out[SC_VARINT_MAX]);
void sc_varint_put(struct sc_buf *b, uint64_t v);
/* Decode a varint at p[0..end); returns bytes used or 0 if malformed. */
size_t sc_varint_get(const uint8_t *p, const uint8_t *end, uint64_t *v);

/* ---- reading ---- */

struct sc_bitr {
    const uint8_t *base; /* start of the area; bit offsets are relative to it */
    uint64_t pos;        /* next bit */
    uint64_t limit;      /* bits available; reads past it yield zeros */
};

static inline uint64_t sc_bitr_peek(const struct sc_bitr *r)
{
    /* 64-bit big-endian window starting at r->pos; the low bits may be
     * incomplete (at least 57 valid bits). */
    uint64_t byte = r->pos >> 3;
    uint64_t w;
    memcpy(&w, r->base + byte, 8);
    w = __builtin_bswap64(w);
    return w << (r->pos & 7);
}

static inline uint64_t sc_bitr_get(struct sc_bitr *r, unsigned n)
{
    if (n == 0)
        return 0;
    uint64_t v = sc_bitr_peek(r) >> (64 - n);
    r->pos += n;
    return v;
}

/* Rice decode; a corrupt stream cannot loop forever: unary runs stop at
 * the area's limit. The usual case (quotient and remainder inside one
 * 57-bit window) costs one load. */
static inline uint64_t sc_bitr_rice(struct sc_bitr *r, unsigned k)
{
    uint64_t w = sc_bitr_peek(r);
    if (__builtin_expect((w >> 8) != 0, 1)) {
        unsigned z = (unsigned)__builtin_clzll(w); /* <= 55 */
        if (z + 1 + k <= 57) {
            uint64_t rem = ((w << (z + 1)) >> 1) >> (63 - k); /* k = 0 gives 0 */
            r->pos += z + 1 + k;
            return ((uint64_t)z << k) | rem;
        }
    }
    uint64_t q = 0;
    for (;;) {
        w = sc_bitr_peek(r);
        if (w >> 8) { /* the first 56 bits hold the terminating 1 */
            unsigned z = (unsigned)__builtin_clzll(w);
            q += z;
            r->pos += z + 1;
            break;
        }
        q += 56;
        r->pos += 56;
        if (r->pos >= r->limit)
            return 0;
    }
    return (q << k) | sc_bitr_get(r, k);
}

static inline uint64_t sc_bitr_gamma(struct sc_bitr *r)
{
    uint64_t w = sc_bitr_peek(r);
    if (!w)
        return 1; /* corrupt; keep going with a harmless value */
    unsigned z = (unsigned)__builtin_clzll(w);
    if (z > 31) {
        r->pos += 64;
        return 1;
    }
    r->pos += z;
    return sc_bitr_get(r, z + 1);
}

#endif
