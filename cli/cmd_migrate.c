/*
 * sucai migrate: bring a library (a folder or PostgreSQL) made by an older
 * sucai up to this binary's schema, and say what changed. Any command that
 * opens a library to write does the same on the way; this one does only
 * that, and tells. A library made by a newer sucai is refused by name.
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

#define MAX_PARTS 16

/* The schema as a read-only open sees it (no schema work): *n parts. */
static int schema_now(struct cli *cli, int flags, struct sc_schema_part *out, size_t *n)
{
    struct sc_library *lib = cli_open_library(cli, flags);
    if (!lib)
        return -1;
    *n = sc_library_schema(lib, out, MAX_PARTS);
    if (*n > MAX_PARTS)
        *n = MAX_PARTS;
    sc_library_close(lib);
    return 0;
}

int cmd_migrate(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c, json = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = 1; break;
        case 'h':
            printf("usage: sucai [-L DIR] migrate [--json]\n\n"
                   "Bring the library's tables up to this sucai's schema (a library made\n"
                   "by an older sucai), part by part, and print each part's version before\n"
                   "and after. Nothing to do: says so. A library made by a newer sucai is\n"
                   "refused. Exit status: 0 done, 2 a library error.\n\n"
                   "  --json   {\"parts\": [{\"part\", \"from\", \"to\"}], \"changed\": N}\n");
            return 0;
        default: return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "%s: migrate: unexpected argument '%s'\n", cli->prog, argv[optind]);
        return 2;
    }
    struct sc_schema_part before[MAX_PARTS], after[MAX_PARTS];
    size_t nb = 0, na = 0;
    if (schema_now(cli, SC_LIBRARY_READONLY, before, &nb) != 0)
        return 2;
    /* opened to write: every part migrates */
    if (schema_now(cli, 0, after, &na) != 0)
        return 2;
    size_t changed = 0;
    struct sc_buf b = SC_BUF_INIT;
    struct sc_jw w;
    sc_jw_init(&w, &b);
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_jw_key(&w, "parts");
    sc_jw_arr(&w, SC_JW_INLINE);
    for (size_t i = 0; i < na; i++) {
        int from = i < nb ? before[i].have : 0;
        changed += from != after[i].have;
        sc_jw_obj(&w, SC_JW_INLINE);
        sc_jw_kstrz(&w, "part", after[i].name);
        sc_jw_kint(&w, "from", from);
        sc_jw_kint(&w, "to", after[i].have);
        sc_jw_obj_end(&w);
        if (!json) {
            if (from != after[i].have)
                printf("%-8s %d -> %d\n", after[i].name, from, after[i].have);
            else
                printf("%-8s %d (up to date)\n", after[i].name, from);
        }
    }
    sc_jw_arr_end(&w);
    sc_jw_kint(&w, "changed", (int64_t)changed);
    sc_jw_obj_end(&w);
    sc_buf_addc(&b, '\n');
    int status = 0;
    if (sc_jw_finish(&w) != SC_OK) {
        fprintf(stderr, "%s: migrate: out of memory\n", cli->prog);
        status = 2;
    } else if (json) {
        fwrite(b.data, 1, b.len, stdout);
    } else if (!changed) {
        printf("the library is up to date\n");
    }
    sc_buf_release(&b);
    return status;
}
