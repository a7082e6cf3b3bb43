/*
 * 套用: fill the XX-style slots of a template (XX, XXX, ××, ＸＸ, 某某, a lone
 * X before a unit of a figure) from a profile. A slot's kind comes from the
 * words around it:
 *  unit:   before 局/委/办/厅/部/院/单位/公司/委员会/办公室/政府 … (XX发改委);
 *  place:  before 省/市/县/区/镇/乡/村/街道/社区 (XX市人民政府: the place);
 *  person: before 同志/主任/书记/局长 …, after 联系人：/负责人：/姓名：;
 *  date:   X年X月X日 as a whole, or before 年/月/日;
 *  number: before 万/亿/元/人/个/%/项/家/次/名/户 …
 * When the value already ends with the word after the slot (海淀区 before
 * 区), that word is not written twice. A slot of no known kind, or of a
 * kind the profile has no value for, stays as it is.
 */
#include "mask_int.h"

#include <stdlib.h>
#include <string.h>

static const char *const slot_names[SC_SLOT_COUNT] = { "unit", "place", "person",
                                                       "date", "number", "unknown" };

const char *sc_slot_kind_name(enum sc_slot_kind k)
{
    return (unsigned)k < SC_SLOT_COUNT ? slot_names[k] : "unknown";
}

static int is_x(uint32_t c)
{
    return c == 'X' || c == 0xFF38 || c == 0x00D7;
}

static int alnum(uint32_t c)
{
    if (c >= 0xFF01 && c <= 0xFF5E)
        c -= 0xFEE0;
    return m_digit(c) || m_latin(c);
}

static const char *const unit_words =
    "人民政府|委员会|办公室|办公厅|管理局|发改委|政府|公司|集团|单位|中心|学校|医院|银行|协会|"
    "局|委|办|厅|部|院|所|处|科|室|站|队|会|社|校";
static const char *const place_words = "省|市|县|区|镇|乡|村|街道|社区|州|盟|旗";
static const char *const person_after = "同志|主任|副主任|书记|副书记|局长|副局长|部长|处长|科长|"
                                        "县长|市长|区长|镇长|乡长|村长|经理|先生|女士|老师|校长|院长";
static const char *const person_before = "联系人|负责人|姓名|签发人|经办人|审核人|主持人|报告人|"
                                         "申请人|法定代表人|同志";
static const char figure_units[] = "万亿元人个%％项家次名户余多千百十吨米亩件台辆所条天倍岁套";

size_t slot_at(const struct mdoc *d, size_t i)
{
    uint32_t c = d->cp[i];
    uint32_t prev = i > 0 ? d->cp[i - 1] : 0;
    if (is_x(c)) {
        if (alnum(prev))
            return 0;
        size_t j = i;
        while (j < d->n && is_x(d->cp[j]))
            j++;
        uint32_t next = md_at(d, j);
        if (alnum(next))
            return 0;
        if (j - i >= 2)
            return j - i;
        if (md_in(figure_units, next) || md_in("年月日", next))
            return 1;
        if (md_match(d, j, "射线") || md_match(d, j, "光"))
            return 0;
        return 0;
    }
    if (c == 0x67D0 /* 某 */ && md_at(d, i + 1) == 0x67D0) {
        size_t j = i;
        while (j < d->n && d->cp[j] == 0x67D0)
            j++;
        return j - i;
    }
    return 0;
}

struct profile {
    const char *v[SC_SLOT_COUNT];
    size_t len[SC_SLOT_COUNT];
};

