/* hub.c: the hub's core: sessions, the fan-out of encoded frames, and periodic work.
 *
 * No libwebsockets here: connections are opaque pointers and the glue is reached only
 * through the want_write/close_conn/flow callbacks, so unit tests drive the hub directly
 * with a fake clock. The state lives in a store (hub/store.h); the view of it that the
 * hub serves from is kept by hub_view.c; requests are handled in hub_req.c, hub_hello.c
 * and hub_mod.c. */
#include <stdlib.h>
#include <string.h>

#include "hub/hub_int.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* Hub wall clock, in ms. */
int64_t
hub_now(const struct hub *hub)
{
	return cf_wall_ms(&hub->clock);
}

/* Hub monotonic clock, in ms. */
int64_t
hub_mono(const struct hub *hub)
{
	return cf_mono_ms(&hub->clock);
}

/* The room with this id, or NULL. */
struct hub_room *
hub_room_find(const struct hub *hub, const char *id)
{
	return strmap_get(hub->room_index, id);
}

/* A new array with a copy of every room's info, in order (free() it). */
struct room_info *
hub_room_infos(const struct hub *hub)
{
	struct room_info *infos;
	size_t i;

	infos = xcalloc(hub->nrooms ? hub->nrooms : 1, sizeof *infos);
	for (i = 0; i < hub->nrooms; i++)
		infos[i] = hub->rooms[i]->info;
	return infos;
}

/* Marks the rooms list changed: a "rooms" event goes out at the next tick. */
void
hub_rooms_changed(struct hub *hub)
{
	hub->rooms_dirty = true;
	hub->rooms_ver++;
}

/* Marks a room's count changed: an "occupancy" event goes out within a second. */
void
hub_occupancy_changed(struct hub *hub)
{
	hub->occupancy_dirty = true;
}

/* Counts a session in or out of r; the store reports the sum over every hub. */
void
hub_room_count(struct hub *hub, struct hub_room *r, int delta)
{
	if (delta < 0 && r->local == 0)
		return;
	r->local = delta < 0 ? r->local - 1 : r->local + 1;
	store_count(hub->store, r->stream, r->local);
}

/* The timer for scope; with create, a new idle one is added when missing. */
struct timer *
hub_timer_find(struct hub *hub, const char *scope, bool create)
{
	size_t i;

	for (i = 0; i < hub->ntimers; i++) {
		if (strcmp(hub->timers[i].scope, scope) == 0)
			return &hub->timers[i];
	}
	if (!create)
		return NULL;
	hub->timers = xreallocarray(hub->timers, hub->ntimers + 1, sizeof *hub->timers);
	timer_init(&hub->timers[hub->ntimers], scope);
	return &hub->timers[hub->ntimers++];
}

/* Sends the state of timer t to every session, on the "timers" stream. */
void
hub_timer_broadcast(struct hub *hub, const struct timer *t)
{
	struct proto_msg ev;
	struct msg *frame;

	if (hub->loading)
		return;
	proto_msg_init(&ev, PT_TIMER);
	ev.stream = "timers";
	ev.seq = ++hub->timers_seq;
	ev.u.timer.now = hub_now(hub);
	ev.u.timer.timer = *t;
	frame = hub_encode(hub, &ev);
	hub_broadcast(hub, frame);
	msg_unref(frame);
}

/* Sends the lineup to every session. */
void
hub_lineup_broadcast(struct hub *hub, const char *by)
{
	struct proto_msg m;

	if (hub->loading)
		return;
	proto_msg_init(&m, PT_LINEUP);
	m.stream = "lineup";
	m.seq = ++hub->lineup_seq;
	m.u.lineup.items = hub->lineup;
	m.u.lineup.nitems = hub->nlineup;
	m.u.lineup.current = hub->lineup_cur;
	m.u.lineup.by = by;
	hub_broadcast_msg(hub, &m);
}

/* Encodes m once and queues it for every session that has said hello. */
void
hub_broadcast_msg(struct hub *hub, const struct proto_msg *m)
{
	struct msg *frame = hub_encode(hub, m);

	hub_broadcast(hub, frame);
	msg_unref(frame);
}

/* Encodes m into a new frame with the hub's headroom. */
struct msg *
hub_encode(const struct hub *hub, const struct proto_msg *m)
{
	return proto_encode_msg(m, hub->pre);
}

/* The session for the log. */
const char *
hub_session_who(const struct hub_session *s)
{
	return s->who != NULL ? s->who : s->peer;
}

/* Marks s to be dropped at the next reap. */
void
hub_session_lag(struct hub_session *s)
{
	s->lagging = true;
	s->hub->reap_due = true;
}

