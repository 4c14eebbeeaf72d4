/* hubfix.h: the fixture shared by the hub's unit tests (test_hub.c, test_hub_resume.c). */
#ifndef CONFAB_TEST_HUBFIX_H
#define CONFAB_TEST_HUBFIX_H

#include <stdint.h>

#include "hub/hub.h"
#include "proto/proto.h"
#include "util/clock.h"

#define T0 1600000000000LL
#define TOKEN "sesame-open-123"

struct tconn {
	struct hub_session *s;
	int wants;
	int closed;
};

#define T_SECRETS 8

struct fixture {
	struct cf_fake_clock fake;
	struct cf_clock clock;
	struct program *program;
	struct hub *hub;
	struct tconn c[4];
	int nconn;
	/* the secrets of the names held, as a client keeps them */
	char secret_names[T_SECRETS][40];
	char secrets[T_SECRETS][72];
	int nsecrets;
};

/* cmocka setup/teardown: a hub with the demo program, one facilitator token (TOKEN), a
 * fake clock at T0 and no rate limits (test_hub_limits.c has them); *state is the struct
 * fixture. */
int setup(void **state);
/* The same with the given limits (NULL: the defaults). */
int setup_limits(void **state, const struct hub_limits *limits);
/* Remembers the secret a welcome issued for its name. */
void t_remember(struct fixture *f, const struct proto_msg *welcome);
/* ",\"secret\":\"...\"" for name when its secret is known, else "" (static buffer). */
const char *t_secret(struct fixture *f, const char *name);
int teardown(void **state);
/* Opens connection i. */
struct hub_session *t_open(struct fixture *f, int i);
/* Sends a text frame formatted like printf. */
void t_send(struct hub_session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Decodes the next frame for s into m; returns -1 when nothing is queued. */
int t_next(struct hub_session *s, struct proto_msg *m);
/* Asserts that the next frame for s has type t and decodes it into m. */
void t_expect(struct hub_session *s, enum proto_type t, struct proto_msg *m);
/* Asserts that the next frame is an error with code e for re. */
void t_expect_error(struct hub_session *s, enum proto_err e, int64_t re);
/* Asserts that the next frame is "ok" for re. */
void t_expect_ok(struct hub_session *s, int64_t re);
/* Asserts that nothing is queued for s. */
void t_expect_nothing(struct hub_session *s);
/* Drops everything queued for s; returns the number of frames. */
int t_drain(struct hub_session *s);
/* Reads frames for s until one of type t (decoded into m); fails when none comes. */
void t_find(struct hub_session *s, enum proto_type t, struct proto_msg *m);
/* Connection i says hello as name (token may be NULL) and its queue is drained. */
struct hub_session *t_login(struct fixture *f, int i, const char *name, const char *token);

#endif
