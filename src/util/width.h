/* width.h: display width of UTF-8 text in terminal columns, fitting, truncating and
 * wrapping it (no curses; the widths are those ncursesw uses, from wcwidth()).
 *
 * Widths are those of the text as it is drawn after sanitize_text(): a C0 control or DEL
 * counts 2 ("^[", "^?"), a C1 control or bidi control counts 8 ("<U+202E>"), each
 * ill-formed byte counts 1 (U+FFFD), a tab counts 1 (a space), a combining mark or other
 * zero-width character 0, a CJK ideograph or emoji 2. So a caller may measure raw or
 * sanitised text and get the same answer; it must still draw only sanitised text.
 *
 * wcwidth() follows LC_CTYPE: call setlocale(LC_ALL, "") (i18n_init() does) or, in tests,
 * setlocale(LC_ALL, "C.UTF-8") first. Under a locale that does not know a code point
 * (wcwidth() < 0, e.g. LC_CTYPE=C), a built-in table decides: 2 for the East Asian wide
 * ranges and emoji, 0 for combining marks, else 1. */
#ifndef CONFAB_WIDTH_H
#define CONFAB_WIDTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Columns taken by one code point as drawn after sanitising (0, 1, 2, or 2/8 for the
 * controls described above). '\n' counts 2 ("^J"); width_wrap() treats it as a break. */
int width_cp(uint32_t cp);

/* Columns taken by s[0..len) (need not be NUL-terminated, may be ill-formed). */
size_t width_text(const char *s, size_t len);

/* Columns taken by a NUL-terminated string; NULL gives 0. */
size_t width_str(const char *s);

/* The byte length of the longest prefix of s[0..len) that fits in cols columns, never
 * splitting a character, never leaving half a wide character, and keeping any zero-width
 * characters (combining marks) that follow the last character that fits. *used (may be
 * NULL) gets the prefix's width, which may be cols - 1 when a wide character did not fit. */
size_t width_fit(const char *s, size_t len, size_t cols, size_t *used);

/* The byte offset where the longest suffix of s[0..len) that fits in cols columns starts
 * (len when cols is 0); the same rules as width_fit(). *used (may be NULL) gets its width. */
size_t width_fit_end(const char *s, size_t len, size_t cols, size_t *used);

/* True when LC_CTYPE's code set is UTF-8 (the terminal can show "…" and U+2588). */
bool width_locale_utf8(void);

/* Flags of width_truncate(). */
enum {
	WIDTH_PAD = 1 << 0,   /* pad with spaces to exactly cols columns */
	WIDTH_RIGHT = 1 << 1, /* with WIDTH_PAD: pad on the left (right-align) */
	WIDTH_ASCII = 1 << 2  /* use "..." instead of "…" (also when !width_locale_utf8()) */
};

/* A new NUL-terminated string: s (NUL-terminated, not sanitised here) cut to at most cols
 * columns. When s is wider than cols it is cut and ends with an ellipsis ("…", one column,
 * or "..." with WIDTH_ASCII or under a non-UTF-8 locale; no ellipsis when cols is smaller
 * than the ellipsis). With WIDTH_PAD the result is exactly cols columns wide (a wide
 * character that does not fit is replaced by a space). NULL s counts as "". Caller frees. */
char *width_truncate(const char *s, size_t cols, int flags);

/* One line of wrapped text: a byte range of the wrapped string. */
struct width_line {
	size_t start;  /* byte offset of the line in the string */
	size_t len;    /* its length in bytes (break spaces and '\n' excluded) */
	size_t cols;   /* its width in columns */
	size_t indent; /* columns the caller should leave blank before it (0 on the first
	                * line and after a '\n'; the hanging indent on continuation lines) */
};

/* Wraps s[0..len) into lines of at most cols columns (indent + width <= cols; cols 0 counts
 * as 1). Breaks at spaces when it can (the spaces at a break belong to no line), between
 * two characters when one of them is wide (CJK has no spaces; never before CJK closing
 * punctuation such as "，" or "。" when another break exists), and hard-breaks a word
 * longer than a line. A '\n' always ends a line (it belongs to no line; "a\n\nb" gives
 * three lines, the middle one empty). Zero-width characters stay with the character before
 * them. Continuation lines (after an automatic break) carry a hanging indent of indent
 * columns, reduced when it would leave fewer than 2 columns for text; lines after a '\n'
 * have none. The only text a line may not fit is a character wider than the columns left
 * for it (a wide character or a C0 control when cols < 2, a control shown as "<U+202E>"
 * when fewer than 8 are left): it is put alone on its line (cols of that line is then its
 * width). Empty input gives one empty line.
 *
 * Ranges are in order and do not overlap; the bytes between two lines are spaces and at
 * most one '\n'. Returns the number of lines (>= 1); *lines gets a new array (caller frees
 * it with free()). */
size_t width_wrap(const char *s, size_t len, size_t cols, size_t indent,
    struct width_line **lines);

#endif
