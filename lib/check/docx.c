/*
 * The 查重 report as a .docx: the rates, the per-section rates, the draft
 * with copied spans highlighted (yellow; 常用表述 grey) and numbered, and
 * the list of spans with their sources. A minimal WordprocessingML package
 * written with libzip (the 汇编 writer in lib/export lays out GB/T 9704
 * documents; a report needs none of that).
 */
#include "check/check_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* XML character data: & < > " escaped; C0 controls other than tab dropped. */
static void xml_text(struct sc_buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '&': sc_buf_adds(b, "&amp;"); break;
        case '<': sc_buf_adds(b, "&lt;"); break;
        case '>': sc_buf_adds(b, "&gt;"); break;
        case '"': sc_buf_adds(b, "&quot;"); break;
        default:
            if (c >= 0x20 || c == '\t')
                sc_buf_addc(b, (char)c);
        }
    }
}

/* One run; mark: 0 none, 1 copied, 2 common, 3 bold. */
static void run(struct sc_buf *b, const char *s, size_t len, int mark, int size)
{
    if (!len)
        return;
    sc_buf_adds(b, "<w:r><w:rPr>");
    if (mark == 3)
        sc_buf_adds(b, "<w:b/>");
    if (mark == 1)
        sc_buf_adds(b, "<w:highlight w:val=\"yellow\"/>");
    if (mark == 2)
        sc_buf_adds(b, "<w:highlight w:val=\"lightGray\"/>");
    if (size)
        sc_buf_addf(b, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>", size, size);
    sc_buf_adds(b, "</w:rPr><w:t xml:space=\"preserve\">");
    xml_text(b, s, len);
    sc_buf_adds(b, "</w:t></w:r>");
}

static void para(struct sc_buf *b, const char *s, int mark, int size)
{
    sc_buf_adds(b, "<w:p>");
    run(b, s, strlen(s), mark, size);
    sc_buf_adds(b, "</w:p>");
}

/* A stretch of text on one line, at most max code points. */
static void excerpt(struct sc_buf *b, const char *t, size_t s, size_t e, size_t max)
{
    size_t n = 0, i = s;
    while (i < e && n < max) {
        uint32_t cp;
        size_t k = sc_utf8_decode(t + i, e - i, &cp);
        i += k ? k : 1;
        n++;
    }
    struct sc_buf x = SC_BUF_INIT;
    for (size_t j = s; j < i; j++)
        sc_buf_addc(&x, t[j] == '\n' || t[j] == '\r' ? ' ' : t[j]);
    if (i < e)
        sc_buf_adds(&x, "…");
    run(b, x.data, x.len, 0, 0);
    sc_buf_release(&x);
}

static void document_xml(struct sc_buf *b, const char *text, size_t len,
                         const struct sc_check_result *r, const char *title)
{
    sc_buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                   "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/"
                   "2006/main\"><w:body>");
    struct sc_buf t = SC_BUF_INIT;
    sc_buf_adds(&t, "查重报告");
    if (title && *title)
        sc_buf_addf(&t, "：%s", title);
    para(b, t.data, 3, 36);
    sc_buf_reset(&t);
    sc_buf_addf(&t, "总重复率 %.1f%%（重复 %zu 字，共 %zu 字）", r->overlap * 100.0, r->copied,
                r->chars);
    para(b, t.data, 3, 28);
    sc_buf_reset(&t);
    sc_buf_addf(&t, "重复片段 %zu 处；常用表述 %zu 字（不计入重复率）；比对文献 %lld 篇", r->nspans,
                r->common, (long long)r->ndocs);
    para(b, t.data, 0, 0);
    if (r->nsections) {
        para(b, "分节重复率", 3, 0);
        for (size_t i = 0; i < r->nsections; i++) {
            const struct sc_check_section *s = &r->sections[i];
            sc_buf_reset(&t);
            for (int l = 1; l < s->level; l++)
                sc_buf_adds(&t, "　");
            sc_buf_addf(&t, "%s%s　%.1f%%", s->label, s->heading, s->overlap * 100.0);
            para(b, t.data, 0, 0);
        }
    }
    para(b, "正文（黄色为重复，灰色为常用表述，［n］为片段编号）", 3, 0);
    /* the draft, one paragraph a line, spans highlighted */
    size_t si = 0, at = 0;
    sc_buf_adds(b, "<w:p>");
    while (at <= len) {
        size_t nl = at;
        while (nl < len && text[nl] != '\n')
            nl++;
        size_t i = at;
        while (i < nl) {
            while (si < r->nspans && r->spans[si].end <= i)
                si++;
            const struct sc_check_span *sp = si < r->nspans ? &r->spans[si] : NULL;
            if (sp && sp->start <= i) {
                size_t e = sp->end < nl ? sp->end : nl;
                if (i == sp->start) {
                    char num[32];
                    snprintf(num, sizeof num, "［%zu］", si + 1);
                    run(b, num, strlen(num), 0, 16);
                }
                run(b, text + i, e - i, sp->common ? 2 : 1, 0);
                i = e;
            } else {
                size_t e = sp && sp->start < nl ? sp->start : nl;
                run(b, text + i, e - i, 0, 0);
                i = e;
            }
        }
        if (nl >= len)
            break;
        sc_buf_adds(b, "</w:p><w:p>");
        at = nl + 1;
    }
    sc_buf_adds(b, "</w:p>");
    para(b, "重复片段及来源", 3, 0);
    for (size_t i = 0; i < r->nspans; i++) {
        const struct sc_check_span *sp = &r->spans[i];
        sc_buf_adds(b, "<w:p>");
        sc_buf_reset(&t);
        sc_buf_addf(&t, "［%zu］%s", i + 1, sp->common ? "（常用表述）" : "");
        run(b, t.data, t.len, 3, 0);
        excerpt(b, text, sp->start, sp->end, 40);
        sc_buf_reset(&t);
        sc_buf_addf(&t, "（%lld 篇文献中有）", (long long)sp->docs);
        run(b, t.data, t.len, 0, 0);
        sc_buf_adds(b, "</w:p>");
        for (size_t k = 0; k < sp->nsources; k++) {
            const struct sc_check_source *s = &sp->sources[k];
            sc_buf_reset(&t);
            sc_buf_addf(&t, "　来源：%s", s->title ? s->title : "");
            if (s->section && *s->section)
                sc_buf_addf(&t, " › %s", s->section);
            sc_buf_addf(&t, "（第 %lld 段）%s", (long long)s->paragraph,
                        s->paid ? "（会员内容）" : "");
            para(b, t.data, 0, 0);
        }
    }
    if (r->npaid_only) { /* one line a document: no place, no text */
        para(b, "会员内容中另有相同表述", 3, 0);
        for (size_t i = 0; i < r->npaid_only; i++) {
            sc_buf_reset(&t);
            sc_buf_addf(&t, "　%s", r->paid_only[i].title ? r->paid_only[i].title : "");
            para(b, t.data, 0, 0);
        }
    }
    sc_buf_release(&t);
    sc_buf_adds(b, "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1440\" "
                   "w:right=\"1440\" w:bottom=\"1440\" w:left=\"1440\" w:header=\"720\" "
                   "w:footer=\"720\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>");
}

