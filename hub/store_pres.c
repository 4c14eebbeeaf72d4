/* store_pres.c: the other hubs' members (see store_pres.h). Each hub's set maps a field
 * "room\nname" to its info; the union maps a room to its names, each with the number of
 * hubs that have it and the info of the one that set it last. A room name has no
 * newline (room ids are [a-z0-9-]) and neither has a name, so the field splits at the
 * first one. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "hub/store_pres.h"
#include "util/strmap.h"
#include "util/xalloc.h"

/* One other hub. */
struct sp_hub {
	uint64_t serial;                  /* its last change applied */
	int64_t heard;                    /* when it was last heard from */
	struct strmap *fields;            /* field -> char *info */
};

/* One name of a room in the union. */
struct sp_name {
	unsigned hubs;                    /* the hubs that have it */
	char *info;                       /* of the hub that set it last */
};

struct store_pres {
	struct strmap *hubs;              /* hub id -> struct sp_hub */
	struct strmap *rooms;             /* room -> struct strmap (name -> struct sp_name) */
	size_t count;                     /* pairs in the union */
};

/* A new table. */
struct store_pres *
store_pres_create(void)
{
	struct store_pres *p = xcalloc(1, sizeof *p);

	p->hubs = strmap_create();
	p->rooms = strmap_create();
	return p;
}

/* Frees a hub's set. */
static void
sp_hub_free(struct sp_hub *h)
{
	size_t pos = 0;
	char *info;

	while ((info = strmap_next(h->fields, &pos, NULL)) != NULL)
		free(info);
	strmap_free(h->fields);
	free(h);
}

/* Frees the table. */
void
store_pres_free(struct store_pres *p)
{
	struct strmap *names;
	struct sp_name *nm;
	struct sp_hub *h;
	size_t pos = 0, npos;

	if (p == NULL)
		return;
	while ((h = strmap_next(p->hubs, &pos, NULL)) != NULL)
		sp_hub_free(h);
	strmap_free(p->hubs);
	pos = 0;
	while ((names = strmap_next(p->rooms, &pos, NULL)) != NULL) {
		npos = 0;
		while ((nm = strmap_next(names, &npos, NULL)) != NULL) {
			free(nm->info);
			free(nm);
		}
		strmap_free(names);
	}
	strmap_free(p->rooms);
	free(p);
}

/* "room\nname". */
char *
store_pres_field(const char *room, const char *name)
{
	return xasprintf("%s\n%s", room, name);
}

/* Splits a field at its newline. */
int
store_pres_split(char *field, char **name)
{
	char *nl = strchr(field, '\n');

	if (nl == NULL)
		return -1;
	*nl = '\0';
	*name = nl + 1;
	return 0;
}

/* The hub's entry, made when missing (create) or NULL. */
static struct sp_hub *
sp_hub_get(struct store_pres *p, const char *hub, bool create)
{
	struct sp_hub *h = strmap_get(p->hubs, hub);

	if (h == NULL && create) {
		h = xcalloc(1, sizeof *h);
		h->fields = strmap_create();
		strmap_put(p->hubs, hub, h);
	}
	return h;
}

/* The info of field in any hub's set but skip's, or NULL. */
static const char *
sp_other_info(const struct store_pres *p, const struct sp_hub *skip, const char *field)
{
	const struct sp_hub *h;
	const char *info;
	size_t pos = 0;

	while ((h = strmap_next(p->hubs, &pos, NULL)) != NULL)
		if (h != skip && (info = strmap_get(h->fields, field)) != NULL)
			return info;
	return NULL;
}

/* The union gains one hub's (room, name) with info, or (info NULL) loses one whose
 * remaining info is other (NULL when no other hub has it); fn told of changes. */
static void
sp_union(struct store_pres *p, const char *room, const char *name, const char *info,
    bool added, const char *other, store_pres_fn fn, void *arg)
{
	struct strmap *names = strmap_get(p->rooms, room);
	struct sp_name *nm = names != NULL ? strmap_get(names, name) : NULL;
	const char *now;
	bool arrived = false;

	if (nm == NULL) {
		if (info == NULL)
			return;
		arrived = true;
		if (names == NULL) {
			names = strmap_create();
			strmap_put(p->rooms, room, names);
		}
		nm = xcalloc(1, sizeof *nm);
		strmap_put(names, name, nm);
		p->count++;
	}
	if (info != NULL) {
		nm->hubs += added ? 1 : 0;
		if (nm->info != NULL && strcmp(nm->info, info) == 0)
			return;
		now = info;
	} else if (nm->hubs <= 1) {
		strmap_del(names, name);
		free(nm->info);
		free(nm);
		p->count--;
		if (strmap_count(names) == 0) {
			strmap_del(p->rooms, room);
			strmap_free(names);
		}
		if (fn != NULL)
			fn(arg, room, name, NULL, false);
		return;
	} else {
		nm->hubs--;
		if (other == NULL || strcmp(nm->info, other) == 0)
			return;
		now = other;
	}
	free(nm->info);
	nm->info = xstrdup(now);
	if (fn != NULL)
		fn(arg, room, name, nm->info, arrived);
}

