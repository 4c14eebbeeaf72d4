/* proto_enc.c: encoding of typed protocol v1 messages as compact JSON. */

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/msgring.h"
#include "proto/proto.h"
#include "proto/proto_int.h"
#include "util/i18n.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* ---- encoding ---- */

/* A JSON string for s; ill-formed UTF-8 is replaced by U+FFFD. NULL gives "". */
static json_t *
enc_str(const char *s)
{
	json_t *v;
	const char *p, *end;
	char *buf, *q;
	uint32_t cp;

	if (s == NULL)
		s = "";
	if ((v = json_string(s)) != NULL)
		return v;
	end = s + strlen(s);
	buf = q = xmalloc(3 * (size_t)(end - s) + 1);
	for (p = s; p < end;) {
		utf8_decode(&p, end, &cp);
		q += utf8_encode(cp, q);
	}
	*q = '\0';
	v = json_string(buf);
	free(buf);
	return v != NULL ? v : json_string("");
}

/* Sets a string member (NULL gives ""). */
static void
enc_set_str(json_t *o, const char *key, const char *s)
{
	json_object_set_new(o, key, enc_str(s));
}

/* Sets a string member only when s is not NULL. */
static void
enc_opt_str(json_t *o, const char *key, const char *s)
{
	if (s != NULL)
		json_object_set_new(o, key, enc_str(s));
}

/* Sets an integer member. */
static void
enc_set_int(json_t *o, const char *key, int64_t n)
{
	json_object_set_new(o, key, json_integer((json_int_t)n));
}

/* A JSON array of strings. */
static json_t *
enc_strings(const char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, enc_str(v[i]));
	return a;
}

/* A JSON array of room objects. */
static json_t *
enc_rooms(const struct room_info *r, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, proto_room_to_json(&r[i]));
	return a;
}

/* A room object. New reference. */
json_t *
proto_room_to_json(const struct room_info *r)
{
	json_t *o = json_object();

	enc_set_str(o, "id", r->id);
	enc_set_str(o, "title", r->title);
	enc_set_str(o, "kind", room_kind_name(r->kind));
	enc_set_int(o, "occupancy", r->occupancy);
	enc_set_int(o, "capacity", r->capacity);
	if (r->session[0] != '\0')
		enc_set_str(o, "session", r->session);
	if (r->closes_at_ms != 0)
		enc_set_int(o, "closes_at", r->closes_at_ms);
	return o;
}

/* {items, current} for a lineup. New reference. */
json_t *
proto_lineup_to_json(const struct lineup_item *items, size_t n, int64_t current)
{
	json_t *o = json_object(), *a = json_array(), *it;
	size_t i;

	for (i = 0; i < n; i++) {
		it = json_object();
		enc_set_str(it, "title", items[i].title);
		enc_set_str(it, "speaker", items[i].speaker);
		enc_set_str(it, "kind", lineup_kind_name(items[i].kind));
		if (items[i].duration_ms > 0)
			enc_set_int(it, "duration_ms", items[i].duration_ms);
		json_array_append_new(a, it);
	}
	json_object_set_new(o, "items", a);
	enc_set_int(o, "current", current);
	return o;
}

/* A timer object. New reference. */
json_t *
proto_timer_to_json(const struct timer *t)
{
	json_t *o = json_object();

	enc_set_str(o, "scope", t->scope);
	enc_set_str(o, "state", timer_state_name(t->state));
	enc_set_str(o, "label", t->label);
	enc_set_int(o, "duration_ms", t->duration_ms);
	if (t->state == TS_RUNNING)
		enc_set_int(o, "deadline", t->deadline_ms);
	if (t->state == TS_PAUSED)
		enc_set_int(o, "remaining_ms", t->remaining_ms);
	if (t->state != TS_IDLE && t->started_ms != 0)
		enc_set_int(o, "started", t->started_ms);
	enc_set_int(o, "warn_ms", t->warn_ms);
	enc_set_int(o, "danger_ms", t->danger_ms);
	enc_set_int(o, "rev", (int64_t)t->rev);
	enc_set_str(o, "by", t->by);
	return o;
}

