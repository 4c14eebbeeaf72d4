/* test_progdiff.c: unit tests for the difference between two programs and the
 * "program.changes" event (src/model/progdiff.c), and the live-change members of a
 * session ("delay", "live") in src/model/program.c. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/progdiff.h"
#include "util/xalloc.h"

#define HDR "{\"title\":\"T\",\"timezone\":\"Europe/Berlin\",\"sessions\":["
/* 2031-06-02T08:00:00Z and half hours after it */
#define T0 1938153600000LL
#define HALF (1800 * 1000LL)

/* A session of kind talk from start to end (ms), with extra members (may be ""). */
static char *
sess(const char *id, int64_t start, int64_t end, const char *extra)
{
	return xasprintf("{\"id\":\"%s\",\"title\":\"%s title\",\"kind\":\"talk\","
	    "\"start\":%lld,\"end\":%lld%s}", id, id, (long long)start, (long long)end, extra);
}

/* A program from a JSON text (fails the test when it does not load). */
static struct program *
prog(const char *text)
{
	json_error_t jerr;
	json_t *o = json_loads(text, 0, &jerr);
	struct program *p;
	char *cause = NULL;

	if (o == NULL)
		fail_msg("bad test JSON: %s", jerr.text);
	p = program_from_json(o, &cause);
	json_decref(o);
	if (p == NULL)
		fail_msg("program refused: %s", cause);
	return p;
}

/* A program of the sessions given (each a string from sess(), freed here). */
static struct program *
prog_of(size_t n, ...)
{
	va_list ap;
	char *text = xstrdup(HDR), *s, *t;
	struct program *p;
	size_t i;

	va_start(ap, n);
	for (i = 0; i < n; i++) {
		s = va_arg(ap, char *);
		t = xasprintf("%s%s%s", text, i > 0 ? "," : "", s);
		free(text);
		free(s);
		text = t;
	}
	va_end(ap);
	t = xasprintf("%s]}", text);
	p = prog(t);
	free(text);
	free(t);
	return p;
}

/* The same program twice: no changes, no event. */
static void
test_same(void **state)
{
	struct program *a = prog_of(2, sess("a", T0, T0 + HALF, ""),
	    sess("b", T0 + HALF, T0 + 2 * HALF, ""));
	struct program *b = program_copy(a);
	struct program_change *c = (void *)1;

	(void)state;
	assert_int_equal(program_changes(a, b, &c), 0);
	assert_null(c);
	assert_null(program_diff_json(a, b));
	program_free(a);
	program_free(b);
}

/* A session added, one removed, one moved: three changes, and the event applied to the
 * old program gives the new one, version and all. */
static void
test_add_remove_move(void **state)
{
	struct program *old = prog_of(3, sess("a", T0, T0 + HALF, ""),
	    sess("b", T0 + HALF, T0 + 2 * HALF, ""), sess("c", T0 + 2 * HALF, T0 + 3 * HALF, ""));
	struct program *new_ = prog_of(3, sess("a", T0 + HALF / 2, T0 + 3 * HALF / 2, ""),
	    sess("c", T0 + 2 * HALF, T0 + 3 * HALF, ""), sess("d", T0 + 8 * HALF, T0 + 9 * HALF,
	    ",\"location\":\"Hall D\""));
	struct program_change *c;
	struct program *got;
	json_t *diff, *want, *have;
	char *cause = NULL, *text;

	(void)state;
	assert_int_equal(program_changes(old, new_, &c), 3);
	assert_int_equal(c[0].kind, PC_REMOVED);
	assert_string_equal(c[0].old->id, "b");
	assert_null(c[0].new_);
	assert_int_equal(c[1].kind, PC_CHANGED);
	assert_string_equal(c[1].new_->id, "a");
	assert_int_equal(c[1].old->start_ms, T0);
	assert_int_equal(c[2].kind, PC_ADDED);
	assert_string_equal(c[2].new_->id, "d");
	assert_null(c[2].old);
	free(c);

	diff = program_diff_json(old, new_);
	assert_non_null(diff);
	assert_string_equal(json_string_value(json_object_get(diff, "from")), old->version);
	assert_string_equal(json_string_value(json_object_get(diff, "version")), new_->version);
	assert_int_equal(json_array_size(json_object_get(diff, "added")), 1);
	assert_int_equal(json_array_size(json_object_get(diff, "changed")), 1);
	assert_int_equal(json_array_size(json_object_get(diff, "removed")), 1);
	/* the unchanged session is not in the event */
	text = json_dumps(diff, 0);
	assert_null(strstr(text, "\"c title\""));
	free(text);
	got = program_diff_apply(old, diff, &cause);
	if (got == NULL)
		fail_msg("not applied: %s", cause);
	assert_string_equal(got->version, new_->version);
	want = program_to_json(new_);
	have = program_to_json(got);
	assert_true(json_equal(want, have));
	json_decref(want);
	json_decref(have);
	program_free(got);
	json_decref(diff);
	program_free(old);
	program_free(new_);
}

