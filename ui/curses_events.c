/* curses_events.c: the curses front end's client callbacks: each event becomes a line in
 * the right buffer, or opens a view, and marks what must be redrawn. Every network string
 * is sanitised here, before it is stored. */
#include "util/i18n.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/curses_int.h"
#include "ui/statstext.h"
#include "util/duration.h"
#include "util/sanitize.h"
#include "util/sat.h"
#include "util/xalloc.h"

/* A sanitised copy of a network string (new). */
char *
curses_s(const char *s)
{
	return sanitize_str(s);
}

/* True when text mentions name as a word (ASCII case folded). */
static bool
curses_mentions(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	if (n < 2)
		return false;
	for (p = text; *p != '\0'; p++) {
		if (strncasecmp(p, name, n) != 0)
			continue;
		if ((p == text || !isalnum((unsigned char)p[-1])) &&
		    !isalnum((unsigned char)p[n]))
			return true;
	}
	return false;
}

/* Rings the terminal bell (the terminal may flash instead). */
void
curses_bell(struct curses *cu)
{
	if (cu->started)
		beep();
}

/* Connection and status notices. */
static void
curses_ev_notice(void *arg, enum client_notice what, const char *detail, int64_t delay_ms)
{
	struct curses *cu = arg;
	char *d = curses_s(detail);
	int64_t s = (delay_ms + 500) / 1000 > 0 ? (delay_ms + 500) / 1000 : 1;
	size_t i, n;
	const struct room_info *r;

	switch (what) {
	case CN_CONNECTING:
		cu->conn = 0;
		curses_addf(cu, CL_NOTICE, _("connecting to %s"), d);
		break;
	case CN_CONNECTED:
	case CN_RECONNECTED:
		cu->conn = 1;
		if (what == CN_CONNECTED)
			curses_addf(cu, CL_NOTICE, _("connected as %s (%s)"), d,
			    client_role(cu->client) == ROLE_FACILITATOR ? _("facilitator") :
			    _("attendee"));
		else
			curses_addf(cu, CL_NOTICE, "%s", _("reconnected"));
		r = client_rooms(cu->client, &n);
		for (i = 0; i < n; i++)
			if (client_is_joined(cu->client, r[i].id))
				curses_buf_get(cu, r[i].id);
		break;
	case CN_LOST:
	case CN_FAILED:
		cu->conn = delay_ms >= 0 ? 2 : 0;
		cu->retry_at = curses_mono() + (delay_ms > 0 ? delay_ms : 0);
		free(cu->conn_detail);
		cu->conn_detail = xstrdup(d);
		if (delay_ms < 0)
			curses_addf(cu, CL_ERROR, what == CN_LOST ? _("connection closed (%s)") :
			    _("cannot connect (%s)"), d);
		else if (what == CN_LOST)
			curses_addf(cu, CL_ERROR, _("connection lost (%s); reconnecting in %lld s"),
			    d, (long long)s);
		else
			curses_addf(cu, CL_ERROR, _("cannot connect (%s); trying again in %lld s"),
			    d, (long long)s);
		break;
	case CN_NAME_TAKEN:
		curses_addf(cu, CL_NOTICE, _("that name is taken; trying %s"), d);
		break;
	case CN_HELLO_RETRY:
		curses_addf(cu, CL_ERROR, _("the hub cannot let us in now (%s); asking again in "
		    "%lld s"), d, (long long)((delay_ms + 999) / 1000));
		break;
	case CN_QUEUED:
		curses_addf(cu, CL_NOTICE, "%s", _("not connected: what you type will be sent "
		    "after reconnecting"));
		break;
	case CN_PROGRAM:
		curses_addf(cu, CL_NOTICE, "%s", _("the program was updated"));
		break;
	case CN_PROGRAM_CACHED:
		curses_addf(cu, CL_NOTICE, "%s", _("showing the program saved from the last "
		    "visit: not live until the hub answers"));
		break;
	case CN_REFUSED:
		/* no attempt follows: the top line says so, the lines say why, and they are
		 * printed again once the screen is gone */
		if (cu->conn != 3) {
			free(cu->conn_detail);
			cu->conn_detail = NULL;
		}
		cu->conn = 3;
		if (cu->conn_detail == NULL)
			cu->conn_detail = xstrdup(d);
		else {
			char *joined = xasprintf("%s\n%s", cu->conn_detail, d);

			free(cu->conn_detail);
			cu->conn_detail = joined;
		}
		curses_addf(cu, CL_ERROR, "%s", d);
		break;
	}
	free(d);
	curses_mark(cu, CD_ALL);
}

