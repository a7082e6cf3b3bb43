/*
 * The default title of a 汇编: "<year>年度<common phrase>汇编（N篇）". The
 * phrase is the longest run of Chinese characters that every title
 * contains once years, numbers (with their 第 and measure word: 第3篇, 9月),
 * XX placeholders and punctuation are set aside ("2023年爱国卫生运动工作总结" and
 * "XX街道2023年工作总结" share 工作总结); a bare generic word (工作, 情况 ...) is no theme, and the
 * 文种 all documents share stands in when there is no phrase.
 */
#include "export_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_CPS 200 /* code points of each title considered */

/* A title as code points, with 0 where anything other than a Chinese
 * character stands (and for years: "2023年度" is all separator). */
struct seq {
    uint32_t cp[TITLE_CPS];
    size_t n;
    int year;         /* first 19xx/20xx年 in the title, 0 if none */
    uint32_t prev_cp; /* the code point read before (while filling) */
};

static int is_digit_cp(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

static int digit_val(uint32_t c)
{
    return c <= '9' ? (int)(c - '0') : (int)(c - 0xFF10);
}

static void seq_fill(struct seq *q, const char *s)
{
    size_t len = strlen(s), i = 0;
    q->n = 0;
    q->year = 0;
    q->prev_cp = 0;
    int digits = 0, val = 0, after_year = 0;
    while (i < len && q->n < TITLE_CPS) {
        uint32_t c;
        size_t k = sc_utf8_decode(s + i, len - i, &c);
        if (k == 0)
            k = 1;
        i += k;
        uint32_t keep = 0;
        if (is_digit_cp(c)) {
            val = digits < 9 ? val * 10 + digit_val(c) : val;
            digits++;
            /* "第" before a number is part of it (第3篇) */
            if (digits == 1 && q->n && q->prev_cp == 0x7B2C)
                q->cp[q->n - 1] = 0;
        } else {
            if (c == 0x5E74 /* 年 */ && digits == 4) {
                if (!q->year && val >= 1900 && val <= 2099)
                    q->year = val;
                after_year = 1;
            } else if (c == 0x5EA6 /* 度 */ && after_year) {
                after_year = 0;
            } else {
                after_year = 0;
                /* the measure word after a number is part of it (3篇, 9月) */
                if (sc_is_cjk(c) && digits == 0)
                    keep = c;
            }
            digits = 0;
            val = 0;
        }
        q->prev_cp = c;
        q->cp[q->n++] = keep;
    }
}

static int seq_contains(const struct seq *q, const uint32_t *pat, size_t m)
{
    if (m > q->n)
        return 0;
    for (size_t i = 0; i + m <= q->n; i++)
        if (memcmp(q->cp + i, pat, m * sizeof *pat) == 0)
            return 1;
    return 0;
}

static void put_cps(struct sc_buf *b, const uint32_t *cp, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sc_buf_add_cp(b, cp[i]);
}

static int cps_equal(const uint32_t *cp, size_t n, const char *s)
{
    struct sc_buf b = SC_BUF_INIT;
    put_cps(&b, cp, n);
    int eq = sc_buf_err(&b) == SC_OK && strcmp(b.data, s) == 0;
    sc_buf_release(&b);
    return eq;
}

static int generic(const uint32_t *cp, size_t n)
{
    static const char *const words[] = { "工作", "情况", "关于", "有关", "材料", "资料",
                                         "报告", "汇编", "文件", "年度", "全面" };
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
        if (cps_equal(cp, n, words[k]))
            return 1;
    return 0;
}

/* Longest common phrase of all titles; writes it into out (cps) and
 * returns its length, 0 if none. */
static size_t common_phrase(struct seq *const *qs, size_t n, uint32_t *out)
{
    size_t shortest = 0;
    for (size_t k = 1; k < n; k++)
        if (qs[k]->n < qs[shortest]->n)
            shortest = k;
    const struct seq *s = qs[shortest];
    for (size_t m = s->n; m >= 2; m--) {
        for (size_t i = 0; i + m <= s->n; i++) {
            const uint32_t *pat = s->cp + i;
            size_t z;
            for (z = 0; z < m && pat[z]; z++)
                ;
            if (z < m) {
                i += z; /* a separator inside: skip past it */
                continue;
            }
            size_t k;
            for (k = 0; k < n; k++)
                if (k != shortest && !seq_contains(qs[k], pat, m))
                    break;
            if (k < n)
                continue;
            /* found; trim particles at the edges */
            size_t a = 0, e = m;
            while (a < e && (pat[a] == 0x7684 /* 的 */ || pat[a] == 0x548C /* 和 */ ||
                             pat[a] == 0x53CA /* 及 */ || pat[a] == 0x4E0E /* 与 */))
                a++;
            while (e > a && (pat[e - 1] == 0x7684 || pat[e - 1] == 0x548C || pat[e - 1] == 0x53CA ||
                             pat[e - 1] == 0x4E0E))
                e--;
            /* a trailing 汇编 would be said twice */
            if (e - a >= 2 && pat[e - 2] == 0x6C47 && pat[e - 1] == 0x7F16)
                e -= 2;
            if (e - a < 2 || generic(pat + a, e - a))
                continue;
            memcpy(out, pat + a, (e - a) * sizeof *out);
            return e - a;
        }
    }
    return 0;
}

void sc_compile_default_title(const struct sc_doc *const *docs, size_t n, struct sc_buf *out)
{
    struct seq **qs = n ? sc_calloc(n, sizeof *qs) : NULL;
    struct seq *store = n ? sc_calloc(n, sizeof *store) : NULL;
    uint32_t phrase[TITLE_CPS];
    size_t plen = 0;
    int year = 0;
    if (n && (!qs || !store)) {
        out->failed = 1;
        goto out;
    }
    for (size_t k = 0; k < n; k++) {
        qs[k] = &store[k];
        seq_fill(qs[k], docs[k]->title ? docs[k]->title : "");
        int y = docs[k]->year > 0 ? docs[k]->year : qs[k]->year;
        if (k == 0)
            year = y;
        else if (y != year)
            year = 0;
    }
    if (n)
        plen = common_phrase(qs, n, phrase);

    if (year > 0)
        sc_buf_addf(out, "%d年度", year);
    if (plen) {
        put_cps(out, phrase, plen);
    } else {
        /* the 文种 all share, if any */
        const char *g = n && docs[0]->genre && docs[0]->genre[0] ? docs[0]->genre : NULL;
        for (size_t k = 1; g && k < n; k++)
            if (!docs[k]->genre || strcmp(docs[k]->genre, g) != 0)
                g = NULL;
        sc_buf_adds(out, g ? g : "资料");
    }
    sc_buf_addf(out, "汇编（%zu篇）", n);
out:
    free(qs);
    free(store);
}
