/*
 * Section kinds: what a section of a 公文 is about (情况, 做法, 成效, 问题,
 * 打算), judged from its heading by one ordered table, plus the names and
 * search aliases of the kinds (`section:问题`).
 */
#include "gongwen_int.h"

#include <pthread.h>
#include <string.h>

static const char *const kind_names[SC_KIND_COUNT] = {
    "other", "overview", "work", "results", "problems", "plans", "notes",
};

const char *sc_kind_name(enum sc_section_kind kind)
{
    if ((int)kind < 0 || kind >= SC_KIND_COUNT)
        return "other";
    return kind_names[kind];
}

/*
 * The kind table, first match wins (so more specific phrases come first:
 * 存在的问题 before 工作情况, 完成情况 before 主要工作, 经验做法 is a result).
 * strong: the phrase names a section type outright (存在的问题, 下一步,
 * 工作回顾); a subsection's strong match overrides its parent's kind, a
 * weak one (不足, 成效, 措施, 自身建设) only applies when the parent says
 * nothing: （二）补齐短板 under 一、主要工作 stays work, （四）政府自身建设取得
 * 新成效 under 一、工作回顾 stays results. ahead: the phrase names the work
 * whatever its time (主要工作, 措施, 重点工作): work in a document that
 * looks back, plans in one that looks ahead, and in a 政府工作报告 the time
 * of the heading or of the body decides.
 */
