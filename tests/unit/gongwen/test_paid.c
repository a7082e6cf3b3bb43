/*
 * Paywall markers: ##paidbegin## / ##paidend## are cut out of the text and
 * become paid_from / paid_to code-point offsets, across the articles of a
 * 汇编 (the seed), mid-line, on their own lines, in cut lines.
 */
#include "gw_test.h"

/* Code-point offset of needle in the article's text, -1 if absent. */
static int64_t cp_of(const struct sc_article *a, const char *needle)
{
    const char *at = strstr(a->text.data, needle);
    if (!at)
        return -1;
    return (int64_t)sc_utf8_count(a->text.data, (size_t)(at - a->text.data));
}

static void seed_paid_ranges(void **state)
{
    (void)state;
    size_t len;
    char *data = gw_read_shared("corpus/seed/" SEED_NAME, &len);
    struct sc_parsed p;
    assert_int_equal(sc_gongwen_parse(data, len, NULL, &p, NULL), SC_OK);
    assert_int_equal(p.narticles, 9);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(p.articles[i].paid_from_cp, -1);
        assert_int_equal(p.articles[i].paid_to_cp, -1);
    }
    /* document 4: paid from the 回 of 回音必 (the marker sat mid-line) */
    const struct sc_article *a4 = &p.articles[3];
    int64_t hui = cp_of(a4, "回音必");
    assert_true(hui > 0);
    assert_int_equal(a4->paid_from_cp, hui);
    assert_int_equal(a4->paid_to_cp, -1);
    assert_non_null(strstr(a4->text.data, "利用“回音必”发布"));
    char *paid = gw_cp_slice(&a4->text, a4->paid_from_cp, -1);
    assert_true(strncmp(paid, "回音必”发布2024年XX街道民生实事项目征集", 20) == 0);
    free(paid);
    /* documents 5-9 are paid whole: ##paidend## is after the ads */
    for (size_t i = 4; i < 9; i++) {
        assert_int_equal(p.articles[i].paid_from_cp, 0);
        assert_int_equal(p.articles[i].paid_to_cp, -1);
    }
    sc_parsed_release(&p);
    free(data);
}

static void markers_on_own_lines(void **state)
{
    (void)state;
    struct sc_parsed p;
    gw_parse_ok("标题\n第一段。\n##paidbegin##\n第二段。\n\n##paidend##\n第三段。\n", NULL, &p);
    const struct sc_article *a = &p.articles[0];
    assert_string_equal(a->text.data, "标题\n第一段。\n第二段。\n第三段。");
    assert_int_equal(a->paid_from_cp, cp_of(a, "第二段"));
    assert_int_equal(a->paid_to_cp, cp_of(a, "第三段"));
    sc_parsed_release(&p);
}

static void markers_mid_line(void **state)
{
    (void)state;
    struct sc_parsed p;
    gw_parse_ok("标题\n免费部分##PaidBegin##收费部分##PAIDEND##又免费。\n", NULL, &p);
    const struct sc_article *a = &p.articles[0];
    assert_string_equal(a->text.data, "标题\n免费部分收费部分又免费。");
    assert_int_equal(a->paid_from_cp, cp_of(a, "收费"));
    assert_int_equal(a->paid_to_cp, cp_of(a, "又免费"));
    sc_parsed_release(&p);

    /* a marker before the indentation of its paragraph */
    gw_parse_ok("标题\n第一段。\n##paidbegin##　　第二段。\n", NULL, &p);
    a = &p.articles[0];
    assert_string_equal(a->text.data, "标题\n第一段。\n第二段。");
    assert_int_equal(a->paid_from_cp, cp_of(a, "第二段"));
    assert_int_equal(a->paid_to_cp, -1);
    sc_parsed_release(&p);

    /* a lone ##paidend## means nothing; a stray ## stays text */
    gw_parse_ok("标题\n##paidend##正文 ## 号。\n", NULL, &p);
    assert_string_equal(p.articles[0].text.data, "标题\n正文 ## 号。");
    assert_int_equal(p.articles[0].paid_from_cp, -1);
    sc_parsed_release(&p);
}

