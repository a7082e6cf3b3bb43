/*
 * Distributor boilerplate: advertising banners and contact footers that
 * collections append to their files ("【哒哒素材库】——每天更新…", "添加客服：
 * cwk", "本文档由用户提供并上传…"). A line is stripped only when several
 * signals agree: its score reaches BOILER_MIN and at least one signal is one
 * only a distributor writes. A news item that says "关注微信公众号" scores a
 * single contact signal and stays. All signals are rows of one table.
 */
#include "gongwen_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum {
    BOILER_MIN = 4
}; /* score needed to strip a line */

enum sig_class {
    CLS_AD,
    CLS_SALES,
    CLS_CONTACT,
    CLS_POSITION,
    CLS_NEIGHBOUR
};
static const char *const class_name[] = { "ad", "sales", "contact", "position", "neighbour" };

enum sig_kind {
    SIG_TEXT,      /* literal substring (ASCII letters case-insensitive) */
    SIG_BRACKET,   /* 【…】 holding a brand word: 【哒哒素材库】 */
    SIG_TOKEN,     /* contact token: "：1 4367", "：cwk", QQ 12345678 */
    SIG_NEAR_END,  /* among the last lines of the source */
    SIG_NEIGHBOUR, /* next to a line already judged boilerplate */
};

/*
 * The one table. weight adds to the score; distributor marks signals that
 * ordinary documents do not produce; capped: contact words share one
 * point however many appear ("微信公众号" is one signal, not two).
 */
static const struct rule {
    enum sig_kind kind;
    const char *text; /* SIG_TEXT: the literal */
    enum sig_class cls;
    int weight;
    int distributor;
    int capped;        /* counts towards the shared contact-word point */
    const char *label; /* shown in the reason; NULL = text */
} rules[] = {
    /* structural signals */
    { SIG_BRACKET, NULL, CLS_AD, 4, 1, 0, "【…素材库】 banner" },
    { SIG_TOKEN, NULL, CLS_CONTACT, 2, 0, 0, "contact id" },
    { SIG_NEAR_END, NULL, CLS_POSITION, 1, 0, 0, "near the end" },
    { SIG_NEIGHBOUR, NULL, CLS_NEIGHBOUR, 2, 1, 0, "next to an ad" },
    /* distributor notices: strong on their own */
    { SIG_TEXT, "用户提供并上传", CLS_AD, 4, 1, 0, NULL },
    { SIG_TEXT, "本文档由", CLS_AD, 2, 1, 0, NULL },
    { SIG_TEXT, "更多资料请关注", CLS_AD, 4, 1, 0, NULL },
    { SIG_TEXT, "更多精彩内容请关注", CLS_AD, 4, 1, 0, NULL },
    { SIG_TEXT, "更多资料", CLS_AD, 2, 1, 0, NULL },
    { SIG_TEXT, "更多范文", CLS_AD, 3, 1, 0, NULL },
    { SIG_TEXT, "更多材料", CLS_AD, 2, 1, 0, NULL },
    { SIG_TEXT, "下载后可编辑", CLS_AD, 3, 1, 0, NULL },
    { SIG_TEXT, "可编辑修改", CLS_AD, 2, 1, 0, NULL },
    { SIG_TEXT, "如有侵权", CLS_AD, 3, 1, 0, NULL },
    { SIG_TEXT, "侵权请联系", CLS_AD, 3, 1, 0, NULL },
    { SIG_TEXT, "版权归原作者", CLS_AD, 3, 1, 0, NULL },
    { SIG_TEXT, "仅供学习", CLS_AD, 2, 1, 0, NULL },
    { SIG_TEXT, "文档下载", CLS_AD, 2, 1, 0, NULL },
    /* sales talk */
    { SIG_TEXT, "每天更新", CLS_SALES, 2, 1, 0, NULL },
    { SIG_TEXT, "每日更新", CLS_SALES, 2, 1, 0, NULL },
    { SIG_TEXT, "欢迎加入", CLS_SALES, 1, 1, 0, NULL },
    { SIG_TEXT, "有意加入", CLS_SALES, 2, 1, 0, NULL },
    { SIG_TEXT, "谨防假冒", CLS_SALES, 2, 1, 0, NULL },
    { SIG_TEXT, "好评如潮", CLS_SALES, 2, 1, 0, NULL },
    { SIG_TEXT, "持续接单", CLS_SALES, 2, 1, 0, NULL },
    { SIG_TEXT, "唯一平台", CLS_SALES, 2, 1, 0, NULL },
    { SIG_TEXT, "素材库", CLS_SALES, 2, 1, 0, NULL },
    { SIG_TEXT, "代笔", CLS_SALES, 2, 1, 0, NULL },
    { SIG_TEXT, "代写", CLS_SALES, 2, 1, 0, NULL },
    { SIG_TEXT, "润笔", CLS_SALES, 2, 1, 0, NULL },
    { SIG_TEXT, "万字材料", CLS_SALES, 2, 1, 0, NULL },
    { SIG_TEXT, "小伙伴", CLS_SALES, 2, 1, 0, NULL },
    { SIG_TEXT, "会员群", CLS_SALES, 2, 1, 0, NULL },
    { SIG_TEXT, "网盘群", CLS_SALES, 2, 1, 0, NULL },
    { SIG_TEXT, "原创高质量", CLS_SALES, 2, 1, 0, NULL },
    { SIG_TEXT, "高质量素材", CLS_SALES, 2, 1, 0, NULL },
    { SIG_TEXT, "认准", CLS_SALES, 2, 1, 0, NULL },
    { SIG_TEXT, "一键", CLS_SALES, 1, 1, 0, NULL },
    { SIG_TEXT, "接单", CLS_SALES, 1, 1, 0, NULL },
    { SIG_TEXT, "vip", CLS_SALES, 1, 1, 0, NULL },
    { SIG_TEXT, "会员", CLS_SALES, 1, 1, 0, NULL },
    { SIG_TEXT, "客服", CLS_SALES, 1, 1, 0, NULL },
    { SIG_TEXT, "网盘", CLS_SALES, 1, 1, 0, NULL },
    { SIG_TEXT, "加群", CLS_SALES, 1, 1, 0, NULL },
    { SIG_TEXT, "加入", CLS_SALES, 1, 1, 0, NULL },
    { SIG_TEXT, "qq", CLS_SALES, 1, 1, 0, "QQ" },
    { SIG_TEXT, "素材", CLS_SALES, 1, 1, 0, NULL },
    { SIG_TEXT, "范文", CLS_SALES, 1, 1, 0, NULL },
    /* contact words: ordinary documents use them too, so together they
     * are worth one point */
    { SIG_TEXT, "联系", CLS_CONTACT, 1, 0, 1, NULL },
    { SIG_TEXT, "微信", CLS_CONTACT, 1, 0, 1, NULL },
    { SIG_TEXT, "公众号", CLS_CONTACT, 1, 0, 1, NULL },
    { SIG_TEXT, "关注", CLS_CONTACT, 1, 0, 1, NULL },
    { SIG_TEXT, "扫码", CLS_CONTACT, 1, 0, 1, NULL },
    { SIG_TEXT, "二维码", CLS_CONTACT, 1, 0, 1, NULL },
    { SIG_TEXT, "添加", CLS_CONTACT, 1, 0, 1, NULL },
};

