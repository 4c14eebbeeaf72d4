/* proto.h: confab protocol v1 codec: JSON text frames <-> typed messages.
 *
 * doc/PROTOCOL.md is the contract; this is its C form. Every frame is one JSON object
 * with a "type". Requests (client to hub) carry an "id" chosen by the client; the hub's
 * reply to a request carries it back as "re". Pushed events carry "stream" and "seq".
 *
 * Ownership: proto_decode() fills a struct proto_msg whose strings are borrowed from a
 * JSON document the message holds; the program, rooms, timers and names arrays it fills
 * are owned by the message. proto_msg_clear() releases all of it. For encoding, the
 * caller fills a struct proto_msg with borrowed pointers and calls proto_encode(); the
 * message is not cleared afterwards (it owns nothing). */
#ifndef CONFAB_PROTO_H
#define CONFAB_PROTO_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/lineup.h"
#include "model/msgring.h"
#include "model/program.h"
#include "model/room.h"
#include "model/timer.h"
#include "util/sat.h"

#define PROTO_VERSION 1
#define PROTO_SUBPROTOCOL "confab.1"

/* Limits (advertised in "welcome"; the hub enforces them). */
#define PROTO_MAX_FRAME 16384      /* bytes in one client-to-hub frame */
#define PROTO_MAX_TEXT 2000        /* bytes of UTF-8 in a chat line */
#define PROTO_MAX_NAME 32          /* bytes of UTF-8 in a name */
#define PROTO_MAX_TOKEN 256        /* bytes in a facilitator token or resume token */
#define PROTO_HISTORY 200          /* chat events the hub keeps per room */
#define PROTO_BACKLOG 20           /* chat events replayed on a fresh entry (limits.backlog) */
#define PROTO_SNAPSHOT_CHAT PROTO_BACKLOG  /* older name of PROTO_BACKLOG */
#define PROTO_MAX_SINCE 64         /* rooms in hello's "since" */
#define PROTO_MAX_CID 32           /* bytes in a say/msg "cid" ([A-Za-z0-9_-]) */
#define PROTO_MAX_PROGRAM_VERSION 64  /* bytes in hello's "program" */
#define PROTO_HISTORY_LIMIT 100    /* most events in one "history" reply */
#define PROTO_HISTORY_DEFAULT 50   /* events in a "history" reply when "limit" is absent */
#define PROTO_MAX_DURATION_MS (24LL * 3600 * 1000)
#define PROTO_SECRET_MAX 64        /* bytes in a name's secret ([0-9a-f]) */
#define PROTO_MAX_NOTICE 4000      /* bytes of welcome's notice */
#define PROTO_MAX_REASON 200       /* bytes of a moderation or report reason */
#define PROTO_MAX_MUTE_MINUTES (7 * 24 * 60)
#define PROTO_MUTE_DEFAULT_MINUTES 10 /* a mute without minutes */
/* What a client accepts from a hub (doc/PROTOCOL.md sections 3 and 10): times are UTC ms
 * from 1970-01-01 to 9999-12-31 (SAT_TIME_MIN_MS..SAT_TIME_MAX_MS of util/sat.h), signed
 * durations within +-PROTO_MAX_TIME_MS, positions (seq) from 0 to PROTO_MAX_SEQ. A frame
 * with a member outside is invalid, like any other bad frame. */
#define PROTO_MAX_TIME_MS SAT_TIME_MAX_MS
#define PROTO_MAX_SEQ ((INT64_C(1) << 53) - 1)
#define PROTO_MAX_MESSAGE 1024     /* bytes in an error's "message" */
#define PROTO_MAX_HUB 256          /* bytes in welcome's "hub" */

enum proto_type {
	PT_UNKNOWN = 0,
	/* requests, client to hub */
	PT_HELLO, PT_SAY, PT_MSG, PT_JOIN, PT_PART, PT_WHO,
	PT_ROOM_CREATE, PT_ROOM_CLOSE,
	PT_TIMER_START, PT_TIMER_PAUSE, PT_TIMER_RESUME, PT_TIMER_RESET,
	PT_TIMER_STOP, PT_TIMER_ADJUST,
	PT_LINEUP_ADD, PT_LINEUP_REMOVE, PT_LINEUP_MOVE, PT_LINEUP_NEXT, PT_ROOM_EXPIRE,
	PT_HISTORY,
	PT_DELETE, PT_MUTE, PT_UNMUTE, PT_KICK, PT_BAN, PT_UNBAN, PT_ANNOUNCE, PT_REPORT,
	PT_REPORTS,
	PT_PING,
	/* replies, hub to client (carry "re") */
	PT_WELCOME, PT_OK, PT_ERROR, PT_MEMBERS, PT_PONG,
	PT_HISTORY_REPLY,    /* wire name "history" too: a frame with "re" is the reply */
	/* events, hub to client */
	PT_CHAT, PT_PRIVMSG, PT_PRESENCE, PT_ROOMS, PT_TIMER, PT_ROOM_CLOSED, PT_PROGRAM,
	PT_LINEUP, PT_OCCUPANCY, PT_CHAT_DELETED, PT_ANNOUNCEMENT, PT_REPORT_EV, PT_MODERATION,
	PT__COUNT
};

