/*
 * The member's daily library, over HTTP:
 *   GET  /api/v1/updates                 今日更新 (JSON): since= genre= level= topic= limit=
 * before= GET  /api/v1/feeds/updates           the same as Atom (ETag, If-None-Match -> 304) GET
 * /api/v1/feeds/watch?token=…     a saved search's private Atom feed GET  /api/v1/watches my saved
 * searches;  POST: save one {"name", "query"} GET  /api/v1/watches/{id}            its matches
 * (limit= before=); DELETE removes it POST /api/v1/watches/{id}/seen       I have looked: nothing
 * is new POST /api/v1/watches/{id}/feed       a new feed token;  DELETE revokes it Updates and
 * feeds are public (titles, metadata and the free opening of each document, never paid text); saved
 * searches need an account.
 */
#include "server_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define UPDATES_DAYS_DEFAULT 7

static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

/* since=YYYY-MM-DD (local midnight), an RFC 3339 UTC time, or days=N
 * (local midnight N-1 days ago; default 7). -1 on a bad value. */
static int64_t parse_since(struct sc_req *req)
{
    const char *s = nonempty(req_param(req, "since"));
    time_t now = time(NULL);
    struct tm tm;
    if (!s) {
        int64_t days = UPDATES_DAYS_DEFAULT;
        const char *d = nonempty(req_param(req, "days"));
        if (d && http_parse_int(d, 1, 3650, &days) != 0)
            return -1;
        localtime_r(&now, &tm);
        tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
        tm.tm_mday -= (int)days - 1;
        tm.tm_isdst = -1;
        return (int64_t)mktime(&tm);
    }
    memset(&tm, 0, sizeof tm);
    const char *end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (end && !*end)
        return (int64_t)timegm(&tm);
    memset(&tm, 0, sizeof tm);
    end = strptime(s, "%Y-%m-%d", &tm);
    if (!end || *end || tm.tm_year < 0)
        return -1;
    tm.tm_isdst = -1;
    return (int64_t)mktime(&tm);
}

static int updates_opts(struct sc_req *req, struct sc_resp *r, struct sc_updates_opts *o,
                        int64_t dlimit)
{
    memset(o, 0, sizeof *o);
    o->since = parse_since(req);
    if (o->since < 0) {
        resp_error(r, 400, "bad_request",
                   "since must be a date (2026-12-01) or a time (2026-12-01T08:00:00Z); days 1 to "
                   "3650");
        return -1;
    }
    o->genre = nonempty(req_param(req, "genre"));
    o->level = nonempty(req_param(req, "level"));
    o->topic = nonempty(req_param(req, "topic"));
    int64_t limit = dlimit, before = 0;
    const char *v = req_param(req, "limit");
    if (v && http_parse_int(v, 0, SC_MAX_LIMIT, &limit) != 0) {
        resp_error(r, 400, "bad_limit", "limit must be a whole number from 0 to %d", SC_MAX_LIMIT);
        return -1;
    }
    v = req_param(req, "before");
    if (v && http_parse_int(v, 1, INT64_MAX, &before) != 0) {
        resp_error(r, 400, "bad_request", "before must be a document id");
        return -1;
    }
    o->limit = (size_t)limit;
    o->before_id = before;
    return 0;
}

void h_updates(struct sc_req *req, struct sc_resp *r)
{
    struct sc_updates_opts o;
    if (updates_opts(req, r, &o, 20) != 0)
        return;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_updates_json(req->srv->lib, &o, &r->body, &d);
    if (e != SC_OK) {
        resp_sc_error(r, e, &d);
        return;
    }
    sc_buf_addc(&r->body, '\n');
    resp_json(r);
}

/* Does If-None-Match name etag (or "*")? */
static int inm_matches(const char *inm, const char *etag)
{
    if (!inm)
        return 0;
    if (strstr(inm, etag))
        return 1;
    while (*inm == ' ')
        inm++;
    return inm[0] == '*' && (inm[1] == '\0' || inm[1] == ' ');
}

