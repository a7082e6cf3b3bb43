/*
 * Section kinds: what a section of a 公文 is about (情况, 做法, 成效, 问题,
 * 打算), judged from its heading by one ordered table, plus the names and
 * search aliases of the kinds (`section:问题`).
 */
#include "gongwen_int.h"

#include <pthread.h>
#include <string.h>

static const char *const kind_names[SC_KIND_COUNT] = {
    "other", "overview", "work", "results", "problems", "plans",
};

const char *sc_kind_name(enum sc_section_kind kind)
{
    if ((int)kind < 0 || kind >= SC_KIND_COUNT)
        return "other";
    return kind_names[kind];
}

/*
 * The kind table, first match wins (so more specific phrases come first:
 * 存在的问题 before 工作情况, 经验做法 is a result, 工作开展情况 is work).
 * strong: the phrase names a section type outright (存在的问题, 下一步,
 * 主要成效); a subsection's strong match overrides its parent's kind, a
 * weak one (不足, 成效, 措施) only applies when the parent says nothing:
 * （二）补齐短板 under 一、主要工作 stays work, （三）…取得新成效 under
 * 二、目标任务 stays plans.
 */
static const struct kind_rule {
    const char *word; /* first member: gw_first_word reads it */
    enum sc_section_kind kind;
    int strong;
} kind_rules[] = {
    /* problems */
    { "存在的问题", SC_KIND_PROBLEMS, 1 },
    { "存在问题", SC_KIND_PROBLEMS, 1 },
    { "问题和不足", SC_KIND_PROBLEMS, 1 },
    { "问题与不足", SC_KIND_PROBLEMS, 1 },
    { "不足之处", SC_KIND_PROBLEMS, 1 },
    { "存在的不足", SC_KIND_PROBLEMS, 1 },
    { "存在的困难", SC_KIND_PROBLEMS, 1 },
    { "困难和问题", SC_KIND_PROBLEMS, 1 },
    { "问题和困难", SC_KIND_PROBLEMS, 1 },
    { "面临的问题", SC_KIND_PROBLEMS, 1 },
    { "主要问题", SC_KIND_PROBLEMS, 1 },
    { "短板", SC_KIND_PROBLEMS, 0 },
    { "不足", SC_KIND_PROBLEMS, 0 },
    { "困难", SC_KIND_PROBLEMS, 0 },
    { "薄弱", SC_KIND_PROBLEMS, 0 },
    { "差距", SC_KIND_PROBLEMS, 0 },
    /* plans */
    { "下一步", SC_KIND_PLANS, 1 },
    { "工作打算", SC_KIND_PLANS, 1 },
    { "工作计划", SC_KIND_PLANS, 1 },
    { "工作思路", SC_KIND_PLANS, 1 },
    { "工作安排", SC_KIND_PLANS, 1 },
    { "目标任务", SC_KIND_PLANS, 1 },
    { "总体要求", SC_KIND_PLANS, 1 },
    { "今后", SC_KIND_PLANS, 1 },
    { "打算", SC_KIND_PLANS, 1 },
    { "展望", SC_KIND_PLANS, 1 },
    { "明年", SC_KIND_PLANS, 0 },
    { "思路", SC_KIND_PLANS, 0 },
    { "建议", SC_KIND_PLANS, 0 },
    /* results */
    { "主要成效", SC_KIND_RESULTS, 1 },
    { "工作成效", SC_KIND_RESULTS, 1 },
    { "取得的成效", SC_KIND_RESULTS, 1 },
    { "主要成绩", SC_KIND_RESULTS, 1 },
    { "取得的成绩", SC_KIND_RESULTS, 1 },
    { "主要成果", SC_KIND_RESULTS, 1 },
    { "取得的成果", SC_KIND_RESULTS, 1 },
    { "工作成果", SC_KIND_RESULTS, 1 },
    { "特色亮点", SC_KIND_RESULTS, 1 },
    { "工作亮点", SC_KIND_RESULTS, 1 },
    { "经验做法", SC_KIND_RESULTS, 1 },
    { "主要经验", SC_KIND_RESULTS, 1 },
    { "经验启示", SC_KIND_RESULTS, 1 },
    { "成效", SC_KIND_RESULTS, 0 },
    { "成绩", SC_KIND_RESULTS, 0 },
    { "亮点", SC_KIND_RESULTS, 0 },
    { "经验", SC_KIND_RESULTS, 0 },
    { "成就", SC_KIND_RESULTS, 0 },
    { "特色", SC_KIND_RESULTS, 0 },
    { "收获", SC_KIND_RESULTS, 0 },
    /* work */
    { "主要工作", SC_KIND_WORK, 1 },
    { "工作开展情况", SC_KIND_WORK, 1 },
    { "开展情况", SC_KIND_WORK, 1 },
    { "完成情况", SC_KIND_WORK, 1 },
    { "主要做法", SC_KIND_WORK, 1 },
    { "工作举措", SC_KIND_WORK, 1 },
    { "主要举措", SC_KIND_WORK, 1 },
    { "工作措施", SC_KIND_WORK, 1 },
    { "主要措施", SC_KIND_WORK, 1 },
    { "工作回顾", SC_KIND_WORK, 1 },
    { "重点工作", SC_KIND_WORK, 0 },
    { "工作总结", SC_KIND_WORK, 0 },
    { "做法", SC_KIND_WORK, 0 },
    { "措施", SC_KIND_WORK, 0 },
    { "举措", SC_KIND_WORK, 0 },
    /* overview */
    { "基本情况", SC_KIND_OVERVIEW, 1 },
    { "总体情况", SC_KIND_OVERVIEW, 1 },
    { "工作情况", SC_KIND_OVERVIEW, 1 },
    { "概况", SC_KIND_OVERVIEW, 1 },
    { "情况", SC_KIND_OVERVIEW, 0 },
};

static struct gw_word_index kind_index = GW_WORD_INDEX(kind_rules);
static pthread_once_t kind_once = PTHREAD_ONCE_INIT;

static void kind_index_init(void)
{
    gw_word_index_init(&kind_index);
}

enum sc_section_kind gw_kind_of_heading(const char *h, size_t len, int *strong)
{
    *strong = 0;
    pthread_once(&kind_once, kind_index_init);
    long r = gw_first_word(&kind_index, h, len);
    if (r < 0)
        return SC_KIND_OTHER;
    *strong = kind_rules[r].strong;
    return kind_rules[r].kind;
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
