/*
 * Structured filters (sc_search_opts.filters) against the query-text form
 * of the same fields: for every filter kind, in both modes, entitled or not
 * (paid matches included), the answer is the one of "(q) field:"value"";
 * values of one field OR, fields AND; the effective query text; bad filters
 * (SC_EINVAL, no position) and the error position of a bad query
 * (sc_diag.pos_cp, in code points).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "search_fixture.h"

static struct sc_doc mkdoc(int64_t id, const char *title, const char *text)
{
    struct sc_doc d;
    memset(&d, 0, sizeof d);
    d.id = id;
    d.title = (char *)title;
    d.text = (char *)text;
    d.text_len = strlen(text);
    d.paid_from_cp = -1;
    d.paid_to_cp = -1;
    return d;
}

static struct fixture F;
static struct sc_doc DOCS[4];
static struct sc_section SECS[2];

static int setup(void **state)
{
    (void)state;
    DOCS[0] = mkdoc(1, "甲局2023年工作总结",
                    "甲局2023年工作总结\n"
                    "今年推进依法行政，开展专项行动。\n"
                    "二、存在的问题\n"
                    "依法行政水平有待提高。\n"
                    "三、下一步打算\n"
                    "继续推进依法行政。");
    DOCS[0].year = 2023;
    DOCS[0].genre = (char *)"工作总结";
    DOCS[0].unit = (char *)"甲县发改局";
    DOCS[0].level = (char *)"县";
    const char *t = DOCS[0].text;
    size_t b2 = (size_t)(strstr(t, "二、") - t), b3 = (size_t)(strstr(t, "三、") - t);
    int64_t c2 = (int64_t)sc_utf8_count(t, b2), c3 = (int64_t)sc_utf8_count(t, b3);
    int64_t cend = (int64_t)sc_utf8_count(t, strlen(t));
    SECS[0] = (struct sc_section){ .level = 1,
                                   .label = (char *)"二、",
                                   .heading = (char *)"存在的问题",
                                   .kind = SC_KIND_PROBLEMS,
                                   .start_cp = c2,
                                   .end_cp = c3 };
    SECS[1] = (struct sc_section){ .level = 1,
                                   .label = (char *)"三、",
                                   .heading = (char *)"下一步打算",
                                   .kind = SC_KIND_PLANS,
                                   .start_cp = c3,
                                   .end_cp = cend };
    DOCS[0].sections = SECS;
    DOCS[0].nsections = 2;
    snprintf(DOCS[0].docno, sizeof DOCS[0].docno, "%s", "甲发改〔2023〕12号");
    DOCS[0].docdate = 20231205;

    DOCS[1] = mkdoc(2, "乙市工作计划", "乙市工作计划\n依法行政是基础。\n招商引资全年推进。");
    DOCS[1].year = 2024;
    DOCS[1].genre = (char *)"工作计划";
    DOCS[1].unit = (char *)"乙市政府";
    DOCS[1].level = (char *)"市";
    snprintf(DOCS[1].docno, sizeof DOCS[1].docno, "%s", "乙政发〔2024〕3号");
    DOCS[1].docdate = 20240110;

    DOCS[2] = mkdoc(5, "丙区述职报告",
                    "丙区述职报告\n免费部分介绍基本情况。\n"
                    "付费部分：依法行政的具体做法与成效。\n结尾。");
    DOCS[2].year = 2023;
    DOCS[2].genre = (char *)"述职报告";
    DOCS[2].level = (char *)"区";
    const char *t2 = DOCS[2].text;
    size_t pb = (size_t)(strstr(t2, "付费部分") - t2), pe = (size_t)(strstr(t2, "结尾") - t2);
    DOCS[2].paid_from_cp = (int64_t)sc_utf8_count(t2, pb);
    DOCS[2].paid_to_cp = (int64_t)sc_utf8_count(t2, pe);
    DOCS[2].docdate = 20230301;

    DOCS[3] = mkdoc(7, "丁县工作总结", "丁县工作总结\n依法行政，推进有力。");
    DOCS[3].year = 2019;
    DOCS[3].genre = (char *)"工作总结";
    DOCS[3].level = (char *)"县";
    snprintf(DOCS[3].docno, sizeof DOCS[3].docno, "%s", "丁政发〔2019〕4号");
    DOCS[3].docdate = 20190127;
    return fixture_build(&F, DOCS, 4, 2);
}

static int teardown(void **state)
{
    (void)state;
    fixture_release(&F);
    return 0;
}

/* The whole answer as JSON (time left out), or "error: ..." */
static void answer(const char *q, const struct sc_search_filter *f, size_t nf, int para,
                   int entitled, struct sc_buf *out)
{
    struct sc_search_opts o = { 0 };
    o.query = q;
    o.filters = f;
    o.nfilters = nf;
    o.mode = para ? SC_SEARCH_PARA : SC_SEARCH_DOC;
    o.limit = 20;
    o.facets = 1;
    o.entitled = entitled;
    struct sc_results r;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_engine_search_ex(F.snap, &(struct sc_textsrc){ fixture_read, &F }, &o,
                                        entitled ? 0 : SC_ENGINE_PAID_MATCHES, &r, &d);
    sc_buf_reset(out);
    if (e != SC_OK) {
        sc_buf_addf(out, "error %d: %s", (int)e, d.msg);
    } else {
        r.took_ms = 0;
        sc_results_json(out, &r, o.mode);
    }
    sc_results_release(&r);
}

