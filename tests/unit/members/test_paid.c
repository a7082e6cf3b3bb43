/*
 * Unit tests for lib/members/paid.c: who a caller is for the daily
 * allowance of answers with paid matches (account; IPv4 /32; IPv6 /64;
 * all visitors together), taking answers up to each limit, giving the
 * address's answer back when the visitors' ceiling refuses, the new day,
 * the settings, and the search through the library (an allowance used
 * up: paid parts no longer match, and the answer says so).
 */
/* cmocka needs these first, in this order */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include "members_test.h"
#include "sucai/search.h"

static int take(struct tlib *t, const struct sc_principal *p, const char *addr, int64_t *left)
{
    struct sc_caller c;
    sc_caller_init(t->lib, p, addr, &c);
    const char *why;
    return sc_paid_take(t->lib, &c, left, &why);
}

static void addresses(void **state)
{
    struct tlib *t = *state;
    struct sc_principal anon = { 0 };
    struct sc_caller c;
    sc_caller_init(t->lib, &anon, "203.0.113.7", &c);
    assert_string_equal(c.net, "a:203.0.113.7");
    sc_caller_init(t->lib, &anon, "::ffff:203.0.113.7", &c);
    assert_string_equal(c.net, "a:203.0.113.7");
    /* one /64: the host half does not matter */
    sc_caller_init(t->lib, &anon, "2001:db8:1:2:aaaa:bbbb:cccc:dddd", &c);
    assert_string_equal(c.net, "a:2001:db8:1:2::/64");
    sc_caller_init(t->lib, &anon, "[2001:db8:1:2::9]", &c);
    assert_string_equal(c.net, "a:2001:db8:1:2::/64");
    sc_caller_init(t->lib, &anon, "fe80::1%eth0", &c);
    assert_string_equal(c.net, "a:fe80::/64");
    /* what is not an address shares one counter */
    sc_caller_init(t->lib, &anon, "-", &c);
    assert_string_equal(c.net, "a:?");
    sc_caller_init(t->lib, &anon, NULL, &c);
    assert_string_equal(c.net, "a:?");
    assert_int_equal(c.user_id, 0);
    assert_false(c.view.entitled);
    assert_false(c.unmetered);
}

static void allowances(void **state)
{
    struct tlib *t = *state;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_setting_set(t->lib, NULL, "paid.anon", "3", &d), SC_OK);
    assert_int_equal(sc_setting_set(t->lib, NULL, "paid.anon_all", "5", &d), SC_OK);
    assert_int_equal(sc_setting_set(t->lib, NULL, "paid.free", "2", &d), SC_OK);
    struct sc_principal anon = { 0 }, fay;
    add_user(t->lib, "fay", SC_TIER_FREE, 0, 0);
    assert_int_equal(sc_user_principal(t->lib, "fay", &fay, NULL), SC_OK);
    int64_t left;
    /* per address */
    assert_true(take(t, &anon, "10.0.0.1", &left));
    assert_int_equal(left, 2);
    assert_true(take(t, &anon, "10.0.0.1", &left));
    assert_true(take(t, &anon, "10.0.0.1", &left));
    assert_int_equal(left, 0);
    assert_false(take(t, &anon, "10.0.0.1", &left));
    /* another address has its own, under the visitors' ceiling (3 of 5 used) */
    assert_true(take(t, &anon, "10.0.0.2", &left));
    assert_int_equal(left, 1);
    assert_true(take(t, &anon, "2001:db8::1", &left));
    assert_int_equal(left, 0);
    /* the ceiling holds whatever the address; the address's answer is given back */
    assert_false(take(t, &anon, "10.0.0.3", &left));
    assert_int_equal(q_int(t->lib, "SELECT n FROM paid_answers WHERE key = 'a:10.0.0.3'"), 0);
    assert_int_equal(q_int(t->lib, "SELECT n FROM paid_answers WHERE key = '*'"), 5);
    /* an account has its own allowance, not the visitors' */
    assert_true(take(t, &fay, "10.0.0.1", &left));
    assert_int_equal(left, 1);
    assert_true(take(t, &fay, "10.0.0.9", &left));
    assert_false(take(t, &fay, "10.0.0.1", &left));
    struct sc_caller c;
    sc_caller_init(t->lib, &fay, NULL, &c);
    assert_int_equal(sc_paid_left(t->lib, &c), 0);
    /* the operator is never counted */
    sc_caller_operator(t->lib, 0, &c);
    const char *why;
    for (int i = 0; i < 10; i++)
        assert_true(sc_paid_take(t->lib, &c, &left, &why));
    assert_int_equal(left, -1);
    /* a new local day: everything again, and yesterday's rows swept */
    fake_now += 86400;
    assert_true(take(t, &anon, "10.0.0.1", &left));
    assert_int_equal(left, 2);
    assert_int_equal(q_int(t->lib, "SELECT COUNT(*) FROM paid_answers WHERE key = 'a:10.0.0.2'"),
                     0);
    assert_true(take(t, &fay, NULL, &left));
    /* a zero allowance grants nothing */
    assert_int_equal(sc_setting_set(t->lib, NULL, "paid.anon", "0", &d), SC_OK);
    assert_false(take(t, &anon, "10.0.0.7", &left));
}

