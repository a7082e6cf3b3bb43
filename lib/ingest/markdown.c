/*
 * Markdown -> its plain text, line by line. Markup goes (heading '#',
 * emphasis, code backticks and fences, link targets, images, bullets,
 * blockquote '>', table pipes, HTML tags, front matter); the words and the
 * line structure stay. Numbered labels ("1.", "一、") are text to us: the
 * 公文 parser reads them as heading levels, so only bullets are stripped.
 * Lines are never joined: a 公文 heading on its own line must stay there.
 */
#include "ingest_int.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DELIMS 256 /* emphasis runs matched per line; more stay literal */

/* Byte marks for one line. */
enum {
    M_KEEP = 0,
    M_DROP,
    M_VERBATIM, /* code span content: no escapes or entities */
};

struct md {
    struct sc_buf *out;
    struct sc_buf mask; /* one mark per byte of the current line */
    struct sc_buf match; /* uint32 per byte of the current line: see line_scan */
    char *title;        /* first level-1 heading */
    char *fm_title;     /* front matter "title:" */
    int nomem;
    size_t last_start; /* offset in out of the last line written */
    int last_plain;    /* the last line written was a paragraph line */
    int last_blank;
};

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

static int is_apunct(unsigned char c)
{
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
}

static int is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void set_title(struct md *m, char **slot, const char *s, size_t n)
{
    if (*slot)
        return;
    int nomem = 0;
    *slot = sc_ingest_title_dup(s, n, &nomem);
    if (nomem)
        m->nomem = 1;
}

/* ---- inline markup ------------------------------------------------------- */

#define NO_MATCH UINT32_MAX

/*
 * What one line's inline markup needs to look ahead for, found in one pass
 * so that no construct scans the rest of the line again (a line of 100,000
 * '[' took 13 s that way): the ']' matching each '[' and the ')' closing
 * each '(' (the first place where the depth counted from it is back to 0,
 * a backslash hiding the next byte; NO_MATCH when there is none), where
 * the last "-->" and the last quotes are, and which backtick run lengths
 * occur again later.
 */
struct line_scan {
    const uint32_t *match;    /* per byte; meaningful at '[' and '(' */
    size_t last_comment_end;  /* index of the last "-->", or SIZE_MAX */
    size_t last_quote[2];     /* of the last '"' and '\'', or SIZE_MAX */
    /* backtick runs: open addressing from run length to the start of its
     * last occurrence (len 0 = empty slot) */
    struct { uint32_t len, last; } *ticks;
    size_t nticks; /* slots, a power of two */
};

/* Pair the brackets and the parentheses of s[0..n) with two stacks kept
 * inside match[] itself (an open entry holds the previous open until its
 * match replaces it). */
static void pair_up(const char *s, size_t n, uint32_t *match)
{
    uint32_t top[2] = { NO_MATCH, NO_MATCH }; /* '[' and '(' */
    for (size_t j = 0; j < n; j++) {
        char c = s[j];
        if (c == '\\' && j + 1 < n) {
            j++;
        } else if (c == '[' || c == '(') {
            int k = c == '(';
            match[j] = top[k];
            top[k] = (uint32_t)j;
        } else if (c == ']' || c == ')') {
            int k = c == ')';
            if (top[k] != NO_MATCH) {
                uint32_t o = top[k];
                top[k] = match[o];
                match[o] = (uint32_t)j;
            }
        }
    }
    for (int k = 0; k < 2; k++)
        while (top[k] != NO_MATCH) {
            uint32_t o = top[k];
            top[k] = match[o];
            match[o] = NO_MATCH;
        }
}

static size_t tick_slot(const struct line_scan *ls, uint32_t len)
{
    size_t h = (len * 2654435761u) & (ls->nticks - 1);
    while (ls->ticks[h].len && ls->ticks[h].len != len)
        h = (h + 1) & (ls->nticks - 1);
    return h;
}

