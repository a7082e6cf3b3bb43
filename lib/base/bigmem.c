#include "base/bigmem.h"
#include "base/alloc.h"
#include "sucai/base.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define BIG_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define BIG_MALLOC 1
#endif
#endif

#define HUGE_PAGE ((size_t)2 << 20)
/* No request beyond 1 TiB is honoured (sanitizers abort on such sizes
 * instead of failing) */
#define BIG_MAX ((size_t)1 << 40)

int sc_big_reserve_n(struct sc_big *b, size_t n, size_t size, int zero)
{
    if (size && n > SIZE_MAX / size)
        return -1;
    return sc_big_reserve(b, n * size, zero);
}

#ifdef BIG_MALLOC

int sc_big_reserve(struct sc_big *b, size_t bytes, int zero)
{
    if (bytes <= b->cap && b->p)
        return 0;
    if (bytes > BIG_MAX)
        return -1;
    size_t want = b->cap + b->cap / 2; /* grown geometrically, as below */
    if (want < bytes)
        want = bytes;
    if (want == 0)
        want = 1;
    void *np = sc_realloc(b->p, want);
    if (!np)
        return -1;
    if (zero)
        memset((char *)np + b->cap, 0, want - b->cap);
    b->p = np;
    b->cap = want;
    return 0;
}

void sc_big_release(struct sc_big *b)
{
    free(b->p);
    b->p = NULL;
    b->cap = 0;
}

#else

int sc_big_reserve(struct sc_big *b, size_t bytes, int zero)
{
    if (bytes <= b->cap && b->p)
        return 0;
    if (bytes > BIG_MAX)
        return -1;
    /* at least half again what was there, so that a growing array is
     * moved O(log n) times; whole huge pages from 2 MiB up (a smaller
     * array in a huge page would hold 2 MiB of memory for little) */
    size_t want = b->cap + b->cap / 2;
    if (want < bytes)
        want = bytes;
    if (want == 0) /* an empty array still gets a valid pointer */
        want = 1;
    long page = sysconf(_SC_PAGESIZE);
    size_t unit = want >= HUGE_PAGE ? HUGE_PAGE : page > 0 ? (size_t)page : 4096;
    want = (want + unit - 1) & ~(unit - 1);
    if (sc_alloc_gate() != 0)
        return -1;
    void *np = b->p ? mremap(b->p, b->cap, want, MREMAP_MAYMOVE)
                    : mmap(NULL, want, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (np == MAP_FAILED)
        return -1;
    /* a hint: without transparent huge pages this fails and changes nothing */
    if (unit == HUGE_PAGE)
        (void)madvise(np, want, MADV_HUGEPAGE);
    /* fresh anonymous pages are zero already */
    (void)zero;
    b->p = np;
    b->cap = want;
    return 0;
}

void sc_big_release(struct sc_big *b)
{
    if (b->p)
        munmap(b->p, b->cap);
    b->p = NULL;
    b->cap = 0;
}

#endif
