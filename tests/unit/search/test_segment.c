/*
 * Segment files: merging from postings (the merged file answers every
 * query exactly as the parts did, list by list and through the engine),
 * a builder reused after sc_segbuild_reset, the per-paragraph identity
 * flag that lets snippets skip a second normalisation, the title pair
 * index, files of another format version refused on open, and lists at
 * the coder's extremes (gaps that need long unary runs, a document
 * frequency that needs a long gamma code, a pair table that grows), and the
 * text store (every original code point back, through merges and in both
 * code widths), the character lists (each the union of its character's
 * pair lists, built and merged), and a frequent character's hits read from
 * the text store (counts and highlights against brute force, with
 * full-width forms, zero-width characters and spaces between ideographs).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "search_fixture.h"
#include "sucai/text.h"

enum { NDOC = 90 };
static struct sc_doc DOCS[NDOC];
static char *TEXTS[NDOC], *TITLES[NDOC];
static struct fixture F; /* three segments */

static const char *WORDS[] = {"依法行政", "营商环境", "乡村振兴", "12345", "通过开展", "工作",
                              "ＧＤＰ增长", "监督", "政 府", "安全生产", "。", "（一）"};

static int setup(void **state)
{
    (void)state;
    uint64_t x = 12345;
    for (size_t i = 0; i < NDOC; i++) {
        struct sc_buf b = SC_BUF_INIT;
        sc_buf_addf(&b, "第%zu号文件标题%s\n", i, WORDS[i % 12]);
        size_t np = 2 + i % 5;
        for (size_t p = 0; p < np; p++) {
            for (size_t w = 0; w < 6; w++) {
                x = x * 6364136223846793005ull + 1442695040888963407ull;
                sc_buf_adds(&b, WORDS[(x >> 33) % 12]);
            }
            if (p + 1 < np)
                sc_buf_addc(&b, '\n');
        }
        if (i % 7 == 3)
            sc_buf_adds(&b, "\n零\xe2\x80\x8b宽"); /* a zero-width space: not identity */
        TITLES[i] = NULL;
        {
            struct sc_buf t = SC_BUF_INIT;
            sc_buf_addf(&t, "第%zu号文件标题%s", i, WORDS[i % 12]);
            TITLES[i] = sc_buf_take(&t, NULL);
        }
        memset(&DOCS[i], 0, sizeof DOCS[i]);
        DOCS[i].id = (int64_t)(i * 2 + 1);
        DOCS[i].text = TEXTS[i] = sc_buf_take(&b, &DOCS[i].text_len);
        DOCS[i].title = TITLES[i];
        DOCS[i].year = 2015 + (int)(i % 9);
        DOCS[i].paid_from_cp = -1;
        DOCS[i].paid_to_cp = -1;
    }
    return fixture_build(&F, DOCS, NDOC, 3);
}

static int teardown(void **state)
{
    (void)state;
    fixture_release(&F);
    for (size_t i = 0; i < NDOC; i++) {
        free(TEXTS[i]);
        free(TITLES[i]);
    }
    return 0;
}

/* Every (doc id, position) of every list of a snapshot, as text. */
static void dump_lists(const struct sc_snap *s, struct sc_buf *out)
{
    /* keys in order across segments */
    for (;;) {
        static uint64_t last;
        static int started;
        uint64_t key = UINT64_MAX;
        for (size_t k = 0; k < s->nseg; k++)
            for (uint64_t e = 0; e < s->segs[k]->npairs; e++) {
                uint64_t kk = s->segs[k]->dict[e].key;
                if ((!started || kk > last) && kk < key)
                    key = kk;
            }
        if (key == UINT64_MAX) {
            started = 0;
            return;
        }
        started = 1;
        last = key;
        sc_buf_addf(out, "%llx:", (unsigned long long)key);
        for (size_t k = 0; k < s->nseg; k++) {
            int64_t e = sc_seg_find(s->segs[k], key);
            if (e < 0)
                continue;
            struct sc_pcur c;
            assert_int_equal(sc_pcur_init(&c, s->segs[k], (size_t)e), SC_OK);
            uint32_t pos[4096];
            while (sc_pcur_next(&c)) {
                assert_true(c.tf <= 4096);
                sc_pcur_positions(&c, pos);
                sc_buf_addf(out, " %lld/", (long long)s->segs[k]->docs[c.doc].id);
                for (uint32_t t = 0; t < c.tf; t++)
                    sc_buf_addf(out, "%u,", pos[t]);
            }
        }
        sc_buf_addc(out, '\n');
    }
}

