/* proto_part.c: the codec of participation (doc/PROTOCOL.md section 6.13): requests to
 * propose topics, ask questions, sign up, vote, raise a hand, and the facilitators' requests
 * on them; the item object (section 8.5) and the events item, item.hidden, qa, part.state,
 * tally, queue and signup.answer. Checks are as strict as for every other frame. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "proto/proto.h"
#include "proto/proto_int.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define PART_DEC_MAX_ITEMS 10000   /* items in one part.state a client accepts */
#define PART_DEC_MAX_LIST 10000    /* tally entries, hands, sessions in one event */

/* True when s is empty or only white space (which shows as nothing). */
static bool
part_blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

/* A required text member of at most maxcp code points that is not blank. */
static int
part_dec_text(struct dec *d, const json_t *o, const char *key, size_t maxcp, const char **out)
{
	if (dec_str(d, o, key, true, maxcp * 4, maxcp, out) != 0)
		return -1;
	if (part_blank(*out))
		return dec_fail(d, PE_BAD_FIELD, "field \"%s%s\": empty", d->path, key);
	return 0;
}

/* An optional session id member (the form of a room id). */
static int
part_dec_session(struct dec *d, const json_t *o, const char *key, const char **out)
{
	if (dec_str(d, o, key, false, ROOM_ID_MAX, 0, out) != 0)
		return -1;
	if (*out != NULL && !room_id_valid(*out))
		return dec_fail(d, PE_BAD_FIELD, "field \"%s%s\": not a session id", d->path, key);
	return 0;
}

/* An item number member. */
static int
part_dec_id(struct dec *d, const json_t *o, const char *key, bool req, int64_t *out)
{
	return dec_int(d, o, key, req, 1, PROTO_MAX_SEQ, 0, out);
}

/* "talk" or "pitch". */
static int
part_dec_format(struct dec *d, const json_t *o, bool req, enum lineup_kind *out)
{
	const char *f;

	*out = LK_TALK;
	if (dec_str(d, o, "format", req, 16, 0, &f) != 0)
		return -1;
	if (f != NULL && lineup_kind_parse(f, out) != 0)
		return dec_fail(d, PE_BAD_FIELD, "field \"%sformat\": not talk or pitch", d->path);
	return 0;
}

/* poll.open's choices: 2 to 10 distinct texts of 1 to PART_CHOICE_MAX code points. */
static int
part_dec_choices(struct dec *d, const json_t *o, struct proto_poll_open *p)
{
	json_t *a, *v;
	size_t i, j, n;

	if (dec_array(d, o, "choices", &a) != 0)
		return -1;
	n = json_array_size(a);
	if (n < PART_CHOICES_MIN || n > PART_CHOICES_MAX)
		return dec_fail(d, PE_BAD_FIELD, "field \"choices\": give %d to %d choices",
		    PART_CHOICES_MIN, PART_CHOICES_MAX);
	p->choices = xcalloc(n, sizeof *p->choices);
	for (i = 0; i < n; i++) {
		v = json_array_get(a, i);
		if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
			return dec_fail(d, PE_BAD_FIELD, "field \"choices[%zu]\": must be a string", i);
		if (utf8_strlen(json_string_value(v), json_string_length(v)) > PART_CHOICE_MAX)
			return dec_fail(d, PE_TOO_LONG, "field \"choices[%zu]\": longer than %d "
			    "characters", i, PART_CHOICE_MAX);
		if (part_blank(json_string_value(v)))
			return dec_fail(d, PE_BAD_FIELD, "field \"choices[%zu]\": empty", i);
		for (j = 0; j < i; j++)
			if (strcasecmp(p->choices[j], json_string_value(v)) == 0)
				return dec_fail(d, PE_BAD_FIELD, "field \"choices[%zu]\": the same "
				    "as choices[%zu]", i, j);
		p->choices[i] = json_string_value(v);
		p->nchoices = i + 1;
	}
	return 0;
}