/* The default stream of an event when the caller left it NULL. */
static char *
proto_default_stream(const struct proto_msg *m)
{
	const char *room = NULL;

	switch (m->type) {
	case PT_CHAT: room = m->u.chat.room; break;
	case PT_PRESENCE: room = m->u.presence.room; break;
	case PT_ROOM_CLOSED: room = m->u.room_closed.room; break;
	case PT_CHAT_DELETED: room = m->u.chat_deleted.room; break;
	case PT_ANNOUNCEMENT: room = m->u.announcement.room; break;
	case PT_PRIVMSG:
	case PT_MODERATION: return xstrdup("user");
	case PT_OCCUPANCY: return xstrdup("rooms");
	case PT_REPORT_EV: return xstrdup("reports");
	case PT_ROOMS: return xstrdup("rooms");
	case PT_TIMER: return xstrdup("timers");
	case PT_PROGRAM: return xstrdup("program");
	case PT_LINEUP: return xstrdup("lineup");
	default: return xstrdup("");
	}
	return xasprintf("room:%s", room != NULL ? room : "");
}

/* Adds the fields of a request. */
static void
enc_request(json_t *o, const struct proto_msg *m)
{
	json_t *since, *rooms;
	size_t i;

	switch (m->type) {
	case PT_HELLO:
		enc_set_int(o, "proto", m->u.hello.proto);
		enc_set_str(o, "name", m->u.hello.name);
		enc_opt_str(o, "token", m->u.hello.token);
		enc_opt_str(o, "resume", m->u.hello.resume);
		enc_opt_str(o, "client", m->u.hello.client);
		enc_opt_str(o, "secret", m->u.hello.secret);
		enc_opt_str(o, "invite", m->u.hello.invite);
		if (m->u.hello.since_epoch != NULL) {
			since = json_object();
			rooms = json_object();
			enc_set_str(since, "epoch", m->u.hello.since_epoch);
			for (i = 0; i < m->u.hello.nsince; i++)
				enc_set_int(rooms, m->u.hello.since[i].room, m->u.hello.since[i].seq);
			json_object_set_new(since, "rooms", rooms);
			json_object_set_new(o, "since", since);
		}
		enc_opt_str(o, "program", m->u.hello.program);
		if (m->u.hello.has_user)
			enc_set_int(o, "user", m->u.hello.user);
		break;
	case PT_SAY:
		enc_set_str(o, "room", m->u.say.room);
		enc_set_str(o, "text", m->u.say.text);
		if (m->u.say.me)
			json_object_set_new(o, "me", json_true());
		enc_opt_str(o, "cid", m->u.say.cid);
		break;
	case PT_MSG:
		enc_set_str(o, "to", m->u.msg.to);
		enc_set_str(o, "text", m->u.msg.text);
		enc_opt_str(o, "cid", m->u.msg.cid);
		break;
	case PT_JOIN:
		enc_set_str(o, "room", m->u.room.room);
		if (m->u.room.has_since)
			enc_set_int(o, "since", m->u.room.since);
		break;
	case PT_HISTORY:
		enc_set_str(o, "room", m->u.history.room);
		if (m->u.history.before > 0)
			enc_set_int(o, "before", m->u.history.before);
		if (m->u.history.limit > 0)
			enc_set_int(o, "limit", m->u.history.limit);
		break;
	case PT_PART:
	case PT_WHO:
	case PT_ROOM_CLOSE:
		enc_set_str(o, "room", m->u.room.room);
		break;
	case PT_ROOM_CREATE:
		enc_set_str(o, "room", m->u.room_create.room);
		enc_opt_str(o, "title", m->u.room_create.title);
		if (m->u.room_create.capacity != 0)
			enc_set_int(o, "capacity", m->u.room_create.capacity);
		if (m->u.room_create.minutes > 0)
			enc_set_int(o, "minutes", m->u.room_create.minutes);
		if (m->u.room_create.seconds > 0)
			enc_set_int(o, "seconds", m->u.room_create.seconds);
		break;
	case PT_ROOM_EXPIRE:
		enc_set_str(o, "room", m->u.room_expire.room);
		if (m->u.room_expire.has_seconds)
			enc_set_int(o, "seconds", m->u.room_expire.seconds);
		else
			enc_set_int(o, "minutes", m->u.room_expire.minutes);
		break;
	case PT_LINEUP_ADD:
		enc_set_str(o, "title", m->u.lineup_add.title);
		enc_opt_str(o, "speaker", m->u.lineup_add.speaker);
		enc_set_str(o, "kind", lineup_kind_name(m->u.lineup_add.kind));
		if (m->u.lineup_add.duration_ms > 0)
			enc_set_int(o, "duration_ms", m->u.lineup_add.duration_ms);
		break;
	case PT_LINEUP_REMOVE:
		enc_set_int(o, "index", m->u.lineup_index.index);
		break;
	case PT_LINEUP_MOVE:
		enc_set_int(o, "from", m->u.lineup_move.from);
		enc_set_int(o, "to", m->u.lineup_move.to);
		break;
	case PT_TIMER_START:
		enc_opt_str(o, "scope", m->u.timer_start.scope);
		enc_set_int(o, "duration_ms", m->u.timer_start.duration_ms);
		enc_opt_str(o, "label", m->u.timer_start.label);
		if (m->u.timer_start.warn_ms > 0)
			enc_set_int(o, "warn_ms", m->u.timer_start.warn_ms);
		if (m->u.timer_start.danger_ms > 0)
			enc_set_int(o, "danger_ms", m->u.timer_start.danger_ms);
		break;
	case PT_TIMER_PAUSE:
	case PT_TIMER_RESUME:
	case PT_TIMER_RESET:
	case PT_TIMER_STOP:
		enc_opt_str(o, "scope", m->u.timer_ref.scope);
		break;
	case PT_TIMER_ADJUST:
		enc_opt_str(o, "scope", m->u.timer_adjust.scope);
		enc_set_int(o, "delta_ms", m->u.timer_adjust.delta_ms);
		break;
	case PT_DELETE:
	case PT_REPORT:
		enc_set_str(o, "room", m->u.line.room);
		enc_set_int(o, "line", m->u.line.seq);
		enc_opt_str(o, "reason", m->u.line.reason);
		break;
	case PT_MUTE:
	case PT_UNMUTE:
	case PT_KICK:
	case PT_BAN:
	case PT_UNBAN:
		enc_set_str(o, "name", m->u.mod.name);
		enc_opt_str(o, "reason", m->u.mod.reason);
		if (m->u.mod.minutes > 0)
			enc_set_int(o, "minutes", m->u.mod.minutes);
		break;
	case PT_ANNOUNCE:
		enc_set_str(o, "text", m->u.announce.text);
		break;
	case PT_PING:
		enc_set_int(o, "t0", m->u.ping.t0);
		break;
	default:
		break;
	}
}