enum {
    K_WEAK = 0,
    K_STRONG = 1,
    K_AHEAD = 2,
};
static const struct kind_rule {
    const char *word; /* first member: gw_first_word reads it */
    enum sc_section_kind kind;
    int flags;
} kind_rules[] = {
    /* problems */
    { "存在的问题", SC_KIND_PROBLEMS, K_STRONG },
    { "存在问题", SC_KIND_PROBLEMS, K_STRONG },
    { "问题和不足", SC_KIND_PROBLEMS, K_STRONG },
    { "问题与不足", SC_KIND_PROBLEMS, K_STRONG },
    { "不足之处", SC_KIND_PROBLEMS, K_STRONG },
    { "存在的不足", SC_KIND_PROBLEMS, K_STRONG },
    { "存在的困难", SC_KIND_PROBLEMS, K_STRONG },
    { "存在的短板", SC_KIND_PROBLEMS, K_STRONG },
    { "困难和问题", SC_KIND_PROBLEMS, K_STRONG },
    { "问题和困难", SC_KIND_PROBLEMS, K_STRONG },
    { "问题和挑战", SC_KIND_PROBLEMS, K_STRONG },
    { "困难和挑战", SC_KIND_PROBLEMS, K_STRONG },
    { "面临的问题", SC_KIND_PROBLEMS, K_STRONG },
    { "主要问题", SC_KIND_PROBLEMS, K_STRONG },
    { "问题和努力方向", SC_KIND_PROBLEMS, K_STRONG },
    { "短板", SC_KIND_PROBLEMS, K_WEAK },
    { "不足", SC_KIND_PROBLEMS, K_WEAK },
    { "困难", SC_KIND_PROBLEMS, K_WEAK },
    { "薄弱", SC_KIND_PROBLEMS, K_WEAK },
    { "差距", SC_KIND_PROBLEMS, K_WEAK },
    /* results: a review of what was achieved */
    { "完成情况", SC_KIND_RESULTS, K_STRONG },
    { "工作回顾", SC_KIND_RESULTS, K_STRONG },
    { "回顾", SC_KIND_RESULTS, K_STRONG },
    { "发展成就", SC_KIND_RESULTS, K_STRONG },
    { "主要成就", SC_KIND_RESULTS, K_STRONG },
    { "主要成效", SC_KIND_RESULTS, K_STRONG },
    { "工作成效", SC_KIND_RESULTS, K_STRONG },
    { "取得的成效", SC_KIND_RESULTS, K_STRONG },
    { "主要成绩", SC_KIND_RESULTS, K_STRONG },
    { "取得的成绩", SC_KIND_RESULTS, K_STRONG },
    { "主要成果", SC_KIND_RESULTS, K_STRONG },
    { "取得的成果", SC_KIND_RESULTS, K_STRONG },
    { "工作成果", SC_KIND_RESULTS, K_STRONG },
    { "特色亮点", SC_KIND_RESULTS, K_STRONG },
    { "亮点工作", SC_KIND_RESULTS, K_STRONG },
    { "工作亮点", SC_KIND_RESULTS, K_STRONG },
    { "经验做法", SC_KIND_RESULTS, K_STRONG },
    { "主要经验", SC_KIND_RESULTS, K_STRONG },
    { "经验启示", SC_KIND_RESULTS, K_STRONG },
    /* plans */
    { "下一步", SC_KIND_PLANS, K_STRONG },
    { "工作打算", SC_KIND_PLANS, K_STRONG },
    { "工作计划", SC_KIND_PLANS, K_STRONG },
    { "工作思路", SC_KIND_PLANS, K_STRONG },
    { "工作安排", SC_KIND_PLANS, K_STRONG },
    { "工作部署", SC_KIND_PLANS, K_STRONG },
    { "工作要点", SC_KIND_PLANS, K_STRONG },
    { "目标任务", SC_KIND_PLANS, K_STRONG },
    { "主要目标", SC_KIND_PLANS, K_STRONG },
    { "发展目标", SC_KIND_PLANS, K_STRONG },
    { "工作目标", SC_KIND_PLANS, K_STRONG },
    { "主要任务", SC_KIND_PLANS, K_STRONG },
    { "重点任务", SC_KIND_PLANS, K_STRONG },
    { "工作任务", SC_KIND_PLANS, K_STRONG },
    { "总体要求", SC_KIND_PLANS, K_STRONG },
    { "努力方向", SC_KIND_PLANS, K_STRONG },
    { "今后", SC_KIND_PLANS, K_STRONG },
    { "打算", SC_KIND_PLANS, K_STRONG },
    { "展望", SC_KIND_PLANS, K_STRONG },
    { "明年", SC_KIND_PLANS, K_WEAK },
    { "思路", SC_KIND_PLANS, K_WEAK },
    { "建议", SC_KIND_PLANS, K_WEAK },
    { "目标", SC_KIND_PLANS, K_WEAK },
    { "任务", SC_KIND_PLANS, K_WEAK },
    { "自身建设", SC_KIND_PLANS, K_WEAK },
    { "保障措施", SC_KIND_PLANS, K_WEAK },
    /* results, weak */
    { "成效", SC_KIND_RESULTS, K_WEAK },
    { "成绩", SC_KIND_RESULTS, K_WEAK },
    { "亮点", SC_KIND_RESULTS, K_WEAK },
    { "经验", SC_KIND_RESULTS, K_WEAK },
    { "成就", SC_KIND_RESULTS, K_WEAK },
    { "特色", SC_KIND_RESULTS, K_WEAK },
    { "收获", SC_KIND_RESULTS, K_WEAK },
    /* work: the work done, or to do (ahead) */
    { "工作开展情况", SC_KIND_WORK, K_STRONG },
    { "开展情况", SC_KIND_WORK, K_STRONG },
    { "推进情况", SC_KIND_WORK, K_STRONG },
    { "落实情况", SC_KIND_WORK, K_STRONG },
    { "履职情况", SC_KIND_WORK, K_STRONG },
    { "主要工作", SC_KIND_WORK, K_STRONG | K_AHEAD },
    { "主要做法", SC_KIND_WORK, K_STRONG },
    { "工作举措", SC_KIND_WORK, K_STRONG | K_AHEAD },
    { "主要举措", SC_KIND_WORK, K_STRONG | K_AHEAD },
    { "工作措施", SC_KIND_WORK, K_STRONG | K_AHEAD },
    { "主要措施", SC_KIND_WORK, K_STRONG | K_AHEAD },
    { "具体措施", SC_KIND_WORK, K_STRONG | K_AHEAD },
    { "重点工作", SC_KIND_WORK, K_WEAK | K_AHEAD },
    { "工作总结", SC_KIND_WORK, K_WEAK },
    { "做法", SC_KIND_WORK, K_WEAK },
    { "措施", SC_KIND_WORK, K_WEAK | K_AHEAD },
    { "举措", SC_KIND_WORK, K_WEAK | K_AHEAD },
    /* overview */
    { "基本情况", SC_KIND_OVERVIEW, K_STRONG },
    { "重大意义", SC_KIND_OVERVIEW, K_STRONG },
    { "背景", SC_KIND_OVERVIEW, K_WEAK },
    { "总体情况", SC_KIND_OVERVIEW, K_STRONG },
    { "工作情况", SC_KIND_OVERVIEW, K_STRONG },
    { "概况", SC_KIND_OVERVIEW, K_STRONG },
    { "情况", SC_KIND_OVERVIEW, K_WEAK },
};

