/* statstext.h: text shared by the plain and full-screen front ends (/stats, people
 * counts, time left, room kinds). */
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

/* "N person" / "N people", translated, into buf; returns buf. */
const char *statstext_people(unsigned n, char *buf, size_t len);

/* "4:31 left" or "+0:12 over" for a remaining time, translated, into buf; returns buf. */
const char *statstext_left(int64_t ms, char *buf, size_t len);

/* A room's kind, translated, with its title (sanitised) when it says more than the id,
 * into buf; returns buf. */
const char *statstext_room_kind(const struct room_info *r, char *buf, size_t len);

/* names[0..n) (from the network) as "a, b, c", each sanitised with its white space
 * squeezed: a new string (the caller frees it), built in one pass (a /who of 100,000
 * names is not quadratic). */
char *statstext_names(const char *const *names, size_t n);

/* A lineup item's kind, translated ("talk", "pitch"; static, borrowed). */
const char *statstext_lineup_kind(enum lineup_kind kind);
/* A line typed and not sent, as it could be typed again (sanitised, new): "#lobby: hello",
 * "#lobby: /me waves", "/msg bob hi", or the command typed ("/join hack"). */
char *statstext_unsent(const struct client_unsent *u);

#endif
