/*
 * sc_parsed_json: a stable, indented JSON form of a parse, one field per
 * line and one section, point or boilerplate line per line, so that golden
 * files diff readably. Field order is fixed; offsets are code points.
 */
#include "gongwen_int.h"

#include <string.h>

static void str_or_null(struct sc_buf *b, const char *s)
{
    sc_json_strz(b, s);
}

static void section_json(struct sc_buf *b, const struct sc_section *s)
{
    sc_buf_addf(b, "{\"level\": %d, \"label\": ", s->level);
    str_or_null(b, s->label);
    sc_buf_adds(b, ", \"heading\": ");
    str_or_null(b, s->heading);
    sc_buf_addf(b, ", \"kind\": \"%s\", \"start\": %lld, \"end\": %lld", sc_kind_name(s->kind),
                (long long)s->start, (long long)s->end);
    if (s->fault) {
        sc_buf_adds(b, ", \"fault\": ");
        str_or_null(b, s->fault);
    }
    if (s->npoints) {
        sc_buf_adds(b, ", \"points\": [");
        for (size_t i = 0; i < s->npoints; i++) {
            sc_buf_adds(b, i ? ", " : "");
            sc_buf_adds(b, "{\"label\": ");
            str_or_null(b, s->points[i].label);
            sc_buf_addf(b, ", \"start\": %lld, \"end\": %lld}", (long long)s->points[i].start,
                        (long long)s->points[i].end);
        }
        sc_buf_adds(b, "]");
    }
    sc_buf_adds(b, "}");
}

static void article_json(struct sc_buf *b, const struct sc_article *a)
{
    sc_buf_adds(b, "    {\n      \"title\": ");
    str_or_null(b, a->title);
    sc_buf_addf(b, ",\n      \"src_line\": %lld,\n", (long long)a->src_line);
    sc_buf_addf(b, "      \"chars\": %zu,\n", sc_utf8_count(a->text.data, a->text.len));
    sc_buf_addf(b, "      \"paid_from\": %lld,\n      \"paid_to\": %lld,\n",
                (long long)a->paid_from, (long long)a->paid_to);
    sc_buf_adds(b, "      \"genre\": ");
    str_or_null(b, a->genre);
    sc_buf_addf(b, ",\n      \"year\": %d,\n      \"unit\": ", a->year);
    str_or_null(b, a->unit);
    sc_buf_adds(b, ",\n      \"level\": ");
    str_or_null(b, a->level);
    sc_buf_adds(b, ",\n      \"topics\": [");
    for (size_t i = 0; i < a->ntopics; i++) {
        sc_buf_adds(b, i ? ", " : "");
        str_or_null(b, a->topics[i]);
    }
    sc_buf_adds(b, "],\n      \"sections\": [");
    for (size_t i = 0; i < a->nsections; i++) {
        sc_buf_adds(b, i ? ",\n        " : "\n        ");
        section_json(b, &a->sections[i]);
    }
    sc_buf_adds(b, a->nsections ? "\n      ],\n" : "],\n");
    sc_buf_adds(b, "      \"text\": ");
    sc_json_str(b, a->text.data, a->text.len);
    sc_buf_adds(b, "\n    }");
}

void sc_parsed_json(struct sc_buf *b, const struct sc_parsed *p)
{
    sc_buf_addf(b, "{\n  \"is_compilation\": %s,\n  \"articles\": [",
                p->is_compilation ? "true" : "false");
    for (size_t i = 0; i < p->narticles; i++) {
        sc_buf_adds(b, i ? ",\n" : "\n");
        article_json(b, &p->articles[i]);
    }
    sc_buf_adds(b, p->narticles ? "\n  ],\n" : "],\n");
    sc_buf_adds(b, "  \"boilerplate\": [");
    for (size_t i = 0; i < p->nboiler; i++) {
        const struct sc_boilerplate *bp = &p->boiler[i];
        sc_buf_adds(b, i ? ",\n    " : "\n    ");
        sc_buf_addf(b, "{\"line\": %lld, \"reason\": ", (long long)bp->line);
        str_or_null(b, bp->reason);
        sc_buf_adds(b, ", \"text\": ");
        str_or_null(b, bp->text);
        sc_buf_adds(b, "}");
    }
    sc_buf_adds(b, p->nboiler ? "\n  ]\n}\n" : "]\n}\n");
}
