/*
 * Unit tests for lib/members/quota.c: daily download counting, the limits
 * per tier and their settings, giving back, the reset at LOCAL midnight,
 * and the race for the last download between two connections.
 */
/* cmocka needs these first, in this order */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <pthread.h>
#include <time.h>

#include "members_test.h"

static void user_p(struct tlib *t, const char *name, struct sc_principal *p)
{
    assert_int_equal(sc_user_principal(t->lib, name, p, NULL), SC_OK);
}

static void counting(void **state)
{
    struct tlib *t = *state;
    add_user(t->lib, "fay", SC_TIER_FREE, 0, 0);
    add_user(t->lib, "vic", SC_TIER_VIP, 0, 0);
    add_user(t->lib, "eve", SC_TIER_FREE, 0, SC_ROLE_EDITOR);
    struct sc_principal fay, vic, eve, anon = { 0 };
    user_p(t, "fay", &fay);
    user_p(t, "vic", &vic);
    user_p(t, "eve", &eve);
    int left = -5;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_quota_remaining(t->lib, &fay), 3);
    for (int i = 2; i >= 0; i--) {
        assert_int_equal(sc_quota_take(t->lib, &fay, "export txt 1", "10.0.0.1", &left, NULL),
                         SC_OK);
        assert_int_equal(left, i);
        assert_int_equal(sc_quota_remaining(t->lib, &fay), i);
    }
    assert_int_equal(sc_quota_take(t->lib, &fay, "export txt 1", NULL, &left, &d), SC_ELIMIT);
    assert_string_equal(d.msg, "daily download limit (3) reached");
    assert_int_equal(left, 0);
    /* others have their own counters */
    assert_int_equal(sc_quota_remaining(t->lib, &vic), 30);
    assert_int_equal(sc_quota_take(t->lib, &vic, NULL, NULL, &left, NULL), SC_OK);
    assert_int_equal(left, 29);
    /* editors are unlimited; anonymous may not download at all */
    for (int i = 0; i < 50; i++)
        assert_int_equal(sc_quota_take(t->lib, &eve, NULL, NULL, &left, NULL), SC_OK);
    assert_int_equal(left, -1);
    assert_int_equal(sc_quota_remaining(t->lib, &eve), -1);
    sc_diag_clear(&d);
    assert_int_equal(sc_quota_take(t->lib, &anon, NULL, NULL, &left, &d), SC_EDENIED);
    assert_int_equal(sc_quota_take(t->lib, NULL, NULL, NULL, NULL, NULL), SC_EDENIED);
    assert_int_equal(sc_quota_remaining(t->lib, &anon), 0);
    /* audited, including refusals */
    assert_int_equal(q_int(t->lib, "SELECT count(*) FROM audit_log WHERE action = 'download' "
                                   "AND user_name = 'fay' AND detail = 'export txt 1' "
                                   "AND addr = '10.0.0.1'"),
                     3);
    assert_int_equal(q_int(t->lib, "SELECT count(*) FROM audit_log WHERE "
                                   "action = 'download_refused' AND user_name = 'fay'"),
                     1);
    assert_int_equal(q_int(t->lib, "SELECT count(*) FROM audit_log WHERE "
                                   "action = 'download_refused' AND user_name IS NULL"),
                     2);
    /* the /me view */
    struct sc_buf b = SC_BUF_INIT;
    sc_principal_json(t->lib, &b, &vic, NULL);
    assert_non_null(strstr(b.data, "\"downloads_per_day\":30,\"downloads_left\":29}"));
    sc_buf_release(&b);
}

static void settings_and_give_back(void **state)
{
    struct tlib *t = *state;
    add_user(t->lib, "fay", SC_TIER_FREE, 0, 0);
    add_user(t->lib, "sam", SC_TIER_SVIP, 0, 0);
    struct sc_principal fay, sam;
    user_p(t, "fay", &fay);
    user_p(t, "sam", &sam);
    assert_int_equal(sc_quota_daily(t->lib, &sam), 200);
    assert_int_equal(sc_quota_set(t->lib, NULL, SC_TIER_FREE, 1, NULL), SC_OK);
    assert_int_equal(sc_quota_set(t->lib, NULL, SC_TIER_SVIP, 500, NULL), SC_OK);
    assert_int_equal(sc_quota_daily(t->lib, &fay), 1);
    assert_int_equal(sc_quota_daily(t->lib, &sam), 500);
    assert_int_equal(sc_quota_set(t->lib, NULL, SC_TIER_ANON, 1, NULL), SC_EINVAL);
    assert_int_equal(sc_quota_set(t->lib, NULL, SC_TIER_VIP, -1, NULL), SC_EINVAL);
    assert_int_equal(sc_quota_take(t->lib, &fay, NULL, NULL, NULL, NULL), SC_OK);
    assert_int_equal(sc_quota_take(t->lib, &fay, NULL, NULL, NULL, NULL), SC_ELIMIT);
    /* a download that failed after taking gives its count back */
    sc_quota_give_back(t->lib, &fay);
    assert_int_equal(sc_quota_remaining(t->lib, &fay), 1);
    sc_quota_give_back(t->lib, &fay); /* never below zero */
    assert_int_equal(q_int(t->lib, "SELECT min(n) FROM download_counts"), 0);
    assert_int_equal(sc_quota_take(t->lib, &fay, NULL, NULL, NULL, NULL), SC_OK);
    assert_int_equal(sc_quota_take(t->lib, &fay, NULL, NULL, NULL, NULL), SC_ELIMIT);
    /* quota 0: a tier without downloads */
    assert_int_equal(sc_quota_set(t->lib, NULL, SC_TIER_FREE, 0, NULL), SC_OK);
    add_user(t->lib, "gus", SC_TIER_FREE, 0, 0);
    struct sc_principal gus;
    user_p(t, "gus", &gus);
    assert_int_equal(sc_quota_take(t->lib, &gus, NULL, NULL, NULL, NULL), SC_ELIMIT);
    assert_int_equal(q_int(t->lib, "SELECT count(*) FROM audit_log WHERE action = 'quota'"), 3);
}