static struct sc_snap *merged_snap(const struct fixture *f, const char *path)
{
    struct sc_diag d = {0};
    assert_int_equal(sc_seg_merge(f->snap->segs, f->snap->nseg, path, 2, &d), SC_OK);
    struct sc_seg *m;
    assert_int_equal(sc_seg_open(path, &m, &d), SC_OK);
    struct sc_snap *s;
    assert_int_equal(sc_snap_new(&m, 1, &s), SC_OK);
    return s;
}

static void test_merge_lists(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/merged.sx", F.dir);
    struct sc_snap *m = merged_snap(&F, path);
    assert_int_equal(m->ndocs, NDOC);
    assert_int_equal(m->total_norm, F.snap->total_norm);
    assert_int_equal(m->total_para, F.snap->total_para);
    for (size_t i = 0; i < NDOC; i++)
        assert_int_equal(m->segs[0]->docs[i].id, DOCS[i].id);
    struct sc_buf a = SC_BUF_INIT, b = SC_BUF_INIT;
    dump_lists(F.snap, &a);
    dump_lists(m, &b);
    assert_int_equal(sc_buf_err(&a), SC_OK);
    assert_true(a.len > 1000);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    sc_buf_release(&a);
    sc_buf_release(&b);
    sc_snap_free(m);
}

static void test_merge_search(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/merged2.sx", F.dir);
    struct fixture M = F;
    M.snap = merged_snap(&F, path);
    static const char *qs[] = {"依法行政",      "工作 监督",     "12345 -工作", "营商 | 振兴",
                               "政府",          "文件标题",      "。",          "year:2016 工作",
                               "标题 -(工作)", "乡村振兴 通过", "零宽",        "(一)"};
    for (size_t i = 0; i < sizeof qs / sizeof *qs; i++)
        for (int para = 0; para < 2; para++) {
            struct sc_results r1, r2;
            struct sc_diag d = {0};
            assert_int_equal(fixture_search(&F, qs[i], para, 100, 1, &r1, &d), SC_OK);
            assert_int_equal(fixture_search(&M, qs[i], para, 100, 1, &r2, &d), SC_OK);
            assert_int_equal(r1.total, r2.total);
            assert_int_equal(r1.nhits, r2.nhits);
            for (size_t h = 0; h < r1.nhits; h++) {
                assert_int_equal(r1.hits[h].id, r2.hits[h].id);
                assert_int_equal(r1.hits[h].count, r2.hits[h].count);
                assert_int_equal(r1.hits[h].nsnippets, r2.hits[h].nsnippets);
            }
            sc_results_release(&r1);
            sc_results_release(&r2);
        }
    sc_snap_free(M.snap);
}

/* A paragraph with a zero-width space does not map one for one; its
 * snippet still highlights the right original characters. */
static void test_identity_flag(void **state)
{
    (void)state;
    const struct sc_sdoc *d = NULL;
    for (size_t s = 0; s < F.snap->nseg && !d; s++)
        for (uint32_t i = 0; i < F.snap->segs[s]->ndocs; i++)
            if (F.snap->segs[s]->docs[i].id == DOCS[3].id)
                d = &F.snap->segs[s]->docs[i];
    assert_non_null(d);
    assert_true(d->npara >= 3);
    assert_int_equal(d->para[0].ident, 1);
    assert_int_equal(d->para[d->npara - 1].ident, 0); /* 零<ZWSP>宽 */
    struct sc_results r;
    struct sc_diag dg = {0};
    assert_int_equal(fixture_search(&F, "零宽", 0, 100, 1, &r, &dg), SC_OK);
    assert_int_equal(r.total, (NDOC + 3) / 7);
    assert_true(r.nhits > 0 && r.hits[0].nsnippets == 1);
    const struct sc_snippet *sn = &r.hits[0].snippets[0];
    assert_int_equal(sn->nhighlights, 1);
    /* the original has three code points there: 零, U+200B, 宽 */
    assert_int_equal(sn->highlights_cp[0][1] - sn->highlights_cp[0][0], 3);
    sc_results_release(&r);
    /* an identity paragraph: highlights straight from the index */
    assert_int_equal(fixture_search(&F, "依法行政", 0, 5, 1, &r, &dg), SC_OK);
    assert_true(r.nhits > 0);
    for (size_t h = 0; h < r.nhits; h++)
        for (size_t k = 0; k < r.hits[h].nsnippets; k++) {
            const struct sc_snippet *s = &r.hits[h].snippets[k];
            for (size_t x = 0; x < s->nhighlights; x++) {
                size_t len = strlen(s->text);
                size_t b0 = sc_utf8_offset(s->text, len, (size_t)s->highlights_cp[x][0]);
                size_t b1 = sc_utf8_offset(s->text, len, (size_t)s->highlights_cp[x][1]);
                assert_true(b1 > b0);
                assert_non_null(memmem(s->text + b0, b1 - b0, "依法行政", 12));
            }
        }
    sc_results_release(&r);
}

