/* test_client.c: unit tests of the client: command parsing, backoff, and the client model
 * driven by encoded frames, with a recording fake view and a fake clock (no network). */
#include "util/i18n.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client/client.h"
#include "clientfix.h"
#include "client/command.h"
#include "net/backoff.h"
#include "proto/proto.h"
#include "util/clock.h"
#include "util/xalloc.h"

/* ---- command parsing ---- */

/* Parses line, expecting success; returns the command. */
static struct command
parse_ok(const char *line)
{
	struct command cmd;
	char *cause = NULL;
	int rc = command_parse(line, &cmd, &cause);

	if (rc != 0)
		fail_msg("\"%s\" failed: %s", line, cause);
	assert_null(cause);
	return cmd;
}

/* Parses line, expecting failure; returns the message (caller frees). */
static char *
parse_bad(const char *line)
{
	struct command cmd;
	char *cause = NULL;

	if (command_parse(line, &cmd, &cause) == 0)
		fail_msg("\"%s\" was accepted", line);
	assert_non_null(cause);
	return cause;
}

/* Asserts that line fails with a message containing want. */
static void
expect_bad(const char *line, const char *want)
{
	char *cause = parse_bad(line);

	if (strstr(cause, want) == NULL)
		fail_msg("\"%s\": \"%s\" does not contain \"%s\"", line, cause, want);
	free(cause);
}

/* /lineup and /room create --minutes, /room expire. */
static void
test_command_lineup(void **state)
{
	struct command c;

	(void)state;
	c = parse_ok("/lineup");
	assert_int_equal(c.type, CMD_LINEUP);
	command_clear(&c);
	c = parse_ok("/lineup add Bridges by QR --speaker Speaker_1 --kind pitch");
	assert_int_equal(c.type, CMD_LINEUP_ADD);
	assert_string_equal(c.text, "Bridges by QR");
	assert_string_equal(c.arg, "Speaker_1");
	assert_int_equal(c.kind, 1);
	command_clear(&c);
	c = parse_ok("/lineup add Talk --duration 90s");
	assert_int_equal(c.kind, 0);
	assert_null(c.arg);
	assert_int_equal(c.duration_ms, 90000);
	command_clear(&c);
	c = parse_ok("/lineup remove 2");
	assert_int_equal(c.type, CMD_LINEUP_REMOVE);
	assert_int_equal(c.index, 2);
	command_clear(&c);
	c = parse_ok("/lineup move 3 1");
	assert_int_equal(c.type, CMD_LINEUP_MOVE);
	assert_int_equal(c.index, 3);
	assert_int_equal(c.index2, 1);
	command_clear(&c);
	c = parse_ok("/lineup next");
	assert_int_equal(c.type, CMD_LINEUP_NEXT);
	command_clear(&c);
	c = parse_ok("/room create hack 5 --minutes 20");
	assert_int_equal(c.type, CMD_ROOM_CREATE);
	assert_int_equal(c.capacity, 5);
	assert_int_equal(c.minutes, 20);
	command_clear(&c);
	c = parse_ok("/room create hack --seconds 3");
	assert_int_equal(c.seconds, 3);
	assert_int_equal(c.capacity, 0);
	command_clear(&c);
	c = parse_ok("/room expire #hack 10");
	assert_int_equal(c.type, CMD_ROOM_EXPIRE);
	assert_string_equal(c.arg, "hack");
	assert_int_equal(c.minutes, 10);
	command_clear(&c);
	c = parse_ok("/room expire hack 90s");
	assert_int_equal(c.seconds, 90);
	command_clear(&c);
	c = parse_ok("/room expire hack 0");
	assert_int_equal(c.minutes, 0);
	assert_int_equal(c.seconds, 0);
	command_clear(&c);
	expect_bad("/lineup add", "usage: /lineup add");
	expect_bad("/lineup add x --kind song", "usage: /lineup add");
	expect_bad("/lineup remove 0", "usage: /lineup remove N");
	expect_bad("/lineup remove", "usage: /lineup remove N");
	expect_bad("/lineup move 1", "usage: /lineup move N M");
	expect_bad("/lineup next now", "usage: /lineup next");
	expect_bad("/lineup dance", "usage: /lineup");
	expect_bad("/room create hack --minutes 0", "bad duration");
	expect_bad("/room create hack --minutes", "bad duration");
	expect_bad("/room expire hack", "usage: /room expire");
	expect_bad("/room expire hack soon", "bad duration");
	/* plain digits are minutes, never quietly seconds */
	expect_bad("/room expire hack 1500", "bad duration");
}

