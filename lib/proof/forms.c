/*
 * Fixed forms of GB/T 9704-2012:
 *  doc_number (7.2.4 发文字号): 机关代字〔年份〕序号号 — the year in 六角括号
 *    〔〕 (not [] 【】 （） ［］), the 序号 without 第 and without leading
 *    zeros. Edition years (规划（2021—2025年）) and court case numbers
 *    (（2019）京01民终123号) are not 发文字号: no 序号号 right after the year.
 *  date_format (7.3.5 成文日期; GB/T 15835-2011 5.1.4): the 成文日期 of the
 *    落款 — a line holding only a date among the last three lines — in
 *    Arabic numerals, year in full, month and day without leading zeros
 *    (2023年10月8日), not 二〇二三年十月八日, 2023年09月08日 or 2023.10.8.
 *    A date that cannot exist (2月30日, 13月) is flagged anywhere.
 * Chinese-numeral dates inside the body (一九七八年十二月) are right.
 */
#include "proof_int.h"

#include <stdio.h>
#include <string.h>

static const char *const R_DOCNO =
    "doc_number: 发文字号年份用六角括号“〔〕”括入，序号不加“第”、不编虚位（GB/T 9704-2012 7.2.4）";
static const char *const R_DATE =
    "date_format: 成文日期用阿拉伯数字将年、月、日标全，月、日不编虚位（GB/T 9704-2012 7.3.5，GB/T 15835-2011 5.1.4）";
static const char *const R_DATE_BAD =
    "date_format: 日期不存在（GB/T 15835-2011 5.1.4）";

static int open_kind(uint32_t c)
{
    return c == 0x3014 /* 〔 */ || c == '[' || c == 0x3010 /* 【 */ || c == 0xFF08 /* （ */ ||
           c == '(' || c == 0xFF3B /* ［ */ || c == 0x3016 /* 〖 */ || c == 0xFE5D /* ﹝ */;
}
static int close_kind(uint32_t c)
{
    return c == 0x3015 || c == ']' || c == 0x3011 || c == 0xFF09 || c == ')' || c == 0xFF3D ||
           c == 0x3017 || c == 0xFE5E;
}

static int digit_at(const struct pdoc *d, size_t i)
{
    return i < d->n && is_digit(fold_width(d->cp[i]));
}

static void doc_numbers(struct pdoc *d, const struct pline *ln)
{
    for (size_t i = ln->s + 1; i + 7 < ln->e; i++) {
        uint32_t o = d->cp[i];
        if (!open_kind(o) || !is_han(d->cp[i - 1]))
            continue;
        size_t y = i + 1;
        if (!(digit_at(d, y) && digit_at(d, y + 1) && digit_at(d, y + 2) && digit_at(d, y + 3)))
            continue;
        if (digit_at(d, y + 4))
            continue;
        uint32_t y0 = fold_width(d->cp[y]), y1 = fold_width(d->cp[y + 1]);
        if (!((y0 == '1' && y1 == '9') || (y0 == '2' && y1 == '0')))
            continue;
        size_t c = y + 4;
        if (c >= ln->e || !close_kind(d->cp[c]))
            continue;
        size_t k = c + 1;
        int di = 0;
        if (k < ln->e && d->cp[k] == 0x7B2C /* 第 */) {
            di = 1;
            k++;
        }
        size_t ns = k;
        while (k < ln->e && digit_at(d, k))
            k++;
        if (k == ns || k - ns > 6 || k >= ln->e || d->cp[k] != 0x53F7 /* 号 */)
            continue;
        int zero = fold_width(d->cp[ns]) == '0';
        if (o == 0x3014 && d->cp[c] == 0x3015 && !di && !zero)
            continue;
        char sug[64], year[8];
        size_t n = 0;
        for (size_t t = y; t < y + 4; t++)
            year[n++] = (char)fold_width(d->cp[t]);
        year[n] = '\0';
        char num[16];
        n = 0;
        size_t t = ns;
        while (t + 1 < k && fold_width(d->cp[t]) == '0')
            t++;
        for (; t < k && n + 1 < sizeof num; t++)
            num[n++] = (char)fold_width(d->cp[t]);
        num[n] = '\0';
        snprintf(sug, sizeof sug, "〔%s〕%s号", year, num);
        const char *why = o != 0x3014 || d->cp[c] != 0x3015 ? "年份应用六角括号“〔〕”括入"
                          : di                               ? "发文顺序号不加“第”字"
                                                             : "发文顺序号不编虚位";
        pd_add(d, i, k + 1, SC_PK_DOC_NUMBER, SC_PS_ERROR, R_DOCNO, sug, "发文字号格式有误：%s，应为“%s”",
               why, sug);
        i = k;
    }
}

