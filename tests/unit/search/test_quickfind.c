/*
 * 一键快速查找 (lib/search/quickfind.c) on a small set of documents whose
 * answers are known: a 发文字号 in its typed spellings finds its document
 * first; a part of one finds the numbers holding it; titles by words
 * (typed with spaces), those starting with the first word first, then the
 * newest; units with their counts; dates of a month or a day; nothing for
 * what is nowhere; limits and empty input; and, against a brute-force
 * scan, every title suggestion holds every word typed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sucai/sucai.h"

static const struct {
    const char *title, *docno, *unit;
    int32_t date;
} D[] = {
    { "国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见", "国发〔2019〕5号",
      "国务院", 20190127 },
    { "国务院办公厅关于加强三级公立医院绩效考核工作的意见", "国办发〔2019〕4号", "国务院办公厅",
      20190126 },
    { "国务院办公厅关于有效发挥政府性融资担保基金作用的指导意见", "国办发〔2019〕6号",
      "国务院办公厅", 20190122 },
    { "XX县2023年安全生产工作总结", "", "XX县应急管理局", 20231220 },
    { "关于XX县2023年安全生产工作的情况报告", "X政发〔2023〕14号", "XX县人民政府", 20231105 },
    { "乡村振兴工作总结", "", "", 0 },
    { "国务院关于促进综合保税区高水平开放高质量发展的若干意见", "国发〔2019〕3号", "国务院",
      20190125 },
    { "国务院关于2018年度国家科学技术奖励的决定", "国发〔2018〕44号", "国务院", 20181228 },
};
#define N (sizeof D / sizeof D[0])

static struct sc_qf_entry E[N];
static struct sc_quickfind *QF;

static int setup(void **state)
{
    (void)state;
    for (size_t i = 0; i < N; i++)
        E[i] = (struct sc_qf_entry){ (int64_t)i + 1,
                                     sc_str_c(D[i].title),
                                     sc_str_c(D[i].docno),
                                     sc_str_c(D[i].unit),
                                     sc_str_c(""),
                                     0,
                                     D[i].date };
    return sc_quickfind_new(E, N, &QF, NULL) == SC_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sc_quickfind_free(QF);
    return 0;
}

/* "kind:id,kind:id" of the suggestions (ids 1-based; units as u:count) */
static const char *ask(const char *q, size_t limit)
{
    static char out[512];
    struct sc_qf_hit h[SC_QF_LIMIT_MAX];
    size_t n;
    assert_int_equal(sc_quickfind_query(QF, q, strlen(q), limit, h, &n, NULL), SC_OK);
    out[0] = '\0';
    size_t w = 0;
    static const char k[] = "dDtu";
    for (size_t i = 0; i < n; i++) {
        if (h[i].kind == SC_QF_UNIT)
            w += (size_t)snprintf(out + w, sizeof out - w, "%su%lld", i ? "," : "",
                                  (long long)h[i].count);
        else
            w += (size_t)snprintf(out + w, sizeof out - w, "%s%c%zu", i ? "," : "", k[h[i].kind],
                                  h[i].entry + 1);
    }
    return out;
}

static void numbers(void **state)
{
    (void)state;
    /* one number, typed three ways */
    assert_string_equal(ask("国办发〔2019〕4号", 10), "d2");
    assert_string_equal(ask("国办发[2019]4号", 10), "d2");
    assert_string_equal(ask("国办发2019 4号", 10), "d2");
    assert_string_equal(ask("国办发［２０１９］４号", 10), "d2");
    /* 国发〔2019〕 starts three numbers: the newest first */
    assert_string_equal(ask("国发2019", 10), "d7,d1");
    assert_string_equal(ask("国办发〔2019〕", 10), "d3,d2");
    /* a part in the middle */
    assert_string_equal(ask("〔2019〕5号", 10), "d1");
    /* a number nobody has */
    assert_string_equal(ask("国发〔2019〕99号", 10), "");
}

static void titles_units_dates(void **state)
{
    (void)state;
    /* titles starting with the words first, then the newest */
    assert_string_equal(ask("安全生产", 10), "t5,t4");
    assert_string_equal(ask("关于", 3), "t5,t8,t7");
    assert_string_equal(ask("工作总结", 10), "t6,t4");
    assert_string_equal(ask("乡村", 10), "t6");
    /* words typed apart must all be there */
    assert_string_equal(ask("安全 情况报告", 10), "t5");
    assert_string_equal(ask("安全　总结", 10), "t4");
    assert_string_equal(ask("振兴 情况", 10), "");
    /* units with their counts, then titles */
    const char *r = ask("国务院", 10);
    if (strcmp(r, "u3,u2,t8,t7,t3,t2,t1") != 0)
        fail_msg("国务院: %s", r);
    /* a month, a day */
    assert_string_equal(ask("2019-01", 3), "D1,D2,D7");
    assert_string_equal(ask("2019年1月26日", 10), "D2");
    /* a year is a title fragment, not a date list */
    assert_string_equal(ask("2018年度", 10), "t8");
    /* one character */
    assert_true(strlen(ask("乡", 10)) > 0);
    assert_string_equal(ask("龘", 10), "");
    /* the limit, and nothing typed */
    assert_string_equal(ask("意见", 2), "t7,t3");
    assert_string_equal(ask("", 10), "");
    assert_string_equal(ask("   ", 10), "");
    assert_string_equal(ask("意见", 0), "");
    struct sc_qf_hit h[1];
    size_t n = 9;
    assert_int_equal(sc_quickfind_query(QF, NULL, 5, 1, h, &n, NULL), SC_OK);
    assert_int_equal(n, 0);
}

/* Every title suggestion holds every word; none is missed among the few. */
static void against_scan(void **state)
{
    (void)state;
    static const char *qs[] = { "意见", "国务院 意见", "关于", "工作", "2019",
                                "县",   "总结 工作",   "加强", "发展", "高质量 开放" };
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        struct sc_qf_hit h[SC_QF_LIMIT_MAX];
        size_t n;
        assert_int_equal(sc_quickfind_query(QF, qs[i], strlen(qs[i]), SC_QF_LIMIT_MAX, h, &n, NULL),
                         SC_OK);
        char words[64];
        snprintf(words, sizeof words, "%s", qs[i]);
        size_t want = 0;
        for (size_t d = 0; d < N; d++) {
            int all = 1;
            char tmp[64];
            snprintf(tmp, sizeof tmp, "%s", qs[i]);
            for (char *w = strtok(tmp, " "); w && all; w = strtok(NULL, " "))
                all = strstr(D[d].title, w) != NULL;
            want += all;
        }
        size_t got = 0;
        for (size_t k = 0; k < n; k++) {
            if (h[k].kind != SC_QF_TITLE)
                continue;
            got++;
            char tmp[64];
            snprintf(tmp, sizeof tmp, "%s", qs[i]);
            for (char *w = strtok(tmp, " "); w; w = strtok(NULL, " "))
                assert_non_null(strstr(D[h[k].entry].title, w));
        }
        assert_int_equal(got, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers),
        cmocka_unit_test(titles_units_dates),
        cmocka_unit_test(against_scan),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
