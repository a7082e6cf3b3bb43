/*
 * The .docx writer (lib/export/docx.c, xml.c): XML escaping, and the
 * package itself: the parts Word needs are there, every XML part is
 * well-formed (parsed with expat), the text survives escaping, the TOC
 * field and bookmarks are balanced, entries are deflated, and the same
 * input gives the same bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "export/export_int.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* ---- escaping ---- */

static void xml_escape_table(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        size_t len; /* 0: strlen */
        const char *want;
    } cases[] = {
        { "公文素材 XX区", 0, "公文素材 XX区" },
        { "a&b<c>d\"e'f", 0, "a&amp;b&lt;c&gt;d&quot;e&apos;f" },
        { "tab\there\nnl", 0, "tab\there\nnl" },
        { "ctl\x01\x02\x1f\x7f!", 0, "ctl\x7f!" }, /* C0 controls are not XML */
        { "cr\r\nx", 0, "cr\nx" },
        { "bad\xff\xfeutf", 0, "bad\xEF\xBF\xBD\xEF\xBF\xBDutf" },
        { "cut\xe4\xb8", 0, "cut\xEF\xBF\xBD\xEF\xBF\xBD" },
        { "nonchar\xEF\xBF\xBE\xEF\xBF\xBF.", 0, "nonchar." }, /* U+FFFE U+FFFF */
        { "surrogate\xED\xA0\x80.", 0, "surrogate\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD." },
        { "nul\0in", 6, "nulin" },
        { "", 0, "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sc_buf b = SC_BUF_INIT;
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].in);
        sc_ex_xml_escape(&b, cases[i].in, len);
        assert_int_equal(sc_buf_err(&b), SC_OK);
        if (strcmp(b.data, cases[i].want) != 0)
            fail_msg("case %zu: got '%s', want '%s'", i, b.data, cases[i].want);
        assert_int_equal(b.data[b.len], '\0');
        sc_buf_release(&b);
    }
}

static void trim_spaces(void **state)
{
    (void)state;
    const char *s = "\xE3\x80\x80 \t文字 \xC2\xA0\xE3\x80\x80";
    size_t len = strlen(s);
    const char *t = sc_ex_trim(s, &len);
    assert_int_equal(len, strlen("文字"));
    assert_memory_equal(t, "文字", len);
    len = 3;
    sc_ex_trim("   ", &len);
    assert_int_equal(len, 0);
}

/* ---- documents ---- */

static struct sc_section sections[2];

/* Text with every kind of trouble: XML specials, a tab, a control
 * character, XX placeholders, headings. */
static const char *text1 = "关于A&B<汇编>的\"总结\"\n"
                           "XX区坚持\t依法行政，落实“放管服”改革 & <改进> 'ok'\x01。\n"
                           "一、主要做法\n"
                           "（一）加强领导。成立领导小组，定期研究。\n"
                           "收尾段落。";

static void make_docs(struct sc_doc *d)
{
    memset(d, 0, 2 * sizeof *d);
    d[0].id = 1;
    d[0].title = (char *)"关于A&B<汇编>的\"总结\"";
    d[0].text = (char *)text1;
    d[0].text_len = strlen(text1);
    d[0].paid_from_cp = -1;
    d[0].paid_to_cp = -1;
    /* the outline: code points into text1 */
    memset(sections, 0, sizeof sections);
    sections[0].level = 1;
    sections[0].label = (char *)"一、";
    sections[0].heading = (char *)"主要做法";
    sections[1].level = 2;
    sections[1].label = (char *)"（一）";
    sections[1].heading = (char *)"加强领导";
    size_t off = strstr(text1, "一、") - text1;
    sections[0].start_cp = (int64_t)sc_utf8_count(text1, off);
    sections[0].end_cp = (int64_t)sc_utf8_count(text1, strlen(text1));
    off = strstr(text1, "（一）") - text1;
    sections[1].start_cp = (int64_t)sc_utf8_count(text1, off);
    sections[1].end_cp = sections[0].end_cp;
    d[0].sections = sections;
    d[0].nsections = 2;
    d[1].id = 2;
    d[1].title = (char *)"第二篇";
    d[1].text = (char *)"第二篇\n正文。";
    d[1].text_len = strlen(d[1].text);
    d[1].paid_from_cp = -1;
    d[1].paid_to_cp = -1;
}

