/*
 * The 公文 outline: heading labels (一、 （一） 1. （1） ①, 第X章/第X条 for
 * regulations, 1.1 / 1.1.1 for decimal outlines) found at the start of
 * paragraphs, top-level titles without a number, the numbered lines that
 * are list items rather than headings, the sections the headings govern,
 * numbering faults (recorded, never fixed), section kinds, and the inline
 * 一是…二是… / 第一，第二， points inside sections. The heading forms are
 * rows of one table; docs/gongwen.md describes every rule.
 */
#include "gongwen_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum hclass {
    HC_BIAN,  /* 第一编 */
    HC_BUFEN, /* 第一部分 */
    HC_ZHANG, /* 第一章 */
    HC_JIE,   /* 第一节 */
    HC_TIAO,  /* 第一条 */
    HC_DEC,   /* 1.1 / 1.1.1 (and a bare 1 in a decimal outline) */
    HC_CN,    /* 一、 */
    HC_PCN,   /* （一） */
    HC_AR,    /* 1. 1． 1、 */
    HC_PAR,   /* （1） */
    HC_CIRC,  /* ① */
    HC_NONE,  /* a title without a number */
    HC_NOTES, /* the notes part: 脚注 / 尾注 */
    HC_COUNT
};

enum {
    NUM_CN = 1,
    NUM_AR = 2
};
enum {
    HF_REGULATION = 1 << 0, /* ranks above the 公文 labels; needs 2+ in a text */
    HF_UNTITLED = 1 << 1,   /* 第X条: the paragraph is prose, heading only if bracketed */
    HF_NO_DIGIT = 1 << 2,   /* reject when a digit follows (1.5亿元) */
    HF_NO_LIST = 1 << 3,    /* reject 一、二、三 (a numeral and 、 follow) */
};

/* The heading table, tried in order at the start of each paragraph. The
 * decimal form (1.1) and the circled numbers (①) have matchers of their
 * own (match_decimal, match_circled) and come after these rows. */
static const struct heading_form {
    enum hclass cls;
    const char *open[2]; /* alternatives; "" = no opening mark */
    int numerals;
    const char *close[3]; /* alternatives */
    int level;            /* 公文 level (1-5); regulation forms: 0 */
    int flags;
} forms[] = {
    { HC_BIAN, { "第", NULL }, NUM_CN | NUM_AR, { "编", NULL, NULL }, 0, HF_REGULATION },
    { HC_BUFEN, { "第", NULL }, NUM_CN | NUM_AR, { "部分", NULL, NULL }, 0, HF_REGULATION },
    { HC_ZHANG, { "第", NULL }, NUM_CN | NUM_AR, { "章", NULL, NULL }, 0, HF_REGULATION },
    { HC_JIE, { "第", NULL }, NUM_CN | NUM_AR, { "节", NULL, NULL }, 0, HF_REGULATION },
    { HC_TIAO,
      { "第", NULL },
      NUM_CN | NUM_AR,
      { "条", NULL, NULL },
      0,
      HF_REGULATION | HF_UNTITLED },
    { HC_CN, { "", NULL }, NUM_CN, { "、", "．", NULL }, 1, HF_NO_LIST },
    { HC_PCN, { "（", "(" }, NUM_CN, { "）", ")", NULL }, 2, 0 },
    { HC_AR, { "", NULL }, NUM_AR, { "．", ".", "、" }, 3, HF_NO_DIGIT },
    { HC_PAR, { "（", "(" }, NUM_AR, { "）", ")", NULL }, 4, 0 },
};
#define NFORMS        (sizeof forms / sizeof forms[0])
#define FORM_DEC      ((int)NFORMS)     /* match_decimal */
#define FORM_CIRC     ((int)NFORMS + 1) /* match_circled */
#define FORM_NONE     ((int)NFORMS + 2) /* a title without a number */
#define CIRC_LEVEL    5
#define DEC_MAX_DEPTH 6

/* A heading found in a paragraph (byte offsets into the text). */
struct cand {
    int form;
    enum hclass cls;
    int value;
    int depth; /* decimal outline: 1.2.1 is 3 */
    size_t lab_off, lab_len;
    size_t open_len; /* opening mark inside the label */
    size_t close_off, close_len;
    size_t head_off, head_len;
    int64_t cp_start;
    int numeral_ar; /* the label used Arabic digits */
    size_t para;    /* paragraph index */
    int plevel;     /* provisional level, for sibling runs */
    int list;       /* judged a list item: not a heading */
};

static const struct heading_form *form_of(const struct cand *c)
{
    return c->form >= 0 && c->form < (int)NFORMS ? &forms[c->form] : NULL;
}

static int is_regulation(const struct cand *c)
{
    const struct heading_form *f = form_of(c);
    return f && (f->flags & HF_REGULATION);
}

/* The 公文 forms: 一、 （一） 1. （1） ①. */
static int is_gongwen(enum hclass k)
{
    return k == HC_CN || k == HC_PCN || k == HC_AR || k == HC_PAR || k == HC_CIRC;
}

static int is_digit_at(const char *p, size_t len)
{
    if (len == 0)
        return 0;
    unsigned char c = (unsigned char)p[0];
    if (c >= '0' && c <= '9')
        return 1;
    return len >= 3 && c == 0xEF && (unsigned char)p[1] == 0xBC && (unsigned char)p[2] >= 0x90 &&
           (unsigned char)p[2] <= 0x99;
}

/* Where the heading text of an inline heading stops. */
static int is_heading_end(uint32_t c)
{
    return c == 0x3002 || c == 0xFF1A || c == 0xFF1B || c == ':' || c == ';' || c == 0xFF01 ||
           c == 0xFF1F || c == '!' || c == '?';
}

static size_t skip_space(const char *p, size_t len, size_t i)
{
    while (i < len) {
        uint32_t cp;
        size_t k = gw_decode(p + i, len - i, &cp);
        if (!gw_is_space(cp))
            break;
        i += k;
    }
    return i;
}

/* The heading text after a label ending at byte after: up to the first
 * sentence end. */
static void set_heading(const char *p, size_t len, size_t after, struct cand *c)
{
    size_t h = skip_space(p, len, after);
    size_t e = h;
    while (e < len) {
        uint32_t cp;
        size_t k = gw_decode(p + e, len - e, &cp);
        if (is_heading_end(cp))
            break;
        e += k;
    }
    size_t hl = e - h;
    const char *hp = gw_trim(p + h, &hl);
    c->head_off = (size_t)(hp - p);
    c->head_len = hl;
}

static void set_label(struct cand *c, int form, enum hclass cls, int value, size_t open_len,
                      size_t num_end, size_t close_len)
{
    c->form = form;
    c->cls = cls;
    c->value = value;
    c->depth = 0;
    c->lab_off = 0;
    c->lab_len = num_end + close_len;
    c->open_len = open_len;
    c->close_off = num_end;
    c->close_len = close_len;
    c->list = 0;
}

