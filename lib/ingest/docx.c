/*
 * .docx reading: libzip on the bytes in memory, expat on the parts. The zip
 * is untrusted, so every entry is checked against the size and ratio limits
 * both as declared and as actually inflated, and every XML part is refused
 * if it has a DOCTYPE (no entities, internal or external, ever).
 *
 * The body walker turns word/document.xml into text the way Word shows it
 * with all changes accepted: paragraphs in order, table rows as tab-separated
 * cells, text boxes once (the first branch of mc:AlternateContent whose
 * Requires we understand), list labels from numbering.xml, field results
 * without field codes; deleted and moved-away text, comments, headers and
 * footers are left out. The footnotes and endnotes follow the body as their
 * own part (脚注 / 尾注, one [n] line per note). A package with two entries
 * of one name is refused as ambiguous, one whose main part is a workbook or
 * a presentation says so.
 */
#include "docx_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#define RATIO_MIN_BYTES (1u << 20) /* below this an entry's ratio is not judged */
#define PART_PATH       256
#define MAX_DEPTH       256 /* element nesting followed; deeper content is ignored */
#define MAX_STORY       8   /* nested text boxes */
#define MAX_AC          64  /* nested mc:AlternateContent */
#define MAX_FIELD       64  /* nested fields */
#define MAX_NSBIND      256 /* namespace declarations in scope */
#define MAX_NOTES       65536
#define CORE_TITLE_MAX  4096

static const char msg_doctype[] =
    "XML document type (DOCTYPE) and entity declarations are not allowed";

/* ---- XML plumbing -------------------------------------------------------- */

enum docx_ns docx_split(const XML_Char *name, const char **local)
{
    const char *sp = strrchr(name, ' ');
    if (!sp) {
        *local = name;
        return NS_NONE;
    }
    *local = sp + 1;
    size_t n = (size_t)(sp - name);
    static const struct {
        const char *uri;
        enum docx_ns ns;
    } known[] = {
        { "http://schemas.openxmlformats.org/wordprocessingml/2006/main", NS_W },
        { "http://purl.oclc.org/ooxml/wordprocessingml/main", NS_W },
        { "http://schemas.openxmlformats.org/markup-compatibility/2006", NS_MC },
        { "http://schemas.openxmlformats.org/officeDocument/2006/math", NS_M },
        { "http://purl.oclc.org/ooxml/officeDocument/math", NS_M },
        { "http://purl.org/dc/elements/1.1/", NS_DC },
        { "http://schemas.openxmlformats.org/package/2006/relationships", NS_REL },
    };
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
        if (strlen(known[k].uri) == n && memcmp(name, known[k].uri, n) == 0)
            return known[k].ns;
    return NS_OTHER;
}

const char *docx_attr(const XML_Char **atts, enum docx_ns ns, const char *local)
{
    for (size_t i = 0; atts && atts[i]; i += 2) {
        const char *l;
        enum docx_ns a = docx_split(atts[i], &l);
        if (strcmp(l, local) == 0 && (a == ns || (ns == NS_W && a == NS_NONE)))
            return atts[i + 1];
    }
    return NULL;
}

int docx_int(const char *v, int lo, int hi, int def)
{
    if (!v)
        return def;
    char *end;
    long x = strtol(v, &end, 10);
    if (end == v)
        return def;
    if (x < lo)
        return lo;
    if (x > hi)
        return hi;
    return (int)x;
}

int docx_on(const char *v)
{
    return !(v && (strcmp(v, "false") == 0 || strcmp(v, "0") == 0 || strcmp(v, "off") == 0));
}

void docx_fail(struct docx_xml *x, enum sc_err err, const char *why)
{
    if (x->err == SC_OK) {
        x->err = err;
        x->why = why;
    }
    XML_StopParser(x->parser, XML_FALSE);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
    docx_fail(ud, SC_EPARSE, msg_doctype);
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *value,
                              int value_len, const XML_Char *base, const XML_Char *sysid,
                              const XML_Char *pubid, const XML_Char *notation)
{
    (void)name, (void)is_param, (void)value, (void)value_len, (void)base, (void)sysid, (void)pubid,
        (void)notation;
    docx_fail(ud, SC_EPARSE, "XML entity declarations are not allowed");
}

/* ---- the archive --------------------------------------------------------- */

struct zdoc {
    zip_t *za;
    size_t total; /* uncompressed bytes read so far, all entries */
};

static void lower_first(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "unknown error");
    if (dst[0] >= 'A' && dst[0] <= 'Z')
        dst[0] = (char)(dst[0] + 32);
}

static enum sc_err zdoc_open(const unsigned char *d, size_t len, struct zdoc *z,
                             struct sc_diag *diag)
{
    z->za = NULL;
    z->total = 0;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(d, len, 0, &ze);
    if (!src) {
        zip_error_fini(&ze);
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    }
    z->za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!z->za) {
        zip_source_free(src);
        enum sc_err err = SC_EPARSE;
        char why[200];
        if (zip_error_code_zip(&ze) == ZIP_ER_MEMORY) {
            err = sc_diag_set(diag, SC_ENOMEM, "out of memory");
        } else {
            lower_first(why, sizeof why, zip_error_strerror(&ze));
            sc_diag_set(diag, err, "not a valid .docx: %s", why);
        }
        zip_error_fini(&ze);
        return err;
    }
    zip_error_fini(&ze);
    return SC_OK;
}

static void zdoc_close(struct zdoc *z)
{
    if (z->za)
        zip_discard(z->za);
    z->za = NULL;
}

