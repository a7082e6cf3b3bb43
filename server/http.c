/*
 * Parsers for untrusted request bytes (see http.h): %-decoding, query
 * strings, header parameters, cookies, multipart/form-data and JSON, and
 * the Content-Disposition writer. Fuzzed by tests/fuzz/fuzz_http.c, which
 * includes this file, so it depends on libsucai's base only.
 */
#include "http.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

enum sc_err http_pct_decode(const char *s, size_t len, int plus_space, struct sc_buf *out,
                            struct sc_diag *diag)
{
    size_t start = out->len;
    size_t run = 0, i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c != '%' && !(plus_space && c == '+')) {
            if (c == 0)
                return sc_diag_set(diag, SC_EPARSE, "NUL byte at byte %zu", i + 1);
            i++;
            continue;
        }
        sc_buf_add(out, s + run, i - run);
        if (c == '+') {
            sc_buf_addc(out, ' ');
            run = ++i;
            continue;
        }
        int hi = i + 2 < len ? hexval((unsigned char)s[i + 1]) : -1;
        int lo = hi >= 0 ? hexval((unsigned char)s[i + 2]) : -1;
        if (hi < 0 || lo < 0)
            return sc_diag_set(diag, SC_EPARSE, "bad %%-escape at byte %zu", i + 1);
        if (hi == 0 && lo == 0)
            return sc_diag_set(diag, SC_EPARSE, "NUL byte (%%00) at byte %zu", i + 1);
        sc_buf_addc(out, (char)(hi * 16 + lo));
        i += 3;
        run = i;
    }
    sc_buf_add(out, s + run, i - run);
    if (sc_buf_err(out))
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    size_t bad;
    if (!sc_utf8_valid(out->data + start, out->len - start, &bad))
        return sc_diag_set(diag, SC_EPARSE, "invalid UTF-8 at byte %zu (after %%-decoding)",
                           bad + 1);
    return SC_OK;
}

enum sc_err http_path_decode(const char *s, size_t len, struct sc_buf *out, struct sc_diag *diag)
{
    if (len == 0 || s[0] != '/')
        return sc_diag_set(diag, SC_EPARSE, "the path must start with '/'");
    size_t start = out->len;
    enum sc_err e = http_pct_decode(s, len, 0, out, diag);
    if (e != SC_OK)
        return e;
    const char *p = out->data + start;
    size_t n = out->len - start;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x20 || c == 0x7f || c == '\\')
            return sc_diag_set(diag, SC_EPARSE, "forbidden character in path at byte %zu", i + 1);
    }
    /* segments: reject "." and ".." wherever they stand */
    size_t i = 1, seg = 1;
    while (i <= n) {
        if (i == n || p[i] == '/') {
            size_t sl = i - seg;
            if ((sl == 1 && p[seg] == '.') || (sl == 2 && p[seg] == '.' && p[seg + 1] == '.'))
                return sc_diag_set(diag, SC_EPARSE, "'.' or '..' segment in path");
            seg = i + 1;
        }
        i++;
    }
    return SC_OK;
}

enum sc_err http_params_add(struct http_params *p, const char *name, size_t nlen, const char *value,
                            size_t vlen, struct sc_diag *diag)
{
    if (p->n >= HTTP_MAX_PARAMS)
        return sc_diag_set(diag, SC_ELIMIT, "too many query parameters (at most %d)",
                           HTTP_MAX_PARAMS);
    if (p->n == p->cap) {
        size_t ncap = p->cap ? p->cap * 2 : 8;
        struct http_param *nv = sc_reallocarray(p->v, ncap, sizeof *nv);
        if (!nv)
            return sc_diag_set(diag, SC_ENOMEM, "out of memory");
        p->v = nv;
        p->cap = ncap;
    }
    struct sc_buf nb = SC_BUF_INIT, vb = SC_BUF_INIT;
    struct sc_diag d = { 0 };
    enum sc_err e = http_pct_decode(name, nlen, 1, &nb, &d);
    if (e == SC_OK) {
        e = http_pct_decode(value, vlen, 1, &vb, &d);
        if (e == SC_EPARSE)
            sc_diag_set(diag, e, "query parameter '%.64s': %s", nb.data, d.msg);
    } else if (e == SC_EPARSE) {
        sc_diag_set(diag, e, "a query parameter name: %s", d.msg);
    }
    if (e == SC_ENOMEM)
        sc_diag_set(diag, e, "out of memory");
    if (e != SC_OK) {
        sc_buf_release(&nb);
        sc_buf_release(&vb);
        return e;
    }
    struct http_param *q = &p->v[p->n];
    q->value_len = vb.len;
    q->name = sc_buf_take(&nb, NULL);
    q->value = sc_buf_take(&vb, NULL);
    if (!q->name || !q->value) {
        free(q->name);
        free(q->value);
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    }
    p->n++;
    return SC_OK;
}

