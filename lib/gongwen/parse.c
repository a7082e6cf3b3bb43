/*
 * sc_gongwen_parse: one source's text in, its articles out. The steps:
 *  1. paywall markers (##paidbegin## / ##paidend##) are cut out of the
 *     text and remembered as events at their positions;
 *  2. the text is split into lines (blank lines only count line numbers);
 *  3. distributor boilerplate lines are judged (boiler.c);
 *  4. a 目录 block, if any, gives the article titles; each title found as a
 *     line after the 目录 starts an article (else the file is one article);
 *  5. each article's text is built (title line, then trimmed paragraphs)
 *     while the paywall events are turned into code-point offsets;
 *  6. outline (outline.c) and metadata (meta.c) per article.
 */
#include "gongwen_int.h"

#include <stdlib.h>
#include <string.h>

enum {
    NEAR_END_LINES = 8,
    TOC_MAX_ENTRIES = 1000,
    TOC_MAX_MISSES = 32,
    HINT_LOOKAHEAD = 8
};

enum line_flags {
    L_BOILER = 1 << 0, /* distributor boilerplate */
    L_TOC = 1 << 1,    /* the 目录 heading, its entries, a 汇编's own title */
    L_FRONT = 1 << 2,  /* text of a 汇编 outside any article */
};

/* A non-blank line; offsets into the marker-free text. */
struct line {
    uint32_t raw, raw_end; /* the whole line, '\n' excluded */
    uint32_t off, len;     /* trimmed content */
    uint32_t no;           /* 1-based line number in the source */
    uint32_t flags;
};

struct event {
    uint32_t off;  /* in the marker-free text */
    uint32_t line; /* first line with raw_end >= off (nlines: after the last) */
    int begin;     /* ##paidbegin## or ##paidend## */
};

/* An article to build: title lines [first, first + title_lines), body up
 * to end (exclusive); or a title taken from the docx title hint. */
struct plan {
    size_t first, title_lines, end;
    const char *hint; /* title text not present as a line, or NULL */
    size_t hint_len;
    int single; /* the whole file: lines above the title belong to it */
};

struct ctx {
    const char *src; /* marker-free text */
    size_t len;
    char *owned; /* src when markers were cut out */
    struct line *lines;
    size_t nlines;
    struct event *ev;
    size_t nev;
    unsigned char *verdict;
    char **reasons;
    int paid; /* inside ##paidbegin## … ##paidend## */
};

/* Per-article state while its text is built. */
struct art {
    struct sc_article *a; /* NULL outside any article */
    int64_t cp;           /* code points in a->text so far */
    int64_t paid_end;     /* where the paid part last ended, -1 */
};

/* ---- 1. markers ---- */

static int marker_at(const char *s, size_t len, size_t i, int *begin)
{
    static const char *const m[] = { "##paidbegin##", "##paidend##" };
    for (int k = 0; k < 2; k++) {
        size_t n = strlen(m[k]);
        if (i + n > len)
            continue;
        size_t j = 0;
        for (; j < n; j++) {
            unsigned char c = (unsigned char)s[i + j];
            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c + ('a' - 'A'));
            if (c != (unsigned char)m[k][j])
                break;
        }
        if (j == n) {
            *begin = k == 0;
            return (int)n;
        }
    }
    return 0;
}

static enum sc_err cut_markers(struct ctx *c, const char *text, size_t len)
{
    c->src = text;
    c->len = len;
    size_t cap = 0;
    struct sc_buf clean = SC_BUF_INIT;
    size_t copied = 0;
    for (size_t i = 0; i + 1 < len;) {
        const char *h = memchr(text + i, '#', len - i - 1); /* '#' is rare in 公文 */
        if (!h)
            break;
        i = (size_t)(h - text);
        int begin, n = marker_at(text, len, i, &begin);
        if (!n) {
            i += 1;
            continue;
        }
        if (c->nev == cap) {
            size_t nc = cap ? cap * 2 : 8;
            struct event *e = sc_reallocarray(c->ev, nc, sizeof *e);
            if (!e)
                goto nomem;
            c->ev = e;
            cap = nc;
        }
        sc_buf_add(&clean, text + copied, i - copied);
        c->ev[c->nev].off = (uint32_t)clean.len;
        c->ev[c->nev].begin = begin;
        c->ev[c->nev].line = 0;
        c->nev++;
        i += (size_t)n;
        copied = i;
    }
    if (c->nev == 0) {
        sc_buf_release(&clean);
        return SC_OK;
    }
    sc_buf_add(&clean, text + copied, len - copied);
    if (sc_buf_err(&clean))
        goto nomem;
    c->len = clean.len;
    c->owned = sc_buf_take(&clean, NULL);
    if (!c->owned)
        return SC_ENOMEM;
    c->src = c->owned;
    return SC_OK;
nomem:
    sc_buf_release(&clean);
    return SC_ENOMEM;
}

