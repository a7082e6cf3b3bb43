/*
 * libFuzzer target: 脱敏 of arbitrary text, all kinds, both placeholder
 * styles. Invalid UTF-8 and NUL bytes are refused with a message. Valid text: spans sorted, disjoint and inside the text, the
 * masked text equal to the original outside them, and the JSON map
 * restoring the original byte for byte.
 */
#include "sucai/mask.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void one(const char *t, size_t size, int distinct)
{
    struct sc_mask_opts o = { (1u << SC_MK_COUNT) - 1, distinct };
    struct sc_mask_result r;
    struct sc_diag d = { 0 };
    size_t bad;
    enum sc_err e = sc_mask_run(t, size, &o, &r, &d);
    if (!sc_utf8_valid(t, size, &bad) || memchr(t, '\0', size)) {
        if (e == SC_OK || d.msg[0] == '\0')
            abort();
        sc_mask_result_release(&r);
        return;
    }
    if (e != SC_OK)
        abort();
    struct sc_buf re = SC_BUF_INIT;
    size_t at = 0;
    for (size_t i = 0; i < r.n; i++) {
        const struct sc_mask_span *s = &r.spans[i];
        if (s->start < at || s->end <= s->start || s->end > size || !s->replacement)
            abort();
        sc_buf_add(&re, t + at, s->start - at);
        sc_buf_adds(&re, s->replacement);
        at = s->end;
    }
    sc_buf_add(&re, t + at, size - at);
    if (re.len != r.text.len || memcmp(re.data, r.text.data, re.len))
        abort();
    struct sc_buf js = SC_BUF_INIT, back = SC_BUF_INIT;
    struct sc_jw w;
    sc_jw_init(&w, &js);
    sc_mask_json(&w, t, size, &r);
    if (sc_jw_finish(&w) != SC_OK)
        abort();
    if (sc_mask_restore(js.data, js.len, NULL, 0, &back, NULL) != SC_OK)
        abort();
    if (back.len != size || memcmp(back.data, t, size))
        abort();
    sc_buf_release(&re);
    sc_buf_release(&js);
    sc_buf_release(&back);
    sc_mask_result_release(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    one((const char *)data, size, 0);
    one((const char *)data, size, 1);
    return 0;
}
