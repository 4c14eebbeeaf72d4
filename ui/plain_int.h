/* plain_int.h: the plain front end's private state, shared by plain.c (rendering) and
 * plain_stdin.c (reading commands). Not for other modules. */
#ifndef CONFAB_PLAIN_INT_H
#define CONFAB_PLAIN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/client.h"

#include "ui/plain.h"

#define PLAIN_TMP 24
#define PLAIN_INDENT 2  /* columns before each row of a folded line but the first */

struct plain {
	FILE *out;
	struct plain_input in;
	char *tmp[PLAIN_TMP];   /* sanitised strings of the line being written */
	size_t ntmp;
	char line[PLAIN_MAX_LINE + 1];
	size_t len;
	bool overlong;          /* skipping the rest of an over-long line */
	bool eof;
	struct lws *wsi;
	const struct client *client;
	size_t offline_waiting;   /* lines typed offline, shown as not sent, not answered yet */
	size_t offline_sent;      /* ... of which the hub has taken so far */
};

/* plain_out.c */
/* A sanitised copy of network string s, white space squeezed, freed after the next line
 * is written. */
const char *plain_s(struct plain *p, const char *s);
/* Writes "[tag] text" as one line and flushes; frees the sanitised strings. On a
 * terminal a line wider than the screen is folded by us, every row after the first
 * indented (PLAIN_INDENT): no row the terminal shows begins with "[" but the first. */
void plain_line(struct plain *p, const char *tag, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A tag "#room" (sanitised) in buf. */
const char *plain_room_tag(struct plain *p, const char *room, char *buf, size_t len);
/* "10:32" (local time of day) for ts into buf. */
const char *plain_clock(int64_t ts, char *buf, size_t len);
/* plain_mod.c: fills the moderation callbacks of v (arg: the struct plain). */
void plain_mod_view(struct client_view *v);

#endif
