/* store_redis.c: the Redis store (see store_redis.h and doc/MULTIHUB.md): writes and their
 * completions, the shared counts, the store's ops.
 *
 * Writes are queued as they come and sent, pipelined, at store_flush() (one write() for
 * the whole group): each is one EVALSHA of the write script, which numbers the change,
 * applies it and appends it to the feed atomically. Replies come back in order on the
 * writes connection; each completes its write (done), then reports the change to the
 * watch unless the hub has it already, so a completion is never ahead of the view for
 * this hub's own values and the rule of store.h holds: done, then watch. An event is
 * reported at its completion only when it is the next of its stream for this hub;
 * otherwise (another hub's events came between) the feed brings it, in order.
 *
 * While the writes connection is down, writes wait in the queue (a write already sent
 * goes back to its front, to be sent again under the same id) and fail after
 * STORE_REDIS_WAIT_MS, or when the outage is that old (at once after that);
 * hub_tick sees no pending group meanwhile, so nothing spins. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hub/store_redis_int.h"
#include "util/container.h"
#include "util/files.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/random.h"
#include "util/xalloc.h"

static const struct store_ops sr_ops;

#define SR_COUNT_SOON_MS 100      /* a changed count goes to Redis this soon */
#define SR_PASSWORD_MAX 4096

/* The write script. KEYS: rev, feed, the write's id, the target (a stream, or the values
 * hash), its companion (the heads hash, or the revisions hash). ARGV: mode (e event,
 * v value, d delete, r remove), name, data, ts, cid, seq or only_new, the stream's and
 * the feed's lengths, the id's lifetime. Returns {a, rev}: a is the event's seq (e), or
 * 1 when an only_new value exists already (v); rev the change's number (0: none). A
 * write whose id Redis remembers returns what it returned the first time. */
const char sr_script[] =
	"local done = redis.call('GET', KEYS[3])\n"
	"if done then\n"
	"  local a, b = string.match(done, '^(%d+) (%d+)$')\n"
	"  return {tonumber(a), tonumber(b)}\n"
	"end\n"
	"local m = ARGV[1]\n"
	"local a = 0\n"
	"if m == 'v' and ARGV[6] == '1' and redis.call('HEXISTS', KEYS[4], ARGV[2]) == 1 then\n"
	"  redis.call('SET', KEYS[3], '1 0', 'EX', ARGV[9])\n"
	"  return {1, 0}\n"
	"end\n"
	"local rev = redis.call('INCR', KEYS[1])\n"
	"local id = rev .. '-0'\n"
	"if m == 'e' then\n"
	"  a = redis.call('HINCRBY', KEYS[5], ARGV[2], 1)\n"
	"  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[7], a .. '-0', 't', ARGV[4],"
	" 'c', ARGV[5], 'd', ARGV[3])\n"
	"  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[8], id, 'k', 'e', 'n', ARGV[2],"
	" 's', a, 't', ARGV[4], 'c', ARGV[5], 'd', ARGV[3])\n"
	"elseif m == 'v' then\n"
	"  redis.call('HSET', KEYS[4], ARGV[2], ARGV[3])\n"
	"  redis.call('HSET', KEYS[5], ARGV[2], rev)\n"
	"  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[8], id, 'k', 'v', 'n', ARGV[2],"
	" 'd', ARGV[3])\n"
	"elseif m == 'd' then\n"
	"  redis.call('HDEL', KEYS[4], ARGV[2])\n"
	"  redis.call('HSET', KEYS[5], ARGV[2], rev)\n"
	"  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[8], id, 'k', 'd', 'n', ARGV[2])\n"
	"else\n"
	"  redis.call('XDEL', KEYS[4], ARGV[6] .. '-0')\n"
	"  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[8], id, 'k', 'r', 'n', ARGV[2],"
	" 's', ARGV[6])\n"
	"end\n"
	"redis.call('SET', KEYS[3], a .. ' ' .. rev, 'EX', ARGV[9])\n"
	"return {a, rev}\n";

/* The counts script. KEYS: this hub's counts, the hubs' refresh times, this hub's
 * members (store_redis_pres.c). ARGV: hub id, lifetime (ms), then name, count pairs.
 * Replaces this hub's counts, keeps its members' set from expiring, forgets hubs that
 * stopped refreshing, and returns {the sums of the other hubs' counts as name, sum
 * pairs, the live hubs, 1 when this hub's members' set was still there}. */