static int name_cmp(const void *a, const void *b)
{
    return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Two entries of one name (part names compare without case) make the
 * package ambiguous: readers disagree on which copy is the part (libzip
 * finds the first, others the last), so the text would depend on the
 * reader. Refused, naming the entry.
 */
static enum sc_err zdoc_unique(struct zdoc *z, struct sc_diag *diag)
{
    zip_int64_t n = zip_get_num_entries(z->za, 0);
    if (n < 2)
        return SC_OK;
    const char **names = sc_malloc((size_t)n * sizeof *names);
    if (!names)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    size_t k = 0;
    for (zip_int64_t i = 0; i < n; i++) {
        const char *nm = zip_get_name(z->za, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
        if (nm)
            names[k++] = nm;
    }
    qsort(names, k, sizeof *names, name_cmp);
    enum sc_err err = SC_OK;
    for (size_t i = 1; i < k && err == SC_OK; i++) {
        if (strcasecmp(names[i - 1], names[i]) != 0)
            continue;
        /* part names end up in messages: printable ASCII only */
        int printable = 1;
        for (const char *c = names[i]; *c; c++)
            printable &= (unsigned char)*c > 0x20 && (unsigned char)*c < 0x7F;
        err = sc_diag_set(diag, SC_EPARSE,
                          "ambiguous .docx: two entries are named %s (readers disagree on which "
                          "one is read)",
                          printable && strlen(names[i]) < PART_PATH ? names[i] : "alike");
    }
    free(names);
    return err;
}

static zip_int64_t zdoc_find(struct zdoc *z, const char *name)
{
    zip_int64_t idx = zip_name_locate(z->za, name, 0);
    if (idx < 0)
        idx = zip_name_locate(z->za, name, ZIP_FL_NOCASE);
    return idx;
}

/*
 * Stream one entry into an expat parser, enforcing the limits on the bytes
 * as they come out of the inflater: the sizes in the zip directory are only
 * what the file claims. Returns SC_ENOTFOUND (without a message) if the
 * entry does not exist.
 */
static enum sc_err zdoc_parse(struct zdoc *z, const char *name, struct docx_xml *x,
                              struct sc_diag *diag)
{
    zip_int64_t idx = zdoc_find(z, name);
    if (idx < 0)
        return SC_ENOTFOUND;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z->za, (zip_uint64_t)idx, 0, &st) != 0)
        return sc_diag_set(diag, SC_EPARSE, "not a valid .docx: cannot read %s", name);
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
        return sc_diag_set(diag, SC_EUNSUPPORTED,
                           "encrypted .docx is not supported (%s is encrypted): remove the "
                           "password and save it again",
                           name);
    zip_uint64_t declared = (st.valid & ZIP_STAT_SIZE) ? st.size : SC_MAX_DOCX_ENTRY;
    zip_uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    if (declared > SC_MAX_DOCX_ENTRY)
        return sc_diag_set(diag, SC_ELIMIT,
                           ".docx entry %s is too large (%llu bytes uncompressed; the limit is "
                           "%u MiB)",
                           name, (unsigned long long)declared, SC_MAX_DOCX_ENTRY >> 20);
    if (declared > SC_MAX_DOCX_TOTAL - z->total)
        return sc_diag_set(diag, SC_ELIMIT,
                           ".docx is too large uncompressed (over the limit of %u MiB)",
                           SC_MAX_DOCX_TOTAL >> 20);
    if (declared > RATIO_MIN_BYTES && declared / (comp ? comp : 1) > SC_MAX_ZIP_RATIO)
        return sc_diag_set(
            diag, SC_ELIMIT, ".docx entry %s is compressed %llu:1 (the limit is %u:1): zip bomb?",
            name, (unsigned long long)(declared / (comp ? comp : 1)), SC_MAX_ZIP_RATIO);

    zip_file_t *zf = zip_fopen_index(z->za, (zip_uint64_t)idx, 0);
    if (!zf) {
        char why[200];
        lower_first(why, sizeof why, zip_strerror(z->za));
        return sc_diag_set(diag, SC_EPARSE, "not a valid .docx: %s: %s", name, why);
    }
    enum sc_err err = SC_OK;
    char *chunk = sc_malloc(65536);
    if (!chunk) {
        zip_fclose(zf);
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    }
    zip_uint64_t got = 0;
    int done = 0;
    while (!done) {
        zip_int64_t n = zip_fread(zf, chunk, 65536);
        if (n < 0) {
            char why[200];
            lower_first(why, sizeof why, zip_file_strerror(zf));
            err = sc_diag_set(diag, SC_EPARSE, "not a valid .docx: %s: %s", name, why);
            break;
        }
        got += (zip_uint64_t)n;
        z->total += (size_t)n;
        if (got > declared) {
            err =
                sc_diag_set(diag, SC_EPARSE,
                            "not a valid .docx: %s inflates to more than its declared size", name);
            break;
        }
        if (got > SC_MAX_DOCX_ENTRY || z->total > SC_MAX_DOCX_TOTAL) {
            err = sc_diag_set(diag, SC_ELIMIT, ".docx is too large uncompressed (%s)", name);
            break;
        }
        if (got > RATIO_MIN_BYTES && got / (comp ? comp : 1) > SC_MAX_ZIP_RATIO) {
            err = sc_diag_set(diag, SC_ELIMIT, ".docx entry %s is compressed over %u:1: zip bomb?",
                              name, SC_MAX_ZIP_RATIO);
            break;
        }
        done = n == 0;
        if (XML_Parse(x->parser, chunk, (int)n, done) == XML_STATUS_ERROR) {
            if (x->err == SC_ENOMEM) {
                err = sc_diag_set(diag, SC_ENOMEM, "out of memory");
            } else if (x->err != SC_OK) {
                err = sc_diag_set(diag, x->err, "%s (in %s)", x->why, name);
            } else {
                enum XML_Error code = XML_GetErrorCode(x->parser);
                err = sc_diag_set(diag, code == XML_ERROR_NO_MEMORY ? SC_ENOMEM : SC_EPARSE,
                                  "not a valid .docx: %s: %s at line %lu column %lu", name,
                                  XML_ErrorString(code),
                                  (unsigned long)XML_GetCurrentLineNumber(x->parser),
                                  (unsigned long)XML_GetCurrentColumnNumber(x->parser));
            }
            break;
        }
    }
    free(chunk);
    zip_fclose(zf);
    return err;
}

/* A namespace-aware parser with the DOCTYPE/entity refusals installed. */
static enum sc_err xml_new(struct docx_xml *x, void *ud, XML_StartElementHandler start,
                           XML_EndElementHandler end, XML_CharacterDataHandler chars,
                           struct sc_diag *diag)
{
    x->err = SC_OK;
    x->why = NULL;
    x->parser = XML_ParserCreateNS(NULL, ' ');
    if (!x->parser)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    XML_SetUserData(x->parser, ud);
    XML_SetElementHandler(x->parser, start, end);
    if (chars)
        XML_SetCharacterDataHandler(x->parser, chars);
    XML_SetStartDoctypeDeclHandler(x->parser, on_doctype);
    XML_SetEntityDeclHandler(x->parser, on_entity);
    XML_SetParamEntityParsing(x->parser, XML_PARAM_ENTITY_PARSING_NEVER);
    return SC_OK;
}

static void xml_free(struct docx_xml *x)
{
    if (x->parser)
        XML_ParserFree(x->parser);
    x->parser = NULL;
}

/* ---- relationships -------------------------------------------------------- */

struct rels {
    struct docx_xml x;
    char base[PART_PATH]; /* folder of the source part, "" or "word/" */
    char main[PART_PATH], numbering[PART_PATH], styles[PART_PATH];
    char footnotes[PART_PATH], endnotes[PART_PATH];
};

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Resolve a relationship target against the source folder: "/x" is from
 * the package root, "a/../b" is folded. "" if it does not fit. */
