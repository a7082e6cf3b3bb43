/*
 * The import pipeline: path walking, then per file
 *   read (size limit) -> SHA-256 (same bytes twice add nothing)
 *   -> decode (lib/ingest) -> 公文 parse (lib/gongwen: split, strip, paywall,
 *   outline, metadata) -> per article: exact duplicate (normalised SHA-256)
 *   or near duplicate (SimHash candidate + shingle similarity)
 *   -> one SQLite transaction for the whole file -> index catch-up.
 * A refused file is recorded with its reason; the batch goes on.
 */
#include "store.h"
#include "sucai/ingest.h"
#include "sucai/search.h"
#include "sucai/text.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

const char *sc_import_status_name(enum sc_import_status s)
{
    switch (s) {
    case SC_IMPORT_IMPORTED: return "imported";
    case SC_IMPORT_DUPLICATE: return "duplicate";
    case SC_IMPORT_REFUSED: return "refused";
    }
    return "?";
}

/* ---- the list of files to import ---- */

struct file_list {
    char **paths;
    char **errors; /* per path: NULL, or why it cannot be imported (walk errors) */
    size_t n, cap;
};

static int list_add(struct file_list *l, const char *path, const char *error)
{
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        char **np = sc_reallocarray(l->paths, ncap, sizeof *np);
        if (!np)
            return -1;
        l->paths = np;
        char **ne = sc_reallocarray(l->errors, ncap, sizeof *ne);
        if (!ne)
            return -1;
        l->errors = ne;
        l->cap = ncap;
    }
    l->paths[l->n] = sc_strdup(path);
    l->errors[l->n] = error ? sc_strdup(error) : NULL;
    if (!l->paths[l->n] || (error && !l->errors[l->n])) {
        free(l->paths[l->n]);
        free(l->errors[l->n]);
        return -1;
    }
    l->n++;
    return 0;
}

static void list_free(struct file_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->paths[i]);
        free(l->errors[i]);
    }
    free(l->paths);
    free(l->errors);
}

