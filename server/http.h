/*
 * The server's parsers for untrusted request bytes: %-decoding of paths
 * and query strings, multipart/form-data bodies, JSON bodies, the Cookie
 * header, and the RFC 6266 Content-Disposition of downloads. Pure code
 * over byte ranges (no sockets, no libmicrohttpd), so that
 * tests/fuzz/fuzz_http.c can drive every function here directly.
 *
 * Every function bounds its work by its input length and the limits
 * below; none of them trusts a NUL terminator in the input.
 */
#ifndef SUCAI_SERVER_HTTP_H
#define SUCAI_SERVER_HTTP_H

#include "sucai/base.h"

#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_PARAMS          64    /* query parameters in one request */
#define HTTP_MAX_MULTIPART_PARTS 200   /* parts in one multipart body */
#define HTTP_MAX_PART_HEADER     8192  /* bytes of one part's header block */
#define HTTP_MAX_JSON_NODES      20000 /* values in a request body */

/* ---- %-decoding ---- */

/*
 * Decode s[0..len) ("%41" -> "A"; with plus_space, '+' -> ' ') and append
 * the result to out. The result must be valid UTF-8 without NUL bytes.
 * Returns SC_OK, or SC_EPARSE with a message naming the byte position
 * ("bad %-escape at byte 7", "invalid UTF-8 at byte 3").
 */
enum sc_err http_pct_decode(const char *s, size_t len, int plus_space, struct sc_buf *out,
                            struct sc_diag *diag);

/*
 * Decode a request path and check it: it must start with '/', decode to
 * valid UTF-8 without NUL, backslash or control characters, and hold no
 * "." or ".." segment (also when spelled %2e%2e). SC_EPARSE otherwise.
 */
enum sc_err http_path_decode(const char *s, size_t len, struct sc_buf *out, struct sc_diag *diag);

/* A query string parsed into decoded (name, value) pairs, in order. */
struct http_param {
    char *name;  /* owned, NUL-terminated, valid UTF-8 */
    char *value; /* owned; "" for a bare "name" */
    size_t value_len;
};

struct http_params {
    struct http_param *v;
    size_t n, cap;
};

/* Append one pair, decoding both (plus_space). SC_EPARSE names the
 * parameter; SC_ELIMIT past HTTP_MAX_PARAMS; SC_ENOMEM. */
enum sc_err http_params_add(struct http_params *p, const char *name, size_t nlen, const char *value,
                            size_t vlen, struct sc_diag *diag);
/* Parse "a=1&b=%E4%B8%AD" (no leading '?'). Empty pieces are skipped. */
enum sc_err http_params_parse(struct http_params *p, const char *qs, size_t len,
                              struct sc_diag *diag);
void http_params_release(struct http_params *p);
/* The first value of name, or NULL. */
const char *http_param(const struct http_params *p, const char *name);

/* Parse a whole decimal integer in [lo, hi]; 0 on success, -1 otherwise. */
int http_parse_int(const char *s, int64_t lo, int64_t hi, int64_t *out);

/* ---- headers ---- */

/*
 * The value of one parameter of a header such as
 *   multipart/form-data; boundary="abc"
 * (name case-insensitive, value unquoted, backslash escapes resolved) is
 * appended to out. Returns 1 if found, 0 if not, -1 on malformed quoting.
 */
int http_header_param(const char *h, size_t len, const char *name, struct sc_buf *out);

/* Does the media type of a Content-Type header equal type (case-insensitive,
 * parameters ignored)? */
int http_media_type_is(const char *h, const char *type);

/* The value of cookie name in a Cookie header; *val points into h. Returns
 * 1 if found. */
int http_cookie_get(const char *h, size_t len, const char *name, const char **val, size_t *vlen);

/*
 * Content-Disposition for a download (RFC 6266 with RFC 5987 encoding):
 *   attachment; filename="ascii"; filename*=UTF-8''%E6%B1%87...
 * The ASCII fallback keeps a name made only of safe ASCII characters and
 * is "download.<ext>" otherwise. name must be valid UTF-8 (others give
 * SC_EINVAL). Appends to out.
 */
enum sc_err http_content_disposition(const char *name, size_t len, struct sc_buf *out);

/* ---- multipart/form-data (RFC 7578) ---- */

struct http_part {
    const char *name;         /* form field name (decoded, NUL-terminated), "" if none */
    const char *filename;     /* NULL when the part is not a file */
    const char *content_type; /* "" if none */
    const char *data;         /* borrowed from the body */
    size_t len;
};

/* Called for each part in order; return non-zero to stop (the parser then
 * returns SC_OK). The strings are valid only during the call. */
typedef int http_part_fn(void *ctx, const struct http_part *part);

/*
 * Parse body[0..len) with the given boundary. SC_EPARSE for a malformed
 * body (no opening boundary, unterminated part, bad part header), SC_ELIMIT
 * past HTTP_MAX_MULTIPART_PARTS parts. Filenames are reduced to their
 * last path component; one that is empty, "." or ".." or not valid UTF-8
 * is passed as "" so the caller can refuse it by name.
 */
enum sc_err http_multipart_parse(const char *body, size_t len, const char *boundary, size_t blen,
                                 http_part_fn *fn, void *ctx, struct sc_diag *diag);

#endif
