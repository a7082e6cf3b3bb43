/*
 * Search normalisation. The exact definition (intake issue, rules 1-5):
 *  1. full-width forms U+FF01..U+FF5E fold to U+0021..U+007E, U+3000 to a space;
 *  2. Latin letters A-Z are lower-cased;
 *  3. zero-width characters (U+200B..U+200D, U+2060, U+FEFF) are removed;
 *  4. runs of spaces, tabs, U+3000 and U+00A0 standing between two CJK
 *     ideographs are removed;
 *  5. nothing else: Chinese characters are never changed, '\n' is kept.
 * The normaliser can also produce a map back to the original text, so that
 * highlights found in normalised text point at the original characters.
 */
#ifndef SUCAI_TEXT_H
#define SUCAI_TEXT_H

#include "base.h"

/*
 * Normalise text[0..len) (valid UTF-8) and append to out. If map is
 * non-NULL, it receives one uint32_t per byte of output plus one final
 * entry: the byte offset in the original of the character that produced
 * that output byte (the final entry is len). The caller releases out and
 * frees *map. Returns SC_ENOMEM on allocation failure.
 */
enum sc_err sc_normalize(const char *text, size_t len, struct sc_buf *out, uint32_t **map);

/*
 * Rules 1 and 2 for one code point (the part of the normalisation that
 * maps characters one for one): full-width forms and U+3000 folded,
 * A-Z lower-cased; anything else returned as it is. Where a text has no
 * zero-width characters and no spaces between ideographs, its normal form
 * is this applied to each code point.
 */
uint32_t sc_fold_cp(uint32_t c);

#endif
