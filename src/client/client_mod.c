/* client_mod.c: moderation from the client's side: the requests of /delete, /report,
 * /reports, /mute, /unmute, /kick, /ban, /unban and /announce; /ids; and what the hub
 * tells: a line removed, an announcement (shown once, though it comes in every room), a
 * report (to facilitators), what a facilitator did to us, the welcome notice. */
#include "util/i18n.h"

#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "client/client_int.h"
#include "util/log.h"
#include "util/xalloc.h"

/* Sends the request of a moderation command (the client is online). */
void
client_mod_run(struct client *c, const struct command *cmd)
{
	struct proto_msg m;
	struct pending *p;
	const char *room = cmd->arg != NULL ? cmd->arg : c->current;

	switch (cmd->type) {
	case CMD_DELETE:
	case CMD_REPORT:
		proto_msg_init(&m, cmd->type == CMD_DELETE ? PT_DELETE : PT_REPORT);
		m.u.line.room = room;
		m.u.line.seq = cmd->index;
		m.u.line.reason = cmd->text;
		if ((p = client_request(c, &m, room)) != NULL)
			p->seq = (uint64_t)cmd->index;
		return;
	case CMD_REPORTS:
		proto_msg_init(&m, PT_REPORTS);
		break;
	case CMD_ANNOUNCE:
		proto_msg_init(&m, PT_ANNOUNCE);
		m.u.announce.text = cmd->text;
		break;
	default:
		proto_msg_init(&m, cmd->type == CMD_MUTE ? PT_MUTE : cmd->type == CMD_UNMUTE ?
		    PT_UNMUTE : cmd->type == CMD_KICK ? PT_KICK : cmd->type == CMD_BAN ? PT_BAN :
		    PT_UNBAN);
		m.u.mod.name = cmd->arg;
		m.u.mod.reason = cmd->text;
		m.u.mod.minutes = cmd->minutes;
		if ((p = client_request(c, &m, NULL)) != NULL) {
			strlcpy_cf(p->name, cmd->arg, sizeof p->name);
			p->minutes = cmd->minutes > 0 ? cmd->minutes : PROTO_MUTE_DEFAULT_MINUTES;
		}
		return;
	}
	client_request(c, &m, NULL);
}

/* What a front end says when the hub did a moderation request of ours. */
char *
client_mod_done_text(enum proto_type type, const char *room, const char *name,
    uint64_t seq, int minutes)
{
	switch (type) {
	case PT_REPORT:
		return xasprintf(_("your report of line %llu in #%s reached the facilitators"),
		    (unsigned long long)seq, room);
	case PT_REPORTS:
		return xstrdup(_("end of the reports kept"));
	case PT_MUTE:
		return xasprintf(ngettext("%s is muted for %d minute",
		    "%s is muted for %d minutes", (unsigned long)minutes), name, minutes);
	case PT_UNMUTE:
		return xasprintf(_("%s may speak again"), name);
	case PT_KICK:
		return xasprintf(_("%s was removed from the event"), name);
	case PT_BAN:
		return xasprintf(_("%s is banned from the event"), name);
	case PT_UNBAN:
		return xasprintf(_("%s is no longer banned"), name);
	default:
		return xstrdup(_("done"));
	}
}

/* The hub did a moderation request of ours: tells the view. */
void
client_mod_done(struct client *c, const struct pending *p)
{
	if (c->v.mod_done != NULL)
		c->v.mod_done(c->v.arg, p->type, p->room, p->name, p->seq, p->minutes);
}

/* /ids: shows (or stops showing) the number of each chat line. */
void
client_mod_ids(struct client *c, const struct command *cmd)
{
	c->show_ids = cmd->index < 0 ? !c->show_ids : cmd->index != 0;
	if (c->v.ids != NULL)
		c->v.ids(c->v.arg, c->show_ids);
}

/* True when chat lines show their numbers. */
bool
client_show_ids(const struct client *c)
{
	return c->show_ids;
}

/* Counts an event of a room's stream that is not chat (so that a resume starts after
 * it); false when it was seen already. */
static bool
client_mod_seen(struct client *c, const char *room, uint64_t seq)
{
	struct room_state *rs;

	if (room == NULL || !client_is_joined(c, room))
		return false;
	rs = client_rs(c, room);
	if (seq != 0) {
		if (seq <= rs->last_seq)
			return false;
		rs->last_seq = seq;
	}
	return true;
}

/* chat.deleted: a facilitator removed a line. */
void
client_on_chat_deleted(struct client *c, const struct proto_msg *m)
{
	const struct proto_chat_deleted *d = &m->u.chat_deleted;

	if (!client_mod_seen(c, d->room, m->seq))
		return;
	client_rs_forget(client_rs(c, d->room), (uint64_t)d->seq);
	if (c->v.line_removed != NULL)
		c->v.line_removed(c->v.arg, d->room, (uint64_t)d->seq, d->by != NULL ? d->by : "");
}

/* announcement: shown once, though it comes in every room we are in. */
void
client_on_announcement(struct client *c, const struct proto_msg *m)
{
	const struct proto_announcement *a = &m->u.announcement;
	size_t i;

	if (!client_mod_seen(c, a->room, m->seq))
		return;
	for (i = 0; i < CLIENT_AIDS; i++)
		if (strcmp(c->aids[i], a->aid) == 0)
			return;
	strlcpy_cf(c->aids[c->naid++ % CLIENT_AIDS], a->aid, sizeof c->aids[0]);
	if (c->v.announcement != NULL)
		c->v.announcement(c->v.arg, a->from, a->text);
}

/* reported: a report, to us as a facilitator. */
void
client_on_report(struct client *c, const struct proto_msg *m)
{
	if (c->v.report != NULL)
		c->v.report(c->v.arg, &m->u.report, m->seq);
}

/* moderation: what a facilitator did to us. Kicked or banned, we stop: the hub closes
 * the link, and coming back at once would undo the kick. */
void
client_on_moderation(struct client *c, const struct proto_msg *m)
{
	const struct proto_moderation *k = &m->u.moderation;
	char *msg;

	if (c->v.moderation != NULL)
		c->v.moderation(c->v.arg, k);
	if (strcmp(k->action, "kick") == 0 || strcmp(k->action, "ban") == 0) {
		msg = xasprintf(strcmp(k->action, "kick") == 0 ?
		    _("removed from the event by %s; start confab again to come back") :
		    _("banned from the event by %s"), k->by != NULL ? k->by : "?");
		client_refused(c, msg, strcmp(k->action, "kick") == 0 ? _("removed") :
		    _("banned"));
		free(msg);
	}
}

/* The welcome's notice (code of conduct): shown once per run. */
void
client_show_notice(struct client *c, const char *notice)
{
	if (notice == NULL || (c->notice != NULL && strcmp(c->notice, notice) == 0))
		return;
	free(c->notice);
	c->notice = xstrdup(notice);
	if (c->v.hub_notice != NULL)
		c->v.hub_notice(c->v.arg, notice);
}
