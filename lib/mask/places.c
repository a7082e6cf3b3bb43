/*
 * Places and organisations.
 *  place: the administrative divisions of divisions.tsv (GB/T 2260 codes,
 *    国家统计局 2023 names, province to village, with the short forms 广东,
 *    宁夏, 杭州, 黄岩 that the corpus does not use as ordinary words), the
 *    towns and villages that follow a division (XX县YY镇), and named
 *    compounds, parks, squares and airports (翡翠龙湾小区). In the name of a
 *    government body only the place is a place (惠州市 of 惠州市自然资源局).
 *  org: named organisations other than government bodies, by their last
 *    word (公司, 集团, 大学, 学院, 医院, 协会, 商会, 研究院, 基金会, 党校 …)
 *    and the proper name before it, place part included; a leading verb
 *    (包括, 复信, 欢迎 …) and a determiner (该, 本, 各) are not part of it.
 */
#include "mask_int.h"

#include <string.h>

/* Characters that stop a name's run to the left. */
static const char stop_left[] = "的了在与和及是为对于从向把被将等也都就而并或之其这那个们我你他她它届第"
                                "者以即但"
                                "，。、；：！？“”（）《》〈〉【】…—·\n ";
static const char *const verbs =
    "按照|导致|设立|涉嫌|来到|共同|做好|保证|提供|规定|可以|应当|包括|复信|欢迎|勉励|支持|会见|参观|考察|走访|调研|来到|加入|成立|举办|联合|代表|来自|"
    "委托|授予|获得|荣获|入选|评为|认定|邀请|组织|发布|宣布|表示|显示|指导|推动|帮助|协助|"
    "服务|设立|组建|成为|作为|通过|经过|根据|依托|联手|携手|牵头|听取|收到|接到|记者|获悉|了解|意味着|"
    "获|由|到|从|向|在|与|和|同|是|让|使|请|据|经|对|给|为|被|把|将|跟";
static const char *const events = "亚运会|运动会|博览会|大会|会议|论坛|活动|部分|意味着|多个|"
                                  "一批|等|所有|全部|定点|各类|这些|那些|不少|许多";
static const char *const determiners = "该|本|各|有关|相关|全国|这家|那家|一家|多家|每家|其他|其它|"
                                       "某|此|全省|全市|各级|一些|部分|广大|知名|国内外|国内|国外";

struct suffix {
    const char *word;
    int weak; /* needs a division at the start of the name */
};

static const struct suffix org_suffixes[] = {
    { "有限责任公司", 0 }, { "股份有限公司", 0 }, { "有限公司", 0 }, { "公司", 0 }, { "集团", 0 },
    { "大学", 0 }, { "学院", 0 }, { "中学", 0 }, { "小学", 0 }, { "幼儿园", 0 }, { "医院", 0 },
    { "卫生院", 0 }, { "协会", 0 }, { "学会", 0 }, { "商会", 0 }, { "研究院", 0 }, { "研究所", 0 },
    { "基金会", 0 }, { "党校", 0 }, { "理事会", 0 }, { "联合会", 0 }, { "促进会", 0 },
    { "合作社", 0 }, { "事务所", 0 }, { "出版社", 0 }, { "报社", 0 }, { "电视台", 0 },
    { "俱乐部", 0 }, { "组委会", 0 }, { "亚组委", 0 }, { "银行", 0 }, { "学校", 1 }, { "中心", 1 },
    { "工作室", 1 }, { "研究中心", 1 },
};

static size_t keep_of(const struct mdoc *d, size_t s, size_t e)
{
    static const char *const longs[] = { "特别行政区", "自治区", "自治州", "自治县", "自治旗",
                                         "街道", "社区", "地区", "小区", "公园", "广场", "机场" };
    for (size_t k = 0; k < sizeof longs / sizeof longs[0]; k++) {
        size_t n = sc_utf8_count(longs[k], strlen(longs[k]));
        if (e - s > n && md_match(d, e - n, longs[k]))
            return n;
    }
    if (e - s >= 2 && md_in("省市区县镇乡村旗州盟", d->cp[e - 1]))
        return 1;
    return 0;
}

/* The proper name before the suffix at j: its start, or j when none. */
static size_t name_start(const struct mdoc *d, size_t j, size_t maxlen)
{
    size_t s = j;
    while (s > 0 && j - s < maxlen) {
        uint32_t c = d->cp[s - 1];
        if (!(m_han(c) || m_latin(c)) || md_in(stop_left, c))
            break;
        /* an event or a quantity ends the name (亚运会亚奥理事会, 部分医院) */
        if (md_word_before(d, s, events))
            break;
        s--;
    }
    /* drop a leading verb or determiner, repeatedly */
    for (int round = 0; round < 4 && s < j; round++) {
        size_t n = md_word(d, s, verbs);
        if (!n)
            n = md_word(d, s, determiners);
        if (!n || s + n >= j)
            break;
        s += n;
    }
    /* a verb inside the run (记者今天从航天科技集团): cut after the last one */
    for (size_t k = j; k > s + 1; k--) {
        size_t n = md_word_before(d, k - 1, "了解到|获悉|包括|复信|欢迎|勉励|来自|加入|参观|走访|考察");
        if (n && k - 1 < j) {
            s = k - 1;
            break;
        }
    }
    return s;
}

