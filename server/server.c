/*
 * The HTTP server on libmicrohttpd: a pool of N threads, each with its own
 * epoll loop (MHD_USE_INTERNAL_POLLING_THREAD + MHD_OPTION_THREAD_POOL_SIZE),
 * keep-alive, one shared library handle. This file is the glue: it turns
 * MHD's calls into one struct sc_req per request, reads and bounds the
 * body, asks the router for a handler, sends the struct sc_resp with the
 * security headers, and writes the access log and metrics when the
 * request completes. Handlers live in h_*.c.
 *
 * MHD is told not to unescape anything (unescape_none), so the path and
 * the query parameters reach us exactly as sent and are decoded once, here,
 * by http.c, which refuses bad escapes, invalid UTF-8 and "..".
 */
#include "server_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

/* Members functions may lag behind members.h while that part is being
 * built; an unresolved one leaves callers anonymous (see req_who). */
static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
                          "base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/* ---- request helpers ---- */

const char *req_header(struct sc_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *req_param(struct sc_req *req, const char *name)
{
    return http_param(&req->params, name);
}

static int is_trusted(const struct sc_server *srv, const char *addr)
{
    for (size_t i = 0; i < srv->opts.ntrusted; i++)
        if (!strcmp(srv->opts.trusted[i], addr))
            return 1;
    return 0;
}

/* Behind a trusted proxy, the client is the rightmost X-Forwarded-For entry
 * that is not a proxy itself (entries further left are the client's word,
 * which anyone can write); it must be an address. into: the peer's,
 * replaced when the header names one. */
static void forwarded_for(struct sc_req *req, char *into, size_t cap)
{
    const char *xff = req_header(req, "X-Forwarded-For");
    if (!xff)
        return;
    size_t end = strlen(xff);
    while (end > 0) {
        size_t start = end;
        while (start > 0 && xff[start - 1] != ',')
            start--;
        size_t a = start, b = end;
        while (a < b && (xff[a] == ' ' || xff[a] == '\t'))
            a++;
        while (b > a && (xff[b - 1] == ' ' || xff[b - 1] == '\t'))
            b--;
        char one[64];
        unsigned char bin[16];
        if (b - a == 0 || b - a >= sizeof one)
            return; /* not an address: keep the peer's */
        memcpy(one, xff + a, b - a);
        one[b - a] = '\0';
        if (inet_pton(AF_INET, one, bin) != 1 && inet_pton(AF_INET6, one, bin) != 1)
            return;
        if (!is_trusted(req->srv, one)) {
            snprintf(into, cap, "%s", one);
            return;
        }
        end = start > 0 ? start - 1 : 0;
    }
}

const char *req_addr(struct sc_req *req)
{
    if (req->addr[0])
        return req->addr;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, req->addr,
                      sizeof req->addr);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                      req->addr, sizeof req->addr);
    }
    if (!req->addr[0])
        memcpy(req->addr, "-", 2);
    else if (is_trusted(req->srv, req->addr))
        forwarded_for(req, req->addr, sizeof req->addr);
    return req->addr;
}

