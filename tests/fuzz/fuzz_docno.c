/*
 * Fuzz target: reading a 发文字号 and a 成文日期 out of arbitrary text, and
 * the typed forms of both (lib/gongwen/docno.c). The input is used as a
 * document's text (valid UTF-8 or not) and as what a writer typed.
 */
#include "sucai/docno.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    const char *s = (const char *)data;
    char out[SC_DOCNO_MAX];
    if (sc_docno_find(s, size, out) && strlen(out) >= SC_DOCNO_MAX)
        abort();
    char again[SC_DOCNO_MAX];
    /* a canonical number reads back as itself */
    if (out[0] &&
        (sc_docno_canon(out, strlen(out), again) != SC_DOCNO_FULL || strcmp(out, again) != 0))
        abort();
    int32_t d = sc_docdate_find(s, size);
    if (d && !sc_date_valid(d))
        abort();
    enum sc_docno_kind k = sc_docno_canon(s, size, out);
    if (k == SC_DOCNO_NONE && out[0])
        abort();
    int32_t from, to;
    struct sc_diag diag = { 0 };
    if (sc_date_range_parse(s, size, &from, &to, &diag) == SC_OK &&
        (!sc_date_valid(from) || !sc_date_valid(to) || from > to))
        abort();
    char f[11];
    sc_date_format(from, f);
    return 0;
}
