/* hub_pres.c: presence across the hubs that share a store (doc/MULTIHUB.md, "Presence
 * across hubs"). The hub tells its store each member that enters or leaves a room
 * (store_presence()), with what the other hubs' members are to be told of it; the store
 * reports the other hubs' members back (watch "presence"), and who lists them beside
 * this hub's own. An embedded store (one hub) ignores all of it.
 *
 * The texts given to the store, made and read only here:
 * - info: "<ms> <away>": when the session entered (hub wall clock, ms) and its away
 *   message (empty when not away). The time tells which of two sessions of one name is
 *   newer: a client that moved to another hub while its old link still looks alive here
 *   has its old session closed here, silently, as a takeover on one hub is.
 * - event: the presence action's wire name, then, for a quit with a message, a newline
 *   and the message. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub_int.h"
#include "util/log.h"
#include "util/xalloc.h"

static const char *const hub_pres_actions[] = { "join", "part", "quit" };

/* The info of s: "<entered ms> <away>" (a new string). */
char *
hub_pres_info(int64_t entered, const char *away)
{
	return xasprintf("%" PRId64 " %s", entered, away != NULL ? away : "");
}

/* Reads an info: *entered, *away (NULL when not away; points into info). */
int
hub_pres_info_parse(const char *info, int64_t *entered, const char **away)
{
	char *end;

	*entered = strtoll(info, &end, 10);
	if (end == info || *end != ' ')
		return -1;
	*away = end[1] != '\0' ? end + 1 : NULL;
	return 0;
}

/* The event of action, with message for a quit (a new string). */
char *
hub_pres_event(enum proto_presence action, const char *message)
{
	if (action == PRES_QUIT && message != NULL)
		return xasprintf("%s\n%s", hub_pres_actions[action], message);
	return xstrdup(hub_pres_actions[action]);
}

/* Reads an event: *action, *message (NULL or pointing into event). */
int
hub_pres_event_parse(const char *event, enum proto_presence *action, const char **message)
{
	size_t i, len = strcspn(event, "\n");

	for (i = 0; i < sizeof hub_pres_actions / sizeof hub_pres_actions[0]; i++) {
		if (strlen(hub_pres_actions[i]) == len &&
		    strncmp(event, hub_pres_actions[i], len) == 0) {
			*action = (enum proto_presence)i;
			*message = event[len] == '\n' ? event + len + 1 : NULL;
			return 0;
		}
	}
	return -1;
}

/* Tells the store that s is in r (in) or left it; action (HUB_PRES_SILENT: none) is
 * what the other hubs' members of r are told. */
void
hub_pres_note(struct hub_session *s, struct hub_room *r, bool in, int action)
{
	char *info = NULL, *event = NULL;

	if (s->name == NULL)
		return;
	if (in)
		info = hub_pres_info(s->entered, s->away);
	if (action != HUB_PRES_SILENT)
		event = hub_pres_event((enum proto_presence)action, s->quit_message);
	store_presence(s->hub->store, r->info.id, s->name, info, event);
	free(info);
	free(event);
}

/* The away message of s changed: the other hubs learn it for each of its rooms. */
void
hub_pres_away(struct hub_session *s)
{
	size_t i;

	for (i = 0; i < s->njoins; i++)
		hub_pres_note(s, s->joins[i].room, true, HUB_PRES_SILENT);
}

/* Closes s, which another hub holds a newer session of: silently, as a takeover. */
static void
hub_pres_close_stale(struct hub_session *s)
{
	struct hub *hub = s->hub;
	size_t i;

	log_info("hub: %s resumed on another hub; closing its older session here (%s)",
	    s->name, s->peer);
	for (i = 0; i < s->njoins; i++) {
		hub_room_count(hub, s->joins[i].room, -1);
		hub_pres_note(s, s->joins[i].room, false, HUB_PRES_SILENT);
	}
	s->njoins = 0;
	hub_session_detach(s);
	if (hub->close_conn != NULL)
		hub->close_conn(s->conn);
}

