/*
 * Saved searches are matched by the engine (sc_engine_match) against the
 * documents an import added. Property: for random queries (terms drawn from
 * the corpus, absent ones, AND / OR / NOT, field filters, a top-level NOT,
 * section:), the matches among the new documents equal what `search` over
 * the whole index returns restricted to those documents, whether the new
 * documents are a segment of their own or share one with older documents
 * (both ways the engine restricts them), and whatever the order of the
 * queries.
 *
 * SUCAI_PROPERTY_QUERIES (default 200) and SUCAI_PROPERTY_DOCS (default
 * 300 files) size the run; the corpus part is skipped when ../shared is
 * absent, the constructed part always runs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "search_fixture.h"
#include "sucai/text.h"

#include <dirent.h>

static uint64_t RNG = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void)
{
    RNG ^= RNG << 13;
    RNG ^= RNG >> 7;
    RNG ^= RNG << 17;
    return RNG;
}

static size_t env_size(const char *name, size_t def)
{
    const char *v = getenv(name);
    return v && *v ? (size_t)strtoull(v, NULL, 10) : def;
}

/* Collected matches of one run: (query, id) pairs. */
struct got {
    size_t nq;
    int64_t **ids;
    size_t *n;
};

static int collect(void *ctx, size_t qi, const int64_t *ids, size_t n)
{
    struct got *g = ctx;
    assert_true(qi < g->nq);
    assert_int_equal(g->n[qi], 0); /* once per query */
    g->ids[qi] = malloc(n * sizeof *ids);
    assert_non_null(g->ids[qi]);
    memcpy(g->ids[qi], ids, n * sizeof *ids);
    g->n[qi] = n;
    for (size_t i = 1; i < n; i++)
        assert_true(ids[i] > ids[i - 1]); /* in id order, no repeats */
    return 0;
}

static void got_init(struct got *g, size_t nq)
{
    g->nq = nq;
    g->ids = calloc(nq, sizeof *g->ids);
    g->n = calloc(nq, sizeof *g->n);
    assert_non_null(g->ids);
    assert_non_null(g->n);
}

static void got_release(struct got *g)
{
    for (size_t i = 0; i < g->nq; i++)
        free(g->ids[i]);
    free(g->ids);
    free(g->n);
}

/* What search over the whole snapshot returns with ids above mark, paged
 * through in full; with vis, for a reader who may not read paid text and
 * has no allowance (paid parts never match). */