/* Every highlight covers a query term, in both modes, with several hits
 * per document (paragraph mode) and several terms. */
static void test_highlights(void **state)
{
    (void)state;
    static const char *qs[] = {"工作 监督", "依法行政 | 营商环境", "12345 通过开展", "依法行政 工作"};
    static const char *terms[][2] = {
        {"工作", "监督"}, {"依法行政", "营商环境"}, {"12345", "通过开展"}, {"依法行政", "工作"}};
    for (size_t i = 0; i < 4; i++)
        for (int para = 0; para < 2; para++) {
            struct sc_results r;
            struct sc_diag d = {0};
            assert_int_equal(fixture_search(&F, qs[i], para, 100, 1, &r, &d), SC_OK);
            assert_true(r.nhits > 0);
            for (size_t h = 0; h < r.nhits; h++)
                for (size_t k = 0; k < r.hits[h].nsnippets; k++) {
                    const struct sc_snippet *sn = &r.hits[h].snippets[k];
                    if (!sn->text)
                        continue;
                    for (size_t x = 0; x < sn->nhighlights; x++) {
                        size_t len = strlen(sn->text);
                        size_t b0 = sc_utf8_offset(sn->text, len, (size_t)sn->highlights_cp[x][0]);
                        size_t b1 = sc_utf8_offset(sn->text, len, (size_t)sn->highlights_cp[x][1]);
                        struct sc_buf nb = SC_BUF_INIT;
                        assert_int_equal(sc_normalize(sn->text + b0, b1 - b0, &nb, NULL), SC_OK);
                        /* a run starts with a term and ends with one */
                        int head = 0, tail = 0;
                        for (size_t t = 0; t < 2; t++) {
                            struct sc_buf tb = SC_BUF_INIT;
                            sc_normalize(terms[i][t], strlen(terms[i][t]), &tb, NULL);
                            if (nb.len >= tb.len) {
                                head |= memcmp(nb.data, tb.data, tb.len) == 0;
                                tail |= memcmp(nb.data + nb.len - tb.len, tb.data, tb.len) == 0;
                            }
                            sc_buf_release(&tb);
                        }
                        int ok = head && tail;
                        if (!ok)
                            fprintf(stderr, "%s (para %d): highlight '%.*s' in '%s'\n", qs[i],
                                    para, (int)(b1 - b0), sn->text + b0, sn->text);
                        assert_true(ok);
                        sc_buf_release(&nb);
                    }
                }
            sc_results_release(&r);
        }
}

static void test_title_index(void **state)
{
    (void)state;
    const struct sc_seg *seg = F.snap->segs[0];
    uint32_t a, b;
    sc_utf8_decode("标", 3, &a);
    sc_utf8_decode("题", 3, &b);
    size_t f, e;
    sc_seg_title_range(seg, sc_pair_key(a, b), sc_pair_key(a, b), &f, &e);
    assert_int_equal(e - f, seg->ndocs); /* every title has 标题 */
    for (size_t i = f + 1; i < e; i++)
        assert_true(seg->tdoc[i] > seg->tdoc[i - 1]);
    sc_seg_title_range(seg, sc_pair_key(0x9F98, 0), sc_pair_key(0x9F98, SC_PAIR_END), &f, &e);
    assert_int_equal(e - f, 0);
}

