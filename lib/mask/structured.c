/*
 * Structured identifiers, recognised by their form and check digits:
 *  idcard:   18-character 公民身份号码 (GB 11643-1999): area, a real birth
 *            date, sequence, and the ISO 7064 MOD 11-2 check character;
 *  bankcard: 16-19 digits (optionally in groups of four) passing Luhn;
 *  phone:    mobile 1[3-9]XXXXXXXXX, fixed line 0XX(X)-XXXXXXX(X) with or
 *            without the dash or (区号), 400/800 numbers;
 *  email:    local@domain.tld;
 *  plate:    省份简称 + letter + optional · + 5 characters (6 for new
 *            energy plates: 粤BD12345).
 * A run of digits is taken whole: a phone number inside a longer number is
 * not a phone number.
 */
#include "mask_int.h"

#include <string.h>

static const char plate_provinces[] = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领";

static uint32_t fw(uint32_t c)
{
    return c >= 0xFF01 && c <= 0xFF5E ? c - 0xFEE0 : c;
}

static int digit(const struct mdoc *d, size_t i)
{
    return i < d->n && m_digit(fw(d->cp[i]));
}

static int alnum(const struct mdoc *d, size_t i)
{
    if (i >= d->n)
        return 0;
    uint32_t c = fw(d->cp[i]);
    return m_digit(c) || m_latin(c);
}

static int days(int y, int m)
{
    static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12)
        return 0;
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

static int idcard_ok(const struct mdoc *d, size_t i)
{
    static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
    static const char check[] = "10X98765432";
    int sum = 0, v[18];
    for (int k = 0; k < 17; k++) {
        if (!digit(d, i + (size_t)k))
            return 0;
        v[k] = (int)(fw(d->cp[i + (size_t)k]) - '0');
        sum += v[k] * w[k];
    }
    uint32_t last = fw(md_at(d, i + 17));
    if (last == 'x')
        last = 'X';
    if ((uint32_t)check[sum % 11] != last)
        return 0;
    if (v[0] < 1 || v[0] > 9)
        return 0;
    int y = v[6] * 1000 + v[7] * 100 + v[8] * 10 + v[9], m = v[10] * 10 + v[11],
        dd = v[12] * 10 + v[13];
    return y >= 1900 && y <= 2100 && dd >= 1 && dd <= days(y, m);
}

static int luhn(const char *dig, size_t n)
{
    int sum = 0;
    for (size_t k = 0; k < n; k++) {
        int x = dig[n - 1 - k] - '0';
        if (k % 2 == 1) {
            x *= 2;
            if (x > 9)
                x -= 9;
        }
        sum += x;
    }
    return sum % 10 == 0;
}

/* A run of digits with optional single separators (space or dash) between
 * groups: its extent in code points and the digits. */
static size_t digit_run(const struct mdoc *d, size_t i, char *dig, size_t cap, size_t *nd)
{
    size_t k = i;
    *nd = 0;
    while (k < d->n) {
        if (digit(d, k)) {
            if (*nd + 1 < cap)
                dig[(*nd)++] = (char)fw(d->cp[k]);
            k++;
        } else if ((d->cp[k] == ' ' || d->cp[k] == '-') && digit(d, k + 1) && k > i) {
            k++;
        } else {
            break;
        }
    }
    dig[*nd] = '\0';
    return k - i;
}

