/* Comma-separated lists of names (names.h). */
#include "base/names.h"

#include <string.h>

enum sc_err sc_names_parse(const char *list, const char *const *names, unsigned n,
                           const char *what, unsigned *mask, struct sc_diag *diag)
{
    *mask = 0;
    if (!list || !*list)
        return sc_diag_set(diag, SC_EINVAL, "kinds: the list is empty");
    const char *p = list;
    while (*p) {
        const char *q = strchr(p, ',');
        size_t len = q ? (size_t)(q - p) : strlen(p);
        int found = 0;
        for (unsigned k = 0; k < n && k < 32; k++)
            if (strlen(names[k]) == len && !memcmp(names[k], p, len)) {
                *mask |= 1u << k;
                found = 1;
            }
        if (!found)
            return sc_diag_set(diag, SC_EINVAL, "kinds: '%.*s' is not a kind of %s",
                               (int)(len > 60 ? 60 : len), p, what);
        p += len;
        if (*p == ',')
            p++;
    }
    return SC_OK;
}
