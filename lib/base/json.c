/*
 * JSON string escaping: the one place where text becomes JSON, used by the
 * CLI's --json output and by the server.
 */
#include "sucai/base.h"

void sc_json_str(struct sc_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    sc_buf_addc(b, '"');
    size_t i = 0, run = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0x80) {
            uint32_t cp;
            size_t n = sc_utf8_decode(s + i, len - i, &cp);
            if (n) {
                i += n;
                continue;
            }
            sc_buf_add(b, s + run, i - run);
            sc_buf_adds(b, "\xEF\xBF\xBD"); /* U+FFFD for an invalid byte */
            run = ++i;
            continue;
        }
        sc_buf_add(b, s + run, i - run);
        switch (c) {
        case '"': sc_buf_adds(b, "\\\""); break;
        case '\\': sc_buf_adds(b, "\\\\"); break;
        case '\n': sc_buf_adds(b, "\\n"); break;
        case '\t': sc_buf_adds(b, "\\t"); break;
        case '\r': sc_buf_adds(b, "\\r"); break;
        default: {
            char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
            sc_buf_add(b, e, 6);
        }
        }
        run = ++i;
    }
    sc_buf_add(b, s + run, i - run);
    sc_buf_addc(b, '"');
}

void sc_json_strz(struct sc_buf *b, const char *s)
{
    if (!s)
        sc_buf_adds(b, "null");
    else
        sc_json_str(b, s, __builtin_strlen(s));
}
