/*
 * sc_compile() end to end on hand-made documents: the .txt and .md
 * structure, headings from the outline, paid parts left out for callers
 * who are not entitled (and never leaking into any format), default
 * titles, errors, the format and file-name helpers, and speed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "export/export_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct sc_doc doc(int64_t id, const char *title, const char *text)
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

static char *compile(const struct sc_doc *const *docs, size_t n, enum sc_export_format f,
                     int entitled, const char *title, struct sc_compile_info *info)
{
    struct sc_compile_opts o = { 0 };
    o.format = f;
    o.entitled = entitled;
    o.title = title;
    struct sc_buf out = SC_BUF_INIT;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_compile(docs, n, &o, &out, info, &d);
    if (e != SC_OK)
        fail_msg("compile: %s", d.msg);
    return sc_buf_take(&out, NULL);
}

static void txt_structure(void **state)
{
    (void)state;
    struct sc_doc a = doc(1, "甲文", "甲文\n第一段。\n\n　　第二段\t有制表符。");
    struct sc_doc b = doc(2, "乙文", "乙文\n唯一一段。");
    const struct sc_doc *p[2] = { &a, &b };
    struct sc_compile_info info;
    char *s = compile(p, 2, SC_EXPORT_TXT, 1, "测试汇编", &info);
    const char *want = "测试汇编\n\n"
                       "目录\n\n"
                       "甲文\t2\n"
                       "乙文\t3\n"
                       "\n\n"
                       "甲文\n\n"
                       "第一段。\n"
                       "第二段 有制表符。\n" /* leading spaces trimmed */
                       "\n\n\n"
                       "乙文\n\n"
                       "唯一一段。\n";
    assert_string_equal(s, want);
    assert_string_equal(info.title, "测试汇编");
    assert_int_equal(info.ndocs, 2);
    assert_int_equal(info.toc_pages, 1);
    assert_int_equal(info.first_page[0], 2);
    assert_int_equal(info.first_page[1], 3);
    assert_int_equal(info.pages, 3);
    assert_int_equal(info.omitted_chars, 0);
    sc_compile_info_release(&info);
    free(s);

    /* one document on its own */
    struct sc_compile_opts o = { 0 };
    o.format = SC_EXPORT_TXT;
    o.single = 1;
    struct sc_buf out = SC_BUF_INIT;
    assert_int_equal(sc_compile(p + 1, 1, &o, &out, &info, NULL), SC_OK);
    assert_string_equal(out.data, "乙文\n\n唯一一段。\n");
    assert_string_equal(info.title, "乙文");
    assert_int_equal(info.toc_pages, 0);
    assert_int_equal(info.first_page[0], 1);
    sc_compile_info_release(&info);
    sc_buf_release(&out);
}

/* A document with an outline: 一、 standalone, （一） inline. */
static const char *outlined = "某局工作总结\n"
                              "开头段落。\n"
                              "一、主要做法\n"
                              "（一）加强领导。成立*领导*小组_[1]_。\n"
                              "1. 列表一样的段落\n"
                              "# 像标题的段落 <b>\n";

static void outline_doc(struct sc_doc *d, struct sc_section *sec)
{
    *d = doc(7, "某局工作总结", outlined);
    memset(sec, 0, 2 * sizeof *sec);
    sec[0].level = 1;
    sec[0].label = (char *)"一、";
    sec[0].heading = (char *)"主要做法";
    sec[0].start_cp = (int64_t)sc_utf8_count(outlined, strstr(outlined, "一、") - outlined);
    sec[1].level = 2;
    sec[1].label = (char *)"（一）";
    sec[1].heading = (char *)"加强领导";
    sec[1].start_cp = (int64_t)sc_utf8_count(outlined, strstr(outlined, "（一）") - outlined);
    d->sections = sec;
    d->nsections = 2;
}