static void resolve(const char *base, const char *target, char out[PART_PATH])
{
    /* Part names end up in messages: printable ASCII only (URIs are). */
    for (const char *c = target; *c; c++)
        if ((unsigned char)*c <= 0x20 || (unsigned char)*c >= 0x7F) {
            out[0] = '\0';
            return;
        }
    char tmp[PART_PATH * 2];
    if (target[0] == '/')
        snprintf(tmp, sizeof tmp, "%s", target + 1);
    else
        snprintf(tmp, sizeof tmp, "%s%s", base, target);
    size_t o = 0;
    out[0] = '\0';
    const char *p = tmp;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 0 || (n == 1 && p[0] == '.')) {
            /* skip */
        } else if (n == 2 && p[0] == '.' && p[1] == '.') {
            if (o > 0) {
                o--;
                while (o > 0 && out[o - 1] != '/')
                    o--;
            }
        } else {
            if (o + n + 2 > PART_PATH) {
                out[0] = '\0';
                return;
            }
            memcpy(out + o, p, n);
            o += n;
            if (slash)
                out[o++] = '/';
        }
        p += n + (slash ? 1 : 0);
    }
    out[o] = '\0';
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct rels *r = ud;
    const char *local;
    if (docx_split(name, &local) != NS_REL || strcmp(local, "Relationship") != 0)
        return;
    const char *type = docx_attr(atts, NS_NONE, "Type");
    const char *target = docx_attr(atts, NS_NONE, "Target");
    const char *mode = docx_attr(atts, NS_NONE, "TargetMode");
    if (!type || !target || (mode && strcmp(mode, "External") == 0))
        return;
    char *dst = NULL;
    if (ends_with(type, "/officeDocument"))
        dst = r->main;
    else if (ends_with(type, "/numbering"))
        dst = r->numbering;
    else if (ends_with(type, "/styles"))
        dst = r->styles;
    else if (ends_with(type, "/footnotes"))
        dst = r->footnotes;
    else if (ends_with(type, "/endnotes"))
        dst = r->endnotes;
    if (dst && !dst[0])
        resolve(r->base, target, dst);
}

static void XMLCALL rels_end(void *ud, const XML_Char *name)
{
    (void)ud, (void)name;
}

static enum sc_err read_rels(struct zdoc *z, const char *path, struct rels *r, struct sc_diag *diag)
{
    enum sc_err err = xml_new(&r->x, r, rels_start, rels_end, NULL, diag);
    if (err != SC_OK)
        return err;
    err = zdoc_parse(z, path, &r->x, diag);
    xml_free(&r->x);
    return err == SC_ENOTFOUND ? SC_OK : err;
}

/* The main document part: from _rels/.rels, else word/document.xml. */
static enum sc_err find_main(struct zdoc *z, char main[PART_PATH], struct sc_diag *diag)
{
    struct rels r;
    memset(&r, 0, sizeof r);
    enum sc_err err = read_rels(z, "_rels/.rels", &r, diag);
    if (err != SC_OK)
        return err;
    if (r.main[0] && zdoc_find(z, r.main) >= 0)
        snprintf(main, PART_PATH, "%s", r.main);
    else if (zdoc_find(z, "word/document.xml") >= 0)
        snprintf(main, PART_PATH, "word/document.xml");
    else
        return sc_diag_set(diag, SC_EPARSE, "not a valid .docx: no word/document.xml");
    return SC_OK;
}

int sc_ingest_zip_is_docx(const unsigned char *d, size_t len)
{
    struct zdoc z;
    if (zdoc_open(d, len, &z, NULL) != SC_OK)
        return 0;
    int yes = zdoc_find(&z, "word/document.xml") >= 0;
    if (!yes) {
        char main[PART_PATH];
        yes = find_main(&z, main, NULL) == SC_OK;
    }
    zdoc_close(&z);
    return yes;
}

/* ---- docProps/core.xml ---------------------------------------------------- */

struct core {
    struct docx_xml x;
    int in_title;
    struct sc_buf title;
};

static void XMLCALL core_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct core *c = ud;
    const char *local;
    (void)atts;
    if (docx_split(name, &local) == NS_DC && strcmp(local, "title") == 0)
        c->in_title = 1;
}

static void XMLCALL core_end(void *ud, const XML_Char *name)
{
    struct core *c = ud;
    (void)name;
    c->in_title = 0;
}

static void XMLCALL core_chars(void *ud, const XML_Char *s, int n)
{
    struct core *c = ud;
    if (c->in_title && n > 0 && c->title.len + (size_t)n <= CORE_TITLE_MAX)
        sc_buf_add(&c->title, s, (size_t)n);
}

/* ---- the body walker ------------------------------------------------------- */

enum el {
    E_OTHER = 0,
    E_SKIP, /* subtree without text we want */
    E_P,
    E_PPR,
    E_RPR,
    E_R,
    E_T,
    E_TAB,
    E_BR,
    E_CR,
    E_SYM,
    E_NBHYPHEN,
    E_TBL,
    E_TR,
    E_TRPR,
    E_TC,
    E_PSTYLE,
    E_NUMPR,
    E_ILVL,
    E_NUMID,
    E_DEL,
    E_MOVEFROM,
    E_FLDCHAR,
    E_TXBX,
    E_VANISH,
    E_AC,
    E_CHOICE,
    E_FALLBACK,
    E_MR, /* m:r */
    E_TCPR,
    E_GRIDSPAN,
    E_FNREF, /* w:footnoteReference in the body */
    E_ENREF, /* w:endnoteReference */
    E_NOTE,  /* w:footnote / w:endnote in their parts */
};

static const struct {
    const char *name;
    enum el id;
} w_elements[] = {
    /* sorted by name (strcmp) for bsearch */
    { "br", E_BR },
    { "commentReference", E_SKIP },
    { "cr", E_CR },
    { "del", E_DEL },
    { "endnote", E_NOTE },
    { "endnoteReference", E_ENREF },
    { "delInstrText", E_SKIP },
    { "delText", E_SKIP },
    { "fldChar", E_FLDCHAR },
    { "fldData", E_SKIP },
    { "footnote", E_NOTE },
    { "footnoteReference", E_FNREF },
    { "gridSpan", E_GRIDSPAN },
    { "ilvl", E_ILVL },
    { "instrText", E_SKIP },
    { "moveFrom", E_MOVEFROM },
    { "noBreakHyphen", E_NBHYPHEN },
    { "numId", E_NUMID },
    { "numPr", E_NUMPR },
    { "numberingChange", E_SKIP },
    { "p", E_P },
    { "pPr", E_PPR },
    { "pStyle", E_PSTYLE },
    { "ptab", E_TAB },
    { "r", E_R },
    { "rPr", E_RPR },
    { "rt", E_SKIP },
    { "sdtPr", E_SKIP },
    { "sectPr", E_SKIP },
    { "sym", E_SYM },
    { "t", E_T },
    { "tab", E_TAB },
    { "tbl", E_TBL },
    { "tblGrid", E_SKIP },
    { "tblGridChange", E_SKIP },
    { "tblPr", E_SKIP },
    { "tc", E_TC },
    { "tcPr", E_TCPR },
    { "tr", E_TR },
    { "trPr", E_TRPR },
    { "txbxContent", E_TXBX },
    { "vanish", E_VANISH },
};