/* Try form f on the paragraph p[0..len) (leading space already skipped). */
static int match_form(int f, const char *p, size_t len, struct cand *c)
{
    const struct heading_form *hf = &forms[f];
    size_t i = 0;
    int opened = 0;
    for (int k = 0; k < 2 && hf->open[k]; k++) {
        if (gw_starts(p, len, hf->open[k])) {
            i = strlen(hf->open[k]);
            opened = 1;
            break;
        }
    }
    if (!opened)
        return 0;
    size_t used = 0;
    int v = -1;
    c->numeral_ar = 0;
    if (hf->numerals & NUM_CN)
        v = gw_parse_cn_number(p + i, len - i, &used);
    if (v < 0 && (hf->numerals & NUM_AR)) {
        v = gw_parse_ar_number(p + i, len - i, &used);
        c->numeral_ar = 1;
    }
    if (v <= 0)
        return 0;
    size_t num_end = i + used;
    size_t close_len = 0;
    for (int k = 0; k < 3 && hf->close[k]; k++) {
        if (gw_starts(p + num_end, len - num_end, hf->close[k])) {
            close_len = strlen(hf->close[k]);
            break;
        }
    }
    if (close_len == 0)
        return 0;
    size_t after = num_end + close_len;
    if ((hf->flags & HF_NO_DIGIT) && is_digit_at(p + after, len - after))
        return 0;
    if (hf->flags & HF_NO_DIGIT) {
        /* 1.5, 3.2% are numbers; "1." before a Latin letter or % too */
        if (after < len && (p[after] == '%' || p[after] == '.'))
            return 0;
    }
    if (hf->flags & HF_NO_LIST) {
        size_t u2;
        if (gw_parse_cn_number(p + after, len - after, &u2) > 0 &&
            gw_starts(p + after + u2, len - after - u2, "、"))
            return 0; /* 一、二、三 */
    }
    if (hf->flags & HF_REGULATION) {
        /* 第一条是… / 第三章节 / 第2节课 are prose */
        uint32_t nx = 0;
        if (after < len)
            gw_decode(p + after, len - after, &nx);
        if (nx == 0x662F || nx == 0x8282 || is_digit_at(p + after, len - after) || nx == 0xFF0C ||
            nx == 0x3001 || nx == 0x7684)
            return 0; /* 是 节 ， 、 的 */
    }
    set_label(c, f, hf->cls, v, i, num_end, close_len);
    if (hf->flags & HF_UNTITLED) {
        /* 第一条【立法目的】 / 第一条（目的） carry a title; most do not */
        size_t h = skip_space(p, len, after);
        const char *cl = NULL;
        size_t ol = 0;
        if (gw_starts(p + h, len - h, "【"))
            cl = "】", ol = 3;
        else if (gw_starts(p + h, len - h, "（"))
            cl = "）", ol = 3;
        c->head_off = h;
        c->head_len = 0;
        if (cl) {
            ptrdiff_t e = gw_find(p + h + ol, len - h - ol, cl);
            if (e > 0 && gw_count(p + h + ol, (size_t)e) <= 20) {
                c->head_off = h + ol;
                c->head_len = (size_t)e;
            }
        }
        return 1;
    }
    set_heading(p, len, after, c);
    return 1;
}

/*
 * A decimal outline label: 1.1 / 1.2.1 / 5.1.2 followed by white space
 * (ASCII or U+3000), as 预案 and technical documents number their parts;
 * or a bare 1 + white space + a short title, the top level of such an
 * outline (kept only when the text has 1.1 labels too). 1.5万元 and 3.2%
 * are figures: a label needs the space, and the title may not start with
 * a digit.
 */
static int match_decimal(const char *p, size_t len, struct cand *c)
{
    size_t i = 0;
    int depth = 0, last = 0;
    while (depth < DEC_MAX_DEPTH) {
        size_t j = i;
        int v = 0;
        while (j < len && j - i < 3 && p[j] >= '0' && p[j] <= '9')
            v = v * 10 + (p[j++] - '0');
        if (j == i || (j < len && p[j] >= '0' && p[j] <= '9'))
            return 0;
        depth++;
        last = v;
        i = j;
        if (i + 1 < len && (p[i] == '.' || gw_starts(p + i, len - i, "．"))) {
            size_t dl = p[i] == '.' ? 1 : 3;
            if (i + dl < len && p[i + dl] >= '0' && p[i + dl] <= '9') {
                i += dl;
                continue;
            }
        }
        break;
    }
    if (last <= 0)
        return 0;
    uint32_t sp;
    if (i >= len)
        return 0;
    size_t k = gw_decode(p + i, len - i, &sp);
    if (sp != ' ' && sp != '\t' && sp != 0x3000)
        return 0;
    size_t h = skip_space(p, len, i + k);
    if (h >= len || is_digit_at(p + h, len - h))
        return 0;
    set_label(c, FORM_DEC, HC_DEC, last, 0, i, 0);
    c->depth = depth;
    c->numeral_ar = 1;
    set_heading(p, len, i, c);
    if (depth == 1) {
        /* a bare number: a title of its own, short, no sentence */
        if (c->head_off + c->head_len != len || gw_count(p + h, len - h) > 20)
            return 0;
    }
    return 1;
}

/* ① … ⑳ (U+2460..U+2473) opening a paragraph. */
static int match_circled(const char *p, size_t len, struct cand *c)
{
    uint32_t cp;
    if (len < 3)
        return 0;
    size_t k = gw_decode(p, len, &cp);
    if (cp < 0x2460 || cp > 0x2473)
        return 0;
    set_label(c, FORM_CIRC, HC_CIRC, (int)(cp - 0x2460) + 1, 0, k, 0);
    c->numeral_ar = 0;
    set_heading(p, len, k, c);
    return 1;
}

static int match_heading(const char *p, size_t len, struct cand *c)
{
    for (size_t f = 0; f < NFORMS; f++)
        if (match_form((int)f, p, len, c))
            return 1;
    return match_decimal(p, len, c) || match_circled(p, len, c);
}

int gw_is_heading_line(const char *p, size_t len)
{
    struct cand c;
    size_t s = skip_space(p, len, 0);
    return match_heading(p + s, len - s, &c);
}

void sc_sections_free(struct sc_section *s, size_t n)
{
    if (!s)
        return;
    for (size_t i = 0; i < n; i++) {
        free(s[i].label);
        free(s[i].heading);
        free(s[i].fault);
        for (size_t j = 0; j < s[i].npoints; j++)
            free(s[i].points[j].label);
        free(s[i].points);
    }
    free(s);
}

