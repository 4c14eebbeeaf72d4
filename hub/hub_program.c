/* hub_program.c: the program as attendees see it: the one loaded from the file (the
 * base), with the facilitators' live changes on top (session.change: a delay, another
 * location, "live now"). A reload replaces the base; a live change is a store value; each
 * time the program attendees see changes, they get the difference as one
 * "program.changes" event (model/progdiff.h).
 *
 * A live change is the store value "session/<key>" (key: the session's guid, else its id),
 * a JSON object (doc/confabd.8, "Live changes"):
 *   {"id": id, "by": facilitator,
 *    "delay": ms, "start": the planned start (ms) it delays,
 *    "location": where it moved, "planned": the planned location (absent: none),
 *    "live": true}
 * Each part applies while the program file still plans the session as it did when the
 * change was made: a delay while the planned start is "start", a move while the planned
 * location is "planned". So a reload keeps the live changes that still apply, and the
 * file wins where the organizers changed the same thing (a session they moved in the file
 * is not delayed again); "live" applies while the session exists. A change none of whose
 * parts applies any more is deleted from the store at the next reload. */
#include <stdlib.h>
#include <string.h>

#include "hub/hub_int.h"
#include "model/progdiff.h"
#include "util/log.h"
#include "util/strmap.h"
#include "util/xalloc.h"

#define HUB_LIVE_PREFIX "session/"

/* The key of a session's live change: its guid, else its id. */
static const char *
hub_program_key(const struct session *s)
{
	return s->guid != NULL ? s->guid : s->id;
}

/* True when the string member key of o is str (absent and NULL count as the same). */
static bool
hub_program_same_str(const json_t *o, const char *key, const char *str)
{
	const char *v = json_string_value(json_object_get(o, key));

	if (v == NULL || str == NULL)
		return v == NULL && str == NULL;
	return strcmp(v, str) == 0;
}

/* Applies the parts of live change rec that still apply to session js (the wire form of
 * base session bs). Returns how many parts applied. */
static int
hub_program_apply_one(json_t *js, const struct session *bs, const json_t *rec)
{
	const json_t *delay = json_object_get(rec, "delay");
	const char *loc = json_string_value(json_object_get(rec, "location"));
	int n = 0;

	if (json_is_integer(delay) && json_integer_value(delay) != 0 &&
	    json_integer_value(json_object_get(rec, "start")) == bs->start_ms) {
		json_object_set_new(js, "start", json_integer(bs->start_ms +
		    json_integer_value(delay)));
		json_object_set_new(js, "end", json_integer(bs->end_ms +
		    json_integer_value(delay)));
		json_object_set(js, "delay", (json_t *)delay);
		n++;
	}
	if (loc != NULL && hub_program_same_str(rec, "planned", bs->location)) {
		json_object_set_new(js, "location", json_string(loc));
		n++;
	}
	if (json_is_true(json_object_get(rec, "live"))) {
		json_object_set_new(js, "live", json_true());
		n++;
	}
	return n;
}

/* The program attendees see: base with the live changes of map live, where the session
 * of key over_key (if not NULL) has over (NULL: none) instead. NULL with *cause when the
 * result is not a valid program. */
static struct program *
hub_program_build(const struct program *base, const struct strmap *live,
    const char *over_key, const json_t *over, char **cause)
{
	const struct session *bs;
	const json_t *rec;
	json_t *whole, *arr;
	struct program *p;
	const char *key;
	size_t i;

	whole = program_to_json(base);
	json_object_del(whole, "version");
	arr = json_object_get(whole, "sessions");
	for (i = 0; i < base->nsessions; i++) {
		bs = &base->sessions[i];
		key = hub_program_key(bs);
		if (over_key != NULL && strcmp(key, over_key) == 0)
			rec = over;
		else
			rec = strmap_get(live, key);
		if (rec != NULL)
			hub_program_apply_one(json_array_get(arr, i), bs, rec);
	}
	p = program_from_json(whole, cause);
	json_decref(whole);
	return p;
}

/* True when program p is smaller on the wire than the changes diff that lead to it. */
static bool
hub_program_smaller(const json_t *diff, const struct program *p)
{
	json_t *whole = program_to_json(p);
	size_t wl = json_dumpb(whole, NULL, 0, JSON_COMPACT);

	json_decref(whole);
	return wl < json_dumpb(diff, NULL, 0, JSON_COMPACT);
}