/* Stops or resumes reading s, by the bytes queued for it. */
static void
hub_session_budget(struct hub_session *s)
{
	struct hub *hub = s->hub;

	if (!s->throttled && s->fifo_bytes > hub->limits.queue_soft) {
		s->throttled = true;
		hub->nthrottled++;
		s->throttled_mono = hub_mono(hub);
		if (!s->throttle_logged)
			log_info("hub: %s: %zu bytes queued: not reading its requests until it "
			    "catches up", hub_session_who(s), s->fifo_bytes);
		s->throttle_logged = true;
		if (hub->flow != NULL)
			hub->flow(s->conn, false);
	} else if (s->throttled && s->fifo_bytes <= hub->limits.queue_soft / 2) {
		s->throttled = false;
		hub->nthrottled--;
		if (s->ninq > 0)
			hub_session_resume_later(s);   /* what it sent meanwhile runs first */
		if (hub->flow != NULL)
			hub->flow(s->conn, true);
	}
}

/* Queues frame m (the session takes its own reference) on s's direct FIFO. */
void
hub_send(struct hub_session *s, struct msg *m)
{
	size_t i;

	if (s->dead || s->lagging || m == NULL)
		return;
	if (s->fifo_bytes + m->len > s->hub->limits.queue_hard) {
		log_warn("hub: %s is not reading: %zu bytes queued; dropping it",
		    hub_session_who(s), s->fifo_bytes);
		s->hub->metrics.drop_queue++;
		hub_session_lag(s);
		return;
	}
	if (s->fifo_len == s->fifo_cap) {
		struct msg **n;
		size_t cap = s->fifo_cap ? s->fifo_cap * 2 : 16;

		n = xcalloc(cap, sizeof *n);
		for (i = 0; i < s->fifo_len; i++)
			n[i] = s->fifo[(s->fifo_head + i) % s->fifo_cap];
		free(s->fifo);
		s->fifo = n;
		s->fifo_cap = cap;
		s->fifo_head = 0;
	}
	s->fifo[(s->fifo_head + s->fifo_len) % s->fifo_cap] = msg_ref(m);
	s->fifo_len++;
	s->fifo_bytes += m->len;
	hub_session_budget(s);
	if (s->hub->want_write != NULL)
		s->hub->want_write(s->conn);
}

/* Encodes m and queues it for s alone. */
void
hub_send_msg(struct hub_session *s, const struct proto_msg *m)
{
	struct msg *frame;

	frame = hub_encode(s->hub, m);
	hub_send(s, frame);
	msg_unref(frame);
}

/* Queues m for every session that has said hello. */
void
hub_broadcast(struct hub *hub, struct msg *m)
{
	struct hub_session *s;

	for (s = hub->sessions; s != NULL; s = s->next) {
		if (s->name != NULL)
			hub_send(s, m);
	}
}

/* Replies "error" to request re. detail NULL: the code's default message. */
void
hub_reply_error(struct hub_session *s, int64_t re, enum proto_err code, const char *detail)
{
	struct proto_msg m;

	if (code == PE_RATE)
		s->hub->metrics.rate_limited++;
	proto_msg_init(&m, PT_ERROR);
	m.re = re;
	m.u.error.code = code;
	/* NULL: the encoder sends the code's English default; clients translate by code. */
	m.u.error.message = (detail != NULL && *detail != '\0') ? detail : NULL;
	hub_send_msg(s, &m);
}

/* Replies "ok" to request re. */
void
hub_reply_ok(struct hub_session *s, int64_t re, int64_t seq)
{
	struct proto_msg m;

	proto_msg_init(&m, PT_OK);
	m.re = re;
	m.u.ok.seq = seq;
	hub_send_msg(s, &m);
}

/* The join entry of s for room r, or NULL. */
struct hub_join *
hub_session_join_find(const struct hub_session *s, const struct hub_room *r)
{
	size_t i;

	for (i = 0; i < s->njoins; i++) {
		if (s->joins[i].room == r)
			return &s->joins[i];
	}
	return NULL;
}

/* Sends a presence event about name in r to r's members here but name's session. */
void
hub_presence_send(struct hub *hub, struct hub_room *r, const char *name,
    enum proto_presence action, const char *message)
{
	struct hub_session *o;
	struct proto_msg m;

	for (o = hub->sessions; o != NULL; o = o->next) {
		if (o->dead || o->name == NULL || strcmp(o->name, name) == 0 ||
		    hub_session_join_find(o, r) == NULL)
			continue;
		proto_msg_init(&m, PT_PRESENCE);
		m.stream = "presence";
		m.seq = ++o->presence_seq;
		m.u.presence.room = r->info.id;
		m.u.presence.name = name;
		m.u.presence.action = action;
		m.u.presence.message = message;
		hub_send_msg(o, &m);
	}
}