/* ---- 2. lines ---- */

static enum sc_err split_lines(struct ctx *c)
{
    size_t n = 0, cap = 0, no = 0;
    for (size_t off = 0; off < c->len || (off == 0 && c->len == 0);) {
        const char *nl = c->len ? memchr(c->src + off, '\n', c->len - off) : NULL;
        size_t end = nl ? (size_t)(nl - c->src) : c->len;
        no++;
        size_t tl = end - off;
        const char *t = c->len ? gw_trim(c->src + off, &tl) : c->src;
        if (tl > 0) {
            if (n == cap) {
                size_t nc = cap ? cap * 2 : 256;
                struct line *l = sc_reallocarray(c->lines, nc, sizeof *l);
                if (!l)
                    return SC_ENOMEM;
                c->lines = l;
                cap = nc;
            }
            c->lines[n++] = (struct line){ (uint32_t)off, (uint32_t)end, (uint32_t)(t - c->src),
                                           (uint32_t)tl,  (uint32_t)no,  0 };
        }
        if (!nl)
            break;
        off = end + 1;
    }
    c->nlines = n;
    /* attach each marker event to the line holding it (or the next one) */
    size_t li = 0;
    for (size_t e = 0; e < c->nev; e++) {
        while (li < n && c->lines[li].raw_end < c->ev[e].off)
            li++;
        c->ev[e].line = (uint32_t)li;
    }
    return SC_OK;
}

/* ---- 3. boilerplate ---- */

static enum sc_err judge_boiler(struct ctx *c)
{
    size_t n = c->nlines;
    if (n == 0)
        return SC_OK;
    struct gw_boiler_line *bl = sc_malloc(n * sizeof *bl);
    c->verdict = sc_calloc(n, 1);
    c->reasons = sc_calloc(n, sizeof *c->reasons);
    if (!bl || !c->verdict || !c->reasons) {
        free(bl);
        return SC_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        bl[i].p = c->src + c->lines[i].off;
        bl[i].len = c->lines[i].len;
        bl[i].near_end = i + NEAR_END_LINES >= n;
        bl[i].neighbour = 0;
    }
    enum sc_err err = gw_boiler_judge(bl, n, c->verdict, c->reasons);
    free(bl);
    if (err)
        return err;
    for (size_t i = 0; i < n; i++)
        if (c->verdict[i])
            c->lines[i].flags |= L_BOILER;
    return SC_OK;
}

/* ---- 4. 目录 and articles ---- */

static const char *lp(const struct ctx *c, size_t i)
{
    return c->src + c->lines[i].off;
}

static int is_toc_heading(const char *p, size_t len)
{
    if (gw_ends(p, len, "："))
        len -= 3;
    else if (gw_ends(p, len, ":"))
        len -= 1;
    return gw_key_match(p, len, "目录", strlen("目录"), 0, NULL) == 1 ||
           gw_key_match(p, len, "目次", strlen("目次"), 0, NULL) == 1;
}

static int is_leader(uint32_t cp)
{
    return gw_is_space(cp) || cp == '.' || cp == 0x2026 || cp == 0x00B7 || cp == 0xFF0E ||
           cp == 0x2025 || cp == 0x22EF || cp == 0x30FB || cp == '-' || cp == '_' || cp == 0x2014 ||
           cp == 0x2013 || cp == 0x2027 || cp == 0x3002;
}

/* "title<TAB>12", "title……12", "title ....12", "title 12": sets *tlen to
 * the title's byte length. */
