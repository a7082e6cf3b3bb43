/*
 * sucai fill: fill a template's XX slots from a profile (套用).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: sucai fill --profile PROFILE [--json] FILE|-\n\n"
    "Classify every XX-style slot of a template (XX, XXX, ××, ＸＸ, 某某, X before a\n"
    "figure's unit) as unit, place, person, date or number from the words around it,\n"
    "and fill it from PROFILE, a JSON file such as\n"
    "  {\"unit\": \"海淀区发改委\", \"place\": \"海淀区\", \"person\": \"张明\",\n"
    "   \"date\": \"2024年5月8日\", \"number\": \"3\"}\n"
    "Slots it cannot classify, or whose kind the profile has no value for, stay as\n"
    "they are and are listed on standard error (with --json: \"value\": null).\n\n"
    "Options:\n"
    "  --profile FILE  the profile (JSON object; keys unit, place, person, date, number)\n"
    "  --json          {\"text\": filled, \"slots\": [{\"start\", \"end\", \"kind\", \"original\",\n"
    "                  \"value\"}], \"filled\", \"unfilled\"}; offsets in code points of FILE\n\n"
    "Exit status: 0 success (also with unfilled slots), 1 input refused (malformed or\n"
    "too large), 2 usage, a bad profile or an unreadable file.\n";

int cmd_fill(struct cli *cli, int argc, char **argv)
{
    int json = 0;
    const char *file = NULL, *profile = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (!strcmp(a, "--profile")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "sucai fill: --profile needs a file\n");
                return 2;
            }
            profile = argv[++i];
        } else if (!strncmp(a, "--profile=", 10)) {
            profile = a + 10;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "sucai fill: unknown option '%s'; see `sucai fill --help`\n", a);
            return 2;
        } else if (file) {
            fprintf(stderr, "sucai fill: one file at a time ('%s' and '%s')\n", file, a);
            return 2;
        } else {
            file = a;
        }
    }
    if (!file || !profile) {
        fputs(usage, stderr);
        return 2;
    }
    struct sc_diag d = { 0 };
    char *prof = NULL;
    size_t plen = 0;
    enum sc_err e = sc_read_file(profile, 1u << 20, &prof, &plen, &d);
    if (e != SC_OK)
        return cli_fail(cli, e, profile, &d);
    struct sc_buf text = SC_BUF_INIT;
    e = cli_read_draft(file, SC_MASK_MAX_BYTES, &text, &d);
    if (e != SC_OK) {
        free(prof);
        sc_buf_release(&text);
        return cli_fail(cli, e, file, &d);
    }
    struct sc_fill_result r;
    e = sc_fill_run(text.data, text.len, prof, plen, &r, &d);
    int rc = 0;
    if (e != SC_OK) {
        rc = cli_fail(cli, e, e == SC_EINVAL && strstr(d.msg, "profile") ? profile : file, &d);
    } else if (json) {
        struct sc_buf js = SC_BUF_INIT;
        struct sc_jw w;
        sc_jw_init(&w, &js);
        sc_fill_json(&w, text.data, text.len, &r);
        if (sc_jw_finish(&w) != SC_OK)
            rc = cli_fail(cli, SC_ENOMEM, file, NULL);
        else
            cli_print_buf(&js);
        sc_buf_release(&js);
    } else {
        fwrite(r.text.data, 1, r.text.len, stdout);
        for (size_t i = 0; i < r.n; i++)
            if (!r.slots[i].value)
                fprintf(stderr, "sucai fill: %s: slot \"%.*s\" (%s) left as it is\n", file,
                        (int)(r.slots[i].end - r.slots[i].start), text.data + r.slots[i].start,
                        sc_slot_kind_name(r.slots[i].kind));
    }
    sc_fill_result_release(&r);
    sc_buf_release(&text);
    free(prof);
    return rc;
}