static int is_hex_secret(const char *s, size_t n)
{
    if (n != SC_SECRET_HEX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

const struct sc_principal *req_who(struct sc_req *req)
{
    if (req->who_done)
        return &req->who;
    req->who_done = 1;
    memset(&req->who, 0, sizeof req->who);
    struct sc_library *lib = req->srv->lib;
    const char *auth = req_header(req, "Authorization");
    if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
        const char *tok = auth + 7;
        while (*tok == ' ')
            tok++;
        if (strlen(tok) < 256 && sc_token_principal(lib, tok, &req->who) < 0)
            req->who_unknown = 1;
    } else {
        const char *cookie = req_header(req, "Cookie");
        const char *v;
        size_t vl;
        if (cookie && http_cookie_get(cookie, strlen(cookie), SC_SESSION_COOKIE, &v, &vl) &&
            is_hex_secret(v, vl)) {
            memcpy(req->session, v, vl);
            req->session[vl] = '\0';
            int live = sc_session_principal(lib, req->session, &req->who);
            if (live > 0)
                req->via_cookie = 1;
            else if (live < 0)
                req->who_unknown = 1;
        }
    }
    if (req->srv->opts.all_entitled)
        req->who.all_entitled = 1;
    return &req->who;
}

int req_may(struct sc_req *req, enum sc_action a)
{
    const struct sc_principal *p = req_who(req);
    return sc_may(p, a);
}

/* ---- response helpers ---- */

void resp_json(struct sc_resp *r)
{
    r->status = 200;
    r->type = "application/json; charset=utf-8";
}

static void error_body(struct sc_resp *r, int status, const char *code, size_t pos, const char *fmt,
                       va_list ap)
{
    struct sc_buf msg = SC_BUF_INIT;
    sc_buf_vaddf(&msg, fmt, ap);
    sc_buf_reset(&r->body);
    for (size_t i = 0; i < r->nhdr; i++)
        free(r->hdr[i].value);
    r->nhdr = 0;
    r->fixed = NULL;
    r->shared = NULL;
    r->status = status;
    r->type = "application/json; charset=utf-8";
    r->cache = NULL;
    struct sc_jw w;
    sc_jw_init(&w, &r->body);
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_jw_key(&w, "error");
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_jw_kstrz(&w, "code", code);
    sc_jw_kstr(&w, "message", msg.data, msg.len);
    if (pos)
        sc_jw_kint(&w, "position", (int64_t)pos);
    sc_jw_obj_end(&w);
    sc_jw_obj_end(&w);
    sc_buf_addc(&r->body, '\n');
    if (sc_buf_err(&msg))
        r->body.failed = 1;
    sc_buf_release(&msg);
}

void resp_error(struct sc_resp *r, int status, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_body(r, status, code, 0, fmt, ap);
    va_end(ap);
}

void resp_error_at(struct sc_resp *r, int status, const char *code, size_t pos, const char *fmt,
                   ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_body(r, status, code, pos, fmt, ap);
    va_end(ap);
}

void resp_sc_error(struct sc_resp *r, enum sc_err e, const struct sc_diag *d)
{
    const char *msg = d && d->msg[0] ? d->msg : sc_strerror(e);
    /* the first failure's class: a store that is down, whatever the caller
     * made of it */
    if (d && d->err == SC_EUNAVAILABLE)
        e = SC_EUNAVAILABLE;
    switch (e) {
    case SC_ENOTFOUND: resp_error(r, 404, "not_found", "%s", msg); break;
    case SC_EPARSE:
    case SC_EINVAL: resp_error_at(r, 400, "bad_request", d ? d->pos_cp : 0, "%s", msg); break;
    case SC_ELIMIT: resp_error_at(r, 400, "limit", d ? d->pos_cp : 0, "%s", msg); break;
    case SC_EUNSUPPORTED: resp_error(r, 415, "unsupported", "%s", msg); break;
    case SC_EDENIED: resp_error(r, 403, "forbidden", "%s", msg); break;
    case SC_EDUPLICATE: resp_error(r, 409, "conflict", "%s", msg); break;
    case SC_EUNAVAILABLE:
        resp_error(r, 503, "unavailable", "%s", msg);
        resp_header(r, "Retry-After", "1");
        break;
    default: resp_error(r, 500, "internal", "%s", msg); break;
    }
}

void resp_denied(struct sc_req *req, struct sc_resp *r, const char *what)
{
    const struct sc_principal *p = req_who(req);
    if (req->who_unknown)
        /* a login that cannot be checked is not a missing one */
        resp_sc_error(r, SC_EUNAVAILABLE,
                      &(struct sc_diag){ .err = SC_EUNAVAILABLE,
                                         .msg = "the database is not available now: who is "
                                                "asking cannot be checked" });
    else if (p->user_id == 0 && p->tier == SC_TIER_ANON)
        resp_error(r, 401, "unauthorized", "%s needs a login", what);
    else
        resp_error(r, 403, "forbidden", "this account may not %s", what);
}

int resp_header(struct sc_resp *r, const char *name, const char *value)
{
    if (r->nhdr >= RESP_MAX_HEADERS)
        return -1;
    char *v = sc_strdup(value);
    if (!v)
        return -1;
    r->hdr[r->nhdr].name = name;
    r->hdr[r->nhdr].value = v;
    r->nhdr++;
    return 0;
}

static void resp_release(struct sc_resp *r)
{
    sc_buf_release(&r->body);
    for (size_t i = 0; i < r->nhdr; i++)
        free(r->hdr[i].value);
    r->nhdr = 0;
}

static int add_common_headers(struct MHD_Response *mr)
{
    return MHD_add_response_header(mr, "Content-Security-Policy", csp) == MHD_YES &&
           MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff") == MHD_YES &&
           MHD_add_response_header(mr, "Referrer-Policy", "no-referrer") == MHD_YES &&
           MHD_add_response_header(mr, "X-Frame-Options", "DENY") == MHD_YES &&
           MHD_add_response_header(mr, "Cross-Origin-Opener-Policy", "same-origin") == MHD_YES;
}

void *server_fixed_response(const void *data, size_t len, const char *type, const char *cache,
                            const char *etag)
{
    struct MHD_Response *mr =
        MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_PERSISTENT);
    if (!mr)
        return NULL;
    if (!add_common_headers(mr) || MHD_add_response_header(mr, "Content-Type", type) != MHD_YES ||
        MHD_add_response_header(mr, "Cache-Control", cache) != MHD_YES ||
        (etag && MHD_add_response_header(mr, "ETag", etag) != MHD_YES)) {
        MHD_destroy_response(mr);
        return NULL;
    }
    return mr;
}

