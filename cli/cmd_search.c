/*
 * sucai search: 精准搜索 from the command line, one query (arguments) or
 * many (--batch, one per line on stdin, answered one line each while the
 * library stays open: the form benchmarks and scripts use).
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct search_cli {
    int json, count, batch, color;
    struct sc_search_opts o;
};

static void usage(void)
{
    printf("usage: sucai [-L DIR] search [--json] [--para] [--limit N] [--offset N] [--entitled]\n"
           "                          [--facets] [--count] QUERY...\n"
           "       sucai [-L DIR] search --batch [--json] [--count] [--para] ... < queries\n\n"
           "Exact substring search over the normalised text of every paragraph.\n"
           "  依法行政 营商环境     both terms (AND)\n"
           "  \"政 府 采购\"          a term with spaces\n"
           "  A | B, A OR B        either\n"
           "  -term                without\n"
           "  ( ... )              grouping\n"
           "  title:… genre:工作总结 year:2023 year:2019-2023 unit:发改局 level:区\n"
           "  section:问题|做法|成效|打算|情况|注释|其他 (or problems, work, results,\n"
           "  plans, overview, notes, other): match only inside sections of that kind\n"
           "  docno:国发〔2019〕4号 (发文字号, typed any way: docno:\"国发2019 4号\"; a part such\n"
           "  as docno:国发2019 matches as a substring)  date:2019-01-27 date:2019-01 date:2019\n"
           "  date:2019-01..2019-03 (成文日期)\n\n"
           "  --para        one hit per matching paragraph, with its section path\n"
           "  --limit N     hits to show (default 20, at most %d); --offset N skips\n"
           "  --entitled    answer as a reader who may read paid text (it counts and shows);\n"
           "                without it, what one who may not gets: paid parts do not match\n"
           "                or show, documents found only there are listed as such\n"
           "  --count       print only the number of matching documents (paragraphs)\n"
           "  --json        {\"total\", \"took_ms\", \"hits\": [{\"id\", \"title\", \"score\", "
           "\"count\",\n"
           "                \"paid\", \"paid_only\", \"snippets\": [{\"text\", \"highlights\", "
           "\"start\",\n"
           "                \"section\"}]}], \"paid_parts\"}\n"
           "  --facets      add facet counts (genre, year, level, section kind) to --json\n"
           "  --batch       read one query per line from stdin, answer one line each\n",
           SC_MAX_LIMIT);
}

/* Human form of one snippet, with the highlights marked. */
static void snippet_text(struct sc_buf *b, const struct sc_snippet *s, int color)
{
    if (!s->text) {
        sc_buf_adds(b, "[付费内容，开通会员后可见]");
        return;
    }
    const char *open = color ? "\033[1;31m" : "【", *close = color ? "\033[0m" : "】";
    size_t len = strlen(s->text), at = 0;
    for (size_t i = 0; i < s->nhighlights; i++) {
        size_t hs, he;
        if (sc_snippet_mark(s, i, &hs, &he) != 0 || hs < at || he < hs)
            continue;
        sc_buf_add(b, s->text + at, hs - at);
        sc_buf_adds(b, open);
        sc_buf_add(b, s->text + hs, he - hs);
        sc_buf_adds(b, close);
        at = he;
    }
    sc_buf_add(b, s->text + at, len - at);
}

static void human(struct sc_buf *b, const struct sc_results *r, const struct search_cli *sc)
{
    int para = sc->o.mode == SC_SEARCH_PARA;
    sc_buf_addf(b, "%lld %s (%.1f ms)\n", (long long)r->total, para ? "paragraphs" : "documents",
                r->took_ms);
    if (r->paid_only)
        sc_buf_addf(b, "(%lld of them found only in the paid part)\n", (long long)r->paid_only);
    for (size_t i = 0; i < r->nhits; i++) {
        const struct sc_hit *h = &r->hits[i];
        sc_buf_addf(b, "\n%zu. %s%s%s  [#%lld", sc->o.offset + i + 1, sc->color ? "\033[1m" : "",
                    h->title ? h->title : "", sc->color ? "\033[0m" : "", (long long)h->id);
        if (h->year > 0)
            sc_buf_addf(b, ", %d", h->year);
        if (h->genre)
            sc_buf_addf(b, ", %s", h->genre);
        if (h->paid_only)
            sc_buf_adds(b, ", found in the paid part]\n   [付费内容，开通会员后可见]\n");
        else
            sc_buf_addf(b, ", score %.2f, %lld matches%s]\n", h->score, (long long)h->count,
                        h->paid ? ", paid" : "");
        if (para)
            sc_buf_addf(b, "   paragraph %lld%s%s\n", (long long)h->paragraph,
                        h->section && *h->section ? " · " : "", h->section ? h->section : "");
        for (size_t k = 0; k < h->nsnippets; k++) {
            const struct sc_snippet *s = &h->snippets[k];
            sc_buf_adds(b, "   ");
            if (!para && s->section && *s->section)
                sc_buf_addf(b, "(%s) ", s->section);
            snippet_text(b, s, sc->color);
            sc_buf_addc(b, '\n');
        }
    }
}

