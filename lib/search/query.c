/*
 * Query parser: a hand-written lexer over code points (positions are
 * counted in characters for the error messages and sc_diag.pos_cp) and a
 * recursive-descent parser producing struct sc_qnode trees (query.h); and
 * the structured filters of a search (sc_search_opts.filters), turned into
 * the same field nodes and ANDed with the query's tree.
 */
#include "search/query.h"

#include "sucai/docno.h"
#include "sucai/gongwen.h"
#include "sucai/search.h"
#include "sucai/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 32

enum tok {
    T_END,
    T_LP,
    T_RP,
    T_OR,
    T_NOT,
    T_WORD,   /* plain term */
    T_QUOTED, /* "..." */
    T_FIELD,  /* name:value */
};

struct lexer {
    const char *q;
    size_t len, i; /* byte cursor */
    size_t ch;     /* 0-based character index of i */
    /* current token */
    enum tok t;
    size_t tpos;            /* 1-based character position of the token */
    const char *s;          /* token text (word, quoted content, field value) */
    size_t slen;
    char field[16];         /* field name, lower case */
    size_t vpos;            /* 1-based character position of a field value */
    int prev_sep;           /* previous token ended a word (for '-') */
};

struct parser {
    struct lexer lx;
    struct sc_query *out;
    struct sc_diag *diag;
    enum sc_err err;
    int depth;
    const char *filter; /* building the nodes of this filter (no place in the text) */
};

static int is_sep(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000;
}

static int is_special(uint32_t c)
{
    return c == '(' || c == ')' || c == '|' || c == '"';
}

/* Decode at the cursor; invalid bytes were rejected before lexing. */
static uint32_t peek_cp(const struct lexer *lx, size_t *n)
{
    uint32_t c;
    *n = sc_utf8_decode(lx->q + lx->i, lx->len - lx->i, &c);
    if (*n == 0)
        *n = 1;
    return c;
}

static void adv(struct lexer *lx, size_t n)
{
    lx->i += n;
    lx->ch++;
}

/* Record the first error; pos is the 1-based character of the query it
 * names (sc_diag.pos_cp), 0 for none. */