/* Fill ls for s[0..n); -1 when memory runs out. */
static int line_scan_init(struct md *m, const char *s, size_t n, struct line_scan *ls)
{
    memset(ls, 0, sizeof *ls);
    ls->last_comment_end = ls->last_quote[0] = ls->last_quote[1] = SIZE_MAX;
    size_t runs = 0;
    for (size_t j = 0; j < n; j++) {
        if (s[j] == '"')
            ls->last_quote[0] = j;
        else if (s[j] == '\'')
            ls->last_quote[1] = j;
        else if (s[j] == '`' && (j == 0 || s[j - 1] != '`'))
            runs++;
        else if (s[j] == '-' && j + 3 <= n && s[j + 1] == '-' && s[j + 2] == '>')
            ls->last_comment_end = j;
    }
    if (memchr(s, '[', n) || memchr(s, '(', n)) {
        sc_buf_reset(&m->match);
        if (sc_buf_grow(&m->match, n * sizeof(uint32_t)) != SC_OK)
            return -1;
        uint32_t *match = (uint32_t *)(void *)m->match.data;
        pair_up(s, n, match);
        ls->match = match;
    }
    if (runs > 1) {
        size_t cap = 16;
        while (cap < 2 * runs)
            cap *= 2;
        ls->ticks = sc_calloc(cap, sizeof *ls->ticks);
        if (!ls->ticks)
            return -1;
        ls->nticks = cap;
        for (size_t j = 0; j < n;) {
            if (s[j] != '`') {
                j++;
                continue;
            }
            size_t e = j;
            while (e < n && s[e] == '`')
                e++;
            size_t h = tick_slot(ls, (uint32_t)(e - j));
            ls->ticks[h].len = (uint32_t)(e - j);
            ls->ticks[h].last = (uint32_t)j;
            j = e;
        }
    }
    return 0;
}

static void line_scan_release(struct line_scan *ls)
{
    free(ls->ticks);
}

/* Index of the ']' matching the '[' at s[i], or n. */
static size_t match_bracket(const struct line_scan *ls, size_t i, size_t n)
{
    uint32_t j = ls->match ? ls->match[i] : NO_MATCH;
    return j == NO_MATCH ? n : j;
}

/* Index of the ')' closing a link destination that starts at s[i] == '(',
 * or n. Parentheses may nest once or twice in URLs. */
static size_t match_paren(const struct line_scan *ls, size_t i, size_t n)
{
    return match_bracket(ls, i, n);
}

/* Does a run of len backticks occur again after position after? */
static int ticks_again(const struct line_scan *ls, size_t len, size_t after)
{
    if (!ls->ticks || len > UINT32_MAX)
        return 0;
    size_t h = tick_slot(ls, (uint32_t)len);
    return ls->ticks[h].len == len && ls->ticks[h].last > after;
}

