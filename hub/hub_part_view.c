/* hub_part_view.c: participation in the hub's view: items, votes, anonymous-question
 * settings and speaking queues applied from what the store reports (hub_part.h), the
 * "part" stream's recent events for replays, and what goes to the sessions: events as
 * they are stored (to their audience), a snapshot or a replay after hello, the coalesced
 * tally (at most one a second, only the counts that changed) and each room's queue to
 * its members. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub_part.h"
#include "util/log.h"
#include "util/xalloc.h"

/* A new, empty participation state. */
struct hub_part *
hub_part_create(void)
{
	struct hub_part *p = xcalloc(1, sizeof *p);

	p->items = strmap_create();
	p->qa = strmap_create();
	p->queues = strmap_create();
	p->orphans = strmap_create();
	p->ring = xcalloc(HUB_PART_KEEP, sizeof *p->ring);
	p->next_id = 1;
	return p;
}

/* Frees an item. */
static void
hub_part_item_free(struct hub_item *h)
{
	part_item_clear(&h->it);
	part_votes_free(h->votes);
	free(h->author);
	free(h);
}

/* Frees one ring slot's contents. */
static void
hub_part_ev_clear(struct hub_part_ev *e)
{
	msg_unref(e->frame);
	free(e->only);
	memset(e, 0, sizeof *e);
}

/* Frees the state. Safe on NULL. */
void
hub_part_free(struct hub_part *p)
{
	size_t pos = 0, i;
	void *v;

	if (p == NULL)
		return;
	while ((v = strmap_next(p->items, &pos, NULL)) != NULL)
		hub_part_item_free(v);
	strmap_free(p->items);
	pos = 0;
	while ((v = strmap_next(p->queues, &pos, NULL)) != NULL)
		hub_queue_free(v);
	strmap_free(p->queues);
	strmap_free(p->qa);
	strmap_free(p->orphans);
	for (i = 0; i < HUB_PART_KEEP; i++)
		hub_part_ev_clear(&p->ring[i]);
	free(p->ring);
	free(p);
}

/* The item with this number, or NULL. */
struct hub_item *
hub_part_item(const struct hub *hub, int64_t id)
{
	char key[24];

	snprintf(key, sizeof key, "%" PRId64, id);
	return strmap_get(hub->part->items, key);
}

/* The value of an item as stored: what may be shown (no counts: they come from the
 * votes), the author's key and whether it is hidden. */
char *
hub_part_item_value(const struct part_item *it, const char *author, bool hidden)
{
	struct part_item c = *it;
	json_t *o;
	char *s;

	c.votes = 0;
	c.has_counts = false;
	o = proto_item_to_json(&c, false);
	if (author != NULL)
		json_object_set_new(o, "author", json_string(author));
	if (hidden)
		json_object_set_new(o, "hidden", json_true());
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s != NULL ? s : xstrdup("{}");
}

/* Parses an item value into *it, *hidden and *author (new or NULL); 0, or -1 (logged). */
static int
hub_part_parse(const char *key, const char *value, struct part_item *it, bool *hidden,
    char **author)
{
	char detail[160];
	const char *a;
	json_t *o = json_loads(value, 0, NULL);
	int rc;

	if (o == NULL || !json_is_object(o)) {
		log_warn("hub: store value %s is not a JSON object: ignored", key);
		json_decref(o);
		return -1;
	}
	rc = proto_item_from_json(o, it, detail, sizeof detail);
	if (rc != 0) {
		log_warn("hub: store value %s: %s: ignored", key, detail);
		part_item_clear(it);
	} else {
		*hidden = json_is_true(json_object_get(o, "hidden"));
		a = json_string_value(json_object_get(o, "author"));
		if (author != NULL)
			*author = a != NULL ? xstrdup(a) : NULL;
	}
	json_decref(o);
	return rc;
}

/* The item as the next write should see it. */
int
hub_part_current(struct hub *hub, int64_t id, struct part_item *out, bool *hidden,
    char **author)
{
	const struct hub_pending *p;
	struct hub_item *h;
	char key[32];

	snprintf(key, sizeof key, "item/%" PRId64, id);
	if ((p = hub_write_pending(hub, key)) != NULL) {
		if (p->value == NULL || hub_part_parse(key, p->value, out, hidden, author) != 0)
			return -1;
		if ((h = hub_part_item(hub, id)) != NULL) {
			out->votes = h->it.votes;
			memcpy(out->counts, h->it.counts, sizeof out->counts);
		}
		return 0;
	}
	if ((h = hub_part_item(hub, id)) == NULL)
		return -1;
	part_item_copy(out, &h->it);
	*hidden = h->hidden;
	if (author != NULL)
		*author = h->author != NULL ? xstrdup(h->author) : NULL;
	return 0;
}

