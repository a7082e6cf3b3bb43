/*
 * 提纲 (include/sucai/skeleton.h): the level-1 skeletons of a 文种.
 *
 * Once per index snapshot the headings of every document's level-1 and
 * level-2 sections are read from the segments' records and interned: each
 * distinct heading text (a "variant", e.g. 存在的问题) belongs to one
 * cluster (sc_heading_key: #problems). A request then only counts small
 * integers over the documents of the genre (and query):
 *   1. per cluster, the documents whose level-1 headings hold it;
 *   2. the common clusters: held by at least max(2, 5 %) of them;
 *   3. a document's skeleton is the sequence of its common level-1
 *      clusters; equal skeletons are counted, examples kept newest first;
 *   4. for the headings shown, the clusters of the level-2 headings under
 *      them, per document.
 */
#include "search/engine.h"

#include "library/library_int.h"
#include "sucai/json.h"
#include "sucai/skeleton.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define COMMON_SHARE 0.05
#define SKEL_MAX_LEN 24 /* clusters in one skeleton, at most */
#define EXAMPLES     3
#define SUBS_SHOWN   5

struct sk_var {
    uint32_t off, len; /* display text in strs */
    uint32_t cluster;
};

struct sk_clu {
    uint32_t off, len; /* key in strs */
};

struct sk_sec {
    uint32_t var;
    uint8_t level; /* 1 or 2 */
    uint8_t paid;  /* the heading lies in the document's paid part */
};

/* May a caller see a heading (paid: it lies in a paid part)? The one place
 * 提纲 decides what of paid text an answer may show. */
static int heading_shown(int entitled, int paid)
{
    return entitled || !paid;
}

