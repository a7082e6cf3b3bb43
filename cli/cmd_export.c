/*
 * sucai export ID: one document as .docx, .txt or .md, laid out like an
 * article of a 汇编 (GB/T 9704-2012) but without the title page and 目录.
 * The writing is cli_compile_run() in cmd_compile.c (declared in cli.h).
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static enum sc_err run_export(void *ctx, struct sc_library *lib, const struct sc_compile_opts *opts,
                              struct sc_buf *out, struct sc_compile_info *info,
                              struct sc_diag *diag)
{
    return sc_compile_ids(lib, ctx, 1, opts, out, info, diag);
}

static void export_usage(FILE *f)
{
    fprintf(f, "usage: sucai [-L DIR] export ID [--format docx|txt|md] [--free] [-o FILE|-] "
               "[-q]\n\n"
               "Write one document, laid out as in a 汇编 (GB/T 9704-2012), without the\n"
               "title page and 目录.\n\n"
               "  --format F     docx, txt or md (default: from the -o extension, else docx)\n"
               "  --free         leave out the paid part, as for a reader without membership\n"
               "  -o FILE        where to write; - for stdout (default: the document's title\n"
               "                 in the current folder)\n"
               "  -q, --quiet    no summary line on stderr\n");
}

int cmd_export(struct cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "format", required_argument, NULL, 'f' }, { "free", no_argument, NULL, 'F' },
        { "output", required_argument, NULL, 'o' }, { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 },
    };
    struct compile_job job;
    memset(&job, 0, sizeof job);
    job.opts.entitled = 1;
    job.opts.single = 1;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "f:Fo:qh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'f': job.format = optarg; break;
        case 'F': job.opts.entitled = 0; break;
        case 'o': job.output = optarg; break;
        case 'q': job.quiet = 1; break;
        case 'h': export_usage(stdout); return 0;
        default: export_usage(stderr); return 2;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "sucai export: give exactly one document id\n");
        export_usage(stderr);
        return 2;
    }
    char *end;
    errno = 0;
    long long id = strtoll(argv[optind], &end, 10);
    if (*end || end == argv[optind] || errno || id < 1) {
        fprintf(stderr, "sucai export: '%s' is not a document id\n", argv[optind]);
        return 2;
    }
    int64_t id64 = id;
    return cli_compile_run(cli, "export", &job, run_export, &id64);
}