static enum el classify(const XML_Char *name)
{
    const char *local;
    enum docx_ns ns = docx_split(name, &local);
    if (ns == NS_MC) {
        if (strcmp(local, "AlternateContent") == 0)
            return E_AC;
        if (strcmp(local, "Choice") == 0)
            return E_CHOICE;
        if (strcmp(local, "Fallback") == 0)
            return E_FALLBACK;
        return E_OTHER;
    }
    if (ns == NS_M)
        return strcmp(local, "t") == 0 ? E_T : strcmp(local, "r") == 0 ? E_MR : E_OTHER;
    if (ns != NS_W)
        return E_OTHER;
    size_t lo = 0, hi = sizeof w_elements / sizeof w_elements[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(local, w_elements[mid].name);
        if (c == 0)
            return w_elements[mid].id;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    /* pPrChange, rPrChange, sectPrChange, tblPrChange ...: old properties */
    return ends_with(local, "PrChange") || ends_with(local, "PrExChange") ? E_SKIP : E_OTHER;
}

/* One flow of text: the body, or the content of a text box. */
struct story {
    struct sc_buf para;     /* current paragraph */
    struct sc_buf cell;     /* current cell of the outermost table */
    struct sc_buf row;      /* current row of the outermost table */
    struct sc_buf deferred; /* text-box lines anchored in the current line */
    int tbl;                /* table nesting inside this story */
    int cells;
    int span; /* grid columns the current cell covers */
    int row_deleted;
    int merge;        /* the last paragraph mark was deleted: continue it */
    int mark_deleted; /* this paragraph's mark is deleted */
    int num_id, ilvl;
    char style[64];
};

struct body {
    struct docx_xml x;
    struct sc_buf *out;
    /* styles.xml and numbering.xml are read when first needed: many
     * documents never use them, and a styles.xml can be 350 KB of table
     * styles */
    struct zdoc *z;
    struct sc_diag *diag;
    char styles_part[PART_PATH + 16], num_part[PART_PATH + 16];
    int styles_loaded, num_loaded;
    struct docx_num *num;
    struct docx_styles *styles;
    struct story story[MAX_STORY];
    int nstory;
    unsigned char stack[MAX_DEPTH];
    int depth;
    int skip; /* > 0 inside a skipped subtree */
    unsigned char ac_chosen[MAX_AC];
    int nac;
    /* namespace prefixes in scope, for mc:Choice Requires="w16se wps" */
    struct nsbind {
        char prefix[24];
        unsigned char understood;
    } ns[MAX_NSBIND];
    int nns, ns_over;
    /* the part being walked: the main document, or its footnotes/endnotes */
    int notes;      /* 0 main; 1 footnotes; 2 endnotes */
    int root_seen;  /* the part's root element has been checked */
    char root[160]; /* why the main part is not a Word document, or "" */
    /* footnotes/endnotes: the references in body order, and each note */
    struct note_ref {
        int kind; /* 1 footnote, 2 endnote */
        long id;
    } * refs;
    size_t nrefs, cap_refs;
    struct note {
        long id;
        char *text; /* owned, one line */
    } * note[2];
    size_t nnote[2], cap_note[2];
    long note_id; /* the note being read, -1 none */
    struct sc_buf note_buf;
    unsigned char fld[MAX_FIELD]; /* 1 = still in the field code */
    int nfld, fld_over, fld_code;
    int in_t;
    int run_hidden;
    struct sc_buf label, line;
    /* title hint candidates */
    char *first_para, *title_para, *heading_para;
    int paras_seen;
};

static struct story *cur_story(struct body *b)
{
    return &b->story[b->nstory - 1];
}

static enum el parent(const struct body *b, int up)
{
    int i = b->depth - 1 - up;
    return i >= 0 ? (enum el)b->stack[i] : E_OTHER;
}

static void story_reset(struct story *s)
{
    sc_buf_reset(&s->para);
    sc_buf_reset(&s->cell);
    sc_buf_reset(&s->row);
    sc_buf_reset(&s->deferred);
    s->tbl = s->cells = s->row_deleted = s->merge = s->mark_deleted = 0;
    s->num_id = s->ilvl = -1;
    s->style[0] = '\0';
}

static void story_release(struct story *s)
{
    sc_buf_release(&s->para);
    sc_buf_release(&s->cell);
    sc_buf_release(&s->row);
    sc_buf_release(&s->deferred);
}

static struct sc_buf *sink(struct body *b)
{
    return b->nstory > 1 ? &b->story[b->nstory - 2].deferred : b->out;
}

/* Text shown to the reader: not inside a field code, not hidden. */
static void add_text(struct body *b, const char *s, size_t n)
{
    if (b->fld_code > 0 || b->run_hidden)
        return;
    struct story *st = cur_story(b);
    if (st->tbl == 0) {
        sc_buf_add(&st->para, s, n);
        return;
    }
    /* tabs and line breaks would break the row's cell structure */
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != '\t' && s[j] != '\n' && s[j] != '\r')
            j++;
        sc_buf_add(&st->para, s + i, j - i);
        if (j < n) {
            sc_buf_addc(&st->para, ' ');
            j++;
        }
        i = j;
    }
}

static void flush_deferred(struct body *b, struct story *s)
{
    if (s->deferred.len) {
        sc_buf_add(sink(b), s->deferred.data, s->deferred.len);
        sc_buf_reset(&s->deferred);
    }
}

static void take_candidate(char **slot, const char *s, size_t n, struct body *b)
{
    int nomem = 0;
    if (*slot)
        return;
    *slot = sc_ingest_title_dup(s, n, &nomem);
    if (nomem)
        docx_fail(&b->x, SC_ENOMEM, "out of memory");
}

/* Read styles.xml or numbering.xml now (from inside the body parse: libzip
 * and expat both allow it). A failure has its message in b->diag already
 * and stops the body parser. */
static int load_styles(struct body *b)
{
    if (b->styles_loaded)
        return b->styles != NULL;
    b->styles_loaded = 1;
    struct docx_styles *st = docx_styles_new();
    if (!st) {
        sc_diag_set(b->diag, SC_ENOMEM, "out of memory");
        docx_fail(&b->x, SC_ENOMEM, "out of memory");
        return 0;
    }
    enum sc_err err =
        xml_new(docx_styles_xml(st), st, docx_styles_start, docx_styles_end, NULL, b->diag);
    if (err == SC_OK) {
        err = zdoc_parse(b->z, b->styles_part, docx_styles_xml(st), b->diag);
        xml_free(docx_styles_xml(st));
    }
    if (err != SC_OK && err != SC_ENOTFOUND) {
        docx_styles_free(st);
        docx_fail(&b->x, err, "");
        return 0;
    }
    docx_styles_ready(st);
    b->styles = st;
    return 1;
}

static int load_numbering(struct body *b)
{
    if (b->num_loaded)
        return b->num != NULL;
    b->num_loaded = 1;
    struct docx_num *n = docx_num_new();
    if (!n) {
        sc_diag_set(b->diag, SC_ENOMEM, "out of memory");
        docx_fail(&b->x, SC_ENOMEM, "out of memory");
        return 0;
    }
    enum sc_err err = xml_new(docx_num_xml(n), n, docx_num_start, docx_num_end, NULL, b->diag);
    if (err == SC_OK) {
        err = zdoc_parse(b->z, b->num_part, docx_num_xml(n), b->diag);
        xml_free(docx_num_xml(n));
    }
    if (err != SC_OK && err != SC_ENOTFOUND) {
        docx_num_free(n);
        docx_fail(&b->x, err, "");
        return 0;
    }
    docx_num_ready(n);
    b->num = n;
    return 1;
}

