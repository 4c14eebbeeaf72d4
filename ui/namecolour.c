/* namecolour.c: stable colours for names (see namecolour.h). */
#include <ctype.h>

#include "ui/namecolour.h"

/* 8 colours: green, blue, magenta, cyan (ncurses COLOR_* numbers). */
static const short namecolour_8[] = { 2, 4, 5, 6 };
/* 256 colours, for a dark background: greens, blues, purples, cyans (xterm numbers). */
static const short namecolour_256_dark[] = {
	34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 63, 69, 70, 71, 72, 73, 74, 75, 76,
	77, 78, 79, 80, 81, 98, 99, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115,
	116, 117, 134, 135, 140, 141, 147, 149, 150, 151, 152, 153, 171, 176, 177, 183
};
/* 256 colours, for a light background: the darker ones. */
static const short namecolour_256_light[] = {
	18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 54, 55, 56, 57,
	60, 61, 62, 63, 64, 65, 66, 67, 68, 90, 91, 92, 93, 96, 97, 98, 127, 128, 129,
	132, 133, 134
};

#define NAMECOLOUR_N(a) (sizeof (a) / sizeof (a)[0])

/* The palette for a terminal. */
const short *
namecolour_palette(int ncolours, bool light, size_t *n)
{
	if (ncolours >= 256) {
		*n = light ? NAMECOLOUR_N(namecolour_256_light) : NAMECOLOUR_N(namecolour_256_dark);
		return light ? namecolour_256_light : namecolour_256_dark;
	}
	if (ncolours >= 8) {
		*n = NAMECOLOUR_N(namecolour_8);
		return namecolour_8;
	}
	*n = 0;
	return namecolour_8;
}

/* FNV-1a of the name, ASCII letters folded. */
uint32_t
namecolour_hash(const char *name)
{
	uint32_t h = 2166136261u;
	const unsigned char *p;

	for (p = (const unsigned char *)name; *p != '\0'; p++) {
		h ^= (uint32_t)(*p < 0x80 ? tolower(*p) : *p);
		h *= 16777619u;
	}
	return h;
}

/* The palette index of name. */
size_t
namecolour_index(const char *name, size_t n)
{
	return n == 0 ? 0 : namecolour_hash(name) % n;
}

/* True for red, yellow and their 256-colour shades. */
bool
namecolour_is_warning(short c)
{
	static const short warn[] = {
		1, 3, 9, 11, 52, 88, 124, 160, 166, 167, 168, 169, 172, 173, 174, 178, 179, 180,
		184, 185, 186, 187, 190, 191, 192, 196, 197, 198, 199, 202, 203, 204, 208, 209,
		210, 214, 215, 216, 220, 221, 222, 226, 227, 228, 229, 230
	};
	size_t i;

	for (i = 0; i < NAMECOLOUR_N(warn); i++)
		if (warn[i] == c)
			return true;
	return false;
}
