/* test_hub.c: unit tests of the hub's core (hub.c, hub_req.c): no network, a fake clock
 * and fake connections; every frame the hub sends is decoded with proto_decode(). The
 * fixture is in hubfix.c; resume, dedupe and history are tested in test_hub_resume.c. */
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

/* lineup.add/remove/move/next: ok, lineup events to everyone, main timer per item. */
static void
test_lineup(void **state)
{
	struct fixture *f = *state;
	struct hub_session *fac, *a;
	struct proto_msg m;

	fac = t_login(f, 0, "fac", TOKEN);
	a = t_login(f, 1, "a", NULL);
	t_send(a, "{\"type\":\"lineup.next\",\"id\":2}");
	t_expect_error(a, PE_NOT_ALLOWED, 2);
	t_send(fac, "{\"type\":\"lineup.next\",\"id\":2}");
	t_expect_error(fac, PE_LINEUP_END, 2);
	t_send(fac, "{\"type\":\"lineup.add\",\"id\":3,\"title\":\"One\",\"speaker\":\"S1\"}");
	t_expect_ok(fac, 3);
	t_drain(fac);
	t_expect(a, PT_LINEUP, &m);
	assert_int_equal(m.u.lineup.nitems, 1);
	assert_int_equal(m.u.lineup.current, -1);
	assert_int_equal(m.seq, 1);
	assert_string_equal(m.u.lineup.by, "fac");
	proto_msg_clear(&m);
	t_send(fac, "{\"type\":\"lineup.add\",\"id\":4,\"title\":\"Two\",\"kind\":\"pitch\"}");
	t_expect_ok(fac, 4);
	t_drain(fac);
	t_send(fac, "{\"type\":\"lineup.add\",\"id\":5,\"title\":\"Three\"}");
	t_expect_ok(fac, 5);
	t_drain(fac);
	t_send(fac, "{\"type\":\"lineup.remove\",\"id\":6,\"index\":3}");
	t_expect_error(fac, PE_BAD_FIELD, 6);
	t_send(fac, "{\"type\":\"lineup.move\",\"id\":7,\"from\":1,\"to\":0}");
	t_expect_ok(fac, 7);
	t_drain(a);
	t_drain(fac);
	/* order now: Two, One, Three */
	t_send(fac, "{\"type\":\"lineup.next\",\"id\":8}");
	t_expect_ok(fac, 8);
	t_drain(fac);
	t_expect(a, PT_LINEUP, &m);
	assert_int_equal(m.u.lineup.current, 0);
	assert_string_equal(m.u.lineup.items[0].title, "Two");
	assert_int_equal(m.u.lineup.items[0].kind, LK_PITCH);
	proto_msg_clear(&m);
	t_expect(a, PT_TIMER, &m);
	assert_int_equal(m.u.timer.timer.state, TS_RUNNING);
	assert_int_equal(m.u.timer.timer.duration_ms, LINEUP_PITCH_MS);
	assert_int_equal(m.u.timer.timer.deadline_ms, T0 + LINEUP_PITCH_MS);
	assert_string_equal(m.u.timer.timer.label, "Two");
	proto_msg_clear(&m);
	cf_fake_clock_advance(&f->fake, 1000);
	t_send(fac, "{\"type\":\"lineup.next\",\"id\":9}");
	t_expect_ok(fac, 9);
	t_drain(fac);
	t_find(a, PT_TIMER, &m);
	assert_int_equal(m.u.timer.timer.duration_ms, LINEUP_TALK_MS);
	assert_int_equal(m.u.timer.timer.deadline_ms, T0 + 1000 + LINEUP_TALK_MS);
	assert_string_equal(m.u.timer.timer.label, "S1: One");
	proto_msg_clear(&m);
	/* removing an item before the current one keeps the current item */
	t_send(fac, "{\"type\":\"lineup.remove\",\"id\":10,\"index\":0}");
	t_expect_ok(fac, 10);
	t_drain(fac);
	t_expect(a, PT_LINEUP, &m);
	assert_int_equal(m.u.lineup.nitems, 2);
	assert_int_equal(m.u.lineup.current, 0);
	assert_string_equal(m.u.lineup.items[0].title, "One");
	proto_msg_clear(&m);
	t_send(fac, "{\"type\":\"lineup.next\",\"id\":11}");
	t_expect_ok(fac, 11);
	t_drain(fac);
	t_send(fac, "{\"type\":\"lineup.next\",\"id\":12}");
	t_expect_error(fac, PE_LINEUP_END, 12);
	t_drain(a);
}