void server_fixed_free(void *resp)
{
    if (resp)
        MHD_destroy_response(resp);
}

static enum MHD_Result send_resp(struct sc_req *req, struct sc_resp *r)
{
    if (r->shared) {
        req->status = r->status;
        req->bytes = r->fixed_len;
        req->responded = 1;
        return MHD_queue_response(req->conn, (unsigned)r->status, r->shared);
    }
    if (!r->fixed && sc_buf_err(&r->body)) {
        sc_buf_release(&r->body);
        resp_error(r, 500, "internal", "out of memory");
    }
    struct MHD_Response *mr;
    size_t len;
    if (r->fixed) {
        len = r->fixed_len;
        mr = MHD_create_response_from_buffer(len, (void *)r->fixed, MHD_RESPMEM_PERSISTENT);
    } else {
        char *data = sc_buf_take(&r->body, &len);
        if (!data)
            return MHD_NO;
        mr = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
        if (!mr)
            free(data);
    }
    if (!mr)
        return MHD_NO;
    int ok =
        add_common_headers(mr) &&
        MHD_add_response_header(mr, "Content-Type",
                                r->type ? r->type : "text/plain; charset=utf-8") == MHD_YES &&
        MHD_add_response_header(mr, "Cache-Control", r->cache ? r->cache : "no-store") == MHD_YES;
    for (size_t i = 0; ok && i < r->nhdr; i++)
        ok = MHD_add_response_header(mr, r->hdr[i].name, r->hdr[i].value) == MHD_YES;
    if (ok && req->allow && r->status == 405) {
        char allow[64] = "";
        size_t n = 0;
        static const struct {
            int m;
            const char *name;
        } names[] = {
            { M_GET, "GET" }, { M_HEAD, "HEAD" }, { M_POST, "POST" }, { M_DELETE, "DELETE" }
        };
        for (size_t i = 0; i < 4; i++)
            if (req->allow & names[i].m)
                n += (size_t)snprintf(allow + n, sizeof allow - n, "%s%s", n ? ", " : "",
                                      names[i].name);
        ok = MHD_add_response_header(mr, "Allow", allow) == MHD_YES;
    }
    enum MHD_Result res = MHD_NO;
    if (ok) {
        res = MHD_queue_response(req->conn, (unsigned)r->status, mr);
        req->status = r->status;
        req->bytes = len;
    }
    MHD_destroy_response(mr);
    req->responded = 1;
    return res;
}

/* ---- cached statistics ---- */

