/* hub_int.h: the hub's private state, shared by its files (not for use outside hub/):
 * hub.c (sessions, fan-out, tick), hub_view.c (applying the store's changes to the view),
 * hub_req.c (chat, rooms, timers, lineup requests), hub_hello.c (hello, names, welcome),
 * hub_mod.c (moderation), hub_limit.c (rate limits), hub_cid.c, hub_names.c. */
#ifndef CONFAB_HUB_INT_H
#define CONFAB_HUB_INT_H

#include "hub/hub.h"
#include "hub/store.h"
#include "model/lineup.h"
#include "model/room.h"
#include "model/timer.h"
#include "util/bucket.h"
#include "util/strmap.h"

#define HUB_TOKEN_HEX 32   /* hex digits in a resume token (128 bits) */
#define HUB_SECRET_HEX 32  /* hex digits in a name's secret (128 bits) */
#define HUB_HASH_HEX 64    /* hex digits of a SHA-256 */
#define HUB_CIDS 4096      /* send ids (cids) remembered for dedupe, hub-wide */
#define HUB_USER_KEEP 50   /* "user" events kept per name for a resume's replay */
#define HUB_SINCE_FRESH (-1) /* hub_session_join: the client has no position */
#define HUB_SINCE_LOST (-2)  /* hub_session_join: a position of another epoch */
#define HUB_OCCUPANCY_INTERVAL_MS 1000 /* at most one "occupancy" event per interval */
#define HUB_OCCUPANCY_BUDGET 2000     /* "occupancy" frames a second at most, hub-wide:
                                         with more sessions the interval grows */
#define HUB_REPORTS_KEEP 100 /* reports kept for /reports */
#define HUB_INQ_MAX 512      /* requests held per session while its writes complete or
                                while it is over its queue budget (one read: 4 KiB) */
#define HUB_INQ_BYTES (64 * 1024)

struct hub_room {
	struct room_info info;        /* occupancy: over every hub sharing the store */
	unsigned local;               /* this hub's sessions in it (store_count()) */
	bool occupancy_moved;         /* changed since the last rooms/occupancy event: sent
	                               * even when back at the value sent then, as a welcome
	                               * in between gave the value of its moment */
	bool closing;                 /* a close is being written to the store */
	struct msgring *ring;         /* the recent events of its stream; seq = stream seq */
	char stream[ROOM_ID_MAX + 6]; /* "room:<id>" */
};

/* Participation limits: per attendee (held name), not per connection (hub_limit.c). */
enum hub_part_limit { HPL_PROPOSE, HPL_ASK, HPL_HAND, HPL_VOTE, HPL__COUNT };

/* A name held for the event by whoever has its secret. */
struct hub_ident {
	char *name;                   /* as registered */
	char *key;                    /* its look-alike key (hub_names.c) */
	char *stream;                 /* "user:<key>": its private events in the store */
	char hash[HUB_HASH_HEX + 1];  /* SHA-256 of the secret, hex */
	struct msgring *user;         /* its recent "user" events (wire frames), or NULL */
	struct hub_session *live;     /* the session holding the name now, or NULL */
	uint64_t user_seen;           /* the last user event written to a session of it that
	                                 has ended (what a client started afresh has seen) */
	int64_t muted_until;          /* hub ms; 0: not muted */
	bool banned;
	struct cf_bucket pbuckets[HPL__COUNT]; /* participation limits of the attendee */
	bool pbuckets_set;
};

struct hub_join {
	struct hub_room *room;
	uint64_t tail;                /* next ring seq to send */
};

