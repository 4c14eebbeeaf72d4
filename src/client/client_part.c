/* client_part.c: participation as the hub tells it: items (topics, questions, polls,
 * sign-ups) from the "part" stream, kept from a position like a room's chat (duplicates
 * dropped, a snapshot when the hub cannot replay), vote counts from tallies (told to the
 * view at most every CLIENT_TALLY_MS per item), the queues of the rooms we are in, and
 * what concerns us: our sign-ups, our turn in the lineup, being called to speak. */
#include "util/i18n.h"

#include <stdlib.h>
#include <string.h>

#include "client/client_part.h"
#include "util/log.h"
#include "util/xalloc.h"

/* A new, empty state. */
struct client_part *
client_part_create(void)
{
	return xcalloc(1, sizeof(struct client_part));
}

/* Frees a queue's names. */
static void
client_part_queue_clear(struct client_queue *q)
{
	size_t i;

	for (i = 0; i < q->nhands; i++)
		free(q->hands[i]);
	free(q->hands);
	q->hands = NULL;
	q->nhands = 0;
}

/* Forgets every item. */
static void
client_part_clear_items(struct client_part *p)
{
	size_t i;

	for (i = 0; i < p->nitems; i++) {
		part_item_clear(&p->items[i]->it);
		free(p->items[i]);
	}
	p->nitems = 0;
}

/* Forgets the sessions that allow anonymous questions. */
static void
client_part_clear_qa(struct client_part *p)
{
	while (p->nqa > 0)
		free(p->qa[--p->nqa]);
}

/* Frees the state (not the requests: client_part_reqs_free()). */
void
client_part_free(struct client_part *p)
{
	size_t i;

	if (p == NULL)
		return;
	client_part_clear_items(p);
	free(p->items);
	client_part_clear_qa(p);
	free(p->qa);
	for (i = 0; i < p->nqueues; i++)
		client_part_queue_clear(&p->queues[i]);
	free(p->queues);
	free(p);
}

