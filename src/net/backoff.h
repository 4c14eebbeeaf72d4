/* backoff.h: reconnect delays: exponential backoff with jitter (pure, no clock). */
#ifndef CONFAB_BACKOFF_H
#define CONFAB_BACKOFF_H

#include <stdint.h>

#define BACKOFF_BASE_MS 1000
#define BACKOFF_MAX_MS 30000

/* Delay before reconnect attempt number attempt (0 for the first retry): 1 s doubling up to
 * 30 s, then moved by up to +-25% according to rnd (any 32-bit random value). */
int64_t backoff_delay_ms(unsigned attempt, uint32_t rnd);

#endif
