/*
 * The .docx writer: WordprocessingML parts built as text (every piece of
 * document text goes through sc_ex_xml_escape) and zipped in memory with
 * libzip, deflated. Layout per GB/T 9704-2012 (numbers in export_int.h):
 * real heading styles with outline levels, every article on a new page
 * (pageBreakBefore on Heading 1), a TOC field whose result carries the
 * page numbers of the plan, footers "— N —" right on odd pages and left on
 * even ones. Fonts are named, never embedded; fontTable.xml gives the
 * usual Windows alternates.
 */
#include "export_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <zip.h>

#define NS_W     "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R     "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL      "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define CT_WML   "application/vnd.openxmlformats-officedocument.wordprocessingml."

/* The fonts of GB/T 9704 and what Word substitutes when they are missing. */
#define F_BODY  "仿宋_GB2312"
#define F_TITLE "方正小标宋简体"
#define F_H1    "黑体"
#define F_H2    "楷体_GB2312"
#define F_PAGE  "宋体"
#define F_LATIN "Times New Roman"

enum part_index {
    P_TYPES,
    P_RELS,
    P_CORE,
    P_APP,
    P_DOC_RELS,
    P_DOCUMENT,
    P_STYLES,
    P_SETTINGS,
    P_FONTS,
    P_FOOTER_ODD,
    P_FOOTER_EVEN,
};

static const char *const part_names[SC_EX_NPARTS] = {
    "[Content_Types].xml",          "_rels/.rels",       "docProps/core.xml", "docProps/app.xml",
    "word/_rels/document.xml.rels", "word/document.xml", "word/styles.xml",   "word/settings.xml",
    "word/fontTable.xml",           "word/footer1.xml",  "word/footer2.xml",
};

/* Chinese in font, Latin letters and digits in Times New Roman; the hint
 * sets quotes, dashes and ellipses with the Chinese font (full width). */
static void fonts_attr(struct sc_buf *b, const char *font)
{
    sc_buf_addf(b,
                "<w:rFonts w:ascii=\"%s\" w:eastAsia=\"%s\" w:hAnsi=\"%s\" w:cs=\"%s\""
                " w:hint=\"eastAsia\"/>",
                F_LATIN, font, F_LATIN, F_LATIN);
}

/* ---- package plumbing ---- */

static void write_types(struct sc_buf *b)
{
    sc_buf_adds(
        b, XML_DECL
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        "<Override PartName=\"/word/document.xml\" ContentType=\"" CT_WML "document.main+xml\"/>"
        "<Override PartName=\"/word/styles.xml\" ContentType=\"" CT_WML "styles+xml\"/>"
        "<Override PartName=\"/word/settings.xml\" ContentType=\"" CT_WML "settings+xml\"/>"
        "<Override PartName=\"/word/fontTable.xml\" ContentType=\"" CT_WML "fontTable+xml\"/>"
        "<Override PartName=\"/word/footer1.xml\" ContentType=\"" CT_WML "footer+xml\"/>"
        "<Override PartName=\"/word/footer2.xml\" ContentType=\"" CT_WML "footer+xml\"/>"
        "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
        "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
        "</Types>");
}

static void write_rels(struct sc_buf *b)
{
    sc_buf_adds(
        b, XML_DECL
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"" REL "officeDocument\" Target=\"word/document.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
        "<Relationship Id=\"rId3\" Type=\"" REL
        "extended-properties\" Target=\"docProps/app.xml\"/>"
        "</Relationships>");
}

static void write_doc_rels(struct sc_buf *b)
{
    sc_buf_adds(
        b, XML_DECL
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"" REL "styles\" Target=\"styles.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"" REL "settings\" Target=\"settings.xml\"/>"
        "<Relationship Id=\"rId3\" Type=\"" REL "fontTable\" Target=\"fontTable.xml\"/>"
        "<Relationship Id=\"rId4\" Type=\"" REL "footer\" Target=\"footer1.xml\"/>"
        "<Relationship Id=\"rId5\" Type=\"" REL "footer\" Target=\"footer2.xml\"/>"
        "</Relationships>");
}