/* The stored vote of voter on item id as the next write should see it, or -1. */
int
hub_part_vote_current(struct hub *hub, int64_t id, const char *voter)
{
	const struct hub_pending *p;
	struct hub_item *h;
	char *key = xasprintf("vote/%" PRId64 "/%s", id, voter);
	json_t *o;
	int choice = -1;

	if ((p = hub_write_pending(hub, key)) != NULL) {
		if (p->value != NULL && (o = json_loads(p->value, 0, NULL)) != NULL) {
			choice = (int)json_integer_value(json_object_get(o, "choice"));
			json_decref(o);
		}
	} else if ((h = hub_part_item(hub, id)) != NULL)
		choice = part_votes_get(h->votes, voter);
	free(key);
	return choice;
}

/* True when s may see h. */
bool
hub_part_visible(const struct hub_session *s, const struct hub_item *h)
{
	if (h->hidden)
		return false;
	if (h->it.kind != PK_SIGNUP || s->role == ROLE_FACILITATOR)
		return true;
	return s->ident != NULL && h->author != NULL && strcmp(s->ident->key, h->author) == 0;
}

/* Keeps the counts of h's item up to date from its votes; marks it for the tally. */
static void
hub_part_recount(struct hub *hub, struct hub_item *h)
{
	const int64_t *c = part_votes_counts(h->votes);

	h->it.votes = part_votes_total(h->votes);
	if (c != NULL)
		memcpy(h->it.counts, c, h->it.nchoices * sizeof *c);
	if (!hub->loading && !h->hidden && h->it.kind != PK_SIGNUP) {
		h->dirty = true;
		hub->part->tally_dirty = true;
	}
}

/* Applies a vote (choice >= 0) or its removal (choice -1) to item h. */
static void
hub_part_apply_vote(struct hub *hub, struct hub_item *h, const char *voter, int choice)
{
	int changed = choice >= 0 ? part_votes_set(h->votes, voter, choice) :
	    part_votes_clear(h->votes, voter);

	if (changed == 1)
		hub_part_recount(hub, h);
}

/* Takes the votes that came before their item (a shared store may report them first). */
static void
hub_part_adopt(struct hub *hub, struct hub_item *h)
{
	char prefix[32];
	const char *key;
	size_t pos = 0, n;
	void *v;

	if (strmap_count(hub->part->orphans) == 0)
		return;
	n = (size_t)snprintf(prefix, sizeof prefix, "%" PRId64 "/", h->it.id);
	while ((v = strmap_next(hub->part->orphans, &pos, &key)) != NULL) {
		if (strncmp(key, prefix, n) != 0)
			continue;
		hub_part_apply_vote(hub, h, key + n, (int)((uintptr_t)v - 1));
		strmap_del(hub->part->orphans, key);
	}
}

/* "item/<id>": an item made or changed. */
static void
hub_part_item_value_cb(struct hub *hub, const char *key, const char *value)
{
	struct part_item it;
	struct hub_item *h;
	bool hidden = false;
	char *author = NULL, idkey[24];

	if (value == NULL || hub_part_parse(key, value, &it, &hidden, &author) != 0)
		return;
	snprintf(idkey, sizeof idkey, "%" PRId64, it.id);
	if (strcmp(idkey, key + 5) != 0) {
		log_warn("hub: store value %s holds item %s: ignored", key, idkey);
		part_item_clear(&it);
		free(author);
		return;
	}
	if ((h = hub_part_item(hub, it.id)) == NULL) {
		h = xcalloc(1, sizeof *h);
		h->votes = part_votes_create(it.kind == PK_POLL ? it.nchoices : 0);
		strmap_put(hub->part->items, idkey, h);
		hub->part->nitems++;
	} else
		part_item_clear(&h->it);
	h->it = it;
	h->hidden = hidden;
	free(h->author);
	h->author = author;
	if (it.id >= hub->part->next_id)
		hub->part->next_id = it.id + 1;
	hub_part_adopt(hub, h);
	h->it.votes = part_votes_total(h->votes);
	if (part_votes_counts(h->votes) != NULL)
		memcpy(h->it.counts, part_votes_counts(h->votes),
		    h->it.nchoices * sizeof *h->it.counts);
}

