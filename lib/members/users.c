/*
 * Member accounts: add, change tier/roles/password, disable, list. Every
 * change is written to the audit log with the actor (NULL = the operator
 * at the command line, recorded with address "cli").
 */
#include "members_int.h"

#include <sodium.h>
#include <string.h>

#define MAX_DAYS 36500

static const char *actor_addr(const struct sc_principal *actor)
{
    return actor ? NULL : "cli";
}

static enum sc_err check_days(int days, struct sc_diag *diag)
{
    if (days < 0 || days > MAX_DAYS)
        return sc_diag_set(diag, SC_EINVAL, "days must be between 0 and %d", MAX_DAYS);
    return SC_OK;
}

static int64_t expiry(enum sc_tier tier, int days)
{
    return tier > SC_TIER_FREE && days > 0 ? (int64_t)sc_members_now() + (int64_t)days * 86400 : 0;
}

static enum sc_err check_tier(enum sc_tier tier, struct sc_diag *diag)
{
    if (tier != SC_TIER_FREE && tier != SC_TIER_VIP && tier != SC_TIER_SVIP)
        return sc_diag_set(diag, SC_EINVAL, "tier must be free, vip or svip");
    return SC_OK;
}

static void tier_detail(struct sc_buf *b, const char *name, enum sc_tier tier, int64_t expires)
{
    sc_buf_addf(b, "user=%s tier=%s", name, sc_tier_name(tier));
    if (tier > SC_TIER_FREE) {
        sc_buf_adds(b, " until=");
        sc_time_text(b, expires);
    }
}

