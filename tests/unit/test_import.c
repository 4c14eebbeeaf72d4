/* test_import.c: unit tests for program import (src/import): each format through the
 * fixtures in tests/fixtures/programs (one per group of quirks), identities and ids,
 * kinds, the warnings, every error with its message (file, line or JSON path, problem),
 * the limits, damaged input, the summary of --check-program and the wire form. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "import/import_int.h"
#include "importfix.h"
#include "util/files.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* Loads fixture name (zone and kinds may be NULL); the report goes to r. */
static struct program *
fixture(const char *name, const char *zone, const struct import_kinds *k,
    struct import_report *r)
{
	char *path = importfix_fixture(name);
	struct program *p = importfix_load(path, zone, k, r);

	free(path);
	return p;
}

/* frab times: date, or the day's date and start with the day change; every duration
 * form; end instead of duration; another zone; across midnight and the change to summer
 * time; day index from 0 and as a string; day_end equal to day_start. */
static void
test_frab_times(void **state)
{
	struct import_report r;
	struct program *p = fixture("frab-times.json", NULL, NULL, &r);
	char a[64], b[64];

	(void)state;
	assert_string_equal(p->title, "Quirk Camp 2024: times");
	assert_string_equal(p->timezone, "Europe/Berlin");
	assert_int_equal(p->nsessions, 7);
	importfix_when(p, "101", "2024-03-30 10:00 CET", "2024-03-30 10:45 CET");
	importfix_when(p, "102", "2024-03-30 23:30 CET", "2024-03-31 00:30 CET");
	importfix_when(p, "103", "2024-03-31 01:30 CET", "2024-03-31 04:30 CEST");
	assert_int_equal(importfix_session(p, "103")->end_ms -
	    importfix_session(p, "103")->start_ms, 2 * 3600000LL);
	importfix_when(p, "104", "2024-03-31 10:00 CEST", "2024-03-31 10:20 CEST");
	assert_int_equal(importfix_session(p, "104")->end_ms -
	    importfix_session(p, "104")->start_ms, 1230000);
	importfix_when(p, "105", "2024-03-31 18:00 CEST", "2024-03-31 19:00 CEST");
	importfix_when(p, "106", "2024-03-31 12:00 CEST", "2024-04-01 14:00 CEST");
	importfix_when(p, "107", "2024-03-31 20:00 CEST", "2024-03-31 21:15 CEST");
	/* the file's days: the night after midnight stays on the first one */
	assert_int_equal(p->ndays, 2);
	assert_string_equal(importfix_local(p, p->days[0], a, sizeof a), "2024-03-30 09:00 CET");
	assert_string_equal(importfix_local(p, p->days[1], b, sizeof b), "2024-03-31 09:00 CEST");
	assert_int_equal(program_day_index(p, importfix_session(p, "103")), 0);
	assert_int_equal(program_day_index(p, importfix_session(p, "104")), 1);
	/* identity: guid, else the id */
	assert_string_equal(importfix_session(p, "101")->guid,
	    "6f3c0d0e-0000-4000-8000-000000000101");
	assert_string_equal(importfix_session(p, "102")->guid, "id:102");
	assert_string_equal(importfix_session(p, "103")->guid, "id:103");
	assert_string_equal(importfix_session(p, "101")->location, "Saal 1");
	assert_string_equal(importfix_session(p, "101")->track, "Camp");
	assert_null(importfix_session(p, "102")->track);
	assert_string_equal(importfix_session(p, "102")->speakers[0], "Nox");
	/* what cannot be scheduled: left out, named in one warning */
	assert_int_equal(r.format, IMPORT_FORMAT_FRAB_JSON);
	assert_int_equal(r.nskipped, 2);
	assert_int_equal(r.nwarnings, 1);
	assert_string_equal(r.warnings[0], "left out 2 events: 108 \"Marker without a duration\" "
	    "(no duration), 109 (no title)");
	import_report_clear(&r);
	program_free(p);
}

/* Identities and ids: guid, id, code, slug or hash; clashes and the lobby; the same event
 * in two rooms stays two sessions, listed twice in one room it is left out. */
static void
test_frab_identity(void **state)
{
	struct import_report r;
	struct program *p = fixture("frab-identity.json", NULL, NULL, &r), *q;
	const struct session *s;
	size_t i;

	(void)state;
	assert_int_equal(p->nsessions, 9);
	assert_string_equal(importfix_session(p, "7")->title, "Opening");
	assert_string_equal(importfix_session(p, "8")->location, "Main Hall");
	s = importfix_session(p, "8-2");
	assert_string_equal(s->location, "Room B");
	assert_string_equal(s->title, "Joint session");
	assert_string_equal(s->guid, "a1b2c3d4-0000-4000-8000-000000000008#2");
	assert_string_equal(importfix_session(p, "9")->guid, "id:9");
	assert_string_equal(importfix_session(p, "xyz789")->guid, "code:XYZ789");
	assert_string_equal(importfix_session(p, "qc24-mixed_case-slug")->title, "Only a slug");
	assert_int_equal(strncmp(importfix_session(p, "qc24-mixed_case-slug")->guid, "hash:",
	    5), 0);
	s = importfix_session(p, "lobby-2");
	assert_int_equal(s->kind, SK_DISCUSSION);
	assert_null(s->room);           /* its chat room is its id, lobby-2 */
	assert_string_equal(importfix_session(p, "7-2")->title, "Same id as the opening");
	for (i = 0; i < p->nsessions; i++) {
		s = &p->sessions[i];
		if (strcmp(s->title, "Anonymous") == 0) {
			assert_int_equal(strlen(s->id), 8);
			assert_int_equal(strspn(s->id, "0123456789abcdef"), 8);
		}
		/* every id is a valid room id too */
		assert_true(strlen(s->id) <= 32 && strspn(s->id,
		    "abcdefghijklmnopqrstuvwxyz0123456789_-") == strlen(s->id));
		assert_true(s->id[0] != '-' && s->id[0] != '_');
	}
	assert_int_equal(r.nwarnings, 1);
	assert_string_equal(r.warnings[0], "left out 1 event: 8 \"Joint session\" (listed twice)");
	import_report_clear(&r);
	/* the same file gives the same ids, guids and version every time */
	q = fixture("frab-identity.json", NULL, NULL, NULL);
	assert_string_equal(p->version, q->version);
	program_free(q);
	program_free(p);
}