/* Every command, valid forms. */
static void
test_command_valid(void **state)
{
	struct command c;

	(void)state;
	c = parse_ok("hello world");
	assert_int_equal(c.type, CMD_SAY);
	assert_string_equal(c.text, "hello world");
	command_clear(&c);
	c = parse_ok("//slash text");
	assert_int_equal(c.type, CMD_SAY);
	assert_string_equal(c.text, "/slash text");
	command_clear(&c);
	c = parse_ok("   ");
	assert_int_equal(c.type, CMD_NONE);
	command_clear(&c);
	c = parse_ok("/me waves hello");
	assert_int_equal(c.type, CMD_ME);
	assert_string_equal(c.text, "waves hello");
	command_clear(&c);
	c = parse_ok("/help");
	assert_int_equal(c.type, CMD_HELP);
	assert_null(c.arg);
	command_clear(&c);
	c = parse_ok("/help /JOIN");
	assert_string_equal(c.arg, "join");
	command_clear(&c);
	c = parse_ok("/schedule");
	assert_int_equal(c.type, CMD_SCHEDULE);
	assert_int_equal(c.day, DAY_ALL);
	command_clear(&c);
	c = parse_ok("/schedule 2");
	assert_int_equal(c.day, DAY_INDEX);
	assert_int_equal(c.day_index, 2);
	command_clear(&c);
	c = parse_ok("/schedule 2020-10-13");
	assert_int_equal(c.day, DAY_DATE);
	assert_string_equal(c.date, "2020-10-13");
	command_clear(&c);
	c = parse_ok("/Schedule TODAY");
	assert_int_equal(c.day, DAY_TODAY);
	command_clear(&c);
	c = parse_ok("/now");
	assert_int_equal(c.type, CMD_NOW);
	command_clear(&c);
	c = parse_ok("/NEXT");
	assert_int_equal(c.type, CMD_NEXT);
	command_clear(&c);
	c = parse_ok("/info d1-spec");
	assert_int_equal(c.type, CMD_INFO);
	assert_string_equal(c.arg, "d1-spec");
	command_clear(&c);
	c = parse_ok("/rooms");
	assert_int_equal(c.type, CMD_ROOMS);
	command_clear(&c);
	c = parse_ok("/join #Hack");
	assert_int_equal(c.type, CMD_JOIN);
	assert_string_equal(c.arg, "hack");
	command_clear(&c);
	c = parse_ok("/join hack");
	assert_string_equal(c.arg, "hack");
	command_clear(&c);
	c = parse_ok("/part");
	assert_int_equal(c.type, CMD_PART);
	assert_null(c.arg);
	command_clear(&c);
	c = parse_ok("/part #hack");
	assert_string_equal(c.arg, "hack");
	command_clear(&c);
	c = parse_ok("/who");
	assert_int_equal(c.type, CMD_WHO);
	command_clear(&c);
	c = parse_ok("/msg bob hi there  ");
	assert_int_equal(c.type, CMD_MSG);
	assert_string_equal(c.arg, "bob");
	assert_string_equal(c.text, "hi there");
	command_clear(&c);
	c = parse_ok("/timer");
	assert_int_equal(c.type, CMD_TIMER);
	command_clear(&c);
	c = parse_ok("/timer start 5m Lightning talk 1");
	assert_int_equal(c.type, CMD_TIMER_START);
	assert_int_equal(c.duration_ms, 300000);
	assert_string_equal(c.text, "Lightning talk 1");
	command_clear(&c);
	c = parse_ok("/timer start 90s");
	assert_int_equal(c.duration_ms, 90000);
	assert_null(c.text);
	command_clear(&c);
	c = parse_ok("/timer start 3:30");
	assert_int_equal(c.duration_ms, 210000);
	command_clear(&c);
	c = parse_ok("/timer start talk");
	assert_int_equal(c.duration_ms, 300000);
	command_clear(&c);
	c = parse_ok("/TIMER START Pitch Pitch 1");
	assert_int_equal(c.duration_ms, 120000);
	assert_string_equal(c.text, "Pitch 1");
	command_clear(&c);
	c = parse_ok("/timer pause");
	assert_int_equal(c.type, CMD_TIMER_PAUSE);
	command_clear(&c);
	c = parse_ok("/timer resume");
	assert_int_equal(c.type, CMD_TIMER_RESUME);
	command_clear(&c);
	c = parse_ok("/timer reset");
	assert_int_equal(c.type, CMD_TIMER_RESET);
	command_clear(&c);
	c = parse_ok("/room create hack 10");
	assert_int_equal(c.type, CMD_ROOM_CREATE);
	assert_string_equal(c.arg, "hack");
	assert_int_equal(c.capacity, 10);
	command_clear(&c);
	c = parse_ok("/room create hack");
	assert_int_equal(c.capacity, 0);
	command_clear(&c);
	c = parse_ok("/room close #hack");
	assert_int_equal(c.type, CMD_ROOM_CLOSE);
	assert_string_equal(c.arg, "hack");
	command_clear(&c);
	c = parse_ok("/QUIT");
	assert_int_equal(c.type, CMD_QUIT);
	command_clear(&c);
}

/* The timer commands: stop, adjust, thresholds and --room anywhere. */
static void
test_command_timer_more(void **state)
{
	struct command c;

	(void)state;
	c = parse_ok("/timer stop");
	assert_int_equal(c.type, CMD_TIMER_STOP);
	assert_null(c.arg);
	command_clear(&c);
	c = parse_ok("/timer +30");
	assert_int_equal(c.type, CMD_TIMER_ADJUST);
	assert_int_equal(c.delta_ms, 30000);
	command_clear(&c);
	c = parse_ok("/timer -30");
	assert_int_equal(c.delta_ms, -30000);
	command_clear(&c);
	c = parse_ok("/timer +1m");
	assert_int_equal(c.delta_ms, 60000);
	command_clear(&c);
	c = parse_ok("/timer -1:30 --room #Hack");
	assert_int_equal(c.type, CMD_TIMER_ADJUST);
	assert_int_equal(c.delta_ms, -90000);
	assert_string_equal(c.arg, "hack");
	command_clear(&c);
	c = parse_ok("/timer start 0:14 Quick one --warn 0:12 --danger 11s");
	assert_int_equal(c.type, CMD_TIMER_START);
	assert_int_equal(c.duration_ms, 14000);
	assert_string_equal(c.text, "Quick one");
	assert_int_equal(c.warn_ms, 12000);
	assert_int_equal(c.danger_ms, 11000);
	assert_null(c.arg);
	command_clear(&c);
	c = parse_ok("/timer start pitch --room hack Pitch 1");
	assert_int_equal(c.duration_ms, 120000);
	assert_string_equal(c.text, "Pitch 1");
	assert_string_equal(c.arg, "hack");
	assert_int_equal(c.warn_ms, -1);
	assert_int_equal(c.danger_ms, -1);
	command_clear(&c);
	c = parse_ok("/timer pause --room hack");
	assert_int_equal(c.type, CMD_TIMER_PAUSE);
	assert_string_equal(c.arg, "hack");
	command_clear(&c);
	c = parse_ok("/timer --room hack stop");
	assert_int_equal(c.type, CMD_TIMER_STOP);
	assert_string_equal(c.arg, "hack");
	command_clear(&c);
	expect_bad("/timer +", "bad duration");
	expect_bad("/timer +abc", "bad duration");
	expect_bad("/timer -0", "bad duration");
	expect_bad("/timer +30 extra", "usage: /timer +DUR|-DUR");
	expect_bad("/timer stop now", "usage: /timer pause|resume|reset|stop");
	expect_bad("/timer start", "usage: /timer start DURATION");
	expect_bad("/timer start 5m --warn", "usage: /timer");
	expect_bad("/timer start 5m --warn soon", "bad duration \"soon\"");
	expect_bad("/timer stop --warn 1m", "usage: /timer start");
	expect_bad("/timer pause --room", "usage: /timer");
	expect_bad("/timer pause --room #no!", "is not a room name");
	expect_bad("/timer stop --loud", "usage: /timer");
	expect_bad("/timer dance", "usage: /timer");
}

