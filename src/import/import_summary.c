/* import_summary.c: what "confabd --check-program" says about a program: its title,
 * format and zone, its days with their sessions, its rooms and kinds, and the warnings of
 * the import. */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "import/import_int.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/tztime.h"
#include "util/xalloc.h"

/* Appends a formatted line to b. */
static void
import_summary_line(struct import_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void
import_summary_line(struct import_buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	import_buf_adds(b, s);
	import_buf_adds(b, "\n");
	free(s);
}

/* Orders location names (borrowed pointers; NULL last). */
static int
import_summary_cmp(const void *a, const void *b)
{
	const char *const *sa = a, *const *sb = b;

	if (*sa == NULL || *sb == NULL)
		return (*sa == NULL) - (*sb == NULL);
	return strcmp(*sa, *sb);
}

/* The rooms (locations) of p with their sessions, by name; sessions without one last. */
static void
import_summary_rooms(struct import_buf *b, const struct program *p)
{
	const char **names = xcalloc(p->nsessions + 1, sizeof *names);
	size_t i, j, n, distinct = 0;
	char *safe;

	for (i = 0; i < p->nsessions; i++)
		names[i] = p->sessions[i].location;
	qsort(names, p->nsessions, sizeof *names, import_summary_cmp);
	for (i = 0; i < p->nsessions; i = j) {
		for (j = i + 1; j < p->nsessions && import_summary_cmp(&names[i], &names[j]) == 0;
		    j++)
			;
		distinct += names[i] != NULL;
	}
	import_summary_line(b, _("rooms: %zu"), distinct);
	for (i = 0; i < p->nsessions; i = j) {
		for (j = i + 1; j < p->nsessions && import_summary_cmp(&names[i], &names[j]) == 0;
		    j++)
			;
		n = j - i;
		if (names[i] == NULL) {
			import_summary_line(b, P_("  (no room): %zu session",
			    "  (no room): %zu sessions", n), n);
			continue;
		}
		safe = sanitize_str(names[i]);
		import_summary_line(b, P_("  %s: %zu session", "  %s: %zu sessions", n), safe, n);
		free(safe);
	}
	free(names);
}

/* The summary of a program and its import. */
char *
import_summary(const struct program *p, const struct import_report *report)
{
	struct import_buf b = { NULL, 0, 0 };
	size_t counts[SK__COUNT] = { 0 }, ndays, *perday, i, rooms = 0;
	char *safe, date[64];
	int64_t *starts;
	int d;

	safe = sanitize_str(p->title);
	import_summary_line(&b, _("title: %s"), safe);
	free(safe);
	if (report != NULL)
		import_summary_line(&b, _("format: %s"), import_format_name(report->format));
	import_summary_line(&b, _("time zone: %s"), p->timezone);
	import_summary_line(&b, _("sessions: %zu"), p->nsessions);
	ndays = program_days(p, NULL, 0);
	starts = xcalloc(ndays + 1, sizeof *starts);
	perday = xcalloc(ndays + 1, sizeof *perday);
	program_days(p, starts, ndays);
	for (i = 0; i < p->nsessions; i++) {
		if ((d = program_day_index(p, &p->sessions[i])) >= 0)
			perday[d]++;
		counts[p->sessions[i].kind]++;
		rooms += p->sessions[i].kind == SK_DISCUSSION;
	}
	import_summary_line(&b, _("days: %zu"), ndays);
	for (i = 0; i < ndays; i++) {
		/* TRANSLATORS: strftime(3) format of a day in confabd --check-program. */
		/* xgettext:no-c-format */
		tz_format(p->timezone, program_day_label_ms(p, i), _("%a %d %b %Y"), date,
		    sizeof date);
		import_summary_line(&b, P_("  day %zu: %s, %zu session", "  day %zu: %s, %zu "
		    "sessions", perday[i]), i + 1, date, perday[i]);
	}
	free(starts);
	free(perday);
	import_summary_rooms(&b, p);
	import_summary_line(&b, "%s", _("kinds:"));
	for (i = 0; i < SK__COUNT; i++)
		if (counts[i] > 0)
			import_summary_line(&b, "  %s: %zu", session_kind_label((enum session_kind)i),
			    counts[i]);
	import_summary_line(&b, _("chat rooms for discussions: %zu"), rooms);
	import_summary_line(&b, _("warnings: %zu"), report != NULL ? report->nwarnings : 0);
	for (i = 0; report != NULL && i < report->nwarnings; i++) {
		safe = sanitize_str(report->warnings[i]);
		import_summary_line(&b, "  %s", safe);
		free(safe);
	}
	return import_buf_take(&b);
}