static void headings_from_the_outline(void **state)
{
    (void)state;
    struct sc_doc d;
    struct sc_section sec[2];
    outline_doc(&d, sec);
    const struct sc_doc *p[1] = { &d };
    struct sc_compile_opts o = { 0 };
    struct sc_ex_plan plan;
    memset(&plan, 0, sizeof plan);
    assert_int_equal(sc_ex_plan_build(&plan, p, 1, &o, NULL), SC_OK);
    size_t t = plan.title_block[0];
    assert_int_equal(plan.blocks[t + 1].kind, SC_EX_PARA);
    assert_int_equal(plan.blocks[t + 1].head_len, 0);
    assert_int_equal(plan.blocks[t + 2].kind, SC_EX_HEADING);
    assert_int_equal(plan.blocks[t + 2].level, 1);
    assert_int_equal(plan.blocks[t + 3].kind, SC_EX_PARA);
    assert_int_equal(plan.blocks[t + 3].level, 2);
    assert_int_equal(plan.blocks[t + 3].head_len, strlen("（一）加强领导"));
    assert_int_equal(plan.nblocks, t + 6);
    sc_ex_plan_release(&plan);

    char *md = compile(p, 1, SC_EXPORT_MD, 1, NULL, NULL);
    assert_non_null(strstr(md, "\n## 某局工作总结\n\n开头段落。\n\n### 一、主要做法\n\n"));
    /* bold stops before the full stop (CommonMark needs that); markup escaped */
    assert_non_null(strstr(md, "\n**（一）加强领导**。成立\\*领导\\*小组\\_\\[1\\]\\_。\n"));
    assert_non_null(strstr(md, "\n1\\. 列表一样的段落\n"));
    assert_non_null(strstr(md, "\n\\# 像标题的段落 \\<b\\>\n"));
    assert_non_null(strstr(md, "\n## 目录\n\n- 某局工作总结 …… 2\n\n"));
    free(md);
}

/* The outline the 公文 parser gives a law and a report: the （一）…； items of
 * a 第X条 are list items, not sections, so they stay paragraphs (no Heading
 * style, nothing in Word's navigation pane); a title without a number is a
 * heading. */
static void list_items_are_paragraphs(void **state)
{
    (void)state;
    static const char law[] = "XX市物业管理条例\n"
                              "第一章 总则\n"
                              "第一条 业主享有下列权利：\n"
                              "（一）按照物业服务合同的约定，接受服务；\n"
                              "（二）提议召开业主大会会议。\n"
                              "第二章 附则\n"
                              "第二条 本条例自公布之日起施行。\n";
    struct sc_doc d = doc(8, "XX市物业管理条例", law);
    assert_int_equal(sc_outline_parse(law, strlen(law), &d.sections, &d.nsections), SC_OK);
    const struct sc_doc *p[1] = { &d };
    struct sc_compile_opts o = { 0 };
    struct sc_ex_plan plan;
    memset(&plan, 0, sizeof plan);
    assert_int_equal(sc_ex_plan_build(&plan, p, 1, &o, NULL), SC_OK);
    size_t headings = 0;
    for (size_t i = 0; i < plan.nblocks; i++) {
        const struct sc_ex_block *b = &plan.blocks[i];
        if (b->len >= strlen("（") && memcmp(b->text, "（", strlen("（")) == 0) {
            assert_int_equal(b->kind, SC_EX_PARA);
            assert_int_equal(b->head_len, 0);
        }
        headings += b->kind == SC_EX_HEADING;
    }
    assert_int_equal(headings, 2); /* 第一章 总则, 第二章 附则 */
    sc_ex_plan_release(&plan);
    sc_sections_free(d.sections, d.nsections);

    static const char report[] =
        "XX省2026年政府工作报告\n"
        "各位代表：\n"
        "2026年重点工作\n"
        "今年要坚持稳中求进，统筹发展和安全，重点做好以下工作，确保开好局起好步。\n"
        "（一）着力扩大内需\n"
        "实施城乡居民增收计划，大力提振消费，扩大有效投资，推动经济持续回升向好。\n"
        "加强政府自身建设\n"
        "我们将坚持依法行政，深入推进廉洁政府建设，以实干实绩回应人民期待和信任。\n";
    d = doc(9, "XX省2026年政府工作报告", report);
    assert_int_equal(sc_outline_parse(report, strlen(report), &d.sections, &d.nsections), SC_OK);
    assert_int_equal(d.nsections, 3);
    memset(&plan, 0, sizeof plan);
    assert_int_equal(sc_ex_plan_build(&plan, p, 1, &o, NULL), SC_OK);
    int seen = 0;
    for (size_t i = 0; i < plan.nblocks; i++) {
        const struct sc_ex_block *b = &plan.blocks[i];
        if (b->len == strlen("2026年重点工作") && memcmp(b->text, "2026年重点工作", b->len) == 0) {
            assert_int_equal(b->kind, SC_EX_HEADING);
            assert_int_equal(b->level, 1);
            seen++;
        }
        if (b->len >= strlen("（一）") && memcmp(b->text, "（一）", strlen("（一）")) == 0) {
            assert_int_equal(b->kind, SC_EX_HEADING);
            assert_int_equal(b->level, 2);
            seen++;
        }
    }
    assert_int_equal(seen, 2);
    sc_ex_plan_release(&plan);
    sc_sections_free(d.sections, d.nsections);
}

