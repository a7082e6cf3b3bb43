/*
 * Two drafts compared with each other (sc_check_compare): the same spans as
 * a check against the library, with the other draft as the only source.
 * Every window of min code points of the other draft goes into a hash table
 * (a rolling hash, positions chained); each window of the draft looks its
 * hash up, and a hit that really is equal is extended to its maximal match
 * on that diagonal. Memory is O(both drafts).
 */
#include "check/check_int.h"

#include "sucai/gongwen.h"

#include <stdlib.h>
#include <string.h>

struct hwin {
    uint64_t h;
    uint32_t pos;  /* window start in the other draft */
    uint32_t next; /* next window with the same slot, + 1 */
};

/* The other draft's windows by hash. */
struct wtab {
    uint32_t *head; /* per slot: first window + 1 */
    size_t mask;
    struct hwin *w;
    size_t n;
};

static const uint64_t HMUL = 0x100000001B3ull;

static uint64_t mix(uint32_t c)
{
    uint64_t x = (uint64_t)c * 0x9E3779B97F4A7C15ull;
    return x ^ (x >> 31);
}

/* The windows of min code points inside one paragraph of d, with their
 * rolling hashes; pw = HMUL^(min - 1). */
struct witer {
    const struct ck_draft *d;
    size_t min, i, run;
    uint64_t pw, h;
};

static int next_window(struct witer *it, size_t *start, uint64_t *hash)
{
    const struct ck_draft *d = it->d;
    while (it->i < d->n) {
        size_t i = it->i++;
        if (d->cp[i] == '\n') {
            it->run = 0;
            it->h = 0;
            continue;
        }
        if (it->run == it->min)
            it->h -= mix(d->cp[i - it->min]) * it->pw;
        else
            it->run++;
        it->h = it->h * HMUL + mix(d->cp[i]);
        if (it->run == it->min) {
            *start = i + 1 - it->min;
            *hash = it->h;
            return 1;
        }
    }
    return 0;
}

static int wtab_build(struct wtab *t, const struct ck_draft *b, size_t min, uint64_t pw)
{
    memset(t, 0, sizeof *t);
    size_t slots = 1024;
    while (slots < b->n * 2)
        slots *= 2;
    t->head = sc_calloc(slots, sizeof *t->head);
    t->w = sc_malloc((b->n ? b->n : 1) * sizeof *t->w);
    if (!t->head || !t->w)
        return -1;
    t->mask = slots - 1;
    struct witer it = { b, min, 0, 0, pw, 0 };
    size_t start;
    uint64_t h;
    while (next_window(&it, &start, &h)) {
        size_t s = (size_t)(h ^ (h >> 29)) & t->mask;
        t->w[t->n] = (struct hwin){ h, (uint32_t)start, t->head[s] };
        t->head[s] = (uint32_t)++t->n;
    }
    return 0;
}

static void wtab_release(struct wtab *t)
{
    free(t->head);
    free(t->w);
}

/* The paragraph index and range of position p of draft d. */
static uint32_t para_of(const struct ck_draft *d, size_t p, size_t *lo, size_t *hi)
{
    uint32_t k = 0;
    size_t s = 0;
    for (size_t i = 0; i < p; i++)
        if (d->cp[i] == '\n')
            k++, s = i + 1;
    size_t e = p;
    while (e < d->n && d->cp[e] != '\n')
        e++;
    *lo = s;
    *hi = e;
    return k;
}

struct cmatch {
    uint32_t ds, de, bs;
};

static int cmatch_cmp(const void *x, const void *y)
{
    const struct cmatch *a = x, *b = y;
    if (a->ds != b->ds)
        return a->ds < b->ds ? -1 : 1;
    return a->de > b->de ? -1 : a->de < b->de;
}

static int cmatch_longest(const void *x, const void *y)
{
    const struct cmatch *a = x, *b = y;
    uint32_t la = a->de - a->ds, lb = b->de - b->ds;
    if (la != lb)
        return la > lb ? -1 : 1;
    return a->bs < b->bs ? -1 : a->bs > b->bs;
}

/* The section path of code point cp (outline secs). */
static char *section_at(const struct sc_section *secs, size_t ns, int64_t cp)
{
    struct sc_buf b = SC_BUF_INIT;
    for (size_t i = 0; i < ns; i++)
        if (secs[i].start_cp <= cp && cp < secs[i].end_cp) {
            if (b.len)
                sc_buf_adds(&b, " › ");
            sc_buf_adds(&b, secs[i].label ? secs[i].label : "");
            sc_buf_adds(&b, secs[i].heading ? secs[i].heading : "");
        }
    return sc_buf_take(&b, NULL);
}

