/* hub_part.c: the hub's requests on participation items: attendees propose topics, ask
 * questions, sign up for a talk or a pitch and vote; facilitators promote, merge and hide
 * topics, answer and pin questions, open and close polls, accept and decline sign-ups,
 * and allow anonymous questions. Everything goes through the store (hub_part.h): an
 * item's value, then an "item" event that everyone it concerns is sent; one stored value
 * per vote, keyed by the voter, so that nobody is counted twice. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub_part.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/xalloc.h"

/* A write of an item's value followed by its event, and who to answer. */
struct hub_part_chain {
	int64_t id;
	char *event;                  /* the event's data (hub_event_data()) */
	size_t len;
	char *cid;
	bool item_reply;              /* the ok carries the item's number */
};

/* Frees a chain. */
static void
hub_part_chain_free(struct hub_part_chain *c)
{
	free(c->event);
	free(c->cid);
	free(c);
}

/* Replies ok to re, with the item's number when item > 0, or dup. */
static void
hub_part_ok(struct hub_session *s, int64_t re, int64_t item, bool dup)
{
	struct proto_msg rep;

	proto_msg_init(&rep, PT_OK);
	rep.re = re;
	rep.u.ok.item = item;
	rep.u.ok.dup = dup;
	hub_send_msg(s, &rep);
}

/* The event of a chain is stored: the answer. */
static void
hub_part_event_done(struct hub *hub, struct hub_session *s, int64_t re,
    enum store_result result, uint64_t seq, void *data)
{
	struct hub_part_chain *c = data;

	(void)hub;
	(void)seq;
	if (s != NULL && result != STORE_OK)
		hub_reply_error(s, re, PE_STORE, NULL);
	else if (s != NULL)
		hub_part_ok(s, re, c->item_reply ? c->id : 0, false);
	hub_part_chain_free(c);
}

/* The value of a new item is stored: now its event (the item exists for good). */
static void
hub_part_value_done(struct hub *hub, struct hub_session *s, int64_t re,
    enum store_result result, uint64_t seq, void *data)
{
	struct hub_part_chain *c = data;

	(void)seq;
	if (result != STORE_OK) {
		if (s != NULL)
			hub_reply_error(s, re, PE_STORE, result == STORE_EXISTS ?
			    "another hub gave that number to an item: try again" : NULL);
		hub_part_chain_free(c);
		return;
	}
	hub_write_event_data(hub, "part", c->event, c->len, c->cid, s, re, hub_part_event_done,
	    c);
}

/* Writes an item's value and its event; answers once both are stored. */
void
hub_part_write_item(struct hub *hub, const struct part_item *it, const char *author,
    bool only_new, const char *change, const char *by, const char *cid,
    struct hub_session *s, int64_t re, bool item_reply)
{
	struct hub_part_chain *c = xcalloc(1, sizeof *c);
	struct part_item shown = *it;
	struct proto_msg ev;
	char key[32], *value;

	c->id = it->id;
	c->cid = cid != NULL ? xstrdup(cid) : NULL;
	c->item_reply = item_reply;
	shown.has_counts = it->kind == PK_POLL && (!it->secret || it->state == PS_CLOSED);
	proto_msg_init(&ev, PT_ITEM);
	ev.u.item.item = &shown;
	ev.u.item.by = by;
	ev.u.item.change = change;
	c->event = hub_event_data(&ev, &c->len);
	snprintf(key, sizeof key, "item/%" PRId64, it->id);
	value = hub_part_item_value(it, author, false);
	if (only_new)
		hub_write_value(hub, key, value, true, s, re, hub_part_value_done, c);
	else {
		hub_write_value(hub, key, value, false, s, 0, NULL, NULL);
		hub_write_event_data(hub, "part", c->event, c->len, c->cid, s, re,
		    hub_part_event_done, c);
	}
	free(value);
}

/* True (after replying rate-limited) when the hub holds as many items as it may. */
static bool
hub_part_full(struct hub_session *s, int64_t re)
{
	if (s->hub->part->nitems < HUB_ITEMS_MAX)
		return false;
	hub_reply_error(s, re, PE_RATE, "the hub holds too many items");
	return true;
}

