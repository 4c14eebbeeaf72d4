/* hub_req.c: the hub's request handlers for chat, rooms, timers and the lineup, and the
 * dispatch of every request. A handler checks the request against the view, writes the
 * change to the store and answers when the write completes; the view changes when the
 * store reports the change (hub_view.c). Requests that change nothing stored (join, part,
 * who, history, ping) are answered at once. Hello is in hub_hello.c, moderation in
 * hub_mod.c. */
#include <stdlib.h>
#include <string.h>

#include "hub/hub_int.h"
#include "hub/hub_part.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/xalloc.h"

/* The room named by a request, or NULL after replying no-such-room. */
struct hub_room *
hub_req_room(struct hub_session *s, const struct proto_msg *m, const char *id)
{
	struct hub_room *r = hub_room_find(s->hub, id);

	if (r == NULL)
		hub_reply_error(s, m->id, PE_NO_ROOM, NULL);
	return r;
}

/* A JSON value as a new compact string (takes the reference). */
static char *
hub_req_dump(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT);

	json_decref(o);
	return s != NULL ? s : xstrdup("{}");
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

/* True (after replying muted) when s may not speak now. */
bool
hub_req_muted(struct hub_session *s, int64_t re)
{
	if (s->ident == NULL || s->ident->muted_until <= hub_now(s->hub))
		return false;
	hub_reply_error(s, re, PE_MUTED, NULL);
	return true;
}

/* Completion of a say: ok with the line's seq. */
static void
hub_req_say_done(struct hub *hub, struct hub_session *s, int64_t re, enum store_result result,
    uint64_t seq, void *data)
{
	(void)hub;
	(void)data;
	if (s == NULL)
		return;
	if (result != STORE_OK)
		hub_reply_store_failed(s, re);
	else
		hub_reply_ok(s, re, (int64_t)seq);
}

/* say: a chat line into a room s is in; a cid already seen is not delivered again. */
static void
hub_req_say(struct hub_session *s, const struct proto_msg *m)
{
	struct hub_room *r;
	struct proto_msg ev;
	int64_t dup;

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
	if (hub_req_muted(s, m->id))
		return;
	proto_msg_init(&ev, PT_CHAT);
	ev.u.chat.room = r->info.id;
	ev.u.chat.from = s->name;
	ev.u.chat.text = m->u.say.text;
	ev.u.chat.me = m->u.say.me;
	ev.u.chat.ts = hub_now(s->hub);
	hub_write_event(s->hub, r->stream, &ev, m->u.say.cid, s, m->id, hub_req_say_done, NULL);
}

/* msg: a private message to a held name, live or not (the sender gets a copy). */
static void
hub_req_msg(struct hub_session *s, const struct proto_msg *m)
{
	struct hub *hub = s->hub;
	struct hub_ident *to = NULL;
	struct proto_msg ev;
	const char *why, *away;
	char *key;

	if (m->u.msg.cid != NULL && hub_cids_find(hub->cids, m->u.msg.cid, NULL)) {
		hub_req_dup(s, m->id, 0);
		return;
	}
	if (hub_name_check(m->u.msg.to, &why) == PE_NONE) {
		key = hub_name_key(m->u.msg.to);
		to = hub_view_ident(hub, key);
		free(key);
	}
	if (to == NULL) {
		hub_reply_error(s, m->id, PE_NO_USER, NULL);
		return;
	}
	if (hub_req_muted(s, m->id))
		return;
	proto_msg_init(&ev, PT_PRIVMSG);
	ev.u.privmsg.from = s->name;
	ev.u.privmsg.to = to->name;
	ev.u.privmsg.text = m->u.msg.text;
	ev.u.privmsg.ts = hub_now(hub);
	/* (the ok says when the recipient is away: hub_away.c) */
	away = to->live != NULL ? hub_away_of(to->live) : NULL;
	hub_write_event(hub, to->stream, &ev, m->u.msg.cid, s, m->id,
	    away != NULL ? hub_away_msg_reply : hub_write_reply,
	    away != NULL ? xstrdup(away) : NULL);
	if (to != s->ident && s->ident != NULL)
		hub_write_event(hub, s->ident->stream, &ev, NULL, NULL, 0, NULL, NULL);
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
	hub_part_room_entered(s, r);
}

/* history: older events of a room s is in, read from the room's ring and spliced into
 * the reply as they were encoded (removed lines are left out). */
