/*
 * Reading documents back from the store: one by id, or all in id order,
 * with their outline; and their JSON forms for the CLI and the server.
 */
#include "library_int.h"

#include <stdlib.h>
#include <string.h>

#include "sucai/json.h"
#include "sucai/text.h"

void sc_doc_release(struct sc_doc *doc)
{
    free(doc->title);
    free(doc->text);
    free(doc->source_file);
    free(doc->genre);
    free(doc->unit);
    free(doc->level);
    free(doc->topics_json);
    sc_sections_free(doc->sections, doc->nsections);
    memset(doc, 0, sizeof *doc);
}

#define DOC_COLUMNS                                                                           \
    "d.id, d.title, d.chars, d.source_id, s.name, d.part, d.genre, d.year, d.unit, d.level, " \
    "d.topics, d.paid_from, d.paid_to, d.dup_of, d.similarity, "
/* the text column, or nothing when the caller does not want the text */
#define DOC_TEXT(flags) (((flags) & SC_DOC_TEXT) ? "d.text " : "NULL ")

/* SELECT DOC_COLUMNS ... WHERE where; the text column only when wanted. */
static struct sc_stmt *prepare_docs(struct sc_library *lib, int flags, const char *where,
                                    struct sc_diag *diag)
{
    struct sc_buf sql = SC_BUF_INIT;
    sc_buf_addf(&sql,
                "SELECT " DOC_COLUMNS "%s FROM documents d JOIN sources s ON s.id = d.source_id "
                "WHERE %s",
                DOC_TEXT(flags), where);
    struct sc_stmt *st = NULL;
    if (sql.failed)
        sc_diag_set(diag, SC_ENOMEM, "out of memory");
    else
        st = sc_store_prepare(sc_library_reader(lib), sql.data, diag);
    sc_buf_release(&sql);
    return st;
}

/* Fill doc from a row of DOC_COLUMNS; text only when wanted. */
static enum sc_err doc_from_row(struct sc_stmt *st, int flags, struct sc_doc *doc)
{
    int oom = 0;
    memset(doc, 0, sizeof *doc);
    doc->id = sc_stmt_column_int64(st, 0);
    doc->title = sc_column_dup(st, 1, &oom);
    doc->chars = sc_stmt_column_int64(st, 2);
    doc->source_id = sc_stmt_column_int64(st, 3);
    doc->source_file = sc_column_dup(st, 4, &oom);
    doc->part = sc_stmt_column_int(st, 5);
    doc->genre = sc_column_dup(st, 6, &oom);
    doc->year = sc_stmt_column_int(st, 7);
    doc->unit = sc_column_dup(st, 8, &oom);
    doc->level = sc_column_dup(st, 9, &oom);
    doc->topics_json = sc_column_dup(st, 10, &oom);
    doc->paid_from_cp = sc_stmt_column_int64(st, 11);
    doc->paid_to_cp = sc_stmt_column_int64(st, 12);
    doc->dup_of = sc_stmt_column_int64(st, 13);
    doc->similarity = sc_stmt_column_double(st, 14);
    if (flags & SC_DOC_TEXT) {
        /* either stored form: a zstd frame, or plain text (before schema 2) */
        enum sc_err te = sc_doc_text_column(st, 15, &doc->text, &doc->text_len);
        if (te != SC_OK) {
            sc_doc_release(doc);
            return te;
        }
        if (doc->text) {
            sc_docno_find(doc->text, doc->text_len, doc->docno);
            doc->docdate = sc_docdate_find(doc->text, doc->text_len);
        }
    }
    if (oom) {
        sc_doc_release(doc);
        return SC_ENOMEM;
    }
    return SC_OK;
}

