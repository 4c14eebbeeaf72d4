/* plain_int.h: the plain front end's private state, shared by plain.c (rendering) and
 * plain_stdin.c (reading commands). Not for other modules. */
#ifndef CONFAB_PLAIN_INT_H
#define CONFAB_PLAIN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <termios.h>
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
	bool mention_bell;        /* ring the bell (on a terminal) when we are mentioned */
	/* plain_tty.c: the input line on a terminal (line and len hold what is typed) */
	bool tty;                 /* we hold the terminal (non-canonical, no echo) */
	struct termios saved;     /* its settings before */
	int tty_esc;              /* skipping an escape sequence: 1 after ESC, 2 inside */
	bool tty_eof;             /* Ctrl-D on an empty line */
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
/* plain_part.c: fills the participation callbacks of v. */
void plain_part_view(struct client_view *v);
/* plain.c: a session as one line "DAY 10:00-11:00 EDT ID KIND: TITLE SUFFIX" (suffix:
 * ours, or NULL) */
void plain_session(struct plain *p, const char *tag, const struct program *pg,
    const struct session *s, bool day, const char *suffix);
/* "(now)", "(starred)", both or NULL for s, into buf. */
const char *plain_marks(const struct plain *p, const struct session *s, int64_t hub_now,
    char *buf, size_t len);
/* "5 min", "1 h 05 min", "2 d 3 h" for ms >= 0 into buf. */
const char *plain_rel(int64_t ms, char *buf, size_t len);
/* plain_agenda.c: fills the callbacks of /search, /filter, the agenda and reminders. */
void plain_agenda_view(struct client_view *v);

/* plain_tty.c */
void plain_tty_start(struct plain *p, bool redraw);
void plain_tty_stop(struct plain *p);
void plain_tty_before(struct plain *p);
void plain_tty_after(struct plain *p);
bool plain_tty_byte(struct plain *p, unsigned char ch);
/* plain_habits.c */
void plain_habits_view(struct plain *p, struct client_view *v);
void plain_clock_of(struct plain *p, int64_t ms, bool zone, char *buf, size_t len);

#endif
