/*
 * Login, throttling and sessions.
 *
 * A session id is 256 random bits (64 hex digits) handed to the browser in
 * a cookie; the store keeps only its SHA-256, so a copy of the database
 * does not let anyone log in. The CSRF token is derived from the id by a
 * second, domain-separated SHA-256: it needs no storage and cannot be
 * turned back into the id.
 *
 * Throttling: every login attempt first records a failure row for the
 * name at its address, for the address, and for the name from anywhere
 * (one INSERT each, atomic), then looks at the rows recorded before it.
 * Parallel guesses therefore see each other and cannot all slip under a
 * limit. The first two keys refuse with a back-off; the name's own key
 * only slows every attempt for it (a refusal there would let anyone lock
 * the account's owner out). A correct password deletes the rows of the
 * name at that address and its own rows; refused attempts delete their
 * rows (they tested nothing). See members.h for the rule.
 */
#include "members_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define WINDOW       86400 /* failures older than a day are forgotten */
#define BACKOFF_BASE 30    /* seconds after the first failure over the limit */
#define BACKOFF_MAX  3600
#define SEEN_GRANULE 3600 /* sliding expiry is refreshed at most hourly */

static void id_hash(const char *session_id, char out[65])
{
    sc_sha256_hex(session_id, strlen(session_id), out);
}

static int valid_secret(const char *s)
{
    if (!s || strlen(s) != SC_SECRET_HEX)
        return 0;
    return strspn(s, "0123456789abcdef") == SC_SECRET_HEX;
}

void sc_session_csrf(const char *session_id, char out[SC_SECRET_HEX + 1])
{
    struct sc_buf b = SC_BUF_INIT;
    sc_buf_adds(&b, "sucai-csrf\n");
    sc_buf_adds(&b, session_id ? session_id : "");
    if (sc_buf_err(&b) != SC_OK) {
        out[0] = '\0'; /* matches no token (check_csrf needs 64 digits) */
        sc_buf_release(&b);
        return;
    }
    sc_sha256_hex(b.data, b.len, out);
    sodium_memzero(b.data, b.len);
    sc_buf_release(&b);
}

/* ---- throttling ---- */

static int64_t add_failure(struct sc_library *lib, const char *key, time_t now)
{
    struct sc_stmt *st = sc_store_prepare(lib->db,
                                          "INSERT INTO login_failures(key, at) VALUES(?1, ?2) "
                                          "RETURNING rowid",
                                          NULL);
    int64_t rowid = 0;
    if (!st)
        return 0;
    sc_stmt_bind_text(st, 1, key, -1);
    sc_stmt_bind_int64(st, 2, (int64_t)now);
    if (sc_stmt_step(st) == SC_STORE_ROW)
        rowid = sc_stmt_column_int64(st, 0);
    sc_stmt_step(st);
    sc_stmt_finalize(st);
    return rowid;
}

static void delete_rowid(struct sc_library *lib, int64_t rowid)
{
    if (rowid <= 0)
        return;
    struct sc_stmt *st =
        sc_store_prepare(lib->db, "DELETE FROM login_failures WHERE rowid = ?1", NULL);
    if (!st)
        return;
    sc_stmt_bind_int64(st, 1, rowid);
    sc_stmt_step(st);
    sc_stmt_finalize(st);
}

static void clear_key(struct sc_library *lib, const char *key, time_t now)
{
    struct sc_stmt *st =
        sc_store_prepare(lib->db, "DELETE FROM login_failures WHERE key = ?1 OR at < ?2", NULL);
    if (!st)
        return;
    sc_stmt_bind_text(st, 1, key, -1);
    sc_stmt_bind_int64(st, 2, (int64_t)now - WINDOW);
    sc_stmt_step(st);
    sc_stmt_finalize(st);
}

static void prune(struct sc_library *lib, time_t now)
{
    struct sc_stmt *st =
        sc_store_prepare(lib->db, "DELETE FROM login_failures WHERE at < ?1", NULL);
    if (!st)
        return;
    sc_stmt_bind_int64(st, 1, (int64_t)now - WINDOW);
    sc_stmt_step(st);
    sc_stmt_finalize(st);
}