/* Wire name of a type ("hello", "room.create", ...); "?" for PT_UNKNOWN. PT_HISTORY and
 * PT_HISTORY_REPLY share the name "history". */
const char *proto_type_name(enum proto_type t);
/* PT_UNKNOWN when name is not a type; "history" gives PT_HISTORY (the request). */
enum proto_type proto_type_parse(const char *name);
/* True for the types a client may send. */
bool proto_type_is_request(enum proto_type t);
/* True for the types only a facilitator may send. */
bool proto_type_is_privileged(enum proto_type t);

/* Stable error codes: doc/PROTOCOL.md lists them; never renumber or rename. */
enum proto_err {
	PE_NONE = 0,
	PE_BAD_JSON,        /* "bad-json": not a JSON object */
	PE_BAD_FRAME,       /* "bad-frame": binary frame, or over PROTO_MAX_FRAME */
	PE_BAD_UTF8,        /* "bad-utf8": frame is not valid UTF-8 */
	PE_UNKNOWN_TYPE,    /* "unknown-type" */
	PE_BAD_FIELD,       /* "bad-field": a field is missing or of the wrong type/range */
	PE_TOO_LONG,        /* "too-long": text, name, label over its limit */
	PE_HELLO_FIRST,     /* "hello-first": a request before hello */
	PE_ALREADY,         /* "already-hello": a second hello */
	PE_VERSION,         /* "unsupported-version" */
	PE_BAD_NAME,        /* "bad-name" */
	PE_NAME_TAKEN,      /* "name-taken" */
	PE_BAD_TOKEN,       /* "bad-token": facilitator token not accepted */
	PE_NOT_ALLOWED,     /* "not-allowed": facilitators only */
	PE_NO_ROOM,         /* "no-such-room" */
	PE_NO_USER,         /* "no-such-user" */
	PE_ROOM_FULL,       /* "room-full" */
	PE_ROOM_EXISTS,     /* "room-exists" */
	PE_NOT_MEMBER,      /* "not-in-room" */
	PE_LOBBY,           /* "lobby-fixed": the lobby cannot be left or closed */
	PE_TIMER_STATE,     /* "timer-state": e.g. pause when not running */
	PE_RATE,            /* "rate-limited" */
	PE_INTERNAL,        /* "internal" */
	PE_LINEUP_END,      /* "lineup-end": lineup.next past the last item */
	PE_MUTED,           /* "muted": a facilitator muted this name for a while */
	PE_BANNED,          /* "banned": this name or address may not come in */
	PE_INVITE,          /* "invite-required": the event is invite-only */
	PE_NO_LINE,         /* "no-such-line": delete/report of a line the hub does not hold */
	PE_STORE,           /* "not-stored": the hub could not store it; nothing happened */
	PE__COUNT
};

const char *proto_err_name(enum proto_err e);
enum proto_err proto_err_parse(const char *name); /* PE_NONE when unknown */
/* Default human message for an error code, translated. */
const char *proto_err_message(enum proto_err e);

enum proto_role { ROLE_ATTENDEE = 0, ROLE_FACILITATOR };
const char *proto_role_name(enum proto_role r);

enum proto_presence { PRES_JOIN = 0, PRES_PART, PRES_QUIT };

/* Per-type payloads. Strings may be NULL where the field is optional and absent. */

