/*
 * bench/quickfind: 一键快速查找 suggestion times (the engine's own, what the
 * server spends per request), p50/p95/p99 over what writers type.
 *
 *   quickfind LIBRARY            the library's own titles (sc_suggest_json,
 *                                the server's path, structure built once)
 *   quickfind --synthetic N      N made-up titles (unit + year + theme +
 *                                文种), 发文字号 on a third, dates on half
 *
 * The typed texts: the first 1..8 characters of a random title, a
 * fragment from its middle, two words of it, its 发文字号 as printed and as
 * typed (国发[2019]4号, 国发2019 4号), the part before the number, a unit,
 * a month or day. Run under the bench lock: bench/quickfind.sh.
 */
#include "sucai/sucai.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static uint64_t R = 0x2545F4914F6CDD1DULL;
static uint64_t rnd(void)
{
    R ^= R << 13;
    R ^= R >> 7;
    R ^= R << 17;
    return R;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The first k code points of s (or all). */
static size_t cp_prefix(const char *s, size_t len, size_t k)
{
    size_t i = 0;
    for (size_t n = 0; i < len && n < k; n++) {
        uint32_t c;
        size_t m = sc_utf8_decode(s + i, len - i, &c);
        i += m ? m : 1;
    }
    return i;
}

struct titles {
    char **t, **docno, **unit;
    int32_t *date;
    size_t n, cap;
};

static void add(struct titles *T, const char *t, const char *docno, const char *unit, int32_t date)
{
    if (T->n == T->cap) {
        T->cap = T->cap ? T->cap * 2 : 1024;
        T->t = realloc(T->t, T->cap * sizeof *T->t);
        T->docno = realloc(T->docno, T->cap * sizeof *T->docno);
        T->unit = realloc(T->unit, T->cap * sizeof *T->unit);
        T->date = realloc(T->date, T->cap * sizeof *T->date);
        if (!T->t || !T->docno || !T->unit || !T->date) {
            fprintf(stderr, "out of memory\n");
            exit(2);
        }
    }
    T->t[T->n] = strdup(t);
    T->docno[T->n] = strdup(docno ? docno : "");
    T->unit[T->n] = strdup(unit ? unit : "");
    T->date[T->n] = date;
    T->n++;
}

/* What a writer types, made from a random document. */
static void typed(const struct titles *T, char *out, size_t cap)
{
    size_t i = rnd() % T->n;
    const char *t = T->t[i];
    size_t len = strlen(t);
    size_t ncp = sc_utf8_count(t, len);
    int kind = (int)(rnd() % 10);
    if (kind <= 1 && T->docno[i][0]) {
        /* the number as printed, or typed with [] or spaces */
        char d[128];
        snprintf(d, sizeof d, "%s", T->docno[i]);
        if (kind == 1) {
            char *a = strstr(d, "〔"), *b = strstr(d, "〕");
            if (a && b) {
                char tmp[128];
                snprintf(tmp, sizeof tmp, "%.*s%s%.*s %s", (int)(a - d), d, (rnd() & 1) ? "[" : "",
                         (int)(b - a - 3), a + 3, b + 3);
                snprintf(d, sizeof d, "%s", tmp);
            }
        }
        snprintf(out, cap, "%s", d);
        return;
    }
    if (kind == 2 && T->unit[i][0]) {
        snprintf(out, cap, "%.*s", (int)cp_prefix(T->unit[i], strlen(T->unit[i]), 2 + rnd() % 6),
                 T->unit[i]);
        return;
    }
    if (kind == 3 && T->date[i]) {
        if (rnd() & 1)
            snprintf(out, cap, "%d-%02d", T->date[i] / 10000, T->date[i] / 100 % 100);
        else
            snprintf(out, cap, "%d年%d月%d日", T->date[i] / 10000, T->date[i] / 100 % 100,
                     T->date[i] % 100);
        return;
    }
    if (kind <= 6) { /* the start, 1..8 characters: typing */
        snprintf(out, cap, "%.*s", (int)cp_prefix(t, len, 1 + rnd() % 8), t);
        return;
    }
    /* a fragment from inside, 2..6 characters; sometimes two of them */
    size_t at = ncp > 2 ? rnd() % (ncp - 2) : 0, n = 2 + rnd() % 5;
    size_t b = cp_prefix(t, len, at), e = cp_prefix(t, len, at + n);
    if (kind == 9 && ncp > 12) {
        size_t b2 = cp_prefix(t, len, ncp - 4), e2 = len;
        snprintf(out, cap, "%.*s %.*s", (int)(e - b), t + b, (int)(e2 - b2), t + b2);
    } else {
        snprintf(out, cap, "%.*s", (int)(e - b), t + b);
    }
}

static void report(const char *what, double *ms, size_t n)
{
    qsort(ms, n, sizeof *ms, cmp_d);
    printf("%-34s p50 %.3f ms  p95 %.3f ms  p99 %.3f ms  max %.3f ms  (%zu queries)\n", what,
           ms[n / 2], ms[n * 95 / 100], ms[n * 99 / 100], ms[n - 1], n);
}

static const char *const UNITS[] = { "河北省", "山西省", "江苏省", "浙江省", "安徽省", "福建省",
                                     "山东省", "河南省", "湖北省", "湖南省", "广东省", "四川省" };
static const char *const CITIES[] = {
    "石家庄市", "太原市", "苏州市", "宁波市", "合肥市", "泉州市",
    "潍坊市",   "洛阳市", "宜昌市", "株洲市", "佛山市", "绵阳市"
};
static const char *const DEPTS[] = { "教育局",         "财政局",           "发展和改革委员会",
                                     "卫生健康委员会", "住房和城乡建设局", "农业农村局",
                                     "市场监督管理局", "民政局",           "交通运输局",
                                     "应急管理局",     "自然资源局",       "人民政府办公室" };
static const char *const THEMES[] = { "安全生产",     "优化营商环境", "乡村振兴", "党风廉政建设",
                                      "数字政府建设", "生态环境保护", "基层治理", "作风建设",
                                      "招商引资",     "法治政府建设", "政务公开", "防汛抗旱",
                                      "科技创新",     "人才工作",     "耕地保护", "城市更新",
                                      "就业创业" };
static const char *const GENRES[] = { "工作总结", "工作计划", "实施方案", "工作要点", "调研报告",
                                      "述职报告", "自查报告", "整改方案", "情况汇报" };
static const char *const ABBR[] = { "冀", "晋", "苏", "浙", "皖", "闽",
                                    "鲁", "豫", "鄂", "湘", "粤", "川" };

static void synthetic(struct titles *T, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t p = rnd() % 12;
        char unit[128], title[512], docno[96] = "";
        if (rnd() % 3)
            snprintf(unit, sizeof unit, "%s%s%s", UNITS[p], CITIES[rnd() % 12], DEPTS[rnd() % 12]);
        else
            snprintf(unit, sizeof unit, "%s%s", UNITS[p], DEPTS[rnd() % 12]);
        int year = 2010 + (int)(rnd() % 16);
        const char *th = THEMES[rnd() % 17], *g = GENRES[rnd() % 9];
        switch (rnd() % 4) {
        case 0: snprintf(title, sizeof title, "%s%d年%s%s", unit, year, th, g); break;
        case 1: snprintf(title, sizeof title, "关于%s%d年%s工作的%s", unit, year, th, g); break;
        case 2: snprintf(title, sizeof title, "%s关于印发%s%s的通知", unit, th, g); break;
        default: snprintf(title, sizeof title, "%s%d年度%s", unit, year, g); break;
        }
        if (rnd() % 3 == 0)
            snprintf(docno, sizeof docno, "%s政办发〔%d〕%d号", ABBR[p], year,
                     (int)(1 + rnd() % 300));
        int32_t date =
            rnd() % 2 ? year * 10000 + (int)(1 + rnd() % 12) * 100 + (int)(1 + rnd() % 28) : 0;
        add(T, title, docno, unit, date);
    }
}

