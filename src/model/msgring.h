/* msgring.h: reference-counted encoded frames and a bounded ring of them.
 *
 * The hub encodes an event once and shares the bytes with every session that sends it.
 * A ring keeps the last N frames of a stream by sequence number: one shared ring per room,
 * one tail (next sequence to send) per session. A session whose tail has fallen out of the
 * ring has lagged and must be dropped or resynchronised. No lws here: the headroom that
 * lws_write() needs is a parameter. */
#ifndef CONFAB_MSGRING_H
#define CONFAB_MSGRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct msg {
	unsigned refs;
	size_t pre;   /* headroom before the payload */
	size_t len;   /* payload length */
	size_t cap;   /* payload bytes allocated (>= len), not counting the NUL */
	uint64_t tag; /* the owner's mark (the hub: the seq of a user event), 0 when none */
	char buf[];   /* pre bytes of headroom, then len bytes of payload, then a NUL */
};

/* A new frame with one reference, payload copied from data. */
struct msg *msg_new(size_t pre, const char *data, size_t len);
/* A new frame with one reference, an empty payload and room for cap payload bytes: an
 * encoder writes into it with msg_append() (no intermediate string, no copy). */
struct msg *msg_new_empty(size_t pre, size_t cap);
/* Appends len bytes to the payload of m, which must not be shared yet (one reference),
 * growing it as needed. Returns the frame, which may have moved (m is then invalid). */
struct msg *msg_append(struct msg *m, const char *data, size_t len);
/* A new frame that takes ownership of no memory: wraps a NUL-terminated string by copy. */
struct msg *msg_from_str(size_t pre, const char *s);
static inline char *msg_payload(struct msg *m) { return m->buf + m->pre; }
struct msg *msg_ref(struct msg *m);
/* Drops one reference; frees at zero. Safe on NULL. */
void msg_unref(struct msg *m);

struct msgring {
	struct msg **slots;
	size_t cap;
	uint64_t next;  /* sequence number the next push gets; the first push gets first */
	uint64_t first; /* sequence number of the first push (1 unless created at another) */
};

struct msgring *msgring_create(size_t cap);
/* A ring whose first push gets sequence number first (>= 1): a stream that continues. */
struct msgring *msgring_create_at(size_t cap, uint64_t first);
void msgring_free(struct msgring *r);
/* Appends m (the ring takes a new reference) and returns its sequence number. */
uint64_t msgring_push(struct msgring *r, struct msg *m);
/* Oldest sequence number still held (== next when empty). */
uint64_t msgring_oldest(const struct msgring *r);
/* Borrowed frame with sequence seq, or NULL if it was dropped or does not exist yet. A
 * removed event (msgring_remove) is an empty frame (len 0): senders skip it. */
struct msg *msgring_get(const struct msgring *r, uint64_t seq);
/* Replaces the frame of seq by an empty one, keeping the numbering (moderation). Returns
 * false when the ring does not hold seq. */
bool msgring_remove(struct msgring *r, uint64_t seq);

#endif