static struct gw_word_index kind_index = GW_WORD_INDEX(kind_rules);
static pthread_once_t kind_once = PTHREAD_ONCE_INIT;

static void kind_index_init(void)
{
    gw_word_index_init(&kind_index);
}

/* A 情况 heading that names an activity (履行…职责情况, 推动…发展情况) is
 * the work done, not background. */
static int activity_situation(const char *h, size_t len)
{
    static const char *const verbs[] = { "履行", "推动", "推进", "落实", "执行",
                                         "开展", "贯彻", "处理", "办理", "整改" };
    if (!gw_ends(h, len, "情况"))
        return 0;
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        if (gw_find(h, len, verbs[i]) >= 0)
            return 1;
    return 0;
}

enum sc_section_kind gw_kind_of_heading(const char *h, size_t len, enum gw_direction dir,
                                        int *strong)
{
    *strong = 0;
    pthread_once(&kind_once, kind_index_init);
    /* 关于…问题 names a topic (关于大连新机场建设项目问题), not problems */
    size_t hl = len;
    if (gw_starts(h, len, "关于") && gw_ends(h, len, "问题"))
        hl = len - strlen("问题");
    long r = gw_first_word(&kind_index, h, hl);
    if (r < 0)
        return SC_KIND_OTHER;
    const struct kind_rule *k = &kind_rules[r];
    *strong = (k->flags & K_STRONG) != 0;
    if (k->kind == SC_KIND_OVERVIEW && activity_situation(h, len))
        return dir == GW_AHEAD ? SC_KIND_PLANS : SC_KIND_WORK;
    if (k->flags & K_AHEAD) {
        if (dir == GW_AHEAD)
            return SC_KIND_PLANS;
        if (dir == GW_BOTH) {
            *strong = 0; /* the time decides */
            return SC_KIND_OTHER;
        }
    }
    return k->kind;
}

/* ---- time ---- */

/* The genres that look back or ahead; the rest (政府工作报告, 讲话, 报告 and
 * unknown ones) do both. */
enum gw_direction gw_direction_of(const char *genre)
{
    static const char *const back[] = { "工作总结", "述职报告", "心得体会", "调研报告" };
    static const char *const ahead[] = { "工作计划", "实施方案", "工作方案", "意见", "通知",
                                         "通报",     "决定",     "通告",     "公告" };
    if (!genre)
        return GW_BOTH;
    for (size_t i = 0; i < sizeof back / sizeof back[0]; i++)
        if (strcmp(genre, back[i]) == 0)
            return GW_BACK;
    for (size_t i = 0; i < sizeof ahead / sizeof ahead[0]; i++)
        if (strcmp(genre, ahead[i]) == 0)
            return GW_AHEAD;
    return GW_BOTH;
}

