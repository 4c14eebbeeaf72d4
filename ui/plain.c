/* plain.c: plain line mode: renders client events as self-contained lines on stdout and
 * reads commands from stdin inside the lws loop. Every network string is sanitised. */
#include "util/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ui/plain.h"
#include "ui/statstext.h"
#include "ui/plain_int.h"
#include "util/duration.h"
#include "util/sanitize.h"
#include "util/sat.h"
#include "util/tztime.h"
#include "util/xalloc.h"

/* A lineup item as text: title, speaker and kind, sanitised (never cut mid-character). */
#define PLAIN_ITEM_MAX (SANITIZE_MAX_BYTES(LINEUP_TITLE_MAX + LINEUP_SPEAKER_MAX) + 128)


/* Creates a plain front end. */
struct plain *
plain_create(FILE *out, const struct plain_input *in)
{
	struct plain *p = xcalloc(1, sizeof *p);

	p->out = out;
	p->in = *in;
	return p;
}

/* Lets p read the client's state (role, current room). */
void
plain_attach(struct plain *p, const struct client *c)
{
	p->client = c;
}

/* Frees p. */
void
plain_free(struct plain *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->ntmp; i++)
		free(p->tmp[i]);
	if (p->wsi != NULL)
		lws_set_opaque_user_data(p->wsi, NULL);
	free(p);
}

/* A tag "#room" (sanitised) in buf. */
const char *
plain_room_tag(struct plain *p, const char *room, char *buf, size_t len)
{
	snprintf(buf, len, "#%s", plain_s(p, room));
	return buf;
}

/* Writes a line from the client itself. */
void
plain_say(struct plain *p, const char *text)
{
	plain_line(p, "confab", "%s", text);
}

/* Connection and status notices. */
static void
plain_notice(void *arg, enum client_notice what, const char *detail, int64_t delay_ms)
{
	struct plain *p = arg;

	switch (what) {
	case CN_CONNECTING:
		plain_line(p, "confab", _("connecting to %s"), plain_s(p, detail));
		break;
	case CN_CONNECTED:
		plain_line(p, "confab", _("connected as %s (%s)"), plain_s(p, detail),
		    p->client != NULL && client_role(p->client) == ROLE_FACILITATOR ?
		    _("facilitator") : _("attendee"));
		break;
	case CN_RECONNECTED:
		plain_line(p, "confab", "%s", _("reconnected"));
		break;
	case CN_LOST:
		if (delay_ms >= 0)
			plain_line(p, "confab", _("connection lost (%s); reconnecting in %lld s"),
			    plain_s(p, detail), (long long)((delay_ms + 500) / 1000 > 0 ?
			    (delay_ms + 500) / 1000 : 1));
		else
			plain_line(p, "confab", _("connection closed (%s)"), plain_s(p, detail));
		break;
	case CN_FAILED:
		if (delay_ms >= 0)
			plain_line(p, "confab", _("cannot connect (%s); trying again in %lld s"),
			    plain_s(p, detail), (long long)((delay_ms + 500) / 1000 > 0 ?
			    (delay_ms + 500) / 1000 : 1));
		else
			plain_line(p, "confab", _("cannot connect (%s)"), plain_s(p, detail));
		break;
	case CN_NAME_TAKEN:
		plain_line(p, "confab", _("that name is taken; trying %s"), plain_s(p, detail));
		break;
	case CN_HELLO_RETRY:
		plain_line(p, "confab", _("the hub cannot let us in now (%s); asking again in "
		    "%lld s"), plain_s(p, detail), (long long)((delay_ms + 999) / 1000));
		break;
	case CN_QUEUED:
		plain_line(p, "confab", "%s", _("not connected: what you type will be sent "
		    "after reconnecting"));
		break;
	case CN_PROGRAM:
		plain_line(p, "schedule", "%s", _("the program was updated"));
		break;
	case CN_PROGRAM_CACHED:
		plain_line(p, "schedule", "%s", _("showing the program saved from the last "
		    "visit: not live until the hub answers"));
		break;
	case CN_REFUSED:
		plain_line(p, "confab", "%s", plain_s(p, detail));
		break;
	}
}

