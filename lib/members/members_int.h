/*
 * Internals shared by the files of lib/members/: the clock and hashing
 * knobs tests turn, the schema check, and small helpers for names, times
 * and principals. Not a public header.
 */
#ifndef SC_MEMBERS_INT_H
#define SC_MEMBERS_INT_H

#include "store/handle.h"
#include "sucai/json.h"
#include "sucai/members.h"

/* The clock every members function reads (seconds since the epoch). NULL
 * means time(NULL); tests point it at a fake clock to move past expiries
 * and midnights. Not thread-safe to change while others run. */
extern time_t (*sc_members_clock)(void);
time_t sc_members_now(void);
/* How a slowed login waits (nanosleep); tests count instead. */
extern void (*sc_members_sleep_ms)(unsigned ms);

/* Password hashing cost: Argon2id with libsodium's INTERACTIVE limits, or
 * its MIN limits when sc_members_fast_hash is set or $SUCAI_PWHASH_FAST is
 * "1" (test suites only: MIN hashes are cheap to brute-force). */
extern int sc_members_fast_hash;
enum sc_err sc_pw_hash(const char *password, char out[128], struct sc_diag *diag);
/* 1 if password matches hash. A NULL hash verifies against a dummy hash
 * (same cost) and returns 0, so unknown names take as long as known ones. */
int sc_pw_verify(const char *hash, const char *password);
int sc_pw_needs_rehash(const char *hash);

/* The members' tables, registered with the store by lib/library/library.c. */
extern const struct sc_store_part sc_members_part;

/* Tables exist (creating them if the library is writable). */
enum sc_err sc_members_ready(struct sc_library *lib, struct sc_diag *diag);
/* As sc_members_ready, for functions that write: SC_EDENIED on a library
 * opened read-only. */
enum sc_err sc_members_writable(struct sc_library *lib, struct sc_diag *diag);

/* SC_EINVAL with a message unless name/password are acceptable. */
enum sc_err sc_check_name(const char *name, struct sc_diag *diag);
enum sc_err sc_check_password(const char *password, struct sc_diag *diag);

/* 64 hex digits of fresh randomness (256 bits). */
void sc_random_hex(char out[SC_SECRET_HEX + 1]);

/* The counter key of a client address (allowances, login throttling):
 * "a:" and the IPv4 address (also for IPv4-mapped IPv6), or "a:" and the
 * IPv6 /64 ("a:2001:db8:1:2::/64"); "a:?" for anything else (all such
 * callers share one counter). */
void sc_addr_key(const char *addr, char out[64]);

/* Daily counters (daily.c): table has columns (key, day, n), key TEXT,
 * with (key, day) unique. */
struct sc_daily {
    const char *table, *key; /* names, constants of the part that owns the table */
};
/* Take one under limit: 1 taken (*n the count now), 0 the limit is
 * reached, -1 the store failed (*err, when given, the store's error, e.g.
 * disk full; diag says why). */
int sc_daily_take(struct sc_library *lib, const struct sc_daily *t, const char *key,
                  const char *day, int64_t limit, int64_t *n, enum sc_err *err,
                  struct sc_diag *diag);
/* Give one back (an answer that failed), never below 0. */
void sc_daily_give_back(struct sc_library *lib, const struct sc_daily *t, const char *key,
                        const char *day);
/* Taken so far on day (0 when none, or when the store cannot say). */
int64_t sc_daily_used(struct sc_library *lib, const struct sc_daily *t, const char *key,
                      const char *day);

/* A whole-number setting of member_settings: def when it is not set or
 * outside [min, max] (or the members tables are not there yet). */
int64_t sc_setting_get(const struct sc_library *lib, const char *key, int64_t min, int64_t max,
                       int64_t def);
/* Set it (no audit row: the caller writes its own). */
enum sc_err sc_setting_put(struct sc_library *lib, const char *key, int64_t v,
                           struct sc_diag *diag);

/* Local date of t as YYYY-MM-DD (the key of the download counters). */
void sc_local_day(time_t t, char out[16]);

/* "2025-03-01T08:00:00Z"; t == 0 -> null (JSON) or "-" (text). */
void sc_time_json(struct sc_jw *w, int64_t t);
void sc_time_text(struct sc_buf *b, int64_t t);

/* s for a one-line text listing: control characters (operator or client
 * input) as '?', NULL or "" as "-". */
void sc_text_clean(struct sc_buf *b, const char *s);

/* Fill p from a users row (effective tier: expired vip/svip -> free). */
void sc_principal_from_row(struct sc_principal *p, int64_t id, const char *name, const char *tier,
                           int64_t expires, int roles, time_t now);

/* Columns of users that sc_principal_from_row reads, in order. */
#define SC_USER_COLS "id, name, tier, tier_expires, roles"
void sc_principal_from_stmt(struct sc_principal *p, struct sc_stmt *st, int col0, time_t now);

/* Append the roles as a JSON array / as "editor,admin" ("-" if none). */
void sc_roles_json(struct sc_jw *w, int roles);
void sc_roles_text(struct sc_buf *b, int roles);

#endif
