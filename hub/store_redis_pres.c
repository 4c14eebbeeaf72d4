/* store_redis_pres.c: the members of every hub (store_presence(), doc/MULTIHUB.md
 * "Presence across hubs").
 *
 * Each hub keeps its own members in a hash confab:pres:<hub> (field "room\nname" ->
 * info, and field "." -> the number of its last batch), which expires with the hub as
 * its counts do (the counts script refreshes it every 2 s). The changes of one pass go
 * at store_flush() as one script call that updates the hash and PUBLISHes them, with
 * their events, on confab:presence: [hub, serial, [[room, name, info, event], ...]], or
 * [hub, serial, null] when the hub wrote its whole set again (after an outage).
 *
 * Each hub reads the channel on a connection of its own; when it (re)subscribes, it reads
 * every live hub's hash (on the writes connection), so it starts from the others' whole
 * state; a message whose serial is not the next of its hub (one was missed) or that
 * says "whole set" has that hub's hash read again. A hash read is applied only when its
 * serial is not behind what the hub has applied of that hub, so a read and a message
 * that cross each other cannot bring back an old state. The live hubs come with the
 * counts' reply: a hub gone from there, and not heard from for the counts' lifetime,
 * is dropped, and its members leave. */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/store_redis_int.h"
#include "util/log.h"
#include "util/xalloc.h"

/* The batch script. KEYS: this hub's set, the hubs' refresh times. ARGV: hub id, the
 * set's lifetime (ms), serial, "1" to replace the whole set, the message to publish,
 * the number of fields set, then field, info pairs, then the fields deleted. HSET and
 * HDEL take 1,000 arguments at a time (unpack's limit is about 8,000). */
static const char sr_pres_script[] =
	SR_LUA_NOW
	"if ARGV[4] == '1' then redis.call('DEL', KEYS[1]) end\n"
	"local function each(cmd, from, to)\n"
	"  while from <= to do\n"
	"    local e = math.min(from + 999, to)\n"
	"    redis.call(cmd, KEYS[1], unpack(ARGV, from, e))\n"
	"    from = e + 1\n"
	"  end\n"
	"end\n"
	"local n = tonumber(ARGV[6])\n"
	"each('HSET', 7, 6 + 2 * n)\n"
	"each('HDEL', 7 + 2 * n, #ARGV)\n"
	"redis.call('HSET', KEYS[1], '.', ARGV[3])\n"
	"redis.call('PEXPIRE', KEYS[1], ARGV[2])\n"
	"redis.call('ZADD', KEYS[2], now, ARGV[1])\n"
	"redis.call('PUBLISH', '" SR_CHAN_PRES "', ARGV[5])\n"
	"return 1\n";

/* The read script. KEYS: the hubs' refresh times. ARGV: this hub's id, the lifetime
 * (ms), and a hub id to read only that one. Returns hub, its set (HGETALL) pairs for
 * every live hub but this one. */
static const char sr_pres_read_script[] =
	SR_LUA_NOW
	"local hubs = {ARGV[3]}\n"
	"if not ARGV[3] then\n"
	"  hubs = redis.call('ZRANGEBYSCORE', KEYS[1], now - tonumber(ARGV[2]), '+inf')\n"
	"end\n"
	"local out = {}\n"
	"for _, h in ipairs(hubs) do\n"
	"  if h ~= ARGV[1] then\n"
	"    out[#out + 1] = h\n"
	"    out[#out + 1] = redis.call('HGETALL', '" SR_KEY_PRES "' .. h)\n"
	"  end\n"
	"end\n"
	"return out\n";

/* A change of the union reported to the watch, with the event of the message. */
struct sr_pres_ctx {
	struct store_redis *sr;
	const char *event;
	bool told;
};

static void sr_pres_read(struct store_redis *sr, const char *hub);

/* Sets up the presence part of sr. */
void
sr_pres_init(struct store_redis *sr)
{
	sr->pres = store_pres_create();
	sr->pres_mine = strmap_create();
	sr_conn_init(&sr->sub, sr, "presence", NULL, NULL);
}

