/*
 * Near-duplicate fingerprints (lib/gongwen/simhash.c): SimHash of shingle
 * sets and the exact Jaccard similarity, on constructed texts whose answer
 * is known, and on 10,000-character documents.
 */
#include "gw_test.h"

#include <time.h>

#include "sucai/text.h"

static double sim(const char *a, const char *b)
{
    return sc_similarity(a, strlen(a), b, strlen(b));
}

static uint64_t sh(const char *s)
{
    return sc_simhash(s, strlen(s));
}

static void exact_jaccard(void **state)
{
    (void)state;
    /* 4-shingles: ABCDE -> {ABCD, BCDE}; ABCDF -> {ABCD, BCDF}: 1/3 */
    assert_float_equal(sim("ABCDE", "ABCDF"), 1.0 / 3.0, 1e-12);
    assert_float_equal(sim("ABCDE", "ABCDE"), 1.0, 1e-12);
    assert_float_equal(sim("ABCDE", "VWXYZ"), 0.0, 1e-12);
    /* sets, not multisets: repeats do not count */
    assert_float_equal(sim("ABCDABCDABCD", "ABCDABCD"), 1.0, 1e-12);
    /* whitespace (spaces, U+3000, newlines) is skipped */
    assert_float_equal(sim("一二 三四\n五　六", "一二三四五六"), 1.0, 1e-12);
    /* Chinese: 甲乙丙丁戊 -> {甲乙丙丁, 乙丙丁戊}; 甲乙丙丁己 -> {甲乙丙丁, 乙丙丁己} */
    assert_float_equal(sim("甲乙丙丁戊", "甲乙丙丁己"), 1.0 / 3.0, 1e-12);
    /* symmetric */
    assert_float_equal(sim("甲乙丙丁戊己庚", "乙丙丁戊"), sim("乙丙丁戊", "甲乙丙丁戊己庚"), 1e-12);
    assert_float_equal(sim("甲乙丙丁戊己庚", "乙丙丁戊"), 1.0 / 4.0, 1e-12);
}

static void short_and_empty(void **state)
{
    (void)state;
    assert_float_equal(sim("", ""), 1.0, 1e-12);
    assert_float_equal(sim(" \n ", ""), 1.0, 1e-12);
    assert_float_equal(sim("", "ABCDE"), 0.0, 1e-12);
    assert_float_equal(sim("abc", "abc"), 1.0, 1e-12);
    assert_float_equal(sim("abc", "abd"), 0.0, 1e-12);
    assert_float_equal(sim("abc", "abcd"), 0.0, 1e-12); /* whole vs a shingle */
    assert_float_equal(sc_similarity(NULL, 0, NULL, 0), 1.0, 1e-12);
    assert_int_equal(sc_simhash(NULL, 0), 0);
    assert_int_equal(sh(""), 0);
    assert_int_equal(sh("abc"), sh("abc"));
    assert_true(sh("abc") != sh("abd"));
}

/* Fingerprints are stored in libraries and compared with those of later
 * imports: a change of the function would hide near duplicates between
 * documents imported before and after it. These values are pinned. */
static void stable_values(void **state)
{
    (void)state;
    assert_int_equal(sh("abc"), 0x5febb006aa82662fULL);
    assert_int_equal(sh("甲乙丙丁戊己庚辛壬癸"), 0xf2ef22dfe769722bULL);
    assert_int_equal(sh("第一条　为了规范XX市政府工作，制定本办法。\n第二条 本办法适用于XX市。"
                        "第三条 本办法自发布之日起施行。"),
                     0xeb42a0871e999e32ULL);
    assert_int_equal(sh("ABCDABCDABCDABCD"), 0x1cc9c1804325d05eULL);
}

static void distance(void **state)
{
    (void)state;
    assert_int_equal(sc_simhash_distance(0, 0), 0);
    assert_int_equal(sc_simhash_distance(0, ~0ULL), 64);
    assert_int_equal(sc_simhash_distance(0xF0, 0x0F), 8);
    /* against a bit-by-bit count on scattered values */
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < 1000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        uint64_t y = x * 0xBF58476D1CE4E5B9ULL;
        int n = 0;
        for (int b = 0; b < 64; b++)
            n += (int)(((x ^ y) >> b) & 1);
        assert_int_equal(sc_simhash_distance(x, y), n);
    }
    assert_int_equal(sc_simhash_distance(1ULL << 63, 0), 1);
}

