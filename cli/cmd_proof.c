/*
 * sucai proof: proofread a 公文 draft (校对).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: sucai [-L DIR] proof [--json] [--kinds LIST] FILE|-\n\n"
    "Proofread a 公文 draft: heading numbers (numbering_gap, numbering_dup,\n"
    "numbering_order), doubled characters (doubled_char), leftover template slots\n"
    "(placeholder), letters left by word filters (filter_artefact), half-width\n"
    "punctuation (punct_width), unpaired brackets and quotes (bracket_unbalanced,\n"
    "quote_unbalanced), 发文字号 (doc_number), 成文日期 (date_format) and commonly\n"
    "confused words (confusable). Each finding names the rule and the clause of\n"
    "GB/T 9704-2012, GB/T 15834-2011 or GB/T 15835-2011 it rests on.\n\n"
    "FILE is UTF-8 text (one paragraph per line), or .docx / GBK / UTF-16, which\n"
    "are decoded first; - reads standard input.\n\n"
    "Options:\n"
    "  --json         {\"findings\": [{\"start\", \"end\", \"kind\", \"rule\", \"message\",\n"
    "                 \"suggestion\", \"severity\", \"text\"}], \"chars\"}; offsets in code\n"
    "                 points of the input, end exclusive\n"
    "  --kinds LIST   only these kinds (comma-separated names as above)\n"
    "  -L DIR         also learn which doubled characters are words from this\n"
    "                 library's own text (also $SUCAI_LIBRARY); without it the\n"
    "                 frequency list shipped with sucai is used\n\n"
    "Output without --json: FILE:LINE:COL: severity: kind: message [→ suggestion].\n"
    "Exit status: 0 whether or not there are findings, 1 input refused (malformed or\n"
    "too large), 2 usage or an unreadable file.\n";

/* 1-based line and column (in characters) of byte offset off. */
static void line_col(const char *t, size_t off, size_t *line, size_t *col)
{
    size_t l = 1, ls = 0;
    for (size_t i = 0; i < off; i++)
        if (t[i] == '\n') {
            l++;
            ls = i + 1;
        }
    *line = l;
    *col = sc_utf8_count(t + ls, off - ls) + 1;
}

int cmd_proof(struct cli *cli, int argc, char **argv)
{
    int json = 0;
    const char *file = NULL, *kinds = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (!strcmp(a, "--kinds")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "sucai proof: --kinds needs a list of kinds\n");
                return 2;
            }
            kinds = argv[++i];
        } else if (!strncmp(a, "--kinds=", 8)) {
            kinds = a + 8;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "sucai proof: unknown option '%s'; see `sucai proof --help`\n", a);
            return 2;
        } else if (file) {
            fprintf(stderr, "sucai proof: one file at a time ('%s' and '%s')\n", file, a);
            return 2;
        } else {
            file = a;
        }
    }
    if (!file) {
        fputs(usage, stderr);
        return 2;
    }
    struct sc_proof_opts opts = { 0 };
    struct sc_diag d = { 0 };
    if (kinds && sc_proof_kinds_parse(kinds, &opts.kinds, &d) != SC_OK) {
        fprintf(stderr, "sucai proof: %s\n", d.msg);
        return 2;
    }
    struct sc_library *lib = NULL;
    if (cli->library_dir || getenv("SUCAI_LIBRARY")) {
        lib = cli_open_library(cli, SC_LIBRARY_READONLY);
        if (!lib)
            return 2;
        opts.count = sc_proof_library_counter;
        opts.count_ctx = lib;
    }
    struct sc_buf text = SC_BUF_INIT;
    enum sc_err e = cli_read_draft(file, SC_PROOF_MAX_BYTES, &text, &d);
    if (e != SC_OK) {
        sc_library_close(lib);
        return cli_fail(cli, e, file, &d);
    }
    struct sc_proof_result r;
    e = sc_proof_run(text.data, text.len, &opts, &r, &d);
    int rc = 0;
    if (e != SC_OK) {
        rc = cli_fail(cli, e, file, &d);
    } else if (json) {
        struct sc_buf out = SC_BUF_INIT;
        struct sc_jw w;
        sc_jw_init(&w, &out);
        sc_proof_json(&w, text.data, text.len, &r);
        if (sc_jw_finish(&w) != SC_OK)
            rc = cli_fail(cli, SC_ENOMEM, file, NULL);
        else
            cli_print_buf(&out);
        sc_buf_release(&out);
    } else {
        for (size_t i = 0; i < r.n; i++) {
            const struct sc_finding *f = &r.items[i];
            size_t line, col;
            line_col(text.data, f->start, &line, &col);
            printf("%s:%zu:%zu: %s: %s: %s", file, line, col,
                   sc_proof_severity_name(f->severity), sc_proof_kind_name(f->kind),
                   f->message);
            if (f->suggestion)
                printf(" → %s", f->suggestion);
            printf("\n");
        }
    }
    sc_proof_result_release(&r);
    sc_buf_release(&text);
    sc_library_close(lib);
    return rc;
}
