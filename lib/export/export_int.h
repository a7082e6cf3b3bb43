/*
 * Internal interface of lib/export: the layout model (how many lines a
 * paragraph takes on the GB/T 9704 grid), the compilation plan (the list of
 * blocks every writer walks, with computed pages) and XML escaping. Unit
 * tests include this header; nothing outside lib/export does.
 */
#ifndef SUCAI_EXPORT_INT_H
#define SUCAI_EXPORT_INT_H

#include "sucai/export.h"

/* ---- the page: GB/T 9704-2012, numbers in twips (1/1440 inch) ---- */

#define SC_EX_PAGE_W        11906                                                   /* A4 210 mm */
#define SC_EX_PAGE_H        16838                                                   /* 297 mm */
#define SC_EX_MARGIN_TOP    2098                                                    /* 37 mm */
#define SC_EX_MARGIN_BOTTOM 1984                                                    /* 35 mm */
#define SC_EX_MARGIN_LEFT   1587                                                    /* 28 mm */
#define SC_EX_MARGIN_RIGHT  1474                                                    /* 26 mm */
#define SC_EX_TEXT_W        (SC_EX_PAGE_W - SC_EX_MARGIN_LEFT - SC_EX_MARGIN_RIGHT) /* 8845 */
#define SC_EX_TEXT_H        (SC_EX_PAGE_H - SC_EX_MARGIN_TOP - SC_EX_MARGIN_BOTTOM) /* 12756 */
#define SC_EX_LINES         22  /* lines per page */
#define SC_EX_CHARS         28  /* characters per line */
#define SC_EX_LINE_PITCH    579 /* 12756 / 22, rounded down: exactly 22 lines fit */
#define SC_EX_FOOTER                                   \
    1276 /* footer bottom 22.5 mm above the page edge, \
          * so the number's top is ~7 mm below the text */

/* ---- the layout model ----
 * Widths are in hundredths of a point. Every character is condensed by
 * 0.25 pt, so a 16 pt full-width character advances 15.75 pt and exactly
 * 28 fit the 442.25 pt line, whatever the CJK font. Latin letters and
 * digits are set in Times New Roman (Liberation Serif where that is
 * missing: the same metrics); a little space separates Chinese from Latin
 * text, as Word and LibreOffice both insert. */

#define SC_EX_BODY_SIZE    1600               /* 3号: 16 pt */
#define SC_EX_TITLE_SIZE   2200               /* 2号: 22 pt */
#define SC_EX_KERN         25                 /* condensed by 0.25 pt: w:spacing -5 */
#define SC_EX_LINE_W       (SC_EX_TEXT_W * 5) /* 8845 twips = 442.25 pt */
#define SC_EX_INDENT_W     3200               /* first line: two characters, 640 twips */
#define SC_EX_BOUNDARY_PCT 20                 /* Chinese/Latin spacing, % of the font size */

/* Advance of one code point at size (1/100 pt), 0 for controls. */
int sc_ex_char_width(uint32_t cp, int size);
/* Full-width (CJK) rather than Latin text. */
int sc_ex_is_wide(uint32_t cp);
/* Line-breaking classes of CJK typography (kinsoku). */
int sc_ex_no_line_start(uint32_t cp); /* closing punctuation: ，。）” ... */
int sc_ex_no_line_end(uint32_t cp);   /* opening punctuation: （“《 ... */
int sc_ex_hangs(uint32_t cp);         /* may hang past the right margin: ，。、；：！？ */

/* Called once per line with the byte range [start, end) of s. */
typedef void sc_ex_line_fn(void *ctx, size_t start, size_t end);

/*
 * Break s[0..len) (UTF-8, one paragraph, no '\n') set at size into lines of
 * width line_w, the first line indented by first_indent. Returns the number
 * of lines (an empty paragraph takes one line). on_line may be NULL.
 */
int sc_ex_break_lines(const char *s, size_t len, int size, int line_w, int first_indent,
                      sc_ex_line_fn *on_line, void *ctx);
