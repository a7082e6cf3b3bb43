/*
 * The paid rule's counting half: who a caller is for the daily allowance
 * of answers with paid matches, taking one (a single upsert per counter,
 * like the download quota, so threads and processes cannot overdraw), and
 * the library settings behind it (`sucai config`).
 *
 * Counters are keyed 'u:<user id>' (signed-in callers who may not read
 * paid text), 'a:<address>' (anonymous callers; IPv4 /32, IPv6 /64) and
 * '*' (all anonymous callers together), per LOCAL day.
 */
#include "members_int.h"

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

int64_t sc_setting_int(struct sc_library *lib, const char *key, int64_t def)
{
    int64_t v = def;
    const struct setting *s = setting_of(key);
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
            if (!s || (x >= s->min && x <= s->max))
                v = x;
        }
    }
    sc_stmt_finalize(st);
    return v;
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
    char val[24];
    snprintf(val, sizeof val, "%lld", v);
    struct sc_stmt *st = sc_store_prepare(lib->db,
                                          "INSERT INTO member_settings(key, value) VALUES(?1, ?2) "
                                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                                          diag);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_text(st, 1, s->key, -1);
    sc_stmt_bind_text(st, 2, val, -1);
    if (sc_stmt_step(st) != SC_STORE_DONE)
        e = sc_store_fail(lib->db, diag);
    sc_stmt_finalize(st);
    if (e != SC_OK)
        return e;
    char d[96];
    snprintf(d, sizeof d, "%s=%s", s->key, val);
    sc_audit(lib, actor, "setting", d, actor ? NULL : "cli");
    return SC_OK;
}

enum sc_err sc_settings_list(struct sc_library *lib, int json, struct sc_buf *out,
                             struct sc_diag *diag)
{
    (void)diag;
    if (json)
        sc_buf_addc(out, '{');
    for (size_t i = 0; i < NSETTINGS; i++) {
        int64_t v = sc_setting_int(lib, settings[i].key, settings[i].def);
        if (json) {
            sc_buf_addf(out, "%s\"%s\": %lld", i ? ", " : "", settings[i].key, (long long)v);
        } else {
            sc_buf_addf(out, "%-14s %-10lld %s\n", settings[i].key, (long long)v,
                        settings[i].what);
        }
    }
    if (json)
        sc_buf_adds(out, "}\n");
    return sc_buf_err(out);
}

void sc_view_of(struct sc_library *lib, const struct sc_principal *p, struct sc_view *out)
{
    out->entitled = sc_may(p, SC_ACT_READ_PAID);
    out->headings = sc_setting_int(lib, "paid.headings", 0) == 1;
}

void sc_caller_init(struct sc_library *lib, const struct sc_principal *p, const char *addr,
                    struct sc_caller *out)
{
    memset(out, 0, sizeof *out);
    sc_view_of(lib, p, &out->view);
    if (p && p->user_id > 0 && p->tier != SC_TIER_ANON)
        out->user_id = p->user_id;
    else
        sc_addr_key(addr, out->net);
}

void sc_caller_operator(struct sc_library *lib, int entitled, struct sc_caller *out)
{
    memset(out, 0, sizeof *out);
    out->view.entitled = entitled;
    out->view.headings = sc_setting_int(lib, "paid.headings", 0) == 1;
    out->unmetered = 1;
}

/* Take one from counter key under limit; 1 taken (*n = the count now), 0
 * used up, -1 store error. */
static const struct sc_daily paid_answers = { "paid_answers", "key" };

/* One answer from counter key under limit (1 taken, 0 not, -1 the store
 * failed). A counter's first answer of the day sweeps its older days (the
 * shared one sweeps everybody's). */
