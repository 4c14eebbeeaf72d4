/* store_mem.c: the store that keeps nothing across a restart (confabd without
 * --data-dir). Values live in a map, so that "only new" puts (names) work; events are not
 * kept at all (the hub's view keeps the recent ones), only the streams' numbering. */
#include <stdlib.h>
#include <string.h>

#include "hub/store_int.h"
#include "util/strmap.h"
#include "util/xalloc.h"

struct store_mem {
	struct store_sync sync;      /* first */
	struct strmap *values;       /* key -> char * */
};

/* Frees the store. */
static void
store_mem_free(struct store *st)
{
	struct store_mem *sm = (struct store_mem *)st;
	size_t pos = 0;
	void *v;

	while ((v = strmap_next(sm->values, &pos, NULL)) != NULL)
		free(v);
	strmap_free(sm->values);
	store_sync_clear(&sm->sync);
	free(sm);
}

/* Nothing to load: a memory store starts empty. */
static int
store_mem_load(struct store *st, size_t keep, char **cause)
{
	(void)st;
	(void)keep;
	(void)cause;
	return 0;
}

/* Group boundaries and events: nothing to do in memory. */
static int
store_mem_nop(struct store_sync *ss)
{
	(void)ss;
	return 0;
}

/* Events are not kept. */
static int
store_mem_op_nop(struct store_sync *ss, const struct store_op *op)
{
	(void)ss;
	(void)op;
	return 0;
}

/* A write group in memory cannot fail: nothing to roll back. */
static void
store_mem_rollback(struct store_sync *ss)
{
	(void)ss;
}

/* True when key has a value. */
static int
store_mem_exists(struct store_sync *ss, const char *key, bool *exists)
{
	*exists = strmap_get(((struct store_mem *)ss)->values, key) != NULL;
	return 0;
}

/* Sets a value. */
static int
store_mem_put(struct store_sync *ss, const struct store_op *op)
{
	free(strmap_put(((struct store_mem *)ss)->values, op->name, xstrdup(op->data)));
	return 0;
}

/* Deletes a value. */
static int
store_mem_del(struct store_sync *ss, const struct store_op *op)
{
	free(strmap_del(((struct store_mem *)ss)->values, op->name));
	return 0;
}

/* A value as a new string. */
static char *
store_mem_get(struct store *st, const char *key)
{
	const char *v = strmap_get(((struct store_mem *)st)->values, key);

	return v != NULL ? xstrdup(v) : NULL;
}

/* No events to walk. */
static int
store_mem_each_event(struct store *st, const char *prefix,
    int (*fn)(void *arg, const struct store_event *ev), void *arg, char **cause)
{
	(void)st;
	(void)prefix;
	(void)fn;
	(void)arg;
	(void)cause;
	return 0;
}

/* No events to trim. */
static long
store_mem_trim(struct store *st, const char *prefix, int64_t before_ms, char **cause)
{
	(void)st;
	(void)prefix;
	(void)before_ms;
	(void)cause;
	return 0;
}

static const struct store_ops store_mem_ops = {
	.kind = "memory",
	.durable = false,
	.free = store_mem_free,
	.load = store_mem_load,
	.append = store_sync_append,
	.put = store_sync_put,
	.del = store_sync_del,
	.remove = store_sync_remove,
	.flush = store_sync_flush,
	.pending = store_sync_pending,
	.get = store_mem_get,
	.each_event = store_mem_each_event,
	.trim = store_mem_trim,
};

static const struct store_sync_ops store_mem_sync_ops = {
	.begin = store_mem_nop,
	.append = store_mem_op_nop,
	.exists = store_mem_exists,
	.put = store_mem_put,
	.del = store_mem_del,
	.remove = store_mem_op_nop,
	.commit = store_mem_nop,
	.rollback = store_mem_rollback,
};

/* A new memory store with a new epoch. */
struct store *
store_memory_create(void)
{
	struct store_mem *sm = xcalloc(1, sizeof *sm);

	sm->sync.base.ops = &store_mem_ops;
	sm->sync.sops = &store_mem_sync_ops;
	store_sync_init(&sm->sync);
	sm->values = strmap_create();
	store_new_epoch(&sm->sync.base);
	return &sm->sync.base;
}
