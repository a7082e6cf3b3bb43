/*
 * 查重 against a brute-force oracle: random libraries (several segments,
 * paragraphs that are not one for one, full-width forms, code points beyond
 * U+FFFF, paid ranges, paragraphs repeated across documents) and random
 * drafts built from library passages, perturbed passages and novel text.
 * The oracle is every common substring of at least min code points between
 * the normalised draft and each normalised library paragraph (dynamic
 * programming over every pair of positions); check must report exactly
 * their union as spans, the exact number of documents holding each span in
 * full, and sources that are true: the source's own text, normalised,
 * equals the draft's stretch it names. Then the options, the paywall and
 * the report's totals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "check_fixture.h"
#include "sucai/ingest.h"
#include "sucai/text.h"

static uint64_t rng = 88172645463325252ull;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

/* A small alphabet, so that short stretches recur by chance: ideographs,
 * punctuation (full-width forms fold), Latin in both cases and widths,
 * digits, one character beyond U+FFFF. */
static const char *const ALPHA[] = {
    "发", "展", "改", "革", "工", "作", "推", "进", "全", "面", "加", "强", "建", "设",
    "党", "的", "和", "在", "国", "家", "经", "济", "社", "会", "，", "。", "、", "（",
    "）", "A",  "a",  "Ｂ", "ｂ", "1",  "２", "𠮷", "治", "理", "体", "系",
};
#define NALPHA (sizeof ALPHA / sizeof *ALPHA)

static void add_random(struct sc_buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sc_buf_adds(b, ALPHA[rnd(NALPHA)]);
}

enum {
    NDOC = 24,
    MAXPARA = 8
};
static struct sc_doc DOCS[NDOC];
static char *TEXT[NDOC], *TITLE[NDOC];
/* every library paragraph (original text), to copy from */
static char *PARA[NDOC * (MAXPARA + 1)];
static size_t NPARA;

static void make_library(void)
{
    NPARA = 0;
    for (size_t i = 0; i < NDOC; i++) {
        struct sc_buf b = SC_BUF_INIT, t = SC_BUF_INIT;
        sc_buf_addf(&t, "文件%zu", i);
        sc_buf_add(&b, t.data, t.len);
        size_t np = 2 + rnd(MAXPARA - 1);
        for (size_t p = 0; p < np; p++) {
            sc_buf_addc(&b, '\n');
            size_t at = b.len;
            if (NPARA > 4 && rnd(5) == 0) {
                sc_buf_adds(&b, PARA[rnd((uint32_t)NPARA)]); /* repeated elsewhere */
            } else {
                add_random(&b, 10 + rnd(60));
                if (rnd(6) == 0)
                    sc_buf_adds(&b, "发 展\xe2\x80\x8b改革"); /* not one for one */
                add_random(&b, rnd(30));
            }
            PARA[NPARA++] = sc_strndup(b.data + at, b.len - at);
        }
        memset(&DOCS[i], 0, sizeof DOCS[i]);
        DOCS[i].id = (int64_t)(i * 3 + 1);
        DOCS[i].title = TITLE[i] = sc_buf_take(&t, NULL);
        DOCS[i].text = TEXT[i] = sc_buf_take(&b, &DOCS[i].text_len);
        DOCS[i].paid_from_cp = DOCS[i].paid_to_cp = -1;
        if (i % 5 == 2) { /* the second half is paid */
            size_t ncp = sc_utf8_count(TEXT[i], DOCS[i].text_len);
            DOCS[i].paid_from_cp = (int64_t)(ncp / 2);
        }
    }
}

static void free_library(void)
{
    for (size_t i = 0; i < NDOC; i++) {
        free(TEXT[i]);
        free(TITLE[i]);
    }
    for (size_t i = 0; i < NPARA; i++)
        free(PARA[i]);
}

/* A stretch of UTF-8 s: code points [a, a + n). */
static void add_cps(struct sc_buf *b, const char *s, size_t a, size_t n)
{
    size_t len = strlen(s), from = sc_utf8_offset(s, len, a), to = sc_utf8_offset(s, len, a + n);
    sc_buf_add(b, s + from, to - from);
}

/* A copied stretch with light edits: a character replaced, ，<->、, a
 * width or case changed, a space or zero-width space between two
 * ideographs (the last two fold away). */