/* One room of hello's "since": the last seq the client has of it (0: nothing). */
struct proto_since_room { const char *room; int64_t seq; };
/* hello. Resume members (all optional):
 * - since_epoch, since, nsince: hello's "since" object {"epoch", "rooms": {room: seq}}; the
 *   array is owned when decoded (borrowed when encoding); since_epoch NULL = no "since"
 *   (then nsince is 0). Decoding checks: epoch a string of at most PROTO_MAX_TOKEN bytes,
 *   at most PROTO_MAX_SINCE rooms, each key a room id, each seq an integer >= 0.
 * - program: the "version" of the program the client has cached (<= 64 bytes), or NULL.
 * - has_user, user: the last "user" stream seq the client saw (>= 0); encoded only with
 *   has_user. */
/* secret: the name's secret from an earlier welcome ([0-9a-f], <= PROTO_SECRET_MAX), or
 * NULL; invite: an invite token (<= PROTO_MAX_TOKEN) for an invite-only hub, or NULL. */
struct proto_hello {
	int64_t proto;
	const char *name, *token, *resume, *client, *secret, *invite;
	const char *since_epoch;
	struct proto_since_room *since; size_t nsince;
	const char *program;
	bool has_user; int64_t user;
};
/* say; cid: the client's id for this send (1..PROTO_MAX_CID bytes of [A-Za-z0-9_-]) or NULL. */
struct proto_say { const char *room, *text; bool me; const char *cid; };
/* msg; cid as for say. */
struct proto_msg_req { const char *to, *text; const char *cid; };
/* join, part, who, room.close. join only: has_since, since: the last seq of the room that
 * the client has, in the epoch of this link's welcome (>= 0); encoded only with has_since. */
struct proto_room_ref { const char *room; bool has_since; int64_t since; };
/* history request: room; before: only events with seq < before (0: absent, all);
 * limit: 1..PROTO_HISTORY_LIMIT (decoded as PROTO_HISTORY_DEFAULT when absent; 0 is not
 * encoded). */
struct proto_history_req { const char *room; int64_t before, limit; };
/* minutes, seconds: breakout duration, 0 when absent (seconds wins when both given). */
struct proto_room_create { const char *room, *title; int64_t capacity, minutes, seconds; };
/* room.expire: minutes/seconds from now; both 0 removes the end. */
struct proto_room_expire { const char *room; int64_t minutes, seconds; bool has_seconds; };
/* lineup.add: kind LK_TALK when absent; duration_ms 0 when absent (kind's default). */
struct proto_lineup_add { const char *title, *speaker; enum lineup_kind kind; int64_t duration_ms; };
struct proto_lineup_index { int64_t index; };               /* lineup.remove */
struct proto_lineup_move { int64_t from, to; };
/* The lineup: items (owned when decoded) and the current index or -1. */
struct proto_lineup { struct lineup_item *items; size_t nitems; int64_t current; const char *by; };
/* (by: event only, optional: who made the change) */
/* warn_ms, danger_ms: 0 when absent (decoded); 0 or less is omitted (encoded); the hub
 * reads an absent or 0 threshold as the default. */
struct proto_timer_start { const char *scope, *label; int64_t duration_ms, warn_ms, danger_ms; };
struct proto_timer_ref { const char *scope; };               /* pause, resume, reset, stop */
struct proto_timer_adjust { const char *scope; int64_t delta_ms; };
struct proto_ping { int64_t t0; };
/* delete, report: a line of a room by its seq; reason: report only (required there). */
struct proto_line_ref { const char *room; int64_t seq; const char *reason; };
/* mute (minutes 1..PROTO_MAX_MUTE_MINUTES, 0 when absent: 10), unmute, kick, ban, unban;
 * reason optional. */
struct proto_mod { const char *name, *reason; int64_t minutes; };
struct proto_announce { const char *text; };

/* backlog: events replayed on a fresh entry into a room (0 when an older hub omits it). */
struct proto_limits { int64_t frame, text, name, history, backlog; };
/* Where the replay of a room starts, in welcome's "history" and a join's ok: last: latest
 * seq of the room (0 if none); from: first seq replayed right after (last + 1: nothing);
 * lost: the client's position could not be continued (throw away what it knew). */
