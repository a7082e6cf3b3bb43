/*
 * The store layer over its SQLite driver: parts' schema versions and
 * migrations, statements, error classes and their messages, transactions
 * and savepoints, read-only connections, a second connection, blobs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"

#include <sqlite3.h>

static int migrations, last_from;

static enum sc_err t_migrate(struct sc_store *st, int from, struct sc_diag *diag)
{
    migrations++;
    last_from = from;
    enum sc_err e = SC_OK;
    if (from < 1)
        e = sc_store_exec(st,
                          "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY AUTOINCREMENT,"
                          " name TEXT NOT NULL UNIQUE, body TEXT);",
                          diag);
    if (e == SC_OK && from < 2)
        e = sc_store_exec(st, "CREATE INDEX IF NOT EXISTS t_body ON t(body);", diag);
    return e;
}

static enum sc_err bad_migrate(struct sc_store *st, int from, struct sc_diag *diag)
{
    (void)from;
    return sc_store_exec(st, "CREATE TABLE broken(;", diag);
}

struct fix {
    char dir[64];
    char path[96];
};

static int setup(void **state)
{
    struct fix *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/sc-store-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/library.db", f->dir);
    migrations = 0;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fix *f = *state;
    char p[128];
    static const char *const ext[] = { "", "-wal", "-shm" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", f->path, ext[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static struct sc_store *open_v(const char *path, int flags, int version, struct sc_diag *d)
{
    const struct sc_store_part part = { "t", version, t_migrate };
    const struct sc_store_part *const parts[] = { &part };
    struct sc_store *st = NULL;
    enum sc_err e = sc_store_open(path, flags, 1000, parts, 1, &st, d);
    return e == SC_OK ? st : NULL;
}

static int64_t meta_int(struct sc_store *st, const char *key)
{
    struct sc_stmt *s =
        sc_store_prepare(st, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?1", NULL);
    assert_non_null(s);
    assert_int_equal(sc_stmt_bind_text(s, 1, key, -1), SC_STORE_OK);
    int64_t v = sc_stmt_step(s) == SC_STORE_ROW ? sc_stmt_column_int64(s, 0) : -1;
    sc_stmt_finalize(s);
    return v;
}

static void versions(void **state)
{
    struct fix *f = *state;
    struct sc_diag d = { 0 };
    assert_null(open_v(f->path, 0, 1, &d));
    assert_int_equal(d.err, SC_ESTORE);
    assert_non_null(strstr(d.msg, "cannot open "));
    assert_non_null(strstr(d.msg, f->path));
    assert_int_equal(migrations, 0);
    /* a URL's password is not repeated in messages */
    memset(&d, 0, sizeof d);
    assert_null(open_v("postgresql://amy:s3cret@/nodb?host=/nonexistent", 0, 1, &d));
#ifdef SC_HAVE_PG
    assert_int_equal(d.err, SC_EUNAVAILABLE); /* no server there: not now */
#else
    assert_int_equal(d.err, SC_ESTORE); /* no driver takes it */
