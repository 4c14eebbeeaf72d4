/* client_habits.c: what users of terminal chat clients expect of one they keep open all
 * week: /tz and /clock, /away, /ignore (kept in the config file), smart-filtered join and
 * part notices, mentions, chat logs, /find, the lines not sent yet when leaving, /quit
 * with a message, and errors that name what they are about. */
#include "util/i18n.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "client/chatlog.h"
#include "client/client.h"
#include "client/client_int.h"
#include "client/config.h"
#include "client/smartfilter.h"
#include "util/log.h"
#include "util/xalloc.h"

/* Takes the settings of cfg. */
void
client_habits_init(struct client *c, const struct client_config *cfg)
{
	size_t i;

	c->time_local = cfg->time_local;
	c->clock12 = cfg->clock12;
	for (i = 0; i < cfg->nignore; i++) {
		c->ignore = xreallocarray(c->ignore, c->nignore + 1, sizeof *c->ignore);
		c->ignore[c->nignore++] = xstrdup(cfg->ignore[i]);
	}
	c->config_path = cfg->config_path != NULL ? xstrdup(cfg->config_path) : NULL;
	c->sf = cfg->smart_ms > 0 ? smartfilter_create(cfg->smart_ms) : NULL;
	c->log_dir = cfg->log_dir != NULL ? xstrdup(cfg->log_dir) : NULL;
}

/* Frees what client_habits_init() and later calls made. */
void
client_habits_free(struct client *c)
{
	size_t i;

	for (i = 0; i < c->nignore; i++)
		free(c->ignore[i]);
	free(c->ignore);
	free(c->config_path);
	free(c->away);
	smartfilter_free(c->sf);
	free(c->log_dir);
	chatlog_free(c->chatlog);
}

/* A line of ours for the view. */
void
client_info(struct client *c, const char *tag, const char *text)
{
	if (c->v.info != NULL)
		c->v.info(c->v.arg, tag, text);
}

/* How times are to be shown. */
void
client_timefmt(const struct client *c, struct timefmt *tf)
{
	tf->event_tz = c->program != NULL ? c->program->timezone : NULL;
	tf->local = c->time_local;
	tf->clock12 = c->clock12;
}

/* True when text mentions our name as a word. */
bool
client_mentions(const struct client *c, const char *text)
{
	size_t n = strlen(c->name);
	const char *p;

	if (n < 2)
		return false;
	for (p = text; *p != '\0'; p++) {
		if (strncasecmp(p, c->name, n) != 0)
			continue;
		if ((p == text || !isalnum((unsigned char)p[-1])) &&
		    !isalnum((unsigned char)p[n]))
			return true;
	}
	return false;
}

/* The index of name on the ignore list, or -1. */
static long
client_ignore_index(const struct client *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nignore; i++)
		if (proto_name_cmp(c->ignore[i], name) == 0)
			return (long)i;
	return -1;
}

/* True when name is ignored. */
bool
client_ignored(const struct client *c, const char *name)
{
	return name != NULL && client_ignore_index(c, name) >= 0;
}

/* Our away message. */
const char *
client_away(const struct client *c)
{
	return c->away;
}

/* The chat logs' directory for this hub, or NULL. */
const char *
client_log_dir(const struct client *c)
{
	return c->chatlog != NULL ? chatlog_dir(c->chatlog) : NULL;
}

/* Connecting to url: the chat logs go under its name. */
void
client_habits_connecting(struct client *c, const char *url)
{
	if (c->log_dir == NULL)
		return;
	chatlog_free(c->chatlog);
	c->chatlog = chatlog_create(c->log_dir, url);
}

/* Keeps the ignore list in the config file; says where, or why not. */
static void
client_ignore_save(struct client *c)
{
	char *list = xstrdup(""), *t, *cause = NULL, *msg;
	size_t i;

	if (c->config_path == NULL)
		return;
	for (i = 0; i < c->nignore; i++) {
		t = xasprintf("%s%s%s", list, i > 0 ? " " : "", c->ignore[i]);
		free(list);
		list = t;
	}
	if (config_save_key(c->config_path, "ignore", c->nignore > 0 ? list : NULL,
	    &cause) != 0) {
		msg = xasprintf(_("the ignore list could not be kept in %s: %s"), c->config_path,
		    cause);
		client_local_error(c, msg);
		free(msg);
		free(cause);
	}
	free(list);
}

