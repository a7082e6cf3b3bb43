/*
 * The `sucai` command line: main.c parses the global options and calls one
 * cmd_<name>() per subcommand (one file each, as git's builtin/). Commands
 * use only the public headers of libsucai.
 *
 * Exit codes: 0 success, 1 some input refused / not found, 2 usage or
 * library error.
 */
#ifndef SUCAI_CLI_H
#define SUCAI_CLI_H

#include "sucai/sucai.h"

#include <stdio.h>

struct cli {
    const char *library_dir; /* -L DIR, or NULL for $SUCAI_LIBRARY / default */
    const char *prog;        /* "sucai" */
};

/* argv[0] is the command name; options may include -L DIR / --library DIR,
 * which cli_take_library() removes and records. */
typedef int cmd_fn(struct cli *cli, int argc, char **argv);

cmd_fn cmd_init, cmd_import, cmd_list, cmd_show, cmd_stats, cmd_reparse, cmd_reindex,
    cmd_boilerplate, cmd_search, cmd_serve, cmd_compile, cmd_export, cmd_user, cmd_token,
    cmd_audit, cmd_config, cmd_debug, cmd_proof, cmd_mask, cmd_fill, cmd_watch, cmd_outline,
    cmd_check, cmd_migrate;

/* Open the library named by -L / $SUCAI_LIBRARY / default; prints the
 * error and returns NULL on failure. */
struct sc_library *cli_open_library(struct cli *cli, int flags);

/* Print "sucai: <what>: <msg>" to stderr and return the exit code for err. */
int cli_fail(struct cli *cli, enum sc_err err, const char *what, const struct sc_diag *diag);

/* Append {"error": msg} and a line break: a failed line of a --batch --json
 * answer. */
void cli_json_error(struct sc_buf *b, const char *msg);

/* Remove "-L DIR"/"--library DIR"/"--library=DIR" from argv (anywhere),
 * record it in cli; returns the new argc, or -1 on a missing argument. */
int cli_take_library(struct cli *cli, int argc, char **argv);

/* For commands that build a lot and then exit (import, reindex, reparse):
 * keep large freed blocks in the heap instead of giving them back and
 * faulting them in again at the next index build (~10% of an import's
 * time). Not for serve, whose memory should shrink after a burst. */
void cli_tune_memory_for_batch(void);

/* Parse a non-negative integer option value; returns 0 on success. */
int cli_parse_size(const char *s, size_t *out);

/* Read a draft (a file, or "-" for stdin) of at most max bytes into out
 * (caller releases): UTF-8 as is, other encodings and .docx decoded
 * (cli/draft.c). */
enum sc_err cli_read_draft(const char *path, size_t max, struct sc_buf *out, struct sc_diag *d);

/* Write b to stdout (with a final newline if missing). */
void cli_print_buf(const struct sc_buf *b);

/* Columns of the lists of accounts, tokens and audit entries (cli/rows.c):
 * a time as UTC or "-" for 0; padding of the column that began at offset
 * `at` of b to width (at least one space); client text on one line
 * (control characters as '?', NULL or "" as "-"); a JSON member holding a
 * time or null for 0. */
struct sc_jw;
void cli_time_text(struct sc_buf *b, int64_t t);
void cli_pad(struct sc_buf *b, size_t at, size_t width);
void cli_text_clean(struct sc_buf *b, const char *s);
void cli_jw_time(struct sc_jw *w, const char *key, int64_t t);

/* compile and export share the writing half (cmd_compile.c): the format
 * from --format or the output's extension, an atomic write or stdout. */
struct compile_job {
    struct sc_compile_opts opts;
    const char *output; /* -o: NULL = a name made from the title, "-" = stdout */
    const char *format; /* --format, or NULL */
    int quiet;
};
typedef enum sc_err compile_fn(void *ctx, struct sc_library *lib,
                               const struct sc_compile_opts *opts, struct sc_buf *out,
                               struct sc_compile_info *info, struct sc_diag *diag);
int cli_compile_run(struct cli *cli, const char *cmd, struct compile_job *job, compile_fn *fn,
                    void *ctx);

#endif
