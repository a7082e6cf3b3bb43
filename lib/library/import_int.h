/*
 * Import internals shared by walk.c, prepare.c and import.c.
 *
 * An import runs in two stages. Workers (prepare.c) read each file and do
 * everything that needs no library: SHA-256, decoding, the 公文 parse,
 * normalisation, fingerprints and compression. The one writer (import.c)
 * takes the prepared files in list order and stores each, all or nothing,
 * in a savepoint of a transaction committed every 50 ms. So ids still
 * follow the order of the list, and the CPU work of one file overlaps the
 * SQLite writes of the ones before.
 */
#ifndef SUCAI_IMPORT_INT_H
#define SUCAI_IMPORT_INT_H

#include "sucai/gongwen.h"
#include "sucai/ingest.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/* ---- walk.c: the list of files to import ---- */

struct sc_file_list {
    char **paths;
    char **errors; /* per path: NULL, or why it cannot be imported (walk errors) */
    size_t n, cap;
};

/* Add path (a file, or a folder walked recursively). -1 only when memory
 * runs out; unreadable paths are added with their reason. */
int sc_file_list_add_path(struct sc_file_list *l, const char *path);
void sc_file_list_free(struct sc_file_list *l);

/* ---- prepare.c: one file made ready for the store ---- */

struct sc_prep_article {
    struct sc_buf norm; /* the article's normalised text */
    char nsha[65];      /* SHA-256 of norm: exact duplicates */
    uint64_t simhash;   /* near-duplicate fingerprint of norm */
    int64_t chars;      /* code points of the article's text, '\n' not counted */
    char *z;            /* the text packed for documents.text (sc_ztext_pack), owned */
    size_t zlen;
};

enum sc_prep_state {
    SC_PREP_READY,   /* decoded and parsed: store it */
    SC_PREP_KNOWN,   /* its SHA-256 was in the library when the batch began: not decoded */
    SC_PREP_REFUSED, /* reason says why */
    SC_PREP_NOMEM,   /* memory ran out: the batch stops */
};

struct sc_prepared {
    enum sc_prep_state state;
    const char *path;       /* borrowed (the file list's, or the caller's name) */
    char reason[600];       /* SC_PREP_REFUSED */
    uint64_t bytes;         /* the file's size as reported (0 when it could not be read) */
    char *data;             /* the file's bytes: owned if own_data, else borrowed */
    size_t len;
    int own_data;
    char sha[65];
    struct sc_ingested in;
    struct sc_parsed parsed;
    struct sc_prep_article *arts; /* parsed.narticles of them, owned */
    unsigned char *z;             /* the bytes compressed (zstd) for the store, owned */
    size_t zlen;
};

/* SHA-256s (their first 64 bits) of the sources stored when a batch began:
 * a worker skips decoding a file seen before. Read-only once built. */
struct sc_sha_set {
    uint64_t *v; /* sorted */
    size_t n;
};
int sc_sha_set_contains(const struct sc_sha_set *s, const char sha[65]);
uint64_t sc_sha_prefix(const char *sha);

void sc_prep_init(struct sc_prepared *p);
/* Free what p owns; p can be prepared again. */
void sc_prep_release(struct sc_prepared *p);
/* Prepare a file from memory: data is borrowed and must outlive p. */
void sc_prep_bytes(struct sc_prepared *p, const char *path, const void *data, size_t len,
                   const struct sc_sha_set *known);
/* Compress p's bytes for the store into p->z (once), with the zstd
 * context zctx (a ZSTD_CCtx *) or, if NULL, a new one. -1 if out of memory. */
int sc_prep_compress(struct sc_prepared *p, void *zctx);
/* Decode and parse p's bytes (after SC_PREP_KNOWN turned out not to be a
 * duplicate after all). */
void sc_prep_decode(struct sc_prepared *p);

/*
 * The workers: files[i] is prepared into a ring of slots at most
 * SC_PREP_AHEAD files (and about SC_PREP_BUDGET bytes) ahead of the
 * writer. With no threads (or if they cannot start) sc_prep_pool_get
 * prepares inline, so the writer's code is the same either way.
 */
struct sc_prep_pool {
    const struct sc_file_list *files;
    const struct sc_sha_set *known;
    struct sc_prepared *slot;
    unsigned char *ready; /* per slot */
    size_t nslot;
    size_t claimed;  /* files handed to workers so far */
    size_t consumed; /* files the writer is done with */
    uint64_t inflight_bytes;
    int stop;
    pthread_t thread[8];
    size_t nthread;
    pthread_mutex_t lock;
    pthread_cond_t room;    /* workers wait here for a free slot */
    pthread_cond_t done;    /* the writer waits here for file writer_waits */
    size_t workers_waiting;
    size_t writer_waits;    /* SIZE_MAX when the writer is not waiting */
};

/* Start up to nthreads workers (0: prepare inline). -1 if out of memory. */
int sc_prep_pool_start(struct sc_prep_pool *pp, const struct sc_file_list *files,
                       const struct sc_sha_set *known, size_t nthreads);
/* File i, prepared; files are taken in order. The result stays valid
 * until sc_prep_pool_put(pp, i), which hands the slot back (a worker
 * frees its contents before preparing the next file into it). */
struct sc_prepared *sc_prep_pool_get(struct sc_prep_pool *pp, size_t i);
void sc_prep_pool_put(struct sc_prep_pool *pp, size_t i);
/* Stop the workers, wait for them, free everything. */
void sc_prep_pool_finish(struct sc_prep_pool *pp);

#endif
