/*
 * 提纲: the level-1 skeletons that documents of one 文种 (and, optionally,
 * on one topic) use — 一、主要工作 · 二、存在的问题 · 三、下一步打算 (61 %) —
 * with the headings clustered (存在的问题 / 存在问题 / 问题与不足 count as
 * one), each heading's usual （一） sub-headings, shares, and example
 * documents. docs/internals/skeleton.md has the rules and the figures.
 */
#ifndef SUCAI_SKELETON_H
#define SUCAI_SKELETON_H

#include "base.h"
#include "library.h"

#define SC_HEADING_KEY_MAX 128 /* bytes of a heading's cluster key */

/*
 * The cluster key of a heading (its text, with or without its label, e.g.
 * "存在的问题" or "二、存在的问题"). A heading
 * that names a section type outright and says little else (存在的问题,
 * 问题与不足, 下一步工作打算, 主要工作) clusters with the others of its
 * type: "#problems", "#plans" …; any other is its own text with the
 * numbering, punctuation, spaces and the particles 的 和 与 及 等 left out
 * ("加强组织领导"). Writes a NUL-terminated key into out and returns its
 * length (0 for a heading with no text). Pure.
 */
size_t sc_heading_key(const char *heading, size_t len, char out[SC_HEADING_KEY_MAX]);

/* Bytes of the numbering label (and the spaces after it) at the start of
 * heading: 6 for "二、存在的问题", 0 when there is none. Pure. */
size_t sc_heading_label_len(const char *heading, size_t len);

struct sc_skeleton_opts {
    const char *genre; /* 文种 (required) */
    const char *query; /* a search query narrowing the documents (NULL = all of the genre) */
    int64_t exclude;   /* a document left out (leave-one-out), 0 = none */
    int64_t doc;       /* also report this document's own level-1 keys, 0 = none */
    size_t skeletons;  /* how many skeletons (default 10, at most 50) */
    size_t headings;   /* how many headings (default 20, at most 100) */
    int entitled;      /* the caller may read paid text: headings inside paid
                        * parts count too (else they are left out) */
};

/*
 * GET /api/v1/outline-stats and `sucai outline-stats`: JSON {"genre",
 * "query", "docs" (documents considered), "outlined" (of them with level-1
 * headings), "skeletons": [{"headings": [label…], "keys": [key…], "count",
 * "share", "examples": [{"id", "title"}]}], "headings": [{"key", "label",
 * "variants": [{"text", "count"}], "count", "share", "position" (mean
 * 1-based place among the level-1 headings), "subheadings": [{"key",
 * "label", "count", "share"}]}], "doc": {"id", "keys"} when asked,
 * "took_ms"}. Shares are of "outlined". Only headings and titles are
 * shown, never body text; for a caller not entitled to paid text the
 * headings inside paid parts are left out of every count and list. SC_EPARSE for a bad query;
 * SC_EINVAL without a genre.
 */
enum sc_err sc_outline_stats_json(struct sc_library *lib, const struct sc_skeleton_opts *o,
                                  struct sc_buf *out, struct sc_diag *diag);

#endif
