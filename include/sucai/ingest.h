/*
 * Intake: turn the bytes of a file people actually have into UTF-8 text.
 * .txt (UTF-8 with/without BOM, UTF-16 LE/BE with BOM, GB18030/GBK detected
 * with uchardet), .docx (WordprocessingML via libzip + expat), .md (plain
 * text of it). .doc/.wps/.pdf and binary files are refused with a reason.
 *
 * Output text: paragraphs separated by '\n', no '\r', valid UTF-8, no NUL.
 */
#ifndef SUCAI_INGEST_H
#define SUCAI_INGEST_H

#include "base.h"

/* Limits, documented in docs/cli.md. */
#define SC_MAX_FILE_BYTES     (64u * 1024 * 1024)  /* any input file */
#define SC_MAX_DOCX_TOTAL     (256u * 1024 * 1024) /* sum of uncompressed zip entries read */
#define SC_MAX_DOCX_ENTRY     (128u * 1024 * 1024) /* one uncompressed entry */
#define SC_MAX_ZIP_RATIO      200u                  /* uncompressed / compressed per entry */
#define SC_MAX_DOC_CHARS      4000000u /* one document (after a 汇编 is split): indexing holds
                                        * ~50 bytes a character of it (docs/cli.md) */

enum sc_format {
    SC_FORMAT_UNKNOWN = 0,
    SC_FORMAT_TXT,
    SC_FORMAT_DOCX,
    SC_FORMAT_MD,
};

struct sc_ingested {
    struct sc_buf text;   /* UTF-8, '\n' between paragraphs */
    enum sc_format format;
    char encoding[32];    /* "UTF-8", "UTF-8-BOM", "UTF-16LE", "GB18030", "docx" ... */
    char *title_hint;     /* docx core title or first heading; NULL if none; owned */
};

void sc_ingested_init(struct sc_ingested *in);
void sc_ingested_release(struct sc_ingested *in);

/*
 * Decode data[0..len) of a file called name (used to pick the format by
 * extension and in messages). On refusal returns SC_EPARSE, SC_EUNSUPPORTED
 * or SC_ELIMIT with diag->msg giving the reason (without the file name;
 * the caller prefixes it), e.g. "not valid GB18030 at byte 1234".
 *
 * out must have been set up with sc_ingested_init(); its previous text and
 * title are replaced (its memory is reused, so one struct can serve a whole
 * batch). On failure out->text is empty and out->title_hint NULL. The bytes
 * decide over the name where they are unambiguous: a .docx saved as .doc or
 * .txt is read as .docx, a PDF named .txt is refused as PDF. The rules and
 * every message are in docs/internals/ingest.md.
 */
enum sc_err sc_ingest_bytes(const char *name, const void *data, size_t len,
                            struct sc_ingested *out, struct sc_diag *diag);

/* Format from the file name's extension (case-insensitive): .txt/.text,
 * .docx/.docm/.dotx/.dotm, .md/.markdown/.mdown/.mkd/.mkdn; anything else
 * (including the refused .doc/.wps/.pdf) is SC_FORMAT_UNKNOWN. */
enum sc_format sc_format_from_name(const char *name);

/* "txt", "docx", "md" or "unknown". Static. */
const char *sc_format_name(enum sc_format f);

/*
 * Read the file at path (at most SC_MAX_FILE_BYTES, else SC_ELIMIT) and
 * decode it with sc_ingest_bytes(). Read errors are SC_EIO.
 */
enum sc_err sc_ingest_file(const char *path, struct sc_ingested *out, struct sc_diag *diag);

#endif
