/*
 * 脱敏 driver: decode once, run the recognisers for the kinds asked for,
 * keep the best of overlapping candidates, give each entity its
 * placeholder, and write the masked text, the JSON and its inverse.
 */
#include "mask_int.h"
#include "base/names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[SC_MK_COUNT] = {
    "person", "place", "org", "number", "phone", "idcard", "email", "plate", "bankcard",
};

const char *sc_mask_kind_name(enum sc_mask_kind k)
{
    return (unsigned)k < SC_MK_COUNT ? kind_names[k] : "unknown";
}

enum sc_err sc_mask_kinds_parse(const char *list, unsigned *mask, struct sc_diag *diag)
{
    return sc_names_parse(list, kind_names, SC_MK_COUNT, "entity", mask, diag);
}

void md_cand(struct mdoc *d, size_t s, size_t e, enum sc_mask_kind kind, int prio, size_t keep)
{
    if (d->err != SC_OK || !(d->kinds & (1u << kind)) || e <= s || e > d->n)
        return;
    if (d->nc == d->capc) {
        size_t cap = d->capc ? d->capc * 2 : 64;
        struct cand *p = sc_reallocarray(d->c, cap, sizeof *p);
        if (!p) {
            d->err = SC_ENOMEM;
            return;
        }
        d->c = p;
        d->capc = cap;
    }
    d->c[d->nc++] = (struct cand){ s, e, kind, prio, keep < e - s ? keep : 0 };
}

/* Code points of n bytes of UTF-8 (its lead bytes). */
static size_t cps_of(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* UTF-8 is self-synchronising: comparing bytes at a code point's offset
 * matches whole characters. */
static size_t match_bytes(const struct mdoc *d, size_t i, const char *w, size_t wl)
{
    if (i >= d->n || wl == 0 || d->len - d->off[i] < wl || memcmp(d->text + d->off[i], w, wl))
        return 0;
    return cps_of(w, wl);
}

size_t md_match(const struct mdoc *d, size_t i, const char *s)
{
    return match_bytes(d, i, s, strlen(s));
}

int md_in(const char *set, uint32_t c)
{
    if (c == 0)
        return 0;
    char u[5];
    size_t n = sc_utf8_encode(c, u);
    u[n] = '\0';
    return strstr(set, u) != NULL;
}

/* Is code point c inside the UTF-8 string s at all? A cheap filter before
 * a word list is walked word by word. */
static int has_char(const char *s, uint32_t c)
{
    char u[5];
    size_t n = sc_utf8_encode(c, u);
    u[n] = '\0';
    return n > 0 && c != 0 && strstr(s, u) != NULL;
}

size_t md_word(const struct mdoc *d, size_t i, const char *words)
{
    size_t best = 0;
    if (i >= d->n || !has_char(words, d->cp[i]))
        return 0;
    for (const char *p = words; *p;) {
        const char *q = strchr(p, '|');
        size_t n = q ? (size_t)(q - p) : strlen(p);
        size_t k = match_bytes(d, i, p, n);
        if (k > best)
            best = k;
        p += n;
        if (*p == '|')
            p++;
    }
    return best;
}

size_t md_word_before(const struct mdoc *d, size_t i, const char *words)
{
    size_t best = 0;
    if (i == 0 || i > d->n || !has_char(words, d->cp[i - 1]))
        return 0;
    size_t end = d->off[i];
    for (const char *p = words; *p;) {
        const char *q = strchr(p, '|');
        size_t n = q ? (size_t)(q - p) : strlen(p);
        if (n && n <= end && !memcmp(d->text + end - n, p, n)) {
            size_t k = cps_of(p, n);
            /* the match must start at a character boundary */
            if (k <= i && d->off[i - k] == end - n && k > best)
                best = k;
        }
        p += n;
        if (*p == '|')
            p++;
    }
    return best;
}

static enum sc_err decode(struct mdoc *d, struct sc_diag *diag)
{
    d->cp = sc_malloc((d->len + 1) * sizeof *d->cp);
    d->off = sc_malloc((d->len + 1) * sizeof *d->off);
    if (!d->cp || !d->off)
        return sc_diag_set(diag, SC_ENOMEM, "mask: out of memory for %zu bytes", d->len);
    size_t n = 0;
    for (size_t i = 0; i < d->len;) {
        uint32_t c;
        size_t used = sc_utf8_decode(d->text + i, d->len - i, &c);
        if (!used)
            return sc_diag_set(diag, SC_EINVAL, "mask: invalid UTF-8 at byte %zu", i);
        if (c == 0) /* the map is JSON, which cannot carry it back */
            return sc_diag_set(diag, SC_EINVAL, "mask: a NUL byte at byte %zu", i);
        d->cp[n] = c;
        d->off[n++] = i;
        i += used;
    }
    d->off[n] = d->len;
    d->cp[n] = 0;
    d->n = n;
    return SC_OK;
}

static int cmp_cand(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->prio != y->prio)
        return y->prio - x->prio;
    size_t lx = x->e - x->s, ly = y->e - y->s;
    if (lx != ly)
        return lx > ly ? -1 : 1;
    return x->s < y->s ? -1 : x->s > y->s;
}

