/* command_mod.c: parsing the moderation commands: /delete, /report, /reports, /mute,
 * /unmute, /kick, /ban, /unban, /announce, and /ids (show the numbers that name lines). */
#include "util/i18n.h"

#include <stdlib.h>
#include <string.h>

#include "client/command_int.h"
#include "util/xalloc.h"

/* Parses a line's id: "123" (in the current room) or "ROOM:123" (also "#ROOM:123") into
 * cmd->arg (room, or NULL) and cmd->index (seq). 0, or -1. */
static int
command_line_id(const char *w, struct command *cmd)
{
	const char *colon = strrchr(w, ':'), *num = colon != NULL ? colon + 1 : w;
	char *room = NULL, *cause = NULL;

	if (!command_digits(num, strlen(num)) || strlen(num) > 15 || atoll(num) < 1)
		return -1;
	if (colon != NULL) {
		room = xstrndup(w, (size_t)(colon - w));
		if (command_room(&room, &cause) != 0) {
			free(cause);
			free(room);
			return -1;
		}
	}
	cmd->arg = room;
	cmd->index = atoll(num);
	return 0;
}

/* /delete ID, /report ID REASON. */
static int
command_parse_line(const char *p, struct command *cmd, enum command_type type,
    const char *usage, char **cause)
{
	char *w = command_word(&p);
	int rc;

	cmd->type = type;
	rc = w != NULL ? command_line_id(w, cmd) : -1;
	free(w);
	if (type == CMD_REPORT)
		cmd->text = command_rest(p);
	else if (*command_skip(p) != '\0')
		rc = -1;
	if (rc != 0 || (type == CMD_REPORT && cmd->text == NULL))
		return command_usage(cause, usage);
	return 0;
}

/* /mute NAME [MINUTES] [REASON...], /kick NAME [REASON...], /ban NAME [REASON...],
 * /unmute NAME, /unban NAME. */
static int
command_parse_name(const char *p, struct command *cmd, enum command_type type,
    const char *usage, char **cause)
{
	const char *q;
	char *w;

	cmd->type = type;
	cmd->arg = command_word(&p);
	if (cmd->arg == NULL)
		return command_usage(cause, usage);
	if (type == CMD_UNMUTE || type == CMD_UNBAN)
		return *command_skip(p) == '\0' ? 0 : command_usage(cause, usage);
	if (type == CMD_MUTE) {
		q = p;
		w = command_word(&q);
		if (w != NULL && command_digits(w, strlen(w))) {
			if (strlen(w) > 5 || atoi(w) < 1 || atoi(w) > 7 * 24 * 60) {
				free(w);
				*cause = xasprintf(_("usage: %s (MINUTES: 1 to %d)"), usage, 7 * 24 * 60);
				return -1;
			}
			cmd->minutes = atoi(w);
			p = q;
		}
		free(w);
	}
	cmd->text = command_rest(p);
	return 0;
}

/* /ids [on|off]. */
static int
command_parse_ids(const char *p, struct command *cmd, char **cause)
{
	char *w = command_word(&p);
	int rc = 0;

	cmd->type = CMD_IDS;
	cmd->index = -1;                     /* toggle */
	if (w != NULL) {
		command_lower(w);
		if (strcmp(w, "on") == 0)
			cmd->index = 1;
		else if (strcmp(w, "off") == 0)
			cmd->index = 0;
		else
			rc = -1;
	}
	free(w);
	if (rc != 0 || *command_skip(p) != '\0')
		return command_usage(cause, "/ids [on|off]");
	return 0;
}

/* The moderation commands: 0, -1, or 1 when name is none of them. */
int
command_parse_mod(const char *name, const char *p, struct command *cmd, char **cause)
{
	if (strcmp(name, "delete") == 0)
		return command_parse_line(p, cmd, CMD_DELETE, "/delete ID", cause);
	if (strcmp(name, "report") == 0)
		return command_parse_line(p, cmd, CMD_REPORT, "/report ID REASON", cause);
	if (strcmp(name, "reports") == 0) {
		cmd->type = CMD_REPORTS;
		return *command_skip(p) == '\0' ? 0 : command_usage(cause, "/reports");
	}
	if (strcmp(name, "mute") == 0)
		return command_parse_name(p, cmd, CMD_MUTE, "/mute NAME [MINUTES] [REASON]",
		    cause);
	if (strcmp(name, "unmute") == 0)
		return command_parse_name(p, cmd, CMD_UNMUTE, "/unmute NAME", cause);
	if (strcmp(name, "kick") == 0)
		return command_parse_name(p, cmd, CMD_KICK, "/kick NAME [REASON]", cause);
	if (strcmp(name, "ban") == 0)
		return command_parse_name(p, cmd, CMD_BAN, "/ban NAME [REASON]", cause);
	if (strcmp(name, "unban") == 0)
		return command_parse_name(p, cmd, CMD_UNBAN, "/unban NAME", cause);
	if (strcmp(name, "announce") == 0) {
		cmd->type = CMD_ANNOUNCE;
		cmd->text = command_rest(p);
		return cmd->text == NULL ? command_usage(cause, "/announce TEXT") : 0;
	}
	if (strcmp(name, "ids") == 0)
		return command_parse_ids(p, cmd, cause);
	return 1;
}