static enum sc_err fail(struct parser *p, enum sc_err err, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static enum sc_err fail(struct parser *p, enum sc_err err, size_t pos, const char *fmt, ...)
{
    if (p->err == SC_OK) {
        p->err = err;
        if (p->diag && p->diag->err == SC_OK) {
            va_list ap;
            va_start(ap, fmt);
            struct sc_buf b = SC_BUF_INIT;
            sc_buf_vaddf(&b, fmt, ap);
            va_end(ap);
            sc_diag_set_at(p->diag, err, pos, "%s", sc_buf_err(&b) ? "malformed query" : b.data);
            sc_buf_release(&b);
        }
    }
    return err;
}

/* The fields, in the order of enum sc_filter_field. */
static const char *const field_names[SC_FILTER_FIELDS] = { "genre", "year",  "level", "section",
                                                           "unit",  "title", "docno", "date" };

/* Read a "..." at the cursor (which is on the quote). */
static enum sc_err lex_quoted(struct parser *p, const char **s, size_t *slen)
{
    struct lexer *lx = &p->lx;
    size_t qpos = lx->ch + 1;
    adv(lx, 1);
    size_t start = lx->i;
    while (lx->i < lx->len) {
        size_t n;
        uint32_t c = peek_cp(lx, &n);
        if (c == '"') {
            *s = lx->q + start;
            *slen = lx->i - start;
            adv(lx, 1);
            return SC_OK;
        }
        adv(lx, n);
    }
    return fail(p, SC_EPARSE, qpos, "unterminated quote at character %zu", qpos);
}

static enum sc_err lex_next(struct parser *p)
{
    struct lexer *lx = &p->lx;
    int had_sep = lx->prev_sep;
    for (;;) {
        if (lx->i >= lx->len) {
            lx->t = T_END;
            lx->tpos = lx->ch + 1;
            return SC_OK;
        }
        size_t n;
        uint32_t c = peek_cp(lx, &n);
        if (!is_sep(c))
            break;
        adv(lx, n);
        had_sep = 1;
    }
    size_t n;
    uint32_t c = peek_cp(lx, &n);
    lx->tpos = lx->ch + 1;
    lx->prev_sep = 0;
    if (c == '(') {
        adv(lx, 1);
        lx->t = T_LP;
        lx->prev_sep = 1;
        return SC_OK;
    }
    if (c == ')') {
        adv(lx, 1);
        lx->t = T_RP;
        return SC_OK;
    }
    if (c == '|') {
        adv(lx, 1);
        lx->t = T_OR;
        lx->prev_sep = 1;
        return SC_OK;
    }
    if (c == '"') {
        lx->t = T_QUOTED;
        return lex_quoted(p, &lx->s, &lx->slen);
    }
    if (c == '-' && had_sep) {
        /* a leading '-' negates what follows it directly */
        size_t save_i = lx->i, save_ch = lx->ch;
        adv(lx, 1);
        size_t n2;
        uint32_t c2 = lx->i < lx->len ? peek_cp(lx, &n2) : ' ';
        if (lx->i >= lx->len || is_sep(c2) || c2 == ')' || c2 == '|')
            return fail(p, SC_EPARSE, save_ch + 1, "'-' without a term at character %zu",
                        save_ch + 1);
        (void)save_i;
        lx->t = T_NOT;
        lx->prev_sep = 1;
        return SC_OK;
    }
    /* a word: up to a separator or a special character */
    size_t start = lx->i;
    while (lx->i < lx->len) {
        size_t k;
        uint32_t d = peek_cp(lx, &k);
        if (is_sep(d) || is_special(d))
            break;
        adv(lx, k);
    }
    const char *w = lx->q + start;
    size_t wl = lx->i - start;
    if (wl == 2 && memcmp(w, "OR", 2) == 0) {
        lx->t = T_OR;
        lx->prev_sep = 1;
        return SC_OK;
    }
    const char *colon = memchr(w, ':', wl);
    if (colon) {
        size_t nl = (size_t)(colon - w);
        for (size_t f = 0; f < sizeof field_names / sizeof field_names[0]; f++) {
            if (strlen(field_names[f]) != nl || strncasecmp(w, field_names[f], nl) != 0)
                continue;
            memcpy(lx->field, field_names[f], nl + 1);
            lx->t = T_FIELD;
            lx->vpos = lx->tpos + nl + 1;
            lx->s = colon + 1;
            lx->slen = wl - nl - 1;
            if (lx->slen == 0 && lx->i < lx->len && lx->q[lx->i] == '"')
                return lex_quoted(p, &lx->s, &lx->slen);
            if (lx->slen == 0)
                return fail(p, SC_EPARSE, lx->tpos, "empty value for %s: at character %zu",
                            lx->field, lx->tpos);
            return SC_OK;
        }
    }
    lx->t = T_WORD;
    lx->s = w;
    lx->slen = wl;
    return SC_OK;
}

static struct sc_qnode *node_new(struct parser *p, enum sc_qkind kind)
{
    if (p->out->nnodes >= SC_QUERY_MAX_NODES) {
        if (p->filter)
            fail(p, SC_EINVAL, 0,
                 "the query with its filters is too complex (at most %d terms and operators)",
                 SC_QUERY_MAX_NODES);
        else
            fail(p, SC_ELIMIT, p->lx.tpos,
                 "query too complex (at most %d terms and operators) at character %zu",
                 SC_QUERY_MAX_NODES, p->lx.tpos);
        return NULL;
    }
    struct sc_qnode *n = sc_calloc(1, sizeof *n);
    if (!n) {
        fail(p, SC_ENOMEM, 0, "out of memory");
        return NULL;
    }
    n->kind = kind;
    p->out->nnodes++;
    return n;
}

static void node_free(struct sc_qnode *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nkids; i++)
        node_free(n->kids[i]);
    free(n->kids);
    free(n->text);
    free(n);
}

