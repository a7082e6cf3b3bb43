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
    struct sc_buf *out;
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
    if (k >= c->offset && k < c->offset + c->limit) {
        if (k > c->offset)
            sc_buf_adds(c->out, ", ");
        sc_doc_json_meta(c->out, d);
    }
    return c->out->failed;
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
    struct sc_buf docs = SC_BUF_INIT;
    c.out = &docs;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_doc_foreach(req->srv->lib, 0, 0, list_fn, &c, &d);
    if (e == SC_OK && docs.failed)
        e = SC_ENOMEM;
    if (e != SC_OK) {
        sc_buf_release(&docs);
        resp_sc_error(r, e, &d);
        return;
    }
    resp_json(r);
    sc_buf_addf(&r->body, "{\"total\": %lld, \"offset\": %lld, \"limit\": %lld, \"docs\": [",
                (long long)c.total, (long long)c.offset, (long long)c.limit);
    sc_buf_add(&r->body, docs.data, docs.len);
    sc_buf_adds(&r->body, "]}\n");
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
    resp_json(r);
    sc_doc_json(&r->body, &doc, req_may(req, SC_ACT_READ_PAID));
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
    if (req->n < 0 || (uint64_t)req->n >= doc.nsections) {
        resp_error(r, 404, "not_found", "document %lld has %zu sections (0..%zu)",
                   (long long)req->id, doc.nsections, doc.nsections ? doc.nsections - 1 : 0);
        sc_doc_release(&doc);
        return;
    }
    const struct sc_section *s = &doc.sections[req->n];
    const char *text = doc.text ? doc.text : "";
    size_t len = doc.text ? doc.text_len : 0;
    int64_t start = s->start, end = s->end;
    /* the part of the section that lies in the paid range, if withheld */
    int64_t wa = 0, wb = 0;
    if (doc.paid_from >= 0 && !req_may(req, SC_ACT_READ_PAID)) {
        int64_t pt = doc.paid_to >= 0 ? doc.paid_to : INT64_MAX;
        wa = start > doc.paid_from ? start : doc.paid_from;
        wb = end < pt ? end : pt;
        if (wb < wa)
            wa = wb = 0;
    }
    resp_json(r);
    struct sc_buf *b = &r->body;
    sc_buf_addf(b, "{\"doc\": %lld, \"n\": %lld, \"title\": ", (long long)doc.id,
                (long long)req->n);
    sc_json_strz(b, doc.title);
    sc_buf_adds(b, ", \"section\": ");
    size_t mark = b->len;
    sc_sections_json(b, s, 1);
    if (!b->failed && b->len >= mark + 2) { /* [ {...} ] -> {...} */
        memmove(b->data + mark, b->data + mark + 1, b->len - mark - 2);
        b->len -= 2;
        b->data[b->len] = '\0';
    }
    size_t a0 = sc_utf8_offset(text, len, (size_t)start);
    size_t a1 = sc_utf8_offset(text, len, (size_t)end);
    if (wb > wa) {
        size_t w0 = sc_utf8_offset(text, len, (size_t)wa);
        size_t w1 = sc_utf8_offset(text, len, (size_t)wb);
        struct sc_buf shown = SC_BUF_INIT;
        sc_buf_add(&shown, text + a0, w0 - a0);
        sc_buf_add(&shown, text + w1, a1 - w1);
        sc_buf_addf(b, ", \"locked\": true, \"withheld\": [%lld, %lld], \"text\": ", (long long)wa,
                    (long long)wb);
        sc_json_str(b, shown.data, shown.len);
        if (shown.failed)
            b->failed = 1;
        sc_buf_release(&shown);
    } else {
        sc_buf_adds(b, ", \"locked\": false, \"text\": ");
        sc_json_str(b, text + a0, a1 > a0 ? a1 - a0 : 0);
    }
    sc_buf_adds(b, "}\n");
    sc_doc_release(&doc);
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
    sc_buf_addf(&r->body,
                "{\"documents\": %lld, \"chars\": %lld, \"sources\": %lld, \"refused\": %lld, "
                "\"near_duplicates\": %lld, \"boilerplate_lines\": %lld, \"store_bytes\": %lld, "
                "\"index_bytes\": %lld, \"library_bytes\": %lld}\n",
                (long long)s.documents, (long long)s.chars, (long long)s.sources,
                (long long)s.refused, (long long)s.duplicates_near, (long long)s.boilerplate_lines,
                (long long)s.store_bytes, (long long)s.index_bytes,
                (long long)(s.store_bytes + s.index_bytes));
}