/* qa.anonymous and the qa event: a session and whether it allows anonymous questions. */
static int
part_dec_qa(struct dec *d, const json_t *o, struct proto_qa *q)
{
	if (dec_str(d, o, "session", true, ROOM_ID_MAX, 0, &q->session) != 0 ||
	    dec_bool(d, o, "anonymous", true, false, &q->anonymous) != 0)
		return -1;
	if (!room_id_valid(q->session))
		return dec_fail(d, PE_BAD_FIELD, "field \"session\": not a session id");
	return 0;
}

/* The members of a facilitator's request on one item. */
static int
part_dec_item_req(struct dec *d, const json_t *o, struct proto_msg *m)
{
	struct proto_item_req *r = &m->u.item_req;

	if (part_dec_id(d, o, "item", true, &r->item) != 0)
		return -1;
	switch (m->type) {
	case PT_TOPIC_PROMOTE:
		return dec_int(d, o, "minutes", false, 1, 1440, 0, &r->minutes) != 0 ||
		    dec_int(d, o, "seconds", false, 1, 86400, 0, &r->seconds) != 0 ||
		    dec_int(d, o, "capacity", false, 0, 100000, 0, &r->capacity) != 0 ? -1 : 0;
	case PT_TOPIC_MERGE:
		return part_dec_id(d, o, "into", true, &r->into);
	case PT_ITEM_HIDE:
		return dec_str(d, o, "reason", false, PROTO_MAX_REASON, 0, &r->note);
	case PT_QUESTION_PIN:
		return dec_bool(d, o, "pinned", false, true, &r->flag);
	case PT_SIGNUP_DECLINE:
		return dec_str(d, o, "note", false, PART_NOTE_MAX, 0, &r->note);
	default:
		return 0;
	}
}

/* Decodes the members of a participation request; PE_INTERNAL for another type. */
int
proto_part_dec_request(struct dec *d, const json_t *o, struct proto_msg *m)
{
	switch (m->type) {
	case PT_PROPOSE:
		return part_dec_text(d, o, "title", PART_TOPIC_MAX, &m->u.propose.title) != 0 ||
		    part_dec_session(d, o, "session", &m->u.propose.session) != 0 ||
		    dec_cid(d, o, &m->u.propose.cid) != 0 ? -1 : 0;
	case PT_ASK:
		if (part_dec_text(d, o, "text", PART_QUESTION_MAX, &m->u.ask.text) != 0 ||
		    part_dec_session(d, o, "session", &m->u.ask.session) != 0 ||
		    dec_bool(d, o, "anonymous", false, false, &m->u.ask.anonymous) != 0 ||
		    dec_cid(d, o, &m->u.ask.cid) != 0)
			return -1;
		if (json_object_get(o, "room") != NULL && !json_is_null(json_object_get(o, "room")))
			return dec_room_id(d, o, "room", &m->u.ask.room);
		return 0;
	case PT_SIGNUP:
		return part_dec_format(d, o, true, &m->u.signup.format) != 0 ||
		    part_dec_text(d, o, "title", PART_SIGNUP_MAX, &m->u.signup.title) != 0 ||
		    dec_cid(d, o, &m->u.signup.cid) != 0 ? -1 : 0;
	case PT_VOTE:
	case PT_UNVOTE:
		m->u.vote.choice = -1;
		if (part_dec_id(d, o, "item", true, &m->u.vote.item) != 0)
			return -1;
		return m->type == PT_UNVOTE ? 0 : dec_int(d, o, "choice", false, 0,
		    PART_CHOICES_MAX - 1, -1, &m->u.vote.choice);
	case PT_HAND:
		return dec_room_id(d, o, "room", &m->u.hand.room) != 0 ||
		    dec_bool(d, o, "up", false, true, &m->u.hand.up) != 0 ? -1 : 0;
	case PT_QUEUE_NEXT:
	case PT_QUEUE_CLEAR:
		return dec_room_id(d, o, "room", &m->u.room.room);
	case PT_POLL_OPEN: {
		struct proto_poll_open *p = &m->u.poll_open;

		return part_dec_text(d, o, "question", PART_POLL_MAX, &p->question) != 0 ||
		    part_dec_choices(d, o, p) != 0 ||
		    dec_int(d, o, "minutes", false, 1, 1440, 0, &p->minutes) != 0 ||
		    dec_int(d, o, "seconds", false, 1, 86400, 0, &p->seconds) != 0 ||
		    dec_bool(d, o, "secret", false, false, &p->secret) != 0 ||
		    dec_cid(d, o, &p->cid) != 0 ? -1 : 0;
	}
	case PT_QA_ANONYMOUS:
		return part_dec_qa(d, o, &m->u.qa);
	case PT_TOPIC_PROMOTE:
	case PT_TOPIC_MERGE:
	case PT_ITEM_HIDE:
	case PT_QUESTION_ANSWER:
	case PT_QUESTION_PIN:
	case PT_POLL_CLOSE:
	case PT_SIGNUP_ACCEPT:
	case PT_SIGNUP_DECLINE:
		return part_dec_item_req(d, o, m);
	default:
		return dec_fail(d, PE_INTERNAL, "not a request");
	}
}

