/*
 * The paid rule in the search engine (docs/internals/members.md):
 *  - an answer for a caller who may not read paid text does not depend on
 *    paid text: two libraries whose documents differ only inside their
 *    paid ranges (same lengths and lines, other words and headings) give
 *    byte-identical answers, for every query shape, both modes, facets;
 *  - with paid matches granted, the answers differ only in the documents
 *    found in their paid part (one bit per document);
 *  - the prefix-extension attack through `total` (OR groups of candidate
 *    next characters, limit 0, halving) recovers nothing without an
 *    allowance and at most one bit per granted answer with one;
 *  - paid headings are withheld from section paths and kinds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "search_fixture.h"

/* Two versions of each document: the same free text, different paid text
 * of the same length and line structure. */
struct pair {
    const char *title, *free_head, *paid_a, *paid_b, *free_tail;
};

static const struct pair PAIRS[] = {
    { "甲局2023年工作总结", "一、基本情况\n今年我局依法行政，服务群众，成效明显。\n二、存在的问题\n",
      "人员不足，经费紧张，依法行政意识有待加强。\n三、下一步打算\n强化培训。",
      "基层薄弱，制度滞后，考核机制仍需完善健全。\n三、主要的做法\n狠抓落实。", "" },
    { "乙市2024年工作计划",
      "总体目标：推进营商环境建设。\n一、重点任务\n（一）深化改革。持续推进放管服改革，",
      "优化审批流程，压缩办理时限百分之三十。\n（二）强化监管。",
      "依法行政优先，营商环境评价全省第一名。\n（二）存在问题。",
      "\n二、保障措施\n加强组织领导，依法行政。" },
    { "丙区述职报告", "", "本人认真履行职责，依法行政，营商环境持续改善。\n一、存在的问题\n作风不实。",
      "全年完成任务，廉洁自律，群众满意度稳步地提升。\n一、主要的做法\n勤勉尽责。", "" },
    { "丁县调研报告", "调研发现基层治理有新进展。\n", "", "", "治理能力依法行政提升。" },
};
#define NP (sizeof PAIRS / sizeof PAIRS[0])

static struct fixture FA, FB;
static struct sc_doc DA[NP], DB[NP];
static char *TEXTS[2][NP];
static struct sc_section SECS[2][NP][8];

/* Sections from headings: lines starting "一、" "二、" "三、" (level 1) or
 * "（一）" "（二）" (level 2); kind from the heading words. */
static char NAMES[2][NP][8][2][96];

static size_t find_sections(const char *text, struct sc_section *out, char (*names)[2][96])
{
    static const char *const lab[] = { "一、", "二、", "三、", "（一）", "（二）" };
    size_t n = 0;
    int64_t cp = 0;
    const char *p = text;
    while (*p && n < 8) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        for (size_t i = 0; i < 5 && cp > 0; i++) {
            size_t ll = strlen(lab[i]);
            if (len < ll || strncmp(p, lab[i], ll))
                continue;
            struct sc_section *s = &out[n];
            memset(s, 0, sizeof *s);
            s->level = i < 3 ? 1 : 2;
            snprintf(names[n][0], sizeof names[n][0], "%s", lab[i]);
            snprintf(names[n][1], sizeof names[n][1], "%.*s", (int)(len - ll), p + ll);
            s->label = names[n][0];
            s->heading = names[n][1];
            const char *h = names[n][1];
            s->kind = strstr(h, "问题")   ? SC_KIND_PROBLEMS
                      : strstr(h, "打算") ? SC_KIND_PLANS
                      : strstr(h, "做法") ? SC_KIND_WORK
                                          : SC_KIND_OTHER;
            s->start_cp = cp;
            n++;
            break;
        }
        cp += (int64_t)sc_utf8_count(p, len) + 1;
        p += len + (nl ? 1 : 0);
    }
    int64_t total = (int64_t)sc_utf8_count(text, strlen(text));
    for (size_t i = 0; i < n; i++) {
        out[i].end_cp = total;
        for (size_t j = i + 1; j < n; j++)
            if (out[j].level <= out[i].level) {
                out[i].end_cp = out[j].start_cp;
                break;
            }
    }
    return n;
}

