/*
 * The library settings of `sucai config` (member_settings: the paid
 * rule's allowances and teaser, the download quotas) and the one way the
 * parts read and write a setting (check quotas keep their own keys).
 */
#include "members_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct setting {
    const char *key;
    int64_t def, min, max;
    const char *what;
};

static const struct setting settings[] = {
    { "paid.headings", 0, 0, 1, "show the headings of paid sections as a teaser (0 or 1)" },
    { "paid.free", SC_PAID_ANSWERS_FREE, 0, 1000000,
      "answers with paid matches per signed-in account and day" },
    { "paid.anon", SC_PAID_ANSWERS_ADDR, 0, 1000000,
      "answers with paid matches per anonymous address and day" },
    { "paid.anon_all", SC_PAID_ANSWERS_ANON_ALL, 0, 100000000,
      "answers with paid matches for all anonymous callers together per day" },
    { "quota.free", 3, 0, 1000000, "downloads per day, tier free" },
    { "quota.vip", 30, 0, 1000000, "downloads per day, tier vip" },
    { "quota.svip", 200, 0, 1000000, "downloads per day, tier svip" },
};
#define NSETTINGS (sizeof settings / sizeof settings[0])

static const struct setting *setting_of(const char *key)
{
    for (size_t i = 0; key && i < NSETTINGS; i++)
        if (!strcmp(settings[i].key, key))
            return &settings[i];
    return NULL;
}

int64_t sc_setting_get(const struct sc_library *lib, const char *key, int64_t min, int64_t max,
                       int64_t def)
{
    int64_t v = def;
    if (!lib || !lib->db)
        return v;
    struct sc_stmt *st = NULL;
    /* a library without the members tables yet has the defaults */
    if (sc_stmt_prepare(lib->db,
                        "SELECT CAST(value AS INTEGER) FROM member_settings WHERE key = ?1",
                        &st) == SC_STORE_OK) {
        sc_stmt_bind_text(st, 1, key, -1);
        if (sc_stmt_step(st) == SC_STORE_ROW) {
            int64_t x = sc_stmt_column_int64(st, 0);
            if (x >= min && x <= max)
                v = x;
        }
    }
    sc_stmt_finalize(st);
    return v;
}

enum sc_err sc_setting_put(struct sc_library *lib, const char *key, int64_t v, struct sc_diag *diag)
{
    char val[24];
    snprintf(val, sizeof val, "%lld", (long long)v);
    struct sc_stmt *st = sc_store_prepare(lib->db,
                                          "INSERT INTO member_settings(key, value) VALUES(?1, ?2) "
                                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                                          diag);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_text(st, 1, key, -1);
    sc_stmt_bind_text(st, 2, val, -1);
    enum sc_err e = SC_OK;
    if (sc_stmt_step(st) != SC_STORE_DONE)
        e = sc_store_fail(lib->db, diag);
    sc_stmt_finalize(st);
    return e;
}

int64_t sc_setting_int(struct sc_library *lib, const char *key, int64_t def)
{
    const struct setting *s = setting_of(key);
    return sc_setting_get(lib, key, s ? s->min : INT64_MIN, s ? s->max : INT64_MAX, def);
}

enum sc_err sc_setting_set(struct sc_library *lib, const struct sc_principal *actor,
                           const char *key, const char *value, struct sc_diag *diag)
{
    const struct setting *s = setting_of(key);
    if (!s)
        return sc_diag_set(diag, SC_EINVAL, "no setting '%.60s' (see sucai config --help)",
                           key ? key : "");
    char *end = NULL;
    long long v = value && *value ? strtoll(value, &end, 10) : 0;
    if (!value || !*value || *end || v < s->min || v > s->max)
        return sc_diag_set(diag, SC_EINVAL, "%s takes a whole number from %lld to %lld", s->key,
                           (long long)s->min, (long long)s->max);
    enum sc_err e = sc_members_writable(lib, diag);
    if (e != SC_OK)
        return e;
    e = sc_setting_put(lib, s->key, v, diag);
    if (e != SC_OK)
        return e;
    char d[96];
    snprintf(d, sizeof d, "%s=%lld", s->key, v);
    sc_audit(lib, actor, "setting", d, actor ? NULL : "cli");
    return SC_OK;
}

enum sc_err sc_settings_list(struct sc_library *lib, int json, struct sc_buf *out,
                             struct sc_diag *diag)
{
    (void)diag;
    struct sc_jw w;
    sc_jw_init(&w, out);
    if (json)
        sc_jw_obj(&w, SC_JW_INLINE);
    for (size_t i = 0; i < NSETTINGS; i++) {
        int64_t v = sc_setting_int(lib, settings[i].key, settings[i].def);
        if (json)
            sc_jw_kint(&w, settings[i].key, v);
        else
            sc_buf_addf(out, "%-14s %-10lld %s\n", settings[i].key, (long long)v, settings[i].what);
    }
    if (json) {
        sc_jw_obj_end(&w);
        sc_buf_addc(out, '\n');
    }
    return json ? sc_jw_finish(&w) : sc_buf_err(out);
}
