/*
 * Word list numbering: numbering.xml (abstract definitions and the w:num
 * instances that use them) and styles.xml (paragraph styles that carry a
 * w:numPr, and which styles are titles or headings). With them the body
 * walker asks for the label of each numbered paragraph, so "一、", "（一）"
 * and "1." produced by Word's auto-numbering appear in the text like typed
 * ones: the 公文 parser depends on them.
 */
#include "docx_int.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LEVELS 9
#define MAX_DEFS   4096 /* abstract definitions or instances kept */
#define MAX_STYLES 8192
#define LVL_TEXT   64 /* bytes of w:lvlText kept */
#define STYLE_ID   64

enum numfmt {
    F_DECIMAL = 0,
    F_NONE,
    F_BULLET,
    F_DECIMAL_ZERO,
    F_UPPER_ROMAN,
    F_LOWER_ROMAN,
    F_UPPER_LETTER,
    F_LOWER_LETTER,
    F_ORDINAL,
    F_CN_COUNTING,
    F_CN_THOUSAND,
    F_CN_LEGAL,
    F_CN_LEGAL_TRAD,
    F_IDEO_DIGITAL,
    F_IDEO_TRADITIONAL,
    F_IDEO_ZODIAC,
    F_CIRCLE,
    F_FULLSTOP,
    F_PAREN,
    F_FULLWIDTH,
    F_HEX,
    F_UNKNOWN, /* "custom" and the like: keep what was there */
};

static const struct {
    const char *name;
    enum numfmt fmt;
} fmt_names[] = {
    { "aiueo", F_DECIMAL },
    { "bullet", F_BULLET },
    { "cardinalText", F_DECIMAL },
    { "chineseCounting", F_CN_COUNTING },
    { "chineseCountingThousand", F_CN_THOUSAND },
    { "chineseLegalSimplified", F_CN_LEGAL },
    { "custom", F_UNKNOWN },
    { "decimal", F_DECIMAL },
    { "decimalEnclosedCircle", F_CIRCLE },
    { "decimalEnclosedCircleChinese", F_CIRCLE },
    { "decimalEnclosedFullstop", F_FULLSTOP },
    { "decimalEnclosedParen", F_PAREN },
    { "decimalFullWidth", F_FULLWIDTH },
    { "decimalFullWidth2", F_FULLWIDTH },
    { "decimalHalfWidth", F_DECIMAL },
    { "decimalZero", F_DECIMAL_ZERO },
    { "hex", F_HEX },
    { "ideographDigital", F_IDEO_DIGITAL },
    { "ideographEnclosedCircle", F_CIRCLE },
    { "ideographLegalTraditional", F_CN_LEGAL_TRAD },
    { "ideographTraditional", F_IDEO_TRADITIONAL },
    { "ideographZodiac", F_IDEO_ZODIAC },
    { "ideographZodiacTraditional", F_IDEO_ZODIAC },
    { "japaneseCounting", F_CN_THOUSAND },
    { "japaneseDigitalTenThousand", F_IDEO_DIGITAL },
    { "japaneseLegal", F_CN_LEGAL_TRAD },
    { "lowerLetter", F_LOWER_LETTER },
    { "lowerRoman", F_LOWER_ROMAN },
    { "none", F_NONE },
    { "ordinal", F_ORDINAL },
    { "ordinalText", F_DECIMAL },
    { "taiwaneseCounting", F_CN_COUNTING },
    { "taiwaneseCountingThousand", F_CN_THOUSAND },
    { "taiwaneseDigital", F_IDEO_DIGITAL },
    { "upperLetter", F_UPPER_LETTER },
    { "upperRoman", F_UPPER_ROMAN },
};