/* Width of s[0..len) on one line (no breaking). */
int sc_ex_text_width(const char *s, size_t len, int size);

/* ---- the plan ---- */

enum sc_ex_kind {
    SC_EX_TITLE,       /* the compilation's title (title page) */
    SC_EX_TOC_HEADING, /* "目录" */
    SC_EX_TOC_ENTRY,   /* one article in the 目录 (doc = the article) */
    SC_EX_ART_TITLE,   /* an article's title: new page, Heading 1 */
    SC_EX_HEADING,     /* a standalone 公文 heading, level 1-4 */
    SC_EX_PARA,        /* a body paragraph (head_len: inline heading prefix) */
    SC_EX_NOTE,        /* "（以下为会员内容，共 N 字，已略去）" */
};

struct sc_ex_block {
    enum sc_ex_kind kind;
    int level;        /* heading level 1-4 (HEADING, or PARA with head_len) */
    size_t doc;       /* article index */
    const char *text; /* borrowed (document text or plan title) */
    size_t len;
    size_t head_len; /* bytes at the start styled as a heading of `level` */
    int64_t omitted; /* NOTE: characters left out */
    int at_end;      /* NOTE: the paid part runs to the end of the document */
    int lines;       /* lines on the page grid (including the blank after a title) */
    int page;        /* page on which the block starts (1-based) */
};

struct sc_ex_plan {
    char *title; /* owned */
    size_t title_len;
    int single;
    size_t ndocs;
    const struct sc_doc *const *docs;
    struct sc_ex_block *blocks;
    size_t nblocks, cap;
    int *first_page;     /* per article */
    size_t *title_block; /* per article: index of its SC_EX_ART_TITLE block */
    int pages;
    int toc_pages;
    int64_t omitted_chars;
    size_t omitted_docs;
};

/* Build the plan (blocks and pages) for docs; plan must be zeroed. */
enum sc_err sc_ex_plan_build(struct sc_ex_plan *plan, const struct sc_doc *const *docs, size_t n,
                             const struct sc_compile_opts *opts, struct sc_diag *diag);
void sc_ex_plan_release(struct sc_ex_plan *plan);

/* The note's text, e.g. "（以下为会员内容，共 120 字，已略去）". */
void sc_ex_note_text(struct sc_buf *b, const struct sc_ex_block *blk);

/* The writers. Each appends the whole file to out. */
enum sc_err sc_ex_write_txt(const struct sc_ex_plan *plan, struct sc_buf *out);
enum sc_err sc_ex_write_md(const struct sc_ex_plan *plan, struct sc_buf *out);
enum sc_err sc_ex_write_docx(const struct sc_ex_plan *plan, const struct sc_compile_opts *opts,
                             struct sc_buf *out, struct sc_diag *diag);
/* The XML parts of the .docx, by name ("word/document.xml" ...), for the
 * writer and the tests. Returns the number of parts filled (all or none). */
struct sc_ex_part {
    const char *name;
    struct sc_buf xml;
};
#define SC_EX_NPARTS 11
enum sc_err sc_ex_docx_parts(const struct sc_ex_plan *plan, const struct sc_compile_opts *opts,
                             struct sc_ex_part parts[SC_EX_NPARTS]);
void sc_ex_docx_parts_release(struct sc_ex_part parts[SC_EX_NPARTS]);

/* ---- XML ----
 * Append s[0..len) as XML character data / attribute value: & < > " '
 * escaped, characters XML 1.0 forbids (C0 controls other than tab and
 * newline, U+FFFE, U+FFFF) dropped, invalid UTF-8 bytes replaced by U+FFFD. */
void sc_ex_xml_escape(struct sc_buf *b, const char *s, size_t len);

/* Trim ASCII whitespace, U+3000 and U+00A0 at both ends of s[0..*len);
 * returns the new start and updates *len. */
const char *sc_ex_trim(const char *s, size_t *len);

#endif