enum sc_err server_stats(struct sc_server *srv, struct sc_stats *out, struct sc_diag *diag)
{
    time_t now = time(NULL);
    pthread_mutex_lock(&srv->stats_lock);
    int have = srv->stats_at != 0;
    if (have && (now - srv->stats_at < SC_STATS_TTL || srv->stats_busy)) {
        *out = srv->stats;
        pthread_mutex_unlock(&srv->stats_lock);
        return SC_OK;
    }
    srv->stats_busy = 1;
    pthread_mutex_unlock(&srv->stats_lock);
    struct sc_stats st;
    enum sc_err e = sc_stats_get(srv->lib, &st, diag);
    pthread_mutex_lock(&srv->stats_lock);
    srv->stats_busy = 0;
    if (e == SC_OK) {
        srv->stats = st;
        srv->stats_at = now;
        *out = st;
    } else if (have) {
        *out = srv->stats; /* keep serving the last good count */
        e = SC_OK;
    }
    pthread_mutex_unlock(&srv->stats_lock);
    return e;
}

void server_stats_invalidate(struct sc_server *srv)
{
    pthread_mutex_lock(&srv->stats_lock);
    srv->stats_at = 1; /* stale, but still served while recounting */
    pthread_mutex_unlock(&srv->stats_lock);
}

/* ---- dispatch ---- */

static enum method parse_method(const char *m)
{
    if (!strcmp(m, "GET"))
        return M_GET;
    if (!strcmp(m, "HEAD"))
        return M_HEAD;
    if (!strcmp(m, "POST"))
        return M_POST;
    if (!strcmp(m, "DELETE"))
        return M_DELETE;
    if (!strcmp(m, "PUT"))
        return M_PUT;
    return M_OTHER;
}

struct param_walk {
    struct sc_req *req;
    enum sc_err err;
    struct sc_diag diag;
};

static enum MHD_Result param_iter(void *cls, enum MHD_ValueKind kind, const char *key, size_t klen,
                                  const char *value, size_t vlen)
{
    (void)kind;
    struct param_walk *w = cls;
    w->err =
        http_params_add(&w->req->params, key, klen, value ? value : "", value ? vlen : 0, &w->diag);
    return w->err == SC_OK ? MHD_YES : MHD_NO;
}

/* Content type a POST route needs, or NULL. */
static const char *route_media_type(enum route r)
{
    switch (r) {
    case R_IMPORT: return "multipart/form-data";
    case R_COMPILE:
    case R_PROOF:
    case R_MASK:
    case R_MASK_RESTORE:
    case R_FILL:
    case R_SESSION:
    case R_WATCHES:
    case R_FAVORITES:
    case R_CART: return "application/json";
    default: return NULL;
    }
}

/* Check what can be checked before the body arrives; fills resp on refusal. */
static int precheck(struct sc_req *req, handler_fn *h, struct sc_resp *r)
{
    if (req->route == R_BAD_PATH)
        return 0; /* resp already set */
    if (!h) {
        if (req->route == R_NOT_FOUND)
            resp_error(r, 404, "not_found", "no such page or endpoint");
        else
            resp_error(r, 405, "method_not_allowed", "%s is not allowed here", req->method_name);
        return 0;
    }
    if (req->method == M_POST) {
        const char *want = route_media_type(req->route);
        const char *ct = req_header(req, "Content-Type");
        if (want && !http_media_type_is(ct, want)) {
            resp_error(r, 415, "unsupported_media_type", "send the body as %s", want);
            return 0;
        }
        const char *cl = req_header(req, "Content-Length");
        int64_t n;
        if (cl && http_parse_int(cl, 0, INT64_MAX, &n) == 0 && (uint64_t)n > req->body_max) {
            resp_error(r, 413, "payload_too_large", "the body is %lld bytes; at most %zu",
                       (long long)n, req->body_max);
            return 0;
        }
    }
    return 1;
}

static enum MHD_Result respond_now(struct sc_req *req, struct sc_resp *r)
{
    enum MHD_Result res = send_resp(req, r);
    resp_release(r);
    return res;
}

/* How long a read that names a change (min_seq) waits for this node to
 * apply it before it answers 503: a replica's lag and a catch-up, with room. */
#define SEQ_WAIT_MS 2000
/* How often a node looks at the change log where the store cannot notify
 * it (SQLite; a PostgreSQL standby). */
#define FOLLOW_POLL_MS 250

/* Read your writes: a read that carries the number a write answered with
 * (min_seq=N or X-Sucai-Min-Seq: N) is answered from an index that has
 * applied it, or refused with 503, never from an older state. Non-zero
 * when r holds the refusal. */
