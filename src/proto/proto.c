/* proto.c: confab protocol v1 codec: type and error tables, message lifecycle and name
 * rules. Decoding is in proto_dec.c, encoding in proto_enc.c; doc/PROTOCOL.md is the
 * contract. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/proto.h"
#include "proto/proto_int.h"
#include "util/i18n.h"
#include "util/utf8.h"
#include "util/xalloc.h"

static const char *const proto_type_names[PT__COUNT] = {
	[PT_UNKNOWN] = "?",
	[PT_HELLO] = "hello",
	[PT_SAY] = "say",
	[PT_MSG] = "msg",
	[PT_JOIN] = "join",
	[PT_PART] = "part",
	[PT_WHO] = "who",
	[PT_ROOM_CREATE] = "room.create",
	[PT_ROOM_CLOSE] = "room.close",
	[PT_TIMER_START] = "timer.start",
	[PT_TIMER_PAUSE] = "timer.pause",
	[PT_TIMER_RESUME] = "timer.resume",
	[PT_TIMER_RESET] = "timer.reset",
	[PT_TIMER_STOP] = "timer.stop",
	[PT_TIMER_ADJUST] = "timer.adjust",
	[PT_LINEUP_ADD] = "lineup.add",
	[PT_LINEUP_REMOVE] = "lineup.remove",
	[PT_LINEUP_MOVE] = "lineup.move",
	[PT_LINEUP_NEXT] = "lineup.next",
	[PT_ROOM_EXPIRE] = "room.expire",
	[PT_HISTORY] = "history",
	[PT_DELETE] = "delete",
	[PT_MUTE] = "mute",
	[PT_UNMUTE] = "unmute",
	[PT_KICK] = "kick",
	[PT_BAN] = "ban",
	[PT_UNBAN] = "unban",
	[PT_ANNOUNCE] = "announce",
	[PT_REPORT] = "report",
	[PT_REPORTS] = "reports",
	[PT_PING] = "ping",
	[PT_WELCOME] = "welcome",
	[PT_OK] = "ok",
	[PT_ERROR] = "error",
	[PT_MEMBERS] = "members",
	[PT_PONG] = "pong",
	[PT_HISTORY_REPLY] = "history",
	[PT_CHAT] = "chat",
	[PT_PRIVMSG] = "privmsg",
	[PT_PRESENCE] = "presence",
	[PT_ROOMS] = "rooms",
	[PT_TIMER] = "timer",
	[PT_ROOM_CLOSED] = "room.closed",
	[PT_PROGRAM] = "program",
	[PT_LINEUP] = "lineup",
	[PT_OCCUPANCY] = "occupancy",
	[PT_CHAT_DELETED] = "chat.deleted",
	[PT_ANNOUNCEMENT] = "announcement",
	[PT_REPORT_EV] = "reported",
	[PT_MODERATION] = "moderation",
};

static const char *const proto_err_names[PE__COUNT] = {
	[PE_NONE] = "none",
	[PE_BAD_JSON] = "bad-json",
	[PE_BAD_FRAME] = "bad-frame",
	[PE_BAD_UTF8] = "bad-utf8",
	[PE_UNKNOWN_TYPE] = "unknown-type",
	[PE_BAD_FIELD] = "bad-field",
	[PE_TOO_LONG] = "too-long",
	[PE_HELLO_FIRST] = "hello-first",
	[PE_ALREADY] = "already-hello",
	[PE_VERSION] = "unsupported-version",
	[PE_BAD_NAME] = "bad-name",
	[PE_NAME_TAKEN] = "name-taken",
	[PE_BAD_TOKEN] = "bad-token",
	[PE_NOT_ALLOWED] = "not-allowed",
	[PE_NO_ROOM] = "no-such-room",
	[PE_NO_USER] = "no-such-user",
	[PE_ROOM_FULL] = "room-full",
	[PE_ROOM_EXISTS] = "room-exists",
	[PE_NOT_MEMBER] = "not-in-room",
	[PE_LOBBY] = "lobby-fixed",
	[PE_TIMER_STATE] = "timer-state",
	[PE_RATE] = "rate-limited",
	[PE_INTERNAL] = "internal",
	[PE_LINEUP_END] = "lineup-end",
	[PE_MUTED] = "muted",
	[PE_BANNED] = "banned",
	[PE_INVITE] = "invite-required",
	[PE_NO_LINE] = "no-such-line",
	[PE_STORE] = "not-stored",
};

static const char *const proto_err_messages[PE__COUNT] = {
	[PE_NONE] = N_("no error"),
	[PE_BAD_JSON] = N_("the message is not a JSON object"),
	[PE_BAD_FRAME] = N_("the frame is binary or too large"),
	[PE_BAD_UTF8] = N_("the message is not valid UTF-8"),
	[PE_UNKNOWN_TYPE] = N_("unknown message type"),
	[PE_BAD_FIELD] = N_("a field is missing or invalid"),
	[PE_TOO_LONG] = N_("too long"),
	[PE_HELLO_FIRST] = N_("say hello first"),
	[PE_ALREADY] = N_("already said hello"),
	[PE_VERSION] = N_("unsupported protocol version"),
	[PE_BAD_NAME] = N_("that name is not allowed"),
	[PE_NAME_TAKEN] = N_("that name is already taken"),
	[PE_BAD_TOKEN] = N_("the facilitator token was not accepted"),
	[PE_NOT_ALLOWED] = N_("only facilitators can do that"),
	[PE_NO_ROOM] = N_("no such room"),
	[PE_NO_USER] = N_("no such user"),
	[PE_ROOM_FULL] = N_("the room is full"),
	[PE_ROOM_EXISTS] = N_("a room with that id already exists"),
	[PE_NOT_MEMBER] = N_("you are not in that room"),
	[PE_LOBBY] = N_("the lobby cannot be left or closed"),
	[PE_TIMER_STATE] = N_("the timer is not in a state that allows that"),
	[PE_RATE] = N_("slow down: too many messages"),
	[PE_INTERNAL] = N_("internal error in the hub"),
	[PE_LINEUP_END] = N_("the lineup has no next item"),
	[PE_MUTED] = N_("you are muted for now"),
	[PE_BANNED] = N_("you may not come in: banned by a facilitator"),
	[PE_INVITE] = N_("this event is invite-only: an invite token is needed"),
	[PE_NO_LINE] = N_("no such line"),
	[PE_STORE] = N_("the hub could not store that: nothing happened, try again"),
};

const char *const proto_presence_names[3] = { "join", "part", "quit" };

/* Wire name of a type. */
const char *
proto_type_name(enum proto_type t)
{
	if ((unsigned)t >= PT__COUNT)
		return "?";
	return proto_type_names[t];
}