static int cmp_start(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    return x->s < y->s ? -1 : x->s > y->s;
}

/* Keep the best candidates that do not overlap a better one. */
static size_t resolve(struct mdoc *d)
{
    if (d->nc == 0)
        return 0;
    qsort(d->c, d->nc, sizeof *d->c, cmp_cand);
    unsigned char *taken = sc_calloc(d->n + 1, 1);
    if (!taken) {
        d->err = SC_ENOMEM;
        return 0;
    }
    size_t k = 0;
    for (size_t i = 0; i < d->nc; i++) {
        struct cand c = d->c[i];
        int free_ = 1;
        for (size_t p = c.s; p < c.e && free_; p++)
            free_ = !taken[p];
        if (!free_)
            continue;
        memset(taken + c.s, 1, c.e - c.s);
        d->c[k++] = c;
    }
    free(taken);
    qsort(d->c, k, sizeof *d->c, cmp_start);
    return k;
}

/* Placeholder label number n (0-based): XX, YY, ZZ, WW … then XX27 … */
static void label(struct sc_buf *b, size_t n, int distinct)
{
    static const char letters[] = "XYZWVUTSRQPONMLKJIHGFEDCBA";
    if (!distinct || n == 0) {
        sc_buf_adds(b, "XX");
        return;
    }
    if (n < 26) {
        sc_buf_addc(b, letters[n]);
        sc_buf_addc(b, letters[n]);
        return;
    }
    sc_buf_addf(b, "XX%zu", n + 1);
}

struct entity {
    enum sc_mask_kind kind;
    size_t s, e; /* first occurrence, code points */
};

