/*
 * Saved searches (lib/watch/) on a real library: saving (names, limits per
 * tier, bad queries), matching at import (only documents after the save,
 * search's semantics), exactly once when a run is repeated from an older
 * mark (as after a crash between matching and committing), what one
 * member may see of another's, "new since last looked", the private feed
 * (a valid Atom document without paid text; a revoked token opens
 * nothing), and a read-only library.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <expat.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "members/members_int.h"
#include "store/handle.h"
#include "sucai/sucai.h"

struct t {
    char dir[64], path[96];
    struct sc_library *lib;
    struct sc_principal alice, bob;
};

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int setup(void **state)
{
    struct t *t = calloc(1, sizeof *t);
    snprintf(t->dir, sizeof t->dir, "/tmp/sucai-watch-XXXXXX");
    if (!t || !mkdtemp(t->dir))
        return -1;
    snprintf(t->path, sizeof t->path, "%s/lib", t->dir);
    struct sc_diag d = { 0 };
    sc_members_fast_hash = 1;
    if (sc_library_open(t->path, SC_LIBRARY_CREATE, &t->lib, &d) != SC_OK ||
        sc_user_add(t->lib, NULL, "alice", "password1", SC_TIER_FREE, 0, 0, &d) != SC_OK ||
        sc_user_add(t->lib, NULL, "bob", "password2", SC_TIER_VIP, 0, 0, &d) != SC_OK ||
        sc_user_principal(t->lib, "alice", &t->alice, &d) != SC_OK ||
        sc_user_principal(t->lib, "bob", &t->bob, &d) != SC_OK) {
        fprintf(stderr, "setup: %s\n", d.msg);
        return -1;
    }
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    struct t *t = *state;
    sc_library_close(t->lib);
    nftw(t->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(t);
    return 0;
}

static void import(struct sc_library *lib, const char *name, const char *text)
{
    struct sc_import_summary sum;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_import_bytes(lib, name, text, strlen(text), NULL, &sum, &d), SC_OK);
    assert_int_equal(sum.imported, 1);
    assert_int_equal(sc_index_sync(lib, 1, &d), SC_OK);
}

static int64_t count(struct sc_library *lib, const char *sql)
{
    struct sc_stmt *st;
    assert_int_equal(sc_stmt_prepare(lib->db, sql, &st), SC_STORE_OK);
    int64_t v = sc_stmt_step(st) == SC_STORE_ROW ? sc_stmt_column_int64(st, 0) : -1;
    sc_stmt_finalize(st);
    return v;
}

/* "new" of saved search id in owner's list */
static int64_t new_of(struct sc_library *lib, const struct sc_principal *owner, int64_t id)
{
    struct sc_buf b = SC_BUF_INIT;
    assert_int_equal(sc_watch_list(lib, owner, 1, &b, NULL), SC_OK);
    struct sc_json j;
    assert_int_equal(sc_json_parse(&j, b.data, b.len, 0, NULL), SC_OK);
    int64_t n = -1;
    for (const struct sc_json_node *w = sc_json_first(&j, sc_json_root(&j)); w;
         w = sc_json_next(&j, w)) {
        int64_t wid;
        if (sc_json_int(sc_json_get(&j, w, "id"), 1, INT64_MAX, &wid) == 0 && wid == id)
            sc_json_int(sc_json_get(&j, w, "new"), 0, INT64_MAX, &n);
    }
    sc_json_release(&j);
    sc_buf_release(&b);
    return n;
}

