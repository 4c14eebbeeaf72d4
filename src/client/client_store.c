/* client_store.c: the chat lines the client keeps per room: a ring that grows up to
 * CLIENT_CHAT_MAX lines, appended to by live events and prepended to by older history
 * (asked for with client_history_more()). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "client/client_int.h"
#include "util/xalloc.h"

/* Frees the state of a room we are not in (the first one found), to make room for
 * another: at most CLIENT_MAX_STATES are kept. */
static void
client_rs_prune(struct client *c)
{
	size_t i;

	for (i = 0; i < c->nrs; i++) {
		if (client_is_joined(c, c->rs[i]->id) || c->rs[i]->history_out)
			continue;
		idindex_del(c->rs_ix, c->rs[i]->id);
		client_rs_free(c->rs[i]);
		c->rs[i] = c->rs[--c->nrs];
		if (i < c->nrs)
			idindex_set(c->rs_ix, c->rs[i]->id, i);
		return;
	}
}

/* The state kept for room, created on first use. */
struct room_state *
client_rs(struct client *c, const char *room)
{
	size_t i;

	if (idindex_get(c->rs_ix, room, &i))
		return c->rs[i];
	if (c->nrs >= CLIENT_MAX_STATES)
		client_rs_prune(c);
	c->rs = xreallocarray(c->rs, c->nrs + 1, sizeof *c->rs);
	c->rs[c->nrs] = xcalloc(1, sizeof **c->rs);
	strlcpy_cf(c->rs[c->nrs]->id, room, sizeof c->rs[c->nrs]->id);
	idindex_set(c->rs_ix, c->rs[c->nrs]->id, c->nrs);
	return c->rs[c->nrs++];
}

/* Looks up a room state without creating it. */
static const struct room_state *
client_rs_find(const struct client *c, const char *room)
{
	size_t i;

	return idindex_get(c->rs_ix, room, &i) ? c->rs[i] : NULL;
}

/* Line i (0: oldest) of rs. */
static struct client_chat *
client_rs_at(const struct room_state *rs, size_t i)
{
	return &rs->chat[(rs->head + i) % rs->cap];
}

/* Frees the lines of rs; it keeps its position (last_seq). */
void
client_rs_clear(struct room_state *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		free(client_rs_at(rs, i)->from);
		free(client_rs_at(rs, i)->text);
	}
	free(rs->chat);
	rs->chat = NULL;
	rs->cap = rs->head = rs->n = 0;
	rs->at_start = false;
}

/* Makes room for one more line (up to CLIENT_CHAT_MAX), keeping the order. */
static void
client_rs_grow(struct room_state *rs)
{
	struct client_chat *chat;
	size_t cap, i;

	if (rs->n < rs->cap)
		return;
	cap = rs->cap == 0 ? 64 : rs->cap * 2;
	if (cap > CLIENT_CHAT_MAX)
		cap = CLIENT_CHAT_MAX;
	chat = xcalloc(cap, sizeof *chat);
	for (i = 0; i < rs->n; i++)
		chat[i] = *client_rs_at(rs, i);
	free(rs->chat);
	rs->chat = chat;
	rs->cap = cap;
	rs->head = 0;
}

/* Fills slot from an event. */
static void
client_rs_set(struct client_chat *slot, const struct proto_chat *ch, uint64_t seq)
{
	slot->from = xstrdup(ch->from != NULL ? ch->from : "");
	slot->text = xstrdup(ch->text != NULL ? ch->text : "");
	slot->ts = ch->ts;
	slot->me = ch->me;
	slot->seq = seq;
}

/* Appends a chat line to rs, dropping the oldest when CLIENT_CHAT_MAX are kept. */
void
client_keep_chat(struct room_state *rs, const struct proto_chat *ch, uint64_t seq)
{
	struct client_chat *slot;

	if (rs->n == CLIENT_CHAT_MAX) {
		slot = client_rs_at(rs, 0);
		free(slot->from);
		free(slot->text);
		rs->head = (rs->head + 1) % rs->cap;
		rs->n--;
		rs->at_start = false;
	}
	client_rs_grow(rs);
	client_rs_set(client_rs_at(rs, rs->n), ch, seq);
	rs->n++;
}

