/*
 * sucai audit: the audit log, newest first (logins, failed logins,
 * logouts, imports, downloads, account and token changes).
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

int cmd_audit(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        { "json", no_argument, NULL, 'j' },
        { "limit", required_argument, NULL, 'n' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int json = 0, c;
    size_t limit = 100;
    optind = 1;
    while ((c = getopt_long(argc, argv, "jn:h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = 1; break;
        case 'n':
            if (cli_parse_size(optarg, &limit) != 0 || limit == 0 || limit > 1000000) {
                fprintf(stderr, "sucai audit: --limit wants a number 1..1000000\n");
                return 2;
            }
            break;
        case 'h':
            printf("usage: sucai [-L DIR] audit [--json] [--limit N]\n\n"
                   "The newest N (default 100) audit entries, newest first: id, time (UTC),\n"
                   "user, action, address, detail. --json prints an array of {\"id\", \"at\",\n"
                   "\"user\", \"action\", \"detail\", \"addr\"}. Actions: login, login_failed,\n"
                   "login_refused, logout, import, download, download_refused, user_add,\n"
                   "tier, roles, user_disable, user_enable, passwd, quota, token_create,\n"
                   "token_revoke.\n");
            return 0;
        default: return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "sucai audit: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    struct sc_library *lib = cli_open_library(cli, 0);
    if (!lib)
        return 2;
    struct sc_diag d = { 0 };
    struct sc_buf out = SC_BUF_INIT;
    enum sc_err e = sc_audit_list(lib, limit, json, &out, &d);
    sc_library_close(lib);
    int rc = e == SC_OK ? 0 : cli_fail(cli, e, "audit", &d);
    if (e == SC_OK && out.len)
        fwrite(out.data, 1, out.len, stdout);
    sc_buf_release(&out);
    return rc;
}
