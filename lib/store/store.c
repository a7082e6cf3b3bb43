/*
 * The store layer: connections, statements and transactions dispatched to
 * a driver, the messages every failure gets, meta (the store's own table)
 * and the parts' schema versions. SQLite is the source of truth of a
 * library; everything else (the search index) is derived from it.
 */
#include "driver.h"

#include "base/alloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct sc_store {
    const struct sc_store_driver *drv;
    void *conn;
    char *location; /* as given: what another connection opens */
    char *path;     /* as messages name it: a URL without its password */
    int flags;
    int oom; /* the last failure was the store layer's own allocation */
};

struct sc_stmt {
    struct sc_store *st;
    void *h;
};

struct sc_blob {
    const struct sc_store_driver *drv;
    void *h;
};

static const struct sc_store_driver *const drivers[] = {
#ifdef SC_HAVE_PG
    &sc_store_pg,
#endif
    &sc_store_sqlite,
};

int sc_store_is_url(const char *location)
{
    return strstr(location, "://") != NULL;
}

/* The driver that takes location; NULL for a URL no driver built in takes
 * (a PostgreSQL URL in a build without libpq), so that it is refused
 * rather than taken for a file name. */
static const struct sc_store_driver *driver_for(const char *location)
{
    for (size_t i = 0; i < sizeof drivers / sizeof drivers[0]; i++)
        if (drivers[i]->claims(location))
            return drivers[i];
    return NULL;
}

char *sc_store_shown(const char *location)
{
    const char *scheme = strstr(location, "://");
    const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
    const char *colon = at ? memchr(scheme + 3, ':', (size_t)(at - (scheme + 3))) : NULL;
    if (!colon)
        return sc_strdup(location);
    struct sc_buf b = SC_BUF_INIT;
    sc_buf_add(&b, location, (size_t)(colon - location));
    sc_buf_adds(&b, at);
    return sc_buf_take(&b, NULL);
}

/* again: the message of a second connection ("<path>: <reason>") */
static enum sc_err connect(const struct sc_store_driver *drv, const char *location, int flags,
                           int busy_ms, int again, struct sc_store **out, struct sc_diag *diag)
{
    *out = NULL;
    struct sc_store *st = sc_calloc(1, sizeof *st);
    char *loc = sc_strdup(location);
    char *path = sc_store_shown(location);
    if (!st || !loc || !path) {
        free(st);
        free(loc);
        const char *p = path ? path : "the store";
        enum sc_err e =
            again ? sc_diag_set(diag, SC_ESTORE, "%s: %s", p, "cannot open")
                  : sc_diag_set(diag, SC_ESTORE, "cannot open %s: %s", p, "out of memory");
        free(path);
        return e;
    }
    st->drv = drv;
    st->location = loc;
    st->path = path;
    st->flags = flags;
    if (!drv) {
        enum sc_err e = sc_diag_set(diag, SC_EUNSUPPORTED,
                                    "cannot open %s: no store driver takes this location "
                                    "(a PostgreSQL URL needs a sucai built with libpq)",
                                    path);
        sc_store_close(st);
        return e;
    }
    if (drv->open(location, flags, busy_ms, &st->conn) != SC_STORE_OK) {
        /* a server that is down or failing over: not now, rather than broken */
        enum sc_err cl = st->conn && drv->errcode(st->conn) == SC_STORE_UNAVAILABLE
                             ? SC_EUNAVAILABLE
                             : SC_ESTORE;
        enum sc_err e = again ? sc_diag_set(diag, cl, "%s: %s", path,
                                            st->conn ? drv->errmsg(st->conn) : "cannot open")
                              : sc_diag_set(diag, cl, "cannot open %s: %s", path,
                                            st->conn ? drv->errmsg(st->conn) : "out of memory");
        sc_store_close(st);
        return e;
    }
    *out = st;
    return SC_OK;
}

void sc_store_close(struct sc_store *st)
{
    if (!st)
        return;
    if (st->conn)
        st->drv->close(st->conn);
    free(st->location);
    free(st->path);
    free(st);
}

const char *sc_store_path(const struct sc_store *st)
{
    return st->path;
}

int sc_store_readonly(const struct sc_store *st)
{
    return (st->flags & SC_STORE_RDONLY) != 0;
}