static int wait_for_seq(struct sc_req *req, struct sc_resp *r)
{
    const char *v = req_param(req, "min_seq");
    if (!v)
        v = req_header(req, "X-Sucai-Min-Seq");
    if (!v)
        return 0;
    char *end = NULL;
    errno = 0;
    long long seq = strtoll(v, &end, 10);
    if (!*v || *end || errno || seq < 0) {
        resp_error(r, 400, "bad_request",
                   "min_seq must be a change number (a whole number from 0)");
        return 1;
    }
    struct sc_diag d = { 0 };
    if (sc_index_wait(req->srv->lib, seq, SEQ_WAIT_MS, &d) == SC_OK)
        return 0;
    resp_sc_error(r, d.err, &d);
    return 1;
}

static void run_handler(struct sc_req *req, handler_fn *h, struct sc_resp *r)
{
    /* state changes made with a session cookie need the session's CSRF
     * token (logging in itself makes a new session, so it needs none) */
    if ((req->method == M_POST || req->method == M_DELETE) &&
        !(req->route == R_SESSION && req->method == M_POST)) {
        req_who(req);
        if (req->via_cookie) {
            const char *tok = req_header(req, "X-CSRF-Token");
            if (!tok || !sc_session_check_csrf(req->srv->lib, req->session, tok)) {
                resp_error(r, 403, "csrf", "missing or wrong X-CSRF-Token header");
                return;
            }
        }
    }
    if (req->method == M_GET && req->route != R_HEALTHZ && req->route != R_METRICS &&
        req->route != R_STATIC) {
        if (wait_for_seq(req, r))
            return;
        /* what the answer reflects at least (the index moves only forward) */
        char num[24];
        snprintf(num, sizeof num, "%lld", (long long)sc_index_seq(req->srv->lib));
        h(req, r);
        resp_header(r, "X-Sucai-Seq", num);
        return;
    }
    h(req, r);
}

static struct sc_req *req_alloc(struct sc_server *srv, struct MHD_Connection *c)
{
    struct sc_req *req = sc_calloc(1, sizeof *req);
    if (!req)
        return NULL;
    clock_gettime(CLOCK_MONOTONIC, &req->t0);
    req->srv = srv;
    req->conn = c;
    req->uri_len = SIZE_MAX;
    atomic_fetch_add_explicit(&srv->metrics.in_flight, 1, memory_order_relaxed);
    return req;
}

/* MHD hands the request line out as C strings, so a NUL byte the client
 * put in the URI would silently cut it short. This callback sees the URI
 * before MHD splits off the query, up to its first NUL; on_access compares
 * that length with the span the request line occupies. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    struct sc_req *req = req_alloc(cls, c);
    if (req)
        req->uri_len = strlen(uri);
    return req;
}

/* Did the request's URI hold a NUL byte? MHD keeps the request line in
 * one buffer: the URI starts at url and ends just before the NUL that
 * replaced the space before the version. */
static int uri_has_nul(const struct sc_req *req, const char *url, const char *version)
{
    if (req->uri_len == SIZE_MAX || !url || !version || version <= url ||
        version - url > 1 << 20)
        return 0;
    return req->uri_len < (size_t)(version - url - 1);
}

static void req_start(struct sc_req *req, const char *url, const char *method)
{
    req->started = 1;
    req->method = parse_method(method);
    req->method_name = req->method == M_OTHER ? "OTHER" : method;
    sc_buf_init(&req->body);
    sc_buf_init(&req->pending.body);
    size_t ul = strlen(url);
    size_t keep = ul < SC_LOG_PATH_MAX ? ul : SC_LOG_PATH_MAX;
    for (size_t i = 0; i < keep; i++) /* the log shows the path as sent, printable only */
        req->log_path[i] = (url[i] > 0x20 && url[i] < 0x7f) ? url[i] : '?';
    req->log_path[keep] = '\0';
}

/*
 * MHD calls this at least twice per request: first when the headers are
 * in (we set up the request and check what can be checked), then with each
 * piece of the body, then once more with *upload_size == 0 (we answer).
 * Answering on the first call would make MHD close the connection (it
 * cannot know whether a body follows), so only refusals of a body that is
 * still to come (413, 415) are sent then, and those should close it.
 */
