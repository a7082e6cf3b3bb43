/*
 * The query parser: a table of queries and the trees they parse to, and
 * malformed queries with the message (and character position) they get.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "search/query.h"

#include <string.h>

static void check(const char *q, const char *want)
{
    struct sc_query pq;
    struct sc_diag d = {0};
    enum sc_err e = sc_query_parse(q, strlen(q), &pq, &d);
    if (e != SC_OK)
        fail_msg("%s: %s", q, d.msg);
    struct sc_buf b = SC_BUF_INIT;
    sc_query_dump(&b, &pq);
    if (strcmp(b.data, want) != 0)
        fail_msg("%s: got %s, want %s", q, b.data, want);
    sc_buf_release(&b);
    sc_query_release(&pq);
}

static void bad(const char *q, enum sc_err want, const char *msg)
{
    struct sc_query pq;
    struct sc_diag d = {0};
    enum sc_err e = sc_query_parse(q, strlen(q), &pq, &d);
    sc_query_release(&pq);
    if (e != want)
        fail_msg("%s: got error %d (%s), want %d", q, e, d.msg, want);
    if (!strstr(d.msg, msg))
        fail_msg("%s: message '%s' lacks '%s'", q, d.msg, msg);
}

static void test_trees(void **state)
{
    (void)state;
    check("依法行政", "\"依法行政\"");
    check("依法 行政", "(and \"依法\" \"行政\")");
    check("依法　行政", "(and \"依法\" \"行政\")"); /* U+3000 separates */
    check("\"政 府 采购\"", "\"政府采购\"");       /* normalised inside quotes */
    check("\"GDP 增长\"", "\"gdp 增长\"");
    check("ＧＤＰ", "\"gdp\"");
    check("a | b c", "(or \"a\" (and \"b\" \"c\"))");
    check("a OR b", "(or \"a\" \"b\")");
    check("a or b", "(and \"a\" \"or\" \"b\")");
    check("a -b", "(and \"a\" (not \"b\"))");
    check("2019-2023", "\"2019-2023\"");
    check("(a | b) -(c d)", "(and (or \"a\" \"b\") (not (and \"c\" \"d\")))");
    check("a (b c) d", "(and \"a\" \"b\" \"c\" \"d\")");
    check("year:2023", "year:2023");
    check("year:2019-2023 工作", "(and year:2019-2023 \"工作\")");
    check("title:总结 genre:工作总结 unit:发改局 level:区",
          "(and title:\"总结\" genre:\"工作总结\" unit:\"发改局\" level:\"区\")");
    check("title:\"工作 总结\"", "title:\"工作总结\"");
    check("section:问题 section:plans", "(and section:problems section:plans)");
    check("时间:2023", "\"时间:2023\"");
    check("（一）", "\"(一)\"");
    check("a|b", "(or \"a\" \"b\")");
    /* 发文字号 in any of its typed spellings reads as the canonical number */
    check("docno:国发〔2019〕4号", "docno:\"国发〔2019〕4号\"");
    check("docno:国发[2019]4号", "docno:\"国发〔2019〕4号\"");
    check("docno:\"国发2019 4号\"", "docno:\"国发〔2019〕4号\"");
    check("docno:国发2019", "docno~\"国发〔2019〕\"");
    check("docno:〔2019〕4号", "docno~\"〔2019〕4号\"");
    check("date:2019-01-27", "date:2019-01-27..2019-01-27");
    check("date:2019-02 工作", "(and date:2019-02-01..2019-02-28 \"工作\")");
    check("date:2019..2020", "date:2019-01-01..2020-12-31");
    check("DATE:2019", "date:2019-01-01..2019-12-31");
}

static void test_errors(void **state)
{
    (void)state;
    bad("(依法 行政", SC_EPARSE, "unbalanced ( at character 1");
    bad("依法 行政)", SC_EPARSE, "unbalanced ) at character 6");
    bad("依法 \"行政", SC_EPARSE, "unterminated quote at character 4");
    bad("| a", SC_EPARSE, "at character 1");
    bad("a |", SC_EPARSE, "without a right operand at character 3");
    bad("a - b", SC_EPARSE, "'-' without a term at character 3");
    bad("()", SC_EPARSE, "empty ( ) at character 1");
    bad("year:20x3", SC_EPARSE, "bad year '20x3' at character 6");
    bad("year:2023-2019", SC_EPARSE, "bad year");
    bad("section:外星", SC_EPARSE, "unknown section kind '外星' at character 9");
    bad("docno:关于，通知", SC_EPARSE, "bad docno '关于，通知' at character 7");
    bad("date:2019-13", SC_EPARSE, "bad date '2019-13' at character 6");
    bad("date:2019-02..2019-01", SC_EPARSE, "bad date");
    bad("title:", SC_EPARSE, "empty value for title: at character 1");
    bad("\"\u200b\"", SC_EPARSE, "empty term at character 1");
    bad("a \xff", SC_EPARSE, "invalid UTF-8 at character 3");
    char deep[200];
    memset(deep, '(', 100);
    deep[100] = 'a';
    memset(deep + 101, ')', 98);
    deep[199] = '\0';
    bad(deep, SC_ELIMIT, "nested too deeply");
    char many[400] = "";
    for (int i = 0; i < 80; i++)
        strcat(many, "a ");
    bad(many, SC_ELIMIT, "too complex");
    char longq[1100];
    memset(longq, 'a', sizeof longq - 1);
    longq[sizeof longq - 1] = '\0';
    bad(longq, SC_ELIMIT, "too long");

    struct sc_query pq;
    assert_int_equal(sc_query_parse("   ", 3, &pq, NULL), SC_OK);
    assert_null(pq.root);
    sc_query_release(&pq);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trees),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
