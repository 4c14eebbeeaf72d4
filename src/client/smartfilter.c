/* smartfilter.c: who spoke where and when, to keep join/part/quit notices to those that
 * matter (see smartfilter.h). A small table, oldest entry replaced when full. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client/smartfilter.h"
#include "model/room.h"
#include "proto/proto.h"
#include "util/xalloc.h"

struct smartfilter_entry {
	char room[ROOM_ID_MAX + 1];
	char name[PROTO_MAX_NAME + 1];
	int64_t at;
};

struct smartfilter {
	int64_t window;
	struct smartfilter_entry *e;
	size_t n;
};

/* A new filter. */
struct smartfilter *
smartfilter_create(int64_t window_ms)
{
	struct smartfilter *sf = xcalloc(1, sizeof *sf);

	sf->window = window_ms > 0 ? window_ms : SMARTFILTER_DEFAULT_MS;
	sf->e = xcalloc(SMARTFILTER_MAX, sizeof *sf->e);
	return sf;
}

/* Frees sf (safe on NULL). */
void
smartfilter_free(struct smartfilter *sf)
{
	if (sf == NULL)
		return;
	free(sf->e);
	free(sf);
}

/* The entry of (room, name), or NULL. */
static struct smartfilter_entry *
smartfilter_find(const struct smartfilter *sf, const char *room, const char *name)
{
	size_t i;

	for (i = 0; i < sf->n; i++)
		if (strcmp(sf->e[i].room, room) == 0 && strcasecmp(sf->e[i].name, name) == 0)
			return &sf->e[i];
	return NULL;
}

/* Records that name spoke in room at now. */
void
smartfilter_spoke(struct smartfilter *sf, const char *room, const char *name, int64_t now)
{
	struct smartfilter_entry *e;
	size_t i, old = 0;

	if (sf == NULL || strlen(room) > ROOM_ID_MAX || strlen(name) > PROTO_MAX_NAME)
		return;
	if ((e = smartfilter_find(sf, room, name)) == NULL) {
		if (sf->n < SMARTFILTER_MAX)
			e = &sf->e[sf->n++];
		else {
			for (i = 1; i < sf->n; i++)
				if (sf->e[i].at < sf->e[old].at)
					old = i;
			e = &sf->e[old];
		}
		strlcpy_cf(e->room, room, sizeof e->room);
		strlcpy_cf(e->name, name, sizeof e->name);
	}
	e->at = now;
}

/* True when the notice is to be shown. */
bool
smartfilter_show(const struct smartfilter *sf, const char *room, const char *name, bool join,
    int64_t now)
{
	const struct smartfilter_entry *e;

	if (sf == NULL)
		return true;
	if (join)
		return false;
	e = smartfilter_find(sf, room, name);
	return e != NULL && now - e->at <= sf->window;
}
