/*
 * sucai list / show: documents in id order, and one document with its
 * metadata, outline and text.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

struct list_ctx {
    int json;
    size_t n;
    struct sc_buf out;
};

static int list_one(void *ctx, const struct sc_doc *d)
{
    struct list_ctx *lc = ctx;
    if (lc->json) {
        sc_buf_adds(&lc->out, lc->n ? ",\n " : "[");
        sc_doc_json_meta(&lc->out, d);
    } else {
        char year[8] = "-";
        if (d->year)
            snprintf(year, sizeof year, "%d", d->year);
        sc_buf_addf(&lc->out, "%6lld  %-4s  %-12s %7lld字  %s%s\n", (long long)d->id, year,
                    d->genre ? d->genre : "-", (long long)d->chars, d->title,
                    d->dup_of ? "  (近似重复)" : "");
    }
    lc->n++;
    if (lc->out.len > (1 << 16) && !lc->out.failed) {
        fwrite(lc->out.data, 1, lc->out.len, stdout);
        sc_buf_reset(&lc->out);
    }
    return lc->out.failed;
}

int cmd_list(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct list_ctx lc = { 0, 0, SC_BUF_INIT };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
        switch (c) {
        case 'j': lc.json = 1; break;
        case 'h':
            printf("usage: sucai [-L DIR] list [--json]\n\n"
                   "One line per document in id order: id, 文种, characters, title.\n"
                   "--json prints an array of {\"id\", \"title\", \"chars\", \"source\", \"genre\",\n"
                   "\"year\", \"unit\", \"level\", \"topics\", \"paid_from\", \"paid_to\", "
                   "\"dup_of\", \"similarity\"}.\n");
            return 0;
        default: return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "sucai list: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    struct sc_library *lib = cli_open_library(cli, SC_LIBRARY_READONLY);
    if (!lib)
        return 2;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_doc_foreach(lib, 0, 0, list_one, &lc, &d);
    sc_library_close(lib);
    if (lc.json)
        sc_buf_adds(&lc.out, lc.n ? "]\n" : "[]\n");
    if (e == SC_OK && lc.out.failed)
        e = SC_ENOMEM;
    if (e != SC_OK) {
        sc_buf_release(&lc.out);
        return cli_fail(cli, e, "list", &d);
    }
    fwrite(lc.out.data, 1, lc.out.len, stdout);
    sc_buf_release(&lc.out);
    return 0;
}

/* The outline as an indented tree, with each section's kind: the sections
 * the cut shows, and a line for those it leaves out. */
static void print_outline(const struct sc_doc *d, const struct sc_cut *cut)
{
    size_t left = 0;
    for (size_t i = 0; i < d->nsections; i++) {
        const struct sc_section *s = &d->sections[i];
        if (!sc_cut_section_shown(cut, s)) {
            left++;
            continue;
        }
        printf("%*s%s%s  [%s]%s%s\n", (s->level - 1) * 2, "", s->label, s->heading,
               sc_kind_name(s->kind), s->fault ? "  ! " : "", s->fault ? s->fault : "");
        for (size_t k = 0; k < s->npoints; k++)
            if (cut->headings ||
                sc_cut_visible(cut, s->points[k].start_cp, s->points[k].start_cp + 1))
                printf("%*s· %s\n", s->level * 2, "", s->points[k].label);
    }
    if (left)
        printf("[付费部分另有 %zu 个章节]\n", left);
}

