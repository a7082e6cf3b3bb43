/*
 * Unit tests for lib/base/json.c: the writer (layout, separators, misuse,
 * allocation failure) and the reader (values, escapes, limits, errors),
 * and a round trip of one through the other.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sucai/json.h"

static void writer_inline(void **state)
{
    (void)state;
    struct sc_buf b = SC_BUF_INIT;
    struct sc_jw w;
    sc_jw_init(&w, &b);
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_jw_kint(&w, "total", 3);
    sc_jw_knum(&w, "took_ms", 0.1234, 3);
    sc_jw_kstrz(&w, "title", "政府\"工作\"报告");
    sc_jw_kstrz(&w, "unit", NULL);
    sc_jw_kbool(&w, "paid", 1);
    sc_jw_key(&w, "hits");
    sc_jw_arr(&w, SC_JW_INLINE);
    sc_jw_int(&w, 1);
    sc_jw_int(&w, -2);
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_jw_obj_end(&w);
    sc_jw_arr(&w, SC_JW_INLINE);
    sc_jw_arr_end(&w);
    sc_jw_arr_end(&w);
    sc_jw_key(&w, "topics");
    sc_jw_raw(&w, "[\"食品安全\"]", strlen("[\"食品安全\"]"));
    sc_jw_knum(&w, "nan", NAN, 2);
    sc_jw_knull(&w, "none");
    sc_jw_obj_end(&w);
    assert_int_equal(sc_jw_finish(&w), SC_OK);
    assert_string_equal(b.data, "{\"total\": 3, \"took_ms\": 0.123, \"title\": "
                                "\"政府\\\"工作\\\"报告\", \"unit\": null, \"paid\": true, "
                                "\"hits\": [1, -2, {}, []], \"topics\": [\"食品安全\"], "
                                "\"nan\": null, \"none\": null}");
    sc_buf_release(&b);
}

/* The golden-file layout: containers opened with SC_JW_LINES put each item
 * on its own line, two spaces per level; empty ones stay "[]". */
static void writer_lines(void **state)
{
    (void)state;
    struct sc_buf b = SC_BUF_INIT;
    struct sc_jw w;
    sc_jw_init(&w, &b);
    sc_jw_obj(&w, SC_JW_LINES);
    sc_jw_kbool(&w, "is_compilation", 0);
    sc_jw_key(&w, "articles");
    sc_jw_arr(&w, SC_JW_LINES);
    sc_jw_obj(&w, SC_JW_LINES);
    sc_jw_kstrz(&w, "title", "一");
    sc_jw_key(&w, "sections");
    sc_jw_arr(&w, SC_JW_LINES);
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_jw_kint(&w, "level", 1);
    sc_jw_kint(&w, "start", 5);
    sc_jw_obj_end(&w);
    sc_jw_arr_end(&w);
    sc_jw_key(&w, "topics");
    sc_jw_arr(&w, SC_JW_LINES);
    sc_jw_arr_end(&w);
    sc_jw_obj_end(&w);
    sc_jw_arr_end(&w);
    sc_jw_obj_end(&w);
    assert_int_equal(sc_jw_finish(&w), SC_OK);
    assert_string_equal(b.data, "{\n"
                                "  \"is_compilation\": false,\n"
                                "  \"articles\": [\n"
                                "    {\n"
                                "      \"title\": \"一\",\n"
                                "      \"sections\": [\n"
                                "        {\"level\": 1, \"start\": 5}\n"
                                "      ],\n"
                                "      \"topics\": []\n"
                                "    }\n"
                                "  ]\n"
                                "}");
    sc_buf_release(&b);
}

static void writer_rows(void **state)
{
    (void)state;
    struct sc_buf b = SC_BUF_INIT;
    struct sc_jw w;
    sc_jw_init(&w, &b);
    sc_jw_arr(&w, SC_JW_ROWS);
    for (int i = 1; i <= 2; i++) {
        sc_jw_obj(&w, SC_JW_TIGHT);
        sc_jw_kint(&w, "id", i);
        sc_jw_kstrz(&w, "user", i == 1 ? "amy" : NULL);
        sc_jw_key(&w, "roles");
        sc_jw_arr(&w, SC_JW_TIGHT);
        sc_jw_strz(&w, "editor");
        sc_jw_strz(&w, "admin");
        sc_jw_arr_end(&w);
        sc_jw_obj_end(&w);
    }
    sc_jw_arr_end(&w);
    assert_int_equal(sc_jw_finish(&w), SC_OK);
    assert_string_equal(b.data, "[{\"id\":1,\"user\":\"amy\",\"roles\":[\"editor\",\"admin\"]},\n"
                                " {\"id\":2,\"user\":null,\"roles\":[\"editor\",\"admin\"]}]");
    sc_buf_reset(&b);
    sc_jw_init(&w, &b);
    sc_jw_arr(&w, SC_JW_ROWS);
    sc_jw_arr_end(&w);
    assert_int_equal(sc_jw_finish(&w), SC_OK);
    assert_string_equal(b.data, "[]");
    sc_buf_release(&b);
}