static enum numfmt fmt_from_name(const char *name)
{
    if (!name)
        return F_DECIMAL;
    size_t lo = 0, hi = sizeof fmt_names / sizeof fmt_names[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(name, fmt_names[mid].name);
        if (c == 0)
            return fmt_names[mid].fmt;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return F_UNKNOWN;
}

/* ---- number formats ------------------------------------------------------ */

static const char *const cn_digits[10] = { "零", "一", "二", "三", "四",
                                           "五", "六", "七", "八", "九" };
static const char *const cn_units[4] = { "", "十", "百", "千" };
static const char *const legal_digits[10] = { "零", "壹", "贰", "叁", "肆",
                                              "伍", "陆", "柒", "捌", "玖" };
static const char *const legal_units[4] = { "", "拾", "佰", "仟" };
static const char *const trad_digits[10] = { "零", "壹", "貳", "參", "肆",
                                             "伍", "陸", "柒", "捌", "玖" };

/* 0 < n < 10000 in Chinese counting. short_ten: 10..19 read 十X (the
 * leading 一 dropped), as in 十一 rather than 一十一. */
static void cn_group(struct sc_buf *b, int n, const char *const *digits, const char *const *units,
                     int short_ten)
{
    int div = 1000, zero = 0, any = 0;
    for (int pos = 3; pos >= 0; pos--, div /= 10) {
        int d = (n / div) % 10;
        if (d == 0) {
            if (any)
                zero = 1;
            continue;
        }
        if (zero)
            sc_buf_adds(b, digits[0]);
        zero = 0;
        if (!(pos == 1 && d == 1 && !any && short_ten))
            sc_buf_adds(b, digits[d]);
        sc_buf_adds(b, units[pos]);
        any = 1;
    }
}

/* 1 <= n < 10^8 in Chinese counting with 万; else decimal. */
static void cn_number(struct sc_buf *b, int n, const char *const *digits, const char *const *units,
                      const char *wan, int short_ten)
{
    if (n <= 0 || n >= 100000000) {
        sc_buf_addf(b, "%d", n);
        return;
    }
    int high = n / 10000, low = n % 10000;
    if (high) {
        cn_group(b, high, digits, units, short_ten);
        sc_buf_adds(b, wan);
        if (low && low < 1000)
            sc_buf_adds(b, digits[0]);
        if (low)
            cn_group(b, low, digits, units, 0);
    } else {
        cn_group(b, low, digits, units, short_ten);
    }
}

static void roman(struct sc_buf *b, int n, int upper)
{
    static const struct {
        int v;
        const char *s;
    } r[] = { { 1000, "m" }, { 900, "cm" }, { 500, "d" }, { 400, "cd" }, { 100, "c" },
              { 90, "xc" },  { 50, "l" },   { 40, "xl" }, { 10, "x" },   { 9, "ix" },
              { 5, "v" },    { 4, "iv" },   { 1, "i" } };
    if (n <= 0 || n >= 4000) {
        sc_buf_addf(b, "%d", n);
        return;
    }
    for (size_t k = 0; k < sizeof r / sizeof r[0]; k++)
        while (n >= r[k].v) {
            for (const char *p = r[k].s; *p; p++)
                sc_buf_addc(b, (char)(upper ? *p - 32 : *p));
            n -= r[k].v;
        }
}

static void format_value(struct sc_buf *b, enum numfmt f, int n)
{
    switch (f) {
    case F_NONE:
    case F_BULLET: return;
    case F_DECIMAL_ZERO: sc_buf_addf(b, n >= 0 && n < 10 ? "0%d" : "%d", n); return;
    case F_UPPER_ROMAN:
    case F_LOWER_ROMAN: roman(b, n, f == F_UPPER_ROMAN); return;
    case F_UPPER_LETTER:
    case F_LOWER_LETTER:
        if (n <= 0 || n > 26 * 40) {
            sc_buf_addf(b, "%d", n);
        } else {
            char c = (char)((f == F_UPPER_LETTER ? 'A' : 'a') + (n - 1) % 26);
            for (int k = 0; k <= (n - 1) / 26; k++)
                sc_buf_addc(b, c);
        }
        return;
    case F_ORDINAL: {
        int t = n % 100, u = n % 10;
        const char *suf = (t >= 11 && t <= 13) ? "th"
                          : u == 1             ? "st"
                          : u == 2             ? "nd"
                          : u == 3             ? "rd"
                                               : "th";
        sc_buf_addf(b, "%d%s", n, suf);
        return;
    }
    case F_CN_COUNTING:
    case F_CN_THOUSAND: cn_number(b, n, cn_digits, cn_units, "万", 1); return;
    case F_CN_LEGAL: cn_number(b, n, legal_digits, legal_units, "万", 0); return;
    case F_CN_LEGAL_TRAD: cn_number(b, n, trad_digits, legal_units, "萬", 0); return;
    case F_IDEO_DIGITAL: {
        if (n < 0) {
            sc_buf_addf(b, "%d", n);
            return;
        }
        char tmp[16];
        snprintf(tmp, sizeof tmp, "%d", n);
        for (const char *p = tmp; *p; p++)
            sc_buf_adds(b, *p == '0' ? "〇" : cn_digits[*p - '0']);
        return;
    }
    case F_IDEO_TRADITIONAL: {
        static const char *const tg[10] = { "甲", "乙", "丙", "丁", "戊",
                                            "己", "庚", "辛", "壬", "癸" };
        if (n >= 1 && n <= 10)
            sc_buf_adds(b, tg[n - 1]);
        else
            sc_buf_addf(b, "%d", n);
        return;
    }
    case F_IDEO_ZODIAC: {
        static const char *const dz[12] = { "子", "丑", "寅", "卯", "辰", "巳",
                                            "午", "未", "申", "酉", "戌", "亥" };
        if (n >= 1 && n <= 12)
            sc_buf_adds(b, dz[n - 1]);
        else
            sc_buf_addf(b, "%d", n);
        return;
    }
    case F_CIRCLE:
        if (n >= 1 && n <= 20)
            sc_buf_add_cp(b, 0x2460 + (uint32_t)n - 1);
        else if (n >= 21 && n <= 35)
            sc_buf_add_cp(b, 0x3251 + (uint32_t)n - 21);
        else if (n >= 36 && n <= 50)
            sc_buf_add_cp(b, 0x32B1 + (uint32_t)n - 36);
        else
            sc_buf_addf(b, "%d", n);
        return;
    case F_FULLSTOP:
    case F_PAREN:
        if (n >= 1 && n <= 20)
            sc_buf_add_cp(b, (f == F_FULLSTOP ? 0x2488u : 0x2474u) + (uint32_t)n - 1);
        else
            sc_buf_addf(b, f == F_FULLSTOP ? "%d." : "(%d)", n);
        return;
    case F_FULLWIDTH: {
        char tmp[16];
        snprintf(tmp, sizeof tmp, "%d", n);
        for (const char *p = tmp; *p; p++)
            sc_buf_add_cp(b, *p == '-' ? 0xFF0Du : 0xFF10u + (uint32_t)(*p - '0'));
        return;
    }
    case F_HEX: sc_buf_addf(b, "%X", (unsigned)n); return;
    case F_DECIMAL:
    case F_UNKNOWN: break;
    }
    sc_buf_addf(b, "%d", n);
}

void docx_num_format(const char *num_fmt, int value, struct sc_buf *out)
{
    format_value(out, fmt_from_name(num_fmt), value);
}

/* ---- numbering.xml -------------------------------------------------------- */

enum suffix {
    SUFF_TAB = 0,
    SUFF_SPACE,
    SUFF_NOTHING,
};

struct lvl {
    int start;
    unsigned char fmt;  /* enum numfmt */
    unsigned char suff; /* enum suffix */
    unsigned char legal;
    unsigned char defined;
    unsigned char has_text;
    char text[LVL_TEXT];
};

/* Running counters of one list. */
struct counters {
    int value[MAX_LEVELS];
    unsigned char started[MAX_LEVELS];
};

struct absnum {
    int id;
    struct lvl lvl[MAX_LEVELS];
    struct counters cnt;
};

struct num {
    int id;
    int abs_id;
    int overridden;                 /* has w:lvlOverride: its own counters, as Word restarts it */
    int start_override[MAX_LEVELS]; /* INT_MIN = none */
    struct lvl lvl[MAX_LEVELS];     /* full level overrides (defined = 1) */
    struct counters cnt;
};

struct docx_num {
    struct docx_xml x;
    struct absnum *abs;
    size_t nabs, cap_abs;
    struct num *num;
    size_t nnum, cap_num;
    /* parse state */
    struct absnum *cur_abs;
    struct num *cur_num;
    struct lvl *cur_lvl;
    int cur_ovr; /* ilvl of the w:lvlOverride being read, -1 outside */
    int cur_lvl_fmt_set;
};

struct docx_num *docx_num_new(void)
{
    struct docx_num *n = sc_calloc(1, sizeof *n);
    if (n)
        n->cur_ovr = -1;
    return n;
}

void docx_num_free(struct docx_num *n)
{
    if (!n)
        return;
    free(n->abs);
    free(n->num);
    free(n);
}

struct docx_xml *docx_num_xml(struct docx_num *n)
{
    return &n->x;
}

static void lvl_init(struct lvl *l)
{
    memset(l, 0, sizeof *l);
    l->start = 1;
    l->fmt = F_DECIMAL;
}

/* Copy an attribute value into a fixed buffer, cut at a UTF-8 boundary. */
static void copy_cut(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

void docx_num_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct docx_num *n = ud;
    const char *local;
    if (docx_split(name, &local) != NS_W)
        return;
    if (strcmp(local, "abstractNum") == 0) {
        n->cur_abs = NULL;
        if (n->nabs >= MAX_DEFS)
            return;
        if (n->nabs == n->cap_abs) {
            size_t cap = n->cap_abs ? n->cap_abs * 2 : 16;
            struct absnum *p = sc_reallocarray(n->abs, cap, sizeof *p);
            if (!p) {
                docx_fail(&n->x, SC_ENOMEM, "out of memory");
                return;
            }
            n->abs = p, n->cap_abs = cap;
        }
        struct absnum *a = &n->abs[n->nabs++];
        memset(a, 0, sizeof *a);
        a->id = docx_int(docx_attr(atts, NS_W, "abstractNumId"), INT_MIN, INT_MAX, -1);
        for (int i = 0; i < MAX_LEVELS; i++)
            lvl_init(&a->lvl[i]);
        n->cur_abs = a;
    } else if (strcmp(local, "num") == 0) {
        n->cur_num = NULL;
        if (n->nnum >= MAX_DEFS)
            return;
        if (n->nnum == n->cap_num) {
            size_t cap = n->cap_num ? n->cap_num * 2 : 16;
            struct num *p = sc_reallocarray(n->num, cap, sizeof *p);
            if (!p) {
                docx_fail(&n->x, SC_ENOMEM, "out of memory");
                return;
            }
            n->num = p, n->cap_num = cap;
        }
        struct num *m = &n->num[n->nnum++];
        memset(m, 0, sizeof *m);
        m->id = docx_int(docx_attr(atts, NS_W, "numId"), INT_MIN, INT_MAX, -1);
        m->abs_id = -1;
        for (int i = 0; i < MAX_LEVELS; i++) {
            m->start_override[i] = INT_MIN;
            lvl_init(&m->lvl[i]);
        }
        n->cur_num = m;
    } else if (strcmp(local, "abstractNumId") == 0 && n->cur_num) {
        n->cur_num->abs_id = docx_int(docx_attr(atts, NS_W, "val"), INT_MIN, INT_MAX, -1);
    } else if (strcmp(local, "lvlOverride") == 0 && n->cur_num) {
        n->cur_ovr = docx_int(docx_attr(atts, NS_W, "ilvl"), 0, MAX_LEVELS - 1, 0);
        n->cur_num->overridden = 1;
    } else if (strcmp(local, "startOverride") == 0 && n->cur_num && n->cur_ovr >= 0) {
        n->cur_num->start_override[n->cur_ovr] =
            docx_int(docx_attr(atts, NS_W, "val"), 0, 1000000, 1);
    } else if (strcmp(local, "lvl") == 0) {
        int i = docx_int(docx_attr(atts, NS_W, "ilvl"), 0, MAX_LEVELS - 1, 0);
        n->cur_lvl = NULL;
        if (n->cur_num && n->cur_ovr >= 0)
            n->cur_lvl = &n->cur_num->lvl[n->cur_ovr];
        else if (n->cur_abs)
            n->cur_lvl = &n->cur_abs->lvl[i];
        if (n->cur_lvl) {
            lvl_init(n->cur_lvl);
            n->cur_lvl->defined = 1;
        }
        n->cur_lvl_fmt_set = 0;
    } else if (n->cur_lvl) {
        struct lvl *l = n->cur_lvl;
        const char *v = docx_attr(atts, NS_W, "val");
        if (strcmp(local, "start") == 0) {
            l->start = docx_int(v, 0, 1000000, 1);
        } else if (strcmp(local, "numFmt") == 0) {
            /* mc:AlternateContent offers "custom" first, a plain format
             * as fallback: take the first one we understand. */
            enum numfmt f = fmt_from_name(v);
            if (f != F_UNKNOWN && !n->cur_lvl_fmt_set) {
                l->fmt = (unsigned char)f;
                n->cur_lvl_fmt_set = 1;
            }
        } else if (strcmp(local, "lvlText") == 0) {
            if (v) {
                copy_cut(l->text, sizeof l->text, v);
                l->has_text = 1;
            }
        } else if (strcmp(local, "suff") == 0) {
            l->suff = v && strcmp(v, "space") == 0     ? SUFF_SPACE
                      : v && strcmp(v, "nothing") == 0 ? SUFF_NOTHING
                                                       : SUFF_TAB;
        } else if (strcmp(local, "isLgl") == 0) {
            l->legal = (unsigned char)docx_on(v);
        } else if (strcmp(local, "lvlPicBulletId") == 0) {
            l->fmt = F_BULLET;
            n->cur_lvl_fmt_set = 1;
        }
    }
}

void docx_num_end(void *ud, const XML_Char *name)
{
    struct docx_num *n = ud;
    const char *local;
    if (docx_split(name, &local) != NS_W)
        return;
    if (strcmp(local, "abstractNum") == 0)
        n->cur_abs = NULL, n->cur_lvl = NULL;
    else if (strcmp(local, "num") == 0)
        n->cur_num = NULL, n->cur_ovr = -1, n->cur_lvl = NULL;
    else if (strcmp(local, "lvlOverride") == 0)
        n->cur_ovr = -1, n->cur_lvl = NULL;
    else if (strcmp(local, "lvl") == 0)
        n->cur_lvl = NULL;
}

static int cmp_abs(const void *a, const void *b)
{
    int x = ((const struct absnum *)a)->id, y = ((const struct absnum *)b)->id;
    return (x > y) - (x < y);
}

static int cmp_num(const void *a, const void *b)
{
    int x = ((const struct num *)a)->id, y = ((const struct num *)b)->id;
    return (x > y) - (x < y);
}

void docx_num_ready(struct docx_num *n)
{
    if (n->nabs)
        qsort(n->abs, n->nabs, sizeof *n->abs, cmp_abs);
    if (n->nnum)
        qsort(n->num, n->nnum, sizeof *n->num, cmp_num);
}

static struct absnum *find_abs(struct docx_num *n, int id)
{
    struct absnum key;
    key.id = id;
    return n->nabs ? bsearch(&key, n->abs, n->nabs, sizeof *n->abs, cmp_abs) : NULL;
}

static struct num *find_num(struct docx_num *n, int id)
{
    struct num key;
    key.id = id;
    return n->nnum ? bsearch(&key, n->num, n->nnum, sizeof *n->num, cmp_num) : NULL;
}

static int is_label_punct(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= '!' && cp <= '/') || (cp >= ':' && cp <= '@') || (cp >= '[' && cp <= '`') ||
               (cp >= '{' && cp <= '~');
    return (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF0F) ||
           (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
           (cp >= 0xFF5B && cp <= 0xFF65) || (cp >= 0x2460 && cp <= 0x24FF) ||
           (cp >= 0x3251 && cp <= 0x32BF) || (cp >= 0x2010 && cp <= 0x2027);
}

void docx_num_label(struct docx_num *n, int num_id, int ilvl, struct sc_buf *label)
{
    if (!n || num_id <= 0)
        return;
    if (ilvl < 0)
        ilvl = 0;
    if (ilvl >= MAX_LEVELS)
        ilvl = MAX_LEVELS - 1;
    struct num *m = find_num(n, num_id);
    if (!m)
        return;
    struct absnum *a = find_abs(n, m->abs_id);
    if (!a)
        return;
    /* Instances of one abstract list continue each other's numbering
     * unless they override something, as in Word. */
    struct counters *c = m->overridden ? &m->cnt : &a->cnt;
    const struct lvl *lv[MAX_LEVELS];
    int start[MAX_LEVELS];
    for (int i = 0; i < MAX_LEVELS; i++) {
        lv[i] = m->lvl[i].defined ? &m->lvl[i] : &a->lvl[i];
        start[i] = m->start_override[i] != INT_MIN ? m->start_override[i] : lv[i]->start;
    }
    if (c->started[ilvl] && c->value[ilvl] < 100000000)
        c->value[ilvl]++;
    else if (!c->started[ilvl])
        c->value[ilvl] = start[ilvl];
    c->started[ilvl] = 1;
    for (int i = ilvl + 1; i < MAX_LEVELS; i++)
        c->started[i] = 0;

    const struct lvl *l = lv[ilvl];
    if (!l->defined || l->fmt == F_BULLET || !l->has_text || !l->text[0])
        return;
    size_t at = label->len;
    for (const char *p = l->text; *p; p++) {
        if (p[0] == '%' && p[1] >= '1' && p[1] <= '9') {
            int k = p[1] - '1';
            int v = k <= ilvl && c->started[k] ? c->value[k] : start[k];
            format_value(label, l->legal ? F_DECIMAL : (enum numfmt)lv[k]->fmt, v);
            p++;
        } else {
            sc_buf_addc(label, *p);
        }
    }
    if (label->len == at || l->suff == SUFF_NOTHING)
        return;
    /* Word puts a tab (or space) after the label. 公文 writes "一、" and
     * "1." straight against the text, so only a label that does not end in
     * punctuation ("第一章") gets a space. */
    size_t k = label->len;
    while (k > at && ((unsigned char)label->data[k - 1] & 0xC0) == 0x80)
        k--;
    uint32_t cp = 0;
    if (k > at)
        sc_utf8_decode(label->data + k - 1, label->len - (k - 1), &cp);
    if (!is_label_punct(cp))
        sc_buf_addc(label, ' ');
}

/* ---- styles.xml ---------------------------------------------------------- */

struct style {
    char id[STYLE_ID];
    char based[STYLE_ID];
    int num_id, ilvl;
    unsigned char kind; /* enum docx_kind */
};

struct docx_styles {
    struct docx_xml x;
    struct style *s;
    size_t n, cap;
    struct style *cur;
    int in_ppr;
    int in_change; /* inside w:pPrChange: old properties, ignored */
};

struct docx_styles *docx_styles_new(void)
{
    return sc_calloc(1, sizeof(struct docx_styles));
}

void docx_styles_free(struct docx_styles *s)
{
    if (!s)
        return;
    free(s->s);
    free(s);
}

struct docx_xml *docx_styles_xml(struct docx_styles *s)
{
    return &s->x;
}

static int ascii_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = (char)(*a >= 'A' && *a <= 'Z' ? *a + 32 : *a);
        char y = (char)(*b >= 'A' && *b <= 'Z' ? *b + 32 : *b);
        if (x != y)
            return 0;
    }
    return *a == *b;
}

