/*
 * The layout model (lib/export/layout.c) and pagination (plan.c): line
 * counts for CJK text, Latin words, kinsoku and hanging punctuation,
 * indents and titles; pages for articles and a 目录 longer than a page.
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

/* n copies of a (UTF-8) string */
static char *rep(const char *a, int n)
{
    size_t l = strlen(a);
    char *s = malloc(l * (size_t)n + 1);
    assert_non_null(s);
    for (int i = 0; i < n; i++)
        memcpy(s + l * (size_t)i, a, l);
    s[l * (size_t)n] = '\0';
    return s;
}

static int body_lines(const char *s)
{
    return sc_ex_break_lines(s, strlen(s), SC_EX_BODY_SIZE, SC_EX_LINE_W, SC_EX_INDENT_W, NULL,
                             NULL);
}

static int plain_lines(const char *s)
{
    return sc_ex_break_lines(s, strlen(s), SC_EX_BODY_SIZE, SC_EX_LINE_W, 0, NULL, NULL);
}

struct lines {
    size_t start[64], end[64];
    int n;
};

static void collect(void *ctx, size_t start, size_t end)
{
    struct lines *l = ctx;
    if (l->n < 64) {
        l->start[l->n] = start;
        l->end[l->n] = end;
    }
    l->n++;
}

static void cjk_fills_28_per_line(void **state)
{
    (void)state;
    struct {
        int chars, indent, want;
    } cases[] = {
        { 0, 1, 1 },                              /* an empty paragraph still takes a line */
        { 1, 1, 1 },  { 26, 1, 1 }, { 27, 1, 2 }, /* first line: 26 after the indent */
        { 54, 1, 2 }, { 55, 1, 3 },               /* then 28 a line */
        { 28, 0, 1 }, { 29, 0, 2 }, { 56, 0, 2 }, { 57, 0, 3 }, { 26 + 28 * 9, 1, 10 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = rep("国", cases[i].chars);
        int got = cases[i].indent ? body_lines(s) : plain_lines(s);
        if (got != cases[i].want)
            fail_msg("%d characters (indent %d): %d lines, want %d", cases[i].chars,
                     cases[i].indent, got, cases[i].want);
        free(s);
    }
}

static void line_ranges_cover_the_text(void **state)
{
    (void)state;
    char *s = rep("汇编", 40); /* 80 characters: 26 + 28 + 26 */
    struct lines l = { { 0 }, { 0 }, 0 };
    assert_int_equal(
        sc_ex_break_lines(s, strlen(s), SC_EX_BODY_SIZE, SC_EX_LINE_W, SC_EX_INDENT_W, collect, &l),
        3);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.start[0], 0);
    assert_int_equal(l.end[0], 26 * 3);
    assert_int_equal(l.start[1], l.end[0]);
    assert_int_equal(l.end[1] - l.start[1], 28 * 3);
    assert_int_equal(l.end[2], strlen(s));
    free(s);
}

static void ascii_is_half_width(void **state)
{
    (void)state;
    /* digits are half width: 56 digits in groups fit where 28 CJK do;
     * "1 " pairs (digit + space) are two half-width characters */
    char *digits = rep("0 ", 28); /* 28 digits + 28 spaces = 56 half widths */
    int n = plain_lines(digits);
    assert_true(n <= 2);
    free(digits);
    /* 20 CJK + a 15-digit number: 20 + 7.5 + spacing fits one line */
    char *s = rep("国", 20);
    size_t l = strlen(s);
    char *t = malloc(l + 16);
    assert_non_null(t);
    memcpy(t, s, l);
    memcpy(t + l, "123456789012345", 16);
    assert_int_equal(plain_lines(t), 1);
    free(s);
    free(t);
    /* a full-width digit is as wide as a Chinese character */
    char *fw = rep("１", 29);
    assert_int_equal(plain_lines(fw), 2);
    free(fw);
    /* widths: CJK 1 em less 0.25 pt; a TNR digit half an em less 0.25 pt */
    assert_int_equal(sc_ex_char_width(0x56FD, SC_EX_BODY_SIZE), 1575);
    assert_int_equal(sc_ex_char_width('5', SC_EX_BODY_SIZE), 775);
    assert_int_equal(sc_ex_char_width(0xFF0C, SC_EX_BODY_SIZE), 1575); /* ， */
    assert_int_equal(sc_ex_char_width(0x201C, SC_EX_BODY_SIZE), 1575); /* “ after CJK */
    assert_int_equal(sc_ex_char_width('\t', SC_EX_BODY_SIZE), 0);
    assert_int_equal(sc_ex_char_width(0x200B, SC_EX_BODY_SIZE), 0);
}