/* A long Chinese text made of distinct sentences (deterministic). */
static char *make_doc(unsigned seed, size_t chars)
{
    static const char *const pool[] = {
        "坚持", "推进", "加强", "完善", "落实", "深化", "提升", "优化", "强化", "健全", "创新",
        "服务", "治理", "建设", "发展", "改革", "保障", "监督", "管理", "机制", "体系", "能力",
        "基层", "群众", "企业", "项目", "产业", "乡村", "城市", "生态", "安全", "民生", "法治",
    };
    struct sc_buf b = SC_BUF_INIT;
    unsigned x = seed * 2654435761u + 1;
    size_t n = 0;
    while (n < chars) {
        x = x * 1103515245u + 12345u;
        sc_buf_adds(&b, pool[(x >> 16) % (sizeof pool / sizeof pool[0])]);
        n += 2;
        if ((x >> 8) % 7 == 0) {
            sc_buf_adds(&b, "。");
            n++;
        }
    }
    assert_int_equal(sc_buf_err(&b), SC_OK);
    return sc_buf_take(&b, NULL);
}

static void near_and_far(void **state)
{
    (void)state;
    char *a = make_doc(1, 10000);
    char *far = make_doc(2, 10000);
    /* b: a with a few edits (a sentence replaced near the middle, one at the end) */
    struct sc_buf b = SC_BUF_INIT;
    size_t mid = sc_utf8_offset(a, strlen(a), 5000);
    sc_buf_add(&b, a, mid);
    sc_buf_adds(&b, "这里是一段新增加的文字，用来模拟修改。");
    sc_buf_adds(&b, a + mid);
    sc_buf_adds(&b, "附件：有关情况说明");
    double s = sc_similarity(a, strlen(a), b.data, b.len);
    assert_true(s > 0.97 && s < 1.0);
    int d = sc_simhash_distance(sh(a), sc_simhash(b.data, b.len));
    assert_true(d <= SC_SIMHASH_NEAR);
    /* unrelated text of the same vocabulary */
    double f = sim(a, far);
    assert_true(f < 0.5);
    assert_true(sc_simhash_distance(sh(a), sh(far)) > SC_SIMHASH_NEAR);
    /* normalised text: full-width and case differences vanish */
    struct sc_buf n1 = SC_BUF_INIT, n2 = SC_BUF_INIT;
    assert_int_equal(
        sc_normalize("ＡＢＣ公文素材库建设", strlen("ＡＢＣ公文素材库建设"), &n1, NULL), SC_OK);
    assert_int_equal(sc_normalize("abc公文素材库建设", strlen("abc公文素材库建设"), &n2, NULL),
                     SC_OK);
    assert_int_equal(sc_simhash(n1.data, n1.len), sc_simhash(n2.data, n2.len));
    sc_buf_release(&n1);
    sc_buf_release(&n2);
    sc_buf_release(&b);
    free(a);
    free(far);
}

/* 10,000-character documents: many comparisons stay cheap (a loose bound,
 * the measured figure is about 0.4 ms per pair). */
static void fast_enough(void **state)
{
    (void)state;
    char *a = make_doc(3, 10000), *b = make_doc(4, 10000);
    struct timespec t0, t1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    double acc = 0;
    for (int i = 0; i < 50; i++)
        acc += sc_similarity(a, strlen(a), b, strlen(b));
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    print_message("50 similarities of 10,000-character texts: %.1f ms\n", secs * 1e3);
    assert_true(acc >= 0);
    assert_true(secs < 5.0); /* generous: sanitizer builds are slow */
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exact_jaccard), cmocka_unit_test(short_and_empty),
        cmocka_unit_test(distance),      cmocka_unit_test(near_and_far),
        cmocka_unit_test(fast_enough),   cmocka_unit_test(stable_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