/* Send the feed in r->body with an ETag of its bytes; 304 when the
 * client has it. */
static void send_feed(struct sc_req *req, struct sc_resp *r, const char *cache)
{
    if (sc_buf_err(&r->body) != SC_OK) {
        resp_error(r, 500, "internal", "out of memory");
        return;
    }
    char hex[65], etag[20];
    sc_sha256_hex(r->body.data, r->body.len, hex);
    snprintf(etag, sizeof etag, "\"%.16s\"", hex);
    r->type = "application/atom+xml; charset=utf-8";
    r->cache = cache;
    resp_header(r, "ETag", etag);
    if (inm_matches(req_header(req, "If-None-Match"), etag)) {
        sc_buf_reset(&r->body);
        r->status = 304;
        return;
    }
    r->status = 200;
}

void h_feed_updates(struct sc_req *req, struct sc_resp *r)
{
    struct sc_updates_opts o;
    if (updates_opts(req, r, &o, 50) != 0)
        return;
    if (!req_param(req, "since") && !req_param(req, "days"))
        o.since = 0; /* a feed lists the newest, however old */
    struct sc_diag d = { 0 };
    enum sc_err e = sc_updates_atom(req->srv->lib, &o, "/api/v1/feeds/updates", "/", &r->body, &d);
    if (e != SC_OK) {
        resp_sc_error(r, e, &d);
        return;
    }
    send_feed(req, r, "no-cache");
}

void h_feed_watch(struct sc_req *req, struct sc_resp *r)
{
    const char *tok = req_param(req, "token");
    struct sc_diag d = { 0 };
    enum sc_err e =
        sc_watch_feed_atom(req->srv->lib, tok, "/api/v1/feeds/watch", "/", &r->body, &d);
    if (e != SC_OK) {
        resp_sc_error(r, e, &d);
        return;
    }
    send_feed(req, r, "private, no-cache");
}

/* ---------------------------------------------------------------- saved searches */

static const struct sc_principal *member(struct sc_req *req, struct sc_resp *r)
{
    if (!req_may(req, SC_ACT_SHELF)) {
        resp_denied(req, r, "keeping saved searches");
        return NULL;
    }
    return req_who(req);
}

void h_watches(struct sc_req *req, struct sc_resp *r)
{
    const struct sc_principal *p = member(req, r);
    if (!p)
        return;
    struct sc_diag d = { 0 };
    struct sc_buf list = SC_BUF_INIT;
    enum sc_err e = sc_watch_list(req->srv->lib, p, 1, &list, &d);
    if (e != SC_OK) {
        sc_buf_release(&list);
        resp_sc_error(r, e, &d);
        return;
    }
    struct sc_jw w;
    sc_jw_init(&w, &r->body);
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_jw_kint(&w, "limit", sc_watch_limit(p));
    sc_jw_key(&w, "watches");
    sc_jw_raw(&w, list.data, list.len);
    sc_jw_obj_end(&w);
    sc_buf_release(&list);
    if (sc_jw_finish(&w) != SC_OK) {
        resp_error(r, 500, "internal", "out of memory");
        return;
    }
    sc_buf_addc(&r->body, '\n');
    resp_json(r);
}

void h_watches_post(struct sc_req *req, struct sc_resp *r)
{
    const struct sc_principal *p = member(req, r);
    if (!p)
        return;
    struct sc_json j;
    struct sc_diag d = { 0 };
    if (sc_json_parse(&j, req->body.data, req->body.len, HTTP_MAX_JSON_NODES, &d) != SC_OK) {
        resp_error(r, 400, "bad_json", "%s", d.msg);
        sc_json_release(&j);
        return;
    }
    const struct sc_json_node *root = sc_json_root(&j);
    const char *query = sc_json_string(&j, sc_json_get(&j, root, "query"), NULL);
    const char *name = sc_json_string(&j, sc_json_get(&j, root, "name"), NULL);
    if (!query) {
        resp_error(r, 400, "bad_request",
                   "give the query to save: {\"query\": \"…\", \"name\": \"…\"}");
        sc_json_release(&j);
        return;
    }
    int64_t id = 0;
    enum sc_err e = sc_watch_add(req->srv->lib, p, name, query, &id, &d);
    sc_json_release(&j);
    if (e != SC_OK) {
        resp_sc_error(r, e, &d);
        return;
    }
    struct sc_jw w;
    sc_jw_init(&w, &r->body);
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_jw_kint(&w, "id", id);
    sc_jw_obj_end(&w);
    sc_buf_addc(&r->body, '\n');
    resp_json(r);
    r->status = 201;
}

