/*
 * check_oracle: the brute-force truth for the 查重 benchmark.
 *
 *   check_oracle LIBRARY.db MIN DRAFT... > truth.jsonl
 *
 * Every window of MIN code points of every draft (normalised with the
 * project's own sc_normalize, inside one draft paragraph) is looked for in
 * every paragraph of every document of the store, exhaustively: each
 * library window's hash is looked up among the drafts' windows and a hit is
 * compared code point by code point. A draft character is copied when some
 * window covering it stands in the library; spans are the maximal runs of
 * copied characters (the definition of shared/corpus/writers/check/README.md),
 * with every document that holds a window of the span. One line per draft,
 * in the format of truth.jsonl there (offsets in code points of the file,
 * sources by document id). Memory: the drafts' windows, not the library's.
 */
#include "sucai/base.h"
#include "sucai/text.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

struct draft {
    const char *name;
    char *text;
    size_t len;
    uint32_t *cp;    /* normalised */
    uint32_t *obyte; /* original byte of each */
    size_t n;
    uint8_t *cov;   /* per normalised position */
    int64_t **docs; /* per window start: documents holding it (grown) */
    uint32_t *ndocs, *capdocs;
};

struct win {
    uint64_t h;
    uint32_t draft, pos, next;
};

static struct draft *D;
static size_t ND, MIN;
static struct win *W;
static size_t NW;
static uint32_t *HEAD;
static size_t MASK;

static uint64_t mix(uint32_t c)
{
    uint64_t x = (uint64_t)c * 0x9E3779B97F4A7C15ull;
    return x ^ (x >> 31);
}

static const uint64_t MUL = 0x100000001B3ull;

static uint32_t *decode(const char *s, size_t len, size_t *n)
{
    uint32_t *v = malloc((len + 1) * sizeof *v);
    if (!v)
        exit(2);
    *n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t k = sc_utf8_decode(s + i, len - i, &c);
        if (!k)
            k = 1, c = 0xFFFD;
        v[(*n)++] = c;
        i += k;
    }
    return v;
}

/* Calls fn(pos, hash) for every window of MIN inside one paragraph. */
#define WINDOWS(cp, n, ...)                      \
    do {                                         \
        uint64_t h_ = 0, pw_ = 1;                \
        for (size_t k_ = 1; k_ < MIN; k_++)      \
            pw_ *= MUL;                          \
        size_t run_ = 0;                         \
        for (size_t i_ = 0; i_ < (n); i_++) {    \
            if ((cp)[i_] == '\n') {              \
                run_ = 0;                        \
                h_ = 0;                          \
                continue;                        \
            }                                    \
            if (run_ == MIN)                     \
                h_ -= mix((cp)[i_ - MIN]) * pw_; \
            else                                 \
                run_++;                          \
            h_ = h_ * MUL + mix((cp)[i_]);       \
            if (run_ == MIN) {                   \
                size_t POS = i_ + 1 - MIN;       \
                uint64_t HASH = h_;              \
                __VA_ARGS__;                     \
            }                                    \
        }                                        \
    } while (0)

