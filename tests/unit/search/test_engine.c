/*
 * The search engine on small in-memory document sets: exact substring
 * semantics (digit runs, punctuation, paragraph breaks, normalisation),
 * operators, fields, sections, paragraph mode, snippets and paid ranges.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

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
static struct sc_doc DOCS[8];
static struct sc_section SECS[3];

static int setup(void **state)
{
    (void)state;
    DOCS[0] = mkdoc(1, "甲局2023年工作总结",
                    "甲局2023年工作总结\n"
                    "今年共受理112345件，通过。过开展专项行动，GDP增长5%。\n"
                    "二、存在的问题\n"
                    "政 府 服务仍有差距，依法行政水平有待提高。\n"
                    "三、下一步打算\n"
                    "继续推进依法行政，强化监督。");
    DOCS[0].year = 2023;
    DOCS[0].genre = (char *)"工作总结";
    DOCS[0].unit = (char *)"甲县发改局";
    DOCS[0].level = (char *)"县";
    /* sections: 二、 (problems) and 三、 (plans), code points */
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

    DOCS[1] = mkdoc(2, "乙市工作计划",
                    "乙市工作计划\n"
                    "ＧＤＰ目标：增长６%，通过开展招商引资。\n"
                    "依法行政是基础。\n"
                    "12345热线全年畅通。");
    DOCS[1].year = 2024;
    DOCS[1].genre = (char *)"工作计划";
    DOCS[1].level = (char *)"市";
    DOCS[2] = mkdoc(5, "丙区述职报告（付费）",
                    "丙区述职报告（付费）\n"
                    "免费部分介绍基本情况。\n"
                    "付费部分：依法行政的具体做法与成效。\n"
                    "结尾。");
    DOCS[2].year = 2023;
    DOCS[2].genre = (char *)"述职报告";
    DOCS[2].level = (char *)"区";
    {
        const char *t2 = DOCS[2].text;
        size_t pb = (size_t)(strstr(t2, "付费部分") - t2), pe = (size_t)(strstr(t2, "结尾") - t2);
        DOCS[2].paid_from_cp = (int64_t)sc_utf8_count(t2, pb);
        DOCS[2].paid_to_cp = (int64_t)sc_utf8_count(t2, pe);
    }
    DOCS[3] = mkdoc(7, "丁", "丁\n依法\n行政\n哈哈哈哈哈");
    snprintf(DOCS[0].docno, sizeof DOCS[0].docno, "%s", "甲发改〔2023〕12号");
    DOCS[0].docdate = 20231205;
    snprintf(DOCS[1].docno, sizeof DOCS[1].docno, "%s", "乙政发〔2024〕3号");
    DOCS[1].docdate = 20240110;
    snprintf(DOCS[3].docno, sizeof DOCS[3].docno, "%s", "X乙政发〔2024〕3号");
    return fixture_build(&F, DOCS, 4, 2);
}

static int teardown(void **state)
{
    (void)state;
    fixture_release(&F);
    return 0;
}

static int64_t count_of(const char *q, int para)
{
    struct sc_results r;
    struct sc_diag d = {0};
    enum sc_err e = fixture_search(&F, q, para, 0, 1, &r, &d);
    if (e != SC_OK) {
        fprintf(stderr, "query %s: %s\n", q, d.msg);
        sc_results_release(&r);
        return -1;
    }
    int64_t n = r.total;
    sc_results_release(&r);
    return n;
}

/* ids of the hits, in rank order, as "1,2" */
static void ids_of(const char *q, int para, char *out, size_t cap)
{
    struct sc_results r;
    struct sc_diag d = {0};
    out[0] = '\0';
    if (fixture_search(&F, q, para, 20, 1, &r, &d) != SC_OK) {
        snprintf(out, cap, "error: %.100s", d.msg);
        sc_results_release(&r);
        return;
    }
    size_t o = 0;
    for (size_t i = 0; i < r.nhits && o < cap; i++)
        o += (size_t)snprintf(out + o, cap - o, "%s%lld", i ? "," : "", (long long)r.hits[i].id);
    sc_results_release(&r);
}