static const char sr_count_script[] =
	SR_LUA_NOW
	"redis.call('DEL', KEYS[1])\n"
	"if #ARGV > 2 then redis.call('HSET', KEYS[1], unpack(ARGV, 3)) end\n"
	"redis.call('PEXPIRE', KEYS[1], ARGV[2])\n"
	"local alive = redis.call('PEXPIRE', KEYS[3], ARGV[2])\n"
	"redis.call('ZADD', KEYS[2], now, ARGV[1])\n"
	"redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[2]))\n"
	"local sum = {}\n"
	"local hubs = redis.call('ZRANGE', KEYS[2], 0, -1)\n"
	"for _, h in ipairs(hubs) do\n"
	"  if h ~= ARGV[1] then\n"
	"    local kv = redis.call('HGETALL', '" SR_KEY_COUNT "' .. h)\n"
	"    for i = 1, #kv, 2 do sum[kv[i]] = (sum[kv[i]] or 0) + tonumber(kv[i + 1]) end\n"
	"  end\n"
	"end\n"
	"local out = {}\n"
	"for k, v in pairs(sum) do out[#out + 1] = k; out[#out + 1] = v end\n"
	"return {out, hubs, alive}\n";

/* Monotonic ms. */
static int64_t
sr_mono_ms(void)
{
	return (int64_t)(store_now_us() / 1000);
}

/* The last seq reported of stream. */
uint64_t
sr_head(const struct store_redis *sr, const char *stream)
{
	return store_u64_get(sr->heads, stream);
}

/* Sets the last seq reported of stream. */
void
sr_set_head(struct store_redis *sr, const char *stream, uint64_t seq)
{
	store_u64_set(sr->heads, stream, seq);
}

/* Reports ev when it is new for this hub; strict: only when it is the very next. */
static bool
sr_report_event_as(struct store_redis *sr, const struct store_event *ev, bool strict)
{
	uint64_t head = sr_head(sr, ev->stream);

	if (ev->seq <= head || (strict && ev->seq != head + 1))
		return false;
	sr_set_head(sr, ev->stream, ev->seq);
	if (sr->base.watching && sr->base.watch.event != NULL)
		sr->base.watch.event(sr->base.watch.arg, ev);
	return true;
}

/* Reports an event read from the feed or a snapshot. */
bool
sr_report_event(struct store_redis *sr, const struct store_event *ev)
{
	return sr_report_event_as(sr, ev, false);
}

/* Reports a value of change rev when it is newer than what this hub has. */
void
sr_report_value(struct store_redis *sr, const char *key, const char *value, uint64_t rev)
{
	struct sr_val *v = strmap_get(sr->vals, key);

	if (v != NULL && rev <= v->rev)
		return;
	if (v == NULL) {
		v = xcalloc(1, sizeof *v);
		strmap_put(sr->vals, key, v);
	}
	v->rev = rev;
	free(v->value);
	v->value = value != NULL ? xstrdup(value) : NULL;
	if (sr->base.watching && sr->base.watch.value != NULL)
		sr->base.watch.value(sr->base.watch.arg, key, value);
}

/* Stops the store for good: Redis no longer holds what this hub has seen. */
void
sr_lost(struct store_redis *sr, const char *why)
{
	if (sr->dead)
		return;
	sr->dead = true;
	log_err("store: %s: %s; this hub stops", sr->where, why);
	if (sr->lost != NULL)
		sr->lost(sr->lost_arg, why);
}

/* Frees one write. */
static void
sr_op_free(struct sr_op *op)
{
	free(op->name);
	free(op->data);
	free(op->cid);
	free(op);
}

/* Appends op to a list. */
static void
sr_list_push(struct sr_op ***list, size_t *n, size_t *cap, struct sr_op *op)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*list = xreallocarray(*list, *cap, sizeof **list);
	}
	(*list)[(*n)++] = op;
}

/* Removes and returns the first of a list. */
static struct sr_op *
sr_list_shift(struct sr_op **list, size_t *n)
{
	struct sr_op *op = list[0];

	memmove(&list[0], &list[1], --*n * sizeof *list);
	return op;
}