/* Tells the room's other members, here and (through the store) on the other hubs, that
 * s joined, parted or quit; nothing for the lobby, but a quit there with a message
 * (hub_away.c tells this hub's lobby itself). */
static void
hub_presence(struct hub_session *s, struct hub_room *r, bool in, enum proto_presence action)
{
	const char *message = action == PRES_QUIT ? s->quit_message : NULL;

	if (r->info.kind != RK_LOBBY) {
		hub_presence_send(s->hub, r, s->name, action, message);
		hub_pres_note(s, r, in, (int)action);
	} else
		hub_pres_note(s, r, in, message != NULL ? (int)action : HUB_PRES_SILENT);
}

/* The position of a room s is already in: what it will be sent next. */
struct proto_room_pos
hub_session_join_pos(const struct hub_session *s, const struct hub_join *j)
{
	struct proto_room_pos pos;

	(void)s;
	pos.room = j->room->info.id;
	pos.last = (int64_t)(j->room->ring->next - 1);
	pos.from = (int64_t)j->tail;
	pos.lost = false;
	return pos;
}

/* Joins s to r (not already a member). With a position (since >= 0) whose every later
 * event the ring still holds, exactly those are replayed; otherwise the last
 * PROTO_BACKLOG events, and lost is set when the client had a position. With presence
 * the other members are told. */
struct proto_room_pos
hub_session_join(struct hub_session *s, struct hub_room *r, bool presence, int64_t since)
{
	struct hub_join *j;
	uint64_t next = r->ring->next, oldest = msgring_oldest(r->ring);
	struct proto_room_pos pos;

	if (s->njoins == s->joins_cap) {
		s->joins_cap = s->joins_cap ? s->joins_cap * 2 : 4;
		s->joins = xreallocarray(s->joins, s->joins_cap, sizeof *s->joins);
	}
	j = &s->joins[s->njoins++];
	j->room = r;
	pos.lost = false;
	if (since >= 0 && (uint64_t)since < next && (uint64_t)since + 1 >= oldest)
		j->tail = (uint64_t)since + 1;   /* the gap, exactly */
	else if (since >= 0 && (uint64_t)since + 1 == next)
		j->tail = next;                  /* nothing missed */
	else {
		pos.lost = since != HUB_SINCE_FRESH;
		j->tail = next > PROTO_BACKLOG ? next - PROTO_BACKLOG : 1;
		if (j->tail < oldest)
			j->tail = oldest;
	}
	pos.room = r->info.id;
	pos.last = (int64_t)(next - 1);
	pos.from = (int64_t)j->tail;
	hub_room_count(s->hub, r, +1);
	if (presence)
		hub_presence(s, r, true, PRES_JOIN);
	else
		hub_pres_note(s, r, true, HUB_PRES_SILENT);
	if (j->tail < next && s->hub->want_write != NULL)
		s->hub->want_write(s->conn);
	return pos;
}

/* Removes the join entry at index i (no presence, no occupancy change). */
void
hub_session_join_remove(struct hub_session *s, size_t i)
{
	memmove(&s->joins[i], &s->joins[i + 1], (s->njoins - i - 1) * sizeof *s->joins);
	s->njoins--;
	if (s->rr >= s->njoins)
		s->rr = 0;
}

/* Queues for s the events of room r that it has not been sent yet, so that leaving a
 * room never loses what was said in it before. */
void
hub_session_drain_room(struct hub_session *s, struct hub_join *j, struct hub_room *room)
{
	struct msg *frame;
	uint64_t seq;

	if (s->dead)
		return;
	if (j->tail < msgring_oldest(room->ring))
		hub_session_lag(s);
	for (seq = j->tail; seq < room->ring->next; seq++) {
		if ((frame = msgring_get(room->ring, seq)) != NULL && frame->len > 0)
			hub_send(s, frame);
	}
	j->tail = room->ring->next;
}

/* Takes s out of r, telling the other members why. Returns -1 when not a member. */
int
hub_session_part(struct hub_session *s, struct hub_room *r, enum proto_presence why)
{
	struct hub_join *j = hub_session_join_find(s, r);

	if (j == NULL)
		return -1;
	if (why == PRES_PART)
		hub_session_drain_room(s, j, r);
	hub_session_join_remove(s, (size_t)(j - s->joins));
	hub_room_count(s->hub, r, -1);
	hub_presence(s, r, false, why);
	return 0;
}

/* Drops everything s has queued. */
static void
hub_session_flush_queue(struct hub_session *s)
{
	size_t i;

	for (i = 0; i < s->fifo_len; i++)
		msg_unref(s->fifo[(s->fifo_head + i) % s->fifo_cap]);
	s->fifo_len = 0;
	s->fifo_head = 0;
	s->fifo_bytes = 0;
}