static void make_doc(struct sc_doc *d, int which, size_t i)
{
    const struct pair *pr = &PAIRS[i];
    const char *paid = which ? pr->paid_b : pr->paid_a;
    size_t need = strlen(pr->title) + strlen(pr->free_head) + strlen(paid) +
                  strlen(pr->free_tail) + 4;
    char *t = malloc(need);
    snprintf(t, need, "%s\n%s%s%s", pr->title, pr->free_head, paid, pr->free_tail);
    TEXTS[which][i] = t;
    memset(d, 0, sizeof *d);
    d->id = (int64_t)(i + 1) * 2;
    d->title = (char *)pr->title;
    d->text = t;
    d->text_len = strlen(t);
    d->year = 2020 + (int)i;
    d->genre = (char *)(i % 2 ? "工作计划" : "工作总结");
    d->paid_from_cp = d->paid_to_cp = -1;
    if (*paid) {
        int64_t f = (int64_t)sc_utf8_count(pr->title, strlen(pr->title)) + 1 +
                    (int64_t)sc_utf8_count(pr->free_head, strlen(pr->free_head));
        d->paid_from_cp = f;
        d->paid_to_cp = *pr->free_tail ? f + (int64_t)sc_utf8_count(paid, strlen(paid)) : -1;
    }
    d->sections = SECS[which][i];
    d->nsections = find_sections(t, SECS[which][i], NAMES[which][i]);
}

static int setup(void **state)
{
    (void)state;
    for (size_t i = 0; i < NP; i++) {
        assert_int_equal(sc_utf8_count(PAIRS[i].paid_a, strlen(PAIRS[i].paid_a)),
                         sc_utf8_count(PAIRS[i].paid_b, strlen(PAIRS[i].paid_b)));
        make_doc(&DA[i], 0, i);
        make_doc(&DB[i], 1, i);
    }
    if (fixture_build(&FA, DA, NP, 2) || fixture_build(&FB, DB, NP, 1))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fixture_release(&FA);
    fixture_release(&FB);
    for (size_t i = 0; i < NP; i++) {
        free(TEXTS[0][i]);
        free(TEXTS[1][i]);
    }
    return 0;
}

static enum sc_err run(struct fixture *f, const char *q, int para, size_t limit, int entitled,
                       int flags, struct sc_results *r)
{
    struct sc_search_opts o = { 0 };
    o.query = q;
    o.mode = para ? SC_SEARCH_PARA : SC_SEARCH_DOC;
    o.limit = limit;
    o.entitled = entitled;
    o.facets = 1;
    struct sc_diag d = { 0 };
    return sc_engine_search_ex(f->snap, &(struct sc_textsrc){ fixture_read, f }, &o, flags, r, &d);
}

/* The answer as the JSON a caller gets, without the clock. */
static char *answer(struct fixture *f, const char *q, int para, int entitled, int flags)
{
    struct sc_results r;
    if (run(f, q, para, SC_MAX_LIMIT, entitled, flags, &r) != SC_OK) {
        sc_results_release(&r);
        return strdup("error");
    }
    r.took_ms = 0;
    struct sc_buf b = SC_BUF_INIT;
    sc_results_json(&b, &r, para ? SC_SEARCH_PARA : SC_SEARCH_DOC);
    sc_results_release(&r);
    return sc_buf_take(&b, NULL);
}

static const char *const QUERIES[] = {
    "依法行政",          "营商环境",        "依法",          "的",        "改革",
    "人员不足",          "基层薄弱",        "依法行政 -基层", "-营商环境", "营商 | 满意度",
    "section:问题",      "section:打算",    "section:问题 依法行政",       "section:做法",
    "title:工作 依法",   "year:2021 依法",  "问题",          "治理",      "（二）",
    "完成任务",          "作风不实",        "勤勉尽责",      "强化",      "百分之三十",
};
#define NQ (sizeof QUERIES / sizeof QUERIES[0])

static void test_answers_do_not_depend_on_paid_text(void **state)
{
    (void)state;
    size_t differ_entitled = 0;
    for (size_t i = 0; i < NQ; i++)
        for (int para = 0; para <= 1; para++) {
            char *a = answer(&FA, QUERIES[i], para, 0, 0);
            char *b = answer(&FB, QUERIES[i], para, 0, 0);
            if (strcmp(a, b))
                fail_msg("%s (%s): the answers differ with the paid text\n%s\n%s", QUERIES[i],
                         para ? "para" : "doc", a, b);
            free(a);
            free(b);
            /* the entitled answers do differ (else the pairs test nothing) */
            a = answer(&FA, QUERIES[i], para, 1, 0);
            b = answer(&FB, QUERIES[i], para, 1, 0);
            differ_entitled += strcmp(a, b) != 0;
            free(a);
            free(b);
        }
    assert_true(differ_entitled >= NQ);
}

/* With paid matches granted: the free hits are the same; the answers
 * differ only in which documents are found in their paid part. */
