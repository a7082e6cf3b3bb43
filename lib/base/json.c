/*
 * JSON: string escaping (the one place where text becomes a JSON string),
 * the writer (struct sc_jw) and the reader (struct sc_json). The CLI's
 * --json output, the server's bodies and the library's dumps all go
 * through here.
 */
#include "sucai/json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The length of s's first run that is written as it stands (printable
 * ASCII other than quote and backslash, and valid UTF-8). */
static size_t plain_run(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = c >= 0x80 ? sc_utf8_decode(s + i, len - i, &cp) : 0;
        if (!n)
            break;
        i += n;
    }
    return i;
}

void sc_json_str(struct sc_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t i = plain_run(s, len);
    if (i == len) { /* the common case: one copy between the quotes */
        if (sc_buf_grow(b, len + 2) != SC_OK)
            return;
        char *o = b->data + b->len;
        o[0] = '"';
        if (len)
            memcpy(o + 1, s, len);
        o[len + 1] = '"';
        b->len += len + 2;
        b->data[b->len] = '\0';
        return;
    }
    sc_buf_addc(b, '"');
    size_t run = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0x80) {
            uint32_t cp;
            size_t n = sc_utf8_decode(s + i, len - i, &cp);
            if (n) {
                i += n;
                continue;
            }
            sc_buf_add(b, s + run, i - run);
            sc_buf_adds(b, "\xEF\xBF\xBD"); /* U+FFFD for an invalid byte */
            run = ++i;
            continue;
        }
        sc_buf_add(b, s + run, i - run);
        switch (c) {
        case '"': sc_buf_adds(b, "\\\""); break;
        case '\\': sc_buf_adds(b, "\\\\"); break;
        case '\n': sc_buf_adds(b, "\\n"); break;
        case '\t': sc_buf_adds(b, "\\t"); break;
        case '\r': sc_buf_adds(b, "\\r"); break;
        default: {
            char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
            sc_buf_add(b, e, 6);
        }
        }
        run = ++i;
    }
    sc_buf_add(b, s + run, i - run);
    sc_buf_addc(b, '"');
}

void sc_json_strz(struct sc_buf *b, const char *s)
{
    if (!s)
        sc_buf_adds(b, "null");
    else
        sc_json_str(b, s, strlen(s));
}

/* ---- the writer ---- */

void sc_jw_init(struct sc_jw *w, struct sc_buf *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
}

enum sc_err sc_jw_finish(const struct sc_jw *w)
{
    if (sc_buf_err(w->out))
        return SC_ENOMEM;
    return w->misuse || w->depth ? SC_EINVAL : SC_OK;
}

static void newline(struct sc_jw *w, int depth)
{
    sc_buf_addc(w->out, '\n');
    for (int i = 0; i < depth; i++)
        sc_buf_add(w->out, "  ", 2);
}

/* Separator and layout before an item of the innermost container; 0 if
 * the item may not stand here. */
static int item(struct sc_jw *w, int is_key)
{
    if (!w->depth)
        return !is_key;
    struct sc_jw_level *c = &w->st[w->depth - 1];
    if (c->close == '}') {
        if (c->keyed == is_key) { /* a key after a key, or a value without one */
            w->misuse = 1;
            return 0;
        }
        if (!is_key) {
            c->keyed = 0;
            return 1;
        }
        c->keyed = 1;
    } else if (is_key) {
        w->misuse = 1;
        return 0;
    }
    if (c->n++)
        sc_buf_addc(w->out, ',');
    if (c->style == SC_JW_LINES)
        newline(w, w->depth);
    else if (c->n > 1 && c->style == SC_JW_ROWS)
        sc_buf_add(w->out, "\n ", 2);
    else if (c->n > 1 && c->style == SC_JW_INLINE)
        sc_buf_addc(w->out, ' ');
    return 1;
}