/* Paid part from the middle of the second paragraph to the end. */
static const char *paid_text = "会员文章\n"
                               "免费的第一段。\n"
                               "免费的开头，付费的秘密内容在这里。\n"
                               "付费的第三段也是秘密。";

static void paid_parts_do_not_leak(void **state)
{
    (void)state;
    struct sc_doc d = doc(3, "会员文章", paid_text);
    d.paid_from_cp = (int64_t)sc_utf8_count(paid_text, strstr(paid_text, "付费的秘密") - paid_text);
    const struct sc_doc *p[1] = { &d };
    /* left out: 付费的秘密内容在这里。(11) + 付费的第三段也是秘密。(11) = 22 */

    for (int f = 0; f < 3; f++) {
        struct sc_compile_info info;
        char *s = compile(p, 1, (enum sc_export_format)f, 0, NULL, &info);
        if (f == SC_EXPORT_DOCX) {
            /* look inside: the document part, uncompressed */
            struct sc_compile_opts o = { 0 };
            struct sc_ex_plan plan;
            struct sc_ex_part parts[SC_EX_NPARTS];
            memset(&plan, 0, sizeof plan);
            assert_int_equal(sc_ex_plan_build(&plan, p, 1, &o, NULL), SC_OK);
            assert_int_equal(sc_ex_docx_parts(&plan, &o, parts), SC_OK);
            for (int k = 0; k < SC_EX_NPARTS; k++) {
                assert_null(strstr(parts[k].xml.data, "秘密"));
                if (!strcmp(parts[k].name, "word/document.xml")) {
                    assert_non_null(strstr(parts[k].xml.data, "免费的开头，"));
                    assert_non_null(
                        strstr(parts[k].xml.data, "（以下为会员内容，共 22 字，已略去）"));
                }
            }
            sc_ex_docx_parts_release(parts);
            sc_ex_plan_release(&plan);
        } else {
            assert_null(strstr(s, "秘密"));
            assert_null(strstr(s, "付费"));
            assert_non_null(strstr(s, "免费的开头，\n"));
            assert_non_null(strstr(s, "（以下为会员内容，共 22 字，已略去）"));
        }
        assert_int_equal(info.omitted_chars, 22);
        assert_int_equal(info.omitted_docs, 1);
        sc_compile_info_release(&info);
        free(s);
    }

    /* entitled: everything, no note */
    char *s = compile(p, 1, SC_EXPORT_TXT, 1, NULL, NULL);
    assert_non_null(strstr(s, "付费的秘密内容在这里。\n付费的第三段也是秘密。"));
    assert_null(strstr(s, "会员内容"));
    free(s);

    /* a paid range that ends inside the text: "此处", the rest continues */
    d.paid_to_cp = (int64_t)sc_utf8_count(paid_text, strstr(paid_text, "在这里") - paid_text);
    s = compile(p, 1, SC_EXPORT_TXT, 0, NULL, NULL);
    assert_non_null(
        strstr(s, "免费的开头，\n（此处为会员内容，共 7 字，已略去）\n在这里。\n付费的第三段"));
    free(s);

    /* a paid range starting in the title line keeps the title */
    d.paid_from_cp = 1;
    d.paid_to_cp = -1;
    s = compile(p, 1, SC_EXPORT_TXT, 0, "题", NULL);
    assert_non_null(strstr(s, "\n会员文章\n\n（以下为会员内容，共"));
    assert_null(strstr(s, "免费的第一段"));
    free(s);
}