enum sc_err http_params_parse(struct http_params *p, const char *qs, size_t len,
                              struct sc_diag *diag)
{
    size_t i = 0;
    while (i < len) {
        const char *amp = memchr(qs + i, '&', len - i);
        size_t end = amp ? (size_t)(amp - qs) : len;
        if (end > i) {
            const char *eq = memchr(qs + i, '=', end - i);
            size_t nend = eq ? (size_t)(eq - qs) : end;
            size_t vstart = eq ? nend + 1 : end;
            enum sc_err e = http_params_add(p, qs + i, nend - i, qs + vstart, end - vstart, diag);
            if (e != SC_OK)
                return e;
        }
        i = end + 1;
    }
    return SC_OK;
}

void http_params_release(struct http_params *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].name);
        free(p->v[i].value);
    }
    free(p->v);
    memset(p, 0, sizeof *p);
}

const char *http_param(const struct http_params *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->v[i].name, name))
            return p->v[i].value;
    return NULL;
}

int http_parse_int(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    if (!s)
        return -1;
    int neg = 0;
    size_t i = 0;
    if (s[0] == '-') {
        neg = 1;
        i = 1;
    }
    if (!s[i])
        return -1;
    int64_t v = 0;
    for (size_t ndig = 0; s[i]; i++, ndig++) {
        /* 18 digits always fit in int64_t; longer numbers are refused */
        if (s[i] < '0' || s[i] > '9' || ndig >= 18)
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (neg)
        v = -v;
    if (v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* ---- headers ---- */

static int is_tchar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

static size_t skip_ows(const char *h, size_t i, size_t len)
{
    while (i < len && (h[i] == ' ' || h[i] == '\t'))
        i++;
    return i;
}

int http_header_param(const char *h, size_t len, const char *name, struct sc_buf *out)
{
    size_t nl = strlen(name);
    /* skip the media type up to the first ';' outside quotes */
    size_t i = 0;
    while (i < len && h[i] != ';')
        i++;
    while (i < len) {
        /* at ';' */
        i = skip_ows(h, i + 1, len);
        size_t ks = i;
        while (i < len && is_tchar((unsigned char)h[i]))
            i++;
        size_t kl = i - ks;
        i = skip_ows(h, i, len);
        if (i >= len || h[i] != '=') {
            /* a parameter without value: skip to the next ';' */
            while (i < len && h[i] != ';')
                i++;
            continue;
        }
        i = skip_ows(h, i + 1, len);
        int match = kl == nl && strncasecmp(h + ks, name, nl) == 0;
        size_t mark = out->len;
        if (i < len && h[i] == '"') {
            i++;
            int closed = 0;
            while (i < len) {
                char c = h[i++];
                if (c == '"') {
                    closed = 1;
                    break;
                }
                if (c == '\\') {
                    if (i >= len)
                        break;
                    c = h[i++];
                }
                if (match)
                    sc_buf_addc(out, c);
            }
            if (!closed) {
                out->len = mark;
                if (out->cap) /* SC_BUF_INIT points at a read-only "" */
                    out->data[mark] = '\0';
                return -1;
            }
        } else {
            size_t vs = i;
            while (i < len && h[i] != ';' && h[i] != ' ' && h[i] != '\t')
                i++;
            if (match)
                sc_buf_add(out, h + vs, i - vs);
        }
        if (match)
            return sc_buf_err(out) ? -1 : 1;
        while (i < len && h[i] != ';')
            i++;
    }
    return 0;
}

int http_media_type_is(const char *h, const char *type)
{
    if (!h)
        return 0;
    size_t tl = strlen(type);
    size_t i = skip_ows(h, 0, strlen(h));
    if (strncasecmp(h + i, type, tl) != 0)
        return 0;
    char c = h[i + tl];
    return c == '\0' || c == ';' || c == ' ' || c == '\t';
}

int http_cookie_get(const char *h, size_t len, const char *name, const char **val, size_t *vlen)
{
    size_t nl = strlen(name);
    size_t i = 0;
    while (i < len) {
        i = skip_ows(h, i, len);
        size_t ks = i;
        while (i < len && h[i] != '=' && h[i] != ';')
            i++;
        size_t ke = i;
        while (ke > ks && (h[ke - 1] == ' ' || h[ke - 1] == '\t'))
            ke--;
        size_t vs = i, ve = i;
        if (i < len && h[i] == '=') {
            vs = skip_ows(h, i + 1, len);
            i = vs;
            while (i < len && h[i] != ';')
                i++;
            ve = i;
            while (ve > vs && (h[ve - 1] == ' ' || h[ve - 1] == '\t'))
                ve--;
            if (ve - vs >= 2 && h[vs] == '"' && h[ve - 1] == '"') {
                vs++;
                ve--;
            }
        }
        if (ke - ks == nl && memcmp(h + ks, name, nl) == 0) {
            *val = h + vs;
            *vlen = ve - vs;
            return 1;
        }
        if (i < len)
            i++; /* the ';' */
    }
    return 0;
}

static int is_attr_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$&+-.^_`|~", c));
}

enum sc_err http_content_disposition(const char *name, size_t len, struct sc_buf *out)
{
    if (!sc_utf8_valid(name, len, NULL) || memchr(name, '\0', len))
        return SC_EINVAL;
    const char *dot = NULL;
    int safe = len > 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c == '.')
            dot = name + i;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == ' ' || c == '(' || c == ')'))
            safe = 0;
    }
    sc_buf_adds(out, "attachment; filename=\"");
    if (safe) {
        sc_buf_add(out, name, len);
    } else {
        sc_buf_adds(out, "download");
        /* keep a short, plain ASCII extension */
        size_t el = dot ? len - (size_t)(dot - name) : 0;
        int ext_ok = el >= 2 && el <= 8;
        for (size_t i = 1; ext_ok && i < el; i++) {
            unsigned char c = (unsigned char)dot[i];
            ext_ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        }
        if (ext_ok)
            sc_buf_add(out, dot, el);
    }
    sc_buf_adds(out, "\"; filename*=UTF-8''");
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (is_attr_char(c)) {
            sc_buf_addc(out, (char)c);
        } else {
            char e[3] = { '%', hex[c >> 4], hex[c & 15] };
            sc_buf_add(out, e, 3);
        }
    }
    return sc_buf_err(out);
}

/* ---- multipart ---- */

static const char *find_bytes(const char *h, size_t hl, const char *n, size_t nl)
{
    if (nl == 0 || hl < nl)
        return NULL;
    return memmem(h, hl, n, nl);
}

/* Parse one part's header block [h, h+len) into the part's fields. */
static enum sc_err part_headers(const char *h, size_t len, struct sc_buf *name,
                                struct sc_buf *filename, int *has_filename, struct sc_buf *ctype,
                                struct sc_diag *diag)
{
    size_t i = 0;
    int seen_cd = 0;
    while (i < len) {
        const char *eol = find_bytes(h + i, len - i, "\r\n", 2);
        size_t end = eol ? (size_t)(eol - h) : len;
        const char *line = h + i;
        size_t ll = end - i;
        const char *colon = memchr(line, ':', ll);
        if (!colon)
            return sc_diag_set(diag, SC_EPARSE, "malformed part header");
        size_t kl = (size_t)(colon - line);
        size_t vs = skip_ows(line, kl + 1, ll);
        const char *v = line + vs;
        size_t vl = ll - vs;
        if (kl == 19 && strncasecmp(line, "Content-Disposition", 19) == 0) {
            if (seen_cd++)
                return sc_diag_set(diag, SC_EPARSE, "two Content-Disposition headers in a part");
            if (vl < 9 || strncasecmp(v, "form-data", 9) != 0)
                return sc_diag_set(diag, SC_EPARSE, "a part is not form-data");
            if (http_header_param(v, vl, "name", name) < 0)
                return sc_diag_set(diag, SC_EPARSE, "bad name in a part header");
            /* filename* (RFC 5987) wins over filename when both are given */
            struct sc_buf star = SC_BUF_INIT;
            int r = http_header_param(v, vl, "filename*", &star);
            if (r == 1 && star.len > 7 && strncasecmp(star.data, "UTF-8''", 7) == 0) {
                struct sc_diag d = { 0 };
                if (http_pct_decode(star.data + 7, star.len - 7, 0, filename, &d) != SC_OK)
                    sc_buf_reset(filename); /* refused later by its empty name */
                *has_filename = 1;
            }
            sc_buf_release(&star);
            if (!*has_filename) {
                r = http_header_param(v, vl, "filename", filename);
                if (r < 0)
                    return sc_diag_set(diag, SC_EPARSE, "bad filename in a part header");
                *has_filename = r == 1;
            }
        } else if (kl == 12 && strncasecmp(line, "Content-Type", 12) == 0) {
            ctype->len = 0;
            sc_buf_add(ctype, v, vl);
        }
        i = end + 2;
    }
    return SC_OK;
}

/* Reduce a client-supplied file name to its last path component. */
static void base_name(struct sc_buf *f)
{
    if (f->failed || f->len == 0)
        return;
    size_t cut = 0;
    for (size_t i = 0; i < f->len; i++)
        if (f->data[i] == '/' || f->data[i] == '\\')
            cut = i + 1;
    memmove(f->data, f->data + cut, f->len - cut);
    f->len -= cut;
    f->data[f->len] = '\0';
    int bad = !sc_utf8_valid(f->data, f->len, NULL) || memchr(f->data, '\0', f->len) != NULL ||
              (f->len == 1 && f->data[0] == '.') ||
              (f->len == 2 && f->data[0] == '.' && f->data[1] == '.');
    for (size_t i = 0; !bad && i < f->len; i++)
        if ((unsigned char)f->data[i] < 0x20 || f->data[i] == 0x7f)
            bad = 1;
    if (bad) {
        f->len = 0;
        f->data[0] = '\0';
    }
}

enum sc_err http_multipart_parse(const char *body, size_t len, const char *boundary, size_t blen,
                                 http_part_fn *fn, void *ctx, struct sc_diag *diag)
{
    if (blen == 0 || blen > 200)
        return sc_diag_set(diag, SC_EPARSE, "bad multipart boundary");
    /* delimiter = CRLF "--" boundary; the first one may stand at the start */
    char *delim = sc_malloc(blen + 4);
    if (!delim)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    memcpy(delim, "\r\n--", 4);
    memcpy(delim + 4, boundary, blen);
    size_t dl = blen + 4;
    enum sc_err e = SC_OK;
    struct sc_buf name = SC_BUF_INIT, filename = SC_BUF_INIT, ctype = SC_BUF_INIT;
    size_t pos;
    if (len >= dl - 2 && memcmp(body, delim + 2, dl - 2) == 0) {
        pos = dl - 2;
    } else {
        const char *d = find_bytes(body, len, delim, dl);
        if (!d) {
            e = sc_diag_set(diag, SC_EPARSE, "no multipart boundary in the body");
            goto out;
        }
        pos = (size_t)(d - body) + dl;
    }
    for (size_t nparts = 0;; nparts++) {
        /* after a delimiter: "--" ends the body; else transport padding + CRLF */
        if (len - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-')
            break;
        pos = skip_ows(body, pos, len);
        if (len - pos < 2 || body[pos] != '\r' || body[pos + 1] != '\n') {
            e = sc_diag_set(diag, SC_EPARSE, "malformed multipart delimiter line");
            goto out;
        }
        pos += 2;
        if (nparts >= HTTP_MAX_MULTIPART_PARTS) {
            e = sc_diag_set(diag, SC_ELIMIT, "too many parts (at most %d)",
                            HTTP_MAX_MULTIPART_PARTS);
            goto out;
        }
        sc_buf_reset(&name);
        sc_buf_reset(&filename);
        sc_buf_reset(&ctype);
        int has_filename = 0;
        if (len - pos >= 2 && body[pos] == '\r' && body[pos + 1] == '\n') {
            pos += 2; /* a part without headers */
        } else {
            size_t lim = len - pos < HTTP_MAX_PART_HEADER ? len - pos : HTTP_MAX_PART_HEADER;
            const char *he = find_bytes(body + pos, lim, "\r\n\r\n", 4);
            if (!he) {
                e = sc_diag_set(diag, SC_EPARSE, "unterminated part header");
                goto out;
            }
            size_t hend = (size_t)(he - body);
            e = part_headers(body + pos, hend - pos, &name, &filename, &has_filename, &ctype, diag);
            if (e != SC_OK)
                goto out;
            pos = hend + 4;
        }
        if (sc_buf_err(&name) || sc_buf_err(&filename) || sc_buf_err(&ctype)) {
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
            goto out;
        }
        base_name(&filename);
        const char *d = find_bytes(body + pos, len - pos, delim, dl);
        if (!d) {
            e = sc_diag_set(diag, SC_EPARSE, "unterminated multipart body");
            goto out;
        }
        struct http_part part = {
            .name = name.data,
            .filename = has_filename ? filename.data : NULL,
            .content_type = ctype.data,
            .data = body + pos,
            .len = (size_t)(d - body) - pos,
        };
        pos = (size_t)(d - body) + dl;
        if (fn(ctx, &part))
            goto out;
    }
out:
    free(delim);
    sc_buf_release(&name);
    sc_buf_release(&filename);
    sc_buf_release(&ctype);
    return e;
}