/* Text: HTML, escaped HTML, Markdown, plain text with links; persons of every shape;
 * links; no url or a relative one; a repeated abstract; an abstract over the limit. */
static void
test_frab_text(void **state)
{
	struct import_report r;
	struct program *p = fixture("frab-text.json", NULL, NULL, &r);
	const struct session *s;

	(void)state;
	assert_string_equal(p->title, "Text & Markup Day");
	s = importfix_session(p, "201");
	assert_string_equal(s->title, "Trailing spaces");
	assert_string_equal(s->description, "First para with a link (https://example.org/x)."
	    "\n\nSecond para:\n\n- one\n- two & three\n\n- Slides (https://example.org/slides)");
	assert_int_equal(s->nspeakers, 4);
	assert_string_equal(s->speakers[0], "Ada Lovelace");
	assert_string_equal(s->speakers[1], "Grace Hopper");
	assert_string_equal(s->speakers[2], "Alan Turing");
	assert_string_equal(s->speakers[3], "Plain Name");
	assert_string_equal(s->url, "https://example.org/events/201");
	assert_string_equal(s->location, "Auditório");
	s = importfix_session(p, "202");
	assert_string_equal(s->description, "A subtitle\n\nEscaped & shown\n\nLine\nbreak");
	assert_null(s->url);
	s = importfix_session(p, "203");
	assert_string_equal(s->description, "Heading\n\nSome bold and em text with a link "
	    "(https://example.org/md) and code.\n\n- item one\n- item two\n\n1. first\n"
	    "2. second\n\nsnake_case_stays and 2 * 3 = 6.");
	assert_string_equal(s->speakers[0], "Pretalx Person");
	s = importfix_session(p, "204");
	assert_string_equal(s->title, "Q&A <live>");
	assert_string_equal(s->description, "Intro with a tool (https://example.org/a).\n\n"
	    "Second paragraph.\nSame paragraph line.");
	assert_null(s->url);            /* relative: left out */
	assert_string_equal(importfix_session(p, "205")->description, "Short.\n\nLonger text.");
	s = importfix_session(p, "206");
	assert_true(strlen(s->description) <= PROGRAM_MAX_DESCRIPTION);
	assert_true(strlen(s->description) > PROGRAM_MAX_DESCRIPTION - 100);
	assert_string_equal(s->description + strlen(s->description) - 3, "\xe2\x80\xa6");
	assert_int_equal(r.nwarnings, 1);
	assert_string_equal(r.warnings[0], "cut 1 description to 4000 bytes: 206 \"A very long "
	    "abstract\"");
	import_report_clear(&r);
	program_free(p);
}

/* Kinds: the built-in mapping on a frab file, then a kinds file before it. */
static void
test_frab_kinds(void **state)
{
	static const struct {
		const char *id;
		enum session_kind builtin, file;
	} want[] = {
		{ "301", SK_TALK, SK_BREAK }, { "302", SK_LIGHTNING, SK_LIGHTNING },
		{ "303", SK_LIGHTNING, SK_LIGHTNING }, { "304", SK_PANEL, SK_PANEL },
		{ "305", SK_PANEL, SK_PANEL }, { "306", SK_DISCUSSION, SK_DISCUSSION },
		{ "307", SK_DISCUSSION, SK_DISCUSSION }, { "308", SK_DISCUSSION, SK_DISCUSSION },
		{ "309", SK_BREAK, SK_BREAK }, { "310", SK_PITCHES, SK_PITCHES },
		{ "311", SK_TALK, SK_DISCUSSION }, { "312", SK_DISCUSSION, SK_DISCUSSION },
		{ "313", SK_PANEL, SK_PANEL }, { "314", SK_TALK, SK_TALK },
	};
	struct import_kinds *k;
	struct program *p, *q;
	char *path = importfix_fixture("kinds.txt"), *cause = NULL;
	size_t i;

	(void)state;
	k = import_kinds_load(path, &cause);
	if (k == NULL)
		fail_msg("%s", cause);
	free(path);
	p = fixture("frab-kinds.json", NULL, NULL, NULL);
	q = fixture("frab-kinds.json", NULL, k, NULL);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		if (importfix_session(p, want[i].id)->kind != want[i].builtin)
			fail_msg("%s: not %s", want[i].id, session_kind_name(want[i].builtin));
		if (importfix_session(q, want[i].id)->kind != want[i].file)
			fail_msg("%s with kinds.txt: not %s", want[i].id,
			    session_kind_name(want[i].file));
	}
	import_kinds_free(k);
	program_free(p);
	program_free(q);
}

/* pretalx's schedule.json: persons with code, name and biography; Markdown; a panel
 * after midnight; New York. */
static void
test_pretalx(void **state)
{
	struct import_report r;
	struct program *p = fixture("pretalx.json", NULL, NULL, &r);
	const struct session *s;

	(void)state;
	assert_string_equal(p->timezone, "America/New_York");
	assert_int_equal(p->nsessions, 2);
	s = importfix_session(p, "1401");
	assert_string_equal(s->guid, "0d0f0e0a-2222-4000-8000-000000000001");
	assert_string_equal(s->description, "Why every conference needs an export.\n\nA "
	    "description with a list:\n\n- one\n- two\n\nAnd a link (https://example.org/keynote).");
	assert_string_equal(s->speakers[0], "Kim Keynote");
	assert_string_equal(s->url, "https://pretalx.example.org/qc24/talk/R9AHJX/");
	s = importfix_session(p, "1402");
	assert_int_equal(s->kind, SK_PANEL);
	assert_int_equal(s->nspeakers, 2);
	importfix_when(p, "1402", "2024-10-05 23:45 EDT", "2024-10-06 00:15 EDT");
	assert_int_equal(p->ndays, 1);
	assert_int_equal(r.nwarnings, 0);
	import_report_clear(&r);
	program_free(p);
}

