/*
 * Helpers shared by the intake unit tests: finding the repository and
 * ../shared, reading fixtures, decoding with one call, checking the output
 * invariants, and golden files (GOLDEN_UPDATE=1 rewrites them).
 * Everything is static inline so each test file takes what it uses.
 */
#ifndef SUCAI_INGEST_TEST_H
#define SUCAI_INGEST_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after the four above, which it needs */

#include "sucai/ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The repository root: the current folder when it has tests/data/ingest
 * (tests/run works there), else found from the test binary's path
 * (<repo>/<build>/tests/unit/ingest/test_x). */
static inline const char *t_repo(void)
{
    static char repo[4096];
    if (repo[0])
        return repo;
    if (access("tests/data/ingest", F_OK) == 0) {
        snprintf(repo, sizeof repo, ".");
        return repo;
    }
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *t = strstr(exe, "/tests/unit/");
        if (t) {
            *t = '\0';
            char *b = strrchr(exe, '/'); /* drop the build folder */
            if (b)
                *b = '\0';
            snprintf(repo, sizeof repo, "%s", exe);
            return repo;
        }
    }
    snprintf(repo, sizeof repo, ".");
    return repo;
}

/* $SUCAI_SHARED or <repo>/../shared; NULL if it is not there. */
static inline const char *t_shared(void)
{
    static char shared[4200];
    const char *env = getenv("SUCAI_SHARED");
    if (env && env[0])
        snprintf(shared, sizeof shared, "%s", env);
    else
        snprintf(shared, sizeof shared, "%s/../shared", t_repo());
    char probe[4300];
    snprintf(probe, sizeof probe, "%s/corpus", shared);
    return access(probe, F_OK) == 0 ? shared : NULL;
}

/* Read a whole file into a malloc'd buffer (NUL-terminated); fails the
 * test if it cannot. */
static inline char *t_read(const char *path, size_t *len)
{
    char *data = NULL;
    struct sc_diag d = { 0 };
    enum sc_err err = sc_read_file(path, SC_MAX_FILE_BYTES, &data, len, &d);
    if (err != SC_OK)
        fail_msg("cannot read %s: %s", path, d.msg);
    return data;
}

static inline char *t_read_data(const char *name, size_t *len)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/tests/data/ingest/%s", t_repo(), name);
    return t_read(path, len);
}

/* The output contract: valid UTF-8, NUL only at len, no '\r', no control
 * characters but '\n' and '\t'; the sc_buf invariants. */
static inline void t_assert_clean(const struct sc_ingested *in)
{
    size_t bad = 0;
    assert_non_null(in->text.data);
    assert_int_equal(in->text.data[in->text.len], '\0');
    assert_true(sc_utf8_valid(in->text.data, in->text.len, &bad));
    assert_int_equal(strlen(in->text.data), in->text.len);
    for (size_t i = 0; i < in->text.len; i++) {
        unsigned char c = (unsigned char)in->text.data[i];
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
            fail_msg("control character 0x%02x at byte %zu", c, i);
    }
    if (in->title_hint) {
        assert_true(sc_utf8_valid(in->title_hint, strlen(in->title_hint), &bad));
        assert_null(strchr(in->title_hint, '\n'));
    }
}

/* Decode and expect success; returns the text (owned by in). */
static inline const char *t_ok(struct sc_ingested *in, const char *name, const void *data,
                               size_t len)
{
    struct sc_diag d = { 0 };
    enum sc_err err = sc_ingest_bytes(name, data, len, in, &d);
    if (err != SC_OK)
        fail_msg("%s refused (%s): %s", name, sc_strerror(err), d.msg);
    t_assert_clean(in);
    return in->text.data;
}

/* Decode and expect a refusal with error want and a message starting with
 * prefix (NULL: any). The message is returned in d. */
static inline void t_refused(const char *name, const void *data, size_t len, enum sc_err want,
                             const char *prefix, struct sc_diag *d)
{
    struct sc_ingested in;
    sc_ingested_init(&in);
    sc_diag_clear(d);
    enum sc_err err = sc_ingest_bytes(name, data, len, &in, d);
    if (getenv("T_VERBOSE")) /* to review the messages by eye */
        print_message("%s: %s\n", name, d->msg);
    if (err != want)
        fail_msg("%s: want %s, got %s: %s", name, sc_strerror(want), sc_strerror(err), d->msg);
    if (prefix && strncmp(d->msg, prefix, strlen(prefix)) != 0)
        fail_msg("%s: message \"%s\" does not start with \"%s\"", name, d->msg, prefix);
    /* house style: lower case start, no trailing period, no file name */
    assert_true(d->msg[0] != '\0');
    assert_false(d->msg[0] >= 'A' && d->msg[0] <= 'Z' && d->msg[1] >= 'a' && d->msg[1] <= 'z');
    assert_int_not_equal(d->msg[strlen(d->msg) - 1], '.');
    if (strlen(name) > 2)
        assert_null(strstr(d->msg, name));
    assert_int_equal(in.text.len, 0);
    assert_null(in.title_hint);
    sc_ingested_release(&in);
}

/* Compare text with tests/golden/ingest/<name>.txt; with GOLDEN_UPDATE=1
 * in the environment, write it instead. */
static inline void t_golden(const char *name, const char *text, size_t len)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/tests/golden/ingest/%s.txt", t_repo(), name);
    const char *upd = getenv("GOLDEN_UPDATE");
    if (upd && strcmp(upd, "1") == 0) {
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0)
            fail_msg("cannot write %s", path);
        return;
    }
    size_t glen = 0;
    char *want = t_read(path, &glen);
    if (glen != len || memcmp(want, text, len) != 0) {
        size_t i = 0;
        while (i < len && i < glen && want[i] == text[i])
            i++;
        fail_msg("%s differs from the golden file at byte %zu (got %zu bytes, want %zu); "
                 "rerun with GOLDEN_UPDATE=1 to accept",
                 name, i, len, glen);
    }
    free(want);
}

#endif
