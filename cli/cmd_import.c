/*
 * sucai init / import: create a library, and take files in. import prints
 * a progress bar on a terminal, one line per refused file, a summary; with
 * --json one JSON object per input file (the contract other tools read).
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int cmd_init(struct cli *cli, int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        printf("usage: sucai [-L DIR] init\n\nCreate an empty library in DIR (default: "
               "$SUCAI_LIBRARY or ./" SC_DEFAULT_LIBRARY ").\n");
        return 0;
    }
    if (argc > 1) {
        fprintf(stderr, "sucai init: unexpected argument '%s'\n", argv[1]);
        return 2;
    }
    const char *dir = sc_library_default_dir(cli->library_dir);
    struct sc_diag d = { 0 };
    enum sc_err e = sc_library_create(dir, &d);
    if (e != SC_OK) {
        cli_fail(cli, e, dir, &d);
        return 2;
    }
    printf("created library %s\n", dir);
    return 0;
}

struct import_ui {
    int json;
    int quiet;
    int bar;             /* progress bar on stderr (a terminal) */
    struct timespec t0;
    uint64_t bytes;
};

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void on_progress(void *ctx, size_t done, size_t total, const char *file)
{
    struct import_ui *ui = ctx;
    (void)file;
    if (!ui->bar || total == 0)
        return;
    int width = 30, fill = (int)(done * (size_t)width / total);
    double s = seconds_since(&ui->t0);
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu files  %.1f MB/s ", fill,
            "##############################", width - fill, "", done, total,
            s > 0 ? (double)ui->bytes / 1e6 / s : 0.0);
    if (done == total)
        fputc('\n', stderr);
    fflush(stderr);
}

static int on_file(void *ctx, const struct sc_import_result *r)
{
    struct import_ui *ui = ctx;
    ui->bytes += r->bytes;
    if (ui->json) {
        struct sc_buf b = SC_BUF_INIT;
        struct sc_jw w;
        sc_jw_init(&w, &b);
        sc_import_result_json(&w, r);
        sc_buf_addc(&b, '\n');
        fwrite(b.data, 1, b.len, stdout);
        sc_buf_release(&b);
        return 0;
    }
    if (r->status == SC_IMPORT_REFUSED) {
        if (ui->bar)
            fputc('\n', stderr);
        /* the form docs/cli.md gives every error: sucai: WHAT: reason */
        fprintf(stderr, "sucai: %s: %s\n", r->file, r->reason);
    } else if (r->status == SC_IMPORT_DUPLICATE && !ui->quiet) {
        if (ui->bar)
            fputc('\n', stderr);
        fprintf(stderr, "sucai: %s: duplicate, nothing added (%s)\n", r->file, r->reason);
    }
    return 0;
}

int cmd_import(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        { "json", no_argument, NULL, 'j' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct import_ui ui = { 0 };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "jqh", opts, NULL)) != -1) {
        switch (c) {
        case 'j': ui.json = 1; break;
        case 'q': ui.quiet = 1; break;
        case 'h':
            printf("usage: sucai [-L DIR] import [--json] [--quiet] PATH...\n\n"
                   "Import files and folders (recursively): .txt (UTF-8, UTF-16 with BOM,\n"
                   "GB18030/GBK), .docx, .md. Each file is all or nothing; a refused file\n"
                   "is reported with its reason and the rest go on.\n\n"
                   "  --json   one JSON object per input file: {\"file\", \"status\", \"docs\", "
                   "\"reason\",\n"
                   "           \"bytes\", \"seq\"}\n"
                   "  --quiet  no progress bar, no duplicate notes\n\n"
                   "Exit status: 0 all imported (or duplicates), 1 some refused, 2 usage or "
                   "library error.\n");
            return 0;
        default: return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "sucai import: no files given (see `sucai import --help`)\n");
        return 2;
    }
    struct sc_library *lib = cli_open_library(cli, 0);
    if (!lib)
        return 2;
    ui.bar = !ui.json && !ui.quiet && isatty(STDERR_FILENO);
    clock_gettime(CLOCK_MONOTONIC, &ui.t0);
    struct sc_import_opts io = { on_file, &ui, on_progress };
    struct sc_import_summary sum;
    struct sc_diag d = { 0 };
    cli_tune_memory_for_batch();
    enum sc_err e = sc_import_paths(lib, (const char *const *)argv + optind,
                                    (size_t)(argc - optind), &io, &sum, &d);
    char detail[160];
    snprintf(detail, sizeof detail, "%zu files imported (%zu documents), %zu duplicates, %zu refused",
             sum.imported, sum.docs, sum.duplicates, sum.refused);
    sc_audit(lib, NULL, "import", detail, "cli");
    /* saved searches were matched as the documents were committed */
    struct sc_watch_run wr;
    struct sc_diag wd = { 0 };
    enum sc_err we = sc_watch_stats(lib, &wr, &wd);
    sc_library_close(lib);
    double s = seconds_since(&ui.t0);
    if (!ui.json && !ui.quiet) {
        fprintf(stderr,
                "imported %zu file%s (%zu document%s), %zu duplicate%s, %zu refused; "
                "%.1f MB in %.1f s\n",
                sum.imported, sum.imported == 1 ? "" : "s", sum.docs, sum.docs == 1 ? "" : "s",
                sum.duplicates, sum.duplicates == 1 ? "" : "s", sum.refused,
                (double)sum.bytes / 1e6, s);
        if (wr.watches && wr.docs)
            fprintf(stderr, "saved searches: %lld new matches for %lld saved searches (%.1f s)\n",
                    (long long)wr.hits, (long long)wr.watches,
                    (wr.match_ms + wr.store_ms) / 1000.0);
    }
    if (we != SC_OK)
        cli_fail(cli, we, "import: matching saved searches", &wd);
    if (e != SC_OK) {
        cli_fail(cli, e, "import", &d);
        return 2;
    }
    return sum.refused ? 1 : 0;
}
