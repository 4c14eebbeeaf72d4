/* fuzz_command.c: libFuzzer target for the client's command parser (client/command.c):
 * any typed line either gives a command whose fields hold what command.h promises, or
 * an error message, never both; names of commands are case-insensitive. Input: one line
 * (what follows a NUL is ignored, as a C string would be). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "client/command.h"
#include "find/search.h"
#include "fuzz/fuzzutil.h"
#include "model/room.h"
#include "util/duration.h"

/* True when s is NULL (if allowed) or a valid room id. */
static int
fuzz_command_room(const char *s, int optional)
{
	return s == NULL ? optional : room_id_valid(s);
}

/* True when s is a non-empty string without separators at its ends. */
static int
fuzz_command_trimmed(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	return n > 0 && s[0] != ' ' && s[0] != '\t' && s[n - 1] != ' ' && s[n - 1] != '\t';
}

/* True when s holds something other than blanks. */
static int
fuzz_command_shows(const char *s)
{
	return s != NULL && s[strspn(s, " \t")] != '\0';
}

/* Checks the fields of a participation command (command_part.c). */
static void
fuzz_command_check_part(const struct command *c)
{
	size_t i;

	switch (c->type) {
	case CMD_PROPOSE:
	case CMD_ASK:
		FUZZ_CHECK(fuzz_command_shows(c->text) && fuzz_command_room(c->arg, 1));
		break;
	case CMD_QA:
		FUZZ_CHECK(c->text == NULL && fuzz_command_room(c->arg, 1));
		break;
	case CMD_SIGNUP:
		FUZZ_CHECK(fuzz_command_shows(c->text) && (c->kind == 0 || c->kind == 1));
		break;
	case CMD_SIGNUP_DECLINE:
		FUZZ_CHECK(c->index >= 1 && (c->text == NULL || fuzz_command_shows(c->text)));
		break;
	case CMD_TOPIC_PROMOTE:
		FUZZ_CHECK(c->index >= 1 && c->capacity >= 0 && c->capacity <= 100000 &&
		    c->minutes >= 0 && c->minutes <= 1440);
		break;
	case CMD_TOPIC_MERGE:
		FUZZ_CHECK(c->index >= 1 && c->index2 >= 1);
		break;
	case CMD_HIDE:
	case CMD_VOTE:
	case CMD_UNVOTE:
	case CMD_SIGNUP_ACCEPT:
	case CMD_QUESTION_ANSWER:
	case CMD_QUESTION_PIN:
		FUZZ_CHECK(c->index >= 1 && c->arg == NULL);
		break;
	case CMD_POLL_VOTE:
		FUZZ_CHECK(c->index >= 1 && fuzz_command_shows(c->arg));
		break;
	case CMD_POLL_CLOSE:
		FUZZ_CHECK(c->index >= 0);
		break;
	case CMD_POLL_OPEN:
		FUZZ_CHECK(c->text != NULL && c->nlist >= 2 && c->nlist <= 10 &&
		    c->minutes >= 0 && c->minutes <= 1440);
		for (i = 0; i < c->nlist; i++)
			FUZZ_CHECK(c->list[i] != NULL);
		break;
	case CMD_TOPICS:
	case CMD_SIGNUPS:
	case CMD_QUESTIONS:
	case CMD_POLLS:
	case CMD_HAND:
	case CMD_QUEUE:
	case CMD_QUEUE_NEXT:
	case CMD_QUEUE_CLEAR:
	case CMD_BOARD:
		FUZZ_CHECK(c->text == NULL && c->nlist == 0);
		break;
	default:
		FUZZ_CHECK(c->type <= CMD_FIND);   /* the last of enum command_type */
		break;
	}
}

