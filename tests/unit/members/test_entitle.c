/*
 * Unit tests for lib/members/entitle.c: the entitlement matrix (every tier
 * and role against every action), expiry, daily limits, names, and the
 * principal JSON of GET /api/v1/me.
 */
/* cmocka needs these first, in this order */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include <string.h>

#include "members/members_int.h"

enum who {
    ANON,
    FREE,
    VIP,
    SVIP,
    EDITOR,
    ADMIN,
    EDITOR_VIP,
    ALL_ENTITLED,
    NWHO
};

static struct sc_principal make(enum who w)
{
    struct sc_principal p = { 0 };
    p.user_id = w == ANON || w == ALL_ENTITLED ? 0 : 10 + (int)w;
    switch (w) {
    case ANON: break;
    case FREE: p.tier = SC_TIER_FREE; break;
    case VIP: p.tier = SC_TIER_VIP; break;
    case SVIP: p.tier = SC_TIER_SVIP; break;
    case EDITOR:
        p.tier = SC_TIER_FREE;
        p.roles = SC_ROLE_EDITOR;
        break;
    case ADMIN:
        p.tier = SC_TIER_FREE;
        p.roles = SC_ROLE_ADMIN;
        break;
    case EDITOR_VIP:
        p.tier = SC_TIER_VIP;
        p.roles = SC_ROLE_EDITOR;
        break;
    case ALL_ENTITLED: p.all_entitled = 1; break;
    case NWHO: break;
    }
    return p;
}

/* The table, row by row. */
static const int want[NWHO][6] = {
    /*                search read_paid download import admin shelf */
    [ANON] = { 1, 0, 0, 0, 0, 0 },       [FREE] = { 1, 0, 1, 0, 0, 1 },
    [VIP] = { 1, 1, 1, 0, 0, 1 },        [SVIP] = { 1, 1, 1, 0, 0, 1 },
    [EDITOR] = { 1, 1, 1, 1, 0, 1 },     [ADMIN] = { 1, 1, 1, 1, 1, 1 },
    [EDITOR_VIP] = { 1, 1, 1, 1, 0, 1 }, [ALL_ENTITLED] = { 1, 1, 1, 0, 0, 0 },
};
/* saved searches kept: anonymous callers (also on a private server) have
 * no account to keep them in */
static const int want_watches[NWHO] = {
    [ANON] = 0,     [FREE] = 3,    [VIP] = 30,         [SVIP] = 100,
    [EDITOR] = 300, [ADMIN] = 300, [EDITOR_VIP] = 300, [ALL_ENTITLED] = 0,
};
static const int want_quota[NWHO] = {
    [ANON] = 0,    [FREE] = 3,   [VIP] = 30,        [SVIP] = 200,
    [EDITOR] = -1, [ADMIN] = -1, [EDITOR_VIP] = -1, [ALL_ENTITLED] = -1,
};

static void may_matrix(void **state)
{
    (void)state;
    static const enum sc_action acts[] = { SC_ACT_SEARCH, SC_ACT_READ_PAID, SC_ACT_DOWNLOAD,
                                           SC_ACT_IMPORT, SC_ACT_ADMIN,     SC_ACT_SHELF };
    for (int w = 0; w < NWHO; w++) {
        struct sc_principal p = make((enum who)w);
        assert_int_equal(sc_watch_limit(&p), want_watches[w]);
        for (int a = 0; a < 6; a++) {
            if (sc_may(&p, acts[a]) != want[w][a])
                fail_msg("who %d action %d: got %d want %d", w, a, sc_may(&p, acts[a]), want[w][a]);
        }
        assert_int_equal(sc_quota_daily(NULL, &p), want_quota[w]);
    }
    /* NULL is anonymous */
    assert_int_equal(sc_may(NULL, SC_ACT_SEARCH), 1);
    assert_int_equal(sc_may(NULL, SC_ACT_READ_PAID), 0);
    assert_int_equal(sc_may(NULL, SC_ACT_DOWNLOAD), 0);
    assert_int_equal(sc_quota_daily(NULL, NULL), 0);
    /* roles on an anonymous principal mean nothing */
    struct sc_principal forged = { 0 };
    forged.roles = SC_ROLE_ADMIN | SC_ROLE_EDITOR;
    assert_int_equal(sc_may(&forged, SC_ACT_ADMIN), 0);
    assert_int_equal(sc_may(&forged, SC_ACT_IMPORT), 0);
    assert_int_equal(sc_may(&forged, SC_ACT_READ_PAID), 0);
    assert_int_equal(sc_quota_daily(NULL, &forged), 0);
    /* a tier without an account keeps nothing on the server */
    forged.tier = SC_TIER_SVIP;
    assert_int_equal(sc_may(&forged, SC_ACT_SHELF), 0);
    assert_int_equal(sc_watch_limit(&forged), 0);
    assert_int_equal(sc_watch_limit(NULL), 0);
}

