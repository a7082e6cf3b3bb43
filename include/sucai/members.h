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
    int64_t user_id;     /* 0 = anonymous */
    char name[64];
    enum sc_tier tier;   /* effective tier: an expired vip/svip counts as free */
    int roles;           /* enum sc_role bits */
    time_t tier_expires; /* 0 = never */
    int all_entitled;    /* private single-user server (`serve --all-entitled`) */
};

enum sc_action {
    SC_ACT_SEARCH,     /* search, counts, titles, free text */
    SC_ACT_READ_PAID,  /* snippets and text of paid parts */
    SC_ACT_DOWNLOAD,   /* compile / export (quota-limited) */
    SC_ACT_IMPORT,     /* upload documents */
    SC_ACT_ADMIN,      /* users, tokens, boilerplate review */
};

/* The entitlement table (issue: members). 1 = allowed. Downloads also
 * need sc_quota_take. */
int sc_may(const struct sc_principal *p, enum sc_action a);

/* Downloads per day for a principal; -1 = unlimited, 0 = none. */
int sc_quota_daily(const struct sc_library *lib, const struct sc_principal *p);

#endif