enum {
    NRULES = sizeof rules / sizeof rules[0],
    NBUCKETS = 1024,
    BUCKET_SLOTS = 8
};

/* Literal rules indexed by their first code point (ASCII lower-cased). */
static unsigned char bucket_n[NBUCKETS];
static unsigned char bucket_rule[NBUCKETS][BUCKET_SLOTS];
static size_t rule_len[NRULES];
/* One bit per BMP code point: could a signal start here? Most characters
 * of a line are not, and skip the bucket lookup. */
static uint64_t start_map[65536 / 64];
static pthread_once_t index_once = PTHREAD_ONCE_INIT;

static void mark_start(uint32_t cp)
{
    start_map[cp / 64] |= 1ULL << (cp % 64);
}

static uint32_t lower(uint32_t c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static unsigned bucket_of(uint32_t cp)
{
    return (unsigned)((lower(cp) * 2654435761u) >> 22) % NBUCKETS;
}

static void build_index(void)
{
    for (size_t r = 0; r < NRULES; r++) {
        if (rules[r].kind != SIG_TEXT)
            continue;
        uint32_t cp;
        rule_len[r] = strlen(rules[r].text);
        gw_decode(rules[r].text, rule_len[r], &cp);
        unsigned b = bucket_of(cp);
        if (bucket_n[b] < BUCKET_SLOTS) /* table is small; 8 slots never fill */
            bucket_rule[b][bucket_n[b]++] = (unsigned char)r;
        if (cp < 65536) {
            mark_start(cp);
            if (cp >= 'a' && cp <= 'z')
                mark_start(cp - ('a' - 'A'));
        }
    }
    static const uint32_t structural[] = { 0x3010, 0xFF1A, ':', 'q', 'Q' }; /* 【 ： : q Q */
    for (size_t i = 0; i < sizeof structural / sizeof structural[0]; i++)
        mark_start(structural[i]);
}

/* ASCII-case-insensitive prefix test of pattern r at s[0..len). */
static size_t match_text(const char *s, size_t len, size_t r)
{
    const char *pat = rules[r].text;
    size_t n = rule_len[r];
    if (n > len)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)s[i]) != (unsigned char)pat[i])
            return 0;
    return n;
}

