/*
 * 今日更新: the documents imported since a time, counted per local day,
 * 文种 and topic, and listed newest first (by id: ids follow import order),
 * as JSON for the page and as an Atom feed. What a document shows here
 * (sc_doc_card) is its metadata and the free opening of its body, the same
 * for every caller: lists and feeds are public and never carry paid text.
 */
#include "feed_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------------- the free opening */

void sc_free_summary(struct sc_buf *out, const struct sc_doc *doc, size_t max_cp)
{
    if (!doc || !doc->text || !max_cp)
        return;
    const char *s = doc->text;
    size_t len = doc->text_len, i = 0;
    int64_t cp = 0; /* code point index into the text, '\n' included */
    int64_t paid = doc->paid_from_cp >= 0 ? doc->paid_from_cp : INT64_MAX;
    /* the title line is the title, not the summary */
    while (i < len && s[i] != '\n') {
        uint32_t c;
        size_t n = sc_utf8_decode(s + i, len - i, &c);
        i += n ? n : 1;
        cp++;
    }
    size_t emitted = 0;
    int space = 0;
    while (i < len && cp < paid) {
        uint32_t c;
        size_t n = sc_utf8_decode(s + i, len - i, &c);
        if (n == 0) {
            n = 1;
            c = 0xFFFD;
        }
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ' || c == 0x3000) {
            space = emitted > 0;
        } else {
            if (emitted == max_cp) {
                sc_buf_adds(out, "…");
                return;
            }
            if (space) {
                sc_buf_addc(out, ' ');
                space = 0;
            }
            sc_buf_add_cp(out, c);
            emitted++;
        }
        i += n;
        cp++;
    }
    if (i < len && emitted)
        sc_buf_adds(out, "…"); /* stopped at the paid part */
}

/* ---------------------------------------------------------------- library id */

enum sc_err sc_library_uuid(struct sc_library *lib, char out[37], struct sc_diag *diag)
{
    out[0] = '\0';
    if (!(lib->flags & SC_LIBRARY_READONLY)) {
        unsigned char r[16];
        sc_feed_random(r, sizeof r);
        r[6] = (unsigned char)((r[6] & 0x0F) | 0x40); /* version 4 */
        r[8] = (unsigned char)((r[8] & 0x3F) | 0x80);
        char u[37];
        snprintf(u, sizeof u,
                 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", r[0], r[1],
                 r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14],
                 r[15]);
        struct sc_stmt *st = sc_store_prepare(
            lib->db, "INSERT OR IGNORE INTO meta(key, value) VALUES('uuid', ?)", diag);
        if (!st)
            return SC_ESTORE;
        sc_stmt_bind_text_copy(st, 1, u, -1);
        int rc = sc_stmt_step(st);
        sc_stmt_finalize(st);
        if (rc != SC_STORE_DONE)
            return sc_store_fail(lib->db, diag);
    }
    struct sc_stmt *st =
        sc_store_prepare(lib->db, "SELECT value FROM meta WHERE key = 'uuid'", diag);
    if (!st)
        return SC_ESTORE;
    enum sc_err e = SC_ENOTFOUND;
    if (sc_stmt_step(st) == SC_STORE_ROW && sc_stmt_column_bytes(st, 0) == 36) {
        memcpy(out, sc_stmt_column_text(st, 0), 36);
        out[36] = '\0';
        e = SC_OK;
    }
    sc_stmt_finalize(st);
    if (e != SC_OK)
        sc_diag_set(diag, e, "%s: the library has no id yet (it is read-only)", sc_store_path(lib->db));
    return e;
}

void sc_feed_doc_urn(struct sc_library *lib, int64_t id, char out[SC_UUID_URN_LEN])
{
    char u[37], seed[96];
    if (sc_library_uuid(lib, u, NULL) != SC_OK)
        snprintf(u, sizeof u, "%s", "no-id");
    snprintf(seed, sizeof seed, "%s/doc/%lld", u, (long long)id);
    sc_uuid_urn(out, seed, strlen(seed));
}

