/*
 * 一键快速查找 and 提纲 over HTTP:
 *   GET /api/v1/suggest?q=…&limit=N     suggestions as one types (titles,
 *                                      发文字号, units, dates; public metadata)
 *   GET /api/v1/outline-stats?genre=…&q=…&skeletons=&headings=&exclude=&doc=
 *                                      提纲: skeletons and headings (public:
 *                                      headings and titles only)
 */
#include "server_int.h"

#include <string.h>

void h_suggest(struct sc_req *req, struct sc_resp *r)
{
    const char *q = req_param(req, "q");
    int64_t limit = 10;
    const char *v = req_param(req, "limit");
    if (v && http_parse_int(v, 1, SC_QF_LIMIT_MAX, &limit) != 0) {
        resp_error(r, 400, "bad_limit", "limit must be a whole number from 1 to %d",
                   SC_QF_LIMIT_MAX);
        return;
    }
    if (q && strlen(q) > 256) {
        resp_error(r, 400, "query_too_long", "type at most 256 bytes");
        return;
    }
    struct sc_diag d = { 0 };
    enum sc_err e = sc_suggest_json(req->srv->lib, q ? q : "", (size_t)limit, &r->body, &d);
    if (e != SC_OK) {
        resp_sc_error(r, e, &d);
        return;
    }
    sc_buf_addc(&r->body, '\n');
    resp_json(r);
    /* suggestions change only with the library: a short private cache */
    r->cache = "private, max-age=30";
}

static int opt_int(struct sc_req *req, struct sc_resp *r, const char *name, int64_t lo, int64_t hi,
                   int64_t *out)
{
    const char *v = req_param(req, name);
    if (v && *v && http_parse_int(v, lo, hi, out) != 0) {
        resp_error(r, 400, "bad_request", "%s must be a whole number from %lld to %lld", name,
                   (long long)lo, (long long)hi);
        return -1;
    }
    return 0;
}

void h_outline_stats(struct sc_req *req, struct sc_resp *r)
{
    struct sc_skeleton_opts o = { 0 };
    o.genre = req_param(req, "genre");
    o.query = req_param(req, "q");
    int64_t sk = 0, hd = 0, ex = 0, doc = 0;
    if (opt_int(req, r, "skeletons", 1, 50, &sk) || opt_int(req, r, "headings", 1, 100, &hd) ||
        opt_int(req, r, "exclude", 1, INT64_MAX, &ex) || opt_int(req, r, "doc", 1, INT64_MAX, &doc))
        return;
    if (o.query && strlen(o.query) > SC_MAX_QUERY_BYTES) {
        resp_error(r, 400, "query_too_long", "the query is at most %d bytes", SC_MAX_QUERY_BYTES);
        return;
    }
    o.skeletons = (size_t)sk;
    o.headings = (size_t)hd;
    o.exclude = ex;
    o.doc = doc;
    o.entitled = req_may(req, SC_ACT_READ_PAID);
    struct sc_diag d = { 0 };
    enum sc_err e = sc_outline_stats_json(req->srv->lib, &o, &r->body, &d);
    if (e != SC_OK) {
        resp_sc_error(r, e, &d);
        return;
    }
    sc_buf_addc(&r->body, '\n');
    resp_json(r);
}
