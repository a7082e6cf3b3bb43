/*
 * sucai base: errors, diagnostics, the growable byte buffer and borrowed
 * string views. Every other part of libsucai builds on these.
 *
 * Conventions used across the public API:
 *  - Text is UTF-8 bytes. Offsets in the C API are byte offsets unless the
 *    field is named _cp (Unicode code points, the unit of the JSON
 *    interface): the stored document model, snippets, check sources
 *    (docs/architecture.md, "Offsets").
 *  - Fallible functions return enum sc_err and, when given a non-NULL
 *    struct sc_diag, write a human message naming the input and the reason.
 *  - "_new/_free" pairs are heap objects; "_init/_release" work on caller
 *    storage; "_open/_close" are handles to files or databases; "_take"
 *    transfers ownership of a buffer to the caller.
 */
#ifndef SUCAI_BASE_H
#define SUCAI_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

enum sc_err {
    SC_OK = 0,
    SC_ENOMEM,       /* allocation failed or a buffer hit its size limit */
    SC_EINVAL,       /* caller passed something invalid */
    SC_EIO,          /* file or socket error */
    SC_ENOTFOUND,    /* document, user, route ... does not exist */
    SC_EPARSE,       /* input (file, query, JSON) is malformed */
    SC_EUNSUPPORTED, /* a format we refuse, e.g. .doc or .pdf */
    SC_ESTORE,       /* SQLite error */
    SC_ELIMIT,       /* input exceeds a documented limit */
    SC_EDUPLICATE,   /* already present */
    SC_EDENIED,      /* not entitled / not allowed */
    SC_EUNAVAILABLE, /* not now: the store cannot take writes, or an index has not
                        applied a change yet; try again */
};

/* Short English name of an error ("out of memory", "parse error" ...). Static. */
const char *sc_strerror(enum sc_err err);
/* strerror(errnum), but a full disk (ENOSPC, EDQUOT) reads "disk full (...)",
 * so that every message about it says so. Static string. */
const char *sc_strerrno(int errnum);

/* Exit status for the CLI: 0 ok, 1 refused input, 2 usage or library error. */
int sc_err_exit_code(enum sc_err err);

/* A human-readable detail for the first error that happened. */
struct sc_diag {
    enum sc_err err;
    char msg[512];
    /* Where in the input the error is, when it has a place there: the
     * 1-based code point of a query's text (a search, a saved search); 0 =
     * no place. */
    size_t pos_cp;
};

/* Record err and a printf-style message in diag (if diag is non-NULL and no
 * error is recorded yet). Returns err, so callers can `return sc_diag_set(...)`. */
enum sc_err sc_diag_set(struct sc_diag *diag, enum sc_err err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same, with the place of the error (sc_diag.pos_cp). */
enum sc_err sc_diag_set_at(struct sc_diag *diag, enum sc_err err, size_t pos_cp, const char *fmt,
                           ...) __attribute__((format(printf, 4, 5)));
void sc_diag_clear(struct sc_diag *diag);

/*
 * struct sc_buf: growable byte buffer. Invariants: data is never NULL after
 * sc_buf_init (it points at a shared empty string until the first append),
 * data[len] == '\0' always. After an allocation failure the buffer is
 * "failed": further appends are no-ops and sc_buf_err() returns SC_ENOMEM,
 * so a run of appends can be checked once at the end.
 */
struct sc_buf {
    char *data;
    size_t len;
    size_t cap;
    size_t max; /* 0 = no limit; growing past it fails the buffer */
    int failed;
};

#define SC_BUF_INIT { (char *)"", 0, 0, 0, 0 }

void sc_buf_init(struct sc_buf *b);
void sc_buf_release(struct sc_buf *b); /* frees data, leaves b as SC_BUF_INIT */
void sc_buf_reset(struct sc_buf *b);   /* len = 0, keeps memory, clears failed */
enum sc_err sc_buf_err(const struct sc_buf *b);
enum sc_err sc_buf_grow(struct sc_buf *b, size_t extra);
void sc_buf_add(struct sc_buf *b, const void *data, size_t len);
void sc_buf_adds(struct sc_buf *b, const char *s);
void sc_buf_addc(struct sc_buf *b, char c);
void sc_buf_addf(struct sc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sc_buf_vaddf(struct sc_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void sc_buf_add_cp(struct sc_buf *b, uint32_t cp); /* append one code point as UTF-8 */
/* Detach the data: caller owns the returned malloc'd string (never NULL
 * unless the buffer failed); b is left empty. */
char *sc_buf_take(struct sc_buf *b, size_t *len);

/* Borrowed view of bytes; never owns. */
struct sc_str {
    const char *p;
    size_t len;
};
struct sc_str sc_str_c(const char *s);

/* Allocation: every allocation of libsucai and its front ends goes through
 * these (and SQLite's through the same gate), so that tests can make the
 * n-th one fail. NULL on failure (never abort); the caller frees with
 * free(). sc_reallocarray checks n * size for overflow; sc_strndup copies
 * at most n bytes and NUL-terminates; sc_strdup(NULL) is NULL. */
void *sc_malloc(size_t size);
void *sc_calloc(size_t n, size_t size);
void *sc_realloc(void *p, size_t size);
void *sc_reallocarray(void *p, size_t n, size_t size);
char *sc_strdup(const char *s);
char *sc_strndup(const char *s, size_t n);

/* UTF-8 helpers. */
int sc_utf8_valid(const char *s, size_t len, size_t *bad_off);
/* Decode one code point at s[0..len); returns bytes used (1..4), or 0 on
 * invalid/truncated input (then *cp = U+FFFD). */
size_t sc_utf8_decode(const char *s, size_t len, uint32_t *cp);
size_t sc_utf8_encode(uint32_t cp, char out[4]);
size_t sc_utf8_count(const char *s, size_t len); /* code points */
/* Byte offset of code point index cp_index (clamped to len). */
size_t sc_utf8_offset(const char *s, size_t len, size_t cp_index);
int sc_is_cjk(uint32_t cp); /* CJK unified ideographs, as the normaliser defines them */

/* JSON writing: appends a JSON string literal (with quotes) for UTF-8 text,
 * escaping control characters, quotes and backslashes; invalid UTF-8 bytes
 * become U+FFFD so the output is always valid JSON. */
void sc_json_str(struct sc_buf *b, const char *s, size_t len);
void sc_json_strz(struct sc_buf *b, const char *s); /* NULL -> null */

/* SHA-256 of data as 64 lower-case hex digits plus NUL. */
void sc_sha256_hex(const void *data, size_t len, char out[65]);

/* Read a whole file (at most max bytes; larger -> SC_ELIMIT). Caller frees *out. */
enum sc_err sc_read_file(const char *path, size_t max, char **out, size_t *len,
                         struct sc_diag *diag);

#endif
