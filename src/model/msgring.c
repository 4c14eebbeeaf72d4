/* msgring.c: reference-counted encoded frames and a bounded ring of them, by sequence. */
#include <stdlib.h>
#include <string.h>

#include "model/msgring.h"
#include "util/xalloc.h"

/* A new frame with one reference; data copied after pre bytes of headroom. */
struct msg *
msg_new(size_t pre, const char *data, size_t len)
{
	struct msg *m;

	m = msg_new_empty(pre, len);
	if (len > 0)
		memcpy(m->buf + pre, data, len);
	m->len = len;
	m->buf[pre + len] = '\0';
	return m;
}

/* A new frame with one reference and an empty payload with room for cap bytes. */
struct msg *
msg_new_empty(size_t pre, size_t cap)
{
	struct msg *m;

	m = xmalloc(sizeof *m + pre + cap + 1);
	m->refs = 1;
	m->tag = 0;
	m->pre = pre;
	m->len = 0;
	m->cap = cap;
	memset(m->buf, 0, pre);
	m->buf[pre] = '\0';
	return m;
}

/* Appends data to the payload of an unshared frame, growing it (doubling) if needed. */
struct msg *
msg_append(struct msg *m, const char *data, size_t len)
{
	size_t cap;

	if (len > m->cap - m->len) {
		cap = m->cap > 0 ? m->cap : 64;
		while (len > cap - m->len)
			cap *= 2;
		m = xrealloc(m, sizeof *m + m->pre + cap + 1);
		m->cap = cap;
	}
	if (len > 0)
		memcpy(m->buf + m->pre + m->len, data, len);
	m->len += len;
	m->buf[m->pre + m->len] = '\0';
	return m;
}

/* A new frame holding a copy of the string s. */
struct msg *
msg_from_str(size_t pre, const char *s)
{
	return msg_new(pre, s, strlen(s));
}

/* Takes one more reference. */
struct msg *
msg_ref(struct msg *m)
{
	if (m != NULL)
		m->refs++;
	return m;
}

/* Drops one reference; frees at zero. */
void
msg_unref(struct msg *m)
{
	if (m == NULL)
		return;
	if (--m->refs == 0)
		free(m);
}

/* A ring holding up to cap frames (at least 1) whose first push gets first. */
struct msgring *
msgring_create_at(size_t cap, uint64_t first)
{
	struct msgring *r;

	if (cap == 0)
		cap = 1;
	r = xmalloc(sizeof *r);
	r->slots = xcalloc(cap, sizeof *r->slots);
	r->cap = cap;
	r->first = first > 0 ? first : 1;
	r->next = r->first;
	return r;
}

/* A ring holding up to cap frames (at least 1); the first push gets 1. */
struct msgring *
msgring_create(size_t cap)
{
	return msgring_create_at(cap, 1);
}

/* Frees the ring and drops its references. Safe on NULL. */
void
msgring_free(struct msgring *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->cap; i++)
		msg_unref(r->slots[i]);
	free(r->slots);
	free(r);
}

/* Appends m, dropping the oldest frame when full; returns m's sequence number. */
uint64_t
msgring_push(struct msgring *r, struct msg *m)
{
	uint64_t seq = r->next++;
	size_t slot = (size_t)(seq % r->cap);

	msg_unref(r->slots[slot]);
	r->slots[slot] = msg_ref(m);
	return seq;
}

/* Oldest sequence number still held (== next when empty). */
uint64_t
msgring_oldest(const struct msgring *r)
{
	uint64_t held = r->next - r->first;

	if (held <= r->cap)
		return r->first;
	return r->next - r->cap;
}

/* Borrowed frame with sequence seq, or NULL. */
struct msg *
msgring_get(const struct msgring *r, uint64_t seq)
{
	if (seq == 0 || seq >= r->next || seq < msgring_oldest(r))
		return NULL;
	return r->slots[seq % r->cap];
}

/* Replaces the frame of seq by an empty one (a removed event); false when not held. */
bool
msgring_remove(struct msgring *r, uint64_t seq)
{
	size_t slot;

	if (msgring_get(r, seq) == NULL)
		return false;
	slot = (size_t)(seq % r->cap);
	msg_unref(r->slots[slot]);
	r->slots[slot] = msg_new(0, "", 0);
	return true;
}
