/* store.h: the hub's state behind one interface (memory, SQLite, Redis), so that the
 * hub core never knows which store it has.
 *
 * The hub core keeps a working view in memory (rooms, timers, lineup, recent chat) and
 * changes it only when the store reports a change: a request is checked, written to the
 * store, and applied when the store's watch callbacks say it happened. What attendees see
 * is then what the store holds, after a restart as before it, and several hubs sharing
 * one store see the same.
 *
 * Two kinds of state:
 * - streams: ordered events per stream name ("room:lobby", "user:<key>", "reports"). The
 *   store assigns each event the next sequence number of its stream (1, 2, ...), keeps
 *   the numbering for ever (a stream that was emptied or trimmed continues after its last
 *   number) and can remove one event (moderation). An event's data is a compact JSON
 *   object: the wire event without "stream" and "seq" (store_frame() adds them). An event
 *   may carry the client's send id (cid), so that a re-send is recognised after a restart.
 * - values: the latest value of a key ("room/hack", "timer/main", "lineup",
 *   "name/<key>", ...), a JSON text; deleting a key is a change too.
 *
 * Writes are asynchronous. Once a change is durable (SQLite: committed), its done function
 * is called (the hub answers the request) and the watch reports the change; a shared
 * store may report it later than the completion, so a completion must not count on the
 * view having changed yet. A store groups the
 * writes of one pass of the event loop: nothing happens until store_flush(), which the hub
 * calls at the end of a pass (one transaction, one fsync, however many lines came in).
 * A write that fails completes with STORE_FAILED and is not reported by the watch, so the
 * view never shows what the store does not hold.
 *
 * A store shared by several hubs also carries what is not state but must span the hubs:
 * the occupancy counts (store_count) and presence (store_presence: who is in which
 * room on each hub, and the presence events for the other hubs' members), each hub's
 * part expiring when the hub stops.
 *
 * Every function is called from the one event-loop thread. */
#ifndef CONFAB_STORE_H
#define CONFAB_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* One event of a stream, as reported by the watch (all borrowed for the call). */
struct store_event {
	const char *stream;
	uint64_t seq;
	int64_t ts;               /* hub wall clock, ms */
	const char *cid;          /* the client's send id, or NULL */
	const char *data;         /* compact JSON object, NUL-terminated */
	size_t len;
};

/* How the store tells the hub core what changed (all strings borrowed for the call). */
struct store_watch {
	void *arg;
	/* An event was appended (or, while loading, is among the recent ones kept). */
	void (*event)(void *arg, const struct store_event *ev);
	/* Key has a new value; value NULL: the key was deleted. */
	void (*value)(void *arg, const char *key, const char *value);
	/* Event seq of stream was removed (moderation): it is gone from history. */
	void (*removed)(void *arg, const char *stream, uint64_t seq);
	/* While loading: stream's last sequence number (0: none), before its events. */
	void (*head)(void *arg, const char *stream, uint64_t last);
	/* The count name has over every hub sharing the store (store_count()) changed. */
	void (*count)(void *arg, const char *name, uint64_t total);
	/* What the other hubs sharing the store have of name in room changed (their
	 * store_presence()): info is what their hub core gave (of the hub that set it last
	 * when several have the name), NULL once none has it. event is what that hub gave
	 * with the change, for this hub's members of the room (NULL: nothing to tell); it is
	 * always NULL for what the store learns by reading the other hubs' whole state (at
	 * start-up, after an outage) or from a hub found stopped. Called with an event and an
	 * unchanged info too. arrived: no other hub had the name in the room before. An
	 * embedded store (one hub) never calls it. */
	void (*presence)(void *arg, const char *room, const char *name, const char *info,
	    const char *event, bool arrived);
};

enum store_result {
	STORE_OK = 0,
	STORE_EXISTS,             /* store_put(only_new): the key has a value already */
	STORE_FAILED              /* the store could not write it (disk full, I/O error...) */
};

/* Completion of a write: seq is the event's sequence number (appends), else 0. */
typedef void (*store_done_fn)(void *arg, enum store_result result, uint64_t seq);

/* Counters for /metrics. */
struct store_stats {
	uint64_t commits;         /* groups written (flushes that wrote something) */
	uint64_t writes;          /* writes completed */
	uint64_t failures;        /* writes that failed */
	uint64_t commit_us_total; /* time spent in commits, microseconds */
	uint64_t commit_us_max;
};

/* A store that keeps nothing across a restart: every write succeeds at the next flush.
 * Its epoch is new each time. Never NULL. */
