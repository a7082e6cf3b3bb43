/*
 * The Atom 1.0 writer (RFC 4287), ids and times for feeds. Every string
 * goes through sc_xml_text, so a title with "&" or a stray control
 * character cannot break the document.
 */
#include "feed_int.h"

#include <sodium.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Is cp allowed in XML 1.0 character data? */
static int xml_char(uint32_t cp)
{
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
           (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

void sc_xml_text(struct sc_buf *b, const char *s, size_t len)
{
    if (!s)
        return;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            switch (c) {
            case '&': sc_buf_adds(b, "&amp;"); break;
            case '<': sc_buf_adds(b, "&lt;"); break;
            case '>': sc_buf_adds(b, "&gt;"); break;
            case '"': sc_buf_adds(b, "&quot;"); break;
            default:
                if (xml_char(c))
                    sc_buf_addc(b, (char)c);
            }
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = sc_utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            sc_buf_add_cp(b, 0xFFFD);
            i++;
            continue;
        }
        if (xml_char(cp))
            sc_buf_add(b, s + i, n);
        i += n;
    }
}

static void xml_textz(struct sc_buf *b, const char *s)
{
    if (s)
        sc_xml_text(b, s, strlen(s));
}

void sc_time_rfc3339(char out[21], int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(out, 21, "1970-01-01T00:00:00Z");
}

void sc_uuid_urn(char out[SC_UUID_URN_LEN], const char *seed, size_t len)
{
    char hex[65];
    sc_sha256_hex(seed ? seed : "", seed ? len : 0, hex);
    /* version 8 (RFC 9562 §5.8) in the 13th digit, variant 10 in the 17th */
    hex[12] = '8';
    static const char var[] = "89ab";
    unsigned v = (unsigned)(hex[16] >= 'a' ? hex[16] - 'a' + 10 : hex[16] - '0');
    hex[16] = var[v & 3];
    snprintf(out, SC_UUID_URN_LEN, "urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12,
             hex + 16, hex + 20);
}

static void elem(struct sc_buf *b, const char *indent, const char *name, const char *text)
{
    sc_buf_addf(b, "%s<%s>", indent, name);
    xml_textz(b, text);
    sc_buf_addf(b, "</%s>\n", name);
}

static void link_el(struct sc_buf *b, const char *indent, const char *rel, const char *href,
                    const char *type)
{
    if (!href)
        return;
    sc_buf_addf(b, "%s<link rel=\"%s\"", indent, rel);
    if (type)
        sc_buf_addf(b, " type=\"%s\"", type);
    sc_buf_adds(b, " href=\"");
    xml_textz(b, href);
    sc_buf_adds(b, "\"/>\n");
}

void sc_atom_begin(struct sc_buf *b, const struct sc_atom_feed *f)
{
    char t[21];
    sc_buf_adds(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                   "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n");
    elem(b, "  ", "id", f->id);
    sc_buf_adds(b, "  <title type=\"text\">");
    xml_textz(b, f->title && *f->title ? f->title : "sucai");
    sc_buf_adds(b, "</title>\n");
    if (f->subtitle)
        elem(b, "  ", "subtitle", f->subtitle);
    sc_time_rfc3339(t, f->updated);
    elem(b, "  ", "updated", t);
    sc_buf_adds(b, "  <author>\n");
    elem(b, "    ", "name", f->author && *f->author ? f->author : "sucai");
    sc_buf_adds(b, "  </author>\n");
    link_el(b, "  ", "self", f->self, "application/atom+xml");
    link_el(b, "  ", "alternate", f->alternate, "text/html");
    sc_buf_adds(b, "  <generator>sucai</generator>\n");
}

void sc_atom_add(struct sc_buf *b, const struct sc_atom_entry *e)
{
    char t[21];
    sc_buf_adds(b, "  <entry>\n");
    elem(b, "    ", "id", e->id);
    sc_buf_adds(b, "    <title type=\"text\">");
    xml_textz(b, e->title && *e->title ? e->title : "-");
    sc_buf_adds(b, "</title>\n");
    sc_time_rfc3339(t, e->updated);
    elem(b, "    ", "updated", t);
    if (e->published) {
        sc_time_rfc3339(t, e->published);
        elem(b, "    ", "published", t);
    }
    if (e->author && *e->author) {
        sc_buf_adds(b, "    <author>\n");
        elem(b, "      ", "name", e->author);
        sc_buf_adds(b, "    </author>\n");
    }
    link_el(b, "    ", "alternate", e->link, "text/html");
    for (size_t i = 0; i < e->ncategories; i++) {
        if (!e->categories[i] || !*e->categories[i])
            continue;
        sc_buf_adds(b, "    <category term=\"");
        xml_textz(b, e->categories[i]);
        sc_buf_adds(b, "\"/>\n");
    }
    if (e->summary) {
        sc_buf_adds(b, "    <summary type=\"text\">");
        xml_textz(b, e->summary);
        sc_buf_adds(b, "</summary>\n");
    }
    sc_buf_adds(b, "  </entry>\n");
}

void sc_atom_end(struct sc_buf *b)
{
    sc_buf_adds(b, "</feed>\n");
}

void sc_feed_random(unsigned char *out, size_t n)
{
    if (sodium_init() < 0) { /* cannot happen once initialised; never hand out zeros */
        abort();
    }
    randombytes_buf(out, n);
}
