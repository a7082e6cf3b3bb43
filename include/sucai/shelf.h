/*
 * My shelf: what a member keeps on the server so that it follows them to
 * another computer: favourites (收藏), reading history, and the 汇编 cart.
 * Also the near duplicates of a document ("此文另见 N 篇相近文档"), from the
 * links the import records (dup_of, similarity: docs/gongwen.md).
 *
 * Every shelf function takes the principal whose shelf it is; it must have
 * an account (sc_may(p, SC_ACT_SHELF)), else SC_EDENIED. Lists show
 * documents as every list does (metadata and the free opening, never paid
 * text). A document removed from the library drops out of the lists.
 */
#ifndef SUCAI_SHELF_H
#define SUCAI_SHELF_H

#include "base.h"
#include "library.h"
#include "members.h"

#define SC_SHELF_FAVORITES_MAX 2000 /* favourites per account */
#define SC_SHELF_HISTORY_KEPT  500  /* documents in the reading history (the newest) */
#define SC_SHELF_CART_MAX      500  /* documents in the cart */
#define SC_SHELF_PAGE_MAX      100

/* Add document doc to p's favourites (again: no change). SC_ENOTFOUND for
 * a document that does not exist, SC_ELIMIT beyond SC_SHELF_FAVORITES_MAX. */
enum sc_err sc_fav_add(struct sc_library *lib, const struct sc_principal *p, int64_t doc,
                       struct sc_diag *diag);
/* Remove it (SC_ENOTFOUND if it was not a favourite). */
enum sc_err sc_fav_rm(struct sc_library *lib, const struct sc_principal *p, int64_t doc,
                      struct sc_diag *diag);
/* JSON {"total", "items": [{document card, "added"}], "next_before"}:
 * newest first; before > 0 continues a list (the "added" time of its last
 * item, which next_before gives). limit at most SC_SHELF_PAGE_MAX. */
enum sc_err sc_fav_list(struct sc_library *lib, const struct sc_principal *p, size_t limit,
                        int64_t before, struct sc_buf *out, struct sc_diag *diag);
/* Which of ids[0..n) are p's favourites: out[i] = 0/1. */
enum sc_err sc_fav_which(struct sc_library *lib, const struct sc_principal *p, const int64_t *ids,
                         size_t n, int *out, struct sc_diag *diag);

/* Record that p opened document doc (the reader does it); only the newest
 * SC_SHELF_HISTORY_KEPT documents are kept. */
enum sc_err sc_history_add(struct sc_library *lib, const struct sc_principal *p, int64_t doc,
                           struct sc_diag *diag);
/* JSON {"total", "items": [{document card, "read_at", "times"}],
 * "next_before"}: the last read first. */
enum sc_err sc_history_list(struct sc_library *lib, const struct sc_principal *p, size_t limit,
                            int64_t before, struct sc_buf *out, struct sc_diag *diag);
enum sc_err sc_history_clear(struct sc_library *lib, const struct sc_principal *p,
                             struct sc_diag *diag);

/* The cart: a list of document ids in the member's order. sc_cart_set
 * replaces it (ids that do not exist are dropped and listed in *dropped,
 * may be NULL; repeats are kept once); SC_ELIMIT beyond
 * SC_SHELF_CART_MAX. sc_cart_get: JSON {"ids": [...], "updated" (time or
 * null), "docs": [{"id", "title", "locked"}]}. */
enum sc_err sc_cart_set(struct sc_library *lib, const struct sc_principal *p, const int64_t *ids,
                        size_t n, size_t *dropped, struct sc_diag *diag);
enum sc_err sc_cart_get(struct sc_library *lib, const struct sc_principal *p, struct sc_buf *out,
                        struct sc_diag *diag);

/* Near duplicates of document id: the documents the import linked to it
 * (its dup_of, those whose dup_of it is, and those sharing its dup_of).
 * JSON {"id", "near": [{document card, "similarity" (or null)}]}.
 * SC_ENOTFOUND for a missing document. */
enum sc_err sc_near_json(struct sc_library *lib, int64_t id, struct sc_buf *out,
                         struct sc_diag *diag);
/* Their number for each of ids[0..n) (0 for missing documents). */
enum sc_err sc_near_counts(struct sc_library *lib, const int64_t *ids, size_t n, int64_t *counts,
                           struct sc_diag *diag);

#endif
