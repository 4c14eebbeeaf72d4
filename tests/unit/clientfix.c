/* clientfix.c: the fixture shared by the client's unit tests (test_client.c,
 * test_client_resume.c): a client with a recording fake view, a fake send and a fake
 * clock, and helpers that feed it encoded hub frames. */
#include "util/i18n.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clientfix.h"
#include "util/xalloc.h"


/* Records one view event as text. */
static void __attribute__((format(printf, 2, 3)))
rec_ev(struct rec *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	assert_true(r->nev < MAXREC);
	r->ev[r->nev++] = xvasprintf(fmt, ap);
	va_end(ap);
}

/* Fake view: records a notice. */
static void
v_notice(void *arg, enum client_notice what, const char *detail, int64_t delay)
{
	rec_ev(arg, "notice %d %s %lld", (int)what, detail != NULL ? detail : "-", (long long)delay);
}

/* Fake view: records a chat line. */
static void
v_chat(void *arg, const char *room, const char *from, const char *text, bool me,
    uint64_t seq)
{
	(void)seq;
	rec_ev(arg, "chat %s %s %s%s", room, from, me ? "*" : "", text);
}

/* Fake view: records a private message. */
static void
v_privmsg(void *arg, const char *from, const char *to, const char *text, bool out)
{
	rec_ev(arg, "privmsg %s %s %s %d", from, to, text, out);
}

/* Fake view: records our join. */
static void
v_joined(void *arg, const char *room, unsigned n)
{
	rec_ev(arg, "joined %s %u", room, n);
}

/* Fake view: records our part. */
static void
v_parted(void *arg, const char *room)
{
	rec_ev(arg, "parted %s", room);
}

/* Fake view: records a room that opened. */
static void
v_opened(void *arg, const struct room_info *r)
{
	rec_ev(arg, "opened %s %u", r->id, r->capacity);
}

/* Fake view: records a room that closed. */
static void
v_closed(void *arg, const char *room, const char *by, bool member, const char *to)
{
	rec_ev(arg, "closed %s %s %d %s", room, by != NULL ? by : "-", member, to != NULL ? to : "-");
}

/* Fake view: records a timer change with its remaining time. */
static void
v_timer(void *arg, const struct timer *t, enum timer_state prev, int64_t now)
{
	rec_ev(arg, "timer %s %d %d %lld", t->scope, (int)t->state, (int)prev,
	    (long long)timer_remaining(t, now));
}

/* Fake view: records how a timer changed. */
static void
v_timer_change(void *arg, const struct timer *t, enum timer_change change, int64_t delta,
    int64_t now)
{
	(void)now;
	rec_ev(arg, "change %s %d %lld", t->scope, (int)change, (long long)delta);
}

/* Fake view: records a timer milestone. */
static void
v_milestone(void *arg, const struct timer *t, enum timer_milestone m, int64_t remaining)
{
	rec_ev(arg, "milestone %s %d %lld", t->scope, (int)m, (long long)remaining);
}

/* Fake view: records a /timer listing. */
static void
v_timers(void *arg, const struct timer *t, size_t n, int64_t now)
{
	rec_ev(arg, "timers %zu %lld", n, n > 0 ? (long long)timer_remaining(t, now) : 0LL);
}

/* Fake view: records an error. */
static void
v_error(void *arg, enum proto_err code, const char *msg)
{
	rec_ev(arg, "error %s %s", code == PE_NONE ? "local" : proto_err_name(code), msg);
}

/* Fake view: records a program request. */
static void
v_program(void *arg, enum client_program_req req, const struct program *p,
    const struct session *s, int day, int64_t now)
{
	(void)p;
	(void)now;
	rec_ev(arg, "program %d %s %d", (int)req, s != NULL ? s->id : "-", day);
}

/* Fake view: records a presence change. */
static void
v_presence(void *arg, const char *room, const char *name, enum proto_presence action)
{
	rec_ev(arg, "presence %s %s %d", room, name, (int)action);
}

/* Fake view: records a room's end coming. */
static void
v_closing(void *arg, const struct room_info *room, int64_t left_ms)
{
	rec_ev(arg, "closing %s %lld", room->id, (long long)left_ms);
}

/* Fake view: records a fatal refusal. */
static void
v_fatal(void *arg, const char *msg, const char *reason)
{
	rec_ev(arg, "fatal %s | %s", msg, reason);
}

/* Fake view: records a pending line. */
static void
v_pending(void *arg, const struct client_out *o)
{
	rec_ev(arg, "pending %s %s %s%s %d", o->room != NULL ? o->room : "-",
	    o->to != NULL ? o->to : "-", o->me ? "*" : "", o->text, o->offline);
}

/* Fake view: records the outcome of a pending line. */
static void
v_outcome(void *arg, const struct client_out *o, enum proto_err code)
{
	rec_ev(arg, "outcome %s %s %llu", o->text, code == PE_NONE ? "ok" : proto_err_name(code),
	    (unsigned long long)o->seq);
}