/* A poll's choices and counts in an item object. */
static int
part_dec_item_choices(struct dec *d, const json_t *o, struct part_item *it)
{
	const char *texts[PART_CHOICES_MAX];
	json_t *a, *v;
	size_t i, n;

	if (dec_array(d, o, "choices", &a) != 0)
		return -1;
	n = json_array_size(a);
	if (n < PART_CHOICES_MIN || n > PART_CHOICES_MAX)
		return dec_fail(d, PE_BAD_FIELD, "field \"%schoices\": not 2 to 10 choices",
		    d->path);
	for (i = 0; i < n; i++) {
		v = json_array_get(a, i);
		if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v) ||
		    utf8_strlen(json_string_value(v), json_string_length(v)) > PART_CHOICE_MAX)
			return dec_fail(d, PE_BAD_FIELD, "field \"%schoices[%zu]\": not a choice",
			    d->path, i);
		texts[i] = json_string_value(v);
	}
	part_item_set_choices(it, texts, n);
	if ((a = json_object_get(o, "counts")) == NULL || json_is_null(a))
		return 0;
	if (!json_is_array(a) || json_array_size(a) != n)
		return dec_fail(d, PE_BAD_FIELD, "field \"%scounts\": not one count per choice",
		    d->path);
	for (i = 0; i < n; i++) {
		v = json_array_get(a, i);
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > PROTO_MAX_SEQ)
			return dec_fail(d, PE_BAD_FIELD, "field \"%scounts[%zu]\": not a count",
			    d->path, i);
		it->counts[i] = json_integer_value(v);
	}
	it->has_counts = true;
	return 0;
}

