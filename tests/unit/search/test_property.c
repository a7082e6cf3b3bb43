/*
 * Property test: the engine against a brute-force oracle (the semantics of
 * shared/oracle/oracle.py re-done in C over sc_normalize): for random
 * queries drawn from the corpus (substrings of 1-12 characters, absent
 * strings, AND / OR / NOT combinations), document and paragraph counts
 * must be equal and every returned id must match; the same index merged
 * into one segment from its postings must give the same counts.
 *
 * A third of the documents have a paid range (from a random place, to the
 * end or to a later place). An entitled caller's answers are those of the
 * full text. For a caller who may not read paid text the oracle blanks the
 * withheld characters (the library's cut, mapped as the index maps it):
 * counts must be those of that text, and with paid matches granted the
 * documents found only in their paid part must be exactly those the full
 * text adds.
 *
 * SUCAI_PROPERTY_QUERIES (default 200) and SUCAI_PROPERTY_DOCS (default
 * 300 files) size the run; skipped when ../shared is absent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "search_fixture.h"
#include "sucai/text.h"

#include <dirent.h>

struct odoc {
    char *norm;
    size_t len;
};

static struct sc_doc *DOCS;
static struct odoc *ORC, *ORV; /* full normalised text; with withheld characters blanked */
static size_t NDOCS;
static struct fixture F, M; /* three segments; the same merged into one */
static int HAVE;
static uint64_t RNG = 88172645463325252ull;

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

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int setup(void **state)
{
    (void)state;
    const char *sh = getenv("SUCAI_SHARED");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/corpus/docs", sh && *sh ? sh : "../shared");
    DIR *d = opendir(dir);
    if (!d)
        return 0;
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
    DOCS = calloc(want ? want : 1, sizeof *DOCS);
    ORC = calloc(want ? want : 1, sizeof *ORC);
    ORV = calloc(want ? want : 1, sizeof *ORV);
    /* every k-th file, so the sample spans the corpus */
    size_t step = want ? nn / want : 1;
    for (size_t i = 0; i < want; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i * step]);
        char *data;
        size_t len;
        if (sc_read_file(path, 1 << 26, &data, &len, NULL) != SC_OK)
            continue;
        struct sc_doc *doc = &DOCS[NDOCS];
        doc->id = (int64_t)(i * 3 + 1); /* gaps in ids */
        doc->text = data;
        doc->text_len = len;
        const char *nl = memchr(data, '\n', len);
        doc->title = sc_strndup(data, nl ? (size_t)(nl - data) : len);
        doc->year = 2015 + (int)(i % 10);
        doc->paid_from_cp = -1;
        doc->paid_to_cp = -1;
        int64_t ncp = (int64_t)sc_utf8_count(data, len);
        if (i % 3 == 1 && ncp > 4) {
            /* anywhere from the title on (the title itself stays free) */
            doc->paid_from_cp = (int64_t)(rnd() % (uint64_t)ncp);
            if (rnd() % 2)
                doc->paid_to_cp =
                    doc->paid_from_cp + 1 + (int64_t)(rnd() % (uint64_t)(ncp - doc->paid_from_cp));
        }
        struct sc_buf nb = SC_BUF_INIT;
        uint32_t *map = NULL;
        sc_normalize(data, len, &nb, &map);
        ORC[NDOCS].norm = sc_buf_take(&nb, &ORC[NDOCS].len);
        /* the visible text: normalised characters from withheld original
         * bytes become U+E000, which no term holds ('\n' stays: paragraphs
         * are structure) */
        struct sc_cut cut;
        struct sc_buf vb = SC_BUF_INIT;
        int cutting = sc_doc_cut(doc, NULL, &cut);
        size_t bf = cutting ? sc_utf8_offset(data, len, (size_t)cut.from_cp) : 0;
        size_t bt = cutting ? sc_utf8_offset(data, len, (size_t)cut.to_cp) : 0;
        for (size_t b = 0; b < ORC[NDOCS].len;) {
            size_t k = 1;
            while (b + k < ORC[NDOCS].len && ((unsigned char)ORC[NDOCS].norm[b + k] & 0xC0) == 0x80)
                k++;
            if (cutting && ORC[NDOCS].norm[b] != '\n' && map[b] >= bf && map[b] < bt)
                sc_buf_adds(&vb, "\xee\x80\x80");
            else
                sc_buf_add(&vb, ORC[NDOCS].norm + b, k);
            b += k;
        }
        ORV[NDOCS].norm = sc_buf_take(&vb, &ORV[NDOCS].len);
        free(map);
        NDOCS++;
    }
    for (size_t i = 0; i < nn; i++)
        free(names[i]);
    free(names);
    if (fixture_build(&F, DOCS, NDOCS, 3) != 0)
        return -1;
    /* the three merged from their postings must answer alike */
    M = F;
    char path[128];
    snprintf(path, sizeof path, "%s/merged.sx", F.dir);
    struct sc_seg *mseg;
    if (sc_seg_merge(F.snap->segs, F.snap->nseg, path, 2, NULL) != SC_OK ||
        sc_seg_open(path, &mseg, NULL) != SC_OK || sc_snap_new(&mseg, 1, &M.snap) != SC_OK)
        return -1;
    HAVE = 1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (HAVE) {
        sc_snap_free(M.snap);
        fixture_release(&F);
    }
    for (size_t i = 0; i < NDOCS; i++) {
        free(DOCS[i].text);
        free(DOCS[i].title);
        free(ORC[i].norm);
        free(ORV[i].norm);
    }
    free(DOCS);
    free(ORC);
    free(ORV);
    return 0;
}

