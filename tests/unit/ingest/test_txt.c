/*
 * Unit tests for plain-text intake (lib/ingest/text.c, ingest.c): every
 * accepted encoding, every refusal and its message, line ends, control
 * characters, binary signatures, names and limits.
 */
#include "ingest_test.h"

#include <iconv.h>

static char *ref_text; /* tests/data/ingest/gongwen.txt, UTF-8 with LF */
static size_t ref_len;

static int setup(void **state)
{
    (void)state;
    ref_text = t_read_data("gongwen.txt", &ref_len);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(ref_text);
    return 0;
}

/* UTF-8 -> some encoding with iconv(3), into a malloc'd buffer. */
static char *encode(const char *to, const char *utf8, size_t *out_len)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t cap = strlen(utf8) * 4 + 16;
    char *buf = malloc(cap);
    assert_non_null(buf);
    char *in = (char *)(uintptr_t)utf8, *o = buf;
    size_t inleft = strlen(utf8), oleft = cap;
    assert_true(iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1);
    iconv_close(cd);
    *out_len = cap - oleft;
    return buf;
}

static void expect_text(const char *name, const void *data, size_t len, const char *want,
                        const char *encoding)
{
    struct sc_ingested in;
    sc_ingested_init(&in);
    const char *got = t_ok(&in, name, data, len);
    assert_string_equal(got, want);
    assert_string_equal(in.encoding, encoding);
    assert_int_equal(in.format, SC_FORMAT_TXT);
    assert_null(in.title_hint);
    sc_ingested_release(&in);
}

static void expect_fixture(const char *file, const char *encoding)
{
    size_t len;
    char *data = t_read_data(file, &len);
    expect_text(file, data, len, ref_text, encoding);
    free(data);
}

/* ---- accepted encodings ------------------------------------------------ */

static void utf8_plain(void **state)
{
    (void)state;
    expect_text("a.txt", ref_text, ref_len, ref_text, "UTF-8");
    expect_text("a.txt", "plain ASCII\n", 12, "plain ASCII\n", "UTF-8");
    /* 4-byte UTF-8 and a lone trailing line without '\n' */
    expect_text("a.txt", "汉字𠮷", strlen("汉字𠮷"), "汉字𠮷", "UTF-8");
}

static void utf8_bom_and_line_ends(void **state)
{
    (void)state;
    expect_fixture("gongwen-utf8bom.txt", "UTF-8-BOM");
    const char in[] = "\xEF\xBB\xBF一\r\n二\r三\n\r四\r\r五";
    expect_text("a.txt", in, sizeof in - 1, "一\n二\n三\n\n四\n\n五", "UTF-8-BOM");
    /* BOM only -> nothing left */
    struct sc_diag d;
    t_refused("a.txt", "\xEF\xBB\xBF", 3, SC_EPARSE, "empty file", &d);
}

static void utf16_with_bom(void **state)
{
    (void)state;
    expect_fixture("gongwen-utf16le.txt", "UTF-16LE");
    expect_fixture("gongwen-utf16be.txt", "UTF-16BE");
    /* a surrogate pair: U+20BB7 𠮷 = D842 DFB7 */
    const char le[] = "\xFF\xFE\x42\xD8\xB7\xDF\x0D\x00\x0A\x00";
    expect_text("a.txt", le, sizeof le - 1, "𠮷\n", "UTF-16LE");
    const char be[] = "\xFE\xFF\xD8\x42\xDF\xB7";
    expect_text("a.txt", be, sizeof be - 1, "𠮷", "UTF-16BE");
}

static void utf32_with_bom(void **state)
{
    (void)state;
    const char le[] = "\xFF\xFE\x00\x00\x2D\x4E\x00\x00\x0A\x00\x00\x00";
    expect_text("a.txt", le, sizeof le - 1, "中\n", "UTF-32LE");
    struct sc_diag d;
    const char bad[] = "\x00\x00\xFE\xFF\x00\x11\x00\x00";
    t_refused("a.txt", bad, sizeof bad - 1, SC_EPARSE, "not valid UTF-32BE at byte 4", &d);
}