struct hub_session {
	struct hub *hub;
	struct hub_session *prev, *next;
	void *conn;
	char *peer;                   /* for the log: the address, or "#N" */
	char *who;                    /* for the log: "NAME (peer)" once named, or NULL */
	bool throttle_logged;         /* its first stop of reading was logged */
	uint64_t user_written;        /* the last user event written to it */
	char *addr;                   /* the peer's address (no port), for limits and bans */
	char *name;                   /* NULL until hello completes */
	struct hub_ident *ident;      /* the name it holds, after hello */
	char *voter;                  /* who votes: the name's key, or its invite's (after
	                                 hello; hub_hello.c) */
	enum proto_role role;
	char resume[HUB_TOKEN_HEX + 1];
	bool hello_pending;           /* a hello waits for the store */
	bool lagging;                 /* to be dropped at the next reap */
	bool dead;                    /* dropped: waiting for hub_session_closed() */
	bool close_when_drained;      /* closed once its queue is sent (kicked, shutting down) */
	int close_code;               /* then the WebSocket close code and reason */
	const char *close_reason;
	bool gone;                    /* closed while writes were pending: freed by the last */
	unsigned npending;            /* store writes whose completion names this session */
	unsigned nstate;              /* of those, writes of values (not chat lines) */
	struct msg **inq;             /* requests held until its writes of values complete */
	size_t ninq, inq_bytes;
	bool resume_queued;           /* in the hub's list of sessions to resume */
	bool conn_counted;            /* counted in its address's connections (limits) */
	struct hub_join *joins;
	size_t njoins, joins_cap;
	size_t rr;                    /* round robin position among joins */
	struct msg **fifo;            /* direct frames, a circular buffer */
	size_t fifo_head, fifo_len, fifo_cap;
	size_t fifo_bytes;            /* payload bytes queued in the FIFO */
	bool throttled;               /* reading paused: too much queued */
	int64_t throttled_mono;       /* since when (monotonic ms) */
	struct msg *last;             /* frame last handed out */
	uint64_t rooms_ver;           /* hub rooms_ver of the rooms list its welcome carried */
	uint64_t presence_seq;        /* its "presence" stream */
	int64_t entered;              /* when its hello completed (hub wall ms; hub_pres.c) */
	unsigned bad_frames;          /* bad frames in a row */
	char *away;                   /* away message, or NULL (hub_away.c) */
	char *quit_message;           /* the message of its quit, or NULL (hub_away.c) */
	struct cf_bucket buckets[6];  /* rate limits (enum hub_limit_kind) */
	uint64_t serial;              /* its number, for logs without addresses */
};

/* A value written and not yet completed: what requests that change it next start from. */
struct hub_pending {
	char *value;                  /* NULL: a pending delete */
	uint64_t gen;
};

/* A facilitator token: for the names whose key is key, or for any name (key NULL). */
struct hub_token {
	char *key;
	char *token;
};

struct hub {
	struct program *program;      /* as attendees see it: base and the live changes */
	struct program *base;         /* as loaded from the program file */
	struct strmap *live;          /* session key -> json_t *: live changes (hub_program.c) */
	struct hub_token *tokens;
	size_t ntokens;
	char **invites;
	size_t ninvites;
	struct cf_clock clock;
	char *name;
	char *notice;                 /* the welcome notice (code of conduct), or NULL */
	size_t pre;
	void (*want_write)(void *conn);
	void (*close_conn)(void *conn);
	void (*flow)(void *conn, bool read);
	bool log_addresses;
	int64_t retain_ms;
	int64_t trimmed_mono;         /* when old chat was last deleted */
	struct hub_limits limits;
	struct store *store;
	bool own_store;
	bool loading;                 /* store_load() runs: build the view, send nothing */
	char epoch[HUB_TOKEN_HEX + 1];

	struct hub_room **rooms;      /* rooms[0] is the lobby */
	size_t nrooms, rooms_cap;
	struct strmap *room_index;    /* id -> struct hub_room */
	struct timer *timers;         /* timers[0] is "main" */
	size_t ntimers;

	struct hub_session *sessions, *sessions_tail;
	size_t nsessions;
	size_t nthrottled;            /* sessions with throttled set (none: no walk for them) */
	uint64_t serials;

