/*
 * A document's text as the store keeps it (documents.text): one zstd
 * frame, or, in libraries written before schema "library" 2, the plain
 * UTF-8 text. A frame starts with the bytes 28 B5 2F FD, which cannot
 * start valid UTF-8 text (0xB5 is a continuation byte after an ASCII
 * one), so the first four bytes tell the forms apart.
 */
#ifndef SC_BASE_ZTEXT_H
#define SC_BASE_ZTEXT_H

#include <stddef.h>

#include "sucai/base.h"

/* The largest text a frame may claim: a document holds at most
 * SC_MAX_DOC_CHARS (4 M) code points, 16 MB; a frame that claims more is
 * damage, refused before anything is allocated for it. */
#define SC_ZTEXT_MAX_BYTES (64u << 20)

/* Is v[0..len) a zstd frame (by its magic number)? */
int sc_ztext_is_packed(const void *v, size_t len);

/* Pack text[0..len) as one zstd frame that records its content size.
 * On SC_OK *out is a new buffer of *outlen bytes (sc_malloc'd): the
 * caller frees it. SC_ENOMEM (nothing allocated) when memory runs out. */
enum sc_err sc_ztext_pack(const char *text, size_t len, char **out, size_t *outlen);

/* The text of a stored value v[0..len): a zstd frame decompressed, or
 * plain text copied. On SC_OK *out is a new NUL-terminated buffer
 * (sc_malloc'd; the caller frees it) of *outlen bytes without the NUL.
 * SC_EPARSE for a damaged frame, one without its content size or one
 * claiming more than SC_ZTEXT_MAX_BYTES, SC_ENOMEM when memory runs out;
 * *out is NULL on failure. */
enum sc_err sc_ztext_unpack(const void *v, size_t len, char **out, size_t *outlen);

#endif
