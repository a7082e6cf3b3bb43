/*
 * sc_compile_ids() and sc_compile_query(): fetch documents from a library
 * (by id, or the top hits of a search in rank order) and compile them.
 * Kept apart from compile.c so the pure compiler links without the store.
 */
#include "export_int.h"

#include "sucai/search.h"

#include <stdlib.h>
#include <string.h>

static enum sc_err compile_fetched(struct sc_library *lib, const int64_t *ids, size_t n,
                                   const struct sc_compile_opts *opts, struct sc_buf *out,
                                   struct sc_compile_info *info, struct sc_diag *diag)
{
    if (n == 0)
        return sc_diag_set(diag, SC_EINVAL, "compile: no documents");
    if (n > SC_MAX_COMPILE_DOCS)
        return sc_diag_set(diag, SC_EINVAL, "compile: %zu documents, at most %d", n,
                           SC_MAX_COMPILE_DOCS);
    struct sc_doc *docs = sc_calloc(n, sizeof *docs);
    const struct sc_doc **ptrs = sc_calloc(n, sizeof *ptrs);
    size_t got = 0;
    enum sc_err err = SC_OK;
    if (!docs || !ptrs) {
        err = sc_diag_set(diag, SC_ENOMEM, "compile: out of memory");
        goto out;
    }
    for (size_t k = 0; k < n; k++) {
        size_t j;
        for (j = 0; j < k && ids[j] != ids[k]; j++)
            ;
        if (j < k)
            continue; /* the same document twice: once is enough */
        err = sc_doc_get(lib, ids[k], SC_DOC_TEXT | SC_DOC_OUTLINE, &docs[got], diag);
        if (err != SC_OK) {
            if (err == SC_ENOTFOUND)
                sc_diag_set(diag, err, "document %lld not found", (long long)ids[k]);
            goto out;
        }
        ptrs[got] = &docs[got];
        got++;
    }
    err = sc_compile(ptrs, got, opts, out, info, diag);
out:
    for (size_t k = 0; k < got; k++)
        sc_doc_release(&docs[k]);
    free(docs);
    free(ptrs);
    return err;
}

enum sc_err sc_compile_ids(struct sc_library *lib, const int64_t *ids, size_t n,
                           const struct sc_compile_opts *opts, struct sc_buf *out,
                           struct sc_compile_info *info, struct sc_diag *diag)
{
    if (info)
        memset(info, 0, sizeof *info);
    if (!lib || (!ids && n))
        return sc_diag_set(diag, SC_EINVAL, "compile: no library or ids");
    return compile_fetched(lib, ids, n, opts, out, info, diag);
}

enum sc_err sc_compile_query(struct sc_library *lib, const char *query, size_t limit,
                             const struct sc_compile_opts *opts, struct sc_buf *out,
                             struct sc_compile_info *info, struct sc_diag *diag)
{
    if (info)
        memset(info, 0, sizeof *info);
    if (!lib || !query)
        return sc_diag_set(diag, SC_EINVAL, "compile: no library or query");
    if (limit == 0)
        limit = 20;
    if (limit > SC_MAX_LIMIT)
        limit = SC_MAX_LIMIT;
    struct sc_search_opts so;
    memset(&so, 0, sizeof so);
    so.query = query;
    so.mode = SC_SEARCH_DOC;
    so.limit = limit;
    so.entitled = opts ? opts->entitled : 0;
    so.caller = opts ? opts->caller : NULL;
    struct sc_results res;
    memset(&res, 0, sizeof res);
    enum sc_err err = sc_search(lib, &so, &res, diag);
    int64_t *ids = NULL;
    if (err == SC_OK && res.nhits == 0)
        err = sc_diag_set(diag, SC_ENOTFOUND, "no documents match '%s'", query);
    if (err == SC_OK && !(ids = sc_calloc(res.nhits, sizeof *ids)))
        err = sc_diag_set(diag, SC_ENOMEM, "compile: out of memory");
    if (err == SC_OK) {
        for (size_t k = 0; k < res.nhits; k++)
            ids[k] = res.hits[k].id;
        err = compile_fetched(lib, ids, res.nhits, opts, out, info, diag);
    }
    free(ids);
    sc_results_release(&res);
    return err;
}