static void utf16_broken(void **state)
{
    (void)state;
    struct sc_diag d;
    size_t len;
    char *data = t_read_data("trunc-utf16le.txt", &len);
    assert_int_equal(len, 201);
    t_refused("a.txt", data, len, SC_EPARSE, "not valid UTF-16LE at byte 200 (truncated)", &d);
    free(data);
    /* a high surrogate followed by a plain character */
    const char lone[] = "\xFF\xFE\x41\x00\x3D\xD8\x41\x00";
    t_refused("a.txt", lone, sizeof lone - 1, SC_EPARSE,
              "not valid UTF-16LE at byte 4 (unpaired surrogate)", &d);
    /* a low surrogate first */
    const char low[] = "\xFE\xFF\xDC\x00\x00\x41";
    t_refused("a.txt", low, sizeof low - 1, SC_EPARSE, "not valid UTF-16BE at byte 2", &d);
    /* a high surrogate cut off at the end */
    const char cut[] = "\xFF\xFE\x41\x00\x3D\xD8";
    t_refused("a.txt", cut, sizeof cut - 1, SC_EPARSE, "not valid UTF-16LE at byte 4", &d);
    /* U+0000 inside UTF-16 text */
    const char nul[] = "\xFF\xFE\x41\x00\x00\x00\x42\x00";
    t_refused("a.txt", nul, sizeof nul - 1, SC_EPARSE, "binary file (NUL character at byte 4)", &d);
}

static void gbk_and_gb18030(void **state)
{
    (void)state;
    expect_fixture("gongwen-gbk.txt", "GB18030");
    size_t len;
    char *data = t_read_data("gb18030-4byte.txt", &len);
    expect_text("a.txt", data, len, "汉字𠮷与欧元€符号，以及生僻字𪚥。\n", "GB18030");
    free(data);
    /* a short title alone: the detector has little to go on */
    char *gbk = encode("GBK", "关于印发通知", &len);
    expect_text("a.txt", gbk, len, "关于印发通知", "GB18030");
    free(gbk);
    /* mostly ASCII with a few Chinese words: detectors guess WINDOWS-1252 */
    gbk = encode("GBK", "Report 2023: 总结 ok, see page 12 for the figures", &len);
    expect_text("a.txt", gbk, len, "Report 2023: 总结 ok, see page 12 for the figures", "GB18030");
    free(gbk);
    /* the GB18030 byte-order mark is dropped */
    const char bom[] = "\x84\x31\x95\x33\xD6\xD0\xCE\xC4";
    expect_text("a.txt", bom, sizeof bom - 1, "中文", "GB18030");
}

static void gb18030_invalid(void **state)
{
    (void)state;
    struct sc_diag d;
    size_t len;
    char *data = t_read_data("bad-gb18030.txt", &len);
    t_refused("a.txt", data, len, SC_EPARSE, "not valid GB18030 at byte 36", &d);
    assert_string_equal(d.msg, "not valid GB18030 at byte 36");
    /* cut in the middle of the last character */
    data[len - 3] = (char)0xD6;
    t_refused("a.txt", data, len - 2, SC_EPARSE, NULL, &d);
    assert_non_null(strstr(d.msg, "GB18030 at byte"));
    free(data);
}

static void big5(void **state)
{
    (void)state;
    size_t len;
    char *data = t_read_data("big5.txt", &len);
    struct sc_ingested in;
    sc_ingested_init(&in);
    const char *got = t_ok(&in, "a.txt", data, len);
    assert_string_equal(in.encoding, "BIG5");
    assert_non_null(strstr(got, "政府工作報告\n各位代表："));
    assert_non_null(strstr(got, "經濟社會發展"));
    sc_ingested_release(&in);
    free(data);
}

/* ---- refusals ------------------------------------------------------------ */

