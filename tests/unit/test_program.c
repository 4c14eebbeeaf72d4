/* test_program.c: unit tests for the program model (src/model/program.c) and the
 * PTIM 2020 demo data (data/ptim2020.json). */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/program.h"
#include "util/tztime.h"
#include "util/xalloc.h"

/* 2020-10-12T14:00:00Z, the start of PTIM 2020. */
#define PTIM_START 1602511200000LL
#define HOUR (3600 * 1000LL)

/* Loads data/ptim2020.json from the source tree. */
static struct program *
load_ptim(void)
{
	const char *srcdir = getenv("CONFAB_SRCDIR");
	struct program *p;
	char *path, *cause = NULL;

	path = xasprintf("%s/data/ptim2020.json", srcdir != NULL ? srcdir : ".");
	p = program_load_file(path, &cause);
	if (p == NULL)
		fail_msg("%s: %s", path, cause);
	free(path);
	return p;
}

/* Parses text as a program; returns the error (new string) or NULL when it loaded. */
static char *
program_error_of(const char *text)
{
	json_error_t jerr;
	struct program *p;
	json_t *obj;
	char *cause = NULL;

	obj = json_loads(text, JSON_DECODE_ANY, &jerr);
	if (obj == NULL)
		fail_msg("bad test JSON: %s: %s", jerr.text, text);
	p = program_from_json(obj, &cause);
	json_decref(obj);
	if (p != NULL) {
		program_free(p);
		return NULL;
	}
	assert_non_null(cause);
	return cause;
}

/* Asserts that text is refused with an error containing want. */
static void
assert_refused(const char *text, const char *want)
{
	char *cause = program_error_of(text);

	if (cause == NULL)
		fail_msg("accepted: %s", text);
	if (strstr(cause, want) == NULL)
		fail_msg("error \"%s\" does not contain \"%s\"", cause, want);
	free(cause);
}

#define HEAD "{\"title\":\"T\",\"timezone\":\"America/New_York\",\"sessions\":["
#define S_OK "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\"," \
	"\"start\":\"2020-10-12T10:00:00-04:00\",\"end\":\"2020-10-12T11:00:00-04:00\"}"

/* The PTIM 2020 data loads with the right shape. */
static void
test_ptim_loads(void **state)
{
	static const enum session_kind kinds[] = {
		SK_PANEL, SK_PITCHES, SK_PANEL,
		SK_PANEL, SK_DISCUSSION, SK_LIGHTNING, SK_DISCUSSION,
		SK_PANEL, SK_LIGHTNING,
		SK_PANEL, SK_LIGHTNING, SK_DISCUSSION,
	};
	struct program *p = load_ptim();
	int64_t days[8];
	size_t i;

	(void)state;
	assert_string_equal(p->title, "PTIM Virtual Meeting 2020");
	assert_string_equal(p->timezone, "America/New_York");
	assert_int_equal(p->nsessions, 12);
	assert_int_equal(p->sessions[0].start_ms, PTIM_START);
	assert_string_equal(p->sessions[0].id, "d1-spec");
	assert_int_equal(p->sessions[0].end_ms, PTIM_START + 2 * HOUR);
	for (i = 0; i < p->nsessions; i++) {
		assert_int_equal(p->sessions[i].kind, kinds[i]);
		assert_true(p->sessions[i].end_ms > p->sessions[i].start_ms);
		assert_true(strlen(p->sessions[i].description) > 0);
		assert_int_equal(p->sessions[i].nspeakers, 0);
		if (i > 0)
			assert_true(p->sessions[i].start_ms >= p->sessions[i - 1].start_ms);
	}
	assert_int_equal(program_days(p, days, 8), 4);
	assert_int_equal(program_days(p, NULL, 0), 4);
	assert_int_equal(days[0], PTIM_START - 6 * HOUR);  /* 04:00 New York, Oct 12 */
	assert_int_equal(days[3], PTIM_START - 6 * HOUR + 3 * 24 * HOUR);
	assert_int_equal(program_days(p, days, 2), 2);
	assert_int_equal(program_day_index(p, &p->sessions[0]), 0);
	assert_int_equal(program_day_index(p, &p->sessions[3]), 1);
	assert_int_equal(program_day_index(p, &p->sessions[8]), 2);
	assert_int_equal(program_day_index(p, &p->sessions[11]), 3);
	assert_int_equal(program_day_index(p, program_find(p, "d2-users")), 1);
	assert_null(program_find(p, "nope"));
	assert_string_equal(session_kind_name(SK_LIGHTNING), "lightning");
	assert_string_equal(session_kind_label(SK_DISCUSSION), "open discussion");
	program_free(p);
}

