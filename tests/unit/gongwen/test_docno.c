/*
 * 发文字号 and 成文日期 (lib/gongwen/docno.c): the typed spellings of one
 * number give one canonical form; a document's own number is read from its
 * 版头 and not from citations in the body; dates from the 落款 or under the
 * title, in Arabic or Chinese numerals; typed dates and ranges; and, over
 * the corpus, every document whose 版头 holds a number gets it.
 */
#include "gw_test.h"

#include "sucai/docno.h"

static enum sc_docno_kind canon(const char *s, char out[SC_DOCNO_MAX])
{
    return sc_docno_canon(s, strlen(s), out);
}

static void typed_spellings(void **state)
{
    (void)state;
    char o[SC_DOCNO_MAX];
    const char *same[] = { "国发〔2019〕4号",      "国发[2019]4号",      "国发［2019］4号",
                           "国发2019 4号",         "国发 2019 4 号",     "国发【2019】04号",
                           "国发(2019)4号",        "国发（2019）4号",    "国发〔2019〕4",
                           "国发2019年4号",        "国发２０１９　４号", "国发20194号",
                           "国发〔２０１９〕第4号" };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        assert_int_equal(canon(same[i], o), SC_DOCNO_FULL);
        assert_string_equal(o, "国发〔2019〕4号");
    }
    assert_int_equal(canon("X政办发〔2023〕12号", o), SC_DOCNO_FULL);
    assert_string_equal(o, "X政办发〔2023〕12号");
    assert_int_equal(canon("国务院令第708号", o), SC_DOCNO_FULL);
    assert_string_equal(o, "国务院令第708号");
    /* parts */
    assert_int_equal(canon("国发〔2019〕", o), SC_DOCNO_PARTIAL);
    assert_string_equal(o, "国发〔2019〕");
    assert_int_equal(canon("国发2019", o), SC_DOCNO_PARTIAL);
    assert_string_equal(o, "国发〔2019〕");
    assert_int_equal(canon("〔2019〕4号", o), SC_DOCNO_PARTIAL);
    assert_string_equal(o, "〔2019〕4号");
    assert_int_equal(canon("国办发", o), SC_DOCNO_PARTIAL);
    assert_string_equal(o, "国办发");
    /* not numbers */
    const char *no[] = { "",
                         "   ",
                         "关于印发，方案",
                         "2019年3月5日",
                         "国发〔19〕4号",
                         "国发〔2019〕4号文",
                         "国发〔2019〕4号，",
                         "《国发〔2019〕4号》",
                         "国发〔2019〕第号",
                         "国发〔3000〕4号" };
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        assert_int_equal(canon(no[i], o), SC_DOCNO_NONE);
        assert_string_equal(o, "");
    }
    assert_int_equal(sc_docno_canon(NULL, 0, o), SC_DOCNO_NONE);
    /* a prefix longer than any issuer's */
    assert_int_equal(canon("一二三四五六七八九十一二三四五六七八九十一〔2019〕4号", o),
                     SC_DOCNO_NONE);
    /* a line too long to be a number is not one, and out stays in bounds */
    char big[2048];
    memset(big, 'A', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(canon(big, o), SC_DOCNO_NONE);
}

static int find(const char *text, char out[SC_DOCNO_MAX])
{
    return sc_docno_find(text, strlen(text), out);
}

static void own_number(void **state)
{
    (void)state;
    char o[SC_DOCNO_MAX];
    assert_int_equal(
        find("国务院关于X的意见\n国务院关于\nX的意见\n国发〔2019〕5号\n各省、自治区：\n正文。", o),
        1);
    assert_string_equal(o, "国发〔2019〕5号");
    /* with the signer of a 上行文 */
    assert_int_equal(
        find("关于X的请示\nX政发〔2023〕12号        签发人：张三\n市政府：\n正文。", o), 1);
    assert_string_equal(o, "X政发〔2023〕12号");
    /* in parentheses under the title of a 汇编 article */
    assert_int_equal(find("关于X的通知\n（国办发〔2018〕3号）\n各省：", o), 1);
    assert_string_equal(o, "国办发〔2018〕3号");
    /* a 令 */
    assert_int_equal(find("X条例\n中华人民共和国国务院令\n第708号\n", o), 0);
    assert_int_equal(find("X条例\n中华人民共和国国务院令第708号\n", o), 1);
    assert_string_equal(o, "中华人民共和国国务院令第708号");
    /* a citation in the body is not the document's number */
    assert_int_equal(
        find("关于X的意见\n各省：\n按照《关于Y的意见》（国发〔2015〕43号）要求，现提出如下意见。",
             o),
        0);
    assert_string_equal(o, "");
    /* the title line itself is never the number; nor a number too far down */
    assert_int_equal(find("国发〔2019〕5号\n正文", o), 0);
    struct sc_buf b = SC_BUF_INIT;
    sc_buf_adds(&b, "标题\n");
    for (int i = 0; i < 20; i++)
        sc_buf_adds(&b, "一段正文。\n");
    sc_buf_adds(&b, "国发〔2019〕5号\n");
    assert_int_equal(sc_docno_find(b.data, b.len, o), 0);
    sc_buf_release(&b);
    assert_int_equal(sc_docno_find(NULL, 0, o), 0);
    assert_int_equal(sc_docno_find("", 0, o), 0);
}

static int32_t date_of(const char *text)
{
    return sc_docdate_find(text, strlen(text));
}