/* The first characters of the suffixes, to skip most positions at once. */
static const char suffix_firsts[] = "有股公集大学中小幼医卫协商研基党理联促合事出报电俱组亚银工";

static void orgs(struct mdoc *d, const struct lex *div)
{
    for (size_t j = 1; j < d->n; j++) {
        if (!m_han(d->cp[j]) || !md_in(suffix_firsts, d->cp[j]))
            continue;
        for (size_t q = 0; q < sizeof org_suffixes / sizeof org_suffixes[0]; q++) {
            size_t n = md_match(d, j, org_suffixes[q].word);
            if (!n)
                continue;
            /* 上安电厂社区, 学院路: the word is part of a place name */
            if (md_word(d, j + n, "社区|村|小区|路|街|大道|广场|站"))
                break;
            size_t s = name_start(d, j, 18);
            /* the proper name: three characters at least (期货公司, 行业协会 and
             * 三级医院 are kinds, not names), two before the words that
             * mostly follow a name (清华大学, 国铁集团) */
            size_t need = md_word(d, j, "大学|学院|集团|商会|理事会|研究院|基金会|党校|组委会|亚组委") ? 2 : 3;
            if (j - s < need)
                break;
            if (org_suffixes[q].weak) {
                char tag;
                if (!lex_longest(div, d, s, 12, &tag))
                    break;
            }
            md_cand(d, s, j + n, SC_MK_ORG, 60, n);
            j += n - 1;
            break;
        }
    }
}

static void divisions(struct mdoc *d, const struct lex *div)
{
    static const char *const after_place = "镇|乡|街道|社区|村|小区";
    for (size_t i = 0; i < d->n; i++) {
        if (!m_han(d->cp[i]))
            continue;
        char tag;
        size_t n = lex_longest(div, d, i, 20, &tag);
        if (!n)
            continue;
        if (tag == 'v' || tag == 's') {
            /* a village or town name is also often a word (新农村): take it
             * when it is not glued to the word before it */
            uint32_t p = i > 0 ? d->cp[i - 1] : 0;
            if (m_han(p) && !md_in("省市区县镇乡村旗州盟道在到从于和与及的是为赴至", p) && tag == 'v')
                continue;
        }
        md_cand(d, i, i + n, SC_MK_PLACE, 50, keep_of(d, i, i + n));
        size_t e = i + n;
        /* XX县YY镇 / XX镇YY村: a smaller unit right after a division */
        size_t k = e, m = 0;
        while (k + m < d->n && m < 5 && m_han(d->cp[k + m]) && !md_in(stop_left, d->cp[k + m]))
            m++;
        for (size_t L = 2; L <= m && L <= 5; L++) {
            size_t w = md_word(d, k + L, after_place);
            char t2;
            if (w && !lex_longest(div, d, k, L + w, &t2)) {
                md_cand(d, k, k + L + w, SC_MK_PLACE, 45, w);
                break;
            }
        }
        i = e - 1;
    }
}

/* 翡翠龙湾小区, 人民公园, 白云机场 */
static void named_places(struct mdoc *d)
{
    static const char *const sfx[] = { "小区", "公园", "广场", "机场", "花园" };
    for (size_t j = 2; j < d->n; j++) {
        if (!md_in("小公广机花", d->cp[j]))
            continue;
        for (size_t q = 0; q < sizeof sfx / sizeof sfx[0]; q++) {
            size_t n = md_match(d, j, sfx[q]);
            if (!n)
                continue;
            size_t s = name_start(d, j, 6);
            if (j - s < 2 || md_word(d, s, "老旧|城市|居民|住宅|社区|新建|安置|商品房|森林|湿地|"
                                           "文化|体育|主题|口袋|城市|国际|国内|民用|支线"))
                break;
            md_cand(d, s, j + n, SC_MK_PLACE, 48, n);
            j += n - 1;
            break;
        }
    }
}

void rec_places(struct mdoc *d)
{
    const struct lex *div = lex_get("divisions.tsv");
    if (d->kinds & (1u << SC_MK_ORG))
        orgs(d, div);
    if (d->kinds & (1u << SC_MK_PLACE)) {
        divisions(d, div);
        named_places(d);
    }
}
