/* hubfix.c: the fixture shared by the hub's unit tests: a hub with the demo program and
 * a fake clock, fake connections, and helpers that send frames and check replies. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hub/hub.h"
#include "hub/hub_demo.h"
#include "hub/hub_int.h"
#include "proto/proto.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "hubfix.h"

/* Hub callback: counts write requests. */
static void
t_want_write(void *conn)
{
	((struct tconn *)conn)->wants++;
}

/* Hub callback: records that the hub dropped the connection. */
static void
t_close_conn(void *conn)
{
	((struct tconn *)conn)->closed++;
}

/* A hub with the demo program, one facilitator token and a fake clock. */
int
setup(void **state)
{
	struct hub_limits l;

	hub_limits_default(&l);
	l.say.per_minute = l.msg.per_minute = l.join.per_minute = 0;
	l.history.per_minute = l.other.per_minute = 0;
	l.hellos_per_addr = 0;
	return setup_limits(state, &l);
}

/* A hub with the demo program, one facilitator token, a fake clock and these limits. */
int
setup_limits(void **state, const struct hub_limits *limits)
{
	static const char *const tokens[] = { TOKEN };
	struct hub_config cfg;
	struct fixture *f;
	char *cause = NULL;

	f = xcalloc(1, sizeof *f);
	f->fake.wall = T0;
	f->fake.mono = 5000;
	cf_clock_fake(&f->clock, &f->fake);
	f->program = hub_demo_program(T0, &cause);
	assert_non_null(f->program);
	memset(&cfg, 0, sizeof cfg);
	cfg.program = f->program;
	cfg.tokens = tokens;
	cfg.ntokens = 1;
	cfg.clock = &f->clock;
	cfg.pre = 16;
	cfg.want_write = t_want_write;
	cfg.close_conn = t_close_conn;
	cfg.limits = limits;
	f->hub = hub_create(&cfg, &cause);
	assert_non_null(f->hub);
	*state = f;
	return 0;
}

/* Frees the fixture. */
int
teardown(void **state)
{
	struct fixture *f = *state;

	hub_free(f->hub);
	program_free(f->program);
	free(f);
	return 0;
}

/* Opens connection i. */
struct hub_session *
t_open(struct fixture *f, int i)
{
	f->c[i].s = hub_session_open(f->hub, &f->c[i], "test");
	return f->c[i].s;
}

/* Sends a text frame formatted like printf. */
void __attribute__((format(printf, 2, 3)))
t_send(struct hub_session *s, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	hub_session_input(s, text, strlen(text), false);
	hub_flush(s->hub);   /* the end of the loop pass: the store's group is written */
	free(text);
}

/* Decodes the next frame for s into m; returns -1 when nothing is queued. */
int
t_next(struct hub_session *s, struct proto_msg *m)
{
	struct proto_decode_err err;
	struct msg *frame;
	int rc;

	frame = hub_session_next_frame(s);
	if (frame == NULL) {
		proto_msg_init(m, PT_UNKNOWN);
		return -1;
	}
	assert_int_equal(frame->pre, 16);
	rc = proto_decode(msg_payload(frame), frame->len, 0, m, &err);
	if (rc != 0)
		fail_msg("undecodable frame (%s): %s", err.detail, msg_payload(frame));
	msg_unref(frame);
	return 0;
}

/* Asserts that the next frame for s has type t and decodes it into m. */
void
t_expect(struct hub_session *s, enum proto_type t, struct proto_msg *m)
{
	if (t_next(s, m) != 0)
		fail_msg("expected %s, got nothing", proto_type_name(t));
	if (m->type != t && m->type == PT_ERROR)
		fail_msg("expected %s, got error %s (%s)", proto_type_name(t),
		    proto_err_name(m->u.error.code), m->u.error.message);
	if (m->type != t)
		fail_msg("expected %s, got %s", proto_type_name(t), proto_type_name(m->type));
}

/* Asserts that the next frame is an error with code e. */
void
t_expect_error(struct hub_session *s, enum proto_err e, int64_t re)
{
	struct proto_msg m;

	t_expect(s, PT_ERROR, &m);
	if (m.u.error.code != e)
		fail_msg("expected error %s, got %s (%s)", proto_err_name(e),
		    proto_err_name(m.u.error.code), m.u.error.message);
	assert_int_equal(m.re, re);
	proto_msg_clear(&m);
}

/* Asserts that the next frame is "ok" for re. */
void
t_expect_ok(struct hub_session *s, int64_t re)
{
	struct proto_msg m;

	t_next(s, &m);
	if (m.type != PT_OK)
		fail_msg("expected ok for %lld, got %s", (long long)re,
		    m.type == PT_ERROR ? proto_err_name(m.u.error.code) : proto_type_name(m.type));
	assert_int_equal(m.re, re);
	proto_msg_clear(&m);
}

/* Asserts that nothing is queued for s. */
void
t_expect_nothing(struct hub_session *s)
{
	struct proto_msg m;

	assert_false(hub_session_pending(s));
	if (t_next(s, &m) == 0)
		fail_msg("unexpected %s", proto_type_name(m.type));
}

/* Drops everything queued for s; returns the number of frames. */
int
t_drain(struct hub_session *s)
{
	struct proto_msg m;
	int n = 0;

	while (t_next(s, &m) == 0) {
		proto_msg_clear(&m);
		n++;
	}
	return n;
}

/* Reads frames for s until one of type t (decoded into m); fails when none comes. */
void
t_find(struct hub_session *s, enum proto_type t, struct proto_msg *m)
{
	while (t_next(s, m) == 0) {
		if (m->type == t)
			return;
		proto_msg_clear(m);
	}
	fail_msg("no %s", proto_type_name(t));
}

/* Remembers the secret a welcome issued. */
void
t_remember(struct fixture *f, const struct proto_msg *w)
{
	int i;

	if (w->type != PT_WELCOME || w->u.welcome.secret == NULL)
		return;
	for (i = 0; i < f->nsecrets; i++)
		if (strcmp(f->secret_names[i], w->u.welcome.name) == 0)
			break;
	if (i == T_SECRETS)
		fail_msg("too many names for the fixture");
	if (i == f->nsecrets)
		f->nsecrets++;
	snprintf(f->secret_names[i], sizeof f->secret_names[i], "%s", w->u.welcome.name);
	snprintf(f->secrets[i], sizeof f->secrets[i], "%s", w->u.welcome.secret);
}

/* The secret member for name, or "". */
const char *
t_secret(struct fixture *f, const char *name)
{
	static char buf[96];
	int i;

	for (i = 0; i < f->nsecrets; i++) {
		if (strcmp(f->secret_names[i], name) == 0) {
			snprintf(buf, sizeof buf, ",\"secret\":\"%s\"", f->secrets[i]);
			return buf;
		}
	}
	return "";
}

/* Connection i says hello as name (token may be NULL) and its queue is drained. */
struct hub_session *
t_login(struct fixture *f, int i, const char *name, const char *token)
{
	struct hub_session *s = t_open(f, i);
	struct proto_msg m;

	if (token != NULL)
		t_send(s, "{\"type\":\"hello\",\"id\":1,\"proto\":1,\"name\":\"%s\",\"token\":\"%s\"%s}",
		    name, token, t_secret(f, name));
	else
		t_send(s, "{\"type\":\"hello\",\"id\":1,\"proto\":1,\"name\":\"%s\"%s}", name,
		    t_secret(f, name));
	t_expect(s, PT_WELCOME, &m);
	t_remember(f, &m);
	proto_msg_clear(&m);
	t_drain(s);
	return s;
}