/* The answer with filters equals the answer of the same query text. */
static void same(const char *text, const char *q, const struct sc_search_filter *f, size_t nf)
{
    struct sc_buf a = SC_BUF_INIT, b = SC_BUF_INIT;
    for (int para = 0; para < 2; para++)
        for (int ent = 0; ent < 2; ent++) {
            answer(text, NULL, 0, para, ent, &a);
            answer(q, f, nf, para, ent, &b);
            if (strcmp(a.data, b.data) != 0)
                fprintf(stderr, "text form %s (para %d, entitled %d):\n  %s\nfilters:\n  %s\n",
                        text, para, ent, a.data, b.data);
            assert_string_equal(a.data, b.data);
            assert_null(strstr(a.data, "error"));
        }
    sc_buf_release(&a);
    sc_buf_release(&b);
}

static int64_t total_of(const char *q, const struct sc_search_filter *f, size_t nf)
{
    struct sc_search_opts o = { .query = q, .filters = f, .nfilters = nf, .entitled = 1 };
    struct sc_results r;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_engine_search(F.snap, NULL, &o, &r, &d);
    int64_t n = e == SC_OK ? r.total : -1;
    sc_results_release(&r);
    return n;
}

#define FL(field, value) ((struct sc_search_filter){ field, value })

static void every_kind_as_text(void **state)
{
    (void)state;
    static const struct {
        enum sc_filter_field f;
        const char *value;
    } cases[] = {
        { SC_FILTER_GENRE, "工作总结" },
        { SC_FILTER_GENRE, "述职报告" },
        { SC_FILTER_YEAR, "2023" },
        { SC_FILTER_YEAR, "2019-2023" },
        { SC_FILTER_LEVEL, "县" },
        { SC_FILTER_SECTION, "问题" },
        { SC_FILTER_SECTION, "plans" },
        { SC_FILTER_UNIT, "发改" },
        { SC_FILTER_TITLE, "丙区" },
        { SC_FILTER_TITLE, "工作" },
        { SC_FILTER_DOCNO, "乙政发〔2024〕3号" },
        { SC_FILTER_DOCNO, "政发2019" },
        { SC_FILTER_DATE, "2023-12-05" },
        { SC_FILTER_DATE, "2023" },
        { SC_FILTER_DATE, "2019-01..2023-03" },
    };
    char text[256];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *name = sc_search_filter_name(cases[i].f);
        assert_non_null(name);
        struct sc_search_filter f = FL(cases[i].f, cases[i].value);
        /* with a query: "(依法行政) field:"value"" */
        snprintf(text, sizeof text, "(依法行政) %s:\"%s\"", name, cases[i].value);
        same(text, "依法行政", &f, 1);
        /* a query of several terms keeps its own tree under the AND */
        snprintf(text, sizeof text, "(依法 行政 | 推进) %s:\"%s\"", name, cases[i].value);
        same(text, "依法 行政 | 推进", &f, 1);
        /* alone (a blank query) */
        snprintf(text, sizeof text, "%s:\"%s\"", name, cases[i].value);
        same(text, "  ", &f, 1);
        same(text, NULL, &f, 1);
    }
    /* the filters narrow: a title filter finds only that document */
    struct sc_search_filter t = FL(SC_FILTER_TITLE, "丙区");
    assert_int_equal(total_of("依法行政", &t, 1), 1);
    assert_int_equal(total_of("依法行政", NULL, 0), 4);
}