static int html_tag_name(const char *s, size_t n)
{
    static const char *const tags[] = {
        "a",      "abbr",    "article", "aside", "b",      "big",   "blockquote", "br",
        "button", "caption", "center",  "cite",  "code",   "col",   "colgroup",   "dd",
        "del",    "details", "div",     "dl",    "dt",     "em",    "figcaption", "figure",
        "font",   "footer",  "form",    "h1",    "h2",     "h3",    "h4",         "h5",
        "h6",     "header",  "hr",      "i",     "iframe", "img",   "input",      "ins",
        "kbd",    "label",   "li",      "mark",  "nav",    "ol",    "p",          "pre",
        "q",      "s",       "section", "small", "source", "span",  "strike",     "strong",
        "sub",    "summary", "sup",     "table", "tbody",  "td",    "tfoot",      "th",
        "thead",  "tr",      "tt",      "u",     "ul",     "video", "audio",      "picture",
        "main",   "meta",    "link",    "style", "script", "var",   "wbr",        "nobr",
    };
    for (size_t k = 0; k < sizeof tags / sizeof tags[0]; k++) {
        size_t len = strlen(tags[k]);
        if (len != n)
            continue;
        size_t i = 0;
        while (i < n && (char)(s[i] | 0x20) == tags[k][i])
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

/* Length of an HTML tag, comment or autolink at s[i] == '<' on this line,
 * or 0. *autolink is set for <http://...>, whose text we keep. */
static size_t html_at(const struct line_scan *ls, const char *s, size_t i, size_t n,
                      int *autolink)
{
    *autolink = 0;
    if (i + 4 <= n && memcmp(s + i, "<!--", 4) == 0) {
        if (ls->last_comment_end == SIZE_MAX || ls->last_comment_end < i + 4)
            return 0; /* no "-->" after it */
        for (size_t j = i + 4; j + 3 <= n; j++)
            if (memcmp(s + j, "-->", 3) == 0)
                return j + 3 - i;
        return 0;
    }
    size_t j = i + 1;
    if (j < n && s[j] == '/')
        j++;
    size_t name = j;
    while (j < n && (is_alpha((unsigned char)s[j]) || (s[j] >= '0' && s[j] <= '9')))
        j++;
    if (j == name)
        return 0;
    if (s[name - 1] != '/' && j < n && s[j] == ':') { /* autolink <scheme:...> */
        size_t k = j;
        while (k < n && s[k] != '>' && s[k] != '<' && s[k] != ' ')
            k++;
        if (k < n && s[k] == '>') {
            *autolink = 1;
            return k + 1 - i;
        }
        return 0;
    }
    if (!html_tag_name(s + name, j - name))
        return 0;
    if (j < n && s[j] != '>' && s[j] != '/' && !is_space(s[j]))
        return 0;
    /* attributes are ASCII outside quotes: "<b 且 c>" is not a tag */
    while (j < n && s[j] != '>' && s[j] != '<') {
        if (s[j] == '"' || s[j] == '\'') {
            size_t last = ls->last_quote[s[j] == '\''];
            if (last == SIZE_MAX || last <= j)
                return 0; /* not closed on this line */
            const char *q = memchr(s + j + 1, s[j], n - j - 1);
            if (!q)
                return 0;
            j = (size_t)(q - s) + 1;
            continue;
        }
        if ((unsigned char)s[j] >= 0x80)
            return 0;
        j++;
    }
    return j < n && s[j] == '>' ? j + 1 - i : 0;
}

struct delim {
    size_t pos, len;
    char c;
    unsigned char open, close;
};

/* Emphasis: match runs of '*', '_' and '~~' and drop the matched markers.
 * Flanking follows CommonMark, except that only ASCII punctuation counts
 * as punctuation: "**“引文”**之后" is bold to every Chinese reader. */
static void emphasis(const char *s, unsigned char *mk, size_t n)
{
    struct delim d[MAX_DELIMS];
    size_t nd = 0;
    for (size_t i = 0; i < n;) {
        char c = s[i];
        if (mk[i] != M_KEEP || (c != '*' && c != '_' && c != '~')) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && s[j] == c && mk[j] == M_KEEP)
            j++;
        unsigned char prev = i > 0 ? (unsigned char)s[i - 1] : ' ';
        unsigned char next = j < n ? (unsigned char)s[j] : ' ';
        int pws = is_space((char)prev), nws = is_space((char)next);
        int ppu = is_apunct(prev), npu = is_apunct(next);
        int left = !nws && !(npu && !(pws || ppu));
        int right = !pws && !(ppu && !(nws || npu));
        int open = left, close = right;
        if (c == '_') {
            open = left && (!right || ppu);
            close = right && (!left || npu);
        }
        if (c == '~' && j - i < 2)
            open = close = 0;
        if ((open || close) && nd < MAX_DELIMS)
            d[nd++] = (struct delim){ i, j - i, c, (unsigned char)open, (unsigned char)close };
        i = j;
    }
    for (size_t k = 0; k < nd; k++) {
        if (!d[k].close)
            continue;
        for (size_t o = k; o-- > 0 && d[k].len > 0;) {
            if (d[o].c != d[k].c || !d[o].open || d[o].len == 0)
                continue;
            size_t take = d[o].len < d[k].len ? d[o].len : d[k].len;
            for (size_t t = 0; t < take; t++) {
                mk[d[o].pos + d[o].len - 1 - t] = M_DROP;
                mk[d[k].pos + t] = M_DROP;
            }
            d[o].len -= take;
            d[k].pos += take;
            d[k].len -= take;
            for (size_t x = o + 1; x < k; x++) /* openers inside are unmatched */
                d[x].open = 0;
        }
    }
}

static const struct {
    const char *name;
    uint32_t cp;
} entities[] = {
    { "amp", '&' },      { "lt", '<' },       { "gt", '>' },       { "quot", '"' },
    { "apos", '\'' },    { "nbsp", ' ' },     { "ensp", ' ' },     { "emsp", 0x3000 },
    { "thinsp", ' ' },   { "mdash", 0x2014 }, { "ndash", 0x2013 }, { "hellip", 0x2026 },
    { "ldquo", 0x201C }, { "rdquo", 0x201D }, { "lsquo", 0x2018 }, { "rsquo", 0x2019 },
    { "middot", 0xB7 },  { "times", 0xD7 },   { "divide", 0xF7 },  { "copy", 0xA9 },
    { "reg", 0xAE },     { "trade", 0x2122 }, { "laquo", 0xAB },   { "raquo", 0xBB },
    { "deg", 0xB0 },     { "plusmn", 0xB1 },  { "sect", 0xA7 },    { "permil", 0x2030 },
};

/* Decode an entity at s[i] == '&'; returns its length (0 if none). */
static size_t entity_at(const char *s, size_t i, size_t n, uint32_t *cp)
{
    size_t j = i + 1;
    if (j < n && s[j] == '#') {
        j++;
        int hex = j < n && (s[j] == 'x' || s[j] == 'X');
        j += hex;
        uint32_t v = 0;
        size_t digits = 0;
        for (; j < n && digits < 7; j++, digits++) {
            char c = s[j];
            unsigned d;
            if (c >= '0' && c <= '9')
                d = (unsigned)(c - '0');
            else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
                d = (unsigned)((c | 0x20) - 'a' + 10);
            else
                break;
            v = v * (hex ? 16 : 10) + d;
        }
        if (!digits || j >= n || s[j] != ';')
            return 0;
        if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || v < 0x20 ||
            (v >= 0x7F && v < 0xA0))
            v = 0xFFFD;
        *cp = v;
        return j + 1 - i;
    }
    for (size_t k = 0; k < sizeof entities / sizeof entities[0]; k++) {
        size_t len = strlen(entities[k].name);
        if (j + len < n && memcmp(s + j, entities[k].name, len) == 0 && s[j + len] == ';') {
            *cp = entities[k].cp;
            return len + 2;
        }
    }
    return 0;
}