/* A breakout with an end: hub_tick_due points at it and hub_tick closes it then. */
static void
test_breakout_expiry(void **state)
{
	struct fixture *f = *state;
	struct hub_session *fac, *a;
	struct proto_msg m;

	fac = t_login(f, 0, "fac", TOKEN);
	a = t_login(f, 1, "a", NULL);
	t_send(fac, "{\"type\":\"room.create\",\"id\":2,\"room\":\"hack\",\"seconds\":3}");
	t_expect_ok(fac, 2);
	t_send(a, "{\"type\":\"join\",\"id\":2,\"room\":\"hack\"}");
	hub_tick(f->hub);
	t_drain(a);
	t_drain(fac);
	assert_int_equal(hub_tick_due(f->hub), 3000);
	t_send(fac, "{\"type\":\"room.expire\",\"id\":3,\"room\":\"hack\",\"seconds\":5}");
	t_expect_ok(fac, 3);
	t_send(fac, "{\"type\":\"room.expire\",\"id\":4,\"room\":\"lobby\",\"minutes\":5}");
	t_expect_error(fac, PE_LOBBY, 4);
	cf_fake_clock_advance(&f->fake, 1000);
	hub_tick(f->hub);
	t_find(a, PT_ROOMS, &m);
	assert_int_equal(m.u.rooms.rooms[m.u.rooms.nrooms - 1].closes_at_ms, T0 + 5000);
	proto_msg_clear(&m);
	assert_int_equal(hub_tick_due(f->hub), 4000);
	cf_fake_clock_advance(&f->fake, 3999);
	hub_tick(f->hub);
	assert_non_null(hub_room_find(f->hub, "hack"));
	cf_fake_clock_advance(&f->fake, 1);
	hub_tick(f->hub);
	assert_null(hub_room_find(f->hub, "hack"));
	t_find(a, PT_ROOM_CLOSED, &m);
	assert_string_equal(m.u.room_closed.room, "hack");
	assert_string_equal(m.u.room_closed.by, "");
	assert_string_equal(m.u.room_closed.moved_to, "lobby");
	proto_msg_clear(&m);
	t_drain(a);
	t_send(a, "{\"type\":\"say\",\"id\":5,\"room\":\"lobby\",\"text\":\"back\"}");
	t_expect_ok(a, 5);
	t_drain(fac);
}

/* hello gets a full welcome snapshot; a second hello is refused. */
static void
test_hello_welcome(void **state)
{
	struct fixture *f = *state;
	struct hub_session *s = t_open(f, 0);
	struct proto_msg m;
	size_t i, ndisc = 0;

	for (i = 0; i < f->program->nsessions; i++)
		ndisc += f->program->sessions[i].kind == SK_DISCUSSION;
	t_send(s, "{\"type\":\"hello\",\"id\":7,\"proto\":1,\"name\":\"alice\"}");
	assert_true(f->c[0].wants > 0);
	t_expect(s, PT_WELCOME, &m);
	assert_int_equal(m.re, 7);
	assert_string_equal(m.u.welcome.name, "alice");
	assert_int_equal(m.u.welcome.role, ROLE_ATTENDEE);
	assert_string_equal(m.u.welcome.epoch, hub_epoch(f->hub));
	assert_int_equal(strlen(m.u.welcome.resume), 32);
	assert_int_equal(m.u.welcome.now, T0);
	assert_int_equal(m.u.welcome.limits.frame, PROTO_MAX_FRAME);
	assert_non_null(m.u.welcome.program);
	assert_int_equal(m.u.welcome.program->nsessions, f->program->nsessions);
	assert_true(ndisc > 0);
	assert_int_equal(m.u.welcome.nrooms, 1 + ndisc);
	assert_string_equal(m.u.welcome.rooms[0].id, "lobby");
	assert_int_equal(m.u.welcome.rooms[0].kind, RK_LOBBY);
	assert_int_equal(m.u.welcome.rooms[0].occupancy, 1);
	assert_int_equal(m.u.welcome.rooms[1].kind, RK_DISCUSSION);
	assert_true(m.u.welcome.rooms[1].session[0] != '\0');
	assert_int_equal(m.u.welcome.ntimers, 1);
	assert_string_equal(m.u.welcome.timers[0].scope, "main");
	assert_int_equal(m.u.welcome.timers[0].state, TS_IDLE);
	assert_int_equal(m.u.welcome.njoined, 1);
	assert_string_equal(m.u.welcome.joined[0], "lobby");
	proto_msg_clear(&m);
	t_expect_nothing(s);

	t_send(s, "{\"type\":\"hello\",\"id\":8,\"proto\":1,\"name\":\"alice2\"}");
	t_expect_error(s, PE_ALREADY, 8);
	t_send(s, "{\"type\":\"ping\",\"id\":9,\"t0\":42}");
	t_expect(s, PT_PONG, &m);
	assert_int_equal(m.u.pong.t0, 42);
	assert_int_equal(m.u.pong.t1, T0);
	proto_msg_clear(&m);
	hub_session_closed(s);
	assert_int_equal(hub_session_count(f->hub), 0);
}

