/*
 * The import writer: takes the files prepared by the workers (prepare.c:
 * read, SHA-256, decode, 公文 parse, normalise, fingerprints) in list order
 * and stores each, all or nothing, in a savepoint of a transaction that is
 * committed every 50 ms: same bytes twice add nothing; per article an exact
 * duplicate (normalised SHA-256) is skipped and a near duplicate (SimHash
 * candidate + shingle similarity) recorded. After each commit the files'
 * outcomes are told and the index catches up. A refused file is recorded
 * with its reason; the batch goes on.
 */
#include "import_int.h"
#include "library_int.h"
#include "sucai/search.h"
#include "sucai/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sucai/json.h" /* the topics column */

const char *sc_import_status_name(enum sc_import_status s)
{
    switch (s) {
    case SC_IMPORT_IMPORTED: return "imported";
    case SC_IMPORT_DUPLICATE: return "duplicate";
    case SC_IMPORT_REFUSED: return "refused";
    }
    return "?";
}

void sc_import_result_json(struct sc_jw *w, const struct sc_import_result *r)
{
    sc_jw_obj(w, SC_JW_INLINE);
    sc_jw_kstrz(w, "file", r->file ? r->file : "");
    sc_jw_kstrz(w, "status", sc_import_status_name(r->status));
    sc_jw_key(w, "docs");
    sc_jw_arr(w, SC_JW_INLINE);
    for (size_t i = 0; i < r->ndocs; i++)
        sc_jw_int(w, r->docs[i]);
    sc_jw_arr_end(w);
    sc_jw_kstrz(w, "reason", r->reason ? r->reason : "");
    sc_jw_kint(w, "bytes", (int64_t)r->bytes);
    sc_jw_kint(w, "seq", r->seq);
    sc_jw_obj_end(w);
}

/* ---- near-duplicate lookup: every document's SimHash, in memory ---- */

struct simtab {
    int64_t *id;
    uint64_t *hash;
    size_t n, cap;
    int loaded;
};

static int simtab_add(struct simtab *t, int64_t id, uint64_t h)
{
    if (t->n == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 1024;
        int64_t *ni = sc_reallocarray(t->id, ncap, sizeof *ni);
        if (!ni)
            return -1;
        t->id = ni;
        uint64_t *nh = sc_reallocarray(t->hash, ncap, sizeof *nh);
        if (!nh)
            return -1;
        t->hash = nh;
        t->cap = ncap;
    }
    t->id[t->n] = id;
    t->hash[t->n] = h;
    t->n++;
    return 0;
}

struct id_hash {
    int64_t id;
    uint64_t hash;
};

static int cmp_id(const void *a, const void *b)
{
    int64_t x = ((const struct id_hash *)a)->id, y = ((const struct id_hash *)b)->id;
    return x < y ? -1 : x > y;
}

/* Every stored SimHash, in id order (find_near_dup prefers earlier
 * documents). Read from the covering index documents_simhash and sorted
 * here: in id order SQLite would read every row of the table. */
static enum sc_err simtab_load(struct sc_library *lib, struct simtab *t, struct sc_diag *diag)
{
    if (t->loaded)
        return SC_OK;
    struct sc_stmt *st = sc_store_prepare(lib->db, "SELECT id, simhash FROM documents", diag);
    if (!st)
        return SC_ESTORE;
    struct id_hash *v = NULL;
    size_t n = 0, cap = 0;
    enum sc_err e = SC_OK;
    while (e == SC_OK && sc_stmt_step(st) == SC_STORE_ROW) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 1024;
            struct id_hash *nv = sc_reallocarray(v, ncap, sizeof *nv);
            if (!nv) {
                e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
                break;
            }
            v = nv;
            cap = ncap;
        }
        v[n].id = sc_stmt_column_int64(st, 0);
        v[n].hash = (uint64_t)sc_stmt_column_int64(st, 1);
        n++;
    }
    sc_stmt_finalize(st);
    if (e == SC_OK && n)
        qsort(v, n, sizeof *v, cmp_id);
    for (size_t i = 0; e == SC_OK && i < n; i++)
        if (simtab_add(t, v[i].id, v[i].hash))
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
    free(v);
    t->loaded = e == SC_OK;
    return e;
}

/* Normalised text of a stored document (for the similarity check). */
static enum sc_err stored_norm(struct sc_library *lib, int64_t id, struct sc_buf *out)
{
    struct sc_stmt *st = sc_store_prepare(lib->db, "SELECT text FROM documents WHERE id = ?", NULL);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_int64(st, 1, id);
    enum sc_err e = SC_ENOTFOUND;
    if (sc_stmt_step(st) == SC_STORE_ROW) {
        char *text;
        size_t len;
        e = sc_doc_text_column(st, 0, &text, &len);
        if (e == SC_OK)
            e = sc_normalize(text, len, out, NULL);
        free(text);
    }
    sc_stmt_finalize(st);
    return e;
}

/* Best earlier document similar to norm (dup_of, similarity), or 0. Only
 * the MAX_NEAR_CHECKS nearest SimHash candidates are compared exactly, so a
 * family of many similar documents cannot make one import slow. */
#define MAX_NEAR_CHECKS 8

