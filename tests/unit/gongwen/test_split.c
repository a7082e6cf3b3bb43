/*
 * Splitting sources into articles (lib/gongwen/parse.c): the seed 汇编
 * becomes its nine articles, 目录 styles, titles broken over lines, a
 * document's own 目录, front matter, the docx title hint, article text
 * form, and the error paths.
 */
#include "gw_test.h"

static const char *const seed_titles[] = {
    "2023年爱国卫生运动工作总结",
    "2023年度全面依法治区工作总结",
    "2023年工作总结",
    "XX街道2023年工作总结",
    "区发改局2023年食品安全工作总结",
    "区自然资源分局2023年度“谁执法谁普法”工作总结",
    "市工信局2023年工业经济工作总结",
    "市自然资源和规划局2023年度法治建设和普法工作总结",
    "县退役军人事务局2023年巩固脱贫成果工作总结",
};
static const int64_t seed_lines[] = { 20, 31, 60, 77, 107, 125, 152, 214, 253 };

static void seed_nine_articles(void **state)
{
    (void)state;
    size_t len;
    char *data = gw_read_shared("corpus/seed/" SEED_NAME, &len);
    struct sc_parsed p;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_gongwen_parse(data, len, NULL, &p, &d), SC_OK);
    assert_true(p.is_compilation);
    assert_int_equal(p.narticles, 9);
    gw_check_invariants(&p);
    for (size_t i = 0; i < 9; i++) {
        const struct sc_article *a = &p.articles[i];
        assert_string_equal(a->title, seed_titles[i]);
        assert_int_equal(a->src_line, seed_lines[i]);
        /* text: title as first line, then trimmed paragraphs, no blank lines */
        size_t tl = strlen(a->title);
        assert_memory_equal(a->text.data, a->title, tl);
        assert_int_equal(a->text.data[tl], '\n');
        assert_null(strstr(a->text.data, "\n\n"));
        assert_null(strstr(a->text.data, "\n\xE3\x80\x80")); /* U+3000 at a line start */
        assert_null(strstr(a->text.data, "\xE3\x80\x80\n"));
        assert_null(strstr(a->text.data, "##paid"));
        assert_null(strstr(a->text.data, "\n目录\n")); /* the 目录 belongs to no article */
        assert_null(strstr(a->text.data, "\t"));
        assert_true(a->text.data[a->text.len - 1] != '\n');
    }
    /* no advertising left in document 9 (or anywhere) */
    for (size_t i = 0; i < 9; i++) {
        assert_null(strstr(p.articles[i].text.data, "素材库"));
        assert_null(strstr(p.articles[i].text.data, "cwk"));
        assert_null(strstr(p.articles[i].text.data, "代笔"));
    }
    const struct sc_article *last = &p.articles[8];
    assert_true(strstr(last->text.data, "做好政策宣讲。") ==
                last->text.data + last->text.len - strlen("做好政策宣讲。"));
    /* the ads are recorded with their lines, nothing else */
    assert_int_equal(p.nboiler, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(p.boiler[i].line, 271 + (int64_t)i);
        assert_non_null(p.boiler[i].reason);
        assert_true(strlen(p.boiler[i].reason) > 4);
    }
    assert_non_null(strstr(p.boiler[0].text, "【哒哒素材库】"));
    assert_non_null(strstr(p.boiler[0].reason, "【…素材库】 banner"));
    assert_non_null(strstr(p.boiler[2].text, "cwk"));
    assert_non_null(strstr(p.boiler[3].reason, "【…代笔】 banner"));
    /* the first body paragraph of article 1 */
    int64_t t0 = (int64_t)sc_utf8_count(seed_titles[0], strlen(seed_titles[0]));
    assert_true(gw_cp_starts(&p.articles[0].text, t0 + 1, "为认真贯彻落实"));
    sc_parsed_release(&p);
    free(data);
}

/* A 汇编 with `title……page` entries, the collection title and 目录 listed
 * too, front matter before the first article and an entry missing from
 * the body. */
static const char toc_dots[] = "学习心得汇编\n"
                               "目  录\n"
                               "学习心得汇编……1\n"
                               "关于加强作风建设的心得体会……2\n"
                               "XX局2024年工作计划 ....5\n"
                               "不在正文里的标题 9\n"
                               "XX镇2023年述职报告\t12\n"
                               "编者按：本汇编供内部学习。\n"
                               "\n"
                               "关于加强作风建设的心得体会\n"
                               "　　作风建设永远在路上。\n"
                               "XX局2024年工作计划\n"
                               "一、指导思想\n"
                               "坚持稳中求进。\n"
                               "XX镇2023年述职报告\n"
                               "一年来，本人认真履职。\n";