/* The event is refused when it does not fit the program held. */
static void
test_apply_refused(void **state)
{
	struct program *old = prog_of(2, sess("a", T0, T0 + HALF, ""),
	    sess("b", T0 + HALF, T0 + 2 * HALF, ""));
	struct program *new_ = prog_of(2, sess("a", T0 + HALF, T0 + 2 * HALF, ""),
	    sess("b", T0 + HALF, T0 + 2 * HALF, ""));
	json_t *diff = program_diff_json(old, new_), *bad;
	char *cause = NULL;

	(void)state;
	/* not from the version held */
	assert_null(program_diff_apply(new_, diff, &cause));
	assert_non_null(strstr(cause, "not to the program held"));
	free(cause);
	/* a removed session the program does not have */
	bad = json_deep_copy(diff);
	json_array_append_new(json_object_get(bad, "removed"), json_string("zz"));
	assert_null(program_diff_apply(old, bad, &cause));
	assert_non_null(strstr(cause, "zz"));
	free(cause);
	json_decref(bad);
	/* an added session it has already */
	bad = json_deep_copy(diff);
	json_array_append(json_object_get(bad, "added"),
	    json_array_get(json_object_get(diff, "changed"), 0));
	assert_null(program_diff_apply(old, bad, &cause));
	assert_non_null(strstr(cause, "already"));
	free(cause);
	json_decref(bad);
	/* a version that the result does not have */
	bad = json_deep_copy(diff);
	json_object_set_new(bad, "version", json_string("0000000000000000"));
	assert_null(program_diff_apply(old, bad, &cause));
	assert_non_null(strstr(cause, "0000000000000000"));
	free(cause);
	json_decref(bad);
	json_decref(diff);
	program_free(old);
	program_free(new_);
}

/* A session's delay and live mark: read, written, part of the version; bad ones refused. */
static void
test_live_members(void **state)
{
	struct program *plain = prog_of(1, sess("a", T0, T0 + HALF, ""));
	struct program *live = prog_of(1, sess("a", T0, T0 + HALF,
	    ",\"delay\":900000,\"live\":true"));
	struct program *copy = program_copy(live);
	json_t *o = program_session_to_json(&copy->sessions[0]);
	json_error_t jerr;
	json_t *bad;
	char *cause = NULL;

	(void)state;
	assert_int_equal(live->sessions[0].delay_ms, 900000);
	assert_true(live->sessions[0].live);
	assert_int_equal(plain->sessions[0].delay_ms, 0);
	assert_false(plain->sessions[0].live);
	assert_int_equal(json_integer_value(json_object_get(o, "delay")), 900000);
	assert_true(json_is_true(json_object_get(o, "live")));
	assert_string_not_equal(plain->version, live->version);
	json_decref(o);
	o = program_session_to_json(&plain->sessions[0]);
	assert_null(json_object_get(o, "delay"));
	assert_null(json_object_get(o, "live"));
	json_decref(o);

	bad = json_loads(HDR "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\",\"start\":0,"
	    "\"end\":1,\"delay\":\"15m\"}]}", 0, &jerr);
	assert_null(program_from_json(bad, &cause));
	assert_non_null(strstr(cause, "delay"));
	free(cause);
	json_decref(bad);
	bad = json_loads(HDR "{\"id\":\"a\",\"title\":\"A\",\"kind\":\"talk\",\"start\":0,"
	    "\"end\":1,\"live\":1}]}", 0, &jerr);
	assert_null(program_from_json(bad, &cause));
	assert_non_null(strstr(cause, "live"));
	free(cause);
	json_decref(bad);
	program_free(plain);
	program_free(live);
	program_free(copy);
}

/* A session removed that held a day alone: the day goes, on both sides alike. */
static void
test_days_follow(void **state)
{
	struct program *old = prog_of(2, sess("a", T0, T0 + HALF, ""),
	    sess("b", T0 + 48 * 2 * HALF, T0 + 49 * 2 * HALF, ""));
	struct program *new_ = prog_of(1, sess("a", T0, T0 + HALF, ""));
	json_t *diff = program_diff_json(old, new_);
	struct program *got;
	char *cause = NULL;

	(void)state;
	assert_int_equal(old->ndays, 2);
	got = program_diff_apply(old, diff, &cause);
	if (got == NULL)
		fail_msg("not applied: %s", cause);
	assert_int_equal(got->ndays, new_->ndays);
	assert_string_equal(got->version, new_->version);
	program_free(got);
	json_decref(diff);
	program_free(old);
	program_free(new_);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_add_remove_move),
		cmocka_unit_test(test_apply_refused),
		cmocka_unit_test(test_live_members),
		cmocka_unit_test(test_days_follow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