/* FOSDEM's XML: no dates, guids or zone: --timezone is asked for; the day change. */
static void
test_fosdem_xml(void **state)
{
	struct import_report r;
	struct program *p;
	char *path = importfix_fixture("fosdem.xml"), *text, *cause, *want;
	const struct session *s;
	char a[64];
	size_t len;

	(void)state;
	text = files_read_plain(path, 1 << 20, &len, NULL);
	cause = importfix_error(text, len, path, NULL);
	want = xasprintf("%s: the file names no time zone (<time_zone_name> in <conference>): "
	    "give the conference's with --timezone ZONE, e.g. --timezone Europe/Brussels", path);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	free(text);
	p = importfix_load(path, "Europe/Brussels", NULL, &r);
	free(path);
	assert_int_equal(r.format, IMPORT_FORMAT_FRAB_XML);
	assert_string_equal(p->title, "FOSDEM-like 2024");
	assert_int_equal(p->nsessions, 3);
	importfix_when(p, "2001", "2024-02-03 09:30 CET", "2024-02-03 09:55 CET");
	importfix_when(p, "2003", "2024-02-04 16:45 CET", "2024-02-04 17:45 CET");
	s = importfix_session(p, "2001");
	assert_string_equal(s->guid, "id:2001");
	assert_string_equal(s->description, "Welcome & opening talk.\n\nSee the site "
	    "(https://example.org/fosdem).\n\n- Video recording (WebM/VP9) "
	    "(https://video.example.org/2001.webm)");
	assert_string_equal(s->speakers[0], "Staff Member");
	assert_string_equal(s->track, "Keynotes");
	assert_int_equal(importfix_session(p, "2002")->kind, SK_LIGHTNING);
	assert_string_equal(importfix_session(p, "2002")->location, "H.1302 (Depage)");
	assert_int_equal(importfix_session(p, "2002")->nspeakers, 2);
	assert_int_equal(importfix_session(p, "2003")->kind, SK_DISCUSSION);
	/* days begin at the conference's day change */
	assert_int_equal(p->ndays, 2);
	assert_string_equal(importfix_local(p, p->days[1], a, sizeof a), "2024-02-04 09:00 CET");
	import_report_clear(&r);
	program_free(p);
}

/* 31C3-style XML: <date> in UTC while <start> is local, with and without "Z". */
static void
test_frab_xml(void **state)
{
	struct program *p = fixture("frab-31c3.xml", NULL, NULL, NULL);
	const struct session *s;

	(void)state;
	assert_string_equal(p->title, "Test Congress 31");
	assert_int_equal(p->nsessions, 5);
	importfix_when(p, "6573", "2014-12-27 11:00 CET", "2014-12-27 11:30 CET");
	importfix_when(p, "6574", "2014-12-28 00:15 CET", "2014-12-28 01:15 CET");
	importfix_when(p, "6575", "2014-12-27 12:30 CET", "2014-12-27 13:15 CET");
	importfix_when(p, "6576", "2014-12-27 14:00 CET", "2014-12-27 14:30 CET");
	importfix_when(p, "6577", "2014-12-28 12:00 CET", "2014-12-28 13:00 CET");
	assert_int_equal(program_day_index(p, importfix_session(p, "6574")), 0);
	s = importfix_session(p, "6573");
	assert_int_equal(s->nspeakers, 2);
	assert_string_equal(s->speakers[1], "Geraldine de Bastion");
	assert_string_equal(s->guid, "b0b0b0b0-3131-4000-8000-000000006573");
	s = importfix_session(p, "6577");
	assert_int_equal(s->kind, SK_PANEL);
	assert_string_equal(s->track, "Ethics, Society & Politics");
	assert_string_equal(s->description, "Escaped");
	program_free(p);
}

/* iCalendar: VTIMEZONE, IANA TZID, UTC and floating times, folded lines, escapes,
 * DURATION, attendees and organizer, all-day and cancelled events left out. */
static void
test_ical(void **state)
{
	struct import_report r;
	struct program *p = fixture("conf.ics", NULL, NULL, &r);
	const struct session *s;

	(void)state;
	assert_int_equal(r.format, IMPORT_FORMAT_ICAL);
	assert_string_equal(p->title, "iCal Test Conference");
	assert_string_equal(p->timezone, "Europe/Berlin");
	assert_int_equal(p->nsessions, 6);
	s = importfix_session(p, "opening-2024");
	assert_string_equal(s->title, "Opening of the iCal Test Conference, with a title folded "
	    "over two lines");
	assert_string_equal(s->description, "First line, with a comma; and a semicolon.\n"
	    "Second line.");
	assert_string_equal(s->guid, "opening-2024@ical.example.org");
	assert_string_equal(s->location, "Hall A");
	assert_string_equal(s->track, "Keynote");
	assert_string_equal(s->url, "https://ical.example.org/opening");
	assert_int_equal(s->nspeakers, 2);
	assert_string_equal(s->speakers[0], "Ann Speaker");
	assert_string_equal(s->speakers[1], "Bob Speaker");
	importfix_when(p, "opening-2024", "2024-03-30 10:00 CET", "2024-03-30 11:00 CET");
	importfix_when(p, "night", "2024-03-30 23:30 CET", "2024-03-31 01:00 CET");
	importfix_when(p, "dst", "2024-03-31 01:30 CET", "2024-03-31 03:30 CEST");
	s = importfix_session(p, "dst");
	assert_int_equal(s->end_ms - s->start_ms, 3600000);
	assert_string_equal(s->speakers[0], "Only Organizer");
	importfix_when(p, "utc", "2024-03-31 10:00 CEST", "2024-03-31 11:00 CEST");
	assert_int_equal(importfix_session(p, "utc")->kind, SK_LIGHTNING);
	importfix_when(p, "floating", "2024-03-31 14:00 CEST", "2024-03-31 15:00 CEST");
	assert_int_equal(importfix_session(p, "floating")->kind, SK_DISCUSSION);
	importfix_when(p, "remote", "2024-03-31 16:00 CEST", "2024-03-31 17:00 CEST");
	assert_string_equal(importfix_session(p, "remote")->description, "HTML in a calendar: "
	    "NY (https://example.org/ny)");
	/* days by the default day change (04:00): the night stays on Saturday */
	assert_int_equal(p->ndays, 2);
	assert_int_equal(program_day_index(p, importfix_session(p, "dst")), 0);
	assert_int_equal(r.nwarnings, 1);
	assert_string_equal(r.warnings[0], "left out 2 events: allday@ical.example.org "
	    "\"Hackspace open all day\" (all-day event), cancelled@ical.example.org \"Cancelled "
	    "talk\" (cancelled)");
	import_report_clear(&r);
	program_free(p);
	/* --timezone wins over the file's, and floating times follow it */
	p = fixture("conf.ics", "America/New_York", NULL, &r);
	assert_string_equal(p->timezone, "America/New_York");
	importfix_when(p, "floating", "2024-03-31 14:00 EDT", "2024-03-31 15:00 EDT");
	assert_non_null(importfix_warning(&r, "--timezone America/New_York replaces the time "
	    "zone of the file, Europe/Berlin"));
	import_report_clear(&r);
	program_free(p);
}

