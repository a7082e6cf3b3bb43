/*
 * Unit tests for lib/base/bigmem.c: the index builder's large arrays.
 * Growing keeps the contents and gives zero bytes past them (the hash
 * table relies on it), an empty request still gives a pointer, and an
 * impossible one fails without touching the array.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/bigmem.h"

static void empty_and_small(void **state)
{
    (void)state;
    struct sc_big b = SC_BIG_INIT;
    assert_int_equal(sc_big_reserve(&b, 0, 1), 0);
    assert_non_null(b.p);
    assert_int_equal(sc_big_reserve(&b, 100, 1), 0);
    assert_true(b.cap >= 100);
    const unsigned char *p = b.p;
    for (size_t i = 0; i < 100; i++)
        assert_int_equal(p[i], 0);
    sc_big_release(&b);
    assert_null(b.p);
    assert_int_equal(b.cap, 0);
    sc_big_release(&b); /* twice is harmless */
}

static void grow_keeps_contents(void **state)
{
    (void)state;
    struct sc_big b = SC_BIG_INIT;
    /* from below a huge page to well above it, and again */
    size_t sizes[] = {1000, 1u << 20, 3u << 20, 40u << 20};
    size_t filled = 0;
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        assert_int_equal(sc_big_reserve_n(&b, sizes[k], sizeof(uint32_t), 1), 0);
        assert_true(b.cap >= sizes[k] * sizeof(uint32_t));
        uint32_t *a = b.p;
        for (size_t i = 0; i < filled; i++)
            assert_int_equal(a[i], (uint32_t)(i * 2654435761u));
        for (size_t i = filled; i < sizes[k]; i++) {
            assert_int_equal(a[i], 0); /* new bytes are zero */
            a[i] = (uint32_t)(i * 2654435761u);
        }
        filled = sizes[k];
    }
    /* a smaller request keeps what is there */
    void *before = b.p;
    assert_int_equal(sc_big_reserve(&b, 16, 0), 0);
    assert_ptr_equal(b.p, before);
    sc_big_release(&b);
}

static void impossible_request(void **state)
{
    (void)state;
    struct sc_big b = SC_BIG_INIT;
    assert_int_equal(sc_big_reserve(&b, 64, 1), 0);
    void *p = b.p;
    size_t cap = b.cap;
    memset(p, 7, 64);
    assert_int_equal(sc_big_reserve_n(&b, SIZE_MAX / 2, 4, 1), -1); /* overflows */
    assert_int_equal(sc_big_reserve(&b, SIZE_MAX - 10, 1), -1);
    assert_ptr_equal(b.p, p);
    assert_int_equal(b.cap, cap);
    assert_int_equal(((unsigned char *)b.p)[63], 7);
    sc_big_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_and_small),
        cmocka_unit_test(grow_keeps_contents),
        cmocka_unit_test(impossible_request),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