/* Does paragraph [p, e) contain t? */
static int para_has(const char *p, size_t n, const char *t, size_t tl)
{
    return tl <= n && memmem(p, n, t, tl) != NULL;
}

/* Oracle for a query of the form: t1 t2 ... (AND), optionally "| u" (OR of
 * two AND groups is not needed: we use a OR b) and "-x". */
struct oq {
    const char *and_t[3];
    size_t and_l[3], nand;
    const char *or_t; /* (and_t[0] | or_t) when set */
    size_t or_l;
    const char *not_t;
    size_t not_l;
};

static int doc_match(const struct odoc *o, const struct oq *q, int64_t *paras)
{
    /* doc mode: each positive term in some paragraph; para mode: all in one */
    int has[3] = {0, 0, 0}, has_or = 0, has_not = 0;
    int64_t np = 0;
    const char *p = o->norm, *end = o->norm + o->len;
    for (;;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        int all = 1;
        for (size_t i = 0; i < q->nand; i++) {
            int h = para_has(p, n, q->and_t[i], q->and_l[i]);
            if (i == 0 && q->or_t)
                h = h || para_has(p, n, q->or_t, q->or_l);
            has[i] |= h;
            all &= h;
        }
        int nt = q->not_t && para_has(p, n, q->not_t, q->not_l);
        has_not |= nt;
        if (all && !nt)
            np++;
        if (!nl)
            break;
        p = nl + 1;
    }
    (void)has_or;
    *paras = np;
    int ok = !has_not;
    for (size_t i = 0; i < q->nand; i++)
        ok &= has[i];
    return ok;
}

/* A random term of 1..12 code points from a random paragraph, usable as a
 * plain query word; or an absent one. */
static int pick_term(char *out, size_t cap, int absent)
{
    for (int tries = 0; tries < 50; tries++) {
        const struct odoc *o = &ORC[rnd() % NDOCS];
        if (o->len < 4)
            continue;
        size_t at = rnd() % o->len;
        while (at > 0 && ((unsigned char)o->norm[at] & 0xC0) == 0x80)
            at--;
        size_t ncp = 1 + rnd() % 12, e = at, k = 0;
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
        if (strpbrk(out, " \t\"()|:\r\n") || out[0] == '-' || strcmp(out, "OR") == 0)
            continue;
        struct sc_buf nb = SC_BUF_INIT;
        sc_normalize(out, len, &nb, NULL);
        int same = nb.len == len && memcmp(nb.data, out, len) == 0;
        sc_buf_release(&nb);
        if (!same)
            continue;
        if (absent) {
            /* append a character unlikely to follow */
            if (len + 4 >= cap)
                continue;
            memcpy(out + len, "\xe9\xbe\x98", 4); /* 龘 */
        }
        return 0;
    }
    return -1;
}

