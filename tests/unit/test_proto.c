/* test_proto.c: unit tests for the protocol codec: round trips, invalid input, names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/proto.h"
#include "util/xalloc.h"

static const char test_program_json[] =
    "{\"format\":\"confab-program-1\",\"title\":\"Test Conf\","
    "\"timezone\":\"America/New_York\",\"sessions\":["
    "{\"id\":\"open\",\"title\":\"Opening\",\"kind\":\"talk\","
    "\"start\":1602511200000,\"end\":1602514800000,\"description\":\"Hi\","
    "\"speakers\":[\"Ann\"],\"room\":null},"
    "{\"id\":\"disc\",\"title\":\"Open discussion\",\"kind\":\"discussion\","
    "\"start\":1602514800000,\"end\":1602518400000,\"description\":\"\","
    "\"speakers\":[],\"room\":\"disc\"}]}";

/* Builds the small test program. */
static struct program *
make_program(void)
{
	json_error_t jerr;
	json_t *o = json_loads(test_program_json, 0, &jerr);
	struct program *p;
	char *cause = NULL;

	assert_non_null(o);
	p = program_from_json(o, &cause);
	if (p == NULL)
		fail_msg("program_from_json: %s", cause);
	json_decref(o);
	return p;
}

/* Encodes in, decodes into out (without a size limit) and checks the type. */
static void
roundtrip(const struct proto_msg *in, struct proto_msg *out)
{
	struct proto_decode_err err;
	char *s = proto_encode(in);

	if (proto_decode(s, strlen(s), 0, out, &err) != 0)
		fail_msg("decode of %s failed: %s: %s", s, proto_err_name(err.code), err.detail);
	assert_int_equal(out->type, in->type);
	assert_int_equal(out->id, in->id);
	assert_int_equal(out->re, in->re);
	assert_int_equal(out->seq, in->seq);
	free(s);
}

/* Decodes s (with the client frame limit) and expects error code. */
static void
expect_err_len(const char *s, size_t len, enum proto_err code)
{
	struct proto_msg m;
	struct proto_decode_err err;

	if (proto_decode(s, len, PROTO_MAX_FRAME, &m, &err) == 0) {
		proto_msg_clear(&m);
		fail_msg("decoded but expected %s: %.200s", proto_err_name(code), s);
	}
	if (err.code != code)
		fail_msg("got %s (%s), expected %s: %.200s", proto_err_name(err.code), err.detail,
		    proto_err_name(code), s);
	assert_null(m.root_);
	assert_int_equal(m.type, PT_UNKNOWN);
}

/* As expect_err_len for a NUL-terminated frame. */
static void
expect_err(const char *s, enum proto_err code)
{
	expect_err_len(s, strlen(s), code);
}

/* Decodes s and expects success, returning the message in m. */
static void
expect_ok(const char *s, struct proto_msg *m)
{
	struct proto_decode_err err;

	if (proto_decode(s, strlen(s), PROTO_MAX_FRAME, m, &err) != 0)
		fail_msg("expected success: %s: %s: %s", s, proto_err_name(err.code), err.detail);
}

/* Decodes s without a size limit (a hub's frame) and expects success. */
static void
expect_ok_clear(const char *s)
{
	struct proto_msg m;
	struct proto_decode_err err;

	if (proto_decode(s, strlen(s), 0, &m, &err) != 0)
		fail_msg("expected success: %.200s: %s", s, err.detail);
	proto_msg_clear(&m);
}

/* Decodes s without a size limit (a hub's frame) and expects error code. */
static void
expect_err_any(const char *s, enum proto_err code)
{
	struct proto_msg m;
	struct proto_decode_err err;

	if (proto_decode(s, strlen(s), 0, &m, &err) == 0) {
		proto_msg_clear(&m);
		fail_msg("decoded but expected %s: %.200s", proto_err_name(code), s);
	}
	assert_int_equal(err.code, code);
}

/* Every request type survives encode and decode with all fields. */
static void
test_requests_roundtrip(void **state)
{
	struct proto_msg in, out;
	static const enum proto_type refs[] = { PT_JOIN, PT_PART, PT_WHO, PT_ROOM_CLOSE };
	static const enum proto_type trefs[] = { PT_TIMER_PAUSE, PT_TIMER_RESUME, PT_TIMER_RESET,
		PT_TIMER_STOP };
	size_t i;

	(void)state;
	proto_msg_init(&in, PT_HELLO);
	in.id = 1;
	in.u.hello.proto = 1;
	in.u.hello.name = "Ана";
	in.u.hello.token = "sekrit";
	in.u.hello.resume = "r-123";
	in.u.hello.client = "confab/0.1.0";
	roundtrip(&in, &out);
	assert_int_equal(out.u.hello.proto, 1);
	assert_string_equal(out.u.hello.name, "Ана");
	assert_string_equal(out.u.hello.token, "sekrit");
	assert_string_equal(out.u.hello.resume, "r-123");
	assert_string_equal(out.u.hello.client, "confab/0.1.0");
	proto_msg_clear(&out);

	/* Optional fields absent. */
	proto_msg_init(&in, PT_HELLO);
	in.id = 2;
	in.u.hello.proto = 1;
	in.u.hello.name = "bob";
	roundtrip(&in, &out);
	assert_null(out.u.hello.token);
	assert_null(out.u.hello.resume);
	assert_null(out.u.hello.client);
	proto_msg_clear(&out);

	proto_msg_init(&in, PT_SAY);
	in.id = 3;
	in.u.say.room = "lobby";
	in.u.say.text = "hello \"world\" 李雷";
	in.u.say.me = true;
	roundtrip(&in, &out);
	assert_string_equal(out.u.say.room, "lobby");
	assert_string_equal(out.u.say.text, "hello \"world\" 李雷");
	assert_true(out.u.say.me);
	proto_msg_clear(&out);
	in.u.say.me = false;
	roundtrip(&in, &out);
	assert_false(out.u.say.me);
	proto_msg_clear(&out);

	proto_msg_init(&in, PT_MSG);
	in.id = 4;
	in.u.msg.to = "alice";
	in.u.msg.text = "psst";
	roundtrip(&in, &out);
	assert_string_equal(out.u.msg.to, "alice");
	assert_string_equal(out.u.msg.text, "psst");
	proto_msg_clear(&out);

	for (i = 0; i < sizeof refs / sizeof refs[0]; i++) {
		proto_msg_init(&in, refs[i]);
		in.id = 10 + (int64_t)i;
		in.u.room.room = "breakout-2";
		roundtrip(&in, &out);
		assert_string_equal(out.u.room.room, "breakout-2");
		proto_msg_clear(&out);
	}

	proto_msg_init(&in, PT_ROOM_CREATE);
	in.id = 20;
	in.u.room_create.room = "hallway";
	in.u.room_create.title = "The Hallway";
	in.u.room_create.capacity = 12;
	roundtrip(&in, &out);
	assert_string_equal(out.u.room_create.room, "hallway");
	assert_string_equal(out.u.room_create.title, "The Hallway");
	assert_int_equal(out.u.room_create.capacity, 12);
	proto_msg_clear(&out);

	proto_msg_init(&in, PT_TIMER_START);
	in.id = 21;
	in.u.timer_start.scope = "hallway";
	in.u.timer_start.duration_ms = 120000;
	in.u.timer_start.label = "Pitch 3";
	roundtrip(&in, &out);
	assert_string_equal(out.u.timer_start.scope, "hallway");
	assert_int_equal(out.u.timer_start.duration_ms, 120000);
	assert_string_equal(out.u.timer_start.label, "Pitch 3");
	proto_msg_clear(&out);
	/* Default scope; thresholds absent decode as 0 (the hub's defaults). */
	in.u.timer_start.scope = NULL;
	in.u.timer_start.label = NULL;
	roundtrip(&in, &out);
	assert_string_equal(out.u.timer_start.scope, "main");
	assert_null(out.u.timer_start.label);
	assert_int_equal(out.u.timer_start.warn_ms, 0);
	assert_int_equal(out.u.timer_start.danger_ms, 0);
	proto_msg_clear(&out);
	/* Thresholds. */
	in.u.timer_start.warn_ms = 20000;
	in.u.timer_start.danger_ms = 5000;
	roundtrip(&in, &out);
	assert_int_equal(out.u.timer_start.warn_ms, 20000);
	assert_int_equal(out.u.timer_start.danger_ms, 5000);
	proto_msg_clear(&out);

	/* timer.adjust, both signs. */
	proto_msg_init(&in, PT_TIMER_ADJUST);
	in.id = 22;
	in.u.timer_adjust.scope = "hallway";
	in.u.timer_adjust.delta_ms = -30000;
	roundtrip(&in, &out);
	assert_string_equal(out.u.timer_adjust.scope, "hallway");
	assert_int_equal(out.u.timer_adjust.delta_ms, -30000);
	proto_msg_clear(&out);
	in.u.timer_adjust.scope = NULL;
	in.u.timer_adjust.delta_ms = 90000;
	roundtrip(&in, &out);
	assert_string_equal(out.u.timer_adjust.scope, "main");
	assert_int_equal(out.u.timer_adjust.delta_ms, 90000);
	proto_msg_clear(&out);

	for (i = 0; i < sizeof trefs / sizeof trefs[0]; i++) {
		proto_msg_init(&in, trefs[i]);
		in.id = 30 + (int64_t)i;
		in.u.timer_ref.scope = "main";
		roundtrip(&in, &out);
		assert_string_equal(out.u.timer_ref.scope, "main");
		proto_msg_clear(&out);
	}

	proto_msg_init(&in, PT_PING);
	in.id = 40;
	in.u.ping.t0 = 1602511200123LL;
	roundtrip(&in, &out);
	assert_int_equal(out.u.ping.t0, 1602511200123LL);
	proto_msg_clear(&out);
}

/* Fills two rooms and two timers for the reply and event tests. */
static void
fill_state(struct room_info rooms[2], struct timer timers[2])
{
	memset(rooms, 0, 2 * sizeof rooms[0]);
	strcpy(rooms[0].id, "lobby");
	strcpy(rooms[0].title, "Lobby");
	rooms[0].kind = RK_LOBBY;
	rooms[0].occupancy = 42;
	strcpy(rooms[1].id, "disc");
	strcpy(rooms[1].title, "Open discussion ☕");
	rooms[1].kind = RK_DISCUSSION;
	rooms[1].occupancy = 3;
	rooms[1].capacity = 20;
	strcpy(rooms[1].session, "disc");

	timer_init(&timers[0], "main");
	timer_start(&timers[0], 1000, 300000, "Keynote", "ann");
	timer_init(&timers[1], "disc");
	timer_start(&timers[1], 1000, 60000, "", "bob");
	timer_pause(&timers[1], 11000, "bob");
}

/* Checks two rooms are equal. */
static void
check_room(const struct room_info *a, const struct room_info *b)
{
	assert_string_equal(a->id, b->id);
	assert_string_equal(a->title, b->title);
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->occupancy, b->occupancy);
	assert_int_equal(a->capacity, b->capacity);
	assert_string_equal(a->session, b->session);
}