/* Sets the position members last, from, lost of p on o. */
static void
enc_pos(json_t *o, const struct proto_room_pos *p)
{
	enc_set_int(o, "last", p->last);
	enc_set_int(o, "from", p->from);
	json_object_set_new(o, "lost", json_boolean(p->lost));
}

/* Sets the members of a chat event (after its envelope). */
static void
enc_chat(json_t *o, const struct proto_chat *c)
{
	enc_set_str(o, "room", c->room);
	enc_set_str(o, "from", c->from);
	enc_set_str(o, "text", c->text);
	enc_set_int(o, "ts", c->ts);
	if (c->me)
		json_object_set_new(o, "me", json_true());
}

/* Adds the fields of a reply. */
static void
enc_reply(json_t *o, const struct proto_msg *m)
{
	const struct proto_welcome *w = &m->u.welcome;
	json_t *lim, *prog;
	size_t i;
	json_t *a;

	switch (m->type) {
	case PT_WELCOME:
		enc_set_int(o, "proto", w->proto);
		enc_set_str(o, "hub", w->hub);
		enc_set_str(o, "epoch", w->epoch);
		enc_set_str(o, "name", w->name);
		enc_set_str(o, "role", proto_role_name(w->role));
		enc_set_str(o, "resume", w->resume);
		enc_set_int(o, "now", w->now);
		lim = json_object();
		enc_set_int(lim, "frame", w->limits.frame);
		enc_set_int(lim, "text", w->limits.text);
		enc_set_int(lim, "name", w->limits.name);
		enc_set_int(lim, "history", w->limits.history);
		if (w->limits.backlog > 0)
			enc_set_int(lim, "backlog", w->limits.backlog);
		json_object_set_new(o, "limits", lim);
		enc_opt_str(o, "program_version", w->program_version);
		if (w->program != NULL && (prog = program_to_json(w->program)) != NULL)
			json_object_set_new(o, "program", prog);
		json_object_set_new(o, "rooms", enc_rooms(w->rooms, w->nrooms));
		a = json_array();
		for (i = 0; i < w->ntimers; i++)
			json_array_append_new(a, proto_timer_to_json(&w->timers[i]));
		json_object_set_new(o, "timers", a);
		json_object_set_new(o, "joined", enc_strings(w->joined, w->njoined));
		if (w->nhistory > 0) {
			a = json_object();
			for (i = 0; i < w->nhistory; i++) {
				prog = json_object();
				enc_pos(prog, &w->history[i]);
				json_object_set_new(a, w->history[i].room != NULL ?
				    w->history[i].room : "", prog);
			}
			json_object_set_new(o, "history", a);
		}
		if (w->has_lineup)
			json_object_set_new(o, "lineup", proto_lineup_to_json(w->lineup.items,
			    w->lineup.nitems, w->lineup.current));
		enc_opt_str(o, "secret", w->secret);
		enc_opt_str(o, "notice", w->notice);
		break;
	case PT_OK:
		if (m->u.ok.seq > 0)
			enc_set_int(o, "seq", m->u.ok.seq);
		if (m->u.ok.dup)
			json_object_set_new(o, "dup", json_true());
		if (m->u.ok.has_pos)
			enc_pos(o, &m->u.ok.pos);
		break;
	case PT_HISTORY_REPLY:
		enc_set_str(o, "room", m->u.history_rep.room);
		a = json_array();
		for (i = 0; i < m->u.history_rep.nevents; i++) {
			const struct proto_chat_ev *ev = &m->u.history_rep.events[i];

			prog = json_object();
			enc_set_str(prog, "type", "chat");
			enc_set_str(prog, "stream", ev->stream);
			enc_set_int(prog, "seq", (int64_t)ev->seq);
			enc_chat(prog, &ev->chat);
			json_array_append_new(a, prog);
		}
		json_object_set_new(o, "events", a);
		json_object_set_new(o, "more", json_boolean(m->u.history_rep.more));
		break;
	case PT_ERROR:
		enc_set_str(o, "code", proto_err_name(m->u.error.code));
		enc_set_str(o, "message", m->u.error.message != NULL ? m->u.error.message :
		    proto_err_message_wire(m->u.error.code));
		break;
	case PT_MEMBERS:
		enc_set_str(o, "room", m->u.members.room);
		json_object_set_new(o, "names", enc_strings(m->u.members.names,
		    m->u.members.nnames));
		break;
	case PT_PONG:
		enc_set_int(o, "t0", m->u.pong.t0);
		enc_set_int(o, "t1", m->u.pong.t1);
		enc_set_int(o, "t2", m->u.pong.t2);
		break;
	default:
		break;
	}
}