static enum sc_err load_sections(struct sc_library *lib, struct sc_doc *doc,
                                 struct sc_diag *diag)
{
    struct sc_stmt *st =
        sc_store_prepare(sc_library_reader(lib),
                         "SELECT n, level, label, heading, kind, start, end, fault FROM sections "
                         "WHERE doc_id = ? ORDER BY n",
                         diag);
    struct sc_stmt *pt = sc_store_prepare(sc_library_reader(lib),
                                          "SELECT label, start, end FROM points "
                                          "WHERE doc_id = ? AND section_n = ? ORDER BY n",
                                          diag);
    if (!st || !pt) {
        sc_stmt_finalize(st);
        sc_stmt_finalize(pt);
        return SC_ESTORE;
    }
    enum sc_err e = SC_OK;
    int oom = 0, rc;
    size_t cap = 0;
    sc_stmt_bind_int64(st, 1, doc->id);
    while ((rc = sc_stmt_step(st)) == SC_STORE_ROW) {
        if (doc->nsections == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            struct sc_section *ns = sc_reallocarray(doc->sections, ncap, sizeof *ns);
            if (!ns) {
                e = SC_ENOMEM;
                break;
            }
            doc->sections = ns;
            cap = ncap;
        }
        struct sc_section *s = &doc->sections[doc->nsections++];
        memset(s, 0, sizeof *s);
        int n = sc_stmt_column_int(st, 0);
        s->level = sc_stmt_column_int(st, 1);
        s->label = sc_column_dup(st, 2, &oom);
        s->heading = sc_column_dup(st, 3, &oom);
        const char *kind = sc_stmt_column_text(st, 4);
        int k = kind ? sc_kind_parse(kind, strlen(kind)) : -1;
        s->kind = k < 0 ? SC_KIND_OTHER : (enum sc_section_kind)k;
        s->start_cp = sc_stmt_column_int64(st, 5);
        s->end_cp = sc_stmt_column_int64(st, 6);
        s->fault = sc_column_dup(st, 7, &oom);
        sc_stmt_reset(pt);
        sc_stmt_bind_int64(pt, 1, doc->id);
        sc_stmt_bind_int(pt, 2, n);
        size_t pcap = 0;
        while (sc_stmt_step(pt) == SC_STORE_ROW) {
            if (s->npoints == pcap) {
                size_t ncap = pcap ? pcap * 2 : 4;
                struct sc_point *np = sc_reallocarray(s->points, ncap, sizeof *np);
                if (!np) {
                    oom = 1;
                    break;
                }
                s->points = np;
                pcap = ncap;
            }
            struct sc_point *p = &s->points[s->npoints++];
            p->label = sc_column_dup(pt, 0, &oom);
            p->start_cp = sc_stmt_column_int64(pt, 1);
            p->end_cp = sc_stmt_column_int64(pt, 2);
        }
        if (oom) {
            e = SC_ENOMEM;
            break;
        }
    }
    if (e == SC_OK && rc != SC_STORE_DONE && rc != SC_STORE_ROW)
        e = sc_store_fail(sc_library_reader(lib), diag);
    if (e == SC_ENOMEM)
        sc_diag_set(diag, e, "out of memory reading the outline of document %lld",
                    (long long)doc->id);
    sc_stmt_finalize(st);
    sc_stmt_finalize(pt);
    return e;
}

enum sc_err sc_doc_get(struct sc_library *lib, int64_t id, int flags, struct sc_doc *out,
                       struct sc_diag *diag)
{
    memset(out, 0, sizeof *out);
    struct sc_stmt *st = prepare_docs(lib, flags, "d.id = ?", diag);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_int64(st, 1, id);
    enum sc_err e;
    int rc = sc_stmt_step(st);
    if (rc == SC_STORE_ROW) {
        e = doc_from_row(st, flags, out);
        if (e != SC_OK)
            sc_diag_set(diag, e,
                        e == SC_ENOMEM ? "out of memory reading document %lld"
                                       : "document %lld: its stored text is damaged",
                        (long long)id);
    } else if (rc == SC_STORE_DONE) {
        e = sc_diag_set(diag, SC_ENOTFOUND, "no document %lld", (long long)id);
    } else {
        e = sc_store_fail(sc_library_reader(lib), diag);
    }
    sc_stmt_finalize(st);
    if (e == SC_OK && (flags & SC_DOC_OUTLINE))
        e = load_sections(lib, out, diag);
    if (e != SC_OK)
        sc_doc_release(out);
    return e;
}

enum sc_err sc_doc_foreach(struct sc_library *lib, int64_t after_id, int flags, sc_doc_fn *fn,
                           void *ctx, struct sc_diag *diag)
{
    struct sc_stmt *st = prepare_docs(lib, flags, "d.id > ? ORDER BY d.id", diag);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_int64(st, 1, after_id);
    enum sc_err e = SC_OK;
    int rc;
    while ((rc = sc_stmt_step(st)) == SC_STORE_ROW) {
        struct sc_doc doc;
        e = doc_from_row(st, flags, &doc);
        if (e != SC_OK) {
            if (e == SC_ENOMEM)
                sc_diag_set(diag, e, "out of memory reading documents");
            else
                sc_diag_set(diag, e, "document %lld: its stored text is damaged",
                            (long long)sc_stmt_column_int64(st, 0));
            break;
        }
        if (flags & SC_DOC_OUTLINE)
            e = load_sections(lib, &doc, diag);
        int stop = e == SC_OK ? fn(ctx, &doc) : 1;
        sc_doc_release(&doc);
        if (stop)
            break;
    }
    if (e == SC_OK && rc != SC_STORE_DONE && rc != SC_STORE_ROW)
        e = sc_store_fail(sc_library_reader(lib), diag);
    sc_stmt_finalize(st);
    return e;
}

