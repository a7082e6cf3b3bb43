/*
 * sucai stats / boilerplate / reparse: the library as a whole.
 */
#include "cli.h"

#include <string.h>

static int want_help(int argc, char **argv, const char *usage)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage, stdout);
            return 1;
        }
    return 0;
}

static int only_json_flag(const char *cmd, int argc, char **argv, int *json)
{
    *json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) {
            *json = 1;
            continue;
        }
        fprintf(stderr, "sucai %s: unexpected argument '%s'\n", cmd, argv[i]);
        return -1;
    }
    return 0;
}

int cmd_stats(struct cli *cli, int argc, char **argv)
{
    int json;
    if (want_help(argc, argv,
                  "usage: sucai [-L DIR] stats [--json]\n\n"
                  "Documents, characters, sources, refused files, near duplicates, boilerplate\n"
                  "lines, and the size of the store and of the index in bytes.\n"))
        return 0;
    if (only_json_flag("stats", argc, argv, &json))
        return 2;
    struct sc_library *lib = cli_open_library(cli, SC_LIBRARY_READONLY);
    if (!lib)
        return 2;
    struct sc_stats s;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_stats_get(lib, &s, &d);
    sc_library_close(lib);
    if (e != SC_OK)
        return cli_fail(cli, e, "stats", &d);
    if (json) {
        struct sc_buf b = SC_BUF_INIT;
        sc_stats_json(&b, &s);
        if (sc_buf_err(&b) != SC_OK) {
            sc_buf_release(&b);
            return cli_fail(cli, SC_ENOMEM, "stats", NULL);
        }
        fwrite(b.data, 1, b.len, stdout);
        sc_buf_release(&b);
    } else
        printf("documents:        %lld\ncharacters:       %lld\nsources:          %lld\n"
               "refused files:    %lld\nnear duplicates:  %lld\nboilerplate lines: %lld\n"
               "store:            %.1f MB\nindex:            %.1f MB\n",
               (long long)s.documents, (long long)s.chars, (long long)s.sources,
               (long long)s.refused, (long long)s.duplicates_near,
               (long long)s.boilerplate_lines, (double)s.store_bytes / 1e6,
               (double)s.index_bytes / 1e6);
    return 0;
}

int cmd_boilerplate(struct cli *cli, int argc, char **argv)
{
    int json;
    if (want_help(argc, argv,
                  "usage: sucai [-L DIR] boilerplate [--json]\n\n"
                  "The advertising and contact lines kept out of documents on import, with\n"
                  "their source file, line and the reason, so a wrong guess can be seen.\n"))
        return 0;
    if (only_json_flag("boilerplate", argc, argv, &json))
        return 2;
    struct sc_library *lib = cli_open_library(cli, SC_LIBRARY_READONLY);
    if (!lib)
        return 2;
    struct sc_buf b = SC_BUF_INIT;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_boilerplate_list(lib, json, &b, &d);
    sc_library_close(lib);
    if (e == SC_OK)
        fwrite(b.data, 1, b.len, stdout);
    sc_buf_release(&b);
    return e == SC_OK ? 0 : cli_fail(cli, e, "boilerplate", &d);
}

int cmd_reparse(struct cli *cli, int argc, char **argv)
{
    int json;
    if (want_help(argc, argv,
                  "usage: sucai [-L DIR] reparse [--json]\n\n"
                  "Re-run decoding and 公文 parsing over every stored source file (the\n"
                  "original bytes are kept in the store), replacing documents in place,\n"
                  "then rebuild the search index.\n"))
        return 0;
    if (only_json_flag("reparse", argc, argv, &json))
        return 2;
    struct sc_library *lib = cli_open_library(cli, 0);
    if (!lib)
        return 2;
    struct sc_import_summary sum;
    struct sc_diag d = { 0 };
    cli_tune_memory_for_batch();
    enum sc_err e = sc_reparse(lib, &sum, &d);
    sc_library_close(lib);
    if (e != SC_OK)
        return cli_fail(cli, e, "reparse", &d);
    if (json) {
        struct sc_buf b = SC_BUF_INIT;
        struct sc_jw w;
        sc_jw_init(&w, &b);
        sc_jw_obj(&w, SC_JW_INLINE);
        sc_jw_kint(&w, "sources", (int64_t)sum.imported);
        sc_jw_kint(&w, "documents", (int64_t)sum.docs);
        sc_jw_kint(&w, "failed", (int64_t)sum.refused);
        sc_jw_obj_end(&w);
        sc_buf_addc(&b, '\n');
        if (sc_buf_err(&b) != SC_OK) {
            sc_buf_release(&b);
            return cli_fail(cli, SC_ENOMEM, "reparse", NULL);
        }
        fwrite(b.data, 1, b.len, stdout);
        sc_buf_release(&b);
    } else
        printf("reparsed %zu sources into %zu documents; %zu failed\n", sum.imported, sum.docs,
               sum.refused);
    return sum.refused ? 1 : 0;
}
