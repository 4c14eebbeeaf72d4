/* bucket.c: token buckets for rate limits. */
#include "util/bucket.h"

/* Tokens (thousandths) held at now_ms, capped at the burst. */
static int64_t
cf_bucket_level(const struct cf_bucket *b, const struct cf_bucket_rule *r, int64_t now_ms)
{
	int64_t dt = now_ms - b->last_ms, cap = r->burst * 1000, gain;

	if (dt <= 0)
		return b->milli;
	if (dt > 3600 * 1000)           /* an hour refills any bucket: no overflow below */
		return cap;
	gain = dt * r->per_minute / 60;  /* thousandths gained: per_minute * dt ms / 60000 * 1000 */
	return b->milli + gain > cap ? cap : b->milli + gain;
}

/* A full bucket. */
void
cf_bucket_init(struct cf_bucket *b, const struct cf_bucket_rule *r, int64_t now_ms)
{
	b->milli = r->burst * 1000;
	b->last_ms = now_ms;
}

/* Takes one token if there is one. */
bool
cf_bucket_take(struct cf_bucket *b, const struct cf_bucket_rule *r, int64_t now_ms)
{
	int64_t level = cf_bucket_level(b, r, now_ms);

	if (now_ms > b->last_ms)
		b->last_ms = now_ms;
	b->milli = level;
	if (level < 1000)
		return false;
	b->milli -= 1000;
	return true;
}

/* True when the bucket is full again. */
bool
cf_bucket_full(const struct cf_bucket *b, const struct cf_bucket_rule *r, int64_t now_ms)
{
	return cf_bucket_level(b, r, now_ms) >= r->burst * 1000;
}

/* Ms until one token is there. */
int64_t
cf_bucket_wait(const struct cf_bucket *b, const struct cf_bucket_rule *r, int64_t now_ms)
{
	int64_t level = cf_bucket_level(b, r, now_ms);

	if (level >= 1000)
		return 0;
	if (r->per_minute <= 0)
		return INT64_MAX;
	return ((1000 - level) * 60 + r->per_minute - 1) / r->per_minute;
}
