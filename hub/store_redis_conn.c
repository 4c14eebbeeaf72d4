/* store_redis_conn.c: one asynchronous connection of the Redis store: connect, give the
 * password, select the database, load the write script (the writes connection), check
 * that Redis still holds this event (its epoch, and a change counter not behind what
 * this hub has seen), and reconnect after a loss: 0.2 s doubling to 2 s, so that a hub
 * catches up soon after Redis is back. Outages are logged once, and the return. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "hub/store_redis_int.h"
#include "util/container.h"
#include "util/log.h"
#include "util/xalloc.h"

#define SR_RETRY_FIRST_MS 200
#define SR_RETRY_MAX_MS 2000
#define SR_SYNC_TIMEOUT_S 10

static void sr_conn_retry_cb(lws_sorted_usec_list_t *sul);

/* Sets up c. */
void
sr_conn_init(struct sr_conn *c, struct store_redis *sr, const char *role,
    void (*up)(struct sr_conn *), void (*down)(struct sr_conn *))
{
	memset(c, 0, sizeof *c);
	c->sr = sr;
	c->role = role;
	c->up = up;
	c->down = down;
}

/* Schedules the next attempt. */
static void
sr_conn_schedule(struct sr_conn *c)
{
	unsigned ms = SR_RETRY_FIRST_MS;
	unsigned i;

	if (c->sr->dead)
		return;
	for (i = 0; i < c->attempt && ms < SR_RETRY_MAX_MS; i++)
		ms *= 2;
	if (ms > SR_RETRY_MAX_MS)
		ms = SR_RETRY_MAX_MS;
	if (c->attempt < 32)
		c->attempt++;
	lws_sul_schedule(c->sr->cx, 0, &c->sul_retry, sr_conn_retry_cb,
	    (lws_usec_t)ms * LWS_US_PER_MS);
}

/* The link is gone (or never came): tell the owner, try again. */
static void
sr_conn_gone(struct sr_conn *c, const char *why)
{
	bool was_up = c->state == SRC_UP;

	c->ac = NULL;
	c->state = SRC_DOWN;
	if (!c->logged_down && !c->sr->dead) {
		log_err("store: Redis at %s cannot be reached (%s connection: %s); trying "
		    "again", c->sr->where, c->role, why);
		c->logged_down = true;
	}
	if (was_up && c->down != NULL)
		c->down(c);
	sr_conn_schedule(c);
}

/* hiredis: the connection attempt ended. */
static void
sr_conn_on_connect(const redisAsyncContext *ac, int status)
{
	struct sr_conn *c = ac->data;

	if (c == NULL || c->ac != ac || status == REDIS_OK)
		return;
	/* hiredis frees the context after this */
	sr_conn_gone(c, ac->errstr[0] != '\0' ? ac->errstr : "cannot connect");
}

/* hiredis: the connection ended. */
static void
sr_conn_on_disconnect(const redisAsyncContext *ac, int status)
{
	struct sr_conn *c = ac->data;

	(void)status;
	if (c == NULL || c->ac != ac)
		return;
	sr_conn_gone(c, ac->errstr[0] != '\0' ? ac->errstr : "closed");
}

/* A handshake reply: an error drops the link (Redis still loading, a wrong password). */
static bool
sr_conn_reply_ok(struct sr_conn *c, redisAsyncContext *ac, const redisReply *r,
    const char *what)
{
	if (r == NULL || c->ac != ac)
		return false;
	if (r->type == REDIS_REPLY_ERROR) {
		if (!c->logged_down)
			log_err("store: Redis at %s: %s: %s", c->sr->where, what, r->str);
		c->logged_down = true;
		sr_conn_drop(c, r->str);
		return false;
	}
	return true;
}

/* AUTH, SELECT. */
static void
sr_conn_step_cb(redisAsyncContext *ac, void *reply, void *privdata)
{
	sr_conn_reply_ok(privdata, ac, reply, "setting up the connection");
}

/* SCRIPT LOAD: the script's SHA-1. */
static void
sr_conn_script_cb(redisAsyncContext *ac, void *reply, void *privdata)
{
	struct sr_conn *c = privdata;
	const redisReply *r = reply;

	if (!sr_conn_reply_ok(c, ac, r, "loading the write script"))
		return;
	if (r->type == REDIS_REPLY_STRING && r->len == 40)
		memcpy(c->sr->sha, r->str, 41);
}