static int toc_entry(const char *p, size_t len, size_t *tlen)
{
    size_t e = len, digits = 0;
    while (e > 0) {
        unsigned char ch = (unsigned char)p[e - 1];
        if (ch >= '0' && ch <= '9') {
            e--;
        } else if (e >= 3 && (unsigned char)p[e - 3] == 0xEF && (unsigned char)p[e - 2] == 0xBC &&
                   ch >= 0x90 && ch <= 0x99) {
            e -= 3;
        } else {
            break;
        }
        digits++;
    }
    if (digits == 0 || digits > 4)
        return 0;
    size_t t = e, leaders = 0;
    while (t > 0) {
        size_t b = t - 1;
        while (b > 0 && ((unsigned char)p[b] & 0xC0) == 0x80)
            b--;
        uint32_t cp;
        gw_decode(p + b, t - b, &cp);
        if (!is_leader(cp))
            break;
        t = b;
        leaders++;
    }
    if (leaders == 0)
        return 0;
    size_t tl = t;
    gw_trim(p, &tl);
    if (gw_count(p, tl) < 2)
        return 0;
    *tlen = tl;
    return 1;
}

/* Fold for title keys: full-width ASCII to ASCII, Latin lower case. */
static uint32_t key_fold(uint32_t c)
{
    if (c >= 0xFF01 && c <= 0xFF5E)
        c -= 0xFEE0;
    if (c >= 'A' && c <= 'Z')
        c += 'a' - 'A';
    return c;
}

/* Compare line p against key[pos..]: the new position, or -1. */
static long key_step(const uint32_t *key, size_t nkey, size_t pos, const char *p, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += gw_decode(p + i, len - i, &cp);
        if (gw_is_space(cp))
            continue;
        if (pos >= nkey || key[pos] != key_fold(cp))
            return -1;
        pos++;
    }
    return (long)pos;
}

static size_t make_key(const char *p, size_t len, uint32_t *key, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n < max;) {
        uint32_t cp;
        i += gw_decode(p + i, len - i, &cp);
        if (!gw_is_space(cp))
            key[n++] = key_fold(cp);
    }
    return n;
}

/*
 * A 目录 without page numbers (laws print their chapter list so): short
 * lines up to the point where the first of them comes again, which is
 * where the body starts. Such a 目录 is the document's own: its lines are
 * dropped (the outline gives it back), and it never splits a file.
 */
static void mark_plain_toc(struct ctx *c, size_t toc)
{
    size_t first = c->nlines;
    for (size_t i = toc + 1; i < c->nlines && i < toc + 300; i++) {
        if (c->lines[i].flags & L_BOILER)
            continue;
        const char *p = lp(c, i);
        size_t len = c->lines[i].len;
        if (first == c->nlines) {
            first = i;
        } else if (gw_key_match(p, len, lp(c, first), c->lines[first].len, 0, NULL) == 1) {
            for (size_t k = toc; k < i; k++)
                c->lines[k].flags |= L_TOC;
            return;
        }
        if (gw_count(p, len) > 40 || gw_ends(p, len, "。") || gw_ends(p, len, "；") ||
            gw_ends(p, len, "："))
            return; /* a sentence: not a list of titles */
    }
}

/* Look for a 目录 among the first lines. For a 汇编, *out gets one plan per
 * article found and *nout their count; 0 means one document. A document's
 * own 目录 (its entries are chapter headings, or it has no page numbers)
 * is marked L_TOC, so its lines are dropped from the text. */
