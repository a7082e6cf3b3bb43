/*
 * The index attached to a library: a manifest naming immutable segment
 * files under <dir>/index/, kept in step with the store (new documents
 * become a new small segment; a change of the store generation rebuilds),
 * and shared by threads through reference-counted snapshots. Another
 * process that adds segments is noticed by a cheap stat of the manifest.
 */
#include "search/index.h"
#include "base/ztext.h"
#include "search/engine.h"
#include "sucai/gongwen.h"
#include "sucai/members.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MANIFEST "MANIFEST"
#define MANIFEST_MAGIC "sucai-index 2"
#define MAX_SEGMENTS 10
#define SYNC_DEFER_MS 300.0
#define SYNC_DEFER_MAX_MS 1000.0
#define RECHECK_MS 100.0

struct seginfo {
    char name[96];
    int64_t lo, hi;
};

struct manifest {
    int64_t generation, maxid;
    int64_t seq; /* the last change applied (0 in a manifest from before the change log) */
    struct seginfo *seg;
    size_t nseg;
};

/* A read-only connection of its own for snippet text: byte ranges of a
 * document are read with an incremental blob handle, so a hit costs a
 * paragraph, not the whole document, and searches never queue behind the
 * writer's connection. */
struct reader {
    struct sc_store *db;
    struct sc_blob *blob; /* open during one search (it holds a read transaction) */
    int64_t row;
    /* the last packed text unpacked, for the other snippets of the same
     * document in this search (dropped when the search gives it back) */
    int64_t text_id;
    char *text;
    size_t text_len;
    struct reader *next;
};

struct sc_index {
    char *dir;
    struct sc_snap *snap;       /* current; one reference held here */
    pthread_mutex_t write_lock; /* one writer (sync, rebuild) per process */
    pthread_mutex_t reload_lock;
    pthread_mutex_t text_lock;  /* readers */
    struct reader *readers;     /* idle text readers */
    struct sc_store *bdb;       /* building: read-only, used under write_lock */
    /* the builder of one-piece builds, kept (under write_lock) from build
     * to build while an import goes on, so its large arrays are not
     * faulted in afresh each time; freed by the sync that ends it */
    struct sc_segbuild *sb;
    /* background catch-up during imports */
    pthread_t bg;
    int bg_started, bg_pending, bg_stop;
    double bg_since;            /* first unindexed commit */
    double bg_start;            /* first sync of this run of syncs */
    double bg_last;             /* end of the last background build */
    pthread_mutex_t bg_lock;
    pthread_cond_t bg_cond;
    /* following the change log (sc_index_follow): stopped under bg_lock */
    pthread_t fw;
    int fw_started, fw_stop, fw_poll_ms;
    struct timespec mtime;      /* of the manifest the snapshot came from */
    ino_t ino;
    off_t msize;
    double last_check, last_sync;
    /* why the last catch-up failed ("" when it did not); searches then
     * run on the index as it was, and the next sync tries again */
    char stale[512];
    pthread_mutex_t stale_lock;
};

static void readers_close(struct sc_index *ix);
static int seg_file_current(const char *path);

static void set_stale(struct sc_index *ix, const char *why)
{
    pthread_mutex_lock(&ix->stale_lock);
    snprintf(ix->stale, sizeof ix->stale, "%s", why ? why : "");
    pthread_mutex_unlock(&ix->stale_lock);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static char *path_join(const char *a, const char *b)
{
    struct sc_buf p = SC_BUF_INIT;
    sc_buf_addf(&p, "%s/%s", a, b);
    return sc_buf_take(&p, NULL);
}

/* ---------------------------------------------------------------- manifest */

static void manifest_release(struct manifest *m)
{
    free(m->seg);
    memset(m, 0, sizeof *m);
}

/* SC_ENOTFOUND when there is none. */
static enum sc_err manifest_read(const char *dir, struct manifest *m, struct sc_diag *diag)
{
    memset(m, 0, sizeof *m);
    char *path = path_join(dir, MANIFEST);
    if (!path)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    char *data = NULL;
    size_t len = 0;
    struct sc_diag d = {0};
    enum sc_err e = sc_read_file(path, 1 << 20, &data, &len, &d);
    free(path);
    if (e != SC_OK)
        return e == SC_ENOMEM ? sc_diag_set(diag, e, "out of memory") : SC_ENOTFOUND;
    e = SC_OK;
    char *save = NULL;
    int first = 1;
    for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (first) {
            first = 0;
            if (strcmp(line, MANIFEST_MAGIC) != 0) {
                e = SC_EPARSE;
                break;
            }
            continue;
        }
        long long a, b;
        char name[96];
        if (sscanf(line, "generation %lld", &a) == 1) {
            m->generation = a;
        } else if (sscanf(line, "maxid %lld", &a) == 1) {
            m->maxid = a;
        } else if (sscanf(line, "seq %lld", &a) == 1) {
            m->seq = a;
        } else if (sscanf(line, "segment %95s %lld %lld", name, &a, &b) == 3) {
            if (strchr(name, '/') || name[0] == '.') {
                e = SC_EPARSE;
                break;
            }
            struct seginfo *ns = sc_reallocarray(m->seg, m->nseg + 1, sizeof *ns);
            if (!ns) {
                e = SC_ENOMEM;
                break;
            }
            m->seg = ns;
            memcpy(ns[m->nseg].name, name, sizeof name);
            ns[m->nseg].lo = a;
            ns[m->nseg].hi = b;
            m->nseg++;
        } else {
            e = SC_EPARSE;
            break;
        }
    }
    free(data);
    if (first)
        e = SC_EPARSE;
    if (e != SC_OK) {
        manifest_release(m);
        return e == SC_ENOMEM ? sc_diag_set(diag, e, "out of memory") : e;
    }
    return SC_OK;
}

static enum sc_err fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return SC_EIO;
    int rc = fsync(fd);
    close(fd);
    return rc ? SC_EIO : SC_OK;
}

static enum sc_err manifest_write(const char *dir, const struct manifest *m, struct sc_diag *diag)
{
    struct sc_buf b = SC_BUF_INIT;
    sc_buf_addf(&b, "%s\ngeneration %lld\nmaxid %lld\nseq %lld\n", MANIFEST_MAGIC,
                (long long)m->generation, (long long)m->maxid, (long long)m->seq);
    for (size_t i = 0; i < m->nseg; i++)
        sc_buf_addf(&b, "segment %s %lld %lld\n", m->seg[i].name, (long long)m->seg[i].lo,
                    (long long)m->seg[i].hi);
    char *path = path_join(dir, MANIFEST), *tmp = path_join(dir, MANIFEST ".tmp");
    enum sc_err e = SC_OK;
    if (sc_buf_err(&b) || !path || !tmp) {
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
        goto out;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        e = sc_diag_set(diag, SC_EIO, "cannot write %s: %s", tmp, sc_strerrno(errno));
        goto out;
    }
    ssize_t w = write(fd, b.data, b.len);
    int bad = w != (ssize_t)b.len || fsync(fd) != 0;
    if (close(fd) != 0)
        bad = 1;
    if (bad || rename(tmp, path) != 0) {
        e = sc_diag_set(diag, SC_EIO, "cannot write %s: %s", path, sc_strerrno(errno));
        unlink(tmp);
        goto out;
    }
    fsync_dir(dir);
out:
    sc_buf_release(&b);
    free(path);
    free(tmp);
    return e;
}

/* ---------------------------------------------------------------- snapshots */

