/*
 * Lookup of the data sets compiled into the library (lib/base/data.h).
 */
#include "base/data.h"

#include <string.h>

const struct sc_datafile *sc_data_get(const char *name)
{
    for (const struct sc_datafile *f = sc_datafiles; f->name; f++)
        if (!strcmp(f->name, name))
            return f;
    return NULL;
}
