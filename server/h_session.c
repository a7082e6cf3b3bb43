/*
 * Sessions: POST /api/v1/session logs in ({"name", "password"}) and sets
 * the session cookie (HttpOnly, SameSite=Strict); DELETE logs out; GET
 * /api/v1/me says who the caller is, what they may do, and (for a cookie
 * session) the CSRF token the page sends back in X-CSRF-Token. Passwords,
 * session ids and tokens are never logged (the access log has the path
 * only, without the query).
 */
#include "server_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void principal_json(struct sc_req *req, struct sc_buf *b, const struct sc_principal *p,
                           const char *csrf)
{
    sc_principal_json(req->srv->lib, b, p, csrf);
}

void h_me(struct sc_req *req, struct sc_resp *r)
{
    const struct sc_principal *p = req_who(req);
    char csrf[SC_SECRET_HEX + 1] = "";
    if (req->via_cookie)
        sc_session_csrf(req->session, csrf);
    resp_json(r);
    principal_json(req, &r->body, p, csrf[0] ? csrf : NULL);
    sc_buf_addc(&r->body, '\n');
}

void h_session_post(struct sc_req *req, struct sc_resp *r)
{
    struct sc_json j;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_json_parse(&j, req->body.data, req->body.len, HTTP_MAX_JSON_NODES, &d);
    if (e != SC_OK) {
        resp_error(r, 400, "bad_json", "%s", d.msg);
        sc_json_release(&j);
        return;
    }
    const char *name = sc_json_string(&j, sc_json_get(&j, sc_json_root(&j), "name"), NULL);
    const char *pass = sc_json_string(&j, sc_json_get(&j, sc_json_root(&j), "password"), NULL);
    if (!name || !pass) {
        resp_error(r, 400, "bad_request", "give name and password");
        sc_json_release(&j);
        return;
    }
    struct sc_login_result *lr = sc_calloc(1, sizeof *lr);
    if (!lr) {
        resp_error(r, 500, "internal", "out of memory");
        sc_json_release(&j);
        return;
    }
    e = sc_login(req->srv->lib, name, pass, req_addr(req), lr, &d);
    /* the password goes with these */
    if (j.pool.cap)
        explicit_bzero(j.pool.data, j.pool.len);
    if (req->body.cap)
        explicit_bzero(req->body.data, req->body.len);
    sc_json_release(&j);
    if (e == SC_OK) {
        char cookie[200];
        snprintf(cookie, sizeof cookie,
                 SC_SESSION_COOKIE "=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict",
                 lr->session_id, SC_SESSION_MAX_SECONDS);
        resp_json(r);
        resp_header(r, "Set-Cookie", cookie);
        principal_json(req, &r->body, &lr->principal, lr->csrf);
        sc_buf_addc(&r->body, '\n');
    } else if (e == SC_ELIMIT) {
        /* "too many attempts, try again in 30 s" */
        long secs = 0;
        for (const char *in = strstr(d.msg, " in "); in && secs <= 0; in = strstr(in + 1, " in "))
            secs = strtol(in + 4, NULL, 10);
        resp_error(r, 429, "too_many_attempts", "%s", d.msg);
        if (secs > 0) {
            char v[24];
            snprintf(v, sizeof v, "%ld", secs);
            resp_header(r, "Retry-After", v);
        }
    } else if (e == SC_EDENIED) {
        if (strstr(d.msg, "disabled"))
            resp_error(r, 403, "account_disabled", "%s", d.msg);
        else
            resp_error(r, 401, "unauthorized", "%s", d.msg[0] ? d.msg : "wrong name or password");
    } else if (e == SC_EINVAL) {
        resp_error(r, 401, "unauthorized", "wrong name or password");
    } else {
        resp_sc_error(r, e, &d);
    }
    explicit_bzero(lr, sizeof *lr);
    free(lr);
}

void h_session_delete(struct sc_req *req, struct sc_resp *r)
{
    req_who(req);
    if (req->session[0])
        sc_session_end(req->srv->lib, req->session, req_addr(req));
    resp_json(r);
    resp_header(r, "Set-Cookie",
                SC_SESSION_COOKIE "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
    struct sc_jw w;
    sc_jw_init(&w, &r->body);
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_jw_knull(&w, "user");
    sc_jw_obj_end(&w);
    sc_buf_addc(&r->body, '\n');
}