static void add_perturbed(struct sc_buf *b, const char *s, size_t a, size_t n)
{
    size_t len = strlen(s), i = sc_utf8_offset(s, len, a), end = sc_utf8_offset(s, len, a + n);
    while (i < end) {
        uint32_t cp;
        size_t k = sc_utf8_decode(s + i, end - i, &cp);
        if (!k)
            k = 1;
        uint32_t r = rnd(40);
        if (r == 0)
            sc_buf_adds(b, ALPHA[rnd(NALPHA)]);
        else if (r == 1 && cp == 0xFF0C)
            sc_buf_adds(b, "、");
        else if (r == 2 && cp >= 'a' && cp <= 'z')
            sc_buf_addc(b, (char)(cp - 32));
        else if (r == 3 && cp >= 0xFF01 && cp <= 0xFF5E)
            sc_buf_add_cp(b, cp - 0xFEE0);
        else {
            sc_buf_add(b, s + i, k);
            if (r == 4 && sc_is_cjk(cp))
                sc_buf_adds(b, rnd(2) ? " " : "\xe2\x80\x8b");
        }
        i += k;
    }
}

static char *make_draft(size_t *len)
{
    struct sc_buf b = SC_BUF_INIT;
    size_t np = 1 + rnd(6);
    for (size_t p = 0; p < np; p++) {
        if (p)
            sc_buf_addc(&b, rnd(8) ? '\n' : '\r'); /* a stray CR is just a character */
        size_t pieces = 1 + rnd(5);
        for (size_t k = 0; k < pieces; k++) {
            const char *src = PARA[rnd((uint32_t)NPARA)];
            size_t ncp = sc_utf8_count(src, strlen(src));
            size_t a = rnd((uint32_t)ncp), n = 1 + rnd((uint32_t)(ncp - a));
            switch (rnd(4)) {
            case 0: add_cps(&b, src, a, n); break;
            case 1: add_perturbed(&b, src, a, n); break;
            case 2: add_cps(&b, src, 0, ncp); break;
            default: add_random(&b, 3 + rnd(40)); break;
            }
        }
    }
    return sc_buf_take(&b, len);
}

/* ---------------------------------------------------------------- oracle */

/* UTF-8 -> code points */
static uint32_t *cps_of(const char *s, size_t len, size_t *n)
{
    uint32_t *v = malloc((len + 1) * sizeof *v);
    assert_non_null(v);
    *n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = sc_utf8_decode(s + i, len - i, &cp);
        if (!k)
            k = 1, cp = 0xFFFD;
        v[(*n)++] = cp;
        i += k;
    }
    return v;
}

struct oracle {
    uint8_t *cov;           /* per normalised draft position */
    uint8_t (*holds)[NDOC]; /* per normalised draft position: doc has a piece covering it */
};

/* The snapshot the draft is checked against, and the withheld range of
 * each document in it (normalised positions; wf == wt: none). */
static const struct sc_snap *SNAP;

static void withheld(size_t dd, uint32_t *wf, uint32_t *wt)
{
    for (size_t si = 0; si < SNAP->nseg; si++)
        for (uint32_t k = 0; k < SNAP->segs[si]->ndocs; k++)
            if (SNAP->segs[si]->docs[k].id == DOCS[dd].id) {
                *wf = SNAP->wf[SNAP->base[si] + k];
                *wt = SNAP->wt[SNAP->base[si] + k];
                return;
            }
    fail_msg("document %lld not in the snapshot", (long long)DOCS[dd].id);
}

/* Normalised text of document dd as code points; with vis (a caller who
 * may not read paid text) its withheld positions read '\n', which no
 * match crosses: the text that caller sees. */
static uint32_t *doc_cps(size_t dd, int vis, size_t *n)
{
    struct sc_buf nb = SC_BUF_INIT;
    assert_int_equal(sc_normalize(TEXT[dd], DOCS[dd].text_len, &nb, NULL), SC_OK);
    uint32_t *L = cps_of(nb.data, nb.len, n);
    sc_buf_release(&nb);
    uint32_t wf, wt;
    withheld(dd, &wf, &wt);
    for (size_t j = wf; vis && j < wt && j < *n; j++)
        L[j] = '\n';
    return L;
}