/* ---------------------------------------------------------------- a document as listed */

#define SUMMARY_CP        160
#define UPDATES_MAX_LIMIT 100 /* documents per page, as search's SC_MAX_LIMIT */

void sc_doc_card(struct sc_jw *w, const struct sc_doc *d)
{
    sc_jw_kint(w, "id", d->id);
    sc_jw_kstrz(w, "title", d->title);
    sc_jw_kstrz(w, "genre", d->genre);
    if (d->year > 0)
        sc_jw_kint(w, "year", d->year);
    else
        sc_jw_knull(w, "year");
    sc_jw_kstrz(w, "level", d->level);
    sc_jw_kstrz(w, "unit", d->unit);
    sc_jw_key(w, "topics");
    if (d->topics_json && *d->topics_json)
        sc_jw_raw(w, d->topics_json, strlen(d->topics_json));
    else
        sc_jw_raw(w, "[]", 2);
    sc_jw_kstrz(w, "docno", d->docno[0] ? d->docno : NULL);
    char date[11];
    sc_date_format(d->docdate, date);
    sc_jw_kstrz(w, "date", date[0] ? date : NULL);
    struct sc_buf s = SC_BUF_INIT;
    sc_free_summary(&s, d, SUMMARY_CP);
    sc_jw_kstr(w, "summary", s.data, s.len);
    sc_buf_release(&s);
    sc_jw_kbool(w, "locked", d->paid_from_cp >= 0);
}

/* ---------------------------------------------------------------- queries */

/* The filters every statement below shares, as SQL over d (documents) and
 * s (sources), with ?1 since (text), ?2 genre, ?3 level, ?4 topic. */
#define FILTER_SQL                                                \
    " FROM documents d JOIN sources s ON s.id = d.source_id"      \
    " WHERE s.imported_at >= ?1 AND (CAST(?2 AS TEXT) IS NULL OR d.genre = ?2)" \
    " AND (CAST(?3 AS TEXT) IS NULL OR d.level = ?3)"                           \
    " AND (CAST(?4 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM json_each(d.topics) WHERE value = ?4))"

static void utc_text(int64_t t, char out[21])
{
    sc_time_rfc3339(out, t < 0 ? 0 : t);
}

static struct sc_stmt *filtered(struct sc_library *lib, const char *sql,
                                const struct sc_updates_opts *o, struct sc_diag *diag)
{
    struct sc_stmt *st = sc_store_prepare(lib->db, sql, diag);
    if (!st)
        return NULL;
    char since[21];
    utc_text(o->since, since);
    sc_stmt_bind_text_copy(st, 1, since, -1);
    const char *f[3] = { o->genre, o->level, o->topic };
    for (int i = 0; i < 3; i++)
        if (f[i] && *f[i])
            sc_stmt_bind_text_copy(st, 2 + i, f[i], -1);
    return st;
}

/* Seconds since the epoch of "YYYY-MM-DDTHH:MM:SSZ" (0 if malformed). */
static int64_t parse_utc(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!s || !strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return 0;
    return (int64_t)timegm(&tm);
}

struct dayrow {
    char day[11];
    int64_t count;
};

