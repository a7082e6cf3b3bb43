/*
 * XML escaping for the .docx writer: one place that turns document text
 * (which may hold anything a source file held) into character data that
 * every XML parser accepts.
 */
#include "export_int.h"

#include <string.h>

/* XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
 * '\r' is allowed by the grammar but would be normalised away; drop it. */
static int xml_char_ok(uint32_t cp)
{
    if (cp < 0x20)
        return cp == 0x9 || cp == 0xA;
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0;
    return cp != 0xFFFE && cp != 0xFFFF;
}

void sc_ex_xml_escape(struct sc_buf *b, const char *s, size_t len)
{
    size_t i = 0, run = 0; /* s[run..i) is copied verbatim when flushed */
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        size_t n = 1;
        if (c < 0x80) {
            switch (c) {
            case '&': rep = "&amp;"; break;
            case '<': rep = "&lt;"; break;
            case '>': rep = "&gt;"; break;
            case '"': rep = "&quot;"; break;
            case '\'': rep = "&apos;"; break;
            default:
                if (!xml_char_ok(c))
                    rep = "";
            }
        } else {
            uint32_t cp;
            n = sc_utf8_decode(s + i, len - i, &cp);
            if (n == 0) {
                n = 1;
                rep = "\xEF\xBF\xBD"; /* U+FFFD for a stray byte */
            } else if (!xml_char_ok(cp)) {
                rep = "";
            }
        }
        if (rep) {
            sc_buf_add(b, s + run, i - run);
            sc_buf_adds(b, rep);
            run = i + n;
        }
        i += n;
    }
    sc_buf_add(b, s + run, len - run);
}

static size_t space_at(const char *s, size_t len)
{
    unsigned char c = (unsigned char)s[0];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f')
        return 1;
    if (len >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0) /* U+3000 */
        return 3;
    if (len >= 2 && memcmp(s, "\xC2\xA0", 2) == 0) /* U+00A0 */
        return 2;
    return 0;
}

static size_t space_before(const char *s, size_t len)
{
    unsigned char c = (unsigned char)s[len - 1];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f')
        return 1;
    if (len >= 3 && memcmp(s + len - 3, "\xE3\x80\x80", 3) == 0)
        return 3;
    if (len >= 2 && memcmp(s + len - 2, "\xC2\xA0", 2) == 0)
        return 2;
    return 0;
}

const char *sc_ex_trim(const char *s, size_t *len)
{
    size_t n = *len, k;
    while (n && (k = space_at(s, n)) != 0)
        s += k, n -= k;
    while (n && (k = space_before(s, n)) != 0)
        n -= k;
    *len = n;
    return s;
}