/* "vote/<id>/<voter>": {} or {"choice": N}; NULL: the vote was taken back. */
static void
hub_part_vote_value(struct hub *hub, const char *key, const char *value)
{
	const char *p = key + 5, *slash = strchr(p, '/');
	struct hub_item *h;
	int choice = -1;
	json_t *o;
	int64_t id;
	char *okey;

	if (slash == NULL || slash == p || slash[1] == '\0')
		return;
	id = strtoll(p, NULL, 10);
	if (value != NULL) {
		o = json_loads(value, 0, NULL);
		choice = json_is_integer(json_object_get(o, "choice")) ?
		    (int)json_integer_value(json_object_get(o, "choice")) : 0;
		json_decref(o);
		if (choice < 0)
			return;
	}
	if ((h = hub_part_item(hub, id)) != NULL) {
		hub_part_apply_vote(hub, h, slash + 1, choice);
		return;
	}
	okey = xstrdup(p);
	if (choice >= 0)
		strmap_put(hub->part->orphans, okey, (void *)(uintptr_t)(choice + 1));
	else
		strmap_del(hub->part->orphans, okey);
	free(okey);
}

/* Sends the queue of room to s: a change (with who made it), or with initial, how it is
 * (no "by": nothing changed, s just came into the room). */
static void
hub_part_send_queue(struct hub_session *s, const char *room, const struct hub_queue *q,
    bool initial)
{
	struct proto_msg m;
	const char **names;
	size_t i, n = q != NULL ? q->nhands : 0;

	names = xcalloc(n + 1, sizeof *names);
	for (i = 0; i < n; i++)
		names[i] = q->hands[i].name;
	proto_msg_init(&m, PT_QUEUE);
	m.stream = "queue";
	m.seq = ++s->hub->part->queue_seq;
	m.u.queue.room = room;
	m.u.queue.hands = names;
	m.u.queue.nhands = n;
	m.u.queue.called = q != NULL ? q->called : "";
	m.u.queue.by = !initial && q != NULL ? q->by : NULL;
	hub_send_msg(s, &m);
	free(names);
}

/* Parses a queue value; NULL when it is not one (logged). */
static struct hub_queue *
hub_part_parse_queue(const char *key, const char *value)
{
	struct hub_queue *q;
	json_t *o = json_loads(value, 0, NULL), *a, *e;
	const char *k, *n, *c, *b;
	size_t i;

	if (o == NULL || !json_is_object(o) || !json_is_array(a = json_object_get(o, "hands"))) {
		log_warn("hub: store value %s is not a queue: ignored", key);
		json_decref(o);
		return NULL;
	}
	q = xcalloc(1, sizeof *q);
	q->hands = xcalloc(json_array_size(a) + 1, sizeof *q->hands);
	json_array_foreach(a, i, e) {
		k = json_string_value(json_object_get(e, "key"));
		n = json_string_value(json_object_get(e, "name"));
		if (k == NULL || n == NULL || proto_name_check(n) != PE_NONE)
			continue;
		q->hands[q->nhands].key = xstrdup(k);
		q->hands[q->nhands++].name = xstrdup(n);
	}
	c = json_string_value(json_object_get(o, "called"));
	b = json_string_value(json_object_get(o, "by"));
	strlcpy_cf(q->called, c != NULL && proto_name_check(c) == PE_NONE ? c : "",
	    sizeof q->called);
	strlcpy_cf(q->by, b != NULL && proto_name_check(b) == PE_NONE ? b : "", sizeof q->by);
	json_decref(o);
	return q;
}

/* "queue/<room>": the hands up in a room; its members are sent it. */
static void
hub_part_queue_value(struct hub *hub, const char *room, const char *value)
{
	struct hub_queue *q = NULL, *old;
	struct hub_session *s;
	struct hub_room *r;

	if (value != NULL && (q = hub_part_parse_queue(room, value)) == NULL)
		return;
	old = q != NULL ? strmap_put(hub->part->queues, room, q) :
	    strmap_del(hub->part->queues, room);
	hub_queue_free(old);
	if (hub->loading || (r = hub_room_find(hub, room)) == NULL)
		return;
	for (s = hub->sessions; s != NULL; s = s->next)
		if (s->name != NULL && !s->dead && hub_session_join_find(s, r) != NULL)
			hub_part_send_queue(s, room, q, false);
}

