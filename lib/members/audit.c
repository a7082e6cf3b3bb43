/*
 * The audit log: who did what, when, from where. Logins, failed logins,
 * logouts, imports, downloads and account changes are appended here; the
 * operator reads it with `sucai audit`. Entries are never updated.
 * Passwords, session ids and tokens never reach this table.
 */
#include "members_int.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DETAIL 1000
#define MAX_ADDR   64
#define MAX_ACTION 32

/* Length of s cut to at most max bytes, at a UTF-8 character boundary. */
static size_t cut(const char *s, size_t max)
{
    size_t n = strnlen(s, max + 1);
    if (n <= max)
        return n;
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

enum sc_err sc_audit(struct sc_library *lib, const struct sc_principal *p, const char *action,
                     const char *detail, const char *addr)
{
    if (!action || !*action)
        return SC_EINVAL;
    enum sc_err e = sc_members_ready(lib, NULL);
    if (e != SC_OK)
        return e;
    struct sc_stmt *st = sc_store_prepare(lib->db,
                                          "INSERT INTO audit_log(at, user_id, user_name, action, "
                                          "detail, addr) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                                          NULL);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_int64(st, 1, (int64_t)sc_members_now());
    if (p && p->tier != SC_TIER_ANON && p->user_id > 0) {
        sc_stmt_bind_int64(st, 2, p->user_id);
        sc_stmt_bind_text_copy(st, 3, p->name, (int)cut(p->name, sizeof p->name - 1));
    }
    sc_stmt_bind_text(st, 4, action, (int)cut(action, MAX_ACTION));
    if (detail && *detail)
        sc_stmt_bind_text(st, 5, detail, (int)cut(detail, MAX_DETAIL));
    if (addr && *addr)
        sc_stmt_bind_text(st, 6, addr, (int)cut(addr, MAX_ADDR));
    if (sc_stmt_step(st) != SC_STORE_DONE)
        e = SC_ESTORE;
    sc_stmt_finalize(st);
    return e;
}

enum sc_err sc_audit_list(struct sc_library *lib, size_t limit, struct sc_audit_rows *out,
                          struct sc_diag *diag)
{
    memset(out, 0, sizeof *out);
    enum sc_err e = sc_members_ready(lib, diag);
    if (e != SC_OK)
        return e;
    if (limit == 0)
        limit = 100;
    if (limit > 1000000)
        limit = 1000000;
    struct sc_stmt *st = sc_store_prepare(lib->db,
                                          "SELECT id, at, user_name, action, detail, addr "
                                          "FROM audit_log ORDER BY id DESC LIMIT ?1",
                                          diag);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_int64(st, 1, (int64_t)limit);
    size_t cap = 0;
    int rc;
    while ((rc = sc_stmt_step(st)) == SC_STORE_ROW) {
        if (out->n == cap) {
            size_t ncap = cap ? 2 * cap : 64;
            struct sc_audit_row *v = sc_reallocarray(out->v, ncap, sizeof *v);
            if (!v) {
                e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
                break;
            }
            out->v = v;
            cap = ncap;
        }
        struct sc_audit_row *r = &out->v[out->n++];
        memset(r, 0, sizeof *r);
        int oom = 0;
        r->id = sc_stmt_column_int64(st, 0);
        r->at = sc_stmt_column_int64(st, 1);
        r->user = sc_column_dup(st, 2, &oom);
        r->action = sc_column_dup(st, 3, &oom);
        r->detail = sc_column_dup(st, 4, &oom);
        r->addr = sc_column_dup(st, 5, &oom);
        if (oom) {
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
            break;
        }
    }
    if (e == SC_OK && rc != SC_STORE_DONE)
        e = sc_store_fail(lib->db, diag);
    sc_stmt_finalize(st);
    return e;
}

void sc_audit_rows_release(struct sc_audit_rows *rows)
{
    for (size_t i = 0; i < rows->n; i++) {
        free(rows->v[i].user);
        free(rows->v[i].action);
        free(rows->v[i].detail);
        free(rows->v[i].addr);
    }
    free(rows->v);
    memset(rows, 0, sizeof *rows);
}
