/*
 * The index attached to a library: a manifest naming immutable segment
 * files under <dir>/index/, kept in step with the store (new documents
 * become a new small segment; a change of the store generation rebuilds),
 * and shared by threads through reference-counted snapshots. Another
 * process that adds segments is noticed by a cheap stat of the manifest.
 */
#include "library/library_int.h"
#include "search/engine.h"

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
#define MAX_SEGMENTS 8
#define SYNC_DEFER_MS 500.0
#define RECHECK_MS 100.0

struct seginfo {
    char name[96];
    int64_t lo, hi;
};

struct manifest {
    int64_t generation, maxid;
    struct seginfo *seg;
    size_t nseg;
};

struct sc_index {
    char *dir;
    struct sc_snap *snap;       /* current; one reference held here */
    pthread_mutex_t write_lock; /* one writer (sync, rebuild) per process */
    pthread_mutex_t reload_lock;
    pthread_mutex_t text_lock;  /* text_st */
    sqlite3_stmt *text_st;
    struct timespec mtime;      /* of the manifest the snapshot came from */
    ino_t ino;
    off_t msize;
    double last_check, last_sync;
};

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
    sc_buf_addf(&b, "%s\ngeneration %lld\nmaxid %lld\n", MANIFEST_MAGIC,
                (long long)m->generation, (long long)m->maxid);
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
        e = sc_diag_set(diag, SC_EIO, "cannot write %s: %s", tmp, strerror(errno));
        goto out;
    }
    ssize_t w = write(fd, b.data, b.len);
    int bad = w != (ssize_t)b.len || fsync(fd) != 0;
    if (close(fd) != 0)
        bad = 1;
    if (bad || rename(tmp, path) != 0) {
        e = sc_diag_set(diag, SC_EIO, "cannot write %s: %s", path, strerror(errno));
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

static enum sc_err snap_load(const char *dir, const struct manifest *m, struct sc_snap **out,
                             struct sc_diag *diag)
{
    *out = NULL;
    struct sc_seg **segs = calloc(m->nseg ? m->nseg : 1, sizeof *segs);
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
        e = sc_seg_open(p, &segs[n], diag);
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
    struct sc_snap *s;
    e = snap_load(ix->dir, &m, &s, diag);
    manifest_release(&m);
    if (e != SC_OK)
        return e;
    snap_swap(lib, s);
    return SC_OK;
}

/* Pick up segments added by another process (at most every RECHECK_MS). */
static void maybe_reload(struct sc_library *lib)
{
    struct sc_index *ix = lib->index;
    double t = now_ms();
    if (pthread_mutex_trylock(&ix->reload_lock) != 0)
        return; /* another thread is at it */
    if (t - ix->last_check >= RECHECK_MS) {
        ix->last_check = t;
        struct stat st;
        int ok;
        stat_manifest(ix, &st, &ok);
        if (ok && (st.st_ino != ix->ino || st.st_size != ix->msize ||
                   st.st_mtim.tv_sec != ix->mtime.tv_sec ||
                   st.st_mtim.tv_nsec != ix->mtime.tv_nsec))
            (void)reload(lib, NULL);
    }
    pthread_mutex_unlock(&ix->reload_lock);
}

/* ---------------------------------------------------------------- building */

struct build_ctx {
    struct sc_segbuild *sb;
    int64_t hi;
    enum sc_err err;
    struct sc_diag *diag;
};

static int build_fn(void *ctx, const struct sc_doc *doc)
{
    struct build_ctx *b = ctx;
    if (doc->id > b->hi)
        return 1;
    b->err = sc_segbuild_add(b->sb, doc, b->diag);
    return b->err != SC_OK;
}

/* Build a segment of the documents with ids in (lo, hi]; *name receives
 * the file name, or "" when there were no documents. */
static enum sc_err build_range(struct sc_library *lib, int64_t lo, int64_t hi, char name[96],
                               struct sc_diag *diag)
{
    name[0] = '\0';
    struct build_ctx b = {NULL, hi, SC_OK, diag};
    if (sc_segbuild_new(&b.sb) != SC_OK)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    enum sc_err e = sc_doc_foreach(lib, lo, SC_DOC_TEXT | SC_DOC_OUTLINE, build_fn, &b, diag);
    if (e == SC_OK)
        e = b.err;
    if (e == SC_OK && sc_segbuild_ndocs(b.sb)) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        snprintf(name, 96, "seg-%lld-%lld-%ld-%ld.sx", (long long)lo, (long long)hi,
                 (long)getpid(), (long)(ts.tv_nsec / 1000));
        char *p = path_join(lib->index->dir, name);
        if (!p)
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
        else
            e = sc_segbuild_write(b.sb, p, diag);
        free(p);
        if (e != SC_OK)
            name[0] = '\0';
    }
    sc_segbuild_free(b.sb);
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

/* Bring the manifest up to the store; full = rebuild everything. Caller
 * holds write_lock. */
static enum sc_err catch_up(struct sc_library *lib, int full, struct sc_diag *diag)
{
    struct sc_index *ix = lib->index;
    int lk = lock_dir(ix->dir);
    if (lk < 0)
        return sc_diag_set(diag, SC_EIO, "cannot lock %s: %s", ix->dir, strerror(errno));
    struct manifest m;
    enum sc_err e = manifest_read(ix->dir, &m, diag);
    if (e == SC_ENOTFOUND || e == SC_EPARSE) {
        memset(&m, 0, sizeof m);
        full = 1;
        e = SC_OK;
    }
    if (e != SC_OK) {
        unlock_dir(lk);
        return e;
    }
    int64_t gen = sc_store_generation(lib), maxid = sc_store_max_doc_id(lib);
    /* every segment named must open; a damaged one means a rebuild */
    if (!full && m.generation != gen)
        full = 1;
    if (!full) {
        for (size_t i = 0; i < m.nseg && !full; i++) {
            char *p = path_join(ix->dir, m.seg[i].name);
            struct stat st;
            full = !p || stat(p, &st) != 0;
            free(p);
        }
    }
    int changed = 0;
    if (full) {
        manifest_release(&m);
        char name[96];
        e = build_range(lib, 0, maxid, name, diag);
        if (e == SC_OK && name[0]) {
            m.seg = malloc(sizeof *m.seg);
            if (!m.seg)
                e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
            else {
                memcpy(m.seg[0].name, name, sizeof name);
                m.seg[0].lo = 0;
                m.seg[0].hi = maxid;
                m.nseg = 1;
            }
        }
        m.generation = gen;
        m.maxid = maxid;
        changed = 1;
    } else if (maxid > m.maxid) {
        /* logarithmic merging: the new documents absorb the newest
         * segments while those are not much larger than what is being
         * built, and always enough of them to stay within MAX_SEGMENTS.
         * Sizes grow geometrically, so each document is rebuilt O(log n)
         * times over the life of the library. */
        int64_t lo = m.maxid, acc = maxid - m.maxid;
        size_t keep = m.nseg;
        while (keep > 0 && (keep + 1 > MAX_SEGMENTS ||
                            m.seg[keep - 1].hi - m.seg[keep - 1].lo <= 2 * acc)) {
            keep--;
            acc += m.seg[keep].hi - m.seg[keep].lo;
            lo = m.seg[keep].lo;
        }
        char name[96];
        e = build_range(lib, lo, maxid, name, diag);
        if (e == SC_OK) {
            m.nseg = keep;
            if (name[0]) {
                struct seginfo *ns = sc_reallocarray(m.seg, m.nseg + 1, sizeof *ns);
                if (!ns)
                    e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
                else {
                    m.seg = ns;
                    memcpy(ns[m.nseg].name, name, sizeof name);
                    ns[m.nseg].lo = lo;
                    ns[m.nseg].hi = maxid;
                    m.nseg++;
                }
            }
            m.maxid = maxid;
            changed = 1;
        }
    }
    if (e == SC_OK && changed)
        e = manifest_write(ix->dir, &m, diag);
    if (e == SC_OK)
        collect_garbage(ix->dir, &m);
    manifest_release(&m);
    unlock_dir(lk);
    if (e == SC_OK)
        e = reload(lib, diag);
    return e;
}

/* ---------------------------------------------------------------- attach */

enum sc_err sc_index_attach(struct sc_library *lib, struct sc_diag *diag)
{
    struct sc_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    ix->dir = path_join(lib->dir, "index");
    if (!ix->dir) {
        free(ix);
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&ix->write_lock, NULL);
    pthread_mutex_init(&ix->reload_lock, NULL);
    pthread_mutex_init(&ix->text_lock, NULL);
    lib->index = ix;
    int ro = lib->flags & SC_LIBRARY_READONLY;
    if (!ro && mkdir(ix->dir, 0777) != 0 && errno != EEXIST) {
        enum sc_err e = sc_diag_set(diag, SC_EIO, "cannot create %s: %s", ix->dir, strerror(errno));
        sc_index_detach(lib);
        return e;
    }
    enum sc_err e;
    if (ro) {
        e = reload(lib, diag);
    } else {
        pthread_mutex_lock(&ix->write_lock);
        e = catch_up(lib, 0, diag);
        ix->last_sync = now_ms();
        pthread_mutex_unlock(&ix->write_lock);
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
    pthread_mutex_lock(&lib->index_lock);
    struct sc_snap *s = ix->snap;
    ix->snap = NULL;
    lib->index = NULL;
    pthread_mutex_unlock(&lib->index_lock);
    if (s && --s->refs == 0) /* searches in flight must have ended by close */
        sc_snap_free(s);
    sqlite3_finalize(ix->text_st);
    pthread_mutex_destroy(&ix->write_lock);
    pthread_mutex_destroy(&ix->reload_lock);
    pthread_mutex_destroy(&ix->text_lock);
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
    pthread_mutex_lock(&ix->write_lock);
    enum sc_err e = SC_OK;
    if (force || now_ms() - ix->last_sync >= SYNC_DEFER_MS) {
        e = catch_up(lib, 0, diag);
        ix->last_sync = now_ms();
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
    enum sc_err e = catch_up(lib, 1, diag);
    ix->last_sync = now_ms();
    pthread_mutex_unlock(&ix->write_lock);
    return e;
}

int64_t sc_index_bytes(struct sc_library *lib)
{
    struct sc_snap *s = snap_ref(lib);
    int64_t n = 0;
    if (s)
        for (size_t i = 0; i < s->nseg; i++)
            n += (int64_t)s->segs[i]->size;
    snap_unref(lib, s);
    return n;
}

/* ---------------------------------------------------------------- search */

static enum sc_err fetch_text(void *ctx, int64_t id, char **text, size_t *len,
                              struct sc_diag *diag)
{
    struct sc_library *lib = ctx;
    struct sc_index *ix = lib->index;
    *text = NULL;
    *len = 0;
    pthread_mutex_lock(&ix->text_lock);
    enum sc_err e = SC_OK;
    if (!ix->text_st &&
        sqlite3_prepare_v3(lib->db, "SELECT text FROM documents WHERE id = ?", -1,
                           SQLITE_PREPARE_PERSISTENT, &ix->text_st, NULL) != SQLITE_OK) {
        e = sc_diag_set(diag, SC_ESTORE, "%s", sqlite3_errmsg(lib->db));
        ix->text_st = NULL;
        goto out;
    }
    sqlite3_bind_int64(ix->text_st, 1, id);
    int rc = sqlite3_step(ix->text_st);
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_blob(ix->text_st, 0);
        int n = sqlite3_column_bytes(ix->text_st, 0);
        *text = sc_strndup(t ? t : "", (size_t)n);
        if (!*text)
            e = SC_ENOMEM;
        else
            *len = (size_t)n;
    } else {
        e = rc == SQLITE_DONE ? SC_ENOTFOUND : SC_ESTORE;
    }
    sqlite3_reset(ix->text_st);
out:
    pthread_mutex_unlock(&ix->text_lock);
    return e;
}

enum sc_err sc_search(struct sc_library *lib, const struct sc_search_opts *opts,
                      struct sc_results *out, struct sc_diag *diag)
{
    memset(out, 0, sizeof *out);
    if (!lib || !lib->index)
        return sc_diag_set(diag, SC_EINVAL, "the library has no index attached");
    maybe_reload(lib);
    struct sc_snap *s = snap_ref(lib);
    if (!s) {
        /* an empty index: still parse, so errors are reported */
        struct sc_snap *empty;
        if (sc_snap_new(NULL, 0, &empty) != SC_OK)
            return sc_diag_set(diag, SC_ENOMEM, "out of memory");
        enum sc_err e = sc_engine_search(empty, NULL, NULL, opts, out, diag);
        sc_snap_free(empty);
        return e;
    }
    enum sc_err e = sc_engine_search(s, fetch_text, lib, opts, out, diag);
    snap_unref(lib, s);
    return e;
}
