/* bigdigits.c: a timer string in large digits made of block characters, scaled to fill
 * the speaker view (no curses: rows of text the front end draws). */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui/bigdigits.h"
#include "util/xalloc.h"

/* One glyph: its width in pixels and its rows ('#' set, anything else clear). */
struct bigdigits_glyph {
	char ch;
	int w;
	const char *rows[BIGDIGITS_FONT_ROWS];
};

static const struct bigdigits_glyph bigdigits_font[] = {
	{ '0', 3, { "###", "# #", "# #", "# #", "###" } },
	{ '1', 3, { " # ", "## ", " # ", " # ", "###" } },
	{ '2', 3, { "###", "  #", "###", "#  ", "###" } },
	{ '3', 3, { "###", "  #", "###", "  #", "###" } },
	{ '4', 3, { "# #", "# #", "###", "  #", "  #" } },
	{ '5', 3, { "###", "#  ", "###", "  #", "###" } },
	{ '6', 3, { "###", "#  ", "###", "# #", "###" } },
	{ '7', 3, { "###", "  #", "  #", "  #", "  #" } },
	{ '8', 3, { "###", "# #", "###", "# #", "###" } },
	{ '9', 3, { "###", "# #", "###", "  #", "###" } },
	{ ':', 1, { " ", "#", " ", "#", " " } },
	{ '.', 1, { " ", " ", " ", " ", "#" } },
	{ '+', 3, { "   ", " # ", "###", " # ", "   " } },
	{ '-', 3, { "   ", "   ", "###", "   ", "   " } },
	{ ' ', 2, { "  ", "  ", "  ", "  ", "  " } },
	{ '?', 3, { "###", "  #", " ##", "   ", " # " } }
};

#define BIGDIGITS_BLOCK "\xe2\x96\x88" /* U+2588 FULL BLOCK */

/* The glyph of ch ('?' for characters the font lacks). */
static const struct bigdigits_glyph *
bigdigits_glyph(char ch)
{
	size_t i, n = sizeof bigdigits_font / sizeof bigdigits_font[0];

	for (i = 0; i < n; i++) {
		if (bigdigits_font[i].ch == ch)
			return &bigdigits_font[i];
	}
	return &bigdigits_font[n - 1];
}

/* Width of text in font pixels, gaps included. */
static size_t
bigdigits_pixels(const char *text)
{
	size_t px = 0, i;

	for (i = 0; text[i] != '\0'; i++) {
		/* A multi-byte character is one '?' glyph: skip its continuation bytes. */
		if (((unsigned char)text[i] & 0xC0) == 0x80)
			continue;
		if (px > 0)
			px++;
		px += (size_t)bigdigits_glyph(text[i])->w;
	}
	return px;
}

/* Columns text takes at size. */
size_t
bigdigits_width(const char *text, const struct bigdigits_size *size)
{
	return bigdigits_pixels(text) * (size_t)size->sx;
}

/* Rows it takes. */
size_t
bigdigits_height(const struct bigdigits_size *size)
{
	return BIGDIGITS_FONT_ROWS * (size_t)size->sy;
}

/* The largest size at which text fits in cols x rows. */
int
bigdigits_fit(const char *text, size_t cols, size_t rows, struct bigdigits_size *size)
{
	size_t px = bigdigits_pixels(text), sy, sx;

	if (px == 0)
		return -1;
	for (sy = rows / BIGDIGITS_FONT_ROWS; sy >= 1; sy--) {
		for (sx = 2 * sy; sx >= sy; sx--) {
			if (px * sx <= cols) {
				size->sx = (int)sx;
				size->sy = (int)sy;
				return 0;
			}
		}
	}
	return -1;
}

/* Renders text at size into rows of text. */
char **
bigdigits_render(const char *text, const struct bigdigits_size *size, int utf8,
    size_t *nrows)
{
	const struct bigdigits_glyph *g;
	const char *on = utf8 ? BIGDIGITS_BLOCK : "#";
	size_t h = bigdigits_height(size), w = bigdigits_width(text, size);
	size_t onlen = strlen(on), r, i, x, k;
	char **rows, *o;
	int first;

	rows = xcalloc(h == 0 ? 1 : h, sizeof *rows);
	for (r = 0; r < h; r++) {
		o = rows[r] = xmalloc(w * onlen + 1);
		first = 1;
		for (i = 0; text[i] != '\0'; i++) {
			if (((unsigned char)text[i] & 0xC0) == 0x80)
				continue;
			g = bigdigits_glyph(text[i]);
			if (!first) {
				memset(o, ' ', (size_t)size->sx);
				o += size->sx;
			}
			first = 0;
			for (x = 0; x < (size_t)g->w; x++) {
				for (k = 0; k < (size_t)size->sx; k++) {
					if (g->rows[r / (size_t)size->sy][x] == '#') {
						memcpy(o, on, onlen);
						o += onlen;
					} else
						*o++ = ' ';
				}
			}
		}
		*o = '\0';
	}
	if (nrows != NULL)
		*nrows = h;
	return rows;
}

/* Frees rendered rows. */
void
bigdigits_free(char **rows, size_t nrows)
{
	size_t r;

	if (rows == NULL)
		return;
	for (r = 0; r < nrows; r++)
		free(rows[r]);
	free(rows);
}