static void test_random_queries(void **state)
{
    (void)state;
    if (!HAVE)
        skip();
    size_t nq = env_size("SUCAI_PROPERTY_QUERIES", 200);
    size_t bad = 0;
    for (size_t qi = 0; qi < nq; qi++) {
        char t[3][64], o[64], x[64];
        struct oq q = {0};
        unsigned shape = (unsigned)(rnd() % 10);
        q.nand = shape < 6 ? 1 : shape < 8 ? 2 : 3;
        int ok = 0;
        for (size_t i = 0; i < q.nand; i++) {
            ok |= pick_term(t[i], sizeof t[i], shape == 5 && i == 0);
            q.and_t[i] = t[i];
            q.and_l[i] = strlen(t[i]);
        }
        if (shape == 4) {
            ok |= pick_term(o, sizeof o, 0);
            q.or_t = o;
            q.or_l = strlen(o);
        }
        if (shape == 3 || shape == 7) {
            ok |= pick_term(x, sizeof x, 0);
            q.not_t = x;
            q.not_l = strlen(x);
        }
        if (ok)
            continue;
        char qs[512];
        size_t w = 0;
        for (size_t i = 0; i < q.nand; i++) {
            if (i == 0 && q.or_t)
                w += (size_t)snprintf(qs + w, sizeof qs - w, "(%s | %s)", t[0], o);
            else
                w += (size_t)snprintf(qs + w, sizeof qs - w, "%s%s", i ? " " : "", t[i]);
        }
        if (q.not_t)
            w += (size_t)snprintf(qs + w, sizeof qs - w, " -%s", x);
        int64_t want_docs = 0, want_paras = 0;
        char *match = calloc(NDOCS, 1);
        for (size_t d = 0; d < NDOCS; d++) {
            int64_t np;
            if (doc_match(&ORC[d], &q, &np)) {
                want_docs++;
                match[d] = 1;
            }
            want_paras += np;
        }
        struct sc_results r;
        struct sc_diag dg = {0};
        enum sc_err e = fixture_search(&F, qs, 0, 100, 1, &r, &dg);
        if (e != SC_OK || r.total != want_docs) {
            fprintf(stderr, "doc mode %s: got %lld (%s), want %lld\n", qs, (long long)r.total,
                    dg.msg, (long long)want_docs);
            bad++;
        } else {
            for (size_t h = 0; h < r.nhits; h++) {
                size_t idx = (size_t)(r.hits[h].id - 1) / 3;
                if (idx >= NDOCS || !match[idx]) {
                    fprintf(stderr, "doc mode %s: id %lld is not a match\n", qs,
                            (long long)r.hits[h].id);
                    bad++;
                }
            }
        }
        sc_results_release(&r);
        if (fixture_search(&M, qs, 0, 0, 1, &r, &dg) != SC_OK || r.total != want_docs) {
            fprintf(stderr, "merged segment %s: got %lld, want %lld\n", qs, (long long)r.total,
                    (long long)want_docs);
            bad++;
        }
        sc_results_release(&r);
        /* paragraph mode: the NOT excludes paragraphs, not documents */
        if (!q.not_t) {
            e = fixture_search(&F, qs, 1, 0, 1, &r, &dg);
            if (e != SC_OK || r.total != want_paras) {
                fprintf(stderr, "para mode %s: got %lld, want %lld\n", qs, (long long)r.total,
                        (long long)want_paras);
                bad++;
            }
            sc_results_release(&r);
        }
        free(match);
    }
    assert_int_equal(bad, 0);
}

/* A one-term query is ranked while it is evaluated (documents that cannot
 * reach the page are only checked for a match): the page, its scores and
 * counts, and the total must be those of the exhaustive evaluation. */
