/* backoff.c: reconnect delays: 1 s doubling to 30 s, with +-25% jitter. */
#include "net/backoff.h"

/* Delay before retry number attempt, jittered by rnd. */
int64_t
backoff_delay_ms(unsigned attempt, uint32_t rnd)
{
	int64_t base = BACKOFF_BASE_MS;
	unsigned i;

	for (i = 0; i < attempt && base < BACKOFF_MAX_MS; i++)
		base *= 2;
	if (base > BACKOFF_MAX_MS)
		base = BACKOFF_MAX_MS;
	/* base * (0.75 + 0.5 * rnd / 2^32), in integers */
	return base - base / 4 + (int64_t)(((uint64_t)(base / 2) * rnd) >> 32);
}
