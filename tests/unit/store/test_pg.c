/*
 * The store layer over its PostgreSQL driver, on the database named by
 * $SUCAI_TEST_PG (a libpq URL; tests/e2e/store_pg.sh starts a throw-away
 * cluster for it): every part's tables made from their SQLite-dialect
 * scripts, statements and their error classes, transactions, a second
 * connection, blobs, and the members part's own functions (accounts,
 * case-insensitive names, tokens, logins, the audit log) run on it.
 * Skipped when the variable is unset or the build has no libpq.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "library/library_int.h"
#include "members/members_int.h"
#include "shelf/shelf_int.h"
#include "store/handle.h"
#include "watch/watch_int.h"

static const char *url;

static enum sc_err t_migrate(struct sc_store *st, int from, struct sc_diag *diag)
{
    (void)from;
    return sc_store_exec(st,
                         "CREATE TABLE IF NOT EXISTS t(\n"
                         "  id INTEGER PRIMARY KEY AUTOINCREMENT, -- the row's; it's ours\n"
                         "  name TEXT NOT NULL UNIQUE, body BLOB, score REAL);\n"
                         "INSERT OR IGNORE INTO t(id, name) VALUES(100, 'first');",
                         diag);
}

static const struct sc_store_part t_part = { "t", 1, t_migrate };

/* A writable open makes the (emptied) database a library. */
static struct sc_store *open_all(int flags, struct sc_diag *d)
{
    if (!(flags & SC_STORE_RDONLY))
        flags |= SC_STORE_CREATE;
    const struct sc_store_part *const parts[] = { &sc_library_part, &sc_members_part,
                                                  &sc_watch_part, &sc_shelf_part, &t_part };
    struct sc_store *st = NULL;
    return sc_store_open(url, flags, 2000, parts, sizeof parts / sizeof parts[0], &st, d) == SC_OK
               ? st
               : NULL;
}

static void skip_without_pg(void)
{
    if (!url)
        skip();
}

static void reset_db(void)
{
    /* a clean database: its public schema dropped and made again (the
     * open makes a new database a library first) */
    struct sc_diag d = { 0 };
    struct sc_store *st = open_all(0, &d);
    if (!st)
        fail_msg("open %s: %s", url, d.msg);
    assert_int_equal(sc_store_exec(st, "DROP SCHEMA public CASCADE; CREATE SCHEMA public", &d),
                     SC_OK);
    sc_store_close(st);
}

static void schemas(void **state)
{
    (void)state;
    skip_without_pg();
    reset_db();
    struct sc_diag d = { 0 };
    struct sc_store *st = open_all(0, &d);
    if (!st)
        fail_msg("%s", d.msg);
    static const char *const tables[] = {
        "meta",           "sources",   "documents",    "sections", "points",
        "boilerplate",    "refused",   "users",        "sessions", "api_tokens",
        "login_failures", "audit_log", "paid_answers", "watches",  "watch_hits",
        "watch_state",    "favorites", "history",      "carts",    "t"
    };
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        if (!sc_store_has_table(st, tables[i]))
            fail_msg("no table %s", tables[i]);
    assert_false(sc_store_has_table(st, "nope"));
    assert_int_equal(sc_store_int(st, "SELECT CAST(value AS INTEGER) FROM meta "
                                      "WHERE key = 'schema:members'"),
                     1);
    assert_int_equal(sc_store_generation(st), 1);
    assert_int_equal(sc_store_bump_generation(st, NULL), SC_OK);
    assert_int_equal(sc_store_generation(st), 2);
    /* the watch part's mark came from the documents (none) */
    assert_int_equal(sc_store_int(st, "SELECT value FROM watch_state WHERE key = 'mark'"), 0);
    assert_int_equal(sc_store_int(st, "SELECT count(*) FROM t"), 1);
    sc_store_close(st);
    /* opened again: the recorded versions leave the scripts alone */
    st = open_all(0, &d);
    assert_non_null(st);
    assert_int_equal(sc_store_int(st, "SELECT count(*) FROM t"), 1);
    sc_store_close(st);
}

