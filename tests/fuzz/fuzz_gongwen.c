/*
 * libFuzzer target: the 公文 parser. Any valid UTF-8 is parsed (the first
 * line of the input doubles as a docx title hint on a second run); the
 * result is either a refusal with a message or articles whose offsets are
 * inside their text and monotonic, whose sections nest, whose points lie
 * inside their sections, with text that is valid UTF-8. The JSON dump, the
 * outline of the raw input and the near-duplicate functions run too.
 */
#include "sucai/gongwen.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)  \
    do {             \
        if (!(cond)) \
            abort(); \
    } while (0)

static void check_sections(const struct sc_section *s, size_t n, int64_t total)
{
    for (size_t k = 0; k < n; k++) {
        CHECK(s[k].label && s[k].heading);
        CHECK(0 <= s[k].start_cp && s[k].start_cp < s[k].end_cp && s[k].end_cp <= total);
        CHECK(s[k].level >= 1 && s[k].kind >= 0 && s[k].kind < SC_KIND_COUNT);
        if (k > 0)
            CHECK(s[k - 1].start_cp < s[k].start_cp);
        /* nested in the nearest earlier section of a lower level, and no
         * section of the same or a lower level starts inside it */
        for (size_t j = k; j-- > 0;) {
            if (s[j].level < s[k].level) {
                CHECK(s[k].end_cp <= s[j].end_cp);
                break;
            }
            CHECK(s[j].end_cp <= s[k].start_cp);
        }
        for (size_t j = 0; j < s[k].npoints; j++) {
            const struct sc_point *p = &s[k].points[j];
            CHECK(p->label && strlen(p->label) > 0);
            CHECK(s[k].start_cp <= p->start_cp && p->start_cp < p->end_cp &&
                  p->end_cp <= s[k].end_cp);
            if (j > 0)
                CHECK(s[k].points[j - 1].end_cp <= p->start_cp);
        }
    }
}

static void check(const struct sc_parsed *p, size_t input_len)
{
    CHECK(p->narticles > 0);
    int64_t last_line = 0;
    for (size_t i = 0; i < p->narticles; i++) {
        const struct sc_article *a = &p->articles[i];
        CHECK(a->title && a->text.data);
        CHECK(a->text.len <= input_len + strlen(a->title) + 1);
        CHECK(sc_utf8_valid(a->text.data, a->text.len, NULL));
        CHECK(strncmp(a->text.data, a->title, strlen(a->title)) == 0);
        CHECK(a->src_line > last_line);
        last_line = a->src_line;
        int64_t total = (int64_t)sc_utf8_count(a->text.data, a->text.len);
        CHECK(a->paid_from_cp >= -1 && a->paid_from_cp < total);
        CHECK(a->paid_to_cp == -1 ||
              (a->paid_from_cp >= 0 && a->paid_from_cp < a->paid_to_cp && a->paid_to_cp < total));
        CHECK(a->year == 0 || (a->year >= 1949 && a->year <= 2100));
        CHECK(!a->level || a->unit);
        for (size_t t = 0; t < a->ntopics; t++)
            CHECK(a->topics[t] && strlen(a->topics[t]) > 0);
        check_sections(a->sections, a->nsections, total);
    }
    for (size_t i = 0; i < p->nboiler; i++) {
        CHECK(p->boiler[i].text && p->boiler[i].reason && p->boiler[i].line >= 1);
        if (i > 0)
            CHECK(p->boiler[i - 1].line < p->boiler[i].line);
    }
}

static void one(const char *text, size_t len, const char *hint)
{
    struct sc_parsed p;
    struct sc_diag diag = { 0 };
    enum sc_err err = sc_gongwen_parse(text, len, hint, &p, &diag);
    if (err == SC_OK) {
        check(&p, len);
        struct sc_buf json = SC_BUF_INIT;
        sc_parsed_json(&json, &p);
        CHECK(sc_buf_err(&json) == SC_OK && sc_utf8_valid(json.data, json.len, NULL));
        sc_buf_release(&json);
        const struct sc_article *a = &p.articles[0];
        CHECK(sc_similarity(a->text.data, a->text.len, a->text.data, a->text.len) == 1.0);
        (void)sc_simhash(a->text.data, a->text.len);
    } else {
        CHECK(err == SC_EPARSE && diag.msg[0] != '\0');
        CHECK(p.narticles == 0 && p.nboiler == 0);
    }
    sc_parsed_release(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    if (!sc_utf8_valid(text, size, NULL))
        return 0;
    one(text, size, NULL);
    /* the first line as a title hint */
    const char *nl = memchr(text, '\n', size);
    if (nl && nl > text) {
        char *hint = malloc((size_t)(nl - text) + 1);
        if (!hint)
            return 0;
        memcpy(hint, text, (size_t)(nl - text));
        hint[nl - text] = '\0';
        one(nl + 1, size - (size_t)(nl - text) - 1, hint);
        free(hint);
    }
    /* the outline of the raw input */
    struct sc_section *s = NULL;
    size_t n = 0;
    if (sc_outline_parse(text, size, &s, &n) == SC_OK) {
        check_sections(s, n, (int64_t)sc_utf8_count(text, size));
        sc_sections_free(s, n);
    }
    return 0;
}