/* Every common substring of at least min between draft D[0..n) and every
 * normalised paragraph of every document (as a caller who may not read
 * paid text sees them, with vis); paid[dd]: some common substring of at
 * least min reaches into dd's withheld range (the full text). */
static void oracle_run(const uint32_t *D, size_t n, size_t min, int vis, struct oracle *o,
                       uint8_t *paid)
{
    o->cov = calloc(n + 1, 1);
    o->holds = calloc(n + 1, sizeof *o->holds);
    assert_non_null(o->cov);
    assert_non_null(o->holds);
    uint32_t *prev = malloc((n + 1) * sizeof *prev), *cur = malloc((n + 1) * sizeof *cur);
    assert_non_null(prev);
    assert_non_null(cur);
    for (size_t d = 0; d < NDOC; d++) {
        uint32_t wf, wt;
        withheld(d, &wf, &wt);
        for (int pass = 0; pass < 2; pass++) { /* 0: what the caller sees, 1: paid */
            if (pass && (!vis || wf == wt))
                break;
            size_t nl;
            uint32_t *L = doc_cps(d, pass ? 0 : vis, &nl);
            for (size_t ps = 0; ps < nl;) {
                size_t pe = ps;
                while (pe < nl && L[pe] != '\n')
                    pe++;
                memset(prev, 0, (n + 1) * sizeof *prev);
                for (size_t j = ps; j < pe; j++) {
                    for (size_t i = 0; i < n; i++) {
                        uint32_t v = D[i] == L[j] && D[i] != '\n' ? (i ? prev[i - 1] : 0) + 1 : 0;
                        cur[i] = v;
                        if (v >= min && pass && j + 1 - v < wt && j >= wf)
                            paid[d] = 1;
                        if (v >= min && !pass)
                            for (size_t k = i + 1 - v; k <= i; k++) {
                                o->cov[k] = 1;
                                o->holds[k][d] = 1;
                            }
                    }
                    uint32_t *t = prev;
                    prev = cur;
                    cur = t;
                }
                ps = pe + 1;
            }
            free(L);
        }
    }
    free(prev);
    free(cur);
}

/* Documents holding normalised draft stretch D[a, b) inside one paragraph
 * (of the text a caller who may not read paid text sees, with vis). */
static int64_t docs_in_full(const uint32_t *D, size_t a, size_t b, int vis)
{
    int64_t n = 0;
    for (size_t d = 0; d < NDOC; d++) {
        size_t nl;
        uint32_t *L = doc_cps(d, vis, &nl);
        /* a match never spans a '\n': the stretch has none */
        int hit = 0;
        for (size_t j = 0; !hit && j + (b - a) <= nl; j++)
            hit = memcmp(L + j, D + a, (b - a) * sizeof *D) == 0;
        n += hit;
        free(L);
    }
    return n;
}

static const struct sc_doc *doc_by_id(int64_t id)
{
    for (size_t i = 0; i < NDOC; i++)
        if (DOCS[i].id == id)
            return &DOCS[i];
    return NULL;
}

/* Normalised text of UTF-8 s[a, b) as a string. */
static char *norm_of(const char *s, size_t a, size_t b)
{
    struct sc_buf nb = SC_BUF_INIT;
    assert_int_equal(sc_normalize(s + a, b - a, &nb, NULL), SC_OK);
    return sc_buf_take(&nb, NULL);
}

/* what the property test went through, so that a weak run shows */
static size_t T_COMPLETE, T_SPANS, T_MULTI, T_PAID, T_PAID_ONLY, T_NONIDENT, T_STITCHED;

