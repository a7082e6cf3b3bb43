/*
 * Golden cases for the 公文 parser: every tests/golden/gongwen/<case>.txt
 * is parsed (with <case>.hint as the docx title hint when that file
 * exists) and its sc_parsed_json dump compared with <case>.json.
 * GOLDEN_UPDATE=1 rewrites the .json files instead: review the diff.
 */
#include "gw_test.h"

#include <dirent.h>

static const char *golden_dir(void)
{
    static const char *const tries[] = { "tests/golden/gongwen", "../tests/golden/gongwen",
                                         "../../tests/golden/gongwen",
                                         "../../../tests/golden/gongwen" };
    struct stat st;
    for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++)
        if (stat(tries[i], &st) == 0 && S_ISDIR(st.st_mode))
            return tries[i];
    return NULL;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *read_opt(const char *path, size_t *len)
{
    char *data = NULL;
    if (sc_read_file(path, 16u << 20, &data, len, NULL) != SC_OK)
        return NULL;
    return data;
}

/* First line where a and b differ (1-based), for the failure message. */
static size_t first_diff_line(const char *a, const char *b)
{
    size_t line = 1;
    for (; *a && *a == *b; a++, b++)
        line += *a == '\n';
    return line;
}

static int run_case(const char *dir, const char *name, int update)
{
    char path[2048];
    size_t len, hlen = 0, wlen = 0;
    snprintf(path, sizeof path, "%s/%s.txt", dir, name);
    char *text = read_opt(path, &len);
    assert_non_null(text);
    snprintf(path, sizeof path, "%s/%s.hint", dir, name);
    char *hint = read_opt(path, &hlen);
    if (hint && hlen && hint[hlen - 1] == '\n')
        hint[hlen - 1] = '\0';

    struct sc_parsed p;
    struct sc_diag d = { 0 };
    struct sc_buf got = SC_BUF_INIT;
    enum sc_err err = sc_gongwen_parse(text, len, hint, &p, &d);
    if (err) {
        sc_buf_adds(&got, "{\"error\": ");
        sc_json_strz(&got, d.msg);
        sc_buf_adds(&got, "}\n");
    } else {
        gw_check_invariants(&p);
        sc_parsed_json(&got, &p);
        sc_parsed_release(&p);
    }
    assert_int_equal(sc_buf_err(&got), SC_OK);

    snprintf(path, sizeof path, "%s/%s.json", dir, name);
    int ok = 1;
    if (update) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(got.data, 1, got.len, f), got.len);
        assert_int_equal(fclose(f), 0);
        print_message("updated %s\n", path);
    } else {
        char *want = read_opt(path, &wlen);
        if (!want) {
            print_message("%s: missing (run with GOLDEN_UPDATE=1)\n", path);
            ok = 0;
        } else if (wlen != got.len || memcmp(want, got.data, wlen) != 0) {
            print_message("%s: differs from line %zu\n", path, first_diff_line(want, got.data));
            ok = 0;
        }
        free(want);
    }
    sc_buf_release(&got);
    free(text);
    free(hint);
    return ok;
}

static void golden(void **state)
{
    (void)state;
    const char *dir = golden_dir();
    assert_non_null(dir);
    const char *env = getenv("GOLDEN_UPDATE");
    int update = env && *env && strcmp(env, "0") != 0;
    DIR *dh = opendir(dir);
    assert_non_null(dh);
    char *names[256];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dh)) != NULL && n < 256) {
        size_t l = strlen(e->d_name);
        if (l > 4 && strcmp(e->d_name + l - 4, ".txt") == 0)
            names[n++] = sc_strndup(e->d_name, l - 4);
    }
    closedir(dh);
    qsort(names, n, sizeof names[0], cmp_names);
    assert_true(n >= 5);
    size_t failed = 0;
    for (size_t i = 0; i < n; i++) {
        failed += !run_case(dir, names[i], update);
        free(names[i]);
    }
    print_message("%zu golden cases, %zu differ\n", n, failed);
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(golden),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
