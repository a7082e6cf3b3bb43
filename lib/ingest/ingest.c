/*
 * Intake entry point: pick the decoder from the file name and the first
 * bytes, refuse what we cannot read with a message that says what to do
 * instead, and check the result is non-empty text. The decoders live in
 * text.c, docx.c and markdown.c.
 */
#include "ingest_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sc_ingested_init(struct sc_ingested *in)
{
    sc_buf_init(&in->text);
    in->format = SC_FORMAT_UNKNOWN;
    in->encoding[0] = '\0';
    in->title_hint = NULL;
}

void sc_ingested_release(struct sc_ingested *in)
{
    sc_buf_release(&in->text);
    free(in->title_hint);
    sc_ingested_init(in);
}

const char *sc_format_name(enum sc_format f)
{
    switch (f) {
    case SC_FORMAT_TXT: return "txt";
    case SC_FORMAT_DOCX: return "docx";
    case SC_FORMAT_MD: return "md";
    case SC_FORMAT_UNKNOWN: break;
    }
    return "unknown";
}

/* Lower-case extension of the last path component, without the dot; ""
 * when there is none (".profile" has none either). */
static void extension(const char *name, char ext[16])
{
    ext[0] = '\0';
    if (!name)
        return;
    const char *base = name;
    for (const char *p = name; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return;
    size_t n = strlen(dot + 1);
    if (n == 0 || n >= 16)
        return;
    for (size_t i = 0; i <= n; i++) {
        char c = dot[1 + i];
        ext[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
}

static int ext_in(const char *ext, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(ext, *list) == 0)
            return 1;
    return 0;
}

enum sc_format sc_format_from_name(const char *name)
{
    static const char *const txt[] = { "txt", "text", NULL };
    static const char *const docx[] = { "docx", "docm", "dotx", "dotm", NULL };
    static const char *const md[] = { "md", "markdown", "mdown", "mkd", "mkdn", NULL };
    char ext[16];
    extension(name, ext);
    if (ext_in(ext, txt))
        return SC_FORMAT_TXT;
    if (ext_in(ext, docx))
        return SC_FORMAT_DOCX;
    if (ext_in(ext, md))
        return SC_FORMAT_MD;
    return SC_FORMAT_UNKNOWN;
}

/* ---- refusals ------------------------------------------------------------ */

#define TO_DOCX \
    "save it as .docx in Word/WPS, or convert with `libreoffice --headless --convert-to docx FILE`"

static const char msg_doc[] = ".doc (Word 97-2003) is not supported: " TO_DOCX;
static const char msg_wps[] = ".wps (WPS Writer) is not supported: " TO_DOCX;
static const char msg_ole[] = "binary Word/WPS 97-2003 file (.doc/.wps) is not supported: " TO_DOCX;
static const char msg_pdf[] =
    ".pdf is not supported: extract its text with `pdftotext -layout FILE FILE.txt` and import "
    "the .txt (a scanned PDF needs OCR first), or save it as .docx in WPS/Word";
static const char msg_rtf[] = ".rtf is not supported: " TO_DOCX;

/* Extensions refused outright, with what to do instead. */
static const struct {
    const char *exts[8];
    const char *msg;
} refused_ext[] = {
    { { "doc", "dot", NULL }, msg_doc },
    { { "wps", "wpt", NULL }, msg_wps },
    { { "pdf", NULL }, msg_pdf },
    { { "rtf", NULL }, msg_rtf },
    { { "odt", "ott", "fodt", NULL }, ".odt (OpenDocument) is not supported: " TO_DOCX },
    { { "ofd", NULL },
      ".ofd is not supported: export it as .docx or .txt from an OFD reader (数科/福昕 OFD)" },
    { { "caj", "kdh", "nh", NULL },
      ".caj is not supported: export it as .docx or .pdf text first" },
    { { "xls", "xlsx", "et", "csv", "ods", NULL },
      "spreadsheets are not supported: copy the text into a .docx or .txt file" },
    { { "ppt", "pptx", "dps", "odp", NULL },
      "presentations are not supported: copy the text into a .docx or .txt file" },
    { { "png", "jpg", "jpeg", "gif", "bmp", "tif", NULL },
      "image files are not supported (a scanned document needs OCR first)" },
    { { "tiff", "webp", "heic", NULL },
      "image files are not supported (a scanned document needs OCR first)" },
    { { "zip", "rar", "7z", "gz", "tar", NULL },
      "archives are not supported: unpack it and import the files inside" },
};

/* Binary signatures: what they are, and the message if we refuse them. */
enum magic {
    MAGIC_NONE = 0,
    MAGIC_ZIP,
    MAGIC_OLE2,
    MAGIC_PDF,
    MAGIC_RTF,
    MAGIC_OTHER,
};

static const struct {
    const char *sig;
    size_t off, n;
    enum magic kind;
    const char *what;
} magics[] = {
    { "PK\x03\x04", 0, 4, MAGIC_ZIP, "zip archive" },
    { "PK\x05\x06", 0, 4, MAGIC_ZIP, "zip archive" },
    { "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 0, 8, MAGIC_OLE2, "OLE2 compound file" },
    { "%PDF", 0, 4, MAGIC_PDF, "PDF" },
    { "{\\rtf", 0, 5, MAGIC_RTF, "RTF" },
    { "\x89PNG\r\n\x1A\n", 0, 8, MAGIC_OTHER, "PNG image" },
    { "\xFF\xD8\xFF", 0, 3, MAGIC_OTHER, "JPEG image" },
    { "GIF87a", 0, 6, MAGIC_OTHER, "GIF image" },
    { "GIF89a", 0, 6, MAGIC_OTHER, "GIF image" },
    { "II*\0", 0, 4, MAGIC_OTHER, "TIFF image" },
    { "MM\0*", 0, 4, MAGIC_OTHER, "TIFF image" },
    { "WEBP", 8, 4, MAGIC_OTHER, "WebP image" },
    { "\x7F"
      "ELF",
      0, 4, MAGIC_OTHER, "ELF executable" },
    { "MZ", 0, 2, MAGIC_OTHER, "Windows executable" },
    { "\x1F\x8B", 0, 2, MAGIC_OTHER, "gzip archive" },
    { "7z\xBC\xAF\x27\x1C", 0, 6, MAGIC_OTHER, "7-Zip archive" },
    { "Rar!\x1A\x07", 0, 6, MAGIC_OTHER, "RAR archive" },
    { "\xFD"
      "7zXZ\0",
      0, 6, MAGIC_OTHER, "xz archive" },
    { "BZh", 0, 3, MAGIC_OTHER, "bzip2 archive" },
    { "SQLite format 3\0", 0, 16, MAGIC_OTHER, "SQLite database" },
    { "\xCA\xFE\xBA\xBE", 0, 4, MAGIC_OTHER, "Java class or Mach-O file" },
    { "ID3", 0, 3, MAGIC_OTHER, "MP3 audio" },
    { "ftyp", 4, 4, MAGIC_OTHER, "MP4/MOV video" },
    { "OggS", 0, 4, MAGIC_OTHER, "Ogg media" },
    { "\x1A\x45\xDF\xA3", 0, 4, MAGIC_OTHER, "Matroska/WebM video" },
};

static enum magic sniff(const unsigned char *d, size_t len, const char **what)
{
    *what = NULL;
    for (size_t k = 0; k < sizeof magics / sizeof magics[0]; k++) {
        if (len < magics[k].off + magics[k].n ||
            memcmp(d + magics[k].off, magics[k].sig, magics[k].n) != 0)
            continue;
        /* Two-letter signatures are text too ("MZ..." / "BZh..."): only
         * believe them with a NUL byte close behind. */
        if (magics[k].n <= 3 && magics[k].kind == MAGIC_OTHER && magics[k].sig[0] != '\xFF' &&
            magics[k].sig[0] != '\x1F' && !memchr(d, 0, len < 512 ? len : 512))
            continue;
        if (magics[k].off == 8 && memcmp(d, "RIFF", 4) != 0)
            continue;
        *what = magics[k].what;
        return magics[k].kind;
    }
    return MAGIC_NONE;
}

/* An encrypted .docx is an OLE2 container with an "EncryptionInfo" stream. */
static int ole_has_encryption_info(const unsigned char *d, size_t len)
{
    static const char name[] = "E\0n\0c\0r\0y\0p\0t\0i\0o\0n\0I\0n\0f\0o\0";
    size_t n = sizeof name - 1;
    for (size_t i = 0; i + n <= len; i++)
        if (d[i] == 'E' && memcmp(d + i, name, n) == 0)
            return 1;
    return 0;
}

static enum sc_err refuse_magic(enum magic m, const char *what, enum sc_format fmt, const char *ext,
                                const unsigned char *d, size_t len, struct sc_diag *diag)
{
    switch (m) {
    case MAGIC_OLE2:
        if (fmt == SC_FORMAT_DOCX && ole_has_encryption_info(d, len))
            return sc_diag_set(diag, SC_EUNSUPPORTED,
                               "password-protected .docx is not supported: remove the password "
                               "in Word/WPS and save it again");
        if (fmt == SC_FORMAT_DOCX)
            return sc_diag_set(diag, SC_EUNSUPPORTED,
                               "this is a Word/WPS 97-2003 file (.doc) named .docx: " TO_DOCX);
        return sc_diag_set(diag, SC_EUNSUPPORTED, "%s", msg_ole);
    case MAGIC_PDF: return sc_diag_set(diag, SC_EUNSUPPORTED, "%s", msg_pdf);
    case MAGIC_RTF: return sc_diag_set(diag, SC_EUNSUPPORTED, "%s", msg_rtf);
    case MAGIC_ZIP:
    case MAGIC_OTHER:
    case MAGIC_NONE: break;
    }
    if (fmt == SC_FORMAT_UNKNOWN && ext[0])
        return sc_diag_set(diag, SC_EUNSUPPORTED, "unsupported file type (.%s, %s)", ext, what);
    if (fmt == SC_FORMAT_UNKNOWN)
        return sc_diag_set(diag, SC_EUNSUPPORTED, "unsupported file type (%s)", what);
    return sc_diag_set(diag, SC_EUNSUPPORTED, "binary file (%s)", what);
}

/* ---- the entry point ----------------------------------------------------- */

static enum sc_err decode(const char *name, const unsigned char *d, size_t len,
                          struct sc_ingested *out, struct sc_diag *diag)
{
    if (len > SC_MAX_FILE_BYTES)
        return sc_diag_set(diag, SC_ELIMIT, "file too large (%zu bytes; the limit is %u MiB)", len,
                           SC_MAX_FILE_BYTES >> 20);
    char ext[16];
    extension(name, ext);
    enum sc_format fmt = sc_format_from_name(name);
    const char *what;
    enum magic m = sniff(d, len, &what);

    if (len == 0)
        return sc_diag_set(diag, SC_EPARSE, "empty file");

    /* A file whose bytes are a .docx is read as one whatever its name says:
     * downloads are often misnamed (.doc, .wps, .txt for a .docx). */
    int zip_docx = m == MAGIC_ZIP && sc_ingest_zip_is_docx(d, len);
    if (fmt == SC_FORMAT_DOCX || zip_docx) {
        if (m != MAGIC_ZIP && m != MAGIC_NONE)
            return refuse_magic(m, what, SC_FORMAT_DOCX, ext, d, len, diag);
        out->format = SC_FORMAT_DOCX;
        snprintf(out->encoding, sizeof out->encoding, "docx");
        enum sc_err err = sc_ingest_docx(d, len, out, diag);
        if (err == SC_OK && sc_ingest_blank(out->text.data, out->text.len))
            err = sc_diag_set(diag, SC_EPARSE, "empty document (no text found)");
        return err;
    }

    for (size_t k = 0; k < sizeof refused_ext / sizeof refused_ext[0]; k++)
        if (ext[0] && ext_in(ext, refused_ext[k].exts))
            return sc_diag_set(diag, SC_EUNSUPPORTED, "%s", refused_ext[k].msg);

    if (m == MAGIC_ZIP)
        what = "zip archive that is not a .docx";
    if (m != MAGIC_NONE)
        return refuse_magic(m, what, fmt, ext, d, len, diag);

    enum sc_err err;
    if (fmt == SC_FORMAT_MD) {
        struct sc_buf raw = SC_BUF_INIT;
        err = sc_ingest_text(d, len, &raw, out->encoding, diag);
        if (err == SC_OK && sc_ingest_blank(raw.data, raw.len))
            err = sc_diag_set(diag, SC_EPARSE, "empty file");
        if (err == SC_OK)
            err = sc_ingest_markdown(raw.data, raw.len, &out->text, &out->title_hint, diag);
        sc_buf_release(&raw);
        if (err == SC_OK && sc_ingest_blank(out->text.data, out->text.len))
            err = sc_diag_set(diag, SC_EPARSE, "no text (only Markdown markup)");
        out->format = SC_FORMAT_MD;
        return err;
    }
    if (fmt == SC_FORMAT_UNKNOWN) {
        struct sc_diag why = { 0 };
        err = sc_ingest_text(d, len, &out->text, out->encoding, &why);
        if (err == SC_ENOMEM)
            return sc_diag_set(diag, err, "%s", why.msg);
        if (err != SC_OK)
            return sc_diag_set(diag, SC_EUNSUPPORTED, "unsupported file type: %s", why.msg);
    } else {
        err = sc_ingest_text(d, len, &out->text, out->encoding, diag);
        if (err != SC_OK)
            return err;
    }
    out->format = SC_FORMAT_TXT;
    if (sc_ingest_blank(out->text.data, out->text.len))
        return sc_diag_set(diag, SC_EPARSE, "empty file");
    return SC_OK;
}

enum sc_err sc_ingest_bytes(const char *name, const void *data, size_t len, struct sc_ingested *out,
                            struct sc_diag *diag)
{
    sc_buf_reset(&out->text);
    free(out->title_hint);
    out->title_hint = NULL;
    out->format = SC_FORMAT_UNKNOWN;
    out->encoding[0] = '\0';
    if (!data && len)
        return sc_diag_set(diag, SC_EINVAL, "no data");
    static const unsigned char nothing[1];
    enum sc_err err = decode(name, data ? data : nothing, len, out, diag);
    if (err == SC_OK)
        err = sc_buf_err(&out->text);
    if (err != SC_OK) {
        sc_diag_set(diag, err, "%s", sc_strerror(err));
        sc_buf_reset(&out->text);
        free(out->title_hint);
        out->title_hint = NULL;
        out->format = SC_FORMAT_UNKNOWN;
        out->encoding[0] = '\0';
    }
    return err;
}

enum sc_err sc_ingest_file(const char *path, struct sc_ingested *out, struct sc_diag *diag)
{
    char *data = NULL;
    size_t len = 0;
    enum sc_err err = sc_read_file(path, SC_MAX_FILE_BYTES, &data, &len, diag);
    if (err != SC_OK) {
        sc_buf_reset(&out->text);
        free(out->title_hint);
        out->title_hint = NULL;
        out->format = SC_FORMAT_UNKNOWN;
        out->encoding[0] = '\0';
        return err;
    }
    err = sc_ingest_bytes(path, data, len, out, diag);
    free(data);
    return err;
}
