/* hub_view.c: the hub's view of the store: the changes the store reports (hub/store.h)
 * applied to rooms, timers, the lineup, names and the recent events of every stream, and
 * sent to the sessions they concern.
 *
 * Keys: "room/<id>" (a room's description, or {"closed":true}), "timer/<scope>",
 * "lineup", "name/<key>" (a held name), "mute/<key>", "ban/<key>", "banaddr/<address>",
 * and participation's (hub_part.h: "item/", "vote/", "qa/", "queue/").
 * Streams: "room:<id>" (chat and room events), "user:<key>" (a name's private events,
 * sent on the wire as stream "user"), "reports" (reports to facilitators), "part"
 * (participation, hub_part_view.c).
 * Every change is applied the same way whether it comes from this hub's own requests, from
 * loading the store at start-up, or (with a shared store) from another hub; applying the
 * same value twice changes nothing. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub_int.h"
#include "util/log.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* The last seq of stream in the view (0: none). */
uint64_t
hub_view_head(const struct hub *hub, const char *stream)
{
	const uint64_t *h = strmap_get(hub->heads, stream);

	return h != NULL ? *h : 0;
}

/* Raises the last seq of stream to seq. */
static void
hub_view_set_head(struct hub *hub, const char *stream, uint64_t seq)
{
	uint64_t *h = strmap_get(hub->heads, stream);

	if (h == NULL) {
		h = xmalloc(sizeof *h);
		*h = 0;
		strmap_put(hub->heads, stream, h);
	}
	if (seq > *h)
		*h = seq;
}

/* The identity with this key, or NULL. */
struct hub_ident *
hub_view_ident(const struct hub *hub, const char *key)
{
	return strmap_get(hub->idents, key);
}

/* The encoded event data of m: a compact JSON object without "stream" and "seq". */
char *
hub_event_data(const struct proto_msg *m, size_t *len)
{
	json_t *o = proto_to_json(m);
	char *s;

	json_object_del(o, "stream");
	json_object_del(o, "seq");
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (s == NULL)
		s = xstrdup("{}");
	*len = strlen(s);
	return s;
}

/* A wire frame: {"stream":stream,"seq":seq, then the members of data. The stream names
 * of the wire ("room:<id>", "user", "reports") need no escaping. */
struct msg *
hub_event_frame(const struct hub *hub, const char *stream, uint64_t seq, const char *data,
    size_t len)
{
	struct msg *frame;
	char head[96];
	int n;

	n = snprintf(head, sizeof head, "{\"stream\":\"%s\",\"seq\":%" PRIu64 "%s", stream, seq,
	    len > 2 ? "," : "}");
	if (n < 0 || (size_t)n >= sizeof head)
		n = 0;
	frame = msg_new_empty(hub->pre, (size_t)n + len);
	frame = msg_append(frame, head, (size_t)n);
	if (len > 2)
		frame = msg_append(frame, data + 1, len - 1);
	return frame;
}

/* Adds a room to the view (id valid and new); its stream continues after its last seq. */
static struct hub_room *
hub_view_room_add(struct hub *hub, const struct room_info *info)
{
	struct hub_room *r;

	r = xcalloc(1, sizeof *r);
	r->info = *info;
	r->info.occupancy = 0;
	room_title_copy(r->info.title, info->title[0] != '\0' ? info->title : info->id);
	snprintf(r->stream, sizeof r->stream, "room:%s", info->id);
	r->ring = msgring_create_at(PROTO_HISTORY, hub_view_head(hub, r->stream) + 1);
	if (hub->nrooms == hub->rooms_cap) {
		hub->rooms_cap = hub->rooms_cap ? hub->rooms_cap * 2 : 16;
		hub->rooms = xreallocarray(hub->rooms, hub->rooms_cap, sizeof *hub->rooms);
	}
	hub->rooms[hub->nrooms++] = r;
	strmap_put(hub->room_index, r->info.id, r);
	hub_rooms_changed(hub);
	return r;
}