/* True (after replying ok dup with the item) when cid was sent before. */
static bool
hub_part_dup(struct hub_session *s, int64_t re, const char *cid)
{
	int64_t item;

	if (cid == NULL || !hub_cids_find(s->hub->cids, cid, &item))
		return false;
	hub_part_ok(s, re, item, true);
	return true;
}

/* True for the kinds of session that take questions. */
static bool
hub_part_qa_kind(enum session_kind k)
{
	return k == SK_PANEL || k == SK_TALK || k == SK_LIGHTNING || k == SK_PITCHES;
}

/* The session a request names (id, when given, must be of a fitting kind: discussion for
 * topics, else one that takes questions), else the first of a fitting kind that is on now
 * or comes next; NULL after replying no-such-session. */
static const struct session *
hub_part_session(struct hub_session *s, int64_t re, const char *id, bool topics)
{
	const struct program *pg = s->hub->program;
	int64_t now = hub_now(s->hub);
	const struct session *x;
	size_t i;

	if (id != NULL) {
		x = program_find(pg, id);
		if (x != NULL && (topics ? x->kind == SK_DISCUSSION : hub_part_qa_kind(x->kind)))
			return x;
		hub_reply_error(s, re, PE_NO_SESSION, topics ? "that session is not an open "
		    "discussion" : "that session takes no questions");
		return NULL;
	}
	for (i = 0; i < pg->nsessions; i++) {
		x = &pg->sessions[i];
		if (x->end_ms > now && (topics ? x->kind == SK_DISCUSSION :
		    hub_part_qa_kind(x->kind)))
			return x;
	}
	hub_reply_error(s, re, PE_NO_SESSION, topics ? "no open discussion is on now or next" :
	    "no session that takes questions is on now or next");
	return NULL;
}

/* A new item of kind k by s, numbered. */
static struct part_item *
hub_part_new(struct hub_session *s, enum part_kind k, const char *title)
{
	struct part_item *it = part_item_new(k);

	it->id = s->hub->part->next_id++;
	it->ts = hub_now(s->hub);
	part_item_set_title(it, title);
	strlcpy_cf(it->by, s->name, sizeof it->by);
	return it;
}

/* propose: a topic for an open discussion. */
static void
hub_part_propose(struct hub_session *s, const struct proto_msg *m)
{
	const struct proto_propose *p = &m->u.propose;
	const struct session *x;
	struct part_item *it;

	if (hub_part_dup(s, m->id, p->cid) || hub_req_muted(s, m->id) ||
	    (x = hub_part_session(s, m->id, p->session, true)) == NULL ||
	    hub_part_full(s, m->id))
		return;
	it = hub_part_new(s, PK_TOPIC, p->title);
	strlcpy_cf(it->session, x->id, sizeof it->session);
	hub_part_write_item(s->hub, it, s->ident->key, true, "new", s->name, p->cid, s, m->id,
	    true);
	log_info("hub: %s proposed topic %" PRId64 " for %s", s->name, it->id, x->id);
	part_item_free(it);
}

/* ask: a question for a session's Q&A. */
static void
hub_part_ask(struct hub_session *s, const struct proto_msg *m)
{
	const struct proto_ask *a = &m->u.ask;
	const char *sid = a->session;
	const struct session *x;
	struct part_item *it;
	struct hub_room *r;

	if (hub_part_dup(s, m->id, a->cid) || hub_req_muted(s, m->id))
		return;
	if (sid == NULL && a->room != NULL && (r = hub_room_find(s->hub, a->room)) != NULL &&
	    r->info.session[0] != '\0' && (x = program_find(s->hub->program,
	    r->info.session)) != NULL && hub_part_qa_kind(x->kind))
		sid = x->id;
	if ((x = hub_part_session(s, m->id, sid, false)) == NULL || hub_part_full(s, m->id))
		return;
	if (a->anonymous && strmap_get(s->hub->part->qa, x->id) == NULL) {
		hub_reply_error(s, m->id, PE_ANONYMOUS_OFF, NULL);
		return;
	}
	it = hub_part_new(s, PK_QUESTION, a->text);
	strlcpy_cf(it->session, x->id, sizeof it->session);
	if (a->anonymous) {
		it->anonymous = true;
		it->by[0] = '\0';
	}
	hub_part_write_item(s->hub, it, s->ident->key, true, "new", a->anonymous ? NULL :
	    s->name, a->cid, s, m->id, true);
	log_info("hub: %s asked question %" PRId64 " in %s%s", s->name, it->id, x->id,
	    a->anonymous ? " (anonymously)" : "");
	part_item_free(it);
}

