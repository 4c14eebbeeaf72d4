/* hub_req.c: the hub's request handlers: one function per request type, each sending
 * exactly one reply. Shared state and helpers come from hub.c (hub_int.h). */
#include <stdlib.h>
#include <string.h>

#include "hub/hub_int.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/xalloc.h"

/* Constant-time string equality (the time depends on the lengths only). */
static bool
hub_req_token_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i;
	unsigned char diff = 0;

	if (lb == 0)
		return la == 0;
	for (i = 0; i < la; i++)
		diff |= (unsigned char)a[i] ^ (unsigned char)b[i % lb];
	return la == lb && diff == 0;
}

/* True when token is one of the facilitator tokens (all are compared). */
static bool
hub_req_token_ok(const struct hub *hub, const char *token)
{
	bool found = false;
	size_t i;

	for (i = 0; i < hub->ntokens; i++) {
		if (hub_req_token_equal(token, hub->tokens[i]))
			found = true;
	}
	return found;
}

/* Sends the welcome reply to s for request re: pos[npos] the positions of its rooms;
 * the program only when the client's cached version (may be NULL) is not current. */
static void
hub_req_welcome(struct hub_session *s, int64_t re, struct proto_room_pos *pos, size_t npos,
    const char *cached)
{
	struct hub *hub = s->hub;
	struct proto_msg m;
	struct room_info *infos;
	const char **joined;
	size_t i;

	infos = hub_room_infos(hub);
	joined = xcalloc(s->njoins ? s->njoins : 1, sizeof *joined);
	for (i = 0; i < s->njoins; i++)
		joined[i] = s->joins[i].room->info.id;
	proto_msg_init(&m, PT_WELCOME);
	m.re = re;
	m.u.welcome.proto = PROTO_VERSION;
	m.u.welcome.hub = hub->name;
	m.u.welcome.epoch = hub->epoch;
	m.u.welcome.name = s->name;
	m.u.welcome.resume = s->resume;
	m.u.welcome.role = s->role;
	m.u.welcome.now = hub_now(hub);
	m.u.welcome.limits.frame = PROTO_MAX_FRAME;
	m.u.welcome.limits.text = PROTO_MAX_TEXT;
	m.u.welcome.limits.name = PROTO_MAX_NAME;
	m.u.welcome.limits.history = PROTO_HISTORY;
	m.u.welcome.limits.backlog = PROTO_BACKLOG;
	m.u.welcome.program_version = hub->program->version;
	if (cached == NULL || hub->program->version == NULL ||
	    strcmp(cached, hub->program->version) != 0)
		m.u.welcome.program = hub->program;
	m.u.welcome.history = pos;
	m.u.welcome.nhistory = npos;
	m.u.welcome.rooms = infos;
	m.u.welcome.nrooms = hub->nrooms;
	m.u.welcome.timers = hub->timers;
	m.u.welcome.ntimers = hub->ntimers;
	m.u.welcome.joined = joined;
	m.u.welcome.njoined = s->njoins;
	m.u.welcome.has_lineup = true;
	m.u.welcome.lineup.items = hub->lineup;
	m.u.welcome.lineup.nitems = hub->nlineup;
	m.u.welcome.lineup.current = hub->lineup_cur;
	hub_send_msg(s, &m);
	s->rooms_ver = hub->rooms_ver;
	free(joined);
	free(infos);
}

/* The position hello's "since" gives for room id: its seq in this epoch,
 * HUB_SINCE_LOST when it is of another epoch, HUB_SINCE_FRESH when the room is not in it. */
static int64_t
hub_req_since(const struct hub *hub, const struct proto_hello *h, const char *id)
{
	size_t i;

	for (i = 0; i < h->nsince; i++) {
		if (strcmp(h->since[i].room, id) == 0)
			return strcmp(h->since_epoch, hub->epoch) == 0 ? h->since[i].seq :
			    HUB_SINCE_LOST;
	}
	return HUB_SINCE_FRESH;
}

/* hello: name, optional token, optional resume of an earlier session, optional positions
 * ("since") of the rooms to go back into. */
