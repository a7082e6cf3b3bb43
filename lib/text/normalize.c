/*
 * The search normalisation (text.h gives the exact rules): fold widths and
 * case, drop zero-width characters, drop space runs that stand between two
 * CJK ideographs. The optional map records, for every output byte, the
 * original byte offset it came from.
 */
#include "sucai/text.h"

#include <stdlib.h>

static int is_zero_width(uint32_t c)
{
    return (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF;
}

uint32_t sc_fold_cp(uint32_t c)
{
    if (c >= 0xFF01 && c <= 0xFF5E)
        c -= 0xFEE0;
    else if (c == 0x3000)
        c = ' ';
    if (c >= 'A' && c <= 'Z')
        c += 'a' - 'A';
    return c;
}

static int is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == 0xA0;
}

/* Next code point at text[i] with its length (an invalid byte is U+FFFD,
 * one byte, as in the reference). */
static inline size_t next_cp(const char *text, size_t len, size_t i, uint32_t *cp)
{
    unsigned char b = (unsigned char)text[i];
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    size_t k = sc_utf8_decode(text + i, len - i, cp);
    return k ? k : 1;
}

/* A well-formed 3-byte sequence at s[i] that cannot be overlong or a
 * surrogate (lead E1..EC, EE, EF): U+1000..U+FFFF, which holds the
 * ideographs and the CJK punctuation that make up nearly all of a Chinese
 * text. Decoded inline; 0 if it is not one. */
static inline uint32_t plain_3byte(const unsigned char *s, size_t i, size_t len)
{
    if (i + 2 >= len)
        return 0;
    unsigned b = s[i];
    if (b < 0xE1 || b > 0xEF || b == 0xED || (s[i + 1] & 0xC0) != 0x80 ||
        (s[i + 2] & 0xC0) != 0x80)
        return 0;
    return ((b & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
}

/* Code points of U+1000..U+FFFF that a rule touches: zero width (and the
 * punctuation block around them), the ideographic space, the full-width forms. */
static inline int needs_rules(uint32_t c)
{
    return (c >= 0x2000 && c <= 0x206F) || c == 0x3000 || c == 0xFEFF ||
           (c >= 0xFF01 && c <= 0xFF5E);
}

/*
 * One pass: each code point is folded (or dropped if zero-width) and
 * written; a run of spaces right after an ideograph looks ahead, past
 * further spaces and zero-width characters, and is dropped if an
 * ideograph follows. This equals the reference's two passes.
 */
enum sc_err sc_normalize(const char *text, size_t len, struct sc_buf *out, uint32_t **map)
{
    if (map)
        *map = NULL;
    if (len > UINT32_MAX - 1)
        return SC_ELIMIT;
    /* the output is rarely longer than the input (only an invalid byte,
     * which becomes 3-byte U+FFFD, makes it so): room is checked per code
     * point and doubled when short */
    size_t start = out->len, cap = len + 8;
    if (sc_buf_grow(out, cap) != SC_OK)
        return SC_ENOMEM;
    uint32_t *m = NULL;
    if (map && !(m = sc_malloc((cap + 1) * sizeof *m)))
        return SC_ENOMEM;
    const unsigned char *s = (const unsigned char *)text;
    size_t n = 0; /* output bytes */
    uint32_t prev = 0;
    for (size_t i = 0; i < len;) {
        if (n + 4 > cap) {
            size_t ncap = cap * 2;
            if (sc_buf_grow(out, ncap) != SC_OK)
                goto oom;
            if (m) {
                uint32_t *nm = sc_reallocarray(m, ncap + 1, sizeof *m);
                if (!nm)
                    goto oom;
                m = nm;
            }
            cap = ncap;
        }
        char *o = out->data + start + n;
        uint32_t cp = plain_3byte(s, i, len);
        size_t k = 3;
        if (cp && !needs_rules(cp)) { /* copied as it is */
            o[0] = (char)s[i], o[1] = (char)s[i + 1], o[2] = (char)s[i + 2];
            if (m)
                m[n] = m[n + 1] = m[n + 2] = (uint32_t)i;
            n += 3;
            i += 3;
            prev = cp;
            continue;
        }
        if (!cp)
            k = next_cp(text, len, i, &cp);
        if (is_zero_width(cp)) {
            i += k;
            continue;
        }
        uint32_t c = sc_fold_cp(cp);
        if (is_space(c) && sc_is_cjk(prev)) {
            size_t j = i + k;
            uint32_t after = 0;
            while (j < len) {
                uint32_t cj;
                size_t kj = next_cp(text, len, j, &cj);
                if (!is_zero_width(cj) && !is_space(after = sc_fold_cp(cj)))
                    break;
                after = 0;
                j += kj;
            }
            if (j < len && sc_is_cjk(after)) {
                i = j; /* prev stays the ideograph before the run */
                continue;
            }
        }
        size_t w = sc_utf8_encode(c, o);
        if (m)
            for (size_t b = 0; b < w; b++)
                m[n + b] = (uint32_t)i;
        n += w;
        prev = c;
        i += k;
    }
    out->len = start + n;
    out->data[out->len] = '\0';
    if (m) {
        m[n] = (uint32_t)len;
        *map = m;
    }
    return SC_OK;
oom:
    free(m);
    out->data[out->len] = '\0';
    return SC_ENOMEM;
}
