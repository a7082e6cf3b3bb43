/*
 * Reading a writer's draft for proof / mask / fill: a file or "-" (stdin).
 * UTF-8 text is taken byte for byte, so that offsets in the output point
 * into the file as it is; anything else (.docx, GBK, UTF-16) is decoded by
 * the intake pipeline first, and offsets then point into the decoded text.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static enum sc_err read_stdin(struct sc_buf *b, size_t max, struct sc_diag *d)
{
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
        if (b->len + n > max)
            return sc_diag_set(d, SC_ELIMIT, "standard input: more than %zu bytes", max);
        sc_buf_add(b, chunk, n);
    }
    if (ferror(stdin))
        return sc_diag_set(d, SC_EIO, "standard input: read error");
    return sc_buf_err(b);
}

enum sc_err cli_read_draft(const char *path, size_t max, struct sc_buf *out, struct sc_diag *d)
{
    struct sc_buf raw = SC_BUF_INIT;
    enum sc_err e;
    const char *name = path;
    if (!strcmp(path, "-")) {
        name = "stdin.txt";
        e = read_stdin(&raw, max, d);
    } else {
        char *data = NULL;
        size_t len = 0;
        e = sc_read_file(path, max, &data, &len, d);
        if (e == SC_OK) {
            sc_buf_add(&raw, data, len);
            free(data);
            e = sc_buf_err(&raw);
        }
    }
    if (e != SC_OK) {
        sc_buf_release(&raw);
        return e;
    }
    size_t bad;
    enum sc_format f = sc_format_from_name(name);
    if (f != SC_FORMAT_DOCX && sc_utf8_valid(raw.data, raw.len, &bad) &&
        strlen(raw.data) == raw.len) {
        *out = raw;
        return SC_OK;
    }
    struct sc_ingested in;
    sc_ingested_init(&in);
    e = sc_ingest_bytes(name, raw.data, raw.len, &in, d);
    sc_buf_release(&raw);
    if (e == SC_OK) {
        *out = in.text;
        sc_buf_init(&in.text);
    }
    sc_ingested_release(&in);
    return e;
}