/* Append the text of inline Markdown s[0..n) to o. */
static void inline_md(struct md *m, const char *s, size_t n, struct sc_buf *o)
{
    sc_buf_reset(&m->mask);
    if (sc_buf_grow(&m->mask, n) != SC_OK) {
        m->nomem = 1;
        return;
    }
    unsigned char *mk = (unsigned char *)m->mask.data;
    memset(mk, M_KEEP, n);
    struct line_scan ls;
    if (line_scan_init(m, s, n, &ls)) {
        line_scan_release(&ls);
        m->nomem = 1;
        return;
    }
    for (size_t i = 0; i < n;) {
        char c = s[i];
        if (mk[i] != M_KEEP) {
            i++;
        } else if (c == '\\' && i + 1 < n && is_apunct((unsigned char)s[i + 1])) {
            mk[i] = M_DROP;
            mk[i + 1] = M_VERBATIM;
            i += 2;
        } else if (c == '`') {
            size_t k = i;
            while (k < n && s[k] == '`')
                k++;
            size_t run = k - i, j = k, close = n;
            if (!ticks_again(&ls, run, i))
                j = n; /* no closer anywhere after it */
            while (j < n) {
                if (s[j] != '`') {
                    j++;
                    continue;
                }
                size_t e = j;
                while (e < n && s[e] == '`')
                    e++;
                if (e - j == run) {
                    close = j;
                    break;
                }
                j = e;
            }
            if (close == n) {
                i = k;
                continue;
            }
            memset(mk + i, M_DROP, run);
            memset(mk + k, M_VERBATIM, close - k);
            memset(mk + close, M_DROP, run);
            i = close + run;
        } else if (c == '!' && i + 1 < n && s[i + 1] == '[') {
            size_t rb = match_bracket(&ls, i + 1, n);
            size_t end = n;
            if (rb < n && rb + 1 < n && s[rb + 1] == '(')
                end = match_paren(&ls, rb + 1, n);
            else if (rb < n && rb + 1 < n && s[rb + 1] == '[')
                end = match_bracket(&ls, rb + 1, n);
            if (end < n) { /* images go, alt text and all */
                memset(mk + i, M_DROP, end + 1 - i);
                i = end + 1;
            } else {
                i++;
            }
        } else if (c == '[') {
            size_t rb = match_bracket(&ls, i, n);
            size_t end = n;
            if (rb < n && rb + 1 < n && s[rb + 1] == '(')
                end = match_paren(&ls, rb + 1, n);
            else if (rb < n && rb + 1 < n && s[rb + 1] == '[')
                end = match_bracket(&ls, rb + 1, n);
            if (end < n) { /* [text](url) and [text][ref] -> text */
                mk[i] = M_DROP;
                memset(mk + rb, M_DROP, end + 1 - rb);
            }
            i++;
        } else if (c == '<') {
            int autolink;
            size_t len = html_at(&ls, s, i, n, &autolink);
            if (len && autolink) {
                mk[i] = M_DROP;
                mk[i + len - 1] = M_DROP;
                memset(mk + i + 1, M_VERBATIM, len - 2);
            } else if (len) {
                memset(mk + i, M_DROP, len);
            }
            i += len ? len : 1;
        } else {
            i++;
        }
    }
    line_scan_release(&ls);
    emphasis(s, mk, n);
    for (size_t i = 0; i < n;) {
        if (mk[i] == M_DROP) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && mk[j] == mk[i] && (mk[i] == M_VERBATIM || s[j] != '&'))
            j++;
        if (j > i) {
            sc_buf_add(o, s + i, j - i);
            i = j;
            continue;
        }
        uint32_t cp;
        size_t len = entity_at(s, i, n, &cp);
        if (len) {
            sc_buf_add_cp(o, cp);
            i += len;
        } else {
            sc_buf_addc(o, '&');
            i++;
        }
    }
}

