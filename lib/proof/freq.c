/*
 * The shipped frequency list (lib/proof/data/freq.tsv, made by
 * tools/proof-freq from the seed corpus): "string<TAB>count" lines sorted by
 * bytes. Indexed once (thread-safe), then looked up by binary search.
 */
#include "proof_int.h"

#include "base/data.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct fentry {
    const char *s;
    uint32_t len;
    uint32_t count;
};

static struct fentry *entries;
static size_t nentries;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    const struct sc_datafile *f = sc_data_get("freq.tsv");
    if (!f)
        return;
    const char *p = (const char *)f->data, *end = p + f->len;
    size_t lines = 0;
    for (const char *q = p; q < end; q++)
        lines += *q == '\n';
    entries = sc_calloc(lines + 1, sizeof *entries);
    if (!entries)
        return; /* no list: every count is 0, rules stay conservative */
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            nl = end;
        const char *tab = memchr(p, '\t', (size_t)(nl - p));
        if (tab && tab > p) {
            unsigned long c = strtoul(tab + 1, NULL, 10);
            entries[nentries].s = p;
            entries[nentries].len = (uint32_t)(tab - p);
            entries[nentries].count = c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
            nentries++;
        }
        p = nl + 1;
    }
}

static int cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    int c = memcmp(a, b, n);
    if (c)
        return c;
    return alen < blen ? -1 : alen > blen;
}

int64_t freq_shipped(const char *s, size_t len)
{
    pthread_once(&once, load);
    size_t lo = 0, hi = nentries;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_bytes(entries[mid].s, entries[mid].len, s, len);
        if (c == 0)
            return entries[mid].count;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}
