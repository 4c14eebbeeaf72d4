/* timer.c: countdown timer math: a running timer is a deadline, a paused one a remainder.
 * Every sum and difference saturates (util/sat.h): a timer read from a hostile hub cannot
 * make it overflow. */
#include <string.h>

#include "model/timer.h"
#include "util/sat.h"
#include "util/xalloc.h"

static const char *const timer_state_names[] = { "idle", "running", "paused" };

/* Wire name of a timer state. */
const char *
timer_state_name(enum timer_state st)
{
	if ((unsigned)st > TS_PAUSED)
		return "?";
	return timer_state_names[st];
}

/* Parses a wire state name; 0 on success, -1 when unknown. */
int
timer_state_parse(const char *name, enum timer_state *st)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i <= TS_PAUSED; i++) {
		if (strcmp(name, timer_state_names[i]) == 0) {
			*st = (enum timer_state)i;
			return 0;
		}
	}
	return -1;
}

/* Records who made a change and bumps the revision. */
static void
timer_touch(struct timer *t, const char *by)
{
	strlcpy_cf(t->by, by != NULL ? by : "", sizeof t->by);
	t->rev++;
}

/* An idle timer for scope (NULL means "main"). */
void
timer_init(struct timer *t, const char *scope)
{
	memset(t, 0, sizeof *t);
	strlcpy_cf(t->scope, scope != NULL ? scope : TIMER_SCOPE_MAIN, sizeof t->scope);
	t->state = TS_IDLE;
	t->warn_ms = TIMER_WARN_MS;
	t->danger_ms = TIMER_DANGER_MS;
}

/* Sets the thresholds; a negative value means the default. */
void
timer_set_thresholds(struct timer *t, int64_t warn_ms, int64_t danger_ms)
{
	t->warn_ms = warn_ms > 0 ? warn_ms : TIMER_WARN_MS;
	t->danger_ms = danger_ms > 0 ? danger_ms : TIMER_DANGER_MS;
}

/* Starts (or restarts) the countdown: deadline = now + duration. */
void
timer_start(struct timer *t, int64_t now, int64_t duration_ms, const char *label, const char *by)
{
	t->state = TS_RUNNING;
	t->duration_ms = duration_ms;
	t->deadline_ms = sat_add(now, duration_ms);
	t->remaining_ms = 0;
	t->started_ms = now;
	strlcpy_cf(t->label, label != NULL ? label : "", sizeof t->label);
	timer_touch(t, by);
}

/* Pauses a running timer, keeping what remains (negative in overtime). */
int
timer_pause(struct timer *t, int64_t now, const char *by)
{
	if (t->state != TS_RUNNING)
		return -1;
	t->remaining_ms = sat_sub(t->deadline_ms, now);
	t->state = TS_PAUSED;
	timer_touch(t, by);
	return 0;
}

/* Resumes a paused timer: deadline = now + remaining. */
int
timer_resume(struct timer *t, int64_t now, const char *by)
{
	if (t->state != TS_PAUSED)
		return -1;
	t->deadline_ms = sat_add(now, t->remaining_ms);
	t->state = TS_RUNNING;
	timer_touch(t, by);
	return 0;
}

/* Back to idle; fails when already idle. */
int
timer_reset(struct timer *t, const char *by)
{
	if (t->state == TS_IDLE)
		return -1;
	t->state = TS_IDLE;
	t->remaining_ms = 0;
	t->deadline_ms = 0;
	timer_touch(t, by);
	return 0;
}

/* Idle and cleared: no label, no duration. */
int
timer_stop(struct timer *t, const char *by)
{
	if (t->state == TS_IDLE)
		return -1;
	t->state = TS_IDLE;
	t->label[0] = '\0';
	t->duration_ms = 0;
	t->started_ms = 0;
	t->remaining_ms = 0;
	t->deadline_ms = 0;
	timer_touch(t, by);
	return 0;
}

/* Adds delta_ms to what remains; fails when idle. */
int
timer_adjust(struct timer *t, int64_t delta_ms, const char *by)
{
	switch (t->state) {
	case TS_RUNNING:
		t->deadline_ms = sat_add(t->deadline_ms, delta_ms);
		break;
	case TS_PAUSED:
		t->remaining_ms = sat_add(t->remaining_ms, delta_ms);
		break;
	default:
		return -1;
	}
	timer_touch(t, by);
	return 0;
}

/* Display phase from the remaining time and the thresholds. */
enum timer_phase
timer_phase(const struct timer *t, int64_t now)
{
	int64_t left;

	if (t->state == TS_IDLE)
		return TP_IDLE;
	left = timer_remaining(t, now);
	if (left <= 0)
		return TP_OVERTIME;
	if (left <= t->danger_ms)
		return TP_DANGER;
	if (left <= t->warn_ms)
		return TP_WARNING;
	return TP_NORMAL;
}

/* Remaining time at now: negative in overtime, 0 when idle. A client's estimate of the
 * hub clock can be a few ms behind the hub's: a moment before the start is taken as the
 * start, so a new timer never shows more than its full time ("2:01" for 2:00). */
int64_t
timer_remaining(const struct timer *t, int64_t now)
{
	switch (t->state) {
	case TS_RUNNING:
		if (t->started_ms > 0 && now < t->started_ms)
			now = t->started_ms;
		return sat_sub(t->deadline_ms, now);
	case TS_PAUSED:
		return t->remaining_ms;
	default:
		return 0;
	}
}