/* ---- reading the package back ---- */

struct xml_check {
    int elements;
    int fld_begin, fld_sep, fld_end;
    int bm_start, bm_end;
    int toc_instr;
    int in_instr;
    struct sc_buf text;  /* all character data */
    struct sc_buf instr; /* the current field instruction */
};

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xml_check *c = ud;
    c->elements++;
    if (!strcmp(name, "w:fldChar"))
        for (int i = 0; atts[i]; i += 2)
            if (!strcmp(atts[i], "w:fldCharType")) {
                c->fld_begin += !strcmp(atts[i + 1], "begin");
                c->fld_sep += !strcmp(atts[i + 1], "separate");
                c->fld_end += !strcmp(atts[i + 1], "end");
            }
    c->bm_start += !strcmp(name, "w:bookmarkStart");
    c->bm_end += !strcmp(name, "w:bookmarkEnd");
    c->in_instr = !strcmp(name, "w:instrText");
    if (c->in_instr)
        sc_buf_reset(&c->instr);
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    struct xml_check *c = ud;
    if (!strcmp(name, "w:instrText")) {
        c->in_instr = 0;
        if (strstr(c->instr.data, "TOC \\o \"1-1\" \\h \\z \\u"))
            c->toc_instr++;
    }
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    struct xml_check *c = ud;
    sc_buf_add(&c->text, s, (size_t)len);
    if (c->in_instr)
        sc_buf_add(&c->instr, s, (size_t)len);
}

/* Parse xml with expat; fails the test if it is not well-formed. */
static void parse_xml(const char *name, const char *xml, size_t len, struct xml_check *c)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    assert_non_null(p);
    XML_SetUserData(p, c);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    if (XML_Parse(p, xml, (int)len, 1) != XML_STATUS_OK)
        fail_msg("%s is not well-formed: %s at line %lu", name,
                 XML_ErrorString(XML_GetErrorCode(p)), (unsigned long)XML_GetCurrentLineNumber(p));
    XML_ParserFree(p);
}

/* Read one entry of the zip in buf; returns malloc'd data. */
static char *read_entry(zip_t *za, const char *name, size_t *len)
{
    zip_stat_t st;
    if (zip_stat(za, name, 0, &st) != 0)
        return NULL;
    assert_int_equal(st.comp_method, ZIP_CM_DEFLATE);
    zip_file_t *f = zip_fopen(za, name, 0);
    assert_non_null(f);
    char *data = malloc(st.size + 1);
    assert_non_null(data);
    assert_int_equal(zip_fread(f, data, st.size), (zip_int64_t)st.size);
    data[st.size] = '\0';
    zip_fclose(f);
    *len = st.size;
    return data;
}

static zip_t *open_zip(const struct sc_buf *b)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(b->data, b->len, 0, &ze);
    assert_non_null(src);
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    if (!za)
        fail_msg("not a zip: %s", zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return za;
}