/* /ignore [NAME], /unignore NAME. */
static void
client_ignore_cmd(struct client *c, const struct command *cmd)
{
	char *msg, *list;
	long i;
	size_t k;

	if (cmd->type == CMD_IGNORE && cmd->arg == NULL) {
		if (c->nignore == 0) {
			client_info(c, "ignore", _("nobody is ignored"));
			return;
		}
		list = xstrdup("");
		for (k = 0; k < c->nignore; k++) {
			msg = xasprintf("%s%s%s", list, k > 0 ? ", " : "", c->ignore[k]);
			free(list);
			list = msg;
		}
		msg = xasprintf(_("ignored: %s"), list);
		client_info(c, "ignore", msg);
		free(msg);
		free(list);
		return;
	}
	i = client_ignore_index(c, cmd->arg);
	if (cmd->type == CMD_IGNORE) {
		if (i < 0) {
			c->ignore = xreallocarray(c->ignore, c->nignore + 1, sizeof *c->ignore);
			c->ignore[c->nignore++] = xstrdup(cmd->arg);
			client_ignore_save(c);
		}
		msg = c->config_path != NULL ? xasprintf(_("ignoring %s (kept in %s); /unignore "
		    "%s undoes it"), cmd->arg, c->config_path, cmd->arg) :
		    xasprintf(_("ignoring %s; /unignore %s undoes it"), cmd->arg, cmd->arg);
		client_info(c, "ignore", msg);
		free(msg);
		return;
	}
	if (i < 0) {
		msg = xasprintf(_("%s is not ignored; /ignore lists who is"), cmd->arg);
		client_local_error(c, msg);
		free(msg);
		return;
	}
	free(c->ignore[i]);
	c->ignore[i] = c->ignore[--c->nignore];
	client_ignore_save(c);
	msg = xasprintf(_("no longer ignoring %s"), cmd->arg);
	client_info(c, "ignore", msg);
	free(msg);
}

/* Tells the hub our away state (on this link). */
static void
client_away_send(struct client *c)
{
	struct proto_msg m;
	struct pending *p;

	proto_msg_init(&m, PT_AWAY);
	m.u.away.message = c->away;
	p = client_request(c, &m, NULL);
	c->away_sent = p != NULL;
}

/* /away [MESSAGE]. */
static void
client_away_cmd(struct client *c, const struct command *cmd)
{
	char *msg;

	if (cmd->text == NULL && c->away == NULL) {
		client_info(c, "away", _("you are not away; /away MESSAGE marks you away"));
		return;
	}
	free(c->away);
	c->away = cmd->text != NULL ? xstrdup(cmd->text) : NULL;
	if (c->online)
		client_away_send(c);
	else
		c->away_sent = false;
	if (c->away == NULL) {
		client_info(c, "away", _("you are back"));
		return;
	}
	msg = xasprintf(_("you are marked away: %s (/away alone: back)"), c->away);
	client_info(c, "away", msg);
	free(msg);
}

/* /tz [local|event], /clock [12h|24h]. */
static void
client_time_cmd(struct client *c, const struct command *cmd)
{
	struct timefmt tf;
	char buf[64], off[32], *msg;
	struct tm tm;
	time_t t = (time_t)(client_wall(c) / 1000);

	if (cmd->type == CMD_TZ && cmd->index >= 0)
		c->time_local = cmd->index == 1;
	if (cmd->type == CMD_CLOCK && cmd->index >= 0)
		c->clock12 = cmd->index == 1;
	client_timefmt(c, &tf);
	timefmt_clock(&tf, client_wall(c), true, buf, sizeof buf);
	if (cmd->type == CMD_CLOCK)
		msg = xasprintf(c->clock12 ? _("times are shown on a 12-hour clock (now %s); "
		    "/clock 24h changes it") : _("times are shown on a 24-hour clock (now %s); "
		    "/clock 12h changes it"), buf);
	else if (c->time_local) {
		if (localtime_r(&t, &tm) != NULL)
			timefmt_offset(tm.tm_gmtoff, off, sizeof off);
		else
			snprintf(off, sizeof off, "?");
		msg = xasprintf(_("times are shown in your time zone, %s (now %s); /tz event "
		    "shows the conference's"), off, buf);
	} else
		msg = xasprintf(_("times are shown in the conference's time zone, %s (now %s); "
		    "/tz local shows yours"), tf.event_tz != NULL ? tf.event_tz : "?", buf);
	client_info(c, cmd->type == CMD_CLOCK ? "clock" : "tz", msg);
	free(msg);
	if (cmd->index >= 0 && c->v.time_changed != NULL)
		c->v.time_changed(c->v.arg);
}