static void write_core(struct sc_buf *b, const struct sc_ex_plan *p, int64_t created)
{
    sc_buf_adds(
        b, XML_DECL
        "<cp:coreProperties"
        " xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\""
        " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\""
        " xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\""
        " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>");
    sc_ex_xml_escape(b, p->title, p->title_len);
    sc_buf_adds(b, "</dc:title><dc:creator>sucai</dc:creator><dc:language>zh-CN</dc:language>");
    if (created > 0) {
        time_t t = (time_t)created;
        struct tm tm;
        char when[32];
        if (gmtime_r(&t, &tm) && strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
            sc_buf_addf(b,
                        "<dcterms:created xsi:type=\"dcterms:W3CDTF\">%s</dcterms:created>"
                        "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">%s</dcterms:modified>",
                        when, when);
        }
    }
    sc_buf_adds(b, "</cp:coreProperties>");
}

static void write_app(struct sc_buf *b, const struct sc_ex_plan *p)
{
    sc_buf_addf(
        b,
        XML_DECL
        "<Properties"
        " xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\""
        " xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">"
        "<Application>sucai</Application><Pages>%d</Pages></Properties>",
        p->pages);
}

static void write_fonts(struct sc_buf *b)
{
    /* name, alternate, charset (86 = GB2312), family, pitch */
    static const char *const fonts[][5] = {
        { F_BODY, "FangSong", "86", "roman", "fixed" },
        { F_TITLE, "STZhongsong", "86", "roman", "variable" },
        { F_H1, "SimHei", "86", "swiss", "fixed" },
        { F_H2, "KaiTi", "86", "roman", "fixed" },
        { F_PAGE, "SimSun", "86", "roman", "variable" },
        { F_LATIN, "Liberation Serif", "00", "roman", "variable" },
    };
    sc_buf_adds(b, XML_DECL "<w:fonts xmlns:w=\"" NS_W "\">");
    for (size_t k = 0; k < sizeof fonts / sizeof fonts[0]; k++)
        sc_buf_addf(b,
                    "<w:font w:name=\"%s\"><w:altName w:val=\"%s\"/><w:charset w:val=\"%s\"/>"
                    "<w:family w:val=\"%s\"/><w:pitch w:val=\"%s\"/></w:font>",
                    fonts[k][0], fonts[k][1], fonts[k][2], fonts[k][3], fonts[k][4]);
    sc_buf_adds(b, "</w:fonts>");
}

static void write_settings(struct sc_buf *b)
{
    sc_buf_adds(b, XML_DECL
                "<w:settings xmlns:w=\"" NS_W "\">"
                "<w:zoom w:percent=\"100\"/>"
                "<w:defaultTabStop w:val=\"420\"/>"
                "<w:evenAndOddHeaders/>"
                "<w:characterSpacingControl w:val=\"doNotCompress\"/>"
                "<w:compat><w:compatSetting w:name=\"compatibilityMode\""
                " w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
                "<w:themeFontLang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/>"
                "<w:decimalSymbol w:val=\".\"/><w:listSeparator w:val=\",\"/>"
                "</w:settings>");
}

/* ---- styles ---- */

static void style_open(struct sc_buf *b, const char *type, const char *id, const char *name,
                       const char *based_on, const char *next)
{
    sc_buf_addf(b, "<w:style w:type=\"%s\" w:styleId=\"%s\"><w:name w:val=\"%s\"/>", type, id,
                name);
    if (based_on)
        sc_buf_addf(b, "<w:basedOn w:val=\"%s\"/>", based_on);
    if (next)
        sc_buf_addf(b, "<w:next w:val=\"%s\"/>", next);
    sc_buf_adds(b, "<w:qFormat/>");
}

/* A title paragraph (the 汇编's title and each article's): 2号 方正小标宋,
 * centred, off the character grid, one exact line each, a blank line after. */
#define TITLE_PPR                                                                                 \
    "<w:snapToGrid w:val=\"0\"/><w:spacing w:after=\"579\" w:line=\"579\" w:lineRule=\"exact\"/>" \
    "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/>"

