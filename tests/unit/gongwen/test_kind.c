/*
 * Section kinds (lib/gongwen/kind.c): names, search aliases, the kind
 * table on headings, and inheritance from the parent section.
 */
#include "gw_test.h"

static void names(void **state)
{
    (void)state;
    assert_string_equal(sc_kind_name(SC_KIND_OTHER), "other");
    assert_string_equal(sc_kind_name(SC_KIND_OVERVIEW), "overview");
    assert_string_equal(sc_kind_name(SC_KIND_WORK), "work");
    assert_string_equal(sc_kind_name(SC_KIND_RESULTS), "results");
    assert_string_equal(sc_kind_name(SC_KIND_PROBLEMS), "problems");
    assert_string_equal(sc_kind_name(SC_KIND_PLANS), "plans");
    assert_string_equal(sc_kind_name(SC_KIND_COUNT), "other");
    assert_string_equal(sc_kind_name((enum sc_section_kind) - 3), "other");
    /* every name parses back to its kind */
    for (int k = 0; k < SC_KIND_COUNT; k++) {
        const char *n = sc_kind_name((enum sc_section_kind)k);
        assert_int_equal(sc_kind_parse(n, strlen(n)), k);
    }
}

static void aliases(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int kind;
    } cases[] = {
        { "问题", SC_KIND_PROBLEMS },
        { "不足", SC_KIND_PROBLEMS },
        { "存在的问题", SC_KIND_PROBLEMS },
        { "做法", SC_KIND_WORK },
        { "措施", SC_KIND_WORK },
        { "工作", SC_KIND_WORK },
        { "成效", SC_KIND_RESULTS },
        { "亮点", SC_KIND_RESULTS },
        { "经验", SC_KIND_RESULTS },
        { "打算", SC_KIND_PLANS },
        { "计划", SC_KIND_PLANS },
        { "下一步", SC_KIND_PLANS },
        { "情况", SC_KIND_OVERVIEW },
        { "基本情况", SC_KIND_OVERVIEW },
        { "其他", SC_KIND_OTHER },
        { "Problems", SC_KIND_PROBLEMS },
        { " plans ", SC_KIND_PLANS },
        { "WORK", SC_KIND_WORK },
        { "plan", SC_KIND_PLANS },
        { "result", SC_KIND_RESULTS },
        { "", -1 },
        { "问", -1 },
        { "problemsx", -1 },
        { "下一步打算吧", -1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(sc_kind_parse(cases[i].s, strlen(cases[i].s)), cases[i].kind);
    assert_int_equal(sc_kind_parse(NULL, 0), -1);
    /* length is honoured: "问题" out of "问题xyz" */
    assert_int_equal(sc_kind_parse("问题xyz", strlen("问题")), SC_KIND_PROBLEMS);
}

static enum sc_section_kind kind_of(const struct sc_section *s, size_t n, const char *label,
                                    const char *heading)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s[i].label, label) == 0 && strcmp(s[i].heading, heading) == 0)
            return s[i].kind;
    fail_msg("no section %s%s", label, heading);
    return SC_KIND_OTHER;
}

