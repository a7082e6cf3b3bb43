/*
 * My shelf: favourites, reading history and the cart of each account, and
 * the near duplicates of a document. Tables (docs/internals/members.md):
 *   favorites  (user_id, doc_id) -> added
 *   history    (user_id, doc_id) -> last read, times read
 *   carts      user_id -> ids (a JSON array), updated
 * and an index on documents(dup_of) for the near duplicates.
 */
#include "shelf_int.h"

#include "feed/feed_int.h"
#include "members/members_int.h"

#include <stdlib.h>
#include <string.h>

static const char shelf_sql[] =
    "CREATE TABLE IF NOT EXISTS favorites(\n"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
    "  doc_id INTEGER NOT NULL, added INTEGER NOT NULL,\n"
    "  PRIMARY KEY(user_id, doc_id)) WITHOUT ROWID;\n"
    "CREATE INDEX IF NOT EXISTS favorites_recent ON favorites(user_id, added);\n"
    "CREATE TABLE IF NOT EXISTS history(\n"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
    "  doc_id INTEGER NOT NULL, last INTEGER NOT NULL, times INTEGER NOT NULL DEFAULT 1,\n"
    "  PRIMARY KEY(user_id, doc_id)) WITHOUT ROWID;\n"
    "CREATE INDEX IF NOT EXISTS history_recent ON history(user_id, last);\n"
    "CREATE INDEX IF NOT EXISTS documents_dup ON documents(dup_of);\n"
    "CREATE TABLE IF NOT EXISTS carts(\n"
    "  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,\n"
    "  ids TEXT NOT NULL,                     -- JSON array of document ids, in order\n"
    "  updated INTEGER NOT NULL);\n";

static enum sc_err migrate(struct sc_store *st, int from, struct sc_diag *diag)
{
    (void)from;
    return sc_store_exec(st, shelf_sql, diag);
}

const struct sc_store_part sc_shelf_part = { "shelf", 1, migrate };

enum sc_err sc_shelf_schema(struct sc_library *lib, struct sc_diag *diag)
{
    /* carts is created last */
    if (sc_store_has_table(lib->db, "carts"))
        return SC_OK;
    if (lib->flags & SC_LIBRARY_READONLY)
        return sc_diag_set(diag, SC_EDENIED, "%s: the library is read-only and has no shelves",
                           sc_store_path(lib->db));
    enum sc_err e = sc_members_schema(lib, diag);
    return e == SC_OK ? migrate(lib->db, 0, diag) : e;
}

/* The principal may keep a shelf, and the tables are there. */
static enum sc_err ready(struct sc_library *lib, const struct sc_principal *p, int write,
                         struct sc_diag *diag)
{
    if (!sc_may(p, SC_ACT_SHELF))
        return sc_diag_set(diag, SC_EDENIED, "favourites, history and the cart need an account");
    if (write && (lib->flags & SC_LIBRARY_READONLY))
        return sc_diag_set(diag, SC_EDENIED, "%s: the library is open read-only", sc_store_path(lib->db));
    return sc_shelf_schema(lib, diag);
}

static int doc_exists(struct sc_library *lib, int64_t id)
{
    struct sc_stmt *st = sc_store_prepare(lib->db, "SELECT 1 FROM documents WHERE id = ?", NULL);
    if (!st)
        return 0;
    sc_stmt_bind_int64(st, 1, id);
    int yes = sc_stmt_step(st) == SC_STORE_ROW;
    sc_stmt_finalize(st);
    return yes;
}

/* One statement with ?1 = user, ?2 = doc (and ?3 = now when has_now). */
static enum sc_err exec_ud(struct sc_library *lib, const char *sql, int64_t user, int64_t doc,
                           int has_now, int *changes, struct sc_diag *diag)
{
    struct sc_stmt *st = sc_store_prepare(lib->db, sql, diag);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_int64(st, 1, user);
    sc_stmt_bind_int64(st, 2, doc);
    if (has_now)
        sc_stmt_bind_int64(st, 3, (int64_t)sc_members_now());
    enum sc_err e = sc_stmt_step(st) == SC_STORE_DONE ? SC_OK : sc_store_fail(lib->db, diag);
    if (changes)
        *changes = sc_store_changes(lib->db);
    sc_stmt_finalize(st);
    return e;
}

