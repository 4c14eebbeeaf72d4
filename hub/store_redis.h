/* store_redis.h: the store of hub/store.h in Redis, shared by several hubs
 * (confabd --redis redis://HOST:PORT[/DB]); doc/MULTIHUB.md is the design.
 *
 * Every change is made by one Lua script that numbers it (a counter shared by all hubs)
 * and appends it to one Redis Stream, the feed; every hub reads the feed on a connection
 * of its own and reports each change to its watch, its own changes included (once: what
 * it reported at completion is not reported again). So every hub applies the same
 * changes in the same order. Chat and the other events also go into one bounded Redis
 * Stream per stream name, whose entry ids are the events' seqs: the history a hub loads.
 * Values live in a hash with the number of their last change. Both connections run in
 * the lws loop (hub/redis_lws.h).
 *
 * When Redis cannot be reached, writes wait (up to STORE_REDIS_WAIT_MS) and are sent when
 * it is back; a write sent but not answered before the link went down is sent again, and
 * the script recognises it (each write carries an id that Redis remembers for an hour),
 * so nothing is written twice. The feed is then read from where the hub was: nothing is
 * missed or repeated. */
#ifndef CONFAB_STORE_REDIS_H
#define CONFAB_STORE_REDIS_H

#include <libwebsockets.h>

#include "hub/store.h"

#define STORE_REDIS_WAIT_MS 10000     /* a write waits this long for Redis, then fails */
#define STORE_REDIS_COUNT_MS 2000     /* a hub refreshes its counts this often ... */
#define STORE_REDIS_COUNT_TTL_MS 10000 /* ... and they expire this long after the last */

struct store_redis_config {
	const char *url;                  /* redis://HOST:PORT[/DB] */
	const char *password_file;        /* its first line is the password; NULL: none */
	struct lws_context *cx;           /* the loop of the connections (explicit vhosts) */
	/* Redis no longer holds what this hub has seen (it was emptied, or lost writes it
	 * had acknowledged): the hub cannot go on and should stop (confabd exits). */
	void (*lost)(void *arg, const char *why);
	void *lost_arg;
};

/* Parses redis://HOST:PORT[/DB] (HOST may be [V6]; PORT defaults to 6379, DB to 0).
 * Returns 0, or -1 with *cause (a new, translated string). */
int store_redis_parse_url(const char *url, char **host, int *port, int *db, char **cause);

/* Connects to Redis (a first, blocking connection that checks the address, the password
 * and the database, and makes or reads the event's epoch), or returns NULL with *cause
 * (a new string naming the address and the problem). The asynchronous connections start
 * with store_load(). */
struct store *store_redis_open(const struct store_redis_config *cfg, char **cause);

/* Before the lws context goes: closes the connections, and the writes not yet answered
 * fail (their requests are answered not-stored). Nothing is reported after. Does nothing
 * to a store of another kind. */
void store_redis_stop(struct store *st);
/* True when no write waits for an answer from Redis (or none can come): a hub that stops
 * runs its loop until then. True for a store of another kind. */
bool store_redis_settled(const struct store *st);

#endif
