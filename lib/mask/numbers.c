/*
 * Figures (opt-in): amounts, counts and percentages in Arabic numerals,
 * the digits with their decimal point or thousands separators (297, 16.03,
 * 1,200), not the % or the unit. Not figures: years (2023年), months and
 * days (3月4日), clock times (17:30), 发文字号 (〔2023〕13号), heading
 * numbers (1. at the start of a line), codes glued to letters, # or +
 * (S2线, T+0, 2#, 2+N), ordinals after 第.
 */
#include "mask_int.h"

static int dig(const struct mdoc *d, size_t i)
{
    return i < d->n && m_digit(d->cp[i]);
}

void rec_numbers(struct mdoc *d)
{
    for (size_t i = 0; i < d->n; i++) {
        if (!dig(d, i) || (i > 0 && dig(d, i - 1)))
            continue;
        size_t e = i;
        while (dig(d, e) || ((d->cp[e] == '.' || d->cp[e] == ',') && dig(d, e + 1) && e > i))
            e++;
        uint32_t p = i > 0 ? d->cp[i - 1] : 0, n = md_at(d, e);
        size_t start = i;
        i = e - 1;
        if (m_latin(p) || m_latin(n) || p == '#' || n == '#' || p == '+' || n == '+' ||
            p == '-' || n == '-' || p == '/' || n == '/' || p == '_' || p == '.' || n == '@')
            continue;
        if (n == ':' || n == 0xFF1A || p == ':' || p == 0xFF1A) {
            if (dig(d, e + 1) || (start >= 2 && dig(d, start - 2)))
                continue; /* 17:30 */
        }
        if (p == 0x7B2C /* 第 */)
            continue;
        if (n == 0x5E74 /* 年 */ && e - start == 4)
            continue;
        if (n == 0x6708 /* 月 */ || n == 0x65E5 /* 日 */ || n == 0x53F7 /* 号 */ ||
            n == 0x65F6 /* 时 */ || n == 0x70B9 /* 点 */)
            continue;
        if ((p == 0x65F6 || p == 0x70B9) && n == 0x5206) /* 8时30分 */
            continue;
        if (p == 0x3014 /* 〔 */ || n == 0x3015 || p == '[' || p == 0x3010)
            continue;
        /* a heading number: at the start of a line before . 、 or a bracket */
        int line_start = start == 0 || d->cp[start - 1] == '\n' ||
                         ((p == 0xFF08 || p == '(') && (start < 2 || d->cp[start - 2] == '\n'));
        if (line_start && (n == '.' || n == 0x3001 || n == 0xFF0E || n == 0xFF09 || n == ')'))
            continue;
        md_cand(d, start, e, SC_MK_NUMBER, 30, 0);
    }
}
