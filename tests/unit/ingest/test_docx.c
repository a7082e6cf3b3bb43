/*
 * Unit tests for .docx intake (lib/ingest/docx.c, docx_num.c). Small
 * documents are built in memory with a minimal zip writer (zlib), which
 * also makes the hostile ones: zip bombs, lying sizes, encrypted entries,
 * entity tricks. The real fixtures of ../shared/corpus/docx are checked
 * for their features and against golden files (GOLDEN_UPDATE=1 rewrites).
 */
#include "ingest_test.h"

#include "ingest/docx_int.h"
#include "sucai/gongwen.h"

#include <zlib.h>

/* ---- a minimal zip writer --------------------------------------------- */

struct zw {
    struct sc_buf out, cd;
    unsigned n;
};

static void put16(struct sc_buf *b, unsigned v)
{
    char c[2] = { (char)(v & 0xFF), (char)((v >> 8) & 0xFF) };
    sc_buf_add(b, c, 2);
}

static void put32(struct sc_buf *b, uint32_t v)
{
    put16(b, v & 0xFFFF);
    put16(b, v >> 16);
}

/* Add name with data[0..len) repeated `repeat` times, deflated (method 8)
 * or stored (0). declared >= 0 writes that as the uncompressed size
 * instead of the true one; flags are the general purpose bits. */
static void zw_entry(struct zw *z, const char *name, const void *data, size_t len, size_t repeat,
                     int method, long long declared, unsigned flags)
{
    struct sc_buf comp = SC_BUF_INIT;
    uLong crc = crc32(0L, Z_NULL, 0);
    if (method == 8) {
        z_stream zs;
        memset(&zs, 0, sizeof zs);
        assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
        static unsigned char buf[65536];
        for (size_t r = 0; r <= repeat; r++) {
            int last = r == repeat;
            zs.next_in = last ? Z_NULL : (Bytef *)(uintptr_t)data;
            zs.avail_in = last ? 0 : (uInt)len;
            if (!last)
                crc = crc32(crc, data, (uInt)len);
            do {
                zs.next_out = buf;
                zs.avail_out = sizeof buf;
                deflate(&zs, last ? Z_FINISH : Z_NO_FLUSH);
                sc_buf_add(&comp, buf, sizeof buf - zs.avail_out);
            } while (zs.avail_out == 0);
        }
        deflateEnd(&zs);
    } else {
        for (size_t r = 0; r < repeat; r++) {
            sc_buf_add(&comp, data, len);
            crc = crc32(crc, data, (uInt)len);
        }
    }
    uint32_t usize = declared >= 0 ? (uint32_t)declared : (uint32_t)(len * repeat);
    uint32_t off = (uint32_t)z->out.len;
    size_t nlen = strlen(name);
    put32(&z->out, 0x04034b50);
    put16(&z->out, 20);
    put16(&z->out, flags);
    put16(&z->out, (unsigned)method);
    put16(&z->out, 0);
    put16(&z->out, 0x21);
    put32(&z->out, (uint32_t)crc);
    put32(&z->out, (uint32_t)comp.len);
    put32(&z->out, usize);
    put16(&z->out, (unsigned)nlen);
    put16(&z->out, 0);
    sc_buf_add(&z->out, name, nlen);
    sc_buf_add(&z->out, comp.data, comp.len);
    put32(&z->cd, 0x02014b50);
    put16(&z->cd, 20);
    put16(&z->cd, 20);
    put16(&z->cd, flags);
    put16(&z->cd, (unsigned)method);
    put16(&z->cd, 0);
    put16(&z->cd, 0x21);
    put32(&z->cd, (uint32_t)crc);
    put32(&z->cd, (uint32_t)comp.len);
    put32(&z->cd, usize);
    put16(&z->cd, (unsigned)nlen);
    put16(&z->cd, 0);
    put16(&z->cd, 0);
    put16(&z->cd, 0);
    put16(&z->cd, 0);
    put32(&z->cd, 0);
    put32(&z->cd, off);
    sc_buf_add(&z->cd, name, nlen);
    z->n++;
    sc_buf_release(&comp);
}

static void zw_add(struct zw *z, const char *name, const char *text)
{
    zw_entry(z, name, text, strlen(text), 1, 8, -1, 0);
}

/* Finish the archive; the caller owns z->out. */
static void zw_finish(struct zw *z)
{
    uint32_t cd_off = (uint32_t)z->out.len;
    sc_buf_add(&z->out, z->cd.data, z->cd.len);
    put32(&z->out, 0x06054b50);
    put16(&z->out, 0);
    put16(&z->out, 0);
    put16(&z->out, z->n);
    put16(&z->out, z->n);
    put32(&z->out, (uint32_t)z->cd.len);
    put32(&z->out, cd_off);
    put16(&z->out, 0);
    sc_buf_release(&z->cd);
    assert_int_equal(sc_buf_err(&z->out), SC_OK);
}

/* ---- documents ------------------------------------------------------------ */

#define NS                                                                                 \
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "            \
    "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" "            \
    "xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\" "     \
    "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" " \
    "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "                   \
    "xmlns:v=\"urn:schemas-microsoft-com:vml\" "                                           \
    "xmlns:m=\"http://schemas.openxmlformats.org/officeDocument/2006/math\""
#define XMLDECL          "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
#define DOC(body)        XMLDECL "<w:document " NS "><w:body>" body "<w:sectPr/></w:body></w:document>"
#define P(text)          "<w:p><w:r><w:t>" text "</w:t></w:r></w:p>"
#define NUMBERING(inner) XMLDECL "<w:numbering " NS ">" inner "</w:numbering>"
#define STYLES(inner)    XMLDECL "<w:styles " NS ">" inner "</w:styles>"
#define CORE(title)                                                                         \
    XMLDECL                                                                                 \
    "<cp:coreProperties "                                                                   \
    "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" " \
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>" title                        \
    "</dc:title></cp:coreProperties>"

/* Build a .docx from its parts (NULL parts are left out). */
static void make_docx(struct zw *z, const char *doc, const char *numbering, const char *styles,
                      const char *core)
{
    memset(z, 0, sizeof *z);
    sc_buf_init(&z->out);
    sc_buf_init(&z->cd);
    zw_add(z, "[Content_Types].xml", XMLDECL "<Types/>");
    if (doc)
        zw_add(z, "word/document.xml", doc);
    if (numbering)
        zw_add(z, "word/numbering.xml", numbering);
    if (styles)
        zw_add(z, "word/styles.xml", styles);
    if (core)
        zw_add(z, "docProps/core.xml", core);
    zw_finish(z);
}

