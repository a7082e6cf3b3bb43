/*
 * sucai token: API tokens for scripts (`Authorization: Bearer TOKEN`).
 *
 *   sucai token create NAME [--label TEXT]   prints the token once, as the last word
 *   sucai token revoke ID|TOKEN
 *   sucai token list [--json]
 *
 * Only a hash of each token is stored, so a lost token cannot be shown
 * again: revoke it and create another.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char token_usage[] =
    "usage: sucai [-L DIR] token create NAME [--label TEXT]\n"
    "       sucai token revoke ID|TOKEN\n"
    "       sucai token list [--json]\n\n"
    "A token acts as its user (tier and roles) until revoked or while the user is\n"
    "disabled. `create` prints it once, as the last word of its output.\n";

int cmd_token(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        { "label", required_argument, NULL, 'l' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        fputs(token_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    const char *label = NULL;
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc - 1, argv + 1, "l:jh", opts, NULL)) != -1) {
        switch (c) {
        case 'l': label = optarg; break;
        case 'j': json = 1; break;
        case 'h': fputs(token_usage, stdout); return 0;
        default: return 2;
        }
    }
    char **args = argv + 1 + optind;
    int nargs = argc - 1 - optind;
    int want = !strcmp(sub, "list") ? 0 : 1;
    if (strcmp(sub, "create") && strcmp(sub, "revoke") && strcmp(sub, "list")) {
        fprintf(stderr, "sucai token: unknown subcommand '%s'; see `sucai token --help`\n", sub);
        return 2;
    }
    if (nargs != want) {
        fprintf(stderr, "sucai token %s: expected %d argument%s\n", sub, want,
                want == 1 ? "" : "s");
        return 2;
    }
    struct sc_library *lib = cli_open_library(cli, 0);
    if (!lib)
        return 2;
    struct sc_diag d = { 0 };
    struct sc_buf out = SC_BUF_INIT;
    enum sc_err e;
    if (!strcmp(sub, "create")) {
        char *tok = NULL;
        int64_t id = 0;
        e = sc_token_create(lib, NULL, args[0], label, &tok, &id, &d);
        if (e == SC_OK) {
            sc_buf_addf(&out,
                        "token %lld for %s (shown once; only its hash is kept; "
                        "revoke with `sucai token revoke %lld`):\n%s\n",
                        (long long)id, args[0], (long long)id, tok);
            explicit_bzero(tok, strlen(tok));
            free(tok);
        }
    } else if (!strcmp(sub, "revoke")) {
        e = sc_token_revoke(lib, NULL, args[0], &d);
        if (e == SC_OK)
            sc_buf_adds(&out, "token revoked");
    } else {
        e = sc_token_list(lib, json, &out, &d);
    }
    sc_library_close(lib);
    if (e == SC_OK)
        e = sc_buf_err(&out);
    int rc = e == SC_OK ? 0 : cli_fail(cli, e, "token", &d);
    if (e == SC_OK)
        cli_print_buf(&out);
    if (out.len)
        explicit_bzero(out.data, out.len);
    sc_buf_release(&out);
    return rc;
}
