/* hub_mod.c: moderation for a code of conduct: facilitators delete lines, mute, kick and
 * ban names, and announce to every room; anyone reports a line to the facilitators.
 *
 * Everything goes through the store: a deleted line is removed from its stream and a
 * "chat.deleted" event follows it there (so clients that resume learn it too); mutes and
 * bans are values ("mute/<key>", "ban/<key>", "banaddr/<address>"); the person concerned
 * gets a "moderation" event on their user stream; reports are the "reports" stream. */
#include <stdlib.h>
#include <string.h>

#include "hub/hub_int.h"
#include "util/log.h"
#include "util/random.h"
#include "util/xalloc.h"


/* The identity a moderation request names, or NULL after replying no-such-user. */
static struct hub_ident *
hub_mod_target(struct hub_session *s, const struct proto_msg *m)
{
	struct hub_ident *id = NULL;
	const char *why;
	char *key;

	if (hub_name_check(m->u.mod.name, &why) == PE_NONE) {
		key = hub_name_key(m->u.mod.name);
		id = hub_view_ident(s->hub, key);
		free(key);
	}
	if (id == NULL)
		hub_reply_error(s, m->id, PE_NO_USER, NULL);
	return id;
}

/* The chat line seq of room r as held in its ring, or NULL. */
static struct msg *
hub_mod_line(struct hub_room *r, int64_t seq)
{
	struct msg *frame = msgring_get(r->ring, (uint64_t)seq);

	if (frame == NULL || frame->len == 0 ||
	    strstr(msg_payload(frame), "\"type\":\"chat\"") == NULL)
		return NULL;
	return frame;
}

/* delete: removes a chat line from its room's history and from every screen. */
static void
hub_mod_delete(struct hub_session *s, const struct proto_msg *m)
{
	struct hub_room *r;
	struct proto_msg ev;

	if ((r = hub_req_room(s, m, m->u.line.room)) == NULL)
		return;
	if (hub_mod_line(r, m->u.line.seq) == NULL) {
		hub_reply_error(s, m->id, PE_NO_LINE, NULL);
		return;
	}
	proto_msg_init(&ev, PT_CHAT_DELETED);
	ev.u.chat_deleted.room = r->info.id;
	ev.u.chat_deleted.seq = m->u.line.seq;
	ev.u.chat_deleted.by = s->name;
	hub_write_remove(s->hub, r->stream, (uint64_t)m->u.line.seq, NULL, 0, NULL, NULL);
	hub_write_event(s->hub, r->stream, &ev, NULL, s, m->id, hub_write_reply, NULL);
	log_info("hub: %s deleted line %lld of %s", s->name, (long long)m->u.line.seq,
	    r->info.id);
}

/* Tells id what a facilitator did (on its user stream, so it survives a reconnect). */
static void
hub_mod_tell(struct hub *hub, struct hub_ident *id, const char *action, const char *by,
    const char *reason, int64_t until, struct hub_session *s, int64_t re, hub_write_fn fn,
    void *data)
{
	struct proto_msg ev;

	proto_msg_init(&ev, PT_MODERATION);
	ev.u.moderation.action = action;
	ev.u.moderation.by = by;
	ev.u.moderation.reason = reason;
	ev.u.moderation.until = until;
	hub_write_event(hub, id->stream, &ev, NULL, s, re, fn, data);
}

