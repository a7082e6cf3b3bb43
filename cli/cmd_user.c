/*
 * sucai user: member accounts for operators. The CLI works on the library
 * directly and may do everything; changes are audited with address "cli".
 *
 *   sucai user add NAME [--tier T] [--days N] [--role R,R] [--password-file F]
 *   sucai user set-tier NAME TIER [--days N]
 *   sucai user set-roles NAME ROLES
 *   sucai user disable NAME | enable NAME
 *   sucai user passwd NAME [--password-file F]
 *   sucai user list [--json]
 *   sucai user quota [TIER N]
 *   sucai user check-quota [TIER N]
 *
 * Passwords come from --password-file (its first line), else from the
 * terminal without echo (asked twice), else the first line of stdin.
 */
#include "cli.h"

#include "sucai/json.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define PW_MAX 1024

static const char user_usage[] =
    "usage: sucai [-L DIR] user add NAME [--tier free|vip|svip] [--days N] [--role editor,admin]\n"
    "                                [--password-file F]\n"
    "       sucai user set-tier NAME TIER [--days N]\n"
    "       sucai user set-roles NAME ROLES        (editor,admin | none)\n"
    "       sucai user disable NAME | enable NAME\n"
    "       sucai user passwd NAME [--password-file F]\n"
    "       sucai user list [--json]\n"
    "       sucai user quota [TIER N]               (daily downloads per tier)\n"
    "       sucai user check-quota [TIER N]         (daily 查重 checks per tier; TIER may\n"
    "                                                be anonymous: counted per address)\n\n"
    "--days N makes a vip/svip tier expire N days from now (default: never); an\n"
    "expired vip/svip counts as free. Passwords are read from --password-file (first\n"
    "line), else from the terminal without echo, else from the first line of stdin.\n";

/* First line of s (without "\n" or "\r\n") into pw; 0 on success. */
static int first_line(const char *s, size_t len, char *pw, size_t cap)
{
    size_t n = 0;
    while (n < len && s[n] != '\n' && s[n] != '\0')
        n++;
    if (n && s[n - 1] == '\r')
        n--;
    if (n >= cap)
        return -1;
    memcpy(pw, s, n);
    pw[n] = '\0';
    return 0;
}

static int read_line_fd(FILE *f, char *pw, size_t cap)
{
    char line[PW_MAX + 2];
    if (!fgets(line, sizeof line, f))
        return -1;
    size_t len = strlen(line);
    if (len == sizeof line - 1 && line[len - 1] != '\n')
        return -1; /* too long */
    int r = first_line(line, len, pw, cap);
    explicit_bzero(line, sizeof line);
    return r;
}

static int ask_tty(const char *prompt, char *pw, size_t cap)
{
    struct termios old, quiet;
    if (tcgetattr(STDIN_FILENO, &old) != 0)
        return -1;
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    quiet.c_lflag |= ECHONL;
    fputs(prompt, stderr);
    fflush(stderr);
    if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) != 0)
        return -1;
    int r = read_line_fd(stdin, pw, cap);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    return r;
}

/* Returns 0 with the password in pw, or an exit code after a message. */
static int get_password(const char *file, char *pw, size_t cap)
{
    if (file) {
        char *data = NULL;
        size_t len = 0;
        struct sc_diag d = { 0 };
        enum sc_err e = sc_read_file(file, 64 * 1024, &data, &len, &d);
        if (e != SC_OK) {
            fprintf(stderr, "sucai user: %s\n", d.msg[0] ? d.msg : sc_strerror(e));
            return 2;
        }
        int r = first_line(data, len, pw, cap);
        explicit_bzero(data, len);
        free(data);
        if (r != 0) {
            fprintf(stderr, "sucai user: the password in %s is too long\n", file);
            return 2;
        }
        return 0;
    }
    if (isatty(STDIN_FILENO)) {
        char again[PW_MAX + 1];
        if (ask_tty("Password: ", pw, cap) != 0 ||
            ask_tty("Password again: ", again, sizeof again) != 0) {
            fprintf(stderr, "sucai user: no password read\n");
            return 2;
        }
        int same = !strcmp(pw, again);
        explicit_bzero(again, sizeof again);
        if (!same) {
            fprintf(stderr, "sucai user: the passwords differ\n");
            return 2;
        }
        return 0;
    }
    if (read_line_fd(stdin, pw, cap) != 0) {
        fprintf(stderr, "sucai user: no password on stdin (or longer than %d bytes)\n", PW_MAX);
        return 2;
    }
    return 0;
}