static void package_is_valid(void **state)
{
    (void)state;
    struct sc_doc d[2];
    make_docs(d);
    const struct sc_doc *p[2] = { &d[0], &d[1] };
    struct sc_compile_opts o = { 0 };
    o.format = SC_EXPORT_DOCX;
    o.entitled = 1;
    o.title = "汇编 & <测试>";
    o.created = 1700000000;
    struct sc_buf out = SC_BUF_INIT;
    struct sc_compile_info info;
    struct sc_diag diag = { 0 };
    assert_int_equal(sc_compile(p, 2, &o, &out, &info, &diag), SC_OK);
    assert_true(out.len > 1000);
    assert_memory_equal(out.data, "PK\x03\x04", 4);

    zip_t *za = open_zip(&out);
    static const char *const required[] = {
        "[Content_Types].xml", "_rels/.rels",      "word/_rels/document.xml.rels",
        "word/document.xml",   "word/styles.xml",  "word/settings.xml",
        "word/fontTable.xml",  "word/footer1.xml", "word/footer2.xml",
        "docProps/core.xml",   "docProps/app.xml",
    };
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        size_t len = 0;
        char *xml = read_entry(za, required[i], &len);
        if (!xml)
            fail_msg("part %s is missing", required[i]);
        struct xml_check c;
        memset(&c, 0, sizeof c);
        sc_buf_init(&c.text);
        sc_buf_init(&c.instr);
        parse_xml(required[i], xml, len, &c);
        assert_true(c.elements > 0);
        if (!strcmp(required[i], "word/document.xml")) {
            /* the text came through escaping intact (the control character dropped) */
            assert_non_null(strstr(c.text.data, "关于A&B<汇编>的\"总结\""));
            assert_non_null(strstr(c.text.data, "落实“放管服”改革 & <改进> 'ok'。"));
            assert_non_null(strstr(c.text.data, "XX区坚持"));
            assert_null(strstr(c.text.data, "\x01"));
            /* the tab became a <w:tab/>, the heading got its style */
            assert_non_null(strstr(xml, "坚持</w:t><w:tab/>"));
            assert_non_null(strstr(xml, "<w:pStyle w:val=\"Heading2\"/></w:pPr><w:r><w:t "
                                        "xml:space=\"preserve\">一、主要做法</w:t>"));
            assert_non_null(strstr(xml, "<w:rStyle w:val=\"Heading3Char\"/>"));
            /* fields: TOC + one PAGEREF per entry; bookmarks balanced */
            assert_int_equal(c.toc_instr, 1);
            assert_int_equal(c.fld_begin, 1 + 2);
            assert_int_equal(c.fld_sep, c.fld_begin);
            assert_int_equal(c.fld_end, c.fld_begin);
            assert_int_equal(c.bm_start, 2);
            assert_int_equal(c.bm_end, 2);
            assert_non_null(strstr(xml, "PAGEREF _Toc100000001 \\h"));
            assert_non_null(strstr(xml, "<w:bookmarkStart w:id=\"1\" w:name=\"_Toc100000001\"/>"));
            /* GB/T 9704 page: A4, margins 37/35/28/26 mm, 22 lines */
            assert_non_null(strstr(xml, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
            assert_non_null(strstr(xml, "w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" "
                                        "w:left=\"1587\""));
            assert_non_null(strstr(xml, "w:linePitch=\"579\""));
            assert_non_null(strstr(xml, "w:type=\"even\" r:id=\"rId5\""));
        }
        if (!strcmp(required[i], "docProps/core.xml")) {
            assert_non_null(strstr(c.text.data, "汇编 & <测试>"));
            assert_non_null(strstr(xml, "2023-11-14T22:13:20Z"));
        }
        if (!strcmp(required[i], "word/settings.xml"))
            assert_non_null(strstr(xml, "<w:evenAndOddHeaders/>"));
        if (!strcmp(required[i], "word/styles.xml")) {
            assert_non_null(strstr(xml, "w:eastAsia=\"仿宋_GB2312\""));
            assert_non_null(strstr(xml, "<w:sz w:val=\"32\"/>"));
            assert_non_null(strstr(xml, "w:eastAsia=\"方正小标宋简体\""));
            assert_non_null(strstr(xml, "<w:sz w:val=\"44\"/>"));
            assert_non_null(strstr(xml, "w:eastAsia=\"黑体\""));
            assert_non_null(strstr(xml, "w:eastAsia=\"楷体_GB2312\""));
            assert_non_null(strstr(xml, "<w:outlineLvl w:val=\"0\"/>"));
            assert_non_null(strstr(xml, "<w:outlineLvl w:val=\"4\"/>"));
            assert_non_null(strstr(xml, "w:line=\"579\" w:lineRule=\"exact\""));
        }
        if (!strcmp(required[i], "word/footer1.xml")) {
            assert_non_null(strstr(xml, "<w:jc w:val=\"right\"/>"));
            assert_non_null(strstr(xml, " PAGE "));
            assert_non_null(strstr(c.text.data, "— "));
        }
        if (!strcmp(required[i], "word/footer2.xml"))
            assert_non_null(strstr(xml, "<w:jc w:val=\"left\"/>"));
        if (!strcmp(required[i], "[Content_Types].xml"))
            assert_non_null(strstr(xml, "wordprocessingml.footer+xml"));
        sc_buf_release(&c.text);
        sc_buf_release(&c.instr);
        free(xml);
    }
    assert_int_equal(zip_get_num_entries(za, 0), sizeof required / sizeof required[0]);
    zip_close(za);
    sc_buf_release(&out);
    sc_compile_info_release(&info);
}

static void same_input_same_bytes(void **state)
{
    (void)state;
    struct sc_doc d[2];
    make_docs(d);
    const struct sc_doc *p[2] = { &d[0], &d[1] };
    struct sc_compile_opts o = { 0 };
    struct sc_buf a = SC_BUF_INIT, b = SC_BUF_INIT;
    assert_int_equal(sc_compile(p, 2, &o, &a, NULL, NULL), SC_OK);
    assert_int_equal(sc_compile(p, 2, &o, &b, NULL, NULL), SC_OK);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    /* the output is appended to what the buffer held */
    struct sc_buf c = SC_BUF_INIT;
    sc_buf_adds(&c, "prefix");
    assert_int_equal(sc_compile(p, 2, &o, &c, NULL, NULL), SC_OK);
    assert_int_equal(c.len, a.len + 6);
    assert_memory_equal(c.data + 6, a.data, a.len);
    sc_buf_release(&a);
    sc_buf_release(&b);
    sc_buf_release(&c);
}

static void single_document_has_no_toc(void **state)
{
    (void)state;
    struct sc_doc d[2];
    make_docs(d);
    const struct sc_doc *p[1] = { &d[1] };
    struct sc_compile_opts o = { 0 };
    o.single = 1;
    struct sc_ex_part parts[SC_EX_NPARTS];
    struct sc_ex_plan plan;
    memset(&plan, 0, sizeof plan);
    assert_int_equal(sc_ex_plan_build(&plan, p, 1, &o, NULL), SC_OK);
    assert_int_equal(sc_ex_docx_parts(&plan, &o, parts), SC_OK);
    const char *xml = NULL;
    for (int i = 0; i < SC_EX_NPARTS; i++)
        if (!strcmp(parts[i].name, "word/document.xml"))
            xml = parts[i].xml.data;
    assert_non_null(xml);
    assert_null(strstr(xml, "TOC \\o"));
    assert_null(strstr(xml, "TOCHeading"));
    /* the first title does not break to a new page */
    assert_non_null(strstr(xml, "<w:pageBreakBefore w:val=\"0\"/>"));
    sc_ex_docx_parts_release(parts);
    sc_ex_plan_release(&plan);
}

static void output_limit_is_enomem(void **state)
{
    (void)state;
    struct sc_doc d[2];
    make_docs(d);
    const struct sc_doc *p[2] = { &d[0], &d[1] };
    struct sc_compile_opts o = { 0 };
    struct sc_buf out = SC_BUF_INIT;
    out.max = 100; /* far too small for a .docx */
    struct sc_diag diag = { 0 };
    assert_int_equal(sc_compile(p, 2, &o, &out, NULL, &diag), SC_ENOMEM);
    assert_true(diag.msg[0] != '\0');
    sc_buf_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(xml_escape_table),           cmocka_unit_test(trim_spaces),
        cmocka_unit_test(package_is_valid),           cmocka_unit_test(same_input_same_bytes),
        cmocka_unit_test(single_document_has_no_toc), cmocka_unit_test(output_limit_is_enomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