/* Names are unique (case-insensitively) unless the resume token is presented. */
static void
test_name_taken_and_resume(void **state)
{
	struct fixture *f = *state;
	struct hub_session *a, *b, *c;
	struct proto_msg m;
	char resume[64];

	a = t_open(f, 0);
	t_send(a, "{\"type\":\"hello\",\"id\":1,\"proto\":1,\"name\":\"alice\"}");
	t_expect(a, PT_WELCOME, &m);
	snprintf(resume, sizeof resume, "%s", m.u.welcome.resume);
	proto_msg_clear(&m);

	b = t_open(f, 1);
	t_send(b, "{\"type\":\"hello\",\"id\":1,\"proto\":1,\"name\":\"ALICE\"}");
	t_expect_error(b, PE_NAME_TAKEN, 1);
	t_send(b, "{\"type\":\"hello\",\"id\":2,\"proto\":1,\"name\":\"alice\",\"resume\":\"nope\"}");
	t_expect_error(b, PE_NAME_TAKEN, 2);
	t_send(b, "{\"type\":\"hello\",\"id\":3,\"proto\":2,\"name\":\"bob\"}");
	t_expect_error(b, PE_VERSION, 3);
	t_send(b, "{\"type\":\"hello\",\"id\":4,\"proto\":1,\"name\":\"#bob\"}");
	t_expect_error(b, PE_BAD_NAME, 4);

	c = t_open(f, 2);
	t_send(c, "{\"type\":\"hello\",\"id\":1,\"proto\":1,\"name\":\"alice\",\"resume\":\"%s\"}",
	    resume);
	t_expect(c, PT_WELCOME, &m);
	assert_int_equal(m.u.welcome.rooms[0].occupancy, 1);
	proto_msg_clear(&m);
	assert_int_equal(f->c[0].closed, 1);
	assert_int_equal(f->c[2].closed, 0);
	assert_null(hub_session_next_frame(a));
	hub_session_closed(a);
	t_send(c, "{\"type\":\"who\",\"id\":2,\"room\":\"lobby\"}");
	t_expect(c, PT_MEMBERS, &m);
	assert_int_equal(m.u.members.nnames, 1);
	assert_string_equal(m.u.members.names[0], "alice");
	proto_msg_clear(&m);
}

/* A wrong token is refused; the right one makes a facilitator. */
static void
test_bad_token(void **state)
{
	struct fixture *f = *state;
	struct hub_session *s = t_open(f, 0);
	struct proto_msg m;

	t_send(s, "{\"type\":\"hello\",\"id\":1,\"proto\":1,\"name\":\"fac\",\"token\":\"sesame-open-12\"}");
	t_expect_error(s, PE_BAD_TOKEN, 1);
	t_send(s, "{\"type\":\"hello\",\"id\":2,\"proto\":1,\"name\":\"fac\",\"token\":\"" TOKEN "\"}");
	t_expect(s, PT_WELCOME, &m);
	assert_int_equal(m.u.welcome.role, ROLE_FACILITATOR);
	proto_msg_clear(&m);
}

/* Attendees cannot use privileged requests. */
static void
test_facilitator_only(void **state)
{
	struct fixture *f = *state;
	struct hub_session *s = t_login(f, 0, "att", NULL);

	t_send(s, "{\"type\":\"room.create\",\"id\":2,\"room\":\"b1\"}");
	t_expect_error(s, PE_NOT_ALLOWED, 2);
	t_send(s, "{\"type\":\"timer.start\",\"id\":3,\"duration_ms\":1000}");
	t_expect_error(s, PE_NOT_ALLOWED, 3);
	t_send(s, "{\"type\":\"room.close\",\"id\":4,\"room\":\"lobby\"}");
	t_expect_error(s, PE_NOT_ALLOWED, 4);
	t_expect_nothing(s);
}

/* Chat reaches every member, in order, with ring sequence numbers. */
static void
test_say_fanout(void **state)
{
	struct fixture *f = *state;
	struct hub_session *s[3];
	static const char *const texts[] = { "one", "two", "three" };
	struct proto_msg m;
	int i, k;

	s[0] = t_login(f, 0, "a", NULL);
	s[1] = t_login(f, 1, "b", NULL);
	s[2] = t_login(f, 2, "c", NULL);
	t_send(s[0], "{\"type\":\"say\",\"id\":5,\"room\":\"lobby\",\"text\":\"one\"}");
	t_send(s[1], "{\"type\":\"say\",\"id\":6,\"room\":\"lobby\",\"text\":\"two\"}");
	f->fake.wall += 10;
	t_send(s[0], "{\"type\":\"say\",\"id\":7,\"room\":\"lobby\",\"text\":\"three\",\"me\":true}");
	t_send(s[0], "{\"type\":\"say\",\"id\":8,\"room\":\"nowhere\",\"text\":\"x\"}");

	t_expect_ok(s[0], 5);
	t_expect_ok(s[0], 7);
	t_expect_error(s[0], PE_NO_ROOM, 8);
	t_expect_ok(s[1], 6);
	for (i = 0; i < 3; i++) {
		for (k = 0; k < 3; k++) {
			t_expect(s[i], PT_CHAT, &m);
			assert_string_equal(m.u.chat.text, texts[k]);
			assert_string_equal(m.u.chat.room, "lobby");
			assert_string_equal(m.stream, "room:lobby");
			assert_int_equal(m.seq, k + 1);
			assert_string_equal(m.u.chat.from, k == 1 ? "b" : "a");
			assert_int_equal(m.u.chat.ts, k == 2 ? T0 + 10 : T0);
			assert_int_equal(m.u.chat.me, k == 2);
			proto_msg_clear(&m);
		}
		t_expect_nothing(s[i]);
	}

	/* A late joiner gets the history replayed after welcome. */
	s[2] = t_open(f, 3);
	t_send(s[2], "{\"type\":\"hello\",\"id\":1,\"proto\":1,\"name\":\"d\"}");
	t_expect(s[2], PT_WELCOME, &m);
	proto_msg_clear(&m);
	assert_int_equal(t_drain(s[2]), 3);
}

