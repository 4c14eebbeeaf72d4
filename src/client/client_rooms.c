/* client_rooms.c: what the client knows of rooms, indexed by id: the rooms list, the rooms
 * it is in, the rooms' announced ends and the timers by scope.
 *
 * Every list comes from the hub and may be huge: lookups go through sorted indexes
 * (util/idindex.h: no scan per lookup, and no hash that chosen ids could flood), and each
 * list is capped (CLIENT_MAX_ROOMS, CLIENT_MAX_JOINED, CLIENT_MAX_TIMERS): what is over a
 * cap is ignored, with one log line, so that memory stays bounded. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "client/client_int.h"
#include "util/idindex.h"
#include "util/log.h"
#include "util/sat.h"
#include "util/xalloc.h"

/* Creates the indexes. */
void
client_rooms_init(struct client *c)
{
	c->room_ix = idindex_create();
	c->joined_ix = idindex_create();
	c->timer_ix = idindex_create();
	c->rs_ix = idindex_create();
}

/* Frees the rooms, joined rooms, ends, timers and their indexes. */
void
client_rooms_free(struct client *c)
{
	client_clear_joined(c);
	free(c->rooms);
	free(c->ends);
	free(c->timers);
	free(c->tdone);
	idindex_free(c->room_ix);
	idindex_free(c->joined_ix);
	idindex_free(c->timer_ix);
	idindex_free(c->rs_ix);
}

/* True when room is one of the joined rooms. */
bool
client_is_joined(const struct client *c, const char *room)
{
	return room != NULL && idindex_get(c->joined_ix, room, NULL);
}

/* Adds room to the joined list; false when it holds CLIENT_MAX_JOINED rooms already
 * (the caller logs it). */
bool
client_add_joined(struct client *c, const char *room)
{
	if (client_is_joined(c, room))
		return true;
	if (c->njoined >= CLIENT_MAX_JOINED)
		return false;
	c->joined = xreallocarray(c->joined, c->njoined + 1, sizeof *c->joined);
	c->joined[c->njoined] = xstrdup(room);
	idindex_set(c->joined_ix, room, c->njoined++);
	return true;
}

/* Removes room from the joined list; the current room falls back to to (when we are in
 * it) or the lobby. */
void
client_remove_joined(struct client *c, const char *room, const char *to)
{
	size_t i;

	if (idindex_get(c->joined_ix, room, &i)) {
		idindex_del(c->joined_ix, room);
		free(c->joined[i]);
		c->joined[i] = c->joined[--c->njoined];
		if (i < c->njoined)
			idindex_set(c->joined_ix, c->joined[i], i);
	}
	client_part_parted(c, room);
	/* (to only when we are in it: a hub cannot make us talk into a room we are not in) */
	if (strcmp(c->current, room) == 0)
		strlcpy_cf(c->current, to != NULL && client_is_joined(c, to) ? to : ROOM_LOBBY,
		    sizeof c->current);
}

/* Forgets the joined list. */
void
client_clear_joined(struct client *c)
{
	size_t i;

	for (i = 0; i < c->njoined; i++)
		free(c->joined[i]);
	free(c->joined);
	c->joined = NULL;
	c->njoined = 0;
	idindex_clear(c->joined_ix);
}

/* The room in the last rooms list with this id, or NULL. */
struct room_info *
client_find_room(const struct client *c, const char *room)
{
	size_t i;

	if (room == NULL || !idindex_get(c->room_ix, room, &i))
		return NULL;
	return &c->rooms[i];
}

/* idindex_key_fn of an array of rooms. */
static const char *
client_room_key(const void *arr, size_t i)
{
	return ((const struct room_info *)arr)[i].id;
}

/* idindex_key_fn of an array of room ends. */
static const char *
client_end_key(const void *arr, size_t i)
{
	return ((const struct room_end *)arr)[i].id;
}

/* A new index of rooms[0..n) by id (free it with idindex_free()). */
struct idindex *
client_rooms_index(const struct room_info *rooms, size_t n)
{
	struct idindex *x = idindex_create();

	idindex_build(x, rooms, n, client_room_key, NULL);
	return x;
}

/* A new array of the rooms of rooms[0..n) the client keeps: the first of each id, at
 * most CLIENT_MAX_ROOMS (one log line when some are left out). *kept gets their number. */
struct room_info *
client_rooms_kept(const struct room_info *rooms, size_t n, size_t *kept)
{
	struct idindex *x = idindex_create();
	struct room_info *out;
	bool *dup = xcalloc(n + 1, sizeof *dup);
	size_t i, k = 0, ndup = 0;

	idindex_build(x, rooms, n, client_room_key, dup);
	out = xcalloc((n < CLIENT_MAX_ROOMS ? n : CLIENT_MAX_ROOMS) + 1, sizeof *out);
	for (i = 0; i < n; i++) {
		if (dup[i])
			ndup++;
		else if (k < CLIENT_MAX_ROOMS)
			out[k++] = rooms[i];
	}
	if (n - ndup > k)
		log_warn("client: the hub listed %zu rooms; keeping the first %d",
		    n - ndup, CLIENT_MAX_ROOMS);
	if (ndup > 0)
		log_warn("client: the hub listed %zu rooms twice; keeping the first of each",
		    ndup);
	idindex_free(x);
	free(dup);
	*kept = k;
	return out;
}