enum sc_err sc_store_exec(struct sc_store *st, const char *sql, struct sc_diag *diag)
{
    st->oom = 0;
    if (st->drv->exec(st->conn, sql) != SC_STORE_OK)
        return sc_diag_set(diag, SC_ESTORE, "%s: %s", st->path, st->drv->errmsg(st->conn));
    return SC_OK;
}

int64_t sc_store_bytes(struct sc_store *st)
{
    return st->drv->bytes(st->conn);
}

/* A channel is a lower-case word: it is written into SQL as it is. */
static int channel_ok(const char *channel)
{
    size_t n = 0;
    for (; channel[n]; n++)
        if (!((channel[n] >= 'a' && channel[n] <= 'z') || channel[n] == '_'))
            return 0;
    return n > 0 && n < 64;
}

int sc_store_notify(struct sc_store *st, const char *channel)
{
    if (!channel_ok(channel))
        return SC_STORE_ERROR;
    return st->drv->notify ? st->drv->notify(st->conn, channel) : SC_STORE_OK;
}

int sc_store_listen(struct sc_store *st, const char *channel)
{
    if (!channel_ok(channel) || !st->drv->listen)
        return SC_STORE_ERROR;
    return st->drv->listen(st->conn, channel);
}

int sc_store_wait(struct sc_store *st, int timeout_ms)
{
    if (timeout_ms < 0)
        timeout_ms = 0;
    if (!st->drv->wait) {
        struct timespec ts = { timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L };
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
            ;
        return 0;
    }
    return st->drv->wait(st->conn, timeout_ms);
}

int sc_store_has_table(struct sc_store *st, const char *name)
{
    return st->drv->has_table(st->conn, name);
}

/* A transaction that fails for lack of space (a COMMIT that cannot grow
 * the WAL) says so as a statement does. */
static enum sc_err tx_result(struct sc_store *st, int rc, struct sc_diag *diag)
{
    st->oom = 0;
    if (rc != SC_STORE_OK)
        return sc_store_fail(st, diag);
    return SC_OK;
}

enum sc_err sc_store_begin(struct sc_store *st, int write, struct sc_diag *diag)
{
    return tx_result(st, st->drv->begin(st->conn, write), diag);
}

enum sc_err sc_store_commit(struct sc_store *st, struct sc_diag *diag)
{
    return tx_result(st, st->drv->commit(st->conn), diag);
}

void sc_store_rollback(struct sc_store *st)
{
    (void)st->drv->rollback(st->conn);
}

enum sc_err sc_store_savepoint(struct sc_store *st, const char *name, struct sc_diag *diag)
{
    return tx_result(st, st->drv->savepoint(st->conn, name), diag);
}

void sc_store_release(struct sc_store *st, const char *name)
{
    (void)st->drv->release(st->conn, name);
}

void sc_store_rollback_to(struct sc_store *st, const char *name)
{
    (void)st->drv->rollback_to(st->conn, name);
}

int sc_store_in_tx(struct sc_store *st)
{
    return st->drv->in_tx(st->conn);
}

int64_t sc_store_changes(struct sc_store *st)
{
    return st->drv->changes(st->conn);
}

int64_t sc_store_last_id(struct sc_store *st)
{
    return st->drv->last_id(st->conn);
}

int sc_store_errcode(struct sc_store *st)
{
    return st->oom ? SC_STORE_NOMEM : st->drv->errcode(st->conn);
}

const char *sc_store_errmsg(struct sc_store *st)
{
    return st->oom ? "out of memory" : st->drv->errmsg(st->conn);
}

int sc_store_full(struct sc_store *st)
{
    return !st->oom && st->drv->full(st->conn);
}

enum sc_err sc_store_fail(struct sc_store *st, struct sc_diag *diag)
{
    if (sc_store_full(st))
        return sc_diag_set(diag, SC_ESTORE, "%s: disk full (no space left for the store)",
                           st->path);
    if (st->drv->errcode(st->conn) == SC_STORE_UNAVAILABLE)
        return sc_diag_set(diag, SC_EUNAVAILABLE, "%s: the database is not available now (%s)",
                           st->path, sc_store_errmsg(st));
    return sc_diag_set(diag, SC_ESTORE, "%s: %s", st->path, sc_store_errmsg(st));
}

