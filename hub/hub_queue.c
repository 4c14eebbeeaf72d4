/* hub_queue.c: the speaking queue of a room: attendees raise and lower a hand (once
 * each, by their name's look-alike key), facilitators call the next one or clear it. The
 * queue is a value of the store ("queue/<room>"); the view sends it to the room's members
 * when it changes (hub_part_view.c). */
#include <stdlib.h>
#include <string.h>

#include "hub/hub_part.h"
#include "util/log.h"
#include "util/xalloc.h"

/* Frees a queue. Safe on NULL. */
void
hub_queue_free(struct hub_queue *q)
{
	size_t i;

	if (q == NULL)
		return;
	for (i = 0; i < q->nhands; i++) {
		free(q->hands[i].key);
		free(q->hands[i].name);
	}
	free(q->hands);
	free(q);
}

/* A queue's value: {"hands":[{"key":K,"name":N}...],"called":N,"by":N}. */
char *
hub_queue_value(const struct hub_queue *q)
{
	json_t *o = json_object(), *a = json_array(), *h;
	size_t i;
	char *s;

	for (i = 0; i < q->nhands; i++) {
		h = json_object();
		json_object_set_new(h, "key", json_string(q->hands[i].key));
		json_object_set_new(h, "name", json_string(q->hands[i].name));
		json_array_append_new(a, h);
	}
	json_object_set_new(o, "hands", a);
	json_object_set_new(o, "called", json_string(q->called));
	json_object_set_new(o, "by", json_string(q->by));
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s != NULL ? s : xstrdup("{\"hands\":[]}");
}

/* Adds a hand at the end of q. */
static void
hub_queue_add(struct hub_queue *q, const char *key, const char *name)
{
	q->hands = xreallocarray(q->hands, q->nhands + 1, sizeof *q->hands);
	q->hands[q->nhands].key = xstrdup(key);
	q->hands[q->nhands++].name = xstrdup(name);
}

/* Removes hand i of q. */
static void
hub_queue_drop(struct hub_queue *q, size_t i)
{
	free(q->hands[i].key);
	free(q->hands[i].name);
	memmove(&q->hands[i], &q->hands[i + 1], (q->nhands - i - 1) * sizeof *q->hands);
	q->nhands--;
}

/* The index of key's hand in q, or -1. */
static long
hub_queue_find(const struct hub_queue *q, const char *key)
{
	size_t i;

	for (i = 0; i < q->nhands; i++)
		if (strcmp(q->hands[i].key, key) == 0)
			return (long)i;
	return -1;
}

/* The queue of room as the next write should see it (a new copy; empty when none). */
static struct hub_queue *
hub_queue_current(struct hub *hub, const char *room)
{
	const struct hub_pending *p;
	const struct hub_queue *v;
	struct hub_queue *q = xcalloc(1, sizeof *q);
	char key[ROOM_ID_MAX + 8];
	json_t *o, *a, *e;
	const char *k, *n, *c;
	size_t i;

	snprintf(key, sizeof key, "queue/%s", room);
	if ((p = hub_write_pending(hub, key)) != NULL) {
		if (p->value == NULL || (o = json_loads(p->value, 0, NULL)) == NULL)
			return q;
		a = json_object_get(o, "hands");
		json_array_foreach(a, i, e) {
			k = json_string_value(json_object_get(e, "key"));
			n = json_string_value(json_object_get(e, "name"));
			if (k != NULL && n != NULL)
				hub_queue_add(q, k, n);
		}
		c = json_string_value(json_object_get(o, "called"));
		strlcpy_cf(q->called, c != NULL ? c : "", sizeof q->called);
		json_decref(o);
		return q;
	}
	if ((v = hub_part_queue(hub, room)) == NULL)
		return q;
	for (i = 0; i < v->nhands; i++)
		hub_queue_add(q, v->hands[i].key, v->hands[i].name);
	strlcpy_cf(q->called, v->called, sizeof q->called);
	return q;
}

/* Writes q as the queue of room (by: who); answers re of s with ok (s may be NULL). */
static void
hub_queue_write(struct hub *hub, const char *room, struct hub_queue *q, const char *by,
    struct hub_session *s, int64_t re)
{
	char key[ROOM_ID_MAX + 8], *value;

	strlcpy_cf(q->by, by, sizeof q->by);
	snprintf(key, sizeof key, "queue/%s", room);
	value = hub_queue_value(q);
	hub_write_value(hub, key, value, false, s, re, s != NULL ? hub_write_reply : NULL,
	    NULL);
	free(value);
}

/* Replies ok dup: nothing to change. */
static void
hub_queue_same(struct hub_session *s, int64_t re)
{
	struct proto_msg rep;

	proto_msg_init(&rep, PT_OK);
	rep.re = re;
	rep.u.ok.dup = true;
	hub_send_msg(s, &rep);
}

/* hand: up (a member of the room, once) or down. */
static void
hub_queue_hand(struct hub_session *s, const struct proto_msg *m, struct hub_room *r,
    struct hub_queue *q)
{
	long i = hub_queue_find(q, s->ident->key);

	if (m->u.hand.up && hub_session_join_find(s, r) == NULL)
		hub_reply_error(s, m->id, PE_NOT_MEMBER, NULL);
	else if ((m->u.hand.up && i >= 0) || (!m->u.hand.up && i < 0))
		hub_queue_same(s, m->id);
	else if (m->u.hand.up && q->nhands >= HUB_HANDS_MAX)
		hub_reply_error(s, m->id, PE_RATE, "too many hands are up in that room");
	else {
		if (m->u.hand.up)
			hub_queue_add(q, s->ident->key, s->name);
		else
			hub_queue_drop(q, (size_t)i);
		hub_queue_write(s->hub, r->info.id, q, s->name, s, m->id);
	}
}

/* hand, queue.next, queue.clear. */
void
hub_queue_request(struct hub_session *s, const struct proto_msg *m)
{
	struct hub_room *r;
	struct hub_queue *q;

	if ((r = hub_req_room(s, m, m->type == PT_HAND ? m->u.hand.room : m->u.room.room)) ==
	    NULL)
		return;
	q = hub_queue_current(s->hub, r->info.id);
	switch (m->type) {
	case PT_HAND:
		hub_queue_hand(s, m, r, q);
		break;
	case PT_QUEUE_NEXT:
		if (q->nhands == 0) {
			hub_reply_error(s, m->id, PE_QUEUE_EMPTY, NULL);
			break;
		}
		strlcpy_cf(q->called, q->hands[0].name, sizeof q->called);
		hub_queue_drop(q, 0);
		hub_queue_write(s->hub, r->info.id, q, s->name, s, m->id);
		log_info("hub: %s called %s to speak in %s", s->name, q->called, r->info.id);
		break;
	default:
		while (q->nhands > 0)
			hub_queue_drop(q, q->nhands - 1);
		q->called[0] = '\0';
		hub_queue_write(s->hub, r->info.id, q, s->name, s, m->id);
		break;
	}
	hub_queue_free(q);
}

/* s left room r: its hand, if up, goes down. */
void
hub_queue_parted(struct hub_session *s, const struct hub_room *r)
{
	struct hub_queue *q;
	long i;

	if (s->ident == NULL || hub_part_queue(s->hub, r->info.id) == NULL)
		return;
	q = hub_queue_current(s->hub, r->info.id);
	if ((i = hub_queue_find(q, s->ident->key)) >= 0) {
		hub_queue_drop(q, (size_t)i);
		hub_queue_write(s->hub, r->info.id, q, s->name, NULL, 0);
	}
	hub_queue_free(q);
}