struct proto_room_pos { const char *room; int64_t last, from; bool lost; };
struct proto_welcome {
	int64_t proto;
	const char *hub, *epoch, *name, *resume;
	enum proto_role role;
	int64_t now;                       /* hub wall clock, ms */
	struct proto_limits limits;
	const char *program_version;       /* the hub's program version (NULL: older hub) */
	struct program *program;           /* owned when decoded; NULL: omitted (the client's
	                                      cached one, of program_version, is current) */
	struct proto_room_pos *history; size_t nhistory;  /* one per joined room; owned when
	                                      decoded; none from an older hub */
	struct room_info *rooms; size_t nrooms;   /* owned when decoded */
	struct timer *timers; size_t ntimers;     /* owned when decoded */
	const char **joined; size_t njoined;      /* rooms this session is in; array owned */
	bool has_lineup;                   /* lineup present (optional when decoding) */
	struct proto_lineup lineup;        /* items owned when decoded */
	const char *secret;                /* the name's secret, when the hub issued it now */
	const char *notice;                /* text to show on arrival (code of conduct), or NULL */
};
/* ok. seq: of a say (also of the original when dup), else 0. dup: a say/msg whose cid the
 * hub had already seen (not delivered again). has_pos, pos.last/from/lost: the ok of a
 * join (pos.room is not on the wire: NULL when decoded). */
struct proto_ok { int64_t seq; bool dup; bool has_pos; struct proto_room_pos pos; };
struct proto_error { enum proto_err code; const char *message; };
struct proto_members { const char *room; const char **names; size_t nnames; }; /* array owned */
struct proto_pong { int64_t t0, t1, t2; };
struct proto_chat { const char *room, *from, *text; int64_t ts; bool me; };
/* A chat event inside a "history" reply (stream and seq as when it was pushed). */
struct proto_chat_ev { const char *stream; uint64_t seq; struct proto_chat chat; };
/* history reply: events oldest first (owned when decoded; events of other types in the
 * reply are skipped when decoding); more: the hub holds older events than events[0]. */
struct proto_history_rep { const char *room; struct proto_chat_ev *events; size_t nevents;
	bool more; };
struct proto_privmsg { const char *from, *to, *text; int64_t ts; };
struct proto_presence_ev { const char *room, *name; enum proto_presence action; };
struct proto_rooms { struct room_info *rooms; size_t nrooms; };
struct proto_timer_ev { int64_t now; struct timer timer; };
struct proto_room_closed { const char *room, *by, *moved_to; };
struct proto_program_ev { struct program *program; };
/* occupancy: the counts of the rooms whose count changed (array owned when decoded). */
struct proto_occupancy_entry { const char *room; int64_t occupancy; };
struct proto_occupancy { struct proto_occupancy_entry *rooms; size_t nrooms; };
/* chat.deleted: line seq of room was removed by a moderator (by). */
struct proto_chat_deleted { const char *room, *by; int64_t seq; };
/* announce: a facilitator's announcement, appended to every room; aid is the same in
 * every room (show it once). */
struct proto_announcement { const char *room, *from, *text, *aid; int64_t ts; };
/* reported (to facilitators, stream "reports", whose seq numbers the reports): the line
 * (room, seq, from, text), who reported it and why. */
struct proto_report_ev { const char *by, *room, *from, *text, *reason; int64_t seq, ts; };
/* moderation (to the person concerned, on their "user" stream): action "mute", "unmute",
 * "kick" or "ban"; until: hub ms for mute. */
struct proto_moderation { const char *action, *by, *reason; int64_t until; };

struct proto_msg {
	enum proto_type type;
	int64_t id;          /* requests: client's id (> 0); 0 when absent */
	int64_t re;          /* replies: id of the request; 0 when unsolicited */
	const char *stream;  /* events: "room:<id>", "user", "rooms", "timers", "program", "lineup" */
	uint64_t seq;        /* events: position in the stream, from 1 */
	union {
		struct proto_hello hello;
		struct proto_say say;
		struct proto_msg_req msg;
		struct proto_room_ref room;
		struct proto_history_req history;
		struct proto_history_rep history_rep;
		struct proto_room_create room_create;
		struct proto_room_expire room_expire;
		struct proto_lineup_add lineup_add;
		struct proto_lineup_index lineup_index;
		struct proto_lineup_move lineup_move;
		struct proto_lineup lineup;
		struct proto_timer_start timer_start;
		struct proto_timer_ref timer_ref;
		struct proto_timer_adjust timer_adjust;
		struct proto_ping ping;
		struct proto_line_ref line;
		struct proto_mod mod;
		struct proto_announce announce;
		struct proto_welcome welcome;
		struct proto_ok ok;
		struct proto_error error;
		struct proto_members members;
		struct proto_pong pong;
		struct proto_chat chat;
		struct proto_privmsg privmsg;
		struct proto_presence_ev presence;
		struct proto_rooms rooms;
		struct proto_timer_ev timer;
		struct proto_room_closed room_closed;
		struct proto_program_ev program;
		struct proto_occupancy occupancy;
		struct proto_chat_deleted chat_deleted;
		struct proto_announcement announcement;
		struct proto_report_ev report;
		struct proto_moderation moderation;
	} u;
	json_t *root_;       /* private: the decoded document */
	int owns_;           /* private: arrays above are owned */
};

