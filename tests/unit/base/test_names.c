/*
 * Unit tests for lib/base/names.c: the comma-separated name lists of the
 * --kinds options (every name, repeats, the errors and their messages).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "base/names.h"

static const char *const NAMES[] = { "person", "place", "unit", "number" };

static void names_found(void **state)
{
    (void)state;
    unsigned m = 99;
    assert_int_equal(sc_names_parse("place", NAMES, 4, "entity", &m, NULL), SC_OK);
    assert_int_equal(m, 2u);
    assert_int_equal(sc_names_parse("number,person,place", NAMES, 4, "entity", &m, NULL), SC_OK);
    assert_int_equal(m, 1u | 2u | 8u);
    /* a repeat and a trailing comma change nothing */
    assert_int_equal(sc_names_parse("unit,unit,", NAMES, 4, "entity", &m, NULL), SC_OK);
    assert_int_equal(m, 4u);
}

static void names_refused(void **state)
{
    (void)state;
    unsigned m = 7;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_names_parse("", NAMES, 4, "entity", &m, &d), SC_EINVAL);
    assert_int_equal(m, 0u);
    assert_non_null(strstr(d.msg, "empty"));
    assert_int_equal(sc_names_parse(NULL, NAMES, 4, "entity", &m, &d), SC_EINVAL);
    /* a prefix of a name is not the name; the message names the word (a
     * diag keeps its first message: a fresh one for each) */
    d = (struct sc_diag){ 0 };
    assert_int_equal(sc_names_parse("person,pla", NAMES, 4, "entity", &m, &d), SC_EINVAL);
    assert_string_equal(d.msg, "kinds: 'pla' is not a kind of entity");
    d = (struct sc_diag){ 0 };
    assert_int_equal(sc_names_parse(",", NAMES, 4, "finding", &m, &d), SC_EINVAL);
    assert_string_equal(d.msg, "kinds: '' is not a kind of finding");
    /* a long word is cut in the message */
    char longw[200];
    memset(longw, 'x', sizeof longw - 1);
    longw[sizeof longw - 1] = '\0';
    d = (struct sc_diag){ 0 };
    assert_int_equal(sc_names_parse(longw, NAMES, 4, "entity", &m, &d), SC_EINVAL);
    assert_true(strlen(d.msg) < 120);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_found),
        cmocka_unit_test(names_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