/* Completes op: done, then the watch (unless the hub has the change already). */
static void
sr_complete(struct store_redis *sr, struct sr_op *op, enum store_result result,
    uint64_t a, uint64_t rev)
{
	struct store *st = &sr->base;
	struct store_event ev;
	uint64_t dt;

	if (result == STORE_FAILED)
		st->stats.failures++;
	else
		st->stats.writes++;
	if (op->sent_us != 0) {
		dt = store_now_us() - op->sent_us;
		st->stats.commit_us_total += dt;
		if (dt > st->stats.commit_us_max)
			st->stats.commit_us_max = dt;
	}
	if (op->kind == STORE_OP_PUT && result == STORE_OK && a == 1)
		result = STORE_EXISTS;
	if (op->done != NULL)
		op->done(op->arg, result, op->kind == STORE_OP_APPEND && result == STORE_OK ?
		    a : 0);
	if (result == STORE_OK) {
		switch (op->kind) {
		case STORE_OP_APPEND:
			memset(&ev, 0, sizeof ev);
			ev.stream = op->name;
			ev.seq = a;
			ev.ts = op->ts;
			ev.cid = op->cid;
			ev.data = op->data;
			ev.len = op->len;
			sr_report_event_as(sr, &ev, true);
			break;
		case STORE_OP_PUT:
			sr_report_value(sr, op->name, op->data, rev);
			break;
		case STORE_OP_DEL:
			sr_report_value(sr, op->name, NULL, rev);
			break;
		default:
			if (st->watching && st->watch.removed != NULL)
				st->watch.removed(st->watch.arg, op->name, op->seq);
			break;
		}
	}
	sr_op_free(op);
}

