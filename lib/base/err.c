/*
 * Error names, exit codes and the diagnostic record (see base.h).
 */
#include <errno.h>
#include "sucai/base.h"

#include <stdio.h>
#include <string.h>

const char *sc_strerror(enum sc_err err)
{
    switch (err) {
    case SC_OK: return "ok";
    case SC_ENOMEM: return "out of memory";
    case SC_EINVAL: return "invalid argument";
    case SC_EIO: return "input/output error";
    case SC_ENOTFOUND: return "not found";
    case SC_EPARSE: return "malformed input";
    case SC_EUNSUPPORTED: return "unsupported format";
    case SC_ESTORE: return "store error";
    case SC_ELIMIT: return "limit exceeded";
    case SC_EDUPLICATE: return "already exists";
    case SC_EDENIED: return "not allowed";
    case SC_EUNAVAILABLE: return "not available now";
    }
    return "unknown error";
}

int sc_err_exit_code(enum sc_err err)
{
    switch (err) {
    case SC_OK: return 0;
    case SC_EPARSE:
    case SC_EUNSUPPORTED:
    case SC_ELIMIT:
    case SC_EDUPLICATE:
    case SC_ENOTFOUND:
    case SC_EDENIED: return 1;
    default: return 2;
    }
}

enum sc_err sc_diag_set(struct sc_diag *diag, enum sc_err err, const char *fmt, ...)
{
    if (!diag || diag->err != SC_OK)
        return err;
    diag->err = err;
    diag->pos_cp = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(diag->msg, sizeof diag->msg, fmt, ap);
    va_end(ap);
    return err;
}

enum sc_err sc_diag_set_at(struct sc_diag *diag, enum sc_err err, size_t pos_cp, const char *fmt,
                           ...)
{
    if (!diag || diag->err != SC_OK)
        return err;
    diag->err = err;
    diag->pos_cp = pos_cp;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(diag->msg, sizeof diag->msg, fmt, ap);
    va_end(ap);
    return err;
}

void sc_diag_clear(struct sc_diag *diag)
{
    if (!diag)
        return;
    diag->err = SC_OK;
    diag->msg[0] = '\0';
    diag->pos_cp = 0;
}

const char *sc_strerrno(int errnum)
{
    if (errnum == ENOSPC)
        return "disk full (no space left on device)";
    if (errnum == EDQUOT)
        return "disk full (disk quota exceeded)";
    return strerror(errnum);
}