/* Checks the fields of a parsed command. */
static void
fuzz_command_check(const struct command *c)
{
	char id[ROOM_ID_MAX + 1];

	switch (c->type) {
	case CMD_SAY:
		FUZZ_CHECK(c->text != NULL);
		break;
	case CMD_ME:
		FUZZ_CHECK(fuzz_command_trimmed(c->text));
		break;
	case CMD_MSG:
		FUZZ_CHECK(fuzz_command_trimmed(c->arg) && fuzz_command_trimmed(c->text));
		break;
	case CMD_JOIN:
	case CMD_ROOM_CLOSE:
		FUZZ_CHECK(fuzz_command_room(c->arg, 0));
		break;
	case CMD_PART:
	case CMD_WHO:
	case CMD_TIMER:
	case CMD_TIMER_PAUSE:
	case CMD_TIMER_RESUME:
	case CMD_TIMER_RESET:
	case CMD_TIMER_STOP:
		FUZZ_CHECK(fuzz_command_room(c->arg, 1));
		break;
	case CMD_TIMER_START:
		FUZZ_CHECK(fuzz_command_room(c->arg, 1));
		FUZZ_CHECK(c->duration_ms > 0 && c->duration_ms <= DURATION_MAX_MS);
		FUZZ_CHECK(c->warn_ms == -1 || (c->warn_ms > 0 && c->warn_ms <= DURATION_MAX_MS));
		FUZZ_CHECK(c->danger_ms == -1 ||
		    (c->danger_ms > 0 && c->danger_ms <= DURATION_MAX_MS));
		break;
	case CMD_TIMER_ADJUST:
		FUZZ_CHECK(fuzz_command_room(c->arg, 1));
		FUZZ_CHECK(c->delta_ms != 0 && c->delta_ms >= -DURATION_MAX_MS &&
		    c->delta_ms <= DURATION_MAX_MS);
		break;
	case CMD_ROOM_CREATE:
		FUZZ_CHECK(c->arg != NULL &&
		    room_id_from_name(c->arg + (c->arg[0] == '#'), id) == 0);
		FUZZ_CHECK(c->capacity >= 0 && c->capacity <= 100000);
		FUZZ_CHECK(c->minutes >= 0 && c->minutes <= 1440);
		FUZZ_CHECK(c->seconds >= 0 && c->seconds <= 1440 * 60);
		break;
	case CMD_ROOM_EXPIRE:
		FUZZ_CHECK(fuzz_command_room(c->arg, 0));
		FUZZ_CHECK(c->minutes >= 0 && c->minutes <= 1440);
		FUZZ_CHECK(c->seconds >= 0 && c->seconds <= 1440 * 60);
		break;
	case CMD_LINEUP_ADD:
		FUZZ_CHECK(fuzz_command_trimmed(c->text));
		FUZZ_CHECK(c->kind == 0 || c->kind == 1);
		FUZZ_CHECK(c->duration_ms >= 0 && c->duration_ms <= DURATION_MAX_MS);
		break;
	case CMD_LINEUP_REMOVE:
		FUZZ_CHECK(c->index >= 1 && c->index <= 999);
		break;
	case CMD_LINEUP_MOVE:
		FUZZ_CHECK(c->index >= 1 && c->index <= 999 && c->index2 >= 1 && c->index2 <= 999);
		break;
	case CMD_HISTORY:
		FUZZ_CHECK(c->index >= 1 && c->index <= COMMAND_HISTORY_MAX);
		break;
	case CMD_SCHEDULE:
		FUZZ_CHECK(c->day != DAY_INDEX || (c->day_index >= 1 && c->day_index <= 9999));
		FUZZ_CHECK(c->day != DAY_DATE || strlen(c->date) == 10);
		break;
	case CMD_DELETE:
	case CMD_REPORT:
		FUZZ_CHECK(fuzz_command_room(c->arg, 1));
		FUZZ_CHECK(c->index >= 1 && c->index <= 999999999999999LL);
		FUZZ_CHECK(c->type == CMD_DELETE ? c->text == NULL : fuzz_command_trimmed(c->text));
		break;
	case CMD_MUTE:
	case CMD_UNMUTE:
	case CMD_KICK:
	case CMD_BAN:
	case CMD_UNBAN:
		FUZZ_CHECK(fuzz_command_trimmed(c->arg));
		FUZZ_CHECK(c->text == NULL || fuzz_command_trimmed(c->text));
		FUZZ_CHECK(c->minutes >= 0 && c->minutes <= (c->type == CMD_MUTE ? 7 * 24 * 60 : 0));
		break;
	case CMD_ANNOUNCE:
		FUZZ_CHECK(fuzz_command_trimmed(c->text));
		break;
	case CMD_IDS:
		FUZZ_CHECK(c->index >= -1 && c->index <= 1);
		break;
	case CMD_SESSION_DELAY:
		FUZZ_CHECK(fuzz_command_trimmed(c->arg));
		FUZZ_CHECK(c->delta_ms >= -DURATION_MAX_MS && c->delta_ms <= DURATION_MAX_MS);
		break;
	case CMD_SESSION_ROOM:
		FUZZ_CHECK(fuzz_command_trimmed(c->arg) && fuzz_command_trimmed(c->text));
		break;
	case CMD_SESSION_LIVE:
		FUZZ_CHECK(fuzz_command_trimmed(c->arg));
		FUZZ_CHECK(c->index == 0 || c->index == 1);
		break;
	case CMD_SEARCH:
		FUZZ_CHECK(fuzz_command_trimmed(c->text) && strlen(c->text) <= SEARCH_MAX_QUERY);
		break;
	case CMD_FILTER:
		FUZZ_CHECK(c->arg == NULL || strcmp(c->arg, "off") == 0 ||
		    strcmp(c->arg, "day") == 0 || strcmp(c->arg, "track") == 0 ||
		    strcmp(c->arg, "room") == 0);
		FUZZ_CHECK(c->text == NULL || (c->text[0] != '\0' &&
		    strlen(c->text) <= SEARCH_MAX_QUERY && c->arg != NULL &&
		    c->arg[0] != 'd' && c->arg[0] != 'o'));
		FUZZ_CHECK(c->day != DAY_INDEX || c->day_index >= 1);
		break;
	case CMD_STAR:
	case CMD_UNSTAR:
	case CMD_EXPORT:
		FUZZ_CHECK(fuzz_command_trimmed(c->arg) && c->text == NULL);
		break;
	case CMD_AGENDA:
		FUZZ_CHECK(c->arg == NULL && c->text == NULL);
		break;
	default:
		fuzz_command_check_part(c);
		break;
	}
}