/* Failures for key in the last day recorded before row `mine` (and the
 * time of the latest); -1 on a store error. */
static int64_t failures(struct sc_library *lib, const char *key, int64_t mine, time_t now,
                        int64_t *last)
{
    struct sc_stmt *st = sc_store_prepare(lib->db,
                                          "SELECT count(*), max(at) FROM login_failures "
                                          "WHERE key = ?1 AND at > ?2 AND rowid < ?3",
                                          NULL);
    if (!st)
        return -1;
    sc_stmt_bind_text(st, 1, key, -1);
    sc_stmt_bind_int64(st, 2, (int64_t)now - WINDOW);
    sc_stmt_bind_int64(st, 3, mine);
    int64_t n = 0;
    *last = 0;
    if (sc_stmt_step(st) == SC_STORE_ROW) {
        n = sc_stmt_column_int64(st, 0);
        *last = sc_stmt_column_int64(st, 1);
    }
    sc_stmt_finalize(st);
    return n;
}

/* Seconds this attempt must still wait, judged by the failures for key
 * recorded before row `mine` (0 = go ahead; -1 = store error). */
static int64_t wait_for(struct sc_library *lib, const char *key, int64_t mine, int free_failures,
                        time_t now)
{
    int64_t last, n = failures(lib, key, mine, now, &last);
    if (n < 0)
        return -1;
    if (n < free_failures)
        return 0;
    int64_t over = n - free_failures, delay = BACKOFF_BASE;
    while (over-- > 0 && delay < BACKOFF_MAX)
        delay *= 2;
    if (delay > BACKOFF_MAX)
        delay = BACKOFF_MAX;
    int64_t until = last + delay;
    return until > (int64_t)now ? until - (int64_t)now : 0;
}

static void real_sleep_ms(unsigned ms)
{
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0)
        ;
}

void (*sc_members_sleep_ms)(unsigned ms) = real_sleep_ms;

/* The slowing of an attempt for a name that failed n times from anywhere
 * in the last day: none under SC_LOGIN_SLOW_FAILURES, then
 * SC_LOGIN_SLOW_MS doubling per SC_LOGIN_SLOW_FAILURES more, at most
 * SC_LOGIN_SLOW_MAX_MS. */
static unsigned slow_ms(int64_t n)
{
    if (n < SC_LOGIN_SLOW_FAILURES)
        return 0;
    unsigned ms = SC_LOGIN_SLOW_MS;
    for (int64_t k = n / SC_LOGIN_SLOW_FAILURES - 1; k > 0 && ms < SC_LOGIN_SLOW_MAX_MS; k--)
        ms *= 2;
    return ms < SC_LOGIN_SLOW_MAX_MS ? ms : SC_LOGIN_SLOW_MAX_MS;
}

/* ---- login ---- */

struct user_row {
    int found, disabled;
    char hash[128];
    struct sc_principal p;
};

static enum sc_err find_user(struct sc_library *lib, const char *name, time_t now,
                             struct user_row *u, struct sc_diag *diag)
{
    memset(u, 0, sizeof *u);
    struct sc_stmt *st = sc_store_prepare(lib->db,
                                          "SELECT " SC_USER_COLS ", disabled, pwhash FROM users "
                                          "WHERE name = ?1",
                                          diag);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_text(st, 1, name, -1);
    enum sc_err e = SC_OK;
    int rc = sc_stmt_step(st);
    if (rc == SC_STORE_ROW) {
        const char *h = sc_stmt_column_text(st, 6);
        if (h && strlen(h) < sizeof u->hash) {
            u->found = 1;
            u->disabled = sc_stmt_column_int(st, 5);
            memcpy(u->hash, h, strlen(h) + 1);
            sc_principal_from_stmt(&u->p, st, 0, now);
        }
    } else if (rc != SC_STORE_DONE) {
        e = sc_store_fail(lib->db, diag);
    }
    sc_stmt_finalize(st);
    return e;
}

