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

#endif
