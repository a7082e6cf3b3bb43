/*
 * POST /api/v1/check: 查重 of a draft against the library.
 *   JSON {"text": "…", "min": 13, "common": 50, "sources": 10,
 *         "format": "json" | "docx", "title": "…"}
 *   or multipart/form-data with the draft as a file ("file": .txt .docx .md)
 *   and the same options as form fields.
 * The answer is sc_check_json() with the draft's "text" (the converted text
 * for .docx, .md or another encoding: the offsets count it) and
 * "checks_left"; format=docx answers the report as a .docx download.
 *
 * POST /api/v1/check/compare: two drafts with each other, {"text", "other"}
 * or a multipart upload with files "file" and "other"; the answer is the
 * check JSON of text with the other draft as its source, and "other": the
 * same for the other draft.
 *
 * POST /api/v1/draft: an uploaded draft ("file": .txt in any encoding import
 * reads, .docx, .md) as the text the checks would see: {"name", "text",
 * "chars"}, for pages that hold one draft for several tools. No quota: it
 * returns the caller's own text.
 *
 * Anyone may check, within a daily quota (sc_check_quota_take; anonymous
 * callers by address); a failed check gives it back. A caller who may not
 * read paid text is checked against the text it may see, and told which
 * documents' paid parts hold a stretch of the draft while its daily
 * allowance lasts (lib/check decides, from opts.entitled and opts.caller:
 * the paid rule of docs/internals/members.md).
 */
#include "server_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct check_in {
    struct sc_buf text, other; /* the drafts, ready to check */
    char *title;               /* the file name, or the "title" field */
    int has_other;
    int docx;
    struct sc_check_opts o;
};

static void check_in_release(struct check_in *in)
{
    sc_buf_release(&in->text);
    sc_buf_release(&in->other);
    free(in->title);
}

/* An option value (JSON number or form field text) into *out in [lo, hi]. */
static int opt_num(const char *name, const char *s, int64_t num, int is_num, int64_t lo, int64_t hi,
                   size_t *out, struct sc_resp *r)
{
    int64_t v = num;
    if ((!is_num && (!s || http_parse_int(s, lo, hi, &v) != 0)) || v < lo || v > hi) {
        resp_error(r, 400, "bad_request", "%s must be a whole number from %lld to %lld", name,
                   (long long)lo, (long long)hi);
        return -1;
    }
    *out = (size_t)v;
    return 0;
}

static int opt_format(const char *f, struct check_in *in, struct sc_resp *r)
{
    if (!strcmp(f, "json"))
        in->docx = 0;
    else if (!strcmp(f, "docx"))
        in->docx = 1;
    else {
        resp_error(r, 400, "bad_request", "format must be json or docx");
        return -1;
    }
    return 0;
}

/* One option by name (from JSON or a form field). 1 if name is not one. */
static int set_option(struct check_in *in, const char *name, const char *s, int64_t num, int is_num,
                      struct sc_resp *r)
{
    if (!strcmp(name, "min"))
        return opt_num("min", s, num, is_num, SC_CHECK_MIN_LO, SC_CHECK_MIN_HI, &in->o.min, r);
    if (!strcmp(name, "common"))
        return opt_num("common", s, num, is_num, 1, 1000000000, &in->o.common, r);
    if (!strcmp(name, "sources"))
        return opt_num("sources", s, num, is_num, 1, SC_CHECK_SOURCES_MAX, &in->o.max_sources, r);
    if (!strcmp(name, "format"))
        return s ? opt_format(s, in, r)
                 : (resp_error(r, 400, "bad_request", "format must be a string"), -1);
    if (!strcmp(name, "title")) {
        if (!s || strlen(s) > 200) {
            resp_error(r, 400, "bad_request", "title must be a string of at most 200 bytes");
            return -1;
        }
        free(in->title);
        in->title = sc_strdup(s);
        return in->title ? 0 : (resp_error(r, 500, "internal", "out of memory"), -1);
    }
    return 1;
}