static const char *const brand_words[] = { "素材库", "素材", "代笔", "文库",   "资料库",
                                           "会员",   "范文", "写作", "材料库", "笔杆子" };

/* 【…】 (at most 16 code points inside) holding a brand word. On success
 * *word is the brand word. */
static int has_brand_bracket(const char *s, size_t len, const char **word)
{
    ptrdiff_t at = 0;
    size_t off = 0;
    while (off < len && (at = gw_find(s + off, len - off, "【")) >= 0) {
        size_t open = off + (size_t)at + 3;
        ptrdiff_t close = gw_find(s + open, len - open, "】");
        if (close < 0)
            return 0;
        if (sc_utf8_count(s + open, (size_t)close) <= 16) {
            for (size_t w = 0; w < sizeof brand_words / sizeof brand_words[0]; w++) {
                if (gw_find(s + open, (size_t)close, brand_words[w]) >= 0) {
                    *word = brand_words[w];
                    return 1;
                }
            }
        }
        off = open + (size_t)close + 3;
    }
    return 0;
}

static int is_ascii_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * Contact token: what follows a colon (：or :) or a QQ/微信 marker, when it
 * looks like an id a distributor hands out: ASCII letters (cwk, wxid_12),
 * digit groups broken by spaces ("1 4367", the anonymised form), or 5+
 * digits after QQ/微信. A plain "电话：0571-87654321" is not one: official
 * documents print their phone numbers.
 */
static int token_at(const char *s, size_t len, size_t i, int after_id_word)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    size_t start = i, digits = 0, letters = 0, inner_space = 0, other = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c >= '0' && c <= '9')
            digits++;
        else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            letters++;
        else if (c == ' ' && i + 1 < len && is_ascii_alnum((unsigned char)s[i + 1]) && i > start)
            inner_space++;
        else if ((c == '_' || c == '-') && i > start)
            other++;
        else
            break;
        i++;
    }
    if (i - start > 24 || i == start)
        return 0;
    if (i < len && (s[i] == '@' || s[i] == '.'))
        return 0; /* an e-mail address or a web address: documents print them */
    if (letters >= 2 && letters + digits >= 3)
        return 1;
    if (digits >= 4 && inner_space > 0 && other == 0)
        return 1;
    if (after_id_word && digits >= 5 && other == 0)
        return 1;
    return 0;
}

static int has_contact_token(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = gw_decode(s + i, len - i, &cp);
        if (cp == 0xFF1A || cp == ':') {
            /* after QQ / 微信 within a few bytes a long number counts too */
            size_t from = i > 12 ? i - 12 : 0;
            int id_word = gw_find(s + from, i - from, "QQ") >= 0 ||
                          gw_find(s + from, i - from, "qq") >= 0 ||
                          gw_find(s + from, i - from, "微信") >= 0;
            if (token_at(s, len, i + k, id_word))
                return 1;
        } else if ((cp == 'Q' || cp == 'q') && i + 1 < len &&
                   lower((unsigned char)s[i + 1]) == 'q') {
            size_t j = i + 2;
            while (j < len && (s[j] == ' ' || s[j] == '-'))
                j++;
            if (j > i + 2 || (j < len && s[j] >= '0' && s[j] <= '9'))
                if (token_at(s, len, j, 1))
                    return 1;
        }
        i += k;
    }
    return 0;
}