/* Every kind name parses back. */
static void
test_kinds(void **state)
{
	enum session_kind k;
	int i;

	(void)state;
	for (i = 0; i < SK__COUNT; i++) {
		assert_int_equal(session_kind_parse(session_kind_name((enum session_kind)i), &k), 0);
		assert_int_equal(k, i);
		assert_non_null(session_kind_label((enum session_kind)i));
	}
	assert_int_equal(session_kind_parse("keynote", &k), -1);
	assert_int_equal(session_kind_parse(NULL, &k), -1);
}

/* Each kind of invalid program is refused with a clear error. */
static void
test_invalid_programs(void **state)
{
	(void)state;
	assert_refused("[1,2]", "not a JSON object");
	assert_refused("\"x\"", "not a JSON object");
	assert_refused("{\"format\":\"other-2\",\"title\":\"T\",\"timezone\":\"UTC\","
	    "\"sessions\":[]}", "format: unsupported format");
	assert_refused("{\"timezone\":\"UTC\",\"sessions\":[]}", "title: missing");
	assert_refused("{\"title\":\"\",\"timezone\":\"UTC\",\"sessions\":[]}", "title: empty");
	assert_refused("{\"title\":7,\"timezone\":\"UTC\",\"sessions\":[]}",
	    "title: not a string");
	assert_refused("{\"title\":\"T\",\"sessions\":[]}", "timezone: missing");
	assert_refused("{\"title\":\"T\",\"timezone\":\"Mars/Olympus\",\"sessions\":[]}",
	    "timezone: unknown time zone \"Mars/Olympus\"");
	assert_refused("{\"title\":\"T\",\"timezone\":\"../../etc/passwd\",\"sessions\":[]}",
	    "timezone: unknown time zone");
	assert_refused("{\"title\":\"T\",\"timezone\":\"UTC\",\"sessions\":{}}",
	    "sessions: missing or not an array");
	assert_refused("{\"title\":\"T\",\"timezone\":\"UTC\"}", "sessions: missing");
	assert_refused(HEAD "7]}", "sessions[0]: not an object");
	assert_refused(HEAD "{\"title\":\"A\",\"kind\":\"talk\",\"start\":0,\"end\":1}]}",
	    "sessions[0]: id: missing");
	assert_refused(HEAD S_OK "," S_OK "]}", "sessions[1] (\"a\"): id: duplicate id");
	assert_refused(HEAD "{\"id\":\"Bad Id\",\"title\":\"A\",\"kind\":\"talk\","
	    "\"start\":0,\"end\":1}]}", "sessions[0]: id: \"Bad Id\" is not");
	assert_refused(HEAD "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"keynote\","
	    "\"start\":0,\"end\":1}]}", "sessions[0] (\"a\"): kind: unknown kind \"keynote\"");
	assert_refused(HEAD "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\","
	    "\"start\":\"tomorrow\",\"end\":1}]}", "sessions[0] (\"a\"): start: not a time");
	assert_refused(HEAD "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\","
	    "\"start\":\"2020-10-12T10:00:00\",\"end\":1}]}", "start: not a time");
	assert_refused(HEAD "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\","
	    "\"start\":1.5,\"end\":1}]}", "start: not a time");
	assert_refused(HEAD "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\",\"start\":0}]}",
	    "end: missing");
	assert_refused(HEAD S_OK ",{\"id\":\"d1-x\",\"title\":\"A\",\"kind\":\"talk\","
	    "\"start\":\"2020-10-12T10:00:00-04:00\",\"end\":\"2020-10-12T09:00:00-04:00\"}]}",
	    "sessions[1] (\"d1-x\"): end is before start");
	assert_refused(HEAD "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\","
	    "\"start\":5,\"end\":5}]}", "end is the same as start");
	assert_refused(HEAD "{\"id\":\"a\",\"kind\":\"talk\",\"start\":0,\"end\":1}]}",
	    "sessions[0] (\"a\"): title: missing");
	assert_refused(HEAD "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\",\"start\":0,"
	    "\"end\":1,\"speakers\":[\"x\",3]}]}", "speakers[1]: not a non-empty string");
	assert_refused(HEAD "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\",\"start\":0,"
	    "\"end\":1,\"speakers\":\"x\"}]}", "speakers: not an array");
	assert_refused(HEAD "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\",\"start\":0,"
	    "\"end\":1,\"room\":\"-x\"}]}", "room: \"-x\" is not a valid room id");
	assert_refused(HEAD "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\",\"start\":0,"
	    "\"end\":1,\"room\":5}]}", "room: not a string or null");
	assert_refused(HEAD "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\",\"start\":0,"
	    "\"end\":1,\"description\":5}]}", "description: not a string");
}

