/* import_ctx.h: the builder's state, shared by import_ctx.c (events) and
 * import_finish.c (the program). Private to those two files. */
#ifndef CONFAB_IMPORT_CTX_H
#define CONFAB_IMPORT_CTX_H

#include <stdint.h>

#include "import/import_int.h"

#define IMPORT_CTX_MAX_ID 32
/* A file with more events than this is refused before it is all read. */
#define IMPORT_CTX_MAX_EVENTS (10 * PROGRAM_MAX_SESSIONS)
/* How many events a warning names before it only counts them. */
#define IMPORT_CTX_NAMED 10
#define IMPORT_CTX_DAY_MS (24LL * 3600 * 1000)
/* The last instant a program may hold: the end of 9999 (UTC ms). */
#define IMPORT_CTX_MAX_TIME 253402300799999LL

/* A session as imported, before its id and guid are made unique. */
struct import_session {
	struct session s;       /* id: the one it wants; room: NULL */
	int day;                /* its day in the file, or -1 */
	char *label;            /* names it in warnings */
	int dropped;            /* the same listing twice: left out */
	size_t next_same;       /* the next session with the same guid, or SIZE_MAX */
};

/* A conference day as the file gives it. */
struct import_day {
	int y, mo, d;           /* its date; y = 0 when unknown */
	int has_start;
	int64_t start_ms;
	int change_s;           /* before this local time, an event is on the next date */
};

/* Events a warning is about: how many, and the names of the first ones. */
struct import_note {
	size_t n;
	struct import_buf names;
};

struct import_ctx {
	char *name;
	char *opt_zone;
	const struct import_kinds *kinds;
	enum import_format format;
	char *title;
	char *zone;
	int day_change;         /* minutes */
	struct import_day *days;
	size_t ndays, daycap;
	struct import_session *sessions;
	size_t n, cap;
	char **warnings;
	size_t nwarnings;
	struct import_note skipped, cut_desc, cut_title, cut_speakers, cut_other;
	char *error;
};

/* Counts an event in note, naming it (with why, when given) if it is among the first. */
void import_ctx_note_add(struct import_note *note, const char *label, const char *why);

#endif