/* Type for a wire name; PT_UNKNOWN when not a type. */
enum proto_type
proto_type_parse(const char *name)
{
	int i;

	if (name == NULL)
		return PT_UNKNOWN;
	for (i = PT_UNKNOWN + 1; i < PT__COUNT; i++) {
		if (strcmp(name, proto_type_names[i]) == 0)
			return (enum proto_type)i;
	}
	return PT_UNKNOWN;
}

/* True for the types a client may send. */
bool
proto_type_is_request(enum proto_type t)
{
	return t >= PT_HELLO && t <= PT_PING;
}

/* True for replies (they carry "re"). */
bool
proto_type_is_reply(enum proto_type t)
{
	return t >= PT_WELCOME && t <= PT_HISTORY_REPLY;
}

/* True for events (they carry "stream" and "seq"). */
bool
proto_type_is_event(enum proto_type t)
{
	return t >= PT_CHAT && t <= PT_MODERATION;
}

/* True for the types only a facilitator may send. */
bool
proto_type_is_privileged(enum proto_type t)
{
	switch (t) {
	case PT_ROOM_CREATE:
	case PT_ROOM_CLOSE:
	case PT_TIMER_START:
	case PT_TIMER_PAUSE:
	case PT_TIMER_RESUME:
	case PT_TIMER_RESET:
	case PT_TIMER_STOP:
	case PT_TIMER_ADJUST:
	case PT_LINEUP_ADD:
	case PT_LINEUP_REMOVE:
	case PT_LINEUP_MOVE:
	case PT_LINEUP_NEXT:
	case PT_ROOM_EXPIRE:
	case PT_DELETE:
	case PT_MUTE:
	case PT_UNMUTE:
	case PT_KICK:
	case PT_BAN:
	case PT_UNBAN:
	case PT_ANNOUNCE:
	case PT_REPORTS:
		return true;
	default:
		return false;
	}
}

/* Untranslated (English) default message of an error code, as sent on the wire. */
const char *
proto_err_message_wire(enum proto_err e)
{
	return proto_err_messages[(unsigned)e < PE__COUNT ? e : PE_INTERNAL];
}

/* Wire name of an error code. */
const char *
proto_err_name(enum proto_err e)
{
	if ((unsigned)e >= PE__COUNT)
		return "internal";
	return proto_err_names[e];
}

