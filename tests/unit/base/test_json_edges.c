/*
 * The JSON writer at its edges: whole numbers written without printf (the
 * extremes, zero, negatives), strings copied whole when nothing needs
 * escaping and escaped when something does, in the same bytes either way.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sucai/json.h"

#include <stdio.h>
#include <string.h>

static void whole_numbers(void **state)
{
    (void)state;
    static const int64_t v[] = { 0, 1, -1, 9, 10, -10, 1234567890123, INT64_MAX, INT64_MIN };
    struct sc_buf b = SC_BUF_INIT;
    struct sc_jw w;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        sc_buf_reset(&b);
        sc_jw_init(&w, &b);
        sc_jw_int(&w, v[i]);
        assert_int_equal(sc_jw_finish(&w), SC_OK);
        char want[32];
        snprintf(want, sizeof want, "%lld", (long long)v[i]);
        assert_string_equal(b.data, want);
    }
    sc_buf_reset(&b);
    sc_jw_init(&w, &b);
    sc_jw_arr(&w, SC_JW_INLINE);
    sc_jw_int(&w, -5);
    sc_jw_int(&w, 70);
    sc_jw_arr_end(&w);
    assert_string_equal(b.data, "[-5, 70]");
    sc_buf_release(&b);
}

static void strings_plain_and_escaped(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        size_t len;
        const char *out;
    } cases[] = {
        { "", 0, "\"\"" },
        { "依法行政 abc", 16, "\"依法行政 abc\"" },
        { "a\"b", 3, "\"a\\\"b\"" },
        { "依法\\", 7, "\"依法\\\\\"" },
        { "x\ny\t\x01", 5, "\"x\\ny\\t\\u0001\"" },
        { "ok\xFF!", 4, "\"ok\xEF\xBF\xBD!\"" },
        { "\xE4\xBE", 2, "\"\xEF\xBF\xBD\xEF\xBF\xBD\"" },
        { "a\0b", 3, "\"a\\u0000b\"" },
    };
    struct sc_buf b = SC_BUF_INIT;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sc_buf_reset(&b);
        sc_json_str(&b, cases[i].in, cases[i].len);
        assert_string_equal(b.data, cases[i].out);
        assert_int_equal(b.len, strlen(cases[i].out));
    }
    /* appended after what the buffer holds */
    sc_buf_reset(&b);
    sc_buf_adds(&b, "[");
    sc_json_str(&b, "甲", 3);
    assert_string_equal(b.data, "[\"甲\"");
    /* a full buffer stays failed and unchanged */
    struct sc_buf small = SC_BUF_INIT;
    small.max = 4;
    sc_json_str(&small, "abcdef", 6);
    assert_int_equal(sc_buf_err(&small), SC_ENOMEM);
    sc_buf_release(&small);
    sc_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(whole_numbers),
        cmocka_unit_test(strings_plain_and_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