static void latin_words_do_not_break(void **state)
{
    (void)state;
    /* 24 CJK then a number that does not fit: the number moves down whole */
    char *s = rep("国", 24);
    char buf[256];
    snprintf(buf, sizeof buf, "%s2023123456年", s);
    struct lines l = { { 0 }, { 0 }, 0 };
    sc_ex_break_lines(buf, strlen(buf), SC_EX_BODY_SIZE, SC_EX_LINE_W, 0, collect, &l);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.end[0], strlen(s)); /* the break is before the number */
    free(s);
    /* a word longer than a line is broken anywhere */
    char *longw = rep("x", 200);
    assert_true(plain_lines(longw) >= 3);
    free(longw);
    /* the kerning space between Chinese and Latin letters counts: 26 CJK
     * + "AB" would fit without it (26*15.75 + 2*(~11.3) < 442.25) */
    snprintf(buf, sizeof buf, "%sAB", s = rep("国", 26));
    assert_true(sc_ex_text_width(buf, strlen(buf), SC_EX_BODY_SIZE) >
                26 * 1575 + 2 * sc_ex_char_width('A', SC_EX_BODY_SIZE));
    free(s);
}

static void kinsoku_and_hanging(void **state)
{
    (void)state;
    char buf[512];
    char *s28 = rep("国", 28);
    /* a comma after a full line hangs in the margin: still one line */
    snprintf(buf, sizeof buf, "%s，", s28);
    assert_int_equal(plain_lines(buf), 1);
    /* a full stop too */
    snprintf(buf, sizeof buf, "%s。", s28);
    assert_int_equal(plain_lines(buf), 1);
    /* a closing bracket may not start a line: it pulls the last character
     * down with it */
    snprintf(buf, sizeof buf, "%s）国", s28);
    struct lines l = { { 0 }, { 0 }, 0 };
    sc_ex_break_lines(buf, strlen(buf), SC_EX_BODY_SIZE, SC_EX_LINE_W, 0, collect, &l);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.end[0], 27 * 3);
    assert_memory_equal(buf + l.start[1], "国）", strlen("国）"));
    /* an opening bracket may not end a line */
    char *s27 = rep("国", 27);
    snprintf(buf, sizeof buf, "%s（国）", s27);
    l.n = 0;
    sc_ex_break_lines(buf, strlen(buf), SC_EX_BODY_SIZE, SC_EX_LINE_W, 0, collect, &l);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.end[0], 27 * 3);
    assert_memory_equal(buf + l.start[1], "（", strlen("（"));
    /* a closing quote after a full line cannot hang: “…” moves down */
    snprintf(buf, sizeof buf, "%s”", s28);
    assert_int_equal(plain_lines(buf), 2);
    /* classes */
    assert_true(sc_ex_no_line_start(0x3002));
    assert_true(sc_ex_no_line_start(0x201D));
    assert_false(sc_ex_no_line_start(0x56FD));
    assert_true(sc_ex_no_line_end(0x300A));
    assert_true(sc_ex_hangs(0xFF0C));
    assert_false(sc_ex_hangs(0xFF09));
    free(s28);
    free(s27);
}

static void titles_are_20_per_line(void **state)
{
    (void)state;
    char *t20 = rep("题", 20), *t21 = rep("题", 21);
    assert_int_equal(
        sc_ex_break_lines(t20, strlen(t20), SC_EX_TITLE_SIZE, SC_EX_LINE_W, 0, NULL, NULL), 1);
    assert_int_equal(
        sc_ex_break_lines(t21, strlen(t21), SC_EX_TITLE_SIZE, SC_EX_LINE_W, 0, NULL, NULL), 2);
    free(t20);
    free(t21);
}

static void invalid_utf8_terminates(void **state)
{
    (void)state;
    const char bad[] = "\xff\xfe\xe4\xb8\x80\x80\x80"
                       "abc\xe4";
    int n = sc_ex_break_lines(bad, sizeof bad - 1, SC_EX_BODY_SIZE, SC_EX_LINE_W, SC_EX_INDENT_W,
                              NULL, NULL);
    assert_int_equal(n, 1);
    /* a tiny width still makes progress */
    char *s = rep("国", 10);
    assert_int_equal(sc_ex_break_lines(s, strlen(s), SC_EX_BODY_SIZE, 1, 0, NULL, NULL), 10);
    free(s);
}

/* ---- pagination ---- */

struct fixture {
    struct sc_doc docs[80];
    const struct sc_doc *ptrs[80];
    char *texts[80];
};

/* An article: its title, then paras paragraphs of chars characters. */
static void make_doc(struct fixture *f, int i, const char *title, int paras, int chars)
{
    struct sc_buf b = SC_BUF_INIT;
    sc_buf_adds(&b, title);
    for (int p = 0; p < paras; p++) {
        sc_buf_addc(&b, '\n');
        for (int c = 0; c < chars; c++)
            sc_buf_adds(&b, "文");
    }
    assert_int_equal(sc_buf_err(&b), SC_OK);
    memset(&f->docs[i], 0, sizeof f->docs[i]);
    f->texts[i] = sc_buf_take(&b, &f->docs[i].text_len);
    f->docs[i].id = i + 1;
    f->docs[i].title = (char *)title;
    f->docs[i].text = f->texts[i];
    f->docs[i].paid_from_cp = -1;
    f->docs[i].paid_to_cp = -1;
    f->ptrs[i] = &f->docs[i];
}