struct store *store_memory_create(void);
/* The SQLite store in directory dir (created 0700 if missing): dir/confabd.db in WAL
 * mode, locked against a second confabd. Returns NULL with *cause (a new string naming
 * the file and the problem: locked by another process, damaged, not a confabd database,
 * of a newer schema, cannot be created) on error; it never resets a database. */
struct store *store_sqlite_open(const char *dir, char **cause);

/* Flushes what is pending, then frees the store. Safe on NULL. */
void store_free(struct store *st);
/* "memory", "sqlite" or "redis". */
const char *store_kind(const struct store *st);
/* True when the store keeps the state across a restart. */
bool store_durable(const struct store *st);
/* The event's epoch (hex): made when the store was first created and kept with it, so that
 * positions in streams stay valid across restarts (borrowed). */
const char *store_epoch(const struct store *st);

/* Reports the whole state to w, synchronously: every value, then for every stream its
 * head and its last keep events (oldest first). w is kept and used for every later change.
 * Returns 0, or -1 with *cause. */
int store_load(struct store *st, const struct store_watch *w, size_t keep, char **cause);

/* Appends an event (data: a compact JSON object of len bytes) to stream. */
void store_append(struct store *st, const char *stream, int64_t ts, const char *cid,
    const char *data, size_t len, store_done_fn done, void *arg);
/* Sets key to value; with only_new, completes with STORE_EXISTS (changing nothing) when
 * the key has a value, also one set earlier in the same group. */
void store_put(struct store *st, const char *key, const char *value, bool only_new,
    store_done_fn done, void *arg);
/* Deletes key (a key without a value completes with STORE_OK all the same). */
void store_del(struct store *st, const char *key, store_done_fn done, void *arg);
/* Removes event seq from stream (gone from history; the numbering is unchanged). */
void store_remove(struct store *st, const char *stream, uint64_t seq, store_done_fn done,
    void *arg);
/* Sets this hub's own part of the shared count name (a room's occupancy). The watch's
 * count reports the sum over every hub sharing the store: at once for this hub's change
 * (the store adds what it last knew of the others), and again when another hub's part
 * changes or a hub that stopped refreshing its part has it expire (store_redis.h). An
 * embedded store has one hub: the sum is the count itself. */
void store_count(struct store *st, const char *name, uint64_t n);
/* This hub's member name is in room with info (a short text the hub core makes; NULL:
 * it left), and event is what the other hubs' members of the room are to be told of it
 * (opaque, or NULL). A shared store gives both to the other hubs' watches (presence),
 * not to this hub's; it forgets this hub's part when the hub stops (as the counts). Not a
 * write: no completion, not kept across a restart of the hub. An embedded store does
 * nothing. */
void store_presence(struct store *st, const char *room, const char *name, const char *info,
    const char *event);
/* Calls fn for every name in room that another hub sharing the store has, with its info
 * (borrowed for the call), in no particular order. An embedded store calls nothing. */
void store_presence_each(struct store *st, const char *room,
    void (*fn)(void *arg, const char *name, const char *info), void *arg);
/* A shared store completes writes and reports changes from its own connections, outside
 * store_flush() and outside any call of the hub: after it has, it calls fn(arg), so that
 * the loop runs the hub's tick (held requests to resume). NULL: no call. */
void store_set_wake(struct store *st, void (*fn)(void *arg), void *arg);
/* False while a shared store cannot reach its server (writes wait, then fail); *why then
 * says so in a few words (static English). An embedded store is always available. */
bool store_available(const struct store *st, const char **why);

/* Writes what is pending as one group, then completes each write in order and reports
 * the changes. Call at the end of each pass of the event loop (and whenever
 * store_pending() says so). */
void store_flush(struct store *st);
/* True when writes wait for store_flush(). */
bool store_pending(const struct store *st);

/* The value of key as a new string, or NULL (a synchronous read, for offline tools and
 * start-up; not for the hub's hot paths, which use their view). */
char *store_get(struct store *st, const char *key);
/* Calls fn for every event of the streams whose name starts with prefix, stream by
 * stream (in name order) and oldest first; stops when fn returns nonzero. For offline use
 * (confabd --export). Returns 0, or -1 with *cause. */
int store_each_event(struct store *st, const char *prefix,
    int (*fn)(void *arg, const struct store_event *ev), void *arg, char **cause);
/* Deletes the events older than before_ms of the streams whose name starts with prefix
 * (retention); the numbering is unchanged. Returns the number deleted, or -1 with
 * *cause. Synchronous: call at start-up or from a rare timer. */
long store_trim(struct store *st, const char *prefix, int64_t before_ms, char **cause);
/* The store's counters. */
void store_get_stats(const struct store *st, struct store_stats *out);

#endif
