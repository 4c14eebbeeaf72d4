/* store_redis_feed.c: how a hub learns the state from Redis: the snapshot (at start-up,
 * and again after a gap in the feed), and the feed itself.
 *
 * Snapshot: MULTI {GET rev, HGETALL val, HGETALL ver, HGETALL heads} EXEC gives the values
 * and the streams' heads as of change rev, consistently; then each stream that has events
 * this hub lacks is read (the last `keep` of them at most, XRANGE by seq). Values come
 * first (a room before its events), each value only when newer than what the hub has; a
 * key the hub has and the snapshot lacks was deleted. Events newer than the snapshot's
 * head are left to the feed, which is read from rev on.
 *
 * Feed: XREAD BLOCK 0 from the last entry applied (ids are "<rev>-0", one per change,
 * without holes), on a connection of its own. Each entry is applied as the watch expects
 * it; one this hub reported already (its own write, answered first) is skipped. When the
 * first entry read is not the next one, entries were trimmed while the hub was away (the
 * feed keeps about SR_FEED_MAX): the hub takes a snapshot again instead. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/store_redis_int.h"
#include "util/log.h"
#include "util/xalloc.h"

/* One stream whose events the snapshot reads. */
struct sr_range {
	char *stream;
	uint64_t from, to;
};

/* The streams a snapshot reads, and its change number. */
struct sr_plan {
	struct sr_range *v;
	size_t n, next;
	uint64_t rev;
};

static void sr_feed_read(struct store_redis *sr);

/* A reply element as an unsigned number. */
uint64_t
sr_reply_u64(const redisReply *r)
{
	if (r == NULL)
		return 0;
	if (r->type == REDIS_REPLY_INTEGER)
		return r->integer > 0 ? (uint64_t)r->integer : 0;
	if (r->type == REDIS_REPLY_STRING)
		return strtoull(r->str, NULL, 10);
	return 0;
}

/* "<n>-0" as n. */
uint64_t
sr_id_num(const char *id)
{
	return id != NULL ? strtoull(id, NULL, 10) : 0;
}

/* The string of field name in a flat field/value array, or NULL (*len its length). */
static const char *
sr_field(const redisReply *f, const char *name, size_t *len)
{
	size_t i;

	for (i = 0; f != NULL && i + 1 < f->elements; i += 2) {
		if (f->element[i]->type == REDIS_REPLY_STRING &&
		    strcmp(f->element[i]->str, name) == 0 &&
		    f->element[i + 1]->type == REDIS_REPLY_STRING) {
			if (len != NULL)
				*len = f->element[i + 1]->len;
			return f->element[i + 1]->str;
		}
	}
	return NULL;
}

/* Frees a plan. */
static void
sr_plan_clear(struct sr_plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->v[i].stream);
	free(p->v);
	memset(p, 0, sizeof *p);
}

/* The values of an EXEC reply [rev, val, ver, heads]: each reported when newer; a key
 * this hub has that is gone is reported deleted. Then the plan of the streams to read.
 * Returns -1 when the reply is not one. */