struct collect {
    struct titles *T;
};

static int from_lib(void *ctx, const struct sc_doc *d)
{
    struct collect *c = ctx;
    add(c->T, d->title ? d->title : "", d->docno, d->unit, d->docdate);
    return 0;
}

static long rss_mb(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1024;
}

int main(int argc, char **argv)
{
    size_t nq = 5000;
    struct titles T = { 0 };
    double *ms = calloc(nq, sizeof *ms);
    char q[512];
    if (argc == 3 && !strcmp(argv[1], "--synthetic")) {
        size_t n = strtoull(argv[2], NULL, 10);
        synthetic(&T, n);
        struct sc_qf_entry *e = calloc(T.n, sizeof *e);
        for (size_t i = 0; i < T.n; i++)
            e[i] = (struct sc_qf_entry){ (int64_t)i + 1,
                                         sc_str_c(T.t[i]),
                                         sc_str_c(T.docno[i]),
                                         sc_str_c(T.unit[i]),
                                         sc_str_c(""),
                                         0,
                                         T.date[i] };
        long before = rss_mb();
        double t0 = now_ms();
        struct sc_quickfind *qf;
        struct sc_diag d = { 0 };
        if (sc_quickfind_new(e, T.n, &qf, &d) != SC_OK) {
            fprintf(stderr, "build: %s\n", d.msg);
            return 2;
        }
        printf("synthetic: %zu titles; built in %.0f ms, %zu MB (+%ld MB RSS)\n", T.n,
               now_ms() - t0, sc_quickfind_bytes(qf) >> 20, rss_mb() - before);
        struct sc_qf_hit hits[10];
        size_t nh, empty = 0;
        for (size_t i = 0; i < nq; i++) {
            typed(&T, q, sizeof q);
            double a = now_ms();
            sc_quickfind_query(qf, q, strlen(q), 10, hits, &nh, NULL);
            ms[i] = now_ms() - a;
            empty += nh == 0;
        }
        report("suggest, synthetic titles", ms, nq);
        printf("  %zu of %zu typed texts found nothing\n", empty, nq);
        sc_quickfind_free(qf);
        free(e);
        return 0;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: quickfind LIBRARY | quickfind --synthetic N\n");
        return 2;
    }
    struct sc_library *lib;
    struct sc_diag d = { 0 };
    if (sc_library_open(argv[1], SC_LIBRARY_READONLY, &lib, &d) != SC_OK) {
        fprintf(stderr, "%s\n", d.msg);
        return 2;
    }
    struct collect c = { &T };
    if (sc_doc_foreach(lib, 0, SC_DOC_TEXT, from_lib, &c, &d) != SC_OK) {
        fprintf(stderr, "%s\n", d.msg);
        return 2;
    }
    struct sc_buf out = SC_BUF_INIT;
    double t0 = now_ms();
    sc_suggest_json(lib, "x", 10, &out, NULL); /* builds the structure */
    printf("library: %zu titles; first suggestion (builds the structure) %.0f ms\n", T.n,
           now_ms() - t0);
    size_t empty = 0;
    for (size_t i = 0; i < nq; i++) {
        typed(&T, q, sizeof q);
        sc_buf_reset(&out);
        double a = now_ms();
        sc_suggest_json(lib, q, 10, &out, NULL);
        ms[i] = now_ms() - a;
        empty += strstr(out.data, "\"suggestions\": []") != NULL;
    }
    report("suggest, library (JSON included)", ms, nq);
    printf("  %zu of %zu typed texts found nothing\n", empty, nq);
    sc_buf_release(&out);
    sc_library_close(lib);
    return 0;
}