static int parse_days(const char *s, int *days)
{
    size_t v;
    if (cli_parse_size(s, &v) != 0 || v > 36500) {
        fprintf(stderr, "sucai user: --days wants a number of days (0 to 36500)\n");
        return -1;
    }
    *days = (int)v;
    return 0;
}

static int parse_tier(const char *s, enum sc_tier *t)
{
    if (sc_tier_parse(s, t) != SC_OK) {
        fprintf(stderr, "sucai user: unknown tier '%s' (free, vip or svip)\n", s ? s : "");
        return -1;
    }
    return 0;
}

static int need_args(int have, int want, const char *sub)
{
    if (have != want) {
        fprintf(stderr, "sucai user %s: expected %d argument%s; see `sucai user --help`\n", sub,
                want, want == 1 ? "" : "s");
        return -1;
    }
    return 0;
}

/* ": vip until 2026-03-01" (local date), or ": free" */
static void tier_line(struct sc_library *lib, struct sc_buf *out, const char *name)
{
    struct sc_principal p;
    if (sc_user_principal(lib, name, &p, NULL) != SC_OK)
        return;
    sc_buf_addf(out, ": %s", sc_tier_name(p.tier));
    if (p.tier > SC_TIER_FREE && p.tier_expires) {
        struct tm tm;
        char day[32];
        if (localtime_r(&p.tier_expires, &tm) && strftime(day, sizeof day, "%Y-%m-%d %H:%M", &tm))
            sc_buf_addf(out, " until %s", day);
    }
}

static int check_quota_show(struct sc_library *lib)
{
    static const enum sc_tier tiers[] = { SC_TIER_ANON, SC_TIER_FREE, SC_TIER_VIP, SC_TIER_SVIP };
    for (size_t i = 0; i < sizeof tiers / sizeof tiers[0]; i++) {
        struct sc_principal p = { 0 };
        p.tier = tiers[i];
        printf("%-9s %d checks per day\n", sc_tier_name(tiers[i]),
               sc_check_quota_daily(lib, &p));
    }
    printf("editor, admin: unlimited\n");
    return 0;
}

static int quota_show(struct sc_library *lib)
{
    static const enum sc_tier tiers[] = { SC_TIER_FREE, SC_TIER_VIP, SC_TIER_SVIP };
    for (size_t i = 0; i < sizeof tiers / sizeof tiers[0]; i++) {
        struct sc_principal p = { 0 };
        p.tier = tiers[i];
        printf("%-5s %d per day\n", sc_tier_name(tiers[i]), sc_quota_daily(lib, &p));
    }
    printf("editor, admin: unlimited\n");
    return 0;
}

