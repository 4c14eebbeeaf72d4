/* clocksync.h: NTP-style estimate of the hub's clock from the client's monotonic clock.
 *
 * Each ping/pong exchange gives four timestamps: t0 (client sends, client monotonic ms),
 * t1 (hub receives, hub wall ms), t2 (hub replies, hub wall ms) and t3 (client receives,
 * client monotonic ms). From them:
 *
 *	offset = ((t1 - t0) + (t2 - t3)) / 2     hub wall minus client monotonic
 *	delay  = (t3 - t0) - (t2 - t1)           round trip spent on the network
 *
 * The true offset lies within delay / 2 of the estimate, whatever the asymmetry of the
 * path, so the estimate kept is the one of the sample with the smallest error among the
 * last CLOCKSYNC_WINDOW (ties: the newest), where a sample's error is delay / 2 plus what
 * the two clocks may have drifted apart since it was taken (CLOCKSYNC_DRIFT_PPM of its
 * age): with samples minutes apart, a fresh one beats a slightly faster old one. Old
 * samples age out, so a changed path or a stepped hub clock is followed. Before any sample, a fallback offset taken from a hub
 * "now" field at receipt is used. Pure: no I/O, no clock of its own. */
#ifndef CONFAB_CLOCKSYNC_H
#define CONFAB_CLOCKSYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CLOCKSYNC_WINDOW 8              /* samples kept */
#define CLOCKSYNC_MAX_ABS (INT64_C(1) << 52) /* timestamps beyond +-this are refused */
#define CLOCKSYNC_DRIFT_PPM 100         /* assumed rate at which two clocks drift apart */

struct clocksync;

/* A new estimator with no samples; its fallback maps client monotonic time to itself
 * until clocksync_set_fallback() is called. Free with clocksync_free(). */
struct clocksync *clocksync_create(void);
/* Frees cs (safe on NULL). */
void clocksync_free(struct clocksync *cs);

/* Forgets every sample (a new link: a new path); the fallback is kept. */
void clocksync_reset(struct clocksync *cs);
/* Sets the fallback offset from a hub time hub_now received at client monotonic time
 * mono_now. Out-of-range values are ignored. */
void clocksync_set_fallback(struct clocksync *cs, int64_t hub_now, int64_t mono_now);

/* Adds one exchange (see above). Returns 0, or -1 when the sample is impossible and was
 * dropped: t3 < t0, t2 < t1, a negative delay or a timestamp out of range. */
int clocksync_add(struct clocksync *cs, int64_t t0, int64_t t1, int64_t t2, int64_t t3);

/* True when at least one sample is kept. */
bool clocksync_valid(const struct clocksync *cs);
/* Number of samples kept (at most CLOCKSYNC_WINDOW). */
size_t clocksync_count(const struct clocksync *cs);
/* The current offset (hub wall minus client monotonic): the best sample's, else the
 * fallback. */
int64_t clocksync_offset(const struct clocksync *cs);
/* The hub's clock at client monotonic time mono_now. */
int64_t clocksync_hub_now(const struct clocksync *cs, int64_t mono_now);
/* The delay (round trip) of the best sample, or -1 when there is none. */
int64_t clocksync_rtt(const struct clocksync *cs);
/* The largest possible error of clocksync_offset() in ms (the best sample's delay / 2,
 * rounded up), or -1 when there is no sample. */
int64_t clocksync_error_bound(const struct clocksync *cs);
/* How old the best sample is at client monotonic time mono_now (ms since its t3), or -1
 * when there is no sample. */
int64_t clocksync_age(const struct clocksync *cs, int64_t mono_now);

#endif