static void statements(void **state)
{
    (void)state;
    skip_without_pg();
    reset_db();
    struct sc_diag d = { 0 };
    struct sc_store *st = open_all(0, &d);
    assert_non_null(st);
    struct sc_stmt *ins = NULL;
    assert_int_equal(sc_stmt_prepare(st, "INSERT INTO t(name, body, score) VALUES(?, ?, ?)", &ins),
                     SC_STORE_OK);
    assert_int_equal(sc_stmt_bind_text(ins, 1, "amy", -1), SC_STORE_OK);
    assert_int_equal(sc_stmt_bind_blob(ins, 2, "a\0b", 3), SC_STORE_OK);
    assert_int_equal(sc_stmt_bind_double(ins, 3, 2.5), SC_STORE_OK);
    assert_int_equal(sc_stmt_step(ins), SC_STORE_DONE);
    assert_int_equal(sc_store_changes(st), 1);
    int64_t id = sc_store_last_id(st);
    assert_true(id > 0);
    sc_stmt_reset(ins);
    assert_int_equal(sc_stmt_step(ins), SC_STORE_CONSTRAINT); /* amy again */
    assert_int_equal(sc_store_errcode(st), SC_STORE_UNIQUE);
    assert_false(sc_store_full(st));
    assert_int_equal(sc_store_fail(st, &d), SC_ESTORE);
    assert_non_null(strstr(d.msg, "duplicate key value violates unique constraint"));
    sc_stmt_finalize(ins);

    struct sc_stmt *q = sc_store_prepare(st,
                                         "SELECT id, name, body, score FROM t WHERE name = ?1 "
                                         "OR ?1 IS NULL ORDER BY id",
                                         NULL);
    assert_non_null(q);
    assert_int_equal(sc_stmt_bind_text(q, 1, "amy", -1), SC_STORE_OK);
    assert_int_equal(sc_stmt_step(q), SC_STORE_ROW);
    assert_int_equal(sc_stmt_column_int64(q, 0), id);
    assert_int_equal(sc_stmt_column_type(q, 0), SC_COL_INT);
    assert_string_equal(sc_stmt_column_text(q, 1), "amy");
    assert_int_equal(sc_stmt_column_type(q, 2), SC_COL_BLOB);
    assert_int_equal(sc_stmt_column_bytes(q, 2), 3);
    assert_memory_equal(sc_stmt_column_blob(q, 2), "a\0b", 3);
    assert_true(sc_stmt_column_double(q, 3) == 2.5);
    assert_int_equal(sc_stmt_step(q), SC_STORE_DONE);
    sc_stmt_reset(q);
    sc_stmt_clear_bindings(q); /* NULL: every row */
    int n = 0;
    while (sc_stmt_step(q) == SC_STORE_ROW)
        n++;
    assert_int_equal(n, 2);
    sc_stmt_finalize(q);
    memset(&d, 0, sizeof d);
    assert_null(sc_store_prepare(st, "SELECT x FROM nowhere", &d));
    if (!strstr(d.msg, "relation \"nowhere\" does not exist"))
        fail_msg("%s", d.msg);

    struct sc_blob *b = NULL;
    assert_int_equal(sc_store_exec(st,
                                   "UPDATE t SET body = NULL; INSERT INTO t(name) "
                                   "VALUES('第一段')",
                                   NULL),
                     SC_OK);
    struct sc_stmt *big = sc_store_prepare(st,
                                           "INSERT INTO sources(name, size, sha256, bytes) "
                                           "VALUES('x', 1, 'h', ?1) RETURNING id",
                                           NULL);
    assert_non_null(big);
    sc_stmt_bind_blob_copy(big, 1, "0123456789", 10);
    assert_int_equal(sc_stmt_step(big), SC_STORE_ROW);
    int64_t src = sc_stmt_column_int64(big, 0);
    sc_stmt_finalize(big);
    /* the import's statement: NULL for a new document's id makes one, an id
     * replaces that document */
    static const char doc_sql[] = "INSERT OR REPLACE INTO documents(id, source_id, part, title, "
                                  "text, chars, norm_sha256, simhash) "
                                  "VALUES(?, ?, 1, ?, 'x', 1, 'h', 0)";
    struct sc_stmt *doc = sc_store_prepare(st, doc_sql, &d);
    assert_non_null(doc);
    for (int k = 0; k < 2; k++) {
        sc_stmt_reset(doc);
        sc_stmt_bind_null(doc, 1);
        sc_stmt_bind_int64(doc, 2, src);
        sc_stmt_bind_text(doc, 3, k ? "second" : "first", -1);
        assert_int_equal(sc_stmt_step(doc), SC_STORE_DONE);
        assert_int_equal(sc_store_last_id(st), k + 1);
    }
    sc_stmt_reset(doc);
    sc_stmt_bind_int64(doc, 1, 1);
    sc_stmt_bind_int64(doc, 2, src);
    sc_stmt_bind_text(doc, 3, "first, again", -1);
    assert_int_equal(sc_stmt_step(doc), SC_STORE_DONE);
    sc_stmt_finalize(doc);
    assert_int_equal(sc_store_int(st, "SELECT count(*) FROM documents"), 2);
    struct sc_stmt *title = sc_store_prepare(st, "SELECT title FROM documents WHERE id = 1", NULL);
    assert_int_equal(sc_stmt_step(title), SC_STORE_ROW);
    assert_string_equal(sc_stmt_column_text(title, 0), "first, again");
    sc_stmt_finalize(title);
    /* documents.text as the import writes it (schema 2): a zstd frame bound
     * as a blob, a bytea here, read back whole */
    static const char body[] = "标题\n第一段。\n第二段。";
    char *z, *back;
    size_t zlen, blen;
    assert_int_equal(sc_ztext_pack(body, sizeof body - 1, &z, &zlen), SC_OK);
    struct sc_stmt *put = sc_store_prepare(st, "UPDATE documents SET text = ? WHERE id = 2", &d);
    assert_non_null(put);
    assert_int_equal(sc_doc_text_bind(put, 1, z, zlen), SC_STORE_OK);
    assert_int_equal(sc_stmt_step(put), SC_STORE_DONE);
    sc_stmt_finalize(put);
    struct sc_stmt *get = sc_store_prepare(st, "SELECT text FROM documents WHERE id = 2", &d);
    assert_non_null(get);
    assert_int_equal(sc_stmt_step(get), SC_STORE_ROW);
    assert_int_equal(sc_stmt_column_bytes(get, 0), (int)zlen);
    assert_int_equal(sc_doc_text_column(get, 0, &back, &blen), SC_OK);
    assert_int_equal(blen, sizeof body - 1);
    assert_string_equal(back, body);
    sc_stmt_finalize(get);
    free(z);
    free(back);

    assert_int_equal(sc_blob_open(st, "sources", "bytes", src, &b), SC_STORE_OK);
    assert_int_equal(sc_blob_bytes(b), 10);
    char buf[8] = { 0 };
    assert_int_equal(sc_blob_read(b, buf, 3, 4), SC_STORE_OK);
    assert_string_equal(buf, "456");
    assert_int_not_equal(sc_blob_read(b, buf, 8, 4), SC_STORE_OK);
    assert_int_not_equal(sc_blob_reopen(b, src + 99), SC_STORE_OK);
    sc_blob_close(b);
    sc_store_close(st);
}