static enum sc_err snap_load(const char *dir, const struct manifest *m, const struct sc_snap *old,
                             struct sc_snap **out, struct sc_diag *diag)
{
    *out = NULL;
    struct sc_seg **segs = sc_calloc(m->nseg ? m->nseg : 1, sizeof *segs);
    if (!segs)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    enum sc_err e = SC_OK;
    size_t n = 0;
    for (; n < m->nseg; n++) {
        char *p = path_join(dir, m->seg[n].name);
        if (!p) {
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
            break;
        }
        /* segments are immutable: one already open is shared */
        struct sc_seg *have = NULL;
        for (size_t i = 0; old && i < old->nseg && !have; i++)
            if (strcmp(old->segs[i]->path, p) == 0)
                have = old->segs[i];
        if (have) {
            sc_seg_ref(have);
            segs[n] = have;
        } else {
            e = sc_seg_open(p, &segs[n], diag);
        }
        free(p);
        if (e != SC_OK)
            break;
        segs[n]->lo = m->seg[n].lo;
        segs[n]->hi = m->seg[n].hi;
    }
    if (e == SC_OK)
        e = sc_snap_new(segs, n, out);
    if (e != SC_OK) {
        for (size_t i = 0; i < n; i++)
            sc_seg_close(segs[i]);
        if (e == SC_ENOMEM)
            sc_diag_set(diag, e, "out of memory");
    } else {
        (*out)->maxid = m->maxid;
        (*out)->generation = m->generation;
        (*out)->seq = m->seq;
    }
    free(segs);
    return e;
}

static void snap_unref(struct sc_library *lib, struct sc_snap *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&lib->index_lock);
    int last = --s->refs == 0;
    pthread_mutex_unlock(&lib->index_lock);
    if (last)
        sc_snap_free(s);
}

static struct sc_snap *snap_ref(struct sc_library *lib)
{
    pthread_mutex_lock(&lib->index_lock);
    struct sc_snap *s = lib->index ? lib->index->snap : NULL;
    if (s)
        s->refs++;
    pthread_mutex_unlock(&lib->index_lock);
    return s;
}

static void snap_swap(struct sc_library *lib, struct sc_snap *s)
{
    pthread_mutex_lock(&lib->index_lock);
    struct sc_snap *old = lib->index->snap;
    lib->index->snap = s;
    pthread_mutex_unlock(&lib->index_lock);
    snap_unref(lib, old);
}

static void stat_manifest(struct sc_index *ix, struct stat *st, int *ok)
{
    char *p = path_join(ix->dir, MANIFEST);
    *ok = p && stat(p, st) == 0;
    free(p);
}

static void remember_manifest(struct sc_index *ix)
{
    struct stat st;
    int ok;
    stat_manifest(ix, &st, &ok);
    if (ok) {
        ix->mtime = st.st_mtim;
        ix->ino = st.st_ino;
        ix->msize = st.st_size;
    }
}

/* Load the manifest on disk into a new current snapshot. */
static enum sc_err reload(struct sc_library *lib, struct sc_diag *diag)
{
    struct sc_index *ix = lib->index;
    struct manifest m;
    enum sc_err e = manifest_read(ix->dir, &m, diag);
    if (e == SC_ENOTFOUND) {
        memset(&m, 0, sizeof m);
        e = SC_OK;
    }
    if (e != SC_OK)
        return e == SC_EPARSE ? sc_diag_set(diag, e, "%s/" MANIFEST ": damaged", ix->dir) : e;
    remember_manifest(ix);
    /* segments of another format version: only a writer rebuilds them, so
     * a read-only process (list, show) sees no index rather than failing */
    for (size_t i = 0; i < m.nseg; i++) {
        char *p = path_join(ix->dir, m.seg[i].name);
        int current = p && seg_file_current(p);
        free(p);
        if (!current) {
            manifest_release(&m);
            return SC_OK;
        }
    }
    struct sc_snap *old = snap_ref(lib), *s;
    e = snap_load(ix->dir, &m, old, &s, diag);
    snap_unref(lib, old);
    manifest_release(&m);
    if (e != SC_OK)
        return e;
    snap_swap(lib, s);
    return SC_OK;
}

/* The current snapshot (a reference), loaded on first use: opening a
 * library to import or list never pays for it. NULL on error. */
static struct sc_snap *snap_get(struct sc_library *lib, enum sc_err *err, struct sc_diag *diag)
{
    struct sc_snap *s = snap_ref(lib);
    if (s)
        return s;
    struct sc_index *ix = lib->index;
    pthread_mutex_lock(&ix->reload_lock);
    s = snap_ref(lib);
    if (!s) {
        *err = reload(lib, diag);
        s = snap_ref(lib);
        ix->last_check = now_ms();
    }
    pthread_mutex_unlock(&ix->reload_lock);
    return s;
}

/* Load the manifest if another handle or process changed it. Caller holds
 * reload_lock. */
static void reload_if_changed(struct sc_library *lib)
{
    struct sc_index *ix = lib->index;
    ix->last_check = now_ms();
    struct stat st;
    int ok;
    stat_manifest(ix, &st, &ok);
    if (ok && (st.st_ino != ix->ino || st.st_size != ix->msize ||
               st.st_mtim.tv_sec != ix->mtime.tv_sec || st.st_mtim.tv_nsec != ix->mtime.tv_nsec))
        (void)reload(lib, NULL);
}

/* Pick up segments added by another process (at most every RECHECK_MS). */
static void maybe_reload(struct sc_library *lib)
{
    struct sc_index *ix = lib->index;
    if (pthread_mutex_trylock(&ix->reload_lock) != 0)
        return; /* another thread is at it */
    if (now_ms() - ix->last_check >= RECHECK_MS)
        reload_if_changed(lib);
    pthread_mutex_unlock(&ix->reload_lock);
}

/* The change-log number of the current snapshot (0 with no index), the
 * manifest on disk looked at first: now, or with fresh = 0 as a search
 * does, at most every RECHECK_MS. */
static int64_t applied_seq(struct sc_library *lib, int fresh)
{
    struct sc_index *ix = lib->index;
    if (fresh) {
        pthread_mutex_lock(&ix->reload_lock);
        reload_if_changed(lib);
        pthread_mutex_unlock(&ix->reload_lock);
    } else {
        maybe_reload(lib);
    }
    enum sc_err e = SC_OK;
    struct sc_snap *s = snap_get(lib, &e, NULL);
    int64_t seq = s ? s->seq : 0;
    snap_unref(lib, s);
    return seq;
}

/* ---------------------------------------------------------------- reading the store */

/* The index reads the store through connections of its own (read-only):
 * they see committed documents only, whatever the library's connection is
 * in the middle of, and the documents and their sections come in two
 * ordered scans instead of a query per document. */
static enum sc_err build_db(struct sc_library *lib, struct sc_store **db, struct sc_diag *diag)
{
    if (*db)
        return SC_OK;
    return sc_store_reopen(sc_library_reader(lib), SC_STORE_RDONLY | SC_STORE_PRIVATE, 10000, db,
                           diag);
}

/* The first column of the first row; *ok = 0 on failure. Once *ok is 0 it
 * does nothing, so that sc_store_errmsg still tells the first failure. */
static int64_t db_int(struct sc_store *db, const char *sql, int *ok)
{
    struct sc_stmt *st = NULL;
    int64_t v = 0;
    if (!*ok)
        return 0;
    if (sc_stmt_prepare(db, sql, &st) == SC_STORE_OK && sc_stmt_step(st) == SC_STORE_ROW)
        v = sc_stmt_column_int64(st, 0);
    else
        *ok = 0;
    sc_stmt_finalize(st);
    return v;
}

/* Is there a change other than an addition after number seq? */
static int rewrites_since(struct sc_store *db, int64_t seq, int *ok)
{
    struct sc_stmt *st = NULL;
    int yes = 0;
    if (sc_stmt_prepare(db, "SELECT 1 FROM changes WHERE seq > ? AND kind <> 'add' LIMIT 1",
                        &st) != SC_STORE_OK) {
        *ok = 0;
        return 0;
    }
    sc_stmt_bind_int64(st, 1, seq);
    int rc = sc_stmt_step(st);
    if (rc == SC_STORE_ROW)
        yes = 1;
    else if (rc != SC_STORE_DONE)
        *ok = 0;
    sc_stmt_finalize(st);
    return yes;
}

