/*
 * Saved searches: the tables, saving and removing, the lists a member
 * sees ("N new since you last looked"), and the private feed behind a
 * token. Matching is in match.c.
 *
 * Tables (docs/internals/watch.md):
 *   watches      one row per saved search; after_id: documents with larger
 *                ids are new to it; seen_doc: its matches up to this
 *                document id have been looked at; nhits, last_hit: kept
 *                matches and the time of the newest; feed_hash: SHA-256 of
 *                the feed token (NULL: no feed)
 *   watch_hits   the matches of one saved search in one run: the document
 *                ids (ascending, varint deltas), their number and the
 *                last; a (saved search, document) pair is in one row, once
 *   watch_state  'mark': the highest document id matched; 'version':
 *                bumped by every change of watches (the matcher's cache)
 */
#include "watch_int.h"

#include "feed/feed_int.h"
#include "members/members_int.h"
#include "search/codec.h"
#include "search/query.h"
#include "sucai/search.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FEED_PREFIX    "swf_"
#define FEED_TOKEN_LEN (4 + SC_SECRET_HEX)
#define FEED_ENTRIES   50
#define MAX_HITS_PAGE  100

static const char watch_sql[] =
    "CREATE TABLE IF NOT EXISTS watches(\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  user_id INTEGER REFERENCES users(id) ON DELETE CASCADE, -- NULL = the operator\n"
    "  name TEXT NOT NULL,\n"
    "  query TEXT NOT NULL,                   -- as saved, filters as fields\n"
    "  created INTEGER NOT NULL,\n"
    "  after_id INTEGER NOT NULL,             -- documents above this id are new to it\n"
    "  seen_doc INTEGER NOT NULL,             -- matches up to this document were looked at\n"
    "  nhits INTEGER NOT NULL DEFAULT 0,      -- matches kept\n"
    "  last_hit INTEGER,                      -- time of the newest match\n"
    "  feed_hash TEXT UNIQUE);                -- SHA-256 of the feed token, NULL = none\n"
    "CREATE UNIQUE INDEX IF NOT EXISTS watches_name ON watches(coalesce(user_id, 0), name);\n"
    "CREATE TABLE IF NOT EXISTS watch_hits(\n"
    "  watch_id INTEGER NOT NULL,\n"
    "  last_doc INTEGER NOT NULL,             -- the highest id in docs\n"
    "  n INTEGER NOT NULL,                    -- ids in docs\n"
    "  docs BLOB NOT NULL,                    -- ascending ids as varint deltas\n"
    "  at INTEGER NOT NULL,                   -- when they were matched\n"
    "  PRIMARY KEY(watch_id, last_doc)) WITHOUT ROWID;\n"
    "CREATE INDEX IF NOT EXISTS sources_imported ON sources(imported_at);\n"
    "CREATE TABLE IF NOT EXISTS watch_state(key TEXT PRIMARY KEY, value INTEGER NOT NULL)\n"
    "  WITHOUT ROWID;\n"
    "INSERT OR IGNORE INTO watch_state VALUES('version', 0);\n"
    "INSERT OR IGNORE INTO watch_state\n"
    "  SELECT 'mark', coalesce(max(id), 0) FROM documents;\n";

static int have_tables(struct sc_library *lib)
{
    /* the mark is inserted last: a run cut short is completed next time */
    return sc_store_has_table(lib->db, "watch_state") &&
           sc_store_int(lib->db, "SELECT count(*) FROM watch_state WHERE key = 'mark'") == 1;
}

/* Every statement is idempotent (no BEGIN: the connection is shared). */
static enum sc_err migrate(struct sc_store *st, int from, struct sc_diag *diag)
{
    (void)from;
    return sc_store_exec(st, watch_sql, diag);
}

const struct sc_store_part sc_watch_part = { "watch", 1, migrate };