/* Finds our own line in b that the hub's echo (text) confirms: the oldest one still
 * waiting, or NULL. */
static struct cline *
curses_own_line(struct cbuf *b, enum cline_kind kind, const char *text)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		struct cline *l = curses_buf_line(b, i);
		if (l->kind == kind && (l->flags & (CLF_PENDING | CLF_ECHO)) &&
		    !(l->flags & CLF_FAILED) && strcmp(l->text, text) == 0)
			return l;
	}
	return NULL;
}

/* A chat line in a room. */
static void
curses_ev_chat(void *arg, const char *room, const char *from, const char *text, bool me,
    uint64_t seq)
{
	struct curses *cu = arg;
	struct cbuf *b = curses_buf_get(cu, room);
	char *f = curses_s(from), *t = curses_s(text), *prefix;
	bool mine = strcmp(from, client_name(cu->client)) == 0;
	enum cline_kind kind = me ? CL_ACTION : CL_CHAT;
	struct cline *l = mine ? curses_own_line(b, kind, t) : NULL;
	unsigned flags = mine ? CLF_MINE : 0;

	if (l != NULL) {
		/* the hub's echo of a line shown as pending: it is delivered */
		l->flags &= ~(unsigned)(CLF_PENDING | CLF_ECHO);
		l->seq = seq;
		curses_mark(cu, CD_VIEW);
	} else {
		if (!mine && curses_mentions(text, client_name(cu->client))) {
			flags |= CLF_MENTION;
			if (cu->opts.mention_bell)
				curses_bell(cu);
		}
		prefix = me ? xasprintf("* %s", f) : xasprintf("<%s>", f);
		curses_buf_add(cu, b, kind, prefix, t, flags)->seq = seq;
		free(prefix);
	}
	if (!mine)
		curses_note_nick(cu, from);
	free(f);
	free(t);
}

/* A private message (received, or our own echoed back): shown where we are. */
static void
curses_ev_privmsg(void *arg, const char *from, const char *to, const char *text,
    bool outgoing)
{
	struct curses *cu = arg;
	struct cbuf *b = curses_buf_here(cu);
	char *who = curses_s(outgoing ? to : from), *t = curses_s(text), *prefix;
	struct cline *l = outgoing ? curses_own_line(b, CL_PRIVMSG, t) : NULL;

	if (l != NULL) {
		l->flags &= ~(unsigned)(CLF_PENDING | CLF_ECHO);
		curses_mark(cu, CD_VIEW);
	} else {
		prefix = outgoing ? xasprintf(_("[msg to %s]"), who) :
		    xasprintf(_("[msg from %s]"), who);
		curses_buf_add(cu, b, CL_PRIVMSG, prefix, t, outgoing ? CLF_MINE : CLF_MENTION);
		free(prefix);
		if (!outgoing && cu->opts.mention_bell)
			curses_bell(cu);
	}
	if (!outgoing)
		curses_note_nick(cu, from);
	free(who);
	free(t);
}

/* Someone joined, left or quit a room we are in. */
static void
curses_ev_presence(void *arg, const char *room, const char *name, enum proto_presence action)
{
	struct curses *cu = arg;
	struct cbuf *b = curses_buf_find(cu, room, NULL);
	char *n = curses_s(name), *t;

	if (b != NULL) {
		t = xasprintf(action == PRES_JOIN ? _("%s joined") : action == PRES_PART ?
		    C_("presence", "%s left") : _("%s quit"), n);
		curses_buf_add(cu, b, CL_NOTICE, "--", t, 0);
		free(t);
	}
	curses_note_nick(cu, name);
	free(n);
	if (cu->view == CV_ROOMS)
		curses_mark(cu, CD_VIEW);
}

