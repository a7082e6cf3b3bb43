/*
 * Members: accounts, tiers, roles, sessions, API tokens, daily download
 * quotas, the audit log, and the ONE entitlement function every endpoint
 * asks (sc_may). Everything is stored in the library's SQLite store.
 *
 * Passwords are hashed with Argon2id (libsodium crypto_pwhash_str) and
 * never logged; session ids and tokens are 256-bit random values of which
 * only a SHA-256 hash is stored.
 */
#ifndef SUCAI_MEMBERS_H
#define SUCAI_MEMBERS_H

#include "base.h"
#include "library.h"

#include <time.h>

enum sc_tier {
    SC_TIER_ANON = 0, /* not logged in */
    SC_TIER_FREE,
    SC_TIER_VIP,
    SC_TIER_SVIP,
};

enum sc_role {
    SC_ROLE_EDITOR = 1 << 0,
    SC_ROLE_ADMIN = 1 << 1,
};

/* Who is asking. An anonymous caller is { 0 } (tier SC_TIER_ANON). */
struct sc_principal {
    int64_t user_id; /* 0 = anonymous */
    char name[64];
    enum sc_tier tier;   /* effective tier: an expired vip/svip counts as free */
    int roles;           /* enum sc_role bits */
    time_t tier_expires; /* 0 = never */
    int all_entitled;    /* private single-user server (`serve --all-entitled`) */
};

enum sc_action {
    SC_ACT_SEARCH,    /* search, counts, titles, free text */
    SC_ACT_READ_PAID, /* snippets and text of paid parts */
    SC_ACT_DOWNLOAD,  /* compile / export (quota-limited) */
    SC_ACT_IMPORT,    /* upload documents */
    SC_ACT_ADMIN,     /* users, tokens, boilerplate review */
    SC_ACT_SHELF,     /* keep things on the server: favourites, history, the 汇编
                       * cart, saved searches (sc_watch_limit of them) */
    SC_ACT_CHECK,     /* 查重 of a draft (quota-limited: sc_check_quota_take) */
};

/* The entitlement table (issue: members). 1 = allowed. Downloads also
 * need sc_quota_take. */
int sc_may(const struct sc_principal *p, enum sc_action a);

/* Saved searches a principal may keep: anonymous 0, free 3, vip 30,
 * svip 100, editors and admins 300. */
int sc_watch_limit(const struct sc_principal *p);

/* Downloads per day for a principal; -1 = unlimited, 0 = none. */
int sc_quota_daily(const struct sc_library *lib, const struct sc_principal *p);

/*
 * Ownership and conventions for everything below:
 *  - `lib` is an open, writable library. The members tables are created on
 *    first use (sc_members_schema); a library opened read-only answers
 *    lookups as "anonymous" and refuses changes.
 *  - `actor` is who makes a change, for the audit log; NULL means the
 *    operator at the command line (the CLI sees everything).
 *  - `addr` is the client's address as text ("" or NULL when there is none).
 *  - Names are 1..63 bytes of UTF-8 without control characters, spaces or
 *    ':' and compared ASCII-case-insensitively. Passwords are 8..1024 bytes.
 *  - Session ids and API tokens are secrets: they are returned once, never
 *    stored (only their SHA-256), never logged.
 */

/* Create the members tables if missing (idempotent). Every function below
 * also calls it, so callers need it only to create tables up front. */
enum sc_err sc_members_schema(struct sc_library *lib, struct sc_diag *diag);

/* Names: "anonymous" "free" "vip" "svip"; "editor" "admin". */
const char *sc_tier_name(enum sc_tier t);
/* Parse "free", "vip" or "svip" (anonymous is not a tier one can set). */
enum sc_err sc_tier_parse(const char *s, enum sc_tier *out);
/* Parse a comma list of roles ("editor,admin"; "" or "none" = no roles). */
enum sc_err sc_roles_parse(const char *s, int *out);

/* ---- users (operators: the CLI, or a principal with SC_ACT_ADMIN) ---- */

