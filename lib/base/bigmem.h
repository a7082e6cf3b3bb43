/*
 * Large scratch arrays (tens to hundreds of MB: the index builder's hash
 * table, position lists and sort buffers). They live in anonymous mappings
 * that ask for transparent huge pages, so that filling them costs one page
 * fault per 2 MiB instead of one per 4 KiB and random accesses miss the TLB
 * less; growing keeps the contents (mremap). Under AddressSanitizer they are
 * plain malloc blocks, so that overruns are still caught.
 */
#ifndef SC_BASE_BIGMEM_H
#define SC_BASE_BIGMEM_H

#include <stddef.h>

struct sc_big {
    void *p;    /* owned; NULL while empty */
    size_t cap; /* bytes usable at p */
};

#define SC_BIG_INIT {NULL, 0}

/* Make room for at least bytes, keeping the first cap bytes. New bytes are
 * zero when zero is set (else undefined). 0 on success, -1 when out of
 * memory or beyond 1 TiB (b unchanged). */
int sc_big_reserve(struct sc_big *b, size_t bytes, int zero);
/* n elements of size each: sc_big_reserve with an overflow check. */
int sc_big_reserve_n(struct sc_big *b, size_t n, size_t size, int zero);
void sc_big_release(struct sc_big *b);

#endif
