/*
 * The .txt and .md writers. The .txt has the shape of the 汇编 files
 * writers already trade: the title, "目录", one "title<TAB>page" line per
 * article, then the articles (title, blank line, paragraphs) three blank
 * lines apart. The .md says the same in Markdown: # title, ## 目录 as a
 * list, ## per article, ### to ###### for the 公文 heading levels.
 */
#include "export_int.h"

#include <string.h>

/* Paragraph text on one line: tabs and other controls become spaces. */
static void put_line(struct sc_buf *b, const char *s, size_t len)
{
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F) {
            sc_buf_add(b, s + run, i - run);
            if (c != '\r')
                sc_buf_addc(b, ' ');
            run = i + 1;
        }
    }
    sc_buf_add(b, s + run, len - run);
}

enum sc_err sc_ex_write_txt(const struct sc_ex_plan *p, struct sc_buf *out)
{
    int first_article = 1;
    for (size_t k = 0; k < p->nblocks; k++) {
        const struct sc_ex_block *b = &p->blocks[k];
        switch (b->kind) {
        case SC_EX_TITLE:
            put_line(out, b->text, b->len);
            sc_buf_adds(out, "\n\n");
            break;
        case SC_EX_TOC_HEADING: sc_buf_adds(out, "目录\n\n"); break;
        case SC_EX_TOC_ENTRY:
            put_line(out, b->text, b->len);
            sc_buf_addf(out, "\t%d\n", p->first_page[b->doc]);
            break;
        case SC_EX_ART_TITLE:
            if (!p->single)
                sc_buf_adds(out, first_article ? "\n\n" : "\n\n\n");
            first_article = 0;
            put_line(out, b->text, b->len);
            sc_buf_adds(out, "\n\n");
            break;
        case SC_EX_HEADING:
        case SC_EX_PARA:
            put_line(out, b->text, b->len);
            sc_buf_addc(out, '\n');
            break;
        case SC_EX_NOTE:
            sc_ex_note_text(out, b);
            sc_buf_addc(out, '\n');
            break;
        }
    }
    return sc_buf_err(out);
}

/* Markdown: escape what would otherwise be markup. Inline: \ ` * _ [ ] < >
 * and |; at the start of a line also # + - = > and "1." / "1)" list
 * markers. */
static void put_md(struct sc_buf *b, const char *s, size_t len, int line_start)
{
    size_t i = 0;
    if (line_start && len) {
        unsigned char c = (unsigned char)s[0];
        if (c == '#' || c == '+' || c == '-' || c == '=' || c == '>' || c == '~')
            sc_buf_addc(b, '\\');
        size_t d = 0;
        while (d < len && d < 9 && s[d] >= '0' && s[d] <= '9')
            d++;
        if (d && d < len && (s[d] == '.' || s[d] == ')')) {
            sc_buf_add(b, s, d);
            sc_buf_addc(b, '\\');
            i = d;
        }
    }
    size_t run = i;
    for (; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        if (c == '\\' || c == '`' || c == '*' || c == '_' || c == '[' || c == ']' || c == '<' ||
            c == '>' || c == '|')
            rep = "\\";
        else if (c < 0x20 || c == 0x7F)
            rep = "";
        if (!rep)
            continue;
        sc_buf_add(b, s + run, i - run);
        if (*rep) {
            sc_buf_adds(b, rep);
            sc_buf_addc(b, (char)c);
        } else if (c != '\r') {
            sc_buf_addc(b, ' ');
        }
        run = i + 1;
    }
    sc_buf_add(b, s + run, len - run);
}

static int is_punct(uint32_t c)
{
    return (c < 0x80 &&
            !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) ||
           (c >= 0x2010 && c <= 0x206F) || (c >= 0x3000 && c <= 0x303F) ||
           (c >= 0xFF00 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) ||
           (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65);
}

/* How much of an inline heading s[0..h) to put in **bold**: without its
 * final punctuation, since CommonMark does not close "**" between a
 * punctuation mark and a letter (Chinese text has no spaces to help).
 * 0 when what is left still ends in punctuation. */
static size_t bold_len(const char *s, size_t h)
{
    while (h) {
        size_t k = h - 1;
        while (k && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
        uint32_t c;
        if (sc_utf8_decode(s + k, h - k, &c) == 0)
            return 0;
        if (c == 0x3002 || c == 0xFF1A || c == 0xFF0C || c == 0xFF1B || c == ':' || c == '.' ||
            c == ',' || c == ';') {
            h = k; /* 。：，； left outside */
            continue;
        }
        return is_punct(c) ? 0 : h;
    }
    return 0;
}

enum sc_err sc_ex_write_md(const struct sc_ex_plan *p, struct sc_buf *out)
{
    for (size_t k = 0; k < p->nblocks; k++) {
        const struct sc_ex_block *b = &p->blocks[k];
        switch (b->kind) {
        case SC_EX_TITLE:
            sc_buf_adds(out, "# ");
            put_md(out, b->text, b->len, 0);
            sc_buf_adds(out, "\n\n");
            break;
        case SC_EX_TOC_HEADING: sc_buf_adds(out, "## 目录\n\n"); break;
        case SC_EX_TOC_ENTRY:
            sc_buf_adds(out, "- ");
            put_md(out, b->text, b->len, 0);
            sc_buf_addf(out, " …… %d\n", p->first_page[b->doc]);
            if (k + 1 < p->nblocks && p->blocks[k + 1].kind != SC_EX_TOC_ENTRY)
                sc_buf_addc(out, '\n');
            break;
        case SC_EX_ART_TITLE:
            sc_buf_adds(out, p->single ? "# " : "## ");
            put_md(out, b->text, b->len, 0);
            sc_buf_adds(out, "\n\n");
            break;
        case SC_EX_HEADING:
            for (int l = 0; l < b->level + (p->single ? 1 : 2); l++)
                sc_buf_addc(out, '#');
            sc_buf_addc(out, ' ');
            put_md(out, b->text, b->len, 0);
            sc_buf_adds(out, "\n\n");
            break;
        case SC_EX_PARA:
            if (b->head_len && b->level <= 2 && bold_len(b->text, b->head_len)) {
                /* an inline heading: the heading sentence in bold */
                size_t h = bold_len(b->text, b->head_len);
                sc_buf_adds(out, "**");
                put_md(out, b->text, h, 0);
                sc_buf_adds(out, "**");
                put_md(out, b->text + h, b->len - h, 0);
            } else {
                put_md(out, b->text, b->len, 1);
            }
            sc_buf_adds(out, "\n\n");
            break;
        case SC_EX_NOTE:
            sc_buf_addc(out, '*');
            sc_ex_note_text(out, b);
            sc_buf_adds(out, "*\n\n");
            break;
        }
    }
    return sc_buf_err(out);
}
