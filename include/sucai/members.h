/*
 * Members: accounts, tiers, roles, sessions, tokens, quotas, audit log and
 * the one entitlement function every endpoint asks. (Filled in by the
 * members issue.)
 */
#ifndef SUCAI_MEMBERS_H
#define SUCAI_MEMBERS_H

#include "base.h"
#include "library.h"

#endif
