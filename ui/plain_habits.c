/* plain_habits.c: plain mode's lines for what terminal-chat users expect: join, part and
 * quit notices (with quit messages; hidden by the smart filter when asked), /who with
 * away messages, an away answer to a private message, /find, the lines of local commands,
 * the lines not sent when leaving, and times in the zone and on the clock chosen. */
#include "util/i18n.h"

#include <stdlib.h>
#include <string.h>

#include "ui/plain_int.h"
#include "ui/statstext.h"
#include "util/xalloc.h"

/* The clock time of ms as the user chose (zone, 12/24 h), into buf. */
void
plain_clock_of(struct plain *p, int64_t ms, bool zone, char *buf, size_t len)
{
	struct timefmt tf = { NULL, false, false };

	if (p->client != NULL)
		client_timefmt(p->client, &tf);
	timefmt_clock(&tf, ms, zone, buf, len);
}

/* A line of ours for a local command. */
static void
plain_info(void *arg, const char *tag, const char *text)
{
	plain_line(arg, tag, "%s", text);
}

/* Someone joined, left or quit a room we are in (not shown when the smart filter hides
 * it: a screen reader is spared the noise). */
static void
plain_presence(void *arg, const char *room, const char *name, enum proto_presence action,
    const char *message, bool hidden)
{
	struct plain *p = arg;
	char tag[ROOM_ID_MAX * 4 + 8];

	if (hidden)
		return;
	snprintf(tag, sizeof tag, "#%s", plain_s(p, room));
	if (action == PRES_QUIT && message != NULL && *message != '\0')
		plain_line(p, tag, _("%s quit: %s"), plain_s(p, name), plain_s(p, message));
	else
		/* TRANSLATORS: someone left a room; "%s left" alone is the time left on a
		 * timer. */
		plain_line(p, tag, action == PRES_JOIN ? _("%s joined") : action == PRES_PART ?
		    C_("presence", "%s left") : _("%s quit"), plain_s(p, name));
}

/* /who, /names: the members of a room on one line, then one line per person away. */
static void
plain_who(void *arg, const char *room, const char *const *names, const char *const *away,
    size_t n)
{
	struct plain *p = arg;
	char tag[ROOM_ID_MAX * 4 + 16];
	char *list = statstext_names(names, n);
	size_t i;

	snprintf(tag, sizeof tag, "who #%s", plain_s(p, room));
	plain_line(p, tag, P_("%zu person: %s", "%zu people: %s", n), n, list);
	free(list);
	for (i = 0; away != NULL && i < n; i++) {
		if (away[i] == NULL)
			continue;
		snprintf(tag, sizeof tag, "who #%s", plain_s(p, room));
		plain_line(p, tag, _("%s is away: %s"), plain_s(p, names[i]), plain_s(p, away[i]));
	}
}

/* Our private message reached someone away. */
static void
plain_away_reply(void *arg, const char *name, const char *message)
{
	struct plain *p = arg;
	char tag[PROTO_MAX_NAME * 4 + 16];

	snprintf(tag, sizeof tag, "msg to %s", plain_s(p, name));
	plain_line(p, tag, _("%s is away: %s"), plain_s(p, name), plain_s(p, message));
}

/* One line /find matched. */
static void
plain_found(void *arg, const struct client_chat *ch)
{
	struct plain *p = arg;
	char when[64], tag[ROOM_ID_MAX * 4 + 16];

	plain_clock_of(p, ch->ts, false, when, sizeof when);
	snprintf(tag, sizeof tag, "find #%s", p->client != NULL ?
	    plain_s(p, client_current_room(p->client)) : "");
	if (ch->me)
		plain_line(p, tag, "%s * %s %s", when, plain_s(p, ch->from), plain_s(p, ch->text));
	else
		plain_line(p, tag, "%s <%s> %s", when, plain_s(p, ch->from), plain_s(p, ch->text));
}

/* /find TEXT: the lines of the current room that contain TEXT, oldest first, then how
 * many. */
static void
plain_find(void *arg, const char *text)
{
	struct plain *p = arg;
	const char *room;
	size_t n;

	if (p->client == NULL)
		return;
	room = client_current_room(p->client);
	if (text == NULL) {
		plain_line(p, "error", "%s", _("usage: /find TEXT (plain mode lists every match)"));
		return;
	}
	n = client_find(p->client, room, text, plain_found, p);
	plain_line(p, "find", P_("%zu line of #%s contains \"%s\"",
	    "%zu lines of #%s contain \"%s\"", n), n, plain_s(p, room), plain_s(p, text));
}

/* Fills the callbacks of this file into v. */
void
plain_habits_view(struct plain *p, struct client_view *v)
{
	(void)p;
	v->presence = plain_presence;
	v->who = plain_who;
	v->info = plain_info;
	v->away_reply = plain_away_reply;
	v->find = plain_find;
}

/* Prints the lines typed that the hub did not take, so that they can be copied. */
void
plain_unsent(struct plain *p, const struct client_unsent *u, size_t n)
{
	size_t i;
	char *t;

	if (n == 0)
		return;
	plain_line(p, "confab", P_("%zu line you typed was not sent (the hub did not answer); "
	    "here it is to copy:", "%zu lines you typed were not sent (the hub did not answer); "
	    "here they are to copy:", n), n);
	for (i = 0; i < n; i++) {
		t = statstext_unsent(&u[i]);
		plain_line(p, "unsent", "%s", t);
		free(t);
	}
}