/* Over-long fields and too many sessions are refused. */
static void
test_limits(void **state)
{
	char *text, *title, *many;
	size_t i, off;

	(void)state;
	title = xmalloc(PROGRAM_MAX_TITLE + 2);
	memset(title, 'x', PROGRAM_MAX_TITLE + 1);
	title[PROGRAM_MAX_TITLE + 1] = '\0';
	text = xasprintf("{\"title\":\"%s\",\"timezone\":\"UTC\",\"sessions\":[]}", title);
	assert_refused(text, "title: longer than 200 bytes");
	free(text);
	title[PROGRAM_MAX_TITLE] = '\0';    /* exactly at the limit is fine */
	text = xasprintf("{\"title\":\"%s\",\"timezone\":\"UTC\",\"sessions\":[]}", title);
	assert_null(program_error_of(text));
	free(text);
	title[PROGRAM_MAX_TITLE] = 'x';
	text = xasprintf(HEAD "{\"id\":\"a\",\"title\":\"%s\",\"kind\":\"talk\","
	    "\"start\":0,\"end\":1}]}", title);
	assert_refused(text, "sessions[0] (\"a\"): title: longer than 200 bytes");
	free(text);
	free(title);

	many = xmalloc((PROGRAM_MAX_SESSIONS + 1) * 80 + 100);
	off = (size_t)sprintf(many, "%s", HEAD);
	for (i = 0; i <= PROGRAM_MAX_SESSIONS; i++) {
		off += (size_t)sprintf(many + off, "%s{\"id\":\"s%zu\",\"title\":\"A\","
		    "\"kind\":\"talk\",\"start\":%zu,\"end\":%zu}", i > 0 ? "," : "", i,
		    i * 1000, i * 1000 + 500);
	}
	strcpy(many + off, "]}");
	assert_refused(many, "sessions: more than 2000 sessions");
	free(many);
}