/* We joined a room (it is now the current room): its buffer becomes active. */
static void
curses_ev_joined(void *arg, const char *room, unsigned people)
{
	struct curses *cu = arg;
	struct cbuf *b = curses_buf_get(cu, room);
	char tag[ROOM_ID_MAX + 2], n[64], *t;
	size_t idx;

	curses_buf_find(cu, room, &idx);
	b->closed = false;
	if (idx != cu->cur || cu->view != CV_CHAT) {
		snprintf(tag, sizeof tag, "#%s", room);
		t = xasprintf(_("you joined %s (%s)"), tag, statstext_people(people, n,
		    sizeof n));
		curses_buf_add(cu, b, CL_NOTICE, "--", t, CLF_MINE);
		free(t);
	}
	curses_buf_switch(cu, idx);
	curses_open_view(cu, CV_CHAT);
}

/* We left a room: its buffer goes. */
static void
curses_ev_parted(void *arg, const char *room)
{
	struct curses *cu = arg;
	size_t idx;
	char tag[ROOM_ID_MAX + 2];

	if (curses_buf_find(cu, room, &idx) != NULL)
		curses_buf_remove(cu, idx);
	snprintf(tag, sizeof tag, "#%s", room);
	curses_buf_find(cu, client_current_room(cu->client), &idx);
	curses_buf_switch(cu, idx);
	curses_addf(cu, CL_NOTICE, _("you left %s"), tag);
}

/* A room appeared: said in the lobby. */
static void
curses_ev_room_opened(void *arg, const struct room_info *r)
{
	struct curses *cu = arg;
	char kind[SANITIZE_MAX_BYTES(ROOM_TITLE_MAX) + 128], *id = curses_s(r->id), *t;

	statstext_room_kind(r, kind, sizeof kind);
	if (r->capacity > 0)
		t = xasprintf(_("#%s opened (%s, capacity %u)"), id, kind, r->capacity);
	else
		t = xasprintf(_("#%s opened (%s)"), id, kind);
	curses_buf_add(cu, curses_buf_get(cu, ROOM_LOBBY), CL_NOTICE, "--", t, 0);
	free(t);
	free(id);
	if (cu->view == CV_ROOMS)
		curses_mark(cu, CD_VIEW);
}

/* A room closed; when we were in it, its buffer stays readable (closed) and we are back
 * in moved_to. */
static void
curses_ev_room_closed(void *arg, const char *room, const char *by, bool member,
    const char *moved_to)
{
	struct curses *cu = arg;
	struct cbuf *b = curses_buf_find(cu, room, NULL);
	char *id = curses_s(room), *who = curses_s(by), *to = curses_s(moved_to != NULL ?
	    moved_to : ROOM_LOBBY), *t;
	size_t idx;

	if (!member || b == NULL) {
		t = xasprintf(_("#%s closed"), id);
		curses_buf_add(cu, curses_buf_get(cu, ROOM_LOBBY), CL_NOTICE, "--", t, 0);
	} else {
		if (*who != '\0')
			t = xasprintf(_("closed by %s; you are back in #%s"), who, to);
		else
			t = xasprintf(_("closed; you are back in #%s"), to);
		b->closed = true;
		curses_buf_add(cu, b, CL_NOTICE, "--", t, 0);
		if (curses_buf_active(cu) == b) {
			curses_buf_find(cu, client_current_room(cu->client), &idx);
			if (curses_buf_get(cu, client_current_room(cu->client)) != NULL &&
			    curses_buf_find(cu, client_current_room(cu->client), &idx) != NULL)
				curses_buf_switch(cu, idx);
		}
		free(t);
		t = xasprintf("#%s: %s", id, _("closed"));
		curses_buf_add(cu, curses_buf_here(cu), CL_NOTICE, "--", t, 0);
	}
	free(t);
	free(id);
	free(who);
	free(to);
	curses_mark(cu, CD_ALL);
}

/* /rooms: the rooms view. */
static void
curses_ev_rooms(void *arg, const struct room_info *rooms, size_t n)
{
	struct curses *cu = arg;

	(void)rooms;
	(void)n;
	curses_open_view(cu, CV_ROOMS);
}