static enum sc_err add_kid(struct parser *p, struct sc_qnode *n, struct sc_qnode *kid)
{
    struct sc_qnode **k = sc_reallocarray(n->kids, n->nkids + 1, sizeof *k);
    if (!k) {
        node_free(kid);
        return fail(p, SC_ENOMEM, 0, "out of memory");
    }
    n->kids = k;
    n->kids[n->nkids++] = kid;
    return SC_OK;
}

/* Normalised copy of s into n->text. */
static enum sc_err set_text(struct parser *p, struct sc_qnode *n, const char *s, size_t len,
                            size_t pos, int normalise)
{
    struct sc_buf b = SC_BUF_INIT;
    if (normalise) {
        if (sc_normalize(s, len, &b, NULL) != SC_OK) {
            sc_buf_release(&b);
            return fail(p, SC_ENOMEM, 0, "out of memory");
        }
    } else {
        sc_buf_add(&b, s, len);
    }
    if (sc_buf_err(&b) != SC_OK) {
        sc_buf_release(&b);
        return fail(p, SC_ENOMEM, 0, "out of memory");
    }
    if (b.len == 0) {
        sc_buf_release(&b);
        if (p->filter)
            return fail(p, SC_EINVAL, 0, "empty %s filter", p->filter);
        return fail(p, SC_EPARSE, pos, "empty term at character %zu", pos);
    }
    if (b.len > SC_QUERY_MAX_TERM_BYTES) {
        sc_buf_release(&b);
        if (p->filter)
            return fail(p, SC_EINVAL, 0, "%s filter too long (at most %d bytes)", p->filter,
                        SC_QUERY_MAX_TERM_BYTES);
        return fail(p, SC_ELIMIT, pos, "term too long (at most %d bytes) at character %zu",
                    SC_QUERY_MAX_TERM_BYTES, pos);
    }
    n->text = sc_buf_take(&b, &n->len);
    if (!n->text)
        return fail(p, SC_ENOMEM, 0, "out of memory");
    n->ncp = sc_utf8_count(n->text, n->len);
    return SC_OK;
}

