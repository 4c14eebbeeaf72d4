/* command.c: parse one line of user input into a struct command, with helpful errors. */
#include "util/i18n.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client/command.h"
#include "client/command_int.h"
#include "model/room.h"
#include "util/duration.h"
#include "util/xalloc.h"

/* The command table: drives /help and "did you mean". Order is the order of /help. */
static const struct command_info command_rows[] = {
	{ "help", "/help [COMMAND]", N_("list the commands, or explain one") },
	{ "schedule", "/schedule [DAY]",
	    N_("show the program (DAY: 1, 2, ..., a date like 2020-10-13, or today)") },
	{ "now", "/now", N_("show what is on now") },
	{ "next", "/next", N_("show what comes next") },
	{ "info", "/info SESSION", N_("show a session's details (ids are shown by /schedule)") },
	{ "rooms", "/rooms", N_("list the rooms with how many people are in each") },
	{ "join", "/join ROOM", N_("join a room and make it current") },
	{ "part", "/part [ROOM]", N_("leave a room (default: the current one)") },
	{ "who", "/who [ROOM]", N_("list who is in a room (default: the current one)") },
	{ "msg", "/msg NAME TEXT", N_("send a private message, seen only by the two of you") },
	{ "me", "/me TEXT", N_("say an action, like \"* alice waves\"") },
	{ "timer", "/timer", N_("show the running timers") },
	{ "timer", "/timer start DURATION [LABEL] [--warn DUR] [--danger DUR]",
	    N_("start the main timer (facilitators; DURATION: 5m, 90s, 3:30, talk, pitch; "
	    "warnings at 1:00 and 0:30 left unless given)") },
	{ "timer", "/timer pause|resume|reset|stop",
	    N_("pause, resume, reset (back to the start) or stop (clear) the main timer "
	    "(facilitators)") },
	{ "timer", "/timer +DUR|-DUR",
	    N_("add or take off time, e.g. /timer +30, /timer -1:30 (facilitators)") },
	{ "timer", "/timer ... --room ROOM",
	    N_("any timer command, for the timer of ROOM instead of the main stage") },
	{ "room", "/room create NAME [CAPACITY] [--minutes N]",
	    N_("open a breakout room (facilitators; CAPACITY: most people, 0: no limit; "
	    "--minutes: it closes by itself after N minutes)") },
	{ "room", "/room expire NAME MINUTES",
	    N_("set when a room closes, MINUTES from now (or like 90s); 0 keeps it open "
	    "(facilitators)") },
	{ "room", "/room close NAME",
	    N_("close a room; its members return to the lobby (facilitators)") },
	{ "lineup", "/lineup", N_("show the main-stage lineup and who is up next") },
	{ "lineup", "/lineup add TITLE... [--speaker NAME] [--kind talk|pitch] [--duration DUR]",
	    N_("add a talk (5:00) or pitch (2:00) to the lineup (facilitators)") },
	{ "lineup", "/lineup remove N | move N M | next",
	    N_("remove or move an item, or start the next one's timer (facilitators)") },
	{ "history", "/history [N]",
	    N_("show N earlier lines of the current room (default 50, at most 100)") },
	{ "stats", "/stats", N_("show the bytes sent and received, and the link's round trip") },
	{ "ids", "/ids [on|off]", N_("show the number of each chat line (for /report and /delete)") },
	{ "report", "/report ID REASON", N_("report a line (ID: its number, see /ids) to the "
	    "facilitators, with why") },
	{ "delete", "/delete ID", N_("facilitators: remove a line from every screen and from "
	    "history") },
	{ "mute", "/mute NAME [MINUTES] [REASON]", N_("facilitators: NAME may not speak for a "
	    "while (10 minutes by default); /unmute NAME ends it") },
	{ "kick", "/kick NAME [REASON]", N_("facilitators: disconnect NAME (who may come back)") },
	{ "unmute", "/unmute NAME", N_("facilitators: end a mute") },
	{ "ban", "/ban NAME [REASON]", N_("facilitators: disconnect NAME and keep the name out; "
	    "/unban NAME lets it in again") },
	{ "unban", "/unban NAME", N_("facilitators: lift a ban") },
	{ "announce", "/announce TEXT", N_("facilitators: a marked announcement in every room") },
	{ "reports", "/reports", N_("facilitators: the reports made so far") },
	{ "quit", "/quit", N_("leave confab") },
};
#define NROWS (sizeof command_rows / sizeof command_rows[0])