/* signup: a request for a talk or pitch slot (one open request of each kind). */
static void
hub_part_signup(struct hub_session *s, const struct proto_msg *m)
{
	const struct proto_signup *u = &m->u.signup;
	struct hub_item *h;
	struct part_item *it;
	size_t pos = 0;

	if (hub_part_dup(s, m->id, u->cid) || hub_req_muted(s, m->id))
		return;
	while ((h = strmap_next(s->hub->part->items, &pos, NULL)) != NULL) {
		if (h->it.kind == PK_SIGNUP && h->it.state == PS_OPEN && !h->hidden &&
		    h->it.format == u->format && h->author != NULL &&
		    strcmp(h->author, s->ident->key) == 0) {
			hub_reply_error(s, m->id, PE_SIGNED_UP, NULL);
			return;
		}
	}
	if (hub_part_full(s, m->id))
		return;
	it = hub_part_new(s, PK_SIGNUP, u->title);
	it->format = u->format;
	hub_part_write_item(s->hub, it, s->ident->key, true, "new", s->name, u->cid, s, m->id,
	    true);
	log_info("hub: %s signed up for a %s (%" PRId64 ")", s->name, lineup_kind_name(u->format),
	    it->id);
	part_item_free(it);
}

/* The item a request names as s may see it, or NULL after replying no-such-item. */
static struct hub_item *
hub_part_find(struct hub_session *s, int64_t re, int64_t id)
{
	struct hub_item *h = hub_part_item(s->hub, id);

	if (h == NULL || !hub_part_visible(s, h)) {
		hub_reply_error(s, re, PE_NO_ITEM, NULL);
		return NULL;
	}
	return h;
}

/* vote, unvote: one vote per voter per item, kept as a value under the voter's key. */
static void
hub_part_vote(struct hub_session *s, const struct proto_msg *m)
{
	const struct proto_vote *v = &m->u.vote;
	struct hub_item *h;
	int cur;
	char *key, value[32];

	if ((h = hub_part_find(s, m->id, v->item)) == NULL)
		return;
	if (!part_item_votable(&h->it)) {
		hub_reply_error(s, m->id, PE_ITEM_STATE, h->it.kind == PK_SIGNUP ?
		    "a sign-up takes no votes" : "it takes no votes now");
		return;
	}
	if (m->type == PT_VOTE && h->it.kind == PK_POLL &&
	    (v->choice < 0 || (size_t)v->choice >= h->it.nchoices)) {
		hub_reply_error(s, m->id, PE_BAD_FIELD, "field \"choice\": not a choice of the poll");
		return;
	}
	if (m->type == PT_VOTE && h->it.kind != PK_POLL && v->choice >= 0) {
		hub_reply_error(s, m->id, PE_BAD_FIELD, "field \"choice\": only polls have choices");
		return;
	}
	cur = hub_part_vote_current(s->hub, h->it.id, s->voter);
	if ((m->type == PT_VOTE && cur == (h->it.kind == PK_POLL ? v->choice : 0)) ||
	    (m->type == PT_UNVOTE && cur < 0)) {
		hub_part_ok(s, m->id, 0, true);
		return;
	}
	key = xasprintf("vote/%" PRId64 "/%s", h->it.id, s->voter);
	if (m->type == PT_VOTE && h->it.kind == PK_POLL)
		snprintf(value, sizeof value, "{\"choice\":%d}", (int)v->choice);
	else
		snprintf(value, sizeof value, "{}");
	hub_write_value(s->hub, key, m->type == PT_VOTE ? value : NULL, false, s, m->id,
	    hub_write_reply, NULL);
	free(key);
}

