/*
 * Helpers for the members unit tests: a temporary library, a fake clock,
 * and a few SQL probes. Included by tests/unit/members/test_*.c only.
 */
#ifndef MEMBERS_TEST_H
#define MEMBERS_TEST_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "members/members_int.h"

static time_t fake_now;
static time_t fake_clock(void)
{
    return fake_now;
}

struct tlib {
    char dir[64];
    struct sc_library *lib;
};

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* A fresh library in a temp folder, fast password hashing, fake clock. */
static int tlib_setup(void **state)
{
    struct tlib *t = calloc(1, sizeof *t);
    if (!t)
        return -1;
    snprintf(t->dir, sizeof t->dir, "/tmp/sucai-members-XXXXXX");
    if (!mkdtemp(t->dir)) {
        free(t);
        return -1;
    }
    struct sc_diag d = { 0 };
    char path[96];
    snprintf(path, sizeof path, "%s/lib", t->dir);
    if (sc_library_open(path, SC_LIBRARY_CREATE, &t->lib, &d) != SC_OK) {
        fprintf(stderr, "open: %s\n", d.msg);
        free(t);
        return -1;
    }
    sc_members_fast_hash = 1;
    fake_now = 1700000000; /* 2023-11-14 */
    sc_members_clock = fake_clock;
    *state = t;
    return 0;
}

static int tlib_teardown(void **state)
{
    struct tlib *t = *state;
    sc_library_close(t->lib);
    nftw(t->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(t);
    sc_members_clock = NULL;
    return 0;
}

/* A second handle on the same library (another connection). */
static inline struct sc_library *tlib_reopen(struct tlib *t)
{
    char path[96];
    snprintf(path, sizeof path, "%s/lib", t->dir);
    struct sc_library *lib = NULL;
    if (sc_library_open(path, 0, &lib, NULL) != SC_OK)
        return NULL;
    return lib;
}

/* First column of the first row of sql as an integer (-1 on error). */
static inline long long q_int(struct sc_library *lib, const char *sql)
{
    struct sc_stmt *st = NULL;
    long long v = -1;
    if (sc_stmt_prepare(lib->db, sql, &st) == SC_STORE_OK && sc_stmt_step(st) == SC_STORE_ROW)
        v = sc_stmt_column_int64(st, 0);
    sc_stmt_finalize(st);
    return v;
}

static inline void q_exec(struct sc_library *lib, const char *sql)
{
    struct sc_diag d = { 0 };
    if (sc_store_exec(lib->db, sql, &d) != SC_OK)
        fprintf(stderr, "sql: %s\n", d.msg);
}

static inline void add_user(struct sc_library *lib, const char *name, enum sc_tier tier, int days,
                            int roles)
{
    struct sc_diag d = { 0 };
    enum sc_err e = sc_user_add(lib, NULL, name, "correct horse", tier, days, roles, &d);
    if (e != SC_OK)
        fprintf(stderr, "add %s: %s\n", name, d.msg);
    assert_int_equal(e, SC_OK);
}

#endif
