/*
 * Unit tests for lib/members/: accounts and password hashing, login (the
 * generic error, throttling and back-off), sessions (expiry, logout,
 * fixation, CSRF), disabled accounts, API tokens and the audit log.
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

static int has_audit(struct sc_library *lib, const char *action, const char *detail_like)
{
    struct sc_stmt *st = NULL;
    int n = 0;
    if (sc_stmt_prepare(lib->db,
                        "SELECT count(*) FROM audit_log WHERE action = ?1 AND "
                        "coalesce(detail, '') LIKE ?2",
                        &st) == SC_STORE_OK) {
        sc_stmt_bind_text(st, 1, action, -1);
        sc_stmt_bind_text(st, 2, detail_like ? detail_like : "%", -1);
        if (sc_stmt_step(st) == SC_STORE_ROW)
            n = sc_stmt_column_int(st, 0);
    }
    sc_stmt_finalize(st);
    return n;
}

static void user_add_and_list(void **state)
{
    struct tlib *t = *state;
    struct sc_diag d = { 0 };
    add_user(t->lib, "amy", SC_TIER_VIP, 365, 0);
    add_user(t->lib, "王编辑", SC_TIER_FREE, 0, SC_ROLE_EDITOR);
    assert_int_equal(sc_user_add(t->lib, NULL, "AMY", "another pw", SC_TIER_FREE, 0, 0, &d),
                     SC_EDUPLICATE);
    assert_non_null(strstr(d.msg, "already exists"));
    sc_diag_clear(&d);
    assert_int_equal(sc_user_add(t->lib, NULL, "bob", "short", SC_TIER_FREE, 0, 0, &d), SC_EINVAL);
    sc_diag_clear(&d);
    assert_int_equal(sc_user_add(t->lib, NULL, "b b", "long enough", SC_TIER_FREE, 0, 0, &d),
                     SC_EINVAL);
    assert_int_equal(sc_user_add(t->lib, NULL, "bob", "long enough", SC_TIER_ANON, 0, 0, NULL),
                     SC_EINVAL);
    assert_int_equal(sc_user_add(t->lib, NULL, "bob", "long enough", SC_TIER_VIP, -1, 0, NULL),
                     SC_EINVAL);
    assert_int_equal(sc_user_add(t->lib, NULL, "bob", "long enough", SC_TIER_VIP, 1, 0x10, NULL),
                     SC_EINVAL);
    assert_int_equal(q_int(t->lib, "SELECT count(*) FROM users"), 2);

    struct sc_principal p;
    assert_int_equal(sc_user_principal(t->lib, "amy", &p, NULL), SC_OK);
    assert_int_equal(p.tier, SC_TIER_VIP);
    assert_int_equal(p.tier_expires, fake_now + 365 * 86400);
    assert_int_equal(sc_user_principal(t->lib, "nobody", &p, NULL), SC_ENOTFOUND);
    assert_int_equal(p.tier, SC_TIER_ANON);

    struct sc_user_rows rows;
    assert_int_equal(sc_user_list(t->lib, &rows, NULL), SC_OK);
    assert_int_equal(rows.n, 2);
    const struct sc_user_row *amy = NULL, *wang = NULL;
    for (size_t i = 0; i < rows.n; i++) {
        if (!strcmp(rows.v[i].name, "amy"))
            amy = &rows.v[i];
        if (!strcmp(rows.v[i].name, "王编辑"))
            wang = &rows.v[i];
    }
    assert_non_null(amy);
    assert_non_null(wang);
    assert_string_equal(amy->tier, "vip");
    assert_int_equal(amy->effective, SC_TIER_VIP);
    assert_int_equal(amy->tier_expires, fake_now + 365 * 86400);
    assert_string_equal(sc_roles_name(wang->roles), "editor");
    assert_int_equal(amy->disabled, 0);
    sc_user_rows_release(&rows);
    assert_null(rows.v);
    assert_int_equal(rows.n, 0);
    assert_int_equal(has_audit(t->lib, "user_add", "user=amy tier=vip%"), 1);
}

static void password_hashing(void **state)
{
    struct tlib *t = *state;
    add_user(t->lib, "amy", SC_TIER_FREE, 0, 0);
    add_user(t->lib, "bea", SC_TIER_FREE, 0, 0);
    struct sc_stmt *st = NULL;
    assert_int_equal(sc_stmt_prepare(t->lib->db, "SELECT pwhash FROM users ORDER BY id", &st),
                     SC_STORE_OK);
    assert_int_equal(sc_stmt_step(st), SC_STORE_ROW);
    char h1[128];
    snprintf(h1, sizeof h1, "%s", sc_stmt_column_text(st, 0));
    assert_int_equal(sc_stmt_step(st), SC_STORE_ROW);
    const char *h2 = sc_stmt_column_text(st, 0);
    assert_int_equal(strncmp(h1, "$argon2id$", 10), 0);
    assert_string_not_equal(h1, h2); /* same password, different salts */
    assert_null(strstr(h1, "correct horse"));
    assert_int_equal(sc_pw_verify(h1, "correct horse"), 1);
    assert_int_equal(sc_pw_verify(h1, "correct horse "), 0);
    assert_int_equal(sc_pw_verify(h1, ""), 0);
    assert_int_equal(sc_pw_verify(NULL, "correct horse"), 0); /* the dummy never matches */
    sc_stmt_finalize(st);
}