/* Directories on the current walk path, to detect symlink loops. */
struct dir_stack {
    dev_t dev[64];
    ino_t ino[64];
    size_t n;
};

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(struct file_list *l, const char *path, struct dir_stack *ds, int top)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        char msg[256];
        struct stat lst;
        if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
            snprintf(msg, sizeof msg, "broken symbolic link (%s)", strerror(errno));
        else
            snprintf(msg, sizeof msg, "cannot read: %s", strerror(errno));
        return list_add(l, path, msg);
    }
    if (!S_ISDIR(st.st_mode)) {
        if (!S_ISREG(st.st_mode))
            return list_add(l, path, "not a regular file");
        /* hidden files inside folders (.DS_Store, editor swap files) are skipped */
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        if (!top && base[0] == '.')
            return 0;
        return list_add(l, path, NULL);
    }
    for (size_t i = 0; i < ds->n; i++)
        if (ds->dev[i] == st.st_dev && ds->ino[i] == st.st_ino)
            return list_add(l, path, "symbolic link loop: this folder contains itself");
    if (ds->n == sizeof ds->dev / sizeof ds->dev[0])
        return list_add(l, path, "folders nested too deeply (64 levels)");
    DIR *d = opendir(path);
    if (!d) {
        char msg[256];
        snprintf(msg, sizeof msg, "cannot read folder: %s", strerror(errno));
        return list_add(l, path, msg);
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (de->d_name[0] == '.' && !top)
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            char **nn = sc_reallocarray(names, ncap, sizeof *nn);
            if (!nn) {
                rc = -1;
                break;
            }
            names = nn;
            cap = ncap;
        }
        if (!(names[n] = sc_strdup(de->d_name))) {
            rc = -1;
            break;
        }
        n++;
    }
    closedir(d);
    if (rc == 0) {
        qsort(names, n, sizeof *names, cmp_names);
        ds->dev[ds->n] = st.st_dev;
        ds->ino[ds->n] = st.st_ino;
        ds->n++;
        struct sc_buf child = SC_BUF_INIT;
        for (size_t i = 0; i < n && rc == 0; i++) {
            sc_buf_reset(&child);
            sc_buf_addf(&child, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/",
                        names[i]);
            rc = child.failed ? -1 : walk(l, child.data, ds, 0);
        }
        sc_buf_release(&child);
        ds->n--;
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
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

static enum sc_err simtab_load(struct sc_library *lib, struct simtab *t, struct sc_diag *diag)
{
    if (t->loaded)
        return SC_OK;
    sqlite3_stmt *st = sc_store_prepare(lib, "SELECT id, simhash FROM documents ORDER BY id", diag);
    if (!st)
        return SC_ESTORE;
    enum sc_err e = SC_OK;
    while (sqlite3_step(st) == SQLITE_ROW)
        if (simtab_add(t, sqlite3_column_int64(st, 0), (uint64_t)sqlite3_column_int64(st, 1))) {
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
            break;
        }
    sqlite3_finalize(st);
    t->loaded = e == SC_OK;
    return e;
}

/* Normalised text of a stored document (for the similarity check). */
static enum sc_err stored_norm(struct sc_library *lib, int64_t id, struct sc_buf *out)
{
    sqlite3_stmt *st = sc_store_prepare(lib, "SELECT text FROM documents WHERE id = ?", NULL);
    if (!st)
        return SC_ESTORE;
    sqlite3_bind_int64(st, 1, id);
    enum sc_err e = SC_ENOTFOUND;
    if (sqlite3_step(st) == SQLITE_ROW)
        e = sc_normalize((const char *)sqlite3_column_text(st, 0),
                         (size_t)sqlite3_column_bytes(st, 0), out, NULL);
    sqlite3_finalize(st);
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

/* ---- one file ---- */

struct importer {
    struct sc_library *lib;
    const struct sc_import_opts *opts;
    struct sc_import_summary *sum;
    struct simtab sims;
    int64_t *ids;
    size_t nids, capids;
    int stop;
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

static void report(struct importer *im, const char *file, enum sc_import_status status,
                   const char *reason, uint64_t bytes)
{
    switch (status) {
    case SC_IMPORT_IMPORTED:
        im->sum->imported++;
        im->sum->docs += im->nids;
        im->sum->bytes += bytes;
        break;
    case SC_IMPORT_DUPLICATE: im->sum->duplicates++; break;
    case SC_IMPORT_REFUSED: im->sum->refused++; break;
    }
    if (im->opts && im->opts->on_file) {
        struct sc_import_result r = { file, status, im->ids, im->nids, reason ? reason : "",
                                      bytes };
        if (im->opts->on_file(im->opts->ctx, &r))
            im->stop = 1;
    }
}

static void record_refusal(struct sc_library *lib, const char *file, const char *reason)
{
    sqlite3_stmt *st = sc_store_prepare(lib, "INSERT INTO refused(file, reason) VALUES(?, ?)", NULL);
    if (!st)
        return;
    sqlite3_bind_text(st, 1, file, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
    sqlite3_step(st);
    sqlite3_finalize(st);
}

static void refuse(struct importer *im, const char *file, const char *reason, uint64_t bytes)
{
    record_refusal(im->lib, file, reason);
    report(im, file, SC_IMPORT_REFUSED, reason, bytes);
}

/* Existing document with the same normalised text, or 0. */
static int64_t exact_dup(struct sc_library *lib, const char *norm_sha)
{
    sqlite3_stmt *st =
        sc_store_prepare(lib, "SELECT min(id) FROM documents WHERE norm_sha256 = ?", NULL);
    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, norm_sha, -1, SQLITE_STATIC);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return id;
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static char *topics_json(const struct sc_article *a)
{
    struct sc_buf b = SC_BUF_INIT;
    sc_buf_addc(&b, '[');
    for (size_t i = 0; i < a->ntopics; i++) {
        if (i)
            sc_buf_adds(&b, ", ");
        sc_json_strz(&b, a->topics[i]);
    }
    sc_buf_addc(&b, ']');
    return sc_buf_take(&b, NULL);
}

/* Insert (or, with replace_id, rewrite) one article with its outline. */
static enum sc_err store_article(struct sc_library *lib, int64_t source_id, int part,
                                 const struct sc_article *a, const char *norm_sha, uint64_t h,
                                 int64_t dup_of, double sim, int64_t replace_id, int64_t *id_out,
                                 struct sc_diag *diag)
{
    char *topics = topics_json(a);
    if (!topics)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    sqlite3_stmt *st = sc_store_prepare(
        lib,
        "INSERT OR REPLACE INTO documents(id, source_id, part, src_line, title, text, chars, "
        "norm_sha256, simhash, genre, year, unit, level, topics, paid_from, paid_to, dup_of, "
        "similarity) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        diag);
    if (!st) {
        free(topics);
        return SC_ESTORE;
    }
    if (replace_id)
        sqlite3_bind_int64(st, 1, replace_id);
    else
        sqlite3_bind_null(st, 1);
    sqlite3_bind_int64(st, 2, source_id);
    sqlite3_bind_int(st, 3, part);
    sqlite3_bind_int64(st, 4, a->src_line);
    sqlite3_bind_text(st, 5, a->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, a->text.data, (int)a->text.len, SQLITE_STATIC);
    int64_t chars = 0;
    for (size_t i = 0; i < a->text.len; i++)
        chars += ((unsigned char)a->text.data[i] & 0xC0) != 0x80 && a->text.data[i] != '\n';
    sqlite3_bind_int64(st, 7, chars);
    sqlite3_bind_text(st, 8, norm_sha, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 9, (int64_t)h);
    bind_text_or_null(st, 10, a->genre);
    if (a->year)
        sqlite3_bind_int(st, 11, a->year);
    else
        sqlite3_bind_null(st, 11);
    bind_text_or_null(st, 12, a->unit);
    bind_text_or_null(st, 13, a->level);
    sqlite3_bind_text(st, 14, topics, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 15, a->paid_from);
    sqlite3_bind_int64(st, 16, a->paid_from >= 0 ? a->paid_to : -1);
    if (dup_of) {
        sqlite3_bind_int64(st, 17, dup_of);
        sqlite3_bind_double(st, 18, sim);
    } else {
        sqlite3_bind_null(st, 17);
        sqlite3_bind_null(st, 18);
    }
    enum sc_err e = sqlite3_step(st) == SQLITE_DONE ? SC_OK : sc_store_fail(lib, diag);
    sqlite3_finalize(st);
    free(topics);
    if (e != SC_OK)
        return e;
    int64_t id = replace_id ? replace_id : sqlite3_last_insert_rowid(lib->db);
    *id_out = id;

    sqlite3_stmt *ss = sc_store_prepare(lib,
                                        "INSERT INTO sections(doc_id, n, level, label, heading, "
                                        "kind, start, end, fault) VALUES(?,?,?,?,?,?,?,?,?)",
                                        diag);
    sqlite3_stmt *ps = sc_store_prepare(lib,
                                        "INSERT INTO points(doc_id, section_n, n, label, start, "
                                        "end) VALUES(?,?,?,?,?,?)",
                                        diag);
    if (!ss || !ps)
        e = SC_ESTORE;
    for (size_t i = 0; e == SC_OK && i < a->nsections; i++) {
        const struct sc_section *s = &a->sections[i];
        sqlite3_reset(ss);
        sqlite3_bind_int64(ss, 1, id);
        sqlite3_bind_int(ss, 2, (int)i);
        sqlite3_bind_int(ss, 3, s->level);
        sqlite3_bind_text(ss, 4, s->label ? s->label : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(ss, 5, s->heading ? s->heading : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(ss, 6, sc_kind_name(s->kind), -1, SQLITE_STATIC);
        sqlite3_bind_int64(ss, 7, s->start);
        sqlite3_bind_int64(ss, 8, s->end);
        bind_text_or_null(ss, 9, s->fault);
        if (sqlite3_step(ss) != SQLITE_DONE) {
            e = sc_store_fail(lib, diag);
            break;
        }
        for (size_t k = 0; k < s->npoints; k++) {
            sqlite3_reset(ps);
            sqlite3_bind_int64(ps, 1, id);
            sqlite3_bind_int(ps, 2, (int)i);
            sqlite3_bind_int(ps, 3, (int)k);
            sqlite3_bind_text(ps, 4, s->points[k].label ? s->points[k].label : "", -1,
                              SQLITE_STATIC);
            sqlite3_bind_int64(ps, 5, s->points[k].start);
            sqlite3_bind_int64(ps, 6, s->points[k].end);
            if (sqlite3_step(ps) != SQLITE_DONE) {
                e = sc_store_fail(lib, diag);
                break;
            }
        }
    }
    sqlite3_finalize(ss);
    sqlite3_finalize(ps);
    return e;
}

static enum sc_err store_boilerplate(struct sc_library *lib, int64_t source_id,
                                     const struct sc_parsed *p, struct sc_diag *diag)
{
    sqlite3_stmt *st = sc_store_prepare(
        lib, "INSERT INTO boilerplate(source_id, line, text, reason) VALUES(?,?,?,?)", diag);
    if (!st)
        return SC_ESTORE;
    enum sc_err e = SC_OK;
    for (size_t i = 0; i < p->nboiler && e == SC_OK; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, source_id);
        sqlite3_bind_int64(st, 2, p->boiler[i].line);
        sqlite3_bind_text(st, 3, p->boiler[i].text, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, p->boiler[i].reason, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            e = sc_store_fail(lib, diag);
    }
    sqlite3_finalize(st);
    return e;
}

static enum sc_err insert_source(struct sc_library *lib, const char *name, const char *path,
                                 const void *data, size_t len, const char *sha,
                                 const struct sc_ingested *in, int64_t *id, struct sc_diag *diag)
{
    uLongf clen = compressBound((uLong)len);
    unsigned char *z = malloc(clen ? clen : 1);
    if (!z)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    if (compress2(z, &clen, data, (uLong)len, Z_BEST_SPEED) != Z_OK) {
        free(z);
        return sc_diag_set(diag, SC_ENOMEM, "cannot compress the source");
    }
    sqlite3_stmt *st = sc_store_prepare(lib,
                                        "INSERT INTO sources(name, path, size, sha256, format, "
                                        "encoding, bytes) VALUES(?,?,?,?,?,?,?)",
                                        diag);
    enum sc_err e = SC_ESTORE;
    if (st) {
        static const char *const formats[] = { "unknown", "txt", "docx", "md" };
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, (int64_t)len);
        sqlite3_bind_text(st, 4, sha, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, formats[in->format <= SC_FORMAT_MD ? in->format : 0], -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(st, 6, in->encoding, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 7, z, (int)clen, SQLITE_STATIC);
        e = sqlite3_step(st) == SQLITE_DONE ? SC_OK : sc_store_fail(lib, diag);
        *id = sqlite3_last_insert_rowid(lib->db);
    }
    sqlite3_finalize(st);
    free(z);
    return e;
}

/* Ids of the documents of an already-stored source with this SHA-256. */
static int64_t source_by_sha(struct importer *im, const char *sha)
{
    sqlite3_stmt *st = sc_store_prepare(im->lib, "SELECT id FROM sources WHERE sha256 = ?", NULL);
    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, sha, -1, SQLITE_STATIC);
    int64_t sid = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (!sid)
        return 0;
    st = sc_store_prepare(im->lib, "SELECT id FROM documents WHERE source_id = ? ORDER BY part",
                          NULL);
    if (st) {
        sqlite3_bind_int64(st, 1, sid);
        while (sqlite3_step(st) == SQLITE_ROW)
            if (ids_add(im, sqlite3_column_int64(st, 0)))
                break;
        sqlite3_finalize(st);
    }
    return sid;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/*
 * Import one file's bytes. Returns an error only when the library itself
 * fails (the batch stops); refusals are reported and return SC_OK.
 */
static enum sc_err import_one(struct importer *im, const char *path, const void *data, size_t len)
{
    struct sc_library *lib = im->lib;
    const char *name = base_name(path);
    char sha[65];
    im->nids = 0;
    sc_sha256_hex(data, len, sha);
    if (source_by_sha(im, sha)) {
        char reason[160];
        snprintf(reason, sizeof reason, "the same file was imported before (sha256 %.12s…)", sha);
        report(im, path, SC_IMPORT_DUPLICATE, reason, len);
        return SC_OK;
    }
    im->nids = 0;

    struct sc_diag d = { 0 };
    struct sc_ingested in;
    sc_ingested_init(&in);
    struct sc_parsed parsed = { 0 };
    enum sc_err e = sc_ingest_bytes(name, data, len, &in, &d);
    if (e == SC_OK)
        e = sc_gongwen_parse(in.text.data, in.text.len, in.title_hint, &parsed, &d);
    if (e != SC_OK) {
        sc_ingested_release(&in);
        sc_parsed_release(&parsed);
        if (e == SC_ENOMEM)
            return sc_diag_set(NULL, e, "out of memory");
        refuse(im, path, d.msg[0] ? d.msg : sc_strerror(e), len);
        return SC_OK;
    }

    struct sc_diag sd = { 0 };
    e = simtab_load(lib, &im->sims, &sd);
    if (e == SC_OK)
        e = sc_store_exec(lib, "BEGIN IMMEDIATE", &sd);
    int in_tx = e == SC_OK;
    int64_t source_id = 0;
    /* another process may have stored the same file since the check above */
    int raced = in_tx && source_by_sha(im, sha);
    if (e == SC_OK && !raced)
        e = insert_source(lib, name, path, data, len, sha, &in, &source_id, &sd);
    if (e == SC_OK && !raced)
        e = store_boilerplate(lib, source_id, &parsed, &sd);
    size_t new_docs = 0, sims_before = im->sims.n;
    int64_t first_dup = 0;
    struct sc_buf norm = SC_BUF_INIT;
    for (size_t i = 0; e == SC_OK && !raced && i < parsed.narticles; i++) {
        const struct sc_article *a = &parsed.articles[i];
        sc_buf_reset(&norm);
        if ((e = sc_normalize(a->text.data, a->text.len, &norm, NULL)) != SC_OK)
            break;
        char nsha[65];
        sc_sha256_hex(norm.data, norm.len, nsha);
        int64_t same = exact_dup(lib, nsha);
        if (same) {
            if (!first_dup)
                first_dup = same;
            continue;
        }
        uint64_t h = sc_simhash(norm.data, norm.len);
        double sim = 0;
        int64_t dup_of = find_near_dup(lib, &im->sims, h, &norm, &sim);
        int64_t id;
        e = store_article(lib, source_id, (int)(i + 1), a, nsha, h, dup_of, sim, 0, &id, &sd);
        if (e == SC_OK && (ids_add(im, id) || simtab_add(&im->sims, id, h)))
            e = sc_diag_set(&sd, SC_ENOMEM, "out of memory");
        new_docs++;
    }
    sc_buf_release(&norm);
    int all_dup = e == SC_OK && new_docs == 0;
    if (e == SC_OK && !all_dup)
        e = sc_store_exec(lib, "COMMIT", &sd);
    if (in_tx && (e != SC_OK || all_dup))
        sc_store_exec(lib, "ROLLBACK", NULL);
    if (e != SC_OK || all_dup)
        im->sims.n = sims_before; /* forget what the rollback undid */
    sc_ingested_release(&in);
    sc_parsed_release(&parsed);
    if (e != SC_OK) {
        char reason[600];
        snprintf(reason, sizeof reason, "not stored: %s", sd.msg);
        refuse(im, path, reason, len);
        return e == SC_ENOMEM || e == SC_ESTORE ? e : SC_OK;
    }
    if (raced) {
        char reason[160];
        snprintf(reason, sizeof reason, "the same file was imported before (sha256 %.12s…)", sha);
        report(im, path, SC_IMPORT_DUPLICATE, reason, len);
        return SC_OK;
    }
    if (all_dup) {
        char reason[160];
        snprintf(reason, sizeof reason, "same text as document %lld", (long long)first_dup);
        im->nids = 0;
        ids_add(im, first_dup);
        report(im, path, SC_IMPORT_DUPLICATE, reason, len);
        return SC_OK;
    }
    report(im, path, SC_IMPORT_IMPORTED, NULL, len);
    /* new documents become searchable now (the index may batch briefly) */
    sc_index_sync(lib, 0, NULL);
    return SC_OK;
}

static void importer_release(struct importer *im)
{
    free(im->sims.id);
    free(im->sims.hash);
    free(im->ids);
}

enum sc_err sc_import_paths(struct sc_library *lib, const char *const *paths, size_t npaths,
                            const struct sc_import_opts *opts, struct sc_import_summary *sum,
                            struct sc_diag *diag)
{
    memset(sum, 0, sizeof *sum);
    if (lib->flags & SC_LIBRARY_READONLY)
        return sc_diag_set(diag, SC_EINVAL, "the library is open read-only");
    struct file_list files = { 0 };
    for (size_t i = 0; i < npaths; i++) {
        struct dir_stack ds = { .n = 0 };
        if (walk(&files, paths[i], &ds, 1)) {
            list_free(&files);
            return sc_diag_set(diag, SC_ENOMEM, "out of memory listing %s", paths[i]);
        }
    }
    struct importer im = { .lib = lib, .opts = opts, .sum = sum };
    enum sc_err e = SC_OK;
    for (size_t i = 0; i < files.n && !im.stop; i++) {
        const char *path = files.paths[i];
        if (opts && opts->on_progress)
            opts->on_progress(opts->ctx, i, files.n, path);
        im.nids = 0;
        if (files.errors[i]) {
            refuse(&im, path, files.errors[i], 0);
            continue;
        }
        char *data;
        size_t len;
        struct sc_diag d = { 0 };
        enum sc_err re = sc_read_file(path, SC_MAX_FILE_BYTES, &data, &len, &d);
        if (re == SC_ENOMEM) {
            e = sc_diag_set(diag, re, "out of memory reading %s", path);
            break;
        }
        if (re != SC_OK) {
            refuse(&im, path, d.msg, 0);
            continue;
        }
        e = import_one(&im, path, data, len);
        free(data);
        if (e != SC_OK) {
            sc_diag_set(diag, e, "%s: the library failed while importing this file", path);
            break;
        }
    }
    if (opts && opts->on_progress)
        opts->on_progress(opts->ctx, files.n, files.n, NULL);
    importer_release(&im);
    list_free(&files);
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
    struct importer im = { .lib = lib, .opts = opts, .sum = sum };
    enum sc_err e;
    if (len > SC_MAX_FILE_BYTES) {
        char reason[128];
        snprintf(reason, sizeof reason, "file is %zu bytes, over the limit of %u bytes", len,
                 SC_MAX_FILE_BYTES);
        refuse(&im, name, reason, len);
        e = SC_OK;
    } else {
        e = import_one(&im, name, data, len);
    }
    importer_release(&im);
    if (e != SC_OK)
        return sc_diag_set(diag, e, "%s: the library failed while importing this file", name);
    return sc_index_sync(lib, 1, diag);
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
    struct sc_ingested in;
    sc_ingested_init(&in);
    struct sc_parsed parsed = { 0 };
    enum sc_err e = sc_ingest_bytes(name, data, len, &in, diag);
    if (e == SC_OK)
        e = sc_gongwen_parse(in.text.data, in.text.len, in.title_hint, &parsed, diag);
    if (e != SC_OK)
        goto out;
    if ((e = sc_store_exec(lib, "BEGIN IMMEDIATE", diag)) != SC_OK)
        goto out;
    sqlite3_stmt *old = sc_store_prepare(
        lib, "SELECT id, dup_of, similarity FROM documents WHERE source_id = ? AND part = ?", diag);
    sqlite3_stmt *del = sc_store_prepare(lib, "DELETE FROM sections WHERE doc_id = ?", diag);
    sqlite3_stmt *delp = sc_store_prepare(lib, "DELETE FROM points WHERE doc_id = ?", diag);
    if (!old || !del || !delp)
        e = SC_ESTORE;
    struct sc_buf norm = SC_BUF_INIT;
    for (size_t i = 0; e == SC_OK && i < parsed.narticles; i++) {
        const struct sc_article *a = &parsed.articles[i];
        sqlite3_reset(old);
        sqlite3_bind_int64(old, 1, source_id);
        sqlite3_bind_int(old, 2, (int)(i + 1));
        int64_t id = 0, dup_of = 0;
        double sim = 0;
        if (sqlite3_step(old) == SQLITE_ROW) {
            id = sqlite3_column_int64(old, 0);
            dup_of = sqlite3_column_int64(old, 1);
            sim = sqlite3_column_double(old, 2);
        }
        if (id) {
            sqlite3_reset(del);
            sqlite3_bind_int64(del, 1, id);
            sqlite3_reset(delp);
            sqlite3_bind_int64(delp, 1, id);
            if (sqlite3_step(del) != SQLITE_DONE || sqlite3_step(delp) != SQLITE_DONE) {
                e = sc_store_fail(lib, diag);
                break;
            }
        }
        sc_buf_reset(&norm);
        if ((e = sc_normalize(a->text.data, a->text.len, &norm, NULL)) != SC_OK)
            break;
        char nsha[65];
        sc_sha256_hex(norm.data, norm.len, nsha);
        int64_t got;
        e = store_article(lib, source_id, (int)(i + 1), a, nsha, sc_simhash(norm.data, norm.len),
                          dup_of, sim, id, &got, diag);
        (*ndocs)++;
    }
    sc_buf_release(&norm);
    sqlite3_finalize(old);
    sqlite3_finalize(del);
    sqlite3_finalize(delp);
    if (e == SC_OK) {
        sqlite3_stmt *rm = sc_store_prepare(
            lib,
            "DELETE FROM sections WHERE doc_id IN (SELECT id FROM documents WHERE source_id = ?1 "
            "AND part > ?2)",
            diag);
        sqlite3_stmt *rmp = sc_store_prepare(
            lib,
            "DELETE FROM points WHERE doc_id IN (SELECT id FROM documents WHERE source_id = ?1 "
            "AND part > ?2)",
            diag);
        sqlite3_stmt *rmd =
            sc_store_prepare(lib, "DELETE FROM documents WHERE source_id = ?1 AND part > ?2", diag);
        sqlite3_stmt *rmb = sc_store_prepare(lib, "DELETE FROM boilerplate WHERE source_id = ?1",
                                             diag);
        sqlite3_stmt *all[] = { rm, rmp, rmd, rmb };
        for (size_t k = 0; k < 4; k++) {
            if (!all[k]) {
                e = SC_ESTORE;
                continue;
            }
            sqlite3_bind_int64(all[k], 1, source_id);
            if (k < 3)
                sqlite3_bind_int64(all[k], 2, (int64_t)parsed.narticles);
            if (e == SC_OK && sqlite3_step(all[k]) != SQLITE_DONE)
                e = sc_store_fail(lib, diag);
            sqlite3_finalize(all[k]);
        }
    }
    if (e == SC_OK)
        e = store_boilerplate(lib, source_id, &parsed, diag);
    if (e == SC_OK)
        e = sc_store_exec(lib, "COMMIT", diag);
    else
        sc_store_exec(lib, "ROLLBACK", NULL);
out:
    sc_ingested_release(&in);
    sc_parsed_release(&parsed);
    return e;
}
