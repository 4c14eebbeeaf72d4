/* client_int.h: the client's private state, shared by client.c (requests) and
 * client_recv.c (frames from the hub). Not for front ends. */
#ifndef CONFAB_CLIENT_INT_H
#define CONFAB_CLIENT_INT_H

#include "client/client.h"
#include "client/clocksync.h"

/* A request sent and not yet answered. */
struct pending {
	int64_t id;
	enum proto_type type;
	char room[ROOM_ID_MAX + 1];
	bool quiet;       /* join: a silent re-join after reconnect */
	bool after_join;  /* who: asked to show the occupancy after our join */
	uint64_t seq;     /* id 0: a say that was accepted; waiting for its chat event */
	int64_t t0;       /* ping: our monotonic clock when sent */
};

/* What the client keeps per room: dedup position and recent chat. */
struct room_state {
	char id[ROOM_ID_MAX + 1];
	uint64_t last_seq;
	struct client_chat chat[CLIENT_CHAT_KEEP];
	size_t head, n;   /* ring: oldest at head */
};

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
	unsigned name_tries;
	char *token, *resume, *epoch;
	enum proto_role role;
	bool linked, online, ever_online;
	int64_t next_id;

	struct clocksync *sync; /* hub clock estimate (on our monotonic clock) */
	int64_t last_ping;   /* monotonic ms of the last ping sent on this link */
	unsigned burst;      /* pings sent on this link, counted up to CLIENT_PING_BURST */

	struct program *program;
	struct room_info *rooms;
	size_t nrooms;
	bool have_rooms;
	struct timer *timers;
	unsigned *tdone;     /* per timer: bits (1 << enum timer_milestone) behind us */
	size_t ntimers;
	char **joined;
	size_t njoined;
	char current[ROOM_ID_MAX + 1];

	struct pending *pending;
	size_t npending;
	char **queue;        /* lines typed while offline */
	size_t nqueue;
	struct room_state **rs;
	size_t nrs;

	struct lineup_item *lineup;
	size_t nlineup;
	int64_t lineup_cur;
	bool have_lineup;
	struct room_end *ends;
	size_t nends;
};

int64_t client_wall(const struct client *c);
int64_t client_mono(const struct client *c);
void client_add_joined(struct client *c, const char *room);
void client_remove_joined(struct client *c, const char *room, const char *to);
struct room_info *client_find_room(const struct client *c, const char *room);
struct room_state *client_rs(struct client *c, const char *room);
void client_keep_chat(struct room_state *rs, const struct proto_chat *ch);
void client_local_error(struct client *c, const char *message);
struct pending *client_request(struct client *c, struct proto_msg *m, const char *room);
int client_take_pending(struct client *c, int64_t re, struct pending *out);
void client_send_hello(struct client *c);
struct pending *client_room_request(struct client *c, enum proto_type type, const char *room);
void client_flush_queue(struct client *c);

#endif