/* Add a user. days > 0 makes a vip/svip tier expire after that many days;
 * days == 0 means it never expires. roles: enum sc_role bits.
 * SC_EDUPLICATE if the name is taken, SC_EINVAL for a bad name/password. */
enum sc_err sc_user_add(struct sc_library *lib, const struct sc_principal *actor, const char *name,
                        const char *password, enum sc_tier tier, int days, int roles,
                        struct sc_diag *diag);
/* Change the tier (days as in sc_user_add, counted from now). Audited. */
enum sc_err sc_user_set_tier(struct sc_library *lib, const struct sc_principal *actor,
                             const char *name, enum sc_tier tier, int days, struct sc_diag *diag);
enum sc_err sc_user_set_roles(struct sc_library *lib, const struct sc_principal *actor,
                              const char *name, int roles, struct sc_diag *diag);
/* Disable (1) or enable (0) an account. Disabling ends its sessions; its
 * API tokens stop working while it is disabled (they work again after
 * enable). */
enum sc_err sc_user_set_disabled(struct sc_library *lib, const struct sc_principal *actor,
                                 const char *name, int disabled, struct sc_diag *diag);
/* Set a new password; every session of the user ends. */
enum sc_err sc_user_set_password(struct sc_library *lib, const struct sc_principal *actor,
                                 const char *name, const char *password, struct sc_diag *diag);
/* The principal of a user by name, as a session of that user would see it.
 * SC_ENOTFOUND if no such user, SC_EDENIED if disabled. */
enum sc_err sc_user_principal(struct sc_library *lib, const char *name, struct sc_principal *out,
                              struct sc_diag *diag);
/* One account as sc_user_list gives it (never its password hash). Times
 * are seconds since the epoch, 0 = never. */
struct sc_user_row {
    int64_t id;
    char name[64];
    char tier[8];           /* as set: "free", "vip" or "svip" */
    enum sc_tier effective; /* after an expiry */
    int64_t tier_expires;
    int roles; /* enum sc_role bits */
    int disabled;
    int64_t created, last_login;
    int64_t downloads_today;
};
struct sc_user_rows {
    struct sc_user_row *v;
    size_t n;
};
/* Every account, by id, into out (the caller releases it with
 * sc_user_rows_release, also after an error). */
enum sc_err sc_user_list(struct sc_library *lib, struct sc_user_rows *out, struct sc_diag *diag);
void sc_user_rows_release(struct sc_user_rows *rows);
/* "-", "editor", "admin" or "editor,admin". */
const char *sc_roles_name(int roles);
/* t (seconds since the epoch) as "2025-03-01T08:00:00Z". */
#define SC_UTC_LEN 32
void sc_utc_format(int64_t t, char out[SC_UTC_LEN]);

/* ---- login and sessions ----
 * A session id is 64 hex digits (256 random bits) for the cookie; the store
 * keeps its SHA-256. Expiry is server-side and sliding: a session ends after
 * SC_SESSION_IDLE_SECONDS without use, and in any case SC_SESSION_MAX_SECONDS
 * after login. Each login makes a new id (never one the client chose), so a
 * cookie planted before login is not honoured after it. */
#define SC_SESSION_IDLE_SECONDS (7 * 24 * 3600)
#define SC_SESSION_MAX_SECONDS  (30 * 24 * 3600)
#define SC_SECRET_HEX           64 /* length of a session id or CSRF token */

/* Login throttling (held in the store so it works across processes), over
 * the failures of the last day:
 *  - per name at one address (IPv4, IPv6 /64): after SC_LOGIN_FREE_FAILURES,
 *    each further attempt from there must wait 30 s, doubling per failure,
 *    at most an hour (SC_ELIMIT);
 *  - per address, whatever the names: the same after
 *    SC_LOGIN_FREE_FAILURES_ADDR;
 *  - per name from all addresses: after SC_LOGIN_SLOW_FAILURES, every
 *    attempt for the name is slowed by SC_LOGIN_SLOW_MS, doubling per
 *    SC_LOGIN_SLOW_FAILURES more, at most SC_LOGIN_SLOW_MAX_MS, and never
 *    refused: guessing from elsewhere cannot lock the owner out.
 * A successful login clears the name's failures at that address. */