/* Rebuilds the list of room ends from the rooms list, keeping what was announced; an end
 * first seen less than CLIENT_CLOSING_MS away is never announced. */
static void
client_set_ends(struct client *c)
{
	struct idindex *old = idindex_create();
	struct room_end *ends;
	size_t i, j, n = 0;
	int64_t now = client_hub_now(c);

	idindex_build(old, c->ends, c->nends, client_end_key, NULL);
	ends = xcalloc(c->nrooms + 1, sizeof *ends);
	for (i = 0; i < c->nrooms; i++) {
		if (c->rooms[i].closes_at_ms == 0)
			continue;
		strlcpy_cf(ends[n].id, c->rooms[i].id, sizeof ends[n].id);
		ends[n].at = c->rooms[i].closes_at_ms;
		ends[n].warned = sat_sub(ends[n].at, now) <= CLIENT_CLOSING_MS;
		if (idindex_get(old, ends[n].id, &j) && c->ends[j].at == ends[n].at)
			ends[n].warned = c->ends[j].warned;
		n++;
	}
	idindex_free(old);
	free(c->ends);
	c->ends = ends;
	c->nends = n;
}

/* Replaces the rooms list with rooms[0..n) (a new array from client_rooms_kept(), which
 * the client takes over) and updates its index and the room ends. */
void
client_take_rooms(struct client *c, struct room_info *rooms, size_t n)
{
	free(c->rooms);
	c->rooms = rooms;
	c->nrooms = n;
	c->have_rooms = true;
	idindex_build(c->room_ix, c->rooms, c->nrooms, client_room_key, NULL);
	client_set_ends(c);
}

/* Replaces the rooms list with what the client keeps of rooms[0..n). */
void
client_set_rooms(struct client *c, const struct room_info *rooms, size_t n)
{
	size_t k;
	struct room_info *kept = client_rooms_kept(rooms, n, &k);

	client_take_rooms(c, kept, k);
}

/* Forgets room ri (a pointer into the rooms list): the last room takes its place. */
void
client_drop_room(struct client *c, struct room_info *ri)
{
	size_t i = (size_t)(ri - c->rooms);

	idindex_del(c->room_ix, ri->id);
	*ri = c->rooms[--c->nrooms];
	if (i < c->nrooms)
		idindex_set(c->room_ix, c->rooms[i].id, i);
}

/* The index of the timer of scope in the timers list, made (idle) when missing; SIZE_MAX
 * when CLIENT_MAX_TIMERS are held already (the caller logs it). */
size_t
client_timer_slot(struct client *c, const char *scope)
{
	size_t i;

	if (idindex_get(c->timer_ix, scope, &i))
		return i;
	if (c->ntimers >= CLIENT_MAX_TIMERS)
		return SIZE_MAX;
	if (c->ntimers == c->timers_cap) {
		/* doubling: a welcome may bring thousands (a struct timer is 500 bytes) */
		c->timers_cap = c->timers_cap < 8 ? 8 : c->timers_cap * 2;
		c->timers = xreallocarray(c->timers, c->timers_cap, sizeof *c->timers);
		c->tdone = xreallocarray(c->tdone, c->timers_cap, sizeof *c->tdone);
	}
	i = c->ntimers++;
	timer_init(&c->timers[i], scope);
	c->tdone[i] = 0;
	idindex_set(c->timer_ix, scope, i);
	return i;
}

/* idindex_key_fn of an array of timers (their scopes). */
static const char *
client_timer_key(const void *arr, size_t i)
{
	return ((const struct timer *)arr)[i].scope;
}

/* Replaces the timers with those of t[0..n): the first of each scope, at most
 * CLIENT_MAX_TIMERS (their milestones are not marked: the caller does it). Returns how
 * many were left out over the cap. */
size_t
client_set_timers(struct client *c, const struct timer *t, size_t n)
{
	struct idindex *x = idindex_create();
	bool *dup = xcalloc(n + 1, sizeof *dup);
	size_t i, over = 0;

	client_clear_timers(c);
	idindex_build(x, t, n, client_timer_key, dup);
	c->timers_cap = idindex_count(x) < CLIENT_MAX_TIMERS ? idindex_count(x) :
	    CLIENT_MAX_TIMERS;
	c->timers = xcalloc(c->timers_cap + 1, sizeof *c->timers);
	c->tdone = xcalloc(c->timers_cap + 1, sizeof *c->tdone);
	for (i = 0; i < n; i++) {
		if (dup[i])
			continue;
		if (c->ntimers == CLIENT_MAX_TIMERS)
			over++;
		else
			c->timers[c->ntimers++] = t[i];
	}
	idindex_build(c->timer_ix, c->timers, c->ntimers, client_timer_key, NULL);
	idindex_free(x);
	free(dup);
	return over;
}

/* Forgets every timer. */
void
client_clear_timers(struct client *c)
{
	free(c->timers);
	free(c->tdone);
	c->timers = NULL;
	c->tdone = NULL;
	c->ntimers = c->timers_cap = 0;
	idindex_clear(c->timer_ix);
}