static void free_docs(struct fixture *f, int n)
{
    for (int i = 0; i < n; i++)
        free(f->texts[i]);
}

static void pages_follow_the_grid(void **state)
{
    (void)state;
    struct fixture f;
    /* article 1: title (1 line + 1 blank) + 20 one-line paragraphs = 22 lines:
     * exactly one page; article 2 therefore starts on page 3.
     * article 2: title + 21 one-line paragraphs = 23 lines: two pages. */
    make_doc(&f, 0, "第一篇", 20, 10);
    make_doc(&f, 1, "第二篇", 21, 10);
    make_doc(&f, 2, "第三篇", 1, 60); /* 60 chars: 26 + 28 + 6 = 3 lines */
    struct sc_compile_opts o = { 0 };
    struct sc_ex_plan p;
    memset(&p, 0, sizeof p);
    assert_int_equal(sc_ex_plan_build(&p, f.ptrs, 3, &o, NULL), SC_OK);
    assert_int_equal(p.toc_pages, 1);
    assert_int_equal(p.first_page[0], 2);
    assert_int_equal(p.first_page[1], 3);
    assert_int_equal(p.first_page[2], 5);
    assert_int_equal(p.pages, 5);
    /* the blocks: title, 目录, 3 entries, then the articles */
    assert_int_equal(p.blocks[0].kind, SC_EX_TITLE);
    assert_int_equal(p.blocks[1].kind, SC_EX_TOC_HEADING);
    assert_int_equal(p.blocks[2].kind, SC_EX_TOC_ENTRY);
    size_t t3 = p.title_block[2];
    assert_int_equal(p.blocks[t3].kind, SC_EX_ART_TITLE);
    assert_int_equal(p.blocks[t3].lines, 2);
    assert_int_equal(p.blocks[t3 + 1].lines, 3);
    sc_ex_plan_release(&p);

    /* a single document: no title page */
    o.single = 1;
    memset(&p, 0, sizeof p);
    assert_int_equal(sc_ex_plan_build(&p, f.ptrs + 1, 1, &o, NULL), SC_OK);
    assert_int_equal(p.first_page[0], 1);
    assert_int_equal(p.pages, 2);
    assert_int_equal(p.blocks[0].kind, SC_EX_ART_TITLE);
    sc_ex_plan_release(&p);
    free_docs(&f, 3);
}

static void long_toc_takes_pages(void **state)
{
    (void)state;
    struct fixture f;
    static char titles[80][64];
    for (int i = 0; i < 80; i++) {
        snprintf(titles[i], sizeof titles[i], "第%d篇材料", i + 1);
        make_doc(&f, i, titles[i], 3, 10); /* 5 lines each */
    }
    struct sc_compile_opts o = { 0 };
    struct sc_ex_plan p;
    memset(&p, 0, sizeof p);
    assert_int_equal(sc_ex_plan_build(&p, f.ptrs, 80, &o, NULL), SC_OK);
    /* title page: 2 (title) + 2 (目录) + 80 entries = 84 lines = 4 pages */
    assert_int_equal(p.toc_pages, 4);
    assert_int_equal(p.first_page[0], 5);
    assert_int_equal(p.first_page[79], 5 + 79);
    assert_int_equal(p.pages, 84);
    sc_ex_plan_release(&p);
    free_docs(&f, 80);
}

static void toc_entry_wraps_for_its_number(void **state)
{
    (void)state;
    struct fixture f;
    /* a 28-character title leaves no room for the page number: 2 lines;
     * after 27 the number still fits (the leader shrinks to nothing) */
    char *t27 = rep("题", 28), *t25 = rep("题", 27);
    make_doc(&f, 0, t27, 1, 5);
    make_doc(&f, 1, t25, 1, 5);
    struct sc_compile_opts o = { 0 };
    struct sc_ex_plan p;
    memset(&p, 0, sizeof p);
    assert_int_equal(sc_ex_plan_build(&p, f.ptrs, 2, &o, NULL), SC_OK);
    assert_int_equal(p.blocks[2].kind, SC_EX_TOC_ENTRY);
    assert_int_equal(p.blocks[2].lines, 2);
    assert_int_equal(p.blocks[3].lines, 1);
    /* the article titles themselves: 28 2号 characters: 2 lines + blank */
    assert_int_equal(p.blocks[p.title_block[0]].lines, 3);
    sc_ex_plan_release(&p);
    free_docs(&f, 2);
    free(t27);
    free(t25);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cjk_fills_28_per_line),   cmocka_unit_test(line_ranges_cover_the_text),
        cmocka_unit_test(ascii_is_half_width),     cmocka_unit_test(latin_words_do_not_break),
        cmocka_unit_test(kinsoku_and_hanging),     cmocka_unit_test(titles_are_20_per_line),
        cmocka_unit_test(invalid_utf8_terminates), cmocka_unit_test(pages_follow_the_grid),
        cmocka_unit_test(long_toc_takes_pages),    cmocka_unit_test(toc_entry_wraps_for_its_number),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
