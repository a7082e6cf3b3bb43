/*
 * The web page's files, embedded at build time by tools/embed.c
 * (build/gen/assets.c). Terminated by an entry with name == NULL.
 */
#ifndef SUCAI_SERVER_ASSETS_H
#define SUCAI_SERVER_ASSETS_H

#include <stddef.h>

struct sc_asset {
    const char *name; /* file name under web/, e.g. "app.js" */
    const unsigned char *data;
    size_t len;
};

extern const struct sc_asset sc_assets[];

#endif