int gw_boiler_score(const struct gw_boiler_line *l, int *distributor, struct sc_buf *reason)
{
    pthread_once(&index_once, build_index);
    unsigned char hit[NRULES];
    memset(hit, 0, sizeof hit);
    const char *s = l->p;
    size_t len = l->len;

    /* leftmost-longest literal matches; a match is skipped over so that
     * "会员群" does not also count as "会员". The same pass notes whether
     * the slower structural tests (【, a colon, QQ) can apply at all. */
    int bracket = 0, colon = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = gw_decode(s + i, len - i, &cp);
        if (cp < 65536 && !(start_map[cp / 64] & (1ULL << (cp % 64)))) {
            i += k;
            continue;
        }
        bracket |= cp == 0x3010;
        colon |= cp == 0xFF1A || cp == ':' || cp == 'q' || cp == 'Q';
        unsigned b = bucket_of(cp);
        size_t best = 0;
        int best_rule = -1;
        for (unsigned j = 0; j < bucket_n[b]; j++) {
            int r = bucket_rule[b][j];
            size_t m = match_text(s + i, len - i, (size_t)r);
            if (m > best) {
                best = m;
                best_rule = r;
            }
        }
        if (best_rule >= 0) {
            hit[best_rule] = 1;
            i += best;
        } else {
            i += k;
        }
    }
    const char *brand = NULL;
    for (size_t r = 0; r < NRULES; r++) {
        switch (rules[r].kind) {
        case SIG_BRACKET:
            hit[r] = (unsigned char)(bracket && has_brand_bracket(s, len, &brand));
            break;
        case SIG_TOKEN: hit[r] = (unsigned char)(colon && has_contact_token(s, len)); break;
        case SIG_NEAR_END: hit[r] = l->near_end != 0; break;
        case SIG_NEIGHBOUR: break; /* below: needs a signal of the line's own */
        case SIG_TEXT: break;
        }
    }
    /* Being next to an ad only counts for a line with a contact token or a
     * distributor signal of weight 2+ of its own: the last real paragraph
     * before a footer ("密切联系群众，主动加入") must not be swept up. */
    if (l->neighbour) {
        int own = 0;
        for (size_t r = 0; r < NRULES; r++)
            own |= hit[r] &&
                   ((rules[r].distributor && rules[r].weight >= 2) || rules[r].kind == SIG_TOKEN);
        for (size_t r = 0; r < NRULES; r++)
            if (rules[r].kind == SIG_NEIGHBOUR)
                hit[r] = (unsigned char)own;
    }
    int score = 0, capped = 0, dist = 0;
    for (size_t r = 0; r < NRULES; r++) {
        if (!hit[r])
            continue;
        if (rules[r].capped) {
            capped = 1;
            continue;
        }
        score += rules[r].weight;
        dist |= rules[r].distributor;
    }
    score += capped;
    if (distributor)
        *distributor = dist;
    if (reason && dist && score >= BOILER_MIN) {
        /* "<class of the strongest signal>: label + label + label" */
        int shown = 0;
        for (int pass = 0; pass < 8 && shown < 3; pass++) {
            int w = 4 - pass / 2, want_dist = pass % 2 == 0; /* by weight, ads first */
            for (size_t r = 0; r < NRULES && shown < 3; r++) {
                if (!hit[r] || rules[r].weight != w || rules[r].distributor != want_dist)
                    continue;
                if (rules[r].capped && shown > 0)
                    continue;
                if (shown == 0) {
                    sc_buf_adds(reason, class_name[rules[r].cls]);
                    sc_buf_adds(reason, ": ");
                } else {
                    sc_buf_adds(reason, " + ");
                }
                if (rules[r].kind == SIG_BRACKET && brand) {
                    sc_buf_adds(reason, "【…");
                    sc_buf_adds(reason, brand);
                    sc_buf_adds(reason, "】 banner");
                } else {
                    sc_buf_adds(reason, rules[r].label ? rules[r].label : rules[r].text);
                }
                shown++;
            }
        }
    }
    return score;
}

enum sc_err gw_boiler_judge(const struct gw_boiler_line *lines, size_t n, unsigned char *verdict,
                            char **reasons)
{
    struct sc_buf why = SC_BUF_INIT;
    for (size_t i = 0; i < n; i++)
        reasons[i] = NULL;
    /* pass 1: each line alone */
    for (size_t i = 0; i < n; i++) {
        int dist = 0;
        sc_buf_reset(&why);
        int score = gw_boiler_score(&lines[i], &dist, &why);
        verdict[i] = score >= BOILER_MIN && dist;
        if (verdict[i]) {
            if (sc_buf_err(&why) || !(reasons[i] = sc_buf_take(&why, NULL)))
                goto nomem;
        }
    }
    /* pass 2: lines next to boilerplate get the neighbour signal. A footer
     * is a block of lines, so the signal spreads: one sweep down and one up
     * reach every line connected to an ad (the neighbour signal is the same
     * whichever side the ad is on). */
    for (int dir = 0; dir < 2; dir++) {
        for (size_t k = 0; k < n; k++) {
            size_t i = dir == 0 ? k : n - 1 - k;
            if (verdict[i])
                continue;
            if (!((i > 0 && verdict[i - 1]) || (i + 1 < n && verdict[i + 1])))
                continue;
            struct gw_boiler_line l = lines[i];
            l.neighbour = 1;
            int dist = 0;
            sc_buf_reset(&why);
            int score = gw_boiler_score(&l, &dist, &why);
            if (score >= BOILER_MIN && dist) {
                if (sc_buf_err(&why) || !(reasons[i] = sc_buf_take(&why, NULL)))
                    goto nomem;
                verdict[i] = 1;
            }
        }
    }
    sc_buf_release(&why);
    return SC_OK;
nomem:
    sc_buf_release(&why);
    for (size_t i = 0; i < n; i++) {
        free(reasons[i]);
        reasons[i] = NULL;
    }
    return SC_ENOMEM;
}
