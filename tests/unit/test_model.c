/* test_model.c: unit tests for room ids, timer math (saturating) and the message ring. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "model/msgring.h"
#include "model/room.h"
#include "model/timer.h"
#include "util/sat.h"

/* Valid and invalid room ids. */
static void
test_room_id_valid(void **state)
{
	(void)state;
	assert_true(room_id_valid("lobby"));
	assert_true(room_id_valid("a"));
	assert_true(room_id_valid("9lives"));
	assert_true(room_id_valid("my-room_2"));
	assert_true(room_id_valid("abcdefghijklmnopqrstuvwxyz012345")); /* 32 */
	assert_false(room_id_valid("abcdefghijklmnopqrstuvwxyz0123456")); /* 33 */
	assert_false(room_id_valid(""));
	assert_false(room_id_valid(NULL));
	assert_false(room_id_valid("-x"));
	assert_false(room_id_valid("_x"));
	assert_false(room_id_valid("Lobby"));
	assert_false(room_id_valid("a b"));
	assert_false(room_id_valid("a:b"));
	assert_false(room_id_valid("caf\xc3\xa9"));
}

/* Deriving ids from free-form names. */
static void
test_room_id_from_name(void **state)
{
	char out[ROOM_ID_MAX + 1];

	(void)state;
	assert_int_equal(room_id_from_name("My Room!", out), 0);
	assert_string_equal(out, "my-room");
	assert_int_equal(room_id_from_name("  Hello   World  ", out), 0);
	assert_string_equal(out, "hello-world");
	assert_int_equal(room_id_from_name("Spec_3 Needs", out), 0);
	assert_string_equal(out, "spec_3-needs");
	assert_true(room_id_valid(out));
	assert_int_equal(room_id_from_name("!!!", out), -1);
	assert_int_equal(room_id_from_name("", out), -1);
	assert_int_equal(room_id_from_name("\xe6\x9d\x8e", out), -1);
	assert_int_equal(room_id_from_name("a very long room name that goes on and on and on", out), 0);
	assert_true(strlen(out) <= ROOM_ID_MAX);
	assert_true(room_id_valid(out));
}

/* Room kind names round-trip. */
static void
test_room_kind(void **state)
{
	enum room_kind k;
	int i;

	(void)state;
	for (i = 0; i < RK__COUNT; i++) {
		assert_int_equal(room_kind_parse(room_kind_name((enum room_kind)i), &k), 0);
		assert_int_equal(k, i);
	}
	assert_string_equal(room_kind_name(RK_BREAKOUT), "breakout");
	assert_int_equal(room_kind_parse("hall", &k), -1);
	assert_int_equal(room_kind_parse(NULL, &k), -1);
}

/* Stop clears, adjust moves the deadline or the remainder, phases follow thresholds. */
static void
test_timer_controls(void **state)
{
	struct timer t;

	(void)state;
	timer_init(&t, NULL);
	assert_int_equal(t.warn_ms, 60000);
	assert_int_equal(t.danger_ms, 30000);
	assert_int_equal(timer_phase(&t, 0), TP_IDLE);
	assert_int_equal(timer_stop(&t, "a"), -1);
	assert_int_equal(timer_adjust(&t, 1000, "a"), -1);
	timer_start(&t, 1000, 120000, "Pitch", "carol");
	assert_int_equal(timer_phase(&t, 1000), TP_NORMAL);
	assert_int_equal(timer_phase(&t, 1000 + 60000), TP_WARNING);
	assert_int_equal(timer_phase(&t, 1000 + 90000), TP_DANGER);
	assert_int_equal(timer_phase(&t, 1000 + 120000), TP_OVERTIME);
	assert_int_equal(timer_adjust(&t, 30000, "dan"), 0);
	assert_int_equal(t.deadline_ms, 151000);
	assert_int_equal(t.rev, 2);
	assert_string_equal(t.by, "dan");
	assert_int_equal(timer_pause(&t, 51000, "carol"), 0);
	assert_int_equal(timer_adjust(&t, -120000, "carol"), 0);
	assert_int_equal(t.remaining_ms, -20000);
	assert_int_equal(timer_phase(&t, 0), TP_OVERTIME);
	timer_set_thresholds(&t, 5000, -1);
	assert_int_equal(t.warn_ms, 5000);
	assert_int_equal(t.danger_ms, 30000);
	assert_int_equal(timer_stop(&t, "carol"), 0);
	assert_int_equal(t.state, TS_IDLE);
	assert_string_equal(t.label, "");
	assert_int_equal(t.duration_ms, 0);
	assert_int_equal(timer_remaining(&t, 0), 0);
	assert_int_equal(t.rev, 5);
}