#endif
    assert_null(strstr(d.msg, "s3cret"));
    assert_non_null(strstr(d.msg, "cannot open postgresql://amy@/nodb?host=/nonexistent"));

    struct sc_store *st = open_v(f->path, SC_STORE_CREATE, 1, NULL);
    assert_non_null(st);
    assert_int_equal(migrations, 1);
    assert_int_equal(last_from, 0);
    assert_int_equal(meta_int(st, "schema:t"), 1);
    assert_int_equal(meta_int(st, "schema_version"), 1);
    assert_int_equal(sc_store_generation(st), 1);
    assert_int_equal(sc_store_bump_generation(st, NULL), SC_OK);
    assert_int_equal(sc_store_generation(st), 2);
    assert_true(sc_store_has_table(st, "t"));
    assert_false(sc_store_has_table(st, "nope"));
    assert_string_equal(sc_store_path(st), f->path);
    sc_store_close(st);

    /* the same version: nothing to do; a newer one: migrated from 1 */
    st = open_v(f->path, 0, 1, NULL);
    assert_int_equal(migrations, 1);
    sc_store_close(st);
    st = open_v(f->path, 0, 2, NULL);
    assert_int_equal(migrations, 2);
    assert_int_equal(last_from, 1);
    assert_int_equal(meta_int(st, "schema:t"), 2);
    sc_store_close(st);
    /* read-only: no schema work, and an older build's version is left */
    st = open_v(f->path, SC_STORE_RDONLY, 3, NULL);
    assert_non_null(st);
    assert_int_equal(migrations, 2);
    assert_true(sc_store_readonly(st));
    assert_int_equal(meta_int(st, "schema:t"), 2);
    sc_store_close(st);

    /* a failing migration fails the open, with the driver's message */
    const struct sc_store_part bad = { "bad", 1, bad_migrate };
    const struct sc_store_part *const parts[] = { &bad };
    memset(&d, 0, sizeof d);
    st = NULL;
    assert_int_equal(sc_store_open(f->path, 0, 1000, parts, 1, &st, &d), SC_ESTORE);
    assert_null(st);
    assert_non_null(strstr(d.msg, "syntax error"));
}

static void not_a_library(void **state)
{
    struct fix *f = *state;
    struct sc_store *st = open_v(f->path, SC_STORE_CREATE, 1, NULL);
    assert_non_null(st);
    assert_int_equal(sc_store_exec(st, "DELETE FROM meta WHERE key = 'schema_version'", NULL),
                     SC_OK);
    sc_store_close(st);
    struct sc_diag d = { 0 };
    assert_null(open_v(f->path, SC_STORE_RDONLY, 1, &d));
    char want[160];
    snprintf(want, sizeof want, "%s is not a sucai library", f->path);
    assert_string_equal(d.msg, want);
}

/* One number read straight from the file, past the store layer. */
static int64_t raw_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    int64_t n = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *q = NULL;
        if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
            n = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
    }
    sqlite3_close(db);
    return n;
}

/* Another application's database is refused as it is: no meta, no tables
 * of ours written into it, read-only or not. */
static void foreign_database(void **state)
{
    struct fix *f = *state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db, "CREATE TABLE invoices(id INTEGER, total REAL)", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    struct sc_diag d = { 0 };
    assert_null(open_v(f->path, 0, 1, &d));
    assert_int_equal(d.err, SC_ESTORE);
    char want[256];
    snprintf(want, sizeof want,
             "%s is not a sucai library (it holds another application's tables; nothing was "
             "written)",
             f->path);
    assert_string_equal(d.msg, want);
    assert_int_equal(migrations, 0);
    memset(&d, 0, sizeof d);
    assert_null(open_v(f->path, SC_STORE_RDONLY, 1, &d));
    assert_non_null(strstr(d.msg, "is not a sucai library"));
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_master"), 1);
}

/* A library made by a newer sucai (the store's own version or one part's
 * above what this binary knows) is refused before anything is written. */
