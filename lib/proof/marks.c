/*
 * placeholder: a template slot left in the draft (XX, XXX, ××, ＸＸ, 某某,
 * a lone X standing for a figure: X亿元, X月X日).
 * filter_artefact: a Latin letter standing for a character a word filter
 * removed: D for 党 (D组, D员, D的二十大, 各级D组织).
 * Neither rests on a standard clause: a 公文 must be complete and exact
 * (党政机关公文处理工作条例 第十九条); the letters' look-alikes (X射线,
 * 3D打印, A股, 维生素D, 世界杯D组, A组、B组) are excluded by context.
 */
#include "proof_int.h"

#include <string.h>

static const char *const R_PLACEHOLDER =
    "placeholder: 模板占位符未替换（XX、××、某某；党政机关公文处理工作条例 第十九条 公文内容完整准确）";
static const char *const R_FILTER =
    "filter_artefact: 以字母代替汉字（过滤残留，D→党；党政机关公文处理工作条例 第十九条）";

static int is_x(uint32_t c)
{
    return c == 'X' || c == 0xFF38 /* Ｘ */ || c == 0x00D7 /* × */;
}

static int is_alnum_w(uint32_t c)
{
    c = fold_width(c);
    return is_latin(c) || is_digit(c);
}

/* Characters that follow a figure: units and counters. */
static const char figure_after[] = "亿万千百十个人元名家项次年月日号岁辆套台件户所条天周倍"
                                   "级%％余多吨米公里斤亩册份张间栋座期届批轮";
static const char surnames[] = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯"
                               "邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭"
                               "陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎"
                               "贺顾毛郝龚邵万钱严覃武戴莫孔汤";

static int in_set(const char *set, uint32_t c)
{
    if (c == 0)
        return 0;
    char u[5];
    size_t n = sc_utf8_encode(c, u);
    u[n] = '\0';
    return n > 0 && strstr(set, u) != NULL;
}

static void placeholders(struct pdoc *d, const struct pline *ln)
{
    for (size_t i = ln->s; i < ln->e; i++) {
        uint32_t c = d->cp[i];
        if (is_x(c)) {
            size_t j = i;
            while (j < ln->e && is_x(d->cp[j]))
                j++;
            uint32_t prev = i > ln->s ? d->cp[i - 1] : 0, next = j < ln->e ? d->cp[j] : 0;
            int boxed = !is_alnum_w(prev) && !is_alnum_w(next) && prev != '.' && prev != '-' &&
                        next != '-' && next != '.';
            int all_times = 1;
            for (size_t k = i; k < j; k++)
                all_times &= d->cp[k] == 0x00D7;
            int ok = 0;
            if (j - i >= 2 && boxed && !(all_times && (prev == ' ' || next == ' ')))
                ok = 1;
            else if (j - i == 1 && boxed && in_set(figure_after, next) &&
                     !(c == 0x00D7 && (prev == ' ' || next == ' ')))
                ok = 1;
            if (ok && (pd_match(d, j, "射线") || pd_match(d, j, "光") || pd_match(d, j, "线")))
                ok = 0;
            if (ok)
                pd_add(d, i, j, SC_PK_PLACEHOLDER, SC_PS_ERROR, R_PLACEHOLDER, NULL,
                       "占位符未替换，应填写实际内容");
            i = j - 1;
            continue;
        }
        if (c == 0x67D0 /* 某 */ && i + 1 < ln->e && d->cp[i + 1] == 0x67D0) {
            size_t j = i;
            while (j < ln->e && d->cp[j] == 0x67D0)
                j++;
            /* 张某某: the usual way to withhold a person's name, not a slot */
            int named = i > ln->s && in_set(surnames, d->cp[i - 1]);
            if (!named)
                pd_add(d, i, j, SC_PK_PLACEHOLDER, SC_PS_ERROR, R_PLACEHOLDER, NULL,
                       "“某某”为占位符，应填写实际名称");
            i = j - 1;
        }
    }
}

/* An isolated capital letter (no Latin letter or digit on either side). */
static int lone_capital(const struct pdoc *d, const struct pline *ln, size_t i)
{
    uint32_t c = fold_width(d->cp[i]);
    if (c < 'A' || c > 'Z')
        return 0;
    if (i > ln->s && (is_alnum_w(d->cp[i - 1]) || d->cp[i - 1] == '.'))
        return 0;
    if (i + 1 < ln->e && is_alnum_w(d->cp[i + 1]))
        return 0;
    return 1;
}

static void artefacts(struct pdoc *d, const struct pline *ln)
{
    for (size_t i = ln->s; i < ln->e; i++) {
        if (fold_width(d->cp[i]) != 'D' || !lone_capital(d, ln, i))
            continue;
        if (i + 1 >= ln->e || !is_han(d->cp[i + 1]))
            continue;
        /* A组、B组、C组、D组, C、D级: letters enumerated nearby */
        int listed = 0;
        size_t lo = i > ln->s + 6 ? i - 6 : ln->s, hi = i + 7 < ln->e ? i + 7 : ln->e;
        for (size_t k = lo; k < hi; k++)
            if (k != i && lone_capital(d, ln, k))
                listed = 1;
        if (listed)
            continue;
        char bg[16];
        size_t n = 0;
        n += sc_utf8_encode(0x515A /* 党 */, bg);
        n += sc_utf8_encode(d->cp[i + 1], bg + n);
        if (pd_freq(d, bg, n) < 20)
            continue;
        if (i > ln->s && is_han(d->cp[i - 1])) {
            n = sc_utf8_encode(d->cp[i - 1], bg);
            n += sc_utf8_encode(0x515A, bg + n);
            if (pd_freq(d, bg, n) < 3)
                continue; /* 维生素D的, 世界杯D组 */
        }
        char next[8];
        pd_copy(d, i + 1, i + 2, next, sizeof next);
        pd_add(d, i, i + 1, SC_PK_FILTER_ARTEFACT, SC_PS_ERROR, R_FILTER, "党",
               "字母“D”疑为过滤残留，应为“党%s”", next);
    }
}

void rule_marks(struct pdoc *d)
{
    for (size_t l = 0; l < d->nlines; l++) {
        if (kind_on(d, SC_PK_PLACEHOLDER))
            placeholders(d, &d->lines[l]);
        if (kind_on(d, SC_PK_FILTER_ARTEFACT))
            artefacts(d, &d->lines[l]);
    }
}
