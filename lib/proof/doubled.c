/*
 * doubled_char: an ideograph typed twice (加加强, 与与). Chinese doubles
 * characters on purpose in three ways, none of them an error:
 *  - reduplicated words (常常, 人人, 看看; AABB 家家户户, 高高兴兴): the
 *    AABB shape, and a documented list of words whose double is right when
 *    real text has it with the same neighbour on one side (or always) —
 *    unless the word statistics say its second copy belongs to the next or
 *    the previous word (市人人民政府, 帮帮助: splits_word);
 *  - two words meeting at a shared character (管理理念, 宪法法律, 黄河河道):
 *    then both three-character strings around the double, xAA and AAy,
 *    occur in real text. A typed-twice character makes at least one of
 *    them a string no corpus has (努力建建设: 力建建);
 *  - given names (王丹丹), numerals (二〇二二年), a unit and the title of
 *    its head (农业农村局局长, 煤矿矿长), 一 and a reduplicated measure word
 *    (一次次, 一件件).
 * The corpus is the shipped list (tools/proof-freq over the seed corpus)
 * plus the open library's own paragraphs (sc_proof_opts.count).
 */
#include "proof_int.h"

#include <string.h>

/* Reduplications right in any context (adverbs and distributives). */
static const char *const redup_always[] = {
    "常常", "人人", "处处", "天天", "层层", "一一", "看看", "时时", "事事", "刚刚", "渐渐", "纷纷",
    "牢牢", "紧紧", "默默", "深深", "久久", "往往", "仅仅", "恰恰", "偏偏", "屡屡", "频频",
    "步步", "个个", "代代", "家家", "户户", "样样", "件件", "村村", "声声", "句句", "匆匆",
    "悄悄", "轻轻", "慢慢", "稳稳", "早早", "远远", "满满", "浓浓", "徐徐", "缓缓", "想想",
    "听听", "说说", "谈谈", "问问", "走走", "试试", "等等", "谢谢", "哈哈", "妈妈", "爸爸",
    "爷爷", "奶奶", "哥哥", "姐姐", "弟弟", "妹妹", "聊聊", "讲讲", "逛逛", "尝尝", "学学",
    "练练", "帮帮", "查查", "找找", "算算", "转转", "摸摸", "瞧瞧", "数数",
};

/* Reduplications right when real text has the same neighbour on one side. */
static const char *const redup[] = {
    "常常", "人人", "处处", "天天", "层层", "一一", "看看", "时时", "事事", "步步", "个个", "代代", "刚刚", "渐渐",
    "纷纷", "牢牢", "紧紧", "默默", "深深", "久久", "稳稳", "早早", "远远", "满满", "浓浓", "徐徐", "缓缓", "悄悄",
    "轻轻", "慢慢", "想想", "听听", "说说", "谈谈", "问问", "走走", "试试", "等等", "往往", "恰恰", "仅仅", "偏偏",
    "屡屡", "频频", "连连", "声声", "句句", "件件", "项项", "样样", "村村", "家家", "户户", "夜夜",
    "岁岁", "回回", "篇篇", "张张", "批批", "块块", "朵朵", "片片", "阵阵", "座座", "棵棵", "颗颗", "串串", "滴滴",
    "丝丝", "环环", "节节", "哈哈", "嘻嘻", "谢谢", "妈妈", "爸爸", "爷爷", "奶奶", "哥哥", "姐姐", "弟弟", "妹妹", "叔叔",
    "伯伯", "舅舅", "姑姑", "宝宝", "娃娃", "星星", "匆匆", "茫茫", "悠悠", "冉冉", "熠熠", "谆谆", "殷殷", "铮铮", "巍巍",
    "滔滔", "皑皑", "栩栩", "翩翩", "蒸蒸", "跃跃", "扎扎", "兢兢", "孜孜", "津津", "侃侃", "振振", "源源", "绵绵", "郁郁",
    "葱葱", "济济", "彬彬", "欣欣", "念念", "耿耿", "斤斤", "井井", "楚楚", "亭亭", "洋洋",
    "熊熊", "勃勃", "炯炯", "奄奄", "比比", "统统", "通通", "种种", "微微", "稍稍", "略略", "暗暗", "隐隐", "淡淡",
    "静静", "团团", "重重", "累累", "凛凛", "堂堂", "赫赫", "滚滚", "款款", "寥寥", "草草", "潺潺", "粼粼", "袅袅", "灼灼",
    "昭昭", "荡荡", "浩浩", "莽莽", "苍苍", "芸芸", "莘莘", "喃喃", "轰轰", "隆隆", "哗哗", "沙沙", "叮叮", "咚咚", "甸甸",
    "腾腾", "闪闪", "亮亮", "红红", "白白", "高高", "长长", "短短", "多多", "少少", "快快", "明明", "切切", "双双",
};