struct docreader {
    struct sc_store *db;
    struct sc_stmt *d, *s;
    int s_row;            /* s is on a row */
    struct sc_section *sec;
    size_t capsec;
    struct sc_buf str;    /* labels and headings of the current document */
    char *text;           /* the current document's text when it was stored packed */
    enum sc_err err;      /* of a failed docreader_next */
};

static void docreader_close(struct docreader *r)
{
    sc_stmt_finalize(r->d);
    sc_stmt_finalize(r->s);
    free(r->sec);
    free(r->text);
    sc_buf_release(&r->str);
    memset(r, 0, sizeof *r);
}

static enum sc_err docreader_open(struct docreader *r, struct sc_store *db, int64_t lo, int64_t hi,
                                  struct sc_diag *diag)
{
    memset(r, 0, sizeof *r);
    r->db = db;
    if (sc_stmt_prepare(db,
                        "SELECT id, title, text, year, genre, unit, level, paid_from, paid_to "
                        "FROM documents WHERE id > ?1 AND id <= ?2 ORDER BY id",
                        &r->d) != SC_STORE_OK ||
        sc_stmt_prepare(db,
                        "SELECT doc_id, level, label, heading, kind, start, end FROM sections "
                        "WHERE doc_id > ?1 AND doc_id <= ?2 ORDER BY doc_id, n",
                        &r->s) != SC_STORE_OK) {
        enum sc_err e = sc_diag_set(diag, SC_ESTORE, "reading documents: %s", sc_store_errmsg(db));
        docreader_close(r);
        return e;
    }
    sc_stmt_bind_int64(r->d, 1, lo);
    sc_stmt_bind_int64(r->d, 2, hi);
    sc_stmt_bind_int64(r->s, 1, lo);
    sc_stmt_bind_int64(r->s, 2, hi);
    int rc = sc_stmt_step(r->s);
    r->s_row = rc == SC_STORE_ROW;
    if (rc != SC_STORE_ROW && rc != SC_STORE_DONE) {
        enum sc_err e = sc_diag_set(diag, SC_ESTORE, "reading sections: %s", sc_store_errmsg(db));
        docreader_close(r);
        return e;
    }
    return SC_OK;
}

static char *col_text(struct sc_stmt *st, int i)
{
    return (char *)sc_stmt_column_text(st, i); /* NULL stays NULL */
}

/* The next document (its strings point into SQLite's row until the next
 * call). 1 = a document, 0 = the end, -1 = error (diag set). */
static int docreader_next(struct docreader *r, struct sc_doc *doc, struct sc_diag *diag)
{
    int rc = sc_stmt_step(r->d);
    if (rc == SC_STORE_DONE)
        return 0;
    if (rc != SC_STORE_ROW) {
        r->err = sc_diag_set(diag, SC_ESTORE, "reading documents: %s", sc_store_errmsg(r->db));
        return -1;
    }
    memset(doc, 0, sizeof *doc);
    doc->id = sc_stmt_column_int64(r->d, 0);
    doc->title = col_text(r->d, 1);
    doc->text = (char *)sc_stmt_column_blob(r->d, 2);
    doc->text_len = (size_t)sc_stmt_column_bytes(r->d, 2);
    free(r->text);
    r->text = NULL;
    if (sc_ztext_is_packed(doc->text, doc->text_len)) { /* else plain text, before schema 2 */
        size_t len;
        enum sc_err te = sc_ztext_unpack(doc->text, doc->text_len, &r->text, &len);
        if (te != SC_OK) {
            r->err = sc_diag_set(diag, te,
                                 te == SC_ENOMEM ? "out of memory reading document %lld"
                                                 : "document %lld: its stored text is damaged",
                                 (long long)doc->id);
            return -1;
        }
        doc->text = r->text;
        doc->text_len = len;
    }
    doc->year = sc_stmt_column_int(r->d, 3);
    doc->genre = col_text(r->d, 4);
    doc->unit = col_text(r->d, 5);
    doc->level = col_text(r->d, 6);
    doc->paid_from_cp = sc_stmt_column_int64(r->d, 7);
    doc->paid_to_cp = sc_stmt_column_int64(r->d, 8);
    /* 发文字号 and 成文日期 are derived from the text (docno.h), as the
     * normalised text is */
    if (doc->text) {
        sc_docno_find(doc->text, doc->text_len, doc->docno);
        doc->docdate = sc_docdate_find(doc->text, doc->text_len);
    }
    /* its sections: the other scan, in step */
    size_t n = 0;
    sc_buf_reset(&r->str);
    while (r->s_row && sc_stmt_column_int64(r->s, 0) < doc->id)
        r->s_row = sc_stmt_step(r->s) == SC_STORE_ROW;
    while (r->s_row && sc_stmt_column_int64(r->s, 0) == doc->id) {
        if (n == r->capsec) {
            size_t nc = r->capsec ? r->capsec * 2 : 16;
            struct sc_section *ns = sc_reallocarray(r->sec, nc, sizeof *ns);
            if (!ns) {
                r->err = sc_diag_set(diag, SC_ENOMEM, "out of memory reading sections");
                return -1;
            }
            r->sec = ns;
            r->capsec = nc;
        }
        struct sc_section *s = &r->sec[n++];
        memset(s, 0, sizeof *s);
        s->level = sc_stmt_column_int(r->s, 1);
        /* label and heading are copied (offsets now, pointers below) */
        const char *lb = col_text(r->s, 2), *hd = col_text(r->s, 3);
        s->label = (char *)(uintptr_t)r->str.len;
        sc_buf_adds(&r->str, lb ? lb : "");
        sc_buf_addc(&r->str, '\0');
        s->heading = (char *)(uintptr_t)r->str.len;
        sc_buf_adds(&r->str, hd ? hd : "");
        sc_buf_addc(&r->str, '\0');
        const char *kind = col_text(r->s, 4);
        int k = kind ? sc_kind_parse(kind, strlen(kind)) : -1;
        s->kind = k < 0 ? SC_KIND_OTHER : (enum sc_section_kind)k;
        s->start_cp = sc_stmt_column_int64(r->s, 5);
        s->end_cp = sc_stmt_column_int64(r->s, 6);
        r->s_row = sc_stmt_step(r->s) == SC_STORE_ROW;
    }
    if (sc_buf_err(&r->str)) {
        r->err = sc_diag_set(diag, SC_ENOMEM, "out of memory reading sections");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        r->sec[i].label = r->str.data + (uintptr_t)r->sec[i].label;
        r->sec[i].heading = r->str.data + (uintptr_t)r->sec[i].heading;
    }
    doc->sections = n ? r->sec : NULL;
    doc->nsections = n;
    return 1;
}

/* ---------------------------------------------------------------- building */

static char *seg_name(int64_t lo, int64_t hi, const char *kind)
{
    static unsigned counter;
    unsigned n = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct sc_buf b = SC_BUF_INIT;
    sc_buf_addf(&b, "seg-%s%lld-%lld-%ld-%ld-%u.sx", kind, (long long)lo, (long long)hi,
                (long)getpid(), (long)(ts.tv_nsec / 1000), n);
    return sc_buf_take(&b, NULL);
}

/* Build one segment file of the documents with ids in (lo, hi] read
 * through db; *ndocs = 0 (and no file) when there were none. */
static enum sc_err build_one(struct sc_segbuild *sb, struct sc_store *db, int64_t lo, int64_t hi,
                             const char *path, size_t *ndocs, struct sc_diag *diag)
{
    *ndocs = 0;
    sc_segbuild_reset(sb);
    struct docreader r;
    enum sc_err e = docreader_open(&r, db, lo, hi, diag);
    if (e == SC_OK) {
        struct sc_doc doc;
        int rc;
        while ((rc = docreader_next(&r, &doc, diag)) == 1)
            if ((e = sc_segbuild_add(sb, &doc, diag)) != SC_OK)
                break;
        if (rc < 0 && e == SC_OK)
            e = r.err;
        docreader_close(&r);
    }
    if (e == SC_OK && sc_segbuild_ndocs(sb)) {
        *ndocs = sc_segbuild_ndocs(sb);
        e = sc_segbuild_write(sb, path, diag);
    }
    return e;
}