/* Decode a document built from parts; the result stays in in. */
static const char *docx_ok(struct sc_ingested *in, const char *doc, const char *numbering,
                           const char *styles, const char *core)
{
    struct zw z;
    make_docx(&z, doc, numbering, styles, core);
    const char *text = t_ok(in, "t.docx", z.out.data, z.out.len);
    assert_int_equal(in->format, SC_FORMAT_DOCX);
    assert_string_equal(in->encoding, "docx");
    sc_buf_release(&z.out);
    return text;
}

static void expect_doc(const char *doc, const char *numbering, const char *styles, const char *want)
{
    struct sc_ingested in;
    sc_ingested_init(&in);
    const char *got = docx_ok(&in, doc, numbering, styles, NULL);
    if (strcmp(got, want) != 0)
        fail_msg("got:\n%s\n--- want:\n%s", got, want);
    sc_ingested_release(&in);
}

static void doc_refused(const char *doc, const char *numbering, const char *styles,
                        enum sc_err want, const char *prefix, struct sc_diag *d)
{
    struct zw z;
    make_docx(&z, doc, numbering, styles, NULL);
    t_refused("t.docx", z.out.data, z.out.len, want, prefix, d);
    sc_buf_release(&z.out);
}

/* ---- text structure ----------------------------------------------------- */

static void paragraphs_runs_breaks(void **state)
{
    (void)state;
    expect_doc(DOC(P("第一段") "<w:p/>" P("  ") "<w:p><w:r><w:t xml:space=\"preserve\">前 "
                                                "</w:t></w:r><w:r><w:t>后</w:t></w:r></w:p>"),
               NULL, NULL, "第一段\n前 后\n");
    /* tabs in runs are text; tab stops in paragraph properties are not */
    expect_doc(DOC("<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>"
                   "<w:r><w:t>目录项</w:t><w:tab/><w:t>3</w:t><w:br/><w:t>换行</w:t><w:cr/>"
                   "<w:t>回车</w:t><w:noBreakHyphen/><w:softHyphen/><w:t>尾</w:t></w:r></w:p>"),
               NULL, NULL, "目录项\t3\n换行\n回车-尾\n");
    /* symbols: real characters kept, symbol-font glyphs dropped */
    expect_doc(DOC("<w:p><w:r><w:t>A</w:t><w:sym w:font=\"Wingdings\" w:char=\"F0FC\"/>"
                   "<w:sym w:font=\"SimSun\" w:char=\"2605\"/><w:t>B</w:t></w:r></w:p>"),
               NULL, NULL, "A★B\n");
    /* entities and character references XML allows */
    expect_doc(DOC(P("&lt;条例&gt; &amp; &#x4E2D;&#25991;")), NULL, NULL, "<条例> & 中文\n");
    /* hidden text (w:vanish) is not shown by Word */
    expect_doc(DOC("<w:p><w:r><w:t>可见</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr>"
                   "<w:t>隐藏</w:t></w:r><w:r><w:rPr><w:vanish w:val=\"false\"/></w:rPr>"
                   "<w:t>也可见</w:t></w:r></w:p>"),
               NULL, NULL, "可见也可见\n");
    /* ruby: base text once, no reading */
    expect_doc(DOC("<w:p><w:r><w:ruby><w:rt><w:r><w:t>zhù</w:t></w:r></w:rt><w:rubyBase>"
                   "<w:r><w:t>注</w:t></w:r></w:rubyBase></w:ruby></w:r></w:p>"),
               NULL, NULL, "注\n");
    /* math text */
    expect_doc(DOC("<w:p><w:r><w:t>公式</w:t></w:r><m:oMath><m:r><m:t>x+1</m:t></m:r>"
                   "</m:oMath></w:p>"),
               NULL, NULL, "公式x+1\n");
}

static void tables(void **state)
{
    (void)state;
    expect_doc(
        DOC(P("表前") "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/></w:tblGrid>"
                      "<w:tr><w:tc><w:tcPr/><w:p><w:r><w:t>序号</w:t></w:r></w:p></w:tc>"
                      "<w:tc><w:p><w:r><w:t>项目</w:t></w:r></w:p></w:tc>"
                      "<w:tc><w:p><w:r><w:t>备注</w:t></w:r></w:p></w:tc></w:tr>"
                      "<w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>"
                      "<w:tc><w:p><w:r><w:t>第一行</w:t></w:r></w:p><w:p><w:r><w:t>第二行</w:t>"
                      "<w:tab/><w:t>有制表</w:t></w:r></w:p></w:tc>"
                      "<w:tc><w:p/></w:tc></w:tr>"
                      /* merged cell keeps the columns */
                      "<w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr><w:p><w:r><w:t>合计"
                      "</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>3</w:t></w:r></w:p></w:tc>"
                      "</w:tr>"
                      /* nested table flattens into its cell */
                      "<w:tr><w:tc><w:p><w:r><w:t>外</w:t></w:r></w:p></w:tc><w:tc><w:tbl><w:tr>"
                      "<w:tc><w:p><w:r><w:t>内甲</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>内乙"
                      "</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/></w:tc></w:tr>"
                      /* an empty row is no line */
                      "<w:tr><w:tc><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>"
                      "</w:tbl>" P("表后")),
        NULL, NULL,
        "表前\n序号\t项目\t备注\n1\t第一行 第二行 有制表\t\n合计\t\t3\n外\t内甲 内乙\n表后\n");
}

#define TXBX(text) "<w:txbxContent>" P(text) "</w:txbxContent>"

static void text_boxes_once(void **state)
{
    (void)state;
    /* Word 2010+: the same box as DrawingML (Choice) and VML (Fallback) */
    expect_doc(
        DOC(P(
            "正文一") "<w:p><w:r><w:t>锚点</w:t></w:r><w:r><mc:AlternateContent>"
                      "<mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><a:graphic><a:graphicData>"
                      "<wps:wsp><wps:txbx>" TXBX(
                          "框内文字") "</wps:txbx></wps:wsp></a:graphicData>"
                                      "</a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>"
                                      "<v:shape><v:textbox>" TXBX(
                                          "框内文字") "</v:textbox></v:shape></w:pict>"
                                                      "</mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>之后</w:t></w:r></w:p>" P(
                                                          "正文二")),
        NULL, NULL, "正文一\n锚点之后\n框内文字\n正文二\n");
    /* only a Fallback: taken */
    expect_doc(DOC("<w:p><w:r><mc:AlternateContent><mc:Fallback><w:pict><v:shape><v:textbox>" TXBX(
                   "只在后备") "</v:textbox></v:shape></w:pict></mc:Fallback>"
                               "</mc:AlternateContent></w:r></w:p>"),
               NULL, NULL, "只在后备\n");
    /* a box inside a table cell comes after the row; a box in a box */
    expect_doc(
        DOC("<w:tbl><w:tr><w:tc><w:p><w:r><w:t>格</w:t></w:r><w:r><w:pict><v:textbox>"
            "<w:txbxContent><w:p><w:r><w:t>外框</w:t></w:r><w:r><w:pict><v:textbox>" TXBX(
                "内框") "</v:textbox></w:pict></w:r></w:p></w:txbxContent></v:textbox>"
                        "</w:pict></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>二</w:t></w:r></w:p></w:tc>"
                        "</w:tr></w:tbl>"),
        NULL, NULL, "格\t二\n外框\n内框\n");
}