/* Frees one pending change. */
static void
sr_pres_rec_clear(struct sr_pres_rec *r)
{
	free(r->field);
	free(r->info);
	free(r->event);
}

/* Drops the pending changes. */
static void
sr_pres_recs_clear(struct store_redis *sr)
{
	while (sr->nprec > 0)
		sr_pres_rec_clear(&sr->prec[--sr->nprec]);
}

/* Closes the subscription for good. */
void
sr_pres_stop(struct store_redis *sr)
{
	sr_conn_stop(&sr->sub);
}

/* Frees the presence part. */
void
sr_pres_free(struct store_redis *sr)
{
	size_t pos = 0;
	char *info;

	sr_pres_recs_clear(sr);
	free(sr->prec);
	if (sr->pres_mine != NULL) {
		while ((info = strmap_next(sr->pres_mine, &pos, NULL)) != NULL)
			free(info);
		strmap_free(sr->pres_mine);
	}
	store_pres_free(sr->pres);
}

/* Monotonic ms. */
static int64_t
sr_pres_now(void)
{
	return (int64_t)(store_now_us() / 1000);
}

/* store_pres_fn: a change of the union goes to the watch, with the message's event. */
static void
sr_pres_report(void *arg, const char *room, const char *name, const char *info,
    bool arrived)
{
	struct sr_pres_ctx *ctx = arg;
	struct store *st = &ctx->sr->base;

	ctx->told = true;
	if (st->watching && st->watch.presence != NULL)
		st->watch.presence(st->watch.arg, room, name, info, ctx->event, arrived);
}

/* store_presence: this hub's member, sent at the next flush. */
void
sr_presence(struct store *st, const char *room, const char *name, const char *info,
    const char *event)
{
	struct store_redis *sr = (struct store_redis *)st;
	struct sr_pres_rec *r;
	char *field = store_pres_field(room, name);

	if (info != NULL)
		free(strmap_put(sr->pres_mine, field, xstrdup(info)));
	else
		free(strmap_del(sr->pres_mine, field));
	if (sr->writer.state != SRC_UP) {
		/* the whole set goes when Redis is back; the event is not kept (as on one
		 * hub, presence events are not replayed), so nothing piles up meanwhile */
		sr->pres_full = true;
		free(field);
		return;
	}
	if (sr->nprec == sr->capprec) {
		sr->capprec = sr->capprec ? sr->capprec * 2 : 64;
		sr->prec = xreallocarray(sr->prec, sr->capprec, sizeof *sr->prec);
	}
	r = &sr->prec[sr->nprec++];
	r->field = field;
	r->info = info != NULL ? xstrdup(info) : NULL;
	r->event = event != NULL ? xstrdup(event) : NULL;
}

/* store_presence_each: the other hubs' members of room. */
void
sr_presence_each(struct store *st, const char *room,
    void (*fn)(void *arg, const char *name, const char *info), void *arg)
{
	store_pres_each(((struct store_redis *)st)->pres, room, fn, arg);
}

/* True when changes wait and can go. */
bool
sr_pres_pending(const struct store_redis *sr)
{
	return (sr->nprec > 0 || sr->pres_full) && sr->writer.state == SRC_UP && !sr->dead;
}

/* The message of a batch: [hub, serial, records or null] (a new string). */
static char *
sr_pres_message(const struct store_redis *sr, bool full)
{
	json_t *recs = full ? json_null() : json_array(), *rec, *msg;
	char *room, *name, *text;
	size_t i;

	for (i = 0; !full && i < sr->nprec; i++) {
		room = xstrdup(sr->prec[i].field);
		if (store_pres_split(room, &name) == 0) {
			rec = json_pack("[ssoo]", room, name, sr->prec[i].info != NULL ?
			    json_string(sr->prec[i].info) : json_null(),
			    sr->prec[i].event != NULL ? json_string(sr->prec[i].event) :
			    json_null());
			if (rec != NULL)
				json_array_append_new(recs, rec);
		}
		free(room);
	}
	msg = json_pack("[sIo]", sr->hubid, (json_int_t)sr->pres_serial, recs);
	text = msg != NULL ? json_dumps(msg, JSON_COMPACT) : NULL;
	json_decref(msg);
	return text != NULL ? text : xstrdup("[]");
}

