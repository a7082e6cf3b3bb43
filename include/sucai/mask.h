/*
 * 脱敏 and 套用: take the persons, places, organisations, figures and
 * identifiers out of a draft (and put them back), and fill a template's XX
 * slots from a profile. See docs/internals/mask.md for the recognisers, the
 * data sets they use (GB/T 2260 divisions from 国家统计局's 2023 统计用区划代码,
 * 《百家姓》) and what they leave alone.
 *
 * Offsets are bytes in C; sc_mask_json converts them to code points, the
 * unit of the JSON interface. The masked text equals the original outside
 * the spans, and sc_mask_restore puts the originals back byte for byte.
 */
#ifndef SUCAI_MASK_H
#define SUCAI_MASK_H

#include "base.h"
#include "json.h"

#include <stdint.h>

#define SC_MASK_MAX_BYTES (4u * 1024 * 1024) /* largest text sc_mask_run takes */

enum sc_mask_kind {
    SC_MK_PERSON = 0,
    SC_MK_PLACE,
    SC_MK_ORG,
    SC_MK_NUMBER,
    SC_MK_PHONE,
    SC_MK_IDCARD,
    SC_MK_EMAIL,
    SC_MK_PLATE,
    SC_MK_BANKCARD,
    SC_MK_COUNT
};

/* Every kind but number (figures are opt-in). */
#define SC_MASK_DEFAULT_KINDS (((1u << SC_MK_COUNT) - 1) & ~(1u << SC_MK_NUMBER))

/* JSON name of a kind ("person" ...). Static. */
const char *sc_mask_kind_name(enum sc_mask_kind k);
/* A comma-separated list of kind names -> bit mask (bit k for kind k);
 * SC_EINVAL names the unknown kind. */
enum sc_err sc_mask_kinds_parse(const char *list, unsigned *mask, struct sc_diag *diag);

struct sc_mask_span {
    size_t start, end; /* byte offsets into the original, end exclusive */
    enum sc_mask_kind kind;
    char *replacement; /* owned: what stands there in the masked text */
};

struct sc_mask_result {
    struct sc_buf text; /* the masked text (owned) */
    struct sc_mask_span *spans; /* sorted, disjoint */
    size_t n, cap;
};

struct sc_mask_opts {
    unsigned kinds; /* bit mask of enum sc_mask_kind; 0 = SC_MASK_DEFAULT_KINDS */
    int distinct;   /* one placeholder per entity: XX市 / YY市 (else XX for all) */
};

/*
 * Mask text[0..len) (valid UTF-8 without NUL, at most SC_MASK_MAX_BYTES). opts may be
 * NULL. The same entity (same kind and text) gets the same replacement
 * everywhere in the text. Release out with sc_mask_result_release, also
 * after an error.
 */
enum sc_err sc_mask_run(const char *text, size_t len, const struct sc_mask_opts *opts,
                        struct sc_mask_result *out, struct sc_diag *diag);
void sc_mask_result_release(struct sc_mask_result *r);

/* {"text": masked, "spans": [{"start", "end", "kind", "original",
 * "replacement"}]} with code-point offsets into the original: the contract of
 * `sucai mask --json` and POST /api/v1/mask, and the map sc_mask_restore reads. */
void sc_mask_json(struct sc_jw *w, const char *text, size_t len, const struct sc_mask_result *r);

/*
 * Restore: map is the JSON of sc_mask_json; masked is the masked text (or
 * NULL: the map's own "text"). Appends the original to out. SC_EPARSE names
 * what does not fit (a span whose replacement is not where the map says).
 */
enum sc_err sc_mask_restore(const char *map, size_t map_len, const char *masked,
                            size_t masked_len, struct sc_buf *out, struct sc_diag *diag);

/* ---- 套用 (fill) ---- */

enum sc_slot_kind {
    SC_SLOT_UNIT = 0,
    SC_SLOT_PLACE,
    SC_SLOT_PERSON,
    SC_SLOT_DATE,
    SC_SLOT_NUMBER,
    SC_SLOT_UNKNOWN,
    SC_SLOT_COUNT
};

/* "unit", "place", "person", "date", "number", "unknown". Static. */
const char *sc_slot_kind_name(enum sc_slot_kind k);

struct sc_slot {
    size_t start, end; /* byte offsets of the slot (XX, ××, 某某, X) in the template */
    enum sc_slot_kind kind;
    char *value;       /* owned: what was filled in, NULL when the slot stays marked */
};

struct sc_fill_result {
    struct sc_buf text; /* the filled text (owned) */
    struct sc_slot *slots;
    size_t n, cap;
};

/*
 * Fill every XX-style slot of text[0..len) that can be classified from the
 * profile, a JSON object {"unit": "海淀区发改委", "place": "海淀区", "person":
 * …, "date": …, "number": …} (values strings; unknown keys are refused with
 * SC_EINVAL; missing keys leave their slots marked). A slot that cannot be
 * classified, or whose kind has no value, stays as it was and is listed with
 * value NULL. Release out with sc_fill_result_release, also after an error.
 */
enum sc_err sc_fill_run(const char *text, size_t len, const char *profile, size_t profile_len,
                        struct sc_fill_result *out, struct sc_diag *diag);
void sc_fill_result_release(struct sc_fill_result *r);

/* {"text": filled, "slots": [{"start", "end", "kind", "original", "value"}]}
 * with code-point offsets into the template. */
void sc_fill_json(struct sc_jw *w, const char *text, size_t len, const struct sc_fill_result *r);

#endif