/* The participation commands: their fields, and what is refused before anything is
 * sent (a blank title, a bad option, a session id that is not one, a poll of one
 * choice). */
static void
test_command_part(void **state)
{
	struct command c;

	(void)state;
	c = parse_ok("/propose Bridges in China --session D2-open");
	assert_int_equal(c.type, CMD_PROPOSE);
	assert_string_equal(c.text, "Bridges in China");
	assert_string_equal(c.arg, "d2-open");
	command_clear(&c);
	c = parse_ok("/topics promote #3 --minutes 30 8");
	assert_int_equal(c.type, CMD_TOPIC_PROMOTE);
	assert_int_equal(c.index, 3);
	assert_int_equal(c.minutes, 30);
	assert_int_equal(c.capacity, 8);
	command_clear(&c);
	c = parse_ok("/topics merge 2 3");
	assert_true(c.type == CMD_TOPIC_MERGE && c.index == 2 && c.index2 == 3);
	command_clear(&c);
	c = parse_ok("/signup PITCH A tool");
	assert_true(c.type == CMD_SIGNUP && c.kind == 1);
	assert_string_equal(c.text, "A tool");
	command_clear(&c);
	c = parse_ok("/signups decline 5 no room left");
	assert_true(c.type == CMD_SIGNUP_DECLINE && c.index == 5);
	assert_string_equal(c.text, "no room left");
	command_clear(&c);
	c = parse_ok("/ask \"Is it ready?\" --anonymous");
	assert_true(c.type == CMD_ASK && c.flag && c.arg == NULL);
	assert_string_equal(c.text, "Is it ready?");
	command_clear(&c);
	c = parse_ok("/questions unpin 2");
	assert_true(c.type == CMD_QUESTION_PIN && !c.flag && c.index == 2);
	command_clear(&c);
	c = parse_ok("/poll \"Approve spec v2.2?\" yes no abstain --minutes 5 --secret");
	assert_true(c.type == CMD_POLL_OPEN && c.nlist == 3 && c.minutes == 5 && c.flag);
	assert_string_equal(c.text, "Approve spec v2.2?");
	assert_string_equal(c.list[2], "abstain");
	command_clear(&c);
	c = parse_ok("/poll vote 5 Strongly agree");
	assert_true(c.type == CMD_POLL_VOTE && c.index == 5);
	assert_string_equal(c.arg, "Strongly agree");
	command_clear(&c);
	c = parse_ok("/hand down");
	assert_true(c.type == CMD_HAND && !c.flag);
	command_clear(&c);
	c = parse_ok("/queue next");
	assert_int_equal(c.type, CMD_QUEUE_NEXT);
	command_clear(&c);

	expect_bad("/propose", "usage: /propose TITLE");
	expect_bad("/propose \"   \"", "usage: /propose TITLE");
	expect_bad("/signup talk \" \"", "usage: /signup talk|pitch TITLE");
	expect_bad("/signup keynote Me", "usage: /signup talk|pitch TITLE");
	expect_bad("/propose x --session bad!id", "is not a session id");
	expect_bad("/propose x --minutes 5", "bad option");
	expect_bad("/vote three", "usage: /vote N");
	expect_bad("/vote 0", "usage: /vote N");
	expect_bad("/topics promote 3 lots", "bad capacity");
	expect_bad("/poll \"Only?\" yes", "2 to 10 choices");
	expect_bad("/poll \"Unclosed? yes no", "a quote is not closed");
	expect_bad("/qa anonymous maybe", "usage: /qa anonymous on|off");
	expect_bad("/hand sideways", "usage: /hand [down]");
	expect_bad("/board now", "usage: /board");
}

/* Bad commands and arguments say what would work. */
static void
test_command_invalid(void **state)
{
	(void)state;
	expect_bad("/jion hack", "did you mean /join?");
	expect_bad("/jion hack", "/help");
	expect_bad("/shedule", "did you mean /schedule?");
	expect_bad("/xyzzy", "unknown command \"/xyzzy\"");
	expect_bad("/", "/help");
	expect_bad("/msg bob", "usage: /msg NAME TEXT");
	expect_bad("/msg", "usage: /msg NAME TEXT");
	expect_bad("/me", "usage: /me TEXT");
	expect_bad("/join", "usage: /join ROOM");
	expect_bad("/join a b", "usage: /join ROOM");
	expect_bad("/join bad!room", "not a room name");
	expect_bad("/info", "usage: /info SESSION");
	expect_bad("/now please", "usage: /now");
	expect_bad("/schedule monday", "usage: /schedule");
	expect_bad("/schedule 0", "usage: /schedule");
	expect_bad("/schedule 2020-13-01", "usage: /schedule");
	expect_bad("/timer start", "usage: /timer start DURATION");
	expect_bad("/timer start 5x", "bad duration \"5x\"");
	expect_bad("/timer start 0", "bad duration");
	expect_bad("/timer start 25h", "bad duration");
	expect_bad("/timer halt", "usage: /timer");
	expect_bad("/timer pause now", "usage: /timer pause");
	expect_bad("/room", "usage: /room");
	expect_bad("/room create", "usage: /room create NAME");
	expect_bad("/room create hack ten", "bad capacity");
	expect_bad("/room create hack -1", "bad capacity");
	expect_bad("/room create !!!", "cannot be a room name");
	expect_bad("/room close", "usage: /room close NAME");
	expect_bad("/names a b", "usage: /names");
	expect_bad("/tz utc", "usage: /tz");
	expect_bad("/clock 13h", "usage: /clock");
	expect_bad("/unignore", "usage: /unignore");
	expect_bad("/ignore #x", "is not a name");
}

