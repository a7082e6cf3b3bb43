/*
 * Helpers for the 公文 parser tests: locate ../shared (the seed and the
 * corpus; tests that need it skip when it is absent), parse a string, and
 * pick code-point ranges out of an article's text.
 */
#ifndef GW_TEST_H
#define GW_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sucai/gongwen.h"

#define SEED_NAME "2023年度工作总结汇编（9篇）.txt"

/* $SUCAI_SHARED, else ../shared from the repository (the tests run from
 * the repository root), else NULL. */
static inline const char *gw_shared_dir(void)
{
    static char buf[1024];
    const char *env = getenv("SUCAI_SHARED");
    struct stat st;
    if (env && *env && stat(env, &st) == 0)
        return env;
    const char *tries[] = { "../shared", "../../shared", "../../../shared" };
    for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
        snprintf(buf, sizeof buf, "%s/corpus", tries[i]);
        if (stat(buf, &st) == 0) {
            snprintf(buf, sizeof buf, "%s", tries[i]);
            return buf;
        }
    }
    return NULL;
}

/* Read a file below the shared dir, or skip the test. */
static inline char *gw_read_shared(const char *rel, size_t *len)
{
    const char *dir = gw_shared_dir();
    if (!dir)
        skip();
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    char *data = NULL;
    struct sc_diag d = { 0 };
    if (sc_read_file(path, 64u << 20, &data, len, &d) != SC_OK) {
        print_message("cannot read %s: %s\n", path, d.msg);
        skip();
    }
    return data;
}

static inline void gw_parse_ok(const char *text, const char *hint, struct sc_parsed *p)
{
    struct sc_diag d = { 0 };
    enum sc_err err = sc_gongwen_parse(text, strlen(text), hint, p, &d);
    if (err)
        print_message("parse failed: %s\n", d.msg);
    assert_int_equal(err, SC_OK);
}

/* Copy of text[from, to) in code points (to < 0: to the end); caller frees. */
static inline char *gw_cp_slice(const struct sc_buf *text, int64_t from, int64_t to)
{
    size_t a = sc_utf8_offset(text->data, text->len, (size_t)from);
    size_t b = to < 0 ? text->len : sc_utf8_offset(text->data, text->len, (size_t)to);
    assert_true(a <= b);
    char *s = malloc(b - a + 1);
    assert_non_null(s);
    memcpy(s, text->data + a, b - a);
    s[b - a] = '\0';
    return s;
}

/* Does the cp range [from, to) of text start with prefix? */
static inline int gw_cp_starts(const struct sc_buf *text, int64_t from, const char *prefix)
{
    size_t a = sc_utf8_offset(text->data, text->len, (size_t)from);
    return strncmp(text->data + a, prefix, strlen(prefix)) == 0;
}

static inline const struct sc_section *gw_find_section(const struct sc_article *a,
                                                       const char *label, const char *heading)
{
    for (size_t i = 0; i < a->nsections; i++)
        if (strcmp(a->sections[i].label, label) == 0 &&
            (!heading || strcmp(a->sections[i].heading, heading) == 0))
            return &a->sections[i];
    return NULL;
}

/* Offsets within the text, sections properly nested, points inside their
 * sections, paid ranges sane, boilerplate lines in order. */
static inline void gw_check_invariants(const struct sc_parsed *p)
{
    for (size_t i = 0; i < p->narticles; i++) {
        const struct sc_article *a = &p->articles[i];
        int64_t total = (int64_t)sc_utf8_count(a->text.data, a->text.len);
        assert_non_null(a->title);
        assert_memory_equal(a->text.data, a->title, strlen(a->title));
        assert_true(a->src_line >= 1);
        assert_true(a->paid_from_cp >= -1 && a->paid_from_cp < total);
        assert_true(
            a->paid_to_cp == -1 ||
            (a->paid_from_cp >= 0 && a->paid_from_cp < a->paid_to_cp && a->paid_to_cp < total));
        for (size_t k = 0; k < a->nsections; k++) {
            const struct sc_section *s = &a->sections[k];
            assert_true(0 <= s->start_cp && s->start_cp < s->end_cp && s->end_cp <= total);
            assert_true(s->level >= 1);
            assert_true(s->kind >= 0 && s->kind < SC_KIND_COUNT);
            if (k > 0)
                assert_true(a->sections[k - 1].start_cp < s->start_cp);
            for (size_t j = k; j-- > 0;) {
                if (a->sections[j].level < s->level) {
                    assert_true(s->end_cp <= a->sections[j].end_cp);
                    break;
                }
            }
            for (size_t j = 0; j < s->npoints; j++) {
                assert_true(s->start_cp <= s->points[j].start_cp);
                assert_true(s->points[j].start_cp < s->points[j].end_cp);
                assert_true(s->points[j].end_cp <= s->end_cp);
                if (j > 0)
                    assert_true(s->points[j - 1].end_cp <= s->points[j].start_cp);
            }
        }
        if (i > 0)
            assert_true(p->articles[i - 1].src_line < a->src_line);
    }
    for (size_t i = 1; i < p->nboiler; i++)
        assert_true(p->boiler[i - 1].line < p->boiler[i].line);
}

#endif