/* A private message reaches the recipient and the sender only. */
static void
test_msg_private(void **state)
{
	struct fixture *f = *state;
	struct hub_session *a, *b, *c;
	struct proto_msg m;

	a = t_login(f, 0, "a", NULL);
	b = t_login(f, 1, "b", NULL);
	c = t_login(f, 2, "c", NULL);
	t_send(a, "{\"type\":\"msg\",\"id\":3,\"to\":\"B\",\"text\":\"psst\"}");
	t_expect_ok(a, 3);
	t_expect(a, PT_PRIVMSG, &m);
	assert_string_equal(m.u.privmsg.to, "b");
	assert_string_equal(m.stream, "user");
	proto_msg_clear(&m);
	t_expect(b, PT_PRIVMSG, &m);
	assert_string_equal(m.u.privmsg.from, "a");
	assert_string_equal(m.u.privmsg.text, "psst");
	assert_int_equal(m.seq, 1);
	proto_msg_clear(&m);
	t_expect_nothing(b);
	t_expect_nothing(c);
	t_send(a, "{\"type\":\"msg\",\"id\":4,\"to\":\"zed\",\"text\":\"psst\"}");
	t_expect_error(a, PE_NO_USER, 4);
}

/* Asserts that s got exactly one rooms or occupancy event, and returns the occupancy of
 * room id it gives (-1: none). */
static int
t_rooms_occupancy(struct hub_session *s, const char *id)
{
	struct proto_msg m;
	int occ = -1;
	size_t i;

	if (t_next(s, &m) != 0)
		fail_msg("no rooms or occupancy event");
	assert_string_equal(m.stream, "rooms");
	if (m.type == PT_ROOMS) {
		for (i = 0; i < m.u.rooms.nrooms; i++)
			if (strcmp(m.u.rooms.rooms[i].id, id) == 0)
				occ = (int)m.u.rooms.rooms[i].occupancy;
	} else if (m.type == PT_OCCUPANCY) {
		for (i = 0; i < m.u.occupancy.nrooms; i++)
			if (strcmp(m.u.occupancy.rooms[i].room, id) == 0)
				occ = (int)m.u.occupancy.rooms[i].occupancy;
	} else
		fail_msg("expected rooms or occupancy, got %s", proto_type_name(m.type));
	proto_msg_clear(&m);
	t_expect_nothing(s);
	return occ;
}

/* With thousands of sessions, "occupancy" goes out less often: at most
 * HUB_OCCUPANCY_BUDGET frames a second in all. */
static void
test_occupancy_budget(void **state)
{
	struct fixture *f = *state;
	struct tconn idle = { 0 };
	struct hub_session *a;
	int i, n = 2 * HUB_OCCUPANCY_BUDGET;

	f->hub->limits.conns_per_addr = 0;   /* all of them from one address */
	for (i = 0; i < n; i++)        /* connected, no hello yet: counted, sent nothing */
		assert_non_null(hub_session_open(f->hub, &idle, "test"));
	a = t_login(f, 0, "a", NULL);
	cf_fake_clock_advance(&f->fake, 2000);
	hub_tick(f->hub);
	t_drain(a);
	assert_int_equal(hub_tick_due(f->hub), -1);
	/* n + 2 sessions: one event per 2 s at most, not per second */
	cf_fake_clock_advance(&f->fake, HUB_OCCUPANCY_INTERVAL_MS);
	t_login(f, 1, "b", NULL);
	assert_int_equal(hub_tick_due(f->hub), 2000 - HUB_OCCUPANCY_INTERVAL_MS);
	hub_tick(f->hub);
	t_expect_nothing(a);
	cf_fake_clock_advance(&f->fake, 2000 - HUB_OCCUPANCY_INTERVAL_MS);
	assert_int_equal(hub_tick_due(f->hub), 0);
	hub_tick(f->hub);
	assert_int_equal(t_rooms_occupancy(a, "lobby"), 2);
}

/* Connections refused by the per-address limit are not counted, so their closes leave
 * the count of those kept alone: the limit holds after a burst of refused ones. */
static void
test_conn_limit_refused_uncounted(void **state)
{
	struct fixture *f = *state;
	struct tconn c[6];
	struct hub_session *s[6];
	int i;

	memset(c, 0, sizeof c);
	f->hub->limits.conns_per_addr = 2;
	f->hub->limits.limit_loopback = true;
	for (i = 0; i < 4; i++)            /* all four passed the filter before any opened */
		assert_true(hub_admit(f->hub, "203.0.113.9"));
	for (i = 0; i < 4; i++)
		s[i] = hub_session_open(f->hub, &c[i], "203.0.113.9");
	assert_int_equal(c[0].closed + c[1].closed, 0);
	assert_true(c[2].closed > 0 && c[3].closed > 0);
	hub_session_closed(s[2]);
	hub_session_closed(s[3]);
	/* two are still open: a third is refused, at the filter and at the open */
	assert_false(hub_admit(f->hub, "203.0.113.9"));
	s[4] = hub_session_open(f->hub, &c[4], "203.0.113.9");
	assert_true(c[4].closed > 0);
	hub_session_closed(s[4]);
	/* one of the two leaves: one place again */
	hub_session_closed(s[0]);
	assert_true(hub_admit(f->hub, "203.0.113.9"));
	s[5] = hub_session_open(f->hub, &c[5], "203.0.113.9");
	assert_int_equal(c[5].closed, 0);
	hub_session_closed(s[5]);
	hub_session_closed(s[1]);
}

