/*
 * Internal interface of lib/ingest/: the pieces sc_ingest_bytes() (ingest.c)
 * dispatches to. text.c decodes plain text in any accepted encoding,
 * docx.c reads WordprocessingML, markdown.c strips Markdown to its text.
 * All of them append to a struct sc_buf and report refusals through
 * struct sc_diag with messages that do not name the file.
 */
#ifndef SUCAI_INGEST_INT_H
#define SUCAI_INGEST_INT_H

#include "sucai/ingest.h"

/* Longest title hint kept (bytes, cut at a character boundary). */
#define SC_TITLE_HINT_MAX 512

/*
 * Decode the bytes of a plain-text file into UTF-8 in out (appended):
 * BOM sniffing, UTF-8 validation, uchardet + iconv for GB18030/GBK/Big5,
 * then sc_ingest_clean(). encoding receives the name of the encoding used.
 * Refuses binary data and undecodable bytes; the caller checks for blank
 * text (sc_ingest_blank).
 */
enum sc_err sc_ingest_text(const unsigned char *data, size_t len, struct sc_buf *out,
                           char encoding[32], struct sc_diag *diag);

/*
 * Append src[0..len) to out as clean text: valid UTF-8, "\r\n" and "\r"
 * (and U+2028, U+2029, U+0085, '\f', '\v') become "\n", other control
 * characters are dropped, a NUL byte or invalid UTF-8 is refused with the
 * byte offset (plus base, so callers can report offsets in the original
 * file). *dropped (may be NULL) counts the control characters removed.
 */
enum sc_err sc_ingest_clean(const char *src, size_t len, struct sc_buf *out, size_t base,
                            size_t *dropped, struct sc_diag *diag);

/* Nonzero if s[0..len) holds nothing but white space (ASCII, U+3000,
 * U+00A0, U+FEFF and the other Unicode spaces). */
int sc_ingest_blank(const char *s, size_t len);

/* Decode a .docx held in memory. Appends the text to out->text and may set
 * out->title_hint. */
enum sc_err sc_ingest_docx(const unsigned char *data, size_t len, struct sc_ingested *out,
                           struct sc_diag *diag);

/* Nonzero if the zip in data[0..len) is a WordprocessingML document. */
int sc_ingest_zip_is_docx(const unsigned char *data, size_t len);

/* Replace the plain text of a Markdown file (already decoded, clean UTF-8)
 * by its text: markup removed, structure kept line by line. Sets
 * *title (malloc'd, may stay NULL) to the first level-1 heading. */
enum sc_err sc_ingest_markdown(const char *src, size_t len, struct sc_buf *out, char **title,
                               struct sc_diag *diag);

/* Copy at most SC_TITLE_HINT_MAX bytes of s (trimmed of white space, cut at
 * a character boundary, newlines and tabs turned into spaces) into a new
 * string. Returns NULL if nothing is left or on allocation failure (then
 * *nomem is set). */
char *sc_ingest_title_dup(const char *s, size_t len, int *nomem);

#endif
