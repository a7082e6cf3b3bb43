/*
 * The compilation plan: documents become a flat list of blocks (title page,
 * 目录 entries, article titles, headings, paragraphs, notes where a paid
 * part was left out), each with the number of lines it takes on the page
 * grid and the page on which it starts. The .docx, .txt and .md writers all
 * walk the same plan, so their 目录 agree.
 */
#include "export_int.h"

#include <stdlib.h>
#include <string.h>

static enum sc_err add_block(struct sc_ex_plan *p, const struct sc_ex_block *b)
{
    if (p->nblocks == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        struct sc_ex_block *nb = sc_reallocarray(p->blocks, cap, sizeof *nb);
        if (!nb)
            return SC_ENOMEM;
        p->blocks = nb;
        p->cap = cap;
    }
    p->blocks[p->nblocks++] = *b;
    return SC_OK;
}

void sc_ex_plan_release(struct sc_ex_plan *plan)
{
    free(plan->title);
    free(plan->blocks);
    free(plan->first_page);
    free(plan->title_block);
    memset(plan, 0, sizeof *plan);
}

void sc_ex_note_text(struct sc_buf *b, const struct sc_ex_block *blk)
{
    sc_buf_addf(b, "（%s为会员内容，共 %lld 字，已略去）", blk->at_end ? "以下" : "此处",
                (long long)blk->omitted);
}

/* ---- sections: which line is a heading ---- */

struct sec_ref {
    int64_t start;
    const struct sc_section *s;
};

static int sec_cmp(const void *a, const void *b)
{
    const struct sec_ref *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* First section starting in [from, to], or NULL. */
static const struct sc_section *sec_find(const struct sec_ref *v, size_t n, int64_t from,
                                         int64_t to)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].start < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < n && v[lo].start <= to; lo++)
        if (v[lo].s->level >= 1 && v[lo].s->level <= 4)
            return v[lo].s;
    return NULL;
}

static int is_trailing_punct(const char *s, size_t len)
{
    /* what may follow a standalone heading: 。：:.；;，, and spaces */
    static const char *const ok[] = { "。", "：", ":", ".", "；",
                                      ";",  "，", ",", " ", "\xE3\x80\x80" };
    size_t i = 0;
    while (i < len) {
        size_t k, m = 0;
        for (k = 0; k < sizeof ok / sizeof ok[0]; k++) {
            size_t l = strlen(ok[k]);
            if (l <= len - i && memcmp(s + i, ok[k], l) == 0) {
                m = l;
                break;
            }
        }
        if (!m)
            return 0;
        i += m;
    }
    return 1;
}

/* Classify a paragraph s[0..len) (trimmed) that the outline says begins
 * with section sec (may be NULL). */
static void classify(struct sc_ex_block *b, const char *s, size_t len, const struct sc_section *sec)
{
    b->kind = SC_EX_PARA;
    b->head_len = 0;
    b->level = 0;
    if (!sec || !sec->label)
        return;
    size_t ll = strlen(sec->label);
    if (ll == 0) {
        /* a title without a number is a heading when it is the whole line
         * (list items are not sections: they stay paragraphs) */
        size_t hl = sec->heading ? strlen(sec->heading) : 0;
        if (hl && hl == len && memcmp(s, sec->heading, hl) == 0) {
            b->kind = SC_EX_HEADING;
            b->level = sec->level;
            b->head_len = len;
        }
        return;
    }
    if (ll > len || memcmp(s, sec->label, ll) != 0)
        return;
    size_t h = ll;
    const char *rest = s + h;
    size_t rl = len - h;
    rest = sc_ex_trim(rest, &rl); /* spaces between label and heading */
    h = (size_t)(rest - s);
    size_t hl = sec->heading ? strlen(sec->heading) : 0;
    if (hl && hl <= len - h && memcmp(s + h, sec->heading, hl) == 0)
        h += hl;
    else if (hl)
        h = ll; /* the heading text differs: style the label only */
    b->level = sec->level;
    if (is_trailing_punct(s + h, len - h)) {
        b->kind = SC_EX_HEADING;
        b->head_len = len;
    } else {
        b->head_len = h;
    }
}

/* ---- one document ---- */

static int is_space_cp(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x3000 || cp == 0xA0;
}

/* Characters of text in the code-point range [from, to), spaces excluded. */
static int64_t count_chars(const char *t, size_t len, int64_t from, int64_t to)
{
    int64_t cp = 0, n = 0;
    size_t i = 0;
    while (i < len && cp < to) {
        uint32_t c;
        size_t k = sc_utf8_decode(t + i, len - i, &c);
        if (k == 0)
            k = 1;
        if (cp >= from && !is_space_cp(c))
            n++;
        cp++;
        i += k;
    }
    return n;
}