static void transactions(void **state)
{
    (void)state;
    skip_without_pg();
    reset_db();
    struct sc_store *st = open_all(0, NULL);
    assert_non_null(st);
    assert_int_equal(sc_store_begin(st, 1, NULL), SC_OK);
    assert_true(sc_store_in_tx(st));
    assert_int_equal(sc_store_exec(st, "INSERT INTO t(name) VALUES('kept')", NULL), SC_OK);
    assert_int_equal(sc_store_savepoint(st, "file", NULL), SC_OK);
    assert_int_equal(sc_store_exec(st, "INSERT INTO t(name) VALUES('undone')", NULL), SC_OK);
    sc_store_rollback_to(st, "file");
    sc_store_release(st, "file");
    /* another writer waits for the lock past its busy time: busy */
    struct sc_store *other = NULL;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_store_reopen(st, SC_STORE_PRIVATE, 200, &other, NULL), SC_OK);
    assert_int_equal(sc_store_int(other, "SELECT count(*) FROM t"), 1);
    assert_int_equal(sc_store_begin(other, 1, &d), SC_ESTORE);
    assert_int_equal(sc_store_errcode(other), SC_STORE_BUSY);
    sc_store_rollback(other);
    assert_int_equal(sc_store_commit(st, NULL), SC_OK);
    assert_false(sc_store_in_tx(st));
    assert_int_equal(sc_store_int(other, "SELECT count(*) FROM t"), 2);
    assert_int_equal(sc_store_begin(other, 1, NULL), SC_OK);
    sc_store_rollback(other);
    sc_store_close(other);
    memset(&d, 0, sizeof d);
    assert_int_equal(sc_store_commit(st, &d), SC_ESTORE);
    assert_non_null(strstr(d.msg, "no transaction is active"));
    sc_store_close(st);
    /* read-only: writes refused with their class */
    st = open_all(SC_STORE_RDONLY, NULL);
    assert_non_null(st);
    struct sc_stmt *w = sc_store_prepare(st, "INSERT INTO t(name) VALUES('ro')", NULL);
    assert_non_null(w);
    assert_int_equal(sc_stmt_step(w), SC_STORE_READONLY);
    sc_stmt_finalize(w);
    sc_store_close(st);
}