/* The accounts as a JSON array, or a table of one line each. */
static void print_users(const struct sc_user_rows *rows, int json, struct sc_buf *out)
{
    if (json) {
        struct sc_jw w;
        sc_jw_init(&w, out);
        sc_jw_arr(&w, SC_JW_ROWS);
        for (size_t i = 0; i < rows->n; i++) {
            const struct sc_user_row *r = &rows->v[i];
            sc_jw_obj(&w, SC_JW_TIGHT);
            sc_jw_kint(&w, "id", r->id);
            sc_jw_kstrz(&w, "name", r->name);
            sc_jw_kstrz(&w, "tier", r->tier);
            sc_jw_kstrz(&w, "effective_tier", sc_tier_name(r->effective));
            cli_jw_time(&w, "tier_expires", r->tier_expires);
            sc_jw_key(&w, "roles");
            sc_jw_arr(&w, SC_JW_TIGHT);
            if (r->roles & SC_ROLE_EDITOR)
                sc_jw_strz(&w, "editor");
            if (r->roles & SC_ROLE_ADMIN)
                sc_jw_strz(&w, "admin");
            sc_jw_arr_end(&w);
            sc_jw_kbool(&w, "disabled", r->disabled);
            cli_jw_time(&w, "created", r->created);
            cli_jw_time(&w, "last_login", r->last_login);
            sc_jw_kint(&w, "downloads_today", r->downloads_today);
            sc_jw_obj_end(&w);
        }
        sc_jw_arr_end(&w);
        sc_buf_addc(out, '\n');
        return;
    }
    sc_buf_addf(out, "%4s  %-20s %-5s %-5s %-20s %-12s %s\n", "id", "name", "tier", "now",
                "expires", "roles", "state");
    for (size_t i = 0; i < rows->n; i++) {
        const struct sc_user_row *r = &rows->v[i];
        sc_buf_addf(out, "%4lld  %-20s %-5s %-5s ", (long long)r->id, r->name, r->tier,
                    sc_tier_name(r->effective));
        size_t at = out->len;
        cli_time_text(out, r->tier_expires);
        cli_pad(out, at, 21);
        at = out->len;
        sc_buf_adds(out, sc_roles_name(r->roles));
        cli_pad(out, at, 13);
        sc_buf_addf(out, "%s\n", r->disabled ? "disabled" : "active");
    }
}

