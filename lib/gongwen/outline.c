/*
 * The 公文 outline: heading labels (一、 （一） 1. （1）, and 第X章/第X条 for
 * regulations) found at the start of paragraphs, the sections they govern,
 * numbering faults (recorded, never fixed), section kinds, and the inline
 * 一是…二是… points inside sections. The heading forms are rows of one
 * table; docs/gongwen.md describes them.
 */
#include "gongwen_int.h"

#include <stdlib.h>
#include <string.h>

enum hclass {
    HC_BIAN,  /* 第一编 */
    HC_BUFEN, /* 第一部分 */
    HC_ZHANG, /* 第一章 */
    HC_JIE,   /* 第一节 */
    HC_TIAO,  /* 第一条 */
    HC_CN,    /* 一、 */
    HC_PCN,   /* （一） */
    HC_AR,    /* 1. 1． 1、 */
    HC_PAR,   /* （1） */
    HC_COUNT
};

enum {
    NUM_CN = 1,
    NUM_AR = 2
};
enum {
    HF_REGULATION = 1 << 0, /* ranks above the 公文 labels; needs 2+ in a text */
    HF_UNTITLED = 1 << 1,   /* 第X条: the paragraph is prose, heading only if bracketed */
    HF_NO_DIGIT = 1 << 2,   /* reject when a digit follows (1.5亿元) */
    HF_NO_LIST = 1 << 3,    /* reject 一、二、三 (a numeral and 、 follow) */
};

/* The heading table, tried in order at the start of each paragraph. */
static const struct heading_form {
    enum hclass cls;
    const char *open[2]; /* alternatives; "" = no opening mark */
    int numerals;
    const char *close[3]; /* alternatives */
    int level;            /* 公文 level (1-4); regulation forms: 0 */
    int flags;
} forms[] = {
    { HC_BIAN, { "第", NULL }, NUM_CN | NUM_AR, { "编", NULL, NULL }, 0, HF_REGULATION },
    { HC_BUFEN, { "第", NULL }, NUM_CN | NUM_AR, { "部分", NULL, NULL }, 0, HF_REGULATION },
    { HC_ZHANG, { "第", NULL }, NUM_CN | NUM_AR, { "章", NULL, NULL }, 0, HF_REGULATION },
    { HC_JIE, { "第", NULL }, NUM_CN | NUM_AR, { "节", NULL, NULL }, 0, HF_REGULATION },
    { HC_TIAO,
      { "第", NULL },
      NUM_CN | NUM_AR,
      { "条", NULL, NULL },
      0,
      HF_REGULATION | HF_UNTITLED },
    { HC_CN, { "", NULL }, NUM_CN, { "、", "．", NULL }, 1, HF_NO_LIST },
    { HC_PCN, { "（", "(" }, NUM_CN, { "）", ")", NULL }, 2, 0 },
    { HC_AR, { "", NULL }, NUM_AR, { "．", ".", "、" }, 3, HF_NO_DIGIT },
    { HC_PAR, { "（", "(" }, NUM_AR, { "）", ")", NULL }, 4, 0 },
};

/* A heading found in a paragraph (byte offsets into the text). */
struct cand {
    int form;
    int value;
    size_t lab_off, lab_len;
    size_t open_len; /* opening mark inside the label */
    size_t close_off, close_len;
    size_t head_off, head_len;
    int64_t cp_start;
    int numeral_ar; /* the label used Arabic digits */
};

static int is_digit_at(const char *p, size_t len)
{
    if (len == 0)
        return 0;
    unsigned char c = (unsigned char)p[0];
    if (c >= '0' && c <= '9')
        return 1;
    return len >= 3 && c == 0xEF && (unsigned char)p[1] == 0xBC && (unsigned char)p[2] >= 0x90 &&
           (unsigned char)p[2] <= 0x99;
}

/* Where the heading text of an inline heading stops. */
static int is_heading_end(uint32_t c)
{
    return c == 0x3002 || c == 0xFF1A || c == 0xFF1B || c == ':' || c == ';' || c == 0xFF01 ||
           c == 0xFF1F || c == '!' || c == '?';
}

static size_t skip_space(const char *p, size_t len, size_t i)
{
    while (i < len) {
        uint32_t cp;
        size_t k = gw_decode(p + i, len - i, &cp);
        if (!gw_is_space(cp))
            break;
        i += k;
    }
    return i;
}

