/*
 * The outline (lib/gongwen/outline.c): heading levels and labels, headings
 * that open a paragraph, false positives, section ranges and nesting, 一是
 * points, regulations (第一章 / 第一条), numbering faults, and the seed's
 * 区发改局 summary.
 */
#include "gw_test.h"

struct outline {
    struct sc_section *s;
    size_t n;
    const char *text;
};

static void parse_outline(const char *text, struct outline *o)
{
    o->text = text;
    assert_int_equal(sc_outline_parse(text, strlen(text), &o->s, &o->n), SC_OK);
}

static int64_t cp_of(const char *text, const char *needle)
{
    const char *at = strstr(text, needle);
    assert_non_null(at);
    return (int64_t)sc_utf8_count(text, (size_t)(at - text));
}

static void check_section(const struct outline *o, size_t i, int level, const char *label,
                          const char *heading)
{
    assert_true(i < o->n);
    assert_int_equal(o->s[i].level, level);
    assert_string_equal(o->s[i].label, label);
    assert_string_equal(o->s[i].heading, heading);
}

static void levels_and_ranges(void **state)
{
    (void)state;
    static const char text[] = "标题\n"
                               "前言段落。\n"
                               "一、总体情况\n"
                               "（一）基本面\n"
                               "1.产值\n"
                               "（1）一季度\n"
                               "(2)二季度\n"
                               "2．投资\n"
                               "3、消费\n"
                               "(二)结构\n"
                               "二、下一步打算\n"
                               "结尾。";
    struct outline o;
    parse_outline(text, &o);
    assert_int_equal(o.n, 9);
    check_section(&o, 0, 1, "一、", "总体情况");
    check_section(&o, 1, 2, "（一）", "基本面");
    check_section(&o, 2, 3, "1.", "产值");
    check_section(&o, 3, 4, "（1）", "一季度");
    check_section(&o, 4, 4, "(2)", "二季度");
    check_section(&o, 5, 3, "2．", "投资");
    check_section(&o, 6, 3, "3、", "消费");
    check_section(&o, 7, 2, "(二)", "结构");
    check_section(&o, 8, 1, "二、", "下一步打算");
    /* ranges: from the heading to the next heading of the same or a higher
     * level, or the end of the text */
    int64_t total = (int64_t)sc_utf8_count(text, strlen(text));
    assert_int_equal(o.s[0].start_cp, cp_of(text, "一、"));
    assert_int_equal(o.s[0].end_cp, cp_of(text, "二、"));
    assert_int_equal(o.s[1].end_cp, cp_of(text, "(二)"));
    assert_int_equal(o.s[2].end_cp, cp_of(text, "2．"));
    assert_int_equal(o.s[3].end_cp, cp_of(text, "(2)"));
    assert_int_equal(o.s[4].end_cp, cp_of(text, "2．"));
    assert_int_equal(o.s[6].end_cp, cp_of(text, "(二)"));
    assert_int_equal(o.s[8].end_cp, total);
    /* nesting: every section lies within the nearest earlier one of lower level */
    for (size_t i = 0; i < o.n; i++) {
        assert_true(o.s[i].start_cp < o.s[i].end_cp);
        for (size_t j = i; j-- > 0;) {
            if (o.s[j].level < o.s[i].level) {
                assert_true(o.s[j].start_cp <= o.s[i].start_cp && o.s[i].end_cp <= o.s[j].end_cp);
                break;
            }
        }
        assert_null(o.s[i].fault);
    }
    sc_sections_free(o.s, o.n);
}

