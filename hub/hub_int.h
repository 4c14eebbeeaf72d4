/* hub_int.h: the hub's private state, shared by hub.c (sessions, rooms, fan-out) and
 * hub_req.c (request handlers). Not for use outside hub/. */
#ifndef CONFAB_HUB_INT_H
#define CONFAB_HUB_INT_H

#include "hub/hub.h"
#include "model/lineup.h"
#include "model/room.h"
#include "model/timer.h"

#define HUB_TOKEN_HEX 32 /* hex digits in a resume token (128 bits) */
#define HUB_CIDS 4096     /* send ids (cids) remembered for dedupe, hub-wide */
#define HUB_USER_KEEP 50  /* "user" events kept per session for a takeover's replay */
#define HUB_SINCE_FRESH (-1) /* hub_session_join: the client has no position */
#define HUB_SINCE_LOST (-2)  /* hub_session_join: a position of another epoch */

struct hub_room {
	struct room_info info;        /* occupancy kept up to date */
	struct msgring *ring;         /* chat and room.closed events; seq = stream seq */
	char stream[ROOM_ID_MAX + 6]; /* "room:<id>" */
};

/* The next seq of a closed room's stream, so that a room re-created with the same id
 * continues its numbering (positions stay unambiguous within an epoch). */
struct hub_room_seq {
	char id[ROOM_ID_MAX + 1];
	uint64_t next;
};

struct hub_join {
	struct hub_room *room;
	uint64_t tail;                /* next ring seq to send */
};

struct hub_session {
	struct hub *hub;
	struct hub_session *prev, *next;
	void *conn;
	char *peer;
	char *name;                   /* NULL until hello */
	enum proto_role role;
	char resume[HUB_TOKEN_HEX + 1];
	bool lagging;                 /* to be dropped at the next reap */
	bool dead;                    /* dropped: waiting for hub_session_closed() */
	struct hub_join *joins;
	size_t njoins, joins_cap;
	size_t rr;                    /* round robin position among joins */
	struct msg **fifo;            /* direct frames, a circular buffer */
	size_t fifo_head, fifo_len, fifo_cap;
	struct msg *last;             /* frame last handed out */
	uint64_t rooms_ver;           /* hub rooms_ver of the rooms list its welcome carried */
	uint64_t user_seq;            /* "user" stream */
	struct msgring *user_ring;    /* its last HUB_USER_KEEP events (seq = user seq) */
	unsigned bad_frames;          /* bad frames in a row */
	char *away;                   /* away message, or NULL (hub_away.c) */
	char *quit_message;           /* the message of its quit, or NULL (hub_away.c) */
};

struct hub {
	struct program *program;
	char **tokens;
	size_t ntokens;
	struct cf_clock clock;
	char *name;
	size_t pre;
	void (*want_write)(void *conn);
	void (*close_conn)(void *conn);
	char epoch[HUB_TOKEN_HEX + 1];

	struct hub_room **rooms;      /* rooms[0] is the lobby */
	size_t nrooms, rooms_cap;
	struct timer *timers;         /* timers[0] is "main" */
	size_t ntimers;

	struct hub_session *sessions, *sessions_tail;
	size_t nsessions;

	bool reap_due;                /* a session was marked lagging since the last reap */
	bool rooms_dirty;
	uint64_t rooms_ver;           /* counts changes of the rooms list */
	int64_t rooms_sent_mono;      /* when the last "rooms" event went out */
	uint64_t rooms_seq, timers_seq, program_seq, lineup_seq;

	struct lineup_item *lineup;   /* main-stage lineup, LINEUP_MAX slots */
	size_t nlineup;
	int64_t lineup_cur;           /* speaking now, or -1 */

	struct hub_cids *cids;        /* recent say/msg cids */
	struct hub_room_seq *closed;  /* rooms closed in this epoch */
	size_t nclosed;
};

/* hub.c: shared helpers for the request handlers. */
int64_t hub_now(const struct hub *hub);
struct hub_room *hub_room_find(const struct hub *hub, const char *id);
struct hub_room *hub_room_add(struct hub *hub, const char *id, const char *title,
    enum room_kind kind, unsigned capacity, const char *session);
void hub_room_close(struct hub *hub, struct hub_room *room, const char *by);
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
struct hub_session *hub_session_find(const struct hub *hub, const char *name);
void hub_session_detach(struct hub_session *s);
struct msg *hub_encode(const struct hub *hub, const struct proto_msg *m);
void hub_send(struct hub_session *s, struct msg *m);
/* Encodes m and queues it for s alone. */
void hub_send_msg(struct hub_session *s, const struct proto_msg *m);
void hub_send_user(struct hub_session *s, struct proto_msg *m);
void hub_broadcast(struct hub *hub, struct msg *m);
void hub_reply_error(struct hub_session *s, int64_t re, enum proto_err code, const char *detail);
void hub_reply_ok(struct hub_session *s, int64_t re, int64_t seq);
void hub_room_push(struct hub *hub, struct hub_room *room, struct proto_msg *m);
struct room_info *hub_room_infos(const struct hub *hub);
/* Marks the rooms list changed: a "rooms" event goes out at the next tick. */
void hub_rooms_changed(struct hub *hub);
void hub_random_hex(char *out, size_t ndigits);
struct timer *hub_timer_find(struct hub *hub, const char *scope, bool create);
/* Sends the state of timer t to every session, on the "timers" stream. */
void hub_timer_broadcast(struct hub *hub, const struct timer *t);

/* Sends the lineup to every session, on the "lineup" stream. */
void hub_lineup_broadcast(struct hub *hub, const char *by);

/* hub_cid.c: the recent cids (O(1) lookup, FIFO-bounded to HUB_CIDS). */
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
void hub_away_msg_ok(struct hub_session *s, int64_t re, const struct hub_session *to);

/* hub_req.c: handles one decoded request from s. */
void hub_req_dispatch(struct hub_session *s, struct proto_msg *m);

#endif