/* The help table covers every command with usage and help. */
static void
test_command_table(void **state)
{
	size_t n, i;
	const struct command_info *t = command_table(&n);
	int found_join = 0;

	(void)state;
	assert_true(n >= 14);
	for (i = 0; i < n; i++) {
		assert_non_null(t[i].usage);
		assert_true(t[i].usage[0] == '/');
		assert_true(strlen(t[i].help) > 5);
		if (strcmp(t[i].usage, "/join ROOM") == 0)
			found_join = 1;
	}
	assert_true(found_join);
}

/* ---- backoff ---- */

/* Delays start at about 1 s, double, cap at 30 s, and stay within +-25%. */
static void
test_backoff(void **state)
{
	unsigned a;
	uint32_t r;
	int64_t base = 1000;

	(void)state;
	assert_int_equal(backoff_delay_ms(0, 0), 750);
	assert_int_equal(backoff_delay_ms(0, UINT32_MAX), 1249);
	assert_int_equal(backoff_delay_ms(0, 0x80000000u), 1000);
	assert_int_equal(backoff_delay_ms(1, 0x80000000u), 2000);
	assert_int_equal(backoff_delay_ms(2, 0x80000000u), 4000);
	for (a = 0; a < 40; a++) {
		int64_t b = base < 30000 ? base : 30000;
		for (r = 0; r < 0xF0000000u; r += 0x0F000000u) {
			int64_t d = backoff_delay_ms(a, r);
			assert_true(d >= b * 3 / 4);
			assert_true(d <= b * 5 / 4);
		}
		if (base < 30000)
			base *= 2;
	}
	assert_int_equal(backoff_delay_ms(5, 0x80000000u), 30000);
	assert_int_equal(backoff_delay_ms(1000, 0x80000000u), 30000);
	assert_true(backoff_delay_ms(1000, UINT32_MAX) <= 37500);
}

/* ---- client model (fixture in clientfix.c) ---- */

/* Welcome: connected notice, name, role, program, rooms. */
static void
test_client_welcome(void **state)
{
	struct rec *r = *state;
	size_t n;

	welcome(r, "e1", 5000, lobby_only, 1);
	expect_ev(r, "notice 1 alice 0");
	assert_true(client_online(r->c));
	assert_string_equal(client_name(r->c), "alice");
	assert_string_equal(client_current_room(r->c), "lobby");
	assert_non_null(client_program(r->c));
	client_rooms(r->c, &n);
	assert_int_equal(n, 2);
	assert_int_equal(client_clock_offset(r->c), 5000);
	assert_int_equal(client_pending(r->c), 0);
	rec_reset(r);
	client_input(r->c, "/now");
	expect_ev(r, "program 1 s1 -1");
	client_input(r->c, "/next");
	expect_ev(r, "program 2 s2 -1");
	client_input(r->c, "/info s2");
	expect_ev(r, "program 3 s2 -1");
	client_input(r->c, "/schedule 1");
	expect_ev(r, "program 0 - 0");
	client_input(r->c, "/schedule 3");
	assert_true(strstr(r->ev[r->nev - 1], "error local there is no day 3") != NULL);
	client_input(r->c, "/info nope");
	assert_true(strstr(r->ev[r->nev - 1], "no session \"nope\"") != NULL);
}

/* Chat is shown once; a replayed duplicate (same epoch) is dropped. */
static void
test_client_chat_dedup(void **state)
{
	struct rec *r = *state;
	size_t i, count = 0;

	welcome(r, "e1", 0, lobby_only, 1);
	rec_reset(r);
	feed_chat(r, "lobby", 1, "bob", "one");
	feed_chat(r, "lobby", 2, "bob", "two");
	feed_chat(r, "lobby", 2, "bob", "two");
	feed_chat(r, "lobby", 1, "bob", "one");
	feed_chat(r, "lobby", 3, "bob", "three");
	for (i = 0; i < r->nev; i++)
		if (strncmp(r->ev[i], "chat ", 5) == 0)
			count++;
	assert_int_equal(count, 3);
	expect_ev(r, "chat lobby bob three");
	assert_int_equal(client_chat_count(r->c, "lobby"), 3);
	assert_string_equal(client_chat_line(r->c, "lobby", 0)->text, "one");

	/* after a reconnect with the same epoch, the replay is dropped; new seqs pass */
	client_link_down(r->c, "test", 1000);
	welcome(r, "e1", 0, lobby_only, 1);
	rec_reset(r);
	feed_chat(r, "lobby", 3, "bob", "three");
	feed_chat(r, "lobby", 4, "bob", "four");
	assert_int_equal(r->nev, 1);
	expect_ev(r, "chat lobby bob four");

	/* a new epoch starts sequence numbers again */
	client_link_down(r->c, "test", 1000);
	welcome(r, "e2", 0, lobby_only, 1);
	rec_reset(r);
	feed_chat(r, "lobby", 1, "bob", "fresh");
	expect_ev(r, "chat lobby bob fresh");
}

/* Join ok changes the current room (after a who for the occupancy); part goes back.
 * Input typed while the join is unanswered waits for it. */