/* join/part change occupancy; "rooms" events are coalesced by hub_tick(). */
static void
test_join_part_rooms(void **state)
{
	struct fixture *f = *state;
	struct hub_session *fac, *a, *b;
	struct proto_msg m;

	fac = t_login(f, 0, "fac", TOKEN);
	a = t_login(f, 1, "a", NULL);
	b = t_login(f, 2, "b", NULL);
	assert_int_equal(hub_tick_due(f->hub), 0);
	hub_tick(f->hub);
	t_drain(fac); t_drain(a); t_drain(b);
	assert_int_equal(hub_tick_due(f->hub), -1);
	cf_fake_clock_advance(&f->fake, 1000);

	t_send(fac, "{\"type\":\"room.create\",\"id\":2,\"room\":\"b1\",\"capacity\":2}");
	t_expect_ok(fac, 2);
	t_send(fac, "{\"type\":\"room.create\",\"id\":3,\"room\":\"b1\"}");
	t_expect_error(fac, PE_ROOM_EXISTS, 3);
	t_send(fac, "{\"type\":\"room.create\",\"id\":4,\"room\":\"main\"}");
	t_expect_error(fac, PE_BAD_FIELD, 4);
	t_send(a, "{\"type\":\"join\",\"id\":2,\"room\":\"b1\"}");
	t_send(b, "{\"type\":\"join\",\"id\":2,\"room\":\"b1\"}");
	t_send(b, "{\"type\":\"join\",\"id\":3,\"room\":\"b1\"}");
	t_send(fac, "{\"type\":\"join\",\"id\":5,\"room\":\"b1\"}");
	t_expect_ok(a, 2);
	t_expect(a, PT_PRESENCE, &m);
	assert_int_equal(m.u.presence.action, PRES_JOIN);
	assert_string_equal(m.u.presence.name, "b");
	assert_string_equal(m.u.presence.room, "b1");
	proto_msg_clear(&m);
	t_expect_ok(b, 2);
	t_expect_ok(b, 3);
	t_expect_error(fac, PE_ROOM_FULL, 5);
	/* Nothing about rooms until the tick, then one event for all the changes. */
	t_expect_nothing(a);
	assert_int_equal(hub_tick_due(f->hub), 0);
	assert_int_equal(hub_tick(f->hub), -1);
	assert_int_equal(t_rooms_occupancy(a, "b1"), 2);
	assert_int_equal(t_rooms_occupancy(b, "b1"), 2);
	assert_int_equal(t_rooms_occupancy(fac, "b1"), 2);

	t_send(fac, "{\"type\":\"who\",\"id\":6,\"room\":\"b1\"}");
	t_expect(fac, PT_MEMBERS, &m);
	assert_int_equal(m.u.members.nnames, 2);
	assert_string_equal(m.u.members.names[0], "a");
	assert_string_equal(m.u.members.names[1], "b");
	proto_msg_clear(&m);

	/* A change right after an event waits for the interval. */
	t_send(a, "{\"type\":\"part\",\"id\":3,\"room\":\"b1\"}");
	t_expect_ok(a, 3);
	t_expect(b, PT_PRESENCE, &m);
	assert_int_equal(m.u.presence.action, PRES_PART);
	proto_msg_clear(&m);
	t_send(a, "{\"type\":\"part\",\"id\":4,\"room\":\"b1\"}");
	t_expect_error(a, PE_NOT_MEMBER, 4);
	t_send(a, "{\"type\":\"part\",\"id\":5,\"room\":\"lobby\"}");
	t_expect_error(a, PE_LOBBY, 5);
	t_send(a, "{\"type\":\"say\",\"id\":6,\"room\":\"b1\",\"text\":\"hi\"}");
	t_expect_error(a, PE_NOT_MEMBER, 6);
	/* a count that changed goes out as a small "occupancy" event, at most once a
	 * second, not as the whole list of rooms */
	assert_int_equal(hub_tick_due(f->hub), HUB_OCCUPANCY_INTERVAL_MS);
	assert_int_equal(hub_tick(f->hub), HUB_OCCUPANCY_INTERVAL_MS);
	t_expect_nothing(a);
	cf_fake_clock_advance(&f->fake, HUB_OCCUPANCY_INTERVAL_MS);
	assert_int_equal(hub_tick(f->hub), -1);
	assert_int_equal(t_rooms_occupancy(a, "b1"), 1);
	assert_int_equal(t_rooms_occupancy(b, "b1"), 1);
	/* a hello changes only the lobby's count: no list of rooms for everyone */
	t_login(f, 3, "d", NULL);
	cf_fake_clock_advance(&f->fake, HUB_OCCUPANCY_INTERVAL_MS);
	hub_tick(f->hub);
	assert_int_equal(t_rooms_occupancy(a, "lobby"), 4);
	assert_int_equal(t_rooms_occupancy(b, "lobby"), 4);

	/* Quitting tells the other members. */
	t_drain(b);
	t_drain(fac);
	t_send(fac, "{\"type\":\"join\",\"id\":7,\"room\":\"b1\"}");
	t_expect_ok(fac, 7);
	t_drain(fac);
	hub_session_closed(b);
	t_expect(fac, PT_PRESENCE, &m);
	assert_int_equal(m.u.presence.action, PRES_QUIT);
	assert_string_equal(m.u.presence.name, "b");
	assert_string_equal(m.stream, "presence");
	proto_msg_clear(&m);
	assert_true(hub_tick_due(f->hub) > 0);
}

/* A count that moves and comes back before the next event is sent all the same: a
 * newcomer welcomed in between was given the other value. */