/* "days": per local day, the count and the counts per genre and topic. */
static enum sc_err write_days(struct sc_library *lib, const struct sc_updates_opts *o,
                              struct sc_jw *w, int64_t *total, struct sc_diag *diag)
{
    struct sc_stmt *dg =
        filtered(lib,
                 "SELECT date(s.imported_at, 'localtime') AS day, d.genre, count(*)" FILTER_SQL
                 " GROUP BY day, d.genre ORDER BY day DESC, 3 DESC, 2",
                 o, diag);
    if (!dg)
        return SC_ESTORE;
    /* topics need the json_each join in the FROM clause */
    struct sc_stmt *dt =
        filtered(lib,
                 "SELECT date(s.imported_at, 'localtime') AS day, j.value, count(*)"
                 " FROM documents d JOIN sources s ON s.id = d.source_id, json_each(d.topics) j"
                 " WHERE s.imported_at >= ?1 AND (CAST(?2 AS TEXT) IS NULL OR d.genre = ?2)"
                 " AND (CAST(?3 AS TEXT) IS NULL OR d.level = ?3)"
                 " AND (CAST(?4 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM json_each(d.topics) WHERE value = ?4))"
                 " AND json_valid(d.topics)"
                 " GROUP BY day, j.value ORDER BY day DESC, 3 DESC, 2",
                 o, diag);
    if (!dt) {
        sc_stmt_finalize(dg);
        return SC_ESTORE;
    }
    enum sc_err e = SC_OK;
    *total = 0;
    sc_jw_key(w, "days");
    sc_jw_arr(w, SC_JW_INLINE);
    char cur[11] = "";
    int open = 0, rc;
    int trow = sc_stmt_step(dt);
    /* per day: the genre rows give the count; then that day's topic rows */
    struct sc_buf genres = SC_BUF_INIT;
    int64_t daycount = 0;
    struct sc_jw gw;
    for (;;) {
        rc = sc_stmt_step(dg);
        const char *day = rc == SC_STORE_ROW ? sc_stmt_column_text(dg, 0) : NULL;
        if (open && (!day || strcmp(day, cur) != 0)) {
            /* close the day: count, genres, topics */
            sc_jw_obj(w, SC_JW_INLINE);
            sc_jw_kstrz(w, "day", cur);
            sc_jw_kint(w, "count", daycount);
            sc_jw_key(w, "genres");
            sc_jw_arr_end(&gw);
            sc_jw_raw(w, genres.data, genres.len);
            sc_jw_key(w, "topics");
            sc_jw_arr(w, SC_JW_INLINE);
            while (trow == SC_STORE_ROW && strcmp(sc_stmt_column_text(dt, 0), cur) > 0)
                trow = sc_stmt_step(dt); /* days with topics only cannot happen; skip */
            size_t nt = 0;
            while (trow == SC_STORE_ROW && strcmp(sc_stmt_column_text(dt, 0), cur) == 0) {
                if (nt++ < 20) {
                    sc_jw_obj(w, SC_JW_INLINE);
                    sc_jw_kstrz(w, "value", sc_stmt_column_text(dt, 1));
                    sc_jw_kint(w, "count", sc_stmt_column_int64(dt, 2));
                    sc_jw_obj_end(w);
                }
                trow = sc_stmt_step(dt);
            }
            sc_jw_arr_end(w);
            sc_jw_obj_end(w);
            open = 0;
        }
        if (!day)
            break;
        if (!open) {
            snprintf(cur, sizeof cur, "%s", day);
            sc_buf_reset(&genres);
            sc_jw_init(&gw, &genres);
            sc_jw_arr(&gw, SC_JW_INLINE);
            daycount = 0;
            open = 1;
        }
        int64_t n = sc_stmt_column_int64(dg, 2);
        daycount += n;
        *total += n;
        sc_jw_obj(&gw, SC_JW_INLINE);
        sc_jw_kstrz(&gw, "value", sc_stmt_column_text(dg, 1));
        sc_jw_kint(&gw, "count", n);
        sc_jw_obj_end(&gw);
    }
    if (rc != SC_STORE_DONE)
        e = sc_store_fail(lib->db, diag);
    sc_jw_arr_end(w);
    sc_buf_release(&genres);
    sc_stmt_finalize(dg);
    sc_stmt_finalize(dt);
    return e;
}

/* The ids (and import times) of the page, newest first; *more when there
 * are further documents. */
