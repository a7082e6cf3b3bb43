/*
 * My shelf over HTTP (an account is needed; anonymous callers keep their
 * cart in the browser):
 *   GET  /api/v1/favorites          limit= before=;  POST {"doc": id} adds one
 *   DELETE /api/v1/favorites/{id}
 *   GET  /api/v1/history            the last read first;  DELETE clears it
 *   GET  /api/v1/cart               POST {"ids": [...]} replaces it;  DELETE empties it
 * and, for everyone, the near duplicates the import recorded:
 *   GET  /api/v1/docs/{id}/near     the documents linked to one
 *   GET  /api/v1/near?ids=1,2,3     their number for each of a page of results
 */
#include "server_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NEAR_IDS_MAX 100

static const struct sc_principal *member(struct sc_req *req, struct sc_resp *r)
{
    if (!req_may(req, SC_ACT_SHELF)) {
        resp_denied(req, r, "keeping favourites, history or a cart");
        return NULL;
    }
    return req_who(req);
}

static int page_params(struct sc_req *req, struct sc_resp *r, int64_t *limit, int64_t *before)
{
    *limit = 20;
    *before = 0;
    const char *v = req_param(req, "limit");
    if (v && http_parse_int(v, 0, SC_SHELF_PAGE_MAX, limit) != 0) {
        resp_error(r, 400, "bad_limit", "limit must be a whole number from 0 to %d",
                   SC_SHELF_PAGE_MAX);
        return -1;
    }
    v = req_param(req, "before");
    if (v && http_parse_int(v, 1, INT64_MAX, before) != 0) {
        resp_error(r, 400, "bad_request", "before must be the next_before of the last page");
        return -1;
    }
    return 0;
}

static void done(struct sc_resp *r, enum sc_err e, const struct sc_diag *d)
{
    if (e != SC_OK) {
        resp_sc_error(r, e, d);
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
}

void h_favorites(struct sc_req *req, struct sc_resp *r)
{
    const struct sc_principal *p = member(req, r);
    int64_t limit, before;
    if (!p || page_params(req, r, &limit, &before) != 0)
        return;
    struct sc_diag d = { 0 };
    done(r, sc_fav_list(req->srv->lib, p, (size_t)limit, before, &r->body, &d), &d);
}

/* {"<key>": id} from the body; -1 (and the response) when missing. */
static int64_t body_id(struct sc_req *req, struct sc_resp *r, const char *key)
{
    struct sc_json j;
    struct sc_diag d = { 0 };
    int64_t id = -1;
    if (sc_json_parse(&j, req->body.data, req->body.len, HTTP_MAX_JSON_NODES, &d) != SC_OK)
        resp_error(r, 400, "bad_json", "%s", d.msg);
    else if (sc_json_int(sc_json_get(&j, sc_json_root(&j), key), 1, INT64_MAX, &id) != 0) {
        id = -1;
        resp_error(r, 400, "bad_request", "give {\"%s\": a document id}", key);
    }
    sc_json_release(&j);
    return id;
}

void h_favorites_post(struct sc_req *req, struct sc_resp *r)
{
    const struct sc_principal *p = member(req, r);
    if (!p)
        return;
    int64_t id = body_id(req, r, "doc");
    if (id < 0)
        return;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_fav_add(req->srv->lib, p, id, &d);
    if (e == SC_OK)
        ok_body(r);
    done(r, e, &d);
}

void h_favorite_delete(struct sc_req *req, struct sc_resp *r)
{
    const struct sc_principal *p = member(req, r);
    if (!p)
        return;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_fav_rm(req->srv->lib, p, req->id, &d);
    if (e == SC_OK)
        ok_body(r);
    done(r, e, &d);
}

void h_history(struct sc_req *req, struct sc_resp *r)
{
    const struct sc_principal *p = member(req, r);
    int64_t limit, before;
    if (!p || page_params(req, r, &limit, &before) != 0)
        return;
    struct sc_diag d = { 0 };
    done(r, sc_history_list(req->srv->lib, p, (size_t)limit, before, &r->body, &d), &d);
}

void h_history_delete(struct sc_req *req, struct sc_resp *r)
{
    const struct sc_principal *p = member(req, r);
    if (!p)
        return;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_history_clear(req->srv->lib, p, &d);
    if (e == SC_OK)
        ok_body(r);
    done(r, e, &d);
}

void h_cart(struct sc_req *req, struct sc_resp *r)
{
    const struct sc_principal *p = member(req, r);
    if (!p)
        return;
    struct sc_diag d = { 0 };
    done(r, sc_cart_get(req->srv->lib, p, &r->body, &d), &d);
}

void h_cart_post(struct sc_req *req, struct sc_resp *r)
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
    const struct sc_json_node *arr = sc_json_get(&j, sc_json_root(&j), "ids");
    if (!arr || arr->type != SC_JSON_ARR) {
        resp_error(r, 400, "bad_request", "give {\"ids\": [document ids, in order]}");
        sc_json_release(&j);
        return;
    }
    int64_t *ids = sc_calloc(arr->nkids ? arr->nkids : 1, sizeof *ids);
    size_t n = 0;
    int bad = !ids;
    for (const struct sc_json_node *c = sc_json_first(&j, arr); c && !bad; c = sc_json_next(&j, c))
        bad = sc_json_int(c, 1, INT64_MAX, &ids[n++]) != 0;
    sc_json_release(&j);
    if (bad) {
        free(ids);
        resp_error(r, 400, "bad_request", "ids must be document ids (whole numbers from 1)");
        return;
    }
    size_t dropped = 0;
    enum sc_err e = sc_cart_set(req->srv->lib, p, ids, n, &dropped, &d);
    free(ids);
    if (e == SC_OK)
        e = sc_cart_get(req->srv->lib, p, &r->body, &d);
    done(r, e, &d);
}

