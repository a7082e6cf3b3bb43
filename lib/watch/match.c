/*
 * The matcher: after the index has added documents, every saved query is
 * run by the engine (sc_engine_match) over the segments that hold the
 * documents above the mark, and the matches are stored with the new mark.
 *
 * Exactly once: matches and the mark are written in the same transaction,
 * after checking that the mark is still the one the run started from (a
 * second process matching the same documents finds it moved and stops).
 * A run writes its matches in transactions of whole documents (at most
 * SC_WATCH_TX_ROWS rows each, each moving the mark to its last document),
 * so an import writing at the same time waits for one of them at most.
 *
 * The matcher reads and writes through a connection of its own: the
 * library's connection may be inside an import's transaction.
 */
#include "watch_int.h"

#include "members/members_int.h"
#include "search/codec.h"
#include "search/engine.h"
#include "search/index.h"
#include "search/query.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct wq {
    int64_t id, after_id;
    struct sc_query q;
    int ok; /* parsed */
};

struct sc_watcher {
    pthread_mutex_t lock; /* one run at a time */
    struct sc_store *db;  /* read-write, this matcher's own */
    struct wq *w;         /* the saved queries, parsed, by id */
    const struct sc_query **qp;
    size_t n;
    int64_t version; /* of watch_state when w was read; -1 = never */
    struct sc_watch_run sum;
    enum sc_err err;
    struct sc_diag diag;
    double last_run; /* start of the last automatic run (monotonic ms) */
};

static pthread_mutex_t create_lock = PTHREAD_MUTEX_INITIALIZER;

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static struct sc_watcher *watcher(struct sc_library *lib)
{
    pthread_mutex_lock(&create_lock);
    if (!lib->watcher) {
        struct sc_watcher *w = sc_calloc(1, sizeof *w);
        if (w) {
            pthread_mutex_init(&w->lock, NULL);
            w->version = -1;
            lib->watcher = w;
        }
    }
    struct sc_watcher *w = lib->watcher;
    pthread_mutex_unlock(&create_lock);
    return w;
}

static void queries_free(struct sc_watcher *w)
{
    for (size_t i = 0; i < w->n; i++)
        sc_query_release(&w->w[i].q);
    free(w->w);
    free(w->qp);
    w->w = NULL;
    w->qp = NULL;
    w->n = 0;
    w->version = -1;
}

void sc_watch_detach(struct sc_library *lib)
{
    struct sc_watcher *w = lib->watcher;
    if (!w)
        return;
    queries_free(w);
    sc_store_close(w->db);
    pthread_mutex_destroy(&w->lock);
    free(w);
    lib->watcher = NULL;
}

static enum sc_err db_fail(struct sc_watcher *w, struct sc_library *lib, struct sc_diag *diag)
{
    return sc_diag_set(diag, SC_ESTORE, "%s: %s", sc_store_path(lib->db),
                       w->db ? sc_store_errmsg(w->db) : "cannot open");
}

static int64_t db_int(struct sc_store *db, const char *sql, int *ok)
{
    struct sc_stmt *st = NULL;
    int64_t v = 0;
    if (sc_stmt_prepare(db, sql, &st) != SC_STORE_OK) {
        *ok = 0;
    } else {
        int rc = sc_stmt_step(st);
        if (rc == SC_STORE_ROW)
            v = sc_stmt_column_int64(st, 0);
        else if (rc != SC_STORE_DONE)
            *ok = 0;
    }
    sc_stmt_finalize(st);
    return v;
}

/* Read the saved queries again when they changed. */
static enum sc_err load_queries(struct sc_watcher *w, struct sc_library *lib, int64_t version,
                                struct sc_diag *diag)
{
    if (version == w->version)
        return SC_OK;
    queries_free(w);
    struct sc_stmt *st = NULL;
    if (sc_stmt_prepare(w->db, "SELECT id, after_id, query FROM watches ORDER BY id", &st) !=
        SC_STORE_OK)
        return db_fail(w, lib, diag);
    enum sc_err e = SC_OK;
    size_t cap = 0;
    int rc;
    while ((rc = sc_stmt_step(st)) == SC_STORE_ROW) {
        if (w->n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            struct wq *nw = sc_reallocarray(w->w, nc, sizeof *nw);
            if (!nw) {
                e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
                break;
            }
            w->w = nw;
            cap = nc;
        }
        struct wq *q = &w->w[w->n++];
        memset(q, 0, sizeof *q);
        q->id = sc_stmt_column_int64(st, 0);
        q->after_id = sc_stmt_column_int64(st, 1);
        const char *text = sc_stmt_column_text(st, 2);
        size_t len = (size_t)sc_stmt_column_bytes(st, 2);
        /* a query saved by an older parser that no longer parses is skipped */
        q->ok = text && sc_query_parse(text, len, &q->q, NULL) == SC_OK && q->q.root;
    }
    if (e == SC_OK && rc != SC_STORE_DONE)
        e = db_fail(w, lib, diag);
    sc_stmt_finalize(st);
    if (e == SC_OK && w->n) {
        w->qp = sc_calloc(w->n, sizeof *w->qp);
        if (!w->qp)
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
    }
    if (e != SC_OK) {
        queries_free(w);
        return e;
    }
    for (size_t i = 0; i < w->n; i++)
        w->qp[i] = w->w[i].ok ? &w->w[i].q : NULL;
    w->version = version;
    return SC_OK;
}

