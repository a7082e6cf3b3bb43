/*
 * The Atom writer and the pieces every feed uses (lib/feed/atom.c,
 * updates.c): text escaped and characters XML forbids dropped, permanent
 * version-8 UUIDs, RFC 3339 times, a well-formed feed (expat), and the
 * free summary that stops where the paid part begins.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <expat.h>
#include <string.h>

#include "sucai/sucai.h"

static void escaping(void **state)
{
    (void)state;
    struct sc_buf b = SC_BUF_INIT;
    const char in[] = "a<b>&\"c\" \x01\x1f\t\n中文 \xef\xbf\xbe \xff";
    sc_xml_text(&b, in, sizeof in - 1);
    assert_string_equal(b.data, "a&lt;b&gt;&amp;&quot;c&quot; \t\n中文  \xef\xbf\xbd");
    sc_buf_reset(&b);
    sc_xml_text(&b, NULL, 5);
    assert_int_equal(b.len, 0);
    sc_buf_release(&b);
}

static void ids_and_times(void **state)
{
    (void)state;
    char a[SC_UUID_URN_LEN], b[SC_UUID_URN_LEN], c[SC_UUID_URN_LEN];
    sc_uuid_urn(a, "lib/doc/1", 9);
    sc_uuid_urn(b, "lib/doc/1", 9);
    sc_uuid_urn(c, "lib/doc/2", 9);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_int_equal(strlen(a), 45);
    assert_int_equal(strncmp(a, "urn:uuid:", 9), 0);
    assert_int_equal(a[9 + 14], '8');           /* version 8 */
    assert_non_null(strchr("89ab", a[9 + 19])); /* variant 10 */
    char t[21];
    sc_time_rfc3339(t, 1700000000);
    assert_string_equal(t, "2023-11-14T22:13:20Z");
    sc_time_rfc3339(t, 0);
    assert_string_equal(t, "1970-01-01T00:00:00Z");
}

static int depth, maxdepth, entries;
static void xs(void *u, const XML_Char *n, const XML_Char **a)
{
    (void)u;
    (void)a;
    if (++depth > maxdepth)
        maxdepth = depth;
    entries += !strcmp(n, "http://www.w3.org/2005/Atom entry");
}
static void xe(void *u, const XML_Char *n)
{
    (void)u;
    (void)n;
    depth--;
}

static void a_feed(void **state)
{
    (void)state;
    struct sc_buf b = SC_BUF_INIT;
    struct sc_atom_feed f = { "urn:uuid:x", "今日更新 & <更多>", NULL, "/feed?a=1&b=2",
                              "/",          1700000000,          NULL };
    sc_atom_begin(&b, &f);
    const char *cats[] = { "通知", NULL, "" };
    struct sc_atom_entry e = { "urn:uuid:y", "标题\x02", "/#doc=1", 1700000000, 1600000000,
                               "摘要 <b>",   "XX局",     cats,      3 };
    sc_atom_add(&b, &e);
    struct sc_atom_entry e2 = { "urn:uuid:z", NULL, NULL, 1, 0, NULL, NULL, NULL, 0 };
    sc_atom_add(&b, &e2);
    sc_atom_end(&b);
    assert_int_equal(sc_buf_err(&b), SC_OK);
    XML_Parser p = XML_ParserCreateNS("utf-8", ' ');
    XML_SetElementHandler(p, xs, xe);
    depth = maxdepth = entries = 0;
    assert_int_equal(XML_Parse(p, b.data, (int)b.len, 1), XML_STATUS_OK);
    XML_ParserFree(p);
    assert_int_equal(entries, 2);
    assert_non_null(strstr(b.data, "<category term=\"通知\"/>"));
    assert_null(strstr(b.data, "term=\"\""));
    assert_non_null(strstr(b.data, "<published>2020-09-13T12:26:40Z</published>"));
    assert_non_null(strstr(b.data, "<author>\n    <name>sucai</name>"));
    sc_buf_release(&b);
}

static void summary(void **state)
{
    (void)state;
    struct sc_doc d;
    memset(&d, 0, sizeof d);
    d.text = (char *)"标题\n第一段公开。\n第二段公开。\n付费的秘密内容。";
    d.text_len = strlen(d.text);
    d.paid_to_cp = -1;
    /* paid from the third body line (code points, '\n' counted) */
    d.paid_from_cp = (int64_t)sc_utf8_count(d.text, (size_t)(strstr(d.text, "付费") - d.text));
    struct sc_buf b = SC_BUF_INIT;
    sc_free_summary(&b, &d, 100);
    assert_string_equal(b.data, "第一段公开。 第二段公开。…");
    sc_buf_reset(&b);
    sc_free_summary(&b, &d, 3);
    assert_string_equal(b.data, "第一段…");
    sc_buf_reset(&b);
    d.paid_from_cp = -1;
    sc_free_summary(&b, &d, 100);
    assert_string_equal(b.data, "第一段公开。 第二段公开。 付费的秘密内容。");
    sc_buf_reset(&b);
    d.paid_from_cp = 1; /* inside the title: the title is public, nothing after it is */
    sc_free_summary(&b, &d, 100);
    assert_string_equal(b.data, "");
    d.text = NULL;
    sc_free_summary(&b, &d, 100);
    assert_int_equal(b.len, 0);
    sc_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escaping),
        cmocka_unit_test(ids_and_times),
        cmocka_unit_test(a_feed),
        cmocka_unit_test(summary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
