/*
 * Small text helpers shared by the 公文 parser: whitespace trimming that
 * knows U+3000, byte-level substring tests, Chinese and Arabic numeral
 * parsing for heading labels, and the whitespace/width-insensitive key
 * comparison used to find 目录 titles in the body.
 */
#include "gongwen_int.h"

#include <string.h>

size_t gw_count(const char *s, size_t len)
{
    size_t n = 0, i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        /* a continuation byte is 10xxxxxx: bit 7 set, bit 6 clear */
        uint64_t cont = (x & ~(x << 1) & 0x8080808080808080ULL) >> 7;
        n += 8 - (size_t)((cont * 0x0101010101010101ULL) >> 56);
    }
    for (; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

int gw_is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == 0xA0 ||
           c == 0x3000 || c == 0xFEFF || (c >= 0x200B && c <= 0x200D);
}

static const char *ix_word(const struct gw_word_index *ix, size_t i)
{
    const char *const *w = (const char *const *)((const char *)ix->table + i * ix->stride);
    return *w;
}

static unsigned ix_bit(uint32_t cp)
{
    return (unsigned)((cp * 2654435761u) >> 22) & 1023u;
}

void gw_word_index_init(struct gw_word_index *ix)
{
    memset(ix->filter, 0, sizeof ix->filter);
    for (size_t i = 0; i < ix->n; i++) {
        const char *w = ix_word(ix, i);
        uint32_t cp;
        gw_decode(w, strlen(w), &cp);
        unsigned b = ix_bit(cp);
        ix->filter[b / 64] |= 1ULL << (b % 64);
    }
    ix->built = 1;
}

long gw_first_word(const struct gw_word_index *ix, const char *s, size_t len)
{
    long best = -1;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = gw_decode(s + i, len - i, &cp);
        unsigned b = ix_bit(cp);
        if (ix->filter[b / 64] & (1ULL << (b % 64))) {
            size_t lim = best < 0 ? ix->n : (size_t)best;
            for (size_t r = 0; r < lim; r++) {
                const char *w = ix_word(ix, r);
                size_t wl = strlen(w);
                if (wl <= len - i && memcmp(s + i, w, wl) == 0) {
                    best = (long)r;
                    break;
                }
            }
        }
        i += k;
    }
    return best;
}

uint32_t gw_prev_cp(const char *p, size_t off)
{
    if (off == 0)
        return 0;
    size_t i = off - 1;
    while (i > 0 && off - i < 4 && ((unsigned char)p[i] & 0xC0) == 0x80)
        i--;
    uint32_t cp;
    gw_decode(p + i, off - i, &cp);
    return cp;
}

const char *gw_trim(const char *p, size_t *len)
{
    size_t n = *len;
    uint32_t cp;
    while (n > 0) {
        size_t k = gw_decode(p, n, &cp);
        if (!gw_is_space(cp))
            break;
        p += k;
        n -= k;
    }
    while (n > 0) {
        size_t i = n - 1;
        while (i > 0 && n - i < 4 && ((unsigned char)p[i] & 0xC0) == 0x80)
            i--;
        gw_decode(p + i, n - i, &cp);
        if (!gw_is_space(cp))
            break;
        n = i;
    }
    *len = n;
    return p;
}

ptrdiff_t gw_find(const char *s, size_t len, const char *needle)
{
    size_t nl = strlen(needle);
    if (nl == 0)
        return 0;
    if (nl > len)
        return -1;
    const char *r = memmem(s, len, needle, nl);
    return r ? r - s : -1;
}

int gw_starts(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return n <= len && memcmp(s, prefix, n) == 0;
}

int gw_ends(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return n <= len && memcmp(s + len - n, suffix, n) == 0;
}

int gw_cn_digit(uint32_t cp)
{
    switch (cp) {
    case 0x3007: /* 〇 */
    case 0x96F6: /* 零 */ return 0;
    case 0x4E00: /* 一 */ return 1;
    case 0x4E8C: /* 二 */
    case 0x4E24: /* 两 */ return 2;
    case 0x4E09: /* 三 */ return 3;
    case 0x56DB: /* 四 */ return 4;
    case 0x4E94: /* 五 */ return 5;
    case 0x516D: /* 六 */ return 6;
    case 0x4E03: /* 七 */ return 7;
    case 0x516B: /* 八 */ return 8;
    case 0x4E5D: /* 九 */ return 9;
    case 0x5341: /* 十 */ return 10;
    case 0x767E: /* 百 */ return 100;
    default: return -1;
    }
}