static const char CONTENT_TYPES[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/"
    "vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "</Types>";

static const char RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";

enum sc_err sc_check_docx(const char *text, size_t len, const struct sc_check_result *r,
                          const char *title, struct sc_buf *out, struct sc_diag *diag)
{
    struct sc_buf doc = SC_BUF_INIT;
    document_xml(&doc, text ? text : "", text ? len : 0, r, title);
    if (sc_buf_err(&doc) != SC_OK) {
        sc_buf_release(&doc);
        return sc_diag_set(diag, SC_ENOMEM, "out of memory writing the report");
    }
    struct {
        const char *name;
        const char *data;
        size_t len;
    } parts[] = { { "[Content_Types].xml", CONTENT_TYPES, sizeof CONTENT_TYPES - 1 },
                  { "_rels/.rels", RELS, sizeof RELS - 1 },
                  { "word/document.xml", doc.data, doc.len } };
    enum sc_err e = SC_OK;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *za = mem ? zip_open_from_source(mem, ZIP_TRUNCATE, &ze) : NULL;
    if (!za) {
        if (mem)
            zip_source_free(mem);
        e = sc_diag_set(diag, SC_ENOMEM, "report: cannot make the archive: %s",
                        zip_error_strerror(&ze));
        goto done;
    }
    zip_source_keep(mem); /* read back after zip_close */
    for (size_t k = 0; k < sizeof parts / sizeof *parts && e == SC_OK; k++) {
        zip_source_t *src = zip_source_buffer(za, parts[k].data, parts[k].len, 0);
        if (!src || zip_file_add(za, parts[k].name, src, ZIP_FL_ENC_UTF_8) < 0) {
            if (src)
                zip_source_free(src);
            e = sc_diag_set(diag, SC_ENOMEM, "report: %s: %s", parts[k].name, zip_strerror(za));
        }
    }
    if (e != SC_OK) {
        zip_discard(za);
        zip_source_free(mem);
        goto done;
    }
    if (zip_close(za) < 0) {
        e = sc_diag_set(diag, SC_ENOMEM, "report: %s", zip_strerror(za));
        zip_discard(za);
        zip_source_free(mem);
        goto done;
    }
    zip_stat_t st;
    if (zip_source_open(mem) < 0) {
        e = sc_diag_set(diag, SC_ENOMEM, "report: cannot read the archive back");
    } else {
        if (zip_source_stat(mem, &st) < 0 || !(st.valid & ZIP_STAT_SIZE)) {
            e = sc_diag_set(diag, SC_ENOMEM, "report: cannot read the archive back");
        } else {
            size_t at = out->len;
            if (sc_buf_grow(out, (size_t)st.size) != SC_OK ||
                zip_source_read(mem, out->data + at, st.size) != (zip_int64_t)st.size) {
                e = sc_diag_set(diag, SC_ENOMEM, "report: out of memory");
            } else {
                out->len = at + (size_t)st.size;
                out->data[out->len] = '\0';
            }
        }
        zip_source_close(mem);
    }
    zip_source_free(mem);
done:
    sc_buf_release(&doc);
    return e;
}
