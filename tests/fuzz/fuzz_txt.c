/*
 * libFuzzer target: plain-text intake. The bytes are decoded as "x.txt",
 * then as "x.md" and as a file without extension; whatever the input, the
 * result is either a refusal with a message or clean UTF-8 text (no NUL,
 * no '\r', no control characters but '\n' and '\t').
 */
#include "sucai/ingest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_clean(const char *s, size_t len)
{
    size_t bad;
    if (!sc_utf8_valid(s, len, &bad))
        abort();
    if (strlen(s) != len)
        abort(); /* a NUL inside */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
            abort();
    }
}

static void one(const char *name, const uint8_t *data, size_t size)
{
    struct sc_ingested in;
    struct sc_diag diag = { 0 };
    sc_ingested_init(&in);
    enum sc_err err = sc_ingest_bytes(name, data, size, &in, &diag);
    if (err == SC_OK) {
        check_clean(in.text.data, in.text.len);
        if (in.text.len == 0 || in.encoding[0] == '\0')
            abort();
        if (in.title_hint)
            check_clean(in.title_hint, strlen(in.title_hint));
    } else {
        if (diag.msg[0] == '\0' || in.text.len != 0 || in.title_hint)
            abort();
    }
    sc_ingested_release(&in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    one("x.txt", data, size);
    one("x.md", data, size);
    one("x", data, size);
    return 0;
}
