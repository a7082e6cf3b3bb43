/*
 * Plain-text decoding: bytes in whatever encoding a Chinese office file
 * arrives in -> clean UTF-8. The order of decisions (docs/internals/ingest.md):
 * byte-order mark, NUL bytes (binary or BOM-less UTF-16), valid UTF-8,
 * then uchardet for GB18030/GBK and Big5, decoded with iconv. Anything that
 * does not decode exactly is refused with the offset of the first bad byte:
 * we never import mojibake.
 */
#include "ingest_int.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uchardet.h>

/* Only this much is shown to uchardet, from just before the first
 * non-ASCII byte: it decides on statistics (8 KiB is thousands of
 * characters), and the whole file is validated by the decoder anyway. */
#define DETECT_BYTES (8u * 1024)
/* Bytes sampled to tell damaged UTF-8 from another encoding. */
#define CENSUS_BYTES (64u * 1024)

static enum sc_err nomem(struct sc_diag *diag)
{
    return sc_diag_set(diag, SC_ENOMEM, "out of memory");
}

/* ---- clean UTF-8 ------------------------------------------------------ */

enum clean_fail {
    CLEAN_OK = 0,
    CLEAN_NOMEM,
    CLEAN_BAD_UTF8,
    CLEAN_NUL,
};

#define ONES  0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Nonzero if any of the 8 bytes in v needs a closer look: a byte with the
 * high bit set, a control character below 0x20, or DEL. The two subtraction
 * tricks are exact once bytes with the high bit are excluded. */
static inline uint64_t word_special(uint64_t v)
{
    uint64_t t = v ^ (ONES * 0x7F);
    return (v | ((v - ONES * 0x20) & ~v) | ((t - ONES) & ~t)) & HIGHS;
}

/*
 * The one pass over text: validates UTF-8 and copies ordinary characters
 * in spans (8 bytes at a time for ASCII), handling line ends and control
 * characters one by one. Output is never longer than input.
 */
static enum clean_fail clean_core(const unsigned char *s, size_t len, struct sc_buf *out,
                                  size_t *bad, size_t *dropped)
{
    if (sc_buf_grow(out, len) != SC_OK)
        return CLEAN_NOMEM;
    char *w = out->data + out->len;
    size_t i = 0, ndrop = 0;
    enum clean_fail rc = CLEAN_OK;
    while (i < len) {
        size_t start = i;
        for (;;) {
            if (i >= len)
                break;
            unsigned c = s[i];
            if (c < 0x80) {
                if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
                    break;
                /* ASCII: try whole words from here */
                i++;
                while (i + 8 <= len) {
                    uint64_t v;
                    memcpy(&v, s + i, 8);
                    if (word_special(v))
                        break;
                    i += 8;
                }
                continue;
            }
            if (c >= 0xE0 && c <= 0xEF) { /* most CJK text lives here */
                if (i + 2 >= len)
                    break;
                unsigned c1 = s[i + 1], c2 = s[i + 2];
                if ((c1 & 0xC0) != 0x80 || (c2 & 0xC0) != 0x80)
                    break;
                if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0))
                    break; /* overlong or surrogate */
                if (c == 0xE2 && c1 == 0x80 && (c2 == 0xA8 || c2 == 0xA9))
                    break; /* U+2028/U+2029: line ends */
                i += 3;
                continue;
            }
            if (c >= 0xC2 && c <= 0xDF) {
                if (i + 1 >= len || (s[i + 1] & 0xC0) != 0x80)
                    break;
                if (c == 0xC2 && s[i + 1] < 0xA0)
                    break; /* C1 control characters */
                i += 2;
                continue;
            }
            if (c >= 0xF0 && c <= 0xF4) {
                if (i + 3 >= len)
                    break;
                unsigned c1 = s[i + 1];
                if ((c1 & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80 || (s[i + 3] & 0xC0) != 0x80)
                    break;
                if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90))
                    break;
                i += 4;
                continue;
            }
            break;
        }
        if (i > start) {
            memcpy(w, s + start, i - start);
            w += i - start;
        }
        if (i >= len)
            break;
        unsigned c = s[i];
        if (c == '\r') {
            *w++ = '\n';
            i++;
            if (i < len && s[i] == '\n')
                i++;
        } else if (c == '\f' || c == '\v') {
            *w++ = '\n';
            i++;
        } else if (c == 0) {
            *bad = i;
            rc = CLEAN_NUL;
            break;
        } else if (c < 0x20 || c == 0x7F) {
            ndrop++;
            i++;
        } else if (c == 0xC2 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] < 0xA0) {
            if (s[i + 1] == 0x85) /* NEL */
                *w++ = '\n';
            else
                ndrop++;
            i += 2;
        } else if (c == 0xE2 && i + 2 < len && s[i + 1] == 0x80 &&
                   (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) {
            *w++ = '\n';
            i += 3;
        } else {
            *bad = i;
            rc = CLEAN_BAD_UTF8;
            break;
        }
    }
    if (rc != CLEAN_OK) {
        out->data[out->len] = '\0';
        return rc;
    }
    out->len = (size_t)(w - out->data);
    out->data[out->len] = '\0';
    if (dropped)
        *dropped = ndrop;
    return CLEAN_OK;
}

