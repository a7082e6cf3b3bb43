/*
 * Test fixture: build an index segment from in-memory documents in a
 * temporary folder and search it through the engine, with the documents'
 * text served from memory (no store).
 */
#ifndef SEARCH_FIXTURE_H
#define SEARCH_FIXTURE_H

#include "search/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fixture {
    char dir[64];
    struct sc_doc *docs;
    size_t ndocs;
    struct sc_snap *snap;
};

static inline enum sc_err fixture_read(void *ctx, int64_t id, uint32_t total, uint32_t off,
                                       uint32_t len, char *buf)
{
    struct fixture *f = ctx;
    for (size_t i = 0; i < f->ndocs; i++)
        if (f->docs[i].id == id) {
            if (f->docs[i].text_len != total || (uint64_t)off + len > total)
                return SC_ENOTFOUND;
            memcpy(buf, f->docs[i].text + off, len);
            return SC_OK;
        }
    return SC_ENOTFOUND;
}

/* Build segments from docs: split = number of segments (1..). */
static inline int fixture_build(struct fixture *f, struct sc_doc *docs, size_t n, size_t split)
{
    memset(f, 0, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/sucai-test-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    f->docs = docs;
    f->ndocs = n;
    if (split < 1)
        split = 1;
    struct sc_seg *segs[16];
    size_t nseg = 0, per = (n + split - 1) / split;
    for (size_t start = 0; start < n || (n == 0 && nseg == 0); start += per ? per : 1) {
        struct sc_segbuild *sb;
        if (sc_segbuild_new(&sb) != SC_OK)
            return -1;
        for (size_t i = start; i < n && i < start + per; i++) {
            if (!docs[i].text_len && docs[i].text)
                docs[i].text_len = strlen(docs[i].text);
            struct sc_diag d = {0};
            if (sc_segbuild_add(sb, &docs[i], &d) != SC_OK) {
                fprintf(stderr, "add: %s\n", d.msg);
                sc_segbuild_free(sb);
                return -1;
            }
        }
        char path[128];
        snprintf(path, sizeof path, "%s/seg-%zu.sx", f->dir, nseg);
        struct sc_diag d = {0};
        if (sc_segbuild_write(sb, path, &d) != SC_OK) {
            fprintf(stderr, "write: %s\n", d.msg);
            sc_segbuild_free(sb);
            return -1;
        }
        sc_segbuild_free(sb);
        if (sc_seg_open(path, &segs[nseg], &d) != SC_OK) {
            fprintf(stderr, "open: %s\n", d.msg);
            return -1;
        }
        nseg++;
        if (n == 0)
            break;
    }
    return sc_snap_new(segs, nseg, &f->snap) == SC_OK ? 0 : -1;
}

static inline void fixture_release(struct fixture *f)
{
    sc_snap_free(f->snap);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", f->dir);
}

static inline enum sc_err fixture_search(struct fixture *f, const char *q, int para, size_t limit,
                                  int entitled, struct sc_results *r, struct sc_diag *d)
{
    struct sc_search_opts o = {0};
    o.query = q;
    o.mode = para ? SC_SEARCH_PARA : SC_SEARCH_DOC;
    o.limit = limit;
    o.entitled = entitled;
    return sc_engine_search(f->snap, &(struct sc_textsrc){fixture_read, f}, &o, r, d);
}

#endif