/* ---- dates ---- */

static int days_in(int y, int m)
{
    static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12)
        return 0;
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

/* Read 1..maxd ASCII digits at i; returns the count, value in *v. */
static size_t read_num(const struct pdoc *d, size_t i, size_t e, size_t maxd, int *v, int *lead0)
{
    size_t k = i;
    int x = 0;
    while (k < e && k - i < maxd + 1 && is_digit(d->cp[k])) {
        x = x * 10 + (int)(d->cp[k] - '0');
        k++;
    }
    if (k == i || k - i > maxd)
        return 0;
    *v = x;
    if (lead0)
        *lead0 = d->cp[i] == '0' && k - i > 1;
    return k - i;
}

static int cn_digit(uint32_t c)
{
    switch (c) {
    case 0x3007: case 0x96F6: case 0x25CB: case 0xFF2F: case 'O': return 0; /* 〇 零 ○ Ｏ */
    case 0x4E00: return 1;
    case 0x4E8C: return 2;
    case 0x4E09: return 3;
    case 0x56DB: return 4;
    case 0x4E94: return 5;
    case 0x516D: return 6;
    case 0x4E03: return 7;
    case 0x516B: return 8;
    case 0x4E5D: return 9;
    default: return -1;
    }
}

/* A month or day in Chinese numerals (八, 十, 十二, 二十一, 三十): length in
 * code points, value in *v. */
static size_t read_cn_small(const struct pdoc *d, size_t i, size_t e, int *v)
{
    size_t k = i;
    int tens = 0, ones = 0, seen_ten = 0;
    if (k < e && cn_digit(d->cp[k]) > 0 && k + 1 < e && d->cp[k + 1] == 0x5341) {
        tens = cn_digit(d->cp[k]);
        seen_ten = 1;
        k += 2;
    } else if (k < e && d->cp[k] == 0x5341 /* 十 */) {
        tens = 1;
        seen_ten = 1;
        k++;
    }
    if (k < e && cn_digit(d->cp[k]) > 0) {
        ones = cn_digit(d->cp[k]);
        k++;
    }
    if (k == i || (!seen_ten && ones == 0))
        return 0;
    *v = tens * 10 + ones;
    return k - i;
}

struct date {
    size_t s, e; /* code points */
    int y, m, dd;
    int bad_form; /* not the 2023年10月8日 form */
};

/* A date starting at i, any of the forms; 0 if none. */
static int read_date(const struct pdoc *d, size_t i, size_t e, struct date *out)
{
    int y, m, dd, z1 = 0, z2 = 0;
    size_t k = i, n;
    memset(out, 0, sizeof *out);
    if ((n = read_num(d, k, e, 4, &y, NULL)) == 4) {
        k += n;
        uint32_t sep = k < e ? d->cp[k] : 0;
        if (sep == 0x5E74 /* 年 */) {
            k++;
            if (!(n = read_num(d, k, e, 2, &m, &z1)) || k + n >= e || d->cp[k + n] != 0x6708)
                return 0;
            k += n + 1;
            if (!(n = read_num(d, k, e, 2, &dd, &z2)) || k + n >= e ||
                (d->cp[k + n] != 0x65E5 && d->cp[k + n] != 0x53F7))
                return 0;
            k += n + 1;
            out->bad_form = z1 || z2;
        } else if (sep == '.' || sep == '-' || sep == '/' || sep == 0xFF0E) {
            k++;
            if (!(n = read_num(d, k, e, 2, &m, NULL)) || k + n >= e || d->cp[k + n] != sep)
                return 0;
            k += n + 1;
            if (!(n = read_num(d, k, e, 2, &dd, NULL)))
                return 0;
            k += n;
            out->bad_form = 1;
        } else {
            return 0;
        }
    } else {
        /* 二〇二三年十月八日 */
        size_t t = i;
        y = 0;
        while (t < e && t - i < 4 && cn_digit(d->cp[t]) >= 0) {
            y = y * 10 + cn_digit(d->cp[t]);
            t++;
        }
        if (t - i != 4 || t >= e || d->cp[t] != 0x5E74)
            return 0;
        k = t + 1;
        if (!(n = read_cn_small(d, k, e, &m)) || k + n >= e || d->cp[k + n] != 0x6708)
            return 0;
        k += n + 1;
        if (!(n = read_cn_small(d, k, e, &dd)) || k + n >= e || d->cp[k + n] != 0x65E5)
            return 0;
        k += n + 1;
        out->bad_form = 1;
    }
    out->s = i;
    out->e = k;
    out->y = y;
    out->m = m;
    out->dd = dd;
    return 1;
}