/* /who: the members of a room on one line. */
static void
curses_ev_who(void *arg, const char *room, const char *const *names, size_t n)
{
	struct curses *cu = arg;
	size_t i;
	char *list = statstext_names(names, n), *s, *r = curses_s(room), *t;

	/* (the first ones only: the completion list keeps 256 names anyway) */
	for (i = 0; i < n && i < 256; i++)
		curses_note_nick(cu, names[i]);
	t = xasprintf(P_("%zu person: %s", "%zu people: %s", n), n, list);
	s = xasprintf("#%s", r);
	curses_buf_add(cu, curses_buf_active(cu), CL_INFO, s, t, CLF_MINE);
	free(s);
	free(t);
	free(list);
	free(r);
}

/* A timer's state changed: the timer line (and the ticking) follow. */
static void
curses_ev_timer(void *arg, const struct timer *t, enum timer_state prev, int64_t hub_now)
{
	struct curses *cu = arg;

	(void)t;
	(void)prev;
	(void)hub_now;
	curses_mark(cu, CD_TIMER | CD_LAYOUT | (cu->view == CV_SPEAKER ? CD_VIEW : 0));
}

/* A timer changed: one notice line in the buffer where we are. */
static void
curses_ev_timer_change(void *arg, const struct timer *t, enum timer_change change,
    int64_t delta_ms, int64_t hub_now)
{
	struct curses *cu = arg;
	char left[64], d[32], *by = curses_s(t->by[0] != '\0' ? t->by : "?");
	char *label = curses_s(t->label), *scope = curses_s(t->scope), *m, *tag;

	statstext_left(timer_remaining(t, hub_now), left, sizeof left);
	switch (change) {
	case TC_START:
		m = *label != '\0' ? xasprintf(_("started by %s: %s, %s"), by, label, left) :
		    xasprintf(_("started by %s: %s"), by, left);
		break;
	case TC_RESUME:
		m = xasprintf(_("resumed by %s: %s"), by, left);
		break;
	case TC_PAUSE:
		m = xasprintf(_("paused by %s at %s"), by, left);
		break;
	case TC_STOP:
		m = xasprintf(_("stopped by %s"), by);
		break;
	case TC_ADJUST:
		duration_format(delta_ms < 0 ? sat_sub(0, delta_ms) : delta_ms, d, sizeof d);
		m = xasprintf(delta_ms < 0 ? _("%s took off %s: %s") : _("%s added %s: %s"), by, d,
		    left);
		break;
	default:
		m = xasprintf(_("reset by %s"), by);
		break;
	}
	tag = xasprintf(_("[timer %s]"), scope);
	curses_buf_add(cu, curses_buf_here(cu), CL_NOTICE, tag, m, 0);
	free(tag);
	free(m);
	free(by);
	free(label);
	free(scope);
	curses_mark(cu, CD_TIMER | CD_LAYOUT | (cu->view == CV_SPEAKER ? CD_VIEW : 0));
}

/* True when timer t is one this screen shows: the main stage or a room we are in. */
static bool
curses_timer_mine(struct curses *cu, const struct timer *t)
{
	return strcmp(t->scope, TIMER_SCOPE_MAIN) == 0 ||
	    client_is_joined(cu->client, t->scope);
}

/* A running timer reached a milestone: colours change by themselves (the timer line
 * ticks); at zero the bell rings (when configured) and a line says so. */
static void
curses_ev_timer_milestone(void *arg, const struct timer *t, enum timer_milestone m,
    int64_t remaining)
{
	struct curses *cu = arg;
	char *label, *scope, *tag;

	(void)remaining;
	curses_mark(cu, CD_TIMER | (cu->view == CV_SPEAKER ? CD_VIEW : 0));
	if (m != TM_UP)
		return;
	if (cu->opts.bell && curses_timer_mine(cu, t))
		curses_bell(cu);
	label = curses_s(t->label);
	scope = curses_s(t->scope);
	tag = xasprintf(_("[timer %s]"), scope);
	if (*label != '\0') {
		char *s = xasprintf("%s: %s", label, _("time is up"));
		curses_buf_add(cu, curses_buf_here(cu), CL_NOTICE, tag, s, 0);
		free(s);
	} else
		curses_buf_add(cu, curses_buf_here(cu), CL_NOTICE, tag, _("time is up"), 0);
	free(tag);
	free(label);
	free(scope);
}

