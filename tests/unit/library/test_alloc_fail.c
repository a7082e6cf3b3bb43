/*
 * Allocation failure, everywhere in turn (SQLite's faultsim, Git's
 * GIT_ALLOC_LIMIT): a small import and a search are run again and again,
 * the n-th allocation failing each time (libsucai's own and SQLite's,
 * through base/alloc.h). Every run must end in SC_OK or a clean error with
 * a message, the library must stay usable (what was reported imported is
 * there, a search answers), and nothing may leak (the sanitizer build of
 * the suite checks leaks at exit).
 *
 * Every allocation of the first runs is failed in turn; beyond that a
 * stride keeps the test to seconds (SUCAI_SLOW_TESTS=1: every one).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "sucai/sucai.h"

static const char doc_text[] = "XX区2023年工作总结\n"
                               "2023年，我区坚持依法行政，全面推进各项工作。\n"
                               "一、主要工作\n"
                               "（一）强化组织领导。一是健全机制；二是压实责任。\n"
                               "（二）推进依法行政。全年办理案件XX件。\n"
                               "##paidbegin##\n"
                               "二、存在的问题\n"
                               "基层力量薄弱，依法行政水平有待提高。\n"
                               "##paidend##\n"
                               "三、下一步打算\n"
                               "持续推进依法行政，力争取得新成效。\n";

struct run {
    enum sc_err open, import, search;
    int imported;    /* the file was reported imported */
    int64_t total;   /* search total when it answered */
    int messages_ok; /* every error came with a message that says something */
};

/* A message that names a reason: not empty, and not SQLite's "not an
 * error" (a store message taken after another part failed). */
static int message_ok(const char *msg)
{
    return msg && msg[0] && !strstr(msg, "not an error");
}

static int on_file(void *ctx, const struct sc_import_result *r)
{
    struct run *run = ctx;
    if (r->status == SC_IMPORT_IMPORTED && r->ndocs == 1)
        run->imported = 1;
    if (r->status == SC_IMPORT_REFUSED && !message_ok(r->reason))
        run->messages_ok = 0;
    return 0;
}

/* One run in a fresh library dir: open (creating), import, search, close. */
static void one_run(const char *dir, struct run *run)
{
    memset(run, 0, sizeof *run);
    run->messages_ok = 1;
    struct sc_library *lib = NULL;
    struct sc_diag d = { 0 };
    run->open = sc_library_open(dir, SC_LIBRARY_CREATE, &lib, &d);
    if (run->open != SC_OK) {
        run->messages_ok = message_ok(d.msg);
        run->import = run->search = run->open;
        return;
    }
    struct sc_import_opts o = { .on_file = on_file, .ctx = run };
    struct sc_import_summary sum = { 0 };
    sc_diag_clear(&d);
    run->import = sc_import_bytes(lib, "总结.txt", doc_text, sizeof doc_text - 1, &o, &sum, &d);
    if (run->import != SC_OK && !message_ok(d.msg))
        run->messages_ok = 0;
    struct sc_search_opts so = { .query = "依法行政", .limit = 10, .entitled = 1, .facets = 1 };
    struct sc_results res = { 0 };
    sc_diag_clear(&d);
    run->search = sc_search(lib, &so, &res, &d);
    if (run->search == SC_OK)
        run->total = res.total;
    else if (!message_ok(d.msg))
        run->messages_ok = 0;
    sc_results_release(&res);
    sc_library_close(lib);
}

/* After a run, without failures: the library opens, and holds the
 * document exactly when the run said it was imported (or no library at
 * all, when the run failed before creating one). */
static void check_after(const char *dir, const struct run *run, uint64_t n)
{
    struct sc_library *lib = NULL;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_library_open(dir, 0, &lib, &d);
    if (e == SC_ENOTFOUND && !run->imported)
        return;
    if (e != SC_OK)
        fail_msg("failing allocation %llu left a library that does not open: %s",
                 (unsigned long long)n, d.msg);
    struct sc_search_opts so = { .query = "依法行政", .limit = 10, .entitled = 1 };
    struct sc_results res = { 0 };
    e = sc_search(lib, &so, &res, &d);
    if (e != SC_OK)
        fail_msg("failing allocation %llu: search afterwards: %s", (unsigned long long)n, d.msg);
    if (run->imported && res.total != 1)
        fail_msg("failing allocation %llu: the imported document is missing (total %lld)",
                 (unsigned long long)n, (long long)res.total);
    if (res.total > 1)
        fail_msg("failing allocation %llu: %lld documents", (unsigned long long)n,
                 (long long)res.total);
    sc_results_release(&res);
    sc_library_close(lib);
}

static void rm_rf(const char *dir)
{
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fail_msg("cannot remove %s", dir);
}

static void every_allocation_fails_in_turn(void **state)
{
    (void)state;
    char base[] = "/tmp/sucai-allocfail-XXXXXX";
    assert_non_null(mkdtemp(base));
    char dir[sizeof base + 8];
    snprintf(dir, sizeof dir, "%s/lib", base);

    /* how many allocations a clean run makes */
    struct run clean;
    sc_alloc_fail_at(0, 0);
    one_run(dir, &clean);
    uint64_t total = sc_alloc_count();
    assert_int_equal(clean.open, SC_OK);
    assert_int_equal(clean.import, SC_OK);
    assert_int_equal(clean.search, SC_OK);
    assert_true(clean.imported);
    assert_int_equal(clean.total, 1);
    rm_rf(dir);
    print_message("a clean run makes %llu allocations\n", (unsigned long long)total);

    const char *slow = getenv("SUCAI_SLOW_TESTS");
    uint64_t dense = slow && !strcmp(slow, "1") ? total + 50 : 200;
    uint64_t stride = total / 100 + 1;
    uint64_t runs = 0, failed_runs = 0;
    for (uint64_t n = 1; n <= total + 50; n += n < dense ? 1 : stride) {
        for (int persistent = 0; persistent <= 1; persistent++) {
            struct run r;
            sc_alloc_fail_at(n, persistent);
            one_run(dir, &r);
            uint64_t failed = sc_alloc_failed();
            sc_alloc_fail_at(0, 0);
            runs++;
            if (!r.messages_ok)
                fail_msg("failing allocation %llu%s: an error without a message",
                         (unsigned long long)n, persistent ? " and after" : "");
            if (failed && (r.open != SC_OK || r.import != SC_OK || r.search != SC_OK))
                failed_runs++;
            /* a run whose allocations all succeeded is a clean run */
            if (!failed) {
                assert_int_equal(r.import, SC_OK);
                assert_int_equal(r.total, 1);
            }
            check_after(dir, &r, n);
            rm_rf(dir);
        }
    }
    print_message("%llu runs, %llu ended in an error\n", (unsigned long long)runs,
                  (unsigned long long)failed_runs);
    assert_true(failed_runs > 0); /* the injection reached the code */
    rmdir(base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_allocation_fails_in_turn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
