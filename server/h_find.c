/*
 * 一键快速查找 and 提纲 over HTTP:
 *   GET /api/v1/suggest?q=…&limit=N     suggestions as one types (titles,
 *                                      发文字号, units, dates; public metadata)
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
    struct sc_diag d = {0};
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