/* Imports text as name and returns the program (failing the test when refused). */
static struct program *
from_text(const char *text, const char *name, const char *zone, struct import_report *r)
{
	struct import_options opts;
	struct program *p;
	char *cause = NULL;

	memset(&opts, 0, sizeof opts);
	opts.timezone = zone;
	p = import_program_from_buffer(text, strlen(text), name, &opts, r, &cause);
	if (p == NULL)
		fail_msg("%s", cause);
	return p;
}

#define ICAL_HEAD "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//t//EN\n"
#define ICAL_EVENT(uid, start) "BEGIN:VEVENT\nUID:" uid "\nDTSTART" start "\n"

/* iCalendar without X-WR-TIMEZONE or VTIMEZONE; prefixed TZIDs; LF lines and a BOM;
 * repeating events and events without an end; the file's name as title. */
static void
test_ical_variants(void **state)
{
	struct import_report r;
	struct program *p;

	(void)state;
	p = from_text("\xef\xbb\xbf" ICAL_HEAD ICAL_EVENT("a@x", ";TZID=Asia/Tokyo:20240601T100000")
	    "DTEND;TZID=Asia/Tokyo:20240601T110000\nSUMMARY:Tokyo\nEND:VEVENT\n"
	    ICAL_EVENT("b@x", ";TZID=/freeassociation.sourceforge.net/Tzfile/Asia/Tokyo:"
	    "20240601T120000") "DURATION:PT45M\nSUMMARY:Prefixed\nEND:VEVENT\n"
	    ICAL_EVENT("c@x", ":20240601T130000") "RRULE:FREQ=DAILY;COUNT=3\nDURATION:PT1H\n"
	    "SUMMARY:Daily\nEND:VEVENT\n" ICAL_EVENT("d@x", ":20240601T140000")
	    "SUMMARY:Endless\nEND:VEVENT\nEND:VCALENDAR\n", "dir/talks.ics", NULL, &r);
	assert_string_equal(p->title, "talks");
	assert_string_equal(p->timezone, "Asia/Tokyo");
	assert_int_equal(p->nsessions, 2);
	importfix_when(p, "a", "2024-06-01 10:00 JST", "2024-06-01 11:00 JST");
	importfix_when(p, "b", "2024-06-01 12:00 JST", "2024-06-01 12:45 JST");
	assert_string_equal(r.warnings[0], "left out 2 events: c@x \"Daily\" (repeats (RRULE)), "
	    "d@x \"Endless\" (no end (DTEND or DURATION))");
	import_report_clear(&r);
	program_free(p);
	/* floating times and no zone: --timezone is asked for, then used */
	importfix_refused(ICAL_HEAD ICAL_EVENT("a@x", ":20240601T100000") "DURATION:PT1H\n"
	    "SUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n", "f.ics", NULL, "f.ics: the file names no "
	    "time zone (X-WR-TIMEZONE, or the TZID of DTSTART): give the conference's with "
	    "--timezone ZONE, e.g. --timezone Europe/Brussels");
	p = from_text(ICAL_HEAD ICAL_EVENT("a@x", ":20240601T100000") "DURATION:PT1H\n"
	    "SUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n", "f.ics", "Pacific/Kiritimati", NULL);
	importfix_when(p, "a", "2024-06-01 10:00 +14", "2024-06-01 11:00 +14");
	program_free(p);
	/* a second calendar in the file is not read, and the warning says so */
	p = from_text(ICAL_HEAD "END:VCALENDAR\r\n\r\nBEGIN:VCALENDAR\r\nX:1\r\n", "two.ics",
	    "UTC", &r);
	assert_int_equal(p->nsessions, 0);
	assert_non_null(importfix_warning(&r, "only the first VCALENDAR of the file is read"));
	import_report_clear(&r);
	program_free(p);
}

/* confab's own format passes through program_from_json, with --timezone. */
static void
test_confab_format(void **state)
{
	const char *srcdir = getenv("CONFAB_SRCDIR");
	struct import_kinds *k = import_kinds_parse("", 0, "k", NULL);
	struct import_options opts;
	struct import_report r;
	struct program *p, *q;
	char *path, *cause = NULL;

	(void)state;
	path = xasprintf("%s/data/ptim2020.json", srcdir != NULL ? srcdir : ".");
	p = importfix_load(path, NULL, NULL, &r);
	assert_int_equal(r.format, IMPORT_FORMAT_CONFAB);
	assert_int_equal(r.nwarnings, 0);
	q = program_load_file(path, &cause);
	assert_non_null(q);
	assert_string_equal(p->version, q->version);
	program_free(q);
	program_free(p);
	import_report_clear(&r);
	memset(&opts, 0, sizeof opts);
	opts.timezone = "Europe/Berlin";
	opts.kinds = k;
	p = import_program_file(path, &opts, &r, &cause);
	assert_non_null(p);
	assert_string_equal(p->timezone, "Europe/Berlin");
	assert_non_null(importfix_warning(&r, "--timezone Europe/Berlin replaces"));
	assert_non_null(importfix_warning(&r, "--kinds does not apply to a confab program"));
	import_report_clear(&r);
	program_free(p);
	free(path);
	import_kinds_free(k);
	importfix_refused("{\"title\":\"T\",\"timezone\":\"UTC\",\"sessions\":[{\"id\":\"A\"}]}",
	    "c.json", NULL, "c.json: sessions[0]: id: \"A\" is not 1 to 32 characters from a-z, "
	    "0-9, '_' and '-'");
	/* a confab program file stays within 4 MiB, as program_load_file wants */
	path = xmalloc(5 * 1024 * 1024);
	memset(path, ' ', 5 * 1024 * 1024 - 1);
	memcpy(path, "{\"sessions\":[]", 14);
	strcpy(path + 5 * 1024 * 1024 - 2, "}");
	importfix_refused(path, "big.json", NULL, "big.json: file is larger than 4 MiB");
	free(path);
}

/* A file that is no program, or broken JSON, XML or iCalendar: the file, the line, the
 * problem. */
