/*
 * sucai debug: the pipeline's stages one at a time, text in, text out, for
 * golden tests and for looking at what the importer sees.
 *   debug normalize [FILE|-]   the search normalisation of UTF-8 text
 *   debug decode FILE          intake: the decoded text of a .txt/.docx/.md
 *   debug parse FILE           decode + 公文 parse: articles, outline, boilerplate as JSON
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int read_input(const char *path, char **data, size_t *len)
{
    if (!path || !strcmp(path, "-")) {
        struct sc_buf b = SC_BUF_INIT;
        b.max = SC_MAX_FILE_BYTES;
        char chunk[65536];
        ssize_t n;
        while ((n = read(STDIN_FILENO, chunk, sizeof chunk)) > 0)
            sc_buf_add(&b, chunk, (size_t)n);
        if (b.failed || n < 0) {
            sc_buf_release(&b);
            fprintf(stderr, "sucai debug: cannot read standard input\n");
            return -1;
        }
        *data = sc_buf_take(&b, len);
        return *data ? 0 : -1;
    }
    struct sc_diag d = { 0 };
    if (sc_read_file(path, SC_MAX_FILE_BYTES, data, len, &d) != SC_OK) {
        fprintf(stderr, "sucai debug: %s: %s\n", path, d.msg);
        return -1;
    }
    return 0;
}

int cmd_debug(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        FILE *f = argc < 2 ? stderr : stdout;
        fprintf(f, "usage: sucai debug normalize [FILE|-]\n"
                   "       sucai debug decode FILE\n"
                   "       sucai debug parse FILE\n");
        return argc < 2 ? 2 : 0;
    }
    const char *stage = argv[1], *path = argc > 2 ? argv[2] : NULL;
    char *data;
    size_t len;
    if (!strcmp(stage, "normalize")) {
        if (read_input(path, &data, &len))
            return 1;
        size_t bad;
        if (!sc_utf8_valid(data, len, &bad)) {
            fprintf(stderr, "sucai debug: %s: not valid UTF-8 at byte %zu\n", path ? path : "-",
                    bad);
            free(data);
            return 1;
        }
        struct sc_buf out = SC_BUF_INIT;
        enum sc_err e = sc_normalize(data, len, &out, NULL);
        free(data);
        if (e == SC_OK)
            fwrite(out.data, 1, out.len, stdout);
        sc_buf_release(&out);
        return e == SC_OK ? 0 : 2;
    }
    if (!strcmp(stage, "decode") || !strcmp(stage, "parse")) {
        if (!path) {
            fprintf(stderr, "sucai debug %s: give a file\n", stage);
            return 2;
        }
        if (read_input(path, &data, &len))
            return 1;
        struct sc_ingested in;
        sc_ingested_init(&in);
        struct sc_parsed parsed = { 0 };
        struct sc_diag d = { 0 };
        enum sc_err e = sc_ingest_bytes(path, data, len, &in, &d);
        free(data);
        if (e == SC_OK && !strcmp(stage, "decode")) {
            printf("# format %d, encoding %s, title %s\n", (int)in.format, in.encoding,
                   in.title_hint ? in.title_hint : "-");
            fwrite(in.text.data, 1, in.text.len, stdout);
            putchar('\n');
        } else if (e == SC_OK) {
            e = sc_gongwen_parse(in.text.data, in.text.len, in.title_hint, &parsed, &d);
            if (e == SC_OK) {
                struct sc_buf b = SC_BUF_INIT;
                sc_parsed_json(&b, &parsed);
                cli_print_buf(&b);
                sc_buf_release(&b);
            }
        }
        if (e != SC_OK)
            fprintf(stderr, "sucai debug: %s: %s\n", path, d.msg[0] ? d.msg : sc_strerror(e));
        sc_parsed_release(&parsed);
        sc_ingested_release(&in);
        return sc_err_exit_code(e);
    }
    fprintf(stderr, "sucai debug: unknown stage '%s'\n", stage);
    return 2;
}