/* Label of value v in the style of candidate c (for "gap: （二） missing"). */
static void add_label(struct sc_buf *b, const char *text, const struct cand *c, int v)
{
    if (c->cls == HC_DEC) {
        /* 2.3 → 2.v: the label up to its last number */
        size_t keep = c->lab_len;
        while (keep > 0 && text[c->lab_off + keep - 1] >= '0' && text[c->lab_off + keep - 1] <= '9')
            keep--;
        sc_buf_add(b, text + c->lab_off, keep);
        sc_buf_addf(b, "%d", v);
        return;
    }
    if (c->cls == HC_CIRC) {
        char enc[4];
        if (v >= 1 && v <= 20)
            sc_buf_add(b, enc, sc_utf8_encode(0x2460 + (uint32_t)v - 1, enc));
        else
            sc_buf_addf(b, "(%d)", v);
        return;
    }
    sc_buf_add(b, text + c->lab_off, c->open_len);
    if (c->numeral_ar)
        sc_buf_addf(b, "%d", v);
    else
        gw_add_cn_number(b, v);
    sc_buf_add(b, text + c->lab_off + c->close_off, c->close_len);
}

static char *fault_note(const char *text, const struct cand *c, int last, int expect_from)
{
    struct sc_buf b = SC_BUF_INIT;
    if (c->value == last) {
        sc_buf_adds(&b, "duplicate label ");
        sc_buf_add(&b, text + c->lab_off, c->lab_len);
    } else if (c->value < expect_from) {
        sc_buf_adds(&b, "out of order: ");
        sc_buf_add(&b, text + c->lab_off, c->lab_len);
        sc_buf_adds(&b, " after ");
        add_label(&b, text, c, last);
    } else {
        sc_buf_adds(&b, "gap: ");
        add_label(&b, text, c, expect_from);
        if (c->value - 1 > expect_from) {
            sc_buf_adds(&b, "…");
            add_label(&b, text, c, c->value - 1);
        }
        sc_buf_adds(&b, " missing");
    }
    return sc_buf_take(&b, NULL);
}

/* Growable arrays without a twin of sc_buf: sc_reallocarray doubling. */
static int grow(void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 1;
    size_t nc = *cap ? *cap * 2 : 16;
    while (nc < need)
        nc *= 2;
    void *p = sc_reallocarray(*arr, nc, size);
    if (!p)
        return 0;
    *arr = p;
    *cap = nc;
    return 1;
}

/* One paragraph of the text. */
struct para {
    size_t off, len; /* bytes (untrimmed line) */
    int64_t cp_start, cp_end;
    long cand; /* index of its heading candidate, -1 none */
};

/* ---- what a paragraph looks like ---- */

static const char *para_text(const char *text, const struct para *pr, size_t *len)
{
    size_t l = pr->len;
    const char *p = gw_trim(text + pr->off, &l);
    *len = l;
    return p;
}

static uint32_t last_cp(const char *p, size_t len)
{
    if (len == 0)
        return 0;
    size_t b = len - 1;
    while (b > 0 && ((unsigned char)p[b] & 0xC0) == 0x80)
        b--;
    uint32_t cp;
    gw_decode(p + b, len - b, &cp);
    return cp;
}

static int is_sentence_end(uint32_t c)
{
    return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?';
}

/* One sentence at most: no 。！？ before the last character. */
static int one_sentence(const char *p, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t k = gw_decode(p + i, len - i, &cp);
        if (is_sentence_end(cp) && i + k < len) {
            /* a closing quote or bracket may follow the stop */
            size_t j = i + k;
            int only_close = 1;
            while (j < len) {
                uint32_t c2;
                size_t k2 = gw_decode(p + j, len - j, &c2);
                if (c2 != 0x201D && c2 != 0xFF09 && c2 != ')' && c2 != 0x300B && !gw_is_space(c2)) {
                    only_close = 0;
                    break;
                }
                j += k2;
            }
            if (!only_close)
                return 0;
        }
        i += k;
    }
    return 1;
}

/* Any of these characters: no title holds them. */
static int has_any(const char *p, size_t len, const uint32_t *set, size_t n)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += gw_decode(p + i, len - i, &cp);
        for (size_t k = 0; k < n; k++)
            if (cp == set[k])
                return 1;
    }
    return 0;
}

static const uint32_t title_breakers[] = {
    0x3002, 0xFF1B, 0xFF1A, 0xFF0C, 0xFF01, 0xFF1F, ';', ':', ',', '!', '?', '\t', 0x2026,
};
#define NBREAKERS (sizeof title_breakers / sizeof title_breakers[0])

static size_t cjk_count(const char *p, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += gw_decode(p + i, len - i, &cp);
        n += sc_is_cjk(cp) != 0;
    }
    return n;
}

/* A body paragraph: long enough to be prose. */
static int is_body(const char *text, const struct para *pr)
{
    size_t l;
    if (pr->cand >= 0)
        return 0;
    const char *p = para_text(text, pr, &l);
    /* 30 characters take 30 to 120 bytes */
    return l >= 120 || (l >= 30 && gw_count(p, l) >= 30);
}

/*
 * The start of a list appended to the document, or of a glossary: its
 * numbered lines are entries, not headings. Three kinds:
 *  - a glossary (名词解释, 名词注释, 术语解释, 注释 …): to the end of the text;
 *  - a title that names a list (民生实事, 清单, 名单, 一览表, 指标, 分工,
 *    项目表, 汇总表, 名录, 统计表, 明细表), after an optional 附件 /
 *    附件1 / 附表 marker: until a numbered line has prose under it again
 *    (a section resumes: the list was a table in the body);
 *  - a note (注：): the numbered lines right after it.
 * The 附件 line of a 印发 notice followed by the 方案 it prints starts
 * none: 方案 is not a list noun.
 */
enum {
    LIST_NONE = 0,
    LIST_GLOSSARY,
    LIST_TITLED,
    LIST_NOTE
};
static const char *const glossary_titles[] = {
    "名词解释", "名词注释", "名词解读", "名词说明", "词语解释", "术语解释", "注释", "注解",
};
static const char *const note_titles[] = { "注：", "注:" };
static const struct list_noun {
    const char *word; /* first member: gw_first_word reads it */
} list_nouns[] = {
    { "民生实事" }, { "清单" },     { "名单" },     { "一览表" }, { "指标" },
    { "分工" },     { "项目表" },   { "汇总表" },   { "名录" },   { "统计表" },
    { "明细表" },   { "名词解释" }, { "名词注释" },
};
static struct gw_word_index noun_index = GW_WORD_INDEX(list_nouns);
static pthread_once_t noun_once = PTHREAD_ONCE_INIT;

static void noun_index_init(void)
{
    gw_word_index_init(&noun_index);
}

static int list_title(const char *p, size_t len)
{
    /* 附件 / 附件1 / 附件一 / 附表2 / 附： with what follows */
    static const char *const marks[] = { "附件", "附表", "附录", "附：", "附:" };
    for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++) {
        if (!gw_starts(p, len, marks[k]))
            continue;
        size_t i = strlen(marks[k]);
        size_t u;
        if (gw_parse_ar_number(p + i, len - i, &u) > 0 ||
            gw_parse_cn_number(p + i, len - i, &u) > 0)
            i += u;
        if (gw_starts(p + i, len - i, "："))
            i += 3;
        else if (i < len && p[i] == ':')
            i++;
        p += i;
        len -= i;
        p = gw_trim(p, &len);
        break;
    }
    /* at most 40 characters: 160 bytes bound them */
    if (len == 0 || len > 160 || gw_count(p, len) > 40 || gw_find(p, len, "。") >= 0 ||
        memchr(p, '\t', len))
        return LIST_NONE; /* a sentence, or a table row */
    for (size_t k = 0; k < sizeof glossary_titles / sizeof glossary_titles[0]; k++)
        if (gw_starts(p, len, glossary_titles[k]))
            return LIST_GLOSSARY;
    for (size_t k = 0; k < sizeof note_titles / sizeof note_titles[0]; k++)
        if (gw_starts(p, len, note_titles[k]))
            return LIST_NOTE;
    pthread_once(&noun_once, noun_index_init);
    return gw_first_word(&noun_index, p, len) >= 0 ? LIST_TITLED : LIST_NONE;
}

