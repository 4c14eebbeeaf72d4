/* sanitize.h: make text from the network safe to print on a terminal.
 *
 * Nothing from the network reaches the terminal raw: C0 controls, DEL, C1 controls
 * (U+0080-U+009F), bidi embeddings/overrides/isolates (U+202A-U+202E, U+2066-U+2069,
 * also U+061C, U+200E, U+200F) and ill-formed UTF-8 are rendered visibly instead:
 * C0 and DEL in caret notation ("^[", "^?"), the others as "<U+202E>", ill-formed bytes
 * as U+FFFD. Tab becomes a space. */
#ifndef CONFAB_SANITIZE_H
#define CONFAB_SANITIZE_H

#include <stddef.h>

/* The most bytes n code points can take once sanitised ("<U+202E>" is 8): size buffers for
 * sanitised text with it, so that snprintf never cuts a character in two. */
#define SANITIZE_MAX_BYTES(n) ((size_t)(n) * 8)

enum {
	SANITIZE_NEWLINES = 1 << 0, /* keep '\n' as a line break instead of showing "^J" */
	SANITIZE_SQUEEZE = 1 << 1   /* each run of white space (space, tab, the Unicode space
	                             * separators such as U+00A0 or U+3000) becomes one space:
	                             * padding cannot push text to where the terminal wraps */
};

/* Returns a new NUL-terminated string: a safe rendering of s[0..len). */
char *sanitize_text(const char *s, size_t len, int flags);

/* Convenience for NUL-terminated input; NULL gives "". New string. */
char *sanitize_str(const char *s);

/* True when s (NUL-terminated) would be changed by sanitize_text. */
int sanitize_needed(const char *s);

#endif
