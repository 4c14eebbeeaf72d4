/* statstext.h: the text of /stats, shared by the plain and full-screen front ends. */
#ifndef CONFAB_STATSTEXT_H
#define CONFAB_STATSTEXT_H

#include "client/client.h"

#define STATSTEXT_LINES 3

/* Writes the /stats lines for s into lines[0..STATSTEXT_LINES-1] (new strings, translated;
 * the caller frees each). Returns the number of lines. */
size_t statstext_lines(const struct client_stats *s, char *lines[STATSTEXT_LINES]);

/* Writes a byte count for people ("512 B", "3.4 KB", "1.2 MB", translated) into buf;
 * returns buf. */
const char *statstext_bytes(uint64_t n, char *buf, size_t len);

#endif