/* Mark inlist[i] for the paragraphs inside an appended list, a glossary
 * or a note (the kinds above). */
static void list_regions(const char *text, const struct para *paras, size_t npara,
                         unsigned char *inlist)
{
    int in = LIST_NONE;
    for (size_t i = 1; i < npara; i++) {
        size_t l;
        const char *p = para_text(text, &paras[i], &l);
        if (paras[i].cand < 0) {
            int t = list_title(p, l);
            if (t != LIST_NONE && !(in == LIST_GLOSSARY))
                in = t;
            else if (in == LIST_NOTE && l > 0)
                in = LIST_NONE; /* the note's items are over */
        } else if (in == LIST_TITLED && i + 1 < npara && is_body(text, &paras[i + 1])) {
            in = LIST_NONE; /* prose under a numbered line: a section again */
        }
        inlist[i] = in != LIST_NONE;
    }
}

/* 附件：1.XXX — an attachment list whose next items follow as lines. */
static int attachment_list(const char *p, size_t len)
{
    return (gw_starts(p, len, "附件：") || gw_starts(p, len, "附件:")) && gw_find(p, len, "1") >= 0;
}

/* An introduction that announces a list: it ends with a colon, or it
 * speaks of 下列 / 如下 / 以下. */
static int announces_list(const char *p, size_t len)
{
    uint32_t e = last_cp(p, len);
    if (e == 0xFF1A || e == ':')
        return 1;
    return (gw_find(p, len, "下列") >= 0 || gw_find(p, len, "如下") >= 0) &&
           (e == 0x3002 || e == 0xFF1A);
}

/*
 * Section nouns a title without a number ends with (“十四五”时期发展成就和
 * 2025年工作回顾, 2026年重点工作, 加强政府自身建设). A short line that ends
 * otherwise is left alone: a signature, a banner, a table cell.
 */
static const char *const part_nouns[] = {
    "回顾",     "成就",     "成效",     "成绩", "目标",     "任务",     "重点工作",
    "主要工作", "工作安排", "工作部署", "部署", "总体要求", "自身建设", "打算",
    "展望",     "思路",     "举措",     "问题", "形势",     "经验",     "启示",
    "主要措施", "政策取向", "主要内容", "规划", "建议",     "年工作",   "政府工作",
};

static int part_title(const char *p, size_t len)
{
    if (len > 120) /* over 30 characters */
        return 0;
    size_t n = gw_count(p, len);
    if (n < 4 || n > 30 || cjk_count(p, len) < 4)
        return 0;
    if (has_any(p, len, title_breakers, NBREAKERS))
        return 0;
    if (gw_starts(p, len, "—") || gw_starts(p, len, "-") || gw_starts(p, len, "（") ||
        gw_starts(p, len, "("))
        return 0;
    for (size_t k = 0; k < sizeof part_nouns / sizeof part_nouns[0]; k++)
        if (gw_ends(p, len, part_nouns[k]))
            return 1;
    return 0;
}

/* A chapter title whose 第X章 was lost (倡导与规范, 附　则): short, no
 * punctuation, ideographs and spaces only. */
static int bare_chapter(const char *p, size_t len)
{
    size_t n = gw_count(p, len);
    if (n < 2 || n > 15)
        return 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += gw_decode(p + i, len - i, &cp);
        if (!sc_is_cjk(cp) && !gw_is_space(cp))
            return 0;
    }
    return cjk_count(p, len) >= 2;
}

/* ---- the notes part ---- */

/* A note line of the notes part: [1] or ［1］ then the note. */
static int note_line(const char *p, size_t len)
{
    size_t i, u;
    if (gw_starts(p, len, "["))
        i = 1;
    else if (gw_starts(p, len, "［"))
        i = 3;
    else
        return 0;
    if (gw_parse_ar_number(p + i, len - i, &u) <= 0)
        return 0;
    i += u;
    return gw_starts(p + i, len - i, "]") || gw_starts(p + i, len - i, "］");
}

static int notes_head(const char *p, size_t len)
{
    return (len == strlen("脚注") && memcmp(p, "脚注", len) == 0) ||
           (len == strlen("尾注") && memcmp(p, "尾注", len) == 0);
}

/*
 * Where the notes part starts: intake writes a .docx's footnotes and
 * endnotes after the body as a line 脚注 (or 尾注) and one line [n] per
 * note. The part is the trailing run of such lines that opens with a
 * head line; npara if there is none.
 */
static size_t notes_start(const char *text, const struct para *paras, size_t npara)
{
    size_t from = npara;
    for (size_t i = npara; i-- > 1;) {
        size_t l;
        const char *p = para_text(text, &paras[i], &l);
        if (l == 0)
            continue;
        if (notes_head(p, l))
            from = i;
        else if (!note_line(p, l))
            break;
    }
    if (from < npara) {
        size_t l;
        const char *p = para_text(text, &paras[from], &l);
        if (!notes_head(p, l))
            return npara;
    }
    return from;
}

size_t gw_notes_at(const char *text, size_t len)
{
    size_t at = len, end = len;
    while (end > 0) {
        size_t st = end;
        while (st > 0 && text[st - 1] != '\n')
            st--;
        if (st == 0)
            break; /* the title */
        size_t l = end - st;
        const char *p = gw_trim(text + st, &l);
        if (l > 0) {
            if (notes_head(p, l))
                at = st;
            else if (!note_line(p, l))
                break;
        }
        end = st - 1;
    }
    if (at < len) {
        size_t l = len - at;
        const char *nl = memchr(text + at, '\n', l);
        l = nl ? (size_t)(nl - text) - at : l;
        const char *p = gw_trim(text + at, &l);
        if (!notes_head(p, l))
            return len;
    }
    return at;
}

/* ---- points: 一是…二是…, 第一，第二， ---- */

struct run {      /* the 一是 二是 (or 第一，第二，) sequence being collected */
    long section; /* owning section, -1 none */
    int next;     /* value expected next */
    size_t first; /* index of its first point in the section */
};

