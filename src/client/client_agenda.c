/* client_agenda.c: finding your way: /search, the schedule's filters, the starred
 * sessions (kept per hub in the state directory), their reminders and /export. */
#include "util/i18n.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "client/cache.h"
#include "client/client_int.h"
#include "find/agenda.h"
#include "find/icalout.h"
#include "util/files.h"
#include "util/log.h"
#include "util/xalloc.h"

/* Sets up the agenda (in memory until the hub's URL is known) and the filters. */
void
client_agenda_init(struct client *c, const struct client_config *cfg)
{
	c->agenda = agenda_create(NULL);
	c->state_dir = cfg->state_dir != NULL ? xstrdup(cfg->state_dir) : NULL;
	c->remind_ms = cfg->remind_ms == 0 ? AGENDA_REMIND_DEFAULT_MS :
	    cfg->remind_ms < 0 ? 0 : cfg->remind_ms;
	c->filter.day = -1;
}

/* Frees what client_agenda_init() set up. */
void
client_agenda_free(struct client *c)
{
	agenda_free(c->agenda);
	free(c->state_dir);
	search_filter_clear(&c->filter);
}

/* "HOST-PORT" of the hub at url (for file names and UIDs), new, or NULL. */
static char *
client_hub_key(const char *url)
{
	char *name = cache_file_name(url), *key, *dot;

	if (name == NULL)
		return NULL;
	/* "program-HOST-PORT.json" */
	key = xstrdup(name + strlen("program-"));
	free(name);
	if ((dot = strrchr(key, '.')) != NULL)
		*dot = '\0';
	return key;
}

/* Loads the stars of the hub at url; the stars given before (offline) are kept too. */
void
client_agenda_hub(struct client *c, const char *url)
{
	struct agenda *a;
	char *key, *path, *cause = NULL;
	size_t i;

	if (c->state_dir == NULL || (key = client_hub_key(url)) == NULL)
		return;
	path = xasprintf("%s/stars-%s.json", c->state_dir, key);
	free(key);
	a = agenda_create(path);
	free(path);
	if (agenda_load(a, &cause) != 0) {
		log_warn("client: agenda: %s", cause);
		free(cause);
	}
	for (i = 0; c->program != NULL && i < c->program->nsessions; i++)
		if (agenda_has(c->agenda, c->program->sessions[i].id))
			agenda_add(a, c->program->sessions[i].id);
	agenda_free(c->agenda);
	c->agenda = a;
}

/* The schedule's filters. */
const struct search_filter *
client_filter(const struct client *c)
{
	return &c->filter;
}

/* True when id is starred. */
bool
client_starred(const struct client *c, const char *id)
{
	return agenda_has(c->agenda, id);
}

/* Saves the agenda; a failure is said (the stars stay for this run). */
static void
client_agenda_save(struct client *c)
{
	char *cause = NULL, *msg;

	if (agenda_save(c->agenda, &cause) == 0)
		return;
	msg = xasprintf(_("your agenda could not be saved (%s); it is kept until you quit"),
	    cause);
	client_local_error(c, msg);
	free(msg);
	free(cause);
}

/* The session id of cmd in the program, or NULL after saying that there is none. */
static const struct session *
client_agenda_session(struct client *c, const char *id)
{
	const struct session *s = program_find(c->program, id);
	char *msg;

	if (s != NULL)
		return s;
	msg = xasprintf(_("no session \"%s\"; /schedule shows the session ids"), id);
	client_local_error(c, msg);
	free(msg);
	return NULL;
}

/* /star, /unstar. */
static void
client_agenda_star(struct client *c, const struct command *cmd)
{
	const struct session *s, *clash = NULL, *ss[PROGRAM_MAX_SESSIONS];
	bool on = cmd->type == CMD_STAR;
	size_t n, i;
	int rc;

	if (on && (s = client_agenda_session(c, cmd->arg)) == NULL)
		return;
	if (!on) {
		s = program_find(c->program, cmd->arg);
		rc = agenda_remove(c->agenda, cmd->arg);
		if (s == NULL && rc == 0) {
			(void)client_agenda_session(c, cmd->arg);
			return;
		}
	} else if ((rc = agenda_add(c->agenda, s->id)) < 0) {
		client_local_error(c, _("your agenda is full; /unstar some sessions first"));
		return;
	}
	if (rc > 0)
		client_agenda_save(c);
	if (on) {
		n = agenda_sessions(c->agenda, c->program, ss, PROGRAM_MAX_SESSIONS);
		for (i = 0; i < n && clash == NULL; i++)
			if (ss[i] != s && agenda_overlap(ss[i], s))
				clash = ss[i];
	}
	if (c->v.starred != NULL)
		c->v.starred(c->v.arg, c->program, cmd->arg, s, on, rc > 0, clash);
}

