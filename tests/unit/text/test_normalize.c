/*
 * Unit tests for lib/text/normalize.c: the five rules, the offset map, and
 * (when ../shared is present) agreement with the reference oracle on real
 * documents.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sucai/text.h"

static const struct {
    const char *in, *want;
} cases[] = {
    { "ＡＢＣ１２３", "abc123" },                     /* rule 1 + 2 */
    { "ＧＤＰ增长", "gdp增长" },
    { "a\xE3\x80\x80" "b", "a b" },                   /* U+3000 -> space between Latin */
    { "政 府 工 作 报 告", "政府工作报告" },           /* rule 4 */
    { "政\xE3\x80\x80\t \xC2\xA0府", "政府" },        /* mixed space run between CJK */
    { "政府 GDP", "政府 gdp" },                       /* CJK then Latin: kept */
    { "2023 年", "2023 年" },                         /* digit then CJK: kept */
    { "政\xE2\x80\x8B府", "政府" },                   /* rule 3: zero width */
    { "政\xE2\x80\x8B \xE2\x81\xA0府", "政府" },      /* zero width inside a space run */
    { "\xEF\xBB\xBF" "文件", "文件" },                /* BOM */
    { "第一条\n 第二条", "第一条\n 第二条" },         /* newline is not a space */
    { "政 \n府", "政 \n府" },
    { "（一）", "(一)" },                             /* full-width parentheses fold */
    { "。，、", "。,、" },                            /* ，is a full-width form; 。、 are not */
    { "", "" },
};

static void normalize_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sc_buf out = SC_BUF_INIT;
        assert_int_equal(sc_normalize(cases[i].in, strlen(cases[i].in), &out, NULL), SC_OK);
        if (strcmp(out.data, cases[i].want))
            fail_msg("case %zu: '%s' -> '%s', want '%s'", i, cases[i].in, out.data,
                     cases[i].want);
        sc_buf_release(&out);
    }
}

static void normalize_map_points_at_original(void **state)
{
    (void)state;
    const char *in = "Ａ政 府B";
    struct sc_buf out = SC_BUF_INIT;
    uint32_t *map;
    assert_int_equal(sc_normalize(in, strlen(in), &out, &map), SC_OK);
    assert_string_equal(out.data, "a政府b");
    assert_int_equal(map[0], 0);      /* a <- Ａ at 0 */
    assert_int_equal(map[1], 3);      /* 政 at 3 */
    assert_int_equal(map[4], 7);      /* 府 at 7 (after the dropped space) */
    assert_int_equal(map[7], 10);     /* b <- B */
    assert_int_equal(map[out.len], strlen(in));
    free(map);
    sc_buf_release(&out);
}

static void normalize_appends(void **state)
{
    (void)state;
    struct sc_buf out = SC_BUF_INIT;
    sc_buf_adds(&out, "x:");
    assert_int_equal(sc_normalize("Ａ", 3, &out, NULL), SC_OK);
    assert_string_equal(out.data, "x:a");
    sc_buf_release(&out);
}

/* The rules written the slow, obvious way (the reference's two passes over
 * decoded code points), to check the one-pass normaliser against. */
static int ref_zero_width(uint32_t c)
{
    return (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF;
}

static int ref_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == 0xA0;
}

static void ref_normalize(const char *s, size_t len, struct sc_buf *out, uint32_t *map)
{
    uint32_t cps[512], offs[512];
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = sc_utf8_decode(s + i, len - i, &cp);
        if (!k)
            k = 1, cp = 0xFFFD;
        if (!ref_zero_width(cp)) {
            if (cp >= 0xFF01 && cp <= 0xFF5E)
                cp -= 0xFEE0;
            else if (cp == 0x3000)
                cp = ' ';
            if (cp >= 'A' && cp <= 'Z')
                cp += 32;
            cps[n] = cp;
            offs[n++] = (uint32_t)i;
        }
        i += k;
    }
    uint32_t prev = 0;
    for (size_t i = 0; i < n;) {
        if (ref_space(cps[i]) && sc_is_cjk(prev)) {
            size_t j = i;
            while (j < n && ref_space(cps[j]))
                j++;
            if (j < n && sc_is_cjk(cps[j])) {
                i = j;
                continue;
            }
        }
        size_t at = out->len;
        sc_buf_add_cp(out, cps[i]);
        for (size_t b = at; b < out->len; b++)
            map[b] = offs[i];
        prev = cps[i++];
    }
    map[out->len] = (uint32_t)len;
}

