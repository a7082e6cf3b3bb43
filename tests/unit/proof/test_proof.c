/*
 * 校对 rules: for every kind, drafts with the error (found, at the right
 * place) and look-alikes that must not be flagged; the JSON contract
 * (code-point offsets); the kinds filter; limits and bad input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sucai/proof.h"

/* Findings of kind k in text (all kinds run). */
static size_t count_kind(const char *text, enum sc_proof_kind k)
{
    struct sc_proof_result r;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_proof_run(text, strlen(text), NULL, &r, &d), SC_OK);
    size_t n = 0;
    for (size_t i = 0; i < r.n; i++)
        n += r.items[i].kind == k;
    sc_proof_result_release(&r);
    return n;
}

/* Exactly one finding of kind k, over the bytes of `what` (its first
 * occurrence in text), with suggestion sug (NULL: not checked). */
static void hit(const char *text, enum sc_proof_kind k, const char *what, const char *sug)
{
    struct sc_proof_result r;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_proof_run(text, strlen(text), NULL, &r, &d), SC_OK);
    const char *p = strstr(text, what);
    assert_non_null(p);
    size_t s = (size_t)(p - text), e = s + strlen(what);
    size_t found = 0;
    for (size_t i = 0; i < r.n; i++) {
        const struct sc_finding *f = &r.items[i];
        if (f->kind != k)
            continue;
        found++;
        if (!(f->start < e && s < f->end))
            fail_msg("%s at [%zu,%zu) instead of \"%s\" [%zu,%zu) in %s", sc_proof_kind_name(k),
                     f->start, f->end, what, s, e, text);
        assert_non_null(f->rule);
        assert_true(strlen(f->message) > 0);
        if (sug) {
            assert_non_null(f->suggestion);
            assert_string_equal(f->suggestion, sug);
        }
    }
    if (found != 1)
        fail_msg("%zu findings of %s in %s", found, sc_proof_kind_name(k), text);
    sc_proof_result_release(&r);
}

static void none(const char *text, enum sc_proof_kind k)
{
    size_t n = count_kind(text, k);
    if (n)
        fail_msg("%zu false %s in %s", n, sc_proof_kind_name(k), text);
}

static void test_numbering(void **state)
{
    (void)state;
    hit("一、总体要求\n（一）指导思想\n（二）基本原则\n（四）工作目标\n", SC_PK_NUMBERING_GAP, "（四）", NULL);
    hit("20、甲\n21、乙\n23、丙\n", SC_PK_NUMBERING_GAP, "23、", NULL);
    hit("21、甲\n22、乙\n22、丙\n", SC_PK_NUMBERING_DUP, "22、丙", NULL);
    hit("一、甲\n（一）子\n（二）丑\n（二）寅\n", SC_PK_NUMBERING_DUP, "（二）寅", NULL);
    hit("一、关于甲\n（一）子\n一、关于乙\n", SC_PK_NUMBERING_DUP, "一、关于乙", "二、");
    /* the renumbering is offered when the list goes on from the next number or ends */
    hit("（一）子\n（二）丑\n（二）寅\n（四）卯\n一、乙\n", SC_PK_NUMBERING_DUP, "（二）寅",
        "（三）");
    hit("1.甲\n2.乙\n2.丙\n", SC_PK_NUMBERING_DUP, "2.丙", "3.");
    {
        static const char t[] = "（一）子\n（二）丑\n（二）寅\n（三）卯\n";
        struct sc_proof_result r;
        struct sc_diag d = { 0 };
        assert_int_equal(sc_proof_run(t, strlen(t), NULL, &r, &d), SC_OK);
        size_t n = 0;
        for (size_t i = 0; i < r.n; i++)
            if (r.items[i].kind == SC_PK_NUMBERING_DUP) {
                n++;
                assert_null(r.items[i].suggestion); /* which of the two is wrong is not certain */
            }
        assert_int_equal(n, 1);
        sc_proof_result_release(&r);
    }
    hit("第三条 下列行为：\n1.加强组织领导。\n（一）饮酒后驾驶的；\n（二）超载的；\n", SC_PK_NUMBERING_ORDER,
        "1.", NULL);
    hit("一、甲\n1.子\n2、子\n", SC_PK_NUMBERING_ORDER, "2、", "2.");
    /* look-alikes: lists restart under each parent and each 第X条 */
    none("一、甲\n（一）子\n（二）子\n二、乙\n（一）子\n（二）子\n", SC_PK_NUMBERING_DUP);
    none("第一条 一\n（一）子\n（二）子\n第二条 二\n（一）子\n", SC_PK_NUMBERING_DUP);
    /* a list continued across a 第X章 line */
    none("第一章 总则\n一、甲\n二、乙\n第二章 职责\n三、丙\n", SC_PK_NUMBERING_GAP);
    /* 1.5亿元 is not a heading; 9.10月居民… is item 9 after 8 */
    none("1.甲\n1.5亿元投资完成\n2.乙\n", SC_PK_NUMBERING_DUP);
    none("8.甲\n9.10月居民消费价格指数上涨\n10.乙\n", SC_PK_NUMBERING_GAP);
    /* （四）、（五）项所列: a reference, not a heading */
    none("（一）甲\n（二）乙\n（四）、（五）项所列人员\n", SC_PK_NUMBERING_GAP);
    none("1.甲\n2.乙\n3.丙\n", SC_PK_NUMBERING_ORDER);
}