/* Decodes an item object into it (strings new, also on failure: clear it). */
static int
part_dec_item(struct dec *d, const json_t *o, struct part_item *it)
{
	const char *kind, *state, *title, *by, *session, *room = NULL, *note;
	int64_t choice;

	memset(it, 0, sizeof *it);
	it->choice = -1;
	if (!json_is_object(o))
		return dec_fail(d, PE_BAD_FIELD, "field \"%s\": must be an object", d->path);
	if (part_dec_id(d, o, "id", true, &it->id) != 0 ||
	    dec_str(d, o, "kind", true, 16, 0, &kind) != 0 ||
	    dec_str(d, o, "state", true, 16, 0, &state) != 0)
		return -1;
	if (part_kind_parse(kind, &it->kind) != 0)
		return dec_fail(d, PE_BAD_FIELD, "field \"%skind\": unknown kind", d->path);
	if (part_state_parse(state, &it->state) != 0 || !part_state_valid(it->kind, it->state))
		return dec_fail(d, PE_BAD_FIELD, "field \"%sstate\": not a state of a %s",
		    d->path, kind);
	if (dec_str(d, o, "title", true, part_title_max(it->kind) * 4,
		part_title_max(it->kind), &title) != 0 ||
	    dec_name(d, o, "by", false, true, &by) != 0 ||
	    dec_bool(d, o, "anonymous", false, false, &it->anonymous) != 0 ||
	    dec_str(d, o, "session", false, ROOM_ID_MAX, 0, &session) != 0 ||
	    dec_time(d, o, "ts", true, &it->ts) != 0 ||
	    dec_int(d, o, "into", false, 0, PROTO_MAX_SEQ, 0, &it->into) != 0 ||
	    dec_bool(d, o, "pinned", false, false, &it->pinned) != 0 ||
	    dec_bool(d, o, "secret", false, false, &it->secret) != 0 ||
	    dec_time(d, o, "closes_at", false, &it->closes_at) != 0 ||
	    part_dec_format(d, o, false, &it->format) != 0 ||
	    dec_str(d, o, "note", false, PART_NOTE_MAX, 0, &note) != 0 ||
	    dec_int(d, o, "votes", false, 0, PROTO_MAX_SEQ, 0, &it->votes) != 0 ||
	    dec_bool(d, o, "voted", false, false, &it->voted) != 0)
		return -1;
	if (json_object_get(o, "room") != NULL && !json_is_null(json_object_get(o, "room")) &&
	    dec_room_id(d, o, "room", &room) != 0)
		return -1;
	if (session != NULL && !room_id_valid(session))
		return dec_fail(d, PE_BAD_FIELD, "field \"%ssession\": not a session id", d->path);
	part_item_set_title(it, title);
	part_item_set_note(it, note);
	strlcpy_cf(it->by, by != NULL ? by : "", sizeof it->by);
	strlcpy_cf(it->session, session != NULL ? session : "", sizeof it->session);
	strlcpy_cf(it->room, room != NULL ? room : "", sizeof it->room);
	if (it->kind == PK_POLL && part_dec_item_choices(d, o, it) != 0)
		return -1;
	if (dec_int(d, o, "choice", false, -1, it->nchoices > 0 ? (int64_t)it->nchoices - 1 : -1,
	    -1, &choice) != 0)
		return -1;
	it->choice = (int)choice;
	return 0;
}

/* part.state's items: a new array into *out (also on failure: the caller clears it). */
static int
part_dec_items(struct dec *d, const json_t *o, struct part_item **out, size_t *n)
{
	const char *saved = d->path;
	char path[48];
	json_t *a;
	size_t i;

	*out = NULL;
	*n = 0;
	if (dec_array(d, o, "items", &a) != 0)
		return -1;
	if (json_array_size(a) > PART_DEC_MAX_ITEMS)
		return dec_fail(d, PE_TOO_LONG, "field \"items\": more than %d items",
		    PART_DEC_MAX_ITEMS);
	*out = xcalloc(json_array_size(a) + 1, sizeof **out);
	for (i = 0; i < json_array_size(a); i++) {
		snprintf(path, sizeof path, "items[%zu].", i);
		d->path = path;
		(*n)++;
		if (part_dec_item(d, json_array_get(a, i), &(*out)[i]) != 0) {
			d->path = saved;
			return -1;
		}
	}
	d->path = saved;
	return 0;
}

/* True for a string of 1 to 15 digits (an item number as an object key). */
static bool
part_is_number(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (s[i] < '0' || s[i] > '9' || i >= 15)
			return false;
	return i > 0 && s[0] != '0';
}

/* The entry of item id in a tally being decoded (added when new). */
static struct proto_tally_entry *
part_tally_entry(struct proto_tally *t, int64_t id)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].item == id)
			return &t->v[i];
	memset(&t->v[t->n], 0, sizeof t->v[t->n]);
	t->v[t->n].item = id;
	t->v[t->n].votes = -1;
	return &t->v[t->n++];
}