enum sc_err sc_ingest_clean(const char *src, size_t len, struct sc_buf *out, size_t base,
                            size_t *dropped, struct sc_diag *diag)
{
    size_t bad = 0;
    switch (clean_core((const unsigned char *)src, len, out, &bad, dropped)) {
    case CLEAN_OK: return SC_OK;
    case CLEAN_NOMEM: return nomem(diag);
    case CLEAN_NUL:
        return sc_diag_set(diag, SC_EPARSE, "binary file (NUL byte at byte %zu)", base + bad);
    case CLEAN_BAD_UTF8: break;
    }
    return sc_diag_set(diag, SC_EPARSE, "not valid UTF-8 at byte %zu", base + bad);
}

int sc_ingest_blank(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            i++;
            continue;
        }
        if (c < 0x80)
            return 0;
        uint32_t cp;
        size_t n = sc_utf8_decode(s + i, len - i, &cp);
        if (n == 0)
            return 0;
        if (!(cp == 0x3000 || cp == 0xA0 || cp == 0xFEFF || cp == 0x200B || cp == 0x1680 ||
              (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F))
            return 0;
        i += n;
    }
    return 1;
}

/* ---- UTF-16 / UTF-32 with a byte-order mark ----------------------------- */

/* Decode UTF-16 or UTF-32 (unit = 2 or 4 bytes) starting after the BOM.
 * On failure *bad is the file offset of the bad unit and *why says what. */
static enum clean_fail decode_utf_wide(const unsigned char *d, size_t len, size_t bom,
                                       unsigned unit, int be, struct sc_buf *tmp, size_t *bad,
                                       const char **why)
{
    size_t units = (len - bom) / unit;
    if (units > (SIZE_MAX - 16) / 4 || sc_buf_grow(tmp, units * (unit == 2 ? 3 : 4) + 4))
        return CLEAN_NOMEM;
    char *w = tmp->data + tmp->len;
    size_t i = bom;
    while (i + unit <= len) {
        uint32_t cp;
        if (unit == 4) {
            cp = be ? ((uint32_t)d[i] << 24 | (uint32_t)d[i + 1] << 16 | (uint32_t)d[i + 2] << 8 |
                       d[i + 3])
                    : ((uint32_t)d[i + 3] << 24 | (uint32_t)d[i + 2] << 16 |
                       (uint32_t)d[i + 1] << 8 | d[i]);
            if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                *bad = i, *why = "";
                return CLEAN_BAD_UTF8;
            }
            i += 4;
        } else {
            cp = be ? (uint32_t)d[i] << 8 | d[i + 1] : (uint32_t)d[i + 1] << 8 | d[i];
            if (cp >= 0xDC00 && cp <= 0xDFFF) {
                *bad = i, *why = " (unpaired surrogate)";
                return CLEAN_BAD_UTF8;
            }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (i + 4 > len) {
                    *bad = i, *why = " (truncated)";
                    return CLEAN_BAD_UTF8;
                }
                uint32_t lo =
                    be ? (uint32_t)d[i + 2] << 8 | d[i + 3] : (uint32_t)d[i + 3] << 8 | d[i + 2];
                if (lo < 0xDC00 || lo > 0xDFFF) {
                    *bad = i, *why = " (unpaired surrogate)";
                    return CLEAN_BAD_UTF8;
                }
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 4;
            } else {
                i += 2;
            }
        }
        if (cp == 0) {
            *bad = i - unit;
            return CLEAN_NUL;
        }
        if (cp < 0x80) {
            *w++ = (char)cp;
        } else {
            char enc[4];
            size_t n = sc_utf8_encode(cp, enc);
            memcpy(w, enc, n);
            w += n;
        }
    }
    tmp->len = (size_t)(w - tmp->data);
    tmp->data[tmp->len] = '\0';
    if (i != len) {
        *bad = i, *why = " (truncated)";
        return CLEAN_BAD_UTF8;
    }
    return CLEAN_OK;
}