static void login_and_session(void **state)
{
    struct tlib *t = *state;
    add_user(t->lib, "amy", SC_TIER_VIP, 30, 0);
    struct sc_login_result r, r2;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", "10.0.0.1", &r, &d), SC_OK);
    assert_int_equal(strlen(r.session_id), 64);
    assert_int_equal(strspn(r.session_id, "0123456789abcdef"), 64);
    assert_int_equal(strlen(r.csrf), 64);
    assert_string_not_equal(r.session_id, r.csrf);
    assert_string_equal(r.principal.name, "amy");
    assert_int_equal(r.principal.tier, SC_TIER_VIP);
    assert_int_equal(r.expires, fake_now + SC_SESSION_IDLE_SECONDS);
    /* names are case-insensitive; each login makes a new id */
    assert_int_equal(sc_login(t->lib, "AMY", "correct horse", "10.0.0.1", &r2, NULL), SC_OK);
    assert_string_not_equal(r.session_id, r2.session_id);

    struct sc_principal p;
    assert_int_equal(sc_session_principal(t->lib, r.session_id, &p), 1);
    assert_string_equal(p.name, "amy");
    assert_int_equal(sc_may(&p, SC_ACT_READ_PAID), 1);
    /* only the hash is stored */
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM sessions WHERE id_hash = '%s'", r.session_id);
    assert_int_equal(q_int(t->lib, sql), 0);
    char h[65];
    sc_sha256_hex(r.session_id, 64, h);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM sessions WHERE id_hash = '%s'", h);
    assert_int_equal(q_int(t->lib, sql), 1);

    /* a tier change shows on the next request */
    assert_int_equal(sc_user_set_tier(t->lib, NULL, "amy", SC_TIER_FREE, 0, NULL), SC_OK);
    assert_int_equal(sc_session_principal(t->lib, r.session_id, &p), 1);
    assert_int_equal(p.tier, SC_TIER_FREE);
    assert_int_equal(sc_may(&p, SC_ACT_READ_PAID), 0);
    assert_int_equal(has_audit(t->lib, "tier", "user=amy tier=free"), 1);

    /* logout */
    assert_int_equal(sc_session_end(t->lib, r.session_id, "10.0.0.1"), SC_OK);
    assert_int_equal(sc_session_principal(t->lib, r.session_id, &p), 0);
    assert_int_equal(p.tier, SC_TIER_ANON);
    assert_int_equal(p.user_id, 0);
    assert_int_equal(sc_session_principal(t->lib, r2.session_id, &p), 1);
    assert_int_equal(sc_session_end(t->lib, r.session_id, NULL), SC_OK); /* again: no-op */
    assert_int_equal(has_audit(t->lib, "login", NULL), 2);
    assert_int_equal(has_audit(t->lib, "logout", NULL), 1);
}

static void session_fixation_and_garbage(void **state)
{
    struct tlib *t = *state;
    add_user(t->lib, "amy", SC_TIER_VIP, 0, 0);
    struct sc_principal p;
    /* an id the client made up (well-formed) is not a session */
    const char *planted = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    assert_int_equal(sc_session_principal(t->lib, planted, &p), 0);
    struct sc_login_result r;
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", NULL, &r, NULL), SC_OK);
    assert_string_not_equal(r.session_id, planted);
    assert_int_equal(sc_session_principal(t->lib, planted, &p), 0);
    assert_int_equal(p.tier, SC_TIER_ANON);
    /* malformed ids */
    assert_int_equal(sc_session_principal(t->lib, NULL, &p), 0);
    assert_int_equal(sc_session_principal(t->lib, "", &p), 0);
    assert_int_equal(sc_session_principal(t->lib, "' OR 1=1 --", &p), 0);
    char upper[65];
    snprintf(upper, sizeof upper, "%s", r.session_id);
    for (char *c = upper; *c; c++)
        if (*c >= 'a' && *c <= 'f')
            *c = (char)(*c - 'a' + 'A');
    if (strcmp(upper, r.session_id))
        assert_int_equal(sc_session_principal(t->lib, upper, &p), 0);
    char longer[70];
    snprintf(longer, sizeof longer, "%s0", r.session_id);
    assert_int_equal(sc_session_principal(t->lib, longer, &p), 0);
    assert_int_equal(sc_session_principal(t->lib, r.session_id, &p), 1);
}

