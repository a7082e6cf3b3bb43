/*
 * sc_parsed_json: a stable, indented JSON form of a parse, one field per
 * line and one section, point or boilerplate line per line, so that golden
 * files diff readably. Field order is fixed; offsets are code points.
 */
#include "gongwen_int.h"

#include "sucai/json.h"

#include <string.h>

static void section_json(struct sc_jw *w, const struct sc_section *s)
{
    sc_jw_obj(w, SC_JW_INLINE);
    sc_jw_kint(w, "level", s->level);
    sc_jw_kstrz(w, "label", s->label);
    sc_jw_kstrz(w, "heading", s->heading);
    sc_jw_kstrz(w, "kind", sc_kind_name(s->kind));
    sc_jw_kint(w, "start", s->start_cp);
    sc_jw_kint(w, "end", s->end_cp);
    if (s->fault)
        sc_jw_kstrz(w, "fault", s->fault);
    if (s->npoints) {
        sc_jw_key(w, "points");
        sc_jw_arr(w, SC_JW_INLINE);
        for (size_t i = 0; i < s->npoints; i++) {
            sc_jw_obj(w, SC_JW_INLINE);
            sc_jw_kstrz(w, "label", s->points[i].label);
            sc_jw_kint(w, "start", s->points[i].start_cp);
            sc_jw_kint(w, "end", s->points[i].end_cp);
            sc_jw_obj_end(w);
        }
        sc_jw_arr_end(w);
    }
    sc_jw_obj_end(w);
}

static void article_json(struct sc_jw *w, const struct sc_article *a)
{
    sc_jw_obj(w, SC_JW_LINES);
    sc_jw_kstrz(w, "title", a->title);
    sc_jw_kint(w, "src_line", a->src_line);
    sc_jw_kint(w, "chars", (int64_t)sc_utf8_count(a->text.data, a->text.len));
    sc_jw_kint(w, "paid_from", a->paid_from_cp);
    sc_jw_kint(w, "paid_to", a->paid_to_cp);
    sc_jw_kstrz(w, "genre", a->genre);
    sc_jw_kint(w, "year", a->year);
    sc_jw_kstrz(w, "unit", a->unit);
    sc_jw_kstrz(w, "level", a->level);
    sc_jw_key(w, "topics");
    sc_jw_arr(w, SC_JW_INLINE);
    for (size_t i = 0; i < a->ntopics; i++)
        sc_jw_strz(w, a->topics[i]);
    sc_jw_arr_end(w);
    sc_jw_key(w, "sections");
    sc_jw_arr(w, SC_JW_LINES);
    for (size_t i = 0; i < a->nsections; i++)
        section_json(w, &a->sections[i]);
    sc_jw_arr_end(w);
    sc_jw_kstr(w, "text", a->text.data, a->text.len);
    sc_jw_obj_end(w);
}

void sc_parsed_json(struct sc_buf *b, const struct sc_parsed *p)
{
    struct sc_jw w;
    sc_jw_init(&w, b);
    sc_jw_obj(&w, SC_JW_LINES);
    sc_jw_kbool(&w, "is_compilation", p->is_compilation);
    sc_jw_key(&w, "articles");
    sc_jw_arr(&w, SC_JW_LINES);
    for (size_t i = 0; i < p->narticles; i++)
        article_json(&w, &p->articles[i]);
    sc_jw_arr_end(&w);
    sc_jw_key(&w, "boilerplate");
    sc_jw_arr(&w, SC_JW_LINES);
    for (size_t i = 0; i < p->nboiler; i++) {
        const struct sc_boilerplate *bp = &p->boiler[i];
        sc_jw_obj(&w, SC_JW_INLINE);
        sc_jw_kint(&w, "line", bp->line);
        sc_jw_kstrz(&w, "reason", bp->reason);
        sc_jw_kstrz(&w, "text", bp->text);
        sc_jw_obj_end(&w);
    }
    sc_jw_arr_end(&w);
    sc_jw_obj_end(&w);
    sc_buf_addc(b, '\n');
}
