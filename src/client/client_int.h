/* client_int.h: the client's private state, shared by client.c (requests) and
 * client_recv.c (frames from the hub). Not for front ends. */
#ifndef CONFAB_CLIENT_INT_H
#define CONFAB_CLIENT_INT_H

#include "client/client.h"
#include "client/clocksync.h"
#include "client/command.h"
#include "util/idindex.h"

/* A request sent and not yet answered. */
struct pending {
	int64_t id;
	enum proto_type type;
	char room[ROOM_ID_MAX + 1];
	bool quiet;       /* join: a silent re-join after reconnect */
	bool after_join;  /* who: asked to show the occupancy after our join */
	bool since;       /* join: sent with our position in the room */
	uint64_t seq;     /* id 0: a say that was accepted; waiting for its chat event */
	uint64_t out;     /* say, msg: the serial of its struct out */
	int64_t t0;       /* our monotonic clock when sent */
	uint64_t before;  /* history: only lines older than this were asked for */
	char name[PROTO_MAX_NAME + 1];   /* moderation: whom it is about */
	int minutes;      /* mute: for how long */
};

/* Where a say or msg of ours is until the hub answers it. */
enum out_state {
	OUT_QUEUED,       /* typed offline: waits in the input queue */
	OUT_SENT,         /* sent on this link (a pending request carries its serial) */
	OUT_RETRY,        /* sent on an earlier link and not answered: sent again, with the
	                   * same cid, right after the next welcome */
};

/* A say or msg of ours (see struct client_out). */
struct out {
	uint64_t serial;
	enum out_state state;
	enum proto_type type;      /* PT_SAY or PT_MSG */
	char cid[PROTO_MAX_CID + 1];
	char room[ROOM_ID_MAX + 1];
	char *to, *text;
	bool me, offline, shown;   /* shown: the view was told it is pending */
};

/* One line of input waiting for its turn; out: the serial of a say/msg typed offline
 * (then line is NULL), else 0. */
struct qitem {
	char *line;
	uint64_t out;
};

/* What the client keeps per room: dedup position and chat lines (a ring that grows up to
 * CLIENT_CHAT_MAX lines). */
struct room_state {
	char id[ROOM_ID_MAX + 1];
	uint64_t last_seq;
	struct client_chat *chat;
	size_t cap, head, n;   /* ring: oldest at head */
	bool history_out;      /* a history request for the room is unanswered */
	bool at_start;         /* the hub holds nothing older than our oldest line */
	bool since_sent;       /* our position in it went out with the last hello */
};

#define CLIENT_AIDS 16   /* announcements remembered, so each is shown once */

/* A room end we know about; warned: its "closes in" line is behind us. */
struct room_end {
	char id[ROOM_ID_MAX + 1];
	int64_t at;
	bool warned;
};

struct client {
	struct client_view v;
	const struct cf_clock *clock;
	client_send_fn send;
	void *send_arg;

	char *name;          /* current name: wanted, then what the hub said */
	char *wanted;        /* the name asked for at the start (name gets "_" on name-taken) */
	unsigned name_tries;
	int64_t hello_retry_at;   /* monotonic ms: send hello again (refused: rate-limited), 0 */
	int64_t hello_retry_ms;   /* the delay before that retry, doubling */
	bool refused;        /* the hub refused us for good (client_view.fatal was called) */
	char *token, *resume, *epoch;
	char *secret;        /* our name's secret on this hub, or NULL */
	char *secrets_path;  /* where secrets are kept, or NULL */
	char *invite;        /* invite token, or NULL */
	char *notice;        /* the hub's welcome notice shown last (shown once per hub) */
	enum proto_role role;
	bool linked, online, ever_online;
	bool cert_refused;   /* the hub's certificate was refused: nothing will be sent */
	int64_t next_id;

	struct clocksync *sync; /* hub clock estimate (on our monotonic clock) */
	int64_t last_ping;   /* monotonic ms of the last ping sent on this link */
	unsigned burst;      /* pings sent on this link, counted up to CLIENT_PING_BURST */

	struct program *program;
	struct room_info *rooms;
	size_t nrooms;
	struct idindex *room_ix;   /* rooms by id */
	bool have_rooms;
	struct timer *timers;
	unsigned *tdone;     /* per timer: bits (1 << enum timer_milestone) behind us */
	size_t ntimers, timers_cap;
	struct idindex *timer_ix;  /* timers by scope */
	char **joined;
	size_t njoined;
	struct idindex *joined_ix; /* joined rooms by id: position in joined */
	char current[ROOM_ID_MAX + 1];