/* "Title", "heading 2", "标题", "标题 1" -> kind. Word writes the built-in
 * names in English whatever the UI language. */
static enum docx_kind kind_from_name(const char *v)
{
    if (!v)
        return KIND_NONE;
    if (ascii_ieq(v, "title") || strcmp(v, "标题") == 0)
        return KIND_TITLE;
    const char *num = NULL;
    if (strncmp(v, "heading ", 8) == 0 || strncmp(v, "Heading ", 8) == 0)
        num = v + 8;
    else if (strncmp(v, "标题 ", 7) == 0)
        num = v + 7;
    else if (strncmp(v, "标题", 6) == 0)
        num = v + 6;
    if (num && num[0] >= '1' && num[0] <= '9' && num[1] == '\0')
        return (enum docx_kind)(KIND_HEADING1 + (num[0] - '1'));
    return KIND_NONE;
}

void docx_styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct docx_styles *s = ud;
    const char *local;
    if (docx_split(name, &local) != NS_W)
        return;
    if (strcmp(local, "style") == 0) {
        s->cur = NULL;
        const char *type = docx_attr(atts, NS_W, "type");
        const char *id = docx_attr(atts, NS_W, "styleId");
        if (!id || (type && strcmp(type, "paragraph") != 0) || s->n >= MAX_STYLES)
            return;
        if (s->n == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 64;
            struct style *p = sc_reallocarray(s->s, cap, sizeof *p);
            if (!p) {
                docx_fail(&s->x, SC_ENOMEM, "out of memory");
                return;
            }
            s->s = p, s->cap = cap;
        }
        struct style *st = &s->s[s->n++];
        memset(st, 0, sizeof *st);
        copy_cut(st->id, sizeof st->id, id);
        st->num_id = st->ilvl = -1;
        s->cur = st;
        return;
    }
    if (!s->cur)
        return;
    if (strcmp(local, "pPrChange") == 0)
        s->in_change++;
    if (s->in_change)
        return;
    const char *v = docx_attr(atts, NS_W, "val");
    if (strcmp(local, "name") == 0) {
        enum docx_kind k = kind_from_name(v);
        if (k != KIND_NONE)
            s->cur->kind = (unsigned char)k;
    } else if (strcmp(local, "basedOn") == 0 && v) {
        copy_cut(s->cur->based, sizeof s->cur->based, v);
    } else if (strcmp(local, "pPr") == 0) {
        s->in_ppr = 1;
    } else if (s->in_ppr && strcmp(local, "numId") == 0) {
        s->cur->num_id = docx_int(v, 0, INT_MAX, -1);
    } else if (s->in_ppr && strcmp(local, "ilvl") == 0) {
        s->cur->ilvl = docx_int(v, 0, MAX_LEVELS - 1, -1);
    } else if (s->in_ppr && strcmp(local, "outlineLvl") == 0 && s->cur->kind == KIND_NONE) {
        int o = docx_int(v, 0, 9, 9);
        if (o < 9)
            s->cur->kind = (unsigned char)(KIND_HEADING1 + o);
    }
}