/* Writes text to a new temporary file; returns its path (new string). */
static char *
write_temp(const char *text)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	FILE *f;
	int fd;

	path = xasprintf("%s/confab-test-XXXXXX", dir != NULL ? dir : "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* Files that are not JSON, missing or too big are refused. */
static void
test_load_file_errors(void **state)
{
	struct program *p;
	char *path, *cause = NULL;
	FILE *f;

	(void)state;
	path = write_temp("{\n  \"title\": \"T\",\n  oops\n}\n");
	p = program_load_file(path, &cause);
	assert_null(p);
	assert_non_null(cause);
	if (strncmp(cause, "line 3, column ", 15) != 0)
		fail_msg("unexpected error: %s", cause);
	free(cause);
	cause = NULL;

	/* bigger than 4 MiB */
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fseek(f, 4 * 1024 * 1024, SEEK_SET), 0);
	fputc(' ', f);
	fclose(f);
	p = program_load_file(path, &cause);
	assert_null(p);
	assert_non_null(strstr(cause, "larger than 4 MiB"));
	free(cause);
	cause = NULL;
	unlink(path);

	p = program_load_file(path, &cause);
	assert_null(p);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	free(path);

	p = program_load_file("/", &cause);
	assert_null(p);
	assert_non_null(cause);
	free(cause);
}

/* Optional fields, integer times and unknown fields. */
static void
test_optional_fields(void **state)
{
	json_t *obj;
	struct program *p;
	char *cause = NULL;

	(void)state;
	obj = json_loads("{\"title\":\"T\",\"timezone\":\"UTC\",\"future\":1,\"sessions\":["
	    "{\"id\":\"b\",\"title\":\"B\",\"kind\":\"break\",\"start\":2000,\"end\":3000,"
	    "\"x\":[1]},"
	    "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\",\"start\":2000,\"end\":2500,"
	    "\"speakers\":[\"Ann\",\"Bo\"],\"room\":\"a-room\",\"description\":\"d\","
	    "\"version\":\"bogus\"}]}", 0, NULL);
	assert_non_null(obj);
	p = program_from_json(obj, &cause);
	json_decref(obj);
	if (p == NULL)
		fail_msg("%s", cause);
	assert_int_equal(p->nsessions, 2);
	assert_string_equal(p->sessions[0].id, "a");  /* same start: ordered by id */
	assert_int_equal(p->sessions[0].nspeakers, 2);
	assert_string_equal(p->sessions[0].speakers[1], "Bo");
	assert_string_equal(p->sessions[0].room, "a-room");
	assert_string_equal(p->sessions[1].description, "");
	assert_null(p->sessions[1].room);
	assert_int_equal(strlen(p->version), 16);
	assert_int_equal(strspn(p->version, "0123456789abcdef"), 16);
	program_free(p);
	program_free(NULL);
}

/* The members imported sessions add (guid, location, track, url): optional, copied, on
 * the wire only when set (a program without them keeps its wire form and version), with
 * their limits; guids are unique. */