static void test_doubled(void **state)
{
    (void)state;
    hit("在陕西汉中，他嘱咐大家，要努力建建设环境优美的家园。\n", SC_PK_DOUBLED_CHAR, "建建", "建");
    hit("并提供必要要的便利条件。\n", SC_PK_DOUBLED_CHAR, "要要", "要");
    hit("由人民武装部部或者预备役部队组织。\n", SC_PK_DOUBLED_CHAR, "部部", NULL);
    none("要常常深入基层，做到人人有责、处处留心。\n", SC_PK_DOUBLED_CHAR);
    none("天天讲安全，层层抓落实，把各项任务一一分解到人。\n", SC_PK_DOUBLED_CHAR);
    none("请大家都来看看，家家户户高高兴兴迎新春。\n", SC_PK_DOUBLED_CHAR);
    none("各部部长、人民银行行长出席。加强黄河河道管理。\n", SC_PK_DOUBLED_CHAR);
    none("二〇二二年，王丹丹同志。\n", SC_PK_DOUBLED_CHAR);
    none("联系人：某某同志。\n", SC_PK_DOUBLED_CHAR);
    none("芦岭煤矿矿长受到处分，一次次运送伤员，一件件实物模型，和群众聊聊身边的变化。\n",
         SC_PK_DOUBLED_CHAR);
}

/* A listed reduplication whose second copy makes a frequent word with its
 * neighbour (人民, 帮助, 时代, 讲话) where the corpus never has the double
 * in that place is a slip; the same doubles as words, in contexts the
 * corpus may not have, are not. */
static void test_doubled_words(void **state)
{
    (void)state;
    hit("经市人人民政府同意，现将有关事项通知如下。\n", SC_PK_DOUBLED_CHAR, "人人", "人");
    hit("当事人可以申请人人民法院强制执行。\n", SC_PK_DOUBLED_CHAR, "人人", "人");
    hit("感谢社会各界的支持和帮帮助。\n", SC_PK_DOUBLED_CHAR, "帮帮", "帮");
    hit("坚持新时时代党的组织路线。\n", SC_PK_DOUBLED_CHAR, "时时", "时");
    hit("他在会上发表重要讲讲话。\n", SC_PK_DOUBLED_CHAR, "讲讲", "讲");
    hit("国家家加强对食品安全的监督管理。\n", SC_PK_DOUBLED_CHAR, "家家", "家");
    hit("由本所的专利代代理师办理。\n", SC_PK_DOUBLED_CHAR, "代代", "代");
    /* a typed-twice character next to a double is not an AABB word */
    hit("报请市人大常委委会会议审议。\n", SC_PK_DOUBLED_CHAR, "委委", "委");
    none("同志们要时时处处严格要求自己，事事带头、人人有责。\n", SC_PK_DOUBLED_CHAR);
    none("要做到人人参与、人人尽责、人人享有，形成齐抓共管格局。\n", SC_PK_DOUBLED_CHAR);
    none("他常常深夜加班，层层压实责任，天天坚持学习，步步为营推进。\n", SC_PK_DOUBLED_CHAR);
    none("要把群众冷暖时时放在心上，事事有人管，样样有着落。\n", SC_PK_DOUBLED_CHAR);
    none("我们要学学先进地区的经验，想想办法，谈谈体会，听听意见。\n", SC_PK_DOUBLED_CHAR);
    none("请大家帮帮困难群众，查查问题根源，算算经济账。\n", SC_PK_DOUBLED_CHAR);
    none("那些刚刚毕业的学生，渐渐成长为骨干，纷纷投身基层。\n", SC_PK_DOUBLED_CHAR);
    none("要认认真真、踏踏实实地干，家家户户干干净净。\n", SC_PK_DOUBLED_CHAR);
    /* shared characters, one side much attested: 用水 + 水平 */
    none("降低企业用水水平，建立污水水质档案。\n", SC_PK_DOUBLED_CHAR);
    /* a number read out has one 零 for a run of zeros */
    hit("第一千零零六十八条 父母有教育的权利。\n", SC_PK_DOUBLED_CHAR, "零零", "零");
    none("二零零八年，一千零六十八条，编号一〇〇二。\n", SC_PK_DOUBLED_CHAR);
    /* 十五五: the fifteenth five-year plan */
    none("“十五五”规划编制工作，十五五规划纲要。\n", SC_PK_DOUBLED_CHAR);
}