static void session_expiry(void **state)
{
    struct tlib *t = *state;
    add_user(t->lib, "amy", SC_TIER_VIP, 0, 0);
    struct sc_login_result r;
    struct sc_principal p;
    time_t start = fake_now;
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", NULL, &r, NULL), SC_OK);
    /* sliding: used every 6 days, it lives on ... */
    fake_now = start + 6 * 86400;
    assert_int_equal(sc_session_principal(t->lib, r.session_id, &p), 1);
    fake_now = start + 12 * 86400;
    assert_int_equal(sc_session_principal(t->lib, r.session_id, &p), 1);
    /* ... but not after 7 idle days */
    fake_now = start + 12 * 86400 + SC_SESSION_IDLE_SECONDS;
    assert_int_equal(sc_session_principal(t->lib, r.session_id, &p), 0);
    assert_int_equal(p.tier, SC_TIER_ANON);

    /* and never past the absolute limit, however often it is used */
    fake_now = start;
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", NULL, &r, NULL), SC_OK);
    for (int day = 1; day < 30; day++) {
        fake_now = start + day * 86400;
        assert_int_equal(sc_session_principal(t->lib, r.session_id, &p), 1);
    }
    fake_now = start + SC_SESSION_MAX_SECONDS;
    assert_int_equal(sc_session_principal(t->lib, r.session_id, &p), 0);

    /* expiry set in the past directly in the store */
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", NULL, &r, NULL), SC_OK);
    assert_int_equal(sc_session_principal(t->lib, r.session_id, &p), 1);
    q_exec(t->lib, "UPDATE sessions SET seen = seen - 8 * 86400");
    assert_int_equal(sc_session_principal(t->lib, r.session_id, &p), 0);
    assert_int_equal(sc_session_check_csrf(t->lib, r.session_id, r.csrf), 0);
    /* a new login sweeps dead sessions away */
    struct sc_login_result r2;
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", NULL, &r2, NULL), SC_OK);
    assert_int_equal(q_int(t->lib, "SELECT count(*) FROM sessions"), 1);
}

static void csrf(void **state)
{
    struct tlib *t = *state;
    add_user(t->lib, "amy", SC_TIER_FREE, 0, 0);
    add_user(t->lib, "bea", SC_TIER_FREE, 0, 0);
    struct sc_login_result a, b;
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", NULL, &a, NULL), SC_OK);
    assert_int_equal(sc_login(t->lib, "bea", "correct horse", NULL, &b, NULL), SC_OK);
    assert_int_equal(sc_session_check_csrf(t->lib, a.session_id, a.csrf), 1);
    assert_int_equal(sc_session_check_csrf(t->lib, b.session_id, b.csrf), 1);
    assert_int_equal(sc_session_check_csrf(t->lib, a.session_id, b.csrf), 0);
    assert_int_equal(sc_session_check_csrf(t->lib, a.session_id, NULL), 0);
    assert_int_equal(sc_session_check_csrf(t->lib, a.session_id, ""), 0);
    assert_int_equal(sc_session_check_csrf(t->lib, a.session_id, a.session_id), 0);
    char bad[65];
    memcpy(bad, a.csrf, sizeof bad);
    bad[10] = bad[10] == '0' ? '1' : '0';
    assert_int_equal(sc_session_check_csrf(t->lib, a.session_id, bad), 0);
    char derived[65];
    sc_session_csrf(a.session_id, derived);
    assert_string_equal(derived, a.csrf); /* what /me hands out again */
    /* a token for a session that ended is refused */
    assert_int_equal(sc_session_end(t->lib, a.session_id, NULL), SC_OK);
    assert_int_equal(sc_session_check_csrf(t->lib, a.session_id, a.csrf), 0);
}

static void wrong_password_and_unknown_user_alike(void **state)
{
    struct tlib *t = *state;
    add_user(t->lib, "amy", SC_TIER_FREE, 0, 0);
    struct sc_login_result r;
    struct sc_diag d1 = { 0 }, d2 = { 0 }, d3 = { 0 };
    enum sc_err e1 = sc_login(t->lib, "amy", "wrong password", "10.0.0.1", &r, &d1);
    enum sc_err e2 = sc_login(t->lib, "zed", "wrong password", "10.0.0.1", &r, &d2);
    enum sc_err e3 = sc_login(t->lib, "bad name:", "correct horse", "10.0.0.1", &r, &d3);
    assert_int_equal(e1, SC_EDENIED);
    assert_int_equal(e2, SC_EDENIED);
    assert_int_equal(e3, SC_EDENIED);
    assert_string_equal(d1.msg, "wrong name or password");
    assert_string_equal(d2.msg, d1.msg);
    assert_string_equal(d3.msg, d1.msg);
    assert_int_equal(r.session_id[0], '\0');
    assert_int_equal(r.principal.tier, SC_TIER_ANON);
    assert_int_equal(has_audit(t->lib, "login_failed", "name=amy"), 1);
    assert_int_equal(has_audit(t->lib, "login_failed", "name=zed"), 1);
    assert_int_equal(has_audit(t->lib, "login_failed", "%horse%"), 0);
    assert_int_equal(has_audit(t->lib, "login_failed", "%wrong password%"), 0);
}

