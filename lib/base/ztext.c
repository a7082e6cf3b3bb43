/* A document's text packed as a zstd frame (ztext.h). */
#include "base/ztext.h"

#include <stdlib.h>
#include <string.h>
#include <zstd.h>

/* zstd level 3 (its default): on shared/corpus/docs the text packs to 38%
 * (31.2 of 81.5 MB) for about a second of CPU over the whole import */
#define ZTEXT_LEVEL 3

static const unsigned char zstd_magic[4] = { 0x28, 0xB5, 0x2F, 0xFD };

int sc_ztext_is_packed(const void *v, size_t len)
{
    return v && len >= 4 && memcmp(v, zstd_magic, 4) == 0;
}

enum sc_err sc_ztext_pack(const char *text, size_t len, char **out, size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    size_t cap = ZSTD_compressBound(len);
    char *z = sc_malloc(cap ? cap : 1);
    if (!z)
        return SC_ENOMEM;
    size_t n = ZSTD_compress(z, cap, text ? text : "", len, ZTEXT_LEVEL);
    if (ZSTD_isError(n)) { /* with a bound-sized buffer: only for want of memory */
        free(z);
        return SC_ENOMEM;
    }
    char *shrunk = sc_realloc(z, n ? n : 1); /* give back the bound's slack */
    *out = shrunk ? shrunk : z;
    *outlen = n;
    return SC_OK;
}

enum sc_err sc_ztext_unpack(const void *v, size_t len, char **out, size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    size_t size = len;
    if (sc_ztext_is_packed(v, len)) {
        unsigned long long cs = ZSTD_getFrameContentSize(v, len);
        if (cs == ZSTD_CONTENTSIZE_UNKNOWN || cs == ZSTD_CONTENTSIZE_ERROR ||
            cs > SC_ZTEXT_MAX_BYTES)
            return SC_EPARSE;
        size = (size_t)cs;
    }
    char *t = sc_malloc(size + 1);
    if (!t)
        return SC_ENOMEM;
    if (sc_ztext_is_packed(v, len)) {
        size_t n = ZSTD_decompress(t, size, v, len);
        if (ZSTD_isError(n) || n != size) {
            free(t);
            return SC_EPARSE;
        }
    } else if (size) {
        memcpy(t, v, size);
    }
    t[size] = '\0';
    *out = t;
    *outlen = size;
    return SC_OK;
}