/* Start, pause, resume, reset, remaining and overtime, with rev and by. */
static void
test_timer_math(void **state)
{
	struct timer t;
	enum timer_state st;

	(void)state;
	timer_init(&t, NULL);
	assert_string_equal(t.scope, "main");
	assert_int_equal(t.state, TS_IDLE);
	assert_int_equal(t.rev, 0);
	assert_int_equal(timer_remaining(&t, 1000), 0);
	assert_int_equal(timer_pause(&t, 1000, "x"), -1);
	assert_int_equal(timer_resume(&t, 1000, "x"), -1);
	assert_int_equal(timer_reset(&t, "x"), -1);
	assert_int_equal(t.rev, 0);

	timer_start(&t, 10000, 300000, "Talk", "ann");
	assert_int_equal(t.state, TS_RUNNING);
	assert_int_equal(t.deadline_ms, 310000);
	assert_int_equal(t.duration_ms, 300000);
	assert_string_equal(t.label, "Talk");
	assert_string_equal(t.by, "ann");
	assert_int_equal(t.rev, 1);
	assert_int_equal(timer_remaining(&t, 10000), 300000);
	/* an estimate a little before the start never shows more than the full time */
	assert_int_equal(timer_remaining(&t, 9997), 300000);
	assert_int_equal(timer_remaining(&t, 110000), 200000);
	assert_int_equal(timer_resume(&t, 110000, "x"), -1);
	assert_int_equal(t.rev, 1);

	assert_int_equal(timer_pause(&t, 110000, "bob"), 0);
	assert_int_equal(t.state, TS_PAUSED);
	assert_int_equal(t.remaining_ms, 200000);
	assert_string_equal(t.by, "bob");
	assert_int_equal(t.rev, 2);
	assert_int_equal(timer_remaining(&t, 999999), 200000);
	assert_int_equal(timer_pause(&t, 120000, "x"), -1);

	assert_int_equal(timer_resume(&t, 500000, "ann"), 0);
	assert_int_equal(t.state, TS_RUNNING);
	assert_int_equal(t.deadline_ms, 700000);
	assert_int_equal(t.rev, 3);
	assert_int_equal(timer_remaining(&t, 650000), 50000);
	/* Overtime: negative. */
	assert_int_equal(timer_remaining(&t, 712345), -12345);
	assert_int_equal(timer_pause(&t, 710000, "ann"), 0);
	assert_int_equal(t.remaining_ms, -10000);
	assert_int_equal(timer_remaining(&t, 0), -10000);

	assert_int_equal(timer_reset(&t, "carl"), 0);
	assert_int_equal(t.state, TS_IDLE);
	assert_int_equal(t.remaining_ms, 0);
	assert_int_equal(timer_remaining(&t, 710000), 0);
	assert_string_equal(t.by, "carl");
	assert_int_equal(t.rev, 5);

	/* Restart while running replaces the deadline. */
	timer_start(&t, 0, 1000, NULL, NULL);
	timer_start(&t, 500, 2000, "again", "d");
	assert_int_equal(t.deadline_ms, 2500);
	assert_int_equal(t.rev, 7);
	assert_string_equal(t.label, "again");

	timer_init(&t, "breakout-1");
	assert_string_equal(t.scope, "breakout-1");
	assert_int_equal(timer_state_parse("paused", &st), 0);
	assert_int_equal(st, TS_PAUSED);
	assert_int_equal(timer_state_parse("stopped", &st), -1);
	assert_string_equal(timer_state_name(TS_RUNNING), "running");
}

/* Saturating arithmetic (util/sat.h) and the timer math built on it: values a hostile hub
 * could send (or their sums) stick at the ends of int64_t instead of overflowing (the
 * sanitizer build aborts on a signed overflow). */
static void
test_timer_saturates(void **state)
{
	struct timer t;

	(void)state;
	assert_int_equal(sat_add(INT64_MAX, 1), INT64_MAX);
	assert_int_equal(sat_add(INT64_MIN, -1), INT64_MIN);
	assert_int_equal(sat_add(INT64_MAX, INT64_MIN), -1);
	assert_int_equal(sat_sub(INT64_MIN, 1), INT64_MIN);
	assert_int_equal(sat_sub(INT64_MAX, -1), INT64_MAX);
	assert_int_equal(sat_sub(0, INT64_MIN), INT64_MAX);
	assert_int_equal(sat_sub(-5, 3), -8);
	assert_int_equal(sat_clamp(INT64_MIN, 1, 86400000), 1);
	assert_int_equal(sat_clamp(INT64_MAX, 1, 86400000), 86400000);
	assert_true(sat_time_ok(0));
	assert_true(sat_time_ok(SAT_TIME_MAX_MS));
	assert_false(sat_time_ok(SAT_TIME_MAX_MS + 1));
	assert_false(sat_time_ok(-1));

	timer_init(&t, NULL);
	timer_start(&t, INT64_MAX - 5, 60000, "x", NULL);
	assert_int_equal(t.deadline_ms, INT64_MAX);
	assert_int_equal(timer_remaining(&t, INT64_MIN), 5);  /* before the start: the start */
	t.started_ms = 0;
	assert_int_equal(timer_remaining(&t, INT64_MIN), INT64_MAX);
	assert_int_equal(timer_phase(&t, INT64_MIN), TP_NORMAL);
	assert_int_equal(timer_adjust(&t, INT64_MAX, NULL), 0);
	assert_int_equal(t.deadline_ms, INT64_MAX);
	assert_int_equal(timer_pause(&t, INT64_MIN, NULL), 0);
	assert_int_equal(t.remaining_ms, INT64_MAX);
	assert_int_equal(timer_resume(&t, 10, NULL), 0);
	assert_int_equal(t.deadline_ms, INT64_MAX);

	/* a deadline far in the past: overtime, saturated */
	timer_start(&t, INT64_MIN, 1000, "y", NULL);
	assert_int_equal(t.deadline_ms, INT64_MIN + 1000);
	t.started_ms = 0;
	assert_int_equal(timer_remaining(&t, INT64_MAX), INT64_MIN);
	assert_int_equal(timer_phase(&t, INT64_MAX), TP_OVERTIME);
	assert_int_equal(timer_adjust(&t, INT64_MIN, NULL), 0);
	assert_int_equal(t.deadline_ms, INT64_MIN);
	assert_int_equal(timer_pause(&t, INT64_MAX, NULL), 0);
	assert_int_equal(t.remaining_ms, INT64_MIN);
	assert_int_equal(timer_adjust(&t, -1, NULL), 0);
	assert_int_equal(t.remaining_ms, INT64_MIN);
	assert_int_equal(timer_remaining(&t, 0), INT64_MIN);
}