static double elapsed(struct timespec a, struct timespec b)
{
    return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

/* With the real (INTERACTIVE) cost an unknown name must cost as much as a
 * wrong password: the dummy hash is verified. */
static void unknown_user_timing(void **state)
{
    struct tlib *t = *state;
    sc_members_fast_hash = 0;
    const char *env = getenv("SUCAI_PWHASH_FAST");
    if (env && !strcmp(env, "1"))
        skip(); /* the environment forces the cheap hash */
    add_user(t->lib, "amy", SC_TIER_FREE, 0, 0);
    struct sc_login_result r;
    struct timespec t0, t1, t2;
    /* warm the dummy hash */
    assert_int_equal(sc_login(t->lib, "nobody", "x-password", NULL, &r, NULL), SC_EDENIED);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(sc_login(t->lib, "amy", "x-password", NULL, &r, NULL), SC_EDENIED);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_int_equal(sc_login(t->lib, "zed", "x-password", NULL, &r, NULL), SC_EDENIED);
    clock_gettime(CLOCK_MONOTONIC, &t2);
    double known = elapsed(t0, t1), unknown = elapsed(t1, t2);
    /* a wrong password costs real work; an unknown name must too (loose:
     * the machine is shared, but skipping the hash would be ~1000x faster) */
    assert_true(known > 0.005);
    if (unknown < known * 0.25 || unknown > known * 4)
        fail_msg("known %.3fs vs unknown %.3fs", known, unknown);
    sc_members_fast_hash = 1;
}

static void throttle_and_backoff(void **state)
{
    struct tlib *t = *state;
    add_user(t->lib, "amy", SC_TIER_FREE, 0, 0);
    struct sc_login_result r;
    struct sc_diag d = { 0 };
    for (int i = 0; i < SC_LOGIN_FREE_FAILURES; i++)
        assert_int_equal(sc_login(t->lib, "amy", "bad guess", "10.0.0.1", &r, NULL), SC_EDENIED);
    /* refused from that address, even with the right password */
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", "10.0.0.1", &r, &d), SC_ELIMIT);
    assert_string_equal(d.msg, "too many attempts, try again in 30 s");
    assert_int_equal(has_audit(t->lib, "login_refused", "name=amy (throttled)"), 1);
    /* refused attempts are not counted as failures */
    assert_int_equal(
        q_int(t->lib, "SELECT count(*) FROM login_failures WHERE key = 'p:amy|10.0.0.1'"),
        SC_LOGIN_FREE_FAILURES);
    /* the owner elsewhere is not locked out */
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", "10.0.0.2", &r, NULL), SC_OK);
    fake_now += 10;
    sc_diag_clear(&d);
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", "10.0.0.1", &r, &d), SC_ELIMIT);
    assert_string_equal(d.msg, "too many attempts, try again in 20 s");
    /* after the wait one more guess; a failure doubles the wait */
    fake_now += 20;
    assert_int_equal(sc_login(t->lib, "amy", "bad guess", "10.0.0.1", &r, NULL), SC_EDENIED);
    sc_diag_clear(&d);
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", "10.0.0.1", &r, &d), SC_ELIMIT);
    assert_string_equal(d.msg, "too many attempts, try again in 60 s");
    fake_now += 60;
    assert_int_equal(sc_login(t->lib, "amy", "bad guess", "10.0.0.1", &r, NULL), SC_EDENIED);
    sc_diag_clear(&d);
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", "10.0.0.1", &r, &d), SC_ELIMIT);
    assert_string_equal(d.msg, "too many attempts, try again in 120 s");
    /* the name is what counts, case-insensitively; one IPv6 /64 is one address */
    assert_int_equal(sc_login(t->lib, "AMY", "correct horse", "10.0.0.1", &r, NULL), SC_ELIMIT);
    for (int i = 0; i < SC_LOGIN_FREE_FAILURES; i++)
        assert_int_equal(sc_login(t->lib, "amy", "bad guess", "2001:db8::1", &r, NULL),
                         SC_EDENIED);
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", "2001:db8::ffff", &r, NULL),
                     SC_ELIMIT);
    /* after the wait the right password works and clears that address's count */
    fake_now += 120;
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", "10.0.0.1", &r, NULL), SC_OK);
    assert_int_equal(
        q_int(t->lib, "SELECT count(*) FROM login_failures WHERE key = 'p:amy|10.0.0.1'"), 0);
    assert_int_equal(sc_login(t->lib, "amy", "bad guess", "10.0.0.1", &r, NULL), SC_EDENIED);

    /* unknown names are throttled the same way (nothing to learn) */
    for (int i = 0; i < SC_LOGIN_FREE_FAILURES; i++)
        assert_int_equal(sc_login(t->lib, "ghost", "bad guess", NULL, &r, NULL), SC_EDENIED);
    assert_int_equal(sc_login(t->lib, "ghost", "bad guess", NULL, &r, NULL), SC_ELIMIT);

    /* the wait is capped at an hour */
    q_exec(t->lib, "DELETE FROM login_failures");
    for (int i = 0; i < 20; i++)
        q_exec(t->lib, "INSERT INTO login_failures VALUES('p:amy|10.0.0.1', 1700000000)");
    fake_now = 1700000000;
    sc_diag_clear(&d);
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", "10.0.0.1", &r, &d), SC_ELIMIT);
    assert_string_equal(d.msg, "too many attempts, try again in 3600 s");
    /* failures older than a day are forgotten */
    fake_now += 86400 + 1;
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", "10.0.0.1", &r, NULL), SC_OK);
}

