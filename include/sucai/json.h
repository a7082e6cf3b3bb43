/*
 * JSON, the one way in and out: a writer that escapes, separates and
 * checks nesting (struct sc_jw), and a reader for small documents (request
 * bodies, profiles, maps) into a node array (struct sc_json).
 *
 * Output style: members as "key": value, items separated by ", ", all on
 * one line; a container opened with SC_JW_LINES puts each item on its own
 * line, indented two spaces per level (the stable form of golden files).
 * SC_JW_TIGHT writes "key":value and items separated by "," alone, and
 * SC_JW_ROWS an array of such items one per line ("[a,\n b]"): the form of
 * the command line's account, token and audit lists.
 * Strings are escaped by sc_json_str (base.h): control characters,
 * quotes, backslashes; invalid UTF-8 becomes U+FFFD, so output is always
 * valid JSON.
 */
#ifndef SUCAI_JSON_H
#define SUCAI_JSON_H

#include "base.h"

#include <stdint.h>

#define SC_JSON_MAX_DEPTH 32

enum sc_jw_style {
    SC_JW_INLINE = 0, /* {"a": 1, "b": [1, 2]} */
    SC_JW_LINES = 1,  /* one item per line, indented */
    SC_JW_TIGHT = 2,  /* {"a":1,"b":[1,2]} */
    SC_JW_ROWS = 3,   /* [{"a":1},\n {"a":2}]: tight, an item per line */
};

/*
 * A writer appending to a borrowed buffer. Misuse (a value in an object
 * without its key, a key outside an object, an end that matches no
 * begin, nesting deeper than SC_JSON_MAX_DEPTH) is recorded and reported
 * by sc_jw_finish, which also reports the buffer's allocation failure.
 * No release is needed: the writer owns nothing.
 */
struct sc_jw_level {
    char close;          /* '}' or ']' */
    unsigned char style; /* enum sc_jw_style */
    unsigned char keyed; /* object: a key was written, its value is next */
    uint32_t n;          /* items written so far */
};

struct sc_jw {
    struct sc_buf *out; /* borrowed */
    int depth;
    int misuse;
    struct sc_jw_level st[SC_JSON_MAX_DEPTH];
};

void sc_jw_init(struct sc_jw *w, struct sc_buf *out);
/* SC_OK when every container was closed and every append succeeded;
 * SC_ENOMEM after an allocation failure, SC_EINVAL after misuse. */
enum sc_err sc_jw_finish(const struct sc_jw *w);

void sc_jw_obj(struct sc_jw *w, enum sc_jw_style style);
void sc_jw_obj_end(struct sc_jw *w);
void sc_jw_arr(struct sc_jw *w, enum sc_jw_style style);
void sc_jw_arr_end(struct sc_jw *w);

/* A member name (NUL-terminated UTF-8); the next call writes its value. */
void sc_jw_key(struct sc_jw *w, const char *key);

void sc_jw_str(struct sc_jw *w, const char *s, size_t len);
void sc_jw_strz(struct sc_jw *w, const char *s); /* NULL -> null */
void sc_jw_int(struct sc_jw *w, int64_t v);
/* A number with a fixed count of decimals (0..9); NaN and infinities are
 * written as null. */
void sc_jw_num(struct sc_jw *w, double v, int decimals);
void sc_jw_bool(struct sc_jw *w, int v);
void sc_jw_null(struct sc_jw *w);
/* A value that is already JSON text (e.g. a stored array), written as is.
 * The caller vouches for it; empty input writes null. */
void sc_jw_raw(struct sc_jw *w, const char *json, size_t len);

/* Key and value in one call, the common case. */
void sc_jw_kstr(struct sc_jw *w, const char *key, const char *s, size_t len);
void sc_jw_kstrz(struct sc_jw *w, const char *key, const char *s);
void sc_jw_kint(struct sc_jw *w, const char *key, int64_t v);
void sc_jw_knum(struct sc_jw *w, const char *key, double v, int decimals);
void sc_jw_kbool(struct sc_jw *w, const char *key, int v);
void sc_jw_knull(struct sc_jw *w, const char *key);

/* ---- reading (RFC 8259) ---- */

enum sc_json_type {
    SC_JSON_NULL,
    SC_JSON_FALSE,
    SC_JSON_TRUE,
    SC_JSON_NUM,
    SC_JSON_STR,
    SC_JSON_ARR,
    SC_JSON_OBJ,
};

/* A node of a parsed document. Children of an array or object are a
 * chain: first child `kid`, then `next` (0 = none; the root, index 0, is
 * never a child). Keys and strings are offsets into the string pool. */
struct sc_json_node {
    enum sc_json_type type;
    uint32_t kid, next;
    uint32_t nkids;
    unsigned char member; /* a member of an object: key and key_len are set */
    size_t key, key_len;
    size_t str, str_len; /* for strings */
    double num;
};

/* A parsed document; owns its nodes and pool. */
struct sc_json {
    struct sc_json_node *nodes;
    size_t n, cap;
    struct sc_buf pool; /* decoded strings, each NUL-terminated, valid UTF-8 */
};

/* Parse text[0..len): one value with optional whitespace around it.
 * SC_EPARSE names the byte position and the reason; SC_ELIMIT for nesting
 * deeper than SC_JSON_MAX_DEPTH or more than max_nodes nodes (0 = no
 * limit). Release j with sc_json_release, also after an error. */
enum sc_err sc_json_parse(struct sc_json *j, const char *text, size_t len, size_t max_nodes,
                          struct sc_diag *diag);
void sc_json_release(struct sc_json *j);

/* The root node (NULL for a released or failed document). */
const struct sc_json_node *sc_json_root(const struct sc_json *j);
/* Member `key` of object node obj (the first with that name), or NULL. */
const struct sc_json_node *sc_json_get(const struct sc_json *j, const struct sc_json_node *obj,
                                       const char *key);
/* String of a string node (NUL-terminated, valid UTF-8; borrowed from j),
 * else NULL. *len (may be NULL) gets its length in bytes. */
const char *sc_json_string(const struct sc_json *j, const struct sc_json_node *n, size_t *len);
/* Key of an object member (borrowed from j), else NULL. */
const char *sc_json_key(const struct sc_json *j, const struct sc_json_node *n, size_t *len);
/* First child of an array/object and the next sibling; NULL at the end:
 *   for (c = sc_json_first(j, arr); c; c = sc_json_next(j, c)) ... */
const struct sc_json_node *sc_json_first(const struct sc_json *j, const struct sc_json_node *n);
const struct sc_json_node *sc_json_next(const struct sc_json *j, const struct sc_json_node *n);
/* A number node that holds a whole number in [lo, hi] -> 0 and *out; else -1. */
int sc_json_int(const struct sc_json_node *n, int64_t lo, int64_t hi, int64_t *out);

#endif
