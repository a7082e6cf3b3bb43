/*
 * 校对 driver: decode the draft once, run every rule family, sort the
 * findings, write them as JSON with code-point offsets.
 */
#include "proof_int.h"
#include "base/names.h"

#include "sucai/search.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[SC_PK_COUNT] = {
    "numbering_gap",   "numbering_dup",      "numbering_order",  "doubled_char",
    "placeholder",     "filter_artefact",    "punct_width",      "bracket_unbalanced",
    "quote_unbalanced", "doc_number",        "date_format",      "confusable",
};

const char *sc_proof_kind_name(enum sc_proof_kind k)
{
    return (unsigned)k < SC_PK_COUNT ? kind_names[k] : "unknown";
}

const char *sc_proof_severity_name(enum sc_proof_severity s)
{
    switch (s) {
    case SC_PS_ERROR: return "error";
    case SC_PS_WARNING: return "warning";
    case SC_PS_INFO: return "info";
    }
    return "info";
}

enum sc_err sc_proof_kinds_parse(const char *list, unsigned *mask, struct sc_diag *diag)
{
    return sc_names_parse(list, kind_names, SC_PK_COUNT, "finding", mask, diag);
}

int is_cjk_text(uint32_t c)
{
    if (is_han(c))
        return 1;
    /* CJK symbols and punctuation, full-width forms (but not full-width
     * Latin letters and digits), general punctuation used in Chinese */
    if (c >= 0x3000 && c <= 0x303F)
        return 1;
    if (c >= 0xFF01 && c <= 0xFF0F)
        return 1;
    if (c >= 0xFF1A && c <= 0xFF20)
        return 1;
    if (c >= 0xFF3B && c <= 0xFF40)
        return 1;
    if (c >= 0xFF5B && c <= 0xFF65)
        return 1;
    if (c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019 || c == 0x2014 ||
        c == 0x2026 || c == 0x00B7)
        return 1;
    return 0;
}

size_t pd_match(const struct pdoc *d, size_t i, const char *s)
{
    size_t k = 0, n = strlen(s), bi = 0;
    while (bi < n) {
        uint32_t c;
        size_t used = sc_utf8_decode(s + bi, n - bi, &c);
        if (!used || i + k >= d->n || d->cp[i + k] != c)
            return 0;
        bi += used;
        k++;
    }
    return k;
}

size_t pd_match_before(const struct pdoc *d, size_t i, const char *s)
{
    size_t k = sc_utf8_count(s, strlen(s));
    if (k == 0 || k > i)
        return 0;
    return pd_match(d, i - k, s) ? k : 0;
}

void pd_copy(const struct pdoc *d, size_t s, size_t e, char *buf, size_t size)
{
    if (size == 0)
        return;
    buf[0] = '\0';
    if (s >= e || e > d->n)
        return;
    size_t bs = d->off[s], be = d->off[e];
    size_t n = be - bs;
    if (n >= size) {
        /* cut at a character boundary */
        n = 0;
        for (size_t k = s; k < e && d->off[k + 1] - bs < size; k++)
            n = d->off[k + 1] - bs;
    }
    memcpy(buf, d->text + bs, n);
    buf[n] = '\0';
}

void pd_add(struct pdoc *d, size_t s, size_t e, enum sc_proof_kind kind,
            enum sc_proof_severity sev, const char *rule, const char *suggestion,
            const char *fmt, ...)
{
    if (d->err != SC_OK || !kind_on(d, kind))
        return;
    struct sc_proof_result *r = d->out;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 32;
        struct sc_finding *p = sc_reallocarray(r->items, cap, sizeof *p);
        if (!p) {
            d->err = SC_ENOMEM;
            return;
        }
        r->items = p;
        r->cap = cap;
    }
    struct sc_buf m = SC_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sc_buf_vaddf(&m, fmt, ap);
    va_end(ap);
    char *msg = sc_buf_take(&m, NULL);
    char *sug = suggestion ? sc_strdup(suggestion) : NULL;
    if (!msg || (suggestion && !sug)) {
        free(msg);
        free(sug);
        d->err = SC_ENOMEM;
        return;
    }
    if (e > d->n)
        e = d->n;
    if (s > e)
        s = e;
    struct sc_finding *f = &r->items[r->n++];
    f->start = d->off[s];
    f->end = d->off[e];
    f->kind = kind;
    f->severity = sev;
    f->rule = rule;
    f->message = msg;
    f->suggestion = sug;
}

int64_t pd_freq(const struct pdoc *d, const char *s, size_t len)
{
    int64_t n = freq_shipped(s, len);
    if (d->opts && d->opts->count) {
        int64_t m = d->opts->count(d->opts->count_ctx, s, len);
        if (m > 0)
            n += m;
    }
    return n;
}

