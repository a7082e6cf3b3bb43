/*
 * Numbered lines that are list items, not headings (lib/gongwen/outline.c):
 * a law's items inside a 第X条, items ending in ；, items an introduction
 * announces, glossaries, appended lists, notes, table rows, attachment
 * lists, the items of a list item; and the forms beside the 公文 labels:
 * titles without a number, decimal outlines, circled numbers, 第一， points.
 */
#include "gw_test.h"

struct outline {
    struct sc_section *s;
    size_t n;
};

static void parse_outline(const char *text, struct outline *o)
{
    assert_int_equal(sc_outline_parse(text, strlen(text), &o->s, &o->n), SC_OK);
}

/* Is there a section whose label and heading are these? */
static const struct sc_section *find(const struct outline *o, const char *label,
                                     const char *heading)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->s[i].label, label) == 0 && strcmp(o->s[i].heading, heading) == 0)
            return &o->s[i];
    return NULL;
}

static void check(const struct outline *o, size_t i, int level, const char *label,
                  const char *heading)
{
    assert_true(i < o->n);
    assert_string_equal(o->s[i].label, label);
    assert_string_equal(o->s[i].heading, heading);
    assert_int_equal(o->s[i].level, level);
}

static void law_items(void **state)
{
    (void)state;
    /* every 公文-form line inside a 第X条 is an item of the article, with or
     * without its semicolon */
    static const char text[] = "XX市养犬管理条例\n"
                               "第一章 总则\n"
                               "第一条 为了规范养犬行为，制定本条例。\n"
                               "第二条 养犬人应当遵守下列规定：\n"
                               "（一）按照规定为犬只接种疫苗；\n"
                               "（二）携犬出户时束犬链\n"
                               "1.犬链长度不超过一点五米。\n"
                               "第二章 管理\n"
                               "第三条 本条例自公布之日起施行。\n";
    struct outline o;
    parse_outline(text, &o);
    assert_int_equal(o.n, 5);
    check(&o, 0, 1, "第一章", "总则");
    check(&o, 2, 2, "第二条", "");
    check(&o, 3, 1, "第二章", "管理");
    assert_int_equal(o.s[2].end_cp, o.s[3].start_cp); /* the items stay inside their 条 */
    sc_sections_free(o.s, o.n);
}

static void semicolon_and_announced_lists(void **state)
{
    (void)state;
    static const char text[] = "关于加强社会团体管理的意见\n"
                               "一、总体要求\n"
                               "坚持依法管理，做好以下工作。\n"
                               "（一）健全登记制度；\n"
                               "（二）完善年检制度；\n"
                               "（三）强化日常监管。\n"
                               "二、保留条件\n"
                               "符合下列要求的社会团体予以保留：\n"
                               "1.有规范的名称。\n"
                               "2.有50个以上的成员。\n"
                               "3.有稳定的经费来源。\n"
                               "三、组织实施\n"
                               "（一）加强领导。各地要高度重视。\n"
                               "各级登记管理机关要加强统筹。\n"
                               "（二）强化督查。要定期开展督查。\n";
    struct outline o;
    parse_outline(text, &o);
    /* 一、 二、 三、 and the two titled items of 三、 */
    assert_int_equal(o.n, 5);
    check(&o, 0, 1, "一、", "总体要求");
    check(&o, 1, 1, "二、", "保留条件");
    check(&o, 2, 1, "三、", "组织实施");
    check(&o, 3, 2, "（一）", "加强领导");
    check(&o, 4, 2, "（二）", "强化督查");
    sc_sections_free(o.s, o.n);

    /* the same items with prose under each are headings, announced or not */
    parse_outline("标题\n为实现上述目标，要抓好以下工作：\n（一）扩大内需\n"
                  "实施扩大内需战略，提振消费。\n（二）保障民生\n落实就业优先政策。\n",
                  &o);
    assert_int_equal(o.n, 2);
    check(&o, 0, 2, "（一）", "扩大内需");
    sc_sections_free(o.s, o.n);

    /* titles on their own lines, no sentence: headings (a skeleton) */
    parse_outline("标题\n一、总体情况\n（1）一季度\n（2）二季度\n二、打算\n", &o);
    assert_int_equal(o.n, 4);
    sc_sections_free(o.s, o.n);

    /* （1）… statements with nothing under them: items */
    parse_outline("标题\n一、职责\n（1）负责综合协调工作。\n（2）负责督促检查工作。\n二、附则\n",
                  &o);
    assert_int_equal(o.n, 2);
    sc_sections_free(o.s, o.n);
}

