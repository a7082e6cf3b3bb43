/*
 * Segment files: merging from postings (the merged file answers every
 * query exactly as the parts did, list by list and through the engine),
 * a builder reused after sc_segbuild_reset, the per-paragraph identity
 * flag that lets snippets skip a second normalisation, the title pair
 * index, and files of another format version refused on open.
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
        DOCS[i].paid_from = -1;
        DOCS[i].paid_to = -1;
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
    assert_int_equal(sn->highlights[0][1] - sn->highlights[0][0], 3);
    sc_results_release(&r);
    /* an identity paragraph: highlights straight from the index */
    assert_int_equal(fixture_search(&F, "依法行政", 0, 5, 1, &r, &dg), SC_OK);
    assert_true(r.nhits > 0);
    for (size_t h = 0; h < r.nhits; h++)
        for (size_t k = 0; k < r.hits[h].nsnippets; k++) {
            const struct sc_snippet *s = &r.hits[h].snippets[k];
            for (size_t x = 0; x < s->nhighlights; x++) {
                size_t len = strlen(s->text);
                size_t b0 = sc_utf8_offset(s->text, len, (size_t)s->highlights[x][0]);
                size_t b1 = sc_utf8_offset(s->text, len, (size_t)s->highlights[x][1]);
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
                        size_t b0 = sc_utf8_offset(sn->text, len, (size_t)sn->highlights[x][0]);
                        size_t b1 = sc_utf8_offset(sn->text, len, (size_t)sn->highlights[x][1]);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_lists),   cmocka_unit_test(test_merge_search),
        cmocka_unit_test(test_identity_flag), cmocka_unit_test(test_highlights),
        cmocka_unit_test(test_title_index),
        cmocka_unit_test(test_builder_reuse),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