/* ---- block structure ----------------------------------------------------- */

/* "---", "***", "___", "- - -" (3 or more marks, nothing else). */
static int is_break(const char *s, size_t n, char *mark)
{
    size_t count = 0;
    char c = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_space(s[i]))
            continue;
        if ((s[i] != '-' && s[i] != '*' && s[i] != '_' && s[i] != '=') || (c && s[i] != c))
            return 0;
        c = s[i];
        count++;
    }
    *mark = c;
    return c == '=' ? count >= 1 : count >= 3;
}

/* A table delimiter row: "| --- | :-: |", "---|---". */
static int is_table_sep(const char *s, size_t n)
{
    int pipe = 0, dash = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '|')
            pipe = 1;
        else if (c == '-')
            dash = 1;
        else if (c != ':' && !is_space(c))
            return 0;
    }
    return pipe && dash;
}

static int has_pipe(const char *s, size_t n)
{
    return memchr(s, '|', n) != NULL;
}

/* A table row: cells split on '|' outside code spans, trimmed, joined by
 * tabs. */
static void table_row(struct md *m, const char *s, size_t n)
{
    while (n && is_space(s[n - 1]))
        n--;
    size_t i = 0;
    if (i < n && s[i] == '|')
        i++;
    if (n > i && s[n - 1] == '|' && (n < 2 || s[n - 2] != '\\'))
        n--;
    int first = 1;
    while (i <= n) {
        size_t j = i;
        int code = 0;
        while (j < n && (s[j] != '|' || code)) {
            if (s[j] == '\\' && j + 1 < n)
                j++;
            else if (s[j] == '`')
                code = !code;
            j++;
        }
        size_t a = i, b = j;
        while (a < b && is_space(s[a]))
            a++;
        while (b > a && is_space(s[b - 1]))
            b--;
        if (!first)
            sc_buf_addc(m->out, '\t');
        first = 0;
        inline_md(m, s + a, b - a, m->out);
        i = j + 1;
    }
}

/* Finish the line started at start: trailing spaces go (tabs too, except
 * in table rows where they separate empty cells). */