static enum sc_err add_point(struct sc_section *s, size_t *caps, long si, const char *text,
                             size_t lab_off, size_t lab_len, int64_t start, int64_t end)
{
    struct sc_section *sec = &s[si];
    void *arr = sec->points;
    if (!grow(&arr, &caps[si], sec->npoints + 1, sizeof *sec->points))
        return SC_ENOMEM;
    sec->points = arr;
    char *label = sc_strndup(text + lab_off, lab_len);
    if (!label)
        return SC_ENOMEM;
    sec->points[sec->npoints].label = label;
    sec->points[sec->npoints].start_cp = start;
    sec->points[sec->npoints].end_cp = end;
    sec->npoints++;
    return SC_OK;
}

/* Close the run: a single 一是 with no 二是 is prose, not a list. */
static void end_run(struct sc_section *s, struct run *r)
{
    if (r->section >= 0) {
        struct sc_section *sec = &s[r->section];
        if (sec->npoints - r->first < 2) {
            for (size_t j = r->first; j < sec->npoints; j++)
                free(sec->points[j].label);
            sec->npoints = r->first;
        }
    }
    r->section = -1;
    r->next = 0;
}

static int is_point_boundary(uint32_t c)
{
    return c == 0 || gw_is_space(c) || c == 0x3002 || c == 0xFF0C || c == 0xFF1B || c == 0xFF1A ||
           c == 0xFF01 || c == 0xFF1F || c == 0x3001 || c == 0xFF09 || c == ',' || c == ';' ||
           c == ':' || c == '!' || c == '?' || c == ')' || c == 0x201D;
}

/* Add the point whose label is p[ns..le) of value v to run r in section si. */
static enum sc_err take_point(const struct para *pr, const char *p, size_t ns, size_t le, int v,
                              long si, struct sc_section *s, size_t *caps, struct run *r,
                              int64_t *cp_at, size_t *cp_off)
{
    /* sequence logic: 一是 starts a run; the next number continues it */
    if (v == 1) {
        end_run(s, r);
        r->section = si;
        r->next = 2;
        r->first = s[si].npoints;
    } else if (r->section == si && v == r->next) {
        r->next++;
    } else {
        return SC_OK;
    }
    *cp_at += (int64_t)gw_count(p + *cp_off, ns - *cp_off);
    *cp_off = ns;
    struct sc_section *sec = &s[si];
    /* the previous point (of this run or of an earlier run in the same
     * paragraph) ends where this one starts */
    if (sec->npoints > 0 && sec->points[sec->npoints - 1].end_cp > *cp_at)
        sec->points[sec->npoints - 1].end_cp = *cp_at;
    return add_point(s, caps, si, p, ns, le - ns, *cp_at, pr->cp_end);
}

/* Scan paragraph pr for 一是/二是… and attach points to section si. */
static enum sc_err scan_points(const char *text, const struct para *pr, long si,
                               struct sc_section *s, size_t *caps, struct run *r)
{
    const char *p = text + pr->off;
    size_t len = pr->len;
    size_t off = 0;
    int64_t cp_at = pr->cp_start; /* cp offset of p[off] */
    size_t cp_off = 0;            /* byte offset cp_at refers to */
    while (off + 2 < len) {
        /* 是 is E6 98 AF: look for its rarer last byte */
        const char *hit = memchr(p + off + 2, 0xAF, len - off - 2);
        if (!hit)
            break;
        size_t shi = (size_t)(hit - p) - 2; /* byte offset of 是, if it is one */
        off = shi + 3;
        if ((unsigned char)p[shi] != 0xE6 || (unsigned char)p[shi + 1] != 0x98)
            continue;
        /* walk back over up to 4 numeral characters */
        size_t ns = shi;
        for (int k = 0; k < 4 && ns > 0; k++) {
            uint32_t pc = gw_prev_cp(p, ns);
            if (gw_cn_digit(pc) < 0 || pc == 0x4E24 || pc == 0x96F6 || pc == 0x3007 || pc == 0x767E)
                break;
            ns -= 3;
        }
        if (ns == shi || !is_point_boundary(gw_prev_cp(p, ns)))
            continue;
        size_t used = 0;
        int v = gw_parse_cn_number(p + ns, shi - ns, &used);
        if (v <= 0 || used != shi - ns || si < 0)
            continue;
        enum sc_err err = take_point(pr, p, ns, shi + 3, v, si, s, caps, r, &cp_at, &cp_off);
        if (err)
            return err;
    }
    return SC_OK;
}

/* Scan paragraph pr for 第一，/第二，… (a speech's points) at a boundary. */
static enum sc_err scan_ordinal_points(const char *text, const struct para *pr, long si,
                                       struct sc_section *s, size_t *caps, struct run *r)
{
    const char *p = text + pr->off;
    size_t len = pr->len;
    int64_t cp_at = pr->cp_start;
    size_t cp_off = 0;
    for (size_t off = 0; off + 3 <= len && si >= 0;) {
        ptrdiff_t at = gw_find(p + off, len - off, "第");
        if (at < 0)
            break;
        size_t ns = off + (size_t)at, i = ns + 3, used;
        off = i;
        if (!is_point_boundary(gw_prev_cp(p, ns)))
            continue;
        int v = gw_parse_cn_number(p + i, len - i, &used);
        if (v <= 0 || v > 20 || !gw_starts(p + i + used, len - i - used, "，"))
            continue;
        enum sc_err err = take_point(pr, p, ns, i + used, v, si, s, caps, r, &cp_at, &cp_off);
        if (err)
            return err;
    }
    return SC_OK;
}

/* ---- the outline ---- */

/* Kept candidates in paragraph order, with the titles without a number
 * merged in. */
static int push_cand(struct cand **arr, size_t *n, size_t *cap, const struct cand *c)
{
    if (!grow((void **)arr, cap, *n + 1, sizeof **arr))
        return 0;
    (*arr)[(*n)++] = *c;
    return 1;
}

/*
 * The list rules over the candidates: which numbered paragraphs are
 * entries of a list and not headings. Runs are siblings of one form under
 * one parent (by provisional level) with nothing of a higher level between
 * them. docs/gongwen.md gives the rules with examples.
 */
