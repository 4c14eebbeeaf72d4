/* client_part_req.c: participation requests: the commands /propose, /ask, /signup, /vote,
 * /unvote, /poll, /hand, /queue and the facilitators' ones become requests; the lists
 * (/topics, /questions, /poll, /signups, /queue, /board) are answered from what the hub
 * told us. A request that is safe to repeat (a vote, a hand, and what carries a cid:
 * proposals, questions, sign-ups, polls) and is not answered when the link drops is sent
 * again after the next welcome, so that a cut link loses nothing and doubles nothing. */
#include "util/i18n.h"

#include <stdlib.h>
#include <string.h>

#include "client/client_part.h"
#include "util/log.h"
#include "util/xalloc.h"

/* True for the request types that are sent again after a drop. */
static bool
client_part_repeatable(enum proto_type t)
{
	switch (t) {
	case PT_PROPOSE:
	case PT_ASK:
	case PT_SIGNUP:
	case PT_POLL_OPEN:    /* (these four carry a cid) */
	case PT_VOTE:
	case PT_UNVOTE:
	case PT_HAND:
		return true;
	default:
		return false;
	}
}

/* Frees a request. */
static void
client_part_req_free(struct preq *r)
{
	json_decref(r->req);
	free(r);
}

/* Frees every request. */
void
client_part_reqs_free(struct client *c)
{
	while (c->part->nreqs > 0)
		client_part_req_free(c->part->reqs[--c->part->nreqs]);
	free(c->part->reqs);
	c->part->reqs = NULL;
}

/* Sends r on the link; the pending entry names it. */
static void
client_part_send_req(struct client *c, struct preq *r)
{
	struct pending *p = client_request_json(c, r->req, r->type, r->room[0] != '\0' ?
	    r->room : NULL);

	if (p != NULL)
		p->preq = r->serial;
	r->resend = p == NULL && client_part_repeatable(r->type);
}

/* Sends request m (about item, choice, room) and keeps it until it is answered. */
static void
client_part_send(struct client *c, const struct proto_msg *m, int64_t item, int choice,
    const char *room)
{
	struct client_part *p = c->part;
	struct preq *r = xcalloc(1, sizeof *r);

	r->serial = ++p->serials;
	r->req = proto_to_json(m);
	r->type = m->type;
	r->item = item;
	r->choice = choice;
	r->up = m->type == PT_HAND && m->u.hand.up;
	if (room != NULL)
		strlcpy_cf(r->room, room, sizeof r->room);
	p->reqs = xreallocarray(p->reqs, p->nreqs + 1, sizeof *p->reqs);
	p->reqs[p->nreqs++] = r;
	client_part_send_req(c, r);
}

/* Takes request serial out of the list; NULL when unknown. */
static struct preq *
client_part_take(struct client *c, uint64_t serial)
{
	struct client_part *p = c->part;
	struct preq *r;
	size_t i;

	for (i = 0; i < p->nreqs; i++) {
		if (p->reqs[i]->serial != serial)
			continue;
		r = p->reqs[i];
		memmove(&p->reqs[i], &p->reqs[i + 1], (p->nreqs - i - 1) * sizeof *p->reqs);
		p->nreqs--;
		return r;
	}
	return NULL;
}

/* The hub answered request p. */
void
client_part_answer(struct client *c, const struct pending *p, const struct proto_ok *ok,
    enum proto_err code)
{
	struct preq *r = client_part_take(c, p->preq);
	struct client_part_done d;

	if (r == NULL)
		return;
	if (code == PE_NONE) {
		if (r->type == PT_VOTE)
			client_part_voted(c, r->item, r->choice >= 0 ? r->choice : 0);
		else if (r->type == PT_UNVOTE)
			client_part_voted(c, r->item, -1);
		memset(&d, 0, sizeof d);
		d.type = r->type;
		d.item = ok != NULL && ok->item > 0 ? ok->item : r->item;
		d.dup = ok != NULL && ok->dup;
		d.choice = r->choice;
		d.up = r->up;
		d.room = r->room;
		d.resent = r->resent;
		if (c->v.part_done != NULL)
			c->v.part_done(c->v.arg, &d);
	}
	client_part_req_free(r);
}

/* True when p is a request that will be sent again after the next welcome. */
bool
client_part_will_resend(const struct client *c, const struct pending *p)
{
	size_t i;

	for (i = 0; p->preq != 0 && i < c->part->nreqs; i++)
		if (c->part->reqs[i]->serial == p->preq)
			return client_part_repeatable(c->part->reqs[i]->type);
	return false;
}

/* The link dropped: what is safe to repeat is sent again later; the rest is forgotten
 * (the user is told to check it: client_out_link_down()). */