/* A chat line. */
static void
plain_chat(void *arg, const char *room, const char *from, const char *text, bool me,
    uint64_t seq)
{
	struct plain *p = arg;
	char tag[ROOM_ID_MAX * 4 + 8], id[32] = "";

	plain_room_tag(p, room, tag, sizeof tag);
	if (p->client != NULL && client_show_ids(p->client) && seq != 0)
		snprintf(id, sizeof id, "(%llu) ", (unsigned long long)seq);
	if (me)
		plain_line(p, tag, "%s* %s %s", id, plain_s(p, from), plain_s(p, text));
	else
		plain_line(p, tag, "%s<%s> %s", id, plain_s(p, from), plain_s(p, text));
}

/* A private message (received, or our own echoed back). */
static void
plain_privmsg(void *arg, const char *from, const char *to, const char *text, bool outgoing)
{
	struct plain *p = arg;
	char tag[PROTO_MAX_NAME * 4 + 32];
	const char *who = plain_s(p, outgoing ? to : from);

	if (outgoing)
		snprintf(tag, sizeof tag, "msg to %s", who);
	else
		snprintf(tag, sizeof tag, "msg from %s", who);
	plain_line(p, tag, "%s", plain_s(p, text));
}

/* Someone joined, left or quit a room we are in. */
static void
plain_presence(void *arg, const char *room, const char *name, enum proto_presence action)
{
	struct plain *p = arg;
	char tag[ROOM_ID_MAX * 4 + 8];

	plain_room_tag(p, room, tag, sizeof tag);
	/* TRANSLATORS: someone left a room; "%s left" alone is the time left on a timer. */
	plain_line(p, tag, action == PRES_JOIN ? _("%s joined") : action == PRES_PART ?
	    C_("presence", "%s left") : _("%s quit"), plain_s(p, name));
}

/* We joined a room (it is now the current room). */
static void
plain_joined(void *arg, const char *room, unsigned people)
{
	struct plain *p = arg;
	char tag[ROOM_ID_MAX * 4 + 8], n[64];

	plain_room_tag(p, room, tag, sizeof tag);
	plain_line(p, tag, _("you joined %s (%s)"), tag, statstext_people(people, n,
	    sizeof n));
}

/* We left a room. */
static void
plain_parted(void *arg, const char *room)
{
	struct plain *p = arg;
	char tag[ROOM_ID_MAX * 4 + 8];

	plain_room_tag(p, room, tag, sizeof tag);
	plain_line(p, tag, _("you left %s"), tag);
}

/* A room appeared in the rooms list. */
static void
plain_room_opened(void *arg, const struct room_info *r)
{
	struct plain *p = arg;
	char kind[SANITIZE_MAX_BYTES(ROOM_TITLE_MAX) + 128];

	statstext_room_kind(r, kind, sizeof kind);
	if (r->capacity > 0)
		plain_line(p, "rooms", _("#%s opened (%s, capacity %u)"), plain_s(p, r->id), kind,
		    r->capacity);
	else
		plain_line(p, "rooms", _("#%s opened (%s)"), plain_s(p, r->id), kind);
}

/* A room was closed. */
static void
plain_room_closed(void *arg, const char *room, const char *by, bool member,
    const char *moved_to)
{
	struct plain *p = arg;
	char tag[ROOM_ID_MAX * 4 + 8];
	const char *to = moved_to != NULL ? plain_s(p, moved_to) : ROOM_LOBBY;

	if (!member) {
		plain_line(p, "rooms", _("#%s closed"), plain_s(p, room));
		return;
	}
	plain_room_tag(p, room, tag, sizeof tag);
	if (by != NULL && by[0] != '\0')
		plain_line(p, tag, _("closed by %s; you are back in #%s"), plain_s(p, by), to);
	else
		plain_line(p, tag, _("closed; you are back in #%s"), to);
}

/* /rooms: one line per room. */
static void
plain_rooms(void *arg, const struct room_info *rooms, size_t n)
{
	struct plain *p = arg;
	char kind[SANITIZE_MAX_BYTES(ROOM_TITLE_MAX) + 128], people[64];
	size_t i;

	for (i = 0; i < n; i++) {
		const struct room_info *r = &rooms[i];
		statstext_room_kind(r, kind, sizeof kind);
		if (r->closes_at_ms != 0 && p->client != NULL) {
			int64_t min = sat_add(sat_sub(r->closes_at_ms, client_hub_now(p->client)),
			    59999) / 60000;
			size_t k = strlen(kind);
			snprintf(kind + k, sizeof kind - k, P_(", closes in %lld min",
			    ", closes in %lld min", min), (long long)(min > 0 ? min : 0));
		}
		if (r->capacity > 0)
			plain_line(p, "rooms", P_("#%s (%s): %u/%u person", "#%s (%s): %u/%u people",
			    r->capacity), plain_s(p, r->id), kind, r->occupancy, r->capacity);
		else
			plain_line(p, "rooms", "#%s (%s): %s", plain_s(p, r->id), kind,
			    statstext_people(r->occupancy, people, sizeof people));
	}
	if (n == 0)
		plain_line(p, "rooms", "%s", _("no rooms"));
}

