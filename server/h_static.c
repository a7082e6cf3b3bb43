/*
 * The web page's files and GET /healthz. Files come from the table that
 * tools/embed.c compiled into the binary (server/assets.h), looked up by
 * name: no file system path is ever built from the request, so there is
 * nothing to traverse. With --dev they are read from web/ on disk instead
 * (names restricted to [A-Za-z0-9._-], no leading dot) and never cached.
 * Embedded files carry an ETag (a hash of their bytes) and are revalidated
 * (Cache-Control: no-cache, 304 on If-None-Match).
 */
#include "assets.h"
#include "server_int.h"

#include <stdlib.h>
#include <string.h>

#define DEV_MAX_FILE (8u * 1024 * 1024)

static const char *content_type(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        { ".html", "text/html; charset=utf-8" },
        { ".js", "text/javascript; charset=utf-8" },
        { ".css", "text/css; charset=utf-8" },
        { ".json", "application/json; charset=utf-8" },
        { ".svg", "image/svg+xml" },
        { ".png", "image/png" },
        { ".ico", "image/x-icon" },
        { ".txt", "text/plain; charset=utf-8" },
        { ".woff2", "font/woff2" },
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(dot, types[i].ext))
            return types[i].type;
    return "application/octet-stream";
}

int assets_init(struct sc_server *srv)
{
    size_t n = 0;
    while (sc_assets[n].name)
        n++;
    srv->assets = sc_calloc(n + 1, sizeof *srv->assets);
    if (!srv->assets)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char hex[65];
        sc_sha256_hex(sc_assets[i].data, sc_assets[i].len, hex);
        struct asset_meta *m = &srv->assets[i];
        m->etag[0] = '"';
        memcpy(m->etag + 1, hex, 16);
        m->etag[17] = '"';
        m->etag[18] = '\0';
        if (!srv->opts.dev) {
            m->resp = server_fixed_response(sc_assets[i].data, sc_assets[i].len,
                                            content_type(sc_assets[i].name), "no-cache", m->etag);
            if (!m->resp)
                return -1;
        }
    }
    return 0;
}

void assets_release(struct sc_server *srv)
{
    for (size_t i = 0; srv->assets && sc_assets[i].name; i++)
        server_fixed_free(srv->assets[i].resp);
    free(srv->assets);
    srv->assets = NULL;
}

static int safe_name(const char *s)
{
    if (!*s || *s == '.' || strlen(s) > 100)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '_' || *s == '-'))
            return 0;
    return 1;
}

/* Does an If-None-Match header list etag (or "*")? */
static int etag_matches(const char *inm, const char *etag)
{
    if (!inm)
        return 0;
    if (strstr(inm, etag))
        return 1;
    while (*inm == ' ')
        inm++;
    return inm[0] == '*' && (inm[1] == '\0' || inm[1] == ' ');
}

void h_static(struct sc_req *req, struct sc_resp *r)
{
    const char *name = req->path + 1;
    if (!*name)
        name = "index.html";
    if (!safe_name(name)) {
        resp_error(r, 404, "not_found", "no such file");
        return;
    }
    if (req->srv->opts.dev) {
        struct sc_buf path = SC_BUF_INIT;
        sc_buf_addf(&path, "%s/%s", req->srv->opts.web_dir, name);
        char *data = NULL;
        size_t len = 0;
        enum sc_err e = sc_buf_err(&path);
        if (e == SC_OK)
            e = sc_read_file(path.data, DEV_MAX_FILE, &data, &len, NULL);
        sc_buf_release(&path);
        if (e != SC_OK) {
            resp_error(r, 404, "not_found", "no such file");
            return;
        }
        r->status = 200;
        r->type = content_type(name);
        r->cache = "no-store";
        sc_buf_add(&r->body, data, len);
        free(data);
        return;
    }
    for (size_t i = 0; sc_assets[i].name; i++) {
        if (strcmp(sc_assets[i].name, name) != 0)
            continue;
        const char *etag = req->srv->assets[i].etag;
        r->cache = "no-cache";
        r->type = content_type(name);
        if (etag_matches(req_header(req, "If-None-Match"), etag)) {
            resp_header(r, "ETag", etag);
            r->status = 304;
            r->fixed = "";
            r->fixed_len = 0;
            return;
        }
        r->status = 200;
        r->fixed = sc_assets[i].data;
        r->fixed_len = sc_assets[i].len;
        r->shared = req->srv->assets[i].resp;
        return;
    }
    resp_error(r, 404, "not_found", "no such file");
}

void h_healthz(struct sc_req *req, struct sc_resp *r)
{
    r->status = 200;
    r->fixed_len = 17; /* {"status": "ok"}\n */
    r->shared = req->srv->healthz;
}