static enum sc_err page_ids(struct sc_library *lib, const struct sc_updates_opts *o, int64_t **ids,
                            int64_t **ats, size_t *n, int *more, struct sc_diag *diag)
{
    *ids = *ats = NULL;
    *n = 0;
    *more = 0;
    size_t limit = o->limit > UPDATES_MAX_LIMIT ? UPDATES_MAX_LIMIT : o->limit;
    if (!limit)
        return SC_OK;
    struct sc_stmt *st = filtered(lib,
                                  "SELECT d.id, s.imported_at" FILTER_SQL
                                  " AND (?5 = 0 OR d.id < ?5) ORDER BY d.id DESC LIMIT ?6",
                                  o, diag);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_int64(st, 5, o->before_id > 0 ? o->before_id : 0);
    sc_stmt_bind_int64(st, 6, (int64_t)limit + 1);
    *ids = sc_malloc((limit + 1) * sizeof **ids);
    *ats = sc_malloc((limit + 1) * sizeof **ats);
    enum sc_err e = SC_OK;
    if (!*ids || !*ats)
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
    int rc;
    while (e == SC_OK && (rc = sc_stmt_step(st)) == SC_STORE_ROW) {
        if (*n == limit) {
            *more = 1;
            break;
        }
        (*ids)[*n] = sc_stmt_column_int64(st, 0);
        (*ats)[*n] = parse_utc(sc_stmt_column_text(st, 1));
        (*n)++;
    }
    if (e == SC_OK && !*more && rc != SC_STORE_DONE)
        e = sc_store_fail(lib->db, diag);
    sc_stmt_finalize(st);
    if (e != SC_OK) {
        free(*ids);
        free(*ats);
        *ids = *ats = NULL;
        *n = 0;
    }
    return e;
}

static void local_day(int64_t t, char out[11])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm) || !strftime(out, 11, "%Y-%m-%d", &tm))
        out[0] = '\0';
}

enum sc_err sc_updates_json(struct sc_library *lib, const struct sc_updates_opts *o,
                            struct sc_buf *out, struct sc_diag *diag)
{
    struct sc_jw w;
    sc_jw_init(&w, out);
    sc_jw_obj(&w, SC_JW_INLINE);
    char since[21];
    utc_text(o->since, since);
    sc_jw_kstrz(&w, "since", since);
    int64_t total = 0;
    enum sc_err e = write_days(lib, o, &w, &total, diag);
    if (e == SC_OK)
        sc_jw_kint(&w, "total", total);
    int64_t *ids = NULL, *ats = NULL;
    size_t n = 0;
    int more = 0;
    if (e == SC_OK)
        e = page_ids(lib, o, &ids, &ats, &n, &more, diag);
    if (e == SC_OK) {
        sc_jw_key(&w, "docs");
        sc_jw_arr(&w, SC_JW_INLINE);
        for (size_t i = 0; i < n && e == SC_OK; i++) {
            struct sc_doc d;
            enum sc_err ge = sc_doc_get(lib, ids[i], SC_DOC_TEXT, &d, NULL);
            if (ge == SC_ENOTFOUND)
                continue; /* removed since */
            if (ge != SC_OK) {
                e = sc_diag_set(diag, ge, "reading document %lld", (long long)ids[i]);
                break;
            }
            sc_jw_obj(&w, SC_JW_INLINE);
            sc_doc_card(&w, &d);
            char t[21], day[11];
            sc_time_rfc3339(t, ats[i]);
            local_day(ats[i], day);
            sc_jw_kstrz(&w, "imported_at", t);
            sc_jw_kstrz(&w, "day", day);
            sc_jw_obj_end(&w);
            sc_doc_release(&d);
        }
        sc_jw_arr_end(&w);
        if (more && n)
            sc_jw_kint(&w, "next_before", ids[n - 1]);
        else
            sc_jw_knull(&w, "next_before");
    }
    free(ids);
    free(ats);
    sc_jw_obj_end(&w);
    if (e == SC_OK && sc_jw_finish(&w) != SC_OK)
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
    return e;
}

int64_t sc_updates_newest(struct sc_library *lib, const struct sc_updates_opts *o)
{
    struct sc_stmt *st = filtered(lib, "SELECT max(s.imported_at)" FILTER_SQL, o, NULL);
    int64_t t = 0;
    if (st && sc_stmt_step(st) == SC_STORE_ROW)
        t = parse_utc(sc_stmt_column_text(st, 0));
    sc_stmt_finalize(st);
    return t;
}

