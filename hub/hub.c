/* hub.c: the hub's core: sessions, rooms, timers and the fan-out of encoded frames.
 *
 * No libwebsockets here: connections are opaque pointers and the glue is reached only
 * through the want_write/close_conn callbacks, so unit tests drive the hub directly with
 * a fake clock. Request handlers live in hub_req.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "hub/hub_int.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/utf8.h"
#include "util/xalloc.h"

static void hub_reap(struct hub *hub);

/* Fills out with ndigits random hex digits and a NUL. */
void
hub_random_hex(char *out, size_t ndigits)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[64];
	size_t n = (ndigits + 1) / 2, i;
	ssize_t got = -1;
	int fd;

	if (n > sizeof raw)
		n = sizeof raw;
	do
		got = getrandom(raw, n, 0);
	while (got < 0 && errno == EINTR);
	if (got != (ssize_t)n) {
		got = -1;
		fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			got = read(fd, raw, n);
			close(fd);
		}
	}
	if (got != (ssize_t)n) {
		/* Last resort: not secret, but unique enough for an epoch. */
		struct timespec ts;
		uint64_t x;

		clock_gettime(CLOCK_REALTIME, &ts);
		x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)getpid();
		for (i = 0; i < n; i++) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			raw[i] = (unsigned char)x;
		}
		log_warn("hub: no system randomness, tokens are predictable");
	}
	for (i = 0; i < ndigits && i / 2 < n; i++)
		out[i] = hex[(raw[i / 2] >> ((i % 2) ? 0 : 4)) & 0xf];
	out[i] = '\0';
}

/* Hub wall clock, in ms. */
int64_t
hub_now(const struct hub *hub)
{
	return cf_wall_ms(&hub->clock);
}