static void write_styles(struct sc_buf *b)
{
    sc_buf_adds(b, XML_DECL "<w:styles xmlns:w=\"" NS_W "\"><w:docDefaults><w:rPrDefault><w:rPr>");
    fonts_attr(b, F_BODY);
    sc_buf_adds(b, "<w:kern w:val=\"2\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>"
                   "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/>"
                   "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl w:val=\"0\"/>");
    sc_buf_addf(b,
                "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"%d\" w:lineRule=\"exact\"/>"
                "<w:jc w:val=\"both\"/></w:pPr></w:pPrDefault></w:docDefaults>",
                SC_EX_LINE_PITCH);

    /* body: 3号 仿宋, first line indented two characters */
    sc_buf_adds(
        b,
        "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
        "<w:name w:val=\"Normal\"/><w:qFormat/><w:pPr>"
        "<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/></w:pPr>"
        /* the size again here: LibreOffice sizes the character
         * grid from the Normal style, not from docDefaults */
        "<w:rPr><w:spacing w:val=\"-5\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr></w:style>"
        "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\">"
        "<w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/>"
        "<w:semiHidden/><w:unhideWhenUsed/></w:style>");

    style_open(b, "paragraph", "Title", "Title", "Normal", "Normal");
    sc_buf_adds(b, "<w:pPr>" TITLE_PPR "</w:pPr><w:rPr>");
    fonts_attr(b, F_TITLE);
    sc_buf_adds(b, "<w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/></w:rPr></w:style>");

    /* Heading 1: an article's title; starts a page; what the 目录 lists */
    style_open(b, "paragraph", "Heading1", "heading 1", "Normal", "Normal");
    sc_buf_adds(b, "<w:pPr><w:keepNext/><w:pageBreakBefore/>" TITLE_PPR
                   "<w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr>");
    fonts_attr(b, F_TITLE);
    sc_buf_adds(b, "<w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/></w:rPr></w:style>");

    /* Heading 2-5: the 公文 levels 一、 （一） 1. （1） */
    static const char *const hfont[4] = { F_H1, F_H2, F_BODY, F_BODY };
    for (int l = 0; l < 4; l++) {
        char id[32], name[32];
        snprintf(id, sizeof id, "Heading%d", l + 2);
        snprintf(name, sizeof name, "heading %d", l + 2);
        style_open(b, "paragraph", id, name, "Normal", "Normal");
        sc_buf_addf(b, "<w:pPr><w:outlineLvl w:val=\"%d\"/></w:pPr><w:rPr>", l + 1);
        fonts_attr(b, hfont[l]);
        sc_buf_adds(b, "</w:rPr></w:style>");
        /* the same font for a heading that runs into its paragraph */
        snprintf(id, sizeof id, "Heading%dChar", l + 2);
        snprintf(name, sizeof name, "Heading %d Char", l + 2);
        style_open(b, "character", id, name, "DefaultParagraphFont", NULL);
        sc_buf_adds(b, "<w:rPr>");
        fonts_attr(b, hfont[l]);
        sc_buf_adds(b, "</w:rPr></w:style>");
    }

    style_open(b, "paragraph", "TOCHeading", "TOC Heading", "Normal", "Normal");
    sc_buf_adds(
        b, "<w:pPr><w:spacing w:after=\"579\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>"
           "<w:jc w:val=\"center\"/></w:pPr><w:rPr>");
    fonts_attr(b, F_H1);
    sc_buf_adds(b, "</w:rPr></w:style>");

    style_open(b, "paragraph", "TOC1", "toc 1", "Normal", "Normal");
    sc_buf_addf(b,
                "<w:pPr><w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" w:pos=\"%d\"/></w:tabs>"
                "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/></w:pPr></w:style>",
                SC_EX_TEXT_W);

    style_open(b, "paragraph", "SucaiNote", "sucai note", "Normal", "Normal");
    sc_buf_adds(b, "<w:rPr>");
    fonts_attr(b, F_H2);
    sc_buf_adds(b, "</w:rPr></w:style>");

    /* footer: 4号 宋体 page numbers */
    style_open(b, "paragraph", "Footer", "footer", "Normal", NULL);
    sc_buf_adds(b,
                "<w:pPr><w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"240\" w:lineRule=\"auto\"/>"
                "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/></w:pPr><w:rPr>"
                "<w:rFonts w:ascii=\"" F_PAGE "\" w:eastAsia=\"" F_PAGE "\" w:hAnsi=\"" F_PAGE
                "\" w:cs=\"" F_PAGE "\"/><w:spacing w:val=\"0\"/>");
    sc_buf_adds(b, "<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr></w:style>");
    sc_buf_adds(b, "</w:styles>");
}

