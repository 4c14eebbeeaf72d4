/* program.h: the conference program (schedule): sessions with kind, time and speakers.
 *
 * One JSON shape serves both the program file (doc/PROGRAM.md) and the wire (the
 * "program" object of doc/PROTOCOL.md). Times are UTC instants; in a file they may be
 * written as ISO 8601 strings with an offset, on the wire they are integer milliseconds.
 * The conference's IANA time-zone name groups sessions into days and formats times. */
#ifndef CONFAB_PROGRAM_H
#define CONFAB_PROGRAM_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

enum session_kind {
	SK_PANEL = 0,
	SK_TALK,
	SK_LIGHTNING,   /* lightning talks (5-minute talks) */
	SK_PITCHES,     /* pitches (2-minute pitches) */
	SK_DISCUSSION,  /* open discussion: gets a chat room of its own */
	SK_BREAK,
	SK__COUNT
};

/* Wire names: "panel", "talk", "lightning", "pitches", "discussion", "break". */
const char *session_kind_name(enum session_kind kind);
/* Human label for display, translated ("panel", "lightning talks", ...). */
const char *session_kind_label(enum session_kind kind);
/* Returns 0 and sets *kind, or -1 when name is not a kind. */
int session_kind_parse(const char *name, enum session_kind *kind);

struct session {
	char *id;          /* unique, [a-z0-9_-], 1..32 bytes */
	char *title;
	enum session_kind kind;
	int64_t start_ms;  /* UTC */
	int64_t end_ms;    /* UTC, > start_ms */
	char *description; /* may be "" */
	char **speakers;
	size_t nspeakers;
	char *room;        /* chat room id for this session, or NULL */
	/* Optional, from imported programs (NULL when absent): */
	char *guid;        /* stable identity, unique in the program (an export's guid or
	                    * UID, else its event id, else a hash), <= PROGRAM_MAX_GUID */
	char *location;    /* where it takes place: a hall or stage (frab "room"); not a
	                    * chat room */
	char *track;       /* the track it belongs to */
	char *url;         /* its page on the conference's site */
};

struct program {
	char *title;
	char *timezone;    /* IANA name, e.g. "America/New_York" */
	char *version;     /* content hash, hex; changes whenever the program does */
	struct session *sessions; /* sorted by start, then id */
	size_t nsessions;
	/* Conference days: the UTC instants at which each day begins, ascending. A day runs
	 * until the next one begins (the last one for at least 24 hours, and at least until
	 * its last session ends) and holds at least one session. A conference day is a unit
	 * (frab's "day change"): a session after midnight may belong to the day before. */
	int64_t *days;
	size_t ndays;
};

/* Limits that a program must respect. */
#define PROGRAM_MAX_SESSIONS 2000
#define PROGRAM_MAX_TITLE 200
#define PROGRAM_MAX_DESCRIPTION 4000
#define PROGRAM_MAX_SPEAKERS 32
#define PROGRAM_MAX_SPEAKER 100
#define PROGRAM_MAX_GUID 200
#define PROGRAM_MAX_LOCATION 100
#define PROGRAM_MAX_TRACK 100
#define PROGRAM_MAX_URL 1000
/* When no "days" are given, a conference day begins at this local time (minutes after
 * midnight, in the program's zone): sessions before 04:00 belong to the day before. */
#define PROGRAM_DAY_CHANGE_DEFAULT (4 * 60)

/* Builds a program from obj (borrowed). Returns a new program, or NULL with *cause set to a
 * new string that says what is wrong and where (e.g. "sessions[3].end: before start"). */
struct program *program_from_json(const json_t *obj, char **cause);
/* Loads a program file (confab's JSON format). NULL with *cause on error. */
struct program *program_load_file(const char *path, char **cause);
/* Returns a new reference: the wire form (times in ms), including "version". */
json_t *program_to_json(const struct program *p);
/* Returns a new reference: one session in the wire form (as in program_to_json). */
json_t *program_session_to_json(const struct session *s);
/* Frees the strings of session s (not s itself) and zeroes it. */
void program_session_clear(struct session *s);
/* A deep copy. */
struct program *program_copy(const struct program *p);
void program_free(struct program *p);

/* Moves every session by delta_ms (e.g. to make the demo run live) and updates version. */
void program_shift(struct program *p, int64_t delta_ms);

/* Borrowed pointer to the session with this id, or NULL. */
const struct session *program_find(const struct program *p, const char *id);
/* First session running at now_ms (start <= now < end), or NULL. */
const struct session *program_current(const struct program *p, int64_t now_ms);
/* First session starting after now_ms, or NULL. */
const struct session *program_next(const struct program *p, int64_t now_ms);

/* Days: the conference days (see struct program), in order. Fills up to max day starts
 * (UTC ms) and returns how many it filled; with day_starts NULL, returns the total
 * number of days. */
size_t program_days(const struct program *p, int64_t *day_starts, size_t max);
/* Index into program_days() of the day of session s, or -1. */
int program_day_index(const struct program *p, const struct session *s);
/* Index of the conference day that instant ms falls in, or -1 (before the first day,
 * after the last one). */
int program_day_at(const struct program *p, int64_t ms);
/* The instant that names day i (its first session's start: format it in the program's
 * zone for the day's date), or -1 when there is no day i. */
int64_t program_day_label_ms(const struct program *p, size_t i);

#endif