static void not_chinese_refused(void **state)
{
    (void)state;
    struct sc_diag d;
    const char latin1[] = "caf\xE9 r\xE9sum\xE9 na\xEFve fa\xE7"
                          "ade";
    t_refused("a.txt", latin1, sizeof latin1 - 1, SC_EUNSUPPORTED,
              "not valid UTF-8 at byte 3 and not Chinese GB18030/Big5 text", &d);
    /* a short Big5 phrase is not decided either way: refused, not guessed */
    size_t len;
    char *b5 = encode("BIG5", "過去一年", &len);
    t_refused("a.txt", b5, len, SC_EUNSUPPORTED, "not valid UTF-8 at byte 0", &d);
    free(b5);
}

static void utf8_damaged(void **state)
{
    (void)state;
    struct sc_diag d;
    /* valid text with one bad byte: damaged UTF-8, not some other encoding */
    char *buf = malloc(ref_len + 1);
    assert_non_null(buf);
    memcpy(buf, ref_text, ref_len);
    buf[120] = (char)0xFF;
    t_refused("a.txt", buf, ref_len, SC_EPARSE, "not valid UTF-8 at byte 120", &d);
    /* the file cut in the middle of a character */
    memcpy(buf, ref_text, ref_len);
    t_refused("a.txt", buf, 48, SC_EPARSE, "not valid UTF-8 at byte 46", &d);
    /* overlong encodings and surrogates are not UTF-8 (short ones alone
     * would be valid GBK, so inside real UTF-8 text) */
    memcpy(buf, ref_text, ref_len);
    memcpy(buf + 99, "\xC0\xAF", 2);
    t_refused("a.txt", buf, ref_len, SC_EPARSE, "not valid UTF-8 at byte 99", &d);
    memcpy(buf, ref_text, ref_len);
    memcpy(buf + 99, "\xED\xA0\x80", 3);
    t_refused("a.txt", buf, ref_len, SC_EPARSE, "not valid UTF-8 at byte 99", &d);
    free(buf);
}

static void empty_and_blank(void **state)
{
    (void)state;
    struct sc_diag d;
    t_refused("a.txt", "", 0, SC_EPARSE, "empty file", &d);
    assert_string_equal(d.msg, "empty file");
    t_refused("a.txt", NULL, 0, SC_EPARSE, "empty file", &d);
    const char blank[] = " \n\t\r\n\xE3\x80\x80\xC2\xA0 ";
    t_refused("a.txt", blank, sizeof blank - 1, SC_EPARSE, "empty file", &d);
    const char ws16[] = "\xFF\xFE\x20\x00\x00\x30\x0A\x00";
    t_refused("a.txt", ws16, sizeof ws16 - 1, SC_EPARSE, "empty file", &d);
}

static void binary_files(void **state)
{
    (void)state;
    struct sc_diag d;
    t_refused("a.txt", "abc\0def", 7, SC_EPARSE, "binary file (NUL byte at byte 3)", &d);
    const char u16[] = "h\0e\0l\0l\0o\0 \0w\0o\0r\0l\0d\0";
    t_refused("a.txt", u16, sizeof u16 - 1, SC_EUNSUPPORTED,
              "looks like UTF-16 without a byte-order mark", &d);
    t_refused("a.txt", "\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16, SC_EUNSUPPORTED,
              "binary file (PNG image)", &d);
    t_refused("a.txt",
              "\x7F"
              "ELF\x02\x01\x01\0",
              8, SC_EUNSUPPORTED, "binary file (ELF executable)", &d);
    t_refused("a.txt", "\xFF\xD8\xFF\xE0\0\x10JFIF", 10, SC_EUNSUPPORTED,
              "binary file (JPEG image)", &d);
    t_refused("a.txt", "PK\x03\x04garbage-not-a-zip", 21, SC_EUNSUPPORTED,
              "binary file (zip archive that is not a .docx)", &d);
    /* "MZ" and "BZh" start ordinary words too: only binary if NULs follow */
    expect_text("a.txt", "MZ-2023 工作总结", strlen("MZ-2023 工作总结"), "MZ-2023 工作总结",
                "UTF-8");
    expect_text("a.txt", "BZh 班子会议", strlen("BZh 班子会议"), "BZh 班子会议", "UTF-8");
}

