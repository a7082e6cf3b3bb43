/*
 * Heading numbers (GB/T 9704-2012 7.3.3: 结构层次序数依次用“一、”“（一）”
 * “1.”“（1）”标注). A marker at the start of a line opens or continues the
 * list of its level; a marker of a level closes every deeper list (they
 * restart under each parent), and a 第X条/章/节 line closes them all.
 *  numbering_gap:   the number skips (（一）（二）（四）);
 *  numbering_dup:   the number repeats (（二）（二）, 22、22、);
 *  numbering_order: a deeper marker opens a section before the level it
 *    belongs under (1. placed before the first （一） of a section), or the
 *    1. and 1、 forms are mixed within one list.
 * A list whose first number is not 1 is left alone: it may continue across
 * a 第X章 line (四、 in 第一章, 五、 in 第二章) or start inside a paragraph.
 */
#include "proof_int.h"

#include <stdio.h>
#include <string.h>

static const char *const R_NUM =
    "numbering: 结构层次序数依次用“一、”“（一）”“1.”“（1）”标注，逐级连续编号（GB/T 9704-2012 7.3.3）";

enum { LV_MAX = 5 };

struct marker {
    int level;    /* 1..5 */
    int value;
    int style;    /* level 3: 0 = "1." 1 = "1、"; level 2/4: 0 = full-width parens, 1 = half */
    size_t ms, me; /* code points of the marker */
    size_t line;
};

struct level {
    int open;
    int last;
    int style;
    int items;
};

static int cn_digit(uint32_t c)
{
    static const uint32_t v[] = { 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
                                  0x516D, 0x4E03, 0x516B, 0x4E5D };
    for (int k = 0; k < 9; k++)
        if (v[k] == c)
            return k + 1;
    return 0;
}

/* 一 .. 九十九 at i; length in code points, value in *v. */
static size_t read_cn(const struct pdoc *d, size_t i, size_t e, int *v)
{
    size_t k = i;
    int a = i < e ? cn_digit(d->cp[i]) : 0;
    if (a && k + 1 < e && d->cp[k + 1] == 0x5341 /* 十 */) {
        k += 2;
        int b = k < e ? cn_digit(d->cp[k]) : 0;
        if (b)
            k++;
        *v = a * 10 + b;
        return a >= 2 ? k - i : 0;
    }
    if (a) {
        *v = a;
        return 1;
    }
    if (i < e && d->cp[i] == 0x5341) {
        k = i + 1;
        int b = k < e ? cn_digit(d->cp[k]) : 0;
        if (b)
            k++;
        *v = 10 + b;
        return k - i;
    }
    return 0;
}

static size_t read_ar(const struct pdoc *d, size_t i, size_t e, int *v)
{
    size_t k = i;
    int x = 0;
    while (k < e && k - i < 4 && is_digit(fold_width(d->cp[k]))) {
        x = x * 10 + (int)(fold_width(d->cp[k]) - '0');
        k++;
    }
    if (k == i || k - i > 3)
        return 0;
    *v = x;
    return k - i;
}

static int is_open_paren(uint32_t c)
{
    return c == 0xFF08 || c == '(';
}
static int is_close_paren(uint32_t c)
{
    return c == 0xFF09 || c == ')';
}

/* 第X条/章/节/部分/编: closes every list. */
static int is_reset(const struct pdoc *d, size_t s, size_t e)
{
    if (s >= e || d->cp[s] != 0x7B2C /* 第 */)
        return 0;
    int v;
    size_t n = read_cn(d, s + 1, e, &v);
    if (!n) {
        /* 一百二十条 and such */
        n = 0;
        while (s + 1 + n < e && n < 8 &&
               (cn_digit(d->cp[s + 1 + n]) || d->cp[s + 1 + n] == 0x5341 ||
                d->cp[s + 1 + n] == 0x767E || d->cp[s + 1 + n] == 0x96F6 ||
                d->cp[s + 1 + n] == 0x3007))
            n++;
        if (!n)
            n = read_ar(d, s + 1, e, &v);
    }
    if (!n)
        return 0;
    size_t k = s + 1 + n;
    return pd_match(d, k, "条") || pd_match(d, k, "章") || pd_match(d, k, "节") ||
           pd_match(d, k, "部分") || pd_match(d, k, "编");
}