/* Words of a heading that place it in time, whatever its years say. */
static const struct time_word {
    const char *word;
    enum gw_time t;
} time_words[] = {
    { "过去", GW_TIME_PAST },     { "上年", GW_TIME_PAST },   { "去年", GW_TIME_PAST },
    { "一年来", GW_TIME_PAST },   { "五年来", GW_TIME_PAST }, { "以来", GW_TIME_PAST },
    { "回顾", GW_TIME_PAST },     { "今后", GW_TIME_FUTURE }, { "明年", GW_TIME_FUTURE },
    { "下一步", GW_TIME_FUTURE }, { "未来", GW_TIME_FUTURE }, { "新的一年", GW_TIME_FUTURE },
};

/* The n-th five-year plan at p (十四五 = 14), or 0. */
static int five_year_plan(const char *p, size_t len, size_t *used)
{
    uint32_t a, b, c;
    size_t k1 = gw_decode(p, len, &a);
    if (a != 0x5341 || k1 >= len) /* 十 */
        return 0;
    size_t k2 = gw_decode(p + k1, len - k1, &b);
    int d = gw_cn_digit(b);
    if (d < 1 || d > 9 || b == 0x4E24 || k1 + k2 >= len)
        return 0;
    size_t k3 = gw_decode(p + k1 + k2, len - k1 - k2, &c);
    if (c != 0x4E94) /* 五 */
        return 0;
    *used = k1 + k2 + k3;
    return 10 + d;
}

enum gw_time gw_heading_time(const char *h, size_t len, const struct gw_doc *doc,
                             enum gw_direction dir)
{
    int past = 0, future = 0;
    int year = doc ? doc->year : 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = gw_decode(h + i, len - i, &cp);
        /* a year: 2025年 */
        if (cp >= '1' && cp <= '2' && i + 4 < len && year) {
            int v = 0, k = 0;
            while (k < 4 && h[i + (size_t)k] >= '0' && h[i + (size_t)k] <= '9')
                v = v * 10 + (h[i + (size_t)k] - '0'), k++;
            if (k == 4 && gw_starts(h + i + 4, len - i - 4, "年") &&
                !(i > 0 && h[i - 1] >= '0' && h[i - 1] <= '9')) {
                if (v < year || (v == year && dir == GW_BACK))
                    past++;
                else
                    future++;
                i += 4;
                continue;
            }
        }
        /* a plan period: “十四五”时期 */
        if (cp == 0x5341 && year) { /* 十 */
            size_t u;
            int plan = five_year_plan(h + i, len - i, &u);
            if (plan) {
                int first = 2006 + (plan - 11) * 5;
                if (first + 4 < year || (first + 4 == year && dir == GW_BACK))
                    past++;
                else if (first >= year || dir != GW_BACK)
                    future++;
                i += u;
                continue;
            }
        }
        i += n;
    }
    for (size_t k = 0; k < sizeof time_words / sizeof time_words[0]; k++) {
        if (gw_find(h, len, time_words[k].word) >= 0) {
            if (time_words[k].t == GW_TIME_PAST)
                past++;
            else
                future++;
        }
    }
    if (past && !future)
        return GW_TIME_PAST;
    if (future && !past)
        return GW_TIME_FUTURE;
    return GW_TIME_NONE;
}

/*
 * Markers of a body's time, weighted. Past: what was done and achieved (了
 * after a verb, 已经, 同比增长, 荣获, 一年来). Future: what is to be done (将,
 * 要, 力争, 确保, 下一步). 了 and 要 are common characters: the words they
 * make with their neighbours (为了, 了解, 主要, 需要, 要求) are left out.
 */
