/* command_habits.c: the commands irssi and WeeChat users reach for: /tz, /clock, /away,
 * /ignore, /unignore, /names (an alias of /who), /find and /quit [MESSAGE]. */
#include "util/i18n.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client/command_int.h"
#include "proto/proto.h"
#include "util/xalloc.h"

/* Parses "/tz [local|event]" or "/clock [12h|24h]": cmd->index gets 1 for the first word,
 * 0 for the second, -1 without a word. */
static int
command_habits_choice(const char *p, struct command *cmd, enum command_type type,
    const char *one, const char *zero, const char *usage, char **cause)
{
	char *w = command_word(&p);
	int rc = 0;

	cmd->type = type;
	cmd->index = -1;
	if (w != NULL) {
		if (strcasecmp(w, one) == 0)
			cmd->index = 1;
		else if (strcasecmp(w, zero) == 0)
			cmd->index = 0;
		else
			rc = -1;
	}
	free(w);
	if (rc != 0 || *command_skip(p) != '\0')
		return command_usage(cause, usage);
	return 0;
}

/* Parses a command whose one argument is a name (required unless optional). */
static int
command_habits_name(const char *p, struct command *cmd, enum command_type type,
    bool optional, const char *usage, char **cause)
{
	cmd->type = type;
	cmd->arg = command_word(&p);
	if ((cmd->arg == NULL && !optional) || *command_skip(p) != '\0')
		return command_usage(cause, usage);
	if (cmd->arg != NULL && proto_name_check(cmd->arg) != PE_NONE) {
		*cause = xasprintf(_("\"%s\" is not a name anyone can have"), cmd->arg);
		return -1;
	}
	return 0;
}

/* Parses a command whose argument is free text (optional). */
static int
command_habits_text(const char *p, struct command *cmd, enum command_type type,
    size_t max, const char *usage, char **cause)
{
	cmd->type = type;
	cmd->text = command_rest(p);
	if (cmd->text != NULL && strlen(cmd->text) > max) {
		*cause = xasprintf(_("%s: the text is too long (at most %zu bytes)"), usage, max);
		return -1;
	}
	return 0;
}

/* Parses the commands of this file; 1 when name is none of them. */
int
command_parse_habits(const char *name, const char *p, struct command *cmd, char **cause)
{
	if (strcmp(name, "tz") == 0)
		return command_habits_choice(p, cmd, CMD_TZ, "local", "event",
		    "/tz [local|event]", cause);
	if (strcmp(name, "clock") == 0)
		return command_habits_choice(p, cmd, CMD_CLOCK, "12h", "24h",
		    "/clock [12h|24h]", cause);
	if (strcmp(name, "away") == 0)
		return command_habits_text(p, cmd, CMD_AWAY, PROTO_MAX_AWAY, "/away [MESSAGE]",
		    cause);
	if (strcmp(name, "quit") == 0)
		return command_habits_text(p, cmd, CMD_QUIT, PROTO_MAX_AWAY, "/quit [MESSAGE]",
		    cause);
	if (strcmp(name, "find") == 0)
		return command_habits_text(p, cmd, CMD_FIND, 200, "/find [TEXT]", cause);
	if (strcmp(name, "ignore") == 0)
		return command_habits_name(p, cmd, CMD_IGNORE, true, "/ignore [NAME]", cause);
	if (strcmp(name, "unignore") == 0)
		return command_habits_name(p, cmd, CMD_UNIGNORE, false, "/unignore NAME", cause);
	if (strcmp(name, "names") == 0) {
		cmd->type = CMD_WHO;
		cmd->arg = command_word(&p);
		if (*command_skip(p) != '\0')
			return command_usage(cause, "/names [ROOM]");
		return cmd->arg != NULL ? command_room(&cmd->arg, cause) : 0;
	}
	return 1;
}