/* NOTIFY reaches a listener when the writer commits, not before, and
 * not at all when it rolls back; a read transaction is one snapshot. */
static void notifications(void **state)
{
    (void)state;
    skip_without_pg();
    reset_db();
    struct sc_store *w = open_all(0, NULL);
    assert_non_null(w);
    struct sc_store *l = NULL;
    assert_int_equal(sc_store_reopen(w, SC_STORE_RDONLY | SC_STORE_PRIVATE, 200, &l, NULL), SC_OK);
    assert_int_equal(sc_store_listen(l, "sucai_changes"), SC_STORE_OK);
    assert_int_equal(sc_store_listen(l, "bad; DROP"), SC_STORE_ERROR);
    assert_int_equal(sc_store_wait(l, 50), 0);
    assert_int_equal(sc_store_begin(w, 1, NULL), SC_OK);
    assert_int_equal(sc_store_notify(w, "sucai_changes"), SC_STORE_OK);
    assert_int_equal(sc_store_wait(l, 100), 0); /* not before the commit */
    assert_int_equal(sc_store_commit(w, NULL), SC_OK);
    assert_int_equal(sc_store_wait(l, 2000), 1);
    assert_int_equal(sc_store_wait(l, 50), 0); /* one commit, one wake */
    assert_int_equal(sc_store_begin(w, 1, NULL), SC_OK);
    assert_int_equal(sc_store_notify(w, "sucai_changes"), SC_STORE_OK);
    sc_store_rollback(w);
    assert_int_equal(sc_store_wait(l, 100), 0);
    /* the reader's transaction does not see a commit made during it */
    assert_int_equal(sc_store_begin(l, 0, NULL), SC_OK);
    int64_t before = sc_store_int(l, "SELECT count(*) FROM t");
    assert_int_equal(sc_store_exec(w, "INSERT INTO t(name) VALUES('during')", NULL), SC_OK);
    assert_int_equal(sc_store_int(l, "SELECT count(*) FROM t"), before);
    assert_int_equal(sc_store_commit(l, NULL), SC_OK);
    assert_int_equal(sc_store_int(l, "SELECT count(*) FROM t"), before + 1);
    sc_store_close(l);
    sc_store_close(w);
}