static void settings(void **state)
{
    struct tlib *t = *state;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_setting_set(t->lib, NULL, "paid.nope", "1", &d), SC_EINVAL);
    assert_non_null(strstr(d.msg, "paid.nope"));
    sc_diag_clear(&d);
    assert_int_equal(sc_setting_set(t->lib, NULL, "paid.headings", "2", &d), SC_EINVAL);
    assert_non_null(strstr(d.msg, "from 0 to 1"));
    assert_int_equal(sc_setting_set(t->lib, NULL, "paid.free", "-1", NULL), SC_EINVAL);
    assert_int_equal(sc_setting_set(t->lib, NULL, "paid.free", "12x", NULL), SC_EINVAL);
    assert_int_equal(sc_setting_set(t->lib, NULL, "paid.free", "", NULL), SC_EINVAL);
    assert_int_equal(sc_setting_int(t->lib, "paid.headings", 0), 0);
    struct sc_principal anon = { 0 };
    struct sc_view v;
    sc_view_of(t->lib, &anon, &v);
    assert_false(v.headings);
    assert_int_equal(sc_setting_set(t->lib, NULL, "paid.headings", "1", NULL), SC_OK);
    sc_view_of(t->lib, &anon, &v);
    assert_true(v.headings);
    assert_false(v.entitled);
    /* the quota settings are the same table as `sucai user quota` */
    assert_int_equal(sc_setting_set(t->lib, NULL, "quota.free", "7", NULL), SC_OK);
    add_user(t->lib, "fay", SC_TIER_FREE, 0, 0);
    struct sc_principal fay;
    assert_int_equal(sc_user_principal(t->lib, "fay", &fay, NULL), SC_OK);
    assert_int_equal(sc_quota_daily(t->lib, &fay), 7);
    struct sc_buf b = SC_BUF_INIT;
    assert_int_equal(sc_settings_list(t->lib, 1, &b, NULL), SC_OK);
    assert_non_null(strstr(b.data, "\"paid.headings\": 1"));
    assert_non_null(strstr(b.data, "\"quota.free\": 7"));
    sc_buf_release(&b);
    assert_int_equal(q_int(t->lib, "SELECT COUNT(*) FROM audit_log WHERE action = 'setting'"), 2);
}