/* The item a facilitator's request names, as the next write should see it, of kind k
 * (PK__COUNT: any kind); -1 after replying. */
static int
hub_part_get(struct hub_session *s, int64_t re, int64_t id, enum part_kind k,
    struct part_item *it, char **author)
{
	bool hidden = false;
	char *a = NULL;

	if (hub_part_current(s->hub, id, it, &hidden, &a) != 0 || hidden) {
		if (!hidden)
			memset(it, 0, sizeof *it);
		part_item_clear(it);
		free(a);
		hub_reply_error(s, re, PE_NO_ITEM, NULL);
		return -1;
	}
	if (k != PK__COUNT && it->kind != k) {
		hub_reply_error(s, re, PE_ITEM_STATE, k == PK_TOPIC ? "that is not a topic" :
		    k == PK_QUESTION ? "that is not a question" : k == PK_POLL ?
		    "that is not a poll" : "that is not a sign-up");
		part_item_clear(it);
		free(a);
		return -1;
	}
	if (author != NULL)
		*author = a;
	else
		free(a);
	return 0;
}

/* A breakout room id for a topic: from its title, else "topic-N"; made unique. */
static void
hub_part_room_id(struct hub *hub, const struct part_item *it, char *id)
{
	struct room_info info;
	char base[ROOM_ID_MAX + 1], suffix[24];
	size_t n;

	if (room_id_from_name(it->title, base) != 0 || strcmp(base, TIMER_SCOPE_MAIN) == 0)
		snprintf(base, sizeof base, "topic-%" PRId64, it->id);
	strlcpy_cf(id, base, ROOM_ID_MAX + 1);
	if (!hub_req_room_current(hub, id, &info))
		return;
	n = (size_t)snprintf(suffix, sizeof suffix, "-%" PRId64, it->id);
	if (strlen(base) + n > ROOM_ID_MAX)
		base[ROOM_ID_MAX - n] = '\0';
	snprintf(id, ROOM_ID_MAX + 1, "%s%s", base, suffix);
}

/* topic.promote: a breakout room named after the topic; the topic runs there. */
static void
hub_part_promote(struct hub_session *s, const struct proto_msg *m)
{
	const struct proto_item_req *r = &m->u.item_req;
	struct hub *hub = s->hub;
	struct room_info info;
	struct part_item it;
	char *author = NULL;

	if (hub_part_get(s, m->id, r->item, PK_TOPIC, &it, &author) != 0)
		return;
	if (it.state != PS_OPEN)
		hub_reply_error(s, m->id, PE_ITEM_STATE, it.state == PS_RUNNING ?
		    "the topic runs already" : "the topic was merged");
	else if (hub->nrooms >= HUB_MAX_ROOMS)
		hub_reply_error(s, m->id, PE_RATE, "too many rooms");
	else {
		memset(&info, 0, sizeof info);
		hub_part_room_id(hub, &it, info.id);
		room_title_copy(info.title, it.title);   /* (at most ROOM_TITLE_MAX) */
		info.kind = RK_BREAKOUT;
		info.capacity = (unsigned)r->capacity;
		if (r->seconds > 0)
			info.closes_at_ms = hub_now(hub) + r->seconds * 1000;
		else if (r->minutes > 0)
			info.closes_at_ms = hub_now(hub) + r->minutes * 60000;
		hub_req_room_write(hub, &info, s, 0, NULL, NULL);
		it.state = PS_RUNNING;
		strlcpy_cf(it.room, info.id, sizeof it.room);
		hub_part_write_item(hub, &it, author, false, "promoted", s->name, NULL, s, m->id,
		    false);
		log_info("hub: %s promoted topic %" PRId64 " to room %s", s->name, it.id, info.id);
	}
	part_item_clear(&it);
	free(author);
}

