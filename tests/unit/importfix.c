/* importfix.c: helpers shared by the import tests. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "importfix.h"
#include "util/tztime.h"
#include "util/xalloc.h"

/* The path of a fixture. */
char *
importfix_fixture(const char *name)
{
	const char *srcdir = getenv("CONFAB_SRCDIR");

	return xasprintf("%s/tests/fixtures/programs/%s", srcdir != NULL ? srcdir : ".", name);
}

/* Imports path, failing the test when it is refused. */
struct program *
importfix_load(const char *path, const char *zone, const struct import_kinds *kinds,
    struct import_report *report)
{
	struct import_options opts;
	struct program *p;
	char *cause = NULL;

	memset(&opts, 0, sizeof opts);
	opts.timezone = zone;
	opts.kinds = kinds;
	p = import_program_file(path, &opts, report, &cause);
	if (p == NULL)
		fail_msg("%s", cause);
	return p;
}

/* Imports text and returns the error. */
char *
importfix_error(const char *text, size_t len, const char *name, const char *zone)
{
	struct import_options opts;
	struct import_report report;
	struct program *p;
	char *cause = NULL;

	memset(&opts, 0, sizeof opts);
	opts.timezone = zone;
	p = import_program_from_buffer(text, len, name, &opts, &report, &cause);
	import_report_clear(&report);
	if (p != NULL) {
		program_free(p);
		fail_msg("accepted: %s", text);
	}
	assert_non_null(cause);
	return cause;
}

/* Asserts that text is refused with exactly want. */
void
importfix_refused(const char *text, const char *name, const char *zone, const char *want)
{
	char *cause = importfix_error(text, strlen(text), name, zone);

	if (strcmp(cause, want) != 0)
		fail_msg("error\n got:  \"%s\"\n want: \"%s\"", cause, want);
	free(cause);
}

/* The session with this id. */
const struct session *
importfix_session(const struct program *p, const char *id)
{
	const struct session *s = program_find(p, id);

	if (s == NULL)
		fail_msg("no session \"%s\"", id);
	return s;
}

/* ms as local text in p's zone. */
const char *
importfix_local(const struct program *p, int64_t ms, char *buf, size_t len)
{
	return tz_format(p->timezone, ms, "%Y-%m-%d %H:%M %Z", buf, len);
}

/* Asserts the times of a session. */
void
importfix_when(const struct program *p, const char *id, const char *start, const char *end)
{
	const struct session *s = importfix_session(p, id);
	char a[64], b[64];

	importfix_local(p, s->start_ms, a, sizeof a);
	importfix_local(p, s->end_ms, b, sizeof b);
	if (strcmp(a, start) != 0 || strcmp(b, end) != 0)
		fail_msg("session %s: got %s to %s, want %s to %s", id, a, b, start, end);
}

/* The warning that contains text. */
const char *
importfix_warning(const struct import_report *report, const char *text)
{
	size_t i;

	for (i = 0; i < report->nwarnings; i++)
		if (strstr(report->warnings[i], text) != NULL)
			return report->warnings[i];
	return NULL;
}