/* /who: the members of a room on one line. */
static void
plain_who(void *arg, const char *room, const char *const *names, size_t n)
{
	struct plain *p = arg;
	char tag[ROOM_ID_MAX * 4 + 16];
	char *list = statstext_names(names, n);

	snprintf(tag, sizeof tag, "who #%s", plain_s(p, room));
	plain_line(p, tag, P_("%zu person: %s", "%zu people: %s", n), n, list);
	free(list);
}

/* "Title (Speaker, talk)" for a lineup item, sanitised, into buf. */
static const char *
plain_item(struct plain *p, const struct lineup_item *it, char *buf, size_t len)
{
	const char *kind = statstext_lineup_kind(it->kind);

	if (it->speaker[0] != '\0')
		snprintf(buf, len, "%s (%s, %s)", plain_s(p, it->title), plain_s(p, it->speaker),
		    kind);
	else
		snprintf(buf, len, "%s (%s)", plain_s(p, it->title), kind);
	return buf;
}

/* /lineup: one line per item, then who is up next. */
static void
plain_lineup(void *arg, const struct lineup_item *items, size_t n, int64_t current)
{
	struct plain *p = arg;
	char item[PLAIN_ITEM_MAX];
	size_t i;

	for (i = 0; i < n; i++) {
		plain_item(p, &items[i], item, sizeof item);
		if ((int64_t)i == current)
			plain_line(p, "lineup", _("%zu. %s (now)"), i + 1, item);
		else
			plain_line(p, "lineup", "%zu. %s", i + 1, item);
	}
	if (n == 0)
		plain_line(p, "lineup", "%s", _("the lineup is empty"));
	else if (current + 1 < (int64_t)n)
		plain_line(p, "lineup", _("up next: %s"), plain_item(p, &items[current + 1], item,
		    sizeof item));
	else
		plain_line(p, "lineup", "%s", _("up next: nothing, this is the last item"));
}

/* True when two lineup items are the same. */
static bool
plain_item_eq(const struct lineup_item *a, const struct lineup_item *b)
{
	return strcmp(a->title, b->title) == 0 && strcmp(a->speaker, b->speaker) == 0 &&
	    a->kind == b->kind;
}

/* The lineup changed: one line that says how. */
static void
plain_lineup_changed(void *arg, const struct lineup_item *old, size_t nold, int64_t oldcur,
    const struct lineup_item *items, size_t n, int64_t current, const char *by)
{
	struct plain *p = arg;
	char item[PLAIN_ITEM_MAX], next[PLAIN_ITEM_MAX + 64], dur[32], *label;
	const char *who = by != NULL && *by != '\0' ? plain_s(p, by) : "?";
	size_t i, same = 0;

	while (same < n && same < nold && plain_item_eq(&old[same], &items[same]))
		same++;
	if (current != oldcur && current >= 0 && n == nold && same == n) {
		label = lineup_item_label(&items[current]);
		duration_format(lineup_item_duration(&items[current]), dur, sizeof dur);
		plain_line(p, "lineup", _("now speaking: %s (%s)"), plain_s(p, label), dur);
		free(label);
		return;
	}
	if (n == nold + 1 && same == nold) {
		plain_line(p, "lineup", _("%s added %zu. %s"), who, n,
		    plain_item(p, &items[n - 1], item, sizeof item));
		return;
	}
	if (n + 1 == nold) {
		for (i = same; i < n && plain_item_eq(&old[i + 1], &items[i]); i++)
			;
		if (i == n) {
			plain_line(p, "lineup", _("%s removed %zu. %s"), who, same + 1,
			    plain_item(p, &old[same], item, sizeof item));
			return;
		}
	}
	if (current + 1 < (int64_t)n)
		snprintf(next, sizeof next, "%s", plain_item(p, &items[current + 1], item,
		    sizeof item));
	else
		snprintf(next, sizeof next, "%s", _("nothing"));
	if (current >= 0)
		label = lineup_item_label(&items[current]);
	else
		label = xstrdup(_("nobody"));
	plain_line(p, "lineup", P_("lineup changed by %s: %zu item, now: %s, next: %s",
	    "lineup changed by %s: %zu items, now: %s, next: %s", n), who, n, plain_s(p, label),
	    next);
	free(label);
}