/* tally: {"votes": {id: n}, "counts": {id: [n, ...]}}. */
static int
part_dec_tally(struct dec *d, const json_t *o, struct proto_tally *t)
{
	json_t *votes, *counts, *v, *c;
	struct proto_tally_entry *e;
	const char *key;
	size_t i;

	if (dec_object(d, o, "votes", false, &votes) != 0 ||
	    dec_object(d, o, "counts", false, &counts) != 0)
		return -1;
	if (json_object_size(votes) + json_object_size(counts) > PART_DEC_MAX_LIST)
		return dec_fail(d, PE_TOO_LONG, "tally: more than %d entries", PART_DEC_MAX_LIST);
	t->v = xcalloc(json_object_size(votes) + json_object_size(counts) + 1, sizeof *t->v);
	json_object_foreach(votes, key, v) {
		if (!part_is_number(key) || !json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > PROTO_MAX_SEQ)
			return dec_fail(d, PE_BAD_FIELD, "field \"votes\": not item: count");
		part_tally_entry(t, atoll(key))->votes = json_integer_value(v);
	}
	json_object_foreach(counts, key, v) {
		if (!part_is_number(key) || !json_is_array(v) || json_array_size(v) < 1 ||
		    json_array_size(v) > PART_CHOICES_MAX)
			return dec_fail(d, PE_BAD_FIELD, "field \"counts\": not item: counts");
		e = part_tally_entry(t, atoll(key));
		json_array_foreach(v, i, c) {
			if (!json_is_integer(c) || json_integer_value(c) < 0 ||
			    json_integer_value(c) > PROTO_MAX_SEQ)
				return dec_fail(d, PE_BAD_FIELD, "field \"counts\": not a count");
			e->counts[i] = json_integer_value(c);
		}
		e->ncounts = json_array_size(v);
	}
	return 0;
}

/* True for a valid name (a hands entry). */
static bool
part_is_name(const char *s)
{
	return proto_name_check(s) == PE_NONE;
}

/* True for a session id. */
static bool
part_is_session(const char *s)
{
	return room_id_valid(s);
}

/* An array of strings, each passing ok, into a new array of borrowed pointers. */
static int
part_dec_strings(struct dec *d, const json_t *o, const char *key, bool (*ok)(const char *),
    const char ***out, size_t *n)
{
	json_t *a, *v;
	size_t i;

	*out = NULL;
	*n = 0;
	if (dec_array(d, o, key, &a) != 0)
		return -1;
	if (json_array_size(a) > PART_DEC_MAX_LIST)
		return dec_fail(d, PE_TOO_LONG, "field \"%s\": too many", key);
	*out = xcalloc(json_array_size(a) + 1, sizeof **out);
	json_array_foreach(a, i, v) {
		if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v) ||
		    !ok(json_string_value(v)))
			return dec_fail(d, PE_BAD_FIELD, "field \"%s[%zu]\": not valid", key, i);
		(*out)[(*n)++] = json_string_value(v);
	}
	return 0;
}