	struct strmap *idents;        /* key -> struct hub_ident */
	struct strmap *heads;         /* stream -> uint64_t * (its last seq) */
	struct strmap *pending;       /* key -> struct hub_pending */
	uint64_t pending_gen;
	struct strmap *addrs;         /* address -> struct hub_addr (hub_limit.c) */
	int64_t addrs_swept_mono;
	struct strmap *banned_addrs;  /* address -> (void *)1 */

	bool reap_due;                /* a session was marked lagging since the last reap */
	bool rooms_dirty;             /* the list of rooms changed (not just counts) */
	bool occupancy_dirty;         /* some room's count changed */
	uint64_t rooms_ver;           /* counts changes of the rooms list */
	int64_t rooms_sent_mono;      /* when the last "rooms" event went out */
	int64_t occupancy_sent_mono;  /* when the last "occupancy" event went out */
	uint64_t rooms_seq, timers_seq, program_seq, lineup_seq;

	struct lineup_item *lineup;   /* main-stage lineup, LINEUP_MAX slots */
	size_t nlineup;
	int64_t lineup_cur;           /* speaking now, or -1 */

	struct hub_cids *cids;        /* recent say/msg cids (and participation's) */
	struct hub_part *part;        /* topics, questions, polls, sign-ups, queues (hub_part.h) */
	bool votes_by_invite;         /* a voter is an invite token, not a name */
	struct msgring *reports;      /* recent "report" events, for /reports */
	struct hub_metrics metrics;
	struct hub_session **resume;  /* sessions whose held requests can run now */
	size_t nresume, resume_cap;
	uint32_t lines_sec[60];       /* chat lines in each of the last 60 seconds */
	int64_t lines_stamp[60];      /* the second (monotonic) each slot counts */
};

/* --- hub.c: sessions, fan-out, shared helpers --- */
int64_t hub_now(const struct hub *hub);
int64_t hub_mono(const struct hub *hub);
struct hub_room *hub_room_find(const struct hub *hub, const char *id);
struct hub_join *hub_session_join_find(const struct hub_session *s, const struct hub_room *r);
/* Joins s to r (not already a member) and sets where its replay starts: since is the last
 * seq the client has (>= 0), HUB_SINCE_FRESH or HUB_SINCE_LOST. Returns the position for
 * welcome's "history" or the join's ok (pos.room is the room's id). */
struct proto_room_pos hub_session_join(struct hub_session *s, struct hub_room *r,
    bool presence, int64_t since);
/* The position of a room s is already in (from: the next seq it will be sent). */
struct proto_room_pos hub_session_join_pos(const struct hub_session *s,
    const struct hub_join *j);
int hub_session_part(struct hub_session *s, struct hub_room *r, enum proto_presence why);
/* Sends a presence event about name in r to r's members on this hub (but name's own
 * session), on their "presence" stream (not kept, not replayed). */
void hub_presence_send(struct hub *hub, struct hub_room *r, const char *name,
    enum proto_presence action, const char *message);
/* Queues for s the events of room r that it has not been sent yet. */
void hub_session_drain_room(struct hub_session *s, struct hub_join *j, struct hub_room *r);
void hub_session_join_remove(struct hub_session *s, size_t i);
/* Takes s out of every room (others see "quit") and drops its queue; s sends no more. */
void hub_session_detach(struct hub_session *s);
/* Frees a session that is unlinked and has no pending writes. */
void hub_session_free(struct hub_session *s);
/* Runs the requests s held while its writes of values were pending, in order, until one
 * of them writes a value again: after the current flush, when the view has changed. */