/* Checks two timers are equal in every field that is on the wire. */
static void
check_timer(const struct timer *a, const struct timer *b)
{
	assert_string_equal(a->scope, b->scope);
	assert_int_equal(a->state, b->state);
	assert_string_equal(a->label, b->label);
	assert_int_equal(a->duration_ms, b->duration_ms);
	if (a->state == TS_RUNNING)
		assert_int_equal(a->deadline_ms, b->deadline_ms);
	if (a->state == TS_PAUSED)
		assert_int_equal(a->remaining_ms, b->remaining_ms);
	assert_int_equal(a->rev, b->rev);
	assert_string_equal(a->by, b->by);
}

/* Every reply type survives encode and decode with all fields. */
static void
test_replies_roundtrip(void **state)
{
	struct proto_msg in, out;
	struct room_info rooms[2];
	struct timer timers[2];
	const char *joined[] = { "lobby", "disc" };
	const char *names[] = { "alice", "bob", "李雷" };
	struct program *p = make_program();
	json_t *a, *b;
	size_t i;

	(void)state;
	fill_state(rooms, timers);
	proto_msg_init(&in, PT_WELCOME);
	in.re = 1;
	in.u.welcome.proto = 1;
	in.u.welcome.hub = "confabd/0.1.0";
	in.u.welcome.epoch = "e1f2";
	in.u.welcome.name = "alice";
	in.u.welcome.role = ROLE_FACILITATOR;
	in.u.welcome.resume = "tok";
	in.u.welcome.now = 1602511200000LL;
	in.u.welcome.limits.frame = PROTO_MAX_FRAME;
	in.u.welcome.limits.text = PROTO_MAX_TEXT;
	in.u.welcome.limits.name = PROTO_MAX_NAME;
	in.u.welcome.limits.history = PROTO_HISTORY;
	in.u.welcome.program = p;
	in.u.welcome.rooms = rooms;
	in.u.welcome.nrooms = 2;
	in.u.welcome.timers = timers;
	in.u.welcome.ntimers = 2;
	in.u.welcome.joined = joined;
	in.u.welcome.njoined = 2;
	roundtrip(&in, &out);
	assert_int_equal(out.u.welcome.proto, 1);
	assert_string_equal(out.u.welcome.hub, "confabd/0.1.0");
	assert_string_equal(out.u.welcome.epoch, "e1f2");
	assert_string_equal(out.u.welcome.name, "alice");
	assert_int_equal(out.u.welcome.role, ROLE_FACILITATOR);
	assert_string_equal(out.u.welcome.resume, "tok");
	assert_int_equal(out.u.welcome.now, 1602511200000LL);
	assert_int_equal(out.u.welcome.limits.frame, PROTO_MAX_FRAME);
	assert_int_equal(out.u.welcome.limits.text, PROTO_MAX_TEXT);
	assert_int_equal(out.u.welcome.limits.name, PROTO_MAX_NAME);
	assert_int_equal(out.u.welcome.limits.history, PROTO_HISTORY);
	assert_non_null(out.u.welcome.program);
	a = program_to_json(p);
	b = program_to_json(out.u.welcome.program);
	assert_true(json_equal(a, b));
	json_decref(a);
	json_decref(b);
	assert_int_equal(out.u.welcome.program->nsessions, 2);
	assert_int_equal(out.u.welcome.nrooms, 2);
	for (i = 0; i < 2; i++)
		check_room(&rooms[i], &out.u.welcome.rooms[i]);
	assert_int_equal(out.u.welcome.ntimers, 2);
	for (i = 0; i < 2; i++)
		check_timer(&timers[i], &out.u.welcome.timers[i]);
	assert_int_equal(out.u.welcome.njoined, 2);
	assert_string_equal(out.u.welcome.joined[0], "lobby");
	assert_string_equal(out.u.welcome.joined[1], "disc");
	proto_msg_clear(&out);
	program_free(p);

	proto_msg_init(&in, PT_OK);
	in.re = 7;
	in.u.ok.seq = 99;
	roundtrip(&in, &out);
	assert_int_equal(out.u.ok.seq, 99);
	proto_msg_clear(&out);
	in.u.ok.seq = 0;
	roundtrip(&in, &out);
	assert_int_equal(out.u.ok.seq, 0);
	proto_msg_clear(&out);

	for (i = PE_BAD_JSON; i < PE__COUNT; i++) {
		proto_msg_init(&in, PT_ERROR);
		in.re = (int64_t)i;
		in.u.error.code = (enum proto_err)i;
		in.u.error.message = "details";
		roundtrip(&in, &out);
		assert_int_equal(out.u.error.code, i);
		assert_string_equal(out.u.error.message, "details");
		proto_msg_clear(&out);
	}
	/* re 0: an error about a frame whose id could not be read. */
	proto_msg_init(&in, PT_ERROR);
	in.u.error.code = PE_BAD_JSON;
	roundtrip(&in, &out);
	assert_int_equal(out.re, 0);
	assert_true(strlen(out.u.error.message) > 0);
	proto_msg_clear(&out);

	proto_msg_init(&in, PT_MEMBERS);
	in.re = 8;
	in.u.members.room = "lobby";
	in.u.members.names = names;
	in.u.members.nnames = 3;
	roundtrip(&in, &out);
	assert_string_equal(out.u.members.room, "lobby");
	assert_int_equal(out.u.members.nnames, 3);
	for (i = 0; i < 3; i++)
		assert_string_equal(out.u.members.names[i], names[i]);
	proto_msg_clear(&out);

	proto_msg_init(&in, PT_PONG);
	in.re = 9;
	in.u.pong.t0 = 5;
	in.u.pong.t1 = 1602511200000LL;
	in.u.pong.t2 = 1602511200001LL;
	roundtrip(&in, &out);
	assert_int_equal(out.u.pong.t0, 5);
	assert_int_equal(out.u.pong.t1, 1602511200000LL);
	assert_int_equal(out.u.pong.t2, 1602511200001LL);
	proto_msg_clear(&out);
}

/* Every event type survives encode and decode with all fields. */
static void
test_events_roundtrip(void **state)
{
	struct proto_msg in, out;
	struct room_info rooms[2];
	struct timer timers[2];
	struct program *p = make_program();
	size_t i;

	(void)state;
	fill_state(rooms, timers);

	proto_msg_init(&in, PT_CHAT);
	in.seq = 17;
	in.u.chat.room = "disc";
	in.u.chat.from = "bob";
	in.u.chat.text = "waves";
	in.u.chat.ts = 1602511200000LL;
	in.u.chat.me = true;
	roundtrip(&in, &out);
	assert_string_equal(out.stream, "room:disc");
	assert_string_equal(out.u.chat.room, "disc");
	assert_string_equal(out.u.chat.from, "bob");
	assert_string_equal(out.u.chat.text, "waves");
	assert_int_equal(out.u.chat.ts, 1602511200000LL);
	assert_true(out.u.chat.me);
	proto_msg_clear(&out);

	proto_msg_init(&in, PT_PRIVMSG);
	in.seq = 3;
	in.u.privmsg.from = "alice";
	in.u.privmsg.to = "bob";
	in.u.privmsg.text = "hi";
	in.u.privmsg.ts = 77;
	roundtrip(&in, &out);
	assert_string_equal(out.stream, "user");
	assert_string_equal(out.u.privmsg.from, "alice");
	assert_string_equal(out.u.privmsg.to, "bob");
	assert_string_equal(out.u.privmsg.text, "hi");
	assert_int_equal(out.u.privmsg.ts, 77);
	proto_msg_clear(&out);

	for (i = PRES_JOIN; i <= PRES_QUIT; i++) {
		proto_msg_init(&in, PT_PRESENCE);
		in.seq = 0;
		in.u.presence.room = "lobby";
		in.u.presence.name = "carl";
		in.u.presence.action = (enum proto_presence)i;
		roundtrip(&in, &out);
		assert_string_equal(out.stream, "room:lobby");
		assert_string_equal(out.u.presence.room, "lobby");
		assert_string_equal(out.u.presence.name, "carl");
		assert_int_equal(out.u.presence.action, i);
		proto_msg_clear(&out);
	}

	proto_msg_init(&in, PT_ROOMS);
	in.seq = 5;
	in.u.rooms.rooms = rooms;
	in.u.rooms.nrooms = 2;
	roundtrip(&in, &out);
	assert_string_equal(out.stream, "rooms");
	assert_int_equal(out.u.rooms.nrooms, 2);
	for (i = 0; i < 2; i++)
		check_room(&rooms[i], &out.u.rooms.rooms[i]);
	proto_msg_clear(&out);

	for (i = 0; i < 2; i++) {   /* running, then paused */
		proto_msg_init(&in, PT_TIMER);
		in.seq = 10 + i;
		in.u.timer.now = 12345;
		in.u.timer.timer = timers[i];
		roundtrip(&in, &out);
		assert_string_equal(out.stream, "timers");
		assert_int_equal(out.u.timer.now, 12345);
		check_timer(&timers[i], &out.u.timer.timer);
		proto_msg_clear(&out);
	}
	assert_int_equal(timers[0].state, TS_RUNNING);
	assert_int_equal(timers[1].state, TS_PAUSED);

	proto_msg_init(&in, PT_ROOM_CLOSED);
	in.seq = 30;
	in.stream = "room:disc";
	in.u.room_closed.room = "disc";
	in.u.room_closed.by = "ann";
	in.u.room_closed.moved_to = "lobby";
	roundtrip(&in, &out);
	assert_string_equal(out.stream, "room:disc");
	assert_string_equal(out.u.room_closed.room, "disc");
	assert_string_equal(out.u.room_closed.by, "ann");
	assert_string_equal(out.u.room_closed.moved_to, "lobby");
	proto_msg_clear(&out);

	proto_msg_init(&in, PT_PROGRAM);
	in.seq = 2;
	in.u.program.program = p;
	roundtrip(&in, &out);
	assert_string_equal(out.stream, "program");
	assert_non_null(out.u.program.program);
	assert_string_equal(out.u.program.program->title, "Test Conf");
	assert_string_equal(out.u.program.program->version, p->version);
	proto_msg_clear(&out);
	program_free(p);
}

