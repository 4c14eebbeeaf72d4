/* proto_dec.c: decoding of protocol v1 frames into typed messages, with field checks. */

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/proto.h"
#include "proto/proto_int.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/sat.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* Decoding state: where errors go and the path of the object being read. */
struct dec {
	struct proto_decode_err *err;
	const char *path;   /* prefix for field names, e.g. "rooms[2]." */
};

/* ---- decoding helpers ---- */

/* Records an error and returns -1. The detail is logged and sent back: when it would not
 * print safely (jansson quotes bytes of the frame, such as ESC; the buffer's size may cut
 * a character in two), every byte of it that is not printable ASCII becomes '?'. */
static int __attribute__((format(printf, 3, 4)))
dec_fail(struct dec *d, enum proto_err code, const char *fmt, ...)
{
	va_list ap;
	char *p;

	d->err->code = code;
	va_start(ap, fmt);
	vsnprintf(d->err->detail, sizeof d->err->detail, fmt, ap);
	va_end(ap);
	if (sanitize_needed(d->err->detail)) {
		for (p = d->err->detail; *p != '\0'; p++)
			if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
				*p = '?';
	}
	return -1;
}

/* The field value, or NULL when absent (null counts as absent for optional fields). */
static json_t *
dec_field(struct dec *d, const json_t *o, const char *key, bool req, int *rc)
{
	json_t *v = json_object_get(o, key);

	*rc = 0;
	if (v == NULL || (!req && json_is_null(v))) {
		if (req)
			*rc = dec_fail(d, PE_BAD_FIELD, "field \"%s%s\": missing", d->path, key);
		return NULL;
	}
	return v;
}

/* Reads a string field with limits in bytes (maxb) and code points (maxcp); 0 = none. */
static int
dec_str(struct dec *d, const json_t *o, const char *key, bool req, size_t maxb, size_t maxcp,
    const char **out)
{
	json_t *v;
	const char *s;
	size_t len;
	int rc;

	*out = NULL;
	if ((v = dec_field(d, o, key, req, &rc)) == NULL)
		return rc;
	if (!json_is_string(v))
		return dec_fail(d, PE_BAD_FIELD, "field \"%s%s\": must be a string", d->path, key);
	s = json_string_value(v);
	len = json_string_length(v);
	if (maxb > 0 && len > maxb)
		return dec_fail(d, PE_TOO_LONG, "field \"%s%s\": longer than %zu bytes", d->path,
		    key, maxb);
	if (maxcp > 0 && utf8_strlen(s, len) > maxcp)
		return dec_fail(d, PE_TOO_LONG, "field \"%s%s\": longer than %zu characters",
		    d->path, key, maxcp);
	*out = s;
	return 0;
}

/* Reads an integer field in [min, max]; def when optional and absent. */
static int
dec_int(struct dec *d, const json_t *o, const char *key, bool req, int64_t min, int64_t max,
    int64_t def, int64_t *out)
{
	json_t *v;
	json_int_t n;
	int rc;

	*out = def;
	if ((v = dec_field(d, o, key, req, &rc)) == NULL)
		return rc;
	if (!json_is_integer(v))
		return dec_fail(d, PE_BAD_FIELD, "field \"%s%s\": must be an integer", d->path, key);
	n = json_integer_value(v);
	if (n < min || n > max)
		return dec_fail(d, PE_BAD_FIELD, "field \"%s%s\": out of range", d->path, key);
	*out = (int64_t)n;
	return 0;
}

/* Reads a time field: UTC ms from 1970-01-01 to 9999-12-31; 0 when optional and absent. */
static int
dec_time(struct dec *d, const json_t *o, const char *key, bool req, int64_t *out)
{
	if (dec_int(d, o, key, req, INT64_MIN, INT64_MAX, 0, out) != 0)
		return -1;
	if (!sat_time_ok(*out))
		return dec_fail(d, PE_BAD_FIELD, "field \"%s%s\": not a time from 1970 to 9999",
		    d->path, key);
	return 0;
}

/* Reads a duration field in [min, PROTO_MAX_TIME_MS] (min: 0 or -PROTO_MAX_TIME_MS, the
 * span of the times above); 0 when optional and absent. */
static int
dec_span(struct dec *d, const json_t *o, const char *key, bool req, int64_t min,
    int64_t *out)
{
	if (dec_int(d, o, key, req, INT64_MIN, INT64_MAX, 0, out) != 0)
		return -1;
	if (*out < min || *out > PROTO_MAX_TIME_MS)
		return dec_fail(d, PE_BAD_FIELD, "field \"%s%s\": not a duration of at most "
		    "9999 years", d->path, key);
	return 0;
}

/* Reads a display name (proto_name_check()); with empty_ok, "" is accepted too (the "by"
 * of a change the hub made itself). */
static int
dec_name(struct dec *d, const json_t *o, const char *key, bool req, bool empty_ok,
    const char **out)
{
	if (dec_str(d, o, key, req, PROTO_MAX_NAME, 0, out) != 0)
		return -1;
	if (*out == NULL || (empty_ok && **out == '\0'))
		return 0;
	if (proto_name_check(*out) != PE_NONE)
		return dec_fail(d, PE_BAD_FIELD, "field \"%s%s\": not a valid name", d->path,
		    key);
	return 0;
}

/* Reads a boolean field; def when optional and absent. */
static int
dec_bool(struct dec *d, const json_t *o, const char *key, bool req, bool def, bool *out)
{
	json_t *v;
	int rc;

	*out = def;
	if ((v = dec_field(d, o, key, req, &rc)) == NULL)
		return rc;
	if (!json_is_boolean(v))
		return dec_fail(d, PE_BAD_FIELD, "field \"%s%s\": must be true or false", d->path,
		    key);
	*out = json_is_true(v);
	return 0;
}

/* Reads an array field (required). */
static int
dec_array(struct dec *d, const json_t *o, const char *key, json_t **out)
{
	json_t *v;
	int rc;

	*out = NULL;
	if ((v = dec_field(d, o, key, true, &rc)) == NULL)
		return rc;
	if (!json_is_array(v))
		return dec_fail(d, PE_BAD_FIELD, "field \"%s%s\": must be an array", d->path, key);
	*out = v;
	return 0;
}

/* Reads a room id field: at most ROOM_ID_MAX bytes of [a-z0-9_-]. */
static int
dec_room_id(struct dec *d, const json_t *o, const char *key, const char **out)
{
	if (dec_str(d, o, key, true, ROOM_ID_MAX, 0, out) != 0)
		return -1;
	if (!room_id_valid(*out))
		return dec_fail(d, PE_BAD_FIELD, "field \"%s%s\": not a room id", d->path, key);
	return 0;
}