/* ---- statements ---- */

static int prepare(struct sc_store *st, const char *sql, int persistent, struct sc_stmt **out)
{
    *out = NULL;
    struct sc_stmt *s = sc_malloc(sizeof *s);
    if (!s) {
        st->oom = 1;
        return SC_STORE_NOMEM;
    }
    st->oom = 0;
    s->st = st;
    s->h = NULL;
    int rc = st->drv->prepare(st->conn, sql, persistent, &s->h);
    if (rc != SC_STORE_OK) {
        if (s->h)
            st->drv->finalize(s->h);
        free(s);
        return rc;
    }
    *out = s;
    return SC_STORE_OK;
}

int sc_stmt_prepare(struct sc_store *st, const char *sql, struct sc_stmt **out)
{
    return prepare(st, sql, 0, out);
}

int sc_stmt_prepare_persistent(struct sc_store *st, const char *sql, struct sc_stmt **out)
{
    return prepare(st, sql, 1, out);
}

struct sc_stmt *sc_store_prepare(struct sc_store *st, const char *sql, struct sc_diag *diag)
{
    struct sc_stmt *s = NULL;
    if (prepare(st, sql, 0, &s) != SC_STORE_OK) {
        sc_store_fail(st, diag);
        return NULL;
    }
    return s;
}

void sc_stmt_finalize(struct sc_stmt *s)
{
    if (!s)
        return;
    s->st->drv->finalize(s->h);
    free(s);
}

int sc_stmt_reset(struct sc_stmt *s)
{
    return s->st->drv->reset(s->h);
}

int sc_stmt_clear_bindings(struct sc_stmt *s)
{
    return s->st->drv->clear_bindings(s->h);
}

int sc_stmt_bind_int64(struct sc_stmt *s, int i, int64_t v)
{
    return s->st->drv->bind_int64(s->h, i, v);
}

int sc_stmt_bind_int(struct sc_stmt *s, int i, int v)
{
    return s->st->drv->bind_int64(s->h, i, v);
}

int sc_stmt_bind_double(struct sc_stmt *s, int i, double v)
{
    return s->st->drv->bind_double(s->h, i, v);
}

int sc_stmt_bind_null(struct sc_stmt *s, int i)
{
    return s->st->drv->bind_null(s->h, i);
}

int sc_stmt_bind_text(struct sc_stmt *s, int i, const char *text, int n)
{
    return s->st->drv->bind_text(s->h, i, text, n, 0);
}

int sc_stmt_bind_text_copy(struct sc_stmt *s, int i, const char *text, int n)
{
    return s->st->drv->bind_text(s->h, i, text, n, 1);
}

int sc_stmt_bind_blob(struct sc_stmt *s, int i, const void *p, int n)
{
    return s->st->drv->bind_blob(s->h, i, p, n, 0);
}

int sc_stmt_bind_blob_copy(struct sc_stmt *s, int i, const void *p, int n)
{
    return s->st->drv->bind_blob(s->h, i, p, n, 1);
}

int sc_stmt_step(struct sc_stmt *s)
{
    return s->st->drv->step(s->h);
}

int sc_stmt_column_type(struct sc_stmt *s, int col)
{
    return s->st->drv->column_type(s->h, col);
}

int64_t sc_stmt_column_int64(struct sc_stmt *s, int col)
{
    return s->st->drv->column_int64(s->h, col);
}

int sc_stmt_column_int(struct sc_stmt *s, int col)
{
    return (int)s->st->drv->column_int64(s->h, col);
}

double sc_stmt_column_double(struct sc_stmt *s, int col)
{
    return s->st->drv->column_double(s->h, col);
}

const char *sc_stmt_column_text(struct sc_stmt *s, int col)
{
    return s->st->drv->column_text(s->h, col);
}

const void *sc_stmt_column_blob(struct sc_stmt *s, int col)
{
    return s->st->drv->column_blob(s->h, col);
}

int sc_stmt_column_bytes(struct sc_stmt *s, int col)
{
    return s->st->drv->column_bytes(s->h, col);
}