/* The batch script's reply (nothing to do but note a failure). */
static void
sr_pres_sent_cb(redisAsyncContext *ac, void *reply, void *privdata)
{
	struct store_redis *sr = privdata;
	const redisReply *r = reply;

	if (r != NULL && ac == sr->writer.ac && r->type == REDIS_REPLY_ERROR)
		log_warn("store: Redis at %s: the members: %s", sr->where, r->str);
}

/* Sends the pending changes (or the whole set) as one script call. */
void
sr_pres_flush(struct store_redis *sr)
{
	struct strmap *last;
	const char **argv, *field, *info;
	size_t n, i, k = 0, nset = 0, pos = 0;
	char key[64], ttl[16], serial[24], nbuf[24], *msg;
	bool full = sr->pres_full;

	if (!sr_pres_pending(sr))
		return;
	sr->pres_serial++;
	msg = sr_pres_message(sr, full);
	last = strmap_create();
	n = full ? strmap_count(sr->pres_mine) : sr->nprec;
	argv = xcalloc(11 + 2 * n, sizeof *argv);
	snprintf(key, sizeof key, "%s%s", SR_KEY_PRES, sr->hubid);
	snprintf(ttl, sizeof ttl, "%d", STORE_REDIS_COUNT_TTL_MS);
	snprintf(serial, sizeof serial, "%" PRIu64, sr->pres_serial);
	argv[k++] = "EVAL";
	argv[k++] = sr_pres_script;
	argv[k++] = "2";
	argv[k++] = key;
	argv[k++] = SR_KEY_HUBS;
	argv[k++] = sr->hubid;
	argv[k++] = ttl;
	argv[k++] = serial;
	argv[k++] = full ? "1" : "0";
	argv[k++] = msg;
	argv[k++] = nbuf;
	if (full) {
		while ((info = strmap_next(sr->pres_mine, &pos, &field)) != NULL) {
			argv[k++] = field;
			argv[k++] = info;
			nset++;
		}
	} else {
		/* each field's last state: set ones first, then the deleted ones */
		for (i = 0; i < sr->nprec; i++)
			strmap_put(last, sr->prec[i].field, &sr->prec[i]);
		for (i = 0; i < sr->nprec; i++) {
			if (strmap_get(last, sr->prec[i].field) != &sr->prec[i] ||
			    sr->prec[i].info == NULL)
				continue;
			argv[k++] = sr->prec[i].field;
			argv[k++] = sr->prec[i].info;
			nset++;
		}
		for (i = 0; i < sr->nprec; i++)
			if (strmap_get(last, sr->prec[i].field) == &sr->prec[i] &&
			    sr->prec[i].info == NULL)
				argv[k++] = sr->prec[i].field;
	}
	snprintf(nbuf, sizeof nbuf, "%zu", nset);
	redisAsyncCommandArgv(sr->writer.ac, sr_pres_sent_cb, sr, (int)k, argv, NULL);
	sr->pres_full = false;
	sr_pres_recs_clear(sr);
	strmap_free(last);
	free(argv);
	free(msg);
}

