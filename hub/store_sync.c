/* store_sync.c: the write queue of the synchronous stores (memory, SQLite).
 *
 * Writes are queued as they come. store_flush() takes the whole queue (writes made by the
 * callbacks it runs go into the next group), applies it in one group (one transaction),
 * assigns each append the next seq of its stream, and commits. Then every write, in
 * order, is completed and, when it succeeded, reported to the watch. When the group fails,
 * it is rolled back: every write in it completes with STORE_FAILED, the streams' numbering
 * is restored, and nothing is reported. */
#include <stdlib.h>
#include <string.h>

#include "hub/store_int.h"
#include "util/log.h"
#include "util/strmap.h"
#include "util/xalloc.h"

/* Sets up the queue and heads. */
void
store_sync_init(struct store_sync *ss)
{
	ss->heads = strmap_create();
	ss->queue = NULL;
	ss->nqueue = ss->capqueue = 0;
}

/* Frees the contents of one queued write. */
static void
store_sync_op_clear(struct store_op *op)
{
	free(op->name);
	free(op->data);
	free(op->cid);
}

/* Frees the queue and heads. */
void
store_sync_clear(struct store_sync *ss)
{
	const char *key;
	size_t pos = 0, i;
	void *v;

	while ((v = strmap_next(ss->heads, &pos, &key)) != NULL)
		free(v);
	strmap_free(ss->heads);
	for (i = 0; i < ss->nqueue; i++)
		store_sync_op_clear(&ss->queue[i]);
	free(ss->queue);
}

/* The last seq of stream. */
uint64_t
store_sync_head(const struct store_sync *ss, const char *stream)
{
	const uint64_t *h = strmap_get(ss->heads, stream);

	return h != NULL ? *h : 0;
}

/* Sets the last seq of stream. */
void
store_sync_set_head(struct store_sync *ss, const char *stream, uint64_t last)
{
	uint64_t *h = strmap_get(ss->heads, stream);

	if (h == NULL) {
		h = xmalloc(sizeof *h);
		strmap_put(ss->heads, stream, h);
	}
	*h = last;
}

/* A new queued write (zeroed but for kind and completion). */
static struct store_op *
store_sync_queue(struct store *st, enum store_op_kind kind, const char *name,
    store_done_fn done, void *arg)
{
	struct store_sync *ss = (struct store_sync *)st;
	struct store_op *op;

	if (ss->nqueue == ss->capqueue) {
		ss->capqueue = ss->capqueue ? ss->capqueue * 2 : 64;
		ss->queue = xreallocarray(ss->queue, ss->capqueue, sizeof *ss->queue);
	}
	op = &ss->queue[ss->nqueue++];
	memset(op, 0, sizeof *op);
	op->kind = kind;
	op->name = xstrdup(name);
	op->done = done;
	op->arg = arg;
	return op;
}

/* Queues an append. */
void
store_sync_append(struct store *st, const char *stream, int64_t ts, const char *cid,
    const char *data, size_t len, store_done_fn done, void *arg)
{
	struct store_op *op = store_sync_queue(st, STORE_OP_APPEND, stream, done, arg);

	op->data = xstrndup(data, len);
	op->len = len;
	op->cid = cid != NULL ? xstrdup(cid) : NULL;
	op->ts = ts;
}

/* Queues a put. */
void
store_sync_put(struct store *st, const char *key, const char *value, bool only_new,
    store_done_fn done, void *arg)
{
	struct store_op *op = store_sync_queue(st, STORE_OP_PUT, key, done, arg);

	op->data = xstrdup(value);
	op->len = strlen(value);
	op->only_new = only_new;
}

/* Queues a delete. */
void
store_sync_del(struct store *st, const char *key, store_done_fn done, void *arg)
{
	store_sync_queue(st, STORE_OP_DEL, key, done, arg);
}

/* Queues the removal of an event. */
void
store_sync_remove(struct store *st, const char *stream, uint64_t seq, store_done_fn done,
    void *arg)
{
	store_sync_queue(st, STORE_OP_REMOVE, stream, done, arg)->seq = seq;
}

