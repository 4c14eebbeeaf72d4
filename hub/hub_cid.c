/* hub_cid.c: the hub's memory of recent client send ids (cids), so that a say or msg
 * re-sent after a reconnect is acknowledged again instead of delivered twice.
 *
 * A fixed FIFO of HUB_CIDS entries (the oldest is forgotten when a new one comes) with a
 * chained hash index over it: lookup and insert are O(1) and nothing is allocated after
 * hub_cids_create(). */
#include <stdlib.h>
#include <string.h>

#include "hub/hub_int.h"
#include "util/xalloc.h"

#define HUB_CIDS_BUCKETS (2 * HUB_CIDS) /* a power of two */

struct hub_cid {
	char cid[PROTO_MAX_CID + 1];   /* "" when the slot is free */
	int64_t seq;                   /* chat seq of the original say, 0 for msg */
	int32_t next;                  /* next entry in the same bucket, or -1 */
	uint32_t hash;
};

struct hub_cids {
	struct hub_cid entries[HUB_CIDS];
	int32_t buckets[HUB_CIDS_BUCKETS];
	size_t head;                   /* the slot the next insert overwrites (the oldest) */
	size_t count;
};

/* FNV-1a hash of a cid. */
static uint32_t
hub_cids_hash(const char *cid)
{
	uint32_t h = 2166136261u;

	for (; *cid != '\0'; cid++) {
		h ^= (unsigned char)*cid;
		h *= 16777619u;
	}
	return h;
}

/* An empty table. */
struct hub_cids *
hub_cids_create(void)
{
	struct hub_cids *t = xcalloc(1, sizeof *t);
	size_t i;

	for (i = 0; i < HUB_CIDS_BUCKETS; i++)
		t->buckets[i] = -1;
	return t;
}

/* Frees the table. Safe on NULL. */
void
hub_cids_free(struct hub_cids *t)
{
	free(t);
}

/* Number of cids remembered. */
size_t
hub_cids_count(const struct hub_cids *t)
{
	return t->count;
}

/* True when cid was recorded (and is still remembered); *seq gets its seq. */
bool
hub_cids_find(const struct hub_cids *t, const char *cid, int64_t *seq)
{
	uint32_t h = hub_cids_hash(cid);
	int32_t i;

	for (i = t->buckets[h & (HUB_CIDS_BUCKETS - 1)]; i >= 0; i = t->entries[i].next) {
		if (t->entries[i].hash == h && strcmp(t->entries[i].cid, cid) == 0) {
			if (seq != NULL)
				*seq = t->entries[i].seq;
			return true;
		}
	}
	return false;
}

/* Unlinks entry i from its bucket chain. */
static void
hub_cids_unlink(struct hub_cids *t, int32_t i)
{
	int32_t *p = &t->buckets[t->entries[i].hash & (HUB_CIDS_BUCKETS - 1)];

	while (*p >= 0 && *p != i)
		p = &t->entries[*p].next;
	if (*p == i)
		*p = t->entries[i].next;
}

/* Records cid (a valid one, not already recorded) with seq, forgetting the oldest cid
 * when the table is full. */
void
hub_cids_add(struct hub_cids *t, const char *cid, int64_t seq)
{
	int32_t i = (int32_t)t->head;
	struct hub_cid *e = &t->entries[i];
	uint32_t b;

	if (e->cid[0] != '\0')
		hub_cids_unlink(t, i);
	else
		t->count++;
	strlcpy_cf(e->cid, cid, sizeof e->cid);
	e->seq = seq;
	e->hash = hub_cids_hash(e->cid);
	b = e->hash & (HUB_CIDS_BUCKETS - 1);
	e->next = t->buckets[b];
	t->buckets[b] = i;
	t->head = (t->head + 1) % HUB_CIDS;
}