static void expired_tier_is_free(void **state)
{
    (void)state;
    struct sc_principal p;
    time_t now = 1700000000;
    sc_principal_from_row(&p, 1, "amy", "vip", now - 1, 0, now);
    assert_int_equal(p.tier, SC_TIER_FREE);
    assert_int_equal(sc_may(&p, SC_ACT_READ_PAID), 0);
    assert_int_equal(sc_quota_daily(NULL, &p), 3);
    sc_principal_from_row(&p, 1, "amy", "svip", now, 0, now); /* expiry instant: expired */
    assert_int_equal(p.tier, SC_TIER_FREE);
    sc_principal_from_row(&p, 1, "amy", "svip", now + 1, 0, now);
    assert_int_equal(p.tier, SC_TIER_SVIP);
    assert_int_equal(sc_may(&p, SC_ACT_READ_PAID), 1);
    sc_principal_from_row(&p, 1, "amy", "vip", 0, 0, now); /* never expires */
    assert_int_equal(p.tier, SC_TIER_VIP);
    /* an expired vip who is an editor still reads paid parts (the role) */
    sc_principal_from_row(&p, 1, "amy", "vip", now - 5, SC_ROLE_EDITOR, now);
    assert_int_equal(p.tier, SC_TIER_FREE);
    assert_int_equal(sc_may(&p, SC_ACT_READ_PAID), 1);
    /* unknown stored tier text and stray role bits are tamed */
    sc_principal_from_row(&p, 1, "amy", "gold", 0, 0xff, now);
    assert_int_equal(p.tier, SC_TIER_FREE);
    assert_int_equal(p.roles, SC_ROLE_EDITOR | SC_ROLE_ADMIN);
}

static void names_parse(void **state)
{
    (void)state;
    enum sc_tier t;
    assert_int_equal(sc_tier_parse("vip", &t), SC_OK);
    assert_int_equal(t, SC_TIER_VIP);
    assert_int_equal(sc_tier_parse("svip", &t), SC_OK);
    assert_int_equal(t, SC_TIER_SVIP);
    assert_int_equal(sc_tier_parse("free", &t), SC_OK);
    assert_int_equal(t, SC_TIER_FREE);
    assert_int_equal(sc_tier_parse("anonymous", &t), SC_EINVAL);
    assert_int_equal(sc_tier_parse("VIP", &t), SC_EINVAL);
    assert_int_equal(sc_tier_parse(NULL, &t), SC_EINVAL);
    int r;
    assert_int_equal(sc_roles_parse("editor,admin", &r), SC_OK);
    assert_int_equal(r, SC_ROLE_EDITOR | SC_ROLE_ADMIN);
    assert_int_equal(sc_roles_parse("admin", &r), SC_OK);
    assert_int_equal(r, SC_ROLE_ADMIN);
    assert_int_equal(sc_roles_parse("none", &r), SC_OK);
    assert_int_equal(r, 0);
    assert_int_equal(sc_roles_parse("", &r), SC_OK);
    assert_int_equal(sc_roles_parse("editor,root", &r), SC_EINVAL);
    assert_int_equal(sc_roles_parse("editors", &r), SC_EINVAL);
    assert_string_equal(sc_tier_name(SC_TIER_ANON), "anonymous");
    assert_string_equal(sc_tier_name(SC_TIER_SVIP), "svip");
}

static void check_names(void **state)
{
    (void)state;
    assert_int_equal(sc_check_name("amy", NULL), SC_OK);
    assert_int_equal(sc_check_name("王小明", NULL), SC_OK);
    assert_int_equal(sc_check_name("", NULL), SC_EINVAL);
    assert_int_equal(sc_check_name(NULL, NULL), SC_EINVAL);
    assert_int_equal(sc_check_name("a b", NULL), SC_EINVAL);
    assert_int_equal(sc_check_name("a:b", NULL), SC_EINVAL);
    assert_int_equal(sc_check_name("a\nb", NULL), SC_EINVAL);
    assert_int_equal(sc_check_name("12345", NULL), SC_EINVAL);
    assert_int_equal(sc_check_name("\xff\xfe", NULL), SC_EINVAL);
    char longname[80];
    memset(longname, 'x', sizeof longname - 1);
    longname[79] = '\0';
    assert_int_equal(sc_check_name(longname, NULL), SC_EINVAL);
    longname[63] = '\0';
    assert_int_equal(sc_check_name(longname, NULL), SC_OK);
    assert_int_equal(sc_check_password("short", NULL), SC_EINVAL);
    assert_int_equal(sc_check_password("12345678", NULL), SC_OK);
    assert_int_equal(sc_check_password(NULL, NULL), SC_EINVAL);
}

static void principal_json(void **state)
{
    (void)state;
    struct sc_buf b = SC_BUF_INIT;
    sc_principal_json(NULL, &b, NULL, NULL);
    assert_string_equal(b.data, "{\"user\":null,\"tier\":\"anonymous\",\"tier_expires\":null,"
                                "\"roles\":[],\"entitled\":false,\"may\":{\"search\":true,"
                                "\"read_paid\":false,\"download\":false,\"import\":false,"
                                "\"admin\":false,\"shelf\":false},\"saved_searches\":0,"
                                "\"downloads_per_day\":0,\"downloads_left\":0}");
    sc_buf_reset(&b);
    struct sc_principal p;
    sc_principal_from_row(&p, 7, "a\"b", "vip", 1700000000 + 86400, SC_ROLE_EDITOR, 1700000000);
    sc_principal_json(NULL, &b, &p, "00ff");
    assert_non_null(strstr(b.data, "\"user\":\"a\\\"b\""));
    assert_non_null(strstr(b.data, "\"tier\":\"vip\""));
    assert_non_null(strstr(b.data, "\"tier_expires\":\"2023-11-15T22:13:20Z\""));
    assert_non_null(strstr(b.data, "\"roles\":[\"editor\"]"));
    assert_non_null(strstr(b.data, "\"entitled\":true"));
    assert_non_null(strstr(b.data, "\"import\":true"));
    assert_non_null(strstr(b.data, "\"downloads_per_day\":null"));
    assert_non_null(strstr(b.data, "\"csrf\":\"00ff\"}"));
    sc_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(may_matrix),     cmocka_unit_test(expired_tier_is_free),
        cmocka_unit_test(names_parse),    cmocka_unit_test(check_names),
        cmocka_unit_test(principal_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
