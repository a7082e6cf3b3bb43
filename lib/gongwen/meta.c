/*
 * Article metadata from its title and text: 文种 (genre), year, issuing
 * unit, admin level of the unit, and a few topic keywords from the title's
 * theme. Every rule family is one table. The guiding rule: say only what
 * the text supports; NULL (or 0) is better than a guess.
 */
#include "gongwen_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- genre ---- */

enum {
    G_END = 1,
    G_ANY = 2
};
enum {
    NEED_NONE = 0,
    NEED_LAW = 1
};

/*
 * The genre table. G_END rules look at the end of the title (after
 * trailing （…） such as （征求意见稿） or （2023年修订） are dropped) and are
 * tried first, in order, so "关于报送工作总结的通知" is a 通知; G_ANY rules
 * are the fallback for titles with a subtitle after the genre word.
 * NEED_LAW: only with law evidence (a 第X条 paragraph or an enactment
 * line in the text, or a title that starts 中华人民共和国 / 最高人民法院 /
 * 最高人民检察院): "工作方法", "XX标准" alone say nothing.
 */
static const struct genre_rule {
    const char *word;
    int where;
    const char *genre;
    int need;
} genre_rules[] = {
    { "政府工作报告", G_END | G_ANY, "政府工作报告", NEED_NONE },
    { "述职述廉报告", G_END | G_ANY, "述职报告", NEED_NONE },
    { "述责述廉报告", G_END | G_ANY, "述职报告", NEED_NONE },
    { "述职报告", G_END | G_ANY, "述职报告", NEED_NONE },
    { "调研报告", G_END | G_ANY, "调研报告", NEED_NONE },
    { "调查报告", G_END | G_ANY, "调研报告", NEED_NONE },
    { "总结报告", G_END, "工作总结", NEED_NONE },
    { "工作报告", G_END | G_ANY, "工作报告", NEED_NONE },
    { "心得体会", G_END | G_ANY, "心得体会", NEED_NONE },
    { "心得", G_END, "心得体会", NEED_NONE },
    { "体会", G_END, "心得体会", NEED_NONE },
    { "讲话稿", G_END, "讲话", NEED_NONE },
    { "讲话", G_END, "讲话", NEED_NONE },
    { "致辞", G_END, "讲话", NEED_NONE },
    { "发言稿", G_END, "讲话", NEED_NONE },
    { "发言", G_END, "讲话", NEED_NONE },
    { "主持词", G_END, "讲话", NEED_NONE },
    { "工作总结", G_END | G_ANY, "工作总结", NEED_NONE },
    { "总结", G_END, "工作总结", NEED_NONE },
    { "工作计划", G_END | G_ANY, "工作计划", NEED_NONE },
    { "工作要点", G_END, "工作计划", NEED_NONE },
    { "工作打算", G_END, "工作计划", NEED_NONE },
    { "计划", G_END, "工作计划", NEED_NONE },
    { "实施方案", G_END | G_ANY, "实施方案", NEED_NONE },
    { "方案", G_END, "工作方案", NEED_NONE },
    { "文字稿", G_END | G_ANY, "新闻稿", NEED_NONE },
    { "新闻稿", G_END | G_ANY, "新闻稿", NEED_NONE },
    { "通讯稿", G_END, "新闻稿", NEED_NONE },
    { "新闻联播", G_ANY, "新闻稿", NEED_NONE },
    /* the 15 statutory 文种 (党政机关公文处理工作条例) */
    { "通知", G_END, "通知", NEED_NONE },
    { "通报", G_END, "通报", NEED_NONE },
    { "通告", G_END, "通告", NEED_NONE },
    { "公告", G_END, "公告", NEED_NONE },
    { "公报", G_END, "公报", NEED_NONE },
    { "意见", G_END, "意见", NEED_NONE },
    { "决定", G_END, "决定", NEED_NONE },
    { "决议", G_END, "决议", NEED_NONE },
    { "命令", G_END, "命令", NEED_NONE },
    { "请示", G_END, "请示", NEED_NONE },
    { "批复", G_END, "批复", NEED_NONE },
    { "议案", G_END, "议案", NEED_NONE },
    { "纪要", G_END, "纪要", NEED_NONE },
    { "函", G_END, "函", NEED_NONE },
    { "答复", G_END, "答复", NEED_NONE },
    { "报告", G_END, "报告", NEED_NONE },
    /* laws and regulations */
    { "修正案", G_END, "法律法规", NEED_NONE },
    { "法典", G_END, "法律法规", NEED_NONE },
    { "条例", G_END, "法律法规", NEED_NONE },
    { "实施细则", G_END, "法律法规", NEED_NONE },
    { "细则", G_END, "法律法规", NEED_NONE },
    { "办法", G_END, "法律法规", NEED_NONE },
    { "规定", G_END, "法律法规", NEED_NONE },
    { "规则", G_END, "法律法规", NEED_LAW },
    { "守则", G_END, "法律法规", NEED_LAW },
    { "章程", G_END, "法律法规", NEED_LAW },
    { "解释", G_END, "法律法规", NEED_LAW },
    { "规范", G_END, "法律法规", NEED_LAW },
    { "标准", G_END, "法律法规", NEED_LAW },
    { "准则", G_END, "法律法规", NEED_LAW },
    { "规程", G_END, "法律法规", NEED_LAW },
    { "安排", G_END, "法律法规", NEED_LAW },
    { "解答", G_END, "法律法规", NEED_LAW },
    { "法", G_END, "法律法规", NEED_LAW },
};

