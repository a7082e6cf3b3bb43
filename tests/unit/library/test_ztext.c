/*
 * Unit tests for documents.text stored as a zstd frame (issue 19): the
 * stored value is packed, reading it back, search snippets and export give
 * the text as it was, and a library written with plain text (before schema
 * "library" 2) still reads, read-only, and is packed when opened to write.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
// clang-format off: cmocka needs the four above first
#include <cmocka.h>
// clang-format on

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ztext.h"
#include "library/library_int.h" /* sc_library_part */
#include "store/handle.h"
#include "store/store.h"
#include "sucai/sucai.h"

static const char doc_text[] =
    "关于进一步加强依法行政工作的通知\n"
    "各区人民政府，市政府各部门：\n"
    "一、总体要求\n"
    "坚持依法行政，推进法治政府建设。依法行政是政府工作的基本准则，各部门要把依法行政贯穿于工作全过程。\n"
    "二、主要任务\n"
    "（一）完善制度。健全依法行政制度体系，规范行政决策程序，落实重大行政决策合法性审查。\n"
    "（二）强化监督。加强对依法行政工作的监督检查，及时纠正违法或者不当的行政行为。\n"
    "三、保障措施\n"
    "各部门要高度重视，加强组织领导，确保依法行政各项任务落到实处。\n"
    "某某市人民政府\n"
    "2024年3月1日\n";

struct fixture {
    char dir[64];
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
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%.*s'", (int)(strlen(f->dir) - 4), f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

static struct sc_library *open_lib(const char *dir, int flags)
{
    struct sc_library *lib = NULL;
    struct sc_diag d = { 0 };
    if (sc_library_open(dir, flags, &lib, &d) != SC_OK)
        fail_msg("open: %s", d.msg);
    return lib;
}

/* The stored value of documents.text for id (a new buffer), and whether it
 * is a zstd frame. */
static char *stored_value(struct sc_library *lib, int64_t id, size_t *len, int *packed)
{
    struct sc_stmt *st = sc_store_prepare(lib->db, "SELECT text FROM documents WHERE id = ?", NULL);
    assert_non_null(st);
    sc_stmt_bind_int64(st, 1, id);
    assert_int_equal(sc_stmt_step(st), SC_STORE_ROW);
    int n = sc_stmt_column_bytes(st, 0);
    const void *v = sc_stmt_column_blob(st, 0);
    char *copy = malloc((size_t)n + 1);
    assert_non_null(copy);
    memcpy(copy, v, (size_t)n);
    copy[n] = '\0';
    *len = (size_t)n;
    *packed = sc_ztext_is_packed(copy, *len);
    sc_stmt_finalize(st);
    return copy;
}

/* Everything a reader sees of document id: its text (sc_doc_get), the
 * snippets of a search, and a text export, as one string. */
static char *seen(struct sc_library *lib, int64_t id)
{
    struct sc_buf b = SC_BUF_INIT;
    struct sc_diag d = { 0 };
    struct sc_doc doc;
    assert_int_equal(sc_doc_get(lib, id, SC_DOC_TEXT | SC_DOC_OUTLINE, &doc, &d), SC_OK);
    assert_int_equal(strlen(doc.text), doc.text_len);
    sc_buf_addf(&b, "text:%s\n", doc.text);
    sc_doc_release(&doc);
    const char *modes[] = { "doc", "para" };
    for (int m = 0; m < 2; m++) {
        struct sc_search_opts so = { .query = "依法行政", .limit = 10, .entitled = 1 };
        so.mode = m == 0 ? SC_SEARCH_DOC : SC_SEARCH_PARA;
        struct sc_results res = { 0 };
        assert_int_equal(sc_search(lib, &so, &res, &d), SC_OK);
        assert_true(res.nhits > 0);
        size_t nsnip = 0;
        for (size_t h = 0; h < res.nhits; h++)
            for (size_t s = 0; s < res.hits[h].nsnippets; s++) {
                const struct sc_snippet *sn = &res.hits[h].snippets[s];
                assert_non_null(sn->text);
                sc_buf_addf(&b, "%s snippet %lld:%s\n", modes[m], (long long)sn->start_cp,
                            sn->text);
                nsnip++;
            }
        assert_true(nsnip > 0);
        sc_results_release(&res);
    }
    struct sc_compile_opts co = { .format = SC_EXPORT_TXT, .single = 1, .entitled = 1 };
    struct sc_buf out = SC_BUF_INIT;
    assert_int_equal(sc_compile_ids(lib, &id, 1, &co, &out, NULL, &d), SC_OK);
    sc_buf_addf(&b, "export:%.*s\n", (int)out.len, out.data);
    sc_buf_release(&out);
    assert_false(b.failed);
    return sc_buf_take(&b, NULL);
}

static int64_t import_one(struct sc_library *lib)
{
    struct sc_import_summary sum;
    struct sc_diag d = { 0 };
    assert_int_equal(
        sc_import_bytes(lib, "通知.txt", doc_text, sizeof doc_text - 1, NULL, &sum, &d), SC_OK);
    assert_int_equal(sum.docs, 1);
    return sc_store_int(lib->db, "SELECT max(id) FROM documents");
}

static void stored_packed_and_read_back(void **state)
{
    struct fixture *f = *state;
    struct sc_library *lib = open_lib(f->dir, SC_LIBRARY_CREATE);
    int64_t id = import_one(lib);
    size_t zlen;
    int packed;
    char *z = stored_value(lib, id, &zlen, &packed);
    assert_true(packed);
    char *text;
    size_t len;
    assert_int_equal(sc_ztext_unpack(z, zlen, &text, &len), SC_OK);
    assert_true(zlen < len);
    struct sc_doc doc;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_doc_get(lib, id, SC_DOC_TEXT, &doc, &d), SC_OK);
    assert_int_equal(doc.text_len, len);
    assert_memory_equal(doc.text, text, len);
    assert_non_null(strstr(doc.text, "确保依法行政各项任务落到实处"));
    sc_doc_release(&doc);
    char *a = seen(lib, id);
    assert_non_null(strstr(a, "export:"));
    assert_non_null(strstr(a, "落到实处"));
    /* the re-parse reads the stored text back (similarity) and keeps it */
    struct sc_import_summary sum;
    assert_int_equal(sc_reparse(lib, &sum, &d), SC_OK);
    char *b = seen(lib, id);
    assert_string_equal(a, b);
    free(a);
    free(b);
    free(z);
    free(text);
    sc_library_close(lib);
}

