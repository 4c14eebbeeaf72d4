/* bigdigits.h: a timer such as "4:59", "-0:05" or "+0:12" in large digits, as rows of text
 * (no curses), for the speaker view.
 *
 * The font is 5 pixels tall; digits, '+' and '-' are 3 pixels wide, ':' and '.' 1 pixel,
 * ' ' 2 pixels, with 1 blank pixel between glyphs. A size scales each pixel to sx columns by
 * sy rows (terminal cells are about twice as tall as wide, so sx = 2 * sy looks square).
 * A pixel is drawn with U+2588 FULL BLOCK, or '#' when the terminal is not UTF-8
 * (width_locale_utf8() tells). Other characters are drawn as '?' glyphs. */
#ifndef CONFAB_BIGDIGITS_H
#define CONFAB_BIGDIGITS_H

#include <stddef.h>

#define BIGDIGITS_FONT_ROWS 5

/* A scale: each font pixel is sx columns by sy rows. */
struct bigdigits_size {
	int sx;
	int sy;
};

/* Columns text takes at size (every row is this wide). */
size_t bigdigits_width(const char *text, const struct bigdigits_size *size);

/* Rows it takes: BIGDIGITS_FONT_ROWS * size->sy. */
size_t bigdigits_height(const struct bigdigits_size *size);

/* Picks the largest size at which text fits in cols x rows: the tallest sy, then the
 * widest sx from 2 * sy down to sy that fits (never narrower, so digits stay legible).
 * Returns 0 and fills *size, or -1 when even 1 x 1 does not fit or text is empty (the
 * caller then shows the text as it is). */
int bigdigits_fit(const char *text, size_t cols, size_t rows, struct bigdigits_size *size);

/* Renders text at size: returns a new array of bigdigits_height() rows, each a new
 * NUL-terminated string of exactly bigdigits_width() columns (spaces and blocks; U+2588
 * when utf8 is non-zero, else '#'). *nrows (may be NULL) gets the number of rows. Free the
 * whole with bigdigits_free(). */
char **bigdigits_render(const char *text, const struct bigdigits_size *size, int utf8,
    size_t *nrows);

/* Frees what bigdigits_render() returned; safe on NULL. */
void bigdigits_free(char **rows, size_t nrows);

#endif
