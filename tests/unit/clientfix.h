/* clientfix.h: the fixture shared by the client's unit tests (see clientfix.c). */
#ifndef CONFAB_TEST_CLIENTFIX_H
#define CONFAB_TEST_CLIENTFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/client.h"
#include "proto/proto.h"
#include "util/clock.h"

#define MAXREC 256

/* What the fake view and the fake send recorded. */
struct rec {
	char *ev[MAXREC];
	size_t nev;
	char *sent[MAXREC];
	size_t nsent;
	int link;            /* send succeeds only when set */
	struct cf_fake_clock fake;
	struct cf_clock clock;
	struct client *c;
	char *hello;         /* the last hello that welcome()/welcome_ex() answered */
};

extern const char *const lobby_only[];

/* cmocka setup/teardown: *state is a struct rec with a client named alice (no cache). */
int setup_client(void **state);
int teardown_client(void **state);
/* Replaces r's client by a new one with cache_dir (NULL: none); records are kept. */
void rec_client(struct rec *r, const char *cache_dir);
/* Forgets what was recorded so far. */
void rec_reset(struct rec *r);
/* True when some recorded event equals want. */
int rec_has(const struct rec *r, const char *want);
/* Asserts that an event equal to want was recorded (prints them all if not). */
void expect_ev(const struct rec *r, const char *want);
/* Decodes sent frame i as the hub would (clear m after). */
void sent_msg(const struct rec *r, size_t i, struct proto_msg *m);
/* Feeds m, encoded, to the client. */
void feed(struct rec *r, const struct proto_msg *m);
/* A two-session program (version "v1") starting at t0, in UTC. */
struct program *make_program(int64_t t0);
void make_room(struct room_info *ri, const char *id, enum room_kind kind, unsigned occ,
    unsigned cap);
/* The version a hub gives p (a content hash; borrowed until the next call). */
const char *program_version(const struct program *p);
/* Link up, hello, and the hub's welcome (epoch; hub clock ahead by offset ms). */
void welcome(struct rec *r, const char *epoch, int64_t offset, const char *const *joined,
    size_t njoined);
void welcome_ex(struct rec *r, const char *epoch, int64_t offset, const char *const *joined,
    size_t njoined, const struct proto_room_pos *hist, size_t nhist, bool no_program);
/* A chat event of room with seq. */
void feed_chat(struct rec *r, const char *room, uint64_t seq, const char *from,
    const char *text);

#endif