/* ---- footers: "— N —", outer side, one character in from the margin ---- */

static void write_footer(struct sc_buf *b, int odd)
{
    sc_buf_addf(b,
                XML_DECL "<w:ftr xmlns:w=\"" NS_W "\"><w:p><w:pPr><w:pStyle w:val=\"Footer\"/>"
                         "<w:ind w:%s=\"280\"/><w:jc w:val=\"%s\"/></w:pPr>"
                         "<w:r><w:t xml:space=\"preserve\">— </w:t></w:r>"
                         "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
                         "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
                         "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
                         "<w:r><w:t>%d</w:t></w:r>"
                         "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
                         "<w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>",
                odd ? "right" : "left", odd ? "right" : "left", odd ? 1 : 2);
}

/* ---- the document ---- */

/* One run of text (tabs become <w:tab/>); rstyle may be NULL. */
static void put_run(struct sc_buf *b, const char *rstyle, const char *s, size_t len)
{
    if (len == 0)
        return;
    sc_buf_adds(b, "<w:r>");
    if (rstyle)
        sc_buf_addf(b, "<w:rPr><w:rStyle w:val=\"%s\"/></w:rPr>", rstyle);
    size_t i = 0;
    while (i < len) {
        const char *tab = memchr(s + i, '\t', len - i);
        size_t e = tab ? (size_t)(tab - s) : len;
        if (e > i) {
            sc_buf_adds(b, "<w:t xml:space=\"preserve\">");
            sc_ex_xml_escape(b, s + i, e - i);
            sc_buf_adds(b, "</w:t>");
        }
        if (tab) {
            sc_buf_adds(b, "<w:tab/>");
            e++;
        }
        i = e;
    }
    sc_buf_adds(b, "</w:r>");
}

static void put_para(struct sc_buf *b, const char *pstyle, const char *s, size_t len)
{
    sc_buf_adds(b, "<w:p>");
    if (pstyle)
        sc_buf_addf(b, "<w:pPr><w:pStyle w:val=\"%s\"/></w:pPr>", pstyle);
    put_run(b, NULL, s, len);
    sc_buf_adds(b, "</w:p>");
}

#define BOOKMARK_BASE 100000000L

static void put_toc_entry(struct sc_buf *b, const struct sc_ex_plan *p,
                          const struct sc_ex_block *blk, int first, int last)
{
    long bm = BOOKMARK_BASE + (long)blk->doc + 1;
    sc_buf_adds(b, "<w:p><w:pPr><w:pStyle w:val=\"TOC1\"/></w:pPr>");
    if (first)
        sc_buf_adds(
            b,
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
            "<w:r><w:instrText xml:space=\"preserve\"> TOC \\o &quot;1-1&quot; \\h \\z \\u </w:instrText></w:r>"
            "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>");
    sc_buf_addf(b, "<w:hyperlink w:anchor=\"_Toc%ld\" w:history=\"1\">", bm);
    put_run(b, NULL, blk->text, blk->len);
    sc_buf_addf(b,
                "<w:r><w:tab/></w:r>"
                "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
                "<w:r><w:instrText xml:space=\"preserve\"> PAGEREF _Toc%ld \\h </w:instrText></w:r>"
                "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
                "<w:r><w:t>%d</w:t></w:r>"
                "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:hyperlink>",
                bm, p->first_page[blk->doc]);
    if (last)
        sc_buf_adds(b, "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>");
    sc_buf_adds(b, "</w:p>");
}

