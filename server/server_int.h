/*
 * Internal interface of the HTTP server: the server, one request, one
 * response, the route table and the handlers (one file per resource, as
 * h2o's lib/handler/). server.c owns the libmicrohttpd glue; handlers see
 * only struct sc_req / struct sc_resp and libsucai's public API.
 */
#ifndef SUCAI_SERVER_INT_H
#define SUCAI_SERVER_INT_H

#include "sucai/sucai.h"

#include "http.h"
#include "serve.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#define SC_MAX_JSON_BODY    (64u * 1024)       /* POST bodies other than uploads */
#define SC_MAX_OFFSET       10000              /* deepest page of search results or lists */
#define SC_MAX_DROPPED_BODY (8u * 1024 * 1024) /* drained past a limit before closing */
#define SC_LOG_PATH_MAX     200                /* bytes of the path kept for the access log */
#define SC_SESSION_COOKIE   "sucai_session"
#define SC_MAX_CHECK_BODY   (16u * 1024 * 1024) /* a draft: JSON text or an uploaded file */

enum route {
    R_NOT_FOUND = 0,
    R_HEALTHZ,
    R_METRICS,
    R_STATIC,
    R_SEARCH,
    R_DOCS,
    R_DOC,
    R_SECTION,
    R_STATS,
    R_IMPORT,
    R_COMPILE,
    R_SESSION,
    R_ME,
    R_PROOF,
    R_MASK,
    R_MASK_RESTORE,
    R_FILL,
    /* the member's daily library (h_daily.c, h_shelf.c, h_find.c) */
    R_UPDATES,
    R_FEED_UPDATES,
    R_FEED_WATCH,
    R_WATCHES,
    R_WATCH,
    R_WATCH_SEEN,
    R_WATCH_FEED,
    R_FAVORITES,
    R_FAVORITE,
    R_HISTORY,
    R_CART,
    R_NEAR,
    R_DOC_NEAR,
    R_SUGGEST,
    R_OUTLINE_STATS,
    R_CHECK,
    R_CHECK_COMPARE,
    R_DRAFT,
    R_BAD_PATH, /* undecodable or traversing path */
    R_COUNT
};

enum method {
    M_GET = 1,
    M_HEAD = 2,
    M_POST = 4,
    M_DELETE = 8,
    M_PUT = 16,
    M_OTHER = 32
};

/* ---- metrics (metrics.c) ---- */

#define M_NBUCKETS 12
#define M_NSTATUS  20

struct metrics {
    _Atomic uint64_t count[R_COUNT][M_NSTATUS];
    _Atomic uint64_t hist[R_COUNT][M_NBUCKETS + 1]; /* last = +Inf */
    _Atomic uint64_t sum_us[R_COUNT];
    _Atomic uint64_t bytes_out;
    _Atomic int64_t in_flight;
};

struct sc_server;
struct sc_req;
struct sc_resp;

void metrics_record(struct metrics *m, enum route r, int status, uint64_t us, uint64_t bytes);
void metrics_render(struct sc_server *srv, struct sc_buf *b);
const char *route_name(enum route r);

/* ---- the server ---- */

struct asset_meta {
    char etag[20]; /* "\"" + 16 hex + "\"" */
    void *resp;    /* the prebuilt 200 response (struct MHD_Response) */
};

struct sc_server {
    struct sc_serve_opts opts;
    struct sc_library *lib;
    struct metrics metrics;
    struct asset_meta *assets;   /* parallel to sc_assets[] */
    void *healthz;               /* prebuilt response (struct MHD_Response) */
    struct sc_buf healthz_body;  /* its bytes, kept while it is served */
    pthread_mutex_t import_lock; /* one upload imports at a time */
    /* Uploads import through a library handle of their own, opened on the
     * first upload (guarded by import_lock): an import holds a transaction
     * open on its connection, and on the shared one other threads' logins,
     * sessions and audit rows would land inside it and be rolled back
     * with it. */
    struct sc_library *import_lib;
    /* library statistics, cached: counting them scans the store */
    pthread_mutex_t stats_lock;
    struct sc_stats stats;
    time_t stats_at; /* 0 = never / invalidated */
    int stats_busy;  /* a thread is recounting */
    time_t started;
};

#define RESP_MAX_HEADERS 8

struct sc_resp {
    int status;
    const char *type;   /* Content-Type */
    struct sc_buf body; /* owned */
    const void *fixed;  /* borrowed body (assets), used when non-NULL */
    size_t fixed_len;
    const char *cache; /* Cache-Control; NULL = "no-store" */
    void *shared;      /* a prebuilt MHD response to send as is */
    struct {
        const char *name;
        char *value; /* owned */
    } hdr[RESP_MAX_HEADERS];
    size_t nhdr;
};

typedef void handler_fn(struct sc_req *req, struct sc_resp *resp);

/* ---- a request ---- */