static enum sc_err new_session(struct sc_library *lib, int64_t user_id, const char *addr,
                               time_t now, char sid[SC_SECRET_HEX + 1], struct sc_diag *diag)
{
    char h[65];
    sc_random_hex(sid);
    id_hash(sid, h);
    struct sc_stmt *st = sc_store_prepare(lib->db,
                                          "INSERT INTO sessions(id_hash, user_id, created, seen, "
                                          "addr) VALUES(?1, ?2, ?3, ?3, ?4)",
                                          diag);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_text(st, 1, h, -1);
    sc_stmt_bind_int64(st, 2, user_id);
    sc_stmt_bind_int64(st, 3, (int64_t)now);
    if (addr && *addr)
        sc_stmt_bind_text(st, 4, addr, (int)strnlen(addr, 64));
    enum sc_err e = SC_OK;
    if (sc_stmt_step(st) != SC_STORE_DONE)
        e = sc_store_fail(lib->db, diag);
    sc_stmt_finalize(st);
    return e;
}

/* Housekeeping on login: forget sessions past their expiry. */
static void drop_expired(struct sc_library *lib, time_t now)
{
    struct sc_stmt *st =
        sc_store_prepare(lib->db, "DELETE FROM sessions WHERE seen <= ?1 OR created <= ?2", NULL);
    if (!st)
        return;
    sc_stmt_bind_int64(st, 1, (int64_t)now - SC_SESSION_IDLE_SECONDS);
    sc_stmt_bind_int64(st, 2, (int64_t)now - SC_SESSION_MAX_SECONDS);
    sc_stmt_step(st);
    sc_stmt_finalize(st);
}

static void store_rehash(struct sc_library *lib, int64_t user_id, const char *password)
{
    char hash[128];
    if (sc_pw_hash(password, hash, NULL) != SC_OK)
        return;
    struct sc_stmt *st =
        sc_store_prepare(lib->db, "UPDATE users SET pwhash = ?1 WHERE id = ?2", NULL);
    if (st) {
        sc_stmt_bind_text(st, 1, hash, -1);
        sc_stmt_bind_int64(st, 2, user_id);
        sc_stmt_step(st);
        sc_stmt_finalize(st);
    }
    sodium_memzero(hash, sizeof hash);
}

static void set_last_login(struct sc_library *lib, int64_t user_id, time_t now)
{
    struct sc_stmt *st =
        sc_store_prepare(lib->db, "UPDATE users SET last_login = ?1 WHERE id = ?2", NULL);
    if (!st)
        return;
    sc_stmt_bind_int64(st, 1, (int64_t)now);
    sc_stmt_bind_int64(st, 2, user_id);
    sc_stmt_step(st);
    sc_stmt_finalize(st);
}

static void name_detail(struct sc_buf *b, const char *name, const char *why)
{
    sc_buf_adds(b, "name=");
    /* an attempted name is client input: keep it short in the log */
    size_t n = strnlen(name, 64);
    sc_buf_add(b, name, n);
    if (why)
        sc_buf_addf(b, " (%s)", why);
}