static void mark_lists(const char *text, const struct para *paras, size_t npara, struct cand *cands,
                       size_t ncand, int regulation, const unsigned char *inlist, long *next_sib)
{
    /* inside a 第X条 every 公文-form line is an item of the article */
    if (regulation) {
        int inside = 0;
        for (size_t i = 0; i < ncand; i++) {
            if (cands[i].cls == HC_TIAO)
                inside = 1;
            else if (is_regulation(&cands[i]))
                inside = 0;
            else if (inside && is_gongwen(cands[i].cls))
                cands[i].list = 1;
        }
    }
    /* a table row (cells joined by tabs) and everything after the start
     * of an appended list or glossary (inlist) */
    for (size_t i = 0; i < ncand; i++) {
        size_t l;
        const char *p = para_text(text, &paras[cands[i].para], &l);
        if (inlist[cands[i].para] || (memchr(p, '\t', l) && is_gongwen(cands[i].cls)))
            cands[i].list = 1;
    }
    /* 附件：1.XXX then 2.XXX on the next lines */
    for (size_t i = 1; i < npara; i++) {
        size_t l;
        const char *p = para_text(text, &paras[i], &l);
        if (!attachment_list(p, l))
            continue;
        for (size_t j = i + 1; j < npara && paras[j].cand >= 0; j++) {
            struct cand *c = &cands[paras[j].cand];
            if (c->cls != HC_AR)
                break;
            c->list = 1;
        }
    }
    /* runs of siblings */
    for (size_t i = 0; i < ncand; i++)
        next_sib[i] = -1;
    for (size_t i = 0; i < ncand; i++) {
        for (size_t j = i + 1; j < ncand; j++) {
            if (cands[j].plevel < cands[i].plevel)
                break;
            if (cands[j].plevel == cands[i].plevel) {
                if (cands[j].cls == cands[i].cls && cands[j].depth == cands[i].depth)
                    next_sib[i] = (long)j;
                break;
            }
        }
    }
    unsigned char *seen = sc_calloc(ncand ? ncand : 1, 1);
    if (!seen)
        return; /* no list runs then: headings stay headings */
    for (size_t i = 0; i < ncand; i++) {
        if (seen[i] || !is_gongwen(cands[i].cls))
            continue;
        size_t n = 0, semi = 0, single = 0, bare = 0, statements = 0, colon = 0;
        int last_bare = 0;
        for (long k = (long)i; k >= 0; k = next_sib[k]) {
            seen[k] = 1;
            const struct cand *c = &cands[k];
            size_t l;
            const char *p = para_text(text, &paras[c->para], &l);
            uint32_t e = last_cp(p, l);
            n++;
            semi += e == 0xFF1B || e == ';';
            /* an item broken after a colon (12.第十四届航展：) goes on in
             * the next line: it counts neither way */
            int broken = e == 0xFF1A || e == ':';
            colon += broken;
            int one = one_sentence(p, l);
            single += one;
            /* a statement, not a titled item: one sentence that ends like
             * one, or a first sentence too long for a title */
            uint32_t endc = last_cp(p, l);
            statements += (one && (is_sentence_end(endc) || endc == 0xFF1B || endc == ';')) ||
                          gw_count(text + c->head_off, c->head_len) > 20;
            /* bare: no body of its own before the next heading */
            size_t nx = c->para + 1;
            int b = nx >= npara || paras[nx].cand >= 0;
            if (b && nx < npara) {
                const struct cand *d = &cands[paras[nx].cand];
                b = d->plevel <= c->plevel;
            }
            bare += b || broken;
            last_bare = b || broken;
        }
        int list = 0;
        if (single == n && semi > 0 && semi * 2 >= n - colon)
            list = 1; /* （一）…；（二）…；（三）…。 */
        if (!list && n >= 2 && 4 * single >= 3 * n && 4 * (bare + !last_bare) >= 3 * n) {
            size_t first = cands[i].para;
            size_t l;
            const char *p = para_text(text, &paras[first - 1], &l);
            if (first > 1 && announces_list(p, l))
                list = 1; /* 符合下列要求的…： 1.… 2.… */
        }
        if (!list && (cands[i].cls == HC_PAR || cands[i].cls == HC_CIRC) &&
            bare + !last_bare >= n && statements == n)
            list = 1; /* （1）负责…。（2）负责…。 with nothing under them */
        if (!list)
            continue;
        for (long k = (long)i; k >= 0; k = next_sib[k])
            cands[k].list = 1;
    }
    free(seen);
    /* the items of a list item are list items too (11.国内联播快讯： with
     * its （1）…（8）) */
    long *stack = sc_malloc((ncand ? ncand : 1) * sizeof *stack);
    if (!stack)
        return;
    size_t depth = 0;
    for (size_t i = 0; i < ncand; i++) {
        while (depth > 0 && cands[stack[depth - 1]].plevel >= cands[i].plevel)
            depth--;
        if (depth > 0 && cands[stack[depth - 1]].list && is_gongwen(cands[i].cls) &&
            is_gongwen(cands[stack[depth - 1]].cls))
            cands[i].list = 1;
        stack[depth++] = (long)i;
    }
    free(stack);
}

enum sc_err gw_outline(const char *text, size_t len, const struct gw_doc *doc,
                       struct sc_section **out, size_t *n)
{
    if (!out || !n || (!text && len))
        return SC_EINVAL;
    *out = NULL;
    *n = 0;
    enum sc_err err = SC_ENOMEM;
    struct para *paras = NULL;
    struct cand *cands = NULL, *kept = NULL;
    struct sc_section *s = NULL;
    long *parent = NULL, *next_sib = NULL, *stk = NULL;
    int *last_val = NULL; /* per frame (root + sections) and class */
    size_t *pcaps = NULL, *bstart = NULL;
    unsigned char *inlist = NULL;
    size_t npara = 0, cap_para = 0, ncand = 0, cap_cand = 0, nkept = 0, cap_kept = 0, nsec = 0;
    if (len == 0)
        return SC_OK;

    /* paragraphs with their cp ranges */
    int64_t cp = 0;
    for (size_t off = 0; off <= len;) {
        const char *nl = memchr(text + off, '\n', len - off);
        size_t end = nl ? (size_t)(nl - text) : len;
        if (!grow((void **)&paras, &cap_para, npara + 1, sizeof *paras))
            goto done;
        int64_t c = (int64_t)gw_count(text + off, end - off);
        paras[npara++] = (struct para){ off, end - off, cp, cp + c, -1 };
        cp += c + 1;
        off = end + 1;
        if (!nl)
            break;
    }
    int64_t total = cp - 1;

    /* headings: the first paragraph is the title and never one */
    size_t notes_from = notes_start(text, paras, npara);
    int count[HC_COUNT] = { 0 }, dec_deep = 0;
    for (size_t i = 1; i < notes_from; i++) {
        const char *p = text + paras[i].off;
        size_t plen = paras[i].len;
        size_t lead = skip_space(p, plen, 0);
        struct cand c;
        if (!match_heading(p + lead, plen - lead, &c))
            continue;
        if (!grow((void **)&cands, &cap_cand, ncand + 1, sizeof *cands))
            goto done;
        c.lab_off += paras[i].off + lead;
        c.head_off += paras[i].off + lead;
        c.cp_start = paras[i].cp_start + (int64_t)gw_count(p, lead);
        c.para = i;
        cands[ncand++] = c;
        count[c.cls]++;
        dec_deep += c.cls == HC_DEC && c.depth >= 2;
    }
    /* a regulation form counts only when it occurs twice: one stray
     * "第一条" in a report does not make it a regulation; a decimal outline
     * needs two 1.1 labels, and gives way to a regulation */
    int rank[HC_COUNT] = { 0 }, nreg = 0, dmax = 0;
    for (size_t f = 0; f < NFORMS; f++) {
        if ((forms[f].flags & HF_REGULATION) && count[forms[f].cls] >= 2)
            rank[forms[f].cls] = ++nreg;
    }
    int decimal = nreg == 0 && dec_deep >= 2;
    size_t w = 0;
    for (size_t i = 0; i < ncand; i++) {
        struct cand *c = &cands[i];
        if (is_regulation(c) && rank[c->cls] == 0)
            continue;
        if (c->cls == HC_DEC && !decimal)
            continue;
        if (c->cls == HC_DEC && c->depth > dmax)
            dmax = c->depth;
        cands[w++] = *c;
    }
    ncand = w;
    for (size_t i = 0; i < npara; i++)
        paras[i].cand = -1;
    for (size_t i = 0; i < ncand; i++) {
        struct cand *c = &cands[i];
        paras[c->para].cand = (long)i;
        if (is_regulation(c))
            c->plevel = rank[c->cls];
        else if (c->cls == HC_DEC)
            c->plevel = c->depth;
        else
            c->plevel =
                (decimal ? dmax : nreg) + (c->cls == HC_CIRC ? CIRC_LEVEL : form_of(c)->level);
    }
    next_sib = sc_malloc((ncand ? ncand : 1) * sizeof *next_sib);
    if (!next_sib)
        goto done;
    /* the appended lists, glossaries and notes */
    inlist = sc_calloc(npara, 1);
    if (!inlist)
        goto done;
    list_regions(text, paras, npara, inlist);
    mark_lists(text, paras, npara, cands, ncand, rank[HC_TIAO] > 0, inlist, next_sib);
    for (size_t i = 0; i < ncand; i++)
        if (cands[i].list)
            paras[cands[i].para].cand = -1;