static enum sc_err find_articles(struct ctx *c, struct plan **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    size_t n = c->nlines, toc = n, seen = 0;
    for (size_t i = 0; i < n && seen < 40; i++) {
        if (c->lines[i].flags & L_BOILER)
            continue;
        seen++;
        if (is_toc_heading(lp(c, i), c->lines[i].len)) {
            toc = i;
            break;
        }
    }
    if (toc == n)
        return SC_OK;
    /* the collection's own title: the first real line before the 目录 */
    size_t coll = n;
    for (size_t i = 0; i < toc; i++) {
        if (!(c->lines[i].flags & L_BOILER)) {
            coll = i;
            break;
        }
    }
    /* entries */
    size_t first_entry = toc + 1, nentries = 0;
    size_t end_entries = first_entry;
    for (size_t i = toc + 1; i < n && nentries < TOC_MAX_ENTRIES; i++) {
        if (c->lines[i].flags & L_BOILER)
            continue;
        size_t tl;
        if (!toc_entry(lp(c, i), c->lines[i].len, &tl))
            break;
        nentries++;
        end_entries = i + 1;
    }
    if (nentries == 0) {
        mark_plain_toc(c, toc);
        return SC_OK;
    }

    struct plan *plans = sc_calloc(nentries, sizeof *plans);
    uint32_t *key = sc_malloc(256 * sizeof *key);
    if (!plans || !key) {
        free(plans);
        free(key);
        return SC_ENOMEM;
    }
    size_t np = 0, from = end_entries, misses = 0, headings = 0;
    for (size_t i = first_entry; i < end_entries && misses < TOC_MAX_MISSES; i++) {
        if (c->lines[i].flags & L_BOILER)
            continue;
        size_t tl;
        toc_entry(lp(c, i), c->lines[i].len, &tl);
        const char *t = lp(c, i);
        if (is_toc_heading(t, tl) ||
            (coll < n && gw_key_match(t, tl, lp(c, coll), c->lines[coll].len, 0, NULL) == 1))
            continue; /* the 目录 and the collection title list themselves */
        size_t nkey = make_key(t, tl, key, 256);
        if (nkey == 0)
            continue;
        int found = 0;
        for (size_t j = from; j < n && !found; j++) {
            if (c->lines[j].flags & L_BOILER)
                continue;
            long pos = key_step(key, nkey, 0, lp(c, j), c->lines[j].len);
            if (pos <= 0)
                continue;
            size_t k = j + 1, used = 1;
            /* a title broken over up to four lines */
            while ((size_t)pos < nkey && k < n && used < 4) {
                if (c->lines[k].flags & L_BOILER)
                    break;
                pos = key_step(key, nkey, (size_t)pos, lp(c, k), c->lines[k].len);
                if (pos < 0)
                    break;
                k++;
                used++;
            }
            if (pos == (long)nkey) {
                plans[np].first = j;
                plans[np].title_lines = used;
                np++;
                from = j + used;
                found = 1;
                headings += gw_is_heading_line(t, tl);
            }
        }
        misses += !found;
    }
    free(key);
    if (np > 0 && headings * 2 > np) {
        /* a document's own 目录 of its chapters: one document, 目录 dropped */
        for (size_t i = toc; i < end_entries; i++)
            c->lines[i].flags |= L_TOC;
        np = 0;
    }
    if (np == 0) {
        free(plans);
        return SC_OK;
    }
    for (size_t k = 0; k < np; k++)
        plans[k].end = k + 1 < np ? plans[k + 1].first : n;
    /* the collection title and the 目录 belong to no article; other text
     * before the first article is kept as front matter */
    for (size_t i = 0; i < plans[0].first; i++) {
        if (c->lines[i].flags & L_BOILER)
            continue;
        if (i == coll || (i >= toc && i < end_entries))
            c->lines[i].flags |= L_TOC;
        else
            c->lines[i].flags |= L_FRONT;
    }
    *out = plans;
    *nout = np;
    return SC_OK;
}

static int has_cjk(const char *p, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += gw_decode(p + i, len - i, &cp);
        if (sc_is_cjk(cp))
            return 1;
    }
    return 0;
}

/* Does a line read like a title (short, no sentence end, not a heading)? */
static int title_like(const char *p, size_t len)
{
    if (gw_count(p, len) > 60)
        return 0;
    static const char *const ends[] = { "。", "；", "，", "：", ";", ",", ":" };
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++)
        if (gw_ends(p, len, ends[i]))
            return 0;
    return !gw_is_heading_line(p, len);
}

/*
 * A line of the 版头 (GB/T 9704 header) above a 公文's title: 份号
 * ("000123"), 密级 / 紧急程度 ("机密★1年", "特急"), 发文机关标志 ("XX市人民
 * 政府文件") or 发文字号 ("X政办发〔2023〕12号").
 */
static int is_header_line(const char *p, size_t len)
{
    size_t n = gw_count(p, len);
    if (n > 30)
        return 0;
    size_t digits = 0;
    for (size_t i = 0; i < len; i++)
        digits += p[i] >= '0' && p[i] <= '9';
    if (digits == len && len >= 4 && len <= 8)
        return 1; /* 份号 */
    static const char *const marks[] = { "绝密", "机密", "秘密", "特急", "加急" };
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (gw_starts(p, len, marks[i]) && n <= 8)
            return 1;
    if (gw_ends(p, len, "文件") && n >= 4)
        return 1;
    ptrdiff_t br = gw_find(p, len, "〔");
    if (br < 0)
        br = gw_find(p, len, "[");
    if (br >= 0 && gw_ends(p, len, "号") && gw_find(p, len, "关于") < 0)
        return 1;
    return 0;
}

