/*
 * sucai check: 查重 from the command line. One draft (a file or - for
 * standard input) against the library, or against a second draft
 * (--with); --batch checks one file per line of standard input while the
 * library stays open (the form the benchmark uses).
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct check_cli {
    int json, batch, color, with_text;
    const char *with, *docx;
    struct sc_check_opts o;
};

static void usage(void)
{
    printf(
        "usage: sucai [-L DIR] check [--json] [--min N] [--common N] [--sources N]\n"
        "                         [--entitled] [--text] [--docx OUT] FILE|-\n"
        "       sucai check [--json] [--min N] --with OTHER FILE|-\n"
        "       sucai [-L DIR] check --batch [--json] ... < list-of-files\n\n"
        "查重: which stretches of a draft already stand in the library, and where.\n"
        "A span is a stretch of at least --min characters (default %d) that stands,\n"
        "after the search normalisation (full-width folded, Latin lower-cased,\n"
        "zero-width characters and spaces between ideographs dropped), inside one\n"
        "paragraph of a library document; every such stretch is reported. Spans that\n"
        "stand in at least --common documents (default %d) are 常用表述: listed, but\n"
        "not counted in the 总重复率 (copied characters / all characters).\n\n"
        "  FILE          .txt (UTF-8 as it is; GBK, UTF-16 converted), .docx or .md;\n"
        "                - reads standard input (at most %d characters)\n"
        "  --min N       shortest span (%d to %d)\n"
        "  --common N    documents that make a span 常用表述\n"
        "  --sources N   sources listed per span (default %d, at most %d)\n"
        "  --entitled    show the text of sources in paid ranges\n"
        "  --json        {\"chars\", \"overlap\", \"spans\": [{\"start\", \"end\", \"common\",\n"
        "                \"docs\", \"sources\": [{\"id\", \"title\", \"paragraph\", \"section\",\n"
        "                \"start\", \"end\", \"paid\", \"text\"}]}], \"sections\": [{\"heading\",\n"
        "                \"start\", \"end\", \"overlap\"}]}; offsets in code points of FILE\n"
        "  --text        add the draft's text to --json (always there when FILE was\n"
        "                converted: .docx, .md, another encoding)\n"
        "  --docx OUT    also write the report as a .docx with the spans highlighted\n"
        "  --with OTHER  compare FILE with the draft OTHER instead of the library\n"
        "  --batch       read one file name per line from stdin, answer one line each\n",
        SC_CHECK_MIN, SC_CHECK_COMMON, SC_CHECK_MAX_CHARS, SC_CHECK_MIN_LO, SC_CHECK_MIN_HI,
        SC_CHECK_SOURCES, SC_CHECK_SOURCES_MAX);
}

/* The draft from a file (or stdin for "-"); converted says it is not the
 * bytes given. */
static enum sc_err read_draft(const char *path, struct sc_buf *out, int *converted,
                              struct sc_diag *diag)
{
    char *data = NULL;
    size_t len = 0;
    enum sc_err e;
    if (strcmp(path, "-") == 0) {
        struct sc_buf in = SC_BUF_INIT;
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
            sc_buf_add(&in, chunk, n);
            if (in.len > SC_MAX_FILE_BYTES)
                break;
        }
        if (ferror(stdin)) {
            sc_buf_release(&in);
            return sc_diag_set(diag, SC_EIO, "cannot read standard input");
        }
        if (sc_buf_err(&in) != SC_OK) {
            sc_buf_release(&in);
            return sc_diag_set(diag, SC_ENOMEM, "out of memory");
        }
        if (in.len > SC_MAX_FILE_BYTES) {
            sc_buf_release(&in);
            return sc_diag_set(diag, SC_ELIMIT, "input too large (the limit is %u MiB)",
                               SC_MAX_FILE_BYTES >> 20);
        }
        len = in.len;
        data = sc_buf_take(&in, NULL);
        if (!data)
            return sc_diag_set(diag, SC_ENOMEM, "out of memory");
        e = sc_check_draft("stdin.txt", data, len, out, diag);
    } else {
        e = sc_read_file(path, SC_MAX_FILE_BYTES, &data, &len, diag);
        if (e == SC_OK)
            e = sc_check_draft(path, data, len, out, diag);
    }
    *converted = e == SC_OK && (out->len != len || memcmp(out->data, data, len) != 0);
    free(data);
    return e;
}

/* A stretch of the draft on one line, at most max code points. */
static void excerpt(struct sc_buf *b, const char *t, size_t s, size_t e, size_t max)
{
    size_t n = 0;
    for (size_t i = s; i < e && n < max;) {
        uint32_t cp;
        size_t k = sc_utf8_decode(t + i, e - i, &cp);
        if (!k)
            k = 1;
        if (cp == '\n' || cp == '\r')
            sc_buf_addc(b, ' ');
        else
            sc_buf_add(b, t + i, k);
        i += k;
        if (++n == max && i < e)
            sc_buf_adds(b, "…");
    }
}