/* /timer: the timers that are not idle, one line each. */
static void
curses_ev_timers(void *arg, const struct timer *t, size_t n, int64_t hub_now)
{
	struct curses *cu = arg;
	char left[64], *label, *scope, *m;
	size_t i, shown = 0;

	for (i = 0; i < n; i++) {
		if (t[i].state == TS_IDLE)
			continue;
		label = curses_s(t[i].label);
		scope = curses_s(t[i].scope);
		statstext_left(timer_remaining(&t[i], hub_now), left, sizeof left);
		if (*label != '\0')
			m = xasprintf(t[i].state == TS_RUNNING ? _("running: %s, %s") :
			    _("paused: %s, %s"), label, left);
		else
			m = xasprintf(t[i].state == TS_RUNNING ? _("running: %s") :
			    _("paused: %s"), left);
		curses_addf(cu, CL_INFO, "[%s] %s", scope, m);
		free(m);
		free(label);
		free(scope);
		shown++;
	}
	if (shown == 0)
		curses_addf(cu, CL_INFO, "%s", _("no timer is running"));
}

/* An error from the hub (with its code) or from us. */
static void
curses_ev_error(void *arg, enum proto_err code, const char *message)
{
	struct curses *cu = arg;
	char *m = curses_s(message);

	if (code == PE_NONE)
		curses_addf(cu, CL_ERROR, "%s", m);
	else
		curses_addf(cu, CL_ERROR, "%s (%s)", m, proto_err_name(code));
	free(m);
}

/* The hub refused us for good: the chat says why and what to do, the top line says it in
 * a few words, and the screen stays until the user quits (the message is written again
 * after the screen ends). */
static void
curses_ev_fatal(void *arg, const char *message, const char *reason)
{
	struct curses *cu = arg;
	char *m = curses_s(message);

	curses_addf(cu, CL_ERROR, "%s", m);
	curses_addf(cu, CL_ERROR, "%s", _("nothing more will be sent or received: type /quit "
	    "to leave"));
	free(cu->conn_detail);
	cu->conn_detail = m;
	free(cu->refusal);
	cu->refusal = curses_s(reason);
	cu->fatal = true;
	curses_mark(cu, CD_ALL);
	if (cu->in.fatal != NULL)
		cu->in.fatal(cu->in.arg);
}

/* "Mon 12 Oct 10:00-12:00 EDT" for a session, into buf. */
static const char *
curses_when(struct curses *cu, const struct session *s, char *buf, size_t len)
{
	char a[64], b[64];

	curses_time(cu, s->start_ms, false, a, sizeof a);
	curses_time(cu, s->end_ms, true, b, sizeof b);
	snprintf(buf, len, "%s-%s", a, b);
	return buf;
}

/* /schedule opens the schedule view (at its day), /info the details; /now and /next say
 * one line. */
static void
curses_ev_program(void *arg, enum client_program_req req, const struct program *pg,
    const struct session *s, int day, int64_t hub_now)
{
	struct curses *cu = arg;
	char when[160], *title, *id;
	const struct session *cur;

	switch (req) {
	case CP_SCHEDULE:
		if (day < 0) {
			cur = program_current(pg, hub_now);
			if (cur == NULL)
				cur = program_next(pg, hub_now);
			day = cur != NULL ? program_day_index(pg, cur) : 0;
		}
		cu->day = day >= 0 ? day : 0;
		cu->sched_sel = SIZE_MAX; /* select what is on now, else the first */
		curses_open_view(cu, CV_SCHEDULE);
		break;
	case CP_INFO:
		if (s != NULL) {
			snprintf(cu->detail, sizeof cu->detail, "%s", s->id);
			cu->detail_scroll = 0;
			curses_open_view(cu, CV_DETAILS);
		}
		break;
	default:
		if (s == NULL) {
			curses_addf(cu, CL_INFO, "%s", req == CP_NOW ? _("nothing is on now") :
			    _("nothing more is scheduled"));
			break;
		}
		title = curses_s(s->title);
		id = curses_s(s->id);
		curses_addf(cu, CL_INFO, "%s %s %s: %s", req == CP_NOW ? _("now:") : _("next:"),
		    curses_when(cu, s, when, sizeof when), id, title);
		free(title);
		free(id);
		break;
	}
}

