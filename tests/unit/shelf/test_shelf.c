/*
 * My shelf (lib/shelf/shelf.c) on a real library: favourites (again is no
 * change, a missing document, one account's are not another's, removal,
 * paging), the reading history (times, order, clearing), the cart (order,
 * repeats, unknown ids, the limit, another login sees it), anonymous
 * callers refused, and near duplicates from the links the import records.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "members/members_int.h"
#include "sucai/sucai.h"

struct t {
    char dir[64], path[96];
    struct sc_library *lib;
    struct sc_principal a, b;
    int64_t d1, d2, d3;
};

static int rm_one(const char *p, const struct stat *s, int f, struct FTW *w)
{
    (void)s;
    (void)f;
    (void)w;
    return remove(p);
}

static time_t now_v = 1700000000;
static time_t clock_fn(void)
{
    return now_v++;
}

static int64_t import(struct sc_library *lib, const char *name, const char *text)
{
    struct sc_import_summary sum;
    int64_t id = 0;
    if (sc_import_bytes(lib, name, text, strlen(text), NULL, &sum, NULL) != SC_OK)
        return 0;
    sc_index_sync(lib, 1, NULL);
    struct sc_doc d;
    for (int64_t i = 1; i < 100; i++)
        if (sc_doc_get(lib, i, 0, &d, NULL) == SC_OK) {
            if (!strcmp(d.source_file, name))
                id = d.id;
            sc_doc_release(&d);
        }
    return id;
}

static const char near_body[] =
    "为加快推进数字政府建设，提升政务服务效能，结合本地实际，制定本方案。\n"
    "坚持整体协同、数据赋能、安全可控，推动政务服务从能办向好办智办转变。\n"
    "到2025年基本建成一体化在线政务服务平台，高频事项网上可办率达到95%以上。\n"
    "推进政务数据共享，建设统一的数据资源平台，打通部门之间的数据壁垒。\n"
    "完善数字基础设施，推进电子政务外网升级改造，提升网络安全防护能力。\n"
    "各部门要加强组织领导，明确责任分工，强化督促检查，确保任务落到实处。\n";

static int setup(void **state)
{
    struct t *t = calloc(1, sizeof *t);
    snprintf(t->dir, sizeof t->dir, "/tmp/sucai-shelf-XXXXXX");
    if (!t || !mkdtemp(t->dir))
        return -1;
    snprintf(t->path, sizeof t->path, "%s/lib", t->dir);
    sc_members_fast_hash = 1;
    sc_members_clock = clock_fn;
    struct sc_diag d = { 0 };
    if (sc_library_open(t->path, SC_LIBRARY_CREATE, &t->lib, &d) != SC_OK ||
        sc_user_add(t->lib, NULL, "ann", "password1", SC_TIER_FREE, 0, 0, &d) != SC_OK ||
        sc_user_add(t->lib, NULL, "ben", "password2", SC_TIER_VIP, 0, 0, &d) != SC_OK ||
        sc_user_principal(t->lib, "ann", &t->a, &d) != SC_OK ||
        sc_user_principal(t->lib, "ben", &t->b, &d) != SC_OK) {
        fprintf(stderr, "setup: %s\n", d.msg);
        return -1;
    }
    char a[2048], b[2048];
    snprintf(a, sizeof a, "XX市数字政府建设实施方案\n%s", near_body);
    snprintf(b, sizeof b, "XX区数字政府建设实施方案\n%s", near_body);
    t->d1 = import(t->lib, "a.txt", a);
    t->d2 = import(t->lib, "b.txt", b);
    t->d3 = import(t->lib, "c.txt", "关于安全生产的通知\n各单位：\n抓好安全生产。\n");
    if (!t->d1 || !t->d2 || !t->d3)
        return -1;
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    struct t *t = *state;
    sc_library_close(t->lib);
    sc_members_clock = NULL;
    nftw(t->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(t);
    return 0;
}

static int64_t jint(const char *json, const char *key)
{
    struct sc_json j;
    int64_t v = -1;
    if (sc_json_parse(&j, json, strlen(json), 0, NULL) == SC_OK)
        sc_json_int(sc_json_get(&j, sc_json_root(&j), key), 0, INT64_MAX, &v);
    sc_json_release(&j);
    return v;
}

static void favourites(void **state)
{
    struct t *t = *state;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_fav_add(t->lib, &t->a, t->d1, &d), SC_OK);
    assert_int_equal(sc_fav_add(t->lib, &t->a, t->d1, &d), SC_OK); /* again: no change */
    assert_int_equal(sc_fav_add(t->lib, &t->a, t->d3, &d), SC_OK);
    assert_int_equal(sc_fav_add(t->lib, &t->a, 9999, &d), SC_ENOTFOUND);
    struct sc_principal anon = { 0 };
    assert_int_equal(sc_fav_add(t->lib, &anon, t->d1, NULL), SC_EDENIED);
    struct sc_buf b = SC_BUF_INIT;
    assert_int_equal(sc_fav_list(t->lib, &t->a, 10, 0, &b, &d), SC_OK);
    assert_int_equal(jint(b.data, "total"), 2);
    /* newest first */
    char want[32];
    snprintf(want, sizeof want, "\"id\": %lld", (long long)t->d3);
    assert_true(strstr(b.data, want) < strstr(b.data, "数字政府"));
    sc_buf_reset(&b);
    assert_int_equal(sc_fav_list(t->lib, &t->a, 1, 0, &b, &d), SC_OK);
    int64_t next = jint(b.data, "next_before");
    assert_true(next > 0);
    sc_buf_reset(&b);
    assert_int_equal(sc_fav_list(t->lib, &t->a, 1, next, &b, &d), SC_OK);
    assert_non_null(strstr(b.data, "数字政府"));
    sc_buf_reset(&b);
    /* ben's are his own */
    assert_int_equal(sc_fav_list(t->lib, &t->b, 10, 0, &b, &d), SC_OK);
    assert_int_equal(jint(b.data, "total"), 0);
    sc_buf_release(&b);
    int64_t ids[3] = { t->d1, t->d2, t->d3 };
    int has[3];
    assert_int_equal(sc_fav_which(t->lib, &t->a, ids, 3, has, NULL), SC_OK);
    assert_true(has[0] && !has[1] && has[2]);
    assert_int_equal(sc_fav_rm(t->lib, &t->a, t->d1, &d), SC_OK);
    assert_int_equal(sc_fav_rm(t->lib, &t->a, t->d1, &d), SC_ENOTFOUND);
}