static int64_t *search_new(struct fixture *f, const char *q, int64_t mark, int vis, size_t *n)
{
    struct sc_search_opts o = { 0 };
    o.query = q;
    o.mode = SC_SEARCH_DOC;
    o.limit = SC_MAX_LIMIT;
    o.entitled = !vis;
    int64_t *out = NULL;
    size_t k = 0;
    for (;;) {
        struct sc_results r;
        struct sc_diag d = { 0 };
        enum sc_err e = sc_engine_search(f->snap, NULL, &o, &r, &d);
        if (e != SC_OK) {
            sc_results_release(&r);
            free(out);
            *n = 0;
            return NULL;
        }
        out = realloc(out, (k + r.nhits + 1) * sizeof *out);
        assert_non_null(out);
        for (size_t i = 0; i < r.nhits; i++)
            if (r.hits[i].id > mark)
                out[k++] = r.hits[i].id;
        size_t got = r.nhits;
        int64_t total = r.total;
        sc_results_release(&r);
        o.offset += got;
        if (!got || (int64_t)o.offset >= total)
            break;
    }
    for (size_t i = 1; i < k; i++) /* ranked order to id order */
        for (size_t j = i; j > 0 && out[j] < out[j - 1]; j--) {
            int64_t t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    *n = k;
    return out;
}

/* A snapshot of segments [from, nseg) of f's, sharing them. */
static struct sc_snap *tail_snap(const struct fixture *f, size_t from)
{
    struct sc_seg *segs[16];
    size_t n = 0;
    for (size_t i = from; i < f->snap->nseg; i++) {
        sc_seg_ref(f->snap->segs[i]);
        segs[n++] = f->snap->segs[i];
    }
    struct sc_snap *s = NULL;
    assert_int_equal(sc_snap_new(segs, n, &s), SC_OK);
    return s;
}

/* Check queries qs[0..nq): the matches among documents with id > mark in
 * snap equal search's over the whole fixture (masked: snap holds older
 * documents too); with vis, every other query is matched in the view of a
 * reader who may not read paid text. */
static size_t check_queries(struct fixture *f, struct sc_snap *snap, int masked, int64_t mark,
                            const char *const *qs, size_t nq, int vis)
{
    uint8_t *v = calloc(nq ? nq : 1, 1);
    assert_non_null(v);
    for (size_t i = 0; i < nq; i++)
        v[i] = vis && (i % 2 == 0);
    struct sc_query *parsed = calloc(nq, sizeof *parsed);
    const struct sc_query **pp = calloc(nq, sizeof *pp);
    assert_non_null(parsed);
    assert_non_null(pp);
    for (size_t i = 0; i < nq; i++) {
        struct sc_diag d = { 0 };
        if (sc_query_parse(qs[i], strlen(qs[i]), &parsed[i], &d) == SC_OK)
            pp[i] = &parsed[i];
    }
    (void)masked;
    struct got g;
    got_init(&g, nq);
    assert_int_equal(sc_engine_match(snap, pp, nq, v, mark, collect, &g, NULL), SC_OK);
    size_t bad = 0;
    for (size_t i = 0; i < nq; i++) {
        if (!pp[i])
            continue;
        size_t wn;
        int64_t *want = search_new(f, qs[i], mark, v[i], &wn);
        int same = wn == g.n[i] && (!wn || memcmp(want, g.ids[i], wn * sizeof *want) == 0);
        if (!same) {
            fprintf(stderr, "%s: %zu new matches, search has %zu\n", qs[i], g.n[i], wn);
            bad++;
        }
        free(want);
    }
    got_release(&g);
    for (size_t i = 0; i < nq; i++)
        sc_query_release(&parsed[i]);
    free(parsed);
    free(pp);
    free(v);
    return bad;
}

/* ---------------------------------------------------------------- constructed */

static void constructed(void **state)
{
    (void)state;
    static const char *texts[] = {
        "关于安全生产的通知\n一、基本情况\n安全生产形势总体平稳。\n二、存在的问题\n隐患排查不到位。",
        "乡村振兴工作总结\n一、主要做法\n推进乡村振兴，发展特色产业。",
        "优化营商环境实施方案\n一、工作目标\n营商环境持续优化。\n二、下一步打算\n深化放管服改革。",
        "安全生产和乡村振兴\n安全生产与乡村振兴统筹推进。",
        "政府工作报告\n过去一年，经济运行稳中有进。",
        "关于隐患排查的通知\n一、存在的问题\n隐患排查治理仍有短板。",
    };
    struct sc_doc docs[6];
    memset(docs, 0, sizeof docs);
    for (size_t i = 0; i < 6; i++) {
        docs[i].id = (int64_t)i * 2 + 1;
        docs[i].text = (char *)texts[i];
        docs[i].text_len = strlen(texts[i]);
        docs[i].title = (char *)"t";
        docs[i].year = 2020 + (int)i;
        docs[i].genre = (char *)(i % 2 ? "工作总结" : "通知");
        docs[i].paid_from_cp = -1;
        docs[i].paid_to_cp = -1;
        /* paid to the end: doc 3 from its body's last line, doc 11 from its
         * heading (a paid section) */
        const char *pf = i == 1 ? strstr(texts[i], "推进") : i == 5 ? strstr(texts[i], "一、") : NULL;
        if (pf)
            docs[i].paid_from_cp = (int64_t)sc_utf8_count(texts[i], (size_t)(pf - texts[i]));
        struct sc_section *sec = NULL;
        size_t ns = 0;
        assert_int_equal(sc_outline_parse(texts[i], strlen(texts[i]), &sec, &ns), SC_OK);
        docs[i].sections = sec;
        docs[i].nsections = ns;
    }
    struct fixture f;
    assert_int_equal(fixture_build(&f, docs, 6, 2), 0); /* ids 1 3 5 | 7 9 11 */
    const char *qs[] = { "安全生产",
                         "乡村振兴 安全",
                         "隐患 | 营商",
                         "-安全生产",
                         "year:2024-2025",
                         "genre:通知 隐患",
                         "section:问题",
                         "section:问题 隐患",
                         "(安全 | 振兴) -通知",
                         "龘龘",
                         "稳",
                         "通知",
                         "\"放管服改革\"",
                         "特色产业",
                         "特色产业",
                         "section:问题 短板",
                         "section:问题 短板" };
    size_t nq = sizeof qs / sizeof qs[0];
    /* the new documents are the second segment */
    struct sc_snap *tail = tail_snap(&f, 1);
    for (int vis = 0; vis < 2; vis++)
        assert_int_equal(check_queries(&f, tail, 0, 5, qs, nq, vis), 0);
    sc_snap_free(tail);
    /* the new ones start inside a segment: masked */
    for (int64_t mark = 0; mark <= 11; mark++)
        for (int vis = 0; vis < 2; vis++)
            assert_int_equal(check_queries(&f, f.snap, 1, mark, qs, nq, vis), 0);
    /* expected values, spelled out, for one query */
    struct sc_query q;
    assert_int_equal(sc_query_parse("隐患", strlen("隐患"), &q, NULL), SC_OK);
    const struct sc_query *pq = &q;
    struct got g;
    got_init(&g, 1);
    tail = tail_snap(&f, 1);
    assert_int_equal(sc_engine_match(tail, &pq, 1, NULL, 0, collect, &g, NULL), SC_OK);
    assert_int_equal(g.n[0], 1);
    assert_int_equal(g.ids[0][0], 11);
    got_release(&g);
    /* in the view of a reader who may not read paid text, a match in the
     * paid part only is none, the same one on the whole text is */
    struct sc_query q2;
    assert_int_equal(sc_query_parse("特色产业", strlen("特色产业"), &q2, NULL), SC_OK);
    const struct sc_query *pq2[] = { &q2, &q2 };
    const uint8_t owners[] = { 0, 1 };
    struct sc_snap *all = tail_snap(&f, 0);
    got_init(&g, 2);
    assert_int_equal(sc_engine_match(all, pq2, 2, owners, 0, collect, &g, NULL), SC_OK);
    assert_int_equal(g.n[0], 1);
    assert_int_equal(g.ids[0][0], 3);
    assert_int_equal(g.n[1], 0);
    got_release(&g);
    sc_snap_free(all);
    sc_query_release(&q2);
    /* a NULL query (did not parse) is skipped; a callback that stops stops */
    const struct sc_query *two[] = { NULL, &q };
    got_init(&g, 2);
    assert_int_equal(sc_engine_match(tail, two, 2, NULL, 0, collect, &g, NULL), SC_OK);
    assert_int_equal(g.n[0], 0);
    assert_int_equal(g.n[1], 1);
    got_release(&g);
    sc_snap_free(tail);
    sc_query_release(&q);
    fixture_release(&f);
    for (size_t i = 0; i < 6; i++)
        sc_sections_free(docs[i].sections, docs[i].nsections);
}

/* ---------------------------------------------------------------- corpus */

struct odoc {
    char *norm;
    size_t len;
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A random term of 1..8 code points of a random document, or NULL. */
static int pick_term(const struct odoc *orc, size_t n, char *out, size_t cap)
{
    for (int tries = 0; tries < 50; tries++) {
        const struct odoc *o = &orc[rnd() % n];
        if (o->len < 4)
            continue;
        size_t at = rnd() % o->len;
        while (at > 0 && ((unsigned char)o->norm[at] & 0xC0) == 0x80)
            at--;
        size_t ncp = 1 + rnd() % 8, e = at, k = 0;
        while (e < o->len && k < ncp && o->norm[e] != '\n') {
            uint32_t c;
            size_t l = sc_utf8_decode(o->norm + e, o->len - e, &c);
            e += l ? l : 1;
            k++;
        }
        size_t len = e - at;
        if (len == 0 || len >= cap)
            continue;
        memcpy(out, o->norm + at, len);
        out[len] = '\0';
        if (strpbrk(out, " \t\"()|:\r\n-") || strcmp(out, "OR") == 0)
            continue;
        return 0;
    }
    return -1;
}

static void corpus_property(void **state)
{
    (void)state;
    const char *sh = getenv("SUCAI_SHARED");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/corpus/docs", sh && *sh ? sh : "../shared");
    DIR *d = opendir(dir);
    if (!d) {
        skip();
        return;
    }
    char **names = NULL;
    size_t nn = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strstr(de->d_name, ".txt"))
            continue;
        names = realloc(names, (nn + 1) * sizeof *names);
        names[nn++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, nn, sizeof *names, cmp_str);
    size_t want = env_size("SUCAI_PROPERTY_DOCS", 300);
    if (want > nn)
        want = nn;
    struct sc_doc *docs = calloc(want ? want : 1, sizeof *docs);
    struct odoc *orc = calloc(want ? want : 1, sizeof *orc);
    size_t nd = 0, step = want ? nn / want : 1;
    static const char *genres[] = { "通知", "工作总结", "讲话" };
    for (size_t i = 0; i < want; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i * step]);
        char *data;
        size_t len;
        if (sc_read_file(path, 1 << 26, &data, &len, NULL) != SC_OK)
            continue;
        struct sc_doc *doc = &docs[nd];
        doc->id = (int64_t)(i * 2 + 1);
        doc->text = data;
        doc->text_len = len;
        const char *nl = memchr(data, '\n', len);
        doc->title = sc_strndup(data, nl ? (size_t)(nl - data) : len);
        doc->year = 2015 + (int)(i % 10);
        doc->genre = (char *)genres[i % 3];
        doc->paid_from_cp = i % 4 == 0 ? 40 : -1;
        doc->paid_to_cp = -1;
        sc_outline_parse(data, len, &doc->sections, &doc->nsections);
        struct sc_buf nb = SC_BUF_INIT;
        sc_normalize(data, len, &nb, NULL);
        orc[nd].norm = sc_buf_take(&nb, &orc[nd].len);
        nd++;
    }
    for (size_t i = 0; i < nn; i++)
        free(names[i]);
    free(names);
    struct fixture f;
    assert_int_equal(fixture_build(&f, docs, nd, 3), 0);
    size_t nq = env_size("SUCAI_PROPERTY_QUERIES", 200);
    char **qs = calloc(nq ? nq : 1, sizeof *qs);
    size_t k = 0;
    for (size_t qi = 0; qi < nq; qi++) {
        char a[64], b[64], c[64], q[256];
        if (pick_term(orc, nd, a, sizeof a) || pick_term(orc, nd, b, sizeof b) ||
            pick_term(orc, nd, c, sizeof c))
            continue;
        switch (rnd() % 8) {
        case 0: snprintf(q, sizeof q, "%s", a); break;
        case 1: snprintf(q, sizeof q, "%s %s", a, b); break;
        case 2: snprintf(q, sizeof q, "%s | %s", a, b); break;
        case 3: snprintf(q, sizeof q, "%s -%s", a, b); break;
        case 4: snprintf(q, sizeof q, "-%s", a); break;
        case 5: snprintf(q, sizeof q, "%s genre:工作总结 year:2017-2021", a); break;
        case 6: snprintf(q, sizeof q, "(%s | %s) %s", a, b, c); break;
        default: snprintf(q, sizeof q, "section:问题 %s", a); break;
        }
        qs[k++] = strdup(q);
    }
    int64_t last = docs[nd ? nd - 1 : 0].id;
    size_t bad = 0;
    /* new = the last segment */
    int64_t mark = f.snap->segs[f.snap->nseg - 1]->docs[0].id - 1;
    struct sc_snap *tail = tail_snap(&f, f.snap->nseg - 1);
    bad += check_queries(&f, tail, 0, mark, (const char *const *)qs, k, 1);
    sc_snap_free(tail);
    /* new = a range starting inside the middle segment (a mask), and the
     * last tenth (candidates the cursors seek to) */
    mark = last / 2;
    bad += check_queries(&f, f.snap, 1, mark, (const char *const *)qs, k, 1);
    mark = last - last / 10;
    bad += check_queries(&f, f.snap, 1, mark, (const char *const *)qs, k, 1);
    assert_int_equal(bad, 0);
    for (size_t i = 0; i < k; i++)
        free(qs[i]);
    free(qs);
    fixture_release(&f);
    for (size_t i = 0; i < nd; i++) {
        free(docs[i].text);
        free(docs[i].title);
        sc_sections_free(docs[i].sections, docs[i].nsections);
        free(orc[i].norm);
    }
    free(docs);
    free(orc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(constructed),
        cmocka_unit_test(corpus_property),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