/* mute, unmute: a name may not speak (say, msg) until a time. */
static void
hub_mod_mute(struct hub_session *s, const struct proto_msg *m)
{
	struct hub *hub = s->hub;
	struct hub_ident *id;
	int64_t until = 0;
	char *key, *value;
	json_t *o;

	if ((id = hub_mod_target(s, m)) == NULL)
		return;
	key = xasprintf("mute/%s", id->key);   /* a look-alike key can be long */
	if (m->type == PT_MUTE) {
		until = hub_now(hub) + (m->u.mod.minutes > 0 ? m->u.mod.minutes :
		    PROTO_MUTE_DEFAULT_MINUTES) * 60000;
		o = json_pack("{s:I,s:s,s:s?}", "until", (json_int_t)until, "by", s->name,
		    "reason", m->u.mod.reason);
		value = json_dumps(o, JSON_COMPACT);
		json_decref(o);
		hub_write_value(hub, key, value, false, s, m->id, hub_write_reply, NULL);
		free(value);
	} else
		hub_write_value(hub, key, NULL, false, s, m->id, hub_write_reply, NULL);
	free(key);
	hub_mod_tell(hub, id, m->type == PT_MUTE ? "mute" : "unmute", s->name, m->u.mod.reason,
	    until, NULL, 0, NULL, NULL);
	log_info("hub: %s %s %s", s->name, m->type == PT_MUTE ? "muted" : "unmuted", id->name);
}

/* After the moderation event is stored (the last write of a kick or ban): the
 * facilitator gets the reply, and the session holding the name is closed once it has been
 * sent what is queued for it (the event included). */
static void
hub_mod_close_done(struct hub *hub, struct hub_session *s, int64_t re,
    enum store_result result, uint64_t seq, void *data)
{
	struct hub_ident *id = hub_view_ident(hub, data);
	struct hub_session *live;

	hub_write_reply(hub, s, re, result, seq, NULL);
	free(data);
	if (result == STORE_FAILED || id == NULL || (live = id->live) == NULL || live->dead)
		return;
	hub->metrics.drop_kicked++;
	hub_session_close_later(live, 1008, "removed by a facilitator");
}

/* True for an address not to ban: unknown, or loopback (a proxy's or a pluggable
 * transport's, shared by everyone behind it) unless --limit-loopback. */
static bool
hub_mod_loopback(const struct hub *hub, const char *addr)
{
	if (strcmp(addr, "?") == 0)
		return true;
	return !hub->limits.limit_loopback && (strncmp(addr, "127.", 4) == 0 ||
	    strcmp(addr, "::1") == 0 || strncmp(addr, "::ffff:127.", 11) == 0);
}

/* kick, ban, unban. */
static void
hub_mod_remove(struct hub_session *s, const struct proto_msg *m)
{
	struct hub *hub = s->hub;
	struct hub_ident *id;
	struct hub_session *live;
	const char *addr = NULL;
	char *key, akey[80], *value;
	json_t *o;

	if ((id = hub_mod_target(s, m)) == NULL)
		return;
	live = id->live;
	if (m->type == PT_UNBAN) {
		key = xasprintf("ban/%s", id->key);   /* a look-alike key can be long */
		value = store_get(hub->store, key);
		if (value != NULL && (o = json_loads(value, 0, NULL)) != NULL) {
			if ((addr = json_string_value(json_object_get(o, "addr"))) != NULL) {
				snprintf(akey, sizeof akey, "banaddr/%s", addr);
				hub_write_value(hub, akey, NULL, false, NULL, 0, NULL, NULL);
			}
			json_decref(o);
		}
		free(value);
		hub_write_value(hub, key, NULL, false, s, m->id, hub_write_reply, NULL);
		free(key);
		log_info("hub: %s unbanned %s", s->name, id->name);
		return;
	}
	if (m->type == PT_BAN) {
		if (live != NULL && !hub_mod_loopback(hub, live->addr))
			addr = live->addr;
		key = xasprintf("ban/%s", id->key);
		o = json_pack("{s:s,s:s?,s:s?,s:I}", "by", s->name, "reason", m->u.mod.reason,
		    "addr", addr, "ts", (json_int_t)hub_now(hub));
		value = json_dumps(o, JSON_COMPACT);
		json_decref(o);
		hub_write_value(hub, key, value, false, NULL, 0, NULL, NULL);
		free(value);
		free(key);
		if (addr != NULL) {
			snprintf(akey, sizeof akey, "banaddr/%s", addr);
			hub_write_value(hub, akey, "{}", false, NULL, 0, NULL, NULL);
		}
	} else if (live == NULL) {
		hub_reply_error(s, m->id, PE_NO_USER, "not connected");
		return;
	}
	hub_mod_tell(hub, id, m->type == PT_BAN ? "ban" : "kick", s->name, m->u.mod.reason, 0,
	    s, m->id, hub_mod_close_done, xstrdup(id->key));
	log_info("hub: %s %s %s", s->name, m->type == PT_BAN ? "banned" : "kicked", id->name);
}

