/*
 * sucai reindex: rebuild the search index from the store (after an
 * upgrade, or if the index files were lost or damaged).
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>
#include <time.h>

int cmd_reindex(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            printf("usage: sucai [-L DIR] reindex\n\n"
                   "Rebuild the search index (DIR/index/) from the documents in the store.\n"
                   "Searches keep working on the old index until the new one is complete.\n");
            return 0;
        default: return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "%s: reindex: unexpected argument '%s'\n", cli->prog, argv[optind]);
        return 2;
    }
    struct sc_library *lib = cli_open_library(cli, 0);
    if (!lib)
        return 2;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct sc_diag d = {0};
    cli_tune_memory_for_batch();
    enum sc_err e = sc_index_rebuild(lib, &d);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    int status = 0;
    if (e != SC_OK) {
        status = cli_fail(cli, e, "reindex", &d);
    } else {
        double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        printf("index rebuilt in %.2f s (%.1f MB)\n", s, (double)sc_index_bytes(lib) / 1e6);
    }
    sc_library_close(lib);
    return status;
}