static const char compilation[] = "汇编\n"
                                  "目录\n"
                                  "甲文\t1\n"
                                  "乙文\t2\n"
                                  "丙文\t3\n"
                                  "丁文\t4\n"
                                  "甲文\n"
                                  "甲的正文。\n"
                                  "##paidbegin##\n"
                                  "乙文\n"
                                  "乙的正文。\n"
                                  "丙文\n"
                                  "丙的正文，##paidend##丙的免费尾巴。\n"
                                  "丁文\n"
                                  "丁的正文。\n";

static void across_articles(void **state)
{
    (void)state;
    struct sc_parsed p;
    gw_parse_ok(compilation, NULL, &p);
    assert_int_equal(p.narticles, 4);
    /* begin after 甲's last paragraph: 甲 is free, 乙 is paid whole */
    assert_int_equal(p.articles[0].paid_from_cp, -1);
    assert_int_equal(p.articles[1].paid_from_cp, 0);
    assert_int_equal(p.articles[1].paid_to_cp, -1);
    /* 丙 is paid from its start to the marker */
    const struct sc_article *c = &p.articles[2];
    assert_int_equal(c->paid_from_cp, 0);
    assert_int_equal(c->paid_to_cp, cp_of(c, "丙的免费尾巴"));
    assert_int_equal(p.articles[3].paid_from_cp, -1);
    assert_int_equal(p.articles[3].paid_to_cp, -1);
    sc_parsed_release(&p);
}

/* Markers in the 目录, in cut boilerplate and after the last line. */
static void markers_outside_text(void **state)
{
    (void)state;
    static const char text[] =
        "汇编\n"
        "目录\n"
        "甲文\t1##paidbegin##\n"
        "乙文\t2\n"
        "甲文\n"
        "甲的正文。\n"
        "乙文\n"
        "乙的正文。\n"
        "【哒哒素材库】——每天更新，一键下载##paidend##，有意加入请联系：1 4367\n"
        "乙的尾声。\n";
    struct sc_parsed p;
    gw_parse_ok(text, NULL, &p);
    assert_int_equal(p.narticles, 2);
    assert_int_equal(p.articles[0].paid_from_cp, 0);
    assert_int_equal(p.articles[0].paid_to_cp, -1);
    const struct sc_article *b = &p.articles[1];
    assert_string_equal(b->text.data, "乙文\n乙的正文。\n乙的尾声。");
    assert_int_equal(b->paid_from_cp, 0);
    assert_int_equal(b->paid_to_cp,
                     cp_of(b, "乙的尾声")); /* the end took effect at the next paragraph */
    assert_int_equal(p.nboiler, 1);
    assert_null(strstr(p.boiler[0].text, "##paid"));
    sc_parsed_release(&p);

    /* begin at the very end: nothing of this document is paid */
    gw_parse_ok("标题\n正文。\n##paidbegin##\n", NULL, &p);
    assert_int_equal(p.articles[0].paid_from_cp, -1);
    sc_parsed_release(&p);
    gw_parse_ok("标题\n正文。##paidbegin##", NULL, &p);
    assert_int_equal(p.articles[0].paid_from_cp, -1);
    sc_parsed_release(&p);
    /* begin before the title: all of it */
    gw_parse_ok("##paidbegin##\n标题\n正文。\n", NULL, &p);
    assert_int_equal(p.articles[0].paid_from_cp, 0);
    assert_int_equal(p.articles[0].paid_to_cp, -1);
    sc_parsed_release(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seed_paid_ranges),     cmocka_unit_test(markers_on_own_lines),
        cmocka_unit_test(markers_mid_line),     cmocka_unit_test(across_articles),
        cmocka_unit_test(markers_outside_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