/* Returns the table and its length. */
const struct command_info *
command_table(size_t *n)
{
	*n = NROWS;
	return command_rows;
}

/* Frees the strings of cmd and zeroes it. */
void
command_clear(struct command *cmd)
{
	if (cmd == NULL)
		return;
	free(cmd->arg);
	free(cmd->text);
	memset(cmd, 0, sizeof *cmd);
}

/* True for the separators between words. */
static int
command_is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Skips separators. */
const char *
command_skip(const char *p)
{
	while (command_is_space(*p))
		p++;
	return p;
}

/* Copies the next word of *pp into a new string (NULL at the end) and advances *pp. */
char *
command_word(const char **pp)
{
	const char *p = command_skip(*pp), *start = p;

	if (*p == '\0') {
		*pp = p;
		return NULL;
	}
	while (*p != '\0' && !command_is_space(*p))
		p++;
	*pp = p;
	return xstrndup(start, (size_t)(p - start));
}

/* The rest of the line after separators, as a new string, or NULL when empty. */
char *
command_rest(const char *p)
{
	size_t len;

	p = command_skip(p);
	len = strlen(p);
	while (len > 0 && command_is_space(p[len - 1]))
		len--;
	return len == 0 ? NULL : xstrndup(p, len);
}

/* Lower-cases ASCII letters of s in place. */
void
command_lower(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Optimal string alignment distance between a and b (short strings only). */
static size_t
command_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t d[34][34];

	if (la > 32 || lb > 32)
		return 99;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			size_t cost = tolower((unsigned char)a[i - 1]) ==
			    tolower((unsigned char)b[j - 1]) ? 0 : 1;
			size_t v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && tolower((unsigned char)a[i - 1]) ==
			    tolower((unsigned char)b[j - 2]) && tolower((unsigned char)a[i - 2]) ==
			    tolower((unsigned char)b[j - 1]) && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

/* The closest command name to name, or NULL when none is close. */
static const char *
command_suggest(const char *name)
{
	const char *best = NULL;
	size_t bestd = 3, i, d, len = strlen(name);

	for (i = 0; i < NROWS; i++) {
		d = command_distance(name, command_rows[i].name);
		if (d < bestd) {
			bestd = d;
			best = command_rows[i].name;
		}
	}
	/* a prefix of a longer name also counts ("/sched") */
	if (best == NULL && len >= 2) {
		for (i = 0; i < NROWS; i++)
			if (strncasecmp(name, command_rows[i].name, len) == 0)
				return command_rows[i].name;
	}
	if (best != NULL && bestd * 2 > len + 1)
		return NULL; /* "/x" is not close to "/me" */
	return best;
}

/* Sets *cause to "usage: USAGE" for the given usage string and returns -1. */
int
command_usage(char **cause, const char *usage)
{
	*cause = xasprintf(_("usage: %s"), usage);
	return -1;
}

/* Normalises a room argument in place: drops a leading '#', lower-cases. 0, or -1 if bad. */
int
command_room(char **room, char **cause)
{
	char *r = *room;

	if (r[0] == '#')
		memmove(r, r + 1, strlen(r));
	command_lower(r);
	if (!room_id_valid(r)) {
		*cause = xasprintf(_("\"%s\" is not a room name; /rooms lists the rooms"), *room);
		return -1;
	}
	return 0;
}

/* Parses a duration or a preset ("talk", "pitch"). */
static int
command_duration(const char *s, int64_t *ms)
{
	if (strcasecmp(s, "talk") == 0) {
		*ms = 5 * 60 * 1000;
		return 0;
	}
	if (strcasecmp(s, "pitch") == 0) {
		*ms = 2 * 60 * 1000;
		return 0;
	}
	return duration_parse(s, ms);
}

/* True when s is all ASCII digits (and not empty). */
int
command_digits(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Parses the DAY of /schedule. */
static int
command_day(const char *s, struct command *cmd)
{
	size_t len = strlen(s);

	if (strcasecmp(s, "today") == 0) {
		cmd->day = DAY_TODAY;
		return 0;
	}
	if (command_digits(s, len) && len <= 4) {
		cmd->day_index = atoi(s);
		if (cmd->day_index < 1)
			return -1;
		cmd->day = DAY_INDEX;
		return 0;
	}
	if (len == 10 && command_digits(s, 4) && s[4] == '-' && command_digits(s + 5, 2) &&
	    s[7] == '-' && command_digits(s + 8, 2)) {
		int mon = atoi(s + 5), day = atoi(s + 8);
		if (mon < 1 || mon > 12 || day < 1 || day > 31)
			return -1;
		memcpy(cmd->date, s, 11);
		cmd->day = DAY_DATE;
		return 0;
	}
	return -1;
}

#define TIMER_USAGE "/timer [start DURATION [LABEL] [--warn DUR] [--danger DUR] | pause | " \
	"resume | reset | stop | +DUR | -DUR] [--room ROOM]"

/* Sets *cause to a bad-duration message for s; returns -1. */
static int
command_bad_duration(const char *s, char **cause)
{
	*cause = xasprintf(_("bad duration \"%s\": use for example 5m, 90s, 3:30, "
	    "talk (5:00) or pitch (2:00)"), s);
	return -1;
}

/* Takes the value of option opt out of the word list (at *i + 1); NULL when missing. */
static char *
command_opt_value(char **w, size_t n, size_t *i)
{
	if (*i + 1 >= n)
		return NULL;
	(*i)++;
	return w[*i];
}

/* Parses the words of /timer (options already taken out) into cmd. */
static int
command_timer_words(char **w, size_t n, struct command *cmd, char **cause)
{
	size_t i, len;
	int64_t ms;
	char *sub;

	if (n == 0) {
		cmd->type = CMD_TIMER;
		return 0;
	}
	sub = w[0];
	if (sub[0] == '+' || sub[0] == '-') {
		cmd->type = CMD_TIMER_ADJUST;
		if (n != 1)
			return command_usage(cause, "/timer +DUR|-DUR [--room ROOM]");
		if (duration_parse(sub + 1, &ms) != 0)
			return command_bad_duration(sub + 1, cause);
		cmd->delta_ms = sub[0] == '-' ? -ms : ms;
		return 0;
	}
	command_lower(sub);
	if (strcmp(sub, "start") == 0) {
		cmd->type = CMD_TIMER_START;
		if (n < 2)
			return command_usage(cause,
			    "/timer start DURATION [LABEL] [--warn DUR] [--danger DUR] [--room ROOM]");
		if (command_duration(w[1], &cmd->duration_ms) != 0)
			return command_bad_duration(w[1], cause);
		len = 0;
		for (i = 2; i < n; i++)
			len += strlen(w[i]) + 1;
		if (len > 0) {
			cmd->text = xmalloc(len);
			cmd->text[0] = '\0';
			for (i = 2; i < n; i++) {
				if (i > 2)
					strcat(cmd->text, " ");
				strcat(cmd->text, w[i]);
			}
		}
		return 0;
	}
	if (strcmp(sub, "pause") == 0)
		cmd->type = CMD_TIMER_PAUSE;
	else if (strcmp(sub, "resume") == 0)
		cmd->type = CMD_TIMER_RESUME;
	else if (strcmp(sub, "reset") == 0)
		cmd->type = CMD_TIMER_RESET;
	else if (strcmp(sub, "stop") == 0)
		cmd->type = CMD_TIMER_STOP;
	else
		return command_usage(cause, TIMER_USAGE);
	if (n != 1)
		return command_usage(cause, "/timer pause|resume|reset|stop [--room ROOM]");
	return 0;
}

/* Parses the arguments of /timer: words, with --room, --warn and --danger anywhere. */
static int
command_parse_timer(const char *p, struct command *cmd, char **cause)
{
	char **all = NULL, **w, *word, *v;
	size_t nall = 0, n = 0, i;
	bool thresholds = false;
	int rc = 0;

	cmd->warn_ms = cmd->danger_ms = -1;
	while ((word = command_word(&p)) != NULL) {
		all = xreallocarray(all, nall + 1, sizeof *all);
		all[nall++] = word;
	}
	w = xcalloc(nall + 1, sizeof *w);
	for (i = 0; i < nall && rc == 0; i++) {
		if (strcasecmp(all[i], "--room") == 0) {
			if ((v = command_opt_value(all, nall, &i)) == NULL)
				rc = command_usage(cause, TIMER_USAGE);
			else {
				free(cmd->arg);
				cmd->arg = xstrdup(v);
				rc = command_room(&cmd->arg, cause);
			}
		} else if (strcasecmp(all[i], "--warn") == 0 ||
		    strcasecmp(all[i], "--danger") == 0) {
			int64_t *out = strcasecmp(all[i], "--warn") == 0 ? &cmd->warn_ms :
			    &cmd->danger_ms;
			thresholds = true;
			if ((v = command_opt_value(all, nall, &i)) == NULL)
				rc = command_usage(cause, TIMER_USAGE);
			else if (duration_parse(v, out) != 0)
				rc = command_bad_duration(v, cause);
		} else if (strncmp(all[i], "--", 2) == 0)
			rc = command_usage(cause, TIMER_USAGE);
		else
			w[n++] = all[i];
	}
	if (rc == 0)
		rc = command_timer_words(w, n, cmd, cause);
	if (rc == 0 && thresholds && cmd->type != CMD_TIMER_START)
		rc = command_usage(cause,
		    "/timer start DURATION [LABEL] [--warn DUR] [--danger DUR] [--room ROOM]");
	for (i = 0; i < nall; i++)
		free(all[i]);
	free(all);
	free(w);
	return rc;
}

static int command_noargs(const char *p, struct command *cmd, enum command_type type,
    const char *usage, char **cause);

/* Parses a room lifetime: plain digits are minutes (0..1440), else a duration (seconds). */
static int
command_lifetime(const char *v, struct command *cmd, char **cause)
{
	int64_t ms;

	cmd->minutes = cmd->seconds = 0;
	if (command_digits(v, strlen(v))) {
		/* plain digits are always minutes: 1500 must not quietly mean seconds */
		if (strlen(v) <= 4 && atoi(v) <= 1440) {
			cmd->minutes = atoi(v);
			return 0;
		}
	} else if (duration_parse(v, &ms) == 0 && ms >= 1000 && ms <= 1440LL * 60 * 1000) {
		cmd->seconds = ms / 1000;
		return 0;
	}
	*cause = xasprintf(_("bad duration \"%s\": give minutes (1 to 1440) or a time like "
	    "90s"), v);
	return -1;
}

#define ROOM_USAGE "/room create NAME [CAPACITY] [--minutes N] | /room close NAME | " \
	"/room expire NAME MINUTES"
/* Parses /room create NAME [CAPACITY] [--minutes N | --seconds N]. */
static int
command_room_create(const char *p, struct command *cmd, char **cause)
{
	char *w[3] = { NULL, NULL, NULL }, *word, *v, *end;
	char id[ROOM_ID_MAX + 1];
	size_t n = 0;
	int rc = 0, sec;

	cmd->type = CMD_ROOM_CREATE;
	while (rc == 0 && (word = command_word(&p)) != NULL) {
		if (strcasecmp(word, "--minutes") == 0 || strcasecmp(word, "--seconds") == 0) {
			sec = strcasecmp(word, "--seconds") == 0;
			v = command_word(&p);
			if (v == NULL || !command_digits(v, strlen(v)) || strlen(v) > 5 ||
			    atoi(v) < 1 || atoi(v) > (sec ? 1440 * 60 : 1440)) {
				*cause = xasprintf(_("bad duration: give %s"), sec ?
				    _("1 to 86400 seconds") : _("1 to 1440 minutes"));
				rc = -1;
			} else if (sec)
				cmd->seconds = atoi(v);
			else
				cmd->minutes = atoi(v);
			free(v);
			free(word);
		} else if (n < 2)
			w[n++] = word;
		else {
			free(word);
			rc = command_usage(cause, "/room create NAME [CAPACITY] [--minutes N]");
		}
	}
	if (rc == 0 && n == 0)
		rc = command_usage(cause, "/room create NAME [CAPACITY] [--minutes N]");
	if (rc == 0) {
		cmd->arg = w[0];
		w[0] = NULL;
		if (room_id_from_name(cmd->arg[0] == '#' ? cmd->arg + 1 : cmd->arg, id) != 0) {
			*cause = xasprintf(_("\"%s\" cannot be a room name: use letters, digits, "
			    "'-' and '_'"), cmd->arg);
			rc = -1;
		} else if (w[1] != NULL) {
			long c = strtol(w[1], &end, 10);
			if (!command_digits(w[1], strlen(w[1])) || *end != '\0' || c < 0 ||
			    c > 100000) {
				*cause = xasprintf(_("bad capacity \"%s\": give a number of people, "
				    "0 for no limit"), w[1]);
				rc = -1;
			} else
				cmd->capacity = c;
		}
	}
	free(w[0]);
	free(w[1]);
	return rc;
}

/* Parses the arguments of /room. */
static int
command_parse_room(const char *p, struct command *cmd, char **cause)
{
	char *sub = command_word(&p), *v;
	int rc = 0;

	if (sub != NULL)
		command_lower(sub);
	if (sub != NULL && strcmp(sub, "create") == 0)
		rc = command_room_create(p, cmd, cause);
	else if (sub != NULL && strcmp(sub, "close") == 0) {
		cmd->type = CMD_ROOM_CLOSE;
		cmd->arg = command_word(&p);
		if (cmd->arg == NULL || *command_skip(p) != '\0')
			rc = command_usage(cause, "/room close NAME");
		else
			rc = command_room(&cmd->arg, cause);
	} else if (sub != NULL && strcmp(sub, "expire") == 0) {
		cmd->type = CMD_ROOM_EXPIRE;
		cmd->arg = command_word(&p);
		v = command_word(&p);
		if (cmd->arg == NULL || v == NULL || *command_skip(p) != '\0')
			rc = command_usage(cause, "/room expire NAME MINUTES");
		else if ((rc = command_room(&cmd->arg, cause)) == 0)
			rc = command_lifetime(v, cmd, cause);
		free(v);
	} else
		rc = command_usage(cause, ROOM_USAGE);
	free(sub);
	return rc;
}

/* Reads a 1-based item number (1..LINEUP_MAX); 0, or -1. */
static int
command_item_number(const char *w, int64_t *out)
{
	if (w == NULL || !command_digits(w, strlen(w)) || strlen(w) > 3 || atoi(w) < 1)
		return -1;
	*out = atoi(w);
	return 0;
}

#define LINEUP_ADD_USAGE "/lineup add TITLE... [--speaker NAME] [--kind talk|pitch] " \
	"[--duration DUR]"
/* Parses /lineup add: title words with --speaker NAME, --kind K, --duration DUR anywhere. */
static int
command_lineup_add(const char *p, struct command *cmd, char **cause)
{
	char *word, *v, *title = NULL, *t;
	int rc = 0;

	cmd->type = CMD_LINEUP_ADD;
	while (rc == 0 && (word = command_word(&p)) != NULL) {
		if (strcasecmp(word, "--speaker") == 0 || strcasecmp(word, "--kind") == 0 ||
		    strcasecmp(word, "--duration") == 0) {
			if ((v = command_word(&p)) == NULL)
				rc = command_usage(cause, LINEUP_ADD_USAGE);
			else if (strcasecmp(word, "--speaker") == 0) {
				free(cmd->arg);
				cmd->arg = v;
				v = NULL;
			} else if (strcasecmp(word, "--kind") == 0) {
				if (strcasecmp(v, "talk") == 0)
					cmd->kind = 0;
				else if (strcasecmp(v, "pitch") == 0)
					cmd->kind = 1;
				else
					rc = command_usage(cause, LINEUP_ADD_USAGE);
			} else if (duration_parse(v, &cmd->duration_ms) != 0 ||
			    cmd->duration_ms <= 0)
				rc = command_bad_duration(v, cause);
			free(v);
			free(word);
		} else {
			t = title == NULL ? xstrdup(word) : xasprintf("%s %s", title, word);
			free(title);
			title = t;
			free(word);
		}
	}
	if (rc == 0 && title == NULL)
		rc = command_usage(cause, LINEUP_ADD_USAGE);
	cmd->text = title;
	return rc;
}

/* Parses the arguments of /lineup. */
static int
command_parse_lineup(const char *p, struct command *cmd, char **cause)
{
	char *sub = command_word(&p), *a = NULL, *b = NULL;
	int rc = 0;

	if (sub == NULL) {
		cmd->type = CMD_LINEUP;
		return 0;
	}
	command_lower(sub);
	if (strcmp(sub, "add") == 0)
		rc = command_lineup_add(p, cmd, cause);
	else if (strcmp(sub, "next") == 0)
		rc = command_noargs(p, cmd, CMD_LINEUP_NEXT, "/lineup next", cause);
	else if (strcmp(sub, "remove") == 0) {
		cmd->type = CMD_LINEUP_REMOVE;
		a = command_word(&p);
		if (command_item_number(a, &cmd->index) != 0 || *command_skip(p) != '\0')
			rc = command_usage(cause, "/lineup remove N");
	} else if (strcmp(sub, "move") == 0) {
		cmd->type = CMD_LINEUP_MOVE;
		a = command_word(&p);
		b = command_word(&p);
		if (command_item_number(a, &cmd->index) != 0 ||
		    command_item_number(b, &cmd->index2) != 0 || *command_skip(p) != '\0')
			rc = command_usage(cause, "/lineup move N M");
	} else
		rc = command_usage(cause, "/lineup [add TITLE... | remove N | move N M | next]");
	free(a);
	free(b);
	free(sub);
	return rc;
}

/* Parses a command without arguments. */
static int
command_noargs(const char *p, struct command *cmd, enum command_type type, const char *usage,
    char **cause)
{
	cmd->type = type;
	if (*command_skip(p) != '\0')
		return command_usage(cause, usage);
	return 0;
}

/* Parses a command with one optional room argument. */
static int
command_optroom(const char *p, struct command *cmd, enum command_type type, const char *usage,
    int required, char **cause)
{
	cmd->type = type;
	cmd->arg = command_word(&p);
	if ((cmd->arg == NULL && required) || *command_skip(p) != '\0')
		return command_usage(cause, usage);
	if (cmd->arg != NULL)
		return command_room(&cmd->arg, cause);
	return 0;
}

/* Parses /history [N]: N from 1 to PROTO's 100 lines, default 50. */
static int
command_parse_history(const char *p, struct command *cmd, char **cause)
{
	char *w = command_word(&p);
	int rc = 0;

	cmd->type = CMD_HISTORY;
	cmd->index = COMMAND_HISTORY_DEFAULT;
	if (w != NULL) {
		if (!command_digits(w, strlen(w)) || strlen(w) > 3 || atoi(w) < 1 ||
		    atoi(w) > COMMAND_HISTORY_MAX)
			rc = -1;
		else
			cmd->index = atoi(w);
	}
	if (rc != 0 || *command_skip(p) != '\0') {
		*cause = xasprintf(_("usage: %s (N: 1 to %d lines)"), "/history [N]",
		    COMMAND_HISTORY_MAX);
		rc = -1;
	}
	free(w);
	return rc;
}

/* Dispatches on the command name. */
static int
command_dispatch(const char *name, const char *p, struct command *cmd, char **cause)
{
	char *w;

	if (strcmp(name, "help") == 0) {
		cmd->type = CMD_HELP;
		cmd->arg = command_word(&p);
		if (cmd->arg != NULL) {
			memmove(cmd->arg, cmd->arg + (cmd->arg[0] == '/'), strlen(cmd->arg));
			command_lower(cmd->arg);
		}
		return *command_skip(p) == '\0' ? 0 : command_usage(cause, "/help [COMMAND]");
	}
	if (strcmp(name, "schedule") == 0) {
		cmd->type = CMD_SCHEDULE;
		w = command_word(&p);
		if (w != NULL && (command_day(w, cmd) != 0 || *command_skip(p) != '\0')) {
			free(w);
			return command_usage(cause, _("/schedule [DAY] (DAY: 1, 2, ..., a date like "
			    "2020-10-13, or today)"));
		}
		free(w);
		return 0;
	}
	if (strcmp(name, "now") == 0)
		return command_noargs(p, cmd, CMD_NOW, "/now", cause);
	if (strcmp(name, "next") == 0)
		return command_noargs(p, cmd, CMD_NEXT, "/next", cause);
	if (strcmp(name, "rooms") == 0)
		return command_noargs(p, cmd, CMD_ROOMS, "/rooms", cause);
	if (strcmp(name, "quit") == 0)
		return command_noargs(p, cmd, CMD_QUIT, "/quit", cause);
	if (strcmp(name, "info") == 0) {
		cmd->type = CMD_INFO;
		cmd->arg = command_word(&p);
		if (cmd->arg == NULL || *command_skip(p) != '\0')
			return command_usage(cause, "/info SESSION");
		command_lower(cmd->arg);
		return 0;
	}
	if (strcmp(name, "join") == 0)
		return command_optroom(p, cmd, CMD_JOIN, "/join ROOM", 1, cause);
	if (strcmp(name, "part") == 0)
		return command_optroom(p, cmd, CMD_PART, "/part [ROOM]", 0, cause);
	if (strcmp(name, "who") == 0)
		return command_optroom(p, cmd, CMD_WHO, "/who [ROOM]", 0, cause);
	if (strcmp(name, "msg") == 0) {
		cmd->type = CMD_MSG;
		cmd->arg = command_word(&p);
		cmd->text = command_rest(p);
		if (cmd->arg == NULL || cmd->text == NULL)
			return command_usage(cause, "/msg NAME TEXT");
		return 0;
	}
	if (strcmp(name, "me") == 0) {
		cmd->type = CMD_ME;
		cmd->text = command_rest(p);
		return cmd->text == NULL ? command_usage(cause, "/me TEXT") : 0;
	}
	if (strcmp(name, "history") == 0)
		return command_parse_history(p, cmd, cause);
	if (strcmp(name, "stats") == 0)
		return command_noargs(p, cmd, CMD_STATS, "/stats", cause);
	if (strcmp(name, "timer") == 0)
		return command_parse_timer(p, cmd, cause);
	if (strcmp(name, "room") == 0)
		return command_parse_room(p, cmd, cause);
	if (strcmp(name, "lineup") == 0)
		return command_parse_lineup(p, cmd, cause);
	return command_parse_mod(name, p, cmd, cause);
}

/* Parses one line of input into cmd. */
int
command_parse(const char *line, struct command *cmd, char **cause)
{
	const char *p, *suggest;
	char *name;
	int rc;

	memset(cmd, 0, sizeof *cmd);
	*cause = NULL;
	if (line[0] != '/' || line[1] == '/') {
		p = line[0] == '/' ? line + 1 : line;
		if (*command_skip(p) == '\0') {
			cmd->type = CMD_NONE;
			return 0;
		}
		cmd->type = CMD_SAY;
		cmd->text = xstrdup(p);
		return 0;
	}
	p = line + 1;
	name = command_word(&p);
	if (name == NULL) {
		*cause = xstrdup(_("empty command; type /help for the list"));
		return -1;
	}
	command_lower(name);
	rc = command_dispatch(name, p, cmd, cause);
	if (rc == 1) {
		suggest = command_suggest(name);
		if (suggest != NULL)
			*cause = xasprintf(_("unknown command \"/%s\"; did you mean /%s? Type /help "
			    "for the list"), name, suggest);
		else
			*cause = xasprintf(_("unknown command \"/%s\"; type /help for the list"),
			    name);
		rc = -1;
	}
	free(name);
	if (rc != 0) {
		free(cmd->arg);
		free(cmd->text);
		memset(cmd, 0, sizeof *cmd);
		return -1;
	}
	return 0;
}