/* Adds the fields of an event. */
static void
enc_event(json_t *o, const struct proto_msg *m)
{
	json_t *prog;

	switch (m->type) {
	case PT_CHAT:
		enc_chat(o, &m->u.chat);
		break;
	case PT_PRIVMSG:
		enc_set_str(o, "from", m->u.privmsg.from);
		enc_set_str(o, "to", m->u.privmsg.to);
		enc_set_str(o, "text", m->u.privmsg.text);
		enc_set_int(o, "ts", m->u.privmsg.ts);
		break;
	case PT_PRESENCE:
		enc_set_str(o, "room", m->u.presence.room);
		enc_set_str(o, "name", m->u.presence.name);
		enc_set_str(o, "action", (unsigned)m->u.presence.action <= PRES_QUIT ?
		    proto_presence_names[m->u.presence.action] : "quit");
		break;
	case PT_ROOMS:
		json_object_set_new(o, "rooms", enc_rooms(m->u.rooms.rooms, m->u.rooms.nrooms));
		break;
	case PT_TIMER:
		enc_set_int(o, "now", m->u.timer.now);
		json_object_set_new(o, "timer", proto_timer_to_json(&m->u.timer.timer));
		break;
	case PT_ROOM_CLOSED:
		enc_set_str(o, "room", m->u.room_closed.room);
		enc_set_str(o, "by", m->u.room_closed.by);
		enc_set_str(o, "moved_to", m->u.room_closed.moved_to);
		break;
	case PT_PROGRAM:
		if (m->u.program.program != NULL &&
		    (prog = program_to_json(m->u.program.program)) != NULL)
			json_object_set_new(o, "program", prog);
		break;
	case PT_LINEUP:
		prog = proto_lineup_to_json(m->u.lineup.items, m->u.lineup.nitems,
		    m->u.lineup.current);
		json_object_update(o, prog);
		json_decref(prog);
		enc_opt_str(o, "by", m->u.lineup.by);
		break;
	case PT_OCCUPANCY:
		prog = json_object();
		for (size_t i = 0; i < m->u.occupancy.nrooms; i++)
			enc_set_int(prog, m->u.occupancy.rooms[i].room,
			    m->u.occupancy.rooms[i].occupancy);
		json_object_set_new(o, "rooms", prog);
		break;
	case PT_CHAT_DELETED:
		enc_set_str(o, "room", m->u.chat_deleted.room);
		enc_set_int(o, "line", m->u.chat_deleted.seq);
		enc_opt_str(o, "by", m->u.chat_deleted.by);
		break;
	case PT_ANNOUNCEMENT:
		enc_set_str(o, "room", m->u.announcement.room);
		enc_set_str(o, "from", m->u.announcement.from);
		enc_set_str(o, "text", m->u.announcement.text);
		enc_set_str(o, "aid", m->u.announcement.aid);
		enc_set_int(o, "ts", m->u.announcement.ts);
		break;
	case PT_REPORT_EV:
		enc_set_str(o, "by", m->u.report.by);
		enc_set_str(o, "room", m->u.report.room);
		enc_set_int(o, "line", m->u.report.seq);
		enc_opt_str(o, "from", m->u.report.from);
		enc_opt_str(o, "text", m->u.report.text);
		enc_set_str(o, "reason", m->u.report.reason);
		enc_set_int(o, "ts", m->u.report.ts);
		break;
	case PT_MODERATION:
		enc_set_str(o, "action", m->u.moderation.action);
		enc_opt_str(o, "by", m->u.moderation.by);
		enc_opt_str(o, "reason", m->u.moderation.reason);
		if (m->u.moderation.until > 0)
			enc_set_int(o, "until", m->u.moderation.until);
		break;
	default:
		break;
	}
}