/* topic.merge: a topic goes into another; its voters count for that one, once each. */
static void
hub_part_merge(struct hub_session *s, const struct proto_msg *m)
{
	const struct proto_item_req *r = &m->u.item_req;
	struct hub *hub = s->hub;
	struct part_item from, into;
	struct hub_item *h;
	const char *voter;
	char *author = NULL, *key;
	size_t pos = 0;
	int choice;

	if (hub_part_get(s, m->id, r->item, PK_TOPIC, &from, &author) != 0)
		return;
	if (hub_part_get(s, m->id, r->into, PK_TOPIC, &into, NULL) != 0) {
		part_item_clear(&from);
		free(author);
		return;
	}
	if (from.id == into.id || from.state == PS_MERGED || into.state == PS_MERGED)
		hub_reply_error(s, m->id, PE_ITEM_STATE, from.id == into.id ?
		    "a topic cannot merge into itself" : "a merged topic cannot merge again");
	else {
		h = hub_part_item(hub, from.id);
		while (h != NULL && (voter = part_votes_next(h->votes, &pos, &choice)) != NULL) {
			if (hub_part_vote_current(hub, into.id, voter) < 0) {
				key = xasprintf("vote/%" PRId64 "/%s", into.id, voter);
				hub_write_value(hub, key, "{}", false, NULL, 0, NULL, NULL);
				free(key);
			}
			key = xasprintf("vote/%" PRId64 "/%s", from.id, voter);
			hub_write_value(hub, key, NULL, false, NULL, 0, NULL, NULL);
			free(key);
		}
		from.state = PS_MERGED;
		from.into = into.id;
		hub_part_write_item(hub, &from, author, false, "merged", s->name, NULL, s, m->id,
		    false);
		log_info("hub: %s merged topic %" PRId64 " into %" PRId64, s->name, from.id,
		    into.id);
	}
	part_item_clear(&from);
	part_item_clear(&into);
	free(author);
}

/* item.hide: an item vanishes from every screen, from lists and from replays. */
static void
hub_part_hide(struct hub_session *s, const struct proto_msg *m)
{
	struct hub *hub = s->hub;
	struct part_item it;
	struct proto_msg ev;
	uint64_t *seqs;
	size_t i, n;
	char key[32], *author = NULL, *value;

	if (hub_part_get(s, m->id, m->u.item_req.item, PK__COUNT, &it, &author) != 0)
		return;
	part_item_set_title(&it, "");
	part_item_set_note(&it, NULL);
	snprintf(key, sizeof key, "item/%" PRId64, it.id);
	value = hub_part_item_value(&it, author, true);
	hub_write_value(hub, key, value, false, s, 0, NULL, NULL);
	free(value);
	n = hub_part_item_seqs(hub, it.id, &seqs);
	for (i = 0; i < n; i++)
		hub_write_remove(hub, "part", seqs[i], NULL, 0, NULL, NULL);
	free(seqs);
	proto_msg_init(&ev, PT_ITEM_HIDDEN);
	ev.u.item_hidden.item = it.id;
	ev.u.item_hidden.by = s->name;
	hub_write_event(hub, "part", &ev, NULL, s, m->id, hub_write_reply, NULL);
	log_info("hub: %s hid %s %" PRId64, s->name, part_kind_name(it.kind), it.id);
	part_item_clear(&it);
	free(author);
}

/* question.answer, question.pin. */
static void
hub_part_question(struct hub_session *s, const struct proto_msg *m)
{
	const struct proto_item_req *r = &m->u.item_req;
	struct part_item it;
	const char *change;
	char *author = NULL;

	if (hub_part_get(s, m->id, r->item, PK_QUESTION, &it, &author) != 0)
		return;
	if (m->type == PT_QUESTION_ANSWER && it.state != PS_OPEN) {
		hub_reply_error(s, m->id, PE_ITEM_STATE, "it was answered already");
		goto out;
	}
	if (m->type == PT_QUESTION_ANSWER) {
		it.state = PS_ANSWERED;
		it.pinned = false;
		change = "answered";
	} else {
		if (it.pinned == r->flag) {
			hub_part_ok(s, m->id, 0, true);
			goto out;
		}
		it.pinned = r->flag;
		change = r->flag ? "pinned" : "unpinned";
	}
	hub_part_write_item(s->hub, &it, author, false, change, s->name, NULL, s, m->id, false);
out:
	part_item_clear(&it);
	free(author);
}