struct sc_req {
    struct sc_server *srv;
    void *conn; /* struct MHD_Connection */
    enum method method;
    const char *method_name;
    enum route route;
    int allow;     /* methods the route accepts (for 405) */
    int64_t id, n; /* path parameters: /docs/{id}/sections/{n} */
    char *path;    /* decoded path (owned) */
    char log_path[SC_LOG_PATH_MAX + 1];
    struct http_params params;
    struct sc_buf body;
    size_t body_max;
    int body_over;    /* the body passed body_max */
    uint64_t dropped; /* bytes read and dropped after that */
    int responded;
    struct sc_resp pending; /* the answer being built */
    int has_pending;        /* pending holds a refusal made before the body */
    handler_fn *handler;
    struct timespec t0;
    int status;
    uint64_t bytes;
    char addr[64]; /* client address, "" until req_addr() */
    /* who is asking (resolved on first use) */
    int who_done;
    struct sc_principal who;
    char session[SC_SECRET_HEX + 1]; /* the session id from the cookie, "" if none */
    int via_cookie;                  /* principal came from a session cookie (needs CSRF) */
    int who_unknown;                 /* credentials given, but the store could not check them */
    int started;    /* on_access has set the request up */
    size_t uri_len; /* the URI up to its first NUL (SIZE_MAX: unknown) */
};

/* Request helpers (server.c). */
const char *req_header(struct sc_req *req, const char *name);
const char *req_param(struct sc_req *req, const char *name);
/* The client's address as text ("-" if unknown). */
const char *req_addr(struct sc_req *req);
/* The caller's principal: a session cookie, a bearer token or anonymous
 * (plus all_entitled for --all-entitled). */
const struct sc_principal *req_who(struct sc_req *req);
int req_may(struct sc_req *req, enum sc_action a);

/* Response helpers (server.c). */
void resp_json(struct sc_resp *r); /* 200, application/json */
void resp_error(struct sc_resp *r, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The same with "position": pos (1-based code point in the query), 0 = none. */
void resp_error_at(struct sc_resp *r, int status, const char *code, size_t pos, const char *fmt,
                   ...) __attribute__((format(printf, 5, 6)));
/* An error for a libsucai failure (SC_ENOTFOUND -> 404 ...), with the
 * "position" of a query's error (sc_diag.pos_cp). */
void resp_sc_error(struct sc_resp *r, enum sc_err e, const struct sc_diag *d);
/* 401 for anonymous callers, 403 for logged-in ones. */
void resp_denied(struct sc_req *req, struct sc_resp *r, const char *what);
int resp_header(struct sc_resp *r, const char *name, const char *value);

/* ---- routing (router.c) ---- */

/* Find the route of a decoded path; sets req->route, req->allow, req->id,
 * req->n and returns the handler for req->method, or NULL (405 / 404). */
handler_fn *route_find(struct sc_req *req);
/* Largest request body a route accepts, for the method. */
size_t route_body_max(const struct sc_req *req);

/* ---- handlers ---- */

handler_fn h_healthz, h_metrics, h_static, h_search, h_docs, h_doc, h_section, h_stats, h_import,
    h_compile, h_session_post, h_session_delete, h_me, h_proof, h_mask, h_mask_restore, h_fill,
    h_check, h_check_compare, h_draft;
handler_fn h_updates, h_feed_updates, h_feed_watch, h_watches, h_watches_post, h_watch,
    h_watch_delete, h_watch_seen, h_watch_feed, h_watch_feed_delete, h_favorites, h_favorites_post,
    h_favorite_delete, h_history, h_history_delete, h_cart, h_cart_post, h_cart_delete, h_near,
    h_doc_near, h_suggest, h_outline_stats;

/* The writer's tools (h_proof.c): the JSON object body, its "text" (at most
 * max bytes) and "kinds" (names or one comma-separated string); each fills
 * r with the error and returns -1 / NULL on a bad request. */
#define SC_MAX_WRITER_BODY (12u * 1024 * 1024)
int h_writer_body(struct sc_req *req, struct sc_json *j, struct sc_resp *r);
const char *h_writer_text(const struct sc_json *j, const struct sc_json_node *root, size_t max,
                          size_t *len, struct sc_resp *r);
int h_writer_kinds(const struct sc_json *j, const struct sc_json_node *k,
                   enum sc_err (*parse)(const char *, unsigned *, struct sc_diag *),
                   unsigned *mask, struct sc_resp *r);

/* The library's statistics, at most SC_STATS_TTL seconds old (a stale copy
 * is served while one thread recounts). Returns SC_OK or the error of the
 * first count. server_stats_invalidate() after the library changed. */
#define SC_STATS_TTL 30
enum sc_err server_stats(struct sc_server *srv, struct sc_stats *out, struct sc_diag *diag);
void server_stats_invalidate(struct sc_server *srv);

/* Static assets (h_static.c): hashes and prebuilt responses. */
int assets_init(struct sc_server *srv);
void assets_release(struct sc_server *srv);
/* A response with a fixed body, all headers set, reusable across requests
 * (server.c); release with server_fixed_free. NULL on failure. */
void *server_fixed_response(const void *data, size_t len, const char *type, const char *cache,
                            const char *etag);
void server_fixed_free(void *resp);

#endif