/* Try form f on the paragraph p[0..len) (leading space already skipped). */
static int match_form(int f, const char *p, size_t len, struct cand *c)
{
    const struct heading_form *hf = &forms[f];
    size_t i = 0;
    int opened = 0;
    for (int k = 0; k < 2 && hf->open[k]; k++) {
        if (gw_starts(p, len, hf->open[k])) {
            i = strlen(hf->open[k]);
            opened = 1;
            break;
        }
    }
    if (!opened)
        return 0;
    size_t used = 0;
    int v = -1;
    c->numeral_ar = 0;
    if (hf->numerals & NUM_CN)
        v = gw_parse_cn_number(p + i, len - i, &used);
    if (v < 0 && (hf->numerals & NUM_AR)) {
        v = gw_parse_ar_number(p + i, len - i, &used);
        c->numeral_ar = 1;
    }
    if (v <= 0)
        return 0;
    size_t num_end = i + used;
    size_t close_len = 0;
    for (int k = 0; k < 3 && hf->close[k]; k++) {
        if (gw_starts(p + num_end, len - num_end, hf->close[k])) {
            close_len = strlen(hf->close[k]);
            break;
        }
    }
    if (close_len == 0)
        return 0;
    size_t after = num_end + close_len;
    if ((hf->flags & HF_NO_DIGIT) && is_digit_at(p + after, len - after))
        return 0;
    if (hf->flags & HF_NO_DIGIT) {
        /* 1.5, 3.2% are numbers; "1." before a Latin letter or % too */
        if (after < len && (p[after] == '%' || p[after] == '.'))
            return 0;
    }
    if (hf->flags & HF_NO_LIST) {
        size_t u2;
        if (gw_parse_cn_number(p + after, len - after, &u2) > 0 &&
            gw_starts(p + after + u2, len - after - u2, "、"))
            return 0; /* 一、二、三 */
    }
    if (hf->flags & HF_REGULATION) {
        /* 第一条是… / 第三章节 / 第2节课 are prose */
        uint32_t nx = 0;
        if (after < len)
            gw_decode(p + after, len - after, &nx);
        if (nx == 0x662F || nx == 0x8282 || is_digit_at(p + after, len - after) || nx == 0xFF0C ||
            nx == 0x3001 || nx == 0x7684)
            return 0; /* 是 节 ， 、 的 */
    }
    c->form = f;
    c->value = v;
    c->lab_off = 0;
    c->lab_len = after;
    c->open_len = i;
    c->close_off = num_end;
    c->close_len = close_len;

    size_t h = skip_space(p, len, after);
    if (hf->flags & HF_UNTITLED) {
        /* 第一条【立法目的】 / 第一条（目的） carry a title; most do not */
        const char *cl = NULL;
        size_t ol = 0;
        if (gw_starts(p + h, len - h, "【"))
            cl = "】", ol = 3;
        else if (gw_starts(p + h, len - h, "（"))
            cl = "）", ol = 3;
        c->head_off = h;
        c->head_len = 0;
        if (cl) {
            ptrdiff_t e = gw_find(p + h + ol, len - h - ol, cl);
            if (e > 0 && gw_count(p + h + ol, (size_t)e) <= 20) {
                c->head_off = h + ol;
                c->head_len = (size_t)e;
            }
        }
        return 1;
    }
    size_t e = h;
    while (e < len) {
        uint32_t cp;
        size_t k = gw_decode(p + e, len - e, &cp);
        if (is_heading_end(cp))
            break;
        e += k;
    }
    size_t hl = e - h;
    const char *hp = gw_trim(p + h, &hl);
    c->head_off = (size_t)(hp - p);
    c->head_len = hl;
    return 1;
}

static int match_heading(const char *p, size_t len, struct cand *c)
{
    for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++)
        if (match_form((int)f, p, len, c))
            return 1;
    return 0;
}

int gw_is_heading_line(const char *p, size_t len)
{
    struct cand c;
    size_t s = skip_space(p, len, 0);
    return match_heading(p + s, len - s, &c);
}

void sc_sections_free(struct sc_section *s, size_t n)
{
    if (!s)
        return;
    for (size_t i = 0; i < n; i++) {
        free(s[i].label);
        free(s[i].heading);
        free(s[i].fault);
        for (size_t j = 0; j < s[i].npoints; j++)
            free(s[i].points[j].label);
        free(s[i].points);
    }
    free(s);
}