static void test_placeholder(void **state)
{
    (void)state;
    hit("或者驾驶XXX座以上载客汽车。\n", SC_PK_PLACEHOLDER, "XXX", NULL);
    hit("是指造成ＸＸ人以下死亡。\n", SC_PK_PLACEHOLDER, "ＸＸ", NULL);
    hit("联系人为某某同志。\n", SC_PK_PLACEHOLDER, "某某", NULL);
    hit("投资X亿元。\n", SC_PK_PLACEHOLDER, "X", NULL);
    hit("由××负责。\n", SC_PK_PLACEHOLDER, "××", NULL);
    none("某些地方、某种程度上，X射线和X光检查，Windows XP，3×4矩阵。\n", SC_PK_PLACEHOLDER);
    none("给予苏某某党内严重警告。\n", SC_PK_PLACEHOLDER);
    none("坐标X\nY\n", SC_PK_PLACEHOLDER);
}

static void test_artefact(void **state)
{
    (void)state;
    hit("各级D组织要切实履行主体责任。\n", SC_PK_FILTER_ARTEFACT, "D", "党");
    hit("D的二十大精神。\n", SC_PK_FILTER_ARTEFACT, "D", "党");
    none("发展3D打印，培育5A级景区、AAA级企业和A股公司。\n", SC_PK_FILTER_ARTEFACT);
    none("补充维生素D的摄入，世界杯D组比赛，A组、B组、C组、D组。\n", SC_PK_FILTER_ARTEFACT);
    none("飞天舱外服D和E。\n", SC_PK_FILTER_ARTEFACT);
}

static void test_punct(void **state)
{
    (void)state;
    hit("引导和调控经济运行,调整和优化经济结构。\n", SC_PK_PUNCT_WIDTH, ",", "，");
    hit("劳动模范、先进生产(工作)者优先。（甲）（乙）（丙）\n", SC_PK_PUNCT_WIDTH, "(工作)", "（工作）");
    none("截止时间为17:30，投资1,200万元，比例3.6:48:48.4。\n", SC_PK_PUNCT_WIDTH);
    none("see https://example.com, then stop.\n", SC_PK_PUNCT_WIDTH);
    none("他说\"你好\"。\n", SC_PK_PUNCT_WIDTH);
    /* parentheses around Western text or in a formula */
    none("印发《行动计划(2024—2028年)》，见附件(更新时间戳: 1767964862393)。\n", SC_PK_PUNCT_WIDTH);
    none("退费金额=(日热费金额×退费比例)×天数，国内生产总值(GDP)。\n", SC_PK_PUNCT_WIDTH);
    hit("对个人销售已购买2年以上(含2年)住房免征增值税。\n", SC_PK_PUNCT_WIDTH, "(含2年)",
        "（含2年）");
    /* a habit: three half-width commas in a document that mostly writes
     * full-width ones are three findings; in more than one use of twenty,
     * one note */
    {
        static const char slips[] =
            "甲,乙。丙,丁。戊,己。庚，辛，壬，癸，子，丑，寅，卯，辰，巳，午，未，申，酉，戌，亥，"
            "一，二，三，四，五，六，七，八，九，十，百，千，万，亿，兆，京，垓，秭，穰，沟，涧，正，"
            "载，极，甲，乙，丙，丁，戊，己，庚，辛，壬，癸，子，丑，寅，卯，辰，巳，午，未，申，酉。\n";
        assert_int_equal(count_kind(slips, SC_PK_PUNCT_WIDTH), 3);
        assert_int_equal(count_kind("甲,乙。丙,丁。戊,己。庚，辛，壬，癸。\n", SC_PK_PUNCT_WIDTH),
                         1);
    }
    hit("新版《快递服务国家标准今起实施。\n", SC_PK_BRACKET_UNBALANCED, "《", NULL);
    hit("党委（党组副书记兼任。\n", SC_PK_BRACKET_UNBALANCED, "（", NULL);
    hit("修改〈宁波市职工教育条例〉的决定》第一次修正\n", SC_PK_BRACKET_UNBALANCED, "》", NULL);
    hit("（一）甲\n三）乙\n", SC_PK_BRACKET_UNBALANCED, "）乙", NULL);
    none("《关于修改〈条例〉的决定》（2021年）【注】〔2021〕\n", SC_PK_BRACKET_UNBALANCED);
    none("（二○○四年六月十六日国务院\n第54次常务会议修订通过）\n", SC_PK_BRACKET_UNBALANCED);
    none("1) 甲\n2) 乙\n", SC_PK_BRACKET_UNBALANCED);
    hit("以邓小平理论和“三个代表重要思想为指导。\n", SC_PK_QUOTE_UNBALANCED, "“", NULL);
    hit("这片海上森林”得到了保护。\n", SC_PK_QUOTE_UNBALANCED, "”", NULL);
    hit("深入推进“两国双园”和“区域综合经济走廊项目。\n", SC_PK_QUOTE_UNBALANCED, "“区域", NULL);
    none("编制《“十四五”规划》，弘扬“工匠精神”。\n", SC_PK_QUOTE_UNBALANCED);
    none("他说：“第一段。\n“第二段。”\n", SC_PK_QUOTE_UNBALANCED);
}