/*
 * One document. Its title is the first line, unless the docx title hint
 * is better: a hint equal to one of the first lines makes that line the
 * title (a banner such as "XX市人民政府文件" may stand above it); a hint
 * found nowhere is used only when the first line does not read like a
 * title (it is a paragraph or a heading). Without a hint, 版头 lines
 * above a title-like line are passed over the same way.
 */
static enum sc_err plan_single(struct ctx *c, const char *hint, struct plan **out, size_t *nout)
{
    size_t n = c->nlines, first = n;
    for (size_t i = 0; i < n; i++) {
        if (!(c->lines[i].flags & (L_BOILER | L_TOC))) {
            first = i;
            break;
        }
    }
    *nout = 0;
    *out = NULL;
    if (first == n)
        return SC_OK;
    struct plan *p = sc_calloc(1, sizeof *p);
    if (!p)
        return SC_ENOMEM;
    p->first = first;
    p->title_lines = 1;
    p->end = n;
    p->single = 1;
    /* 版头 lines first: the title is the line after them */
    size_t t = first, skipped = 0;
    while (t < n && skipped < 5) {
        if (c->lines[t].flags & (L_BOILER | L_TOC)) {
            t++;
            continue;
        }
        if (!is_header_line(lp(c, t), c->lines[t].len))
            break;
        t++;
        skipped++;
    }
    if (skipped && t < n && !(c->lines[t].flags & (L_BOILER | L_TOC)) &&
        title_like(lp(c, t), c->lines[t].len))
        p->first = t;
    size_t hl = hint ? strlen(hint) : 0;
    const char *h = hint ? gw_trim(hint, &hl) : NULL;
    int usable = h && hl > 0 && has_cjk(h, hl) && gw_count(h, hl) <= 100 &&
                 !gw_is_heading_line(h, hl) && !memchr(h, '\n', hl);
    if (usable) {
        size_t seen = 0;
        for (size_t i = first; i < n && seen < HINT_LOOKAHEAD; i++) {
            if (c->lines[i].flags & (L_BOILER | L_TOC))
                continue;
            seen++;
            if (gw_key_match(lp(c, i), c->lines[i].len, h, hl, 0, NULL) == 1) {
                p->first = i; /* lines above it follow the title */
                *out = p;
                *nout = 1;
                return SC_OK;
            }
        }
        if (!title_like(lp(c, first), c->lines[first].len)) {
            p->hint = h;
            p->hint_len = hl;
            p->title_lines = 0;
        }
    }
    *out = p;
    *nout = 1;
    return SC_OK;
}

/* ---- 5. article text and paywall offsets ---- */

static void paid_event(struct ctx *c, struct art *s, int begin, int64_t pos)
{
    if (begin) {
        if (!c->paid) {
            c->paid = 1;
            if (s->a && s->a->paid_from_cp < 0)
                s->a->paid_from_cp = pos;
        }
    } else if (c->paid) {
        c->paid = 0;
        if (s->a)
            s->paid_end = pos;
    }
}

/* Where the next paragraph will start. */
static int64_t next_pos(const struct art *s)
{
    return s->cp > 0 ? s->cp + 1 : 0;
}

/* The events attached to line i: ev[*lo..*hi). Events are sorted by
 * offset, so by line too. */
static void ev_range(const struct ctx *c, size_t i, size_t *lo, size_t *hi)
{
    size_t a = 0, b = c->nev;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (c->ev[m].line < i)
            a = m + 1;
        else
            b = m;
    }
    *lo = a;
    while (b < c->nev && c->ev[b].line == i)
        b++;
    *hi = b < a ? a : b;
}

/* Events before line i (in blank lines or cut lines) and, when the line is
 * not emitted, in it: they take effect where the next paragraph starts. */
static void events_before(struct ctx *c, struct art *s, size_t i, int whole_line)
{
    size_t lo, hi;
    ev_range(c, i, &lo, &hi);
    for (size_t e = lo; e < hi; e++) {
        if (!whole_line && c->ev[e].off >= c->lines[i].raw)
            continue;
        paid_event(c, s, c->ev[e].begin, next_pos(s));
    }
}