/* Sets or clears one field of h. */
static void
sp_set(struct store_pres *p, struct sp_hub *h, const char *field, const char *info,
    store_pres_fn fn, void *arg)
{
	char *old = strmap_get(h->fields, field), *copy, *name;

	if (info != NULL && old != NULL && strcmp(old, info) == 0)
		return;
	if (info == NULL && old == NULL)
		return;
	copy = xstrdup(field);
	if (store_pres_split(copy, &name) != 0) {
		free(copy);
		return;
	}
	if (info != NULL) {
		strmap_put(h->fields, field, xstrdup(info));
		free(old);
		sp_union(p, copy, name, info, old == NULL, NULL, fn, arg);
	} else {
		free(strmap_del(h->fields, field));
		sp_union(p, copy, name, NULL, false, sp_other_info(p, h, field), fn, arg);
	}
	free(copy);
}

/* One member of one hub. */
void
store_pres_set(struct store_pres *p, const char *hub, const char *room, const char *name,
    const char *info, store_pres_fn fn, void *arg)
{
	struct sp_hub *h = sp_hub_get(p, hub, info != NULL);
	char *field;

	if (h == NULL)
		return;
	field = store_pres_field(room, name);
	sp_set(p, h, field, info, fn, arg);
	free(field);
}

/* A hub's whole set. */
void
store_pres_replace(struct store_pres *p, const char *hub, const char *const *fields,
    const char *const *infos, size_t n, store_pres_fn fn, void *arg)
{
	struct sp_hub *h = sp_hub_get(p, hub, true);
	struct strmap *keep = strmap_create();
	const char *field;
	char *f;
	size_t i, pos = 0;

	for (i = 0; i < n; i++)
		strmap_put(keep, fields[i], (void *)infos[i]);
	/* first what left (a walk may delete the key it just returned) */
	while (strmap_next(h->fields, &pos, &field) != NULL) {
		if (strmap_get(keep, field) == NULL) {
			f = xstrdup(field);
			sp_set(p, h, f, NULL, fn, arg);
			free(f);
		}
	}
	for (i = 0; i < n; i++)
		if (strchr(fields[i], '\n') != NULL)
			sp_set(p, h, fields[i], infos[i], fn, arg);
	strmap_free(keep);
}

/* Forgets a hub. */
void
store_pres_drop(struct store_pres *p, const char *hub, store_pres_fn fn, void *arg)
{
	struct sp_hub *h = strmap_get(p->hubs, hub);

	if (h == NULL)
		return;
	store_pres_replace(p, hub, NULL, NULL, 0, fn, arg);
	strmap_del(p->hubs, hub);
	sp_hub_free(h);
}

/* The hub's last change applied. */
uint64_t
store_pres_serial(const struct store_pres *p, const char *hub)
{
	const struct sp_hub *h = strmap_get(p->hubs, hub);

	return h != NULL ? h->serial : 0;
}

/* Heard from hub. */
void
store_pres_heard(struct store_pres *p, const char *hub, uint64_t serial, int64_t now)
{
	struct sp_hub *h = sp_hub_get(p, hub, true);

	h->serial = serial;
	h->heard = now;
}

/* Forgets the hubs that stopped. */
void
store_pres_prune(struct store_pres *p, const char *const *live, size_t n, int64_t now,
    int64_t quiet, store_pres_fn fn, void *arg)
{
	const struct sp_hub *h;
	const char *hub;
	char *id;
	size_t pos, i;
	bool again = true;

	while (again) {
		again = false;
		pos = 0;
		while ((h = strmap_next(p->hubs, &pos, &hub)) != NULL) {
			for (i = 0; i < n && strcmp(live[i], hub) != 0; i++)
				;
			if (i < n || h->heard > now - quiet)
				continue;
			id = xstrdup(hub);
			store_pres_drop(p, id, fn, arg);
			free(id);
			again = true;     /* the map changed: walk it again */
			break;
		}
	}
}

/* The union's info of (room, name). */
const char *
store_pres_info(const struct store_pres *p, const char *room, const char *name)
{
	const struct strmap *names = strmap_get(p->rooms, room);
	const struct sp_name *nm = names != NULL ? strmap_get(names, name) : NULL;

	return nm != NULL ? nm->info : NULL;
}

/* Every name of room in the union. */
void
store_pres_each(const struct store_pres *p, const char *room,
    void (*fn)(void *arg, const char *name, const char *info), void *arg)
{
	const struct strmap *names = strmap_get(p->rooms, room);
	const struct sp_name *nm;
	const char *name;
	size_t pos = 0;

	if (names == NULL)
		return;
	while ((nm = strmap_next(names, &pos, &name)) != NULL)
		fn(arg, name, nm->info);
}

/* Pairs in the union. */
size_t
store_pres_count(const struct store_pres *p)
{
	return p->count;
}
