/*
 * Fuzz the server's parsers of untrusted request bytes (server/http.c):
 * %-decoding, paths, query strings, header parameters, cookies,
 * multipart/form-data, JSON, and the Content-Disposition writer. The first
 * byte picks the parser; the rest is its input. Besides "no crash, no
 * leak", each case checks the parser's promises (decoded text is valid
 * UTF-8 without NUL, parts lie inside the body, JSON trees are well formed).
 *
 * server/ is not part of libsucai, so the parser file is included here.
 */
#include "../../server/http.c"
#include "sucai/json.h"

#include <assert.h>

static int part_fn(void *ctx, const struct http_part *p)
{
    const struct sc_str *body = ctx;
    assert(p->data >= body->p && p->data + p->len <= body->p + body->len);
    assert(p->name && p->content_type);
    if (p->filename) {
        size_t n = strlen(p->filename);
        assert(sc_utf8_valid(p->filename, n, NULL));
        assert(!strchr(p->filename, '/') && !strchr(p->filename, '\\'));
        assert(strcmp(p->filename, "..") != 0 && strcmp(p->filename, ".") != 0);
    }
    return 0;
}

static void walk_json(const struct sc_json *j, const struct sc_json_node *n, int depth)
{
    assert(depth <= SC_JSON_MAX_DEPTH + 1);
    if (n->type == SC_JSON_STR) {
        size_t len;
        const char *s = sc_json_string(j, n, &len);
        assert(s && s[len] == '\0' && sc_utf8_valid(s, len, NULL));
    }
    uint32_t count = 0;
    for (const struct sc_json_node *k = sc_json_first(j, n); k; k = sc_json_next(j, k)) {
        assert(k >= j->nodes && k < j->nodes + j->n);
        assert((n->type == SC_JSON_OBJ) == (sc_json_key(j, k, NULL) != NULL));
        walk_json(j, k, depth + 1);
        count++;
    }
    assert(count == n->nkids);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *in = (const char *)data + 1;
    size_t len = size - 1;
    struct sc_buf out = SC_BUF_INIT;
    struct sc_diag d = { 0 };
    switch (data[0] % 8) {
    case 0:
        if (http_pct_decode(in, len, data[0] & 8, &out, &d) == SC_OK)
            assert(sc_utf8_valid(out.data, out.len, NULL) && !memchr(out.data, 0, out.len));
        break;
    case 1:
        if (http_path_decode(in, len, &out, &d) == SC_OK) {
            assert(out.data[0] == '/' && !strstr(out.data, "/../") && !strstr(out.data, "/./"));
            assert(!strchr(out.data, '\\'));
        }
        break;
    case 2: {
        struct http_params p = { 0 };
        if (http_params_parse(&p, in, len, &d) == SC_OK) {
            assert(p.n <= HTTP_MAX_PARAMS);
            for (size_t i = 0; i < p.n; i++) {
                assert(sc_utf8_valid(p.v[i].value, p.v[i].value_len, NULL));
                int64_t v;
                if (http_parse_int(p.v[i].value, INT64_MIN, INT64_MAX, &v) == 0)
                    assert(strlen(p.v[i].value) <= 19);
            }
            (void)http_param(&p, "q");
        }
        http_params_release(&p);
        break;
    }
    case 3: {
        /* boundary: up to the first newline (or 70 bytes) */
        const char *nl = memchr(in, '\n', len < 71 ? len : 71);
        size_t bl = nl ? (size_t)(nl - in) : (len < 70 ? len : 70);
        struct sc_str body = { in + bl + (nl ? 1 : 0), len - bl - (nl ? 1 : 0) };
        http_multipart_parse(body.p, body.len, in, bl, part_fn, &body, &d);
        break;
    }
    case 4: {
        struct sc_json j;
        if (sc_json_parse(&j, in, len, HTTP_MAX_JSON_NODES, &d) == SC_OK) {
            walk_json(&j, sc_json_root(&j), 0);
            (void)sc_json_get(&j, sc_json_root(&j), "ids");
        }
        sc_json_release(&j);
        break;
    }
    case 5: {
        char *h = sc_strndup(in, len);
        if (h) {
            const char *v;
            size_t vl;
            if (http_cookie_get(h, strlen(h), "sucai_session", &v, &vl))
                assert(v >= h && v + vl <= h + strlen(h));
            (void)http_media_type_is(h, "multipart/form-data");
            free(h);
        }
        break;
    }
    case 6:
        (void)http_header_param(in, len, "boundary", &out);
        sc_buf_reset(&out);
        (void)http_header_param(in, len, "filename*", &out);
        break;
    case 7:
        if (http_content_disposition(in, len, &out) == SC_OK) {
            for (size_t i = 0; i < out.len; i++) /* a header value: printable ASCII only */
                assert(out.data[i] >= 0x20 && out.data[i] < 0x7f);
        }
        break;
    }
    sc_buf_release(&out);
    return 0;
}