/* Random strings of the characters that matter (ideographs at the edges of
 * the fast path, spaces, zero-width, full-width, upper case, invalid and
 * truncated bytes) give the same text and map as the slow reference. */
static void normalize_matches_slow_reference(void **state)
{
    (void)state;
    static const char *const atoms[] = {
        "政", "一", "\xE4\xB8\x80", "\xE4\xB7\x80" /* U+4DC0, not CJK */, "\xE3\x90\x80" /* U+3400 */,
        "\xE9\xBF\xBF", "\xEF\xA4\x80" /* U+F900 */, "\xF0\xA0\x80\x80" /* U+20000 */,
        " ", "\t", "\xC2\xA0", "\xE3\x80\x80", "\xE2\x80\x8B", "\xE2\x81\xA0", "\xEF\xBB\xBF",
        "Ａ", "ｚ", "（", "，", "A", "z", "1", "\n", "\xFF", "\xE5\xA5", "\xC3\x80", "。",
        /* the edges of the inline 3-byte path and of the folded ranges */
        "\xEF\xBC\x80" /* U+FF00 */, "\xEF\xBD\x9F" /* U+FF5F */, "\xE2\x80\x8E" /* U+200E */,
        "\xE2\x80\x80" /* U+2000 */, "\xE0\xA4\x80" /* U+0900 */, "\xED\x9F\xBF" /* U+D7FF */,
        "\xED\xA0\x80" /* a surrogate: invalid */, "\xE1\x80\x80" /* U+1000 */,
    };
    const size_t natoms = sizeof atoms / sizeof atoms[0];
    srand(7);
    for (int round = 0; round < 20000; round++) {
        char in[200];
        size_t len = 0;
        int parts = rand() % 24;
        for (int p = 0; p < parts; p++) {
            const char *a = atoms[rand() % natoms];
            size_t al = strlen(a);
            memcpy(in + len, a, al);
            len += al;
        }
        struct sc_buf got = SC_BUF_INIT, want = SC_BUF_INIT;
        uint32_t *map, wmap[1024];
        assert_int_equal(sc_normalize(in, len, &got, &map), SC_OK);
        ref_normalize(in, len, &want, wmap);
        if (got.len != want.len || memcmp(got.data, want.data, got.len))
            fail_msg("round %d: text differs from the reference", round);
        for (size_t b = 0; b <= got.len; b++)
            if (map[b] != wmap[b])
                fail_msg("round %d: map[%zu] = %u, want %u", round, b, map[b], wmap[b]);
        free(map);
        sc_buf_release(&got);
        sc_buf_release(&want);
    }
}

/* Compare with the reference implementation on a sample of real documents. */
static void normalize_agrees_with_oracle(void **state)
{
    (void)state;
    const char *shared = getenv("SUCAI_SHARED");
    char oracle[512], dir[512];
    snprintf(oracle, sizeof oracle, "%s/oracle/oracle.py", shared && *shared ? shared : "../shared");
    snprintf(dir, sizeof dir, "%s/corpus/docs", shared && *shared ? shared : "../shared");
    struct stat st;
    if (stat(oracle, &st) != 0 || stat(dir, &st) != 0 || system("command -v python3 >/dev/null") != 0) {
        printf("skipped: ../shared (oracle and corpus) or python3 not available\n");
        skip();
    }
    static const char *const files[] = { "0001.txt", "0100.txt", "1000.txt", "2000.txt",
                                         "3000.txt", "4000.txt", "4416.txt" };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[700], cmd[1600];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        struct sc_buf in = SC_BUF_INIT, got = SC_BUF_INIT, want = SC_BUF_INIT;
        char chunk[8192];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            sc_buf_add(&in, chunk, n);
        fclose(f);
        assert_int_equal(sc_normalize(in.data, in.len, &got, NULL), SC_OK);
        snprintf(cmd, sizeof cmd, "python3 '%s' normalize < '%s'", oracle, path);
        FILE *p = popen(cmd, "r");
        assert_non_null(p);
        while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
            sc_buf_add(&want, chunk, n);
        assert_int_equal(pclose(p), 0);
        if (got.len != want.len || memcmp(got.data, want.data, got.len))
            fail_msg("%s: normalisation differs from the oracle", files[i]);
        sc_buf_release(&in);
        sc_buf_release(&got);
        sc_buf_release(&want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(normalize_table),
        cmocka_unit_test(normalize_map_points_at_original),
        cmocka_unit_test(normalize_appends),
        cmocka_unit_test(normalize_matches_slow_reference),
        cmocka_unit_test(normalize_agrees_with_oracle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
