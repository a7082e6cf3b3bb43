/*
 * Persons: a surname (《百家姓》 and the common compound surnames, in
 * persons.tsv) and a given name of one or two characters, taken where 公文
 * and news name people:
 *  - after a title or role: 理事长马广步, 教授徐鹏, 联系人：李晓燕, 当事人刘志强;
 *  - before a title or a verb of speech: 韩正表示, 习近平主席, 张三同志;
 *  - in a list with a name already found: 李明、王刚、赵强;
 *  - the persons the seed corpus names in such contexts (persons.tsv, N);
 * never a common word that starts with a surname (persons.tsv, W: 应当, 国家);
 * and then every other occurrence of a name found in the document.
 */
#include "mask_int.h"

#include <stdlib.h>
#include <string.h>

/* Never part of a given name: function words, measure words, common verbs. */
static const char not_given[] = "的了在和与及是为有对于从向把被将等也都就而且并或之其这那个们我你"
                                "他她它上下中来去说到以年月日时号第百千万亿元名位次届期条款项章节"
                                "部局处科室会委厅省市县区镇乡村街道路组副务院调历免作职责政党员级"
                                "表示指称席记"
                                "，。、；：！？“”（）《》\n ";

static const char *const titles_after =
    "同志|主席|总书记|总理|副总理|委员长|书记|副书记|市长|副市长|省长|副省长|县长|副县长|区长|"
    "副区长|局长|副局长|主任|副主任|部长|副部长|厅长|副厅长|处长|科长|院长|副院长|校长|副校长|"
    "教授|副教授|研究员|董事长|总经理|副总经理|经理|理事长|秘书长|会长|副会长|先生|女士|大使|总统|"
    "首相|国务委员|表示|指出|强调|认为|介绍|透露|告诉|一行|等人|等同志|主持|"
    "出席|讲话|致辞|发言|会见|会谈|宣布|签署|荣获|当选|担任|说道|回忆|坦言|"
    "（身份证|（公民身份|（男|（女|，男，|，女，|全票当选|带头|来到|走进";
static const char *const titles_before =
    "同志|主席|总书记|总理|书记|市长|省长|县长|区长|局长|主任|部长|厅长|处长|科长|院长|校长|"
    "教授|研究员|董事长|总经理|经理|理事长|秘书长|会长|大使|总统|首相|委员|代表|联系人|负责人|"
    "当事人|举报人|申请人|被申请人|法定代表人|委托代理人|代理人|记者|通讯员|摄影|编辑|审核|组长|"
    "副组长|成员|主持人|获奖者|领队|队长|村民|居民|老人|患者|职工|工人|农民|网友|市民|嫌疑人|"
    "被告人|原告|被告|证人|选手|运动员|演员|作者|专家|医生|护士|教师|老师|学生|志愿者|党员|干部|"
    "任命|免去|同意|推荐|提名|选举|聘任|聘请|授予|表彰|悼念|看望|慰问|会见|致电|复信|祝贺|陪同";

static int surname_at(const struct mdoc *d, const struct lex *px, size_t i, size_t *len)
{
    if (i + 1 < d->n && lex_tag(px, d, i, 2) == 'S') {
        *len = 2;
        return 1;
    }
    if (lex_tag(px, d, i, 1) == 'S') {
        *len = 1;
        return 1;
    }
    return 0;
}

static int given_ok(uint32_t c)
{
    return m_han(c) && !md_in(not_given, c);
}

/* A boundary after a name: not an ideograph, or a title / verb / function word. */
static int end_ok(const struct mdoc *d, size_t e)
{
    uint32_t c = md_at(d, e);
    if (!m_han(c))
        return 1;
    return md_word(d, e, titles_after) > 0 || md_in("等和与及、", c);
}

/* Verbs that often follow a name directly (王刚参加会议). */
static const char *const verbs_after = "参加|出席|主持|带领|率队|陪同|介绍|表示|指出|强调|要求|说|"
                                       "认为|提出|负责|分管|联系|任|在|到|对|向|和|与|就|也|等";

/* A name starting at i (surname there): its length 2..4, or 0. strong: a
 * role stands just before it (当事人黄秀峰参加会议), so a three-character
 * name may run into the next word. */
static size_t name_from(const struct mdoc *d, const struct lex *px, size_t i, int strong)
{
    size_t sl;
    if (!surname_at(d, px, i, &sl))
        return 0;
    size_t g = 0;
    while (g < 2 && given_ok(md_at(d, i + sl + g)))
        g++;
    /* 王刚参加: the second "given" character starts a verb */
    if (g == 2 && md_word(d, i + sl + 1, verbs_after))
        g = 1;
    for (size_t k = g; k >= 1; k--)
        if (end_ok(d, i + sl + k) || (strong && md_word(d, i + sl + k, verbs_after)))
            return sl + k;
    if (strong && g == 2)
        return sl + 2;
    return 0;
}