static void office_and_pdf_refused(void **state)
{
    (void)state;
    struct sc_diag d;
    const char ole[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0";
    t_refused("a.doc", ole, sizeof ole - 1, SC_EUNSUPPORTED,
              ".doc (Word 97-2003) is not supported: save it as .docx in Word/WPS", &d);
    assert_non_null(strstr(d.msg, "libreoffice --headless --convert-to docx"));
    t_refused("a.WPS", ole, sizeof ole - 1, SC_EUNSUPPORTED, ".wps (WPS Writer) is not supported",
              &d);
    /* by signature, whatever the name */
    t_refused("a.txt", ole, sizeof ole - 1, SC_EUNSUPPORTED,
              "binary Word/WPS 97-2003 file (.doc/.wps) is not supported", &d);
    t_refused("a.pdf", "%PDF-1.7\n", 9, SC_EUNSUPPORTED, ".pdf is not supported", &d);
    assert_non_null(strstr(d.msg, "pdftotext -layout"));
    t_refused("a.txt", "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n", 15, SC_EUNSUPPORTED,
              ".pdf is not supported", &d);
    t_refused("notes", "{\\rtf1\\ansi hello}", 18, SC_EUNSUPPORTED, ".rtf is not supported", &d);
    t_refused("a.ofd", "PK\x03\x04", 4, SC_EUNSUPPORTED, ".ofd is not supported", &d);
    t_refused("a.xlsx", "PK\x03\x04", 4, SC_EUNSUPPORTED, "spreadsheets are not supported", &d);
    t_refused("scan.JPG", "\xFF\xD8\xFF", 3, SC_EUNSUPPORTED, "image files are not supported", &d);
}

static void unknown_extensions(void **state)
{
    (void)state;
    struct sc_diag d;
    struct sc_ingested in;
    sc_ingested_init(&in);
    /* text under any name is text */
    t_ok(&in, "README", "说明\r\n", 8);
    assert_string_equal(in.text.data, "说明\n");
    assert_int_equal(in.format, SC_FORMAT_TXT);
    t_ok(&in, "page.html", "<p>正文</p>", strlen("<p>正文</p>"));
    assert_int_equal(in.format, SC_FORMAT_TXT);
    sc_ingested_release(&in);
    /* anything else is an unsupported type, with the reason */
    t_refused("data.bin", "abc\0def", 7, SC_EUNSUPPORTED,
              "unsupported file type: binary file (NUL byte at byte 3)", &d);
    t_refused("x.dat", "\x89PNG\r\n\x1A\n\0\0", 10, SC_EUNSUPPORTED,
              "unsupported file type (.dat, PNG image)", &d);
    const char latin1[] = "caf\xE9 r\xE9sum\xE9";
    t_refused("x.log", latin1, sizeof latin1 - 1, SC_EUNSUPPORTED, "unsupported file type: ", &d);
}

static void control_characters(void **state)
{
    (void)state;
    /* a few stray controls are dropped; form feeds and Unicode line and
     * paragraph separators end lines; tabs stay */
    const char in[] =
        "甲\x01乙\x1B丙\t丁\f戊\v己\xE2\x80\xA8庚\xE2\x80\xA9辛\xC2\x85壬\xC2\x90癸\x7F";
    expect_text("a.txt", in, sizeof in - 1, "甲乙丙\t丁\n戊\n己\n庚\n辛\n壬癸", "UTF-8");
    /* many of them: binary after all */
    char bin[200];
    for (size_t i = 0; i < sizeof bin; i++)
        bin[i] = (char)(i % 3 ? 0x01 + (char)(i % 7) : 'a');
    struct sc_diag d;
    t_refused("a.txt", bin, sizeof bin, SC_EPARSE, "binary file (", &d);
    assert_non_null(strstr(d.msg, "control characters"));
}

static void size_limit(void **state)
{
    (void)state;
    size_t len = (size_t)SC_MAX_FILE_BYTES + 1;
    char *big = calloc(1, len);
    assert_non_null(big);
    struct sc_diag d;
    t_refused("big.txt", big, len, SC_ELIMIT, "file too large", &d);
    t_refused("big.docx", big, len, SC_ELIMIT, "file too large", &d);
    free(big);
}

static void format_names(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        enum sc_format want;
    } cases[] = {
        { "a.txt", SC_FORMAT_TXT },
        { "目录/通知.TXT", SC_FORMAT_TXT },
        { "a.docx", SC_FORMAT_DOCX },
        { "C:\\docs\\a.DocX", SC_FORMAT_DOCX },
        { "a.docm", SC_FORMAT_DOCX },
        { "a.md", SC_FORMAT_MD },
        { "a.Markdown", SC_FORMAT_MD },
        { "a.doc", SC_FORMAT_UNKNOWN },
        { "a.pdf", SC_FORMAT_UNKNOWN },
        { "a.tar.gz", SC_FORMAT_UNKNOWN },
        { "dir.txt/file", SC_FORMAT_UNKNOWN },
        { ".txt", SC_FORMAT_UNKNOWN },
        { "a.", SC_FORMAT_UNKNOWN },
        { "", SC_FORMAT_UNKNOWN },
        { NULL, SC_FORMAT_UNKNOWN },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(sc_format_from_name(cases[i].name), cases[i].want);
    assert_string_equal(sc_format_name(SC_FORMAT_TXT), "txt");
    assert_string_equal(sc_format_name(SC_FORMAT_DOCX), "docx");
    assert_string_equal(sc_format_name(SC_FORMAT_MD), "md");
    assert_string_equal(sc_format_name(SC_FORMAT_UNKNOWN), "unknown");
}

static void reuse_and_file(void **state)
{
    (void)state;
    /* one struct across a batch: each call replaces the last result */
    struct sc_ingested in;
    sc_ingested_init(&in);
    t_ok(&in, "a.txt", ref_text, ref_len);
    struct sc_diag d = { 0 };
    assert_int_equal(sc_ingest_bytes("b.txt", "a\0b", 3, &in, &d), SC_EPARSE);
    assert_int_equal(in.text.len, 0);
    t_ok(&in, "c.txt", "再来一次", strlen("再来一次"));
    assert_string_equal(in.text.data, "再来一次");
    char path[4300];
    snprintf(path, sizeof path, "%s/tests/data/ingest/gongwen-gbk.txt", t_repo());
    sc_diag_clear(&d);
    assert_int_equal(sc_ingest_file(path, &in, &d), SC_OK);
    assert_string_equal(in.text.data, ref_text);
    sc_diag_clear(&d);
    assert_int_equal(sc_ingest_file("/nonexistent/x.txt", &in, &d), SC_EIO);
    assert_int_equal(in.text.len, 0);
    sc_ingested_release(&in);
    /* release twice is harmless */
    sc_ingested_release(&in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_plain),
        cmocka_unit_test(utf8_bom_and_line_ends),
        cmocka_unit_test(utf16_with_bom),
        cmocka_unit_test(utf32_with_bom),
        cmocka_unit_test(utf16_broken),
        cmocka_unit_test(gbk_and_gb18030),
        cmocka_unit_test(gb18030_invalid),
        cmocka_unit_test(big5),
        cmocka_unit_test(not_chinese_refused),
        cmocka_unit_test(utf8_damaged),
        cmocka_unit_test(empty_and_blank),
        cmocka_unit_test(binary_files),
        cmocka_unit_test(office_and_pdf_refused),
        cmocka_unit_test(unknown_extensions),
        cmocka_unit_test(control_characters),
        cmocka_unit_test(size_limit),
        cmocka_unit_test(format_names),
        cmocka_unit_test(reuse_and_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
