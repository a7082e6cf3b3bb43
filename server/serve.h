/*
 * `sucai serve`: the HTTP server's entry point, called by cli/cmd_serve.c.
 * Everything else in server/ is internal (server_int.h).
 */
#ifndef SUCAI_SERVER_SERVE_H
#define SUCAI_SERVER_SERVE_H

#include <stddef.h>

#define SC_SERVE_DEFAULT_LISTEN   "127.0.0.1:8080"
#define SC_SERVE_MAX_THREADS      64
#define SC_SERVE_MAX_UPLOAD       (64u * 1024 * 1024) /* bytes of one POST /import body */
#define SC_SERVE_MAX_UPLOAD_FILES 100                 /* files in one POST /import */
#define SC_SERVE_MAX_PROXIES      8                   /* --trusted-proxy addresses */

struct sc_serve_opts {
    const char *library_dir; /* resolved folder of the library */
    const char *listen;      /* "HOST:PORT" or "[V6]:PORT"; port 0 picks a free one */
    unsigned threads;        /* 0 = one per CPU */
    int dev;                 /* serve the page from web_dir on disk, uncached */
    const char *web_dir;     /* for dev; NULL = "web" */
    int all_entitled;        /* private single-user library: everyone may read paid text */
    int quiet;               /* no access log */
    size_t max_upload;       /* 0 = SC_SERVE_MAX_UPLOAD */
    size_t max_upload_files; /* 0 = SC_SERVE_MAX_UPLOAD_FILES */
    /* addresses of the reverse proxies in front (nginx): a request from one
     * of them is from the client its X-Forwarded-For names (the rightmost
     * entry that is not a proxy); from anyone else the header is ignored */
    const char *trusted[SC_SERVE_MAX_PROXIES];
    size_t ntrusted;
    const char *read_store; /* a standby's URL for reads that need no freshness, or NULL */
};

/*
 * Open the library, start the server, print "listening on http://HOST:PORT"
 * on stdout (flushed), and serve until SIGTERM or SIGINT; then finish the
 * requests in flight and close. Returns a process exit status (0 after a
 * clean shutdown, 2 when the library or the socket could not be opened).
 */
int sc_serve(const struct sc_serve_opts *opts);

#endif
