/* import.h: reads conference programs exported by other software into a struct program.
 *
 * Formats, told apart by their content (doc/PROGRAM.md, "Importing programs"):
 *   - frab / c3voc / pretalx "schedule.json",
 *   - frab / Pentabarf XML ("schedule.xml": FOSDEM, DebConf, the CCC congresses),
 *   - iCalendar (.ics: the VEVENTs),
 *   - confab's own program format (doc/PROGRAM.md).
 * Titles, abstracts and names are cleaned up into plain text (import_text.h); each
 * session gets a kind (import_kinds.h), a short id to type and a stable identity (guid).
 * A file that cannot be used is refused as a whole, with a message that names the file
 * and the line or JSON path; events that are well formed but cannot be scheduled (all-day
 * events, zero durations) are left out and named in one warning. No lws, no curses. */
#ifndef CONFAB_IMPORT_H
#define CONFAB_IMPORT_H

#include <stddef.h>

#include "model/program.h"

struct import_kinds;

/* Largest file read by import_program_file (real exports of large events run to a few
 * MiB; a program is at most PROGRAM_MAX_SESSIONS sessions anyway). */
#define IMPORT_MAX_FILE (16 * 1024 * 1024)
/* Largest program an import may give, in confab's compact JSON (its wire form): as large as
 * a confab program file may be, and well within what clients accept (doc/PROTOCOL.md). */
#define IMPORT_MAX_PROGRAM (4 * 1024 * 1024)

enum import_format {
	IMPORT_FORMAT_CONFAB = 0,  /* confab-program-1 */
	IMPORT_FORMAT_FRAB_JSON,   /* frab / c3voc / pretalx schedule.json */
	IMPORT_FORMAT_FRAB_XML,    /* frab / Pentabarf schedule.xml */
	IMPORT_FORMAT_ICAL         /* iCalendar */
};

struct import_options {
	/* The conference's IANA time zone: needed when the file names none (FOSDEM's XML,
	 * many .ics files); when the file names another, this one wins (with a warning).
	 * NULL: the file's. */
	const char *timezone;
	/* The kinds mapping (borrowed), or NULL for the built-in one. */
	const struct import_kinds *kinds;
};

/* What an import found, besides the program. */
struct import_report {
	enum import_format format;
	char **warnings;           /* new strings, one message each, already translated */
	size_t nwarnings;
	size_t nskipped;           /* events left out (they are named in one warning) */
};

/* English name of a format ("frab schedule.json", ...), translated. */
const char *import_format_name(enum import_format format);

/* Frees the contents of a report (not the report itself) and zeroes it. Safe on NULL. */
void import_report_clear(struct import_report *report);

/* Reads a program from data[0..len) (need not be NUL-terminated; any bytes are safe: this
 * is the entry point for fuzzing). name is the file name used in messages. opts may be
 * NULL; report, when not NULL, is filled (clear it after). Returns a new program, or NULL
 * with *cause (when not NULL) set to a new string "NAME:LINE: problem" or "NAME: PATH:
 * problem". */
struct program *import_program_from_buffer(const char *data, size_t len, const char *name,
    const struct import_options *opts, struct import_report *report, char **cause);

/* Reads the program file path (at most IMPORT_MAX_FILE bytes), as above. */
struct program *import_program_file(const char *path, const struct import_options *opts,
    struct import_report *report, char **cause);

/* A summary of program p for "confabd --check-program": title, zone, days with their
 * session counts, locations, kinds and the report's warnings, one item per line, in the
 * user's language. Returns a new string. */
char *import_summary(const struct program *p, const struct import_report *report);

#endif