int64_t sc_proof_library_counter(void *ctx, const char *s, size_t len)
{
    struct sc_library *lib = ctx;
    char q[64];
    if (!lib || len == 0 || len + 3 > sizeof q)
        return -1;
    /* quoted, so that no character of the string is taken as syntax */
    q[0] = '"';
    memcpy(q + 1, s, len);
    q[len + 1] = '"';
    q[len + 2] = '\0';
    if (memchr(s, '"', len) || memchr(s, '\\', len))
        return -1;
    struct sc_search_opts o = { 0 };
    o.query = q;
    o.mode = SC_SEARCH_PARA;
    o.limit = 0;
    o.entitled = 0; /* a count only: no text leaves the index */
    struct sc_results res;
    memset(&res, 0, sizeof res);
    enum sc_err e = sc_search(lib, &o, &res, NULL);
    int64_t n = e == SC_OK ? res.total : -1;
    sc_results_release(&res);
    return n;
}

static int cmp_finding(const void *a, const void *b)
{
    const struct sc_finding *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return (int)x->kind - (int)y->kind;
}

static enum sc_err decode(struct pdoc *d, struct sc_diag *diag)
{
    const char *t = d->text;
    size_t len = d->len;
    d->cp = sc_malloc((len + 1) * sizeof *d->cp);
    d->off = sc_malloc((len + 1) * sizeof *d->off);
    if (!d->cp || !d->off)
        return sc_diag_set(diag, SC_ENOMEM, "proof: out of memory for %zu bytes", len);
    size_t n = 0, nl = 1;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t used = sc_utf8_decode(t + i, len - i, &c);
        if (!used)
            return sc_diag_set(diag, SC_EINVAL, "proof: invalid UTF-8 at byte %zu", i);
        d->cp[n] = c;
        d->off[n] = i;
        if (c == '\n')
            nl++;
        n++;
        i += used;
    }
    d->off[n] = len;
    d->cp[n] = 0;
    d->n = n;
    d->lines = sc_malloc(nl * sizeof *d->lines);
    if (!d->lines)
        return sc_diag_set(diag, SC_ENOMEM, "proof: out of memory for %zu lines", nl);
    size_t s = 0;
    d->nlines = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || d->cp[i] == '\n') {
            size_t e = i;
            if (e > s && d->cp[e - 1] == '\r')
                e--;
            d->lines[d->nlines].s = s;
            d->lines[d->nlines].e = e;
            d->nlines++;
            s = i + 1;
        }
    }
    return SC_OK;
}

enum sc_err sc_proof_run(const char *text, size_t len, const struct sc_proof_opts *opts,
                         struct sc_proof_result *out, struct sc_diag *diag)
{
    memset(out, 0, sizeof *out);
    if (!text && len)
        return sc_diag_set(diag, SC_EINVAL, "proof: no text");
    if (len > SC_PROOF_MAX_BYTES)
        return sc_diag_set(diag, SC_ELIMIT, "proof: the draft has %zu bytes, more than %u", len,
                           SC_PROOF_MAX_BYTES);
    struct pdoc d;
    memset(&d, 0, sizeof d);
    d.text = text ? text : "";
    d.len = len;
    d.opts = opts;
    d.out = out;
    enum sc_err e = decode(&d, diag);
    if (e == SC_OK) {
        rule_numbering(&d);
        rule_doubled(&d);
        rule_marks(&d);
        rule_punct(&d);
        rule_forms(&d);
        rule_confusable(&d);
        if (d.err != SC_OK)
            e = sc_diag_set(diag, d.err, "proof: out of memory");
    }
    free(d.cp);
    free(d.off);
    free(d.lines);
    if (e == SC_OK && out->n > 1)
        qsort(out->items, out->n, sizeof *out->items, cmp_finding);
    return e;
}

void sc_proof_result_release(struct sc_proof_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->items[i].message);
        free(r->items[i].suggestion);
    }
    free(r->items);
    memset(r, 0, sizeof *r);
}

void sc_proof_json(struct sc_jw *w, const char *text, size_t len,
                   const struct sc_proof_result *r)
{
    sc_jw_obj(w, SC_JW_INLINE);
    sc_jw_key(w, "findings");
    sc_jw_arr(w, SC_JW_LINES);
    /* findings are sorted by start: count code points incrementally */
    size_t at = 0, cp = 0;
    for (size_t i = 0; i < r->n; i++) {
        const struct sc_finding *f = &r->items[i];
        size_t s = f->start <= len ? f->start : len, e = f->end <= len ? f->end : len;
        if (s < at) {
            at = 0;
            cp = 0;
        }
        cp += sc_utf8_count(text + at, s - at);
        at = s;
        size_t ecp = cp + sc_utf8_count(text + s, e - s);
        sc_jw_obj(w, SC_JW_INLINE);
        sc_jw_kint(w, "start", (int64_t)cp);
        sc_jw_kint(w, "end", (int64_t)ecp);
        sc_jw_kstrz(w, "kind", sc_proof_kind_name(f->kind));
        sc_jw_kstrz(w, "rule", f->rule);
        sc_jw_kstrz(w, "message", f->message);
        sc_jw_kstrz(w, "suggestion", f->suggestion);
        sc_jw_kstrz(w, "severity", sc_proof_severity_name(f->severity));
        sc_jw_kstr(w, "text", text + s, e - s);
        sc_jw_obj_end(w);
    }
    sc_jw_arr_end(w);
    sc_jw_kint(w, "chars", (int64_t)sc_utf8_count(text, len));
    sc_jw_obj_end(w);
}