static void
test_client_join_part(void **state)
{
	struct rec *r = *state;
	struct proto_msg m, req;
	const char *names[] = { "alice", "bob" };

	welcome(r, "e1", 0, lobby_only, 1);
	rec_reset(r);
	client_input(r->c, "/join #hack");
	client_input(r->c, "hi all");
	assert_int_equal(r->nsent, 1);
	sent_msg(r, 0, &req);
	assert_int_equal(req.type, PT_JOIN);
	assert_string_equal(req.u.room.room, "hack");
	assert_string_equal(client_current_room(r->c), "lobby");
	assert_int_equal(client_pending(r->c), 2);
	proto_msg_init(&m, PT_OK);
	m.re = req.id;
	feed(r, &m);
	proto_msg_clear(&req);
	assert_string_equal(client_current_room(r->c), "hack");
	assert_true(client_is_joined(r->c, "hack"));
	/* a who follows, answered with members */
	assert_int_equal(r->nsent, 2);
	sent_msg(r, 1, &req);
	assert_int_equal(req.type, PT_WHO);
	proto_msg_init(&m, PT_MEMBERS);
	m.re = req.id;
	m.u.members.room = "hack";
	m.u.members.names = names;
	m.u.members.nnames = 2;
	feed(r, &m);
	proto_msg_clear(&req);
	expect_ev(r, "joined hack 2");
	assert_int_equal(client_pending(r->c), 1); /* the say */

	/* the waiting line now goes to #hack; it is pending until its echo comes back */
	sent_msg(r, 2, &req);
	assert_int_equal(req.type, PT_SAY);
	assert_string_equal(req.u.say.room, "hack");
	assert_string_equal(req.u.say.text, "hi all");
	proto_msg_init(&m, PT_OK);
	m.re = req.id;
	m.u.ok.seq = 5;
	feed(r, &m);
	proto_msg_clear(&req);
	assert_int_equal(client_pending(r->c), 1);
	feed_chat(r, "hack", 5, "alice", "hi all");
	assert_int_equal(client_pending(r->c), 0);
	expect_ev(r, "chat hack alice hi all");

	client_input(r->c, "/part");
	sent_msg(r, 3, &req);
	assert_int_equal(req.type, PT_PART);
	assert_string_equal(req.u.room.room, "hack");
	proto_msg_init(&m, PT_OK);
	m.re = req.id;
	feed(r, &m);
	proto_msg_clear(&req);
	expect_ev(r, "parted hack");
	assert_string_equal(client_current_room(r->c), "lobby");
	assert_false(client_is_joined(r->c, "hack"));
}

/* Errors: the hub's message and code reach the view; bad input is a local error. */
static void
test_client_errors(void **state)
{
	struct rec *r = *state;
	struct proto_msg m, req;

	welcome(r, "e1", 0, lobby_only, 1);
	rec_reset(r);
	client_input(r->c, "/timer start 5m");
	sent_msg(r, 0, &req);
	assert_int_equal(req.type, PT_TIMER_START);
	assert_int_equal(req.u.timer_start.duration_ms, 300000);
	assert_string_equal(req.u.timer_start.scope, "main");
	proto_msg_init(&m, PT_ERROR);
	m.re = req.id;
	m.u.error.code = PE_NOT_ALLOWED;
	m.u.error.message = "only facilitators can do that";
	feed(r, &m);
	proto_msg_clear(&req);
	expect_ev(r, "error not-allowed /timer start (main): only facilitators can do that");
	assert_int_equal(client_pending(r->c), 0);
	client_input(r->c, "/msg bob");
	expect_ev(r, "error local usage: /msg NAME TEXT");
	client_input(r->c, "\xff\xfe");
	assert_true(strstr(r->ev[r->nev - 1], "UTF-8") != NULL);
	/* garbage from the hub is dropped without a crash */
	client_frame(r->c, "{\"type\":", 8);
	client_frame(r->c, "[]", 2);
	client_frame(r->c, "{\"type\":\"chat\"}", 15);
}

/* name-taken at the first hello: retries with '_' appended. */
static void
test_client_name_taken(void **state)
{
	struct rec *r = *state;
	struct proto_msg m, req;

	r->link = 1;
	client_link_up(r->c);
	sent_msg(r, 0, &req);
	proto_msg_init(&m, PT_ERROR);
	m.re = req.id;
	m.u.error.code = PE_NAME_TAKEN;
	m.u.error.message = "taken";
	feed(r, &m);
	proto_msg_clear(&req);
	expect_ev(r, "notice 5 alice_ 0");
	assert_int_equal(r->nsent, 2);
	sent_msg(r, 1, &req);
	assert_int_equal(req.type, PT_HELLO);
	assert_string_equal(req.u.hello.name, "alice_");
	proto_msg_clear(&req);
	/* bad-token is fatal */
	sent_msg(r, 1, &req);
	proto_msg_init(&m, PT_ERROR);
	m.re = req.id;
	m.u.error.code = PE_BAD_TOKEN;
	m.u.error.message = "no";
	feed(r, &m);
	proto_msg_clear(&req);
	expect_ev(r, "fatal the hub did not accept your facilitator token: check the file given "
	    "with --facilitator-token-file, or start confab without it to join as an attendee | "
	    "the facilitator token was not accepted");
}

/* Timers: remaining time uses the hub clock offset; /timer lists them. */
static void
test_client_timer(void **state)
{
	struct rec *r = *state;
	struct proto_msg m;
	int64_t hub_now;

	welcome(r, "e1", 0, lobby_only, 1);
	rec_reset(r);
	/* the hub's clock is 7 s ahead of ours */
	hub_now = r->fake.wall + 7000;
	proto_msg_init(&m, PT_TIMER);
	m.stream = "timers";
	m.seq = 1;
	m.u.timer.now = hub_now;
	timer_init(&m.u.timer.timer, "main");
	timer_start(&m.u.timer.timer, hub_now, 300000, "Talk", "carol");
	feed(r, &m);
	expect_ev(r, "timer main 1 0 300000");
	assert_int_equal(client_clock_offset(r->c), 7000);
	cf_fake_clock_advance(&r->fake, 29000);
	client_input(r->c, "/timer");
	expect_ev(r, "timers 1 271000");
	/* paused */
	cf_fake_clock_advance(&r->fake, 1000);
	hub_now += 30000;
	timer_pause(&m.u.timer.timer, hub_now, "carol");
	m.u.timer.now = hub_now;
	m.seq = 2;
	feed(r, &m);
	expect_ev(r, "timer main 2 1 270000");
	timer_resume(&m.u.timer.timer, hub_now, "carol");
	m.seq = 3;
	feed(r, &m);
	expect_ev(r, "timer main 1 2 270000");
}