/* Parallel building: the id range is cut into parts; two workers (this
 * thread and one more, each with its own connection) build a part
 * segment each in turn, and the parts are then merged into one. */
#define PART_DOCS 1200

struct part_job {
    struct sc_library *lib;
    const char *dir;
    int64_t lo, hi, step;
    size_t nparts;
    size_t next;             /* next part to build (under mu) */
    pthread_mutex_t mu;
    char **paths;            /* per part; NULL when it had no documents */
    enum sc_err err;
    struct sc_diag diag;
};

struct part_worker {
    struct part_job *job;
    struct sc_store *db;
};

static void *part_run(void *arg)
{
    struct part_worker *w = arg;
    struct part_job *j = w->job;
    struct sc_segbuild *sb = NULL;
    if (sc_segbuild_new(&sb) != SC_OK) {
        pthread_mutex_lock(&j->mu);
        if (j->err == SC_OK)
            j->err = sc_diag_set(&j->diag, SC_ENOMEM, "out of memory");
        pthread_mutex_unlock(&j->mu);
        return NULL;
    }
    sc_segbuild_nosync(sb);
    for (;;) {
        pthread_mutex_lock(&j->mu);
        size_t k = j->err == SC_OK ? j->next++ : j->nparts;
        pthread_mutex_unlock(&j->mu);
        if (k >= j->nparts)
            break;
        int64_t lo = j->lo + (int64_t)k * j->step;
        int64_t hi = k + 1 == j->nparts ? j->hi : lo + j->step;
        struct sc_diag d = {0};
        char *name = seg_name(lo, hi, "part-");
        char *path = name ? path_join(j->dir, name) : NULL;
        free(name);
        size_t nd = 0;
        enum sc_err e = path ? build_one(sb, w->db, lo, hi, path, &nd, &d)
                             : sc_diag_set(&d, SC_ENOMEM, "out of memory");
        pthread_mutex_lock(&j->mu);
        if (e != SC_OK && j->err == SC_OK) {
            j->err = e;
            j->diag = d;
        }
        if (e == SC_OK && nd)
            j->paths[k] = path;
        pthread_mutex_unlock(&j->mu);
        if (!(e == SC_OK && nd)) {
            if (path)
                unlink(path);
            free(path);
        }
    }
    sc_segbuild_free(sb);
    return NULL;
}

/* Open segment files, or reuse those of the current snapshot. */
static enum sc_err open_segs(struct sc_library *lib, char *const *paths, size_t n,
                             struct sc_seg **out, struct sc_diag *diag)
{
    struct sc_snap *cur = snap_ref(lib);
    enum sc_err e = SC_OK;
    size_t i = 0;
    for (; i < n && e == SC_OK; i++) {
        out[i] = NULL;
        for (size_t k = 0; cur && k < cur->nseg && !out[i]; k++)
            if (strcmp(cur->segs[k]->path, paths[i]) == 0) {
                sc_seg_ref(cur->segs[k]);
                out[i] = cur->segs[k];
            }
        if (!out[i])
            e = sc_seg_open(paths[i], &out[i], diag);
    }
    snap_unref(lib, cur);
    if (e != SC_OK)
        for (size_t k = 0; k + 1 < i; k++)
            sc_seg_close(out[k]);
    return e;
}

/* Merge the segment files paths[0..n) (in id order) into path. */
static enum sc_err merge_files(struct sc_library *lib, char *const *paths, size_t n,
                               const char *path, struct sc_diag *diag)
{
    struct sc_seg **segs = sc_calloc(n ? n : 1, sizeof *segs);
    if (!segs)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    enum sc_err e = open_segs(lib, paths, n, segs, diag);
    if (e == SC_OK) {
        e = sc_seg_merge(segs, n, path, 2, diag);
        for (size_t i = 0; i < n; i++)
            sc_seg_close(segs[i]);
    }
    free(segs);
    return e;
}

/* Build a segment of the documents with ids in (lo, hi]; *name receives
 * the file name (malloc'd), or NULL when there were no documents. Alone
 * (the background catch-up, whose import keeps the other core busy) it is
 * built in one piece: parts would cost a merge for no gain in time. */
static enum sc_err build_range(struct sc_library *lib, int64_t lo, int64_t hi, int alone,
                               char **name, struct sc_diag *diag)
{
    struct sc_index *ix = lib->index;
    *name = seg_name(lo, hi, "");
    char *path = *name ? path_join(ix->dir, *name) : NULL;
    if (!path) {
        free(*name);
        *name = NULL;
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    }
    enum sc_err e = SC_OK;
    size_t nd = 0;
    if (alone || hi - lo <= PART_DOCS) {
        if (!ix->sb && sc_segbuild_new(&ix->sb) != SC_OK)
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
        else
            e = build_one(ix->sb, ix->bdb, lo, hi, path, &nd, diag);
    } else {
        struct part_job j;
        memset(&j, 0, sizeof j);
        j.lib = lib;
        j.dir = ix->dir;
        j.lo = lo;
        j.hi = hi;
        j.nparts = (size_t)((hi - lo + PART_DOCS - 1) / PART_DOCS);
        j.step = (hi - lo) / (int64_t)j.nparts;
        pthread_mutex_init(&j.mu, NULL);
        j.paths = sc_calloc(j.nparts, sizeof *j.paths);
        if (!j.paths)
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
        struct part_worker w0 = {&j, ix->bdb}, w1 = {&j, NULL};
        pthread_t th;
        int two = e == SC_OK && build_db(lib, &w1.db, NULL) == SC_OK &&
                  sc_store_begin(w1.db, 0, NULL) == SC_OK &&
                  pthread_create(&th, NULL, part_run, &w1) == 0;
        if (e == SC_OK)
            part_run(&w0);
        if (two)
            pthread_join(th, NULL);
        if (w1.db) {
            (void)sc_store_commit(w1.db, NULL);
            sc_store_close(w1.db);
        }
        if (e == SC_OK && j.err != SC_OK) {
            e = j.err;
            if (diag)
                *diag = j.diag;
        }
        /* the parts that had documents, in id order */
        size_t np = 0;
        for (size_t k = 0; j.paths && k < j.nparts; k++)
            if (j.paths[k])
                j.paths[np++] = j.paths[k];
        if (e == SC_OK && np == 1) {
            if (rename(j.paths[0], path) != 0)
                e = sc_diag_set(diag, SC_EIO, "cannot rename %s: %s", j.paths[0],
                                strerror(errno));
            nd = 1;
        } else if (e == SC_OK && np > 1) {
            e = merge_files(lib, j.paths, np, path, diag);
            nd = np;
        }
        for (size_t k = 0; k < np; k++) {
            unlink(j.paths[k]);
            free(j.paths[k]);
        }
        free(j.paths);
        pthread_mutex_destroy(&j.mu);
    }
    free(path);
    if (e != SC_OK || !nd) {
        free(*name);
        *name = NULL;
    }
    return e;
}

/* Remove files that no manifest names (crashed builds, merged segments). */
static void collect_garbage(const char *dir, const struct manifest *m)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        const char *n = de->d_name;
        if (strncmp(n, "seg-", 4) != 0)
            continue;
        int keep = 0;
        for (size_t i = 0; i < m->nseg && !keep; i++)
            keep = strcmp(m->seg[i].name, n) == 0;
        if (!keep) {
            char *p = path_join(dir, n);
            if (p)
                unlink(p);
            free(p);
        }
    }
    closedir(d);
}

static int lock_dir(const char *dir)
{
    char *p = path_join(dir, "LOCK");
    if (!p)
        return -1;
    int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    free(p);
    if (fd < 0)
        return -1;
    while (flock(fd, LOCK_EX) != 0)
        if (errno != EINTR) {
            close(fd);
            return -1;
        }
    return fd;
}