static void
test_syntax_errors(void **state)
{
	char deep[2048];
	size_t i;

	(void)state;
	importfix_refused("", "x.json", NULL, "x.json: the file is empty");
	importfix_refused("\xef\xbb\xbf \n\t", "x.json", NULL, "x.json: the file is empty");
	importfix_refused("hello", "x", NULL, "x: not a program: expected JSON (frab/pretalx "
	    "schedule.json or a confab program), XML (a frab/Pentabarf <schedule>) or iCalendar "
	    "(BEGIN:VCALENDAR)");
	importfix_refused("{\n \"schedule\": oops\n}", "x.json", NULL, "x.json:2:17: not valid "
	    "JSON: invalid token near 'oops'");
	importfix_refused("[1, 2]", "x.json", NULL, "x.json: the JSON is not an object: neither "
	    "a frab/pretalx schedule.json nor a confab program");
	importfix_refused("{\"a\": 1}", "x.json", NULL, "x.json: a JSON object with neither "
	    "\"schedule\" (frab/pretalx schedule.json) nor \"sessions\" (confab program)");
	importfix_refused("<?xml version=\"1.0\"?>\n<html><body/></html>", "x.xml", NULL,
	    "x.xml:2: the root element is <html>, not <schedule> (frab/Pentabarf XML)");
	importfix_refused("<schedule>\n<day>\n</schedule>", "x.xml", "UTC", "x.xml:3: not "
	    "well-formed XML: mismatched tag");
	importfix_refused("<schedule><conference><time_zone_name>UTC</time_zone_name>"
	    "</conference>\n\n<day date=\"someday\"/></schedule>", "x.xml", NULL, "x.xml:3: <day>: "
	    "\"someday\" is not a date or a date and time (ISO 8601)");
	strcpy(deep, "<schedule>");
	for (i = 0; i < 40; i++)
		strcat(deep, "<a>");
	importfix_refused(deep, "x.xml", NULL, "x.xml:1: elements nested more than 32 deep");
	importfix_refused("BEGIN:VCALENDAR\r\nBAD LINE\r\nEND:VCALENDAR\r\n", "x.ics", NULL,
	    "x.ics:2: not an iCalendar content line (NAME:VALUE, or NAME;PARAMETER=VALUE:VALUE)");
	importfix_refused("BEGIN:VCALENDAR\r\nX-A;P=\"open:1\r\nEND:VCALENDAR\r\n", "x.ics",
	    NULL, "x.ics:2: not an iCalendar content line (NAME:VALUE, or "
	    "NAME;PARAMETER=VALUE:VALUE)");
	importfix_refused("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n", "x.ics", NULL,
	    "x.ics:3: END:VCALENDAR does not close BEGIN:VEVENT (line 2)");
	importfix_refused("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", "x.ics", NULL, "x.ics:1: "
	    "BEGIN:VCALENDAR is never closed");
	importfix_refused("BEGIN:VCALENDARS\r\nEND:VCALENDARS\r\n", "x.ics", NULL, "x.ics:1: "
	    "expected BEGIN:VCALENDAR");
	strcpy(deep, "BEGIN:VCALENDAR\n");
	for (i = 0; i < 9; i++)
		strcat(deep, "BEGIN:X\n");
	importfix_refused(deep, "x.ics", NULL, "x.ics:9: components nested more than 8 deep");
	importfix_refused("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-A:\xff\r\nEND:VCALENDAR\r\n",
	    "x.ics", NULL, "x.ics:3: not UTF-8 text");
	importfix_refused("begin:vcalendar\nBEGIN:VTODO\n", "x.ics", NULL, "x.ics:1: "
	    "BEGIN:vcalendar is never closed");
}

/* Event errors in iCalendar: the line of the property. */
static void
test_ical_errors(void **state)
{
	(void)state;
	importfix_refused(ICAL_HEAD "X-WR-TIMEZONE:UTC\n\nBEGIN:VEVENT\nUID:u1@x\nSUMMARY:x\n"
	    "DTSTART:tomorrow\nDURATION:PT1H\nEND:VEVENT\nEND:VCALENDAR\n", "x.ics", NULL,
	    "x.ics:9: event u1@x: DTSTART: missing or not a date: Can't parse as DATE-TIME "
	    "value in DTSTART property. Removing entire property: tomorrow");
	importfix_refused(ICAL_HEAD "X-WR-TIMEZONE:UTC\nBEGIN:VEVENT\nUID:u2@x\nSUMMARY:x\n"
	    "DTSTART;TZID=Mars/Base:20240601T100000\nDURATION:PT1H\nEND:VEVENT\nEND:VCALENDAR\n",
	    "x.ics", NULL, "x.ics:8: event u2@x: DTSTART: unknown time zone TZID=Mars/Base (no "
	    "VTIMEZONE in the file, and not an IANA name)");
	importfix_refused(ICAL_HEAD "X-WR-TIMEZONE:UTC\nBEGIN:VEVENT\nUID:u4@x\nSUMMARY:x\n"
	    "DTSTART;TZID=Europe/Berlin:19600601T100000\nDURATION:PT1H\nEND:VEVENT\n"
	    "END:VCALENDAR\n", "x.ics", NULL, "x.ics:8: event u4@x: DTSTART: not a date and "
	    "time from 1970 to 9999");
	importfix_refused(ICAL_HEAD "X-WR-TIMEZONE:UTC\nBEGIN:VEVENT\nUID:u3@x\nSUMMARY:x\n"
	    "DTSTART:20240601T100000Z\nDTEND:20240601T090000Z\nEND:VEVENT\nEND:VCALENDAR\n",
	    "x.ics", NULL, "x.ics:5: event u3@x: end: before the start");
}

/* Asserts that message s is safe to print: valid UTF-8, no C0 control or DEL. */
static void
assert_printable(const char *s)
{
	const unsigned char *p;

	assert_non_null(s);
	assert_true(utf8_valid(s, strlen(s)));
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		assert_true(*p >= 0x20 && *p != 0x7f);
}

/* Found by fuzz_program_import: a raw CR or other control inside an iCalendar line reached
 * the messages (a component's name in "does not close", a title in "left out"), and names
 * were cut in the middle of a character. */
