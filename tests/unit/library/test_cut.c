/*
 * Unit tests for lib/library/cut.c and the reader's JSON: the one paid cut
 * (edge rules on plain numbers; the title line is public; the line of the
 * cut), what a reader who may not read paid text gets of a document and of
 * each section (text, outline without paid headings, their count,
 * sections numbered in the reader's outline), and the headings teaser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sucai/sucai.h"

static void cut_numbers(void **state)
{
    (void)state;
    int64_t f, t;
    /* none, empty, inverted */
    assert_int_equal(sc_paid_cut(-1, -1, 5, 100, &f, &t), 0);
    assert_int_equal(f, 0);
    assert_int_equal(t, 0);
    assert_int_equal(sc_paid_cut(20, 20, 5, 100, &f, &t), 0);
    assert_int_equal(sc_paid_cut(30, 20, 5, 100, &f, &t), 0);
    /* to the end; past the end */
    assert_int_equal(sc_paid_cut(20, -1, 5, 100, &f, &t), 1);
    assert_int_equal(f, 20);
    assert_int_equal(t, 100);
    assert_int_equal(sc_paid_cut(20, 500, 5, 100, &f, &t), 1);
    assert_int_equal(t, 100);
    assert_int_equal(sc_paid_cut(100, -1, 5, 100, &f, &t), 0);
    /* the title line is public: paid from 0 starts at the body */
    assert_int_equal(sc_paid_cut(0, -1, 5, 100, &f, &t), 1);
    assert_int_equal(f, 5);
    assert_int_equal(sc_paid_cut(0, 4, 5, 100, &f, &t), 0);
    /* a title without a body */
    assert_int_equal(sc_paid_cut(0, -1, 100, 100, &f, &t), 0);
    assert_int_equal(sc_paid_cut(0, -1, 7, 0, &f, &t), 0);
}

static struct sc_doc doc_of(const char *text, int64_t paid_from, int64_t paid_to)
{
    struct sc_doc d;
    memset(&d, 0, sizeof d);
    d.id = 9;
    d.text = (char *)text;
    d.text_len = strlen(text);
    d.paid_from_cp = paid_from;
    d.paid_to_cp = paid_to;
    return d;
}

static void cut_documents(void **state)
{
    (void)state;
    /* 标题 (2) \n (1) 一二三 (3) \n 四五六七 */
    const char *t = "标题\n一二三\n四五六七";
    struct sc_view free_view = { 0, 0 }, paid_view = { 1, 0 };
    struct sc_cut c;
    struct sc_doc d = doc_of(t, 0, -1);
    assert_int_equal(sc_doc_cut(&d, &free_view, &c), 1);
    assert_int_equal(c.from_cp, 3);
    assert_int_equal(c.to_cp, 11);
    assert_int_equal(c.line_cp, 3);
    assert_int_equal(sc_doc_cut(&d, &paid_view, &c), 0);
    assert_int_equal(sc_doc_cut(&d, NULL, &c), 1);
    /* mid-line: the line of the cut is where its line starts */
    d = doc_of(t, 8, 10);
    assert_int_equal(sc_doc_cut(&d, &free_view, &c), 1);
    assert_int_equal(c.from_cp, 8);
    assert_int_equal(c.to_cp, 10);
    assert_int_equal(c.line_cp, 7);
    assert_true(sc_cut_visible(&c, 7, 8));
    assert_false(sc_cut_visible(&c, 7, 9)); /* one character into it */
    assert_true(sc_cut_visible(&c, 10, 11));
    struct sc_section s = { 0 };
    s.start_cp = 7; /* a heading on the cut's line meets it */
    assert_false(sc_cut_section_shown(&c, &s));
    s.start_cp = 3;
    assert_true(sc_cut_section_shown(&c, &s));
    s.start_cp = 10;
    assert_true(sc_cut_section_shown(&c, &s));
    c.headings = 1;
    s.start_cp = 7;
    assert_true(sc_cut_section_shown(&c, &s));
    struct sc_buf b = SC_BUF_INIT;
    sc_doc_text_shown(&b, &d, &free_view);
    assert_string_equal(b.data, "标题\n一二三\n四七");
    sc_buf_reset(&b);
    sc_doc_text_shown(&b, &d, &paid_view);
    assert_string_equal(b.data, t);
    sc_buf_release(&b);
}

