/*
 * confusable: words commonly confused in 公文, each with the context that
 * decides and the reference it rests on. The table is documented in
 * docs/internals/proof.md. Right uses that look alike are left alone:
 * 截止日期, 截止到目前, 作出…决定, 必需品, 帐篷, 蚊帐, 渡过难关, 度过春节.
 */
#include "proof_int.h"

#include <string.h>

enum when {
    ALWAYS,       /* the wrong form is never right */
    BEFORE_TIME,  /* 截止: before a date, a number or a time word */
    BEFORE_WORD,  /* before one of words, optionally with a filler between */
    NEAR_WORD,    /* one of words within the next few characters of the clause */
    BEFORE_VERB,  /* 必需: before a verb or an adverb, not before a noun */
};

struct entry {
    const char *wrong, *right;
    enum when when;
    const char *words; /* '|'-separated */
    const char *rule;
    const char *not_next; /* '|'-separated: not when one of these follows (轻松驰骋) */
};

#define SRC_XH "《现代汉语词典》第7版"
#define SRC_YW "《咬文嚼字》当代汉语出版物中最常见的100个错别字"

static const char time_words[] =
    "目前|今年|当前|本月|上月|年底|月底|去年|上年|本年|今日|当日|本周|上周|年末|月末|"
    "上半年|下半年|本季度|发稿|昨日|今天|昨天|本世纪";
static const char decisions[] = "决定|决策|部署|规定|安排|批示|指示|贡献|承诺|判断|评价|解释|"
                                "回应|答复";
static const char hardships[] = "难关|危机|困境|险关";
static const char timespans[] = "假期|周末|春节|节日|晚年|一生|时光|岁月|童年|难忘|愉快|美好";