static void add_doc(struct draft *d, size_t pos, int64_t id)
{
    uint32_t n = d->ndocs[pos];
    if (n && d->docs[pos][n - 1] == id)
        return;
    if (n == d->capdocs[pos]) {
        uint32_t c = n ? n * 2 : 4;
        int64_t *nd = realloc(d->docs[pos], c * sizeof *nd);
        if (!nd)
            exit(2);
        d->docs[pos] = nd;
        d->capdocs[pos] = c;
    }
    d->docs[pos][d->ndocs[pos]++] = id;
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: check_oracle LIBRARY.db MIN DRAFT...\n");
        return 2;
    }
    MIN = (size_t)atoi(argv[2]);
    if (MIN < 2)
        return 2;
    ND = (size_t)argc - 3;
    D = calloc(ND, sizeof *D);
    size_t total = 0;
    for (size_t i = 0; i < ND; i++) {
        struct draft *d = &D[i];
        d->name = argv[i + 3];
        struct sc_diag dg = { 0 };
        if (sc_read_file(d->name, 64 << 20, &d->text, &d->len, &dg) != SC_OK) {
            fprintf(stderr, "check_oracle: %s: %s\n", d->name, dg.msg);
            return 2;
        }
        struct sc_buf nb = SC_BUF_INIT;
        uint32_t *map;
        if (sc_normalize(d->text, d->len, &nb, &map) != SC_OK)
            return 2;
        d->cp = decode(nb.data, nb.len, &d->n);
        d->obyte = malloc((d->n + 1) * sizeof *d->obyte);
        for (size_t b = 0, k = 0; b < nb.len; k++) {
            uint32_t c;
            size_t w = sc_utf8_decode(nb.data + b, nb.len - b, &c);
            d->obyte[k] = map[b];
            b += w ? w : 1;
        }
        d->obyte[d->n] = (uint32_t)d->len;
        free(map);
        sc_buf_release(&nb);
        d->cov = calloc(d->n + 1, 1);
        d->docs = calloc(d->n + 1, sizeof *d->docs);
        d->ndocs = calloc(d->n + 1, sizeof *d->ndocs);
        d->capdocs = calloc(d->n + 1, sizeof *d->capdocs);
        total += d->n;
    }
    size_t slots = 1 << 16;
    while (slots < total * 2)
        slots *= 2;
    MASK = slots - 1;
    HEAD = calloc(slots, sizeof *HEAD);
    W = malloc((total + 1) * sizeof *W);
    for (size_t i = 0; i < ND; i++)
        WINDOWS(D[i].cp, D[i].n, {
            size_t s = (size_t)(HASH ^ (HASH >> 29)) & MASK;
            W[NW] = (struct win){ HASH, (uint32_t)i, (uint32_t)POS, HEAD[s] };
            HEAD[s] = (uint32_t)++NW;
        });

    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT id, text FROM documents ORDER BY id", -1, &st, NULL) !=
            SQLITE_OK) {
        fprintf(stderr, "check_oracle: %s: %s\n", argv[1], sqlite3_errmsg(db));
        return 2;
    }
    size_t ndoc = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        const char *t = (const char *)sqlite3_column_blob(st, 1);
        size_t tl = (size_t)sqlite3_column_bytes(st, 1);
        char *unpacked = NULL; /* documents.text is a zstd frame since schema 2 */
        if (t && tl >= 4 && memcmp(t, "\x28\xB5\x2F\xFD", 4) == 0) {
            unsigned long long size = ZSTD_getFrameContentSize(t, tl);
            if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR ||
                !(unpacked = malloc(size + 1)) || ZSTD_decompress(unpacked, size, t, tl) != size) {
                fprintf(stderr, "check_oracle: document %lld: damaged text\n", (long long)id);
                return 2;
            }
            t = unpacked;
            tl = (size_t)size;
        }
        struct sc_buf nb = SC_BUF_INIT;
        if (sc_normalize(t ? t : "", t ? tl : 0, &nb, NULL) != SC_OK)
            return 2;
        free(unpacked);
        size_t n;
        uint32_t *L = decode(nb.data, nb.len, &n);
        WINDOWS(L, n, {
            for (uint32_t k = HEAD[(size_t)(HASH ^ (HASH >> 29)) & MASK]; k; k = W[k - 1].next) {
                const struct win *w = &W[k - 1];
                struct draft *d = &D[w->draft];
                if (w->h != HASH || memcmp(d->cp + w->pos, L + POS, MIN * sizeof *L) != 0)
                    continue;
                memset(d->cov + w->pos, 1, MIN);
                add_doc(d, w->pos, id);
            }
        });
        free(L);
        sc_buf_release(&nb);
        ndoc++;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    fprintf(stderr, "check_oracle: %zu drafts against %zu documents\n", ND, ndoc);

    for (size_t i = 0; i < ND; i++) {
        struct draft *d = &D[i];
        size_t chars = sc_utf8_count(d->text, d->len), copied = 0;
        struct sc_buf o = SC_BUF_INIT;
        const char *base = strrchr(d->name, '/');
        sc_buf_adds(&o, "{\"file\": ");
        sc_json_strz(&o, base ? base + 1 : d->name);
        sc_buf_addf(&o, ", \"chars\": %zu, \"spans\": [", chars);
        int first = 1;
        for (size_t a = 0; a < d->n;) {
            if (!d->cov[a]) {
                a++;
                continue;
            }
            size_t b = a;
            while (b < d->n && d->cov[b])
                b++;
            size_t sb = d->obyte[a], eb = d->obyte[b - 1];
            uint32_t c;
            size_t w = sc_utf8_decode(d->text + eb, d->len - eb, &c);
            eb += w ? w : 1;
            size_t s = sc_utf8_count(d->text, sb), e = s + sc_utf8_count(d->text + sb, eb - sb);
            copied += e - s;
            /* documents holding any window of the span */
            int64_t *ids = NULL;
            size_t nids = 0;
            for (size_t x = a; x + MIN <= b; x++) {
                ids = realloc(ids, (nids + d->ndocs[x] + 1) * sizeof *ids);
                memcpy(ids + nids, d->docs[x], d->ndocs[x] * sizeof *ids);
                nids += d->ndocs[x];
            }
            qsort(ids, nids, sizeof *ids, cmp64);
            sc_buf_addf(&o, "%s{\"start\": %zu, \"end\": %zu, \"sources\": [", first ? "" : ", ", s,
                        e);
            for (size_t x = 0, k = 0; x < nids; x++)
                if (!x || ids[x] != ids[x - 1])
                    sc_buf_addf(&o, "%s{\"id\": %lld}", k++ ? ", " : "", (long long)ids[x]);
            sc_buf_adds(&o, "]}");
            free(ids);
            first = 0;
            a = b;
        }
        sc_buf_addf(&o, "], \"overlap\": %.6f}\n", chars ? (double)copied / (double)chars : 0.0);
        fwrite(o.data, 1, o.len, stdout);
        sc_buf_release(&o);
    }
    return 0;
}