/* Applies one hub's set as read (pairs of field, info; "." the serial). */
static void
sr_pres_apply_set(struct store_redis *sr, const char *hub, const redisReply *set)
{
	struct sr_pres_ctx ctx = { sr, NULL, false };
	const char **fields, **infos;
	uint64_t serial = 0;
	size_t i, n = 0;

	if (set == NULL || set->type != REDIS_REPLY_ARRAY)
		return;
	fields = xcalloc(set->elements / 2 + 1, sizeof *fields);
	infos = xcalloc(set->elements / 2 + 1, sizeof *infos);
	for (i = 0; i + 1 < set->elements; i += 2) {
		if (set->element[i]->type != REDIS_REPLY_STRING ||
		    set->element[i + 1]->type != REDIS_REPLY_STRING)
			continue;
		if (strcmp(set->element[i]->str, ".") == 0)
			serial = sr_reply_u64(set->element[i + 1]);
		else {
			fields[n] = set->element[i]->str;
			infos[n++] = set->element[i + 1]->str;
		}
	}
	/* a read behind what this hub has applied of that hub is old news */
	if (serial >= store_pres_serial(sr->pres, hub)) {
		store_pres_replace(sr->pres, hub, fields, infos, n, sr_pres_report, &ctx);
		store_pres_heard(sr->pres, hub, serial, sr_pres_now());
	}
	free(fields);
	free(infos);
}