static void kint_or_null(struct sc_jw *w, const char *key, int64_t v, int64_t none)
{
    if (v == none)
        sc_jw_knull(w, key);
    else
        sc_jw_kint(w, key, v);
}

/* The metadata fields, into the object w has open. The "source" member is
 * the caller's: the file name here, {"file", "part"} in sc_doc_json. */
static void meta_members(struct sc_jw *w, const struct sc_doc *d)
{
    sc_jw_kint(w, "id", d->id);
    sc_jw_kstrz(w, "title", d->title);
    sc_jw_kint(w, "chars", d->chars);
}

static void meta_rest(struct sc_jw *w, const struct sc_doc *d)
{
    sc_jw_kstrz(w, "genre", d->genre);
    kint_or_null(w, "year", d->year, 0);
    sc_jw_kstrz(w, "unit", d->unit);
    sc_jw_kstrz(w, "level", d->level);
    sc_jw_key(w, "topics");
    if (d->topics_json)
        sc_jw_raw(w, d->topics_json, strlen(d->topics_json));
    else
        sc_jw_raw(w, "[]", 2);
    kint_or_null(w, "paid_from", d->paid_from_cp, -1);
    kint_or_null(w, "paid_to", d->paid_to_cp, -1);
    kint_or_null(w, "dup_of", d->dup_of, 0);
    if (d->dup_of)
        sc_jw_knum(w, "similarity", d->similarity, 3);
    else
        sc_jw_knull(w, "similarity");
}

void sc_doc_jw_meta(struct sc_jw *w, const struct sc_doc *d)
{
    sc_jw_obj(w, SC_JW_INLINE);
    meta_members(w, d);
    sc_jw_kstrz(w, "source", d->source_file);
    meta_rest(w, d);
    sc_jw_obj_end(w);
}

void sc_doc_json_meta(struct sc_buf *b, const struct sc_doc *d)
{
    struct sc_jw w;
    sc_jw_init(&w, b);
    sc_doc_jw_meta(&w, d);
}

/* An offset of a shown section or point, moved out of the withheld range. */
static int64_t cut_pos(const struct sc_cut *c, int64_t v)
{
    return c && c->from_cp != c->to_cp && v > c->from_cp && v < c->to_cp ? c->from_cp : v;
}

static void section_json(struct sc_jw *w, const struct sc_section *s, const struct sc_cut *c)
{
    sc_jw_obj(w, SC_JW_INLINE);
    sc_jw_kint(w, "level", s->level);
    sc_jw_kstrz(w, "label", s->label);
    sc_jw_kstrz(w, "heading", s->heading);
    sc_jw_kstrz(w, "kind", sc_kind_name(s->kind));
    sc_jw_kint(w, "start", cut_pos(c, s->start_cp));
    sc_jw_kint(w, "end", cut_pos(c, s->end_cp));
    if (s->fault)
        sc_jw_kstrz(w, "fault", s->fault);
    sc_jw_key(w, "points");
    sc_jw_arr(w, SC_JW_INLINE);
    for (size_t i = 0; i < s->npoints; i++) {
        const struct sc_point *pt = &s->points[i];
        /* a point whose label lies in the withheld range is paid text */
        if (c && !sc_cut_visible(c, pt->start_cp, pt->start_cp + 1) && !c->headings)
            continue;
        sc_jw_obj(w, SC_JW_INLINE);
        sc_jw_kstrz(w, "label", pt->label);
        sc_jw_kint(w, "start", cut_pos(c, pt->start_cp));
        sc_jw_kint(w, "end", cut_pos(c, pt->end_cp));
        sc_jw_obj_end(w);
    }
    sc_jw_arr_end(w);
    sc_jw_obj_end(w);
}

/* The outline the cut shows; returns the number of sections left out. */
static size_t outline_json(struct sc_jw *w, const struct sc_section *s, size_t n,
                           const struct sc_cut *c)
{
    size_t left = 0;
    sc_jw_arr(w, SC_JW_INLINE);
    for (size_t i = 0; i < n; i++) {
        if (c && !sc_cut_section_shown(c, &s[i])) {
            left++;
            continue;
        }
        section_json(w, &s[i], c);
    }
    sc_jw_arr_end(w);
    return left;
}

void sc_sections_json(struct sc_buf *b, const struct sc_section *s, size_t n)
{
    struct sc_jw w;
    sc_jw_init(&w, b);
    outline_json(&w, s, n, NULL);
}

