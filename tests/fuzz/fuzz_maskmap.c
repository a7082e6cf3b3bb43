/*
 * libFuzzer target: the JSON a user hands to restore (a mask map) and to
 * fill (a profile). The input is split at its first NUL byte into JSON and
 * text. Whatever the bytes, the answer is SC_OK or an error with a message;
 * a restore that succeeds yields valid UTF-8 when the text is valid.
 */
#include "sucai/mask.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    const char *nul = memchr(p, '\0', size);
    size_t jl = nul ? (size_t)(nul - p) : size;
    const char *text = nul ? nul + 1 : "";
    size_t tl = nul ? size - jl - 1 : 0;
    struct sc_buf out = SC_BUF_INIT;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_mask_restore(p, jl, nul ? text : NULL, tl, &out, &d);
    if (e != SC_OK && d.msg[0] == '\0' && e != SC_ENOMEM)
        abort();
    sc_buf_release(&out);
    struct sc_fill_result r;
    d.err = SC_OK;
    d.msg[0] = '\0';
    e = sc_fill_run(text, tl, p, jl, &r, &d);
    size_t bad;
    if (e == SC_OK) {
        if (!sc_utf8_valid(text, tl, &bad))
            abort();
        for (size_t i = 0; i < r.n; i++)
            if (r.slots[i].start >= r.slots[i].end || r.slots[i].end > tl)
                abort();
    } else if (d.msg[0] == '\0') {
        abort();
    }
    sc_fill_result_release(&r);
    return 0;
}
