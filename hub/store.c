/* store.c: the store interface: dispatch to the implementation, and what every store
 * shares (epoch, counters). */
#include <stdlib.h>
#include <time.h>

#include "hub/store_int.h"
#include "util/random.h"
#include "util/strmap.h"
#include "util/xalloc.h"

/* Flushes, then frees the store. */
void
store_free(struct store *st)
{
	if (st == NULL)
		return;
	if (st->ops->pending(st))
		st->ops->flush(st);
	st->ops->free(st);
}

/* The store's kind. */
const char *
store_kind(const struct store *st)
{
	return st->ops->kind;
}

/* True when the state survives a restart. */
bool
store_durable(const struct store *st)
{
	return st->ops->durable;
}

/* The event's epoch. */
const char *
store_epoch(const struct store *st)
{
	return st->epoch;
}

/* Reports the state to w and keeps w. */
int
store_load(struct store *st, const struct store_watch *w, size_t keep, char **cause)
{
	st->watch = *w;
	st->watching = true;
	return st->ops->load(st, keep, cause);
}

/* Appends an event. */
void
store_append(struct store *st, const char *stream, int64_t ts, const char *cid,
    const char *data, size_t len, store_done_fn done, void *arg)
{
	st->ops->append(st, stream, ts, cid, data, len, done, arg);
}

/* Sets a value. */
void
store_put(struct store *st, const char *key, const char *value, bool only_new,
    store_done_fn done, void *arg)
{
	st->ops->put(st, key, value, only_new, done, arg);
}

/* Deletes a value. */
void
store_del(struct store *st, const char *key, store_done_fn done, void *arg)
{
	st->ops->del(st, key, done, arg);
}

/* Removes an event. */
void
store_remove(struct store *st, const char *stream, uint64_t seq, store_done_fn done,
    void *arg)
{
	st->ops->remove(st, stream, seq, done, arg);
}

/* Writes the pending group. */
void
store_flush(struct store *st)
{
	st->ops->flush(st);
}

/* True when writes are pending. */
bool
store_pending(const struct store *st)
{
	return st->ops->pending(st);
}

/* A value, read now. */
char *
store_get(struct store *st, const char *key)
{
	return st->ops->get(st, key);
}

/* Every event of the streams under prefix. */
int
store_each_event(struct store *st, const char *prefix,
    int (*fn)(void *arg, const struct store_event *ev), void *arg, char **cause)
{
	return st->ops->each_event(st, prefix, fn, arg, cause);
}

/* Deletes old events. */
long
store_trim(struct store *st, const char *prefix, int64_t before_ms, char **cause)
{
	return st->ops->trim(st, prefix, before_ms, cause);
}

/* This hub's part of a shared count; an embedded store reports it as the sum. */
void
store_count(struct store *st, const char *name, uint64_t n)
{
	if (st->ops->count != NULL)
		st->ops->count(st, name, n);
	else if (st->watching && st->watch.count != NULL)
		st->watch.count(st->watch.arg, name, n);
}

/* This hub's member of a room, for the other hubs; an embedded store has none. */
void
store_presence(struct store *st, const char *room, const char *name, const char *info,
    const char *event)
{
	if (st->ops->presence != NULL)
		st->ops->presence(st, room, name, info, event);
}

/* The other hubs' members of a room. */
void
store_presence_each(struct store *st, const char *room,
    void (*fn)(void *arg, const char *name, const char *info), void *arg)
{
	if (st->ops->presence_each != NULL)
		st->ops->presence_each(st, room, fn, arg);
}

/* Sets the wake function. */
void
store_set_wake(struct store *st, void (*fn)(void *arg), void *arg)
{
	st->wake = fn;
	st->wake_arg = arg;
}

/* Calls the wake function. */
void
store_wake(struct store *st)
{
	if (st->wake != NULL)
		st->wake(st->wake_arg);
}

/* True when the store can write. */
bool
store_available(const struct store *st, const char **why)
{
	*why = NULL;
	return st->ops->available == NULL || st->ops->available(st, why);
}

/* The counters. */
void
store_get_stats(const struct store *st, struct store_stats *out)
{
	*out = st->stats;
}

/* A new epoch. */
void
store_new_epoch(struct store *st)
{
	cf_random_hex(st->epoch, STORE_EPOCH_HEX);
}

/* Microseconds on the monotonic clock. */
uint64_t
store_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* The number of key in m (0: none). */
uint64_t
store_u64_get(const struct strmap *m, const char *key)
{
	const uint64_t *v = strmap_get(m, key);

	return v != NULL ? *v : 0;
}

/* Sets the number of key in m. */
void
store_u64_set(struct strmap *m, const char *key, uint64_t v)
{
	uint64_t *p = strmap_get(m, key);

	if (p == NULL) {
		p = xmalloc(sizeof *p);
		strmap_put(m, key, p);
	}
	*p = v;
}

/* Frees m and its numbers. Safe on NULL. */
void
store_u64_free(struct strmap *m)
{
	size_t pos = 0;
	void *v;

	if (m == NULL)
		return;
	while ((v = strmap_next(m, &pos, NULL)) != NULL)
		free(v);
	strmap_free(m);
}
