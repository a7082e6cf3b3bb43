/*
 * Password hashing: Argon2id through libsodium's crypto_pwhash_str, with
 * the INTERACTIVE limits (about 64 MiB and a few tenths of a second). Test
 * suites ask for the MIN limits ($SUCAI_PWHASH_FAST=1) so they stay fast;
 * a stored hash records its own limits, so either verifies anywhere.
 *
 * Unknown names are checked against a dummy hash of the same cost, so a
 * login for a name that does not exist takes as long as a wrong password.
 */
#include "members_int.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static int fast(void)
{
    const char *e = getenv("SUCAI_PWHASH_FAST");
    return sc_members_fast_hash || (e && !strcmp(e, "1"));
}

static unsigned long long opslimit(void)
{
    return fast() ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
}

static size_t memlimit(void)
{
    return fast() ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
}

enum sc_err sc_pw_hash(const char *password, char out[128], struct sc_diag *diag)
{
    _Static_assert(crypto_pwhash_STRBYTES <= 128, "hash buffer");
    if (sodium_init() < 0)
        return sc_diag_set(diag, SC_EIO, "libsodium cannot initialise");
    if (crypto_pwhash_str(out, password, strlen(password), opslimit(), memlimit()) != 0)
        return sc_diag_set(diag, SC_ENOMEM, "out of memory hashing the password");
    return SC_OK;
}

/* The dummy hash, made once per cost setting, under a lock. */
static pthread_mutex_t dummy_lock = PTHREAD_MUTEX_INITIALIZER;
static char dummy_hash[2][128];

static int dummy_verify(const char *password)
{
    int f = fast();
    char h[128];
    pthread_mutex_lock(&dummy_lock);
    if (!dummy_hash[f][0]) {
        char pw[SC_SECRET_HEX + 1];
        sc_random_hex(pw);
        if (crypto_pwhash_str(dummy_hash[f], pw, strlen(pw), opslimit(), memlimit()) != 0)
            dummy_hash[f][0] = '\0';
    }
    memcpy(h, dummy_hash[f], sizeof h);
    pthread_mutex_unlock(&dummy_lock);
    volatile int r = 0;
    if (h[0])
        r = crypto_pwhash_str_verify(h, password, strlen(password));
    (void)r;
    return 0; /* a dummy never matches */
}

int sc_pw_verify(const char *hash, const char *password)
{
    if (sodium_init() < 0 || !password)
        return 0;
    if (!hash)
        return dummy_verify(password);
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

int sc_pw_needs_rehash(const char *hash)
{
    if (fast())
        return 0; /* never weaken a stored hash */
    return crypto_pwhash_str_needs_rehash(hash, opslimit(), memlimit()) != 0;
}