/* A room we are in is about to close. */
static void
plain_room_closing(void *arg, const struct room_info *r, int64_t left_ms)
{
	struct plain *p = arg;
	char tag[ROOM_ID_MAX * 4 + 8], t[32];

	duration_format_remaining(left_ms, t, sizeof t);
	plain_line(p, plain_room_tag(p, r->id, tag, sizeof tag), _("closes in %s"), t);
}

/* A timer changed: one line, whatever the change. */
static void
plain_timer(void *arg, const struct timer *t, enum timer_change change, int64_t delta_ms,
    int64_t hub_now)
{
	struct plain *p = arg;
	char tag[ROOM_ID_MAX * 4 + 16], left[64], d[32];
	const char *by = plain_s(p, t->by[0] != '\0' ? t->by : "?");

	snprintf(tag, sizeof tag, "timer %s", plain_s(p, t->scope));
	statstext_left(timer_remaining(t, hub_now), left, sizeof left);
	switch (change) {
	case TC_START:
		if (t->label[0] != '\0')
			plain_line(p, tag, _("started by %s: %s, %s"), by, plain_s(p, t->label), left);
		else
			plain_line(p, tag, _("started by %s: %s"), by, left);
		break;
	case TC_RESUME:
		plain_line(p, tag, _("resumed by %s: %s"), by, left);
		break;
	case TC_PAUSE:
		plain_line(p, tag, _("paused by %s at %s"), by, left);
		break;
	case TC_STOP:
		plain_line(p, tag, _("stopped by %s"), by);
		break;
	case TC_ADJUST:
		duration_format(delta_ms < 0 ? sat_sub(0, delta_ms) : delta_ms, d, sizeof d);
		plain_line(p, tag, delta_ms < 0 ? _("%s took off %s: %s") : _("%s added %s: %s"),
		    by, d, left);
		break;
	default:
		plain_line(p, tag, _("reset by %s"), by);
		break;
	}
}

/* A running timer reached a milestone: "Pitch 1: 0:30 left", "Pitch 1: time is up". */
static void
plain_timer_milestone(void *arg, const struct timer *t, enum timer_milestone m,
    int64_t remaining)
{
	struct plain *p = arg;
	char tag[ROOM_ID_MAX * 4 + 16], left[64], r[32];

	snprintf(tag, sizeof tag, "timer %s", plain_s(p, t->scope));
	if (m == TM_UP)
		snprintf(left, sizeof left, "%s", _("time is up"));
	else {
		duration_format_remaining(remaining, r, sizeof r);
		snprintf(left, sizeof left, _("%s left"), r);
	}
	if (t->label[0] != '\0')
		plain_line(p, tag, "%s: %s", plain_s(p, t->label), left);
	else
		plain_line(p, tag, "%s", left);
}

/* /timer: the timers that are not idle. */
static void
plain_timers(void *arg, const struct timer *t, size_t n, int64_t hub_now)
{
	struct plain *p = arg;
	char tag[ROOM_ID_MAX * 4 + 16], left[64];
	size_t i, shown = 0;

	for (i = 0; i < n; i++) {
		if (t[i].state == TS_IDLE)
			continue;
		snprintf(tag, sizeof tag, "timer %s", plain_s(p, t[i].scope));
		statstext_left(timer_remaining(&t[i], hub_now), left, sizeof left);
		if (t[i].label[0] != '\0')
			plain_line(p, tag, t[i].state == TS_RUNNING ? _("running: %s, %s") :
			    _("paused: %s, %s"), plain_s(p, t[i].label), left);
		else
			plain_line(p, tag, t[i].state == TS_RUNNING ? _("running: %s") :
			    _("paused: %s"), left);
		shown++;
	}
	if (shown == 0)
		plain_line(p, "timer", "%s", _("no timer is running"));
}

