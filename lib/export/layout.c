/*
 * The layout model: how many lines a paragraph takes on the GB/T 9704 page
 * (22 lines of 28 characters). It follows what Word and LibreOffice do
 * with the .docx this part writes: full-width characters advance one em
 * less 0.25 pt, Latin text advances by Times New Roman metrics, a run of
 * Latin letters and digits is one unbreakable word, a little space
 * separates Chinese from Latin text, and CJK line breaking (kinsoku)
 * applies: closing punctuation never starts a line (，。、；：！？ hang in
 * the margin instead; the others pull the previous character down),
 * opening punctuation never ends one. The page numbers of the 目录 come
 * from these counts; docs/internals/export.md gives the rules and how they
 * were checked against LibreOffice line by line.
 */
#include "export_int.h"

#include <string.h>

/* Times New Roman / Liberation Serif advances of U+0020..U+007E, in
 * 1/2048 em. */
static const unsigned short latin_adv[95] = {
    512,  682,  836,  1024, 1024, 1706, 1593, 369,  682,  682,  1024, 1155, 512,  682,  512,  569,
    1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 569,  569,  1155, 1155, 1155, 909,
    1886, 1479, 1366, 1366, 1479, 1251, 1139, 1479, 1479, 682,  797,  1479, 1251, 1821, 1479, 1479,
    1139, 1479, 1366, 1139, 1251, 1479, 1479, 1933, 1479, 1479, 1251, 682,  569,  682,  961,  1024,
    682,  909,  1024, 909,  1024, 909,  682,  1024, 1024, 569,  569,  1024, 569,  1593, 1024, 1024,
    1024, 1024, 682,  797,  569,  1024, 1024, 1479, 1024, 1024, 909,  983,  410,  983,  1108,
};

static int zero_width(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x200B || cp == 0x200C || cp == 0x200D ||
           cp == 0x2060 || cp == 0xFEFF || (cp >= 0x0300 && cp <= 0x036F);
}

/* Which font a character is set in. Word and LibreOffice agree on the
 * strong classes; the weak ones (spaces, general punctuation, symbols)
 * follow the text before them (the styles hint them eastAsia, and
 * LibreOffice gives a weak character the script of the one before it). */
enum {
    SCRIPT_WEAK,
    SCRIPT_ASIAN,
    SCRIPT_LATIN
};

