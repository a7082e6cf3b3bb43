/*
 * sucai compile: documents chosen by id or by query become one 汇编 (title,
 * 目录 with page numbers, every article on a new page) as .docx, .txt or
 * .md. The writing half (format from the output's extension, atomic write,
 * stdout) is shared with `sucai export` (cmd_export.c).
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Write data to path through a temporary file and a rename, so a reader
 * never sees half a file. */
static int write_file(const char *cmd, const char *path, const struct sc_buf *data)
{
    struct sc_buf tmp = SC_BUF_INIT;
    sc_buf_addf(&tmp, "%s.tmp%ld", path, (long)getpid());
    if (sc_buf_err(&tmp) != SC_OK) {
        fprintf(stderr, "sucai %s: out of memory\n", cmd);
        return 2;
    }
    FILE *f = fopen(tmp.data, "wb");
    int ok = f && fwrite(data->data, 1, data->len, f) == data->len;
    if (f && fclose(f) != 0)
        ok = 0;
    if (ok && rename(tmp.data, path) != 0)
        ok = 0;
    if (!ok) {
        fprintf(stderr, "sucai %s: cannot write '%s': %s\n", cmd, path, strerror(errno));
        if (f)
            remove(tmp.data);
    }
    sc_buf_release(&tmp);
    return ok ? 0 : 2;
}

int cli_compile_run(struct cli *cli, const char *cmd, struct compile_job *job, compile_fn *fn,
                    void *ctx)
{
    /* the format: --format, else the output's extension, else .docx */
    int to_stdout = job->output && !strcmp(job->output, "-");
    if (job->format) {
        if (sc_export_format_parse(job->format, &job->opts.format) != 0) {
            fprintf(stderr, "sucai %s: unknown format '%s' (docx, txt or md)\n", cmd, job->format);
            return 2;
        }
    } else if (job->output && !to_stdout) {
        const char *base = strrchr(job->output, '/');
        base = base ? base + 1 : job->output;
        const char *dot = strrchr(base, '.');
        if (dot && dot != base && sc_export_format_from_path(job->output, &job->opts.format)) {
            fprintf(stderr,
                    "sucai %s: cannot write '%s' files; use .docx, .txt or .md, or --format\n", cmd,
                    dot);
            return 2;
        }
    }
    if (to_stdout && job->opts.format == SC_EXPORT_DOCX && isatty(STDOUT_FILENO)) {
        fprintf(stderr,
                "sucai %s: not writing a .docx to a terminal; use -o FILE or "
                "--format txt\n",
                cmd);
        return 2;
    }
    job->opts.created = time(NULL);

    struct sc_library *lib = cli_open_library(cli, SC_LIBRARY_READONLY);
    if (!lib)
        return 2;
    struct sc_buf out = SC_BUF_INIT;
    struct sc_compile_info info;
    struct sc_diag d = { 0 };
    enum sc_err e = fn(ctx, lib, &job->opts, &out, &info, &d);
    sc_library_close(lib);
    if (e != SC_OK) {
        sc_buf_release(&out);
        return cli_fail(cli, e, cmd, &d);
    }

    int rc = 0;
    struct sc_buf name = SC_BUF_INIT;
    const char *path = job->output;
    if (!path) {
        /* no -o: a file named after the title, never over an existing one */
        sc_export_file_name(info.title, job->opts.format, &name);
        path = name.data;
        if (sc_buf_err(&name) != SC_OK) {
            fprintf(stderr, "sucai %s: out of memory\n", cmd);
            rc = 2;
        } else if (access(path, F_OK) == 0) {
            fprintf(stderr, "sucai %s: '%s' exists; name the output with -o\n", cmd, path);
            rc = 1;
        }
    }
    if (rc == 0) {
        if (to_stdout) {
            if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
                fprintf(stderr, "sucai %s: cannot write to stdout: %s\n", cmd, strerror(errno));
                rc = 2;
            }
        } else {
            rc = write_file(cmd, path, &out);
        }
    }
    if (rc == 0 && !job->quiet) {
        fprintf(stderr, "%s: %s, %zu document%s, %d page%s", to_stdout ? "stdout" : path,
                info.title, info.ndocs, info.ndocs == 1 ? "" : "s", info.pages,
                info.pages == 1 ? "" : "s");
        if (info.omitted_docs)
            fprintf(stderr, ", paid text of %zu document%s left out (%lld characters)",
                    info.omitted_docs, info.omitted_docs == 1 ? "" : "s",
                    (long long)info.omitted_chars);
        fputc('\n', stderr);
    }
    sc_buf_release(&name);
    sc_buf_release(&out);
    sc_compile_info_release(&info);
    return rc;
}

/* ---- sucai compile ---- */

struct compile_ctx {
    int64_t *ids;
    size_t nids;
    const char *query;
    size_t limit;
};