static void check_one(struct ckfix *f, const char *draft, size_t len, size_t min, size_t common,
                      int entitled)
{
    struct sc_check_opts o = { min, common, 100, entitled, NULL };
    struct sc_check_result r;
    assert_int_equal(ckfix_check(f, draft, len, &o, &r), SC_OK);
    struct ck_draft d;
    assert_int_equal(ck_draft_init(&d, draft, len), SC_OK);
    struct oracle or ;
    uint8_t paid[NDOC] = { 0 };
    SNAP = f->snap;
    oracle_run(d.cp, d.n, min, !entitled, & or, paid);
    /* a caller who may not read paid text is told which documents' paid
     * parts hold a stretch of the draft, and of no other (the matcher may
     * leave out one whose stretch it had no need to follow) */
    for (size_t q = 0; q < r.npaid_only; q++) {
        int dd = -1;
        for (size_t x = 0; x < NDOC; x++)
            if (DOCS[x].id == r.paid_only[q].id)
                dd = (int)x;
        assert_true(dd >= 0 && paid[dd]);
        assert_string_equal(r.paid_only[q].title, DOCS[dd].title);
        assert_true(!q || r.paid_only[q].id > r.paid_only[q - 1].id);
        T_PAID_ONLY++;
    }
    assert_true(entitled ? r.npaid_only == 0 : 1);
    /* the oracle's spans, as bytes of the draft */
    size_t k = 0, copied = 0, ncommon = 0;
    for (size_t i = 0; i < d.n;) {
        if (! or.cov[i]) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < d.n && or.cov[j])
            j++;
        if (k >= r.nspans)
            fail_msg("span [%zu,%zu) of the oracle not reported (min %zu, %zu spans, %llu windows "
                     "%llu anchors %llu run %llu candidates %llu extended %llu matches): %s",
                     i, j, min, r.nspans, (unsigned long long)r.stats.windows,
                     (unsigned long long)r.stats.anchors, (unsigned long long)r.stats.anchors_run,
                     (unsigned long long)r.stats.candidates, (unsigned long long)r.stats.extended,
                     (unsigned long long)r.stats.matches, draft);
        const struct sc_check_span *sp = &r.spans[k++];
        size_t sb = d.obyte[i], eb = d.obyte[j - 1];
        uint32_t cp;
        eb += sc_utf8_decode(draft + eb, len - eb, &cp);
        if (sp->start != sb || sp->end != eb)
            fail_msg("span [%zu,%zu) reported as bytes [%zu,%zu), oracle [%zu,%zu)", i, j,
                     sp->start, sp->end, sb, eb);
        /* documents: exact when some document holds the whole span */
        int64_t full = docs_in_full(d.cp, i, j, !entitled), pieces = 0;
        for (size_t dd = 0; dd < NDOC; dd++) {
            int any = 0;
            for (size_t x = i; x < j && !any; x++)
                any = or.holds[x][dd];
            pieces += any;
        }
        if (full)
            assert_int_equal(sp->docs, full);
        else
            assert_true(sp->docs >= 1 && sp->docs <= pieces);
        /* in fewer than CK_PIECES documents: every document holding a
         * piece is a source */
        if (pieces < CK_PIECES) {
            assert_int_equal(sp->nsources, pieces);
            for (size_t dd = 0; dd < NDOC; dd++) {
                int any = 0, listed = 0;
                for (size_t x = i; x < j && !any; x++)
                    any = or.holds[x][dd];
                for (size_t q = 0; q < sp->nsources; q++)
                    listed |= sp->sources[q].id == DOCS[dd].id;
                assert_int_equal(any, listed);
            }
            T_COMPLETE++;
        }
        T_SPANS++;
        T_MULTI += full > 1;
        T_STITCHED += !full;
        assert_int_equal(sp->common, sp->docs >= (int64_t)common);
        size_t ncp = sc_utf8_count(draft + sb, eb - sb);
        if (sp->common)
            ncommon += ncp;
        else
            copied += ncp;
        /* every source is true: its text, normalised, is the draft's stretch */
        assert_true(sp->nsources >= 1);
        for (size_t s = 0; s < sp->nsources; s++) {
            const struct sc_check_source *src = &sp->sources[s];
            const struct sc_doc *doc = doc_by_id(src->id);
            assert_non_null(doc);
            size_t dl = doc->text_len;
            size_t a = sc_utf8_offset(doc->text, dl, (size_t)src->start_cp);
            size_t b = sc_utf8_offset(doc->text, dl, (size_t)src->end_cp);
            char *ls = norm_of(doc->text, a, b);
            assert_true(src->draft_start >= sp->start && src->draft_end <= sp->end);
            char *ds = norm_of(draft, src->draft_start, src->draft_end);
            assert_string_equal(ls, ds);
            assert_true(sc_utf8_count(ls, strlen(ls)) >= min);
            free(ls);
            free(ds);
            /* the paragraph: the line holding the stretch */
            int64_t line = 0;
            for (size_t x = 0; x < a; x++)
                line += doc->text[x] == '\n';
            assert_int_equal(src->paragraph, line);
            int is_paid = doc->paid_from_cp >= 0 && src->end_cp > doc->paid_from_cp;
            assert_int_equal(src->paid, is_paid);
            assert_true(entitled || !is_paid); /* others see no paid stretch */
            T_PAID += is_paid;
            T_NONIDENT += memchr(doc->text + a, ' ', b - a) ||
                          memmem(doc->text + a, b - a, "\xe2\x80\x8b", 3);
            assert_non_null(src->text);
        }
        i = j;
    }
    if (k != r.nspans)
        fail_msg("%zu spans reported beyond the oracle's %zu (min %zu)", r.nspans - k, k, min);
    assert_int_equal(r.chars, sc_utf8_count(draft, len));
    assert_int_equal(r.copied, copied);
    assert_int_equal(r.common, ncommon);
    free(or.cov);
    free(or.holds);
    ck_draft_release(&d);
    sc_check_result_release(&r);
}