static void unlock_dir(int fd)
{
    if (fd >= 0) {
        flock(fd, LOCK_UN);
        close(fd);
    }
}

/* Does the segment file exist, in this version of the format? (An older
 * format is rebuilt, not an error.) */
static int seg_file_current(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char head[12];
    ssize_t n = read(fd, head, sizeof head);
    close(fd);
    uint32_t v = 0;
    if (n == (ssize_t)sizeof head)
        memcpy(&v, head + 8, 4);
    return n == (ssize_t)sizeof head && memcmp(head, SC_SEG_MAGIC, 8) == 0 && v == SC_SEG_VERSION;
}

static int add_seg(struct manifest *m, const char *name, int64_t lo, int64_t hi)
{
    if (strlen(name) >= sizeof m->seg[0].name)
        return -1;
    struct seginfo *ns = sc_reallocarray(m->seg, m->nseg + 1, sizeof *ns);
    if (!ns)
        return -1;
    m->seg = ns;
    snprintf(ns[m->nseg].name, sizeof ns[m->nseg].name, "%s", name);
    ns[m->nseg].lo = lo;
    ns[m->nseg].hi = hi;
    m->nseg++;
    return 0;
}

/* Merge the two neighbouring segments of m with the smallest id span
 * (the newest such pair) into one, in m. */
static enum sc_err merge_smallest_pair(struct sc_library *lib, struct manifest *m,
                                       struct sc_diag *diag)
{
    size_t best = 0;
    int64_t span = INT64_MAX;
    for (size_t i = 0; i + 1 < m->nseg; i++)
        if (m->seg[i + 1].hi - m->seg[i].lo <= span) {
            span = m->seg[i + 1].hi - m->seg[i].lo;
            best = i;
        }
    int64_t lo = m->seg[best].lo, hi = m->seg[best + 1].hi;
    char *paths[2] = {path_join(lib->index->dir, m->seg[best].name),
                      path_join(lib->index->dir, m->seg[best + 1].name)};
    char *mname = seg_name(lo, hi, "");
    char *mpath = mname ? path_join(lib->index->dir, mname) : NULL;
    enum sc_err e = SC_OK;
    if (!paths[0] || !paths[1] || !mpath || strlen(mname) >= sizeof m->seg[0].name)
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
    else
        e = merge_files(lib, paths, 2, mpath, diag);
    if (e == SC_OK) {
        /* the pair's files are collected as garbage once the manifest
         * no longer names them */
        snprintf(m->seg[best].name, sizeof m->seg[best].name, "%s", mname);
        m->seg[best].hi = hi;
        memmove(&m->seg[best + 1], &m->seg[best + 2],
                (m->nseg - best - 2) * sizeof *m->seg);
        m->nseg--;
    }
    free(paths[0]);
    free(paths[1]);
    free(mname);
    free(mpath);
    return e;
}

/* How catch_up works: */
enum {
    CATCH_FULL = 1,  /* rebuild everything */
    CATCH_ALONE = 2, /* the background thread: build new documents without helpers */
};

/* Bring the manifest up to the store (how: CATCH_* flags). Caller holds
 * write_lock. */
static enum sc_err catch_up(struct sc_library *lib, unsigned how, struct sc_diag *diag)
{
    int full = (how & CATCH_FULL) != 0;
    struct sc_index *ix = lib->index;
    enum sc_err e = build_db(lib, &ix->bdb, diag);
    if (e != SC_OK)
        return e;
    int lk = lock_dir(ix->dir);
    if (lk < 0)
        return sc_diag_set(diag, SC_EIO, "cannot lock %s: %s", ix->dir, strerror(errno));
    struct manifest m;
    e = manifest_read(ix->dir, &m, diag);
    if (e == SC_ENOTFOUND || e == SC_EPARSE) {
        memset(&m, 0, sizeof m);
        full = 1;
        e = SC_OK;
    }
    if (e != SC_OK) {
        unlock_dir(lk);
        return e;
    }
    /* one read transaction: the generation, the highest id and the
     * documents read below agree */
    int ok = sc_store_begin(ix->bdb, 0, NULL) == SC_OK;
    int64_t gen = db_int(ix->bdb,
                         "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'generation'", &ok);
    int64_t maxid = db_int(ix->bdb, "SELECT coalesce(max(id), 0) FROM documents", &ok);
    int64_t seq = db_int(ix->bdb, "SELECT coalesce(max(seq), 0) FROM changes", &ok);
    /* the change log after what the index applied: additions become a
     * segment; a document re-parsed or removed rewrites what segments
     * hold, so anything else rebuilds */
    if (ok && !full && seq > m.seq && rewrites_since(ix->bdb, m.seq, &ok))
        full = 1;
    if (ok && seq < m.seq)
        full = 1; /* the store went back (restored from a backup): the index holds its future */
    if (!ok) {
        e = sc_store_fail(ix->bdb, diag); /* a database that is down says so */
        sc_store_rollback(ix->bdb);
        manifest_release(&m);
        unlock_dir(lk);
        return e;
    }
    /* every segment named must exist; a missing one means a rebuild */
    if (!full && m.generation != gen)
        full = 1;
    for (size_t i = 0; i < m.nseg && !full; i++) {
        char *p = path_join(ix->dir, m.seg[i].name);
        full = !p || !seg_file_current(p);
        free(p);
    }
    int changed = 0;
    char *name = NULL;
    if (full) {
        manifest_release(&m);
        e = build_range(lib, 0, maxid, 0, &name, diag);
        if (e == SC_OK && name && add_seg(&m, name, 0, maxid))
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
        m.generation = gen;
        m.maxid = maxid;
        m.seq = seq;
        changed = 1;
    } else if (maxid > m.maxid) {
        /* The new documents become a segment of their own: an import's
         * catch-ups follow each other closely and must not wait for big
         * merges (on the 4,416-document corpus merging as they went cost
         * 1.5 s of the import's 8 s of CPU). Beyond MAX_SEGMENTS, the two
         * neighbouring segments with the fewest documents between them
         * (the newest of equals) are merged, one pair per extra segment:
         * sizes grow like a binary counter's, so a document is re-encoded
         * O(log n) times, and no catch-up merges more than two segments.
         * (Absorbing every segment no larger than what had been gathered
         * merged all of them whenever an import's batches were of equal
         * size: 4 s more for the 90 M-character corpus.) Merges work from
         * the segments' own postings, never from the store. */
        e = build_range(lib, m.maxid, maxid, (how & CATCH_ALONE) != 0, &name, diag);
        if (e == SC_OK && name && add_seg(&m, name, m.maxid, maxid))
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
        while (e == SC_OK && m.nseg > MAX_SEGMENTS)
            e = merge_smallest_pair(lib, &m, diag);
        if (e == SC_OK) {
            m.maxid = maxid;
            m.seq = seq;
            changed = 1;
        }
    } else if (seq != m.seq) {
        m.seq = seq; /* changes that added no document the index lacks */
        changed = 1;
    }
    free(name);
    (void)sc_store_commit(ix->bdb, NULL);
    if (e == SC_OK && changed)
        e = manifest_write(ix->dir, &m, diag);
    if (e == SC_OK)
        collect_garbage(ix->dir, &m);
    manifest_release(&m);
    unlock_dir(lk);
    if (e == SC_OK && changed) {
        /* a snapshot is loaded on first use: keep a loaded one current */
        struct sc_snap *cur = snap_ref(lib);
        int have = cur != NULL;
        snap_unref(lib, cur);
        if (have)
            e = reload(lib, diag);
    }
    /* saved searches are matched against what was added (and what an
     * earlier run left, after a crash) */
    if (e == SC_OK && lib->after_index)
        lib->after_index(lib, (how & CATCH_ALONE) != 0);
    return e;
}

struct sc_snap *sc_index_snap(struct sc_library *lib, struct sc_diag *diag)
{
    if (!lib->index) {
        sc_diag_set(diag, SC_EINVAL, "the library has no index attached");
        return NULL;
    }
    maybe_reload(lib);
    enum sc_err e = SC_OK;
    struct sc_snap *s = snap_get(lib, &e, diag);
    if (!s && e == SC_OK)
        sc_diag_set(diag, SC_ESTORE, "the index cannot be read");
    return s;
}