static enum sc_err run_compile(void *ctx, struct sc_library *lib,
                               const struct sc_compile_opts *opts, struct sc_buf *out,
                               struct sc_compile_info *info, struct sc_diag *diag)
{
    struct compile_ctx *c = ctx;
    if (c->query) {
        /* the operator's --free preview: paid parts match, nothing counted */
        struct sc_caller who;
        sc_caller_operator(lib, opts->entitled, &who);
        struct sc_compile_opts o = *opts;
        o.caller = &who;
        return sc_compile_query(lib, c->query, c->limit, &o, out, info, diag);
    }
    return sc_compile_ids(lib, c->ids, c->nids, opts, out, info, diag);
}

/* Append the ids in s ("12,7,31" or "12 7 31") to c; -1 on a bad one. */
static int add_ids(struct compile_ctx *c, const char *s)
{
    while (*s) {
        while (*s == ',' || *s == ' ')
            s++;
        if (!*s)
            break;
        char *end;
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (end == s || errno || v < 1 || (*end && *end != ',' && *end != ' '))
            return -1;
        if (c->nids >= SC_MAX_COMPILE_DOCS)
            return -2;
        int64_t *n = sc_reallocarray(c->ids, c->nids + 1, sizeof *n);
        if (!n)
            return -3;
        c->ids = n;
        c->ids[c->nids++] = v;
        s = end;
    }
    return 0;
}

static void compile_usage(FILE *f)
{
    fprintf(f,
            "usage: sucai [-L DIR] compile (--ids 12,7,31 | ID... | --query Q [--limit N])\n"
            "                             [--title T] [--format docx|txt|md] [--free]\n"
            "                             [-o FILE|-] [-q]\n\n"
            "Compile documents into a 汇编: a title, a 目录 with page numbers, then every\n"
            "article on a new page, laid out per GB/T 9704-2012 (A4, 22 lines x 28\n"
            "characters, 仿宋 body, 黑体/楷体 headings, page numbers in the footer).\n\n"
            "  --ids LIST     documents by id, in this order (or give the ids as arguments)\n"
            "  --query Q      the top hits of a search, in rank order (see `sucai search`)\n"
            "  --limit N      how many hits --query takes (default 20, at most %d)\n"
            "  --title T      the title (default: <common theme>汇编（N篇）)\n"
            "  --format F     docx, txt or md (default: from the -o extension, else docx)\n"
            "  --free         leave out paid parts, as for a reader without membership\n"
            "  -o FILE        where to write; - for stdout (default: a file named after\n"
            "                 the title in the current folder)\n"
            "  -q, --quiet    no summary line on stderr\n",
            SC_MAX_LIMIT);
}

int cmd_compile(struct cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "ids", required_argument, NULL, 'i' },    { "query", required_argument, NULL, 'Q' },
        { "limit", required_argument, NULL, 'n' },  { "title", required_argument, NULL, 't' },
        { "format", required_argument, NULL, 'f' }, { "free", no_argument, NULL, 'F' },
        { "output", required_argument, NULL, 'o' }, { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 },
    };
    struct compile_job job;
    memset(&job, 0, sizeof job);
    job.opts.entitled = 1; /* the CLI works on the library itself */
    struct compile_ctx c = { NULL, 0, NULL, 20 };
    int rc = 2, ch, r;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "i:Q:n:t:f:Fo:qh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'i':
            if ((r = add_ids(&c, optarg)) != 0) {
                fprintf(stderr,
                        r == -1 ? "sucai compile: '%s' is not a list of document ids\n"
                                : "sucai compile: too many ids in '%s'\n",
                        optarg);
                goto out;
            }
            break;
        case 'Q': c.query = optarg; break;
        case 'n':
            if (cli_parse_size(optarg, &c.limit) != 0 || c.limit < 1 || c.limit > SC_MAX_LIMIT) {
                fprintf(stderr, "sucai compile: --limit must be 1 to %d\n", SC_MAX_LIMIT);
                goto out;
            }
            break;
        case 't': job.opts.title = optarg; break;
        case 'f': job.format = optarg; break;
        case 'F': job.opts.entitled = 0; break;
        case 'o': job.output = optarg; break;
        case 'q': job.quiet = 1; break;
        case 'h':
            compile_usage(stdout);
            rc = 0;
            goto out;
        default: compile_usage(stderr); goto out;
        }
    }
    for (int i = optind; i < argc; i++)
        if ((r = add_ids(&c, argv[i])) != 0) {
            fprintf(stderr, "sucai compile: '%s' is not a document id\n", argv[i]);
            goto out;
        }
    if (!c.query == !c.nids) {
        fprintf(stderr, c.query ? "sucai compile: give ids or --query, not both\n"
                                : "sucai compile: which documents? give --ids or --query\n");
        compile_usage(stderr);
        goto out;
    }
    if (job.opts.title && strlen(job.opts.title) > SC_MAX_COMPILE_TITLE) {
        fprintf(stderr, "sucai compile: --title is longer than %d bytes\n", SC_MAX_COMPILE_TITLE);
        goto out;
    }
    rc = cli_compile_run(cli, "compile", &job, run_compile, &c);
out:
    free(c.ids);
    return rc;
}
