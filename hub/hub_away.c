/* hub_away.c: the hub's side of away messages and quit messages (protocol section
 * "away and quit"): "away" sets or clears what a session's /who line and the senders of
 * its private messages see; "quit" takes the session out of every room with a message
 * the others see. Kept apart from hub_req.c so that the request handlers stay small. */
#include <stdlib.h>
#include <string.h>

#include "hub/hub_int.h"
#include "util/xalloc.h"

/* The away message of s, or NULL when it is not away (borrowed). */
const char *
hub_away_of(const struct hub_session *s)
{
	return s->away;
}

/* Frees what this file keeps in s. */
void
hub_away_free(struct hub_session *s)
{
	free(s->away);
	free(s->quit_message);
	s->away = s->quit_message = NULL;
}

/* away: sets (a message) or clears (none, or "") the session's away message. */
void
hub_away_request(struct hub_session *s, const struct proto_msg *m)
{
	const char *msg = m->u.away.message;

	free(s->away);
	s->away = msg != NULL && *msg != '\0' ? xstrdup(msg) : NULL;
	hub_pres_away(s);
	hub_reply_ok(s, m->id, 0);
}

/* Tells the lobby's other members that s quits with a message (the lobby has no join or
 * part notices: only a quit that says something is worth a line there). */
static void
hub_away_quit_lobby(struct hub_session *s)
{
	struct hub_room *lobby = hub_room_find(s->hub, ROOM_LOBBY);

	if (lobby == NULL || s->quit_message == NULL ||
	    hub_session_join_find(s, lobby) == NULL)
		return;
	hub_presence_send(s->hub, lobby, s->name, PRES_QUIT, s->quit_message);
}

/* quit: the session leaves every room at once (the others see "quit" and its message),
 * then gets its ok; the client closes the link after it. */
void
hub_away_quit(struct hub_session *s, const struct proto_msg *m)
{
	const char *msg = m->u.away.message;

	free(s->quit_message);
	s->quit_message = msg != NULL && *msg != '\0' ? xstrdup(msg) : NULL;
	hub_away_quit_lobby(s);
	while (s->njoins > 0)
		hub_session_part(s, s->joins[s->njoins - 1].room, PRES_QUIT);
	hub_reply_ok(s, m->id, 0);
}

/* The answer to a msg whose recipient is away (a hub_write_fn; data: the away message,
 * freed here): ok with the message, once the message is stored. */
void
hub_away_msg_reply(struct hub *hub, struct hub_session *s, int64_t re,
    enum store_result result, uint64_t seq, void *data)
{
	struct proto_msg rep;

	(void)hub;
	(void)seq;
	if (s != NULL && result == STORE_FAILED)
		hub_reply_error(s, re, PE_STORE, NULL);
	else if (s != NULL) {
		proto_msg_init(&rep, PT_OK);
		rep.re = re;
		rep.u.ok.away = data;
		hub_send_msg(s, &rep);
	}
	free(data);
}