/* Drop trailing （…） / (…) groups: （征求意见稿）, （2023年修订）. */
static size_t strip_trailing_parens(const char *t, size_t len)
{
    static const char *const pairs[][2] = { { "（", "）" }, { "(", ")" } };
    for (;;) {
        size_t l2 = len;
        const char *tt = gw_trim(t, &l2);
        len = (size_t)(tt - t) + l2; /* keep t fixed: trim the end only */
        int cut = 0;
        for (size_t k = 0; k < 2 && !cut; k++) {
            if (!gw_ends(t, len, pairs[k][1]))
                continue;
            size_t ol = strlen(pairs[k][0]);
            for (size_t i = len - strlen(pairs[k][1]); i-- > 0;) {
                if (i + ol <= len && memcmp(t + i, pairs[k][0], ol) == 0) {
                    if (i > 0) {
                        len = i;
                        cut = 1;
                    }
                    break;
                }
            }
        }
        if (!cut)
            return len;
    }
}

/* Law evidence in the text: a paragraph starting 第X条 (a scraped law may
 * lack 第一条), or an enactment line among the first paragraphs
 * ("…常务委员会第十一次会议通过", "国务院令第707号"). */
static int law_text(const char *text, size_t len)
{
    for (size_t off = 0; off < len;) {
        ptrdiff_t at = gw_find(text + off, len - off, "\n第");
        if (at < 0)
            break;
        size_t i = off + (size_t)at + 4, used;
        if (gw_parse_cn_number(text + i, len - i, &used) > 0 &&
            gw_starts(text + i + used, len - i - used, "条"))
            return 1;
        off = i;
    }
    size_t lines = 0;
    for (size_t off = 0; off < len && lines < 6; lines++) {
        const char *nl = memchr(text + off, '\n', len - off);
        size_t end = nl ? (size_t)(nl - text) : len;
        const char *p = text + off;
        size_t pl = end - off;
        if ((gw_find(p, pl, "会议通过") >= 0 || gw_find(p, pl, "会议修订") >= 0) ||
            (gw_find(p, pl, "令") >= 0 && gw_find(p, pl, "号") >= 0 && gw_find(p, pl, "第") >= 0 &&
             pl < 80))
            return 1;
        off = end + 1;
    }
    return 0;
}

static int law_evidence(const char *title, size_t tlen, const char *text, size_t len)
{
    return gw_starts(title, tlen, "中华人民共和国") || gw_starts(title, tlen, "最高人民法院") ||
           gw_starts(title, tlen, "最高人民检察院") || law_text(text, len);
}

/*
 * A legal act titled by its 文种: what a people's congress or its standing
 * committee decides or resolves (XX省人民代表大会常务委员会关于…的决定, 全国
 * 人大常委会关于…的决议), and what the supreme court or procuratorate
 * issues (最高人民法院关于…的批复, 最高人民检察院关于…的通知, …的意见) are
 * laws and judicial interpretations, filed as 法律法规; the same 文种 from
 * a government (国务院关于…的决定) stays what it says.
 */
static int legal_issuer(const char *t, size_t len)
{
    static const char *const courts[] = { "最高人民法院", "最高人民检察院" };
    static const char *const acts[] = { "决定", "决议", "批复", "通知", "意见", "答复" };
    ptrdiff_t gy = gw_find(t, len, "关于");
    if (gy <= 0)
        return 0;
    int issuer = 0;
    for (size_t k = 0; k < sizeof courts / sizeof courts[0]; k++)
        issuer |= gw_starts(t, len, courts[k]);
    ptrdiff_t npc = gw_find(t, (size_t)gy, "人民代表大会");
    if (npc < 0)
        npc = gw_find(t, (size_t)gy, "人大常委会");
    issuer |= npc >= 0;
    if (!issuer)
        return 0;
    for (size_t k = 0; k < sizeof acts / sizeof acts[0]; k++)
        if (gw_ends(t, len, acts[k]))
            return 1;
    return 0;
}

static const char *genre_of(const char *title, size_t tlen, const char *text, size_t len)
{
    size_t core = strip_trailing_parens(title, tlen);
    const char *t = gw_trim(title, &core);
    if (legal_issuer(t, core))
        return "法律法规";
    for (int pass = 0; pass < 2; pass++) {
        int where = pass == 0 ? G_END : G_ANY;
        for (size_t i = 0; i < sizeof genre_rules / sizeof genre_rules[0]; i++) {
            const struct genre_rule *r = &genre_rules[i];
            if (!(r->where & where))
                continue;
            int hit = where == G_END ? gw_ends(t, core, r->word) : gw_find(t, core, r->word) >= 0;
            if (!hit)
                continue;
            if (r->need == NEED_LAW && !law_evidence(t, core, text, len))
                continue;
            return r->genre;
        }
    }
    return NULL;
}

/* ---- year ---- */

static int cn_year_digit(uint32_t cp)
{
    if (cp == 0x3007 || cp == 0x96F6 || cp == 'O')
        return 0;
    int v = gw_cn_digit(cp);
    return v >= 1 && v <= 9 && cp != 0x4E24 ? v : -1;
}

