/* hub_write.c: writes to the store on behalf of requests.
 *
 * A request that changes the state writes it to the store and is answered when the write
 * completes (after the group's commit). The session that asked may close meanwhile: it
 * counts its pending writes and is freed by the last one to complete. A value written and
 * not yet completed is remembered as pending, so that the next request that changes the
 * same value (a timer paused right after it was started, in the same loop pass) starts
 * from it rather than from the view. */
#include <stdlib.h>
#include <string.h>

#include "hub/hub_int.h"
#include "util/log.h"
#include "util/xalloc.h"

struct hub_write {
	struct hub *hub;
	struct hub_session *s;       /* may be NULL */
	bool state;                  /* a value (not a chat line): later requests wait for it */
	int64_t re;
	hub_write_fn fn;
	void *data;
	char *key;                   /* a value's key, for its pending entry */
	uint64_t gen;
};

/* A new completion context; s counts it (state: a write that later requests of s must
 * see, so they wait for it). */
static struct hub_write *
hub_write_new(struct hub *hub, struct hub_session *s, int64_t re, hub_write_fn fn,
    void *data, bool state)
{
	struct hub_write *w = xcalloc(1, sizeof *w);

	w->hub = hub;
	w->s = s;
	w->re = re;
	w->fn = fn;
	w->data = data;
	w->state = state;
	if (s != NULL) {
		s->npending++;
		if (state)
			s->nstate++;
	}
	return w;
}

/* Store completion: runs the request's completion, then lets go of the session. */
static void
hub_write_done(void *arg, enum store_result result, uint64_t seq)
{
	struct hub_write *w = arg;
	struct hub *hub = w->hub;
	struct hub_session *s = w->s;
	struct hub_pending *p;

	if (result == STORE_FAILED)
		hub->metrics.store_failures++;
	if (w->key != NULL && (p = strmap_get(hub->pending, w->key)) != NULL &&
	    p->gen == w->gen) {
		strmap_del(hub->pending, w->key);
		free(p->value);
		free(p);
	}
	if (w->fn != NULL)   /* it owns w->data */
		w->fn(hub, s != NULL && !s->gone && !s->dead ? s : NULL, w->re, result, seq,
		    w->data);
	else
		free(w->data);
	if (s != NULL && w->state)
		s->nstate--;
	if (s != NULL && --s->npending == 0 && s->gone)
		hub_session_free(s);
	else if (s != NULL && !s->gone && s->npending == 0 && s->ninq > 0)
		hub_session_resume_later(s);   /* once the store has reported the change */
	free(w->key);
	free(w);
}

/* Appends an event of m to stream. */
void
hub_write_event(struct hub *hub, const char *stream, const struct proto_msg *m,
    const char *cid, struct hub_session *s, int64_t re, hub_write_fn fn, void *data)
{
	struct hub_write *w = hub_write_new(hub, s, re, fn, data, false);
	size_t len;
	char *text;

	text = hub_event_data(m, &len);
	store_append(hub->store, stream, hub_now(hub), cid, text, len, hub_write_done, w);
	free(text);
}

/* Sets or deletes a value, remembered as pending until it completes. */
void
hub_write_value(struct hub *hub, const char *key, const char *value, bool only_new,
    struct hub_session *s, int64_t re, hub_write_fn fn, void *data)
{
	struct hub_write *w = hub_write_new(hub, s, re, fn, data, true);
	struct hub_pending *p = strmap_get(hub->pending, key);

	if (p == NULL) {
		p = xcalloc(1, sizeof *p);
		strmap_put(hub->pending, key, p);
	}
	free(p->value);
	p->value = value != NULL ? xstrdup(value) : NULL;
	p->gen = ++hub->pending_gen;
	w->key = xstrdup(key);
	w->gen = p->gen;
	if (value != NULL)
		store_put(hub->store, key, value, only_new, hub_write_done, w);
	else
		store_del(hub->store, key, hub_write_done, w);
}

/* Removes an event. */
void
hub_write_remove(struct hub *hub, const char *stream, uint64_t seq, struct hub_session *s,
    int64_t re, hub_write_fn fn, void *data)
{
	store_remove(hub->store, stream, seq, hub_write_done, hub_write_new(hub, s, re, fn,
	    data, true));
}

/* The pending value of key, or NULL. */
const struct hub_pending *
hub_write_pending(const struct hub *hub, const char *key)
{
	return strmap_get(hub->pending, key);
}

/* A completion that replies ok, or not-stored when the store failed. */
void
hub_write_reply(struct hub *hub, struct hub_session *s, int64_t re, enum store_result result,
    uint64_t seq, void *data)
{
	(void)hub;
	(void)seq;
	(void)data;
	if (s == NULL)
		return;
	if (result == STORE_FAILED)
		hub_reply_error(s, re, PE_STORE, NULL);
	else
		hub_reply_ok(s, re, 0);
}