/* Reads an optional timer scope: "main" (the default) or a room id. */
static int
dec_scope(struct dec *d, const json_t *o, const char **out)
{
	if (dec_str(d, o, "scope", false, ROOM_ID_MAX, 0, out) != 0)
		return -1;
	if (*out == NULL)
		*out = TIMER_SCOPE_MAIN;
	else if (!room_id_valid(*out))
		return dec_fail(d, PE_BAD_FIELD, "field \"%sscope\": not \"main\" or a room id",
		    d->path);
	return 0;
}

/* Reads a program object through program_from_json(). */
static int
dec_program(struct dec *d, const json_t *o, const char *key, bool req, struct program **out)
{
	json_t *v;
	char *cause = NULL;
	int rc;

	*out = NULL;
	if ((v = dec_field(d, o, key, req, &rc)) == NULL)
		return rc;
	if (!json_is_object(v))
		return dec_fail(d, PE_BAD_FIELD, "field \"%s\": must be an object", key);
	if ((*out = program_from_json(v, &cause)) == NULL) {
		rc = dec_fail(d, PE_BAD_FIELD, "field \"%s\": %s", key,
		    cause != NULL ? cause : "invalid");
		free(cause);
		return rc;
	}
	return 0;
}

/* Decodes a room object into r. */
static int
dec_room_obj(struct dec *d, const json_t *o, struct room_info *r)
{
	const char *id, *title, *kind, *session;
	int64_t occ, cap;

	memset(r, 0, sizeof *r);
	if (!json_is_object(o))
		return dec_fail(d, PE_BAD_FIELD, "field \"%s\": must be an object", d->path);
	if (dec_room_id(d, o, "id", &id) != 0 ||
	    dec_str(d, o, "title", false, ROOM_TITLE_MAX * 4, ROOM_TITLE_MAX, &title) != 0 ||
	    dec_str(d, o, "kind", true, 0, 0, &kind) != 0 ||
	    dec_int(d, o, "occupancy", true, 0, UINT_MAX, 0, &occ) != 0 ||
	    dec_int(d, o, "capacity", false, 0, UINT_MAX, 0, &cap) != 0 ||
	    dec_str(d, o, "session", false, ROOM_ID_MAX, 0, &session) != 0 ||
	    dec_time(d, o, "closes_at", false, &r->closes_at_ms) != 0)
		return -1;
	if (room_kind_parse(kind, &r->kind) != 0)
		return dec_fail(d, PE_BAD_FIELD, "field \"%skind\": unknown room kind", d->path);
	strlcpy_cf(r->id, id, sizeof r->id);
	strlcpy_cf(r->title, title != NULL ? title : "", sizeof r->title);
	r->occupancy = (unsigned)occ;
	r->capacity = (unsigned)cap;
	strlcpy_cf(r->session, session != NULL ? session : "", sizeof r->session);
	return 0;
}

/* Decodes a timer object into t. */
static int
dec_timer_obj(struct dec *d, const json_t *o, struct timer *t)
{
	const char *scope, *state, *label, *by;
	int64_t dur, rev;

	memset(t, 0, sizeof *t);
	if (!json_is_object(o))
		return dec_fail(d, PE_BAD_FIELD, "field \"%s\": must be an object", d->path);
	if (dec_str(d, o, "scope", true, ROOM_ID_MAX, 0, &scope) != 0 ||
	    dec_str(d, o, "state", true, 0, 0, &state) != 0 ||
	    dec_str(d, o, "label", false, TIMER_LABEL_MAX * 4, TIMER_LABEL_MAX, &label) != 0 ||
	    dec_span(d, o, "duration_ms", true, 0, &dur) != 0 ||
	    dec_int(d, o, "rev", true, 0, INT64_MAX, 0, &rev) != 0 ||
	    dec_name(d, o, "by", false, true, &by) != 0 ||
	    dec_time(d, o, "started", false, &t->started_ms) != 0 ||
	    dec_int(d, o, "warn_ms", false, 0, PROTO_MAX_DURATION_MS, TIMER_WARN_MS,
		&t->warn_ms) != 0 ||
	    dec_int(d, o, "danger_ms", false, 0, PROTO_MAX_DURATION_MS, TIMER_DANGER_MS,
		&t->danger_ms) != 0)
		return -1;
	if (strcmp(scope, TIMER_SCOPE_MAIN) != 0 && !room_id_valid(scope))
		return dec_fail(d, PE_BAD_FIELD, "field \"%sscope\": not \"main\" or a room id",
		    d->path);
	if (timer_state_parse(state, &t->state) != 0)
		return dec_fail(d, PE_BAD_FIELD, "field \"%sstate\": unknown timer state", d->path);
	if (t->state == TS_RUNNING &&
	    dec_time(d, o, "deadline", true, &t->deadline_ms) != 0)
		return -1;
	if (t->state == TS_PAUSED &&
	    dec_span(d, o, "remaining_ms", true, -PROTO_MAX_TIME_MS, &t->remaining_ms) != 0)
		return -1;
	strlcpy_cf(t->scope, scope, sizeof t->scope);
	strlcpy_cf(t->label, label != NULL ? label : "", sizeof t->label);
	strlcpy_cf(t->by, by != NULL ? by : "", sizeof t->by);
	t->duration_ms = dur;
	t->rev = (uint64_t)rev;
	return 0;
}

/* Decodes a lineup item object into it. */
static int
dec_lineup_item(struct dec *d, const json_t *o, struct lineup_item *it)
{
	const char *title, *speaker, *kind;
	enum lineup_kind k;

	memset(it, 0, sizeof *it);
	if (!json_is_object(o))
		return dec_fail(d, PE_BAD_FIELD, "field \"%s\": must be an object", d->path);
	if (dec_str(d, o, "title", true, LINEUP_TITLE_MAX * 4, LINEUP_TITLE_MAX, &title) != 0 ||
	    dec_str(d, o, "speaker", false, LINEUP_SPEAKER_MAX * 4, LINEUP_SPEAKER_MAX,
		&speaker) != 0 ||
	    dec_str(d, o, "kind", true, 0, 0, &kind) != 0)
		return -1;
	if (lineup_kind_parse(kind, &k) != 0)
		return dec_fail(d, PE_BAD_FIELD, "field \"%skind\": not talk or pitch", d->path);
	lineup_item_set(it, title, speaker, k);
	return dec_int(d, o, "duration_ms", false, 0, PROTO_MAX_DURATION_MS, 0, &it->duration_ms);
}