static enum sc_err add_para(struct sc_ex_plan *p, size_t di, const char *s, size_t len,
                            const struct sc_section *sec)
{
    s = sc_ex_trim(s, &len);
    if (len == 0)
        return SC_OK; /* blank lines are not paragraphs */
    struct sc_ex_block b = { 0 };
    b.doc = di;
    b.text = s;
    b.len = len;
    classify(&b, s, len, sec);
    return add_block(p, &b);
}

static enum sc_err plan_doc(struct sc_ex_plan *p, size_t di, const struct sc_doc *d, int entitled)
{
    const char *t = d->text;
    size_t tl = d->text_len ? d->text_len : strlen(t);
    enum sc_err err = SC_OK;

    /* the title: doc->title, else the first line */
    const char *nl = memchr(t, '\n', tl);
    size_t l0 = nl ? (size_t)(nl - t) : tl;
    size_t l0t = l0;
    const char *line0 = sc_ex_trim(t, &l0t);
    const char *title = d->title ? d->title : "";
    size_t titlel = strlen(title);
    title = sc_ex_trim(title, &titlel);
    size_t body = 0; /* byte where the body starts */
    int64_t body_cp = 0;
    if (titlel == 0) {
        title = line0;
        titlel = l0t;
    }
    if (l0t == titlel && memcmp(line0, title, titlel) == 0) {
        body = nl ? l0 + 1 : tl;
        body_cp = (int64_t)sc_utf8_count(t, l0) + (nl ? 1 : 0);
    }
    if (titlel == 0) {
        title = "（无标题）";
        titlel = strlen(title);
    }
    struct sc_ex_block tb = { 0 };
    tb.kind = SC_EX_ART_TITLE;
    tb.doc = di;
    tb.text = title;
    tb.len = titlel;
    p->title_block[di] = p->nblocks;
    if ((err = add_block(p, &tb)) != SC_OK)
        return err;

    /* the outline, sorted by start */
    struct sec_ref *secs = NULL;
    size_t nsec = 0;
    if (d->nsections) {
        secs = sc_reallocarray(NULL, d->nsections, sizeof *secs);
        if (!secs)
            return SC_ENOMEM;
        for (size_t k = 0; k < d->nsections; k++)
            if (d->sections[k].label) {
                secs[nsec].start = d->sections[k].start_cp;
                secs[nsec].s = &d->sections[k];
                nsec++;
            }
        qsort(secs, nsec, sizeof *secs, sec_cmp);
    }

    /* the paid range, for a caller who is not entitled (the library's cut) */
    int64_t pf = -1, pt = INT64_MAX;
    struct sc_doc dl = *d;
    dl.text_len = tl;
    struct sc_view view = { entitled, 0 };
    struct sc_cut cut;
    if (sc_doc_cut(&dl, &view, &cut)) {
        pf = cut.from_cp < body_cp ? body_cp : cut.from_cp;
        pt = cut.to_cp;
        if (pf >= pt)
            pf = -1, pt = INT64_MAX;
    }
    int64_t omitted = pf >= 0 ? count_chars(t, tl, pf, pt) : 0;
    int noted = omitted == 0;
    if (!noted) {
        p->omitted_chars += omitted;
        p->omitted_docs++;
    }

    size_t i = body;
    int64_t cp = body_cp;
    while (i <= tl && err == SC_OK) {
        const char *e = memchr(t + i, '\n', tl - i);
        size_t le = e ? (size_t)(e - t) : tl;
        const char *line = t + i;
        size_t len = le - i;
        int64_t ncp = (int64_t)sc_utf8_count(line, len);
        size_t tlen = len;
        const char *trimmed = sc_ex_trim(line, &tlen);
        size_t lead = (size_t)(trimmed - line);
        int64_t lead_cp = (int64_t)sc_utf8_count(line, lead);
        const struct sc_section *sec = nsec ? sec_find(secs, nsec, cp, cp + lead_cp) : NULL;

        if (pf < 0 || cp + ncp <= pf || cp >= pt) {
            err = add_para(p, di, line, len, sec);
        } else {
            /* the line meets the paid range: keep what is outside it */
            size_t a = pf > cp ? sc_utf8_offset(line, len, (size_t)(pf - cp)) : 0;
            size_t z = pt < cp + ncp ? sc_utf8_offset(line, len, (size_t)(pt - cp)) : len;
            if (a > 0)
                err = add_para(p, di, line, a, sec);
            if (err == SC_OK && !noted) {
                struct sc_ex_block nb = { 0 };
                nb.kind = SC_EX_NOTE;
                nb.doc = di;
                nb.omitted = omitted;
                nb.at_end = pt == INT64_MAX || count_chars(t, tl, pt, INT64_MAX) == 0;
                err = add_block(p, &nb);
                noted = 1;
            }
            if (err == SC_OK && z < len)
                err = add_para(p, di, line + z, len - z, NULL);
        }
        cp += ncp + 1;
        if (!e)
            break;
        i = le + 1;
    }
    free(secs);
    return err;
}