/* Run one query and append its answer to out; returns the error. */
static enum sc_err one(struct sc_library *lib, struct search_cli *sc, const char *q,
                       struct sc_buf *out, struct sc_diag *diag)
{
    struct sc_results r;
    sc->o.query = q;
    enum sc_err e = sc_search(lib, &sc->o, &r, diag);
    if (e == SC_OK) {
        if (sc->count)
            sc_buf_addf(out, "%lld\n", (long long)r.total);
        else if (sc->json) {
            sc_results_json(out, &r, sc->o.mode);
            sc_buf_addc(out, '\n');
        } else if (sc->batch) {
            /* one line: total, then the ids */
            sc_buf_addf(out, "%lld\t", (long long)r.total);
            for (size_t i = 0; i < r.nhits; i++)
                sc_buf_addf(out, "%s%lld", i ? "," : "", (long long)r.hits[i].id);
            sc_buf_addc(out, '\n');
        } else {
            human(out, &r, sc);
        }
    }
    sc_results_release(&r);
    return e;
}

static int batch(struct cli *cli, struct sc_library *lib, struct search_cli *sc)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int status = 0;
    struct sc_buf out = SC_BUF_INIT;
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        sc_buf_reset(&out);
        struct sc_diag d = {0};
        enum sc_err e = one(lib, sc, line, &out, &d);
        if (e != SC_OK) {
            sc_buf_reset(&out);
            if (sc->json) {
                cli_json_error(&out, d.msg[0] ? d.msg : sc_strerror(e));
            } else {
                sc_buf_addf(&out, "error: %s\n", d.msg[0] ? d.msg : sc_strerror(e));
            }
            status = 1;
            if (e == SC_ENOMEM || e == SC_ESTORE || e == SC_EIO || e == SC_EUNAVAILABLE) {
                cli_fail(cli, e, "search", &d);
                fwrite(out.data, 1, out.len, stdout);
                status = 2;
                break;
            }
        }
        if (sc_buf_err(&out) != SC_OK) {
            status = cli_fail(cli, SC_ENOMEM, "search", NULL);
            break;
        }
        fwrite(out.data, 1, out.len, stdout);
        fflush(stdout);
    }
    free(line);
    sc_buf_release(&out);
    return status;
}

int cmd_search(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},     {"para", no_argument, NULL, 'p'},
        {"limit", required_argument, NULL, 'n'}, {"offset", required_argument, NULL, 'o'},
        {"entitled", no_argument, NULL, 'e'}, {"count", no_argument, NULL, 'c'},
        {"batch", no_argument, NULL, 'b'},    {"facets", no_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},     {NULL, 0, NULL, 0},
    };
    struct search_cli sc;
    memset(&sc, 0, sizeof sc);
    sc.o.limit = 20;
    int c;
    optind = 1;
    /* "+": a query term may start with '-' (exclusion) after the options */
    while ((c = getopt_long(argc, argv, "+jpn:o:ecbfh", opts, NULL)) != -1) {
        switch (c) {
        case 'j': sc.json = 1; break;
        case 'p': sc.o.mode = SC_SEARCH_PARA; break;
        case 'e': sc.o.entitled = 1; break;
        case 'c': sc.count = 1; break;
        case 'b': sc.batch = 1; break;
        case 'f': sc.o.facets = 1; break;
        case 'n':
            if (cli_parse_size(optarg, &sc.o.limit) || sc.o.limit > SC_MAX_LIMIT) {
                fprintf(stderr, "%s: search: --limit takes a number from 0 to %d\n", cli->prog,
                        SC_MAX_LIMIT);
                return 2;
            }
            break;
        case 'o':
            if (cli_parse_size(optarg, &sc.o.offset)) {
                fprintf(stderr, "%s: search: --offset takes a number\n", cli->prog);
                return 2;
            }
            break;
        case 'h': usage(); return 0;
        default: return 2;
        }
    }
    if (sc.count)
        sc.o.limit = 0;
    struct sc_buf q = SC_BUF_INIT;
    for (int i = optind; i < argc; i++) {
        if (i > optind)
            sc_buf_addc(&q, ' ');
        sc_buf_adds(&q, argv[i]);
    }
    if (sc_buf_err(&q) != SC_OK)
        return cli_fail(cli, SC_ENOMEM, "search", NULL);
    if (!sc.batch && q.len == 0) {
        sc_buf_release(&q);
        fprintf(stderr, "%s: search: a query is needed (see sucai search --help)\n", cli->prog);
        return 2;
    }
    if (sc.batch && q.len) {
        sc_buf_release(&q);
        fprintf(stderr, "%s: search: --batch reads queries from stdin, not arguments\n",
                cli->prog);
        return 2;
    }
    sc.color = !sc.json && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    struct sc_library *lib = cli_open_library(cli, 0);
    if (!lib) {
        sc_buf_release(&q);
        return 2;
    }
    /* a stale index still answers (reading never writes); say so */
    char stale[512];
    sc_index_stale(lib, stale, sizeof stale);
    int64_t lag = stale[0] ? sc_index_lag(lib) : 0;
    if (lag > 0)
        fprintf(stderr,
                "%s: search: %lld documents are not searched yet: the index could not be "
                "brought up to date (%s)\n",
                cli->prog, (long long)lag, stale);
    /* the operator sees what a reader would, and nothing is counted */
    struct sc_caller who;
    sc_caller_operator(lib, sc.o.entitled, &who);
    sc.o.caller = &who;
    int status;
    if (sc.batch) {
        status = batch(cli, lib, &sc);
    } else {
        struct sc_buf out = SC_BUF_INIT;
        struct sc_diag d = {0};
        enum sc_err e = one(lib, &sc, q.data, &out, &d);
        if (e == SC_OK && sc_buf_err(&out) != SC_OK)
            e = SC_ENOMEM;
        if (e != SC_OK) {
            status = cli_fail(cli, e, "search", &d);
        } else {
            cli_print_buf(&out);
            status = 0;
        }
        sc_buf_release(&out);
    }
    sc_buf_release(&q);
    sc_library_close(lib);
    return status;
}