/* A year "2023年" / "二〇二三年" at s[i..]: value, and *end after 年. */
static int year_at(const char *s, size_t len, size_t i, size_t *end)
{
    int v = 0;
    size_t j = i;
    int cn = -1;
    for (int k = 0; k < 4; k++) {
        if (j >= len)
            return 0;
        uint32_t cp;
        size_t n = gw_decode(s + j, len - j, &cp);
        int d = -1;
        if (cp >= '0' && cp <= '9')
            d = (int)(cp - '0'), cn = cn == 1 ? -2 : 0;
        else if (cp >= 0xFF10 && cp <= 0xFF19)
            d = (int)(cp - 0xFF10), cn = cn == 1 ? -2 : 0;
        else if ((d = cn_year_digit(cp)) >= 0)
            cn = cn == 0 ? -2 : 1;
        if (d < 0 || cn == -2)
            return 0;
        v = v * 10 + d;
        j += n;
    }
    if (!gw_starts(s + j, len - j, "年"))
        return 0;
    if (v < 1949 || v > 2100)
        return 0;
    *end = j + 3;
    return v;
}

static int is_digitish(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19) || cn_year_digit(cp) >= 0;
}

static int is_range_mark(const char *s, size_t len)
{
    static const char *const marks[] = { "—", "-", "－", "～", "~", "至", "到", "–" };
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (gw_starts(s, len, marks[i]))
            return 1;
    return 0;
}

/* Byte offset of the code point before s[i]. */
static size_t prev_off(const char *s, size_t i)
{
    size_t b = i ? i - 1 : 0;
    while (b > 0 && ((unsigned char)s[b] & 0xC0) == 0x80)
        b--;
    return b;
}

/* First year in s, or 0. A period (2018—2035年, 2021年至2025年) is not a
 * year of the document: then 0 with *range set. *at is where it starts. */
static int find_year(const char *s, size_t len, size_t *at, int *range)
{
    *range = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = gw_decode(s + i, len - i, &cp);
        if (is_digitish(cp) && !is_digitish(gw_prev_cp(s, i))) {
            size_t end;
            int y = year_at(s, len, i, &end);
            if (y) {
                /* digit, range mark, this year: 2018—2035年 */
                if (i > 0) {
                    size_t b = prev_off(s, i);
                    if (is_range_mark(s + b, len - b) && is_digitish(gw_prev_cp(s, b))) {
                        *range = 1;
                        return 0;
                    }
                }
                /* this year, range mark, digit: 2021年至2025年 */
                if (is_range_mark(s + end, len - end)) {
                    uint32_t m, d = 0;
                    size_t k = gw_decode(s + end, len - end, &m);
                    if (end + k < len)
                        gw_decode(s + end + k, len - end - k, &d);
                    if (is_digitish(d)) {
                        *range = 1;
                        return 0;
                    }
                }
                if (at)
                    *at = i;
                return y;
            }
        }
        i += n;
    }
    return 0;
}

/* 文号 in the first paragraphs: 〔2019〕3号, [2019]12号. */
static int year_of_docno(const char *text, size_t len)
{
    static const char *const opens[] = { "〔", "[", "［", "【" };
    size_t lines = 0;
    for (size_t off = 0; off < len && lines < 8; lines++) {
        const char *nl = memchr(text + off, '\n', len - off);
        size_t end = nl ? (size_t)(nl - text) : len;
        const char *p = text + off;
        size_t pl = end - off;
        for (size_t k = 0; k < sizeof opens / sizeof opens[0]; k++) {
            ptrdiff_t at = gw_find(p, pl, opens[k]);
            if (at < 0)
                continue;
            size_t i = (size_t)at + strlen(opens[k]);
            int v = 0, nd = 0;
            while (i < pl && p[i] >= '0' && p[i] <= '9' && nd < 5)
                v = v * 10 + (p[i++] - '0'), nd++;
            if (nd != 4 || v < 1949 || v > 2100)
                continue;
            ptrdiff_t hao = gw_find(p + i, pl - i, "号");
            if (hao >= 0 && hao <= 12)
                return v;
        }
        off = end + 1;
    }
    return 0;
}

/* Skip a month or day number (1-2 digits or Chinese numerals) and its
 * unit character at s[i..]; the new offset, or 0. */
static size_t date_part(const char *s, size_t len, size_t i, const char *unit)
{
    size_t n = 0;
    while (i < len && n < 3) {
        uint32_t cp;
        size_t k = gw_decode(s + i, len - i, &cp);
        if (!is_digitish(cp) && cp != 0x5341) /* 十 */
            break;
        i += k;
        n++;
    }
    if (n == 0 || !gw_starts(s + i, len - i, unit))
        return 0;
    return i + strlen(unit);
}

/*
 * The 落款 date among the last paragraphs: a paragraph that is a date
 * (2023年12月5日, 二〇二三年十二月五日), perhaps after the unit's name. A
 * sentence that holds a date ("本条例自2006年3月1日起施行。") is not one.
 */
static int year_of_date_line(const char *text, size_t len)
{
    size_t end = len, seen = 0;
    while (end > 0 && seen < 8) {
        size_t start = end;
        while (start > 0 && text[start - 1] != '\n')
            start--;
        if (start == 0)
            break; /* the title */
        const char *p = text + start;
        size_t pl = end - start;
        seen++;
        end = start - 1;
        if (gw_count(p, pl) > 40 || gw_find(p, pl, "。") >= 0 || gw_find(p, pl, "，") >= 0)
            continue;
        size_t at, ye;
        int range;
        int y = find_year(p, pl, &at, &range);
        if (!y || !year_at(p, pl, at, &ye) || gw_count(p, at) > 20)
            continue;
        size_t m = date_part(p, pl, ye, "月");
        size_t d = m ? date_part(p, pl, m, "日") : 0;
        if (d && gw_count(p + d, pl - d) <= 2)
            return y;
    }
    return 0;
}