struct sc_skel_cache {
    struct sc_buf strs;
    struct sk_var *var;
    size_t nvar, capvar;
    struct sk_clu *clu;
    size_t nclu, capclu;
    uint32_t *vslot, *cslot; /* hash tables: index + 1 */
    size_t nvslot, ncslot;
    uint32_t *dstart; /* per ordinal, into secs; ndocs + 1 */
    struct sk_sec *secs;
    size_t nsecs, capsecs;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

void sc_snap_skeleton_free(struct sc_snap *s)
{
    struct sc_skel_cache *c = s->skel;
    if (!c)
        return;
    sc_buf_release(&c->strs);
    free(c->var);
    free(c->clu);
    free(c->vslot);
    free(c->cslot);
    free(c->dstart);
    free(c->secs);
    free(c);
    s->skel = NULL;
}

/* Intern a string in one of the tables; returns index or -1. kind 0:
 * variants (with their cluster), 1: clusters. */
static int64_t intern(struct sc_skel_cache *c, int kind, const char *p, size_t n, uint32_t cluster)
{
    uint32_t **slot = kind ? &c->cslot : &c->vslot;
    size_t *nslot = kind ? &c->ncslot : &c->nvslot;
    size_t count = kind ? c->nclu : c->nvar;
    if ((count + 1) * 2 > *nslot) {
        size_t ns = *nslot ? *nslot * 2 : 1024;
        uint32_t *t = sc_calloc(ns, sizeof *t);
        if (!t)
            return -1;
        for (size_t i = 0; i < count; i++) {
            uint32_t off = kind ? c->clu[i].off : c->var[i].off;
            uint32_t len = kind ? c->clu[i].len : c->var[i].len;
            size_t h = hash_bytes(c->strs.data + off, len) & (ns - 1);
            while (t[h])
                h = (h + 1) & (ns - 1);
            t[h] = (uint32_t)i + 1;
        }
        free(*slot);
        *slot = t;
        *nslot = ns;
    }
    size_t h = hash_bytes(p, n) & (*nslot - 1);
    for (;; h = (h + 1) & (*nslot - 1)) {
        uint32_t s = (*slot)[h];
        if (!s)
            break;
        uint32_t off = kind ? c->clu[s - 1].off : c->var[s - 1].off;
        uint32_t len = kind ? c->clu[s - 1].len : c->var[s - 1].len;
        if (len == n && !memcmp(c->strs.data + off, p, n))
            return s - 1;
    }
    if (kind) {
        if (c->nclu == c->capclu) {
            size_t nc = c->capclu ? c->capclu * 2 : 1024;
            struct sk_clu *x = sc_reallocarray(c->clu, nc, sizeof *x);
            if (!x)
                return -1;
            c->clu = x;
            c->capclu = nc;
        }
        c->clu[c->nclu] = (struct sk_clu){ (uint32_t)c->strs.len, (uint32_t)n };
    } else {
        if (c->nvar == c->capvar) {
            size_t nc = c->capvar ? c->capvar * 2 : 1024;
            struct sk_var *x = sc_reallocarray(c->var, nc, sizeof *x);
            if (!x)
                return -1;
            c->var = x;
            c->capvar = nc;
        }
        c->var[c->nvar] = (struct sk_var){ (uint32_t)c->strs.len, (uint32_t)n, cluster };
    }
    sc_buf_add(&c->strs, p, n);
    if (sc_buf_err(&c->strs) != SC_OK)
        return -1;
    (*slot)[h] = (uint32_t)(kind ? ++c->nclu : ++c->nvar);
    return (int64_t)(kind ? c->nclu : c->nvar) - 1;
}

/* The heading of a section record (its label and heading, one after the
 * other), without the label. */
static struct sc_str heading_of(const struct sc_ssec *s)
{
    size_t k = sc_heading_label_len(s->name.p, s->name.len);
    return (struct sc_str){ s->name.p + k, s->name.len - k };
}

static enum sc_err build(const struct sc_snap *s, struct sc_skel_cache **out, struct sc_diag *diag)
{
    struct sc_skel_cache *c = sc_calloc(1, sizeof *c);
    if (!c || !(c->dstart = sc_malloc(((size_t)s->ndocs + 1) * sizeof *c->dstart))) {
        free(c);
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    }
    int bad = 0;
    uint32_t ord = 0;
    for (size_t si = 0; si < s->nseg && !bad; si++)
        for (uint32_t d = 0; d < s->segs[si]->ndocs && !bad; d++, ord++) {
            c->dstart[ord] = (uint32_t)c->nsecs;
            const struct sc_sdoc *doc = &s->segs[si]->docs[d];
            for (uint32_t k = 0; k < doc->nsec && !bad; k++) {
                const struct sc_ssec *x = &doc->sec[k];
                if (x->level != 1 && x->level != 2)
                    continue;
                struct sc_str h = heading_of(x);
                char key[SC_HEADING_KEY_MAX];
                size_t kl = sc_heading_key(h.p, h.len, key);
                if (!kl)
                    continue;
                int64_t cl = intern(c, 1, key, kl, 0);
                int64_t v = cl < 0 ? -1 : intern(c, 0, h.p, h.len, (uint32_t)cl);
                if (v < 0) {
                    bad = 1;
                    break;
                }
                if (c->nsecs == c->capsecs) {
                    size_t nc = c->capsecs ? c->capsecs * 2 : 4096;
                    struct sk_sec *ns = sc_reallocarray(c->secs, nc, sizeof *ns);
                    if (!ns) {
                        bad = 1;
                        break;
                    }
                    c->secs = ns;
                    c->capsecs = nc;
                }
                int paid = doc->paid_from >= 0 && (int64_t)x->ostart >= doc->paid_from &&
                           (doc->paid_to < 0 || (int64_t)x->ostart < doc->paid_to);
                c->secs[c->nsecs++] = (struct sk_sec){ (uint32_t)v, x->level, (uint8_t)paid };
            }
        }
    c->dstart[ord] = (uint32_t)c->nsecs;
    if (bad) {
        struct sc_snap tmp = { 0 };
        tmp.skel = c;
        sc_snap_skeleton_free(&tmp);
        return sc_diag_set(diag, SC_ENOMEM, "out of memory reading the headings");
    }
    *out = c;
    return SC_OK;
}

/* ---------------------------------------------------------------- a request */

struct skel {
    uint64_t hash;
    uint32_t off, len; /* cluster ids in seqs */
    uint32_t count;
    uint32_t ex[EXAMPLES];
    uint32_t nex;
};

struct pairc {
    uint64_t key;   /* (top index + 1) << 32 | child cluster; 0 = empty */
    uint32_t count; /* documents */
    uint32_t last;  /* the last document counted (ordinal + 1) */
    uint32_t var;   /* the child's heading as the newest document writes it */
};

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

struct idset {
    int64_t *ids;
    size_t n, cap;
    int oom;
};

static int add_ids(void *ctx, size_t qi, const int64_t *ids, size_t n)
{
    (void)qi;
    struct idset *s = ctx;
    int64_t *x = sc_reallocarray(s->ids, s->n + n, sizeof *x);
    if (!x) {
        s->oom = 1;
        return 1;
    }
    s->ids = x;
    memcpy(s->ids + s->n, ids, n * sizeof *ids);
    s->n += n;
    return 0;
}

/* The label of cluster c among the counted variants: the most common, and
 * the second after a "/" when it is used a quarter as often. */
static void label_of(const struct sc_skel_cache *c, const uint32_t *vcount, const uint32_t *best,
                     uint32_t cl, struct sc_buf *out)
{
    uint32_t a = best[cl * 2], b = best[cl * 2 + 1];
    if (a == UINT32_MAX)
        return;
    sc_buf_add(out, c->strs.data + c->var[a].off, c->var[a].len);
    if (b != UINT32_MAX && vcount[b] * 4 >= vcount[a]) {
        sc_buf_addc(out, '/');
        sc_buf_add(out, c->strs.data + c->var[b].off, c->var[b].len);
    }
}

static int cmp_desc_count(const void *a, const void *b, void *ctx)
{
    const uint32_t *df = ctx;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (df[x] != df[y])
        return df[x] < df[y] ? 1 : -1;
    return (x > y) - (x < y);
}

static int cmp_skel(const void *a, const void *b)
{
    const struct skel *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return (x->off > y->off) - (x->off < y->off);
}

enum sc_err sc_outline_stats_json(struct sc_library *lib, const struct sc_skeleton_opts *o,
                                  struct sc_buf *out, struct sc_diag *diag)
{
    double t0 = now_ms();
    if (!o->genre || !*o->genre)
        return sc_diag_set(diag, SC_EINVAL, "a 文种 is needed (genre)");
    size_t nsk = o->skeletons ? o->skeletons : 10, nhd = o->headings ? o->headings : 20;
    if (nsk > 50)
        nsk = 50;
    if (nhd > 100)
        nhd = 100;
    struct sc_snap *s = sc_index_snap(lib, diag);
    if (!s)
        return diag && diag->err ? diag->err : SC_ESTORE;
    enum sc_err e = SC_OK;
    pthread_mutex_lock(&cache_lock);
    if (!s->skel)
        e = build(s, &s->skel, diag);
    pthread_mutex_unlock(&cache_lock);
    const struct sc_skel_cache *c = s->skel;
    /* the documents: of the genre, and of the query when there is one */
    uint8_t *in = e == SC_OK ? sc_calloc(s->ndocs ? s->ndocs : 1, 1) : NULL;
    if (e == SC_OK && !in)
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
    size_t glen = e == SC_OK ? strlen(o->genre) : 0;
    if (e == SC_OK && o->query && *o->query) {
        struct sc_buf qs = SC_BUF_INIT;
        sc_buf_adds(&qs, "genre:\"");
        for (const char *p = o->genre; *p; p++)
            if (*p != '"')
                sc_buf_addc(&qs, *p);
        sc_buf_adds(&qs, "\" (");
        sc_buf_adds(&qs, o->query);
        sc_buf_addc(&qs, ')');
        struct sc_query q;
        e = sc_buf_err(&qs) ? sc_diag_set(diag, SC_ENOMEM, "out of memory")
                            : sc_query_parse(qs.data, qs.len, &q, diag);
        if (e == SC_OK) {
            const struct sc_query *qp = &q;
            struct idset ids = { 0 };
            /* the documents the caller's query matches in the text it sees */
            const uint8_t vis = !o->entitled;
            e = sc_engine_match(s, &qp, 1, &vis, 0, add_ids, &ids, diag);
            if (e == SC_OK && ids.oom)
                e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
            /* ids and ordinals both ascend */
            size_t k = 0;
            uint32_t ord = 0;
            for (size_t si = 0; si < s->nseg && e == SC_OK; si++)
                for (uint32_t d = 0; d < s->segs[si]->ndocs; d++, ord++) {
                    while (k < ids.n && ids.ids[k] < s->segs[si]->docs[d].id)
                        k++;
                    in[ord] = k < ids.n && ids.ids[k] == s->segs[si]->docs[d].id;
                }
            free(ids.ids);
        }
        sc_query_release(&q);
        sc_buf_release(&qs);
    } else if (e == SC_OK) {
        uint32_t ord = 0;
        for (size_t si = 0; si < s->nseg; si++)
            for (uint32_t d = 0; d < s->segs[si]->ndocs; d++, ord++) {
                const struct sc_str32 *g = &s->segs[si]->docs[d].genre;
                in[ord] = g->len == glen && !memcmp(g->p, o->genre, glen);
            }
    }
    uint32_t *df = NULL, *stamp = NULL, *vcount = NULL, *best = NULL, *possum = NULL;
    int64_t *docid = NULL;
    const struct sc_sdoc **docp = NULL;
    if (e == SC_OK) {
        df = sc_calloc(c->nclu + 1, sizeof *df);
        stamp = sc_calloc(c->nclu + 1, sizeof *stamp);
        possum = sc_calloc(c->nclu + 1, sizeof *possum);
        vcount = sc_calloc(c->nvar + 1, sizeof *vcount);
        best = sc_malloc((c->nclu + 1) * 2 * sizeof *best);
        docid = sc_calloc(s->ndocs + 1, sizeof *docid);
        docp = sc_calloc(s->ndocs + 1, sizeof *docp);
        if (!df || !stamp || !possum || !vcount || !best || !docid || !docp)
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
    }
    size_t ndocs = 0, outlined = 0;
    /* pass 1: clusters per document, variants, places */
    uint32_t ord = 0;
    for (size_t si = 0; si < s->nseg && e == SC_OK; si++)
        for (uint32_t d = 0; d < s->segs[si]->ndocs; d++, ord++) {
            docid[ord] = s->segs[si]->docs[d].id;
            docp[ord] = &s->segs[si]->docs[d];
            if (!in[ord] || docid[ord] == o->exclude) {
                in[ord] = 0;
                continue;
            }
            ndocs++;
            uint32_t place = 0;
            for (uint32_t k = c->dstart[ord]; k < c->dstart[ord + 1]; k++) {
                if (c->secs[k].level != 1 || !heading_shown(o->entitled, c->secs[k].paid))
                    continue;
                place++;
                uint32_t v = c->secs[k].var, cl = c->var[v].cluster;
                vcount[v]++;
                if (stamp[cl] != ord + 1) {
                    stamp[cl] = ord + 1;
                    df[cl]++;
                    possum[cl] += place;
                }
            }
            outlined += place > 0;
        }
    /* the most used two variants of each cluster */
    for (size_t i = 0; e == SC_OK && i < c->nclu * 2; i++)
        best[i] = UINT32_MAX;
    for (size_t v = 0; e == SC_OK && v < c->nvar; v++) {
        if (!vcount[v])
            continue;
        uint32_t cl = c->var[v].cluster, *b = &best[cl * 2];
        if (b[0] == UINT32_MAX || vcount[v] > vcount[b[0]]) {
            b[1] = b[0];
            b[0] = (uint32_t)v;
        } else if (b[1] == UINT32_MAX || vcount[v] > vcount[b[1]]) {
            b[1] = (uint32_t)v;
        }
    }
    /* the headings shown: clusters by how many documents hold them */
    uint32_t *order = NULL;
    size_t nord = 0;
    if (e == SC_OK) {
        order = sc_malloc((c->nclu + 1) * sizeof *order);
        if (!order)
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
        for (size_t i = 0; order && i < c->nclu; i++)
            if (df[i])
                order[nord++] = (uint32_t)i;
        if (order)
            qsort_r(order, nord, sizeof *order, cmp_desc_count, df);
    }
    size_t shown = nord < nhd ? nord : nhd;
    uint32_t common = (uint32_t)(outlined * COMMON_SHARE);
    if (common < 2)
        common = 2;
    /* top index of each shown cluster (+1), for the sub-headings */
    uint32_t *topi = e == SC_OK ? sc_calloc(c->nclu + 1, sizeof *topi) : NULL;
    if (e == SC_OK && !topi)
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
    for (size_t i = 0; topi && i < shown; i++)
        topi[order[i]] = (uint32_t)i + 1;
    /* pass 2, newest first: skeletons and sub-headings */
    struct skel *sk = NULL;
    size_t nskel = 0, capskel = 0;
    uint32_t *seqs = NULL;
    size_t nseq = 0, capseq = 0;
    struct pairc *pc = NULL;
    size_t npc = 1u << 12, usedpc = 0;
    if (e == SC_OK && !(pc = sc_calloc(npc, sizeof *pc)))
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
    for (uint32_t od = s->ndocs; od-- > 0 && e == SC_OK;) {
        if (!in[od])
            continue;
        uint32_t seq[SKEL_MAX_LEN];
        size_t n = 0;
        uint32_t parent = 0; /* top index + 1 of the level-1 heading we are under */
        for (uint32_t k = c->dstart[od]; k < c->dstart[od + 1]; k++) {
            if (!heading_shown(o->entitled, c->secs[k].paid))
                continue;
            uint32_t cl = c->var[c->secs[k].var].cluster;
            if (c->secs[k].level == 1) {
                parent = topi[cl];
                if (df[cl] >= common && n < SKEL_MAX_LEN && (!n || seq[n - 1] != cl))
                    seq[n++] = cl;
                continue;
            }
            if (!parent)
                continue;
            uint64_t key = ((uint64_t)parent << 32) | cl;
            if ((usedpc + 1) * 2 > npc) {
                size_t nn = npc * 2;
                struct pairc *np = sc_calloc(nn, sizeof *np);
                if (!np) {
                    e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
                    break;
                }
                for (size_t i = 0; i < npc; i++)
                    if (pc[i].key) {
                        size_t h = (pc[i].key * 0x9E3779B97F4A7C15ULL) >> 20 & (nn - 1);
                        while (np[h].key)
                            h = (h + 1) & (nn - 1);
                        np[h] = pc[i];
                    }
                free(pc);
                pc = np;
                npc = nn;
            }
            size_t h = (key * 0x9E3779B97F4A7C15ULL) >> 20 & (npc - 1);
            while (pc[h].key && pc[h].key != key)
                h = (h + 1) & (npc - 1);
            if (!pc[h].key) {
                pc[h].key = key;
                pc[h].var = c->secs[k].var;
                usedpc++;
            }
            /* counted once per document */
            if (pc[h].last != od + 1) {
                pc[h].last = od + 1;
                pc[h].count++;
            }
        }
        if (!n || e != SC_OK)
            continue;
        uint64_t hv = hash_bytes((const char *)seq, n * sizeof *seq);
        size_t i = 0;
        for (; i < nskel; i++)
            if (sk[i].hash == hv && sk[i].len == n &&
                !memcmp(seqs + sk[i].off, seq, n * sizeof *seq))
                break;
        if (i == nskel) {
            if (nskel == capskel) {
                size_t nc = capskel ? capskel * 2 : 256;
                struct skel *ns = sc_reallocarray(sk, nc, sizeof *ns);
                if (!ns) {
                    e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
                    break;
                }
                sk = ns;
                capskel = nc;
            }
            if (nseq + n > capseq) {
                size_t nc = (capseq + n) * 2;
                uint32_t *nq = sc_reallocarray(seqs, nc, sizeof *nq);
                if (!nq) {
                    e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
                    break;
                }
                seqs = nq;
                capseq = nc;
            }
            memcpy(seqs + nseq, seq, n * sizeof *seq);
            sk[nskel++] = (struct skel){ hv, (uint32_t)nseq, (uint32_t)n, 0, { 0 }, 0 };
            nseq += n;
        }
        sk[i].count++;
        if (sk[i].nex < EXAMPLES)
            sk[i].ex[sk[i].nex++] = od;
    }
    if (e == SC_OK && nskel)
        qsort(sk, nskel, sizeof *sk, cmp_skel);
    if (e == SC_OK) {
        struct sc_jw w;
        sc_jw_init(&w, out);
        sc_jw_obj(&w, SC_JW_INLINE);
        sc_jw_kstrz(&w, "genre", o->genre);
        sc_jw_kstrz(&w, "query", o->query && *o->query ? o->query : NULL);
        sc_jw_kint(&w, "docs", (int64_t)ndocs);
        sc_jw_kint(&w, "outlined", (int64_t)outlined);
        struct sc_buf lab = SC_BUF_INIT;
        sc_jw_key(&w, "skeletons");
        sc_jw_arr(&w, SC_JW_INLINE);
        for (size_t i = 0; i < nskel && i < nsk; i++) {
            sc_jw_obj(&w, SC_JW_INLINE);
            sc_jw_key(&w, "headings");
            sc_jw_arr(&w, SC_JW_INLINE);
            for (uint32_t k = 0; k < sk[i].len; k++) {
                sc_buf_reset(&lab);
                label_of(c, vcount, best, seqs[sk[i].off + k], &lab);
                sc_jw_str(&w, lab.data, lab.len);
            }
            sc_jw_arr_end(&w);
            sc_jw_key(&w, "keys");
            sc_jw_arr(&w, SC_JW_INLINE);
            for (uint32_t k = 0; k < sk[i].len; k++) {
                const struct sk_clu *x = &c->clu[seqs[sk[i].off + k]];
                sc_jw_str(&w, c->strs.data + x->off, x->len);
            }
            sc_jw_arr_end(&w);
            sc_jw_kint(&w, "count", sk[i].count);
            sc_jw_knum(&w, "share", outlined ? (double)sk[i].count / (double)outlined : 0, 3);
            sc_jw_key(&w, "examples");
            sc_jw_arr(&w, SC_JW_INLINE);
            for (uint32_t k = 0; k < sk[i].nex; k++) {
                const struct sc_sdoc *dd = docp[sk[i].ex[k]];
                sc_jw_obj(&w, SC_JW_INLINE);
                sc_jw_kint(&w, "id", dd->id);
                sc_jw_kstr(&w, "title", dd->title.p, dd->title.len);
                sc_jw_obj_end(&w);
            }
            sc_jw_arr_end(&w);
            sc_jw_obj_end(&w);
        }
        sc_jw_arr_end(&w);
        sc_jw_key(&w, "headings");
        sc_jw_arr(&w, SC_JW_INLINE);
        for (size_t i = 0; i < shown; i++) {
            uint32_t cl = order[i];
            sc_jw_obj(&w, SC_JW_INLINE);
            sc_jw_kstr(&w, "key", c->strs.data + c->clu[cl].off, c->clu[cl].len);
            sc_buf_reset(&lab);
            label_of(c, vcount, best, cl, &lab);
            sc_jw_kstr(&w, "label", lab.data, lab.len);
            sc_jw_key(&w, "variants");
            sc_jw_arr(&w, SC_JW_INLINE);
            for (int k = 0; k < 2; k++) {
                uint32_t v = best[cl * 2 + k];
                if (v == UINT32_MAX)
                    continue;
                sc_jw_obj(&w, SC_JW_INLINE);
                sc_jw_kstr(&w, "text", c->strs.data + c->var[v].off, c->var[v].len);
                sc_jw_kint(&w, "count", vcount[v]);
                sc_jw_obj_end(&w);
            }
            sc_jw_arr_end(&w);
            sc_jw_kint(&w, "count", df[cl]);
            sc_jw_knum(&w, "share", outlined ? (double)df[cl] / (double)outlined : 0, 3);
            sc_jw_knum(&w, "position", df[cl] ? (double)possum[cl] / df[cl] : 0, 1);
            /* its usual sub-headings: the children counted under it */
            uint32_t subc[SUBS_SHOWN], subn[SUBS_SHOWN], subv[SUBS_SHOWN];
            size_t ns = 0;
            for (size_t h = 0; h < npc; h++) {
                if (!pc[h].key || (pc[h].key >> 32) != i + 1)
                    continue;
                uint32_t child = (uint32_t)pc[h].key, cnt = pc[h].count;
                size_t at = ns;
                while (at > 0 && subn[at - 1] < cnt)
                    at--;
                if (at >= SUBS_SHOWN)
                    continue;
                if (ns < SUBS_SHOWN)
                    ns++;
                memmove(&subc[at + 1], &subc[at], (ns - 1 - at) * sizeof *subc);
                memmove(&subn[at + 1], &subn[at], (ns - 1 - at) * sizeof *subn);
                memmove(&subv[at + 1], &subv[at], (ns - 1 - at) * sizeof *subv);
                subc[at] = child;
                subn[at] = cnt;
                subv[at] = pc[h].var;
            }
            sc_jw_key(&w, "subheadings");
            sc_jw_arr(&w, SC_JW_INLINE);
            for (size_t k = 0; k < ns; k++) {
                sc_jw_obj(&w, SC_JW_INLINE);
                sc_jw_kstr(&w, "key", c->strs.data + c->clu[subc[k]].off, c->clu[subc[k]].len);
                /* a sub-heading's label: as its newest document writes it */
                sc_jw_kstr(&w, "label", c->strs.data + c->var[subv[k]].off, c->var[subv[k]].len);
                sc_jw_kint(&w, "count", subn[k]);
                sc_jw_knum(&w, "share", df[cl] ? (double)subn[k] / df[cl] : 0, 3);
                sc_jw_obj_end(&w);
            }
            sc_jw_arr_end(&w);
            sc_jw_obj_end(&w);
        }
        sc_jw_arr_end(&w);
        if (o->doc) {
            sc_jw_key(&w, "doc");
            sc_jw_obj(&w, SC_JW_INLINE);
            sc_jw_kint(&w, "id", o->doc);
            sc_jw_key(&w, "keys");
            sc_jw_arr(&w, SC_JW_INLINE);
            for (uint32_t od = 0; od < s->ndocs; od++) {
                if (docid[od] != o->doc)
                    continue;
                for (uint32_t k = c->dstart[od]; k < c->dstart[od + 1]; k++) {
                    if (c->secs[k].level != 1 || !heading_shown(o->entitled, c->secs[k].paid))
                        continue;
                    const struct sk_clu *x = &c->clu[c->var[c->secs[k].var].cluster];
                    sc_jw_str(&w, c->strs.data + x->off, x->len);
                }
            }
            sc_jw_arr_end(&w);
            sc_jw_obj_end(&w);
        }
        sc_jw_knum(&w, "took_ms", now_ms() - t0, 3);
        sc_jw_obj_end(&w);
        sc_buf_release(&lab);
        if (sc_jw_finish(&w) != SC_OK)
            e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
    }
    free(in);
    free(df);
    free(stamp);
    free(possum);
    free(vcount);
    free(best);
    free(docid);
    free(docp);
    free(order);
    free(topi);
    free(sk);
    free(seqs);
    free(pc);
    sc_index_snap_put(lib, s);
    return e;
}