static enum sc_err compare_one(const struct ck_draft *a, const struct ck_draft *b,
                               const struct sc_check_opts *o, const char *b_title,
                               struct sc_check_result *out)
{
    memset(out, 0, sizeof *out);
    size_t min = o->min;
    uint64_t pw = 1;
    for (size_t i = 1; i < min; i++)
        pw *= HMUL;
    struct wtab t;
    struct cmatch *m = NULL;
    size_t nm = 0, cap = 0;
    struct sc_section *secs = NULL;
    size_t nsec = 0;
    enum sc_err e = SC_OK;
    if (wtab_build(&t, b, min, pw)) {
        e = SC_ENOMEM;
        goto done;
    }
    size_t plo = 0, phi = 0, start;
    uint64_t h;
    struct witer it = { a, min, 0, 0, pw, 0 };
    while (e == SC_OK && next_window(&it, &start, &h)) {
        if (start >= phi) { /* the paragraph of a the window is in */
            plo = start;
            while (plo > 0 && a->cp[plo - 1] != '\n')
                plo--;
            phi = start;
            while (phi < a->n && a->cp[phi] != '\n')
                phi++;
        }
        for (uint32_t k = t.head[(size_t)(h ^ (h >> 29)) & t.mask]; k && e == SC_OK;
             k = t.w[k - 1].next) {
            const struct hwin *w = &t.w[k - 1];
            if (w->h != h || memcmp(a->cp + start, b->cp + w->pos, min * sizeof *a->cp) != 0)
                continue;
            /* a match on this diagonal found from an earlier window */
            int known = 0;
            for (size_t x = nm; x-- > 0 && m[x].de > start;)
                if (m[x].ds <= start &&
                    (int64_t)m[x].bs - m[x].ds == (int64_t)w->pos - (int64_t)start) {
                    known = 1;
                    break;
                }
            if (known)
                continue;
            size_t blo, bhi;
            para_of(b, w->pos, &blo, &bhi);
            size_t i = start, j = w->pos;
            while (i > plo && j > blo && a->cp[i - 1] == b->cp[j - 1])
                i--, j--;
            size_t ds = i, bs = j;
            i = start + min, j = w->pos + min;
            while (i < phi && j < bhi && a->cp[i] == b->cp[j])
                i++, j++;
            if (nm == cap) {
                size_t nc = cap ? cap * 2 : 64;
                struct cmatch *nn = sc_reallocarray(m, nc, sizeof *nn);
                if (!nn) {
                    e = SC_ENOMEM;
                    break;
                }
                m = nn;
                cap = nc;
            }
            m[nm++] = (struct cmatch){ (uint32_t)ds, (uint32_t)i, (uint32_t)bs };
        }
    }
    if (e != SC_OK)
        goto done;
    if (nm)
        qsort(m, nm, sizeof *m, cmatch_cmp);
    size_t nsp = 0;
    for (size_t i = 0; i < nm;) {
        uint32_t de = m[i].de;
        size_t j = i + 1;
        while (j < nm && m[j].ds <= de)
            de = m[j].de > de ? m[j].de : de, j++;
        nsp++;
        i = j;
    }
    out->spans = nsp ? sc_calloc(nsp, sizeof *out->spans) : NULL;
    if (nsp && !out->spans) {
        e = SC_ENOMEM;
        goto done;
    }
    if (sc_outline_parse(b->text, b->len, &secs, &nsec) != SC_OK) {
        secs = NULL;
        nsec = 0;
    }
    for (size_t i = 0; i < nm && e == SC_OK;) {
        uint32_t ds = m[i].ds, de = m[i].de;
        size_t j = i + 1;
        while (j < nm && m[j].ds <= de)
            de = m[j].de > de ? m[j].de : de, j++;
        struct sc_check_span *sp = &out->spans[out->nspans++];
        sp->start = a->obyte[ds];
        uint32_t cp;
        size_t k = sc_utf8_decode(a->text + a->obyte[de - 1], a->len - a->obyte[de - 1], &cp);
        sp->end = a->obyte[de - 1] + (k ? k : 1);
        sp->docs = 1;
        /* sources: the other draft's stretches, longest first */
        qsort(m + i, j - i, sizeof *m, cmatch_longest);
        size_t want = j - i < o->max_sources ? j - i : o->max_sources;
        sp->sources = sc_calloc(want, sizeof *sp->sources);
        if (!sp->sources) {
            e = SC_ENOMEM;
            break;
        }
        for (size_t x = i; x < i + want; x++) {
            const struct cmatch *c = &m[x];
            struct sc_check_source *src = &sp->sources[sp->nsources++];
            size_t blo, bhi;
            src->paragraph = para_of(b, c->bs, &blo, &bhi);
            size_t bs = b->obyte[c->bs], be = b->obyte[c->bs + (c->de - c->ds) - 1];
            k = sc_utf8_decode(b->text + be, b->len - be, &cp);
            be += k ? k : 1;
            src->start_cp = (int64_t)sc_utf8_count(b->text, bs);
            src->end_cp = src->start_cp + (int64_t)sc_utf8_count(b->text + bs, be - bs);
            src->draft_start = a->obyte[c->ds];
            size_t ae = a->obyte[c->de - 1];
            k = sc_utf8_decode(a->text + ae, a->len - ae, &cp);
            src->draft_end = ae + (k ? k : 1);
            src->title = sc_strdup(b_title ? b_title : "");
            src->text = sc_strndup(b->text + bs, be - bs);
            src->section = section_at(secs, nsec, src->start_cp);
            if (!src->title || !src->text || !src->section) {
                e = SC_ENOMEM;
                break;
            }
        }
        i = j;
    }
    if (e == SC_OK)
        e = ck_sections(a, out);
done:
    sc_sections_free(secs, nsec);
    wtab_release(&t);
    free(m);
    if (e != SC_OK)
        sc_check_result_release(out);
    return e;
}

