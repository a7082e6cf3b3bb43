/*
 * Opening and closing a library: a folder (<dir>/library.db, the store,
 * and <dir>/index/, the search index attached by lib/search/) or a
 * database server's URL (the store there, the index in a cache folder of
 * this machine). This is the
 * one place that wires the parts together: which parts keep tables in the
 * store (and in what order their schemas are brought up to date), the
 * index attached after the store, the saved-search matcher called after
 * each catch-up of the index, and the order things are let go at close.
 */
#include "library_int.h"

#include "members/members_int.h"
#include "search/index.h"
#include "shelf/shelf_int.h"
#include "watch/watch_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *sc_library_default_dir(const char *explicit_dir)
{
    if (explicit_dir && *explicit_dir)
        return explicit_dir;
    const char *env = getenv("SUCAI_LIBRARY");
    if (env && *env)
        return env;
    return SC_DEFAULT_LIBRARY;
}

const char *sc_library_dir(const struct sc_library *lib)
{
    return lib->dir;
}

const char *sc_library_name(const struct sc_library *lib)
{
    return lib->name;
}

/* The parts with tables, in order: members refer to nothing, saved
 * searches and the shelf to users and documents. */
static const struct sc_store_part *const parts[] = {
    &sc_library_part,
    &sc_members_part,
    &sc_watch_part,
    &sc_shelf_part,
};

size_t sc_library_schema(struct sc_library *lib, struct sc_schema_part *out, size_t cap)
{
    size_t n = sizeof parts / sizeof parts[0];
    for (size_t i = 0; i < n && i < cap; i++)
        out[i] = (struct sc_schema_part){ parts[i]->name, sc_store_part_version(lib->db, parts[i]),
                                          parts[i]->version };
    return n;
}

static enum sc_err store_open(struct sc_library *lib, int create, struct sc_diag *diag)
{
    int flags = (lib->flags & SC_LIBRARY_READONLY) ? SC_STORE_RDONLY : 0;
    if (create)
        flags |= SC_STORE_CREATE;
    return sc_store_open(lib->db_path, flags, 10000, parts, sizeof parts / sizeof parts[0],
                         &lib->db, diag);
}

/* mkdir -p: every folder of path that is missing, made 0777 (umask). */
static enum sc_err make_dirs(const char *path, struct sc_diag *diag)
{
    char *p = sc_strdup(path);
    if (!p)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    enum sc_err e = SC_OK;
    for (char *c = p + 1;; c++) {
        if (*c != '/' && *c)
            continue;
        char was = *c;
        *c = 0;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            e = sc_diag_set(diag, SC_EIO, "cannot create %s: %s", p, strerror(errno));
            break;
        }
        *c = was;
        if (!was)
            break;
    }
    free(p);
    return e;
}

/* Where a library in a database server keeps what each machine derives
 * from it (the search index): $SUCAI_CACHE (`--cache DIR`), else a folder
 * per library under ${XDG_CACHE_HOME:-~/.cache}/sucai named by the
 * location without its password. NULL (with diag) if there is no home. */
static char *cache_for(const char *location, struct sc_diag *diag)
{
    const char *env = getenv("SUCAI_CACHE");
    if (env && *env)
        return sc_strdup(env);
    char *shown = sc_store_shown(location);
    if (!shown) {
        sc_diag_set(diag, SC_ENOMEM, "out of memory");
        return NULL;
    }
    char hex[65];
    sc_sha256_hex(shown, strlen(shown), hex);
    hex[16] = 0;
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    struct sc_buf b = SC_BUF_INIT;
    if (xdg && *xdg)
        sc_buf_addf(&b, "%s/sucai/%s", xdg, hex);
    else if (home && *home)
        sc_buf_addf(&b, "%s/.cache/sucai/%s", home, hex);
    else
        sc_diag_set(diag, SC_EINVAL,
                    "%s: no folder for the library's cache (give one with --cache DIR or "
                    "$SUCAI_CACHE)",
                    shown);
    free(shown);
    char *out = b.len ? sc_buf_take(&b, NULL) : NULL;
    sc_buf_release(&b);
    if (!out && diag && !diag->msg[0])
        sc_diag_set(diag, SC_ENOMEM, "out of memory");
    return out;
}

/* A library is a folder (<dir>/library.db, <dir>/index/) or a database
 * server's URL (the store there, the index in the cache folder). */