/* Runs the local commands of this file; false for any other. */
bool
client_habits_run(struct client *c, const struct command *cmd)
{
	switch (cmd->type) {
	case CMD_TZ:
	case CMD_CLOCK:
		client_time_cmd(c, cmd);
		return true;
	case CMD_IGNORE:
	case CMD_UNIGNORE:
		client_ignore_cmd(c, cmd);
		return true;
	case CMD_AWAY:
		client_away_cmd(c, cmd);
		return true;
	case CMD_FIND:
		if (c->v.find != NULL)
			c->v.find(c->v.arg, cmd->text);
		return true;
	default:
		return false;
	}
}

/* After a welcome: the hub learns our away state again. */
void
client_habits_welcome(struct client *c)
{
	c->away_sent = false;
	if (c->away != NULL)
		client_away_send(c);
}

/* A chat line arrived (not ignored): the smart filter and the logs hear of it. */
void
client_habits_chat(struct client *c, const char *room, const char *from, const char *text,
    bool me, int64_t ts)
{
	smartfilter_spoke(c->sf, room, from, client_mono(c));
	chatlog_write(c->chatlog, room, false, ts > 0 ? ts : client_wall(c), from, text, me);
}

/* A private message arrived or was echoed: it goes to the log of the conversation. */
void
client_habits_privmsg(struct client *c, const char *from, const char *to, const char *text,
    bool outgoing, int64_t ts)
{
	chatlog_write(c->chatlog, outgoing ? to : from, true, ts > 0 ? ts : client_wall(c),
	    from, text, false);
}

/* A presence event of a room we are in: to the view unless ignored, marked hidden when the
 * smart filter would hide it. */
void
client_habits_presence(struct client *c, const struct proto_presence_ev *p)
{
	bool hidden;

	if (client_ignored(c, p->name) || c->v.presence == NULL)
		return;
	hidden = c->sf != NULL && !smartfilter_show(c->sf, p->room, p->name,
	    p->action == PRES_JOIN, client_mono(c));
	c->v.presence(c->v.arg, p->room, p->name, p->action, p->message, hidden);
}

/* A members reply for /who (or /names). */
void
client_habits_who(struct client *c, const struct proto_members *mb)
{
	if (c->v.who != NULL)
		c->v.who(c->v.arg, mb->room != NULL ? mb->room : "",
		    (const char *const *)mb->names, (const char *const *)mb->away, mb->nnames);
}

/* Lines of room that contain text. */
size_t
client_find(const struct client *c, const char *room, const char *text,
    void (*found)(void *arg, const struct client_chat *ch), void *arg)
{
	size_t i, n = client_chat_count(c, room), hits = 0, len = strlen(text), k;
	const struct client_chat *ch;

	if (len == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if ((ch = client_chat_line(c, room, i)) == NULL || ch->text == NULL)
			continue;
		for (k = 0; ch->text[k] != '\0'; k++)
			if (strncasecmp(ch->text + k, text, len) == 0)
				break;
		if (ch->text[k] == '\0' && strcasecmp(ch->from, text) != 0)
			continue;
		hits++;
		if (found != NULL)
			found(arg, ch);
	}
	return hits;
}

/* The lines typed that the hub has not taken. */
struct client_unsent *
client_unsent(const struct client *c, size_t *n)
{
	struct client_unsent *u = xcalloc(c->nouts + c->nqueue + 1, sizeof *u);
	size_t i, k = 0;

	for (i = 0; i < c->nouts; i++) {
		const struct out *o = c->outs[i];

		u[k].room = o->type == PT_SAY ? o->room : NULL;
		u[k].to = o->to;
		u[k].text = o->text;
		u[k].me = o->me;
		k++;
	}
	for (i = 0; i < c->nqueue; i++)
		if (c->queue[i].line != NULL)
			u[k++].text = c->queue[i].line;
	*n = k;
	return u;
}

/* Says that a command typed while the hub is out of reach waits for it: every command
 * answers at once. */
void
client_queued_info(struct client *c, const char *line)
{
	char *msg;

	msg = c->ever_online ? xasprintf(_("not connected: %s will run after reconnecting"),
	    line) : xasprintf(_("not connected yet: %s will run once the hub answers"), line);
	client_info(c, "confab", msg);
	free(msg);
}