/* Decodes the members of a participation event; PE_INTERNAL for another type. */
int
proto_part_dec_event(struct dec *d, const json_t *o, struct proto_msg *m)
{
	const char *state;
	json_t *v;
	int rc;

	switch (m->type) {
	case PT_ITEM:
		m->u.item.item = part_item_new(PK_TOPIC);
		if (dec_object(d, o, "item", true, &v) != 0)
			return -1;
		d->path = "item.";
		rc = part_dec_item(d, v, m->u.item.item);
		d->path = "";
		return rc != 0 || dec_name(d, o, "by", false, true, &m->u.item.by) != 0 ||
		    dec_str(d, o, "change", false, 16, 0, &m->u.item.change) != 0 ? -1 : 0;
	case PT_ITEM_HIDDEN:
		return part_dec_id(d, o, "item", true, &m->u.item_hidden.item) != 0 ||
		    dec_name(d, o, "by", false, true, &m->u.item_hidden.by) != 0 ? -1 : 0;
	case PT_QA:
		return part_dec_qa(d, o, &m->u.qa) != 0 ||
		    dec_name(d, o, "by", false, true, &m->u.qa.by) != 0 ? -1 : 0;
	case PT_PART_STATE:
		return part_dec_items(d, o, &m->u.part_state.items, &m->u.part_state.nitems) != 0 ||
		    part_dec_strings(d, o, "qa", part_is_session, &m->u.part_state.qa,
			&m->u.part_state.nqa) != 0 ||
		    dec_bool(d, o, "lost", false, false, &m->u.part_state.lost) != 0 ? -1 : 0;
	case PT_TALLY:
		return part_dec_tally(d, o, &m->u.tally);
	case PT_QUEUE:
		return dec_room_id(d, o, "room", &m->u.queue.room) != 0 ||
		    part_dec_strings(d, o, "hands", part_is_name, &m->u.queue.hands,
			&m->u.queue.nhands) != 0 ||
		    dec_name(d, o, "called", false, true, &m->u.queue.called) != 0 ||
		    dec_name(d, o, "by", false, true, &m->u.queue.by) != 0 ? -1 : 0;
	case PT_SIGNUP_ANSWER: {
		struct proto_signup_answer *a = &m->u.signup_answer;

		if (part_dec_id(d, o, "item", true, &a->item) != 0 ||
		    part_dec_format(d, o, true, &a->format) != 0 ||
		    dec_str(d, o, "state", true, 16, 0, &state) != 0 ||
		    dec_str(d, o, "title", true, PART_SIGNUP_MAX * 4, PART_SIGNUP_MAX,
			&a->title) != 0 ||
		    dec_str(d, o, "note", false, PART_NOTE_MAX, 0, &a->note) != 0 ||
		    dec_name(d, o, "by", false, true, &a->by) != 0 ||
		    dec_int(d, o, "position", false, -1, LINEUP_MAX - 1, -1, &a->position) != 0)
			return -1;
		if (part_state_parse(state, &a->state) != 0 ||
		    (a->state != PS_ACCEPTED && a->state != PS_DECLINED))
			return dec_fail(d, PE_BAD_FIELD, "field \"state\": not accepted or declined");
		return 0;
	}
	default:
		return dec_fail(d, PE_INTERNAL, "not an event");
	}
}

/* Frees what decoding allocated. */
void
proto_part_clear(struct proto_msg *m)
{
	size_t i;

	switch (m->type) {
	case PT_POLL_OPEN:
		free(m->u.poll_open.choices);
		break;
	case PT_ITEM:
		part_item_free(m->u.item.item);
		break;
	case PT_PART_STATE:
		for (i = 0; i < m->u.part_state.nitems; i++)
			part_item_clear(&m->u.part_state.items[i]);
		free(m->u.part_state.items);
		free(m->u.part_state.qa);
		break;
	case PT_TALLY:
		free(m->u.tally.v);
		break;
	case PT_QUEUE:
		free(m->u.queue.hands);
		break;
	default:
		break;
	}
}

/* An item object. */
json_t *
proto_item_to_json(const struct part_item *it, bool mine)
{
	json_t *o = json_object(), *a;
	size_t i;

	enc_set_int(o, "id", it->id);
	enc_set_str(o, "kind", part_kind_name(it->kind));
	enc_set_str(o, "state", part_state_name(it->state));
	enc_set_str(o, "title", it->title);
	if (it->by[0] != '\0')
		enc_set_str(o, "by", it->by);
	if (it->anonymous)
		json_object_set_new(o, "anonymous", json_true());
	if (it->session[0] != '\0')
		enc_set_str(o, "session", it->session);
	if (it->room[0] != '\0')
		enc_set_str(o, "room", it->room);
	enc_set_int(o, "ts", it->ts);
	if (it->into > 0)
		enc_set_int(o, "into", it->into);
	if (it->pinned)
		json_object_set_new(o, "pinned", json_true());
	if (it->secret)
		json_object_set_new(o, "secret", json_true());
	if (it->closes_at > 0)
		enc_set_int(o, "closes_at", it->closes_at);
	if (it->kind == PK_SIGNUP)
		enc_set_str(o, "format", lineup_kind_name(it->format));
	enc_opt_str(o, "note", it->note);
	if (it->kind == PK_POLL) {
		json_object_set_new(o, "choices", enc_strings((const char *const *)it->choices,
		    it->nchoices));
		if (it->has_counts) {
			a = json_array();
			for (i = 0; i < it->nchoices; i++)
				json_array_append_new(a, json_integer(it->counts[i]));
			json_object_set_new(o, "counts", a);
		}
	}
	if (it->kind != PK_SIGNUP)
		enc_set_int(o, "votes", it->votes);
	if (mine && it->voted && it->kind != PK_POLL)
		json_object_set_new(o, "voted", json_true());
	if (mine && it->kind == PK_POLL && it->choice >= 0)
		enc_set_int(o, "choice", it->choice);
	return o;
}

