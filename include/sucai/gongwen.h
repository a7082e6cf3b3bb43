/*
 * 公文 understanding: split a 汇编 into articles, keep distributor
 * boilerplate out of the text, record paywall markers, parse the heading
 * outline, classify sections, extract metadata, and fingerprint for
 * near-duplicate detection. Pure functions over UTF-8 text: no store, no I/O.
 *
 * All offsets in these structs are code points into the article's text
 * (the JSON interface's unit).
 */
#ifndef SUCAI_GONGWEN_H
#define SUCAI_GONGWEN_H

#include "base.h"

enum sc_section_kind {
    SC_KIND_OTHER = 0,
    SC_KIND_OVERVIEW, /* 基本情况, 总体情况 */
    SC_KIND_WORK,     /* 主要工作, 主要做法, 措施 */
    SC_KIND_RESULTS,  /* 成效, 亮点, 经验 */
    SC_KIND_PROBLEMS, /* 存在的问题, 不足, 困难 */
    SC_KIND_PLANS,    /* 下一步打算, 工作计划, 思路, 建议 */
    SC_KIND_NOTES,    /* a .docx's footnotes and endnotes after the body (脚注, 尾注) */
    SC_KIND_COUNT
};

/* "overview", "work", ... ; static strings. */
const char *sc_kind_name(enum sc_section_kind kind);
/* Parse an English kind name or a Chinese alias (问题, 做法, 成效, 打算,
 * 情况, 注释, 其他 ...). Returns -1 if unknown. */
int sc_kind_parse(const char *s, size_t len);

struct sc_point {       /* inline 一是…二是… point */
    char *label;        /* "一是"; owned */
    int64_t start_cp, end_cp; /* range of the point's text */
};

/*
 * One heading and the text it governs. Sections are listed in document
 * order; nesting follows from level and range (a section contains the
 * later sections of higher level that start before its end).
 *
 * level: 一、 1, （一） 2, 1./1、 3, （1） 4, ① 5. A regulation's 第X编 /
 * 第X部分 / 第X章 / 第X节 / 第X条 rank above those: the ones present take
 * levels 1..R in that order and the 公文 labels shift down by R; a decimal
 * outline (1.1) takes its depth. Titles without a number above a report's
 * 一、 (label "") are level 1 and the numbered forms present take 2, 3 …
 * Numbered lines that are list items (a 条's （一）…；, a glossary, an
 * appended list) are not sections. The notes part of a .docx (脚注, 尾注)
 * is a level-1 section of kind SC_KIND_NOTES with label "". docs/gongwen.md
 * has the rules.
 */
struct sc_section {
    int level;
    char *label;   /* "（三）", "第一章"; owned */
    char *heading; /* "强化组织领导"; "" for an untitled 第X条; owned */
    enum sc_section_kind kind;
    int64_t start_cp, end_cp; /* range of the section in text (heading included) */
    struct sc_point *points;
    size_t npoints;
    char *fault; /* numbering fault, recorded not fixed: "duplicate label
                  * （三）", "gap: （二） missing"; NULL if none; owned */
};

struct sc_article {
    char *title;        /* owned */
    struct sc_buf text; /* title as first line, then body paragraphs */
    int64_t src_line;   /* 1-based line in the source where the article starts */
    int64_t paid_from_cp; /* offset into text, -1 if no paid part */
    int64_t paid_to_cp;   /* offset where the paid part ends, -1 = end of doc */
    struct sc_section *sections;
    size_t nsections;
    char *genre;   /* 文种 or NULL; owned */
    int year;      /* 0 if unknown */
    char *unit;    /* issuing unit or NULL; owned */
    char *level;   /* 国家/省/市/区/县/街道/乡镇/村 or NULL; owned */
    char **topics; /* owned array of owned strings */
    size_t ntopics;
};

struct sc_boilerplate {
    int64_t line; /* 1-based line in the source */
    char *text;   /* the stripped line; owned */
    char *reason; /* why it was judged boilerplate; owned */
};

struct sc_parsed {
    struct sc_article *articles;
    size_t narticles;
    struct sc_boilerplate *boiler;
    size_t nboiler;
    int is_compilation; /* had a 目录 and was split */
};

/*
 * Parse one source's text (from sc_ingest_bytes: UTF-8, '\n' between
 * paragraphs). A file with a 目录 whose titles are found in the body is
 * split into those articles; otherwise it is one article titled by its
 * first line. title_hint (docx core title or first heading; may be NULL)
 * is used when it equals one of the first lines or when the first line
 * does not read like a title. Fills out (caller storage; release with
 * sc_parsed_release). SC_EPARSE for invalid UTF-8 or when no content is
 * left after stripping ("no text"); SC_EINVAL for NULL text with len > 0
 * or NULL out; SC_ENOMEM. On error out is empty. docs/gongwen.md has the
 * rules.
 */
enum sc_err sc_gongwen_parse(const char *text, size_t len, const char *title_hint,
                             struct sc_parsed *out, struct sc_diag *diag);
void sc_parsed_release(struct sc_parsed *p);

/*
 * Near duplicates. Shingles are SC_SHINGLE_N consecutive code points of the
 * text with whitespace skipped. sc_simhash: 64-bit SimHash of the set of
 * shingles of normalised text (sc_normalize). sc_similarity: exact Jaccard
 * similarity of the two texts' shingle sets, 0..1 (texts too short for one
 * shingle compare whole: 1 if equal, else 0; -1 if memory ran out). Two
 * documents are near duplicates when their SimHashes differ in at most
 * SC_SIMHASH_NEAR bits (the cheap candidate test) and sc_similarity is at
 * least SC_NEAR_DUP_MIN. On the 4,416-document corpus a distance of 12
 * keeps 65 of the 67 pairs with similarity >= 0.8 at 114 candidate pairs
 * (3 would keep 21); docs/gongwen.md has the measurements.
 */
#define SC_SHINGLE_N    4
#define SC_SIMHASH_NEAR 12  /* max Hamming distance for a near-duplicate candidate */
#define SC_NEAR_DUP_MIN 0.8 /* min shingle similarity to record dup_of */
uint64_t sc_simhash(const char *norm, size_t len);
double sc_similarity(const char *a, size_t alen, const char *b, size_t blen);
/* Bits that differ between two SimHashes. */
int sc_simhash_distance(uint64_t a, uint64_t b);

/* Append a stable, indented JSON dump of a parse (articles with text,
 * outline and metadata; boilerplate) to b: the form of `sucai debug parse`
 * and of the golden tests. Check b with sc_buf_err. */
void sc_parsed_json(struct sc_buf *b, const struct sc_parsed *p);

/* Parse the outline of an article's text (title as first line, which is
 * never a heading; used by reparse and tests), with kinds, faults and
 * points. *out is caller-owned (NULL when there are no headings); free
 * with sc_sections_free. SC_EINVAL for NULL out/n or NULL text with
 * len > 0; SC_ENOMEM. */
enum sc_err sc_outline_parse(const char *text, size_t len, struct sc_section **out, size_t *n);
void sc_sections_free(struct sc_section *s, size_t n);

#endif
