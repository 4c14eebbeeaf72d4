/* hub_limit.c: rate limits: token buckets per session (chat, private messages, joins and
 * parts, history, everything else) and per address (open connections, hellos a minute).
 *
 * Loopback addresses are left out of the per-address limits unless limit_loopback is set:
 * behind a reverse proxy or a pluggable transport's server every attendee comes from
 * 127.0.0.1, and the limits would then throttle them all together. */
#include <stdlib.h>
#include <string.h>

#include "hub/hub_int.h"
#include "util/xalloc.h"

struct hub_addr {
	unsigned conns;               /* open connections */
	struct cf_bucket hellos;      /* hellos a minute */
};

/* The rule of a per-session kind. */
static const struct cf_bucket_rule *
hub_limit_rule(const struct hub *hub, enum hub_limit_kind kind)
{
	switch (kind) {
	case HL_SAY: return &hub->limits.say;
	case HL_MSG: return &hub->limits.msg;
	case HL_JOIN: return &hub->limits.join;
	case HL_HISTORY: return &hub->limits.history;
	default: return &hub->limits.other;
	}
}

/* Fills the session's buckets. */
void
hub_limit_session_init(struct hub_session *s)
{
	int64_t now = hub_mono(s->hub);
	int k;

	for (k = 0; k < HL__COUNT; k++)
		cf_bucket_init(&s->buckets[k], hub_limit_rule(s->hub, (enum hub_limit_kind)k), now);
}

/* True when s may do one more action of kind. */
bool
hub_limit_take(struct hub_session *s, enum hub_limit_kind kind)
{
	const struct cf_bucket_rule *r = hub_limit_rule(s->hub, kind);

	if (r->per_minute <= 0)
		return true;              /* no limit */
	return cf_bucket_take(&s->buckets[kind], r, hub_mono(s->hub));
}

/* True for addresses the per-address limits leave alone. */
static bool
hub_limit_exempt(const struct hub *hub, const char *addr)
{
	if (addr == NULL || hub->limits.limit_loopback)
		return addr == NULL;
	return strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0 ||
	    strncmp(addr, "::ffff:127.", 11) == 0;
}

/* The entry of addr, made when missing. */
static struct hub_addr *
hub_limit_addr(struct hub *hub, const char *addr)
{
	struct hub_addr *a = strmap_get(hub->addrs, addr);
	struct cf_bucket_rule r = { hub->limits.hellos_per_addr, hub->limits.hellos_per_addr };

	if (a == NULL) {
		a = xcalloc(1, sizeof *a);
		cf_bucket_init(&a->hellos, &r, hub_mono(hub));
		strmap_put(hub->addrs, addr, a);
	}
	return a;
}

/* True when one more connection from addr would be allowed. */
bool
hub_limit_conn_check(struct hub *hub, const char *addr)
{
	const struct hub_addr *a;

	if (hub_limit_exempt(hub, addr) || hub->limits.conns_per_addr == 0)
		return true;
	a = strmap_get(hub->addrs, addr);
	return a == NULL || a->conns < hub->limits.conns_per_addr;
}

/* Counts a new connection; false (not counted) when addr has too many. */
bool
hub_limit_conn_open(struct hub *hub, const char *addr)
{
	if (hub_limit_exempt(hub, addr))
		return true;
	if (!hub_limit_conn_check(hub, addr))
		return false;
	hub_limit_addr(hub, addr)->conns++;
	return true;
}

/* Counts a closed connection; forgets an address with none left and a full bucket. */
void
hub_limit_conn_close(struct hub *hub, const char *addr)
{
	struct hub_addr *a;
	struct cf_bucket_rule r = { hub->limits.hellos_per_addr, hub->limits.hellos_per_addr };

	if (hub_limit_exempt(hub, addr) || (a = strmap_get(hub->addrs, addr)) == NULL)
		return;
	if (a->conns > 0)
		a->conns--;
	if (a->conns == 0 && cf_bucket_full(&a->hellos, &r, hub_mono(hub))) {
		strmap_del(hub->addrs, addr);
		free(a);
	}
}

/* Forgets the addresses with no connection and a full bucket (at most once a minute). */
void
hub_limit_sweep(struct hub *hub)
{
	struct cf_bucket_rule r = { hub->limits.hellos_per_addr, hub->limits.hellos_per_addr };
	int64_t now = hub_mono(hub);
	const char *key;
	struct hub_addr *a;
	size_t pos = 0;

	if (now - hub->addrs_swept_mono < 60000)
		return;
	hub->addrs_swept_mono = now;
	while ((a = strmap_next(hub->addrs, &pos, &key)) != NULL) {
		if (a->conns == 0 && cf_bucket_full(&a->hellos, &r, now)) {
			strmap_del(hub->addrs, key);
			free(a);
		}
	}
}

/* Counts a hello from addr; false when it said hello too often. */
bool
hub_limit_hello(struct hub *hub, const char *addr)
{
	struct cf_bucket_rule r = { hub->limits.hellos_per_addr, hub->limits.hellos_per_addr };

	if (hub_limit_exempt(hub, addr) || hub->limits.hellos_per_addr == 0)
		return true;
	return cf_bucket_take(&hub_limit_addr(hub, addr)->hellos, &r, hub_mono(hub));
}

/* Frees the per-address table. */
void
hub_limit_free(struct hub *hub)
{
	size_t pos = 0;
	void *v;

	while ((v = strmap_next(hub->addrs, &pos, NULL)) != NULL)
		free(v);
	strmap_free(hub->addrs);
}