/* Through the library: an anonymous caller's allowance, used up. */
static void search_until_used_up(void **state)
{
    struct tlib *t = *state;
    char file[128];
    snprintf(file, sizeof file, "%s/paid.txt", t->dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("XX局2023年工作总结\n公开的第一段落。\n##paidbegin##付费的秘密段落。\n", f);
    fclose(f);
    struct sc_import_summary sum;
    const char *paths[] = { file };
    assert_int_equal(sc_import_paths(t->lib, paths, 1, NULL, &sum, NULL), SC_OK);
    assert_int_equal(sum.docs, 1);
    assert_int_equal(sc_setting_set(t->lib, NULL, "paid.anon", "2", NULL), SC_OK);
    struct sc_principal anon = { 0 };
    struct sc_caller c;
    sc_caller_init(t->lib, &anon, "198.51.100.4", &c);
    struct sc_search_opts o = { 0 };
    o.query = "秘密";
    o.limit = 10;
    o.caller = &c;
    struct sc_results r;
    struct sc_diag d = { 0 };
    for (int i = 0; i < 2; i++) {
        assert_int_equal(sc_search(t->lib, &o, &r, &d), SC_OK);
        assert_int_equal(r.total, 1);
        assert_true(r.hits[0].paid_only);
        assert_int_equal(r.paid, SC_PAID_FOUND);
        assert_int_equal(r.paid_left, 1 - i);
        sc_results_release(&r);
    }
    assert_int_equal(sc_search(t->lib, &o, &r, &d), SC_OK);
    assert_int_equal(r.total, 0);
    assert_int_equal(r.paid, SC_PAID_FREE_ONLY);
    assert_non_null(strstr(r.paid_why, "used up"));
    struct sc_buf b = SC_BUF_INIT;
    sc_results_json(&b, &r, SC_SEARCH_DOC);
    assert_non_null(strstr(b.data, "\"searched\": false"));
    assert_non_null(strstr(b.data, "\"note\": "));
    sc_buf_release(&b);
    sc_results_release(&r);
    /* free text still matches; a query without a term takes nothing */
    o.query = "公开";
    assert_int_equal(sc_search(t->lib, &o, &r, &d), SC_OK);
    assert_int_equal(r.total, 1);
    sc_results_release(&r);
    int64_t before = q_int(t->lib, "SELECT n FROM paid_answers WHERE key = '*'");
    o.query = "year:2023";
    assert_int_equal(sc_search(t->lib, &o, &r, &d), SC_OK);
    assert_int_equal(r.paid, SC_PAID_FOUND);
    sc_results_release(&r);
    assert_int_equal(q_int(t->lib, "SELECT n FROM paid_answers WHERE key = '*'"), before);
    /* a malformed query takes nothing either */
    o.query = "(秘密";
    assert_int_equal(sc_search(t->lib, &o, &r, &d), SC_EPARSE);
    sc_results_release(&r);
    assert_int_equal(q_int(t->lib, "SELECT n FROM paid_answers WHERE key = '*'"), before);
    /* no caller named: paid parts do not match (the safe default) */
    o.query = "秘密";
    o.caller = NULL;
    sc_caller_init(t->lib, &anon, "198.51.100.5", &c);
    assert_int_equal(sc_search(t->lib, &o, &r, &d), SC_OK);
    assert_int_equal(r.total, 0);
    assert_int_equal(r.paid, SC_PAID_FREE_ONLY);
    sc_results_release(&r);
    /* entitled: everything, nothing counted */
    o.entitled = 1;
    assert_int_equal(sc_search(t->lib, &o, &r, &d), SC_OK);
    assert_int_equal(r.total, 1);
    assert_false(r.hits[0].paid_only);
    assert_int_equal(r.paid, SC_PAID_READ);
    sc_results_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(addresses, tlib_setup, tlib_teardown),
        cmocka_unit_test_setup_teardown(allowances, tlib_setup, tlib_teardown),
        cmocka_unit_test_setup_teardown(settings, tlib_setup, tlib_teardown),
        cmocka_unit_test_setup_teardown(search_until_used_up, tlib_setup, tlib_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