/* The message as a new JSON object. */
json_t *
proto_to_json(const struct proto_msg *m)
{
	json_t *o = json_object();
	char *stream;

	enc_set_str(o, "type", proto_type_name(m->type));
	if (proto_type_is_request(m->type)) {
		if (m->id != 0)
			enc_set_int(o, "id", m->id);
		enc_request(o, m);
	} else if (proto_type_is_reply(m->type)) {
		enc_set_int(o, "re", m->re);
		enc_reply(o, m);
	} else if (proto_type_is_event(m->type)) {
		if (m->stream != NULL)
			enc_set_str(o, "stream", m->stream);
		else {
			stream = proto_default_stream(m);
			enc_set_str(o, "stream", stream);
			free(stream);
		}
		enc_set_int(o, "seq", (int64_t)m->seq);
		enc_event(o, m);
	}
	return o;
}

/* The message as a new compact JSON string: jansson's own (malloc'd) buffer, not a copy. */
char *
proto_encode(const struct proto_msg *m)
{
	json_t *o = proto_to_json(m);
	char *s;

	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (s == NULL)
		return xstrdup("{}");
	return s;
}

/* json_dump_callback() sink: appends to the frame being built. */
static int
enc_msg_write(const char *buffer, size_t size, void *data)
{
	struct msg **frame = data;

	*frame = msg_append(*frame, buffer, size);
	return 0;
}