static int parse_uint(const char *s, size_t len, int *out)
{
    if (len == 0 || len > 4)
        return -1;
    int v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* A value the field does not take: named at its place in the query text,
 * or as the filter it came from. */
static void bad_value(struct parser *p, const char *what, const char *s, size_t slen, size_t vpos,
                      const char *use_text, const char *use_filter)
{
    int n = (int)(slen > 64 ? 64 : slen);
    if (p->filter)
        fail(p, SC_EINVAL, 0, "bad %s filter '%.*s' (use %s)", p->filter, n, s, use_filter);
    else
        fail(p, SC_EPARSE, vpos, "%s '%.*s' at character %zu (use %s)", what, n, s, vpos, use_text);
}

/* The node of field f (a name of field_names) with value s[0..slen), which
 * stands at character vpos of the query (0 for a filter). */
static struct sc_qnode *field_node(struct parser *p, const char *f, const char *s, size_t slen,
                                   size_t vpos)
{
    struct sc_qnode *n = NULL;
    if (strcmp(f, "year") == 0) {
        n = node_new(p, SC_Q_YEAR);
        if (!n)
            return NULL;
        const char *dash = memchr(s, '-', slen);
        int a, b;
        int bad = dash ? (parse_uint(s, (size_t)(dash - s), &a) ||
                          parse_uint(dash + 1, slen - (size_t)(dash - s) - 1, &b))
                       : parse_uint(s, slen, &a);
        if (!dash)
            b = a;
        if (bad || a < 1 || a > b) {
            bad_value(p, "bad year", s, slen, vpos, "year:2023 or year:2019-2023",
                      "2023 or 2019-2023");
            node_free(n);
            return NULL;
        }
        n->year_from = a;
        n->year_to = b;
    } else if (strcmp(f, "docno") == 0) {
        n = node_new(p, SC_Q_DOCNO);
        if (!n)
            return NULL;
        char canon[SC_DOCNO_MAX];
        enum sc_docno_kind k = sc_docno_canon(s, slen, canon);
        if (k == SC_DOCNO_NONE) {
            bad_value(p, "bad docno", s, slen, vpos,
                      "docno:国发〔2019〕4号, docno:国发2019, docno:〔2019〕4号; quote one with "
                      "spaces",
                      "国发〔2019〕4号, 国发2019 or 〔2019〕4号");
            node_free(n);
            return NULL;
        }
        n->exact = k == SC_DOCNO_FULL;
        if (set_text(p, n, canon, strlen(canon), vpos, 0) != SC_OK) {
            node_free(n);
            return NULL;
        }
    } else if (strcmp(f, "date") == 0) {
        n = node_new(p, SC_Q_DATE);
        if (!n)
            return NULL;
        if (sc_date_range_parse(s, slen, &n->date_from, &n->date_to, NULL) != SC_OK) {
            bad_value(p, "bad date", s, slen, vpos,
                      "date:2019-01-27, date:2019-01, date:2019 or date:2019-01..2019-03",
                      "2019-01-27, 2019-01, 2019 or 2019-01..2019-03");
            node_free(n);
            return NULL;
        }
    } else if (strcmp(f, "section") == 0) {
        n = node_new(p, SC_Q_SECTION);
        if (!n)
            return NULL;
        int k = sc_kind_parse(s, slen);
        if (k < 0) {
            static const char kinds[] = "情况, 做法, 成效, 问题, 打算, 其他 or overview, work, "
                                        "results, problems, plans, other";
            bad_value(p, "unknown section kind", s, slen, vpos, kinds, kinds);
            node_free(n);
            return NULL;
        }
        n->section = k;
    } else {
        enum sc_qkind k = strcmp(f, "title") == 0   ? SC_Q_TITLE
                          : strcmp(f, "genre") == 0 ? SC_Q_GENRE
                          : strcmp(f, "unit") == 0  ? SC_Q_UNIT
                                                    : SC_Q_LEVEL;
        n = node_new(p, k);
        if (!n)
            return NULL;
        /* title and unit are substring filters over normalised text */
        if (set_text(p, n, s, slen, vpos, 1) != SC_OK) {
            node_free(n);
            return NULL;
        }
    }
    return n;
}

static struct sc_qnode *parse_field(struct parser *p)
{
    struct lexer *lx = &p->lx;
    return field_node(p, lx->field, lx->s, lx->slen, lx->vpos);
}

static struct sc_qnode *parse_or(struct parser *p);

static struct sc_qnode *parse_unary(struct parser *p)
{
    struct lexer *lx = &p->lx;
    if (++p->depth > MAX_DEPTH) {
        fail(p, SC_ELIMIT, lx->tpos, "query nested too deeply at character %zu", lx->tpos);
        return NULL;
    }
    struct sc_qnode *n = NULL;
    switch (lx->t) {
    case T_NOT: {
        if (lex_next(p) != SC_OK)
            break;
        struct sc_qnode *kid = parse_unary(p);
        if (!kid)
            break;
        n = node_new(p, SC_Q_NOT);
        if (!n || add_kid(p, n, kid) != SC_OK) {
            if (!n)
                node_free(kid);
            node_free(n);
            n = NULL;
        }
        p->depth--;
        return n;
    }
    case T_LP: {
        size_t lpos = lx->tpos;
        if (lex_next(p) != SC_OK)
            break;
        if (lx->t == T_RP) {
            fail(p, SC_EPARSE, lpos, "empty ( ) at character %zu", lpos);
            break;
        }
        n = parse_or(p);
        if (!n)
            break;
        if (lx->t != T_RP) {
            fail(p, SC_EPARSE, lpos, "unbalanced ( at character %zu", lpos);
            node_free(n);
            n = NULL;
            break;
        }
        if (lex_next(p) != SC_OK) {
            node_free(n);
            n = NULL;
        }
        break;
    }
    case T_WORD:
    case T_QUOTED:
        n = node_new(p, SC_Q_TERM);
        if (!n)
            break;
        if (set_text(p, n, lx->s, lx->slen, lx->tpos, 1) != SC_OK ||
            lex_next(p) != SC_OK) {
            node_free(n);
            n = NULL;
        }
        break;
    case T_FIELD:
        n = parse_field(p);
        if (n && lex_next(p) != SC_OK) {
            node_free(n);
            n = NULL;
        }
        break;
    case T_OR:
        fail(p, SC_EPARSE, lx->tpos, "'|' or OR without a left operand at character %zu", lx->tpos);
        break;
    case T_RP: fail(p, SC_EPARSE, lx->tpos, "unbalanced ) at character %zu", lx->tpos); break;
    case T_END: fail(p, SC_EPARSE, lx->tpos, "missing term at character %zu", lx->tpos); break;
    }
    p->depth--;
    return n;
}

/* Builds an n-ary node, or returns the single child. */
static struct sc_qnode *parse_list(struct parser *p, enum sc_qkind kind)
{
    struct lexer *lx = &p->lx;
    struct sc_qnode *first = kind == SC_Q_AND ? parse_unary(p) : parse_list(p, SC_Q_AND);
    if (!first)
        return NULL;
    struct sc_qnode *n = NULL;
    for (;;) {
        if (kind == SC_Q_AND) {
            if (lx->t == T_END || lx->t == T_RP || lx->t == T_OR)
                break;
        } else {
            if (lx->t != T_OR)
                break;
            size_t opos = lx->tpos;
            if (lex_next(p) != SC_OK)
                goto fail;
            if (lx->t == T_END || lx->t == T_RP || lx->t == T_OR) {
                fail(p, SC_EPARSE, opos, "'|' or OR without a right operand at character %zu",
                     opos);
                goto fail;
            }
        }
        struct sc_qnode *next = kind == SC_Q_AND ? parse_unary(p) : parse_list(p, SC_Q_AND);
        if (!next)
            goto fail;
        if (!n) {
            n = node_new(p, kind);
            if (!n) {
                node_free(next);
                goto fail;
            }
            if (add_kid(p, n, first) != SC_OK) {
                first = NULL;
                node_free(next);
                goto fail;
            }
            first = NULL;
        }
        /* flatten a nested list of the same kind */
        if (next->kind == kind) {
            for (size_t i = 0; i < next->nkids; i++) {
                struct sc_qnode *k = next->kids[i];
                next->kids[i] = NULL;
                if (add_kid(p, n, k) != SC_OK) {
                    node_free(next);
                    goto fail;
                }
            }
            next->nkids = 0;
            node_free(next);
            p->out->nnodes--;
        } else if (add_kid(p, n, next) != SC_OK) {
            goto fail;
        }
    }
    return n ? n : first;
fail:
    node_free(first);
    node_free(n);
    return NULL;
}

static struct sc_qnode *parse_or(struct parser *p)
{
    return parse_list(p, SC_Q_OR);
}

enum sc_err sc_query_parse(const char *q, size_t len, struct sc_query *out, struct sc_diag *diag)
{
    memset(out, 0, sizeof *out);
    struct parser p = {0};
    p.lx.q = q;
    p.lx.len = len;
    p.lx.prev_sep = 1;
    p.out = out;
    p.diag = diag;
    if (len > 1024)
        return fail(&p, SC_ELIMIT, 0, "query too long (%zu bytes, at most 1024)", len);
    size_t bad;
    if (!sc_utf8_valid(q, len, &bad)) {
        size_t at = sc_utf8_count(q, bad) + 1;
        return fail(&p, SC_EPARSE, at, "invalid UTF-8 at character %zu", at);
    }
    if (memchr(q, '\0', len))
        return fail(&p, SC_EPARSE, 0, "NUL byte in query");
    if (lex_next(&p) != SC_OK)
        return p.err;
    if (p.lx.t == T_END)
        return SC_OK; /* empty query: root NULL */
    struct sc_qnode *root = parse_or(&p);
    if (root && p.lx.t != T_END) {
        /* only a stray ')' can stop the top-level list early */
        fail(&p, SC_EPARSE, p.lx.tpos, "unbalanced ) at character %zu", p.lx.tpos);
        node_free(root);
        root = NULL;
    }
    if (!root) {
        if (p.err == SC_OK)
            fail(&p, SC_EPARSE, 0, "malformed query");
        return p.err;
    }
    out->root = root;
    return SC_OK;
}

void sc_query_release(struct sc_query *q)
{
    if (!q)
        return;
    node_free(q->root);
    q->root = NULL;
    q->nnodes = 0;
}

static void dump(struct sc_buf *b, const struct sc_qnode *n)
{
    switch (n->kind) {
    case SC_Q_TERM:
        sc_json_str(b, n->text, n->len);
        return;
    case SC_Q_AND:
    case SC_Q_OR:
    case SC_Q_NOT:
        sc_buf_adds(b, n->kind == SC_Q_AND ? "(and" : n->kind == SC_Q_OR ? "(or" : "(not");
        for (size_t i = 0; i < n->nkids; i++) {
            sc_buf_addc(b, ' ');
            dump(b, n->kids[i]);
        }
        sc_buf_addc(b, ')');
        return;
    case SC_Q_YEAR:
        if (n->year_from == n->year_to)
            sc_buf_addf(b, "year:%d", n->year_from);
        else
            sc_buf_addf(b, "year:%d-%d", n->year_from, n->year_to);
        return;
    case SC_Q_SECTION:
        sc_buf_addf(b, "section:%s", sc_kind_name((enum sc_section_kind)n->section));
        return;
    case SC_Q_DOCNO:
        sc_buf_adds(b, n->exact ? "docno:" : "docno~");
        sc_json_str(b, n->text, n->len);
        return;
    case SC_Q_DATE: {
        char a[11], z[11];
        sc_date_format(n->date_from, a);
        sc_date_format(n->date_to, z);
        sc_buf_addf(b, "date:%s..%s", a, z);
        return;
    }
    case SC_Q_TITLE:
    case SC_Q_GENRE:
    case SC_Q_UNIT:
    case SC_Q_LEVEL:
        sc_buf_adds(b, n->kind == SC_Q_TITLE   ? "title:"
                       : n->kind == SC_Q_GENRE ? "genre:"
                       : n->kind == SC_Q_UNIT  ? "unit:"
                                               : "level:");
        sc_json_str(b, n->text, n->len);
        return;
    }
}

void sc_query_dump(struct sc_buf *b, const struct sc_query *q)
{
    if (!q->root)
        sc_buf_adds(b, "(empty)");
    else
        dump(b, q->root);
}

/* ---------------------------------------------------------------- filters */

int sc_search_filter_field(const char *name)
{
    for (int f = 0; name && f < SC_FILTER_FIELDS; f++)
        if (!strcmp(name, field_names[f]))
            return f;
    return -1;
}

const char *sc_search_filter_name(enum sc_filter_field f)
{
    return (unsigned)f < SC_FILTER_FIELDS ? field_names[f] : NULL;
}

/* The node of one filter, in p's filter mode. */
static struct sc_qnode *filter_node(struct parser *p, const struct sc_search_filter *f)
{
    if ((unsigned)f->field >= SC_FILTER_FIELDS || !f->value) {
        fail(p, SC_EINVAL, 0, "a filter without a known field or a value");
        return NULL;
    }
    const char *name = field_names[f->field];
    p->filter = name;
    size_t len = strlen(f->value), bad;
    if (len > SC_MAX_QUERY_BYTES) {
        fail(p, SC_EINVAL, 0, "%s filter too long (%zu bytes, at most %d)", name, len,
             SC_MAX_QUERY_BYTES);
        return NULL;
    }
    if (!sc_utf8_valid(f->value, len, &bad)) {
        fail(p, SC_EINVAL, 0, "bad %s filter: invalid UTF-8 at byte %zu", name, bad + 1);
        return NULL;
    }
    /* a filter is also said as query text (sc_search_query_text), where a
     * value is quoted: a quote could not be written there */
    if (memchr(f->value, '"', len)) {
        fail(p, SC_EINVAL, 0, "bad %s filter: '\"' is not allowed", name);
        return NULL;
    }
    return field_node(p, name, f->value, len, 0);
}

/* AND the filters onto p->out's tree: one group per field, in field order,
 * the values of a field ORed (the tree of "(q) genre:… (year:… | year:…)"). */
static enum sc_err add_filters(struct parser *p, const struct sc_search_filter *fs, size_t nf)
{
    struct sc_query *out = p->out;
    struct sc_qnode *all = NULL;
    for (int field = 0; field < SC_FILTER_FIELDS && p->err == SC_OK; field++) {
        struct sc_qnode *group = NULL; /* the field's one node, or an OR of them */
        for (size_t i = 0; i < nf && p->err == SC_OK; i++) {
            if ((unsigned)fs[i].field >= SC_FILTER_FIELDS) {
                filter_node(p, &fs[i]); /* names the error */
                break;
            }
            if ((int)fs[i].field != field)
                continue;
            struct sc_qnode *n = filter_node(p, &fs[i]);
            if (!n)
                break;
            if (!group) {
                group = n;
                continue;
            }
            if (group->kind != SC_Q_OR) { /* field nodes are never ORs */
                struct sc_qnode *any = node_new(p, SC_Q_OR);
                if (!any) {
                    node_free(n);
                    break;
                }
                if (add_kid(p, any, group) != SC_OK) { /* frees group */
                    group = any;
                    node_free(n);
                    break;
                }
                group = any;
            }
            add_kid(p, group, n); /* frees n when it fails */
        }
        if (p->err != SC_OK) {
            node_free(group);
            break;
        }
        if (!group)
            continue;
        if (!out->root && !all) {
            out->root = group;
            continue;
        }
        if (!all) {
            all = node_new(p, SC_Q_AND);
            if (!all) {
                node_free(group);
                break;
            }
            struct sc_qnode *root = out->root;
            out->root = all;
            if (add_kid(p, all, root) != SC_OK) { /* frees root; all is out's */
                node_free(group);
                break;
            }
        }
        if (add_kid(p, all, group) != SC_OK)
            break;
    }
    p->filter = NULL;
    return p->err;
}

enum sc_err sc_query_build(const char *q, size_t len, const struct sc_search_filter *filters,
                           size_t nfilters, struct sc_query *out, struct sc_diag *diag)
{
    enum sc_err e = sc_query_parse(q, len, out, diag);
    if (e != SC_OK || !nfilters)
        return e;
    if (!filters)
        return sc_diag_set(diag, SC_EINVAL, "%zu filters given without their array", nfilters);
    struct parser p = { 0 };
    p.out = out;
    p.diag = diag;
    return add_filters(&p, filters, nfilters);
}

enum sc_err sc_search_query_text(const struct sc_search_opts *opts, struct sc_buf *out,
                                 struct sc_diag *diag)
{
    /* the query and the filters are checked as the engine takes them */
    const char *q = opts->query ? opts->query : "";
    struct sc_query check;
    enum sc_err e = sc_query_parse(q, strlen(q), &check, diag);
    int has_q = check.root != NULL;
    sc_query_release(&check);
    if (e == SC_OK)
        e = sc_query_build("", 0, opts->filters, opts->nfilters, &check, diag);
    sc_query_release(&check);
    if (e != SC_OK)
        return e;
    size_t start = out->len;
    if (has_q)
        sc_buf_addf(out, opts->nfilters ? "(%s)" : "%s", q);
    for (int field = 0; field < SC_FILTER_FIELDS; field++) {
        size_t nvals = 0;
        for (size_t i = 0; i < opts->nfilters; i++)
            nvals += (int)opts->filters[i].field == field;
        if (!nvals)
            continue;
        if (out->len > start)
            sc_buf_addc(out, ' ');
        if (nvals > 1)
            sc_buf_addc(out, '(');
        size_t k = 0;
        for (size_t i = 0; i < opts->nfilters; i++) {
            if ((int)opts->filters[i].field != field)
                continue;
            if (k++)
                sc_buf_adds(out, " | ");
            /* years are plain (2023, 2019-2023); other values are quoted */
            sc_buf_addf(out, field == SC_FILTER_YEAR ? "%s:%s" : "%s:\"%s\"", field_names[field],
                        opts->filters[i].value);
        }
        if (nvals > 1)
            sc_buf_addc(out, ')');
    }
    return sc_buf_err(out) != SC_OK ? sc_diag_set(diag, SC_ENOMEM, "out of memory") : SC_OK;
}
