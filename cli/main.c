/*
 * sucai: the command-line front end. Global options, the command table and
 * the helpers every command shares; each command lives in cli/cmd_<name>.c.
 */
#include "cli.h"

#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct command {
    const char *name;
    cmd_fn *fn;
    const char *summary;
};

static const struct command commands[] = {
    { "init", cmd_init, "create a library (-L DIR, $SUCAI_LIBRARY or ./sucai-library)" },
    { "import", cmd_import, "import files and folders (.txt .docx .md)" },
    { "list", cmd_list, "list documents" },
    { "show", cmd_show, "show one document: metadata, outline, text" },
    { "stats", cmd_stats, "documents, characters, sources, refused files, size" },
    { "search", cmd_search, "exact search (精准搜索)" },
    { "check", cmd_check, "查重: which stretches of a draft stand in the library, and where" },
    { "compile", cmd_compile, "compile documents into a 汇编 (.docx .txt .md)" },
    { "export", cmd_export, "export one document (.docx .txt .md)" },
    { "proof", cmd_proof, "proofread a 公文 draft (校对): numbering, punctuation, forms, words" },
    { "mask", cmd_mask, "anonymise a draft (脱敏): persons, places, units, numbers; --restore" },
    { "fill", cmd_fill, "fill the XX slots of a template from a profile (套用)" },
    { "serve", cmd_serve, "run the HTTP server and web page" },
    { "boilerplate", cmd_boilerplate, "list the advertising lines kept out of documents" },
    { "reparse", cmd_reparse, "re-run the pipeline over every stored source" },
    { "reindex", cmd_reindex, "rebuild the search index from the store" },
    { "migrate", cmd_migrate, "bring a library made by an older sucai up to this one's schema" },
    { "user", cmd_user, "manage member accounts" },
    { "token", cmd_token, "manage API tokens" },
    { "watch", cmd_watch, "saved searches (订阅): add, list, rm, show new matches" },
    { "outline-stats", cmd_outline, "提纲: the usual level-1 skeletons of a 文种" },
    { "audit", cmd_audit, "show the audit log" },
    { "config", cmd_config, "show or set the library's settings (paid teaser, allowances)" },
    { "debug", cmd_debug, "debug normalize|parse|decode FILE: pipeline stages, for tests" },
};

static void usage(FILE *f)
{
    fprintf(f, "usage: sucai [-L DIR] COMMAND [ARGS]\n\n"
               "sucai is a library of Chinese official-document material (公文素材库):\n"
               "import files, find material by exact search, read by structure, compile 汇编.\n\n"
               "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nOptions:\n"
               "  -L, --library DIR  the library folder (default: $SUCAI_LIBRARY or "
               "./" SC_DEFAULT_LIBRARY "),\n"
               "                     or a PostgreSQL URL (postgresql://user@host/db)\n"
               "  --cache DIR        where a library in PostgreSQL keeps this machine's index\n"
               "                     (default: $SUCAI_CACHE or ~/.cache/sucai/<hash>)\n"
               "  -h, --help         this help; `sucai COMMAND --help` for a command\n"
               "  --version          print the version\n\n"
               "Exit status: 0 success, 1 some input refused or not found, 2 usage or library "
               "error.\n");
}

int cli_take_library(struct cli *cli, int argc, char **argv)
{
    int out = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            while (i < argc)
                argv[out++] = argv[i++];
            break;
        }
        if (!strcmp(a, "-L") || !strcmp(a, "--library")) {
            if (i + 1 >= argc)
                return -1;
            cli->library_dir = argv[++i];
            continue;
        }
        if (!strncmp(a, "--library=", 10)) {
            cli->library_dir = a + 10;
            continue;
        }
        /* the cache of a library in a database server: read by the library
         * as $SUCAI_CACHE, so that every command and the server see it */
        if (!strcmp(a, "--cache") || !strncmp(a, "--cache=", 8)) {
            const char *dir = a[7] == '=' ? a + 8 : (i + 1 < argc ? argv[++i] : NULL);
            if (!dir || !*dir || setenv("SUCAI_CACHE", dir, 1) != 0)
                return -1;
            continue;
        }
        argv[out++] = argv[i];
    }
    argv[out] = NULL;
    return out;
}

struct sc_library *cli_open_library(struct cli *cli, int flags)
{
    const char *dir = sc_library_default_dir(cli->library_dir);
    struct sc_library *lib = NULL;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_library_open(dir, flags, &lib, &d);
    if (e != SC_OK) {
        cli_fail(cli, e, dir, &d);
        return NULL;
    }
    return lib;
}

int cli_fail(struct cli *cli, enum sc_err err, const char *what, const struct sc_diag *diag)
{
    const char *msg = diag && diag->msg[0] ? diag->msg : sc_strerror(err);
    /* a URL is not repeated: it may hold a password, and the library's
     * messages name it without one */
    if (what && *what && !strstr(what, "://") && !strstr(msg, what))
        fprintf(stderr, "%s: %s: %s\n", cli->prog, what, msg);
    else
        fprintf(stderr, "%s: %s\n", cli->prog, msg);
    return sc_err_exit_code(err);
}

void cli_tune_memory_for_batch(void)
{
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

int cli_parse_size(const char *s, size_t *out)
{
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || s[0] == '-' || errno || v > SIZE_MAX / 2)
        return -1;
    *out = (size_t)v;
    return 0;
}

void cli_print_buf(const struct sc_buf *b)
{
    fwrite(b->data, 1, b->len, stdout);
    if (b->len && b->data[b->len - 1] != '\n')
        fputc('\n', stdout);
}

void cli_json_error(struct sc_buf *b, const char *msg)
{
    struct sc_jw w;
    sc_jw_init(&w, b);
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_jw_kstrz(&w, "error", msg);
    sc_jw_obj_end(&w);
    sc_buf_addc(b, '\n');
}

int main(int argc, char **argv)
{
    struct cli cli = { NULL, "sucai" };
    argc = cli_take_library(&cli, argc - 1, argv + 1);
    argv++;
    if (argc < 0) {
        fprintf(stderr, "sucai: -L needs a folder or a URL, --cache a folder\n");
        return 2;
    }
    if (argc == 0) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help") || !strcmp(argv[0], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[0], "--version")) {
        printf("sucai %s\n", SUCAI_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[0], commands[i].name))
            return commands[i].fn(&cli, argc, argv);
    fprintf(stderr, "sucai: '%s' is not a command; see `sucai --help`\n", argv[0]);
    return 2;
}