static void
hub_req_hello(struct hub_session *s, const struct proto_msg *m)
{
	const struct proto_hello *h = &m->u.hello;
	struct hub *hub = s->hub;
	struct hub_session *old;
	struct proto_room_pos *pos;
	struct hub_room *r;
	enum proto_err e;
	size_t i, npos = 0;
	uint64_t seq;

	if (s->name != NULL) {
		hub_reply_error(s, m->id, PE_ALREADY, NULL);
		return;
	}
	if (h->proto != PROTO_VERSION) {
		hub_reply_error(s, m->id, PE_VERSION, NULL);
		return;
	}
	if ((e = proto_name_check(h->name)) != PE_NONE) {
		hub_reply_error(s, m->id, e, NULL);
		return;
	}
	if (h->token != NULL && !hub_req_token_ok(hub, h->token)) {
		log_info("hub: %s: bad facilitator token for %s", s->peer, h->name);
		hub_reply_error(s, m->id, PE_BAD_TOKEN, NULL);
		return;
	}
	old = hub_session_find(hub, h->name);
	if (old != NULL && (h->resume == NULL || !hub_req_token_equal(h->resume, old->resume))) {
		hub_reply_error(s, m->id, PE_NAME_TAKEN, NULL);
		return;
	}
	s->name = xstrdup(h->name);
	s->role = h->token != NULL ? ROLE_FACILITATOR : ROLE_ATTENDEE;
	hub_random_hex(s->resume, HUB_TOKEN_HEX);
	pos = xcalloc((old != NULL ? old->njoins : 1) + h->nsince + 1, sizeof *pos);
	if (old != NULL) {
		/* Resume: take over the old session's rooms without presence churn, and its
		 * user stream (numbering and kept events). */
		log_info("hub: %s resumes from %s (was %s)", s->name, s->peer, old->peer);
		for (i = 0; i < old->njoins; i++)
			pos[npos++] = hub_session_join(s, old->joins[i].room, false,
			    hub_req_since(hub, h, old->joins[i].room->info.id));
		for (i = 0; i < old->njoins; i++)
			old->joins[i].room->info.occupancy--;
		old->njoins = 0;
		s->user_seq = old->user_seq;
		s->user_ring = old->user_ring;
		old->user_ring = NULL;
		hub_session_detach(old);
		if (hub->close_conn != NULL)
			hub->close_conn(old->conn);
	} else {
		pos[npos++] = hub_session_join(s, hub->rooms[0], false,
		    hub_req_since(hub, h, hub->rooms[0]->info.id));
		log_info("hub: %s joined from %s as %s", s->name, s->peer,
		    proto_role_name(s->role));
	}
	/* Back into the rooms of "since" that still exist and have space, in one go. */
	for (i = 0; i < h->nsince; i++) {
		if ((r = hub_room_find(hub, h->since[i].room)) == NULL ||
		    hub_session_join_find(s, r) != NULL ||
		    (r->info.capacity > 0 && r->info.occupancy >= r->info.capacity))
			continue;
		pos[npos++] = hub_session_join(s, r, true, hub_req_since(hub, h, r->info.id));
	}
	hub_req_welcome(s, m->id, pos, npos, h->program);
	free(pos);
	/* The user events the client has not seen, when it took over a session. */
	if (old != NULL && h->has_user && s->user_ring != NULL) {
		seq = (uint64_t)h->user + 1;
		if (seq < msgring_oldest(s->user_ring))
			seq = msgring_oldest(s->user_ring);
		for (; seq < s->user_ring->next; seq++)
			hub_send(s, msgring_get(s->user_ring, seq));
	}
}

/* The room named by a request, or NULL after replying no-such-room. */
static struct hub_room *
hub_req_room(struct hub_session *s, const struct proto_msg *m, const char *id)
{
	struct hub_room *r = hub_room_find(s->hub, id);

	if (r == NULL)
		hub_reply_error(s, m->id, PE_NO_ROOM, NULL);
	return r;
}

/* Replies "ok" with "dup": the send with this cid was delivered before (seq: its chat
 * event, 0 for msg). */
static void
hub_req_dup(struct hub_session *s, int64_t re, int64_t seq)
{
	struct proto_msg rep;

	proto_msg_init(&rep, PT_OK);
	rep.re = re;
	rep.u.ok.seq = seq;
	rep.u.ok.dup = true;
	hub_send_msg(s, &rep);
}