/* Decodes an item object. */
int
proto_item_from_json(const json_t *o, struct part_item *it, char *detail, size_t len)
{
	struct proto_decode_err err;
	struct dec d = { &err, "" };
	int rc;

	memset(&err, 0, sizeof err);
	rc = part_dec_item(&d, o, it);
	if (rc != 0 && detail != NULL && len > 0)
		strlcpy_cf(detail, err.detail, len);
	return rc;
}

/* Adds the members of a facilitator's request on one item. */
static void
part_enc_item_req(json_t *o, const struct proto_msg *m)
{
	const struct proto_item_req *r = &m->u.item_req;

	enc_set_int(o, "item", r->item);
	switch (m->type) {
	case PT_TOPIC_PROMOTE:
		if (r->minutes > 0)
			enc_set_int(o, "minutes", r->minutes);
		if (r->seconds > 0)
			enc_set_int(o, "seconds", r->seconds);
		if (r->capacity > 0)
			enc_set_int(o, "capacity", r->capacity);
		break;
	case PT_TOPIC_MERGE:
		enc_set_int(o, "into", r->into);
		break;
	case PT_ITEM_HIDE:
		enc_opt_str(o, "reason", r->note);
		break;
	case PT_QUESTION_PIN:
		json_object_set_new(o, "pinned", json_boolean(r->flag));
		break;
	case PT_SIGNUP_DECLINE:
		enc_opt_str(o, "note", r->note);
		break;
	default:
		break;
	}
}

/* Adds the members of a participation request. */
void
proto_part_enc_request(json_t *o, const struct proto_msg *m)
{
	switch (m->type) {
	case PT_PROPOSE:
		enc_set_str(o, "title", m->u.propose.title);
		enc_opt_str(o, "session", m->u.propose.session);
		enc_opt_str(o, "cid", m->u.propose.cid);
		break;
	case PT_ASK:
		enc_set_str(o, "text", m->u.ask.text);
		enc_opt_str(o, "session", m->u.ask.session);
		enc_opt_str(o, "room", m->u.ask.room);
		if (m->u.ask.anonymous)
			json_object_set_new(o, "anonymous", json_true());
		enc_opt_str(o, "cid", m->u.ask.cid);
		break;
	case PT_SIGNUP:
		enc_set_str(o, "format", lineup_kind_name(m->u.signup.format));
		enc_set_str(o, "title", m->u.signup.title);
		enc_opt_str(o, "cid", m->u.signup.cid);
		break;
	case PT_VOTE:
	case PT_UNVOTE:
		enc_set_int(o, "item", m->u.vote.item);
		if (m->type == PT_VOTE && m->u.vote.choice >= 0)
			enc_set_int(o, "choice", m->u.vote.choice);
		break;
	case PT_HAND:
		enc_set_str(o, "room", m->u.hand.room);
		json_object_set_new(o, "up", json_boolean(m->u.hand.up));
		break;
	case PT_QUEUE_NEXT:
	case PT_QUEUE_CLEAR:
		enc_set_str(o, "room", m->u.room.room);
		break;
	case PT_POLL_OPEN:
		enc_set_str(o, "question", m->u.poll_open.question);
		json_object_set_new(o, "choices", enc_strings(m->u.poll_open.choices,
		    m->u.poll_open.nchoices));
		if (m->u.poll_open.minutes > 0)
			enc_set_int(o, "minutes", m->u.poll_open.minutes);
		if (m->u.poll_open.seconds > 0)
			enc_set_int(o, "seconds", m->u.poll_open.seconds);
		if (m->u.poll_open.secret)
			json_object_set_new(o, "secret", json_true());
		enc_opt_str(o, "cid", m->u.poll_open.cid);
		break;
	case PT_QA_ANONYMOUS:
		enc_set_str(o, "session", m->u.qa.session);
		json_object_set_new(o, "anonymous", json_boolean(m->u.qa.anonymous));
		break;
	case PT_TOPIC_PROMOTE:
	case PT_TOPIC_MERGE:
	case PT_ITEM_HIDE:
	case PT_QUESTION_ANSWER:
	case PT_QUESTION_PIN:
	case PT_POLL_CLOSE:
	case PT_SIGNUP_ACCEPT:
	case PT_SIGNUP_DECLINE:
		part_enc_item_req(o, m);
		break;
	default:
		break;
	}
}