static int64_t count_of(struct sc_library *lib, const char *sql, int64_t user)
{
    struct sc_stmt *st = sc_store_prepare(lib->db, sql, NULL);
    int64_t n = 0;
    if (st) {
        sc_stmt_bind_int64(st, 1, user);
        if (sc_stmt_step(st) == SC_STORE_ROW)
            n = sc_stmt_column_int64(st, 0);
    }
    sc_stmt_finalize(st);
    return n;
}

enum sc_err sc_fav_add(struct sc_library *lib, const struct sc_principal *p, int64_t doc,
                       struct sc_diag *diag)
{
    enum sc_err e = ready(lib, p, 1, diag);
    if (e != SC_OK)
        return e;
    if (!doc_exists(lib, doc))
        return sc_diag_set(diag, SC_ENOTFOUND, "no document %lld", (long long)doc);
    if (count_of(lib, "SELECT count(*) FROM favorites WHERE user_id = ?", p->user_id) >=
        SC_SHELF_FAVORITES_MAX)
        return sc_diag_set(diag, SC_ELIMIT, "at most %d favourites; remove some first",
                           SC_SHELF_FAVORITES_MAX);
    return exec_ud(lib,
                   "INSERT OR IGNORE INTO favorites(user_id, doc_id, added) VALUES(?1, ?2, ?3)",
                   p->user_id, doc, 1, NULL, diag);
}

enum sc_err sc_fav_rm(struct sc_library *lib, const struct sc_principal *p, int64_t doc,
                      struct sc_diag *diag)
{
    enum sc_err e = ready(lib, p, 1, diag);
    int n = 0;
    if (e == SC_OK)
        e = exec_ud(lib, "DELETE FROM favorites WHERE user_id = ?1 AND doc_id = ?2", p->user_id,
                    doc, 0, &n, diag);
    if (e == SC_OK && !n)
        e = sc_diag_set(diag, SC_ENOTFOUND, "document %lld is not a favourite", (long long)doc);
    return e;
}

enum sc_err sc_fav_which(struct sc_library *lib, const struct sc_principal *p, const int64_t *ids,
                         size_t n, int *out, struct sc_diag *diag)
{
    memset(out, 0, n * sizeof *out);
    if (!sc_may(p, SC_ACT_SHELF) || sc_shelf_schema(lib, NULL) != SC_OK)
        return SC_OK;
    struct sc_stmt *st = sc_store_prepare(
        lib->db, "SELECT 1 FROM favorites WHERE user_id = ?1 AND doc_id = ?2", diag);
    if (!st)
        return SC_ESTORE;
    for (size_t i = 0; i < n; i++) {
        sc_stmt_reset(st);
        sc_stmt_bind_int64(st, 1, p->user_id);
        sc_stmt_bind_int64(st, 2, ids[i]);
        out[i] = sc_stmt_step(st) == SC_STORE_ROW;
    }
    sc_stmt_finalize(st);
    return SC_OK;
}

