/* bucket.c: token buckets for rate limits.
 *
 * The level is kept in sixty-thousandths of a token, so that a rate given a minute gains
 * exactly per_minute units a millisecond: no rounding is lost however often the bucket
 * is looked at. */
#include "util/bucket.h"

#define CF_BUCKET_TOKEN INT64_C(60000)   /* units in one token */

/* Units held at now_ms, capped at the burst. */
static int64_t
cf_bucket_level(const struct cf_bucket *b, const struct cf_bucket_rule *r, int64_t now_ms)
{
	int64_t dt = now_ms - b->last_ms, cap = r->burst * CF_BUCKET_TOKEN, gain;

	if (dt <= 0)
		return b->units;
	if (dt > 3600 * 1000)           /* an hour refills any bucket: no overflow below */
		return cap;
	gain = dt * r->per_minute;
	return b->units + gain > cap ? cap : b->units + gain;
}

/* A full bucket. */
void
cf_bucket_init(struct cf_bucket *b, const struct cf_bucket_rule *r, int64_t now_ms)
{
	b->units = r->burst * CF_BUCKET_TOKEN;
	b->last_ms = now_ms;
}

/* Takes one token if there is one. */
bool
cf_bucket_take(struct cf_bucket *b, const struct cf_bucket_rule *r, int64_t now_ms)
{
	int64_t level = cf_bucket_level(b, r, now_ms);

	if (now_ms > b->last_ms)
		b->last_ms = now_ms;
	b->units = level;
	if (level < CF_BUCKET_TOKEN)
		return false;
	b->units -= CF_BUCKET_TOKEN;
	return true;
}

/* True when the bucket is full again. */
bool
cf_bucket_full(const struct cf_bucket *b, const struct cf_bucket_rule *r, int64_t now_ms)
{
	return cf_bucket_level(b, r, now_ms) >= r->burst * CF_BUCKET_TOKEN;
}

/* Ms until one token is there. */
int64_t
cf_bucket_wait(const struct cf_bucket *b, const struct cf_bucket_rule *r, int64_t now_ms)
{
	int64_t level = cf_bucket_level(b, r, now_ms);

	if (level >= CF_BUCKET_TOKEN)
		return 0;
	if (r->per_minute <= 0)
		return INT64_MAX;
	return (CF_BUCKET_TOKEN - level + r->per_minute - 1) / r->per_minute;
}