void hub_session_resume_later(struct hub_session *s);
/* Runs the held requests of the sessions whose writes completed in the last flush. */
void hub_resume_held(struct hub *hub);
/* Closes s politely (WebSocket code and reason, static text) once its queue is sent. */
void hub_session_close_later(struct hub_session *s, int code, const char *reason);
/* Marks s to be dropped at the next reap. */
void hub_session_lag(struct hub_session *s);
/* Drops the sessions marked lagging. */
void hub_reap(struct hub *hub);
struct msg *hub_encode(const struct hub *hub, const struct proto_msg *m);
void hub_send(struct hub_session *s, struct msg *m);
/* Encodes m and queues it for s alone. */
void hub_send_msg(struct hub_session *s, const struct proto_msg *m);
/* Queues m for every session that has said hello. */
void hub_broadcast(struct hub *hub, struct msg *m);
/* Encodes m once and queues it for every session that has said hello. */
void hub_broadcast_msg(struct hub *hub, const struct proto_msg *m);
void hub_reply_error(struct hub_session *s, int64_t re, enum proto_err code, const char *detail);
void hub_reply_ok(struct hub_session *s, int64_t re, int64_t seq);
struct room_info *hub_room_infos(const struct hub *hub);
/* Marks the rooms list changed: a "rooms" event goes out at the next tick. */
void hub_rooms_changed(struct hub *hub);
/* Marks a room's count changed: an "occupancy" event goes out within a second. */
void hub_occupancy_changed(struct hub *hub);
/* Adds delta (+1, -1) to this hub's sessions in r and tells the store, which reports the
 * count over every hub (hub_view.c sets r->info.occupancy). */
void hub_room_count(struct hub *hub, struct hub_room *r, int delta);
struct timer *hub_timer_find(struct hub *hub, const char *scope, bool create);
/* Sends the state of timer t to every session, on the "timers" stream. */
void hub_timer_broadcast(struct hub *hub, const struct timer *t);
/* Sends the lineup to every session, on the "lineup" stream. */
void hub_lineup_broadcast(struct hub *hub, const char *by);
/* The session for the log: its address when addresses are logged, else "#serial". */
const char *hub_session_who(const struct hub_session *s);

/* Counts a chat line for the lines-a-second gauge. */
void hub_count_line(struct hub *hub);

/* --- hub_tick.c: periodic work --- */
/* Deletes the chat older than the retention (at start, then hourly). */
void hub_retain(struct hub *hub);

/* --- hub_view.c: the store's changes applied to the view --- */
/* The watch that hub_create() gives the store. */
void hub_view_watch(struct hub *hub, struct store_watch *w);
/* Builds the lobby and one room per discussion session of the program. */
void hub_view_rooms_from_program(struct hub *hub);
/* Adds the chat room of program session ps when it is a discussion without one. */
void hub_view_session_room(struct hub *hub, const struct session *ps);
/* After store_load(): rings of streams that kept no events continue after their last seq. */
void hub_view_loaded(struct hub *hub);
/* Applies key's new value (NULL: deleted), as the watch would. */
void hub_view_value(struct hub *hub, const char *key, const char *value);
/* The last seq of stream in the view (0: none). */
uint64_t hub_view_head(const struct hub *hub, const char *stream);
/* The identity with this key, or NULL. */
struct hub_ident *hub_view_ident(const struct hub *hub, const char *key);
/* The encoded event data of m (a compact JSON object without "stream" and "seq"), new. */
char *hub_event_data(const struct proto_msg *m, size_t *len);
/* A wire frame: data with "stream":stream and "seq":seq in front. */
struct msg *hub_event_frame(const struct hub *hub, const char *stream, uint64_t seq,
    const char *data, size_t len);

/* --- hub_write.c: writes to the store on behalf of requests --- */
/* What to do when a write completes. */
typedef void (*hub_write_fn)(struct hub *hub, struct hub_session *s, int64_t re,
    enum store_result result, uint64_t seq, void *data);
/* Appends an event of m (encoded here) to stream; then fn(s, re, ...), where s is NULL
 * when there was none or it has gone meanwhile. fn owns data (may be NULL) and frees it;
 * with fn NULL, data is freed with free(). */
void hub_write_event(struct hub *hub, const char *stream, const struct proto_msg *m,
    const char *cid, struct hub_session *s, int64_t re, hub_write_fn fn, void *data);
/* The same with the event's data already encoded (hub_event_data()), len bytes. */
void hub_write_event_data(struct hub *hub, const char *stream, const char *text, size_t len,
    const char *cid, struct hub_session *s, int64_t re, hub_write_fn fn, void *data);