/* A page of a shelf list: rows (doc_id, time[, times]) newest first. */
static enum sc_err list_page(struct sc_library *lib, int64_t user, const char *count_sql,
                             const char *page_sql, const char *time_key, const char *times_key,
                             size_t limit, int64_t before, struct sc_buf *out, struct sc_diag *diag)
{
    if (limit > SC_SHELF_PAGE_MAX)
        limit = SC_SHELF_PAGE_MAX;
    struct sc_stmt *st = sc_store_prepare(lib->db, page_sql, diag);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_int64(st, 1, user);
    sc_stmt_bind_int64(st, 2, before > 0 ? before : INT64_MAX);
    sc_stmt_bind_int64(st, 3, (int64_t)limit + 1);
    struct sc_jw w;
    sc_jw_init(&w, out);
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_jw_kint(&w, "total", count_of(lib, count_sql, user));
    sc_jw_key(&w, "items");
    sc_jw_arr(&w, SC_JW_INLINE);
    enum sc_err e = SC_OK;
    size_t n = 0;
    int64_t last = 0, more = 0;
    while (e == SC_OK && sc_stmt_step(st) == SC_STORE_ROW) {
        if (n == limit) {
            more = 1;
            break;
        }
        int64_t doc = sc_stmt_column_int64(st, 0);
        int64_t t = sc_stmt_column_int64(st, 1);
        last = t;
        n++;
        struct sc_doc d;
        enum sc_err ge = sc_doc_get(lib, doc, SC_DOC_TEXT, &d, NULL);
        if (ge == SC_ENOTFOUND)
            continue;
        if (ge != SC_OK) {
            e = sc_diag_set(diag, ge, "reading document %lld", (long long)doc);
            break;
        }
        sc_jw_obj(&w, SC_JW_INLINE);
        sc_doc_card(&w, &d);
        char ts[21];
        sc_time_rfc3339(ts, t);
        sc_jw_kstrz(&w, time_key, ts);
        if (times_key)
            sc_jw_kint(&w, times_key, sc_stmt_column_int64(st, 2));
        sc_jw_obj_end(&w);
        sc_doc_release(&d);
    }
    sc_stmt_finalize(st);
    sc_jw_arr_end(&w);
    /* times are seconds: items of one second share a page boundary
     * imperfectly; next_before continues strictly before it */
    if (more && last)
        sc_jw_kint(&w, "next_before", last);
    else
        sc_jw_knull(&w, "next_before");
    sc_jw_obj_end(&w);
    if (e == SC_OK && sc_jw_finish(&w) != SC_OK)
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
    return e;
}

enum sc_err sc_fav_list(struct sc_library *lib, const struct sc_principal *p, size_t limit,
                        int64_t before, struct sc_buf *out, struct sc_diag *diag)
{
    enum sc_err e = ready(lib, p, 0, diag);
    if (e != SC_OK)
        return e;
    return list_page(lib, p->user_id, "SELECT count(*) FROM favorites WHERE user_id = ?1",
                     "SELECT doc_id, added FROM favorites WHERE user_id = ?1 AND added < ?2 "
                     "ORDER BY added DESC, doc_id DESC LIMIT ?3",
                     "added", NULL, limit, before, out, diag);
}

enum sc_err sc_history_add(struct sc_library *lib, const struct sc_principal *p, int64_t doc,
                           struct sc_diag *diag)
{
    enum sc_err e = ready(lib, p, 1, diag);
    if (e != SC_OK)
        return e;
    e = exec_ud(lib,
                "INSERT INTO history(user_id, doc_id, last) VALUES(?1, ?2, ?3) "
                "ON CONFLICT(user_id, doc_id) DO UPDATE SET last = ?3, times = history.times + 1",
                p->user_id, doc, 1, NULL, diag);
    /* keep the newest SC_SHELF_HISTORY_KEPT (checked now and then: every
     * 50th read of an account with that many) */
    if (e == SC_OK && doc % 50 == 0 &&
        count_of(lib, "SELECT count(*) FROM history WHERE user_id = ?1", p->user_id) >
            SC_SHELF_HISTORY_KEPT)
        e = exec_ud(lib,
                    "DELETE FROM history WHERE user_id = ?1 AND last < (SELECT last FROM history "
                    "WHERE user_id = ?1 ORDER BY last DESC LIMIT 1 OFFSET ?2)",
                    p->user_id, SC_SHELF_HISTORY_KEPT - 1, 0, NULL, diag);
    return e;
}

enum sc_err sc_history_list(struct sc_library *lib, const struct sc_principal *p, size_t limit,
                            int64_t before, struct sc_buf *out, struct sc_diag *diag)
{
    enum sc_err e = ready(lib, p, 0, diag);
    if (e != SC_OK)
        return e;
    return list_page(lib, p->user_id, "SELECT count(*) FROM history WHERE user_id = ?1",
                     "SELECT doc_id, last, times FROM history WHERE user_id = ?1 AND last < ?2 "
                     "ORDER BY last DESC, doc_id DESC LIMIT ?3",
                     "read_at", "times", limit, before, out, diag);
}