/* expect3: the number the open list of level 3 expects next (0 = none):
 * "9.10月居民消费价格…" is item 9 when item 8 came before. */
static int parse_marker(const struct pdoc *d, size_t l, struct marker *m, int expect3)
{
    const struct pline *ln = &d->lines[l];
    size_t s = ln->s, e = ln->e;
    while (s < e && (d->cp[s] == ' ' || d->cp[s] == 0x3000 || d->cp[s] == '\t'))
        s++;
    if (s >= e)
        return 0;
    int v;
    size_t n;
    memset(m, 0, sizeof *m);
    m->ms = s;
    m->line = l;
    uint32_t c = d->cp[s];
    if (is_open_paren(c)) {
        if ((n = read_cn(d, s + 1, e, &v)) && s + 1 + n < e && is_close_paren(d->cp[s + 1 + n])) {
            m->level = 2;
        } else if ((n = read_ar(d, s + 1, e, &v)) && s + 1 + n < e &&
                   is_close_paren(d->cp[s + 1 + n])) {
            m->level = 4;
        } else {
            return 0;
        }
        m->style = c == '(';
        m->value = v;
        m->me = s + 2 + n;
        return 1;
    }
    if (c >= 0x2460 && c <= 0x2473) { /* ① .. ⑳ */
        m->level = 5;
        m->value = (int)(c - 0x2460) + 1;
        m->me = s + 1;
        return 1;
    }
    if ((n = read_cn(d, s, e, &v)) && s + n < e && d->cp[s + n] == 0x3001 /* 、 */) {
        m->level = 1;
        m->value = v;
        m->me = s + n + 1;
        return 1;
    }
    if ((n = read_ar(d, s, e, &v)) && s + n < e) {
        uint32_t p = d->cp[s + n];
        uint32_t after = s + n + 1 < e ? fold_width(d->cp[s + n + 1]) : 0;
        if ((p == '.' || p == 0xFF0E) && after != 0 && v > 0 &&
            (!is_digit(after) || (expect3 && v == expect3))) {
            m->level = 3;
            m->style = 0;
        } else if (p == 0x3001 && v > 0) {
            m->level = 3;
            m->style = 1;
        } else {
            return 0;
        }
        m->value = v;
        m->me = s + n + 1;
        return 1;
    }
    return 0;
}

static void marker_text(const struct marker *m, int value, int style, char *buf, size_t size)
{
    static const char *const cn[] = { "", "一", "二", "三", "四", "五", "六", "七", "八", "九" };
    char num[16];
    if (m->level == 1 || m->level == 2) {
        if (value < 10)
            snprintf(num, sizeof num, "%s", cn[value]);
        else if (value < 20)
            snprintf(num, sizeof num, "十%s", cn[value % 10]);
        else if (value < 100)
            snprintf(num, sizeof num, "%s十%s", cn[value / 10], cn[value % 10]);
        else
            snprintf(num, sizeof num, "%d", value);
    } else {
        snprintf(num, sizeof num, "%d", value);
    }
    switch (m->level) {
    case 1: snprintf(buf, size, "%s、", num); break;
    case 2:
    case 4: snprintf(buf, size, style ? "(%s)" : "（%s）", num); break;
    case 3: snprintf(buf, size, style ? "%s、" : "%s.", num); break;
    default: snprintf(buf, size, "%d", value); break;
    }
}

/* （四）、（五）项所列: a reference to items, not a heading */
static int is_reference(const struct pdoc *d, const struct pline *ln, const struct marker *m)
{
    uint32_t after = pd_at(d, m->me);
    uint32_t after2 = pd_at(d, m->me + 1);
    return m->me >= ln->e || after == 0x3001 || after == 0xFF08 || after == '(' ||
           ((after == 0x81F3 /* 至 */ || after == 0x548C /* 和 */ || after == 0x6216 /* 或 */) &&
            (after2 == 0xFF08 || after2 == '(' || cn_digit(after2) || is_digit(after2)));
}

/* The value of the next heading of level L after line l in the same list
 * (0: the list ends first, at a higher level, a reset or the end). */
