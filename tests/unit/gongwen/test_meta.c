/*
 * Metadata (lib/gongwen/meta.c): 文种, year, issuing unit, admin level and
 * topics, from titles and text. NULL / 0 where the text says nothing.
 */
#include "gw_test.h"

struct meta_case {
    const char *text;  /* title line first */
    const char *genre; /* NULL = none */
    int year;
    const char *unit;
    const char *level;
    const char *topics; /* joined with '|', "" = none */
};

static const struct meta_case cases[] = {
    { "区发改局2023年食品安全工作总结\n正文。", "工作总结", 2023, "区发改局", "区", "食品安全" },
    { "2023年度全面依法治区工作总结\n正文。", "工作总结", 2023, NULL, NULL, "依法治区" },
    { "县退役军人事务局2023年巩固脱贫成果工作总结\n正文。", "工作总结", 2023, "县退役军人事务局",
      "县", "巩固脱贫成果" },
    { "XX街道2023年工作总结\n正文。", "工作总结", 2023, "XX街道", "街道", "" },
    { "市自然资源和规划局2023年度法治建设和普法工作总结\n正文。", "工作总结", 2023,
      "市自然资源和规划局", "市", "法治建设|普法" },
    { "区自然资源分局2023年度“谁执法谁普法”工作总结\n正文。", "工作总结", 2023, "区自然资源分局",
      "区", "谁执法谁普法" },
    { "海拉尔区2012年政府工作报告\n各位代表：", "政府工作报告", 2012, "海拉尔区人民政府", "区",
      "" },
    /* a 政府工作报告's government: the head's line, the meeting line, 我代表 */
    { "政府工作报告\n——2026年1月20日在XX省第十四届人民代表大会第五次会议上\nXX省省长　XXX\n各位代表：",
      "政府工作报告", 2026, "XX省人民政府", "省", "" },
    { "政府工作报告\n呼伦贝尔市海拉尔区人民政府代区长 XXX\n各位代表：", "政府工作报告", 0,
      "呼伦贝尔市海拉尔区人民政府", "区", "" },
    { "政府工作报告\n——2026年1月在广西壮族自治区第十四届人民代表大会第五次会议上\n省长　XXX",
      "政府工作报告", 2026, "广西壮族自治区人民政府", "省", "" },
    { "政府工作报告\n北京市市长 XXX\n各位代表：", "政府工作报告", 0, "北京市人民政府", "省", "" },
    { "政府工作报告\n各位代表：\n现在，我代表XX省人民政府向大会报告工作。", "政府工作报告", 0,
      "XX省人民政府", "省", "" },
    { "2026年XX省政府工作报告\n各位代表：\n现在，我代表省人民政府向大会报告工作。", "政府工作报告",
      2026, "XX省人民政府", "省", "" },
    { "政府工作报告\n省长 XXX\n各位代表：\n现在，我代表省人民政府向大会报告工作。", "政府工作报告",
      0, NULL, NULL, "" },
    { "政府工作报告\n省长　XXX\n各位代表：\n现在，我代表省人民政府向大会报告工作。\n正文。\n让我们在"
      "浙江省人民政府的领导下奋斗！",
      "政府工作报告", 0, "浙江省人民政府", "省", "" },
    /* the author of a 述职报告 signs with a post; the unit is before it */
    { "XX县农业农村局局长2023年度述职报告\n正文。", "述职报告", 2023, "XX县农业农村局", "县", "" },
    { "XX镇党委书记2023年度述职述廉报告\n正文。", "述职报告", 2023, "XX镇党委", "乡镇", "" },
    /* the 落款 when the title names no unit */
    { "关于开展XX专项整治工作的实施方案\n一、工作目标\n排查隐患。\nXX区安全生产委员会办公室\n2024年3月1日",
      "实施方案", 2024, "XX区安全生产委员会办公室", "区", "" },
    { "关于开展XX专项整治工作的实施方案\n正文。\nXX区人民政府 2024年3月1日", "实施方案", 2024,
      "XX区人民政府", "区", "" },
    { "国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知\n国办发〔2019〕3号\n各省：", "通知",
      2019, "国务院办公厅", "国家", "城镇小区配套幼儿园治理" },
    { "国务院关于河北雄安新区总体规划（2018—2035年）的批复\n国函〔2018〕159号\n河北省：", "批复",
      2018, "国务院", "国家", "" },
    { "XX市2021年至2025年发展规划纲要\n正文。", NULL, 0, NULL, NULL, "" },
    { "XX同志2023年度述职报告\n本人……", "述职报告", 2023, NULL, NULL, "" },
    /* the 落款 names the unit when the title does not */
    { "在全市经济工作会议上的讲话\n同志们：\n谢谢大家。\nXX市人民政府\n2024年1月5日", "讲话", 2024,
      "XX市人民政府", "市", "" },
    { "中华人民共和国预算法\n第一章 总则\n第一条 为了规范政府收支行为，制定本法。", "法律法规", 0,
      NULL, NULL, "" },
    /* an enactment line is not a 落款 date line */
    { "浙江省无人驾驶航空器公共安全管理规定\n2019年3月28日 浙江省第十三届人民代表大会常务委员会第十一次会议通过\n正文。",
      "法律法规", 0, NULL, NULL, "" },
    { "XX条例\n第一条 目的。\n第二条 本条例自2006年3月1日起施行。", "法律法规", 0, NULL, NULL, "" },
    { "XX局关于表彰先进的决定\n正文。\nXX局\n二〇二三年十二月五日", "决定", 2023, "XX局", NULL,
      "" },
    { "关于改进工作方法\n正文。", NULL, 0, NULL, NULL, "" },
    { "人体损伤程度鉴定标准\n范围", NULL, 0, NULL, NULL, "" },
    { "《新闻联播》文字稿（2022年9月24日）\n新闻摘要", "新闻稿", 2022, NULL, NULL, "" },
    /* the legal acts of a legislature or the supreme court; a government's
     * 决定 stays a 决定 */
    { "全国人民代表大会常务委员会关于修改《中华人民共和国XX法》的决定\n正文。", "法律法规", 0,
      "全国人民代表大会常务委员会", "国家", "" },
    { "最高人民法院关于XX问题的批复\n正文。", "法律法规", 0, "最高人民法院", "国家", "" },
    { "最高人民检察院关于XX罪名的意见\n正文。", "法律法规", 0, "最高人民检察院", "国家", "" },
    { "河南省人民代表大会常务委员会关于加强XX工作的决议\n正文。", "法律法规", 0,
      "河南省人民代表大会常务委员会", "省", "" },
    { "国务院关于2018年度国家科学技术奖励的决定\n正文。", "决定", 2018, "国务院", "国家", "" },
    /* a legislature's 决定 is a legal act */
    { "上海市人民代表大会常务委员会关于促进浦东新区高质量发展的决定\n正文。", "法律法规", 0,
      "上海市人民代表大会常务委员会", "省", "" },
    { "XX市XX区市场监管局2024年工作计划\n正文。", "工作计划", 2024, "XX市XX区市场监管局", "区",
      "" },
    { "区市场监管局2023年上半年工作总结\n正文。", "工作总结", 2023, "区市场监管局", "区", "" },
    { "市场监管局2023年工作总结\n正文。", "工作总结", 2023, "市场监管局", NULL, "" },
    { "杭州市西湖区XX街道2023年工作总结\n正文。", "工作总结", 2023, "杭州市西湖区XX街道", "街道",
      "" },
    { "XX县XX镇2023年脱贫攻坚工作总结\n正文。", "工作总结", 2023, "XX县XX镇", "乡镇", "脱贫攻坚" },
    { "XX村2023年工作总结\n正文。", "工作总结", 2023, "XX村", "村", "" },
    { "内蒙古自治区XX厅2023年工作要点\n正文。", "工作计划", 2023, "内蒙古自治区XX厅", "省", "" },
    { "国务院办公厅转发民政部关于进一步做好救助工作意见的通知\n正文。", "通知", 0, "国务院办公厅",
      "国家", "" },
    { "关于报送2023年工作总结的通知\n各单位：", "通知", 2023, NULL, NULL, "" },
    { "凝心聚力谋发展——XX局2023年工作总结\n正文。", "工作总结", 2023, NULL, NULL, "" },
    { "XX局2023年工作总结（修改稿）\n正文。", "工作总结", 2023, "XX局", NULL, "" },
    { "学习贯彻党的二十大精神心得体会：坚定信念\n正文。", "心得体会", 0, NULL, NULL, "" },
    { "XX县关于2023年安全生产工作的调研报告\n正文。", "调研报告", 2023, "XX县", "县", "安全生产" },
    { "XX区2024年优化营商环境实施方案\n正文。", "实施方案", 2024, "XX区", "区", "优化营商环境" },
    { "二〇二三年工作总结\n正文。", "工作总结", 2023, NULL, NULL, "" },
    { "一份没有文种的材料\n正文。\n2023年12月5日", NULL, 2023, NULL, NULL, "" },
    { "一份材料\n1998年写成的旧文章引用了很多内容。\n正文。", NULL, 0, NULL, NULL, "" },
};