static enum sc_err misuse(void (*f)(struct sc_jw *))
{
    struct sc_buf b = SC_BUF_INIT;
    struct sc_jw w;
    sc_jw_init(&w, &b);
    f(&w);
    enum sc_err e = sc_jw_finish(&w);
    sc_buf_release(&b);
    return e;
}

static void m_value_without_key(struct sc_jw *w)
{
    sc_jw_obj(w, SC_JW_INLINE);
    sc_jw_int(w, 1);
    sc_jw_obj_end(w);
}

static void m_key_in_array(struct sc_jw *w)
{
    sc_jw_arr(w, SC_JW_INLINE);
    sc_jw_key(w, "a");
    sc_jw_arr_end(w);
}

static void m_two_keys(struct sc_jw *w)
{
    sc_jw_obj(w, SC_JW_INLINE);
    sc_jw_key(w, "a");
    sc_jw_key(w, "b");
    sc_jw_int(w, 1);
    sc_jw_obj_end(w);
}

static void m_dangling_key(struct sc_jw *w)
{
    sc_jw_obj(w, SC_JW_INLINE);
    sc_jw_key(w, "a");
    sc_jw_obj_end(w);
}

static void m_unclosed(struct sc_jw *w)
{
    sc_jw_arr(w, SC_JW_INLINE);
}

static void m_wrong_close(struct sc_jw *w)
{
    sc_jw_arr(w, SC_JW_INLINE);
    sc_jw_obj_end(w);
}

static void m_too_deep(struct sc_jw *w)
{
    for (int i = 0; i <= SC_JSON_MAX_DEPTH; i++)
        sc_jw_arr(w, SC_JW_INLINE);
    for (int i = 0; i <= SC_JSON_MAX_DEPTH; i++)
        sc_jw_arr_end(w);
}

static void m_bad_decimals(struct sc_jw *w)
{
    sc_jw_num(w, 1.5, 12);
}

static void writer_misuse(void **state)
{
    (void)state;
    assert_int_equal(misuse(m_value_without_key), SC_EINVAL);
    assert_int_equal(misuse(m_key_in_array), SC_EINVAL);
    assert_int_equal(misuse(m_two_keys), SC_EINVAL);
    assert_int_equal(misuse(m_dangling_key), SC_EINVAL);
    assert_int_equal(misuse(m_unclosed), SC_EINVAL);
    assert_int_equal(misuse(m_wrong_close), SC_EINVAL);
    assert_int_equal(misuse(m_too_deep), SC_EINVAL);
    assert_int_equal(misuse(m_bad_decimals), SC_EINVAL);
}

static void writer_buffer_limit(void **state)
{
    (void)state;
    struct sc_buf b = SC_BUF_INIT;
    b.max = 16;
    struct sc_jw w;
    sc_jw_init(&w, &b);
    sc_jw_arr(&w, SC_JW_INLINE);
    for (int i = 0; i < 100; i++)
        sc_jw_strz(&w, "一段很长的文字");
    sc_jw_arr_end(&w);
    assert_int_equal(sc_jw_finish(&w), SC_ENOMEM);
    sc_buf_release(&b);
}

