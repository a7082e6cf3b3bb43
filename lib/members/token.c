/*
 * API tokens for scripts (`Authorization: Bearer sct_...`). A token is
 * "sct_" and 256 random bits in hex; the store keeps its SHA-256 (a token
 * has full entropy, so a fast hash is enough), so the secret exists only
 * in the output of `sucai token create`. A token acts as its user, with
 * the user's current tier and roles; it stops working when revoked or
 * while the user is disabled.
 */
#include "members_int.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN_PREFIX "sct_"
#define TOKEN_LEN    (4 + SC_SECRET_HEX)
#define MAX_LABEL    200

static int valid_token(const char *t)
{
    return t && strlen(t) == TOKEN_LEN && !strncmp(t, TOKEN_PREFIX, 4) &&
           strspn(t + 4, "0123456789abcdef") == SC_SECRET_HEX;
}

enum sc_err sc_token_create(struct sc_library *lib, const struct sc_principal *actor,
                            const char *name, const char *label, char **token_out, int64_t *id,
                            struct sc_diag *diag)
{
    *token_out = NULL;
    if (id)
        *id = 0;
    struct sc_principal owner;
    enum sc_err e = sc_members_writable(lib, diag);
    if (e == SC_OK)
        e = sc_user_principal(lib, name, &owner, diag);
    if (e != SC_OK)
        return e;
    if (label && strnlen(label, MAX_LABEL + 1) > MAX_LABEL)
        return sc_diag_set(diag, SC_EINVAL, "token label too long (at most %d bytes)", MAX_LABEL);
    char *tok = sc_malloc(TOKEN_LEN + 1);
    if (!tok)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    memcpy(tok, TOKEN_PREFIX, 4);
    sc_random_hex(tok + 4);
    char h[65];
    sc_sha256_hex(tok, TOKEN_LEN, h);
    struct sc_stmt *st = sc_store_prepare(lib->db,
                                          "INSERT INTO api_tokens(user_id, hash, label, created) "
                                          "VALUES(?1, ?2, ?3, ?4) RETURNING id",
                                          diag);
    if (!st) {
        sodium_memzero(tok, TOKEN_LEN);
        free(tok);
        return SC_ESTORE;
    }
    sc_stmt_bind_int64(st, 1, owner.user_id);
    sc_stmt_bind_text(st, 2, h, -1);
    if (label && *label)
        sc_stmt_bind_text(st, 3, label, -1);
    sc_stmt_bind_int64(st, 4, (int64_t)sc_members_now());
    int64_t tid = 0;
    int rc = sc_stmt_step(st);
    if (rc == SC_STORE_ROW) {
        tid = sc_stmt_column_int64(st, 0);
        rc = sc_stmt_step(st);
    }
    if (rc != SC_STORE_DONE || !tid)
        e = sc_store_fail(lib->db, diag);
    sc_stmt_finalize(st);
    if (e != SC_OK) {
        sodium_memzero(tok, TOKEN_LEN);
        free(tok);
        return e;
    }
    struct sc_buf d = SC_BUF_INIT;
    sc_buf_addf(&d, "user=%s token=%lld", owner.name, (long long)tid);
    sc_audit(lib, actor, "token_create", d.data, actor ? NULL : "cli");
    sc_buf_release(&d);
    *token_out = tok;
    if (id)
        *id = tid;
    return SC_OK;
}

enum sc_err sc_token_revoke(struct sc_library *lib, const struct sc_principal *actor,
                            const char *id_or_token, struct sc_diag *diag)
{
    enum sc_err e = sc_members_writable(lib, diag);
    if (e != SC_OK)
        return e;
    if (!id_or_token || !*id_or_token)
        return sc_diag_set(diag, SC_EINVAL, "which token? give its number or the token");
    int by_id = strspn(id_or_token, "0123456789") == strlen(id_or_token);
    if (!by_id && !valid_token(id_or_token))
        return sc_diag_set(diag, SC_EINVAL, "'%.40s' is neither a token number nor a token",
                           id_or_token);
    if (by_id && strlen(id_or_token) > 18)
        return sc_diag_set(diag, SC_ENOTFOUND, "no token %.40s", id_or_token);
    char h[65];
    if (!by_id)
        sc_sha256_hex(id_or_token, TOKEN_LEN, h);
    struct sc_stmt *st = sc_store_prepare(lib->db,
                                          by_id ? "UPDATE api_tokens SET revoked = ?2 "
                                                  "WHERE id = ?1 AND revoked = 0 RETURNING id"
                                                : "UPDATE api_tokens SET revoked = ?2 "
                                                  "WHERE hash = ?1 AND revoked = 0 RETURNING id",
                                          diag);
    if (!st)
        return SC_ESTORE;
    if (by_id)
        sc_stmt_bind_int64(st, 1, strtoll(id_or_token, NULL, 10));
    else
        sc_stmt_bind_text(st, 1, h, -1);
    sc_stmt_bind_int64(st, 2, (int64_t)sc_members_now());
    int64_t tid = 0;
    int rc = sc_stmt_step(st);
    if (rc == SC_STORE_ROW) {
        tid = sc_stmt_column_int64(st, 0);
        rc = sc_stmt_step(st);
    }
    if (rc != SC_STORE_DONE)
        e = sc_store_fail(lib->db, diag);
    sc_stmt_finalize(st);
    if (e != SC_OK)
        return e;
    if (!tid)
        return sc_diag_set(diag, SC_ENOTFOUND, "no live token %s",
                           by_id ? id_or_token : "like that");
    char d[64];
    snprintf(d, sizeof d, "token=%lld", (long long)tid);
    sc_audit(lib, actor, "token_revoke", d, actor ? NULL : "cli");
    return SC_OK;
}

