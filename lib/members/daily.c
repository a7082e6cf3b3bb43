/*
 * Daily counters: a table of (key, day) -> n rows (check_counts for 查重
 * quotas, paid_answers for the paid allowances), taken with one upsert that
 * only increments while under the limit, so that threads, processes or
 * server nodes never take past it together.
 */
#include "members_int.h"

#include <stdio.h>

/* sql[] written by snprintf: whether it fitted (table names are constants) */
#define FITS(n, sql) ((n) >= 0 && (size_t)(n) < sizeof(sql))

int sc_daily_take(struct sc_library *lib, const struct sc_daily *t, const char *key,
                  const char *day, int64_t limit, int64_t *n, enum sc_err *err,
                  struct sc_diag *diag)
{
    if (err)
        *err = SC_OK;
    if (limit <= 0)
        return 0;
    char sql[320];
    /* the table's n named as such: in PostgreSQL's upsert a bare n could be
     * the row proposed (excluded.n) as well */
    int len = snprintf(sql, sizeof sql,
                       "INSERT INTO %s(%s, day, n) VALUES(?1, ?2, 1) "
                       "ON CONFLICT(%s, day) DO UPDATE SET n = %s.n + 1 WHERE %s.n < ?3 "
                       "RETURNING n",
                       t->table, t->key, t->key, t->table, t->table);
    struct sc_stmt *st = FITS(len, sql) ? sc_store_prepare(lib->db, sql, diag) : NULL;
    if (!st)
        return -1;
    sc_stmt_bind_text(st, 1, key, -1);
    sc_stmt_bind_text(st, 2, day, -1);
    sc_stmt_bind_int64(st, 3, limit);
    int rc = sc_stmt_step(st), got = 0;
    if (rc == SC_STORE_ROW) {
        got = 1;
        *n = sc_stmt_column_int64(st, 0);
        rc = sc_stmt_step(st);
    }
    if (rc != SC_STORE_DONE) {
        enum sc_err e = sc_store_fail(lib->db, diag);
        if (err)
            *err = e;
        got = -1;
    }
    sc_stmt_finalize(st);
    return got;
}

void sc_daily_give_back(struct sc_library *lib, const struct sc_daily *t, const char *key,
                        const char *day)
{
    char sql[256];
    int len =
        snprintf(sql, sizeof sql, "UPDATE %s SET n = n - 1 WHERE %s = ?1 AND day = ?2 AND n > 0",
                 t->table, t->key);
    struct sc_stmt *st = FITS(len, sql) ? sc_store_prepare(lib->db, sql, NULL) : NULL;
    if (!st)
        return;
    sc_stmt_bind_text(st, 1, key, -1);
    sc_stmt_bind_text(st, 2, day, -1);
    sc_stmt_step(st);
    sc_stmt_finalize(st);
}

int64_t sc_daily_used(struct sc_library *lib, const struct sc_daily *t, const char *key,
                      const char *day)
{
    char sql[256];
    int len =
        snprintf(sql, sizeof sql, "SELECT n FROM %s WHERE %s = ?1 AND day = ?2", t->table, t->key);
    struct sc_stmt *st = NULL;
    int64_t n = 0;
    if (!FITS(len, sql) || sc_stmt_prepare(lib->db, sql, &st) != SC_STORE_OK) {
        sc_stmt_finalize(st);
        return 0;
    }
    sc_stmt_bind_text(st, 1, key, -1);
    sc_stmt_bind_text(st, 2, day, -1);
    if (sc_stmt_step(st) == SC_STORE_ROW)
        n = sc_stmt_column_int64(st, 0);
    sc_stmt_finalize(st);
    return n;
}