/* ---- unit and level ---- */

static const char *const org_suffixes[] = {
    "人民政府", "政府", "委员会", "办公室", "办公厅", "街道",   "社区", "党委",   "党组",
    "支部",     "总支", "分局",   "总局",   "局",     "厅",     "委",   "办",     "院",
    "部",       "署",   "中心",   "公司",   "集团",   "学校",   "大学", "学院",   "医院",
    "银行",     "法院", "检察院", "团委",   "妇联",   "工会",   "协会", "联合会", "镇",
    "乡",       "村",   "区",     "县",     "市",     "省",     "州",   "旗",     "所",
    "站",       "队",   "处",     "科",     "会",     "中心组", "小组",
};

static int is_unit_char(uint32_t cp)
{
    return sc_is_cjk(cp) || cp == 'X' || cp == 'x' || cp == ' ' || cp == 0x3000;
}

/* The posts an author signs with, longest first where one ends another;
 * XX镇党委书记 is XX镇党委 and its 书记. */
static const char *const roles[] = {
    "副书记", "书记", "副局长", "局长",   "副所长", "所长", "副主任", "主任",
    "副部长", "部长", "副科长", "科长",   "处长",   "厅长", "院长",   "校长",
    "镇长",   "乡长", "县长",   "区长",   "市长",   "省长", "站长",   "队长",
    "社长",   "行长", "董事长", "总经理", "经理",   "主席", "组长",   "负责人",
};

/* 2-30 characters of CJK (or XX) ending like an organisation. */
static int org_name(const char *u, size_t ul)
{
    size_t ncp = sc_utf8_count(u, ul);
    if (ncp < 2 || ncp > 30)
        return 0;
    for (size_t i = 0; i < ul;) {
        uint32_t cp;
        i += gw_decode(u + i, ul - i, &cp);
        if (!is_unit_char(cp))
            return 0;
    }
    for (size_t k = 0; k < sizeof org_suffixes / sizeof org_suffixes[0]; k++)
        if (gw_ends(u, ul, org_suffixes[k]))
            return 1;
    return 0;
}

/* A place with a government: a name ending in 省, 市, 区, 县, 自治区, 州,
 * 盟, 旗, 镇 or 乡, with a name before the suffix (全省, 我市 are not). */
static int area_name(const char *u, size_t ul)
{
    static const char *const sfx[] = { "自治区", "自治州", "自治县", "特别行政区", "省", "市", "区",
                                       "县",     "州",     "盟",     "旗",         "镇", "乡" };
    static const char *const pronouns[] = { "全", "本", "我", "该", "各", "外", "省", "市" };
    size_t ncp = sc_utf8_count(u, ul);
    if (ncp < 2 || ncp > 20)
        return 0;
    for (size_t i = 0; i < ul;) {
        uint32_t cp;
        i += gw_decode(u + i, ul - i, &cp);
        if (!sc_is_cjk(cp) && cp != 'X')
            return 0;
    }
    for (size_t k = 0; k < sizeof pronouns / sizeof pronouns[0]; k++)
        if (gw_starts(u, ul, pronouns[k]) && ncp <= 3)
            return 0; /* 全省, 本市, 我区, 省市 */
    for (size_t k = 0; k < sizeof sfx / sizeof sfx[0]; k++)
        if (gw_ends(u, ul, sfx[k]) && ul > strlen(sfx[k]))
            return 1;
    return 0;
}

/* The paragraphs of text, one at a time, from *off: the next one in p, pl;
 * 0 past the end. */
static int nth_para(const char *text, size_t len, size_t *off, const char **p, size_t *pl)
{
    if (*off > len || (*off == len && len > 0))
        return 0;
    const char *nl = memchr(text + *off, '\n', len - *off);
    size_t end = nl ? (size_t)(nl - text) : len;
    *p = text + *off;
    *pl = end - *off;
    *p = gw_trim(*p, pl);
    *off = end + 1;
    return 1;
}

static enum sc_err set_unit(char **out, const char *area, size_t al, const char *tail)
{
    struct sc_buf b = SC_BUF_INIT;
    sc_buf_add(&b, area, al);
    sc_buf_adds(&b, tail);
    *out = sc_buf_take(&b, NULL);
    return *out ? SC_OK : SC_ENOMEM;
}

/*
 * The government a 政府工作报告 speaks for, from its header: the head's
 * line (海拉尔区人民政府区长 张天喜 → 海拉尔区人民政府; 浙江省省长 王浩 →
 * 浙江省人民政府), else the meeting line (——2026年1月20日在浙江省第十四届
 * 人民代表大会第五次会议上), else 我代表XX省人民政府, else the title's place
 * (海拉尔区2012年政府工作报告).
 */
