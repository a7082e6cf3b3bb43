/*
 * 发文字号 and 成文日期 (include/sucai/docno.h). Lines are decoded into a
 * small array of code points first (the lines that matter are short; a
 * longer one is not a number or a date line), so the rules below read as
 * a scanner over characters and never index past what was decoded.
 */
#include "sucai/docno.h"

#include <stdio.h>
#include <string.h>

#define LINE_MAX_CP   96 /* longer lines are neither 字号 nor 落款 lines */
#define HEAD_LINES    14 /* 版头 lines searched for the 字号 (title included) */
#define TAIL_LINES    12 /* 落款 lines searched for the date */
#define PREFIX_MAX_CP 20 /* 机关代字 + 发/函/字…: "国办发", "X政办发", "中华人民共和国国务院令" */

struct line {
    uint32_t cp[LINE_MAX_CP];
    size_t n;
};

static int32_t date_at(const struct line *l, size_t i, size_t end, size_t *next);

static int is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == 0x3000 || c == 0xA0 || c == 0xFEFF ||
           (c >= 0x200B && c <= 0x200D);
}

/* Full-width ASCII to half-width; the rest as it is. */
static uint32_t fold(uint32_t c)
{
    if (c >= 0xFF01 && c <= 0xFF5E)
        return c - 0xFEE0;
    return c;
}

/* Decode s[0..len) folded into l; 0 if it has more than LINE_MAX_CP
 * code points (after trimming). */
static int line_load(struct line *l, const char *s, size_t len)
{
    l->n = 0;
    size_t i = 0;
    while (i < len) {
        uint32_t c;
        size_t k = sc_utf8_decode(s + i, len - i, &c);
        if (k == 0) {
            c = 0xFFFD;
            k = 1;
        }
        i += k;
        if (l->n == 0 && is_space(c))
            continue;
        if (l->n == LINE_MAX_CP)
            return 0;
        l->cp[l->n++] = fold(c);
    }
    while (l->n && is_space(l->cp[l->n - 1]))
        l->n--;
    return 1;
}

static int is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

static int is_open(uint32_t c)
{
    static const uint32_t o[] = { 0x3014, '[', 0x3010, '(', 0xFE5D, 0x3016, 0x2045 };
    for (size_t i = 0; i < sizeof o / sizeof o[0]; i++)
        if (c == o[i])
            return 1;
    return 0;
}

static int is_close(uint32_t c)
{
    static const uint32_t o[] = { 0x3015, ']', 0x3011, ')', 0xFE5E, 0x3017, 0x2046 };
    for (size_t i = 0; i < sizeof o / sizeof o[0]; i++)
        if (c == o[i])
            return 1;
    return 0;
}

/* A character of an issuer's prefix: ideographs, Latin letters (the X of
 * anonymised names), and 〇. */
