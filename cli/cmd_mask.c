/*
 * sucai mask: anonymise a draft (脱敏) and put it back (--restore).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: sucai mask [--json] [--kinds LIST] [--distinct] [--map FILE] FILE|-\n"
    "       sucai mask --restore MAP [MASKED|-]\n\n"
    "Replace the persons, places, organisations and identifiers of a text with\n"
    "placeholders (XX, XX市 …). Kinds: person, place, org, number, phone, idcard,\n"
    "email, plate, bankcard; all but number by default (figures are opt-in:\n"
    "--kinds person,place,org,number). The text outside the replaced spans is\n"
    "left byte for byte as it was.\n\n"
    "Options:\n"
    "  --json          {\"text\": masked, \"spans\": [{\"start\", \"end\", \"kind\", \"original\",\n"
    "                  \"replacement\"}]}, offsets in code points of the input\n"
    "  --kinds LIST    only these kinds (comma-separated)\n"
    "  --distinct      one placeholder per entity: XX市 and YY市 for two cities\n"
    "  --map FILE      also write the JSON (the map --restore reads) to FILE\n"
    "  --restore MAP   put the originals back: MAP is the JSON of --json or --map;\n"
    "                  the masked text is MASKED (or - for stdin), else MAP's own text.\n"
    "                  The result is byte-identical to the original.\n\n"
    "Exit status: 0 success, 1 input refused (malformed, too large, a map that does\n"
    "not fit), 2 usage or an unreadable file.\n";

static int write_file(const char *path, const struct sc_buf *b)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = fwrite(b->data, 1, b->len, f);
    int bad = n != b->len;
    bad |= fputc('\n', f) == EOF;
    bad |= fclose(f) != 0;
    return bad ? -1 : 0;
}

static int restore(struct cli *cli, const char *map_path, const char *masked_path)
{
    struct sc_buf map = SC_BUF_INIT, masked = SC_BUF_INIT, out = SC_BUF_INIT;
    struct sc_diag d = { 0 };
    enum sc_err e = cli_read_draft(map_path, 4 * SC_MASK_MAX_BYTES, &map, &d);
    if (e != SC_OK) {
        sc_buf_release(&map);
        return cli_fail(cli, e, map_path, &d);
    }
    if (masked_path) {
        e = cli_read_draft(masked_path, SC_MASK_MAX_BYTES * 2, &masked, &d);
        if (e != SC_OK) {
            sc_buf_release(&map);
            sc_buf_release(&masked);
            return cli_fail(cli, e, masked_path, &d);
        }
    }
    e = sc_mask_restore(map.data, map.len, masked_path ? masked.data : NULL, masked.len, &out, &d);
    int rc = 0;
    if (e != SC_OK)
        rc = cli_fail(cli, e, map_path, &d);
    else
        fwrite(out.data, 1, out.len, stdout);
    sc_buf_release(&map);
    sc_buf_release(&masked);
    sc_buf_release(&out);
    return rc;
}

int cmd_mask(struct cli *cli, int argc, char **argv)
{
    int json = 0;
    struct sc_mask_opts opts = { 0 };
    const char *file = NULL, *kinds = NULL, *map_out = NULL, *map_in = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (!strcmp(a, "--distinct")) {
            opts.distinct = 1;
        } else if (!strcmp(a, "--kinds") || !strcmp(a, "--map") || !strcmp(a, "--restore")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "sucai mask: %s needs a value\n", a);
                return 2;
            }
            const char **dst = !strcmp(a, "--kinds") ? &kinds : !strcmp(a, "--map") ? &map_out
                                                                                    : &map_in;
            *dst = argv[++i];
        } else if (!strncmp(a, "--kinds=", 8)) {
            kinds = a + 8;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "sucai mask: unknown option '%s'; see `sucai mask --help`\n", a);
            return 2;
        } else if (file) {
            fprintf(stderr, "sucai mask: one file at a time ('%s' and '%s')\n", file, a);
            return 2;
        } else {
            file = a;
        }
    }
    if (map_in)
        return restore(cli, map_in, file);
    if (!file) {
        fputs(usage, stderr);
        return 2;
    }
    struct sc_diag d = { 0 };
    if (kinds && sc_mask_kinds_parse(kinds, &opts.kinds, &d) != SC_OK) {
        fprintf(stderr, "sucai mask: %s\n", d.msg);
        return 2;
    }
    struct sc_buf text = SC_BUF_INIT;
    enum sc_err e = cli_read_draft(file, SC_MASK_MAX_BYTES, &text, &d);
    if (e != SC_OK) {
        sc_buf_release(&text);
        return cli_fail(cli, e, file, &d);
    }
    struct sc_mask_result r;
    e = sc_mask_run(text.data, text.len, &opts, &r, &d);
    int rc = 0;
    if (e != SC_OK) {
        rc = cli_fail(cli, e, file, &d);
    } else {
        struct sc_buf js = SC_BUF_INIT;
        if (json || map_out) {
            struct sc_jw w;
            sc_jw_init(&w, &js);
            sc_mask_json(&w, text.data, text.len, &r);
            if (sc_jw_finish(&w) != SC_OK)
                rc = cli_fail(cli, SC_ENOMEM, file, NULL);
        }
        if (rc == 0 && map_out && write_file(map_out, &js) != 0) {
            fprintf(stderr, "sucai mask: %s: cannot write the map\n", map_out);
            rc = 1;
        }
        if (rc == 0) {
            if (json)
                cli_print_buf(&js);
            else
                fwrite(r.text.data, 1, r.text.len, stdout);
        }
        sc_buf_release(&js);
    }
    sc_mask_result_release(&r);
    sc_buf_release(&text);
    return rc;
}
