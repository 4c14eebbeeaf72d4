/* hub_tick.c: the hub's periodic work: writing the store's group at the end of a loop
 * pass, breakouts reaching their end, the coalesced "rooms" and "occupancy" events,
 * sessions that stopped reading, and the retention of old chat. hub_tick_due() says when
 * the next call is wanted; the glue schedules it. */
#include <stdlib.h>
#include <string.h>

#include "hub/hub_int.h"
#include "util/log.h"
#include "util/xalloc.h"

/* True when the hub has work for a tick right now. */
bool
hub_tick_now(const struct hub *hub)
{
	return hub->nresume > 0 || store_pending(hub->store);
}

/* Writes the store's pending group. */
void
hub_flush(struct hub *hub)
{
	while (store_pending(hub->store) || hub->nresume > 0) {
		store_flush(hub->store);
		hub_resume_held(hub);   /* the view has changed: what waited for it runs */
	}
	hub_reap(hub);
}

#define HUB_TRIM_INTERVAL_MS (3600 * 1000)

/* The "ts" of a wire event frame, or -1. */
static int64_t
hub_frame_ts(struct msg *m)
{
	const char *p = msg_payload(m), *end = p + m->len, *t;
	size_t k = strlen("\"ts\":");

	for (t = p; t + k < end; t++) {
		if (memcmp(t, "\"ts\":", k) == 0)
			return strtoll(t + k, NULL, 10);
	}
	return -1;
}

/* Takes the events older than before out of ring r as well (the store has deleted them:
 * the running hub must not serve them from memory either). Returns how many. */
static long
hub_retain_ring(struct msgring *r, int64_t before)
{
	struct msg *m;
	uint64_t seq;
	int64_t ts;
	long n = 0;

	if (r == NULL)
		return 0;
	for (seq = msgring_oldest(r); seq < r->next; seq++) {
		if ((m = msgring_get(r, seq)) == NULL || m->len == 0)
			continue;
		if ((ts = hub_frame_ts(m)) < 0)
			continue;         /* an event without a time */
		if (ts >= before)
			break;            /* oldest first: the rest is newer */
		if (msgring_remove(r, seq))
			n++;
	}
	return n;
}

/* Deletes the chat (and private messages and reports) older than the retention, from
 * the store and from memory, at start and then hourly. */
void
hub_retain(struct hub *hub)
{
	int64_t before = hub_now(hub) - hub->retain_ms;
	char *cause = NULL;
	long n, m, k;
	struct hub_ident *id;
	const char *key;
	size_t i, pos = 0;

	if (hub->retain_ms <= 0 || (hub->trimmed_mono != 0 &&
	    hub_mono(hub) - hub->trimmed_mono < HUB_TRIM_INTERVAL_MS))
		return;
	hub->trimmed_mono = hub_mono(hub);
	if ((n = store_trim(hub->store, "room:", before, &cause)) < 0 ||
	    (m = store_trim(hub->store, "user:", before, &cause)) < 0 ||
	    (k = store_trim(hub->store, "reports", before, &cause)) < 0) {
		log_err("hub: cannot delete old chat: %s", cause);
		free(cause);
		return;
	}
	if (n + m + k > 0)
		log_info("hub: deleted %ld lines older than the retention", n + m + k);
	for (i = 0; i < hub->nrooms; i++)
		hub_retain_ring(hub->rooms[i]->ring, before);
	while ((id = strmap_next(hub->idents, &pos, &key)) != NULL)
		hub_retain_ring(id->user, before);
	hub_retain_ring(hub->reports, before);
}

/* Ms until the earliest breakout end (0: now), or -1 when none is set. */
static int64_t
hub_expiry_due(const struct hub *hub)
{
	int64_t best = -1, d, now = hub_now(hub);
	size_t i;

	for (i = 0; i < hub->nrooms; i++) {
		if (hub->rooms[i]->info.closes_at_ms == 0)
			continue;
		d = hub->rooms[i]->info.closes_at_ms - now;
		if (d < 0)
			d = 0;
		if (best < 0 || d < best)
			best = d;
	}
	return best;
}