void docx_styles_end(void *ud, const XML_Char *name)
{
    struct docx_styles *s = ud;
    const char *local;
    if (docx_split(name, &local) != NS_W)
        return;
    if (strcmp(local, "style") == 0)
        s->cur = NULL, s->in_ppr = 0, s->in_change = 0;
    else if (strcmp(local, "pPrChange") == 0 && s->in_change)
        s->in_change--;
    else if (strcmp(local, "pPr") == 0 && !s->in_change)
        s->in_ppr = 0;
}

static int cmp_style(const void *a, const void *b)
{
    return strcmp(((const struct style *)a)->id, ((const struct style *)b)->id);
}

void docx_styles_ready(struct docx_styles *s)
{
    if (s->n)
        qsort(s->s, s->n, sizeof *s->s, cmp_style);
}

static const struct style *find_style(const struct docx_styles *s, const char *id)
{
    if (!s || !s->n || !id || !id[0])
        return NULL;
    struct style key;
    copy_cut(key.id, sizeof key.id, id);
    return bsearch(&key, s->s, s->n, sizeof *s->s, cmp_style);
}

void docx_style_lookup(const struct docx_styles *s, const char *style_id, int *num_id, int *ilvl,
                       enum docx_kind *kind)
{
    *num_id = -1, *ilvl = -1, *kind = KIND_NONE;
    const struct style *st = find_style(s, style_id);
    /* Follow w:basedOn; a bounded walk also ends loops. */
    for (int hop = 0; st && hop < 16; hop++) {
        if (*num_id < 0 && st->num_id >= 0) {
            *num_id = st->num_id;
            if (*ilvl < 0)
                *ilvl = st->ilvl;
        }
        if (*ilvl < 0 && st->ilvl >= 0)
            *ilvl = st->ilvl;
        if (*kind == KIND_NONE && st->kind != KIND_NONE)
            *kind = (enum docx_kind)st->kind;
        st = st->based[0] ? find_style(s, st->based) : NULL;
    }
}
