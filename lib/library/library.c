/*
 * Opening and closing a library folder: <dir>/library.db (the store) and
 * <dir>/index/ (the search index, attached by lib/search/). This is the
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

/* The parts with tables, in order: members refer to nothing, saved
 * searches and the shelf to users and documents. */
static const struct sc_store_part *const parts[] = {
    &sc_library_part,
    &sc_members_part,
    &sc_watch_part,
    &sc_shelf_part,
};

static enum sc_err store_open(struct sc_library *lib, int create, struct sc_diag *diag)
{
    int flags = (lib->flags & SC_LIBRARY_READONLY) ? SC_STORE_RDONLY : 0;
    if (create)
        flags |= SC_STORE_CREATE;
    return sc_store_open(lib->db_path, flags, 10000, parts, sizeof parts / sizeof parts[0],
                         &lib->db, diag);
}

static struct sc_library *library_new(const char *dir, int flags)
{
    struct sc_library *lib = sc_calloc(1, sizeof *lib);
    if (!lib)
        return NULL;
    struct sc_buf b = SC_BUF_INIT;
    sc_buf_addf(&b, "%s/library.db", dir);
    lib->db_path = sc_buf_take(&b, NULL);
    lib->dir = sc_strdup(dir);
    lib->flags = flags;
    lib->after_index = sc_watch_after_index;
    if (!lib->db_path || !lib->dir || pthread_mutex_init(&lib->index_lock, NULL) != 0) {
        free(lib->db_path);
        free(lib->dir);
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
    sc_store_close(lib->db);
    pthread_mutex_destroy(&lib->index_lock);
    free(lib->db_path);
    free(lib->dir);
    free(lib);
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

enum sc_err sc_library_create(const char *dir, struct sc_diag *diag)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return sc_diag_set(diag, SC_EIO, "cannot create %s: %s", dir, strerror(errno));
    struct sc_library *lib = library_new(dir, 0);
    if (!lib)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    if (file_exists(lib->db_path)) {
        enum sc_err e = sc_diag_set(diag, SC_EDUPLICATE, "%s already holds a library", dir);
        library_free(lib);
        return e;
    }
    enum sc_err e = store_open(lib, 1, diag);
    library_free(lib);
    return e;
}

enum sc_err sc_library_open(const char *dir, int flags, struct sc_library **out,
                            struct sc_diag *diag)
{
    *out = NULL;
    struct sc_library *lib = library_new(dir, flags);
    if (!lib)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    int exists = file_exists(lib->db_path);
    if (!exists && !(flags & SC_LIBRARY_CREATE)) {
        library_free(lib);
        return sc_diag_set(diag, SC_ENOTFOUND,
                           "no library at %s (create one with `sucai init`, or choose one "
                           "with -L DIR or $SUCAI_LIBRARY)",
                           dir);
    }
    if (!exists && mkdir(dir, 0777) != 0 && errno != EEXIST) {
        library_free(lib);
        return sc_diag_set(diag, SC_EIO, "cannot create %s: %s", dir, strerror(errno));
    }
    enum sc_err e = store_open(lib, !exists, diag);
    if (e == SC_OK)
        e = sc_index_attach(lib, diag);
    if (e != SC_OK) {
        library_free(lib);
        return e;
    }
    *out = lib;
    return SC_OK;
}

void sc_library_close(struct sc_library *lib)
{
    library_free(lib);
}