/* Copies at most ROOM_TITLE_MAX code points of src into dst (size ROOM_TITLE_MAX * 4 + 1). */
static void
hub_copy_title(char *dst, const char *src)
{
	const char *p = src, *end = src + strlen(src), *start;
	size_t ncp = 0, len;
	uint32_t cp;

	while (p < end && ncp < ROOM_TITLE_MAX) {
		start = p;
		utf8_decode(&p, end, &cp);
		if ((size_t)(p - src) > ROOM_TITLE_MAX * 4) {
			p = start;
			break;
		}
		ncp++;
	}
	len = (size_t)(p - src);
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* The room with this id, or NULL. */
struct hub_room *
hub_room_find(const struct hub *hub, const char *id)
{
	size_t i;

	for (i = 0; i < hub->nrooms; i++) {
		if (strcmp(hub->rooms[i]->info.id, id) == 0)
			return hub->rooms[i];
	}
	return NULL;
}

/* Adds a room (id must be valid and new); returns it. */
struct hub_room *
hub_room_add(struct hub *hub, const char *id, const char *title, enum room_kind kind,
    unsigned capacity, const char *session)
{
	struct hub_room *r;
	size_t i;

	r = xcalloc(1, sizeof *r);
	strlcpy_cf(r->info.id, id, sizeof r->info.id);
	hub_copy_title(r->info.title, title != NULL ? title : id);
	r->info.kind = kind;
	r->info.capacity = capacity;
	strlcpy_cf(r->info.session, session != NULL ? session : "", sizeof r->info.session);
	r->ring = msgring_create_at(PROTO_HISTORY, 1);
	for (i = 0; i < hub->nclosed; i++) {
		if (strcmp(hub->closed[i].id, id) == 0) {
			msgring_free(r->ring);
			r->ring = msgring_create_at(PROTO_HISTORY, hub->closed[i].next);
			break;
		}
	}
	snprintf(r->stream, sizeof r->stream, "room:%s", id);
	if (hub->nrooms == hub->rooms_cap) {
		hub->rooms_cap = hub->rooms_cap ? hub->rooms_cap * 2 : 16;
		hub->rooms = xreallocarray(hub->rooms, hub->rooms_cap, sizeof *hub->rooms);
	}
	hub->rooms[hub->nrooms++] = r;
	hub_rooms_changed(hub);
	return r;
}

/* Frees a room (already removed from the list). */
static void
hub_room_free(struct hub_room *r)
{
	if (r == NULL)
		return;
	msgring_free(r->ring);
	free(r);
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

/* Drops the timer of a room scope, if any. */
static void
hub_timer_drop(struct hub *hub, const char *scope, const char *by)
{
	struct timer gone;
	size_t i;

	for (i = 1; i < hub->ntimers; i++) {
		if (strcmp(hub->timers[i].scope, scope) == 0) {
			/* Everyone holds this timer: tell them it is over (idle), then forget it. */
			gone = hub->timers[i];
			if (gone.state != TS_IDLE) {
				timer_reset(&gone, by);
				hub_timer_broadcast(hub, &gone);
			}
			memmove(&hub->timers[i], &hub->timers[i + 1],
			    (hub->ntimers - i - 1) * sizeof *hub->timers);
			hub->ntimers--;
			return;
		}
	}
}

/* Sends the state of timer t to every session, on the "timers" stream. */
void
hub_timer_broadcast(struct hub *hub, const struct timer *t)
{
	struct proto_msg ev;
	struct msg *frame;

	proto_msg_init(&ev, PT_TIMER);
	ev.stream = "timers";
	ev.seq = ++hub->timers_seq;
	ev.u.timer.now = hub_now(hub);
	ev.u.timer.timer = *t;
	frame = hub_encode(hub, &ev);
	hub_broadcast(hub, frame);
	msg_unref(frame);
}

/* Encodes m into a new frame with the hub's headroom. */
struct msg *
hub_encode(const struct hub *hub, const struct proto_msg *m)
{
	return proto_encode_msg(m, hub->pre);
}

/* Marks s to be dropped at the next reap. */
static void
hub_session_lag(struct hub_session *s)
{
	s->lagging = true;
	s->hub->reap_due = true;
}

/* Queues frame m (the session takes its own reference) on s's direct FIFO. */
void
hub_send(struct hub_session *s, struct msg *m)
{
	size_t i;

	if (s->dead || s->lagging)
		return;
	if (s->fifo_len >= HUB_FIFO_MAX) {
		log_warn("hub: %s (%s) is lagging: %zu frames queued", s->name ? s->name : "-",
		    s->peer, s->fifo_len);
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

/* Sends m to s on its "user" stream (sets stream and seq, encodes for s alone) and keeps
 * it in the session's user ring for a takeover's replay. */
void
hub_send_user(struct hub_session *s, struct proto_msg *m)
{
	struct msg *frame;

	if (s->dead || s->lagging)
		return;
	m->stream = "user";
	m->seq = ++s->user_seq;
	frame = hub_encode(s->hub, m);
	if (s->user_ring == NULL)
		s->user_ring = msgring_create_at(HUB_USER_KEEP, s->user_seq);
	msgring_push(s->user_ring, frame);
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

/* Encodes m as the room's next event, pushes it into the ring and wakes the members;
 * members whose tail fell out of the ring are marked lagging. */
void
hub_room_push(struct hub *hub, struct hub_room *room, struct proto_msg *m)
{
	struct hub_session *s;
	struct hub_join *j;
	struct msg *frame;
	uint64_t oldest;

	m->stream = room->stream;
	m->seq = room->ring->next;
	frame = hub_encode(hub, m);
	msgring_push(room->ring, frame);
	msg_unref(frame);
	oldest = msgring_oldest(room->ring);
	for (s = hub->sessions; s != NULL; s = s->next) {
		if (s->dead || (j = hub_session_join_find(s, room)) == NULL)
			continue;
		if (j->tail < oldest) {
			if (!s->lagging)
				log_warn("hub: %s (%s) is lagging in %s", s->name, s->peer,
				    room->info.id);
			hub_session_lag(s);
		} else if (hub->want_write != NULL)
			hub->want_write(s->conn);
	}
}

/* Sends a presence event about s in room r to the room's other members. */
static void
hub_presence(struct hub_session *s, struct hub_room *r, enum proto_presence action)
{
	struct hub_session *o;
	struct proto_msg m;

	if (r->info.kind == RK_LOBBY)
		return;
	for (o = s->hub->sessions; o != NULL; o = o->next) {
		if (o == s || o->dead || hub_session_join_find(o, r) == NULL)
			continue;
		proto_msg_init(&m, PT_PRESENCE);
		m.u.presence.room = r->info.id;
		m.u.presence.name = s->name;
		m.u.presence.action = action;
		m.u.presence.message = action == PRES_QUIT ? s->quit_message : NULL;
		hub_send_user(o, &m);
	}
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
	else {
		pos.lost = since != HUB_SINCE_FRESH;
		j->tail = next > PROTO_BACKLOG ? next - PROTO_BACKLOG : 1;
		if (j->tail < oldest)
			j->tail = oldest;
	}
	pos.room = r->info.id;
	pos.last = (int64_t)(next - 1);
	pos.from = (int64_t)j->tail;
	r->info.occupancy++;
	hub_rooms_changed(s->hub);
	if (presence)
		hub_presence(s, r, PRES_JOIN);
	if (j->tail < next && s->hub->want_write != NULL)
		s->hub->want_write(s->conn);
	return pos;
}

/* Removes the join entry at index i (no presence, no occupancy change). */
static void
hub_session_join_remove(struct hub_session *s, size_t i)
{
	memmove(&s->joins[i], &s->joins[i + 1], (s->njoins - i - 1) * sizeof *s->joins);
	s->njoins--;
	if (s->rr >= s->njoins)
		s->rr = 0;
}

/* Queues for s the events of room r that it has not been sent yet, so that leaving a
 * room never loses what was said in it before. */
static void
hub_session_drain_room(struct hub_session *s, struct hub_join *j, struct hub_room *room)
{
	struct msg *frame;
	uint64_t seq;

	if (s->dead)
		return;
	if (j->tail < msgring_oldest(room->ring))
		hub_session_lag(s);
	for (seq = j->tail; seq < room->ring->next; seq++) {
		if ((frame = msgring_get(room->ring, seq)) != NULL)
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
	if (r->info.occupancy > 0)
		r->info.occupancy--;
	hub_rooms_changed(s->hub);
	hub_presence(s, r, why);
	return 0;
}

/* Remembers where the stream of a closing room ends. */
static void
hub_room_remember(struct hub *hub, const struct hub_room *room)
{
	size_t i;

	for (i = 0; i < hub->nclosed; i++) {
		if (strcmp(hub->closed[i].id, room->info.id) == 0)
			break;
	}
	if (i == hub->nclosed) {
		hub->closed = xreallocarray(hub->closed, hub->nclosed + 1, sizeof *hub->closed);
		strlcpy_cf(hub->closed[i].id, room->info.id, sizeof hub->closed[i].id);
		hub->nclosed++;
	}
	hub->closed[i].next = room->ring->next;
}

/* Closes room r: members get its pending events and "room.closed", then leave it (they
 * stay in the lobby); its timer goes too. */
void
hub_room_close(struct hub *hub, struct hub_room *room, const char *by)
{
	struct hub_session *s;
	struct hub_join *j;
	struct proto_msg m;
	struct msg *frame;
	size_t i;

	proto_msg_init(&m, PT_ROOM_CLOSED);
	m.u.room_closed.room = room->info.id;
	m.u.room_closed.by = by;
	m.u.room_closed.moved_to = ROOM_LOBBY;
	m.stream = room->stream;
	m.seq = room->ring->next;
	frame = hub_encode(hub, &m);
	msgring_push(room->ring, frame);
	msg_unref(frame);
	for (s = hub->sessions; s != NULL; s = s->next) {
		if ((j = hub_session_join_find(s, room)) == NULL)
			continue;
		hub_session_drain_room(s, j, room);
		hub_session_join_remove(s, (size_t)(j - s->joins));
	}
	hub_timer_drop(hub, room->info.id, by);
	hub_room_remember(hub, room);
	for (i = 0; i < hub->nrooms; i++) {
		if (hub->rooms[i] == room) {
			memmove(&hub->rooms[i], &hub->rooms[i + 1],
			    (hub->nrooms - i - 1) * sizeof *hub->rooms);
			hub->nrooms--;
			break;
		}
	}
	hub_room_free(room);
	hub_rooms_changed(hub);
}

/* The live session that said hello with this name, or NULL. */
struct hub_session *
hub_session_find(const struct hub *hub, const char *name)
{
	struct hub_session *s;

	for (s = hub->sessions; s != NULL; s = s->next) {
		if (!s->dead && s->name != NULL && proto_name_cmp(s->name, name) == 0)
			return s;
	}
	return NULL;
}

/* Drops everything s has queued. */
static void
hub_session_flush(struct hub_session *s)
{
	size_t i;

	for (i = 0; i < s->fifo_len; i++)
		msg_unref(s->fifo[(s->fifo_head + i) % s->fifo_cap]);
	s->fifo_len = 0;
	s->fifo_head = 0;
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
	hub_session_flush(s);
}

/* Drops every session marked lagging: detached now, closed by the glue later. Nothing to
 * do (no walk) unless a session was marked since the last reap; a drop may mark others
 * (a part's events), so it walks again until a pass drops nobody. */
static void
hub_reap(struct hub *hub)
{
	struct hub_session *s;

	while (hub->reap_due) {
		hub->reap_due = false;
		for (s = hub->sessions; s != NULL; s = s->next) {
			if (s->lagging && !s->dead) {
				log_warn("hub: dropping session %s (%s)",
				    s->name ? s->name : "-", s->peer);
				hub_session_detach(s);
				if (hub->close_conn != NULL)
					hub->close_conn(s->conn);
				hub->reap_due = true;
				break;
			}
		}
	}
}

/* Builds the lobby and one room per discussion session of the program. */
static void
hub_rooms_from_program(struct hub *hub)
{
	const struct session *ps;
	const char *id;
	size_t i;

	/* Wire text is English whatever the hub's locale; clients translate by kind. */
	hub_room_add(hub, ROOM_LOBBY, "Lobby", RK_LOBBY, 0, NULL);
	for (i = 0; i < hub->program->nsessions; i++) {
		ps = &hub->program->sessions[i];
		if (ps->kind != SK_DISCUSSION)
			continue;
		id = ps->room != NULL ? ps->room : ps->id;
		if (!room_id_valid(id) || strcmp(id, TIMER_SCOPE_MAIN) == 0) {
			log_warn("hub: session %s: unusable room id \"%s\"", ps->id, id);
			continue;
		}
		if (hub_room_find(hub, id) != NULL)
			continue;
		hub_room_add(hub, id, ps->title, RK_DISCUSSION, 0, ps->id);
	}
}

/* Creates a hub for cfg. */
struct hub *
hub_create(const struct hub_config *cfg, char **cause)
{
	struct hub *hub;
	size_t i;

	if (cfg->program == NULL) {
		*cause = xstrdup(_("no program"));
		return NULL;
	}
	hub = xcalloc(1, sizeof *hub);
	hub->program = program_copy(cfg->program);
	hub->ntokens = cfg->ntokens;
	hub->tokens = xcalloc(cfg->ntokens + 1, sizeof *hub->tokens);
	for (i = 0; i < cfg->ntokens; i++)
		hub->tokens[i] = xstrdup(cfg->tokens[i]);
	hub->clock = cfg->clock != NULL ? *cfg->clock : cf_clock_system;
	hub->name = xstrdup(cfg->name != NULL ? cfg->name : "confabd");
	hub->pre = cfg->pre;
	hub->want_write = cfg->want_write;
	hub->close_conn = cfg->close_conn;
	hub_random_hex(hub->epoch, HUB_TOKEN_HEX / 2);
	hub_timer_find(hub, TIMER_SCOPE_MAIN, true);
	hub_rooms_from_program(hub);
	hub->lineup = xcalloc(LINEUP_MAX, sizeof *hub->lineup);
	hub->nlineup = cfg->nlineup < LINEUP_MAX ? cfg->nlineup : LINEUP_MAX;
	if (hub->nlineup > 0)
		memcpy(hub->lineup, cfg->lineup, hub->nlineup * sizeof *hub->lineup);
	hub->lineup_cur = -1;
	hub->cids = hub_cids_create();
	hub->rooms_dirty = false;
	hub->rooms_sent_mono = cf_mono_ms(&hub->clock) - HUB_ROOMS_INTERVAL_MS;
	return hub;
}

/* Frees a session (already unlinked). */
static void
hub_session_free(struct hub_session *s)
{
	hub_session_flush(s);
	free(s->fifo);
	free(s->joins);
	msg_unref(s->last);
	msgring_free(s->user_ring);
	hub_away_free(s);
	free(s->name);
	free(s->peer);
	free(s);
}

/* Frees the hub and all it holds. */
void
hub_free(struct hub *hub)
{
	struct hub_session *s, *next;
	size_t i;

	if (hub == NULL)
		return;
	for (s = hub->sessions; s != NULL; s = next) {
		next = s->next;
		hub_session_free(s);
	}
	for (i = 0; i < hub->nrooms; i++)
		hub_room_free(hub->rooms[i]);
	free(hub->rooms);
	free(hub->timers);
	free(hub->lineup);
	hub_cids_free(hub->cids);
	free(hub->closed);
	for (i = 0; i < hub->ntokens; i++)
		free(hub->tokens[i]);
	free(hub->tokens);
	program_free(hub->program);
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

/* Opens a session for conn. */
struct hub_session *
hub_session_open(struct hub *hub, void *conn, const char *peer)
{
	struct hub_session *s;

	s = xcalloc(1, sizeof *s);
	s->hub = hub;
	s->conn = conn;
	s->peer = xstrdup(peer != NULL && *peer != '\0' ? peer : "?");
	s->prev = hub->sessions_tail;
	if (hub->sessions_tail != NULL)
		hub->sessions_tail->next = s;
	else
		hub->sessions = s;
	hub->sessions_tail = s;
	hub->nsessions++;
	log_debug("hub: connection from %s", s->peer);
	return s;
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
		hub_session_lag(s);
	}
}

/* Handles one complete frame from s. */
void
hub_session_input(struct hub_session *s, const char *data, size_t len, bool binary)
{
	struct proto_decode_err err;
	struct proto_msg m;

	if (s->dead)
		return;
	if (binary) {
		log_debug("hub: %s: binary frame", s->peer);
		hub_reply_error(s, 0, PE_BAD_FRAME, "binary frames are not accepted");
		hub_session_bad(s);
	} else if (proto_decode_request(data, len, PROTO_MAX_FRAME, &m, &err) != 0) {
		log_debug("hub: %s: bad frame: %s: %s", s->peer, proto_err_name(err.code),
		    err.detail);
		hub_reply_error(s, err.id, err.code, err.detail);
		hub_session_bad(s);
	} else {
		s->bad_frames = 0;
		hub_req_dispatch(s, &m);
		proto_msg_clear(&m);
	}
	hub_reap(s->hub);
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
	if (s->fifo_len > 0)
		return true;
	for (i = 0; i < s->njoins; i++) {
		if (s->joins[i].tail < s->joins[i].room->ring->next)
			return true;
	}
	return false;
}

/* Next frame for s: the direct FIFO first, then the joined rooms in turn. */
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
	} else {
		for (i = 0; i < s->njoins && m == NULL; i++) {
			k = (s->rr + i) % s->njoins;
			j = &s->joins[k];
			if (j->tail >= j->room->ring->next)
				continue;
			if ((m = msgring_get(j->room->ring, j->tail)) == NULL) {
				hub_session_lag(s);
				hub_reap(s->hub);
				return NULL;
			}
			j->tail++;
			msg_ref(m);
			s->rr = (k + 1) % s->njoins;
		}
	}
	if (m != NULL)
		s->last = msg_ref(m);
	return m;
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
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		hub->sessions = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	else
		hub->sessions_tail = s->prev;
	hub->nsessions--;
	hub_session_free(s);
	hub_reap(hub);
}

/* Sends the lineup to every session. */
void
hub_lineup_broadcast(struct hub *hub, const char *by)
{
	struct proto_msg m;
	struct msg *frame;

	proto_msg_init(&m, PT_LINEUP);
	m.stream = "lineup";
	m.seq = ++hub->lineup_seq;
	m.u.lineup.items = hub->lineup;
	m.u.lineup.nitems = hub->nlineup;
	m.u.lineup.current = hub->lineup_cur;
	m.u.lineup.by = by;
	frame = hub_encode(hub, &m);
	hub_broadcast(hub, frame);
	msg_unref(frame);
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

/* Closes the breakouts whose end has come. */
static void
hub_expire_rooms(struct hub *hub)
{
	int64_t now = hub_now(hub);
	size_t i;

	for (i = 0; i < hub->nrooms;) {
		if (hub->rooms[i]->info.closes_at_ms != 0 &&
		    hub->rooms[i]->info.closes_at_ms <= now) {
			log_info("hub: room %s reached its end", hub->rooms[i]->info.id);
			hub_room_close(hub, hub->rooms[i], "");
			continue;
		}
		i++;
	}
}

/* Ms until the next tick has work, or -1. */
int64_t
hub_tick_due(const struct hub *hub)
{
	int64_t d = -1, e = hub_expiry_due(hub);

	if (hub->rooms_dirty) {
		d = hub->rooms_sent_mono + HUB_ROOMS_INTERVAL_MS - cf_mono_ms(&hub->clock);
		if (d < 0)
			d = 0;
	}
	if (e >= 0 && (d < 0 || e < d))
		d = e;
	return d;
}

/* Periodic work: sends the coalesced "rooms" event when due. */
int64_t
hub_tick(struct hub *hub)
{
	struct hub_session *s;
	struct proto_msg m;
	struct msg *frame;
	struct room_info *infos;
	int64_t d;

	hub_expire_rooms(hub);
	d = hub->rooms_sent_mono + HUB_ROOMS_INTERVAL_MS - cf_mono_ms(&hub->clock);
	if (hub->rooms_dirty && d <= 0) {
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
		hub->rooms_dirty = false;
		hub->rooms_sent_mono = cf_mono_ms(&hub->clock);
	}
	hub_reap(hub);
	return hub_tick_due(hub);
}
