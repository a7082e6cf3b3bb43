/*
 * The caller's own text, anonymised and filled in (脱敏 / 套用):
 *   POST /api/v1/mask          {"text", "kinds" (optional), "distinct": bool}
 *                              -> sc_mask_json {"text", "spans"}
 *   POST /api/v1/mask/restore  {"map": <the answer of /mask>, "text": masked (optional)}
 *                              -> {"text": original}
 *   POST /api/v1/fill          {"text", "profile": {"unit", "place", ...}}
 *                              -> sc_fill_json {"text", "slots", "filled", "unfilled"}
 * Open to every caller: they read no library document.
 */
#include "server_int.h"

#include <string.h>

void h_mask(struct sc_req *req, struct sc_resp *r)
{
    struct sc_json j;
    memset(&j, 0, sizeof j);
    if (h_writer_body(req, &j, r) != 0)
        goto out;
    const struct sc_json_node *root = sc_json_root(&j);
    size_t len;
    const char *text = h_writer_text(&j, root, SC_MASK_MAX_BYTES, &len, r);
    if (!text)
        goto out;
    struct sc_mask_opts opts = { 0 };
    if (h_writer_kinds(&j, sc_json_get(&j, root, "kinds"), sc_mask_kinds_parse, &opts.kinds, r))
        goto out;
    const struct sc_json_node *dn = sc_json_get(&j, root, "distinct");
    if (dn && dn->type != SC_JSON_TRUE && dn->type != SC_JSON_FALSE && dn->type != SC_JSON_NULL) {
        resp_error(r, 400, "bad_request", "distinct must be true or false");
        goto out;
    }
    opts.distinct = dn && dn->type == SC_JSON_TRUE;
    struct sc_mask_result res;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_mask_run(text, len, &opts, &res, &d);
    if (e != SC_OK) {
        resp_sc_error(r, e, &d);
    } else {
        struct sc_jw w;
        sc_jw_init(&w, &r->body);
        sc_mask_json(&w, text, len, &res);
        if (sc_jw_finish(&w) != SC_OK)
            resp_error(r, 500, "internal", "out of memory");
        else
            resp_json(r);
    }
    sc_mask_result_release(&res);
out:
    sc_json_release(&j);
}

void h_mask_restore(struct sc_req *req, struct sc_resp *r)
{
    struct sc_json j;
    memset(&j, 0, sizeof j);
    struct sc_buf map = SC_BUF_INIT, out = SC_BUF_INIT;
    if (h_writer_body(req, &j, r) != 0)
        goto out;
    const struct sc_json_node *root = sc_json_root(&j);
    const struct sc_json_node *m = sc_json_get(&j, root, "map");
    if (!m || m->type != SC_JSON_OBJ) {
        resp_error(r, 400, "bad_request", "give \"map\": the answer of POST /api/v1/mask");
        goto out;
    }
    /* the map's spans and text, written back as JSON for sc_mask_restore */
    struct sc_jw w;
    sc_jw_init(&w, &map);
    sc_jw_obj(&w, SC_JW_INLINE);
    const struct sc_json_node *mt = sc_json_get(&j, m, "text");
    size_t tl;
    const char *t = mt ? sc_json_string(&j, mt, &tl) : NULL;
    if (t)
        sc_jw_kstr(&w, "text", t, tl);
    sc_jw_key(&w, "spans");
    sc_jw_arr(&w, SC_JW_INLINE);
    const struct sc_json_node *sp = sc_json_get(&j, m, "spans");
    if (!sp || sp->type != SC_JSON_ARR) {
        resp_error(r, 400, "bad_request", "map.spans must be an array");
        goto out;
    }
    for (const struct sc_json_node *s = sc_json_first(&j, sp); s; s = sc_json_next(&j, s)) {
        int64_t a, b;
        size_t ol, rl;
        const struct sc_json_node *o = s->type == SC_JSON_OBJ ? sc_json_get(&j, s, "original") : NULL;
        const struct sc_json_node *rp = s->type == SC_JSON_OBJ ? sc_json_get(&j, s, "replacement") : NULL;
        const char *os = o ? sc_json_string(&j, o, &ol) : NULL;
        const char *rs = rp ? sc_json_string(&j, rp, &rl) : NULL;
        if (!os || !rs || sc_json_int(sc_json_get(&j, s, "start"), 0, INT64_MAX, &a) ||
            sc_json_int(sc_json_get(&j, s, "end"), 0, INT64_MAX, &b)) {
            resp_error(r, 400, "bad_request",
                       "each map span needs start, end, original and replacement");
            goto out;
        }
        sc_jw_obj(&w, SC_JW_INLINE);
        sc_jw_kint(&w, "start", a);
        sc_jw_kint(&w, "end", b);
        sc_jw_kstr(&w, "original", os, ol);
        sc_jw_kstr(&w, "replacement", rs, rl);
        sc_jw_obj_end(&w);
    }
    sc_jw_arr_end(&w);
    sc_jw_obj_end(&w);
    if (sc_jw_finish(&w) != SC_OK) {
        resp_error(r, 500, "internal", "out of memory");
        goto out;
    }
    const struct sc_json_node *tn = sc_json_get(&j, root, "text");
    size_t ml = 0;
    const char *masked = tn ? sc_json_string(&j, tn, &ml) : NULL;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_mask_restore(map.data, map.len, masked, ml, &out, &d);
    if (e != SC_OK) {
        resp_error(r, e == SC_ENOMEM ? 500 : 400, "bad_map", "%s", d.msg);
        goto out;
    }
    sc_jw_init(&w, &r->body);
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_jw_kstr(&w, "text", out.data, out.len);
    sc_jw_obj_end(&w);
    if (sc_jw_finish(&w) != SC_OK)
        resp_error(r, 500, "internal", "out of memory");
    else
        resp_json(r);
out:
    sc_buf_release(&map);
    sc_buf_release(&out);
    sc_json_release(&j);
}