static int script_of(uint32_t cp)
{
    if (cp == ' ' || cp == 0xA0)
        return SCRIPT_WEAK;
    if (cp < 0x0300 || (cp >= 0x0370 && cp < 0x0590))
        return SCRIPT_LATIN; /* Latin, Greek, Cyrillic, Armenian */
    if ((cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x2E80 && cp <= 0xD7AF) ||
        (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
        (cp >= 0xFF00 && cp <= 0xFFEF) || cp >= 0x20000)
        return SCRIPT_ASIAN;
    if (cp >= 0x2000 && cp <= 0x2BFF)
        return SCRIPT_WEAK; /* general punctuation, symbols, arrows, shapes */
    return SCRIPT_LATIN;
}

/* Letters and digits (a kerning space separates them across scripts;
 * punctuation never gets one). */
static int letter_or_digit(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
    if (cp >= 0x3000 && cp <= 0x303F)
        return cp == 0x3005 || cp == 0x3007; /* 々 〇 */
    if (cp >= 0xFF00 && cp <= 0xFFEF)
        return (cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
               (cp >= 0xFF41 && cp <= 0xFF5A) || (cp >= 0xFF66 && cp <= 0xFFDC);
    if (cp >= 0x2000 && cp <= 0x2BFF)
        return (cp >= 0x2460 && cp <= 0x249B); /* ①⑴ ... */
    if (cp >= 0xA0 && cp < 0xC0)
        return 0;
    return cp != 0xD7 && cp != 0xF7;
}

/* Advance in 1/2048 em of a character set in Times New Roman. */
static int latin_em(uint32_t cp)
{
    if (cp >= 0x20 && cp < 0x7F)
        return latin_adv[cp - 0x20];
    switch (cp) {
    case 0x00B7: return 512; /* · */
    case 0x00D7:
    case 0x00F7: return 1155; /* × ÷ */
    case 0x00B0: return 819;  /* ° */
    case 0x2018:
    case 0x2019: return 682; /* ‘ ’ */
    case 0x201C:
    case 0x201D: return 909;  /* “ ” */
    case 0x2013: return 1024; /* – */
    case 0x2014:
    case 0x2026:
    case 0x2030: return 2048; /* — … ‰ */
    default: return 1024;
    }
}

int sc_ex_is_wide(uint32_t cp)
{
    return script_of(cp) == SCRIPT_ASIAN;
}

/* Advance of cp set in script (1/100 pt, condensed). */
static int advance(uint32_t cp, int script, int size)
{
    if (zero_width(cp))
        return 0;
    if (script == SCRIPT_ASIAN) {
        if (cp >= 0xFF61 && cp <= 0xFFDC)
            return size / 2 - SC_EX_KERN; /* half-width forms */
        if (cp == ' ' || cp == 0xA0)
            return size * 224 / 1000 - SC_EX_KERN; /* the CJK font's space */
        return size - SC_EX_KERN;
    }
    return latin_em(cp) * size / 2048 - SC_EX_KERN;
}

int sc_ex_char_width(uint32_t cp, int size)
{
    int sc = script_of(cp);
    return advance(cp, sc == SCRIPT_WEAK ? SCRIPT_ASIAN : sc, size);
}

int sc_ex_no_line_start(uint32_t cp)
{
    /* clang-format off */
    switch (cp) {
    case '!': case ')': case ',': case '.': case ':': case ';': case '?': case ']':
    case '}': case '%': case '-':
    case 0x00B7: /* · */
    case 0x2019: case 0x201D: /* ’ ” */
    case 0x2026: case 0x2030: /* … ‰ */
    case 0x3001: case 0x3002: /* 、 。 */
    case 0x3009: case 0x300B: case 0x300D: case 0x300F: case 0x3011: /* 〉》」』】 */
    case 0x3015: case 0x3017: /* 〕 〗 */
    case 0xFF01: case 0xFF05: case 0xFF09: case 0xFF0C: case 0xFF0E: /* ！％），． */
    case 0xFF1A: case 0xFF1B: case 0xFF1F: case 0xFF3D: case 0xFF5D: /* ：；？］｝ */
        return 1;
    default:
        return 0;
    }
    /* clang-format on */
}

int sc_ex_no_line_end(uint32_t cp)
{
    /* clang-format off */
    switch (cp) {
    case '(': case '[': case '{':
    case 0x2018: case 0x201C: /* ‘ “ */
    case 0x3008: case 0x300A: case 0x300C: case 0x300E: case 0x3010: /* 〈《「『【 */
    case 0x3014: case 0x3016: /* 〔 〖 */
    case 0xFF08: case 0xFF3B: case 0xFF5B: /* （［｛ */
        return 1;
    default:
        return 0;
    }
    /* clang-format on */
}

int sc_ex_hangs(uint32_t cp)
{
    /* clang-format off */
    switch (cp) {
    case 0x3001: case 0x3002: /* 、 。 */
    case 0xFF01: case 0xFF0C: case 0xFF0E: case 0xFF1A: case 0xFF1B: case 0xFF1F: /* ！，．：；？ */
    case '!': case ',': case '.': case ':': case ';': case '?':
        return 1;
    default:
        return 0;
    }
    /* clang-format on */
}

/* Characters of a Latin word: printable ASCII, and the middle dot that
 * joins numbers ("5·10"). */
static int is_word_char(uint32_t cp)
{
    return (cp > 0x20 && cp < 0x7F) || cp == 0x00B7;
}

/* Walks a paragraph character by character, resolving weak scripts and
 * the kerning space between scripts. */
struct walker {
    const char *s;
    size_t len;
    int size;
    int script;    /* resolved script of the previous character */
    uint32_t prev; /* previous character (0 at the start of a line) */
    int alnum;     /* script of the last letter or digit (0: none yet) */
};

/* Width of the character at i (and its byte length in *n), including the
 * kerning space before it when it starts a new script. */
static int walk_char(struct walker *w, size_t i, size_t *n, uint32_t *out)
{
    uint32_t cp;
    *n = sc_utf8_decode(w->s + i, w->len - i, &cp);
    if (*n == 0)
        *n = 1;
    *out = cp;
    if (zero_width(cp))
        return 0;
    int sc = script_of(cp);
    if (sc == SCRIPT_WEAK)
        sc = w->script ? w->script : SCRIPT_LATIN; /* at the start: the default script */
    int width = advance(cp, sc, w->size);
    if (w->prev && w->script && sc != w->script) {
        /* a new portion: the last character of the one before keeps its
         * full advance (character spacing applies between characters of
         * a portion), and letters or digits on both sides get a kerning
         * space of a fifth of the font size */
        width += SC_EX_KERN;
        if ((sc == SCRIPT_ASIAN || w->script == SCRIPT_ASIAN) && letter_or_digit(w->prev) &&
            letter_or_digit(cp))
            width += w->size * SC_EX_BOUNDARY_PCT / 100;
    }
    w->script = sc;
    w->prev = cp;
    if (letter_or_digit(cp))
        w->alnum = sc;
    return width;
}

/* One unit of line breaking: a character (with the zero-width ones after
 * it), or a run of printable ASCII (a word: no break inside). */
struct item {
    size_t start, end;
    int width;
    uint32_t first, last;
};

static void read_item(struct walker *w, size_t i, int line_w, struct item *it)
{
    size_t n;
    uint32_t cp;
    struct walker save = *w;
    it->start = i;
    it->width = walk_char(w, i, &n, &cp);
    it->first = it->last = cp;
    i += n;
    if (is_word_char(cp) && cp != '-') {
        /* a word ends after a hyphen: "增幅-" may end a line before "26.13%" */
        size_t j = i;
        int width = it->width;
        uint32_t last = cp, next;
        while (j < w->len && last != '-' && sc_utf8_decode(w->s + j, w->len - j, &next) &&
               is_word_char(next)) {
            width += walk_char(w, j, &n, &last);
            j += n;
        }
        if (width <= line_w) {
            it->width = width;
            it->last = last;
            i = j;
        } else {
            /* longer than a line: break it anywhere */
            *w = save;
            it->width = walk_char(w, it->start, &n, &cp);
        }
    }
    while (i < w->len) {
        size_t k = sc_utf8_decode(w->s + i, w->len - i, &cp);
        if (k == 0 || !zero_width(cp))
            break;
        i += k;
    }
    it->end = i;
}

/* May a line end between a and b? Besides kinsoku: an opening quote
 * sticks to the Latin text before it (the quotation rule of Unicode line
 * breaking, which LibreOffice relaxes only after Chinese characters). */
static int may_break(uint32_t a, uint32_t b)
{
    if (sc_ex_no_line_start(b) || sc_ex_no_line_end(a))
        return 0;
    if ((b == 0x201C || b == 0x2018) && a < 0x7F)
        return 0;
    return 1;
}

#define MAX_LINE_ITEMS 256

int sc_ex_break_lines(const char *s, size_t len, int size, int line_w, int first_indent,
                      sc_ex_line_fn *on_line, void *ctx)
{
    size_t starts[MAX_LINE_ITEMS]; /* items placed on the current line */
    uint32_t firsts[MAX_LINE_ITEMS], lasts[MAX_LINE_ITEMS];
    size_t nitems = 0, line_start = 0, i = 0;
    int pos = first_indent, lines = 0;
    struct walker w = { s, len, size, 0, 0, 0 };
    struct walker at_line = w; /* the walker at line_start */
    if (line_w < size)
        line_w = size;

    while (i < len) {
        struct item it;
        struct walker before = w;
        read_item(&w, i, line_w, &it);
        /* ，。、；：！？ may hang in the margin, but only in Chinese text
         * (the last letter or digit before them is Chinese): after a
         * Latin word the punctuation goes down with it */
        int hang =
            sc_ex_hangs(it.first) && pos <= line_w && before.prev && before.alnum == SCRIPT_ASIAN;
        /* + SC_EX_KERN: the last character on a line is not condensed */
        if (pos + it.width + SC_EX_KERN <= line_w || nitems == 0 || hang) {
            if (nitems < MAX_LINE_ITEMS) {
                starts[nitems] = it.start;
                firsts[nitems] = it.first;
                lasts[nitems] = it.last;
            }
            nitems++;
            pos += it.width;
            i = it.end;
            continue;
        }
        /* it does not fit: the line ends before it, or earlier where
         * kinsoku forbids ending there */
        size_t k = nitems; /* the next line starts with item k (k == nitems: it) */
        uint32_t next_first = it.first;
        if (nitems <= MAX_LINE_ITEMS) {
            while (k > 1 && !may_break(lasts[k - 1], next_first)) {
                k--;
                next_first = firsts[k];
            }
        }
        size_t brk = k < nitems ? starts[k] : it.start;
        /* spaces where the line breaks stay at its end, taking no room */
        while (brk < len) {
            if (s[brk] == ' ')
                brk++;
            else if (len - brk >= 3 && memcmp(s + brk, "\xE3\x80\x80", 3) == 0)
                brk += 3;
            else
                break;
        }
        lines++;
        if (on_line)
            on_line(ctx, line_start, brk);
        /* a new line: the script carries on, no kerning space at its start */
        if (brk == it.start) {
            w = before;
        } else {
            w = at_line; /* kinsoku moved the break back: walk up to it */
            for (size_t j = line_start; j < brk;) {
                size_t n;
                uint32_t cp;
                walk_char(&w, j, &n, &cp);
                j += n;
            }
        }
        w.prev = 0;
        at_line = w;
        line_start = brk;
        i = brk;
        nitems = 0;
        pos = 0;
    }
    if (nitems > 0 || lines == 0) {
        lines++;
        if (on_line)
            on_line(ctx, line_start, len);
    }
    return lines;
}

int sc_ex_text_width(const char *s, size_t len, int size)
{
    struct walker w = { s, len, size, 0, 0, 0 };
    int width = 0;
    size_t i = 0, n;
    uint32_t cp;
    while (i < len) {
        width += walk_char(&w, i, &n, &cp);
        i += n;
    }
    return width;
}