/* A tally's two objects. */
static void
part_enc_tally(json_t *o, const struct proto_tally *t)
{
	json_t *votes = json_object(), *counts = json_object(), *a;
	char key[24];
	size_t i, k;

	for (i = 0; i < t->n; i++) {
		snprintf(key, sizeof key, "%lld", (long long)t->v[i].item);
		if (t->v[i].votes >= 0)
			json_object_set_new(votes, key, json_integer(t->v[i].votes));
		if (t->v[i].ncounts == 0)
			continue;
		a = json_array();
		for (k = 0; k < t->v[i].ncounts; k++)
			json_array_append_new(a, json_integer(t->v[i].counts[k]));
		json_object_set_new(counts, key, a);
	}
	json_object_set_new(o, "votes", votes);
	if (json_object_size(counts) > 0)
		json_object_set_new(o, "counts", counts);
	else
		json_decref(counts);
}

/* Adds the members of a participation event. */
void
proto_part_enc_event(json_t *o, const struct proto_msg *m)
{
	json_t *a;
	size_t i;

	switch (m->type) {
	case PT_ITEM:
		json_object_set_new(o, "item", proto_item_to_json(m->u.item.item, false));
		enc_opt_str(o, "by", m->u.item.by);
		enc_opt_str(o, "change", m->u.item.change);
		break;
	case PT_ITEM_HIDDEN:
		enc_set_int(o, "item", m->u.item_hidden.item);
		enc_opt_str(o, "by", m->u.item_hidden.by);
		break;
	case PT_QA:
		enc_set_str(o, "session", m->u.qa.session);
		json_object_set_new(o, "anonymous", json_boolean(m->u.qa.anonymous));
		enc_opt_str(o, "by", m->u.qa.by);
		break;
	case PT_PART_STATE:
		a = json_array();
		for (i = 0; i < m->u.part_state.nitems; i++)
			json_array_append_new(a, proto_item_to_json(&m->u.part_state.items[i],
			    true));
		json_object_set_new(o, "items", a);
		json_object_set_new(o, "qa", enc_strings(m->u.part_state.qa, m->u.part_state.nqa));
		if (m->u.part_state.lost)
			json_object_set_new(o, "lost", json_true());
		break;
	case PT_TALLY:
		part_enc_tally(o, &m->u.tally);
		break;
	case PT_QUEUE:
		enc_set_str(o, "room", m->u.queue.room);
		json_object_set_new(o, "hands", enc_strings(m->u.queue.hands, m->u.queue.nhands));
		enc_set_str(o, "called", m->u.queue.called);
		enc_opt_str(o, "by", m->u.queue.by);
		break;
	case PT_SIGNUP_ANSWER:
		enc_set_int(o, "item", m->u.signup_answer.item);
		enc_set_str(o, "format", lineup_kind_name(m->u.signup_answer.format));
		enc_set_str(o, "state", part_state_name(m->u.signup_answer.state));
		enc_set_str(o, "title", m->u.signup_answer.title);
		enc_opt_str(o, "note", m->u.signup_answer.note);
		enc_opt_str(o, "by", m->u.signup_answer.by);
		if (m->u.signup_answer.position >= 0)
			enc_set_int(o, "position", m->u.signup_answer.position);
		break;
	default:
		break;
	}
}