#define SC_LOGIN_FREE_FAILURES      5
#define SC_LOGIN_FREE_FAILURES_ADDR 20
#define SC_LOGIN_SLOW_FAILURES      100
#define SC_LOGIN_SLOW_MS            1000
#define SC_LOGIN_SLOW_MAX_MS        8000

struct sc_login_result {
    char session_id[SC_SECRET_HEX + 1]; /* for the cookie; not stored */
    char csrf[SC_SECRET_HEX + 1];       /* for X-CSRF-Token */
    struct sc_principal principal;
    time_t expires; /* idle expiry (slides with use) */
};

/* Check name and password and start a session. Errors:
 *  SC_EDENIED "wrong name or password" for an unknown name or a wrong
 *    password alike (the same work is done in both cases), or
 *    "this account is disabled" (only after a correct password);
 *  SC_ELIMIT "too many attempts, try again in N s" while throttled.
 * Logins, failures and refusals are audited (never the password). */
enum sc_err sc_login(struct sc_library *lib, const char *name, const char *password,
                     const char *addr, struct sc_login_result *out, struct sc_diag *diag);
/* Who owns a session. Unknown, expired, ended or disabled -> anonymous
 * ({ 0 }) and returns 0; a live session returns 1 (and slides its expiry);
 * -1 (anonymous) when the store failed and it cannot be told (a database
 * that is down). */
int sc_session_principal(struct sc_library *lib, const char *session_id, struct sc_principal *out);
/* End a session (logout). Audited with addr. Unknown ids are ignored. */
enum sc_err sc_session_end(struct sc_library *lib, const char *session_id, const char *addr);
/* The CSRF token of a session id (derived, one-way, from the id). */
void sc_session_csrf(const char *session_id, char out[SC_SECRET_HEX + 1]);
/* 1 if token is the CSRF token of session_id and the session is live. The
 * server asks this for every state-changing request made with a cookie. */
int sc_session_check_csrf(struct sc_library *lib, const char *session_id, const char *token);

/* ---- API tokens (`Authorization: Bearer <token>`) ----
 * A token is "sct_" and 64 hex digits; only its SHA-256 is stored. */

/* Create a token for user name; *token_out (malloc'd, caller frees) is
 * the only copy of the secret; *id its number (for revoke/list). */
enum sc_err sc_token_create(struct sc_library *lib, const struct sc_principal *actor,
                            const char *name, const char *label, char **token_out, int64_t *id,
                            struct sc_diag *diag);
/* Revoke by number ("12") or by the token itself. SC_ENOTFOUND if none. */
enum sc_err sc_token_revoke(struct sc_library *lib, const struct sc_principal *actor,
                            const char *id_or_token, struct sc_diag *diag);
/* The owner of a live token (not revoked, user not disabled) -> 1 and out;
 * otherwise anonymous and 0; -1 (anonymous) when the store failed. */
int sc_token_principal(struct sc_library *lib, const char *token, struct sc_principal *out);
/* One API token as sc_token_list gives it (never the secret). Strings are
 * owned by the rows (label may be NULL); times 0 = never. */
struct sc_token_row {
    int64_t id;
    char *user;
    char *label;
    int64_t created, last_used, revoked;
};
struct sc_token_rows {
    struct sc_token_row *v;
    size_t n;
};
/* Every token, by id, into out (release with sc_token_rows_release, also
 * after an error). */
enum sc_err sc_token_list(struct sc_library *lib, struct sc_token_rows *out, struct sc_diag *diag);
void sc_token_rows_release(struct sc_token_rows *rows);

