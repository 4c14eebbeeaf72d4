/* hub_hello.c: hello: who may come in and under which name, and the welcome.
 *
 * A name is held for the event by whoever has its secret. The first hello with a name
 * claims it: the hub makes a secret, stores only its SHA-256 under the name's look-alike
 * key ("name/<key>", written only if new, so two hubs sharing a store cannot both grant
 * it) and sends the secret in the welcome; the client keeps it and presents it with every
 * later hello. A hello for a held name without its secret is refused (name-taken), even
 * while nobody uses the name. A hello with the secret while the name is in use takes the
 * session over (a reconnect). Names that look alike (hub_names.c) are one name. */
#include <stdlib.h>
#include <string.h>

#include "hub/hub_int.h"
#include "hub/hub_part.h"
#include "util/log.h"
#include "util/random.h"
#include "util/xalloc.h"

/* What a hello asked for, kept while its name is being claimed. */
struct hub_hello {
	int64_t re;
	char *name;
	char *key;
	char *secret;                 /* new: to send in the welcome; else NULL */
	char *value;                  /* new: the value that claims the name */
	enum proto_role role;
	bool has_since;
	char *since_epoch;
	struct proto_since_room *since;
	size_t nsince;
	char *program;
	bool has_user;
	int64_t user;
	bool has_part;                /* since.part: the client's position in "part" */
	int64_t part;
	char *resume;
	char *invite;                 /* the invite token it came with (a valid one), or NULL */
};

/* Frees a hello. */
static void
hub_hello_free(struct hub_hello *h)
{
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < h->nsince; i++)
		free((char *)h->since[i].room);
	free(h->since);
	free(h->since_epoch);
	free(h->program);
	free(h->resume);
	free(h->invite);
	free(h->name);
	free(h->key);
	free(h->secret);
	free(h->value);
	free(h);
}

/* A copy of what m asks. */
static struct hub_hello *
hub_hello_copy(const struct proto_msg *m, const char *key, enum proto_role role)
{
	const struct proto_hello *in = &m->u.hello;
	struct hub_hello *h = xcalloc(1, sizeof *h);
	size_t i;

	h->re = m->id;
	h->name = xstrdup(in->name);
	h->key = xstrdup(key);
	h->role = role;
	h->has_since = in->since_epoch != NULL;
	h->since_epoch = in->since_epoch != NULL ? xstrdup(in->since_epoch) : NULL;
	h->since = xcalloc(in->nsince + 1, sizeof *h->since);
	for (i = 0; i < in->nsince; i++) {
		h->since[i].room = xstrdup(in->since[i].room);
		h->since[i].seq = in->since[i].seq;
	}
	h->nsince = in->nsince;
	h->program = in->program != NULL ? xstrdup(in->program) : NULL;
	h->has_user = in->has_user;
	h->user = in->user;
	h->resume = in->resume != NULL ? xstrdup(in->resume) : NULL;
	h->has_part = in->has_part;
	h->part = in->part;
	h->invite = in->invite != NULL ? xstrdup(in->invite) : NULL;
	return h;
}

/* True when token is one of list (all are compared, in constant time each). */
static bool
hub_hello_token_in(char *const *list, size_t n, const char *token)
{
	bool found = false;
	size_t i;

	for (i = 0; i < n; i++) {
		if (hub_token_equal(token, list[i]))
			found = true;
	}
	return found;
}

/* True when token is a facilitator token of the name whose key is key: one for any name,
 * or one given to that name (every token is compared, in constant time each). */
static bool
hub_hello_facilitator(const struct hub *hub, const char *key, const char *token)
{
	bool found = false;
	size_t i;

	for (i = 0; i < hub->ntokens; i++) {
		if (hub_token_equal(token, hub->tokens[i].token) &&
		    (hub->tokens[i].key == NULL || strcmp(hub->tokens[i].key, key) == 0))
			found = true;
	}
	return found;
}

/* Sends the welcome reply: pos[npos] the positions of its rooms; the program only when
 * the client's cached version (may be NULL) is not current; secret when new. */
