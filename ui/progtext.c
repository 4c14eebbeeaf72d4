/* progtext.c: the lines that announce changes of the program. */
#include "util/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/progtext.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

/* Formats instant ms as the user sees times (tf: the event's zone or local time, 24 or 12
 * hours, the zone named), with the day too unless same_day_as falls on the same day. */
static const char *
progtext_when(const struct timefmt *tf, int64_t ms, int64_t same_day_as, char *buf,
    size_t len)
{
	char a[32], b[32], day[64], clock[64];

	timefmt_strf(tf, ms, "%Y-%m-%d", a, sizeof a);
	timefmt_strf(tf, same_day_as, "%Y-%m-%d", b, sizeof b);
	timefmt_clock(tf, ms, true, clock, sizeof clock);
	if (strcmp(a, b) == 0) {
		snprintf(buf, len, "%s", clock);
		return buf;
	}
	/* TRANSLATORS: strftime(3) format of a program day, e.g. "Mon 12 Oct". */
	/* xgettext:no-c-format */
	timefmt_strf(tf, ms, _("%a %d %b"), day, sizeof day);
	snprintf(buf, len, "%s %s", day, clock);
	return buf;
}

/* True when two optional strings differ. */
static bool
progtext_differ(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcmp(a, b) != 0;
}

/* Appends part to *out, separated by "; ". */
static void
progtext_add(char **out, char *part)
{
	char *s;

	if (*out == NULL) {
		*out = part;
		return;
	}
	s = xasprintf("%s; %s", *out, part);
	free(*out);
	free(part);
	*out = s;
}

/* "15 minutes late" (delay_ms > 0) or "5 minutes early" (< 0), as a new string. */
static char *
progtext_delay(int64_t delay_ms)
{
	long long min = (long long)(((delay_ms < 0 ? -delay_ms : delay_ms) + 59999) / 60000);

	if (delay_ms < 0)
		return xasprintf(P_("%lld minute early", "%lld minutes early", (unsigned long)min),
		    min);
	return xasprintf(P_("%lld minute late", "%lld minutes late", (unsigned long)min), min);
}

/* What facilitators said of session s. */
char *
progtext_state(const struct session *s)
{
	char *what = NULL, *out;

	if (s->delay_ms != 0)
		progtext_add(&what, progtext_delay(s->delay_ms));
	if (s->live)
		progtext_add(&what, xstrdup(_("under way now")));
	if (what == NULL)
		return xstrdup("");
	out = xasprintf(" (%s)", what);
	free(what);
	return out;
}

/* What changed in a session that is in both programs, as a new string. */
static char *
progtext_what(const struct timefmt *tf, const struct session *o, const struct session *n)
{
	char *what = NULL, *loc, *was, a[128], b[128];

	if (o->start_ms != n->start_ms) {
		progtext_when(tf, n->start_ms, o->start_ms, a, sizeof a);
		progtext_when(tf, o->start_ms, n->start_ms, b, sizeof b);
		progtext_add(&what, xasprintf(_("now at %s (was %s)"), a, b));
		if (n->delay_ms != 0 && n->delay_ms != o->delay_ms)
			progtext_add(&what, progtext_delay(n->delay_ms));
	} else if (o->end_ms != n->end_ms) {
		progtext_when(tf, n->end_ms, n->start_ms, a, sizeof a);
		progtext_add(&what, xasprintf(_("now ends at %s"), a));
	}
	if (progtext_differ(o->location, n->location)) {
		loc = sanitize_str(n->location != NULL ? n->location : "?");
		if (o->location != NULL) {
			was = sanitize_str(o->location);
			progtext_add(&what, xasprintf(_("moved to %s (was %s)"), loc, was));
			free(was);
		} else
			progtext_add(&what, xasprintf(_("moved to %s"), loc));
		free(loc);
	}
	if (n->live && !o->live)
		progtext_add(&what, xstrdup(_("under way now")));
	else if (o->live && !n->live)
		progtext_add(&what, xstrdup(_("no longer marked as under way")));
	if (what == NULL)
		what = xstrdup(_("details changed (/info shows them)"));
	return what;
}

/* The line for one change. */
char *
progtext_change(const struct timefmt *tf, const struct program_change *c, const char *by)
{
	const struct session *s = c->new_ != NULL ? c->new_ : c->old;
	char *title = sanitize_str(s->title), *what, *line, *who, when[128];

	switch (c->kind) {
	case PC_ADDED:
		progtext_when(tf, s->start_ms, -1, when, sizeof when);
		line = xasprintf(_("new session %s \"%s\", %s"), s->id, title, when);
		break;
	case PC_REMOVED:
		line = xasprintf(_("session %s \"%s\" was removed"), s->id, title);
		break;
	default:
		what = progtext_what(tf, c->old, c->new_);
		line = xasprintf(_("session %s \"%s\": %s"), s->id, title, what);
		free(what);
		break;
	}
	free(title);
	if (by != NULL) {
		who = sanitize_str(by);
		what = xasprintf(_("%s (by %s)"), line, who);
		free(who);
		free(line);
		line = what;
	}
	return line;
}

/* The line that ends a long list. */
char *
progtext_more(size_t n)
{
	return xasprintf(P_("%zu more change: /schedule shows it",
	    "%zu more changes: /schedule shows them", n), n);
}