static void default_titles(void **state)
{
    (void)state;
    static const struct {
        const char *titles[4];
        int years[4];
        const char *genre;
        const char *want;
    } cases[] = {
        { { "2023年爱国卫生运动工作总结", "XX街道2023年工作总结", "区发改局2023年食品安全工作总结",
            NULL },
          { 2023, 2023, 2023 },
          "工作总结",
          "2023年度工作总结汇编（3篇）" },
        { { "2023年度全面依法治区工作总结", "2023年工作总结", NULL },
          { 0, 0 },
          NULL,
          "2023年度工作总结汇编（2篇）" },
        { { "2022年食品安全工作总结", "2023年食品安全工作计划", NULL },
          { 2022, 2023 },
          NULL,
          "食品安全工作汇编（2篇）" },
        { { "关于印发某某办法的通知", "春季防火工作方案", NULL },
          { 0, 0 },
          NULL,
          "资料汇编（2篇）" },
        { { "甲单位述职报告", "乙部门述职报告", NULL },
          { 2021, 2021 },
          "述职报告",
          "2021年度述职报告汇编（2篇）" },
        { { "甲", "乙", NULL }, { 0, 0 }, "讲话稿", "讲话稿汇编（2篇）" },
        { { "XX区工作情况", "XX县工作情况", NULL }, { 0, 0 }, NULL, "工作情况汇编（2篇）" },
        { { "第1期简报", "第2期简报", NULL }, { 0, 0 }, NULL, "简报汇编（2篇）" },
        { { "教育工作汇编", "教育工作汇编之二", NULL }, { 0, 0 }, NULL, "教育工作汇编（2篇）" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sc_doc d[4];
        const struct sc_doc *p[4];
        size_t n = 0;
        for (; n < 4 && cases[i].titles[n]; n++) {
            d[n] = doc((int64_t)n + 1, cases[i].titles[n], cases[i].titles[n]);
            d[n].year = cases[i].years[n];
            d[n].genre = (char *)cases[i].genre;
            p[n] = &d[n];
        }
        struct sc_buf b = SC_BUF_INIT;
        sc_compile_default_title(p, n, &b);
        if (strcmp(b.data, cases[i].want) != 0)
            fail_msg("case %zu: got %s, want %s", i, b.data, cases[i].want);
        sc_buf_release(&b);
    }
}

static void errors(void **state)
{
    (void)state;
    struct sc_doc a = doc(1, "甲", "甲\n文");
    const struct sc_doc *p[2] = { &a, &a };
    struct sc_compile_opts o = { 0 };
    struct sc_buf out = SC_BUF_INIT;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_compile(p, 0, &o, &out, NULL, &d), SC_EINVAL);
    assert_non_null(strstr(d.msg, "no documents"));
    assert_int_equal(sc_compile(NULL, 1, &o, &out, NULL, NULL), SC_EINVAL);
    assert_int_equal(sc_compile(p, SC_MAX_COMPILE_DOCS + 1, &o, &out, NULL, NULL), SC_EINVAL);
    o.single = 1;
    assert_int_equal(sc_compile(p, 2, &o, &out, NULL, NULL), SC_EINVAL);
    o.single = 0;
    struct sc_doc notext = doc(5, "空", "");
    notext.text = NULL;
    const struct sc_doc *q[1] = { &notext };
    sc_diag_clear(&d);
    assert_int_equal(sc_compile(q, 1, &o, &out, NULL, &d), SC_EINVAL);
    assert_non_null(strstr(d.msg, "5"));
    char longt[SC_MAX_COMPILE_TITLE + 10];
    memset(longt, 'x', sizeof longt - 1);
    longt[sizeof longt - 1] = '\0';
    o.title = longt;
    assert_int_equal(sc_compile(p, 1, &o, &out, NULL, NULL), SC_EINVAL);
    o.title = NULL;
    o.format = (enum sc_export_format)42;
    assert_int_equal(sc_compile(p, 1, &o, &out, NULL, NULL), SC_EINVAL);
    assert_int_equal(out.len, 0); /* nothing appended on error */
    /* an empty document and an empty title still compile */
    struct sc_doc empty = doc(6, "", "");
    const struct sc_doc *r[1] = { &empty };
    char *s = compile(r, 1, SC_EXPORT_TXT, 1, NULL, NULL);
    assert_non_null(strstr(s, "（无标题）"));
    free(s);
    /* a NULL opts means the defaults (.docx, not entitled) */
    assert_int_equal(sc_compile(p, 1, NULL, &out, NULL, NULL), SC_OK);
    assert_memory_equal(out.data, "PK", 2);
    sc_buf_release(&out);
}