/* A draft from bytes: the same conversions and refusals as sucai check. */
static int take_draft(const char *what, const char *name, const char *data, size_t len,
                      struct sc_buf *out, struct sc_resp *r)
{
    struct sc_diag d = { 0 };
    enum sc_err e = sc_check_draft(name, data, len, out, &d);
    if (e == SC_OK)
        return 0;
    if (e == SC_ELIMIT)
        resp_error(r, 413, "too_large", "%s: %s", what, d.msg);
    else if (e == SC_EUNSUPPORTED)
        resp_error(r, 415, "unsupported", "%s: %s", what, d.msg);
    else if (e == SC_ENOMEM)
        resp_error(r, 500, "internal", "out of memory");
    else
        resp_error(r, 400, "bad_draft", "%s: %s", what, d.msg);
    return -1;
}

static int from_json(struct sc_req *req, struct check_in *in, int compare, struct sc_resp *r)
{
    struct sc_json j;
    struct sc_diag d = { 0 };
    if (sc_json_parse(&j, req->body.data, req->body.len, HTTP_MAX_JSON_NODES, &d) != SC_OK) {
        sc_json_release(&j);
        resp_error(r, 400, "bad_json", "%s", d.msg);
        return -1;
    }
    int rc = -1;
    const struct sc_json_node *root = sc_json_root(&j);
    if (root->type != SC_JSON_OBJ) {
        resp_error(r, 400, "bad_json", "the body must be a JSON object");
        goto out;
    }
    const char *text = NULL, *other = NULL;
    size_t tl = 0, ol = 0;
    for (const struct sc_json_node *m = sc_json_first(&j, root); m; m = sc_json_next(&j, m)) {
        const char *key = sc_json_key(&j, m, NULL);
        if (!strcmp(key, "text") || (compare && !strcmp(key, "other"))) {
            size_t l;
            const char *s = sc_json_string(&j, m, &l);
            if (!s) {
                resp_error(r, 400, "bad_request", "%s must be a string", key);
                goto out;
            }
            if (key[0] == 't')
                text = s, tl = l;
            else
                other = s, ol = l;
            continue;
        }
        const char *s = m->type == SC_JSON_STR ? sc_json_string(&j, m, NULL) : NULL;
        int64_t num = 0;
        int is_num =
            m->type == SC_JSON_NUM && sc_json_int(m, INT64_MIN / 2, INT64_MAX / 2, &num) == 0;
        if (m->type == SC_JSON_NUM && !is_num)
            num = -1; /* not whole: out of every range */
        int k = set_option(in, key, s, num, m->type == SC_JSON_NUM, r);
        if (k < 0)
            goto out;
        if (k == 1 && m->type != SC_JSON_NULL) {
            resp_error(r, 400, "bad_request", "unknown field %.40s", key);
            goto out;
        }
    }
    if (!text || (compare && !other)) {
        resp_error(r, 400, "bad_request",
                   compare ? "give the drafts: text and other"
                           : "give the draft: text (or upload a file)");
        goto out;
    }
    if (take_draft("text", "draft.txt", text, tl, &in->text, r) ||
        (compare && take_draft("other", "other.txt", other, ol, &in->other, r)))
        goto out;
    in->has_other = compare;
    rc = 0;
out:
    sc_json_release(&j);
    return rc;
}

struct parts {
    struct check_in *in;
    struct sc_resp *r;
    int compare, failed, nfiles;
};

static int on_part(void *ctx, const struct http_part *p)
{
    struct parts *ps = ctx;
    struct check_in *in = ps->in;
    if (p->filename) {
        int other = ps->compare && !strcmp(p->name, "other");
        if (!other && strcmp(p->name, "file") != 0)
            return 0; /* another file field: ignored */
        if (!p->filename[0]) {
            resp_error(ps->r, 400, "bad_draft", "unusable file name");
            ps->failed = 1;
            return 1;
        }
        if (take_draft(p->filename, p->filename, p->data, p->len, other ? &in->other : &in->text,
                       ps->r)) {
            ps->failed = 1;
            return 1;
        }
        if (other) {
            in->has_other = 1;
        } else {
            ps->nfiles++;
            if (!in->title && !(in->title = sc_strdup(p->filename))) {
                resp_error(ps->r, 500, "internal", "out of memory");
                ps->failed = 1;
                return 1;
            }
        }
        return 0;
    }
    char val[256];
    if (p->len >= sizeof val) {
        resp_error(ps->r, 400, "bad_request", "form field %.40s is too long", p->name);
        ps->failed = 1;
        return 1;
    }
    memcpy(val, p->data, p->len);
    val[p->len] = '\0';
    if (!strcmp(p->name, "text")) { /* pasted text in a form */
        if (take_draft("text", "draft.txt", p->data, p->len, &in->text, ps->r)) {
            ps->failed = 1;
            return 1;
        }
        ps->nfiles++;
        return 0;
    }
    if (set_option(in, p->name, val, 0, 0, ps->r) < 0) {
        ps->failed = 1;
        return 1;
    }
    return 0;
}