static enum sc_err unit_of_report(const char *title, size_t tlen, const char *text, size_t len,
                                  char **out)
{
    static const char *const heads[] = { "省长", "市长", "区长", "县长", "州长",
                                         "盟长", "旗长", "镇长", "乡长", "主席" };
    *out = NULL;
    const char *p;
    size_t pl, off = 0, k = 0;
    /* the head's line */
    while (k++ < 12 && nth_para(text, len, &off, &p, &pl)) {
        if (k == 1 || gw_count(p, pl) > 40)
            continue;
        for (size_t h = 0; h < sizeof heads / sizeof heads[0]; h++) {
            ptrdiff_t r = gw_find(p, pl, heads[h]);
            if (r <= 0)
                continue;
            size_t al = (size_t)r;
            if (gw_ends(p, al, "代") || gw_ends(p, al, "副"))
                al -= 3;
            const char *a = gw_trim(p, &al);
            if (a != p)
                continue;
            if (gw_ends(p, al, "人民政府") && area_name(p, al - strlen("人民政府")))
                return set_unit(out, p, al, "");
            if (area_name(p, al))
                return set_unit(out, p, al, "人民政府");
        }
    }
    /* the meeting line: 在XX省第十四届人民代表大会第五次会议上 */
    off = 0, k = 0;
    while (k++ < 12 && nth_para(text, len, &off, &p, &pl)) {
        ptrdiff_t r = gw_find(p, pl, "人民代表大会");
        if (r <= 0 || gw_find(p, pl, "会议") < 0)
            continue;
        size_t e = (size_t)r;
        if (gw_ends(p, e, "届")) { /* 第十四届 */
            ptrdiff_t d = -1;
            for (size_t i = 0; i + 3 <= e; i++)
                if (gw_starts(p + i, e - i, "第"))
                    d = (ptrdiff_t)i;
            if (d >= 0)
                e = (size_t)d;
        }
        size_t b = 0;
        for (size_t i = 0; i + 3 <= e; i++)
            if (gw_starts(p + i, e - i, "在"))
                b = i + 3;
        if (area_name(p + b, e - b))
            return set_unit(out, p + b, e - b, "人民政府");
    }
    /* 我代表XX省人民政府 */
    off = 0, k = 0;
    while (k++ < 16 && nth_para(text, len, &off, &p, &pl)) {
        ptrdiff_t r = gw_find(p, pl, "我代表");
        if (r < 0)
            continue;
        const char *q = p + r + strlen("我代表");
        size_t ql = pl - (size_t)r - strlen("我代表");
        ptrdiff_t g = gw_find(q, ql, "人民政府");
        if (g > 0 && area_name(q, (size_t)g))
            return set_unit(out, q, (size_t)g + strlen("人民政府"), "");
    }
    /* the government of a province named anywhere in the text: 浙江省人民
     * 政府 in 现在，我代表浙江省人民政府… further down, or in the 落款 */
    static const char *const provinces[] = {
        "北京市",         "天津市",           "上海市",       "重庆市",         "河北省",
        "山西省",         "辽宁省",           "吉林省",       "黑龙江省",       "江苏省",
        "浙江省",         "安徽省",           "福建省",       "江西省",         "山东省",
        "河南省",         "湖北省",           "湖南省",       "广东省",         "海南省",
        "四川省",         "贵州省",           "云南省",       "陕西省",         "甘肃省",
        "青海省",         "台湾省",           "内蒙古自治区", "广西壮族自治区", "西藏自治区",
        "宁夏回族自治区", "新疆维吾尔自治区",
    };
    ptrdiff_t best = -1;
    size_t bk = 0;
    for (size_t pk = 0; pk < sizeof provinces / sizeof provinces[0]; pk++) {
        size_t nl = strlen(provinces[pk]);
        for (size_t from = 0; from < len;) {
            ptrdiff_t at = gw_find(text + from, len - from, provinces[pk]);
            if (at < 0)
                break;
            size_t pos = from + (size_t)at;
            if (gw_starts(text + pos + nl, len - pos - nl, "人民政府")) {
                if (best < 0 || (ptrdiff_t)pos < best)
                    best = (ptrdiff_t)pos, bk = pk;
                break;
            }
            from = pos + nl;
        }
    }
    if (best >= 0)
        return set_unit(out, provinces[bk], strlen(provinces[bk]), "人民政府");
    /* the title: 海拉尔区2012年政府工作报告, 2026年浙江省政府工作报告 */
    size_t core = strip_trailing_parens(title, tlen);
    const char *t = gw_trim(title, &core);
    if (!gw_ends(t, core, "政府工作报告"))
        return SC_OK;
    core -= strlen("政府工作报告");
    size_t at, ye;
    int range;
    if (find_year(t, core, &at, &range) && year_at(t, core, at, &ye)) {
        if (at > 0)
            core = at; /* 海拉尔区2012年 */
        else
            t += ye, core -= ye; /* 2026年浙江省 */
    }
    if (gw_ends(t, core, "人民"))
        core -= strlen("人民");
    t = gw_trim(t, &core);
    if (area_name(t, core))
        return set_unit(out, t, core, "人民政府");
    return SC_OK;
}

/* Is p[0..pl) a date (2024年3月1日, 二〇二四年三月一日), perhaps after a
 * name? *name_len gets the bytes before the date. */
static int date_para(const char *p, size_t pl, size_t *name_len)
{
    if (gw_count(p, pl) > 40 || gw_find(p, pl, "。") >= 0 || gw_find(p, pl, "，") >= 0)
        return 0;
    size_t at, ye;
    int range;
    int y = find_year(p, pl, &at, &range);
    if (!y || !year_at(p, pl, at, &ye) || gw_count(p, at) > 30)
        return 0;
    size_t m = date_part(p, pl, ye, "月");
    size_t d = m ? date_part(p, pl, m, "日") : 0;
    if (!d || gw_count(p + d, pl - d) > 2)
        return 0;
    *name_len = at;
    return y;
}

/*
 * The 落款: among the last paragraphs, an organisation's name above (or
 * before) the date line: XX区安全生产委员会办公室 / 2024年3月1日. Used when
 * the title names no unit.
 */
