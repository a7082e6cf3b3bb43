/*
 * The worker stage of an import (import_int.h): per file
 *   read (size limit) -> SHA-256 -> decode (lib/ingest) -> 公文 parse
 *   (lib/gongwen) -> per article: normalised text, its SHA-256, SimHash
 *   -> the original bytes compressed (zstd) for the store.
 * Nothing here touches the library, so any number of files can be
 * prepared at once; the writer in import.c stores them in order.
 *
 * The workers run at a lower priority (WORKER_NICE) than the writer and
 * the index's background builder: those two are the serial stages of an
 * import, and the workers are many and run ahead. At equal priority the
 * workers took most of the CPU, the index fell behind, and an import
 * ended with a second or so of the index catching up on one core
 * (docs/internals/ingest.md has the figures).
 */
#include "import_int.h"

#include "base/ztext.h"
#include "sucai/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zstd.h>

#define SC_PREP_AHEAD 32
#define WORKER_NICE 5
#define SC_PREP_BUDGET (256u << 20)

uint64_t sc_sha_prefix(const char *sha)
{
    uint64_t v = 0;
    for (int i = 0; i < 16 && sha[i]; i++) {
        char c = sha[i];
        v = v << 4 | (uint64_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v;
}

int sc_sha_set_contains(const struct sc_sha_set *s, const char sha[65])
{
    if (!s || !s->n)
        return 0;
    uint64_t k = sc_sha_prefix(sha);
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->v[mid] < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->n && s->v[lo] == k;
}

void sc_prep_init(struct sc_prepared *p)
{
    memset(p, 0, sizeof *p);
    sc_ingested_init(&p->in);
}

void sc_prep_release(struct sc_prepared *p)
{
    if (p->own_data)
        free(p->data);
    sc_ingested_release(&p->in);
    if (p->arts)
        for (size_t i = 0; i < p->parsed.narticles; i++) {
            sc_buf_release(&p->arts[i].norm);
            free(p->arts[i].z);
        }
    free(p->arts);
    sc_parsed_release(&p->parsed);
    free(p->z);
    sc_prep_init(p);
}

static void refused(struct sc_prepared *p, const char *reason)
{
    p->state = SC_PREP_REFUSED;
    snprintf(p->reason, sizeof p->reason, "%s", reason);
}

void sc_prep_decode(struct sc_prepared *p)
{
    const char *name = strrchr(p->path, '/');
    name = name ? name + 1 : p->path;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_ingest_bytes(name, p->data, p->len, &p->in, &d);
    if (e == SC_OK)
        e = sc_gongwen_parse(p->in.text.data, p->in.text.len, p->in.title_hint, &p->parsed, &d);
    if (e == SC_ENOMEM) {
        p->state = SC_PREP_NOMEM;
        return;
    }
    if (e != SC_OK) {
        refused(p, d.msg[0] ? d.msg : sc_strerror(e));
        return;
    }
    size_t n = p->parsed.narticles;
    p->arts = sc_calloc(n ? n : 1, sizeof *p->arts);
    if (!p->arts) {
        p->state = SC_PREP_NOMEM;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const struct sc_article *a = &p->parsed.articles[i];
        struct sc_prep_article *pa = &p->arts[i];
        sc_buf_init(&pa->norm);
        size_t ncp = sc_utf8_count(a->text.data, a->text.len);
        if (ncp > SC_MAX_DOC_CHARS) {
            char why[160];
            snprintf(why, sizeof why,
                     "document too long (%zu characters; the limit is %u a document): split the file",
                     ncp, SC_MAX_DOC_CHARS);
            refused(p, why);
            return;
        }
        if (sc_normalize(a->text.data, a->text.len, &pa->norm, NULL) != SC_OK) {
            p->state = SC_PREP_NOMEM;
            return;
        }
        sc_sha256_hex(pa->norm.data, pa->norm.len, pa->nsha);
        pa->simhash = sc_simhash(pa->norm.data, pa->norm.len);
        pa->chars = 0;
        for (size_t k = 0; k < a->text.len; k++)
            pa->chars += ((unsigned char)a->text.data[k] & 0xC0) != 0x80 && a->text.data[k] != '\n';
        /* packed here, in the preparing thread, not by the one writer */
        if (sc_ztext_pack(a->text.data, a->text.len, &pa->z, &pa->zlen) != SC_OK) {
            p->state = SC_PREP_NOMEM;
            return;
        }
    }
    p->state = SC_PREP_READY;
}

int sc_prep_compress(struct sc_prepared *p, void *zctx)
{
    if (p->z)
        return 0;
    /* zstd level 1: the ratio of zlib's fastest level at a quarter of
     * its CPU (on the corpus 0.3 s instead of 1.4 s for 81 MB) */
    size_t cap = ZSTD_compressBound(p->len);
    if (!(p->z = sc_malloc(cap ? cap : 1)))
        return -1;
    size_t zlen = zctx ? ZSTD_compressCCtx(zctx, p->z, cap, p->data, p->len, 1)
                       : ZSTD_compress(p->z, cap, p->data, p->len, 1);
    if (ZSTD_isError(zlen)) { /* with a bound-sized buffer: only for want of memory */
        free(p->z);
        p->z = NULL;
        return -1;
    }
    p->zlen = zlen;
    return 0;
}

void sc_prep_bytes(struct sc_prepared *p, const char *path, const void *data, size_t len,
                   const struct sc_sha_set *known)
{
    p->path = path;
    p->data = (char *)data;
    p->len = len;
    p->bytes = len;
    sc_sha256_hex(data, len, p->sha);
    if (sc_sha_set_contains(known, p->sha)) {
        p->state = SC_PREP_KNOWN;
        return;
    }
    sc_prep_decode(p);
}

/* Prepare files->paths[i] into p. */
static void prep_file(struct sc_prepared *p, const struct sc_file_list *files, size_t i,
                      const struct sc_sha_set *known, ZSTD_CCtx *zctx)
{
    p->path = files->paths[i];
    if (files->errors[i]) {
        refused(p, files->errors[i]);
        return;
    }
    char *data;
    size_t len;
    struct sc_diag d = { 0 };
    enum sc_err e = sc_read_file(p->path, SC_MAX_FILE_BYTES, &data, &len, &d);
    if (e == SC_ENOMEM) {
        p->state = SC_PREP_NOMEM;
        return;
    }
    if (e != SC_OK) {
        refused(p, d.msg);
        return;
    }
    sc_prep_bytes(p, p->path, data, len, known);
    p->own_data = 1;
    if (p->state == SC_PREP_READY && sc_prep_compress(p, zctx))
        p->state = SC_PREP_NOMEM;
}

/* ---- the workers ---- */

static void *worker_main(void *arg)
{
    /* a compression context of its own: made once, not per file */
    ZSTD_CCtx *zctx = ZSTD_createCCtx(); /* NULL: ZSTD_compress makes one per call */
    pthread_setname_np(pthread_self(), "sucai-prepare");
    /* Linux: the nice value of this thread alone; lowering it needs no
     * privilege, and failing changes nothing but the schedule */
    (void)setpriority(PRIO_PROCESS, (id_t)gettid(), WORKER_NICE);
    struct sc_prep_pool *pp = arg;
    pthread_mutex_lock(&pp->lock);
    for (;;) {
        /* stay within the ring and, unless the writer waits for the very
         * next file, within the byte budget */
        while (!pp->stop && pp->claimed < pp->files->n &&
               (pp->claimed >= pp->consumed + pp->nslot ||
                (pp->inflight_bytes > SC_PREP_BUDGET && pp->claimed > pp->consumed))) {
            pp->workers_waiting++;
            pthread_cond_wait(&pp->room, &pp->lock);
            pp->workers_waiting--;
        }
        if (pp->stop || pp->claimed >= pp->files->n)
            break;
        size_t i = pp->claimed++;
        pthread_mutex_unlock(&pp->lock);
        struct sc_prepared *p = &pp->slot[i % pp->nslot];
        sc_prep_release(p); /* what the writer left: freed here, off its path */
        prep_file(p, pp->files, i, pp->known, zctx);
        pthread_mutex_lock(&pp->lock);
        pp->inflight_bytes += p->len;
        pp->ready[i % pp->nslot] = 1;
        if (pp->writer_waits == i)
            pthread_cond_signal(&pp->done);
    }
    pthread_mutex_unlock(&pp->lock);
    ZSTD_freeCCtx(zctx);
    return NULL;
}

int sc_prep_pool_start(struct sc_prep_pool *pp, const struct sc_file_list *files,
                       const struct sc_sha_set *known, size_t nthreads)
{
    memset(pp, 0, sizeof *pp);
    pp->files = files;
    pp->known = known;
    pp->nslot = SC_PREP_AHEAD;
    pp->slot = sc_calloc(pp->nslot, sizeof *pp->slot);
    pp->ready = sc_calloc(pp->nslot, 1);
    if (!pp->slot || !pp->ready) {
        free(pp->slot);
        free(pp->ready);
        return -1;
    }
    for (size_t i = 0; i < pp->nslot; i++)
        sc_prep_init(&pp->slot[i]);
    pp->writer_waits = SIZE_MAX;
    pthread_mutex_init(&pp->lock, NULL);
    pthread_cond_init(&pp->room, NULL);
    pthread_cond_init(&pp->done, NULL);
    if (nthreads > sizeof pp->thread / sizeof pp->thread[0])
        nthreads = sizeof pp->thread / sizeof pp->thread[0];
    if (nthreads > files->n)
        nthreads = files->n;
    for (size_t t = 0; t < nthreads; t++) {
        if (pthread_create(&pp->thread[t], NULL, worker_main, pp) != 0)
            break; /* fewer workers (or none: the writer prepares inline) */
        pp->nthread++;
    }
    return 0;
}

struct sc_prepared *sc_prep_pool_get(struct sc_prep_pool *pp, size_t i)
{
    struct sc_prepared *p = &pp->slot[i % pp->nslot];
    if (!pp->nthread) {
        sc_prep_release(p);
        prep_file(p, pp->files, i, pp->known, NULL);
        return p;
    }
    pthread_mutex_lock(&pp->lock);
    while (!pp->ready[i % pp->nslot]) {
        pp->writer_waits = i;
        pthread_cond_wait(&pp->done, &pp->lock);
    }
    pp->writer_waits = SIZE_MAX;
    pthread_mutex_unlock(&pp->lock);
    return p;
}

void sc_prep_pool_put(struct sc_prep_pool *pp, size_t i)
{
    /* the slot's memory is freed by the worker that reuses it, off the
     * writer's path */
    size_t len = pp->slot[i % pp->nslot].len;
    pthread_mutex_lock(&pp->lock);
    pp->ready[i % pp->nslot] = 0;
    pp->inflight_bytes -= pp->nthread ? len : 0;
    pp->consumed = i + 1;
    /* waiting workers are woken when half the ring is free, not at every
     * file: each wake-up would take the writer's core for a moment */
    if (pp->workers_waiting && pp->claimed - pp->consumed <= pp->nslot / 2)
        pthread_cond_broadcast(&pp->room);
    pthread_mutex_unlock(&pp->lock);
}

void sc_prep_pool_finish(struct sc_prep_pool *pp)
{
    pthread_mutex_lock(&pp->lock);
    pp->stop = 1;
    pthread_cond_broadcast(&pp->room);
    pthread_mutex_unlock(&pp->lock);
    for (size_t t = 0; t < pp->nthread; t++)
        pthread_join(pp->thread[t], NULL);
    for (size_t i = 0; i < pp->nslot; i++)
        sc_prep_release(&pp->slot[i]);
    pthread_mutex_destroy(&pp->lock);
    pthread_cond_destroy(&pp->room);
    pthread_cond_destroy(&pp->done);
    free(pp->slot);
    free(pp->ready);
    memset(pp, 0, sizeof *pp);
}