enum sc_err sc_mask_run(const char *text, size_t len, const struct sc_mask_opts *opts,
                        struct sc_mask_result *out, struct sc_diag *diag)
{
    memset(out, 0, sizeof *out);
    sc_buf_init(&out->text);
    if (!text && len)
        return sc_diag_set(diag, SC_EINVAL, "mask: no text");
    if (len > SC_MASK_MAX_BYTES)
        return sc_diag_set(diag, SC_ELIMIT, "mask: the text has %zu bytes, more than %u", len,
                           SC_MASK_MAX_BYTES);
    struct mdoc d;
    memset(&d, 0, sizeof d);
    d.text = text ? text : "";
    d.len = len;
    d.kinds = opts && opts->kinds ? opts->kinds : SC_MASK_DEFAULT_KINDS;
    int distinct = opts ? opts->distinct : 0;
    enum sc_err e = decode(&d, diag);
    struct entity *ents = NULL;
    size_t nents = 0;
    if (e == SC_OK) {
        rec_structured(&d);
        if (d.kinds & ((1u << SC_MK_PLACE) | (1u << SC_MK_ORG)))
            rec_places(&d);
        if (d.kinds & (1u << SC_MK_PERSON))
            rec_persons(&d);
        if (d.kinds & (1u << SC_MK_NUMBER))
            rec_numbers(&d);
        size_t k = resolve(&d);
        if (d.err != SC_OK)
            e = sc_diag_set(diag, d.err, "mask: out of memory");
        if (e == SC_OK && k) {
            out->spans = sc_calloc(k, sizeof *out->spans);
            ents = sc_calloc(k, sizeof *ents);
            if (!out->spans || !ents)
                e = sc_diag_set(diag, SC_ENOMEM, "mask: out of memory");
        }
        size_t at = 0;
        for (size_t i = 0; e == SC_OK && i < k; i++) {
            const struct cand *c = &d.c[i];
            /* the same entity keeps its label: same kind and same text */
            size_t id = nents, nth = 0;
            for (size_t q = 0; q < nents; q++) {
                if (ents[q].kind != c->kind)
                    continue;
                if (ents[q].e - ents[q].s == c->e - c->s &&
                    !memcmp(d.cp + ents[q].s, d.cp + c->s, (c->e - c->s) * sizeof *d.cp)) {
                    id = q;
                    break;
                }
            }
            if (id == nents)
                ents[nents++] = (struct entity){ c->kind, c->s, c->e };
            for (size_t q = 0; q < id; q++)
                nth += ents[q].kind == c->kind;
            struct sc_buf rep = SC_BUF_INIT;
            label(&rep, nth, distinct);
            if (c->keep)
                sc_buf_add(&rep, d.text + d.off[c->e - c->keep], d.off[c->e] - d.off[c->e - c->keep]);
            size_t rl;
            char *r = sc_buf_take(&rep, &rl);
            if (!r) {
                e = sc_diag_set(diag, SC_ENOMEM, "mask: out of memory");
                break;
            }
            struct sc_mask_span *sp = &out->spans[out->n++];
            sp->start = d.off[c->s];
            sp->end = d.off[c->e];
            sp->kind = c->kind;
            sp->replacement = r;
            sc_buf_add(&out->text, d.text + at, sp->start - at);
            sc_buf_add(&out->text, r, rl);
            at = sp->end;
        }
        if (e == SC_OK) {
            sc_buf_add(&out->text, d.text + at, d.len - at);
            if (sc_buf_err(&out->text) != SC_OK)
                e = sc_diag_set(diag, SC_ENOMEM, "mask: out of memory");
        }
        out->cap = out->n;
    }
    free(ents);
    free(d.cp);
    free(d.off);
    free(d.c);
    return e;
}

void sc_mask_result_release(struct sc_mask_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        free(r->spans[i].replacement);
    free(r->spans);
    sc_buf_release(&r->text);
    memset(r, 0, sizeof *r);
    sc_buf_init(&r->text);
}

void sc_mask_json(struct sc_jw *w, const char *text, size_t len, const struct sc_mask_result *r)
{
    sc_jw_obj(w, SC_JW_INLINE);
    sc_jw_kstr(w, "text", r->text.data, r->text.len);
    sc_jw_key(w, "spans");
    sc_jw_arr(w, SC_JW_LINES);
    size_t at = 0, cp = 0;
    for (size_t i = 0; i < r->n; i++) {
        const struct sc_mask_span *s = &r->spans[i];
        if (s->start < at || s->end > len)
            continue; /* spans are sorted and inside the text */
        cp += sc_utf8_count(text + at, s->start - at);
        at = s->start;
        size_t ecp = cp + sc_utf8_count(text + s->start, s->end - s->start);
        sc_jw_obj(w, SC_JW_INLINE);
        sc_jw_kint(w, "start", (int64_t)cp);
        sc_jw_kint(w, "end", (int64_t)ecp);
        sc_jw_kstrz(w, "kind", sc_mask_kind_name(s->kind));
        sc_jw_kstr(w, "original", text + s->start, s->end - s->start);
        sc_jw_kstrz(w, "replacement", s->replacement);
        sc_jw_obj_end(w);
    }
    sc_jw_arr_end(w);
    sc_jw_obj_end(w);
}