/* Drops the timer of a room scope, if any, telling everyone it is over. */
static void
hub_view_timer_drop(struct hub *hub, const char *scope, const char *by)
{
	struct timer gone;
	size_t i;

	for (i = 1; i < hub->ntimers; i++) {
		if (strcmp(hub->timers[i].scope, scope) != 0)
			continue;
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

/* Removes room r from the view: its members get what they have not been sent of it
 * (its "room.closed" included) and leave it; its timer goes. */
static void
hub_view_room_remove(struct hub *hub, struct hub_room *room)
{
	struct hub_session *s;
	struct hub_join *j;
	size_t i;

	for (s = hub->sessions; s != NULL; s = s->next) {
		if ((j = hub_session_join_find(s, room)) == NULL)
			continue;
		hub_session_drain_room(s, j, room);
		hub_pres_note(s, room, false, HUB_PRES_SILENT);
		hub_session_join_remove(s, (size_t)(j - s->joins));
	}
	hub_view_timer_drop(hub, room->info.id, "");
	if (room->local > 0) {
		room->local = 0;
		store_count(hub->store, room->stream, 0);
	}
	for (i = 0; i < hub->nrooms; i++) {
		if (hub->rooms[i] == room) {
			memmove(&hub->rooms[i], &hub->rooms[i + 1],
			    (hub->nrooms - i - 1) * sizeof *hub->rooms);
			hub->nrooms--;
			break;
		}
	}
	strmap_del(hub->room_index, room->info.id);
	msgring_free(room->ring);
	free(room);
	hub_rooms_changed(hub);
}

/* Builds the lobby and one room per discussion session of the program. */
void
hub_view_rooms_from_program(struct hub *hub)
{
	struct room_info info;
	size_t i;

	/* Wire text is English whatever the hub's locale; clients translate by kind. */
	memset(&info, 0, sizeof info);
	strlcpy_cf(info.id, ROOM_LOBBY, sizeof info.id);
	strlcpy_cf(info.title, "Lobby", sizeof info.title);
	info.kind = RK_LOBBY;
	hub_view_room_add(hub, &info);
	for (i = 0; i < hub->program->nsessions; i++)
		hub_view_session_room(hub, &hub->program->sessions[i]);
}

/* Adds the chat room of program session ps when it is a discussion without one. */
void
hub_view_session_room(struct hub *hub, const struct session *ps)
{
	struct room_info info;
	const char *id;

	if (ps->kind != SK_DISCUSSION)
		return;
	id = ps->room != NULL ? ps->room : ps->id;
	if (!room_id_valid(id) || strcmp(id, TIMER_SCOPE_MAIN) == 0) {
		log_warn("hub: session %s: unusable room id \"%s\"", ps->id, id);
		return;
	}
	if (hub_room_find(hub, id) != NULL)
		return;
	memset(&info, 0, sizeof info);
	strlcpy_cf(info.id, id, sizeof info.id);
	room_title_copy(info.title, ps->title);
	info.kind = RK_DISCUSSION;
	strlcpy_cf(info.session, ps->id, sizeof info.session);
	hub_view_room_add(hub, &info);
}

/* Parses a JSON value; NULL (logged) when it is not an object. */
static json_t *
hub_view_parse(const char *key, const char *value)
{
	json_error_t jerr;
	json_t *o = json_loads(value, 0, &jerr);

	if (o == NULL || !json_is_object(o)) {
		log_warn("hub: store value %s is not a JSON object: ignored", key);
		json_decref(o);
		return NULL;
	}
	return o;
}

/* "room/<id>": a room's description, or the mark of a closed room. */
static void
hub_view_room_value(struct hub *hub, const char *id, const char *value)
{
	struct hub_room *r = hub_room_find(hub, id);
	struct room_info info;
	char detail[160];
	json_t *o;

	if (value == NULL || (o = hub_view_parse(id, value)) == NULL)
		return;
	if (json_is_true(json_object_get(o, "closed"))) {
		json_decref(o);
		if (r != NULL && r->info.kind != RK_LOBBY)
			hub_view_room_remove(hub, r);
		return;
	}
	if (proto_room_from_json(o, &info, detail, sizeof detail) != 0 ||
	    strcmp(info.id, id) != 0 || info.kind == RK_LOBBY) {
		log_warn("hub: store value room/%s: %s: ignored", id, detail);
		json_decref(o);
		return;
	}
	json_decref(o);
	if (r == NULL) {
		hub_view_room_add(hub, &info);
		return;
	}
	if (strcmp(r->info.title, info.title) != 0 || r->info.capacity != info.capacity ||
	    r->info.closes_at_ms != info.closes_at_ms || r->info.kind != info.kind) {
		room_title_copy(r->info.title, info.title);
		r->info.capacity = info.capacity;
		r->info.closes_at_ms = info.closes_at_ms;
		r->info.kind = info.kind;
		hub_rooms_changed(hub);
	}
}

/* "timer/<scope>": a timer's state, or NULL: no timer (idle). */
static void
hub_view_timer_value(struct hub *hub, const char *scope, const char *value)
{
	struct timer t, *cur;
	char detail[160];
	json_t *o;

	if (value == NULL) {
		if (strcmp(scope, TIMER_SCOPE_MAIN) != 0)
			hub_view_timer_drop(hub, scope, "");
		else if ((cur = hub_timer_find(hub, scope, false)) != NULL &&
		    cur->state != TS_IDLE) {
			timer_reset(cur, "");
			hub_timer_broadcast(hub, cur);
		}
		return;
	}
	if ((o = hub_view_parse(scope, value)) == NULL)
		return;
	if (proto_timer_from_json(o, &t, detail, sizeof detail) != 0 ||
	    strcmp(t.scope, scope) != 0) {
		log_warn("hub: store value timer/%s: %s: ignored", scope, detail);
		json_decref(o);
		return;
	}
	json_decref(o);
	if (strcmp(scope, TIMER_SCOPE_MAIN) != 0 && hub_room_find(hub, scope) == NULL)
		return;     /* the room has gone */
	cur = hub_timer_find(hub, scope, true);
	if (memcmp(cur, &t, sizeof t) == 0)
		return;
	*cur = t;
	hub_timer_broadcast(hub, cur);
}

/* "lineup": the main-stage lineup. */
static void
hub_view_lineup_value(struct hub *hub, const char *value)
{
	struct proto_lineup l;
	char detail[160];
	const char *by;
	json_t *o;

	if (value == NULL || (o = hub_view_parse("lineup", value)) == NULL)
		return;
	if (proto_lineup_from_json(o, &l, detail, sizeof detail) != 0) {
		log_warn("hub: store value lineup: %s: ignored", detail);
		free(l.items);
		json_decref(o);
		return;
	}
	hub->nlineup = l.nitems < LINEUP_MAX ? l.nitems : LINEUP_MAX;
	if (hub->nlineup > 0)
		memcpy(hub->lineup, l.items, hub->nlineup * sizeof *hub->lineup);
	hub->lineup_cur = l.current < (int64_t)hub->nlineup ? l.current : -1;
	free(l.items);
	by = json_string_value(json_object_get(o, "by"));
	hub_lineup_broadcast(hub, by != NULL ? by : "");
	json_decref(o);
}

/* "name/<key>": a held name. */
static void
hub_view_name_value(struct hub *hub, const char *key, const char *value)
{
	struct hub_ident *id = hub_view_ident(hub, key);
	const char *name, *hash;
	json_t *o;

	if (value == NULL) {
		if (id != NULL && id->live == NULL) {
			strmap_del(hub->idents, key);
			msgring_free(id->user);
			free(id->name);
			free(id->key);
			free(id->stream);
			free(id);
		}
		return;
	}
	if ((o = hub_view_parse(key, value)) == NULL)
		return;
	name = json_string_value(json_object_get(o, "name"));
	hash = json_string_value(json_object_get(o, "hash"));
	if (name == NULL || hash == NULL || strlen(hash) != HUB_HASH_HEX) {
		log_warn("hub: store value name/%s: no name or hash: ignored", key);
		json_decref(o);
		return;
	}
	if (id == NULL) {
		id = xcalloc(1, sizeof *id);
		id->key = xstrdup(key);
		id->stream = xasprintf("user:%s", key);
		strmap_put(hub->idents, key, id);
	}
	free(id->name);
	id->name = xstrdup(name);
	memcpy(id->hash, hash, HUB_HASH_HEX + 1);
	json_decref(o);
}

/* "mute/<key>" and "ban/<key>": moderation of a name. */
static void
hub_view_mod_value(struct hub *hub, const char *key, const char *value, bool ban)
{
	struct hub_ident *id = hub_view_ident(hub, key);
	json_int_t until = 0;
	json_t *o;

	if (id == NULL)
		return;
	if (value != NULL && (o = hub_view_parse(key, value)) != NULL) {
		until = json_integer_value(json_object_get(o, "until"));
		json_decref(o);
	}
	if (ban)
		id->banned = value != NULL;
	else
		id->muted_until = value != NULL ? (int64_t)until : 0;
}

/* Applies key's new value (NULL: deleted). */
void
hub_view_value(struct hub *hub, const char *key, const char *value)
{
	if (strncmp(key, "room/", 5) == 0)
		hub_view_room_value(hub, key + 5, value);
	else if (strncmp(key, "timer/", 6) == 0)
		hub_view_timer_value(hub, key + 6, value);
	else if (strcmp(key, "lineup") == 0)
		hub_view_lineup_value(hub, value);
	else if (strncmp(key, "name/", 5) == 0)
		hub_view_name_value(hub, key + 5, value);
	else if (strncmp(key, "mute/", 5) == 0)
		hub_view_mod_value(hub, key + 5, value, false);
	else if (strncmp(key, "ban/", 4) == 0)
		hub_view_mod_value(hub, key + 4, value, true);
	else if (hub_part_value(hub, key, value))
		return;
	else if (strncmp(key, "session/", 8) == 0)
		hub_program_value(hub, key + 8, value);
	else if (strncmp(key, "banaddr/", 8) == 0) {
		if (value != NULL)
			strmap_put(hub->banned_addrs, key + 8, (void *)1);
		else
			strmap_del(hub->banned_addrs, key + 8);
	}
}

/* Puts frame as event seq into *ring. A short gap (events that were removed, or trimmed
 * by the retention, while the rest were kept) is held as removed events, so that what
 * came before stays; a ring that cannot continue there is started again at seq. Returns
 * false for an event older than the ring's (already had). */
static bool
hub_view_ring_put(struct msgring **ring, size_t cap, uint64_t seq, struct msg *frame)
{
	struct msg *gone;

	if (*ring != NULL && seq < (*ring)->next)
		return false;
	if (*ring != NULL && seq > (*ring)->next && seq - (*ring)->next < cap &&
	    (*ring)->next > (*ring)->first) {
		gone = msg_new(0, "", 0);
		while ((*ring)->next < seq)
			msgring_push(*ring, gone);
		msg_unref(gone);
	}
	if (*ring == NULL || seq > (*ring)->next) {
		msgring_free(*ring);
		*ring = msgring_create_at(cap, seq);
	}
	msgring_push(*ring, frame);
	return true;
}

/* A room stream's event: into the room's ring, and its members are woken. */
static void
hub_view_room_event(struct hub *hub, struct hub_room *room, const struct store_event *ev)
{
	struct hub_session *s;
	struct hub_join *j;
	struct msg *frame;
	uint64_t oldest;

	if (ev->seq < room->ring->next)
		return;                 /* had it */
	frame = hub_event_frame(hub, room->stream, ev->seq, ev->data, ev->len);
	hub_view_ring_put(&room->ring, PROTO_HISTORY, ev->seq, frame);
	msg_unref(frame);
	if (hub->loading)
		return;
	oldest = msgring_oldest(room->ring);
	for (s = hub->sessions; s != NULL; s = s->next) {
		if (s->dead || (j = hub_session_join_find(s, room)) == NULL)
			continue;
		if (j->tail < oldest) {
			if (!s->lagging)
				log_warn("hub: %s (%s) is lagging in %s", s->name,
				    hub_session_who(s), room->info.id);
			hub->metrics.drop_lagging++;
			hub_session_lag(s);
		} else if (hub->want_write != NULL)
			hub->want_write(s->conn);
	}
}

/* A name's user stream event: kept for a resume, and sent to the session holding it. */
static void
hub_view_user_event(struct hub *hub, struct hub_ident *id, const struct store_event *ev)
{
	struct msg *frame;

	frame = hub_event_frame(hub, "user", ev->seq, ev->data, ev->len);
	frame->tag = ev->seq;
	if (hub_view_ring_put(&id->user, HUB_USER_KEEP, ev->seq, frame)) {
		if (hub->loading)
			id->user_seen = ev->seq;   /* a client that starts afresh gets what follows */
		else if (id->live != NULL && !id->live->hello_pending)
			hub_send(id->live, frame);
	}
	msg_unref(frame);
}

/* A report: kept for /reports, and sent to every facilitator connected. */
static void
hub_view_report_event(struct hub *hub, const struct store_event *ev)
{
	struct hub_session *s;
	struct msg *frame;

	frame = hub_event_frame(hub, "reports", ev->seq, ev->data, ev->len);
	if (hub_view_ring_put(&hub->reports, HUB_REPORTS_KEEP, ev->seq, frame) && !hub->loading)
		for (s = hub->sessions; s != NULL; s = s->next)
			if (s->name != NULL && s->role == ROLE_FACILITATOR)
				hub_send(s, frame);
	msg_unref(frame);
}

/* Watch: an event was appended. */
static void
hub_view_event(void *arg, const struct store_event *ev)
{
	struct hub *hub = arg;
	struct hub_room *room;
	struct hub_ident *id;

	hub_view_set_head(hub, ev->stream, ev->seq);
	if (strcmp(ev->stream, "part") == 0) {
		hub_part_event(hub, ev);     /* (its cids name items) */
		return;
	}
	if (ev->cid != NULL && proto_cid_valid(ev->cid))
		hub_cids_add(hub->cids, ev->cid, strncmp(ev->stream, "room:", 5) == 0 ?
		    (int64_t)ev->seq : 0);
	if (strncmp(ev->stream, "room:", 5) == 0) {
		if ((room = hub_room_find(hub, ev->stream + 5)) != NULL)
			hub_view_room_event(hub, room, ev);
		if (!hub->loading && strstr(ev->data, "\"type\":\"chat\"") != NULL)
			hub_count_line(hub);
	} else if (strncmp(ev->stream, "user:", 5) == 0) {
		if ((id = hub_view_ident(hub, ev->stream + 5)) != NULL)
			hub_view_user_event(hub, id, ev);
	} else if (strcmp(ev->stream, "reports") == 0)
		hub_view_report_event(hub, ev);
}

/* Watch: a value changed. */
static void
hub_view_value_cb(void *arg, const char *key, const char *value)
{
	hub_view_value(arg, key, value);
}

/* Watch: an event was removed (moderation). */
static void
hub_view_removed(void *arg, const char *stream, uint64_t seq)
{
	struct hub *hub = arg;
	struct hub_room *room;
	struct hub_ident *id;

	if (strncmp(stream, "room:", 5) == 0 && (room = hub_room_find(hub, stream + 5)) != NULL)
		msgring_remove(room->ring, seq);
	else if (strcmp(stream, "part") == 0)
		hub_part_removed(hub, seq);
	else if (strncmp(stream, "user:", 5) == 0 && (id = hub_view_ident(hub, stream + 5)) !=
	    NULL && id->user != NULL)
		msgring_remove(id->user, seq);
}

/* Watch: a room's count over every hub changed. */
static void
hub_view_count(void *arg, const char *name, uint64_t total)
{
	struct hub *hub = arg;
	struct hub_room *room;

	if (strncmp(name, "room:", 5) != 0 || (room = hub_room_find(hub, name + 5)) == NULL)
		return;
	if (total > UINT32_MAX)
		total = UINT32_MAX;
	if (room->info.occupancy != (unsigned)total) {
		room->info.occupancy = (unsigned)total;
		room->occupancy_moved = true;
		hub_occupancy_changed(hub);
	}
}

/* Watch (loading): a stream's last seq, before its recent events. */
static void
hub_view_head_cb(void *arg, const char *stream, uint64_t last)
{
	hub_view_set_head(arg, stream, last);
}

/* After loading: a room whose stream kept no events continues after its last seq. */
void
hub_view_loaded(struct hub *hub)
{
	struct hub_room *room;
	uint64_t last;
	size_t i;

	for (i = 0; i < hub->nrooms; i++) {
		room = hub->rooms[i];
		last = hub_view_head(hub, room->stream);
		if (room->ring->next == room->ring->first && room->ring->next <= last) {
			msgring_free(room->ring);
			room->ring = msgring_create_at(PROTO_HISTORY, last + 1);
		}
	}
}

/* The watch that hub_create() gives the store. */
void
hub_view_watch(struct hub *hub, struct store_watch *w)
{
	memset(w, 0, sizeof *w);
	w->arg = hub;
	w->event = hub_view_event;
	w->value = hub_view_value_cb;
	w->removed = hub_view_removed;
	w->head = hub_view_head_cb;
	w->count = hub_view_count;
	w->presence = hub_pres_watch;
}