static void test_granted_differs_only_in_paid_only_hits(void **state)
{
    (void)state;
    for (size_t i = 0; i < NQ; i++) {
        struct sc_results ra, rb;
        assert_int_equal(run(&FA, QUERIES[i], 0, SC_MAX_LIMIT, 0, SC_ENGINE_PAID_MATCHES, &ra),
                         SC_OK);
        assert_int_equal(run(&FB, QUERIES[i], 0, SC_MAX_LIMIT, 0, SC_ENGINE_PAID_MATCHES, &rb),
                         SC_OK);
        assert_int_equal(ra.total - ra.paid_only, rb.total - rb.paid_only);
        size_t ka = 0, kb = 0;
        while (ka < ra.nhits && !ra.hits[ka].paid_only && kb < rb.nhits &&
               !rb.hits[kb].paid_only) {
            assert_int_equal(ra.hits[ka].id, rb.hits[kb].id);
            assert_int_equal(ra.hits[ka].count, rb.hits[kb].count);
            assert_true(ra.hits[ka].score == rb.hits[kb].score);
            ka++, kb++;
        }
        for (size_t h = 0; h < ra.nhits; h++)
            if (ra.hits[h].paid_only) {
                assert_int_equal(ra.hits[h].nsnippets, 0);
                assert_int_equal(ra.hits[h].count, -1);
            }
        sc_results_release(&ra);
        sc_results_release(&rb);
    }
    /* 人员不足 is in A's paid part only */
    struct sc_results r;
    assert_int_equal(run(&FA, "人员不足", 0, 10, 0, SC_ENGINE_PAID_MATCHES, &r), SC_OK);
    assert_int_equal(r.total, 1);
    assert_true(r.hits[0].paid_only);
    sc_results_release(&r);
    assert_int_equal(run(&FB, "人员不足", 0, 10, 0, SC_ENGINE_PAID_MATCHES, &r), SC_OK);
    assert_int_equal(r.total, 0);
    sc_results_release(&r);
}

static void test_paid_headings_withheld(void **state)
{
    (void)state;
    struct sc_results r;
    /* 丙区 (id 6) is paid from its body on: every heading is paid; 乙市 (id
     * 4) has （二）强化监管 in its paid part and 二、保障措施 free after it */
    assert_int_equal(run(&FA, "依法行政", 1, SC_MAX_LIMIT, 0, SC_ENGINE_PAID_MATCHES, &r), SC_OK);
    int seen4 = 0;
    for (size_t h = 0; h < r.nhits; h++) {
        const struct sc_hit *hit = &r.hits[h];
        if (hit->id == 6)
            assert_true(hit->paid_only);
        if (hit->id == 4 && !hit->paid_only) {
            seen4 = 1;
            assert_null(strstr(hit->section, "强化监管"));
        }
        for (size_t k = 0; k < hit->nsnippets; k++) {
            assert_null(strstr(hit->snippets[k].section, "强化监管"));
            assert_null(strstr(hit->snippets[k].section, "存在的问题") && hit->id == 6
                            ? hit->snippets[k].section
                            : NULL);
        }
    }
    assert_true(seen4);
    sc_results_release(&r);
    /* the same for an entitled caller names the paid heading */
    assert_int_equal(run(&FA, "监管", 1, SC_MAX_LIMIT, 1, 0, &r), SC_OK);
    assert_true(r.nhits >= 1);
    assert_non_null(strstr(r.hits[0].section, "强化监管"));
    sc_results_release(&r);
    /* section:问题: 丙区's only 问题 heading is paid */
    assert_int_equal(run(&FA, "section:问题", 0, SC_MAX_LIMIT, 0, 0, &r), SC_OK);
    for (size_t h = 0; h < r.nhits; h++)
        assert_true(r.hits[h].id != 6);
    for (size_t k = 0; k < r.facets.nkind; k++)
        if (!strcmp(r.facets.kind[k].value, "problems"))
            assert_int_equal(r.facets.kind[k].count, (int64_t)r.nhits);
    sc_results_release(&r);
    assert_int_equal(run(&FA, "section:问题", 0, SC_MAX_LIMIT, 1, 0, &r), SC_OK);
    int six = 0;
    for (size_t h = 0; h < r.nhits; h++)
        six |= r.hits[h].id == 6;
    assert_true(six);
    sc_results_release(&r);
}

/* ---- the attack ----
 * Document 100 has a free part ending 甲乙丙丁 and a paid part going on
 * 戊己庚辛壬癸 in the same paragraph. The attacker knows the free text and
 * extends it: for candidate next characters it asks
 * "乙丙丁X1" | "乙丙丁X2" | ... with limit 0 and reads total, halving the
 * candidates until one is left. */