static int from_multipart(struct sc_req *req, const char *ct, struct check_in *in, int compare,
                          struct sc_resp *r)
{
    struct sc_buf boundary = SC_BUF_INIT;
    if (http_header_param(ct, strlen(ct), "boundary", &boundary) != 1 || boundary.len == 0) {
        sc_buf_release(&boundary);
        resp_error(r, 400, "bad_request", "multipart/form-data without a boundary");
        return -1;
    }
    struct parts ps = { in, r, compare, 0, 0 };
    struct sc_diag d = { 0 };
    enum sc_err e = http_multipart_parse(req->body.data, req->body.len, boundary.data, boundary.len,
                                         on_part, &ps, &d);
    sc_buf_release(&boundary);
    if (ps.failed)
        return -1;
    if (e != SC_OK) {
        resp_error(r, 400, "bad_multipart", "%s", d.msg);
        return -1;
    }
    if (ps.nfiles != 1 || (compare && !in->has_other)) {
        resp_error(r, 400, "no_files",
                   compare ? "upload the drafts as files \"file\" and \"other\""
                           : "upload the draft as one file in the form field \"file\"");
        return -1;
    }
    return 0;
}

static void answer(struct sc_req *req, struct sc_resp *r, struct check_in *in)
{
    struct sc_library *lib = req->srv->lib;
    const struct sc_principal *who = req_who(req);
    int left = -1;
    struct sc_diag qd = { 0 };
    enum sc_err e = sc_check_quota_take(lib, who, req_addr(req), &left, &qd);
    if (e == SC_ELIMIT) {
        resp_error(r, 429, "quota_exceeded", "%s", qd.msg);
        return;
    }
    if (e != SC_OK) {
        resp_sc_error(r, e, &qd);
        return;
    }
    in->o.entitled = req_may(req, SC_ACT_READ_PAID);
    struct sc_caller caller;
    sc_caller_init(lib, who, req_addr(req), &caller);
    in->o.caller = &caller;
    struct sc_check_result res, ores;
    memset(&ores, 0, sizeof ores);
    struct sc_diag d = { 0 };
    if (in->has_other)
        e = sc_check_compare(in->text.data, in->text.len, in->other.data, in->other.len, &in->o,
                             "稿件", "对照稿", &res, &ores, &d);
    else
        e = sc_check(lib, in->text.data, in->text.len, &in->o, &res, &d);
    if (e != SC_OK) {
        sc_check_quota_give_back(lib, who, req_addr(req));
        resp_sc_error(r, e, &d);
        sc_check_result_release(&res);
        return;
    }
    char num[32];
    if (in->docx) {
        struct sc_buf doc = SC_BUF_INIT, disp = SC_BUF_INIT, name = SC_BUF_INIT;
        e = sc_check_docx(in->text.data, in->text.len, &res, in->title, &doc, &d);
        sc_buf_addf(&name, "查重报告%s%s.docx", in->title ? "-" : "", in->title ? in->title : "");
        if (e == SC_OK &&
            (sc_buf_err(&name) || http_content_disposition(name.data, name.len, &disp) != SC_OK))
            e = SC_ENOMEM;
        if (e == SC_OK) {
            r->status = 200;
            r->type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
            r->cache = "no-store";
            r->body = doc;
            sc_buf_init(&doc);
            if (resp_header(r, "Content-Disposition", disp.data) != 0)
                e = SC_ENOMEM;
        }
        sc_buf_release(&doc);
        sc_buf_release(&disp);
        sc_buf_release(&name);
        if (e != SC_OK) {
            sc_check_quota_give_back(lib, who, req_addr(req));
            resp_sc_error(r, e, &d);
        }
    } else {
        resp_json(r);
        struct sc_jw w;
        sc_jw_init(&w, &r->body);
        sc_jw_obj(&w, SC_JW_INLINE);
        sc_check_json(&w, in->text.data, in->text.len, &res, &in->o,
                      SC_CHECK_JSON_TEXT | SC_CHECK_JSON_MEMBERS);
        /* the quota (and the other draft) */
        if (left < 0)
            sc_jw_knull(&w, "checks_left");
        else
            sc_jw_kint(&w, "checks_left", left);
        if (in->has_other) {
            sc_jw_key(&w, "other");
            sc_check_json(&w, in->other.data, in->other.len, &ores, &in->o, SC_CHECK_JSON_TEXT);
        }
        sc_jw_obj_end(&w);
        sc_buf_addc(&r->body, '\n');
    }
    if (left >= 0 && r->status == 200) {
        snprintf(num, sizeof num, "%d", left);
        resp_header(r, "X-Checks-Left", num);
    }
    sc_check_result_release(&res);
    sc_check_result_release(&ores);
}