static void test_builder_reuse(void **state)
{
    (void)state;
    struct sc_segbuild *sb;
    assert_int_equal(sc_segbuild_new(&sb), SC_OK);
    char p1[128], p2[128];
    snprintf(p1, sizeof p1, "%s/r1.sx", F.dir);
    snprintf(p2, sizeof p2, "%s/r2.sx", F.dir);
    struct sc_diag d = {0};
    for (size_t i = 0; i < 40; i++)
        assert_int_equal(sc_segbuild_add(sb, &DOCS[i], &d), SC_OK);
    assert_int_equal(sc_segbuild_write(sb, p1, &d), SC_OK);
    sc_segbuild_reset(sb);
    assert_int_equal(sc_segbuild_ndocs(sb), 0);
    for (size_t i = 40; i < 50; i++)
        assert_int_equal(sc_segbuild_add(sb, &DOCS[i], &d), SC_OK);
    /* out of order is refused */
    assert_int_equal(sc_segbuild_add(sb, &DOCS[0], &d), SC_EINVAL);
    assert_int_equal(sc_segbuild_write(sb, p2, &d), SC_OK);
    sc_segbuild_free(sb);
    struct sc_seg *s;
    assert_int_equal(sc_seg_open(p2, &s, &d), SC_OK);
    assert_int_equal(s->ndocs, 10);
    assert_int_equal(s->docs[0].id, DOCS[40].id);
    sc_seg_close(s);
    /* a file of another format version is refused */
    FILE *fp = fopen(p1, "r+b");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 8, SEEK_SET), 0);
    uint32_t v = 2;
    assert_int_equal(fwrite(&v, 4, 1, fp), 1);
    fclose(fp);
    assert_int_equal(sc_seg_open(p1, &s, &d), SC_EPARSE);
}

/* Every position of a list: (doc index in the segment, position) pairs
 * into out (cap entries); the count. */
static size_t list_positions(const struct sc_seg *seg, uint64_t key, uint64_t *out, size_t cap)
{
    int64_t e = sc_seg_find(seg, key);
    if (e < 0)
        return 0;
    struct sc_pcur c;
    assert_int_equal(sc_pcur_init(&c, seg, (size_t)e), SC_OK);
    size_t n = 0;
    static uint32_t pos[200000];
    while (sc_pcur_next(&c)) {
        assert_true(c.tf <= 200000);
        sc_pcur_positions(&c, pos);
        for (uint32_t t = 0; t < c.tf && n < cap; t++)
            out[n++] = (uint64_t)c.doc << 32 | pos[t];
    }
    return n;
}

static void test_list_extremes(void **state)
{
    (void)state;
    /* doc A: 150,000 times 甲 (one pair, a term frequency whose gamma code
     * is longer than 32 bits), then 乙丙 once far away; doc B: random
     * ideographs, about 120,000 distinct pairs (the table grows); doc C:
     * 乙丙 after 300,000 spaces-free 丁 (a gap that needs a long unary
     * run with the small Rice parameter of the dense 甲甲 list) */
    enum { NA = 150000, NB = 120000, NC = 300000 };
    struct sc_buf a = SC_BUF_INIT, b = SC_BUF_INIT, c = SC_BUF_INIT;
    sc_buf_adds(&a, "甲\n");
    for (size_t i = 0; i < NA; i++)
        sc_buf_adds(&a, "甲");
    sc_buf_adds(&a, "乙丙");
    sc_buf_adds(&b, "乙\n");
    uint64_t x = 99;
    uint32_t *bcp = malloc(NB * sizeof *bcp);
    assert_non_null(bcp);
    for (size_t i = 0; i < NB; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        bcp[i] = 0x4E00 + (uint32_t)((x >> 33) % 20000);
        sc_buf_add_cp(&b, bcp[i]);
    }
    sc_buf_adds(&c, "丙\n");
    for (size_t i = 0; i < NC; i++)
        sc_buf_adds(&c, "丁");
    sc_buf_adds(&c, "乙丙甲甲");
    struct sc_doc d[3];
    struct sc_buf *bufs[3] = {&a, &b, &c};
    static char t0[] = "甲", t1[] = "乙", t2[] = "丙";
    char *titles[3] = {t0, t1, t2};
    for (int i = 0; i < 3; i++) {
        memset(&d[i], 0, sizeof d[i]);
        d[i].id = 10 + i * 100000; /* document gaps far beyond the mean */
        d[i].text = bufs[i]->data;
        d[i].text_len = bufs[i]->len;
        d[i].title = titles[i];
        d[i].paid_from_cp = d[i].paid_to_cp = -1;
    }
    struct sc_segbuild *sb;
    assert_int_equal(sc_segbuild_new(&sb), SC_OK);
    struct sc_diag dg = {0};
    for (int i = 0; i < 3; i++)
        assert_int_equal(sc_segbuild_add(sb, &d[i], &dg), SC_OK);
    char path[128];
    snprintf(path, sizeof path, "%s/extremes.sx", F.dir);
    assert_int_equal(sc_segbuild_write(sb, path, &dg), SC_OK);
    sc_segbuild_free(sb);
    struct sc_seg *seg;
    assert_int_equal(sc_seg_open(path, &seg, &dg), SC_OK);

    static uint64_t got[400000];
    /* 甲甲: A at 2..NA (the title line is 甲 then '\n'), C at the end */
    size_t n = list_positions(seg, sc_pair_key(0x7532, 0x7532), got, 400000);
    assert_int_equal(n, NA - 1 + 1);
    for (size_t i = 0; i + 1 < NA; i++)
        assert_int_equal(got[i], (uint64_t)0 << 32 | (2 + i));
    assert_int_equal(got[NA - 1], (uint64_t)2 << 32 | (2 + NC + 2));
    /* 乙丙: once in A far after its start, once in C after a long run */
    n = list_positions(seg, sc_pair_key(0x4E59, 0x4E19), got, 400000);
    assert_int_equal(n, 2);
    assert_int_equal(got[0], (uint64_t)0 << 32 | (2 + NA));
    assert_int_equal(got[1], (uint64_t)2 << 32 | (2 + NC));
    /* B: every position of a sample of its pairs is listed */
    for (size_t i = 0; i + 1 < NB; i += 997) {
        uint64_t key = sc_pair_key(bcp[i], bcp[i + 1]);
        n = list_positions(seg, key, got, 400000);
        int found = 0;
        for (size_t k = 0; k < n; k++)
            found |= got[k] == ((uint64_t)1 << 32 | (2 + i));
        assert_true(found);
    }
    /* and its last character pairs with the end-of-paragraph marker */
    n = list_positions(seg, sc_pair_key(bcp[NB - 1], SC_PAIR_END), got, 400000);
    assert_true(n >= 1);
    sc_seg_close(seg);
    free(bcp);
    sc_buf_release(&a);
    sc_buf_release(&b);
    sc_buf_release(&c);
}