/* An error from the hub (with its code) or from us. */
static void
plain_error(void *arg, enum proto_err code, const char *message)
{
	struct plain *p = arg;

	if (code == PE_NONE)
		plain_line(p, "error", "%s", plain_s(p, message));
	else
		plain_line(p, "error", "%s (%s)", plain_s(p, message), proto_err_name(code));
}

/* The hub refused us for good: one line that says why and what to do, then quit. */
static void
plain_fatal(void *arg, const char *message, const char *reason)
{
	struct plain *p = arg;

	(void)reason;
	plain_line(p, "error", "%s", plain_s(p, message));
	if (p->in.fatal != NULL)
		p->in.fatal(p->in.arg);
}

/* "in 1 h 05 min" style relative time into buf (ms >= 0). */
static const char *
plain_rel(int64_t ms, char *buf, size_t len)
{
	int64_t min = sat_add(ms, 59999) / 60000;

	if (min < 60)
		snprintf(buf, len, _("%lld min"), (long long)min);
	else if (min < 24 * 60)
		snprintf(buf, len, _("%lld h %02lld min"), (long long)(min / 60),
		    (long long)(min % 60));
	else
		snprintf(buf, len, _("%lld d %lld h"), (long long)(min / 1440),
		    (long long)(min % 1440 / 60));
	return buf;
}

/* "10:00-12:00 EDT" for session s into buf (with the day first when day is set). */
static const char *
plain_when(const struct program *pg, const struct session *s, bool day, char *buf, size_t len)
{
	char d[64], a[32], b[64];

	/* TRANSLATORS: strftime(3) format of a program day, e.g. "Mon 12 Oct". */
	/* xgettext:no-c-format */
	tz_format(pg->timezone, s->start_ms, _("%a %d %b"), d, sizeof d);
	tz_format(pg->timezone, s->start_ms, "%H:%M", a, sizeof a);
	tz_format(pg->timezone, s->end_ms, "%H:%M %Z", b, sizeof b);
	if (day)
		snprintf(buf, len, "%s %s-%s", d, a, b);
	else
		snprintf(buf, len, "%s-%s", a, b);
	return buf;
}

/* Writes one session line with tag; suffix (ours) may be NULL. */
static void
plain_session(struct plain *p, const char *tag, const struct program *pg,
    const struct session *s, bool day, const char *suffix)
{
	char when[160];

	plain_when(pg, s, day, when, sizeof when);
	plain_line(p, tag, "%s %s %s: %s%s%s", when, plain_s(p, s->id),
	    session_kind_label(s->kind), plain_s(p, s->title), suffix != NULL ? " " : "",
	    suffix != NULL ? suffix : "");
}

/* /info: the details of one session, one self-contained line each. */
static void
plain_info(struct plain *p, const struct program *pg, const struct session *s)
{
	char tag[64], when[160], *desc, *line, *nl, *list;

	snprintf(tag, sizeof tag, "info %s", plain_s(p, s->id));
	plain_line(p, tag, "%s", plain_s(p, s->title));
	plain_when(pg, s, true, when, sizeof when);
	plain_line(p, tag, "%s, %s", when, session_kind_label(s->kind));
	if (s->nspeakers > 0) {
		list = statstext_names((const char *const *)s->speakers, s->nspeakers);
		plain_line(p, tag, _("speakers: %s"), list);
		free(list);
	}
	if (s->room != NULL && s->room[0] != '\0')
		plain_line(p, tag, _("room: #%s"), plain_s(p, s->room));
	/* imported sessions: where they take place, their track, their page */
	if (s->location != NULL)
		plain_line(p, tag, "%s %s", _("where:"), plain_s(p, s->location));
	if (s->track != NULL)
		plain_line(p, tag, "%s %s", _("track:"), plain_s(p, s->track));
	if (s->url != NULL)
		plain_line(p, tag, "%s %s", _("link:"), plain_s(p, s->url));
	if (s->description == NULL || s->description[0] == '\0')
		return;
	desc = sanitize_text(s->description, strlen(s->description),
	    SANITIZE_NEWLINES | SANITIZE_SQUEEZE);
	for (line = desc; line != NULL; line = nl) {
		nl = strchr(line, '\n');
		if (nl != NULL)
			*nl++ = '\0';
		if (*line != '\0')
			plain_line(p, tag, "%s", line);
	}
	free(desc);
}