static void
hub_req_history(struct hub_session *s, const struct proto_msg *m)
{
	const struct proto_history_req *h = &m->u.history;
	const char *texts[PROTO_HISTORY_LIMIT];
	size_t lens[PROTO_HISTORY_LIMIT], n = 0;
	struct hub_room *r;
	struct msg *frame;
	uint64_t oldest, end, start, seq;
	size_t i;

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
	/* newest first, up to the limit of lines still there (removed ones are skipped, so a
	 * page is never empty while older lines exist), then put oldest first */
	for (seq = end; seq > oldest && n < (size_t)h->limit && n < PROTO_HISTORY_LIMIT;
	    seq--) {
		if ((frame = msgring_get(r->ring, seq - 1)) == NULL || frame->len == 0)
			continue;
		texts[n] = msg_payload(frame);
		lens[n++] = frame->len;
	}
	start = seq;
	for (i = 0; i < n / 2; i++) {
		const char *t = texts[i];
		size_t l = lens[i];

		texts[i] = texts[n - 1 - i];
		lens[i] = lens[n - 1 - i];
		texts[n - 1 - i] = t;
		lens[n - 1 - i] = l;
	}
	/* more: lines older than this page may be there */
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
	hub_queue_parted(s, r);
	hub_reply_ok(s, m->id, 0);
}

/* who: the members of a room on every hub, sorted, with the away messages of those
 * away (hub_pres.c). */
static void
hub_req_who(struct hub_session *s, const struct proto_msg *m)
{
	struct hub_room *r;
	struct proto_msg rep;
	const char **names, **away;
	size_t n;

	if ((r = hub_req_room(s, m, m->u.room.room)) == NULL)
		return;
	n = hub_pres_who(s->hub, r, &names, &away);
	proto_msg_init(&rep, PT_MEMBERS);
	rep.re = m->id;
	rep.u.members.room = r->info.id;
	rep.u.members.names = names;
	rep.u.members.nnames = n;
	rep.u.members.away = away;
	hub_send_msg(s, &rep);
	free(names);
	free(away);
}

/* The value of a room as stored (its count left out: that is not state). */
static char *
hub_req_room_value(const struct room_info *info)
{
	struct room_info c = *info;

	c.occupancy = 0;
	return hub_req_dump(proto_room_to_json(&c));
}

/* The room id's description as the next write should see it: 1 and *info when it exists
 * (pending or in the view), 0 when it does not. */
int
hub_req_room_current(const struct hub *hub, const char *id, struct room_info *info)
{
	const struct hub_pending *p;
	const struct hub_room *r;
	char key[ROOM_ID_MAX + 8], detail[160];
	json_t *o;
	int rc = 0;

	snprintf(key, sizeof key, "room/%s", id);
	if ((p = hub_write_pending(hub, key)) != NULL) {
		if (p->value == NULL || (o = json_loads(p->value, 0, NULL)) == NULL)
			return 0;
		if (!json_is_true(json_object_get(o, "closed")) &&
		    proto_room_from_json(o, info, detail, sizeof detail) == 0)
			rc = 1;
		json_decref(o);
		return rc;
	}
	if ((r = hub_room_find(hub, id)) == NULL)
		return 0;
	*info = r->info;
	return 1;
}

/* Writes room info (a new or changed room). */
void
hub_req_room_write(struct hub *hub, const struct room_info *info, struct hub_session *s,
    int64_t re, hub_write_fn fn, void *data)
{
	char key[ROOM_ID_MAX + 8], *value;

	snprintf(key, sizeof key, "room/%s", info->id);
	value = hub_req_room_value(info);
	hub_write_value(hub, key, value, false, s, re, fn, data);
	free(value);
}