char *sc_column_dup(struct sc_stmt *s, int col, int *oom)
{
    if (sc_stmt_column_type(s, col) == SC_COL_NULL)
        return NULL;
    const char *t = sc_stmt_column_text(s, col);
    int n = sc_stmt_column_bytes(s, col);
    char *p = t ? sc_strndup(t, (size_t)n) : NULL;
    if (!p)
        *oom = 1;
    return p;
}

int64_t sc_store_int(struct sc_store *st, const char *sql)
{
    struct sc_stmt *s = sc_store_prepare(st, sql, NULL);
    int64_t v = 0;
    if (s && sc_stmt_step(s) == SC_STORE_ROW)
        v = sc_stmt_column_int64(s, 0);
    sc_stmt_finalize(s);
    return v;
}

/* ---- blobs ---- */

int sc_blob_open(struct sc_store *st, const char *table, const char *column, int64_t id,
                 struct sc_blob **out)
{
    *out = NULL;
    struct sc_blob *b = sc_malloc(sizeof *b);
    if (!b)
        return SC_STORE_NOMEM;
    b->drv = st->drv;
    b->h = NULL;
    int rc = st->drv->blob_open(st->conn, table, column, id, &b->h);
    if (rc != SC_STORE_OK) {
        if (b->h)
            st->drv->blob_close(b->h);
        free(b);
        return rc;
    }
    *out = b;
    return SC_STORE_OK;
}

int sc_blob_reopen(struct sc_blob *b, int64_t id)
{
    return b->drv->blob_reopen(b->h, id);
}

int sc_blob_bytes(struct sc_blob *b)
{
    return b->drv->blob_bytes(b->h);
}

int sc_blob_read(struct sc_blob *b, void *buf, int n, int off)
{
    return b->drv->blob_read(b->h, buf, n, off);
}

void sc_blob_close(struct sc_blob *b)
{
    if (!b)
        return;
    b->drv->blob_close(b->h);
    free(b);
}

/* ---- meta and the parts' versions ---- */

/* The version of meta itself, the store's own table, made before any
 * part's (written as the literal in meta_sql). */
