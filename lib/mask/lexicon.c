/*
 * Lexicons: the data files in lib/mask/data (divisions.tsv, persons.tsv;
 * "name<TAB>tag" lines sorted by UTF-8 bytes) searched in place. A longest match walks the sorted lines
 * like a trie: each further character narrows the range of lines that
 * start with the text so far (two binary searches), so no structure is
 * built beyond an index of line starts.
 */
#include "mask_int.h"

#include "base/data.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static struct lex lexes[2];
static const char *const lex_names[2] = { "divisions.tsv", "persons.tsv" };
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load_one(struct lex *x, const char *name)
{
    const struct sc_datafile *f = sc_data_get(name);
    if (!f)
        return;
    const char *p = (const char *)f->data, *end = p + f->len;
    size_t lines = 0;
    for (const char *q = p; q < end; q++)
        lines += *q == '\n';
    x->line = sc_malloc((lines + 1) * sizeof *x->line);
    x->namelen = sc_malloc(lines + 1);
    if (!x->line || !x->namelen) {
        free(x->line);
        free(x->namelen);
        x->line = NULL;
        x->namelen = NULL;
        return;
    }
    x->data = p;
    for (const char *q = p; q < end;) {
        const char *nl = memchr(q, '\n', (size_t)(end - q));
        const char *stop = nl ? nl : end;
        const char *tab = memchr(q, '\t', (size_t)(stop - q));
        size_t len = tab ? (size_t)(tab - q) : 0;
        if (len > 0 && len < 256) {
            x->line[x->n] = (uint32_t)(q - p);
            x->namelen[x->n++] = (unsigned char)len;
        }
        q = nl ? nl + 1 : end;
    }
    /* the range of each first character (lines are sorted, so UTF-8 order
     * of the first character is code point order) */
    x->first = sc_malloc(0x10001 * sizeof *x->first);
    if (!x->first)
        return;
    size_t k = 0;
    for (uint32_t c = 0; c <= 0x10000; c++) {
        while (k < x->n) {
            uint32_t fc;
            if (!sc_utf8_decode(p + x->line[k], x->namelen[k], &fc))
                fc = 0;
            if (fc >= c)
                break;
            k++;
        }
        x->first[c] = (uint32_t)k;
    }
}

static void load(void)
{
    for (int k = 0; k < 2; k++)
        load_one(&lexes[k], lex_names[k]);
}

const struct lex *lex_get(const char *name)
{
    pthread_once(&once, load);
    for (int k = 0; k < 2; k++)
        if (!strcmp(lex_names[k], name))
            return &lexes[k];
    return &lexes[0];
}

/* The name of line k and its length (up to the tab). */
static const char *name_of(const struct lex *x, size_t k, size_t *len)
{
    *len = x->namelen[k];
    return x->data + x->line[k];
}

/* First line in [lo, hi) whose name's first plen bytes are >= p (cmp < 0 ->
 * before). upper: first line whose prefix is > p. */
static size_t bound(const struct lex *x, size_t lo, size_t hi, const char *p, size_t plen,
                    int upper)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, nl;
        const char *s = name_of(x, mid, &nl);
        size_t m = nl < plen ? nl : plen;
        int c = memcmp(s, p, m);
        if (c == 0 && nl < plen)
            c = -1;
        if (c < 0 || (upper && c == 0))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t lex_longest(const struct lex *x, const struct mdoc *d, size_t i, size_t maxlen,
                   char *tag)
{
    size_t lo = 0, hi = x->n, best = 0;
    char buf[128];
    size_t blen = 0;
    *tag = 0;
    for (size_t k = 0; k < maxlen && i + k < d->n; k++) {
        uint32_t c = d->cp[i + k];
        if (c == '\n' || c == '\t' || blen + 4 > sizeof buf)
            break;
        blen += sc_utf8_encode(c, buf + blen);
        if (k == 0 && x->first && c < 0x10000) {
            lo = x->first[c];
            hi = x->first[c + 1];
        } else {
            lo = bound(x, lo, hi, buf, blen, 0);
            hi = bound(x, lo, hi, buf, blen, 1);
        }
        if (lo >= hi)
            break;
        size_t nl;
        const char *s = name_of(x, lo, &nl);
        if (nl == blen) {
            best = k + 1;
            *tag = s[nl + 1];
        }
    }
    return best;
}

char lex_tag(const struct lex *x, const struct mdoc *d, size_t i, size_t len)
{
    char tag;
    size_t n = lex_longest(x, d, i, len, &tag);
    if (n != len)
        return 0;
    return tag;
}
