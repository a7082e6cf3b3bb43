/*
 * Search results: release, and the JSON form shared by `sucai search
 * --json` and GET /api/v1/search.
 */
#include "sucai/search.h"

#include <stdlib.h>
#include <string.h>

static void facets_release(struct sc_facet *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(f[i].value);
    free(f);
}

void sc_results_release(struct sc_results *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nhits; i++) {
        struct sc_hit *h = &r->hits[i];
        free(h->title);
        free(h->section);
        free(h->genre);
        for (size_t k = 0; k < h->nsnippets; k++) {
            free(h->snippets[k].text);
            free(h->snippets[k].highlights);
            free(h->snippets[k].section);
        }
        free(h->snippets);
    }
    free(r->hits);
    facets_release(r->facets.genre, r->facets.ngenre);
    facets_release(r->facets.year, r->facets.nyear);
    facets_release(r->facets.level, r->facets.nlevel);
    facets_release(r->facets.kind, r->facets.nkind);
    memset(r, 0, sizeof *r);
}

static void facet_json(struct sc_buf *b, const char *name, const struct sc_facet *f, size_t n,
                       int first)
{
    sc_buf_addf(b, "%s\"%s\": [", first ? "" : ", ", name);
    for (size_t i = 0; i < n; i++) {
        sc_buf_adds(b, i ? ", {\"value\": " : "{\"value\": ");
        sc_json_strz(b, f[i].value);
        sc_buf_addf(b, ", \"count\": %lld}", (long long)f[i].count);
    }
    sc_buf_addc(b, ']');
}

void sc_results_json(struct sc_buf *b, const struct sc_results *r, enum sc_search_mode mode)
{
    sc_buf_addf(b, "{\"total\": %lld, \"took_ms\": %.3f, \"hits\": [", (long long)r->total,
                r->took_ms);
    for (size_t i = 0; i < r->nhits; i++) {
        const struct sc_hit *h = &r->hits[i];
        sc_buf_addf(b, "%s{\"id\": %lld, \"title\": ", i ? ", " : "", (long long)h->id);
        sc_json_strz(b, h->title);
        if (h->paid_only)
            sc_buf_adds(b, ", \"score\": null, \"count\": null");
        else
            sc_buf_addf(b, ", \"score\": %.4f, \"count\": %lld", h->score, (long long)h->count);
        sc_buf_addf(b, ", \"paid\": %s, \"paid_only\": %s, \"year\": ", h->paid ? "true" : "false",
                    h->paid_only ? "true" : "false");
        if (h->year > 0)
            sc_buf_addf(b, "%d", h->year);
        else
            sc_buf_adds(b, "null");
        sc_buf_adds(b, ", \"genre\": ");
        sc_json_strz(b, h->genre);
        sc_buf_adds(b, ", \"docno\": ");
        sc_json_strz(b, h->docno[0] ? h->docno : NULL);
        char date[11];
        sc_date_format(h->date, date);
        sc_buf_adds(b, ", \"date\": ");
        sc_json_strz(b, date[0] ? date : NULL);
        if (mode == SC_SEARCH_PARA) {
            if (h->paragraph >= 0)
                sc_buf_addf(b, ", \"paragraph\": %lld, \"section\": ", (long long)h->paragraph);
            else
                sc_buf_adds(b, ", \"paragraph\": null, \"section\": ");
            sc_json_strz(b, h->section ? h->section : "");
        }
        sc_buf_adds(b, ", \"snippets\": [");
        for (size_t k = 0; k < h->nsnippets; k++) {
            const struct sc_snippet *s = &h->snippets[k];
            sc_buf_adds(b, k ? ", {\"text\": " : "{\"text\": ");
            sc_json_strz(b, s->text);
            sc_buf_adds(b, ", \"highlights\": [");
            for (size_t x = 0; x < s->nhighlights; x++)
                sc_buf_addf(b, "%s[%lld, %lld]", x ? ", " : "", (long long)s->highlights[x][0],
                            (long long)s->highlights[x][1]);
            sc_buf_addf(b, "], \"start\": %lld, \"section\": ", (long long)s->start);
            sc_json_strz(b, s->section ? s->section : "");
            sc_buf_addf(b, ", \"paid\": %s}", s->paid ? "true" : "false");
        }
        sc_buf_adds(b, "]}");
    }
    sc_buf_addc(b, ']');
    /* how paid text entered the answer (docs/internals/members.md) */
    sc_buf_addf(b, ", \"paid_parts\": {\"readable\": %s, \"searched\": %s, \"only\": %lld, ",
                r->paid == SC_PAID_READ ? "true" : "false",
                r->paid == SC_PAID_FREE_ONLY ? "false" : "true", (long long)r->paid_only);
    if (r->paid_left >= 0)
        sc_buf_addf(b, "\"left\": %lld", (long long)r->paid_left);
    else
        sc_buf_adds(b, "\"left\": null");
    if (r->paid == SC_PAID_FREE_ONLY) {
        sc_buf_adds(b, ", \"note\": ");
        sc_json_strz(b, r->paid_why && *r->paid_why ? r->paid_why
                                                    : "paid parts were not searched");
    }
    sc_buf_addc(b, '}');
    if (r->has_facets) {
        sc_buf_adds(b, ", \"facets\": {");
        facet_json(b, "genre", r->facets.genre, r->facets.ngenre, 1);
        facet_json(b, "year", r->facets.year, r->facets.nyear, 0);
        facet_json(b, "level", r->facets.level, r->facets.nlevel, 0);
        facet_json(b, "kind", r->facets.kind, r->facets.nkind, 0);
        sc_buf_addc(b, '}');
    }
    sc_buf_addc(b, '}');
}
