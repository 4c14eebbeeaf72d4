/* test_hub_live.c: unit tests of the live program (hub_program.c) with the memory store:
 * session.change from a facilitator reaches everyone as one program.changes event that
 * applies to the program they hold; its errors; a reload (hub_set_program) keeps the live
 * changes that still apply and drops those the file overrides. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hub/hub.h"
#include "model/progdiff.h"
#include "proto/proto.h"
#include "util/xalloc.h"
#include "hubfix.h"

#define MIN15 (15 * 60 * 1000LL)

/* Applies event m (a program.changes) to *p, replacing it; fails the test if it does not
 * apply. */
static void
t_apply(struct program **p, const struct proto_msg *m)
{
	struct program *next;
	char *cause = NULL;

	assert_int_equal(m->type, PT_PROGRAM_CHANGES);
	next = program_diff_apply(*p, m->u.program_changes.diff, &cause);
	if (next == NULL)
		fail_msg("program.changes not applied: %s", cause);
	program_free(*p);
	*p = next;
}

/* The facilitator's request re is answered ok, and a gets one program.changes event,
 * applied to *held. */
static void
t_change_seen(struct hub_session *fac, struct hub_session *a, struct program **held,
    int64_t re)
{
	struct proto_msg m;

	t_expect_ok(fac, re);
	t_drain(fac);   /* its own copy of the event */
	t_expect(a, PT_PROGRAM_CHANGES, &m);
	t_apply(held, &m);
	proto_msg_clear(&m);
}

/* session.change: ok, one event to everyone, by the facilitator; errors. */
static void
test_session_change(void **state)
{
	struct fixture *f = *state;
	struct hub_session *fac, *a;
	struct program *held = program_copy(f->program);
	const struct session *s0 = &f->program->sessions[0], *got;
	struct proto_msg m;

	fac = t_login(f, 0, "fac", TOKEN);
	a = t_login(f, 1, "a", NULL);
	t_send(a, "{\"type\":\"session.change\",\"id\":2,\"session\":\"%s\",\"live\":true}",
	    s0->id);
	t_expect_error(a, PE_NOT_ALLOWED, 2);
	t_send(fac, "{\"type\":\"session.change\",\"id\":3,\"session\":\"nosuch\","
	    "\"delay_ms\":60000}");
	t_expect_error(fac, PE_NO_SESSION, 3);
	t_send(fac, "{\"type\":\"session.change\",\"id\":4,\"session\":\"%s\"}", s0->id);
	t_expect_error(fac, PE_BAD_FIELD, 4);
	t_send(fac, "{\"type\":\"session.change\",\"id\":5,\"session\":\"%s\","
	    "\"delay_ms\":86400001}", s0->id);
	t_expect_error(fac, PE_BAD_FIELD, 5);
	t_send(fac, "{\"type\":\"session.change\",\"id\":6,\"session\":\"%s\","
	    "\"location\":\"Hall\\u001b[2J\"}", s0->id);
	t_expect_error(fac, PE_BAD_FIELD, 6);
	/* a day earlier: before the program's first day */
	t_send(fac, "{\"type\":\"session.change\",\"id\":10,\"session\":\"%s\","
	    "\"delay_ms\":-86400000}", s0->id);
	t_expect_error(fac, PE_BAD_FIELD, 10);
	t_expect_nothing(a);

	t_send(fac, "{\"type\":\"session.change\",\"id\":7,\"session\":\"%s\","
	    "\"delay_ms\":%lld}", s0->id, MIN15);
	t_expect_ok(fac, 7);
	t_drain(fac);   /* its own copy of the event */
	t_expect(a, PT_PROGRAM_CHANGES, &m);
	assert_string_equal(m.u.program_changes.by, "fac");
	assert_string_equal(m.u.program_changes.from, held->version);
	t_apply(&held, &m);
	proto_msg_clear(&m);
	t_expect_nothing(a);
	got = program_find(held, s0->id);
	assert_non_null(got);
	assert_int_equal(got->start_ms, s0->start_ms + MIN15);
	assert_int_equal(got->end_ms, s0->end_ms + MIN15);
	assert_int_equal(got->delay_ms, MIN15);

	/* a room and the live mark; the delay stays */
	t_send(fac, "{\"type\":\"session.change\",\"id\":8,\"session\":\"%s\","
	    "\"location\":\"Hall B\",\"live\":true}", s0->id);
	t_change_seen(fac, a, &held, 8);
	got = program_find(held, s0->id);
	assert_string_equal(got->location, "Hall B");
	assert_true(got->live);
	assert_int_equal(got->delay_ms, MIN15);
	/* back as planned: delay 0, the mark off */
	t_send(fac, "{\"type\":\"session.change\",\"id\":9,\"session\":\"%s\","
	    "\"delay_ms\":0,\"live\":false}", s0->id);
	t_change_seen(fac, a, &held, 9);
	got = program_find(held, s0->id);
	assert_int_equal(got->start_ms, s0->start_ms);
	assert_false(got->live);
	assert_string_equal(got->location, "Hall B");
	program_free(held);
}