static void check(struct sc_req *req, struct sc_resp *r, int compare)
{
    if (!req_may(req, SC_ACT_CHECK)) {
        resp_denied(req, r, "check drafts");
        return;
    }
    if (req->body_over) {
        resp_error(r, 413, "too_large", "the request is larger than %zu bytes", req->body_max);
        return;
    }
    struct check_in in;
    memset(&in, 0, sizeof in);
    sc_buf_init(&in.text);
    sc_buf_init(&in.other);
    const char *ct = req_header(req, "Content-Type");
    int rc = ct && http_media_type_is(ct, "multipart/form-data")
                 ? from_multipart(req, ct, &in, compare, r)
                 : from_json(req, &in, compare, r);
    if (rc == 0)
        answer(req, r, &in);
    check_in_release(&in);
}

void h_check(struct sc_req *req, struct sc_resp *r)
{
    check(req, r, 0);
}

void h_check_compare(struct sc_req *req, struct sc_resp *r)
{
    check(req, r, 1);
}

struct one_file {
    struct sc_resp *r;
    struct sc_buf *text;
    char *name;
    int n, failed;
};

static int on_draft_part(void *ctx, const struct http_part *p)
{
    struct one_file *f = ctx;
    if (!p->filename || strcmp(p->name, "file") != 0)
        return 0;
    if (f->n++) {
        resp_error(f->r, 400, "too_many_files", "upload one draft");
        f->failed = 1;
        return 1;
    }
    if (!p->filename[0] || !(f->name = sc_strdup(p->filename))) {
        resp_error(f->r, 400, "bad_draft", "unusable file name");
        f->failed = 1;
        return 1;
    }
    if (take_draft(p->filename, p->filename, p->data, p->len, f->text, f->r)) {
        f->failed = 1;
        return 1;
    }
    return 0;
}

void h_draft(struct sc_req *req, struct sc_resp *r)
{
    if (req->body_over) {
        resp_error(r, 413, "too_large", "the request is larger than %zu bytes", req->body_max);
        return;
    }
    const char *ct = req_header(req, "Content-Type");
    struct sc_buf boundary = SC_BUF_INIT, text = SC_BUF_INIT;
    if (!ct || !http_media_type_is(ct, "multipart/form-data") ||
        http_header_param(ct, strlen(ct), "boundary", &boundary) != 1 || boundary.len == 0) {
        sc_buf_release(&boundary);
        resp_error(r, 400, "bad_request",
                   "upload the draft as multipart/form-data, field \"file\"");
        return;
    }
    struct one_file f = { r, &text, NULL, 0, 0 };
    struct sc_diag d = { 0 };
    enum sc_err e = http_multipart_parse(req->body.data, req->body.len, boundary.data, boundary.len,
                                         on_draft_part, &f, &d);
    sc_buf_release(&boundary);
    if (!f.failed) {
        if (e != SC_OK)
            resp_error(r, 400, "bad_multipart", "%s", d.msg);
        else if (!f.n)
            resp_error(r, 400, "no_files", "upload the draft as a file in the form field \"file\"");
        else {
            resp_json(r);
            struct sc_jw w;
            sc_jw_init(&w, &r->body);
            sc_jw_obj(&w, SC_JW_INLINE);
            sc_jw_kstrz(&w, "name", f.name);
            sc_jw_kint(&w, "chars", (int64_t)sc_utf8_count(text.data, text.len));
            sc_jw_kstr(&w, "text", text.data, text.len);
            sc_jw_obj_end(&w);
            if (sc_jw_finish(&w) != SC_OK)
                r->body.failed = 1;
            sc_buf_addc(&r->body, '\n');
        }
    }
    free(f.name);
    sc_buf_release(&text);
}
