/*
 * Test fixture for 查重: index segments built from in-memory documents in a
 * temporary folder, a snapshot over them, and the check run on it the way
 * sc_check runs it on a library's snapshot (lib/check/check_int.h).
 */
#ifndef CHECK_FIXTURE_H
#define CHECK_FIXTURE_H

#include "check/check_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ckfix {
    char dir[64];
    struct sc_snap *snap;
};

/* docs[0..n) (ids increasing) into nseg segments. 0 on success. */
static inline int ckfix_build(struct ckfix *f, struct sc_doc *docs, size_t n, size_t nseg)
{
    memset(f, 0, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/sucai-check-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    struct sc_seg *segs[16];
    size_t ns = 0, per = (n + nseg - 1) / (nseg ? nseg : 1);
    if (per == 0)
        per = 1;
    for (size_t start = 0; start < n && ns < 16; start += per) {
        struct sc_segbuild *sb;
        struct sc_diag d = { 0 };
        if (sc_segbuild_new(&sb) != SC_OK)
            return -1;
        for (size_t i = start; i < n && i < start + per; i++)
            if (sc_segbuild_add(sb, &docs[i], &d) != SC_OK) {
                fprintf(stderr, "add: %s\n", d.msg);
                sc_segbuild_free(sb);
                return -1;
            }
        char path[128];
        snprintf(path, sizeof path, "%s/seg-%zu.sx", f->dir, ns);
        enum sc_err e = sc_segbuild_write(sb, path, &d);
        sc_segbuild_free(sb);
        if (e != SC_OK || sc_seg_open(path, &segs[ns], &d) != SC_OK) {
            fprintf(stderr, "segment: %s\n", d.msg);
            return -1;
        }
        ns++;
    }
    return sc_snap_new(segs, ns, &f->snap) == SC_OK ? 0 : -1;
}

static inline void ckfix_release(struct ckfix *f)
{
    if (f->snap)
        sc_snap_free(f->snap);
    f->snap = NULL;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", f->dir);
}

/* The check of text against the fixture, as sc_check does it (a caller
 * who is not entitled has its allowance granted: paid_only is filled). */
static inline enum sc_err ckfix_check(struct ckfix *f, const char *text, size_t len,
                                      const struct sc_check_opts *o, struct sc_check_result *r)
{
    memset(r, 0, sizeof *r);
    struct ck_draft d;
    struct ck_matches m;
    struct sc_diag dg = { 0 };
    struct sc_check_opts oo = *o;
    if (!oo.min)
        oo.min = SC_CHECK_MIN;
    if (!oo.common)
        oo.common = SC_CHECK_COMMON;
    if (!oo.max_sources)
        oo.max_sources = SC_CHECK_SOURCES;
    enum sc_err e = ck_draft_init(&d, text, len);
    if (e != SC_OK)
        return e;
    uint8_t *found = NULL;
    if (!oo.entitled && !(found = calloc(f->snap->ndocs ? f->snap->ndocs : 1, 1))) {
        ck_draft_release(&d);
        return SC_ENOMEM;
    }
    r->paid = oo.entitled ? SC_PAID_READ : SC_PAID_FOUND;
    r->paid_left = -1;
    r->paid_why = "";
    e = ck_find(f->snap, &d, oo.min, CK_PIECES, !oo.entitled, found, &m, &dg);
    if (e == SC_OK && found)
        e = ck_paid_only(f->snap, found, r);
    if (e == SC_OK)
        e = ck_report(f->snap, &d, &m, &oo, r, &dg);
    free(found);
    r->stats = (struct sc_check_stats){ m.st.keys,
                                        m.st.windows,
                                        m.st.anchors,
                                        m.st.anchors_run,
                                        m.st.list_bytes,
                                        m.st.candidates,
                                        m.st.extended,
                                        m.n,
                                        0,
                                        0,
                                        0 };
    ck_matches_release(&m);
    ck_draft_release(&d);
    return e;
}

#endif