/* say: a chat line into a room s is in; a cid already seen is not delivered again. */
static void
hub_req_say(struct hub_session *s, const struct proto_msg *m)
{
	struct hub_room *r;
	struct proto_msg ev;
	int64_t dup;
	uint64_t seq;

	if (m->u.say.cid != NULL && hub_cids_find(s->hub->cids, m->u.say.cid, &dup)) {
		hub_req_dup(s, m->id, dup);
		return;
	}
	if ((r = hub_req_room(s, m, m->u.say.room)) == NULL)
		return;
	if (hub_session_join_find(s, r) == NULL) {
		hub_reply_error(s, m->id, PE_NOT_MEMBER, NULL);
		return;
	}
	proto_msg_init(&ev, PT_CHAT);
	ev.u.chat.room = r->info.id;
	ev.u.chat.from = s->name;
	ev.u.chat.text = m->u.say.text;
	ev.u.chat.me = m->u.say.me;
	ev.u.chat.ts = hub_now(s->hub);
	seq = r->ring->next;
	hub_reply_ok(s, m->id, (int64_t)seq);
	hub_room_push(s->hub, r, &ev);
	if (m->u.say.cid != NULL)
		hub_cids_add(s->hub->cids, m->u.say.cid, (int64_t)seq);
}

/* msg: a private message to one user (the sender gets a copy). */
static void
hub_req_msg(struct hub_session *s, const struct proto_msg *m)
{
	struct hub_session *to;
	struct proto_msg ev;

	if (m->u.msg.cid != NULL && hub_cids_find(s->hub->cids, m->u.msg.cid, NULL)) {
		hub_req_dup(s, m->id, 0);
		return;
	}
	if ((to = hub_session_find(s->hub, m->u.msg.to)) == NULL) {
		hub_reply_error(s, m->id, PE_NO_USER, NULL);
		return;
	}
	hub_away_msg_ok(s, m->id, to);
	proto_msg_init(&ev, PT_PRIVMSG);
	ev.u.privmsg.from = s->name;
	ev.u.privmsg.to = to->name;
	ev.u.privmsg.text = m->u.msg.text;
	ev.u.privmsg.ts = hub_now(s->hub);
	hub_send_user(to, &ev);
	if (to != s)
		hub_send_user(s, &ev);
	if (m->u.msg.cid != NULL)
		hub_cids_add(s->hub->cids, m->u.msg.cid, 0);
}

/* Replies "ok" to a join with the room's position. */
static void
hub_req_join_ok(struct hub_session *s, int64_t re, const struct proto_room_pos *pos)
{
	struct proto_msg rep;

	proto_msg_init(&rep, PT_OK);
	rep.re = re;
	rep.u.ok.has_pos = true;
	rep.u.ok.pos = *pos;
	hub_send_msg(s, &rep);
}

/* join: enter a room; with "since", the replay continues from there when it can. */
static void
hub_req_join(struct hub_session *s, const struct proto_msg *m)
{
	struct proto_room_pos pos;
	struct hub_join *j;
	struct hub_room *r;

	if ((r = hub_req_room(s, m, m->u.room.room)) == NULL)
		return;
	if ((j = hub_session_join_find(s, r)) != NULL) {
		pos = hub_session_join_pos(s, j);
		hub_req_join_ok(s, m->id, &pos);
		return;
	}
	if (r->info.capacity > 0 && r->info.occupancy >= r->info.capacity) {
		hub_reply_error(s, m->id, PE_ROOM_FULL, NULL);
		return;
	}
	/* The ok is queued before the replay goes out: direct frames come first. */
	pos = hub_session_join(s, r, true, m->u.room.has_since ? m->u.room.since :
	    HUB_SINCE_FRESH);
	hub_req_join_ok(s, m->id, &pos);
}

/* history: older events of a room s is in, read from the room's ring and spliced into
 * the reply as they were encoded. */
static void
hub_req_history(struct hub_session *s, const struct proto_msg *m)
{
	const struct proto_history_req *h = &m->u.history;
	const char *texts[PROTO_HISTORY_LIMIT];
	size_t lens[PROTO_HISTORY_LIMIT], n = 0;
	struct hub_room *r;
	struct msg *frame;
	uint64_t oldest, end, start, seq;

	if ((r = hub_req_room(s, m, h->room)) == NULL)
		return;
	if (hub_session_join_find(s, r) == NULL) {
		hub_reply_error(s, m->id, PE_NOT_MEMBER, NULL);
		return;
	}
	oldest = msgring_oldest(r->ring);
	end = r->ring->next;
	if (h->before > 0 && (uint64_t)h->before < end)
		end = (uint64_t)h->before;
	start = end > oldest + (uint64_t)h->limit ? end - (uint64_t)h->limit : oldest;
	for (seq = start; seq < end && n < PROTO_HISTORY_LIMIT; seq++) {
		if ((frame = msgring_get(r->ring, seq)) == NULL)
			continue;
		texts[n] = msg_payload(frame);
		lens[n++] = frame->len;
	}
	frame = proto_encode_history_msg(s->hub->pre, m->id, r->info.id, texts, lens, n,
	    n > 0 && start > oldest);
	hub_send(s, frame);
	msg_unref(frame);
}

