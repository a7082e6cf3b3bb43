/*
 * GET /api/v1/search: q, mode=doc|para, limit, offset, facets=0|1 and the
 * filter parameters genre= year= level= section= unit= title= docno= date=,
 * which become the search's filters (sc_search_opts.filters: a repeated
 * parameter is an OR of its values). The answer is the results' members
 * plus the effective query (sc_search_query_text) and the paging, so the
 * page can show "第 21–40 条，共 N 条".
 */
#include "server_int.h"

#include <stdlib.h>
#include <string.h>

static int parse_flag(const char *v, int dflt)
{
    if (!v)
        return dflt;
    if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no"))
        return 0;
    return 1;
}

void h_search(struct sc_req *req, struct sc_resp *r)
{
    const char *q = req_param(req, "q");
    if (!q)
        q = "";
    size_t qlen = strlen(q);
    if (qlen > SC_MAX_QUERY_BYTES) {
        resp_error(r, 400, "query_too_long", "the query is %zu bytes; at most %d", qlen,
                   SC_MAX_QUERY_BYTES);
        return;
    }
    struct sc_search_opts opts = { 0 };
    const char *mode = req_param(req, "mode");
    if (!mode || !strcmp(mode, "doc"))
        opts.mode = SC_SEARCH_DOC;
    else if (!strcmp(mode, "para"))
        opts.mode = SC_SEARCH_PARA;
    else {
        resp_error(r, 400, "bad_request", "mode must be doc or para");
        return;
    }
    int64_t limit = 20, offset = 0;
    const char *v = req_param(req, "limit");
    if (v && http_parse_int(v, 0, SC_MAX_LIMIT, &limit) != 0) {
        resp_error(r, 400, "bad_limit", "limit must be a whole number from 0 to %d", SC_MAX_LIMIT);
        return;
    }
    v = req_param(req, "offset");
    if (v && http_parse_int(v, 0, SC_MAX_OFFSET, &offset) != 0) {
        resp_error(r, 400, "bad_offset", "offset must be a whole number from 0 to %d",
                   SC_MAX_OFFSET);
        return;
    }
    opts.limit = (size_t)limit;
    opts.offset = (size_t)offset;
    opts.facets = parse_flag(req_param(req, "facets"), 1);
    opts.entitled = req_may(req, SC_ACT_READ_PAID);
    /* who asks, for the paid rule's daily allowance */
    struct sc_caller caller;
    sc_caller_init(req->srv->lib, req_who(req), req_addr(req), &caller);
    opts.caller = &caller;

    /* the filter parameters, in the order given */
    const struct http_params *p = &req->params;
    struct sc_search_filter filters[HTTP_MAX_PARAMS];
    size_t nfilters = 0;
    for (size_t i = 0; i < p->n && nfilters < HTTP_MAX_PARAMS; i++) {
        int f = sc_search_filter_field(p->v[i].name);
        if (f >= 0 && p->v[i].value[0])
            filters[nfilters++] =
                (struct sc_search_filter){ (enum sc_filter_field)f, p->v[i].value };
    }
    opts.filters = filters;
    opts.nfilters = nfilters;
    int has_q = 0;
    for (size_t i = 0; i < qlen; i++)
        if (q[i] != ' ')
            has_q = 1;
    if (!has_q && !nfilters) {
        resp_error(r, 400, "missing_query", "give a query: q=… (or a filter such as genre=…)");
        return;
    }
    opts.query = q;

    /* the effective query, "(q) genre:"…" year:2023": checks q and the filters */
    struct sc_buf full = SC_BUF_INIT;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_search_query_text(&opts, &full, &d);
    if (e == SC_OK && full.len > SC_MAX_QUERY_BYTES) {
        resp_error(r, 400, "query_too_long", "the query with its filters is %zu bytes; at most %d",
                   full.len, SC_MAX_QUERY_BYTES);
        sc_buf_release(&full);
        return;
    }
    struct sc_results res = { 0 };
    if (e == SC_OK)
        e = sc_search(req->srv->lib, &opts, &res, &d);
    if (e == SC_EPARSE || e == SC_ELIMIT)
        resp_error_at(r, 400, "bad_query", d.pos_cp, "%s", d.msg);
    else if (e == SC_EINVAL && nfilters)
        resp_error(r, 400, "bad_filter", "%s", d.msg);
    else if (e != SC_OK)
        resp_sc_error(r, e, &d);
    else {
        resp_json(r);
        struct sc_jw w;
        sc_jw_init(&w, &r->body);
        sc_jw_obj(&w, SC_JW_INLINE);
        sc_results_json_members(&w, &res, opts.mode);
        /* the request's own fields */
        sc_jw_kstr(&w, "query", full.data, full.len);
        sc_jw_kstrz(&w, "mode", opts.mode == SC_SEARCH_PARA ? "para" : "doc");
        sc_jw_kint(&w, "offset", offset);
        sc_jw_kint(&w, "limit", limit);
        sc_jw_obj_end(&w);
        sc_buf_addc(&r->body, '\n');
    }
    sc_results_release(&res);
    sc_buf_release(&full);
}
