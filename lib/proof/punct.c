/*
 * Punctuation (GB/T 15834-2011):
 *  punct_width: a half-width , ; : ? ! ( ) next to Chinese text; in Chinese
 *    text each mark takes one character position (5.1.1-5.1.3), i.e. the
 *    full-width form. Not between digits (17:30, 1,200, 3.6:48:48.4), not
 *    in Latin text, not in a pair of parentheses around Western text
 *    ((2024—2028年), (更新时间戳: 1767964862393)) or in a formula
 *    (金额=(单价×数量)×天数). A document that writes
 *    a mark half-width in Chinese text at least three times and in more
 *    than one of twenty of its uses follows a habit (a converter, an input
 *    method left in half-width): it gets one note for that mark with the
 *    count, not one finding per use.
 *  bracket_unbalanced: a bracket of （）《》〈〉【】〔〕［］[]() without its
 *    partner in the paragraph (括号 4.9, 书名号 4.15: both halves).
 *  quote_unbalanced: “ or ” without its partner in the paragraph (引号 4.8).
 * A bracket or quote opened at the end of one line and closed on the next
 * (a title broken over two lines, a quotation of several paragraphs) is
 * not unbalanced.
 */
#include "proof_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const R_WIDTH =
    "punct_width: 中文文本中标点用全角形式，占一个字位置（GB/T 15834-2011 5.1）";
static const char *const R_WIDTH_DOC =
    "punct_width: 全文使用半角标点（GB/T 15834-2011 5.1）";
static const char *const R_BRACKET =
    "bracket_unbalanced: 括号、书名号前后两半须成对使用（GB/T 15834-2011 4.9、4.15）";
static const char *const R_QUOTE =
    "quote_unbalanced: 引号前后两半须成对使用（GB/T 15834-2011 4.8）";

static const char half_marks[] = ",;:?!()";
static const uint32_t full_marks[] = { 0xFF0C, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0xFF08, 0xFF09 };
#define NMARKS 7

static int mark_index(uint32_t c)
{
    if (c == 0 || c > 0x7F)
        return -1;
    const char *p = strchr(half_marks, (int)c);
    return p ? (int)(p - half_marks) : -1;
}

static int full_index(uint32_t c)
{
    for (int k = 0; k < NMARKS; k++)
        if (full_marks[k] == c)
            return k;
    return -1;
}

static int alnum(uint32_t c)
{
    c = fold_width(c);
    return is_digit(c) || is_latin(c);
}

/* Is the content [s, e) of a parenthesis set in the Western way: a mark
 * followed by a space inside (键: 值), or more Latin letters and digits than
 * ideographs ((2024—2028年), (更新时间戳: 1767964862393), (GDP))? */
static int western_content(const struct pdoc *d, size_t s, size_t e)
{
    size_t han = 0, ascii = 0;
    for (size_t k = s; k < e; k++) {
        uint32_t c = d->cp[k];
        if (is_han(c))
            han++;
        else if (alnum(c))
            ascii++;
        else if (mark_index(c) >= 0 && c != '(' && c != ')' && k + 1 < e && d->cp[k + 1] == ' ')
            return 1;
    }
    return ascii > han;
}

/* An arithmetic operator next to a parenthesis: a formula (金额=(单价×数量)×天数). */
static int operator(uint32_t c)
{
    return c == '=' || c == '+' || c == '-' || c == '*' || c == '/' || c == '<' || c == '>' ||
           c == 0xD7 /* × */ || c == 0xF7 /* ÷ */ || c == 0xFF1D /* ＝ */ || c == 0xFF0B /* ＋ */ ||
           c == 0x2264 /* ≤ */ || c == 0x2265 /* ≥ */;
}

/* The half-width parenthesis at i and its partner on the line enclose
 * Western text, or stand in a formula: the pair is set as in Western text. */
static int western_group(const struct pdoc *d, const struct pline *ln, size_t i)
{
    const size_t reach = 60;
    size_t o = SIZE_MAX, c = SIZE_MAX;
    if (d->cp[i] == '(') {
        o = i;
        for (size_t j = i + 1; j < ln->e && j <= i + reach; j++) {
            if (d->cp[j] == '(' || d->cp[j] == 0xFF08)
                break;
            if (d->cp[j] == ')' || d->cp[j] == 0xFF09) {
                c = j;
                break;
            }
        }
    } else {
        c = i;
        for (size_t j = i; j > ln->s && j + reach >= i;) {
            j--;
            if (d->cp[j] == ')' || d->cp[j] == 0xFF09)
                break;
            if (d->cp[j] == '(' || d->cp[j] == 0xFF08) {
                o = j;
                break;
            }
        }
    }
    if ((o != SIZE_MAX && o > ln->s && operator(d->cp[o - 1])) ||
        (c != SIZE_MAX && c + 1 < ln->e && operator(d->cp[c + 1])))
        return 1;
    return o != SIZE_MAX && c != SIZE_MAX && western_content(d, o + 1, c);
}

