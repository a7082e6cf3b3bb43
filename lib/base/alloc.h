/*
 * Allocation failure injection, for tests (SQLite's faultsim, Git's
 * GIT_ALLOC_LIMIT): make the n-th allocation from now fail, to check that
 * every caller turns it into a clean error and frees what it holds.
 * Internal: only tests call these.
 */
#ifndef SC_BASE_ALLOC_H
#define SC_BASE_ALLOC_H

#include <stdint.h>

/* From now on, allocation number n (1 = the next one) fails; with
 * persistent, every one after it fails too. n = 0 turns failures off.
 * Counts the allocations of every thread. */
void sc_alloc_fail_at(uint64_t n, int persistent);
/* Allocations made since the last sc_alloc_fail_at (or the process start),
 * and how many of them failed on purpose. */
uint64_t sc_alloc_count(void);
uint64_t sc_alloc_failed(void);
/* The gate every allocation passes: 0 = go ahead, -1 = fail this one. */
int sc_alloc_gate(void);

#endif