/* Per saved query (in w->w's order), 1 when its owner may not read paid
 * text as of now (a tier that ended counts): its query is matched on the
 * text that owner sees, so that a saved search is no oracle on paid text
 * (docs/internals/members.md). The operator's own see everything. *out
 * is NULL when every owner may read everything; free it. */
static enum sc_err owner_views(struct sc_watcher *w, struct sc_library *lib, uint8_t **out,
                               struct sc_diag *diag)
{
    *out = NULL;
    uint8_t *v = sc_calloc(w->n ? w->n : 1, 1);
    if (!v)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    struct sc_stmt *st = NULL;
    if (sc_stmt_prepare(w->db,
                        "SELECT w.id, u.id, u.name, u.tier, u.tier_expires, u.roles FROM "
                        "watches w JOIN users u ON u.id = w.user_id ORDER BY w.id",
                        &st) != SC_STORE_OK) {
        free(v);
        return db_fail(w, lib, diag);
    }
    time_t now = time(NULL);
    size_t i = 0, any = 0;
    int rc;
    while ((rc = sc_stmt_step(st)) == SC_STORE_ROW) {
        int64_t id = sc_stmt_column_int64(st, 0);
        while (i < w->n && w->w[i].id < id)
            i++;
        if (i == w->n || w->w[i].id != id)
            continue; /* saved after the queries were read: matched next run */
        struct sc_principal p;
        sc_principal_from_stmt(&p, st, 1, now);
        v[i] = !sc_may(&p, SC_ACT_READ_PAID);
        any += v[i];
    }
    sc_stmt_finalize(st);
    if (rc != SC_STORE_DONE) {
        free(v);
        return db_fail(w, lib, diag);
    }
    if (any)
        *out = v;
    else
        free(v);
    return SC_OK;
}

/* The matches of a run: (document, watch) pairs. */
struct pair {
    int64_t doc, watch;
};

struct collect {
    const struct wq *w;
    int64_t from;
    struct pair *p;
    size_t n, cap;
    int oom;
};

static int on_match(void *ctx, size_t qi, const int64_t *ids, size_t n)
{
    struct collect *c = ctx;
    const struct wq *q = &c->w[qi];
    int64_t after = q->after_id > c->from ? q->after_id : c->from;
    for (size_t i = 0; i < n; i++) {
        if (ids[i] <= after)
            continue; /* not new to this saved search */
        if (c->n == c->cap) {
            size_t nc = c->cap ? c->cap * 2 : 4096;
            struct pair *np = sc_reallocarray(c->p, nc, sizeof *np);
            if (!np) {
                c->oom = 1;
                return 1;
            }
            c->p = np;
            c->cap = nc;
        }
        c->p[c->n++] = (struct pair){ ids[i], q->id };
    }
    return 0;
}

static int cmp_doc(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    if (x->doc != y->doc)
        return x->doc < y->doc ? -1 : 1;
    return (x->watch > y->watch) - (x->watch < y->watch);
}

static int cmp_watch(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    if (x->watch != y->watch)
        return x->watch < y->watch ? -1 : 1;
    return (x->doc > y->doc) - (x->doc < y->doc);
}

/* Store p[0..n) (documents in (from, to], sorted by document) and move
 * the mark from `from` to `to`, in one transaction: one row per saved
 * search, its documents as varint deltas. Returns 0 stored, 1 when the
 * mark was not `from` any more (another process matched these documents),
 * -1 on error. *stored: the matches written. */