/* Decodes one element of an object array into the element at out. */
typedef int (*dec_elem_fn)(struct dec *d, const json_t *o, void *out);

/* Decodes the array of objects at key into a new array of elements of size elem, each
 * read by fn; element paths in errors read like "rooms[2].kind". */
static int
dec_objects(struct dec *d, const json_t *o, const char *key, size_t elem, dec_elem_fn fn,
    void **out, size_t *n)
{
	json_t *a;
	size_t i, count;
	char path[48];
	const char *saved = d->path;
	char *v;

	if (dec_array(d, o, key, &a) != 0)
		return -1;
	count = json_array_size(a);
	*out = v = xcalloc(count + 1, elem);
	*n = 0;
	for (i = 0; i < count; i++) {
		snprintf(path, sizeof path, "%s[%zu].", key, i);
		d->path = path;
		if (fn(d, json_array_get(a, i), v + i * elem) != 0) {
			d->path = saved;
			return -1;
		}
		d->path = saved;
		(*n)++;
	}
	return 0;
}

/* dec_elem_fn for room objects. */
static int
dec_room_elem(struct dec *d, const json_t *o, void *out)
{
	return dec_room_obj(d, o, out);
}

/* dec_elem_fn for timer objects. */
static int
dec_timer_elem(struct dec *d, const json_t *o, void *out)
{
	return dec_timer_obj(d, o, out);
}

/* dec_elem_fn for lineup items. */
static int
dec_lineup_elem(struct dec *d, const json_t *o, void *out)
{
	return dec_lineup_item(d, o, out);
}

/* Decodes {items, current} into l (items a new array). */
static int
dec_lineup(struct dec *d, const json_t *o, struct proto_lineup *l)
{
	void *v = NULL;
	int rc;

	rc = dec_objects(d, o, "items", sizeof *l->items, dec_lineup_elem, &v, &l->nitems);
	l->items = v;
	if (rc != 0)
		return -1;
	if (l->nitems > LINEUP_MAX)
		return dec_fail(d, PE_TOO_LONG, "field \"items\": more than %d items", LINEUP_MAX);
	if (dec_int(d, o, "current", true, -1, (int64_t)l->nitems - 1, -1, &l->current) != 0)
		return -1;
	return 0;
}

/* Decodes an array of room objects into a new array. */
static int
dec_rooms(struct dec *d, const json_t *o, const char *key, struct room_info **out, size_t *n)
{
	void *v = NULL;
	int rc = dec_objects(d, o, key, sizeof **out, dec_room_elem, &v, n);

	*out = v;
	return rc;
}

/* Decodes an array of timer objects into a new array. */
static int
dec_timers(struct dec *d, const json_t *o, const char *key, struct timer **out, size_t *n)
{
	void *v = NULL;
	int rc = dec_objects(d, o, key, sizeof **out, dec_timer_elem, &v, n);

	*out = v;
	return rc;
}

/* True for a valid display name (a dec_strings() check). */
static bool
dec_is_name(const char *s)
{
	return proto_name_check(s) == PE_NONE;
}

/* Decodes an array of strings into a new array of borrowed pointers; each must pass ok
 * (what: the kind of string it wants, for the error). */
static int
dec_strings(struct dec *d, const json_t *o, const char *key, bool (*ok)(const char *),
    const char *what, const char ***out, size_t *n)
{
	json_t *a, *v;
	size_t i, count;

	if (dec_array(d, o, key, &a) != 0)
		return -1;
	count = json_array_size(a);
	*out = xcalloc(count + 1, sizeof **out);
	*n = 0;
	for (i = 0; i < count; i++) {
		v = json_array_get(a, i);
		if (!json_is_string(v))
			return dec_fail(d, PE_BAD_FIELD, "field \"%s[%zu]\": must be a string", key,
			    i);
		if (!ok(json_string_value(v)) ||
		    strlen(json_string_value(v)) != json_string_length(v))
			return dec_fail(d, PE_BAD_FIELD, "field \"%s[%zu]\": not %s", key, i, what);
		(*out)[i] = json_string_value(v);
		(*n)++;
	}
	return 0;
}

/* Reads an optional object member; NULL when absent. */
static int
dec_object(struct dec *d, const json_t *o, const char *key, bool req, json_t **out)
{
	json_t *v;
	int rc;

	*out = NULL;
	if ((v = dec_field(d, o, key, req, &rc)) == NULL)
		return rc;
	if (!json_is_object(v))
		return dec_fail(d, PE_BAD_FIELD, "field \"%s%s\": must be an object", d->path, key);
	*out = v;
	return 0;
}

/* Decodes hello's optional "since": {"epoch": string, "rooms": {room id: seq >= 0}}. */
static int
dec_since(struct dec *d, const json_t *o, struct proto_hello *h)
{
	const char *saved = d->path, *key;
	json_t *since, *rooms, *v;
	size_t i = 0;

	if (dec_object(d, o, "since", false, &since) != 0)
		return -1;
	if (since == NULL)
		return 0;
	d->path = "since.";
	if (dec_str(d, since, "epoch", true, PROTO_MAX_TOKEN, 0, &h->since_epoch) != 0 ||
	    dec_object(d, since, "rooms", true, &rooms) != 0) {
		d->path = saved;
		return -1;
	}
	d->path = saved;
	if (json_object_size(rooms) > PROTO_MAX_SINCE)
		return dec_fail(d, PE_BAD_FIELD, "field \"since.rooms\": more than %d rooms",
		    PROTO_MAX_SINCE);
	h->since = xcalloc(json_object_size(rooms) + 1, sizeof *h->since);
	json_object_foreach(rooms, key, v) {
		if (strlen(key) > ROOM_ID_MAX || !room_id_valid(key))
			return dec_fail(d, PE_BAD_FIELD, "field \"since.rooms\": not a room id");
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return dec_fail(d, PE_BAD_FIELD,
			    "field \"since.rooms\": a seq must be an integer >= 0");
		h->since[i].room = key;
		h->since[i].seq = (int64_t)json_integer_value(v);
		h->nsince = ++i;
	}
	return 0;
}

