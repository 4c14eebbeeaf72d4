/* curses_agenda.c: the full-screen interface's side of finding your way: /search results
 * and /agenda as lines in the chat, stars and reminders announced, the schedule view's
 * filters and its keys ('*' stars the selected session, F5 and F6 go through the tracks
 * and the rooms). */
#include "util/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "find/fold.h"
#include "ui/curses_int.h"
#include "util/xalloc.h"

/* One session as a line of the chat: "when id kind: title" plus mark (ours, or ""). */
static void
curses_ag_line(struct curses *cu, const char *label, const struct session *s,
    const char *mark)
{
	char a[64], b[64], *title = curses_s(s->title), *id = curses_s(s->id);

	curses_time(cu, s->start_ms, false, a, sizeof a);
	curses_time(cu, s->end_ms, true, b, sizeof b);
	curses_addf(cu, CL_INFO, "%s %s-%s %s %s: %s%s%s", label, a, b, id,
	    session_kind_label(s->kind), title, mark[0] != '\0' ? " " : "", mark);
	free(title);
	free(id);
}

/* /search: the sessions found, then their number. */
static void
curses_ag_search(void *arg, const char *text, const struct program *pg,
    const struct session *const *ss, size_t n, size_t total, int64_t hub_now)
{
	struct curses *cu = arg;
	char *t = curses_s(text);
	size_t i;

	(void)pg;
	(void)hub_now;
	for (i = 0; i < n; i++)
		curses_ag_line(cu, _("found:"), ss[i], client_starred(cu->client, ss[i]->id) ?
		    _("(starred)") : "");
	if (total == 0)
		curses_addf(cu, CL_NOTICE, _("no session matches \"%s\""), t);
	else if (total > n)
		curses_addf(cu, CL_NOTICE, _("%zu sessions match \"%s\"; the first %zu are shown: "
		    "search for more words to narrow it"), total, t, n);
	else
		curses_addf(cu, CL_NOTICE, P_("%zu session matches \"%s\"",
		    "%zu sessions match \"%s\"", total), total, t);
	free(t);
}

/* /filter: the schedule view shows the day filtered to, and says the filters. */
static void
curses_ag_filter(void *arg, const struct program *pg, const struct search_filter *f)
{
	struct curses *cu = arg;
	char *t = f->track != NULL ? curses_s(f->track) : NULL;
	char *r = f->room != NULL ? curses_s(f->room) : NULL;

	(void)pg;
	if (f->day >= 0)
		cu->day = f->day;
	cu->sched_sel = SIZE_MAX;
	if (!search_filter_active(f))
		curses_addf(cu, CL_NOTICE, "%s", _("no filter: the schedule shows every session"));
	else
		curses_addf(cu, CL_NOTICE, _("schedule filter: track \"%s\", room \"%s\" "
		    "(/filter off shows all)"), t != NULL ? t : _("any"), r != NULL ? r : _("any"));
	free(t);
	free(r);
	curses_mark(cu, CD_VIEW);
}

/* /agenda: the starred sessions, overlaps flagged. */
static void
curses_ag_agenda(void *arg, const struct program *pg, const struct session *const *ss,
    const bool *overlap, size_t n, size_t gone, int64_t hub_now)
{
	struct curses *cu = arg;
	size_t i;

	(void)pg;
	(void)hub_now;
	for (i = 0; i < n; i++)
		curses_ag_line(cu, _("agenda:"), ss[i], overlap[i] ? _("(overlaps)") : "");
	if (gone > 0)
		curses_addf(cu, CL_NOTICE, P_("%zu starred session is no longer in the program",
		    "%zu starred sessions are no longer in the program", gone), gone);
	if (n == 0)
		curses_addf(cu, CL_NOTICE, "%s", _("your agenda is empty: /star SESSION adds a "
		    "session"));
}