/* /help opens the help view; /help COMMAND says its rows where we are. */
static void
curses_ev_help(void *arg, const char *topic)
{
	struct curses *cu = arg;
	const struct command_info *t;
	size_t n, i;

	if (topic == NULL) {
		cu->help_scroll = 0;
		curses_open_view(cu, CV_HELP);
		return;
	}
	t = command_table(&n);
	for (i = 0; i < n; i++)
		if (strcmp(topic, t[i].name) == 0)
			curses_addf(cu, CL_INFO, "%s: %s", t[i].usage, _(t[i].help));
}

/* "Title (Speaker, talk)" for a lineup item (new, sanitised). */
static char *
curses_item(const struct lineup_item *it)
{
	char *t = curses_s(it->title), *sp = curses_s(it->speaker), *r;

	if (*sp != '\0')
		r = xasprintf("%s (%s, %s)", t, sp, statstext_lineup_kind(it->kind));
	else
		r = xasprintf("%s (%s)", t, statstext_lineup_kind(it->kind));
	free(t);
	free(sp);
	return r;
}

/* /lineup: one line per item, then who is up next. */
static void
curses_ev_lineup(void *arg, const struct lineup_item *items, size_t n, int64_t current)
{
	struct curses *cu = arg;
	size_t i;
	char *it;

	for (i = 0; i < n; i++) {
		it = curses_item(&items[i]);
		if ((int64_t)i == current)
			curses_addf(cu, CL_INFO, _("%zu. %s (now)"), i + 1, it);
		else
			curses_addf(cu, CL_INFO, "%zu. %s", i + 1, it);
		free(it);
	}
	if (n == 0)
		curses_addf(cu, CL_INFO, "%s", _("the lineup is empty"));
	else if (current + 1 < (int64_t)n) {
		it = curses_item(&items[current + 1]);
		curses_addf(cu, CL_INFO, _("up next: %s"), it);
		free(it);
	} else
		curses_addf(cu, CL_INFO, "%s", _("up next: nothing, this is the last item"));
}

/* The lineup changed: the timer line shows who speaks and who is next; one line says so. */
static void
curses_ev_lineup_changed(void *arg, const struct lineup_item *old, size_t nold,
    int64_t oldcur, const struct lineup_item *items, size_t n, int64_t current,
    const char *by)
{
	struct curses *cu = arg;
	char *label, *s;

	(void)old;
	(void)nold;
	(void)by;
	if (current != oldcur && current >= 0 && (size_t)current < n) {
		label = lineup_item_label(&items[current]);
		s = curses_s(label);
		curses_addf(cu, CL_NOTICE, _("now speaking: %s"), s);
		free(s);
		free(label);
	}
	curses_mark(cu, CD_TIMER | CD_LAYOUT | (cu->view == CV_SPEAKER ? CD_VIEW : 0));
}

/* A room we are in closes soon. */
static void
curses_ev_room_closing(void *arg, const struct room_info *r, int64_t left_ms)
{
	struct curses *cu = arg;
	struct cbuf *b = curses_buf_find(cu, r->id, NULL);
	char t[32], *m;

	duration_format_remaining(left_ms, t, sizeof t);
	m = xasprintf(_("closes in %s"), t);
	curses_buf_add(cu, b != NULL ? b : curses_buf_here(cu), CL_NOTICE, "--", m, 0);
	free(m);
	curses_mark(cu, CD_BAR | (cu->view == CV_ROOMS ? CD_VIEW : 0));
}