/* The index where item id is or would go in the sorted list. */
static size_t
client_part_slot(const struct client_part *p, int64_t id)
{
	size_t lo = 0, hi = p->nitems, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (p->items[mid]->it.id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The item with this number, or NULL. */
struct citem *
client_part_find(const struct client_part *p, int64_t id)
{
	size_t i = client_part_slot(p, id);

	return i < p->nitems && p->items[i]->it.id == id ? p->items[i] : NULL;
}

/* Adds (or replaces) an item: a copy of it, its count taken as told. Returns it. */
static struct citem *
client_part_put(struct client_part *p, const struct part_item *it)
{
	size_t i = client_part_slot(p, it->id);
	struct citem *ci;

	if (i < p->nitems && p->items[i]->it.id == it->id) {
		ci = p->items[i];
		part_item_clear(&ci->it);
	} else {
		if (p->nitems == p->cap) {
			p->cap = p->cap ? p->cap * 2 : 32;
			p->items = xreallocarray(p->items, p->cap, sizeof *p->items);
		}
		memmove(&p->items[i + 1], &p->items[i], (p->nitems - i) * sizeof *p->items);
		ci = p->items[i] = xcalloc(1, sizeof *ci);
		p->nitems++;
		ci->told = it->votes;
		memcpy(ci->told_counts, it->counts, sizeof ci->told_counts);
	}
	part_item_copy(&ci->it, it);
	return ci;
}

/* Removes item id. */
static void
client_part_drop(struct client_part *p, int64_t id)
{
	size_t i = client_part_slot(p, id);

	if (i >= p->nitems || p->items[i]->it.id != id)
		return;
	part_item_clear(&p->items[i]->it);
	free(p->items[i]);
	memmove(&p->items[i], &p->items[i + 1], (p->nitems - i - 1) * sizeof *p->items);
	p->nitems--;
}

/* Tells the view that participation changed. */
static void
client_part_changed(struct client *c)
{
	if (c->v.part_changed != NULL)
		c->v.part_changed(c->v.arg);
}

/* The change an "item" event names. */
static enum client_item_change
client_part_change(const char *change, bool known)
{
	static const struct { const char *name; enum client_item_change ch; } t[] = {
		{ "new", CI_NEW }, { "promoted", CI_PROMOTED }, { "merged", CI_MERGED },
		{ "answered", CI_ANSWERED }, { "pinned", CI_PINNED }, { "unpinned", CI_PINNED },
		{ "closed", CI_CLOSED }, { "accepted", CI_ACCEPTED }, { "declined", CI_DECLINED },
	};
	size_t i;

	for (i = 0; change != NULL && i < sizeof t / sizeof t[0]; i++)
		if (strcmp(change, t[i].name) == 0)
			return t[i].ch;
	return known ? CI_CHANGED : CI_NEW;
}

/* True for an event of the "part" stream we have already (and counts it). */
static bool
client_part_seen(struct client *c, uint64_t seq)
{
	struct client_part *p = c->part;

	if (p->have_pos && seq != 0 && (int64_t)seq <= p->pos) {
		c->stats.dups++;
		return true;
	}
	p->pos = (int64_t)seq;
	p->have_pos = true;
	return false;
}

/* An item was made or changed. */
static void
client_part_item(struct client *c, const struct proto_msg *m)
{
	const struct proto_item_ev *e = &m->u.item;
	struct citem *old = client_part_find(c->part, e->item->id), *ci;
	enum client_item_change ch = client_part_change(e->change, old != NULL);
	bool voted = old != NULL && old->it.voted;
	int choice = old != NULL ? old->it.choice : -1;

	if (client_part_seen(c, m->seq))
		return;
	ci = client_part_put(c->part, e->item);
	ci->it.voted = voted;
	ci->it.choice = choice;
	if (!part_item_votable(&ci->it)) {
		ci->told = ci->it.votes;         /* (a result line says the counts) */
		memcpy(ci->told_counts, ci->it.counts, sizeof ci->told_counts);
		ci->due = false;
	}
	/* (the author of a sign-up hears of it from its request's answer and from the
	 * user stream: part_done, signup_answer) */
	if (c->v.item != NULL && (c->role == ROLE_FACILITATOR || ci->it.kind != PK_SIGNUP))
		c->v.item(c->v.arg, &ci->it, ch, e->by);
	client_part_changed(c);
}

/* An item was hidden: it vanishes. */
static void
client_part_hidden(struct client *c, const struct proto_msg *m)
{
	struct citem *ci = client_part_find(c->part, m->u.item_hidden.item);

	if (client_part_seen(c, m->seq) || ci == NULL)
		return;
	if (c->v.item != NULL)
		c->v.item(c->v.arg, &ci->it, CI_HIDDEN, m->u.item_hidden.by);
	client_part_drop(c->part, m->u.item_hidden.item);
	client_part_changed(c);
}

/* Whether session allows anonymous questions now. */
static void
client_part_set_qa(struct client_part *p, const char *session, bool on)
{
	size_t i;

	for (i = 0; i < p->nqa; i++)
		if (strcmp(p->qa[i], session) == 0)
			break;
	if (on && i == p->nqa) {
		p->qa = xreallocarray(p->qa, p->nqa + 1, sizeof *p->qa);
		p->qa[p->nqa++] = xstrdup(session);
	} else if (!on && i < p->nqa) {
		free(p->qa[i]);
		p->qa[i] = p->qa[--p->nqa];
	}
}

/* True when session allows anonymous questions. */
bool
client_qa_anonymous(const struct client *c, const char *session)
{
	size_t i;

	for (i = 0; session != NULL && i < c->part->nqa; i++)
		if (strcmp(c->part->qa[i], session) == 0)
			return true;
	return false;
}

/* What changed in an item while we were away (a snapshot after a lost position). */
static enum client_item_change
client_part_diff(const struct part_item *old, const struct part_item *now)
{
	if (old == NULL)
		return CI_NEW;
	if (old->state != now->state) {
		switch (now->state) {
		case PS_RUNNING: return CI_PROMOTED;
		case PS_MERGED: return CI_MERGED;
		case PS_ANSWERED: return CI_ANSWERED;
		case PS_CLOSED: return CI_CLOSED;
		default: return CI_CHANGED;
		}
	}
	return old->pinned != now->pinned ? CI_PINNED : CI_CHANGED;
}

/* A snapshot: it replaces what we knew. When we had a position, what changed meanwhile
 * is told (once); a client that starts afresh says nothing (the lists are there). */
static void
client_part_state(struct client *c, const struct proto_msg *m)
{
	const struct proto_part_state *st = &m->u.part_state;
	struct client_part *old = c->part, *p = client_part_create();
	const struct citem *was;
	enum client_item_change ch;
	struct citem *ci;
	size_t i;

	p->pos = (int64_t)m->seq;
	p->have_pos = true;
	p->reqs = old->reqs;
	p->nreqs = old->nreqs;
	p->serials = old->serials;
	memcpy(p->next_key, old->next_key, sizeof p->next_key);
	p->queues = old->queues;
	p->nqueues = old->nqueues;
	old->reqs = NULL;
	old->nreqs = 0;
	old->queues = NULL;
	old->nqueues = 0;
	for (i = 0; i < st->nqa; i++)
		client_part_set_qa(p, st->qa[i], true);
	c->part = p;
	for (i = 0; i < st->nitems; i++) {
		was = client_part_find(old, st->items[i].id);
		ci = client_part_put(p, &st->items[i]);
		ch = client_part_diff(was != NULL ? &was->it : NULL, &ci->it);
		if (was != NULL && ch == CI_CHANGED && was->it.votes != ci->it.votes) {
			ci->told = was->told;        /* the count moved: told like a tally */
			ci->told_at = was->told_at;
			ci->due = true;
		}
		if (old->have_pos && st->lost && ch != CI_CHANGED && c->v.item != NULL &&
		    (ci->it.kind != PK_SIGNUP || c->role == ROLE_FACILITATOR))
			c->v.item(c->v.arg, &ci->it, ch, NULL);
	}
	for (i = 0; i < old->nitems; i++)
		if (client_part_find(p, old->items[i]->it.id) == NULL && old->have_pos && st->lost &&
		    c->v.item != NULL && old->items[i]->it.state != PS_MERGED)
			c->v.item(c->v.arg, &old->items[i]->it, CI_HIDDEN, NULL);
	client_part_free(old);
	client_part_changed(c);
}

/* Tells the view an item's count when it changed and was not told in the last
 * CLIENT_TALLY_MS; else it is due later (client_part_tick()). */
static void
client_part_tell(struct client *c, struct citem *ci, int64_t now)
{
	if (!part_item_votable(&ci->it) || (ci->told == ci->it.votes &&
	    memcmp(ci->told_counts, ci->it.counts, sizeof ci->told_counts) == 0)) {
		ci->due = false;
		return;
	}
	if (ci->told_at != 0 && now - ci->told_at < CLIENT_TALLY_MS) {
		ci->due = true;
		return;
	}
	ci->due = false;
	ci->told = ci->it.votes;
	memcpy(ci->told_counts, ci->it.counts, sizeof ci->told_counts);
	ci->told_at = now > 0 ? now : 1;
	if (c->v.tally != NULL && ci->it.state != PS_MERGED)
		c->v.tally(c->v.arg, &ci->it);
}

/* A tally: the counts that changed. */
static void
client_part_tally(struct client *c, const struct proto_msg *m)
{
	const struct proto_tally *t = &m->u.tally;
	int64_t now = client_mono(c);
	struct citem *ci;
	size_t i;

	for (i = 0; i < t->n; i++) {
		if ((ci = client_part_find(c->part, t->v[i].item)) == NULL)
			continue;
		if (t->v[i].votes >= 0)
			ci->it.votes = t->v[i].votes;
		if (t->v[i].ncounts == ci->it.nchoices && ci->it.nchoices > 0) {
			memcpy(ci->it.counts, t->v[i].counts, ci->it.nchoices * sizeof *ci->it.counts);
			ci->it.has_counts = true;
		}
		client_part_tell(c, ci, now);
	}
	client_part_changed(c);
}

/* Ms until a count is due to be told, or -1. */
int64_t
client_part_wakeup(struct client *c)
{
	int64_t best = -1, wait, now = client_mono(c);
	size_t i;

	for (i = 0; i < c->part->nitems; i++) {
		if (!c->part->items[i]->due)
			continue;
		wait = c->part->items[i]->told_at + CLIENT_TALLY_MS - now;
		if (wait < 0)
			wait = 0;
		if (best < 0 || wait < best)
			best = wait;
	}
	return best;
}

/* Tells the counts that are due. */
void
client_part_tick(struct client *c)
{
	int64_t now = client_mono(c);
	size_t i;

	for (i = 0; i < c->part->nitems; i++)
		if (c->part->items[i]->due && now - c->part->items[i]->told_at >= CLIENT_TALLY_MS)
			client_part_tell(c, c->part->items[i], now);
}

/* The queue of room (made when missing, if make), with its index. */
static struct client_queue *
client_part_queue(struct client_part *p, const char *room, bool make, size_t *idx)
{
	size_t i;

	for (i = 0; i < p->nqueues; i++)
		if (strcmp(p->queues[i].room, room) == 0) {
			*idx = i;
			return &p->queues[i];
		}
	if (!make)
		return NULL;
	p->queues = xreallocarray(p->queues, p->nqueues + 1, sizeof *p->queues);
	memset(&p->queues[p->nqueues], 0, sizeof *p->queues);
	strlcpy_cf(p->queues[p->nqueues].room, room, sizeof p->queues->room);
	*idx = p->nqueues;
	return &p->queues[p->nqueues++];
}

/* True when name is among names. */
static bool
client_part_in(char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (proto_name_cmp(names[i], name) == 0)
			return true;
	return false;
}

/* A queue event: who raised, lowered, was called; alerts when it is us. */
static void
client_part_queue_ev(struct client *c, const struct proto_queue_ev *e)
{
	struct client_queue *q, old;
	const char *raised = NULL, *lowered = NULL, *called = NULL;
	bool known, first_before, cleared, first;
	size_t i, idx;

	if (e->room == NULL || !client_is_joined(c, e->room))
		return;
	q = client_part_queue(c->part, e->room, true, &idx);
	known = e->by != NULL;       /* (none: the queue as we find it entering the room) */
	old = *q;
	first_before = old.nhands > 0 && proto_name_cmp(old.hands[0], c->name) == 0;
	q->hands = xcalloc(e->nhands + 1, sizeof *q->hands);
	q->nhands = 0;
	for (i = 0; i < e->nhands; i++)
		q->hands[q->nhands++] = xstrdup(e->hands[i]);
	strlcpy_cf(q->called, e->called != NULL ? e->called : "", sizeof q->called);
	for (i = 0; i < q->nhands && raised == NULL; i++)
		if (!client_part_in(old.hands, old.nhands, q->hands[i]))
			raised = q->hands[i];
	if (q->called[0] != '\0' && strcmp(q->called, old.called) != 0)
		called = q->called;
	for (i = 0; i < old.nhands && lowered == NULL; i++)
		if (!client_part_in(q->hands, q->nhands, old.hands[i]) &&
		    (called == NULL || proto_name_cmp(old.hands[i], called) != 0))
			lowered = old.hands[i];
	/* cleared: every hand went at once, or the only one by someone else's doing (a
	 * facilitator's /queue clear, not its owner's /hand down) */
	cleared = q->nhands == 0 && called == NULL && (old.nhands > 1 || (old.nhands == 1 &&
	    e->by != NULL && proto_name_cmp(e->by, old.hands[0]) != 0));
	/* first: we come first because someone ahead went (not by raising our own hand) */
	first = known && q->nhands > 0 && proto_name_cmp(q->hands[0], c->name) == 0 &&
	    !first_before && (raised == NULL || proto_name_cmp(raised, c->name) != 0);
	if (known && c->v.queue != NULL && (raised || lowered || called || cleared))
		c->v.queue(c->v.arg, q, called != NULL || cleared ? NULL : raised,
		    called != NULL || cleared ? NULL : lowered, called, cleared, first, e->by);
	if (known && called != NULL && proto_name_cmp(called, c->name) == 0 &&
	    c->v.alert != NULL)
		c->v.alert(c->v.arg, CA_CALLED, q->room, 0);
	else if (first && c->v.alert != NULL)
		c->v.alert(c->v.arg, CA_QUEUE_FIRST, q->room, 0);
	client_part_queue_clear(&old);
	client_part_changed(c);
}

/* The queue of room, or NULL when nobody has a hand up there. */
const struct client_queue *
client_queue(const struct client *c, const char *room)
{
	size_t idx;
	const struct client_queue *q = client_part_queue(c->part, room, false, &idx);

	return q != NULL && (q->nhands > 0 || q->called[0] != '\0') ? q : NULL;
}

/* Our place in the queue of room (1: first), or 0. */
size_t
client_queue_place(const struct client *c, const char *room)
{
	const struct client_queue *q = client_queue(c, room);
	size_t i;

	for (i = 0; q != NULL && i < q->nhands; i++)
		if (proto_name_cmp(q->hands[i], c->name) == 0)
			return i + 1;
	return 0;
}

/* We left room: its queue is forgotten (a new one comes when we enter again). */
void
client_part_parted(struct client *c, const char *room)
{
	struct client_part *p = c->part;
	size_t idx;

	if (client_part_queue(p, room, false, &idx) == NULL)
		return;
	client_part_queue_clear(&p->queues[idx]);
	p->queues[idx] = p->queues[p->nqueues - 1];
	p->nqueues--;
	client_part_changed(c);
}

/* Handles a participation event. */
void
client_part_frame(struct client *c, const struct proto_msg *m)
{
	struct citem *ci;

	switch (m->type) {
	case PT_ITEM:
		client_part_item(c, m);
		break;
	case PT_ITEM_HIDDEN:
		client_part_hidden(c, m);
		break;
	case PT_QA:
		if (client_part_seen(c, m->seq))
			break;
		client_part_set_qa(c->part, m->u.qa.session, m->u.qa.anonymous);
		if (c->v.qa != NULL)
			c->v.qa(c->v.arg, m->u.qa.session, m->u.qa.anonymous, m->u.qa.by);
		break;
	case PT_PART_STATE:
		client_part_state(c, m);
		break;
	case PT_TALLY:
		client_part_tally(c, m);
		break;
	case PT_QUEUE:
		client_part_queue_ev(c, &m->u.queue);
		break;
	default:   /* PT_SIGNUP_ANSWER */
		if ((ci = client_part_find(c->part, m->u.signup_answer.item)) != NULL)
			ci->it.state = m->u.signup_answer.state;
		if (c->v.signup_answer != NULL)
			c->v.signup_answer(c->v.arg, &m->u.signup_answer);
		client_part_changed(c);
		break;
	}
}

/* A welcome: a position of another epoch means nothing; the queues of the rooms we are
 * in come again (or not at all, when nobody has a hand up). */
void
client_part_welcome(struct client *c, bool same_epoch)
{
	struct client_part *p = c->part;

	if (!same_epoch)
		p->have_pos = false;
	while (p->nqueues > 0)
		client_part_queue_clear(&p->queues[--p->nqueues]);
}

/* Our position in the "part" stream, for hello. */
bool
client_part_position(const struct client *c, int64_t *pos)
{
	*pos = c->part->pos;
	return c->part->have_pos;
}

/* Our vote on item id. */
void
client_part_voted(struct client *c, int64_t id, int choice)
{
	struct citem *ci = client_part_find(c->part, id);

	if (ci == NULL)
		return;
	ci->it.voted = choice >= 0;
	ci->it.choice = ci->it.kind == PK_POLL ? choice : -1;
	client_part_changed(c);
}

/* True when speaker is us. */
static bool
client_part_me(const struct client *c, const char *speaker)
{
	return speaker[0] != '\0' && proto_name_cmp(speaker, c->name) == 0;
}

/* The lineup changed: when the item after the current one is ours, we are up next (told
 * once per item and place). */
void
client_part_lineup(struct client *c)
{
	int64_t next = c->lineup_cur + 1;
	const struct lineup_item *it;
	char key[sizeof c->part->next_key], *label;

	if (next < 0 || (size_t)next >= c->nlineup ||
	    !client_part_me(c, c->lineup[next].speaker)) {
		c->part->next_key[0] = '\0';
		return;
	}
	it = &c->lineup[next];
	snprintf(key, sizeof key, "%lld:%s", (long long)next, it->title);
	if (strcmp(key, c->part->next_key) == 0)
		return;
	memcpy(c->part->next_key, key, sizeof key);
	label = lineup_item_label(it);
	if (c->v.alert != NULL)
		c->v.alert(c->v.arg, CA_UP_NEXT, label, lineup_item_duration(it));
	free(label);
}

/* A timer changed: the main timer of our item started. */
void
client_part_timer(struct client *c, const struct timer *t, enum timer_change change)
{
	const struct lineup_item *it;
	char *label;

	if (change != TC_START || strcmp(t->scope, TIMER_SCOPE_MAIN) != 0 ||
	    c->lineup_cur < 0 || (size_t)c->lineup_cur >= c->nlineup)
		return;
	it = &c->lineup[c->lineup_cur];
	if (!client_part_me(c, it->speaker))
		return;
	label = lineup_item_label(it);
	if (c->v.alert != NULL)
		c->v.alert(c->v.arg, CA_ON_NOW, label, t->duration_ms);
	free(label);
}

/* The items of kind k in the order of their lists (merged topics left out). */
size_t
client_items(const struct client *c, enum part_kind k, const struct part_item **out,
    size_t max)
{
	const struct part_item **v;
	size_t i, n = 0, kept, from;
	enum part_kind order;

	v = xcalloc(c->part->nitems + 1, sizeof *v);
	for (i = 0; i < c->part->nitems; i++) {
		const struct part_item *it = &c->part->items[i]->it;
		if ((k == PK__COUNT || it->kind == k) && it->state != PS_MERGED)
			v[n++] = it;
	}
	if (k != PK__COUNT)
		part_order(v, n, k);
	else {
		/* every kind in turn, each in the order of its own list */
		for (order = PK_TOPIC, from = 0; order < PK__COUNT; order++) {
			part_order(v + from, n - from, order);
			while (from < n && v[from]->kind == order)
				from++;
		}
	}
	kept = n < max ? n : max;
	if (kept > 0)
		memcpy(out, v, kept * sizeof *out);
	free(v);
	return n;
}

/* The item with this number, or NULL. */
const struct part_item *
client_item(const struct client *c, int64_t id)
{
	const struct citem *ci = client_part_find(c->part, id);

	return ci != NULL ? &ci->it : NULL;
}

/* The newest open poll, or NULL. */
const struct part_item *
client_open_poll(const struct client *c)
{
	size_t i;

	for (i = c->part->nitems; i-- > 0;)
		if (c->part->items[i]->it.kind == PK_POLL && c->part->items[i]->it.state == PS_OPEN)
			return &c->part->items[i]->it;
	return NULL;
}