/* The queue of room, or NULL. */
struct hub_queue *
hub_part_queue(const struct hub *hub, const char *room)
{
	return strmap_get(hub->part->queues, room);
}

/* Sends s the queue of room r when there is anything in it. */
void
hub_part_room_entered(struct hub_session *s, const struct hub_room *r)
{
	const struct hub_queue *q = hub_part_queue(s->hub, r->info.id);

	if (q != NULL && (q->nhands > 0 || q->called[0] != '\0'))
		hub_part_send_queue(s, r->info.id, q, true);
}

/* Applies a participation value; false when key is not one. */
bool
hub_part_value(struct hub *hub, const char *key, const char *value)
{
	if (strncmp(key, "item/", 5) == 0)
		hub_part_item_value_cb(hub, key, value);
	else if (strncmp(key, "vote/", 5) == 0)
		hub_part_vote_value(hub, key, value);
	else if (strncmp(key, "qa/", 3) == 0) {
		if (value != NULL)
			strmap_put(hub->part->qa, key + 3, (void *)1);
		else
			strmap_del(hub->part->qa, key + 3);
	} else if (strncmp(key, "queue/", 6) == 0)
		hub_part_queue_value(hub, key + 6, value);
	else
		return false;
	return true;
}

/* The ring slot of seq, or NULL. */
static struct hub_part_ev *
hub_part_slot(const struct hub_part *p, uint64_t seq)
{
	size_t i;
	struct hub_part_ev *e;

	for (i = 0; i < p->ring_n; i++) {
		e = &p->ring[(p->ring_start + i) % HUB_PART_KEEP];
		if (e->seq == seq)
			return e;
	}
	return NULL;
}

/* The oldest seq from which the hub holds every event (removed ones count as held). */
static uint64_t
hub_part_first(const struct hub *hub)
{
	const struct hub_part *p = hub->part;

	if (p->ring_n == 0)
		return hub_view_head(hub, "part") + 1;
	return p->ring[p->ring_start].seq;
}

/* True when s is of the audience of e. */
static bool
hub_part_for(const struct hub_session *s, const struct hub_part_ev *e)
{
	if (e->frame == NULL || e->frame->len == 0)
		return false;
	return e->only == NULL || s->role == ROLE_FACILITATOR ||
	    (s->ident != NULL && strcmp(s->ident->key, e->only) == 0);
}

/* An event of the "part" stream: held for replays and sent to its audience. */
void
hub_part_event(struct hub *hub, const struct store_event *ev)
{
	struct hub_part *p = hub->part;
	struct hub_part_ev *e;
	struct hub_session *s;
	struct hub_item *h = NULL;
	json_t *o, *item;
	int64_t id = 0;
	bool is_item;

	if (p->ring_n > 0 && ev->seq <= p->ring[(p->ring_start + p->ring_n - 1) %
	    HUB_PART_KEEP].seq)
		return;                   /* had it */
	o = json_loadb(ev->data, ev->len, 0, NULL);
	item = json_object_get(o, "item");
	is_item = json_is_object(item);
	id = is_item ? json_integer_value(json_object_get(item, "id")) :
	    json_integer_value(item);
	json_decref(o);
	if (id > 0)
		h = hub_part_item(hub, id);
	if (ev->cid != NULL && proto_cid_valid(ev->cid))
		hub_cids_add(hub->cids, ev->cid, id);
	if (p->ring_n == HUB_PART_KEEP) {
		hub_part_ev_clear(&p->ring[p->ring_start]);
		p->ring_start = (p->ring_start + 1) % HUB_PART_KEEP;
		p->ring_n--;
	}
	e = &p->ring[(p->ring_start + p->ring_n++) % HUB_PART_KEEP];
	e->seq = ev->seq;
	e->item = id;
	if (is_item && h != NULL && h->hidden)
		return;                   /* (loading) a hidden item's: never sent again */
	e->frame = hub_event_frame(hub, "part", ev->seq, ev->data, ev->len);
	if (h != NULL && h->it.kind == PK_SIGNUP && h->author != NULL)
		e->only = xstrdup(h->author);
	if (hub->loading)
		return;
	for (s = hub->sessions; s != NULL; s = s->next)
		if (s->name != NULL && !s->dead && hub_part_for(s, e))
			hub_send(s, e->frame);
}