static void classify(void **state)
{
    (void)state;
    static const char text[] = "标题\n"
                               "一、基本情况\n"
                               "二、主要做法\n"
                               "（一）强化组织领导\n"
                               "（二）补齐民生短板\n"
                               "（三）存在的问题\n"
                               "三、取得的成效\n"
                               "（一）群众满意度提升\n"
                               "四、存在的困难和问题\n"
                               "（一）基础设施薄弱\n"
                               "五、2024年工作打算\n"
                               "（一）确保生态建设取得新成效\n"
                               "六、其他事项\n"
                               "（一）工作中的困难\n"
                               "（二）有关情况\n"
                               "七、工作开展情况\n"
                               "八、特色亮点工作\n"
                               "九、下一步工作计划\n";
    struct sc_section *s;
    size_t n;
    assert_int_equal(sc_outline_parse(text, strlen(text), &s, &n), SC_OK);
    assert_int_equal(kind_of(s, n, "一、", "基本情况"), SC_KIND_OVERVIEW);
    assert_int_equal(kind_of(s, n, "二、", "主要做法"), SC_KIND_WORK);
    /* inherits: its own heading says nothing */
    assert_int_equal(kind_of(s, n, "（一）", "强化组织领导"), SC_KIND_WORK);
    /* a weak word (短板) does not override the parent */
    assert_int_equal(kind_of(s, n, "（二）", "补齐民生短板"), SC_KIND_WORK);
    /* a strong phrase does */
    assert_int_equal(kind_of(s, n, "（三）", "存在的问题"), SC_KIND_PROBLEMS);
    assert_int_equal(kind_of(s, n, "三、", "取得的成效"), SC_KIND_RESULTS);
    assert_int_equal(kind_of(s, n, "（一）", "群众满意度提升"), SC_KIND_RESULTS);
    assert_int_equal(kind_of(s, n, "四、", "存在的困难和问题"), SC_KIND_PROBLEMS);
    assert_int_equal(kind_of(s, n, "（一）", "基础设施薄弱"), SC_KIND_PROBLEMS);
    assert_int_equal(kind_of(s, n, "五、", "2024年工作打算"), SC_KIND_PLANS);
    assert_int_equal(kind_of(s, n, "（一）", "确保生态建设取得新成效"), SC_KIND_PLANS);
    assert_int_equal(kind_of(s, n, "六、", "其他事项"), SC_KIND_OTHER);
    /* under an "other" parent a weak word is enough */
    assert_int_equal(kind_of(s, n, "（一）", "工作中的困难"), SC_KIND_PROBLEMS);
    assert_int_equal(kind_of(s, n, "（二）", "有关情况"), SC_KIND_OVERVIEW);
    assert_int_equal(kind_of(s, n, "七、", "工作开展情况"), SC_KIND_WORK);
    assert_int_equal(kind_of(s, n, "八、", "特色亮点工作"), SC_KIND_RESULTS);
    assert_int_equal(kind_of(s, n, "九、", "下一步工作计划"), SC_KIND_PLANS);
    sc_sections_free(s, n);
}

/* The seed: 依法治区 summary kinds, top to bottom. */
static void seed_kinds(void **state)
{
    (void)state;
    size_t len;
    char *data = gw_read_shared("corpus/seed/" SEED_NAME, &len);
    struct sc_parsed p;
    assert_int_equal(sc_gongwen_parse(data, len, NULL, &p, NULL), SC_OK);
    const struct sc_article *a = &p.articles[1];
    static const enum sc_section_kind top[] = { SC_KIND_WORK, SC_KIND_RESULTS, SC_KIND_PROBLEMS,
                                                SC_KIND_PLANS };
    size_t k = 0;
    for (size_t i = 0; i < a->nsections; i++) {
        if (a->sections[i].level == 1)
            assert_int_equal(a->sections[i].kind, top[k++]);
        else if (k > 0)
            assert_int_equal(a->sections[i].kind, top[k - 1]); /* inherited */
    }
    assert_int_equal(k, 4);
    /* 市工信局: 主要工作完成情况 (the figures achieved), 主要举措, 存在的问题,
     * 2024年工作打算 */
    a = &p.articles[6];
    static const enum sc_section_kind gx[] = { SC_KIND_RESULTS, SC_KIND_WORK, SC_KIND_PROBLEMS,
                                               SC_KIND_PLANS };
    k = 0;
    for (size_t i = 0; i < a->nsections; i++)
        if (a->sections[i].level == 1)
            assert_int_equal(a->sections[i].kind, gx[k++]);
    assert_int_equal(k, 4);
    sc_parsed_release(&p);
    free(data);
}

/* A provincial 政府工作报告 (tests/golden/gongwen/province_report.txt): the
 * review is results, the five-year targets, the coming year and 政府自身建设
 * are plans, and the subsections follow their parts; the same with titles
 * without a number above the parts (province_parts.txt). */