static void tracked_changes(void **state)
{
    (void)state;
    expect_doc(DOC("<w:p><w:r><w:t>原文</w:t></w:r><w:ins w:id=\"1\"><w:r><w:t>插入</w:t></w:r>"
                   "</w:ins><w:del w:id=\"2\"><w:r><w:delText>删除</w:delText></w:r></w:del>"
                   "<w:moveFrom w:id=\"3\"><w:r><w:t>移走</w:t></w:r></w:moveFrom>"
                   "<w:moveTo w:id=\"4\"><w:r><w:t>移来</w:t></w:r></w:moveTo></w:p>"),
               NULL, NULL, "原文插入移来\n");
    /* a deleted paragraph mark joins two paragraphs */
    expect_doc(DOC("<w:p><w:pPr><w:rPr><w:del w:id=\"5\"/></w:rPr></w:pPr><w:r><w:t>上半</w:t>"
                   "</w:r></w:p>" P("下半") P("另起")),
               NULL, NULL, "上半下半\n另起\n");
    /* a whole deleted paragraph vanishes */
    expect_doc(DOC(P("甲") "<w:p><w:pPr><w:rPr><w:del w:id=\"6\"/></w:rPr></w:pPr><w:del>"
                           "<w:r><w:delText>整段删除</w:delText></w:r></w:del></w:p>" P("乙")),
               NULL, NULL, "甲\n乙\n");
    /* a deleted table row goes */
    expect_doc(DOC("<w:tbl><w:tr><w:tc><w:p><w:r><w:t>留</w:t></w:r></w:p></w:tc></w:tr>"
                   "<w:tr><w:trPr><w:del w:id=\"7\"/></w:trPr><w:tc><w:p><w:del><w:r>"
                   "<w:delText>删行</w:delText></w:r></w:del></w:p></w:tc></w:tr></w:tbl>"),
               NULL, NULL, "留\n");
    /* comments leave nothing */
    expect_doc(DOC("<w:p><w:commentRangeStart w:id=\"0\"/><w:r><w:t>正文</w:t></w:r>"
                   "<w:commentRangeEnd w:id=\"0\"/><w:r><w:commentReference w:id=\"0\"/></w:r>"
                   "<w:r><w:footnoteReference w:id=\"1\"/></w:r></w:p>"),
               NULL, NULL, "正文\n");
}

static void fields(void **state)
{
    (void)state;
    /* code dropped, result kept; across runs and paragraphs (a TOC) */
    expect_doc(
        DOC("<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> TOC "
            "\\o \"1-3\" \\h </w:instrText></w:r><w:r><w:fldChar "
            "w:fldCharType=\"separate\"/></w:r><w:r><w:t>一、总体要求</w:t></w:r><w:r>"
            "<w:tab/><w:t>1</w:t></w:r></w:p><w:p><w:r><w:t>二、主要任务</w:t><w:tab/>"
            "<w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>" P("正文")),
        NULL, NULL, "一、总体要求\t1\n二、主要任务\t2\n正文\n");
    /* nested: PAGEREF inside a hyperlink result; a field without result */
    expect_doc(DOC("<w:p><w:r><w:t>见第</w:t><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r>"
                   "<w:instrText>PAGEREF _Toc1 </w:instrText><w:fldChar w:fldCharType=\"begin\"/>"
                   "<w:instrText>QUOTE x</w:instrText><w:fldChar w:fldCharType=\"separate\"/>"
                   "<w:t>码中结果</w:t><w:fldChar w:fldCharType=\"end\"/>"
                   "<w:fldChar w:fldCharType=\"separate\"/><w:t>5</w:t>"
                   "<w:fldChar w:fldCharType=\"end\"/><w:t>页</w:t>"
                   "<w:fldChar w:fldCharType=\"begin\"/><w:instrText>XE \"索引\"</w:instrText>"
                   "<w:fldChar w:fldCharType=\"end\"/><w:t>。</w:t></w:r></w:p>"),
               NULL, NULL, "见第5页。\n");
    /* simple fields keep their runs; stray ends are harmless */
    expect_doc(DOC("<w:p><w:fldSimple w:instr=\" PAGE \"><w:r><w:t>7</w:t></w:r></w:fldSimple>"
                   "<w:r><w:fldChar w:fldCharType=\"end\"/><w:t>页</w:t></w:r></w:p>"),
               NULL, NULL, "7页\n");
}

/* ---- numbering ---------------------------------------------------------- */

#define LVL(i, start, fmt, text)                                                            \
    "<w:lvl w:ilvl=\"" #i "\"><w:start w:val=\"" #start "\"/><w:numFmt w:val=\"" fmt "\"/>" \
    "<w:lvlText w:val=\"" text "\"/></w:lvl>"
#define NUMP(id, ilvl, text)                                                                   \
    "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"" #ilvl "\"/><w:numId w:val=\"" #id "\"/></w:numPr>" \
    "</w:pPr><w:r><w:t>" text "</w:t></w:r></w:p>"