/* " (saved copy, not live)" when the program shown is the cached one, else "". */
static const char *
plain_not_live(const struct plain *p)
{
	if (p->client == NULL || client_program_live(p->client))
		return "";
	return _(" (saved copy, not live)");
}

/* /schedule, /now, /next, /info. */
static void
plain_program(void *arg, enum client_program_req req, const struct program *pg,
    const struct session *s, int day, int64_t hub_now)
{
	struct plain *p = arg;
	int64_t starts[64];
	size_t ndays, i, n = 0;
	char rel[64], suffix[160];

	switch (req) {
	case CP_SCHEDULE:
		ndays = program_days(pg, starts, 64);
		for (i = 0; i < pg->nsessions; i++) {
			const struct session *x = &pg->sessions[i];
			if (day >= 0 && program_day_index(pg, x) != day)
				continue;
			n++;
			plain_session(p, "schedule", pg, x, true,
			    hub_now >= x->start_ms && hub_now < x->end_ms ? _("(now)") : NULL);
		}
		if (day >= 0)
			plain_line(p, "schedule", P_("day %d of %zu: %zu session",
			    "day %d of %zu: %zu sessions", n), day + 1, ndays, n);
		else
			plain_line(p, "schedule", P_("%zu session", "%zu sessions", n), n);
		if (*plain_not_live(p) != '\0')
			plain_line(p, "schedule", "%s", _("this is the saved copy, not live: the "
			    "hub has not answered yet"));
		break;
	case CP_NOW:
		if (s == NULL) {
			plain_line(p, "now", "%s%s", _("nothing is on now"), plain_not_live(p));
			break;
		}
		snprintf(suffix, sizeof suffix, _("(ends in %s)"),
		    plain_rel(sat_sub(s->end_ms, hub_now), rel, sizeof rel));
		strlcpy_cf(suffix + strlen(suffix), plain_not_live(p), sizeof suffix - strlen(suffix));
		plain_session(p, "now", pg, s, false, suffix);
		break;
	case CP_NEXT:
		if (s == NULL) {
			plain_line(p, "next", "%s%s", _("nothing more is scheduled"),
			    plain_not_live(p));
			break;
		}
		snprintf(suffix, sizeof suffix, _("(starts in %s)"),
		    plain_rel(sat_sub(s->start_ms, hub_now), rel, sizeof rel));
		strlcpy_cf(suffix + strlen(suffix), plain_not_live(p), sizeof suffix - strlen(suffix));
		plain_session(p, "next", pg, s, false, suffix);
		break;
	case CP_INFO:
		if (s != NULL)
			plain_info(p, pg, s);
		break;
	}
}

/* /help: every command, or the rows of one. */
static void
plain_help(void *arg, const char *topic)
{
	struct plain *p = arg;
	const struct command_info *t;
	size_t n, i;

	t = command_table(&n);
	for (i = 0; i < n; i++)
		if (topic == NULL || strcmp(topic, t[i].name) == 0)
			plain_line(p, "help", "%s: %s", t[i].usage, _(t[i].help));
}

/* A line we typed: shown only while it waits for the link ("not sent yet"); sent lines
 * come back from the hub as ordinary chat. */
static void
plain_pending(void *arg, const struct client_out *o)
{
	struct plain *p = arg;
	char tag[ROOM_ID_MAX * 4 + PROTO_MAX_NAME * 4 + 16];
	const char *me = p->client != NULL ? plain_s(p, client_name(p->client)) : "";

	if (!o->offline)
		return;
	p->offline_waiting++;
	if (o->to != NULL) {
		snprintf(tag, sizeof tag, "msg to %s", plain_s(p, o->to));
		plain_line(p, tag, "%s %s", _("(not sent yet)"), plain_s(p, o->text));
	} else {
		plain_room_tag(p, o->room, tag, sizeof tag);
		if (o->me)
			plain_line(p, tag, "%s * %s %s", _("(not sent yet)"), me, plain_s(p, o->text));
		else
			plain_line(p, tag, "%s <%s> %s", _("(not sent yet)"), me, plain_s(p, o->text));
	}
}

