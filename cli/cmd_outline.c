/*
 * sucai outline-stats GENRE [QUERY]: 提纲, the level-1 skeletons that the
 * library's documents of a 文种 use, with their share and examples, and
 * each heading's usual sub-headings.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char outline_usage[] =
    "usage: sucai [-L DIR] outline-stats GENRE [QUERY...] [--json] [--skeletons N]\n"
    "                                     [--headings N] [--exclude ID] [--doc ID]\n\n"
    "The most common level-1 skeletons (一、… · 二、… · 三、…) of the documents of a\n"
    "文种, narrowed by a search QUERY when one is given, with the share of documents\n"
    "that follow each and examples; then the headings by how many documents use\n"
    "them, clustered (存在的问题 / 存在问题 / 问题与不足 are one), with their usual\n"
    "（一） sub-headings.\n\n"
    "  --skeletons N   skeletons shown (default 10, at most 50)\n"
    "  --headings N    headings shown (default 20, at most 100)\n"
    "  --exclude ID    leave document ID out (leave-one-out evaluation)\n"
    "  --doc ID        also print document ID's own heading keys\n"
    "  --json          the JSON of GET /api/v1/outline-stats\n";

static const char *str(const struct sc_json *j, const struct sc_json_node *n, const char *key)
{
    const char *s = sc_json_string(j, sc_json_get(j, n, key), NULL);
    return s ? s : "";
}

static double num(const struct sc_json *j, const struct sc_json_node *n, const char *key)
{
    const struct sc_json_node *x = sc_json_get(j, n, key);
    return x && x->type == SC_JSON_NUM ? x->num : 0;
}

static const char *const CN[] = { "一",   "二",   "三",     "四",     "五",     "六",
                                  "七",   "八",   "九",     "十",     "十一",   "十二",
                                  "十三", "十四", "十五",   "十六",   "十七",   "十八",
                                  "十九", "二十", "二十一", "二十二", "二十三", "二十四" };

static void render(const struct sc_json *j, struct sc_buf *out)
{
    const struct sc_json_node *r = sc_json_root(j);
    sc_buf_addf(out, "%s: %.0f documents, %.0f with level-1 headings\n", str(j, r, "genre"),
                num(j, r, "docs"), num(j, r, "outlined"));
    sc_buf_adds(out, "skeletons:\n");
    for (const struct sc_json_node *s = sc_json_first(j, sc_json_get(j, r, "skeletons")); s;
         s = sc_json_next(j, s)) {
        sc_buf_addf(out, "  %3.0f%%  ", 100 * num(j, s, "share"));
        size_t k = 0;
        for (const struct sc_json_node *h = sc_json_first(j, sc_json_get(j, s, "headings")); h;
             h = sc_json_next(j, h), k++)
            sc_buf_addf(out, "%s%s、%s", k ? " · " : "", k < 24 ? CN[k] : "…",
                        sc_json_string(j, h, NULL));
        sc_buf_adds(out, "   (e.g.");
        for (const struct sc_json_node *x = sc_json_first(j, sc_json_get(j, s, "examples")); x;
             x = sc_json_next(j, x))
            sc_buf_addf(out, " %.0f", num(j, x, "id"));
        sc_buf_adds(out, ")\n");
    }
    sc_buf_adds(out, "headings:\n");
    for (const struct sc_json_node *h = sc_json_first(j, sc_json_get(j, r, "headings")); h;
         h = sc_json_next(j, h)) {
        sc_buf_addf(out, "  %3.0f%%  %s  (place %.1f)\n", 100 * num(j, h, "share"),
                    str(j, h, "label"), num(j, h, "position"));
        for (const struct sc_json_node *s = sc_json_first(j, sc_json_get(j, h, "subheadings")); s;
             s = sc_json_next(j, s))
            sc_buf_addf(out, "          %3.0f%%  · %s\n", 100 * num(j, s, "share"),
                        str(j, s, "label"));
    }
    const struct sc_json_node *d = sc_json_get(j, r, "doc");
    if (d) {
        sc_buf_addf(out, "document %.0f:", num(j, d, "id"));
        for (const struct sc_json_node *k = sc_json_first(j, sc_json_get(j, d, "keys")); k;
             k = sc_json_next(j, k))
            sc_buf_addf(out, " %s", sc_json_string(j, k, NULL));
        sc_buf_addc(out, '\n');
    }
}

static int parse_n(const char *s, size_t max, size_t *out)
{
    return cli_parse_size(s, out) != 0 || *out > max ? -1 : 0;
}

int cmd_outline(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        { "json", no_argument, NULL, 'j' },
        { "skeletons", required_argument, NULL, 's' },
        { "headings", required_argument, NULL, 'H' },
        { "exclude", required_argument, NULL, 'x' },
        { "doc", required_argument, NULL, 'd' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct sc_skeleton_opts o = { 0 };
    o.entitled = 1; /* the operator sees every heading */
    int json = 0, c;
    size_t v;
    optind = 1;
    while ((c = getopt_long(argc, argv, "js:H:x:d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = 1; break;
        case 's':
            if (parse_n(optarg, 50, &o.skeletons)) {
                fprintf(stderr, "sucai outline-stats: --skeletons must be 1 to 50\n");
                return 2;
            }
            break;
        case 'H':
            if (parse_n(optarg, 100, &o.headings)) {
                fprintf(stderr, "sucai outline-stats: --headings must be 1 to 100\n");
                return 2;
            }
            break;
        case 'x':
        case 'd':
            if (cli_parse_size(optarg, &v) != 0 || !v) {
                fprintf(stderr, "sucai outline-stats: --%s takes a document id\n",
                        c == 'x' ? "exclude" : "doc");
                return 2;
            }
            *(c == 'x' ? &o.exclude : &o.doc) = (int64_t)v;
            break;
        case 'h': fputs(outline_usage, stdout); return 0;
        default: return 2;
        }
    }
    if (optind >= argc) {
        fputs(outline_usage, stderr);
        return 2;
    }
    o.genre = argv[optind];
    struct sc_buf q = SC_BUF_INIT;
    for (int i = optind + 1; i < argc; i++) {
        if (q.len)
            sc_buf_addc(&q, ' ');
        sc_buf_adds(&q, argv[i]);
    }
    if (sc_buf_err(&q) != SC_OK) {
        sc_buf_release(&q);
        return cli_fail(cli, SC_ENOMEM, "outline-stats", NULL);
    }
    o.query = q.len ? q.data : NULL;
    struct sc_library *lib = cli_open_library(cli, SC_LIBRARY_READONLY);
    if (!lib) {
        sc_buf_release(&q);
        return 2;
    }
    struct sc_diag d = { 0 };
    struct sc_buf out = SC_BUF_INIT;
    enum sc_err e = sc_outline_stats_json(lib, &o, &out, &d);
    sc_library_close(lib);
    sc_buf_release(&q);
    if (e != SC_OK) {
        sc_buf_release(&out);
        return cli_fail(cli, e, "outline-stats", &d);
    }
    if (json) {
        cli_print_buf(&out);
    } else {
        struct sc_json j;
        struct sc_buf text = SC_BUF_INIT;
        e = sc_json_parse(&j, out.data, out.len, 0, &d);
        if (e == SC_OK)
            render(&j, &text);
        sc_json_release(&j);
        if (e == SC_OK)
            fputs(text.data, stdout);
        sc_buf_release(&text);
    }
    sc_buf_release(&out);
    return e == SC_OK ? 0 : cli_fail(cli, e, "outline-stats", &d);
}