static struct sc_library *library_new(const char *location, int flags, struct sc_diag *diag)
{
    struct sc_library *lib = sc_calloc(1, sizeof *lib);
    if (!lib) {
        sc_diag_set(diag, SC_ENOMEM, "out of memory");
        return NULL;
    }
    lib->dir = sc_strdup(location);
    lib->name = sc_store_shown(location);
    lib->flags = flags;
    lib->after_index = sc_watch_after_index;
    if (sc_store_is_url(location)) {
        lib->db_path = sc_strdup(location);
        lib->cache = cache_for(location, diag);
    } else {
        struct sc_buf b = SC_BUF_INIT;
        sc_buf_addf(&b, "%s/library.db", location);
        lib->db_path = sc_buf_take(&b, NULL);
        lib->cache = sc_strdup(location);
    }
    if (!lib->db_path || !lib->dir || !lib->name || !lib->cache ||
        pthread_mutex_init(&lib->index_lock, NULL) != 0) {
        if (!diag || !diag->msg[0])
            sc_diag_set(diag, SC_ENOMEM, "out of memory");
        free(lib->db_path);
        free(lib->dir);
        free(lib->name);
        free(lib->cache);
        free(lib);
        return NULL;
    }
    return lib;
}

static void library_free(struct sc_library *lib)
{
    if (!lib)
        return;
    sc_index_detach(lib);
    sc_watch_detach(lib);
    sc_store_close(lib->rdb);
    sc_store_close(lib->db);
    pthread_mutex_destroy(&lib->index_lock);
    free(lib->db_path);
    free(lib->dir);
    free(lib->name);
    free(lib->cache);
    free(lib);
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static off_t file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_size : -1;
}

/* A library in a database server: there is one if a read-only open
 * finds it. */
static enum sc_err create_in_server(struct sc_library *lib, struct sc_diag *diag)
{
    struct sc_store *probe = NULL;
    if (sc_store_open(lib->db_path, SC_STORE_RDONLY, 10000, parts, sizeof parts / sizeof parts[0],
                      &probe, NULL) == SC_OK) {
        enum sc_err e =
            sc_diag_set(diag, SC_EDUPLICATE, "%s already holds a library", sc_store_path(probe));
        sc_store_close(probe);
        return e;
    }
    enum sc_err e = store_open(lib, 1, diag);
    if (e == SC_OK)
        e = make_dirs(lib->cache, diag);
    return e;
}

enum sc_err sc_library_create(const char *dir, struct sc_diag *diag)
{
    struct sc_library *lib = library_new(dir, 0, diag);
    if (!lib)
        return diag ? diag->err : SC_ENOMEM;
    enum sc_err e;
    if (sc_store_is_url(dir))
        e = create_in_server(lib, diag);
    else if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        e = sc_diag_set(diag, SC_EIO, "cannot create %s: %s", dir, strerror(errno));
    else if (file_size(lib->db_path) > 0)
        e = sc_diag_set(diag, SC_EDUPLICATE, "%s already holds a library", dir);
    else /* an empty library.db (an init cut short) is made a library */
        e = store_open(lib, 1, diag);
    library_free(lib);
    return e;
}

enum sc_err sc_library_open(const char *dir, int flags, struct sc_library **out,
                            struct sc_diag *diag)
{
    *out = NULL;
    struct sc_library *lib = library_new(dir, flags, diag);
    if (!lib)
        return diag ? diag->err : SC_ENOMEM;
    enum sc_err e = SC_OK;
    int create = 0;
    if (sc_store_is_url(dir)) {
        /* an empty database is refused by the store unless created */
        create = (flags & SC_LIBRARY_CREATE) != 0;
        e = make_dirs(lib->cache, diag);
    } else {
        int exists = file_exists(lib->db_path);
        create = !exists;
        if (!exists && !(flags & SC_LIBRARY_CREATE))
            e = sc_diag_set(diag, SC_ENOTFOUND,
                            "no library at %s (create one with `sucai init`, or choose one "
                            "with -L DIR or $SUCAI_LIBRARY)",
                            dir);
        else if (!exists && mkdir(dir, 0777) != 0 && errno != EEXIST)
            e = sc_diag_set(diag, SC_EIO, "cannot create %s: %s", dir, strerror(errno));
    }
    if (e == SC_OK)
        e = store_open(lib, create, diag);
    if (e == SC_OK)
        e = sc_index_attach(lib, diag);
    if (e != SC_OK) {
        library_free(lib);
        return e;
    }
    *out = lib;
    return SC_OK;
}

enum sc_err sc_library_read_from(struct sc_library *lib, const char *location,
                                 struct sc_diag *diag)
{
    if (!sc_store_is_url(lib->dir) || !sc_store_is_url(location))
        return sc_diag_set(diag, SC_EINVAL,
                           "a read store is a standby of a library in PostgreSQL: give both as "
                           "URLs");
    struct sc_store *r = NULL;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_store_open(location, SC_STORE_RDONLY, 10000, parts,
                                  sizeof parts / sizeof parts[0], &r, &d);
    if (e != SC_OK)
        return sc_diag_set(diag, e, "the read store: %s", d.msg);
    /* the index is attached again, its builders and readers on the standby */
    sc_index_detach(lib);
    sc_store_close(lib->rdb);
    lib->rdb = r;
    return sc_index_attach(lib, diag);
}

void sc_library_close(struct sc_library *lib)
{
    library_free(lib);
}