static enum MHD_Result on_access(void *cls, struct MHD_Connection *c, const char *url,
                                 const char *method, const char *version, const char *upload,
                                 size_t *upload_size, void **con_cls)
{
    struct sc_server *srv = cls;
    struct sc_req *req = *con_cls;
    if (!req) {
        req = req_alloc(srv, c);
        if (!req)
            return MHD_NO;
        *con_cls = req;
    }
    if (!req->started) {
        req_start(req, url, method);
        struct sc_resp *r = &req->pending;
        /* the path, then the query */
        struct sc_buf path = SC_BUF_INIT;
        struct sc_diag d = { 0 };
        enum sc_err e = http_path_decode(url, strlen(url), &path, &d);
        req->path = sc_buf_take(&path, NULL);
        if (e == SC_ENOMEM || !req->path)
            return MHD_NO;
        if (e == SC_OK && uri_has_nul(req, url, version))
            e = sc_diag_set(&d, SC_EINVAL, "the path holds a NUL byte");
        handler_fn *h = NULL;
        if (e != SC_OK) {
            req->route = R_BAD_PATH;
            resp_error(r, 400, "bad_path", "%s", d.msg);
            req->has_pending = 1;
        } else if (!strcmp(version, MHD_HTTP_VERSION_1_1) && !req_header(req, "Host")) {
            /* RFC 9112 3.2: a server MUST answer 400 to an HTTP/1.1
             * request without Host */
            resp_error(r, 400, "bad_request", "an HTTP/1.1 request needs a Host header");
            req->has_pending = 1;
        } else {
            h = route_find(req);
            req->body_max = route_body_max(req);
            struct param_walk w = { req, SC_OK, { 0 } };
            MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, param_iter, &w);
            if (w.err == SC_ENOMEM)
                return MHD_NO;
            if (w.err != SC_OK) {
                resp_error(r, 400, w.err == SC_ELIMIT ? "limit" : "bad_encoding", "%s", w.diag.msg);
                req->has_pending = 1;
            } else if (!precheck(req, h, r)) {
                req->has_pending = 1;
            }
        }
        req->handler = h;
        /* a body we will not read: refuse it now (and close) rather than swallow it */
        const char *cl = req_header(req, "Content-Length");
        const char *te = req_header(req, "Transfer-Encoding");
        int has_body = (cl && strcmp(cl, "0") != 0) || te;
        if (has_body && (req->has_pending || req->method != M_POST)) {
            if (!req->has_pending)
                resp_error(r, 413, "payload_too_large", "%s takes no body here", req->method_name);
            return respond_now(req, r);
        }
        req->body.max = req->body_max;
        return MHD_YES;
    }
    if (req->responded) {
        *upload_size = 0;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!req->body_over) {
            sc_buf_add(&req->body, upload, *upload_size);
            if (sc_buf_err(&req->body)) {
                /* too big (a chunked body, whose size was not announced):
                 * read and drop the rest, then answer 413; past a bound,
                 * just close the connection */
                req->body_over = 1;
                sc_buf_release(&req->body);
                resp_error(&req->pending, 413, "payload_too_large",
                           "the body is larger than %zu bytes", req->body_max);
                req->has_pending = 1;
            }
        } else {
            req->dropped += *upload_size;
            if (req->dropped > SC_MAX_DROPPED_BODY)
                return MHD_NO;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    /* the whole request is here */
    if (!req->has_pending)
        run_handler(req, req->handler, &req->pending);
    return respond_now(req, &req->pending);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)c;
    (void)toe;
    struct sc_server *srv = cls;
    struct sc_req *req = *con_cls;
    if (!req)
        return;
    *con_cls = NULL;
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    uint64_t us = (uint64_t)(t1.tv_sec - req->t0.tv_sec) * 1000000u +
                  (uint64_t)((t1.tv_nsec - req->t0.tv_nsec) / 1000);
    atomic_fetch_sub_explicit(&srv->metrics.in_flight, 1, memory_order_relaxed);
    if (req->status)
        metrics_record(&srv->metrics, req->route, req->status, us, req->bytes);
    if (!srv->opts.quiet) {
        time_t now = time(NULL);
        struct tm tm;
        char ts[32];
        gmtime_r(&now, &tm);
        strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
        /* one fprintf = one write on unbuffered stderr: lines never interleave */
        /* a request refused by libmicrohttpd itself never started */
        fprintf(stderr, "%s %s %s %s %d %llu %.2fms\n", ts, req_addr(req),
                req->method_name ? req->method_name : "-", req->started ? req->log_path : "-",
                req->status, (unsigned long long)req->bytes, (double)us / 1000.0);
    }
    resp_release(&req->pending);
    http_params_release(&req->params);
    sc_buf_release(&req->body);
    free(req->path);
    free(req);
}