/* A reply of the write script (replies come in the order of the writes). */
static void
sr_op_cb(redisAsyncContext *ac, void *reply, void *privdata)
{
	struct store_redis *sr = privdata;
	const redisReply *r = reply;
	struct sr_op *op;

	if (r == NULL || ac != sr->writer.ac || sr->nflight == 0)
		return;        /* the link went: the write goes back to the queue */
	if (r->type == REDIS_REPLY_ERROR && strncmp(r->str, "NOSCRIPT", 8) == 0) {
		/* the script was flushed: it is loaded again when the link comes back */
		sr_conn_drop(&sr->writer, r->str);
		return;
	}
	op = sr_list_shift(sr->flight, &sr->nflight);
	if (r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
	    r->element[0]->type == REDIS_REPLY_INTEGER &&
	    r->element[1]->type == REDIS_REPLY_INTEGER) {
		sr_complete(sr, op, STORE_OK, (uint64_t)r->element[0]->integer,
		    (uint64_t)r->element[1]->integer);
	} else {
		log_err("store: Redis at %s refused a write of %s: %s", sr->where, op->name,
		    r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply");
		sr_complete(sr, op, STORE_FAILED, 0, 0);
	}
	store_wake(&sr->base);
}

/* Sends op on the writes connection (it joins the writes in flight). */
static void
sr_send(struct store_redis *sr, struct sr_op *op)
{
	const char *argv[17], *mode;
	size_t lens[17];
	char opkey[sizeof op->opid + 16], target[512], ts[24], extra[24], smax[16], fmax[16],
	    ttl[16];
	int i;

	switch (op->kind) {
	case STORE_OP_APPEND: mode = "e"; break;
	case STORE_OP_PUT: mode = "v"; break;
	case STORE_OP_DEL: mode = "d"; break;
	default: mode = "r"; break;
	}
	snprintf(opkey, sizeof opkey, "%s%s", SR_KEY_OP, op->opid);
	if (op->kind == STORE_OP_PUT || op->kind == STORE_OP_DEL)
		snprintf(target, sizeof target, "%s", SR_KEY_VAL);
	else
		snprintf(target, sizeof target, "%s%s", SR_KEY_STREAM, op->name);
	snprintf(ts, sizeof ts, "%" PRId64, op->ts);
	if (op->kind == STORE_OP_REMOVE)
		snprintf(extra, sizeof extra, "%" PRIu64, op->seq);
	else
		snprintf(extra, sizeof extra, "%d", op->only_new ? 1 : 0);
	snprintf(smax, sizeof smax, "%d", strncmp(op->name, "room:", 5) == 0 ? SR_ROOM_MAX :
	    SR_OTHER_MAX);
	snprintf(fmax, sizeof fmax, "%d", SR_FEED_MAX);
	snprintf(ttl, sizeof ttl, "%d", SR_OP_TTL_S);
	i = 0;
	argv[i++] = "EVALSHA";
	argv[i++] = sr->sha;
	argv[i++] = "5";
	argv[i++] = SR_KEY_REV;
	argv[i++] = SR_KEY_FEED;
	argv[i++] = opkey;
	argv[i++] = target;
	argv[i++] = op->kind == STORE_OP_PUT || op->kind == STORE_OP_DEL ? SR_KEY_VER :
	    SR_KEY_HEADS;
	argv[i++] = mode;
	argv[i++] = op->name;
	argv[i++] = op->data != NULL ? op->data : "";
	argv[i++] = ts;
	argv[i++] = op->cid != NULL ? op->cid : "";
	argv[i++] = extra;
	argv[i++] = smax;
	argv[i++] = fmax;
	argv[i++] = ttl;
	for (i = 0; i < 17; i++)
		lens[i] = strlen(argv[i]);
	if (op->data != NULL)
		lens[10] = op->len;
	op->sent_us = store_now_us();
	sr_list_push(&sr->flight, &sr->nflight, &sr->capflight, op);
	redisAsyncCommandArgv(sr->writer.ac, sr_op_cb, sr, 17, argv, lens);
}

/* Sends every queued write (the connection is up). */
static void
sr_send_queue(struct store_redis *sr)
{
	size_t i, n = sr->nqueue;

	if (n == 0 || sr->writer.state != SRC_UP || sr->sha[0] == '\0' || sr->dead)
		return;
	sr->nqueue = 0;
	for (i = 0; i < n; i++)
		sr_send(sr, sr->queue[i]);
	sr->base.stats.commits++;
}

/* Fails the writes that waited too long for Redis; schedules the next check. */
static void
sr_expire_cb(lws_sorted_usec_list_t *sul)
{
	struct store_redis *sr = CF_CONTAINER_OF(sul, struct store_redis, sul_expire);
	int64_t now = sr_mono_ms();
	size_t n = 0;

	if (sr->writer.state == SRC_UP)
		return;
	while (sr->nqueue > 0 && sr->queue[0]->queued_ms + STORE_REDIS_WAIT_MS <= now) {
		sr_complete(sr, sr_list_shift(sr->queue, &sr->nqueue), STORE_FAILED, 0, 0);
		n++;
	}
	if (n > 0) {
		log_err("store: %zu writes failed: Redis at %s was out of reach for %d s", n,
		    sr->where, STORE_REDIS_WAIT_MS / 1000);
		store_wake(&sr->base);
	}
	if (sr->nqueue > 0)
		lws_sul_schedule(sr->cx, 0, &sr->sul_expire, sr_expire_cb, (lws_usec_t)
		    (sr->queue[0]->queued_ms + STORE_REDIS_WAIT_MS - now) * LWS_US_PER_MS);
}

/* Arms the expiry of waiting writes (Redis is out of reach). */
static void
sr_expire_arm(struct store_redis *sr)
{
	int64_t d;

	if (sr->nqueue == 0)
		return;
	d = sr->queue[0]->queued_ms + STORE_REDIS_WAIT_MS - sr_mono_ms();
	lws_sul_schedule(sr->cx, 0, &sr->sul_expire, sr_expire_cb,
	    (lws_usec_t)(d > 0 ? d : 0) * LWS_US_PER_MS);
}

static void sr_count_cb(lws_sorted_usec_list_t *sul);

/* The writes connection is up: what waited goes. */
static void
sr_writer_up(struct sr_conn *c)
{
	struct store_redis *sr = c->sr;

	sr->down_ms = 0;
	lws_sul_cancel(&sr->sul_expire);
	sr_send_queue(sr);
	sr->count_dirty = true;
	lws_sul_schedule(sr->cx, 0, &sr->sul_count, sr_count_cb, 0);
	sr_pres_writer_up(sr);
	store_wake(&sr->base);
}

/* The writes connection is down: the writes in flight go back to the queue's front. */
static void
sr_writer_down(struct sr_conn *c)
{
	struct store_redis *sr = c->sr;
	size_t n = sr->nflight;

	sr->down_ms = sr_mono_ms();
	if (n > 0) {
		while (sr->nqueue + n > sr->capqueue) {
			sr->capqueue = sr->capqueue ? sr->capqueue * 2 : 64;
			sr->queue = xreallocarray(sr->queue, sr->capqueue, sizeof *sr->queue);
		}
		memmove(&sr->queue[n], &sr->queue[0], sr->nqueue * sizeof *sr->queue);
		memcpy(&sr->queue[0], sr->flight, n * sizeof *sr->queue);
		sr->nqueue += n;
		sr->nflight = 0;
	}
	sr_expire_arm(sr);
	store_wake(&sr->base);
}

/* The feed connection went down: it reads on from where it was when it is back. */
static void
sr_reader_down(struct sr_conn *c)
{
	(void)c;
}

/* A new write in the queue. */
static struct sr_op *
sr_queue(struct store *st, enum store_op_kind kind, const char *name, store_done_fn done,
    void *arg)
{
	struct store_redis *sr = (struct store_redis *)st;
	struct sr_op *op = xcalloc(1, sizeof *op);
	int64_t since;

	op->kind = kind;
	op->name = xstrdup(name);
	op->done = done;
	op->arg = arg;
	op->queued_ms = sr_mono_ms();
	/* A write waits STORE_REDIS_WAIT_MS at most, and no longer than until the outage is
	 * that old: once Redis has been away that long, it fails at once. The deadlines
	 * stay in queue order, so that the writes fail (and are answered) in order. */
	if (sr->writer.state != SRC_UP && sr->down_ms != 0) {
		since = op->queued_ms - STORE_REDIS_WAIT_MS;
		if (since < sr->down_ms)
			since = sr->down_ms;
		if (since < op->queued_ms)
			op->queued_ms = since;
	}
	snprintf(op->opid, sizeof op->opid, "%s:%" PRIu64, sr->hubid, ++sr->serial);
	sr_list_push(&sr->queue, &sr->nqueue, &sr->capqueue, op);
	if (sr->writer.state != SRC_UP && sr->nqueue == 1)
		sr_expire_arm(sr);
	return op;
}

/* store_append. */
static void
sr_append(struct store *st, const char *stream, int64_t ts, const char *cid,
    const char *data, size_t len, store_done_fn done, void *arg)
{
	struct sr_op *op = sr_queue(st, STORE_OP_APPEND, stream, done, arg);

	op->data = xstrndup(data, len);
	op->len = len;
	op->cid = cid != NULL ? xstrdup(cid) : NULL;
	op->ts = ts;
}

/* store_put. */
static void
sr_put(struct store *st, const char *key, const char *value, bool only_new,
    store_done_fn done, void *arg)
{
	struct sr_op *op = sr_queue(st, STORE_OP_PUT, key, done, arg);

	op->data = xstrdup(value);
	op->len = strlen(value);
	op->only_new = only_new;
}

/* store_del. */
static void
sr_del(struct store *st, const char *key, store_done_fn done, void *arg)
{
	sr_queue(st, STORE_OP_DEL, key, done, arg);
}

/* store_remove. */
static void
sr_remove(struct store *st, const char *stream, uint64_t seq, store_done_fn done,
    void *arg)
{
	sr_queue(st, STORE_OP_REMOVE, stream, done, arg)->seq = seq;
}

/* store_flush: the group goes, pipelined. */
static void
sr_flush(struct store *st)
{
	sr_send_queue((struct store_redis *)st);
	sr_pres_flush((struct store_redis *)st);
}

/* store_pending: writes that can go now. */
static bool
sr_pending(const struct store *st)
{
	const struct store_redis *sr = (const struct store_redis *)st;

	return (sr->nqueue > 0 && sr->writer.state == SRC_UP && sr->sha[0] != '\0' &&
	    !sr->dead) || sr_pres_pending(sr);
}

/* store_get: from the values this hub has seen (the hub's view of the store). */
static char *
sr_get(struct store *st, const char *key)
{
	const struct sr_val *v = strmap_get(((struct store_redis *)st)->vals, key);

	return v != NULL && v->value != NULL ? xstrdup(v->value) : NULL;
}

/* store_each_event: the export reads a SQLite store only. */
static int
sr_each_event(struct store *st, const char *prefix,
    int (*fn)(void *arg, const struct store_event *ev), void *arg, char **cause)
{
	(void)st;
	(void)prefix;
	(void)fn;
	(void)arg;
	*cause = xstrdup(_("the export reads a --data-dir store, not Redis"));
	return -1;
}

/* Reports the sum of a count over every hub. */
static void
sr_count_report(struct store_redis *sr, const char *name)
{
	if (sr->base.watching && sr->base.watch.count != NULL)
		sr->base.watch.count(sr->base.watch.arg, name, store_u64_get(sr->mine, name) +
		    store_u64_get(sr->others, name));
}

/* store_count: this hub's part; reported with the others' at once, sent soon. */
static void
sr_count(struct store *st, const char *name, uint64_t n)
{
	struct store_redis *sr = (struct store_redis *)st;

	store_u64_set(sr->mine, name, n);
	sr_count_report(sr, name);
	if (sr->count_dirty)
		return;     /* on its way already */
	sr->count_dirty = true;
	if (sr->writer.state == SRC_UP)
		lws_sul_schedule(sr->cx, 0, &sr->sul_count, sr_count_cb,
		    SR_COUNT_SOON_MS * LWS_US_PER_MS);
}

/* The counts script's reply: the others' sums; every count they touch is reported. */
static void
sr_count_reply(redisAsyncContext *ac, void *reply, void *privdata)
{
	struct store_redis *sr = privdata;
	const redisReply *top = reply, *r;
	struct strmap *old;
	const char *name;
	size_t i, pos = 0;

	if (top == NULL || ac != sr->writer.ac)
		return;
	if (top->type != REDIS_REPLY_ARRAY || top->elements != 3 ||
	    top->element[0]->type != REDIS_REPLY_ARRAY) {
		log_warn("store: Redis at %s: the counts: %s", sr->where,
		    top->type == REDIS_REPLY_ERROR ? top->str : "unexpected reply");
		return;
	}
	r = top->element[0];
	sr_pres_live(sr, top->element[1], sr_reply_u64(top->element[2]) != 0);
	old = sr->others;
	sr->others = strmap_create();
	for (i = 0; i + 1 < r->elements; i += 2)
		if (r->element[i]->type == REDIS_REPLY_STRING)
			store_u64_set(sr->others, r->element[i]->str,
			    sr_reply_u64(r->element[i + 1]));
	while (strmap_next(old, &pos, &name) != NULL)
		if (strmap_get(sr->others, name) == NULL)
			sr_count_report(sr, name);
	pos = 0;
	while (strmap_next(sr->others, &pos, &name) != NULL)
		sr_count_report(sr, name);
	store_u64_free(old);
	store_wake(&sr->base);
}

/* Sends this hub's counts (also to refresh them before they expire). */
static void
sr_count_cb(lws_sorted_usec_list_t *sul)
{
	struct store_redis *sr = CF_CONTAINER_OF(sul, struct store_redis, sul_count);
	const char **argv;
	char key[64], pkey[64], ttl[16], **nums;
	size_t n = strmap_count(sr->mine), i = 0, k = 0, pos = 0;
	const char *name;
	const uint64_t *v;

	if (sr->dead)
		return;
	lws_sul_schedule(sr->cx, 0, &sr->sul_count, sr_count_cb,
	    (lws_usec_t)STORE_REDIS_COUNT_MS * LWS_US_PER_MS);
	if (sr->writer.state != SRC_UP)
		return;
	sr->count_dirty = false;
	argv = xcalloc(8 + 2 * n, sizeof *argv);
	nums = xcalloc(n + 1, sizeof *nums);
	snprintf(key, sizeof key, "%s%s", SR_KEY_COUNT, sr->hubid);
	snprintf(pkey, sizeof pkey, "%s%s", SR_KEY_PRES, sr->hubid);
	snprintf(ttl, sizeof ttl, "%d", STORE_REDIS_COUNT_TTL_MS);
	argv[i++] = "EVAL";
	argv[i++] = sr_count_script;
	argv[i++] = "3";
	argv[i++] = key;
	argv[i++] = SR_KEY_HUBS;
	argv[i++] = pkey;
	argv[i++] = sr->hubid;
	argv[i++] = ttl;
	while ((v = strmap_next(sr->mine, &pos, &name)) != NULL) {
		if (*v == 0)
			continue;
		nums[k] = xasprintf("%" PRIu64, *v);
		argv[i++] = name;
		argv[i++] = nums[k++];
	}
	redisAsyncCommandArgv(sr->writer.ac, sr_count_reply, sr, (int)i, argv, NULL);
	while (k > 0)
		free(nums[--k]);
	free(nums);
	free(argv);
}

/* store_available: the writes connection is up. */
static bool
sr_available(const struct store *st, const char **why)
{
	const struct store_redis *sr = (const struct store_redis *)st;

	if (sr->dead) {
		*why = "Redis no longer holds this event";
		return false;
	}
	if (sr->writer.state != SRC_UP) {
		*why = "the hub cannot reach its store (Redis)";
		return false;
	}
	return true;
}

/* store_load: the snapshot over a blocking connection, then the asynchronous ones. */
static int
sr_load(struct store *st, size_t keep, char **cause)
{
	struct store_redis *sr = (struct store_redis *)st;
	redisContext *c;
	int rc;

	sr->keep = keep;
	if ((c = sr_connect_sync(sr, cause)) == NULL)
		return -1;
	rc = sr_load_sync(sr, c, cause);
	redisFree(c);
	if (rc != 0)
		return -1;
	sr_conn_start(&sr->writer);
	sr_conn_start(&sr->reader);
	sr_pres_start(sr);
	lws_sul_schedule(sr->cx, 0, &sr->sul_count, sr_count_cb,
	    (lws_usec_t)STORE_REDIS_COUNT_MS * LWS_US_PER_MS);
	return 0;
}

/* Frees a value of the values map. */
static void
sr_vals_free(struct strmap *m)
{
	struct sr_val *v;
	size_t pos = 0;

	while ((v = strmap_next(m, &pos, NULL)) != NULL) {
		free(v->value);
		free(v);
	}
	strmap_free(m);
}

/* Stops the timers and closes the connections (the writes waiting are left as they are). */
static void
sr_halt(struct store_redis *sr)
{
	sr->dead = true;
	lws_sul_cancel(&sr->sul_expire);
	lws_sul_cancel(&sr->sul_count);
	sr_conn_stop(&sr->writer);
	sr_conn_stop(&sr->reader);
	sr_pres_stop(sr);
}

/* Stops: closes the connections; the writes not yet answered fail (the hub is there). */
void
store_redis_stop(struct store *st)
{
	struct store_redis *sr = (struct store_redis *)st;

	if (st == NULL || st->ops != &sr_ops)
		return;
	sr_halt(sr);
	while (sr->nflight > 0)
		sr_complete(sr, sr_list_shift(sr->flight, &sr->nflight), STORE_FAILED, 0, 0);
	while (sr->nqueue > 0)
		sr_complete(sr, sr_list_shift(sr->queue, &sr->nqueue), STORE_FAILED, 0, 0);
}

/* True when no write waits to be sent or answered. */
bool
store_redis_settled(const struct store *st)
{
	const struct store_redis *sr = (const struct store_redis *)st;

	return st == NULL || st->ops != &sr_ops || (sr->nqueue == 0 && sr->nflight == 0) ||
	    sr->dead || sr->writer.state != SRC_UP;
}

/* Frees the store (after store_redis_stop(), or without a hub left to complete). */
static void
sr_free(struct store *st)
{
	struct store_redis *sr = (struct store_redis *)st;

	sr_halt(sr);
	while (sr->nflight > 0)
		sr_op_free(sr_list_shift(sr->flight, &sr->nflight));
	while (sr->nqueue > 0)
		sr_op_free(sr_list_shift(sr->queue, &sr->nqueue));
	free(sr->queue);
	free(sr->flight);
	store_u64_free(sr->heads);
	sr_vals_free(sr->vals);
	store_u64_free(sr->mine);
	store_u64_free(sr->others);
	sr_pres_free(sr);
	redis_lws_free(sr->rl);
	if (sr->password != NULL)
		explicit_bzero(sr->password, strlen(sr->password));
	free(sr->password);
	free(sr->host);
	free(sr->where);
	free(sr);
}

static const struct store_ops sr_ops = {
	.kind = "redis",
	.durable = true,
	.free = sr_free,
	.load = sr_load,
	.append = sr_append,
	.put = sr_put,
	.del = sr_del,
	.remove = sr_remove,
	.flush = sr_flush,
	.pending = sr_pending,
	.get = sr_get,
	.each_event = sr_each_event,
	.trim = sr_trim,
	.count = sr_count,
	.presence = sr_presence,
	.presence_each = sr_presence_each,
	.available = sr_available,
};

/* Parses redis://HOST[:PORT][/DB]. */
int
store_redis_parse_url(const char *url, char **host, int *port, int *db, char **cause)
{
	const char *p, *hs, *he;
	char *end;
	long v;

	*host = NULL;
	*port = 6379;
	*db = 0;
	if (strncmp(url, "redis://", 8) != 0)
		goto bad;
	p = url + 8;
	if (*p == '[') {
		hs = p + 1;
		if ((he = strchr(hs, ']')) == NULL)
			goto bad;
		p = he + 1;
	} else {
		hs = p;
		while (*p != '\0' && *p != ':' && *p != '/')
			p++;
		he = p;
	}
	if (he == hs || he - hs > 253 || memchr(hs, '@', (size_t)(he - hs)) != NULL)
		goto bad;
	if (*p == ':') {
		errno = 0;
		v = strtol(p + 1, &end, 10);
		if (errno != 0 || end == p + 1 || v < 1 || v > 65535)
			goto bad;
		*port = (int)v;
		p = end;
	}
	if (*p == '/' && p[1] != '\0') {
		errno = 0;
		v = strtol(p + 1, &end, 10);
		if (errno != 0 || end == p + 1 || *end != '\0' || v < 0 || v > 65535)
			goto bad;
		*db = (int)v;
	} else if (*p != '\0' && strcmp(p, "/") != 0)
		goto bad;
	*host = xstrndup(hs, (size_t)(he - hs));
	return 0;
bad:
	*cause = xasprintf(_("bad Redis address \"%s\": expected redis://HOST:PORT or "
	    "redis://HOST:PORT/DB"), url);
	return -1;
}

/* Reads the password: the file's first line (a private file). */
static char *
sr_read_password(const char *path, char **cause)
{
	char *text, *why = NULL, *nl;
	size_t len;

	if ((text = files_read_text(path, SR_PASSWORD_MAX, 1, &len, &why)) == NULL) {
		*cause = xasprintf("%s: %s", path, why);
		free(why);
		return NULL;
	}
	if ((nl = strpbrk(text, "\r\n")) != NULL)
		*nl = '\0';
	if (*text == '\0') {
		*cause = xasprintf(_("%s: no password on its first line"), path);
		free(text);
		return NULL;
	}
	return text;
}

/* Makes or reads the event's epoch. */
static int
sr_epoch(struct store_redis *sr, redisContext *c, char **cause)
{
	char fresh[STORE_EPOCH_HEX + 1];
	redisReply *r;

	cf_random_hex(fresh, STORE_EPOCH_HEX);
	r = redisCommand(c, "SET %s %s NX", SR_KEY_EPOCH, fresh);
	if (r == NULL || r->type == REDIS_REPLY_ERROR) {
		*cause = xasprintf("Redis at %s: %s", sr->where, r != NULL ? r->str : c->errstr);
		freeReplyObject(r);
		return -1;
	}
	if (r->type == REDIS_REPLY_STATUS)
		log_info("store: a new event in Redis at %s (epoch %s)", sr->where, fresh);
	freeReplyObject(r);
	r = redisCommand(c, "GET %s", SR_KEY_EPOCH);
	if (r == NULL || r->type != REDIS_REPLY_STRING || r->len != STORE_EPOCH_HEX ||
	    strspn(r->str, "0123456789abcdef") != STORE_EPOCH_HEX) {
		*cause = xasprintf(_("Redis at %s: %s is not an epoch of confabd: is this "
		    "database used by something else?"), sr->where, SR_KEY_EPOCH);
		freeReplyObject(r);
		return -1;
	}
	memcpy(sr->base.epoch, r->str, STORE_EPOCH_HEX + 1);
	freeReplyObject(r);
	return 0;
}

/* Warns when Redis does not write each change to disk before answering. */
static void
sr_check_durability(struct store_redis *sr, redisContext *c)
{
	redisReply *r = redisCommand(c, "CONFIG GET appendfsync");

	if (r != NULL && r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
	    r->element[1]->type == REDIS_REPLY_STRING &&
	    strcmp(r->element[1]->str, "always") == 0) {
		freeReplyObject(r);
		r = redisCommand(c, "CONFIG GET appendonly");
		if (r != NULL && r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
		    r->element[1]->type == REDIS_REPLY_STRING &&
		    strcmp(r->element[1]->str, "yes") == 0) {
			freeReplyObject(r);
			return;
		}
	}
	freeReplyObject(r);
	log_warn("store: Redis at %s does not write every change to disk before answering "
	    "(it wants appendonly yes and appendfsync always): if it crashes, lines already "
	    "acknowledged can be lost", sr->where);
}

/* Connects to Redis and reads the epoch. */
struct store *
store_redis_open(const struct store_redis_config *cfg, char **cause)
{
	struct store_redis *sr = xcalloc(1, sizeof *sr);
	redisContext *c;

	sr->base.ops = &sr_ops;
	sr->cx = cfg->cx;
	sr->lost = cfg->lost;
	sr->lost_arg = cfg->lost_arg;
	sr->heads = strmap_create();
	sr->vals = strmap_create();
	sr->mine = strmap_create();
	sr->others = strmap_create();
	cf_random_hex(sr->hubid, SR_HUBID_HEX);
	sr_conn_init(&sr->writer, sr, "writes", sr_writer_up, sr_writer_down);
	sr_conn_init(&sr->reader, sr, "feed", sr_feed_up, sr_reader_down);
	sr_pres_init(sr);
	if (store_redis_parse_url(cfg->url, &sr->host, &sr->port, &sr->db, cause) != 0)
		goto fail;
	sr->where = xasprintf("redis://%s%s%s:%d/%d", strchr(sr->host, ':') ? "[" : "",
	    sr->host, strchr(sr->host, ':') ? "]" : "", sr->port, sr->db);
	if (cfg->password_file != NULL &&
	    (sr->password = sr_read_password(cfg->password_file, cause)) == NULL)
		goto fail;
	if ((sr->rl = redis_lws_create(cfg->cx, cause)) == NULL)
		goto fail;
	if ((c = sr_connect_sync(sr, cause)) == NULL)
		goto fail;
	if (sr_epoch(sr, c, cause) != 0) {
		redisFree(c);
		goto fail;
	}
	sr_check_durability(sr, c);
	redisFree(c);
	return &sr->base;
fail:
	sr_free(&sr->base);
	return NULL;
}
