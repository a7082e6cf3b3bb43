/*
 * libsucai: the public API, in one include. The CLI (cli/) and the HTTP
 * server (server/) use nothing else.
 */
#ifndef SUCAI_H
#define SUCAI_H

#define SUCAI_VERSION "0.1.0"

#include "base.h"
#include "text.h"
#include "json.h"
#include "ingest.h"
#include "gongwen.h"
#include "library.h"
#include "search.h"
#include "check.h"
#include "export.h"
#include "members.h"

#endif