/* A half-width mark standing between Chinese characters. A mark followed
 * by a space is set in the Western way on purpose (键: 值), and one between
 * digits belongs to the number; so does a pair of parentheses around
 * Western text. */
static int in_chinese(const struct pdoc *d, const struct pline *ln, size_t i)
{
    uint32_t c = d->cp[i];
    uint32_t p = i > ln->s ? d->cp[i - 1] : 0, n = i + 1 < ln->e ? d->cp[i + 1] : 0;
    if (is_digit(fold_width(p)) && is_digit(fold_width(n)))
        return 0; /* 17:30, 1,200 */
    if (n == ' ' || n == '\t')
        return 0;
    if (c == '(')
        return is_cjk_text(n) && (p == 0 || is_cjk_text(p)) && !western_group(d, ln, i);
    if (c == ')')
        return (is_cjk_text(p) || (is_cjk_text(n) && !alnum(p) && p != ')')) &&
               !western_group(d, ln, i);
    return is_cjk_text(p) && is_cjk_text(n);
}

static void widths(struct pdoc *d)
{
    size_t half[NMARKS] = { 0 }, full[NMARKS] = { 0 };
    for (size_t l = 0; l < d->nlines; l++) {
        const struct pline *ln = &d->lines[l];
        for (size_t i = ln->s; i < ln->e; i++) {
            int k = mark_index(d->cp[i]);
            if (k >= 0 && in_chinese(d, ln, i))
                half[k]++;
            int f = full_index(d->cp[i]);
            if (f >= 0)
                full[f]++;
        }
    }
    /* the parentheses are one style */
    size_t ph = half[5] + half[6], pf = full[5] + full[6];
    int house[NMARKS];
    for (int k = 0; k < NMARKS; k++) {
        size_t h = k >= 5 ? ph : half[k], f = k >= 5 ? pf : full[k];
        house[k] = h >= 3 && 20 * h > h + f; /* three times, one use in twenty */
    }
    int noted[NMARKS] = { 0 };
    for (size_t l = 0; l < d->nlines; l++) {
        const struct pline *ln = &d->lines[l];
        for (size_t i = ln->s; i < ln->e; i++) {
            int k = mark_index(d->cp[i]);
            if (k < 0 || !in_chinese(d, ln, i))
                continue;
            char sug[8];
            size_t n = sc_utf8_encode(full_marks[k], sug);
            sug[n] = '\0';
            if (house[k]) {
                int g = k >= 5 ? 5 : k;
                if (noted[g])
                    continue;
                noted[g] = 1;
                pd_add(d, i, i + 1, SC_PK_PUNCT_WIDTH, SC_PS_INFO, R_WIDTH_DOC, NULL,
                       "全文%zu处在中文中使用半角“%c”，应统一改为全角“%s”",
                       k >= 5 ? ph : half[k], (char)d->cp[i], sug);
                continue;
            }
            if (d->cp[i] == '(') {
                /* (工作): one finding for the pair, the fix is the whole */
                size_t j = i + 1;
                while (j < ln->e && j < i + 40 && d->cp[j] != ')' && d->cp[j] != '(' &&
                       d->cp[j] != 0xFF08 && d->cp[j] != 0xFF09)
                    j++;
                if (j < ln->e && d->cp[j] == ')') {
                    struct sc_buf b = SC_BUF_INIT;
                    sc_buf_add_cp(&b, 0xFF08);
                    sc_buf_add(&b, d->text + d->off[i + 1], d->off[j] - d->off[i + 1]);
                    sc_buf_add_cp(&b, 0xFF09);
                    if (sc_buf_err(&b) != SC_OK) {
                        d->err = SC_ENOMEM;
                        sc_buf_release(&b);
                        return;
                    }
                    pd_add(d, i, j + 1, SC_PK_PUNCT_WIDTH, SC_PS_WARNING, R_WIDTH, b.data,
                           "中文中使用了半角括号“()”，应为全角“（）”");
                    sc_buf_release(&b);
                    i = j;
                    continue;
                }
            }
            pd_add(d, i, i + 1, SC_PK_PUNCT_WIDTH, SC_PS_WARNING, R_WIDTH, sug,
                   "中文中使用了半角“%c”，应为全角“%s”", (char)d->cp[i], sug);
        }
    }
}

/* ---- pairs ---- */

struct pair {
    uint32_t open, close;
    int quote;
};

static const struct pair pairs[] = {
    { 0xFF08, 0xFF09, 0 }, /* （） */
    { '(', ')', 0 },
    { 0x300A, 0x300B, 0 }, /* 《》 */
    { 0x3008, 0x3009, 0 }, /* 〈〉 */
    { 0x3010, 0x3011, 0 }, /* 【】 */
    { 0x3014, 0x3015, 0 }, /* 〔〕 */
    { 0xFF3B, 0xFF3D, 0 }, /* ［］ */
    { '[', ']', 0 },
    { 0x201C, 0x201D, 1 }, /* “” */
};
#define NPAIRS (sizeof pairs / sizeof pairs[0])