static void plain_library_reads_and_upgrades(void **state)
{
    struct fixture *f = *state;
    struct sc_library *lib = open_lib(f->dir, SC_LIBRARY_CREATE);
    int64_t id = import_one(lib);
    char *before = seen(lib, id);
    /* write the row as a library before schema 2 did: plain text */
    struct sc_doc doc;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_doc_get(lib, id, SC_DOC_TEXT, &doc, &d), SC_OK);
    struct sc_stmt *st =
        sc_store_prepare(lib->db, "UPDATE documents SET text = ? WHERE id = ?", &d);
    assert_non_null(st);
    sc_stmt_bind_text(st, 1, doc.text, (int)doc.text_len);
    sc_stmt_bind_int64(st, 2, id);
    assert_int_equal(sc_stmt_step(st), SC_STORE_DONE);
    sc_stmt_finalize(st);
    assert_int_equal(
        sc_store_exec(lib->db, "UPDATE meta SET value = '1' WHERE key = 'schema:library'", &d),
        SC_OK);
    size_t len;
    int packed;
    free(stored_value(lib, id, &len, &packed));
    assert_false(packed);
    assert_int_equal(len, doc.text_len);
    sc_library_close(lib);

    /* read-only: no schema work, the plain row reads as before */
    lib = open_lib(f->dir, SC_LIBRARY_READONLY);
    free(stored_value(lib, id, &len, &packed));
    assert_false(packed);
    char *ro = seen(lib, id);
    assert_string_equal(before, ro);
    sc_library_close(lib);

    /* opened to write: the step to version 2 packs the row (and the
     * steps after it bring the part to its version) */
    lib = open_lib(f->dir, 0);
    assert_int_equal(sc_store_int(lib->db, "SELECT value FROM meta WHERE key = 'schema:library'"),
                     sc_library_part.version);
    char *z = stored_value(lib, id, &len, &packed);
    assert_true(packed);
    char *text;
    size_t tlen;
    assert_int_equal(sc_ztext_unpack(z, len, &text, &tlen), SC_OK);
    assert_int_equal(tlen, doc.text_len);
    assert_memory_equal(text, doc.text, tlen);
    char *after = seen(lib, id);
    assert_string_equal(before, after);
    /* and the index built afresh from the packed rows gives the same */
    assert_int_equal(sc_index_rebuild(lib, &d), SC_OK);
    char *rebuilt = seen(lib, id);
    assert_string_equal(before, rebuilt);
    sc_library_close(lib);
    free(before);
    free(ro);
    free(after);
    free(rebuilt);
    free(z);
    free(text);
    sc_doc_release(&doc);
}

static void ztext_forms(void **state)
{
    (void)state;
    char *z, *t;
    size_t zlen, tlen;
    assert_int_equal(sc_ztext_pack("", 0, &z, &zlen), SC_OK);
    assert_true(sc_ztext_is_packed(z, zlen));
    assert_int_equal(sc_ztext_unpack(z, zlen, &t, &tlen), SC_OK);
    assert_int_equal(tlen, 0);
    assert_string_equal(t, "");
    free(t);
    z[zlen - 1] ^= 0x55; /* a damaged frame is refused, not read */
    assert_int_equal(sc_ztext_unpack(z, zlen > 6 ? 6 : zlen, &t, &tlen), SC_EPARSE);
    assert_null(t);
    free(z);
    assert_int_equal(sc_ztext_unpack("标题\n正文", strlen("标题\n正文"), &t, &tlen), SC_OK);
    assert_string_equal(t, "标题\n正文"); /* plain text, as before schema 2 */
    free(t);
    /* a frame claiming more than any document holds: refused, not allocated */
    size_t big = (size_t)SC_ZTEXT_MAX_BYTES + 1;
    char *zeros = calloc(big, 1);
    assert_non_null(zeros);
    assert_int_equal(sc_ztext_pack(zeros, big, &z, &zlen), SC_OK);
    free(zeros);
    assert_true(zlen < 65536);
    assert_int_equal(sc_ztext_unpack(z, zlen, &t, &tlen), SC_EPARSE);
    assert_null(t);
    free(z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(stored_packed_and_read_back, setup, teardown),
        cmocka_unit_test_setup_teardown(plain_library_reads_and_upgrades, setup, teardown),
        cmocka_unit_test(ztext_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