void
client_part_link_down(struct client *c)
{
	struct client_part *p = c->part;
	size_t i = 0;

	while (i < p->nreqs) {
		if (client_part_repeatable(p->reqs[i]->type)) {
			p->reqs[i]->resend = true;
			i++;
		} else
			client_part_req_free(client_part_take(c, p->reqs[i]->serial));
	}
}

/* After a welcome: sends again, in order, what the last link left unanswered. */
void
client_part_resend(struct client *c)
{
	size_t i;

	for (i = 0; i < c->part->nreqs && c->online; i++) {
		if (!c->part->reqs[i]->resend)
			continue;
		c->part->reqs[i]->resent = true;
		log_info("client: sending %s again after the reconnect",
		    proto_type_name(c->part->reqs[i]->type));
		client_part_send_req(c, c->part->reqs[i]);
	}
}

/* A fresh cid for a request, into buf. */
static const char *
client_part_cid(struct client *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s-%llu", c->cid_base, (unsigned long long)++c->next_out);
	return buf;
}

/* The session for /qa: given, else the one on now that takes questions; NULL after an
 * error. */
static const char *
client_part_qa_session(struct client *c, const struct command *cmd)
{
	const struct program *pg = c->program;
	int64_t now = client_hub_now(c);
	size_t i;

	if (cmd->arg != NULL)
		return cmd->arg;
	for (i = 0; pg != NULL && i < pg->nsessions; i++) {
		const struct session *s = &pg->sessions[i];
		if (s->start_ms <= now && now < s->end_ms && s->kind != SK_BREAK &&
		    s->kind != SK_DISCUSSION)
			return s->id;
	}
	client_local_error(c, _("no session that takes questions is on now: give one with "
	    "--session ID (/schedule shows the ids)"));
	return NULL;
}

/* A choice given as its 1-based number (1 to PART_CHOICES_MAX) into *n; -1 otherwise. */
static int
client_part_number(const char *s, int *n)
{
	if (s == NULL || s[0] < '1' || s[0] > '9' || (s[1] != '\0' && (s[1] != '0' ||
	    s[2] != '\0')) || atoi(s) > PART_CHOICES_MAX)
		return -1;
	*n = atoi(s);
	return 0;
}

/* /vote N on a topic or question, /poll vote N CHOICE: the request, or a local error. */
static void
client_part_vote(struct client *c, const struct command *cmd, struct proto_msg *m)
{
	const struct part_item *it = client_item(c, cmd->index);
	int choice = -1;
	char *list, *msg, *t;
	size_t i;

	if (cmd->type == CMD_POLL_VOTE) {
		if (it == NULL && client_part_number(cmd->arg, &choice) == 0)
			choice--;       /* not here yet: the hub knows its choices by number */
		else if (it == NULL || it->kind != PK_POLL) {
			msg = xasprintf(_("there is no poll %lld; /poll lists them"),
			    (long long)cmd->index);
			client_local_error(c, msg);
			free(msg);
			return;
		} else if ((choice = part_item_find_choice(it, cmd->arg)) < 0) {
			list = xstrdup("");
			for (i = 0; i < it->nchoices; i++) {
				t = xasprintf("%s%s%zu %s", list, i > 0 ? ", " : "", i + 1,
				    it->choices[i]);
				free(list);
				list = t;
			}
			msg = xasprintf(_("poll %lld has no choice \"%s\"; its choices: %s"),
			    (long long)cmd->index, cmd->arg, list);
			client_local_error(c, msg);
			free(msg);
			free(list);
			return;
		}
	} else if (it != NULL && it->kind == PK_POLL) {
		msg = xasprintf(_("%lld is a poll: vote with /poll vote %lld CHOICE"),
		    (long long)cmd->index, (long long)cmd->index);
		client_local_error(c, msg);
		free(msg);
		return;
	}
	proto_msg_init(m, cmd->type == CMD_UNVOTE ? PT_UNVOTE : PT_VOTE);
	m->u.vote.item = cmd->index;
	m->u.vote.choice = choice;
	client_part_send(c, m, cmd->index, choice, NULL);
}