static unsigned SLEPT, SLOWED;
static void count_sleep(unsigned ms)
{
    SLEPT += ms;
    SLOWED++;
}

/* Guessing one name from many addresses: each address is throttled, the
 * name's own count only slows every attempt for it, and the owner still
 * gets in. */
static void throttle_distributed(void **state)
{
    struct tlib *t = *state;
    add_user(t->lib, "amy", SC_TIER_FREE, 0, 0);
    void (*saved)(unsigned) = sc_members_sleep_ms;
    sc_members_sleep_ms = count_sleep;
    SLEPT = SLOWED = 0;
    struct sc_login_result r;
    char addr[32];
    int denied = 0, limited = 0;
    for (int a = 0; a < 2 * SC_LOGIN_SLOW_FAILURES / SC_LOGIN_FREE_FAILURES + 10; a++) {
        snprintf(addr, sizeof addr, "198.51.%d.%d", a / 200, a % 200);
        for (int i = 0; i < SC_LOGIN_FREE_FAILURES + 2; i++) {
            enum sc_err e = sc_login(t->lib, "amy", "bad guess", addr, &r, NULL);
            denied += e == SC_EDENIED;
            limited += e == SC_ELIMIT;
        }
    }
    /* every address got its five, no more */
    assert_int_equal(denied, (2 * SC_LOGIN_SLOW_FAILURES / SC_LOGIN_FREE_FAILURES + 10) *
                                 SC_LOGIN_FREE_FAILURES);
    assert_int_equal(limited, (2 * SC_LOGIN_SLOW_FAILURES / SC_LOGIN_FREE_FAILURES + 10) * 2);
    /* past SC_LOGIN_SLOW_FAILURES from anywhere, attempts were slowed */
    assert_true(SLOWED >= (unsigned)SC_LOGIN_SLOW_FAILURES);
    assert_true(SLEPT >= (unsigned)SC_LOGIN_SLOW_FAILURES * SC_LOGIN_SLOW_MS);
    /* the owner, from home: slowed, not refused */
    unsigned before = SLOWED;
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", "203.0.113.5", &r, NULL), SC_OK);
    assert_int_equal(SLOWED, before + 1);
    /* the slowing is capped */
    q_exec(t->lib, "DELETE FROM login_failures");
    for (int i = 0; i < 20 * SC_LOGIN_SLOW_FAILURES; i++)
        q_exec(t->lib, "INSERT INTO login_failures VALUES('u:amy', 1700000000)");
    SLEPT = SLOWED = 0;
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", "203.0.113.5", &r, NULL), SC_OK);
    assert_int_equal(SLEPT, SC_LOGIN_SLOW_MAX_MS);
    sc_members_sleep_ms = saved;
}

static void throttle_per_address(void **state)
{
    struct tlib *t = *state;
    add_user(t->lib, "amy", SC_TIER_FREE, 0, 0);
    struct sc_login_result r;
    char name[32];
    /* one address spraying many names */
    for (int i = 0; i < SC_LOGIN_FREE_FAILURES_ADDR; i++) {
        snprintf(name, sizeof name, "user%d", i);
        assert_int_equal(sc_login(t->lib, name, "bad guess", "192.0.2.7", &r, NULL), SC_EDENIED);
    }
    struct sc_diag d = { 0 };
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", "192.0.2.7", &r, &d), SC_ELIMIT);
    assert_non_null(strstr(d.msg, "too many attempts"));
    /* other addresses are not affected */
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", "192.0.2.8", &r, NULL), SC_OK);
    /* and the other process sees the same counts (they live in the store) */
    struct sc_library *other = tlib_reopen(t);
    assert_non_null(other);
    assert_int_equal(sc_login(other, "amy", "correct horse", "192.0.2.7", &r, NULL), SC_ELIMIT);
    sc_library_close(other);
}

struct guesser {
    struct sc_library *lib;
    pthread_barrier_t *go;
    int denied, limited, other;
};

static void *guess(void *arg)
{
    struct guesser *g = arg;
    struct sc_login_result r;
    pthread_barrier_wait(g->go);
    for (int i = 0; i < 6; i++) {
        enum sc_err e = sc_login(g->lib, "amy", "bad guess", "10.1.1.1", &r, NULL);
        if (e == SC_EDENIED)
            g->denied++;
        else if (e == SC_ELIMIT)
            g->limited++;
        else
            g->other++;
    }
    return NULL;
}

/* Parallel guesses on two connections cannot slip under the limit: each
 * attempt is recorded before its password is checked. */