/* ---- lines and pages ---- */

struct last_line {
    size_t start;
};

static void remember_line(void *ctx, size_t start, size_t end)
{
    (void)end;
    ((struct last_line *)ctx)->start = start;
}

static int digits(int n)
{
    int d = 1;
    while (n >= 10)
        n /= 10, d++;
    return d;
}

/* A 目录 line: the title, a dot leader, the page number at the right margin;
 * when the number does not fit after the title's last line it wraps. */
static int toc_entry_lines(const char *title, size_t len, int page)
{
    struct last_line ll = { 0 };
    int lines = sc_ex_break_lines(title, len, SC_EX_BODY_SIZE, SC_EX_LINE_W, 0, remember_line, &ll);
    int w = sc_ex_text_width(title + ll.start, len - ll.start, SC_EX_BODY_SIZE);
    /* the number right-aligned at the margin; the leader may shrink to
     * nothing (what LibreOffice does with a right tab) */
    int need = digits(page) * (SC_EX_BODY_SIZE / 2 - SC_EX_KERN) + SC_EX_KERN;
    if (w + need > SC_EX_LINE_W)
        lines++;
    return lines;
}

static void count_lines(struct sc_ex_block *b)
{
    switch (b->kind) {
    case SC_EX_TITLE:
    case SC_EX_ART_TITLE:
        /* 2号 title lines, then one blank line */
        b->lines =
            sc_ex_break_lines(b->text, b->len, SC_EX_TITLE_SIZE, SC_EX_LINE_W, 0, NULL, NULL) + 1;
        break;
    case SC_EX_TOC_HEADING: b->lines = 2; break;
    case SC_EX_TOC_ENTRY: break; /* depends on the page number: see paginate() */
    case SC_EX_HEADING:
    case SC_EX_PARA:
        b->lines = sc_ex_break_lines(b->text, b->len, SC_EX_BODY_SIZE, SC_EX_LINE_W, SC_EX_INDENT_W,
                                     NULL, NULL);
        break;
    case SC_EX_NOTE: {
        struct sc_buf nb = SC_BUF_INIT;
        sc_ex_note_text(&nb, b);
        b->lines = sc_ex_break_lines(nb.data, nb.len, SC_EX_BODY_SIZE, SC_EX_LINE_W, SC_EX_INDENT_W,
                                     NULL, NULL);
        sc_buf_release(&nb);
        break;
    }
    }
}

/* Place blocks on pages. Articles start on a new page. Returns pages used. */
static int paginate(struct sc_ex_plan *p)
{
    int page = 1, line = 0;
    for (size_t k = 0; k < p->nblocks; k++) {
        struct sc_ex_block *b = &p->blocks[k];
        if (b->kind == SC_EX_ART_TITLE && line > 0) {
            page++; /* every article starts on a new page */
            line = 0;
        }
        if (line >= SC_EX_LINES) {
            page++;
            line = 0;
        }
        b->page = page;
        if (b->kind == SC_EX_ART_TITLE)
            p->first_page[b->doc] = page;
        line += b->lines;
        while (line > SC_EX_LINES) {
            page++;
            line -= SC_EX_LINES;
        }
        if (b->kind == SC_EX_TOC_ENTRY && k + 1 < p->nblocks &&
            p->blocks[k + 1].kind != SC_EX_TOC_ENTRY)
            p->toc_pages = page;
    }
    return page;
}

static enum sc_err paginate_all(struct sc_ex_plan *p)
{
    for (size_t k = 0; k < p->nblocks; k++)
        count_lines(&p->blocks[k]);
    if (p->single) {
        p->pages = paginate(p);
        return SC_OK;
    }
    /* the 目录's length depends on its page numbers (a number that no
     * longer fits wraps), which depend on its length: iterate to a fixed
     * point (digits only grow, so this ends quickly) */
    for (size_t d = 0; d < p->ndocs; d++)
        p->first_page[d] = 2;
    for (int round = 0; round < 8; round++) {
        int changed = 0;
        for (size_t k = 0; k < p->nblocks; k++) {
            struct sc_ex_block *b = &p->blocks[k];
            if (b->kind != SC_EX_TOC_ENTRY)
                continue;
            int l = toc_entry_lines(b->text, b->len, p->first_page[b->doc]);
            changed |= l != b->lines;
            b->lines = l;
        }
        p->pages = paginate(p);
        if (!changed && round > 0)
            break;
    }
    return SC_OK;
}

