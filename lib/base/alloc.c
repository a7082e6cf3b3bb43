/*
 * The allocation functions of libsucai (base.h) and the failure injection
 * behind them (alloc.h). In normal runs the gate is one relaxed atomic
 * increment and a predictable branch. SQLite allocates through the same
 * gate (store.c installs sc_alloc_sqlite_methods), so a test that fails
 * allocation n also reaches the store's error paths.
 */
#include "base/alloc.h"
#include "sucai/base.h"

#include <malloc.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static _Atomic uint64_t allocs; /* allocations since the last arm */
static _Atomic uint64_t fail_n; /* 0 = off */
static _Atomic int fail_persist;
static _Atomic uint64_t failures; /* failed on purpose */

void sc_alloc_fail_at(uint64_t n, int persistent)
{
    atomic_store(&fail_n, 0);
    atomic_store(&allocs, 0);
    atomic_store(&failures, 0);
    atomic_store(&fail_persist, persistent);
    atomic_store(&fail_n, n);
}

uint64_t sc_alloc_count(void)
{
    return atomic_load_explicit(&allocs, memory_order_relaxed);
}

uint64_t sc_alloc_failed(void)
{
    return atomic_load(&failures);
}

int sc_alloc_gate(void)
{
    uint64_t k = atomic_fetch_add_explicit(&allocs, 1, memory_order_relaxed) + 1;
    uint64_t n = atomic_load_explicit(&fail_n, memory_order_relaxed);
    if (__builtin_expect(n == 0, 1))
        return 0;
    if (k == n || (k > n && atomic_load_explicit(&fail_persist, memory_order_relaxed))) {
        atomic_fetch_add(&failures, 1);
        return -1;
    }
    return 0;
}

void *sc_malloc(size_t size)
{
    return sc_alloc_gate() ? NULL : malloc(size ? size : 1);
}

void *sc_calloc(size_t n, size_t size)
{
    return sc_alloc_gate() ? NULL : calloc(n ? n : 1, size ? size : 1);
}

void *sc_realloc(void *p, size_t size)
{
    return sc_alloc_gate() ? NULL : realloc(p, size ? size : 1);
}

void *sc_reallocarray(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return sc_realloc(p, n * size);
}

char *sc_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = sc_malloc(len + 1);
    if (!p)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *sc_strdup(const char *s)
{
    return s ? sc_strndup(s, strlen(s)) : NULL;
}