static int
sr_snap_values(struct store_redis *sr, const redisReply *x, struct sr_plan *plan)
{
	const redisReply *val, *ver, *heads;
	struct strmap *vers, *present;
	const struct sr_val *v;
	const char *key;
	uint64_t h, local, from;
	size_t i, pos = 0;
	char **keys = NULL;
	size_t nkeys = 0;

	memset(plan, 0, sizeof *plan);
	if (x == NULL || x->type != REDIS_REPLY_ARRAY || x->elements != 4)
		return -1;
	val = x->element[1];
	ver = x->element[2];
	heads = x->element[3];
	if (val->type != REDIS_REPLY_ARRAY || ver->type != REDIS_REPLY_ARRAY ||
	    heads->type != REDIS_REPLY_ARRAY)
		return -1;
	plan->rev = sr_reply_u64(x->element[0]);
	vers = strmap_create();
	for (i = 0; i + 1 < ver->elements; i += 2)
		strmap_put(vers, ver->element[i]->str, ver->element[i + 1]);
	present = strmap_create();
	for (i = 0; i + 1 < val->elements; i += 2) {
		key = val->element[i]->str;
		strmap_put(present, key, (void *)1);
		sr_report_value(sr, key, val->element[i + 1]->str,
		    sr_reply_u64(strmap_get(vers, key)));
	}
	/* deleted while this hub was away (collected first: reporting changes the map) */
	while ((v = strmap_next(sr->vals, &pos, &key)) != NULL) {
		if (v->value != NULL && strmap_get(present, key) == NULL &&
		    sr_reply_u64(strmap_get(vers, key)) > v->rev) {
			keys = xreallocarray(keys, nkeys + 1, sizeof *keys);
			keys[nkeys++] = xstrdup(key);
		}
	}
	for (i = 0; i < nkeys; i++) {
		sr_report_value(sr, keys[i], NULL, sr_reply_u64(strmap_get(vers, keys[i])));
		free(keys[i]);
	}
	free(keys);
	strmap_free(present);
	strmap_free(vers);
	plan->v = xcalloc(heads->elements / 2 + 1, sizeof *plan->v);
	for (i = 0; i + 1 < heads->elements; i += 2) {
		h = sr_reply_u64(heads->element[i + 1]);
		local = sr_head(sr, heads->element[i]->str);
		if (h <= local)
			continue;
		from = local + 1;
		if (h >= sr->keep && h - sr->keep + 1 > from)
			from = h - sr->keep + 1;
		plan->v[plan->n].stream = xstrdup(heads->element[i]->str);
		plan->v[plan->n].from = from;
		plan->v[plan->n].to = h;
		plan->n++;
	}
	return 0;
}

/* The events of one stream of the plan (an XRANGE reply), reported in order; the
 * stream's head is the snapshot's even when its last events were removed. */
static void
sr_snap_events(struct store_redis *sr, const struct sr_range *rg, const redisReply *r,
    bool loading)
{
	struct store *st = &sr->base;
	struct store_event ev;
	const redisReply *e;
	const char *s;
	size_t i;

	if (loading && st->watch.head != NULL)
		st->watch.head(st->watch.arg, rg->stream, rg->to);
	for (i = 0; r != NULL && r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
		e = r->element[i];
		if (e->type != REDIS_REPLY_ARRAY || e->elements != 2)
			continue;
		memset(&ev, 0, sizeof ev);
		ev.stream = rg->stream;
		ev.seq = sr_id_num(e->element[0]->str);
		if (ev.seq == 0 || ev.seq > rg->to ||
		    (ev.data = sr_field(e->element[1], "d", &ev.len)) == NULL)
			continue;
		s = sr_field(e->element[1], "t", NULL);
		ev.ts = s != NULL ? strtoll(s, NULL, 10) : 0;
		ev.cid = sr_field(e->element[1], "c", NULL);
		if (ev.cid != NULL && *ev.cid == '\0')
			ev.cid = NULL;
		sr_report_event(sr, &ev);
	}
	if (sr_head(sr, rg->stream) < rg->to) {
		sr_set_head(sr, rg->stream, rg->to);
		if (!loading && st->watching && st->watch.head != NULL)
			st->watch.head(st->watch.arg, rg->stream, rg->to);
	}
}

/* Sends MULTI..EXEC of the snapshot on a blocking connection (appended, not read). */
static void
sr_snap_append_sync(redisContext *c)
{
	redisAppendCommand(c, "MULTI");
	redisAppendCommand(c, "GET %s", SR_KEY_REV);
	redisAppendCommand(c, "HGETALL %s", SR_KEY_VAL);
	redisAppendCommand(c, "HGETALL %s", SR_KEY_VER);
	redisAppendCommand(c, "HGETALL %s", SR_KEY_HEADS);
	redisAppendCommand(c, "EXEC");
}