/* True when writes are queued. */
bool
store_sync_pending(const struct store *st)
{
	return ((const struct store_sync *)st)->nqueue > 0;
}

/* Applies one write inside the group; -1 fails the group. */
static int
store_sync_apply(struct store_sync *ss, struct store_op *op)
{
	bool exists = false;

	op->result = STORE_OK;
	switch (op->kind) {
	case STORE_OP_APPEND:
		op->seq = store_sync_head(ss, op->name) + 1;
		if (ss->sops->append(ss, op) != 0)
			return -1;
		store_sync_set_head(ss, op->name, op->seq);
		return 0;
	case STORE_OP_PUT:
		if (op->only_new) {
			if (ss->sops->exists(ss, op->name, &exists) != 0)
				return -1;
			if (exists) {
				op->result = STORE_EXISTS;
				return 0;
			}
		}
		return ss->sops->put(ss, op);
	case STORE_OP_DEL:
		return ss->sops->del(ss, op);
	default:
		return ss->sops->remove(ss, op);
	}
}

/* Reports a completed write to the watch. */
static void
store_sync_report(struct store *st, const struct store_op *op)
{
	struct store_event ev;

	if (!st->watching || op->result != STORE_OK)
		return;
	switch (op->kind) {
	case STORE_OP_APPEND:
		if (st->watch.event == NULL)
			return;
		ev.stream = op->name;
		ev.seq = op->seq;
		ev.ts = op->ts;
		ev.cid = op->cid;
		ev.data = op->data;
		ev.len = op->len;
		st->watch.event(st->watch.arg, &ev);
		return;
	case STORE_OP_PUT:
		if (st->watch.value != NULL)
			st->watch.value(st->watch.arg, op->name, op->data);
		return;
	case STORE_OP_DEL:
		if (st->watch.value != NULL)
			st->watch.value(st->watch.arg, op->name, NULL);
		return;
	default:
		if (st->watch.removed != NULL)
			st->watch.removed(st->watch.arg, op->name, op->seq);
		return;
	}
}

/* Writes the queue as one group, then completes and reports each write. */
void
store_sync_flush(struct store *st)
{
	struct store_sync *ss = (struct store_sync *)st;
	struct store_op *q = ss->queue;
	size_t n = ss->nqueue, i, applied = 0;
	uint64_t t0, dt, *saved;
	bool ok;

	if (n == 0)
		return;
	ss->queue = NULL;            /* writes made by the callbacks go to the next group */
	ss->nqueue = ss->capqueue = 0;
	saved = xcalloc(n, sizeof *saved);
	t0 = store_now_us();
	ok = ss->sops->begin(ss) == 0;
	for (i = 0; ok && i < n; i++) {
		if (q[i].kind == STORE_OP_APPEND)
			saved[i] = store_sync_head(ss, q[i].name);
		if (store_sync_apply(ss, &q[i]) != 0)
			ok = false;
		else
			applied++;
	}
	if (ok && ss->sops->commit(ss) != 0)
		ok = false;
	if (!ok) {
		ss->sops->rollback(ss);
		/* the numbering goes back to before the group, newest first */
		for (i = applied; i-- > 0;)
			if (q[i].kind == STORE_OP_APPEND)
				store_sync_set_head(ss, q[i].name, saved[i]);
		for (i = 0; i < n; i++)
			q[i].result = STORE_FAILED;
		st->stats.failures += n;
		log_err("store: %zu writes failed", n);
	}
	dt = store_now_us() - t0;
	st->stats.commits++;
	st->stats.commit_us_total += dt;
	if (dt > st->stats.commit_us_max)
		st->stats.commit_us_max = dt;
	free(saved);
	for (i = 0; i < n; i++) {
		if (q[i].result != STORE_FAILED)
			st->stats.writes++;
		if (q[i].done != NULL)
			q[i].done(q[i].arg, q[i].result, q[i].kind == STORE_OP_APPEND &&
			    q[i].result == STORE_OK ? q[i].seq : 0);
		store_sync_report(st, &q[i]);
		store_sync_op_clear(&q[i]);
	}
	free(q);
}