enum sc_err sc_watch_schema(struct sc_library *lib, struct sc_diag *diag)
{
    if (have_tables(lib))
        return SC_OK;
    if (lib->flags & SC_LIBRARY_READONLY)
        return sc_diag_set(diag, SC_EDENIED,
                           "%s: the library is read-only and has no saved searches", sc_store_path(lib->db));
    enum sc_err e = sc_members_schema(lib, diag);
    if (e != SC_OK)
        return e;
    return migrate(lib->db, 0, diag);
}

static enum sc_err ready(struct sc_library *lib, int write, struct sc_diag *diag)
{
    if (write && (lib->flags & SC_LIBRARY_READONLY))
        return sc_diag_set(diag, SC_EDENIED, "%s: the library is open read-only", sc_store_path(lib->db));
    return sc_watch_schema(lib, diag);
}

static void bump_version(struct sc_library *lib)
{
    (void)sc_store_exec(lib->db, "UPDATE watch_state SET value = value + 1 WHERE key = 'version'",
                        NULL);
}

/* owner_id: the owner's account, 0 for the operator (NULL owner). */
static int64_t owner_id(const struct sc_principal *owner)
{
    return owner ? owner->user_id : 0;
}

static enum sc_err check_name(const char *name, struct sc_diag *diag)
{
    size_t n = strnlen(name, SC_WATCH_NAME_MAX + 1);
    if (n > SC_WATCH_NAME_MAX)
        return sc_diag_set(diag, SC_EINVAL, "name too long (at most %d bytes)", SC_WATCH_NAME_MAX);
    if (!sc_utf8_valid(name, n, NULL))
        return sc_diag_set(diag, SC_EINVAL, "name is not valid UTF-8");
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
            return sc_diag_set(diag, SC_EINVAL, "name may not contain control characters");
    return SC_OK;
}

/* The query cut to a name: at most SC_WATCH_NAME_MAX bytes on a code point
 * boundary, control characters as spaces. */