/* The read script's reply; all: every live hub was read (the others stopped). */
static void
sr_pres_read_reply(struct store_redis *sr, const redisReply *r, bool all)
{
	struct sr_pres_ctx ctx = { sr, NULL, false };
	const char **live;
	size_t i, n = 0;

	if (r->type != REDIS_REPLY_ARRAY) {
		log_warn("store: Redis at %s: reading the members: %s", sr->where,
		    r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply");
		return;
	}
	live = xcalloc(r->elements / 2 + 1, sizeof *live);
	for (i = 0; i + 1 < r->elements; i += 2) {
		if (r->element[i]->type != REDIS_REPLY_STRING)
			continue;
		live[n++] = r->element[i]->str;
		sr_pres_apply_set(sr, r->element[i]->str, r->element[i + 1]);
	}
	if (all)
		store_pres_prune(sr->pres, live, n, sr_pres_now(), STORE_REDIS_COUNT_TTL_MS,
		    sr_pres_report, &ctx);
	free(live);
	store_wake(&sr->base);
}

/* Reply of a read of every hub. */
static void
sr_pres_read_all_cb(redisAsyncContext *ac, void *reply, void *privdata)
{
	struct store_redis *sr = privdata;

	if (reply != NULL && ac == sr->writer.ac && !sr->dead)
		sr_pres_read_reply(sr, reply, true);
}

/* Reply of a read of one hub. */
static void
sr_pres_read_one_cb(redisAsyncContext *ac, void *reply, void *privdata)
{
	struct store_redis *sr = privdata;

	if (reply != NULL && ac == sr->writer.ac && !sr->dead)
		sr_pres_read_reply(sr, reply, false);
}

/* Reads one hub's set (hub) or every live hub's (NULL), on the writes connection; when
 * that is down, every hub's is read once it is back. */
static void
sr_pres_read(struct store_redis *sr, const char *hub)
{
	char ttl[16];

	if (sr->writer.state != SRC_UP) {
		sr->pres_read_due = true;
		return;
	}
	snprintf(ttl, sizeof ttl, "%d", STORE_REDIS_COUNT_TTL_MS);
	if (hub != NULL)
		redisAsyncCommand(sr->writer.ac, sr_pres_read_one_cb, sr, "EVAL %s 1 %s %s %s %s",
		    sr_pres_read_script, SR_KEY_HUBS, sr->hubid, ttl, hub);
	else
		redisAsyncCommand(sr->writer.ac, sr_pres_read_all_cb, sr, "EVAL %s 1 %s %s %s",
		    sr_pres_read_script, SR_KEY_HUBS, sr->hubid, ttl);
}

/* Applies a message of another hub. */
static void
sr_pres_apply_message(struct store_redis *sr, const char *text, size_t len)
{
	json_t *msg = json_loadb(text, len, 0, NULL), *recs, *rec;
	struct sr_pres_ctx ctx = { sr, NULL, false };
	const char *hub, *room, *name, *info, *event;
	json_int_t serial;
	uint64_t known;
	size_t i;

	if (msg == NULL || json_unpack(msg, "[sIo]", &hub, &serial, &recs) != 0 ||
	    serial <= 0 || strcmp(hub, sr->hubid) == 0)
		goto out;
	known = store_pres_serial(sr->pres, hub);
	if ((uint64_t)serial <= known)
		goto out;        /* a read had it already */
	if (!json_is_array(recs) || (uint64_t)serial != known + 1)
		sr_pres_read(sr, hub);    /* a whole set, or one missed: read it */
	if (!json_is_array(recs))
		goto out;
	json_array_foreach(recs, i, rec) {
		room = json_string_value(json_array_get(rec, 0));
		name = json_string_value(json_array_get(rec, 1));
		info = json_string_value(json_array_get(rec, 2));     /* NULL: null */
		event = json_string_value(json_array_get(rec, 3));
		if (room == NULL || name == NULL)
			continue;
		ctx.event = event;
		ctx.told = false;
		store_pres_set(sr->pres, hub, room, name, info, sr_pres_report, &ctx);
		if (event != NULL && !ctx.told)
			sr_pres_report(&ctx, room, name, store_pres_info(sr->pres, room, name),
			    false);
	}
	store_pres_heard(sr->pres, hub, (uint64_t)serial, sr_pres_now());
	store_wake(&sr->base);
out:
	json_decref(msg);
}

/* The subscription's replies: its confirmation (then every hub's set is read: what
 * was missed while not subscribed), then the messages. */
static void
sr_pres_sub_cb(redisAsyncContext *ac, void *reply, void *privdata)
{
	struct store_redis *sr = privdata;
	const redisReply *r = reply;

	if (r == NULL || ac != sr->sub.ac || sr->dead || r->type != REDIS_REPLY_ARRAY ||
	    r->elements != 3 || r->element[0]->type != REDIS_REPLY_STRING)
		return;
	if (strcmp(r->element[0]->str, "subscribe") == 0)
		sr_pres_read(sr, NULL);
	else if (strcmp(r->element[0]->str, "message") == 0 &&
	    r->element[2]->type == REDIS_REPLY_STRING)
		sr_pres_apply_message(sr, r->element[2]->str, r->element[2]->len);
}

/* The subscription's connection is up: subscribe. */
static void
sr_pres_sub_up(struct sr_conn *c)
{
	redisAsyncCommand(c->ac, sr_pres_sub_cb, c->sr, "SUBSCRIBE %s", SR_CHAN_PRES);
}

/* Connects the subscription. */
void
sr_pres_start(struct store_redis *sr)
{
	sr->sub.up = sr_pres_sub_up;
	sr_conn_start(&sr->sub);
}

/* The writes connection is up: this hub's whole set goes again (it may have expired
 * during the outage), and a read that waited is made. */
void
sr_pres_writer_up(struct store_redis *sr)
{
	sr->pres_full = true;
	sr_pres_recs_clear(sr);
	if (sr->pres_read_due) {
		sr->pres_read_due = false;
		sr_pres_read(sr, NULL);
	}
	store_wake(&sr->base);
}

/* The live hubs, from the counts' reply: the others stopped. */
void
sr_pres_live(struct store_redis *sr, const redisReply *hubs, bool alive)
{
	struct sr_pres_ctx ctx = { sr, NULL, false };
	const char **live;
	size_t i, n = 0;

	if (!alive && strmap_count(sr->pres_mine) > 0 && !sr->pres_full) {
		sr->pres_full = true;
		store_wake(&sr->base);
	}
	if (hubs == NULL || hubs->type != REDIS_REPLY_ARRAY)
		return;
	live = xcalloc(hubs->elements + 1, sizeof *live);
	for (i = 0; i < hubs->elements; i++)
		if (hubs->element[i]->type == REDIS_REPLY_STRING)
			live[n++] = hubs->element[i]->str;
	store_pres_prune(sr->pres, live, n, sr_pres_now(), STORE_REDIS_COUNT_TTL_MS,
	    sr_pres_report, &ctx);
	free(live);
}