/* poll.open: a question with choices, everyone votes once (and may change the vote). */
static void
hub_part_poll_open(struct hub_session *s, const struct proto_msg *m)
{
	const struct proto_poll_open *p = &m->u.poll_open;
	struct part_item *it;

	if (hub_part_dup(s, m->id, p->cid) || hub_part_full(s, m->id))
		return;
	it = hub_part_new(s, PK_POLL, p->question);
	part_item_set_choices(it, p->choices, p->nchoices);
	it->secret = p->secret;
	if (p->seconds > 0)
		it->closes_at = it->ts + p->seconds * 1000;
	else if (p->minutes > 0)
		it->closes_at = it->ts + p->minutes * 60000;
	hub_part_write_item(s->hub, it, s->ident->key, true, "new", s->name, p->cid, s, m->id,
	    true);
	log_info("hub: %s opened poll %" PRId64, s->name, it->id);
	part_item_free(it);
}

/* Closes poll it (a copy, as the next write sees it) with its final counts. */
static void
hub_part_close_poll(struct hub *hub, struct part_item *it, const char *author,
    const char *by, struct hub_session *s, int64_t re)
{
	struct hub_item *h = hub_part_item(hub, it->id);

	it->state = PS_CLOSED;
	it->closes_at = 0;
	if (h != NULL) {
		it->votes = h->it.votes;
		memcpy(it->counts, h->it.counts, sizeof it->counts);
	}
	hub_part_write_item(hub, it, author, false, "closed", by, NULL, s, re, false);
}

/* poll.close. */
static void
hub_part_poll_close(struct hub_session *s, const struct proto_msg *m)
{
	struct part_item it;
	char *author = NULL;

	if (hub_part_get(s, m->id, m->u.item_req.item, PK_POLL, &it, &author) != 0)
		return;
	if (it.state != PS_OPEN)
		hub_reply_error(s, m->id, PE_ITEM_STATE, "the poll is closed already");
	else {
		hub_part_close_poll(s->hub, &it, author, s->name, s, m->id);
		log_info("hub: %s closed poll %" PRId64, s->name, it.id);
	}
	part_item_clear(&it);
	free(author);
}

/* Closes the polls whose end has come; ms until the next end, or -1. */
int64_t
hub_part_expire(struct hub *hub)
{
	struct hub_item *h;
	struct part_item it;
	int64_t now = hub_now(hub), next = -1;
	char *author = NULL;
	bool hidden;
	size_t pos = 0;

	while ((h = strmap_next(hub->part->items, &pos, NULL)) != NULL) {
		if (h->it.kind != PK_POLL || h->it.state != PS_OPEN || h->it.closes_at == 0 ||
		    h->hidden)
			continue;
		if (h->it.closes_at > now) {
			if (next < 0 || h->it.closes_at - now < next)
				next = h->it.closes_at - now;
			continue;
		}
		if (hub_part_current(hub, h->it.id, &it, &hidden, &author) == 0) {
			if (it.state == PS_OPEN && !hidden && it.closes_at != 0) {
				log_info("hub: poll %" PRId64 " reached its end", it.id);
				hub_part_close_poll(hub, &it, author, "", NULL, 0);
			}
			part_item_clear(&it);
			free(author);
			author = NULL;
		}
	}
	return next;
}

/* Tells the author of a sign-up what became of it (on its user stream: it gets there,
 * also when the author is away). */