static void end_line(struct md *m, size_t start, int plain)
{
    struct sc_buf *o = m->out;
    while (o->len > start &&
           (o->data[o->len - 1] == ' ' || (plain >= 0 && o->data[o->len - 1] == '\t')))
        o->len--;
    o->data[o->len] = '\0';
    if (o->len == start) /* nothing left after the markup went: no line */
        return;
    sc_buf_addc(o, '\n');
    m->last_start = start;
    m->last_plain = plain > 0;
    m->last_blank = 0;
}

static void blank_line(struct md *m)
{
    if (!m->last_blank && m->out->len)
        sc_buf_addc(m->out, '\n');
    m->last_blank = 1;
    m->last_plain = 0;
}

/* Front matter: "---" on the first line, "key: value" lines, "---" or
 * "..." closing it. Returns the offset after it (0 if there is none). */
static size_t front_matter(struct md *m, const char *s, size_t len)
{
    if (len < 4 || memcmp(s, "---", 3) != 0 || (s[3] != '\n' && s[3] != ' '))
        return 0;
    size_t i = strchr(s, '\n') ? (size_t)(strchr(s, '\n') - s) + 1 : len;
    const char *title = NULL;
    size_t title_len = 0;
    for (int lines = 0; i < len && lines < 200; lines++) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - s) : len;
        size_t n = e - i;
        const char *l = s + i;
        if ((n >= 3 && memcmp(l, "---", 3) == 0) || (n >= 3 && memcmp(l, "...", 3) == 0)) {
            if (title) {
                while (title_len && (title[0] == '"' || title[0] == '\'' || is_space(title[0])))
                    title++, title_len--;
                while (title_len && (title[title_len - 1] == '"' || title[title_len - 1] == '\'' ||
                                     is_space(title[title_len - 1])))
                    title_len--;
                set_title(m, &m->fm_title, title, title_len);
            }
            return nl ? e + 1 : len;
        }
        if (n >= 6 && memcmp(l, "title:", 6) == 0)
            title = l + 6, title_len = n - 6;
        i = nl ? e + 1 : len;
    }
    return 0;
}

enum sc_err sc_ingest_markdown(const char *src, size_t len, struct sc_buf *out, char **title,
                               struct sc_diag *diag)
{
    struct md m;
    memset(&m, 0, sizeof m);
    m.out = out;
    sc_buf_init(&m.mask);
    sc_buf_init(&m.match);
    m.last_blank = 1;
    char fence = 0;
    size_t fence_len = 0;
    int in_table = 0, in_comment = 0;
    size_t i = front_matter(&m, src, len);