/* Feeds timer t as a timer event at hub time now. */
static void
feed_timer(struct rec *r, const struct timer *t, int64_t now, uint64_t seq)
{
	struct proto_msg m;

	proto_msg_init(&m, PT_TIMER);
	m.stream = "timers";
	m.seq = seq;
	m.u.timer.now = now;
	m.u.timer.timer = *t;
	feed(r, &m);
}

/* Milestones fire once each, in order, at the right times; never retroactively. */
/* A starred session is reminded of 5 minutes before it starts (the default), once, on
 * the injected clock; unstarring stops it; /star of an unknown id is an error. */
static void
test_client_reminder(void **state)
{
	struct rec *r = *state;
	const struct session *s2;
	int64_t wait;

	welcome(r, "e1", 0, lobby_only, 1);
	s2 = program_find(client_program(r->c), "s2");
	assert_non_null(s2);
	assert_int_equal(client_next_wakeup(r->c), -1);
	rec_reset(r);
	client_input(r->c, "/star s2");
	expect_ev(r, "star s2 1 1 -");
	client_input(r->c, "/star s1");
	expect_ev(r, "star s1 1 1 -");
	client_input(r->c, "/agenda");
	expect_ev(r, "agenda 2 s1 0");
	client_input(r->c, "/star nope");
	assert_false(rec_has(r, "star nope 1 1 -"));
	wait = client_next_wakeup(r->c);
	assert_int_equal(wait, s2->start_ms - 5 * 60000 - client_hub_now(r->c));
	cf_fake_clock_advance(&r->fake, wait - 1);
	client_tick(r->c);
	assert_false(rec_has(r, "reminder s2 300000"));
	cf_fake_clock_advance(&r->fake, 1);
	client_tick(r->c);
	expect_ev(r, "reminder s2 300000");
	rec_reset(r);
	client_tick(r->c);
	assert_int_equal(r->nev, 0);                 /* once */
	assert_int_equal(client_next_wakeup(r->c), -1);
	client_input(r->c, "/unstar s2");
	expect_ev(r, "star s2 0 1 -");
	client_input(r->c, "/unstar s2");
	expect_ev(r, "star s2 0 0 -");
}

static void
test_client_milestones(void **state)
{
	struct rec *r = *state;
	struct timer t, late;
	int64_t hub = r->fake.wall + 7000;

	welcome(r, "e1", 0, lobby_only, 1);
	assert_int_equal(client_next_wakeup(r->c), -1);
	timer_init(&t, "main");
	timer_start(&t, hub, 120000, "Pitch 1", "carol");
	rec_reset(r);
	feed_timer(r, &t, hub, 1);
	expect_ev(r, "change main 0 0");
	assert_int_equal(client_next_wakeup(r->c), 60000);
	cf_fake_clock_advance(&r->fake, 59999);
	client_tick(r->c);
	assert_false(rec_has(r, "milestone main 0 60000"));
	assert_int_equal(client_next_wakeup(r->c), 1);
	cf_fake_clock_advance(&r->fake, 1);
	client_tick(r->c);
	expect_ev(r, "milestone main 0 60000");
	client_tick(r->c);
	assert_int_equal(client_next_wakeup(r->c), 30000);
	rec_reset(r);
	cf_fake_clock_advance(&r->fake, 30000);
	client_tick(r->c);
	assert_int_equal(r->nev, 1);
	expect_ev(r, "milestone main 1 30000");
	assert_int_equal(client_next_wakeup(r->c), 20000);
	cf_fake_clock_advance(&r->fake, 20000);
	client_tick(r->c);
	expect_ev(r, "milestone main 2 10000");
	assert_int_equal(client_next_wakeup(r->c), 10000);
	cf_fake_clock_advance(&r->fake, 10000);
	client_tick(r->c);
	expect_ev(r, "milestone main 3 0");
	assert_int_equal(r->nev, 3);
	assert_int_equal(client_next_wakeup(r->c), -1);
	cf_fake_clock_advance(&r->fake, 5000);
	client_tick(r->c);
	assert_int_equal(r->nev, 3);

	/* learned late (20 s left): warning and danger are behind us and never told */
	hub += 125000;
	timer_init(&late, "hack");
	timer_start(&late, hub - 100000, 120000, "Late", "carol");
	rec_reset(r);
	feed_timer(r, &late, hub, 2);
	assert_int_equal(client_next_wakeup(r->c), 10000);
	client_tick(r->c);
	assert_int_equal(r->nev, 2); /* timer + change only */
	/* a tick that comes late fires what is due, in order, once each */
	cf_fake_clock_advance(&r->fake, 30000);
	client_tick(r->c);
	assert_int_equal(r->nev, 4);
	assert_string_equal(r->ev[2], "milestone hack 2 10000");
	assert_string_equal(r->ev[3], "milestone hack 3 0");
}

