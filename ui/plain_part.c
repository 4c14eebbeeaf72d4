/* plain_part.c: the plain front end's lines for participation: one self-contained line
 * per change (a new topic, a running breakout, a poll's result...), vote counts at most
 * every few seconds per item (the client coalesces them), lists as one line per item, the
 * speaking queue, and what concerns us (our sign-ups, our turn). The sentences are the
 * client's (client_part_text.c), already safe to print. */
#include "util/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/plain_int.h"
#include "util/xalloc.h"

/* Writes "[tag] text" and frees text (both ours, safe). */
static void
plain_part_say(struct plain *p, const char *tag, char *text)
{
	if (text != NULL)
		plain_line(p, tag, "%s", text);
	free(text);
}

/* An item appeared or changed. */
static void
plain_part_item(void *arg, const struct part_item *it, enum client_item_change change,
    const char *by)
{
	char *tag = client_item_tag(it);

	plain_part_say(arg, tag, client_item_text(it, change, by));
	free(tag);
}

/* An item's votes (told at most every CLIENT_TALLY_MS). */
static void
plain_part_tally(void *arg, const struct part_item *it)
{
	char *tag = client_item_tag(it);

	plain_part_say(arg, tag, client_tally_text(it));
	free(tag);
}

/* The list's tag of a kind. */
static const char *
plain_part_list_tag(enum part_kind k)
{
	switch (k) {
	case PK_TOPIC: return "topics";
	case PK_QUESTION: return "questions";
	case PK_POLL: return "polls";
	case PK_SIGNUP: return "signups";
	default: return "board";
	}
}

/* /topics, /questions, /poll, /signups, /board: a line per item. */
static void
plain_part_items(void *arg, enum part_kind kind, const struct part_item *const *items,
    size_t n)
{
	struct plain *p = arg;
	size_t i;

	for (i = 0; i < n; i++)
		plain_part_say(p, plain_part_list_tag(kind == PK__COUNT ? items[i]->kind : kind),
		    client_item_row(items[i]));
	if (n == 0)
		plain_part_say(p, plain_part_list_tag(kind), client_items_empty_text(kind));
	if (kind == PK__COUNT && p->client != NULL) {
		char *q = client_queue_list_text(client_queue(p->client,
		    client_current_room(p->client)), client_name(p->client));
		char tag[ROOM_ID_MAX * 4 + 16];

		snprintf(tag, sizeof tag, "queue #%s", plain_s(p, client_current_room(p->client)));
		plain_part_say(p, tag, q);
	}
}

/* The tag "queue #room". */
static const char *
plain_part_queue_tag(struct plain *p, const char *room, char *buf, size_t len)
{
	snprintf(buf, len, "queue #%s", plain_s(p, room));
	return buf;
}

/* A queue changed. */
static void
plain_part_queue(void *arg, const struct client_queue *q, const char *raised,
    const char *lowered, const char *called, bool cleared, bool first, const char *by)
{
	struct plain *p = arg;
	char tag[ROOM_ID_MAX * 4 + 16];

	plain_part_queue_tag(p, q->room, tag, sizeof tag);
	plain_part_say(p, tag, client_queue_text(q, raised, lowered, called, cleared, first, by,
	    p->client != NULL ? client_name(p->client) : NULL));
}

/* /queue. */
static void
plain_part_queue_list(void *arg, const struct client_queue *q)
{
	struct plain *p = arg;
	char tag[ROOM_ID_MAX * 4 + 16];

	plain_part_queue_tag(p, p->client != NULL ? client_current_room(p->client) : "lobby",
	    tag, sizeof tag);
	plain_part_say(p, tag, client_queue_list_text(q, p->client != NULL ?
	    client_name(p->client) : NULL));
}

/* Anonymous questions allowed in a session, or no longer. */
static void
plain_part_qa(void *arg, const char *session, bool anonymous, const char *by)
{
	struct plain *p = arg;
	char tag[ROOM_ID_MAX * 4 + 8];

	snprintf(tag, sizeof tag, "qa %s", plain_s(p, session));
	plain_line(p, tag, anonymous ? _("%s allows anonymous questions") :
	    _("%s no longer allows anonymous questions"), plain_s(p, by != NULL ? by : "?"));
}

/* What became of a sign-up of ours. */
static void
plain_part_signup(void *arg, const struct proto_signup_answer *a)
{
	plain_part_say(arg, "signup", client_signup_text(a));
}

/* A participation request of ours was done. */
static void
plain_part_done(void *arg, const struct client_part_done *d)
{
	struct plain *p = arg;

	plain_part_say(p, "confab", client_part_done_text(d, p->client != NULL ?
	    client_item(p->client, d->item) : NULL));
}

/* Our turn in the lineup. (Being called to speak, or first in a queue, was said by the
 * queue's line: one line per change.) */
static void
plain_part_alert(void *arg, enum client_alert what, const char *detail, int64_t ms)
{
	if (what == CA_UP_NEXT || what == CA_ON_NOW)
		plain_part_say(arg, "lineup", client_alert_text(what, detail, ms));
}

/* Fills the participation callbacks of v. */
void
plain_part_view(struct client_view *v)
{
	v->item = plain_part_item;
	v->tally = plain_part_tally;
	v->items = plain_part_items;
	v->queue = plain_part_queue;
	v->queue_list = plain_part_queue_list;
	v->qa = plain_part_qa;
	v->signup_answer = plain_part_signup;
	v->part_done = plain_part_done;
	v->alert = plain_part_alert;
}