/* Takes s out of every room (others see "quit") and drops its queue; s sends no more. */
void
hub_session_detach(struct hub_session *s)
{
	struct hub_room *r;

	s->dead = true;
	while (s->njoins > 0) {
		r = s->joins[s->njoins - 1].room;
		hub_session_part(s, r, PRES_QUIT);
	}
	if (s->ident != NULL && s->ident->live == s) {
		s->ident->live = NULL;
		if (s->user_written > s->ident->user_seen)
			s->ident->user_seen = s->user_written;
	}
	hub_session_flush_queue(s);
}

/* Drops every session marked lagging: detached now, closed by the glue later. Nothing to
 * do (no walk) unless a session was marked since the last reap; a drop may mark others
 * (a part's events), so it walks again until a pass drops nobody. */
void
hub_reap(struct hub *hub)
{
	struct hub_session *s;

	while (hub->reap_due) {
		hub->reap_due = false;
		for (s = hub->sessions; s != NULL; s = s->next) {
			if (s->lagging && !s->dead) {
				log_warn("hub: dropping session %s (%s)",
				    s->name ? s->name : "-", hub_session_who(s));
				hub_session_detach(s);
				if (hub->close_conn != NULL)
					hub->close_conn(s->conn);
				hub->reap_due = true;
				break;
			}
		}
	}
}

/* The default limits. */
void
hub_limits_default(struct hub_limits *l)
{
	memset(l, 0, sizeof *l);
	l->say = (struct cf_bucket_rule){ 300, 20 };      /* 5 lines a second, bursts of 20 */
	l->msg = (struct cf_bucket_rule){ 120, 10 };      /* 2 a second, bursts of 10 */
	l->join = (struct cf_bucket_rule){ 60, 10 };      /* 1 a second, bursts of 10 */
	l->history = (struct cf_bucket_rule){ 60, 10 };   /* 1 a second, bursts of 10 */
	l->other = (struct cf_bucket_rule){ 300, 30 };    /* 5 a second, bursts of 30 */
	l->propose = (struct cf_bucket_rule){ 10, 3 };    /* per attendee: 10 a minute */
	l->ask = (struct cf_bucket_rule){ 10, 3 };
	l->hand = (struct cf_bucket_rule){ 20, 5 };
	l->vote = (struct cf_bucket_rule){ 120, 30 };     /* 2 a second, bursts of 30 */
	l->conns_per_addr = 32;
	l->hellos_per_addr = 60;
	l->limit_loopback = false;
	l->queue_soft = 256 * 1024;
	l->queue_hard = 4 * 1024 * 1024;
	l->stall_ms = 60000;
}

/* Copies a token list. */
static char **
hub_copy_strings(const char *const *v, size_t n)
{
	char **c = xcalloc(n + 1, sizeof *c);
	size_t i;

	for (i = 0; i < n; i++)
		c[i] = xstrdup(v[i]);
	return c;
}