static int store(struct sc_watcher *w, struct sc_library *lib, struct pair *p, size_t n,
                 int sorted_by_watch, int64_t from, int64_t to, size_t *stored,
                 struct sc_diag *diag)
{
    struct sc_store *db = w->db;
    *stored = 0;
    if (sc_store_begin(db, 1, NULL) != SC_OK) {
        db_fail(w, lib, diag);
        return -1;
    }
    int ok = 1;
    int64_t mark = db_int(db, "SELECT value FROM watch_state WHERE key = 'mark'", &ok);
    if (!ok || mark != from) {
        sc_store_rollback(db);
        if (!ok)
            db_fail(w, lib, diag);
        return ok ? 1 : -1;
    }
    if (!sorted_by_watch)
        qsort(p, n, sizeof *p, cmp_watch);
    struct sc_stmt *ins = NULL, *cnt = NULL, *mk = NULL, *top = NULL;
    int64_t now = (int64_t)sc_members_now();
    ok = sc_stmt_prepare(db,
                         "INSERT INTO watch_hits(watch_id, last_doc, n, docs, at) "
                         "VALUES(?, ?, ?, ?, ?)",
                         &ins) == SC_STORE_OK &&
         sc_stmt_prepare(db, "UPDATE watches SET nhits = nhits + ?2, last_hit = ?3 WHERE id = ?1",
                         &cnt) == SC_STORE_OK &&
         sc_stmt_prepare(db, "UPDATE watch_state SET value = ? WHERE key = 'mark'", &mk) ==
             SC_STORE_OK &&
         sc_stmt_prepare(db, "SELECT coalesce(max(last_doc), 0) FROM watch_hits WHERE watch_id = ?",
                         &top) == SC_STORE_OK;
    struct sc_buf blob = SC_BUF_INIT;
    for (size_t i = 0; ok && i < n;) {
        size_t j = i;
        while (j < n && p[j].watch == p[i].watch)
            j++;
        /* a pair stored before (a repeated run) is not stored again */
        sc_stmt_bind_int64(top, 1, p[i].watch);
        int64_t have = sc_stmt_step(top) == SC_STORE_ROW ? sc_stmt_column_int64(top, 0) : 0;
        sc_stmt_reset(top);
        sc_buf_reset(&blob);
        int64_t prev = 0, k = 0;
        for (size_t x = i; x < j; x++) {
            if (p[x].doc <= have || p[x].doc == prev)
                continue;
            sc_varint_put(&blob, (uint64_t)(p[x].doc - prev));
            prev = p[x].doc;
            k++;
        }
        if (sc_buf_err(&blob) != SC_OK) {
            sc_diag_set(diag, SC_ENOMEM, "out of memory storing matches");
            ok = 0;
            break;
        }
        if (k) {
            sc_stmt_bind_int64(ins, 1, p[i].watch);
            sc_stmt_bind_int64(ins, 2, prev);
            sc_stmt_bind_int64(ins, 3, k);
            sc_stmt_bind_blob(ins, 4, blob.data, (int)blob.len);
            sc_stmt_bind_int64(ins, 5, now);
            ok = sc_stmt_step(ins) == SC_STORE_DONE;
            sc_stmt_reset(ins);
            sc_stmt_bind_int64(cnt, 1, p[i].watch);
            sc_stmt_bind_int64(cnt, 2, k);
            sc_stmt_bind_int64(cnt, 3, now);
            ok = ok && sc_stmt_step(cnt) == SC_STORE_DONE;
            sc_stmt_reset(cnt);
            *stored += (size_t)k;
        }
        i = j;
    }
    sc_buf_release(&blob);
    if (ok) {
        sc_stmt_bind_int64(mk, 1, to);
        ok = sc_stmt_step(mk) == SC_STORE_DONE;
    }
    sc_stmt_finalize(ins);
    sc_stmt_finalize(cnt);
    sc_stmt_finalize(mk);
    sc_stmt_finalize(top);
    if (!ok || sc_store_commit(db, NULL) != SC_OK) {
        if (!diag || diag->err == SC_OK)
            db_fail(w, lib, diag);
        sc_store_rollback(db);
        *stored = 0;
        return -1;
    }
    return 0;
}

/* Keep about the newest SC_WATCH_HITS_KEPT matches (whole rows) of saved
 * searches that have twice as many, so that this runs rarely. */
