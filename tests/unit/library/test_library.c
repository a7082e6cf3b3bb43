/*
 * Unit tests for lib/library: creating and opening a library, importing
 * in-memory files (transactions, duplicates exact and near, refusals),
 * reading documents back, JSON forms, reparse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sucai/sucai.h"

struct fixture {
    char dir[64];
    struct sc_library *lib;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    strcpy(f->dir, "/tmp/sucai-unit-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    strcat(f->dir, "/lib");
    struct sc_diag d = { 0 };
    if (sc_library_create(f->dir, &d) != SC_OK || sc_library_open(f->dir, 0, &f->lib, &d) != SC_OK) {
        fprintf(stderr, "setup: %s\n", d.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    sc_library_close(f->lib);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%.*s'", (int)(strlen(f->dir) - 4), f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

struct seen {
    enum sc_import_status status;
    int64_t docs[16];
    size_t ndocs;
    char reason[256];
    int calls;
};

static int on_file(void *ctx, const struct sc_import_result *r)
{
    struct seen *s = ctx;
    s->status = r->status;
    s->ndocs = r->ndocs < 16 ? r->ndocs : 16;
    if (s->ndocs)
        memcpy(s->docs, r->docs, s->ndocs * sizeof *r->docs);
    snprintf(s->reason, sizeof s->reason, "%s", r->reason);
    s->calls++;
    return 0;
}

static struct seen import_text(struct sc_library *lib, const char *name, const char *text)
{
    struct seen s = { 0 };
    struct sc_import_opts o = { on_file, &s, NULL };
    struct sc_import_summary sum;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_import_bytes(lib, name, text, strlen(text), &o, &sum, &d), SC_OK);
    assert_int_equal(s.calls, 1);
    return s;
}

static const char summary[] =
    "XX区发改局2023年工作总结\n"
    "\n"
    "2023年，我局坚持稳中求进工作总基调，扎实推进各项工作。\n"
    "一、主要工作\n"
    "（一）强化组织领导。成立工作专班，一是明确分工；二是压实责任。\n"
    "二、存在的问题\n"
    "统筹协调还不够有力。\n"
    "三、下一步打算\n"
    "持续优化营商环境。\n";

static void import_and_read_back(void **state)
{
    struct fixture *f = *state;
    struct seen s = import_text(f->lib, "a.txt", summary);
    assert_int_equal(s.status, SC_IMPORT_IMPORTED);
    assert_int_equal(s.ndocs, 1);
    assert_int_equal(s.docs[0], 1);

    struct sc_doc doc;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_doc_get(f->lib, 1, SC_DOC_TEXT | SC_DOC_OUTLINE, &doc, &d), SC_OK);
    assert_string_equal(doc.title, "XX区发改局2023年工作总结");
    assert_memory_equal(doc.text, "XX区发改局2023年工作总结\n", strlen("XX区发改局2023年工作总结\n"));
    int64_t newlines = 0;
    for (size_t i = 0; i < doc.text_len; i++)
        newlines += doc.text[i] == '\n';
    assert_int_equal(doc.chars, (int64_t)sc_utf8_count(doc.text, doc.text_len) - newlines);
    assert_string_equal(doc.source_file, "a.txt");
    assert_int_equal(doc.part, 1);
    assert_int_equal(doc.paid_from_cp, -1);
    assert_true(doc.nsections >= 3);
    struct sc_buf b = SC_BUF_INIT;
    sc_doc_json(&b, &doc, &(struct sc_view){ 1, 0 });
    assert_non_null(strstr(b.data, "\"source\": {\"file\": \"a.txt\", \"part\": 1}"));
    assert_non_null(strstr(b.data, "\"outline\": [{\"level\": 1"));
    assert_non_null(strstr(b.data, "\"locked\": false"));
    sc_buf_release(&b);
    sc_doc_release(&doc);

    sc_diag_clear(&d);
    assert_int_equal(sc_doc_get(f->lib, 42, 0, &doc, &d), SC_ENOTFOUND);
    assert_string_equal(d.msg, "no document 42");
}

static void same_bytes_twice_add_nothing(void **state)
{
    struct fixture *f = *state;
    struct seen a = import_text(f->lib, "a.txt", summary);
    struct seen b = import_text(f->lib, "copy-of-a.txt", summary);
    assert_int_equal(a.status, SC_IMPORT_IMPORTED);
    assert_int_equal(b.status, SC_IMPORT_DUPLICATE);
    assert_int_equal(b.ndocs, 1);
    assert_int_equal(b.docs[0], a.docs[0]);
    assert_non_null(strstr(b.reason, "imported before"));
    struct sc_stats st;
    assert_int_equal(sc_stats_get(f->lib, &st, NULL), SC_OK);
    assert_int_equal(st.documents, 1);
    assert_int_equal(st.sources, 1);
}

static void same_text_other_bytes_is_a_duplicate(void **state)
{
    struct fixture *f = *state;
    import_text(f->lib, "a.txt", summary);
    /* full-width digits and a BOM: other bytes, same normalised text */
    char *variant = malloc(sizeof summary + 16);
    assert_non_null(variant);
    strcpy(variant, "\xEF\xBB\xBF");
    strcat(variant, summary);
    struct seen b = import_text(f->lib, "b.txt", variant);
    free(variant);
    assert_int_equal(b.status, SC_IMPORT_DUPLICATE);
    assert_non_null(strstr(b.reason, "same text as document 1"));
}