static void
hub_part_tell(struct hub *hub, const struct part_item *it, const char *author,
    const char *by, int64_t position)
{
	struct hub_ident *id = author != NULL ? hub_view_ident(hub, author) : NULL;
	struct proto_msg ev;

	if (id == NULL)
		return;
	proto_msg_init(&ev, PT_SIGNUP_ANSWER);
	ev.u.signup_answer.item = it->id;
	ev.u.signup_answer.format = it->format;
	ev.u.signup_answer.state = it->state;
	ev.u.signup_answer.title = it->title;
	ev.u.signup_answer.note = it->note;
	ev.u.signup_answer.by = by;
	ev.u.signup_answer.position = position;
	hub_write_event(hub, id->stream, &ev, NULL, NULL, 0, NULL, NULL);
}

/* signup.accept (into the lineup, the attendee as speaker), signup.decline. */
static void
hub_part_answer(struct hub_session *s, const struct proto_msg *m)
{
	const struct proto_item_req *r = &m->u.item_req;
	struct lineup_item li;
	struct part_item it;
	char *author = NULL;
	int64_t index = -1;

	if (hub_part_get(s, m->id, r->item, PK_SIGNUP, &it, &author) != 0)
		return;
	if (it.state != PS_OPEN) {
		hub_reply_error(s, m->id, PE_ITEM_STATE, "it was answered already");
		goto out;
	}
	if (m->type == PT_SIGNUP_ACCEPT) {
		lineup_item_set(&li, it.title, it.by, it.format);
		if (hub_req_lineup_append(s->hub, &li, s->name, &index) != 0) {
			hub_reply_error(s, m->id, PE_RATE, "the lineup is full");
			goto out;
		}
		it.state = PS_ACCEPTED;
	} else {
		it.state = PS_DECLINED;
		part_item_set_note(&it, r->note);
	}
	hub_part_write_item(s->hub, &it, author, false, part_state_name(it.state), s->name,
	    NULL, s, m->id, false);
	hub_part_tell(s->hub, &it, author, s->name, index);
	log_info("hub: %s %s sign-up %" PRId64, s->name, part_state_name(it.state), it.id);
out:
	part_item_clear(&it);
	free(author);
}

/* qa.anonymous: a session allows anonymous questions, or no longer does. */
static void
hub_part_qa(struct hub_session *s, const struct proto_msg *m)
{
	const struct session *x;
	struct proto_msg ev;
	char key[ROOM_ID_MAX + 8];

	if ((x = hub_part_session(s, m->id, m->u.qa.session, false)) == NULL)
		return;
	snprintf(key, sizeof key, "qa/%s", x->id);
	hub_write_value(s->hub, key, m->u.qa.anonymous ? "{\"anonymous\":true}" : NULL, false,
	    s, 0, NULL, NULL);
	proto_msg_init(&ev, PT_QA);
	ev.u.qa.session = x->id;
	ev.u.qa.anonymous = m->u.qa.anonymous;
	ev.u.qa.by = s->name;
	hub_write_event(s->hub, "part", &ev, NULL, s, m->id, hub_write_reply, NULL);
}

/* Handles a participation request about items. */
void
hub_part_request(struct hub_session *s, const struct proto_msg *m)
{
	switch (m->type) {
	case PT_PROPOSE: hub_part_propose(s, m); break;
	case PT_ASK: hub_part_ask(s, m); break;
	case PT_SIGNUP: hub_part_signup(s, m); break;
	case PT_VOTE:
	case PT_UNVOTE: hub_part_vote(s, m); break;
	case PT_TOPIC_PROMOTE: hub_part_promote(s, m); break;
	case PT_TOPIC_MERGE: hub_part_merge(s, m); break;
	case PT_ITEM_HIDE: hub_part_hide(s, m); break;
	case PT_QUESTION_ANSWER:
	case PT_QUESTION_PIN: hub_part_question(s, m); break;
	case PT_POLL_OPEN: hub_part_poll_open(s, m); break;
	case PT_POLL_CLOSE: hub_part_poll_close(s, m); break;
	case PT_SIGNUP_ACCEPT:
	case PT_SIGNUP_DECLINE: hub_part_answer(s, m); break;
	case PT_QA_ANONYMOUS: hub_part_qa(s, m); break;
	default: hub_reply_error(s, m->id, PE_UNKNOWN_TYPE, NULL); break;
	}
}