struct fixture {
    char dir[64];
    struct sc_library *lib;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/sucai-cut-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    strcat(f->dir, "/lib");
    struct sc_diag d = { 0 };
    if (sc_library_create(f->dir, &d) != SC_OK || sc_library_open(f->dir, 0, &f->lib, &d) != SC_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    sc_library_close(f->lib);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%.*s'", (int)(strlen(f->dir) - 4), f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

static int64_t import(struct sc_library *lib, const char *text)
{
    struct sc_import_summary sum;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_import_bytes(lib, "t.txt", text, strlen(text), NULL, &sum, &d), SC_OK);
    assert_int_equal(sum.docs, 1);
    return sc_index_lag(lib) >= 0 ? 1 : 0;
}

static const char article[] = "XX局2024年素材工作要点\n"
                              "一、总体思路\n"
                              "坚持问题导向，公开部分写到这里##paidbegin##付费的第一句。\n"
                              "二、核心举措\n"
                              "（一）付费章节标题甲\n"
                              "付费部分的正文内容，一是甲；二是乙。\n"
                              "##paidend##\n"
                              "继续落实上述举措，公开的收尾段落。\n"
                              "三、工作要求\n"
                              "公开的要求。\n";

static void reader_json(void **state)
{
    struct fixture *f = *state;
    import(f->lib, article);
    struct sc_doc doc;
    assert_int_equal(sc_doc_get(f->lib, 1, SC_DOC_TEXT | SC_DOC_OUTLINE, &doc, NULL), SC_OK);
    assert_true(doc.nsections >= 4);
    struct sc_view fv = { 0, 0 }, tv = { 0, 1 }, ev = { 1, 0 };
    struct sc_buf b = SC_BUF_INIT;
    sc_doc_json(&b, &doc, &fv);
    assert_null(strstr(b.data, "付费"));
    assert_null(strstr(b.data, "核心举措"));
    assert_null(strstr(b.data, "一是"));
    assert_non_null(strstr(b.data, "总体思路"));
    assert_non_null(strstr(b.data, "工作要求"));
    assert_non_null(strstr(b.data, "\"paid_sections\": 2"));
    assert_non_null(strstr(b.data, "公开的收尾段落"));
    sc_buf_reset(&b);
    /* the teaser shows the headings, not the text */
    sc_doc_json(&b, &doc, &tv);
    assert_non_null(strstr(b.data, "核心举措"));
    assert_non_null(strstr(b.data, "付费章节标题甲"));
    assert_null(strstr(b.data, "付费的第一句"));
    assert_null(strstr(b.data, "正文内容"));
    assert_non_null(strstr(b.data, "\"paid_sections\": 0"));
    sc_buf_reset(&b);
    sc_doc_json(&b, &doc, &ev);
    assert_non_null(strstr(b.data, "付费的第一句"));
    assert_null(strstr(b.data, "paid_sections"));
    sc_buf_reset(&b);
    /* sections are numbered in the outline the reader sees */
    struct sc_diag d = { 0 };
    int n = 0;
    for (;; n++) {
        sc_buf_reset(&b);
        enum sc_err e = sc_section_json(&b, &doc, n, &fv, &d);
        if (e == SC_ENOTFOUND)
            break;
        assert_int_equal(e, SC_OK);
        assert_null(strstr(b.data, "付费"));
        assert_null(strstr(b.data, "核心举措"));
    }
    assert_int_equal(n, (int)doc.nsections - 2);
    assert_non_null(strstr(d.msg, "sections"));
    sc_buf_reset(&b);
    assert_int_equal(sc_section_json(&b, &doc, 0, &fv, NULL), SC_OK);
    assert_non_null(strstr(b.data, "\"locked\": true"));
    assert_non_null(strstr(b.data, "公开部分写到这里"));
    assert_int_equal(sc_section_json(&b, &doc, -1, &fv, NULL), SC_ENOTFOUND);
    sc_buf_release(&b);
    sc_doc_release(&doc);
}

/* A document paid from its start: the title stays readable. */
static void paid_from_the_start(void **state)
{
    struct fixture *f = *state;
    import(f->lib, "##paidbegin##XX局2023年工作总结\n一、基本情况\n全部付费。\n");
    struct sc_doc doc;
    assert_int_equal(sc_doc_get(f->lib, 1, SC_DOC_TEXT | SC_DOC_OUTLINE, &doc, NULL), SC_OK);
    assert_int_equal(doc.paid_from_cp, 0);
    struct sc_buf b = SC_BUF_INIT;
    sc_doc_text_shown(&b, &doc, &(struct sc_view){ 0, 0 });
    assert_string_equal(b.data, "XX局2023年工作总结\n");
    sc_buf_reset(&b);
    sc_doc_json(&b, &doc, &(struct sc_view){ 0, 0 });
    assert_non_null(strstr(b.data, "\"outline\": [], \"paid_sections\": 1"));
    assert_null(strstr(b.data, "基本情况"));
    sc_buf_release(&b);
    sc_doc_release(&doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cut_numbers),
        cmocka_unit_test(cut_documents),
        cmocka_unit_test_setup_teardown(reader_json, setup, teardown),
        cmocka_unit_test_setup_teardown(paid_from_the_start, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