/* The program p with session 0 moved by delta and its last session left out (a new
 * program, version recomputed). */
static struct program *
t_edited(const struct program *p, int64_t delta)
{
	json_t *o = program_to_json(p), *ss = json_object_get(o, "sessions"), *s0;
	struct program *q;
	char *cause = NULL;

	s0 = json_array_get(ss, 0);
	json_object_set_new(s0, "start", json_integer(json_integer_value(json_object_get(s0,
	    "start")) + delta));
	json_object_set_new(s0, "end", json_integer(json_integer_value(json_object_get(s0,
	    "end")) + delta));
	json_array_remove(ss, json_array_size(ss) - 1);
	json_object_del(o, "version");
	json_object_del(o, "days");
	q = program_from_json(o, &cause);
	json_decref(o);
	if (q == NULL)
		fail_msg("edited program refused: %s", cause);
	return q;
}

/* A reload: one event with the difference; a live change the file did not override
 * stays, one it did is dropped. */
static void
test_reload_keeps_live_changes(void **state)
{
	struct fixture *f = *state;
	struct hub_session *fac, *a;
	struct program *held = program_copy(f->program), *same, *moved;
	const struct session *s0 = &f->program->sessions[0], *s1 = &f->program->sessions[1];
	const struct session *got;
	struct proto_msg m;
	size_t n = f->program->nsessions;

	fac = t_login(f, 0, "fac", TOKEN);
	a = t_login(f, 1, "a", NULL);
	t_send(fac, "{\"type\":\"session.change\",\"id\":2,\"session\":\"%s\","
	    "\"delay_ms\":%lld,\"location\":\"Hall B\"}", s0->id, MIN15);
	t_expect_ok(fac, 2);
	t_drain(fac);   /* its own copy of the event */
	t_send(fac, "{\"type\":\"session.change\",\"id\":3,\"session\":\"%s\","
	    "\"live\":true}", s1->id);
	t_expect_ok(fac, 3);
	t_drain(fac);
	t_expect(a, PT_PROGRAM_CHANGES, &m);
	t_apply(&held, &m);
	proto_msg_clear(&m);
	t_expect(a, PT_PROGRAM_CHANGES, &m);
	t_apply(&held, &m);
	proto_msg_clear(&m);

	/* the same file again: nothing changes, nothing is sent */
	same = program_copy(f->program);
	assert_int_equal(hub_set_program(f->hub, same), 0);
	hub_flush(f->hub);
	t_expect_nothing(a);
	program_free(same);

	/* the organizers move session 0 by an hour and drop the last session */
	moved = t_edited(f->program, 60 * 60 * 1000LL);
	assert_int_equal(hub_set_program(f->hub, moved), 2);
	hub_flush(f->hub);
	t_expect(a, PT_PROGRAM_CHANGES, &m);
	assert_null(m.u.program_changes.by);
	t_apply(&held, &m);
	proto_msg_clear(&m);
	t_expect_nothing(a);
	assert_int_equal(held->nsessions, n - 1);
	got = program_find(held, s0->id);
	assert_int_equal(got->start_ms, s0->start_ms + 60 * 60 * 1000LL);
	assert_int_equal(got->delay_ms, 0);              /* the file's time wins */
	assert_string_equal(got->location, "Hall B");    /* the move still applies */
	assert_true(program_find(held, s1->id)->live);  /* and the live mark */
	program_free(moved);
	program_free(held);
}

/* A reload that changes every session: the whole program is smaller than the difference,
 * so it comes as a program event. */
static void
test_reload_everything(void **state)
{
	struct fixture *f = *state;
	struct hub_session *a;
	json_t *o = program_to_json(f->program), *v;
	struct program *other;
	struct proto_msg m;
	char *cause = NULL, id[40];
	size_t i;

	a = t_login(f, 1, "a", NULL);
	json_array_foreach(json_object_get(o, "sessions"), i, v) {
		snprintf(id, sizeof id, "new-%zu", i);
		json_object_set_new(v, "id", json_string(id));
		json_object_set_new(v, "room", json_null());
	}
	json_object_del(o, "version");
	other = program_from_json(o, &cause);
	json_decref(o);
	if (other == NULL)
		fail_msg("%s", cause);
	assert_int_equal(hub_set_program(f->hub, other), 2 * f->program->nsessions);
	t_expect(a, PT_PROGRAM, &m);
	assert_string_equal(m.u.program.program->version, other->version);
	proto_msg_clear(&m);
	t_expect_nothing(a);
	program_free(other);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_session_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_keeps_live_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_everything, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