/* Characters of given names that are often doubled (王丹丹, 李娜娜). */
static const char name_chars[] = "丹娜婷丽晶莹明亮红芳燕静洁敏玲琳佳欣悦怡婧菲霞萍"
                                 "倩茜雯露璐瑶媛媛妍颖蕾薇楠楠鑫淼森磊浩冰凡乐宁";
static const char surnames[] = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯"
                               "邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭"
                               "陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎"
                               "贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
static const char unit_ends[] = "局所院部委厅处科站队组会社行校馆厂场室团司署镇乡村矿区港";
static const char measure_words[] = "次件组段抹个张条项座幅批名位本棵株片朵滴颗层步道排辆台架艘所家户间篇首句声串队群堆份届轮回趟遍番茬拨";
static const char cn_digits[] = "〇零一二三四五六七八九";

static int in_set(const char *set, uint32_t c)
{
    if (c == 0)
        return 0;
    char u[5] = { 0 };
    size_t n = sc_utf8_encode(c, u);
    u[n] = '\0';
    return n > 0 && strstr(set, u) != NULL;
}

/* 2: right anywhere, 1: right with evidence on one side, 0: not listed */
static int is_redup(uint32_t a)
{
    char u[9] = { 0 };
    size_t n = sc_utf8_encode(a, u);
    memcpy(u + n, u, n);
    u[2 * n] = '\0';
    for (size_t i = 0; i < sizeof redup_always / sizeof redup_always[0]; i++)
        if (!strcmp(redup_always[i], u))
            return 2;
    for (size_t i = 0; i < sizeof redup / sizeof redup[0]; i++)
        if (!strcmp(redup[i], u))
            return 1;
    return 0;
}

/* Frequency of the code points cps[0..k) as UTF-8. */
static int64_t freq_cps(const struct pdoc *d, const uint32_t *cps, size_t k)
{
    char buf[32];
    size_t n = 0;
    for (size_t i = 0; i < k; i++) {
        if (n + 4 > sizeof buf)
            return 0;
        n += sc_utf8_encode(cps[i], buf + n);
    }
    return pd_freq(d, buf, n);
}

static int is_aabb(const struct pdoc *d, uint32_t a, uint32_t b)
{
    uint32_t aab[3] = { a, a, b }, abb[3] = { a, b, b };
    if (is_redup(a) && is_redup(b))
        return 1;
    return (freq_cps(d, aab, 3) > 0) == (freq_cps(d, abb, 3) > 0);
}

/* Shipped count of the code points cps[0..k) (the word statistics are the
 * shipped list's alone, so that their shares are of one corpus). */
static int64_t shipped_cps(const uint32_t *cps, size_t k)
{
    char buf[32];
    size_t n = 0;
    for (size_t i = 0; i < k; i++) {
        if (n + 4 > sizeof buf)
            return 0;
        n += sc_utf8_encode(cps[i], buf + n);
    }
    return freq_shipped(buf, n);
}

/* One side of a double A A: the neighbour's three-character string (xAA or
 * AAy) and the pair the neighbour makes with a single A (xA or Ay). */
struct side {
    int on;       /* the neighbour is an ideograph */
    int64_t seen; /* xAA / AAy in the corpus (shipped and library) */
    double pair;  /* xA / Ay in the shipped list */
};

/* The word statistics of a listed reduplication (人人, 帮帮, 学学): does the
 * second copy rather belong to a word with a neighbour (市人人民政府: 人民;
 * 帮帮助: 帮助)? With p the share of A's occurrences that are doubled, a
 * double before y would be seen about p * count(Ay) times if the double
 * were a word of its own; so a side whose xAA / AAy the corpus never has
 * while that expectation is at least SPLIT_EXPECT is a word split by a
 * typed-twice character, unless the other side's string is itself well
 * attested (at least 3 times and twice its expectation: 用水水平 is 用水 +
 * 水平). With no evidence on either side, a neighbour that follows or
 * precedes A in at least SPLIT_SHARE of A's occurrences (帮助 for 帮, 讲话
 * for 讲) says the same. */
#define SPLIT_EXPECT 5.0
#define SPLIT_SHARE  0.03

static int splits_word(uint32_t a, const struct side *l, const struct side *r)
{
    uint32_t aa[2] = { a, a };
    double single = (double)shipped_cps(aa, 1), dbl = (double)shipped_cps(aa, 2);
    if (single <= 0)
        return 0;
    double p = (dbl + 0.5) / single; /* a double the corpus lacks counts half */
    const struct side *s[2] = { l, r };
    int unseen = 1;
    double share = 0;
    for (int k = 0; k < 2; k++) {
        if (!s[k]->on)
            continue;
        if (s[k]->seen > 0)
            unseen = 0;
        if (s[k]->pair / single > share)
            share = s[k]->pair / single;
    }
    if (unseen && share >= SPLIT_SHARE)
        return 1;
    for (int k = 0; k < 2; k++) {
        const struct side *me = s[k], *other = s[1 - k];
        if (!me->on || me->seen > 0 || p * me->pair < SPLIT_EXPECT)
            continue;
        if (other->on && other->seen >= 3 && (double)other->seen >= 2 * p * other->pair)
            continue;
        return 1;
    }
    return 0;
}