static void saving(void **state)
{
    struct t *t = *state;
    struct sc_diag d = { 0 };
    int64_t id;
    assert_int_equal(sc_watch_add(t->lib, &t->alice, "农村", "乡村振兴 genre:工作总结", &id, &d),
                     SC_OK);
    assert_true(id > 0);
    /* names are unique per owner, not across owners */
    assert_int_equal(sc_watch_add(t->lib, &t->alice, "农村", "乡村", NULL, &d), SC_EDUPLICATE);
    assert_int_equal(sc_watch_add(t->lib, &t->bob, "农村", "乡村", NULL, NULL), SC_OK);
    /* a bad query names the place */
    memset(&d, 0, sizeof d);
    assert_int_equal(sc_watch_add(t->lib, &t->alice, NULL, "(乡村", NULL, &d), SC_EPARSE);
    assert_non_null(strstr(d.msg, "at character"));
    assert_int_equal(sc_watch_add(t->lib, &t->alice, NULL, "", NULL, NULL), SC_EINVAL);
    assert_int_equal(sc_watch_add(t->lib, &t->alice, NULL, "  ", NULL, NULL), SC_EPARSE);
    assert_int_equal(sc_watch_add(t->lib, &t->alice, "a\tb", "x", NULL, NULL), SC_EINVAL);
    char longname[100];
    memset(longname, 'n', sizeof longname - 1);
    longname[99] = '\0';
    assert_int_equal(sc_watch_add(t->lib, &t->alice, longname, "x", NULL, NULL), SC_EINVAL);
    /* the name defaults to the query, cut on a character boundary */
    char longq[400] = "";
    for (int i = 0; i < 30; i++)
        strcat(longq, "乡村 ");
    assert_int_equal(sc_watch_add(t->lib, &t->alice, NULL, longq, &id, NULL), SC_OK);
    assert_int_equal(count(t->lib, "SELECT max(length(CAST(name AS BLOB))) <= 64 FROM watches"), 1);
    /* a free member keeps 3 */
    assert_int_equal(sc_watch_add(t->lib, &t->alice, NULL, "第三", NULL, NULL), SC_OK);
    memset(&d, 0, sizeof d);
    assert_int_equal(sc_watch_add(t->lib, &t->alice, NULL, "第四", NULL, &d), SC_ELIMIT);
    assert_non_null(strstr(d.msg, "free may keep 3"));
    /* anonymous callers keep none */
    struct sc_principal anon = { 0 };
    assert_int_equal(sc_watch_add(t->lib, &anon, NULL, "x", NULL, NULL), SC_EDENIED);
    /* one member cannot see, remove or read another's */
    assert_int_equal(sc_watch_rm(t->lib, &t->bob, 1, NULL), SC_ENOTFOUND);
    struct sc_buf b = SC_BUF_INIT;
    assert_int_equal(sc_watch_hits(t->lib, &t->bob, 1, 10, 0, 0, &b, NULL), SC_ENOTFOUND);
    assert_int_equal(sc_watch_list(t->lib, &t->bob, 1, &b, NULL), SC_OK);
    assert_null(strstr(b.data, "genre:工作总结"));
    sc_buf_release(&b);
    assert_int_equal(sc_watch_rm(t->lib, &t->alice, 1, NULL), SC_OK);
    assert_int_equal(sc_watch_rm(t->lib, &t->alice, 1, NULL), SC_ENOTFOUND);
}

static const char doc_a[] = "关于乡村振兴工作的通知\n各乡镇：\n推进乡村振兴，发展特色产业。\n";
static const char doc_b[] = "安全生产工作总结\n一、基本情况\n安全生产形势平稳。\n";
static const char doc_paid[] =
    "乡村振兴专题报告\n免费部分说明背景。\n##paidbegin##\n付费部分：乡村振兴的秘密做法。\n##paidend##\n";

static void matching(void **state)
{
    struct t *t = *state;
    struct sc_diag d = { 0 };
    import(t->lib, "old.txt", "乡村振兴旧文\n早已入库的乡村振兴材料。\n");
    int64_t w1, w2, w3;
    assert_int_equal(sc_watch_add(t->lib, &t->bob, "振兴", "乡村振兴", &w1, &d), SC_OK);
    assert_int_equal(sc_watch_add(t->lib, &t->bob, "安全", "安全生产 -乡村", &w2, &d), SC_OK);
    assert_int_equal(sc_watch_add(t->lib, NULL, NULL, "-安全生产", &w3, &d), SC_OK);
    assert_int_equal(new_of(t->lib, &t->bob, w1), 0);
    import(t->lib, "a.txt", doc_a);
    import(t->lib, "b.txt", doc_b);
    import(t->lib, "p.txt", doc_paid);
    /* the old document is not new; the three are matched as search would */
    assert_int_equal(new_of(t->lib, &t->bob, w1), 2);
    assert_int_equal(new_of(t->lib, &t->bob, w2), 1);
    assert_int_equal(new_of(t->lib, NULL, w3), 2);
    int64_t before = count(t->lib, "SELECT coalesce(sum(n), 0) FROM watch_hits");
    assert_int_equal(before, 5);
    /* a run repeated from an older mark (a crash after matching, before the
     * commit, looks like this) stores nothing twice */
    assert_int_equal(count(t->lib, "SELECT value FROM watch_state WHERE key = 'mark'"), 4);
    (void)sc_store_exec(t->lib->db, "UPDATE watch_state SET value = 1 WHERE key = 'mark'", NULL);
    struct sc_watch_run r;
    assert_int_equal(sc_watch_match(t->lib, &r, &d), SC_OK);
    assert_int_equal(r.docs, 3);
    assert_int_equal(r.from_id, 1);
    assert_int_equal(r.to_id, 4);
    assert_int_equal(count(t->lib, "SELECT coalesce(sum(n), 0) FROM watch_hits"), before);
    assert_int_equal(count(t->lib, "SELECT sum(nhits) FROM watches"), before);
    assert_int_equal(sc_watch_match(t->lib, &r, &d), SC_OK);
    assert_int_equal(r.docs, 0);
    /* the hits: newest first, new until looked at */
    struct sc_buf b = SC_BUF_INIT;
    assert_int_equal(sc_watch_hits(t->lib, &t->bob, w1, 10, 0, 1, &b, &d), SC_OK);
    const char *first = strstr(b.data, "\"id\": 4"), *second = strstr(b.data, "\"id\": 2");
    assert_non_null(first);
    assert_non_null(second);
    assert_true(first < second);
    assert_non_null(strstr(b.data, "\"new\": true"));
    /* a match in the paid part shows the free opening only */
    assert_null(strstr(b.data, "秘密"));
    assert_non_null(strstr(b.data, "\"locked\": true"));
    sc_buf_release(&b);
    assert_int_equal(new_of(t->lib, &t->bob, w1), 0);
    /* paging */
    assert_int_equal(sc_watch_hits(t->lib, &t->bob, w1, 1, 0, 0, &b, &d), SC_OK);
    assert_non_null(strstr(b.data, "\"next_before\": 4"));
    sc_buf_reset(&b);
    assert_int_equal(sc_watch_hits(t->lib, &t->bob, w1, 1, 4, 0, &b, &d), SC_OK);
    assert_non_null(strstr(b.data, "\"id\": 2"));
    assert_non_null(strstr(b.data, "\"next_before\": null"));
    sc_buf_release(&b);
    /* the run's figures are kept */
    struct sc_watch_run sum;
    assert_int_equal(sc_watch_stats(t->lib, &sum, NULL), SC_OK);
    assert_true(sum.docs >= 3);
}

