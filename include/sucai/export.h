/*
 * 汇编 and export: compile documents into one file laid out like a printed
 * compilation: a title, a 目录 with page numbers, then every article on a
 * new page. Three formats:
 *  - .docx: GB/T 9704-2012 layout (A4, 22 lines x 28 characters, 仿宋 body,
 *    黑体 / 楷体 headings, page numbers "— N —" in the footer), real Word
 *    heading styles, and a 目录 that is a Word TOC field whose result holds
 *    page numbers computed by sucai's own pagination of that layout;
 *  - .txt: title, 目录 ("title<TAB>page" lines), the articles (the shape of
 *    the 汇编 files writers already have);
 *  - .md: the same structure in Markdown.
 * The page numbers in all three are those of the .docx layout.
 *
 * sc_compile() is pure (no store, no I/O): it takes documents and appends
 * the file to a caller-owned struct sc_buf. sc_compile_ids() and
 * sc_compile_query() fetch documents from a library first. See
 * docs/internals/export.md for the layout numbers and the pagination model.
 */
#ifndef SUCAI_EXPORT_H
#define SUCAI_EXPORT_H

#include "base.h"
#include "library.h"
#include "members.h"

#define SC_MAX_COMPILE_DOCS  1000 /* documents in one 汇编 */
#define SC_MAX_COMPILE_TITLE 600  /* bytes of a title given by the caller */

enum sc_export_format {
    SC_EXPORT_DOCX = 0,
    SC_EXPORT_TXT,
    SC_EXPORT_MD,
};

struct sc_compile_opts {
    enum sc_export_format format;
    const char *title; /* NULL or "" = sc_compile_default_title() */
    int entitled;      /* 0 (the default) leaves every paid range out and
                        * says so in a line; 1 includes the full text */
    int single;        /* one document on its own (`sucai export`): no
                        * title page and no 目录, the article's title is the
                        * file's title */
    int64_t created;   /* Unix time written to docProps/core.xml and the zip
                        * entries; 0 = none (entries get a fixed time, so
                        * the same input gives the same bytes) */
    const struct sc_caller *caller; /* sc_compile_query, not entitled: who asks (the
                                     * paid rule's allowance); NULL = paid parts do not
                                     * match */
};

/* What the compilation computed (optional out-parameter). Release with
 * sc_compile_info_release. */
struct sc_compile_info {
    char *title; /* the title used; owned */
    size_t ndocs;
    int pages;             /* pages of the .docx layout */
    int toc_pages;         /* pages taken by the title and the 目录 (0 if single) */
    int *first_page;       /* ndocs entries: page on which each article starts; owned */
    int64_t omitted_chars; /* paid characters left out (not entitled) */
    size_t omitted_docs;   /* documents whose paid part was left out */
};

void sc_compile_info_release(struct sc_compile_info *info);

/*
 * Compile docs[0..n) (each with text; sections used when present) in that
 * order and append the file in opts->format to out. info may be NULL.
 * Errors: SC_EINVAL (no documents, n > SC_MAX_COMPILE_DOCS, single with
 * n != 1, title too long, a document without text), SC_ENOMEM (allocation or
 * out->max reached), SC_EIO (zip writer failure).
 */
enum sc_err sc_compile(const struct sc_doc *const *docs, size_t n,
                       const struct sc_compile_opts *opts, struct sc_buf *out,
                       struct sc_compile_info *info, struct sc_diag *diag);

/* Fetch ids[0..n) (text and outline) from lib and compile them in that
 * order. A missing id gives SC_ENOTFOUND naming it; duplicates are kept once. */
enum sc_err sc_compile_ids(struct sc_library *lib, const int64_t *ids, size_t n,
                           const struct sc_compile_opts *opts, struct sc_buf *out,
                           struct sc_compile_info *info, struct sc_diag *diag);

/* Run query (sc_search, document mode, at most limit hits, 0 = 20, capped at
 * SC_MAX_LIMIT) and compile the hits in rank order. No hits: SC_ENOTFOUND.
 * Query errors are passed through (SC_EPARSE ...). */
enum sc_err sc_compile_query(struct sc_library *lib, const char *query, size_t limit,
                             const struct sc_compile_opts *opts, struct sc_buf *out,
                             struct sc_compile_info *info, struct sc_diag *diag);

/*
 * The default title of a 汇编 of docs[0..n): "<theme>汇编（N篇）", where the
 * theme is the year all documents share ("2023年度", from doc->year or a
 * "20XX年" in every title) followed by the longest meaningful phrase common
 * to every title once years and XX placeholders are set aside (at least two
 * Chinese characters, not a bare generic word such as 工作 / 情况), else the
 * 文种 they all share. Without a phrase or 文种: "[<year>年度]资料汇编（N篇）".
 * Appends to out.
 */
void sc_compile_default_title(const struct sc_doc *const *docs, size_t n, struct sc_buf *out);

/* "docx" / "txt" / "md". */
const char *sc_export_format_name(enum sc_export_format f);
/* MIME type for HTTP responses, e.g.
 * "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
 * "text/plain; charset=utf-8", "text/markdown; charset=utf-8". */
const char *sc_export_content_type(enum sc_export_format f);
/* Parse "docx", "txt", "md" (also "markdown", "text", a leading '.', any
 * case). Returns 0 and sets *out, or -1. */
int sc_export_format_parse(const char *name, enum sc_export_format *out);
/* The format named by a path's extension (.docx .txt .md .markdown).
 * Returns 0 and sets *out, or -1 (no or unknown extension). */
int sc_export_format_from_path(const char *path, enum sc_export_format *out);
/* A file name for the download: the title with characters that are unsafe
 * in file names (/ \ : * ? " < > | and control characters) replaced by '_',
 * at most 80 code points, then ".docx"/".txt"/".md". An empty title gives
 * "汇编". Appends to out (UTF-8; HTTP headers must still encode it). */
void sc_export_file_name(const char *title, enum sc_export_format f, struct sc_buf *out);

#endif