enum sc_err sc_history_clear(struct sc_library *lib, const struct sc_principal *p,
                             struct sc_diag *diag)
{
    enum sc_err e = ready(lib, p, 1, diag);
    struct sc_stmt *st =
        e == SC_OK ? sc_store_prepare(lib->db, "DELETE FROM history WHERE user_id = ?", diag)
                   : NULL;
    if (e != SC_OK || !st)
        return e != SC_OK ? e : SC_ESTORE;
    sc_stmt_bind_int64(st, 1, p->user_id);
    e = sc_stmt_step(st) == SC_STORE_DONE ? SC_OK : sc_store_fail(lib->db, diag);
    sc_stmt_finalize(st);
    return e;
}

/* ---------------------------------------------------------------- cart */

enum sc_err sc_cart_set(struct sc_library *lib, const struct sc_principal *p, const int64_t *ids,
                        size_t n, size_t *dropped, struct sc_diag *diag)
{
    if (dropped)
        *dropped = 0;
    enum sc_err e = ready(lib, p, 1, diag);
    if (e != SC_OK)
        return e;
    if (n > SC_SHELF_CART_MAX)
        return sc_diag_set(diag, SC_ELIMIT, "the cart holds at most %d documents (%zu given)",
                           SC_SHELF_CART_MAX, n);
    struct sc_buf b = SC_BUF_INIT;
    sc_buf_addc(&b, '[');
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        int dup = 0;
        for (size_t j = 0; j < i && !dup; j++)
            dup = ids[j] == ids[i];
        if (dup)
            continue;
        if (ids[i] <= 0 || !doc_exists(lib, ids[i])) {
            if (dropped)
                (*dropped)++;
            continue;
        }
        sc_buf_addf(&b, "%s%lld", kept++ ? "," : "", (long long)ids[i]);
    }
    sc_buf_addc(&b, ']');
    if (sc_buf_err(&b) != SC_OK) {
        sc_buf_release(&b);
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    }
    struct sc_stmt *st =
        sc_store_prepare(lib->db,
                         "INSERT INTO carts(user_id, ids, updated) VALUES(?1, ?2, ?3) "
                         "ON CONFLICT(user_id) DO UPDATE SET ids = ?2, updated = ?3",
                         diag);
    if (!st) {
        sc_buf_release(&b);
        return SC_ESTORE;
    }
    sc_stmt_bind_int64(st, 1, p->user_id);
    sc_stmt_bind_text(st, 2, b.data, (int)b.len);
    sc_stmt_bind_int64(st, 3, (int64_t)sc_members_now());
    e = sc_stmt_step(st) == SC_STORE_DONE ? SC_OK : sc_store_fail(lib->db, diag);
    sc_stmt_finalize(st);
    sc_buf_release(&b);
    return e;
}

enum sc_err sc_cart_get(struct sc_library *lib, const struct sc_principal *p, struct sc_buf *out,
                        struct sc_diag *diag)
{
    enum sc_err e = ready(lib, p, 0, diag);
    if (e != SC_OK)
        return e;
    struct sc_stmt *st =
        sc_store_prepare(lib->db, "SELECT ids, updated FROM carts WHERE user_id = ?", diag);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_int64(st, 1, p->user_id);
    struct sc_json j;
    memset(&j, 0, sizeof j);
    int64_t updated = 0;
    if (sc_stmt_step(st) == SC_STORE_ROW) {
        const char *ids = sc_stmt_column_text(st, 0);
        updated = sc_stmt_column_int64(st, 1);
        if (!ids || sc_json_parse(&j, ids, strlen(ids), 0, NULL) != SC_OK)
            sc_json_release(&j);
    }
    sc_stmt_finalize(st);
    struct sc_jw w;
    sc_jw_init(&w, out);
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_jw_key(&w, "ids");
    sc_jw_arr(&w, SC_JW_INLINE);
    const struct sc_json_node *root = sc_json_root(&j);
    for (const struct sc_json_node *c = root ? sc_json_first(&j, root) : NULL; c;
         c = sc_json_next(&j, c)) {
        int64_t id;
        if (sc_json_int(c, 1, INT64_MAX, &id) == 0 && doc_exists(lib, id))
            sc_jw_int(&w, id);
    }
    sc_jw_arr_end(&w);
    if (updated) {
        char t[21];
        sc_time_rfc3339(t, updated);
        sc_jw_kstrz(&w, "updated", t);
    } else {
        sc_jw_knull(&w, "updated");
    }
    sc_jw_key(&w, "docs");
    sc_jw_arr(&w, SC_JW_INLINE);
    for (const struct sc_json_node *c = root ? sc_json_first(&j, root) : NULL; c && e == SC_OK;
         c = sc_json_next(&j, c)) {
        int64_t id;
        struct sc_doc d;
        if (sc_json_int(c, 1, INT64_MAX, &id) != 0 || sc_doc_get(lib, id, 0, &d, NULL) != SC_OK)
            continue;
        sc_jw_obj(&w, SC_JW_INLINE);
        sc_jw_kint(&w, "id", d.id);
        sc_jw_kstrz(&w, "title", d.title);
        sc_jw_kbool(&w, "locked", d.paid_from_cp >= 0);
        sc_jw_obj_end(&w);
        sc_doc_release(&d);
    }
    sc_jw_arr_end(&w);
    sc_jw_obj_end(&w);
    sc_json_release(&j);
    if (sc_jw_finish(&w) != SC_OK)
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
    return e;
}