static void test_exact_substrings(void **state)
{
    (void)state;
    assert_int_equal(count_of("12345", 0), 2);    /* inside 112345 too */
    assert_int_equal(count_of("112345", 0), 1);
    assert_int_equal(count_of("123456", 0), 0);
    assert_int_equal(count_of("通过开展", 0), 1); /* not bridged by 。 in doc 1 */
    assert_int_equal(count_of("通过。过开展", 0), 1);
    assert_int_equal(count_of("依法行政", 0), 3); /* not doc 7: across a break */
    assert_int_equal(count_of("\"法\n行\"", 0), 0);
    assert_int_equal(count_of("gdp", 0), 2);      /* ＧＤＰ folds */
    assert_int_equal(count_of("ＧＤＰ增长", 0), 1);
    assert_int_equal(count_of("政府服务", 0), 1); /* spaces between CJK removed */
    assert_int_equal(count_of("\"政 府\"", 0), 1);
    assert_int_equal(count_of("哈哈哈", 0), 1);
    assert_int_equal(count_of("哈哈哈哈哈哈", 0), 0);
    assert_int_equal(count_of("局", 0), 1);       /* one character */
    assert_int_equal(count_of("依", 0), 4);
    assert_int_equal(count_of("6%", 0), 1);
    assert_int_equal(count_of("%", 0), 2);
    assert_int_equal(count_of("量子纠缠", 0), 0);
}

static void test_operators(void **state)
{
    (void)state;
    char ids[128];
    assert_int_equal(count_of("依法行政 招商引资", 0), 1);
    assert_int_equal(count_of("依法行政 | 述职", 0), 3);
    assert_int_equal(count_of("依法行政 OR 哈哈", 0), 4);
    assert_int_equal(count_of("依法行政 -gdp", 0), 1);
    assert_int_equal(count_of("(通过 | 述职) -招商", 0), 2);
    assert_int_equal(count_of("-依法", 0), 0);
    assert_int_equal(count_of("-gdp", 0), 2);
    ids_of("依法行政 -gdp", 0, ids, sizeof ids);
    assert_string_equal(ids, "5");
}

static void test_fields(void **state)
{
    (void)state;
    assert_int_equal(count_of("year:2023", 0), 2);
    assert_int_equal(count_of("year:2023-2024 依法行政", 0), 3);
    assert_int_equal(count_of("year:2024", 0), 1);
    assert_int_equal(count_of("genre:工作总结", 0), 1);
    assert_int_equal(count_of("genre:工作", 0), 0);
    assert_int_equal(count_of("unit:发改局", 0), 1);
    assert_int_equal(count_of("level:区", 0), 1);
    assert_int_equal(count_of("title:工作", 0), 2);
    assert_int_equal(count_of("title:ＧＤＰ", 0), 0);
    assert_int_equal(count_of("依法行政 section:问题", 0), 1);
    assert_int_equal(count_of("依法行政 section:plans", 0), 1);
    assert_int_equal(count_of("强化监督 section:问题", 0), 0);
    assert_int_equal(count_of("section:problems", 0), 1);
    assert_int_equal(count_of("依法行政 section:问题", 1), 1);
    /* 发文字号: a whole number is compared whole, a part as a substring */
    assert_int_equal(count_of("docno:乙政发〔2024〕3号", 0), 1);
    assert_int_equal(count_of("docno:\"乙政发 2024 3号\"", 0), 1);
    assert_int_equal(count_of("docno:乙政发[2024]3", 0), 1);
    assert_int_equal(count_of("docno:〔2024〕3号", 0), 2);
    assert_int_equal(count_of("docno:甲发改2023", 0), 1);
    assert_int_equal(count_of("docno:〔2023〕1号", 0), 0);
    assert_int_equal(count_of("-docno:〔2024〕", 0), 2);
    /* 成文日期: documents without one never match */
    assert_int_equal(count_of("date:2023", 0), 1);
    assert_int_equal(count_of("date:2023-12-05", 0), 1);
    assert_int_equal(count_of("date:2023-12-06", 0), 0);
    assert_int_equal(count_of("date:2023..2024", 0), 2);
    assert_int_equal(count_of("date:2024-01 依法行政", 0), 1);
    assert_int_equal(count_of("-date:2000..2100", 0), 2);
    struct sc_results r;
    assert_int_equal(fixture_search(&F, "docno:乙政发〔2024〕3号", 0, 10, 1, &r, NULL), SC_OK);
    assert_int_equal(r.nhits, 1);
    assert_string_equal(r.hits[0].docno, "乙政发〔2024〕3号");
    assert_int_equal(r.hits[0].date, 20240110);
    struct sc_buf b = SC_BUF_INIT;
    sc_results_json(&b, &r, SC_SEARCH_DOC);
    assert_non_null(strstr(b.data, "\"docno\": \"乙政发〔2024〕3号\", \"date\": \"2024-01-10\""));
    sc_buf_release(&b);
    sc_results_release(&r);
}