/* Frames that are not JSON objects, or not valid UTF-8, or too large. */
static void
test_bad_frames(void **state)
{
	char *big;

	(void)state;
	expect_err("", PE_BAD_JSON);
	expect_err("not json", PE_BAD_JSON);
	expect_err("{\"type\":\"ping\",\"id\":1,\"t0\":", PE_BAD_JSON);
	expect_err("{\"type\":\"ping\"", PE_BAD_JSON);
	expect_err("[1,2,3]", PE_BAD_JSON);
	expect_err("42", PE_BAD_JSON);
	expect_err("\"ping\"", PE_BAD_JSON);
	expect_err("null", PE_BAD_JSON);
	expect_err("{\"type\":\"ping\",\"id\":1,\"t0\":1} trailing", PE_BAD_JSON);
	expect_err("{\"type\":\"ping\",\"id\":1,\"id\":2,\"t0\":1}", PE_BAD_JSON);
	expect_err("{\"type\":\"say\",\"id\":1,\"room\":\"lobby\",\"text\":\"a\\u0000b\"}",
	    PE_BAD_JSON);
	/* Overlong '/', lone continuation byte, encoded surrogate, truncated sequence. */
	expect_err("{\"type\":\"say\",\"id\":1,\"room\":\"lobby\",\"text\":\"\xc0\xaf\"}", PE_BAD_UTF8);
	expect_err("{\"type\":\"say\",\"id\":1,\"room\":\"lobby\",\"text\":\"\x80\"}", PE_BAD_UTF8);
	expect_err("{\"type\":\"say\",\"id\":1,\"room\":\"lobby\",\"text\":\"\xed\xa0\x80\"}",
	    PE_BAD_UTF8);
	expect_err("{\"type\":\"say\",\"id\":1,\"room\":\"lobby\",\"text\":\"\xe2\x82\"}",
	    PE_BAD_UTF8);
	expect_err_len("{\"type\":\"ping\",\"id\":1,\"t0\":1}\0", 31, PE_BAD_JSON);

	/* Over the frame limit, even if it would be valid JSON. */
	big = xmalloc(PROTO_MAX_FRAME + 64);
	snprintf(big, PROTO_MAX_FRAME + 64, "{\"type\":\"ping\",\"id\":1,\"t0\":1,\"pad\":\"%*s\"}",
	    PROTO_MAX_FRAME, "");
	expect_err(big, PE_BAD_FRAME);
	/* Exactly at the limit it is fine. */
	snprintf(big, PROTO_MAX_FRAME + 64, "{\"type\":\"ping\",\"id\":1,\"t0\":1,\"pad\":\"%*s\"}",
	    PROTO_MAX_FRAME - 38, "");
	assert_int_equal(strlen(big), PROTO_MAX_FRAME);
	{
		struct proto_msg m;

		expect_ok(big, &m);
		proto_msg_clear(&m);
	}
	free(big);
}

/* Missing, mistyped and unknown "type", and the envelope fields. */
static void
test_bad_envelope(void **state)
{
	struct proto_msg m;
	struct proto_decode_err err;
	const char *s;

	(void)state;
	expect_err("{}", PE_BAD_FIELD);
	expect_err("{\"id\":1}", PE_BAD_FIELD);
	expect_err("{\"type\":7,\"id\":1}", PE_BAD_FIELD);
	expect_err("{\"type\":null,\"id\":1}", PE_BAD_FIELD);
	expect_err("{\"type\":[\"say\"],\"id\":1}", PE_BAD_FIELD);
	expect_err("{\"type\":\"shout\",\"id\":1}", PE_UNKNOWN_TYPE);
	expect_err("{\"type\":\"\",\"id\":1}", PE_UNKNOWN_TYPE);
	expect_err("{\"type\":\"SAY\",\"id\":1,\"room\":\"lobby\",\"text\":\"x\"}", PE_UNKNOWN_TYPE);
	/* The id of a request. */
	expect_err("{\"type\":\"ping\",\"t0\":1}", PE_BAD_FIELD);
	expect_err("{\"type\":\"ping\",\"id\":0,\"t0\":1}", PE_BAD_FIELD);
	expect_err("{\"type\":\"ping\",\"id\":-3,\"t0\":1}", PE_BAD_FIELD);
	expect_err("{\"type\":\"ping\",\"id\":\"1\",\"t0\":1}", PE_BAD_FIELD);
	expect_err("{\"type\":\"ping\",\"id\":1.0,\"t0\":1}", PE_BAD_FIELD);
	expect_err("{\"type\":\"ping\",\"id\":true,\"t0\":1}", PE_BAD_FIELD);
	expect_err("{\"type\":\"ping\",\"id\":99999999999999999999,\"t0\":1}", PE_BAD_JSON);
	/* Replies need "re", events "stream" and "seq" >= 1 (0 only for presence). */
	expect_err("{\"type\":\"ok\"}", PE_BAD_FIELD);
	expect_err("{\"type\":\"ok\",\"re\":-1}", PE_BAD_FIELD);
	expect_err("{\"type\":\"chat\",\"seq\":1,\"room\":\"a\",\"from\":\"b\",\"text\":\"c\","
	    "\"ts\":1}", PE_BAD_FIELD);
	expect_err("{\"type\":\"chat\",\"stream\":\"room:a\",\"seq\":0,\"room\":\"a\","
	    "\"from\":\"b\",\"text\":\"c\",\"ts\":1}", PE_BAD_FIELD);
	expect_ok("{\"type\":\"presence\",\"stream\":\"room:a\",\"seq\":0,\"room\":\"a\","
	    "\"name\":\"b\",\"action\":\"join\"}", &m);
	proto_msg_clear(&m);
	expect_err("{\"type\":\"presence\",\"stream\":\"room:a\",\"seq\":0,\"room\":\"a\","
	    "\"name\":\"b\",\"action\":\"dance\"}", PE_BAD_FIELD);

	/* The id is read even when a later check fails. */
	s = "{\"type\":\"say\",\"id\":42,\"room\":\"lobby\"}";
	assert_int_equal(proto_decode(s, strlen(s), PROTO_MAX_FRAME, &m, &err), -1);
	assert_int_equal(err.code, PE_BAD_FIELD);
	assert_int_equal(err.id, 42);
	assert_non_null(strstr(err.detail, "text"));
	s = "{\"id\":43,\"type\":\"frobnicate\"}";
	assert_int_equal(proto_decode(s, strlen(s), PROTO_MAX_FRAME, &m, &err), -1);
	assert_int_equal(err.code, PE_UNKNOWN_TYPE);
	assert_int_equal(err.id, 43);
	s = "{\"id\":44}";
	assert_int_equal(proto_decode(s, strlen(s), PROTO_MAX_FRAME, &m, &err), -1);
	assert_int_equal(err.id, 44);
	s = "{\"id\":45,\"type\":\"say\",\"room\":\"lobby\",\"text\":\"\"}";
	assert_int_equal(proto_decode(s, strlen(s), PROTO_MAX_FRAME, &m, &err), -1);
	assert_int_equal(err.code, PE_BAD_FIELD);
	assert_int_equal(err.id, 45);
	s = "[45]";
	assert_int_equal(proto_decode(s, strlen(s), PROTO_MAX_FRAME, &m, &err), -1);
	assert_int_equal(err.id, 0);

	/* Unknown fields are ignored. */
	expect_ok("{\"type\":\"ping\",\"id\":1,\"t0\":1,\"future\":{\"x\":[1]}}", &m);
	assert_int_equal(m.type, PT_PING);
	proto_msg_clear(&m);
}

