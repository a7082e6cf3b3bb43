/*
 * Heading cluster keys for 提纲 (lib/gongwen/skeleton.c): labels of every
 * level left out, headings that name their section type stand for it
 * (存在的问题 / 存在问题 / 问题与不足 alike), others keep their text without
 * punctuation and particles; the label's length in bytes.
 */
#include "gw_test.h"

#include "sucai/skeleton.h"

static const char *key(const char *h)
{
    static char out[SC_HEADING_KEY_MAX];
    sc_heading_key(h, strlen(h), out);
    return out;
}

static void clusters(void **state)
{
    (void)state;
    const char *problems[] = { "二、存在的问题",   "存在问题",       "问题与不足",
                               "（二）存在的不足", "三、困难和问题", "主要问题" };
    for (size_t i = 0; i < sizeof problems / sizeof problems[0]; i++)
        assert_string_equal(key(problems[i]), "#problems");
    assert_string_equal(key("三、下一步工作打算"), "#plans");
    assert_string_equal(key("一、主要工作"), "#work");
    assert_string_equal(key("一、工作开展情况"), "#work");
    assert_string_equal(key("一、基本情况"), "#overview");
    assert_string_equal(key("二、主要成效"), "#results");
    /* a heading that says more than its type keeps its text */
    assert_string_equal(key("二、存在的问题及下一步整改措施和工作打算"),
                        "存在问题下一步整改措施工作打算");
    assert_string_equal(key("三、加强组织领导，确保落实"), "加强组织领导确保落实");
    assert_string_equal(key("1.强化督导"), "强化督导");
    assert_string_equal(key("（1）压实责任"), "压实责任");
    assert_string_equal(key("第一章 总则"), "总则");
    assert_string_equal(key("第五章　法律责任"), "法律责任");
    /* numerals that are words stay */
    assert_string_equal(key("十大工程建设"), "十大工程建设");
    assert_string_equal(key("“三个一”工程"), "三个一工程");
    /* nothing left */
    assert_string_equal(key("一、"), "");
    assert_int_equal(
        sc_heading_key("（一）。", strlen("（一）。"), (char[SC_HEADING_KEY_MAX]){ 0 }), 0);
    assert_int_equal(sc_heading_key(NULL, 0, (char[SC_HEADING_KEY_MAX]){ 0 }), 0);
    /* a very long heading is cut, never overrun */
    char big[2000] = "一、";
    for (int i = 0; i < 300; i++)
        strcat(big, "长");
    assert_true(strlen(key(big)) < SC_HEADING_KEY_MAX);
}

static void labels(void **state)
{
    (void)state;
    assert_int_equal(sc_heading_label_len("二、存在的问题", strlen("二、存在的问题")), 6);
    assert_int_equal(sc_heading_label_len("（十二）做法", strlen("（十二）做法")), 12);
    assert_int_equal(sc_heading_label_len("第三条 规定", strlen("第三条 规定")), 10);
    assert_int_equal(sc_heading_label_len("12.做法", strlen("12.做法")), 3);
    assert_int_equal(sc_heading_label_len("存在的问题", strlen("存在的问题")), 0);
    assert_int_equal(sc_heading_label_len("十大工程", strlen("十大工程")), 0);
    assert_int_equal(sc_heading_label_len(NULL, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clusters),
        cmocka_unit_test(labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
