/*
 * One paragraph's normalised form from a segment (sc_seg_para_norm): for
 * every paragraph of documents mixing identity paragraphs (full-width forms,
 * capitals, a character beyond U+FFFF) with others (zero-width characters,
 * spaces, tabs, U+3000 and U+00A0 between ideographs), the code points and
 * their original offsets equal sc_normalize of the stored text with its
 * map; and a one-character term found by reading the text store gives the
 * hits and highlights its cursors give.
 */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include "search_fixture.h"
#include "sucai/text.h"

static const char *PARAS[] = {
    "ＡＢＣ１２３ｘｙｚ政府工作",              /* identity: folded one for one */
    "Hello World 依法行政",                    /* identity: capitals, a space after Latin */
    "𠀀字在外，ＧＤＰ增长",                    /* identity: beyond U+FFFF */
    "政 府  工作",                             /* spaces between ideographs: dropped */
    "零\xe2\x80\x8b宽\xef\xbb\xbf字符",        /* zero-width characters */
    "中\xe3\x80\x80文\t和\xc2\xa0政府",        /* U+3000, tab, U+00A0 between ideographs */
    "ＡＢ\xe2\x80\x8b Ｃ 政\xe2\x80\x8b 府。", /* zero width inside a space run */
    "政府 abc 工作",                           /* spaces next to Latin are kept */
    "",                                        /* an empty paragraph */
    "工 作\xe2\x80\x8b",                       /* ends with a zero-width character */
};
#define NPARAS (sizeof PARAS / sizeof *PARAS)

enum {
    NDOC = 12
};
static struct sc_doc DOCS[NDOC];
static char *TEXTS[NDOC], *TITLES[NDOC];
static struct fixture F; /* two segments */