/* A heading opening a paragraph ends at the first 。, ： or ；. */
static void inline_headings(void **state)
{
    (void)state;
    static const char text[] = "标题\n"
                               "（一）强化组织领导。局D组始终坚持以人民为中心。\n"
                               "（二）人大工作：按照基层单元“下楼出院”的建设要求。\n"
                               "（三）抓监督管理；提高管粮治粮水平。\n"
                               "（四）进一步夯实基层基础，不断提高数据质量\n"
                               "（五）\n";
    struct outline o;
    parse_outline(text, &o);
    assert_int_equal(o.n, 5);
    check_section(&o, 0, 2, "（一）", "强化组织领导");
    check_section(&o, 1, 2, "（二）", "人大工作");
    check_section(&o, 2, 2, "（三）", "抓监督管理");
    check_section(&o, 3, 2, "（四）", "进一步夯实基层基础，不断提高数据质量");
    check_section(&o, 4, 2, "（五）", "");
    sc_sections_free(o.s, o.n);
}

static void false_positives(void **state)
{
    (void)state;
    static const char text[] = "一、标题行不算\n"
                               "1.5亿元的投资已经到位。\n"
                               "2023年，全区经济运行总体平稳，一、二、三产业协调发展。\n"
                               "一、二、三产业增加值分别增长5%。\n"
                               "3.2%的增幅高于全市。\n"
                               "12.5万人次参加培训。\n"
                               "第一条是最重要的经验。\n"
                               "统一是前提，唯一是目标。\n"
                               "（一）\n";
    struct outline o;
    parse_outline(text, &o);
    assert_int_equal(o.n, 1); /* only the last line */
    check_section(&o, 0, 2, "（一）", "");
    assert_int_equal(o.s[0].npoints, 0);
    sc_sections_free(o.s, o.n);

    parse_outline("只有标题", &o);
    assert_int_equal(o.n, 0);
    assert_null(o.s);
    assert_int_equal(sc_outline_parse("", 0, &o.s, &o.n), SC_OK);
    assert_int_equal(o.n, 0);
    assert_int_equal(sc_outline_parse(NULL, 5, &o.s, &o.n), SC_EINVAL);
    assert_int_equal(sc_outline_parse("x", 1, NULL, &o.n), SC_EINVAL);
    sc_sections_free(NULL, 0);
}

static void points(void **state)
{
    (void)state;
    static const char text[] =
        "标题\n"
        "一是开篇不在任何一节里。二是也不算。\n"
        "（一）加强反食品浪费工作。一是深入贯彻落实。二是建立机制；三是强化监督。\n"
        "（二）落实责任\n"
        "一是压实主体责任。\n"
        "二是完善考核办法。\n"
        "（三）统一是基础\n"
        "唯一是不够的，一是单独出现也不算。\n"
        "（四）两组：一是甲；二是乙。一是丙；二是丁。\n";
    struct outline o;
    parse_outline(text, &o);
    assert_int_equal(o.n, 4);
    const struct sc_section *s = &o.s[0];
    assert_int_equal(s->npoints, 3);
    assert_string_equal(s->points[0].label, "一是");
    assert_string_equal(s->points[1].label, "二是");
    assert_string_equal(s->points[2].label, "三是");
    assert_int_equal(s->points[0].start_cp, cp_of(text, "一是深入"));
    assert_int_equal(s->points[0].end_cp, cp_of(text, "二是建立"));
    assert_int_equal(s->points[1].end_cp, cp_of(text, "三是强化"));
    assert_int_equal(s->points[2].end_cp, cp_of(text, "\n（二）"));
    /* points on their own paragraphs end with their paragraph */
    s = &o.s[1];
    assert_int_equal(s->npoints, 2);
    assert_int_equal(s->points[0].start_cp, cp_of(text, "一是压实"));
    assert_int_equal(s->points[0].end_cp, cp_of(text, "\n二是完善"));
    assert_int_equal(s->points[1].start_cp, cp_of(text, "二是完善"));
    /* a lone 一是, 统一是, 唯一是 are prose */
    assert_int_equal(o.s[2].npoints, 0);
    /* two runs in one paragraph: the first run's last point ends where the
     * second run starts */
    s = &o.s[3];
    assert_int_equal(s->npoints, 4);
    assert_int_equal(s->points[1].end_cp, cp_of(text, "一是丙"));
    assert_int_equal(s->points[2].start_cp, cp_of(text, "一是丙"));
    for (size_t i = 0; i < o.n; i++)
        for (size_t j = 0; j < o.s[i].npoints; j++)
            assert_true(o.s[i].start_cp <= o.s[i].points[j].start_cp &&
                        o.s[i].points[j].start_cp < o.s[i].points[j].end_cp &&
                        o.s[i].points[j].end_cp <= o.s[i].end_cp);
    sc_sections_free(o.s, o.n);
}