void sc_doc_json(struct sc_buf *b, const struct sc_doc *d, const struct sc_view *v)
{
    struct sc_jw w;
    sc_jw_init(&w, b);
    sc_jw_obj(&w, SC_JW_INLINE);
    meta_members(&w, d);
    meta_rest(&w, d);
    sc_jw_kstrz(&w, "docno", d->docno[0] ? d->docno : NULL);
    char date[11];
    sc_date_format(d->docdate, date);
    sc_jw_kstrz(&w, "date", date[0] ? date : NULL);
    /* the list's "source" is the file name; here it is {"file", "part"} */
    sc_jw_key(&w, "source");
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_jw_kstrz(&w, "file", d->source_file);
    sc_jw_kint(&w, "part", d->part);
    sc_jw_obj_end(&w);
    struct sc_cut cut;
    int locked = sc_doc_cut(d, v, &cut);
    sc_jw_kbool(&w, "locked", locked);
    if (locked) {
        sc_jw_key(&w, "withheld");
        sc_jw_arr(&w, SC_JW_INLINE);
        sc_jw_int(&w, cut.from_cp);
        sc_jw_int(&w, cut.to_cp);
        sc_jw_arr_end(&w);
    }
    struct sc_buf shown = SC_BUF_INIT;
    sc_doc_text_shown(&shown, d, v);
    struct sc_buf norm = SC_BUF_INIT;
    if (shown.failed || sc_normalize(shown.data, shown.len, &norm, NULL) != SC_OK)
        b->failed = 1;
    sc_jw_kstr(&w, "text", shown.data, shown.len);
    sc_jw_kstr(&w, "normalized", norm.data, norm.len);
    sc_jw_key(&w, "outline");
    size_t left = outline_json(&w, d->sections, d->nsections, locked ? &cut : NULL);
    if (locked)
        sc_jw_kint(&w, "paid_sections", (int64_t)left);
    sc_jw_obj_end(&w);
    sc_buf_release(&shown);
    sc_buf_release(&norm);
}

enum sc_err sc_section_json(struct sc_buf *b, const struct sc_doc *d, int64_t n,
                            const struct sc_view *v, struct sc_diag *diag)
{
    struct sc_cut cut;
    int locked = sc_doc_cut(d, v, &cut);
    /* n counts the sections this view sees */
    const struct sc_section *s = NULL;
    size_t seen = 0;
    for (size_t i = 0; i < d->nsections; i++) {
        if (locked && !sc_cut_section_shown(&cut, &d->sections[i]))
            continue;
        if (n >= 0 && seen == (uint64_t)n)
            s = &d->sections[i];
        seen++;
    }
    if (!s)
        return sc_diag_set(diag, SC_ENOTFOUND, "document %lld has %zu sections (0..%zu)",
                           (long long)d->id, seen, seen ? seen - 1 : 0);
    const char *text = d->text ? d->text : "";
    size_t len = d->text ? d->text_len : 0;
    int64_t start = s->start_cp, end = s->end_cp;
    /* the part of the section inside the withheld range */
    int64_t wa = 0, wb = 0;
    if (locked) {
        wa = start > cut.from_cp ? start : cut.from_cp;
        wb = end < cut.to_cp ? end : cut.to_cp;
        if (wb <= wa)
            wa = wb = 0;
    }
    struct sc_jw w;
    sc_jw_init(&w, b);
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_jw_kint(&w, "doc", d->id);
    sc_jw_kint(&w, "n", n);
    sc_jw_kstrz(&w, "title", d->title);
    sc_jw_key(&w, "section");
    section_json(&w, s, locked ? &cut : NULL);
    size_t a0 = sc_utf8_offset(text, len, (size_t)start);
    size_t a1 = sc_utf8_offset(text, len, (size_t)end);
    if (a1 < a0)
        a1 = a0;
    sc_jw_kbool(&w, "locked", wb > wa);
    if (wb > wa) {
        size_t w0 = sc_utf8_offset(text, len, (size_t)wa);
        size_t w1 = sc_utf8_offset(text, len, (size_t)wb);
        struct sc_buf shown = SC_BUF_INIT;
        sc_buf_add(&shown, text + a0, w0 - a0);
        sc_buf_add(&shown, text + w1, a1 - w1);
        sc_jw_key(&w, "withheld");
        sc_jw_arr(&w, SC_JW_INLINE);
        sc_jw_int(&w, wa);
        sc_jw_int(&w, wb);
        sc_jw_arr_end(&w);
        sc_jw_kstr(&w, "text", shown.data, shown.len);
        if (shown.failed)
            b->failed = 1;
        sc_buf_release(&shown);
    } else {
        sc_jw_kstr(&w, "text", text + a0, a1 - a0);
    }
    sc_jw_obj_end(&w);
    return b->failed ? sc_diag_set(diag, SC_ENOMEM, "out of memory") : SC_OK;
}