void h_watch(struct sc_req *req, struct sc_resp *r)
{
    const struct sc_principal *p = member(req, r);
    if (!p)
        return;
    int64_t limit = 20, before = 0;
    const char *v = req_param(req, "limit");
    if (v && http_parse_int(v, 0, SC_MAX_LIMIT, &limit) != 0) {
        resp_error(r, 400, "bad_limit", "limit must be a whole number from 0 to %d", SC_MAX_LIMIT);
        return;
    }
    v = req_param(req, "before");
    if (v && http_parse_int(v, 1, INT64_MAX, &before) != 0) {
        resp_error(r, 400, "bad_request", "before must be a document id");
        return;
    }
    struct sc_diag d = { 0 };
    enum sc_err e =
        sc_watch_hits(req->srv->lib, p, req->id, (size_t)limit, before, 0, &r->body, &d);
    if (e != SC_OK) {
        resp_sc_error(r, e, &d);
        return;
    }
    sc_buf_addc(&r->body, '\n');
    resp_json(r);
}

static void ok_body(struct sc_resp *r)
{
    struct sc_jw w;
    sc_jw_init(&w, &r->body);
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_jw_kbool(&w, "ok", 1);
    sc_jw_obj_end(&w);
    sc_buf_addc(&r->body, '\n');
    resp_json(r);
}

void h_watch_delete(struct sc_req *req, struct sc_resp *r)
{
    const struct sc_principal *p = member(req, r);
    if (!p)
        return;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_watch_rm(req->srv->lib, p, req->id, &d);
    if (e != SC_OK)
        resp_sc_error(r, e, &d);
    else
        ok_body(r);
}

void h_watch_seen(struct sc_req *req, struct sc_resp *r)
{
    const struct sc_principal *p = member(req, r);
    if (!p)
        return;
    struct sc_diag d = { 0 };
    struct sc_buf tmp = SC_BUF_INIT;
    enum sc_err e = sc_watch_hits(req->srv->lib, p, req->id, 0, 0, 1, &tmp, &d);
    sc_buf_release(&tmp);
    if (e != SC_OK)
        resp_sc_error(r, e, &d);
    else
        ok_body(r);
}

void h_watch_feed(struct sc_req *req, struct sc_resp *r)
{
    const struct sc_principal *p = member(req, r);
    if (!p)
        return;
    struct sc_diag d = { 0 };
    char *tok = NULL;
    enum sc_err e = sc_watch_feed_token(req->srv->lib, p, req->id, &tok, &d);
    if (e != SC_OK) {
        resp_sc_error(r, e, &d);
        return;
    }
    struct sc_buf url = SC_BUF_INIT;
    sc_buf_addf(&url, "/api/v1/feeds/watch?token=%s", tok);
    struct sc_jw w;
    sc_jw_init(&w, &r->body);
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_jw_kstrz(&w, "token", tok);
    sc_jw_kstr(&w, "url", url.data, url.len);
    sc_jw_obj_end(&w);
    sc_buf_addc(&r->body, '\n');
    explicit_bzero(tok, strlen(tok));
    free(tok);
    sc_buf_release(&url);
    resp_json(r);
    r->status = 201;
}

void h_watch_feed_delete(struct sc_req *req, struct sc_resp *r)
{
    const struct sc_principal *p = member(req, r);
    if (!p)
        return;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_watch_feed_revoke(req->srv->lib, p, req->id, &d);
    if (e != SC_OK)
        resp_sc_error(r, e, &d);
    else
        ok_body(r);
}