static void test_paragraph_mode(void **state)
{
    (void)state;
    assert_int_equal(count_of("依法行政", 1), 4);
    assert_int_equal(count_of("依法 行政", 1), 4);   /* doc 7: 依法 and 行政 in two paragraphs */
    assert_int_equal(count_of("依法 行政", 0), 4);
    struct sc_results r;
    struct sc_diag d = {0};
    assert_int_equal(fixture_search(&F, "依法行政 section:问题", 1, 10, 1, &r, &d), SC_OK);
    assert_int_equal(r.nhits, 1);
    assert_int_equal(r.hits[0].id, 1);
    assert_int_equal(r.hits[0].paragraph, 3);
    assert_string_equal(r.hits[0].section, "二、存在的问题");
    assert_int_equal(r.hits[0].nsnippets, 1);
    assert_string_equal(r.hits[0].snippets[0].section, "二、存在的问题");
    sc_results_release(&r);
}

static void test_snippet_offsets(void **state)
{
    (void)state;
    struct sc_results r;
    struct sc_diag d = {0};
    assert_int_equal(fixture_search(&F, "gdp增长", 0, 10, 1, &r, &d), SC_OK);
    assert_int_equal(r.total, 1);
    assert_int_equal(r.nhits, 1);
    const struct sc_snippet *s = &r.hits[0].snippets[0];
    assert_non_null(s->text);
    assert_int_equal(s->nhighlights, 1);
    /* the highlight is the original text ＧＤＰ增长 in code points */
    const char *t = DOCS[0].text;
    int64_t at = (int64_t)sc_utf8_count(t, (size_t)(strstr(t, "GDP增长") - t));
    assert_int_equal(s->start_cp + s->highlights_cp[0][0], at);
    assert_int_equal(s->highlights_cp[0][1] - s->highlights_cp[0][0], 5);
    size_t hb = sc_utf8_offset(s->text, strlen(s->text), (size_t)s->highlights_cp[0][0]);
    assert_memory_equal(s->text + hb, "GDP增长", strlen("GDP增长"));
    sc_results_release(&r);

    /* full-width characters before the hit, and a spaced phrase as one run */
    assert_int_equal(fixture_search(&F, "政府服务", 0, 10, 1, &r, &d), SC_OK);
    s = &r.hits[0].snippets[0];
    assert_int_equal(s->nhighlights, 1);
    hb = sc_utf8_offset(s->text, strlen(s->text), (size_t)s->highlights_cp[0][0]);
    size_t he = sc_utf8_offset(s->text, strlen(s->text), (size_t)s->highlights_cp[0][1]);
    assert_int_equal(he - hb, strlen("政 府 服务"));
    assert_memory_equal(s->text + hb, "政 府 服务", he - hb);
    sc_results_release(&r);

    assert_int_equal(fixture_search(&F, "目标", 0, 10, 1, &r, &d), SC_OK);
    s = &r.hits[0].snippets[0];
    t = DOCS[1].text;
    at = (int64_t)sc_utf8_count(t, (size_t)(strstr(t, "目标") - t));
    assert_int_equal(s->start_cp + s->highlights_cp[0][0], at);
    sc_results_release(&r);
}

/* A caller who may not read paid text: matched on the free text; the paid
 * part counts only while the caller's allowance grants it, and then only
 * as "found in the paid part". */
static enum sc_err search_unentitled(const char *q, int para, size_t limit, int flags,
                                     struct sc_results *r)
{
    struct sc_search_opts o = {0};
    o.query = q;
    o.mode = para ? SC_SEARCH_PARA : SC_SEARCH_DOC;
    o.limit = limit;
    struct sc_diag d = {0};
    return sc_engine_search_ex(F.snap, &(struct sc_textsrc){fixture_read, &F}, &o, flags, r, &d);
}