/* ---------------------------------------------------------------- near duplicates */

/* The linked documents of id, with the similarity of each link. */
#define NEAR_SQL                                                                              \
    "SELECT x.id, CASE WHEN x.dup_of = d.id THEN x.similarity WHEN d.dup_of = x.id THEN "     \
    "d.similarity ELSE NULL END FROM documents d JOIN documents x ON x.id != d.id AND "       \
    "(x.dup_of = d.id OR x.id = d.dup_of OR (d.dup_of IS NOT NULL AND x.dup_of = d.dup_of)) " \
    "WHERE d.id = ?1 ORDER BY x.id"

enum sc_err sc_near_json(struct sc_library *lib, int64_t id, struct sc_buf *out,
                         struct sc_diag *diag)
{
    if (!doc_exists(lib, id))
        return sc_diag_set(diag, SC_ENOTFOUND, "no document %lld", (long long)id);
    (void)sc_shelf_schema(lib, NULL); /* the dup_of index, where it can be made */
    struct sc_stmt *st = sc_store_prepare(lib->db, NEAR_SQL " LIMIT 100", diag);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_int64(st, 1, id);
    struct sc_jw w;
    sc_jw_init(&w, out);
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_jw_kint(&w, "id", id);
    sc_jw_key(&w, "near");
    sc_jw_arr(&w, SC_JW_INLINE);
    enum sc_err e = SC_OK;
    while (e == SC_OK && sc_stmt_step(st) == SC_STORE_ROW) {
        struct sc_doc d;
        enum sc_err ge = sc_doc_get(lib, sc_stmt_column_int64(st, 0), SC_DOC_TEXT, &d, NULL);
        if (ge == SC_ENOTFOUND)
            continue;
        if (ge != SC_OK) {
            e = sc_diag_set(diag, ge, "reading a document");
            break;
        }
        sc_jw_obj(&w, SC_JW_INLINE);
        sc_doc_card(&w, &d);
        if (sc_stmt_column_type(st, 1) == SC_COL_NULL)
            sc_jw_knull(&w, "similarity");
        else
            sc_jw_knum(&w, "similarity", sc_stmt_column_double(st, 1), 3);
        sc_jw_obj_end(&w);
        sc_doc_release(&d);
    }
    sc_stmt_finalize(st);
    sc_jw_arr_end(&w);
    sc_jw_obj_end(&w);
    if (e == SC_OK && sc_jw_finish(&w) != SC_OK)
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
    return e;
}

enum sc_err sc_near_counts(struct sc_library *lib, const int64_t *ids, size_t n, int64_t *counts,
                           struct sc_diag *diag)
{
    memset(counts, 0, n * sizeof *counts);
    struct sc_stmt *st = sc_store_prepare(lib->db, "SELECT count(*) FROM (" NEAR_SQL ") AS near", diag);
    if (!st)
        return SC_ESTORE;
    for (size_t i = 0; i < n; i++) {
        sc_stmt_reset(st);
        sc_stmt_bind_int64(st, 1, ids[i]);
        if (sc_stmt_step(st) == SC_STORE_ROW)
            counts[i] = sc_stmt_column_int64(st, 0);
    }
    sc_stmt_finalize(st);
    return SC_OK;
}