/* ---- iconv -------------------------------------------------------------- */

enum conv_rc {
    CONV_OK = 0,
    CONV_BAD, /* *bad = offset of the first undecodable sequence */
    CONV_NOMEM,
    CONV_NOCONV, /* iconv does not know the encoding */
};

static enum conv_rc iconv_decode(const char *from, const unsigned char *d, size_t len,
                                 struct sc_buf *tmp, size_t *bad, int *truncated)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return CONV_NOCONV;
    enum conv_rc rc = CONV_OK;
    char *in = (char *)(uintptr_t)d; /* iconv's prototype is not const-correct */
    size_t inleft = len;
    size_t want = len < SIZE_MAX / 2 - 64 ? len * 2 + 64 : len;
    while (inleft > 0) {
        if (sc_buf_grow(tmp, want) != SC_OK) {
            rc = CONV_NOMEM;
            break;
        }
        char *o = tmp->data + tmp->len;
        size_t oleft = tmp->cap - tmp->len - 1;
        size_t r = iconv(cd, &in, &inleft, &o, &oleft);
        tmp->len = (size_t)(o - tmp->data);
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG) {
            want = inleft * 2 + 64;
            continue;
        }
        *bad = (size_t)((const unsigned char *)in - d);
        *truncated = errno == EINVAL;
        rc = CONV_BAD;
        break;
    }
    tmp->data[tmp->len] = '\0';
    iconv_close(cd);
    return rc;
}

/* ---- detection ---------------------------------------------------------- */

/* Counts over a UTF-8 scan of the first CENSUS_BYTES: how many multi-byte
 * sequences were valid and how many bytes were not, resynchronising after
 * each bad byte. A sample is enough: damaged UTF-8 is mostly valid
 * everywhere, GBK nowhere. */