static void
test_imported_fields(void **state)
{
	struct program *p, *c;
	json_t *obj, *js;
	char *cause = NULL, *text;

	(void)state;
	obj = json_loads("{\"title\":\"T\",\"timezone\":\"UTC\",\"sessions\":["
	    "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\",\"start\":2000,\"end\":3000,"
	    "\"guid\":\"g-1\",\"location\":\"Saal 1\",\"track\":\"Security\","
	    "\"url\":\"https://e.org/a\"},"
	    "{\"id\":\"b\",\"title\":\"B\",\"kind\":\"talk\",\"start\":3000,\"end\":4000,"
	    "\"guid\":null,\"location\":\"\",\"track\":null}]}", 0, NULL);
	assert_non_null(obj);
	p = program_from_json(obj, &cause);
	json_decref(obj);
	if (p == NULL)
		fail_msg("%s", cause);
	assert_string_equal(p->sessions[0].guid, "g-1");
	assert_string_equal(p->sessions[0].location, "Saal 1");
	assert_string_equal(p->sessions[0].track, "Security");
	assert_string_equal(p->sessions[0].url, "https://e.org/a");
	assert_null(p->sessions[1].guid);
	assert_null(p->sessions[1].location);           /* "" counts as absent */
	c = program_copy(p);
	assert_string_equal(c->sessions[0].url, "https://e.org/a");
	assert_string_equal(c->version, p->version);
	program_free(c);
	obj = program_to_json(p);
	js = json_array_get(json_object_get(obj, "sessions"), 1);
	assert_null(json_object_get(js, "guid"));
	assert_null(json_object_get(js, "location"));
	js = json_array_get(json_object_get(obj, "sessions"), 0);
	assert_string_equal(json_string_value(json_object_get(js, "track")), "Security");
	json_decref(obj);
	program_free(p);

	assert_refused(HEAD "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\",\"start\":1,"
	    "\"end\":2,\"guid\":\"g\"},{\"id\":\"b\",\"title\":\"B\",\"kind\":\"talk\","
	    "\"start\":1,\"end\":2,\"guid\":\"g\"}]}", "sessions[1] (\"b\"): guid: duplicate "
	    "guid");
	assert_refused(HEAD "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\",\"start\":1,"
	    "\"end\":2,\"track\":7}]}", "sessions[0] (\"a\"): track: not a string");
	text = xasprintf(HEAD "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\",\"start\":1,"
	    "\"end\":2,\"location\":\"%0101d\"}]}", 0);
	assert_refused(text, "sessions[0] (\"a\"): location: longer than 100 bytes");
	free(text);
	text = xasprintf(HEAD "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\",\"start\":1,"
	    "\"end\":2,\"guid\":\"%0201d\"}]}", 0);
	assert_refused(text, "sessions[0] (\"a\"): guid: longer than 200 bytes");
	free(text);
}

/* program_to_json and program_from_json round-trip, version included. */
static void
test_round_trip(void **state)
{
	struct program *p = load_ptim(), *q, *c;
	json_t *a, *b;
	char *cause = NULL;

	(void)state;
	a = program_to_json(p);
	assert_string_equal(json_string_value(json_object_get(a, "version")), p->version);
	q = program_from_json(a, &cause);
	if (q == NULL)
		fail_msg("%s", cause);
	assert_string_equal(q->version, p->version);
	b = program_to_json(q);
	assert_true(json_equal(a, b));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
	    json_object_get(a, "sessions"), 0), "start")), PTIM_START);
	c = program_copy(p);
	assert_string_equal(c->version, p->version);
	json_decref(b);
	b = program_to_json(c);
	assert_true(json_equal(a, b));
	json_decref(a);
	json_decref(b);
	program_free(c);
	program_free(q);
	program_free(p);
}

/* program_shift moves all times and changes the version. */
static void
test_shift(void **state)
{
	struct program *p = load_ptim();
	char *before = xstrdup(p->version);
	int64_t end0 = p->sessions[0].end_ms;

	(void)state;
	program_shift(p, 7 * 24 * HOUR);
	assert_int_equal(p->sessions[0].start_ms, PTIM_START + 7 * 24 * HOUR);
	assert_int_equal(p->sessions[0].end_ms, end0 + 7 * 24 * HOUR);
	assert_string_not_equal(p->version, before);
	program_shift(p, -7 * 24 * HOUR);
	assert_string_equal(p->version, before);
	free(before);
	program_free(p);
}

/* Current and next session at various instants. */
static void
test_current_next(void **state)
{
	struct program *p = load_ptim();

	(void)state;
	assert_null(program_current(p, PTIM_START - 1));
	assert_string_equal(program_next(p, PTIM_START - 1)->id, "d1-spec");
	assert_string_equal(program_current(p, PTIM_START)->id, "d1-spec");
	assert_string_equal(program_next(p, PTIM_START)->id, "d1-pitch");
	/* the boundary belongs to the next session */
	assert_string_equal(program_current(p, PTIM_START + 2 * HOUR)->id, "d1-pitch");
	/* evening of day 1: nothing running, next is day 2 */
	assert_null(program_current(p, PTIM_START + 6 * HOUR));
	assert_string_equal(program_next(p, PTIM_START + 6 * HOUR)->id, "d2-trust");
	/* after the end */
	assert_null(program_current(p, PTIM_START + 10 * 24 * HOUR));
	assert_null(program_next(p, PTIM_START + 10 * 24 * HOUR));
	program_free(p);
}