int sc_token_principal(struct sc_library *lib, const char *token, struct sc_principal *out)
{
    memset(out, 0, sizeof *out);
    if (!lib || !valid_token(token))
        return 0;
    if (sc_members_ready(lib, NULL) != SC_OK)
        return -1;
    char h[65];
    sc_sha256_hex(token, TOKEN_LEN, h);
    time_t now = sc_members_now();
    struct sc_stmt *st = NULL;
    if (sc_stmt_prepare(lib->db,
                        "SELECT u.id, u.name, u.tier, u.tier_expires, u.roles, t.id, "
                        "coalesce(t.last_used, 0) "
                        "FROM api_tokens t JOIN users u ON u.id = t.user_id "
                        "WHERE t.hash = ?1 AND t.revoked = 0 AND u.disabled = 0",
                        &st) != SC_STORE_OK) {
        sc_stmt_finalize(st);
        return -1;
    }
    sc_stmt_bind_text(st, 1, h, -1);
    int live = 0;
    int64_t tid = 0, used = 0;
    int rc = sc_stmt_step(st);
    if (rc == SC_STORE_ROW) {
        sc_principal_from_stmt(out, st, 0, now);
        tid = sc_stmt_column_int64(st, 5);
        used = sc_stmt_column_int64(st, 6);
        live = 1;
    } else if (rc != SC_STORE_DONE) {
        live = -1; /* the store failed: cannot tell */
    }
    sc_stmt_finalize(st);
    /* last use, to the minute (no write per request) */
    if (live == 1 && (int64_t)now - used >= 60 && !(lib->flags & SC_LIBRARY_READONLY)) {
        st = sc_store_prepare(lib->db, "UPDATE api_tokens SET last_used = ?1 WHERE id = ?2", NULL);
        if (st) {
            sc_stmt_bind_int64(st, 1, (int64_t)now);
            sc_stmt_bind_int64(st, 2, tid);
            sc_stmt_step(st);
            sc_stmt_finalize(st);
        }
    }
    return live;
}

enum sc_err sc_token_list(struct sc_library *lib, struct sc_token_rows *out, struct sc_diag *diag)
{
    memset(out, 0, sizeof *out);
    enum sc_err e = sc_members_ready(lib, diag);
    if (e != SC_OK)
        return e;
    struct sc_stmt *st = sc_store_prepare(lib->db,
                                          "SELECT t.id, u.name, t.label, t.created, "
                                          "coalesce(t.last_used, 0), t.revoked "
                                          "FROM api_tokens t JOIN users u ON u.id = t.user_id "
                                          "ORDER BY t.id",
                                          diag);
    if (!st)
        return SC_ESTORE;
    size_t cap = 0;
    int rc;
    while ((rc = sc_stmt_step(st)) == SC_STORE_ROW) {
        if (out->n == cap) {
            size_t ncap = cap ? 2 * cap : 16;
            struct sc_token_row *v = sc_reallocarray(out->v, ncap, sizeof *v);
            if (!v) {
                e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
                break;
            }
            out->v = v;
            cap = ncap;
        }
        struct sc_token_row *r = &out->v[out->n++];
        memset(r, 0, sizeof *r);
        int oom = 0;
        r->id = sc_stmt_column_int64(st, 0);
        r->user = sc_column_dup(st, 1, &oom);
        r->label = sc_column_dup(st, 2, &oom);
        r->created = sc_stmt_column_int64(st, 3);
        r->last_used = sc_stmt_column_int64(st, 4);
        r->revoked = sc_stmt_column_int64(st, 5);
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

void sc_token_rows_release(struct sc_token_rows *rows)
{
    for (size_t i = 0; i < rows->n; i++) {
        free(rows->v[i].user);
        free(rows->v[i].label);
    }
    free(rows->v);
    memset(rows, 0, sizeof *rows);
}