static void glossary_and_appended_lists(void **state)
{
    (void)state;
    static const char text[] = "政府工作报告\n"
                               "一、2025年工作回顾\n"
                               "全年地区生产总值增长5%，城镇新增就业60万人，经济运行总体平稳。\n"
                               "二、2026年重点工作\n"
                               "（一）扩大有效需求。加快推进“两重”建设，积极推进“两新”工作。\n"
                               "名词解释\n"
                               "1.“两重”：国家重大战略实施和重点领域安全能力建设。\n"
                               "2.“两新”：新一轮大规模设备更新和消费品以旧换新。\n"
                               "附件\n"
                               "2026年省政府十件民生实事\n"
                               "一、就业增收\n"
                               "1.新增城镇就业60万人以上。\n"
                               "二、教育医疗\n"
                               "2.新建幼儿园100所。\n";
    struct outline o;
    parse_outline(text, &o);
    assert_int_equal(o.n, 3);
    check(&o, 0, 1, "一、", "2025年工作回顾");
    check(&o, 1, 1, "二、", "2026年重点工作");
    check(&o, 2, 2, "（一）", "扩大有效需求");
    sc_sections_free(o.s, o.n);

    /* 注释 is a glossary too, to the end, even with an entry on two lines */
    parse_outline(
        "标题\n一、总体要求\n要坚持稳中求进。\n注释\n1.“两重”：国家重大战略实施和重点领域安全能力建设。\n"
        "这是上一条的续行，说明有关情况。\n2.“两新”：新一轮大规模设备更新和消费品以旧换新。\n",
        &o);
    assert_int_equal(o.n, 1);
    sc_sections_free(o.s, o.n);

    /* a table in the body: the list ends where a numbered line has prose
     * under it again */
    parse_outline(
        "标题\n一、主要指标\n主要经济指标完成情况一览表\n1.地区生产总值\n2.财政收入\n"
        "二、存在的问题\n经济回升向好的基础还不稳固，创新能力还不够强，民生领域还有短板。\n",
        &o);
    assert_int_equal(o.n, 2);
    check(&o, 1, 1, "二、", "存在的问题");
    sc_sections_free(o.s, o.n);

    /* a note covers the numbered lines right after it, no more */
    parse_outline("标题\n一、总体要求\n注：\n1.本表数据为快报数。\n2.增速按可比价计算。\n"
                  "以上数据供参考。\n二、主要任务\n（一）扩大内需。要提振消费。\n",
                  &o);
    assert_int_equal(o.n, 3);
    check(&o, 1, 1, "二、", "主要任务");
    sc_sections_free(o.s, o.n);
}

static void attachments_tables_and_nested_items(void **state)
{
    (void)state;
    static const char text[] = "关于报送情况的复函\n"
                               "一、基本情况\n"
                               "现将有关情况函告如下。\n"
                               "附件：1.调查报告\n"
                               "2.专家意见\n"
                               "序号\t项目\n"
                               "1.\t道路工程\n"
                               "二、有关要求\n"
                               "请认真落实。\n";
    struct outline o;
    parse_outline(text, &o);
    assert_int_equal(o.n, 2);
    check(&o, 1, 1, "二、", "有关要求");
    sc_sections_free(o.s, o.n);

    /* a news summary: the list, and the items of a list item */
    parse_outline("《新闻联播》文字稿\n本期节目主要内容：\n1.各地推出便民举措；\n2.国内联播快讯：\n"
                  "（1）我国成功发射卫星；\n（2）寒潮影响中东部。\n3.国际联播快讯。\n",
                  &o);
    assert_int_equal(o.n, 0);
    sc_sections_free(o.s, o.n);
}

