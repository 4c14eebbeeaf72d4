/* test_import_real.c: program import against real exports made by software nobody on
 * this project wrote (../shared/schedules, next to the source tree; see its README).
 * They are not shipped with confab: when the folder is absent the whole file is skipped,
 * saying why. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "importfix.h"
#include "util/tztime.h"
#include "util/xalloc.h"

static char *real_dir;

/* Loads the real export name. */
static struct program *
real(const char *name, struct import_report *r)
{
	char *path = xasprintf("%s/%s", real_dir, name);
	struct program *p = importfix_load(path, NULL, NULL, r);

	free(path);
	return p;
}

/* Asserts the sessions of each day of p. */
static void
assert_days(const struct program *p, const size_t *want, size_t n)
{
	size_t count[16] = { 0 }, i;
	int d;

	assert_int_equal(program_days(p, NULL, 0), n);
	for (i = 0; i < p->nsessions; i++) {
		d = program_day_index(p, &p->sessions[i]);
		assert_true(d >= 0 && d < 16);
		count[d]++;
	}
	for (i = 0; i < n; i++)
		if (count[i] != want[i])
			fail_msg("day %zu: %zu sessions, want %zu", i + 1, count[i], want[i]);
}

/* The number of distinct locations of p. */
static size_t
locations(const struct program *p)
{
	size_t i, j, n = 0;

	for (i = 0; i < p->nsessions; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(p->sessions[j].location, p->sessions[i].location) == 0)
				break;
		n += j == i;
	}
	return n;
}

/* No tag and no escaped markup is left in any text of p. */
static void
assert_plain(const struct program *p)
{
	static const char *const marks[] = { "<a ", "<p>", "</p>", "</br>", "<strong>",
	    "&amp;", "&lt;", "&quot;", "&#" };
	size_t i, j;

	for (i = 0; i < p->nsessions; i++)
		for (j = 0; j < sizeof marks / sizeof marks[0]; j++)
			if (strstr(p->sessions[i].description, marks[j]) != NULL ||
			    strstr(p->sessions[i].title, marks[j]) != NULL)
				fail_msg("%s: \"%s\" left in", p->sessions[i].id, marks[j]);
}

/* camp2019: a frab export, 79 events in 2 rooms, Europe/Berlin, HTML in descriptions,
 * trailing spaces in titles, mixed-case slugs. */
static void
test_camp2019(void **state)
{
	static const size_t days[] = { 17, 17, 19, 17, 9 };
	struct import_report r;
	struct program *p = real("camp2019_frab.schedule.json", &r);
	const struct session *s;

	(void)state;
	assert_string_equal(p->title, "Chaos Communication Camp 2019");
	assert_string_equal(p->timezone, "Europe/Berlin");
	assert_int_equal(p->nsessions, 79);
	assert_int_equal(locations(p), 2);
	assert_days(p, days, 5);
	importfix_when(p, "10400", "2019-08-22 12:00 CEST", "2019-08-22 12:45 CEST");
	assert_string_equal(importfix_session(p, "10178")->title,
	    "Hacking Containers and Kubernetes");
	assert_string_equal(importfix_session(p, "10378")->title,
	    "Fully Open, Fully Sovereign mobile devices");
	s = importfix_session(p, "10186");
	assert_non_null(strstr(s->description, "spispy (https://github.com/osresearch/spispy) "
	    "is an open source hardware tool"));
	assert_int_equal(importfix_session(p, "10380")->kind, SK_LIGHTNING);
	assert_string_equal(importfix_session(p, "10400")->location, "Curie");
	assert_string_equal(importfix_session(p, "10400")->guid,
	    "36b973e6-6203-4506-9317-4959d04ce0d0");
	assert_plain(p);
	assert_int_equal(r.nskipped, 0);
	assert_int_equal(r.nwarnings, 1);       /* two long descriptions, cut */
	assert_non_null(importfix_warning(&r, "cut 2 descriptions to 4000 bytes"));
	import_report_clear(&r);
	program_free(p);
}

/* jev22: a merged export, 213 events, Europe/Amsterdam; 8 cross midnight; one is in
 * another zone; 34 rooms have no events; guid null on rooms; some events lack a url. */
static void
test_jev22(void **state)
{
	static const size_t days[] = { 4, 37, 62, 64, 41, 5 };
	struct import_report r;
	struct program *p = real("jev22_channels.schedule.json", &r);
	const struct session *s;
	size_t i, midnight = 0, nourl = 0, discussions = 0;
	struct tm a, b;

	(void)state;
	assert_string_equal(p->timezone, "Europe/Amsterdam");
	assert_int_equal(p->nsessions, 213);
	assert_int_equal(locations(p), 14);
	assert_days(p, days, 6);
	for (i = 0; i < p->nsessions; i++) {
		s = &p->sessions[i];
		tz_localtime(p->timezone, s->start_ms, &a);
		tz_localtime(p->timezone, s->end_ms, &b);
		midnight += a.tm_yday != b.tm_yday;
		nourl += s->url == NULL;
		discussions += s->kind == SK_DISCUSSION;
	}
	assert_int_equal(midnight, 8);
	assert_int_equal(nourl, 10);
	assert_int_equal(discussions, 8);
	/* 10:30 in New York is 16:30 in Amsterdam */
	importfix_when(p, "6713", "2022-12-27 16:30 CET", "2022-12-27 17:30 CET");
	importfix_when(p, "5366", "2022-12-29 21:30 CET", "2022-12-30 00:30 CET");
	assert_int_equal(program_day_index(p, importfix_session(p, "5366")), 3);
	assert_plain(p);
	assert_int_equal(r.nskipped, 0);
	import_report_clear(&r);
	program_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_camp2019),
		cmocka_unit_test(test_jev22),
	};
	const char *srcdir = getenv("CONFAB_SRCDIR");
	struct stat sb;
	int rc;

	real_dir = xasprintf("%s/../shared/schedules", srcdir != NULL ? srcdir : ".");
	if (stat(real_dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		printf("1..0 # SKIP %s is absent: the real exports are not shipped with confab\n",
		    real_dir);
		free(real_dir);
		return 0;
	}
	rc = cmocka_run_group_tests_name("import_real", tests, NULL, NULL);
	free(real_dir);
	return rc;
}