/* Reads an optional cid: 1..PROTO_MAX_CID bytes of [A-Za-z0-9_-]. */
static int
dec_cid(struct dec *d, const json_t *o, const char **out)
{
	json_t *v;
	int rc;

	*out = NULL;
	if ((v = dec_field(d, o, "cid", false, &rc)) == NULL)
		return rc;
	if (!json_is_string(v) || !proto_cid_valid(json_string_value(v)) ||
	    json_string_length(v) != strlen(json_string_value(v)))
		return dec_fail(d, PE_BAD_FIELD,
		    "field \"cid\": must be 1-%d characters of A-Z a-z 0-9 _ -", PROTO_MAX_CID);
	*out = json_string_value(v);
	return 0;
}

/* Decodes the members of a chat event (after its envelope). */
static int
dec_chat(struct dec *d, const json_t *o, struct proto_chat *c)
{
	return dec_room_id(d, o, "room", &c->room) != 0 ||
	    dec_name(d, o, "from", true, false, &c->from) != 0 ||
	    dec_str(d, o, "text", true, PROTO_MAX_TEXT, 0, &c->text) != 0 ||
	    dec_time(d, o, "ts", true, &c->ts) != 0 ||
	    dec_bool(d, o, "me", false, false, &c->me) != 0 ? -1 : 0;
}

/* Decodes the position members last, from, lost of o into p (last and from required). */
static int
dec_pos(struct dec *d, const json_t *o, struct proto_room_pos *p)
{
	return dec_int(d, o, "last", true, 0, PROTO_MAX_SEQ, 0, &p->last) != 0 ||
	    dec_int(d, o, "from", true, 0, PROTO_MAX_SEQ, 0, &p->from) != 0 ||
	    dec_bool(d, o, "lost", false, false, &p->lost) != 0 ? -1 : 0;
}

/* Decodes welcome's optional "history": {room: {last, from, lost}} into a new array. */
static int
dec_history_map(struct dec *d, const json_t *o, struct proto_welcome *w)
{
	const char *saved = d->path, *key;
	json_t *hist, *v;
	char path[48];
	size_t i = 0;

	if (dec_object(d, o, "history", false, &hist) != 0)
		return -1;
	if (hist == NULL)
		return 0;
	w->history = xcalloc(json_object_size(hist) + 1, sizeof *w->history);
	json_object_foreach(hist, key, v) {
		if (strlen(key) > ROOM_ID_MAX || !room_id_valid(key))
			return dec_fail(d, PE_BAD_FIELD, "field \"history\": not a room id");
		if (!json_is_object(v))
			return dec_fail(d, PE_BAD_FIELD, "field \"history.%s\": must be an object",
			    key);
		snprintf(path, sizeof path, "history.%s.", key);
		d->path = path;
		if (dec_pos(d, v, &w->history[i]) != 0) {
			d->path = saved;
			return -1;
		}
		d->path = saved;
		w->history[i].room = key;
		w->nhistory = ++i;
	}
	return 0;
}

/* Decodes a history reply: room, events (chat events; other types skipped), more. */
static int
dec_history_rep(struct dec *d, const json_t *o, struct proto_history_rep *h)
{
	const char *saved = d->path, *type;
	struct proto_chat_ev *ev;
	json_t *a, *e;
	char path[48];
	size_t i;
	int64_t seq;
	int rc;

	if (dec_room_id(d, o, "room", &h->room) != 0 ||
	    dec_array(d, o, "events", &a) != 0 ||
	    dec_bool(d, o, "more", false, false, &h->more) != 0)
		return -1;
	if (json_array_size(a) > PROTO_HISTORY_LIMIT)
		return dec_fail(d, PE_TOO_LONG, "field \"events\": more than %d events",
		    PROTO_HISTORY_LIMIT);
	h->events = xcalloc(json_array_size(a) + 1, sizeof *h->events);
	json_array_foreach(a, i, e) {
		snprintf(path, sizeof path, "events[%zu].", i);
		d->path = path;
		if (!json_is_object(e)) {
			d->path = saved;
			return dec_fail(d, PE_BAD_FIELD, "field \"events[%zu]\": must be an object",
			    i);
		}
		ev = &h->events[h->nevents];
		rc = dec_str(d, e, "type", true, 0, 0, &type);
		if (rc == 0 && strcmp(type, "chat") != 0) {
			d->path = saved;
			continue;   /* an event type this decoder does not know */
		}
		if (rc != 0 || dec_str(d, e, "stream", true, 0, 0, &ev->stream) != 0 ||
		    dec_int(d, e, "seq", true, 1, PROTO_MAX_SEQ, 0, &seq) != 0 ||
		    dec_chat(d, e, &ev->chat) != 0) {
			d->path = saved;
			return -1;
		}
		d->path = saved;
		ev->seq = (uint64_t)seq;
		h->nevents++;
	}
	return 0;
}

