/*
 * sucai serve: the HTTP API and the web page (server/). This file only
 * parses the options; server/server.c does the rest.
 */
#include "cli.h"

#include "../server/serve.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void serve_usage(FILE *f)
{
    fprintf(f,
            "usage: sucai [-L DIR] serve [--listen HOST:PORT] [--threads N] [--dev]\n"
            "                            [--all-entitled] [--trusted-proxy ADDR] [--read-store URL]\n"
            "                            [--quiet]\n\n"
            "Serve the library over HTTP: the JSON API under /api/v1/ (docs/http-api.md)\n"
            "and the web page at /. Stops cleanly on SIGTERM or Ctrl-C.\n\n"
            "  --listen HOST:PORT  address to listen on (default " SC_SERVE_DEFAULT_LISTEN
            "); port 0 picks a\n"
            "                      free port; [::1]:PORT for IPv6. The address is printed as\n"
            "                      \"listening on http://HOST:PORT\".\n"
            "  --threads N         worker threads (default: one per CPU, at most %d)\n"
            "  --dev               serve the page from ./web on disk, uncached (for editing it)\n"
            "  --web DIR           the folder --dev serves (default ./web)\n"
            "  --all-entitled      a private library: every caller may read paid text and\n"
            "                      download (import and administration still need a login)\n"
            "  --max-upload BYTES  largest upload body (default %u)\n"
            "  --trusted-proxy ADDR  a reverse proxy in front (nginx; repeat for several, at\n"
            "                      most %d): its requests are from the client its\n"
            "                      X-Forwarded-For names, for the per-address limits and logs\n"
            "  --read-store URL    a standby of the library (PostgreSQL): searches' index\n"
            "                      builds, the change-log follower and document reads go\n"
            "                      there; writes, logins and quotas stay on the primary\n"
            "  --quiet             no access log on stderr\n\n"
            "Exit status: 0 after a clean shutdown, 2 when the library or the address\n"
            "cannot be opened.\n",
            SC_SERVE_MAX_THREADS, SC_SERVE_MAX_UPLOAD, SC_SERVE_MAX_PROXIES);
}

int cmd_serve(struct cli *cli, int argc, char **argv)
{
    enum {
        O_WEB = 256,
        O_MAX_UPLOAD,
        O_ALL_ENTITLED,
        O_TRUSTED_PROXY,
        O_READ_STORE
    };
    static const struct option opts[] = {
        { "listen", required_argument, NULL, 'l' },
        { "threads", required_argument, NULL, 't' },
        { "dev", no_argument, NULL, 'd' },
        { "web", required_argument, NULL, O_WEB },
        { "all-entitled", no_argument, NULL, O_ALL_ENTITLED },
        { "max-upload", required_argument, NULL, O_MAX_UPLOAD },
        { "trusted-proxy", required_argument, NULL, O_TRUSTED_PROXY },
        { "read-store", required_argument, NULL, O_READ_STORE },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct sc_serve_opts so = { 0 };
    so.listen = SC_SERVE_DEFAULT_LISTEN;
    int c;
    size_t n;
    optind = 1;
    while ((c = getopt_long(argc, argv, "l:t:dqh", opts, NULL)) != -1) {
        switch (c) {
        case 'l': so.listen = optarg; break;
        case 't':
            if (cli_parse_size(optarg, &n) || n < 1 || n > SC_SERVE_MAX_THREADS) {
                fprintf(stderr, "sucai serve: --threads takes 1 to %d\n", SC_SERVE_MAX_THREADS);
                return 2;
            }
            so.threads = (unsigned)n;
            break;
        case 'd': so.dev = 1; break;
        case O_WEB: so.web_dir = optarg; break;
        case O_ALL_ENTITLED: so.all_entitled = 1; break;
        case O_MAX_UPLOAD:
            if (cli_parse_size(optarg, &n) || n < 1) {
                fprintf(stderr, "sucai serve: --max-upload takes a number of bytes\n");
                return 2;
            }
            so.max_upload = n;
            break;
        case O_TRUSTED_PROXY: {
            unsigned char bin[16];
            if (inet_pton(AF_INET, optarg, bin) != 1 && inet_pton(AF_INET6, optarg, bin) != 1) {
                fprintf(stderr, "sucai serve: --trusted-proxy takes an address (%s is not one)\n",
                        optarg);
                return 2;
            }
            if (so.ntrusted == SC_SERVE_MAX_PROXIES) {
                fprintf(stderr, "sucai serve: at most %d --trusted-proxy addresses\n",
                        SC_SERVE_MAX_PROXIES);
                return 2;
            }
            so.trusted[so.ntrusted++] = optarg;
            break;
        }
        case O_READ_STORE: so.read_store = optarg; break;
        case 'q': so.quiet = 1; break;
        case 'h': serve_usage(stdout); return 0;
        default: return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "sucai serve: unexpected argument '%s' (see `sucai serve --help`)\n",
                argv[optind]);
        return 2;
    }
    so.library_dir = sc_library_default_dir(cli->library_dir);
    return sc_serve(&so);
}