static void toc_leader_styles(void **state)
{
    (void)state;
    struct sc_parsed p;
    gw_parse_ok(toc_dots, NULL, &p);
    assert_true(p.is_compilation);
    assert_int_equal(p.narticles, 3);
    assert_string_equal(p.articles[0].title, "关于加强作风建设的心得体会");
    assert_string_equal(p.articles[0].text.data,
                        "关于加强作风建设的心得体会\n作风建设永远在路上。");
    assert_int_equal(p.articles[0].src_line, 10);
    assert_string_equal(p.articles[1].title, "XX局2024年工作计划");
    assert_string_equal(p.articles[1].text.data,
                        "XX局2024年工作计划\n一、指导思想\n坚持稳中求进。");
    assert_string_equal(p.articles[2].title, "XX镇2023年述职报告");
    assert_int_equal(p.articles[2].src_line, 15);
    /* the front matter is kept, outside any article, not silently lost */
    assert_int_equal(p.nboiler, 1);
    assert_int_equal(p.boiler[0].line, 8);
    assert_string_equal(p.boiler[0].text, "编者按：本汇编供内部学习。");
    assert_non_null(strstr(p.boiler[0].reason, "front matter"));
    sc_parsed_release(&p);
}

/* A title broken over two lines in the body, matched to its 目录 entry;
 * full-width digits and spaces do not matter. */
static void toc_title_over_lines(void **state)
{
    (void)state;
    static const char text[] = "目录\n"
                               "国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知\t1\n"
                               "２０２３年 工作总结\t３\n"
                               "国务院办公厅关于开展\n"
                               "城镇小区配套幼儿园治理工作的通知\n"
                               "各省、自治区、直辖市人民政府：\n"
                               "2023年工作总结\n"
                               "今年以来，我们做了三件事。\n";
    struct sc_parsed p;
    gw_parse_ok(text, NULL, &p);
    assert_int_equal(p.narticles, 2);
    assert_string_equal(p.articles[0].title,
                        "国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知");
    assert_string_equal(p.articles[0].text.data,
                        "国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知\n"
                        "各省、自治区、直辖市人民政府：");
    assert_int_equal(p.articles[0].src_line, 4);
    assert_string_equal(p.articles[1].title, "2023年工作总结");
    sc_parsed_release(&p);
}

/* A long document's own 目录 lists its chapters: one document, and the
 * 目录 lines do not become duplicate headings. */
static void document_toc_not_split(void **state)
{
    (void)state;
    static const char text[] = "XX市物业管理条例\n"
                               "目录\n"
                               "第一章 总则\t1\n"
                               "第二章 业主\t3\n"
                               "第一章 总则\n"
                               "第一条 为了规范物业管理活动，制定本条例。\n"
                               "第二条 本条例适用于本市。\n"
                               "第二章 业主\n"
                               "第三条 业主享有下列权利。\n";
    struct sc_parsed p;
    gw_parse_ok(text, NULL, &p);
    assert_false(p.is_compilation);
    assert_int_equal(p.narticles, 1);
    assert_string_equal(p.articles[0].title, "XX市物业管理条例");
    assert_null(strstr(p.articles[0].text.data, "目录"));
    assert_null(strstr(p.articles[0].text.data, "\t"));
    assert_int_equal(p.articles[0].nsections, 5); /* 2 章 + 3 条 */
    sc_parsed_release(&p);
}

/* A 目录 whose entries are found nowhere is ordinary text. */
static void toc_without_matches(void **state)
{
    (void)state;
    static const char text[] = "某某报告\n目录\n前言 1\n附录 9\n正文一段。\n";
    struct sc_parsed p;
    gw_parse_ok(text, NULL, &p);
    assert_false(p.is_compilation);
    assert_int_equal(p.narticles, 1);
    assert_string_equal(p.articles[0].text.data, "某某报告\n目录\n前言 1\n附录 9\n正文一段。");
    sc_parsed_release(&p);
}

static void single_document(void **state)
{
    (void)state;
    static const char text[] = "\n\n　　关于做好2024年防汛工作的通知　\r\n"
                               "\n"
                               "各乡镇：\n"
                               "  现将有关事项通知如下。  \n"
                               "\n";
    struct sc_parsed p;
    gw_parse_ok(text, NULL, &p);
    assert_false(p.is_compilation);
    assert_int_equal(p.narticles, 1);
    assert_string_equal(p.articles[0].title, "关于做好2024年防汛工作的通知");
    assert_string_equal(p.articles[0].text.data,
                        "关于做好2024年防汛工作的通知\n各乡镇：\n现将有关事项通知如下。");
    assert_int_equal(p.articles[0].src_line, 3);
    assert_int_equal(p.nboiler, 0);
    sc_parsed_release(&p);
}