/* Decodes the fields of a request. */
static int
dec_request(struct dec *d, const json_t *o, struct proto_msg *m)
{
	switch (m->type) {
	case PT_HELLO: {
		struct proto_hello *h = &m->u.hello;

		if (dec_int(d, o, "proto", true, INT64_MIN, INT64_MAX, 0, &h->proto) != 0 ||
		    dec_str(d, o, "name", true, PROTO_MAX_NAME, 0, &h->name) != 0 ||
		    dec_str(d, o, "token", false, PROTO_MAX_TOKEN, 0, &h->token) != 0 ||
		    dec_str(d, o, "resume", false, PROTO_MAX_TOKEN, 0, &h->resume) != 0 ||
		    dec_str(d, o, "client", false, 64, 0, &h->client) != 0 ||
		    dec_str(d, o, "secret", false, PROTO_SECRET_MAX, 0, &h->secret) != 0 ||
		    dec_str(d, o, "invite", false, PROTO_MAX_TOKEN, 0, &h->invite) != 0 ||
		    dec_since(d, o, h) != 0 ||
		    dec_str(d, o, "program", false, PROTO_MAX_PROGRAM_VERSION, 0,
			&h->program) != 0 ||
		    dec_int(d, o, "user", false, 0, INT64_MAX, -1, &h->user) != 0)
			return -1;
		h->has_user = h->user >= 0;
		if (!h->has_user)
			h->user = 0;
		return 0;
	}
	case PT_SAY:
	case PT_MSG: {
		const char *text;

		if (m->type == PT_SAY) {
			if (dec_room_id(d, o, "room", &m->u.say.room) != 0 ||
			    dec_bool(d, o, "me", false, false, &m->u.say.me) != 0)
				return -1;
		} else if (dec_str(d, o, "to", true, PROTO_MAX_NAME, 0, &m->u.msg.to) != 0)
			return -1;
		if (dec_str(d, o, "text", true, PROTO_MAX_TEXT, 0, &text) != 0)
			return -1;
		if (*text == '\0')
			return dec_fail(d, PE_BAD_FIELD, "field \"text\": empty");
		if (m->type == PT_SAY)
			m->u.say.text = text;
		else
			m->u.msg.text = text;
		return dec_cid(d, o, m->type == PT_SAY ? &m->u.say.cid : &m->u.msg.cid);
	}
	case PT_JOIN: {
		struct proto_room_ref *r = &m->u.room;

		if (dec_room_id(d, o, "room", &r->room) != 0 ||
		    dec_int(d, o, "since", false, 0, INT64_MAX, -1, &r->since) != 0)
			return -1;
		r->has_since = r->since >= 0;
		if (!r->has_since)
			r->since = 0;
		return 0;
	}
	case PT_HISTORY: {
		struct proto_history_req *h = &m->u.history;

		return dec_room_id(d, o, "room", &h->room) != 0 ||
		    dec_int(d, o, "before", false, 1, INT64_MAX, 0, &h->before) != 0 ||
		    dec_int(d, o, "limit", false, 1, PROTO_HISTORY_LIMIT, PROTO_HISTORY_DEFAULT,
			&h->limit) != 0 ? -1 : 0;
	}
	case PT_PART:
	case PT_WHO:
	case PT_ROOM_CLOSE:
		return dec_room_id(d, o, "room", &m->u.room.room);
	case PT_ROOM_CREATE: {
		struct proto_room_create *c = &m->u.room_create;

		return dec_room_id(d, o, "room", &c->room) != 0 ||
		    dec_str(d, o, "title", false, ROOM_TITLE_MAX * 4, ROOM_TITLE_MAX,
			&c->title) != 0 ||
		    dec_int(d, o, "capacity", false, 0, 100000, 0, &c->capacity) != 0 ||
		    dec_int(d, o, "minutes", false, 1, 1440, 0, &c->minutes) != 0 ||
		    dec_int(d, o, "seconds", false, 1, 1440 * 60, 0, &c->seconds) != 0 ? -1 : 0;
	}
	case PT_ROOM_EXPIRE: {
		struct proto_room_expire *e = &m->u.room_expire;

		if (dec_room_id(d, o, "room", &e->room) != 0 ||
		    dec_int(d, o, "minutes", false, 0, 1440, 0, &e->minutes) != 0 ||
		    dec_int(d, o, "seconds", false, 0, 1440 * 60, -1, &e->seconds) != 0)
			return -1;
		e->has_seconds = e->seconds >= 0;
		if (!e->has_seconds)
			e->seconds = 0;
		if (!e->has_seconds && (json_object_get(o, "minutes") == NULL ||
		    json_is_null(json_object_get(o, "minutes"))))
			return dec_fail(d, PE_BAD_FIELD, "field \"minutes\": missing");
		return 0;
	}
	case PT_LINEUP_ADD: {
		struct proto_lineup_add *a = &m->u.lineup_add;
		const char *kind;

		if (dec_str(d, o, "title", true, LINEUP_TITLE_MAX * 4, LINEUP_TITLE_MAX,
			&a->title) != 0 ||
		    dec_str(d, o, "speaker", false, LINEUP_SPEAKER_MAX * 4, LINEUP_SPEAKER_MAX,
			&a->speaker) != 0 ||
		    dec_str(d, o, "kind", false, 0, 0, &kind) != 0 ||
		    dec_int(d, o, "duration_ms", false, 1, PROTO_MAX_DURATION_MS, 0,
			&a->duration_ms) != 0)
			return -1;
		if (*a->title == '\0')
			return dec_fail(d, PE_BAD_FIELD, "field \"title\": empty");
		a->kind = LK_TALK;
		if (kind != NULL && lineup_kind_parse(kind, &a->kind) != 0)
			return dec_fail(d, PE_BAD_FIELD, "field \"kind\": not talk or pitch");
		return 0;
	}
	case PT_LINEUP_REMOVE:
		return dec_int(d, o, "index", true, 0, INT64_MAX, 0, &m->u.lineup_index.index);
	case PT_LINEUP_MOVE:
		return dec_int(d, o, "from", true, 0, INT64_MAX, 0, &m->u.lineup_move.from) != 0 ||
		    dec_int(d, o, "to", true, 0, INT64_MAX, 0, &m->u.lineup_move.to) != 0 ? -1 : 0;
	case PT_LINEUP_NEXT:
		return 0;
	case PT_TIMER_START: {
		struct proto_timer_start *s = &m->u.timer_start;

		return dec_scope(d, o, &s->scope) != 0 ||
		    dec_int(d, o, "duration_ms", true, 1, PROTO_MAX_DURATION_MS, 0,
			&s->duration_ms) != 0 ||
		    dec_str(d, o, "label", false, TIMER_LABEL_MAX * 4, TIMER_LABEL_MAX,
			&s->label) != 0 ||
		    dec_int(d, o, "warn_ms", false, 0, PROTO_MAX_DURATION_MS, 0,
			&s->warn_ms) != 0 ||
		    dec_int(d, o, "danger_ms", false, 0, PROTO_MAX_DURATION_MS, 0,
			&s->danger_ms) != 0 ? -1 : 0;
	}
	case PT_TIMER_PAUSE:
	case PT_TIMER_RESUME:
	case PT_TIMER_RESET:
	case PT_TIMER_STOP:
		return dec_scope(d, o, &m->u.timer_ref.scope);
	case PT_TIMER_ADJUST: {
		struct proto_timer_adjust *a = &m->u.timer_adjust;

		if (dec_scope(d, o, &a->scope) != 0 ||
		    dec_int(d, o, "delta_ms", true, -PROTO_MAX_DURATION_MS, PROTO_MAX_DURATION_MS,
			0, &a->delta_ms) != 0)
			return -1;
		if (a->delta_ms == 0)
			return dec_fail(d, PE_BAD_FIELD, "field \"delta_ms\": must not be 0");
		return 0;
	}
	case PT_DELETE:
	case PT_REPORT: {
		struct proto_line_ref *l = &m->u.line;

		if (dec_room_id(d, o, "room", &l->room) != 0 ||
		    dec_int(d, o, "line", true, 1, PROTO_MAX_SEQ, 0, &l->seq) != 0 ||
		    dec_str(d, o, "reason", m->type == PT_REPORT, PROTO_MAX_REASON, 0,
			&l->reason) != 0)
			return -1;
		if (m->type == PT_REPORT && *l->reason == '\0')
			return dec_fail(d, PE_BAD_FIELD, "field \"reason\": empty");
		return 0;
	}
	case PT_MUTE:
	case PT_UNMUTE:
	case PT_KICK:
	case PT_BAN:
	case PT_UNBAN: {
		struct proto_mod *k = &m->u.mod;

		return dec_str(d, o, "name", true, PROTO_MAX_NAME, 0, &k->name) != 0 ||
		    dec_str(d, o, "reason", false, PROTO_MAX_REASON, 0, &k->reason) != 0 ||
		    dec_int(d, o, "minutes", false, 1, PROTO_MAX_MUTE_MINUTES, 0,
			&k->minutes) != 0 ? -1 : 0;
	}
	case PT_ANNOUNCE:
		if (dec_str(d, o, "text", true, PROTO_MAX_TEXT, 0, &m->u.announce.text) != 0)
			return -1;
		if (*m->u.announce.text == '\0')
			return dec_fail(d, PE_BAD_FIELD, "field \"text\": empty");
		return 0;
	case PT_REPORTS:
		return 0;
	case PT_PING:
		return dec_int(d, o, "t0", true, INT64_MIN, INT64_MAX, 0, &m->u.ping.t0);
	default:
		return dec_fail(d, PE_INTERNAL, "not a request");
	}
}

