/* clocksync.c: the hub clock estimate: a window of ping/pong samples, best one wins. */
#include "util/i18n.h"

#include <stdlib.h>

#include "client/clocksync.h"
#include "util/sat.h"
#include "util/xalloc.h"

/* One exchange, reduced. */
struct clocksync_sample {
	int64_t offset;   /* hub wall minus client monotonic */
	int64_t delay;    /* network round trip */
	int64_t t3;       /* client monotonic time it was taken */
};

struct clocksync {
	struct clocksync_sample s[CLOCKSYNC_WINDOW];
	size_t head, n;   /* ring: oldest at head */
	int64_t fallback; /* offset from a hub "now" field, used before any sample */
};

/* Creates an estimator. */
struct clocksync *
clocksync_create(void)
{
	return xcalloc(1, sizeof (struct clocksync));
}

/* Frees an estimator. */
void
clocksync_free(struct clocksync *cs)
{
	free(cs);
}

/* Drops every sample. */
void
clocksync_reset(struct clocksync *cs)
{
	cs->head = cs->n = 0;
}

/* True when v is a timestamp we accept (its differences and sums cannot overflow). */
static bool
clocksync_in_range(int64_t v)
{
	return v >= -CLOCKSYNC_MAX_ABS && v <= CLOCKSYNC_MAX_ABS;
}

/* Sets the offset used before any sample. */
void
clocksync_set_fallback(struct clocksync *cs, int64_t hub_now, int64_t mono_now)
{
	if (clocksync_in_range(hub_now) && clocksync_in_range(mono_now))
		cs->fallback = hub_now - mono_now;
}

/* Adds one exchange to the window, dropping the oldest when full. */
int
clocksync_add(struct clocksync *cs, int64_t t0, int64_t t1, int64_t t2, int64_t t3)
{
	struct clocksync_sample *slot;
	int64_t delay;

	if (!clocksync_in_range(t0) || !clocksync_in_range(t1) ||
	    !clocksync_in_range(t2) || !clocksync_in_range(t3))
		return -1;
	if (t3 < t0 || t2 < t1)
		return -1;
	delay = (t3 - t0) - (t2 - t1);
	if (delay < 0)
		return -1;
	if (cs->n == CLOCKSYNC_WINDOW) {
		cs->head = (cs->head + 1) % CLOCKSYNC_WINDOW;
		cs->n--;
	}
	slot = &cs->s[(cs->head + cs->n) % CLOCKSYNC_WINDOW];
	slot->offset = ((t1 - t0) + (t2 - t3)) / 2;
	slot->delay = delay;
	slot->t3 = t3;
	cs->n++;
	return 0;
}

/* The error of sample s as of the newest sample's time, in units of 10 us: delay / 2 plus
 * the drift since s was taken (ranking by it ranks by the error now as well). In range:
 * delay and age are below 2^55 (timestamps within CLOCKSYNC_MAX_ABS). */
static int64_t
clocksync_score(const struct clocksync_sample *s, int64_t newest)
{
	return s->delay * 50 + (newest - s->t3) * CLOCKSYNC_DRIFT_PPM / 10000;
}

/* The sample with the smallest error (ties: the newest), or NULL. */
static const struct clocksync_sample *
clocksync_best(const struct clocksync *cs)
{
	const struct clocksync_sample *best = NULL, *s;
	int64_t newest;
	size_t i;

	if (cs->n == 0)
		return NULL;
	newest = cs->s[(cs->head + cs->n - 1) % CLOCKSYNC_WINDOW].t3;
	for (i = 0; i < cs->n; i++) {
		s = &cs->s[(cs->head + i) % CLOCKSYNC_WINDOW];
		if (best == NULL || clocksync_score(s, newest) <= clocksync_score(best, newest))
			best = s;
	}
	return best;
}

/* True when a sample is kept. */
bool
clocksync_valid(const struct clocksync *cs)
{
	return cs->n > 0;
}

/* Samples kept. */
size_t
clocksync_count(const struct clocksync *cs)
{
	return cs->n;
}

/* The offset in use. */
int64_t
clocksync_offset(const struct clocksync *cs)
{
	const struct clocksync_sample *b = clocksync_best(cs);

	return b != NULL ? b->offset : cs->fallback;
}

/* Hub clock at client monotonic time mono_now. */
int64_t
clocksync_hub_now(const struct clocksync *cs, int64_t mono_now)
{
	return sat_add(mono_now, clocksync_offset(cs));
}

/* Round trip of the best sample, or -1. */
int64_t
clocksync_rtt(const struct clocksync *cs)
{
	const struct clocksync_sample *b = clocksync_best(cs);

	return b != NULL ? b->delay : -1;
}

/* Error bound of the offset in use, or -1. */
int64_t
clocksync_error_bound(const struct clocksync *cs)
{
	const struct clocksync_sample *b = clocksync_best(cs);

	return b != NULL ? (b->delay + 1) / 2 : -1;
}

/* Age of the best sample, or -1. */
int64_t
clocksync_age(const struct clocksync *cs, int64_t mono_now)
{
	const struct clocksync_sample *b = clocksync_best(cs);

	return b != NULL ? sat_sub(mono_now, b->t3) : -1;
}
