/*
 * The JSON of a 查重 result (include/sucai/check.h gives the contract):
 * byte offsets of the draft become code points here and nowhere else.
 */
#include "check/check_int.h"

#include <stdlib.h>
#include <string.h>

/* Code points before each byte offset, by binary search over the start
 * byte of every code point (the sources' offsets come in no order). */
struct cpindex {
    uint32_t *start; /* ncp + 1 */
    size_t ncp;
    struct ck_cpmap cur;
};

static size_t cp_at(struct cpindex *x, size_t byte)
{
    if (!x->start)
        return ck_cp_of(&x->cur, byte);
    size_t lo = 0, hi = x->ncp + 1; /* last start <= byte */
    while (hi - lo > 1) {
        size_t m = lo + (hi - lo) / 2;
        if (x->start[m] <= byte)
            lo = m;
        else
            hi = m;
    }
    return lo;
}

/* The matcher's counts (for an entitled caller: they depend on paid text). */
static void stats_json(struct sc_jw *w, const struct sc_check_stats *st)
{
    sc_jw_key(w, "stats");
    sc_jw_obj(w, SC_JW_INLINE);
    sc_jw_kint(w, "keys", (int64_t)st->keys);
    sc_jw_kint(w, "windows", (int64_t)st->windows);
    sc_jw_kint(w, "anchors", (int64_t)st->anchors);
    sc_jw_kint(w, "anchors_run", (int64_t)st->anchors_run);
    sc_jw_kint(w, "list_bytes", (int64_t)st->list_bytes);
    sc_jw_kint(w, "candidates", (int64_t)st->candidates);
    sc_jw_kint(w, "extended", (int64_t)st->extended);
    sc_jw_kint(w, "matches", (int64_t)st->matches);
    sc_jw_knum(w, "ms_keys", st->ms_keys, 3);
    sc_jw_knum(w, "ms_anchors", st->ms_anchors, 3);
    sc_jw_knum(w, "ms_run", st->ms_run, 3);
    sc_jw_obj_end(w);
}

void sc_check_json(struct sc_jw *w, const char *text, size_t len, const struct sc_check_result *r,
                   const struct sc_check_opts *opts, int flags)
{
    enum sc_jw_style lines = flags & SC_CHECK_JSON_LINES ? SC_JW_LINES : SC_JW_INLINE;
    struct cpindex x = { NULL, 0, { text, len, 0, 0 } };
    size_t ncp = sc_utf8_count(text, len);
    x.start = sc_malloc((ncp + 1) * sizeof *x.start);
    if (x.start) { /* else the linear cursor (slower, same answers) */
        size_t b = 0;
        for (size_t i = 0; i < ncp; i++) {
            x.start[i] = (uint32_t)b;
            unsigned char c = (unsigned char)text[b];
            b += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
            if (b > len)
                b = len;
        }
        x.start[ncp] = (uint32_t)len;
        x.ncp = ncp;
    }
    if (!(flags & SC_CHECK_JSON_MEMBERS))
        sc_jw_obj(w, SC_JW_INLINE);
    sc_jw_kint(w, "chars", (int64_t)r->chars);
    sc_jw_knum(w, "overlap", r->overlap, 6);
    sc_jw_kint(w, "copied", (int64_t)r->copied);
    sc_jw_kint(w, "common", (int64_t)r->common);
    if (opts) {
        sc_jw_kint(w, "min", (int64_t)(opts->min ? opts->min : SC_CHECK_MIN));
        sc_jw_kint(w, "common_docs", (int64_t)(opts->common ? opts->common : SC_CHECK_COMMON));
    }
    sc_jw_kint(w, "library_docs", r->ndocs);
    sc_jw_knum(w, "took_ms", r->took_ms, 3);
    sc_jw_key(w, "spans");
    sc_jw_arr(w, lines);
    for (size_t i = 0; i < r->nspans; i++) {
        const struct sc_check_span *sp = &r->spans[i];
        sc_jw_obj(w, SC_JW_INLINE);
        sc_jw_kint(w, "start", (int64_t)cp_at(&x, sp->start));
        sc_jw_kint(w, "end", (int64_t)cp_at(&x, sp->end));
        sc_jw_kbool(w, "common", sp->common);
        sc_jw_kint(w, "docs", sp->docs);
        sc_jw_key(w, "sources");
        sc_jw_arr(w, SC_JW_INLINE);
        for (size_t k = 0; k < sp->nsources; k++) {
            const struct sc_check_source *s = &sp->sources[k];
            sc_jw_obj(w, SC_JW_INLINE);
            if (s->id)
                sc_jw_kint(w, "id", s->id);
            else
                sc_jw_knull(w, "id");
            sc_jw_kstrz(w, "title", s->title);
            if (s->year)
                sc_jw_kint(w, "year", s->year);
            sc_jw_kint(w, "paragraph", s->paragraph);
            sc_jw_kstrz(w, "section", s->section);
            sc_jw_kint(w, "start", s->start_cp);
            sc_jw_kint(w, "end", s->end_cp);
            sc_jw_kint(w, "draft_start", (int64_t)cp_at(&x, s->draft_start));
            sc_jw_kint(w, "draft_end", (int64_t)cp_at(&x, s->draft_end));
            sc_jw_kbool(w, "paid", s->paid);
            sc_jw_kstrz(w, "text", s->text);
            sc_jw_obj_end(w);
        }
        sc_jw_arr_end(w);
        sc_jw_obj_end(w);
    }
    sc_jw_arr_end(w);
    sc_jw_key(w, "sections");
    sc_jw_arr(w, lines);
    for (size_t i = 0; i < r->nsections; i++) {
        const struct sc_check_section *s = &r->sections[i];
        sc_jw_obj(w, SC_JW_INLINE);
        struct sc_buf h = SC_BUF_INIT; /* the heading as the draft has it */
        sc_buf_adds(&h, s->label);
        sc_buf_adds(&h, s->heading);
        sc_jw_kstr(w, "heading", h.data, h.len);
        sc_buf_release(&h);
        sc_jw_kstrz(w, "label", s->label);
        sc_jw_kstrz(w, "title", s->heading);
        sc_jw_kint(w, "level", s->level);
        sc_jw_kint(w, "start", (int64_t)cp_at(&x, s->start));
        sc_jw_kint(w, "end", (int64_t)cp_at(&x, s->end));
        sc_jw_kint(w, "chars", (int64_t)s->chars);
        sc_jw_kint(w, "copied", (int64_t)s->copied);
        sc_jw_knum(w, "overlap", s->overlap, 6);
        sc_jw_obj_end(w);
    }
    sc_jw_arr_end(w);
    /* how paid text entered the answer (docs/internals/members.md) */
    sc_paid_parts_json(w, r->paid, (int64_t)r->npaid_only, r->paid_left, r->paid_why);
    sc_jw_key(w, "paid_only");
    sc_jw_arr(w, SC_JW_INLINE);
    for (size_t i = 0; i < r->npaid_only; i++) {
        sc_jw_obj(w, SC_JW_INLINE);
        sc_jw_kint(w, "id", r->paid_only[i].id);
        sc_jw_kstrz(w, "title", r->paid_only[i].title);
        sc_jw_obj_end(w);
    }
    sc_jw_arr_end(w);
    if (r->paid == SC_PAID_READ)
        stats_json(w, &r->stats);
    if (flags & SC_CHECK_JSON_TEXT)
        sc_jw_kstr(w, "text", text, len);
    if (!(flags & SC_CHECK_JSON_MEMBERS))
        sc_jw_obj_end(w);
    free(x.start);
}
