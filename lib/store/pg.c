/*
 * The PostgreSQL driver of the store layer (libpq), for a library given as
 * a URL (postgresql://…). The parts' SQL is written in SQLite's dialect;
 * this driver rewrites what differs as it prepares (placeholders, INSERT OR
 * IGNORE/REPLACE, AUTOINCREMENT, NOCASE, WITHOUT ROWID, the implicit rowid,
 * strftime, json_each, column types) and maps SQLSTATEs onto the store's
 * error classes (docs/internals/store.md). Built when libpq is installed
 * (SC_HAVE_PG, Makefile).
 *
 * A statement runs at its first step and its rows are kept with it, so a
 * connection shared by threads is locked only around each libpq call.
 */
#ifdef SC_HAVE_PG

#include "driver.h"

#include "base/alloc.h"

#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define OID_BOOL   16
#define OID_BYTEA  17
#define OID_INT8   20
#define OID_INT2   21
#define OID_INT4   23
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_NUM    1700

/* Statements their callers finalized, kept prepared on the server for the
 * next prepare of the same SQL: a search's few small queries (settings,
 * the paid allowance) then cost one round trip each, not three (PREPARE,
 * EXECUTE, DEALLOCATE). */
#define KEPT_MAX 64

struct kept {
    char *sql; /* as rewritten: the key */
    char name[24];
    unsigned long epoch; /* of the connection it was prepared on */
};

struct pgconn {
    PGconn *c;
    struct kept kept[KEPT_MAX];
    size_t nkept;
    pthread_mutex_t mu;
    char err[512];
    int errclass;
    int full;
    int64_t changes;
    unsigned long names;
    /* a lost connection made again (revive): the session's settings, its
     * count (statements prepared before it are prepared again), when it
     * was last tried, whether a transaction is open (then it is not) */
    int flags, busy_ms;
    unsigned long epoch;
    double tried_ms;
    int tx;
    int reset; /* connected to a standby where writes were meant: find the primary */
};

struct pgstmt {
    struct pgconn *pc;
    char name[24];
    char *sql;           /* as prepared, for a connection made again */
    unsigned long epoch; /* of the connection it was prepared on */
    int nparams;
    char **val; /* bound values as text (or bytes for blobs) */
    int *len, *fmt;
    unsigned char *owned; /* val[i] is ours to free */
    PGresult *res;
    int row, ran, done;
    unsigned char *blob; /* the current row's decoded bytea column */
    int blob_col;
    size_t blob_len;
};

struct pgblob {
    struct pgconn *pc;
    char *sql;
    PGresult *res;
};

/* ---- errors ---- */

/* libpq's message on one line: its hint lines ("\n\tIs the server
 * running…") joined with "; ", the trailing newline dropped. */
static void set_msg(struct pgconn *pc, const char *m)
{
    if (!m || !*m)
        m = "error";
    size_t n = 0;
    for (; *m && n + 3 < sizeof pc->err; m++) {
        if (*m != '\n') {
            pc->err[n++] = *m;
            continue;
        }
        while (m[1] == '\t' || m[1] == ' ' || m[1] == '\n')
            m++;
        if (m[1]) {
            pc->err[n++] = ';';
            pc->err[n++] = ' ';
        }
    }
    pc->err[n] = '\0';
    while (n && pc->err[n - 1] == ' ')
        pc->err[--n] = '\0';
}

/* Record the failure of r (NULL: of the connection); its class. */
static int fail(struct pgconn *pc, const PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *m = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    set_msg(pc, m ? m : PQerrorMessage(pc->c));
    pc->full = 0;
    int cl = SC_STORE_ERROR;
    if (PQstatus(pc->c) == CONNECTION_BAD) {
        cl = SC_STORE_UNAVAILABLE;
    } else if (state && (!strncmp(state, "08", 2) || !strncmp(state, "57P0", 4))) {
        /* connection exceptions; shutting down, crashed, starting up */
        cl = SC_STORE_UNAVAILABLE;
    } else if (state && !strcmp(state, "25006") && !(pc->flags & SC_STORE_RDONLY)) {
        /* a write on a standby: the primary has moved (a failover) */
        cl = SC_STORE_UNAVAILABLE;
        pc->reset = 1;
    } else if (state) {
        if (!strcmp(state, "23505"))
            cl = SC_STORE_UNIQUE;
        else if (!strncmp(state, "23", 2))
            cl = SC_STORE_CONSTRAINT;
        else if (!strcmp(state, "53100"))
            cl = SC_STORE_FULL, pc->full = 1;
        else if (!strcmp(state, "53200"))
            cl = SC_STORE_NOMEM;
        else if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03"))
            cl = SC_STORE_BUSY;
        else if (!strcmp(state, "25006"))
            cl = SC_STORE_READONLY;
    }
    pc->errclass = cl;
    return cl == SC_STORE_UNIQUE ? SC_STORE_CONSTRAINT : cl;
}

/* ---- SQLite's dialect to PostgreSQL's ---- */

static int is_word(char c)
{
    return c == '_' || ((c | 32) >= 'a' && (c | 32) <= 'z') || (c >= '0' && c <= '9');
}