/* A name ending at e (before a title): its start, or SIZE_MAX. */
static size_t name_until(const struct mdoc *d, const struct lex *px, size_t e)
{
    for (size_t len = 3; len >= 2; len--) {
        if (e < len)
            continue;
        size_t s = e - len, sl;
        if (!surname_at(d, px, s, &sl) || sl >= len)
            continue;
        int ok = 1;
        for (size_t k = s + sl; k < e; k++)
            ok &= given_ok(d->cp[k]);
        if (!ok)
            continue;
        uint32_t p = s > 0 ? d->cp[s - 1] : 0;
        /* the name starts a word: after punctuation, a function word or a title */
        if (!m_han(p) || md_in("的和与及同由向对是为请经据将把被给让在从、", p) ||
            md_word_before(d, s, titles_before))
            return s;
    }
    return (size_t)-1;
}

struct found {
    size_t s, e;
};

static int add_found(struct mdoc *d, struct found **v, size_t *n, size_t *cap, size_t s, size_t e)
{
    /* a common word that starts with a surname (应当, 国家): no name */
    if (lex_tag(lex_get("persons.tsv"), d, s, e - s) == 'W')
        return 0;
    for (size_t q = 0; q < *n; q++)
        if ((*v)[q].s == s)
            return 0; /* found already (a list is walked from each of its names) */
    if (*n >= 5000)
        return 0;
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 32;
        struct found *p = sc_reallocarray(*v, c, sizeof *p);
        if (!p) {
            d->err = SC_ENOMEM;
            return -1;
        }
        *v = p;
        *cap = c;
    }
    (*v)[(*n)++] = (struct found){ s, e };
    return 0;
}

/* Is a longer found name at i, with the first len characters the same? */
static int longer_found(const struct mdoc *d, const struct found *v, size_t n, size_t i,
                        size_t len)
{
    for (size_t q = 0; q < n; q++) {
        size_t l = v[q].e - v[q].s;
        if (l > len && i + l <= d->n && !memcmp(d->cp + i, d->cp + v[q].s, l * sizeof *d->cp))
            return 1;
    }
    return 0;
}

void rec_persons(struct mdoc *d)
{
    const struct lex *px = lex_get("persons.tsv");
    struct found *v = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < d->n && d->err == SC_OK; i++) {
        if (!m_han(d->cp[i])) {
            /* 周文静（身份证号码…）: a title that starts with a bracket or comma */
            size_t t = md_word(d, i, titles_after);
            if (t && i >= 2) {
                size_t s = name_until(d, px, i);
                if (s != (size_t)-1)
                    add_found(d, &v, &n, &cap, s, i);
            }
            continue;
        }
        char tag;
        /* a person the corpus knows */
        size_t k = lex_longest(px, d, i, 4, &tag);
        if (k >= 2 && tag == 'N' && end_ok(d, i + k)) {
            add_found(d, &v, &n, &cap, i, i + k);
            i += k - 1;
            continue;
        }
        /* a role before the name: 教授徐鹏, 联系人：李晓燕 */
        size_t t = md_word(d, i, titles_before);
        if (t) {
            size_t j = i + t;
            while (j < d->n && (d->cp[j] == 0xFF1A || d->cp[j] == ':' || d->cp[j] == ' '))
                j++;
            size_t len = name_from(d, px, j, 1);
            if (len) {
                add_found(d, &v, &n, &cap, j, j + len);
                i = j + len - 1;
                continue;
            }
        }
        /* a title after the name: 韩正表示 */
        t = md_word(d, i, titles_after);
        if (t && i >= 2) {
            size_t s = name_until(d, px, i);
            if (s != (size_t)-1)
                add_found(d, &v, &n, &cap, s, i);
        }
    }
    /* lists: a name, then 、 and another name */
    for (size_t q = 0; q < n && d->err == SC_OK; q++) {
        size_t e = v[q].e;
        while (md_at(d, e) == 0x3001 /* 、 */) {
            size_t len = name_from(d, px, e + 1, 0);
            if (!len)
                break;
            add_found(d, &v, &n, &cap, e + 1, e + 1 + len);
            e = e + 1 + len;
        }
        size_t s = v[q].s;
        while (s >= 3 && d->cp[s - 1] == 0x3001) {
            size_t got = 0;
            for (size_t len = 3; len >= 2 && !got; len--) {
                if (s - 1 < len)
                    continue;
                size_t st = s - 1 - len;
                if (name_from(d, px, st, 0) == len)
                    got = len;
            }
            if (!got)
                break;
            add_found(d, &v, &n, &cap, s - 1 - got, s - 1);
            s = s - 1 - got;
        }
    }
    /* every occurrence of every name found */
    for (size_t q = 0; q < n; q++)
        md_cand(d, v[q].s, v[q].e, SC_MK_PERSON, 55, 0);
    for (size_t i = 0; i < d->n && d->err == SC_OK; i++) {
        for (size_t q = 0; q < n; q++) {
            size_t len = v[q].e - v[q].s;
            if (i + len <= d->n && i != v[q].s &&
                !memcmp(d->cp + i, d->cp + v[q].s, len * sizeof *d->cp) &&
                /* 张明 inside 张明华 (found too) is someone else */
                !longer_found(d, v, n, i, len)) {
                md_cand(d, i, i + len, SC_MK_PERSON, 54, 0);
                break;
            }
        }
    }
    free(v);
}