#define SC_STORE_SCHEMA_VERSION 1
static const char meta_sql[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;\n"
    "INSERT OR IGNORE INTO meta VALUES('schema_version', '1');\n"
    "INSERT OR IGNORE INTO meta VALUES('generation', '1');\n";

int64_t sc_store_generation(struct sc_store *st)
{
    return sc_store_int(st, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'generation'");
}

enum sc_err sc_store_bump_generation(struct sc_store *st, struct sc_diag *diag)
{
    return sc_store_exec(st,
                         "UPDATE meta SET value = CAST(value AS INTEGER) + 1 "
                         "WHERE key = 'generation'",
                         diag);
}

/* meta's key for a part's version: "schema:<name>" */
static enum sc_err part_key(struct sc_store *st, const struct sc_store_part *part, char *key,
                            size_t size, struct sc_diag *diag)
{
    if ((size_t)snprintf(key, size, "schema:%s", part->name) >= size)
        return sc_diag_set(diag, SC_EINVAL, "%s: part name too long: %s", st->path, part->name);
    return SC_OK;
}

/* Read (set: write) the number meta holds at key; 0 where there is none. */
static enum sc_err meta_version(struct sc_store *st, const char *key, int set, int *v,
                                struct sc_diag *diag)
{
    struct sc_stmt *s =
        sc_store_prepare(st,
                         set ? "INSERT OR REPLACE INTO meta VALUES(?1, CAST(?2 AS TEXT))"
                             : "SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?1",
                         diag);
    if (!s)
        return SC_ESTORE;
    sc_stmt_bind_text(s, 1, key, -1);
    if (set)
        sc_stmt_bind_int(s, 2, *v);
    int rc = sc_stmt_step(s);
    enum sc_err e = SC_OK;
    if (rc == SC_STORE_ROW)
        *v = sc_stmt_column_int(s, 0);
    else if (rc == SC_STORE_DONE && !set)
        *v = 0;
    else if (rc != SC_STORE_DONE)
        e = sc_store_fail(st, diag);
    sc_stmt_finalize(s);
    return e;
}

int sc_store_part_version(struct sc_store *st, const struct sc_store_part *part)
{
    char key[64];
    int v = 0;
    if (part_key(st, part, key, sizeof key, NULL) != SC_OK ||
        meta_version(st, key, 0, &v, NULL) != SC_OK)
        return -1;
    return v;
}

static enum sc_err migrate(struct sc_store *st, const struct sc_store_part *const *parts,
                           size_t nparts, struct sc_diag *diag)
{
    enum sc_err e = SC_OK;
    if (st->drv->setup_sql)
        e = sc_store_exec(st, st->drv->setup_sql, diag);
    if (e == SC_OK)
        e = sc_store_exec(st, meta_sql, diag);
    for (size_t i = 0; e == SC_OK && i < nparts; i++) {
        char key[64];
        if (part_key(st, parts[i], key, sizeof key, diag) != SC_OK)
            return SC_EINVAL;
        int v = 0;
        e = meta_version(st, key, 0, &v, diag);
        if (e != SC_OK || v >= parts[i]->version)
            continue;
        e = parts[i]->migrate(st, v, diag);
        v = parts[i]->version;
        if (e == SC_OK)
            e = meta_version(st, key, 1, &v, diag);
    }
    return e;
}

/* Is this store one of ours, and one this binary can read? Decided before
 * anything is written: a database of another application or one made by a
 * newer sucai is refused as it is. A database with no tables at all (a new
 * file, an empty database made for the library) is one the schema may fill
 * when SC_STORE_CREATE is given; otherwise it holds no library. */
static enum sc_err recognise(struct sc_store *st, const struct sc_store_part *const *parts,
                             size_t nparts, struct sc_diag *diag)
{
    if (!st->drv->has_table(st->conn, "meta")) {
        int empty = st->drv->empty(st->conn);
        if (empty && !sc_store_readonly(st) && (st->flags & SC_STORE_CREATE))
            return SC_OK;
        if (empty)
            return sc_diag_set(diag, SC_ENOTFOUND,
                               "no library at %s (an empty database: create one with `sucai "
                               "init`)",
                               st->path);
        return sc_diag_set(diag, SC_ESTORE,
                           sc_store_readonly(st) ? "%s is not a sucai library"
                                                 : "%s is not a sucai library (it holds another "
                                                   "application's tables; nothing was written)",
                           st->path);
    }
    int v = 0;
    enum sc_err e = meta_version(st, "schema_version", 0, &v, diag);
    if (e != SC_OK)
        return e;
    if (v == 0)
        return sc_diag_set(diag, SC_ESTORE, "%s is not a sucai library", st->path);
    if (v > SC_STORE_SCHEMA_VERSION)
        return sc_diag_set(diag, SC_EUNSUPPORTED,
                           "%s was made by a newer sucai (store version %d, this sucai reads "
                           "up to %d): upgrade sucai to open it",
                           st->path, v, SC_STORE_SCHEMA_VERSION);
    for (size_t i = 0; i < nparts; i++) {
        char key[64];
        if (part_key(st, parts[i], key, sizeof key, diag) != SC_OK)
            return SC_EINVAL;
        e = meta_version(st, key, 0, &v, diag);
        if (e != SC_OK)
            return e;
        if (v > parts[i]->version)
            return sc_diag_set(diag, SC_EUNSUPPORTED,
                               "%s was made by a newer sucai (its %s tables are at version "
                               "%d, this sucai knows up to %d): upgrade sucai to open it",
                               st->path, parts[i]->name, v, parts[i]->version);
    }
    return SC_OK;
}

enum sc_err sc_store_open(const char *location, int flags, int busy_ms,
                          const struct sc_store_part *const *parts, size_t nparts,
                          struct sc_store **out, struct sc_diag *diag)
{
    *out = NULL;
    struct sc_store *st = NULL;
    enum sc_err e = connect(driver_for(location), location, flags, busy_ms, 0, &st, diag);
    if (e != SC_OK)
        return e;
    e = recognise(st, parts, nparts, diag);
    if (e == SC_OK && !(flags & SC_STORE_RDONLY))
        e = migrate(st, parts, nparts, diag);
    if (e != SC_OK) {
        sc_store_close(st);
        return e;
    }
    *out = st;
    return SC_OK;
}

enum sc_err sc_store_reopen(const struct sc_store *st, int flags, int busy_ms,
                            struct sc_store **out, struct sc_diag *diag)
{
    return connect(st->drv, st->location, flags, busy_ms, 1, out, diag);
}
