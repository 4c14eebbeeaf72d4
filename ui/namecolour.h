/* namecolour.h: a colour per name, as WeeChat and irssi give nicks: a stable hash of the
 * name (ASCII case folded, as names compare) picks an entry of a palette. The palettes
 * leave out the colours that mean a warning (red, yellow and their shades, used by
 * errors, mentions and the timer's last minute) and the ones that vanish on the
 * background (black or white, greys). Pure: unit-tested without curses. */
#ifndef CONFAB_NAMECOLOUR_H
#define CONFAB_NAMECOLOUR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The palette for a terminal of ncolours colours (8 or more; 256 or more gives the large
 * one) and a dark or light background: *n gets its length; entries are colour numbers as
 * init_pair() takes them. Borrowed, static. */
const short *namecolour_palette(int ncolours, bool light, size_t *n);
/* The hash of a name (FNV-1a over its bytes, ASCII letters folded to lower case). */
uint32_t namecolour_hash(const char *name);
/* The palette index (0..n-1) of name; 0 when n is 0. */
size_t namecolour_index(const char *name, size_t n);
/* True when colour c (0..255) is one of the warning colours never used for a name. */
bool namecolour_is_warning(short c);

#endif