/* store_load: the snapshot, read with blocking calls. */
int
sr_load_sync(struct store_redis *sr, redisContext *c, char **cause)
{
	struct sr_plan plan;
	redisReply *r = NULL;
	void *rp;
	size_t i;
	int k;

	sr_snap_append_sync(c);
	for (k = 0; k < 6; k++) {
		freeReplyObject(r);
		r = NULL;
		if (redisGetReply(c, &rp) != REDIS_OK) {
			*cause = xasprintf("Redis at %s: reading the state: %s", sr->where,
			    c->errstr);
			return -1;
		}
		r = rp;
		if (r->type == REDIS_REPLY_ERROR) {
			*cause = xasprintf("Redis at %s: reading the state: %s", sr->where, r->str);
			freeReplyObject(r);
			return -1;
		}
	}
	if (sr_snap_values(sr, r, &plan) != 0) {
		*cause = xasprintf("Redis at %s: the state could not be read", sr->where);
		freeReplyObject(r);
		return -1;
	}
	freeReplyObject(r);
	for (i = 0; i < plan.n; i++)
		redisAppendCommand(c, "XRANGE %s%s %" PRIu64 "-0 %" PRIu64 "-0", SR_KEY_STREAM,
		    plan.v[i].stream, plan.v[i].from, plan.v[i].to);
	for (i = 0; i < plan.n; i++) {
		if (redisGetReply(c, &rp) != REDIS_OK) {
			*cause = xasprintf("Redis at %s: reading the chat: %s", sr->where,
			    c->errstr);
			sr_plan_clear(&plan);
			return -1;
		}
		sr_snap_events(sr, &plan.v[i], rp, true);
		freeReplyObject(rp);
	}
	sr->feed = plan.rev;
	log_info("store: loaded the event from Redis at %s (change %" PRIu64 ", %zu streams)",
	    sr->where, plan.rev, plan.n);
	sr_plan_clear(&plan);
	return 0;
}

/* Asynchronous snapshot: one stream's events. */
static void
sr_resync_range_cb(redisAsyncContext *ac, void *reply, void *privdata)
{
	struct sr_plan *plan = privdata;
	struct store_redis *sr = ac->data != NULL ? ((struct sr_conn *)ac->data)->sr : NULL;

	if (sr == NULL || reply == NULL || ac != sr->reader.ac) {
		/* the link went: the snapshot is read again when it is back */
		if (++plan->next == plan->n) {
			sr_plan_clear(plan);
			free(plan);
		}
		return;
	}
	sr_snap_events(sr, &plan->v[plan->next], reply, false);
	if (++plan->next < plan->n)
		return;
	sr->feed = plan->rev > sr->feed ? plan->rev : sr->feed;
	sr->resyncing = false;
	log_info("store: caught up with Redis at %s from a snapshot (change %" PRIu64 ")",
	    sr->where, plan->rev);
	sr_plan_clear(plan);
	free(plan);
	store_wake(&sr->base);
	sr_feed_read(sr);
}

/* Asynchronous snapshot: the values, then the streams. */
static void
sr_resync_exec_cb(redisAsyncContext *ac, void *reply, void *privdata)
{
	struct store_redis *sr = privdata;
	struct sr_plan *plan;
	size_t i;

	if (reply == NULL || ac != sr->reader.ac)
		return;
	plan = xcalloc(1, sizeof *plan);
	if (sr_snap_values(sr, reply, plan) != 0) {
		free(plan);
		sr_conn_drop(&sr->reader, "the snapshot could not be read");
		return;
	}
	if (plan->n == 0) {
		sr->feed = plan->rev > sr->feed ? plan->rev : sr->feed;
		sr->resyncing = false;
		sr_plan_clear(plan);
		free(plan);
		store_wake(&sr->base);
		sr_feed_read(sr);
		return;
	}
	for (i = 0; i < plan->n; i++)
		redisAsyncCommand(ac, sr_resync_range_cb, plan, "XRANGE %s%s %" PRIu64 "-0 %"
		    PRIu64 "-0", SR_KEY_STREAM, plan->v[i].stream, plan->v[i].from,
		    plan->v[i].to);
	store_wake(&sr->base);
}

/* Replies inside MULTI: nothing to do. */
static void
sr_ignore_cb(redisAsyncContext *ac, void *reply, void *privdata)
{
	(void)ac;
	(void)reply;
	(void)privdata;
}