static void
test_ical_messages_printable(void **state)
{
	struct import_report report;
	struct program *p;
	char *err, *text, title[200];
	size_t i;

	(void)state;
	text = xstrdup(ICAL_HEAD "BEGIN:VEVENT\nBEGIN:VALARM\r\003ACTION:DISPLAY\n"
	    "END:VALARM\nEND:VEVENT\nEND:VCALENDAR\n");
	err = importfix_error(text, strlen(text), "x.ics", "UTC");
	free(text);
	assert_non_null(strstr(err, "does not close BEGIN:VALARM"));
	assert_printable(err);
	free(err);
	/* a name of 30 two-byte letters, kept in 31 bytes: cut between characters */
	text = xasprintf(ICAL_HEAD "BEGIN:VEVENT\nBEGIN:%s\nEND:X\nEND:VEVENT\nEND:VCALENDAR\n",
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	err = importfix_error(text, strlen(text), "x.ics", "UTC");
	assert_printable(err);
	free(err);
	free(text);
	/* a cancelled event (left out, named in a warning) whose title holds a CR, and one
	 * whose title is 60 two-byte letters (cut at 50 bytes) */
	for (i = 0; i < 60; i++)
		memcpy(title + 2 * i, "\xd0\x96", 2);
	title[120] = '\0';
	text = xasprintf(ICAL_HEAD "X-WR-TIMEZONE:UTC\n"
	    ICAL_EVENT("c1@x", ":20240601T100000Z") "DURATION:PT1H\nSUMMARY:Cancelled\rtalk\n"
	    "STATUS:CANCELLED\nEND:VEVENT\n"
	    ICAL_EVENT("c2@x", ":20240601T100000Z") "DURATION:PT1H\nSUMMARY:%s\n"
	    "STATUS:CANCELLED\nEND:VEVENT\n"
	    ICAL_EVENT("ok@x", ":20240601T120000Z") "DURATION:PT1H\nSUMMARY:Fine\n"
	    "END:VEVENT\nEND:VCALENDAR\n", title);
	memset(&report, 0, sizeof report);
	p = import_program_from_buffer(text, strlen(text), "x.ics", NULL, &report, NULL);
	assert_non_null(p);
	assert_int_equal(report.nskipped, 2);
	assert_non_null(importfix_warning(&report, "c1@x"));
	assert_non_null(importfix_warning(&report, "c2@x"));
	for (i = 0; i < report.nwarnings; i++)
		assert_printable(report.warnings[i]);
	import_report_clear(&report);
	program_free(p);
	free(text);
}

/* A one-day frab file with events (JSON text) in room "Saal 1" of its second day. */
static char *
frab(const char *zone, const char *events)
{
	return xasprintf("{\"schedule\":{\"conference\":{\"title\":\"T\"%s%s%s,\"days\":["
	    "{\"index\":1,\"date\":\"2024-06-01\",\"rooms\":{}},"
	    "{\"index\":2,\"date\":\"2024-06-02\",\"rooms\":{\"Saal 1\":[%s]}}]}}}",
	    zone != NULL ? ",\"time_zone_name\":\"" : "", zone != NULL ? zone : "",
	    zone != NULL ? "\"" : "", events);
}

#define OK_EVENT "{\"id\":1,\"date\":\"2024-06-02T10:00:00+02:00\",\"duration\":\"01:00\"," \
	"\"title\":\"Fine\"}"

/* Asserts that a frab file with these events (after three good ones) is refused with the
 * message want (which follows "x.json: schedule.conference.days[1].rooms[\"Saal 1\"]"). */
static void
assert_event_refused(const char *event, const char *want)
{
	char *text = frab("Europe/Berlin", event), *full;

	full = xasprintf("x.json: schedule.conference.days[1].rooms[\"Saal 1\"]%s", want);
	importfix_refused(text, "x.json", NULL, full);
	free(full);
	free(text);
}

/* Errors in frab's JSON name their path. */
static void
test_frab_errors(void **state)
{
	char *text;

	(void)state;
	assert_event_refused(OK_EVENT "," OK_EVENT "," OK_EVENT ",{\"id\":4,\"date\":"
	    "\"2024-13-01T10:00\",\"duration\":\"1:00\",\"title\":\"x\"}", "[3].date: "
	    "\"2024-13-01T10:00\" is not a date and time (ISO 8601, such as "
	    "\"2019-08-22T12:00:00+02:00\")");
	assert_event_refused("{\"date\":\"2024-06-02T10:00:00Z\",\"duration\":\"1h\","
	    "\"title\":\"x\"}", "[0].duration: \"1h\" is not a duration (H:MM, HH:MM:SS or "
	    "D:HH:MM, at most a week)");
	assert_event_refused("{\"date\":\"2024-06-02T10:00:00Z\",\"title\":\"x\"}",
	    "[0].duration: missing (and there is no end)");
	assert_event_refused("{\"duration\":\"1:00\",\"title\":\"x\"}", "[0].start: missing "
	    "(and so is the date)");
	assert_event_refused("{\"start\":\"25:00\",\"duration\":\"1:00\",\"title\":\"x\"}",
	    "[0].start: \"25:00\" is not a time of day (HH:MM)");
	assert_event_refused("{\"date\":\"2024-06-02T10:00:00Z\",\"end\":"
	    "\"2024-06-02T09:00:00Z\",\"title\":\"x\"}", "[0].end: before the start");
	assert_event_refused("{\"date\":\"1969-12-31T23:00:00Z\",\"duration\":\"1:00\","
	    "\"title\":\"x\"}", "[0].date: not between 1970 and 9999");
	assert_event_refused("{\"date\":\"9999-12-31T23:00:00Z\",\"duration\":\"2:00\","
	    "\"title\":\"x\"}", "[0].end: not between 1970 and 9999");
	assert_event_refused("42", "[0]: not an object");
	assert_event_refused("{\"title\":{\"en\":\"x\"}}", "[0].title: not a string");
	assert_event_refused("{\"title\":\"x\",\"persons\":\"Ann\"}", "[0].persons: not an "
	    "array");
	importfix_refused("{\"schedule\":{}}", "x.json", NULL, "x.json: schedule.conference: "
	    "missing or not an object");
	importfix_refused("{\"schedule\":[]}", "x.json", NULL, "x.json: schedule: not an "
	    "object");
	importfix_refused("{\"schedule\":{\"conference\":{\"title\":\"T\",\"time_zone_name\":"
	    "\"UTC\",\"days\":{}}}}", "x.json", NULL, "x.json: schedule.conference.days: "
	    "missing or not an array");
	importfix_refused("{\"schedule\":{\"conference\":{\"title\":\"T\",\"time_zone_name\":"
	    "\"UTC\",\"days\":[{\"date\":\"someday\"}]}}}", "x.json", NULL, "x.json: "
	    "schedule.conference.days[0].date: \"someday\" is not a date or a date and time "
	    "(ISO 8601)");
	importfix_refused("{\"schedule\":{\"conference\":{\"title\":\"T\",\"time_zone_name\":"
	    "\"UTC\",\"days\":[{\"rooms\":{\"Saal \\\"1\\\"\":{}}}]}}}", "x.json", NULL,
	    "x.json: schedule.conference.days[0].rooms[\"Saal \\\"1\\\"\"]: not an array");
	importfix_refused("{\"schedule\":{\"conference\":{\"title\":\"T\",\"time_zone_name\":"
	    "\"UTC\",\"days\":[{\"date\":\"2024-02-30\"}]}}}", "x.json", NULL, "x.json: "
	    "schedule.conference.days[0].date: \"2024-02-30\" is not a date or a date and time "
	    "(ISO 8601)");
	importfix_refused("{\"schedule\":{\"conference\":{\"title\":\"T\",\"time_zone_name\":"
	    "\"UTC\",\"days\":[{\"date\":\"9999-12-31\",\"rooms\":{\"A\":[{\"start\":\"01:00\","
	    "\"duration\":\"1:00\",\"title\":\"x\"}]}}]}}}", "x.json", NULL, "x.json: "
	    "schedule.conference.days[0].rooms[\"A\"][0].start: out of range");
	/* a day without a date cannot place an event without one */
	importfix_refused("{\"schedule\":{\"conference\":{\"title\":\"T\",\"time_zone_name\":"
	    "\"UTC\",\"days\":[{\"rooms\":{\"A\":[{\"start\":\"10:00\",\"duration\":\"1:00\","
	    "\"title\":\"x\"}]}}]}}}", "x.json", NULL, "x.json: schedule.conference.days[0]."
	    "rooms[\"A\"][0].date: missing, and the event's day has no date to go with its "
	    "start time");
	/* zones: unknown, missing, replaced */
	text = frab("Mars/Olympus", OK_EVENT);
	importfix_refused(text, "x.json", NULL, "x.json: schedule.conference.time_zone_name: "
	    "unknown time zone \"Mars/Olympus\" (give the right one with --timezone ZONE)");
	importfix_refused(text, "x.json", "Mars/Base", "x.json: --timezone: unknown time zone "
	    "\"Mars/Base\"");
	program_free(from_text(text, "x.json", "UTC", NULL));
	free(text);
	text = frab(NULL, OK_EVENT);
	importfix_refused(text, "x.json", NULL, "x.json: the file names no time zone "
	    "(schedule.conference.time_zone_name): give the conference's with --timezone ZONE, "
	    "e.g. --timezone Europe/Brussels");
	free(text);
}

/* Errors in an XML event: the line of the field. */
static void
test_xml_errors(void **state)
{
	(void)state;
	importfix_refused("<schedule><conference><time_zone_name>UTC</time_zone_name>"
	    "</conference>\n<day date=\"2024-06-01\">\n<room name=\"A\">\n<event id=\"7\">"
	    "<title>x</title>\n<start>10:00</start>\n<duration>1h</duration></event></room></day>"
	    "</schedule>", "x.xml", NULL, "x.xml:6: event 7: <duration>: \"1h\" is not a "
	    "duration (H:MM, HH:MM:SS or D:HH:MM, at most a week)");
	importfix_refused("<schedule><conference><time_zone_name>UTC</time_zone_name>"
	    "</conference>\n<day>\n<room name=\"A\">\n<event guid=\"g-1\">"
	    "<title>x</title>\n<start>10:00</start>\n<duration>1:00</duration></event></room>"
	    "</day></schedule>", "x.xml", NULL, "x.xml:4: event g-1: <date>: missing, and the "
	    "event's day has no date to go with its start time");
}

/* Appends n frab events to b, one a minute, each lasting duration. */
static void
frab_events(struct import_buf *b, size_t n, const char *duration)
{
	char ev[512];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(ev, sizeof ev, "%s{\"id\":%zu,\"date\":\"2024-06-02T%02zu:%02zu:00Z\","
		    "\"duration\":\"%s\",\"title\":\"T%zu\"}", i > 0 ? "," : "", i + 1,
		    i / 60 % 24, i % 60, duration, i);
		import_buf_adds(b, ev);
	}
}

