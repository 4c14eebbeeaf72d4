/* client_out.c: our says and msgs until the hub answers them. Each gets a client id (cid)
 * when typed; one unanswered when the link drops is sent again after the next welcome,
 * with the same cid and in the order typed (the hub never delivers a cid twice). */
#include "util/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "client/client.h"
#include "client/client_int.h"
#include "util/log.h"
#include "util/xalloc.h"

/* Fills buf with n random bytes: getrandom(), else /dev/urandom, else the clock and pid. */
static void
client_out_random(unsigned char *buf, size_t n)
{
	struct timespec ts;
	ssize_t got;
	size_t i;
	int fd;

	got = getrandom(buf, n, GRND_NONBLOCK);
	if (got == (ssize_t)n)
		return;
	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		got = read(fd, buf, n);
		close(fd);
		if (got == (ssize_t)n)
			return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	for (i = 0; i < n; i++)
		buf[i] = (unsigned char)((uint64_t)ts.tv_nsec >> (i * 5) ^ (uint64_t)getpid() >> i);
}

/* Chooses the random part of this client's cids. */
void
client_out_init(struct client *c)
{
	unsigned char r[4];

	client_out_random(r, sizeof r);
	snprintf(c->cid_base, sizeof c->cid_base, "%02x%02x%02x%02x", r[0], r[1], r[2], r[3]);
}

/* A new say (to is NULL) or msg (room is NULL) with a fresh cid, last in the list. */
struct out *
client_out_new(struct client *c, const char *room, const char *to, const char *text,
    bool me, bool offline)
{
	struct out *o = xcalloc(1, sizeof *o);

	o->serial = ++c->next_out;
	o->type = to != NULL ? PT_MSG : PT_SAY;
	o->state = OUT_QUEUED;
	snprintf(o->cid, sizeof o->cid, "%s-%llu", c->cid_base, (unsigned long long)o->serial);
	if (room != NULL)
		strlcpy_cf(o->room, room, sizeof o->room);
	o->to = to != NULL ? xstrdup(to) : NULL;
	o->text = xstrdup(text);
	o->me = me;
	o->offline = offline;
	c->outs = xreallocarray(c->outs, c->nouts + 1, sizeof *c->outs);
	c->outs[c->nouts++] = o;
	return o;
}

/* The out with this serial, or NULL. */
struct out *
client_out_find(const struct client *c, uint64_t serial)
{
	size_t i;

	for (i = 0; i < c->nouts; i++)
		if (c->outs[i]->serial == serial)
			return c->outs[i];
	return NULL;
}

/* The view's picture of o. */
static void
client_out_view(const struct out *o, struct client_out *v)
{
	memset(v, 0, sizeof *v);
	v->cid = o->cid;
	v->room = o->type == PT_SAY ? o->room : NULL;
	v->to = o->to;
	v->text = o->text;
	v->me = o->me;
	v->offline = o->offline;
}

/* Tells the view that o is pending, once. */
void
client_out_show(struct client *c, struct out *o)
{
	struct client_out v;

	if (o->shown)
		return;
	o->shown = true;
	client_out_view(o, &v);
	if (c->v.pending != NULL)
		c->v.pending(c->v.arg, &v);
}

/* Sends o (again, with its cid); when the link refuses it, it waits for the next welcome. */
void
client_out_send(struct client *c, struct out *o)
{
	struct proto_msg m;
	struct pending *p;

	proto_msg_init(&m, o->type);
	if (o->type == PT_SAY) {
		m.u.say.room = o->room;
		m.u.say.text = o->text;
		m.u.say.me = o->me;
		m.u.say.cid = o->cid;
	} else {
		m.u.msg.to = o->to;
		m.u.msg.text = o->text;
		m.u.msg.cid = o->cid;
	}
	p = client_request(c, &m, o->type == PT_SAY ? o->room : NULL);
	if (p != NULL) {
		p->out = o->serial;
		if (o->to != NULL)
			strlcpy_cf(p->subject, o->to, sizeof p->subject);
		o->state = OUT_SENT;
	} else
		o->state = OUT_RETRY;
	client_out_show(c, o);
}

/* The hub answered the send with this serial: ok (code PE_NONE) or refused. */
void
client_out_done(struct client *c, uint64_t serial, const struct proto_ok *ok,
    enum proto_err code)
{
	struct client_out v;
	struct out *o = NULL;
	size_t i;

	for (i = 0; i < c->nouts; i++) {
		if (c->outs[i]->serial == serial) {
			o = c->outs[i];
			memmove(c->outs + i, c->outs + i + 1, (c->nouts - i - 1) * sizeof *c->outs);
			c->nouts--;
			break;
		}
	}
	if (o == NULL)
		return;
	client_out_view(o, &v);
	if (ok != NULL && ok->seq > 0)
		v.seq = (uint64_t)ok->seq;
	if (c->v.outcome != NULL)
		c->v.outcome(c->v.arg, &v, code);
	free(o->to);
	free(o->text);
	free(o);
}

/* After a welcome: sends again, in order, what the last link left unanswered. */
void
client_resend(struct client *c)
{
	size_t i;

	for (i = 0; i < c->nouts && c->online; i++)
		if (c->outs[i]->state == OUT_RETRY)
			client_out_send(c, c->outs[i]);
}

/* Sends that wait for the next welcome. */
size_t
client_out_waiting(const struct client *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->nouts; i++)
		if (c->outs[i]->state == OUT_RETRY)
			n++;
	return n;
}

/* The link dropped: unanswered says and msgs will be sent again, and so will votes,
 * hands, proposals and questions (client_part_req.c); the user is told about other
 * requests that were not confirmed (they are not repeated blindly). */
void
client_out_link_down(struct client *c)
{
	size_t i;
	struct out *o;

	for (i = 0; i < c->npending; i++) {
		const struct pending *p = &c->pending[i];
		if (p->out != 0) {
			if ((o = client_out_find(c, p->out)) != NULL)
				o->state = OUT_RETRY;
			continue;
		}
		if (client_part_will_resend(c, p))
			continue;            /* a vote, a hand, a proposal: sent again */
		if (p->id == 0 || (p->type == PT_JOIN && p->quiet) ||
		    (p->type == PT_WHO && p->after_join))
			continue;
		switch (p->type) {
		case PT_HELLO:
		case PT_PING:
		case PT_WHO:
			break;
		case PT_HISTORY:
			client_rs(c, p->room)->history_out = false;
			break;
		default: {
			char *what = client_error_text(c, p, PE_NONE, NULL);
			char *msg = xasprintf(_("the link dropped before the hub confirmed your "
			    "request (%s): check whether it was done, and try again if not"),
			    what);
			client_local_error(c, msg);
			free(msg);
			free(what);
			break;
		}
		}
	}
	client_part_link_down(c);
	c->npending = 0;
}

/* Frees every out. */
void
client_out_free_all(struct client *c)
{
	size_t i;

	for (i = 0; i < c->nouts; i++) {
		free(c->outs[i]->to);
		free(c->outs[i]->text);
		free(c->outs[i]);
	}
	free(c->outs);
	c->outs = NULL;
	c->nouts = 0;
}