/* The number of sessions in each day of p, written into counts (at most max days). */
static size_t
day_sizes(const struct program *p, size_t *counts, size_t max)
{
	size_t i, n = program_days(p, NULL, 0);
	int d;

	assert_true(n <= max);
	memset(counts, 0, max * sizeof *counts);
	for (i = 0; i < p->nsessions; i++) {
		d = program_day_index(p, &p->sessions[i]);
		assert_true(d >= 0 && (size_t)d < n);
		counts[d]++;
	}
	return n;
}

/* Parses text as a program that must load. */
static struct program *
program_of(const char *text)
{
	json_error_t jerr;
	struct program *p;
	json_t *obj;
	char *cause = NULL;

	obj = json_loads(text, 0, &jerr);
	if (obj == NULL)
		fail_msg("bad test JSON: %s: %s", jerr.text, text);
	p = program_from_json(obj, &cause);
	json_decref(obj);
	if (p == NULL)
		fail_msg("refused: %s: %s", cause, text);
	return p;
}

/* Shifted to any hour of a fortnight that holds both changes of the US clocks, the PTIM
 * program keeps its four days of 3, 4, 2 and 3 sessions: a conference day is a unit,
 * wherever local midnight falls. */
static void
test_days_whole_when_shifted(void **state)
{
	/* 2027-03-07T00:00Z .. 2027-03-21T00:00Z, and around 2027-11-07 (clocks go back) */
	static const int64_t spans[][2] = {
		{ 1804377600000LL, 1805587200000LL },
		{ 1825459200000LL, 1826668800000LL },
	};
	static const size_t want[4] = { 3, 4, 2, 3 };
	struct program *base = load_ptim(), *p;
	size_t counts[8], k;
	int64_t t;

	(void)state;
	for (k = 0; k < 2; k++) {
		for (t = spans[k][0]; t < spans[k][1]; t += HOUR) {
			p = program_copy(base);
			program_shift(p, t - p->sessions[0].start_ms);
			assert_int_equal(day_sizes(p, counts, 8), 4);
			assert_memory_equal(counts, want, sizeof want);
			/* the first session is on now, on day 1, whatever the hour */
			assert_int_equal(program_day_at(p, t), 0);
			assert_int_equal(program_day_at(p, t + 30 * 60 * 1000), 0);
			assert_string_equal(program_current(p, t + 1)->id, "d1-spec");
			program_free(p);
		}
	}
	program_free(base);
}

/* Days computed with the default day change (04:00): a session after midnight belongs to
 * the day before; one crossing midnight stays on its day; the 23- and 25-hour days of the
 * clock changes in New York; a session at the day change opens a new day. */
