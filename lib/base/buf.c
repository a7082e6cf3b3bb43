/*
 * struct sc_buf: the one growable buffer of libsucai (see base.h for the
 * invariants). Allocation failure marks the buffer failed instead of
 * aborting, so callers check once with sc_buf_err().
 */
#include "sucai/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char empty_string[1];

void sc_buf_init(struct sc_buf *b)
{
    b->data = empty_string;
    b->len = 0;
    b->cap = 0;
    b->max = 0;
    b->failed = 0;
}

void sc_buf_release(struct sc_buf *b)
{
    if (b->cap)
        free(b->data);
    size_t max = b->max;
    sc_buf_init(b);
    b->max = max;
}

void sc_buf_reset(struct sc_buf *b)
{
    b->len = 0;
    b->failed = 0;
    if (b->cap)
        b->data[0] = '\0';
}

enum sc_err sc_buf_err(const struct sc_buf *b)
{
    return b->failed ? SC_ENOMEM : SC_OK;
}

enum sc_err sc_buf_grow(struct sc_buf *b, size_t extra)
{
    if (b->failed)
        return SC_ENOMEM;
    if (extra > SIZE_MAX - b->len - 1)
        goto fail;
    size_t need = b->len + extra + 1;
    if (b->max && need > b->max + 1)
        goto fail;
    if (need <= b->cap)
        return SC_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    char *p = b->cap ? sc_realloc(b->data, cap) : sc_malloc(cap);
    if (!p)
        goto fail;
    if (!b->cap)
        p[0] = '\0';
    b->data = p;
    b->cap = cap;
    return SC_OK;
fail:
    b->failed = 1;
    return SC_ENOMEM;
}

void sc_buf_add(struct sc_buf *b, const void *data, size_t len)
{
    if (sc_buf_grow(b, len) != SC_OK)
        return;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void sc_buf_adds(struct sc_buf *b, const char *s)
{
    sc_buf_add(b, s, strlen(s));
}

void sc_buf_addc(struct sc_buf *b, char c)
{
    sc_buf_add(b, &c, 1);
}

void sc_buf_vaddf(struct sc_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, cp);
    va_end(cp);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        sc_buf_add(b, small, (size_t)n);
        return;
    }
    if (sc_buf_grow(b, (size_t)n) != SC_OK)
        return;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void sc_buf_addf(struct sc_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sc_buf_vaddf(b, fmt, ap);
    va_end(ap);
}

void sc_buf_add_cp(struct sc_buf *b, uint32_t cp)
{
    char tmp[4];
    size_t n = sc_utf8_encode(cp, tmp);
    sc_buf_add(b, tmp, n);
}

char *sc_buf_take(struct sc_buf *b, size_t *len)
{
    if (b->failed) {
        sc_buf_release(b);
        if (len)
            *len = 0;
        return NULL;
    }
    char *p;
    if (b->cap) {
        p = b->data;
    } else {
        p = sc_malloc(1);
        if (!p)
            return NULL;
        p[0] = '\0';
    }
    if (len)
        *len = b->len;
    size_t max = b->max;
    sc_buf_init(b);
    b->max = max;
    return p;
}

struct sc_str sc_str_c(const char *s)
{
    struct sc_str r = { s, s ? strlen(s) : 0 };
    return r;
}
