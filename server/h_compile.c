/*
 * POST /api/v1/compile: make a 汇编 and send it as a download.
 *   {"ids": [3, 1, 2]} or {"query": "依法行政 year:2023", "limit": 20},
 *   plus "title" (optional) and "format": "docx" | "txt" | "md" (default docx).
 * Needs SC_ACT_DOWNLOAD and one download of the caller's daily quota (given
 * back if the compilation fails). Paid parts are included only for callers
 * entitled to read them. The file name follows RFC 6266 / RFC 5987.
 */
#include "server_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COMPILE_MAX_OUTPUT (512u * 1024 * 1024)

/* Read "ids" into a new array; -1 with a message in r on error. */
static int read_ids(const struct sc_json *j, const struct sc_json_node *arr, int64_t **ids,
                    size_t *n, struct sc_resp *r)
{
    if (arr->type != SC_JSON_ARR) {
        resp_error(r, 400, "bad_request", "ids must be an array of document ids");
        return -1;
    }
    if (arr->nkids == 0 || arr->nkids > SC_MAX_COMPILE_DOCS) {
        resp_error(r, 400, "bad_request", "give 1 to %d document ids", SC_MAX_COMPILE_DOCS);
        return -1;
    }
    *ids = sc_calloc(arr->nkids, sizeof **ids);
    if (!*ids) {
        resp_error(r, 500, "internal", "out of memory");
        return -1;
    }
    size_t k = 0;
    for (const struct sc_json_node *v = sc_json_first(j, arr); v; v = sc_json_next(j, v)) {
        int64_t id;
        if (sc_json_int(v, 1, INT64_C(9000000000000000), &id) != 0) {
            resp_error(r, 400, "bad_request", "ids[%zu] is not a document id", k);
            free(*ids);
            *ids = NULL;
            return -1;
        }
        (*ids)[k++] = id;
    }
    *n = k;
    return 0;
}