static void para_end(struct body *b)
{
    struct story *s = cur_story(b);
    if (s->mark_deleted) {
        /* Accepting the deletion of a paragraph mark joins this paragraph
         * with the next one. */
        s->merge = 1;
        s->mark_deleted = 0;
        return;
    }
    int num_id = s->num_id, ilvl = s->ilvl, snum = -1, silvl = -1;
    enum docx_kind kind = KIND_NONE;
    if (s->style[0] && load_styles(b))
        docx_style_lookup(b->styles, s->style, &snum, &silvl, &kind);
    if (num_id < 0) {
        num_id = snum;
        if (ilvl < 0)
            ilvl = silvl;
    }
    sc_buf_reset(&b->label);
    if (num_id > 0 && load_numbering(b))
        docx_num_label(b->num, num_id, ilvl, &b->label);
    struct sc_buf *line = &b->line;
    sc_buf_reset(line);
    sc_buf_add(line, b->label.data, b->label.len);
    sc_buf_add(line, s->para.data, s->para.len);
    int blank = sc_ingest_blank(line->data, line->len);

    if (b->nstory == 1 && s->tbl == 0 && !blank && !b->notes) {
        take_candidate(&b->first_para, line->data, line->len, b);
        if (kind == KIND_TITLE)
            take_candidate(&b->title_para, line->data, line->len, b);
        /* A heading is the title only near the top; later it is a section. */
        if ((kind == KIND_HEADING1 || kind == KIND_HEADING1 + 1) && b->paras_seen < 3)
            take_candidate(&b->heading_para, line->data, line->len, b);
        b->paras_seen++;
    }
    if (s->tbl > 0) {
        if (!blank) {
            if (s->cell.len)
                sc_buf_addc(&s->cell, ' ');
            sc_buf_add(&s->cell, line->data, line->len);
        }
    } else {
        if (!blank) {
            struct sc_buf *o = sink(b);
            sc_buf_add(o, line->data, line->len);
            sc_buf_addc(o, '\n');
        }
        flush_deferred(b, s);
    }
    sc_buf_reset(&s->para);
    s->merge = 0;
    s->num_id = s->ilvl = -1;
    s->style[0] = '\0';
}

static void row_end(struct body *b, struct story *s)
{
    if (!s->row_deleted && !sc_ingest_blank(s->row.data, s->row.len)) {
        struct sc_buf *o = sink(b);
        sc_buf_add(o, s->row.data, s->row.len);
        sc_buf_addc(o, '\n');
    }
    sc_buf_reset(&s->row);
    s->cells = 0;
    s->row_deleted = 0;
    flush_deferred(b, s);
}

/* What the main part is when it is not a Word document, by its root. */
static const struct {
    const char *uri, *what;
} other_roots[] = {
    { "http://schemas.openxmlformats.org/spreadsheetml/2006/main", "an Excel workbook (.xlsx)" },
    { "http://purl.oclc.org/ooxml/spreadsheetml/main", "an Excel workbook (.xlsx)" },
    { "http://schemas.openxmlformats.org/presentationml/2006/main",
      "a PowerPoint presentation (.pptx)" },
    { "http://purl.oclc.org/ooxml/presentationml/main", "a PowerPoint presentation (.pptx)" },
    { "http://schemas.microsoft.com/office/visio/2012/main", "a Visio drawing (.vsdx)" },
};

/* The root of the part: w:document for the main part, w:footnotes or
 * w:endnotes for the notes. A main part that is something else is noted
 * in b->root (the message names it); a notes part that is, is ignored. */
static int root_ok(struct body *b, const XML_Char *name)
{
    const char *local;
    enum docx_ns ns = docx_split(name, &local);
    if (b->notes)
        return ns == NS_W && (strcmp(local, "footnotes") == 0 || strcmp(local, "endnotes") == 0);
    if (ns == NS_W && strcmp(local, "document") == 0)
        return 1;
    const char *sp = strrchr(name, ' ');
    size_t ul = sp ? (size_t)(sp - name) : 0;
    for (size_t k = 0; k < sizeof other_roots / sizeof other_roots[0]; k++) {
        if (strlen(other_roots[k].uri) == ul && memcmp(name, other_roots[k].uri, ul) == 0) {
            snprintf(b->root, sizeof b->root, "not a Word document: the package is %s",
                     other_roots[k].what);
            docx_fail(&b->x, SC_EUNSUPPORTED, b->root);
            return 0;
        }
    }
    /* an unknown root: its local name, if it is printable */
    int printable = strlen(local) < 40;
    for (const char *c = local; *c && printable; c++)
        printable = (unsigned char)*c > 0x20 && (unsigned char)*c < 0x7F;
    snprintf(b->root, sizeof b->root,
             "not a Word document: the main part is <%s>, not a WordprocessingML document",
             printable ? local : "?");
    docx_fail(&b->x, SC_EUNSUPPORTED, b->root);
    return 0;
}

/* w:footnote is read only as a child of the part's root. */
static int depth_is_not_top(const struct body *b)
{
    return b->depth != 1;
}

static void add_ref(struct body *b, int kind, const char *v)
{
    char *end = NULL;
    long id = v ? strtol(v, &end, 10) : -1;
    if (!v || end == v || b->nrefs >= MAX_NOTES)
        return;
    if (b->nrefs == b->cap_refs) {
        size_t nc = b->cap_refs ? b->cap_refs * 2 : 16;
        struct note_ref *r = sc_reallocarray(b->refs, nc, sizeof *r);
        if (!r) {
            docx_fail(&b->x, SC_ENOMEM, "out of memory");
            return;
        }
        b->refs = r;
        b->cap_refs = nc;
    }
    b->refs[b->nrefs].kind = kind;
    b->refs[b->nrefs].id = id;
    b->nrefs++;
}

/* The note just read, as one line: its paragraphs joined by a space. */
static void end_note(struct body *b)
{
    int k = b->notes - 1;
    if (k < 0 || k > 1 || b->note_id < 0)
        return;
    struct sc_buf *nb = &b->note_buf;
    for (size_t i = 0; i < nb->len; i++)
        if (nb->data[i] == '\n' || nb->data[i] == '\t')
            nb->data[i] = ' ';
    size_t len = nb->len;
    const char *t = nb->data;
    while (len > 0 && (t[len - 1] == ' '))
        len--;
    while (len > 0 && *t == ' ')
        t++, len--;
    long id = b->note_id;
    b->note_id = -1;
    if (len == 0 || sc_ingest_blank(t, len) || b->nnote[k] >= MAX_NOTES)
        return;
    if (b->nnote[k] == b->cap_note[k]) {
        size_t nc = b->cap_note[k] ? b->cap_note[k] * 2 : 16;
        struct note *n = sc_reallocarray(b->note[k], nc, sizeof *n);
        if (!n) {
            docx_fail(&b->x, SC_ENOMEM, "out of memory");
            return;
        }
        b->note[k] = n;
        b->cap_note[k] = nc;
    }
    char *copy = sc_strndup(t, len);
    if (!copy) {
        docx_fail(&b->x, SC_ENOMEM, "out of memory");
        return;
    }
    b->note[k][b->nnote[k]].id = id;
    b->note[k][b->nnote[k]].text = copy;
    b->nnote[k]++;
}

/*
 * The namespaces whose content we read inside an mc:Choice: DrawingML
 * shapes, groups and canvases (their text boxes are w:txbxContent), the
 * Word 2010 and 2013 extensions (attributes and effects around ordinary
 * runs), math. Not w16se (symbols and emoji as w16se:symEx, text we do not
 * see) nor any namespace we do not know.
 */