static void
test_occupancy_back(void **state)
{
	struct fixture *f = *state;
	struct hub_session *fac, *a, *c;

	fac = t_login(f, 0, "fac", TOKEN);
	a = t_login(f, 1, "a", NULL);
	t_send(fac, "{\"type\":\"room.create\",\"id\":2,\"room\":\"b1\"}");
	t_expect_ok(fac, 2);
	t_send(fac, "{\"type\":\"join\",\"id\":3,\"room\":\"b1\"}");
	t_expect_ok(fac, 3);
	cf_fake_clock_advance(&f->fake, HUB_OCCUPANCY_INTERVAL_MS);
	hub_tick(f->hub);
	t_drain(fac);
	t_drain(a);
	/* b1 went out as 1; a joins (2), c is welcomed with 2, a leaves (1 again) */
	t_send(a, "{\"type\":\"join\",\"id\":2,\"room\":\"b1\"}");
	t_expect_ok(a, 2);
	c = t_login(f, 2, "c", NULL);
	t_send(a, "{\"type\":\"part\",\"id\":3,\"room\":\"b1\"}");
	t_expect_ok(a, 3);
	t_drain(a);
	t_drain(fac);
	cf_fake_clock_advance(&f->fake, HUB_OCCUPANCY_INTERVAL_MS);
	hub_tick(f->hub);
	assert_int_equal(t_rooms_occupancy(c, "b1"), 1);
}

/* Closing a room moves its members to the lobby. */
static void
test_room_close(void **state)
{
	struct fixture *f = *state;
	struct hub_session *fac, *a;
	struct proto_msg m;

	fac = t_login(f, 0, "fac", TOKEN);
	a = t_login(f, 1, "a", NULL);
	t_send(fac, "{\"type\":\"room.create\",\"id\":2,\"room\":\"b2\",\"title\":\"Breakout\"}");
	t_expect_ok(fac, 2);
	t_send(a, "{\"type\":\"join\",\"id\":2,\"room\":\"b2\"}");
	t_expect_ok(a, 2);
	t_send(a, "{\"type\":\"say\",\"id\":3,\"room\":\"b2\",\"text\":\"last words\"}");
	t_expect_ok(a, 3);
	t_send(fac, "{\"type\":\"timer.start\",\"id\":3,\"scope\":\"b2\",\"duration_ms\":1000}");
	t_expect_ok(fac, 3);
	t_drain(fac);
	t_send(fac, "{\"type\":\"room.close\",\"id\":4,\"room\":\"lobby\"}");
	t_expect_error(fac, PE_LOBBY, 4);
	t_send(fac, "{\"type\":\"room.close\",\"id\":5,\"room\":\"b2\"}");
	/* the room's running timer is announced as over (idle) to everyone, then dropped */
	t_expect_ok(fac, 5);
	t_expect(fac, PT_TIMER, &m);
	assert_string_equal(m.u.timer.timer.scope, "b2");
	assert_int_equal(m.u.timer.timer.state, TS_IDLE);
	proto_msg_clear(&m);
	t_expect_nothing(fac);
	t_expect(a, PT_TIMER, &m);
	assert_int_equal(m.u.timer.timer.state, TS_RUNNING);
	proto_msg_clear(&m);
	t_expect(a, PT_CHAT, &m);
	assert_string_equal(m.u.chat.text, "last words");
	proto_msg_clear(&m);
	t_expect(a, PT_ROOM_CLOSED, &m);
	assert_string_equal(m.u.room_closed.room, "b2");
	assert_string_equal(m.u.room_closed.by, "fac");
	assert_string_equal(m.u.room_closed.moved_to, "lobby");
	assert_int_equal(m.seq, 2);
	proto_msg_clear(&m);
	t_expect(a, PT_TIMER, &m);
	assert_string_equal(m.u.timer.timer.scope, "b2");
	assert_int_equal(m.u.timer.timer.state, TS_IDLE);
	proto_msg_clear(&m);
	t_expect_nothing(a);
	t_send(a, "{\"type\":\"say\",\"id\":4,\"room\":\"b2\",\"text\":\"hello?\"}");
	t_expect_error(a, PE_NO_ROOM, 4);
	t_send(a, "{\"type\":\"who\",\"id\":5,\"room\":\"lobby\"}");
	t_expect(a, PT_MEMBERS, &m);
	assert_int_equal(m.u.members.nnames, 2);
	proto_msg_clear(&m);
	t_send(fac, "{\"type\":\"timer.pause\",\"id\":6,\"scope\":\"b2\"}");
	t_expect_error(fac, PE_NO_ROOM, 6);
	hub_tick(f->hub);
	assert_int_equal(t_rooms_occupancy(a, "b2"), -1);
}

/* Leaving a room right after speaking in it still delivers what was said, before the
 * part's reply. */
static void
test_part_keeps_pending_chat(void **state)
{
	struct fixture *f = *state;
	struct hub_session *a;
	struct proto_msg m;

	a = t_login(f, 0, "a", NULL);
	t_send(a, "{\"type\":\"join\",\"id\":2,\"room\":\"d2-open\"}");
	t_expect_ok(a, 2);
	t_drain(a);
	t_send(a, "{\"type\":\"say\",\"id\":3,\"room\":\"d2-open\",\"text\":\"bye\"}");
	t_send(a, "{\"type\":\"part\",\"id\":4,\"room\":\"d2-open\"}");
	t_expect_ok(a, 3);
	t_expect(a, PT_CHAT, &m);
	assert_string_equal(m.u.chat.room, "d2-open");
	assert_string_equal(m.u.chat.text, "bye");
	proto_msg_clear(&m);
	t_expect_ok(a, 4);
	t_expect_nothing(a);
}