/* MGET epoch rev: Redis still holds this event, and all this hub has seen of it. */
static void
sr_conn_check_cb(redisAsyncContext *ac, void *reply, void *privdata)
{
	struct sr_conn *c = privdata;
	struct store_redis *sr = c->sr;
	const redisReply *r = reply;
	char why[200];

	if (!sr_conn_reply_ok(c, ac, r, "reading the epoch"))
		return;
	if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
	    r->element[0]->type != REDIS_REPLY_STRING ||
	    strcmp(r->element[0]->str, sr->base.epoch) != 0) {
		snprintf(why, sizeof why, "Redis no longer holds this event (epoch %s, "
		    "expected %s): it was emptied or replaced", r->type == REDIS_REPLY_ARRAY &&
		    r->elements == 2 && r->element[0]->type == REDIS_REPLY_STRING ?
		    r->element[0]->str : "none", sr->base.epoch);
		sr_lost(sr, why);
		return;
	}
	if (sr_reply_u64(r->element[1]) < sr->feed) {
		snprintf(why, sizeof why, "Redis lost changes it had acknowledged (it is at "
		    "change %llu, this hub has seen %llu): run it with appendfsync always",
		    (unsigned long long)sr_reply_u64(r->element[1]),
		    (unsigned long long)sr->feed);
		sr_lost(sr, why);
		return;
	}
	c->state = SRC_UP;
	c->attempt = 0;
	if (c->logged_down)
		log_info("store: Redis at %s reached again (%s connection)", sr->where, c->role);
	c->logged_down = false;
	if (c->up != NULL)
		c->up(c);
}

/* Makes one attempt: connect, then the handshake, pipelined. */
void
sr_conn_start(struct sr_conn *c)
{
	struct store_redis *sr = c->sr;
	redisAsyncContext *ac;

	if (sr->dead || c->state != SRC_DOWN)
		return;
	ac = redisAsyncConnect(sr->host, sr->port);
	if (ac == NULL || ac->err) {
		if (ac != NULL) {
			if (!c->logged_down)
				log_err("store: Redis at %s: %s", sr->where, ac->errstr);
			c->logged_down = true;
			redisAsyncFree(ac);
		}
		sr_conn_schedule(c);
		return;
	}
	ac->data = c;
	if (redis_lws_attach(sr->rl, ac) != 0) {
		redisAsyncFree(ac);
		sr_conn_schedule(c);
		return;
	}
	c->ac = ac;
	c->state = SRC_CONNECTING;
	redisAsyncSetConnectCallback(ac, sr_conn_on_connect);
	redisAsyncSetDisconnectCallback(ac, sr_conn_on_disconnect);
	redisEnableKeepAlive(&ac->c);
	if (sr->password != NULL)
		redisAsyncCommand(ac, sr_conn_step_cb, c, "AUTH %s", sr->password);
	redisAsyncCommand(ac, sr_conn_step_cb, c, "SELECT %d", sr->db);
	if (c == &sr->writer)
		redisAsyncCommand(ac, sr_conn_script_cb, c, "SCRIPT LOAD %s", sr_script);
	redisAsyncCommand(ac, sr_conn_check_cb, c, "MGET %s %s", SR_KEY_EPOCH, SR_KEY_REV);
}

/* The retry timer. */
static void
sr_conn_retry_cb(lws_sorted_usec_list_t *sul)
{
	sr_conn_start(CF_CONTAINER_OF(sul, struct sr_conn, sul_retry));
}

/* Drops the link; it reconnects. */
void
sr_conn_drop(struct sr_conn *c, const char *why)
{
	redisAsyncContext *ac = c->ac;

	if (ac == NULL)
		return;
	log_warn("store: dropping the %s connection to Redis: %s", c->role, why);
	/* the replies still due come back empty, then the disconnect callback */
	redisAsyncFree(ac);
}

/* Closes for good. */
void
sr_conn_stop(struct sr_conn *c)
{
	redisAsyncContext *ac = c->ac;

	lws_sul_cancel(&c->sul_retry);
	c->up = NULL;
	c->down = NULL;
	if (ac != NULL) {
		ac->data = NULL;
		c->ac = NULL;
		redisAsyncFree(ac);
	}
	c->state = SRC_DOWN;
}

/* A blocking connection with password and database. */
redisContext *
sr_connect_sync(struct store_redis *sr, char **cause)
{
	struct timeval tv = { 5, 0 }, cmd = { SR_SYNC_TIMEOUT_S, 0 };
	redisContext *c;
	redisReply *r;

	c = redisConnectWithTimeout(sr->host, sr->port, tv);
	if (c == NULL || c->err) {
		*cause = xasprintf("Redis at %s: %s", sr->where, c != NULL ? c->errstr :
		    "cannot connect");
		redisFree(c);
		return NULL;
	}
	redisSetTimeout(c, cmd);
	if (sr->password != NULL) {
		r = redisCommand(c, "AUTH %s", sr->password);
		if (r == NULL || r->type == REDIS_REPLY_ERROR) {
			*cause = xasprintf("Redis at %s: the password was refused: %s", sr->where,
			    r != NULL ? r->str : c->errstr);
			freeReplyObject(r);
			redisFree(c);
			return NULL;
		}
		freeReplyObject(r);
	}
	r = redisCommand(c, "SELECT %d", sr->db);
	if (r == NULL || r->type == REDIS_REPLY_ERROR) {
		*cause = xasprintf("Redis at %s: %s", sr->where, r != NULL ? r->str :
		    c->errstr);
		freeReplyObject(r);
		redisFree(c);
		return NULL;
	}
	freeReplyObject(r);
	return c;
}
