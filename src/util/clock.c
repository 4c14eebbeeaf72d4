/* clock.c: the system clock and a fake clock for tests. */

#include <time.h>

#include "util/clock.h"

/* Reads clock id as milliseconds. */
static int64_t
clock_read(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wall time of the system clock. */
static int64_t
clock_system_wall(void *ctx)
{
	(void)ctx;
	return clock_read(CLOCK_REALTIME);
}

/* Monotonic time of the system clock. */
static int64_t
clock_system_mono(void *ctx)
{
	(void)ctx;
	return clock_read(CLOCK_MONOTONIC);
}

const struct cf_clock cf_clock_system = {
	clock_system_wall, clock_system_mono, NULL
};

/* Wall time of a fake clock. */
static int64_t
clock_fake_wall(void *ctx)
{
	return ((struct cf_fake_clock *)ctx)->wall;
}

/* Monotonic time of a fake clock. */
static int64_t
clock_fake_mono(void *ctx)
{
	return ((struct cf_fake_clock *)ctx)->mono;
}

/* Fills clk so that it reads from fake. */
void
cf_clock_fake(struct cf_clock *clk, struct cf_fake_clock *fake)
{
	clk->wall_ms = clock_fake_wall;
	clk->mono_ms = clock_fake_mono;
	clk->ctx = fake;
}

/* Advances both readings of fake by ms. */
void
cf_fake_clock_advance(struct cf_fake_clock *fake, int64_t ms)
{
	fake->wall += ms;
	fake->mono += ms;
}