/* A string of n copies of c. */
static char *
repeat(char c, size_t n)
{
	char *s = xmalloc(n + 1);

	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* Invalid fields for each request type. */
/* The lineup requests, room.expire and the lineup event: round trips and bad fields. */
static void
test_lineup_proto(void **state)
{
	struct proto_msg in, out;
	struct lineup_item items[2];
	char *e;

	(void)state;
	proto_msg_init(&in, PT_LINEUP_ADD);
	in.id = 7;
	in.u.lineup_add.title = "Snowflake";
	in.u.lineup_add.speaker = "Speaker 1";
	in.u.lineup_add.kind = LK_PITCH;
	in.u.lineup_add.duration_ms = 3000;
	roundtrip(&in, &out);
	assert_int_equal(out.type, PT_LINEUP_ADD);
	assert_string_equal(out.u.lineup_add.title, "Snowflake");
	assert_string_equal(out.u.lineup_add.speaker, "Speaker 1");
	assert_int_equal(out.u.lineup_add.kind, LK_PITCH);
	assert_int_equal(out.u.lineup_add.duration_ms, 3000);
	proto_msg_clear(&out);
	proto_msg_init(&in, PT_LINEUP_MOVE);
	in.id = 8;
	in.u.lineup_move.from = 2;
	in.u.lineup_move.to = 0;
	roundtrip(&in, &out);
	assert_int_equal(out.u.lineup_move.from, 2);
	assert_int_equal(out.u.lineup_move.to, 0);
	proto_msg_clear(&out);
	proto_msg_init(&in, PT_ROOM_EXPIRE);
	in.id = 9;
	in.u.room_expire.room = "hack";
	in.u.room_expire.seconds = 30;
	in.u.room_expire.has_seconds = true;
	roundtrip(&in, &out);
	assert_string_equal(out.u.room_expire.room, "hack");
	assert_true(out.u.room_expire.has_seconds);
	assert_int_equal(out.u.room_expire.seconds, 30);
	proto_msg_clear(&out);

	lineup_item_set(&items[0], "One", "", LK_TALK);
	lineup_item_set(&items[1], "Two", "S2", LK_PITCH);
	proto_msg_init(&in, PT_LINEUP);
	in.seq = 3;
	in.u.lineup.items = items;
	in.u.lineup.nitems = 2;
	in.u.lineup.current = 1;
	in.u.lineup.by = "fac";
	e = proto_encode(&in);
	assert_non_null(strstr(e, "\"stream\":\"lineup\""));
	free(e);
	roundtrip(&in, &out);
	assert_int_equal(out.u.lineup.nitems, 2);
	assert_int_equal(out.u.lineup.current, 1);
	assert_string_equal(out.u.lineup.items[1].speaker, "S2");
	assert_int_equal(out.u.lineup.items[1].kind, LK_PITCH);
	assert_string_equal(out.u.lineup.by, "fac");
	proto_msg_clear(&out);

	assert_true(proto_type_is_request(PT_LINEUP_NEXT));
	assert_true(proto_type_is_request(PT_ROOM_EXPIRE));
	assert_true(proto_type_is_privileged(PT_LINEUP_ADD));
	assert_true(proto_type_is_privileged(PT_ROOM_EXPIRE));
	assert_false(proto_type_is_request(PT_LINEUP));
	assert_string_equal(proto_err_name(PE_LINEUP_END), "lineup-end");
	assert_int_equal(proto_err_parse("lineup-end"), PE_LINEUP_END);

	expect_err("{\"type\":\"lineup.add\",\"id\":1}", PE_BAD_FIELD);
	expect_err("{\"type\":\"lineup.add\",\"id\":1,\"title\":\"\"}", PE_BAD_FIELD);
	expect_err("{\"type\":\"lineup.add\",\"id\":1,\"title\":\"a\",\"kind\":\"song\"}",
	    PE_BAD_FIELD);
	expect_err("{\"type\":\"lineup.remove\",\"id\":1,\"index\":-1}", PE_BAD_FIELD);
	expect_err("{\"type\":\"lineup.move\",\"id\":1,\"from\":1}", PE_BAD_FIELD);
	expect_err("{\"type\":\"room.expire\",\"id\":1,\"room\":\"hack\"}", PE_BAD_FIELD);
	expect_err("{\"type\":\"room.expire\",\"id\":1,\"room\":\"hack\",\"minutes\":1441}",
	    PE_BAD_FIELD);
	expect_err("{\"type\":\"room.create\",\"id\":1,\"room\":\"hack\",\"minutes\":0}",
	    PE_BAD_FIELD);
	expect_err("{\"type\":\"lineup\",\"stream\":\"lineup\",\"seq\":1,\"items\":[],"
	    "\"current\":0}", PE_BAD_FIELD);
	expect_err("{\"type\":\"lineup\",\"stream\":\"lineup\",\"seq\":1,\"items\":[{}],"
	    "\"current\":-1}", PE_BAD_FIELD);
}


static void
test_bad_request_fields(void **state)
{
	char buf[8192];
	char *s;
	size_t i;

	(void)state;
	/* hello */
	expect_err("{\"type\":\"hello\",\"id\":1,\"name\":\"a\"}", PE_BAD_FIELD);
	expect_err("{\"type\":\"hello\",\"id\":1,\"proto\":\"1\",\"name\":\"a\"}", PE_BAD_FIELD);
	expect_err("{\"type\":\"hello\",\"id\":1,\"proto\":1.5,\"name\":\"a\"}", PE_BAD_FIELD);
	expect_err("{\"type\":\"hello\",\"id\":1,\"proto\":1}", PE_BAD_FIELD);
	expect_err("{\"type\":\"hello\",\"id\":1,\"proto\":1,\"name\":true}", PE_BAD_FIELD);
	expect_err("{\"type\":\"hello\",\"id\":1,\"proto\":1,\"name\":\"a\",\"token\":5}",
	    PE_BAD_FIELD);
	s = repeat('n', PROTO_MAX_NAME + 1);
	snprintf(buf, sizeof buf, "{\"type\":\"hello\",\"id\":1,\"proto\":1,\"name\":\"%s\"}", s);
	expect_err(buf, PE_TOO_LONG);
	free(s);
	s = repeat('t', PROTO_MAX_TOKEN + 1);
	snprintf(buf, sizeof buf, "{\"type\":\"hello\",\"id\":1,\"proto\":1,\"name\":\"a\","
	    "\"token\":\"%s\"}", s);
	expect_err(buf, PE_TOO_LONG);
	snprintf(buf, sizeof buf, "{\"type\":\"hello\",\"id\":1,\"proto\":1,\"name\":\"a\","
	    "\"resume\":\"%s\"}", s);
	expect_err(buf, PE_TOO_LONG);
	free(s);
	s = repeat('c', 65);
	snprintf(buf, sizeof buf, "{\"type\":\"hello\",\"id\":1,\"proto\":1,\"name\":\"a\","
	    "\"client\":\"%s\"}", s);
	expect_err(buf, PE_TOO_LONG);
	free(s);
	/* proto 2 decodes; the hub says unsupported-version. */
	{
		struct proto_msg m;

		expect_ok("{\"type\":\"hello\",\"id\":1,\"proto\":2,\"name\":\"a\"}", &m);
		assert_int_equal(m.u.hello.proto, 2);
		proto_msg_clear(&m);
	}

	/* say */
	expect_err("{\"type\":\"say\",\"id\":1,\"text\":\"x\"}", PE_BAD_FIELD);
	expect_err("{\"type\":\"say\",\"id\":1,\"room\":\"lobby\"}", PE_BAD_FIELD);
	expect_err("{\"type\":\"say\",\"id\":1,\"room\":\"lobby\",\"text\":\"\"}", PE_BAD_FIELD);
	expect_err("{\"type\":\"say\",\"id\":1,\"room\":\"lobby\",\"text\":3}", PE_BAD_FIELD);
	expect_err("{\"type\":\"say\",\"id\":1,\"room\":false,\"text\":\"x\"}", PE_BAD_FIELD);
	expect_err("{\"type\":\"say\",\"id\":1,\"room\":\"lobby\",\"text\":\"x\",\"me\":1}",
	    PE_BAD_FIELD);
	expect_err("{\"type\":\"say\",\"id\":1,\"room\":\"Bad Room\",\"text\":\"x\"}", PE_BAD_FIELD);
	s = repeat('x', PROTO_MAX_TEXT + 1);
	snprintf(buf, sizeof buf, "{\"type\":\"say\",\"id\":1,\"room\":\"lobby\",\"text\":\"%s\"}",
	    s);
	expect_err(buf, PE_TOO_LONG);
	s[PROTO_MAX_TEXT] = '\0';
	snprintf(buf, sizeof buf, "{\"type\":\"say\",\"id\":1,\"room\":\"lobby\",\"text\":\"%s\"}",
	    s);
	{
		struct proto_msg m;

		expect_ok(buf, &m);
		assert_int_equal(strlen(m.u.say.text), PROTO_MAX_TEXT);
		proto_msg_clear(&m);
	}
	free(s);

	/* msg */
	expect_err("{\"type\":\"msg\",\"id\":1,\"text\":\"x\"}", PE_BAD_FIELD);
	expect_err("{\"type\":\"msg\",\"id\":1,\"to\":\"a\"}", PE_BAD_FIELD);
	expect_err("{\"type\":\"msg\",\"id\":1,\"to\":\"a\",\"text\":\"\"}", PE_BAD_FIELD);
	expect_err("{\"type\":\"msg\",\"id\":1,\"to\":1,\"text\":\"x\"}", PE_BAD_FIELD);
	s = repeat('x', PROTO_MAX_TEXT + 1);
	snprintf(buf, sizeof buf, "{\"type\":\"msg\",\"id\":1,\"to\":\"a\",\"text\":\"%s\"}", s);
	expect_err(buf, PE_TOO_LONG);
	free(s);

	/* join, part, who, room.close */
	{
		static const char *const types[] = { "join", "part", "who", "room.close" };

		for (i = 0; i < 4; i++) {
			snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":1}", types[i]);
			expect_err(buf, PE_BAD_FIELD);
			snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":1,\"room\":5}", types[i]);
			expect_err(buf, PE_BAD_FIELD);
			snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":1,\"room\":\"\"}",
			    types[i]);
			expect_err(buf, PE_BAD_FIELD);
			snprintf(buf, sizeof buf, "{\"type\":\"%s\",\"id\":1,\"room\":\"%s\"}",
			    types[i], "abcdefghijklmnopqrstuvwxyz0123456");
			expect_err(buf, PE_TOO_LONG);
		}
	}

	/* room.create */
	expect_err("{\"type\":\"room.create\",\"id\":1}", PE_BAD_FIELD);
	expect_err("{\"type\":\"room.create\",\"id\":1,\"room\":\"-x\"}", PE_BAD_FIELD);
	expect_err("{\"type\":\"room.create\",\"id\":1,\"room\":\"x\",\"title\":7}", PE_BAD_FIELD);
	expect_err("{\"type\":\"room.create\",\"id\":1,\"room\":\"x\",\"capacity\":-1}",
	    PE_BAD_FIELD);
	expect_err("{\"type\":\"room.create\",\"id\":1,\"room\":\"x\",\"capacity\":100001}",
	    PE_BAD_FIELD);
	expect_err("{\"type\":\"room.create\",\"id\":1,\"room\":\"x\",\"capacity\":\"5\"}",
	    PE_BAD_FIELD);
	expect_err("{\"type\":\"room.create\",\"id\":1,\"room\":\"x\",\"capacity\":5.0}",
	    PE_BAD_FIELD);
	s = repeat('T', ROOM_TITLE_MAX + 1);
	snprintf(buf, sizeof buf, "{\"type\":\"room.create\",\"id\":1,\"room\":\"x\","
	    "\"title\":\"%s\"}", s);
	expect_err(buf, PE_TOO_LONG);
	free(s);
	/* 80 code points of 3 bytes each are fine. */
	buf[0] = '\0';
	strcat(buf, "{\"type\":\"room.create\",\"id\":1,\"room\":\"x\",\"title\":\"");
	for (i = 0; i < ROOM_TITLE_MAX; i++)
		strcat(buf, "李");
	strcat(buf, "\"}");
	{
		struct proto_msg m;

		expect_ok(buf, &m);
		assert_int_equal(m.u.room_create.capacity, 0);
		proto_msg_clear(&m);
	}

	/* timer.start */
	expect_err("{\"type\":\"timer.start\",\"id\":1}", PE_BAD_FIELD);
	expect_err("{\"type\":\"timer.start\",\"id\":1,\"duration_ms\":0}", PE_BAD_FIELD);
	expect_err("{\"type\":\"timer.start\",\"id\":1,\"duration_ms\":86400001}", PE_BAD_FIELD);
	expect_err("{\"type\":\"timer.start\",\"id\":1,\"duration_ms\":\"60000\"}", PE_BAD_FIELD);
	expect_err("{\"type\":\"timer.start\",\"id\":1,\"duration_ms\":60000.5}", PE_BAD_FIELD);
	expect_err("{\"type\":\"timer.start\",\"id\":1,\"duration_ms\":true}", PE_BAD_FIELD);
	expect_err("{\"type\":\"timer.start\",\"id\":1,\"duration_ms\":1,\"scope\":3}",
	    PE_BAD_FIELD);
	expect_err("{\"type\":\"timer.start\",\"id\":1,\"duration_ms\":1,\"scope\":\"A B\"}",
	    PE_BAD_FIELD);
	expect_err("{\"type\":\"timer.start\",\"id\":1,\"duration_ms\":1,\"label\":false}",
	    PE_BAD_FIELD);
	s = repeat('L', TIMER_LABEL_MAX + 1);
	snprintf(buf, sizeof buf, "{\"type\":\"timer.start\",\"id\":1,\"duration_ms\":1,"
	    "\"label\":\"%s\"}", s);
	expect_err(buf, PE_TOO_LONG);
	free(s);

	/* timer.adjust: delta required, non-zero, at most a day either way */
	expect_err("{\"type\":\"timer.adjust\",\"id\":1}", PE_BAD_FIELD);
	expect_err("{\"type\":\"timer.adjust\",\"id\":1,\"delta_ms\":0}", PE_BAD_FIELD);
	expect_err("{\"type\":\"timer.adjust\",\"id\":1,\"delta_ms\":\"30\"}", PE_BAD_FIELD);
	expect_err("{\"type\":\"timer.adjust\",\"id\":1,\"delta_ms\":86400001}", PE_BAD_FIELD);
	expect_err("{\"type\":\"timer.adjust\",\"id\":1,\"delta_ms\":-86400001}", PE_BAD_FIELD);
	expect_err("{\"type\":\"timer.start\",\"id\":1,\"duration_ms\":1,\"warn_ms\":-1}",
	    PE_BAD_FIELD);
	expect_err("{\"type\":\"timer.stop\",\"id\":1,\"scope\":\"#x\"}", PE_BAD_FIELD);

	/* timer.pause, timer.resume, timer.reset */
	expect_err("{\"type\":\"timer.pause\",\"id\":1,\"scope\":1}", PE_BAD_FIELD);
	expect_err("{\"type\":\"timer.resume\",\"id\":1,\"scope\":true}", PE_BAD_FIELD);
	expect_err("{\"type\":\"timer.reset\",\"id\":1,\"scope\":\"#x\"}", PE_BAD_FIELD);
	{
		struct proto_msg m;

		expect_ok("{\"type\":\"timer.reset\",\"id\":1}", &m);
		assert_string_equal(m.u.timer_ref.scope, "main");
		proto_msg_clear(&m);
	}

	/* ping */
	expect_err("{\"type\":\"ping\",\"id\":1}", PE_BAD_FIELD);
	expect_err("{\"type\":\"ping\",\"id\":1,\"t0\":\"5\"}", PE_BAD_FIELD);
	expect_err("{\"type\":\"ping\",\"id\":1,\"t0\":5.5}", PE_BAD_FIELD);
}