static int64_t find_near_dup(struct sc_library *lib, struct simtab *t, uint64_t h,
                             const struct sc_buf *norm, double *sim)
{
    int64_t cand[MAX_NEAR_CHECKS];
    int dist[MAX_NEAR_CHECKS];
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++) {
        int dd = sc_simhash_distance(t->hash[i], h);
        if (dd > SC_SIMHASH_NEAR)
            continue;
        /* keep the nearest candidates, earlier documents first on ties */
        size_t at = n < MAX_NEAR_CHECKS ? n++ : MAX_NEAR_CHECKS;
        if (at == MAX_NEAR_CHECKS) {
            if (dd >= dist[MAX_NEAR_CHECKS - 1])
                continue;
            at = MAX_NEAR_CHECKS - 1;
        }
        while (at > 0 && dist[at - 1] > dd) {
            cand[at] = cand[at - 1];
            dist[at] = dist[at - 1];
            at--;
        }
        cand[at] = t->id[i];
        dist[at] = dd;
    }
    int64_t best = 0;
    *sim = 0;
    struct sc_buf other = SC_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        sc_buf_reset(&other);
        if (stored_norm(lib, cand[i], &other) != SC_OK)
            continue;
        double s = sc_similarity(norm->data, norm->len, other.data, other.len);
        if (s >= SC_NEAR_DUP_MIN && s > *sim) {
            *sim = s;
            best = cand[i];
        }
    }
    sc_buf_release(&other);
    return best;
}

/* ---- statements ---- */

/* The statements the writer runs for every file or article, compiled once
 * per batch instead of once per use. A struct stmts owns them: users get
 * one reset and unbound from stmt(), reset it when done, and never
 * finalize it; stmts_release() does. */