/* A line we typed is pending: shown dimmed until the hub answers. */
static void
curses_ev_pending(void *arg, const struct client_out *o)
{
	struct curses *cu = arg;
	struct cbuf *b = o->room != NULL ? curses_buf_get(cu, o->room) : curses_buf_here(cu);
	char *t = curses_s(o->text), *f = curses_s(client_name(cu->client)), *who, *prefix;
	enum cline_kind kind = o->to != NULL ? CL_PRIVMSG : o->me ? CL_ACTION : CL_CHAT;
	struct cline *l;

	if (o->to != NULL) {
		who = curses_s(o->to);
		prefix = xasprintf(_("[msg to %s]"), who);
		free(who);
	} else
		prefix = o->me ? xasprintf("* %s", f) : xasprintf("<%s>", f);
	l = curses_buf_add(cu, b, kind, prefix, t, CLF_MINE | CLF_PENDING);
	l->cid = xstrdup(o->cid != NULL ? o->cid : "");
	free(prefix);
	free(t);
	free(f);
}

/* The hub answered a pending send: delivered lines are shown normally (the echo that
 * follows is folded in), refused ones are marked. */
static void
curses_ev_outcome(void *arg, const struct client_out *o, enum proto_err code)
{
	struct curses *cu = arg;
	size_t i, j;

	for (i = 0; i < cu->nbufs; i++) {
		struct cbuf *b = cu->bufs[i];
		for (j = b->n; j-- > 0; ) {
			struct cline *l = curses_buf_line(b, j);
			if (l->cid == NULL || o->cid == NULL || strcmp(l->cid, o->cid) != 0)
				continue;
			l->flags &= ~(unsigned)CLF_PENDING;
			if (code == PE_NONE)
				l->flags |= CLF_ECHO;
			else
				l->flags |= CLF_FAILED;
			free(l->cid);
			l->cid = NULL;
			curses_mark(cu, CD_VIEW);
			return;
		}
	}
}

/* News about a room's history. */
static void
curses_ev_history(void *arg, const char *room, enum client_history what, size_t n)
{
	struct curses *cu = arg;
	struct cbuf *b = curses_buf_find(cu, room, NULL);

	if (b == NULL)
		return;
	switch (what) {
	case CH_NOT_RECOVERABLE:
		curses_buf_add(cu, b, CL_LOST, "!!", _("lines in between are not recoverable "
		    "(the hub could not replay them)"), 0);
		break;
	case CH_OLDER:
		b->history_asked = false;
		curses_buf_prepend_older(cu, b, n);
		break;
	case CH_START:
		b->history_asked = false;
		b->history_start = true;
		curses_mark(cu, CD_VIEW);
		break;
	default:
		break;
	}
}

/* /stats: the shared lines. */
static void
curses_ev_stats(void *arg, const struct client_stats *s)
{
	struct curses *cu = arg;
	char *lines[STATSTEXT_LINES];
	size_t i, n = statstext_lines(s, lines);

	for (i = 0; i < n; i++) {
		curses_addf(cu, CL_INFO, "%s", lines[i]);
		free(lines[i]);
	}
}

/* Fills v with the curses callbacks. */
void
curses_events_view(struct curses *cu, struct client_view *v)
{
	memset(v, 0, sizeof *v);
	v->arg = cu;
	v->notice = curses_ev_notice;
	v->chat = curses_ev_chat;
	curses_mod_view(v);
	v->privmsg = curses_ev_privmsg;
	v->presence = curses_ev_presence;
	v->joined = curses_ev_joined;
	v->parted = curses_ev_parted;
	v->room_opened = curses_ev_room_opened;
	v->room_closed = curses_ev_room_closed;
	v->rooms = curses_ev_rooms;
	v->who = curses_ev_who;
	v->timer = curses_ev_timer;
	v->timer_change = curses_ev_timer_change;
	v->timer_milestone = curses_ev_timer_milestone;
	v->timers = curses_ev_timers;
	v->error = curses_ev_error;
	v->program = curses_ev_program;
	v->help = curses_ev_help;
	v->lineup = curses_ev_lineup;
	v->lineup_changed = curses_ev_lineup_changed;
	v->room_closing = curses_ev_room_closing;
	v->fatal = curses_ev_fatal;
	v->pending = curses_ev_pending;
	v->outcome = curses_ev_outcome;
	v->history = curses_ev_history;
	v->stats = curses_ev_stats;
}