/* Frees a token list. */
static void
hub_free_strings(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Frees the facilitator tokens. */
static void
hub_free_tokens(struct hub *hub)
{
	size_t i;

	for (i = 0; i < hub->ntokens; i++) {
		free(hub->tokens[i].key);
		explicit_bzero(hub->tokens[i].token, strlen(hub->tokens[i].token));
		free(hub->tokens[i].token);
	}
	free(hub->tokens);
	hub->tokens = NULL;
	hub->ntokens = 0;
}

/* Replaces the facilitator tokens: "NAME:TOKEN" (the token of that name only, and of the
 * names that look like it) or "TOKEN" (any name). */
void
hub_set_tokens(struct hub *hub, const char *const *tokens, size_t n)
{
	const char *colon;
	size_t i;
	char *name;

	hub_free_tokens(hub);
	hub->tokens = xcalloc(n + 1, sizeof *hub->tokens);
	for (i = 0; i < n; i++) {
		colon = strchr(tokens[i], ':');
		if (colon != NULL) {
			name = xstrndup(tokens[i], (size_t)(colon - tokens[i]));
			hub->tokens[i].key = hub_name_key(name);
			hub->tokens[i].token = xstrdup(colon + 1);
			free(name);
		} else
			hub->tokens[i].token = xstrdup(tokens[i]);
	}
	hub->ntokens = n;
}

/* Replaces the invite tokens (SIGHUP); none: the event is open to all. */
void
hub_set_invites(struct hub *hub, const char *const *invites, size_t n)
{
	hub_free_strings(hub->invites, hub->ninvites);
	hub->invites = hub_copy_strings(invites, n);
	hub->ninvites = n;
}

/* Replaces the welcome notice (SIGHUP); NULL or "": none. */
void
hub_set_notice(struct hub *hub, const char *notice)
{
	free(hub->notice);
	hub->notice = notice != NULL && *notice != '\0' ? xstrdup(notice) : NULL;
}

/* Creates a hub for cfg. */
struct hub *
hub_create(const struct hub_config *cfg, char **cause)
{
	struct store_watch w;
	struct hub *hub;

	if (cfg->program == NULL) {
		*cause = xstrdup(_("no program"));
		return NULL;
	}
	hub = xcalloc(1, sizeof *hub);
	hub_program_init(hub, cfg->program);
	hub_set_tokens(hub, cfg->tokens, cfg->ntokens);
	hub->invites = hub_copy_strings(cfg->invites, cfg->ninvites);
	hub->ninvites = cfg->ninvites;
	hub->clock = cfg->clock != NULL ? *cfg->clock : cf_clock_system;
	hub->name = xstrdup(cfg->name != NULL ? cfg->name : "confabd");
	hub->notice = cfg->notice != NULL && *cfg->notice != '\0' ? xstrdup(cfg->notice) : NULL;
	hub->pre = cfg->pre;
	hub->want_write = cfg->want_write;
	hub->close_conn = cfg->close_conn;
	hub->flow = cfg->flow;
	hub->log_addresses = cfg->log_addresses;
	hub->retain_ms = cfg->retain_ms;
	hub->votes_by_invite = cfg->votes_by_invite;
	if (cfg->limits != NULL)
		hub->limits = *cfg->limits;
	else
		hub_limits_default(&hub->limits);
	hub->room_index = strmap_create();
	hub->idents = strmap_create();
	hub->heads = strmap_create();
	hub->pending = strmap_create();
	hub->addrs = strmap_create();
	hub->banned_addrs = strmap_create();
	hub->cids = hub_cids_create();
	hub->reports = msgring_create(HUB_REPORTS_KEEP);
	hub->part = hub_part_create();
	hub_timer_find(hub, TIMER_SCOPE_MAIN, true);
	hub->lineup = xcalloc(LINEUP_MAX, sizeof *hub->lineup);
	hub->nlineup = cfg->nlineup < LINEUP_MAX ? cfg->nlineup : LINEUP_MAX;
	if (hub->nlineup > 0)
		memcpy(hub->lineup, cfg->lineup, hub->nlineup * sizeof *hub->lineup);
	hub->lineup_cur = -1;
	hub_view_rooms_from_program(hub);
	if (cfg->store != NULL)
		hub->store = cfg->store;
	else {
		hub->store = store_memory_create();
		hub->own_store = true;
	}
	strlcpy_cf(hub->epoch, store_epoch(hub->store), sizeof hub->epoch);
	hub_view_watch(hub, &w);
	hub->loading = true;
	if (store_load(hub->store, &w, PROTO_HISTORY, cause) != 0) {
		hub->loading = false;
		hub_free(hub);
		return NULL;
	}
	hub_view_loaded(hub);
	hub_program_loaded(hub);
	hub->loading = false;
	hub->rooms_dirty = false;
	hub->occupancy_dirty = false;
	hub->rooms_sent_mono = hub_mono(hub) - HUB_ROOMS_INTERVAL_MS;
	hub->occupancy_sent_mono = hub_mono(hub) - HUB_OCCUPANCY_INTERVAL_MS;
	hub_retain(hub);
	return hub;
}

/* Frees a session (already unlinked). */
void
hub_session_free(struct hub_session *s)
{
	if (s->throttled)
		s->hub->nthrottled--;
	hub_session_flush_queue(s);
	while (s->ninq > 0)
		msg_unref(s->inq[--s->ninq]);
	free(s->inq);
	free(s->fifo);
	free(s->joins);
	msg_unref(s->last);
	hub_away_free(s);
	free(s->name);
	free(s->voter);
	free(s->who);
	free(s->peer);
	free(s->addr);
	free(s);
}

/* Frees one identity. */
static void
hub_ident_free(struct hub_ident *id)
{
	msgring_free(id->user);
	free(id->name);
	free(id->key);
	free(id->stream);
	free(id);
}

/* Frees every value of a map of malloc'd values, then the map. */
static void
hub_free_map(struct strmap *m, void (*fn)(void *))
{
	size_t pos = 0;
	void *v;

	if (m == NULL)
		return;
	while ((v = strmap_next(m, &pos, NULL)) != NULL)
		if (fn != NULL)
			fn(v);
	strmap_free(m);
}

/* Frees a pending value. */
static void
hub_pending_free(void *v)
{
	struct hub_pending *p = v;

	free(p->value);
	free(p);
}

/* Frees an identity (map walk). */
static void
hub_ident_free_v(void *v)
{
	hub_ident_free(v);
}

/* Frees the hub and all it holds. */
void
hub_free(struct hub *hub)
{
	struct hub_session *s, *next;
	size_t i;

	if (hub == NULL)
		return;
	/* the last group's completions first: they may free sessions that have gone */
	hub_flush(hub);
	for (s = hub->sessions; s != NULL; s = next) {
		next = s->next;
		hub_session_free(s);
	}
	if (hub->own_store)
		store_free(hub->store);
	for (i = 0; i < hub->nrooms; i++) {
		msgring_free(hub->rooms[i]->ring);
		free(hub->rooms[i]);
	}
	free(hub->rooms);
	strmap_free(hub->room_index);
	free(hub->timers);
	free(hub->lineup);
	hub_cids_free(hub->cids);
	msgring_free(hub->reports);
	hub_part_free(hub->part);
	hub_free_map(hub->idents, hub_ident_free_v);
	hub_free_map(hub->heads, free);
	hub_free_map(hub->pending, hub_pending_free);
	hub_limit_free(hub);
	hub_free_map(hub->banned_addrs, NULL);
	free(hub->resume);
	hub_free_tokens(hub);
	hub_free_strings(hub->invites, hub->ninvites);
	hub_program_free(hub);
	free(hub->notice);
	free(hub->name);
	free(hub);
}

/* The hub's epoch. */
const char *
hub_epoch(const struct hub *hub)
{
	return hub->epoch;
}

/* Number of open sessions. */
size_t
hub_session_count(const struct hub *hub)
{
	return hub->nsessions;
}

/* The counters. */
const struct hub_metrics *
hub_get_metrics(const struct hub *hub)
{
	return &hub->metrics;
}

/* Gauges for /metrics. */
void
hub_get_gauges(const struct hub *hub, size_t *attendees, size_t *rooms, size_t *queued)
{
	const struct hub_session *s;

	*attendees = 0;
	*queued = 0;
	for (s = hub->sessions; s != NULL; s = s->next) {
		if (s->name != NULL)
			(*attendees)++;
		*queued += s->fifo_bytes;
	}
	*rooms = hub->nrooms;
}

/* True when a connection from addr may open. */
bool
hub_admit(struct hub *hub, const char *addr)
{
	if (addr != NULL && strmap_get(hub->banned_addrs, addr) != NULL) {
		hub->metrics.refused_conns++;
		return false;
	}
	if (!hub_limit_conn_check(hub, addr)) {
		hub->metrics.refused_conns++;
		return false;
	}
	return true;
}

/* Opens a session for conn. */
struct hub_session *
hub_session_open(struct hub *hub, void *conn, const char *addr)
{
	struct hub_session *s;

	s = xcalloc(1, sizeof *s);
	s->hub = hub;
	s->conn = conn;
	s->serial = ++hub->serials;
	s->addr = xstrdup(addr != NULL && *addr != '\0' ? addr : "?");
	s->peer = hub->log_addresses ? xstrdup(s->addr) : xasprintf("#%llu",
	    (unsigned long long)s->serial);
	s->prev = hub->sessions_tail;
	if (hub->sessions_tail != NULL)
		hub->sessions_tail->next = s;
	else
		hub->sessions = s;
	hub->sessions_tail = s;
	hub->nsessions++;
	hub_limit_session_init(s);
	/* a connection refused here was never counted: its close must not uncount another
	 * (found by review: 64 upgrades at once from one address each passed the filter, the
	 * 32 refused then took their count off the 32 kept, and the limit was gone) */
	s->conn_counted = hub_limit_conn_open(hub, s->addr);
	if (!s->conn_counted || strmap_get(hub->banned_addrs, s->addr) != NULL) {
		log_info("hub: %s: too many connections from one address, or banned: closing",
		    s->peer);
		hub->metrics.refused_conns++;
		hub_session_lag(s);
		hub_reap(hub);
	}
	log_debug("hub: connection %s", s->peer);
	return s;
}

/* Closes s politely once its queue is sent: at its next chance to write, so that what
 * the store reports in the same pass (an event that says why) goes out first. */
void
hub_session_close_later(struct hub_session *s, int code, const char *reason)
{
	bool idle = !hub_session_pending(s);

	s->close_when_drained = true;
	s->close_code = code;
	s->close_reason = reason;
	if (idle && s->hub->want_write == NULL) {
		hub_session_detach(s);
		if (s->hub->close_conn != NULL)
			s->hub->close_conn(s->conn);
	} else if (s->hub->want_write != NULL)
		s->hub->want_write(s->conn);
}

/* The hub stops: every session closes once its queue is sent. */
void
hub_shutdown(struct hub *hub)
{
	struct hub_session *s;

	hub_flush(hub);
	for (s = hub->sessions; s != NULL; s = s->next)
		if (!s->dead && !s->close_when_drained)
			hub_session_close_later(s, 1001, "the hub is shutting down");
}

/* True with the close code and reason for a polite close. */
bool
hub_session_close_reason(const struct hub_session *s, int *code, const char **reason)
{
	if (!s->close_when_drained)
		return false;
	*code = s->close_code;
	*reason = s->close_reason;
	return true;
}

/* The session's name, or NULL before hello. */
const char *
hub_session_name(const struct hub_session *s)
{
	return s->name;
}

/* Counts a bad frame; too many in a row drop the session. */
static void
hub_session_bad(struct hub_session *s)
{
	if (++s->bad_frames > HUB_MAX_BAD_FRAMES && !s->lagging) {
		log_info("hub: %s sent too many bad frames", s->peer);
		s->hub->metrics.drop_bad_frames++;
		hub_session_lag(s);
	}
}

/* True when a request of type may run while writes of s are pending: a chat line or
 * private message of a session that is in (they only append, and their replies come at
 * the commit, in order with the others), and ping (its stamps measure the hub's clock,
 * not the store: its pong may pass replies that wait for the store). */
static bool
hub_session_may_pass(const struct hub_session *s, enum proto_type type)
{
	if (type == PT_PING)
		return true;
	return (type == PT_SAY || type == PT_MSG) && s->name != NULL && !s->hello_pending;
}

/* Holds a request until every store write that s made before it completes, so that it
 * sees them (a join right after the room.create) and its reply comes after theirs;
 * appends need not wait (hub_session_may_pass). Holds every request while s is over its
 * queue budget: the glue stops reading only at the end of a read, and what that read
 * brought waits here instead of being answered. */
static bool
hub_session_hold(struct hub_session *s, enum proto_type type, int64_t id, const char *data,
    size_t len)
{
	struct msg *m;

	if (s->ninq == 0 && !s->throttled && ((s->npending == 0 && s->nstate == 0) ||
	    hub_session_may_pass(s, type)))
		return false;
	if (s->ninq >= HUB_INQ_MAX || s->inq_bytes + len > HUB_INQ_BYTES) {
		hub_reply_error(s, id, PE_RATE, "too many requests waiting: wait for the "
		    "replies before sending more");
		return true;
	}
	s->inq = xreallocarray(s->inq, s->ninq + 1, sizeof *s->inq);
	m = msg_new(0, data, len);
	m->tag = (uint64_t)type;
	s->inq[s->ninq++] = m;
	s->inq_bytes += len;
	return true;
}

/* Handles one decoded frame. */
static void
hub_session_input_one(struct hub_session *s, const char *data, size_t len, bool binary,
    bool held)
{
	struct proto_decode_err err;
	struct proto_msg m;

	if (binary) {
		log_debug("hub: %s: binary frame", s->peer);
		hub_reply_error(s, 0, PE_BAD_FRAME, "binary frames are not accepted");
		hub_session_bad(s);
	} else if (proto_decode_request(data, len, PROTO_MAX_FRAME, &m, &err) != 0) {
		log_debug("hub: %s: bad frame: %s: %s", s->peer, proto_err_name(err.code),
		    err.detail);
		hub_reply_error(s, err.id, err.code, err.detail);
		hub_session_bad(s);
	} else if (held || !hub_session_hold(s, m.type, m.id, data, len)) {
		s->bad_frames = 0;
		hub_req_dispatch(s, &m);
		proto_msg_clear(&m);
	} else
		proto_msg_clear(&m);
}

/* Handles one complete frame from s. */
void
hub_session_input(struct hub_session *s, const char *data, size_t len, bool binary)
{
	if (s->dead)
		return;
	s->hub->metrics.frames_in++;
	hub_session_input_one(s, data, len, binary, false);
	hub_reap(s->hub);
}

static void hub_session_resume_input(struct hub_session *s);

/* Queues s to run its held requests after the current flush. */
void
hub_session_resume_later(struct hub_session *s)
{
	struct hub *hub = s->hub;

	if (s->resume_queued)
		return;
	s->resume_queued = true;
	if (hub->nresume == hub->resume_cap) {
		hub->resume_cap = hub->resume_cap ? hub->resume_cap * 2 : 16;
		hub->resume = xreallocarray(hub->resume, hub->resume_cap, sizeof *hub->resume);
	}
	hub->resume[hub->nresume++] = s;
}

/* Runs the held requests of the queued sessions (a closed one was taken off the list). */
void
hub_resume_held(struct hub *hub)
{
	struct hub_session *s;
	size_t i;

	for (i = 0; i < hub->nresume; i++) {
		if ((s = hub->resume[i]) == NULL)
			continue;
		hub->resume[i] = NULL;
		s->resume_queued = false;
		hub_session_resume_input(s);
	}
	hub->nresume = 0;
}

/* Runs the requests s held, in order, until one must wait again. */
static void
hub_session_resume_input(struct hub_session *s)
{
	struct msg *m;

	while (s->ninq > 0 && !s->throttled && !s->dead && ((s->npending == 0 &&
	    s->nstate == 0) || hub_session_may_pass(s, (enum proto_type)s->inq[0]->tag))) {
		m = s->inq[0];
		memmove(&s->inq[0], &s->inq[1], --s->ninq * sizeof *s->inq);
		s->inq_bytes -= m->len;
		hub_session_input_one(s, msg_payload(m), m->len, false, true);
		msg_unref(m);
	}
}

/* Answers a frame the glue could not deliver. */
void
hub_session_frame_error(struct hub_session *s, enum proto_err code, const char *detail)
{
	if (s->dead)
		return;
	log_debug("hub: %s: %s", s->peer, detail != NULL ? detail : proto_err_name(code));
	hub_reply_error(s, 0, code, detail);
	hub_session_bad(s);
	hub_reap(s->hub);
}

/* True when s has a frame to send. */
bool
hub_session_pending(const struct hub_session *s)
{
	size_t i;

	if (s->dead)
		return false;
	if (s->fifo_len > 0 || s->close_when_drained)
		return true;      /* (closing: the next chance to write closes it) */
	for (i = 0; i < s->njoins; i++) {
		if (s->joins[i].tail < s->joins[i].room->ring->next)
			return true;
	}
	return false;
}

/* Next frame for s: the direct FIFO first, then the joined rooms in turn (a removed
 * event, an empty frame, is skipped). */
struct msg *
hub_session_next_frame(struct hub_session *s)
{
	struct hub_join *j;
	struct msg *m = NULL;
	size_t i, k;

	msg_unref(s->last);
	s->last = NULL;
	if (s->dead)
		return NULL;
	if (s->fifo_len > 0) {
		m = s->fifo[s->fifo_head];
		s->fifo[s->fifo_head] = NULL;
		s->fifo_head = (s->fifo_head + 1) % s->fifo_cap;
		s->fifo_len--;
		s->fifo_bytes -= m->len;
		if (s->throttled)
			hub_session_budget(s);
	} else {
		for (i = 0; i < s->njoins && m == NULL; i++) {
			k = (s->rr + i) % s->njoins;
			j = &s->joins[k];
			while (m == NULL && j->tail < j->room->ring->next) {
				if ((m = msgring_get(j->room->ring, j->tail)) == NULL) {
					s->hub->metrics.drop_lagging++;
					hub_session_lag(s);
					hub_reap(s->hub);
					return NULL;
				}
				j->tail++;
				if (m->len == 0)
					m = NULL;    /* removed by a moderator */
			}
			if (m != NULL) {
				msg_ref(m);
				s->rr = (k + 1) % s->njoins;
			}
		}
	}
	if (m != NULL) {
		if (m->tag > s->user_written)
			s->user_written = m->tag;    /* a user event (hub_view.c) */
		s->last = msg_ref(m);
		s->hub->metrics.frames_out++;
		s->hub->metrics.bytes_out += m->len;
	} else if (s->close_when_drained) {
		hub_session_detach(s);
		if (s->hub->close_conn != NULL)
			s->hub->close_conn(s->conn);
	}
	return m;
}

/* Frees s once nothing refers to it any more. */
static void
hub_session_release(struct hub_session *s)
{
	if (s->npending == 0)
		hub_session_free(s);
	else
		s->gone = true;    /* the last write completing frees it (hub_write.c) */
}

/* The connection of s has gone. */
void
hub_session_closed(struct hub_session *s)
{
	struct hub *hub = s->hub;

	if (s->name != NULL)
		log_info("hub: %s (%s) left", s->name, s->peer);
	if (!s->dead)
		hub_session_detach(s);
	if (s->ident != NULL && s->ident->live == s)
		s->ident->live = NULL;
	if (s->conn_counted)
		hub_limit_conn_close(hub, s->addr);
	s->conn_counted = false;
	if (s->resume_queued) {
		size_t i;

		for (i = 0; i < hub->nresume; i++)
			if (hub->resume[i] == s)
				hub->resume[i] = NULL;
		s->resume_queued = false;
	}
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		hub->sessions = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	else
		hub->sessions_tail = s->prev;
	s->prev = s->next = NULL;
	hub->nsessions--;
	hub_session_release(s);
	hub_reap(hub);
}