enum stmt_id {
    ST_REFUSED,
    ST_EXACT_DUP,
    ST_INSERT_DOC,
    ST_INSERT_SECTION,
    ST_INSERT_POINT,
    ST_INSERT_BOILER,
    ST_INSERT_SOURCE,
    ST_SOURCE_BY_SHA,
    ST_DOCS_OF_SOURCE,
    ST_CHANGE,
    ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
    [ST_REFUSED] = "INSERT INTO refused(file, reason) VALUES(?, ?)",
    [ST_EXACT_DUP] = "SELECT min(id) FROM documents WHERE norm_sha256 = ?",
    [ST_INSERT_DOC] = "INSERT OR REPLACE INTO documents(id, source_id, part, src_line, title, "
                      "text, chars, norm_sha256, simhash, genre, year, unit, level, topics, "
                      "paid_from, paid_to, dup_of, similarity) "
                      "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [ST_INSERT_SECTION] = "INSERT INTO sections(doc_id, n, level, label, heading, kind, start, "
                          "end, fault) VALUES(?,?,?,?,?,?,?,?,?)",
    [ST_INSERT_POINT] = "INSERT INTO points(doc_id, section_n, n, label, start, end) "
                        "VALUES(?,?,?,?,?,?)",
    [ST_INSERT_BOILER] = "INSERT INTO boilerplate(source_id, line, text, reason) VALUES(?,?,?,?)",
    [ST_INSERT_SOURCE] = "INSERT INTO sources(name, path, size, sha256, format, encoding, bytes) "
                         "VALUES(?,?,?,?,?,?,?)",
    [ST_SOURCE_BY_SHA] = "SELECT id FROM sources WHERE sha256 = ?",
    [ST_DOCS_OF_SOURCE] = "SELECT id FROM documents WHERE source_id = ? ORDER BY part",
    [ST_CHANGE] = "INSERT INTO changes(kind, doc_id) VALUES(?, ?) RETURNING seq",
};

struct stmts {
    struct sc_library *lib;
    struct sc_stmt *st[ST_COUNT];
    int64_t seq; /* of the last change logged through these (0: none) */
};

static struct sc_stmt *stmt(struct stmts *c, enum stmt_id k, struct sc_diag *diag)
{
    if (!c->st[k]) {
        if (sc_stmt_prepare_persistent(c->lib->db, stmt_sql[k], &c->st[k]) != SC_STORE_OK) {
            sc_store_fail(c->lib->db, diag);
            sc_stmt_finalize(c->st[k]);
            c->st[k] = NULL;
            return NULL;
        }
        return c->st[k];
    }
    sc_stmt_reset(c->st[k]);
    sc_stmt_clear_bindings(c->st[k]);
    return c->st[k];
}

static void stmts_release(struct stmts *c)
{
    for (size_t k = 0; k < ST_COUNT; k++)
        sc_stmt_finalize(c->st[k]);
    memset(c->st, 0, sizeof c->st);
}

/* ---- one file ---- */

/* A file's outcome, held back until the transaction holding it commits:
 * what the caller is told has been imported is in the store. */
struct pending {
    const char *file; /* borrowed: lives as long as the batch */
    enum sc_import_status status;
    char *reason;     /* owned; NULL = "" */
    int64_t *ids;     /* owned, room for ids_cap (kept for the next use) */
    size_t nids, ids_cap;
    uint64_t bytes;
    int64_t seq;
};

struct importer {
    struct sc_library *lib;
    struct stmts stmts;
    const struct sc_import_opts *opts;
    struct sc_import_summary *sum;
    struct simtab sims;
    struct sc_sha_set known; /* sources stored when the batch began */
    int64_t *ids;            /* the current file's documents */
    size_t nids, capids;
    int stop;
    /* the open transaction: files stored since BEGIN, each in a savepoint */
    int in_tx;
    double tx_start_ms;
    uint64_t tx_bytes;
    size_t tx_sims; /* im->sims.n at BEGIN, to forget a rollback */
    int full;       /* a statement of the open transaction failed for lack of space */
    struct pending *pend;
    size_t npend, cappend;
};

static int ids_add(struct importer *im, int64_t id)
{
    if (im->nids == im->capids) {
        size_t ncap = im->capids ? im->capids * 2 : 16;
        int64_t *n = sc_reallocarray(im->ids, ncap, sizeof *n);
        if (!n)
            return -1;
        im->ids = n;
        im->capids = ncap;
    }
    im->ids[im->nids++] = id;
    return 0;
}

static void deliver(struct importer *im, const char *file, enum sc_import_status status,
                    const char *reason, const int64_t *ids, size_t nids, uint64_t bytes,
                    int64_t seq)
{
    switch (status) {
    case SC_IMPORT_IMPORTED:
        im->sum->imported++;
        im->sum->docs += nids;
        im->sum->bytes += bytes;
        if (seq > im->sum->seq)
            im->sum->seq = seq;
        break;
    case SC_IMPORT_DUPLICATE: im->sum->duplicates++; break;
    case SC_IMPORT_REFUSED: im->sum->refused++; break;
    }
    if (im->opts && im->opts->on_file) {
        struct sc_import_result r = { file, status, ids, nids, reason ? reason : "", bytes, seq };
        if (im->opts->on_file(im->opts->ctx, &r))
            im->stop = 1;
    }
}

/* The next pending slot with room for nids ids, or NULL when memory runs
 * out. Room made here is kept for the next report, so store_prepared makes
 * it before a file is stored, and an import is never told before its
 * commit for want of memory to hold it back. */
static struct pending *pending_slot(struct importer *im, size_t nids)
{
    if (im->npend == im->cappend) {
        size_t ncap = im->cappend ? im->cappend * 2 : 64;
        struct pending *np = sc_reallocarray(im->pend, ncap, sizeof *np);
        if (!np)
            return NULL;
        memset(np + im->cappend, 0, (ncap - im->cappend) * sizeof *np);
        im->pend = np;
        im->cappend = ncap;
    }
    struct pending *pe = &im->pend[im->npend];
    if (nids > pe->ids_cap) {
        int64_t *ids = sc_reallocarray(pe->ids, nids, sizeof *ids);
        if (!ids)
            return NULL;
        pe->ids = ids;
        pe->ids_cap = nids;
    }
    return pe;
}

/* The current file's outcome (its documents are im->ids): told at once
 * outside a transaction, else when the transaction ends. */
static void report(struct importer *im, const char *file, enum sc_import_status status,
                   const char *reason, uint64_t bytes)
{
    struct pending *pe = im->in_tx ? pending_slot(im, im->nids) : NULL;
    char *why = pe && reason && reason[0] ? sc_strdup(reason) : NULL;
    int64_t seq = status == SC_IMPORT_IMPORTED ? im->stmts.seq : 0;
    if (!pe || (reason && reason[0] && !why)) {
        /* outside a transaction, or no memory to hold back a refusal or a
         * duplicate (an import's room was made before it was stored) */
        free(why);
        deliver(im, file, status, reason, im->ids, im->nids, bytes, seq);
        return;
    }
    pe->file = file;
    pe->status = status;
    pe->reason = why;
    if (im->nids)
        memcpy(pe->ids, im->ids, im->nids * sizeof *pe->ids);
    pe->nids = im->nids;
    pe->bytes = bytes;
    pe->seq = seq;
    im->npend++;
}

/* Tell the held-back outcomes; if the transaction failed (why != NULL),
 * what was to be imported is refused instead. */
static void deliver_pending(struct importer *im, const char *why)
{
    for (size_t i = 0; i < im->npend; i++) {
        struct pending *pe = &im->pend[i];
        if (why && pe->status == SC_IMPORT_IMPORTED) {
            char reason[600];
            snprintf(reason, sizeof reason, "not stored: %s", why);
            deliver(im, pe->file, SC_IMPORT_REFUSED, reason, NULL, 0, pe->bytes, 0);
        } else {
            deliver(im, pe->file, pe->status, pe->reason, pe->ids, pe->nids, pe->bytes, pe->seq);
        }
        free(pe->reason);
        pe->reason = NULL;
    }
    im->npend = 0;
}

static void record_refusal(struct stmts *c, const char *file, const char *reason)
{
    struct sc_stmt *st = stmt(c, ST_REFUSED, NULL);
    if (!st)
        return;
    sc_stmt_bind_text(st, 1, file, -1);
    sc_stmt_bind_text(st, 2, reason, -1);
    sc_stmt_step(st);
    sc_stmt_reset(st);
}

static void refuse(struct importer *im, const char *file, const char *reason, uint64_t bytes)
{
    record_refusal(&im->stmts, file, reason);
    report(im, file, SC_IMPORT_REFUSED, reason, bytes);
}

/* Existing document with the same normalised text, or 0. */
static int64_t exact_dup(struct stmts *c, const char *norm_sha)
{
    struct sc_stmt *st = stmt(c, ST_EXACT_DUP, NULL);
    if (!st)
        return 0;
    sc_stmt_bind_text(st, 1, norm_sha, -1);
    int64_t id = sc_stmt_step(st) == SC_STORE_ROW ? sc_stmt_column_int64(st, 0) : 0;
    sc_stmt_reset(st);
    return id;
}

static void bind_text_or_null(struct sc_stmt *st, int i, const char *s)
{
    if (s)
        sc_stmt_bind_text_copy(st, i, s, -1);
    else
        sc_stmt_bind_null(st, i);
}

static char *topics_json(const struct sc_article *a)
{
    struct sc_buf b = SC_BUF_INIT;
    struct sc_jw w;
    sc_jw_init(&w, &b);
    sc_jw_arr(&w, SC_JW_INLINE);
    for (size_t i = 0; i < a->ntopics; i++)
        sc_jw_strz(&w, a->topics[i]);
    sc_jw_arr_end(&w);
    return sc_buf_take(&b, NULL);
}

/* The change log (tables.c): the document's change gets the next number
 * in the transaction that stores it, so a follower that has applied
 * number n has every document committed before it. */
static enum sc_err log_change(struct stmts *c, const char *kind, int64_t doc_id,
                              struct sc_diag *diag)
{
    struct sc_stmt *st = stmt(c, ST_CHANGE, diag);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_text(st, 1, kind, -1);
    sc_stmt_bind_int64(st, 2, doc_id);
    if (sc_stmt_step(st) != SC_STORE_ROW)
        return sc_store_fail(c->lib->db, diag);
    c->seq = sc_stmt_column_int64(st, 0);
    sc_stmt_reset(st);
    return SC_OK;
}

/* Insert (or, with replace_id, rewrite) one article with its outline. */
static enum sc_err store_article(struct stmts *c, int64_t source_id, int part,
                                 const struct sc_article *a, const struct sc_prep_article *pa,
                                 int64_t dup_of, double sim, int64_t replace_id, int64_t *id_out,
                                 struct sc_diag *diag)
{
    struct sc_library *lib = c->lib;
    char *topics = topics_json(a);
    if (!topics)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    struct sc_stmt *st = stmt(c, ST_INSERT_DOC, diag);
    if (!st) {
        free(topics);
        return SC_ESTORE;
    }
    if (replace_id)
        sc_stmt_bind_int64(st, 1, replace_id);
    else
        sc_stmt_bind_null(st, 1);
    sc_stmt_bind_int64(st, 2, source_id);
    sc_stmt_bind_int(st, 3, part);
    sc_stmt_bind_int64(st, 4, a->src_line);
    sc_stmt_bind_text(st, 5, a->title, -1);
    sc_doc_text_bind(st, 6, pa->z, pa->zlen);
    sc_stmt_bind_int64(st, 7, pa->chars);
    sc_stmt_bind_text(st, 8, pa->nsha, -1);
    sc_stmt_bind_int64(st, 9, (int64_t)pa->simhash);
    bind_text_or_null(st, 10, a->genre);
    if (a->year)
        sc_stmt_bind_int(st, 11, a->year);
    else
        sc_stmt_bind_null(st, 11);
    bind_text_or_null(st, 12, a->unit);
    bind_text_or_null(st, 13, a->level);
    sc_stmt_bind_text(st, 14, topics, -1);
    sc_stmt_bind_int64(st, 15, a->paid_from_cp);
    sc_stmt_bind_int64(st, 16, a->paid_from_cp >= 0 ? a->paid_to_cp : -1);
    if (dup_of) {
        sc_stmt_bind_int64(st, 17, dup_of);
        sc_stmt_bind_double(st, 18, sim);
    } else {
        sc_stmt_bind_null(st, 17);
        sc_stmt_bind_null(st, 18);
    }
    enum sc_err e = sc_stmt_step(st) == SC_STORE_DONE ? SC_OK : sc_store_fail(lib->db, diag);
    sc_stmt_reset(st);
    free(topics);
    if (e != SC_OK)
        return e;
    int64_t id = replace_id ? replace_id : sc_store_last_id(lib->db);
    *id_out = id;