static const struct entry table[] = {
    { "截止", "截至", BEFORE_TIME, time_words,
      "confusable: 截至（截止到某时）用于时间、数字之前；截止为到期停止（" SRC_XH "）", NULL },
    { "其它", "其他", ALWAYS, NULL, "confusable: 其他（公文统一用“其他”，" SRC_XH " 其他/其它）", NULL },
    { "做出", "作出", BEFORE_WORD, decisions,
      "confusable: 作出决定、部署、贡献等（" SRC_XH " 作出）", NULL },
    { "必须品", "必需品", ALWAYS, NULL, "confusable: 必需品（" SRC_XH " 必需）", NULL },
    { "必需", "必须", BEFORE_VERB, NULL,
      "confusable: 必须（副词，一定要）用于动词前；必需为一定要有的（" SRC_XH "）", NULL },
    { "布署", "部署", ALWAYS, NULL, "confusable: 部署（" SRC_XH "）", NULL },
    { "度过", "渡过", NEAR_WORD, hardships, "confusable: 渡过难关、危机（" SRC_XH " 渡过）", NULL },
    { "渡过", "度过", NEAR_WORD, timespans, "confusable: 度过时光、假期（" SRC_XH " 度过）", NULL },
    { "一如继往", "一如既往", ALWAYS, NULL, "confusable: 一如既往（" SRC_XH "）", NULL },
    { "再接再励", "再接再厉", ALWAYS, NULL, "confusable: 再接再厉（" SRC_YW "）", NULL },
    { "以身作责", "以身作则", ALWAYS, NULL, "confusable: 以身作则（" SRC_XH "）", NULL },
    { "帐号", "账号", ALWAYS, NULL, "confusable: 账（货币、财务）不作帐（" SRC_XH " 账）", NULL },
    { "帐户", "账户", ALWAYS, NULL, "confusable: 账（货币、财务）不作帐（" SRC_XH " 账）", NULL },
    { "帐目", "账目", ALWAYS, NULL, "confusable: 账（货币、财务）不作帐（" SRC_XH " 账）", NULL },
    { "帐单", "账单", ALWAYS, NULL, "confusable: 账（货币、财务）不作帐（" SRC_XH " 账）", NULL },
    { "帐簿", "账簿", ALWAYS, NULL, "confusable: 账（货币、财务）不作帐（" SRC_XH " 账）", NULL },
    { "帐款", "账款", ALWAYS, NULL, "confusable: 账（货币、财务）不作帐（" SRC_XH " 账）", NULL },
    { "帐务", "账务", ALWAYS, NULL, "confusable: 账（货币、财务）不作帐（" SRC_XH " 账）", NULL },
    { "帐本", "账本", ALWAYS, NULL, "confusable: 账（货币、财务）不作帐（" SRC_XH " 账）", NULL },
    { "记帐", "记账", ALWAYS, NULL, "confusable: 账（货币、财务）不作帐（" SRC_XH " 账）", NULL },
    { "对帐", "对账", ALWAYS, NULL, "confusable: 账（货币、财务）不作帐（" SRC_XH " 账）", NULL },
    { "结帐", "结账", ALWAYS, NULL, "confusable: 账（货币、财务）不作帐（" SRC_XH " 账）", NULL },
    { "转帐", "转账", ALWAYS, NULL, "confusable: 账（货币、财务）不作帐（" SRC_XH " 账）", NULL },
    { "查帐", "查账", ALWAYS, NULL, "confusable: 账（货币、财务）不作帐（" SRC_XH " 账）", NULL },
    { "报帐", "报账", ALWAYS, NULL, "confusable: 账（货币、财务）不作帐（" SRC_XH " 账）", NULL },
    { "按步就班", "按部就班", ALWAYS, NULL, "confusable: 按部就班（" SRC_YW "）", NULL },
    { "迫不急待", "迫不及待", ALWAYS, NULL, "confusable: 迫不及待（" SRC_YW "）", NULL },
    { "既往不究", "既往不咎", ALWAYS, NULL, "confusable: 既往不咎（" SRC_YW "）", NULL },
    { "一愁莫展", "一筹莫展", ALWAYS, NULL, "confusable: 一筹莫展（" SRC_YW "）", NULL },
    { "震憾", "震撼", ALWAYS, NULL, "confusable: 震撼（" SRC_YW "）", NULL },
    { "松驰", "松弛", ALWAYS, NULL, "confusable: 松弛（" SRC_YW "）", "骋" },
    { "名符其实", "名副其实", ALWAYS, NULL, "confusable: 名副其实（" SRC_YW "）", NULL },
    { "墨守陈规", "墨守成规", ALWAYS, NULL, "confusable: 墨守成规（" SRC_YW "）", NULL },
    { "默守成规", "墨守成规", ALWAYS, NULL, "confusable: 墨守成规（" SRC_YW "）", NULL },
    { "一股作气", "一鼓作气", ALWAYS, NULL, "confusable: 一鼓作气（" SRC_YW "）", NULL },
    { "穿流不息", "川流不息", ALWAYS, NULL, "confusable: 川流不息（" SRC_YW "）", NULL },
    { "不径而走", "不胫而走", ALWAYS, NULL, "confusable: 不胫而走（" SRC_YW "）", NULL },
    { "谈笑风声", "谈笑风生", ALWAYS, NULL, "confusable: 谈笑风生（" SRC_YW "）", NULL },
    { "甘败下风", "甘拜下风", ALWAYS, NULL, "confusable: 甘拜下风（" SRC_YW "）", NULL },
    { "坐阵", "坐镇", ALWAYS, NULL, "confusable: 坐镇（" SRC_YW "）", NULL },
    { "针贬", "针砭", ALWAYS, NULL, "confusable: 针砭（" SRC_YW "）", NULL },
    { "人才倍出", "人才辈出", ALWAYS, NULL, "confusable: 人才辈出（" SRC_XH "）", NULL },
    { "直接了当", "直截了当", ALWAYS, NULL, "confusable: 直截了当（" SRC_YW "）", NULL },
    { "变本加利", "变本加厉", ALWAYS, NULL, "confusable: 变本加厉（" SRC_YW "）", NULL },
};

/* Does one of the '|'-separated words start at i? Returns its length. */
static size_t word_at(const struct pdoc *d, size_t i, const char *words)
{
    char w[64];
    const char *p = words;
    while (*p) {
        const char *q = strchr(p, '|');
        size_t n = q ? (size_t)(q - p) : strlen(p);
        if (n < sizeof w) {
            memcpy(w, p, n);
            w[n] = '\0';
            size_t k = pd_match(d, i, w);
            if (k)
                return k;
        }
        p += n;
        if (*p == '|')
            p++;
    }
    return 0;
}

static int clause_break(uint32_t c)
{
    return c == 0 || c == '\n' || (!is_han(c) && !is_digit(c));
}

