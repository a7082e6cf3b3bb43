/*
 * Library statistics, the boilerplate review list, and reparse (re-running
 * the pipeline over every stored source with a better parser).
 */
#include "library_int.h"
#include "sucai/ingest.h"
#include "sucai/json.h"
#include "sucai/search.h"
#include "sucai/text.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>
#include <zstd.h>

static int64_t dir_bytes(const char *path, int depth)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return 0;
    if (!S_ISDIR(st.st_mode))
        return (int64_t)st.st_size;
    if (depth > 4)
        return 0;
    DIR *d = opendir(path);
    if (!d)
        return 0;
    int64_t total = 0;
    struct dirent *de;
    struct sc_buf p = SC_BUF_INIT;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        sc_buf_reset(&p);
        sc_buf_addf(&p, "%s/%s", path, de->d_name);
        if (!p.failed)
            total += dir_bytes(p.data, depth + 1);
    }
    sc_buf_release(&p);
    closedir(d);
    return total;
}

enum sc_err sc_stats_get(struct sc_library *lib, struct sc_stats *out, struct sc_diag *diag)
{
    (void)diag;
    memset(out, 0, sizeof *out);
    out->documents = sc_store_int(lib->db, "SELECT count(*) FROM documents");
    out->chars = sc_store_int(lib->db, "SELECT coalesce(sum(chars), 0) FROM documents");
    out->sources = sc_store_int(lib->db, "SELECT count(*) FROM sources");
    out->refused = sc_store_int(lib->db, "SELECT count(*) FROM refused");
    out->duplicates_near = sc_store_int(lib->db, "SELECT count(*) FROM documents WHERE dup_of > 0");
    out->boilerplate_lines = sc_store_int(lib->db, "SELECT count(*) FROM boilerplate");
    struct sc_buf p = SC_BUF_INIT;
    sc_buf_addf(&p, "%s/index", lib->cache);
    out->index_bytes = p.failed ? 0 : dir_bytes(p.data, 0);
    sc_buf_release(&p);
    int64_t store = sc_store_bytes(lib->db);
    out->store_bytes = store > 0 ? store : 0;
    return SC_OK;
}

enum sc_err sc_boilerplate_list(struct sc_library *lib, int json, struct sc_buf *out,
                                struct sc_diag *diag)
{
    struct sc_stmt *st = sc_store_prepare(lib->db,
                                          "SELECT b.source_id, s.name, b.line, b.text, b.reason "
                                          "FROM boilerplate b JOIN sources s ON s.id = b.source_id "
                                          "ORDER BY b.source_id, b.line",
                                          diag);
    if (!st)
        return SC_ESTORE;
    struct sc_jw w;
    sc_jw_init(&w, out);
    if (json)
        sc_jw_arr(&w, SC_JW_LINES);
    while (sc_stmt_step(st) == SC_STORE_ROW) {
        const char *name = sc_stmt_column_text(st, 1);
        const char *text = sc_stmt_column_text(st, 3);
        const char *reason = sc_stmt_column_text(st, 4);
        if (json) {
            sc_jw_obj(&w, SC_JW_INLINE);
            sc_jw_kint(&w, "source_id", sc_stmt_column_int64(st, 0));
            sc_jw_kstrz(&w, "source", name);
            sc_jw_kint(&w, "line", sc_stmt_column_int64(st, 2));
            sc_jw_kstrz(&w, "text", text);
            sc_jw_kstrz(&w, "reason", reason);
            sc_jw_obj_end(&w);
        } else {
            sc_buf_addf(out, "%s:%lld: %s\n    %s\n", name, (long long)sc_stmt_column_int64(st, 2),
                        reason, text);
        }
    }
    sc_stmt_finalize(st);
    if (json) {
        sc_jw_arr_end(&w);
        sc_buf_addc(out, '\n');
    }
    return sc_buf_err(out);
}

/* ---- reparse ---- */

/* A source's stored bytes: a zstd frame, or a zlib stream in libraries
 * written before zstd was used (both say which they are in their first
 * bytes). */
static enum sc_err inflate_source(const void *z, size_t zlen, size_t size, char **out)
{
    *out = sc_malloc(size ? size : 1);
    if (!*out)
        return SC_ENOMEM;
    static const unsigned char zstd_magic[4] = { 0x28, 0xB5, 0x2F, 0xFD };
    int ok;
    if (zlen >= 4 && memcmp(z, zstd_magic, 4) == 0) {
        size_t n = ZSTD_decompress(*out, size, z, zlen);
        ok = !ZSTD_isError(n) && n == size;
    } else {
        uLongf dlen = (uLongf)size;
        ok = uncompress((Bytef *)*out, &dlen, z, (uLong)zlen) == Z_OK && dlen == size;
    }
    if (!ok) {
        free(*out);
        *out = NULL;
        return SC_EPARSE;
    }
    return SC_OK;
}

enum sc_err sc_reparse(struct sc_library *lib, struct sc_import_summary *sum, struct sc_diag *diag)
{
    memset(sum, 0, sizeof *sum);
    struct sc_stmt *st =
        sc_store_prepare(lib->db, "SELECT id, name, size, bytes FROM sources ORDER BY id", diag);
    if (!st)
        return SC_ESTORE;
    enum sc_err e = SC_OK;
    while (e == SC_OK && sc_stmt_step(st) == SC_STORE_ROW) {
        int64_t sid = sc_stmt_column_int64(st, 0);
        const char *name = sc_stmt_column_text(st, 1);
        size_t size = (size_t)sc_stmt_column_int64(st, 2);
        char *data = NULL;
        enum sc_err ie = inflate_source(sc_stmt_column_blob(st, 3),
                                        (size_t)sc_stmt_column_bytes(st, 3), size, &data);
        if (ie != SC_OK) {
            sum->refused++;
            if (ie == SC_ENOMEM)
                e = sc_diag_set(diag, ie, "out of memory");
            continue;
        }
        size_t nd = 0;
        struct sc_diag d = { 0 };
        ie = sc_import_reparse_source(lib, sid, name, data, size, &nd, &d);
        free(data);
        if (ie == SC_OK) {
            sum->imported++;
            sum->docs += nd;
            sum->bytes += size;
        } else if (ie == SC_ENOMEM || ie == SC_ESTORE || ie == SC_EUNAVAILABLE) {
            e = sc_diag_set(diag, ie, "%s: %s", name, d.msg);
        } else {
            sum->refused++;
        }
    }
    sc_stmt_finalize(st);
    if (e == SC_OK)
        e = sc_store_bump_generation(lib->db, diag);
    if (e == SC_OK)
        e = sc_index_sync(lib, 1, diag);
    return e;
}

void sc_stats_json(struct sc_buf *b, const struct sc_stats *s)
{
    struct sc_jw w;
    sc_jw_init(&w, b);
    sc_jw_obj(&w, SC_JW_INLINE);
    sc_jw_kint(&w, "documents", s->documents);
    sc_jw_kint(&w, "chars", s->chars);
    sc_jw_kint(&w, "sources", s->sources);
    sc_jw_kint(&w, "refused", s->refused);
    sc_jw_kint(&w, "near_duplicates", s->duplicates_near);
    sc_jw_kint(&w, "boilerplate_lines", s->boilerplate_lines);
    sc_jw_kint(&w, "store_bytes", s->store_bytes);
    sc_jw_kint(&w, "index_bytes", s->index_bytes);
    sc_jw_kint(&w, "library_bytes", s->store_bytes + s->index_bytes);
    sc_jw_obj_end(&w);
    sc_buf_addc(b, '\n');
}