static void throttle_parallel(void **state)
{
    struct tlib *t = *state;
    add_user(t->lib, "amy", SC_TIER_FREE, 0, 0);
    struct sc_library *other = tlib_reopen(t);
    assert_non_null(other);
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, 2);
    struct guesser a = { t->lib, &go, 0, 0, 0 }, b = { other, &go, 0, 0, 0 };
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, guess, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, guess, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    pthread_barrier_destroy(&go);
    sc_library_close(other);
    assert_int_equal(a.other + b.other, 0);
    assert_int_equal(a.denied + b.denied, SC_LOGIN_FREE_FAILURES);
    assert_int_equal(a.limited + b.limited, 12 - SC_LOGIN_FREE_FAILURES);
}

static void disabled_user(void **state)
{
    struct tlib *t = *state;
    add_user(t->lib, "amy", SC_TIER_VIP, 0, 0);
    struct sc_login_result r;
    struct sc_principal p;
    char *tok = NULL;
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", NULL, &r, NULL), SC_OK);
    assert_int_equal(sc_token_create(t->lib, NULL, "amy", "ci", &tok, NULL, NULL), SC_OK);
    assert_int_equal(sc_token_principal(t->lib, tok, &p), 1);

    assert_int_equal(sc_user_set_disabled(t->lib, NULL, "amy", 1, NULL), SC_OK);
    assert_int_equal(sc_session_principal(t->lib, r.session_id, &p), 0);
    assert_int_equal(sc_token_principal(t->lib, tok, &p), 0);
    assert_int_equal(p.tier, SC_TIER_ANON);
    struct sc_diag d = { 0 };
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", NULL, &r, &d), SC_EDENIED);
    assert_string_equal(d.msg, "this account is disabled");
    sc_diag_clear(&d);
    assert_int_equal(sc_login(t->lib, "amy", "bad guess", NULL, &r, &d), SC_EDENIED);
    assert_string_equal(d.msg, "wrong name or password");
    assert_int_equal(sc_user_principal(t->lib, "amy", &p, NULL), SC_EDENIED);
    char *tok2 = (char *)"unchanged";
    assert_int_equal(sc_token_create(t->lib, NULL, "amy", NULL, &tok2, NULL, NULL), SC_EDENIED);
    assert_null(tok2);

    assert_int_equal(sc_user_set_disabled(t->lib, NULL, "amy", 0, NULL), SC_OK);
    assert_int_equal(sc_token_principal(t->lib, tok, &p), 1); /* tokens resume */
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", NULL, &r, NULL), SC_OK);
    assert_int_equal(sc_user_set_disabled(t->lib, NULL, "nobody", 1, NULL), SC_ENOTFOUND);
    assert_int_equal(has_audit(t->lib, "user_disable", "user=amy"), 1);
    assert_int_equal(has_audit(t->lib, "user_enable", "user=amy"), 1);
    free(tok);
}

static void change_password(void **state)
{
    struct tlib *t = *state;
    add_user(t->lib, "amy", SC_TIER_FREE, 0, 0);
    struct sc_login_result r, r2;
    struct sc_principal p;
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", NULL, &r, NULL), SC_OK);
    assert_int_equal(sc_user_set_password(t->lib, NULL, "amy", "tiny", NULL), SC_EINVAL);
    assert_int_equal(sc_user_set_password(t->lib, NULL, "amy", "battery staple", NULL), SC_OK);
    assert_int_equal(sc_session_principal(t->lib, r.session_id, &p), 0);
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", NULL, &r2, NULL), SC_EDENIED);
    assert_int_equal(sc_login(t->lib, "amy", "battery staple", NULL, &r2, NULL), SC_OK);
    assert_int_equal(sc_user_set_password(t->lib, NULL, "zed", "battery staple", NULL),
                     SC_ENOTFOUND);
}

static void tier_expiry(void **state)
{
    struct tlib *t = *state;
    add_user(t->lib, "amy", SC_TIER_FREE, 0, 0);
    assert_int_equal(sc_user_set_tier(t->lib, NULL, "amy", SC_TIER_SVIP, 2, NULL), SC_OK);
    struct sc_login_result r;
    struct sc_principal p;
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", NULL, &r, NULL), SC_OK);
    assert_int_equal(r.principal.tier, SC_TIER_SVIP);
    fake_now += 2 * 86400 - 1;
    assert_int_equal(sc_session_principal(t->lib, r.session_id, &p), 1);
    assert_int_equal(p.tier, SC_TIER_SVIP);
    fake_now += 1;
    assert_int_equal(sc_session_principal(t->lib, r.session_id, &p), 1);
    assert_int_equal(p.tier, SC_TIER_FREE); /* expired vip/svip is free */
    assert_int_equal(sc_may(&p, SC_ACT_READ_PAID), 0);
    assert_int_equal(sc_user_set_tier(t->lib, NULL, "amy", SC_TIER_VIP, 0, NULL), SC_OK);
    assert_int_equal(sc_session_principal(t->lib, r.session_id, &p), 1);
    assert_int_equal(p.tier, SC_TIER_VIP);
    assert_int_equal(p.tier_expires, 0);
    assert_int_equal(sc_user_set_tier(t->lib, NULL, "zed", SC_TIER_VIP, 0, NULL), SC_ENOTFOUND);
    assert_int_equal(sc_user_set_tier(t->lib, NULL, "amy", SC_TIER_ANON, 0, NULL), SC_EINVAL);
    /* roles */
    assert_int_equal(sc_user_set_roles(t->lib, NULL, "amy", SC_ROLE_ADMIN, NULL), SC_OK);
    assert_int_equal(sc_session_principal(t->lib, r.session_id, &p), 1);
    assert_int_equal(sc_may(&p, SC_ACT_ADMIN), 1);
    assert_int_equal(sc_user_set_roles(t->lib, NULL, "amy", 0, NULL), SC_OK);
    assert_int_equal(sc_session_principal(t->lib, r.session_id, &p), 1);
    assert_int_equal(sc_may(&p, SC_ACT_ADMIN), 0);
}