/* Pause, resume and adjust recompute the milestones; changes are told apart. */
static void
test_client_milestones_adjust(void **state)
{
	struct rec *r = *state;
	struct timer t;
	int64_t hub = r->fake.wall;

	welcome(r, "e1", 0, lobby_only, 1);
	timer_init(&t, "main");
	timer_set_thresholds(&t, 50000, 20000);
	timer_start(&t, hub, 120000, "Pitch 1", "carol");
	feed_timer(r, &t, hub, 1);
	assert_int_equal(client_next_wakeup(r->c), 70000);
	cf_fake_clock_advance(&r->fake, 75000);
	hub += 75000;
	client_tick(r->c);
	expect_ev(r, "milestone main 0 50000");
	/* +30 s: 75 s left, the warning is ahead again */
	timer_adjust(&t, 30000, "carol");
	rec_reset(r);
	feed_timer(r, &t, hub, 2);
	expect_ev(r, "change main 5 30000");
	assert_int_equal(client_next_wakeup(r->c), 25000);
	/* paused: nothing to wait for */
	timer_pause(&t, hub, "carol");
	feed_timer(r, &t, hub, 3);
	expect_ev(r, "change main 1 0");
	assert_int_equal(client_next_wakeup(r->c), -1);
	/* adjusted while paused: -60 s leaves 15 s */
	timer_adjust(&t, -60000, "carol");
	feed_timer(r, &t, hub, 4);
	expect_ev(r, "change main 5 -60000");
	cf_fake_clock_advance(&r->fake, 1000);
	hub += 1000;
	timer_resume(&t, hub, "carol");
	rec_reset(r);
	feed_timer(r, &t, hub, 5);
	expect_ev(r, "change main 2 0");
	assert_int_equal(client_next_wakeup(r->c), 5000);
	client_tick(r->c);
	assert_false(rec_has(r, "milestone main 0 50000"));
	assert_false(rec_has(r, "milestone main 1 20000"));
	/* a restart is a start, not an adjust */
	timer_start(&t, hub, 120000, "Pitch 1", "carol");
	feed_timer(r, &t, hub, 6);
	expect_ev(r, "change main 0 0");
	assert_int_equal(client_next_wakeup(r->c), 70000);
	/* stop and reset */
	timer_reset(&t, "carol");
	feed_timer(r, &t, hub, 7);
	expect_ev(r, "change main 3 0");
	assert_int_equal(client_next_wakeup(r->c), -1);
	timer_start(&t, hub, 120000, "Pitch 1", "carol");
	feed_timer(r, &t, hub, 8);
	timer_stop(&t, "carol");
	feed_timer(r, &t, hub, 9);
	expect_ev(r, "change main 4 0");
	assert_int_equal(client_next_wakeup(r->c), -1);
}

/* Timer commands send the right requests, with scope and thresholds. */
static void
test_client_timer_requests(void **state)
{
	struct rec *r = *state;
	struct proto_msg m;

	welcome(r, "e1", 0, lobby_only, 1);
	rec_reset(r);
	client_input(r->c, "/timer start 0:14 Quick --warn 0:12 --danger 0:11 --room hack");
	client_input(r->c, "/timer -30");
	client_input(r->c, "/timer stop --room hack");
	assert_int_equal(r->nsent, 3);
	sent_msg(r, 0, &m);
	assert_int_equal(m.type, PT_TIMER_START);
	assert_string_equal(m.u.timer_start.scope, "hack");
	assert_int_equal(m.u.timer_start.duration_ms, 14000);
	assert_int_equal(m.u.timer_start.warn_ms, 12000);
	assert_int_equal(m.u.timer_start.danger_ms, 11000);
	assert_string_equal(m.u.timer_start.label, "Quick");
	proto_msg_clear(&m);
	sent_msg(r, 1, &m);
	assert_int_equal(m.type, PT_TIMER_ADJUST);
	assert_string_equal(m.u.timer_adjust.scope, "main");
	assert_int_equal(m.u.timer_adjust.delta_ms, -30000);
	proto_msg_clear(&m);
	sent_msg(r, 2, &m);
	assert_int_equal(m.type, PT_TIMER_STOP);
	assert_string_equal(m.u.timer_ref.scope, "hack");
	proto_msg_clear(&m);
}

/* Rooms: a new room is announced, a vanished one too (for non-members); room.closed moves
 * members back to the lobby. */
static void
test_client_rooms(void **state)
{
	struct rec *r = *state;
	struct proto_msg m;
	struct room_info rooms[3];
	const char *const joined[] = { "lobby", "hack" };

	welcome(r, "e1", 0, joined, 2);
	assert_true(client_is_joined(r->c, "hack"));
	rec_reset(r);
	make_room(&rooms[0], "lobby", RK_LOBBY, 3, 0);
	make_room(&rooms[1], "hack", RK_BREAKOUT, 1, 10);
	make_room(&rooms[2], "chill", RK_BREAKOUT, 0, 5);
	proto_msg_init(&m, PT_ROOMS);
	m.stream = "rooms";
	m.seq = 1;
	m.u.rooms.rooms = rooms;
	m.u.rooms.nrooms = 3;
	feed(r, &m);
	expect_ev(r, "opened chill 5");
	assert_int_equal(r->nev, 1);
	/* chill disappears: announced to us (not a member) */
	m.u.rooms.nrooms = 2;
	m.seq = 2;
	feed(r, &m);
	expect_ev(r, "closed chill - 0 -");
	/* hack is closed by carol: we are a member */
	client_input(r->c, "/join hack");
	assert_string_equal(client_current_room(r->c), "hack");
	proto_msg_init(&m, PT_ROOM_CLOSED);
	m.stream = "user";
	m.seq = 1;
	m.u.room_closed.room = "hack";
	m.u.room_closed.by = "carol";
	m.u.room_closed.moved_to = "lobby";
	feed(r, &m);
	expect_ev(r, "closed hack carol 1 lobby");
	assert_string_equal(client_current_room(r->c), "lobby");
	assert_false(client_is_joined(r->c, "hack"));
	/* the rooms list without hack does not announce it again */
	rec_reset(r);
	proto_msg_init(&m, PT_ROOMS);
	m.stream = "rooms";
	m.seq = 3;
	m.u.rooms.rooms = rooms;
	m.u.rooms.nrooms = 1;
	feed(r, &m);
	assert_int_equal(r->nev, 0);
}