static void test_pruned_ranking(void **state)
{
    (void)state;
    if (!HAVE)
        skip();
    size_t nq = env_size("SUCAI_PROPERTY_QUERIES", 200) / 2 + 20;
    size_t bad = 0, tried = 0;
    /* frequent terms fill the page early, so most documents are pruned */
    static const char *common[] = {"进一步", "人民政府", "的工作", "工作的", "社会主义",
                                   "中华人民共和国", "发展的", "有关部门", "是一个", "国家的"};
    size_t ncommon = sizeof common / sizeof *common;
    for (size_t qi = 0; qi < nq + ncommon; qi++) {
        char t[200];
        if (qi < ncommon)
            snprintf(t, sizeof t, "%s", common[qi]);
        else if (pick_term(t, sizeof t, 0))
            continue;
        if (sc_utf8_count(t, strlen(t)) < 3)
            continue;
        /* an AND of terms (and a field) is ranked as it goes as well */
        char u[64];
        if (qi % 3 == 1 && !pick_term(u, sizeof u, 0) && sc_utf8_count(u, strlen(u)) >= 2) {
            size_t l = strlen(t);
            snprintf(t + l, sizeof t - l, " %s", u);
        } else if (qi % 3 == 2) {
            size_t l = strlen(t);
            snprintf(t + l, sizeof t - l, " %s%s", common[rnd() % ncommon],
                     rnd() % 2 ? " year:2000-2021" : "");
        }
        tried++;
        size_t limit = 1 + rnd() % 20, offset = rnd() % 3 ? 0 : rnd() % 10;
        for (int m = 0; m < 2; m++) {
            const struct fixture *f = m ? &M : &F;
            struct sc_search_opts o = {0};
            o.query = t;
            o.limit = limit;
            o.offset = offset;
            o.entitled = 1;
            struct sc_results a, b;
            struct sc_diag d = {0};
            assert_int_equal(sc_engine_search_ex(f->snap, NULL, &o, 0, &a, &d), SC_OK);
            assert_int_equal(sc_engine_search_ex(f->snap, NULL, &o, SC_ENGINE_EXHAUSTIVE, &b, &d),
                             SC_OK);
            int same = a.total == b.total && a.nhits == b.nhits;
            for (size_t h = 0; same && h < a.nhits; h++)
                same = a.hits[h].id == b.hits[h].id && a.hits[h].count == b.hits[h].count &&
                       a.hits[h].score == b.hits[h].score;
            if (!same) {
                fprintf(stderr, "pruned ranking differs for %s (limit %zu offset %zu)\n", t,
                        limit, offset);
                bad++;
            }
            sc_results_release(&a);
            sc_results_release(&b);
        }
    }
    assert_true(tried > 10);
    assert_int_equal(bad, 0);
}

/* Paragraphs that match q in the full text but not in the visible one. */
static int paid_adds_para(const struct odoc *full, const struct odoc *vis, const struct oq *q)
{
    const char *p = full->norm, *pe = full->norm + full->len;
    const char *v = vis->norm, *ve = vis->norm + vis->len;
    for (;;) {
        const char *nl = memchr(p, '\n', (size_t)(pe - p));
        const char *vl = memchr(v, '\n', (size_t)(ve - v));
        struct odoc a = {(char *)p, nl ? (size_t)(nl - p) : (size_t)(pe - p)};
        struct odoc b = {(char *)v, vl ? (size_t)(vl - v) : (size_t)(ve - v)};
        int64_t na, nb;
        doc_match(&a, q, &na);
        doc_match(&b, q, &nb);
        if (na && !nb)
            return 1;
        if (!nl || !vl)
            return 0;
        p = nl + 1;
        v = vl + 1;
    }
}

static enum sc_err search_flags(const struct fixture *f, const char *q, int para, size_t limit,
                                int entitled, int flags, struct sc_results *r)
{
    struct sc_search_opts o = {0};
    o.query = q;
    o.mode = para ? SC_SEARCH_PARA : SC_SEARCH_DOC;
    o.limit = limit;
    o.entitled = entitled;
    struct sc_diag d = {0};
    return sc_engine_search_ex(f->snap, NULL, &o, flags, r, &d);
}