/* Error code for a wire name; PE_NONE when unknown. */
enum proto_err
proto_err_parse(const char *name)
{
	int i;

	if (name == NULL)
		return PE_NONE;
	for (i = PE_NONE + 1; i < PE__COUNT; i++) {
		if (strcmp(name, proto_err_names[i]) == 0)
			return (enum proto_err)i;
	}
	return PE_NONE;
}

/* Default human message for an error code, translated. */
const char *
proto_err_message(enum proto_err e)
{
	if ((unsigned)e >= PE__COUNT)
		e = PE_INTERNAL;
	return _(proto_err_messages[e]);
}

/* Wire name of a role. */
const char *
proto_role_name(enum proto_role r)
{
	return r == ROLE_FACILITATOR ? "facilitator" : "attendee";
}

/* Zeroes m and sets its type. */
void
proto_msg_init(struct proto_msg *m, enum proto_type type)
{
	memset(m, 0, sizeof *m);
	m->type = type;
}

/* Releases what proto_decode() gave m and zeroes it. */
void
proto_msg_clear(struct proto_msg *m)
{
	if (m->owns_) {
		switch (m->type) {
		case PT_WELCOME:
			program_free(m->u.welcome.program);
			free(m->u.welcome.rooms);
			free(m->u.welcome.timers);
			free(m->u.welcome.joined);
			free(m->u.welcome.lineup.items);
			free(m->u.welcome.history);
			break;
		case PT_HELLO:
			free(m->u.hello.since);
			break;
		case PT_HISTORY_REPLY:
			free(m->u.history_rep.events);
			break;
		case PT_LINEUP:
			free(m->u.lineup.items);
			break;
		case PT_MEMBERS:
			free(m->u.members.names);
			break;
		case PT_ROOMS:
			free(m->u.rooms.rooms);
			break;
		case PT_PROGRAM:
			program_free(m->u.program.program);
			break;
		case PT_OCCUPANCY:
			free(m->u.occupancy.rooms);
			break;
		default:
			break;
		}
	}
	if (m->root_ != NULL)
		json_decref(m->root_);
	memset(m, 0, sizeof *m);
}

/* ---- name checks ---- */

/* True for code points a name must not contain. */
static bool
proto_name_bad_cp(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
		return true;            /* C0, DEL, C1 */
	switch (cp) {
	case ' ': case ':': case ',':
	case 0x00a0: case 0x00ad: case 0x061c: case 0x1680:
	case 0x200b: case 0x200e: case 0x200f:
	case 0x2028: case 0x2029: case 0x202f: case 0x205f: case 0x2060:
	case 0x3000: case 0xfeff:
		return true;
	default:
		break;
	}
	if (cp >= 0x2000 && cp <= 0x200a)
		return true;            /* space separators */
	if (cp >= 0x202a && cp <= 0x202e)
		return true;            /* bidi embeddings and overrides */
	if (cp >= 0x2066 && cp <= 0x2069)
		return true;            /* bidi isolates */
	return false;
}

/* Validates a display name; PE_NONE, PE_TOO_LONG or PE_BAD_NAME. */
enum proto_err
proto_name_check(const char *name)
{
	const char *p, *end;
	size_t len;
	uint32_t cp;

	if (name == NULL || *name == '\0')
		return PE_BAD_NAME;
	len = strlen(name);
	if (len > PROTO_MAX_NAME)
		return PE_TOO_LONG;
	if (name[0] == '#' || name[0] == '/' || name[0] == '@')
		return PE_BAD_NAME;
	if (!utf8_valid(name, len))
		return PE_BAD_NAME;
	p = name;
	end = name + len;
	while (p < end) {
		if (utf8_decode(&p, end, &cp) == 0 || proto_name_bad_cp(cp))
			return PE_BAD_NAME;
	}
	return PE_NONE;
}

/* True for a valid cid: 1..PROTO_MAX_CID bytes of [A-Za-z0-9_-]. */
bool
proto_cid_valid(const char *cid)
{
	size_t i;
	char c;

	if (cid == NULL)
		return false;
	for (i = 0; cid[i] != '\0'; i++) {
		c = cid[i];
		if (i >= PROTO_MAX_CID || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return i > 0;
}

/* ASCII case-insensitive comparison of names. */
int
proto_name_cmp(const char *a, const char *b)
{
	unsigned char ca, cb;

	for (;; a++, b++) {
		ca = (unsigned char)*a;
		cb = (unsigned char)*b;
		if (ca >= 'A' && ca <= 'Z')
			ca = (unsigned char)(ca - 'A' + 'a');
		if (cb >= 'A' && cb <= 'Z')
			cb = (unsigned char)(cb - 'A' + 'a');
		if (ca != cb || ca == '\0')
			return (int)ca - (int)cb;
	}
}