static void numbers(struct mdoc *d, size_t i)
{
    char dig[64];
    size_t nd, span = digit_run(d, i, dig, sizeof dig, &nd);
    /* plain run, no separators */
    size_t plain = 0;
    while (digit(d, i + plain))
        plain++;
    int glued = alnum(d, i + plain) || (i > 0 && (m_latin(fw(d->cp[i - 1])) || d->cp[i - 1] == '.'));
    if (plain == 17 || plain == 18) {
        if (idcard_ok(d, i) && !alnum(d, i + 18)) {
            md_cand(d, i, i + 18, SC_MK_IDCARD, 90, 0);
            return;
        }
    }
    if (glued && plain < 16)
        return;
    if (plain == 11 && dig[0] == '1' && dig[1] >= '3' && dig[1] <= '9' && !alnum(d, i + 11)) {
        md_cand(d, i, i + 11, SC_MK_PHONE, 80, 0);
        return;
    }
    /* 138 1234 5678, 138-1234-5678 */
    if (nd == 11 && dig[0] == '1' && dig[1] >= '3' && dig[1] <= '9' && span <= 13 &&
        !alnum(d, i + span)) {
        md_cand(d, i, i + span, SC_MK_PHONE, 80, 0);
        return;
    }
    if (nd >= 16 && nd <= 19 && luhn(dig, nd) && !alnum(d, i + span) && span <= nd + 4) {
        md_cand(d, i, i + span, SC_MK_BANKCARD, 70, 0);
        return;
    }
    /* fixed line: 0 + 2-3 digit area code + 7-8 digit number */
    if (dig[0] == '0' && nd >= 10 && nd <= 12 && !alnum(d, i + span) && span <= nd + 1) {
        md_cand(d, i, i + span, SC_MK_PHONE, 80, 0);
        return;
    }
    /* (010)12345678 / （0731）8888888 */
    if (i > 0 && (d->cp[i - 1] == '(' || d->cp[i - 1] == 0xFF08) && dig[0] == '0' && plain >= 3 &&
        plain <= 4 && (md_at(d, i + plain) == ')' || md_at(d, i + plain) == 0xFF09)) {
        size_t k = i + plain + 1, m = 0;
        while (digit(d, k + m))
            m++;
        if (m >= 7 && m <= 8 && !alnum(d, k + m)) {
            md_cand(d, i - 1, k + m, SC_MK_PHONE, 80, 0);
            return;
        }
    }
    /* 400-123-4567, 800 numbers */
    if ((!strncmp(dig, "400", 3) || !strncmp(dig, "800", 3)) && nd == 10 && span > nd &&
        !alnum(d, i + span)) {
        md_cand(d, i, i + span, SC_MK_PHONE, 80, 0);
        return;
    }
    /* a local number after 电话/热线/传真: 7-8 digits */
    if ((plain == 7 || plain == 8) && !alnum(d, i + plain)) {
        size_t back = i;
        while (back > 0 && (d->cp[back - 1] == 0xFF1A || d->cp[back - 1] == ':' ||
                            d->cp[back - 1] == ' '))
            back--;
        if (md_word_before(d, back, "电话|热线|传真|手机|座机|联系方式"))
            md_cand(d, i, i + plain, SC_MK_PHONE, 80, 0);
    }
}

static int email_local(uint32_t c)
{
    return m_latin(c) || m_digit(c) || (c > 0 && c < 128 && strchr("._%+-", (int)c));
}
static int email_domain(uint32_t c)
{
    return m_latin(c) || m_digit(c) || c == '-' || c == '.';
}

static void emails(struct mdoc *d, size_t at)
{
    size_t s = at;
    while (s > 0 && email_local(d->cp[s - 1]))
        s--;
    if (s == at)
        return;
    size_t e = at + 1, lastdot = 0;
    while (e < d->n && email_domain(d->cp[e])) {
        if (d->cp[e] == '.')
            lastdot = e;
        e++;
    }
    while (e > at + 1 && d->cp[e - 1] == '.')
        e--;
    if (!lastdot || lastdot >= e - 2 || lastdot == at + 1)
        return;
    for (size_t k = lastdot + 1; k < e; k++)
        if (!m_latin(d->cp[k]))
            return;
    md_cand(d, s, e, SC_MK_EMAIL, 85, 0);
}

static void plates(struct mdoc *d, size_t i)
{
    if (!md_in(plate_provinces, d->cp[i]))
        return;
    uint32_t l = fw(md_at(d, i + 1));
    if (!(l >= 'A' && l <= 'Z'))
        return;
    size_t k = i + 2;
    uint32_t sep = md_at(d, k);
    if (sep == 0x00B7 || sep == 0x2022 || sep == 0x30FB || sep == '.' || sep == 0xFF0E ||
        sep == '-' || sep == ' ')
        k++;
    size_t n = 0, digits = 0;
    while (n < 7) {
        uint32_t c = fw(md_at(d, k + n));
        if (!((c >= 'A' && c <= 'Z') || m_digit(c)))
            break;
        digits += m_digit(c);
        n++;
    }
    if ((n != 5 && n != 6) || alnum(d, k + n) || (i > 0 && m_latin(fw(d->cp[i - 1]))))
        return;
    /* 京A12345 needs a digit or the 5-6 letter form; not ordinary words */
    uint32_t nx = md_at(d, k + n);
    if (m_han(nx) && digits == 0 && sep != 0x00B7 && sep != 0x2022)
        return;
    md_cand(d, i, k + n, SC_MK_PLATE, 75, 0);
}

void rec_structured(struct mdoc *d)
{
    for (size_t i = 0; i < d->n; i++) {
        uint32_t c = d->cp[i];
        if (m_digit(fw(c)) && (i == 0 || !digit(d, i - 1))) {
            numbers(d, i);
        } else if (c == '@') {
            emails(d, i);
        } else if (m_han(c)) {
            plates(d, i);
        }
    }
}