/* Label of value v in the style of candidate c (for "gap: （二） missing"). */
static void add_label(struct sc_buf *b, const char *text, const struct cand *c, int v)
{
    sc_buf_add(b, text + c->lab_off, c->open_len);
    if (c->numeral_ar)
        sc_buf_addf(b, "%d", v);
    else
        gw_add_cn_number(b, v);
    sc_buf_add(b, text + c->lab_off + c->close_off, c->close_len);
}

static char *fault_note(const char *text, const struct cand *c, int last, int expect_from)
{
    struct sc_buf b = SC_BUF_INIT;
    if (c->value == last) {
        sc_buf_adds(&b, "duplicate label ");
        sc_buf_add(&b, text + c->lab_off, c->lab_len);
    } else if (c->value < expect_from) {
        sc_buf_adds(&b, "out of order: ");
        sc_buf_add(&b, text + c->lab_off, c->lab_len);
        sc_buf_adds(&b, " after ");
        add_label(&b, text, c, last);
    } else {
        sc_buf_adds(&b, "gap: ");
        add_label(&b, text, c, expect_from);
        if (c->value - 1 > expect_from) {
            sc_buf_adds(&b, "…");
            add_label(&b, text, c, c->value - 1);
        }
        sc_buf_adds(&b, " missing");
    }
    return sc_buf_take(&b, NULL);
}

/* Growable arrays without a twin of sc_buf: sc_reallocarray doubling. */
static int grow(void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 1;
    size_t nc = *cap ? *cap * 2 : 16;
    while (nc < need)
        nc *= 2;
    void *p = sc_reallocarray(*arr, nc, size);
    if (!p)
        return 0;
    *arr = p;
    *cap = nc;
    return 1;
}

/* One paragraph of the text. */
struct para {
    size_t off, len; /* bytes (untrimmed line) */
    int64_t cp_start, cp_end;
};

struct run {      /* the 一是 二是 sequence being collected */
    long section; /* owning section, -1 none */
    int next;     /* value expected next */
    size_t first; /* index of its first point in the section */
};

static enum sc_err add_point(struct sc_section *s, size_t *caps, long si, const char *text,
                             size_t lab_off, size_t lab_len, int64_t start, int64_t end)
{
    struct sc_section *sec = &s[si];
    void *arr = sec->points;
    if (!grow(&arr, &caps[si], sec->npoints + 1, sizeof *sec->points))
        return SC_ENOMEM;
    sec->points = arr;
    char *label = sc_strndup(text + lab_off, lab_len);
    if (!label)
        return SC_ENOMEM;
    sec->points[sec->npoints].label = label;
    sec->points[sec->npoints].start = start;
    sec->points[sec->npoints].end = end;
    sec->npoints++;
    return SC_OK;
}

/* Close the run: a single 一是 with no 二是 is prose, not a list. */
static void end_run(struct sc_section *s, struct run *r)
{
    if (r->section >= 0) {
        struct sc_section *sec = &s[r->section];
        if (sec->npoints - r->first < 2) {
            for (size_t j = r->first; j < sec->npoints; j++)
                free(sec->points[j].label);
            sec->npoints = r->first;
        }
    }
    r->section = -1;
    r->next = 0;
}

static int is_point_boundary(uint32_t c)
{
    return c == 0 || gw_is_space(c) || c == 0x3002 || c == 0xFF0C || c == 0xFF1B || c == 0xFF1A ||
           c == 0xFF01 || c == 0xFF1F || c == 0x3001 || c == 0xFF09 || c == ',' || c == ';' ||
           c == ':' || c == '!' || c == '?' || c == ')' || c == 0x201D;
}