static void test_property(void **state)
{
    (void)state;
    static const size_t mins[] = { 5, 8, 13, 20 };
    for (size_t round = 0; round < 6; round++) {
        make_library();
        struct ckfix f;
        assert_int_equal(ckfix_build(&f, DOCS, NDOC, 1 + round % 3), 0);
        for (size_t t = 0; t < 50; t++) {
            size_t len;
            char *draft = make_draft(&len);
            check_one(&f, draft, len, mins[(round + t) % 4], 2 + t % 3, (int)(t % 2));
            free(draft);
        }
        ckfix_release(&f);
        free_library();
    }
    print_message("%zu spans (%zu in several documents, %zu pieced together, %zu with every "
                  "source), %zu paid sources, %zu paid-only documents, %zu across a dropped "
                  "character\n",
                  T_SPANS, T_MULTI, T_STITCHED, T_COMPLETE, T_PAID, T_PAID_ONLY, T_NONIDENT);
    assert_true(T_SPANS > 500 && T_MULTI > 50 && T_STITCHED > 10 && T_PAID > 10 &&
                T_PAID_ONLY > 10 &&
                T_NONIDENT > 10);
}

/* A draft that is one library paragraph and a repeat of it: one span per
 * line, both as long as the paragraph, with the document as source. */
static void test_exact_copy(void **state)
{
    (void)state;
    make_library();
    struct ckfix f;
    assert_int_equal(ckfix_build(&f, DOCS, NDOC, 2), 0);
    struct sc_buf b = SC_BUF_INIT;
    const char *p = PARA[3];
    sc_buf_adds(&b, "前言不搭后语的一句话\n");
    sc_buf_adds(&b, p);
    sc_buf_adds(&b, "\n");
    sc_buf_adds(&b, p);
    struct sc_check_opts o = { 13, 1000, 5, 1, NULL };
    struct sc_check_result r;
    assert_int_equal(ckfix_check(&f, b.data, b.len, &o, &r), SC_OK);
    assert_true(r.nspans >= 2);
    size_t first = strlen("前言不搭后语的一句话\n");
    int found = 0;
    for (size_t i = 0; i < r.nspans; i++)
        found += r.spans[i].start == first || r.spans[i].start == first + strlen(p) + 1;
    assert_int_equal(found, 2);
    assert_true(r.overlap > 0.5);
    sc_check_result_release(&r);
    /* nothing of a text the library does not have */
    assert_int_equal(ckfix_check(&f, "完全不相干的文字内容没有重复",
                                 strlen("完全不相干的文字内容没有重复"), &o, &r),
                     SC_OK);
    assert_int_equal(r.nspans, 0);
    assert_true(r.overlap == 0.0);
    sc_check_result_release(&r);
    /* an empty draft */
    assert_int_equal(ckfix_check(&f, "", 0, &o, &r), SC_OK);
    assert_int_equal(r.nspans, 0);
    assert_int_equal(r.chars, 0);
    sc_check_result_release(&r);
    sc_buf_release(&b);
    ckfix_release(&f);
    free_library();
}

