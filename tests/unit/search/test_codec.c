/*
 * Index codecs: Rice and gamma codes round-trip (including long unary
 * runs), varints, and posting lists written by the segment builder read
 * back through cursors with seeks across skip blocks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "search_fixture.h"

static void test_bits(void **state)
{
    (void)state;
    struct sc_bitw w = {0};
    uint64_t vals[] = {0, 1, 2, 3, 7, 8, 100, 1000, 65535, 1u << 20, 5000000};
    size_t n = sizeof vals / sizeof vals[0];
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += vals[i];
    /* the room the writers assume: Rice bounds, 64 bits a gamma code */
    size_t room = 16;
    for (unsigned k = 0; k < 12; k += 3)
        room += sc_rice_bits_max(sum, n, k) / 8 + 1;
    assert_int_equal(sc_bitw_room(&w, room + n * 8), 0);
    for (unsigned k = 0; k < 12; k += 3)
        for (size_t i = 0; i < n; i++)
            sc_bitw_rice(&w, vals[i], k);
    for (size_t i = 0; i < n; i++)
        sc_bitw_gamma(&w, vals[i] + 1);
    uint64_t nbits = sc_bitw_bits(&w);
    sc_bitw_flush(&w);
    assert_int_equal(w.len, (nbits + 7) / 8);
    sc_bitw_bytes(&w, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
    assert_int_equal(w.err, 0);
    struct sc_bitr r = {w.p, 0, (w.len - 16) * 8};
    for (unsigned k = 0; k < 12; k += 3)
        for (size_t i = 0; i < n; i++)
            assert_int_equal(sc_bitr_rice(&r, k), vals[i]);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(sc_bitr_gamma(&r), vals[i] + 1);
    assert_int_equal(r.pos, nbits);
    sc_bitw_release(&w);

    struct sc_buf v = SC_BUF_INIT;
    uint64_t vv[] = {0, 127, 128, 300, UINT64_MAX};
    for (size_t i = 0; i < 5; i++)
        sc_varint_put(&v, vv[i]);
    const uint8_t *p = (const uint8_t *)v.data, *end = p + v.len;
    for (size_t i = 0; i < 5; i++) {
        uint64_t x;
        size_t k = sc_varint_get(p, end, &x);
        assert_true(k > 0);
        assert_int_equal(x, vv[i]);
        p += k;
    }
    uint64_t x;
    assert_int_equal(sc_varint_get((const uint8_t *)"\x80\x80", (const uint8_t *)"\x80\x80" + 2, &x),
                     0);
    sc_buf_release(&v);
    assert_int_equal(sc_rice_k(0, 0), 0);
    assert_int_equal(sc_rice_k(1000, 1), 9);
}

/* 700 docs, "乙甲" in every third one at positions depending on the doc. */
static void test_cursors(void **state)
{
    (void)state;
    enum { N = 700 };
    static struct sc_doc docs[N];
    static char texts[N][64];
    for (int i = 0; i < N; i++) {
        memset(&docs[i], 0, sizeof docs[i]);
        if (i % 3 == 0)
            snprintf(texts[i], sizeof texts[i], "t\n%.*s乙甲x乙甲", i % 7, "xxxxxxx");
        else
            snprintf(texts[i], sizeof texts[i], "t\n甲乙");
        docs[i].id = i + 1;
        docs[i].title = (char *)"t";
        docs[i].text = texts[i];
        docs[i].text_len = strlen(texts[i]);
        docs[i].paid_from_cp = -1;
    }
    struct fixture f;
    assert_int_equal(fixture_build(&f, docs, N, 1), 0);
    const struct sc_seg *seg = f.snap->segs[0];
    int64_t e = sc_seg_find(seg, sc_pair_key(0x4E59, 0x7532)); /* 乙甲 */
    assert_true(e >= 0);
    assert_int_equal(seg->dict[e].ndocs, (N + 2) / 3);
    struct sc_pcur c;
    assert_int_equal(sc_pcur_init(&c, seg, (size_t)e), SC_OK);
    /* seek forward over skip blocks, reading positions on some docs only */
    for (uint32_t target = 0; target < N; target += 37) {
        assert_true(sc_pcur_seek(&c, target));
        assert_int_equal(c.doc % 3, 0);
        assert_true(c.doc >= target && c.doc < target + 3);
        assert_int_equal(c.tf, 2);
        if (target % 2) {
            uint32_t p[2];
            sc_pcur_positions(&c, p);
            assert_int_equal(p[0], 2 + c.doc % 7);
            assert_int_equal(p[1], 5 + c.doc % 7);
        }
    }
    assert_false(sc_pcur_seek(&c, N + 5));
    /* a fresh cursor reading everything */
    assert_int_equal(sc_pcur_init(&c, seg, (size_t)e), SC_OK);
    uint32_t n = 0;
    while (sc_pcur_next(&c)) {
        uint32_t p[2];
        sc_pcur_positions(&c, p);
        assert_int_equal(c.doc, n * 3);
        assert_int_equal(p[0], 2 + c.doc % 7);
        n++;
    }
    assert_int_equal(n, (N + 2) / 3);
    fixture_release(&f);
}

static void test_damaged(void **state)
{
    (void)state;
    char path[] = "/tmp/sucai-seg-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "SCIDX002 but nothing else follows here......................", 60),
                     60);
    close(fd);
    struct sc_seg *seg;
    struct sc_diag d = {0};
    assert_int_equal(sc_seg_open(path, &seg, &d), SC_EPARSE);
    assert_non_null(strstr(d.msg, "damaged"));
    unlink(path);
    assert_int_equal(sc_seg_open("/nonexistent/x.sx", &seg, NULL), SC_EIO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bits),
        cmocka_unit_test(test_cursors),
        cmocka_unit_test(test_damaged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