/* Event seq of the "part" stream was removed: never sent again. */
void
hub_part_removed(struct hub *hub, uint64_t seq)
{
	struct hub_part_ev *e = hub_part_slot(hub->part, seq);

	if (e != NULL) {
		msg_unref(e->frame);
		e->frame = NULL;
	}
}

/* The seqs of the events held for item id. */
size_t
hub_part_item_seqs(const struct hub *hub, int64_t id, uint64_t **seqs)
{
	const struct hub_part *p = hub->part;
	const struct hub_part_ev *e;
	size_t i, n = 0;

	*seqs = xcalloc(p->ring_n + 1, sizeof **seqs);
	for (i = 0; i < p->ring_n; i++) {
		e = &p->ring[(p->ring_start + i) % HUB_PART_KEEP];
		if (e->item == id && e->frame != NULL)
			(*seqs)[n++] = e->seq;
	}
	return n;
}

/* Orders items by number, for qsort. */
static int
hub_part_by_id(const void *a, const void *b)
{
	const struct hub_item *x = *(const struct hub_item *const *)a;
	const struct hub_item *y = *(const struct hub_item *const *)b;

	return x->it.id < y->it.id ? -1 : x->it.id > y->it.id;
}

/* The items of the hub in order of their numbers (a new array of borrowed pointers). */
static struct hub_item **
hub_part_sorted(const struct hub *hub, size_t *n)
{
	struct hub_item **v, *h;
	size_t pos = 0;

	v = xcalloc(hub->part->nitems + 1, sizeof *v);
	*n = 0;
	while ((h = strmap_next(hub->part->items, &pos, NULL)) != NULL &&
	    *n < hub->part->nitems)
		v[(*n)++] = h;
	qsort(v, *n, sizeof *v, hub_part_by_id);
	return v;
}

/* True when item h's per-choice counts may be shown. */
static bool
hub_part_counts_shown(const struct hub_item *h)
{
	return h->it.kind == PK_POLL && (!h->it.secret || h->it.state == PS_CLOSED);
}

/* The tally entry of h: its votes, and its counts when they may be shown. */
static void
hub_part_entry(const struct hub_item *h, struct proto_tally_entry *e)
{
	e->item = h->it.id;
	e->votes = h->it.votes;
	if (hub_part_counts_shown(h)) {
		e->ncounts = h->it.nchoices;
		memcpy(e->counts, h->it.counts, e->ncounts * sizeof *e->counts);
	}
}

/* A tally event of the n entries v (borrowed) into m. */
static void
hub_part_tally_msg(struct hub *hub, struct proto_tally_entry *v, size_t n,
    struct proto_msg *m)
{
	proto_msg_init(m, PT_TALLY);
	m->stream = "tally";
	m->seq = ++hub->part->tally_seq;
	m->u.tally.v = v;
	m->u.tally.n = n;
}

/* Sends s the tally of every item it may see that takes votes (after a replay: counts
 * are not replayed). */
static void
hub_part_send_tally(struct hub_session *s)
{
	struct hub *hub = s->hub;
	struct proto_tally_entry *v;
	struct hub_item **items;
	struct proto_msg m;
	size_t n, i, k = 0;

	items = hub_part_sorted(hub, &n);
	v = xcalloc(n + 1, sizeof *v);
	for (i = 0; i < n; i++) {
		if (!hub_part_visible(s, items[i]) || items[i]->it.kind == PK_SIGNUP)
			continue;
		hub_part_entry(items[i], &v[k++]);
	}
	if (k > 0) {
		hub_part_tally_msg(hub, v, k, &m);
		hub_send_msg(s, &m);
	}
	free(v);
	free(items);
}

/* Sends s everything it may see of participation now, as one part.state event (none
 * when there is nothing to see and nothing to forget). */