static const char *const ALPHA[] = { "戊", "己", "庚", "辛", "壬", "癸", "子", "丑",
                                     "寅", "卯", "辰", "巳", "午", "未", "申", "酉" };
#define NALPHA (sizeof ALPHA / sizeof ALPHA[0])
static const char SECRET[] = "戊己庚辛壬癸";

static struct fixture FX;
static struct sc_doc DX[2];

static int setup_attack(void)
{
    memset(DX, 0, sizeof DX);
    DX[0].id = 100;
    DX[0].title = (char *)"某局内部材料";
    DX[0].text = (char *)"某局内部材料\n公开部分到此为止甲乙丙丁戊己庚辛壬癸子。\n结尾";
    DX[0].text_len = strlen(DX[0].text);
    DX[0].paid_from_cp = 6 + 1 + 12; /* the 戊 */
    DX[0].paid_to_cp = -1;
    DX[1].id = 101;
    DX[1].title = (char *)"无关材料";
    DX[1].text = (char *)"无关材料\n甲乙丙丁以外的内容。";
    DX[1].text_len = strlen(DX[1].text);
    DX[1].paid_from_cp = DX[1].paid_to_cp = -1;
    return fixture_build(&FX, DX, 2, 1);
}

/* Grants for the next `budget` answers, then none (the allowance);
 * TELLING counts the ungranted answers that were not 0. */
static size_t ANSWERS, BUDGET, TELLING;

static int64_t ask_total(const char *ctx3, const char *const *cand, size_t n)
{
    char q[SC_MAX_QUERY_BYTES + 1];
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        w += (size_t)snprintf(q + w, sizeof q - w, "%s\"%s%s\"", i ? " | " : "", ctx3, cand[i]);
    struct sc_search_opts o = { 0 };
    o.query = q;
    o.limit = 0;
    int flags = ANSWERS++ < BUDGET ? SC_ENGINE_PAID_MATCHES : 0;
    struct sc_results r;
    struct sc_diag d = { 0 };
    assert_int_equal(sc_engine_search_ex(FX.snap, NULL, &o, flags, &r, &d), SC_OK);
    int64_t t = r.total;
    if (!flags && t != 0)
        TELLING++;
    sc_results_release(&r);
    return t;
}

/* Recover up to maxc characters after 甲乙丙丁; returns how many are right. */
static size_t attack(size_t maxc, size_t *asked)
{
    char known[64] = "乙丙丁"; /* the last three known characters */
    size_t right = 0;
    ANSWERS = 0;
    for (size_t step = 0; step < maxc; step++) {
        const char *cand[NALPHA];
        size_t n = NALPHA;
        memcpy(cand, ALPHA, sizeof cand);
        while (n > 1) {
            size_t h = n / 2;
            if (ask_total(known, cand, h) > 0) {
                n = h;
            } else {
                memmove(cand, cand + h, (n - h) * sizeof *cand);
                n -= h;
            }
        }
        if (strncmp(SECRET + 3 * step, cand[0], 3) != 0)
            break;
        right++;
        /* slide the window: the last two known and the new one */
        memmove(known, known + 3, 6);
        memcpy(known + 6, cand[0], 3);
        known[9] = '\0';
    }
    *asked = ANSWERS;
    return right;
}

static void test_prefix_extension_attack(void **state)
{
    (void)state;
    assert_int_equal(setup_attack(), 0);
    size_t asked;
    /* no allowance: every answer is the same, nothing is learnt */
    BUDGET = 0;
    TELLING = 0;
    assert_int_equal(attack(6, &asked), 0);
    assert_int_equal(TELLING, 0);
    /* an operator preview (everything granted) shows the attack is real */
    BUDGET = SIZE_MAX;
    assert_int_equal(attack(6, &asked), 6);
    assert_int_equal(asked, 6 * 4); /* log2(16) answers a character */
    /* an allowance of B answers is at most B bits (4 a character here):
     * every answer past it is the same 0, and what is right beyond B / 4
     * characters is a guess (at most the one being worked on) */
    for (size_t b = 0; b <= 13; b++) {
        BUDGET = b;
        TELLING = 0;
        size_t got = attack(6, &asked);
        assert_int_equal(TELLING, 0);
        assert_true(got <= b / 4 + 1);
    }
    fixture_release(&FX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_answers_do_not_depend_on_paid_text),
        cmocka_unit_test(test_granted_differs_only_in_paid_only_hits),
        cmocka_unit_test(test_paid_headings_withheld),
        cmocka_unit_test(test_prefix_extension_attack),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
