/*
 * The members tables and the small helpers every members file uses: the
 * clock, name and password checks, random secrets, time formatting.
 *
 * Times are stored as integer seconds since the epoch (UTC); only the
 * download counter is keyed by the LOCAL date, so quotas reset at local
 * midnight.
 */
#include "members_int.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char members_sql[] =
    "CREATE TABLE IF NOT EXISTS users(\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  name TEXT NOT NULL UNIQUE COLLATE NOCASE,\n"
    "  pwhash TEXT NOT NULL,                  -- Argon2id, crypto_pwhash_str\n"
    "  tier TEXT NOT NULL DEFAULT 'free' CHECK(tier IN ('free', 'vip', 'svip')),\n"
    "  tier_expires INTEGER NOT NULL DEFAULT 0, -- 0 = never\n"
    "  roles INTEGER NOT NULL DEFAULT 0,      -- enum sc_role bits\n"
    "  disabled INTEGER NOT NULL DEFAULT 0,\n"
    "  created INTEGER NOT NULL,\n"
    "  last_login INTEGER);\n"
    "CREATE TABLE IF NOT EXISTS sessions(\n"
    "  id_hash TEXT PRIMARY KEY,              -- SHA-256 of the cookie value\n"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
    "  created INTEGER NOT NULL,\n"
    "  seen INTEGER NOT NULL,                 -- last use (sliding expiry)\n"
    "  addr TEXT) WITHOUT ROWID;\n"
    "CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id);\n"
    "CREATE TABLE IF NOT EXISTS api_tokens(\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
    "  hash TEXT NOT NULL UNIQUE,             -- SHA-256 of the token\n"
    "  label TEXT,\n"
    "  created INTEGER NOT NULL,\n"
    "  last_used INTEGER,\n"
    "  revoked INTEGER NOT NULL DEFAULT 0);   -- time of revocation, 0 = live\n"
    "CREATE TABLE IF NOT EXISTS login_failures(\n"
    "  key TEXT NOT NULL,                     -- 'u:' lower(name) or 'a:' address\n"
    "  at INTEGER NOT NULL);\n"
    "CREATE INDEX IF NOT EXISTS login_failures_key ON login_failures(key, at);\n"
    "CREATE TABLE IF NOT EXISTS download_counts(\n"
    "  user_id INTEGER NOT NULL,\n"
    "  day TEXT NOT NULL,                     -- local date YYYY-MM-DD\n"
    "  n INTEGER NOT NULL,\n"
    "  PRIMARY KEY(user_id, day)) WITHOUT ROWID;\n"
    "CREATE TABLE IF NOT EXISTS member_settings(\n"
    "  key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;\n"
    "CREATE TABLE IF NOT EXISTS audit_log(\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  at INTEGER NOT NULL,\n"
    "  user_id INTEGER,                       -- NULL = anonymous or the CLI operator\n"
    "  user_name TEXT,\n"
    "  action TEXT NOT NULL,\n"
    "  detail TEXT,\n"
    "  addr TEXT);\n"
    "CREATE TABLE IF NOT EXISTS paid_answers(\n"
    "  key TEXT NOT NULL,                     -- 'u:' user id, 'a:' address, '*' all anonymous\n"
    "  day TEXT NOT NULL,                     -- local date YYYY-MM-DD\n"
    "  n INTEGER NOT NULL,                    -- answers with paid matches given\n"
    "  PRIMARY KEY(key, day)) WITHOUT ROWID;\n";

time_t (*sc_members_clock)(void);
int sc_members_fast_hash;

time_t sc_members_now(void)
{
    return sc_members_clock ? sc_members_clock() : time(NULL);
}

/* No BEGIN/COMMIT: the connection may be shared by threads, and every
 * statement is idempotent, so an interrupted run is completed by the next. */
static enum sc_err migrate(struct sc_store *st, int from, struct sc_diag *diag)
{
    (void)from;
    if (sodium_init() < 0)
        return sc_diag_set(diag, SC_EIO, "libsodium cannot initialise");
    return sc_store_exec(st, members_sql, diag);
}

const struct sc_store_part sc_members_part = { "members", 1, migrate };

enum sc_err sc_members_schema(struct sc_library *lib, struct sc_diag *diag)
{
    if (!lib || !lib->db)
        return sc_diag_set(diag, SC_EINVAL, "no library");
    if (sodium_init() < 0)
        return sc_diag_set(diag, SC_EIO, "libsodium cannot initialise");
    /* paid_answers is created last: if it exists, so does the rest (a
     * library made before it gets it with the same idempotent script) */
    if (sc_store_has_table(lib->db, "paid_answers"))
        return SC_OK;
    if (lib->flags & SC_LIBRARY_READONLY)
        return sc_diag_set(diag, SC_EDENIED, "%s: the library is read-only and has no members",
                           sc_store_path(lib->db));
    return migrate(lib->db, 0, diag);
}

