/*
 * The library: one folder holding the SQLite store (the source of truth:
 * original bytes of every source, documents, outline, metadata, users) and
 * the search index derived from it. The CLI and the server open a library
 * and call the functions below; nothing else touches the files.
 */
#ifndef SUCAI_LIBRARY_H
#define SUCAI_LIBRARY_H

#include "base.h"
#include "docno.h"
#include "gongwen.h"

struct sc_library; /* opaque */

#define SC_DEFAULT_LIBRARY "sucai-library"

/* Which library to use: explicit dir, else $SUCAI_LIBRARY, else
 * ./sucai-library. A library is a folder, or a PostgreSQL URL
 * (postgresql://user@host/db, any libpq URL) whose index lives in
 * $SUCAI_CACHE or ~/.cache/sucai/<hash of the URL without its password>
 * (docs/internals/store.md). Returns a static or borrowed string. */
const char *sc_library_default_dir(const char *explicit_dir);

/* Create the folder and an empty store. SC_EDUPLICATE if one exists. */
enum sc_err sc_library_create(const char *dir, struct sc_diag *diag);

enum sc_library_flags {
    SC_LIBRARY_READONLY = 1 << 0, /* never writes (also skips index catch-up) */
    SC_LIBRARY_CREATE = 1 << 1,   /* create if missing */
};

/* Open a library; SC_ENOTFOUND with a hint to run `sucai init` if missing.
 * On open the search index is checked against the store and any lag is
 * caught up (unless READONLY). The caller closes with sc_library_close. */
enum sc_err sc_library_open(const char *dir, int flags, struct sc_library **out,
                            struct sc_diag *diag);
void sc_library_close(struct sc_library *lib);
/* The location as given to sc_library_open (a folder or a URL): what
 * another connection opens. Borrowed. */
const char *sc_library_dir(const struct sc_library *lib);
/* The location as messages and logs name it: a URL without its password.
 * Borrowed. */
const char *sc_library_name(const struct sc_library *lib);
/* The schema of the library's store, part by part (library, members,
 * watch, shelf): the version it records (-1: unreadable) and the one this
 * sucai knows. A library opened to write is brought up to what it knows
 * (`sucai migrate`). Fills up to cap entries, returns how many parts. */
struct sc_schema_part {
    const char *name; /* static */
    int have, knows;
};
size_t sc_library_schema(struct sc_library *lib, struct sc_schema_part *out, size_t cap);

/* Read what needs no freshness — searches' snippets, the index's builds,
 * the change-log follower, document reads — from a standby at location (a
 * PostgreSQL URL; the library's own must be one too); writes, logins,
 * quotas and allowances stay on the primary. A read that names a change
 * (min_seq) waits for the standby to have it. Call before the library is
 * shared by threads; SC_EINVAL for a folder, the open's error for a
 * standby that cannot be opened. */
enum sc_err sc_library_read_from(struct sc_library *lib, const char *location,
                                 struct sc_diag *diag);

/* The change log's last number: every document stored, re-parsed or
 * removed gets the next one in the transaction that makes the change. An
 * answer that reflects number n reflects every change up to it (see
 * sc_index_seq); 0 for a library with no change yet or on a store error. */
int64_t sc_library_seq(struct sc_library *lib);

/* A stored document. All strings owned by the struct; release with
 * sc_doc_release. Offsets are code points into text. */
struct sc_doc {
    int64_t id;
    char *title;
    char *text;        /* original text: title as first line, '\n' paragraphs */
    size_t text_len;   /* bytes */
    int64_t chars;     /* code points of text, '\n' excluded */
    int64_t source_id;
    char *source_file; /* file name as imported */
    int part;          /* 1-based article number within its source */
    char *genre;       /* NULL = unknown */
    int year;          /* 0 = unknown */
    char *unit;
    char *level;
    char *topics_json; /* JSON array of strings, e.g. ["食品安全"] */
    int64_t paid_from_cp; /* -1 = none */
    int64_t paid_to_cp;   /* -1 = to the end */
    int64_t dup_of;    /* 0 = none */
    double similarity; /* with dup_of */
    /* 发文字号 (canonical, "" = none) and 成文日期 (YYYYMMDD, 0 = unknown):
     * derived from the text (include/sucai/docno.h), set when it is loaded */
    char docno[SC_DOCNO_MAX];
    int32_t docdate;
    struct sc_section *sections;
    size_t nsections;
};

enum sc_doc_flags {
    SC_DOC_TEXT = 1 << 0,    /* load text */
    SC_DOC_OUTLINE = 1 << 1, /* load sections */
};