static const char *const understood_ns[] = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing",
    "http://schemas.microsoft.com/office/word/2010/wordml",
    "http://schemas.microsoft.com/office/word/2012/wordml",
    "http://schemas.openxmlformats.org/drawingml/2006/main",
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "http://schemas.microsoft.com/office/drawing/2010/main",
    "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "urn:schemas-microsoft-com:vml",
};

static void XMLCALL ns_start(void *ud, const XML_Char *prefix, const XML_Char *uri)
{
    struct body *b = ud;
    if (b->nns >= MAX_NSBIND) {
        b->ns_over++;
        return;
    }
    struct nsbind *n = &b->ns[b->nns++];
    snprintf(n->prefix, sizeof n->prefix, "%s", prefix ? prefix : "");
    n->understood = 0;
    for (size_t k = 0; uri && k < sizeof understood_ns / sizeof understood_ns[0]; k++)
        n->understood |= strcmp(uri, understood_ns[k]) == 0;
    if (prefix && strlen(prefix) >= sizeof n->prefix)
        n->understood = 0; /* cut: never matches a Requires token */
}

static void XMLCALL ns_end(void *ud, const XML_Char *prefix)
{
    struct body *b = ud;
    (void)prefix; /* declarations end in the reverse order of their start */
    if (b->ns_over > 0)
        b->ns_over--;
    else if (b->nns > 0)
        b->nns--;
}

/* Does every prefix of a Requires value name a namespace we read? */
static int requires_understood(const struct body *b, const char *req)
{
    if (!req)
        return 1;
    const char *p = req;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        const char *e = p;
        while (*e && *e != ' ' && *e != '\t' && *e != '\n' && *e != '\r')
            e++;
        if (e == p)
            break;
        size_t n = (size_t)(e - p);
        int ok = 0;
        for (int i = b->nns - 1; i >= 0; i--) {
            if (strlen(b->ns[i].prefix) == n && memcmp(b->ns[i].prefix, p, n) == 0) {
                ok = b->ns[i].understood;
                break;
            }
        }
        if (!ok)
            return 0;
        p = e;
    }
    return 1;
}

static void push(struct body *b, enum el id)
{
    b->stack[b->depth++] = (unsigned char)id;
}

static void XMLCALL body_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct body *b = ud;
    if (b->skip) {
        b->skip++;
        return;
    }
    if (b->depth >= MAX_DEPTH) { /* absurd nesting: ignore what is below */
        b->skip = 1;
        return;
    }
    if (!b->root_seen) {
        b->root_seen = 1;
        if (!root_ok(b, name)) {
            b->skip = 1;
            return;
        }
    }
    enum el id = classify(name);
    struct story *s = cur_story(b);
    switch (id) {
    case E_SKIP: b->skip = 1; return;
    case E_FNREF:
    case E_ENREF:
        if (!b->notes)
            add_ref(b, id == E_FNREF ? 1 : 2, docx_attr(atts, NS_W, "id"));
        break;
    case E_NOTE: {
        /* the separators Word draws above the notes are not notes */
        const char *t = docx_attr(atts, NS_W, "type");
        if (!b->notes || depth_is_not_top(b) || (t && strcmp(t, "normal") != 0)) {
            b->skip = 1;
            return;
        }
        const char *v = docx_attr(atts, NS_W, "id");
        char *end = NULL;
        long nid = v ? strtol(v, &end, 10) : -1;
        b->note_id = v && end != v ? nid : -1;
        sc_buf_reset(&b->note_buf);
        break;
    }
    case E_P:
        if (!s->merge) {
            sc_buf_reset(&s->para);
            s->num_id = s->ilvl = -1;
            s->style[0] = '\0';
        }
        s->mark_deleted = 0;
        break;
    case E_PSTYLE:
        if (parent(b, 0) == E_PPR) {
            const char *v = docx_attr(atts, NS_W, "val");
            snprintf(s->style, sizeof s->style, "%s", v ? v : "");
        }
        break;
    case E_ILVL:
    case E_NUMID:
        if (parent(b, 0) == E_NUMPR && parent(b, 1) == E_PPR) {
            int v = docx_int(docx_attr(atts, NS_W, "val"), 0, 1 << 30, -1);
            if (id == E_ILVL)
                s->ilvl = v;
            else
                s->num_id = v;
        }
        break;
    case E_DEL:
    case E_MOVEFROM:
        /* As a property these mark a deleted paragraph mark or table row;
         * as a container they hold deleted (or moved-away) content. */
        if (parent(b, 0) == E_RPR && parent(b, 1) == E_PPR) {
            s->mark_deleted = 1;
        } else if (parent(b, 0) == E_TRPR) {
            s->row_deleted = 1;
        } else if (parent(b, 0) != E_RPR) {
            b->skip = 1;
            return;
        }
        break;
    case E_R:
    case E_MR: b->run_hidden = 0; break;
    case E_VANISH:
        if (parent(b, 0) == E_RPR && parent(b, 1) == E_R)
            b->run_hidden = docx_on(docx_attr(atts, NS_W, "val"));
        break;
    case E_T: b->in_t = 1; break;
    case E_TAB:
        if (parent(b, 0) == E_R)
            add_text(b, "\t", 1);
        break;
    case E_BR:
    case E_CR:
        if (parent(b, 0) == E_R)
            add_text(b, "\n", 1);
        break;
    case E_NBHYPHEN:
        if (parent(b, 0) == E_R)
            add_text(b, "-", 1);
        break;
    case E_SYM:
        if (parent(b, 0) == E_R) {
            const char *v = docx_attr(atts, NS_W, "char");
            unsigned long cp = v ? strtoul(v, NULL, 16) : 0;
            /* F0xx are symbol-font glyphs (Wingdings ...), not text */
            if (cp >= 0x20 && cp <= 0x10FFFF && !(cp >= 0xF000 && cp <= 0xF0FF) &&
                !(cp >= 0xD800 && cp <= 0xDFFF)) {
                char enc[4];
                add_text(b, enc, sc_utf8_encode((uint32_t)cp, enc));
            }
        }
        break;
    case E_FLDCHAR: {
        const char *t = docx_attr(atts, NS_W, "fldCharType");
        if (!t)
            break;
        if (strcmp(t, "begin") == 0) {
            if (b->nfld < MAX_FIELD)
                b->fld[b->nfld++] = 1;
            else
                b->fld_over++;
            b->fld_code++;
        } else if (strcmp(t, "separate") == 0) {
            if (!b->fld_over && b->nfld > 0 && b->fld[b->nfld - 1]) {
                b->fld[b->nfld - 1] = 0;
                b->fld_code--;
            }
        } else if (strcmp(t, "end") == 0) {
            if (b->fld_over) {
                b->fld_over--;
                b->fld_code--;
            } else if (b->nfld > 0) {
                if (b->fld[b->nfld - 1])
                    b->fld_code--;
                b->nfld--;
            }
        }
        break;
    }
    case E_TBL:
        if (s->tbl == 0) {
            sc_buf_reset(&s->row);
            sc_buf_reset(&s->cell);
            s->cells = 0;
        }
        s->tbl++;
        break;
    case E_TR:
        if (s->tbl == 1) {
            sc_buf_reset(&s->row);
            s->cells = 0;
            s->row_deleted = 0;
        }
        break;
    case E_TC:
        if (s->tbl == 1) {
            sc_buf_reset(&s->cell);
            s->span = 1;
        }
        break;
    case E_GRIDSPAN:
        if (parent(b, 0) == E_TCPR && s->tbl == 1)
            s->span = docx_int(docx_attr(atts, NS_W, "val"), 1, 64, 1);
        break;
    case E_TXBX:
        if (b->nstory >= MAX_STORY) {
            b->skip = 1;
            return;
        }
        story_reset(&b->story[b->nstory++]);
        break;
    case E_AC:
        if (b->nac >= MAX_AC) {
            b->skip = 1;
            return;
        }
        b->ac_chosen[b->nac++] = 0;
        break;
    case E_CHOICE:
    case E_FALLBACK:
        /* Take the first branch of mc:AlternateContent that we understand
         * and skip the others: each holds the same content. A Choice whose
         * Requires names a namespace we do not read (w16se:symEx for an
         * emoji, anything unknown) gives way to the next branch, so the
         * Fallback's text is not lost. */
        if (parent(b, 0) == E_AC && b->nac > 0) {
            if (b->ac_chosen[b->nac - 1] ||
                (id == E_CHOICE && !requires_understood(b, docx_attr(atts, NS_NONE, "Requires")))) {
                b->skip = 1;
                return;
            }
            b->ac_chosen[b->nac - 1] = 1;
        }
        break;
    case E_OTHER:
    case E_PPR:
    case E_RPR:
    case E_TRPR:
    case E_TCPR:
    case E_NUMPR: break;
    }
    push(b, id);
}