static void
hub_hello_welcome(struct hub_session *s, const struct hub_hello *h, struct proto_room_pos *pos,
    size_t npos)
{
	struct hub *hub = s->hub;
	struct proto_msg m;
	struct room_info *infos;
	const char **joined;
	size_t i;

	infos = hub_room_infos(hub);
	joined = xcalloc(s->njoins ? s->njoins : 1, sizeof *joined);
	for (i = 0; i < s->njoins; i++)
		joined[i] = s->joins[i].room->info.id;
	proto_msg_init(&m, PT_WELCOME);
	m.re = h->re;
	m.u.welcome.proto = PROTO_VERSION;
	m.u.welcome.hub = hub->name;
	m.u.welcome.epoch = hub->epoch;
	m.u.welcome.name = s->name;
	m.u.welcome.resume = s->resume;
	m.u.welcome.role = s->role;
	m.u.welcome.now = hub_now(hub);
	m.u.welcome.limits.frame = PROTO_MAX_FRAME;
	m.u.welcome.limits.text = PROTO_MAX_TEXT;
	m.u.welcome.limits.name = PROTO_MAX_NAME;
	m.u.welcome.limits.history = PROTO_HISTORY;
	m.u.welcome.limits.backlog = PROTO_BACKLOG;
	m.u.welcome.program_version = hub->program->version;
	if (h->program == NULL || hub->program->version == NULL ||
	    strcmp(h->program, hub->program->version) != 0)
		m.u.welcome.program = hub->program;
	m.u.welcome.history = pos;
	m.u.welcome.nhistory = npos;
	m.u.welcome.rooms = infos;
	m.u.welcome.nrooms = hub->nrooms;
	m.u.welcome.timers = hub->timers;
	m.u.welcome.ntimers = hub->ntimers;
	m.u.welcome.joined = joined;
	m.u.welcome.njoined = s->njoins;
	m.u.welcome.has_lineup = true;
	m.u.welcome.lineup.items = hub->lineup;
	m.u.welcome.lineup.nitems = hub->nlineup;
	m.u.welcome.lineup.current = hub->lineup_cur;
	m.u.welcome.secret = h->secret;
	m.u.welcome.notice = hub->notice;
	hub_send_msg(s, &m);
	s->rooms_ver = hub->rooms_ver;
	free(joined);
	free(infos);
}

/* The position hello's "since" gives for room id: its seq in this epoch,
 * HUB_SINCE_LOST when it is of another epoch, HUB_SINCE_FRESH when the room is not in it. */
static int64_t
hub_hello_since(const struct hub *hub, const struct hub_hello *h, const char *id)
{
	size_t i;

	for (i = 0; i < h->nsince; i++) {
		if (strcmp(h->since[i].room, id) == 0)
			return strcmp(h->since_epoch, hub->epoch) == 0 ? h->since[i].seq :
			    HUB_SINCE_LOST;
	}
	return HUB_SINCE_FRESH;
}

/* Sets who s votes as: its name's key, or, on a hub that counts votes by invite, the
 * hash of the invite token it came with (a person with two names and one invite votes
 * once). */
static void
hub_hello_voter(struct hub_session *s, const struct hub_hello *h, const struct hub_ident *id)
{
	char hash[HUB_HASH_HEX + 1];

	free(s->voter);
	if (s->hub->votes_by_invite && h->invite != NULL) {
		hub_hash_hex(h->invite, hash);
		s->voter = xasprintf("invite:%.32s", hash);
	} else
		s->voter = xstrdup(id->key);
}

/* s enters under identity id: it takes over the session holding the name, if any (its
 * rooms, without presence churn), or enters the lobby; goes back into the rooms of
 * "since"; gets the welcome and the user events it has not seen. */