/* Sends the changes from hub->program to p to everyone and makes p the program; by: the
 * facilitator (NULL: a reload). New discussion sessions get their rooms. Returns the
 * number of sessions added, removed or changed. */
static size_t
hub_program_switch(struct hub *hub, struct program *p, const char *by)
{
	struct program_change *c;
	struct proto_msg m;
	json_t *diff;
	size_t i, n;

	n = program_changes(hub->program, p, &c);
	diff = program_diff_json(hub->program, p);
	for (i = 0; i < n; i++) {
		if (c[i].kind == PC_ADDED)
			hub_view_session_room(hub, c[i].new_);
	}
	free(c);
	if (diff != NULL && !hub->loading) {
		proto_msg_init(&m, PT_PROGRAM_CHANGES);
		m.stream = "program";
		m.seq = ++hub->program_seq;
		m.u.program_changes.diff = diff;
		m.u.program_changes.by = by;
		if (hub_program_smaller(diff, p)) {
			/* nearly everything changed: the whole program is smaller */
			proto_msg_init(&m, PT_PROGRAM);
			m.stream = "program";
			m.seq = hub->program_seq;
			m.u.program.program = p;
		}
		hub_broadcast_msg(hub, &m);
	}
	json_decref(diff);
	program_free(hub->program);
	hub->program = p;
	return n;
}

/* Builds the program again from the base and the live changes (by: who changed it). */
static size_t
hub_program_refresh(struct hub *hub, const char *by)
{
	struct program *p;
	char *cause = NULL;

	if ((p = hub_program_build(hub->base, hub->live, NULL, NULL, &cause)) == NULL) {
		log_warn("hub: the live changes do not fit the program (%s): left out", cause);
		free(cause);
		if ((p = program_copy(hub->base)) == NULL)
			return 0;
	}
	return hub_program_switch(hub, p, by);
}

/* Frees a live change (a strmap value). */
static void
hub_program_free_rec(void *v)
{
	json_decref(v);
}

/* Sets up the program of a new hub: the base is a copy of p. */
void
hub_program_init(struct hub *hub, const struct program *p)
{
	hub->base = program_copy(p);
	hub->program = program_copy(p);
	hub->live = strmap_create();
}

/* After loading the store: the live changes it keeps apply. */
void
hub_program_loaded(struct hub *hub)
{
	hub_program_refresh(hub, NULL);
}

/* Frees the program state. */
void
hub_program_free(struct hub *hub)
{
	const char *key;
	size_t pos = 0;
	void *v;

	if (hub->live != NULL) {
		while ((v = strmap_next(hub->live, &pos, &key)) != NULL)
			hub_program_free_rec(v);
		strmap_free(hub->live);
	}
	program_free(hub->base);
	program_free(hub->program);
}

/* "session/<key>": a live change (value NULL: none). */
void
hub_program_value(struct hub *hub, const char *key, const char *value)
{
	json_t *o = NULL, *old;

	if (value != NULL && ((o = json_loads(value, 0, NULL)) == NULL || !json_is_object(o))) {
		log_warn("hub: store value %s%s is not a JSON object: ignored", HUB_LIVE_PREFIX,
		    key);
		json_decref(o);
		return;
	}
	old = o != NULL ? strmap_put(hub->live, key, o) : strmap_del(hub->live, key);
	json_decref(old);
	if (!hub->loading)
		hub_program_refresh(hub, o != NULL ? json_string_value(json_object_get(o, "by")) :
		    NULL);
}

/* Replaces the program (a reload). */
size_t
hub_set_program(struct hub *hub, const struct program *p)
{
	char key[sizeof HUB_LIVE_PREFIX + PROGRAM_MAX_GUID];
	const struct session *bs;
	const char *k;
	json_t *js;
	size_t pos = 0, i, n;
	void *v;

	program_free(hub->base);
	hub->base = program_copy(p);
	n = hub_program_refresh(hub, NULL);
	/* live changes of which nothing applies any more are forgotten */
	while ((v = strmap_next(hub->live, &pos, &k)) != NULL) {
		for (i = 0, bs = NULL; i < p->nsessions && bs == NULL; i++) {
			if (strcmp(hub_program_key(&p->sessions[i]), k) == 0)
				bs = &p->sessions[i];
		}
		js = bs != NULL ? program_session_to_json(bs) : NULL;
		if (js == NULL || hub_program_apply_one(js, bs, v) == 0) {
			snprintf(key, sizeof key, "%s%s", HUB_LIVE_PREFIX, k);
			log_info("hub: the live change of session %s no longer applies: forgotten",
			    k);
			hub_write_value(hub, key, NULL, false, NULL, 0, NULL, NULL);
		}
		json_decref(js);
	}
	return n;
}