static void XMLCALL body_end(void *ud, const XML_Char *name)
{
    struct body *b = ud;
    (void)name;
    if (b->skip) {
        b->skip--;
        return;
    }
    enum el id = (enum el)b->stack[--b->depth];
    struct story *s = cur_story(b);
    switch (id) {
    case E_P: para_end(b); break;
    case E_T: b->in_t = 0; break;
    case E_R:
    case E_MR: b->run_hidden = 0; break;
    case E_TC:
        if (s->tbl == 1) {
            if (s->cells)
                sc_buf_addc(&s->row, '\t');
            sc_buf_add(&s->row, s->cell.data, s->cell.len);
            /* a merged cell keeps the columns after it in place */
            for (int k = 1; k < s->span; k++)
                sc_buf_addc(&s->row, '\t');
            sc_buf_reset(&s->cell);
            s->cells++;
        }
        break;
    case E_TR:
        if (s->tbl == 1)
            row_end(b, s);
        break;
    case E_TBL:
        if (s->tbl > 0)
            s->tbl--;
        break;
    case E_TXBX:
        if (b->nstory > 1) {
            if (s->merge && s->para.len) {
                s->mark_deleted = 0;
                para_end(b);
            }
            flush_deferred(b, s);
            b->nstory--;
        }
        break;
    case E_AC:
        if (b->nac > 0)
            b->nac--;
        break;
    case E_NOTE: end_note(b); break;
    default: break;
    }
    if (sc_buf_err(sink(b)) || sc_buf_err(&s->para) || sc_buf_err(&s->row) ||
        sc_buf_err(&s->cell) || sc_buf_err(&b->line) || sc_buf_err(&b->label))
        docx_fail(&b->x, SC_ENOMEM, "out of memory");
}

static void XMLCALL body_chars(void *ud, const XML_Char *s, int n)
{
    struct body *b = ud;
    if (b->in_t && !b->skip && n > 0)
        add_text(b, s, (size_t)n);
}

/* ---- the whole document --------------------------------------------------- */

static void folder_of(const char *part, char out[PART_PATH])
{
    const char *slash = strrchr(part, '/');
    size_t n = slash ? (size_t)(slash - part) + 1 : 0;
    memcpy(out, part, n);
    out[n] = '\0';
}

/* "Microsoft Word - report.doc" is what some converters leave in dc:title. */
static int useless_core_title(const char *t)
{
    return strncmp(t, "Microsoft Word - ", 17) == 0 || strcmp(t, "PowerPoint Presentation") == 0;
}

/* Walk the footnotes and endnotes parts with the body walker, each note
 * into b->note[]. A missing part is no error; a broken one refuses the file
 * as a broken styles.xml does. */
static enum sc_err read_notes(struct zdoc *z, struct body *b, const struct rels *r,
                              struct sc_diag *diag)
{
    for (int k = 1; k <= 2; k++) {
        char part[PART_PATH + 16];
        const char *rel = k == 1 ? r->footnotes : r->endnotes;
        if (rel[0])
            snprintf(part, sizeof part, "%s", rel);
        else
            snprintf(part, sizeof part, "%s%s", r->base, k == 1 ? "footnotes.xml" : "endnotes.xml");
        if (zdoc_find(z, part) < 0)
            continue;
        b->notes = k;
        b->root_seen = 0;
        b->depth = b->skip = b->nac = b->nfld = b->fld_over = b->fld_code = 0;
        b->in_t = b->run_hidden = 0;
        b->nns = b->ns_over = 0;
        b->nstory = 1;
        b->note_id = -1;
        story_reset(&b->story[0]);
        b->out = &b->note_buf;
        enum sc_err err = xml_new(&b->x, b, body_start, body_end, body_chars, diag);
        if (err != SC_OK)
            return err;
        XML_SetNamespaceDeclHandler(b->x.parser, ns_start, ns_end);
        err = zdoc_parse(z, part, &b->x, diag);
        xml_free(&b->x);
        if (err != SC_OK && err != SC_ENOTFOUND)
            return err;
    }
    return SC_OK;
}

/*
 * The notes after the body, as their own part: a line 脚注 (尾注 for the
 * endnotes), then one line per note, [1] text, numbered in the order the
 * body refers to them (as Word numbers them); notes the body never refers
 * to follow. The 公文 parser reads this part as the notes section
 * (docs/gongwen.md); the body text itself is left as it was.
 */
static void add_notes(struct body *b, struct sc_buf *raw)
{
    static const char *const heads[2] = { "脚注", "尾注" };
    for (int k = 0; k < 2; k++) {
        if (b->nnote[k] == 0)
            continue;
        unsigned char *done = sc_calloc(b->nnote[k], 1);
        if (!done) {
            raw->failed = 1;
            return;
        }
        size_t no = 0;
        sc_buf_adds(raw, heads[k]);
        sc_buf_addc(raw, '\n');
        /* first in the order of the references, then the rest */
        for (size_t pass = 0; pass < 2; pass++) {
            size_t nr = pass == 0 ? b->nrefs : b->nnote[k];
            for (size_t i = 0; i < nr; i++) {
                size_t j;
                if (pass == 0) {
                    if (b->refs[i].kind != k + 1)
                        continue;
                    for (j = 0; j < b->nnote[k] && b->note[k][j].id != b->refs[i].id; j++)
                        ;
                } else {
                    j = i;
                }
                if (j >= b->nnote[k] || done[j])
                    continue;
                done[j] = 1;
                sc_buf_addf(raw, "[%zu]", ++no);
                sc_buf_adds(raw, b->note[k][j].text);
                sc_buf_addc(raw, '\n');
            }
        }
        free(done);
    }
}

