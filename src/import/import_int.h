/* import_int.h: what the readers of src/import share: the program builder (import_ctx.c)
 * that turns events, as read from an export, into sessions, and the readers' time
 * parsing (import_time.c). Not for use outside src/import and its tests. */
#ifndef CONFAB_IMPORT_INT_H
#define CONFAB_IMPORT_INT_H

#include <stdint.h>

#include <jansson.h>

#include "import/import.h"

/* How a reader names the place of a problem in its file. */
enum import_style {
	IMPORT_STYLE_JSON = 0,  /* a JSON path: schedule.conference.days[1].rooms["A"][3] */
	IMPORT_STYLE_XML,       /* a line, and the event's id */
	IMPORT_STYLE_ICAL       /* a line, and the event's UID */
};

/* The time fields of a frab event, for the line of each in an XML file. */
enum import_tfield {
	IMPORT_T_DATE = 0,
	IMPORT_T_START,
	IMPORT_T_DURATION,
	IMPORT_T_END,
	IMPORT_T__COUNT
};

/* One event as a reader found it: new strings (NULL when absent), not cleaned yet. The
 * reader fills it, hands it to import_ctx_add_event and clears it. */
struct import_event {
	enum import_style style;
	const char *where;     /* JSON: the event's path; XML, iCal: its id or UID */
	long line;             /* XML, iCal: the line where it begins */
	long lines[IMPORT_T__COUNT]; /* XML: the line of each time field (0: unknown) */
	int day;               /* index of its day (import_ctx_add_day), or -1 */

	char *guid, *id, *code, *slug;
	char *title, *subtitle, *type, *track, *location, *url;
	char *abstract, *description;
	char **persons;
	size_t npersons;
	char **links;          /* "title (url)" or "url", one per link */
	size_t nlinks;

	/* Times: either the reader knows the instants (iCal) ... */
	int has_times;
	int64_t start_ms, end_ms;
	/* ... or the frab fields say them (text as in the file). */
	char *date, *start, *duration, *end;
};

/* The state of one import: options, the program so far, warnings, the first error. */
struct import_ctx;

/* A builder for the file name (for messages), options (may be NULL) and format. */
struct import_ctx *import_ctx_create(const char *name, const struct import_options *opts,
    enum import_format format);
void import_ctx_free(struct import_ctx *ctx);

/* The file's name, as given. */
const char *import_ctx_name(const struct import_ctx *ctx);

/* Sets the program's title (cleaned; an empty one falls back to the file's name). */
void import_ctx_set_title(struct import_ctx *ctx, const char *title);

/* Sets the zone the file names (may be NULL), found at path (for messages): checks it,
 * lets --timezone win, and asks for --timezone when neither names one. 0, or -1. */
int import_ctx_set_zone(struct import_ctx *ctx, const char *zone, const char *path);
/* The program's zone (NULL before import_ctx_set_zone). */
const char *import_ctx_zone(const struct import_ctx *ctx);

/* Sets the local time (minutes after midnight) before which a frab event of a day is on
 * the next calendar day, for days without a day_start (default 04:00). */
void import_ctx_set_day_change(struct import_ctx *ctx, int minutes);

/* Adds a conference day: its date (y, mo, d; y = 0 when unknown) and the instant it
 * begins (has_start). Returns its index. */
int import_ctx_add_day(struct import_ctx *ctx, int y, int mo, int d, int has_start,
    int64_t start_ms);

/* Adds an event (borrowed): computes its times, cleans its text, finds its kind and
 * identity; leaves it out (counted and named later) when it cannot be scheduled.
 * Returns 0, or -1 after import_ctx_fail when the file cannot be used. */
int import_ctx_add_event(struct import_ctx *ctx, struct import_event *ev);

/* Leaves an event out for reason (translated); label names it (its id or title). */
void import_ctx_skip(struct import_ctx *ctx, const char *label, const char *reason);

/* Adds a warning (printf-style, already translated). */
void import_ctx_warn(struct import_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Records the error that stops the import (the first one wins): "NAME: message" when
 * line is 0, else "NAME:LINE: message". */
void import_ctx_fail(struct import_ctx *ctx, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same with a JSON path: "NAME: PATH: message". */
void import_ctx_fail_path(struct import_ctx *ctx, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* True once an error was recorded. */
int import_ctx_failed(const struct import_ctx *ctx);

/* Builds the program: derives ids, settles the days, checks the limits. Fills report (may
 * be NULL). Returns a new program, or NULL with *cause set to the recorded error. */
struct program *import_finish(struct import_ctx *ctx, struct import_report *report,
    char **cause);
/* Hands over the recorded error (new string; NULL when none) and the report, for a
 * reader that gives up before import_finish. */
char *import_finish_error(struct import_ctx *ctx, struct import_report *report);

/* Frees the strings of ev and zeroes it. */
void import_ctx_event_clear(struct import_event *ev);
/* Appends a new copy of s to the list *v of *n strings. */
void import_ctx_strv_add(char ***v, size_t *n, const char *s);

/* Readers: each reads one format into ctx (the XML and iCalendar text NUL-terminated);
 * 0, or -1 after import_ctx_fail. */
int import_frab_read(struct import_ctx *ctx, const json_t *root);
int import_xml_read(struct import_ctx *ctx, const char *data, size_t len);
int import_ical_read(struct import_ctx *ctx, const char *data, size_t len);

/* --- import_time.c: times as exports write them --- */

/* A civil date and time, maybe with a UTC offset. */
struct import_civil {
	int y, mo, d, h, mi, s;
	int has_time;          /* a time of day was given */
	int has_offset;        /* Z or +HH:MM was given */
	int offset_min;        /* east of UTC, in minutes */
};

/* Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" with an optional "Z", "+HH:MM",
 * "+HHMM" or "+HH" (a space may stand for the "T"). 0, or -1 when malformed. */
int import_time_datetime(const char *s, struct import_civil *c);
/* The instant of c: its offset, or else local time in zone. 0, or -1. */
int import_time_civil_ms(const struct import_civil *c, const char *zone, int64_t *ms);
/* Parses a time of day "H:MM", "HH:MM" or "HH:MM:SS" into seconds after midnight. */
int import_time_clock(const char *s, int *seconds);
/* Parses a duration into ms (0 is allowed): "H:MM", "HH:MM", "HH:MM:SS", "D:HH:MM" (three
 * fields whose first is one digit from 1 to 9 and second at most 23: days, hours,
 * minutes), or whole minutes; at most a week. 0, or -1. */
int import_time_duration(const char *s, int64_t *ms);

/* --- import_buf.c, import_html.c: text --- */

/* A growing string; start it zeroed. */
struct import_buf {
	char *s;
	size_t len, cap;
};

/* Appends n bytes of s (or the string s) to b. */
void import_buf_add(struct import_buf *b, const char *s, size_t n);
void import_buf_adds(struct import_buf *b, const char *s);
/* The text of b as a new string ("" when empty); b is left empty. */
char *import_buf_take(struct import_buf *b);

/* True when s[0..len) (just after a '<') begins a tag that abstracts use ("p", "/a",
 * "br/", ...): a name from import_html.c's list, then white space, '>' or '/'. */
int import_html_tag_at(const char *s, size_t len);
/* HTML s (valid UTF-8) as plain text (not tidied). New string. */
char *import_html_text(const char *s);

#endif