static void values_or_fields_and(void **state)
{
    (void)state;
    struct sc_search_filter two[] = { FL(SC_FILTER_GENRE, "工作计划"), FL(SC_FILTER_YEAR, "2023"),
                                      FL(SC_FILTER_GENRE, "述职报告") };
    same("(依法行政) (genre:\"工作计划\" | genre:\"述职报告\") year:2023", "依法行政", two, 3);
    struct sc_search_filter three[] = { FL(SC_FILTER_YEAR, "2019"), FL(SC_FILTER_YEAR, "2023"),
                                        FL(SC_FILTER_YEAR, "2024"), FL(SC_FILTER_LEVEL, "县") };
    same("(year:2019 | year:2023 | year:2024) level:\"县\"", "", three, 4);
    assert_int_equal(total_of("", three, 4), 2);
    /* the effective query: fields in their order, values as given */
    struct sc_search_opts o = { .query = "依法行政", .filters = two, .nfilters = 3 };
    struct sc_buf b = SC_BUF_INIT;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_search_query_text(&o, &b, &d), SC_OK);
    assert_string_equal(b.data, "(依法行政) (genre:\"工作计划\" | genre:\"述职报告\") year:2023");
    sc_buf_reset(&b);
    o.query = "  ";
    assert_int_equal(sc_search_query_text(&o, &b, &d), SC_OK);
    assert_string_equal(b.data, "(genre:\"工作计划\" | genre:\"述职报告\") year:2023");
    sc_buf_reset(&b);
    o.query = "依法 行政";
    o.nfilters = 0;
    assert_int_equal(sc_search_query_text(&o, &b, &d), SC_OK);
    assert_string_equal(b.data, "依法 行政");
    sc_buf_release(&b);
    /* the names */
    assert_int_equal(sc_search_filter_field("docno"), SC_FILTER_DOCNO);
    assert_int_equal(sc_search_filter_field("q"), -1);
    assert_int_equal(sc_search_filter_field(NULL), -1);
    assert_null(sc_search_filter_name((enum sc_filter_field)SC_FILTER_FIELDS));
}

/* A paid document found through a title filter is found as the text form
 * finds it: for a caller who is not entitled, only as a paid_only hit
 * (the paid match is not shown), and not at all without paid matches. */
static void paid_rule_unchanged(void **state)
{
    (void)state;
    struct sc_search_filter t = FL(SC_FILTER_TITLE, "丙区");
    struct sc_buf b = SC_BUF_INIT;
    answer("具体做法", &t, 1, 0, 0, &b);
    assert_non_null(strstr(b.data, "\"total\": 1"));
    assert_non_null(strstr(b.data, "\"paid_only\": true"));
    assert_null(strstr(b.data, "具体做法"));
    same("(具体做法) title:\"丙区\"", "具体做法", &t, 1);
    /* without paid matches (allowance used up): nothing */
    struct sc_search_opts o = { .query = "具体做法", .filters = &t, .nfilters = 1, .limit = 5 };
    struct sc_results r;
    assert_int_equal(sc_engine_search(F.snap, NULL, &o, &r, NULL), SC_OK);
    assert_int_equal(r.total, 0);
    sc_results_release(&r);
    sc_buf_release(&b);
}