/* The docx title hint: a good first line wins; a hint equal to a later
 * first line moves that line up (a banner stood above it); a hint is used
 * when the first line is a paragraph; junk hints are ignored. */
static void title_hint(void **state)
{
    (void)state;
    struct sc_parsed p;
    gw_parse_ok("XX局2023年工作总结\n正文。\n", "Microsoft Word - 文档1", &p);
    assert_string_equal(p.articles[0].title, "XX局2023年工作总结");
    sc_parsed_release(&p);

    gw_parse_ok("XX市人民政府文件\nX政发〔2023〕5号\n关于印发XX方案的通知\n各区：\n",
                "关于印发XX方案的通知", &p);
    assert_string_equal(p.articles[0].title, "关于印发XX方案的通知");
    assert_string_equal(p.articles[0].text.data,
                        "关于印发XX方案的通知\nXX市人民政府文件\nX政发〔2023〕5号\n各区：");
    assert_int_equal(p.articles[0].src_line, 3);
    sc_parsed_release(&p);

    gw_parse_ok("今年以来，我局认真贯彻落实上级部署，取得了明显成效。\n二、下一步打算\n",
                "XX局2023年工作总结", &p);
    assert_string_equal(p.articles[0].title, "XX局2023年工作总结");
    assert_string_equal(
        p.articles[0].text.data,
        "XX局2023年工作总结\n今年以来，我局认真贯彻落实上级部署，取得了明显成效。\n二、下一步打算");
    assert_int_equal(p.articles[0].year, 2023);
    sc_parsed_release(&p);

    gw_parse_ok("今年以来，我局认真贯彻落实上级部署，取得了明显成效。\n", "Document", &p);
    assert_string_equal(p.articles[0].title,
                        "今年以来，我局认真贯彻落实上级部署，取得了明显成效。");
    sc_parsed_release(&p);
}

static void errors(void **state)
{
    (void)state;
    struct sc_parsed p;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_gongwen_parse("", 0, NULL, &p, &d), SC_EPARSE);
    assert_non_null(strstr(d.msg, "no text"));
    assert_int_equal(p.narticles, 0);
    sc_diag_clear(&d);
    assert_int_equal(sc_gongwen_parse(" \n\t\n　\n", strlen(" \n\t\n　\n"), NULL, &p, &d),
                     SC_EPARSE);
    /* only advertising: nothing left */
    static const char ads[] =
        "【哒哒素材库】——每天更新材料1000多篇，一键精准搜索，有意加入请联系：1 4367\n"
        "##paidend##\n";
    sc_diag_clear(&d);
    assert_int_equal(sc_gongwen_parse(ads, strlen(ads), NULL, &p, &d), SC_EPARSE);
    assert_int_equal(p.nboiler, 0); /* released on error */
    sc_diag_clear(&d);
    assert_int_equal(sc_gongwen_parse("ab\xff\xfe", 4, NULL, &p, &d), SC_EPARSE);
    assert_non_null(strstr(d.msg, "UTF-8"));
    assert_int_equal(sc_gongwen_parse(NULL, 3, NULL, &p, NULL), SC_EINVAL);
    assert_int_equal(sc_gongwen_parse("x", 1, NULL, NULL, NULL), SC_EINVAL);
    /* release is idempotent on a zeroed result */
    sc_parsed_release(&p);
    sc_parsed_release(&p);
    sc_parsed_release(NULL);
}

/* The JSON dump is valid-looking and stable. */
static void json_dump(void **state)
{
    (void)state;
    struct sc_parsed p;
    gw_parse_ok("标题\n一、概况\n正文\"引号\"。\n", NULL, &p);
    struct sc_buf a = SC_BUF_INIT, b = SC_BUF_INIT;
    sc_parsed_json(&a, &p);
    sc_parsed_json(&b, &p);
    assert_int_equal(sc_buf_err(&a), SC_OK);
    assert_string_equal(a.data, b.data);
    assert_non_null(strstr(a.data, "\"is_compilation\": false"));
    assert_non_null(strstr(a.data, "\"title\": \"标题\""));
    assert_non_null(strstr(a.data, "\"kind\": \"overview\""));
    assert_non_null(strstr(a.data, "\\\"引号\\\""));
    assert_non_null(strstr(a.data, "\"boilerplate\": []"));
    sc_buf_release(&a);
    sc_buf_release(&b);
    sc_parsed_release(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seed_nine_articles),
        cmocka_unit_test(toc_leader_styles),
        cmocka_unit_test(toc_title_over_lines),
        cmocka_unit_test(document_toc_not_split),
        cmocka_unit_test(toc_without_matches),
        cmocka_unit_test(single_document),
        cmocka_unit_test(title_hint),
        cmocka_unit_test(errors),
        cmocka_unit_test(json_dump),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