/* 一 … 九百九十九 in the usual spellings: 十一, 二十, 一百零五, 一百一十. */
int gw_parse_cn_number(const char *p, size_t len, size_t *used)
{
    int d[8];
    size_t off = 0, nd = 0;
    while (off < len && nd < 8) {
        uint32_t cp;
        size_t k = gw_decode(p + off, len - off, &cp);
        int v = gw_cn_digit(cp);
        if (v < 0 || cp == 0x4E24) /* 两 is not a label numeral */
            break;
        d[nd++] = v;
        off += k;
    }
    if (nd == 0)
        return -1;
    int total = 0, cur = -1; /* cur: pending digit */
    int last_unit = 1000;
    for (size_t i = 0; i < nd; i++) {
        int v = d[i];
        if (v == 10 || v == 100) {
            if (v >= last_unit)
                return -1;
            int m = cur < 0 ? 1 : cur;
            if (cur == 0)
                return -1;
            total += m * v;
            cur = -1;
            last_unit = v;
        } else {
            if (cur > 0)
                return -1; /* two digits in a row: 一二 */
            if (v == 0) {
                if (last_unit == 1000 || i + 1 >= nd)
                    return -1; /* 〇 only inside 一百零五 */
                cur = 0;
                continue;
            }
            cur = v;
        }
    }
    if (cur > 0)
        total += cur;
    if (total <= 0 || total > 999)
        return -1;
    *used = off;
    return total;
}

int gw_parse_ar_number(const char *p, size_t len, size_t *used)
{
    size_t off = 0;
    int v = 0, nd = 0;
    while (off < len) {
        unsigned char c = (unsigned char)p[off];
        if (c >= '0' && c <= '9') {
            v = v * 10 + (c - '0');
            off++;
        } else if (c == 0xEF && off + 2 < len && (unsigned char)p[off + 1] == 0xBC &&
                   (unsigned char)p[off + 2] >= 0x90 && (unsigned char)p[off + 2] <= 0x99) {
            v = v * 10 + ((unsigned char)p[off + 2] - 0x90); /* ０..９ */
            off += 3;
        } else {
            break;
        }
        if (++nd > 3)
            return -1;
    }
    if (nd == 0)
        return -1;
    *used = off;
    return v;
}

void gw_add_cn_number(struct sc_buf *b, int v)
{
    static const char *const dig[] = { "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九" };
    if (v <= 0 || v > 999) {
        sc_buf_addf(b, "%d", v);
        return;
    }
    int h = v / 100, t = (v / 10) % 10, u = v % 10;
    if (h) {
        sc_buf_adds(b, dig[h]);
        sc_buf_adds(b, "百");
        if (t == 0 && u)
            sc_buf_adds(b, "零");
    }
    if (t) {
        if (t > 1 || h)
            sc_buf_adds(b, dig[t]);
        sc_buf_adds(b, "十");
    }
    if (u)
        sc_buf_adds(b, dig[u]);
}

/* Fold for key comparison: full-width ASCII to ASCII, Latin case. */
static uint32_t key_fold(uint32_t c)
{
    if (c >= 0xFF01 && c <= 0xFF5E)
        c -= 0xFEE0;
    if (c >= 'A' && c <= 'Z')
        c += 'a' - 'A';
    return c;
}

static size_t next_sig(const char *s, size_t len, size_t i, uint32_t *cp)
{
    while (i < len) {
        size_t k = gw_decode(s + i, len - i, cp);
        if (!gw_is_space(*cp))
            return i;
        i += k;
    }
    return len;
}

int gw_key_match(const char *a, size_t alen, const char *b, size_t blen, int prefix_ok,
                 size_t *consumed)
{
    size_t i = 0, j = 0, nb = 0;
    for (;;) {
        uint32_t ca = 0, cb = 0;
        i = next_sig(a, alen, i, &ca);
        j = next_sig(b, blen, j, &cb);
        if (i >= alen && j >= blen) {
            if (consumed)
                *consumed = nb;
            return nb > 0 ? 1 : 0;
        }
        if (i >= alen) {
            if (consumed)
                *consumed = nb;
            return prefix_ok && nb > 0 ? 2 : 0;
        }
        if (j >= blen || key_fold(ca) != key_fold(cb))
            return 0;
        uint32_t t;
        i += gw_decode(a + i, alen - i, &t);
        j += gw_decode(b + j, blen - j, &t);
        nb++;
    }
}

size_t gw_key_len(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += gw_decode(s + i, len - i, &cp);
        n += !gw_is_space(cp);
    }
    return n;
}