/* The message as a new frame with pre bytes of headroom, serialised straight into it. */
struct msg *
proto_encode_msg(const struct proto_msg *m, size_t pre)
{
	json_t *o = proto_to_json(m);
	struct msg *frame;

	frame = msg_new_empty(pre, 256);
	if (json_dump_callback(o, enc_msg_write, &frame, JSON_COMPACT) != 0) {
		frame->len = 0;
		frame = msg_append(frame, "{}", 2);
	}
	json_decref(o);
	return frame;
}

/* Writes a "history" reply into frame, which has room for it (enc_history_size). */
static void
enc_history_write(struct msg *frame, int64_t re, const char *rs, const char *const *events,
    const size_t *lens, size_t n, bool more)
{
	char *out = msg_payload(frame), *p = out;
	size_t i;
	int w;

	w = snprintf(p, frame->cap + 1, "{\"type\":\"history\",\"re\":%lld,\"room\":%s,\"events\":[",
	    (long long)re, rs);
	p += w;
	for (i = 0; i < n; i++) {
		if (i > 0)
			*p++ = ',';
		memcpy(p, events[i], lens[i]);
		p += lens[i];
	}
	w = snprintf(p, frame->cap + 1 - (size_t)(p - out), "],\"more\":%s}",
	    more ? "true" : "false");
	p += w;
	frame->len = (size_t)(p - out);
}

/* A "history" reply as a new frame with pre bytes of headroom (see proto.h). */
struct msg *
proto_encode_history_msg(size_t pre, int64_t re, const char *room,
    const char *const *events, const size_t *lens, size_t n, bool more)
{
	json_t *r = enc_str(room);
	struct msg *frame;
	char *rs;
	size_t i, total;

	rs = json_dumps(r, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(r);
	if (rs == NULL)
		rs = xstrdup("\"\"");
	total = 96 + strlen(rs) + 32 + n;
	for (i = 0; i < n; i++)
		total += lens[i];
	frame = msg_new_empty(pre, total);
	enc_history_write(frame, re, rs, events, lens, n, more);
	free(rs);
	return frame;
}

/* A "history" reply with events spliced in already encoded, as a new string. */
char *
proto_encode_history(int64_t re, const char *room, const char *const *events,
    const size_t *lens, size_t n, bool more)
{
	struct msg *frame;
	char *out;

	frame = proto_encode_history_msg(0, re, room, events, lens, n, more);
	out = xstrdup(msg_payload(frame));
	msg_unref(frame);
	return out;
}