static void
test_days_computed(void **state)
{
	struct program *p;
	size_t counts[8];
	int64_t d[8];
	char buf[32];

	(void)state;
	p = program_of(HEAD
	    "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\","
	    "\"start\":\"2027-03-13T22:00:00-05:00\",\"end\":\"2027-03-14T01:00:00-05:00\"},"
	    "{\"id\":\"b\",\"title\":\"B\",\"kind\":\"talk\","
	    "\"start\":\"2027-03-14T01:30:00-05:00\",\"end\":\"2027-03-14T03:30:00-04:00\"},"
	    "{\"id\":\"c\",\"title\":\"C\",\"kind\":\"talk\","
	    "\"start\":\"2027-03-14T04:00:00-04:00\",\"end\":\"2027-03-14T05:00:00-04:00\"},"
	    "{\"id\":\"d\",\"title\":\"D\",\"kind\":\"talk\","
	    "\"start\":\"2027-03-15T03:59:00-04:00\",\"end\":\"2027-03-15T04:30:00-04:00\"}]}");
	assert_int_equal(day_sizes(p, counts, 8), 2);
	assert_int_equal(counts[0], 2);   /* a (crosses midnight) and b (after midnight) */
	assert_int_equal(counts[1], 2);   /* c (at the day change) and d (before the next) */
	assert_int_equal(program_days(p, d, 8), 2);
	assert_string_equal(tz_format("America/New_York", d[0], "%F %R %Z", buf, sizeof buf),
	    "2027-03-13 04:00 EST");
	assert_string_equal(tz_format("America/New_York", d[1], "%F %R %Z", buf, sizeof buf),
	    "2027-03-14 04:00 EDT");
	assert_int_equal(d[1] - d[0], 23 * HOUR);   /* the day the clocks go forward */
	/* each day is named by the date its first session starts on */
	assert_string_equal(tz_format("America/New_York", program_day_label_ms(p, 0), "%F",
	    buf, sizeof buf), "2027-03-13");
	assert_int_equal(program_day_label_ms(p, 2), -1);
	assert_int_equal(program_day_at(p, d[0] - 1), -1);
	assert_int_equal(program_day_at(p, d[1] - 1), 0);
	assert_int_equal(program_day_at(p, d[1]), 1);
	assert_int_equal(program_day_at(p, d[1] + 24 * HOUR - 1), 1);
	assert_int_equal(program_day_at(p, d[1] + 24 * HOUR + 20 * 60000), 1); /* d: to 04:30 */
	assert_int_equal(program_day_at(p, d[1] + 24 * HOUR + 30 * 60000), -1);
	program_free(p);

	/* November: the clocks go back at 02:00 on the 7th, inside the conference day that
	 * began at 04:00 on the 6th: that day lasts 25 hours */
	p = program_of(HEAD
	    "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\","
	    "\"start\":\"2027-11-06T10:00:00-04:00\",\"end\":\"2027-11-06T11:00:00-04:00\"},"
	    "{\"id\":\"b\",\"title\":\"B\",\"kind\":\"talk\","
	    "\"start\":\"2027-11-07T10:00:00-05:00\",\"end\":\"2027-11-07T11:00:00-05:00\"}]}");
	assert_int_equal(program_days(p, d, 8), 2);
	assert_int_equal(d[1] - d[0], 25 * HOUR);
	program_free(p);
	p = program_of(HEAD
	    "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\","
	    "\"start\":\"2027-11-07T10:00:00-05:00\",\"end\":\"2027-11-07T11:00:00-05:00\"},"
	    "{\"id\":\"b\",\"title\":\"B\",\"kind\":\"talk\","
	    "\"start\":\"2027-11-08T10:00:00-05:00\",\"end\":\"2027-11-08T11:00:00-05:00\"}]}");
	assert_int_equal(program_days(p, d, 8), 2);
	assert_int_equal(d[1] - d[0], 24 * HOUR);
	assert_string_equal(tz_format("America/New_York", d[0], "%F %R %Z", buf, sizeof buf),
	    "2027-11-07 04:00 EST");
	program_free(p);

	/* an empty program has no days */
	p = program_of(HEAD "]}");
	assert_int_equal(program_days(p, NULL, 0), 0);
	assert_int_equal(program_day_at(p, PTIM_START), -1);
	program_free(p);
}