static void utf8_census(const unsigned char *d, size_t len, size_t *valid_mb, size_t *invalid)
{
    size_t i = 0, v = 0, b = 0;
    if (len > CENSUS_BYTES)
        len = CENSUS_BYTES;
    while (i < len) {
        unsigned c = d[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n = c >= 0xC2 && c <= 0xDF   ? 2
                   : c >= 0xE0 && c <= 0xEF ? 3
                   : c >= 0xF0 && c <= 0xF4 ? 4
                                            : 0;
        size_t k = 1;
        while (n && k < n && i + k < len && (d[i + k] & 0xC0) == 0x80)
            k++;
        if (n && k == n) {
            v++;
            i += n;
        } else {
            b++;
            i++;
        }
    }
    *valid_mb = v, *invalid = b;
}

/*
 * Is this plausibly GB2312/GBK Chinese? Structure must be valid GB18030 and
 * at least 85% of the double-byte characters must fall in the GB2312 area
 * (both bytes >= 0xA1), where everyday Chinese text lives. Latin-1 or other
 * single-byte text forms such pairs only by accident, so this is what lets
 * us overrule a detector that sees WINDOWS-1252 in a mostly-ASCII GBK file.
 */
static int gb_plausible(const unsigned char *d, size_t len)
{
    size_t pairs = 0, gb2312 = 0, i = 0;
    while (i < len) {
        unsigned c = d[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c == 0x80 || c == 0xFF || i + 1 >= len)
            return 0;
        unsigned c1 = d[i + 1];
        if (c1 >= 0x30 && c1 <= 0x39) { /* four-byte GB18030 */
            if (i + 3 >= len || d[i + 2] < 0x81 || d[i + 2] > 0xFE || d[i + 3] < 0x30 ||
                d[i + 3] > 0x39)
                return 0;
            pairs++;
            i += 4;
            continue;
        }
        if (c1 < 0x40 || c1 == 0x7F || c1 == 0xFF)
            return 0;
        pairs++;
        if (c >= 0xA1 && c <= 0xF7 && c1 >= 0xA1)
            gb2312++;
        i += 2;
    }
    return pairs > 0 && gb2312 * 100 >= pairs * 85;
}

/* uchardet's guess, upper-cased, "" when it has none. */
static enum sc_err detect(const unsigned char *d, size_t len, char name[32])
{
    name[0] = '\0';
    uchardet_t ud = uchardet_new();
    if (!ud)
        return SC_ENOMEM;
    size_t from = 0;
    while (from < len && d[from] < 0x80)
        from++;
    from = from > 256 ? from - 256 : 0; /* some context before it */
    size_t n = len - from < DETECT_BYTES ? len - from : DETECT_BYTES;
    if (uchardet_handle_data(ud, (const char *)d + from, n) == 0) {
        uchardet_data_end(ud);
        const char *cs = uchardet_get_charset(ud);
        size_t k = 0;
        for (; cs && cs[k] && k < 31; k++)
            name[k] = (char)(cs[k] >= 'a' && cs[k] <= 'z' ? cs[k] - 32 : cs[k]);
        name[k] = '\0';
    }
    uchardet_delete(ud);
    return SC_OK;
}

static int name_in(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(name, *list) == 0)
            return 1;
    return 0;
}

static const char *const gb_names[] = { "GB18030",    "GBK",   "GB2312", "EUC-CN",
                                        "HZ-GB-2312", "CP936", NULL };
static const char *const big5_names[] = { "BIG5", "BIG5-HKSCS", "CP950", NULL };
static const char *const korean_names[] = {
    "EUC-KR", "UHC", "CP949", "JOHAB", "ISO-2022-KR", NULL
};
static const char *const japanese_names[] = { "EUC-JP", "SHIFT_JIS", "CP932", "ISO-2022-JP", NULL };