static void human(struct sc_buf *b, const char *text, size_t len, const struct sc_check_result *r,
                  const struct check_cli *cc)
{
    sc_buf_addf(b, "总重复率 %.1f%%  (%zu of %zu characters copied", r->overlap * 100.0, r->copied,
                r->chars);
    if (r->common)
        sc_buf_addf(b, "; %zu in 常用表述", r->common);
    sc_buf_addf(b, "; %zu spans; %.1f ms)\n", r->nspans, r->took_ms);
    if (r->nsections) {
        sc_buf_adds(b, "\n");
        for (size_t i = 0; i < r->nsections; i++) {
            const struct sc_check_section *s = &r->sections[i];
            sc_buf_addf(b, "%6.1f%%  %*s%s%s\n", s->overlap * 100.0, 2 * (s->level - 1), "",
                        s->label, s->heading);
        }
    }
    const char *open = cc->color ? "\033[1;31m" : "", *close = cc->color ? "\033[0m" : "";
    for (int pass = 0; pass < 2; pass++) {
        int header = 0;
        for (size_t i = 0; i < r->nspans; i++) {
            const struct sc_check_span *sp = &r->spans[i];
            if (sp->common != pass)
                continue;
            if (!header++)
                sc_buf_adds(b, pass ? "\n常用表述\n" : "\n");
            size_t cs = sc_utf8_count(text, sp->start),
                   ce = cs + sc_utf8_count(text + sp->start, sp->end - sp->start);
            sc_buf_addf(b, "[%zu-%zu] %s", cs, ce, open);
            excerpt(b, text, sp->start, sp->end, 60);
            sc_buf_addf(b, "%s\n", close);
            for (size_t k = 0; k < sp->nsources; k++) {
                const struct sc_check_source *s = &sp->sources[k];
                sc_buf_addf(b, "    ← %s", s->title);
                if (s->id)
                    sc_buf_addf(b, " [#%lld]", (long long)s->id);
                if (s->section && *s->section)
                    sc_buf_addf(b, " › %s", s->section);
                sc_buf_addf(b, " (paragraph %lld%s)\n", (long long)s->paragraph,
                            s->paid ? ", paid" : "");
            }
            if (sp->docs > (int64_t)sp->nsources)
                sc_buf_addf(b, "    (in %lld documents)\n", (long long)sp->docs);
        }
    }
    if (r->npaid_only) {
        sc_buf_adds(b, "\n会员内容中另有相同表述 (paid parts, not shown)\n");
        for (size_t i = 0; i < r->npaid_only; i++)
            sc_buf_addf(b, "    %s [#%lld]\n", r->paid_only[i].title,
                        (long long)r->paid_only[i].id);
    } else if (r->paid == SC_PAID_FREE_ONLY) {
        sc_buf_addf(b, "\n(paid parts were not searched: %s)\n", r->paid_why);
    }
    (void)len;
}

/* Write data to path through a temporary file and a rename. */
static enum sc_err write_file(const char *path, const struct sc_buf *data, struct sc_diag *diag)
{
    struct sc_buf tmp = SC_BUF_INIT;
    sc_buf_addf(&tmp, "%s.tmp%ld", path, (long)getpid());
    if (sc_buf_err(&tmp) != SC_OK)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    FILE *f = fopen(tmp.data, "wb");
    int ok = f && fwrite(data->data, 1, data->len, f) == data->len;
    if (f && fclose(f) != 0)
        ok = 0;
    if (ok && rename(tmp.data, path) != 0)
        ok = 0;
    enum sc_err e = SC_OK;
    if (!ok) {
        e = sc_diag_set(diag, SC_EIO, "cannot write %s: %s", path, strerror(errno));
        if (f)
            remove(tmp.data);
    }
    sc_buf_release(&tmp);
    return e;
}

static enum sc_err one(struct sc_library *lib, struct check_cli *cc, const char *path,
                       struct sc_buf *out, struct sc_diag *diag)
{
    struct sc_buf text = SC_BUF_INIT, other = SC_BUF_INIT;
    int converted = 0, oconv = 0;
    struct sc_check_result r;
    memset(&r, 0, sizeof r);
    enum sc_err e = read_draft(path, &text, &converted, diag);
    if (e == SC_OK && cc->with) {
        e = read_draft(cc->with, &other, &oconv, diag);
        if (e == SC_OK)
            e = sc_check_compare(text.data, text.len, other.data, other.len, &cc->o, path, cc->with,
                                 &r, NULL, diag);
    } else if (e == SC_OK) {
        e = sc_check(lib, text.data, text.len, &cc->o, &r, diag);
    }
    if (e == SC_OK) {
        if (cc->json) {
            struct sc_jw w;
            sc_jw_init(&w, out);
            sc_check_json(&w, text.data, text.len, &r, &cc->o,
                          (converted || cc->with_text ? SC_CHECK_JSON_TEXT : 0) |
                              (cc->batch ? 0 : SC_CHECK_JSON_LINES));
            if (sc_jw_finish(&w) != SC_OK)
                e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
            sc_buf_addc(out, '\n');
        } else {
            human(out, text.data, text.len, &r, cc);
        }
    }
    if (e == SC_OK && cc->docx) {
        struct sc_buf doc = SC_BUF_INIT;
        const char *slash = strrchr(path, '/');
        e = sc_check_docx(text.data, text.len, &r, slash ? slash + 1 : path, &doc, diag);
        if (e == SC_OK)
            e = write_file(cc->docx, &doc, diag);
        sc_buf_release(&doc);
    }
    sc_check_result_release(&r);
    sc_buf_release(&text);
    sc_buf_release(&other);
    return e;
}