/* The draft from a file's bytes: UTF-8 as it is (CRLF and a BOM kept, so
 * offsets are the file's), other encodings converted, refusals. */
static void test_draft(void **state)
{
    (void)state;
    struct sc_buf out = SC_BUF_INIT;
    struct sc_diag d = { 0 };
    const char crlf[] = "\xef\xbb\xbf第一段\r\n第二段";
    assert_int_equal(sc_check_draft("a.txt", crlf, sizeof crlf - 1, &out, &d), SC_OK);
    assert_int_equal(out.len, sizeof crlf - 1);
    assert_memory_equal(out.data, crlf, out.len);
    /* GBK: converted */
    const char gbk[] = "\xb7\xa2\xd5\xb9\xb8\xc4\xb8\xef\xb9\xa4\xd7\xf7\xcd\xc6\xbd\xf8"
                       "\xc8\xab\xc3\xe6\xbc\xd3\xc7\xbf";
    assert_int_equal(sc_check_draft("b.txt", gbk, sizeof gbk - 1, &out, &d), SC_OK);
    assert_string_equal(out.data, "发展改革工作推进全面加强");
    /* empty, blank, binary: refused as import refuses them */
    d = (struct sc_diag){ 0 };
    assert_int_equal(sc_check_draft("c.txt", "", 0, &out, &d), SC_EPARSE);
    assert_non_null(strstr(d.msg, "empty"));
    assert_int_equal(out.len, 0);
    d = (struct sc_diag){ 0 };
    assert_int_equal(sc_check_draft("c.txt", " \n\t ", 4, &out, &d), SC_EPARSE);
    d = (struct sc_diag){ 0 };
    assert_int_equal(sc_check_draft("d.txt", "ab\0cd", 5, &out, &d), SC_EPARSE);
    assert_non_null(strstr(d.msg, "binary"));
    d = (struct sc_diag){ 0 };
    assert_int_equal(sc_check_draft("e.pdf", "%PDF-1.4 xxxxxxxx", 17, &out, &d), SC_EUNSUPPORTED);
    /* too long */
    struct sc_buf big = SC_BUF_INIT;
    for (size_t i = 0; i <= SC_CHECK_MAX_CHARS; i++)
        sc_buf_adds(&big, "字");
    d = (struct sc_diag){ 0 };
    assert_int_equal(sc_check_draft("f.txt", big.data, big.len, &out, &d), SC_ELIMIT);
    assert_non_null(strstr(d.msg, "200000"));
    assert_int_equal(out.len, 0);
    sc_buf_release(&big);
    sc_buf_release(&out);
}

/* The JSON: code points, not bytes; the contract's names. */
static void test_json(void **state)
{
    (void)state;
    make_library();
    struct ckfix f;
    assert_int_equal(ckfix_build(&f, DOCS, NDOC, 1), 0);
    struct sc_buf b = SC_BUF_INIT;
    sc_buf_adds(&b, "𠮷前言\n");
    sc_buf_adds(&b, PARA[5]);
    struct sc_check_opts o = { 13, 50, 3, 0, NULL };
    struct sc_check_result r;
    assert_int_equal(ckfix_check(&f, b.data, b.len, &o, &r), SC_OK);
    assert_true(r.nspans >= 1);
    struct sc_buf js = SC_BUF_INIT;
    struct sc_jw w;
    sc_jw_init(&w, &js);
    sc_check_json(&w, b.data, b.len, &r, &o, SC_CHECK_JSON_TEXT);
    assert_int_equal(sc_jw_finish(&w), SC_OK);
    struct sc_json j;
    assert_int_equal(sc_json_parse(&j, js.data, js.len, 100000, NULL), SC_OK);
    const struct sc_json_node *root = sc_json_root(&j);
    int64_t chars, start;
    assert_int_equal(sc_json_int(sc_json_get(&j, root, "chars"), 0, 1 << 30, &chars), 0);
    assert_int_equal(chars, (int64_t)sc_utf8_count(b.data, b.len));
    assert_non_null(sc_json_get(&j, root, "overlap"));
    assert_non_null(sc_json_get(&j, root, "sections"));
    const struct sc_json_node *spans = sc_json_get(&j, root, "spans");
    assert_non_null(spans);
    const struct sc_json_node *s0 = sc_json_first(&j, spans);
    assert_non_null(s0);
    assert_int_equal(sc_json_int(sc_json_get(&j, s0, "start"), 0, 1 << 30, &start), 0);
    /* the span starts after "𠮷前言\n": 4 code points, 11 bytes */
    assert_true((size_t)start == sc_utf8_count(b.data, r.spans[0].start));
    assert_true(start >= 4);
    const char *keys[] = { "end", "common", "docs", "sources" };
    for (size_t i = 0; i < 4; i++)
        assert_non_null(sc_json_get(&j, s0, keys[i]));
    const struct sc_json_node *src = sc_json_first(&j, sc_json_get(&j, s0, "sources"));
    assert_non_null(src);
    const char *skeys[] = { "id", "title", "paragraph", "section", "start", "end", "paid" };
    for (size_t i = 0; i < 7; i++)
        assert_non_null(sc_json_get(&j, src, skeys[i]));
    size_t tl;
    const char *txt = sc_json_string(&j, sc_json_get(&j, root, "text"), &tl);
    assert_non_null(txt);
    assert_int_equal(tl, b.len);
    sc_json_release(&j);
    sc_buf_release(&js);
    sc_check_result_release(&r);
    sc_buf_release(&b);
    ckfix_release(&f);
    free_library();
}