/* Sets key to value (NULL: deletes it), remembered as pending until it completes. */
void hub_write_value(struct hub *hub, const char *key, const char *value, bool only_new,
    struct hub_session *s, int64_t re, hub_write_fn fn, void *data);
/* Removes event seq of stream. */
void hub_write_remove(struct hub *hub, const char *stream, uint64_t seq,
    struct hub_session *s, int64_t re, hub_write_fn fn, void *data);
/* The value of key as the next write should see it: a pending one, else *found false. */
const struct hub_pending *hub_write_pending(const struct hub *hub, const char *key);
/* Replies not-stored to re (saying why when the store is out of reach). */
void hub_reply_store_failed(struct hub_session *s, int64_t re);
/* A completion that replies ok (or an error when the store failed). */
void hub_write_reply(struct hub *hub, struct hub_session *s, int64_t re,
    enum store_result result, uint64_t seq, void *data);

/* --- hub_cid.c: the recent cids (O(1) lookup, FIFO-bounded to HUB_CIDS) --- */
struct hub_cids;
struct hub_cids *hub_cids_create(void);
void hub_cids_free(struct hub_cids *t);
size_t hub_cids_count(const struct hub_cids *t);
bool hub_cids_find(const struct hub_cids *t, const char *cid, int64_t *seq);
void hub_cids_add(struct hub_cids *t, const char *cid, int64_t seq);

/* hub_away.c: away and quit messages. */
const char *hub_away_of(const struct hub_session *s);
void hub_away_free(struct hub_session *s);
void hub_away_request(struct hub_session *s, const struct proto_msg *m);
void hub_away_quit(struct hub_session *s, const struct proto_msg *m);
void hub_away_msg_reply(struct hub *hub, struct hub_session *s, int64_t re,
    enum store_result result, uint64_t seq, void *data);

/* --- hub_pres.c: presence across the hubs sharing a store --- */
#define HUB_PRES_SILENT (-1)          /* hub_pres_note(): nothing to tell */
char *hub_pres_info(int64_t entered, const char *away);
int hub_pres_info_parse(const char *info, int64_t *entered, const char **away);
char *hub_pres_event(enum proto_presence action, const char *message);
int hub_pres_event_parse(const char *event, enum proto_presence *action,
    const char **message);
/* s is in r (in) or left it; action: what the other hubs' members of r are told (an enum
 * proto_presence, or HUB_PRES_SILENT). */
void hub_pres_note(struct hub_session *s, struct hub_room *r, bool in, int action);
/* The away message of s changed. */
void hub_pres_away(struct hub_session *s);
/* The store's watch "presence". */
void hub_pres_watch(void *arg, const char *room, const char *name, const char *info,
    const char *event, bool arrived);
/* The members of r on every hub, sorted, each once: *names, *away (new arrays of
 * borrowed strings, NULL-terminated); returns their number. */
size_t hub_pres_who(struct hub *hub, struct hub_room *r, const char ***names,
    const char ***away);

/* hub_req.c: handles one decoded request from s. */
/* --- hub_names.c: names that look alike are one name --- */
/* The look-alike key of a valid name (hub_name_check() passed): a new string. */
char *hub_name_key(const char *name);
/* PE_NONE, or why name cannot be held (PE_BAD_NAME with *why: a static English reason). */
enum proto_err hub_name_check(const char *name, const char **why);
/* SHA-256 of s as hex into out (HUB_HASH_HEX + 1 bytes). */
void hub_hash_hex(const char *s, char *out);
/* Constant-time string equality (the time depends on the lengths only). */
bool hub_token_equal(const char *a, const char *b);

/* --- hub_limit.c: rate limits --- */
enum hub_limit_kind { HL_SAY, HL_MSG, HL_JOIN, HL_HISTORY, HL_OTHER, HL__COUNT };
/* True when the attendee of s may do one more action of kind (and counts it). */
bool hub_limit_take_attendee(struct hub_session *s, enum hub_part_limit kind);
/* Fills the session's buckets. */
void hub_limit_session_init(struct hub_session *s);
/* True when s may do one more action of kind (and counts it); false: rate-limited. */
bool hub_limit_take(struct hub_session *s, enum hub_limit_kind kind);
/* Per address: counts a new connection; false when the address has too many (then it
 * is not counted). */