static const struct tense_word {
    const char *word;
    enum gw_time t;
    int weight;
} tense_words[] = {
    { "了", GW_TIME_PAST, 2 },       { "已经", GW_TIME_PAST, 2 },
    { "一年来", GW_TIME_PAST, 3 },   { "同比增长", GW_TIME_PAST, 2 },
    { "同比下降", GW_TIME_PAST, 2 }, { "荣获", GW_TIME_PAST, 2 },
    { "被评为", GW_TIME_PAST, 2 },   { "被授予", GW_TIME_PAST, 2 },
    { "圆满", GW_TIME_PAST, 1 },     { "累计", GW_TIME_PAST, 1 },
    { "先后", GW_TIME_PAST, 1 },     { "顺利完成", GW_TIME_PAST, 2 },
    { "超额完成", GW_TIME_PAST, 2 }, { "将", GW_TIME_FUTURE, 1 },
    { "要", GW_TIME_FUTURE, 2 },     { "力争", GW_TIME_FUTURE, 3 },
    { "确保", GW_TIME_FUTURE, 2 },   { "争取", GW_TIME_FUTURE, 2 },
    { "拟", GW_TIME_FUTURE, 2 },     { "今后", GW_TIME_FUTURE, 2 },
    { "明年", GW_TIME_FUTURE, 2 },   { "下一步", GW_TIME_FUTURE, 3 },
    { "着力", GW_TIME_FUTURE, 1 },   { "务必", GW_TIME_FUTURE, 2 },
    { "必须", GW_TIME_FUTURE, 1 },   { "应当", GW_TIME_FUTURE, 1 },
};

/* 了, 要 and 将 inside words that say nothing of time; 要 counts as "must,
 * will" after a subject or a clause boundary only (我们要, 各地要, ，要). */
static int tense_false(const char *s, size_t len, size_t at, const char *word)
{
    uint32_t before = gw_prev_cp(s, at), after = 0;
    size_t e = at + strlen(word);
    if (e < len)
        gw_decode(s + e, len - e, &after);
    if (strcmp(word, "了") == 0) /* 为了 除了 罢了 | 了解 了不 了如 */
        return before == 0x4E3A || before == 0x9664 || before == 0x7F62 || after == 0x89E3 ||
               after == 0x4E0D || after == 0x5982;
    if (strcmp(word, "要") == 0) {
        /* 们 还 更 都 也 就 又 必 地 府 门 位 业 */
        static const uint32_t subj[] = { 0x4EEC, 0x8FD8, 0x66F4, 0x90FD, 0x4E5F, 0x5C31, 0x53C8,
                                         0x5FC5, 0x5730, 0x5E9C, 0x95E8, 0x4F4D, 0x4E1A };
        if (after == 0x6C42 || after == 0x7D20 || after == 0x70B9 || after == 0x5BB3 ||
            after == 0x52A1 || after == 0x4E49) /* 要求 要素 要点 要害 要务 要义 */
            return 1;
        if (before == 0 || gw_is_space(before) || before == 0xFF0C || before == 0x3002 ||
            before == 0xFF1B || before == 0xFF1A)
            return 0;
        for (size_t k = 0; k < sizeof subj / sizeof subj[0]; k++)
            if (before == subj[k])
                return 0;
        return 1;
    }
    if (strcmp(word, "将") == 0) /* 将近 | 大将 */
        return after == 0x8FD1 || before == 0x5927;
    return 0;
}

enum gw_time gw_body_time(const char *s, size_t len)
{
    int past = 0, future = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = gw_decode(s + i, len - i, &cp);
        if (cp >= 0x4E00) {
            for (size_t k = 0; k < sizeof tense_words / sizeof tense_words[0]; k++) {
                const struct tense_word *w = &tense_words[k];
                if (!gw_starts(s + i, len - i, w->word) || tense_false(s, len, i, w->word))
                    continue;
                if (w->t == GW_TIME_PAST)
                    past += w->weight;
                else
                    future += w->weight;
                break;
            }
        }
        i += n;
    }
    if (past >= 2 * future + 2)
        return GW_TIME_PAST;
    if (future >= 2 * past + 2)
        return GW_TIME_FUTURE;
    return GW_TIME_NONE;
}