/* The live change of base session bs as the next write should start from it: a new
 * object (empty when there is none). */
static json_t *
hub_program_current(struct hub *hub, const char *key)
{
	const struct hub_pending *pend = hub_write_pending(hub, key);
	const json_t *rec;
	json_t *o = NULL;

	if (pend != NULL)
		o = pend->value != NULL ? json_loads(pend->value, 0, NULL) : NULL;
	else if ((rec = strmap_get(hub->live, key + strlen(HUB_LIVE_PREFIX))) != NULL)
		o = json_deep_copy(rec);
	return o != NULL ? o : json_object();
}

/* Folds request c into live change rec of base session bs. */
static void
hub_program_fold(json_t *rec, const struct session *bs, const struct proto_session_change *c)
{
	if (c->has_delay) {
		json_object_del(rec, "delay");
		json_object_del(rec, "start");
		if (c->delay_ms != 0) {
			json_object_set_new(rec, "delay", json_integer(c->delay_ms));
			json_object_set_new(rec, "start", json_integer(bs->start_ms));
		}
	}
	if (c->location != NULL) {
		json_object_del(rec, "location");
		json_object_del(rec, "planned");
		if (*c->location != '\0' && (bs->location == NULL ||
		    strcmp(c->location, bs->location) != 0)) {
			json_object_set_new(rec, "location", json_string(c->location));
			if (bs->location != NULL)
				json_object_set_new(rec, "planned", json_string(bs->location));
		}
	}
	if (c->has_live) {
		json_object_del(rec, "live");
		if (c->live)
			json_object_set_new(rec, "live", json_true());
	}
}

/* True when a location from a client is fit to show: no control characters. */
static bool
hub_program_location_ok(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	}
	return true;
}

/* session.change (facilitators): a live change of one session, through the store. */
void
hub_program_request(struct hub_session *s, const struct proto_msg *m)
{
	const struct proto_session_change *c = &m->u.session_change;
	struct hub *hub = s->hub;
	char key[sizeof HUB_LIVE_PREFIX + PROGRAM_MAX_GUID], *value = NULL, *cause = NULL;
	const struct session *bs;
	struct program *check;
	json_t *rec;

	if ((bs = program_find(hub->base, c->session)) == NULL) {
		hub_reply_error(s, m->id, PE_NO_SESSION, NULL);
		return;
	}
	if (c->location != NULL && !hub_program_location_ok(c->location)) {
		hub_reply_error(s, m->id, PE_BAD_FIELD, "field \"location\": control characters");
		return;
	}
	snprintf(key, sizeof key, "%s%s", HUB_LIVE_PREFIX, hub_program_key(bs));
	rec = hub_program_current(hub, key);
	hub_program_fold(rec, bs, c);
	json_object_set_new(rec, "id", json_string(bs->id));
	json_object_set_new(rec, "by", json_string(s->name));
	check = hub_program_build(hub->base, hub->live, hub_program_key(bs), rec, &cause);
	if (check == NULL) {
		/* wire text is English whatever the hub's locale: the cause goes to the log */
		log_info("hub: %s: change of session %s refused: %s", s->name, bs->id, cause);
		hub_reply_error(s, m->id, PE_BAD_FIELD,
		    "the change does not fit the program (a delay before its first day?)");
		free(cause);
		json_decref(rec);
		return;
	}
	program_free(check);
	if (json_object_get(rec, "delay") != NULL || json_object_get(rec, "location") != NULL ||
	    json_object_get(rec, "live") != NULL)
		value = json_dumps(rec, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(rec);
	hub_write_value(hub, key, value, false, s, m->id, hub_write_reply, NULL);
	log_info("hub: %s changed session %s: %s", s->name, bs->id, value != NULL ? value :
	    "as planned");
	free(value);
}
