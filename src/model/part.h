/* part.h: how attendees shape the event: the items they and the facilitators create
 * (topics for open discussions, questions for Q&A, polls, talk and pitch sign-ups), the
 * votes on them and the orders in which they are listed.
 *
 * No network and no terminal here: the hub keeps every vote by voter (struct part_votes)
 * and the client keeps the counts the hub sends; both list items with part_order(). */
#ifndef CONFAB_PART_H
#define CONFAB_PART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/lineup.h"
#include "model/room.h"

/* Lengths, in code points unless said otherwise (doc/PROTOCOL.md section 10). */
#define PART_TOPIC_MAX 120        /* a topic's title */
#define PART_QUESTION_MAX 500     /* a question */
#define PART_POLL_MAX 200         /* a poll's question */
#define PART_CHOICE_MAX 40        /* one choice of a poll */
#define PART_CHOICES_MIN 2
#define PART_CHOICES_MAX 10
#define PART_SIGNUP_MAX LINEUP_TITLE_MAX  /* a sign-up's title: it goes into the lineup */
#define PART_NOTE_MAX 200         /* bytes of a facilitator's note on a declined sign-up */
#define PART_NAME_MAX 32          /* bytes of a name (as PROTO_MAX_NAME) */

enum part_kind { PK_TOPIC = 0, PK_QUESTION, PK_POLL, PK_SIGNUP, PK__COUNT };

/* What became of an item. Topics: open, running (promoted to a breakout room), merged;
 * questions: open, answered; polls: open, closed; sign-ups: open, accepted, declined. */
enum part_state {
	PS_OPEN = 0, PS_RUNNING, PS_MERGED, PS_ANSWERED, PS_CLOSED, PS_ACCEPTED, PS_DECLINED,
	PS__COUNT
};

struct part_item {
	int64_t id;                     /* the hub's number for it, from 1 */
	enum part_kind kind;
	enum part_state state;
	char *title;                    /* topic title, question, poll question, sign-up title */
	char by[PART_NAME_MAX + 1];     /* who made it; "" for an anonymous question */
	bool anonymous;                 /* a question asked anonymously */
	char session[ROOM_ID_MAX + 1];  /* the program session it belongs to, or "" */
	char room[ROOM_ID_MAX + 1];     /* a promoted topic's breakout room, or "" */
	int64_t ts;                     /* hub ms when it was made */
	int64_t into;                   /* a merged topic: the topic it went into; else 0 */
	bool pinned;                    /* a question shown first */
	bool secret;                    /* a poll whose counts are shown only once closed */
	int64_t closes_at;              /* a poll that closes by itself: hub ms; else 0 */
	enum lineup_kind format;        /* a sign-up: talk or pitch */
	char *note;                     /* a declined sign-up's note, or NULL */
	char **choices;                 /* a poll's choices (nchoices of them) */
	size_t nchoices;
	int64_t votes;                  /* how many attendees voted (not for sign-ups) */
	int64_t counts[PART_CHOICES_MAX]; /* a poll: votes per choice, when has_counts */
	bool has_counts;
	bool voted;                     /* (client) this attendee voted for it */
	int choice;                     /* (client) this attendee's choice in a poll, or -1 */
};

/* Wire names: "topic", "question", "poll", "signup". */
const char *part_kind_name(enum part_kind k);
int part_kind_parse(const char *name, enum part_kind *k);
/* Wire names: "open", "running", "merged", "answered", "closed", "accepted", "declined". */
const char *part_state_name(enum part_state s);
int part_state_parse(const char *name, enum part_state *s);
/* True when state s is one that an item of kind k can be in. */
bool part_state_valid(enum part_kind k, enum part_state s);
/* The most code points of an item's title, by kind. */
size_t part_title_max(enum part_kind k);

/* A new item of kind k (state open, choice -1, no strings). Free with part_item_free(). */
struct part_item *part_item_new(enum part_kind k);
/* Frees it and its strings. Safe on NULL. */
void part_item_free(struct part_item *it);
/* Frees the strings of it (not it) and zeroes it. */
void part_item_clear(struct part_item *it);
/* A deep copy of it into dst (dst's old strings are not freed). */
void part_item_copy(struct part_item *dst, const struct part_item *src);
/* Sets the title, note or choices (copies). */
void part_item_set_title(struct part_item *it, const char *title);
void part_item_set_note(struct part_item *it, const char *note);
void part_item_set_choices(struct part_item *it, const char *const *choices, size_t n);
/* True when it takes votes now: an open or running topic, an open question or poll. */
bool part_item_votable(const struct part_item *it);
/* The choice of a poll named by text: its 1-based number, or its text (ASCII case does
 * not matter; a unique prefix will do). Returns the 0-based index, or -1. */
int part_item_find_choice(const struct part_item *it, const char *text);
/* The choice (0-based) with the most votes of a poll with counts, or -1 when there is
 * none or a tie for first place. */
int part_item_winner(const struct part_item *it);

/* Orders v[0..n) for a list of one kind: topics by votes (most first), ties by age
 * (oldest first); questions pinned first, then open before answered, then by votes and
 * age; polls open first, newest first; sign-ups open first, then by age. Items of
 * another kind keep their relative order at the end. */
void part_order(const struct part_item **v, size_t n, enum part_kind k);

/* The votes on one item, by voter (a string key: who cannot vote twice). Items with
 * choices (polls) keep each voter's choice and a count per choice. */
struct part_votes;

/* An empty set for an item with nchoices choices (0: a plain up-vote). */
struct part_votes *part_votes_create(size_t nchoices);
/* Frees it. Safe on NULL. */
void part_votes_free(struct part_votes *v);
/* Records voter's vote for choice (0 when the item has no choices). Returns 1 when it
 * changed the set (a new vote, or another choice), 0 when the vote was there already, -1
 * for a choice out of range. */
int part_votes_set(struct part_votes *v, const char *voter, int choice);
/* Forgets voter's vote. Returns 1 when there was one, else 0. */
int part_votes_clear(struct part_votes *v, const char *voter);
/* The choice voter made (0 for a plain up-vote), or -1 when it has not voted. */
int part_votes_get(const struct part_votes *v, const char *voter);
/* How many voters. */
int64_t part_votes_total(const struct part_votes *v);
/* Votes per choice (nchoices of them; NULL for a plain up-vote). */
const int64_t *part_votes_counts(const struct part_votes *v);
/* Iterates the voters: start with *pos = 0; returns the next voter (borrowed, valid until
 * the set changes) and sets *choice, or NULL at the end. */
const char *part_votes_next(const struct part_votes *v, size_t *pos, int *choice);
/* Moves the votes of from into into (topics merged): a voter who voted for both counts
 * once. from is emptied. Returns the number of voters added to into. */
size_t part_votes_merge(struct part_votes *into, struct part_votes *from);

#endif
