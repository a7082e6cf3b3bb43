/*
 * sucai audit: the audit log, newest first (logins, failed logins,
 * logouts, imports, downloads, account and token changes).
 */
#include "cli.h"

#include "sucai/json.h"

#include <getopt.h>
#include <string.h>

/* The entries as a JSON array, or one line each: id, time, user, action,
 * address, detail (client text kept on its line). */
static void print_audit(const struct sc_audit_rows *rows, int json, struct sc_buf *out)
{
    if (json) {
        struct sc_jw w;
        sc_jw_init(&w, out);
        sc_jw_arr(&w, SC_JW_ROWS);
        for (size_t i = 0; i < rows->n; i++) {
            const struct sc_audit_row *r = &rows->v[i];
            sc_jw_obj(&w, SC_JW_TIGHT);
            sc_jw_kint(&w, "id", r->id);
            cli_jw_time(&w, "at", r->at);
            sc_jw_kstrz(&w, "user", r->user);
            sc_jw_kstrz(&w, "action", r->action);
            sc_jw_kstrz(&w, "detail", r->detail);
            sc_jw_kstrz(&w, "addr", r->addr);
            sc_jw_obj_end(&w);
        }
        sc_jw_arr_end(&w);
        sc_buf_addc(out, '\n');
        return;
    }
    for (size_t i = 0; i < rows->n; i++) {
        const struct sc_audit_row *r = &rows->v[i];
        sc_buf_addf(out, "%6lld  ", (long long)r->id);
        cli_time_text(out, r->at);
        sc_buf_addc(out, ' ');
        cli_text_clean(out, r->user);
        sc_buf_addc(out, ' ');
        cli_text_clean(out, r->action);
        sc_buf_addc(out, ' ');
        cli_text_clean(out, r->addr);
        sc_buf_addc(out, ' ');
        cli_text_clean(out, r->detail);
        sc_buf_addc(out, '\n');
    }
}

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
    struct sc_audit_rows rows;
    enum sc_err e = sc_audit_list(lib, limit, &rows, &d);
    sc_library_close(lib);
    if (e == SC_OK) {
        print_audit(&rows, json, &out);
        e = sc_buf_err(&out);
    }
    sc_audit_rows_release(&rows);
    int rc = e == SC_OK ? 0 : cli_fail(cli, e, "audit", &d);
    if (e == SC_OK && out.len)
        fwrite(out.data, 1, out.len, stdout);
    sc_buf_release(&out);
    return rc;
}