static void helpers(void **state)
{
    (void)state;
    enum sc_export_format f;
    static const struct {
        const char *s;
        int ok;
        enum sc_export_format f;
    } names[] = {
        { "docx", 0, SC_EXPORT_DOCX }, { ".DOCX", 0, SC_EXPORT_DOCX },
        { "txt", 0, SC_EXPORT_TXT },   { "text", 0, SC_EXPORT_TXT },
        { "md", 0, SC_EXPORT_MD },     { "Markdown", 0, SC_EXPORT_MD },
        { "pdf", -1, SC_EXPORT_DOCX }, { "", -1, SC_EXPORT_DOCX },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int r = sc_export_format_parse(names[i].s, &f);
        assert_int_equal(r, names[i].ok);
        if (r == 0)
            assert_int_equal(f, names[i].f);
    }
    assert_int_equal(sc_export_format_parse(NULL, &f), -1);
    assert_int_equal(sc_export_format_from_path("out/汇编.md", &f), 0);
    assert_int_equal(f, SC_EXPORT_MD);
    assert_int_equal(sc_export_format_from_path("a.b/c.TXT", &f), 0);
    assert_int_equal(f, SC_EXPORT_TXT);
    assert_int_equal(sc_export_format_from_path("a.docx/noext", &f), -1);
    assert_int_equal(sc_export_format_from_path(".docx", &f), -1);
    assert_int_equal(sc_export_format_from_path("x.pdf", &f), -1);
    assert_string_equal(sc_export_content_type(SC_EXPORT_DOCX),
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    assert_string_equal(sc_export_content_type(SC_EXPORT_TXT), "text/plain; charset=utf-8");
    assert_string_equal(sc_export_content_type(SC_EXPORT_MD), "text/markdown; charset=utf-8");
    assert_string_equal(sc_export_format_name(SC_EXPORT_MD), "md");

    static const struct {
        const char *title;
        enum sc_export_format f;
        const char *want;
    } files[] = {
        { "2023年度工作总结汇编（9篇）", SC_EXPORT_DOCX, "2023年度工作总结汇编（9篇）.docx" },
        { "a/b\\c:d*e?f\"g<h>i|j", SC_EXPORT_TXT, "a_b_c_d_e_f_g_h_i_j.txt" },
        { "  ", SC_EXPORT_MD, "汇编.md" },
        { NULL, SC_EXPORT_DOCX, "汇编.docx" },
        { "tab\there\x01", SC_EXPORT_MD, "tab_here_.md" },
        { ".", SC_EXPORT_TXT, "汇编.txt" },
        { "..", SC_EXPORT_TXT, "汇编.txt" },
        { ".hidden", SC_EXPORT_TXT, "_hidden.txt" },
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        struct sc_buf b = SC_BUF_INIT;
        sc_export_file_name(files[i].title, files[i].f, &b);
        assert_string_equal(b.data, files[i].want);
        sc_buf_release(&b);
    }
    /* long titles are cut at 80 characters */
    struct sc_buf t = SC_BUF_INIT, b = SC_BUF_INIT;
    for (int i = 0; i < 100; i++)
        sc_buf_adds(&t, "长");
    sc_export_file_name(t.data, SC_EXPORT_DOCX, &b);
    assert_int_equal(sc_utf8_count(b.data, b.len), 80 + 5);
    sc_buf_release(&t);
    sc_buf_release(&b);
}

static void hundred_documents_quickly(void **state)
{
    (void)state;
    /* 100 documents of ~10,000 characters: about a million */
    static struct sc_doc docs[100];
    const struct sc_doc *p[100];
    static char titles[100][64];
    struct sc_buf para = SC_BUF_INIT;
    for (int i = 0; i < 9; i++)
        sc_buf_adds(&para, "各级各部门认真贯彻落实2023年工作要点，推进XX项重点任务，");
    sc_buf_adds(&para, "成效明显。");
    size_t para_cps = sc_utf8_count(para.data, para.len);
    size_t total = 0;
    for (int i = 0; i < 100; i++) {
        struct sc_buf b = SC_BUF_INIT;
        snprintf(titles[i], sizeof titles[i], "第%d篇工作总结", i + 1);
        sc_buf_adds(&b, titles[i]);
        for (size_t c = 0; c < 10000; c += para_cps) {
            sc_buf_addc(&b, '\n');
            sc_buf_add(&b, para.data, para.len);
        }
        assert_int_equal(sc_buf_err(&b), SC_OK);
        docs[i] = doc(i + 1, titles[i], "");
        docs[i].text = sc_buf_take(&b, &docs[i].text_len);
        total += sc_utf8_count(docs[i].text, docs[i].text_len);
        p[i] = &docs[i];
    }
    assert_true(total > 1000000);
    for (int f = 0; f < 3; f++) {
        struct sc_compile_opts o = { 0 };
        o.format = (enum sc_export_format)f;
        o.entitled = 1;
        struct sc_buf out = SC_BUF_INIT;
        struct sc_compile_info info;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        assert_int_equal(sc_compile(p, 100, &o, &out, &info, NULL), SC_OK);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        printf("# %s: %zu characters, %d pages, %zu bytes in %.0f ms\n",
               sc_export_format_name(o.format), total, info.pages, out.len, ms);
        /* well under a second normally; generous for sanitizer builds */
        assert_true(ms < 10000);
        assert_string_equal(info.title, "工作总结汇编（100篇）");
        assert_true(info.toc_pages >= 5); /* 100 entries + title: 5 pages */
        sc_compile_info_release(&info);
        sc_buf_release(&out);
    }
    for (int i = 0; i < 100; i++)
        free(docs[i].text);
    sc_buf_release(&para);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(txt_structure),
        cmocka_unit_test(headings_from_the_outline),
        cmocka_unit_test(list_items_are_paragraphs),
        cmocka_unit_test(paid_parts_do_not_leak),
        cmocka_unit_test(default_titles),
        cmocka_unit_test(errors),
        cmocka_unit_test(helpers),
        cmocka_unit_test(hundred_documents_quickly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