/* /star, /unstar done: said, and the schedule's marks drawn again. */
static void
curses_ag_starred(void *arg, const struct program *pg, const char *id,
    const struct session *s, bool on, bool changed, const struct session *clash)
{
	struct curses *cu = arg;
	char *i = curses_s(id), *c = clash != NULL ? curses_s(clash->id) : NULL;

	(void)pg;
	(void)s;
	if (on)
		curses_addf(cu, CL_NOTICE, changed ? _("%s is on your agenda") :
		    _("%s was already on your agenda"), i);
	else
		curses_addf(cu, CL_NOTICE, changed ? _("%s is off your agenda") :
		    _("%s was not on your agenda"), i);
	if (c != NULL)
		curses_addf(cu, CL_NOTICE, _("%s overlaps %s, also on your agenda"), i, c);
	free(i);
	free(c);
	curses_mark(cu, CD_VIEW);
}

/* A starred session starts soon: marked in the buffer looked at, with the bell (unless
 * the config says bell = no). */
static void
curses_ag_reminder(void *arg, const struct program *pg, const struct session *s,
    int64_t left_ms)
{
	struct curses *cu = arg;
	char *title = curses_s(s->title), *id = curses_s(s->id), *text;
	long long min = (left_ms + 59999) / 60000;

	(void)pg;
	text = xasprintf(P_("%s \"%s\" starts in %lld minute", "%s \"%s\" starts in %lld minutes",
	    (unsigned long)min), id, title, min);
	curses_buf_add(cu, curses_buf_active(cu), CL_NOTICE, _("[reminder]"), text,
	    CLF_MENTION);
	if (cu->opts.bell)
		curses_bell(cu);
	curses_mark(cu, CD_VIEW);
	free(text);
	free(title);
	free(id);
}

/* /export done. */
static void
curses_ag_exported(void *arg, const char *path, size_t n)
{
	struct curses *cu = arg;
	char *p = curses_s(path);

	curses_addf(cu, CL_NOTICE, P_("%zu session written to %s", "%zu sessions written to %s",
	    n), n, p);
	free(p);
}

/* '*' in the schedule or a session's details: stars or unstars that session. */
bool
curses_agenda_star_key(struct curses *cu)
{
	const struct session *ss[CURSES_DAY_SESSIONS];
	const char *id = NULL;
	size_t n;
	char *line;

	if (cu->client == NULL)
		return false;
	if (cu->view == CV_SCHEDULE) {
		n = curses_day_sessions(cu, ss, CURSES_DAY_SESSIONS);
		if (cu->sched_sel < n)
			id = ss[cu->sched_sel]->id;
	} else if (cu->view == CV_DETAILS)
		id = cu->detail;
	else
		return false;
	if (id == NULL || id[0] == '\0')
		return true;
	line = xasprintf("/%s %s", client_starred(cu->client, id) ? "unstar" : "star", id);
	if (cu->in.line != NULL)
		cu->in.line(cu->in.arg, line);
	free(line);
	return true;
}

/* F5 (track) or F6 (room, which 'r'): the filter goes to the next track or room of the
 * program, and after the last one back to all. */
void
curses_agenda_cycle(struct curses *cu, char which)
{
	const struct program *pg = cu->client != NULL ? client_program(cu->client) : NULL;
	const struct search_filter *f = cu->client != NULL ? client_filter(cu->client) : NULL;
	const char *vals[64], *cur;
	size_t n, i, next = 0;
	char *folded, *line;

	if (pg == NULL)
		return;
	n = search_distinct(pg, which, vals, 64);
	cur = which == 't' ? f->track : f->room;
	for (i = 0; cur != NULL && i < n; i++) {
		folded = fold_text(vals[i]);
		if (strcmp(folded, cur) == 0)
			next = i + 1;
		free(folded);
	}
	if (n == 0)
		beep();
	line = next < n ? xasprintf("/filter %s %s", which == 't' ? "track" : "room",
	    vals[next]) : xasprintf("/filter %s all", which == 't' ? "track" : "room");
	if (cu->in.line != NULL)
		cu->in.line(cu->in.arg, line);
	free(line);
}

/* Fills the callbacks of this file. */
void
curses_agenda_view(struct client_view *v)
{
	v->search = curses_ag_search;
	v->filter = curses_ag_filter;
	v->agenda = curses_ag_agenda;
	v->starred = curses_ag_starred;
	v->reminder = curses_ag_reminder;
	v->exported = curses_ag_exported;
}
