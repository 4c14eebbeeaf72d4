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
	uint64_t preq;    /* a participation request (client_part_req.c): its serial */
	char subject[48]; /* what the request is about, for its errors ("timer main"), or "" */
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
	bool told;        /* the user heard that it waits for the hub */
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
	bool link_failed;    /* a link failed or dropped: the hub is out of reach until a
	                      * welcome */
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
	struct client_part *part;  /* topics, questions, polls, sign-ups, queues */

	struct agenda *agenda;     /* the starred sessions (client_agenda.c) */
	char *state_dir;           /* where the agenda file goes, or NULL */
	int64_t remind_ms;         /* 0: no reminders */
	struct search_filter filter; /* the schedule's filters */

	/* client_habits.c */
	bool time_local, clock12;  /* /tz, /clock */
	char *away;                /* our away message, or NULL */
	bool away_sent;            /* the hub has our away state (sent on this link) */
	char **ignore;             /* names ignored */
	size_t nignore;
	char *config_path;         /* where /ignore keeps the list, or NULL */
	struct smartfilter *sf;    /* NULL: no notice is hidden */
	char *log_dir;             /* chat logs' top directory, or NULL */
	struct chatlog *chatlog;   /* this hub's logs (made on client_connecting) */
	bool quitting;             /* our quit went out */
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
/* The same for a request given as a JSON object without its id (kept as it is). */
struct pending *client_request_json(struct client *c, json_t *o, enum proto_type type,
    const char *room);
/* Sends frame (a new string, freed), request id of type, and records it pending. */
struct pending *client_request_frame(struct client *c, char *frame, int64_t id,
    enum proto_type type, const char *room);
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
/* client_part.c: participation as the hub tells it */
struct client_part *client_part_create(void);
void client_part_free(struct client_part *p);
/* A participation event (item, item.hidden, qa, part.state, tally, queue, signup.answer). */
void client_part_frame(struct client *c, const struct proto_msg *m);
/* A welcome: positions of another epoch mean nothing. */
void client_part_welcome(struct client *c, bool same_epoch);
/* Our position in the "part" stream for hello: true and *pos when we have one. */
bool client_part_position(const struct client *c, int64_t *pos);
/* The lineup changed (or came with a welcome): "you are up next" when it is so. */
void client_part_lineup(struct client *c);
/* A timer changed: the timer of our lineup item started. */
void client_part_timer(struct client *c, const struct timer *t, enum timer_change change);
/* Ms until a coalesced vote count is due (-1: none); client_tick() tells them. */
int64_t client_part_wakeup(struct client *c);
void client_part_tick(struct client *c);
/* We left room (or it closed): its queue is forgotten. */
void client_part_parted(struct client *c, const char *room);
/* Our vote on item id is (choice >= 0) or is no longer (-1) there. */
void client_part_voted(struct client *c, int64_t id, int choice);
/* client_part_req.c: participation requests */
void client_part_run(struct client *c, const struct command *cmd);
/* Runs a participation command that needs no hub (lists); false for the others. */
bool client_part_local(struct client *c, const struct command *cmd);
/* The hub answered a participation request p: ok (code PE_NONE, ok) or refused. */
void client_part_answer(struct client *c, const struct pending *p, const struct proto_ok *ok,
    enum proto_err code);
/* The link dropped: participation requests not answered are sent again after the next
 * welcome (those that are safe to repeat). */
void client_part_link_down(struct client *c);
void client_part_resend(struct client *c);
/* True when p is a participation request that will be sent again. */
bool client_part_will_resend(const struct client *c, const struct pending *p);
void client_part_reqs_free(struct client *c);
/* Finds the day index for /schedule DAY (and /filter day), or returns -1 with a message
 * shown (client.c). */
int client_schedule_day(struct client *c, const struct command *cmd, int *day);
/* client_agenda.c */
void client_agenda_init(struct client *c, const struct client_config *cfg);
void client_agenda_free(struct client *c);
/* Loads the stars of the hub at url (from the state directory). */
void client_agenda_hub(struct client *c, const char *url);
/* Runs /search, /filter, /star, /unstar, /agenda, /export (the program is there). */
void client_agenda_run(struct client *c, const struct command *cmd);
/* Ms until the next reminder, or -1; client_agenda_tick() gives the due ones. */
int64_t client_agenda_wakeup(struct client *c);
void client_agenda_tick(struct client *c);
/* client_staff.c */
void client_timer_request(struct client *c, const struct command *cmd);
void client_room_create(struct client *c, const struct command *cmd);
void client_room_expire(struct client *c, const struct command *cmd);
void client_lineup_request(struct client *c, const struct command *cmd);
void client_link_gone(struct client *c, enum client_notice what, const char *reason,
    int64_t delay_ms);
/* client_habits.c */
void client_tell_waiting(struct client *c);
void client_queued_info(struct client *c, const char *line);
void client_habits_init(struct client *c, const struct client_config *cfg);
void client_habits_free(struct client *c);
bool client_habits_run(struct client *c, const struct command *cmd);
void client_habits_welcome(struct client *c);
void client_habits_connecting(struct client *c, const char *url);
void client_habits_chat(struct client *c, const char *room, const char *from,
    const char *text, bool me, int64_t ts);
void client_habits_privmsg(struct client *c, const char *from, const char *to,
    const char *text, bool outgoing, int64_t ts);
void client_habits_presence(struct client *c, const struct proto_presence_ev *p);
void client_habits_who(struct client *c, const struct proto_members *mb);
void client_info(struct client *c, const char *tag, const char *text);
char *client_error_text(const struct client *c, const struct pending *p,
    enum proto_err code, const char *text);

#endif