/* Events inside emitted line i, whose content starts at cp para. */
static void events_inside(struct ctx *c, struct art *s, size_t i, int64_t para)
{
    const struct line *l = &c->lines[i];
    size_t lo, hi;
    ev_range(c, i, &lo, &hi);
    /* events are in offset order: count on from the previous one, so that
     * many markers in one long line stay linear */
    uint32_t at = l->off;
    int64_t pos = para;
    for (size_t e = lo; e < hi; e++) {
        if (c->ev[e].off < l->raw)
            continue;
        uint32_t off = c->ev[e].off;
        if (off < l->off)
            off = l->off;
        if (off > l->off + l->len)
            off = l->off + l->len;
        if (off > at) {
            pos += (int64_t)gw_count(c->src + at, off - at);
            at = off;
        }
        paid_event(c, s, c->ev[e].begin, pos);
    }
}

/* Visit line i for article s: emit (sep: '\n' first; 0 glues to the
 * previous line, for a title broken over lines) or only replay events. */
static void visit(struct ctx *c, struct art *s, size_t i, int emit, int glue)
{
    if (c->nev == 0 && !emit)
        return;
    if (!emit) {
        events_before(c, s, i, 1);
        return;
    }
    if (c->nev)
        events_before(c, s, i, 0);
    const struct line *l = &c->lines[i];
    if (s->cp > 0 && !glue) {
        sc_buf_addc(&s->a->text, '\n');
        s->cp++;
    }
    int64_t para = s->cp;
    sc_buf_add(&s->a->text, c->src + l->off, l->len);
    s->cp += (int64_t)gw_count(c->src + l->off, l->len);
    if (c->nev)
        events_inside(c, s, i, para);
}

static void finish_paid(struct ctx *c, struct art *s)
{
    struct sc_article *a = s->a;
    int64_t total = s->cp;
    if (a->paid_from_cp >= total)
        a->paid_from_cp = -1; /* the paid part starts after this article */
    a->paid_to_cp = -1;
    if (a->paid_from_cp >= 0 && !c->paid && s->paid_end >= 0 && s->paid_end < total) {
        if (s->paid_end > a->paid_from_cp)
            a->paid_to_cp = s->paid_end;
        else
            a->paid_from_cp = -1;
    }
}

static enum sc_err build_article(struct ctx *c, const struct plan *p, struct sc_article *a,
                                 int last)
{
    struct art s = { a, 0, -1 };
    a->paid_from_cp = c->paid ? 0 : -1;
    a->paid_to_cp = -1;
    a->src_line = c->lines[p->first].no;
    /* the text is at most the source span: grow once */
    size_t from = p->single ? 0 : c->lines[p->first].raw;
    if (sc_buf_grow(&a->text, c->lines[p->end - 1].raw_end - from + p->hint_len + 1))
        return SC_ENOMEM;
    /* a single document: cut lines above its title (a banner ad at the
     * top) replay their markers before the title */
    if (p->single)
        for (size_t i = 0; i < p->first; i++)
            if (c->lines[i].flags & (L_BOILER | L_TOC | L_FRONT))
                visit(c, &s, i, 0, 0);
    if (p->hint) {
        sc_buf_add(&a->text, p->hint, p->hint_len);
        s.cp = (int64_t)gw_count(p->hint, p->hint_len);
    }
    /* title line(s) */
    for (size_t k = 0; k < p->title_lines; k++)
        visit(c, &s, p->first + k, 1, k > 0);
    size_t title_bytes = a->text.len;
    /* lines above the title line that the hint chose (a banner such as
     * "XX市人民政府文件") follow the title, then the body */
    if (p->single)
        for (size_t i = 0; i < p->first; i++)
            if (!(c->lines[i].flags & (L_BOILER | L_TOC | L_FRONT)))
                visit(c, &s, i, 1, 0);
    for (size_t i = p->first + p->title_lines; i < p->end; i++) {
        int emit = !(c->lines[i].flags & (L_BOILER | L_TOC | L_FRONT));
        visit(c, &s, i, emit, 0);
    }
    if (last && c->nev) {
        /* markers after the last line */
        for (size_t e = 0; e < c->nev; e++)
            if (c->ev[e].line >= c->nlines)
                paid_event(c, &s, c->ev[e].begin, next_pos(&s));
    }
    if (sc_buf_err(&a->text))
        return SC_ENOMEM;
    finish_paid(c, &s);
    a->title = sc_strndup(a->text.data, title_bytes);
    if (!a->title)
        return SC_ENOMEM;
    struct gw_doc doc;
    gw_doc_of(a->text.data, a->text.len, &doc);
    enum sc_err err = gw_outline(a->text.data, a->text.len, &doc, &a->sections, &a->nsections);
    if (err)
        return err;
    return gw_meta_fill(a, &doc);
}

/* ---- public ---- */

