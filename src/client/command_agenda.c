/* command_agenda.c: parsing the commands that help finding your way in the program:
 * /search, /filter, /star, /unstar, /agenda, /export. */
#include "util/i18n.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client/command_int.h"
#include "find/search.h"
#include "util/xalloc.h"

#define FILTER_USAGE "/filter [day DAY | track TEXT | room TEXT | off]"

/* /search TEXT. */
static int
command_parse_search(const char *p, struct command *cmd, char **cause)
{
	cmd->type = CMD_SEARCH;
	cmd->text = command_rest(p);
	if (cmd->text == NULL)
		return command_usage(cause, "/search TEXT");
	if (strlen(cmd->text) > SEARCH_MAX_QUERY) {
		*cause = xasprintf(_("that is too long to search for: at most %d bytes"),
		    SEARCH_MAX_QUERY);
		return -1;
	}
	return 0;
}

/* /filter [day DAY | track TEXT | room TEXT | off]: "all" as the value lifts that one. */
static int
command_parse_filter(const char *p, struct command *cmd, char **cause)
{
	char *v;

	cmd->type = CMD_FILTER;
	cmd->arg = command_word(&p);
	if (cmd->arg == NULL)
		return 0;
	command_lower(cmd->arg);
	if (strcmp(cmd->arg, "off") == 0)
		return *command_skip(p) == '\0' ? 0 : command_usage(cause, FILTER_USAGE);
	if (strcmp(cmd->arg, "day") != 0 && strcmp(cmd->arg, "track") != 0 &&
	    strcmp(cmd->arg, "room") != 0)
		return command_usage(cause, FILTER_USAGE);
	v = command_rest(p);
	if (v == NULL || strlen(v) > SEARCH_MAX_QUERY) {
		free(v);
		return command_usage(cause, FILTER_USAGE);
	}
	if (strcasecmp(v, "all") == 0) {
		free(v);
		cmd->day = DAY_ALL;
		return 0;
	}
	if (strcmp(cmd->arg, "day") != 0) {
		/* a room may be given as #room */
		cmd->text = v;
		if (strcmp(cmd->arg, "room") == 0 && v[0] == '#' && v[1] != '\0')
			memmove(v, v + 1, strlen(v));
		return 0;
	}
	if (command_day(v, cmd) != 0) {
		free(v);
		return command_usage(cause, _("/filter day DAY (DAY: 1, 2, ..., a date like "
		    "2020-10-13, today, or all)"));
	}
	free(v);
	return 0;
}

/* /star SESSION, /unstar SESSION. */
static int
command_parse_star(const char *p, struct command *cmd, enum command_type type,
    const char *usage, char **cause)
{
	cmd->type = type;
	cmd->arg = command_word(&p);
	if (cmd->arg == NULL || *command_skip(p) != '\0')
		return command_usage(cause, usage);
	command_lower(cmd->arg);
	return 0;
}

/* The finding-your-way commands: 0, -1, or 1 when name is none of them. */
int
command_parse_agenda(const char *name, const char *p, struct command *cmd, char **cause)
{
	if (strcmp(name, "search") == 0)
		return command_parse_search(p, cmd, cause);
	if (strcmp(name, "filter") == 0)
		return command_parse_filter(p, cmd, cause);
	if (strcmp(name, "star") == 0)
		return command_parse_star(p, cmd, CMD_STAR, "/star SESSION", cause);
	if (strcmp(name, "unstar") == 0)
		return command_parse_star(p, cmd, CMD_UNSTAR, "/unstar SESSION", cause);
	if (strcmp(name, "agenda") == 0) {
		cmd->type = CMD_AGENDA;
		return *command_skip(p) == '\0' ? 0 : command_usage(cause, "/agenda");
	}
	if (strcmp(name, "export") == 0) {
		cmd->type = CMD_EXPORT;
		cmd->arg = command_rest(p);
		return cmd->arg != NULL ? 0 : command_usage(cause, "/export FILE.ics");
	}
	return 1;
}