/* Invalid replies and events (what a client may receive from a broken hub). */
static void
test_bad_replies_events(void **state)
{
	(void)state;
	expect_err("{\"type\":\"error\",\"re\":1,\"message\":\"x\"}", PE_BAD_FIELD);
	expect_err("{\"type\":\"error\",\"re\":1,\"code\":\"bad-json\"}", PE_BAD_FIELD);
	expect_err("{\"type\":\"members\",\"re\":1,\"room\":\"a\",\"names\":[1]}", PE_BAD_FIELD);
	expect_err("{\"type\":\"members\",\"re\":1,\"room\":\"a\",\"names\":\"a\"}", PE_BAD_FIELD);
	expect_err("{\"type\":\"pong\",\"re\":1,\"t0\":1,\"t1\":2}", PE_BAD_FIELD);
	expect_err("{\"type\":\"rooms\",\"stream\":\"rooms\",\"seq\":1,\"rooms\":[{\"id\":\"a\"}]}",
	    PE_BAD_FIELD);
	expect_err("{\"type\":\"rooms\",\"stream\":\"rooms\",\"seq\":1,\"rooms\":[{\"id\":\"a\","
	    "\"title\":\"\",\"kind\":\"hall\",\"occupancy\":1}]}", PE_BAD_FIELD);
	expect_err("{\"type\":\"timer\",\"stream\":\"timers\",\"seq\":1,\"now\":1,\"timer\":"
	    "{\"scope\":\"main\",\"state\":\"running\",\"label\":\"\",\"duration_ms\":5,"
	    "\"rev\":1,\"by\":\"\"}}", PE_BAD_FIELD);
	expect_err("{\"type\":\"timer\",\"stream\":\"timers\",\"seq\":1,\"now\":1,\"timer\":"
	    "{\"scope\":\"main\",\"state\":\"paused\",\"label\":\"\",\"duration_ms\":5,"
	    "\"rev\":1,\"by\":\"\"}}", PE_BAD_FIELD);
	expect_err("{\"type\":\"timer\",\"stream\":\"timers\",\"seq\":1,\"now\":1,\"timer\":[]}",
	    PE_BAD_FIELD);
	expect_err("{\"type\":\"program\",\"stream\":\"program\",\"seq\":1,\"program\":{}}",
	    PE_BAD_FIELD);
	expect_err("{\"type\":\"welcome\",\"re\":1,\"proto\":1}", PE_BAD_FIELD);
	/* room ids in events are room ids: no controls, no bidi overrides */
	expect_err("{\"type\":\"chat\",\"stream\":\"room:a\",\"seq\":1,\"room\":"
	    "\"a\\u202eb\",\"from\":\"x\",\"text\":\"t\",\"ts\":1}", PE_BAD_FIELD);
	expect_err("{\"type\":\"members\",\"re\":1,\"room\":\"a\\u001b\",\"names\":[]}",
	    PE_BAD_FIELD);
	expect_err("{\"type\":\"room.closed\",\"stream\":\"room:a\",\"seq\":1,\"room\":\"a\","
	    "\"by\":\"x\",\"moved_to\":\"lo bby\"}", PE_BAD_FIELD);
	/* null means absent: room.expire with "minutes": null and no seconds is incomplete */
	expect_err("{\"type\":\"room.expire\",\"id\":1,\"room\":\"a\",\"minutes\":null}",
	    PE_BAD_FIELD);
}

/* Display names. */
static void
test_names(void **state)
{
	static const char *const good[] = { "alice", "Ана", "李雷", "bob_2", "a", "x.y", "ok-ok" };
	static const char *const bad[] = {
		"", "a b", "#x", "/x", "@x", "a\tb", "\xe2\x80\xae", "a\xe2\x80\xae" "b", "a:b", "a,b",
		"a\nb", "a\x7f", "a\xc2\x85", "a\xc2\xa0" "b", "a\xe2\x80\x8f", "\xef\xbb\xbf" "a",
		"a\xe3\x80\x80" "b", "a\xe2\x80\xa8", "a\xe2\x81\xa6", "\xc0\xaf", "a\x80",
		" alice", "alice ",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (proto_name_check(good[i]) != PE_NONE)
			fail_msg("rejected good name %s", good[i]);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (proto_name_check(bad[i]) != PE_BAD_NAME)
			fail_msg("accepted bad name #%zu", i);
	}
	assert_int_equal(proto_name_check("abcdefghijklmnopqrstuvwxyz012345"), PE_NONE);
	assert_int_equal(proto_name_check("abcdefghijklmnopqrstuvwxyz0123456"), PE_TOO_LONG);
	assert_int_equal(proto_name_check(NULL), PE_BAD_NAME);
	assert_int_equal(proto_name_cmp("Alice", "aLICE"), 0);
	assert_true(proto_name_cmp("alice", "bob") < 0);
	assert_true(proto_name_cmp("bob", "alice") > 0);
	assert_true(proto_name_cmp("al", "alice") != 0);
}

/* Type and error tables. */
static void
test_tables(void **state)
{
	int i;

	(void)state;
	for (i = 1; i < PT__COUNT; i++) {
		if (i == PT_HISTORY_REPLY)   /* shares "history" with the request */
			assert_int_equal(proto_type_parse(proto_type_name(PT_HISTORY_REPLY)),
			    PT_HISTORY);
		else
			assert_int_equal(proto_type_parse(proto_type_name((enum proto_type)i)), i);
	}
	assert_true(proto_type_is_request(PT_HISTORY));
	assert_false(proto_type_is_request(PT_HISTORY_REPLY));
	assert_int_equal(proto_type_parse("nope"), PT_UNKNOWN);
	assert_string_equal(proto_type_name(PT_ROOM_CREATE), "room.create");
	for (i = 1; i < PE__COUNT; i++) {
		assert_int_equal(proto_err_parse(proto_err_name((enum proto_err)i)), i);
		assert_true(strlen(proto_err_message((enum proto_err)i)) > 0);
	}
	assert_string_equal(proto_err_name(PE_NOT_MEMBER), "not-in-room");
	assert_string_equal(proto_err_name(PE_VERSION), "unsupported-version");
	assert_string_equal(proto_err_message(PE_NOT_ALLOWED), "only facilitators can do that");
	assert_int_equal(proto_err_parse("what"), PE_NONE);
	assert_true(proto_type_is_request(PT_HELLO));
	assert_true(proto_type_is_request(PT_PING));
	assert_false(proto_type_is_request(PT_WELCOME));
	assert_false(proto_type_is_request(PT_CHAT));
	assert_true(proto_type_is_privileged(PT_ROOM_CREATE));
	assert_true(proto_type_is_privileged(PT_TIMER_RESET));
	assert_true(proto_type_is_privileged(PT_TIMER_STOP));
	assert_true(proto_type_is_privileged(PT_TIMER_ADJUST));
	assert_true(proto_type_is_request(PT_TIMER_ADJUST));
	assert_string_equal(proto_type_name(PT_TIMER_ADJUST), "timer.adjust");
	assert_false(proto_type_is_privileged(PT_SAY));
	assert_false(proto_type_is_privileged(PT_JOIN));
	assert_string_equal(proto_role_name(ROLE_FACILITATOR), "facilitator");
	assert_string_equal(proto_role_name(ROLE_ATTENDEE), "attendee");
}

/* The resume members (issue 6): hello since/program/user, welcome program_version,
 * history and limits.backlog, join since, ok last/from/lost/dup, say/msg cid, the
 * history request and reply: encode and decode both ways. */