static void dates_in_text(void **state)
{
    (void)state;
    assert_int_equal(
        date_of("标题\n正文。\n国务院\n2019年1月27日\n（此件公开发布）\n扫一扫在手机打开当前页"),
        20190127);
    assert_int_equal(date_of("标题\n正文。\nX市人民政府办公室    2023年12月5日"), 20231205);
    assert_int_equal(date_of("标题\n正文。\n二〇一九年一月二十七日"), 20190127);
    assert_int_equal(date_of("标题\n正文。\n二○二三年十二月三十一日"), 20231231);
    assert_int_equal(date_of("标题\n正文。\n（2023年3月1日）"), 20230301);
    /* under the title: a speech, a regulation */
    assert_int_equal(date_of("在X会议上的讲话\n（2023年2月1日）\n同志们：\n正文。"), 20230201);
    assert_int_equal(
        date_of("X条例\n（2019年3月28日X省第十三届人民代表大会常务委员会第十次会议通过）\n"
                "第一条 为了……，制定本条例。"),
        20190328);
    /* a sentence that ends with a date is not a 落款 */
    assert_int_equal(date_of("标题\n工作开展至2019年1月27日。"), 0);
    assert_int_equal(date_of("标题\n截至目前，已完成2019年1月27日"), 0);
    /* impossible dates (the bench corpus perturbs numbers) */
    assert_int_equal(date_of("标题\n正文。\n2019年2月29日"), 0);
    assert_int_equal(date_of("标题\n正文。\n2020年2月29日"), 20200229);
    assert_int_equal(date_of("标题\n正文。\n2019年13月1日"), 0);
    assert_int_equal(date_of("标题\n正文。\n2019年5月36日"), 0);
    assert_int_equal(date_of("标题\n正文。"), 0);
    assert_int_equal(sc_docdate_find(NULL, 0), 0);
    assert_int_equal(sc_docdate_find("\n\n\n", 3), 0);
}

static void typed_dates(void **state)
{
    (void)state;
    struct {
        const char *s;
        int32_t from, to;
    } ok[] = {
        { "2019-01-27", 20190127, 20190127 },
        { "2019/1/27", 20190127, 20190127 },
        { "2019.1.27", 20190127, 20190127 },
        { "20190127", 20190127, 20190127 },
        { "2019年1月27日", 20190127, 20190127 },
        { "2019-02", 20190201, 20190228 },
        { "2020-02", 20200201, 20200229 },
        { "2019年2月", 20190201, 20190228 },
        { "2019", 20190101, 20191231 },
        { "2019年", 20190101, 20191231 },
        { "2019-01..2019-03", 20190101, 20190331 },
        { "2019..2020", 20190101, 20201231 },
        { "2019.01..2019.02", 20190101, 20190228 },
        { "2019-01-27 .. 2019-02-03", 20190127, 20190203 },
        { "２０１９－０１－２７", 20190127, 20190127 },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int32_t f, t;
        struct sc_diag d = { 0 };
        assert_int_equal(sc_date_range_parse(ok[i].s, strlen(ok[i].s), &f, &t, &d), SC_OK);
        assert_int_equal(f, ok[i].from);
        assert_int_equal(t, ok[i].to);
    }
    const char *bad[] = { "",           "x",           "19-01-27",
                          "2019-13",    "2019-02-30",  "2019-01-27..",
                          "2019..2018", "2019-01-27x", "1800",
                          "2019-1-2-3" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int32_t f, t;
        struct sc_diag d = { 0 };
        assert_int_equal(sc_date_range_parse(bad[i], strlen(bad[i]), &f, &t, &d), SC_EPARSE);
        assert_true(strstr(d.msg, "date") != NULL);
    }
    char o[11];
    sc_date_format(20190127, o);
    assert_string_equal(o, "2019-01-27");
    sc_date_format(0, o);
    assert_string_equal(o, "");
    sc_date_format(20190230, o);
    assert_string_equal(o, "");
    assert_true(sc_date_valid(20000229));
    assert_false(sc_date_valid(19000229));
}

/* Every corpus document whose first lines hold a number alone on a line
 * gets that number; a document with none gets none. */
static void corpus_numbers(void **state)
{
    (void)state;
    const char *sh = gw_shared_dir();
    if (!sh) {
        skip();
        return;
    }
    char path[1100];
    int found = 0, dated = 0, total = 0;
    for (int n = 1; n <= 200; n++) {
        snprintf(path, sizeof path, "%s/corpus/docs/%04d.txt", sh, n);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        static char buf[1 << 20];
        size_t len = fread(buf, 1, sizeof buf, f);
        fclose(f);
        total++;
        char o[SC_DOCNO_MAX];
        if (sc_docno_find(buf, len, o)) {
            found++;
            char again[SC_DOCNO_MAX];
            /* the canonical form reads back as itself */
            assert_int_equal(sc_docno_canon(o, strlen(o), again), SC_DOCNO_FULL);
            assert_string_equal(o, again);
        }
        int32_t d = sc_docdate_find(buf, len);
        if (d) {
            dated++;
            assert_true(sc_date_valid(d));
        }
    }
    if (!total) {
        skip();
        return;
    }
    /* 0009–0012 are 国务院 documents with a number and a date */
    assert_true(found >= 4);
    assert_true(dated >= 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(typed_spellings), cmocka_unit_test(own_number),
        cmocka_unit_test(dates_in_text),   cmocka_unit_test(typed_dates),
        cmocka_unit_test(corpus_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