static void prune(struct sc_watcher *w)
{
    struct sc_stmt *big = NULL;
    if (sc_stmt_prepare(w->db, "SELECT id FROM watches WHERE nhits > ?", &big) != SC_STORE_OK)
        return;
    sc_stmt_bind_int(big, 1, 2 * SC_WATCH_HITS_KEPT);
    int64_t ids[64];
    size_t n = 0;
    while (n < 64 && sc_stmt_step(big) == SC_STORE_ROW)
        ids[n++] = sc_stmt_column_int64(big, 0);
    sc_stmt_finalize(big);
    for (size_t i = 0; i < n; i++) {
        if (sc_store_begin(w->db, 1, NULL) != SC_OK)
            return;
        /* the last_doc below which the newest rows hold KEPT matches */
        struct sc_stmt *st = NULL;
        int64_t cut = 0;
        int ok = sc_stmt_prepare(w->db,
                                 "SELECT last_doc, n FROM watch_hits WHERE watch_id = ? "
                                 "ORDER BY last_doc DESC",
                                 &st) == SC_STORE_OK;
        if (ok) {
            sc_stmt_bind_int64(st, 1, ids[i]);
            int64_t sum = 0;
            while (sc_stmt_step(st) == SC_STORE_ROW) {
                sum += sc_stmt_column_int64(st, 1);
                if (sum >= SC_WATCH_HITS_KEPT) {
                    cut = sc_stmt_column_int64(st, 0);
                    break;
                }
            }
        }
        sc_stmt_finalize(st);
        st = NULL;
        if (ok && cut)
            ok = sc_stmt_prepare(w->db,
                                 "DELETE FROM watch_hits WHERE watch_id = ?1 AND last_doc < ?2",
                                 &st) == SC_STORE_OK;
        if (ok && st) {
            sc_stmt_bind_int64(st, 1, ids[i]);
            sc_stmt_bind_int64(st, 2, cut);
            ok = sc_stmt_step(st) == SC_STORE_DONE;
        }
        sc_stmt_finalize(st);
        st = NULL;
        if (ok)
            ok = sc_stmt_prepare(w->db,
                                 "UPDATE watches SET nhits = (SELECT coalesce(sum(n), 0) FROM "
                                 "watch_hits WHERE watch_id = ?1) WHERE id = ?1",
                                 &st) == SC_STORE_OK;
        if (ok) {
            sc_stmt_bind_int64(st, 1, ids[i]);
            ok = sc_stmt_step(st) == SC_STORE_DONE;
        }
        sc_stmt_finalize(st);
        if (ok)
            (void)sc_store_commit(w->db, NULL);
        else
            sc_store_rollback(w->db);
    }
}

static enum sc_err open_db(struct sc_watcher *w, struct sc_library *lib, struct sc_diag *diag)
{
    if (w->db)
        return SC_OK;
    /* an import commits every 50 ms; a long one may hold the lock longer */
    return sc_store_reopen(lib->db, SC_STORE_PRIVATE, 60000, &w->db, diag);
}