static void near_duplicate_gets_dup_of(void **state)
{
    struct fixture *f = *state;
    struct sc_buf one = SC_BUF_INIT, two = SC_BUF_INIT;
    sc_buf_adds(&one, "XX县2023年安全生产工作总结\n");
    for (int i = 0; i < 40; i++)
        sc_buf_addf(&one, "第%d项：全县深入开展安全生产专项整治，排查整改各类隐患，压实企业主体责任。\n", i);
    sc_buf_add(&two, one.data, one.len);
    sc_buf_adds(&two, "另有一项补充说明。\n");
    struct seen a = import_text(f->lib, "one.txt", one.data);
    struct seen b = import_text(f->lib, "two.txt", two.data);
    assert_int_equal(a.status, SC_IMPORT_IMPORTED);
    assert_int_equal(b.status, SC_IMPORT_IMPORTED);
    struct sc_doc doc;
    assert_int_equal(sc_doc_get(f->lib, b.docs[0], 0, &doc, NULL), SC_OK);
    assert_int_equal(doc.dup_of, a.docs[0]);
    assert_true(doc.similarity >= SC_NEAR_DUP_MIN && doc.similarity <= 1.0);
    sc_doc_release(&doc);
    sc_buf_release(&one);
    sc_buf_release(&two);
}

static void refusals_are_reported_and_recorded(void **state)
{
    struct fixture *f = *state;
    struct seen e = import_text(f->lib, "empty.txt", "");
    assert_int_equal(e.status, SC_IMPORT_REFUSED);
    assert_true(strlen(e.reason) > 3);
    struct seen p = import_text(f->lib, "x.pdf", "%PDF-1.4 ...");
    assert_int_equal(p.status, SC_IMPORT_REFUSED);
    struct sc_stats st;
    assert_int_equal(sc_stats_get(f->lib, &st, NULL), SC_OK);
    assert_int_equal(st.refused, 2);
    assert_int_equal(st.documents, 0);
}

static void paid_text_is_withheld_in_json(void **state)
{
    struct fixture *f = *state;
    struct seen s = import_text(f->lib, "paid.txt",
                                "XX局2023年工作总结\n免费的第一段。\n##paidbegin##付费的秘密内容。\n");
    assert_int_equal(s.status, SC_IMPORT_IMPORTED);
    struct sc_doc doc;
    assert_int_equal(sc_doc_get(f->lib, s.docs[0], SC_DOC_TEXT | SC_DOC_OUTLINE, &doc, NULL), SC_OK);
    assert_true(doc.paid_from_cp > 0);
    assert_null(strstr(doc.text, "##paid"));
    struct sc_buf b = SC_BUF_INIT;
    sc_doc_json(&b, &doc, &(struct sc_view){ 0, 0 });
    assert_null(strstr(b.data, "秘密"));
    assert_non_null(strstr(b.data, "\"locked\": true"));
    assert_non_null(strstr(b.data, "免费的第一段"));
    sc_buf_reset(&b);
    sc_doc_json(&b, &doc, &(struct sc_view){ 1, 0 });
    assert_non_null(strstr(b.data, "秘密"));
    sc_buf_release(&b);
    sc_doc_release(&doc);
}

static int count_doc(void *ctx, const struct sc_doc *doc)
{
    int64_t *last = ctx;
    assert_true(doc->id > *last);
    *last = doc->id;
    return 0;
}

static void foreach_in_id_order_and_reparse_keeps_ids(void **state)
{
    struct fixture *f = *state;
    import_text(f->lib, "a.txt", summary);
    import_text(f->lib, "p.txt", "XX局2023年工作计划\n一、目标\n全年完成XX任务。\n");
    int64_t last = 0;
    assert_int_equal(sc_doc_foreach(f->lib, 0, SC_DOC_TEXT, count_doc, &last, NULL), SC_OK);
    assert_int_equal(last, 2);
    struct sc_import_summary sum;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_reparse(f->lib, &sum, &d), SC_OK);
    assert_int_equal(sum.imported, 2);
    assert_int_equal(sum.docs, 2);
    struct sc_doc doc;
    assert_int_equal(sc_doc_get(f->lib, 2, 0, &doc, NULL), SC_OK);
    assert_string_equal(doc.title, "XX局2023年工作计划");
    sc_doc_release(&doc);
}

static void open_missing_library_says_init(void **state)
{
    (void)state;
    struct sc_library *lib;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_library_open("/tmp/sucai-no-such-library", 0, &lib, &d), SC_ENOTFOUND);
    assert_non_null(strstr(d.msg, "sucai init"));
    assert_null(lib);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(import_and_read_back, setup, teardown),
        cmocka_unit_test_setup_teardown(same_bytes_twice_add_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(same_text_other_bytes_is_a_duplicate, setup, teardown),
        cmocka_unit_test_setup_teardown(near_duplicate_gets_dup_of, setup, teardown),
        cmocka_unit_test_setup_teardown(refusals_are_reported_and_recorded, setup, teardown),
        cmocka_unit_test_setup_teardown(paid_text_is_withheld_in_json, setup, teardown),
        cmocka_unit_test_setup_teardown(foreach_in_id_order_and_reparse_keeps_ids, setup, teardown),
        cmocka_unit_test(open_missing_library_says_init),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
