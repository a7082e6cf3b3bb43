/*
 * Daily 查重 quotas: how many drafts a caller may check a day. Kept like the
 * download quota (one counter row per caller and LOCAL date, taken with a
 * single upsert that only increments while under the limit), with one
 * difference: anonymous callers may check too, counted per client address
 * ("a:<addr>"), members per account ("u:<id>"). The limits live in
 * member_settings as "check.<tier>"; the table of counters is created on
 * first use (libraries made before it have the other members tables).
 */
#include "members_int.h"

#include <stdio.h>
#include <string.h>

#define MAX_CHECKS 1000000

static const int default_checks[] = {
    [SC_TIER_ANON] = 5, [SC_TIER_FREE] = 20, [SC_TIER_VIP] = 200, [SC_TIER_SVIP] = 1000
};

static const struct sc_daily check_counts = { "check_counts", "who" };

static const char check_sql[] = "CREATE TABLE IF NOT EXISTS check_counts(\n"
                                "  who TEXT NOT NULL,   -- 'u:' user id or 'a:' client address\n"
                                "  day TEXT NOT NULL,   -- local date YYYY-MM-DD\n"
                                "  n INTEGER NOT NULL,\n"
                                "  PRIMARY KEY(who, day)) WITHOUT ROWID;\n";

int sc_check_quota_daily(const struct sc_library *lib, const struct sc_principal *p)
{
    static const struct sc_principal anon = { 0 };
    if (!p)
        p = &anon;
    if (p->all_entitled)
        return -1;
    if (p->tier > SC_TIER_SVIP)
        return 0;
    if (p->tier != SC_TIER_ANON && (p->roles & (SC_ROLE_EDITOR | SC_ROLE_ADMIN)))
        return -1;
    int n = default_checks[p->tier];
    if (!lib || !lib->db)
        return n;
    char key[32];
    snprintf(key, sizeof key, "check.%s", sc_tier_name(p->tier));
    return (int)sc_setting_get(lib, key, 0, MAX_CHECKS, n);
}

/* The counter's key for p calling from addr. */
static void who_key(const struct sc_principal *p, const char *addr, char out[96])
{
    if (p && p->tier != SC_TIER_ANON && p->user_id > 0)
        snprintf(out, 96, "u:%lld", (long long)p->user_id);
    else
        snprintf(out, 96, "a:%.64s", addr && *addr ? addr : "-");
}

static enum sc_err ready(struct sc_library *lib, struct sc_diag *diag)
{
    enum sc_err e = sc_members_ready(lib, diag);
    if (e == SC_OK && !(lib->flags & SC_LIBRARY_READONLY))
        e = sc_store_exec(lib->db, check_sql, diag);
    return e;
}

enum sc_err sc_check_quota_take(struct sc_library *lib, const struct sc_principal *p,
                                const char *addr, int *remaining, struct sc_diag *diag)
{
    if (remaining)
        *remaining = 0;
    if (!sc_may(p, SC_ACT_CHECK))
        return sc_diag_set(diag, SC_EDENIED, "checking drafts is not allowed");
    int limit = sc_check_quota_daily(lib, p);
    if (limit < 0) {
        if (remaining)
            *remaining = -1;
        return SC_OK;
    }
    if (limit == 0)
        return sc_diag_set(diag, SC_ELIMIT, "daily check limit (0) reached");
    enum sc_err e = ready(lib, diag);
    if (e != SC_OK)
        return e;
    char who[96], day[16];
    who_key(p, addr, who);
    sc_local_day(sc_members_now(), day);
    int64_t n = 0;
    int taken = sc_daily_take(lib, &check_counts, who, day, limit, &n, &e, diag);
    if (taken < 0)
        return e;
    if (!taken)
        return sc_diag_set(diag, SC_ELIMIT, "daily check limit (%d) reached%s", limit,
                           p && p->tier != SC_TIER_ANON ? "" : "; log in for more");
    if (remaining)
        *remaining = limit - n > 0 ? (int)(limit - n) : 0;
    return SC_OK;
}

void sc_check_quota_give_back(struct sc_library *lib, const struct sc_principal *p,
                              const char *addr)
{
    if (sc_check_quota_daily(lib, p) < 0 || ready(lib, NULL) != SC_OK)
        return;
    char who[96], day[16];
    who_key(p, addr, who);
    sc_local_day(sc_members_now(), day);
    sc_daily_give_back(lib, &check_counts, who, day);
}

int sc_check_quota_remaining(struct sc_library *lib, const struct sc_principal *p, const char *addr)
{
    int limit = sc_check_quota_daily(lib, p);
    if (limit <= 0)
        return limit;
    char who[96], day[16];
    who_key(p, addr, who);
    sc_local_day(sc_members_now(), day);
    int64_t used = sc_daily_used(lib, &check_counts, who, day);
    return used < limit ? (int)(limit - used) : 0;
}

enum sc_err sc_check_quota_set(struct sc_library *lib, const struct sc_principal *actor,
                               enum sc_tier tier, int n, struct sc_diag *diag)
{
    enum sc_err e = sc_members_writable(lib, diag);
    if (e != SC_OK)
        return e;
    if (tier > SC_TIER_SVIP)
        return sc_diag_set(diag, SC_EINVAL,
                           "check quotas are set for anonymous, free, vip or svip");
    if (n < 0 || n > MAX_CHECKS)
        return sc_diag_set(diag, SC_EINVAL, "a daily check quota is 0 to %d", MAX_CHECKS);
    char key[32];
    snprintf(key, sizeof key, "check.%s", sc_tier_name(tier));
    e = sc_setting_put(lib, key, n, diag);
    if (e != SC_OK)
        return e;
    char d[64];
    snprintf(d, sizeof d, "tier=%s checks_per_day=%d", sc_tier_name(tier), n);
    sc_audit(lib, actor, "check_quota", d, actor ? NULL : "cli");
    return SC_OK;
}