enum sc_err sc_login(struct sc_library *lib, const char *name, const char *password,
                     const char *addr, struct sc_login_result *out, struct sc_diag *diag)
{
    memset(out, 0, sizeof *out);
    enum sc_err e = sc_members_ready(lib, diag);
    if (e != SC_OK)
        return e;
    if (!name)
        name = "";
    if (!password)
        password = "";
    time_t now = sc_members_now();

    /* the throttle keys: the name (as SQLite's NOCASE compares it) from
     * anywhere, the address (IPv4, IPv6 /64), and the name at the address;
     * an over-long name cannot be a user and is keyed as given */
    char ukey[80], akey[72], pkey[160];
    size_t nlen = strnlen(name, 64);
    snprintf(ukey, sizeof ukey, "u:");
    for (size_t i = 0; i < nlen && i + 3 < sizeof ukey; i++) {
        char c = name[i];
        ukey[i + 2] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
        ukey[i + 3] = '\0';
    }
    char net[64];
    sc_addr_key(addr, net);
    snprintf(akey, sizeof akey, "%s", net);
    snprintf(pkey, sizeof pkey, "p:%s|%s", ukey + 2, net + 2);

    int64_t urow = add_failure(lib, ukey, now);
    int64_t arow = add_failure(lib, akey, now);
    int64_t prow = add_failure(lib, pkey, now);
    if (!urow || !arow || !prow) {
        delete_rowid(lib, urow);
        delete_rowid(lib, arow);
        delete_rowid(lib, prow);
        return sc_store_fail(lib->db, diag);
    }
    int64_t wait = wait_for(lib, pkey, prow, SC_LOGIN_FREE_FAILURES, now);
    if (wait == 0)
        wait = wait_for(lib, akey, arow, SC_LOGIN_FREE_FAILURES_ADDR, now);
    int64_t last, named = wait == 0 ? failures(lib, ukey, urow, now, &last) : 0;
    if (named < 0)
        wait = -1;
    if (wait != 0) {
        delete_rowid(lib, urow);
        delete_rowid(lib, arow);
        delete_rowid(lib, prow);
        if (wait < 0)
            return sc_store_fail(lib->db, diag);
        struct sc_buf d = SC_BUF_INIT;
        name_detail(&d, name, "throttled");
        sc_audit(lib, NULL, "login_refused", d.data, addr);
        sc_buf_release(&d);
        return sc_diag_set(diag, SC_ELIMIT, "too many attempts, try again in %lld s",
                           (long long)wait);
    }

    /* a name guessed at from many addresses: every attempt for it is
     * slowed, none refused */
    unsigned slow = slow_ms(named);
    if (slow)
        sc_members_sleep_ms(slow);

    struct user_row u;
    memset(&u, 0, sizeof u);
    if (sc_check_name(name, NULL) == SC_OK) {
        e = find_user(lib, name, now, &u, diag);
        if (e != SC_OK) {
            delete_rowid(lib, urow);
            delete_rowid(lib, arow);
            delete_rowid(lib, prow);
            return e;
        }
    }
    /* the same Argon2id work whether or not the name exists */
    int ok = sc_pw_verify(u.found ? u.hash : NULL, password) && u.found;
    if (!ok) {
        if (urow % 128 == 0)
            prune(lib, now); /* keep the table small under a long attack */
        struct sc_buf d = SC_BUF_INIT;
        name_detail(&d, name, NULL);
        sc_audit(lib, u.found ? &u.p : NULL, "login_failed", d.data, addr);
        sodium_memzero(&u, sizeof u);
        sc_buf_release(&d);
        return sc_diag_set(diag, SC_EDENIED, "wrong name or password");
    }
    /* the password was right: this attempt was not a failure, nor were the
     * name's at this address; the address's and the name's from elsewhere
     * stay (one's own account cannot reset them) */
    clear_key(lib, pkey, now);
    delete_rowid(lib, urow);
    delete_rowid(lib, arow);
    if (u.disabled) {
        sc_audit(lib, &u.p, "login_refused", "disabled", addr);
        sodium_memzero(&u, sizeof u);
        return sc_diag_set(diag, SC_EDENIED, "this account is disabled");
    }
    if (sc_pw_needs_rehash(u.hash))
        store_rehash(lib, u.p.user_id, password);
    sodium_memzero(u.hash, sizeof u.hash);

    drop_expired(lib, now);
    e = new_session(lib, u.p.user_id, addr, now, out->session_id, diag);
    if (e != SC_OK) {
        memset(out, 0, sizeof *out);
        return e;
    }
    set_last_login(lib, u.p.user_id, now);
    sc_session_csrf(out->session_id, out->csrf);
    out->principal = u.p;
    out->expires = now + SC_SESSION_IDLE_SECONDS;
    sc_audit(lib, &u.p, "login", NULL, addr);
    return SC_OK;
}

/* ---- sessions ---- */

