/*
 * GET /api/v1/search: q, mode=doc|para, limit, offset, facets=0|1 and the
 * filter parameters genre= year= level= section= unit= title= docno= date=, which are
 * appended to the query as fields (a repeated parameter is an OR of its
 * values). The answer is sc_results_json() plus the effective query and
 * the paging, so the page can show "第 21–40 条，共 N 条".
 */
#include "server_int.h"

#include <stdlib.h>
#include <string.h>

static const char *const filter_fields[] = { "genre", "year",  "level", "section",
                                             "unit",  "title", "docno", "date" };

/* Append the filter parameters as query fields; SC_EPARSE names a bad one. */
static enum sc_err add_filters(struct sc_req *req, struct sc_buf *q, int *nfilters,
                               struct sc_diag *diag)
{
    const struct http_params *p = &req->params;
    for (size_t f = 0; f < sizeof filter_fields / sizeof filter_fields[0]; f++) {
        const char *field = filter_fields[f];
        size_t nvals = 0;
        for (size_t i = 0; i < p->n; i++)
            if (!strcmp(p->v[i].name, field) && p->v[i].value[0])
                nvals++;
        if (!nvals)
            continue;
        if (q->len)
            sc_buf_addc(q, ' ');
        if (nvals > 1)
            sc_buf_addc(q, '(');
        size_t k = 0;
        for (size_t i = 0; i < p->n; i++) {
            const char *v = p->v[i].value;
            if (strcmp(p->v[i].name, field) != 0 || !v[0])
                continue;
            if (strchr(v, '"'))
                return sc_diag_set(diag, SC_EPARSE, "bad %s filter: '\"' is not allowed", field);
            if (k++)
                sc_buf_adds(q, " | ");
            /* years are plain (2023, 2019-2023); other values are quoted */
            if (!strcmp(field, "year")) {
                if (strspn(v, "0123456789-") != strlen(v))
                    return sc_diag_set(diag, SC_EPARSE,
                                       "bad year filter '%.40s' (use 2023 or 2019-2023)", v);
                sc_buf_addf(q, "year:%s", v);
            } else {
                sc_buf_addf(q, "%s:\"%s\"", field, v);
            }
        }
        if (nvals > 1)
            sc_buf_addc(q, ')');
        (*nfilters)++;
    }
    return SC_OK;
}

/* The 1-based character position in "... at character N", or 0. */
static long error_position(const char *msg)
{
    const char *at = strstr(msg, "at character ");
    return at ? strtol(at + 13, NULL, 10) : 0;
}

static void bad_query(struct sc_resp *r, const char *code, const char *msg, long pos)
{
    resp_error(r, 400, code, "%s", msg);
    if (pos > 0 && !r->body.failed) {
        /* reopen {"error": {...}} to add the position */
        r->body.len -= 3;
        sc_buf_addf(&r->body, ", \"position\": %ld}}\n", pos);
    }
}

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

    /* the user's query, then the filters: "(q) genre:"…" year:2023" */
    struct sc_buf full = SC_BUF_INIT;
    struct sc_diag d = { 0 };
    int nfilters = 0;
    struct sc_buf filters = SC_BUF_INIT;
    enum sc_err e = add_filters(req, &filters, &nfilters, &d);
    if (e != SC_OK) {
        bad_query(r, "bad_filter", d.msg, 0);
        sc_buf_release(&filters);
        return;
    }
    int has_q = 0;
    for (size_t i = 0; i < qlen; i++)
        if (q[i] != ' ')
            has_q = 1;
    if (has_q && nfilters)
        sc_buf_addf(&full, "(%s) %s", q, filters.data);
    else if (has_q)
        sc_buf_add(&full, q, qlen);
    else
        sc_buf_add(&full, filters.data, filters.len);
    sc_buf_release(&filters);
    if (sc_buf_err(&full)) {
        resp_error(r, 500, "internal", "out of memory");
        return;
    }
    if (!has_q && !nfilters) {
        sc_buf_release(&full);
        resp_error(r, 400, "missing_query", "give a query: q=… (or a filter such as genre=…)");
        return;
    }
    if (full.len > SC_MAX_QUERY_BYTES) {
        resp_error(r, 400, "query_too_long", "the query with its filters is %zu bytes; at most %d",
                   full.len, SC_MAX_QUERY_BYTES);
        sc_buf_release(&full);
        return;
    }
    opts.query = full.data;
    struct sc_results res = { 0 };
    e = sc_search(req->srv->lib, &opts, &res, &d);
    if (e == SC_EPARSE || e == SC_ELIMIT) {
        if (has_q && nfilters) {
            /* say where in the user's own query the error is, or blame a filter */
            struct sc_search_opts o2 = opts;
            struct sc_results r2 = { 0 };
            struct sc_diag d2 = { 0 };
            o2.query = q;
            o2.limit = 0;
            o2.facets = 0;
            o2.caller = NULL; /* only the error is wanted: nothing counted */
            enum sc_err e2 = sc_search(req->srv->lib, &o2, &r2, &d2);
            sc_results_release(&r2);
            if (e2 == SC_EPARSE || e2 == SC_ELIMIT)
                bad_query(r, "bad_query", d2.msg, error_position(d2.msg));
            else
                bad_query(r, "bad_filter", d.msg, 0);
        } else {
            bad_query(r, "bad_query", d.msg, has_q ? error_position(d.msg) : 0);
        }
    } else if (e != SC_OK) {
        resp_sc_error(r, e, &d);
    } else {
        resp_json(r);
        sc_results_json(&r->body, &res, opts.mode);
        if (!r->body.failed && r->body.len && r->body.data[r->body.len - 1] == '}') {
            r->body.len--; /* reopen the object to add the request's own fields */
            sc_buf_adds(&r->body, ", \"query\": ");
            sc_json_str(&r->body, full.data, full.len);
            sc_buf_addf(&r->body, ", \"mode\": \"%s\", \"offset\": %lld, \"limit\": %lld}\n",
                        opts.mode == SC_SEARCH_PARA ? "para" : "doc", (long long)offset,
                        (long long)limit);
        }
    }
    sc_results_release(&res);
    sc_buf_release(&full);
}