static size_t unescape_none(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    struct sc_buf b = SC_BUF_INIT;
    sc_buf_adds(&b, "sucai serve: ");
    sc_buf_vaddf(&b, fmt, ap);
    if (!sc_buf_err(&b)) {
        if (b.len && b.data[b.len - 1] != '\n')
            sc_buf_addc(&b, '\n');
        fputs(b.data, stderr);
    }
    sc_buf_release(&b);
}

/* ---- start and stop ---- */

/* "PORT", "HOST:PORT", "[V6]:PORT"; HOST is an address or "localhost". */
static int parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *sl, int *v6)
{
    memset(ss, 0, sizeof *ss);
    char host[64];
    const char *port;
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof host)
            return -1;
        memcpy(host, s + 1, (size_t)(close - s - 1));
        host[close - s - 1] = '\0';
        port = close + 2;
        *v6 = 1;
    } else {
        const char *colon = strrchr(s, ':');
        if (!colon) {
            memcpy(host, "127.0.0.1", 10);
            port = s;
        } else {
            if ((size_t)(colon - s) >= sizeof host)
                return -1;
            memcpy(host, s, (size_t)(colon - s));
            host[colon - s] = '\0';
            port = colon + 1;
        }
        if (!strcmp(host, "localhost") || !host[0])
            memcpy(host, "127.0.0.1", 10);
        *v6 = 0;
    }
    int64_t p;
    if (http_parse_int(port, 0, 65535, &p) != 0)
        return -1;
    if (*v6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)p);
        if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
            return -1;
        *sl = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)ss;
        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)p);
        if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
            return -1;
        *sl = sizeof *a;
    }
    return 0;
}