static enum sc_err unit_of_signature(const char *text, size_t len, size_t body_len, char **out)
{
    *out = NULL;
    if (body_len < len)
        len = body_len;
    /* the start of each of the last 8 paragraphs */
    size_t starts[9];
    size_t n = 0, end = len;
    while (end > 0 && n < 9) {
        size_t st = end;
        while (st > 0 && text[st - 1] != '\n')
            st--;
        if (st == 0)
            break; /* the title */
        starts[n++] = st;
        end = st - 1;
    }
    for (size_t i = 0; i < n; i++) {
        size_t st = starts[i];
        const char *nl = memchr(text + st, '\n', len - st);
        size_t pl = nl ? (size_t)(nl - text) - st : len - st;
        const char *p = gw_trim(text + st, &pl);
        size_t name;
        if (!date_para(p, pl, &name))
            continue;
        size_t nlen = name;
        const char *nm = gw_trim(p, &nlen);
        if (nlen > 0 && org_name(nm, nlen))
            return set_unit(out, nm, nlen, "");
        if (i + 1 < n) { /* the name on the line above */
            size_t ps = starts[i + 1];
            size_t ql = st - 1 - ps;
            const char *q = gw_trim(text + ps, &ql);
            if (org_name(q, ql))
                return set_unit(out, q, ql, "");
        }
        return SC_OK;
    }
    return SC_OK;
}

/* The issuing unit: the title's prefix before its year or 关于 (转发, 印发,
 * 批转), when that prefix is made of CJK (or XX) and ends like an
 * organisation. *out is NULL when there is none. */
static enum sc_err unit_of(const char *t, size_t len, char **out)
{
    *out = NULL;
    size_t cut = len, at;
    int range;
    if (find_year(t, len, &at, &range))
        cut = at;
    /* XX办公厅转发XX部关于…: the issuer is the one before 转发 */
    static const char *const cuts[] = { "关于", "转发", "印发", "批转" };
    for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++) {
        ptrdiff_t gy = gw_find(t, len, cuts[k]);
        if (gy >= 0 && (size_t)gy < cut)
            cut = (size_t)gy;
    }
    if (cut == len || cut == 0)
        return SC_OK;
    size_t ul = cut;
    const char *u = gw_trim(t, &ul);
    size_t ncp = sc_utf8_count(u, ul);
    if (ncp < 2 || ncp > 30)
        return SC_OK;
    for (size_t i = 0; i < ul;) {
        uint32_t cp;
        i += gw_decode(u + i, ul - i, &cp);
        if (!is_unit_char(cp))
            return SC_OK;
    }
    /* a 述职报告's author: XX县农业农村局局长 → XX县农业农村局 */
    for (size_t k = 0; k < sizeof roles / sizeof roles[0]; k++) {
        size_t rl = strlen(roles[k]);
        if (ul > rl && gw_ends(u, ul, roles[k])) {
            ul -= rl;
            break;
        }
    }
    if (org_name(u, ul)) {
        *out = sc_strndup(u, ul);
        return *out ? SC_OK : SC_ENOMEM;
    }
    return SC_OK;
}

/* The 发文机关标志 of the 版头 ("XX市人民政府办公室文件") among the first
 * paragraphs gives the unit when the title does not. */
static enum sc_err unit_of_banner(const char *text, size_t len, char **out)
{
    *out = NULL;
    size_t lines = 0;
    for (size_t off = 0; off < len && lines < 6; lines++) {
        const char *nl = memchr(text + off, '\n', len - off);
        size_t end = nl ? (size_t)(nl - text) : len;
        const char *p = text + off;
        size_t pl = end - off;
        off = end + 1;
        if (!gw_ends(p, pl, "文件") || gw_count(p, pl) > 30)
            continue;
        pl -= strlen("文件");
        int ok = gw_count(p, pl) >= 2;
        for (size_t i = 0; i < pl && ok;) {
            uint32_t cp;
            i += gw_decode(p + i, pl - i, &cp);
            ok = is_unit_char(cp);
        }
        for (size_t k = 0; ok && k < sizeof org_suffixes / sizeof org_suffixes[0]; k++) {
            if (gw_ends(p, pl, org_suffixes[k])) {
                *out = sc_strndup(p, pl);
                return *out ? SC_OK : SC_ENOMEM;
            }
        }
    }
    return SC_OK;
}

static const char *const national_prefixes[] = {
    "国务院", "中共中央", "党中央", "中央", "全国", "国家", "最高人民", "中华人民共和国"
};
static const char *const municipalities[] = { "北京", "上海", "天津", "重庆" };

/* Admin-area suffixes, tried at each position (longest first). */
static const struct admin_rule {
    const char *suffix;
    const char *level;
} admin_rules[] = {
    { "自治区", "省" }, { "自治州", "市" }, { "自治县", "县" }, { "特别行政区", "省" },
    { "街道", "街道" }, { "社区", "村" },   { "省", "省" },     { "市", "市" },
    { "州", "市" },     { "盟", "市" },     { "区", "区" },     { "县", "县" },
    { "旗", "县" },     { "镇", "乡镇" },   { "乡", "乡镇" },   { "村", "村" },
};