/* /agenda. */
static void
client_agenda_show(struct client *c)
{
	const struct session **ss = xcalloc(PROGRAM_MAX_SESSIONS, sizeof *ss);
	bool *flags = xcalloc(PROGRAM_MAX_SESSIONS, sizeof *flags);
	size_t n = agenda_sessions(c->agenda, c->program, ss, PROGRAM_MAX_SESSIONS);

	agenda_overlaps(ss, n, flags);
	if (c->v.agenda != NULL)
		c->v.agenda(c->v.arg, c->program, ss, flags, n, agenda_count(c->agenda) - n,
		    client_hub_now(c));
	free(ss);
	free(flags);
}

/* The path the user typed, with a leading "~/" made the home directory. New string. */
static char *
client_export_path(const char *typed)
{
	const char *home = getenv("HOME");

	if (strncmp(typed, "~/", 2) == 0 && home != NULL && home[0] == '/')
		return xasprintf("%s/%s", home, typed + 2);
	return xstrdup(typed);
}

/* /export FILE.ics. */
static void
client_agenda_export(struct client *c, const char *typed)
{
	const struct session **ss = xcalloc(PROGRAM_MAX_SESSIONS, sizeof *ss);
	size_t n = agenda_sessions(c->agenda, c->program, ss, PROGRAM_MAX_SESSIONS);
	char *key = client_hub_key(c->url), *data, *path, *msg;

	if (n == 0) {
		client_local_error(c, _("your agenda is empty: /star SESSION adds a session"));
		free(ss);
		free(key);
		return;
	}
	data = icalout_write(c->program, ss, n, key != NULL ? key : "confab",
	    client_hub_now(c));
	path = client_export_path(typed);
	if (files_replace(path, data, strlen(data)) != 0) {
		msg = xasprintf(_("cannot write %s: %s"), typed, strerror(errno));
		client_local_error(c, msg);
		free(msg);
	} else if (c->v.exported != NULL)
		c->v.exported(c->v.arg, typed, n);
	free(path);
	free(data);
	free(key);
	free(ss);
}

/* /search TEXT. */
static void
client_agenda_search(struct client *c, const char *text)
{
	const struct session *ss[CLIENT_SEARCH_MAX];
	size_t total = search_program(c->program, text, ss, CLIENT_SEARCH_MAX);

	if (c->v.search != NULL)
		c->v.search(c->v.arg, text, c->program, ss,
		    total < CLIENT_SEARCH_MAX ? total : CLIENT_SEARCH_MAX, total,
		    client_hub_now(c));
}

/* /filter. */
static void
client_agenda_filter(struct client *c, const struct command *cmd)
{
	int day;

	if (cmd->arg == NULL)
		;
	else if (strcmp(cmd->arg, "off") == 0)
		search_filter_clear(&c->filter);
	else if (strcmp(cmd->arg, "day") == 0) {
		if (client_schedule_day(c, cmd, &day) != 0)
			return;
		c->filter.day = day;
	} else
		search_filter_set(&c->filter, cmd->arg[0], cmd->text);
	if (c->v.filter != NULL)
		c->v.filter(c->v.arg, c->program, &c->filter);
}

/* Runs one of the finding-your-way commands. */
void
client_agenda_run(struct client *c, const struct command *cmd)
{
	switch (cmd->type) {
	case CMD_SEARCH:
		client_agenda_search(c, cmd->text);
		break;
	case CMD_FILTER:
		client_agenda_filter(c, cmd);
		break;
	case CMD_STAR:
	case CMD_UNSTAR:
		client_agenda_star(c, cmd);
		break;
	case CMD_AGENDA:
		client_agenda_show(c);
		break;
	case CMD_EXPORT:
		client_agenda_export(c, cmd->arg);
		break;
	default:
		break;
	}
}

/* Ms until the next reminder, or -1. */
int64_t
client_agenda_wakeup(struct client *c)
{
	return agenda_next_due(c->agenda, c->program, client_hub_now(c), c->remind_ms);
}

/* Gives the reminders that are due. */
void
client_agenda_tick(struct client *c)
{
	int64_t now = client_hub_now(c);
	const struct session *s;

	while ((s = agenda_due(c->agenda, c->program, now, c->remind_ms)) != NULL) {
		if (c->v.reminder != NULL)
			c->v.reminder(c->v.arg, c->program, s, s->start_ms - now);
	}
}