static void test_paid(void **state)
{
    (void)state;
    struct sc_results r;
    struct sc_diag d = {0};
    /* no allowance: the paid part does not match at all */
    assert_int_equal(search_unentitled("具体做法", 0, 10, 0, &r), SC_OK);
    assert_int_equal(r.total, 0);
    assert_int_equal(r.paid, SC_PAID_FREE_ONLY);
    sc_results_release(&r);
    /* granted: found, and nothing else told */
    assert_int_equal(search_unentitled("具体做法", 0, 10, SC_ENGINE_PAID_MATCHES, &r), SC_OK);
    assert_int_equal(r.total, 1);
    assert_int_equal(r.paid_only, 1);
    assert_int_equal(r.paid, SC_PAID_FOUND);
    assert_true(r.hits[0].paid);
    assert_true(r.hits[0].paid_only);
    assert_int_equal(r.hits[0].count, -1);
    assert_int_equal(r.hits[0].nsnippets, 0);
    struct sc_buf b = SC_BUF_INIT;
    sc_results_json(&b, &r, SC_SEARCH_DOC);
    assert_null(strstr(b.data, "具体做法"));
    assert_non_null(strstr(b.data, "\"count\": null"));
    sc_buf_release(&b);
    sc_results_release(&r);
    /* paragraph mode: one unit for the paid part, no paragraph named */
    assert_int_equal(search_unentitled("具体做法", 1, 10, SC_ENGINE_PAID_MATCHES, &r), SC_OK);
    assert_int_equal(r.total, 1);
    assert_true(r.hits[0].paid_only);
    assert_int_equal(r.hits[0].paragraph, -1);
    sc_results_release(&r);
    /* entitled: as any text */
    assert_int_equal(fixture_search(&F, "具体做法", 0, 10, 1, &r, &d), SC_OK);
    assert_int_equal(r.paid, SC_PAID_READ);
    assert_false(r.hits[0].paid_only);
    assert_non_null(r.hits[0].snippets[0].text);
    assert_non_null(strstr(r.hits[0].snippets[0].text, "具体做法"));
    sc_results_release(&r);
    /* a free hit in a paid document keeps its text */
    assert_int_equal(fixture_search(&F, "基本情况", 0, 10, 0, &r, &d), SC_OK);
    assert_false(r.hits[0].paid);
    assert_non_null(r.hits[0].snippets[0].text);
    assert_null(strstr(r.hits[0].snippets[0].text, "付费部分"));
    sc_results_release(&r);
    /* counts and ranks come from the free text: 依法行政 is free in 1 and 2
     * and paid in 5 */
    assert_int_equal(search_unentitled("依法行政", 0, 10, 0, &r), SC_OK);
    assert_int_equal(r.total, 2);
    for (size_t h = 0; h < r.nhits; h++)
        assert_true(r.hits[h].id != 5);
    sc_results_release(&r);
    assert_int_equal(search_unentitled("依法行政", 0, 10, SC_ENGINE_PAID_MATCHES, &r), SC_OK);
    assert_int_equal(r.total, 3);
    assert_int_equal(r.hits[2].id, 5); /* found only in its paid part: ranked last */
    assert_true(r.hits[2].paid_only);
    sc_results_release(&r);
    /* a NOT on a paid word: the free text has none of it */
    assert_int_equal(search_unentitled("情况 -具体做法", 0, 10, 0, &r), SC_OK);
    int found5 = 0;
    for (size_t h = 0; h < r.nhits; h++)
        found5 |= r.hits[h].id == 5;
    assert_true(found5);
    sc_results_release(&r);
}

