/* plain_agenda.c: plain-mode lines for finding your way: /search results, the filters,
 * the starred sessions (/star, /agenda), reminders and /export. One self-contained line
 * each, network text sanitised. */
#include "util/i18n.h"

#include <stdio.h>
#include <string.h>

#include "ui/plain_int.h"
#include "util/tztime.h"
#include "util/xalloc.h"

/* /search results, then how many matched. */
static void
plain_search(void *arg, const char *text, const struct program *pg,
    const struct session *const *ss, size_t n, size_t total, int64_t hub_now)
{
	struct plain *p = arg;
	char marks[96];
	size_t i;

	for (i = 0; i < n; i++)
		plain_session(p, "search", pg, ss[i], true, plain_marks(p, ss[i], hub_now, marks,
		    sizeof marks));
	if (total == 0)
		plain_line(p, "search", _("no session matches \"%s\""), plain_s(p, text));
	else if (total > n)
		plain_line(p, "search", _("%zu sessions match \"%s\"; the first %zu are shown: "
		    "search for more words to narrow it"), total, plain_s(p, text), n);
	else
		plain_line(p, "search", P_("%zu session matches \"%s\"",
		    "%zu sessions match \"%s\"", total), total, plain_s(p, text));
}

/* The filters now set, as one line. */
static void
plain_filter(void *arg, const struct program *pg, const struct search_filter *f)
{
	struct plain *p = arg;
	char day[64] = "", track[SEARCH_MAX_QUERY * 2 + 32] = "",
	    room[SEARCH_MAX_QUERY * 2 + 32] = "";

	if (!search_filter_active(f)) {
		plain_line(p, "filter", "%s", _("no filter: /schedule shows every session"));
		return;
	}
	if (f->day >= 0) {
		char date[32];
		tz_format(pg->timezone, program_day_label_ms(pg, (size_t)f->day), "%Y-%m-%d",
		    date, sizeof date);
		snprintf(day, sizeof day, _("day %d (%s); "), f->day + 1, date);
	}
	if (f->track != NULL)
		snprintf(track, sizeof track, _("track contains \"%s\"; "), plain_s(p, f->track));
	if (f->room != NULL)
		snprintf(room, sizeof room, _("room contains \"%s\"; "), plain_s(p, f->room));
	plain_line(p, "filter", _("/schedule shows: %s%s%s/filter off shows all"), day, track,
	    room);
}

/* /agenda: the starred sessions, overlaps flagged. */
static void
plain_agenda(void *arg, const struct program *pg, const struct session *const *ss,
    const bool *overlap, size_t n, size_t gone, int64_t hub_now)
{
	struct plain *p = arg;
	size_t i, clashes = 0;
	char suffix[96];

	for (i = 0; i < n; i++) {
		bool now = hub_now >= ss[i]->start_ms && hub_now < ss[i]->end_ms;
		snprintf(suffix, sizeof suffix, "%s%s%s", now ? _("(now)") : "",
		    now && overlap[i] ? " " : "", overlap[i] ? _("(overlaps)") : "");
		plain_session(p, "agenda", pg, ss[i], true, suffix[0] != '\0' ? suffix : NULL);
		clashes += overlap[i];
	}
	if (gone > 0)
		plain_line(p, "agenda", P_("%zu starred session is no longer in the program",
		    "%zu starred sessions are no longer in the program", gone), gone);
	if (n == 0)
		plain_line(p, "agenda", "%s", _("your agenda is empty: /star SESSION adds a "
		    "session"));
	else if (clashes > 0)
		plain_line(p, "agenda", P_("%zu starred session; %zu overlap",
		    "%zu starred sessions; %zu overlap", n), n, clashes);
	else
		plain_line(p, "agenda", P_("%zu starred session, no overlaps",
		    "%zu starred sessions, no overlaps", n), n);
}

/* /star, /unstar done. */
static void
plain_starred(void *arg, const struct program *pg, const char *id, const struct session *s,
    bool on, bool changed, const struct session *clash)
{
	struct plain *p = arg;

	(void)pg;
	if (on && changed)
		plain_line(p, "star", _("%s \"%s\" is on your agenda"), plain_s(p, id),
		    plain_s(p, s->title));
	else if (on)
		plain_line(p, "star", _("%s \"%s\" was already on your agenda"), plain_s(p, id),
		    plain_s(p, s->title));
	else if (changed)
		plain_line(p, "star", _("%s is off your agenda"), plain_s(p, id));
	else
		plain_line(p, "star", _("%s was not on your agenda"), plain_s(p, id));
	if (on && clash != NULL)
		plain_line(p, "star", _("%s overlaps %s \"%s\", also on your agenda"),
		    plain_s(p, id), plain_s(p, clash->id), plain_s(p, clash->title));
}

/* A starred session starts soon. */
static void
plain_reminder(void *arg, const struct program *pg, const struct session *s,
    int64_t left_ms)
{
	struct plain *p = arg;
	char rel[64], suffix[160];

	snprintf(suffix, sizeof suffix, _("(starts in %s)"), plain_rel(left_ms > 0 ? left_ms :
	    0, rel, sizeof rel));
	plain_session(p, "reminder", pg, s, false, suffix);
}

/* /export done. */
static void
plain_exported(void *arg, const char *path, size_t n)
{
	struct plain *p = arg;

	plain_line(p, "export", P_("%zu session written to %s", "%zu sessions written to %s",
	    n), n, plain_s(p, path));
}

/* Fills the callbacks of this file. */
void
plain_agenda_view(struct client_view *v)
{
	v->search = plain_search;
	v->filter = plain_filter;
	v->agenda = plain_agenda;
	v->starred = plain_starred;
	v->reminder = plain_reminder;
	v->exported = plain_exported;
}
