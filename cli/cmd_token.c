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

#include "sucai/json.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char token_usage[] =
    "usage: sucai [-L DIR] token create NAME [--label TEXT]\n"
    "       sucai token revoke ID|TOKEN\n"
    "       sucai token list [--json]\n\n"
    "A token acts as its user (tier and roles) until revoked or while the user is\n"
    "disabled. `create` prints it once, as the last word of its output.\n";

/* The tokens (never the secrets) as a JSON array, or a table. */
static void print_tokens(const struct sc_token_rows *rows, int json, struct sc_buf *out)
{
    if (json) {
        struct sc_jw w;
        sc_jw_init(&w, out);
        sc_jw_arr(&w, SC_JW_ROWS);
        for (size_t i = 0; i < rows->n; i++) {
            const struct sc_token_row *r = &rows->v[i];
            sc_jw_obj(&w, SC_JW_TIGHT);
            sc_jw_kint(&w, "id", r->id);
            sc_jw_kstrz(&w, "user", r->user);
            sc_jw_kstrz(&w, "label", r->label);
            cli_jw_time(&w, "created", r->created);
            cli_jw_time(&w, "last_used", r->last_used);
            cli_jw_time(&w, "revoked", r->revoked);
            sc_jw_obj_end(&w);
        }
        sc_jw_arr_end(&w);
        sc_buf_addc(out, '\n');
        return;
    }
    sc_buf_addf(out, "%4s  %-20s %-20s %-20s %-20s %s\n", "id", "user", "created", "last used",
                "revoked", "label");
    for (size_t i = 0; i < rows->n; i++) {
        const struct sc_token_row *r = &rows->v[i];
        sc_buf_addf(out, "%4lld  %-20s ", (long long)r->id, r->user ? r->user : "?");
        const int64_t t[3] = { r->created, r->last_used, r->revoked };
        for (int c = 0; c < 3; c++) {
            size_t at = out->len;
            cli_time_text(out, t[c]);
            cli_pad(out, at, 21);
        }
        cli_text_clean(out, r->label); /* operator input: one line per token */
        sc_buf_addc(out, '\n');
    }
}

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
        struct sc_token_rows rows;
        e = sc_token_list(lib, &rows, &d);
        if (e == SC_OK)
            print_tokens(&rows, json, &out);
        sc_token_rows_release(&rows);
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