static void history(void **state)
{
    struct t *t = *state;
    assert_int_equal(sc_history_add(t->lib, &t->a, t->d1, NULL), SC_OK);
    assert_int_equal(sc_history_add(t->lib, &t->a, t->d2, NULL), SC_OK);
    assert_int_equal(sc_history_add(t->lib, &t->a, t->d1, NULL), SC_OK);
    struct sc_buf b = SC_BUF_INIT;
    assert_int_equal(sc_history_list(t->lib, &t->a, 10, 0, &b, NULL), SC_OK);
    assert_int_equal(jint(b.data, "total"), 2);
    /* the last read first, with how often */
    assert_true(strstr(b.data, "XX市") < strstr(b.data, "XX区"));
    assert_non_null(strstr(b.data, "\"times\": 2"));
    sc_buf_reset(&b);
    assert_int_equal(sc_history_clear(t->lib, &t->a, NULL), SC_OK);
    assert_int_equal(sc_history_list(t->lib, &t->a, 10, 0, &b, NULL), SC_OK);
    assert_int_equal(jint(b.data, "total"), 0);
    sc_buf_release(&b);
}

static void cart(void **state)
{
    struct t *t = *state;
    int64_t ids[] = { t->d3, t->d1, 777, t->d3, t->d2 };
    size_t dropped = 9;
    assert_int_equal(sc_cart_set(t->lib, &t->a, ids, 5, &dropped, NULL), SC_OK);
    assert_int_equal(dropped, 1);
    struct sc_buf b = SC_BUF_INIT;
    assert_int_equal(sc_cart_get(t->lib, &t->a, &b, NULL), SC_OK);
    char want[64];
    snprintf(want, sizeof want, "\"ids\": [%lld, %lld, %lld]", (long long)t->d3, (long long)t->d1,
             (long long)t->d2);
    assert_non_null(strstr(b.data, want));
    sc_buf_reset(&b);
    /* another login of the same account sees the same cart */
    struct sc_principal again;
    assert_int_equal(sc_user_principal(t->lib, "ann", &again, NULL), SC_OK);
    assert_int_equal(sc_cart_get(t->lib, &again, &b, NULL), SC_OK);
    assert_non_null(strstr(b.data, want));
    sc_buf_reset(&b);
    assert_int_equal(sc_cart_get(t->lib, &t->b, &b, NULL), SC_OK);
    assert_non_null(strstr(b.data, "\"ids\": []"));
    sc_buf_release(&b);
    int64_t *many = calloc(SC_SHELF_CART_MAX + 1, sizeof *many);
    for (size_t i = 0; i <= SC_SHELF_CART_MAX; i++)
        many[i] = t->d1;
    assert_int_equal(sc_cart_set(t->lib, &t->a, many, SC_SHELF_CART_MAX + 1, NULL, NULL),
                     SC_ELIMIT);
    free(many);
    struct sc_principal anon = { 0 };
    assert_int_equal(sc_cart_get(t->lib, &anon, &b, NULL), SC_EDENIED);
}

static void near(void **state)
{
    struct t *t = *state;
    int64_t ids[3] = { t->d1, t->d2, t->d3 }, n[3];
    assert_int_equal(sc_near_counts(t->lib, ids, 3, n, NULL), SC_OK);
    assert_int_equal(n[0], 1);
    assert_int_equal(n[1], 1);
    assert_int_equal(n[2], 0);
    struct sc_buf b = SC_BUF_INIT;
    assert_int_equal(sc_near_json(t->lib, t->d2, &b, NULL), SC_OK);
    assert_non_null(strstr(b.data, "XX市数字政府建设实施方案"));
    assert_non_null(strstr(b.data, "\"similarity\": 0."));
    sc_buf_release(&b);
    assert_int_equal(sc_near_json(t->lib, 9999, &b, NULL), SC_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(favourites, setup, teardown),
        cmocka_unit_test_setup_teardown(history, setup, teardown),
        cmocka_unit_test_setup_teardown(cart, setup, teardown),
        cmocka_unit_test_setup_teardown(near, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