static enum sc_err read_profile(struct sc_json *j, const char *p, size_t len, struct profile *pf,
                                struct sc_diag *diag)
{
    memset(pf, 0, sizeof *pf);
    enum sc_err e = sc_json_parse(j, p, len, 10000, diag);
    if (e != SC_OK)
        return e;
    const struct sc_json_node *root = sc_json_root(j);
    if (!root || root->type != SC_JSON_OBJ)
        return sc_diag_set(diag, SC_EINVAL, "profile: must be a JSON object such as "
                                            "{\"unit\": \"海淀区发改委\", \"place\": \"海淀区\"}");
    for (const struct sc_json_node *m = sc_json_first(j, root); m; m = sc_json_next(j, m)) {
        size_t kl;
        const char *key = sc_json_key(j, m, &kl);
        int k = -1;
        for (int q = 0; q < SC_SLOT_UNKNOWN; q++)
            if (key && !strcmp(key, slot_names[q]))
                k = q;
        if (k < 0)
            return sc_diag_set(diag, SC_EINVAL,
                               "profile: \"%.40s\" is not a slot kind (unit, place, person, date, "
                               "number)",
                               key ? key : "");
        if (m->type == SC_JSON_NULL)
            continue;
        size_t vl;
        const char *v = sc_json_string(j, m, &vl);
        if (!v)
            return sc_diag_set(diag, SC_EINVAL, "profile: \"%s\" must be a string", key);
        if (memchr(v, '\n', vl))
            return sc_diag_set(diag, SC_EINVAL, "profile: \"%s\" must be one line", key);
        pf->v[k] = vl ? v : NULL;
        pf->len[k] = vl;
    }
    return SC_OK;
}

static int add_slot(struct sc_fill_result *r, size_t s, size_t e, enum sc_slot_kind k,
                    const char *v, size_t vl)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        struct sc_slot *p = sc_reallocarray(r->slots, cap, sizeof *p);
        if (!p)
            return -1;
        r->slots = p;
        r->cap = cap;
    }
    char *val = NULL;
    if (v) {
        val = sc_strndup(v, vl);
        if (!val)
            return -1;
    }
    r->slots[r->n++] = (struct sc_slot){ s, e, k, val };
    return 0;
}

/* Does the UTF-8 value end with the code points d[i..i+n)? */
static int value_ends_with(const char *v, size_t vl, const struct mdoc *d, size_t i, size_t n)
{
    size_t bs = d->off[i], be = d->off[i + n], wl = be - bs;
    return vl > wl && !memcmp(v + vl - wl, d->text + bs, wl);
}

enum sc_err sc_fill_run(const char *text, size_t len, const char *profile, size_t profile_len,
                        struct sc_fill_result *out, struct sc_diag *diag)
{
    memset(out, 0, sizeof *out);
    sc_buf_init(&out->text);
    if (len > SC_MASK_MAX_BYTES)
        return sc_diag_set(diag, SC_ELIMIT, "fill: the template has %zu bytes, more than %u", len,
                           SC_MASK_MAX_BYTES);
    struct sc_json j;
    struct profile pf;
    enum sc_err e = read_profile(&j, profile ? profile : "", profile_len, &pf, diag);
    struct mdoc d;
    memset(&d, 0, sizeof d);
    d.text = text ? text : "";
    d.len = len;
    if (e == SC_OK) {
        d.cp = sc_malloc((len + 1) * sizeof *d.cp);
        d.off = sc_malloc((len + 1) * sizeof *d.off);
        if (!d.cp || !d.off)
            e = sc_diag_set(diag, SC_ENOMEM, "fill: out of memory");
    }
    for (size_t i = 0; e == SC_OK && i < len;) {
        uint32_t c;
        size_t used = sc_utf8_decode(d.text + i, len - i, &c);
        if (!used) {
            e = sc_diag_set(diag, SC_EINVAL, "fill: invalid UTF-8 at byte %zu", i);
            break;
        }
        d.cp[d.n] = c;
        d.off[d.n++] = i;
        i += used;
    }
    if (e == SC_OK) {
        d.off[d.n] = len;
        d.cp[d.n] = 0;
    }
    size_t at = 0; /* bytes of the template written */
    for (size_t i = 0; e == SC_OK && i < d.n; i++) {
        size_t n = slot_at(&d, i);
        if (!n)
            continue;
        size_t s = i, se = i + n; /* the slot, code points */
        size_t consume = se;      /* what the value replaces */
        enum sc_slot_kind kind = SC_SLOT_UNKNOWN;
        const char *v = NULL;
        size_t vl = 0, w;
        /* X年X月X日 as one date */
        size_t k = se;
        if (md_at(&d, k) == 0x5E74 /* 年 */) {
            size_t m2 = slot_at(&d, k + 1);
            if (m2 && md_at(&d, k + 1 + m2) == 0x6708) {
                size_t m3 = slot_at(&d, k + 2 + m2);
                if (m3 && md_at(&d, k + 2 + m2 + m3) == 0x65E5) {
                    kind = SC_SLOT_DATE;
                    se = consume = k + 3 + m2 + m3;
                }
            }
        }
        if (kind == SC_SLOT_UNKNOWN) {
            size_t wu = md_word(&d, se, unit_words), wp = md_word(&d, se, place_words);
            if (md_word(&d, se, person_after) ||
                md_word_before(&d, s > 0 && (d.cp[s - 1] == 0xFF1A || d.cp[s - 1] == ':') ? s - 1 : s,
                               person_before))
                kind = SC_SLOT_PERSON;
            else if (wp && !(wu > wp))
                kind = SC_SLOT_PLACE;
            else if (wu)
                kind = SC_SLOT_UNIT;
            else if (md_in(figure_units, md_at(&d, se)))
                kind = SC_SLOT_NUMBER;
            else if (md_in("年月日", md_at(&d, se)))
                kind = SC_SLOT_DATE;
            else if (md_word_before(&d, s, "在|位于|来到|赴|前往|地处"))
                kind = SC_SLOT_PLACE;
        }
        if (kind != SC_SLOT_UNKNOWN && pf.v[kind]) {
            v = pf.v[kind];
            vl = pf.len[kind];
            if (kind == SC_SLOT_PLACE && (w = md_word(&d, se, place_words)) &&
                value_ends_with(v, vl, &d, se, w))
                vl -= d.off[se + w] - d.off[se];
            else if (kind == SC_SLOT_UNIT && (w = md_word(&d, se, unit_words))) {
                if (value_ends_with(v, vl, &d, se, w))
                    vl -= d.off[se + w] - d.off[se];
                else
                    consume = se + w; /* XX局 with the unit 海淀区发改委: the unit's own name */
            }
        }
        if (kind == SC_SLOT_DATE && v && consume == se && md_in("年月日", md_at(&d, se)))
            v = NULL; /* one part of a date: the profile's date does not fit */
        size_t slot_end = v ? consume : se;
        if (add_slot(out, d.off[s], d.off[slot_end], kind, v, vl) != 0) {
            e = sc_diag_set(diag, SC_ENOMEM, "fill: out of memory");
            break;
        }
        if (v) {
            sc_buf_add(&out->text, d.text + at, d.off[s] - at);
            sc_buf_add(&out->text, v, vl);
            at = d.off[consume];
        }
        i = slot_end - 1;
    }
    if (e == SC_OK) {
        sc_buf_add(&out->text, d.text + at, len - at);
        if (sc_buf_err(&out->text) != SC_OK)
            e = sc_diag_set(diag, SC_ENOMEM, "fill: out of memory");
    }
    free(d.cp);
    free(d.off);
    sc_json_release(&j);
    return e;
}