void sc_parsed_release(struct sc_parsed *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->narticles; i++) {
        struct sc_article *a = &p->articles[i];
        free(a->title);
        sc_buf_release(&a->text);
        sc_sections_free(a->sections, a->nsections);
        free(a->genre);
        free(a->unit);
        free(a->level);
        for (size_t k = 0; k < a->ntopics; k++)
            free(a->topics[k]);
        free(a->topics);
    }
    free(p->articles);
    for (size_t i = 0; i < p->nboiler; i++) {
        free(p->boiler[i].text);
        free(p->boiler[i].reason);
    }
    free(p->boiler);
    memset(p, 0, sizeof *p);
}

static enum sc_err collect_boiler(struct ctx *c, struct sc_parsed *out)
{
    size_t nb = 0;
    for (size_t i = 0; i < c->nlines; i++)
        nb += (c->lines[i].flags & (L_BOILER | L_FRONT)) != 0;
    if (nb == 0)
        return SC_OK;
    out->boiler = sc_calloc(nb, sizeof *out->boiler);
    if (!out->boiler)
        return SC_ENOMEM;
    for (size_t i = 0; i < c->nlines; i++) {
        const struct line *l = &c->lines[i];
        if (!(l->flags & (L_BOILER | L_FRONT)))
            continue;
        struct sc_boilerplate *b = &out->boiler[out->nboiler++];
        b->line = l->no;
        b->text = sc_strndup(c->src + l->off, l->len);
        if (l->flags & L_BOILER) {
            b->reason = c->reasons[i];
            c->reasons[i] = NULL;
        } else {
            b->reason = sc_strdup("front matter: outside any article of the 汇编");
        }
        if (!b->text || !b->reason)
            return SC_ENOMEM;
    }
    return SC_OK;
}

enum sc_err sc_gongwen_parse(const char *text, size_t len, const char *title_hint,
                             struct sc_parsed *out, struct sc_diag *diag)
{
    if (!out)
        return sc_diag_set(diag, SC_EINVAL, "no output for the parse");
    memset(out, 0, sizeof *out);
    if (!text && len)
        return sc_diag_set(diag, SC_EINVAL, "no text to parse");
    if (len >= UINT32_MAX)
        return sc_diag_set(diag, SC_ELIMIT, "text of %zu bytes is too large to parse", len);
    size_t bad;
    if (len && !sc_utf8_valid(text, len, &bad))
        return sc_diag_set(diag, SC_EPARSE, "invalid UTF-8 at byte %zu", bad);

    struct ctx c;
    memset(&c, 0, sizeof c);
    struct plan *plans = NULL;
    size_t np = 0;
    enum sc_err err = SC_ENOMEM;
    if (!text)
        text = "";
    if ((err = cut_markers(&c, text, len)) || (err = split_lines(&c)) || (err = judge_boiler(&c)) ||
        (err = find_articles(&c, &plans, &np)))
        goto fail;
    out->is_compilation = np > 0;
    if (np == 0 && (err = plan_single(&c, title_hint, &plans, &np)))
        goto fail;
    if (np == 0) {
        err = sc_diag_set(diag, SC_EPARSE, "no text");
        goto fail;
    }
    out->articles = sc_calloc(np, sizeof *out->articles);
    if (!out->articles) {
        err = SC_ENOMEM;
        goto fail;
    }
    out->narticles = np;
    for (size_t k = 0; k < np; k++)
        sc_buf_init(&out->articles[k].text);
    /* events before the first article (in the 目录, say) set the state */
    struct art none = { NULL, 0, -1 };
    for (size_t i = 0; i < plans[0].first && out->is_compilation; i++)
        visit(&c, &none, i, 0, 0);
    for (size_t k = 0; k < np; k++) {
        err = build_article(&c, &plans[k], &out->articles[k], k + 1 == np);
        if (err)
            goto fail;
    }
    if ((err = collect_boiler(&c, out)))
        goto fail;
    err = SC_OK;
    goto done;
fail:
    sc_parsed_release(out);
    if (err == SC_ENOMEM)
        sc_diag_set(diag, SC_ENOMEM, "out of memory while parsing");
done:
    free(plans);
    free(c.owned);
    free(c.lines);
    free(c.ev);
    free(c.verdict);
    if (c.reasons) {
        for (size_t i = 0; i < c.nlines; i++)
            free(c.reasons[i]);
        free(c.reasons);
    }
    return err;
}