/* Private messages: our own echo is marked outgoing. */
static void
test_client_privmsg(void **state)
{
	struct rec *r = *state;
	struct proto_msg m;

	welcome(r, "e1", 0, lobby_only, 1);
	rec_reset(r);
	proto_msg_init(&m, PT_PRIVMSG);
	m.stream = "user";
	m.seq = 1;
	m.u.privmsg.from = "bob";
	m.u.privmsg.to = "alice";
	m.u.privmsg.text = "hi";
	feed(r, &m);
	m.seq = 2;
	m.u.privmsg.from = "Alice";
	m.u.privmsg.to = "bob";
	feed(r, &m);
	expect_ev(r, "privmsg bob alice hi 0");
	expect_ev(r, "privmsg Alice bob hi 1");
}

/* Input while disconnected is queued and sent in order after the reconnect, after the
 * rooms we were in are re-joined. */
static void
test_client_offline_queue(void **state)
{
	struct rec *r = *state;
	struct proto_msg m;
	const char *const joined[] = { "lobby", "hack" };
	size_t first;

	welcome(r, "e1", 0, joined, 2);
	client_input(r->c, "/join hack");
	assert_string_equal(client_current_room(r->c), "hack");
	client_link_down(r->c, "gone", 2000);
	r->link = 0;
	expect_ev(r, "notice 3 gone 2000");
	rec_reset(r);
	client_input(r->c, "one");
	client_input(r->c, "/me two");
	client_input(r->c, "/msg bob three");
	assert_int_equal(r->nsent, 0);
	assert_int_equal(client_pending(r->c), 3);
	expect_ev(r, "notice 6 - 0");
	/* reconnect: the hub lost our hack membership */
	welcome(r, "e1", 0, lobby_only, 1);
	expect_ev(r, "notice 2 alice 0");
	/* sent: hello, join hack (silent re-join), then the three lines in order */
	assert_int_equal(r->nsent, 5);
	first = 1;
	sent_msg(r, first, &m);
	assert_int_equal(m.type, PT_JOIN);
	assert_string_equal(m.u.room.room, "hack");
	proto_msg_clear(&m);
	sent_msg(r, first + 1, &m);
	assert_int_equal(m.type, PT_SAY);
	assert_string_equal(m.u.say.text, "one");
	assert_string_equal(m.u.say.room, "hack");
	proto_msg_clear(&m);
	sent_msg(r, first + 2, &m);
	assert_int_equal(m.type, PT_SAY);
	assert_true(m.u.say.me);
	assert_string_equal(m.u.say.text, "two");
	proto_msg_clear(&m);
	sent_msg(r, first + 3, &m);
	assert_int_equal(m.type, PT_MSG);
	assert_string_equal(m.u.msg.to, "bob");
	assert_string_equal(m.u.msg.text, "three");
	proto_msg_clear(&m);
	sent_msg(r, 0, &m);
	assert_int_equal(m.type, PT_HELLO);
	assert_string_equal(m.u.hello.resume, "resume-token");
	proto_msg_clear(&m);
	assert_string_equal(client_current_room(r->c), "hack");
}

/* Runs every test. */
/* The hub's certificate was refused: one notice a line of the reason; then nothing typed
 * is queued or sent (each line says why), local commands still work, /quit leaves. */
static void
test_client_refused(void **state)
{
	struct rec *r = *state;
	const char *why = "error local not connected: the hub's certificate was refused (see "
	    "above); /quit leaves";

	client_link_refused(r->c, "first line\nsecond line");
	expect_ev(r, "notice 9 first line -1");
	expect_ev(r, "notice 9 second line -1");
	rec_reset(r);
	client_input(r->c, "hello");
	client_input(r->c, "/me waves");
	client_input(r->c, "/join hack");
	assert_int_equal(r->nsent, 0);
	assert_int_equal(client_pending(r->c), 0);
	assert_int_equal(r->nev, 3);
	assert_string_equal(r->ev[0], why);
	assert_string_equal(r->ev[1], why);
	assert_string_equal(r->ev[2], why);
	rec_reset(r);
	client_input(r->c, "/timer");            /* answered locally */
	assert_int_equal(r->nev, 1);
	assert_true(strncmp(r->ev[0], "timers", 6) == 0);
	assert_int_equal(client_input(r->c, "/quit"), CLIENT_QUIT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_command_valid),
		cmocka_unit_test(test_command_lineup),
		cmocka_unit_test(test_command_invalid),
		cmocka_unit_test(test_command_part),
		cmocka_unit_test(test_command_timer_more),
		cmocka_unit_test(test_command_table),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test_setup_teardown(test_client_welcome, setup_client, teardown_client),
		cmocka_unit_test_setup_teardown(test_client_chat_dedup, setup_client,
		    teardown_client),
		cmocka_unit_test_setup_teardown(test_client_join_part, setup_client,
		    teardown_client),
		cmocka_unit_test_setup_teardown(test_client_errors, setup_client, teardown_client),
		cmocka_unit_test_setup_teardown(test_client_name_taken, setup_client,
		    teardown_client),
		cmocka_unit_test_setup_teardown(test_client_timer, setup_client, teardown_client),
		cmocka_unit_test_setup_teardown(test_client_milestones, setup_client,
		    teardown_client),
		cmocka_unit_test_setup_teardown(test_client_milestones_adjust, setup_client,
		    teardown_client),
		cmocka_unit_test_setup_teardown(test_client_timer_requests, setup_client,
		    teardown_client),
		cmocka_unit_test_setup_teardown(test_client_rooms, setup_client, teardown_client),
		cmocka_unit_test_setup_teardown(test_client_privmsg, setup_client, teardown_client),
		cmocka_unit_test_setup_teardown(test_client_reminder, setup_client, teardown_client),
		cmocka_unit_test_setup_teardown(test_client_offline_queue, setup_client,
		    teardown_client),
		cmocka_unit_test_setup_teardown(test_client_refused, setup_client,
		    teardown_client),
	};

	return cmocka_run_group_tests_name("client", tests, NULL, NULL);
}