/* Decodes the fields of a welcome reply. */
static int
dec_welcome(struct dec *d, const json_t *o, struct proto_welcome *w)
{
	const char *role;
	json_t *lim;
	struct proto_limits *l = &w->limits;
	const char *saved = d->path;
	int rc;

	if (dec_int(d, o, "proto", true, INT64_MIN, INT64_MAX, 0, &w->proto) != 0 ||
	    dec_str(d, o, "hub", true, PROTO_MAX_HUB, 0, &w->hub) != 0 ||
	    dec_str(d, o, "epoch", true, PROTO_MAX_TOKEN, 0, &w->epoch) != 0 ||
	    dec_name(d, o, "name", true, false, &w->name) != 0 ||
	    dec_str(d, o, "role", true, 0, 0, &role) != 0 ||
	    dec_str(d, o, "resume", true, PROTO_MAX_TOKEN, 0, &w->resume) != 0 ||
	    dec_time(d, o, "now", true, &w->now) != 0)
		return -1;
	if (strcmp(role, "facilitator") == 0)
		w->role = ROLE_FACILITATOR;
	else if (strcmp(role, "attendee") == 0)
		w->role = ROLE_ATTENDEE;
	else
		return dec_fail(d, PE_BAD_FIELD, "field \"role\": unknown role");
	if ((lim = dec_field(d, o, "limits", true, &rc)) == NULL)
		return rc;
	if (!json_is_object(lim))
		return dec_fail(d, PE_BAD_FIELD, "field \"limits\": must be an object");
	d->path = "limits.";
	rc = dec_int(d, lim, "frame", true, 0, INT64_MAX, 0, &l->frame) != 0 ||
	    dec_int(d, lim, "text", true, 0, INT64_MAX, 0, &l->text) != 0 ||
	    dec_int(d, lim, "name", true, 0, INT64_MAX, 0, &l->name) != 0 ||
	    dec_int(d, lim, "history", true, 0, INT64_MAX, 0, &l->history) != 0 ||
	    dec_int(d, lim, "backlog", false, 0, INT64_MAX, 0, &l->backlog) != 0 ? -1 : 0;
	d->path = saved;
	if (rc != 0)
		return -1;
	if (dec_str(d, o, "program_version", false, PROTO_MAX_PROGRAM_VERSION, 0,
		&w->program_version) != 0 ||
	    dec_str(d, o, "secret", false, PROTO_SECRET_MAX, 0, &w->secret) != 0 ||
	    dec_str(d, o, "notice", false, PROTO_MAX_NOTICE, 0, &w->notice) != 0 ||
	    dec_program(d, o, "program", false, &w->program) != 0 ||
	    dec_rooms(d, o, "rooms", &w->rooms, &w->nrooms) != 0 ||
	    dec_timers(d, o, "timers", &w->timers, &w->ntimers) != 0 ||
	    dec_strings(d, o, "joined", room_id_valid, "a room id", &w->joined,
		&w->njoined) != 0 ||
	    dec_history_map(d, o, w) != 0)
		return -1;
	w->lineup.current = -1;
	if ((lim = dec_field(d, o, "lineup", false, &rc)) == NULL)
		return rc;
	if (!json_is_object(lim))
		return dec_fail(d, PE_BAD_FIELD, "field \"lineup\": must be an object");
	d->path = "lineup.";
	rc = dec_lineup(d, lim, &w->lineup);
	d->path = saved;
	w->has_lineup = rc == 0;
	return rc;
}

/* Decodes the fields of a reply. */
static int
dec_reply(struct dec *d, const json_t *o, struct proto_msg *m)
{
	const char *code;

	switch (m->type) {
	case PT_WELCOME:
		return dec_welcome(d, o, &m->u.welcome);
	case PT_OK: {
		struct proto_ok *k = &m->u.ok;

		if (dec_int(d, o, "seq", false, 0, PROTO_MAX_SEQ, 0, &k->seq) != 0 ||
		    dec_bool(d, o, "dup", false, false, &k->dup) != 0)
			return -1;
		k->has_pos = json_object_get(o, "last") != NULL &&
		    !json_is_null(json_object_get(o, "last"));
		return k->has_pos ? dec_pos(d, o, &k->pos) : 0;
	}
	case PT_HISTORY_REPLY:
		return dec_history_rep(d, o, &m->u.history_rep);
	case PT_ERROR:
		if (dec_str(d, o, "code", true, 64, 0, &code) != 0 ||
		    dec_str(d, o, "message", true, PROTO_MAX_MESSAGE, 0,
			&m->u.error.message) != 0)
			return -1;
		/* An unknown code from a newer hub is still an error. */
		m->u.error.code = proto_err_parse(code);
		if (m->u.error.code == PE_NONE)
			m->u.error.code = PE_INTERNAL;
		return 0;
	case PT_MEMBERS:
		return dec_room_id(d, o, "room", &m->u.members.room) != 0 ||
		    dec_strings(d, o, "names", dec_is_name, "a valid name", &m->u.members.names,
			&m->u.members.nnames) != 0 ?
		    -1 : 0;
	case PT_PONG:
		/* t0 is the client's own number, echoed: only compared, never computed with */
		return dec_int(d, o, "t0", true, INT64_MIN, INT64_MAX, 0, &m->u.pong.t0) != 0 ||
		    dec_time(d, o, "t1", true, &m->u.pong.t1) != 0 ||
		    dec_time(d, o, "t2", true, &m->u.pong.t2) != 0 ? -1 : 0;
	default:
		return dec_fail(d, PE_INTERNAL, "not a reply");
	}
}

