/*
 * sucai config: the library's settings (the paid rule's teaser and daily
 * allowances, the download quotas), listed or set one at a time.
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static void usage(void)
{
    printf("usage: sucai [-L DIR] config [--json]\n"
           "       sucai [-L DIR] config KEY VALUE\n\n"
           "Without arguments, every setting with its value. With KEY VALUE, set one:\n"
           "  paid.headings  0|1  show the headings of paid sections to readers who may\n"
           "                      not read paid text (a teaser; default 0: withheld)\n"
           "  paid.free      N    searches a day in which paid parts are searched for a\n"
           "                      signed-in reader who may not read them (default %d)\n"
           "  paid.anon      N    ... for an anonymous reader, per address (IPv4, IPv6 /64;\n"
           "                      default %d)\n"
           "  paid.anon_all  N    ... for all anonymous readers together (default %d)\n"
           "  quota.free, quota.vip, quota.svip  N  downloads a day (as `sucai user quota`)\n"
           "Past an allowance, paid parts simply do not match for that reader that day.\n"
           "--json prints the settings as one object.\n",
           SC_PAID_ANSWERS_FREE, SC_PAID_ANSWERS_ADDR, SC_PAID_ANSWERS_ANON_ALL);
}

int cmd_config(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = 1; break;
        case 'h': usage(); return 0;
        default: return 2;
        }
    }
    int nargs = argc - optind;
    if (nargs != 0 && nargs != 2) {
        fprintf(stderr, "sucai config: give no arguments, or KEY VALUE (see sucai config --help)\n");
        return 2;
    }
    struct sc_library *lib = cli_open_library(cli, nargs ? 0 : SC_LIBRARY_READONLY);
    if (!lib)
        return 2;
    struct sc_diag d = { 0 };
    struct sc_buf out = SC_BUF_INIT;
    enum sc_err e = nargs ? sc_setting_set(lib, NULL, argv[optind], argv[optind + 1], &d)
                          : sc_settings_list(lib, json, &out, &d);
    sc_library_close(lib);
    int rc = e == SC_OK ? 0 : cli_fail(cli, e, "config", &d);
    if (e == SC_OK && out.len)
        fwrite(out.data, 1, out.len, stdout);
    sc_buf_release(&out);
    return rc;
}