static void
test_resume_roundtrip(void **state)
{
	struct proto_msg in, out;
	struct proto_since_room since[2] = { { "lobby", 781 }, { "hack-1", 0 } };
	struct proto_room_pos pos[2] = { { "lobby", 790, 782, false }, { "hack-1", 4, 1, true } };
	struct proto_chat_ev evs[2];
	const char *joined[] = { "lobby", "hack-1" };
	const char *raw[2];
	size_t lens[2];
	char *s, *e1, *e2;

	(void)state;
	proto_msg_init(&in, PT_HELLO);
	in.id = 1;
	in.u.hello.proto = 1;
	in.u.hello.name = "alice";
	in.u.hello.since_epoch = "9f2c41d07a3e4b18";
	in.u.hello.since = since;
	in.u.hello.nsince = 2;
	in.u.hello.program = "5f0b3e8a91c2d476";
	in.u.hello.has_user = true;
	in.u.hello.user = 12;
	roundtrip(&in, &out);
	assert_string_equal(out.u.hello.since_epoch, "9f2c41d07a3e4b18");
	assert_int_equal(out.u.hello.nsince, 2);
	assert_string_equal(out.u.hello.since[0].room, "lobby");
	assert_int_equal(out.u.hello.since[0].seq, 781);
	assert_string_equal(out.u.hello.since[1].room, "hack-1");
	assert_int_equal(out.u.hello.since[1].seq, 0);
	assert_string_equal(out.u.hello.program, "5f0b3e8a91c2d476");
	assert_true(out.u.hello.has_user);
	assert_int_equal(out.u.hello.user, 12);
	proto_msg_clear(&out);
	/* user 0 is sent; absent members stay absent. */
	in.u.hello.user = 0;
	in.u.hello.since_epoch = NULL;
	in.u.hello.program = NULL;
	s = proto_encode(&in);
	assert_non_null(strstr(s, "\"user\":0"));
	assert_null(strstr(s, "since"));
	free(s);
	roundtrip(&in, &out);
	assert_true(out.u.hello.has_user);
	assert_null(out.u.hello.since_epoch);
	assert_null(out.u.hello.since);
	assert_null(out.u.hello.program);
	proto_msg_clear(&out);
	in.u.hello.has_user = false;
	roundtrip(&in, &out);
	assert_false(out.u.hello.has_user);
	assert_int_equal(out.u.hello.user, 0);
	proto_msg_clear(&out);

	/* say and msg with and without cid */
	proto_msg_init(&in, PT_SAY);
	in.id = 2;
	in.u.say.room = "lobby";
	in.u.say.text = "hi";
	in.u.say.cid = "a1b2c3d4-17";
	roundtrip(&in, &out);
	assert_string_equal(out.u.say.cid, "a1b2c3d4-17");
	proto_msg_clear(&out);
	in.u.say.cid = NULL;
	roundtrip(&in, &out);
	assert_null(out.u.say.cid);
	proto_msg_clear(&out);
	proto_msg_init(&in, PT_MSG);
	in.id = 3;
	in.u.msg.to = "bob";
	in.u.msg.text = "psst";
	in.u.msg.cid = "Z_9";
	roundtrip(&in, &out);
	assert_string_equal(out.u.msg.cid, "Z_9");
	proto_msg_clear(&out);

	/* join with and without since; part never carries it */
	proto_msg_init(&in, PT_JOIN);
	in.id = 4;
	in.u.room.room = "hack-1";
	in.u.room.has_since = true;
	in.u.room.since = 0;
	roundtrip(&in, &out);
	assert_true(out.u.room.has_since);
	assert_int_equal(out.u.room.since, 0);
	proto_msg_clear(&out);
	in.u.room.since = 77;
	roundtrip(&in, &out);
	assert_int_equal(out.u.room.since, 77);
	proto_msg_clear(&out);
	in.u.room.has_since = false;
	roundtrip(&in, &out);
	assert_false(out.u.room.has_since);
	proto_msg_clear(&out);

	/* history request: defaults */
	proto_msg_init(&in, PT_HISTORY);
	in.id = 9;
	in.u.history.room = "lobby";
	in.u.history.before = 781;
	in.u.history.limit = 30;
	roundtrip(&in, &out);
	assert_string_equal(out.u.history.room, "lobby");
	assert_int_equal(out.u.history.before, 781);
	assert_int_equal(out.u.history.limit, 30);
	proto_msg_clear(&out);
	in.u.history.before = 0;
	in.u.history.limit = 0;
	roundtrip(&in, &out);
	assert_int_equal(out.u.history.before, 0);
	assert_int_equal(out.u.history.limit, PROTO_HISTORY_DEFAULT);
	proto_msg_clear(&out);

	/* welcome without program, with history and backlog */
	proto_msg_init(&in, PT_WELCOME);
	in.re = 1;
	in.u.welcome.proto = 1;
	in.u.welcome.hub = "confabd";
	in.u.welcome.epoch = "e1";
	in.u.welcome.name = "alice";
	in.u.welcome.resume = "tok";
	in.u.welcome.limits.backlog = PROTO_BACKLOG;
	in.u.welcome.program_version = "5f0b3e8a91c2d476";
	in.u.welcome.joined = joined;
	in.u.welcome.njoined = 2;
	in.u.welcome.history = pos;
	in.u.welcome.nhistory = 2;
	roundtrip(&in, &out);
	assert_null(out.u.welcome.program);
	assert_string_equal(out.u.welcome.program_version, "5f0b3e8a91c2d476");
	assert_int_equal(out.u.welcome.limits.backlog, PROTO_BACKLOG);
	assert_int_equal(out.u.welcome.nhistory, 2);
	assert_string_equal(out.u.welcome.history[0].room, "lobby");
	assert_int_equal(out.u.welcome.history[0].last, 790);
	assert_int_equal(out.u.welcome.history[0].from, 782);
	assert_false(out.u.welcome.history[0].lost);
	assert_string_equal(out.u.welcome.history[1].room, "hack-1");
	assert_int_equal(out.u.welcome.history[1].last, 4);
	assert_int_equal(out.u.welcome.history[1].from, 1);
	assert_true(out.u.welcome.history[1].lost);
	proto_msg_clear(&out);
	/* An older hub's welcome: none of the new members. */
	in.u.welcome.program_version = NULL;
	in.u.welcome.nhistory = 0;
	in.u.welcome.limits.backlog = 0;
	roundtrip(&in, &out);
	assert_null(out.u.welcome.program_version);
	assert_null(out.u.welcome.history);
	assert_int_equal(out.u.welcome.nhistory, 0);
	assert_int_equal(out.u.welcome.limits.backlog, 0);
	proto_msg_clear(&out);

	/* ok: dup, positions */
	proto_msg_init(&in, PT_OK);
	in.re = 5;
	in.u.ok.seq = 41;
	in.u.ok.dup = true;
	roundtrip(&in, &out);
	assert_int_equal(out.u.ok.seq, 41);
	assert_true(out.u.ok.dup);
	assert_false(out.u.ok.has_pos);
	proto_msg_clear(&out);
	proto_msg_init(&in, PT_OK);
	in.re = 6;
	in.u.ok.has_pos = true;
	in.u.ok.pos = pos[1];
	roundtrip(&in, &out);
	assert_false(out.u.ok.dup);
	assert_true(out.u.ok.has_pos);
	assert_int_equal(out.u.ok.pos.last, 4);
	assert_int_equal(out.u.ok.pos.from, 1);
	assert_true(out.u.ok.pos.lost);
	assert_null(out.u.ok.pos.room);
	proto_msg_clear(&out);

	/* history reply, from structs and spliced from encoded frames: the same */
	memset(evs, 0, sizeof evs);
	evs[0].stream = "room:lobby";
	evs[0].seq = 7;
	evs[0].chat.room = "lobby";
	evs[0].chat.from = "bob";
	evs[0].chat.text = "one";
	evs[0].chat.ts = 1000;
	evs[1] = evs[0];
	evs[1].seq = 8;
	evs[1].chat.text = "two \"quoted\"";
	evs[1].chat.me = true;
	proto_msg_init(&in, PT_HISTORY_REPLY);
	in.re = 9;
	in.u.history_rep.room = "lobby";
	in.u.history_rep.events = evs;
	in.u.history_rep.nevents = 2;
	in.u.history_rep.more = true;
	roundtrip(&in, &out);
	assert_int_equal(out.type, PT_HISTORY_REPLY);
	assert_string_equal(out.u.history_rep.room, "lobby");
	assert_int_equal(out.u.history_rep.nevents, 2);
	assert_true(out.u.history_rep.more);
	assert_string_equal(out.u.history_rep.events[0].stream, "room:lobby");
	assert_int_equal(out.u.history_rep.events[0].seq, 7);
	assert_string_equal(out.u.history_rep.events[0].chat.text, "one");
	assert_false(out.u.history_rep.events[0].chat.me);
	assert_int_equal(out.u.history_rep.events[1].seq, 8);
	assert_string_equal(out.u.history_rep.events[1].chat.text, "two \"quoted\"");
	assert_true(out.u.history_rep.events[1].chat.me);
	assert_int_equal(out.u.history_rep.events[1].chat.ts, 1000);
	proto_msg_clear(&out);
	{
		struct proto_msg ev;
		struct proto_decode_err err;
		char *whole = proto_encode(&in);

		proto_msg_init(&ev, PT_CHAT);
		ev.stream = "room:lobby";
		ev.seq = 7;
		ev.u.chat = evs[0].chat;
		e1 = proto_encode(&ev);
		ev.seq = 8;
		ev.u.chat = evs[1].chat;
		e2 = proto_encode(&ev);
		raw[0] = e1;
		raw[1] = e2;
		lens[0] = strlen(e1);
		lens[1] = strlen(e2);
		s = proto_encode_history(9, "lobby", raw, lens, 2, true);
		assert_string_equal(s, whole);
		if (proto_decode(s, strlen(s), 0, &out, &err) != 0)
			fail_msg("%s: %s", s, err.detail);
		assert_int_equal(out.type, PT_HISTORY_REPLY);
		assert_int_equal(out.re, 9);
		assert_int_equal(out.u.history_rep.nevents, 2);
		proto_msg_clear(&out);
		free(s);
		s = proto_encode_history(10, "lobby", NULL, NULL, 0, false);
		assert_string_equal(s,
		    "{\"type\":\"history\",\"re\":10,\"room\":\"lobby\",\"events\":[],\"more\":false}");
		free(s);
		/* The hub sees any "history" as the request. */
		s = proto_encode_history(10, "lobby", raw, lens, 1, false);
		assert_int_equal(proto_decode_request(s, strlen(s), 0, &out, &err), -1);
		assert_int_equal(err.code, PE_BAD_FIELD);
		free(s);
		free(whole);
		free(e1);
		free(e2);
	}
	/* Events of unknown types in a history reply are skipped. */
	expect_ok("{\"type\":\"history\",\"re\":3,\"room\":\"a\",\"events\":[{\"type\":\"poll\"},"
	    "{\"type\":\"chat\",\"stream\":\"room:a\",\"seq\":2,\"room\":\"a\",\"from\":\"b\","
	    "\"text\":\"c\",\"ts\":1}]}", &out);
	assert_int_equal(out.type, PT_HISTORY_REPLY);
	assert_int_equal(out.u.history_rep.nevents, 1);
	assert_int_equal(out.u.history_rep.events[0].seq, 2);
	assert_false(out.u.history_rep.more);
	proto_msg_clear(&out);
	assert_true(proto_cid_valid("a"));
	assert_true(proto_cid_valid("0123456789abcdef0123456789ABCDEF"));
	assert_false(proto_cid_valid("0123456789abcdef0123456789ABCDEFx"));
	assert_false(proto_cid_valid(""));
	assert_false(proto_cid_valid(NULL));
	assert_false(proto_cid_valid("a b"));
	assert_false(proto_cid_valid("é"));
}

/* Bad resume members are refused with bad-field. */
static void
test_resume_bad(void **state)
{
	char buf[4096];
	size_t n, i;

	(void)state;
#define HELLO "{\"type\":\"hello\",\"id\":1,\"proto\":1,\"name\":\"a\","
	expect_err(HELLO "\"since\":5}", PE_BAD_FIELD);
	expect_err(HELLO "\"since\":{}}", PE_BAD_FIELD);
	expect_err(HELLO "\"since\":{\"epoch\":\"e\"}}", PE_BAD_FIELD);
	expect_err(HELLO "\"since\":{\"epoch\":1,\"rooms\":{}}}", PE_BAD_FIELD);
	expect_err(HELLO "\"since\":{\"epoch\":\"e\",\"rooms\":[]}}", PE_BAD_FIELD);
	expect_err(HELLO "\"since\":{\"epoch\":\"e\",\"rooms\":{\"lobby\":-1}}}", PE_BAD_FIELD);
	expect_err(HELLO "\"since\":{\"epoch\":\"e\",\"rooms\":{\"lobby\":1.5}}}", PE_BAD_FIELD);
	expect_err(HELLO "\"since\":{\"epoch\":\"e\",\"rooms\":{\"lobby\":\"1\"}}}", PE_BAD_FIELD);
	expect_err(HELLO "\"since\":{\"epoch\":\"e\",\"rooms\":{\"Lobby\":1}}}", PE_BAD_FIELD);
	expect_err(HELLO "\"since\":{\"epoch\":\"e\",\"rooms\":{\"\":1}}}", PE_BAD_FIELD);
	expect_err(HELLO "\"since\":{\"epoch\":\"e\",\"rooms\":{\"lobby\":1,\"lobby\":2}}}",
	    PE_BAD_JSON);
	expect_err(HELLO "\"program\":7}", PE_BAD_FIELD);
	expect_err(HELLO "\"user\":-1}", PE_BAD_FIELD);
	expect_err(HELLO "\"user\":\"3\"}", PE_BAD_FIELD);
	/* 64 rooms are fine, 65 are not. */
	for (i = 64; i <= 65; i++) {
		struct proto_msg m;
		size_t k;

		n = (size_t)snprintf(buf, sizeof buf, HELLO "\"since\":{\"epoch\":\"e\",\"rooms\":{");
		for (k = 0; k < i; k++)
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%s\"r%zu\":%zu",
			    k ? "," : "", k, k);
		snprintf(buf + n, sizeof buf - n, "}}}");
		if (i == 64) {
			expect_ok(buf, &m);
			assert_int_equal(m.u.hello.nsince, 64);
			proto_msg_clear(&m);
		} else
			expect_err(buf, PE_BAD_FIELD);
	}
	{
		struct proto_msg m;

		expect_ok(HELLO "\"since\":null,\"program\":null,\"user\":null}", &m);
		assert_null(m.u.hello.since_epoch);
		assert_false(m.u.hello.has_user);
		proto_msg_clear(&m);
	}
