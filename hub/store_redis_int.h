/* store_redis_int.h: what the files of the Redis store share (not for the hub core).
 * store_redis.c: writes, completions, counts, the store's ops; store_redis_feed.c: the
 * snapshot (load, resync after a gap) and reading the feed; store_redis_conn.c: one
 * asynchronous connection (connect, password, database, script, epoch, reconnect);
 * store_redis_trim.c: retention. */
#ifndef CONFAB_STORE_REDIS_INT_H
#define CONFAB_STORE_REDIS_INT_H

#include <hiredis/hiredis.h>
#include <hiredis/async.h>

#include "hub/redis_lws.h"
#include "hub/store_int.h"
#include "hub/store_pres.h"
#include "hub/store_redis.h"
#include "util/strmap.h"

#define SR_PREFIX "confab:"
#define SR_KEY_EPOCH SR_PREFIX "epoch"
#define SR_KEY_REV SR_PREFIX "rev"           /* the number of the last change */
#define SR_KEY_FEED SR_PREFIX "feed"         /* every change, ids "<rev>-0" */
#define SR_KEY_VAL SR_PREFIX "val"           /* key -> value */
#define SR_KEY_VER SR_PREFIX "ver"           /* key -> rev of its last change */
#define SR_KEY_HEADS SR_PREFIX "heads"       /* stream -> its last seq */
#define SR_KEY_STREAM SR_PREFIX "s:"         /* + stream: its events, ids "<seq>-0" */
#define SR_KEY_OP SR_PREFIX "op:"            /* + write id: its result, for a re-send */
#define SR_KEY_HUBS SR_PREFIX "hubs"         /* hub id -> when it last refreshed (ms) */
#define SR_KEY_COUNT SR_PREFIX "count:"      /* + hub id: its counts (name -> n) */
#define SR_KEY_PRES SR_PREFIX "pres:"       /* + hub id: its members (room\nname -> info) */
#define SR_CHAN_PRES SR_PREFIX "presence"    /* the channel of the members' changes */
#define SR_FEED_MAX 100000                   /* feed entries kept (about) */
#define SR_ROOM_MAX 10000                    /* events kept per room stream (about) */
#define SR_OTHER_MAX 1000                    /* per user stream and reports (about) */
#define SR_OP_TTL_S 3600                     /* a write's id is remembered this long */
#define SR_READ_COUNT 1000                   /* feed entries asked for at once */
#define SR_HUBID_HEX 16
/* Lua of the scripts: `now`, Redis's clock in ms (one clock for every hub's times) */
#define SR_LUA_NOW "local t = redis.call('TIME')\n" \
	"local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"

struct store_redis;

enum sr_conn_state { SRC_DOWN, SRC_CONNECTING, SRC_UP };

/* One asynchronous connection. */
struct sr_conn {
	struct store_redis *sr;
	const char *role;                     /* "writes" or "feed", for the log */
	redisAsyncContext *ac;
	enum sr_conn_state state;
	unsigned attempt;                     /* failed attempts in a row */
	bool logged_down;                     /* the outage was logged */
	lws_sorted_usec_list_t sul_retry;
	void (*up)(struct sr_conn *c);        /* ready: handshake done */
	void (*down)(struct sr_conn *c);      /* lost (not called when it never came up) */
};

/* A write waiting to be sent or answered. */
struct sr_op {
	enum store_op_kind kind;
	char *name;                           /* stream or key */
	char *data;                           /* event data or value, or NULL */
	size_t len;
	char *cid;
	int64_t ts;
	uint64_t seq;                         /* remove: the event */
	bool only_new;
	char opid[SR_HUBID_HEX + 24];         /* "<hub id>:<serial>" */
	int64_t queued_ms;                    /* monotonic: the wait counts from here */
	uint64_t sent_us;
	store_done_fn done;
	void *arg;
};

/* A change of this hub's members not sent yet. */
struct sr_pres_rec {
	char *field;                          /* "room\nname" */
	char *info;                           /* NULL: left */
	char *event;                          /* or NULL */
};

/* What this hub has reported of a key. */
struct sr_val {
	uint64_t rev;
	char *value;                          /* NULL: deleted */
};

struct store_redis {
	struct store base;                    /* first */
	char *host;
	int port, db;
	char *password;                       /* or NULL */
	char *where;                          /* "redis://HOST:PORT/DB", for messages */
	char hubid[SR_HUBID_HEX + 1];
	uint64_t serial;                      /* of write ids */
	struct lws_context *cx;
	struct redis_lws *rl;
	void (*lost)(void *arg, const char *why);
	void *lost_arg;
	bool dead;                            /* lost: nothing more is done */

