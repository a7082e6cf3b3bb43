/*
 * Bit writer, Rice / Elias-gamma encoders and byte varints for the index
 * files (codec.h). The readers are inline in codec.h: they sit in the
 * inner loops of the search.
 */
#include "search/codec.h"

void sc_bitw_init(struct sc_bitw *w, struct sc_buf *b)
{
    w->b = b;
    w->acc = 0;
    w->nacc = 0;
    w->nbits = 0;
}

void sc_bitw_put(struct sc_bitw *w, uint64_t v, unsigned n)
{
    if (n == 0)
        return;
    v &= (n == 64) ? ~0ull : ((1ull << n) - 1);
    w->acc = (w->acc << n) | v;
    w->nacc += n;
    w->nbits += n;
    while (w->nacc >= 8) {
        w->nacc -= 8;
        sc_buf_addc(w->b, (char)(uint8_t)(w->acc >> w->nacc));
    }
    w->acc &= (1ull << w->nacc) - 1;
}

void sc_bitw_rice(struct sc_bitw *w, uint64_t v, unsigned k)
{
    uint64_t q = v >> k;
    while (q >= 32) {
        sc_bitw_put(w, 0, 32);
        q -= 32;
    }
    sc_bitw_put(w, 1, (unsigned)q + 1); /* q zeros then a one */
    if (k)
        sc_bitw_put(w, v, k);
}

void sc_bitw_gamma(struct sc_bitw *w, uint64_t v)
{
    if (v == 0)
        v = 1;
    if (v > 0xFFFFFFFFu)
        v = 0xFFFFFFFFu;
    unsigned n = 64 - (unsigned)__builtin_clzll(v); /* bits in v */
    if (n > 1)
        sc_bitw_put(w, 0, n - 1);
    sc_bitw_put(w, v, n);
}

void sc_bitw_flush(struct sc_bitw *w)
{
    if (w->nacc)
        sc_bitw_put(w, 0, 8 - w->nacc);
}

unsigned sc_rice_k(uint64_t sum, uint64_t count)
{
    if (count == 0)
        return 0;
    uint64_t mean = sum / count;
    if (mean < 2)
        return 0;
    unsigned k = 63 - (unsigned)__builtin_clzll(mean); /* floor(log2(mean)) */
    return k < 30 ? k : 30;
}

size_t sc_varint_encode(uint64_t v, uint8_t out[SC_VARINT_MAX])
{
    size_t n = 0;
    do {
        uint8_t c = v & 0x7F;
        v >>= 7;
        out[n++] = c | (v ? 0x80 : 0);
    } while (v);
    return n;
}

void sc_varint_put(struct sc_buf *b, uint64_t v)
{
    uint8_t tmp[SC_VARINT_MAX];
    sc_buf_add(b, tmp, sc_varint_encode(v, tmp));
}

size_t sc_varint_get(const uint8_t *p, const uint8_t *end, uint64_t *v)
{
    uint64_t r = 0;
    for (size_t i = 0; i < 10 && p + i < end; i++) {
        r |= (uint64_t)(p[i] & 0x7F) << (7 * i);
        if (!(p[i] & 0x80)) {
            *v = r;
            return i + 1;
        }
    }
    *v = 0;
    return 0;
}