enum sc_err sc_members_ready(struct sc_library *lib, struct sc_diag *diag)
{
    return sc_members_schema(lib, diag);
}

enum sc_err sc_members_writable(struct sc_library *lib, struct sc_diag *diag)
{
    if (lib && (lib->flags & SC_LIBRARY_READONLY))
        return sc_diag_set(diag, SC_EDENIED, "%s: the library is open read-only", sc_store_path(lib->db));
    return sc_members_ready(lib, diag);
}

enum sc_err sc_check_name(const char *name, struct sc_diag *diag)
{
    if (!name || !*name)
        return sc_diag_set(diag, SC_EINVAL, "a user name is needed");
    size_t n = strlen(name);
    if (n >= sizeof((struct sc_principal *)0)->name)
        return sc_diag_set(diag, SC_EINVAL, "user name too long (at most 63 bytes)");
    if (!sc_utf8_valid(name, n, NULL))
        return sc_diag_set(diag, SC_EINVAL, "user name is not valid UTF-8");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c <= ' ' || c == 0x7f || c == ':')
            return sc_diag_set(diag, SC_EINVAL,
                               "user name may not contain spaces, control characters or ':'");
    }
    /* all digits would be ambiguous with ids in `sucai token revoke` output */
    if (strspn(name, "0123456789") == n)
        return sc_diag_set(diag, SC_EINVAL, "user name may not be a number");
    return SC_OK;
}

enum sc_err sc_check_password(const char *password, struct sc_diag *diag)
{
    if (!password)
        return sc_diag_set(diag, SC_EINVAL, "a password is needed");
    size_t n = strnlen(password, 1025);
    if (n < 8)
        return sc_diag_set(diag, SC_EINVAL, "password too short (at least 8 bytes)");
    if (n > 1024)
        return sc_diag_set(diag, SC_EINVAL, "password too long (at most 1024 bytes)");
    return SC_OK;
}

void sc_random_hex(char out[SC_SECRET_HEX + 1])
{
    unsigned char r[SC_SECRET_HEX / 2];
    randombytes_buf(r, sizeof r);
    sodium_bin2hex(out, SC_SECRET_HEX + 1, r, sizeof r);
    sodium_memzero(r, sizeof r);
}

void sc_utc_format(int64_t t, char out[SC_UTC_LEN])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(out, SC_UTC_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(out, SC_UTC_LEN, "%lld", (long long)t);
}

static void fmt_utc(int64_t t, char out[SC_UTC_LEN])
{
    sc_utc_format(t, out);
}

void sc_time_json(struct sc_jw *w, int64_t t)
{
    if (!t) {
        sc_jw_null(w);
        return;
    }
    char s[SC_UTC_LEN];
    fmt_utc(t, s);
    sc_jw_strz(w, s);
}

void sc_text_clean(struct sc_buf *b, const char *s)
{
    if (!s || !*s) {
        sc_buf_addc(b, '-');
        return;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        sc_buf_addc(b, *p < 0x20 || *p == 0x7f ? '?' : (char)*p);
}

void sc_time_text(struct sc_buf *b, int64_t t)
{
    if (!t) {
        sc_buf_adds(b, "-");
        return;
    }
    char s[32];
    fmt_utc(t, s);
    sc_buf_adds(b, s);
}

void sc_addr_key(const char *addr, char out[64])
{
    unsigned char b[16];
    char s[INET6_ADDRSTRLEN];
    snprintf(out, 64, "a:?");
    if (!addr || !*addr)
        return;
    if (inet_pton(AF_INET, addr, b) == 1 && inet_ntop(AF_INET, b, s, sizeof s)) {
        snprintf(out, 64, "a:%s", s);
        return;
    }
    char tmp[INET6_ADDRSTRLEN + 1];
    size_t n = strlen(addr);
    /* "[::1]" and a zone ("fe80::1%eth0") are not addresses for inet_pton */
    if (addr[0] == '[' && n >= 2 && addr[n - 1] == ']') {
        addr++;
        n -= 2;
    }
    if (n >= sizeof tmp)
        return;
    memcpy(tmp, addr, n);
    tmp[n] = '\0';
    char *pct = strchr(tmp, '%');
    if (pct)
        *pct = '\0';
    if (inet_pton(AF_INET6, tmp, b) != 1)
        return;
    static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
    if (!memcmp(b, mapped, 12) && inet_ntop(AF_INET, b + 12, s, sizeof s)) {
        snprintf(out, 64, "a:%s", s);
        return;
    }
    memset(b + 8, 0, 8);
    if (inet_ntop(AF_INET6, b, s, sizeof s))
        snprintf(out, 64, "a:%s/64", s);
}
