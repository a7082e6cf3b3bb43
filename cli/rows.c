/*
 * Columns of the command line's lists of accounts, tokens and audit
 * entries (cmd_user.c, cmd_token.c, cmd_audit.c): times as UTC or "-",
 * client text on one line, JSON times as strings or null.
 */
#include "cli.h"

#include "sucai/json.h"

void cli_time_text(struct sc_buf *b, int64_t t)
{
    if (!t) {
        sc_buf_adds(b, "-");
        return;
    }
    char s[SC_UTC_LEN];
    sc_utc_format(t, s);
    sc_buf_adds(b, s);
}

void cli_pad(struct sc_buf *b, size_t at, size_t width)
{
    size_t w = b->len - at;
    sc_buf_addf(b, "%*s", (int)(w < width ? width - w : 1), "");
}

void cli_text_clean(struct sc_buf *b, const char *s)
{
    if (!s || !*s) {
        sc_buf_addc(b, '-');
        return;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        sc_buf_addc(b, *p < 0x20 || *p == 0x7f ? '?' : (char)*p);
}

void cli_jw_time(struct sc_jw *w, const char *key, int64_t t)
{
    if (!t) {
        sc_jw_knull(w, key);
        return;
    }
    char s[SC_UTC_LEN];
    sc_utc_format(t, s);
    sc_jw_kstrz(w, key, s);
}
