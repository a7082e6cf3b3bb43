/*
 * The parser over the shared corpus (skipped when ../shared is absent):
 * all 4,416 real documents (news, laws, State Council documents, 政府工作
 * 报告) parse, keep every line (no boilerplate is cut from real text),
 * satisfy the structural invariants, and get the 文种 the MANIFEST implies.
 */
#include "gw_test.h"

/* MANIFEST kind -> the genre the parser should give (NULL: not judged). */
static const char *expected_genre(const char *kind)
{
    static const char *const law[] = { "法律",     "地方性法规", "行政法规",
                                       "司法解释", "部门规章",   "条例" };
    for (size_t i = 0; i < sizeof law / sizeof law[0]; i++)
        if (strcmp(kind, law[i]) == 0)
            return "法律法规";
    if (strcmp(kind, "政策文件") == 0)
        return NULL; /* answers, circulars: no single 文种 */
    return kind;     /* 新闻稿, 通知, 意见, 函, 批复, 决定, 政府工作报告 */
}

static void corpus(void **state)
{
    (void)state;
    size_t mlen;
    char *manifest = gw_read_shared("corpus/MANIFEST.tsv", &mlen);
    const char *dir = gw_shared_dir();
    size_t docs = 0, judged = 0, right = 0, cut = 0, bytes = 0;
    char *save = NULL;
    char *line = strtok_r(manifest, "\n", &save); /* header */
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        char *col[6] = { 0 };
        char *s2 = NULL, *f = strtok_r(line, "\t", &s2);
        for (int c = 0; c < 6 && f; c++, f = strtok_r(NULL, "\t", &s2))
            col[c] = f;
        if (!col[5])
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/corpus/docs/%s", dir, col[0]);
        char *data;
        size_t len;
        assert_int_equal(sc_read_file(path, 64u << 20, &data, &len, NULL), SC_OK);
        struct sc_parsed p;
        struct sc_diag d = { 0 };
        enum sc_err err = sc_gongwen_parse(data, len, NULL, &p, &d);
        if (err)
            print_message("%s: %s\n", col[0], d.msg);
        assert_int_equal(err, SC_OK);
        assert_int_equal(p.narticles, 1);
        assert_false(p.is_compilation);
        gw_check_invariants(&p);
        for (size_t i = 0; i < p.nboiler; i++)
            print_message("%s:%lld cut: %s [%s]\n", col[0], (long long)p.boiler[i].line,
                          p.boiler[i].text, p.boiler[i].reason);
        cut += p.nboiler;
        const char *want = expected_genre(col[5]);
        if (want) {
            judged++;
            right += p.articles[0].genre && strcmp(p.articles[0].genre, want) == 0;
        }
        docs++;
        bytes += len;
        sc_parsed_release(&p);
        free(data);
    }
    free(manifest);
    print_message("corpus: %zu documents, %zu bytes, %zu lines cut, genre %zu/%zu right\n", docs,
                  bytes, cut, right, judged);
    assert_true(docs > 4000);
    assert_int_equal(cut, 0);
    /* the misses are mostly legal acts titled 决定 / 决议 / 批复 (their 文种) */
    assert_true(right * 100 >= judged * 98);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
