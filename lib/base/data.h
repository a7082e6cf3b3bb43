/*
 * Data sets compiled into the library (the files lib/PART/data/NAME.tsv,
 * embedded at build time by tools/embed.c into build/gen/data.c), so that
 * libsucai and the `sucai` binary need no files beside them. Each data file names its
 * source and licence in the README beside it.
 */
#ifndef SC_BASE_DATA_H
#define SC_BASE_DATA_H

#include <stddef.h>

struct sc_datafile {
    const char *name; /* the file name, e.g. "divisions.tsv" */
    const unsigned char *data; /* NUL-terminated one past len */
    size_t len;
};

/* Ends with an entry whose name is NULL. */
extern const struct sc_datafile sc_datafiles[];

/* The data file of that name, or NULL. */
const struct sc_datafile *sc_data_get(const char *name);

#endif