/* Asserts the next frame of s is a timer event and decodes it into m. */
static void
t_expect_timer(struct hub_session *s, struct proto_msg *m, enum timer_state st)
{
	t_expect(s, PT_TIMER, m);
	assert_string_equal(m->stream, "timers");
	assert_string_equal(m->u.timer.timer.scope, "main");
	assert_int_equal(m->u.timer.timer.state, st);
}

/* Timers follow the fake clock; every session hears of each change. */
static void
test_timer(void **state)
{
	struct fixture *f = *state;
	struct hub_session *fac, *a;
	struct proto_msg m;

	fac = t_login(f, 0, "fac", TOKEN);
	a = t_login(f, 1, "a", NULL);
	t_send(fac, "{\"type\":\"timer.pause\",\"id\":2}");
	t_expect_error(fac, PE_TIMER_STATE, 2);
	t_send(fac, "{\"type\":\"timer.start\",\"id\":3,\"duration_ms\":60000,\"label\":\"talk\"}");
	t_expect_ok(fac, 3);
	t_expect_timer(a, &m, TS_RUNNING);
	assert_int_equal(m.u.timer.now, T0);
	assert_int_equal(m.u.timer.timer.deadline_ms, T0 + 60000);
	assert_string_equal(m.u.timer.timer.label, "talk");
	assert_int_equal(m.seq, 1);
	proto_msg_clear(&m);
	t_expect_timer(fac, &m, TS_RUNNING);
	proto_msg_clear(&m);

	cf_fake_clock_advance(&f->fake, 10000);
	t_send(fac, "{\"type\":\"timer.pause\",\"id\":4,\"scope\":\"main\"}");
	t_expect_ok(fac, 4);
	t_expect_timer(a, &m, TS_PAUSED);
	assert_int_equal(m.u.timer.now, T0 + 10000);
	assert_int_equal(m.u.timer.timer.remaining_ms, 50000);
	assert_int_equal(m.seq, 2);
	proto_msg_clear(&m);
	t_drain(fac);
	t_send(fac, "{\"type\":\"timer.pause\",\"id\":5}");
	t_expect_error(fac, PE_TIMER_STATE, 5);

	cf_fake_clock_advance(&f->fake, 10000);
	t_send(fac, "{\"type\":\"timer.resume\",\"id\":6}");
	t_expect_ok(fac, 6);
	t_expect_timer(a, &m, TS_RUNNING);
	assert_int_equal(m.u.timer.timer.deadline_ms, T0 + 70000);
	proto_msg_clear(&m);
	t_drain(fac);
	t_send(fac, "{\"type\":\"timer.resume\",\"id\":7}");
	t_expect_error(fac, PE_TIMER_STATE, 7);
	t_send(fac, "{\"type\":\"timer.start\",\"id\":8,\"scope\":\"nowhere\",\"duration_ms\":5}");
	t_expect_error(fac, PE_NO_ROOM, 8);
	/* adjust: the running deadline moves by delta, rev goes up, the attendee is refused */
	t_send(fac, "{\"type\":\"timer.adjust\",\"id\":10,\"delta_ms\":30000}");
	t_expect_ok(fac, 10);
	t_expect_timer(a, &m, TS_RUNNING);
	assert_int_equal(m.u.timer.timer.deadline_ms, T0 + 100000);
	assert_int_equal(m.u.timer.timer.rev, 4);
	assert_string_equal(m.u.timer.timer.by, "fac");
	proto_msg_clear(&m);
	t_drain(fac);
	t_send(a, "{\"type\":\"timer.adjust\",\"id\":11,\"delta_ms\":-30000}");
	t_expect_error(a, PE_NOT_ALLOWED, 11);
	t_send(a, "{\"type\":\"timer.stop\",\"id\":12}");
	t_expect_error(a, PE_NOT_ALLOWED, 12);
	/* a paused timer's remaining time moves too, into overtime if need be */
	t_send(fac, "{\"type\":\"timer.pause\",\"id\":13}");
	t_expect_ok(fac, 13);
	t_drain(fac);
	t_drain(a);
	t_send(fac, "{\"type\":\"timer.adjust\",\"id\":14,\"delta_ms\":-90000}");
	t_expect_ok(fac, 14);
	t_expect_timer(a, &m, TS_PAUSED);
	assert_int_equal(m.u.timer.timer.remaining_ms, 80000 - 90000);
	proto_msg_clear(&m);
	t_drain(fac);

	t_send(fac, "{\"type\":\"timer.reset\",\"id\":9}");
	t_expect_ok(fac, 9);
	t_expect_timer(a, &m, TS_IDLE);
	assert_string_equal(m.u.timer.timer.label, "talk");
	proto_msg_clear(&m);
	t_drain(fac);
	/* adjust and stop need a timer that runs or is paused... */
	t_send(fac, "{\"type\":\"timer.adjust\",\"id\":15,\"delta_ms\":1000}");
	t_expect_error(fac, PE_TIMER_STATE, 15);
	/* ...and stop clears it */
	t_send(fac, "{\"type\":\"timer.start\",\"id\":16,\"duration_ms\":5000,\"label\":\"x\"}");
	t_expect_ok(fac, 16);
	t_drain(fac);
	t_drain(a);
	t_send(fac, "{\"type\":\"timer.stop\",\"id\":17}");
	t_expect_ok(fac, 17);
	t_expect_timer(a, &m, TS_IDLE);
	assert_string_equal(m.u.timer.timer.label, "");
	assert_int_equal(m.u.timer.timer.duration_ms, 0);
	proto_msg_clear(&m);
	t_drain(fac);
	t_send(fac, "{\"type\":\"timer.stop\",\"id\":18}");
	t_expect_error(fac, PE_TIMER_STATE, 18);
}

