/*
 * 提纲 over a library (lib/search/skeleton.c): on documents whose headings
 * are known, the most common skeleton and its share, clusters merging
 * variants with the label of the most used, sub-headings counted once per
 * document, a query narrowing the documents, leave-one-out (exclude, doc),
 * paid headings left out for callers not entitled, and the errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sucai/sucai.h"

static char DIR_[64], PATH[96];
static struct sc_library *LIB;

static int rm_one(const char *p, const struct stat *s, int f, struct FTW *w)
{
    (void)s;
    (void)f;
    (void)w;
    return remove(p);
}

static void add(const char *name, const char *text)
{
    struct sc_import_summary sum;
    struct sc_diag d = { 0 };
    if (sc_import_bytes(LIB, name, text, strlen(text), NULL, &sum, &d) != SC_OK ||
        sum.imported != 1)
        fprintf(stderr, "import %s: %s\n", name, d.msg);
}

static int setup(void **state)
{
    (void)state;
    snprintf(DIR_, sizeof DIR_, "/tmp/sucai-skel-XXXXXX");
    if (!mkdtemp(DIR_))
        return -1;
    snprintf(PATH, sizeof PATH, "%s/lib", DIR_);
    if (sc_library_open(PATH, SC_LIBRARY_CREATE, &LIB, NULL) != SC_OK)
        return -1;
    char t[1024];
    /* six 工作总结: four 主要工作 · 存在的问题 · 下一步打算 (in variants), one
     * without 问题, one with a paid heading */
    static const char *h2[] = { "存在的问题", "存在问题", "问题与不足", "存在的问题" };
    static const char *h1[] = { "主要工作", "工作开展情况", "主要工作", "主要工作" };
    for (int i = 0; i < 4; i++) {
        snprintf(
            t, sizeof t,
            "XX县%d局2023年工作总结\n一、%s\n（一）强化组织领导\n做了很多工作%d。\n（二）狠抓落实\n成效明显。\n"
            "二、%s\n问题不少。\n三、下一步打算\n继续努力%s。\n",
            i, h1[i], i, h2[i], i == 3 ? "安全生产" : "");
        char n[32];
        snprintf(n, sizeof n, "s%d.txt", i);
        add(n, t);
    }
    add("s4.txt", "XX县4局2023年工作总结\n一、主要工作\n做了工作。\n二、下一步打算\n继续。\n");
    add("s5.txt",
        "XX县5局2023年工作总结\n一、主要工作\n做了工作。\n##paidbegin##\n二、独家秘诀要点\n内容。\n##paidend##\n");
    add("n1.txt", "关于开展检查的通知\n一、检查范围\n全部。\n");
    return sc_index_sync(LIB, 1, NULL) == SC_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sc_library_close(LIB);
    nftw(DIR_, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

static char *stats(const char *genre, const char *query, int entitled, int64_t exclude, int64_t doc)
{
    struct sc_skeleton_opts o = { 0 };
    o.genre = genre;
    o.query = query;
    o.entitled = entitled;
    o.exclude = exclude;
    o.doc = doc;
    struct sc_buf b = SC_BUF_INIT;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_outline_stats_json(LIB, &o, &b, &d);
    if (e != SC_OK) {
        sc_buf_release(&b);
        return NULL;
    }
    return sc_buf_take(&b, NULL);
}

static void skeletons(void **state)
{
    (void)state;
    char *j = stats("工作总结", NULL, 1, 0, 0);
    assert_non_null(j);
    if (getenv("SKEL_DEBUG"))
        fprintf(stderr, "%s\n", j);
    assert_non_null(strstr(j, "\"docs\": 6, \"outlined\": 6"));
    /* the four share one skeleton, labelled by the variants used most (a
     * second one when it is used a quarter as often: 存在问题 1 of 2, not
     * 工作开展情况 1 of 5) */
    assert_non_null(strstr(
        j, "\"headings\": [\"主要工作\", \"存在的问题/存在问题\", \"下一步打算\"], "
           "\"keys\": [\"#work\", \"#problems\", \"#plans\"], \"count\": 4, \"share\": 0.667"));
    /* 主要工作 in all six; its usual sub-headings once per document */
    assert_non_null(strstr(
        j,
        "{\"key\": \"#work\", \"label\": \"主要工作\", \"variants\": [{\"text\": \"主要工作\", \"count\": 5}, {\"text\": \"工作开展情况\", \"count\": 1}]"));
    assert_non_null(strstr(
        j,
        "{\"key\": \"强化组织领导\", \"label\": \"强化组织领导\", \"count\": 4, \"share\": 0.667}"));
    /* an entitled caller sees the paid heading */
    assert_non_null(strstr(j, "独家秘诀要点"));
    free(j);
    /* one who is not does not */
    j = stats("工作总结", NULL, 0, 0, 0);
    assert_null(strstr(j, "独家秘诀"));
    assert_non_null(strstr(j, "\"outlined\": 6"));
    free(j);
    /* a query narrows the documents */
    j = stats("工作总结", "安全生产", 1, 0, 0);
    assert_non_null(strstr(j, "\"docs\": 1,"));
    free(j);
    /* leave one out, and its own keys */
    j = stats("工作总结", NULL, 1, 1, 1);
    assert_non_null(strstr(j, "\"docs\": 5,"));
    assert_non_null(
        strstr(j, "\"doc\": {\"id\": 1, \"keys\": [\"#work\", \"#problems\", \"#plans\"]}"));
    free(j);
    /* another genre; an unknown one has nothing */
    j = stats("通知", NULL, 1, 0, 0);
    assert_non_null(strstr(j, "\"docs\": 1,"));
    free(j);
    j = stats("没有这种", NULL, 1, 0, 0);
    assert_non_null(strstr(j, "\"docs\": 0, \"outlined\": 0, \"skeletons\": [], \"headings\": []"));
    free(j);
    /* errors */
    assert_null(stats(NULL, NULL, 1, 0, 0));
    assert_null(stats("工作总结", "(", 1, 0, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(skeletons) };
    return cmocka_run_group_tests(tests, setup, teardown);
}