/* Limits: too many sessions is an error; long text is cut with a warning. */
static void
test_limits(void **state)
{
	struct import_buf b = { NULL, 0, 0 };
	struct import_report r;
	struct program *p;
	char *events, *text, *big, *name;
	const struct session *s;
	size_t i;

	(void)state;
	frab_events(&b, 2000, "0:01");
	events = import_buf_take(&b);
	text = frab("UTC", events);
	p = from_text(text, "x.json", NULL, NULL);
	assert_int_equal(p->nsessions, 2000);
	program_free(p);
	free(text);
	free(events);
	frab_events(&b, 2001, "0:01");
	events = import_buf_take(&b);
	text = frab("UTC", events);
	importfix_refused(text, "x.json", NULL, "x.json: 2001 sessions: a program holds at most "
	    "2000");
	free(text);
	free(events);
	frab_events(&b, 20001, "0:01");
	events = import_buf_take(&b);
	text = frab("UTC", events);
	importfix_refused(text, "x.json", NULL, "x.json: more than 20000 events (a program holds "
	    "at most 2000 sessions)");
	free(text);
	free(events);
	/* a program too large for the wire: 1100 descriptions of 4000 bytes */
	big = xmalloc(4001);
	memset(big, 'y', 4000);
	big[4000] = '\0';
	for (i = 0; i < 1100; i++) {
		name = xasprintf("%s{\"id\":%zu,\"date\":\"2024-06-02T10:00:00Z\",\"duration\":"
		    "\"1:00\",\"title\":\"x\",\"abstract\":\"%s\"}", i > 0 ? "," : "", i, big);
		import_buf_adds(&b, name);
		free(name);
	}
	free(big);
	events = import_buf_take(&b);
	text = frab("UTC", events);
	importfix_refused(text, "x.json", NULL, "x.json: the program would take 4.4 MiB on the "
	    "wire, more than the 4 MiB a hub serves: shorten its descriptions or split it");
	free(text);
	free(events);
	/* a title of 300 bytes, 40 speakers, one of 150 bytes, a room and a url too long */
	big = xmalloc(1200);
	memset(big, 'x', 1199);
	big[1199] = '\0';
	import_buf_adds(&b, ",\"persons\":[");
	for (i = 0; i < 40; i++) {
		name = xasprintf("%s\"%.*s%zu\"", i > 0 ? "," : "", i == 0 ? 150 : 3, big, i);
		import_buf_adds(&b, name);
		free(name);
	}
	name = xasprintf("],\"room\":\"%.*s\",\"url\":\"https://e.org/%.*s\",\"guid\":\"%.*s\"",
	    150, big, 1100, big, 250, big);
	import_buf_adds(&b, name);
	free(name);
	events = import_buf_take(&b);
	name = xasprintf("{\"id\":1,\"date\":\"2024-06-02T10:00:00Z\",\"duration\":\"1:00\","
	    "\"title\":\"%.*s\"%s}", 300, big, events);
	text = frab("UTC", name);
	p = from_text(text, "x.json", NULL, &r);
	s = importfix_session(p, "1");
	assert_true(strlen(s->title) <= PROGRAM_MAX_TITLE);
	assert_int_equal(s->nspeakers, PROGRAM_MAX_SPEAKERS);
	assert_true(strlen(s->speakers[0]) <= PROGRAM_MAX_SPEAKER);
	assert_true(strlen(s->location) <= PROGRAM_MAX_LOCATION);
	assert_null(s->url);
	assert_int_equal(strncmp(s->guid, "hash:", 5), 0);
	assert_non_null(importfix_warning(&r, "cut 1 title to 200 bytes: 1 \"xxx"));
	assert_non_null(importfix_warning(&r, "cut the speakers of 1 session to 32 names of at "
	    "most 100 bytes: 1 \""));
	assert_non_null(importfix_warning(&r, "cut the room or track of 1 session to 100 bytes"));
	import_report_clear(&r);
	program_free(p);
	free(text);
	free(name);
	free(events);
	free(big);
}

