/*
 * POST /api/v1/proof: proofread the caller's own draft (校对).
 *   {"text": "...", "kinds": ["numbering_gap", ...] (optional)}
 * Answers sc_proof_json: {"findings": [...], "chars": N}, offsets in code
 * points of text. Open to every caller: it reads no library document. The
 * library is used only for counts (how often a string occurs), which the
 * doubled-character rule weighs; no library text is returned.
 */
#include "server_int.h"

#include <string.h>

/* "kinds": an array of names or one comma-separated string -> mask. */
int h_writer_kinds(const struct sc_json *j, const struct sc_json_node *k,
                      enum sc_err (*parse)(const char *, unsigned *, struct sc_diag *),
                      unsigned *mask, struct sc_resp *r)
{
    struct sc_diag d = { 0 };
    if (!k || k->type == SC_JSON_NULL)
        return 0;
    const char *s = sc_json_string(j, k, NULL);
    if (s) {
        if (parse(s, mask, &d) != SC_OK) {
            resp_error(r, 400, "bad_kinds", "%s", d.msg);
            return -1;
        }
        return 0;
    }
    if (k->type != SC_JSON_ARR) {
        resp_error(r, 400, "bad_kinds", "kinds must be an array of names");
        return -1;
    }
    *mask = 0;
    for (const struct sc_json_node *v = sc_json_first(j, k); v; v = sc_json_next(j, v)) {
        unsigned one;
        const char *name = sc_json_string(j, v, NULL);
        if (!name || parse(name, &one, &d) != SC_OK) {
            resp_error(r, 400, "bad_kinds", "%s", name ? d.msg : "kinds must be names");
            return -1;
        }
        *mask |= one;
    }
    return 0;
}

/* The body's "text": a string of at most max bytes. */
const char *h_writer_text(const struct sc_json *j, const struct sc_json_node *root,
                             size_t max, size_t *len, struct sc_resp *r)
{
    const struct sc_json_node *t = sc_json_get(j, root, "text");
    const char *s = t ? sc_json_string(j, t, len) : NULL;
    if (!s) {
        resp_error(r, 400, "bad_request", "give the draft as \"text\": a string");
        return NULL;
    }
    if (*len > max) {
        resp_error(r, 413, "too_large", "the text has %zu bytes, more than %zu", *len, max);
        return NULL;
    }
    return s;
}

int h_writer_body(struct sc_req *req, struct sc_json *j, struct sc_resp *r)
{
    struct sc_diag d = { 0 };
    enum sc_err e =
        sc_json_parse(j, req->body.data, req->body.len, HTTP_MAX_JSON_NODES * 16, &d);
    if (e != SC_OK) {
        resp_error(r, e == SC_ENOMEM ? 500 : 400, "bad_json", "%s", d.msg);
        return -1;
    }
    const struct sc_json_node *root = sc_json_root(j);
    if (!root || root->type != SC_JSON_OBJ) {
        resp_error(r, 400, "bad_json", "the body must be a JSON object");
        return -1;
    }
    return 0;
}

void h_proof(struct sc_req *req, struct sc_resp *r)
{
    struct sc_json j;
    memset(&j, 0, sizeof j);
    if (h_writer_body(req, &j, r) != 0)
        goto out;
    const struct sc_json_node *root = sc_json_root(&j);
    size_t len;
    const char *text = h_writer_text(&j, root, SC_PROOF_MAX_BYTES, &len, r);
    if (!text)
        goto out;
    struct sc_proof_opts opts = { 0 };
    if (h_writer_kinds(&j, sc_json_get(&j, root, "kinds"), sc_proof_kinds_parse, &opts.kinds, r))
        goto out;
    opts.count = sc_proof_library_counter;
    opts.count_ctx = req->srv->lib;
    struct sc_proof_result res;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_proof_run(text, len, &opts, &res, &d);
    if (e != SC_OK) {
        resp_sc_error(r, e, &d);
    } else {
        struct sc_jw w;
        sc_jw_init(&w, &r->body);
        sc_proof_json(&w, text, len, &res);
        if (sc_jw_finish(&w) != SC_OK)
            resp_error(r, 500, "internal", "out of memory");
        else
            resp_json(r);
    }
    sc_proof_result_release(&res);
out:
    sc_json_release(&j);
}