static void titles_without_a_number(void **state)
{
    (void)state;
    static const char text[] =
        "XX省2026年政府工作报告\n"
        "XX省人民政府省长　XXX\n"
        "各位代表：\n"
        "“十四五”时期发展成就和2025年工作回顾\n"
        "五年来，全省经济总量跨上新台阶，地区生产总值年均增长5.8%，人民生活水平稳步提高。\n"
        "（一）综合实力显著提升\n"
        "2025年全省地区生产总值增长5.5%，规模以上工业增加值增长6.3%，经济运行稳中有进。\n"
        "2026年重点工作\n"
        "今年要坚持稳中求进，统筹发展和安全，重点做好以下工作，确保开好局起好步。\n"
        "（一）着力扩大内需\n"
        "实施城乡居民增收计划，大力提振消费，扩大有效投资，推动经济持续回升向好。\n"
        "加强政府自身建设\n"
        "我们将坚持依法行政，深入推进廉洁政府建设，以实干实绩回应人民期待和信任。\n";
    struct outline o;
    parse_outline(text, &o);
    assert_int_equal(o.n, 5);
    check(&o, 0, 1, "", "“十四五”时期发展成就和2025年工作回顾");
    check(&o, 1, 2, "（一）", "综合实力显著提升"); /* the level below the title */
    check(&o, 2, 1, "", "2026年重点工作");
    check(&o, 3, 2, "（一）", "着力扩大内需");
    check(&o, 4, 1, "", "加强政府自身建设");
    assert_null(o.s[3].fault); /* numbering restarts under each part */
    assert_int_equal(o.s[0].end_cp, o.s[2].start_cp);
    sc_sections_free(o.s, o.n);

    /* a title followed by a short introduction that ends with a colon */
    parse_outline(
        "标题\n各位代表：\n过去五年工作回顾\n五年来，我们主要做了以下工作：\n（一）稳定经济增长\n"
        "全省地区生产总值年均增长5.6%，经济实力迈上新台阶，发展质量稳步提升。\n"
        "今后五年目标任务\n要锚定现代化目标，推动高质量发展，不断提高人民生活水平和质量。\n"
        "（一）建设现代化产业体系\n要做强先进制造业，加快发展现代服务业，推动产业转型升级。\n",
        &o);
    assert_int_equal(o.n, 4);
    check(&o, 0, 1, "", "过去五年工作回顾");
    check(&o, 2, 1, "", "今后五年目标任务");
    sc_sections_free(o.s, o.n);

    /* one such line with a numbered heading above it, or without numbered
     * headings below it, is prose; so are signatures and short table lines */
    parse_outline("标题\n一、总体情况\n全年经济运行总体平稳，主要指标完成较好，发展质量稳步提升。\n"
                  "2026年重点工作\n要坚持稳中求进，统筹发展和安全，推动高质量发展取得新成效。\n",
                  &o);
    assert_int_equal(o.n, 1);
    sc_sections_free(o.s, o.n);
    parse_outline(
        "标题\n全年经济运行总体平稳，主要指标完成较好，发展质量稳步提升。\n2026年重点工作\n"
        "要坚持稳中求进，统筹发展和安全，推动高质量发展取得新成效，努力完成全年目标。\n",
        &o);
    assert_int_equal(o.n, 0);
    sc_sections_free(o.s, o.n);

    /* a law's chapter that lost its 第X章 */
    parse_outline(
        "XX条例\n第一章 总则\n第一条 为了规范文明行为，制定本条例。\n倡导与规范\n"
        "第二条 公民应当践行社会主义核心价值观。\n第三章 法律责任\n第三条 违反规定的，予以批评教育。\n",
        &o);
    assert_int_equal(o.n, 6);
    check(&o, 2, 1, "", "倡导与规范");
    check(&o, 3, 2, "第二条", "");
    sc_sections_free(o.s, o.n);
}

static void decimal_and_circled(void **state)
{
    (void)state;
    static const char text[] = "国家XX应急预案\n"
                               "1　总则\n"
                               "1.1　编制目的\n"
                               "为了有效应对突发事件，制定本预案。\n"
                               "1.2　工作原则\n"
                               "（1）统一领导、分级负责。在国务院统一领导下开展工作。\n"
                               "（2）预防为主、快速反应。要提高防范意识。\n"
                               "2　组织机构\n"
                               "2.1　指挥部\n"
                               "2.1.1　指挥部职责\n"
                               "（1）负责综合协调。\n"
                               "（2）负责督促检查。\n"
                               "3.5万吨储备粮按计划轮换。\n";
    struct outline o;
    parse_outline(text, &o);
    assert_int_equal(o.n, 8);
    check(&o, 0, 1, "1", "总则");
    check(&o, 1, 2, "1.1", "编制目的");
    check(&o, 2, 2, "1.2", "工作原则");
    check(&o, 3, 4, "（1）", "统一领导、分级负责"); /* the form after the deepest decimal level */
    check(&o, 5, 1, "2", "组织机构");
    check(&o, 7, 3, "2.1.1", "指挥部职责");
    assert_null(find(&o, "（1）", "负责综合协调"));
    sc_sections_free(o.s, o.n);

    /* one 1.1 is not an outline */
    parse_outline("标题\n一、概况\n1.1 项目情况说明\n", &o);
    assert_int_equal(o.n, 1);
    sc_sections_free(o.s, o.n);

    /* ① below （1） */
    parse_outline("标题\n一、甲\n（一）乙\n1.丙\n（1）丁\n①戊。这是正文。\n②己。这是正文。\n", &o);
    assert_int_equal(o.n, 6);
    check(&o, 4, 5, "①", "戊");
    check(&o, 5, 5, "②", "己");
    sc_sections_free(o.s, o.n);
}

static void ordinal_points(void **state)
{
    (void)state;
    static const char text[] = "在全市经济工作会议上的讲话\n"
                               "一、认清形势\n"
                               "第一，坚持稳中求进。要保持定力。第二，坚持改革创新。要敢闯敢试。\n"
                               "第三，坚持底线思维。\n"
                               "第一条经验是团结。\n";
    struct outline o;
    parse_outline(text, &o);
    assert_int_equal(o.n, 1);
    assert_int_equal(o.s[0].npoints, 3);
    assert_string_equal(o.s[0].points[0].label, "第一");
    assert_string_equal(o.s[0].points[2].label, "第三");
    assert_true(o.s[0].points[0].end_cp <= o.s[0].points[1].start_cp);
    sc_sections_free(o.s, o.n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(law_items),
        cmocka_unit_test(semicolon_and_announced_lists),
        cmocka_unit_test(glossary_and_appended_lists),
        cmocka_unit_test(attachments_tables_and_nested_items),
        cmocka_unit_test(titles_without_a_number),
        cmocka_unit_test(decimal_and_circled),
        cmocka_unit_test(ordinal_points),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