/* Atom validity: well-formed XML (expat) with the elements RFC 4287 wants. */
struct xcheck {
    int depth, entries, ids, updated, titles, bad;
    char path[8][32];
};

static void xstart(void *u, const XML_Char *name, const XML_Char **attr)
{
    (void)attr;
    struct xcheck *x = u;
    if (x->depth < 8)
        snprintf(x->path[x->depth], sizeof x->path[0], "%s", name);
    x->depth++;
    if (!strcmp(name, "http://www.w3.org/2005/Atom entry"))
        x->entries++;
    if (!strcmp(name, "http://www.w3.org/2005/Atom id"))
        x->ids++;
    if (!strcmp(name, "http://www.w3.org/2005/Atom updated"))
        x->updated++;
    if (!strcmp(name, "http://www.w3.org/2005/Atom title"))
        x->titles++;
}

static void xend(void *u, const XML_Char *name)
{
    (void)name;
    ((struct xcheck *)u)->depth--;
}

static void check_atom(const char *xml, size_t len, int entries)
{
    XML_Parser p = XML_ParserCreateNS("utf-8", ' ');
    struct xcheck x;
    memset(&x, 0, sizeof x);
    XML_SetUserData(p, &x);
    XML_SetElementHandler(p, xstart, xend);
    int ok = XML_Parse(p, xml, (int)len, 1) == XML_STATUS_OK;
    if (!ok)
        fprintf(stderr, "xml: %s at line %lu\n", XML_ErrorString(XML_GetErrorCode(p)),
                (unsigned long)XML_GetCurrentLineNumber(p));
    XML_ParserFree(p);
    assert_true(ok);
    assert_int_equal(x.entries, entries);
    assert_int_equal(x.ids, entries + 1);
    assert_int_equal(x.updated, entries + 1);
    assert_int_equal(x.titles, entries + 1);
}