static void
hub_part_send_state(struct hub_session *s, bool lost)
{
	struct hub *hub = s->hub;
	struct part_item *v;
	struct hub_item **items, *h;
	const char **qa, *key;
	struct proto_msg m;
	size_t n, i, k = 0, nqa = 0, pos = 0;

	items = hub_part_sorted(hub, &n);
	v = xcalloc(n + 1, sizeof *v);
	for (i = 0; i < n; i++) {
		h = items[i];
		if (!hub_part_visible(s, h) || h->it.state == PS_MERGED)
			continue;
		v[k] = h->it;             /* (strings borrowed) */
		v[k].has_counts = hub_part_counts_shown(h);
		v[k].choice = s->voter != NULL ? part_votes_get(h->votes, s->voter) : -1;
		v[k].voted = v[k].choice >= 0;
		k++;
	}
	qa = xcalloc(strmap_count(hub->part->qa) + 1, sizeof *qa);
	while (strmap_next(hub->part->qa, &pos, &key) != NULL)
		qa[nqa++] = key;
	if (k == 0 && nqa == 0 && !lost)
		goto out;               /* nothing to tell (the demo's start: no frame at all) */
	proto_msg_init(&m, PT_PART_STATE);
	m.stream = "part";
	m.seq = hub_view_head(hub, "part");
	m.u.part_state.items = v;
	m.u.part_state.nitems = k;
	m.u.part_state.qa = qa;
	m.u.part_state.nqa = nqa;
	m.u.part_state.lost = lost;
	hub_send_msg(s, &m);
out:
	free(qa);
	free(v);
	free(items);
}

/* After the welcome of s: the replay after pos, or a snapshot; the queues of its rooms. */
void
hub_part_enter(struct hub_session *s, bool has_pos, int64_t pos)
{
	struct hub *hub = s->hub;
	struct hub_part *p = hub->part;
	struct hub_part_ev *e;
	uint64_t head = hub_view_head(hub, "part");
	size_t i;

	if (has_pos && pos >= 0 && (uint64_t)pos <= head &&
	    (uint64_t)pos + 1 >= hub_part_first(hub)) {
		for (i = 0; i < p->ring_n; i++) {
			e = &p->ring[(p->ring_start + i) % HUB_PART_KEEP];
			if (e->seq > (uint64_t)pos && hub_part_for(s, e))
				hub_send(s, e->frame);
		}
		hub_part_send_tally(s);
	} else
		hub_part_send_state(s, has_pos || pos == HUB_SINCE_LOST);
	for (i = 0; i < s->njoins; i++)
		hub_part_room_entered(s, s->joins[i].room);
}

/* Sends the counts that changed since the last tally, to everyone. */
static void
hub_part_send_tallies(struct hub *hub)
{
	struct proto_tally_entry *v;
	struct hub_item **items, *h;
	struct proto_msg m;
	struct msg *frame;
	size_t n, i, k = 0;

	items = hub_part_sorted(hub, &n);
	v = xcalloc(n + 1, sizeof *v);
	for (i = 0; i < n; i++) {
		h = items[i];
		if (!h->dirty)
			continue;
		h->dirty = false;
		if (h->hidden || h->it.kind == PK_SIGNUP)
			continue;
		hub_part_entry(h, &v[k++]);
	}
	if (k > 0) {
		hub_part_tally_msg(hub, v, k, &m);
		frame = hub_encode(hub, &m);
		hub_broadcast(hub, frame);
		msg_unref(frame);
	}
	free(v);
	free(items);
	hub->part->tally_dirty = false;
	hub->part->tally_sent_mono = hub_mono(hub);
}

/* The tally (at most one a second) and the polls' ends. */
void
hub_part_tick(struct hub *hub)
{
	hub_part_expire(hub);
	if (hub->part->tally_dirty &&
	    hub_mono(hub) - hub->part->tally_sent_mono >= HUB_TALLY_INTERVAL_MS)
		hub_part_send_tallies(hub);
}

/* Ms until hub_part_tick() has work, or -1. */
int64_t
hub_part_due(const struct hub *hub)
{
	int64_t d = -1, t, now = hub_now(hub);
	struct hub_item *h;
	size_t pos = 0;

	if (hub->part->tally_dirty) {
		d = hub->part->tally_sent_mono + HUB_TALLY_INTERVAL_MS - hub_mono(hub);
		if (d < 0)
			d = 0;
	}
	while ((h = strmap_next(hub->part->items, &pos, NULL)) != NULL) {
		if (h->it.kind != PK_POLL || h->it.state != PS_OPEN || h->it.closes_at == 0 ||
		    h->hidden)
			continue;
		t = h->it.closes_at - now;
		if (t < 0)
			t = 0;
		if (d < 0 || t < d)
			d = t;
	}
	return d;
}