static void province_report_kinds(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        enum sc_section_kind top[4];
    } cases[] = {
        { "province_report.txt", { SC_KIND_RESULTS, SC_KIND_PLANS, SC_KIND_PLANS, SC_KIND_PLANS } },
        { "province_parts.txt", { SC_KIND_RESULTS, SC_KIND_PLANS, SC_KIND_PLANS, SC_KIND_PLANS } },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char path[256];
        snprintf(path, sizeof path, "tests/golden/gongwen/%s", cases[c].file);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        static char buf[1 << 16];
        size_t len = fread(buf, 1, sizeof buf, f);
        fclose(f);
        struct sc_parsed p;
        assert_int_equal(sc_gongwen_parse(buf, len, NULL, &p, NULL), SC_OK);
        const struct sc_article *a = &p.articles[0];
        assert_string_equal(a->genre, "政府工作报告");
        assert_int_equal(a->year, 2026);
        assert_string_equal(a->unit, "XX省人民政府");
        assert_string_equal(a->level, "省");
        size_t k = 0;
        for (size_t i = 0; i < a->nsections; i++) {
            if (a->sections[i].level == 1)
                assert_int_equal(a->sections[i].kind, cases[c].top[k++]);
            else
                assert_int_equal(a->sections[i].kind, cases[c].top[k - 1]);
        }
        assert_int_equal(k, 4);
        sc_parsed_release(&p);
    }
}

/* What a heading says about time, against the document's year. */
static void heading_times(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        enum sc_section_kind kind;
    } cases[] = {
        /* a report for 2016: 2015 and 十二五 are past, 2016 and 十三五 ahead */
        { "海拉尔区2016年政府工作报告\n一、2015年经济社会发展\n"
          "全区地区生产总值完成274亿元，同比增长9.1%。\n",
          SC_KIND_RESULTS },
        { "海拉尔区2016年政府工作报告\n一、2016年主要工作\n要狠抓项目建设。\n", SC_KIND_PLANS },
        { "海拉尔区2016年政府工作报告\n一、“十二五”时期主要成就\n经济总量翻番。\n",
          SC_KIND_RESULTS },
        { "海拉尔区2016年政府工作报告\n一、“十三五”时期奋斗方向\n要全面建成小康社会。\n",
          SC_KIND_PLANS },
        /* a 总结 looks back: its year and its unnamed sections are the work done */
        { "XX局2023年工作总结\n一、2023年工作开展\n开展培训5次。\n", SC_KIND_WORK },
        { "XX局2023年工作总结\n一、强化组织领导\n成立了领导小组。\n", SC_KIND_WORK },
        { "XX局2023年工作总结\n一、2024年工作思路\n继续抓好培训。\n", SC_KIND_PLANS },
        /* a 方案 looks ahead, even at its 主要工作 and 保障措施 */
        { "XX区专项整治实施方案\n一、主要工作\n开展隐患排查。\n", SC_KIND_PLANS },
        { "XX区专项整治实施方案\n一、整治内容\n排查危险化学品企业。\n", SC_KIND_PLANS },
        /* in a report without words in the heading, the body's tense decides */
        { "政府工作报告\n一、坚定不移推进高质量发展\n我们将加快建设现代化产业体系，要力争全年增长5%，确保完成目标。\n",
          SC_KIND_PLANS },
        { "政府工作报告\n一、经济运行稳中有进\n一年来，全省地区生产总值同比增长5.2%，顺利完成了全年目标。\n",
          SC_KIND_RESULTS },
        /* a 函 answers: its 关于…问题 items are topics, not problems */
        { "国务院办公厅关于XX问题的复函\n一、关于港口建设问题\n同意你省意见。\n", SC_KIND_OTHER },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sc_parsed p;
        assert_int_equal(sc_gongwen_parse(cases[i].text, strlen(cases[i].text), NULL, &p, NULL),
                         SC_OK);
        print_message("%s\n", cases[i].text);
        assert_int_equal(p.articles[0].nsections, 1);
        assert_int_equal(p.articles[0].sections[0].kind, cases[i].kind);
        sc_parsed_release(&p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names),
        cmocka_unit_test(aliases),
        cmocka_unit_test(classify),
        cmocka_unit_test(seed_kinds),
        cmocka_unit_test(province_report_kinds),
        cmocka_unit_test(heading_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