/* Scan paragraph pr for 一是/二是… and attach points to section si. */
static enum sc_err scan_points(const char *text, const struct para *pr, long si,
                               struct sc_section *s, size_t *caps, struct run *r)
{
    const char *p = text + pr->off;
    size_t len = pr->len;
    size_t off = 0;
    int64_t cp_at = pr->cp_start; /* cp offset of p[off] */
    size_t cp_off = 0;            /* byte offset cp_at refers to */
    while (off + 2 < len) {
        /* 是 is E6 98 AF: look for its rarer last byte */
        const char *hit = memchr(p + off + 2, 0xAF, len - off - 2);
        if (!hit)
            break;
        size_t shi = (size_t)(hit - p) - 2; /* byte offset of 是, if it is one */
        off = shi + 3;
        if ((unsigned char)p[shi] != 0xE6 || (unsigned char)p[shi + 1] != 0x98)
            continue;
        /* walk back over up to 4 numeral characters */
        size_t ns = shi;
        for (int k = 0; k < 4 && ns > 0; k++) {
            uint32_t pc = gw_prev_cp(p, ns);
            if (gw_cn_digit(pc) < 0 || pc == 0x4E24 || pc == 0x96F6 || pc == 0x3007 || pc == 0x767E)
                break;
            ns -= 3;
        }
        if (ns == shi || !is_point_boundary(gw_prev_cp(p, ns)))
            continue;
        size_t used = 0;
        int v = gw_parse_cn_number(p + ns, shi - ns, &used);
        if (v <= 0 || used != shi - ns)
            continue;
        if (si < 0)
            continue;
        /* sequence logic: 一是 starts a run; the next number continues it */
        if (v == 1) {
            end_run(s, r);
            r->section = si;
            r->next = 2;
            r->first = s[si].npoints;
        } else if (r->section == si && v == r->next) {
            r->next++;
        } else {
            continue;
        }
        cp_at += (int64_t)gw_count(p + cp_off, ns - cp_off);
        cp_off = ns;
        struct sc_section *sec = &s[si];
        /* the previous point (of this run or of an earlier run in the same
         * paragraph) ends where this one starts */
        if (sec->npoints > 0 && sec->points[sec->npoints - 1].end > cp_at)
            sec->points[sec->npoints - 1].end = cp_at;
        enum sc_err err = add_point(s, caps, si, p, ns, shi + 3 - ns, cp_at, pr->cp_end);
        if (err)
            return err;
    }
    return SC_OK;
}

enum sc_err sc_outline_parse(const char *text, size_t len, struct sc_section **out, size_t *n)
{
    if (!out || !n || (!text && len))
        return SC_EINVAL;
    *out = NULL;
    *n = 0;
    enum sc_err err = SC_ENOMEM;
    struct para *paras = NULL;
    struct cand *cands = NULL;
    struct sc_section *s = NULL;
    long *parent = NULL;
    int *last_val = NULL; /* per frame (root + sections) and class */
    size_t *pcaps = NULL;
    size_t npara = 0, cap_para = 0, ncand = 0, cap_cand = 0, nsec = 0;
    if (len == 0)
        return SC_OK;

    /* paragraphs with their cp ranges */
    int64_t cp = 0;
    for (size_t off = 0; off <= len;) {
        const char *nl = memchr(text + off, '\n', len - off);
        size_t end = nl ? (size_t)(nl - text) : len;
        if (!grow((void **)&paras, &cap_para, npara + 1, sizeof *paras))
            goto done;
        int64_t c = (int64_t)gw_count(text + off, end - off);
        paras[npara++] = (struct para){ off, end - off, cp, cp + c };
        cp += c + 1;
        off = end + 1;
        if (!nl)
            break;
    }
    int64_t total = cp - 1;

