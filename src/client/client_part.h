/* client_part.h: participation in the client (private to src/client): the items the hub
 * told us about, the queues of the rooms we are in, the sessions that allow anonymous
 * questions, our position in the "part" stream, and our requests until they are answered
 * (client_part.c: what the hub tells; client_part_req.c: what we ask). */
#ifndef CONFAB_CLIENT_PART_H
#define CONFAB_CLIENT_PART_H

#include <jansson.h>

#include "client/client_int.h"

/* An item and how far its count was told. */
struct citem {
	struct part_item it;
	int64_t told;                       /* the votes last told (client_view.tally) */
	int64_t told_counts[PART_CHOICES_MAX];
	int64_t told_at;                    /* our monotonic ms then (0: never) */
	bool due;                           /* a newer count waits to be told */
};

/* A participation request of ours until it is answered. */
struct preq {
	uint64_t serial;
	json_t *req;                        /* the request without its id */
	enum proto_type type;
	int64_t item;                       /* the item it is about, or 0 */
	int choice;                         /* a poll vote's choice, or -1 */
	bool up;                            /* hand: raise */
	char room[ROOM_ID_MAX + 1];
	bool resend;                        /* sent on an earlier link: send it again */
	bool resent;                        /* it was sent again */
};

struct client_part {
	struct citem **items;               /* sorted by number */
	size_t nitems, cap;
	char **qa;                          /* sessions that allow anonymous questions */
	size_t nqa;
	struct client_queue *queues;        /* of rooms we are in */
	size_t nqueues;
	int64_t pos;                        /* the last "part" seq we have */
	bool have_pos;
	char next_key[LINEUP_TITLE_MAX * 4 + 32]; /* the lineup item told "up next", or "" */
	struct preq **reqs;                 /* in the order sent */
	size_t nreqs;
	uint64_t serials;
};

/* The item with this number, or NULL. */
struct citem *client_part_find(const struct client_part *p, int64_t id);

#endif