/* Fake view: records history news. */
static void
v_history(void *arg, const char *room, enum client_history what, size_t n)
{
	rec_ev(arg, "history %s %d %zu", room, (int)what, n);
}

/* Fake view: records /stats. */
static void
v_stats(void *arg, const struct client_stats *s)
{
	rec_ev(arg, "stats tx %llu rx %llu chat %llu dups %llu pending %zu links %u",
	    (unsigned long long)s->link.msgs_tx, (unsigned long long)s->link.msgs_rx,
	    (unsigned long long)s->chat_rx, (unsigned long long)s->dups, s->pending,
	    s->link.links);
}

/* The fake send: records frames while the link is up. */
static int
rec_send(void *arg, const char *frame, size_t len)
{
	struct rec *r = arg;

	if (!r->link)
		return -1;
	assert_true(r->nsent < MAXREC);
	r->sent[r->nsent++] = xstrndup(frame, len);
	return 0;
}

/* A client for r (a new one replaces the old, keeping the records), with cache_dir. */
void
rec_client(struct rec *r, const char *cache_dir)
{
	struct client_view v;
	struct client_config cfg;

	client_free(r->c);

	memset(&v, 0, sizeof v);
	v.arg = r;
	v.notice = v_notice;
	v.chat = v_chat;
	v.privmsg = v_privmsg;
	v.joined = v_joined;
	v.parted = v_parted;
	v.room_opened = v_opened;
	v.room_closed = v_closed;
	v.timer = v_timer;
	v.timers = v_timers;
	v.timer_milestone = v_milestone;
	v.timer_change = v_timer_change;
	v.error = v_error;
	v.program = v_program;
	v.fatal = v_fatal;
	v.presence = v_presence;
	v.room_closing = v_closing;
	v.pending = v_pending;
	v.outcome = v_outcome;
	v.history = v_history;
	v.stats = v_stats;
	memset(&cfg, 0, sizeof cfg);
	cfg.name = "alice";
	cfg.clock = &r->clock;
	cfg.send = rec_send;
	cfg.send_arg = r;
	cfg.cache_dir = cache_dir;
	r->c = client_create(&cfg, &v);
}

/* Sets up a client with a recording view. */
int
setup_client(void **state)
{
	struct rec *r = xcalloc(1, sizeof *r);

	r->fake.wall = 1600000000000LL;
	r->fake.mono = 1000;
	cf_clock_fake(&r->clock, &r->fake);
	rec_client(r, NULL);
	*state = r;
	return 0;
}

/* Frees the client and the records. */
int
teardown_client(void **state)
{
	struct rec *r = *state;
	size_t i;

	client_free(r->c);
	for (i = 0; i < r->nev; i++)
		free(r->ev[i]);
	for (i = 0; i < r->nsent; i++)
		free(r->sent[i]);
	free(r->hello);
	free(r);
	return 0;
}

/* Forgets what was recorded so far. */
void
rec_reset(struct rec *r)
{
	size_t i;

	for (i = 0; i < r->nev; i++)
		free(r->ev[i]);
	for (i = 0; i < r->nsent; i++)
		free(r->sent[i]);
	r->nev = r->nsent = 0;
}

/* True when some recorded event equals want. */
int
rec_has(const struct rec *r, const char *want)
{
	size_t i;

	for (i = 0; i < r->nev; i++)
		if (strcmp(r->ev[i], want) == 0)
			return 1;
	return 0;
}

/* Asserts that an event equal to want was recorded. */
void
expect_ev(const struct rec *r, const char *want)
{
	size_t i;

	if (rec_has(r, want))
		return;
	for (i = 0; i < r->nev; i++)
		print_message("  recorded: %s\n", r->ev[i]);
	fail_msg("no event \"%s\"", want);
}

/* Decodes sent frame i (as the hub would). */
void
sent_msg(const struct rec *r, size_t i, struct proto_msg *m)
{
	struct proto_decode_err err;

	assert_true(i < r->nsent);
	if (proto_decode(r->sent[i], strlen(r->sent[i]), PROTO_MAX_FRAME, m, &err) != 0)
		fail_msg("sent frame %zu does not decode: %s", i, err.detail);
}

/* Feeds message m (encoded) to the client. */
void
feed(struct rec *r, const struct proto_msg *m)
{
	char *s = proto_encode(m);

	client_frame(r->c, s, strlen(s));
	free(s);
}

