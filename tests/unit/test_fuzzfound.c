/* test_fuzzfound.c: regression tests for the bugs the libFuzzer targets (fuzz/) found.
 * Each test names the target and the input kept in fuzz/corpus/TARGET/ that showed it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "client/config.h"
#include "clientfix.h"
#include "model/program.h"
#include "proto/proto.h"
#include "util/sanitize.h"
#include "util/utf8.h"
#include "util/width.h"

/* Asserts that frame is refused with code, and with a detail safe to log and send. */
static void
expect_safe_detail(const char *frame, enum proto_err code)
{
	struct proto_decode_err err;
	struct proto_msg m;

	assert_int_equal(proto_decode_request(frame, strlen(frame), PROTO_MAX_FRAME, &m, &err),
	    -1);
	assert_int_equal(err.code, code);
	assert_true(utf8_valid(err.detail, strlen(err.detail)));
	if (sanitize_needed(err.detail))
		fail_msg("unsafe detail: %s", err.detail);
}

/* fuzz_proto_request (crash-6e789964...): jansson's message quotes bytes of the frame, which
 * went raw into the detail that the hub logs and sends back: an ESC, or half of a UTF-8
 * character. */
static void
test_proto_detail_safe(void **state)
{
	(void)state;
	expect_safe_detail("{\"a\":\x1b}", PE_BAD_JSON);
	expect_safe_detail("{\"a\":\xc2\x9b}", PE_BAD_JSON);
	expect_safe_detail("\"\\\xd5\xa9\"`\xd5\xa9\xcb\xad\xcb\xad", PE_BAD_JSON);
	expect_safe_detail("{\"a\":\"\\\xc3\xa9\\", PE_BAD_JSON);
}

/* fuzz_program_json (crash-day-before-1970): a session before 04:00 on 1 January 1970 (in
 * the program's zone) began a conference day before 1970, a negative instant that the
 * wire form could not carry: every client refused the hub's welcome. */
static void
test_program_day_before_1970(void **state)
{
	static const char text[] = "{\"title\":\"Wire\",\"timezone\":\"UTC\",\"sessions\":"
	    "[{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\",\"start\":1400000,"
	    "\"end\":1602522000000}]}";
	struct program *p, *q;
	json_t *o, *wire;
	char *cause = NULL;

	(void)state;
	o = json_loads(text, 0, NULL);
	assert_non_null(o);
	p = program_from_json(o, &cause);
	json_decref(o);
	assert_non_null(p);
	assert_int_equal(p->ndays, 1);
	assert_true(p->days[0] >= 0 && p->days[0] <= p->sessions[0].start_ms);
	wire = program_to_json(p);
	q = program_from_json(wire, &cause);
	if (q == NULL)
		fail_msg("the wire form is refused: %s", cause);
	assert_string_equal(q->version, p->version);
	json_decref(wire);
	program_free(q);
	program_free(p);
}

/* A welcome frame with the given epoch, name, resume token and "joined" array (JSON). */
static void
welcome_frame(char *buf, size_t len, const char *epoch, const char *name, const char *resume,
    const char *joined)
{
	snprintf(buf, len, "{\"type\":\"welcome\",\"re\":1,\"proto\":1,\"hub\":\"h\","
	    "\"epoch\":\"%s\",\"name\":\"%s\",\"role\":\"attendee\",\"resume\":\"%s\","
	    "\"now\":1,\"limits\":{\"frame\":1,\"text\":1,\"name\":1,\"history\":1},"
	    "\"rooms\":[],\"timers\":[],\"joined\":%s}", epoch, name, resume, joined);
}

/* fuzz_client (crash-joined-not-a-room): a welcome whose "joined" held something that is
 * not a room id was taken as it was; the client put it in its next hello's "since", which
 * the hub refused, so it could not reconnect. The decoder now refuses such a welcome. */
static void
test_welcome_joined_room_ids(void **state)
{
	static const char *const bad[] = { "[\"lobby\",\";d2-users\"]", "[\"\"]",
	    "[\"Lobby\"]", "[\"-x\"]" };
	struct proto_decode_err err;
	struct proto_msg m;
	char frame[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		welcome_frame(frame, sizeof frame, "e", "alice", "r", bad[i]);
		assert_int_equal(proto_decode(frame, strlen(frame), 0, &m, &err), -1);
		assert_int_equal(err.code, PE_BAD_FIELD);
	}
	welcome_frame(frame, sizeof frame, "e", "alice", "r", "[\"lobby\",\"d2-users\"]");
	assert_int_equal(proto_decode(frame, strlen(frame), 0, &m, &err), 0);
	assert_int_equal(m.u.welcome.njoined, 2);
	proto_msg_clear(&m);
}