/* Watch: another hub's member name of room (info NULL: none has it now; arrived: none
 * had it before), and what its members are to be told. A session of the name here is
 * closed when the name arrives on another hub after it entered here, with a later time
 * of entry: the client moved. Both conditions, so that a hub whose clock is ahead, or a
 * read of the other hubs that comes late, does not close the newer session. */
void
hub_pres_watch(void *arg, const char *room, const char *name, const char *info,
    const char *event, bool arrived)
{
	struct hub *hub = arg;
	struct hub_room *r = hub_room_find(hub, room);
	struct hub_ident *id;
	enum proto_presence action;
	const char *message, *away;
	int64_t entered;
	char *key;

	if (r == NULL)
		return;
	if (event != NULL && hub_pres_event_parse(event, &action, &message) == 0)
		hub_presence_send(hub, r, name, action, message);
	if (info == NULL || !arrived || hub_pres_info_parse(info, &entered, &away) != 0)
		return;
	key = hub_name_key(name);
	id = key != NULL ? hub_view_ident(hub, key) : NULL;
	free(key);
	if (id != NULL && id->live != NULL && !id->live->dead && id->live->entered < entered)
		hub_pres_close_stale(id->live);
}

/* One member of the who list. */
struct hub_pres_member {
	const char *name;                 /* first: sorted as a name */
	const char *away;
};

/* The who list being made. */
struct hub_pres_list {
	struct hub_pres_member *v;
	size_t n, cap;
	size_t nlocal;                    /* v[0..nlocal): this hub's members */
	struct strmap *local;             /* their names, made at the first other hub's one
	                                   * (an embedded store has none: no map at all) */
};

/* Adds a member. */
static void
hub_pres_list_add(struct hub_pres_list *l, const char *name, const char *away)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n].name = name;
	l->v[l->n++].away = away;
}

/* store_presence_each: another hub's member, unless this hub has the name too. */
static void
hub_pres_list_other(void *arg, const char *name, const char *info)
{
	struct hub_pres_list *l = arg;
	const char *away;
	int64_t entered;

	size_t i;

	if (l->local == NULL) {
		l->local = strmap_create();
		for (i = 0; i < l->nlocal; i++)
			strmap_put(l->local, l->v[i].name, (void *)1);
	}
	if (strmap_get(l->local, name) != NULL || hub_pres_info_parse(info, &entered, &away) != 0)
		return;
	hub_pres_list_add(l, name, away);
}

/* qsort order of members: by name as a person reads them. */
static int
hub_pres_member_order(const void *a, const void *b)
{
	const struct hub_pres_member *x = a, *y = b;
	int c = proto_name_cmp(x->name, y->name);

	return c != 0 ? c : strcmp(x->name, y->name);
}

/* The members of r on every hub, sorted, each name once, with their away messages:
 * *names and *away (new arrays of borrowed strings, valid until the hub or the store
 * changes), their number returned. */
size_t
hub_pres_who(struct hub *hub, struct hub_room *r, const char ***names, const char ***away)
{
	struct hub_pres_list l = { NULL, 0, 0, 0, NULL };
	struct hub_session *o;
	size_t i;

	for (o = hub->sessions; o != NULL; o = o->next)
		if (!o->dead && o->name != NULL && hub_session_join_find(o, r) != NULL)
			hub_pres_list_add(&l, o->name, hub_away_of(o));
	l.nlocal = l.n;
	store_presence_each(hub->store, r->info.id, hub_pres_list_other, &l);
	if (l.local != NULL)
		strmap_free(l.local);
	if (l.n > 0)
		qsort(l.v, l.n, sizeof *l.v, hub_pres_member_order);
	*names = xcalloc(l.n + 1, sizeof **names);
	*away = xcalloc(l.n + 1, sizeof **away);
	for (i = 0; i < l.n; i++) {
		(*names)[i] = l.v[i].name;
		(*away)[i] = l.v[i].away;
	}
	free(l.v);
	return l.n;
}