/* Closes the breakouts whose end has come (a close in the store; the view follows). */
static void
hub_expire_rooms(struct hub *hub)
{
	int64_t now = hub_now(hub);
	size_t i;

	for (i = 0; i < hub->nrooms; i++) {
		if (hub->rooms[i]->info.closes_at_ms != 0 &&
		    hub->rooms[i]->info.closes_at_ms <= now &&
		    !hub->rooms[i]->closing) {
			log_info("hub: room %s reached its end", hub->rooms[i]->info.id);
			hub_req_close_room(hub, hub->rooms[i], "", NULL, 0);
		}
	}
}

/* Drops sessions kept over their queue budget for too long. */
static void
hub_check_throttled(struct hub *hub)
{
	struct hub_session *s;
	int64_t now = hub_mono(hub);

	if (hub->nthrottled == 0)
		return;
	for (s = hub->sessions; s != NULL; s = s->next) {
		if (s->throttled && !s->dead && now - s->throttled_mono >= hub->limits.stall_ms) {
			log_warn("hub: %s has not read for %lld s: dropping it",
			    hub_session_who(s), (long long)(hub->limits.stall_ms / 1000));
			s->hub->metrics.drop_queue++;
			hub_session_lag(s);
		}
	}
}

/* The earliest throttled session's drop, in ms (0: now), or -1. Called after every
 * message received: no walk unless some session is throttled. */
static int64_t
hub_throttle_due(const struct hub *hub)
{
	const struct hub_session *s;
	int64_t best = -1, d, now = hub_mono(hub);

	if (hub->nthrottled == 0)
		return -1;
	for (s = hub->sessions; s != NULL; s = s->next) {
		if (!s->throttled || s->dead)
			continue;
		d = s->throttled_mono + hub->limits.stall_ms - now;
		if (d < 0)
			d = 0;
		if (best < 0 || d < best)
			best = d;
	}
	return best;
}

/* The least time between two "occupancy" events: a second, or with more than
 * HUB_OCCUPANCY_BUDGET sessions, one second per HUB_OCCUPANCY_BUDGET of them (each event
 * goes to everyone: while thousands arrive, a count a second to each would cost more than
 * the arrivals themselves; each welcome carries the counts anyway). */
static int64_t
hub_occupancy_interval(const struct hub *hub)
{
	int64_t ms = (int64_t)(hub->nsessions / HUB_OCCUPANCY_BUDGET) * 1000;

	return ms > HUB_OCCUPANCY_INTERVAL_MS ? ms : HUB_OCCUPANCY_INTERVAL_MS;
}