static int cn_num_char(uint32_t c)
{
    return (c == 0x3007 || c == 0x96F6 || c == 0x4E00 || c == 0x4E8C ||
                                  c == 0x4E09 || c == 0x56DB || c == 0x4E94 || c == 0x516D ||
                                  c == 0x4E03 || c == 0x516B || c == 0x4E5D || c == 0x5341);
}

static int applies(const struct pdoc *d, const struct entry *t, size_t i, size_t k)
{
    size_t j = i + k; /* just after the wrong word */
    uint32_t n = pd_at(d, j);
    switch (t->when) {
    case ALWAYS: return 1;
    case BEFORE_TIME:
        if (pd_match(d, j, "日期") || pd_match(d, j, "时间") || pd_match(d, j, "到") ||
            pd_match(d, j, "至") || pd_match(d, j, "于"))
            return 0;
        if (is_digit(fold_width(n)))
            return 1;
        /* 二〇二三年, 十月底 */
        if (cn_num_char(n) && cn_num_char(pd_at(d, j + 1)))
            return 1;
        if (cn_num_char(n) && (pd_at(d, j + 1) == 0x6708 || pd_at(d, j + 1) == 0x5E74))
            return 1;
        return word_at(d, j, t->words) > 0;
    case BEFORE_WORD: {
        static const char *const fill[] = { "了重要", "了重大", "了新的", "了", "重要", "重大",
                                            "新的", "" };
        for (size_t f = 0; f < sizeof fill / sizeof fill[0]; f++) {
            size_t m = fill[f][0] ? pd_match(d, j, fill[f]) : 0;
            if (fill[f][0] && !m)
                continue;
            if (word_at(d, j + m, t->words))
                return 1;
        }
        return 0;
    }
    case NEAR_WORD:
        for (size_t q = j; q < j + 8 && q < d->n && !clause_break(d->cp[q]); q++)
            if (word_at(d, q, t->words))
                return 1;
        return 0;
    case BEFORE_VERB: {
        /* a verb or adverb: what real text writes after 必须 (必须加强,
         * 必须坚持), not after 必需 (必需品, 必需材料) */
        if (!is_han(n))
            return 0;
        char a[16], b[16];
        size_t la = 0, lb = 0;
        la += sc_utf8_encode(0x5FC5, a); /* 必 */
        memcpy(b, a, la);
        lb = la;
        la += sc_utf8_encode(0x987B, a + la); /* 须 */
        lb += sc_utf8_encode(0x9700, b + lb); /* 需 */
        la += sc_utf8_encode(n, a + la);
        lb += sc_utf8_encode(n, b + lb);
        int64_t must = pd_freq(d, a, la), need = pd_freq(d, b, lb);
        return must >= 5 && must > 4 * need;
    }
    }
    return 0;
}

void rule_confusable(struct pdoc *d)
{
    if (!kind_on(d, SC_PK_CONFUSABLE))
        return;
    /* the first characters of the wrong forms, to skip most positions */
    char firsts[256];
    size_t nf = 0;
    for (size_t e = 0; e < sizeof table / sizeof table[0] && nf + 5 < sizeof firsts; e++) {
        uint32_t c;
        size_t u = sc_utf8_decode(table[e].wrong, strlen(table[e].wrong), &c);
        memcpy(firsts + nf, table[e].wrong, u);
        nf += u;
    }
    firsts[nf] = '\0';
    for (size_t i = 0; i < d->n; i++) {
        if (!is_han(d->cp[i]))
            continue;
        char u[5];
        size_t un = sc_utf8_encode(d->cp[i], u);
        u[un] = '\0';
        if (!strstr(firsts, u))
            continue;
        for (size_t e = 0; e < sizeof table / sizeof table[0]; e++) {
            const struct entry *t = &table[e];
            size_t k = pd_match(d, i, t->wrong);
            if (!k || !applies(d, t, i, k))
                continue;
            if (t->not_next && word_at(d, i + k, t->not_next))
                continue;
            pd_add(d, i, i + k, SC_PK_CONFUSABLE, SC_PS_ERROR, t->rule, t->right,
                   "“%s”应为“%s”", t->wrong, t->right);
            i += k - 1;
            break;
        }
    }
}
