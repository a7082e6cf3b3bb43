/*
 * 发文字号 and 成文日期: reading a document's number (国发〔2019〕4号) and
 * its date (2019年1月27日) out of its text, and reading them as a writer
 * types them (国发[2019]4号, 国发2019 4号, 2019-01-27, 2019年1月). Pure
 * functions over UTF-8 text: no store, no I/O, no allocation.
 *
 * A 发文字号 has a canonical form, which is what the store keeps and what
 * `docno:` searches compare: the issuer's prefix, the year in 〔〕, the
 * number without leading zeros and 号 ("国办发〔2019〕6号"); a number
 * without a year keeps its 第 ("国务院令第708号"). Dates are integers
 * YYYYMMDD (20190127); 0 means unknown.
 */
#ifndef SUCAI_DOCNO_H
#define SUCAI_DOCNO_H

#include "base.h"

#define SC_DOCNO_MAX 96 /* bytes of a canonical 发文字号 with its NUL */

/* How much of a 发文字号 a string is (sc_docno_canon). */
enum sc_docno_kind {
    SC_DOCNO_NONE = 0,    /* not a 发文字号 */
    SC_DOCNO_FULL = 1,    /* prefix, year and number (or prefix 第 number) */
    SC_DOCNO_PARTIAL = 2, /* a part: "国发〔2019〕", "〔2019〕4号" */
};

/* Read s[0..len) as typed: spaces anywhere between the parts, any of the
 * brackets 〔〕 [] ［］ 【】 () （） ﹝﹞ 〖〗 or none around the year,
 * full-width digits, 号 optional. Writes the canonical form (or, for a
 * part, the canonical spelling of that part) into out and returns its
 * kind; SC_DOCNO_NONE leaves out "". */
enum sc_docno_kind sc_docno_canon(const char *s, size_t len, char out[SC_DOCNO_MAX]);

/* The document's own 发文字号: a line of its own (alone, in parentheses,
 * or before 签发人：…) among the first lines of text (title first, '\n'
 * between paragraphs), with its 号; numbers cited in the body do not
 * count. Returns 1 and the canonical form in out, or 0 and out "". */
int sc_docno_find(const char *text, size_t len, char out[SC_DOCNO_MAX]);

/* The 成文日期: the date the 落款 gives in the last lines (alone or after
 * the issuer's name), else a date in parentheses under the title
 * ("（2023年2月1日）", "（2019年3月28日…通过）"). Arabic digits or 〇一二…
 * numerals; impossible dates are not dates. YYYYMMDD, or 0. */
int32_t sc_docdate_find(const char *text, size_t len);

/* A date or a range as typed: 2019-01-27, 2019/1/27, 2019.1.27, 20190127,
 * 2019年1月27日 (a day); 2019-01, 2019年1月 (a month); 2019, 2019年 (a
 * year); A..B (from the start of A to the end of B). Sets the inclusive
 * range [*from, *to] as YYYYMMDD. SC_EPARSE naming the text otherwise. */
enum sc_err sc_date_range_parse(const char *s, size_t len, int32_t *from, int32_t *to,
                                struct sc_diag *diag);

/* 1 if ymd is a real date (YYYYMMDD between 1900 and 2199). */
int sc_date_valid(int32_t ymd);

/* "2019-01-27" (out holds 11 bytes); "" for 0 or an invalid date. */
void sc_date_format(int32_t ymd, char out[11]);

#endif
