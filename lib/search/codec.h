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

/* ---- writing (into a struct sc_buf; check sc_buf_err once at the end) ---- */

struct sc_bitw {
    struct sc_buf *b;
    uint64_t acc;   /* pending bits, right-aligned */
    unsigned nacc;  /* number of pending bits (< 8 after a flush) */
    uint64_t nbits; /* bits written in total */
};

void sc_bitw_init(struct sc_bitw *w, struct sc_buf *b);
void sc_bitw_put(struct sc_bitw *w, uint64_t v, unsigned n); /* n <= 32 low bits of v */
void sc_bitw_rice(struct sc_bitw *w, uint64_t v, unsigned k);
void sc_bitw_gamma(struct sc_bitw *w, uint64_t v); /* v >= 1 */
void sc_bitw_flush(struct sc_bitw *w);             /* pad to a byte boundary */

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
