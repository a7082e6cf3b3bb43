/*
 * The paid cut: which part of a document's text a caller may see. Every
 * path that shows or matches text asks here (the reader and its sections,
 * export, the search index through sc_paid_cut on its own units), so the
 * edge rules are written once: the title line is public, an empty range
 * withholds nothing, a span is visible only when wholly outside the
 * withheld range, and a section whose heading line meets it is a paid
 * section.
 */
#include "library_int.h"

#include <string.h>

int sc_paid_cut(int64_t paid_from, int64_t paid_to, int64_t body, int64_t len, int64_t *from,
                int64_t *to)
{
    *from = *to = 0;
    if (paid_from < 0 || len <= 0)
        return 0;
    if (body < 0)
        body = 0;
    if (body > len)
        body = len;
    int64_t f = paid_from < body ? body : paid_from;
    int64_t t = paid_to < 0 || paid_to > len ? len : paid_to;
    if (f >= t)
        return 0;
    *from = f;
    *to = t;
    return 1;
}

int sc_doc_cut(const struct sc_doc *doc, const struct sc_view *v, struct sc_cut *out)
{
    memset(out, 0, sizeof *out);
    out->headings = v && v->headings;
    if ((v && v->entitled) || doc->paid_from_cp < 0)
        return 0;
    const char *t = doc->text ? doc->text : "";
    size_t tl = doc->text ? doc->text_len : 0;
    if (!doc->text) {
        /* no text to measure: withhold from paid_from on, whatever the length */
        out->from_cp = out->line_cp = doc->paid_from_cp;
        out->to_cp = doc->paid_to_cp >= 0 ? doc->paid_to_cp : INT64_MAX;
        if (out->to_cp <= out->from_cp)
            out->from_cp = out->to_cp = out->line_cp = 0;
        return out->from_cp != out->to_cp;
    }
    /* one walk: the body's start, the length, and the line of `from` */
    int64_t body = -1, len = 0;
    for (size_t i = 0; i < tl; i++) {
        unsigned char c = (unsigned char)t[i];
        if ((c & 0xC0) == 0x80)
            continue;
        if (c == '\n' && body < 0)
            body = len + 1;
        len++;
    }
    if (body < 0)
        body = len;
    if (!sc_paid_cut(doc->paid_from_cp, doc->paid_to_cp, body, len, &out->from_cp, &out->to_cp))
        return 0;
    /* the start of the line holding `from` */
    size_t fb = sc_utf8_offset(t, tl, (size_t)out->from_cp);
    size_t lb = fb;
    while (lb > 0 && t[lb - 1] != '\n')
        lb--;
    out->line_cp = out->from_cp - (int64_t)sc_utf8_count(t + lb, fb - lb);
    return 1;
}

void sc_doc_text_shown(struct sc_buf *out, const struct sc_doc *doc, const struct sc_view *v)
{
    const char *t = doc->text ? doc->text : "";
    size_t tl = doc->text ? doc->text_len : 0;
    struct sc_cut c;
    if (!sc_doc_cut(doc, v, &c)) {
        sc_buf_add(out, t, tl);
        return;
    }
    size_t a = sc_utf8_offset(t, tl, (size_t)c.from_cp);
    size_t b = c.to_cp == INT64_MAX ? tl : sc_utf8_offset(t, tl, (size_t)c.to_cp);
    sc_buf_add(out, t, a);
    sc_buf_add(out, t + b, tl - b);
}
