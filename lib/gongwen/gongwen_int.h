/*
 * Internal interface of the 公文 parser (lib/gongwen/). parse.c splits a
 * source into articles and builds their text; boiler.c judges distributor
 * boilerplate; outline.c finds headings, sections and 一是 points; kind.c
 * classifies sections; meta.c extracts 文种, year, unit, level and topics;
 * simhash.c fingerprints; json.c dumps a parse as stable JSON.
 *
 * Each rule family lives in exactly one table in its file, so extending a
 * rule means adding a row.
 */
#ifndef SC_GONGWEN_INT_H
#define SC_GONGWEN_INT_H

#include "sucai/gongwen.h"

#include <stddef.h>
#include <stdint.h>

/* ---- small text helpers (textutil.c) ---- */

/* Whitespace a paragraph is trimmed of: ASCII space, tab, CR, VT, FF,
 * U+00A0, U+3000, U+FEFF and the zero-width characters U+200B..U+200D. */
int gw_is_space(uint32_t cp);

/* Code points in s[0..len): sc_utf8_count, eight bytes at a time. */
size_t gw_count(const char *s, size_t len);

/* Trim leading/trailing gw_is_space characters of p[0..*len); returns the
 * new start and updates *len. */
const char *gw_trim(const char *p, size_t *len);

/* Decode one code point at p[0..len) (len > 0). The parser's input is
 * validated once at the entry, so this trusts the lead byte and only
 * guards the length: a truncated or stray byte decodes as U+FFFD of
 * length 1, so loops always advance and never read past len. */
