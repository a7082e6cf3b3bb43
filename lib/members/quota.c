/*
 * Daily download quotas. One counter row per user and LOCAL date; taking a
 * download is a single upsert that only increments while under the limit,
 * so concurrent requests (threads or processes) cannot both take the last
 * one: SQLite serialises writers and the statement's RETURNING clause tells
 * this caller whether its own increment happened.
 */
#include "members_int.h"

#include <stdio.h>
#include <string.h>

#define MAX_QUOTA 1000000

void sc_local_day(time_t t, char out[16])
{
    struct tm tm;
    if (!localtime_r(&t, &tm) || !strftime(out, 16, "%Y-%m-%d", &tm))
        snprintf(out, 16, "d%d", (int)(t / 86400 % 100000000));
}

static void audit_download(struct sc_library *lib, const struct sc_principal *p, const char *action,
                           const char *detail, const char *why, const char *addr)
{
    struct sc_buf d = SC_BUF_INIT;
    sc_buf_adds(&d, detail ? detail : "");
    if (why)
        sc_buf_addf(&d, "%s(%s)", d.len ? " " : "", why);
    sc_audit(lib, p, action, d.data, addr);
    sc_buf_release(&d);
}

enum sc_err sc_quota_take(struct sc_library *lib, const struct sc_principal *p, const char *detail,
                          const char *addr, int *remaining, struct sc_diag *diag)
{
    if (remaining)
        *remaining = 0;
    enum sc_err e = sc_members_ready(lib, diag);
    if (e != SC_OK)
        return e;
    if (!sc_may(p, SC_ACT_DOWNLOAD)) {
        audit_download(lib, p, "download_refused", detail, "not allowed", addr);
        return sc_diag_set(diag, SC_EDENIED, "downloads need an account; please log in");
    }
    int limit = sc_quota_daily(lib, p);
    if (limit < 0) {
        if (remaining)
            *remaining = -1;
        audit_download(lib, p, "download", detail, NULL, addr);
        return SC_OK;
    }
    if (limit == 0 || p->user_id <= 0) {
        audit_download(lib, p, "download_refused", detail, "limit 0", addr);
        return sc_diag_set(diag, SC_ELIMIT, "daily download limit (%d) reached", limit);
    }
    char day[16];
    sc_local_day(sc_members_now(), day);
    struct sc_stmt *st = sc_store_prepare(lib->db,
                                          "INSERT INTO download_counts(user_id, day, n) "
                                          "VALUES(?1, ?2, 1) ON CONFLICT(user_id, day) "
                                          "DO UPDATE SET n = download_counts.n + 1 "
                                          "WHERE download_counts.n < ?3 RETURNING n",
                                          diag);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_int64(st, 1, p->user_id);
    sc_stmt_bind_text(st, 2, day, -1);
    sc_stmt_bind_int(st, 3, limit);
    int rc = sc_stmt_step(st);
    int taken = 0, n = 0;
    if (rc == SC_STORE_ROW) {
        taken = 1;
        n = sc_stmt_column_int(st, 0);
        rc = sc_stmt_step(st);
    }
    if (rc != SC_STORE_DONE)
        e = sc_store_fail(lib->db, diag);
    sc_stmt_finalize(st);
    if (e != SC_OK)
        return e;
    if (!taken) {
        audit_download(lib, p, "download_refused", detail, "quota", addr);
        return sc_diag_set(diag, SC_ELIMIT, "daily download limit (%d) reached", limit);
    }
    if (remaining)
        *remaining = limit - n > 0 ? limit - n : 0;
    audit_download(lib, p, "download", detail, NULL, addr);
    return SC_OK;
}

void sc_quota_give_back(struct sc_library *lib, const struct sc_principal *p)
{
    if (!p || p->user_id <= 0 || sc_quota_daily(lib, p) < 0 || sc_members_ready(lib, NULL) != SC_OK)
        return;
    char day[16];
    sc_local_day(sc_members_now(), day);
    struct sc_stmt *st = sc_store_prepare(lib->db,
                                          "UPDATE download_counts SET n = n - 1 "
                                          "WHERE user_id = ?1 AND day = ?2 AND n > 0",
                                          NULL);
    if (!st)
        return;
    sc_stmt_bind_int64(st, 1, p->user_id);
    sc_stmt_bind_text(st, 2, day, -1);
    sc_stmt_step(st);
    sc_stmt_finalize(st);
}

int sc_quota_remaining(struct sc_library *lib, const struct sc_principal *p)
{
    if (!sc_may(p, SC_ACT_DOWNLOAD))
        return 0;
    int limit = sc_quota_daily(lib, p);
    if (limit <= 0 || p->user_id <= 0)
        return limit < 0 ? -1 : 0;
    char day[16];
    sc_local_day(sc_members_now(), day);
    struct sc_stmt *st = NULL;
    int used = 0;
    if (sc_stmt_prepare(lib->db, "SELECT n FROM download_counts WHERE user_id = ?1 AND day = ?2",
                        &st) == SC_STORE_OK) {
        sc_stmt_bind_int64(st, 1, p->user_id);
        sc_stmt_bind_text(st, 2, day, -1);
        if (sc_stmt_step(st) == SC_STORE_ROW)
            used = sc_stmt_column_int(st, 0);
    }
    sc_stmt_finalize(st);
    return used < limit ? limit - used : 0;
}

enum sc_err sc_quota_set(struct sc_library *lib, const struct sc_principal *actor,
                         enum sc_tier tier, int n, struct sc_diag *diag)
{
    enum sc_err e = sc_members_ready(lib, diag);
    if (e != SC_OK)
        return e;
    if (tier != SC_TIER_FREE && tier != SC_TIER_VIP && tier != SC_TIER_SVIP)
        return sc_diag_set(diag, SC_EINVAL, "quotas are set for free, vip or svip");
    if (n < 0 || n > MAX_QUOTA)
        return sc_diag_set(diag, SC_EINVAL, "a daily quota is 0 to %d", MAX_QUOTA);
    char key[32];
    snprintf(key, sizeof key, "quota.%s", sc_tier_name(tier));
    e = sc_setting_put(lib, key, n, diag);
    if (e != SC_OK)
        return e;
    char d[64];
    snprintf(d, sizeof d, "tier=%s per_day=%d", sc_tier_name(tier), n);
    sc_audit(lib, actor, "quota", d, actor ? NULL : "cli");
    return SC_OK;
}
