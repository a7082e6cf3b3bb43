/*
 * libsucai: the public API, in one include. The CLI (cli/) and the HTTP
 * server (server/) use nothing else.
 */
#ifndef SUCAI_H
#define SUCAI_H

#define SUCAI_VERSION "0.1.0"

#include "base.h"
#include "check.h"
#include "docno.h"
#include "export.h"
#include "feed.h"
#include "gongwen.h"
#include "ingest.h"
#include "json.h"
#include "library.h"
#include "members.h"
#include "mask.h"
#include "proof.h"
#include "quickfind.h"
#include "search.h"
#include "shelf.h"
#include "skeleton.h"
#include "text.h"
#include "watch.h"

#endif