    /* titles without a number: a regulation's chapter that lost its 第X章,
     * or the top-level parts of a report above its 一、 */
    int unnumbered = 0;
    /* the header (title lines, 版头, the 省长 line) ends at the first body
     * paragraph, heading or salutation (各位代表：) */
    size_t body_from = npara;
    for (size_t i = 1; i < npara && body_from == npara; i++) {
        size_t l;
        const char *p = para_text(text, &paras[i], &l);
        uint32_t e = last_cp(p, l);
        if (is_body(text, &paras[i]) || paras[i].cand >= 0 || e == 0xFF1A || e == ':')
            body_from = i;
    }
    unsigned char *unnum = sc_calloc(npara, 1);
    if (!unnum)
        goto done;
    size_t nun = 0, first_un = npara;
    for (size_t i = body_from + 1; i < notes_from; i++) {
        if (paras[i].cand >= 0 || inlist[i])
            continue;
        size_t l, pl;
        const char *p = para_text(text, &paras[i], &l);
        const char *prev = para_text(text, &paras[i - 1], &pl);
        long pc = paras[i - 1].cand, nc = i + 1 < npara ? paras[i + 1].cand : -1;
        if (l == 0)
            continue;
        if (rank[HC_ZHANG]) {
            /* between two articles, before a 第X条 */
            if (nc >= 0 && cands[nc].cls == HC_TIAO && (pc < 0 || cands[pc].cls == HC_TIAO) &&
                bare_chapter(p, l))
                unnum[i] = 2;
        } else if (nreg == 0 && !decimal && part_title(p, l)) {
            uint32_t pe = last_cp(prev, pl);
            int before = is_body(text, &paras[i - 1]) || pe == 0xFF1A || pe == ':';
            size_t nl = 0;
            const char *next = i + 1 < npara ? para_text(text, &paras[i + 1], &nl) : NULL;
            uint32_t ne = next ? last_cp(next, nl) : 0;
            int after = next && (is_body(text, &paras[i + 1]) || ne == 0xFF1A || ne == ':' ||
                                 (nc >= 0 && is_gongwen(cands[nc].cls)));
            if (before && after) {
                unnum[i] = 1;
                nun++;
                if (first_un == npara)
                    first_un = i;
            }
        }
    }
    /* they head the parts of a report above its 一、 or （一）: a news
     * transcript's titles, a law's lines are something else */
    int gongwen_after = 0;
    for (size_t i = 0; i < ncand && first_un < npara; i++)
        gongwen_after |= !cands[i].list && cands[i].para > first_un &&
                         (cands[i].cls == HC_CN || cands[i].cls == HC_PCN);
    if (!gongwen_after ||
        (doc && doc->genre &&
         (strcmp(doc->genre, "新闻稿") == 0 || strcmp(doc->genre, "法律法规") == 0)))
        nun = 0;
    if (nun == 1) {
        /* one such title counts when no numbered heading stands above it */
        for (size_t i = 0; i < ncand; i++)
            if (!cands[i].list && cands[i].para < first_un && is_gongwen(cands[i].cls))
                unnum[first_un] = 0, nun = 0;
    }
    unnumbered = nun > 0;

    /* the headings, in paragraph order */
    for (size_t i = 1; i < npara; i++) {
        if (paras[i].cand >= 0) {
            if (!push_cand(&kept, &nkept, &cap_kept, &cands[paras[i].cand]))
                goto done_un;
        } else if (i >= notes_from) {
            size_t l;
            const char *p = para_text(text, &paras[i], &l);
            if (!notes_head(p, l))
                continue;
            struct cand c;
            memset(&c, 0, sizeof c);
            c.form = FORM_NONE;
            c.cls = HC_NOTES;
            c.lab_off = (size_t)(p - text);
            c.head_off = c.lab_off;
            c.head_len = l;
            c.cp_start = paras[i].cp_start +
                         (int64_t)gw_count(text + paras[i].off, c.lab_off - paras[i].off);
            c.para = i;
            c.plevel = 1;
            if (!push_cand(&kept, &nkept, &cap_kept, &c))
                goto done_un;
        } else if (unnum[i]) {
            if (unnum[i] == 1 && !unnumbered)
                continue;
            size_t l;
            const char *p = para_text(text, &paras[i], &l);
            struct cand c;
            memset(&c, 0, sizeof c);
            c.form = FORM_NONE;
            c.cls = HC_NONE;
            c.lab_off = (size_t)(p - text);
            c.head_off = c.lab_off;
            c.head_len = l;
            c.cp_start = paras[i].cp_start +
                         (int64_t)gw_count(text + paras[i].off, c.lab_off - paras[i].off);
            c.para = i;
            c.plevel = unnum[i] == 2 ? rank[HC_ZHANG] : 1;
            if (!push_cand(&kept, &nkept, &cap_kept, &c))
                goto done_un;
        }
    }
    free(unnum);
    unnum = NULL;
    if (nkept == 0) {
        err = SC_OK;
        goto done;
    }

    /* levels: the regulation forms 1..R, a decimal outline its depth, the
     * 公文 forms after them; under titles without a number (level 1) and in
     * a decimal outline the forms present take the next levels in turn, so
     * that （一） directly under such a title is level 2 */
    int glevel[HC_COUNT] = { 0 };
    if (decimal || unnumbered) {
        int present[HC_COUNT] = { 0 }, next = decimal ? dmax : 1;
        for (size_t i = 0; i < nkept; i++)
            present[kept[i].cls] = 1;
        static const enum hclass order[] = { HC_CN, HC_PCN, HC_AR, HC_PAR, HC_CIRC };
        for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
            if (present[order[k]])
                glevel[order[k]] = ++next;
    }
    for (size_t i = 0; i < nkept; i++) {
        struct cand *c = &kept[i];
        if (c->cls == HC_NONE || c->cls == HC_NOTES || is_regulation(c) || c->cls == HC_DEC)
            continue;
        if (decimal || unnumbered)
            c->plevel = glevel[c->cls];
        else
            c->plevel = nreg + (c->cls == HC_CIRC ? CIRC_LEVEL : form_of(c)->level);
    }

