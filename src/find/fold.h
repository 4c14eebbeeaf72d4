/* fold.h: text folded for searching: case-, accent- and width-insensitive (ICU).
 *
 * Folding: compatibility decomposition (NFKD: full-width and half-width forms, ligatures,
 * superscripts become their plain letters), then the generic combining diacritics are
 * dropped (U+0300-036F and the other "Combining Diacritical Marks" blocks: é is e, Ё is Е,
 * й is и), then full Unicode case folding (ß is ss, Σ/ς/σ are one), then NFC. Marks
 * that are part of a script's spelling are kept (the kana voicing marks, Indic vowel
 * signs), so CJK and Indic text only loses its width variants. */
#ifndef CONFAB_FOLD_H
#define CONFAB_FOLD_H

#include <stdbool.h>
#include <stddef.h>

/* The most bytes of text folded per call; the rest of a longer text is not searched. */
#define FOLD_MAX_INPUT 16384

/* Returns a new string: s (UTF-8, NULL is "") folded as above. Bytes that are not valid
 * UTF-8 become U+FFFD. Never NULL. */
char *fold_text(const char *s);

/* True when needle (already folded with fold_text; "" matches everything) occurs in s
 * once s is folded. */
bool fold_contains(const char *s, const char *needle);

#endif