enum sc_err sc_mask_restore(const char *map, size_t map_len, const char *masked,
                            size_t masked_len, struct sc_buf *out, struct sc_diag *diag)
{
    struct sc_json j;
    enum sc_err e = sc_json_parse(&j, map, map_len, 0, diag);
    if (e != SC_OK) {
        sc_json_release(&j);
        return e;
    }
    const struct sc_json_node *root = sc_json_root(&j);
    const struct sc_json_node *spans = root && root->type == SC_JSON_OBJ
                                           ? sc_json_get(&j, root, "spans")
                                           : NULL;
    if (!spans || spans->type != SC_JSON_ARR) {
        sc_json_release(&j);
        return sc_diag_set(diag, SC_EPARSE, "map: no \"spans\" array (not the JSON of sucai mask)");
    }
    if (!masked) {
        const struct sc_json_node *t = sc_json_get(&j, root, "text");
        masked = t ? sc_json_string(&j, t, &masked_len) : NULL;
        if (!masked) {
            sc_json_release(&j);
            return sc_diag_set(diag, SC_EPARSE, "map: no \"text\" and no masked text given");
        }
    }
    size_t mb = 0;      /* byte position in masked */
    int64_t ocp = 0;    /* code point position in the original */
    size_t idx = 0;
    for (const struct sc_json_node *s = sc_json_first(&j, spans); s; s = sc_json_next(&j, s), idx++) {
        int64_t st, en;
        size_t ol, rl;
        const struct sc_json_node *o = s->type == SC_JSON_OBJ ? sc_json_get(&j, s, "original") : NULL;
        const struct sc_json_node *rp = s->type == SC_JSON_OBJ ? sc_json_get(&j, s, "replacement") : NULL;
        const char *orig = o ? sc_json_string(&j, o, &ol) : NULL;
        const char *repl = rp ? sc_json_string(&j, rp, &rl) : NULL;
        if (s->type != SC_JSON_OBJ || sc_json_int(sc_json_get(&j, s, "start"), 0, INT64_MAX, &st) ||
            sc_json_int(sc_json_get(&j, s, "end"), 0, INT64_MAX, &en) || !orig || !repl ||
            en < st || st < ocp) {
            e = sc_diag_set(diag, SC_EPARSE,
                            "map: span %zu needs start <= end (in order), original and replacement",
                            idx);
            break;
        }
        /* the text between spans is the same in both */
        size_t gap = (size_t)(st - ocp), k = mb;
        for (size_t c = 0; c < gap; c++) {
            uint32_t cp;
            size_t used = k < masked_len ? sc_utf8_decode(masked + k, masked_len - k, &cp) : 0;
            if (!used) {
                e = sc_diag_set(diag, SC_EPARSE, "masked text: ends before span %zu", idx);
                break;
            }
            k += used;
        }
        if (e != SC_OK)
            break;
        if (masked_len - k < rl || memcmp(masked + k, repl, rl) != 0) {
            e = sc_diag_set(diag, SC_EPARSE,
                            "masked text: span %zu: the placeholder \"%.40s\" is not where the map "
                            "puts it (was the masked text edited?)",
                            idx, repl);
            break;
        }
        sc_buf_add(out, masked + mb, k - mb);
        sc_buf_add(out, orig, ol);
        if ((int64_t)sc_utf8_count(orig, ol) != en - st) {
            e = sc_diag_set(diag, SC_EPARSE, "map: span %zu: original is not %lld characters long",
                            idx, (long long)(en - st));
            break;
        }
        mb = k + rl;
        ocp = en;
    }
    if (e == SC_OK) {
        sc_buf_add(out, masked + mb, masked_len - mb);
        e = sc_buf_err(out);
    }
    sc_json_release(&j);
    return e;
}