/* Parses line, checks the outcome; returns the command's type, or -1 for an error. */
static int
fuzz_command_parse(const char *line)
{
	struct command cmd;
	char *cause = (char *)"unset";
	int rc, type;

	rc = command_parse(line, &cmd, &cause);
	if (rc != 0) {
		FUZZ_CHECK(rc == -1 && cause != NULL && cause[0] != '\0');
		FUZZ_CHECK(cmd.type == CMD_NONE && cmd.arg == NULL && cmd.text == NULL);
		free(cause);
		return -1;
	}
	FUZZ_CHECK(cause == NULL);
	fuzz_command_check(&cmd);
	type = (int)cmd.type;
	command_clear(&cmd);
	command_clear(&cmd);
	return type;
}

/* One typed line. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line, *p;
	int type;

	if (size > COMMAND_MAX_LINE)
		return 0;
	line = fuzzutil_cstr(data, size);
	type = fuzz_command_parse(line);
	/* the same line with its command name in capitals is the same command */
	if (line[0] == '/' && line[1] != '/') {
		for (p = line + 1; *p != '\0' && *p != ' ' && *p != '\t'; p++)
			*p = (char)toupper((unsigned char)*p);
		FUZZ_CHECK(fuzz_command_parse(line) == type);
	}
	free(line);
	return 0;
}