/* A small program: two sessions on one day, in UTC. */
struct program *
make_program(int64_t t0)
{
	struct program *p = xcalloc(1, sizeof *p);

	p->title = xstrdup("Test");
	p->timezone = xstrdup("UTC");
	p->version = xstrdup("v1");
	p->nsessions = 2;
	p->sessions = xcalloc(2, sizeof *p->sessions);
	p->sessions[0].id = xstrdup("s1");
	p->sessions[0].title = xstrdup("First");
	p->sessions[0].kind = SK_PANEL;
	p->sessions[0].start_ms = t0;
	p->sessions[0].end_ms = t0 + 3600000;
	p->sessions[0].description = xstrdup("");
	p->sessions[1].id = xstrdup("s2");
	p->sessions[1].title = xstrdup("Second");
	p->sessions[1].kind = SK_TALK;
	p->sessions[1].start_ms = t0 + 7200000;
	p->sessions[1].end_ms = t0 + 9000000;
	p->sessions[1].description = xstrdup("");
	return p;
}

/* Sets up a room_info. */
void
make_room(struct room_info *ri, const char *id, enum room_kind kind, unsigned occ, unsigned cap)
{
	memset(ri, 0, sizeof *ri);
	strlcpy_cf(ri->id, id, sizeof ri->id);
	strlcpy_cf(ri->title, id, sizeof ri->title);
	ri->kind = kind;
	ri->occupancy = occ;
	ri->capacity = cap;
}

/* The version the hub gives p (its content hash: the wire form's, not p->version). */
const char *
program_version(const struct program *p)
{
	static char buf[PROTO_MAX_PROGRAM_VERSION + 1];
	json_t *j = program_to_json(p);
	struct program *q;
	char *cause = NULL;

	q = program_from_json(j, &cause);
	assert_non_null(q);
	strlcpy_cf(buf, q->version, sizeof buf);
	program_free(q);
	json_decref(j);
	return buf;
}

/* Brings the link up and answers hello with a welcome (hub clock ahead by offset ms). */
void
welcome(struct rec *r, const char *epoch, int64_t offset, const char *const *joined,
    size_t njoined)
{
	welcome_ex(r, epoch, offset, joined, njoined, NULL, 0, false);
}

/* The same, with the resume members: history entries (nhist of them) and, with
 * no_program, a welcome that leaves the program out (its version is that of the program
 * a welcome would carry: make_program()'s, with the same offset). The hello
 * sent is kept in r->hello (encoded). */
void
welcome_ex(struct rec *r, const char *epoch, int64_t offset, const char *const *joined,
    size_t njoined, const struct proto_room_pos *hist, size_t nhist, bool no_program)
{
	struct proto_msg m, hello;
	struct room_info rooms[2];
	struct program *pg = make_program(r->fake.wall + offset - 600000);
	size_t first = r->nsent;

	r->link = 1;
	client_link_up(r->c);
	assert_int_equal(r->nsent, first + 1);
	sent_msg(r, first, &hello);
	assert_int_equal(hello.type, PT_HELLO);
	assert_int_equal(hello.u.hello.proto, PROTO_VERSION);
	make_room(&rooms[0], "lobby", RK_LOBBY, 3, 0);
	make_room(&rooms[1], "hack", RK_BREAKOUT, 1, 10);
	proto_msg_init(&m, PT_WELCOME);
	m.re = hello.id;
	m.u.welcome.proto = PROTO_VERSION;
	m.u.welcome.hub = "test";
	m.u.welcome.epoch = epoch;
	m.u.welcome.name = hello.u.hello.name;
	m.u.welcome.resume = "resume-token";
	m.u.welcome.role = ROLE_ATTENDEE;
	m.u.welcome.now = r->fake.wall + offset;
	m.u.welcome.limits.frame = PROTO_MAX_FRAME;
	m.u.welcome.limits.text = PROTO_MAX_TEXT;
	m.u.welcome.limits.name = PROTO_MAX_NAME;
	m.u.welcome.limits.history = PROTO_HISTORY;
	m.u.welcome.program = no_program ? NULL : pg;
	m.u.welcome.program_version = program_version(pg);
	m.u.welcome.history = (struct proto_room_pos *)(uintptr_t)hist;
	m.u.welcome.nhistory = nhist;
	free(r->hello);
	r->hello = xstrdup(r->sent[first]);
	m.u.welcome.rooms = rooms;
	m.u.welcome.nrooms = 2;
	m.u.welcome.joined = (const char **)(uintptr_t)joined;
	m.u.welcome.njoined = njoined;
	feed(r, &m);
	proto_msg_clear(&hello);
	program_free(pg);
}

const char *const lobby_only[] = { "lobby" };

/* A chat event for room with seq. */
void
feed_chat(struct rec *r, const char *room, uint64_t seq, const char *from, const char *text)
{
	struct proto_msg m;
	char stream[64];

	snprintf(stream, sizeof stream, "room:%s", room);
	proto_msg_init(&m, PT_CHAT);
	m.stream = stream;
	m.seq = seq;
	m.u.chat.room = room;
	m.u.chat.from = from;
	m.u.chat.text = text;
	m.u.chat.ts = r->fake.wall;
	feed(r, &m);
}

