/* store_int.h: what the store's implementations share (not for the hub core).
 *
 * struct store is the first member of every implementation's own struct. The public
 * functions of store.h dispatch to the implementation's ops. The synchronous stores
 * (memory, SQLite) share the write queue of store_sync.c: they queue writes, and at
 * store_flush() apply them in one group through their struct store_sync_ops, then
 * complete them and report them to the watch. */
#ifndef CONFAB_STORE_INT_H
#define CONFAB_STORE_INT_H

#include "hub/store.h"

#define STORE_EPOCH_HEX 16

struct store_ops {
	const char *kind;
	bool durable;
	void (*free)(struct store *st);
	int (*load)(struct store *st, size_t keep, char **cause);
	void (*append)(struct store *st, const char *stream, int64_t ts, const char *cid,
	    const char *data, size_t len, store_done_fn done, void *arg);
	void (*put)(struct store *st, const char *key, const char *value, bool only_new,
	    store_done_fn done, void *arg);
	void (*del)(struct store *st, const char *key, store_done_fn done, void *arg);
	void (*remove)(struct store *st, const char *stream, uint64_t seq, store_done_fn done,
	    void *arg);
	void (*flush)(struct store *st);
	bool (*pending)(const struct store *st);
	char *(*get)(struct store *st, const char *key);
	int (*each_event)(struct store *st, const char *prefix,
	    int (*fn)(void *arg, const struct store_event *ev), void *arg, char **cause);
	long (*trim)(struct store *st, const char *prefix, int64_t before_ms, char **cause);
	/* NULL: the store has one hub; the count is reported as it is */
	void (*count)(struct store *st, const char *name, uint64_t n);
	/* NULL: one hub, no presence to share */
	void (*presence)(struct store *st, const char *room, const char *name,
	    const char *info, const char *event);
	void (*presence_each)(struct store *st, const char *room,
	    void (*fn)(void *arg, const char *name, const char *info), void *arg);
	/* NULL: always available */
	bool (*available)(const struct store *st, const char **why);
};

struct store {
	const struct store_ops *ops;
	char epoch[STORE_EPOCH_HEX + 1];
	struct store_watch watch;        /* set by store_load() */
	bool watching;
	struct store_stats stats;
	void (*wake)(void *arg);         /* store_set_wake() */
	void *wake_arg;
};

/* --- store_sync.c: the write queue of the synchronous stores --- */

enum store_op_kind { STORE_OP_APPEND, STORE_OP_PUT, STORE_OP_DEL, STORE_OP_REMOVE };

struct store_op {
	enum store_op_kind kind;
	char *name;                      /* stream or key */
	char *data;                      /* event data or value (NUL-terminated), or NULL */
	size_t len;
	char *cid;
	int64_t ts;
	uint64_t seq;                    /* append: assigned; remove: the event */
	bool only_new;
	enum store_result result;
	store_done_fn done;
	void *arg;
};

struct store_sync;

/* What a synchronous store does within one group (each returns 0, or -1 on failure). */
struct store_sync_ops {
	int (*begin)(struct store_sync *ss);
	int (*append)(struct store_sync *ss, const struct store_op *op);
	/* Sets *exists when the key has a value (before writing, for only_new). */
	int (*exists)(struct store_sync *ss, const char *key, bool *exists);
	int (*put)(struct store_sync *ss, const struct store_op *op);
	int (*del)(struct store_sync *ss, const struct store_op *op);
	int (*remove)(struct store_sync *ss, const struct store_op *op);
	int (*commit)(struct store_sync *ss);
	void (*rollback)(struct store_sync *ss);
};

struct store_sync {
	struct store base;
	const struct store_sync_ops *sops;
	struct strmap *heads;            /* stream -> uint64_t * (its last seq) */
	struct store_op *queue;
	size_t nqueue, capqueue;
};

/* Sets up the queue and the heads of ss (base.ops and sops set by the caller). */
void store_sync_init(struct store_sync *ss);
/* Frees the queue and heads (not ss). */
void store_sync_clear(struct store_sync *ss);
/* The last seq of stream (0: none). */
uint64_t store_sync_head(const struct store_sync *ss, const char *stream);
/* Sets the last seq of stream. */
void store_sync_set_head(struct store_sync *ss, const char *stream, uint64_t last);
/* The ops of store_ops for a synchronous store. */
void store_sync_append(struct store *st, const char *stream, int64_t ts, const char *cid,
    const char *data, size_t len, store_done_fn done, void *arg);
void store_sync_put(struct store *st, const char *key, const char *value, bool only_new,
    store_done_fn done, void *arg);
void store_sync_del(struct store *st, const char *key, store_done_fn done, void *arg);
void store_sync_remove(struct store *st, const char *stream, uint64_t seq,
    store_done_fn done, void *arg);
void store_sync_flush(struct store *st);
bool store_sync_pending(const struct store *st);

/* Maps of names to numbers (streams' heads, counts): strmaps whose values are uint64_t
 * allocated here. get gives 0 for a missing name; free frees the values and the map. */
struct strmap;
uint64_t store_u64_get(const struct strmap *m, const char *key);
void store_u64_set(struct strmap *m, const char *key, uint64_t v);
void store_u64_free(struct strmap *m);

/* Calls the wake function, if any (a shared store, after its completions). */
void store_wake(struct store *st);
/* A new epoch into st->epoch. */
void store_new_epoch(struct store *st);
/* Microseconds on the monotonic clock (commit latency). */
uint64_t store_now_us(void);

#endif