static enum sc_err bad(const char *q, const struct sc_search_filter *f, size_t nf,
                       struct sc_diag *d)
{
    memset(d, 0, sizeof *d);
    struct sc_search_opts o = { .query = q, .filters = f, .nfilters = nf, .limit = 1 };
    struct sc_results r;
    enum sc_err e = sc_engine_search(F.snap, NULL, &o, &r, d);
    sc_results_release(&r);
    /* the effective query text reports the same (an empty query is text
     * too: only a search needs something to look for) */
    struct sc_diag d2 = { 0 };
    struct sc_buf b = SC_BUF_INIT;
    enum sc_err e2 = sc_search_query_text(&o, &b, &d2);
    sc_buf_release(&b);
    if ((e == SC_EPARSE || e == SC_EINVAL) && strcmp(d->msg, "empty query") != 0) {
        assert_int_equal(e2, e);
        assert_string_equal(d2.msg, d->msg);
        assert_int_equal(d2.pos_cp, d->pos_cp);
    }
    return e;
}

static void bad_filters(void **state)
{
    (void)state;
    struct sc_diag d;
    struct sc_search_filter f = FL(SC_FILTER_YEAR, "2023 OR y");
    assert_int_equal(bad("依法", &f, 1, &d), SC_EINVAL);
    assert_non_null(strstr(d.msg, "bad year filter '2023 OR y'"));
    assert_int_equal(d.pos_cp, 0);
    f = FL(SC_FILTER_GENRE, "a\"b");
    assert_int_equal(bad("依法", &f, 1, &d), SC_EINVAL);
    assert_non_null(strstr(d.msg, "genre filter"));
    f = FL(SC_FILTER_SECTION, "xyz");
    assert_int_equal(bad("", &f, 1, &d), SC_EINVAL);
    assert_non_null(strstr(d.msg, "问题"));
    f = FL(SC_FILTER_DATE, "2023-13");
    assert_int_equal(bad("", &f, 1, &d), SC_EINVAL);
    assert_non_null(strstr(d.msg, "date filter"));
    f = FL(SC_FILTER_TITLE, "");
    assert_int_equal(bad("依法", &f, 1, &d), SC_EINVAL);
    assert_non_null(strstr(d.msg, "empty title filter"));
    f = FL(SC_FILTER_TITLE, "\xE4\xBE");
    assert_int_equal(bad("依法", &f, 1, &d), SC_EINVAL);
    assert_non_null(strstr(d.msg, "invalid UTF-8"));
    f = FL((enum sc_filter_field)99, "x");
    assert_int_equal(bad("依法", &f, 1, &d), SC_EINVAL);
    f = FL(SC_FILTER_UNIT, NULL);
    assert_int_equal(bad("依法", &f, 1, &d), SC_EINVAL);
    char longv[400];
    memset(longv, 'a', sizeof longv - 1);
    longv[sizeof longv - 1] = '\0';
    f = FL(SC_FILTER_TITLE, longv);
    assert_int_equal(bad("依法", &f, 1, &d), SC_EINVAL);
    assert_non_null(strstr(d.msg, "too long"));
    /* too many: the node limit counts the filters with the query */
    struct sc_search_filter many[SC_QUERY_MAX_NODES];
    for (size_t i = 0; i < SC_QUERY_MAX_NODES; i++)
        many[i] = FL(SC_FILTER_YEAR, "2023");
    assert_int_equal(bad("依法", many, SC_QUERY_MAX_NODES, &d), SC_EINVAL);
    assert_non_null(strstr(d.msg, "too complex"));
    /* the count given without the array */
    struct sc_search_opts o = { .query = "依法", .nfilters = 2, .limit = 1 };
    struct sc_results r;
    assert_int_equal(sc_engine_search(F.snap, NULL, &o, &r, &d), SC_EINVAL);
    sc_results_release(&r);
}