/* ---- daily download quotas ----
 * Counted per user and LOCAL calendar day (the counter is keyed by the
 * local date, so it resets at local midnight). Defaults: free 3, vip 30,
 * svip 200; editors, admins and --all-entitled are unlimited. */

/* Take one download for p, atomically (two processes racing for the last
 * one: exactly one wins), and audit it as "download" with detail (e.g.
 * "compile docx 3 docs") and addr. *remaining (may be NULL) is what is left
 * today, -1 = unlimited. SC_EDENIED if p may not download at all
 * (anonymous), SC_ELIMIT "daily download limit (N) reached" when used up. */
enum sc_err sc_quota_take(struct sc_library *lib, const struct sc_principal *p, const char *detail,
                          const char *addr, int *remaining, struct sc_diag *diag);
/* Give back a download taken by sc_quota_take when the download then
 * failed (never below zero). */
void sc_quota_give_back(struct sc_library *lib, const struct sc_principal *p);
/* Downloads left today: -1 unlimited, 0 none. */
int sc_quota_remaining(struct sc_library *lib, const struct sc_principal *p);
/* Set the daily limit of a tier (free, vip, svip); n >= 0. Audited. */
enum sc_err sc_quota_set(struct sc_library *lib, const struct sc_principal *actor,
                         enum sc_tier tier, int n, struct sc_diag *diag);

/* ---- daily 查重 quotas ----
 * Checks of drafts per LOCAL calendar day: members per account, anonymous
 * callers per client address. Defaults: anonymous 5, free 20, vip 200,
 * svip 1000; editors, admins and --all-entitled are unlimited. */

/* Checks per day for p; -1 = unlimited. */
int sc_check_quota_daily(const struct sc_library *lib, const struct sc_principal *p);
/* Take one check for p calling from addr, atomically. *remaining (may be
 * NULL) is what is left today, -1 = unlimited. SC_ELIMIT "daily check
 * limit (N) reached" when used up. */
enum sc_err sc_check_quota_take(struct sc_library *lib, const struct sc_principal *p,
                                const char *addr, int *remaining, struct sc_diag *diag);
/* Give back a check taken when the check then failed. */
void sc_check_quota_give_back(struct sc_library *lib, const struct sc_principal *p,
                              const char *addr);
/* Checks left today: -1 unlimited. */
int sc_check_quota_remaining(struct sc_library *lib, const struct sc_principal *p,
                             const char *addr);
/* Set the daily checks of a tier (anonymous, free, vip, svip); n >= 0.
 * Audited. */
enum sc_err sc_check_quota_set(struct sc_library *lib, const struct sc_principal *actor,
                               enum sc_tier tier, int n, struct sc_diag *diag);

/* ---- audit log ---- */

/* Append an entry: time, user (p, or NULL/anonymous), action (a short word:
 * "login", "login_failed", "logout", "import", "download", "tier", ...),
 * detail and addr (both may be NULL; cut at 1000 and 64 bytes). */
enum sc_err sc_audit(struct sc_library *lib, const struct sc_principal *p, const char *action,
                     const char *detail, const char *addr);
/* One audit entry. Strings are owned by the rows; user, detail and addr
 * may be NULL, and hold what the client sent (control characters too). */
struct sc_audit_row {
    int64_t id, at;
    char *user, *action, *detail, *addr;
};
struct sc_audit_rows {
    struct sc_audit_row *v;
    size_t n;
};
/* The newest `limit` entries, newest first (limit 0 = 100), into out
 * (release with sc_audit_rows_release, also after an error). */
enum sc_err sc_audit_list(struct sc_library *lib, size_t limit, struct sc_audit_rows *out,
                          struct sc_diag *diag);
void sc_audit_rows_release(struct sc_audit_rows *rows);