/* ---- the whole plan ---- */

enum sc_err sc_ex_plan_build(struct sc_ex_plan *p, const struct sc_doc *const *docs, size_t n,
                             const struct sc_compile_opts *opts, struct sc_diag *diag)
{
    enum sc_err err;
    if (n == 0)
        return sc_diag_set(diag, SC_EINVAL, "compile: no documents");
    if (n > SC_MAX_COMPILE_DOCS)
        return sc_diag_set(diag, SC_EINVAL, "compile: %zu documents, at most %d", n,
                           SC_MAX_COMPILE_DOCS);
    if (opts->single && n != 1)
        return sc_diag_set(diag, SC_EINVAL, "export: exactly one document expected");
    for (size_t d = 0; d < n; d++)
        if (!docs[d] || !docs[d]->text)
            return sc_diag_set(diag, SC_EINVAL, "compile: document %lld has no text",
                               docs[d] ? (long long)docs[d]->id : 0LL);
    const char *given = opts->title ? opts->title : "";
    size_t gl = strlen(given);
    given = sc_ex_trim(given, &gl);
    if (gl > SC_MAX_COMPILE_TITLE)
        return sc_diag_set(diag, SC_EINVAL, "compile: title longer than %d bytes",
                           SC_MAX_COMPILE_TITLE);

    p->docs = docs;
    p->ndocs = n;
    p->single = opts->single;
    p->first_page = sc_calloc(n, sizeof *p->first_page);
    p->title_block = sc_calloc(n, sizeof *p->title_block);
    if (!p->first_page || !p->title_block)
        goto nomem;

    /* the title */
    struct sc_buf tb = SC_BUF_INIT;
    if (gl)
        sc_buf_add(&tb, given, gl);
    else if (opts->single) {
        const char *t = docs[0]->title ? docs[0]->title : "";
        size_t tl = strlen(t);
        t = sc_ex_trim(t, &tl);
        if (tl == 0) {
            /* the first line of the text */
            const char *nl = memchr(docs[0]->text, '\n', strlen(docs[0]->text));
            tl = nl ? (size_t)(nl - docs[0]->text) : strlen(docs[0]->text);
            t = sc_ex_trim(docs[0]->text, &tl);
        }
        sc_buf_add(&tb, t, tl);
    } else
        sc_compile_default_title(docs, n, &tb);
    if (sc_buf_err(&tb) != SC_OK) {
        sc_buf_release(&tb);
        goto nomem;
    }
    p->title = sc_buf_take(&tb, &p->title_len);
    if (!p->title)
        goto nomem;

    if (!opts->single) {
        struct sc_ex_block b = { 0 };
        b.kind = SC_EX_TITLE;
        b.text = p->title;
        b.len = p->title_len;
        if (add_block(p, &b) != SC_OK)
            goto nomem;
        b.kind = SC_EX_TOC_HEADING;
        b.text = "目录";
        b.len = strlen(b.text);
        if (add_block(p, &b) != SC_OK)
            goto nomem;
        /* entries point at the article titles, filled in below */
        for (size_t d = 0; d < n; d++) {
            b.kind = SC_EX_TOC_ENTRY;
            b.doc = d;
            b.text = NULL;
            b.len = 0;
            if (add_block(p, &b) != SC_OK)
                goto nomem;
        }
    }
    for (size_t d = 0; d < n; d++)
        if ((err = plan_doc(p, d, docs[d], opts->entitled)) != SC_OK)
            goto fail;
    for (size_t k = 0; k < p->nblocks; k++) {
        struct sc_ex_block *b = &p->blocks[k];
        if (b->kind == SC_EX_TOC_ENTRY) {
            const struct sc_ex_block *t = &p->blocks[p->title_block[b->doc]];
            b->text = t->text;
            b->len = t->len;
        }
    }
    if ((err = paginate_all(p)) != SC_OK)
        goto fail;
    return SC_OK;
nomem:
    err = SC_ENOMEM;
fail:
    sc_ex_plan_release(p);
    return sc_diag_set(diag, err, "compile: %s", sc_strerror(err));
}