void h_fill(struct sc_req *req, struct sc_resp *r)
{
    struct sc_json j;
    memset(&j, 0, sizeof j);
    struct sc_buf prof = SC_BUF_INIT;
    if (h_writer_body(req, &j, r) != 0)
        goto out;
    const struct sc_json_node *root = sc_json_root(&j);
    size_t len;
    const char *text = h_writer_text(&j, root, SC_MASK_MAX_BYTES, &len, r);
    if (!text)
        goto out;
    const struct sc_json_node *p = sc_json_get(&j, root, "profile");
    if (!p || p->type != SC_JSON_OBJ) {
        resp_error(r, 400, "bad_request",
                   "give \"profile\": an object such as {\"unit\": \"海淀区发改委\"}");
        goto out;
    }
    /* the profile object, written back as JSON for sc_fill_run */
    struct sc_jw w;
    sc_jw_init(&w, &prof);
    sc_jw_obj(&w, SC_JW_INLINE);
    for (const struct sc_json_node *m = sc_json_first(&j, p); m; m = sc_json_next(&j, m)) {
        size_t kl, vl;
        const char *k = sc_json_key(&j, m, &kl);
        const char *v = sc_json_string(&j, m, &vl);
        if (!k)
            continue;
        if (m->type == SC_JSON_NULL) {
            sc_jw_knull(&w, k);
        } else if (!v) {
            resp_error(r, 400, "bad_profile", "profile: \"%.40s\" must be a string", k);
            goto out;
        } else {
            sc_jw_kstr(&w, k, v, vl);
        }
    }
    sc_jw_obj_end(&w);
    if (sc_jw_finish(&w) != SC_OK) {
        resp_error(r, 500, "internal", "out of memory");
        goto out;
    }
    struct sc_fill_result res;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_fill_run(text, len, prof.data, prof.len, &res, &d);
    if (e == SC_EINVAL && strstr(d.msg, "profile")) {
        resp_error(r, 400, "bad_profile", "%s", d.msg);
    } else if (e != SC_OK) {
        resp_sc_error(r, e, &d);
    } else {
        sc_jw_init(&w, &r->body);
        sc_fill_json(&w, text, len, &res);
        if (sc_jw_finish(&w) != SC_OK)
            resp_error(r, 500, "internal", "out of memory");
        else
            resp_json(r);
    }
    sc_fill_result_release(&res);
out:
    sc_buf_release(&prof);
    sc_json_release(&j);
}