    /* headings: the first paragraph is the title and never one */
    int count[HC_COUNT] = { 0 };
    for (size_t i = 1; i < npara; i++) {
        const char *p = text + paras[i].off;
        size_t plen = paras[i].len;
        size_t lead = skip_space(p, plen, 0);
        struct cand c;
        if (!match_heading(p + lead, plen - lead, &c))
            continue;
        if (!grow((void **)&cands, &cap_cand, ncand + 1, sizeof *cands))
            goto done;
        c.lab_off += paras[i].off + lead;
        c.head_off += paras[i].off + lead;
        c.cp_start = paras[i].cp_start + (int64_t)gw_count(p, lead);
        cands[ncand++] = c;
        count[forms[c.form].cls]++;
    }
    /* a regulation form counts only when it occurs twice: one stray
     * "第一条" in a report does not make it a regulation */
    int rank[HC_COUNT] = { 0 }, nreg = 0;
    for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
        if ((forms[f].flags & HF_REGULATION) && count[forms[f].cls] >= 2)
            rank[forms[f].cls] = ++nreg;
    }
    size_t kept = 0;
    for (size_t i = 0; i < ncand; i++) {
        const struct heading_form *hf = &forms[cands[i].form];
        if ((hf->flags & HF_REGULATION) && rank[hf->cls] == 0)
            continue;
        cands[kept++] = cands[i];
    }
    ncand = kept;
    if (ncand == 0) {
        err = SC_OK;
        goto done;
    }

    s = sc_calloc(ncand, sizeof *s);
    parent = sc_malloc(ncand * sizeof *parent);
    last_val = sc_calloc((ncand + 1) * HC_COUNT, sizeof *last_val);
    pcaps = sc_calloc(ncand, sizeof *pcaps);
    if (!s || !parent || !last_val || !pcaps)
        goto done;
    nsec = ncand;

    long *stk = sc_malloc(ncand * sizeof *stk);
    if (!stk)
        goto done;
    size_t depth = 0;
    int global_last[HC_COUNT] = { 0 };
    for (size_t i = 0; i < ncand; i++) {
        const struct cand *c = &cands[i];
        const struct heading_form *hf = &forms[c->form];
        struct sc_section *sec = &s[i];
        sec->level = (hf->flags & HF_REGULATION) ? rank[hf->cls] : nreg + hf->level;
        sec->start = c->cp_start;
        while (depth > 0 && s[stk[depth - 1]].level >= sec->level) {
            s[stk[depth - 1]].end = sec->start;
            depth--;
        }
        parent[i] = depth ? stk[depth - 1] : -1;
        stk[depth++] = (long)i;
        sec->label = sc_strndup(text + c->lab_off, c->lab_len);
        sec->heading = sc_strndup(text + c->head_off, c->head_len);
        if (!sec->label || !sec->heading) {
            free(stk);
            goto done;
        }
        /* numbering: compare with the previous sibling of the same form */
        int *frame = &last_val[(size_t)(parent[i] + 1) * HC_COUNT];
        int last = frame[hf->cls];
        int v = c->value;
        int g = global_last[hf->cls];
        int faulty = 0, from = 0;
        if (last > 0) {
            faulty = v != last + 1;
            from = last + 1;
        } else if (v != 1 && v != g + 1) {
            /* first of its form here: 1, or numbering carried on from the
             * previous parent (（三） under 二、 after （一）（二） under 一、) */
            faulty = 1;
            from = g + 1 < v ? g + 1 : 1;
        }
        if (faulty && !(sec->fault = fault_note(text, c, last, from))) {
            free(stk);
            goto done;
        }
        frame[hf->cls] = v;
        global_last[hf->cls] = v;
        /* kind: own strong match, else the parent's, else own weak match;
         * a regulation (it has 第X条) is not a report: no kinds */
        if (rank[HC_TIAO]) {
            sec->kind = SC_KIND_OTHER;
            continue;
        }
        int strong = 0;
        enum sc_section_kind own = gw_kind_of_heading(text + c->head_off, c->head_len, &strong);
        enum sc_section_kind pk = parent[i] >= 0 ? s[parent[i]].kind : SC_KIND_OTHER;
        if (own != SC_KIND_OTHER && (strong || pk == SC_KIND_OTHER))
            sec->kind = own;
        else
            sec->kind = pk;
    }
    while (depth > 0)
        s[stk[--depth]].end = total;
    free(stk);

    /* points: each paragraph belongs to its innermost section */
    struct run run = { -1, 0, 0 };
    size_t next_sec = 0;
    long cur = -1;
    for (size_t i = 1; i < npara; i++) {
        int64_t at = paras[i].cp_start;
        while (next_sec < nsec && s[next_sec].start <= at)
            cur = (long)next_sec++;
        while (cur >= 0 && s[cur].end <= at)
            cur = parent[cur];
        if (cur != run.section && run.section >= 0)
            end_run(s, &run);
        err = scan_points(text, &paras[i], cur, s, pcaps, &run);
        if (err)
            goto done;
    }
    end_run(s, &run);
    err = SC_OK;
    *out = s;
    *n = nsec;
    s = NULL;
done:
    if (s)
        sc_sections_free(s, nsec);
    free(paras);
    free(cands);
    free(parent);
    free(last_val);
    free(pcaps);
    return err;
}