#undef HELLO
	expect_err("{\"type\":\"say\",\"id\":1,\"room\":\"a\",\"text\":\"t\",\"cid\":\"\"}",
	    PE_BAD_FIELD);
	expect_err("{\"type\":\"say\",\"id\":1,\"room\":\"a\",\"text\":\"t\",\"cid\":5}",
	    PE_BAD_FIELD);
	expect_err("{\"type\":\"say\",\"id\":1,\"room\":\"a\",\"text\":\"t\",\"cid\":\"a.b\"}",
	    PE_BAD_FIELD);
	expect_err("{\"type\":\"say\",\"id\":1,\"room\":\"a\",\"text\":\"t\",\"cid\":"
	    "\"0123456789abcdef0123456789abcdef0\"}", PE_BAD_FIELD);
	expect_err("{\"type\":\"msg\",\"id\":1,\"to\":\"a\",\"text\":\"t\",\"cid\":\"x y\"}",
	    PE_BAD_FIELD);
	expect_err("{\"type\":\"join\",\"id\":1,\"room\":\"a\",\"since\":-1}", PE_BAD_FIELD);
	expect_err("{\"type\":\"join\",\"id\":1,\"room\":\"a\",\"since\":true}", PE_BAD_FIELD);
	expect_err("{\"type\":\"history\",\"id\":1}", PE_BAD_FIELD);
	expect_err("{\"type\":\"history\",\"id\":1,\"room\":\"a\",\"before\":0}", PE_BAD_FIELD);
	expect_err("{\"type\":\"history\",\"id\":1,\"room\":\"a\",\"limit\":0}", PE_BAD_FIELD);
	expect_err("{\"type\":\"history\",\"id\":1,\"room\":\"a\",\"limit\":101}", PE_BAD_FIELD);
	expect_err("{\"type\":\"history\",\"id\":1,\"room\":\"a\",\"limit\":\"5\"}", PE_BAD_FIELD);
	/* replies */
	expect_err("{\"type\":\"ok\",\"re\":1,\"last\":5}", PE_BAD_FIELD);
	expect_err("{\"type\":\"ok\",\"re\":1,\"last\":5,\"from\":-1}", PE_BAD_FIELD);
	expect_err("{\"type\":\"ok\",\"re\":1,\"dup\":1}", PE_BAD_FIELD);
	expect_err("{\"type\":\"history\",\"re\":1,\"room\":\"a\"}", PE_BAD_FIELD);
	expect_err("{\"type\":\"history\",\"re\":1,\"room\":\"a\",\"events\":[5]}", PE_BAD_FIELD);
	expect_err("{\"type\":\"history\",\"re\":1,\"room\":\"a\",\"events\":[{\"type\":\"chat\"}]}",
	    PE_BAD_FIELD);
	expect_err("{\"type\":\"history\",\"re\":1,\"room\":\"a\",\"events\":[],\"more\":1}",
	    PE_BAD_FIELD);
#define WELCOME "{\"type\":\"welcome\",\"re\":1,\"proto\":1,\"hub\":\"h\",\"epoch\":\"e\"," \
    "\"name\":\"a\",\"role\":\"attendee\",\"resume\":\"r\",\"now\":1,\"limits\":{\"frame\":1," \
    "\"text\":1,\"name\":1,\"history\":1},\"rooms\":[],\"timers\":[],\"joined\":[]"
	{
		struct proto_msg m;

		expect_ok(WELCOME "}", &m);
		assert_null(m.u.welcome.program);
		proto_msg_clear(&m);
	}
	expect_err(WELCOME ",\"history\":[]}", PE_BAD_FIELD);
	expect_err(WELCOME ",\"history\":{\"lobby\":5}}", PE_BAD_FIELD);
	expect_err(WELCOME ",\"history\":{\"lobby\":{\"last\":1}}}", PE_BAD_FIELD);
	expect_err(WELCOME ",\"history\":{\"Bad room\":{\"last\":1,\"from\":1}}}", PE_BAD_FIELD);
	expect_err(WELCOME ",\"program_version\":5}", PE_BAD_FIELD);
#undef WELCOME
}

/* A small deterministic PRNG (xorshift64*). */
static uint64_t
rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

/* Decodes buf and checks the result is consistent either way. */
static void
fuzz_one(const char *buf, size_t len)
{
	struct proto_msg m;
	struct proto_decode_err err;
	char *s;

	if (proto_decode(buf, len, PROTO_MAX_FRAME, &m, &err) == 0) {
		assert_true(m.type > PT_UNKNOWN && m.type < PT__COUNT);
		/* What decodes also encodes. */
		s = proto_encode(&m);
		assert_non_null(s);
		free(s);
		proto_msg_clear(&m);
	} else {
		assert_true(err.code > PE_NONE && err.code < PE__COUNT);
		assert_null(m.root_);
	}
}

/* Random bytes and random mutations of valid frames never crash the decoder. */
static void
test_fuzz(void **state)
{
	static const char *const seeds[] = {
		"{\"type\":\"hello\",\"id\":1,\"proto\":1,\"name\":\"alice\",\"token\":\"t\"}",
		"{\"type\":\"say\",\"id\":2,\"room\":\"lobby\",\"text\":\"hi\",\"me\":true}",
		"{\"type\":\"timer.start\",\"id\":3,\"duration_ms\":60000,\"label\":\"x\"}",
		"{\"type\":\"room.create\",\"id\":4,\"room\":\"r\",\"title\":\"R\",\"capacity\":3}",
		"{\"type\":\"chat\",\"stream\":\"room:a\",\"seq\":1,\"room\":\"a\",\"from\":\"b\","
		"\"text\":\"c\",\"ts\":1}",
		"{\"type\":\"timer\",\"stream\":\"timers\",\"seq\":2,\"now\":1,\"timer\":{\"scope\":"
		"\"main\",\"state\":\"paused\",\"label\":\"\",\"duration_ms\":5,\"remaining_ms\":3,"
		"\"rev\":1,\"by\":\"\"}}",
		"{\"type\":\"rooms\",\"stream\":\"rooms\",\"seq\":1,\"rooms\":[{\"id\":\"lobby\","
		"\"title\":\"Lobby\",\"kind\":\"lobby\",\"occupancy\":1,\"capacity\":0}]}",
		"{\"type\":\"members\",\"re\":1,\"room\":\"a\",\"names\":[\"x\",\"y\"]}",
		"{\"type\":\"hello\",\"id\":1,\"proto\":1,\"name\":\"a\",\"since\":{\"epoch\":"
		"\"e1\",\"rooms\":{\"lobby\":12,\"b\":0}},\"program\":\"v1\",\"user\":3}",
		"{\"type\":\"say\",\"id\":2,\"room\":\"lobby\",\"text\":\"hi\",\"cid\":\"ab-1\"}",
		"{\"type\":\"join\",\"id\":3,\"room\":\"b\",\"since\":4}",
		"{\"type\":\"history\",\"id\":4,\"room\":\"lobby\",\"before\":9,\"limit\":5}",
		"{\"type\":\"ok\",\"re\":3,\"last\":9,\"from\":5,\"lost\":true,\"dup\":false}",
		"{\"type\":\"history\",\"re\":4,\"room\":\"a\",\"events\":[{\"type\":\"chat\","
		"\"stream\":\"room:a\",\"seq\":2,\"room\":\"a\",\"from\":\"b\",\"text\":\"c\","
		"\"ts\":1}],\"more\":true}",
		"{\"type\":\"welcome\",\"re\":1,\"proto\":1,\"hub\":\"h\",\"epoch\":\"e\","
		"\"name\":\"a\",\"role\":\"attendee\",\"resume\":\"r\",\"now\":1,\"limits\":"
		"{\"frame\":1,\"text\":1,\"name\":1,\"history\":1,\"backlog\":20},\"rooms\":[],"
		"\"timers\":[],\"joined\":[\"a\"],\"program_version\":\"v\",\"history\":{\"a\":"
		"{\"last\":3,\"from\":1,\"lost\":false}}}",
	};
	static const char alphabet[] = "{}[]\":,0123456789-.etrufalsnu \\\x80\xc3\xa9\xff";
	uint64_t rng = 0x5eed1234abcdULL;
	char buf[512];
	size_t i, j, len, n, k;
	int decoded = 0;

	(void)state;
	for (i = 0; i < 300; i++) {
		len = (size_t)(rng_next(&rng) % sizeof buf);
		for (j = 0; j < len; j++) {
			if (i % 2 == 0)
				buf[j] = (char)(rng_next(&rng) & 0xff);
			else
				buf[j] = alphabet[rng_next(&rng) % (sizeof alphabet - 1)];
		}
		fuzz_one(buf, len);
	}
	for (i = 0; i < 4000; i++) {
		const char *seed = seeds[i % (sizeof seeds / sizeof seeds[0])];

		len = strlen(seed);
		memcpy(buf, seed, len);
		n = 1 + (size_t)(rng_next(&rng) % 4);
		for (k = 0; k < n; k++) {
			j = (size_t)(rng_next(&rng) % len);
			switch (rng_next(&rng) % 4) {
			case 0:   /* replace */
				buf[j] = alphabet[rng_next(&rng) % (sizeof alphabet - 1)];
				break;
			case 1:   /* delete */
				memmove(buf + j, buf + j + 1, len - j - 1);
				len--;
				break;
			case 2:   /* insert */
				if (len + 1 < sizeof buf) {
					memmove(buf + j + 1, buf + j, len - j);
					buf[j] = alphabet[rng_next(&rng) % (sizeof alphabet - 1)];
					len++;
				}
				break;
			default:  /* truncate */
				len = j + 1;
				break;
			}
			if (len == 0)
				break;
		}
		{
			struct proto_msg m;
			struct proto_decode_err err;

			if (proto_decode(buf, len, PROTO_MAX_FRAME, &m, &err) == 0) {
				decoded++;
				proto_msg_clear(&m);
			}
		}
		fuzz_one(buf, len);
	}
	/* Some mutations keep the frame valid (e.g. a changed digit). */
	assert_true(decoded > 0);
}

/* Frames from a hostile hub with one member set to value (by printf into tmpl): expects
 * the frame to be refused (want_ok false) or accepted. */
static void
hostile_one(const char *tmpl, const char *value, bool want_ok)
{
	struct proto_msg m;
	struct proto_decode_err err;
	char buf[2048];
	int rc;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(buf, sizeof buf, tmpl, value);
#pragma GCC diagnostic pop
	rc = proto_decode(buf, strlen(buf), 0, &m, &err);
	if (rc == 0)
		proto_msg_clear(&m);
	if (want_ok && rc != 0)
		fail_msg("refused: %s: %s", buf, err.detail);
	if (!want_ok && rc == 0)
		fail_msg("accepted: %s", buf);
}

/* Times, durations and positions from the hub are checked against their ranges: times are
 * 1970-01-01 .. 9999-12-31 in ms, durations at most that span, seqs at most 2^53 - 1. */