static void test_ranking_and_json(void **state)
{
    (void)state;
    char ids[128];
    /* title boost: 工作 in the titles of 1 and 2 */
    ids_of("依法行政", 0, ids, sizeof ids);
    assert_int_equal(strlen(ids) > 0, 1);
    struct sc_results r;
    struct sc_diag d = {0};
    struct sc_search_opts o = {.query = "依法行政", .limit = 2, .offset = 1, .entitled = 1,
                               .facets = 1};
    assert_int_equal(sc_engine_search(F.snap, &(struct sc_textsrc){fixture_read, &F}, &o, &r, &d), SC_OK);
    assert_int_equal(r.total, 3);
    assert_int_equal(r.nhits, 2);
    struct sc_buf b = SC_BUF_INIT;
    sc_results_json(&b, &r, SC_SEARCH_DOC);
    assert_non_null(strstr(b.data, "\"total\": 3"));
    assert_non_null(strstr(b.data, "\"facets\": {\"genre\": ["));
    assert_non_null(strstr(b.data, "\"highlights\": [["));
    sc_buf_release(&b);
    sc_results_release(&r);
}

/* Facet counts equal a recount over every hit (genre and year are on the
 * hits), in both modes, for queries matching many and few units. */
static void test_facets_recount(void **state)
{
    (void)state;
    static const char *const queries[] = { "工作", "的", "依法行政", "year:2023", "-工作" };
    for (size_t qi = 0; qi < sizeof queries / sizeof queries[0]; qi++)
        for (int para = 0; para <= 1; para++) {
            struct sc_results r;
            struct sc_diag d = {0};
            struct sc_search_opts o = {.query = queries[qi], .limit = SC_MAX_LIMIT,
                                       .entitled = 1, .facets = 1,
                                       .mode = para ? SC_SEARCH_PARA : SC_SEARCH_DOC};
            assert_int_equal(sc_engine_search(F.snap, &(struct sc_textsrc){fixture_read, &F}, &o,
                                              &r, &d), SC_OK);
            assert_true(r.total <= SC_MAX_LIMIT); /* the fixture is small: every hit is here */
            assert_int_equal((int64_t)r.nhits, r.total);
            for (size_t f = 0; f < r.facets.ngenre; f++) {
                int64_t n = 0;
                for (size_t h = 0; h < r.nhits; h++)
                    n += r.hits[h].genre && strcmp(r.hits[h].genre, r.facets.genre[f].value) == 0;
                if (n != r.facets.genre[f].count)
                    fail_msg("%s (%s): genre %s counted %lld, hits say %lld", queries[qi],
                             para ? "para" : "doc", r.facets.genre[f].value,
                             (long long)r.facets.genre[f].count, (long long)n);
            }
            int64_t with_genre = 0, with_year = 0, in_genres = 0, in_years = 0;
            for (size_t h = 0; h < r.nhits; h++) {
                with_genre += r.hits[h].genre && *r.hits[h].genre;
                with_year += r.hits[h].year > 0;
            }
            for (size_t f = 0; f < r.facets.ngenre; f++)
                in_genres += r.facets.genre[f].count;
            for (size_t f = 0; f < r.facets.nyear; f++) {
                int64_t n = 0;
                for (size_t h = 0; h < r.nhits; h++)
                    n += r.hits[h].year == atoi(r.facets.year[f].value);
                assert_int_equal(n, r.facets.year[f].count);
                in_years += n;
            }
            assert_int_equal(in_genres, with_genre);
            assert_int_equal(in_years, with_year);
            sc_results_release(&r);
        }
}

static void test_errors(void **state)
{
    (void)state;
    struct sc_results r;
    struct sc_diag d = {0};
    assert_int_equal(fixture_search(&F, "(依法", 0, 10, 1, &r, &d), SC_EPARSE);
    assert_non_null(strstr(d.msg, "character 1"));
    sc_results_release(&r);
    memset(&d, 0, sizeof d);
    assert_int_equal(fixture_search(&F, "", 0, 10, 1, &r, &d), SC_EPARSE);
    sc_results_release(&r);
    memset(&d, 0, sizeof d);
    struct sc_search_opts o = {.query = "x", .limit = 1000};
    assert_int_equal(sc_engine_search(F.snap, &(struct sc_textsrc){fixture_read, &F}, &o, &r, &d), SC_ELIMIT);
    sc_results_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_substrings), cmocka_unit_test(test_operators),
        cmocka_unit_test(test_fields),           cmocka_unit_test(test_paragraph_mode),
        cmocka_unit_test(test_snippet_offsets),  cmocka_unit_test(test_paid),
        cmocka_unit_test(test_ranking_and_json), cmocka_unit_test(test_errors),
        cmocka_unit_test(test_facets_recount),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