    struct sc_stmt *ss = stmt(c, ST_INSERT_SECTION, diag);
    struct sc_stmt *ps = stmt(c, ST_INSERT_POINT, diag);
    if (!ss || !ps)
        e = SC_ESTORE;
    for (size_t i = 0; e == SC_OK && i < a->nsections; i++) {
        const struct sc_section *s = &a->sections[i];
        sc_stmt_reset(ss);
        sc_stmt_bind_int64(ss, 1, id);
        sc_stmt_bind_int(ss, 2, (int)i);
        sc_stmt_bind_int(ss, 3, s->level);
        sc_stmt_bind_text(ss, 4, s->label ? s->label : "", -1);
        sc_stmt_bind_text(ss, 5, s->heading ? s->heading : "", -1);
        sc_stmt_bind_text(ss, 6, sc_kind_name(s->kind), -1);
        sc_stmt_bind_int64(ss, 7, s->start_cp);
        sc_stmt_bind_int64(ss, 8, s->end_cp);
        bind_text_or_null(ss, 9, s->fault);
        if (sc_stmt_step(ss) != SC_STORE_DONE) {
            e = sc_store_fail(lib->db, diag);
            break;
        }
        for (size_t k = 0; k < s->npoints; k++) {
            sc_stmt_reset(ps);
            sc_stmt_bind_int64(ps, 1, id);
            sc_stmt_bind_int(ps, 2, (int)i);
            sc_stmt_bind_int(ps, 3, (int)k);
            sc_stmt_bind_text(ps, 4, s->points[k].label ? s->points[k].label : "", -1);
            sc_stmt_bind_int64(ps, 5, s->points[k].start_cp);
            sc_stmt_bind_int64(ps, 6, s->points[k].end_cp);
            if (sc_stmt_step(ps) != SC_STORE_DONE) {
                e = sc_store_fail(lib->db, diag);
                break;
            }
        }
    }
    if (ss)
        sc_stmt_reset(ss);
    if (ps)
        sc_stmt_reset(ps);
    if (e == SC_OK)
        e = log_change(c, replace_id ? "reparse" : "add", id, diag);
    return e;
}

static enum sc_err store_boilerplate(struct stmts *c, int64_t source_id,
                                     const struct sc_parsed *p, struct sc_diag *diag)
{
    struct sc_stmt *st = stmt(c, ST_INSERT_BOILER, diag);
    if (!st)
        return SC_ESTORE;
    enum sc_err e = SC_OK;
    for (size_t i = 0; i < p->nboiler && e == SC_OK; i++) {
        sc_stmt_reset(st);
        sc_stmt_bind_int64(st, 1, source_id);
        sc_stmt_bind_int64(st, 2, p->boiler[i].line);
        sc_stmt_bind_text(st, 3, p->boiler[i].text, -1);
        sc_stmt_bind_text(st, 4, p->boiler[i].reason, -1);
        if (sc_stmt_step(st) != SC_STORE_DONE)
            e = sc_store_fail(c->lib->db, diag);
    }
    sc_stmt_reset(st);
    return e;
}

static enum sc_err insert_source(struct stmts *c, const char *name,
                                 const struct sc_prepared *p, int64_t *id, struct sc_diag *diag)
{
    struct sc_stmt *st = stmt(c, ST_INSERT_SOURCE, diag);
    if (!st)
        return SC_ESTORE;
    static const char *const formats[] = { "unknown", "txt", "docx", "md" };
    sc_stmt_bind_text(st, 1, name, -1);
    sc_stmt_bind_text(st, 2, p->path, -1);
    sc_stmt_bind_int64(st, 3, (int64_t)p->len);
    sc_stmt_bind_text(st, 4, p->sha, -1);
    sc_stmt_bind_text(st, 5, formats[p->in.format <= SC_FORMAT_MD ? p->in.format : 0], -1);
    sc_stmt_bind_text(st, 6, p->in.encoding, -1);
    sc_stmt_bind_blob(st, 7, p->z, (int)p->zlen);
    enum sc_err e = sc_stmt_step(st) == SC_STORE_DONE ? SC_OK : sc_store_fail(c->lib->db, diag);
    *id = sc_store_last_id(c->lib->db);
    sc_stmt_reset(st);
    return e;
}

/* Ids of the documents of an already-stored source with this SHA-256. */
static int64_t source_by_sha(struct importer *im, const char *sha)
{
    struct sc_stmt *st = stmt(&im->stmts, ST_SOURCE_BY_SHA, NULL);
    if (!st)
        return 0;
    sc_stmt_bind_text(st, 1, sha, -1);
    int64_t sid = sc_stmt_step(st) == SC_STORE_ROW ? sc_stmt_column_int64(st, 0) : 0;
    sc_stmt_reset(st);
    if (!sid)
        return 0;
    st = stmt(&im->stmts, ST_DOCS_OF_SOURCE, NULL);
    if (st) {
        sc_stmt_bind_int64(st, 1, sid);
        while (sc_stmt_step(st) == SC_STORE_ROW)
            if (ids_add(im, sc_stmt_column_int64(st, 0)))
                break;
        sc_stmt_reset(st);
    }
    return sid;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static void report_known(struct importer *im, const struct sc_prepared *p)
{
    char reason[160];
    snprintf(reason, sizeof reason, "the same file was imported before (sha256 %.12s…)", p->sha);
    report(im, p->path, SC_IMPORT_DUPLICATE, reason, p->bytes);
}

/* ---- transactions: several files per commit, each in a savepoint ---- */

/* A commit costs a WAL append of every page it touched: files are stored
 * in groups, committed at least every TX_MAX_MS or TX_MAX_BYTES of files,
 * and their outcomes told only then. Each file is still all or nothing. */
#define TX_MAX_MS 50.0
#define TX_MAX_BYTES (8u << 20)

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static enum sc_err tx_begin(struct importer *im, struct sc_diag *diag)
{
    if (im->in_tx)
        return SC_OK;
    enum sc_err e = sc_store_begin(im->lib->db, 1, diag);
    if (e != SC_OK)
        return e;
    im->in_tx = 1;
    im->tx_start_ms = mono_ms();
    im->tx_bytes = 0;
    im->tx_sims = im->sims.n;
    return SC_OK;
}

/* Commit the open transaction, then tell its files' outcomes (refusals
 * instead of imports if the commit failed). */
static enum sc_err tx_commit(struct importer *im, struct sc_diag *diag)
{
    if (!im->in_tx)
        return SC_OK;
    struct sc_diag d = { 0 };
    enum sc_err e;
    int any = 0;
    for (size_t i = 0; i < im->npend; i++)
        any |= im->pend[i].status == SC_IMPORT_IMPORTED;
    /* followers on other machines wake when the change log grows */
    if (any)
        (void)sc_store_notify(im->lib->db, SC_CHANGES_CHANNEL);
    if (!sc_store_in_tx(im->lib->db)) {
        /* SQLite undid the transaction itself (a full disk, an I/O error):
         * say why, not "cannot commit - no transaction is active" */
        e = sc_diag_set(&d, SC_ESTORE,
                        im->full ? "%s: disk full (no space left for the store)"
                                 : "%s: the store undid the transaction after an error",
                        sc_store_path(im->lib->db));
    } else {
        e = sc_store_commit(im->lib->db, &d);
    }
    im->full = 0;
    if (e != SC_OK) {
        sc_store_rollback(im->lib->db);
        im->sims.n = im->tx_sims; /* forget what the rollback undid */
    }
    im->in_tx = 0;
    deliver_pending(im, e == SC_OK ? NULL : d.msg);
    if (e != SC_OK)
        return sc_diag_set(diag, e, "%s", d.msg);
    /* new documents become searchable now (the index may batch briefly) */
    if (any)
        sc_index_sync(im->lib, 0, NULL);
    return SC_OK;
}

static enum sc_err tx_maybe_commit(struct importer *im, struct sc_diag *diag)
{
    if (im->in_tx && (im->tx_bytes >= TX_MAX_BYTES || mono_ms() - im->tx_start_ms >= TX_MAX_MS))
        return tx_commit(im, diag);
    return SC_OK;
}

/*
 * Store one prepared file (in a savepoint of the open transaction).
 * Returns an error only when the library itself fails (the batch stops);
 * refusals are reported and return SC_OK.
 */
static enum sc_err store_prepared(struct importer *im, struct sc_prepared *p,
                                  struct sc_diag *diag)
{
    struct sc_library *lib = im->lib;
    im->nids = 0;
    if (p->state == SC_PREP_NOMEM)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    enum sc_err e = tx_begin(im, diag);
    if (e != SC_OK)
        return e;
    if (p->state == SC_PREP_REFUSED) {
        refuse(im, p->path, p->reason, p->bytes);
        return tx_maybe_commit(im, diag);
    }
    /* in the transaction: no other process can store the same file now */
    if (source_by_sha(im, p->sha)) {
        report_known(im, p);
        return tx_maybe_commit(im, diag);
    }
    im->nids = 0;
    if (p->state == SC_PREP_KNOWN) {
        /* its source was deleted since the batch began: decode it now */
        sc_prep_decode(p);
        return store_prepared(im, p, diag);
    }
    if (sc_prep_compress(p, NULL) || !pending_slot(im, p->parsed.narticles))
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");

    struct sc_diag sd = { 0 };
    e = simtab_load(lib, &im->sims, &sd);
    if (e == SC_OK)
        e = sc_store_savepoint(lib->db, "file", &sd);
    int in_savepoint = e == SC_OK;
    int64_t source_id = 0;
    if (e == SC_OK)
        e = insert_source(&im->stmts, base_name(p->path), p, &source_id, &sd);
    if (e == SC_OK)
        e = store_boilerplate(&im->stmts, source_id, &p->parsed, &sd);
    size_t new_docs = 0, sims_before = im->sims.n;
    int64_t first_dup = 0;
    for (size_t i = 0; e == SC_OK && i < p->parsed.narticles; i++) {
        const struct sc_article *a = &p->parsed.articles[i];
        const struct sc_prep_article *pa = &p->arts[i];
        int64_t same = exact_dup(&im->stmts, pa->nsha);
        if (same) {
            if (!first_dup)
                first_dup = same;
            continue;
        }
        double sim = 0;
        int64_t dup_of = find_near_dup(lib, &im->sims, pa->simhash, &pa->norm, &sim);
        int64_t id;
        e = store_article(&im->stmts, source_id, (int)(i + 1), a, pa, dup_of, sim, 0, &id, &sd);
        if (e == SC_OK && (ids_add(im, id) || simtab_add(&im->sims, id, pa->simhash)))
            e = sc_diag_set(&sd, SC_ENOMEM, "out of memory");
        new_docs++;
    }
    int all_dup = e == SC_OK && new_docs == 0;
    if (e != SC_OK && sc_store_full(lib->db))
        im->full = 1;
    if (in_savepoint && (e != SC_OK || all_dup))
        sc_store_rollback_to(lib->db, "file");
    if (in_savepoint)
        sc_store_release(lib->db, "file");
    if (e != SC_OK || all_dup)
        im->sims.n = sims_before; /* forget what the rollback undid */
    if (e != SC_OK) {
        char reason[600];
        snprintf(reason, sizeof reason, "not stored: %s", sd.msg);
        im->nids = 0;
        refuse(im, p->path, reason, p->bytes);
        if (e == SC_ENOMEM || e == SC_ESTORE || e == SC_EUNAVAILABLE)
            return sc_diag_set(diag, e, "%s", sd.msg);
        return tx_maybe_commit(im, diag);
    }
    if (all_dup) {
        char reason[160];
        snprintf(reason, sizeof reason, "same text as document %lld", (long long)first_dup);
        im->nids = 0;
        ids_add(im, first_dup);
        report(im, p->path, SC_IMPORT_DUPLICATE, reason, p->bytes);
        return tx_maybe_commit(im, diag);
    }
    report(im, p->path, SC_IMPORT_IMPORTED, NULL, p->bytes);
    im->tx_bytes += p->bytes;
    return tx_maybe_commit(im, diag);
}

static void importer_release(struct importer *im)
{
    deliver_pending(im, "the import stopped"); /* only after a failed tx_commit: none */
    for (size_t i = 0; i < im->cappend; i++)
        free(im->pend[i].ids);
    free(im->pend);
    stmts_release(&im->stmts);
    free(im->sims.id);
    free(im->sims.hash);
    free(im->ids);
    free(im->known.v);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The SHA-256 prefixes of every stored source, for the workers. */
static enum sc_err known_load(struct importer *im, struct sc_diag *diag)
{
    int64_t n = sc_store_int(im->lib->db, "SELECT count(*) FROM sources");
    if (n <= 0)
        return SC_OK;
    if (!(im->known.v = sc_calloc((size_t)n, sizeof *im->known.v)))
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    struct sc_stmt *st = sc_store_prepare(im->lib->db, "SELECT sha256 FROM sources", diag);
    if (!st)
        return SC_ESTORE;
    while (im->known.n < (size_t)n && sc_stmt_step(st) == SC_STORE_ROW) {
        const char *sha = sc_stmt_column_text(st, 0);
        if (sha)
            im->known.v[im->known.n++] = sc_sha_prefix(sha);
    }
    sc_stmt_finalize(st);
    qsort(im->known.v, im->known.n, sizeof *im->known.v, cmp_u64);
    return SC_OK;
}

/* Workers beside the writer: one more than the cores, since the writer
 * waits on SQLite's I/O part of the time (measured on 2 cores: 3 workers
 * import the corpus ~8% faster than 2); a few files gain nothing. */
static size_t worker_count(size_t nfiles)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (nfiles < 4 || cores < 2)
        return 0;
    return (size_t)(cores >= 8 ? 8 : cores + 1);
}

enum sc_err sc_import_paths(struct sc_library *lib, const char *const *paths, size_t npaths,
                            const struct sc_import_opts *opts, struct sc_import_summary *sum,
                            struct sc_diag *diag)
{
    memset(sum, 0, sizeof *sum);
    if (lib->flags & SC_LIBRARY_READONLY)
        return sc_diag_set(diag, SC_EINVAL, "the library is open read-only");
    struct sc_file_list files = { 0 };
    for (size_t i = 0; i < npaths; i++) {
        if (sc_file_list_add_path(&files, paths[i])) {
            sc_file_list_free(&files);
            return sc_diag_set(diag, SC_ENOMEM, "out of memory listing %s", paths[i]);
        }
    }
    struct importer im = { .lib = lib, .stmts = { .lib = lib }, .opts = opts, .sum = sum };
    struct sc_prep_pool pool;
    enum sc_err e = known_load(&im, diag);
    if (e == SC_OK && sc_prep_pool_start(&pool, &files, &im.known, worker_count(files.n)))
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
    if (e != SC_OK) {
        importer_release(&im);
        sc_file_list_free(&files);
        return e;
    }
    for (size_t i = 0; i < files.n && !im.stop; i++) {
        if (opts && opts->on_progress)
            opts->on_progress(opts->ctx, i, files.n, files.paths[i]);
        struct sc_prepared *p = sc_prep_pool_get(&pool, i);
        struct sc_diag d = { 0 };
        e = store_prepared(&im, p, &d);
        sc_prep_pool_put(&pool, i);
        if (e != SC_OK) {
            sc_diag_set(diag, e, "%s: the library failed while importing this file: %s",
                        files.paths[i], d.msg);
            break;
        }
    }
    struct sc_diag cd = { 0 };
    enum sc_err ce = tx_commit(&im, &cd);
    if (e == SC_OK && ce != SC_OK)
        e = sc_diag_set(diag, ce, "the library failed while committing the import: %s", cd.msg);
    sc_prep_pool_finish(&pool);
    if (opts && opts->on_progress)
        opts->on_progress(opts->ctx, files.n, files.n, NULL);
    importer_release(&im);
    sc_file_list_free(&files);
    enum sc_err se = sc_index_sync(lib, 1, e == SC_OK ? diag : NULL);
    return e != SC_OK ? e : se;
}

enum sc_err sc_import_bytes(struct sc_library *lib, const char *name, const void *data,
                            size_t len, const struct sc_import_opts *opts,
                            struct sc_import_summary *sum, struct sc_diag *diag)
{
    memset(sum, 0, sizeof *sum);
    if (lib->flags & SC_LIBRARY_READONLY)
        return sc_diag_set(diag, SC_EINVAL, "the library is open read-only");
    struct importer im = { .lib = lib, .stmts = { .lib = lib }, .opts = opts, .sum = sum };
    enum sc_err e = SC_OK;
    struct sc_diag d = { 0 };
    if (len > SC_MAX_FILE_BYTES) {
        char reason[128];
        snprintf(reason, sizeof reason, "file is %zu bytes, over the limit of %u bytes", len,
                 SC_MAX_FILE_BYTES);
        refuse(&im, name, reason, len);
    } else {
        struct sc_prepared p;
        sc_prep_init(&p);
        sc_prep_bytes(&p, name, data, len, NULL);
        e = store_prepared(&im, &p, &d);
        sc_prep_release(&p);
    }
    enum sc_err ce = tx_commit(&im, &d);
    if (e == SC_OK)
        e = ce;
    importer_release(&im);
    if (e != SC_OK)
        return sc_diag_set(diag, e, "%s: the library failed while importing this file: %s", name,
                           d.msg);
    /* the file is stored: an index that cannot follow now (a database
     * going away under it) keeps the reason (sc_index_stale) and catches
     * up at the next sync or by the follower; the upload is not undone */
    (void)sc_index_sync(lib, 1, NULL);
    return SC_OK;
}

/*
 * Reparse one stored source: its articles replace the documents of that
 * source in place (article k keeps the id it had), extra old documents are
 * removed, and its boilerplate is re-derived. One transaction.
 */
enum sc_err sc_import_reparse_source(struct sc_library *lib, int64_t source_id, const char *name,
                                     const void *data, size_t len, size_t *ndocs,
                                     struct sc_diag *diag)
{
    *ndocs = 0;
    struct sc_prepared p;
    sc_prep_init(&p);
    sc_prep_bytes(&p, name, data, len, NULL);
    enum sc_err e = SC_OK;
    if (p.state == SC_PREP_NOMEM)
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
    else if (p.state != SC_PREP_READY)
        e = sc_diag_set(diag, SC_EPARSE, "%s", p.reason);
    if (e != SC_OK)
        goto out;
    struct stmts c = { .lib = lib };
    if ((e = sc_store_begin(lib->db, 1, diag)) != SC_OK)
        goto out;
    struct sc_stmt *old = sc_store_prepare(
        lib->db, "SELECT id, dup_of, similarity FROM documents WHERE source_id = ? AND part = ?",
        diag);
    struct sc_stmt *del = sc_store_prepare(lib->db, "DELETE FROM sections WHERE doc_id = ?", diag);
    struct sc_stmt *delp = sc_store_prepare(lib->db, "DELETE FROM points WHERE doc_id = ?", diag);
    if (!old || !del || !delp)
        e = SC_ESTORE;
    for (size_t i = 0; e == SC_OK && i < p.parsed.narticles; i++) {
        const struct sc_article *a = &p.parsed.articles[i];
        const struct sc_prep_article *pa = &p.arts[i];
        sc_stmt_reset(old);
        sc_stmt_bind_int64(old, 1, source_id);
        sc_stmt_bind_int(old, 2, (int)(i + 1));
        int64_t id = 0, dup_of = 0;
        double sim = 0;
        if (sc_stmt_step(old) == SC_STORE_ROW) {
            id = sc_stmt_column_int64(old, 0);
            dup_of = sc_stmt_column_int64(old, 1);
            sim = sc_stmt_column_double(old, 2);
        }
        if (id) {
            sc_stmt_reset(del);
            sc_stmt_bind_int64(del, 1, id);
            sc_stmt_reset(delp);
            sc_stmt_bind_int64(delp, 1, id);
            if (sc_stmt_step(del) != SC_STORE_DONE || sc_stmt_step(delp) != SC_STORE_DONE) {
                e = sc_store_fail(lib->db, diag);
                break;
            }
        }
        int64_t got;
        e = store_article(&c, source_id, (int)(i + 1), a, pa, dup_of, sim, id, &got, diag);
        (*ndocs)++;
    }
    sc_stmt_finalize(old);
    sc_stmt_finalize(del);
    sc_stmt_finalize(delp);
    if (e == SC_OK) {
        struct sc_stmt *rm = sc_store_prepare(
            lib->db,
            "DELETE FROM sections WHERE doc_id IN (SELECT id FROM documents WHERE source_id = ?1 "
            "AND part > ?2)",
            diag);
        struct sc_stmt *rmp = sc_store_prepare(
            lib->db,
            "DELETE FROM points WHERE doc_id IN (SELECT id FROM documents WHERE source_id = ?1 "
            "AND part > ?2)",
            diag);
        struct sc_stmt *rmd = sc_store_prepare(
            lib->db, "DELETE FROM documents WHERE source_id = ?1 AND part > ?2", diag);
        struct sc_stmt *rmb =
            sc_store_prepare(lib->db, "DELETE FROM boilerplate WHERE source_id = ?1", diag);
        struct sc_stmt *all[] = { rm, rmp, rmd, rmb };
        for (size_t k = 0; k < 4; k++) {
            if (!all[k]) {
                e = SC_ESTORE;
                continue;
            }
            sc_stmt_bind_int64(all[k], 1, source_id);
            if (k < 3)
                sc_stmt_bind_int64(all[k], 2, (int64_t)p.parsed.narticles);
            if (e == SC_OK && sc_stmt_step(all[k]) != SC_STORE_DONE)
                e = sc_store_fail(lib->db, diag);
            sc_stmt_finalize(all[k]);
        }
    }
    if (e == SC_OK)
        e = store_boilerplate(&c, source_id, &p.parsed, diag);
    if (e == SC_OK) {
        (void)sc_store_notify(lib->db, SC_CHANGES_CHANNEL);
        e = sc_store_commit(lib->db, diag);
    }
    else
        sc_store_rollback(lib->db);
    stmts_release(&c);
out:
    sc_prep_release(&p);
    return e;
}