bool hub_limit_conn_open(struct hub *hub, const char *addr);
/* Per address: true when one more connection would be allowed (counts nothing). */
bool hub_limit_conn_check(struct hub *hub, const char *addr);
void hub_limit_conn_close(struct hub *hub, const char *addr);
/* Per address: counts a hello; false when the address said hello too often. */
bool hub_limit_hello(struct hub *hub, const char *addr);
/* Forgets idle addresses (at most once a minute). */
void hub_limit_sweep(struct hub *hub);
void hub_limit_free(struct hub *hub);

/* --- hub_program.c: the program, reloads and live changes --- */
void hub_program_init(struct hub *hub, const struct program *p);
/* After store_load(): the live changes the store keeps apply. */
void hub_program_loaded(struct hub *hub);
void hub_program_free(struct hub *hub);
/* The store value "session/<key>" (value NULL: deleted). */
void hub_program_value(struct hub *hub, const char *key, const char *value);
/* session.change. */
void hub_program_request(struct hub_session *s, const struct proto_msg *m);

/* --- hub_hello.c --- */
void hub_hello_request(struct hub_session *s, const struct proto_msg *m);

/* --- hub_mod.c: moderation --- */
void hub_mod_request(struct hub_session *s, const struct proto_msg *m);

/* --- hub_part_view.c: participation in the view (hub_part.h has the rest) --- */
struct hub_part *hub_part_create(void);
void hub_part_free(struct hub_part *p);
/* Applies a participation value (keys item/, vote/, qa/, queue/); false for another key. */
bool hub_part_value(struct hub *hub, const char *key, const char *value);
/* An event of the "part" stream (appended, or loaded). */
void hub_part_event(struct hub *hub, const struct store_event *ev);
/* Event seq of the "part" stream was removed. */
void hub_part_removed(struct hub *hub, uint64_t seq);
/* After the welcome of s: the "part" events after its position pos (has_pos: a position
 * of this epoch) when the hub still holds them all, else a snapshot (lost: it had a
 * position); then the queues of the rooms s is in. */
void hub_part_enter(struct hub_session *s, bool has_pos, int64_t pos);
/* The coalesced tally and the polls' ends; ms until the next is due, or -1. */
void hub_part_tick(struct hub *hub);
int64_t hub_part_due(const struct hub *hub);

/* --- hub_req.c: handles one decoded request from s --- */
void hub_req_dispatch(struct hub_session *s, struct proto_msg *m);
/* The room named by a request, or NULL after replying no-such-room (naming it). */
struct hub_room *hub_req_room(struct hub_session *s, const struct proto_msg *m, const char *id);
/* Closes room r through the store: its stream gets "room.closed", its value the closed
 * mark, its timer goes; by: who ("" when it reached its end). s, re: the request to
 * answer (s NULL: none). */
void hub_req_close_room(struct hub *hub, struct hub_room *r, const char *by,
    struct hub_session *s, int64_t re);
/* The room id's description as the next write should see it: 1 and *info when it
 * exists (pending or in the view), 0 when it does not. */
int hub_req_room_current(const struct hub *hub, const char *id, struct room_info *info);
/* Writes room info (a new or changed room); fn as for hub_write_value. */
void hub_req_room_write(struct hub *hub, const struct room_info *info, struct hub_session *s,
    int64_t re, hub_write_fn fn, void *data);
/* Appends it to the lineup (by: who); *index gets its 0-based place. Returns -1 when the
 * lineup is full. */
int hub_req_lineup_append(struct hub *hub, const struct lineup_item *it, const char *by,
    int64_t *index);
/* True (after replying muted to re) when s may not speak now. */
bool hub_req_muted(struct hub_session *s, int64_t re);

#endif