static void newer_schema(void **state)
{
    struct fix *f = *state;
    struct sc_store *st = open_v(f->path, SC_STORE_CREATE, 1, NULL);
    assert_non_null(st);
    assert_int_equal(sc_store_exec(st, "UPDATE meta SET value = '3' WHERE key = 'schema:t'", NULL),
                     SC_OK);
    sc_store_close(st);
    migrations = 0;
    struct sc_diag d = { 0 };
    assert_null(open_v(f->path, 0, 2, &d));
    assert_int_equal(d.err, SC_EUNSUPPORTED);
    char want[256];
    snprintf(want, sizeof want,
             "%s was made by a newer sucai (its t tables are at version 3, this sucai knows up "
             "to 2): upgrade sucai to open it",
             f->path);
    assert_string_equal(d.msg, want);
    assert_int_equal(migrations, 0);
    memset(&d, 0, sizeof d);
    assert_null(open_v(f->path, SC_STORE_RDONLY, 2, &d));
    assert_string_equal(d.msg, want);

    st = open_v(f->path, 0, 3, NULL); /* the binary that knows version 3 opens it */
    assert_non_null(st);
    assert_int_equal(migrations, 0);
    assert_int_equal(
        sc_store_exec(st, "UPDATE meta SET value = '2' WHERE key = 'schema_version'", NULL), SC_OK);
    sc_store_close(st);
    memset(&d, 0, sizeof d);
    assert_null(open_v(f->path, 0, 3, &d));
    snprintf(want, sizeof want,
             "%s was made by a newer sucai (store version 2, this sucai reads up to 1): upgrade "
             "sucai to open it",
             f->path);
    assert_string_equal(d.msg, want);
    assert_int_equal(
        raw_int(f->path, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'"),
        2);
}

/* A URL no driver takes is refused by name, not taken for a file. */
static void no_driver(void **state)
{
    (void)state;
    struct sc_diag d = { 0 };
    assert_null(open_v("mysql://amy:pw@db.example/lib", SC_STORE_CREATE, 1, &d));
    assert_int_equal(d.err, SC_EUNSUPPORTED);
    assert_string_equal(d.msg, "cannot open mysql://amy@db.example/lib: no store driver takes "
                               "this location (a PostgreSQL URL needs a sucai built with libpq)");
    assert_int_equal(access("mysql:", F_OK), -1);
}

static void statements(void **state)
{
    struct fix *f = *state;
    struct sc_store *st = open_v(f->path, SC_STORE_CREATE, 2, NULL);
    assert_non_null(st);
    struct sc_stmt *ins = NULL;
    assert_int_equal(sc_stmt_prepare(st, "INSERT INTO t(name, body) VALUES(?1, ?2)", &ins),
                     SC_STORE_OK);
    char name[8] = "amy";
    assert_int_equal(sc_stmt_bind_text(ins, 1, name, -1), SC_STORE_OK);
    assert_int_equal(sc_stmt_bind_null(ins, 2), SC_STORE_OK);
    assert_int_equal(sc_stmt_step(ins), SC_STORE_DONE);
    assert_int_equal(sc_store_last_id(st), 1);
    assert_int_equal(sc_store_changes(st), 1);
    sc_stmt_reset(ins);
    sc_stmt_clear_bindings(ins);
    assert_int_equal(sc_stmt_bind_text_copy(ins, 1, name, -1), SC_STORE_OK);
    memcpy(name, "bob", 4); /* the copy was taken: "amy" again, refused */
    assert_int_equal(sc_stmt_bind_text(ins, 2, "x", 1), SC_STORE_OK);
    assert_int_equal(sc_stmt_step(ins), SC_STORE_CONSTRAINT);
    assert_int_equal(sc_store_errcode(st), SC_STORE_UNIQUE);
    assert_false(sc_store_full(st));
    struct sc_diag d = { 0 };
    assert_int_equal(sc_store_fail(st, &d), SC_ESTORE);
    char want[200];
    snprintf(want, sizeof want, "%s: UNIQUE constraint failed: t.name", f->path);
    assert_string_equal(d.msg, want);
    sc_stmt_reset(ins);
    assert_int_equal(sc_stmt_bind_text(ins, 1, "王编辑", -1), SC_STORE_OK);
    assert_int_equal(sc_stmt_bind_blob(ins, 2, "a\0b", 3), SC_STORE_OK);
    assert_int_equal(sc_stmt_step(ins), SC_STORE_DONE);
    sc_stmt_finalize(ins);

    struct sc_stmt *q = sc_store_prepare(st, "SELECT id, name, body, 2.5 FROM t ORDER BY id", NULL);
    assert_non_null(q);
    assert_int_equal(sc_stmt_step(q), SC_STORE_ROW);
    assert_int_equal(sc_stmt_column_type(q, 0), SC_COL_INT);
    assert_int_equal(sc_stmt_column_int(q, 0), 1);
    assert_string_equal(sc_stmt_column_text(q, 1), "amy");
    assert_int_equal(sc_stmt_column_type(q, 2), SC_COL_NULL);
    int oom = 0;
    assert_null(sc_column_dup(q, 2, &oom));
    assert_int_equal(oom, 0);
    char *dup = sc_column_dup(q, 1, &oom);
    assert_string_equal(dup, "amy");
    free(dup);
    assert_true(sc_stmt_column_double(q, 3) == 2.5);
    assert_int_equal(sc_stmt_column_type(q, 3), SC_COL_REAL);
    assert_int_equal(sc_stmt_step(q), SC_STORE_ROW);
    assert_string_equal(sc_stmt_column_text(q, 1), "王编辑");
    assert_int_equal(sc_stmt_column_type(q, 2), SC_COL_BLOB);
    assert_int_equal(sc_stmt_column_bytes(q, 2), 3);
    assert_memory_equal(sc_stmt_column_blob(q, 2), "a\0b", 3);
    assert_int_equal(sc_stmt_step(q), SC_STORE_DONE);
    sc_stmt_finalize(q);

    /* a statement that does not prepare: NULL, the message in diag */
    memset(&d, 0, sizeof d);
    assert_null(sc_store_prepare(st, "SELECT x FROM nowhere", &d));
    snprintf(want, sizeof want, "%s: no such table: nowhere", f->path);
    assert_string_equal(d.msg, want);
    struct sc_stmt *none = (struct sc_stmt *)&d;
    assert_int_not_equal(sc_stmt_prepare(st, "SELEC", &none), SC_STORE_OK);
    assert_null(none);
    sc_stmt_finalize(NULL);
    assert_int_equal(sc_store_int(st, "SELECT count(*) FROM t"), 2);
    assert_int_equal(sc_store_int(st, "SELECT broken"), 0);
    sc_store_close(st);
}

static void transactions(void **state)
{
    struct fix *f = *state;
    struct sc_store *st = open_v(f->path, SC_STORE_CREATE, 2, NULL);
    assert_non_null(st);
    assert_false(sc_store_in_tx(st));
    assert_int_equal(sc_store_begin(st, 1, NULL), SC_OK);
    assert_true(sc_store_in_tx(st));
    assert_int_equal(sc_store_exec(st, "INSERT INTO t(name) VALUES('kept')", NULL), SC_OK);
    assert_int_equal(sc_store_savepoint(st, "file", NULL), SC_OK);
    assert_int_equal(sc_store_exec(st, "INSERT INTO t(name) VALUES('undone')", NULL), SC_OK);
    sc_store_rollback_to(st, "file");
    sc_store_release(st, "file");
    assert_int_equal(sc_store_savepoint(st, "file", NULL), SC_OK);
    assert_int_equal(sc_store_exec(st, "INSERT INTO t(name) VALUES('also')", NULL), SC_OK);
    sc_store_release(st, "file");

    /* another connection sees nothing until the commit, and cannot write */
    struct sc_store *other = NULL;
    assert_int_equal(sc_store_reopen(st, SC_STORE_PRIVATE, 0, &other, NULL), SC_OK);
    assert_int_equal(sc_store_int(other, "SELECT count(*) FROM t"), 0);
    struct sc_diag d = { 0 };
    assert_int_equal(sc_store_begin(other, 1, &d), SC_ESTORE);
    assert_int_equal(sc_store_errcode(other), SC_STORE_BUSY);
    char want[160];
    snprintf(want, sizeof want, "%s: database is locked", f->path);
    assert_string_equal(d.msg, want);
    assert_int_equal(sc_store_commit(st, NULL), SC_OK);
    assert_false(sc_store_in_tx(st));
    assert_int_equal(sc_store_int(other, "SELECT count(*) FROM t"), 2);
    sc_store_close(other);

    assert_int_equal(sc_store_begin(st, 0, NULL), SC_OK);
    assert_int_equal(sc_store_exec(st, "INSERT INTO t(name) VALUES('gone')", NULL), SC_OK);
    sc_store_rollback(st);
    assert_int_equal(sc_store_int(st, "SELECT count(*) FROM t"), 2);
    memset(&d, 0, sizeof d);
    assert_int_equal(sc_store_commit(st, &d), SC_ESTORE); /* none open */
    assert_non_null(strstr(d.msg, "no transaction is active"));
    sc_store_close(st);

    /* read-only: writes are refused with their class */
    st = open_v(f->path, SC_STORE_RDONLY, 2, NULL);
    assert_non_null(st);
    struct sc_stmt *w = sc_store_prepare(st, "INSERT INTO t(name) VALUES('ro')", NULL);
    assert_non_null(w);
    assert_int_equal(sc_stmt_step(w), SC_STORE_READONLY);
    sc_stmt_finalize(w);
    sc_store_close(st);
}

/* SQLite has no notifications: notify does nothing, listen is refused
 * (the follower polls), wait sleeps its time and says none came. */
static void notifications(void **state)
{
    struct fix *f = *state;
    struct sc_store *st = open_v(f->path, SC_STORE_CREATE, 2, NULL);
    assert_non_null(st);
    assert_int_equal(sc_store_begin(st, 1, NULL), SC_OK);
    assert_int_equal(sc_store_notify(st, "sucai_changes"), SC_STORE_OK);
    assert_int_equal(sc_store_notify(st, "Bad name"), SC_STORE_ERROR);
    assert_int_equal(sc_store_commit(st, NULL), SC_OK);
    assert_int_equal(sc_store_listen(st, "sucai_changes"), SC_STORE_ERROR);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    assert_int_equal(sc_store_wait(st, 30), 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
    assert_true(ms >= 29.0);
    sc_store_close(st);
}

static void blobs(void **state)
{
    struct fix *f = *state;
    struct sc_store *st = open_v(f->path, SC_STORE_CREATE, 2, NULL);
    assert_non_null(st);
    assert_int_equal(sc_store_exec(st,
                                   "INSERT INTO t(name, body) VALUES('a', '第一段\n第二段');"
                                   "INSERT INTO t(name, body) VALUES('b', 'xyz')",
                                   NULL),
                     SC_OK);
    struct sc_blob *b = NULL;
    assert_int_equal(sc_blob_open(st, "t", "body", 1, &b), SC_STORE_OK);
    assert_int_equal(sc_blob_bytes(b), 19);
    char buf[16] = { 0 };
    assert_int_equal(sc_blob_read(b, buf, 9, 10), SC_STORE_OK);
    assert_string_equal(buf, "第二段");
    assert_int_equal(sc_blob_reopen(b, 2), SC_STORE_OK);
    assert_int_equal(sc_blob_bytes(b), 3);
    assert_int_not_equal(sc_blob_read(b, buf, 4, 0), SC_STORE_OK); /* past the end */
    assert_int_not_equal(sc_blob_reopen(b, 99), SC_STORE_OK);
    sc_blob_close(b);
    assert_int_not_equal(sc_blob_open(st, "t", "body", 99, &b), SC_STORE_OK);
    assert_null(b);
    sc_blob_close(NULL);
    sc_store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(versions, setup, teardown),
        cmocka_unit_test_setup_teardown(not_a_library, setup, teardown),
        cmocka_unit_test_setup_teardown(foreign_database, setup, teardown),
        cmocka_unit_test_setup_teardown(newer_schema, setup, teardown),
        cmocka_unit_test(no_driver),
        cmocka_unit_test_setup_teardown(statements, setup, teardown),
        cmocka_unit_test_setup_teardown(transactions, setup, teardown),
        cmocka_unit_test_setup_teardown(notifications, setup, teardown),
        cmocka_unit_test_setup_teardown(blobs, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