static int is_prefix_char(uint32_t c)
{
    return sc_is_cjk(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == 0x3007;
}

static void put_cp(char *out, size_t cap, size_t *at, uint32_t c)
{
    char u[4];
    size_t k = sc_utf8_encode(c, u);
    if (*at + k < cap) {
        memcpy(out + *at, u, k);
        *at += k;
    }
    out[*at] = '\0';
}

static void put_str(char *out, size_t cap, size_t *at, const char *s)
{
    size_t k = strlen(s);
    if (*at + k < cap) {
        memcpy(out + *at, s, k);
        *at += k;
    }
    out[*at] = '\0';
}

static size_t skip_space(const struct line *l, size_t i, size_t end)
{
    while (i < end && is_space(l->cp[i]))
        i++;
    return i;
}

/*
 * The scanner of a 发文字号 over l->cp[i..end). strict: as printed in a
 * document (a prefix, 号 and nothing else on the line); else as typed.
 * Returns the kind and writes the canonical form.
 */
static enum sc_docno_kind docno_scan(const struct line *l, size_t i, size_t end, int strict,
                                     char out[SC_DOCNO_MAX])
{
    size_t at = 0;
    out[0] = '\0';
    i = skip_space(l, i, end);
    size_t p0 = i, np = 0;
    while (i < end && is_prefix_char(l->cp[i]) && l->cp[i] != 0x7B2C /* 第 */) {
        i++;
        np++;
        i = skip_space(l, i, end);
    }
    if (np > PREFIX_MAX_CP)
        return SC_DOCNO_NONE;
    for (size_t k = p0; k < i; k++)
        if (!is_space(l->cp[k]))
            put_cp(out, SC_DOCNO_MAX, &at, l->cp[k]);
    if (strict && np == 0)
        return SC_DOCNO_NONE;
    if (i >= end)
        return !strict && np ? SC_DOCNO_PARTIAL : SC_DOCNO_NONE;

    int year = -1;
    long num = -1;
    int di = 0; /* 第 before the number */
    if (is_open(l->cp[i]) || is_digit(l->cp[i])) {
        int bracket = is_open(l->cp[i]);
        if (bracket)
            i = skip_space(l, i + 1, end);
        size_t d0 = i;
        while (i < end && is_digit(l->cp[i]) && i - d0 < 12)
            i++;
        size_t nd = i - d0;
        if (nd < 4)
            return SC_DOCNO_NONE;
        int y = 0;
        for (size_t k = d0; k < d0 + 4; k++)
            y = y * 10 + (int)(l->cp[k] - '0');
        if (y < 1900 || y > 2199)
            return SC_DOCNO_NONE;
        year = y;
        if (nd > 4) {
            /* "国发20194号": the year runs straight into the number (typed only) */
            if (strict || bracket)
                return SC_DOCNO_NONE;
            num = 0;
            for (size_t k = d0 + 4; k < i && num < 10000000; k++)
                num = num * 10 + (long)(l->cp[k] - '0');
        } else {
            i = skip_space(l, i, end);
            if (i < end && is_close(l->cp[i]))
                i = skip_space(l, i + 1, end);
            else if (strict)
                return SC_DOCNO_NONE; /* typed, "国发[2019 4号" is meant as well */
            if (i < end && l->cp[i] == 0x5E74 /* 年 */ && !strict)
                i = skip_space(l, i + 1, end);
        }
    }
    if (num < 0 && i < end && l->cp[i] == 0x7B2C /* 第 */) {
        di = 1;
        i = skip_space(l, i + 1, end);
    }
    if (num < 0 && i < end && is_digit(l->cp[i])) {
        num = 0;
        size_t d0 = i;
        while (i < end && is_digit(l->cp[i])) {
            if (i - d0 >= 7)
                return SC_DOCNO_NONE;
            num = num * 10 + (long)(l->cp[i] - '0');
            i++;
        }
        i = skip_space(l, i, end);
    } else if (di) {
        return SC_DOCNO_NONE;
    }
    int hao = 0;
    if (i < end && l->cp[i] == 0x53F7 /* 号 */) {
        hao = 1;
        i = skip_space(l, i + 1, end);
    }
    if (i != end)
        return SC_DOCNO_NONE;
    if (strict && (!hao || num < 0))
        return SC_DOCNO_NONE;
    if (year < 0 && num < 0)
        return np ? SC_DOCNO_PARTIAL : SC_DOCNO_NONE;
    if (year < 0 && !di && strict)
        return SC_DOCNO_NONE; /* a bare "X12号" is not a 字号 */
    if (hao && num < 0)
        return SC_DOCNO_NONE;
    char tmp[24];
    if (year >= 0) {
        snprintf(tmp, sizeof tmp, "%d", year);
        put_str(out, SC_DOCNO_MAX, &at, "〔");
        put_str(out, SC_DOCNO_MAX, &at, tmp);
        put_str(out, SC_DOCNO_MAX, &at, "〕");
    } else {
        put_str(out, SC_DOCNO_MAX, &at, "第");
    }
    if (num >= 0) {
        snprintf(tmp, sizeof tmp, "%ld", num);
        put_str(out, SC_DOCNO_MAX, &at, tmp);
        put_str(out, SC_DOCNO_MAX, &at, "号");
    }
    if (np && num >= 0)
        return SC_DOCNO_FULL;
    return SC_DOCNO_PARTIAL;
}

enum sc_docno_kind sc_docno_canon(const char *s, size_t len, char out[SC_DOCNO_MAX])
{
    struct line l;
    out[0] = '\0';
    if (!s || !line_load(&l, s, len) || l.n == 0)
        return SC_DOCNO_NONE;
    enum sc_docno_kind k = docno_scan(&l, 0, l.n, 0, out);
    if (k == SC_DOCNO_NONE)
        out[0] = '\0';
    return k;
}

/* Where "签发人" starts in l (or l->n). */
static size_t signer_at(const struct line *l)
{
    for (size_t i = 0; i + 2 < l->n; i++)
        if (l->cp[i] == 0x7B7E && l->cp[i + 1] == 0x53D1 && l->cp[i + 2] == 0x4EBA)
            return i;
    return l->n;
}

/* Call fn on each of the first max lines (index from 0); stops when fn
 * returns non-zero and returns that. */
static int each_head_line(const char *text, size_t len, size_t max,
                          int (*fn)(void *ctx, size_t idx, const char *s, size_t n), void *ctx)
{
    size_t off = 0;
    for (size_t k = 0; k < max && off < len; k++) {
        const char *nl = memchr(text + off, '\n', len - off);
        size_t e = nl ? (size_t)(nl - text) : len;
        int r = fn(ctx, k, text + off, e - off);
        if (r)
            return r;
        off = e + 1;
    }
    return 0;
}

static int docno_line(void *ctx, size_t idx, const char *s, size_t n)
{
    char *out = ctx;
    struct line l;
    if (idx == 0 || !line_load(&l, s, n) || l.n < 4)
        return 0;
    size_t b = 0, e = signer_at(&l);
    while (e > b && is_space(l.cp[e - 1]))
        e--;
    /* "2014年11月24日 中华人民共和国国务院令第656号公布" */
    size_t next;
    if (date_at(&l, 0, e, &next)) {
        b = skip_space(&l, next, e);
        if (e - b > 2 && l.cp[e - 1] == 0x5E03 && (l.cp[e - 2] == 0x516C || l.cp[e - 2] == 0x53D1))
            e -= 2; /* 公布, 发布 */
        else
            return 0;
    }
    /* "（国发〔2019〕5号）" under a title in a 汇编 */
    if (e - b >= 2 && l.cp[b] == '(' && (l.cp[e - 1] == ')')) {
        b++;
        e--;
    }
    return docno_scan(&l, b, e, 1, out) == SC_DOCNO_FULL;
}

int sc_docno_find(const char *text, size_t len, char out[SC_DOCNO_MAX])
{
    out[0] = '\0';
    if (!text)
        return 0;
    char tmp[SC_DOCNO_MAX];
    tmp[0] = '\0';
    if (each_head_line(text, len, HEAD_LINES, docno_line, tmp)) {
        memcpy(out, tmp, SC_DOCNO_MAX);
        return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- dates */

static int days_in(int y, int m)
{
    static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

int sc_date_valid(int32_t ymd)
{
    int y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    return y >= 1900 && y <= 2199 && m >= 1 && m <= 12 && d >= 1 && d <= days_in(y, m);
}

void sc_date_format(int32_t ymd, char out[11])
{
    out[0] = '\0';
    if (!sc_date_valid(ymd))
        return;
    /* digits by hand: a valid date is always 10 characters */
    unsigned v[3] = {(unsigned)(ymd / 10000), (unsigned)(ymd / 100 % 100), (unsigned)(ymd % 100)};
    out[0] = (char)('0' + v[0] / 1000 % 10);
    out[1] = (char)('0' + v[0] / 100 % 10);
    out[2] = (char)('0' + v[0] / 10 % 10);
    out[3] = (char)('0' + v[0] % 10);
    out[4] = '-';
    out[5] = (char)('0' + v[1] / 10);
    out[6] = (char)('0' + v[1] % 10);
    out[7] = '-';
    out[8] = (char)('0' + v[2] / 10);
    out[9] = (char)('0' + v[2] % 10);
    out[10] = '\0';
}

static int cn_digit(uint32_t c)
{
    static const uint32_t d[] = { 0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                                  0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D };
    if (c == 0x96F6 || c == 0x25CB || c == 'O') /* 零 ○, and the O typed for 〇 */
        return 0;
    for (int i = 0; i < 10; i++)
        if (c == d[i])
            return i;
    return -1;
}

/* A number of 1-2 digits or Chinese numerals up to 三十一 at l[*i..end). */
static int small_num(const struct line *l, size_t *i, size_t end)
{
    size_t k = *i;
    if (k < end && is_digit(l->cp[k])) {
        int v = 0;
        size_t d0 = k;
        while (k < end && is_digit(l->cp[k]) && k - d0 < 2)
            v = v * 10 + (int)(l->cp[k++] - '0');
        if (k < end && is_digit(l->cp[k]))
            return -1;
        *i = k;
        return v;
    }
    /* 一 … 九, 十, 十一 … 十九, 二十 … 三十一 */
    int v = 0, tens = 0;
    int d = k < end ? cn_digit(l->cp[k]) : -1;
    if (d > 0) {
        v = d;
        k++;
    }
    if (k < end && l->cp[k] == 0x5341 /* 十 */) {
        tens = 1;
        v = (v ? v : 1) * 10;
        k++;
        int u = k < end ? cn_digit(l->cp[k]) : -1;
        if (u > 0) {
            v += u;
            k++;
        }
    }
    if (!v || (!tens && d <= 0))
        return -1;
    *i = k;
    return v;
}

/* A date "YYYY年M月D日" at l[i..end); returns YYYYMMDD and sets *next, or 0. */
static int32_t date_at(const struct line *l, size_t i, size_t end, size_t *next)
{
    int y = 0;
    size_t k = i;
    for (int n = 0; n < 4; n++, k++) {
        if (k >= end)
            return 0;
        int d = is_digit(l->cp[k]) ? (int)(l->cp[k] - '0') : cn_digit(l->cp[k]);
        if (d < 0)
            return 0;
        y = y * 10 + d;
    }
    if (k >= end || l->cp[k] != 0x5E74 /* 年 */)
        return 0;
    k++;
    int m = small_num(l, &k, end);
    if (m < 1 || k >= end || l->cp[k] != 0x6708 /* 月 */)
        return 0;
    k++;
    int d = small_num(l, &k, end);
    if (d < 1 || k >= end || (l->cp[k] != 0x65E5 /* 日 */ && l->cp[k] != 0x53F7 /* 号 */))
        return 0;
    k++;
    int32_t v = (int32_t)y * 10000 + m * 100 + d;
    if (!sc_date_valid(v))
        return 0;
    *next = k;
    return v;
}

static int has_sentence_punct(const struct line *l, size_t b, size_t e)
{
    for (size_t i = b; i < e; i++) {
        uint32_t c = l->cp[i];
        if (c == 0x3002 || c == 0xFF0C || c == ',' || c == 0x3001 || c == ';' || c == ':' ||
            c == 0xFF1B || c == 0xFF1A || c == 0xFF1F || c == '?' || c == 0x201C)
            return 1;
    }
    return 0;
}

/* A 落款 line: a date at its end, after at most an issuer's name. */
static int32_t tail_date(const struct line *l)
{
    size_t b = 0, e = l->n;
    if (e >= 2 && l->cp[e - 1] == ')' && l->cp[0] == '(') {
        b = 1;
        e--;
    }
    for (size_t i = b; i < e; i++) {
        size_t next;
        int32_t v = date_at(l, i, e, &next);
        if (v && skip_space(l, next, e) == e)
            return i - b > 40 || has_sentence_punct(l, b, i) ? 0 : v;
    }
    return 0;
}

/* Does l end with one of the words of a law's dating line (通过, 公布 …)? */
static int ends_with_enactment(const struct line *l)
{
    static const uint32_t w[][2] = { { 0x901A, 0x8FC7 }, { 0x6279, 0x51C6 }, { 0x516C, 0x5E03 },
                                     { 0x53D1, 0x5E03 }, { 0x65BD, 0x884C }, { 0x4FEE, 0x6B63 },
                                     { 0x4FEE, 0x8BA2 }, { 0x5370, 0x53D1 } };
    size_t n = l->n;
    if (n >= 1 && l->cp[n - 1] == ')')
        n--;
    for (size_t i = 0; n >= 2 && i < sizeof w / sizeof w[0]; i++)
        if (l->cp[n - 2] == w[i][0] && l->cp[n - 1] == w[i][1])
            return 1;
    return 0;
}

/* A line under the title: "（2023年2月1日）", "（2019年3月28日…通过）",
 * "2020年4月28日 X市第十九届人民代表大会常务委员会第二十七次会议通过". */
static int32_t head_date(const struct line *l)
{
    size_t b = 0;
    if (l->n && l->cp[0] == '(')
        b = 1;
    size_t next;
    int32_t v = date_at(l, skip_space(l, b, l->n), l->n, &next);
    if (!v)
        return 0;
    if (b || skip_space(l, next, l->n) == l->n)
        return v;
    return !has_sentence_punct(l, next, l->n) && ends_with_enactment(l) ? v : 0;
}

/* A title ending in its date: "《新闻联播》文字稿（2022年9月24日）". */
static int32_t title_date(const struct line *l)
{
    if (l->n < 12 || l->cp[l->n - 1] != ')')
        return 0;
    for (size_t i = l->n - 1; i-- > 0 && l->n - i <= 16;) {
        size_t next;
        if (l->cp[i] != '(')
            continue;
        int32_t v = date_at(l, i + 1, l->n - 1, &next);
        return v && next == l->n - 1 ? v : 0;
    }
    return 0;
}

int32_t sc_docdate_find(const char *text, size_t len)
{
    if (!text || !len)
        return 0;
    struct line l;
    /* the last lines, from the end */
    size_t e = len, seen = 0;
    while (e > 0 && seen < TAIL_LINES) {
        size_t s = e;
        while (s > 0 && text[s - 1] != '\n')
            s--;
        if (s > 0 && line_load(&l, text + s, e - s) && l.n) {
            int32_t v = tail_date(&l);
            if (v)
                return v;
        }
        if (s == 0)
            break;
        e = s - 1;
        seen++;
    }
    /* under the title */
    size_t off = 0;
    for (size_t k = 0; k < 6 && off < len; k++) {
        const char *nl = memchr(text + off, '\n', len - off);
        size_t end = nl ? (size_t)(nl - text) : len;
        if (line_load(&l, text + off, end - off) && l.n) {
            int32_t v = k > 0 ? head_date(&l) : title_date(&l);
            if (v)
                return v;
        }
        off = end + 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- typed dates */

/* One date as typed at l[*i..end): the range it names. */
static int typed_date(const struct line *l, size_t *i, size_t end, int32_t *from, int32_t *to)
{
    size_t k = *i;
    size_t d0 = k;
    while (k < end && is_digit(l->cp[k]))
        k++;
    size_t nd = k - d0;
    int v[3] = { 0, 0, 0 };
    int parts = 0;
    if (nd == 8) {
        for (size_t j = d0; j < d0 + 8; j++) {
            size_t x = j - d0;
            int *p = x < 4 ? &v[0] : x < 6 ? &v[1] : &v[2];
            *p = *p * 10 + (int)(l->cp[j] - '0');
        }
        parts = 3;
    } else if (nd == 4) {
        for (size_t j = d0; j < k; j++)
            v[0] = v[0] * 10 + (int)(l->cp[j] - '0');
        parts = 1;
        int cjk = k < end && l->cp[k] == 0x5E74; /* 年 */
        uint32_t sep = k < end ? l->cp[k] : 0;
        if (cjk || sep == '-' || sep == '/' || sep == '.') {
            size_t k2 = k + 1;
            /* "2019.." is a range, not a month */
            if (!(sep == '.' && k2 < end && l->cp[k2] == '.')) {
                size_t m0 = k2;
                while (k2 < end && is_digit(l->cp[k2]) && k2 - m0 < 2)
                    v[1] = v[1] * 10 + (int)(l->cp[k2++] - '0');
                if (k2 > m0) {
                    parts = 2;
                    k = k2;
                    if (cjk && k < end && l->cp[k] == 0x6708) /* 月 */
                        k++;
                    uint32_t sep2 = k < end ? l->cp[k] : 0;
                    int ok2 = cjk ? 1 : sep2 == sep;
                    size_t k3 = k + (cjk ? 0 : 1);
                    if (ok2 && k < end && !(sep2 == '.' && k3 < end && l->cp[k3] == '.')) {
                        size_t dd = k3;
                        int day = 0;
                        while (k3 < end && is_digit(l->cp[k3]) && k3 - dd < 2)
                            day = day * 10 + (int)(l->cp[k3++] - '0');
                        if (k3 > dd) {
                            v[2] = day;
                            parts = 3;
                            k = k3;
                            if (cjk && k < end && (l->cp[k] == 0x65E5 || l->cp[k] == 0x53F7))
                                k++;
                        }
                    }
                } else if (cjk) {
                    k = k2; /* "2019年" */
                }
            }
        }
    } else {
        return 0;
    }
    if (v[0] < 1900 || v[0] > 2199)
        return 0;
    if (parts >= 2 && (v[1] < 1 || v[1] > 12))
        return 0;
    if (parts == 3 && (v[2] < 1 || v[2] > days_in(v[0], v[1])))
        return 0;
    if (parts == 1) {
        *from = v[0] * 10000 + 101;
        *to = v[0] * 10000 + 1231;
    } else if (parts == 2) {
        *from = v[0] * 10000 + v[1] * 100 + 1;
        *to = v[0] * 10000 + v[1] * 100 + days_in(v[0], v[1]);
    } else {
        *from = *to = v[0] * 10000 + v[1] * 100 + v[2];
    }
    *i = k;
    return 1;
}

enum sc_err sc_date_range_parse(const char *s, size_t len, int32_t *from, int32_t *to,
                                struct sc_diag *diag)
{
    struct line l;
    *from = *to = 0;
    if (!s || !line_load(&l, s, len) || l.n == 0)
        return sc_diag_set(diag, SC_EPARSE, "date: a date is needed (2019-01-27, 2019-01, 2019)");
    size_t i = 0;
    int32_t a0, a1, b0, b1;
    if (!typed_date(&l, &i, l.n, &a0, &a1))
        goto bad;
    i = skip_space(&l, i, l.n);
    if (i == l.n) {
        *from = a0;
        *to = a1;
        return SC_OK;
    }
    /* A..B, also A~B and A至B */
    if (i + 1 < l.n && l.cp[i] == '.' && l.cp[i + 1] == '.')
        i += 2;
    else if (l.cp[i] == '~' || l.cp[i] == 0x81F3 /* 至 */ || l.cp[i] == 0x2014)
        i += 1;
    else
        goto bad;
    i = skip_space(&l, i, l.n);
    if (!typed_date(&l, &i, l.n, &b0, &b1) || skip_space(&l, i, l.n) != l.n)
        goto bad;
    if (b1 < a0)
        return sc_diag_set(diag, SC_EPARSE, "date: '%.*s' ends before it starts", (int)len, s);
    *from = a0;
    *to = b1;
    return SC_OK;
bad:
    return sc_diag_set(diag, SC_EPARSE,
                       "date: '%.*s' is not a date (2019-01-27, 2019-01, 2019, or A..B)",
                       (int)(len > 64 ? 64 : len), s);
}