int cmd_user(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        { "tier", required_argument, NULL, 't' },
        { "days", required_argument, NULL, 'd' },
        { "role", required_argument, NULL, 'r' },
        { "roles", required_argument, NULL, 'r' },
        { "password-file", required_argument, NULL, 'p' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        fputs(user_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    enum sc_tier tier = SC_TIER_FREE;
    int days = 0, roles = 0, json = 0, c;
    const char *pwfile = NULL;
    optind = 1;
    while ((c = getopt_long(argc - 1, argv + 1, "t:d:r:p:jh", opts, NULL)) != -1) {
        switch (c) {
        case 't':
            if (parse_tier(optarg, &tier) != 0)
                return 2;
            break;
        case 'd':
            if (parse_days(optarg, &days) != 0)
                return 2;
            break;
        case 'r':
            if (sc_roles_parse(optarg, &roles) != SC_OK) {
                fprintf(stderr, "sucai user: unknown role in '%s' (editor, admin)\n", optarg);
                return 2;
            }
            break;
        case 'p': pwfile = optarg; break;
        case 'j': json = 1; break;
        case 'h': fputs(user_usage, stdout); return 0;
        default: return 2;
        }
    }
    char **args = argv + 1 + optind; /* positional arguments after the subcommand */
    int nargs = argc - 1 - optind;

    int is_add = !strcmp(sub, "add"), is_passwd = !strcmp(sub, "passwd");
    int known = is_add || is_passwd || !strcmp(sub, "set-tier") || !strcmp(sub, "set-roles") ||
                !strcmp(sub, "disable") || !strcmp(sub, "enable") || !strcmp(sub, "list") ||
                !strcmp(sub, "quota") || !strcmp(sub, "check-quota");
    if (!known) {
        fprintf(stderr, "sucai user: unknown subcommand '%s'; see `sucai user --help`\n", sub);
        return 2;
    }
    if (!strcmp(sub, "list")    ? need_args(nargs, 0, sub)
        : !strcmp(sub, "quota") || !strcmp(sub, "check-quota") ? (nargs != 0 && need_args(nargs, 2, sub))
        : !strcmp(sub, "set-tier") || !strcmp(sub, "set-roles") ? need_args(nargs, 2, sub)
                                                                : need_args(nargs, 1, sub))
        return 2;

    char pw[PW_MAX + 1] = "";
    if (is_add || is_passwd) {
        int r = get_password(pwfile, pw, sizeof pw);
        if (r != 0)
            return r;
    }
    struct sc_library *lib = cli_open_library(cli, 0);
    if (!lib) {
        explicit_bzero(pw, sizeof pw);
        return 2;
    }
    struct sc_diag d = { 0 };
    struct sc_buf out = SC_BUF_INIT;
    enum sc_err e = SC_OK;
    int rc = 0;
    if (is_add) {
        e = sc_user_add(lib, NULL, args[0], pw, tier, days, roles, &d);
        if (e == SC_OK) {
            sc_buf_addf(&out, "added user %s", args[0]);
            tier_line(lib, &out, args[0]);
        }
    } else if (is_passwd) {
        e = sc_user_set_password(lib, NULL, args[0], pw, &d);
        if (e == SC_OK)
            sc_buf_addf(&out, "password of %s changed; its sessions have ended", args[0]);
    } else if (!strcmp(sub, "set-tier")) {
        if (parse_tier(args[1], &tier) != 0)
            rc = 2;
        else
            e = sc_user_set_tier(lib, NULL, args[0], tier, days, &d);
        if (!rc && e == SC_OK) {
            sc_buf_adds(&out, args[0]);
            tier_line(lib, &out, args[0]);
        }
    } else if (!strcmp(sub, "set-roles")) {
        if (sc_roles_parse(args[1], &roles) != SC_OK) {
            fprintf(stderr, "sucai user: unknown role in '%s' (editor, admin, none)\n", args[1]);
            rc = 2;
        } else {
            e = sc_user_set_roles(lib, NULL, args[0], roles, &d);
        }
        if (!rc && e == SC_OK)
            sc_buf_addf(&out, "roles of %s set", args[0]);
    } else if (!strcmp(sub, "disable") || !strcmp(sub, "enable")) {
        int off = !strcmp(sub, "disable");
        e = sc_user_set_disabled(lib, NULL, args[0], off, &d);
        if (e == SC_OK)
            sc_buf_addf(&out, "%s %s", args[0], off ? "disabled" : "enabled");
    } else if (!strcmp(sub, "list")) {
        struct sc_user_rows rows;
        e = sc_user_list(lib, &rows, &d);
        if (e == SC_OK)
            print_users(&rows, json, &out);
        sc_user_rows_release(&rows);
    } else if (!strcmp(sub, "quota")) {
        if (nargs == 0) {
            rc = quota_show(lib);
        } else {
            size_t n;
            if (parse_tier(args[0], &tier) != 0) {
                rc = 2;
            } else if (cli_parse_size(args[1], &n) != 0 || n > 1000000) {
                fprintf(stderr, "sucai user quota: wants a number 0..1000000\n");
                rc = 2;
            } else {
                e = sc_quota_set(lib, NULL, tier, (int)n, &d);
                if (e == SC_OK)
                    sc_buf_addf(&out, "%s: %zu downloads per day", sc_tier_name(tier), n);
            }
        }
    } else if (!strcmp(sub, "check-quota")) {
        if (nargs == 0) {
            rc = check_quota_show(lib);
        } else {
            size_t n;
            if (strcmp(args[0], "anonymous") == 0)
                tier = SC_TIER_ANON;
            else if (parse_tier(args[0], &tier) != 0)
                rc = 2;
            if (rc == 0 && (cli_parse_size(args[1], &n) != 0 || n > 1000000)) {
                fprintf(stderr, "sucai user check-quota: wants a number 0..1000000\n");
                rc = 2;
            }
            if (rc == 0) {
                e = sc_check_quota_set(lib, NULL, tier, (int)n, &d);
                if (e == SC_OK)
                    sc_buf_addf(&out, "%s: %zu checks per day", sc_tier_name(tier), n);
            }
        }
    }
    explicit_bzero(pw, sizeof pw);
    sc_library_close(lib);
    if (rc == 0 && e == SC_OK && sc_buf_err(&out) != SC_OK)
        e = SC_ENOMEM;
    if (rc == 0 && e != SC_OK)
        rc = cli_fail(cli, e, "user", &d);
    else if (rc == 0)
        cli_print_buf(&out);
    sc_buf_release(&out);
    return rc;
}