/* room.create: a new breakout room. */
static void
hub_req_room_create(struct hub_session *s, const struct proto_msg *m)
{
	const struct proto_room_create *c = &m->u.room_create;
	struct hub *hub = s->hub;
	struct room_info info;

	if (!room_id_valid(c->room) || strcmp(c->room, TIMER_SCOPE_MAIN) == 0) {
		hub_reply_error(s, m->id, PE_BAD_FIELD, N_("invalid room id"));
		return;
	}
	if (hub_req_room_current(hub, c->room, &info)) {
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
	memset(&info, 0, sizeof info);
	strlcpy_cf(info.id, c->room, sizeof info.id);
	strlcpy_cf(info.title, c->title != NULL && *c->title != '\0' ? c->title : c->room,
	    sizeof info.title);
	info.kind = RK_BREAKOUT;
	info.capacity = (unsigned)c->capacity;
	if (c->seconds > 0)
		info.closes_at_ms = hub_now(hub) + c->seconds * 1000;
	else if (c->minutes > 0)
		info.closes_at_ms = hub_now(hub) + c->minutes * 60000;
	log_info("hub: %s created room %s", s->name, c->room);
	hub_req_room_write(hub, &info, s, m->id, hub_write_reply, NULL);
}

/* Completion of a room close: the answer; when it failed, the room may close again. */
static void
hub_req_close_done(struct hub *hub, struct hub_session *s, int64_t re,
    enum store_result result, uint64_t seq, void *data)
{
	struct hub_room *r;

	if (result != STORE_OK && (r = hub_room_find(hub, data)) != NULL)
		r->closing = false;
	free(data);
	hub_write_reply(hub, s, re, result, seq, NULL);
}

/* Closes room r through the store. */
void
hub_req_close_room(struct hub *hub, struct hub_room *r, const char *by,
    struct hub_session *s, int64_t re)
{
	struct proto_msg ev;
	char key[ROOM_ID_MAX + 8], *value;
	json_t *o;

	r->closing = true;
	proto_msg_init(&ev, PT_ROOM_CLOSED);
	ev.u.room_closed.room = r->info.id;
	ev.u.room_closed.by = by;
	ev.u.room_closed.moved_to = ROOM_LOBBY;
	hub_write_event(hub, r->stream, &ev, NULL, NULL, 0, NULL, NULL);
	o = json_pack("{s:b,s:s}", "closed", 1, "id", r->info.id);
	value = hub_req_dump(o);
	snprintf(key, sizeof key, "room/%s", r->info.id);
	hub_write_value(hub, key, value, false, s, re, hub_req_close_done,
	    xstrdup(r->info.id));
	free(value);
	if (hub_timer_find(hub, r->info.id, false) != NULL) {
		snprintf(key, sizeof key, "timer/%s", r->info.id);
		hub_write_value(hub, key, NULL, false, NULL, 0, NULL, NULL);
	}
	if (hub_part_queue(hub, r->info.id) != NULL) {
		snprintf(key, sizeof key, "queue/%s", r->info.id);
		hub_write_value(hub, key, NULL, false, NULL, 0, NULL, NULL);
	}
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
	hub_req_close_room(s->hub, r, s->name, s, m->id);
}

/* room.expire: sets, changes or removes the end of a room. */
static void
hub_req_room_expire(struct hub_session *s, const struct proto_msg *m)
{
	const struct proto_room_expire *e = &m->u.room_expire;
	struct room_info info;
	int64_t ms;

	if (!hub_req_room_current(s->hub, e->room, &info)) {
		hub_reply_error(s, m->id, PE_NO_ROOM, NULL);
		return;
	}
	if (info.kind == RK_LOBBY) {
		hub_reply_error(s, m->id, PE_LOBBY, NULL);
		return;
	}
	ms = e->has_seconds ? e->seconds * 1000 : e->minutes * 60000;
	info.closes_at_ms = ms > 0 ? hub_now(s->hub) + ms : 0;
	log_info("hub: %s set the end of room %s in %lld ms", s->name, info.id, (long long)ms);
	hub_req_room_write(s->hub, &info, s, m->id, hub_write_reply, NULL);
}

/* The timer of scope as the next write should see it (idle when there is none). */
static void
hub_req_timer_current(struct hub *hub, const char *scope, struct timer *t)
{
	const struct hub_pending *p;
	const struct timer *cur;
	char key[ROOM_ID_MAX + 8], detail[160];
	json_t *o;

	snprintf(key, sizeof key, "timer/%s", scope);
	if ((p = hub_write_pending(hub, key)) != NULL) {
		if (p->value != NULL && (o = json_loads(p->value, 0, NULL)) != NULL) {
			int rc = proto_timer_from_json(o, t, detail, sizeof detail);

			json_decref(o);
			if (rc == 0)
				return;
		}
		timer_init(t, scope);
		return;
	}
	if ((cur = hub_timer_find(hub, scope, false)) != NULL)
		*t = *cur;
	else
		timer_init(t, scope);
}

/* Writes timer t. */
static void
hub_req_timer_write(struct hub *hub, const struct timer *t, struct hub_session *s, int64_t re)
{
	char key[ROOM_ID_MAX + 8], *value;

	snprintf(key, sizeof key, "timer/%s", t->scope);
	value = hub_req_dump(proto_timer_to_json(t));
	hub_write_value(hub, key, value, false, s, re, s != NULL ? hub_write_reply : NULL, NULL);
	free(value);
}

/* The lineup as the next write should see it, into items (LINEUP_MAX slots). */
static void
hub_req_lineup_current(struct hub *hub, struct lineup_item *items, size_t *n, int64_t *cur)
{
	const struct hub_pending *p = hub_write_pending(hub, "lineup");
	struct proto_lineup l;
	char detail[160];
	json_t *o;

	if (p != NULL && p->value != NULL && (o = json_loads(p->value, 0, NULL)) != NULL) {
		if (proto_lineup_from_json(o, &l, detail, sizeof detail) == 0 &&
		    l.nitems <= LINEUP_MAX) {
			*n = l.nitems;
			if (*n > 0)
				memcpy(items, l.items, *n * sizeof *items);
			*cur = l.current;
			free(l.items);
			json_decref(o);
			return;
		}
		free(l.items);
		json_decref(o);
	}
	*n = hub->nlineup;
	if (*n > 0)
		memcpy(items, hub->lineup, *n * sizeof *items);
	*cur = hub->lineup_cur;
}

/* Appends it to the lineup; -1 when the lineup is full. */
int
hub_req_lineup_append(struct hub *hub, const struct lineup_item *it, const char *by,
    int64_t *index)
{
	struct lineup_item *items = xcalloc(LINEUP_MAX, sizeof *items);
	size_t n;
	int64_t cur;
	char *value;
	json_t *o;

	hub_req_lineup_current(hub, items, &n, &cur);
	if (n >= LINEUP_MAX) {
		free(items);
		return -1;
	}
	items[n] = *it;
	*index = (int64_t)n++;
	o = proto_lineup_to_json(items, n, cur);
	json_object_set_new(o, "by", json_string(by));
	value = hub_req_dump(o);
	hub_write_value(hub, "lineup", value, false, NULL, 0, NULL, NULL);
	free(value);
	free(items);
	return 0;
}

/* lineup.*: edits the main-stage lineup or moves to its next item. */
static void
hub_req_lineup(struct hub_session *s, const struct proto_msg *m)
{
	struct hub *hub = s->hub;
	const struct proto_lineup_add *a = &m->u.lineup_add;
	struct lineup_item *items, *it;
	struct timer t;
	bool start = false;
	size_t n;
	int64_t from, to, cur;
	char *label, *value;
	json_t *o;

	items = xcalloc(LINEUP_MAX, sizeof *items);
	hub_req_lineup_current(hub, items, &n, &cur);
	switch (m->type) {
	case PT_LINEUP_ADD:
		if (n >= LINEUP_MAX) {
			hub_reply_error(s, m->id, PE_RATE, N_("the lineup is full"));
			goto out;
		}
		it = &items[n++];
		lineup_item_set(it, a->title, a->speaker, a->kind);
		it->duration_ms = a->duration_ms;
		break;
	case PT_LINEUP_REMOVE:
		from = m->u.lineup_index.index;
		if (from < 0 || (size_t)from >= n) {
			hub_reply_error(s, m->id, PE_BAD_FIELD, N_("no such item"));
			goto out;
		}
		memmove(&items[from], &items[from + 1], (n - (size_t)from - 1) * sizeof *items);
		n--;
		if (from < cur)
			cur--;
		else if (from == cur)
			cur = -1;
		break;
	case PT_LINEUP_MOVE:
		from = m->u.lineup_move.from;
		to = m->u.lineup_move.to;
		if (from < 0 || to < 0 || (size_t)from >= n || (size_t)to >= n) {
			hub_reply_error(s, m->id, PE_BAD_FIELD, N_("no such item"));
			goto out;
		}
		lineup_move(items, n, (size_t)from, (size_t)to);
		if (cur == from)
			cur = to;
		else if (from < cur && to >= cur)
			cur--;
		else if (from > cur && to <= cur && cur >= 0)
			cur++;
		break;
	default:
		if (cur + 1 >= (int64_t)n) {
			hub_reply_error(s, m->id, PE_LINEUP_END, NULL);
			goto out;
		}
		cur++;
		it = &items[cur];
		hub_req_timer_current(hub, TIMER_SCOPE_MAIN, &t);
		label = lineup_item_label(it);
		timer_set_thresholds(&t, 0, 0);
		timer_start(&t, hub_now(hub), lineup_item_duration(it), label, s->name);
		free(label);
		start = true;
		break;
	}
	o = proto_lineup_to_json(items, n, cur);
	json_object_set_new(o, "by", json_string(s->name));
	value = hub_req_dump(o);
	hub_write_value(hub, "lineup", value, false, s, m->id, hub_write_reply, NULL);
	free(value);
	if (start)     /* after the lineup: its item first, then its timer */
		hub_req_timer_write(hub, &t, NULL, 0);
out:
	free(items);
}

/* timer.*: changes a timer (the store tells everybody). */
static void
hub_req_timer(struct hub_session *s, const struct proto_msg *m)
{
	struct hub *hub = s->hub;
	const char *scope;
	struct timer t;
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
	hub_req_timer_current(hub, scope, &t);
	switch (m->type) {
	case PT_TIMER_START:
		timer_set_thresholds(&t, m->u.timer_start.warn_ms, m->u.timer_start.danger_ms);
		timer_start(&t, now, m->u.timer_start.duration_ms, m->u.timer_start.label,
		    s->name);
		break;
	case PT_TIMER_STOP:
		rc = timer_stop(&t, s->name);
		break;
	case PT_TIMER_ADJUST:
		rc = timer_adjust(&t, m->u.timer_adjust.delta_ms, s->name);
		break;
	case PT_TIMER_PAUSE:
		rc = timer_pause(&t, now, s->name);
		break;
	case PT_TIMER_RESUME:
		rc = timer_resume(&t, now, s->name);
		break;
	default:
		rc = timer_reset(&t, s->name);
		break;
	}
	if (rc != 0) {
		hub_reply_error(s, m->id, PE_TIMER_STATE, NULL);
		return;
	}
	hub_req_timer_write(hub, &t, s, m->id);
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

/* The rate limit a request type counts against. */
static enum hub_limit_kind
hub_req_limit_kind(enum proto_type t)
{
	switch (t) {
	case PT_SAY: return HL_SAY;
	case PT_MSG: return HL_MSG;
	case PT_JOIN:
	case PT_PART: return HL_JOIN;
	case PT_HISTORY: return HL_HISTORY;
	default: return HL_OTHER;
	}
}

/* True (after replying rate-limited) when the attendee of s went over a participation
 * limit with m; those requests are limited per attendee, not per connection. */
static bool
hub_req_part_limited(struct hub_session *s, const struct proto_msg *m)
{
	enum hub_part_limit k;

	switch (m->type) {
	case PT_PROPOSE:
	case PT_SIGNUP: k = HPL_PROPOSE; break;
	case PT_ASK: k = HPL_ASK; break;
	case PT_HAND: k = HPL_HAND; break;
	case PT_VOTE:
	case PT_UNVOTE: k = HPL_VOTE; break;
	default: return false;
	}
	if (hub_limit_take_attendee(s, k))
		return false;
	hub_reply_error(s, m->id, PE_RATE, NULL);
	return true;
}

/* True for the participation requests limited per attendee. */
static bool
hub_req_is_part(enum proto_type t)
{
	return t == PT_PROPOSE || t == PT_SIGNUP || t == PT_ASK || t == PT_HAND ||
	    t == PT_VOTE || t == PT_UNVOTE;
}

/* Checks the session's state, role and rate, then runs the handler for m. */
void
hub_req_dispatch(struct hub_session *s, struct proto_msg *m)
{
	if (s->close_when_drained)
		return;              /* kicked: nothing more from it */
	if (!proto_type_is_request(m->type)) {
		hub_reply_error(s, m->id, PE_UNKNOWN_TYPE, NULL);
		return;
	}
	if (s->name == NULL && m->type != PT_HELLO && m->type != PT_PING) {
		hub_reply_error(s, m->id, s->hello_pending ? PE_ALREADY : PE_HELLO_FIRST, NULL);
		return;
	}
	if (proto_type_is_privileged(m->type) && s->role != ROLE_FACILITATOR) {
		hub_reply_error(s, m->id, PE_NOT_ALLOWED, NULL);
		return;
	}
	if (hub_req_is_part(m->type)) {
		if (hub_req_part_limited(s, m))
			return;
	} else if (m->type != PT_PING && m->type != PT_HELLO &&
	    !hub_limit_take(s, hub_req_limit_kind(m->type))) {
		hub_reply_error(s, m->id, PE_RATE, NULL);
		return;
	}
	switch (m->type) {
	case PT_HELLO: hub_hello_request(s, m); break;
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
	case PT_DELETE:
	case PT_MUTE:
	case PT_UNMUTE:
	case PT_KICK:
	case PT_BAN:
	case PT_UNBAN:
	case PT_ANNOUNCE:
	case PT_REPORT:
	case PT_REPORTS: hub_mod_request(s, m); break;
	case PT_HAND:
	case PT_QUEUE_NEXT:
	case PT_QUEUE_CLEAR: hub_queue_request(s, m); break;
	case PT_SESSION_CHANGE: hub_program_request(s, m); break;
	case PT_PING: hub_req_ping(s, m); break;
	case PT_AWAY: hub_away_request(s, m); break;
	case PT_QUIT: hub_away_quit(s, m); break;
	default:
		if (proto_type_is_request(m->type))
			hub_part_request(s, m);
		else
			hub_reply_error(s, m->id, PE_UNKNOWN_TYPE, NULL);
		break;
	}
}