static void feed(void **state)
{
    struct t *t = *state;
    struct sc_diag d = { 0 };
    int64_t w;
    assert_int_equal(sc_watch_add(t->lib, &t->bob, "振兴", "乡村振兴", &w, &d), SC_OK);
    import(t->lib, "a.txt", doc_a);
    import(t->lib, "p.txt", doc_paid);
    char *tok = NULL;
    assert_int_equal(sc_watch_feed_token(t->lib, &t->alice, w, &tok, NULL), SC_ENOTFOUND);
    assert_null(tok);
    assert_int_equal(sc_watch_feed_token(t->lib, &t->bob, w, &tok, &d), SC_OK);
    assert_non_null(tok);
    assert_int_equal(strncmp(tok, "swf_", 4), 0);
    /* only the hash is stored */
    assert_int_equal(count(t->lib, "SELECT count(*) FROM watches WHERE feed_hash LIKE 'swf_%'"), 0);
    struct sc_buf b = SC_BUF_INIT;
    assert_int_equal(sc_watch_feed_atom(t->lib, tok, "/api/v1/feeds/watch", "/", &b, &d), SC_OK);
    check_atom(b.data, b.len, 2);
    assert_null(strstr(b.data, "秘密"));
    assert_non_null(strstr(b.data, "urn:uuid:"));
    /* the same feed keeps its ids */
    struct sc_buf b2 = SC_BUF_INIT;
    assert_int_equal(sc_watch_feed_atom(t->lib, tok, "/api/v1/feeds/watch", "/", &b2, &d), SC_OK);
    assert_string_equal(b.data, b2.data);
    sc_buf_release(&b2);
    sc_buf_reset(&b);
    /* a new token replaces the old one; revoking ends it */
    char *tok2 = NULL;
    assert_int_equal(sc_watch_feed_token(t->lib, &t->bob, w, &tok2, &d), SC_OK);
    assert_int_equal(sc_watch_feed_atom(t->lib, tok, NULL, NULL, &b, NULL), SC_ENOTFOUND);
    assert_int_equal(sc_watch_feed_atom(t->lib, tok2, NULL, NULL, &b, NULL), SC_OK);
    sc_buf_reset(&b);
    assert_int_equal(sc_watch_feed_revoke(t->lib, &t->bob, w, &d), SC_OK);
    assert_int_equal(sc_watch_feed_atom(t->lib, tok2, NULL, NULL, &b, NULL), SC_ENOTFOUND);
    assert_int_equal(sc_watch_feed_atom(t->lib, "swf_nope", NULL, NULL, &b, NULL), SC_ENOTFOUND);
    assert_int_equal(sc_watch_feed_atom(t->lib, NULL, NULL, NULL, &b, NULL), SC_ENOTFOUND);
    /* a disabled owner's feed stops */
    char *tok3 = NULL;
    assert_int_equal(sc_watch_feed_token(t->lib, &t->bob, w, &tok3, &d), SC_OK);
    assert_int_equal(sc_user_set_disabled(t->lib, NULL, "bob", 1, &d), SC_OK);
    assert_int_equal(sc_watch_feed_atom(t->lib, tok3, NULL, NULL, &b, NULL), SC_ENOTFOUND);
    free(tok);
    free(tok2);
    free(tok3);
    sc_buf_release(&b);
}

static void updates(void **state)
{
    struct t *t = *state;
    import(t->lib, "a.txt", doc_a);
    import(t->lib, "b.txt", doc_b);
    import(t->lib, "p.txt", doc_paid);
    struct sc_updates_opts o = { 0 };
    o.limit = 2;
    struct sc_buf b = SC_BUF_INIT;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_updates_json(t->lib, &o, &b, &d), SC_OK);
    struct sc_json j;
    assert_int_equal(sc_json_parse(&j, b.data, b.len, 0, &d), SC_OK);
    int64_t total = 0, next = 0;
    sc_json_int(sc_json_get(&j, sc_json_root(&j), "total"), 0, INT64_MAX, &total);
    sc_json_int(sc_json_get(&j, sc_json_root(&j), "next_before"), 0, INT64_MAX, &next);
    assert_int_equal(total, 3);
    assert_int_equal(next, 2); /* the page holds 3 and 2 */
    const struct sc_json_node *days = sc_json_get(&j, sc_json_root(&j), "days");
    assert_int_equal(days->nkids, 1); /* all today */
    sc_json_release(&j);
    assert_null(strstr(b.data, "秘密"));
    sc_buf_reset(&b);
    o.genre = "通知";
    assert_int_equal(sc_updates_json(t->lib, &o, &b, &d), SC_OK);
    assert_non_null(strstr(b.data, "\"total\": 1"));
    sc_buf_reset(&b);
    o.genre = NULL;
    o.limit = 10;
    assert_int_equal(sc_updates_atom(t->lib, &o, "/api/v1/feeds/updates", "/", &b, &d), SC_OK);
    check_atom(b.data, b.len, 3);
    assert_null(strstr(b.data, "秘密"));
    sc_buf_release(&b);
}

static void read_only(void **state)
{
    struct t *t = *state;
    sc_library_close(t->lib);
    struct sc_diag d = { 0 };
    assert_int_equal(sc_library_open(t->path, SC_LIBRARY_READONLY, &t->lib, &d), SC_OK);
    struct sc_buf b = SC_BUF_INIT;
    assert_int_equal(sc_watch_list(t->lib, NULL, 1, &b, &d), SC_OK);
    assert_string_equal(b.data, "[]");
    sc_buf_release(&b);
    assert_int_equal(sc_watch_add(t->lib, NULL, NULL, "x", NULL, NULL), SC_EDENIED);
    assert_int_equal(sc_watch_match(t->lib, NULL, NULL), SC_EDENIED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(saving, setup, teardown),
        cmocka_unit_test_setup_teardown(matching, setup, teardown),
        cmocka_unit_test_setup_teardown(feed, setup, teardown),
        cmocka_unit_test_setup_teardown(updates, setup, teardown),
        cmocka_unit_test_setup_teardown(read_only, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
