/*
 * Documents: GET /api/v1/docs (a filtered, paged list), /docs/{id} (the
 * reader's JSON: metadata, outline, text with the paid part withheld for
 * callers not entitled to it), /docs/{id}/sections/{n} (one section of the
 * outline with its text), and GET /api/v1/stats.
 */
#include "server_int.h"

#include <string.h>

#define LIST_MAX_OFFSET 100000000

struct list_ctx {
    const char *genre, *level, *unit;
    int year_from, year_to;
    int64_t offset, limit, total;
    struct sc_jw *w; /* the "docs" array */
};

static int list_fn(void *ctx, const struct sc_doc *d)
{
    struct list_ctx *c = ctx;
    if (c->genre && (!d->genre || strcmp(d->genre, c->genre) != 0))
        return 0;
    if (c->level && (!d->level || strcmp(d->level, c->level) != 0))
        return 0;
    if (c->unit && (!d->unit || !strstr(d->unit, c->unit)))
        return 0;
    if (c->year_from && (d->year < c->year_from || d->year > c->year_to))
        return 0;
    int64_t k = c->total++;
    if (k >= c->offset && k < c->offset + c->limit)
        sc_doc_jw_meta(c->w, d);
    return sc_buf_err(c->w->out) != SC_OK;
}

/* "2023" or "2019-2023". */
static int parse_years(const char *v, int *from, int *to)
{
    int64_t a, b;
    const char *dash = strchr(v, '-');
    if (!dash)
        return http_parse_int(v, 1, 9999, &a) == 0 ? (*from = *to = (int)a, 0) : -1;
    char first[8];
    size_t fl = (size_t)(dash - v);
    if (fl == 0 || fl >= sizeof first)
        return -1;
    memcpy(first, v, fl);
    first[fl] = '\0';
    if (http_parse_int(first, 1, 9999, &a) || http_parse_int(dash + 1, 1, 9999, &b) || a > b)
        return -1;
    *from = (int)a;
    *to = (int)b;
    return 0;
}

static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

void h_docs(struct sc_req *req, struct sc_resp *r)
{
    struct list_ctx c = { 0 };
    c.genre = nonempty(req_param(req, "genre"));
    c.level = nonempty(req_param(req, "level"));
    c.unit = nonempty(req_param(req, "unit"));
    c.limit = 20;
    const char *v = nonempty(req_param(req, "year"));
    if (v && parse_years(v, &c.year_from, &c.year_to) != 0) {
        resp_error(r, 400, "bad_request", "year must be 2023 or 2019-2023");
        return;
    }
    v = req_param(req, "limit");
    if (v && http_parse_int(v, 0, SC_MAX_LIMIT, &c.limit) != 0) {
        resp_error(r, 400, "bad_limit", "limit must be a whole number from 0 to %d", SC_MAX_LIMIT);
        return;
    }
    v = req_param(req, "offset");
    if (v && http_parse_int(v, 0, LIST_MAX_OFFSET, &c.offset) != 0) {
        resp_error(r, 400, "bad_offset", "offset must be a whole number from 0 to %d",
                   LIST_MAX_OFFSET);
        return;
    }
    /* the page of documents first: the total is known after it */
    struct sc_buf docs = SC_BUF_INIT;
    struct sc_jw dw;
    sc_jw_init(&dw, &docs);
    sc_jw_arr(&dw, SC_JW_INLINE);
    c.w = &dw;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_doc_foreach(req->srv->lib, 0, 0, list_fn, &c, &d);
    sc_jw_arr_end(&dw);
    if (e == SC_OK)
        e = sc_jw_finish(&dw);
    if (e != SC_OK) {
        sc_buf_release(&docs);
        resp_sc_error(r, e, &d);
        return;
    }
    resp_json(r);
    struct sc_jw w;
    sc_jw_init(&w, &r->body);
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_jw_kint(&w, "total", c.total);
    sc_jw_kint(&w, "offset", c.offset);
    sc_jw_kint(&w, "limit", c.limit);
    sc_jw_key(&w, "docs");
    sc_jw_raw(&w, docs.data, docs.len); /* written by dw above */
    sc_jw_obj_end(&w);
    sc_buf_addc(&r->body, '\n');
    sc_buf_release(&docs);
}

void h_doc(struct sc_req *req, struct sc_resp *r)
{
    struct sc_doc doc;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_doc_get(req->srv->lib, req->id, SC_DOC_TEXT | SC_DOC_OUTLINE, &doc, &d);
    if (e != SC_OK) {
        resp_sc_error(r, e, &d);
        return;
    }
    struct sc_view v;
    sc_view_of(req->srv->lib, req_who(req), &v);
    resp_json(r);
    sc_doc_json(&r->body, &doc, &v);
    sc_buf_addc(&r->body, '\n');
    sc_doc_release(&doc);
    /* a member's reading history follows what the reader opens (HEAD too
     * is a read; a failure to record costs the reader nothing) */
    if (req_may(req, SC_ACT_SHELF))
        (void)sc_history_add(req->srv->lib, req_who(req), req->id, NULL);
}

void h_section(struct sc_req *req, struct sc_resp *r)
{
    struct sc_doc doc;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_doc_get(req->srv->lib, req->id, SC_DOC_TEXT | SC_DOC_OUTLINE, &doc, &d);
    if (e != SC_OK) {
        resp_sc_error(r, e, &d);
        return;
    }
    struct sc_view v;
    sc_view_of(req->srv->lib, req_who(req), &v);
    struct sc_buf b = SC_BUF_INIT;
    e = sc_section_json(&b, &doc, req->n, &v, &d);
    sc_doc_release(&doc);
    if (e != SC_OK) {
        sc_buf_release(&b);
        resp_sc_error(r, e, &d);
        return;
    }
    resp_json(r);
    sc_buf_add(&r->body, b.data, b.len);
    sc_buf_addc(&r->body, '\n');
    sc_buf_release(&b);
}

void h_stats(struct sc_req *req, struct sc_resp *r)
{
    struct sc_stats s;
    struct sc_diag d = { 0 };
    enum sc_err e = server_stats(req->srv, &s, &d);
    if (e != SC_OK) {
        resp_sc_error(r, e, &d);
        return;
    }
    resp_json(r);
    sc_stats_json(&r->body, &s);
}