static void trim(const struct pdoc *d, size_t *s, size_t *e)
{
    while (*s < *e && (d->cp[*s] == ' ' || d->cp[*s] == 0x3000 || d->cp[*s] == '\t'))
        (*s)++;
    while (*e > *s && (d->cp[*e - 1] == ' ' || d->cp[*e - 1] == 0x3000 || d->cp[*e - 1] == '\t'))
        (*e)--;
}

static void dates(struct pdoc *d)
{
    /* the last three non-empty lines */
    size_t last[3], nl = 0;
    for (size_t l = d->nlines; l > 0 && nl < 3; l--) {
        size_t s = d->lines[l - 1].s, e = d->lines[l - 1].e;
        trim(d, &s, &e);
        if (e > s)
            last[nl++] = l - 1;
    }
    for (size_t q = 0; q < nl; q++) {
        size_t s = d->lines[last[q]].s, e = d->lines[last[q]].e;
        trim(d, &s, &e);
        struct date dt;
        if (!read_date(d, s, e, &dt) || dt.e != e)
            continue;
        char sug[48];
        snprintf(sug, sizeof sug, "%d年%d月%d日", dt.y, dt.m, dt.dd);
        int dim = days_in(dt.y, dt.m);
        if (dt.dd < 1 || dt.dd > dim || dt.y < 1900) {
            pd_add(d, dt.s, dt.e, SC_PK_DATE_FORMAT, SC_PS_ERROR, R_DATE_BAD, NULL,
                   "成文日期不存在：%d年%d月%d日", dt.y, dt.m, dt.dd);
            continue;
        }
        if (dt.bad_form)
            pd_add(d, dt.s, dt.e, SC_PK_DATE_FORMAT, SC_PS_WARNING, R_DATE, sug,
                   "成文日期应写作“%s”", sug);
    }
    /* impossible dates anywhere else: Y年M月D日 in Arabic numerals */
    for (size_t l = 0; l < d->nlines; l++) {
        int is_last = 0;
        for (size_t q = 0; q < nl; q++)
            is_last |= last[q] == l;
        const struct pline *ln = &d->lines[l];
        for (size_t i = ln->s; i + 5 < ln->e; i++) {
            if (!is_digit(d->cp[i]) || (i > ln->s && is_digit(d->cp[i - 1])))
                continue;
            struct date dt;
            if (!read_date(d, i, ln->e, &dt) || d->cp[dt.e - 1] != 0x65E5 || dt.bad_form)
                continue;
            if (is_last)
                continue;
            if (dt.m >= 1 && dt.m <= 12 && dt.dd >= 1 && dt.dd <= days_in(dt.y, dt.m))
                continue;
            if (i + 1 < ln->e && dt.y < 1000)
                continue;
            pd_add(d, dt.s, dt.e, SC_PK_DATE_FORMAT, SC_PS_ERROR, R_DATE_BAD, NULL,
                   "日期不存在：%d年%d月%d日", dt.y, dt.m, dt.dd);
            i = dt.e - 1;
        }
    }
}

void rule_forms(struct pdoc *d)
{
    if (kind_on(d, SC_PK_DOC_NUMBER))
        for (size_t l = 0; l < d->nlines; l++)
            doc_numbers(d, &d->lines[l]);
    if (kind_on(d, SC_PK_DATE_FORMAT) && d->nlines)
        dates(d);
}