enum sc_err sc_updates_atom(struct sc_library *lib, const struct sc_updates_opts *o,
                            const char *self, const char *alternate, struct sc_buf *out,
                            struct sc_diag *diag)
{
    int64_t *ids = NULL, *ats = NULL;
    size_t n = 0;
    int more = 0;
    struct sc_updates_opts po = *o;
    if (!po.limit)
        po.limit = 50;
    enum sc_err e = page_ids(lib, &po, &ids, &ats, &n, &more, diag);
    if (e != SC_OK)
        return e;
    char u[37], seed[256], fid[SC_UUID_URN_LEN];
    if (sc_library_uuid(lib, u, NULL) != SC_OK)
        snprintf(u, sizeof u, "%s", "no-id");
    /* one feed per filter: its id follows the filters */
    snprintf(seed, sizeof seed, "%s/updates/%s/%s/%s", u, o->genre ? o->genre : "",
             o->level ? o->level : "", o->topic ? o->topic : "");
    sc_uuid_urn(fid, seed, strlen(seed));
    struct sc_buf title = SC_BUF_INIT;
    sc_buf_adds(&title, "今日更新");
    const char *f[3] = { o->genre, o->level, o->topic };
    for (int i = 0; i < 3; i++)
        if (f[i] && *f[i]) {
            sc_buf_adds(&title, " · ");
            sc_buf_adds(&title, f[i]);
        }
    struct sc_atom_feed feed = { fid,    title.data, "新入库的公文素材",
                                 self,   alternate,  n ? ats[0] : (int64_t)time(NULL),
                                 "sucai" };
    sc_atom_begin(out, &feed);
    for (size_t i = 0; i < n && e == SC_OK; i++) {
        struct sc_doc d;
        enum sc_err ge = sc_doc_get(lib, ids[i], SC_DOC_TEXT, &d, NULL);
        if (ge == SC_ENOTFOUND)
            continue;
        if (ge != SC_OK) {
            e = sc_diag_set(diag, ge, "reading document %lld", (long long)ids[i]);
            break;
        }
        sc_feed_entry(lib, out, &d, ats[i], alternate);
        sc_doc_release(&d);
    }
    sc_atom_end(out);
    sc_buf_release(&title);
    free(ids);
    free(ats);
    if (e == SC_OK && sc_buf_err(out) != SC_OK)
        e = sc_diag_set(diag, SC_ENOMEM, "out of memory");
    return e;
}

void sc_feed_entry(struct sc_library *lib, struct sc_buf *out, const struct sc_doc *d, int64_t at,
                   const char *page)
{
    char id[SC_UUID_URN_LEN];
    sc_feed_doc_urn(lib, d->id, id);
    struct sc_buf sum = SC_BUF_INIT, link = SC_BUF_INIT;
    sc_free_summary(&sum, d, 200);
    if (d->paid_from_cp >= 0)
        sc_buf_adds(&sum, sum.len ? " （全文含会员内容）" : "（会员内容）");
    /* the reader of the page the feed follows: /#doc=ID */
    sc_buf_addf(&link, "%s#doc=%lld", page && *page ? page : "/", (long long)d->id);
    const char *cats[3] = { d->genre, d->level, NULL };
    int64_t pub = 0;
    if (sc_date_valid(d->docdate)) {
        struct tm tm;
        memset(&tm, 0, sizeof tm);
        tm.tm_year = d->docdate / 10000 - 1900;
        tm.tm_mon = d->docdate / 100 % 100 - 1;
        tm.tm_mday = d->docdate % 100;
        pub = (int64_t)timegm(&tm);
    }
    struct sc_atom_entry e = { id,      d->title, link.data, at, pub, sum.len ? sum.data : NULL,
                               d->unit, cats,     2 };
    sc_atom_add(out, &e);
    sc_buf_release(&sum);
    sc_buf_release(&link);
}