/* 市 and 区 inside ordinary words: 市场, 城市, 园区, 辖区 … */
static int admin_false(const char *u, size_t ul, size_t i, const char *suffix)
{
    uint32_t before = gw_prev_cp(u, i), after = 0;
    size_t e = i + strlen(suffix);
    if (e < ul)
        gw_decode(u + e, ul - e, &after);
    if (strcmp(suffix, "市") == 0)
        return after == 0x573A || after == 0x6C11 || before == 0x57CE || before == 0x90FD ||
               before == 0x8D85 || before == 0x4E0A; /* 场 民 | 城 都 超 上 */
    if (strcmp(suffix, "区") == 0)
        return before == 0x56ED || before == 0x666F || before == 0x7247 || before == 0x8F96 ||
               before == 0x5C71 || before == 0x6E7E || before == 0x6821 || before == 0x5382 ||
               before == 0x77FF || before == 0x707E; /* 园 景 片 辖 山 湾 校 厂 矿 灾 */
    if (strcmp(suffix, "乡") == 0)
        return after == 0x6751; /* 乡村 */
    if (strcmp(suffix, "村") == 0)
        return before == 0x519C || before == 0x4E61; /* 农村, 乡村: 农业农村局 */
    return 0;
}

static int is_org_char(uint32_t cp)
{
    static const uint32_t org[] = { 0x5C40, 0x59D4, 0x5385, 0x529E, 0x90E8, 0x9662, 0x4F1A,
                                    0x6240, 0x7AD9, 0x961F, 0x79D1, 0x5904, 0x53F8, 0x515A };
    for (size_t i = 0; i < sizeof org / sizeof org[0]; i++)
        if (cp == org[i])
            return 1; /* 局 委 厅 办 部 院 会 所 站 队 科 处 司 党 */
    return 0;
}

static const char *level_of(const char *u, size_t ul)
{
    for (size_t k = 0; k < sizeof national_prefixes / sizeof national_prefixes[0]; k++)
        if (gw_starts(u, ul, national_prefixes[k]))
            return "国家";
    const char *level = NULL;
    size_t pos = 0;
    if (gw_starts(u, ul, "中共"))
        pos = strlen("中共");
    for (;;) {
        int found = 0;
        size_t i = pos, ncp = 0;
        while (i < ul && ncp <= 8 && !found) {
            for (size_t r = 0; r < sizeof admin_rules / sizeof admin_rules[0]; r++) {
                const char *sfx = admin_rules[r].suffix;
                if (!gw_starts(u + i, ul - i, sfx) || admin_false(u, ul, i, sfx))
                    continue;
                level = admin_rules[r].level;
                for (size_t m = 0; m < sizeof municipalities / sizeof municipalities[0]; m++)
                    if (strcmp(sfx, "市") == 0 && i - pos == strlen(municipalities[m]) &&
                        memcmp(u + pos, municipalities[m], i - pos) == 0)
                        level = "省";
                pos = i + strlen(sfx);
                found = 1;
                break;
            }
            if (found)
                break;
            uint32_t cp;
            i += gw_decode(u + i, ul - i, &cp);
            if (is_org_char(cp))
                break;
            ncp++;
        }
        if (!found)
            break;
    }
    return level;
}

/* ---- topics ---- */

static const char *const topic_genres[] = { "工作总结", "工作计划", "工作报告", "实施方案",
                                            "工作方案", "调研报告", "心得体会", "通知",
                                            "意见",     "报告",     "请示",     "通报" };
/* Trailing words removed from the theme, longest first. */
static const char *const theme_suffixes[] = {
    "工作总结报告", "工作总结", "总结报告", "工作计划", "工作要点", "工作打算", "工作报告",
    "述职报告",     "调研报告", "调查报告", "心得体会", "实施方案", "工作方案", "情况报告",
    "总结",         "计划",     "报告",     "方案",     "通知",     "意见",     "请示",
    "通报",         "体会",     "心得",     "的",       "工作情况", "工作",     "情况",
};
static const char *const theme_prefixes[] = {
    "关于", "印发", "开展", "做好", "加强",   "推进",   "推动", "进一步", "全面", "深入",
    "切实", "扎实", "大力", "持续", "上半年", "下半年", "全年", "年度",   "度",   "以来",
};

static int strip_prefix_any(const char **p, size_t *len, const char *const *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (gw_starts(*p, *len, w[i])) {
            size_t k = strlen(w[i]);
            *p += k;
            *len -= k;
            return 1;
        }
    }
    return 0;
}

static int strip_suffix_any(const char *p, size_t *len, const char *const *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (gw_ends(p, *len, w[i])) {
            *len -= strlen(w[i]);
            return 1;
        }
    }
    return 0;
}

static int topic_ok(const char *p, size_t len)
{
    size_t n = sc_utf8_count(p, len);
    if (n < 2 || n > 12 || gw_find(p, len, "XX") >= 0)
        return 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += gw_decode(p + i, len - i, &cp);
        if (!sc_is_cjk(cp))
            return 0;
    }
    return 1;
}

static enum sc_err add_topic(struct sc_article *a, const char *p, size_t len)
{
    for (size_t i = 0; i < a->ntopics; i++)
        if (strlen(a->topics[i]) == len && memcmp(a->topics[i], p, len) == 0)
            return SC_OK;
    char **t = sc_reallocarray(a->topics, a->ntopics + 1, sizeof *t);
    if (!t)
        return SC_ENOMEM;
    a->topics = t;
    if (!(t[a->ntopics] = sc_strndup(p, len)))
        return SC_ENOMEM;
    a->ntopics++;
    return SC_OK;
}