void h_compile(struct sc_req *req, struct sc_resp *r)
{
    if (!req_may(req, SC_ACT_DOWNLOAD)) {
        resp_denied(req, r, "download");
        return;
    }
    struct sc_json j;
    struct sc_diag d = { 0 };
    int64_t *ids = NULL;
    size_t nids = 0;
    struct sc_buf out = SC_BUF_INIT;
    struct sc_compile_info info = { 0 };
    int taken = 0;
    enum sc_err e = sc_json_parse(&j, req->body.data, req->body.len, HTTP_MAX_JSON_NODES, &d);
    if (e != SC_OK) {
        resp_error(r, e == SC_ENOMEM ? 500 : 400, "bad_json", "%s", d.msg);
        goto out;
    }
    const struct sc_json_node *root = sc_json_root(&j);
    if (root->type != SC_JSON_OBJ) {
        resp_error(r, 400, "bad_json", "the body must be a JSON object");
        goto out;
    }
    struct sc_compile_opts opts = { 0 };
    const struct sc_json_node *fmt = sc_json_get(&j, root, "format");
    if (fmt) {
        const char *f = sc_json_string(&j, fmt, NULL);
        if (!f || sc_export_format_parse(f, &opts.format) != 0) {
            resp_error(r, 400, "bad_request", "format must be docx, txt or md");
            goto out;
        }
    }
    const struct sc_json_node *title = sc_json_get(&j, root, "title");
    if (title && title->type != SC_JSON_NULL) {
        size_t tl;
        opts.title = sc_json_string(&j, title, &tl);
        if (!opts.title || tl > SC_MAX_COMPILE_TITLE) {
            resp_error(r, 400, "bad_request", "title must be a string of at most %d bytes",
                       SC_MAX_COMPILE_TITLE);
            goto out;
        }
    }
    const struct sc_json_node *jids = sc_json_get(&j, root, "ids");
    const struct sc_json_node *jq = sc_json_get(&j, root, "query");
    const char *query = NULL;
    int64_t limit = 20;
    if (jids && jq) {
        resp_error(r, 400, "bad_request", "give either ids or query, not both");
        goto out;
    }
    if (jids) {
        if (read_ids(&j, jids, &ids, &nids, r) != 0)
            goto out;
    } else if (jq) {
        size_t ql;
        query = sc_json_string(&j, jq, &ql);
        if (!query || ql == 0 || ql > SC_MAX_QUERY_BYTES) {
            resp_error(r, 400, "bad_request", "query must be a string of 1 to %d bytes",
                       SC_MAX_QUERY_BYTES);
            goto out;
        }
        const struct sc_json_node *jl = sc_json_get(&j, root, "limit");
        if (jl && sc_json_int(jl, 1, SC_MAX_LIMIT, &limit) != 0) {
            resp_error(r, 400, "bad_limit", "limit must be a whole number from 1 to %d",
                       SC_MAX_LIMIT);
            goto out;
        }
    } else {
        resp_error(r, 400, "bad_request", "give the documents: ids or query");
        goto out;
    }

    /* one download of today's quota; given back if the compilation fails */
    int left = -1;
    {
        char detail[96];
        snprintf(detail, sizeof detail, "compile %s %s", sc_export_format_name(opts.format),
                 ids ? "ids" : "query");
        struct sc_diag qd = { 0 };
        e = sc_quota_take(req->srv->lib, req_who(req), detail, req_addr(req), &left, &qd);
        if (e == SC_ELIMIT) {
            resp_error(r, 429, "quota_exceeded", "%s", qd.msg);
            goto out;
        }
        if (e == SC_EDENIED) {
            resp_denied(req, r, "download");
            goto out;
        }
        if (e != SC_OK) {
            resp_sc_error(r, e, &qd);
            goto out;
        }
        taken = 1;
    }
    opts.entitled = req_may(req, SC_ACT_READ_PAID);
    struct sc_caller caller;
    sc_caller_init(req->srv->lib, req_who(req), req_addr(req), &caller);
    opts.caller = &caller;
    opts.created = time(NULL);
    out.max = COMPILE_MAX_OUTPUT;
    if (ids)
        e = sc_compile_ids(req->srv->lib, ids, nids, &opts, &out, &info, &d);
    else
        e = sc_compile_query(req->srv->lib, query, (size_t)limit, &opts, &out, &info, &d);
    if (e != SC_OK) {
        if (e == SC_EPARSE) {
            resp_error_at(r, 400, "bad_query", d.pos_cp, "%s", d.msg);
        } else if (e == SC_ENOMEM && out.failed) {
            resp_error(r, 413, "too_large", "the compilation is larger than %u MB",
                       COMPILE_MAX_OUTPUT >> 20);
        } else {
            resp_sc_error(r, e, &d);
        }
        goto out;
    }
    taken = 0; /* delivered */
    struct sc_buf fname = SC_BUF_INIT, disp = SC_BUF_INIT;
    sc_export_file_name(info.title ? info.title : opts.title, opts.format, &fname);
    if (sc_buf_err(&fname) || http_content_disposition(fname.data, fname.len, &disp) != SC_OK)
        e = SC_ENOMEM;
    r->status = 200;
    r->type = sc_export_content_type(opts.format);
    r->cache = "no-store";
    r->body = out;
    sc_buf_init(&out);
    char num[32];
    if (e == SC_OK && resp_header(r, "Content-Disposition", disp.data) != 0)
        e = SC_ENOMEM;
    snprintf(num, sizeof num, "%zu", info.ndocs);
    resp_header(r, "X-Sucai-Documents", num);
    snprintf(num, sizeof num, "%d", info.pages);
    resp_header(r, "X-Sucai-Pages", num);
    snprintf(num, sizeof num, "%lld", (long long)info.omitted_chars);
    resp_header(r, "X-Sucai-Omitted-Chars", num);
    if (left >= 0) {
        snprintf(num, sizeof num, "%d", left);
        resp_header(r, "X-Downloads-Left", num);
    }
    sc_buf_release(&fname);
    sc_buf_release(&disp);
    if (e != SC_OK)
        resp_error(r, 500, "internal", "out of memory");
out:
    if (taken)
        sc_quota_give_back(req->srv->lib, req_who(req));
    sc_compile_info_release(&info);
    sc_buf_release(&out);
    free(ids);
    sc_json_release(&j);
}