/* The hub answered a line we typed: one line once every line typed offline is in. */
static void
plain_outcome(void *arg, const struct client_out *o, enum proto_err code)
{
	struct plain *p = arg;

	if (!o->offline || p->offline_waiting == 0)
		return;
	p->offline_waiting--;
	if (code == PE_NONE)
		p->offline_sent++;
	if (p->offline_waiting > 0 || p->offline_sent == 0)
		return;
	plain_line(p, "confab", P_("the %zu line you typed while offline was delivered",
	    "the %zu lines you typed while offline were delivered", p->offline_sent),
	    p->offline_sent);
	p->offline_sent = 0;
}

/* "10:32" (local time of day) for ts into buf. */
const char *
plain_clock(int64_t ts, char *buf, size_t len)
{
	time_t t = (time_t)(ts / 1000);
	struct tm tm;

	if (ts <= 0 || localtime_r(&t, &tm) == NULL || strftime(buf, len, "%H:%M", &tm) == 0)
		snprintf(buf, len, "--:--");
	return buf;
}

/* Lines 0..n-1 of room (just loaded by /history), each standing alone. */
static void
plain_older(struct plain *p, const char *room, size_t n)
{
	char tag[ROOM_ID_MAX * 4 + 8], when[32];
	const struct client_chat *ch;
	size_t i;

	plain_room_tag(p, room, tag, sizeof tag);
	plain_line(p, tag, P_("%zu earlier line:", "%zu earlier lines:", n), n);
	for (i = 0; i < n && p->client != NULL; i++) {
		if ((ch = client_chat_line(p->client, room, i)) == NULL)
			break;
		if (ch->removed)
			continue;
		plain_clock(ch->ts, when, sizeof when);
		plain_room_tag(p, room, tag, sizeof tag);
		if (ch->me)
			plain_line(p, tag, _("(earlier, %s) * %s %s"), when, plain_s(p, ch->from),
			    plain_s(p, ch->text));
		else
			plain_line(p, tag, _("(earlier, %s) <%s> %s"), when, plain_s(p, ch->from),
			    plain_s(p, ch->text));
	}
}

/* News about a room's history. */
static void
plain_history(void *arg, const char *room, enum client_history what, size_t n)
{
	struct plain *p = arg;
	char tag[ROOM_ID_MAX * 4 + 8];

	switch (what) {
	case CH_REPLAYED:
		if (n > 0)
			plain_line(p, plain_room_tag(p, room, tag, sizeof tag),
			    P_("%zu line you missed:", "%zu lines you missed:", n), n);
		break;
	case CH_NOT_RECOVERABLE:
		plain_line(p, plain_room_tag(p, room, tag, sizeof tag), "%s",
		    _("lines said while you were away could not be recovered (the hub restarted "
		    "or they are too old); here is what it has now"));
		break;
	case CH_OLDER:
		plain_older(p, room, n);
		break;
	case CH_START:
		plain_line(p, plain_room_tag(p, room, tag, sizeof tag), "%s",
		    _("no earlier lines: this is the start of the room's history"));
		break;
	}
}

/* /stats: the shared lines, each standing alone. */
static void
plain_stats(void *arg, const struct client_stats *s)
{
	struct plain *p = arg;
	char *lines[STATSTEXT_LINES];
	size_t i, n = statstext_lines(s, lines);

	for (i = 0; i < n; i++) {
		plain_line(p, "stats", "%s", lines[i]);
		free(lines[i]);
	}
}

/* Fills v with the plain callbacks. */
void
plain_view(struct plain *p, struct client_view *v)
{
	memset(v, 0, sizeof *v);
	v->arg = p;
	v->notice = plain_notice;
	v->chat = plain_chat;
	v->privmsg = plain_privmsg;
	v->presence = plain_presence;
	v->joined = plain_joined;
	v->parted = plain_parted;
	v->room_opened = plain_room_opened;
	v->room_closed = plain_room_closed;
	v->lineup = plain_lineup;
	v->lineup_changed = plain_lineup_changed;
	v->room_closing = plain_room_closing;
	v->rooms = plain_rooms;
	v->who = plain_who;
	v->timer_change = plain_timer;
	v->timers = plain_timers;
	v->timer_milestone = plain_timer_milestone;
	v->error = plain_error;
	v->program = plain_program;
	v->help = plain_help;
	v->fatal = plain_fatal;
	v->pending = plain_pending;
	v->outcome = plain_outcome;
	v->history = plain_history;
	v->stats = plain_stats;
	plain_mod_view(v);
}