static void test_random_queries_unentitled(void **state)
{
    (void)state;
    if (!HAVE)
        skip();
    assert_true(F.snap->npaid > 0);
    size_t nq = env_size("SUCAI_PROPERTY_QUERIES", 200);
    size_t bad = 0, differ = 0;
    for (size_t qi = 0; qi < nq; qi++) {
        char t[2][64], x[64];
        struct oq q = {0};
        unsigned shape = (unsigned)(rnd() % 6);
        q.nand = shape < 4 ? 1 : 2;
        int ok = 0;
        for (size_t i = 0; i < q.nand; i++) {
            ok |= pick_term(t[i], sizeof t[i], 0);
            q.and_t[i] = t[i];
            q.and_l[i] = strlen(t[i]);
        }
        if (shape == 3) {
            ok |= pick_term(x, sizeof x, 0);
            q.not_t = x;
            q.not_l = strlen(x);
        }
        if (ok)
            continue;
        char qs[256];
        size_t w = 0;
        for (size_t i = 0; i < q.nand; i++)
            w += (size_t)snprintf(qs + w, sizeof qs - w, "%s%s", i ? " " : "", t[i]);
        if (q.not_t)
            w += (size_t)snprintf(qs + w, sizeof qs - w, " -%s", x);
        int64_t vis_docs = 0, vis_paras = 0, adds_docs = 0, adds_para_docs = 0;
        char *vmatch = calloc(NDOCS, 1), *amatch = calloc(NDOCS, 1);
        for (size_t d = 0; d < NDOCS; d++) {
            int64_t np, nf;
            int v = doc_match(&ORV[d], &q, &np);
            int fm = doc_match(&ORC[d], &q, &nf);
            vmatch[d] = (char)v;
            vis_docs += v;
            vis_paras += np;
            if (fm && !v) {
                amatch[d] = 1;
                adds_docs++;
            }
            adds_para_docs += !q.not_t && paid_adds_para(&ORC[d], &ORV[d], &q);
        }
        differ += adds_docs > 0;
        struct sc_results r;
        for (int m = 0; m < 2; m++) {
            const struct fixture *f = m ? &M : &F;
            if (search_flags(f, qs, 0, 100, 0, 0, &r) != SC_OK || r.total != vis_docs) {
                fprintf(stderr, "unentitled %s: got %lld, want %lld\n", qs, (long long)r.total,
                        (long long)vis_docs);
                bad++;
            }
            for (size_t h = 0; h < r.nhits; h++) {
                size_t idx = (size_t)(r.hits[h].id - 1) / 3;
                if (idx >= NDOCS || !vmatch[idx] || r.hits[h].paid_only) {
                    fprintf(stderr, "unentitled %s: id %lld is not a free match\n", qs,
                            (long long)r.hits[h].id);
                    bad++;
                }
            }
            sc_results_release(&r);
            if (search_flags(f, qs, 0, 100, 0, SC_ENGINE_PAID_MATCHES, &r) != SC_OK ||
                r.total != vis_docs + adds_docs || r.paid_only != adds_docs) {
                fprintf(stderr, "granted %s: got %lld (%lld paid only), want %lld + %lld\n", qs,
                        (long long)r.total, (long long)r.paid_only, (long long)vis_docs,
                        (long long)adds_docs);
                bad++;
            }
            for (size_t h = 0; h < r.nhits; h++) {
                size_t idx = (size_t)(r.hits[h].id - 1) / 3;
                const char *want = r.hits[h].paid_only ? amatch : vmatch;
                if (idx >= NDOCS || !want[idx]) {
                    fprintf(stderr, "granted %s: id %lld wrongly %s\n", qs,
                            (long long)r.hits[h].id, r.hits[h].paid_only ? "paid only" : "free");
                    bad++;
                }
            }
            sc_results_release(&r);
            if (!q.not_t) {
                if (search_flags(f, qs, 1, 0, 0, 0, &r) != SC_OK || r.total != vis_paras) {
                    fprintf(stderr, "unentitled para %s: got %lld, want %lld\n", qs,
                            (long long)r.total, (long long)vis_paras);
                    bad++;
                }
                sc_results_release(&r);
                if (search_flags(f, qs, 1, 0, 0, SC_ENGINE_PAID_MATCHES, &r) != SC_OK ||
                    r.total != vis_paras + adds_para_docs) {
                    fprintf(stderr, "granted para %s: got %lld, want %lld + %lld\n", qs,
                            (long long)r.total, (long long)vis_paras, (long long)adds_para_docs);
                    bad++;
                }
                sc_results_release(&r);
            }
        }
        free(vmatch);
        free(amatch);
    }
    /* the paid ranges made a difference often enough to test something */
    assert_true(differ * 10 >= nq);
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_queries),
        cmocka_unit_test(test_random_queries_unentitled),
        cmocka_unit_test(test_pruned_ranking),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