/* Coverage of draft a by draft b, brute force: the oracle of
 * sc_check_compare. */
static uint8_t *cover_by(const struct ck_draft *a, const struct ck_draft *b, size_t min)
{
    uint8_t *cov = calloc(a->n + 1, 1);
    uint32_t *prev = calloc(a->n + 1, sizeof *prev), *cur = calloc(a->n + 1, sizeof *cur);
    assert_non_null(cov);
    assert_non_null(prev);
    assert_non_null(cur);
    for (size_t j = 0; j < b->n; j++) {
        for (size_t i = 0; i < a->n; i++) {
            uint32_t v = a->cp[i] == b->cp[j] && a->cp[i] != '\n' ? (i ? prev[i - 1] : 0) + 1 : 0;
            cur[i] = v;
            if (v >= min)
                memset(cov + i + 1 - v, 1, v);
        }
        uint32_t *t = prev;
        prev = cur;
        cur = t;
    }
    free(prev);
    free(cur);
    return cov;
}

static void test_compare(void **state)
{
    (void)state;
    make_library();
    size_t checked = 0;
    for (size_t t = 0; t < 60; t++) {
        size_t la, lb, min = t % 2 ? 13 : 6;
        char *a = make_draft(&la), *b0 = make_draft(&lb);
        /* the second draft takes passages of the first, some edited */
        struct sc_buf bb = SC_BUF_INIT;
        sc_buf_add(&bb, b0, lb);
        size_t na = sc_utf8_count(a, la);
        for (int k = 0; k < 3 && na; k++) {
            size_t s0 = rnd((uint32_t)na), n = 1 + rnd((uint32_t)(na - s0));
            if (rnd(2))
                add_cps(&bb, a, s0, n);
            else
                add_perturbed(&bb, a, s0, n);
            sc_buf_addc(&bb, '\n');
        }
        free(b0);
        char *b = sc_buf_take(&bb, &lb);
        struct sc_check_opts o = { min, 0, 100, 0, NULL };
        struct sc_check_result ra, rb;
        assert_int_equal(sc_check_compare(a, la, b, lb, &o, "甲稿", "乙稿", &ra, &rb, NULL), SC_OK);
        struct ck_draft da, db;
        assert_int_equal(ck_draft_init(&da, a, la), SC_OK);
        assert_int_equal(ck_draft_init(&db, b, lb), SC_OK);
        for (int side = 0; side < 2; side++) {
            const struct ck_draft *x = side ? &db : &da, *y = side ? &da : &db;
            const struct sc_check_result *r = side ? &rb : &ra;
            uint8_t *cov = cover_by(x, y, min);
            size_t k = 0;
            for (size_t i = 0; i < x->n;) {
                if (!cov[i]) {
                    i++;
                    continue;
                }
                size_t j = i;
                while (j < x->n && cov[j])
                    j++;
                assert_true(k < r->nspans);
                const struct sc_check_span *sp = &r->spans[k++];
                assert_int_equal(sp->start, x->obyte[i]);
                assert_true(sp->nsources >= 1);
                const struct sc_check_source *src = &sp->sources[0];
                assert_string_equal(src->title, side ? "甲稿" : "乙稿");
                size_t s0 = sc_utf8_offset(y->text, y->len, (size_t)src->start_cp);
                size_t s1 = sc_utf8_offset(y->text, y->len, (size_t)src->end_cp);
                char *ls = norm_of(y->text, s0, s1),
                     *ds = norm_of(x->text, src->draft_start, src->draft_end);
                assert_string_equal(ls, ds);
                assert_memory_equal(y->text + s0, src->text, s1 - s0);
                free(ls);
                free(ds);
                assert_int_equal(sp->common, 0);
                checked++;
                i = j;
            }
            assert_int_equal(k, r->nspans);
            free(cov);
        }
        ck_draft_release(&da);
        ck_draft_release(&db);
        sc_check_result_release(&ra);
        sc_check_result_release(&rb);
        free(a);
        free(b);
    }
    assert_true(checked > 50);
    /* a draft with itself: one span per paragraph that is long enough */
    const char *self = "发展改革工作推进全面加强建设\n短句";
    struct sc_check_result r;
    struct sc_check_opts o = { 0 };
    assert_int_equal(
        sc_check_compare(self, strlen(self), self, strlen(self), &o, NULL, NULL, &r, NULL, NULL),
        SC_OK);
    assert_int_equal(r.nspans, 1);
    assert_int_equal(r.spans[0].start, 0);
    assert_int_equal(r.spans[0].end, strlen("发展改革工作推进全面加强建设"));
    sc_check_result_release(&r);
    /* refusals name the draft */
    struct sc_diag d = { 0 };
    assert_int_equal(sc_check_compare("a\xff", 2, "b", 1, &o, NULL, NULL, &r, NULL, &d), SC_EPARSE);
    assert_non_null(strstr(d.msg, "draft 1"));
    d = (struct sc_diag){ 0 };
    o.min = 3;
    assert_int_equal(sc_check_compare("a", 1, "b", 1, &o, NULL, NULL, &r, NULL, &d), SC_EINVAL);
    assert_non_null(strstr(d.msg, "--min"));
    free_library();
}