static void error_positions(void **state)
{
    (void)state;
    static const struct {
        const char *q;
        size_t pos;
    } cases[] = {
        { "(依法", 1 },
        { "依法 |", 4 },
        { "依法行政)", 5 },
        { "依法 (行政 | )", 8 },
        { "“依法” year:20x3", 11 },
        { "甲 乙 section:xyz", 13 },
        { "甲 \"乙", 3 },
        { "甲 -", 3 },
        { "| 甲", 1 },
        { "甲 ()", 3 },
        { "甲 date:", 3 },
    };
    struct sc_search_filter ok = FL(SC_FILTER_GENRE, "工作总结");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sc_diag d;
        for (size_t nf = 0; nf < 2; nf++) {
            enum sc_err e = bad(cases[i].q, &ok, nf, &d);
            if (d.pos_cp != cases[i].pos)
                fprintf(stderr, "%s: %s (pos %zu)\n", cases[i].q, d.msg, d.pos_cp);
            assert_int_equal(e, SC_EPARSE);
            /* the position is the one the message names, also with a filter */
            assert_int_equal(d.pos_cp, cases[i].pos);
            char at[32];
            snprintf(at, sizeof at, "at character %zu", cases[i].pos);
            assert_non_null(strstr(d.msg, at));
        }
    }
    /* errors without a place */
    struct sc_diag d;
    assert_int_equal(bad("", NULL, 0, &d), SC_EPARSE);
    assert_int_equal(d.pos_cp, 0);
    /* invalid UTF-8: the character where it starts */
    assert_int_equal(bad("依法\xFF", NULL, 0, &d), SC_EPARSE);
    assert_int_equal(d.pos_cp, 3);
    /* sc_diag_clear forgets the place; sc_diag_set records none */
    sc_diag_clear(&d);
    assert_int_equal(d.pos_cp, 0);
    assert_int_equal(sc_diag_set_at(&d, SC_EPARSE, 9, "x"), SC_EPARSE);
    assert_int_equal(d.pos_cp, 9);
    assert_int_equal(sc_diag_set_at(&d, SC_ELIMIT, 4, "y"), SC_ELIMIT); /* first one stays */
    assert_int_equal(d.pos_cp, 9);
    assert_string_equal(d.msg, "x");
}

/* Every allocation of a filtered search and of its query text failing in
 * turn: a clean SC_ENOMEM with a message, or the right answer; no leak (the
 * sanitizer build checks). */
static void allocation_failures(void **state)
{
    (void)state;
    struct sc_search_filter f[] = { FL(SC_FILTER_GENRE, "工作总结"), FL(SC_FILTER_YEAR, "2023"),
                                    FL(SC_FILTER_GENRE, "述职报告"), FL(SC_FILTER_TITLE, "局") };
    struct sc_search_opts o = { .query = "依法 | 推进",
                                .filters = f,
                                .nfilters = 4,
                                .limit = 5,
                                .mode = SC_SEARCH_PARA,
                                .entitled = 1,
                                .facets = 1 };
    struct sc_results r;
    struct sc_diag d = { 0 };
    sc_alloc_fail_at(0, 0);
    assert_int_equal(sc_engine_search(F.snap, NULL, &o, &r, &d), SC_OK);
    int64_t want = r.total;
    sc_results_release(&r);
    struct sc_buf text = SC_BUF_INIT;
    assert_int_equal(sc_search_query_text(&o, &text, &d), SC_OK);
    uint64_t total = sc_alloc_count();
    sc_buf_release(&text);
    assert_true(total > 0);
    size_t failures = 0;
    for (uint64_t n = 1; n <= total + 5; n++) {
        for (int persistent = 0; persistent <= 1; persistent++) {
            memset(&d, 0, sizeof d);
            sc_alloc_fail_at(n, persistent);
            enum sc_err e = sc_engine_search(F.snap, NULL, &o, &r, &d);
            struct sc_diag d2 = { 0 };
            struct sc_buf b = SC_BUF_INIT;
            enum sc_err e2 = sc_search_query_text(&o, &b, &d2);
            sc_alloc_fail_at(0, 0);
            if (e == SC_OK)
                assert_int_equal(r.total, want);
            else {
                assert_int_equal(e, SC_ENOMEM);
                assert_true(d.msg[0] != '\0');
                failures++;
            }
            assert_true(e2 == SC_OK || (e2 == SC_ENOMEM && d2.msg[0]));
            sc_results_release(&r);
            sc_buf_release(&b);
        }
    }
    assert_true(failures > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_kind_as_text),  cmocka_unit_test(values_or_fields_and),
        cmocka_unit_test(paid_rule_unchanged), cmocka_unit_test(bad_filters),
        cmocka_unit_test(error_positions),     cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