/* A document with no text at all, first in a fresh builder (its arrays
 * are still empty), then one with text: both indexed. */
static void test_empty_first(void **state)
{
    (void)state;
    struct sc_segbuild *sb;
    assert_int_equal(sc_segbuild_new(&sb), SC_OK);
    static char title[] = "空";
    struct sc_doc d;
    memset(&d, 0, sizeof d);
    d.id = 1;
    d.text = NULL;
    d.text_len = 0;
    d.title = title;
    d.paid_from_cp = d.paid_to_cp = -1;
    struct sc_diag dg = {0};
    assert_int_equal(sc_segbuild_add(sb, &d, &dg), SC_OK);
    d.id = 2;
    d.text = (char *)"甲乙";
    d.text_len = strlen(d.text);
    assert_int_equal(sc_segbuild_add(sb, &d, &dg), SC_OK);
    char path[128];
    snprintf(path, sizeof path, "%s/empty.sx", F.dir);
    assert_int_equal(sc_segbuild_write(sb, path, &dg), SC_OK);
    sc_segbuild_free(sb);
    struct sc_seg *seg;
    assert_int_equal(sc_seg_open(path, &seg, &dg), SC_OK);
    assert_int_equal(seg->ndocs, 2);
    static uint64_t got[4];
    assert_int_equal(list_positions(seg, sc_pair_key(0x7532, 0x4E59), got, 4), 1);
    assert_int_equal(got[0], (uint64_t)1 << 32);
    sc_seg_close(seg);
}

/* sc_pcur_decode_all gives every list exactly as a cursor walks it. */
static void test_decode_all(void **state)
{
    (void)state;
    static uint64_t want[400000];
    size_t lists = 0;
    for (size_t s = 0; s < F.snap->nseg; s++) {
        const struct sc_seg *seg = F.snap->segs[s];
        for (size_t e = 0; e < seg->npairs; e++) {
            size_t n = list_positions(seg, seg->dict[e].key, want, 400000);
            struct sc_pcur c;
            assert_int_equal(sc_pcur_init(&c, seg, e), SC_OK);
            uint64_t *got = NULL;
            size_t ng = 1, cap = 0; /* appends after what is there */
            got = malloc(sizeof *got);
            assert_non_null(got);
            cap = 1;
            got[0] = 42;
            assert_int_equal(sc_pcur_decode_all(&c, 7, &got, &ng, &cap), 0);
            assert_int_equal(ng, n + 1);
            assert_int_equal(got[0], 42);
            for (size_t i = 0; i < n; i++)
                assert_true(got[i + 1] == want[i] + ((uint64_t)7 << 32));
            free(got);
            lists++;
        }
    }
    assert_true(lists > 100);
}

/* The text store holds every document's original code points: check them
 * against the UTF-8 they came from. */
