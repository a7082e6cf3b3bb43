/*
 * sucai watch: saved searches (订阅) and the new material that matched them.
 *
 *   sucai watch add [-u USER] [--name NAME] QUERY...
 *   sucai watch add [-u USER] --file FILE        one query per line
 *   sucai watch list [-u USER] [--json]
 *   sucai watch rm [-u USER] ID
 *   sucai watch show [-u USER] ID [--limit N] [--seen] [--json]
 *   sucai watch feed [-u USER] ID [--revoke]
 *   sucai watch run [--json]
 *
 * Without -u a saved search is the operator's own; list, rm and show then
 * see every member's too.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char watch_usage[] =
    "usage: sucai [-L DIR] watch add [-u USER] [--name NAME] QUERY...\n"
    "       sucai watch add [-u USER] --file FILE\n"
    "       sucai watch list [-u USER] [--json]\n"
    "       sucai watch rm [-u USER] ID\n"
    "       sucai watch show [-u USER] ID [--limit N] [--seen] [--json]\n"
    "       sucai watch feed [-u USER] ID [--revoke]\n"
    "       sucai watch run [--json]\n\n"
    "A saved search reports the documents imported after it was saved that match\n"
    "its query (the syntax of `sucai search`, filters as fields: genre:通知 year:2024).\n"
    "Matching is done when documents are committed; `run` matches what is pending\n"
    "now. `show` lists the matches, newest first (--seen records that they were\n"
    "looked at); `feed` makes a private Atom feed token (shown once) or revokes it.\n\n"
    "Options:\n"
    "  -u, --user NAME   the member whose saved searches these are\n"
    "  --name NAME       a name for the saved search (default: the query)\n"
    "  --file FILE       add one saved search per line of FILE (\"-\": stdin); a query\n"
    "                    saved before is skipped\n"
    "  --limit N         matches shown (default 20, at most 100)\n"
    "  --seen            mark the matches as looked at\n"
    "  --revoke          stop the saved search's feed\n"
    "  --json            JSON output\n";

static int parse_id(const char *s, int64_t *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v <= 0)
        return -1;
    *out = v;
    return 0;
}

int cmd_watch(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        { "user", required_argument, NULL, 'u' },
        { "name", required_argument, NULL, 'n' },
        { "limit", required_argument, NULL, 'l' },
        { "seen", no_argument, NULL, 's' },
        { "revoke", no_argument, NULL, 'r' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { "file", required_argument, NULL, 'f' },
        { NULL, 0, NULL, 0 },
    };
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        fputs(watch_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    static const char *const subs[] = { "add", "list", "rm", "show", "feed", "run" };
    int known = 0;
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        known |= !strcmp(sub, subs[i]);
    if (!known) {
        fprintf(stderr, "sucai watch: unknown subcommand '%s'; see `sucai watch --help`\n", sub);
        return 2;
    }
    const char *user = NULL, *name = NULL, *file = NULL;
    size_t limit = 20;
    int json = 0, seen = 0, revoke = 0, c;
    optind = 1;
    while ((c = getopt_long(argc - 1, argv + 1, "u:n:l:srjhf:", opts, NULL)) != -1) {
        switch (c) {
        case 'u': user = optarg; break;
        case 'n': name = optarg; break;
        case 'l':
            if (cli_parse_size(optarg, &limit) != 0 || limit > 100) {
                fprintf(stderr, "sucai watch: --limit must be a number from 0 to 100\n");
                return 2;
            }
            break;
        case 's': seen = 1; break;
        case 'f': file = optarg; break;
        case 'r': revoke = 1; break;
        case 'j': json = 1; break;
        case 'h': fputs(watch_usage, stdout); return 0;
        default: return 2;
        }
    }
    char **args = argv + 1 + optind;
    int nargs = argc - 1 - optind;
    int64_t id = 0;
    if (!strcmp(sub, "add") && (file ? nargs != 0 || name : nargs < 1)) {
        if (file) {
            fprintf(stderr, "sucai watch add: --file takes no query and no --name\n");
            return 2;
        }
        fprintf(stderr, "sucai watch add: a query is needed\n");
        return 2;
    }
    if ((!strcmp(sub, "list") || !strcmp(sub, "run")) && nargs != 0) {
        fprintf(stderr, "sucai watch %s: no arguments expected\n", sub);
        return 2;
    }
    if (!strcmp(sub, "rm") || !strcmp(sub, "show") || !strcmp(sub, "feed")) {
        if (nargs != 1 || parse_id(args[0], &id) != 0) {
            fprintf(stderr, "sucai watch %s: expected the number of a saved search\n", sub);
            return 2;
        }
    }
    struct sc_library *lib = cli_open_library(cli, 0);
    if (!lib)
        return 2;
    struct sc_diag d = { 0 };
    struct sc_buf out = SC_BUF_INIT;
    struct sc_principal who, *owner = NULL;
    enum sc_err e = SC_OK;
    if (user) {
        e = sc_user_principal(lib, user, &who, &d);
        owner = &who;
    }
    if (e != SC_OK) {
        /* the user's name was wrong: nothing else to do */
    } else if (!strcmp(sub, "add") && file) {
        FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
        if (!f) {
            e = sc_diag_set(&d, SC_EIO, "cannot open %s", file);
        } else {
            char line[SC_MAX_QUERY_BYTES + 2];
            size_t added = 0, skipped = 0, lineno = 0;
            while (e == SC_OK && fgets(line, sizeof line, f)) {
                lineno++;
                size_t n = strlen(line);
                while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
                    line[--n] = '\0';
                if (!n || line[0] == '#')
                    continue;
                struct sc_diag ld = { 0 };
                enum sc_err le = sc_watch_add(lib, owner, NULL, line, NULL, &ld);
                if (le == SC_EDUPLICATE) {
                    skipped++;
                } else if (le != SC_OK) {
                    e = sc_diag_set(&d, le, "%s:%zu: %s", file, lineno, ld.msg);
                } else {
                    added++;
                }
            }
            if (f != stdin)
                fclose(f);
            if (e == SC_OK)
                sc_buf_addf(&out, "%zu saved searches added, %zu saved before", added, skipped);
        }
    } else if (!strcmp(sub, "add")) {
        struct sc_buf q = SC_BUF_INIT;
        for (int i = 0; i < nargs; i++) {
            if (i)
                sc_buf_addc(&q, ' ');
            sc_buf_adds(&q, args[i]);
        }
        e = sc_buf_err(&q);
        if (e == SC_OK)
            e = sc_watch_add(lib, owner, name, q.data, &id, &d);
        if (e == SC_OK)
            sc_buf_addf(&out, "saved search %lld: documents imported from now on that match %s",
                        (long long)id, q.data);
        sc_buf_release(&q);
    } else if (!strcmp(sub, "list")) {
        e = sc_watch_list(lib, owner, json, &out, &d);
    } else if (!strcmp(sub, "rm")) {
        e = sc_watch_rm(lib, owner, id, &d);
        if (e == SC_OK)
            sc_buf_addf(&out, "saved search %lld removed", (long long)id);
    } else if (!strcmp(sub, "show")) {
        struct sc_buf j = SC_BUF_INIT;
        e = sc_watch_hits(lib, owner, id, limit, 0, seen, &j, &d);
        if (e == SC_OK && json) {
            sc_buf_add(&out, j.data, j.len);
        } else if (e == SC_OK) {
            /* text: one line per match, from the JSON (the one source) */
            struct sc_json doc;
            if (sc_json_parse(&doc, j.data, j.len, 0, &d) == SC_OK) {
                const struct sc_json_node *r = sc_json_root(&doc);
                const struct sc_json_node *hits = sc_json_get(&doc, r, "hits");
                for (const struct sc_json_node *h = sc_json_first(&doc, hits); h;
                     h = sc_json_next(&doc, h)) {
                    int64_t did = 0;
                    sc_json_int(sc_json_get(&doc, h, "id"), 1, INT64_MAX, &did);
                    const struct sc_json_node *nw = sc_json_get(&doc, h, "new");
                    const char *t = sc_json_string(&doc, sc_json_get(&doc, h, "title"), NULL);
                    const char *no = sc_json_string(&doc, sc_json_get(&doc, h, "docno"), NULL);
                    sc_buf_addf(&out, "%lld\t%s\t%s\t%s\n", (long long)did,
                                nw && nw->type == SC_JSON_TRUE ? "new" : "-", no ? no : "-",
                                t ? t : "");
                }
            } else {
                e = SC_ENOMEM;
            }
            sc_json_release(&doc);
        }
        sc_buf_release(&j);
    } else if (!strcmp(sub, "feed")) {
        if (revoke) {
            e = sc_watch_feed_revoke(lib, owner, id, &d);
            if (e == SC_OK)
                sc_buf_addf(&out, "the feed of saved search %lld is revoked", (long long)id);
        } else {
            char *tok = NULL;
            e = sc_watch_feed_token(lib, owner, id, &tok, &d);
            if (e == SC_OK) {
                sc_buf_addf(&out,
                            "feed of saved search %lld (shown once; an earlier one stops "
                            "working): GET /api/v1/feeds/watch?token=\n%s",
                            (long long)id, tok);
                free(tok);
            }
        }
    } else {
        struct sc_watch_run r;
        e = sc_watch_match(lib, &r, &d);
        if (e == SC_OK && json) {
            struct sc_jw w;
            sc_jw_init(&w, &out);
            sc_jw_obj(&w, SC_JW_INLINE);
            sc_jw_kint(&w, "from_id", r.from_id);
            sc_jw_kint(&w, "to_id", r.to_id);
            sc_jw_kint(&w, "docs", r.docs);
            sc_jw_kint(&w, "watches", r.watches);
            sc_jw_kint(&w, "hits", r.hits);
            sc_jw_knum(&w, "match_ms", r.match_ms, 1);
            sc_jw_knum(&w, "store_ms", r.store_ms, 1);
            sc_jw_obj_end(&w);
            e = sc_jw_finish(&w);
        } else if (e == SC_OK && !r.docs)
            sc_buf_adds(&out, "no new documents to match");
        else if (e == SC_OK)
            sc_buf_addf(&out,
                        "matched %lld new documents against %lld saved searches: %lld matches "
                        "(%.0f ms, %.0f ms to store)",
                        (long long)r.docs, (long long)r.watches, (long long)r.hits, r.match_ms,
                        r.store_ms);
    }
    sc_library_close(lib);
    if (e == SC_OK)
        e = sc_buf_err(&out);
    int rc = e == SC_OK ? 0 : cli_fail(cli, e, "watch", &d);
    if (e == SC_OK && out.len)
        cli_print_buf(&out);
    sc_buf_release(&out);
    return rc;
}