/* The hub closed the link with a close frame (code, reason: its words, may be ""). */
void
client_link_closed(struct client *c, int code, const char *reason, int64_t delay_ms)
{
	(void)code;
	client_link_gone(c, CN_HUB_CLOSED, reason, delay_ms);
}

/* The hub is out of reach: what was typed before and waits without a word is now said
 * (lines as not sent yet, commands as waiting). */
void
client_tell_waiting(struct client *c)
{
	size_t i;

	for (i = 0; i < c->nouts; i++) {
		if (c->outs[i]->state == OUT_QUEUED && !c->outs[i]->shown) {
			c->outs[i]->offline = true;
			client_out_show(c, c->outs[i]);
		}
	}
	for (i = 0; i < c->nqueue; i++) {
		if (c->queue[i].line != NULL && !c->queue[i].told) {
			c->queue[i].told = true;
			client_queued_info(c, c->queue[i].line);
		}
	}
}

/* Leaving: tells the hub, with our message, when it can hear it. */
bool
client_quit(struct client *c, const char *message)
{
	struct proto_msg m;

	if (!c->online || c->refused || c->quitting)
		return false;
	proto_msg_init(&m, PT_QUIT);
	m.u.away.message = message;
	c->quitting = client_request(c, &m, NULL) != NULL;
	return c->quitting;
}

/* What a request was, for messages: "/join #hack", "/msg bob", "/timer pause (main)". */
static char *
client_request_text(const struct pending *p)
{
	const char *typed;
	char name[32], *d;

	/* chat lines were not typed as commands: they are named by where they went */
	if (p->type == PT_SAY)
		return xasprintf(_("your line in #%s"), p->room);
	if (p->type == PT_MSG)
		return xasprintf(_("your message to %s"), p->subject);
	/* "timer.pause" is typed "/timer pause"; a few are typed otherwise */
	switch (p->type) {
	case PT_TOPIC_PROMOTE: typed = "topics promote"; break;
	case PT_TOPIC_MERGE: typed = "topics merge"; break;
	case PT_ITEM_HIDE: typed = "hide"; break;
	case PT_QUESTION_ANSWER: typed = "questions answer"; break;
	case PT_QUESTION_PIN: typed = "questions pin"; break;
	case PT_POLL_OPEN: typed = "poll"; break;
	case PT_SIGNUP_ACCEPT: typed = "signups accept"; break;
	case PT_SIGNUP_DECLINE: typed = "signups decline"; break;
	case PT_SESSION_CHANGE: typed = "session"; break;
	default: typed = proto_type_name(p->type); break;
	}
	strlcpy_cf(name, typed, sizeof name);
	if ((d = strchr(name, '.')) != NULL)
		*d = ' ';
	if (p->subject[0] != '\0')
		return xasprintf("/%s %s", name, p->subject);
	if (p->room[0] != '\0')
		return xasprintf("/%s #%s", name, p->room);
	return xasprintf("/%s", name);
}

/* The message for the failure code (with the hub's text) of request p, naming what it was
 * about: "no such room: #hack", "no such person here: bob", "/timer pause (main): the
 * timer is not running". With code PE_NONE: only what the request was. New string. */
char *
client_error_text(const struct client *c, const struct pending *p, enum proto_err code,
    const char *text)
{
	char *req = client_request_text(p), *msg;
	const char *room = p->room, *who = p->subject;

	(void)c;
	if (code == PE_NONE && text == NULL)
		return req;
	switch (code) {
	case PE_NO_ROOM:
		msg = room[0] != '\0' ? xasprintf(_("no such room: #%s (/rooms lists them)"),
		    room) : NULL;
		break;
	case PE_NO_USER:
		msg = who[0] != '\0' ? xasprintf(_("no such person here: %s (check the name; "
		    "/who lists a room's people)"), who) : NULL;
		break;
	case PE_ROOM_FULL:
		msg = room[0] != '\0' ? xasprintf(_("#%s is full"), room) : NULL;
		break;
	case PE_ROOM_EXISTS:
		msg = room[0] != '\0' ? xasprintf(_("a room #%s exists already"), room) : NULL;
		break;
	case PE_NOT_MEMBER:
		msg = room[0] != '\0' ? xasprintf(_("you are not in #%s"), room) : NULL;
		break;
	case PE_LOBBY:
		msg = xasprintf(_("%s: the lobby cannot be left or closed"), req);
		break;
	default:
		msg = NULL;
		break;
	}
	if (msg == NULL)
		msg = xasprintf("%s: %s", req, text != NULL ? text : proto_err_message(code));
	free(req);
	return msg;
}