static void open_container(struct sc_jw *w, char open, char close, enum sc_jw_style style)
{
    if (w->depth >= SC_JSON_MAX_DEPTH) {
        w->misuse = 1;
        return;
    }
    if (!item(w, 0))
        return;
    sc_buf_addc(w->out, open);
    struct sc_jw_level *c = &w->st[w->depth++];
    c->close = close;
    c->style = (unsigned char)style;
    c->keyed = 0;
    c->n = 0;
}

static void close_container(struct sc_jw *w, char close)
{
    if (!w->depth || w->st[w->depth - 1].close != close || w->st[w->depth - 1].keyed) {
        w->misuse = 1;
        return;
    }
    const struct sc_jw_level *c = &w->st[--w->depth];
    if (c->style == SC_JW_LINES && c->n)
        newline(w, w->depth);
    sc_buf_addc(w->out, close);
}

void sc_jw_obj(struct sc_jw *w, enum sc_jw_style style)
{
    open_container(w, '{', '}', style);
}

void sc_jw_obj_end(struct sc_jw *w)
{
    close_container(w, '}');
}

void sc_jw_arr(struct sc_jw *w, enum sc_jw_style style)
{
    open_container(w, '[', ']', style);
}

void sc_jw_arr_end(struct sc_jw *w)
{
    close_container(w, ']');
}

void sc_jw_key(struct sc_jw *w, const char *key)
{
    if (!key) {
        w->misuse = 1;
        return;
    }
    if (item(w, 1)) {
        sc_json_str(w->out, key, strlen(key));
        unsigned char style = w->st[w->depth - 1].style;
        if (style == SC_JW_TIGHT || style == SC_JW_ROWS)
            sc_buf_addc(w->out, ':');
        else
            sc_buf_add(w->out, ": ", 2);
    }
}

void sc_jw_str(struct sc_jw *w, const char *s, size_t len)
{
    if (!s && len) {
        w->misuse = 1;
        return;
    }
    if (item(w, 0))
        sc_json_str(w->out, s ? s : "", len);
}

void sc_jw_strz(struct sc_jw *w, const char *s)
{
    if (item(w, 0))
        sc_json_strz(w->out, s);
}

void sc_jw_int(struct sc_jw *w, int64_t v)
{
    if (!item(w, 0))
        return;
    /* digits from the end, without a printf per number */
    char d[24];
    size_t n = sizeof d;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        d[--n] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        d[--n] = '-';
    sc_buf_add(w->out, d + n, sizeof d - n);
}

void sc_jw_num(struct sc_jw *w, double v, int decimals)
{
    if (decimals < 0 || decimals > 9) {
        w->misuse = 1;
        return;
    }
    if (!item(w, 0))
        return;
    if (isfinite(v))
        sc_buf_addf(w->out, "%.*f", decimals, v);
    else
        sc_buf_add(w->out, "null", 4);
}

void sc_jw_bool(struct sc_jw *w, int v)
{
    if (item(w, 0))
        sc_buf_adds(w->out, v ? "true" : "false");
}

void sc_jw_null(struct sc_jw *w)
{
    if (item(w, 0))
        sc_buf_add(w->out, "null", 4);
}

void sc_jw_raw(struct sc_jw *w, const char *json, size_t len)
{
    if (!item(w, 0))
        return;
    if (json && len)
        sc_buf_add(w->out, json, len);
    else
        sc_buf_add(w->out, "null", 4);
}

void sc_jw_kstr(struct sc_jw *w, const char *key, const char *s, size_t len)
{
    sc_jw_key(w, key);
    sc_jw_str(w, s, len);
}

void sc_jw_kstrz(struct sc_jw *w, const char *key, const char *s)
{
    sc_jw_key(w, key);
    sc_jw_strz(w, s);
}

void sc_jw_kint(struct sc_jw *w, const char *key, int64_t v)
{
    sc_jw_key(w, key);
    sc_jw_int(w, v);
}

void sc_jw_knum(struct sc_jw *w, const char *key, double v, int decimals)
{
    sc_jw_key(w, key);
    sc_jw_num(w, v, decimals);
}

void sc_jw_kbool(struct sc_jw *w, const char *key, int v)
{
    sc_jw_key(w, key);
    sc_jw_bool(w, v);
}