/* "day_change" and "days" in the file; their errors; days survive the wire form. */
static void
test_days_given(void **state)
{
	struct program *p, *q;
	size_t counts[8];
	int64_t d[8];
	json_t *obj;
	char buf[32];

	(void)state;
	/* with the day change at 00:00, the session at 01:00 opens a day of its own */
	p = program_of("{\"title\":\"T\",\"timezone\":\"Europe/Berlin\",\"day_change\":\"00:00\","
	    "\"sessions\":["
	    "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\","
	    "\"start\":\"2028-02-28T22:00:00+01:00\",\"end\":\"2028-02-28T23:00:00+01:00\"},"
	    "{\"id\":\"b\",\"title\":\"B\",\"kind\":\"talk\","
	    "\"start\":\"2028-02-29T01:00:00+01:00\",\"end\":\"2028-02-29T02:00:00+01:00\"}]}");
	assert_int_equal(day_sizes(p, counts, 8), 2);
	assert_int_equal(program_days(p, d, 8), 2);
	assert_string_equal(tz_format("Europe/Berlin", d[1], "%F %R", buf, sizeof buf),
	    "2028-02-29 00:00");
	program_free(p);

	/* explicit days: a day without sessions is left out */
	p = program_of("{\"title\":\"T\",\"timezone\":\"UTC\",\"days\":["
	    "\"2028-02-28T09:00:00Z\",\"2028-02-29T09:00:00Z\",\"2028-03-01T09:00:00Z\"],"
	    "\"sessions\":["
	    "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\","
	    "\"start\":\"2028-02-28T09:00:00Z\",\"end\":\"2028-02-28T10:00:00Z\"},"
	    "{\"id\":\"b\",\"title\":\"B\",\"kind\":\"talk\","
	    "\"start\":\"2028-02-29T08:00:00Z\",\"end\":\"2028-02-29T09:30:00Z\"},"
	    "{\"id\":\"c\",\"title\":\"C\",\"kind\":\"talk\","
	    "\"start\":\"2028-03-01T12:00:00Z\",\"end\":\"2028-03-01T13:00:00Z\"}]}");
	assert_int_equal(day_sizes(p, counts, 8), 2);
	assert_int_equal(counts[0], 2);
	assert_int_equal(counts[1], 1);
	/* the wire form carries the days, and a client reading it gets the same ones */
	obj = program_to_json(p);
	assert_int_equal(json_array_size(json_object_get(obj, "days")), 2);
	q = program_from_json(obj, NULL);
	assert_non_null(q);
	assert_int_equal(q->ndays, 2);
	assert_memory_equal(q->days, p->days, 2 * sizeof *p->days);
	assert_string_equal(q->version, p->version);
	json_decref(obj);
	program_free(q);
	program_free(p);

	assert_refused("{\"title\":\"T\",\"timezone\":\"UTC\",\"day_change\":\"4:00\","
	    "\"sessions\":[]}", "day_change: not a local time");
	assert_refused("{\"title\":\"T\",\"timezone\":\"UTC\",\"day_change\":\"24:00\","
	    "\"sessions\":[]}", "day_change: not a local time");
	assert_refused("{\"title\":\"T\",\"timezone\":\"UTC\",\"days\":{},\"sessions\":[]}",
	    "days: not an array");
	assert_refused("{\"title\":\"T\",\"timezone\":\"UTC\",\"days\":[\"tomorrow\"],"
	    "\"sessions\":[]}", "days[0]: not a time");
	assert_refused("{\"title\":\"T\",\"timezone\":\"UTC\",\"days\":[5000,5000],"
	    "\"sessions\":[]}", "days[1]: not after the day before");
	assert_refused("{\"title\":\"T\",\"timezone\":\"UTC\",\"days\":[\"2028-02-29T09:00:00Z\"],"
	    "\"sessions\":[{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\","
	    "\"start\":\"2028-02-28T09:00:00Z\",\"end\":\"2028-02-28T10:00:00Z\"}]}",
	    "days[0]: missing, or after the start of session \"a\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ptim_loads),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_invalid_programs),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_load_file_errors),
		cmocka_unit_test(test_optional_fields),
		cmocka_unit_test(test_imported_fields),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_shift),
		cmocka_unit_test(test_current_next),
		cmocka_unit_test(test_days_whole_when_shifted),
		cmocka_unit_test(test_days_computed),
		cmocka_unit_test(test_days_given),
	};

	return cmocka_run_group_tests_name("program", tests, NULL, NULL);
}