int cmd_show(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        { "json", no_argument, NULL, 'j' },
        { "text", no_argument, NULL, 't' },
        { "outline", no_argument, NULL, 'o' },
        { "free", no_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int json = 0, text = 0, outline = 0, entitled = 1, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "jtoh", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = 1; break;
        case 't': text = 1; break;
        case 'o': outline = 1; break;
        case 'f': entitled = 0; break;
        case 'h':
            printf("usage: sucai [-L DIR] show ID [--json] [--text] [--outline] [--free]\n\n"
                   "Metadata of document ID; --text adds the text, --outline prints the\n"
                   "heading tree, --json prints one object with metadata, source, text,\n"
                   "normalized and outline (offsets count code points of text). --free\n"
                   "shows what a reader who may not read paid text gets: the paid part\n"
                   "withheld from the text and the metadata, and the outline without the\n"
                   "sections whose heading is paid (unless `sucai config paid.headings 1`).\n");
            return 0;
        default: return 2;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "sucai show: give one document id (see `sucai show --help`)\n");
        return 2;
    }
    char *end;
    long long id = strtoll(argv[optind], &end, 10);
    if (*end || id <= 0) {
        fprintf(stderr, "sucai show: '%s' is not a document id\n", argv[optind]);
        return 2;
    }
    struct sc_library *lib = cli_open_library(cli, SC_LIBRARY_READONLY);
    if (!lib)
        return 2;
    struct sc_doc doc;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_doc_get(lib, id, SC_DOC_TEXT | SC_DOC_OUTLINE, &doc, &d);
    /* --free: what a reader who may not read paid text gets */
    struct sc_caller who;
    if (e == SC_OK)
        sc_caller_operator(lib, entitled, &who);
    sc_library_close(lib);
    if (e != SC_OK)
        return cli_fail(cli, e, "show", &d);
    struct sc_cut cut;
    int locked = sc_doc_cut(&doc, &who.view, &cut);
    if (json) {
        struct sc_buf b = SC_BUF_INIT;
        sc_doc_json(&b, &doc, &who.view);
        if (b.failed) {
            sc_doc_release(&doc);
            return cli_fail(cli, SC_ENOMEM, "show", NULL);
        }
        cli_print_buf(&b);
        sc_buf_release(&b);
    } else if (outline && !text) {
        printf("%s\n", doc.title);
        print_outline(&doc, &cut);
    } else {
        printf("id:        %lld\ntitle:     %s\nsource:    %s (part %d)\nchars:     %lld\n",
               (long long)doc.id, doc.title, doc.source_file, doc.part, (long long)doc.chars);
        printf("genre:     %s\nyear:      ", doc.genre ? doc.genre : "-");
        doc.year ? printf("%d\n", doc.year) : printf("-\n");
        printf("unit:      %s\nlevel:     %s\ntopics:    %s\n", doc.unit ? doc.unit : "-",
               doc.level ? doc.level : "-", doc.topics_json ? doc.topics_json : "[]");
        if (doc.paid_from_cp >= 0) {
            if (doc.paid_to_cp >= 0)
                printf("paid:      %lld to %lld\n", (long long)doc.paid_from_cp,
                       (long long)doc.paid_to_cp);
            else
                printf("paid:      from %lld to the end\n", (long long)doc.paid_from_cp);
        }
        if (doc.dup_of)
            printf("dup_of:    %lld (similarity %.3f)\n", (long long)doc.dup_of, doc.similarity);
        size_t nshown = 0;
        for (size_t i = 0; i < doc.nsections; i++)
            nshown += sc_cut_section_shown(&cut, &doc.sections[i]);
        if (nshown < doc.nsections)
            printf("sections:  %zu (and %zu in the paid part)\n", nshown, doc.nsections - nshown);
        else
            printf("sections:  %zu\n", doc.nsections);
        if (locked)
            printf("withheld:  %lld to %lld (the paid part; --free)\n", (long long)cut.from_cp,
                   (long long)cut.to_cp);
        if (outline)
            print_outline(&doc, &cut);
        if (text) {
            struct sc_buf t = SC_BUF_INIT;
            sc_doc_text_shown(&t, &doc, &who.view);
            if (sc_buf_err(&t) != SC_OK) {
                sc_doc_release(&doc);
                return cli_fail(cli, SC_ENOMEM, "show", NULL);
            }
            printf("\n");
            fwrite(t.data, 1, t.len, stdout);
            printf("\n");
            sc_buf_release(&t);
        }
    }
    sc_doc_release(&doc);
    return 0;
}
