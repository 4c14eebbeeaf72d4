/* clock.h: an injectable clock, so that tests drive time instead of sleeping.
 *
 * wall_ms is UTC milliseconds since the epoch (what the protocol carries);
 * mono_ms is a monotonic millisecond count for measuring intervals. */
#ifndef CONFAB_CLOCK_H
#define CONFAB_CLOCK_H

#include <stdint.h>

struct cf_clock {
	int64_t (*wall_ms)(void *ctx);
	int64_t (*mono_ms)(void *ctx);
	void *ctx;
};

/* The system clock (CLOCK_REALTIME and CLOCK_MONOTONIC). */
extern const struct cf_clock cf_clock_system;

/* A clock for tests: returns the fields, which the test advances by hand. */
struct cf_fake_clock {
	int64_t wall;
	int64_t mono;
};
/* Fills clk so that it reads from fake (borrowed; must outlive clk). */
void cf_clock_fake(struct cf_clock *clk, struct cf_fake_clock *fake);
/* Advances both readings of fake by ms. */
void cf_fake_clock_advance(struct cf_fake_clock *fake, int64_t ms);

static inline int64_t cf_wall_ms(const struct cf_clock *c) { return c->wall_ms(c->ctx); }
static inline int64_t cf_mono_ms(const struct cf_clock *c) { return c->mono_ms(c->ctx); }

#endif
