/*
 * The route table: a decoded path and a method give a handler. Paths are
 * matched segment by segment; {id} and {n} are decimal integers. A known
 * path with a method it does not take is a 405 (with Allow), anything
 * else a 404.
 */
#include "server_int.h"

#include <string.h>

struct route_def {
    const char *pattern; /* "/api/v1/docs/#/sections/#": '#' is an integer segment */
    enum route route;
    handler_fn *get, *post, *del;
    size_t post_max;
};

static const struct route_def routes[] = {
    { "/healthz", R_HEALTHZ, h_healthz, NULL, NULL, 0 },
    { "/metrics", R_METRICS, h_metrics, NULL, NULL, 0 },
    { "/api/v1/search", R_SEARCH, h_search, NULL, NULL, 0 },
    { "/api/v1/docs", R_DOCS, h_docs, NULL, NULL, 0 },
    { "/api/v1/docs/#", R_DOC, h_doc, NULL, NULL, 0 },
    { "/api/v1/docs/#/sections/#", R_SECTION, h_section, NULL, NULL, 0 },
    { "/api/v1/stats", R_STATS, h_stats, NULL, NULL, 0 },
    { "/api/v1/import", R_IMPORT, NULL, h_import, NULL, 1 /* opts.max_upload */ },
    { "/api/v1/compile", R_COMPILE, NULL, h_compile, NULL, SC_MAX_JSON_BODY },
    { "/api/v1/session", R_SESSION, NULL, h_session_post, h_session_delete, 4096 },
    { "/api/v1/me", R_ME, h_me, NULL, NULL, 0 },
    { "/api/v1/proof", R_PROOF, NULL, h_proof, NULL, SC_MAX_WRITER_BODY },
    { "/api/v1/mask", R_MASK, NULL, h_mask, NULL, SC_MAX_WRITER_BODY },
    { "/api/v1/mask/restore", R_MASK_RESTORE, NULL, h_mask_restore, NULL, SC_MAX_WRITER_BODY },
    { "/api/v1/fill", R_FILL, NULL, h_fill, NULL, SC_MAX_WRITER_BODY },
    { "/api/v1/updates", R_UPDATES, h_updates, NULL, NULL, 0 },
    { "/api/v1/feeds/updates", R_FEED_UPDATES, h_feed_updates, NULL, NULL, 0 },
    { "/api/v1/feeds/watch", R_FEED_WATCH, h_feed_watch, NULL, NULL, 0 },
    { "/api/v1/watches", R_WATCHES, h_watches, h_watches_post, NULL, 8192 },
    { "/api/v1/watches/#", R_WATCH, h_watch, NULL, h_watch_delete, 0 },
    { "/api/v1/watches/#/seen", R_WATCH_SEEN, NULL, h_watch_seen, NULL, 0 },
    { "/api/v1/watches/#/feed", R_WATCH_FEED, NULL, h_watch_feed, h_watch_feed_delete, 0 },
    { "/api/v1/favorites", R_FAVORITES, h_favorites, h_favorites_post, NULL, 1024 },
    { "/api/v1/favorites/#", R_FAVORITE, NULL, NULL, h_favorite_delete, 0 },
    { "/api/v1/history", R_HISTORY, h_history, NULL, h_history_delete, 0 },
    { "/api/v1/cart", R_CART, h_cart, h_cart_post, h_cart_delete, SC_MAX_JSON_BODY },
    { "/api/v1/near", R_NEAR, h_near, NULL, NULL, 0 },
    { "/api/v1/docs/#/near", R_DOC_NEAR, h_doc_near, NULL, NULL, 0 },
    { "/api/v1/suggest", R_SUGGEST, h_suggest, NULL, NULL, 0 },
    { "/api/v1/outline-stats", R_OUTLINE_STATS, h_outline_stats, NULL, NULL, 0 },
    { "/api/v1/check", R_CHECK, NULL, h_check, NULL, SC_MAX_CHECK_BODY },
    { "/api/v1/check/compare", R_CHECK_COMPARE, NULL, h_check_compare, NULL, SC_MAX_CHECK_BODY },
    { "/api/v1/draft", R_DRAFT, NULL, h_draft, NULL, SC_MAX_CHECK_BODY },
};