/* The facilitators' requests on one item. */
static void
client_part_item_req(struct client *c, const struct command *cmd)
{
	struct proto_msg m;
	int64_t item = cmd->index;
	const struct part_item *poll;
	enum proto_type t;

	switch (cmd->type) {
	case CMD_TOPIC_PROMOTE: t = PT_TOPIC_PROMOTE; break;
	case CMD_TOPIC_MERGE: t = PT_TOPIC_MERGE; break;
	case CMD_HIDE: t = PT_ITEM_HIDE; break;
	case CMD_QUESTION_ANSWER: t = PT_QUESTION_ANSWER; break;
	case CMD_QUESTION_PIN: t = PT_QUESTION_PIN; break;
	case CMD_SIGNUP_ACCEPT: t = PT_SIGNUP_ACCEPT; break;
	case CMD_SIGNUP_DECLINE: t = PT_SIGNUP_DECLINE; break;
	default: t = PT_POLL_CLOSE; break;
	}
	if (t == PT_POLL_CLOSE && item == 0) {
		if ((poll = client_open_poll(c)) == NULL) {
			client_local_error(c, _("no poll is open"));
			return;
		}
		item = poll->id;
	}
	proto_msg_init(&m, t);
	m.u.item_req.item = item;
	m.u.item_req.into = cmd->index2;
	m.u.item_req.minutes = cmd->minutes;
	m.u.item_req.capacity = cmd->capacity;
	m.u.item_req.flag = cmd->flag;
	m.u.item_req.note = cmd->text;
	client_part_send(c, &m, item, -1, NULL);
}

/* Runs a participation command that needs the hub (we are online). */
void
client_part_run(struct client *c, const struct command *cmd)
{
	struct proto_msg m;
	char cid[PROTO_MAX_CID + 1];
	const char *session;

	switch (cmd->type) {
	case CMD_PROPOSE:
		proto_msg_init(&m, PT_PROPOSE);
		m.u.propose.title = cmd->text;
		m.u.propose.session = cmd->arg;
		m.u.propose.cid = client_part_cid(c, cid, sizeof cid);
		break;
	case CMD_ASK:
		proto_msg_init(&m, PT_ASK);
		m.u.ask.text = cmd->text;
		m.u.ask.session = cmd->arg;
		m.u.ask.room = cmd->arg == NULL ? c->current : NULL;
		m.u.ask.anonymous = cmd->flag;
		m.u.ask.cid = client_part_cid(c, cid, sizeof cid);
		break;
	case CMD_SIGNUP:
		proto_msg_init(&m, PT_SIGNUP);
		m.u.signup.format = cmd->kind == 1 ? LK_PITCH : LK_TALK;
		m.u.signup.title = cmd->text;
		m.u.signup.cid = client_part_cid(c, cid, sizeof cid);
		break;
	case CMD_POLL_OPEN:
		proto_msg_init(&m, PT_POLL_OPEN);
		m.u.poll_open.question = cmd->text;
		m.u.poll_open.choices = (const char **)cmd->list;
		m.u.poll_open.nchoices = cmd->nlist;
		m.u.poll_open.minutes = cmd->minutes;
		m.u.poll_open.secret = cmd->flag;
		m.u.poll_open.cid = client_part_cid(c, cid, sizeof cid);
		break;
	case CMD_VOTE:
	case CMD_UNVOTE:
	case CMD_POLL_VOTE:
		client_part_vote(c, cmd, &m);
		return;
	case CMD_QA:
		if ((session = client_part_qa_session(c, cmd)) == NULL)
			return;
		proto_msg_init(&m, PT_QA_ANONYMOUS);
		m.u.qa.session = session;
		m.u.qa.anonymous = cmd->flag;
		break;
	case CMD_HAND:
		proto_msg_init(&m, PT_HAND);
		m.u.hand.room = c->current;
		m.u.hand.up = cmd->flag;
		client_part_send(c, &m, 0, -1, c->current);
		return;
	case CMD_QUEUE_NEXT:
	case CMD_QUEUE_CLEAR:
		proto_msg_init(&m, cmd->type == CMD_QUEUE_NEXT ? PT_QUEUE_NEXT : PT_QUEUE_CLEAR);
		m.u.room.room = c->current;
		client_part_send(c, &m, 0, -1, c->current);
		return;
	default:
		client_part_item_req(c, cmd);
		return;
	}
	client_part_send(c, &m, 0, -1, NULL);
}

/* Answers a list command from what the hub told us; false for the other commands. */
bool
client_part_local(struct client *c, const struct command *cmd)
{
	const struct part_item **v;
	enum part_kind k;
	size_t n;

	switch (cmd->type) {
	case CMD_TOPICS: k = PK_TOPIC; break;
	case CMD_QUESTIONS: k = PK_QUESTION; break;
	case CMD_POLLS: k = PK_POLL; break;
	case CMD_SIGNUPS: k = PK_SIGNUP; break;
	case CMD_BOARD: k = PK__COUNT; break;
	case CMD_QUEUE:
		if (c->v.queue_list != NULL)
			c->v.queue_list(c->v.arg, client_queue(c, c->current));
		return true;
	default:
		return false;
	}
	n = client_items(c, k, NULL, 0);
	v = xcalloc(n + 1, sizeof *v);
	n = client_items(c, k, v, n);
	if (c->v.items != NULL)
		c->v.items(c->v.arg, k, v, n);
	free(v);
	return true;
}
