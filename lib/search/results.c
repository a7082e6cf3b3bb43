/*
 * Search results: release, and the JSON form shared by `sucai search
 * --json` and GET /api/v1/search.
 */
#include "sucai/search.h"

#include "sucai/json.h"

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
            free(h->snippets[k].highlights_cp);
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

int sc_snippet_mark(const struct sc_snippet *s, size_t i, size_t *from, size_t *to)
{
    if (!s || !s->text || i >= s->nhighlights || s->highlights_cp[i][0] < 0 ||
        s->highlights_cp[i][1] < s->highlights_cp[i][0])
        return -1;
    size_t len = strlen(s->text);
    *from = sc_utf8_offset(s->text, len, (size_t)s->highlights_cp[i][0]);
    *to = sc_utf8_offset(s->text, len, (size_t)s->highlights_cp[i][1]);
    return 0;
}

static void facet_json(struct sc_jw *w, const char *name, const struct sc_facet *f, size_t n)
{
    sc_jw_key(w, name);
    sc_jw_arr(w, SC_JW_INLINE);
    for (size_t i = 0; i < n; i++) {
        sc_jw_obj(w, SC_JW_INLINE);
        sc_jw_kstrz(w, "value", f[i].value);
        sc_jw_kint(w, "count", f[i].count);
        sc_jw_obj_end(w);
    }
    sc_jw_arr_end(w);
}

static void hit_json(struct sc_jw *w, const struct sc_hit *h, enum sc_search_mode mode)
{
    sc_jw_obj(w, SC_JW_INLINE);
    sc_jw_kint(w, "id", h->id);
    sc_jw_kstrz(w, "title", h->title);
    if (h->paid_only) {
        sc_jw_knull(w, "score");
        sc_jw_knull(w, "count");
    } else {
        sc_jw_knum(w, "score", h->score, 4);
        sc_jw_kint(w, "count", h->count);
    }
    sc_jw_kbool(w, "paid", h->paid);
    sc_jw_kbool(w, "paid_only", h->paid_only);
    if (h->year > 0)
        sc_jw_kint(w, "year", h->year);
    else
        sc_jw_knull(w, "year");
    sc_jw_kstrz(w, "genre", h->genre);
    sc_jw_kstrz(w, "docno", h->docno[0] ? h->docno : NULL);
    char date[11];
    sc_date_format(h->date, date);
    sc_jw_kstrz(w, "date", date[0] ? date : NULL);
    if (mode == SC_SEARCH_PARA) {
        if (h->paragraph >= 0)
            sc_jw_kint(w, "paragraph", h->paragraph);
        else
            sc_jw_knull(w, "paragraph");
        sc_jw_kstrz(w, "section", h->section ? h->section : "");
    }
    sc_jw_key(w, "snippets");
    sc_jw_arr(w, SC_JW_INLINE);
    for (size_t k = 0; k < h->nsnippets; k++) {
        const struct sc_snippet *s = &h->snippets[k];
        sc_jw_obj(w, SC_JW_INLINE);
        sc_jw_kstrz(w, "text", s->text);
        sc_jw_key(w, "highlights");
        sc_jw_arr(w, SC_JW_INLINE);
        for (size_t x = 0; x < s->nhighlights; x++) {
            sc_jw_arr(w, SC_JW_INLINE);
            sc_jw_int(w, s->highlights_cp[x][0]);
            sc_jw_int(w, s->highlights_cp[x][1]);
            sc_jw_arr_end(w);
        }
        sc_jw_arr_end(w);
        sc_jw_kint(w, "start", s->start_cp);
        sc_jw_kstrz(w, "section", s->section ? s->section : "");
        sc_jw_kbool(w, "paid", s->paid);
        sc_jw_obj_end(w);
    }
    sc_jw_arr_end(w);
    sc_jw_obj_end(w);
}

void sc_paid_parts_json(struct sc_jw *w, enum sc_paid_answer paid, int64_t only, int64_t left,
                        const char *why)
{
    sc_jw_key(w, "paid_parts");
    sc_jw_obj(w, SC_JW_INLINE);
    sc_jw_kbool(w, "readable", paid == SC_PAID_READ);
    sc_jw_kbool(w, "searched", paid != SC_PAID_FREE_ONLY);
    sc_jw_kint(w, "only", only);
    if (left >= 0)
        sc_jw_kint(w, "left", left);
    else
        sc_jw_knull(w, "left");
    if (paid == SC_PAID_FREE_ONLY)
        sc_jw_kstrz(w, "note", why && *why ? why : "paid parts were not searched");
    sc_jw_obj_end(w);
}

void sc_results_json_members(struct sc_jw *w, const struct sc_results *r, enum sc_search_mode mode)
{
    sc_jw_kint(w, "total", r->total);
    sc_jw_knum(w, "took_ms", r->took_ms, 3);
    sc_jw_key(w, "hits");
    sc_jw_arr(w, SC_JW_INLINE);
    for (size_t i = 0; i < r->nhits; i++)
        hit_json(w, &r->hits[i], mode);
    sc_jw_arr_end(w);
    sc_paid_parts_json(w, r->paid, r->paid_only, r->paid_left, r->paid_why);
    if (r->has_facets) {
        sc_jw_key(w, "facets");
        sc_jw_obj(w, SC_JW_INLINE);
        facet_json(w, "genre", r->facets.genre, r->facets.ngenre);
        facet_json(w, "year", r->facets.year, r->facets.nyear);
        facet_json(w, "level", r->facets.level, r->facets.nlevel);
        facet_json(w, "kind", r->facets.kind, r->facets.nkind);
        sc_jw_obj_end(w);
    }
}

void sc_results_json(struct sc_buf *b, const struct sc_results *r, enum sc_search_mode mode)
{
    struct sc_jw w;
    sc_jw_init(&w, b);
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_results_json_members(&w, r, mode);
    sc_jw_obj_end(&w);
}
