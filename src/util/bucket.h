/* bucket.h: token buckets for rate limits (on an injected millisecond clock).
 *
 * A bucket holds up to burst tokens and gains rate tokens a second; an action takes one.
 * Full at the start, so a burst of `burst` actions passes at once and then `rate` a
 * second. Plain integers (sixty-thousandths of a token), no floating point. */
#ifndef CONFAB_BUCKET_H
#define CONFAB_BUCKET_H

#include <stdbool.h>
#include <stdint.h>

struct cf_bucket {
	int64_t units;      /* tokens held, in sixty-thousandths */
	int64_t last_ms;    /* when units was last brought up to date */
};

struct cf_bucket_rule {
	int64_t per_minute; /* tokens gained a minute (rate) */
	int64_t burst;      /* most tokens held */
};

/* A full bucket at now_ms. */
void cf_bucket_init(struct cf_bucket *b, const struct cf_bucket_rule *r, int64_t now_ms);
/* Takes one token if there is one: true, or false (rate-limited). */
bool cf_bucket_take(struct cf_bucket *b, const struct cf_bucket_rule *r, int64_t now_ms);
/* True when the bucket is full again (nothing to remember about it). */
bool cf_bucket_full(const struct cf_bucket *b, const struct cf_bucket_rule *r, int64_t now_ms);
/* Ms until one token is there (0: now). */
int64_t cf_bucket_wait(const struct cf_bucket *b, const struct cf_bucket_rule *r,
    int64_t now_ms);

#endif