struct loose {
    size_t at;   /* code point */
    size_t line;
    unsigned p;  /* pair index */
    int open;
    int dropped;
};

struct loose_list {
    struct loose *v;
    size_t n, cap;
};

static int push(struct pdoc *d, struct loose_list *L, struct loose x)
{
    if (L->n == L->cap) {
        size_t cap = L->cap ? L->cap * 2 : 64;
        struct loose *p = sc_reallocarray(L->v, cap, sizeof *p);
        if (!p) {
            d->err = SC_ENOMEM;
            return -1;
        }
        L->v = p;
        L->cap = cap;
    }
    L->v[L->n++] = x;
    return 0;
}

/* A half-width closer that ends a list marker: 1) a) at the start of a
 * line. (三） is a heading that lost its opening bracket. */
static int marker_close(const struct pdoc *d, const struct pline *ln, size_t i)
{
    if (i == ln->s || i - ln->s > 3 || d->cp[i] != ')')
        return 0;
    for (size_t k = ln->s; k < i; k++) {
        uint32_t c = d->cp[k];
        if (!(is_digit(c) || is_latin(c)))
            return 0;
    }
    return 1;
}

static void one_line(struct pdoc *d, size_t l, struct loose_list *L)
{
    const struct pline *ln = &d->lines[l];
    size_t base = L->n;
    for (size_t i = ln->s; i < ln->e; i++) {
        uint32_t c = d->cp[i];
        for (unsigned p = 0; p < NPAIRS; p++) {
            if (c == pairs[p].open) {
                struct loose x = { i, l, p, 1, 0 };
                if (push(d, L, x))
                    return;
            } else if (c == pairs[p].close) {
                /* the innermost open of this pair on this line */
                size_t k = L->n, hit = SIZE_MAX;
                while (k > base) {
                    k--;
                    if (!L->v[k].dropped && L->v[k].open && L->v[k].p == p) {
                        hit = k;
                        break;
                    }
                }
                if (hit != SIZE_MAX) {
                    L->v[hit].dropped = 1;
                } else if (!(pairs[p].quote == 0 && marker_close(d, ln, i))) {
                    struct loose x = { i, l, p, 0, 0 };
                    if (push(d, L, x))
                        return;
                }
            }
        }
    }
    /* （…) and (…）: a pair of mixed widths is a width slip, not two lone halves */
    for (size_t a = base; a < L->n; a++) {
        struct loose *o = &L->v[a];
        if (o->dropped || !o->open || (o->p != 0 && o->p != 1))
            continue;
        for (size_t b = a + 1; b < L->n; b++) {
            struct loose *c = &L->v[b];
            if (!c->dropped && !c->open && (c->p == 0 || c->p == 1) && c->p != o->p) {
                o->dropped = c->dropped = 1;
                break;
            }
        }
    }
}

static void balance(struct pdoc *d)
{
    struct loose_list L = { 0 };
    for (size_t l = 0; l < d->nlines && d->err == SC_OK; l++)
        one_line(d, l, &L);
    /* an open at a line's end closed within the next two lines */
    for (size_t a = 0; a < L.n; a++) {
        struct loose *o = &L.v[a];
        if (o->dropped || !o->open)
            continue;
        for (size_t b = a + 1; b < L.n; b++) {
            struct loose *c = &L.v[b];
            if (c->line == o->line || c->dropped)
                continue;
            if (c->line > o->line + 2)
                break;
            if (c->p == o->p && !c->open) {
                o->dropped = c->dropped = 1;
                break;
            }
        }
        /* a quotation of several paragraphs: each opens with “, the last closes */
        if (!o->dropped && pairs[o->p].quote && o->line + 1 < d->nlines) {
            const struct pline *nx = &d->lines[o->line + 1];
            if (nx->e > nx->s && d->cp[nx->s] == pairs[o->p].open)
                o->dropped = 1;
        }
    }
    for (size_t a = 0; a < L.n; a++) {
        const struct loose *x = &L.v[a];
        if (x->dropped)
            continue;
        char ch[8];
        pd_copy(d, x->at, x->at + 1, ch, sizeof ch);
        char other[8];
        size_t n = sc_utf8_encode(x->open ? pairs[x->p].close : pairs[x->p].open, other);
        other[n] = '\0';
        if (pairs[x->p].quote)
            pd_add(d, x->at, x->at + 1, SC_PK_QUOTE_UNBALANCED, SC_PS_ERROR, R_QUOTE, NULL,
                   "引号“%s”在本段中没有配对的“%s”", ch, other);
        else
            pd_add(d, x->at, x->at + 1, SC_PK_BRACKET_UNBALANCED, SC_PS_ERROR, R_BRACKET, NULL,
                   "“%s”在本段中没有配对的“%s”", ch, other);
    }
    free(L.v);
}

void rule_punct(struct pdoc *d)
{
    if (kind_on(d, SC_PK_PUNCT_WIDTH))
        widths(d);
    if (kind_on(d, SC_PK_BRACKET_UNBALANCED) || kind_on(d, SC_PK_QUOTE_UNBALANCED))
        balance(d);
}
