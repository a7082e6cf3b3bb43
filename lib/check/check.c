/*
 * 查重 entry points: the draft from a file's bytes, and a check of a draft
 * against the library's index snapshot (match.c finds, report.c reports).
 */
#include "check/check_int.h"

#include "library/library_int.h"
#include "sucai/ingest.h"
#include "sucai/members.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

enum sc_err sc_check_draft(const char *name, const void *data, size_t len, struct sc_buf *out,
                           struct sc_diag *diag)
{
    sc_buf_reset(out);
    struct sc_ingested in;
    sc_ingested_init(&in);
    /* refusals exactly as import refuses (empty, binary, .doc, .pdf ...) */
    enum sc_err e = sc_ingest_bytes(name ? name : "draft.txt", data, len, &in, diag);
    if (e == SC_OK) {
        /* UTF-8 text is checked as it was given, so offsets are those of
         * the bytes the caller has; anything converted is checked as
         * converted (the JSON then carries the text) */
        int as_is = in.format == SC_FORMAT_TXT &&
                    (strcmp(in.encoding, "UTF-8") == 0 || strcmp(in.encoding, "UTF-8-BOM") == 0) &&
                    sc_utf8_valid(data, len, NULL) && !memchr(data, 0, len);
        if (as_is)
            sc_buf_add(out, data, len);
        else
            sc_buf_add(out, in.text.data, in.text.len);
        if (sc_buf_err(out) != SC_OK)
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
    }
    sc_ingested_release(&in);
    if (e == SC_OK) {
        size_t n = sc_utf8_count(out->data, out->len);
        if (n > SC_CHECK_MAX_CHARS)
            e = sc_diag_set(diag, SC_ELIMIT, "draft too long (%zu characters; the limit is %d)", n,
                            SC_CHECK_MAX_CHARS);
    }
    if (e != SC_OK)
        sc_buf_reset(out);
    return e;
}

/* Options with their defaults filled in; SC_EINVAL names a bad one. */
static enum sc_err check_opts(const struct sc_check_opts *in, struct sc_check_opts *o,
                              struct sc_diag *diag)
{
    memset(o, 0, sizeof *o);
    if (in)
        *o = *in;
    if (!o->min)
        o->min = SC_CHECK_MIN;
    if (!o->common)
        o->common = SC_CHECK_COMMON;
    if (!o->max_sources)
        o->max_sources = SC_CHECK_SOURCES;
    if (o->min < SC_CHECK_MIN_LO || o->min > SC_CHECK_MIN_HI)
        return sc_diag_set(diag, SC_EINVAL, "check: --min must be %d to %d (got %zu)",
                           SC_CHECK_MIN_LO, SC_CHECK_MIN_HI, o->min);
    if (o->max_sources > SC_CHECK_SOURCES_MAX)
        o->max_sources = SC_CHECK_SOURCES_MAX;
    return SC_OK;
}

/* The draft must be text the limits allow. */
static enum sc_err check_text(const char *text, size_t len, struct sc_diag *diag)
{
    if (!text && len)
        return sc_diag_set(diag, SC_EINVAL, "check: no text");
    size_t bad = 0;
    if (len && !sc_utf8_valid(text, len, &bad))
        return sc_diag_set(diag, SC_EPARSE, "draft: not valid UTF-8 at byte %zu", bad);
    size_t n = len ? sc_utf8_count(text, len) : 0;
    if (n > SC_CHECK_MAX_CHARS)
        return sc_diag_set(diag, SC_ELIMIT, "draft too long (%zu characters; the limit is %d)", n,
                           SC_CHECK_MAX_CHARS);
    return SC_OK;
}

enum sc_err sc_check(struct sc_library *lib, const char *text, size_t len,
                     const struct sc_check_opts *opts, struct sc_check_result *out,
                     struct sc_diag *diag)
{
    memset(out, 0, sizeof *out);
    double t0 = now_ms();
    struct sc_check_opts o;
    enum sc_err e = check_opts(opts, &o, diag);
    if (e == SC_OK)
        e = check_text(text, len, diag);
    if (e != SC_OK)
        return e;
    if (!text)
        text = "";
    enum sc_err le = SC_OK;
    struct sc_snap *snap = sc_index_snap_take(lib, &le, diag);
    if (le != SC_OK)
        return le;
    struct ck_draft d;
    struct ck_matches m;
    memset(&m, 0, sizeof m);
    uint8_t *found = NULL;
    e = ck_draft_init(&d, text, len);
    if (e != SC_OK)
        e = sc_diag_set(diag, e, "out of memory checking the draft");
    /* the paid rule: an answer that may depend on paid text takes one from
     * the caller's allowance before it is computed, whatever it says */
    int needs = e == SC_OK && snap && !o.entitled && snap->npaid && d.n >= o.min;
    int granted = 0;
    out->paid = o.entitled ? SC_PAID_READ : SC_PAID_FOUND;
    out->paid_left = -1;
    out->paid_why = "";
    if (needs && o.caller)
        granted = sc_paid_take(lib, o.caller, &out->paid_left, &out->paid_why);
    else if (needs)
        out->paid_why = "paid parts are not searched for this request";
    else if (!o.entitled && o.caller)
        out->paid_left = sc_paid_left(lib, o.caller);
    if (needs && !granted)
        out->paid = SC_PAID_FREE_ONLY;
    if (granted && !(found = sc_calloc(snap->ndocs, 1)))
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory checking the draft");
    if (e == SC_OK && snap)
        e = ck_find(snap, &d, o.min, CK_PIECES, !o.entitled, found, &m, diag);
    if (e == SC_OK && found && (e = ck_paid_only(snap, found, out)) != SC_OK)
        e = sc_diag_set(diag, e, "out of memory checking the draft");
    if (e == SC_OK) {
        if (snap)
            e = ck_report(snap, &d, &m, &o, out, diag);
        else if ((e = ck_sections(&d, out)) != SC_OK)
            e = sc_diag_set(diag, e, "out of memory checking the draft");
    }
    out->ndocs = snap ? snap->ndocs : 0;
    if (o.entitled) /* the matcher's counts depend on paid text */
        out->stats = (struct sc_check_stats){ m.st.keys,        m.st.windows,    m.st.anchors,
                                              m.st.anchors_run, m.st.list_bytes, m.st.candidates,
                                              m.st.extended,    m.n,             m.st.ms_keys,
                                              m.st.ms_anchors,  m.st.ms_run };
    free(found);
    ck_matches_release(&m);
    ck_draft_release(&d);
    sc_index_snap_give(lib, snap);
    if (e != SC_OK) {
        sc_check_result_release(out);
        return e;
    }
    out->took_ms = now_ms() - t0;
    return SC_OK;
}