	struct pending *pending;
	size_t npending;
	struct qitem *queue; /* input typed while offline or while a join is answered */
	size_t nqueue;
	struct out **outs;   /* our says and msgs not answered yet, in the order typed */
	size_t nouts;
	uint64_t next_out;
	char cid_base[9];    /* 8 random hex digits: cids are "<base>-<counter>" */
	uint64_t user_seq;   /* the last "user" stream seq seen */

	char *url;           /* the hub's URL (for the program cache) */
	char *cache_dir;
	bool program_live;   /* the program came from the hub on this link */
	struct client_stats stats; /* our own counts (link counters: see link_stats) */
	void (*link_stats)(void *arg, struct client_link_stats *out);
	void *link_stats_arg;
	struct room_state **rs;
	size_t nrs;
	struct idindex *rs_ix;     /* room states by id */

	struct lineup_item *lineup;
	size_t nlineup;
	int64_t lineup_cur;
	bool have_lineup;
	struct room_end *ends;
	size_t nends;
	bool show_ids;       /* /ids on */
	char aids[CLIENT_AIDS][65]; /* the last announcements shown (announce ids) */
	size_t naid;
};

int64_t client_wall(const struct client *c);
int64_t client_mono(const struct client *c);
/* client_rooms.c */
void client_rooms_init(struct client *c);
void client_rooms_free(struct client *c);
bool client_add_joined(struct client *c, const char *room);
void client_remove_joined(struct client *c, const char *room, const char *to);
void client_clear_joined(struct client *c);
struct room_info *client_find_room(const struct client *c, const char *room);
struct idindex *client_rooms_index(const struct room_info *rooms, size_t n);
struct room_info *client_rooms_kept(const struct room_info *rooms, size_t n, size_t *kept);
void client_take_rooms(struct client *c, struct room_info *rooms, size_t n);
void client_set_rooms(struct client *c, const struct room_info *rooms, size_t n);
void client_drop_room(struct client *c, struct room_info *ri);
size_t client_timer_slot(struct client *c, const char *scope);
size_t client_set_timers(struct client *c, const struct timer *t, size_t n);
void client_clear_timers(struct client *c);
/* client_store.c, client.c, client_recv.c, client_out.c */
struct room_state *client_rs(struct client *c, const char *room);
void client_keep_chat(struct room_state *rs, const struct proto_chat *ch, uint64_t seq);
void client_rs_clear(struct room_state *rs);
void client_rs_free(struct room_state *rs);
size_t client_rs_prepend(struct room_state *rs, const struct proto_chat_ev *ev, size_t n,
    uint64_t before);
void client_local_error(struct client *c, const char *message);
struct pending *client_request(struct client *c, struct proto_msg *m, const char *room);
int client_take_pending(struct client *c, int64_t re, struct pending *out);
void client_send_hello(struct client *c);
struct pending *client_room_request(struct client *c, enum proto_type type, const char *room);
void client_flush_queue(struct client *c);
void client_out_init(struct client *c);
struct out *client_out_new(struct client *c, const char *room, const char *to,
    const char *text, bool me, bool offline);
struct out *client_out_find(const struct client *c, uint64_t serial);
void client_out_show(struct client *c, struct out *o);
size_t client_out_waiting(const struct client *c);
void client_out_link_down(struct client *c);
void client_out_free_all(struct client *c);
void client_out_send(struct client *c, struct out *o);
void client_out_done(struct client *c, uint64_t serial, const struct proto_ok *ok,
    enum proto_err code);
void client_resend(struct client *c);
/* Marks the kept chat line seq of rs removed (a facilitator deleted it). */
void client_rs_forget(struct room_state *rs, uint64_t seq);
/* The hub refused us for good: tells the view once (client_view.fatal). */
void client_refused(struct client *c, const char *message, const char *reason);
/* client_mod.c */
void client_mod_run(struct client *c, const struct command *cmd);
void client_mod_ids(struct client *c, const struct command *cmd);
void client_mod_done(struct client *c, const struct pending *p);
void client_on_chat_deleted(struct client *c, const struct proto_msg *m);
void client_on_announcement(struct client *c, const struct proto_msg *m);
void client_on_report(struct client *c, const struct proto_msg *m);
void client_on_moderation(struct client *c, const struct proto_msg *m);
void client_show_notice(struct client *c, const char *notice);
void client_save_program(struct client *c);
void client_clock_timer(struct client *c, enum timer_change change);
void client_expire(struct client *c);

#endif