void sc_jw_knull(struct sc_jw *w, const char *key)
{
    sc_jw_key(w, key);
    sc_jw_null(w);
}

/* ---- the reader ---- */

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

struct jparser {
    struct sc_json *j;
    const char *s;
    size_t len, i;
    int depth;
    size_t max_nodes; /* 0 = no limit */
    struct sc_diag *diag;
};

static enum sc_err jfail(struct jparser *p, const char *what)
{
    return sc_diag_set(p->diag, SC_EPARSE, "bad JSON: %s at byte %zu", what, p->i + 1);
}

static void jws(struct jparser *p)
{
    while (p->i < p->len) {
        char c = p->s[p->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->i++;
    }
}

static enum sc_err jnode(struct jparser *p, enum sc_json_type t, uint32_t *out)
{
    struct sc_json *j = p->j;
    if (p->max_nodes && j->n >= p->max_nodes)
        return sc_diag_set(p->diag, SC_ELIMIT, "JSON too large (at most %zu values)", p->max_nodes);
    if (j->n >= UINT32_MAX)
        return sc_diag_set(p->diag, SC_ELIMIT, "JSON too large");
    if (j->n == j->cap) {
        size_t ncap = j->cap ? j->cap * 2 : 16;
        struct sc_json_node *nn = sc_reallocarray(j->nodes, ncap, sizeof *nn);
        if (!nn)
            return sc_diag_set(p->diag, SC_ENOMEM, "out of memory");
        j->nodes = nn;
        j->cap = ncap;
    }
    memset(&j->nodes[j->n], 0, sizeof j->nodes[0]);
    j->nodes[j->n].type = t;
    *out = (uint32_t)j->n++;
    return SC_OK;
}

static int hex4(const char *s, uint32_t *v)
{
    *v = 0;
    for (int k = 0; k < 4; k++) {
        int h = hexval((unsigned char)s[k]);
        if (h < 0)
            return -1;
        *v = *v * 16 + (uint32_t)h;
    }
    return 0;
}

/* A string at p->i (on the quote), decoded into the pool. */
static enum sc_err jstring(struct jparser *p, size_t *off, size_t *slen)
{
    struct sc_buf *b = &p->j->pool;
    p->i++;
    *off = b->len;
    size_t run = p->i;
    for (;;) {
        if (p->i >= p->len)
            return jfail(p, "unterminated string");
        unsigned char c = (unsigned char)p->s[p->i];
        if (c == '"')
            break;
        if (c < 0x20)
            return jfail(p, "control character in string");
        if (c >= 0x80) {
            uint32_t cp;
            size_t n = sc_utf8_decode(p->s + p->i, p->len - p->i, &cp);
            if (!n)
                return jfail(p, "invalid UTF-8");
            p->i += n;
            continue;
        }
        if (c != '\\') {
            p->i++;
            continue;
        }
        sc_buf_add(b, p->s + run, p->i - run);
        if (p->i + 1 >= p->len)
            return jfail(p, "unterminated escape");
        char e = p->s[p->i + 1];
        p->i += 2;
        switch (e) {
        case '"': sc_buf_addc(b, '"'); break;
        case '\\': sc_buf_addc(b, '\\'); break;
        case '/': sc_buf_addc(b, '/'); break;
        case 'b': sc_buf_addc(b, '\b'); break;
        case 'f': sc_buf_addc(b, '\f'); break;
        case 'n': sc_buf_addc(b, '\n'); break;
        case 'r': sc_buf_addc(b, '\r'); break;
        case 't': sc_buf_addc(b, '\t'); break;
        case 'u': {
            uint32_t cp;
            if (p->len - p->i < 4 || hex4(p->s + p->i, &cp))
                return jfail(p, "bad \\u escape");
            p->i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                uint32_t lo;
                if (p->len - p->i < 6 || p->s[p->i] != '\\' || p->s[p->i + 1] != 'u' ||
                    hex4(p->s + p->i + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF)
                    return jfail(p, "unpaired surrogate");
                p->i += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                return jfail(p, "unpaired surrogate");
            }
            if (cp == 0)
                return jfail(p, "NUL character in string");
            sc_buf_add_cp(b, cp);
            break;
        }
        default: p->i -= 1; return jfail(p, "bad escape");
        }
        run = p->i;
    }
    sc_buf_add(b, p->s + run, p->i - run);
    *slen = b->len - *off;
    sc_buf_addc(b, '\0');
    p->i++; /* closing quote */
    return sc_buf_err(b) ? sc_diag_set(p->diag, SC_ENOMEM, "out of memory") : SC_OK;
}

static enum sc_err jnumber(struct jparser *p, double *out)
{
    size_t st = p->i;
    if (p->i < p->len && p->s[p->i] == '-')
        p->i++;
    if (p->i >= p->len)
        return jfail(p, "bad number");
    if (p->s[p->i] == '0') {
        p->i++;
    } else if (p->s[p->i] >= '1' && p->s[p->i] <= '9') {
        while (p->i < p->len && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
    } else {
        return jfail(p, "bad number");
    }
    if (p->i < p->len && p->s[p->i] == '.') {
        p->i++;
        size_t ds = p->i;
        while (p->i < p->len && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
        if (p->i == ds)
            return jfail(p, "bad number");
    }
    if (p->i < p->len && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
        p->i++;
        if (p->i < p->len && (p->s[p->i] == '+' || p->s[p->i] == '-'))
            p->i++;
        size_t ds = p->i;
        while (p->i < p->len && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
        if (p->i == ds)
            return jfail(p, "bad number");
    }
    char tmp[64];
    size_t n = p->i - st;
    if (n >= sizeof tmp)
        return jfail(p, "number too long");
    memcpy(tmp, p->s + st, n);
    tmp[n] = '\0';
    *out = strtod(tmp, NULL);
    return SC_OK;
}

static enum sc_err jvalue(struct jparser *p, uint32_t *out);

static enum sc_err jcontainer(struct jparser *p, int obj, uint32_t self)
{
    char close = obj ? '}' : ']';
    p->i++;
    jws(p);
    if (p->i < p->len && p->s[p->i] == close) {
        p->i++;
        return SC_OK;
    }
    uint32_t prev = 0;
    for (;;) {
        size_t key = 0, klen = 0;
        if (obj) {
            jws(p);
            if (p->i >= p->len || p->s[p->i] != '"')
                return jfail(p, "expected a member name");
            enum sc_err e = jstring(p, &key, &klen);
            if (e != SC_OK)
                return e;
            jws(p);
            if (p->i >= p->len || p->s[p->i] != ':')
                return jfail(p, "expected ':'");
            p->i++;
        }
        uint32_t kid;
        enum sc_err e = jvalue(p, &kid);
        if (e != SC_OK)
            return e;
        struct sc_json_node *k = &p->j->nodes[kid];
        k->key = key;
        k->key_len = klen;
        k->member = (unsigned char)obj;
        if (prev)
            p->j->nodes[prev].next = kid;
        else
            p->j->nodes[self].kid = kid;
        p->j->nodes[self].nkids++;
        prev = kid;
        jws(p);
        if (p->i < p->len && p->s[p->i] == ',') {
            p->i++;
            continue;
        }
        if (p->i < p->len && p->s[p->i] == close) {
            p->i++;
            return SC_OK;
        }
        return jfail(p, obj ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static int jword(struct jparser *p, const char *w)
{
    size_t n = strlen(w);
    if (p->len - p->i >= n && memcmp(p->s + p->i, w, n) == 0) {
        p->i += n;
        return 1;
    }
    return 0;
}

static enum sc_err jvalue(struct jparser *p, uint32_t *out)
{
    jws(p);
    if (p->i >= p->len)
        return jfail(p, "unexpected end");
    char c = p->s[p->i];
    enum sc_err e;
    if (c == '{' || c == '[') {
        if (p->depth >= SC_JSON_MAX_DEPTH)
            return sc_diag_set(p->diag, SC_ELIMIT, "JSON nested too deeply (at most %d)",
                               SC_JSON_MAX_DEPTH);
        if ((e = jnode(p, c == '{' ? SC_JSON_OBJ : SC_JSON_ARR, out)) != SC_OK)
            return e;
        p->depth++;
        e = jcontainer(p, c == '{', *out);
        p->depth--;
        return e;
    }
    if (c == '"') {
        if ((e = jnode(p, SC_JSON_STR, out)) != SC_OK)
            return e;
        size_t off, len;
        if ((e = jstring(p, &off, &len)) != SC_OK)
            return e;
        p->j->nodes[*out].str = off;
        p->j->nodes[*out].str_len = len;
        return SC_OK;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        if ((e = jnode(p, SC_JSON_NUM, out)) != SC_OK)
            return e;
        double v = 0;
        if ((e = jnumber(p, &v)) != SC_OK)
            return e;
        p->j->nodes[*out].num = v;
        return SC_OK;
    }
    if (jword(p, "true"))
        return jnode(p, SC_JSON_TRUE, out);
    if (jword(p, "false"))
        return jnode(p, SC_JSON_FALSE, out);
    if (jword(p, "null"))
        return jnode(p, SC_JSON_NULL, out);
    return jfail(p, "unexpected character");
}

enum sc_err sc_json_parse(struct sc_json *j, const char *text, size_t len, size_t max_nodes,
                          struct sc_diag *diag)
{
    memset(j, 0, sizeof *j);
    sc_buf_init(&j->pool);
    if (!text && len)
        return sc_diag_set(diag, SC_EINVAL, "no JSON text");
    struct jparser p = { j, text ? text : "", len, 0, 0, max_nodes, diag };
    uint32_t root;
    enum sc_err e = jvalue(&p, &root);
    if (e != SC_OK)
        return e;
    jws(&p);
    if (p.i != len)
        return jfail(&p, "trailing characters");
    return SC_OK;
}

void sc_json_release(struct sc_json *j)
{
    free(j->nodes);
    sc_buf_release(&j->pool);
    memset(j, 0, sizeof *j);
}

const struct sc_json_node *sc_json_root(const struct sc_json *j)
{
    return j && j->n ? &j->nodes[0] : NULL;
}

const struct sc_json_node *sc_json_get(const struct sc_json *j, const struct sc_json_node *obj,
                                       const char *key)
{
    if (!obj || obj->type != SC_JSON_OBJ)
        return NULL;
    size_t kl = strlen(key);
    for (uint32_t k = obj->kid; k; k = j->nodes[k].next) {
        const struct sc_json_node *n = &j->nodes[k];
        if (n->key_len == kl && memcmp(j->pool.data + n->key, key, kl) == 0)
            return n;
    }
    return NULL;
}

const char *sc_json_string(const struct sc_json *j, const struct sc_json_node *n, size_t *len)
{
    if (!n || n->type != SC_JSON_STR)
        return NULL;
    if (len)
        *len = n->str_len;
    return j->pool.data + n->str;
}

const char *sc_json_key(const struct sc_json *j, const struct sc_json_node *n, size_t *len)
{
    if (!n || !n->member)
        return NULL;
    if (len)
        *len = n->key_len;
    return j->pool.data + n->key;
}

const struct sc_json_node *sc_json_first(const struct sc_json *j, const struct sc_json_node *n)
{
    if (!n || (n->type != SC_JSON_ARR && n->type != SC_JSON_OBJ) || !n->kid)
        return NULL;
    return &j->nodes[n->kid];
}

const struct sc_json_node *sc_json_next(const struct sc_json *j, const struct sc_json_node *n)
{
    return n && n->next ? &j->nodes[n->next] : NULL;
}

int sc_json_int(const struct sc_json_node *n, int64_t lo, int64_t hi, int64_t *out)
{
    if (!n || n->type != SC_JSON_NUM || !(n->num >= (double)lo) || !(n->num <= (double)hi) ||
        floor(n->num) != n->num || n->num < -9007199254740992.0 || n->num > 9007199254740992.0)
        return -1;
    *out = (int64_t)n->num;
    return 0;
}