static const char gongwen_numbering[] = NUMBERING(
    "<w:abstractNum w:abstractNumId=\"0\">" LVL(0, 1, "chineseCounting",
                                                "%1、") LVL(1, 1, "chineseCounting", "（%2）")
        LVL(2, 1, "decimal", "%3．") LVL(3, 1, "decimal", "（%4）") LVL(
            4, 1, "decimalEnclosedCircle",
            "%5") "</w:abstractNum>"
                  "<w:abstractNum w:abstractNumId=\"1\">" LVL(0, 1, "decimal", "%1.") LVL(
                      1, 1, "decimal",
                      "%1.%2") "<w:lvl w:ilvl=\"2\"><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"\xEF\x82\xB7\"/></w:lvl>"
                               "</w:abstractNum>"
                               "<w:abstractNum w:abstractNumId=\"2\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/>"
                               "<w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"第%1章\"/><w:suff "
                               "w:val=\"space\"/></w:lvl></w:abstractNum>"
                               "<w:abstractNum w:abstractNumId=\"3\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/>"
                               "<mc:AlternateContent><mc:Choice Requires=\"w14\"><w:numFmt w:val=\"custom\" "
                               "w:format=\"001, 002, 003, ...\"/></mc:Choice><mc:Fallback><w:numFmt "
                               "w:val=\"decimalZero\"/></mc:Fallback></mc:AlternateContent><w:lvlText w:val=\"%1\"/>"
                               "<w:suff w:val=\"nothing\"/></w:lvl></w:abstractNum>"
                               "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>"
                               "<w:num w:numId=\"2\"><w:abstractNumId w:val=\"1\"/></w:num>"
                               "<w:num w:numId=\"3\"><w:abstractNumId w:val=\"1\"/><w:lvlOverride w:ilvl=\"0\">"
                               "<w:startOverride w:val=\"1\"/></w:lvlOverride></w:num>"
                               "<w:num w:numId=\"4\"><w:abstractNumId w:val=\"2\"/></w:num>"
                               "<w:num w:numId=\"5\"><w:abstractNumId w:val=\"3\"/></w:num>"
                               "<w:num w:numId=\"6\"><w:abstractNumId w:val=\"0\"/></w:num>");

static void numbering_gongwen(void **state)
{
    (void)state;
    expect_doc(
        DOC(NUMP(1, 0, "总体要求") NUMP(1, 1, "指导思想") NUMP(1, 1, "基本原则")
                NUMP(1, 2, "坚持党的领导") NUMP(1, 3, "细项") NUMP(1, 4, "要点") NUMP(1, 4, "要点")
                    NUMP(1, 2, "坚持人民至上") NUMP(1, 0, "主要任务") NUMP(1, 1, "重点工作")
                        NUMP(1, 0, "保障措施")),
        gongwen_numbering, NULL,
        "一、总体要求\n（一）指导思想\n（二）基本原则\n1．坚持党的领导\n（1）细项\n①要点\n②要点\n"
        "2．坚持人民至上\n二、主要任务\n（一）重点工作\n三、保障措施\n");
}

static void numbering_instances(void **state)
{
    (void)state;
    /* numId 2 and 6 share their abstract list with others: 6 continues 1's
     * sequence, 3 restarts (lvlOverride); bullets get no label; multi-level
     * text; numId 0 and unknown ids mean no numbering */
    expect_doc(
        DOC(NUMP(2, 0, "甲") NUMP(2, 1, "甲一") NUMP(2, 1, "甲二") NUMP(2, 2, "圆点") NUMP(
            2, 0, "乙") NUMP(3, 0, "重新") NUMP(3, 0, "再来") NUMP(1, 0, "一") NUMP(6, 0, "接续")
                NUMP(0, 0, "无编号") NUMP(99, 0, "未知") NUMP(4, 0, "总则") NUMP(5, 0, "编号")),
        gongwen_numbering, NULL,
        "1.甲\n1.1 甲一\n1.2 甲二\n圆点\n2.乙\n1.重新\n2.再来\n一、一\n二、接续\n无编号\n未知\n"
        "第一章 总则\n01编号\n");
}

static const char styles_xml[] =
    STYLES("<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/></w:style>"
           "<w:style w:type=\"paragraph\" w:styleId=\"1\"><w:name w:val=\"heading 1\"/>"
           "<w:pPr><w:numPr><w:numId w:val=\"1\"/></w:numPr><w:outlineLvl w:val=\"0\"/></w:pPr>"
           "</w:style>"
           "<w:style w:type=\"paragraph\" w:styleId=\"2\"><w:name w:val=\"heading 2\"/><w:basedOn "
           "w:val=\"1\"/><w:pPr><w:numPr><w:ilvl w:val=\"1\"/></w:numPr>"
           "<w:pPrChange><w:pPr><w:numPr><w:numId w:val=\"2\"/></w:numPr></w:pPr></w:pPrChange>"
           "</w:pPr></w:style>"
           "<w:style w:type=\"paragraph\" w:styleId=\"Loop\"><w:name w:val=\"loop\"/><w:basedOn "
           "w:val=\"Loop\"/></w:style>"
           "<w:style w:type=\"character\" w:styleId=\"C\"><w:name w:val=\"Title\"/></w:style>");

#define STYP(style, text) \
    "<w:p><w:pPr><w:pStyle w:val=\"" style "\"/></w:pPr><w:r><w:t>" text "</w:t></w:r></w:p>"

static void numbering_from_styles(void **state)
{
    (void)state;
    /* heading 1 and 2 carry the numbering; a paragraph's own numId 0
     * switches it off; the old numbering of a tracked change is ignored */
    expect_doc(
        DOC(STYP("1", "总体要求") STYP("2", "指导思想") STYP("2", "工作目标") STYP("1", "主要任务")
                STYP(
                    "Loop",
                    "循环样式") "<w:p><w:pPr><w:pStyle w:val=\"1\"/><w:numPr><w:numId w:val=\"0\"/>"
                                "</w:numPr></w:pPr><w:r><w:t>不编号</w:t></w:r></w:p>"
                                "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/>"
                                "</w:numPr><w:pPrChange><w:pPr><w:numPr><w:numId w:val=\"2\"/>"
                                "</w:numPr></w:pPr></w:pPrChange></w:pPr><w:r><w:t>保障</w:t></w:r>"
                                "</w:p>"),
        gongwen_numbering, styles_xml,
        "一、总体要求\n（一）指导思想\n（二）工作目标\n二、主要任务\n循环样式\n不编号\n三、保障\n");
}

