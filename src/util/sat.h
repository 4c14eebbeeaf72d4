/* sat.h: saturating arithmetic for times and durations (int64_t milliseconds), and the
 * range of times confab accepts.
 *
 * Times from the network are checked against SAT_TIME_MIN_MS..SAT_TIME_MAX_MS
 * (1970-01-01T00:00:00.000Z .. 9999-12-31T23:59:59.999Z) and durations against
 * -SAT_TIME_MAX_MS..SAT_TIME_MAX_MS before anything computes with them; the helpers below
 * are the second line of defence: a sum or difference that does not fit in 64 bits sticks
 * at INT64_MIN or INT64_MAX instead of being undefined behaviour. */
#ifndef CONFAB_SAT_H
#define CONFAB_SAT_H

#include <stdbool.h>
#include <stdint.h>

#define SAT_TIME_MIN_MS INT64_C(0)
#define SAT_TIME_MAX_MS INT64_C(253402300799999)   /* 9999-12-31T23:59:59.999Z */

/* a + b, saturated at INT64_MIN and INT64_MAX. */
static inline int64_t
sat_add(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

/* a - b, saturated at INT64_MIN and INT64_MAX. */
static inline int64_t
sat_sub(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_sub_overflow(a, b, &r))
		return b < 0 ? INT64_MAX : INT64_MIN;
	return r;
}

/* v limited to [lo, hi] (lo <= hi). */
static inline int64_t
sat_clamp(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* True for a time in SAT_TIME_MIN_MS..SAT_TIME_MAX_MS. */
static inline bool
sat_time_ok(int64_t ms)
{
	return ms >= SAT_TIME_MIN_MS && ms <= SAT_TIME_MAX_MS;
}

#endif