void sc_fill_result_release(struct sc_fill_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        free(r->slots[i].value);
    free(r->slots);
    sc_buf_release(&r->text);
    memset(r, 0, sizeof *r);
    sc_buf_init(&r->text);
}

void sc_fill_json(struct sc_jw *w, const char *text, size_t len, const struct sc_fill_result *r)
{
    sc_jw_obj(w, SC_JW_INLINE);
    sc_jw_kstr(w, "text", r->text.data, r->text.len);
    sc_jw_key(w, "slots");
    sc_jw_arr(w, SC_JW_LINES);
    size_t at = 0, cp = 0;
    for (size_t i = 0; i < r->n; i++) {
        const struct sc_slot *s = &r->slots[i];
        if (s->start < at || s->end > len)
            continue;
        cp += sc_utf8_count(text + at, s->start - at);
        at = s->start;
        size_t ecp = cp + sc_utf8_count(text + s->start, s->end - s->start);
        sc_jw_obj(w, SC_JW_INLINE);
        sc_jw_kint(w, "start", (int64_t)cp);
        sc_jw_kint(w, "end", (int64_t)ecp);
        sc_jw_kstrz(w, "kind", sc_slot_kind_name(s->kind));
        sc_jw_kstr(w, "original", text + s->start, s->end - s->start);
        sc_jw_kstrz(w, "value", s->value);
        sc_jw_obj_end(w);
    }
    sc_jw_arr_end(w);
    size_t filled = 0;
    for (size_t i = 0; i < r->n; i++)
        filled += r->slots[i].value != NULL;
    sc_jw_kint(w, "filled", (int64_t)filled);
    sc_jw_kint(w, "unfilled", (int64_t)(r->n - filled));
    sc_jw_obj_end(w);
}