static void test_forms(void **state)
{
    (void)state;
    hit("按照《通知》（粤府函[2015]58号）要求。\n", SC_PK_DOC_NUMBER, "[2015]58号", "〔2015〕58号");
    hit("按照《通知》（国办发（2017）15号）要求。\n", SC_PK_DOC_NUMBER, "（2017）15号", "〔2017〕15号");
    hit("衡商粮办【2022】224号\n", SC_PK_DOC_NUMBER, "【2022】224号", "〔2022〕224号");
    hit("京政发〔2021〕第16号\n", SC_PK_DOC_NUMBER, "〔2021〕第16号", "〔2021〕16号");
    none("中发〔2021〕16号，规划（2021—2025年），（2019）京01民终123号。\n", SC_PK_DOC_NUMBER);
    hit("正文。\n区农业农村局\n2018年04月09日\n", SC_PK_DATE_FORMAT, "2018年04月09日", "2018年4月9日");
    hit("正文。\n市工业和信息化局\n二〇一六年一月二十一日\n", SC_PK_DATE_FORMAT, "二〇一六年一月二十一日",
        "2016年1月21日");
    hit("正文。\n市局\n2023.10.8\n", SC_PK_DATE_FORMAT, "2023.10.8", "2023年10月8日");
    hit("于2023年2月30日前报送。\n其他。\n一\n二\n", SC_PK_DATE_FORMAT, "2023年2月30日", NULL);
    none("一九七八年十二月，党的十一届三中全会召开。\n正文\n市局\n2023年10月8日\n", SC_PK_DATE_FORMAT);
    none("2024年2月29日\n", SC_PK_DATE_FORMAT);
}

static void test_confusable(void **state)
{
    (void)state;
    hit("截止10月底，完成任务。\n", SC_PK_CONFUSABLE, "截止", "截至");
    hit("截止目前，完成任务。\n", SC_PK_CONFUSABLE, "截止", "截至");
    hit("驾驶其它载客汽车。\n", SC_PK_CONFUSABLE, "其它", "其他");
    hit("会议做出了重要决定。\n", SC_PK_CONFUSABLE, "做出", "作出");
    hit("人民政府必需加强领导。\n", SC_PK_CONFUSABLE, "必需", "必须");
    hit("认真做好工作布署。\n", SC_PK_CONFUSABLE, "布署", "部署");
    hit("开设银行帐户。\n", SC_PK_CONFUSABLE, "帐户", "账户");
    hit("帮助企业度过难关。\n", SC_PK_CONFUSABLE, "度过", "渡过");
    hit("在这里渡过了愉快的周末。\n", SC_PK_CONFUSABLE, "渡过", "度过");
    hit("希望大家再接再励。\n", SC_PK_CONFUSABLE, "再接再励", "再接再厉");
    none("截止日期为25日，截止时间为17:30，截止到目前。\n", SC_PK_CONFUSABLE);
    none("其他事项另行通知，会议作出了重要决定。生活必需品、帐篷、蚊帐。\n", SC_PK_CONFUSABLE);
    none("帮助企业渡过难关，让职工度过一个温暖的春节。必需的物资，必需材料。\n", SC_PK_CONFUSABLE);
    none("小型拖拉机轻松驰骋在丘陵山地。\n", SC_PK_CONFUSABLE);
}