static void tokens(void **state)
{
    struct tlib *t = *state;
    add_user(t->lib, "amy", SC_TIER_VIP, 0, SC_ROLE_EDITOR);
    add_user(t->lib, "bea", SC_TIER_FREE, 0, 0);
    char *t1 = NULL, *t2 = NULL;
    int64_t id1 = 0, id2 = 0;
    assert_int_equal(sc_token_create(t->lib, NULL, "amy", "nightly import", &t1, &id1, NULL),
                     SC_OK);
    assert_int_equal(sc_token_create(t->lib, NULL, "bea", NULL, &t2, &id2, NULL), SC_OK);
    assert_int_equal(strlen(t1), 68);
    assert_int_equal(strncmp(t1, "sct_", 4), 0);
    assert_true(id2 > id1);
    struct sc_principal p;
    assert_int_equal(sc_token_principal(t->lib, t1, &p), 1);
    assert_string_equal(p.name, "amy");
    assert_int_equal(sc_may(&p, SC_ACT_IMPORT), 1);
    assert_int_equal(sc_token_principal(t->lib, t2, &p), 1);
    assert_string_equal(p.name, "bea");
    /* stored hashed; list shows no secret */
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM api_tokens WHERE hash = '%s'", t1 + 4);
    assert_int_equal(q_int(t->lib, sql), 0);
    struct sc_token_rows rows;
    assert_int_equal(sc_token_list(t->lib, &rows, NULL), SC_OK);
    assert_int_equal(rows.n, 2);
    int labelled = 0;
    for (size_t i = 0; i < rows.n; i++) {
        assert_true(!rows.v[i].label || !strstr(rows.v[i].label, t1 + 4));
        if (rows.v[i].label && !strcmp(rows.v[i].label, "nightly import")) {
            labelled++;
            assert_int_equal(rows.v[i].id, id1);
            assert_string_equal(rows.v[i].user, "amy");
        }
        assert_int_equal(rows.v[i].revoked, 0);
    }
    assert_int_equal(labelled, 1);
    sc_token_rows_release(&rows);
    /* near-misses are not tokens */
    char bad[69];
    memcpy(bad, t1, sizeof bad);
    bad[20] = bad[20] == 'a' ? 'b' : 'a';
    assert_int_equal(sc_token_principal(t->lib, bad, &p), 0);
    assert_int_equal(sc_token_principal(t->lib, t1 + 4, &p), 0);
    assert_int_equal(sc_token_principal(t->lib, "", &p), 0);
    assert_int_equal(sc_token_principal(t->lib, NULL, &p), 0);
    /* revoke by number, then by the token itself */
    char idtxt[24];
    snprintf(idtxt, sizeof idtxt, "%lld", (long long)id1);
    assert_int_equal(sc_token_revoke(t->lib, NULL, idtxt, NULL), SC_OK);
    assert_int_equal(sc_token_principal(t->lib, t1, &p), 0);
    assert_int_equal(p.tier, SC_TIER_ANON);
    assert_int_equal(sc_token_revoke(t->lib, NULL, idtxt, NULL), SC_ENOTFOUND);
    assert_int_equal(sc_token_revoke(t->lib, NULL, t2, NULL), SC_OK);
    assert_int_equal(sc_token_principal(t->lib, t2, &p), 0);
    assert_int_equal(sc_token_revoke(t->lib, NULL, "999", NULL), SC_ENOTFOUND);
    assert_int_equal(sc_token_revoke(t->lib, NULL, "nonsense", NULL), SC_EINVAL);
    free(t2);
    assert_int_equal(sc_token_create(t->lib, NULL, "zed", NULL, &t2, NULL, NULL), SC_ENOTFOUND);
    assert_null(t2);
    assert_int_equal(has_audit(t->lib, "token_create", "user=amy%"), 1);
    assert_int_equal(has_audit(t->lib, "token_revoke", NULL), 2);
    free(t1);
}