static void write_document(struct sc_buf *b, const struct sc_ex_plan *p)
{
    sc_buf_adds(b, XML_DECL "<w:document xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\"><w:body>");
    int first_entry = 1;
    for (size_t k = 0; k < p->nblocks; k++) {
        const struct sc_ex_block *blk = &p->blocks[k];
        switch (blk->kind) {
        case SC_EX_TITLE: put_para(b, "Title", blk->text, blk->len); break;
        case SC_EX_TOC_HEADING: put_para(b, "TOCHeading", blk->text, blk->len); break;
        case SC_EX_TOC_ENTRY: {
            int last = k + 1 == p->nblocks || p->blocks[k + 1].kind != SC_EX_TOC_ENTRY;
            put_toc_entry(b, p, blk, first_entry, last);
            first_entry = 0;
            break;
        }
        case SC_EX_ART_TITLE: {
            long bm = BOOKMARK_BASE + (long)blk->doc + 1;
            sc_buf_adds(b, "<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/>");
            if (k == 0) /* nothing before it: no page to break from */
                sc_buf_adds(b, "<w:pageBreakBefore w:val=\"0\"/>");
            sc_buf_addf(b, "</w:pPr><w:bookmarkStart w:id=\"%zu\" w:name=\"_Toc%ld\"/>",
                        blk->doc + 1, bm);
            put_run(b, NULL, blk->text, blk->len);
            sc_buf_addf(b, "<w:bookmarkEnd w:id=\"%zu\"/></w:p>", blk->doc + 1);
            break;
        }
        case SC_EX_HEADING: {
            char style[32];
            snprintf(style, sizeof style, "Heading%d", blk->level + 1);
            put_para(b, style, blk->text, blk->len);
            break;
        }
        case SC_EX_PARA:
            sc_buf_adds(b, "<w:p>");
            if (blk->head_len && blk->level <= 2) {
                char style[32];
                snprintf(style, sizeof style, "Heading%dChar", blk->level + 1);
                put_run(b, style, blk->text, blk->head_len);
                put_run(b, NULL, blk->text + blk->head_len, blk->len - blk->head_len);
            } else {
                put_run(b, NULL, blk->text, blk->len);
            }
            sc_buf_adds(b, "</w:p>");
            break;
        case SC_EX_NOTE: {
            struct sc_buf note = SC_BUF_INIT;
            sc_ex_note_text(&note, blk);
            if (sc_buf_err(&note) != SC_OK)
                b->failed = 1;
            put_para(b, "SucaiNote", note.data, note.len);
            sc_buf_release(&note);
            break;
        }
        }
    }
    sc_buf_addf(b,
                "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId4\"/>"
                "<w:footerReference w:type=\"even\" r:id=\"rId5\"/>"
                "<w:pgSz w:w=\"%d\" w:h=\"%d\"/>"
                "<w:pgMar w:top=\"%d\" w:right=\"%d\" w:bottom=\"%d\" w:left=\"%d\""
                " w:header=\"851\" w:footer=\"%d\" w:gutter=\"0\"/>"
                "<w:cols w:space=\"425\"/>"
                "<w:docGrid w:type=\"lines\" w:linePitch=\"%d\"/>"
                "</w:sectPr></w:body></w:document>",
                SC_EX_PAGE_W, SC_EX_PAGE_H, SC_EX_MARGIN_TOP, SC_EX_MARGIN_RIGHT,
                SC_EX_MARGIN_BOTTOM, SC_EX_MARGIN_LEFT, SC_EX_FOOTER, SC_EX_LINE_PITCH);
}

void sc_ex_docx_parts_release(struct sc_ex_part parts[SC_EX_NPARTS])
{
    for (int k = 0; k < SC_EX_NPARTS; k++)
        sc_buf_release(&parts[k].xml);
}