/* Puts older events in front of the lines of rs: of ev[0..n) (oldest first), those older
 * than our oldest line and than before (what was asked for; 0: no bound), in increasing
 * seq, as many as fit. Returns how many were added. */
size_t
client_rs_prepend(struct room_state *rs, const struct proto_chat_ev *ev, size_t n,
    uint64_t before)
{
	uint64_t bound = rs->n > 0 ? client_rs_at(rs, 0)->seq : UINT64_MAX, prev = 0;
	size_t *take, ntake = 0, i, added, room = CLIENT_CHAT_MAX - rs->n;

	if (before > 0 && before < bound)
		bound = before;
	take = xcalloc(n + 1, sizeof *take);
	for (i = 0; i < n; i++) {
		if (ev[i].seq == 0 || ev[i].seq >= bound || ev[i].seq <= prev)
			continue;
		take[ntake++] = i;
		prev = ev[i].seq;
	}
	/* when it does not all fit, the newest of them are kept: no gap next to our lines */
	i = ntake > room ? ntake - room : 0;
	added = ntake - i;
	for (; ntake > i; ntake--) {
		const struct proto_chat_ev *e = &ev[take[ntake - 1]];
		client_rs_grow(rs);
		rs->head = (rs->head + rs->cap - 1) % rs->cap;
		client_rs_set(client_rs_at(rs, 0), &e->chat, e->seq);
		rs->n++;
		if (e->seq > rs->last_seq)
			rs->last_seq = e->seq;
	}
	free(take);
	return added;
}

/* Asks for up to n lines of room older than the oldest we hold. */
int
client_history_more(struct client *c, const char *room, size_t n)
{
	struct room_state *rs;
	struct proto_msg m;
	struct pending *p;

	if (!c->online || !client_is_joined(c, room))
		return -1;
	rs = client_rs(c, room);
	if (rs->history_out)
		return -1;
	if (rs->at_start) {
		if (c->v.history != NULL)
			c->v.history(c->v.arg, room, CH_START, 0);
		return 0;
	}
	proto_msg_init(&m, PT_HISTORY);
	m.u.history.room = room;
	/* (seqs from the hub are at most PROTO_MAX_SEQ: + 1 cannot overflow) */
	m.u.history.before = rs->n > 0 ? (int64_t)client_chat_line(c, room, 0)->seq : 0;
	if (rs->n == 0 && rs->last_seq > 0)
		m.u.history.before = (int64_t)rs->last_seq + 1;
	m.u.history.limit = n < 1 ? 1 : n > PROTO_HISTORY_LIMIT ? PROTO_HISTORY_LIMIT :
	    (int64_t)n;
	if (m.u.history.before == 1) {
		rs->at_start = true;
		if (c->v.history != NULL)
			c->v.history(c->v.arg, room, CH_START, 0);
		return 0;
	}
	p = client_request(c, &m, room);
	if (p == NULL)
		return -1;
	p->before = (uint64_t)m.u.history.before;
	rs->history_out = true;
	return 0;
}

/* Frees a room state and its lines. */
void
client_rs_free(struct room_state *rs)
{
	if (rs == NULL)
		return;
	client_rs_clear(rs);
	free(rs);
}

/* Number of chat lines kept for room. */
size_t
client_chat_count(const struct client *c, const char *room)
{
	const struct room_state *rs = client_rs_find(c, room);

	return rs != NULL ? rs->n : 0;
}

/* Chat line i (0: oldest) of room. */
const struct client_chat *
client_chat_line(const struct client *c, const char *room, size_t i)
{
	const struct room_state *rs = client_rs_find(c, room);

	if (rs == NULL || i >= rs->n)
		return NULL;
	return client_rs_at(rs, i);
}

/* Marks the kept chat line seq of rs removed. */
void
client_rs_forget(struct room_state *rs, uint64_t seq)
{
	struct client_chat *ch;
	size_t i;

	for (i = 0; i < rs->n; i++) {
		ch = client_rs_at(rs, i);
		if (ch->seq == seq) {
			free(ch->text);
			ch->text = xstrdup("");
			ch->removed = true;
			return;
		}
	}
}
