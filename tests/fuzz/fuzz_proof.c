/*
 * libFuzzer target: 校对 of arbitrary text. Invalid UTF-8 is refused with a
 * message; valid text gives findings inside the text, each with a rule, a
 * message and a known kind, sorted by start; the JSON is well formed (our
 * reader takes it back, but for a NUL, which it refuses in strings).
 */
#include "sucai/proof.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *t = (const char *)data;
    struct sc_proof_result r;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_proof_run(t, size, NULL, &r, &d);
    size_t bad;
    if (!sc_utf8_valid(t, size, &bad)) {
        if (e == SC_OK || d.msg[0] == '\0')
            abort();
        sc_proof_result_release(&r);
        return 0;
    }
    if (e != SC_OK)
        abort();
    for (size_t i = 0; i < r.n; i++) {
        const struct sc_finding *f = &r.items[i];
        if (f->start > f->end || f->end > size || (unsigned)f->kind >= SC_PK_COUNT || !f->rule ||
            !f->message || !f->message[0])
            abort();
        if (i && r.items[i - 1].start > f->start)
            abort();
    }
    struct sc_buf b = SC_BUF_INIT;
    struct sc_jw w;
    sc_jw_init(&w, &b);
    sc_proof_json(&w, t, size, &r);
    if (sc_jw_finish(&w) != SC_OK)
        abort();
    /* well formed; the reader refuses \u0000 in a string (its strings are C
     * strings), which a finding's text has when the draft holds a NUL */
    struct sc_json j;
    struct sc_diag jd = { 0 };
    if (sc_json_parse(&j, b.data, b.len, 0, &jd) != SC_OK &&
        !(memchr(t, 0, size) && strstr(jd.msg, "NUL character")))
        abort();
    sc_json_release(&j);
    sc_buf_release(&b);
    sc_proof_result_release(&r);
    return 0;
}