/* part: leave a room (not the lobby). */
static void
hub_req_part(struct hub_session *s, const struct proto_msg *m)
{
	struct hub_room *r;

	if ((r = hub_req_room(s, m, m->u.room.room)) == NULL)
		return;
	if (r->info.kind == RK_LOBBY) {
		hub_reply_error(s, m->id, PE_LOBBY, NULL);
		return;
	}
	if (hub_session_part(s, r, PRES_PART) != 0) {
		hub_reply_error(s, m->id, PE_NOT_MEMBER, NULL);
		return;
	}
	hub_reply_ok(s, m->id, 0);
}

/* Orders names case-insensitively, for qsort. */
static int
hub_req_name_order(const void *a, const void *b)
{
	int c = proto_name_cmp(*(const char *const *)a, *(const char *const *)b);

	return c != 0 ? c : strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* qsort order of sessions by name (hub_req_name_order on their names). */
static int
hub_req_session_order(const void *a, const void *b)
{
	const struct hub_session *x = *(struct hub_session *const *)a;
	const struct hub_session *y = *(struct hub_session *const *)b;

	return hub_req_name_order(&x->name, &y->name);
}

/* who: the members of a room, sorted, with the away messages of those away. */
static void
hub_req_who(struct hub_session *s, const struct proto_msg *m)
{
	struct hub_session *o, **who;
	struct hub_room *r;
	struct proto_msg rep;
	const char **names, **away;
	size_t n = 0, i;

	if ((r = hub_req_room(s, m, m->u.room.room)) == NULL)
		return;
	who = xcalloc(s->hub->nsessions + 1, sizeof *who);
	for (o = s->hub->sessions; o != NULL; o = o->next) {
		if (!o->dead && o->name != NULL && hub_session_join_find(o, r) != NULL)
			who[n++] = o;
	}
	qsort(who, n, sizeof *who, hub_req_session_order);
	names = xcalloc(n + 1, sizeof *names);
	away = xcalloc(n + 1, sizeof *away);
	for (i = 0; i < n; i++) {
		names[i] = who[i]->name;
		away[i] = hub_away_of(who[i]);
	}
	proto_msg_init(&rep, PT_MEMBERS);
	rep.re = m->id;
	rep.u.members.room = r->info.id;
	rep.u.members.names = names;
	rep.u.members.nnames = n;
	rep.u.members.away = away;
	hub_send_msg(s, &rep);
	free(who);
	free(names);
	free(away);
}

/* room.create: a new breakout room. */
static void
hub_req_room_create(struct hub_session *s, const struct proto_msg *m)
{
	const struct proto_room_create *c = &m->u.room_create;
	struct hub *hub = s->hub;
	struct hub_room *r;

	if (!room_id_valid(c->room) || strcmp(c->room, TIMER_SCOPE_MAIN) == 0) {
		hub_reply_error(s, m->id, PE_BAD_FIELD, N_("invalid room id"));
		return;
	}
	if (hub_room_find(hub, c->room) != NULL) {
		hub_reply_error(s, m->id, PE_ROOM_EXISTS, NULL);
		return;
	}
	if (hub->nrooms >= HUB_MAX_ROOMS) {
		hub_reply_error(s, m->id, PE_RATE, N_("too many rooms"));
		return;
	}
	if (c->capacity < 0 || c->capacity > 100000) {
		hub_reply_error(s, m->id, PE_BAD_FIELD, N_("invalid capacity"));
		return;
	}
	r = hub_room_add(hub, c->room, c->title != NULL && *c->title != '\0' ? c->title :
	    c->room, RK_BREAKOUT, (unsigned)c->capacity, NULL);
	if (c->seconds > 0)
		r->info.closes_at_ms = hub_now(hub) + c->seconds * 1000;
	else if (c->minutes > 0)
		r->info.closes_at_ms = hub_now(hub) + c->minutes * 60000;
	log_info("hub: %s created room %s", s->name, c->room);
	hub_reply_ok(s, m->id, 0);
}

/* room.close: closes a breakout or discussion room; members go back to the lobby. */
static void
hub_req_room_close(struct hub_session *s, const struct proto_msg *m)
{
	struct hub_room *r;

	if ((r = hub_req_room(s, m, m->u.room.room)) == NULL)
		return;
	if (r->info.kind == RK_LOBBY) {
		hub_reply_error(s, m->id, PE_LOBBY, NULL);
		return;
	}
	log_info("hub: %s closed room %s", s->name, r->info.id);
	hub_reply_ok(s, m->id, 0);
	hub_room_close(s->hub, r, s->name);
}

/* room.expire: sets, changes or removes the end of a room. */
static void
hub_req_room_expire(struct hub_session *s, const struct proto_msg *m)
{
	const struct proto_room_expire *e = &m->u.room_expire;
	struct hub_room *r;
	int64_t ms;

	if ((r = hub_req_room(s, m, e->room)) == NULL)
		return;
	if (r->info.kind == RK_LOBBY) {
		hub_reply_error(s, m->id, PE_LOBBY, NULL);
		return;
	}
	ms = e->has_seconds ? e->seconds * 1000 : e->minutes * 60000;
	r->info.closes_at_ms = ms > 0 ? hub_now(s->hub) + ms : 0;
	hub_rooms_changed(s->hub);
	log_info("hub: %s set the end of room %s in %lld ms", s->name, r->info.id,
	    (long long)ms);
	hub_reply_ok(s, m->id, 0);
}

/* lineup.*: edits the main-stage lineup or moves to its next item. */
static void
hub_req_lineup(struct hub_session *s, const struct proto_msg *m)
{
	struct hub *hub = s->hub;
	const struct proto_lineup_add *a = &m->u.lineup_add;
	struct lineup_item *it;
	struct timer *t;
	int64_t from, to, cur = hub->lineup_cur;
	char *label;

	switch (m->type) {
	case PT_LINEUP_ADD:
		if (hub->nlineup >= LINEUP_MAX) {
			hub_reply_error(s, m->id, PE_RATE, N_("the lineup is full"));
			return;
		}
		it = &hub->lineup[hub->nlineup++];
		lineup_item_set(it, a->title, a->speaker, a->kind);
		it->duration_ms = a->duration_ms;
		break;
	case PT_LINEUP_REMOVE:
		from = m->u.lineup_index.index;
		if (from < 0 || (size_t)from >= hub->nlineup) {
			hub_reply_error(s, m->id, PE_BAD_FIELD, N_("no such item"));
			return;
		}
		memmove(&hub->lineup[from], &hub->lineup[from + 1],
		    (hub->nlineup - (size_t)from - 1) * sizeof *hub->lineup);
		hub->nlineup--;
		if (from < cur)
			cur--;
		else if (from == cur)
			cur = -1;
		break;
	case PT_LINEUP_MOVE:
		from = m->u.lineup_move.from;
		to = m->u.lineup_move.to;
		if (from < 0 || to < 0 || (size_t)from >= hub->nlineup ||
		    (size_t)to >= hub->nlineup) {
			hub_reply_error(s, m->id, PE_BAD_FIELD, N_("no such item"));
			return;
		}
		lineup_move(hub->lineup, hub->nlineup, (size_t)from, (size_t)to);
		if (cur == from)
			cur = to;
		else if (from < cur && to >= cur)
			cur--;
		else if (from > cur && to <= cur && cur >= 0)
			cur++;
		break;
	default:
		if (cur + 1 >= (int64_t)hub->nlineup) {
			hub_reply_error(s, m->id, PE_LINEUP_END, NULL);
			return;
		}
		cur++;
		it = &hub->lineup[cur];
		t = hub_timer_find(hub, TIMER_SCOPE_MAIN, true);
		label = lineup_item_label(it);
		timer_set_thresholds(t, 0, 0);
		timer_start(t, hub_now(hub), lineup_item_duration(it), label, s->name);
		free(label);
		hub->lineup_cur = cur;
		hub_reply_ok(s, m->id, 0);
		hub_lineup_broadcast(hub, s->name);
		hub_timer_broadcast(hub, t);
		return;
	}
	hub->lineup_cur = cur;
	hub_reply_ok(s, m->id, 0);
	hub_lineup_broadcast(hub, s->name);
}

/* timer.*: changes a timer and tells everybody. */
static void
hub_req_timer(struct hub_session *s, const struct proto_msg *m)
{
	struct hub *hub = s->hub;
	const char *scope;
	struct timer *t;
	int64_t now = hub_now(hub);
	int rc = 0;

	if (m->type == PT_TIMER_START)
		scope = m->u.timer_start.scope;
	else if (m->type == PT_TIMER_ADJUST)
		scope = m->u.timer_adjust.scope;
	else
		scope = m->u.timer_ref.scope;
	if (strcmp(scope, TIMER_SCOPE_MAIN) != 0 && hub_room_find(hub, scope) == NULL) {
		hub_reply_error(s, m->id, PE_NO_ROOM, NULL);
		return;
	}
	if (m->type == PT_TIMER_START && (m->u.timer_start.duration_ms <= 0 ||
	    m->u.timer_start.duration_ms > PROTO_MAX_DURATION_MS)) {
		hub_reply_error(s, m->id, PE_BAD_FIELD, N_("invalid duration"));
		return;
	}
	t = hub_timer_find(hub, scope, m->type == PT_TIMER_START);
	if (t == NULL) {
		hub_reply_error(s, m->id, PE_TIMER_STATE, NULL);
		return;
	}
	switch (m->type) {
	case PT_TIMER_START:
		timer_set_thresholds(t, m->u.timer_start.warn_ms, m->u.timer_start.danger_ms);
		timer_start(t, now, m->u.timer_start.duration_ms, m->u.timer_start.label,
		    s->name);
		break;
	case PT_TIMER_STOP:
		rc = timer_stop(t, s->name);
		break;
	case PT_TIMER_ADJUST:
		rc = timer_adjust(t, m->u.timer_adjust.delta_ms, s->name);
		break;
	case PT_TIMER_PAUSE:
		rc = timer_pause(t, now, s->name);
		break;
	case PT_TIMER_RESUME:
		rc = timer_resume(t, now, s->name);
		break;
	default:
		rc = timer_reset(t, s->name);
		break;
	}
	if (rc != 0) {
		hub_reply_error(s, m->id, PE_TIMER_STATE, NULL);
		return;
	}
	hub_reply_ok(s, m->id, 0);
	hub_timer_broadcast(hub, t);
}

/* ping: pong with the hub's times. */
static void
hub_req_ping(struct hub_session *s, const struct proto_msg *m)
{
	struct proto_msg rep;

	proto_msg_init(&rep, PT_PONG);
	rep.re = m->id;
	rep.u.pong.t0 = m->u.ping.t0;
	rep.u.pong.t1 = hub_now(s->hub);
	rep.u.pong.t2 = hub_now(s->hub);
	hub_send_msg(s, &rep);
}

/* Checks the session's state and role, then runs the handler for m. */
void
hub_req_dispatch(struct hub_session *s, struct proto_msg *m)
{
	if (!proto_type_is_request(m->type)) {
		hub_reply_error(s, m->id, PE_UNKNOWN_TYPE, NULL);
		return;
	}
	if (s->name == NULL && m->type != PT_HELLO && m->type != PT_PING) {
		hub_reply_error(s, m->id, PE_HELLO_FIRST, NULL);
		return;
	}
	if (proto_type_is_privileged(m->type) && s->role != ROLE_FACILITATOR) {
		hub_reply_error(s, m->id, PE_NOT_ALLOWED, NULL);
		return;
	}
	switch (m->type) {
	case PT_HELLO: hub_req_hello(s, m); break;
	case PT_SAY: hub_req_say(s, m); break;
	case PT_MSG: hub_req_msg(s, m); break;
	case PT_JOIN: hub_req_join(s, m); break;
	case PT_PART: hub_req_part(s, m); break;
	case PT_WHO: hub_req_who(s, m); break;
	case PT_ROOM_CREATE: hub_req_room_create(s, m); break;
	case PT_ROOM_CLOSE: hub_req_room_close(s, m); break;
	case PT_TIMER_START:
	case PT_TIMER_PAUSE:
	case PT_TIMER_RESUME:
	case PT_TIMER_RESET:
	case PT_TIMER_STOP:
	case PT_TIMER_ADJUST: hub_req_timer(s, m); break;
	case PT_ROOM_EXPIRE: hub_req_room_expire(s, m); break;
	case PT_LINEUP_ADD:
	case PT_LINEUP_REMOVE:
	case PT_LINEUP_MOVE:
	case PT_LINEUP_NEXT: hub_req_lineup(s, m); break;
	case PT_HISTORY: hub_req_history(s, m); break;
	case PT_PING: hub_req_ping(s, m); break;
	case PT_AWAY: hub_away_request(s, m); break;
	case PT_QUIT: hub_away_quit(s, m); break;
	default: hub_reply_error(s, m->id, PE_UNKNOWN_TYPE, NULL); break;
	}
}