/* announce: a marked line in every room. */
static void
hub_mod_announce(struct hub_session *s, const struct proto_msg *m)
{
	struct hub *hub = s->hub;
	struct proto_msg ev;
	char aid[17];
	size_t i;

	cf_random_hex(aid, 16);
	proto_msg_init(&ev, PT_ANNOUNCEMENT);
	ev.u.announcement.from = s->name;
	ev.u.announcement.text = m->u.announce.text;
	ev.u.announcement.aid = aid;
	ev.u.announcement.ts = hub_now(hub);
	for (i = 0; i < hub->nrooms; i++) {
		ev.u.announcement.room = hub->rooms[i]->info.id;
		hub_write_event(hub, hub->rooms[i]->stream, &ev, NULL, i == 0 ? s : NULL,
		    m->id, i == 0 ? hub_write_reply : NULL, NULL);
	}
	log_info("hub: %s announced to %zu rooms", s->name, hub->nrooms);
}

/* report: a line to the facilitators, with a reason; kept. */
static void
hub_mod_report(struct hub_session *s, const struct proto_msg *m)
{
	struct hub_room *r;
	struct proto_msg ev;
	struct msg *frame;
	json_t *o;

	if ((r = hub_req_room(s, m, m->u.line.room)) == NULL)
		return;
	if ((frame = hub_mod_line(r, m->u.line.seq)) == NULL) {
		hub_reply_error(s, m->id, PE_NO_LINE, NULL);
		return;
	}
	o = json_loadb(msg_payload(frame), frame->len, 0, NULL);
	proto_msg_init(&ev, PT_REPORT_EV);
	ev.u.report.by = s->name;
	ev.u.report.room = r->info.id;
	ev.u.report.seq = m->u.line.seq;
	ev.u.report.from = json_string_value(json_object_get(o, "from"));
	ev.u.report.text = json_string_value(json_object_get(o, "text"));
	ev.u.report.reason = m->u.line.reason;
	ev.u.report.ts = hub_now(s->hub);
	hub_write_event(s->hub, "reports", &ev, NULL, s, m->id, hub_write_reply, NULL);
	json_decref(o);
	log_info("hub: %s reported line %lld of %s", s->name, (long long)m->u.line.seq,
	    r->info.id);
}

/* reports: the reports kept, to a facilitator, then ok. */
static void
hub_mod_reports(struct hub_session *s, const struct proto_msg *m)
{
	struct msg *frame;
	uint64_t seq;

	for (seq = msgring_oldest(s->hub->reports); seq < s->hub->reports->next; seq++)
		if ((frame = msgring_get(s->hub->reports, seq)) != NULL && frame->len > 0)
			hub_send(s, frame);
	hub_reply_ok(s, m->id, 0);
}

/* Runs a moderation request (the role was checked by the dispatch). */
void
hub_mod_request(struct hub_session *s, const struct proto_msg *m)
{
	switch (m->type) {
	case PT_DELETE: hub_mod_delete(s, m); break;
	case PT_MUTE:
	case PT_UNMUTE: hub_mod_mute(s, m); break;
	case PT_KICK:
	case PT_BAN:
	case PT_UNBAN: hub_mod_remove(s, m); break;
	case PT_ANNOUNCE: hub_mod_announce(s, m); break;
	case PT_REPORT: hub_mod_report(s, m); break;
	default: hub_mod_reports(s, m); break;
	}
}