static int take(struct sc_library *lib, const char *key, const char *day, int64_t limit,
                int64_t *n)
{
    int got = sc_daily_take(lib, &paid_answers, key, day, limit, n, NULL, NULL);
    if (got == 1 && *n == 1) {
        struct sc_stmt *sw = sc_store_prepare(
            lib->db,
            strcmp(key, "*") ? "DELETE FROM paid_answers WHERE key = ?1 AND day <> ?2"
                             : "DELETE FROM paid_answers WHERE day <> ?2",
            NULL);
        if (sw) {
            sc_stmt_bind_text(sw, 1, key, -1);
            sc_stmt_bind_text(sw, 2, day, -1);
            sc_stmt_step(sw);
            sc_stmt_finalize(sw);
        }
    }
    return got;
}

static void give_back(struct sc_library *lib, const char *key, const char *day)
{
    sc_daily_give_back(lib, &paid_answers, key, day);
}

static int64_t used(struct sc_library *lib, const char *key, const char *day)
{
    return sc_daily_used(lib, &paid_answers, key, day);
}

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

int sc_paid_take(struct sc_library *lib, const struct sc_caller *c, int64_t *left,
                 const char **why)
{
    *left = -1;
    *why = "";
    if (!c)
        return 0;
    if (c->unmetered)
        return 1;
    *left = 0;
    if (!lib || sc_members_writable(lib, NULL) != SC_OK) {
        *why = "paid parts cannot be searched: the library cannot count the answers";
        return 0;
    }
    char day[16], ukey[32];
    sc_local_day(sc_members_now(), day);
    int64_t n = 0, m = 0;
    if (c->user_id > 0) {
        int64_t lim = sc_setting_int(lib, "paid.free", SC_PAID_ANSWERS_FREE);
        snprintf(ukey, sizeof ukey, "u:%lld", (long long)c->user_id);
        int r = take(lib, ukey, day, lim, &n);
        if (r <= 0) {
            *why = r < 0 ? "paid parts cannot be searched: the library cannot count the answers"
                         : "the daily searches in paid parts for this account are used up";
            return 0;
        }
        *left = lim - n;
        return 1;
    }
    const char *net = c->net[0] ? c->net : "a:?";
    int64_t lim = sc_setting_int(lib, "paid.anon", SC_PAID_ANSWERS_ADDR);
    int64_t all = sc_setting_int(lib, "paid.anon_all", SC_PAID_ANSWERS_ANON_ALL);
    int r = take(lib, net, day, lim, &n);
    if (r <= 0) {
        *why = r < 0 ? "paid parts cannot be searched: the library cannot count the answers"
                     : "the daily searches in paid parts from this address are used up; "
                       "sign in for more";
        return 0;
    }
    r = take(lib, "*", day, all, &m);
    if (r <= 0) {
        give_back(lib, net, day);
        *why = r < 0 ? "paid parts cannot be searched: the library cannot count the answers"
                     : "the daily searches in paid parts for visitors are used up; sign in "
                       "for more";
        return 0;
    }
    *left = min64(lim - n, all - m);
    return 1;
}

int64_t sc_paid_left(struct sc_library *lib, const struct sc_caller *c)
{
    if (!c || c->unmetered || c->view.entitled || !lib || !lib->db)
        return -1;
    char day[16], ukey[32];
    sc_local_day(sc_members_now(), day);
    if (c->user_id > 0) {
        int64_t lim = sc_setting_int(lib, "paid.free", SC_PAID_ANSWERS_FREE);
        snprintf(ukey, sizeof ukey, "u:%lld", (long long)c->user_id);
        int64_t u = used(lib, ukey, day);
        return lim > u ? lim - u : 0;
    }
    int64_t lim = sc_setting_int(lib, "paid.anon", SC_PAID_ANSWERS_ADDR);
    int64_t all = sc_setting_int(lib, "paid.anon_all", SC_PAID_ANSWERS_ANON_ALL);
    int64_t a = lim - used(lib, c->net[0] ? c->net : "a:?", day);
    int64_t b = all - used(lib, "*", day);
    int64_t l = min64(a, b);
    return l > 0 ? l : 0;
}