/* Frames: payload, headroom, NUL and reference counts. */
static void
test_msg_refs(void **state)
{
	struct msg *m;

	(void)state;
	m = msg_new(16, "hello", 5);
	assert_int_equal(m->refs, 1);
	assert_int_equal(m->pre, 16);
	assert_int_equal(m->len, 5);
	assert_memory_equal(msg_payload(m), "hello", 5);
	assert_int_equal(msg_payload(m)[5], '\0');
	assert_ptr_equal(msg_ref(m), m);
	assert_int_equal(m->refs, 2);
	msg_unref(m);
	assert_int_equal(m->refs, 1);
	msg_unref(m);
	msg_unref(NULL);

	m = msg_from_str(0, "abc");
	assert_string_equal(msg_payload(m), "abc");
	assert_int_equal(m->len, 3);
	msg_unref(m);
}

/* Ring: push, get, oldest, wrap and references. */
static void
test_msgring(void **state)
{
	struct msgring *r;
	struct msg *m[6];
	char buf[8];
	int i;

	(void)state;
	r = msgring_create(4);
	assert_int_equal(r->next, 1);
	assert_int_equal(msgring_oldest(r), 1);
	assert_null(msgring_get(r, 0));
	assert_null(msgring_get(r, 1));

	for (i = 0; i < 6; i++) {
		snprintf(buf, sizeof buf, "m%d", i + 1);
		m[i] = msg_from_str(0, buf);
		assert_int_equal(msgring_push(r, m[i]), (uint64_t)i + 1);
		assert_int_equal(m[i]->refs, 2);
		if (i == 2) {
			assert_int_equal(msgring_oldest(r), 1);
			assert_ptr_equal(msgring_get(r, 1), m[0]);
			assert_ptr_equal(msgring_get(r, 3), m[2]);
			assert_null(msgring_get(r, 4));
		}
	}
	/* Six pushes into four slots: 1 and 2 are gone and were unreferenced. */
	assert_int_equal(r->next, 7);
	assert_int_equal(msgring_oldest(r), 3);
	assert_int_equal(m[0]->refs, 1);
	assert_int_equal(m[1]->refs, 1);
	assert_null(msgring_get(r, 1));
	assert_null(msgring_get(r, 2));
	for (i = 3; i <= 6; i++)
		assert_ptr_equal(msgring_get(r, (uint64_t)i), m[i - 1]);
	assert_string_equal(msg_payload(msgring_get(r, 6)), "m6");
	assert_null(msgring_get(r, 7));

	for (i = 0; i < 6; i++)
		msg_unref(m[i]);
	/* The ring still holds 3..6. */
	assert_string_equal(msg_payload(msgring_get(r, 5)), "m5");
	msgring_free(r);
	msgring_free(NULL);

	/* Capacity one. */
	r = msgring_create(1);
	m[0] = msg_from_str(0, "a");
	msgring_push(r, m[0]);
	msgring_push(r, m[0]);
	assert_int_equal(m[0]->refs, 2);
	assert_int_equal(msgring_oldest(r), 2);
	assert_null(msgring_get(r, 1));
	assert_ptr_equal(msgring_get(r, 2), m[0]);
	msg_unref(m[0]);
	msgring_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_room_id_valid),
		cmocka_unit_test(test_room_id_from_name),
		cmocka_unit_test(test_room_kind),
		cmocka_unit_test(test_timer_math),
		cmocka_unit_test(test_timer_controls),
		cmocka_unit_test(test_timer_saturates),
		cmocka_unit_test(test_msg_refs),
		cmocka_unit_test(test_msgring),
	};

	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