/* A counter that knows one string: the library's frequencies are used. */
static int64_t fake_count(void *ctx, const char *s, size_t len)
{
    const char *known = ctx;
    return strlen(known) == len && !memcmp(known, s, len) ? 5 : 0;
}

static void test_library_counts(void **state)
{
    (void)state;
    /* 甲乙乙丙 is unknown to the shipped list: flagged ... */
    const char *t = "这是鲸鲨鲨的名字。\n";
    assert_int_equal(count_kind(t, SC_PK_DOUBLED_CHAR), 1);
    /* ... until the library has both neighbours of the double */
    struct sc_proof_opts o = { 0 };
    o.count = fake_count;
    o.count_ctx = (void *)"鲸鲨鲨";
    struct sc_proof_result r;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_proof_run(t, strlen(t), &o, &r, &d), SC_OK);
    size_t n = 0;
    for (size_t i = 0; i < r.n; i++)
        n += r.items[i].kind == SC_PK_DOUBLED_CHAR;
    assert_int_equal(n, 1); /* one side only: still a slip */
    sc_proof_result_release(&r);
}

static void test_json_offsets(void **state)
{
    (void)state;
    const char *t = "标题\n各级D组织。\n";
    struct sc_proof_result r;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_proof_run(t, strlen(t), NULL, &r, &d), SC_OK);
    struct sc_buf b = SC_BUF_INIT;
    struct sc_jw w;
    sc_jw_init(&w, &b);
    sc_proof_json(&w, t, strlen(t), &r);
    assert_int_equal(sc_jw_finish(&w), SC_OK);
    /* 标题\n各级 = 5 code points before the D */
    assert_non_null(strstr(b.data, "\"start\": 5, \"end\": 6, \"kind\": \"filter_artefact\""));
    assert_non_null(strstr(b.data, "\"suggestion\": \"党\""));
    assert_non_null(strstr(b.data, "\"severity\": \"error\""));
    assert_non_null(strstr(b.data, "\"chars\": 10"));
    sc_buf_release(&b);
    sc_proof_result_release(&r);
}

static void test_kinds_and_errors(void **state)
{
    (void)state;
    unsigned mask;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_proof_kinds_parse("placeholder,doc_number", &mask, &d), SC_OK);
    assert_int_equal(mask, (1u << SC_PK_PLACEHOLDER) | (1u << SC_PK_DOC_NUMBER));
    assert_int_equal(sc_proof_kinds_parse("placeholder,typo", &mask, &d), SC_EINVAL);
    assert_non_null(strstr(d.msg, "'typo'"));
    struct sc_proof_opts o = { 0 };
    o.kinds = 1u << SC_PK_PLACEHOLDER;
    const char *t = "各级D组织，XX同志。\n";
    struct sc_proof_result r;
    sc_diag_clear(&d);
    assert_int_equal(sc_proof_run(t, strlen(t), &o, &r, &d), SC_OK);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.items[0].kind, SC_PK_PLACEHOLDER);
    sc_proof_result_release(&r);
    /* invalid UTF-8 is refused with the byte position */
    sc_diag_clear(&d);
    assert_int_equal(sc_proof_run("ab\xff", 3, NULL, &r, &d), SC_EINVAL);
    assert_non_null(strstr(d.msg, "byte 2"));
    sc_proof_result_release(&r);
    /* too large */
    sc_diag_clear(&d);
    assert_int_equal(sc_proof_run("", SC_PROOF_MAX_BYTES + 1, NULL, &r, &d), SC_ELIMIT);
    sc_proof_result_release(&r);
    /* empty text: no findings */
    assert_int_equal(sc_proof_run("", 0, NULL, &r, &d), SC_OK);
    assert_int_equal(r.n, 0);
    sc_proof_result_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbering),   cmocka_unit_test(test_doubled),
        cmocka_unit_test(test_doubled_words),
        cmocka_unit_test(test_placeholder), cmocka_unit_test(test_artefact),
        cmocka_unit_test(test_punct),       cmocka_unit_test(test_forms),
        cmocka_unit_test(test_confusable),  cmocka_unit_test(test_library_counts),
        cmocka_unit_test(test_json_offsets), cmocka_unit_test(test_kinds_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