static int setup(void **state)
{
    (void)state;
    for (size_t i = 0; i < NDOC; i++) {
        struct sc_buf b = SC_BUF_INIT, t = SC_BUF_INIT;
        sc_buf_addf(&t, "第%zu号 文件", i);
        sc_buf_add(&b, t.data, t.len);
        for (size_t p = 0; p < 2 + i % 6; p++) {
            sc_buf_addc(&b, '\n');
            sc_buf_adds(&b, PARAS[(i * 3 + p) % NPARAS]);
        }
        memset(&DOCS[i], 0, sizeof DOCS[i]);
        DOCS[i].id = (int64_t)(i + 1);
        DOCS[i].text = TEXTS[i] = sc_buf_take(&b, &DOCS[i].text_len);
        DOCS[i].title = TITLES[i] = sc_buf_take(&t, NULL);
        DOCS[i].year = 2020;
        DOCS[i].paid_from_cp = -1;
        DOCS[i].paid_to_cp = -1;
    }
    return fixture_build(&F, DOCS, NDOC, 2);
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

/* pn against sc_normalize of text[0..len) with its map. */
static void check_against_normalize(const struct sc_pnorm *pn, const char *text, size_t len)
{
    struct sc_buf nb = SC_BUF_INIT;
    uint32_t *map = NULL;
    assert_int_equal(sc_normalize(text, len, &nb, &map), SC_OK);
    size_t i = 0;
    for (size_t k = 0; k < nb.len; i++) {
        uint32_t cp;
        size_t m = sc_utf8_decode(nb.data + k, nb.len - k, &cp);
        assert_true(m > 0);
        assert_true(i < pn->n);
        assert_int_equal(pn->cp[i], cp);
        assert_int_equal(pn->ocp[i], sc_utf8_count(text, map[k]));
        k += m;
    }
    assert_int_equal(pn->n, i);
    assert_int_equal(pn->ocp[pn->n], sc_utf8_count(text, len));
    free(map);
    sc_buf_release(&nb);
}

static void test_every_paragraph(void **state)
{
    (void)state;
    struct sc_pnorm pn = { 0 }, pt = { 0 };
    size_t nident = 0, nother = 0, nfolded = 0;
    for (size_t s = 0; s < F.snap->nseg; s++) {
        const struct sc_seg *seg = F.snap->segs[s];
        for (uint32_t doc = 0; doc < seg->ndocs; doc++) {
            const struct sc_sdoc *d = &seg->docs[doc];
            for (uint32_t p = 0; p < d->npara; p++) {
                struct sc_buf u = SC_BUF_INIT;
                assert_int_equal(
                    sc_seg_text_utf8(seg, doc, d->para[p].orig_cp, d->para[p + 1].orig_cp - 1, &u),
                    SC_OK);
                const char *text = u.data ? u.data : "";
                assert_int_equal(sc_seg_para_norm(seg, doc, p, &pn), SC_OK);
                check_against_normalize(&pn, text, u.len);
                /* the index's normalised length, the '\n' excluded */
                assert_int_equal(pn.n, d->para[p + 1].norm - 1 - d->para[p].norm);
                /* the same from the text as UTF-8 */
                assert_int_equal(sc_pnorm_text(text, u.len, &pt), SC_OK);
                assert_int_equal(pt.n, pn.n);
                assert_memory_equal(pt.cp, pn.cp, pn.n * sizeof *pn.cp);
                assert_memory_equal(pt.ocp, pn.ocp, (pn.n + 1) * sizeof *pn.ocp);
                if (d->para[p].ident) {
                    nident++;
                    for (size_t i = 0; i <= pn.n; i++)
                        assert_int_equal(pn.ocp[i], i);
                    if (strstr(text, "ＡＢＣ"))
                        nfolded++;
                } else {
                    nother++;
                }
                sc_buf_release(&u);
            }
        }
    }
    /* both kinds were seen, and an identity paragraph that folds */
    assert_true(nident > 10);
    assert_true(nother > 10);
    assert_true(nfolded > 0);
    sc_pnorm_release(&pn);
    sc_pnorm_release(&pt);
    sc_pnorm_release(&pt); /* twice is harmless */
}

/* A damaged text store (shorter than its tables say: it stops two code
 * points into the first body paragraph): an identity paragraph gives
 * nothing, another what is left of its text. */
static void test_damaged(void **state)
{
    (void)state;
    size_t seen[2] = { 0, 0 };
    for (size_t s = 0; s < F.snap->nseg; s++) {
        const struct sc_seg *seg0 = F.snap->segs[s];
        for (uint32_t doc = 0; doc < seg0->ndocs; doc++) {
            struct sc_seg seg = *seg0;
            const struct sc_sdoc *d = &seg0->docs[doc];
            uint64_t start[2] = { seg0->text.start[doc],
                                  seg0->text.start[doc] + d->para[1].orig_cp + 2 };
            seg.text.start = start;
            seg.docs = (struct sc_sdoc *)d;
            seg.ndocs = 1;
            if (d->para[2].orig_cp - 1 == d->para[1].orig_cp)
                continue; /* an empty paragraph 1: paragraph 2 would be in reach */
            struct sc_pnorm pn = { 0 };
            assert_int_equal(sc_seg_para_norm(&seg, 0, 1, &pn), SC_OK);
            uint32_t len = d->para[2].norm - 1 - d->para[1].norm;
            if (d->para[1].ident && len > 2) {
                assert_int_equal(pn.n, 0);
                seen[0]++;
            } else if (!d->para[1].ident) {
                assert_true(pn.n <= 2);
                assert_true(pn.ocp[pn.n] <= 2);
                seen[1]++;
            }
            for (uint32_t p = 2; p < d->npara; p++) {
                assert_int_equal(sc_seg_para_norm(&seg, 0, p, &pn), SC_OK);
                assert_int_equal(pn.n, 0);
                assert_int_equal(pn.ocp[0], 0);
            }
            sc_pnorm_release(&pn);
        }
    }
    assert_true(seen[0] > 0 && seen[1] > 0);
}

/* Hits, counts and snippets (highlights included) as text. */
static void dump(const struct sc_results *r, struct sc_buf *out)
{
    sc_buf_addf(out, "total %lld\n", (long long)r->total);
    for (size_t h = 0; h < r->nhits; h++) {
        const struct sc_hit *x = &r->hits[h];
        sc_buf_addf(out, "hit %lld count %lld para %lld\n", (long long)x->id, (long long)x->count,
                    (long long)x->paragraph);
        for (size_t k = 0; k < x->nsnippets; k++) {
            const struct sc_snippet *s = &x->snippets[k];
            sc_buf_addf(out, " [%lld] %s", (long long)s->start_cp, s->text ? s->text : "-");
            for (size_t i = 0; i < s->nhighlights; i++)
                sc_buf_addf(out, " %lld-%lld", (long long)s->highlights_cp[i][0],
                            (long long)s->highlights_cp[i][1]);
            sc_buf_addc(out, '\n');
        }
    }
}

static void test_scan_equals_cursors(void **state)
{
    (void)state;
    static const char *Q[] = { "政", "工", "a", "Ａ", "文", "字", "府 工作", "宽" };
    size_t keep = sc_engine_scan_lists;
    for (size_t q = 0; q < sizeof Q / sizeof *Q; q++)
        for (int para = 0; para < 2; para++) {
            struct sc_buf a = SC_BUF_INIT, b = SC_BUF_INIT;
            struct sc_results r;
            struct sc_diag dg = { 0 };
            sc_engine_scan_lists = 0; /* read the text store */
            assert_int_equal(fixture_search(&F, Q[q], para, 100, 1, &r, &dg), SC_OK);
            dump(&r, &a);
            sc_results_release(&r);
            sc_engine_scan_lists = SIZE_MAX; /* the cursors */
            assert_int_equal(fixture_search(&F, Q[q], para, 100, 1, &r, &dg), SC_OK);
            assert_true(r.total > 0);
            dump(&r, &b);
            sc_results_release(&r);
            assert_string_equal(a.data, b.data);
            sc_buf_release(&a);
            sc_buf_release(&b);
        }
    sc_engine_scan_lists = keep;
}

/* Highlights in paragraphs that are not one for one cover the original
 * characters the term came from, up to the original of the next
 * normalised character (a dropped run right after the term included). */
static void test_highlights(void **state)
{
    (void)state;
    static const struct {
        const char *q, *orig;
    } C[] = { { "政府", "政 府  " },
              { "零宽", "零\xe2\x80\x8b宽\xef\xbb\xbf" },
              { "中文", "中\xe3\x80\x80文\t" },
              { "ab", "ＡＢ" },
              { "ab", "ＡＢ\xe2\x80\x8b" },
              { "政府", "政\xe2\x80\x8b 府" } };
    for (size_t c = 0; c < sizeof C / sizeof *C; c++) {
        struct sc_results r;
        struct sc_diag dg = { 0 };
        assert_int_equal(fixture_search(&F, C[c].q, 1, 100, 1, &r, &dg), SC_OK);
        size_t found = 0;
        for (size_t h = 0; h < r.nhits; h++)
            for (size_t k = 0; k < r.hits[h].nsnippets; k++) {
                const struct sc_snippet *s = &r.hits[h].snippets[k];
                size_t len = strlen(s->text);
                for (size_t x = 0; x < s->nhighlights; x++) {
                    size_t b0 = sc_utf8_offset(s->text, len, (size_t)s->highlights_cp[x][0]);
                    size_t b1 = sc_utf8_offset(s->text, len, (size_t)s->highlights_cp[x][1]);
                    found += b1 - b0 == strlen(C[c].orig) &&
                             memcmp(s->text + b0, C[c].orig, b1 - b0) == 0;
                }
            }
        if (!found)
            fprintf(stderr, "no highlight of %s\n", C[c].orig);
        assert_true(found > 0);
        sc_results_release(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_paragraph),
        cmocka_unit_test(test_damaged),
        cmocka_unit_test(test_scan_equals_cursors),
        cmocka_unit_test(test_highlights),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