static enum sc_err topics_of(struct sc_article *a, const char *t, size_t len)
{
    int ok = 0;
    for (size_t i = 0; a->genre && i < sizeof topic_genres / sizeof topic_genres[0]; i++)
        ok |= strcmp(a->genre, topic_genres[i]) == 0;
    if (!ok || gw_find(t, len, "——") >= 0 || gw_find(t, len, "《") >= 0)
        return SC_OK;
    len = strip_trailing_parens(t, len);
    t = gw_trim(t, &len);
    if (a->unit && gw_starts(t, len, a->unit)) {
        t += strlen(a->unit);
        len -= strlen(a->unit);
    }
    size_t at;
    int range;
    if (find_year(t, len, &at, &range)) {
        size_t end;
        if (at != 0 && !gw_starts(t, len, "关于"))
            return SC_OK; /* the year is not where the pattern expects it */
        if (gw_starts(t, len, "关于"))
            t += 6, len -= 6;
        if (year_at(t, len, 0, &end)) {
            t += end;
            len -= end;
        }
    } else if (range) {
        return SC_OK;
    }
    while (strip_prefix_any(&t, &len, theme_prefixes,
                            sizeof theme_prefixes / sizeof theme_prefixes[0]))
        ;
    while (
        strip_suffix_any(t, &len, theme_suffixes, sizeof theme_suffixes / sizeof theme_suffixes[0]))
        ;
    /* “谁执法谁普法” → 谁执法谁普法 */
    if (gw_starts(t, len, "“") && gw_ends(t, len, "”") && len > 6)
        t += 3, len -= 6;
    /* 法治建设和普法 → 法治建设, 普法 */
    static const char *const joins[] = { "和", "与", "及", "、" };
    for (size_t j = 0; j < sizeof joins / sizeof joins[0]; j++) {
        ptrdiff_t k = gw_find(t, len, joins[j]);
        if (k < 0)
            continue;
        size_t jl = strlen(joins[j]);
        const char *r = t + k + jl;
        size_t rl = len - (size_t)k - jl;
        if (topic_ok(t, (size_t)k) && topic_ok(r, rl)) {
            enum sc_err err = add_topic(a, t, (size_t)k);
            if (!err)
                err = add_topic(a, r, rl);
            return err;
        }
    }
    if (topic_ok(t, len))
        return add_topic(a, t, len);
    return SC_OK;
}

/* The date of the meeting a report or speech was given at, in its
 * subtitle: ——2026年1月21日在XX省第十四届人民代表大会第五次会议上. */
static int year_of_meeting(const char *text, size_t len)
{
    size_t lines = 0;
    for (size_t off = 0; off < len && lines < 6; lines++) {
        const char *nl = memchr(text + off, '\n', len - off);
        size_t end = nl ? (size_t)(nl - text) : len;
        const char *p = text + off;
        size_t pl = end - off;
        off = end + 1;
        if (lines == 0 || pl > 200 || gw_find(p, pl, "会议上") < 0 ||
            (!gw_starts(p, pl, "—") && !gw_starts(p, pl, "-") && !gw_starts(p, pl, "（") &&
             !gw_starts(p, pl, "(")))
            continue;
        size_t at, ye;
        int range;
        int y = find_year(p, pl, &at, &range);
        if (y && year_at(p, pl, at, &ye) && date_part(p, pl, ye, "月"))
            return y;
    }
    return 0;
}

static int year_of(const char *title, size_t tlen, const char *text, size_t len)
{
    size_t at;
    int range;
    int y = find_year(title, tlen, &at, &range);
    if (!y)
        y = year_of_docno(text, len);
    if (!y)
        y = year_of_meeting(text, len);
    if (!y)
        y = year_of_date_line(text, len);
    return y;
}

void gw_doc_of(const char *text, size_t len, struct gw_doc *d)
{
    len = gw_notes_at(text, len); /* the body: a 落款 date is above the notes */
    const char *nl = memchr(text, '\n', len);
    size_t tlen = nl ? (size_t)(nl - text) : len;
    d->genre = genre_of(text, tlen, text, len);
    d->year = year_of(text, tlen, text, len);
}

/* Where the body ends: before the notes part (脚注/尾注) if there is one. */
static size_t body_end(const struct sc_article *a)
{
    for (size_t i = 0; i < a->nsections; i++)
        if (a->sections[i].kind == SC_KIND_NOTES)
            return sc_utf8_offset(a->text.data, a->text.len, (size_t)a->sections[i].start_cp);
    return SIZE_MAX;
}

enum sc_err gw_meta_fill(struct sc_article *a, const struct gw_doc *doc)
{
    const char *title = a->title ? a->title : "";
    size_t tlen = strlen(title);
    const char *text = a->text.data;
    size_t len = a->text.len;

    if (doc->genre && !(a->genre = sc_strdup(doc->genre)))
        return SC_ENOMEM;
    a->year = doc->year;

    enum sc_err err = SC_OK;
    if (a->genre && strcmp(a->genre, "政府工作报告") == 0)
        err = unit_of_report(title, tlen, text, len, &a->unit);
    if (!err && !a->unit)
        err = unit_of(title, tlen, &a->unit);
    if (!err && !a->unit)
        err = unit_of_banner(text, len, &a->unit);
    if (!err && !a->unit)
        err = unit_of_signature(text, len, body_end(a), &a->unit);
    if (err)
        return err;
    if (a->unit) {
        const char *lv = level_of(a->unit, strlen(a->unit));
        if (lv && !(a->level = sc_strdup(lv)))
            return SC_ENOMEM;
    }
    return topics_of(a, title, tlen);
}