/* The live session's user (and its `seen`), or 0. */
static int lookup(struct sc_library *lib, const char *session_id, struct sc_principal *out,
                  int64_t *seen, char h[65])
{
    memset(out, 0, sizeof *out);
    if (!lib || !valid_secret(session_id))
        return 0;
    if (sc_members_ready(lib, NULL) != SC_OK)
        return -1;
    time_t now = sc_members_now();
    id_hash(session_id, h);
    struct sc_stmt *st = NULL;
    if (sc_stmt_prepare(lib->db,
                        "SELECT u.id, u.name, u.tier, u.tier_expires, u.roles, s.seen "
                        "FROM sessions s JOIN users u ON u.id = s.user_id "
                        "WHERE s.id_hash = ?1 AND u.disabled = 0 "
                        "AND s.seen > ?2 AND s.created > ?3",
                        &st) != SC_STORE_OK) {
        sc_stmt_finalize(st);
        return -1;
    }
    sc_stmt_bind_text(st, 1, h, -1);
    sc_stmt_bind_int64(st, 2, (int64_t)now - SC_SESSION_IDLE_SECONDS);
    sc_stmt_bind_int64(st, 3, (int64_t)now - SC_SESSION_MAX_SECONDS);
    int live = 0;
    int rc = sc_stmt_step(st);
    if (rc == SC_STORE_ROW) {
        sc_principal_from_stmt(out, st, 0, now);
        *seen = sc_stmt_column_int64(st, 5);
        live = 1;
    } else if (rc != SC_STORE_DONE) {
        live = -1; /* the store failed: cannot tell */
    }
    sc_stmt_finalize(st);
    return live;
}

int sc_session_principal(struct sc_library *lib, const char *session_id, struct sc_principal *out)
{
    int64_t seen = 0;
    char h[65];
    int live = lookup(lib, session_id, out, &seen, h);
    if (live != 1)
        return live;
    time_t now = sc_members_now();
    if ((int64_t)now - seen >= SEEN_GRANULE && !(lib->flags & SC_LIBRARY_READONLY)) {
        struct sc_stmt *st = sc_store_prepare(lib->db,
                                              "UPDATE sessions SET seen = ?1 "
                                              "WHERE id_hash = ?2",
                                              NULL);
        if (st) {
            sc_stmt_bind_int64(st, 1, (int64_t)now);
            sc_stmt_bind_text(st, 2, h, -1);
            sc_stmt_step(st);
            sc_stmt_finalize(st);
        }
    }
    return 1;
}

enum sc_err sc_session_end(struct sc_library *lib, const char *session_id, const char *addr)
{
    if (!valid_secret(session_id))
        return SC_OK;
    enum sc_err e = sc_members_ready(lib, NULL);
    if (e != SC_OK)
        return e;
    char h[65];
    id_hash(session_id, h);
    struct sc_stmt *st = sc_store_prepare(lib->db,
                                          "DELETE FROM sessions WHERE id_hash = ?1 "
                                          "RETURNING user_id",
                                          NULL);
    if (!st)
        return SC_ESTORE;
    sc_stmt_bind_text(st, 1, h, -1);
    int64_t user_id = 0;
    int rc = sc_stmt_step(st);
    if (rc == SC_STORE_ROW) {
        user_id = sc_stmt_column_int64(st, 0);
        rc = sc_stmt_step(st);
    }
    if (rc != SC_STORE_DONE)
        e = SC_ESTORE;
    sc_stmt_finalize(st);
    if (e == SC_OK && user_id) {
        struct sc_principal p = { 0 };
        st = sc_store_prepare(lib->db, "SELECT " SC_USER_COLS " FROM users WHERE id = ?1", NULL);
        if (st) {
            sc_stmt_bind_int64(st, 1, user_id);
            if (sc_stmt_step(st) == SC_STORE_ROW)
                sc_principal_from_stmt(&p, st, 0, sc_members_now());
            sc_stmt_finalize(st);
        }
        sc_audit(lib, &p, "logout", NULL, addr);
    }
    return e;
}

int sc_session_check_csrf(struct sc_library *lib, const char *session_id, const char *token)
{
    if (!valid_secret(session_id) || !valid_secret(token))
        return 0;
    char want[SC_SECRET_HEX + 1];
    sc_session_csrf(session_id, want);
    int same = sodium_memcmp(want, token, SC_SECRET_HEX) == 0;
    sodium_memzero(want, sizeof want);
    if (!same)
        return 0;
    struct sc_principal p;
    int64_t seen;
    char h[65];
    return lookup(lib, session_id, &p, &seen, h);
}
