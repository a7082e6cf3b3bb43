/*
 * Fuzz target: the query parser, and the engine evaluating whatever parses
 * over a tiny fixed index (built once on the first call). Input after a
 * line break is a filter value, tried on every filter field: the answer
 * with the filter must be the answer of its query text
 * (sc_search_query_text), else the target aborts.
 */
#include "search/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct sc_snap *SNAP;

static void build_once(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    char dir[] = "/tmp/sucai-fuzz-XXXXXX";
    if (!mkdtemp(dir))
        return;
    struct sc_segbuild *sb;
    if (sc_segbuild_new(&sb) != SC_OK)
        return;
    static const char *texts[] = {
        "标题一\n今年共受理112345件，通过。过开展专项行动，ＧＤＰ增长5%。\n依法行政 工作",
        "标题二\n政 府 服务仍有差距。\n(一) A|B \"引号\" -减号 OR 或",
    };
    for (size_t i = 0; i < 2; i++) {
        struct sc_doc d;
        memset(&d, 0, sizeof d);
        d.id = (int64_t)i + 1;
        d.title = (char *)"标题";
        d.text = (char *)texts[i];
        d.text_len = strlen(texts[i]);
        d.year = 2023;
        d.paid_from_cp = i ? 3 : -1;
        d.paid_to_cp = -1;
        sc_segbuild_add(sb, &d, NULL);
    }
    char path[64];
    snprintf(path, sizeof path, "%s/seg.sx", dir);
    struct sc_seg *seg = NULL;
    if (sc_segbuild_write(sb, path, NULL) == SC_OK && sc_seg_open(path, &seg, NULL) == SC_OK)
        sc_snap_new(&seg, 1, &SNAP);
    sc_segbuild_free(sb);
    unlink(path);
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 2048)
        return 0;
    char *q = malloc(size + 1);
    if (!q)
        return 0;
    memcpy(q, data, size);
    q[size] = '\0';
    struct sc_query pq;
    struct sc_diag d = {0};
    if (sc_query_parse(q, size, &pq, &d) == SC_OK) {
        struct sc_buf b = SC_BUF_INIT;
        sc_query_dump(&b, &pq);
        sc_buf_release(&b);
    }
    sc_query_release(&pq);
    build_once();
    if (SNAP && strlen(q) == size) {
        for (int mode = 0; mode < 2; mode++) {
            struct sc_search_opts o = {0};
            o.query = q;
            o.mode = mode ? SC_SEARCH_PARA : SC_SEARCH_DOC;
            o.limit = 5;
            o.facets = 1;
            struct sc_results r;
            sc_engine_search(SNAP, NULL, &o, &r, NULL);
            struct sc_buf b = SC_BUF_INIT;
            sc_results_json(&b, &r, o.mode);
            sc_buf_release(&b);
            sc_results_release(&r);
        }
    }
    char *nl = SNAP && strlen(q) == size ? strchr(q, '\n') : NULL;
    if (nl) {
        *nl = '\0';
        for (int f = 0; f < SC_FILTER_FIELDS; f++) {
            struct sc_search_filter flt = { (enum sc_filter_field)f, nl + 1 };
            struct sc_search_opts o = { .query = q, .filters = &flt, .nfilters = 1, .limit = 3 };
            struct sc_results r, rt;
            enum sc_err e = sc_engine_search(SNAP, NULL, &o, &r, NULL);
            struct sc_buf text = SC_BUF_INIT;
            if (e == SC_OK && sc_search_query_text(&o, &text, NULL) == SC_OK &&
                text.len <= SC_MAX_QUERY_BYTES) {
                struct sc_search_opts ot = { .query = text.data, .limit = 3 };
                if (sc_engine_search(SNAP, NULL, &ot, &rt, NULL) != SC_OK || rt.total != r.total)
                    abort(); /* the filter and its text disagree */
                sc_results_release(&rt);
            }
            sc_buf_release(&text);
            sc_results_release(&r);
        }
    }
    free(q);
    return 0;
}
