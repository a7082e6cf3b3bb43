/*
 * Whole-file reading with a size limit, and SHA-256.
 */
#include "sucai/base.h"

#include <errno.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum sc_err sc_read_file(const char *path, size_t max, char **out, size_t *len,
                         struct sc_diag *diag)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return sc_diag_set(diag, SC_EIO, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            fclose(f);
            return sc_diag_set(diag, SC_EIO, "is a directory");
        }
        if ((uint64_t)st.st_size > max) {
            fclose(f);
            return sc_diag_set(diag, SC_ELIMIT, "file is %lld bytes, over the limit of %zu bytes",
                               (long long)st.st_size, max);
        }
    }
    struct sc_buf b = SC_BUF_INIT;
    b.max = max;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        sc_buf_add(&b, chunk, n);
        if (b.failed)
            break;
    }
    int rerr = ferror(f);
    int saved = errno;
    fclose(f);
    if (b.failed) {
        int over = b.len + n > max;
        sc_buf_release(&b);
        return over ? sc_diag_set(diag, SC_ELIMIT, "file is over the limit of %zu bytes", max)
                    : sc_diag_set(diag, SC_ENOMEM, "out of memory reading file");
    }
    if (rerr) {
        sc_buf_release(&b);
        return sc_diag_set(diag, SC_EIO, "read error: %s", strerror(saved));
    }
    *out = sc_buf_take(&b, len);
    if (!*out)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory reading file");
    return SC_OK;
}

void sc_sha256_hex(const void *data, size_t len, char out[65])
{
    /* OpenSSL's SHA-256 uses the CPU's SHA instructions where there are
     * some (about 8 times libsodium's portable code: an import hashes every
     * file and every article); libsodium's if OpenSSL fails */
    unsigned char h[crypto_hash_sha256_BYTES];
    unsigned int hl = 0;
    if (!EVP_Digest(data, len, h, &hl, EVP_sha256(), NULL) || hl != sizeof h)
        crypto_hash_sha256(h, data, len);
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof h; i++) {
        out[2 * i] = hex[h[i] >> 4];
        out[2 * i + 1] = hex[h[i] & 15];
    }
    out[64] = '\0';
}