enum sc_err sc_ex_docx_parts(const struct sc_ex_plan *p, const struct sc_compile_opts *opts,
                             struct sc_ex_part parts[SC_EX_NPARTS])
{
    for (int k = 0; k < SC_EX_NPARTS; k++) {
        parts[k].name = part_names[k];
        sc_buf_init(&parts[k].xml);
    }
    write_types(&parts[P_TYPES].xml);
    write_rels(&parts[P_RELS].xml);
    write_core(&parts[P_CORE].xml, p, opts->created);
    write_app(&parts[P_APP].xml, p);
    write_doc_rels(&parts[P_DOC_RELS].xml);
    write_document(&parts[P_DOCUMENT].xml, p);
    write_styles(&parts[P_STYLES].xml);
    write_settings(&parts[P_SETTINGS].xml);
    write_fonts(&parts[P_FONTS].xml);
    write_footer(&parts[P_FOOTER_ODD].xml, 1);
    write_footer(&parts[P_FOOTER_EVEN].xml, 0);
    for (int k = 0; k < SC_EX_NPARTS; k++)
        if (sc_buf_err(&parts[k].xml) != SC_OK) {
            sc_ex_docx_parts_release(parts);
            return SC_ENOMEM;
        }
    return SC_OK;
}

/* ---- the zip ---- */

#define FIXED_MTIME ((time_t)1704067200) /* 2024-01-01, when no time is given */

static enum sc_err zip_fail(struct sc_diag *diag, const char *what, zip_error_t *ze)
{
    enum sc_err err = zip_error_code_zip(ze) == ZIP_ER_MEMORY ? SC_ENOMEM : SC_EIO;
    sc_diag_set(diag, err, "docx: %s: %s", what, zip_error_strerror(ze));
    return err;
}

enum sc_err sc_ex_write_docx(const struct sc_ex_plan *p, const struct sc_compile_opts *opts,
                             struct sc_buf *out, struct sc_diag *diag)
{
    struct sc_ex_part parts[SC_EX_NPARTS];
    enum sc_err err = sc_ex_docx_parts(p, opts, parts);
    if (err != SC_OK)
        return sc_diag_set(diag, err, "docx: out of memory");

    zip_error_t ze;
    zip_error_init(&ze);
    zip_t *za = NULL;
    zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!mem) {
        err = zip_fail(diag, "buffer", &ze);
        goto out;
    }
    za = zip_open_from_source(mem, ZIP_TRUNCATE, &ze);
    if (!za) {
        err = zip_fail(diag, "open", &ze);
        zip_source_free(mem);
        mem = NULL;
        goto out;
    }
    zip_source_keep(mem); /* read the archive back after zip_close */
    time_t mtime = opts->created > 0 ? (time_t)opts->created : FIXED_MTIME;
    for (int k = 0; k < SC_EX_NPARTS; k++) {
        zip_source_t *src = zip_source_buffer(za, parts[k].xml.data, parts[k].xml.len, 0);
        zip_int64_t idx = src ? zip_file_add(za, parts[k].name, src, ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0) {
            if (src)
                zip_source_free(src);
            err = zip_fail(diag, parts[k].name, zip_get_error(za));
            goto out;
        }
        if (zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 0) < 0 ||
            zip_file_set_mtime(za, (zip_uint64_t)idx, mtime, 0) < 0) {
            err = zip_fail(diag, parts[k].name, zip_get_error(za));
            goto out;
        }
    }
    if (zip_close(za) < 0) {
        err = zip_fail(diag, "write", zip_get_error(za));
        goto out;
    }
    za = NULL;

    zip_stat_t st;
    if (zip_source_open(mem) < 0) {
        err = zip_fail(diag, "read back", zip_source_error(mem));
        goto out;
    }
    if (zip_source_stat(mem, &st) < 0 || !(st.valid & ZIP_STAT_SIZE)) {
        err = zip_fail(diag, "read back", zip_source_error(mem));
        zip_source_close(mem);
        goto out;
    }
    if (sc_buf_grow(out, (size_t)st.size) != SC_OK) {
        zip_source_close(mem);
        err = sc_diag_set(diag, SC_ENOMEM, "docx: output of %llu bytes too large",
                          (unsigned long long)st.size);
        goto out;
    }
    zip_int64_t got = zip_source_read(mem, out->data + out->len, st.size);
    zip_source_close(mem);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        err = zip_fail(diag, "read back", zip_source_error(mem));
        goto out;
    }
    out->len += (size_t)got;
    out->data[out->len] = '\0';
out:
    if (za)
        zip_discard(za);
    if (mem)
        zip_source_free(mem);
    zip_error_fini(&ze);
    sc_ex_docx_parts_release(parts);
    return err;
}