/* fuzz_client (crash-welcome-bad-name, crash-welcome-long-resume): the name, epoch and
 * resume token of a welcome were taken as they came, and went back in the client's next
 * hello, which the hub refused (a bad name is fatal: the client quit). The decoder now
 * holds them to what a hello may carry. */
static void
test_welcome_hello_fields(void **state)
{
	char frame[1024], long_token[PROTO_MAX_TOKEN + 2];
	struct proto_decode_err err;
	struct proto_msg m;

	(void)state;
	memset(long_token, 'x', sizeof long_token - 1);
	long_token[sizeof long_token - 1] = '\0';
	welcome_frame(frame, sizeof frame, "e", "a b", "r", "[]");
	assert_int_equal(proto_decode(frame, strlen(frame), 0, &m, &err), -1);
	welcome_frame(frame, sizeof frame, "e", "#alice", "r", "[]");
	assert_int_equal(proto_decode(frame, strlen(frame), 0, &m, &err), -1);
	welcome_frame(frame, sizeof frame, "e", "alice", long_token, "[]");
	assert_int_equal(proto_decode(frame, strlen(frame), 0, &m, &err), -1);
	welcome_frame(frame, sizeof frame, long_token, "alice", "r", "[]");
	assert_int_equal(proto_decode(frame, strlen(frame), 0, &m, &err), -1);
	long_token[PROTO_MAX_TOKEN] = '\0';
	welcome_frame(frame, sizeof frame, long_token, "alice_", long_token, "[]");
	assert_int_equal(proto_decode(frame, strlen(frame), 0, &m, &err), 0);
	assert_string_equal(m.u.welcome.name, "alice_");
	proto_msg_clear(&m);
}

/* fuzz_client (crash-timer-deadline-overflow): times from the hub were any 64-bit
 * integers, and the client's arithmetic on them (remaining = deadline - now, the clock
 * offset, a room's end) overflowed: undefined behaviour on a hostile frame. Times now lie
 * from 1970 to 9999 and remaining times within +-PROTO_MAX_TIME_MS (doc/PROTOCOL.md,
 * section 3; fixed the same way on the hostile branch). */
static void
test_times_in_range(void **state)
{
	static const char *const bad[] = {
		"{\"type\":\"timer\",\"stream\":\"timers\",\"seq\":1,\"now\":1,\"timer\":"
		"{\"scope\":\"main\",\"state\":\"running\",\"duration_ms\":1,\"rev\":1,"
		"\"deadline\":-9223372036854775808}}",
		"{\"type\":\"timer\",\"stream\":\"timers\",\"seq\":1,\"now\":1,\"timer\":"
		"{\"scope\":\"main\",\"state\":\"paused\",\"duration_ms\":1,\"rev\":1,"
		"\"remaining_ms\":253402300800000}}",
		"{\"type\":\"timer\",\"stream\":\"timers\",\"seq\":1,"
		"\"now\":9223372036854775807,\"timer\":{\"scope\":\"main\",\"state\":\"idle\","
		"\"duration_ms\":0,\"rev\":1}}",
		"{\"type\":\"pong\",\"re\":1,\"t0\":0,\"t1\":-9223372036854775808,\"t2\":0}",
		"{\"type\":\"rooms\",\"stream\":\"rooms\",\"seq\":1,\"rooms\":[{\"id\":\"a\","
		"\"title\":\"A\",\"kind\":\"breakout\",\"occupancy\":0,\"capacity\":0,"
		"\"closes_at\":-1}]}",
		"{\"type\":\"chat\",\"stream\":\"room:a\",\"seq\":1,\"room\":\"a\","
		"\"from\":\"b\",\"text\":\"c\",\"ts\":9223372036854775807}",
	};
	static const char good[] = "{\"type\":\"timer\",\"stream\":\"timers\",\"seq\":1,"
	    "\"now\":0,\"timer\":{\"scope\":\"main\",\"state\":\"running\","
	    "\"duration_ms\":86400000,\"rev\":1,\"deadline\":253402300799999,"
	    "\"started\":0}}";
	struct proto_decode_err err;
	struct proto_msg m;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (proto_decode(bad[i], strlen(bad[i]), 0, &m, &err) == 0)
			fail_msg("accepted: %s", bad[i]);
		assert_int_equal(err.code, PE_BAD_FIELD);
	}
	assert_int_equal(proto_decode(good, strlen(good), 0, &m, &err), 0);
	assert_int_equal(timer_remaining(&m.u.timer.timer, m.u.timer.now), PROTO_MAX_TIME_MS);
	proto_msg_clear(&m);
}