void sc_index_snap_put(struct sc_library *lib, struct sc_snap *s)
{
    snap_unref(lib, s);
}

enum sc_err sc_index_tail(struct sc_library *lib, int64_t after_id, struct sc_snap **out,
                          struct sc_diag *diag)
{
    *out = NULL;
    struct sc_index *ix = lib->index;
    if (!ix)
        return sc_diag_set(diag, SC_EINVAL, "the library has no index attached");
    struct manifest m;
    enum sc_err e = manifest_read(ix->dir, &m, diag);
    if (e == SC_ENOTFOUND)
        return SC_OK;
    if (e != SC_OK)
        return e;
    size_t k = 0;
    for (size_t i = 0; i < m.nseg; i++)
        if (m.seg[i].hi > after_id)
            m.seg[k++] = m.seg[i];
    m.nseg = k;
    struct sc_snap *cur = snap_ref(lib);
    e = snap_load(ix->dir, &m, cur, out, diag);
    snap_unref(lib, cur);
    manifest_release(&m);
    return e;
}

/* ---------------------------------------------------------------- background catch-up */

/* During an import, sc_index_sync(lib, 0) after each file only wakes this
 * thread; it gathers the files of SYNC_DEFER_MS into one build, on the
 * other core, while the import goes on. sc_index_sync(lib, 1) catches up
 * in the caller (both hold write_lock while building). */
static void *bg_main(void *arg)
{
    pthread_setname_np(pthread_self(), "sucai-index");
    struct sc_library *lib = arg;
    struct sc_index *ix = lib->index;
    pthread_mutex_lock(&ix->bg_lock);
    for (;;) {
        while (!ix->bg_pending && !ix->bg_stop)
            pthread_cond_wait(&ix->bg_cond, &ix->bg_lock);
        if (ix->bg_stop)
            break;
        /* a long import gathers more per build (fewer, larger segments
         * and merges), up to SYNC_DEFER_MAX_MS behind */
        double defer = (now_ms() - ix->bg_start) / 4;
        if (defer < SYNC_DEFER_MS)
            defer = SYNC_DEFER_MS;
        if (defer > SYNC_DEFER_MAX_MS)
            defer = SYNC_DEFER_MAX_MS;
        double wait = ix->bg_since + defer - now_ms();
        if (wait > 0) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            long long ns = ts.tv_nsec + (long long)(wait * 1e6);
            ts.tv_sec += (time_t)(ns / 1000000000);
            ts.tv_nsec = (long)(ns % 1000000000);
            pthread_cond_timedwait(&ix->bg_cond, &ix->bg_lock, &ts);
            continue;
        }
        ix->bg_pending = 0;
        pthread_mutex_unlock(&ix->bg_lock);
        pthread_mutex_lock(&ix->write_lock);
        struct sc_diag d = {0};
        /* an error shows at the flush that ends the import */
        set_stale(ix, catch_up(lib, CATCH_ALONE, &d) == SC_OK ? "" : d.msg);
        ix->last_sync = now_ms();
        pthread_mutex_unlock(&ix->write_lock);
        pthread_mutex_lock(&ix->bg_lock);
        ix->bg_last = now_ms();
    }
    pthread_mutex_unlock(&ix->bg_lock);
    return NULL;
}

/* ---------------------------------------------------------------- following the change log */

/* How long a follower lets a change rest before it builds it: an import
 * on this machine indexes its own files (the background catch-up above
 * gathers SYNC_DEFER_MS of them), and a follower that went first would
 * only cut them into smaller segments. */
#define FOLLOW_DEFER_MS SYNC_DEFER_MS
/* A listening follower still looks every so often: a notification lost
 * with a connection must not leave a node behind for long. */
#define FOLLOW_LOOK_MS 1000
#define FOLLOW_SLICE_MS 200

static int follow_stopped(struct sc_index *ix)
{
    pthread_mutex_lock(&ix->bg_lock);
    int stop = ix->fw_stop;
    pthread_mutex_unlock(&ix->bg_lock);
    return stop;
}

/* Sleep ms in slices, returning early (non-zero) when asked to stop. */
static int follow_sleep(struct sc_index *ix, double ms)
{
    double end = now_ms() + ms;
    while (!follow_stopped(ix)) {
        double left = end - now_ms();
        if (left <= 0)
            return 0;
        struct timespec ts = { 0, (long)((left < FOLLOW_SLICE_MS ? left : FOLLOW_SLICE_MS) * 1e6) };
        nanosleep(&ts, NULL);
    }
    return 1;
}

/* Catch up on the follower's thread (alone: it must not take both cores
 * from the searches it serves). */
static void follow_catch_up(struct sc_library *lib)
{
    struct sc_index *ix = lib->index;
    pthread_mutex_lock(&ix->write_lock);
    struct sc_diag cd = { 0 };
    enum sc_err e = catch_up(lib, CATCH_ALONE, &cd);
    set_stale(ix, e == SC_OK ? "" : cd.msg);
    ix->last_sync = now_ms();
    pthread_mutex_unlock(&ix->write_lock);
}

static void *follow_main(void *arg)
{
    pthread_setname_np(pthread_self(), "sucai-follow");
    struct sc_library *lib = arg;
    struct sc_index *ix = lib->index;
    struct sc_store *db = NULL;
    int listening = 0;
    double looked = 0;
    while (!follow_stopped(ix)) {
        if (!db) {
            /* (re)connect: the store may be restarting or failing over */
            struct sc_diag d = { 0 };
            if (sc_store_reopen(sc_library_reader(lib), SC_STORE_RDONLY | SC_STORE_PRIVATE, 1000, &db,
                                &d) !=
                SC_OK) {
                sc_store_close(db);
                db = NULL;
                follow_sleep(ix, ix->fw_poll_ms);
                continue;
            }
            listening = sc_store_listen(db, SC_CHANGES_CHANNEL) == SC_STORE_OK;
            looked = 0; /* look at once: changes may have come while away */
        }
        int woke = 0;
        if (now_ms() - looked >= (listening ? FOLLOW_LOOK_MS : ix->fw_poll_ms)) {
            woke = 1;
        } else {
            int rc = sc_store_wait(db, listening ? FOLLOW_SLICE_MS : ix->fw_poll_ms);
            if (rc < 0) {
                sc_store_close(db);
                db = NULL;
                continue;
            }
            woke = rc == 1 || !listening;
        }
        if (!woke)
            continue;
        looked = now_ms();
        int ok = 1;
        int64_t seq = db_int(db, "SELECT coalesce(max(seq), 0) FROM changes", &ok);
        if (!ok) {
            /* a failed query: the connection may be gone */
            sc_store_close(db);
            db = NULL;
            continue;
        }
        if (seq <= applied_seq(lib, 1))
            continue;
        if (follow_sleep(ix, FOLLOW_DEFER_MS))
            break;
        if (seq > applied_seq(lib, 1))
            follow_catch_up(lib);
    }
    sc_store_close(db);
    return NULL;
}

enum sc_err sc_index_follow(struct sc_library *lib, int poll_ms, struct sc_diag *diag)
{
    struct sc_index *ix = lib ? lib->index : NULL;
    if (!ix)
        return sc_diag_set(diag, SC_EINVAL, "the library has no index attached");
    if (lib->flags & SC_LIBRARY_READONLY)
        return sc_diag_set(diag, SC_EINVAL, "the library is open read-only");
    pthread_mutex_lock(&ix->bg_lock);
    enum sc_err e = SC_OK;
    if (!ix->fw_started) {
        ix->fw_poll_ms = poll_ms > 0 ? poll_ms : 250;
        ix->fw_stop = 0;
        if (pthread_create(&ix->fw, NULL, follow_main, lib) == 0)
            ix->fw_started = 1;
        else
            e = sc_diag_set(diag, SC_ENOMEM, "cannot start the change-log follower");
    }
    pthread_mutex_unlock(&ix->bg_lock);
    return e;
}