static int word_at(const char *s, size_t i, const char *w, size_t start)
{
    size_t n = strlen(w);
    if (strncmp(s + i, w, n))
        return 0;
    return !(i > start && is_word(s[i - 1])) && !is_word(s[i + n]);
}

static const struct {
    const char *from, *to;
} words[] = {
    { "INTEGER PRIMARY KEY AUTOINCREMENT", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" },
    { "INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" },
    { "TEXT NOT NULL UNIQUE COLLATE NOCASE", "CITEXT NOT NULL UNIQUE" },
    { "COLLATE NOCASE", "" },
    { "WITHOUT ROWID", "" },
    { "INTEGER", "BIGINT" },
    { "BLOB", "BYTEA" },
    { "REAL", "DOUBLE PRECISION" },
    { "end", "\"end\"" }, /* a column (sections, points), reserved in PostgreSQL */
    { "strftime('%Y-%m-%dT%H:%M:%SZ','now')",
      "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')" },
};

/* A function's one argument s[from..) up to its ')' (no parentheses of
 * its own), written into b between before and after; the ')''s index. */
static size_t wrap_arg(struct sc_buf *b, const char *s, size_t from, size_t n, const char *before,
                       const char *after)
{
    size_t j = from;
    while (j < n && s[j] != ')')
        j++;
    sc_buf_adds(b, before);
    sc_buf_add(b, s + from, j - from);
    sc_buf_adds(b, after);
    return j;
}

/* One statement (no ';' at its top level), rewritten into b; ?/?N become
 * $N and *nparams the highest. */
static void rewrite_one(struct sc_buf *b, const char *s, size_t n, int *nparams)
{
    int ignore = 0, replace = 0, create = 0, has_pk = 0, norowid = 0, next = 0, values = 0;
    char table[64] = "", firstcol[64] = "";
    size_t i = 0;
    for (;;) { /* blanks and comments before the statement */
        while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t'))
            i++;
        if (i + 1 < n && s[i] == '-' && s[i + 1] == '-')
            while (i < n && s[i] != '\n')
                i++;
        else
            break;
    }
    if (!strncmp(s + i, "INSERT OR IGNORE INTO", 21)) {
        sc_buf_adds(b, "INSERT INTO");
        ignore = 1;
        i += 21;
    } else if (!strncmp(s + i, "INSERT OR REPLACE INTO", 22)) {
        sc_buf_adds(b, "INSERT INTO");
        replace = 1;
        i += 22;
        size_t j = i;
        while (j < n && s[j] == ' ')
            j++;
        size_t k = 0;
        while (j < n && k + 1 < sizeof table && is_word(s[j]))
            table[k++] = s[j++];
        table[k] = '\0';
        if (j < n && s[j] == '(') {
            j++;
            k = 0;
            while (j < n && k + 1 < sizeof firstcol && s[j] != ',' && s[j] != ')')
                firstcol[k++] = s[j++];
            firstcol[k] = '\0';
        }
    } else if (!strncmp(s + i, "CREATE TABLE", 12)) {
        create = 1;
    }
    size_t start = i;
    for (; i < n; i++) {
        char c = s[i];
        if (c == '\'') { /* a literal, as it is */
            size_t j = i + 1;
            while (j < n && !(s[j] == '\'' && (j + 1 >= n || s[j + 1] != '\'')))
                j += s[j] == '\'' ? 2 : 1;
            sc_buf_add(b, s + i, j < n ? j - i + 1 : n - i);
            i = j;
            continue;
        }
        if (c == '-' && i + 1 < n && s[i + 1] == '-') { /* a comment, left out */
            while (i < n && s[i] != '\n')
                i++;
            sc_buf_addc(b, '\n');
            continue;
        }
        if (c == '?') {
            int v = 0;
            size_t j = i + 1;
            while (j < n && s[j] >= '0' && s[j] <= '9' && v < 1000)
                v = v * 10 + (s[j++] - '0');
            if (j == i + 1)
                v = ++next;
            else if (v > next)
                next = v;
            if (v > *nparams)
                *nparams = v;
            if (values == 1 && !strcmp(firstcol, "id")) {
                /* NULL into SQLite's INTEGER PRIMARY KEY makes an id */
                sc_buf_addf(b, "coalesce($%d, nextval(pg_get_serial_sequence('%s', 'id')))", v,
                            table);
                values = 2;
            } else {
                sc_buf_addf(b, "$%d", v);
            }
            i = j - 1;
            continue;
        }
        if (word_at(s, i, "date", start) && i + 5 < n && s[i + 4] == '(') {
            /* date(x, 'localtime'): the day of a stored UTC time in the
             * session's time zone (PostgreSQL's TimeZone setting) */
            static const char lt[] = ", 'localtime')";
            const char *e = memmem(s + i + 5, n - (i + 5), lt, sizeof lt - 1);
            if (e) {
                sc_buf_adds(b, "to_char(CAST(");
                sc_buf_add(b, s + i + 5, (size_t)(e - (s + i + 5)));
                sc_buf_adds(b, " AS timestamptz), 'YYYY-MM-DD')");
                i = (size_t)(e - s) + sizeof lt - 2;
                continue;
            }
        }
        if (!strncmp(s + i, "json_each(", 10)) { /* json_each(x) [alias] */
            size_t j = wrap_arg(b, s, i + 10, n, "json_array_elements_text(", "::json)");
            /* SQLite's rows have a column "value": name it so, under the
             * alias that follows or one of its own */
            size_t a = j + 1;
            while (a < n && s[a] == ' ')
                a++;
            size_t k = a;
            while (k < n && is_word(s[k]))
                k++;
            static const char *const kw[] = { "WHERE", "JOIN", "ON", "GROUP", "ORDER", "LIMIT",
                                               "AND", "OR", "AS" };
            int alias = k > a;
            for (size_t q = 0; alias && q < sizeof kw / sizeof kw[0]; q++)
                if (k - a == strlen(kw[q]) && !strncasecmp(s + a, kw[q], k - a))
                    alias = 0;
            if (alias) {
                sc_buf_adds(b, " AS ");
                sc_buf_add(b, s + a, k - a);
                sc_buf_adds(b, "(value)");
                i = k - 1;
            } else {
                sc_buf_adds(b, " AS je(value)");
                i = j;
            }
            continue;
        }
        if (!strncmp(s + i, "json_valid(", 11)) { /* json_valid(x): the column is ours, JSON or empty */
            i = wrap_arg(b, s, i + 11, n, "(coalesce(", ", '') <> '')");
            continue;
        }
        if (replace && !values && word_at(s, i, "VALUES", start))
            values = 1;
        if (create && word_at(s, i, "PRIMARY KEY", start))
            has_pk = 1;
        if (create && word_at(s, i, "WITHOUT ROWID", start))
            norowid = 1;
        size_t w = 0;
        for (; w < sizeof words / sizeof words[0]; w++)
            if (word_at(s, i, words[w].from, start))
                break;
        if (w < sizeof words / sizeof words[0]) {
            if (create && !strncmp(words[w].from, "INTEGER PRIMARY KEY", 19))
                has_pk = 1;
            if (create && !strcmp(words[w].from, "WITHOUT ROWID"))
                norowid = 1;
            sc_buf_adds(b, words[w].to);
            i += strlen(words[w].from) - 1;
            continue;
        }
        sc_buf_addc(b, c);
    }
    if (create && !has_pk && !norowid) {
        /* SQLite's implicit rowid, which statements may name */
        size_t e = b->len;
        while (e && b->data[e - 1] != ')')
            e--;
        if (e) {
            char *tail = sc_strndup(b->data + e - 1, b->len - (e - 1));
            b->len = e - 1;
            sc_buf_adds(b, ",\n  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY");
            if (tail)
                sc_buf_adds(b, tail);
            free(tail);
        }
    }
    if (ignore)
        sc_buf_adds(b, " ON CONFLICT DO NOTHING");
    if (replace) {
        if (!strcmp(table, "meta") && !*firstcol)
            sc_buf_adds(b, " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        else if (*firstcol)
            sc_buf_addf(b, " ON CONFLICT (%s) DO NOTHING", firstcol); /* replaced below */
    }
}

/* INSERT OR REPLACE with a column list: every column but the first (the
 * key) set from the new row. */
static void replace_set(struct sc_buf *b, const char *s)
{
    const char *p = strstr(s, "INSERT OR REPLACE INTO");
    const char *open = p ? strchr(p, '(') : NULL;
    const char *close = open ? strchr(open, ')') : NULL;
    const char *tail = b->len >= 11 ? strstr(b->data, " DO NOTHING") : NULL;
    if (!open || !close || !tail)
        return;
    size_t at = (size_t)(tail - b->data);
    b->len = at;
    sc_buf_adds(b, " DO UPDATE SET ");
    const char *c = strchr(open, ',');
    int first = 1;
    while (c && c < close) {
        c++;
        while (*c == ' ')
            c++;
        const char *e = c;
        while (e < close && *e != ',')
            e++;
        const char *t = e;
        while (t > c && t[-1] == ' ')
            t--;
        sc_buf_addf(b, "%s%.*s = excluded.%.*s", first ? "" : ", ", (int)(t - c), c, (int)(t - c),
                    c);
        first = 0;
        c = e < close ? e : NULL;
    }
}

/* The script's statements, each rewritten; NULL on allocation failure. */
static char *rewrite(const char *sql, int *nparams)
{
    struct sc_buf b = SC_BUF_INIT;
    *nparams = 0;
    const char *s = sql;
    while (*s) {
        const char *e = s;
        int lit = 0;
        while (*e && (lit || *e != ';')) {
            if (*e == '\'')
                lit = !lit;
            else if (!lit && e[0] == '-' && e[1] == '-')
                while (e[1] && e[1] != '\n')
                    e++;
            e++;
        }
        struct sc_buf one = SC_BUF_INIT;
        rewrite_one(&one, s, (size_t)(e - s), nparams);
        if (strstr(s, "INSERT OR REPLACE INTO") && strstr(s, "INSERT OR REPLACE INTO") < e)
            replace_set(&one, s);
        if (sc_buf_err(&one) != SC_OK) {
            sc_buf_release(&one);
            sc_buf_release(&b);
            return NULL;
        }
        sc_buf_add(&b, one.data ? one.data : "", one.len);
        sc_buf_release(&one);
        if (*e == ';') {
            sc_buf_addc(&b, ';');
            e++;
        }
        s = e;
    }
    if (!b.data)
        sc_buf_adds(&b, "");
    return sc_buf_take(&b, NULL);
}

/* ---- connections ---- */

static int claims(const char *location)
{
    return !strncmp(location, "postgresql://", 13) || !strncmp(location, "postgres://", 11);
}

static int pg_exec_raw(struct pgconn *pc, const char *sql)
{
    PGresult *r = PQexec(pc->c, sql);
    ExecStatusType t = PQresultStatus(r);
    int rc = t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK ? SC_STORE_OK : fail(pc, r);
    PQclear(r);
    return rc;
}

/* What every connection of this driver is set to, at open and again when
 * it is made again. */
static int session_setup(struct pgconn *pc)
{
    PQclear(PQexec(pc->c, "SET client_min_messages = warning"));
    char sql[96];
    snprintf(sql, sizeof sql, "SET lock_timeout = %d", pc->busy_ms > 0 ? pc->busy_ms : 1);
    int rc = pg_exec_raw(pc, sql);
    if (rc == SC_STORE_OK && (pc->flags & SC_STORE_RDONLY))
        rc = pg_exec_raw(pc, "SET default_transaction_read_only = on");
    return rc;
}

/* How often a lost connection is tried again: while the server is down a
 * call fails at once instead of connecting each time. */
#define REVIVE_MS 500.0

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Before a call (mu held): a connection that was lost — the server
 * restarted, the primary failed over — is made again by libpq's own rules
 * (several hosts, target_session_attrs=read-write find the new primary),
 * unless a transaction was open on it: that one is gone, and its calls
 * fail until it is rolled back. */
static void revive(struct pgconn *pc)
{
    if ((PQstatus(pc->c) != CONNECTION_BAD && !pc->reset) || pc->tx)
        return;
    double t = mono_ms();
    if (t - pc->tried_ms < REVIVE_MS)
        return;
    pc->tried_ms = t;
    PQreset(pc->c);
    if (PQstatus(pc->c) == CONNECTION_OK && session_setup(pc) == SC_STORE_OK) {
        pc->epoch++;
        pc->reset = 0;
    }
}

static void lock(struct pgconn *pc)
{
    pthread_mutex_lock(&pc->mu);
    revive(pc);
}

/* libpq prints the server's notices and a connection's last words
 * ("FATAL: terminating connection due to administrator command") on
 * stderr; a failure reaches the caller through the call that meets it. */
static void quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

static int pg_open(const char *location, int flags, int busy_ms, void **conn)
{
    *conn = NULL;
    struct pgconn *pc = sc_calloc(1, sizeof *pc);
    if (!pc)
        return SC_STORE_NOMEM;
    pthread_mutex_init(&pc->mu, NULL);
    *conn = pc;
    pc->flags = flags;
    pc->busy_ms = busy_ms;
    pc->c = PQconnectdb(location);
    if (!pc->c)
        return SC_STORE_NOMEM;
    PQsetNoticeProcessor(pc->c, quiet, NULL);
    if (PQstatus(pc->c) != CONNECTION_OK) {
        int rc = fail(pc, NULL);
        /* a server that answered no (a wrong password, no such database or
         * role) is not one that is down: trying again will not help.
         * libpq gives no SQLSTATE for a connection that failed, only its
         * message. */
        if (strstr(pc->err, "authentication failed") || strstr(pc->err, "does not exist") ||
            strstr(pc->err, "no password supplied") || strstr(pc->err, "not permitted"))
            rc = pc->errclass = SC_STORE_ERROR;
        return rc;
    }
    return session_setup(pc);
}

static void pg_close(void *conn)
{
    struct pgconn *pc = conn;
    if (!pc)
        return;
    PQfinish(pc->c);
    for (size_t i = 0; i < pc->nkept; i++)
        free(pc->kept[i].sql);
    pthread_mutex_destroy(&pc->mu);
    free(pc);
}

static int pg_exec(void *conn, const char *sql)
{
    struct pgconn *pc = conn;
    int np;
    char *q = rewrite(sql, &np);
    if (!q)
        return SC_STORE_NOMEM;
    lock(pc);
    int rc = pg_exec_raw(pc, q);
    pthread_mutex_unlock(&pc->mu);
    free(q);
    return rc;
}

static int pg_has_table(void *conn, const char *name)
{
    struct pgconn *pc = conn;
    const char *v[1] = { name };
    lock(pc);
    PGresult *r =
        PQexecParams(pc->c, "SELECT to_regclass($1) IS NOT NULL", 1, NULL, v, NULL, NULL, 0);
    int yes =
        PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    pthread_mutex_unlock(&pc->mu);
    return yes;
}

/* Tables of the schema the connection works in (its search_path's first):
 * none in a database made for the library. */
static int pg_empty(void *conn)
{
    struct pgconn *pc = conn;
    lock(pc);
    PGresult *r = PQexec(pc->c, "SELECT count(*) FROM pg_catalog.pg_tables "
                                "WHERE schemaname = current_schema()");
    int none = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
               !strcmp(PQgetvalue(r, 0, 0), "0");
    PQclear(r);
    pthread_mutex_unlock(&pc->mu);
    return none;
}

static int64_t pg_bytes(void *conn)
{
    struct pgconn *pc = conn;
    lock(pc);
    PGresult *r = PQexec(pc->c, "SELECT pg_database_size(current_database())");
    int64_t n = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1
                    ? strtoll(PQgetvalue(r, 0, 0), NULL, 10)
                    : -1;
    PQclear(r);
    pthread_mutex_unlock(&pc->mu);
    return n;
}

static int locked_exec(void *conn, const char *sql)
{
    struct pgconn *pc = conn;
    lock(pc);
    int rc = pg_exec_raw(pc, sql);
    pthread_mutex_unlock(&pc->mu);
    return rc;
}

/* A write transaction excludes other writers from its start, as SQLite's
 * BEGIN IMMEDIATE: one advisory lock per database, held to its end (so
 * ids and change numbers are committed in the order they are given). A
 * read transaction sees one snapshot, as SQLite's does: READ COMMITTED
 * would let its statements see different commits. */
static int pg_begin(void *conn, int write)
{
    struct pgconn *pc = conn;
    lock(pc);
    int rc = pg_exec_raw(pc, write ? "BEGIN; SELECT pg_advisory_xact_lock(7206)"
                                   : "BEGIN ISOLATION LEVEL REPEATABLE READ");
    pc->tx = rc == SC_STORE_OK;
    pthread_mutex_unlock(&pc->mu);
    return rc;
}

static int pg_commit(void *conn)
{
    struct pgconn *pc = conn;
    lock(pc);
    int rc;
    if (PQtransactionStatus(pc->c) == PQTRANS_IDLE) {
        set_msg(pc, "cannot commit - no transaction is active");
        pc->errclass = SC_STORE_ERROR;
        rc = SC_STORE_ERROR;
    } else {
        rc = pg_exec_raw(pc, "COMMIT");
    }
    pc->tx = 0;
    pthread_mutex_unlock(&pc->mu);
    return rc;
}

/* On a lost connection there is nothing to roll back: the server undid
 * the transaction when the connection went. */
static int pg_rollback(void *conn)
{
    struct pgconn *pc = conn;
    pthread_mutex_lock(&pc->mu);
    int rc = PQstatus(pc->c) == CONNECTION_BAD ? SC_STORE_OK : pg_exec_raw(pc, "ROLLBACK");
    pc->tx = 0;
    pthread_mutex_unlock(&pc->mu);
    return rc;
}

static int sp(void *conn, const char *verb, const char *name)
{
    char sql[96];
    if (snprintf(sql, sizeof sql, "%s %s", verb, name) >= (int)sizeof sql)
        return SC_STORE_ERROR;
    return locked_exec(conn, sql);
}

static int pg_savepoint(void *conn, const char *name)
{
    return sp(conn, "SAVEPOINT", name);
}

static int pg_release(void *conn, const char *name)
{
    return sp(conn, "RELEASE SAVEPOINT", name);
}

static int pg_rollback_to(void *conn, const char *name)
{
    return sp(conn, "ROLLBACK TO SAVEPOINT", name);
}

/* ---- notifications ---- */

static int pg_notify(void *conn, const char *channel)
{
    return sp(conn, "NOTIFY", channel);
}

static int pg_listen(void *conn, const char *channel)
{
    return sp(conn, "LISTEN", channel);
}

/* Drop the notifications received; were there any? */
static int drain(PGconn *c)
{
    int got = 0;
    PGnotify *n;
    while ((n = PQnotifies(c)) != NULL) {
        got = 1;
        PQfreemem(n);
    }
    return got;
}

static int pg_wait(void *conn, int timeout_ms)
{
    struct pgconn *pc = conn;
    pthread_mutex_lock(&pc->mu);
    int got = PQconsumeInput(pc->c) ? drain(pc->c) : -1;
    int fd = PQsocket(pc->c);
    pthread_mutex_unlock(&pc->mu);
    if (got || fd < 0) {
        if (got < 0 || fd < 0)
            set_msg(pc, PQerrorMessage(pc->c));
        return got ? got : -1;
    }
    /* the connection is a listener's own: nothing else reads its socket */
    struct pollfd p = { .fd = fd, .events = POLLIN };
    int rc = poll(&p, 1, timeout_ms);
    if (rc <= 0)
        return rc < 0 && errno != EINTR ? -1 : 0;
    pthread_mutex_lock(&pc->mu);
    got = PQconsumeInput(pc->c) ? drain(pc->c) : -1;
    if (got < 0)
        set_msg(pc, PQerrorMessage(pc->c));
    pthread_mutex_unlock(&pc->mu);
    return got;
}

static int pg_in_tx(void *conn)
{
    struct pgconn *pc = conn;
    pthread_mutex_lock(&pc->mu);
    int yes = PQtransactionStatus(pc->c) != PQTRANS_IDLE;
    pthread_mutex_unlock(&pc->mu);
    return yes;
}

static int64_t pg_changes(void *conn)
{
    return ((struct pgconn *)conn)->changes;
}

static int64_t pg_last_id(void *conn)
{
    struct pgconn *pc = conn;
    lock(pc);
    /* in a savepoint, so that a session that made no id yet leaves an
     * open transaction usable */
    int tx = PQtransactionStatus(pc->c) != PQTRANS_IDLE;
    if (tx)
        PQclear(PQexec(pc->c, "SAVEPOINT sc_lastval"));
    PGresult *r = PQexec(pc->c, "SELECT lastval()");
    int64_t v = PQresultStatus(r) == PGRES_TUPLES_OK ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : 0;
    PQclear(r);
    if (tx)
        PQclear(
            PQexec(pc->c, v ? "RELEASE SAVEPOINT sc_lastval"
                            : "ROLLBACK TO SAVEPOINT sc_lastval; RELEASE SAVEPOINT sc_lastval"));
    pthread_mutex_unlock(&pc->mu);
    return v;
}

static int pg_errcode(void *conn)
{
    return ((struct pgconn *)conn)->errclass;
}

static const char *pg_errmsg(void *conn)
{
    struct pgconn *pc = conn;
    if (!pc->err[0] && pc->c)
        set_msg(pc, PQerrorMessage(pc->c));
    return pc->err;
}

static int pg_full(void *conn)
{
    return ((struct pgconn *)conn)->full;
}

/* ---- statements ---- */

static void unbind(struct pgstmt *s)
{
    for (int i = 0; i < s->nparams; i++) {
        if (s->owned[i])
            free(s->val[i]);
        s->val[i] = NULL;
        s->owned[i] = 0;
        s->len[i] = 0;
        s->fmt[i] = 0;
    }
}

static void clear_result(struct pgstmt *s)
{
    PQclear(s->res);
    s->res = NULL;
    s->row = -1;
    s->ran = 0;
    s->done = 0;
    PQfreemem(s->blob);
    s->blob = NULL;
}

static int pg_prepare(void *conn, const char *sql, int persistent, void **stmt)
{
    (void)persistent;
    struct pgconn *pc = conn;
    *stmt = NULL;
    int np;
    char *q = rewrite(sql, &np);
    struct pgstmt *s = sc_calloc(1, sizeof *s);
    int n = np > 0 ? np : 1;
    if (s) {
        s->val = sc_calloc((size_t)n, sizeof *s->val);
        s->len = sc_calloc((size_t)n, sizeof *s->len);
        s->fmt = sc_calloc((size_t)n, sizeof *s->fmt);
        s->owned = sc_calloc((size_t)n, 1);
    }
    if (!q || !s || !s->val || !s->len || !s->fmt || !s->owned) {
        free(q);
        if (s) {
            free(s->val);
            free(s->len);
            free(s->fmt);
            free(s->owned);
            free(s);
        }
        set_msg(pc, "out of memory");
        pc->errclass = SC_STORE_NOMEM;
        return SC_STORE_NOMEM;
    }
    s->pc = pc;
    s->nparams = np;
    s->row = -1;
    s->blob_col = -1;
    s->sql = q;
    lock(pc);
    for (size_t i = 0; i < pc->nkept; i++) {
        struct kept *k = &pc->kept[i];
        if (k->epoch != pc->epoch || strcmp(k->sql, q) != 0)
            continue;
        /* prepared before: take it (this statement owns it until finalized) */
        memcpy(s->name, k->name, sizeof s->name);
        s->epoch = k->epoch;
        free(k->sql);
        *k = pc->kept[--pc->nkept];
        pthread_mutex_unlock(&pc->mu);
        *stmt = s;
        return SC_STORE_OK;
    }
    snprintf(s->name, sizeof s->name, "sc%lu", ++pc->names);
    s->epoch = pc->epoch;
    PGresult *r = PQprepare(pc->c, s->name, q, np, NULL);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? SC_STORE_OK : fail(pc, r);
    PQclear(r);
    pthread_mutex_unlock(&pc->mu);
    if (rc != SC_STORE_OK) {
        s->name[0] = '\0';
        *stmt = s;
        return rc;
    }
    *stmt = s;
    return SC_STORE_OK;
}

static void pg_finalize(void *stmt)
{
    struct pgstmt *s = stmt;
    if (!s)
        return;
    clear_result(s);
    unbind(s);
    struct pgconn *pc = s->pc;
    pthread_mutex_lock(&pc->mu);
    if (s->name[0] && s->epoch == pc->epoch && PQstatus(pc->c) == CONNECTION_OK) {
        if (pc->nkept == KEPT_MAX) {
            /* full: the oldest goes */
            char sql[48];
            snprintf(sql, sizeof sql, "DEALLOCATE %s", pc->kept[0].name);
            PQclear(PQexec(pc->c, sql));
            free(pc->kept[0].sql);
            memmove(pc->kept, pc->kept + 1, (KEPT_MAX - 1) * sizeof *pc->kept);
            pc->nkept--;
        }
        struct kept *k = &pc->kept[pc->nkept++];
        k->sql = s->sql; /* the kept entry owns it now */
        memcpy(k->name, s->name, sizeof k->name);
        k->epoch = s->epoch;
        s->sql = NULL;
    }
    pthread_mutex_unlock(&pc->mu);
    free(s->sql);
    free(s->val);
    free(s->len);
    free(s->fmt);
    free(s->owned);
    free(s);
}

static int pg_reset(void *stmt)
{
    clear_result(stmt);
    return SC_STORE_OK;
}

static int pg_clear_bindings(void *stmt)
{
    unbind(stmt);
    return SC_STORE_OK;
}

static int bind(struct pgstmt *s, int i, const void *p, int n, int copy, int binary)
{
    if (i < 1 || i > s->nparams)
        return SC_STORE_ERROR;
    i--;
    if (s->owned[i])
        free(s->val[i]);
    s->owned[i] = 0;
    s->val[i] = NULL;
    if (p) {
        if (n < 0)
            n = (int)strlen(p);
        if (copy || !binary) { /* text must end with a NUL for libpq */
            char *d = sc_malloc((size_t)n + 1);
            if (!d)
                return SC_STORE_NOMEM;
            memcpy(d, p, (size_t)n);
            d[n] = '\0';
            s->val[i] = d;
            s->owned[i] = 1;
        } else {
            s->val[i] = (char *)p;
        }
    }
    s->len[i] = n;
    s->fmt[i] = binary;
    return SC_STORE_OK;
}

static int pg_bind_int64(void *stmt, int i, int64_t v)
{
    char t[24];
    snprintf(t, sizeof t, "%lld", (long long)v);
    return bind(stmt, i, t, -1, 1, 0);
}

static int pg_bind_double(void *stmt, int i, double v)
{
    char t[40];
    snprintf(t, sizeof t, "%.17g", v);
    return bind(stmt, i, t, -1, 1, 0);
}

static int pg_bind_null(void *stmt, int i)
{
    return bind(stmt, i, NULL, 0, 0, 0);
}

static int pg_bind_text(void *stmt, int i, const char *p, int n, int copy)
{
    return bind(stmt, i, p, n, copy, 0);
}

static int pg_bind_blob(void *stmt, int i, const void *p, int n, int copy)
{
    return bind(stmt, i, p ? p : "", n, copy, 1);
}

static int pg_step(void *stmt)
{
    struct pgstmt *s = stmt;
    if (!s->name[0])
        return SC_STORE_ERROR;
    if (s->done)
        clear_result(s); /* stepped after the end: run again, as SQLite does */
    if (!s->ran) {
        struct pgconn *pc = s->pc;
        lock(pc);
        if (s->epoch != pc->epoch) {
            /* the connection was made again: its prepared statements went with the old one */
            PGresult *pr = PQprepare(pc->c, s->name, s->sql, s->nparams, NULL);
            if (PQresultStatus(pr) == PGRES_COMMAND_OK)
                s->epoch = pc->epoch;
            PQclear(pr);
        }
        s->res = PQexecPrepared(pc->c, s->name, s->nparams, (const char *const *)s->val, s->len,
                                s->fmt, 0);
        ExecStatusType t = PQresultStatus(s->res);
        int rc = SC_STORE_OK;
        if (t == PGRES_TUPLES_OK || t == PGRES_COMMAND_OK) {
            const char *ct = PQcmdTuples(s->res);
            pc->changes = ct && *ct ? strtoll(ct, NULL, 10) : 0;
        } else {
            rc = fail(pc, s->res);
        }
        pthread_mutex_unlock(&pc->mu);
        s->ran = 1;
        s->row = -1;
        if (rc != SC_STORE_OK) {
            PQclear(s->res);
            s->res = NULL;
            return rc;
        }
    }
    PQfreemem(s->blob);
    s->blob = NULL;
    s->blob_col = -1;
    if (s->res && s->row + 1 < PQntuples(s->res)) {
        s->row++;
        return SC_STORE_ROW;
    }
    s->row = s->res ? PQntuples(s->res) : 0;
    s->done = 1;
    return SC_STORE_DONE;
}

static int on_row(const struct pgstmt *s, int col)
{
    return s->res && s->row >= 0 && s->row < PQntuples(s->res) && col >= 0 &&
           col < PQnfields(s->res);
}

static int pg_column_type(void *stmt, int col)
{
    struct pgstmt *s = stmt;
    if (!on_row(s, col) || PQgetisnull(s->res, s->row, col))
        return SC_COL_NULL;
    switch (PQftype(s->res, col)) {
    case OID_INT8:
    case OID_INT4:
    case OID_INT2:
    case OID_BOOL: return SC_COL_INT;
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUM: return SC_COL_REAL;
    case OID_BYTEA: return SC_COL_BLOB;
    default: return SC_COL_TEXT;
    }
}

static int64_t pg_column_int64(void *stmt, int col)
{
    struct pgstmt *s = stmt;
    if (!on_row(s, col) || PQgetisnull(s->res, s->row, col))
        return 0;
    const char *v = PQgetvalue(s->res, s->row, col);
    if (PQftype(s->res, col) == OID_BOOL)
        return v[0] == 't';
    return strtoll(v, NULL, 10);
}

static double pg_column_double(void *stmt, int col)
{
    struct pgstmt *s = stmt;
    if (!on_row(s, col) || PQgetisnull(s->res, s->row, col))
        return 0;
    return strtod(PQgetvalue(s->res, s->row, col), NULL);
}

static const char *pg_column_text(void *stmt, int col)
{
    struct pgstmt *s = stmt;
    if (!on_row(s, col) || PQgetisnull(s->res, s->row, col))
        return NULL;
    return PQgetvalue(s->res, s->row, col);
}

static int decode_blob(struct pgstmt *s, int col)
{
    if (s->blob_col == col)
        return 1;
    PQfreemem(s->blob);
    s->blob = NULL;
    s->blob_col = -1;
    if (PQftype(s->res, col) != OID_BYTEA)
        return 0;
    s->blob = PQunescapeBytea((const unsigned char *)PQgetvalue(s->res, s->row, col), &s->blob_len);
    if (!s->blob)
        return 0;
    s->blob_col = col;
    return 1;
}

static const void *pg_column_blob(void *stmt, int col)
{
    struct pgstmt *s = stmt;
    if (!on_row(s, col) || PQgetisnull(s->res, s->row, col))
        return NULL;
    if (decode_blob(s, col))
        return s->blob_len ? s->blob : (const void *)"";
    return PQgetvalue(s->res, s->row, col);
}

static int pg_column_bytes(void *stmt, int col)
{
    struct pgstmt *s = stmt;
    if (!on_row(s, col) || PQgetisnull(s->res, s->row, col))
        return 0;
    if (decode_blob(s, col))
        return (int)s->blob_len;
    return PQgetlength(s->res, s->row, col);
}

/* ---- blobs: the value fetched once per row, read in slices ---- */

static int blob_fetch(struct pgblob *b, int64_t id)
{
    char t[24];
    snprintf(t, sizeof t, "%lld", (long long)id);
    const char *v[1] = { t };
    lock(b->pc);
    PQclear(b->res);
    b->res = PQexecParams(b->pc->c, b->sql, 1, NULL, v, NULL, NULL, 1);
    int rc = PQresultStatus(b->res) == PGRES_TUPLES_OK ? SC_STORE_OK : fail(b->pc, b->res);
    pthread_mutex_unlock(&b->pc->mu);
    if (rc == SC_STORE_OK && (PQntuples(b->res) != 1 || PQgetisnull(b->res, 0, 0)))
        rc = SC_STORE_ERROR;
    return rc;
}

static int pg_blob_open(void *conn, const char *table, const char *column, int64_t id, void **blob)
{
    *blob = NULL;
    struct pgblob *b = sc_calloc(1, sizeof *b);
    struct sc_buf q = SC_BUF_INIT;
    sc_buf_addf(&q, "SELECT %s FROM %s WHERE id = $1", column, table);
    if (!b || sc_buf_err(&q) != SC_OK) {
        free(b);
        sc_buf_release(&q);
        return SC_STORE_NOMEM;
    }
    b->pc = conn;
    b->sql = sc_buf_take(&q, NULL);
    *blob = b;
    return blob_fetch(b, id);
}

static int pg_blob_reopen(void *blob, int64_t id)
{
    return blob_fetch(blob, id);
}

static int pg_blob_bytes(void *blob)
{
    struct pgblob *b = blob;
    return b->res && PQntuples(b->res) == 1 ? PQgetlength(b->res, 0, 0) : 0;
}

static int pg_blob_read(void *blob, void *buf, int n, int off)
{
    struct pgblob *b = blob;
    int len = pg_blob_bytes(b);
    if (n < 0 || off < 0 || off > len || n > len - off)
        return SC_STORE_ERROR;
    memcpy(buf, PQgetvalue(b->res, 0, 0) + off, (size_t)n);
    return SC_STORE_OK;
}

static void pg_blob_close(void *blob)
{
    struct pgblob *b = blob;
    if (!b)
        return;
    PQclear(b->res);
    free(b->sql);
    free(b);
}

const struct sc_store_driver sc_store_pg = {
    .name = "postgresql",
    .claims = claims,
    /* case-insensitive user names (users.name) */
    .setup_sql = "CREATE EXTENSION IF NOT EXISTS citext",
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .has_table = pg_has_table,
    .empty = pg_empty,
    .bytes = pg_bytes,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .savepoint = pg_savepoint,
    .release = pg_release,
    .rollback_to = pg_rollback_to,
    .in_tx = pg_in_tx,
    .changes = pg_changes,
    .last_id = pg_last_id,
    .errcode = pg_errcode,
    .errmsg = pg_errmsg,
    .full = pg_full,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .reset = pg_reset,
    .clear_bindings = pg_clear_bindings,
    .bind_int64 = pg_bind_int64,
    .bind_double = pg_bind_double,
    .bind_null = pg_bind_null,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .step = pg_step,
    .column_type = pg_column_type,
    .column_int64 = pg_column_int64,
    .column_double = pg_column_double,
    .column_text = pg_column_text,
    .column_blob = pg_column_blob,
    .column_bytes = pg_column_bytes,
    .blob_open = pg_blob_open,
    .blob_reopen = pg_blob_reopen,
    .blob_bytes = pg_blob_bytes,
    .blob_read = pg_blob_read,
    .blob_close = pg_blob_close,
    .notify = pg_notify,
    .listen = pg_listen,
    .wait = pg_wait,
};

#else
typedef int sc_store_pg_absent; /* ISO C wants something in a file */
#endif