static void check(struct pdoc *d, const struct pline *ln, size_t i)
{
    uint32_t a = d->cp[i];
    int has_x = i > ln->s, has_y = i + 2 < ln->e;
    uint32_t x = has_x ? d->cp[i - 1] : 0, y = has_y ? d->cp[i + 2] : 0;
    /* runs of three or more are emphasis or onomatopoeia, not a slip */
    if (x == a || y == a)
        return;
    /* AABB (家家户户, 认认真真, 高高兴兴) and its second half: a word when the
     * corpus has both AAB and ABB, or neither (a word it has not seen), or
     * both doubles are listed reduplications; one known half and one unknown
     * is a typed-twice character next to a double that two words share
     * (常委会会议 -> 常委委会会议: 委会会 is known, 委委会 is not) */
    if (has_y && i + 3 < ln->e && d->cp[i + 3] == y && is_han(y) && is_aabb(d, a, y))
        return;
    if (i >= ln->s + 2 && d->cp[i - 2] == x && is_han(x) && is_aabb(d, x, a))
        return;
    if (a == 0x67D0) /* 某某 is a placeholder */
        return;
    /* 农业农村局局长, 管理所所长: a unit's last character and the title of
     * its head (局长, 所长, 院长 …) */
    if (has_y && (y == 0x957F /* 长 */ || (a == 0x9662 /* 院 */ && y == 0x58EB /* 士 */)) &&
        in_set(unit_ends, a))
        return;
    /* 一次次, 一件件, 一组组: 一 and a reduplicated measure word */
    if (has_x && x == 0x4E00 /* 一 */ && in_set(measure_words, a))
        return;
    /* 二〇二二年: digits of a year or a code (but a number read out has one
     * 零 for any run of zeros: 一千零六, never 一千零零六) */
    int read_out = a == 0x96F6 /* 零 */ && has_x && in_set("十百千万亿", x);
    if (in_set(cn_digits, a) && !read_out &&
        ((has_x && in_set(cn_digits, x)) || (has_y && (in_set(cn_digits, y) || y == 0x5E74))))
        return;
    /* 十五五: the fifteenth five-year plan (十五 + 五年规划) */
    if (has_x && x == 0x5341 /* 十 */ && a == 0x4E94 /* 五 */)
        return;
    if (has_x && in_set(surnames, x) && in_set(name_chars, a))
        return;
    if (!has_x && !has_y)
        return;
    struct side l = { 0 }, r = { 0 };
    if (has_x && is_cjk_text(x)) {
        uint32_t t[3] = { x, a, a };
        l.on = 1;
        l.seen = freq_cps(d, t, 3);
        l.pair = (double)shipped_cps(t, 2);
    }
    if (has_y && is_cjk_text(y)) {
        uint32_t t[3] = { a, a, y };
        r.on = 1;
        r.seen = freq_cps(d, t, 3);
        r.pair = (double)shipped_cps(t + 1, 2);
    }
    int left_ok = !l.on || l.seen > 0, right_ok = !r.on || r.seen > 0;
    if (left_ok && right_ok)
        return;
    int listed = is_redup(a);
    /* a reduplicated word needs real text on one side only (做到人人有责);
     * an adverb or distributive (常常, 人人) none; either is a slip when the
     * word statistics say the second copy belongs to its neighbour */
    int split = 0;
    if (listed == 2 || (listed == 1 && ((l.on && l.seen > 0) || (r.on && r.seen > 0)))) {
        if (!splits_word(a, &l, &r))
            return;
        split = 1;
    }
    char one[8], two[8];
    pd_copy(d, i, i + 1, one, sizeof one);
    pd_copy(d, i, i + 2, two, sizeof two);
    pd_add(d, i, i + 2, SC_PK_DOUBLED_CHAR, SC_PS_ERROR,
           split ? "doubled_char: 字词重复（叠词在此处不成立：后一个字与邻字组成常用词，"
                   "语料中未见这一组合）"
                 : "doubled_char: 字词重复（语料中未见“xAA”“AAy”的组合；叠词、词间共用字除外）",
           one, "“%s”疑为重复录入，应为“%s”", two, one);
}

void rule_doubled(struct pdoc *d)
{
    if (!kind_on(d, SC_PK_DOUBLED_CHAR))
        return;
    for (size_t l = 0; l < d->nlines; l++) {
        const struct pline *ln = &d->lines[l];
        for (size_t i = ln->s; i + 1 < ln->e; i++) {
            if (d->cp[i] == d->cp[i + 1] && is_han(d->cp[i])) {
                check(d, ln, i);
                i++; /* the pair is judged once */
            }
        }
    }
}
