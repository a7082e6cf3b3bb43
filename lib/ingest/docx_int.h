/*
 * Internal interface of the .docx reader: the safe XML plumbing shared by
 * every part (docx.c), and the numbering/styles model that turns w:numPr
 * into the list labels Word shows (docx_num.c).
 */
#ifndef SUCAI_DOCX_INT_H
#define SUCAI_DOCX_INT_H

#include "ingest_int.h"

#include <expat.h>

/* Namespaces we act on; everything else is NS_OTHER. */
enum docx_ns {
    NS_NONE = 0, /* no namespace (attributes like Type, Target) */
    NS_OTHER,
    NS_W,   /* WordprocessingML, transitional or strict */
    NS_MC,  /* markup compatibility: AlternateContent */
    NS_M,   /* Office math */
    NS_DC,  /* Dublin Core (docProps/core.xml) */
    NS_REL, /* package relationships */
};

/* Split an expat namespace-qualified name ("uri local") into its
 * namespace and local part. */
enum docx_ns docx_split(const XML_Char *name, const char **local);

/* Value of the attribute ns:local, or NULL. For NS_W an unqualified
 * attribute of the same local name is accepted too. */
const char *docx_attr(const XML_Char **atts, enum docx_ns ns, const char *local);

/* Decimal integer attribute value clamped to [lo, hi]; def if absent or
 * not a number. */
int docx_int(const char *v, int lo, int hi, int def);

/* "false", "0", "off" (case-sensitive, as Word writes them) -> 0; any other
 * value, or no value at all, -> 1. For w:vanish and friends. */
int docx_on(const char *v);

/* Every parse handler's user data starts with this. A handler that hits a
 * refusal or allocation failure records it with docx_fail(), which stops
 * the parser; the caller then reports x.err/x.why. */
struct docx_xml {
    XML_Parser parser;
    enum sc_err err;
    const char *why; /* static text */
};
void docx_fail(struct docx_xml *x, enum sc_err err, const char *why);

/* ---- numbering and styles (docx_num.c) ---- */

struct docx_num;    /* numbering.xml: abstract definitions, instances, counters */
struct docx_styles; /* styles.xml: paragraph styles with numbering and kind */

/* Heading kind of a style: what the title hint cares about. */
enum docx_kind {
    KIND_NONE = 0,
    KIND_TITLE,
    KIND_HEADING1, /* heading N is KIND_HEADING1 + N - 1 */
};

struct docx_num *docx_num_new(void);
void docx_num_free(struct docx_num *n);
/* expat handlers for numbering.xml; user data is struct docx_num (whose
 * first member is a struct docx_xml). */
void docx_num_start(void *ud, const XML_Char *name, const XML_Char **atts);
void docx_num_end(void *ud, const XML_Char *name);
struct docx_xml *docx_num_xml(struct docx_num *n);
/* Sort what was parsed, ready for lookups. */
void docx_num_ready(struct docx_num *n);

struct docx_styles *docx_styles_new(void);
void docx_styles_free(struct docx_styles *s);
void docx_styles_start(void *ud, const XML_Char *name, const XML_Char **atts);
void docx_styles_end(void *ud, const XML_Char *name);
struct docx_xml *docx_styles_xml(struct docx_styles *s);
void docx_styles_ready(struct docx_styles *s);

/* The numbering a paragraph style carries (through w:basedOn), and its
 * heading kind. Unset values are -1 / KIND_NONE. s may be NULL. */
void docx_style_lookup(const struct docx_styles *s, const char *style_id, int *num_id, int *ilvl,
                       enum docx_kind *kind);

/*
 * Count one numbered paragraph (numId, ilvl) and append the label Word
 * shows for it (e.g. "一、", "（三）", "2.1") to label; nothing for bullets,
 * numId 0 or unknown lists. n may be NULL.
 */
void docx_num_label(struct docx_num *n, int num_id, int ilvl, struct sc_buf *label);

/* Format value in a numFmt by name ("decimal", "chineseCounting" ...);
 * exposed for the unit tests. */
void docx_num_format(const char *num_fmt, int value, struct sc_buf *out);

#endif
