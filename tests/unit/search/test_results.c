/*
 * Search results outside the engine: the JSON form as a whole object and
 * as members of a caller's object (no reopening), and snippet highlights as
 * byte ranges of the snippet's text (sc_snippet_mark).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sucai/json.h"
#include "sucai/search.h"

#include <string.h>

static void marks_are_bytes(void **state)
{
    (void)state;
    int64_t hl[2][2] = { { 2, 4 }, { 6, 7 } };
    struct sc_snippet s = { .text = (char *)"推进依法行政a工作",
                            .highlights_cp = hl,
                            .nhighlights = 2 };
    size_t a, b;
    assert_int_equal(sc_snippet_mark(&s, 0, &a, &b), 0);
    assert_int_equal(a, 6); /* two characters of three bytes */
    assert_int_equal(b, 12);
    assert_memory_equal(s.text + a, "依法", b - a);
    assert_int_equal(sc_snippet_mark(&s, 1, &a, &b), 0);
    assert_int_equal(a, 18);
    assert_int_equal(b, 19);
    assert_int_equal(s.text[a], 'a');
    assert_int_equal(sc_snippet_mark(&s, 2, &a, &b), -1);
    /* past the end: clamped to the text */
    hl[1][1] = 99;
    assert_int_equal(sc_snippet_mark(&s, 1, &a, &b), 0);
    assert_int_equal(b, strlen(s.text));
    /* reversed or withheld */
    hl[1][0] = 7;
    hl[1][1] = 6;
    assert_int_equal(sc_snippet_mark(&s, 1, &a, &b), -1);
    s.text = NULL;
    assert_int_equal(sc_snippet_mark(&s, 0, &a, &b), -1);
    assert_int_equal(sc_snippet_mark(NULL, 0, &a, &b), -1);
}

static void members_into_an_open_object(void **state)
{
    (void)state;
    int64_t hl[1][2] = { { 0, 2 } };
    struct sc_snippet sn = {
        .text = (char *)"依法\"行政", .highlights_cp = hl, .nhighlights = 1, .section = (char *)""
    };
    struct sc_hit h = { .id = 3,
                        .title = (char *)"标题",
                        .score = 1.5,
                        .count = 2,
                        .paragraph = -1,
                        .year = 2023,
                        .snippets = &sn,
                        .nsnippets = 1 };
    struct sc_results r = {
        .total = 1, .took_ms = 0.25, .hits = &h, .nhits = 1, .paid_left = -1, .paid_why = ""
    };
    struct sc_buf whole = SC_BUF_INIT, mine = SC_BUF_INIT;
    sc_results_json(&whole, &r, SC_SEARCH_DOC);
    assert_string_equal(
        whole.data, "{\"total\": 1, \"took_ms\": 0.250, \"hits\": [{\"id\": 3, \"title\": "
                    "\"标题\", \"score\": 1.5000, \"count\": 2, \"paid\": false, \"paid_only\": "
                    "false, \"year\": 2023, \"genre\": null, \"docno\": null, \"date\": null, "
                    "\"snippets\": [{\"text\": \"依法\\\"行政\", \"highlights\": [[0, 2]], "
                    "\"start\": 0, \"section\": \"\", \"paid\": false}]}], \"paid_parts\": "
                    "{\"readable\": true, \"searched\": true, \"only\": 0, \"left\": null}}");
    struct sc_jw w;
    sc_jw_init(&w, &mine);
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_results_json_members(&w, &r, SC_SEARCH_DOC);
    sc_jw_kstrz(&w, "query", "依法");
    sc_jw_obj_end(&w);
    assert_int_equal(sc_jw_finish(&w), SC_OK);
    /* the same members, then the caller's */
    assert_memory_equal(mine.data, whole.data, whole.len - 1);
    assert_string_equal(mine.data + whole.len - 1, ", \"query\": \"依法\"}");
    /* paragraph mode adds paragraph and section; a paid-only hit withholds */
    sc_buf_reset(&whole);
    h.paid_only = 1;
    h.nsnippets = 0;
    r.paid = SC_PAID_FREE_ONLY;
    sc_results_json(&whole, &r, SC_SEARCH_PARA);
    assert_non_null(strstr(whole.data, "\"score\": null, \"count\": null"));
    assert_non_null(strstr(whole.data, "\"paragraph\": null, \"section\": \"\""));
    assert_non_null(strstr(whole.data, "\"note\": \"paid parts were not searched\""));
    sc_buf_release(&whole);
    sc_buf_release(&mine);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(marks_are_bytes),
        cmocka_unit_test(members_into_an_open_object),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
