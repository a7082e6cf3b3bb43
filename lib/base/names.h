/*
 * Comma-separated lists of names (`--kinds numbering_gap,placeholder`):
 * the one parser behind every option that picks kinds by name.
 */
#ifndef SC_BASE_NAMES_H
#define SC_BASE_NAMES_H

#include "sucai/base.h"

/*
 * Set bit k of *mask for every names[k] (k < n, n <= 32) that the
 * comma-separated list names. An empty list, or a name not among names,
 * is SC_EINVAL with a message "kinds: 'x' is not a kind of WHAT".
 */
enum sc_err sc_names_parse(const char *list, const char *const *names, unsigned n,
                           const char *what, unsigned *mask, struct sc_diag *diag);

#endif
