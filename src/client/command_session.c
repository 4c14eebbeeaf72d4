/* command_session.c: the facilitators' live changes of the program: /session delay,
 * /session room, /session live. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client/command_int.h"
#include "util/duration.h"
#include "util/i18n.h"
#include "util/xalloc.h"

#define SESSION_USAGE "/session delay ID DUR | room ID ROOM | live ID [off]"

/* Parses a delay: a duration, "-DUR" (earlier) or "+DUR"; 0 puts the session back. */
static int
command_session_delay(const char *s, int64_t *ms)
{
	int sign = 1;

	if (*s == '-' || *s == '+')
		sign = *s++ == '-' ? -1 : 1;
	if (strcmp(s, "0") == 0) {
		*ms = 0;
		return 0;
	}
	if (duration_parse(s, ms) != 0)
		return -1;
	*ms *= sign;
	return 0;
}

/* Parses the arguments of /session (p: after the command's name). */
int
command_parse_session(const char *p, struct command *cmd, char **cause)
{
	char *sub = command_word(&p), *dur = NULL, *off = NULL;
	int rc = 0;

	cmd->arg = sub != NULL ? command_word(&p) : NULL;
	if (sub == NULL || cmd->arg == NULL) {
		free(sub);
		return command_usage(cause, SESSION_USAGE);
	}
	command_lower(sub);
	command_lower(cmd->arg);
	if (strcmp(sub, "delay") == 0) {
		cmd->type = CMD_SESSION_DELAY;
		if ((dur = command_word(&p)) == NULL || *command_skip(p) != '\0')
			rc = command_usage(cause, "/session delay ID DUR");
		else if (command_session_delay(dur, &cmd->delta_ms) != 0) {
			*cause = xasprintf(_("bad delay \"%s\": use for example 15m, 1h, -5m "
			    "(earlier) or 0 (as planned)"), dur);
			rc = -1;
		}
	} else if (strcmp(sub, "room") == 0) {
		cmd->type = CMD_SESSION_ROOM;
		if ((cmd->text = command_rest(p)) == NULL)
			rc = command_usage(cause, "/session room ID ROOM");
	} else if (strcmp(sub, "live") == 0) {
		cmd->type = CMD_SESSION_LIVE;
		cmd->index = 1;
		if ((off = command_word(&p)) != NULL) {
			if (strcasecmp(off, "off") != 0 || *command_skip(p) != '\0')
				rc = command_usage(cause, "/session live ID [off]");
			cmd->index = 0;
		}
	} else
		rc = command_usage(cause, SESSION_USAGE);
	free(dur);
	free(off);
	free(sub);
	return rc;
}
