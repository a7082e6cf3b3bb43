/*
 * The entry point of lib/export, sc_compile() (documents in, file out),
 * and the small helpers the CLI and the server share (formats, content types,
 * download file names).
 */
#include "export_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void sc_compile_info_release(struct sc_compile_info *info)
{
    if (!info)
        return;
    free(info->title);
    free(info->first_page);
    memset(info, 0, sizeof *info);
}

static enum sc_err fill_info(const struct sc_ex_plan *p, struct sc_compile_info *info)
{
    memset(info, 0, sizeof *info);
    info->title = sc_strndup(p->title, p->title_len);
    info->first_page = sc_calloc(p->ndocs, sizeof *info->first_page);
    if (!info->title || !info->first_page) {
        sc_compile_info_release(info);
        return SC_ENOMEM;
    }
    memcpy(info->first_page, p->first_page, p->ndocs * sizeof *info->first_page);
    info->ndocs = p->ndocs;
    info->pages = p->pages;
    info->toc_pages = p->single ? 0 : p->toc_pages;
    info->omitted_chars = p->omitted_chars;
    info->omitted_docs = p->omitted_docs;
    return SC_OK;
}

enum sc_err sc_compile(const struct sc_doc *const *docs, size_t n,
                       const struct sc_compile_opts *opts, struct sc_buf *out,
                       struct sc_compile_info *info, struct sc_diag *diag)
{
    static const struct sc_compile_opts defaults = { 0 };
    if (!opts)
        opts = &defaults;
    if (info)
        memset(info, 0, sizeof *info);
    if (!docs && n)
        return sc_diag_set(diag, SC_EINVAL, "compile: no documents");
    struct sc_ex_plan plan;
    memset(&plan, 0, sizeof plan);
    enum sc_err err = sc_ex_plan_build(&plan, docs, n, opts, diag);
    if (err != SC_OK)
        return err;
    size_t mark = out->len;
    switch (opts->format) {
    case SC_EXPORT_DOCX: err = sc_ex_write_docx(&plan, opts, out, diag); break;
    case SC_EXPORT_TXT: err = sc_ex_write_txt(&plan, out); break;
    case SC_EXPORT_MD: err = sc_ex_write_md(&plan, out); break;
    default: err = sc_diag_set(diag, SC_EINVAL, "compile: unknown format %d", (int)opts->format);
    }
    if (err == SC_OK && sc_buf_err(out) != SC_OK)
        err = SC_ENOMEM;
    if (err == SC_OK && info)
        err = fill_info(&plan, info);
    if (err != SC_OK) {
        sc_diag_set(diag, err, "compile: %s", sc_strerror(err));
        if (!out->failed && out->len != mark) { /* take back a partial file */
            out->len = mark;
            out->data[mark] = '\0';
        }
    }
    sc_ex_plan_release(&plan);
    return err;
}

/* ---- formats and names ---- */

const char *sc_export_format_name(enum sc_export_format f)
{
    switch (f) {
    case SC_EXPORT_DOCX: return "docx";
    case SC_EXPORT_TXT: return "txt";
    case SC_EXPORT_MD: return "md";
    }
    return "docx";
}

const char *sc_export_content_type(enum sc_export_format f)
{
    switch (f) {
    case SC_EXPORT_DOCX:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    case SC_EXPORT_TXT: return "text/plain; charset=utf-8";
    case SC_EXPORT_MD: return "text/markdown; charset=utf-8";
    }
    return "application/octet-stream";
}

int sc_export_format_parse(const char *name, enum sc_export_format *out)
{
    if (!name)
        return -1;
    if (name[0] == '.')
        name++;
    if (!strcasecmp(name, "docx") || !strcasecmp(name, "word"))
        *out = SC_EXPORT_DOCX;
    else if (!strcasecmp(name, "txt") || !strcasecmp(name, "text"))
        *out = SC_EXPORT_TXT;
    else if (!strcasecmp(name, "md") || !strcasecmp(name, "markdown"))
        *out = SC_EXPORT_MD;
    else
        return -1;
    return 0;
}

int sc_export_format_from_path(const char *path, enum sc_export_format *out)
{
    if (!path)
        return -1;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return -1;
    return sc_export_format_parse(dot + 1, out);
}

void sc_export_file_name(const char *title, enum sc_export_format f, struct sc_buf *out)
{
    size_t len = title ? strlen(title) : 0, i = 0, cps = 0;
    const char *s = title ? sc_ex_trim(title, &len) : "";
    size_t start = out->len;
    while (i < len && cps < 80) {
        uint32_t c;
        size_t k = sc_utf8_decode(s + i, len - i, &c);
        if (k == 0) {
            k = 1;
            c = '_';
        }
        if (c < 0x20 || c == 0x7F || strchr("/\\:*?\"<>|", (int)(c < 0x80 ? c : 1)) != NULL)
            sc_buf_addc(out, '_');
        else
            sc_buf_add(out, s + i, k);
        i += k;
        cps++;
    }
    /* no hidden files, no "." or "..": a leading dot becomes '_' */
    size_t dots = 0;
    while (start + dots < out->len && out->data[start + dots] == '.')
        dots++;
    if (!out->failed && start + dots == out->len) {
        if (out->len != start) {
            out->len = start;
            out->data[start] = '\0';
        }
        sc_buf_adds(out, "汇编");
    } else if (dots && !out->failed) {
        out->data[start] = '_';
    }
    sc_buf_addf(out, ".%s", sc_export_format_name(f));
}