/* The report as a .docx: a package import can read back, with the draft's
 * text and the rate in it. */
static void test_docx(void **state)
{
    (void)state;
    make_library();
    struct ckfix f;
    assert_int_equal(ckfix_build(&f, DOCS, NDOC, 2), 0);
    struct sc_buf b = SC_BUF_INIT;
    sc_buf_adds(&b, "报告<标题>&\n");
    sc_buf_adds(&b, PARA[2]);
    sc_buf_adds(&b, "\n");
    sc_buf_adds(&b, PARA[7]);
    struct sc_check_opts o = { 8, 2, 3, 0, NULL };
    struct sc_check_result r;
    assert_int_equal(ckfix_check(&f, b.data, b.len, &o, &r), SC_OK);
    assert_true(r.nspans >= 2);
    struct sc_buf doc = SC_BUF_INIT;
    assert_int_equal(sc_check_docx(b.data, b.len, &r, "稿件", &doc, NULL), SC_OK);
    struct sc_ingested in;
    sc_ingested_init(&in);
    struct sc_diag d = { 0 };
    assert_int_equal(sc_ingest_bytes("report.docx", doc.data, doc.len, &in, &d), SC_OK);
    assert_non_null(strstr(in.text.data, "查重报告：稿件"));
    assert_non_null(strstr(in.text.data, "报告<标题>&"));
    assert_non_null(strstr(in.text.data, "总重复率"));
    sc_ingested_release(&in);
    sc_buf_release(&doc);
    sc_check_result_release(&r);
    sc_buf_release(&b);
    ckfix_release(&f);
    free_library();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_property), cmocka_unit_test(test_exact_copy),
        cmocka_unit_test(test_draft),    cmocka_unit_test(test_json),
        cmocka_unit_test(test_compare),  cmocka_unit_test(test_docx),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