	struct sr_conn writer, reader;
	int64_t down_ms;                      /* when the writes connection went (0: up) */
	char sha[41];                         /* the write script's SHA-1 */

	struct sr_op **queue;                 /* not sent yet, oldest first */
	size_t nqueue, capqueue;
	struct sr_op **flight;                /* sent, not answered, oldest first */
	size_t nflight, capflight;
	lws_sorted_usec_list_t sul_expire;

	struct strmap *heads;                 /* stream -> uint64_t *: last seq reported */
	struct strmap *vals;                  /* key -> struct sr_val */
	uint64_t feed;                        /* the last feed entry applied */
	bool resyncing;                       /* reading a snapshot after a gap */
	size_t keep;                          /* events per stream loaded */

	struct strmap *mine;                  /* count name -> uint64_t *: this hub's */
	struct strmap *others;                /* count name -> uint64_t *: the others' sum */
	bool count_dirty;
	lws_sorted_usec_list_t sul_count;

	struct sr_conn sub;                   /* presence: subscribed to SR_CHAN_PRES */
	struct store_pres *pres;              /* the other hubs' members */
	struct strmap *pres_mine;             /* field -> char *info: this hub's members */
	struct sr_pres_rec *prec;             /* changes not sent yet, in order */
	size_t nprec, capprec;
	uint64_t pres_serial;                 /* of this hub's last batch sent */
	bool pres_full;                       /* send the whole set next */
	bool pres_read_due;                   /* read the other hubs' sets (writer down) */
};

/* --- store_redis.c --- */
/* Reports event ev to the watch when it is the next of its stream; true if it was. */
bool sr_report_event(struct store_redis *sr, const struct store_event *ev);
/* Reports key's value (NULL: deleted) of change rev when newer than what was. */
void sr_report_value(struct store_redis *sr, const char *key, const char *value,
    uint64_t rev);
/* The last seq reported of stream (0: none). */
uint64_t sr_head(const struct store_redis *sr, const char *stream);
void sr_set_head(struct store_redis *sr, const char *stream, uint64_t seq);
/* Redis no longer holds what this hub has seen: stops, says why. */
void sr_lost(struct store_redis *sr, const char *why);
/* The write script (its text). */
extern const char sr_script[];

/* --- store_redis_feed.c --- */
/* The snapshot over a blocking connection (store_load). */
int sr_load_sync(struct store_redis *sr, redisContext *c, char **cause);
/* The feed connection is up: reads from where the hub was (or resyncs). */
void sr_feed_up(struct sr_conn *c);
/* A reply's element as an unsigned number (string or integer), or 0. */
uint64_t sr_reply_u64(const redisReply *r);
/* An entry id "<n>-0" as n, or 0. */
uint64_t sr_id_num(const char *id);

/* --- store_redis_pres.c: the members of every hub (doc/MULTIHUB.md) --- */
void sr_pres_init(struct store_redis *sr);
/* Connects the presence subscription (after the snapshot). */
void sr_pres_start(struct store_redis *sr);
void sr_pres_stop(struct store_redis *sr);
void sr_pres_free(struct store_redis *sr);
/* The ops. */
void sr_presence(struct store *st, const char *room, const char *name, const char *info,
    const char *event);
void sr_presence_each(struct store *st, const char *room,
    void (*fn)(void *arg, const char *name, const char *info), void *arg);
/* True when changes wait to be sent (the writes connection is up). */
bool sr_pres_pending(const struct store_redis *sr);
/* Sends them, as one script call. */
void sr_pres_flush(struct store_redis *sr);
/* The writes connection is up: the whole set goes; a read that waited is made. */
void sr_pres_writer_up(struct store_redis *sr);
/* The counts' reply: the live hubs (an array of ids) and whether this hub's set was
 * still there (alive false: it expired; it is sent whole again). */
void sr_pres_live(struct store_redis *sr, const redisReply *hubs, bool alive);

/* --- store_redis_trim.c --- */
/* store_trim (retention): blocking, on a connection of its own. */
long sr_trim(struct store *st, const char *prefix, int64_t before_ms, char **cause);

/* --- store_redis_conn.c --- */
/* Sets up c (not connected). */
void sr_conn_init(struct sr_conn *c, struct store_redis *sr, const char *role,
    void (*up)(struct sr_conn *), void (*down)(struct sr_conn *));
/* Connects (now). */
void sr_conn_start(struct sr_conn *c);
/* Drops the link (it reconnects). */
void sr_conn_drop(struct sr_conn *c, const char *why);
/* Closes for good. */
void sr_conn_stop(struct sr_conn *c);
/* A new blocking connection with password and database, or NULL with *cause. */
redisContext *sr_connect_sync(struct store_redis *sr, char **cause);

#endif
