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
	assert_int_equal(days[0], PTIM_START - 10 * HOUR);  /* local midnight Oct 12 */
	assert_int_equal(days[3], PTIM_START - 10 * HOUR + 3 * 24 * HOUR);
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
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_shift),
		cmocka_unit_test(test_current_next),
	};

	return cmocka_run_group_tests_name("program", tests, NULL, NULL);
}