enum sc_err sc_ingest_docx(const unsigned char *data, size_t len, struct sc_ingested *out,
                           struct sc_diag *diag)
{
    struct zdoc z;
    enum sc_err err = zdoc_open(data, len, &z, diag);
    if (err != SC_OK)
        return err;

    struct body b;
    memset(&b, 0, sizeof b);
    for (int i = 0; i < MAX_STORY; i++) {
        sc_buf_init(&b.story[i].para);
        sc_buf_init(&b.story[i].cell);
        sc_buf_init(&b.story[i].row);
        sc_buf_init(&b.story[i].deferred);
    }
    sc_buf_init(&b.label);
    sc_buf_init(&b.line);
    sc_buf_init(&b.note_buf);
    b.note_id = -1;
    struct sc_buf raw = SC_BUF_INIT;
    struct core core;
    memset(&core, 0, sizeof core);
    sc_buf_init(&core.title);
    struct rels r;
    memset(&r, 0, sizeof r);

    char main[PART_PATH];
    if ((err = zdoc_unique(&z, diag)) != SC_OK)
        goto out;
    err = find_main(&z, main, diag);
    if (err != SC_OK)
        goto out;

    /* Parts the main document points at. */
    folder_of(main, r.base);
    char rels_path[PART_PATH * 2];
    snprintf(rels_path, sizeof rels_path, "%s_rels/%s.rels", r.base, main + strlen(r.base));
    if ((err = read_rels(&z, rels_path, &r, diag)) != SC_OK)
        goto out;

    /* Refuse before inflating anything if the parts we read declare more
     * than the total limit (each is checked again as it inflates). */
    {
        const char *parts[] = { main,
                                r.styles[0] ? r.styles : NULL,
                                r.numbering[0] ? r.numbering : NULL,
                                "docProps/core.xml",
                                r.footnotes[0] ? r.footnotes : NULL,
                                r.endnotes[0] ? r.endnotes : NULL };
        char dflt[4][PART_PATH + 16];
        static const char *const dname[4] = { "styles.xml", "numbering.xml", "footnotes.xml",
                                              "endnotes.xml" };
        static const size_t dslot[4] = { 1, 2, 4, 5 };
        for (size_t k = 0; k < 4; k++) {
            snprintf(dflt[k], sizeof dflt[k], "%s%s", r.base, dname[k]);
            if (!parts[dslot[k]])
                parts[dslot[k]] = dflt[k];
        }
        zip_uint64_t sum = 0;
        for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
            zip_int64_t idx = zdoc_find(&z, parts[k]);
            zip_stat_t st;
            zip_stat_init(&st);
            if (idx >= 0 && zip_stat_index(z.za, (zip_uint64_t)idx, 0, &st) == 0 &&
                (st.valid & ZIP_STAT_SIZE))
                sum += st.size < SC_MAX_DOCX_TOTAL ? st.size : SC_MAX_DOCX_TOTAL;
        }
        if (sum > SC_MAX_DOCX_TOTAL - z.total) {
            err = sc_diag_set(diag, SC_ELIMIT,
                              ".docx is too large uncompressed (%llu bytes in its parts; the "
                              "limit is %u MiB)",
                              (unsigned long long)(sum + z.total), SC_MAX_DOCX_TOTAL >> 20);
            goto out;
        }
    }

    b.z = &z;
    b.diag = diag;
    if (r.styles[0])
        snprintf(b.styles_part, sizeof b.styles_part, "%s", r.styles);
    else
        snprintf(b.styles_part, sizeof b.styles_part, "%sstyles.xml", r.base);
    if (r.numbering[0])
        snprintf(b.num_part, sizeof b.num_part, "%s", r.numbering);
    else
        snprintf(b.num_part, sizeof b.num_part, "%snumbering.xml", r.base);

    if ((err = xml_new(&core.x, &core, core_start, core_end, core_chars, diag)) != SC_OK)
        goto out;
    err = zdoc_parse(&z, "docProps/core.xml", &core.x, diag);
    xml_free(&core.x);
    if (err != SC_OK && err != SC_ENOTFOUND)
        goto out;

    b.out = &raw;
    b.nstory = 1;
    story_reset(&b.story[0]);
    if ((err = xml_new(&b.x, &b, body_start, body_end, body_chars, diag)) != SC_OK)
        goto out;
    XML_SetNamespaceDeclHandler(b.x.parser, ns_start, ns_end);
    err = zdoc_parse(&z, main, &b.x, diag);
    xml_free(&b.x);
    if (err == SC_ENOTFOUND)
        err = sc_diag_set(diag, SC_EPARSE, "not a valid .docx: no %s", main);
    if (err != SC_OK)
        goto out;
    if (b.story[0].para.len) { /* a last paragraph whose mark was deleted */
        sc_buf_add(&raw, b.story[0].para.data, b.story[0].para.len);
        sc_buf_addc(&raw, '\n');
    }
    /* footnotes and endnotes, after the body as their own part */
    if ((err = read_notes(&z, &b, &r, diag)) != SC_OK)
        goto out;
    add_notes(&b, &raw);
    if ((err = sc_buf_err(&raw)) != SC_OK) {
        sc_diag_set(diag, err, "out of memory");
        goto out;
    }
    err = sc_ingest_clean(raw.data, raw.len, &out->text, 0, NULL, diag);
    if (err != SC_OK)
        goto out;

    /* Title hint: core title, else a Title-style paragraph, else a heading
     * at the top, else the first paragraph. */
    int nomem = 0;
    if (sc_buf_err(&core.title) == SC_OK && core.title.len) {
        struct sc_buf t = SC_BUF_INIT;
        if (sc_ingest_clean(core.title.data, core.title.len, &t, 0, NULL, NULL) == SC_OK &&
            !useless_core_title(t.data))
            out->title_hint = sc_ingest_title_dup(t.data, t.len, &nomem);
        sc_buf_release(&t);
    }
    const char *cands[] = { b.title_para, b.heading_para, b.first_para };
    for (size_t k = 0; k < 3 && !out->title_hint && !nomem; k++) {
        if (!cands[k])
            continue;
        struct sc_buf t = SC_BUF_INIT;
        if (sc_ingest_clean(cands[k], strlen(cands[k]), &t, 0, NULL, NULL) == SC_OK)
            out->title_hint = sc_ingest_title_dup(t.data, t.len, &nomem);
        sc_buf_release(&t);
    }
    if (nomem)
        err = sc_diag_set(diag, SC_ENOMEM, "out of memory");

out:
    for (int i = 0; i < MAX_STORY; i++)
        story_release(&b.story[i]);
    sc_buf_release(&b.label);
    sc_buf_release(&b.line);
    sc_buf_release(&b.note_buf);
    free(b.refs);
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < b.nnote[k]; i++)
            free(b.note[k][i].text);
        free(b.note[k]);
    }
    free(b.first_para);
    free(b.title_para);
    free(b.heading_para);
    docx_styles_free(b.styles);
    docx_num_free(b.num);
    sc_buf_release(&core.title);
    sc_buf_release(&raw);
    zdoc_close(&z);
    return err;
}