static void number_formats(void **state)
{
    (void)state;
    static const struct {
        const char *fmt;
        int n;
        const char *want;
    } cases[] = {
        { "decimal", 12, "12" },
        { "decimalZero", 7, "07" },
        { "decimalZero", 12, "12" },
        { "chineseCounting", 1, "一" },
        { "chineseCounting", 10, "十" },
        { "chineseCounting", 11, "十一" },
        { "chineseCounting", 20, "二十" },
        { "chineseCounting", 23, "二十三" },
        { "chineseCounting", 100, "一百" },
        { "chineseCounting", 105, "一百零五" },
        { "chineseCountingThousand", 110, "一百一十" },
        { "chineseCountingThousand", 1001, "一千零一" },
        { "chineseCountingThousand", 10010, "一万零一十" },
        { "chineseCountingThousand", 20000, "二万" },
        { "chineseLegalSimplified", 11, "壹拾壹" },
        { "chineseLegalSimplified", 305, "叁佰零伍" },
        { "ideographTraditional", 3, "丙" },
        { "ideographTraditional", 11, "11" },
        { "ideographZodiac", 12, "亥" },
        { "ideographDigital", 2024, "二〇二四" },
        { "decimalEnclosedCircle", 1, "①" },
        { "decimalEnclosedCircleChinese", 20, "⑳" },
        { "decimalEnclosedCircle", 21, "㉑" },
        { "decimalEnclosedCircle", 51, "51" },
        { "decimalEnclosedParen", 2, "⑵" },
        { "decimalEnclosedFullstop", 3, "⒊" },
        { "decimalFullWidth", 45, "４５" },
        { "upperRoman", 1994, "MCMXCIV" },
        { "lowerRoman", 4, "iv" },
        { "upperLetter", 1, "A" },
        { "lowerLetter", 28, "bb" },
        { "ordinal", 22, "22nd" },
        { "ordinal", 13, "13th" },
        { "none", 5, "" },
        { "bullet", 5, "" },
        { "somethingNew", 5, "5" },
        { NULL, 6, "6" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sc_buf b = SC_BUF_INIT;
        docx_num_format(cases[i].fmt, cases[i].n, &b);
        if (strcmp(b.data, cases[i].want) != 0)
            fail_msg("%s %d: got \"%s\", want \"%s\"", cases[i].fmt ? cases[i].fmt : "(null)",
                     cases[i].n, b.data, cases[i].want);
        sc_buf_release(&b);
    }
}

/* ---- title hint ---------------------------------------------------------- */

static void title_hint(void **state)
{
    (void)state;
    struct sc_ingested in;
    sc_ingested_init(&in);
    /* core title first */
    docx_ok(&in, DOC(P("正文标题")), NULL, NULL, CORE(" 核心属性标题 "));
    assert_string_equal(in.title_hint, "核心属性标题");
    /* converter junk in the core title is ignored; a Title style wins */
    docx_ok(&in, DOC(P("XX市人民政府文件") STYP("Title", "关于印发方案的通知") P("正文")), NULL,
            styles_xml, CORE("Microsoft Word - 方案.doc"));
    assert_string_equal(in.title_hint, "关于印发方案的通知");
    /* a heading at the top */
    docx_ok(&in, DOC("<w:p/>" STYP("1", "二〇二四年工作总结") P("正文")), NULL, styles_xml,
            CORE(""));
    assert_string_equal(in.title_hint, "二〇二四年工作总结");
    /* a heading after body text is a section, not the title */
    docx_ok(&in, DOC(P("　关于加强管理的通知　") P("各单位：") P("正文") STYP("1", "一、要求")),
            NULL, styles_xml, NULL);
    assert_string_equal(in.title_hint, "关于加强管理的通知");
    /* text boxes and tables are not title candidates */
    docx_ok(&in, DOC("<w:tbl><w:tr><w:tc>" P("表格") "</w:tc></w:tr></w:tbl>" P("真正标题")), NULL,
            NULL, NULL);
    assert_string_equal(in.title_hint, "真正标题");
    sc_ingested_release(&in);
}

/* ---- packaging ------------------------------------------------------------ */

static void package_variants(void **state)
{
    (void)state;
    struct sc_ingested in;
    sc_ingested_init(&in);
    /* any namespace prefix (python-docx writes ns0:), strict OOXML */
    struct zw z;
    memset(&z, 0, sizeof z);
    zw_add(&z, "word/document.xml",
           XMLDECL "<ns0:document xmlns:ns0=\"http://schemas.openxmlformats.org/wordprocessingml/"
                   "2006/main\"><ns0:body><ns0:p><ns0:r><ns0:t>前缀</ns0:t></ns0:r></ns0:p>"
                   "</ns0:body></ns0:document>");
    zw_finish(&z);
    t_ok(&in, "a.docx", z.out.data, z.out.len);
    assert_string_equal(in.text.data, "前缀\n");
    sc_buf_release(&z.out);
    memset(&z, 0, sizeof z);
    zw_add(&z, "word/document.xml",
           XMLDECL "<document xmlns=\"http://purl.oclc.org/ooxml/wordprocessingml/main\"><body>"
                   "<p><r><t>严格格式</t></r></p></body></document>");
    zw_finish(&z);
    t_ok(&in, "a.docx", z.out.data, z.out.len);
    assert_string_equal(in.text.data, "严格格式\n");
    sc_buf_release(&z.out);
    /* the main part named by _rels/.rels, its parts by its own .rels */
    memset(&z, 0, sizeof z);
    zw_add(&z, "_rels/.rels",
           XMLDECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                   "relationships\"><Relationship Id=\"r1\" Type=\"http://schemas."
                   "openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
                   "Target=\"/doc/main.xml\"/></Relationships>");
    zw_add(&z, "doc/_rels/main.xml.rels",
           XMLDECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                   "relationships\"><Relationship Id=\"r2\" Type=\"http://schemas."
                   "openxmlformats.org/officeDocument/2006/relationships/numbering\" "
                   "Target=\"../lists/n.xml\"/><Relationship Id=\"r3\" Type=\"x/hyperlink\" "
                   "Target=\"http://a\" TargetMode=\"External\"/></Relationships>");
    zw_add(&z, "doc/main.xml", DOC(NUMP(1, 0, "另名主文档")));
    zw_add(&z, "lists/n.xml", gongwen_numbering);
    zw_finish(&z);
    t_ok(&in, "a.docx", z.out.data, z.out.len);
    assert_string_equal(in.text.data, "一、另名主文档\n");
    /* a .docx under another name is still read as one */
    t_ok(&in, "下载.doc", z.out.data, z.out.len);
    assert_int_equal(in.format, SC_FORMAT_DOCX);
    t_ok(&in, "a.txt", z.out.data, z.out.len);
    assert_int_equal(in.format, SC_FORMAT_DOCX);
    t_ok(&in, "noext", z.out.data, z.out.len);
    assert_int_equal(in.format, SC_FORMAT_DOCX);
    sc_buf_release(&z.out);
    sc_ingested_release(&in);
}

static void refusals(void **state)
{
    (void)state;
    struct sc_diag d;
    /* no main document */
    doc_refused(NULL, NULL, NULL, SC_EPARSE, "not a valid .docx: no word/document.xml", &d);
    /* malformed XML, with where */
    doc_refused(XMLDECL "<w:document " NS "><w:body><w:p></w:body>", NULL, NULL, SC_EPARSE,
                "not a valid .docx: word/document.xml: mismatched tag at line 1", &d);
    /* a document without text */
    doc_refused(DOC("<w:p/><w:p><w:r><w:t>   </w:t></w:r></w:p>"), NULL, NULL, SC_EPARSE,
                "empty document", &d);
    /* not a zip at all, and a damaged one */
    t_refused("a.docx", "这不是压缩包", strlen("这不是压缩包"), SC_EPARSE,
              "not a valid .docx: not a zip archive", &d);
    struct zw z;
    make_docx(&z, DOC(P("正文内容足够长以便压缩正文内容足够长以便压缩")), NULL, NULL, NULL);
    t_refused("a.docx", z.out.data, z.out.len - 30, SC_EPARSE, "not a valid .docx: ", &d);
    /* flip bytes in the compressed data: inflate or CRC error */
    char *bad = malloc(z.out.len);
    assert_non_null(bad);
    memcpy(bad, z.out.data, z.out.len);
    size_t at = 30 + strlen("[Content_Types].xml");
    const char *doc = memmem(bad, z.out.len, "word/document.xml", 17);
    assert_non_null(doc);
    at = (size_t)(doc - bad) + 17 + 4;
    for (size_t i = 0; i < 6; i++)
        bad[at + i] = (char)(bad[at + i] ^ 0x5A);
    t_refused("a.docx", bad, z.out.len, SC_EPARSE, "not a valid .docx: word/document.xml: ", &d);
    free(bad);
    sc_buf_release(&z.out);
    /* Word 97-2003 bytes under .docx, and a password-protected .docx */
    char ole[1024];
    memset(ole, 0, sizeof ole);
    memcpy(ole, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
    t_refused("a.docx", ole, sizeof ole, SC_EUNSUPPORTED,
              "this is a Word/WPS 97-2003 file (.doc) named .docx", &d);
    memcpy(ole + 600, "E\0n\0c\0r\0y\0p\0t\0i\0o\0n\0I\0n\0f\0o\0", 28);
    t_refused("a.docx", ole, sizeof ole, SC_EUNSUPPORTED, "password-protected .docx", &d);
    t_refused("a.docx", "%PDF-1.5", 8, SC_EUNSUPPORTED, ".pdf is not supported", &d);
}

/* ---- hostile input -------------------------------------------------------- */

static void entity_tricks(void **state)
{
    (void)state;
    struct sc_diag d;
    /* billion laughs */
    doc_refused(XMLDECL "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
                        "\"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol3 "
                        "\"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
                        "<w:document " NS "><w:body>" P("&lol3;") "</w:body></w:document>",
                NULL, NULL, SC_EPARSE,
                "XML document type (DOCTYPE) and entity declarations are not allowed (in "
                "word/document.xml)",
                &d);
    /* external entity */
    doc_refused(XMLDECL "<!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><w:document " NS
                        "><w:body>" P("&x;") "</w:body></w:document>",
                NULL, NULL, SC_EPARSE, "XML document type (DOCTYPE)", &d);
    assert_non_null(strstr(d.msg, "entity declarations are not allowed"));
    /* an external DTD, and the trick in a part other than the body */
    doc_refused(XMLDECL "<!DOCTYPE d SYSTEM \"http://example.org/x.dtd\"><w:document " NS
                        "><w:body>" P("x") "</w:body></w:document>",
                NULL, NULL, SC_EPARSE, "XML document type (DOCTYPE)", &d);
    doc_refused(DOC(STYP("1", "正文")), NULL,
                XMLDECL "<!DOCTYPE s [<!ENTITY e \"x\">]><w:styles " NS "/>", SC_EPARSE,
                "XML document type (DOCTYPE) and entity declarations are not allowed (in "
                "word/styles.xml)",
                &d);
    /* an undefined entity without DOCTYPE is a plain XML error */
    doc_refused(DOC(P("&undefined;")), NULL, NULL, SC_EPARSE,
                "not a valid .docx: word/document.xml: undefined entity", &d);
}

static void zip_bombs(void **state)
{
    (void)state;
    struct sc_diag d;
    const size_t mib = 1u << 20;
    char *zeros = calloc(1, mib);
    assert_non_null(zeros);
    /* 300 MiB of zeros deflate to about 300 KiB */
    struct zw z;
    memset(&z, 0, sizeof z);
    zw_entry(&z, "word/document.xml", zeros, mib, 300, 8, -1, 0);
    zw_finish(&z);
    assert_true(z.out.len < 2 * mib);
    t_refused("bomb.docx", z.out.data, z.out.len, SC_ELIMIT,
              ".docx entry word/document.xml is "
              "too large",
              &d);
    /* 20 MiB lying that it is 1000 bytes: caught while inflating */
    sc_buf_release(&z.out);
    memset(&z, 0, sizeof z);
    zw_entry(&z, "word/document.xml", zeros, mib, 20, 8, 1000, 0);
    zw_finish(&z);
    t_refused("bomb.docx", z.out.data, z.out.len, SC_EPARSE, "not a valid .docx: ", &d);
    sc_buf_release(&z.out);
    /* under the entry limit but compressed 1000:1 */
    memset(&z, 0, sizeof z);
    zw_entry(&z, "word/document.xml", zeros, mib, 20, 8, -1, 0);
    zw_finish(&z);
    t_refused("ratio.docx", z.out.data, z.out.len, SC_ELIMIT,
              ".docx entry word/document.xml is compressed", &d);
    assert_non_null(strstr(d.msg, "zip bomb"));
    sc_buf_release(&z.out);
    /* parts each within the entry limit, together past the total */
    memset(&z, 0, sizeof z);
    zw_entry(&z, "word/styles.xml", zeros, 16, 1, 0, 120 * (long long)mib, 0);
    zw_entry(&z, "word/numbering.xml", zeros, 16, 1, 0, 120 * (long long)mib, 0);
    zw_entry(&z, "word/document.xml", zeros, 16, 1, 0, 120 * (long long)mib, 0);
    zw_finish(&z);
    t_refused("total.docx", z.out.data, z.out.len, SC_ELIMIT, ".docx is too large uncompressed",
              &d);
    sc_buf_release(&z.out);
    free(zeros);
}

static void encrypted_entry(void **state)
{
    (void)state;
    struct sc_diag d;
    struct zw z;
    memset(&z, 0, sizeof z);
    const char doc[] = DOC(P("加密"));
    zw_entry(&z, "word/document.xml", doc, sizeof doc - 1, 1, 0, -1, 1);
    zw_finish(&z);
    t_refused("enc.docx", z.out.data, z.out.len, SC_EUNSUPPORTED, "encrypted .docx", &d);
    sc_buf_release(&z.out);
}

static void deep_nesting(void **state)
{
    (void)state;
    /* 400 nested content controls, 20 nested text boxes, 100 nested
     * AlternateContent: bounded, nothing breaks, the text outside stays */
    struct sc_buf x = SC_BUF_INIT;
    sc_buf_adds(&x, XMLDECL "<w:document " NS "><w:body>" P("开头"));
    for (int i = 0; i < 400; i++)
        sc_buf_adds(&x, "<w:sdt><w:sdtContent>");
    sc_buf_adds(&x, P("太深"));
    for (int i = 0; i < 400; i++)
        sc_buf_adds(&x, "</w:sdtContent></w:sdt>");
    sc_buf_adds(&x, "<w:p><w:r><w:t>框</w:t></w:r>");
    for (int i = 0; i < 20; i++)
        sc_buf_addf(&x, "<w:r><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>%d</w:t></w:r>", i);
    for (int i = 0; i < 20; i++)
        sc_buf_adds(&x, "</w:p></w:txbxContent></v:textbox></w:pict></w:r>");
    sc_buf_adds(&x, "</w:p><w:p><w:r>");
    for (int i = 0; i < 100; i++)
        sc_buf_adds(&x, "<mc:AlternateContent><mc:Choice>");
    sc_buf_adds(&x, "<w:t>选</w:t>");
    for (int i = 0; i < 100; i++)
        sc_buf_adds(&x,
                    "</mc:Choice><mc:Fallback><w:t>后备</w:t></mc:Fallback></mc:AlternateContent>");
    sc_buf_adds(&x, "</w:r></w:p>" P("结尾") "</w:body></w:document>");
    assert_int_equal(sc_buf_err(&x), SC_OK);
    struct sc_ingested in;
    sc_ingested_init(&in);
    const char *t = docx_ok(&in, x.data, NULL, NULL, NULL);
    assert_true(strncmp(t, "开头\n框\n0\n1\n2\n3\n4\n5\n6\n", 25) == 0);
    assert_null(strstr(t, "太深"));
    assert_null(strstr(t, "后备"));
    assert_null(strstr(t, "19"));
    assert_non_null(strstr(t, "\n结尾\n"));
    sc_ingested_release(&in);
    sc_buf_release(&x);
}

/* ---- the real fixtures ------------------------------------------------------ */

/* The fixtures of tests/data/ingest/docx-*.docx (make_docx_fixtures.py). */
static void alternate_content(void **state)
{
    (void)state;
    size_t len;
    char *data = t_read_data("docx-alternate-content.docx", &len);
    struct sc_ingested in;
    sc_ingested_init(&in);
    const char *t = t_ok(&in, "docx-alternate-content.docx", data, len);
    /* a Choice that requires w16se (w16se:symEx) or an undeclared prefix
     * gives way to its Fallback; a text box in wps (understood) comes once */
    assert_non_null(strstr(t, "各地要加快推进👍，确保见效。\n"));
    assert_non_null(strstr(t, "\n旧版本也能看到的文字\n"));
    assert_null(strstr(t, "新版本才有的文字"));
    const char *first = strstr(t, "文本框里的话");
    assert_non_null(first);
    assert_null(strstr(first + 1, "文本框里的话"));
    sc_ingested_release(&in);
    free(data);

    /* the same, built here: Requires with two prefixes, one unknown to us */
    expect_doc(DOC("<w:p><mc:AlternateContent><mc:Choice Requires=\"wps w16se\"><w:r><w:t>甲"
                   "</w:t></w:r></mc:Choice><mc:Choice Requires=\"wps\"><w:r><w:t>乙</w:t></w:r>"
                   "</mc:Choice><mc:Fallback><w:r><w:t>丙</w:t></w:r></mc:Fallback>"
                   "</mc:AlternateContent></w:p>"),
               NULL, NULL, "乙\n");
}

static void duplicate_entries(void **state)
{
    (void)state;
    size_t len;
    char *data = t_read_data("docx-duplicate-entry.docx", &len);
    struct sc_diag d;
    t_refused("x.docx", data, len, SC_EPARSE,
              "ambiguous .docx: two entries are named word/document.xml", &d);
    free(data);
    /* also when the names differ only in case (part names ignore it) */
    struct zw z;
    memset(&z, 0, sizeof z);
    sc_buf_init(&z.out);
    sc_buf_init(&z.cd);
    zw_add(&z, "word/document.xml", DOC(P("甲")));
    zw_add(&z, "WORD/Document.xml", DOC(P("乙")));
    zw_finish(&z);
    t_refused("x.docx", z.out.data, z.out.len, SC_EPARSE, "ambiguous .docx: two entries are named ",
              &d);
    sc_buf_release(&z.out);
}

static void footnotes_and_endnotes(void **state)
{
    (void)state;
    size_t len;
    char *data = t_read_data("docx-notes.docx", &len);
    struct sc_ingested in;
    sc_ingested_init(&in);
    const char *t = t_ok(&in, "docx-notes.docx", data, len);
    /* the body as it was, then the notes part: numbered in the order of
     * the references, the separators left out, one line per note */
    assert_string_equal(t, "关于开展XX调研工作的通知\n"
                           "根据有关规定，现就调研工作通知如下。\n"
                           "一、调研内容\n"
                           "重点了解基层情况。\n"
                           "XX市人民政府办公室\n"
                           "2024年5月6日\n"
                           "脚注\n"
                           "[1]一、《XX条例》第十条。 二、《XX办法》第五条。\n"
                           "[2]基层指乡镇和街道。\n"
                           "尾注\n"
                           "[1]调研报告于6月底前报送。\n");
    /* the 公文 parser keeps them apart from the body: a notes section each,
     * no headings inside them, the 落款 above them still the 落款 */
    struct sc_parsed p;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_gongwen_parse(in.text.data, in.text.len, in.title_hint, &p, &d), SC_OK);
    const struct sc_article *a = &p.articles[0];
    assert_int_equal(a->nsections, 3);
    assert_string_equal(a->sections[0].label, "一、");
    assert_int_equal(a->sections[1].kind, SC_KIND_NOTES);
    assert_string_equal(a->sections[1].heading, "脚注");
    assert_int_equal(a->sections[2].kind, SC_KIND_NOTES);
    assert_string_equal(a->sections[2].heading, "尾注");
    assert_int_equal(a->sections[0].end_cp, a->sections[1].start_cp);
    assert_string_equal(a->unit, "XX市人民政府办公室");
    assert_int_equal(a->year, 2024);
    sc_parsed_release(&p);
    sc_ingested_release(&in);
    free(data);
}

static void not_a_word_document(void **state)
{
    (void)state;
    size_t len;
    char *data = t_read_data("docx-workbook.docx", &len);
    struct sc_diag d;
    t_refused("x.docx", data, len, SC_EUNSUPPORTED,
              "not a Word document: the package is an Excel workbook (.xlsx)", &d);
    free(data);
    /* a presentation, and a root nobody knows */
    doc_refused(XMLDECL "<p:presentation xmlns:p="
                        "\"http://schemas.openxmlformats.org/presentationml/2006/main\"/>",
                NULL, NULL, SC_EUNSUPPORTED,
                "not a Word document: the package is a PowerPoint presentation (.pptx)", &d);
    doc_refused(XMLDECL "<x:thing xmlns:x=\"urn:example\"/>", NULL, NULL, SC_EUNSUPPORTED,
                "not a Word document: the main part is <thing>", &d);
}

static void ruby(void **state)
{
    (void)state;
    size_t len;
    char *data = t_read_data("docx-ruby.docx", &len);
    struct sc_ingested in;
    sc_ingested_init(&in);
    /* the base text stays and the reading goes: 重庆 stays searchable */
    assert_string_equal(t_ok(&in, "docx-ruby.docx", data, len), "地处重庆的山区。\n");
    sc_ingested_release(&in);
    free(data);
}

static const char *const fixtures[] = {
    "D01-01-basic-formal",       "D02-02-table",
    "D03-03-header-footer-page", "D04-04-image-seal",
    "D05-05-textbox-shape",      "D06-06-auto-numbering",
    "D07-07-toc-fields",         "D08-08-comments-revisions",
    "D09-demo_gongwen",          "D10-gongwen-format-requirements",
};

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void shared_fixtures(void **state)
{
    (void)state;
    const char *shared = t_shared();
    if (!shared)
        skip();
    struct sc_ingested in;
    sc_ingested_init(&in);
    for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
        char path[4400];
        snprintf(path, sizeof path, "%s/corpus/docx/%s.docx", shared, fixtures[i]);
        size_t len;
        char *data = t_read(path, &len);
        const char *t = t_ok(&in, path, data, len);
        free(data);
        assert_int_equal(in.format, SC_FORMAT_DOCX);
        assert_non_null(in.title_hint);
        t_golden(fixtures[i], in.text.data, in.text.len);
        switch (i) {
        case 0:
            assert_string_equal(in.title_hint, "关于开展格式检查工作的通知");
            assert_non_null(strstr(t, "关于开展格式检查工作的通知\n各部门：\n"));
            assert_non_null(strstr(t, "\n一、总体要求\n"));
            assert_non_null(strstr(t, "\n（一）加强审核\n"));
            break;
        case 1: /* the table: one line per row, cells by tabs */
            assert_non_null(strstr(t, "\n事项\t责任部门\t完成情况\n材料汇总\t办公室\t进行中\n"
                                      "格式检查\t综合处\t已完成\n备注\t\t含合并单元格\n"));
            break;
        case 2: /* headers and footers are not the document's text */
            assert_null(strstr(t, "内部资料"));
            assert_null(strstr(t, "页 / 共"));
            assert_non_null(strstr(t, "第二节用于检查多节文档的页面处理。"));
            break;
        case 3:
            assert_null(strstr(t, "seal-placeholder"));
            assert_non_null(strstr(t, "大小。\n图片下方正文继续保持原有顺序。"));
            break;
        case 4: /* the text box, exactly once */
            assert_int_equal(count(t, "文本框内文字"), 1);
            assert_non_null(strstr(t, "文本框内文字\n文本框之后的正文。"));
            break;
        case 5: /* Word's auto-numbering shows as labels */
            assert_non_null(strstr(t, "\n1.自动编号第一项\n2.自动编号第二项\n3.自动编号第三项\n"));
            assert_non_null(strstr(t, "\n一、手写编号也应作为正文文本保留"));
            break;
        case 6: /* field results kept, field codes gone */
            assert_null(strstr(t, "TOC"));
            assert_null(strstr(t, "\\o"));
            assert_null(strstr(t, "PAGEREF"));
            assert_null(strstr(t, "REF "));
            assert_null(strstr(t, "DATE"));
            assert_non_null(strstr(t, "生成日期：1\n"));
            assert_non_null(strstr(t, "交叉引用页码：1\n"));
            break;
        case 7: /* changes accepted, comments gone */
            assert_non_null(strstr(t, "插入的修订文字"));
            assert_null(strstr(t, "删除的修订文字"));
            assert_null(strstr(t, "批注占位"));
            assert_non_null(strstr(t, "本段将被插入批注锚点。\n"));
            break;
        case 8:
            assert_non_null(strstr(t, "\n序号\t项目名称\t数值\t备注\n1\t测试项目A\t100\t正常\n"));
            assert_null(strstr(t, "公文格式化示例文档")); /* header */
            assert_null(strstr(t, "— 1 —"));              /* footer page number */
            break;
        case 9:
            assert_string_equal(in.title_hint, "公文格式要求&参考文档");
            assert_non_null(strstr(t, "\n（一）三级“标题”123\n"));
            break;
        }
    }
    sc_ingested_release(&in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(alternate_content),
        cmocka_unit_test(duplicate_entries),
        cmocka_unit_test(footnotes_and_endnotes),
        cmocka_unit_test(not_a_word_document),
        cmocka_unit_test(ruby),
        cmocka_unit_test(paragraphs_runs_breaks),
        cmocka_unit_test(tables),
        cmocka_unit_test(text_boxes_once),
        cmocka_unit_test(tracked_changes),
        cmocka_unit_test(fields),
        cmocka_unit_test(numbering_gongwen),
        cmocka_unit_test(numbering_instances),
        cmocka_unit_test(numbering_from_styles),
        cmocka_unit_test(number_formats),
        cmocka_unit_test(title_hint),
        cmocka_unit_test(package_variants),
        cmocka_unit_test(refusals),
        cmocka_unit_test(entity_tricks),
        cmocka_unit_test(zip_bombs),
        cmocka_unit_test(encrypted_entry),
        cmocka_unit_test(deep_nesting),
        cmocka_unit_test(shared_fixtures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