static void reader_values(void **state)
{
    (void)state;
    const char *text = " {\"name\": \"vip1\", \"ids\": [1, 2.5, -3e2, true, false, null],"
                       " \"esc\": \"a\\n\\u00e9\\ud83d\\ude00\\\"\", \"\": {}} ";
    struct sc_json j;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_json_parse(&j, text, strlen(text), 0, &d), SC_OK);
    const struct sc_json_node *root = sc_json_root(&j);
    assert_non_null(root);
    assert_int_equal(root->type, SC_JSON_OBJ);
    assert_int_equal(root->nkids, 4);
    assert_null(sc_json_key(&j, root, NULL));
    size_t len;
    assert_string_equal(sc_json_string(&j, sc_json_get(&j, root, "name"), &len), "vip1");
    assert_int_equal(len, 4);
    assert_string_equal(sc_json_string(&j, sc_json_get(&j, root, "esc"), NULL),
                        "a\n\xC3\xA9\xF0\x9F\x98\x80\"");
    const struct sc_json_node *empty = sc_json_get(&j, root, "");
    assert_non_null(empty);
    assert_string_equal(sc_json_key(&j, empty, &len), "");
    assert_int_equal(len, 0);
    assert_null(sc_json_get(&j, root, "missing"));
    const struct sc_json_node *ids = sc_json_get(&j, root, "ids");
    enum sc_json_type want[] = { SC_JSON_NUM,  SC_JSON_NUM,   SC_JSON_NUM,
                                 SC_JSON_TRUE, SC_JSON_FALSE, SC_JSON_NULL };
    size_t k = 0;
    for (const struct sc_json_node *c = sc_json_first(&j, ids); c; c = sc_json_next(&j, c)) {
        assert_true(k < 6);
        assert_int_equal(c->type, want[k]);
        assert_null(sc_json_key(&j, c, NULL)); /* array items have no key */
        k++;
    }
    assert_int_equal(k, 6);
    int64_t v;
    const struct sc_json_node *c = sc_json_first(&j, ids);
    assert_int_equal(sc_json_int(c, 1, 10, &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(sc_json_int(c, 2, 10, &v), -1); /* below the range */
    c = sc_json_next(&j, c);
    assert_int_equal(sc_json_int(c, 0, 10, &v), -1); /* 2.5 is not whole */
    c = sc_json_next(&j, c);
    assert_int_equal(sc_json_int(c, -1000, 0, &v), 0);
    assert_int_equal(v, -300);
    assert_int_equal(sc_json_int(sc_json_next(&j, c), 0, 1, &v), -1); /* true */
    assert_null(sc_json_first(&j, sc_json_get(&j, root, "name")));
    sc_json_release(&j);
}

static void reader_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        enum sc_err err;
        const char *msg;
    } cases[] = {
        { "", SC_EPARSE, "unexpected end" },
        { "{\"a\" 1}", SC_EPARSE, "expected ':' at byte 6" },
        { "[1,]", SC_EPARSE, "unexpected character at byte 4" },
        { "[1] x", SC_EPARSE, "trailing characters at byte 5" },
        { "\"a\x01\"", SC_EPARSE, "control character" },
        { "\"\\ud800\"", SC_EPARSE, "unpaired surrogate" },
        { "\"\\u0000\"", SC_EPARSE, "NUL character" },
        { "\"\xff\"", SC_EPARSE, "invalid UTF-8" },
        { "01", SC_EPARSE, "trailing characters" },
        { "-", SC_EPARSE, "bad number" },
        { "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", SC_ELIMIT,
          "nested too deeply" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sc_json j;
        struct sc_diag d = { 0 };
        assert_int_equal(sc_json_parse(&j, cases[i].text, strlen(cases[i].text), 0, &d),
                         cases[i].err);
        if (!strstr(d.msg, cases[i].msg))
            fail_msg("case %zu: '%s' does not say '%s'", i, d.msg, cases[i].msg);
        sc_json_release(&j);
    }
    struct sc_json j;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_json_parse(&j, "[1, 2, 3]", 9, 3, &d), SC_ELIMIT); /* 4 nodes */
    assert_non_null(strstr(d.msg, "at most 3 values"));
    sc_json_release(&j);
    assert_int_equal(sc_json_parse(&j, "[1, 2]", 6, 3, NULL), SC_OK);
    sc_json_release(&j);
}

/* What the writer writes, the reader reads back the same. */
static void round_trip(void **state)
{
    (void)state;
    static const char *const strings[] = { "",        "政府工作报告", "tab\there",
                                           "q\"b\\s", "\x01\x1f",     "\xE2\x80\xA8 ok" };
    struct sc_buf b = SC_BUF_INIT;
    struct sc_jw w;
    sc_jw_init(&w, &b);
    sc_jw_obj(&w, SC_JW_LINES);
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        char key[8];
        key[0] = (char)('a' + i);
        key[1] = '\0';
        sc_jw_kstrz(&w, key, strings[i]);
    }
    sc_jw_kint(&w, "big", INT64_C(9007199254740992));
    sc_jw_obj_end(&w);
    assert_int_equal(sc_jw_finish(&w), SC_OK);
    struct sc_json j;
    assert_int_equal(sc_json_parse(&j, b.data, b.len, 0, NULL), SC_OK);
    const struct sc_json_node *root = sc_json_root(&j);
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        char key[2] = { (char)('a' + i), '\0' };
        assert_string_equal(sc_json_string(&j, sc_json_get(&j, root, key), NULL), strings[i]);
    }
    int64_t v;
    assert_int_equal(sc_json_int(sc_json_get(&j, root, "big"), 0, INT64_MAX, &v), 0);
    assert_true(v == INT64_C(9007199254740992));
    sc_json_release(&j);
    sc_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(writer_inline),       cmocka_unit_test(writer_lines),
        cmocka_unit_test(writer_rows),         cmocka_unit_test(writer_misuse),
        cmocka_unit_test(writer_buffer_limit), cmocka_unit_test(reader_values),
        cmocka_unit_test(reader_errors),       cmocka_unit_test(round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
