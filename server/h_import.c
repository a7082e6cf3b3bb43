/*
 * POST /api/v1/import: a multipart/form-data upload of one or many files
 * (editors only). Each file goes through sc_import_bytes() like a file given
 * to `sucai import`; the answer lists one result per file in the form of
 * `sucai import --json` ({"file", "status", "docs", "reason", "bytes", "seq"})
 * and a summary whose "seq" (and X-Sucai-Seq) a later read may carry as
 * min_seq to see the upload on any node. Uploads are imported one at a time
 * (the store has one writer), through the server's import handle: a
 * connection of their own.
 */
#include "server_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct upload {
    char *name; /* owned; "" for a name that was refused */
    const char *data;
    size_t len;
};

struct uploads {
    struct upload *v;
    size_t n, cap, max;
    int too_many, oom;
};

static int on_part(void *ctx, const struct http_part *p)
{
    struct uploads *u = ctx;
    if (!p->filename)
        return 0; /* an ordinary form field: ignored */
    if (u->n >= u->max) {
        u->too_many = 1;
        return 1;
    }
    if (u->n == u->cap) {
        size_t ncap = u->cap ? u->cap * 2 : 8;
        struct upload *nv = sc_reallocarray(u->v, ncap, sizeof *nv);
        if (!nv) {
            u->oom = 1;
            return 1;
        }
        u->v = nv;
        u->cap = ncap;
    }
    char *name = sc_strdup(p->filename);
    if (!name) {
        u->oom = 1;
        return 1;
    }
    u->v[u->n++] = (struct upload){ name, p->data, p->len };
    return 0;
}

struct result_ctx {
    struct sc_jw *w; /* inside the "files" array */
};

static int on_file(void *ctx, const struct sc_import_result *r)
{
    struct result_ctx *c = ctx;
    sc_import_result_json(c->w, r);
    return 0;
}

void h_import(struct sc_req *req, struct sc_resp *r)
{
    if (!req_may(req, SC_ACT_IMPORT)) {
        resp_denied(req, r, "import");
        return;
    }
    const char *ct = req_header(req, "Content-Type");
    struct sc_buf boundary = SC_BUF_INIT;
    if (!ct || http_header_param(ct, strlen(ct), "boundary", &boundary) != 1 || boundary.len == 0) {
        sc_buf_release(&boundary);
        resp_error(r, 400, "bad_request", "multipart/form-data without a boundary");
        return;
    }
    struct uploads u = { 0 };
    u.max = req->srv->opts.max_upload_files;
    struct sc_diag d = { 0 };
    enum sc_err e = http_multipart_parse(req->body.data, req->body.len, boundary.data, boundary.len,
                                         on_part, &u, &d);
    sc_buf_release(&boundary);
    if (e == SC_OK && u.oom)
        e = sc_diag_set(&d, SC_ENOMEM, "out of memory");
    if (e != SC_OK || u.too_many || u.n == 0) {
        if (u.too_many)
            resp_error(r, 413, "too_many_files", "at most %zu files in one upload", u.max);
        else if (e == SC_ENOMEM)
            resp_error(r, 500, "internal", "out of memory");
        else if (e != SC_OK)
            resp_error(r, 400, "bad_multipart", "%s", d.msg);
        else
            resp_error(r, 400, "no_files",
                       "the upload holds no files (send them in a "
                       "form field of type file)");
        goto out;
    }

    /* the answer is written as the files come: {"files": [...], "summary"} */
    struct sc_buf list = SC_BUF_INIT;
    struct sc_jw w;
    sc_jw_init(&w, &list);
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_jw_key(&w, "files");
    sc_jw_arr(&w, SC_JW_LINES);
    struct result_ctx rc = { &w };
    struct sc_import_opts opts = { on_file, &rc, NULL };
    struct sc_import_summary total = { 0 };
    pthread_mutex_lock(&req->srv->import_lock);
    if (!req->srv->import_lib)
        e = sc_library_open(sc_library_dir(req->srv->lib), 0, &req->srv->import_lib, &d);
    for (size_t i = 0; i < u.n && e == SC_OK; i++) {
        if (!u.v[i].name[0]) {
            struct sc_import_result bad = { "", SC_IMPORT_REFUSED,    NULL,
                                            0,  "unusable file name", u.v[i].len,
                                            0 };
            sc_import_result_json(&w, &bad);
            total.refused++;
            continue;
        }
        struct sc_import_summary sum = { 0 };
        struct sc_diag fd = { 0 };
        e = sc_import_bytes(req->srv->import_lib, u.v[i].name, u.v[i].data, u.v[i].len, &opts, &sum,
                            &fd);
        if (e != SC_OK) {
            d = fd;
            break;
        }
        total.imported += sum.imported;
        total.duplicates += sum.duplicates;
        total.refused += sum.refused;
        total.docs += sum.docs;
        total.bytes += sum.bytes;
    }
    /* read your writes: every change committed by now, this upload's too */
    int64_t seq = req->srv->import_lib ? sc_library_seq(req->srv->import_lib) : 0;
    pthread_mutex_unlock(&req->srv->import_lock);
    /* searchable here when the answer arrives: the serving handle takes up
     * the index the import's handle has just written (else it would look
     * only at its next check, up to RECHECK_MS later) */
    if (total.imported)
        (void)sc_index_wait(req->srv->lib, seq, 2000, NULL);
    if (total.imported)
        server_stats_invalidate(req->srv);
    {
        char detail[160];
        snprintf(detail, sizeof detail,
                 "upload %zu files: %zu imported, %zu duplicates, "
                 "%zu refused",
                 u.n, total.imported, total.duplicates, total.refused);
        sc_audit(req->srv->lib, req_who(req), "import", detail, req_addr(req));
    }
    if (e != SC_OK) {
        resp_sc_error(r, e == SC_ENOMEM || e == SC_EUNAVAILABLE ? e : SC_ESTORE, &d);
    } else {
        sc_jw_arr_end(&w);
        sc_jw_key(&w, "summary");
        sc_jw_obj(&w, SC_JW_INLINE);
        sc_jw_kint(&w, "imported", (int64_t)total.imported);
        sc_jw_kint(&w, "duplicates", (int64_t)total.duplicates);
        sc_jw_kint(&w, "refused", (int64_t)total.refused);
        sc_jw_kint(&w, "docs", (int64_t)total.docs);
        sc_jw_kint(&w, "bytes", (int64_t)total.bytes);
        sc_jw_kint(&w, "seq", seq);
        sc_jw_obj_end(&w);
        sc_jw_obj_end(&w);
        sc_buf_addc(&list, '\n');
        resp_json(r);
        char num[24];
        snprintf(num, sizeof num, "%lld", (long long)seq);
        resp_header(r, "X-Sucai-Seq", num);
        if (sc_jw_finish(&w) != SC_OK) {
            resp_error(r, 500, "internal", "out of memory");
        } else {
            sc_buf_release(&r->body);
            r->body = list;
            sc_buf_init(&list);
        }
    }
    sc_buf_release(&list);
out:
    for (size_t i = 0; i < u.n; i++)
        free(u.v[i].name);
    free(u.v);
}