static void check_text(const struct sc_seg *seg, const struct sc_doc *docs, size_t n)
{
    assert_int_equal(seg->ndocs, n);
    for (size_t i = 0; i < n; i++) {
        const char *t = docs[i].text ? docs[i].text : "";
        size_t len = docs[i].text ? docs[i].text_len : 0, k = 0;
        uint64_t a = seg->text.start[i];
        for (size_t b = 0; b < len;) {
            uint32_t cp;
            size_t w = sc_utf8_decode(t + b, len - b, &cp);
            assert_true(w > 0);
            assert_true(a + k < seg->text.start[i + 1]);
            assert_int_equal(sc_stext_cp(&seg->text, a + k), cp);
            b += w;
            k++;
        }
        assert_int_equal(seg->text.start[i + 1] - a, k);
        /* the paragraph table points into it */
        const struct sc_sdoc *d = &seg->docs[i];
        for (uint32_t p = 1; p < d->npara; p++)
            assert_int_equal(sc_stext_cp(&seg->text, a + d->para[p].orig_cp - 1), '\n');
        struct sc_buf u = SC_BUF_INIT;
        assert_int_equal(sc_seg_text_utf8(seg, (uint32_t)i, 0, k, &u), SC_OK);
        assert_int_equal(u.len, len);
        assert_memory_equal(u.data, t, len);
        sc_buf_release(&u);
    }
}

static void test_text_store(void **state)
{
    (void)state;
    /* beyond U+FFFF (escapes), full-width forms, a zero-width space; the
     * third builder gets more distinct code points beyond U+FFFF than
     * there are escapes, so it widens to 4 bytes a code */
    enum { N = 6 };
    static struct sc_doc docs[N];
    char *texts[N];
    for (size_t i = 0; i < N; i++) {
        struct sc_buf b = SC_BUF_INIT;
        sc_buf_addf(&b, "标题%zu\n正文（一）ＡＢＣ\xe2\x80\x8b𠮷%zu\n", i, i);
        size_t extra = i == 4 ? SC_TEXT_MAXESC + 10 : 3;
        for (size_t k = 0; k < extra; k++) {
            char u[4];
            sc_buf_add(&b, u, sc_utf8_encode((uint32_t)(0x20000 + i * 7 + k), u));
        }
        sc_buf_adds(&b, "\n末段");
        memset(&docs[i], 0, sizeof docs[i]);
        docs[i].id = (int64_t)i + 1;
        docs[i].text = texts[i] = sc_buf_take(&b, &docs[i].text_len);
        docs[i].paid_from_cp = docs[i].paid_to_cp = -1;
    }
    struct sc_seg *seg[3];
    char path[4][128];
    struct sc_diag dg = {0};
    for (size_t s = 0; s < 3; s++) {
        struct sc_segbuild *sb;
        assert_int_equal(sc_segbuild_new(&sb), SC_OK);
        for (size_t i = 2 * s; i < 2 * s + 2; i++)
            assert_int_equal(sc_segbuild_add(sb, &docs[i], &dg), SC_OK);
        snprintf(path[s], sizeof path[s], "%s/text-%zu.sx", F.dir, s);
        assert_int_equal(sc_segbuild_write(sb, path[s], &dg), SC_OK);
        sc_segbuild_free(sb);
        assert_int_equal(sc_seg_open(path[s], &seg[s], &dg), SC_OK);
        check_text(seg[s], docs + 2 * s, 2);
    }
    assert_int_equal(seg[0]->text.width, 2);
    assert_int_equal(seg[2]->text.width, 4);
    /* merged: the first two keep width 2 with their escapes recoded */
    struct sc_seg *m;
    snprintf(path[3], sizeof path[3], "%s/text-m.sx", F.dir);
    assert_int_equal(sc_seg_merge(seg, 2, path[3], 2, &dg), SC_OK);
    assert_int_equal(sc_seg_open(path[3], &m, &dg), SC_OK);
    assert_int_equal(m->text.width, 2);
    check_text(m, docs, 4);
    sc_seg_close(m);
    assert_int_equal(sc_seg_merge(seg, 3, path[3], 1, &dg), SC_OK);
    assert_int_equal(sc_seg_open(path[3], &m, &dg), SC_OK);
    assert_int_equal(m->text.width, 4);
    check_text(m, docs, 6);
    sc_seg_close(m);
    for (size_t s = 0; s < 3; s++)
        sc_seg_close(seg[s]);
    /* a damaged text section is refused */
    FILE *fp = fopen(path[0], "r+b");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, -8, SEEK_END), 0);
    assert_int_equal(fwrite("\xff\xff\xff\xff\xff\xff\xff\xff", 8, 1, fp), 1);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    assert_int_equal(fwrite("x", 1, 1, fp), 1);
    fclose(fp);
    assert_int_equal(sc_seg_open(path[0], &m, &dg), SC_EPARSE);
    for (size_t i = 0; i < N; i++)
        free(texts[i]);
}

