/*
 * Entitlements: the ONE table that decides what a principal may do
 * (sc_may), the daily download limits, tier and role names, and the
 * principal as JSON for GET /api/v1/me. Every endpoint asks sc_may; nothing
 * else in libsucai or the server decides entitlement on its own.
 */
#include "members_int.h"

#include <stdio.h>
#include <string.h>

/*
 * |                                 | anon | free | vip | svip | editor | admin |
 * | search, counts, titles, free    |  Y   |  Y   |  Y  |  Y   |   Y    |   Y   |
 * | snippets and text of paid parts |  N   |  N   |  Y  |  Y   |   Y    |   Y   |
 * | downloads per day               |  0   |  3*  | 30  | 200  |   oo   |  oo   |
 * | import                          |  N   |  N   |  N  |  N   |   Y    |   Y   |
 * | users, tokens, boilerplate      |  N   |  N   |  N  |  N   |   N    |   Y   |
 * | shelf: favourites, history, cart|  N   |  Y   |  Y  |  Y   |   Y    |   Y   |
 * | saved searches (sc_watch_limit) |  0   |  3   | 30  | 100  |  300   |  300  |
 * | 查重 checks per day (a draft)   |  5†  |  20  | 200 | 1000 |   oo   |  oo   |
 *  * free users download the free parts only (the caller passes
 *    entitled = sc_may(p, SC_ACT_READ_PAID) to compile/export).
 *  † anonymous checks are counted per client address; a check counts
 *    paid parts only for callers who may read them (others are told, one
 *    bit a document, which paid parts hold something of the draft, within
 *    the paid allowance: docs/internals/members.md).
 * The tier in a principal is already the effective one (an expired vip is
 * free). --all-entitled (a private server) opens reading and downloading to
 * everyone, without limit, but not import or administration: those stay
 * with roles.
 */
int sc_may(const struct sc_principal *p, enum sc_action a)
{
    static const struct sc_principal anon = { 0 };
    if (!p)
        p = &anon;
    int known = p->tier != SC_TIER_ANON; /* roles count only for a real user */
    int staff = known && (p->roles & (SC_ROLE_EDITOR | SC_ROLE_ADMIN));
    switch (a) {
    case SC_ACT_SEARCH: return 1;
    case SC_ACT_READ_PAID: return p->all_entitled || staff || p->tier >= SC_TIER_VIP;
    case SC_ACT_DOWNLOAD: return p->all_entitled || known;
    case SC_ACT_IMPORT: return staff;
    case SC_ACT_ADMIN: return known && (p->roles & SC_ROLE_ADMIN);
    case SC_ACT_SHELF: return known && p->user_id > 0; /* needs an account to keep it */
    case SC_ACT_CHECK: return 1;                       /* within sc_check_quota_daily */
    }
    return 0;
}

int sc_watch_limit(const struct sc_principal *p)
{
    if (!sc_may(p, SC_ACT_SHELF))
        return 0;
    if (p->roles & (SC_ROLE_EDITOR | SC_ROLE_ADMIN))
        return 300;
    return p->tier >= SC_TIER_SVIP ? 100 : p->tier == SC_TIER_VIP ? 30 : 3;
}

static const int default_quota[] = {
    [SC_TIER_ANON] = 0, [SC_TIER_FREE] = 3, [SC_TIER_VIP] = 30, [SC_TIER_SVIP] = 200
};

int sc_quota_daily(const struct sc_library *lib, const struct sc_principal *p)
{
    if (!p)
        return 0;
    if (p->all_entitled)
        return -1;
    if (p->tier == SC_TIER_ANON || p->tier > SC_TIER_SVIP)
        return 0;
    if (p->roles & (SC_ROLE_EDITOR | SC_ROLE_ADMIN))
        return -1;
    int n = default_quota[p->tier];
    if (!lib || !lib->db)
        return n;
    char key[32];
    snprintf(key, sizeof key, "quota.%s", sc_tier_name(p->tier));
    return (int)sc_setting_get(lib, key, 0, 1000000, n);
}

const char *sc_tier_name(enum sc_tier t)
{
    switch (t) {
    case SC_TIER_ANON: return "anonymous";
    case SC_TIER_FREE: return "free";
    case SC_TIER_VIP: return "vip";
    case SC_TIER_SVIP: return "svip";
    }
    return "anonymous";
}

enum sc_err sc_tier_parse(const char *s, enum sc_tier *out)
{
    static const enum sc_tier tiers[] = { SC_TIER_FREE, SC_TIER_VIP, SC_TIER_SVIP };
    for (size_t i = 0; s && i < sizeof tiers / sizeof tiers[0]; i++)
        if (!strcmp(s, sc_tier_name(tiers[i]))) {
            *out = tiers[i];
            return SC_OK;
        }
    return SC_EINVAL;
}