static void members(void **state)
{
    (void)state;
    skip_without_pg();
    reset_db();
    sc_members_fast_hash = 1;
    struct sc_library lib = { 0 };
    lib.db_path = (char *)url;
    lib.dir = (char *)"/nonexistent";
    struct sc_diag d = { 0 };
    lib.db = open_all(0, &d);
    assert_non_null(lib.db);
    assert_int_equal(pthread_mutex_init(&lib.index_lock, NULL), 0);

    assert_int_equal(
        sc_user_add(&lib, NULL, "amy", "pass-word-1", SC_TIER_VIP, 30, SC_ROLE_EDITOR, &d), SC_OK);
    assert_int_equal(sc_user_add(&lib, NULL, "王编辑", "pass-word-2", SC_TIER_FREE, 0, 0, &d),
                     SC_OK);
    memset(&d, 0, sizeof d);
    assert_int_equal(sc_user_add(&lib, NULL, "AMY", "pass-word-3", SC_TIER_FREE, 0, 0, &d),
                     SC_EDUPLICATE);
    struct sc_principal p;
    assert_int_equal(sc_user_principal(&lib, "Amy", &p, NULL), SC_OK); /* any case */
    assert_string_equal(p.name, "amy");
    assert_int_equal(p.tier, SC_TIER_VIP);

    struct sc_user_rows users;
    assert_int_equal(sc_user_list(&lib, &users, &d), SC_OK);
    assert_int_equal(users.n, 2);
    assert_string_equal(users.v[1].name, "王编辑");
    assert_string_equal(sc_roles_name(users.v[0].roles), "editor");
    sc_user_rows_release(&users);

    char *tok = NULL;
    int64_t tid = 0;
    assert_int_equal(sc_token_create(&lib, NULL, "amy", "nightly", &tok, &tid, &d), SC_OK);
    assert_int_equal(sc_token_principal(&lib, tok, &p), 1);
    assert_string_equal(p.name, "amy");
    struct sc_token_rows toks;
    assert_int_equal(sc_token_list(&lib, &toks, &d), SC_OK);
    assert_int_equal(toks.n, 1);
    assert_int_equal(toks.v[0].id, tid);
    assert_string_equal(toks.v[0].label, "nightly");
    sc_token_rows_release(&toks);
    assert_int_equal(sc_token_revoke(&lib, NULL, tok, &d), SC_OK);
    assert_int_equal(sc_token_principal(&lib, tok, &p), 0);
    free(tok);

    struct sc_login_result r;
    memset(&d, 0, sizeof d);
    enum sc_err e = sc_login(&lib, "amy", "wrong password", "203.0.113.9", &r, &d);
    if (e != SC_EDENIED)
        fail_msg("wrong password: %d %s", e, d.msg);
    assert_int_equal(sc_login(&lib, "AMY", "pass-word-1", "203.0.113.9", &r, &d), SC_OK);
    assert_string_equal(r.principal.name, "amy");
    assert_int_equal(sc_audit(&lib, &r.principal, "import", "2 files", "203.0.113.9"), SC_OK);
    struct sc_audit_rows log;
    assert_int_equal(sc_audit_list(&lib, 2, &log, &d), SC_OK);
    assert_int_equal(log.n, 2);
    assert_string_equal(log.v[0].action, "import");
    assert_string_equal(log.v[0].user, "amy");
    assert_string_equal(log.v[1].action, "login");
    sc_audit_rows_release(&log);

    pthread_mutex_destroy(&lib.index_lock);
    sc_store_close(lib.db);
}

int main(void)
{
    url = getenv("SUCAI_TEST_PG");
    if (url && !*url)
        url = NULL;
#ifndef SC_HAVE_PG
    url = NULL;
#endif
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(schemas),      cmocka_unit_test(statements),
        cmocka_unit_test(transactions), cmocka_unit_test(notifications),
        cmocka_unit_test(members),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