/* Decodes occupancy's "rooms": an object of room id -> count. */
static int
dec_occupancy(struct dec *d, const json_t *o, struct proto_occupancy *oc)
{
	const char *key;
	json_t *map, *v;
	size_t n = 0;
	int rc;

	if ((map = dec_field(d, o, "rooms", true, &rc)) == NULL)
		return rc;
	if (!json_is_object(map))
		return dec_fail(d, PE_BAD_FIELD, "field \"rooms\": must be an object");
	oc->rooms = xcalloc(json_object_size(map) + 1, sizeof *oc->rooms);
	json_object_foreach(map, key, v) {
		if (!room_id_valid(key))
			return dec_fail(d, PE_BAD_FIELD, "field \"rooms\": a key is not a room id");
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > UINT_MAX)
			return dec_fail(d, PE_BAD_FIELD, "field \"rooms\": a count is not a count");
		oc->rooms[n].room = key;
		oc->rooms[n++].occupancy = (int64_t)json_integer_value(v);
	}
	oc->nrooms = n;
	return 0;
}

/* Decodes the fields of an event. */
static int
dec_event(struct dec *d, const json_t *o, struct proto_msg *m)
{
	const char *action;
	json_t *v;
	int rc, i;

	switch (m->type) {
	case PT_CHAT:
		return dec_chat(d, o, &m->u.chat);
	case PT_PRIVMSG: {
		struct proto_privmsg *p = &m->u.privmsg;

		return dec_name(d, o, "from", true, false, &p->from) != 0 ||
		    dec_name(d, o, "to", true, false, &p->to) != 0 ||
		    dec_str(d, o, "text", true, PROTO_MAX_TEXT, 0, &p->text) != 0 ||
		    dec_time(d, o, "ts", true, &p->ts) != 0 ? -1 : 0;
	}
	case PT_PRESENCE:
		if (dec_room_id(d, o, "room", &m->u.presence.room) != 0 ||
		    dec_name(d, o, "name", true, false, &m->u.presence.name) != 0 ||
		    dec_str(d, o, "action", true, 0, 0, &action) != 0)
			return -1;
		for (i = 0; i < 3; i++) {
			if (strcmp(action, proto_presence_names[i]) == 0) {
				m->u.presence.action = (enum proto_presence)i;
				return 0;
			}
		}
		return dec_fail(d, PE_BAD_FIELD, "field \"action\": unknown action");
	case PT_ROOMS:
		return dec_rooms(d, o, "rooms", &m->u.rooms.rooms, &m->u.rooms.nrooms);
	case PT_TIMER:
		if (dec_time(d, o, "now", true, &m->u.timer.now) != 0)
			return -1;
		if ((v = dec_field(d, o, "timer", true, &rc)) == NULL)
			return rc;
		d->path = "timer.";
		rc = dec_timer_obj(d, v, &m->u.timer.timer);
		d->path = "";
		return rc;
	case PT_ROOM_CLOSED: {
		struct proto_room_closed *c = &m->u.room_closed;

		return dec_room_id(d, o, "room", &c->room) != 0 ||
		    dec_name(d, o, "by", true, true, &c->by) != 0 ||
		    dec_room_id(d, o, "moved_to", &c->moved_to) != 0 ? -1 : 0;
	}
	case PT_PROGRAM:
		return dec_program(d, o, "program", true, &m->u.program.program);
	case PT_LINEUP:
		return dec_lineup(d, o, &m->u.lineup) != 0 ||
		    dec_name(d, o, "by", false, true, &m->u.lineup.by) != 0 ? -1 : 0;
	case PT_OCCUPANCY:
		return dec_occupancy(d, o, &m->u.occupancy);
	case PT_CHAT_DELETED: {
		struct proto_chat_deleted *c = &m->u.chat_deleted;

		return dec_room_id(d, o, "room", &c->room) != 0 ||
		    dec_int(d, o, "line", true, 1, PROTO_MAX_SEQ, 0, &c->seq) != 0 ||
		    dec_name(d, o, "by", false, true, &c->by) != 0 ? -1 : 0;
	}
	case PT_ANNOUNCEMENT: {
		struct proto_announcement *a = &m->u.announcement;

		return dec_room_id(d, o, "room", &a->room) != 0 ||
		    dec_name(d, o, "from", true, false, &a->from) != 0 ||
		    dec_str(d, o, "text", true, PROTO_MAX_TEXT, 0, &a->text) != 0 ||
		    dec_str(d, o, "aid", true, 64, 0, &a->aid) != 0 ||
		    dec_time(d, o, "ts", true, &a->ts) != 0 ? -1 : 0;
	}
	case PT_REPORT_EV: {
		struct proto_report_ev *r = &m->u.report;

		return dec_name(d, o, "by", true, false, &r->by) != 0 ||
		    dec_room_id(d, o, "room", &r->room) != 0 ||
		    dec_int(d, o, "line", true, 1, PROTO_MAX_SEQ, 0, &r->seq) != 0 ||
		    dec_name(d, o, "from", false, false, &r->from) != 0 ||
		    dec_str(d, o, "text", false, PROTO_MAX_TEXT, 0, &r->text) != 0 ||
		    dec_str(d, o, "reason", true, PROTO_MAX_REASON, 0, &r->reason) != 0 ||
		    dec_time(d, o, "ts", true, &r->ts) != 0 ? -1 : 0;
	}
	case PT_MODERATION: {
		struct proto_moderation *k = &m->u.moderation;

		if (dec_str(d, o, "action", true, 16, 0, &k->action) != 0 ||
		    dec_name(d, o, "by", false, true, &k->by) != 0 ||
		    dec_str(d, o, "reason", false, PROTO_MAX_REASON, 0, &k->reason) != 0 ||
		    dec_time(d, o, "until", false, &k->until) != 0)
			return -1;
		if (strcmp(k->action, "mute") != 0 && strcmp(k->action, "unmute") != 0 &&
		    strcmp(k->action, "kick") != 0 && strcmp(k->action, "ban") != 0)
			return dec_fail(d, PE_BAD_FIELD, "field \"action\": unknown action");
		return 0;
	}
	default:
		return dec_fail(d, PE_INTERNAL, "not an event");
	}
}