/* One warning names the first ten events left out and counts the others. */
static void
test_skipped_warning(void **state)
{
	struct import_buf b = { NULL, 0, 0 };
	struct import_report r;
	struct program *p;
	char *events, *text;

	(void)state;
	frab_events(&b, 13, "0:00");
	events = import_buf_take(&b);
	text = frab("UTC", events);
	p = from_text(text, "x.json", NULL, &r);
	assert_int_equal(r.nskipped, 13);
	assert_int_equal(r.nwarnings, 1);
	assert_non_null(strstr(r.warnings[0], "left out 13 events: 1 \"T0\" (no duration), "));
	assert_non_null(strstr(r.warnings[0], ", 10 \"T9\" (no duration), and 3 more"));
	import_report_clear(&r);
	program_free(p);
	free(text);
	free(events);
}

/* Damaged input never crashes: every prefix of each fixture, and NUL bytes. */
static void
test_damaged(void **state)
{
	static const char *const names[] = {
		"frab-times.json", "frab-text.json", "fosdem.xml", "frab-31c3.xml", "conf.ics"
	};
	struct import_report r;
	struct program *p;
	char *path, *text, *cause;
	size_t i, n, len;

	(void)state;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		path = importfix_fixture(names[i]);
		text = files_read_plain(path, 1 << 20, &len, NULL);
		assert_non_null(text);
		for (n = 0; n < len; n += 1 + n / 40) {
			cause = NULL;
			p = import_program_from_buffer(text, n, names[i], NULL, &r, &cause);
			assert_true((p == NULL) != (cause == NULL));
			program_free(p);
			free(cause);
			import_report_clear(&r);
		}
		text[len / 2] = '\0';
		cause = NULL;
		p = import_program_from_buffer(text, len, names[i], NULL, NULL, &cause);
		program_free(p);
		free(cause);
		free(text);
		free(path);
	}
}

/* The summary that confabd --check-program prints. */
static void
test_summary(void **state)
{
	struct import_report r;
	struct program *p = fixture("frab-times.json", NULL, NULL, &r);
	char *s = import_summary(p, &r);

	(void)state;
	assert_string_equal(s, "title: Quirk Camp 2024: times\n"
	    "format: frab/pretalx schedule.json\n"
	    "time zone: Europe/Berlin\n"
	    "sessions: 7\n"
	    "days: 2\n"
	    "  day 1: Sat 30 Mar 2024, 3 sessions\n"
	    "  day 2: Sun 31 Mar 2024, 4 sessions\n"
	    "rooms: 1\n"
	    "  Saal 1: 7 sessions\n"
	    "kinds:\n"
	    "  talk: 7\n"
	    "chat rooms for discussions: 0\n"
	    "warnings: 1\n"
	    "  left out 2 events: 108 \"Marker without a duration\" (no duration), 109 (no "
	    "title)\n");
	free(s);
	import_report_clear(&r);
	program_free(p);
}

/* The new members go on the wire and come back through the client's decoder. */
static void
test_wire(void **state)
{
	struct program *p = fixture("frab-text.json", NULL, NULL, NULL), *q;
	const struct session *s;
	json_t *js;
	char *cause = NULL;

	(void)state;
	js = program_to_json(p);
	q = program_from_json(js, &cause);
	json_decref(js);
	assert_non_null(q);
	assert_string_equal(p->version, q->version);
	s = importfix_session(q, "201");
	assert_string_equal(s->guid, "c0ffee00-0000-4000-8000-000000000201");
	assert_string_equal(s->location, "Auditório");
	assert_string_equal(s->track, "Web");
	assert_string_equal(s->url, "https://example.org/events/201");
	program_free(q);
	program_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frab_times),
		cmocka_unit_test(test_frab_identity),
		cmocka_unit_test(test_frab_text),
		cmocka_unit_test(test_frab_kinds),
		cmocka_unit_test(test_pretalx),
		cmocka_unit_test(test_fosdem_xml),
		cmocka_unit_test(test_frab_xml),
		cmocka_unit_test(test_ical),
		cmocka_unit_test(test_ical_variants),
		cmocka_unit_test(test_confab_format),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_ical_errors),
		cmocka_unit_test(test_ical_messages_printable),
		cmocka_unit_test(test_frab_errors),
		cmocka_unit_test(test_xml_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_skipped_warning),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_wire),
	};

	return cmocka_run_group_tests_name("import", tests, NULL, NULL);
}