static void
hub_hello_enter(struct hub_session *s, const struct hub_hello *h, struct hub_ident *id)
{
	struct hub *hub = s->hub;
	struct hub_session *old = id->live;
	struct proto_room_pos *pos;
	struct hub_room *r;
	struct msg *frame;
	size_t i, npos = 0;
	uint64_t seq;

	s->hello_pending = false;
	s->name = xstrdup(id->name);
	free(s->who);
	s->who = xasprintf("%s (%s)", s->name, s->peer);
	s->ident = id;
	s->entered = hub_now(hub);
	s->role = h->role;
	hub_hello_voter(s, h, id);
	cf_random_hex(s->resume, HUB_TOKEN_HEX);
	pos = xcalloc((old != NULL ? old->njoins : 1) + h->nsince + 1, sizeof *pos);
	if (old != NULL && old != s) {
		log_info("hub: %s resumes from %s (was %s)", s->name, s->peer, old->peer);
		for (i = 0; i < old->njoins; i++)
			pos[npos++] = hub_session_join(s, old->joins[i].room, false,
			    hub_hello_since(hub, h, old->joins[i].room->info.id));
		for (i = 0; i < old->njoins; i++)
			hub_room_count(hub, old->joins[i].room, -1);
		old->njoins = 0;
		hub_session_detach(old);
		if (hub->close_conn != NULL)
			hub->close_conn(old->conn);
	} else {
		pos[npos++] = hub_session_join(s, hub->rooms[0], false,
		    hub_hello_since(hub, h, hub->rooms[0]->info.id));
		log_info("hub: %s joined (%s) as %s", s->name, s->peer,
		    proto_role_name(s->role));
	}
	id->live = s;
	/* Back into the rooms of "since" that still exist and have space, in one go. */
	for (i = 0; i < h->nsince; i++) {
		if ((r = hub_room_find(hub, h->since[i].room)) == NULL ||
		    hub_session_join_find(s, r) != NULL ||
		    (r->info.capacity > 0 && r->info.occupancy >= r->info.capacity))
			continue;
		pos[npos++] = hub_session_join(s, r, true, hub_hello_since(hub, h, r->info.id));
	}
	hub_hello_welcome(s, h, pos, npos);
	free(pos);
	/* The user events the client has not seen: from its position when it has one of
	 * this epoch (taking over a live session, or coming back, after a restart too with a
	 * durable store); else (a client started afresh) those that came while the name had
	 * no session. */
	if (id->user != NULL) {
		if (h->has_user && (old != NULL || (h->has_since &&
		    strcmp(h->since_epoch, hub->epoch) == 0)))
			seq = (uint64_t)h->user + 1;
		else
			seq = id->user_seen + 1;
		if (seq < msgring_oldest(id->user))
			seq = msgring_oldest(id->user);
		for (; seq < id->user->next; seq++)
			if ((frame = msgring_get(id->user, seq)) != NULL && frame->len > 0)
				hub_send(s, frame);
	}
	/* participation: what it missed of the "part" stream, or a snapshot */
	if (!h->has_since || !h->has_part)
		hub_part_enter(s, false, HUB_SINCE_FRESH);
	else if (strcmp(h->since_epoch, hub->epoch) != 0)
		hub_part_enter(s, false, HUB_SINCE_LOST);
	else
		hub_part_enter(s, true, h->part);
}

/* Completion of a name's claim. */
static void
hub_hello_claimed(struct hub *hub, struct hub_session *s, int64_t re, enum store_result result,
    uint64_t seq, void *data)
{
	struct hub_hello *h = data;
	struct hub_ident *id;
	/* a name's look-alike key can be ten times the name (ICU's skeletons of some
	 * ligatures are long): the store's key is made to measure (found by review) */
	char *key = xasprintf("name/%s", h->key);

	(void)seq;
	if (s == NULL) {
		/* gone before its welcome: nobody has the secret; let the name go again */
		if (result == STORE_OK)
			hub_write_value(hub, key, NULL, false, NULL, 0, NULL, NULL);
		goto out;
	}
	s->hello_pending = false;
	if (result == STORE_EXISTS) {
		hub_reply_error(s, re, PE_NAME_TAKEN, NULL);
		goto out;
	}
	/* the store reports the new value after this completion (or, shared, later) */
	if (result == STORE_OK && hub_view_ident(hub, h->key) == NULL)
		hub_view_value(hub, key, h->value);
	if (result != STORE_OK || (id = hub_view_ident(hub, h->key)) == NULL) {
		hub_reply_store_failed(s, re);
		goto out;
	}
	hub_hello_enter(s, h, id);
out:
	free(key);
	hub_hello_free(h);
}