/* A session that does not read falls out of the ring and is dropped; others carry on. */
static void
test_lagging(void **state)
{
	struct fixture *f = *state;
	struct hub_session *slow, *fast, *other;
	int i, n;

	slow = t_login(f, 0, "slow", NULL);
	fast = t_login(f, 1, "fast", NULL);
	other = t_login(f, 2, "other", NULL);
	for (i = 0; i < PROTO_HISTORY + 10; i++) {
		t_send(fast, "{\"type\":\"say\",\"id\":%d,\"room\":\"lobby\",\"text\":\"line %d\"}",
		    i + 2, i);
		t_drain(fast);
		t_drain(other);
		if (i == PROTO_HISTORY - 1)
			assert_int_equal(f->c[0].closed, 0);
	}
	assert_int_equal(f->c[0].closed, 1);
	assert_int_equal(f->c[1].closed, 0);
	assert_int_equal(f->c[2].closed, 0);
	assert_null(hub_session_next_frame(slow));
	t_send(fast, "{\"type\":\"who\",\"id\":1000,\"room\":\"lobby\"}");
	n = t_drain(fast);
	assert_int_equal(n, 1);
	hub_session_closed(slow);
	t_send(fast, "{\"type\":\"say\",\"id\":1001,\"room\":\"lobby\",\"text\":\"still here\"}");
	assert_int_equal(t_drain(other), 1);
}

/* Bad frames get error replies and the session carries on. */
static void
test_bad_frames(void **state)
{
	struct fixture *f = *state;
	struct hub_session *s = t_open(f, 0);
	struct proto_msg m;

	t_send(s, "{\"type\":\"say\",\"id\":3,\"room\":\"lobby\",\"text\":\"early\"}");
	t_expect_error(s, PE_HELLO_FIRST, 3);
	t_send(s, "{\"type\":\"ping\",\"id\":4,\"t0\":1}");
	t_expect(s, PT_PONG, &m);
	proto_msg_clear(&m);
	t_send(s, "not json");
	t_expect_error(s, PE_BAD_JSON, 0);
	t_send(s, "[1,2]");
	t_expect_error(s, PE_BAD_JSON, 0);
	t_send(s, "{\"type\":\"dance\",\"id\":5}");
	t_expect_error(s, PE_UNKNOWN_TYPE, 5);
	t_send(s, "{\"type\":\"ok\",\"re\":5}");
	t_expect_error(s, PE_UNKNOWN_TYPE, 0);
	/* a type only the hub sends, with an id and fields that are not its own */
	t_send(s, "{\"type\":\"chat\",\"id\":8,\"room\":\"lobby\"}");
	t_expect_error(s, PE_UNKNOWN_TYPE, 8);
	hub_session_input(s, "\xff\xfe", 2, false);
	t_expect_error(s, PE_BAD_UTF8, 0);
	hub_session_input(s, "{}", 2, true);
	t_expect_error(s, PE_BAD_FRAME, 0);
	hub_session_frame_error(s, PE_BAD_FRAME, "too big");
	t_expect_error(s, PE_BAD_FRAME, 0);
	t_send(s, "{\"type\":\"hello\",\"id\":6,\"proto\":\"1\",\"name\":\"x\"}");
	t_expect_error(s, PE_BAD_FIELD, 6);
	t_send(s, "{\"type\":\"hello\",\"id\":7,\"proto\":1,\"name\":\"ok\"}");
	t_expect(s, PT_WELCOME, &m);
	proto_msg_clear(&m);
	assert_int_equal(f->c[0].closed, 0);
}

/* Too many bad frames in a row drop the session. */
static void
test_bad_frame_flood(void **state)
{
	struct fixture *f = *state;
	struct hub_session *s = t_open(f, 0);
	int i;

	for (i = 0; i <= HUB_MAX_BAD_FRAMES; i++) {
		t_send(s, "nope");
		t_drain(s);
	}
	assert_int_equal(f->c[0].closed, 1);
}

/* Runs the hub tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hello_welcome, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lineup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_occupancy_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_breakout_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_taken_and_resume, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_token, setup, teardown),
		cmocka_unit_test_setup_teardown(test_facilitator_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_say_fanout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_msg_private, setup, teardown),
		cmocka_unit_test_setup_teardown(test_join_part_rooms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conn_limit_refused_uncounted, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_occupancy_budget, setup, teardown),
		cmocka_unit_test_setup_teardown(test_room_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_part_keeps_pending_chat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lagging, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_frames, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_frame_flood, setup, teardown),
	};

	log_init(NULL, LOG_ERR);
	return cmocka_run_group_tests_name("hub", tests, NULL, NULL);
}