static void
test_hostile_ranges(void **state)
{
	static const char *const times[] = {
		/* timer deadline, started, event now; room closes_at; chat and privmsg ts;
		 * pong t1, t2; welcome now */
		"{\"type\":\"timer\",\"stream\":\"timers\",\"seq\":1,\"now\":1,\"timer\":{\"scope\":"
		"\"main\",\"state\":\"running\",\"label\":\"\",\"duration_ms\":5,\"deadline\":%s,"
		"\"rev\":1,\"by\":\"\"}}",
		"{\"type\":\"timer\",\"stream\":\"timers\",\"seq\":1,\"now\":1,\"timer\":{\"scope\":"
		"\"main\",\"state\":\"running\",\"label\":\"\",\"duration_ms\":5,\"deadline\":9,"
		"\"started\":%s,\"rev\":1,\"by\":\"\"}}",
		"{\"type\":\"timer\",\"stream\":\"timers\",\"seq\":1,\"now\":%s,\"timer\":{\"scope\":"
		"\"main\",\"state\":\"idle\",\"label\":\"\",\"duration_ms\":0,\"rev\":1,\"by\":\"\"}}",
		"{\"type\":\"rooms\",\"stream\":\"rooms\",\"seq\":1,\"rooms\":[{\"id\":\"b\",\"kind\":"
		"\"breakout\",\"occupancy\":0,\"closes_at\":%s}]}",
		"{\"type\":\"chat\",\"stream\":\"room:a\",\"seq\":1,\"room\":\"a\",\"from\":\"x\","
		"\"text\":\"t\",\"ts\":%s}",
		"{\"type\":\"privmsg\",\"stream\":\"user\",\"seq\":1,\"from\":\"x\",\"to\":\"y\","
		"\"text\":\"t\",\"ts\":%s}",
		"{\"type\":\"pong\",\"re\":1,\"t0\":-5,\"t1\":%s,\"t2\":1}",
		"{\"type\":\"pong\",\"re\":1,\"t0\":-5,\"t1\":1,\"t2\":%s}",
		"{\"type\":\"welcome\",\"re\":1,\"proto\":1,\"hub\":\"h\",\"epoch\":\"e\",\"name\":"
		"\"a\",\"role\":\"attendee\",\"resume\":\"r\",\"now\":%s,\"limits\":{\"frame\":1,"
		"\"text\":1,\"name\":1,\"history\":1},\"rooms\":[],\"timers\":[],\"joined\":[]}",
	};
	static const char *const spans[] = {
		"{\"type\":\"timer\",\"stream\":\"timers\",\"seq\":1,\"now\":1,\"timer\":{\"scope\":"
		"\"main\",\"state\":\"paused\",\"label\":\"\",\"duration_ms\":5,\"remaining_ms\":%s,"
		"\"rev\":1,\"by\":\"\"}}",
	};
	static const char duration[] =
	    "{\"type\":\"timer\",\"stream\":\"timers\",\"seq\":1,\"now\":1,\"timer\":{\"scope\":"
	    "\"main\",\"state\":\"idle\",\"label\":\"\",\"duration_ms\":%s,\"rev\":1,\"by\":\"\"}}";
	static const char *const seqs[] = {
		"{\"type\":\"chat\",\"stream\":\"room:a\",\"seq\":%s,\"room\":\"a\",\"from\":\"x\","
		"\"text\":\"t\",\"ts\":1}",
		"{\"type\":\"ok\",\"re\":1,\"seq\":%s}",
		"{\"type\":\"ok\",\"re\":1,\"last\":%s,\"from\":1}",
		"{\"type\":\"history\",\"re\":1,\"room\":\"a\",\"events\":[{\"type\":\"chat\","
		"\"stream\":\"room:a\",\"seq\":%s,\"room\":\"a\",\"from\":\"b\",\"text\":\"c\","
		"\"ts\":1}]}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof times / sizeof *times; i++) {
		hostile_one(times[i], "0", true);
		hostile_one(times[i], "253402300799999", true);       /* 9999-12-31T23:59:59.999Z */
		hostile_one(times[i], "253402300800000", false);
		hostile_one(times[i], "-1", false);
		hostile_one(times[i], "9223372036854775807", false);
		hostile_one(times[i], "-9223372036854775808", false);
		hostile_one(times[i], "9223372036854775808", false);  /* not an int64 */
		hostile_one(times[i], "1e3", false);
	}
	for (i = 0; i < sizeof spans / sizeof *spans; i++) {
		hostile_one(spans[i], "-253402300799999", true);
		hostile_one(spans[i], "253402300799999", true);
		hostile_one(spans[i], "253402300800000", false);
		hostile_one(spans[i], "-253402300800000", false);
		hostile_one(spans[i], "-9223372036854775808", false);
	}
	hostile_one(duration, "253402300799999", true);
	hostile_one(duration, "-1", false);
	hostile_one(duration, "9223372036854775807", false);
	for (i = 0; i < sizeof seqs / sizeof *seqs; i++) {
		hostile_one(seqs[i], "9007199254740991", true);
		hostile_one(seqs[i], "9007199254740992", false);
		hostile_one(seqs[i], "9223372036854775807", false);
		hostile_one(seqs[i], "-1", false);
	}
}

/* Names, texts and lists from the hub are checked as a hub checks them from clients. */
static void
test_hostile_fields(void **state)
{
	static const char chat[] = "{\"type\":\"chat\",\"stream\":\"room:a\",\"seq\":1,\"room\":"
	    "\"a\",\"from\":\"%s\",\"text\":\"t\",\"ts\":1}";
	static const char members[] = "{\"type\":\"members\",\"re\":1,\"room\":\"a\",\"names\":"
	    "[\"bob\",\"%s\"]}";
	static const char presence[] = "{\"type\":\"presence\",\"stream\":\"user\",\"seq\":0,"
	    "\"room\":\"a\",\"name\":\"%s\",\"action\":\"join\"}";
	static const char timer_by[] = "{\"type\":\"timer\",\"stream\":\"timers\",\"seq\":1,"
	    "\"now\":1,\"timer\":{\"scope\":\"main\",\"state\":\"idle\",\"label\":\"\","
	    "\"duration_ms\":0,\"rev\":1,\"by\":\"%s\"}}";
	static const char *const names[] = { chat, members, presence, timer_by };
	static const char *const bad_names[] = {
		"al\\u200bice", "ali\\u202ece", "a b", "a\\u00a0b", "\\u2066x", "x\\u001b[2J", "#x",
		"a:b", "abcdefghijklmnopqrstuvwxyz0123456", "\\u2060y"
	};
	char big[2100], frame[2300];
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof names / sizeof *names; i++) {
		hostile_one(names[i], "carol", true);
		for (j = 0; j < sizeof bad_names / sizeof *bad_names; j++)
			hostile_one(names[i], bad_names[j], false);
	}
	hostile_one(timer_by, "", true);            /* a change the hub made itself */
	hostile_one(chat, "", false);
	/* texts over 2000 bytes */
	memset(big, 'x', 2001);
	big[2001] = '\0';
	snprintf(frame, sizeof frame, "{\"type\":\"chat\",\"stream\":\"room:a\",\"seq\":1,"
	    "\"room\":\"a\",\"from\":\"x\",\"text\":\"%.2000s\",\"ts\":1}", big);
	expect_ok_clear(frame);
	snprintf(frame, sizeof frame, "{\"type\":\"chat\",\"stream\":\"room:a\",\"seq\":1,"
	    "\"room\":\"a\",\"from\":\"x\",\"text\":\"%s\",\"ts\":1}", big);
	expect_err_any(frame, PE_TOO_LONG);
	/* welcome's joined are room ids; a timer's scope is "main" or a room id */
	hostile_one("{\"type\":\"welcome\",\"re\":1,\"proto\":1,\"hub\":\"h\",\"epoch\":\"e\","
	    "\"name\":\"a\",\"role\":\"attendee\",\"resume\":\"r\",\"now\":1,\"limits\":"
	    "{\"frame\":1,\"text\":1,\"name\":1,\"history\":1},\"rooms\":[],\"timers\":[],"
	    "\"joined\":[\"lobby\",\"%s\"]}", "x\\u202e", false);
	hostile_one("{\"type\":\"timer\",\"stream\":\"timers\",\"seq\":1,\"now\":1,\"timer\":"
	    "{\"scope\":\"%s\",\"state\":\"idle\",\"label\":\"\",\"duration_ms\":0,\"rev\":1,"
	    "\"by\":\"\"}}", "ma in", false);
}

/* A history reply over PROTO_HISTORY_LIMIT events, deeply nested JSON and an error whose
 * message is a novel are refused; what a bad frame was (its type and re) is told. */
static void
test_hostile_sizes(void **state)
{
	struct proto_msg m;
	struct proto_decode_err err;
	char *buf, *p;
	size_t i, n = 200000;
	static const char ev[] = "{\"type\":\"chat\",\"stream\":\"room:a\",\"seq\":1,\"room\":"
	    "\"a\",\"from\":\"b\",\"text\":\"c\",\"ts\":1}";

	(void)state;
	buf = xmalloc(200 * sizeof ev + 128);
	p = buf + sprintf(buf, "{\"type\":\"history\",\"re\":7,\"room\":\"a\",\"events\":[");
	for (i = 0; i < PROTO_HISTORY_LIMIT + 1; i++)
		p += sprintf(p, "%s%s", i > 0 ? "," : "", ev);
	strcpy(p, "]}");
	assert_int_equal(proto_decode(buf, strlen(buf), 0, &m, &err), -1);
	assert_int_equal(err.code, PE_TOO_LONG);
	assert_int_equal(err.type, PT_HISTORY_REPLY);
	assert_int_equal(err.re, 7);
	free(buf);
	/* 200,000 levels of arrays: refused (jansson's depth limit), no stack overflow */
	buf = xmalloc(2 * n + 64);
	p = buf + sprintf(buf, "{\"type\":\"chat\",\"x\":");
	memset(p, '[', n);
	memset(p + n, ']', n);
	strcpy(p + 2 * n, "}");
	assert_int_equal(proto_decode(buf, strlen(buf), 0, &m, &err), -1);
	assert_int_equal(err.code, PE_BAD_JSON);
	free(buf);
	buf = xmalloc(PROTO_MAX_MESSAGE + 128);
	p = buf + sprintf(buf, "{\"type\":\"error\",\"re\":3,\"code\":\"internal\",\"message\":\"");
	memset(p, 'm', PROTO_MAX_MESSAGE + 1);
	strcpy(p + PROTO_MAX_MESSAGE + 1, "\"}");
	assert_int_equal(proto_decode(buf, strlen(buf), 0, &m, &err), -1);
	assert_int_equal(err.type, PT_ERROR);
	assert_int_equal(err.re, 3);
	free(buf);
	/* a welcome refused for a time out of range still says what it was */
	buf = xstrdup("{\"type\":\"welcome\",\"re\":1,\"now\":-1}");
	assert_int_equal(proto_decode(buf, strlen(buf), 0, &m, &err), -1);
	free(buf);
	assert_int_equal(err.type, PT_WELCOME);
	assert_int_equal(err.re, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requests_roundtrip),
		cmocka_unit_test(test_replies_roundtrip),
		cmocka_unit_test(test_events_roundtrip),
		cmocka_unit_test(test_bad_frames),
		cmocka_unit_test(test_bad_envelope),
		cmocka_unit_test(test_bad_request_fields),
		cmocka_unit_test(test_bad_replies_events),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_fuzz),
		cmocka_unit_test(test_lineup_proto),
		cmocka_unit_test(test_resume_roundtrip),
		cmocka_unit_test(test_resume_bad),
		cmocka_unit_test(test_hostile_ranges),
		cmocka_unit_test(test_hostile_fields),
		cmocka_unit_test(test_hostile_sizes),
	};

	return cmocka_run_group_tests_name("proto", tests, NULL, NULL);
}
