/*
 * Unit tests for lib/base: struct sc_buf, UTF-8 helpers, JSON escaping,
 * diagnostics and file reading.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sucai/base.h"

static void assert_buf_invariants(const struct sc_buf *b)
{
    assert_non_null(b->data);
    assert_int_equal(b->data[b->len], '\0');
}

static void buf_append_and_take(void **state)
{
    (void)state;
    struct sc_buf b = SC_BUF_INIT;
    assert_buf_invariants(&b);
    sc_buf_adds(&b, "政府");
    sc_buf_addc(&b, '-');
    sc_buf_addf(&b, "%d年%s", 2023, "工作总结");
    sc_buf_add_cp(&b, 0x3002); /* 。 */
    assert_buf_invariants(&b);
    assert_string_equal(b.data, "政府-2023年工作总结。");
    size_t len;
    char *p = sc_buf_take(&b, &len);
    assert_int_equal(len, strlen("政府-2023年工作总结。"));
    assert_string_equal(p, "政府-2023年工作总结。");
    free(p);
    assert_buf_invariants(&b);
    assert_int_equal(b.len, 0);
    sc_buf_release(&b);
}

static void buf_grows_past_small_format(void **state)
{
    (void)state;
    struct sc_buf b = SC_BUF_INIT;
    char big[1000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    sc_buf_addf(&b, "[%s]", big);
    assert_int_equal(b.len, 1001);
    assert_int_equal(b.data[0], '[');
    assert_int_equal(b.data[1000], ']');
    assert_buf_invariants(&b);
    sc_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_buf_invariants(&b);
    sc_buf_release(&b);
}

static void buf_max_fails_and_sticks(void **state)
{
    (void)state;
    struct sc_buf b = SC_BUF_INIT;
    b.max = 8;
    sc_buf_adds(&b, "12345678");
    assert_int_equal(sc_buf_err(&b), SC_OK);
    sc_buf_adds(&b, "9");
    assert_int_equal(sc_buf_err(&b), SC_ENOMEM);
    sc_buf_adds(&b, "a"); /* no-op once failed */
    assert_int_equal(b.len, 8);
    assert_null(sc_buf_take(&b, NULL)); /* a failed buffer gives nothing */
    sc_buf_release(&b);
}

static void utf8_decode_encode(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t n;
        uint32_t cp;
    } cases[] = {
        { "A", 1, 'A' },
        { "\xC2\xA0", 2, 0xA0 },
        { "政", 3, 0x653F },
        { "\xF0\xA0\x80\x80", 4, 0x20000 },
        { "\xC0\x80", 0, 0xFFFD },         /* overlong */
        { "\xED\xA0\x80", 0, 0xFFFD },     /* surrogate */
        { "\xE6\x94", 0, 0xFFFD },         /* truncated */
        { "\xFF", 0, 0xFFFD },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t cp;
        size_t n = sc_utf8_decode(cases[i].s, strlen(cases[i].s), &cp);
        assert_int_equal(n, cases[i].n);
        assert_int_equal(cp, cases[i].cp);
        if (n) {
            char out[4];
            assert_int_equal(sc_utf8_encode(cp, out), n);
            assert_memory_equal(out, cases[i].s, n);
        }
    }
    size_t bad = 0;
    assert_true(sc_utf8_valid("政府工作", 12, &bad));
    assert_false(sc_utf8_valid("政府\xFF工作", 13, &bad));
    assert_int_equal(bad, 6);
    assert_int_equal(sc_utf8_count("政府ab", 8), 4);
    assert_int_equal(sc_utf8_offset("政府ab", 8, 2), 6);
    assert_int_equal(sc_utf8_offset("政府ab", 8, 99), 8);
    assert_true(sc_is_cjk(0x653F));
    assert_false(sc_is_cjk(0x3002)); /* 。 is punctuation */
}

static void json_escaping(void **state)
{
    (void)state;
    struct sc_buf b = SC_BUF_INIT;
    sc_json_str(&b, "a\"b\\c\n\t\x01政", 11);
    assert_string_equal(b.data, "\"a\\\"b\\\\c\\n\\t\\u0001政\"");
    sc_buf_reset(&b);
    sc_json_str(&b, "x\xFFy", 3); /* invalid byte -> U+FFFD, still valid JSON */
    assert_string_equal(b.data, "\"x\xEF\xBF\xBDy\"");
    sc_buf_reset(&b);
    sc_json_strz(&b, NULL);
    assert_string_equal(b.data, "null");
    sc_buf_release(&b);
}

static void diag_keeps_first_error(void **state)
{
    (void)state;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_diag_set(&d, SC_EPARSE, "bad at %d", 3), SC_EPARSE);
    sc_diag_set(&d, SC_EIO, "second");
    assert_int_equal(d.err, SC_EPARSE);
    assert_string_equal(d.msg, "bad at 3");
    assert_int_equal(sc_diag_set(NULL, SC_EIO, "ignored"), SC_EIO);
    assert_int_equal(sc_err_exit_code(SC_OK), 0);
    assert_int_equal(sc_err_exit_code(SC_EPARSE), 1);
    assert_int_equal(sc_err_exit_code(SC_ESTORE), 2);
    assert_string_equal(sc_strerror(SC_ENOMEM), "out of memory");
}

static void read_file_limits(void **state)
{
    (void)state;
    char path[] = "/tmp/sucai-test-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "0123456789", 10), 10);
    close(fd);
    char *data;
    size_t len;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_read_file(path, 100, &data, &len, &d), SC_OK);
    assert_int_equal(len, 10);
    assert_memory_equal(data, "0123456789", 10);
    free(data);
    assert_int_equal(sc_read_file(path, 5, &data, &len, &d), SC_ELIMIT);
    assert_non_null(strstr(d.msg, "limit"));
    assert_null(data);
    unlink(path);
    sc_diag_clear(&d);
    assert_int_equal(sc_read_file(path, 100, &data, &len, &d), SC_EIO);
    assert_non_null(strstr(d.msg, "No such file"));
    sc_diag_clear(&d);
    assert_int_equal(sc_read_file("/tmp", 100, &data, &len, &d), SC_EIO);
    assert_non_null(strstr(d.msg, "directory"));
}

static void sha256_known_value(void **state)
{
    (void)state;
    char hex[65];
    sc_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sc_sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    /* FIPS 180-2's long message: a million 'a' (many blocks) */
    char *a = malloc(1000000);
    assert_non_null(a);
    memset(a, 'a', 1000000);
    sc_sha256_hex(a, 1000000, hex);
    free(a);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_append_and_take),
        cmocka_unit_test(buf_grows_past_small_format),
        cmocka_unit_test(buf_max_fails_and_sticks),
        cmocka_unit_test(utf8_decode_encode),
        cmocka_unit_test(json_escaping),
        cmocka_unit_test(diag_keeps_first_error),
        cmocka_unit_test(read_file_limits),
        cmocka_unit_test(sha256_known_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