static void audit_log(void **state)
{
    struct tlib *t = *state;
    add_user(t->lib, "amy", SC_TIER_VIP, 0, 0);
    struct sc_login_result r;
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", "203.0.113.9", &r, NULL), SC_OK);
    assert_int_equal(sc_audit(t->lib, &r.principal, "import", "2 files, 5 docs", "203.0.113.9"),
                     SC_OK);
    assert_int_equal(sc_audit(t->lib, NULL, "", NULL, NULL), SC_EINVAL);
    /* client text with quotes, newlines and an over-long detail */
    char big[3000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    memcpy(big, "a\"b\nc", 5);
    assert_int_equal(sc_audit(t->lib, NULL, "import", big, "1.2.3.4\n"), SC_OK);
    assert_int_equal(q_int(t->lib, "SELECT max(length(detail)) FROM audit_log"), 1000);

    struct sc_audit_rows rows;
    assert_int_equal(sc_audit_list(t->lib, 2, &rows, NULL), SC_OK);
    assert_int_equal(rows.n, 2); /* limit 2, newest first */
    assert_true(rows.v[0].id > rows.v[1].id);
    assert_null(rows.v[0].user);
    assert_string_equal(rows.v[0].addr, "1.2.3.4\n"); /* as sent: the lists clean it */
    assert_int_equal(strncmp(rows.v[0].detail, "a\"b\nc", 5), 0);
    assert_int_equal(strlen(rows.v[0].detail), 1000);
    assert_string_equal(rows.v[1].user, "amy");
    assert_string_equal(rows.v[1].action, "import");
    assert_string_equal(rows.v[1].detail, "2 files, 5 docs");
    char at[SC_UTC_LEN];
    sc_utc_format(rows.v[1].at, at);
    assert_string_equal(at, "2023-11-14T22:13:20Z");
    sc_audit_rows_release(&rows);
    assert_int_equal(sc_audit_list(t->lib, 0, &rows, NULL), SC_OK);
    assert_int_equal(rows.n, (size_t)q_int(t->lib, "SELECT count(*) FROM audit_log"));
    int logins = 0;
    for (size_t i = 0; i < rows.n; i++) {
        logins += !strcmp(rows.v[i].action, "login");
        assert_null(rows.v[i].detail && strstr(rows.v[i].detail, "correct horse") ? "pw" : NULL);
    }
    assert_int_equal(logins, 1);
    sc_audit_rows_release(&rows);
}

static void readonly_library(void **state)
{
    struct tlib *t = *state;
    char path[96];
    snprintf(path, sizeof path, "%s/lib", t->dir);
    /* before any members table exists: lookups are anonymous, changes refused */
    struct sc_library *ro = NULL;
    assert_int_equal(sc_library_open(path, SC_LIBRARY_READONLY, &ro, NULL), SC_OK);
    struct sc_principal p;
    assert_int_equal(
        sc_session_principal(ro, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
                             &p),
        0);
    assert_int_equal(sc_user_add(ro, NULL, "amy", "correct horse", SC_TIER_FREE, 0, 0, NULL),
                     SC_EDENIED);
    sc_library_close(ro);
    /* with the tables, a read-only handle still answers sessions */
    add_user(t->lib, "amy", SC_TIER_VIP, 0, 0);
    struct sc_login_result r;
    assert_int_equal(sc_login(t->lib, "amy", "correct horse", NULL, &r, NULL), SC_OK);
    assert_int_equal(sc_library_open(path, SC_LIBRARY_READONLY, &ro, NULL), SC_OK);
    fake_now += 2 * 3600; /* would slide the expiry: a read-only handle must not write */
    assert_int_equal(sc_session_principal(ro, r.session_id, &p), 1);
    assert_string_equal(p.name, "amy");
    sc_library_close(ro);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(user_add_and_list, tlib_setup, tlib_teardown),
        cmocka_unit_test_setup_teardown(password_hashing, tlib_setup, tlib_teardown),
        cmocka_unit_test_setup_teardown(login_and_session, tlib_setup, tlib_teardown),
        cmocka_unit_test_setup_teardown(session_fixation_and_garbage, tlib_setup, tlib_teardown),
        cmocka_unit_test_setup_teardown(session_expiry, tlib_setup, tlib_teardown),
        cmocka_unit_test_setup_teardown(csrf, tlib_setup, tlib_teardown),
        cmocka_unit_test_setup_teardown(wrong_password_and_unknown_user_alike, tlib_setup,
                                        tlib_teardown),
        cmocka_unit_test_setup_teardown(unknown_user_timing, tlib_setup, tlib_teardown),
        cmocka_unit_test_setup_teardown(throttle_and_backoff, tlib_setup, tlib_teardown),
        cmocka_unit_test_setup_teardown(throttle_per_address, tlib_setup, tlib_teardown),
        cmocka_unit_test_setup_teardown(throttle_distributed, tlib_setup, tlib_teardown),
        cmocka_unit_test_setup_teardown(throttle_parallel, tlib_setup, tlib_teardown),
        cmocka_unit_test_setup_teardown(disabled_user, tlib_setup, tlib_teardown),
        cmocka_unit_test_setup_teardown(change_password, tlib_setup, tlib_teardown),
        cmocka_unit_test_setup_teardown(tier_expiry, tlib_setup, tlib_teardown),
        cmocka_unit_test_setup_teardown(tokens, tlib_setup, tlib_teardown),
        cmocka_unit_test_setup_teardown(audit_log, tlib_setup, tlib_teardown),
        cmocka_unit_test_setup_teardown(readonly_library, tlib_setup, tlib_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