static void default_name(const char *query, char out[SC_WATCH_NAME_MAX + 1])
{
    size_t n = strlen(query);
    if (n > SC_WATCH_NAME_MAX) {
        n = SC_WATCH_NAME_MAX;
        while (n > 0 && ((unsigned char)query[n] & 0xC0) == 0x80)
            n--;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = (unsigned char)query[i] < 0x20 ? ' ' : query[i];
    out[n] = '\0';
}

enum sc_err sc_watch_add(struct sc_library *lib, const struct sc_principal *owner, const char *name,
                         const char *query, int64_t *id, struct sc_diag *diag)
{
    if (id)
        *id = 0;
    if (owner && !sc_may(owner, SC_ACT_SHELF))
        return sc_diag_set(diag, SC_EDENIED, "saved searches need an account: sign in first");
    if (!query || !*query)
        return sc_diag_set(diag, SC_EINVAL, "a query is needed");
    size_t qlen = strlen(query);
    if (qlen > SC_MAX_QUERY_BYTES)
        return sc_diag_set(diag, SC_ELIMIT, "query too long (%zu bytes, at most %d)", qlen,
                           SC_MAX_QUERY_BYTES);
    struct sc_query q;
    enum sc_err e = sc_query_parse(query, qlen, &q, diag);
    int empty = e == SC_OK && !q.root;
    sc_query_release(&q);
    if (e != SC_OK)
        return e;
    if (empty)
        return sc_diag_set(diag, SC_EPARSE, "empty query");
    char dname[SC_WATCH_NAME_MAX + 1];
    if (!name || !*name) {
        default_name(query, dname);
        name = dname;
    }
    e = check_name(name, diag);
    if (e == SC_OK)
        e = ready(lib, 1, diag);
    if (e != SC_OK)
        return e;
    int64_t uid = owner_id(owner);
    if (owner) {
        struct sc_stmt *c =
            sc_store_prepare(lib->db, "SELECT count(*) FROM watches WHERE user_id = ?", diag);
        if (!c)
            return SC_ESTORE;
        sc_stmt_bind_int64(c, 1, uid);
        int64_t have = sc_stmt_step(c) == SC_STORE_ROW ? sc_stmt_column_int64(c, 0) : 0;
        sc_stmt_finalize(c);
        int lim = sc_watch_limit(owner);
        if (have >= lim)
            return sc_diag_set(diag, SC_ELIMIT, "%s may keep %d saved searches; remove one first",
                               sc_tier_name(owner->tier), lim);
    }
    /* new to it: what is imported from now on (one statement: the id and
     * the mark are read where the row is written) */
    struct sc_stmt *st = sc_store_prepare(
        lib->db,
        "INSERT INTO watches(user_id, name, query, created, after_id, seen_doc) "
        "SELECT ?1, ?2, ?3, ?4, m, m FROM (SELECT coalesce(max(id), 0) AS m FROM documents) AS top "
        "RETURNING id",
        diag);
    if (!st)
        return SC_ESTORE;
    if (uid)
        sc_stmt_bind_int64(st, 1, uid);
    sc_stmt_bind_text(st, 2, name, -1);
    sc_stmt_bind_text(st, 3, query, -1);
    sc_stmt_bind_int64(st, 4, (int64_t)sc_members_now());
    int rc = sc_stmt_step(st);
    if (rc == SC_STORE_ROW) {
        if (id)
            *id = sc_stmt_column_int64(st, 0);
        e = SC_OK;
    } else if (sc_store_errcode(lib->db) == SC_STORE_UNIQUE) {
        e = sc_diag_set(diag, SC_EDUPLICATE, "a saved search named '%s' exists", name);
    } else {
        e = sc_store_fail(lib->db, diag);
    }
    sc_stmt_finalize(st);
    if (e == SC_OK)
        bump_version(lib);
    return e;
}

/* Is watch id the owner's? SC_ENOTFOUND (the same for someone else's, so
 * numbers reveal nothing). */
static enum sc_err owned(struct sc_library *lib, const struct sc_principal *owner, int64_t id,
                         struct sc_diag *diag)
{
    struct sc_stmt *st = sc_store_prepare(
        lib->db, "SELECT 1 FROM watches WHERE id = ?1 AND (?2 = 0 OR user_id = ?2)", diag);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_int64(st, 1, id);
    sc_stmt_bind_int64(st, 2, owner ? (owner->user_id ? owner->user_id : -1) : 0);
    int yes = sc_stmt_step(st) == SC_STORE_ROW;
    sc_stmt_finalize(st);
    return yes ? SC_OK : sc_diag_set(diag, SC_ENOTFOUND, "no saved search %lld", (long long)id);
}

enum sc_err sc_watch_rm(struct sc_library *lib, const struct sc_principal *owner, int64_t id,
                        struct sc_diag *diag)
{
    enum sc_err e = ready(lib, 1, diag);
    if (e == SC_OK)
        e = owned(lib, owner, id, diag);
    if (e != SC_OK)
        return e;
    struct sc_stmt *st = sc_store_prepare(lib->db, "DELETE FROM watches WHERE id = ?", diag);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_int64(st, 1, id);
    e = sc_stmt_step(st) == SC_STORE_DONE ? SC_OK : sc_store_fail(lib->db, diag);
    sc_stmt_finalize(st);
    /* the matches go too (no foreign key: the matcher inserts without a
     * lookup per row; a match stored for a watch removed meanwhile is
     * removed here or by the next removal, and never shown) */
    st = sc_store_prepare(lib->db, "DELETE FROM watch_hits WHERE watch_id = ?", diag);
    if (e == SC_OK && st) {
        sc_stmt_bind_int64(st, 1, id);
        if (sc_stmt_step(st) != SC_STORE_DONE)
            e = sc_store_fail(lib->db, diag);
    }
    sc_stmt_finalize(st);
    if (e == SC_OK)
        bump_version(lib);
    return e;
}

#define LIST_COLS                                                                          \
    "w.id, w.name, w.query, w.created, w.nhits, w.last_hit, w.feed_hash IS NOT NULL, "     \
    "u.name, (SELECT coalesce(sum(h.n), 0) FROM watch_hits h WHERE h.watch_id = w.id AND " \
    "h.last_doc > w.seen_doc), w.seen_doc"

static void watch_json(struct sc_jw *w, struct sc_stmt *st)
{
    sc_jw_obj(w, SC_JW_INLINE);
    sc_jw_kint(w, "id", sc_stmt_column_int64(st, 0));
    sc_jw_kstrz(w, "name", sc_stmt_column_text(st, 1));
    sc_jw_kstrz(w, "query", sc_stmt_column_text(st, 2));
    char t[21];
    sc_time_rfc3339(t, sc_stmt_column_int64(st, 3));
    sc_jw_kstrz(w, "created", t);
    sc_jw_kint(w, "new", sc_stmt_column_int64(st, 8));
    sc_jw_kint(w, "matches", sc_stmt_column_int64(st, 4));
    if (sc_stmt_column_type(st, 5) == SC_COL_NULL) {
        sc_jw_knull(w, "last_match");
    } else {
        sc_time_rfc3339(t, sc_stmt_column_int64(st, 5));
        sc_jw_kstrz(w, "last_match", t);
    }
    sc_jw_kbool(w, "feed", sc_stmt_column_int(st, 6));
    sc_jw_kstrz(w, "user", sc_stmt_column_text(st, 7));
    sc_jw_obj_end(w);
}

enum sc_err sc_watch_list(struct sc_library *lib, const struct sc_principal *owner, int json,
                          struct sc_buf *out, struct sc_diag *diag)
{
    if (ready(lib, 0, NULL) != SC_OK) {
        sc_buf_adds(out, json ? "[]" : "");
        return SC_OK; /* a read-only library without the tables has none */
    }
    struct sc_stmt *st =
        sc_store_prepare(lib->db,
                         "SELECT " LIST_COLS " FROM watches w LEFT JOIN users u ON "
                         "u.id = w.user_id WHERE (?1 = 0 OR w.user_id = ?1) "
                         "ORDER BY w.id",
                         diag);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_int64(st, 1, owner ? (owner->user_id ? owner->user_id : -1) : 0);
    struct sc_jw w;
    sc_jw_init(&w, out);
    if (json)
        sc_jw_arr(&w, SC_JW_INLINE);
    int rc;
    while ((rc = sc_stmt_step(st)) == SC_STORE_ROW) {
        if (json) {
            watch_json(&w, st);
            continue;
        }
        /* ID  NEW/MATCHES  USER  NAME  QUERY */
        sc_buf_addf(out, "%lld\t%lld new\t%lld\t", (long long)sc_stmt_column_int64(st, 0),
                    (long long)sc_stmt_column_int64(st, 8), (long long)sc_stmt_column_int64(st, 4));
        sc_text_clean(out, sc_stmt_column_text(st, 7));
        sc_buf_addc(out, '\t');
        sc_text_clean(out, sc_stmt_column_text(st, 1));
        sc_buf_addc(out, '\t');
        sc_text_clean(out, sc_stmt_column_text(st, 2));
        sc_buf_addc(out, '\n');
    }
    enum sc_err e = rc == SC_STORE_DONE ? SC_OK : sc_store_fail(lib->db, diag);
    sc_stmt_finalize(st);
    if (json)
        sc_jw_arr_end(&w);
    if (e == SC_OK && json && sc_jw_finish(&w) != SC_OK)
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
    return e;
}

enum sc_err sc_watch_hits(struct sc_library *lib, const struct sc_principal *owner, int64_t id,
                          size_t limit, int64_t before_doc, int mark_seen, struct sc_buf *out,
                          struct sc_diag *diag)
{
    enum sc_err e = ready(lib, mark_seen, diag);
    if (e == SC_OK)
        e = owned(lib, owner, id, diag);
    if (e != SC_OK)
        return e;
    if (limit > MAX_HITS_PAGE)
        limit = MAX_HITS_PAGE;
    struct sc_stmt *ws = sc_store_prepare(
        lib->db,
        "SELECT " LIST_COLS " FROM watches w LEFT JOIN users u ON u.id = w.user_id WHERE w.id = ?",
        diag);
    if (!ws)
        return SC_ESTORE;
    sc_stmt_bind_int64(ws, 1, id);
    if (sc_stmt_step(ws) != SC_STORE_ROW) {
        sc_stmt_finalize(ws);
        return sc_diag_set(diag, SC_ENOTFOUND, "no saved search %lld", (long long)id);
    }
    int64_t seen = sc_stmt_column_int64(ws, 9);
    struct sc_jw w;
    sc_jw_init(&w, out);
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_jw_key(&w, "watch");
    watch_json(&w, ws);
    sc_stmt_finalize(ws);
    struct sc_watch_docs it;
    e = sc_watch_docs_open(lib, id, before_doc, &it, diag);
    if (e != SC_OK)
        return e;
    sc_jw_key(&w, "hits");
    sc_jw_arr(&w, SC_JW_INLINE);
    size_t n = 0;
    int64_t last = 0, more = 0, doc, at;
    while (e == SC_OK && sc_watch_docs_next(&it, &doc, &at)) {
        if (n == limit) {
            more = 1;
            break;
        }
        struct sc_doc d;
        enum sc_err ge = sc_doc_get(lib, doc, SC_DOC_TEXT, &d, NULL);
        if (ge == SC_ENOTFOUND)
            continue; /* removed from the library since */
        if (ge != SC_OK) {
            e = sc_diag_set(diag, ge, "reading document %lld", (long long)doc);
            break;
        }
        sc_jw_obj(&w, SC_JW_INLINE);
        sc_doc_card(&w, &d);
        sc_jw_kbool(&w, "new", doc > seen);
        char t[21];
        sc_time_rfc3339(t, at);
        sc_jw_kstrz(&w, "matched_at", t);
        sc_jw_obj_end(&w);
        sc_doc_release(&d);
        last = doc;
        n++;
    }
    if (e == SC_OK && it.err != SC_OK)
        e = sc_diag_set(diag, it.err, "reading the matches of saved search %lld", (long long)id);
    sc_watch_docs_close(&it);
    sc_jw_arr_end(&w);
    if (more && last)
        sc_jw_kint(&w, "next_before", last);
    else
        sc_jw_knull(&w, "next_before");
    sc_jw_obj_end(&w);
    if (e == SC_OK && sc_jw_finish(&w) != SC_OK)
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
    if (e == SC_OK && mark_seen) {
        struct sc_stmt *u = sc_store_prepare(
            lib->db,
            /* the mark only moves forward (no two-argument max() in PostgreSQL) */
            "UPDATE watches SET seen_doc = (SELECT coalesce(max(last_doc), 0) FROM watch_hits "
            "WHERE watch_id = ?1) WHERE id = ?1 AND seen_doc < (SELECT coalesce(max(last_doc), 0) "
            "FROM watch_hits WHERE watch_id = ?1)",
            diag);
        if (!u)
            return SC_ESTORE;
        sc_stmt_bind_int64(u, 1, id);
        if (sc_stmt_step(u) != SC_STORE_DONE)
            e = sc_store_fail(lib->db, diag);
        sc_stmt_finalize(u);
    }
    return e;
}

/* ---------------------------------------------------------------- feeds */

static int valid_feed_token(const char *t)
{
    return t && strlen(t) == FEED_TOKEN_LEN && !strncmp(t, FEED_PREFIX, 4) &&
           strspn(t + 4, "0123456789abcdef") == SC_SECRET_HEX;
}

static enum sc_err set_feed(struct sc_library *lib, const struct sc_principal *owner, int64_t id,
                            const char *hash, struct sc_diag *diag)
{
    enum sc_err e = ready(lib, 1, diag);
    if (e == SC_OK)
        e = owned(lib, owner, id, diag);
    if (e != SC_OK)
        return e;
    struct sc_stmt *st =
        sc_store_prepare(lib->db, "UPDATE watches SET feed_hash = ?2 WHERE id = ?1", diag);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_int64(st, 1, id);
    if (hash)
        sc_stmt_bind_text(st, 2, hash, -1);
    e = sc_stmt_step(st) == SC_STORE_DONE ? SC_OK : sc_store_fail(lib->db, diag);
    sc_stmt_finalize(st);
    if (e == SC_OK) {
        char d[64];
        snprintf(d, sizeof d, "watch=%lld", (long long)id);
        sc_audit(lib, owner, hash ? "watch_feed" : "watch_feed_revoke", d, owner ? NULL : "cli");
    }
    return e;
}

enum sc_err sc_watch_feed_token(struct sc_library *lib, const struct sc_principal *owner,
                                int64_t id, char **token, struct sc_diag *diag)
{
    *token = NULL;
    char *tok = sc_malloc(FEED_TOKEN_LEN + 1);
    if (!tok)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory");
    memcpy(tok, FEED_PREFIX, 4);
    sc_random_hex(tok + 4);
    char h[65];
    sc_sha256_hex(tok, FEED_TOKEN_LEN, h);
    enum sc_err e = set_feed(lib, owner, id, h, diag);
    if (e != SC_OK) {
        sodium_memzero(tok, FEED_TOKEN_LEN);
        free(tok);
        return e;
    }
    *token = tok;
    return SC_OK;
}

enum sc_err sc_watch_feed_revoke(struct sc_library *lib, const struct sc_principal *owner,
                                 int64_t id, struct sc_diag *diag)
{
    return set_feed(lib, owner, id, NULL, diag);
}

enum sc_err sc_watch_feed_atom(struct sc_library *lib, const char *token, const char *self,
                               const char *page, struct sc_buf *out, struct sc_diag *diag)
{
    if (!valid_feed_token(token) || ready(lib, 0, NULL) != SC_OK)
        return sc_diag_set(diag, SC_ENOTFOUND, "no such feed");
    char h[65];
    sc_sha256_hex(token, FEED_TOKEN_LEN, h);
    /* a feed stops with its owner's account */
    struct sc_stmt *st = sc_store_prepare(
        lib->db,
        "SELECT w.id, w.name, w.query, w.created, w.last_hit FROM watches w LEFT JOIN users u ON "
        "u.id = w.user_id WHERE w.feed_hash = ?1 AND (w.user_id IS NULL OR u.disabled = 0)",
        diag);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_text(st, 1, h, -1);
    if (sc_stmt_step(st) != SC_STORE_ROW) {
        sc_stmt_finalize(st);
        return sc_diag_set(diag, SC_ENOTFOUND, "no such feed");
    }
    int64_t id = sc_stmt_column_int64(st, 0);
    struct sc_buf title = SC_BUF_INIT, sub = SC_BUF_INIT;
    sc_buf_adds(&title, "订阅：");
    sc_buf_adds(&title, sc_stmt_column_text(st, 1));
    sc_buf_adds(&sub, "新入库且符合“");
    sc_buf_adds(&sub, sc_stmt_column_text(st, 2));
    sc_buf_adds(&sub, "”的文档");
    int64_t updated = sc_stmt_column_type(st, 4) == SC_COL_NULL ? sc_stmt_column_int64(st, 3)
                                                                : sc_stmt_column_int64(st, 4);
    sc_stmt_finalize(st);
    char u[37], seed[96], fid[SC_UUID_URN_LEN];
    if (sc_library_uuid(lib, u, NULL) != SC_OK)
        snprintf(u, sizeof u, "%s", "no-id");
    snprintf(seed, sizeof seed, "%s/watch/%lld", u, (long long)id);
    sc_uuid_urn(fid, seed, strlen(seed));
    struct sc_atom_feed feed = { fid, title.data, sub.data, self, page, updated, "sucai" };
    sc_atom_begin(out, &feed);
    sc_buf_release(&title);
    sc_buf_release(&sub);
    enum sc_err e = SC_OK;
    struct sc_watch_docs it;
    e = sc_watch_docs_open(lib, id, 0, &it, diag);
    if (e != SC_OK)
        return e;
    int64_t doc, at;
    size_t n = 0;
    while (e == SC_OK && n < FEED_ENTRIES && sc_watch_docs_next(&it, &doc, &at)) {
        struct sc_doc d;
        enum sc_err ge = sc_doc_get(lib, doc, SC_DOC_TEXT, &d, NULL);
        if (ge == SC_ENOTFOUND)
            continue;
        if (ge != SC_OK) {
            e = sc_diag_set(diag, ge, "reading a document");
            break;
        }
        sc_feed_entry(lib, out, &d, at, page);
        sc_doc_release(&d);
        n++;
    }
    sc_watch_docs_close(&it);
    sc_atom_end(out);
    if (e == SC_OK && sc_buf_err(out) != SC_OK)
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
    return e;
}

/* ---------------------------------------------------------------- the stored matches */

enum sc_err sc_watch_docs_open(struct sc_library *lib, int64_t watch, int64_t before,
                               struct sc_watch_docs *it, struct sc_diag *diag)
{
    memset(it, 0, sizeof *it);
    it->before = before > 0 ? before : INT64_MAX;
    it->st = sc_store_prepare(lib->db,
                              /* the rows below before, and the one that may straddle it */
                              "SELECT docs, n, at FROM watch_hits WHERE watch_id = ?1 AND "
                              "last_doc <= coalesce((SELECT min(last_doc) FROM watch_hits WHERE "
                              "watch_id = ?1 AND last_doc >= ?2), ?2 - 1) ORDER BY last_doc DESC",
                              diag);
    if (!it->st)
        return SC_ESTORE;
    sc_stmt_bind_int64(it->st, 1, watch);
    sc_stmt_bind_int64(it->st, 2, it->before);
    return SC_OK;
}

/* Decode the row's ids into it->ids (ascending). */
static int load_row(struct sc_watch_docs *it)
{
    const uint8_t *p = sc_stmt_column_blob(it->st, 0);
    const uint8_t *end = p + sc_stmt_column_bytes(it->st, 0);
    int64_t n = sc_stmt_column_int64(it->st, 1);
    it->at = sc_stmt_column_int64(it->st, 2);
    if (n < 0 || n > 100000000)
        return -1;
    if ((size_t)n > it->cap) {
        int64_t *g = sc_reallocarray(it->ids, (size_t)n, sizeof *g);
        if (!g)
            return -1;
        it->ids = g;
        it->cap = (size_t)n;
    }
    uint64_t v = 0, prev = 0;
    for (int64_t i = 0; i < n; i++) {
        size_t k = p ? sc_varint_get(p, end, &v) : 0;
        if (!k)
            return -1;
        p += k;
        prev += v;
        it->ids[i] = (int64_t)prev;
    }
    it->n = (size_t)n;
    it->i = (size_t)n;
    return 0;
}

int sc_watch_docs_next(struct sc_watch_docs *it, int64_t *doc, int64_t *at)
{
    for (;;) {
        while (it->i > 0) {
            int64_t d = it->ids[--it->i];
            if (d < it->before) {
                *doc = d;
                *at = it->at;
                return 1;
            }
        }
        if (!it->st || it->err != SC_OK)
            return 0;
        int rc = sc_stmt_step(it->st);
        if (rc != SC_STORE_ROW) {
            if (rc != SC_STORE_DONE)
                it->err = SC_ESTORE;
            return 0;
        }
        if (load_row(it) != 0) {
            it->err = SC_EPARSE;
            return 0;
        }
    }
}

void sc_watch_docs_close(struct sc_watch_docs *it)
{
    sc_stmt_finalize(it->st);
    free(it->ids);
    memset(it, 0, sizeof *it);
}