static void regulation(void **state)
{
    (void)state;
    static const char text[] = "XX市物业管理条例\n"
                               "第一章 总则\n"
                               "第一条 为了规范物业管理活动，制定本条例。\n"
                               "第二条【适用范围】本条例适用于本市行政区域内的物业管理。\n"
                               "第二章　业主和业主大会\n"
                               "第一节 业主\n"
                               "第三条 业主享有下列权利：\n"
                               "（一）按照物业服务合同的约定，接受服务；\n"
                               "（二）提议召开业主大会会议；\n"
                               "第二节 业主大会\n"
                               "第四条 业主大会由全体业主组成。\n";
    struct outline o;
    parse_outline(text, &o);
    assert_int_equal(o.n, 8);
    /* 章 1, 节 2, 条 3; the （一） items of a 条 are list items, not headings */
    check_section(&o, 0, 1, "第一章", "总则");
    check_section(&o, 1, 3, "第一条", "");
    check_section(&o, 2, 3, "第二条", "适用范围");
    check_section(&o, 3, 1, "第二章", "业主和业主大会");
    check_section(&o, 4, 2, "第一节", "业主");
    check_section(&o, 5, 3, "第三条", "");
    check_section(&o, 6, 2, "第二节", "业主大会");
    check_section(&o, 7, 3, "第四条", "");
    assert_int_equal(o.s[5].end_cp, cp_of(text, "第二节"));
    assert_int_equal(o.s[3].end_cp, (int64_t)sc_utf8_count(text, strlen(text)));
    /* 条 numbering runs through the chapters: no fault */
    for (size_t i = 0; i < o.n; i++)
        assert_null(o.s[i].fault);
    sc_sections_free(o.s, o.n);

    /* one stray 第一条 in a report is not a regulation */
    parse_outline("标题\n一、做法\n第一条经验：坚持学习。\n二、打算\n", &o);
    assert_int_equal(o.n, 2);
    check_section(&o, 0, 1, "一、", "做法");
    sc_sections_free(o.s, o.n);
}

static void numbering_faults(void **state)
{
    (void)state;
    static const char text[] = "标题\n"
                               "一、甲\n"
                               "（一）子一\n"
                               "（三）子三\n"
                               "（三）又是三\n"
                               "（二）回头\n"
                               "二、乙\n"
                               "（三）接着编号\n"
                               "（四）子四\n"
                               "四、丁\n"
                               "21、条目\n"
                               "22、条目\n"
                               "22、条目\n"
                               "五、戊\n"
                               "（三）从三开始\n";
    struct outline o;
    parse_outline(text, &o);
    assert_int_equal(o.n, 14);
    assert_null(o.s[0].fault);
    assert_null(o.s[1].fault);
    assert_string_equal(o.s[2].fault, "gap: （二） missing");
    assert_string_equal(o.s[3].fault, "duplicate label （三）");
    assert_string_equal(o.s[4].fault, "out of order: （二） after （三）");
    assert_null(o.s[5].fault);
    assert_null(o.s[6].fault); /* （三） under 二、 continues （一）（二） under 一、 */
    assert_null(o.s[7].fault);
    assert_string_equal(o.s[8].fault, "gap: 三、 missing");
    assert_string_equal(o.s[9].fault, "gap: 1、…20、 missing");
    assert_null(o.s[10].fault);
    assert_string_equal(o.s[11].fault, "duplicate label 22、");
    assert_null(o.s[12].fault);
    assert_string_equal(o.s[13].fault, "gap: （一）…（二） missing");
    /* faults are recorded, never fixed: both 22、 stay headings */
    assert_string_equal(o.s[10].label, "22、");
    assert_string_equal(o.s[11].label, "22、");
    sc_sections_free(o.s, o.n);
}