/* fuzz_client (crash-lineup-queue-loop): with a hub whose welcome has no lineup (an older
 * hub), /lineup waited in the queue for one, and running the queue after the next frame
 * put it back again, forever: the client hung. Now it shows the (empty) lineup. */
static void
test_lineup_without_hub_lineup(void **state)
{
	struct rec *r = *state;
	size_t before;

	welcome(r, "e1", 0, lobby_only, 1);
	before = client_pending(r->c);
	alarm(10);   /* the bug hangs: fail instead */
	assert_int_equal(client_input(r->c, "/lineup"), CLIENT_CONTINUE);
	assert_int_equal(client_input(r->c, "/rooms"), CLIENT_CONTINUE);
	feed_chat(r, "lobby", 1, "bob", "morning!");
	alarm(0);
	assert_int_equal(client_pending(r->c), before);
}

/* fuzz_sanitize (crash-wrap-control-wider-than-line): width.h said that only a wide
 * character may overflow a wrapped line, when cols < 2; a control shown as "<U+0082>" (8
 * columns) overflows any line narrower than that. It is put alone on its line, and
 * width.h now says so. */
static void
test_wrap_control_wider_than_line(void **state)
{
	static const char text[] = "ab\xc2\x82" "cd";
	struct width_line *v;
	size_t n;

	(void)state;
	n = width_wrap(text, strlen(text), 7, 0, &v);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].len, 2);
	assert_int_equal(v[1].start, 2);
	assert_int_equal(v[1].len, 2);
	assert_int_equal(v[1].cols, 8);
	assert_int_equal(v[2].cols, 2);
	free(v);
}

/* fuzz_config (a timeout): each bad line of a config file re-copied every message before
 * it, so a file of bad lines took time quadratic in its size: 64 KB of them, the most that
 * is read, took 50 s to load. The messages are now appended in linear time. */
static void
test_config_many_bad_lines(void **state)
{
	static const char bad[] = "x = 1\n";
	size_t n = CONFIG_MAX_BYTES / (sizeof bad - 1), i, lines = 1;
	struct config cfg;
	char *text, *cause = NULL, *last;

	(void)state;
	text = malloc(n * (sizeof bad - 1) + 1);
	assert_non_null(text);
	for (i = 0; i < n; i++)
		memcpy(text + i * (sizeof bad - 1), bad, sizeof bad - 1);
	config_init(&cfg);
	alarm(20);   /* quadratic: minutes under the sanitizers; linear: well under a second */
	assert_int_equal(config_parse(&cfg, text, n * (sizeof bad - 1), "config", &cause), -1);
	alarm(0);
	for (i = 0; cause[i] != '\0'; i++)
		lines += cause[i] == '\n';
	assert_int_equal(lines, n);
	assert_true(strncmp(cause, "config:1: unknown key \"x\"", 25) == 0);
	last = strrchr(cause, '\n') + 1;
	assert_true(strncmp(last, "config:", 7) == 0 && (size_t)atol(last + 7) == n);
	free(cause);
	free(text);
	config_clear(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proto_detail_safe),
		cmocka_unit_test(test_program_day_before_1970),
		cmocka_unit_test(test_welcome_joined_room_ids),
		cmocka_unit_test(test_welcome_hello_fields),
		cmocka_unit_test(test_times_in_range),
		cmocka_unit_test_setup_teardown(test_lineup_without_hub_lineup, setup_client,
		    teardown_client),
		cmocka_unit_test(test_wrap_control_wider_than_line),
		cmocka_unit_test(test_config_many_bad_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