/* Each character list of seg equals the union of the character's pair
 * lists: the same documents, and the count of its positions in each. */
static void check_char_lists(const struct sc_seg *seg)
{
    uint32_t *tf = calloc(seg->ndocs + 1, sizeof *tf);
    assert_non_null(tf);
    size_t nchars = 0;
    for (uint64_t e = 0; e < seg->npairs;) {
        uint32_t cp = (uint32_t)(seg->dict[e].key >> 21);
        memset(tf, 0, (seg->ndocs + 1) * sizeof *tf);
        for (; e < seg->npairs && (uint32_t)(seg->dict[e].key >> 21) == cp; e++) {
            struct sc_pcur c;
            assert_int_equal(sc_pcur_init(&c, seg, (size_t)e), SC_OK);
            while (sc_pcur_next(&c))
                tf[c.doc] += c.tf;
        }
        int64_t ce = sc_seg_find_char(seg, cp);
        assert_true(ce >= 0);
        struct sc_pcur c;
        assert_int_equal(sc_pcur_init_char(&c, seg, (size_t)ce), SC_OK);
        uint32_t nd = 0;
        while (sc_pcur_next(&c)) {
            assert_true(c.doc < seg->ndocs);
            assert_int_equal(c.tf, tf[c.doc]);
            tf[c.doc] = 0;
            nd++;
        }
        assert_int_equal(nd, seg->cdict[ce].ndocs);
        for (uint32_t d = 0; d < seg->ndocs; d++)
            assert_int_equal(tf[d], 0);
        nchars++;
    }
    assert_int_equal(nchars, seg->nchars);
    assert_int_equal(sc_seg_find_char(seg, 0x10FFFF), -1);
    free(tf);
}

static void test_char_lists(void **state)
{
    (void)state;
    for (size_t k = 0; k < F.snap->nseg; k++)
        check_char_lists(F.snap->segs[k]);
    char path[128];
    snprintf(path, sizeof path, "%s/merged-chars.sx", F.dir);
    struct sc_snap *m = merged_snap(&F, path);
    check_char_lists(m->segs[0]);
    sc_snap_free(m);
}

/* The occurrences of code point ch in the normalised text of t, per
 * paragraph ('\n'-separated) into per[] (up to maxp), the total returned. */
static int64_t count_cp(const char *t, size_t len, uint32_t ch, int64_t *per, size_t maxp)
{
    struct sc_buf nb = SC_BUF_INIT;
    assert_int_equal(sc_normalize(t, len, &nb, NULL), SC_OK);
    int64_t n = 0;
    size_t p = 0;
    for (size_t i = 0; i < nb.len;) {
        uint32_t c;
        size_t k = sc_utf8_decode(nb.data + i, nb.len - i, &c);
        i += k ? k : 1;
        if (c == '\n') {
            p++;
        } else if (c == ch) {
            n++;
            if (p < maxp)
                per[p]++;
        }
    }
    sc_buf_release(&nb);
    return n;
}

/* A character followed by more distinct characters than the engine seeks
 * cursors for: its hits' occurrences come from the text store. The counts
 * and every highlight are checked against the text. */