/* Zeroes m and sets its type. */
void proto_msg_init(struct proto_msg *m, enum proto_type type);
/* Releases what proto_decode() gave m; m is zeroed. Safe on an initialised message. */
void proto_msg_clear(struct proto_msg *m);

/* Why a frame could not be decoded. */
struct proto_decode_err {
	enum proto_err code;
	int64_t id;          /* the request id if one could be read, else 0 */
	int64_t re;          /* the "re" of a reply if one could be read (>= 0), else 0 */
	enum proto_type type; /* the frame's type if it could be read, else PT_UNKNOWN */
	char detail[160];    /* e.g. "field \"text\": must be a string" */
};

/* Decodes one frame. Checks size (max_frame; 0 means no check), UTF-8, JSON, type, and
 * every field's presence, type, range and length: for frames from the hub also the range
 * of times, durations and positions (above), names (proto_name_check(); "by" may be ""),
 * room ids, and the lengths of texts (PROTO_MAX_TEXT), tokens and messages. Returns 0 and
 * fills m, or -1 and fills err (m is left cleared). Never crashes on any input. */
int proto_decode(const char *data, size_t len, size_t max_frame, struct proto_msg *m,
    struct proto_decode_err *err);

/* The same for a frame from a client: a type that only the hub sends is PE_UNKNOWN_TYPE
 * (with err->id set), before any of its fields are checked. The hub uses this. */
int proto_decode_request(const char *data, size_t len, size_t max_frame, struct proto_msg *m,
    struct proto_decode_err *err);

/* Encodes m as compact JSON. Returns a new NUL-terminated string (never NULL), which the
 * caller frees with free(): it is jansson's own buffer (the project keeps jansson's default
 * malloc allocator: never call json_set_alloc_funcs). */
char *proto_encode(const struct proto_msg *m);
/* Encodes m as compact JSON straight into a new frame (one reference, owned by the caller:
 * msg_unref) with pre bytes of headroom before the payload (LWS_PRE for lws_write): no
 * intermediate string, no copy. The hub uses this. Never NULL. */
struct msg *proto_encode_msg(const struct proto_msg *m, size_t pre);
/* The same as a new JSON reference. */
json_t *proto_to_json(const struct proto_msg *m);
/* A "history" reply whose events are given already encoded (compact JSON objects, e.g. the
 * frames of a room's ring), spliced in as they are: the hub uses this to avoid decoding
 * and re-encoding. Returns a new frame (one reference, owned by the caller) with pre bytes
 * of headroom; the events are borrowed. */
struct msg *proto_encode_history_msg(size_t pre, int64_t re, const char *room,
    const char *const *events, const size_t *lens, size_t n, bool more);
/* The same as a new NUL-terminated string (the caller frees it). */
char *proto_encode_history(int64_t re, const char *room, const char *const *events,
    const size_t *lens, size_t n, bool more);
/* True for a valid cid: 1..PROTO_MAX_CID bytes of [A-Za-z0-9_-]. */
bool proto_cid_valid(const char *cid);

/* Encoders for the nested objects (new references), shared with the program cache. */
json_t *proto_room_to_json(const struct room_info *r);
json_t *proto_timer_to_json(const struct timer *t);
int proto_room_from_json(const json_t *o, struct room_info *r, char *detail, size_t len);
int proto_timer_from_json(const json_t *o, struct timer *t, char *detail, size_t len);
/* Decodes {items, current} into l (l->items a new array the caller frees). */
int proto_lineup_from_json(const json_t *o, struct proto_lineup *l, char *detail, size_t len);
/* {items, current} for a lineup. New reference. */
json_t *proto_lineup_to_json(const struct lineup_item *items, size_t n, int64_t current);

/* Validates a display name: 1..PROTO_MAX_NAME bytes of valid UTF-8, no whitespace, no
 * control or format characters, not starting with '#', '/' or '@'. Returns PE_NONE,
 * PE_TOO_LONG or PE_BAD_NAME. */
enum proto_err proto_name_check(const char *name);
/* Case-insensitive (ASCII) comparison of names, for uniqueness. */
int proto_name_cmp(const char *a, const char *b);

#endif