int64_t sc_index_seq(struct sc_library *lib)
{
    return lib && lib->index ? applied_seq(lib, 0) : 0;
}

enum sc_err sc_index_wait(struct sc_library *lib, int64_t seq, int timeout_ms,
                          struct sc_diag *diag)
{
    struct sc_index *ix = lib ? lib->index : NULL;
    if (!ix)
        return sc_diag_set(diag, SC_EINVAL, "the library has no index attached");
    double end = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    int64_t have = applied_seq(lib, 1);
    while (have < seq) {
        if (!(lib->flags & SC_LIBRARY_READONLY)) {
            /* catch up here rather than wait for the follower's rest */
            pthread_mutex_lock(&ix->write_lock);
            struct sc_diag cd = { 0 };
            enum sc_err e = catch_up(lib, 0, &cd);
            set_stale(ix, e == SC_OK ? "" : cd.msg);
            pthread_mutex_unlock(&ix->write_lock);
        }
        have = applied_seq(lib, 1);
        if (have >= seq || now_ms() >= end)
            break;
        /* a number the library itself has not reached is no write's: do
         * not hold a worker thread waiting for it (a store that cannot
         * answer now is waited for) */
        int ok = 1;
        int64_t top = db_int(lib->db, "SELECT coalesce(max(seq), 0) FROM changes", &ok);
        if (ok && top < seq)
            break;
        /* the change is not in the store this node reads yet (a standby behind) */
        struct timespec ts = { 0, 20 * 1000000L };
        nanosleep(&ts, NULL);
    }
    if (have >= seq)
        return SC_OK;
    return sc_diag_set(diag, SC_EUNAVAILABLE,
                       "this server has applied the library's changes up to %lld, not yet "
                       "%lld: try again in a moment",
                       (long long)have, (long long)seq);
}

/* ---------------------------------------------------------------- attach */

enum sc_err sc_index_attach(struct sc_library *lib, struct sc_diag *diag)
{
    struct sc_index *ix = sc_calloc(1, sizeof *ix);
    if (!ix)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    ix->dir = path_join(lib->cache, "index");
    if (!ix->dir) {
        free(ix);
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&ix->write_lock, NULL);
    pthread_mutex_init(&ix->reload_lock, NULL);
    pthread_mutex_init(&ix->text_lock, NULL);
    pthread_mutex_init(&ix->bg_lock, NULL);
    pthread_mutex_init(&ix->stale_lock, NULL);
    pthread_cond_init(&ix->bg_cond, NULL);
    lib->index = ix;
    int ro = lib->flags & SC_LIBRARY_READONLY;
    if (!ro && mkdir(ix->dir, 0777) != 0 && errno != EEXIST) {
        enum sc_err e = sc_diag_set(diag, SC_EIO, "cannot create %s: %s", ix->dir, sc_strerrno(errno));
        sc_index_detach(lib);
        return e;
    }
    enum sc_err e;
    if (ro) {
        e = reload(lib, diag);
    } else {
        pthread_mutex_lock(&ix->write_lock);
        struct sc_diag cd = { 0 };
        e = catch_up(lib, 0, &cd);
        ix->last_sync = now_ms();
        pthread_mutex_unlock(&ix->write_lock);
        if (e != SC_OK && e != SC_ENOMEM) {
            /* reading must not need writing (a full disk, a read-only
             * folder): go on with the index as it is, behind the store */
            set_stale(ix, cd.msg);
            e = reload(lib, diag);
        } else if (e != SC_OK) {
            sc_diag_set(diag, e, "%s", cd.msg);
        }
    }
    if (e != SC_OK) {
        sc_index_detach(lib);
        return e;
    }
    ix->last_check = now_ms();
    return SC_OK;
}

void sc_index_detach(struct sc_library *lib)
{
    struct sc_index *ix = lib->index;
    if (!ix)
        return;
    if (ix->fw_started) {
        pthread_mutex_lock(&ix->bg_lock);
        ix->fw_stop = 1;
        pthread_mutex_unlock(&ix->bg_lock);
        pthread_join(ix->fw, NULL);
    }
    if (ix->bg_started) {
        pthread_mutex_lock(&ix->bg_lock);
        ix->bg_stop = 1;
        pthread_cond_signal(&ix->bg_cond);
        pthread_mutex_unlock(&ix->bg_lock);
        pthread_join(ix->bg, NULL);
    }
    pthread_mutex_lock(&lib->index_lock);
    struct sc_snap *s = ix->snap;
    ix->snap = NULL;
    lib->index = NULL;
    pthread_mutex_unlock(&lib->index_lock);
    if (s && --s->refs == 0) /* searches in flight must have ended by close */
        sc_snap_free(s);
    readers_close(ix);
    sc_store_close(ix->bdb);
    sc_segbuild_free(ix->sb);
    pthread_mutex_destroy(&ix->write_lock);
    pthread_mutex_destroy(&ix->reload_lock);
    pthread_mutex_destroy(&ix->text_lock);
    pthread_mutex_destroy(&ix->bg_lock);
    pthread_mutex_destroy(&ix->stale_lock);
    pthread_cond_destroy(&ix->bg_cond);
    free(ix->dir);
    free(ix);
}

enum sc_err sc_index_sync(struct sc_library *lib, int force, struct sc_diag *diag)
{
    struct sc_index *ix = lib->index;
    if (!ix)
        return sc_diag_set(diag, SC_EINVAL, "the library has no index attached");
    if (lib->flags & SC_LIBRARY_READONLY) {
        maybe_reload(lib);
        return SC_OK;
    }
    if (!force) {
        pthread_mutex_lock(&ix->bg_lock);
        if (!ix->bg_started && pthread_create(&ix->bg, NULL, bg_main, lib) == 0)
            ix->bg_started = 1;
        int started = ix->bg_started;
        if (started && !ix->bg_pending) {
            double t = now_ms();
            if (t - ix->bg_last > 5 * SYNC_DEFER_MAX_MS)
                ix->bg_start = t; /* a new import (or a pause): fresh again */
            ix->bg_pending = 1;
            ix->bg_since = t;
            pthread_cond_signal(&ix->bg_cond);
        }
        pthread_mutex_unlock(&ix->bg_lock);
        if (started)
            return SC_OK;
        /* no thread: catch up here, at most once per SYNC_DEFER_MS */
    }
    pthread_mutex_lock(&ix->write_lock);
    enum sc_err e = SC_OK;
    if (force || now_ms() - ix->last_sync >= SYNC_DEFER_MS) {
        struct sc_diag cd = { 0 };
        e = catch_up(lib, 0, &cd);
        set_stale(ix, e == SC_OK ? "" : cd.msg);
        if (e != SC_OK)
            sc_diag_set(diag, e, "%s", cd.msg);
        ix->last_sync = now_ms();
    }
    if (force) {
        sc_segbuild_free(ix->sb);
        ix->sb = NULL;
    }
    pthread_mutex_unlock(&ix->write_lock);
    return e;
}

enum sc_err sc_index_rebuild(struct sc_library *lib, struct sc_diag *diag)
{
    struct sc_index *ix = lib->index;
    if (!ix)
        return sc_diag_set(diag, SC_EINVAL, "the library has no index attached");
    if (lib->flags & SC_LIBRARY_READONLY)
        return sc_diag_set(diag, SC_EINVAL, "the library is open read-only");
    pthread_mutex_lock(&ix->write_lock);
    enum sc_err e = catch_up(lib, CATCH_FULL, diag);
    ix->last_sync = now_ms();
    pthread_mutex_unlock(&ix->write_lock);
    return e;
}

int64_t sc_index_bytes(struct sc_library *lib)
{
    enum sc_err e = SC_OK;
    struct sc_snap *s = lib->index ? snap_get(lib, &e, NULL) : NULL;
    int64_t n = 0;
    if (s)
        for (size_t i = 0; i < s->nseg; i++)
            n += (int64_t)s->segs[i]->size;
    snap_unref(lib, s);
    return n;
}

