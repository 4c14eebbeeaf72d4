/* utf8.h: strict UTF-8 validation and decoding (no overlongs, no surrogates, <= U+10FFFF). */
#ifndef CONFAB_UTF8_H
#define CONFAB_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when s[0..len) is well-formed UTF-8. NUL bytes count as valid here. */
bool utf8_valid(const char *s, size_t len);

/* Decodes one code point at *p (not past end) into *cp and advances *p.
 * Returns the length consumed (1-4), or 0 for an ill-formed sequence, in which case
 * *p advances by one byte and *cp is set to U+FFFD. */
size_t utf8_decode(const char **p, const char *end, uint32_t *cp);

/* Writes cp as UTF-8 into out (room for 4 bytes); returns the length, 0 if cp is invalid. */
size_t utf8_encode(uint32_t cp, char *out);

/* Number of code points in a valid UTF-8 string. */
size_t utf8_strlen(const char *s, size_t len);

#endif