/* The smaller of two delays where -1 means none. */
static int64_t
hub_min_due(int64_t a, int64_t b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

/* Ms until the next tick has work, or -1. */
int64_t
hub_tick_due(const struct hub *hub)
{
	int64_t d = -1, now = hub_mono(hub);

	if (store_pending(hub->store) || hub->nresume > 0)
		return 0;
	if (hub->rooms_dirty)
		d = hub_min_due(d, hub->rooms_sent_mono + HUB_ROOMS_INTERVAL_MS - now);
	if (hub->occupancy_dirty)
		d = hub_min_due(d, hub->occupancy_sent_mono + hub_occupancy_interval(hub) - now);
	if (d != -1 && d < 0)
		d = 0;
	d = hub_min_due(d, hub_expiry_due(hub));
	d = hub_min_due(d, hub_part_due(hub));
	if (hub->retain_ms > 0)
		d = hub_min_due(d, hub->trimmed_mono + HUB_TRIM_INTERVAL_MS - now > 0 ?
		    hub->trimmed_mono + HUB_TRIM_INTERVAL_MS - now : 0);
	return hub_min_due(d, hub_throttle_due(hub));
}

/* Sends the "rooms" list to every session that does not have it. */
static void
hub_send_rooms(struct hub *hub)
{
	struct hub_session *s;
	struct proto_msg m;
	struct msg *frame;
	struct room_info *infos;
	size_t i;

	infos = hub_room_infos(hub);
	proto_msg_init(&m, PT_ROOMS);
	m.stream = "rooms";
	m.seq = ++hub->rooms_seq;
	m.u.rooms.rooms = infos;
	m.u.rooms.nrooms = hub->nrooms;
	frame = hub_encode(hub, &m);
	/* Not to sessions whose welcome already carried this very list (bytes). */
	for (s = hub->sessions; s != NULL; s = s->next) {
		if (s->name != NULL && s->rooms_ver != hub->rooms_ver)
			hub_send(s, frame);
	}
	msg_unref(frame);
	free(infos);
	for (i = 0; i < hub->nrooms; i++)
		hub->rooms[i]->occupancy_moved = false;
	hub->rooms_dirty = false;
	hub->occupancy_dirty = false;
	hub->rooms_sent_mono = hub->occupancy_sent_mono = hub_mono(hub);
}

/* Sends the counts that changed since the last rooms or occupancy event. */
static void
hub_send_occupancy(struct hub *hub)
{
	struct proto_occupancy_entry *v;
	struct proto_msg m;
	size_t i, n = 0;

	v = xcalloc(hub->nrooms ? hub->nrooms : 1, sizeof *v);
	for (i = 0; i < hub->nrooms; i++) {
		if (!hub->rooms[i]->occupancy_moved)
			continue;
		v[n].room = hub->rooms[i]->info.id;
		v[n++].occupancy = hub->rooms[i]->info.occupancy;
		hub->rooms[i]->occupancy_moved = false;
	}
	if (n > 0) {
		proto_msg_init(&m, PT_OCCUPANCY);
		m.stream = "rooms";
		m.seq = ++hub->rooms_seq;
		m.u.occupancy.rooms = v;
		m.u.occupancy.nrooms = n;
		hub_broadcast_msg(hub, &m);
	}
	free(v);
	hub->occupancy_dirty = false;
	hub->occupancy_sent_mono = hub_mono(hub);
}

/* Periodic work: store writes, breakout ends, the coalesced "rooms" and "occupancy"
 * events, sessions that stopped reading. */
int64_t
hub_tick(struct hub *hub)
{
	int64_t now;

	hub_flush(hub);
	hub_expire_rooms(hub);
	hub_part_tick(hub);
	hub_check_throttled(hub);
	hub_limit_sweep(hub);
	hub_retain(hub);
	hub_flush(hub);
	now = hub_mono(hub);
	if (hub->rooms_dirty && now - hub->rooms_sent_mono >= HUB_ROOMS_INTERVAL_MS)
		hub_send_rooms(hub);
	else if (hub->occupancy_dirty && !hub->rooms_dirty &&
	    now - hub->occupancy_sent_mono >= hub_occupancy_interval(hub))
		hub_send_occupancy(hub);
	hub_reap(hub);
	return hub_tick_due(hub);
}

/* Counts a chat line. */
void
hub_count_line(struct hub *hub)
{
	int64_t sec = hub_mono(hub) / 1000;
	size_t i = (size_t)(sec % 60);

	hub->metrics.lines++;
	if (hub->lines_stamp[i] != sec) {
		hub->lines_stamp[i] = sec;
		hub->lines_sec[i] = 0;
	}
	hub->lines_sec[i]++;
}

/* Chat lines a second over the last minute. */
double
hub_lines_rate(const struct hub *hub)
{
	int64_t sec = hub_mono(hub) / 1000;
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < 60; i++)
		if (sec - hub->lines_stamp[i] < 60 && hub->lines_stamp[i] <= sec)
			n += hub->lines_sec[i];
	return (double)n / 60.0;
}