void sc_doc_release(struct sc_doc *doc);
enum sc_err sc_doc_get(struct sc_library *lib, int64_t id, int flags, struct sc_doc *out,
                       struct sc_diag *diag);
/* Call fn for every document in id order (ids in (after_id, ...]). fn returns
 * non-zero to stop. The doc is borrowed for the duration of the call. */
typedef int sc_doc_fn(void *ctx, const struct sc_doc *doc);
enum sc_err sc_doc_foreach(struct sc_library *lib, int64_t after_id, int flags, sc_doc_fn *fn,
                           void *ctx, struct sc_diag *diag);

/* ---- the paid cut: what part of a text a caller may see ----
 * One rule for every path that shows or matches text (the reader, its
 * sections, search matches and snippets, section paths, export;
 * docs/internals/members.md, "the paid rule"):
 *  - a document's paid range [paid_from, paid_to) (paid_to -1 = to the
 *    end) is withheld from a caller who may not read paid text;
 *  - the title line (the first line of the text) is public and never
 *    withheld; an empty range withholds nothing;
 *  - a span of text is visible only when it lies wholly outside the
 *    withheld range (a match that reaches one character into it is a paid
 *    match);
 *  - a section whose heading line meets the withheld range is a paid
 *    section: its heading, kind and place are withheld too, unless the
 *    library shows paid headings as a teaser (setting paid.headings).
 */
struct sc_view {
    int entitled; /* may read paid text (sc_may SC_ACT_READ_PAID): sees everything */
    int headings; /* paid section headings shown as a teaser */
};

/* The cut on plain numbers, in whatever unit the caller counts (code
 * points of the text, or the index's normalised code points): the paid
 * range, the start of the body (the first unit after the title line; len
 * when there is no body) and the length of the text. Sets [*from, *to) to
 * the withheld units and returns 1, or sets both to 0 and returns 0 when
 * nothing is withheld. */
int sc_paid_cut(int64_t paid_from, int64_t paid_to, int64_t body, int64_t len, int64_t *from,
                int64_t *to);
/* The cut of one document for one view, in code points of doc->text. */
struct sc_cut {
    int64_t from_cp, to_cp; /* withheld [from, to); from == to: nothing is withheld */
    int64_t line_cp;        /* start of the line holding `from`: a section starting in
                             * [line, to) has its heading in the withheld range */
    int headings;     /* the view sees paid headings (teaser) */
};
/* The cut of a document loaded with SC_DOC_TEXT for view v (NULL = may
 * not read paid text, no teaser). Returns 1 when something is withheld. */
int sc_doc_cut(const struct sc_doc *doc, const struct sc_view *v, struct sc_cut *out);
/* Is [a, b) wholly outside the withheld range? */
static inline int sc_cut_visible(const struct sc_cut *c, int64_t a, int64_t b)
{
    return c->from_cp == c->to_cp || b <= c->from_cp || a >= c->to_cp;
}
/* Does the view see section s (its heading, kind and place)? */
static inline int sc_cut_section_shown(const struct sc_cut *c, const struct sc_section *s)
{
    return c->from_cp == c->to_cp || c->headings || s->start_cp < c->line_cp ||
           s->start_cp >= c->to_cp;
}

struct sc_jw;
/* JSON object of a document's metadata (the `sucai list --json` fields):
 * appended to b, or written as one value into w. */
void sc_doc_json_meta(struct sc_buf *b, const struct sc_doc *doc);
void sc_doc_jw_meta(struct sc_jw *w, const struct sc_doc *doc);
/* The full JSON object of a document (`sucai show --json`, GET /api/v1/docs/{id}):
 * the metadata fields plus "source": {"file", "part"}, "docno" (发文字号 or
 * null), "date" (成文日期 "YYYY-MM-DD" or null), "text", "normalized",
 * "outline", "locked". The doc must be loaded with SC_DOC_TEXT|SC_DOC_OUTLINE.
 * For a view that may not read paid text, the paid range is withheld:
 * "text" holds only the free part(s), "withheld": [start, end] gives the
 * code points of the full text left out, "locked" is true, "outline" holds
 * only the sections the view sees (offsets inside the withheld range moved
 * to its start) and "paid_sections" counts the sections left out. */