enum sc_err sc_roles_parse(const char *s, int *out)
{
    *out = 0;
    if (!s || !*s || !strcmp(s, "none"))
        return SC_OK;
    int roles = 0;
    while (*s) {
        size_t n = strcspn(s, ",");
        if (n == 6 && !strncmp(s, "editor", 6))
            roles |= SC_ROLE_EDITOR;
        else if (n == 5 && !strncmp(s, "admin", 5))
            roles |= SC_ROLE_ADMIN;
        else
            return SC_EINVAL;
        s += n;
        if (*s == ',')
            s++;
    }
    *out = roles;
    return SC_OK;
}

void sc_roles_json(struct sc_jw *w, int roles)
{
    sc_jw_arr(w, SC_JW_TIGHT);
    if (roles & SC_ROLE_EDITOR)
        sc_jw_strz(w, "editor");
    if (roles & SC_ROLE_ADMIN)
        sc_jw_strz(w, "admin");
    sc_jw_arr_end(w);
}

const char *sc_roles_name(int roles)
{
    switch (roles & (SC_ROLE_EDITOR | SC_ROLE_ADMIN)) {
    case SC_ROLE_EDITOR: return "editor";
    case SC_ROLE_ADMIN: return "admin";
    case SC_ROLE_EDITOR | SC_ROLE_ADMIN: return "editor,admin";
    default: return "-";
    }
}

void sc_roles_text(struct sc_buf *b, int roles)
{
    if (!(roles & (SC_ROLE_EDITOR | SC_ROLE_ADMIN)))
        sc_buf_adds(b, "-");
    if (roles & SC_ROLE_EDITOR)
        sc_buf_adds(b, "editor");
    if (roles & SC_ROLE_ADMIN)
        sc_buf_adds(b, roles & SC_ROLE_EDITOR ? ",admin" : "admin");
}

void sc_principal_from_row(struct sc_principal *p, int64_t id, const char *name, const char *tier,
                           int64_t expires, int roles, time_t now)
{
    memset(p, 0, sizeof *p);
    p->user_id = id;
    snprintf(p->name, sizeof p->name, "%s", name ? name : "");
    enum sc_tier t = SC_TIER_FREE;
    if (sc_tier_parse(tier, &t) != SC_OK)
        t = SC_TIER_FREE;
    p->tier_expires = (time_t)expires;
    if (t > SC_TIER_FREE && expires && expires <= now)
        t = SC_TIER_FREE; /* an expired vip/svip is free */
    p->tier = t;
    p->roles = roles & (SC_ROLE_EDITOR | SC_ROLE_ADMIN);
}

void sc_principal_from_stmt(struct sc_principal *p, struct sc_stmt *st, int col0, time_t now)
{
    sc_principal_from_row(p, sc_stmt_column_int64(st, col0), sc_stmt_column_text(st, col0 + 1),
                          sc_stmt_column_text(st, col0 + 2), sc_stmt_column_int64(st, col0 + 3),
                          sc_stmt_column_int(st, col0 + 4), now);
}

/* A daily limit: null = unlimited. */
static void json_limit(struct sc_jw *w, const char *key, int n)
{
    if (n < 0)
        sc_jw_knull(w, key);
    else
        sc_jw_kint(w, key, n);
}

void sc_principal_json(struct sc_library *lib, struct sc_buf *b, const struct sc_principal *p,
                       const char *csrf)
{
    static const struct sc_principal anon = { 0 };
    if (!p)
        p = &anon;
    struct sc_jw w;
    sc_jw_init(&w, b);
    sc_jw_obj(&w, SC_JW_TIGHT);
    sc_jw_kstrz(&w, "user", p->tier == SC_TIER_ANON ? NULL : p->name);
    sc_jw_kstrz(&w, "tier", sc_tier_name(p->tier));
    sc_jw_key(&w, "tier_expires");
    sc_time_json(&w, p->tier > SC_TIER_FREE ? p->tier_expires : 0);
    sc_jw_key(&w, "roles");
    sc_roles_json(&w, p->tier == SC_TIER_ANON ? 0 : p->roles);
    sc_jw_kbool(&w, "entitled", sc_may(p, SC_ACT_READ_PAID));
    sc_jw_key(&w, "may");
    sc_jw_obj(&w, SC_JW_TIGHT);
    sc_jw_kbool(&w, "search", sc_may(p, SC_ACT_SEARCH));
    sc_jw_kbool(&w, "read_paid", sc_may(p, SC_ACT_READ_PAID));
    sc_jw_kbool(&w, "download", sc_may(p, SC_ACT_DOWNLOAD));
    sc_jw_kbool(&w, "import", sc_may(p, SC_ACT_IMPORT));
    sc_jw_kbool(&w, "admin", sc_may(p, SC_ACT_ADMIN));
    sc_jw_kbool(&w, "shelf", sc_may(p, SC_ACT_SHELF));
    sc_jw_obj_end(&w);
    sc_jw_kint(&w, "saved_searches", sc_watch_limit(p));
    json_limit(&w, "downloads_per_day", sc_quota_daily(lib, p));
    json_limit(&w, "downloads_left", lib ? sc_quota_remaining(lib, p) : sc_quota_daily(lib, p));
    if (csrf)
        sc_jw_kstrz(&w, "csrf", csrf);
    sc_jw_obj_end(&w);
}