int sc_serve(const struct sc_serve_opts *opts)
{
    struct sc_server *srv = sc_calloc(1, sizeof *srv);
    if (!srv) {
        fprintf(stderr, "sucai serve: out of memory\n");
        return 2;
    }
    sc_buf_init(&srv->healthz_body);
    srv->opts = *opts;
    if (!srv->opts.listen)
        srv->opts.listen = SC_SERVE_DEFAULT_LISTEN;
    if (!srv->opts.web_dir)
        srv->opts.web_dir = "web";
    if (!srv->opts.max_upload)
        srv->opts.max_upload = SC_SERVE_MAX_UPLOAD;
    if (!srv->opts.max_upload_files)
        srv->opts.max_upload_files = SC_SERVE_MAX_UPLOAD_FILES;
    unsigned threads = srv->opts.threads;
    if (threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned)n : 1;
    }
    if (threads > SC_SERVE_MAX_THREADS)
        threads = SC_SERVE_MAX_THREADS;
    srv->started = time(NULL);
    int rc = 2;
    struct MHD_Daemon *d = NULL;
    pthread_mutex_init(&srv->import_lock, NULL);
    pthread_mutex_init(&srv->stats_lock, NULL);

    struct sockaddr_storage ss;
    socklen_t sl;
    int v6;
    if (parse_listen(srv->opts.listen, &ss, &sl, &v6) != 0) {
        fprintf(stderr, "sucai serve: bad --listen '%s' (use HOST:PORT or [V6]:PORT)\n",
                srv->opts.listen);
        goto out;
    }
    struct sc_diag diag = { 0 };
    enum sc_err e = sc_library_open(srv->opts.library_dir, 0, &srv->lib, &diag);
    if (e != SC_OK) {
        fprintf(stderr, "sucai serve: %s\n", diag.msg[0] ? diag.msg : sc_strerror(e));
        goto out;
    }
    if (srv->opts.read_store &&
        sc_library_read_from(srv->lib, srv->opts.read_store, &diag) != SC_OK) {
        fprintf(stderr, "sucai serve: %s\n", diag.msg);
        goto out;
    }
    /* other processes and machines write to the library too: follow its
     * change log, so that what they commit becomes searchable here */
    if (sc_index_follow(srv->lib, FOLLOW_POLL_MS, &diag) != SC_OK)
        fprintf(stderr,
                "sucai serve: %s (searches see other writers' documents only after a restart)\n",
                diag.msg);
    /* a constant answer, built once and served from srv->healthz_body */
    struct sc_jw hw;
    sc_jw_init(&hw, &srv->healthz_body);
    sc_jw_obj(&hw, SC_JW_INLINE);
    sc_jw_kstrz(&hw, "status", "ok");
    sc_jw_obj_end(&hw);
    sc_buf_addc(&srv->healthz_body, '\n');
    if (sc_jw_finish(&hw) == SC_OK)
        srv->healthz = server_fixed_response(srv->healthz_body.data, srv->healthz_body.len,
                                             "application/json; charset=utf-8", "no-store", NULL);
    if (!srv->healthz || assets_init(srv) != 0) {
        fprintf(stderr, "sucai serve: out of memory\n");
        goto out;
    }
    struct sc_stats st0;
    server_stats(srv, &st0, NULL); /* count once before the first visitor asks */

    /* Signals go to the thread that waits for them (below), never to a
     * worker: block them before MHD starts its threads. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO |
                     MHD_USE_ERROR_LOG | MHD_USE_ITC | (v6 ? MHD_USE_IPv6 : 0);
    /* clang-format off */
    d = MHD_start_daemon(flags, 0, NULL, NULL, on_access, srv,
                         MHD_OPTION_EXTERNAL_LOGGER, mhd_log, srv,
                         MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                         MHD_OPTION_THREAD_POOL_SIZE, threads > 1 ? threads : 0u,
                         MHD_OPTION_CONNECTION_TIMEOUT, 60u,
                         MHD_OPTION_CONNECTION_LIMIT, 2000u,
                         MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
                         MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
                         MHD_OPTION_UNESCAPE_CALLBACK, unescape_none, NULL,
                         MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
                         MHD_OPTION_END);
    /* clang-format on */
    if (!d) {
        fprintf(stderr, "sucai serve: cannot listen on %s: %s\n", srv->opts.listen,
                strerror(errno ? errno : EADDRINUSE));
        goto out;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char host[INET6_ADDRSTRLEN] = "";
    if (v6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof host);
    else
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof host);
    printf(v6 ? "listening on http://[%s]:%u\n" : "listening on http://%s:%u\n", host,
           di ? (unsigned)di->port : 0u);
    fflush(stdout);
    if (!srv->opts.quiet)
        fprintf(stderr, "sucai serve: library %s, %u thread%s%s%s\n", sc_library_name(srv->lib),
                threads, threads == 1 ? "" : "s", srv->opts.dev ? ", dev (web/ from disk)" : "",
                srv->opts.all_entitled ? ", all entitled" : "");

    int sig = 0;
    while (sigwait(&set, &sig) != 0)
        ;
    if (!srv->opts.quiet)
        fprintf(stderr, "sucai serve: %s, shutting down\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    /* stop accepting, let the requests in flight finish (10 s at most), close */
    MHD_socket ls = MHD_quiesce_daemon(d);
    if (ls != MHD_INVALID_SOCKET)
        close(ls);
    for (int i = 0; i < 1000 && atomic_load(&srv->metrics.in_flight) > 0; i++) {
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(d);
    d = NULL;
    rc = 0;
out:
    if (d)
        MHD_stop_daemon(d);
    sc_library_close(srv->import_lib);
    sc_library_close(srv->lib);
    assets_release(srv);
    server_fixed_free(srv->healthz);
    sc_buf_release(&srv->healthz_body);
    pthread_mutex_destroy(&srv->import_lock);
    pthread_mutex_destroy(&srv->stats_lock);
    free(srv);
    return rc;
}