enum sc_err sc_check_compare(const char *a, size_t alen, const char *b, size_t blen,
                             const struct sc_check_opts *opts, const char *a_title,
                             const char *b_title, struct sc_check_result *out_a,
                             struct sc_check_result *out_b, struct sc_diag *diag)
{
    if (out_a)
        memset(out_a, 0, sizeof *out_a);
    if (out_b)
        memset(out_b, 0, sizeof *out_b);
    struct sc_check_opts o;
    memset(&o, 0, sizeof o);
    if (opts)
        o = *opts;
    if (!o.min)
        o.min = SC_CHECK_MIN;
    if (!o.max_sources)
        o.max_sources = SC_CHECK_SOURCES;
    o.common = SIZE_MAX;
    if (o.min < SC_CHECK_MIN_LO || o.min > SC_CHECK_MIN_HI)
        return sc_diag_set(diag, SC_EINVAL, "check: --min must be %d to %d (got %zu)",
                           SC_CHECK_MIN_LO, SC_CHECK_MIN_HI, o.min);
    const char *txt[2] = { a ? a : "", b ? b : "" };
    size_t len[2] = { a ? alen : 0, b ? blen : 0 };
    for (int i = 0; i < 2; i++) {
        size_t bad = 0;
        if (len[i] && !sc_utf8_valid(txt[i], len[i], &bad))
            return sc_diag_set(diag, SC_EPARSE, "draft %d: not valid UTF-8 at byte %zu", i + 1,
                               bad);
        size_t n = sc_utf8_count(txt[i], len[i]);
        if (n > SC_CHECK_MAX_CHARS)
            return sc_diag_set(diag, SC_ELIMIT,
                               "draft %d too long (%zu characters; the limit is %d)", i + 1, n,
                               SC_CHECK_MAX_CHARS);
    }
    struct ck_draft da, db;
    enum sc_err e = ck_draft_init(&da, txt[0], len[0]);
    if (e == SC_OK && (e = ck_draft_init(&db, txt[1], len[1])) != SC_OK)
        ck_draft_release(&da);
    if (e != SC_OK)
        return sc_diag_set(diag, e, "out of memory comparing the drafts");
    if (out_a)
        e = compare_one(&da, &db, &o, b_title, out_a);
    if (e == SC_OK && out_b)
        e = compare_one(&db, &da, &o, a_title, out_b);
    ck_draft_release(&da);
    ck_draft_release(&db);
    if (e != SC_OK) {
        sc_check_result_release(out_a);
        sc_check_result_release(out_b);
        return sc_diag_set(diag, e, "out of memory comparing the drafts");
    }
    return SC_OK;
}
