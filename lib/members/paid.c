/*
 * The paid rule's counting half: who a caller is for the daily allowance
 * of answers with paid matches, taking one (a single upsert per counter,
 * like the download quota, so threads and processes cannot overdraw), and
 * the library settings behind it (`sucai config`).
 *
 * Counters are keyed 'u:<user id>' (signed-in callers who may not read
 * paid text), 'a:<address>' (anonymous callers; IPv4 /32, IPv6 /64) and
 * '*' (all anonymous callers together), per LOCAL day. The settings
 * (paid.free …) are in settings.c.
 */
#include "members_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
static int take(struct sc_library *lib, const char *key, const char *day, int64_t limit, int64_t *n)
{
    int got = sc_daily_take(lib, &paid_answers, key, day, limit, n, NULL, NULL);
    if (got == 1 && *n == 1) {
        struct sc_stmt *sw = sc_store_prepare(
            lib->db,
            strcmp(key, "*") ? "DELETE FROM paid_answers WHERE day <> ?1 AND key = ?2"
                             : "DELETE FROM paid_answers WHERE day <> ?1",
            NULL);
        if (sw) {
            /* every parameter used: PostgreSQL cannot type one that is not */
            sc_stmt_bind_text(sw, 1, day, -1);
            if (strcmp(key, "*"))
                sc_stmt_bind_text(sw, 2, key, -1);
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

int sc_paid_take(struct sc_library *lib, const struct sc_caller *c, int64_t *left, const char **why)
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