/* ---------------------------------------------------------------- search */

static void reader_drop_text(struct reader *r)
{
    free(r->text);
    r->text = NULL;
    r->text_len = 0;
    r->text_id = 0;
}

/* A packed text of n bytes in r->blob: read it whole and unpack it into
 * r's cache. */
static enum sc_err reader_unpack(struct reader *r, int64_t id, int n)
{
    reader_drop_text(r);
    char *z = sc_malloc((size_t)n);
    if (!z)
        return SC_ENOMEM;
    enum sc_err e = SC_ENOTFOUND;
    if (sc_blob_read(r->blob, z, n, 0) == SC_STORE_OK)
        e = sc_ztext_unpack(z, (size_t)n, &r->text, &r->text_len);
    free(z);
    if (e == SC_OK)
        r->text_id = id;
    return e == SC_ENOMEM ? SC_ENOMEM : e == SC_OK ? SC_OK : SC_ENOTFOUND;
}

static enum sc_err reader_read(void *ctx, int64_t id, uint32_t total, uint32_t off, uint32_t len,
                               char *buf)
{
    struct reader *r = ctx;
    if (r->text && r->text_id == id) { /* another snippet of the text unpacked last */
        if (r->text_len != total || (uint64_t)off + len > total)
            return SC_ENOTFOUND;
        memcpy(buf, r->text + off, len);
        return SC_OK;
    }
    int rc = SC_STORE_OK;
    if (!r->blob) {
        rc = sc_blob_open(r->db, "documents", "text", id, &r->blob);
        if (rc != SC_STORE_OK)
            r->blob = NULL;
    } else if (r->row != id) {
        rc = sc_blob_reopen(r->blob, id);
    }
    if (rc == SC_STORE_OK) {
        r->row = id;
        int n = sc_blob_bytes(r->blob);
        unsigned char head[4];
        if (n >= 4 && (rc = sc_blob_read(r->blob, head, 4, 0)) == SC_STORE_OK &&
            sc_ztext_is_packed(head, 4)) {
            /* packed (schema 2): the whole value, unpacked, then the slice */
            enum sc_err e = reader_unpack(r, id, n);
            if (e != SC_OK)
                return e;
            if (r->text_len != total || (uint64_t)off + len > total)
                return SC_ENOTFOUND; /* the store changed since indexing */
            memcpy(buf, r->text + off, len);
            return SC_OK;
        }
        if (rc == SC_STORE_OK) { /* plain text, from a library before schema 2 */
            if (n < 0 || (uint32_t)n != total || (uint64_t)off + len > total)
                return SC_ENOTFOUND; /* the store changed since indexing */
            rc = sc_blob_read(r->blob, buf, (int)len, (int)off);
        }
        if (rc == SC_STORE_OK)
            return SC_OK;
    }
    if (r->blob) {
        sc_blob_close(r->blob); /* a failed reopen leaves it unusable */
        r->blob = NULL;
    }
    return rc == SC_STORE_NOMEM ? SC_ENOMEM : SC_ENOTFOUND;
}

static struct reader *reader_take(struct sc_library *lib)
{
    struct sc_index *ix = lib->index;
    pthread_mutex_lock(&ix->text_lock);
    struct reader *r = ix->readers;
    if (r)
        ix->readers = r->next;
    pthread_mutex_unlock(&ix->text_lock);
    if (r)
        return r;
    r = sc_calloc(1, sizeof *r);
    if (!r)
        return NULL;
    if (sc_store_reopen(sc_library_reader(lib), SC_STORE_RDONLY | SC_STORE_PRIVATE, 5000, &r->db,
                        NULL) != SC_OK) {
        free(r);
        return NULL;
    }
    return r;
}

static void reader_give(struct sc_library *lib, struct reader *r)
{
    if (!r)
        return;
    if (r->blob) {
        sc_blob_close(r->blob); /* ends the read transaction */
        r->blob = NULL;
    }
    reader_drop_text(r); /* the store may change before the next search */
    struct sc_index *ix = lib->index;
    pthread_mutex_lock(&ix->text_lock);
    r->next = ix->readers;
    ix->readers = r;
    pthread_mutex_unlock(&ix->text_lock);
}

static void readers_close(struct sc_index *ix)
{
    while (ix->readers) {
        struct reader *r = ix->readers;
        ix->readers = r->next;
        sc_store_close(r->db);
        free(r->text);
        free(r);
    }
}

enum sc_err sc_search(struct sc_library *lib, const struct sc_search_opts *opts,
                      struct sc_results *out, struct sc_diag *diag)
{
    memset(out, 0, sizeof *out);
    if (!lib || !lib->index)
        return sc_diag_set(diag, SC_EINVAL, "the library has no index attached");
    maybe_reload(lib);
    enum sc_err le = SC_OK;
    struct sc_snap *s = snap_get(lib, &le, diag);
    if (le != SC_OK) {
        snap_unref(lib, s);
        return le;
    }
    if (!s) {
        /* an empty index: still parse, so errors are reported */
        struct sc_snap *empty;
        if (sc_snap_new(NULL, 0, &empty) != SC_OK)
            return sc_diag_set(diag, SC_ENOMEM, "out of memory");
        enum sc_err e = sc_engine_search(empty, NULL, opts, out, diag);
        sc_snap_free(empty);
        return e;
    }
    /* the paid rule: an answer that may depend on paid text takes one from
     * the caller's allowance before it is computed, whatever it says */
    int flags = 0;
    int64_t left = -1;
    const char *why = "";
    int needs = !opts->entitled && sc_engine_needs_paid(s, opts->query);
    if (needs && opts->caller && sc_paid_take(lib, opts->caller, &left, &why))
        flags |= SC_ENGINE_PAID_MATCHES;
    else if (needs && !opts->caller)
        why = "paid parts are not searched for this request";
    struct reader *r = opts->limit ? reader_take(lib) : NULL;
    struct sc_textsrc src = {reader_read, r};
    enum sc_err e = sc_engine_search_ex(s, r ? &src : NULL, opts, flags, out, diag);
    reader_give(lib, r);
    snap_unref(lib, s);
    if (e == SC_OK && !opts->entitled) {
        out->paid_left = needs ? left : sc_paid_left(lib, opts->caller);
        out->paid_why = out->paid == SC_PAID_FREE_ONLY ? why : "";
    }
    return e;
}

struct sc_snap *sc_index_snap_take(struct sc_library *lib, enum sc_err *err,
                                   struct sc_diag *diag)
{
    *err = SC_OK;
    if (!lib || !lib->index) {
        *err = sc_diag_set(diag, SC_EINVAL, "the library has no index attached");
        return NULL;
    }
    maybe_reload(lib);
    struct sc_snap *s = snap_get(lib, err, diag);
    if (*err != SC_OK) {
        snap_unref(lib, s);
        return NULL;
    }
    return s;
}

void sc_index_snap_give(struct sc_library *lib, struct sc_snap *s)
{
    snap_unref(lib, s);
}

void sc_index_stale(struct sc_library *lib, char *out, size_t cap)
{
    if (!cap)
        return;
    out[0] = '\0';
    struct sc_index *ix = lib ? lib->index : NULL;
    if (!ix)
        return;
    pthread_mutex_lock(&ix->stale_lock);
    snprintf(out, cap, "%s", ix->stale);
    pthread_mutex_unlock(&ix->stale_lock);
}

int64_t sc_index_lag(struct sc_library *lib)
{
    enum sc_err e = SC_OK;
    struct sc_snap *s = lib->index ? snap_get(lib, &e, NULL) : NULL;
    int64_t covered = s ? s->maxid : 0;
    snap_unref(lib, s);
    int64_t lag = sc_store_int(lib->db, "SELECT coalesce(max(id), 0) FROM documents") - covered;
    return lag > 0 ? lag : 0;
}