enum sc_err sc_user_add(struct sc_library *lib, const struct sc_principal *actor, const char *name,
                        const char *password, enum sc_tier tier, int days, int roles,
                        struct sc_diag *diag)
{
    enum sc_err e = sc_members_writable(lib, diag);
    if (e == SC_OK)
        e = sc_check_name(name, diag);
    if (e == SC_OK)
        e = sc_check_password(password, diag);
    if (e == SC_OK)
        e = check_tier(tier, diag);
    if (e == SC_OK)
        e = check_days(days, diag);
    if (e == SC_OK && (roles & ~(SC_ROLE_EDITOR | SC_ROLE_ADMIN)))
        e = sc_diag_set(diag, SC_EINVAL, "unknown role bits");
    if (e != SC_OK)
        return e;
    char hash[128];
    e = sc_pw_hash(password, hash, diag);
    if (e != SC_OK)
        return e;
    int64_t exp = expiry(tier, days);
    struct sc_stmt *st = sc_store_prepare(lib->db,
                                          "INSERT INTO users(name, pwhash, tier, tier_expires, "
                                          "roles, created) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                                          diag);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_text(st, 1, name, -1);
    sc_stmt_bind_text(st, 2, hash, -1);
    sc_stmt_bind_text(st, 3, sc_tier_name(tier), -1);
    sc_stmt_bind_int64(st, 4, exp);
    sc_stmt_bind_int(st, 5, roles);
    sc_stmt_bind_int64(st, 6, (int64_t)sc_members_now());
    int rc = sc_stmt_step(st);
    if (rc == SC_STORE_CONSTRAINT)
        e = sc_diag_set(diag, SC_EDUPLICATE, "user '%s' already exists", name);
    else if (rc != SC_STORE_DONE)
        e = sc_store_fail(lib->db, diag);
    sc_stmt_finalize(st);
    sodium_memzero(hash, sizeof hash);
    if (e != SC_OK)
        return e;
    struct sc_buf d = SC_BUF_INIT;
    tier_detail(&d, name, tier, exp);
    sc_buf_adds(&d, " roles=");
    sc_roles_text(&d, roles);
    sc_audit(lib, actor, "user_add", d.data, actor_addr(actor));
    sc_buf_release(&d);
    return SC_OK;
}

/* Run "UPDATE users SET ... WHERE name = ?1 RETURNING id" with ?2, ?3 bound
 * by the caller's binder; SC_ENOTFOUND if no such user. */
static enum sc_err update_user(struct sc_library *lib, const char *sql, const char *name, int64_t a,
                               int64_t b, const char *text, int64_t *id, struct sc_diag *diag)
{
    enum sc_err e = sc_members_writable(lib, diag);
    if (e == SC_OK && (!name || !*name))
        e = sc_diag_set(diag, SC_EINVAL, "a user name is needed");
    if (e != SC_OK)
        return e;
    struct sc_stmt *st = sc_store_prepare(lib->db, sql, diag);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_text(st, 1, name, -1);
    if (text)
        sc_stmt_bind_text(st, 2, text, -1);
    else
        sc_stmt_bind_int64(st, 2, a);
    sc_stmt_bind_int64(st, 3, b);
    int rc = sc_stmt_step(st);
    if (rc == SC_STORE_ROW) {
        if (id)
            *id = sc_stmt_column_int64(st, 0);
        rc = sc_stmt_step(st);
    } else if (rc == SC_STORE_DONE) {
        e = sc_diag_set(diag, SC_ENOTFOUND, "no user '%s'", name);
    }
    if (e == SC_OK && rc != SC_STORE_DONE)
        e = sc_store_fail(lib->db, diag);
    sc_stmt_finalize(st);
    return e;
}

static void end_sessions(struct sc_library *lib, int64_t user_id)
{
    struct sc_stmt *st = sc_store_prepare(lib->db, "DELETE FROM sessions WHERE user_id = ?1", NULL);
    if (!st)
        return;
    sc_stmt_bind_int64(st, 1, user_id);
    sc_stmt_step(st);
    sc_stmt_finalize(st);
}

enum sc_err sc_user_set_tier(struct sc_library *lib, const struct sc_principal *actor,
                             const char *name, enum sc_tier tier, int days, struct sc_diag *diag)
{
    enum sc_err e = check_tier(tier, diag);
    if (e == SC_OK)
        e = check_days(days, diag);
    if (e != SC_OK)
        return e;
    int64_t exp = expiry(tier, days);
    e = update_user(lib,
                    "UPDATE users SET tier = ?2, tier_expires = ?3 WHERE name = ?1 "
                    "RETURNING id",
                    name, 0, exp, sc_tier_name(tier), NULL, diag);
    if (e != SC_OK)
        return e;
    struct sc_buf d = SC_BUF_INIT;
    tier_detail(&d, name, tier, exp);
    sc_audit(lib, actor, "tier", d.data, actor_addr(actor));
    sc_buf_release(&d);
    return SC_OK;
}

enum sc_err sc_user_set_roles(struct sc_library *lib, const struct sc_principal *actor,
                              const char *name, int roles, struct sc_diag *diag)
{
    if (roles & ~(SC_ROLE_EDITOR | SC_ROLE_ADMIN))
        return sc_diag_set(diag, SC_EINVAL, "unknown role bits");
    enum sc_err e = update_user(lib, "UPDATE users SET roles = ?2 WHERE name = ?1 RETURNING id",
                                name, roles, 0, NULL, NULL, diag);
    if (e != SC_OK)
        return e;
    struct sc_buf d = SC_BUF_INIT;
    sc_buf_addf(&d, "user=%s roles=", name);
    sc_roles_text(&d, roles);
    sc_audit(lib, actor, "roles", d.data, actor_addr(actor));
    sc_buf_release(&d);
    return SC_OK;
}

enum sc_err sc_user_set_disabled(struct sc_library *lib, const struct sc_principal *actor,
                                 const char *name, int disabled, struct sc_diag *diag)
{
    int64_t id = 0;
    enum sc_err e = update_user(lib,
                                "UPDATE users SET disabled = ?2 WHERE name = ?1 "
                                "RETURNING id",
                                name, disabled ? 1 : 0, 0, NULL, &id, diag);
    if (e != SC_OK)
        return e;
    if (disabled)
        end_sessions(lib, id);
    struct sc_buf d = SC_BUF_INIT;
    sc_buf_addf(&d, "user=%s", name);
    sc_audit(lib, actor, disabled ? "user_disable" : "user_enable", d.data, actor_addr(actor));
    sc_buf_release(&d);
    return SC_OK;
}

enum sc_err sc_user_set_password(struct sc_library *lib, const struct sc_principal *actor,
                                 const char *name, const char *password, struct sc_diag *diag)
{
    enum sc_err e = sc_check_password(password, diag);
    if (e != SC_OK)
        return e;
    char hash[128];
    e = sc_pw_hash(password, hash, diag);
    if (e != SC_OK)
        return e;
    int64_t id = 0;
    e = update_user(lib, "UPDATE users SET pwhash = ?2 WHERE name = ?1 RETURNING id", name, 0, 0,
                    hash, &id, diag);
    sodium_memzero(hash, sizeof hash);
    if (e != SC_OK)
        return e;
    end_sessions(lib, id); /* a new password logs every device out */
    struct sc_buf d = SC_BUF_INIT;
    sc_buf_addf(&d, "user=%s", name);
    sc_audit(lib, actor, "passwd", d.data, actor_addr(actor));
    sc_buf_release(&d);
    return SC_OK;
}

enum sc_err sc_user_principal(struct sc_library *lib, const char *name, struct sc_principal *out,
                              struct sc_diag *diag)
{
    memset(out, 0, sizeof *out);
    enum sc_err e = sc_members_ready(lib, diag);
    if (e != SC_OK)
        return e;
    struct sc_stmt *st = sc_store_prepare(lib->db,
                                          "SELECT " SC_USER_COLS ", disabled FROM users "
                                          "WHERE name = ?1",
                                          diag);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_text(st, 1, name ? name : "", -1);
    int rc = sc_stmt_step(st);
    if (rc == SC_STORE_ROW) {
        if (sc_stmt_column_int(st, 5))
            e = sc_diag_set(diag, SC_EDENIED, "user '%s' is disabled", name);
        else
            sc_principal_from_stmt(out, st, 0, sc_members_now());
    } else if (rc == SC_STORE_DONE) {
        e = sc_diag_set(diag, SC_ENOTFOUND, "no user '%s'", name ? name : "");
    } else {
        e = sc_store_fail(lib->db, diag);
    }
    sc_stmt_finalize(st);
    return e;
}

enum sc_err sc_user_list(struct sc_library *lib, struct sc_user_rows *out, struct sc_diag *diag)
{
    memset(out, 0, sizeof *out);
    enum sc_err e = sc_members_ready(lib, diag);
    if (e != SC_OK)
        return e;
    time_t now = sc_members_now();
    char day[16];
    sc_local_day(now, day);
    struct sc_stmt *st = sc_store_prepare(
        lib->db,
        "SELECT " SC_USER_COLS ", disabled, created, last_login, "
        "  coalesce((SELECT n FROM download_counts c WHERE c.user_id = u.id AND c.day = ?1), 0) "
        "FROM users u ORDER BY id",
        diag);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_text(st, 1, day, -1);
    size_t cap = 0;
    int rc;
    while ((rc = sc_stmt_step(st)) == SC_STORE_ROW) {
        if (out->n == cap) {
            size_t ncap = cap ? 2 * cap : 16;
            struct sc_user_row *v = sc_reallocarray(out->v, ncap, sizeof *v);
            if (!v) {
                e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
                break;
            }
            out->v = v;
            cap = ncap;
        }
        struct sc_principal p;
        sc_principal_from_stmt(&p, st, 0, now);
        struct sc_user_row *r = &out->v[out->n++];
        memset(r, 0, sizeof *r);
        r->id = p.user_id;
        snprintf(r->name, sizeof r->name, "%s", p.name);
        const char *set_tier = sc_stmt_column_text(st, 2);
        snprintf(r->tier, sizeof r->tier, "%s", set_tier ? set_tier : "");
        r->effective = p.tier;
        r->tier_expires = sc_stmt_column_int64(st, 3);
        r->roles = p.roles;
        r->disabled = sc_stmt_column_int(st, 5);
        r->created = sc_stmt_column_int64(st, 6);
        r->last_login = sc_stmt_column_int64(st, 7);
        r->downloads_today = sc_stmt_column_int64(st, 8);
    }
    if (e == SC_OK && rc != SC_STORE_DONE)
        e = sc_store_fail(lib->db, diag);
    sc_stmt_finalize(st);
    return e;
}

void sc_user_rows_release(struct sc_user_rows *rows)
{
    free(rows->v);
    memset(rows, 0, sizeof *rows);
}
