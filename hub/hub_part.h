/* hub_part.h: participation in the hub (private to hub/): topics and votes, talk and
 * pitch sign-ups, Q&A, polls and the speaking queue, kept in the store like everything
 * else (hub/store.h) and applied to the view when the store reports them.
 *
 * Store keys: "item/<id>" (an item object, section 8.5 of doc/PROTOCOL.md, plus the
 * author's name key and whether it is hidden), "vote/<id>/<voter>" (one attendee's vote:
 * {} or {"choice":N}), "qa/<session>" (anonymous questions allowed) and
 * "queue/<room>" (the hands up in a room). Stream "part": the events everyone (or, for
 * sign-ups, the facilitators and the author) is sent and that a client resumes from.
 *
 * hub_part_view.c applies what the store reports and sends it (events, snapshots,
 * coalesced tallies, queues); hub_part.c handles the attendees' and facilitators' requests
 * on items; hub_queue.c the speaking queue. */
#ifndef CONFAB_HUB_PART_H
#define CONFAB_HUB_PART_H

#include "hub/hub_int.h"
#include "model/part.h"

#define HUB_PART_KEEP PROTO_HISTORY   /* "part" events held for a resume's replay */
#define HUB_ITEMS_MAX 2000            /* items a hub holds (beyond: rate-limited) */
#define HUB_TALLY_INTERVAL_MS 1000    /* at most one "tally" event a second */
#define HUB_HANDS_MAX 500             /* hands up in one room */

/* An item as the hub holds it. */
struct hub_item {
	struct part_item it;          /* what may be shown; votes and counts from votes */
	char *author;                 /* the author's name key, or NULL */
	bool hidden;                  /* a facilitator hid it: never sent again */
	struct part_votes *votes;     /* by voter */
	bool dirty;                   /* its counts changed since the last tally */
};

/* One hand up. */
struct hub_hand {
	char *key;                    /* the name's look-alike key */
	char *name;
};

/* The speaking queue of a room. */
struct hub_queue {
	struct hub_hand *hands;
	size_t nhands;
	char called[PROTO_MAX_NAME + 1];
	char by[PROTO_MAX_NAME + 1];
};

/* One event of the "part" stream as held for replays. */
struct hub_part_ev {
	struct msg *frame;            /* the wire frame; NULL when removed */
	uint64_t seq;
	int64_t item;                 /* the item it is about, or 0 */
	char *only;                   /* NULL: everyone; else facilitators and this name key */
};

struct hub_part {
	struct strmap *items;         /* "<id>" -> struct hub_item */
	size_t nitems;
	int64_t next_id;              /* the number the next new item gets */
	struct hub_part_ev *ring;     /* the last HUB_PART_KEEP events */
	size_t ring_start;            /* slot of the oldest */
	size_t ring_n;
	struct strmap *qa;            /* session -> (void *)1: anonymous questions allowed */
	struct strmap *queues;        /* room -> struct hub_queue */
	struct strmap *orphans;       /* "<id>/<voter>" -> choice + 1: votes before their item */
	bool tally_dirty;
	int64_t tally_sent_mono;
	uint64_t tally_seq, queue_seq;
};

/* --- hub_part_view.c --- */
/* The item with this number, or NULL. */
struct hub_item *hub_part_item(const struct hub *hub, int64_t id);
/* The item as the next write should see it (a pending value, else the view), into a new
 * part_item *out (clear it) and *hidden, *author (new or NULL); 0, or -1 when none. */
int hub_part_current(struct hub *hub, int64_t id, struct part_item *out, bool *hidden,
    char **author);
/* The value of item it (the author's key, hidden) as a new string. */
char *hub_part_item_value(const struct part_item *it, const char *author, bool hidden);
/* The stored vote of voter on item id as the next write should see it: its choice (0
 * for an up-vote), or -1 for none. */
int hub_part_vote_current(struct hub *hub, int64_t id, const char *voter);
/* True when session s may see item h (not hidden; a sign-up only by facilitators and
 * its author). */
bool hub_part_visible(const struct hub_session *s, const struct hub_item *h);
/* The queue of room (NULL: none). */
struct hub_queue *hub_part_queue(const struct hub *hub, const char *room);
/* Sends s the queue of room r when anybody has a hand up or was called. */
void hub_part_room_entered(struct hub_session *s, const struct hub_room *r);
/* The events of the stream "part" held for item id: their seqs into *seqs (new array);
 * returns how many. */
size_t hub_part_item_seqs(const struct hub *hub, int64_t id, uint64_t **seqs);

/* --- hub_part.c --- */
/* Handles a participation request about items (the role was checked by the dispatch). */
void hub_part_request(struct hub_session *s, const struct proto_msg *m);
/* Writes an item: its value, then (chained, once the value is stored) an "item" event
 * (change, by) and, with cid, the send id; answers re of s with ok (and the item's number
 * when item_reply) once both are stored. With only_new the value must not exist yet. */
void hub_part_write_item(struct hub *hub, const struct part_item *it, const char *author,
    bool only_new, const char *change, const char *by, const char *cid,
    struct hub_session *s, int64_t re, bool item_reply);
/* Closes the polls whose time has come (from the tick); ms until the next, or -1. */
int64_t hub_part_expire(struct hub *hub);

/* --- hub_queue.c --- */
/* hand, queue.next, queue.clear. */
void hub_queue_request(struct hub_session *s, const struct proto_msg *m);
/* s left room r (part): its hand goes down. */
void hub_queue_parted(struct hub_session *s, const struct hub_room *r);
/* A queue's value as a new string. */
char *hub_queue_value(const struct hub_queue *q);
/* Frees a queue. */
void hub_queue_free(struct hub_queue *q);

#endif