/* Takes a snapshot again (the feed has a gap for this hub). */
static void
sr_resync(struct store_redis *sr)
{
	redisAsyncContext *ac = sr->reader.ac;

	sr->resyncing = true;
	redisAsyncCommand(ac, sr_ignore_cb, NULL, "MULTI");
	redisAsyncCommand(ac, sr_ignore_cb, NULL, "GET %s", SR_KEY_REV);
	redisAsyncCommand(ac, sr_ignore_cb, NULL, "HGETALL %s", SR_KEY_VAL);
	redisAsyncCommand(ac, sr_ignore_cb, NULL, "HGETALL %s", SR_KEY_VER);
	redisAsyncCommand(ac, sr_ignore_cb, NULL, "HGETALL %s", SR_KEY_HEADS);
	redisAsyncCommand(ac, sr_resync_exec_cb, sr, "EXEC");
}

/* Applies one feed entry of change rev. */
static void
sr_feed_apply(struct store_redis *sr, uint64_t rev, const redisReply *f)
{
	struct store *st = &sr->base;
	struct store_event ev;
	const char *k = sr_field(f, "k", NULL), *n = sr_field(f, "n", NULL), *s;

	if (k == NULL || n == NULL)
		return;
	switch (*k) {
	case 'e':
		memset(&ev, 0, sizeof ev);
		ev.stream = n;
		ev.seq = sr_id_num(sr_field(f, "s", NULL));
		if ((ev.data = sr_field(f, "d", &ev.len)) == NULL || ev.seq == 0)
			return;
		s = sr_field(f, "t", NULL);
		ev.ts = s != NULL ? strtoll(s, NULL, 10) : 0;
		ev.cid = sr_field(f, "c", NULL);
		if (ev.cid != NULL && *ev.cid == '\0')
			ev.cid = NULL;
		sr_report_event(sr, &ev);
		break;
	case 'v':
		if ((s = sr_field(f, "d", NULL)) != NULL)
			sr_report_value(sr, n, s, rev);
		break;
	case 'd':
		sr_report_value(sr, n, NULL, rev);
		break;
	case 'r':
		if (st->watching && st->watch.removed != NULL)
			st->watch.removed(st->watch.arg, n, sr_id_num(sr_field(f, "s", NULL)));
		break;
	default:
		break;
	}
}

/* An XREAD reply: the entries after the last applied, or nil (none yet). */
static void
sr_feed_cb(redisAsyncContext *ac, void *reply, void *privdata)
{
	struct store_redis *sr = privdata;
	const redisReply *r = reply, *entries, *e;
	uint64_t rev;
	size_t i;

	if (r == NULL || ac != sr->reader.ac || sr->dead)
		return;
	if (r->type == REDIS_REPLY_ERROR) {
		sr_conn_drop(&sr->reader, r->str);
		return;
	}
	if (r->type != REDIS_REPLY_ARRAY || r->elements == 0 ||
	    r->element[0]->type != REDIS_REPLY_ARRAY || r->element[0]->elements != 2) {
		sr_feed_read(sr);
		return;
	}
	entries = r->element[0]->element[1];
	for (i = 0; i < entries->elements; i++) {
		e = entries->element[i];
		if (e->type != REDIS_REPLY_ARRAY || e->elements != 2)
			continue;
		rev = sr_id_num(e->element[0]->str);
		if (rev <= sr->feed)
			continue;
		if (rev != sr->feed + 1) {
			log_warn("store: the feed of Redis at %s no longer has changes %" PRIu64
			    "..%" PRIu64 ": reading a snapshot", sr->where, sr->feed + 1, rev - 1);
			store_wake(&sr->base);
			sr_resync(sr);
			return;
		}
		sr_feed_apply(sr, rev, e->element[1]);
		sr->feed = rev;
		if (sr->dead)
			return;
	}
	store_wake(&sr->base);
	sr_feed_read(sr);
}

/* Waits for the next entries of the feed. */
static void
sr_feed_read(struct store_redis *sr)
{
	char id[32];

	if (sr->reader.ac == NULL || sr->dead)
		return;
	snprintf(id, sizeof id, "%" PRIu64 "-0", sr->feed);
	redisAsyncCommand(sr->reader.ac, sr_feed_cb, sr, "XREAD COUNT %d BLOCK 0 STREAMS %s %s",
	    SR_READ_COUNT, SR_KEY_FEED, id);
}

/* The feed connection is up: a snapshot first if one was being read, else the feed. */
void
sr_feed_up(struct sr_conn *c)
{
	struct store_redis *sr = c->sr;

	if (sr->resyncing)
		sr_resync(sr);
	else
		sr_feed_read(sr);
}