void sc_doc_json(struct sc_buf *b, const struct sc_doc *doc, const struct sc_view *v);
/* Section n of the outline view v sees, with its text (GET
 * /api/v1/docs/{id}/sections/{n}): {"doc", "n", "title", "section",
 * "locked", "text"} and "withheld": [start, end] for the part of the
 * section left out. SC_ENOTFOUND (naming the sections there are) for an n
 * past that outline. */
enum sc_err sc_section_json(struct sc_buf *b, const struct sc_doc *doc, int64_t n,
                            const struct sc_view *v, struct sc_diag *diag);
/* The text view v may read, as sc_doc_json's "text" (the free parts, for
 * a view that may not read paid text): appended to out. */
void sc_doc_text_shown(struct sc_buf *out, const struct sc_doc *doc, const struct sc_view *v);
/* Outline as a JSON array (the `outline` field of `sucai show --json`). */
void sc_sections_json(struct sc_buf *b, const struct sc_section *s, size_t n);

/* ---- import ---- */

enum sc_import_status {
    SC_IMPORT_IMPORTED,
    SC_IMPORT_DUPLICATE,
    SC_IMPORT_REFUSED,
};
const char *sc_import_status_name(enum sc_import_status s);

struct sc_import_result {
    const char *file;          /* borrowed, valid during the callback */
    enum sc_import_status status;
    const int64_t *docs;       /* ids of documents created (or matched, for duplicates) */
    size_t ndocs;
    const char *reason;        /* refusal / duplicate reason, "" otherwise */
    uint64_t bytes;            /* size of the file */
    int64_t seq;               /* change-log number of its last document (0: none stored) */
};

/* Called once per input file, in order. Return non-zero to stop the batch. */
/* The JSON object of one file's outcome (the contract of `sucai import
 * --json` and of POST /api/v1/import's "files"): {"file", "status",
 * "docs", "reason", "bytes", "seq"} written into w (sucai/json.h). */
struct sc_jw;
void sc_import_result_json(struct sc_jw *w, const struct sc_import_result *r);

typedef int sc_import_fn(void *ctx, const struct sc_import_result *r);

struct sc_import_opts {
    sc_import_fn *on_file;     /* may be NULL */
    void *ctx;
    /* progress: called before each file with (files done, files total) */
    void (*on_progress)(void *ctx, size_t done, size_t total, const char *file);
};

struct sc_import_summary {
    size_t imported, duplicates, refused, docs;
    uint64_t bytes;
    int64_t seq; /* the highest change-log number of the batch (0: nothing stored) */
};

/*
 * Import files and folders (recursively; symlink loops are detected). Each
 * file is stored all or nothing; files are committed in groups (every 50 ms)
 * and on_file is called for each only after its group committed, so after
 * a crash the store holds every file reported. Files are prepared on
 * worker threads (on_file and on_progress are called on the caller's).
 * Returns SC_OK even when files were refused (see the summary); an error
 * return means the library itself failed.
 */
enum sc_err sc_import_paths(struct sc_library *lib, const char *const *paths, size_t npaths,
                            const struct sc_import_opts *opts, struct sc_import_summary *sum,
                            struct sc_diag *diag);
/* Import one in-memory file (used by the server's upload). Once the file
 * is stored it is SC_OK even when the index cannot follow at once (then
 * sc_index_stale says why, and the next sync catches up). */
enum sc_err sc_import_bytes(struct sc_library *lib, const char *name, const void *data,
                            size_t len, const struct sc_import_opts *opts,
                            struct sc_import_summary *sum, struct sc_diag *diag);

/* Re-run the pipeline over every stored source (documents are replaced,
 * ids of unchanged articles are kept). */
enum sc_err sc_reparse(struct sc_library *lib, struct sc_import_summary *sum,
                       struct sc_diag *diag);

/* ---- statistics and boilerplate ---- */

struct sc_stats {
    int64_t documents, chars, sources, refused, duplicates_near;
    int64_t store_bytes, index_bytes;
    int64_t boilerplate_lines;
};
enum sc_err sc_stats_get(struct sc_library *lib, struct sc_stats *out, struct sc_diag *diag);
/* {"documents", "chars", "sources", "refused", "near_duplicates",
 * "boilerplate_lines", "store_bytes", "index_bytes", "library_bytes"} and a
 * line break, appended to b (`sucai stats --json`, GET /api/v1/stats). */
void sc_stats_json(struct sc_buf *b, const struct sc_stats *s);

/* Write the stripped boilerplate lines as a JSON array, or as text lines. */
enum sc_err sc_boilerplate_list(struct sc_library *lib, int json, struct sc_buf *out,
                                struct sc_diag *diag);

#endif