/* hello: name, optional token, invite and secret, positions to resume from. */
void
hub_hello_request(struct hub_session *s, const struct proto_msg *m)
{
	const struct proto_hello *h = &m->u.hello;
	struct hub *hub = s->hub;
	struct hub_hello *copy;
	struct hub_ident *id;
	enum proto_err e;
	const char *why = NULL;
	char hash[HUB_HASH_HEX + 1], *key, *kbuf;
	json_t *o;
	bool proof;

	if (s->name != NULL || s->hello_pending) {
		hub_reply_error(s, m->id, PE_ALREADY, NULL);
		return;
	}
	if (h->proto != PROTO_VERSION) {
		hub_reply_error(s, m->id, PE_VERSION, NULL);
		return;
	}
	if ((e = proto_name_check(h->name)) != PE_NONE ||
	    (e = hub_name_check(h->name, &why)) != PE_NONE) {
		hub_reply_error(s, m->id, e, why);
		return;
	}
	if (!hub_limit_hello(hub, s->addr)) {
		hub->metrics.refused_hellos++;
		hub_reply_error(s, m->id, PE_RATE, "too many hellos from your address");
		return;
	}
	key = hub_name_key(h->name);
	if (h->token != NULL && !hub_hello_facilitator(hub, key, h->token)) {
		log_info("hub: %s: bad facilitator token for %s", s->peer, h->name);
		hub_reply_error(s, m->id, PE_BAD_TOKEN, NULL);
		free(key);
		return;
	}
	if (hub->ninvites > 0 && h->token == NULL && (h->invite == NULL ||
	    !hub_hello_token_in(hub->invites, hub->ninvites, h->invite))) {
		hub_reply_error(s, m->id, PE_INVITE, NULL);
		free(key);
		return;
	}
	kbuf = xasprintf("name/%s", key);
	id = hub_view_ident(hub, key);
	if (id != NULL && id->banned) {
		hub->metrics.refused_hellos++;
		hub_reply_error(s, m->id, PE_BANNED, NULL);
		free(key);
		free(kbuf);
		return;
	}
	if (id == NULL && hub_write_pending(hub, kbuf) != NULL) {
		hub_reply_error(s, m->id, PE_NAME_TAKEN, NULL);
		free(key);
		free(kbuf);
		return;
	}
	copy = hub_hello_copy(m, key, h->token != NULL ? ROLE_FACILITATOR : ROLE_ATTENDEE);
	if (hub->ninvites == 0 || h->token != NULL) {
		free(copy->invite);        /* only a checked invite makes a voter */
		copy->invite = NULL;
	}
	if (id != NULL) {
		proof = false;
		if (h->secret != NULL) {
			hub_hash_hex(h->secret, hash);
			proof = hub_token_equal(hash, id->hash);
		}
		if (!proof && h->resume != NULL && id->live != NULL)
			proof = hub_token_equal(h->resume, id->live->resume);
		if (!proof)
			hub_reply_error(s, m->id, PE_NAME_TAKEN, "that name is held by someone "
			    "else (its holder's client presents a secret)");
		else
			hub_hello_enter(s, copy, id);
		hub_hello_free(copy);
		free(key);
		free(kbuf);
		return;
	}
	/* a new name: claim it, with a new secret */
	copy->secret = xmalloc(HUB_SECRET_HEX + 1);
	cf_random_hex(copy->secret, HUB_SECRET_HEX);
	hub_hash_hex(copy->secret, hash);
	o = json_pack("{s:s,s:s,s:I}", "name", h->name, "hash", hash, "ts",
	    (json_int_t)hub_now(hub));
	copy->value = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	s->hello_pending = true;
	hub_write_value(hub, kbuf, copy->value, true, s, m->id, hub_hello_claimed, copy);
	free(key);
	free(kbuf);
}