/* One run (w->lock held). */
static enum sc_err run(struct sc_watcher *w, struct sc_library *lib, struct sc_watch_run *out,
                       struct sc_diag *diag)
{
    memset(out, 0, sizeof *out);
    enum sc_err e = open_db(w, lib, diag);
    if (e != SC_OK)
        return e;
    int ok = 1;
    int64_t mark = db_int(w->db, "SELECT value FROM watch_state WHERE key = 'mark'", &ok);
    int64_t version = db_int(w->db, "SELECT value FROM watch_state WHERE key = 'version'", &ok);
    if (!ok)
        return SC_OK; /* no tables: a library that never had saved searches */
    struct sc_snap *snap = NULL;
    e = sc_index_tail(lib, mark, &snap, diag);
    if (e != SC_OK || !snap)
        return e;
    int64_t to = snap->maxid;
    out->from_id = mark;
    out->to_id = to;
    if (to <= mark) {
        sc_snap_free(snap);
        return SC_OK;
    }
    e = load_queries(w, lib, version, diag);
    /* documents at or below every saved search's start are new to none */
    int64_t from = mark, least = INT64_MAX;
    for (size_t i = 0; e == SC_OK && i < w->n; i++)
        if (w->w[i].after_id < least)
            least = w->w[i].after_id;
    if (least != INT64_MAX && least > from)
        from = least;
    for (size_t si = 0; si < snap->nseg; si++)
        for (uint32_t d = 0; d < snap->segs[si]->ndocs; d++)
            out->docs += snap->segs[si]->docs[d].id > mark;
    struct collect c = { w->w, from, NULL, 0, 0, 0 };
    double t0 = now_ms();
    uint8_t *vis = NULL;
    if (e == SC_OK && w->n && from < to && snap->npaid)
        e = owner_views(w, lib, &vis, diag);
    if (e == SC_OK && w->n && from < to) {
        e = sc_engine_match(snap, w->qp, w->n, vis, from, on_match, &c, diag);
        if (e == SC_OK && c.oom)
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory matching saved searches");
        out->watches = (int64_t)w->n;
    }
    free(vis);
    double t1 = now_ms();
    out->match_ms = t1 - t0;
    sc_snap_free(snap);
    if (e == SC_OK) {
        /* in transactions of whole documents, the mark moving with each
         * (the pairs come by saved search; a run small enough for one
         * transaction needs no sorting by document) */
        if (c.n > SC_WATCH_TX_ROWS)
            qsort(c.p, c.n, sizeof *c.p, cmp_doc);
        size_t i = 0;
        int64_t cur = mark;
        do {
            size_t j = i + SC_WATCH_TX_ROWS < c.n ? i + SC_WATCH_TX_ROWS : c.n;
            while (j < c.n && j > i && c.p[j].doc == c.p[j - 1].doc)
                j++;
            int64_t upto = j < c.n ? c.p[j - 1].doc : to;
            size_t stored;
            int r =
                store(w, lib, c.p + i, j - i, c.n <= SC_WATCH_TX_ROWS, cur, upto, &stored, diag);
            if (r < 0) {
                e = diag && diag->err ? diag->err : SC_ESTORE;
                break;
            }
            if (r > 0)
                break; /* another process is matching these documents */
            out->hits += (int64_t)stored;
            cur = upto;
            i = j;
        } while (i < c.n);
        if (e == SC_OK)
            prune(w);
    }
    out->store_ms = now_ms() - t1;
    free(c.p);
    return e;
}

static void add_run(struct sc_watch_run *sum, const struct sc_watch_run *r)
{
    if (!r->docs)
        return;
    if (!sum->docs)
        sum->from_id = r->from_id;
    sum->to_id = r->to_id;
    sum->docs += r->docs;
    sum->watches = r->watches;
    sum->hits += r->hits;
    sum->match_ms += r->match_ms;
    sum->store_ms += r->store_ms;
}

void sc_watch_after_index(struct sc_library *lib, int background)
{
    if (lib->flags & SC_LIBRARY_READONLY)
        return;
    /* benchmarks and tests time the matching alone (sc_watch_match) */
    const char *defer = getenv("SUCAI_WATCH_DEFER");
    if (defer && !strcmp(defer, "1"))
        return;
    struct sc_watcher *w = watcher(lib);
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    double t = now_ms();
    if (background && t - w->last_run < SC_WATCH_BG_INTERVAL_MS) {
        pthread_mutex_unlock(&w->lock);
        return;
    }
    w->last_run = t;
    struct sc_watch_run r;
    struct sc_diag d = { 0 };
    enum sc_err e = run(w, lib, &r, &d);
    add_run(&w->sum, &r);
    if (e != SC_OK && w->err == SC_OK) {
        w->err = e;
        w->diag = d;
    }
    pthread_mutex_unlock(&w->lock);
}

enum sc_err sc_watch_match(struct sc_library *lib, struct sc_watch_run *out, struct sc_diag *diag)
{
    struct sc_watch_run r;
    memset(&r, 0, sizeof r);
    if (lib->flags & SC_LIBRARY_READONLY)
        return sc_diag_set(diag, SC_EDENIED, "%s: the library is open read-only", sc_store_path(lib->db));
    struct sc_watcher *w = watcher(lib);
    if (!w)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    pthread_mutex_lock(&w->lock);
    enum sc_err e = run(w, lib, &r, diag);
    add_run(&w->sum, &r);
    pthread_mutex_unlock(&w->lock);
    if (out)
        *out = r;
    return e;
}

enum sc_err sc_watch_stats(struct sc_library *lib, struct sc_watch_run *sum, struct sc_diag *diag)
{
    memset(sum, 0, sizeof *sum);
    struct sc_watcher *w = watcher(lib);
    if (!w)
        return SC_OK;
    pthread_mutex_lock(&w->lock);
    *sum = w->sum;
    enum sc_err e = w->err;
    if (e != SC_OK && diag)
        sc_diag_set(diag, e, "%s", w->diag.msg);
    pthread_mutex_unlock(&w->lock);
    return e;
}