enum sc_section_kind gw_kind_of_time(enum gw_time t, const struct gw_doc *doc,
                                     enum gw_direction dir)
{
    (void)doc;
    if (t == GW_TIME_FUTURE)
        return SC_KIND_PLANS;
    if (t == GW_TIME_PAST)
        /* the past of a 总结 is the work done; of a report, what it achieved */
        return dir == GW_BACK ? SC_KIND_WORK : SC_KIND_RESULTS;
    /* nothing says: a 总结's sections are its work, a 计划's or a
     * directive's its plans */
    if (dir == GW_BACK)
        return SC_KIND_WORK;
    if (dir == GW_AHEAD)
        return SC_KIND_PLANS;
    return SC_KIND_OTHER;
}

/* Names accepted by sc_kind_parse (search: section:问题). English names
 * are matched case-insensitively. */
static const struct kind_alias {
    const char *name;
    enum sc_section_kind kind;
} kind_aliases[] = {
    { "other", SC_KIND_OTHER },       { "overview", SC_KIND_OVERVIEW },
    { "work", SC_KIND_WORK },         { "results", SC_KIND_RESULTS },
    { "result", SC_KIND_RESULTS },    { "problems", SC_KIND_PROBLEMS },
    { "problem", SC_KIND_PROBLEMS },  { "plans", SC_KIND_PLANS },
    { "plan", SC_KIND_PLANS },        { "其他", SC_KIND_OTHER },
    { "其它", SC_KIND_OTHER },        { "情况", SC_KIND_OVERVIEW },
    { "概况", SC_KIND_OVERVIEW },     { "基本情况", SC_KIND_OVERVIEW },
    { "总体情况", SC_KIND_OVERVIEW }, { "工作情况", SC_KIND_OVERVIEW },
    { "做法", SC_KIND_WORK },         { "工作", SC_KIND_WORK },
    { "主要工作", SC_KIND_WORK },     { "主要做法", SC_KIND_WORK },
    { "措施", SC_KIND_WORK },         { "举措", SC_KIND_WORK },
    { "成效", SC_KIND_RESULTS },      { "亮点", SC_KIND_RESULTS },
    { "经验", SC_KIND_RESULTS },      { "成绩", SC_KIND_RESULTS },
    { "成果", SC_KIND_RESULTS },      { "特色亮点", SC_KIND_RESULTS },
    { "问题", SC_KIND_PROBLEMS },     { "存在的问题", SC_KIND_PROBLEMS },
    { "不足", SC_KIND_PROBLEMS },     { "困难", SC_KIND_PROBLEMS },
    { "短板", SC_KIND_PROBLEMS },     { "打算", SC_KIND_PLANS },
    { "计划", SC_KIND_PLANS },        { "下一步", SC_KIND_PLANS },
    { "思路", SC_KIND_PLANS },        { "建议", SC_KIND_PLANS },
    { "工作打算", SC_KIND_PLANS },    { "工作计划", SC_KIND_PLANS },
    { "notes", SC_KIND_NOTES },       { "note", SC_KIND_NOTES },
    { "注释", SC_KIND_NOTES },        { "脚注", SC_KIND_NOTES },
    { "尾注", SC_KIND_NOTES },        { "注", SC_KIND_NOTES },
};

int sc_kind_parse(const char *s, size_t len)
{
    if (!s)
        return -1;
    const char *p = gw_trim(s, &len);
    for (size_t i = 0; i < sizeof kind_aliases / sizeof kind_aliases[0]; i++) {
        const char *n = kind_aliases[i].name;
        if (strlen(n) != len)
            continue;
        size_t j = 0;
        for (; j < len; j++) {
            unsigned char c = (unsigned char)p[j];
            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c + ('a' - 'A'));
            if (c != (unsigned char)n[j])
                break;
        }
        if (j == len)
            return (int)kind_aliases[i].kind;
    }
    return -1;
}