/* local time of day (y, m, d, hh:mm:ss) in the current TZ */
static time_t local(int y, int mo, int d, int h, int mi, int s)
{
    struct tm tm = { 0 };
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    tm.tm_isdst = -1;
    return mktime(&tm);
}

static void local_midnight_reset(void **state)
{
    struct tlib *t = *state;
    /* UTC+8 without tzdata: local midnight is 16:00 UTC */
    char *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
    setenv("TZ", "CST-8", 1);
    tzset();
    add_user(t->lib, "fay", SC_TIER_FREE, 0, 0);
    struct sc_principal fay;
    user_p(t, "fay", &fay);
    fake_now = local(2024, 3, 1, 0, 0, 5);
    for (int i = 0; i < 3; i++)
        assert_int_equal(sc_quota_take(t->lib, &fay, NULL, NULL, NULL, NULL), SC_OK);
    assert_int_equal(sc_quota_take(t->lib, &fay, NULL, NULL, NULL, NULL), SC_ELIMIT);
    /* UTC midnight (08:00 local) is not a new day here */
    fake_now = local(2024, 3, 1, 8, 0, 1);
    assert_int_equal(sc_quota_remaining(t->lib, &fay), 0);
    assert_int_equal(sc_quota_take(t->lib, &fay, NULL, NULL, NULL, NULL), SC_ELIMIT);
    fake_now = local(2024, 3, 1, 23, 59, 59);
    assert_int_equal(sc_quota_take(t->lib, &fay, NULL, NULL, NULL, NULL), SC_ELIMIT);
    /* local midnight is */
    fake_now = local(2024, 3, 2, 0, 0, 0);
    assert_int_equal(sc_quota_remaining(t->lib, &fay), 3);
    assert_int_equal(sc_quota_take(t->lib, &fay, NULL, NULL, NULL, NULL), SC_OK);
    assert_int_equal(q_int(t->lib, "SELECT count(*) FROM download_counts WHERE "
                                   "day IN ('2024-03-01', '2024-03-02')"),
                     2);
    if (old) {
        setenv("TZ", old, 1);
        free(old);
    } else {
        unsetenv("TZ");
    }
    tzset();
}

struct racer {
    struct sc_library *lib;
    struct sc_principal p;
    pthread_barrier_t *go;
    int takes;
    int won, lost, other;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    pthread_barrier_wait(r->go);
    for (int i = 0; i < r->takes; i++) {
        enum sc_err e = sc_quota_take(r->lib, &r->p, "race", NULL, NULL, NULL);
        if (e == SC_OK)
            r->won++;
        else if (e == SC_ELIMIT)
            r->lost++;
        else
            r->other++;
    }
    return NULL;
}

/* Two connections (as two processes would have) in two threads. */
static void race_for_the_last_one(void **state)
{
    struct tlib *t = *state;
    struct sc_library *other = tlib_reopen(t);
    assert_non_null(other);
    pthread_barrier_t go;
    char name[32];
    for (int round = 0; round < 20; round++) {
        snprintf(name, sizeof name, "u%d", round);
        add_user(t->lib, name, SC_TIER_FREE, 0, 0);
        struct sc_principal p;
        user_p(t, name, &p);
        /* use two of three: one left */
        assert_int_equal(sc_quota_take(t->lib, &p, NULL, NULL, NULL, NULL), SC_OK);
        assert_int_equal(sc_quota_take(t->lib, &p, NULL, NULL, NULL, NULL), SC_OK);
        pthread_barrier_init(&go, NULL, 2);
        struct racer a = { t->lib, p, &go, 1, 0, 0, 0 };
        struct racer b = { other, p, &go, 1, 0, 0, 0 };
        pthread_t ta, tb;
        assert_int_equal(pthread_create(&ta, NULL, race, &a), 0);
        assert_int_equal(pthread_create(&tb, NULL, race, &b), 0);
        pthread_join(ta, NULL);
        pthread_join(tb, NULL);
        pthread_barrier_destroy(&go);
        assert_int_equal(a.other + b.other, 0);
        if (a.won + b.won != 1 || a.lost + b.lost != 1)
            fail_msg("round %d: won %d+%d lost %d+%d", round, a.won, b.won, a.lost, b.lost);
    }
    /* many at once: exactly the quota succeeds */
    add_user(t->lib, "vic", SC_TIER_VIP, 0, 0);
    struct sc_principal vic;
    user_p(t, "vic", &vic);
    pthread_barrier_init(&go, NULL, 2);
    struct racer a = { t->lib, vic, &go, 25, 0, 0, 0 };
    struct racer b = { other, vic, &go, 25, 0, 0, 0 };
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, race, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, race, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    pthread_barrier_destroy(&go);
    assert_int_equal(a.other + b.other, 0);
    assert_int_equal(a.won + b.won, 30);
    assert_int_equal(a.lost + b.lost, 20);
    assert_int_equal(sc_quota_remaining(other, &vic), 0);
    sc_library_close(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(counting, tlib_setup, tlib_teardown),
        cmocka_unit_test_setup_teardown(settings_and_give_back, tlib_setup, tlib_teardown),
        cmocka_unit_test_setup_teardown(local_midnight_reset, tlib_setup, tlib_teardown),
        cmocka_unit_test_setup_teardown(race_for_the_last_one, tlib_setup, tlib_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
