/*
 * libFuzzer target: .docx intake (zip + XML). Input starting with "PK" is
 * taken as the .docx itself. Anything else is XML: it is packed into a
 * zip as word/document.xml (and, after a line "--numbering--", as
 * word/numbering.xml; after "--styles--", as word/styles.xml; then after
 * "--footnotes--" and "--endnotes--" as those parts), stored
 * uncompressed, so mutations reach the XML walker instead of dying on a
 * CRC. Whatever the bytes, the result is a refusal with a message, or clean
 * UTF-8 text and title.
 */
#include "sucai/ingest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static void check_clean(const char *s, size_t len)
{
    size_t bad;
    if (!sc_utf8_valid(s, len, &bad) || strlen(s) != len)
        abort();
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
            abort();
    }
}

static void put(struct sc_buf *b, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        sc_buf_addc(b, (char)((v >> (8 * i)) & 0xFF));
}

/* One stored entry: local header and data into zip, directory into cd. */
static void entry(struct sc_buf *zip, struct sc_buf *cd, const char *name, const uint8_t *d,
                  size_t n)
{
    uint32_t crc = (uint32_t)crc32(0L, d, (uInt)n);
    uint32_t off = (uint32_t)zip->len;
    size_t nl = strlen(name);
    put(zip, 0x04034b50, 4);
    put(zip, 20, 2);
    put(zip, 0, 2);
    put(zip, 0, 2);
    put(zip, 0, 4);
    put(zip, crc, 4);
    put(zip, (uint32_t)n, 4);
    put(zip, (uint32_t)n, 4);
    put(zip, (uint32_t)nl, 2);
    put(zip, 0, 2);
    sc_buf_add(zip, name, nl);
    sc_buf_add(zip, d, n);
    put(cd, 0x02014b50, 4);
    put(cd, 20, 2);
    put(cd, 20, 2);
    put(cd, 0, 2);
    put(cd, 0, 2);
    put(cd, 0, 4);
    put(cd, crc, 4);
    put(cd, (uint32_t)n, 4);
    put(cd, (uint32_t)n, 4);
    put(cd, (uint32_t)nl, 2);
    put(cd, 0, 4);
    put(cd, 0, 4);
    put(cd, 0, 2);
    put(cd, off, 4);
    sc_buf_add(cd, name, nl);
}

static const uint8_t *find(const uint8_t *d, size_t n, const char *sep)
{
    size_t m = strlen(sep);
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(d + i, sep, m) == 0)
            return d + i;
    return NULL;
}

static void pack(const uint8_t *data, size_t size, struct sc_buf *zip)
{
    static const char *const seps[] = { "\n--numbering--\n", "\n--styles--\n", "\n--footnotes--\n",
                                        "\n--endnotes--\n" };
    static const char *const names[] = { "word/document.xml", "word/numbering.xml",
                                         "word/styles.xml", "word/footnotes.xml",
                                         "word/endnotes.xml" };
    struct sc_buf cd = SC_BUF_INIT;
    const uint8_t *p = data, *end = data + size;
    unsigned count = 0;
    for (int k = 0; k < 5; k++) {
        const uint8_t *next = k < 4 ? find(p, (size_t)(end - p), seps[k]) : NULL;
        const uint8_t *stop = next ? next : end;
        entry(zip, &cd, names[k], p, (size_t)(stop - p));
        count++;
        if (!next)
            break;
        p = next + strlen(seps[k]);
    }
    uint32_t cd_off = (uint32_t)zip->len;
    sc_buf_add(zip, cd.data, cd.len);
    put(zip, 0x06054b50, 4);
    put(zip, 0, 4);
    put(zip, count, 2);
    put(zip, count, 2);
    put(zip, (uint32_t)cd.len, 4);
    put(zip, cd_off, 4);
    put(zip, 0, 2);
    sc_buf_release(&cd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sc_buf zip = SC_BUF_INIT;
    if (!(size >= 2 && data[0] == 'P' && data[1] == 'K')) {
        pack(data, size, &zip);
        if (sc_buf_err(&zip))
            abort();
        data = (const uint8_t *)zip.data;
        size = zip.len;
    }
    struct sc_ingested in;
    struct sc_diag diag = { 0 };
    sc_ingested_init(&in);
    enum sc_err err = sc_ingest_bytes("x.docx", data, size, &in, &diag);
    if (err == SC_OK) {
        check_clean(in.text.data, in.text.len);
        if (in.text.len == 0)
            abort();
        if (in.title_hint) {
            check_clean(in.title_hint, strlen(in.title_hint));
            if (strchr(in.title_hint, '\n'))
                abort();
        }
    } else if (diag.msg[0] == '\0' || in.text.len != 0 || in.title_hint) {
        abort();
    }
    sc_ingested_release(&in);
    sc_buf_release(&zip);
    return 0;
}
