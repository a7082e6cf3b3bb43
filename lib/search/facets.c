/*
 * Facets (genre, year, level, section kind) counted over the whole result
 * set from the snapshot's per-document facet keys.
 */
#include "search/engine_int.h"

#include "sucai/gongwen.h"

#include <stdio.h>

/* ---------------------------------------------------------------- facets */

static int facet_push(struct sc_facet **v, size_t *n, const char *s, size_t len, int64_t count)
{
    struct sc_facet *nv = sc_reallocarray(*v, *n + 1, sizeof *nv);
    if (!nv)
        return -1;
    *v = nv;
    nv[*n].value = sc_strndup(s, len);
    if (!nv[*n].value)
        return -1;
    nv[*n].count = count;
    (*n)++;
    return 0;
}

static int cmp_facet(const void *x, const void *y)
{
    const struct sc_facet *a = x, *b = y;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->value, b->value);
}

#define FACET_YEAR_MIN 1900
#define FACET_YEAR_MAX 2199

/* Named facet values with their counts (names[i] counted in count[i]). */
static int names_emit(const struct sc_str32 *names, size_t n, const int64_t *count,
                      struct sc_facet **v, size_t *nv)
{
    for (size_t i = 1; i < n; i++)
        if (count[i] && facet_push(v, nv, names[i].p, names[i].len, count[i]))
            return -1;
    return 0;
}

/* Facet counting runs over every matching unit, so it counts into arrays
 * indexed by the snapshot's per-document facet keys and makes strings
 * only at the end. */
int sc_facets_make(struct ctx *c, const struct ulist *l, struct sc_facets *f)
{
    int64_t genre_n[SC_FACET_NAMES + 1] = { 0 }, level_n[SC_FACET_NAMES + 1] = { 0 };
    int64_t years[FACET_YEAR_MAX - FACET_YEAR_MIN + 1] = { 0 };
    int64_t kinds_n[SC_KIND_COUNT] = { 0 };
    const struct sc_facet_key *fkey = c->snap->fkey;
    for (size_t i = 0; i < l->n; i++) {
        uint64_t u = l->v[i].unit;
        uint32_t ord = unit_ord(c, u);
        const struct sc_facet_key *fk = &fkey[ord];
        genre_n[fk->genre]++;
        level_n[fk->level]++;
        if (fk->year >= FACET_YEAR_MIN && fk->year <= FACET_YEAR_MAX)
            years[fk->year - FACET_YEAR_MIN]++;
        uint32_t kinds = c->hide ? fk->kinds_shown : fk->kinds;
        if (c->para && kinds && (uint32_t)u == PARA_NONE) {
            kinds = 0; /* a paid part found: its sections are not told */
        } else if (c->para && kinds) {
            const struct sc_sdoc *d = doc_of(c->snap, ord, NULL);
            uint32_t s = d->para[(uint32_t)u].norm;
            struct sc_seen sb;
            const struct sc_seen *v = c->hide ? seen_of(c, ord, &sb) : NULL;
            kinds = 0;
            for (uint32_t k = 0; k < SC_KIND_COUNT; k++)
                if ((d->kinds >> k) & 1 && sc_in_kinds(d, v, s, s, 1u << k))
                    kinds |= 1u << k;
        }
        for (uint32_t k = 0; kinds && k < SC_KIND_COUNT; k++)
            kinds_n[k] += (kinds >> k) & 1;
    }
    if (names_emit(c->snap->genre_name, c->snap->ngenre_name, genre_n, &f->genre, &f->ngenre) ||
        names_emit(c->snap->level_name, c->snap->nlevel_name, level_n, &f->level, &f->nlevel))
        return -1;
    for (int y = FACET_YEAR_MAX; y >= FACET_YEAR_MIN; y--) { /* newest first */
        if (!years[y - FACET_YEAR_MIN])
            continue;
        char tmp[16];
        int k = snprintf(tmp, sizeof tmp, "%d", y);
        if (facet_push(&f->year, &f->nyear, tmp, (size_t)k, years[y - FACET_YEAR_MIN]))
            return -1;
    }
    for (uint32_t k = 0; k < SC_KIND_COUNT; k++) {
        if (!kinds_n[k])
            continue;
        const char *nm = sc_kind_name((enum sc_section_kind)k);
        if (facet_push(&f->kind, &f->nkind, nm, strlen(nm), kinds_n[k]))
            return -1;
    }
    if (f->ngenre)
        qsort(f->genre, f->ngenre, sizeof *f->genre, cmp_facet);
    if (f->nlevel)
        qsort(f->level, f->nlevel, sizeof *f->level, cmp_facet);
    if (f->nkind)
        qsort(f->kind, f->nkind, sizeof *f->kind, cmp_facet);
    return 0;
}