static inline size_t gw_decode(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xE0 && c < 0xF0 && len >= 3) {
        *cp = ((c & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
        return 3;
    }
    if (c >= 0xC0 && c < 0xE0 && len >= 2) {
        *cp = ((c & 0x1Fu) << 6) | (p[1] & 0x3Fu);
        return 2;
    }
    if (c >= 0xF0 && len >= 4) {
        *cp = ((c & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
        return 4;
    }
    *cp = 0xFFFD;
    return 1;
}

/*
 * Which of a table's words occurs in a string: the rule tables (kinds,
 * genres) are arrays of structs whose first member is the word. The index
 * is a 1024-bit filter on the words' first code points, built once.
 */
struct gw_word_index {
    const void *table; /* first struct; its first member is const char *word */
    size_t stride, n;
    int built;
    uint64_t filter[16];
};
#define GW_WORD_INDEX(tab)                                      \
    {                                                           \
        (tab), sizeof(tab)[0], sizeof(tab) / sizeof(tab)[0], 0, \
        {                                                       \
            0                                                   \
        }                                                       \
    }
/* Index of the first word in table order found anywhere in s, or -1.
 * Thread-safe after gw_word_index_init (called from a pthread_once). */
long gw_first_word(const struct gw_word_index *ix, const char *s, size_t len);
void gw_word_index_init(struct gw_word_index *ix);

/* Code point before p[0..off) (0 if off == 0). */
uint32_t gw_prev_cp(const char *p, size_t off);

/* Does s[0..len) contain the NUL-terminated needle? Returns the byte offset
 * or -1. */
ptrdiff_t gw_find(const char *s, size_t len, const char *needle);
int gw_starts(const char *s, size_t len, const char *prefix);
int gw_ends(const char *s, size_t len, const char *suffix);

/* Chinese numeral (一 二 … 十 百 〇 零 两) value of a code point, -1 if
 * not one; 10 for 十, 100 for 百. */
int gw_cn_digit(uint32_t cp);

/* Parse a Chinese numeral (一 … 九十九 … 九百九十九) at p[0..len): returns
 * its value (> 0) and sets *used (bytes), or -1. */
int gw_parse_cn_number(const char *p, size_t len, size_t *used);

/* Parse 1-3 ASCII or full-width digits: value and bytes used, or -1. */
int gw_parse_ar_number(const char *p, size_t len, size_t *used);

/* Append the Chinese numeral for 1..999 (二十三) to b. */
void gw_add_cn_number(struct sc_buf *b, int v);

/* Compare two strings for equality ignoring whitespace and full-width /
 * half-width ASCII differences (the key used to match 目录 titles). If
 * prefix_ok, succeed also when a is a proper prefix of b and return the
 * number of significant code points of b consumed in *consumed (may be
 * NULL). Returns 1 on a full match, 2 on a prefix match, 0 otherwise. */
int gw_key_match(const char *a, size_t alen, const char *b, size_t blen, int prefix_ok,
                 size_t *consumed);

/* Number of significant (non-space) code points of s. */
size_t gw_key_len(const char *s, size_t len);

/* ---- boilerplate (boiler.c) ---- */

struct gw_boiler_line {
    const char *p; /* trimmed line */
    size_t len;
    int near_end;  /* among the last lines of the source */
    int neighbour; /* next to a line judged boilerplate (set by the judge) */
};

/* Score one line. Returns the score and fills reason (may be NULL) with a
 * short explanation when the line is judged boilerplate. *distributor is
 * set when at least one distributor-only signal fired. */
int gw_boiler_score(const struct gw_boiler_line *l, int *distributor, struct sc_buf *reason);

/* Decide over all lines (neighbours reinforce each other). lines[i] are the
 * non-blank lines of one source; verdict[i] is set to 1 for boilerplate and
 * reasons[i] to an owned string (NULL otherwise). Returns SC_ENOMEM on
 * allocation failure (then frees what it allocated). */
enum sc_err gw_boiler_judge(const struct gw_boiler_line *lines, size_t n, unsigned char *verdict,
                            char **reasons);

/* ---- metadata (meta.c) ---- */

/* What the outline needs to know about its document before it is read:
 * the 文种 and the document's own year (the year a 政府工作报告 is for, the
 * year a 总结 sums up). */
struct gw_doc {
    const char *genre; /* static string of the genre table, or NULL */
    int year;          /* 0 if unknown */
};

/* Genre and year of an article's text (its first line is the title). */
void gw_doc_of(const char *text, size_t len, struct gw_doc *d);

/* Fill genre and year of a from doc (gw_doc_of its text), and its unit,
 * level and topics; its title, text and sections must be set (the sections
 * tell where the body ends). Returns SC_ENOMEM on allocation failure. */
enum sc_err gw_meta_fill(struct sc_article *a, const struct gw_doc *doc);

/* ---- kinds (kind.c) ---- */

/* Which way a document looks: back (a 总结 or 述职报告: the work done),
 * ahead (a 计划, 方案 or directive: the work to do), or both (a 政府工作报告
 * or 讲话: a review, then the plans). */
enum gw_direction {
    GW_BOTH = 0,
    GW_BACK,
    GW_AHEAD
};
enum gw_direction gw_direction_of(const char *genre);

/* Past or future, as a heading's years and words or a body's verbs say. */
enum gw_time {
    GW_TIME_NONE = 0,
    GW_TIME_PAST,
    GW_TIME_FUTURE
};

/* Classify a heading by the kind table. *strong is set when the matched
 * rule names a section type outright (存在的问题) rather than hinting at
 * one (不足); a subsection overrides its parent's kind only when strong.
 * dir resolves the words whose kind depends on the document (主要工作 is
 * work in a 总结, plans in a 计划). */
enum sc_section_kind gw_kind_of_heading(const char *h, size_t len, enum gw_direction dir,
                                        int *strong);

/* The time a heading names: its years and "十X五" periods against the
 * document's year, and words such as 回顾, 过去, 今后. */
enum gw_time gw_heading_time(const char *h, size_t len, const struct gw_doc *doc,
                             enum gw_direction dir);

/* The time a body is written in: past markers (了, 已经, 同比增长, 一年来)
 * against future ones (将, 要, 力争, 确保, 下一步), each weighted. */
enum gw_time gw_body_time(const char *s, size_t len);

/* The kind a time gives a section in a document of genre/direction. */
enum sc_section_kind gw_kind_of_time(enum gw_time t, const struct gw_doc *doc,
                                     enum gw_direction dir);

/* ---- outline (outline.c) ---- */

/* Is the line a heading (any level) by the heading table? Used to tell a
 * document's own 目录 (chapter headings) from a 汇编's list of articles. */
int gw_is_heading_line(const char *p, size_t len);

/* Byte offset of the notes part (a line 脚注 or 尾注 and the [n] notes after
 * it, at the end of the text), or len if there is none. */
size_t gw_notes_at(const char *text, size_t len);

/* sc_outline_parse with the document known (doc may be NULL). */
enum sc_err gw_outline(const char *text, size_t len, const struct gw_doc *doc,
                       struct sc_section **out, size_t *n);

#endif