void h_cart_delete(struct sc_req *req, struct sc_resp *r)
{
    const struct sc_principal *p = member(req, r);
    if (!p)
        return;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_cart_set(req->srv->lib, p, NULL, 0, NULL, &d);
    if (e == SC_OK)
        ok_body(r);
    done(r, e, &d);
}

void h_doc_near(struct sc_req *req, struct sc_resp *r)
{
    struct sc_diag d = { 0 };
    done(r, sc_near_json(req->srv->lib, req->id, &r->body, &d), &d);
}

void h_near(struct sc_req *req, struct sc_resp *r)
{
    const char *v = req_param(req, "ids");
    int64_t ids[NEAR_IDS_MAX];
    size_t n = 0;
    while (v && *v) {
        char *end;
        long long x = strtoll(v, &end, 10);
        if (end == v || x <= 0 || (*end && *end != ',') || n == NEAR_IDS_MAX) {
            resp_error(r, 400, "bad_request", "ids must be up to %d document ids: ids=1,2,3",
                       NEAR_IDS_MAX);
            return;
        }
        ids[n++] = x;
        v = *end ? end + 1 : end;
    }
    int64_t counts[NEAR_IDS_MAX];
    struct sc_diag d = { 0 };
    enum sc_err e = sc_near_counts(req->srv->lib, ids, n, counts, &d);
    if (e != SC_OK) {
        resp_sc_error(r, e, &d);
        return;
    }
    struct sc_jw w;
    sc_jw_init(&w, &r->body);
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_jw_key(&w, "near");
    sc_jw_obj(&w, SC_JW_INLINE);
    for (size_t i = 0; i < n; i++) {
        char k[24];
        snprintf(k, sizeof k, "%lld", (long long)ids[i]);
        sc_jw_kint(&w, k, counts[i]);
    }
    sc_jw_obj_end(&w);
    sc_jw_obj_end(&w);
    done(r, sc_jw_finish(&w), NULL);
}