/* Copies a string for a log detail: printable ASCII only, at most 32 bytes. */
static void
proto_safe_copy(char *out, size_t outlen, const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i < 32 && i + 1 < outlen; i++)
		out[i] = (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"') ? s[i] : '?';
	out[i] = '\0';
}

/* Decodes one frame into m, or fills err; with requests_only, a type that only the hub
 * sends is refused as unknown before its fields are looked at. */
static int
proto_decode_frame(const char *data, size_t len, size_t max_frame, bool requests_only,
    struct proto_msg *m, struct proto_decode_err *err)
{
	struct dec d = { err, "" };
	json_error_t jerr;
	json_t *root, *v;
	const char *type;
	char safe[40];
	int64_t seq;
	int rc;

	memset(err, 0, sizeof *err);
	proto_msg_init(m, PT_UNKNOWN);
	if (data == NULL)
		len = 0;
	if (max_frame > 0 && len > max_frame)
		return dec_fail(&d, PE_BAD_FRAME, "frame of %zu bytes is over the limit of %zu",
		    len, max_frame);
	if (len > 0 && !utf8_valid(data, len))
		return dec_fail(&d, PE_BAD_UTF8, "frame is not valid UTF-8");
	if (len == 0)
		return dec_fail(&d, PE_BAD_JSON, "empty frame");
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		return dec_fail(&d, PE_BAD_JSON, "%s at line %d column %d", jerr.text, jerr.line,
		    jerr.column);
	m->root_ = root;
	m->owns_ = 1;
	if (!json_is_object(root)) {
		rc = dec_fail(&d, PE_BAD_JSON, "not a JSON object");
		goto fail;
	}

	/* The id first, so that any later error can be matched to the request. */
	v = json_object_get(root, "id");
	if (json_is_integer(v) && json_integer_value(v) > 0)
		err->id = json_integer_value(v);
	/* ... and a reply to its request (the client tells the user what failed) */
	v = json_object_get(root, "re");
	if (json_is_integer(v) && json_integer_value(v) > 0)
		err->re = json_integer_value(v);

	v = json_object_get(root, "type");
	if (v == NULL) {
		rc = dec_fail(&d, PE_BAD_FIELD, "field \"type\": missing");
		goto fail;
	}
	if (!json_is_string(v)) {
		rc = dec_fail(&d, PE_BAD_FIELD, "field \"type\": must be a string");
		goto fail;
	}
	type = json_string_value(v);
	m->type = proto_type_parse(type);
	/* "history" names a request and its reply: a frame with "re" and no "id" is the reply. */
	if (m->type == PT_HISTORY && !requests_only && json_object_get(root, "id") == NULL &&
	    json_object_get(root, "re") != NULL)
		m->type = PT_HISTORY_REPLY;
	err->type = m->type;
	if (m->type == PT_UNKNOWN) {
		proto_safe_copy(safe, sizeof safe, type);
		rc = dec_fail(&d, PE_UNKNOWN_TYPE, "unknown type \"%s\"", safe);
		goto fail;
	}
	if (requests_only && !proto_type_is_request(m->type)) {
		rc = dec_fail(&d, PE_UNKNOWN_TYPE, "\"%s\" is not a request", type);
		goto fail;
	}

	if (proto_type_is_request(m->type)) {
		if (dec_int(&d, root, "id", true, 1, INT64_MAX, 0, &m->id) != 0)
			goto fail;
		rc = dec_request(&d, root, m);
	} else if (proto_type_is_reply(m->type)) {
		if (dec_int(&d, root, "re", true, 0, INT64_MAX, 0, &m->re) != 0)
			goto fail;
		rc = dec_reply(&d, root, m);
	} else if (proto_type_is_event(m->type)) {
		if (dec_str(&d, root, "stream", true, 0, 0, &m->stream) != 0)
			goto fail;
		if (dec_int(&d, root, "seq", true, m->type == PT_PRESENCE ? 0 : 1, PROTO_MAX_SEQ, 0,
		    &seq) != 0)
			goto fail;
		m->seq = (uint64_t)seq;
		rc = dec_event(&d, root, m);
	} else
		rc = dec_fail(&d, PE_INTERNAL, "unhandled type");
	if (rc == 0)
		return 0;
fail:
	proto_msg_clear(m);
	if (err->code == PE_NONE)
		err->code = PE_INTERNAL;
	return -1;
}

/* Decodes one frame of any type into m, or fills err. */
int
proto_decode(const char *data, size_t len, size_t max_frame, struct proto_msg *m,
    struct proto_decode_err *err)
{
	return proto_decode_frame(data, len, max_frame, false, m, err);
}

/* Decodes one frame from a client: only request types are accepted. */
int
proto_decode_request(const char *data, size_t len, size_t max_frame, struct proto_msg *m,
    struct proto_decode_err *err)
{
	return proto_decode_frame(data, len, max_frame, true, m, err);
}

/* Runs a nested-object decoder with a caller's detail buffer. */
static int
proto_nested_result(int rc, const struct proto_decode_err *err, char *detail, size_t len)
{
	if (rc != 0 && detail != NULL && len > 0)
		strlcpy_cf(detail, err->detail, len);
	return rc;
}

/* Decodes a room object; 0, or -1 with a message in detail. */
int
proto_room_from_json(const json_t *o, struct room_info *r, char *detail, size_t len)
{
	struct proto_decode_err err;
	struct dec d = { &err, "" };

	memset(&err, 0, sizeof err);
	return proto_nested_result(dec_room_obj(&d, o, r), &err, detail, len);
}

/* Decodes a timer object; 0, or -1 with a message in detail. */
int
proto_timer_from_json(const json_t *o, struct timer *t, char *detail, size_t len)
{
	struct proto_decode_err err;
	struct dec d = { &err, "" };

	memset(&err, 0, sizeof err);
	return proto_nested_result(dec_timer_obj(&d, o, t), &err, detail, len);
}

/* Decodes a lineup object; 0, or -1 with a message in detail (l->items is new). */
int
proto_lineup_from_json(const json_t *o, struct proto_lineup *l, char *detail, size_t len)
{
	struct proto_decode_err err;
	struct dec d = { &err, "" };

	memset(&err, 0, sizeof err);
	memset(l, 0, sizeof *l);
	if (!json_is_object(o)) {
		strlcpy_cf(detail, "not an object", len);
		return -1;
	}
	return proto_nested_result(dec_lineup(&d, o, l), &err, detail, len);
}
