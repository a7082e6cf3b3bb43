/*
 * The search normalisation (text.h gives the exact rules). Two passes, as
 * the reference does: fold widths / case and drop zero-width characters,
 * then drop space runs that stand between two CJK ideographs. The optional
 * map records, for every output byte, the original byte offset it came from.
 */
#include "sucai/text.h"

#include <stdlib.h>

struct folded {
    uint32_t cp;
    uint32_t off; /* byte offset in the original */
};

static int is_zero_width(uint32_t c)
{
    return (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF;
}

static uint32_t fold(uint32_t c)
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

/* Fast path: pure ASCII without upper case is unchanged; most Chinese text
 * still needs the slow path, which is linear anyway. */
enum sc_err sc_normalize(const char *text, size_t len, struct sc_buf *out, uint32_t **map)
{
    if (map)
        *map = NULL;
    if (len > UINT32_MAX - 1)
        return SC_ELIMIT;
    struct folded *f = malloc((len + 1) * sizeof *f);
    if (!f)
        return SC_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = sc_utf8_decode(text + i, len - i, &cp);
        if (k == 0)
            k = 1; /* invalid byte: U+FFFD, one byte */
        if (!is_zero_width(cp)) {
            f[n].cp = fold(cp);
            f[n].off = (uint32_t)i;
            n++;
        }
        i += k;
    }
    size_t start = out->len;
    uint32_t *m = NULL;
    if (map) {
        /* output is never longer than the input in bytes */
        m = malloc((len + 1) * sizeof *m);
        if (!m) {
            free(f);
            return SC_ENOMEM;
        }
    }
    if (sc_buf_grow(out, len) != SC_OK) {
        free(f);
        free(m);
        return SC_ENOMEM;
    }
    uint32_t prev = 0;
    for (size_t i = 0; i < n;) {
        uint32_t c = f[i].cp;
        if (is_space(c) && sc_is_cjk(prev)) {
            size_t j = i;
            while (j < n && is_space(f[j].cp))
                j++;
            if (j < n && sc_is_cjk(f[j].cp)) {
                i = j;
                continue;
            }
        }
        char enc[4];
        size_t k = sc_utf8_encode(c, enc);
        if (m)
            for (size_t b = 0; b < k; b++)
                m[out->len - start + b] = f[i].off;
        sc_buf_add(out, enc, k);
        prev = c;
        i++;
    }
    free(f);
    if (m) {
        m[out->len - start] = (uint32_t)len;
        *map = m;
    }
    return sc_buf_err(out);
}