static void test_char_hits(void **state)
{
    (void)state;
    enum { N = 12, MAXP = 16 };
    static struct sc_doc docs[N];
    char *texts[N];
    static const char *tails[] = {"", "\xe2\x80\x8b", " "}; /* zero-width, a space */
    for (size_t i = 0; i < N; i++) {
        struct sc_buf b = SC_BUF_INIT;
        sc_buf_addf(&b, "标题的%zu", i);
        for (size_t p = 0; p < 4 + i % 3; p++) {
            sc_buf_addc(&b, '\n');
            for (size_t w = 0; w < 20; w++) {
                char u[4];
                uint32_t x = 0x4E00 + (uint32_t)((i * 31 + p * 7 + w * 13) % 97);
                sc_buf_adds(&b, (w + p) % 5 == 0 ? "Ａ" : (w + i) % 7 == 0 ? "a" : "的");
                sc_buf_add(&b, u, sc_utf8_encode(x, u));
                sc_buf_adds(&b, tails[(i + p + w) % 3]);
            }
        }
        memset(&docs[i], 0, sizeof docs[i]);
        docs[i].id = (int64_t)i + 1;
        docs[i].text = texts[i] = sc_buf_take(&b, &docs[i].text_len);
        docs[i].paid_from_cp = docs[i].paid_to_cp = -1;
    }
    struct fixture H;
    assert_int_equal(fixture_build(&H, docs, N, 1), 0);
    static const char *qs[] = {"的", "a", "Ａ"};
    for (size_t qi = 0; qi < 3; qi++) {
        uint32_t ch = qi == 0 ? 0x7684 : 'a';
        size_t f, e;
        sc_seg_range(H.snap->segs[0], sc_pair_key(ch, 0), sc_pair_key(ch, SC_PAIR_END), &f, &e);
        assert_true(e - f > 48); /* many lists: the text store is read */
        for (int para = 0; para < 2; para++) {
            struct sc_results r;
            struct sc_diag d = {0};
            assert_int_equal(fixture_search(&H, qs[qi], para, 100, 1, &r, &d), SC_OK);
            assert_true(r.nhits > 0);
            int64_t want_total = 0;
            for (size_t i = 0; i < N; i++) {
                int64_t per[MAXP] = {0};
                int64_t n = count_cp(texts[i], docs[i].text_len, ch, per, MAXP);
                if (!para)
                    want_total += n > 0;
                for (size_t p = 0; p < MAXP && para; p++)
                    want_total += per[p] > 0;
            }
            assert_int_equal(r.total, want_total);
            for (size_t h = 0; h < r.nhits; h++) {
                const struct sc_hit *hit = &r.hits[h];
                size_t i = (size_t)hit->id - 1;
                int64_t per[MAXP] = {0};
                int64_t n = count_cp(texts[i], docs[i].text_len, ch, per, MAXP);
                assert_int_equal(hit->count, para ? per[hit->paragraph] : n);
                assert_true(hit->nsnippets > 0);
                for (size_t k = 0; k < hit->nsnippets; k++) {
                    const struct sc_snippet *sn = &hit->snippets[k];
                    assert_non_null(sn->text);
                    /* highlighted exactly where the text folds to ch */
                    size_t len = strlen(sn->text), at = 0;
                    for (int64_t cpi = 0; at < len; cpi++) {
                        uint32_t c;
                        size_t m = sc_utf8_decode(sn->text + at, len - at, &c);
                        at += m ? m : 1;
                        int lit = 0;
                        for (size_t x = 0; x < sn->nhighlights; x++)
                            lit |= cpi >= sn->highlights_cp[x][0] && cpi < sn->highlights_cp[x][1];
                        assert_int_equal(lit, sc_fold_cp(c) == ch);
                    }
                }
            }
            /* the same page with the occurrences found by the cursors */
            struct sc_results rc;
            size_t keep = sc_engine_scan_lists;
            sc_engine_scan_lists = SIZE_MAX;
            assert_int_equal(fixture_search(&H, qs[qi], para, 100, 1, &rc, &d), SC_OK);
            sc_engine_scan_lists = keep;
            assert_int_equal(rc.nhits, r.nhits);
            for (size_t h = 0; h < r.nhits; h++) {
                const struct sc_hit *a = &r.hits[h], *b = &rc.hits[h];
                assert_int_equal(a->id, b->id);
                assert_int_equal(a->paragraph, b->paragraph);
                assert_int_equal(a->nsnippets, b->nsnippets);
                for (size_t k = 0; k < a->nsnippets; k++) {
                    assert_string_equal(a->snippets[k].text, b->snippets[k].text);
                    assert_int_equal(a->snippets[k].nhighlights, b->snippets[k].nhighlights);
                    for (size_t x = 0; x < a->snippets[k].nhighlights; x++) {
                        assert_int_equal(a->snippets[k].highlights_cp[x][0],
                                         b->snippets[k].highlights_cp[x][0]);
                        assert_int_equal(a->snippets[k].highlights_cp[x][1],
                                         b->snippets[k].highlights_cp[x][1]);
                    }
                }
            }
            sc_results_release(&rc);
            sc_results_release(&r);
        }
    }
    fixture_release(&H);
    for (size_t i = 0; i < N; i++)
        free(texts[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_lists),   cmocka_unit_test(test_merge_search),
        cmocka_unit_test(test_identity_flag), cmocka_unit_test(test_highlights),
        cmocka_unit_test(test_title_index),
        cmocka_unit_test(test_builder_reuse), cmocka_unit_test(test_list_extremes),
        cmocka_unit_test(test_empty_first),   cmocka_unit_test(test_text_store),
        cmocka_unit_test(test_decode_all),    cmocka_unit_test(test_char_lists),
        cmocka_unit_test(test_char_hits),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