/* The seed's 区发改局 summary: 一、 with （一）…（五）, 二、, 三、. */
static void seed_food_safety_outline(void **state)
{
    (void)state;
    size_t len;
    char *data = gw_read_shared("corpus/seed/" SEED_NAME, &len);
    struct sc_parsed p;
    assert_int_equal(sc_gongwen_parse(data, len, NULL, &p, NULL), SC_OK);
    const struct sc_article *a = &p.articles[4];
    assert_string_equal(a->title, "区发改局2023年食品安全工作总结");
    static const struct {
        int level;
        const char *label, *heading;
        enum sc_section_kind kind;
        size_t npoints;
    } want[] = {
        { 1, "一、", "2023年主要工作", SC_KIND_WORK, 0 },
        { 2, "（一）", "强化组织领导", SC_KIND_WORK, 0 },
        { 2, "（二）", "注重动员宣传", SC_KIND_WORK, 0 },
        { 2, "（三）", "加强反食品浪费工作", SC_KIND_WORK, 3 },
        { 2, "（四）", "切实做好粮食检测收购储备工作", SC_KIND_WORK, 3 },
        { 2, "（五）", "抓监督管理，提高管粮治粮水平", SC_KIND_WORK, 2 },
        { 1, "二、", "尚在进行中工作情况", SC_KIND_OVERVIEW, 2 },
        { 1, "三、", "下一步工作计划", SC_KIND_PLANS, 3 },
    };
    assert_int_equal(a->nsections, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < a->nsections; i++) {
        const struct sc_section *s = &a->sections[i];
        assert_int_equal(s->level, want[i].level);
        assert_string_equal(s->label, want[i].label);
        assert_string_equal(s->heading, want[i].heading);
        assert_int_equal(s->kind, want[i].kind);
        assert_int_equal(s->npoints, want[i].npoints);
        assert_true(gw_cp_starts(&a->text, s->start_cp, want[i].label));
        assert_null(s->fault);
    }
    assert_int_equal(a->sections[7].end_cp, (int64_t)sc_utf8_count(a->text.data, a->text.len));
    assert_true(gw_cp_starts(&a->text, a->sections[7].points[2].start_cp, "三是抓反食品浪费"));

    /* the seed's numbering faults: 22、 twice (document 4), （三） twice (9) */
    const struct sc_section *dup = NULL;
    for (size_t i = 0; i < p.articles[3].nsections; i++)
        if (p.articles[3].sections[i].fault)
            dup = &p.articles[3].sections[i];
    assert_non_null(dup);
    assert_string_equal(dup->label, "22、");
    assert_string_equal(dup->fault, "duplicate label 22、");
    assert_string_equal(dup->heading, "农业水利及乡村振兴工作");
    size_t faults = 0;
    for (size_t i = 0; i < p.articles[8].nsections; i++) {
        if (p.articles[8].sections[i].fault) {
            faults++;
            assert_string_equal(p.articles[8].sections[i].fault, "duplicate label （三）");
        }
    }
    assert_int_equal(faults, 1);
    sc_parsed_release(&p);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(levels_and_ranges),
        cmocka_unit_test(inline_headings),
        cmocka_unit_test(false_positives),
        cmocka_unit_test(points),
        cmocka_unit_test(regulation),
        cmocka_unit_test(numbering_faults),
        cmocka_unit_test(seed_food_safety_outline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