static int next_in_list(const struct pdoc *d, size_t l, int L, int value)
{
    for (size_t k = l + 1; k < d->nlines; k++) {
        const struct pline *ln = &d->lines[k];
        size_t s = ln->s;
        while (s < ln->e && (d->cp[s] == ' ' || d->cp[s] == 0x3000))
            s++;
        if (is_reset(d, s, ln->e))
            return 0;
        struct marker m;
        if (!parse_marker(d, k, &m, L == 3 ? value + 1 : 0) || is_reference(d, ln, &m))
            continue;
        if (m.level < L)
            return 0;
        if (m.level == L)
            return m.value;
    }
    return 0;
}

void rule_numbering(struct pdoc *d)
{
    struct level lv[LV_MAX + 1];
    memset(lv, 0, sizeof lv);
    struct marker prev = { 0 };
    int have_prev = 0;
    /* the markers seen since the last marker of each level or a reset:
     * prev_first = prev was the first marker after its parent */
    int prev_first = 0;
    for (size_t l = 0; l < d->nlines; l++) {
        const struct pline *ln = &d->lines[l];
        size_t s = ln->s;
        while (s < ln->e && (d->cp[s] == ' ' || d->cp[s] == 0x3000))
            s++;
        if (is_reset(d, s, ln->e)) {
            for (int k = 1; k <= LV_MAX; k++)
                lv[k].open = 0;
            have_prev = 0;
            continue;
        }
        struct marker m;
        if (!parse_marker(d, l, &m, lv[3].open ? lv[3].last + 1 : 0))
            continue;
        if (is_reference(d, ln, &m))
            continue;
        int L = m.level;
        int first_under_parent = 1; /* no marker since the parent (or reset) */
        for (int k = L + 1; k <= LV_MAX; k++)
            lv[k].open = 0;
        struct level *st = &lv[L];
        char want[32], got[32];
        pd_copy(d, m.ms, m.me, got, sizeof got);
        if (st->open) {
            first_under_parent = 0;
            if (m.value == st->last && L <= 4) {
                marker_text(&m, st->last + 1, m.style, want, sizeof want);
                /* the fix is certain when the list goes on from the next
                 * number (（三）（三）（五）) or ends here */
                int next = next_in_list(d, l, L, m.value);
                pd_add(d, m.ms, m.me, SC_PK_NUMBERING_DUP, SC_PS_WARNING, R_NUM,
                       next == 0 || next == m.value + 2 ? want : NULL,
                       "序号“%s”重复，上一项已是同一序号（应为“%s”）", got, want);
            } else if (m.value > st->last + 1 && L <= 4 && m.value - st->last < 20) {
                marker_text(&m, st->last + 1, m.style, want, sizeof want);
                pd_add(d, m.ms, m.me, SC_PK_NUMBERING_GAP, SC_PS_WARNING, R_NUM, NULL,
                       "序号不连续：“%s”之前缺少“%s”", got, want);
            } else if (m.value == st->last + 1 && L == 3 && m.style != st->style) {
                marker_text(&m, m.value, st->style, want, sizeof want);
                pd_add(d, m.ms, m.me, SC_PK_NUMBERING_ORDER, SC_PS_WARNING, R_NUM, want,
                       "同一层级序号“1.”与“1、”混用：“%s”应为“%s”", got, want);
            }
            if (m.value == 1 && st->last != 1) {
                st->items = 0;
                st->style = m.style;
                first_under_parent = 1;
            }
            st->last = m.value;
            st->items++;
        } else {
            st->open = 1;
            st->last = m.value;
            st->items = 1;
            st->style = m.style;
        }
        /* a deeper one-item list standing just before this list's first item */
        if (m.value == 1 && first_under_parent && have_prev && prev.level > L &&
            prev.value == 1 && prev_first && prev.level <= 4) {
            char pm[32];
            pd_copy(d, prev.ms, prev.me, pm, sizeof pm);
            pd_add(d, prev.ms, m.me, SC_PK_NUMBERING_ORDER, SC_PS_WARNING, R_NUM, NULL,
                   "层级顺序有误：下级序号“%s”出现在本级首项“%s”之前", pm, got);
        }
        prev = m;
        have_prev = 1;
        prev_first = first_under_parent;
    }
}