    while (i < len && !m.nomem) {
        const char *nl = memchr(src + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - src) : len;
        const char *line = src + i;
        size_t n = e - i;
        size_t next = nl ? e + 1 : len;
        i = next;

        size_t ind = 0;
        while (ind < n && is_space(line[ind]))
            ind++;
        const char *s = line + ind;
        size_t sn = n - ind;

        if (fence) {
            size_t k = 0;
            while (k < sn && s[k] == fence)
                k++;
            size_t r = k;
            while (r < sn && is_space(s[r]))
                r++;
            if (k >= fence_len && r == sn && ind < 4) {
                fence = 0;
                continue;
            }
            sc_buf_add(out, line, n); /* code is text: kept as it is */
            sc_buf_addc(out, '\n');
            m.last_blank = 0, m.last_plain = 0;
            continue;
        }
        if (in_comment) {
            const char *end = NULL;
            for (size_t k = 0; k + 3 <= n; k++)
                if (memcmp(line + k, "-->", 3) == 0) {
                    end = line + k + 3;
                    break;
                }
            if (!end)
                continue;
            in_comment = 0;
            sn = n - (size_t)(end - line);
            s = end;
            while (sn && is_space(s[0]))
                s++, sn--;
            if (sn == 0)
                continue;
        }
        if (sn == 0) {
            in_table = 0;
            blank_line(&m);
            continue;
        }
        if (sn >= 3 && (s[0] == '`' || s[0] == '~')) {
            size_t k = 0;
            while (k < sn && s[k] == s[0])
                k++;
            if (k >= 3 && (s[0] == '~' || !memchr(s + k, '`', sn - k))) {
                fence = s[0];
                fence_len = k;
                continue;
            }
        }
        /* "<!--" that does not close on this line */
        if (sn >= 4 && memcmp(s, "<!--", 4) == 0) {
            int closed = 0;
            for (size_t k = 4; k + 3 <= sn; k++)
                if (memcmp(s + k, "-->", 3) == 0)
                    closed = 1;
            if (!closed) {
                in_comment = 1;
                continue;
            }
        }
        char mark;
        if (is_break(s, sn, &mark)) {
            if (mark == '=' && m.last_plain) /* setext level-1 heading */
                set_title(&m, &m.title, out->data + m.last_start, out->len - m.last_start - 1);
            m.last_plain = 0;
            continue;
        }
        /* reference definitions "[id]: url" carry no text */
        if (s[0] == '[' && (sn < 2 || s[1] != '^')) {
            const char *rb = memchr(s, ']', sn);
            if (rb && (size_t)(rb - s) + 1 < sn && rb[1] == ':')
                continue;
        }
        /* tables */
        if (in_table && is_table_sep(s, sn))
            continue;
        if (has_pipe(s, sn)) {
            int start_table = 0;
            if (!in_table && next < len) {
                const char *nl2 = memchr(src + next, '\n', len - next);
                size_t e2 = nl2 ? (size_t)(nl2 - src) : len;
                start_table = is_table_sep(src + next, e2 - next);
            }
            if (in_table || start_table) {
                in_table = 1;
                size_t at = out->len;
                table_row(&m, s, sn);
                end_line(&m, at, -1);
                continue;
            }
        }
        in_table = 0;

        /* blockquote markers, then list bullets */
        if (sn && s[0] == '>') {
            while (sn && s[0] == '>') {
                s++, sn--;
                while (sn && is_space(s[0]))
                    s++, sn--;
            }
            if (sn == 0) { /* an empty quote line separates paragraphs */
                blank_line(&m);
                continue;
            }
        }
        if (sn >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && is_space(s[1])) {
            s += 2, sn -= 2;
            while (sn && is_space(s[0]))
                s++, sn--;
            if (sn >= 3 && s[0] == '[' && (s[1] == ' ' || s[1] == 'x' || s[1] == 'X') &&
                s[2] == ']') {
                s += 3, sn -= 3;
                while (sn && is_space(s[0]))
                    s++, sn--;
            }
        } else if (sn == 1 && (s[0] == '-' || s[0] == '*' || s[0] == '+')) {
            continue;
        }
        /* ATX headings */
        int level = 0;
        while ((size_t)level < sn && level < 7 && s[level] == '#')
            level++;
        size_t at = out->len;
        if (level >= 1 && level <= 6 && (level == (int)sn || is_space(s[level]))) {
            s += level, sn -= (size_t)level;
            while (sn && is_space(s[0]))
                s++, sn--;
            while (sn && is_space(s[sn - 1]))
                sn--;
            size_t k = sn;
            while (k && s[k - 1] == '#')
                k--;
            if (k < sn && (k == 0 || is_space(s[k - 1])))
                sn = k;
            inline_md(&m, s, sn, out);
            if (level == 1)
                set_title(&m, &m.title, out->data + at, out->len - at);
            end_line(&m, at, 0);
            continue;
        }
        /* a trailing backslash is a hard line break */
        if (sn && s[sn - 1] == '\\')
            sn--;
        inline_md(&m, s, sn, out);
        end_line(&m, at, 1);
    }
    sc_buf_release(&m.mask);
    sc_buf_release(&m.match);
    /* no trailing blank line */
    while (out->len >= 2 && out->data[out->len - 1] == '\n' && out->data[out->len - 2] == '\n')
        out->data[--out->len] = '\0';
    if (m.nomem || sc_buf_err(out)) {
        free(m.title);
        free(m.fm_title);
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    }
    if (m.title) {
        *title = m.title;
        free(m.fm_title);
    } else {
        *title = m.fm_title;
    }
    return SC_OK;
}
