/*
 * Heading cluster keys for 提纲 (include/sucai/skeleton.h): the numbering
 * label, punctuation, spaces and the particles 的 和 与 及 等 are left out,
 * and a heading that names its section type outright (the strong phrases
 * of the kind table in kind.c) and says little else stands for that type.
 */
#include "sucai/skeleton.h"
#include "gongwen_int.h"

#include <string.h>

#define MAX_CP         120
#define GENERIC_MAX_CP 10 /* a heading longer than this says more than its type */

static int cn_num(uint32_t c)
{
    static const char digits[] = "一二三四五六七八九十百零〇";
    char u[4];
    size_t n = sc_utf8_encode(c, u);
    return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19) ||
           (n == 3 && memmem(digits, sizeof digits - 1, u, 3) != NULL);
}

/* Code points of the label at the start of cp[0..n) (0 if none):
 * 一、 （一） (一) 1. 1、 1． 第一章 第三条 … */
static size_t label_len(const uint32_t *cp, size_t n)
{
    size_t i = 0;
    if (i < n && (cp[i] == 0x7B2C)) { /* 第…章/节/编/部分/条 */
        i++;
        size_t d = i;
        while (i < n && cn_num(cp[i]))
            i++;
        if (i > d && i < n &&
            (cp[i] == 0x7AE0 || cp[i] == 0x8282 || cp[i] == 0x7F16 || cp[i] == 0x6761))
            return i + 1;
        if (i > d && i + 1 < n && cp[i] == 0x90E8 && cp[i + 1] == 0x5206)
            return i + 2;
        return 0;
    }
    int paren = i < n && (cp[i] == 0xFF08 || cp[i] == '(');
    if (paren)
        i++;
    size_t d = i;
    while (i < n && cn_num(cp[i]))
        i++;
    if (i == d || i >= n)
        return 0;
    if (paren)
        return cp[i] == 0xFF09 || cp[i] == ')' ? i + 1 : 0;
    if (cp[i] == 0x3001 || cp[i] == '.' || cp[i] == 0xFF0E)
        return i + 1;
    return 0;
}

static int dropped(uint32_t c)
{
    /* particles, punctuation, spaces */
    static const uint32_t drop[] = { 0x7684, 0x548C, 0x4E0E, 0x53CA, 0x7B49, 0x3001, 0xFF0C, 0x3002,
                                     0xFF1B, 0xFF1A, 0xFF01, 0xFF1F, ',',    '.',    ';',    ':',
                                     '!',    '?',    ' ',    0x3000, 0x201C, 0x201D, 0x2018, 0x2019,
                                     0x300A, 0x300B, '"',    '\'',   0xFF08, 0xFF09, '(',    ')',
                                     0x2014, 0x2026, '-',    0xB7,   '\t' };
    for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++)
        if (c == drop[i])
            return 1;
    return 0;
}

size_t sc_heading_label_len(const char *heading, size_t len)
{
    if (!heading)
        return 0;
    uint32_t cp[24] = { 0 };
    size_t bytes[25], n = 0, i = 0;
    while (i < len && n < 24) {
        bytes[n] = i;
        i += gw_decode(heading + i, len - i, &cp[n]);
        n++;
    }
    bytes[n] = i;
    size_t k = label_len(cp, n);
    if (!k)
        return 0;
    while (k < n && gw_is_space(cp[k]))
        k++;
    return bytes[k];
}

size_t sc_heading_key(const char *heading, size_t len, char out[SC_HEADING_KEY_MAX])
{
    out[0] = '\0';
    if (!heading)
        return 0;
    uint32_t cp[MAX_CP] = { 0 };
    size_t n = 0;
    for (size_t i = 0; i < len && n < MAX_CP;) {
        size_t k = gw_decode(heading + i, len - i, &cp[n]);
        i += k;
        if (n == 0 && gw_is_space(cp[0]))
            continue;
        n++;
    }
    size_t skip = label_len(cp, n);
    /* "label heading" (the index's form) has a space after the label */
    while (skip < n && gw_is_space(cp[skip]))
        skip++;
    size_t at = 0, ncp = 0, oat = 0;
    char text[SC_HEADING_KEY_MAX], orig[SC_HEADING_KEY_MAX * 2];
    for (size_t i = skip; i < n; i++) {
        char u[4];
        size_t k = sc_utf8_encode(cp[i], u);
        if (oat + k >= sizeof orig)
            break;
        memcpy(orig + oat, u, k);
        oat += k;
    }
    for (size_t i = skip; i < n; i++) {
        if (dropped(cp[i]) || gw_is_space(cp[i]))
            continue;
        char u[4];
        size_t k = sc_utf8_encode(cp[i], u);
        if (at + k >= sizeof text)
            break;
        memcpy(text + at, u, k);
        at += k;
        ncp++;
    }
    text[at] = '\0';
    if (!at)
        return 0;
    /* the type is judged on the heading as written (问题与不足), by the
     * kind table's own entry (GW_BACK: 主要工作 is work whatever the 文种) */
    int strong = 0;
    enum sc_section_kind kind = gw_kind_of_heading(orig, oat, GW_BACK, &strong);
    if (strong && kind != SC_KIND_OTHER && ncp <= GENERIC_MAX_CP) {
        out[0] = '#';
        size_t kl = strlen(sc_kind_name(kind));
        memcpy(out + 1, sc_kind_name(kind), kl + 1);
        return kl + 1;
    }
    memcpy(out, text, at + 1);
    return at;
}