    s = sc_calloc(nkept, sizeof *s);
    parent = sc_malloc(nkept * sizeof *parent);
    last_val = sc_calloc((nkept + 1) * HC_COUNT, sizeof *last_val);
    pcaps = sc_calloc(nkept, sizeof *pcaps);
    bstart = sc_malloc(nkept * 2 * sizeof *bstart);
    stk = sc_malloc(nkept * sizeof *stk);
    if (!s || !parent || !last_val || !pcaps || !bstart || !stk)
        goto done;
    nsec = nkept;
    size_t *bend = bstart + nkept;

    size_t depth = 0;
    int global_last[HC_COUNT] = { 0 };
    const struct gw_doc nodoc = { NULL, 0 };
    if (!doc)
        doc = &nodoc;
    enum gw_direction dir = gw_direction_of(doc->genre);
    /* the body is read in the documents that both review and plan (a
     * 政府工作报告, a 讲话); a 总结's sections are its work and a 计划's its
     * plans unless their headings say otherwise; a 函 or a 批复 answers,
     * and its sections are neither */
    static const char *const reviewers[] = { "政府工作报告", "工作报告", "报告", "讲话" };
    int read_body = 0;
    for (size_t k = 0; dir == GW_BOTH && doc->genre && k < sizeof reviewers / sizeof reviewers[0];
         k++)
        read_body |= strcmp(doc->genre, reviewers[k]) == 0;
    for (size_t i = 0; i < nkept; i++) {
        const struct cand *c = &kept[i];
        struct sc_section *sec = &s[i];
        sec->level = c->plevel;
        sec->start_cp = c->cp_start;
        bstart[i] = paras[c->para].off;
        while (depth > 0 && s[stk[depth - 1]].level >= sec->level) {
            s[stk[depth - 1]].end_cp = sec->start_cp;
            bend[stk[depth - 1]] = paras[c->para].off;
            depth--;
        }
        parent[i] = depth ? stk[depth - 1] : -1;
        stk[depth++] = (long)i;
        sec->label = sc_strndup(text + c->lab_off, c->lab_len);
        sec->heading = sc_strndup(text + c->head_off, c->head_len);
        if (!sec->label || !sec->heading)
            goto done;
        if (c->cls == HC_NONE || c->cls == HC_NOTES)
            continue;
        /* numbering: compare with the previous sibling of the same form */
        int *frame = &last_val[(size_t)(parent[i] + 1) * HC_COUNT];
        int last = frame[c->cls];
        int v = c->value;
        int g = global_last[c->cls];
        int faulty = 0, from = 0;
        if (last > 0) {
            faulty = v != last + 1;
            from = last + 1;
        } else if (v != 1 && v != g + 1) {
            /* first of its form here: 1, or numbering carried on from the
             * previous parent (（三） under 二、 after （一）（二） under 一、) */
            faulty = 1;
            from = g + 1 < v ? g + 1 : 1;
        }
        if (faulty && !(sec->fault = fault_note(text, c, last, from)))
            goto done;
        frame[c->cls] = v;
        global_last[c->cls] = v;
    }
    while (depth > 0) {
        s[stk[depth - 1]].end_cp = total;
        bend[stk[depth - 1]] = len;
        depth--;
    }

    /* kinds: own strong match, else the parent's, else own weak match,
     * else the time the heading names, else the time of the body; a
     * regulation (it has 第X条) is not a report: no kinds */
    for (size_t i = 0; i < nsec; i++) {
        struct sc_section *sec = &s[i];
        if (kept[i].cls == HC_NOTES) {
            sec->kind = SC_KIND_NOTES;
            continue;
        }
        if (rank[HC_TIAO])
            continue;
        const char *h = sec->heading;
        size_t hl = strlen(h);
        int strong = 0;
        enum sc_section_kind own = gw_kind_of_heading(h, hl, dir, &strong);
        enum sc_section_kind pk = parent[i] >= 0 ? s[parent[i]].kind : SC_KIND_OTHER;
        /* in a directive or a plan every part under a plan is a plan:
         * （三）总结经验做法 is a task, not results */
        if (dir == GW_AHEAD && pk == SC_KIND_PLANS &&
            (own == SC_KIND_RESULTS || own == SC_KIND_WORK))
            own = SC_KIND_OTHER;
        if (own != SC_KIND_OTHER && (strong || pk == SC_KIND_OTHER)) {
            sec->kind = own;
            continue;
        }
        if (pk != SC_KIND_OTHER) {
            sec->kind = pk;
            continue;
        }
        enum gw_time t = gw_heading_time(h, hl, doc, dir);
        if (t == GW_TIME_NONE && read_body)
            t = gw_body_time(text + bstart[i], bend[i] - bstart[i]);
        sec->kind = gw_kind_of_time(t, doc, dir);
    }

    /* points: each paragraph belongs to its innermost section */
    struct run run = { -1, 0, 0 }, ord = { -1, 0, 0 };
    size_t next_sec = 0;
    long cur = -1;
    for (size_t i = 1; i < npara; i++) {
        int64_t at = paras[i].cp_start;
        while (next_sec < nsec && s[next_sec].start_cp <= at)
            cur = (long)next_sec++;
        while (cur >= 0 && s[cur].end_cp <= at)
            cur = parent[cur];
        if (cur != run.section && run.section >= 0)
            end_run(s, &run);
        if (cur != ord.section && ord.section >= 0)
            end_run(s, &ord);
        err = scan_points(text, &paras[i], cur, s, pcaps, &run);
        /* 第一，第二， are a speech's points; a law's 第X条 are not */
        if (!err && !nreg)
            err = scan_ordinal_points(text, &paras[i], cur, s, pcaps, &ord);
        if (err)
            goto done;
    }
    end_run(s, &run);
    end_run(s, &ord);
    err = SC_OK;
    *out = s;
    *n = nsec;
    s = NULL;
    goto done;
done_un:
    free(unnum);
done:
    if (s)
        sc_sections_free(s, nsec);
    free(paras);
    free(cands);
    free(kept);
    free(parent);
    free(next_sib);
    free(stk);
    free(last_val);
    free(pcaps);
    free(bstart);
    free(inlist);
    return err;
}

enum sc_err sc_outline_parse(const char *text, size_t len, struct sc_section **out, size_t *n)
{
    if (!out || !n || (!text && len))
        return SC_EINVAL;
    struct gw_doc d;
    gw_doc_of(text ? text : "", text ? len : 0, &d);
    return gw_outline(text, len, &d, out, n);
}