/* Match one integer segment at *p; advances *p. */
static int int_segment(const char **p, int64_t *out)
{
    const char *s = *p;
    int64_t v = 0;
    size_t n = 0;
    while (s[n] >= '0' && s[n] <= '9') {
        if (n >= 18)
            return 0;
        v = v * 10 + (s[n] - '0');
        n++;
    }
    if (n == 0 || (s[n] != '\0' && s[n] != '/'))
        return 0;
    *out = v;
    *p = s + n;
    return 1;
}

static int match(const char *pattern, const char *path, int64_t *a, int64_t *b)
{
    int nint = 0;
    while (*pattern) {
        if (*pattern == '#') {
            int64_t v;
            if (!int_segment(&path, &v))
                return 0;
            *(nint++ ? b : a) = v;
            pattern++;
            continue;
        }
        if (*pattern != *path)
            return 0;
        pattern++;
        path++;
    }
    return *path == '\0';
}

static const struct route_def *find(struct sc_req *req)
{
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
        if (match(routes[i].pattern, req->path, &req->id, &req->n))
            return &routes[i];
    return NULL;
}

/* A static asset: "/" or one segment without a further '/'. */
static int is_static_path(const char *path)
{
    return path[0] == '/' && strchr(path + 1, '/') == NULL;
}

handler_fn *route_find(struct sc_req *req)
{
    const struct route_def *r = find(req);
    if (!r) {
        if (strncmp(req->path, "/api/", 5) != 0 && is_static_path(req->path)) {
            req->route = R_STATIC;
            req->allow = M_GET | M_HEAD;
            return req->method & (M_GET | M_HEAD) ? h_static : NULL;
        }
        req->route = R_NOT_FOUND;
        req->allow = 0;
        return NULL;
    }
    req->route = r->route;
    req->allow = (r->get ? M_GET | M_HEAD : 0) | (r->post ? M_POST : 0) | (r->del ? M_DELETE : 0);
    switch (req->method) {
    case M_GET:
    case M_HEAD: return r->get;
    case M_POST: return r->post;
    case M_DELETE: return r->del;
    default: return NULL;
    }
}

size_t route_body_max(const struct sc_req *req)
{
    const struct route_def *r = NULL;
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
        if (routes[i].route == req->route)
            r = &routes[i];
    if (!r || req->method != M_POST)
        return 0;
    if (r->route == R_IMPORT)
        return req->srv->opts.max_upload;
    return r->post_max;
}

const char *route_name(enum route r)
{
    static const char *const names[R_COUNT] = {
        [R_NOT_FOUND] = "not_found",
        [R_HEALTHZ] = "healthz",
        [R_METRICS] = "metrics",
        [R_STATIC] = "static",
        [R_SEARCH] = "search",
        [R_DOCS] = "docs",
        [R_DOC] = "doc",
        [R_SECTION] = "section",
        [R_STATS] = "stats",
        [R_IMPORT] = "import",
        [R_COMPILE] = "compile",
        [R_SESSION] = "session",
        [R_ME] = "me",
        [R_PROOF] = "proof",
        [R_MASK] = "mask",
        [R_MASK_RESTORE] = "mask_restore",
        [R_FILL] = "fill",
        [R_UPDATES] = "updates",
        [R_FEED_UPDATES] = "feed_updates",
        [R_FEED_WATCH] = "feed_watch",
        [R_WATCHES] = "watches",
        [R_WATCH] = "watch",
        [R_WATCH_SEEN] = "watch_seen",
        [R_WATCH_FEED] = "watch_feed",
        [R_FAVORITES] = "favorites",
        [R_FAVORITE] = "favorite",
        [R_HISTORY] = "history",
        [R_CART] = "cart",
        [R_NEAR] = "near",
        [R_DOC_NEAR] = "doc_near",
        [R_SUGGEST] = "suggest",
        [R_OUTLINE_STATS] = "outline_stats",
        [R_CHECK] = "check",
        [R_CHECK_COMPARE] = "check_compare",
        [R_DRAFT] = "draft",
        [R_BAD_PATH] = "bad_path",
    };
    return (unsigned)r < R_COUNT && names[r] ? names[r] : "other";
}