static void check_case(const struct meta_case *c)
{
    struct sc_parsed p;
    gw_parse_ok(c->text, NULL, &p);
    assert_int_equal(p.narticles, 1);
    const struct sc_article *a = &p.articles[0];
    print_message("%s\n", a->title);
    if (c->genre)
        assert_string_equal(a->genre, c->genre);
    else
        assert_null(a->genre);
    assert_int_equal(a->year, c->year);
    if (c->unit)
        assert_string_equal(a->unit, c->unit);
    else
        assert_null(a->unit);
    if (c->level)
        assert_string_equal(a->level, c->level);
    else
        assert_null(a->level);
    struct sc_buf t = SC_BUF_INIT;
    for (size_t i = 0; i < a->ntopics; i++) {
        if (i)
            sc_buf_addc(&t, '|');
        sc_buf_adds(&t, a->topics[i]);
    }
    assert_string_equal(t.data, c->topics);
    sc_buf_release(&t);
    sc_parsed_release(&p);
}

static void table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_case(&cases[i]);
}

/* Each article of a 汇编 has its own metadata. */
static void seed_metadata(void **state)
{
    (void)state;
    size_t len;
    char *data = gw_read_shared("corpus/seed/" SEED_NAME, &len);
    struct sc_parsed p;
    assert_int_equal(sc_gongwen_parse(data, len, NULL, &p, NULL), SC_OK);
    static const char *const units[] = { NULL,
                                         NULL,
                                         NULL,
                                         "XX街道",
                                         "区发改局",
                                         "区自然资源分局",
                                         "市工信局",
                                         "市自然资源和规划局",
                                         "县退役军人事务局" };
    static const char *const levels[] = { NULL, NULL, NULL, "街道", "区", "区", "市", "市", "县" };
    for (size_t i = 0; i < 9; i++) {
        const struct sc_article *a = &p.articles[i];
        assert_string_equal(a->genre, "工作总结");
        assert_int_equal(a->year, 2023);
        if (units[i])
            assert_string_equal(a->unit, units[i]);
        else
            assert_null(a->unit);
        if (levels[i])
            assert_string_equal(a->level, levels[i]);
        else
            assert_null(a->level);
    }
    assert_int_equal(p.articles[4].ntopics, 1);
    assert_string_equal(p.articles[4].topics[0], "食品安全");
    assert_int_equal(p.articles[2].ntopics, 0); /* "2023年工作总结" has no theme */
    sc_parsed_release(&p);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table),
        cmocka_unit_test(seed_metadata),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