static int batch(struct cli *cli, struct sc_library *lib, struct check_cli *cc)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int status = 0;
    struct sc_buf out = SC_BUF_INIT;
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0)
            continue;
        sc_buf_reset(&out);
        struct sc_diag d = { 0 };
        enum sc_err e = one(lib, cc, line, &out, &d);
        if (e != SC_OK) {
            sc_buf_reset(&out);
            cli_json_error(&out, d.msg[0] ? d.msg : sc_strerror(e));
            status = 1;
            if (e == SC_ENOMEM || e == SC_ESTORE || e == SC_EUNAVAILABLE) {
                cli_fail(cli, e, "check", &d);
                fwrite(out.data, 1, out.len, stdout);
                status = 2;
                break;
            }
        }
        if (sc_buf_err(&out) != SC_OK) {
            status = cli_fail(cli, SC_ENOMEM, "check", NULL);
            break;
        }
        fwrite(out.data, 1, out.len, stdout);
        fflush(stdout);
    }
    free(line);
    sc_buf_release(&out);
    return status;
}

static int size_opt(struct cli *cli, const char *name, size_t lo, size_t hi, size_t *out)
{
    if (cli_parse_size(optarg, out) || *out < lo || *out > hi) {
        fprintf(stderr, "%s: check: %s takes a number from %zu to %zu\n", cli->prog, name, lo, hi);
        return -1;
    }
    return 0;
}

int cmd_check(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        { "json", no_argument, NULL, 'j' },
        { "min", required_argument, NULL, 'm' },
        { "common", required_argument, NULL, 'c' },
        { "sources", required_argument, NULL, 's' },
        { "entitled", no_argument, NULL, 'e' },
        { "text", no_argument, NULL, 't' },
        { "docx", required_argument, NULL, 'd' },
        { "with", required_argument, NULL, 'w' },
        { "batch", no_argument, NULL, 'b' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct check_cli cc;
    memset(&cc, 0, sizeof cc);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "jm:c:s:etd:w:bh", opts, NULL)) != -1) {
        switch (c) {
        case 'j': cc.json = 1; break;
        case 'e': cc.o.entitled = 1; break;
        case 't': cc.with_text = 1; break;
        case 'b': cc.batch = 1; break;
        case 'd': cc.docx = optarg; break;
        case 'w': cc.with = optarg; break;
        case 'm':
            if (size_opt(cli, "--min", SC_CHECK_MIN_LO, SC_CHECK_MIN_HI, &cc.o.min))
                return 2;
            break;
        case 'c':
            if (size_opt(cli, "--common", 1, 1000000000, &cc.o.common))
                return 2;
            break;
        case 's':
            if (size_opt(cli, "--sources", 1, SC_CHECK_SOURCES_MAX, &cc.o.max_sources))
                return 2;
            break;
        case 'h': usage(); return 0;
        default: return 2;
        }
    }
    if (cc.batch ? optind != argc : optind + 1 != argc) {
        fprintf(stderr, "%s: check: %s (see sucai check --help)\n", cli->prog,
                cc.batch ? "--batch reads file names from stdin, not arguments"
                         : "one FILE (or - for standard input) is needed");
        return 2;
    }
    if (cc.batch && cc.docx) {
        fprintf(stderr, "%s: check: --docx writes one report; not with --batch\n", cli->prog);
        return 2;
    }
    cc.color = !cc.json && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    struct sc_library *lib = NULL;
    if (!cc.with && !(lib = cli_open_library(cli, 0)))
        return 2;
    /* the operator sees what a reader would, and nothing is counted */
    struct sc_caller who;
    if (lib) {
        sc_caller_operator(lib, cc.o.entitled, &who);
        cc.o.caller = &who;
    }
    int status;
    if (cc.batch) {
        status = batch(cli, lib, &cc);
    } else {
        struct sc_buf out = SC_BUF_INIT;
        struct sc_diag d = { 0 };
        const char *path = argv[optind];
        enum sc_err e = one(lib, &cc, path, &out, &d);
        if (e == SC_OK && sc_buf_err(&out) != SC_OK)
            e = SC_ENOMEM;
        if (e != SC_OK) {
            status = cli_fail(cli, e, strcmp(path, "-") == 0 ? "stdin" : path, &d);
        } else {
            if (cc.json)
                fwrite(out.data, 1, out.len, stdout);
            else
                cli_print_buf(&out);
            status = 0;
        }
        sc_buf_release(&out);
    }
    if (lib)
        sc_library_close(lib);
    return status;
}