/* ---- the paid rule: what an unentitled caller may learn of paid text ----
 * (docs/internals/members.md, "the paid rule"). Answers computed for a
 * caller who may not read paid text are computed on the text the caller
 * sees (sc_doc_cut): paid ranges do not match, count or rank. While the
 * caller's daily allowance lasts, one answer may in addition say, for each
 * document, whether its paid part matches (one bit per document and
 * answer, no counts, places or text); each such answer takes one from the
 * allowance whatever it says, because a "no" tells as much as a "yes".
 * Allowances are counted in the store per LOCAL day: per account for
 * signed-in callers, per address (IPv4 /32, IPv6 /64) for anonymous ones,
 * and for all anonymous callers together (so that changing addresses does
 * not multiply them). */
#define SC_PAID_ANSWERS_FREE     100  /* per signed-in account and day (setting paid.free) */
#define SC_PAID_ANSWERS_ADDR     30   /* per anonymous address and day (paid.anon) */
#define SC_PAID_ANSWERS_ANON_ALL 1000 /* all anonymous callers together per day (paid.anon_all) */

/* Who asks a question whose answer may depend on paid text. */
struct sc_caller {
    struct sc_view view; /* entitled, and whether paid headings are shown */
    int unmetered;       /* the command line: paid matches with no allowance to count */
    int64_t user_id;     /* signed in: the account's allowance; 0 = anonymous */
    char net[64];        /* anonymous: the address's allowance key ("" = none) */
};

/* The caller for principal p asking from addr (the server; addr may be
 * NULL). Reads the library's paid.headings setting. */
void sc_caller_init(struct sc_library *lib, const struct sc_principal *p, const char *addr,
                    struct sc_caller *out);
/* The operator at the command line, seeing what a reader who may (entitled
 * = 1) or may not (0) read paid text would see; nothing is counted. */
void sc_caller_operator(struct sc_library *lib, int entitled, struct sc_caller *out);
/* The view of the reader only (no allowance): entitled per sc_may, headings
 * per the setting. */
void sc_view_of(struct sc_library *lib, const struct sc_principal *p, struct sc_view *out);

/* Take one answer with paid matches from c's allowances. Returns 1 when
 * granted (*left: answers left today, -1 = not counted), 0 when not: the
 * allowance is used up, the caller has none, or the store cannot count it
 * (*why: a static reason for the answer). Never called for entitled
 * callers. */
int sc_paid_take(struct sc_library *lib, const struct sc_caller *c, int64_t *left,
                 const char **why);
/* Answers with paid matches left today for c without taking one (-1 = not
 * counted). */
int64_t sc_paid_left(struct sc_library *lib, const struct sc_caller *c);

/* ---- settings (`sucai config`) ----
 * paid.headings  0|1   show the headings of paid sections as a teaser (default 0)
 * paid.free      N     answers with paid matches per signed-in account and day
 * paid.anon      N     ... per anonymous address and day
 * paid.anon_all  N     ... for all anonymous callers together per day
 * quota.free, quota.vip, quota.svip   daily downloads (also `sucai user quota`) */
/* Set a setting (checked: name known, value in range). Audited. */
enum sc_err sc_setting_set(struct sc_library *lib, const struct sc_principal *actor,
                           const char *key, const char *value, struct sc_diag *diag);
/* The settings with their current values: JSON object when json, else
 * "key value" lines. */
enum sc_err sc_settings_list(struct sc_library *lib, int json, struct sc_buf *out,
                             struct sc_diag *diag);
/* A setting's value as a number (def when unset or unreadable). */
int64_t sc_setting_int(struct sc_library *lib, const char *key, int64_t def);

/* ---- GET /api/v1/me ---- */

/* Append {"user": name|null, "tier", "tier_expires" (ISO 8601 UTC or null),
 * "roles": [...], "entitled": bool (may read paid parts), "may": {"search",
 * "read_paid", "download", "import", "admin", "shelf"}, "saved_searches"
 * (sc_watch_limit), "downloads_per_day" and
 * "downloads_left" (null = unlimited), "csrf" (only if csrf is non-NULL)}. */
void sc_principal_json(struct sc_library *lib, struct sc_buf *b, const struct sc_principal *p,
                       const char *csrf);

#endif