/* Decode with iconv, then clean into out. */
static enum sc_err convert(const char *from, const char *label, const unsigned char *d, size_t len,
                           struct sc_buf *out, char encoding[32], size_t *dropped,
                           struct sc_diag *diag)
{
    struct sc_buf tmp = SC_BUF_INIT;
    size_t bad = 0;
    int trunc = 0;
    enum sc_err err = SC_OK;
    switch (iconv_decode(from, d, len, &tmp, &bad, &trunc)) {
    case CONV_OK: break;
    case CONV_NOMEM: err = nomem(diag); goto out;
    case CONV_NOCONV:
        err = sc_diag_set(diag, SC_EUNSUPPORTED,
                          "%s text cannot be decoded on this system "
                          "(iconv lacks it); save the file as UTF-8",
                          label);
        goto out;
    case CONV_BAD:
        err = sc_diag_set(diag, SC_EPARSE, "not valid %s at byte %zu%s", label, bad,
                          trunc ? " (truncated)" : "");
        goto out;
    }
    /* A GB18030 byte-order mark decodes to U+FEFF: drop it. */
    size_t skip = tmp.len >= 3 && memcmp(tmp.data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    err = sc_ingest_clean(tmp.data + skip, tmp.len - skip, out, 0, dropped, diag);
    if (err == SC_OK)
        snprintf(encoding, 32, "%s", label);
out:
    sc_buf_release(&tmp);
    return err;
}

/* The file has NUL bytes and no BOM: binary, or UTF-16 without a BOM. */
static enum sc_err refuse_nul(const unsigned char *d, size_t len, size_t first,
                              struct sc_diag *diag)
{
    size_t odd = 0, even = 0, n = len < 4096 ? len : 4096;
    for (size_t i = 0; i < n; i++)
        if (d[i] == 0 && (i & 1))
            odd++;
        else if (d[i] == 0)
            even++;
    if (n >= 4 && (odd == 0 || even == 0) && (odd + even >= 8 || (odd + even) * 3 >= n))
        return sc_diag_set(diag, SC_EUNSUPPORTED,
                           "looks like UTF-16 without a byte-order mark (NUL byte at byte %zu); "
                           "save it as UTF-8 or as UTF-16 with a BOM",
                           first);
    return sc_diag_set(diag, SC_EPARSE, "binary file (NUL byte at byte %zu)", first);
}

/* Many control characters in text that decoded: it is binary after all. */
static enum sc_err check_controls(const struct sc_buf *out, size_t start, size_t dropped,
                                  struct sc_diag *diag)
{
    if (dropped <= 8)
        return SC_OK;
    size_t chars = sc_utf8_count(out->data + start, out->len - start) + dropped;
    if (dropped * 20 > chars)
        return sc_diag_set(diag, SC_EPARSE, "binary file (%zu control characters)", dropped);
    return SC_OK;
}

enum sc_err sc_ingest_text(const unsigned char *d, size_t len, struct sc_buf *out,
                           char encoding[32], struct sc_diag *diag)
{
    size_t start = out->len, bad = 0, dropped = 0;
    enum sc_err err;
    encoding[0] = '\0';

    /* 1. Byte-order marks decide. UTF-32 before UTF-16: FF FE 00 00. */
    static const struct {
        const char *bom;
        size_t n;
        unsigned unit;
        int be;
        const char *label;
    } boms[] = {
        { "\xFF\xFE\x00\x00", 4, 4, 0, "UTF-32LE" },
        { "\x00\x00\xFE\xFF", 4, 4, 1, "UTF-32BE" },
        { "\xFF\xFE", 2, 2, 0, "UTF-16LE" },
        { "\xFE\xFF", 2, 2, 1, "UTF-16BE" },
    };
    for (size_t k = 0; k < sizeof boms / sizeof boms[0]; k++) {
        if (len < boms[k].n || memcmp(d, boms[k].bom, boms[k].n) != 0)
            continue;
        struct sc_buf tmp = SC_BUF_INIT;
        const char *why = "";
        enum clean_fail rc =
            decode_utf_wide(d, len, boms[k].n, boms[k].unit, boms[k].be, &tmp, &bad, &why);
        if (rc == CLEAN_NOMEM)
            err = nomem(diag);
        else if (rc == CLEAN_NUL)
            err = sc_diag_set(diag, SC_EPARSE, "binary file (NUL character at byte %zu)", bad);
        else if (rc == CLEAN_BAD_UTF8)
            err =
                sc_diag_set(diag, SC_EPARSE, "not valid %s at byte %zu%s", boms[k].label, bad, why);
        else
            err = sc_ingest_clean(tmp.data, tmp.len, out, 0, &dropped, diag);
        sc_buf_release(&tmp);
        if (err == SC_OK)
            err = check_controls(out, start, dropped, diag);
        if (err == SC_OK)
            snprintf(encoding, 32, "%s", boms[k].label);
        return err;
    }
    if (len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0) {
        err = sc_ingest_clean((const char *)d + 3, len - 3, out, 3, &dropped, diag);
        if (err == SC_OK)
            err = check_controls(out, start, dropped, diag);
        if (err == SC_OK)
            snprintf(encoding, 32, "UTF-8-BOM");
        return err;
    }

    /* 2. NUL bytes: no text encoding we accept without a BOM has them. */
    const unsigned char *nul = memchr(d, 0, len);
    if (nul)
        return refuse_nul(d, len, (size_t)(nul - d), diag);

    /* 3. Valid UTF-8 (ASCII included) is UTF-8: the fast, common path. */
    switch (clean_core(d, len, out, &bad, &dropped)) {
    case CLEAN_OK:
        err = check_controls(out, start, dropped, diag);
        if (err == SC_OK)
            snprintf(encoding, 32, "UTF-8");
        return err;
    case CLEAN_NOMEM: return nomem(diag);
    case CLEAN_NUL: /* excluded above */
    case CLEAN_BAD_UTF8: break;
    }
    out->len = start;
    out->data[start] = '\0';
    size_t first_bad = bad;

    /* 4. Mostly valid UTF-8 with a few bad bytes is damaged UTF-8, not GBK:
     * GBK text almost never forms valid UTF-8 sequences. */
    size_t valid_mb, invalid;
    utf8_census(d, len, &valid_mb, &invalid);
    if (valid_mb >= 4 && valid_mb >= invalid * 4)
        return sc_diag_set(diag, SC_EPARSE, "not valid UTF-8 at byte %zu", first_bad);

    /* 5. Ask uchardet, then decode exactly or refuse. */
    char det[32];
    if (detect(d, len, det) != SC_OK)
        return nomem(diag);
    if (name_in(det, gb_names))
        err = convert("GB18030", "GB18030", d, len, out, encoding, &dropped, diag);
    else if (name_in(det, big5_names) || strcmp(det, "EUC-TW") == 0) {
        const char *from = strcmp(det, "EUC-TW") == 0 ? "EUC-TW" : "BIG5-HKSCS";
        const char *label = strcmp(det, "EUC-TW") == 0 ? "EUC-TW" : "BIG5";
        struct sc_diag quiet = { 0 };
        err = convert(from, label, d, len, out, encoding, &dropped, &quiet);
        if (err == SC_EPARSE && gb_plausible(d, len)) {
            out->len = start;
            out->data[start] = '\0';
            err = convert("GB18030", "GB18030", d, len, out, encoding, &dropped, diag);
        } else if (err != SC_OK) {
            err = sc_diag_set(diag, err, "%s", quiet.msg);
        }
    } else if (name_in(det, korean_names) || name_in(det, japanese_names)) {
        return sc_diag_set(diag, SC_EUNSUPPORTED,
                           "text looks like %s (%s), which is not accepted; if it is Chinese, "
                           "convert it to UTF-8 first (iconv -f GB18030 -t UTF-8)",
                           det, name_in(det, korean_names) ? "Korean" : "Japanese");
    } else if (gb_plausible(d, len)) {
        /* Mostly-ASCII GBK often fools the detector into a single-byte
         * guess; the GB2312-area test above is decisive there. */
        err = convert("GB18030", "GB18030", d, len, out, encoding, &dropped, diag);
    } else if (strcmp(det, "UTF-8") == 0 || det[0] == '\0' || strcmp(det, "ASCII") == 0) {
        return sc_diag_set(diag, SC_EPARSE, "not valid UTF-8 at byte %zu", first_bad);
    } else {
        return sc_diag_set(diag, SC_EUNSUPPORTED,
                           "not valid UTF-8 at byte %zu and not Chinese GB18030/Big5 text "
                           "(detected %s); save the file as UTF-8",
                           first_bad, det);
    }
    if (err == SC_OK)
        err = check_controls(out, start, dropped, diag);
    return err;
}

char *sc_ingest_title_dup(const char *s, size_t len, int *nomem_flag)
{
    /* trim ASCII and ideographic spaces at both ends */
    for (;;) {
        if (len && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n')) {
            s++, len--;
        } else if (len >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0) {
            s += 3, len -= 3;
        } else {
            break;
        }
    }
    for (;;) {
        if (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n'))
            len--;
        else if (len >= 3 && memcmp(s + len - 3, "\xE3\x80\x80", 3) == 0)
            len -= 3;
        else
            break;
    }
    if (len == 0)
        return NULL;
    if (len > SC_TITLE_HINT_MAX) {
        len = SC_TITLE_HINT_MAX;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    char *t = sc_strndup(s, len);
    if (!t) {
        *nomem_flag = 1;
        return NULL;
    }
    for (size_t i = 0; i < len; i++)
        if (t[i] == '\n' || t[i] == '\t')
            t[i] = ' ';
    return t;
}
