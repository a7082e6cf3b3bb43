/*
 * The bit writer's out-of-line parts and byte varints for the index files
 * (codec.h). The Rice and Elias-gamma writers and the readers are inline in
 * codec.h: they sit in the inner loops of the builder and of the search.
 */
#include "search/codec.h"

#include <stdlib.h>

int sc_bitw_room(struct sc_bitw *w, size_t need)
{
    if (w->len + need <= w->cap)
        return 0;
    size_t nc = w->cap ? w->cap * 2 : 4096;
    while (nc < w->len + need)
        nc *= 2;
    uint8_t *np = sc_realloc(w->p, nc);
    if (!np) {
        w->err = 1;
        return -1;
    }
    w->p = np;
    w->cap = nc;
    return 0;
}

void sc_bitw_flush(struct sc_bitw *w)
{
    if (sc_bitw_room(w, 8))
        return;
    while (w->n >= 8) {
        w->p[w->len++] = (uint8_t)(w->acc >> (w->n - 8));
        w->n -= 8;
    }
    if (w->n) {
        w->p[w->len++] = (uint8_t)(w->acc << (8 - w->n));
        w->n = 0;
    }
    w->acc = 0;
}

void sc_bitw_reset(struct sc_bitw *w)
{
    w->len = 0;
    w->acc = 0;
    w->n = 0;
}

void sc_bitw_bytes(struct sc_bitw *w, const void *p, size_t n)
{
    if (!n || sc_bitw_room(w, n))
        return;
    memcpy(w->p + w->len, p, n);
    w->len += n;
}

void sc_bitw_varint(struct sc_bitw *w, uint64_t v)
{
    uint8_t tmp[SC_VARINT_MAX];
    sc_bitw_bytes(w, tmp, sc_varint_encode(v, tmp));
}

void sc_bitw_release(struct sc_bitw *w)
{
    free(w->p);
    memset(w, 0, sizeof *w);
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
