/* command_part.c: parsing the participation commands: /propose, /topics, /vote, /unvote,
 * /upvote, /signup, /signups, /ask, /questions, /qa, /poll, /polls, /hand, /queue, /hide
 * and /board. Words may be quoted with double quotes ("Approve spec v2.2?"). */
#include "util/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client/command_int.h"
#include "model/room.h"
#include "util/xalloc.h"

#define PART_MAX_WORDS 64

/* Frees cmd->list. */
void
command_free_list(struct command *cmd)
{
	size_t i;

	for (i = 0; i < cmd->nlist; i++)
		free(cmd->list[i]);
	free(cmd->list);
	cmd->list = NULL;
	cmd->nlist = 0;
}

/* Splits p into words (a double-quoted run is one word, without its quotes) into w (at
 * most PART_MAX_WORDS). Returns the count, or -1 for an unclosed quote or too many. */
static int
command_part_words(const char *p, char **w)
{
	const char *start, *q;
	int n = 0;

	for (;;) {
		p = command_skip(p);
		if (*p == '\0')
			return n;
		if (n == PART_MAX_WORDS)
			break;
		if (*p == '"') {
			start = p + 1;
			if ((q = strchr(start, '"')) == NULL)
				break;
			w[n++] = xstrndup(start, (size_t)(q - start));
			p = q + 1;
			continue;
		}
		start = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		w[n++] = xstrndup(start, (size_t)(p - start));
	}
	while (n > 0)
		free(w[--n]);
	return -1;
}

/* Frees n words. */
static void
command_part_free_words(char **w, int n)
{
	while (n > 0)
		free(w[--n]);
}

/* An item's number: "3" or "#3". 0, or -1. */
static int
command_part_item(const char *w, int64_t *out)
{
	if (w == NULL)
		return -1;
	if (*w == '#')
		w++;
	if (!command_digits(w, strlen(w)) || strlen(w) > 15 || atoll(w) < 1)
		return -1;
	*out = atoll(w);
	return 0;
}

/* The words w[from..n) joined by single spaces (a new string), or NULL when none or
 * when they are only blanks (a quoted "  "): a title must show something. */
static char *
command_part_join(char **w, int from, int n)
{
	size_t len = 0;
	char *s;
	int i;

	for (i = from; i < n; i++)
		if (w[i][strspn(w[i], " \t")] != '\0')
			break;
	if (i >= n)
		return NULL;
	for (i = from; i < n; i++)
		len += strlen(w[i]) + 1;
	s = xmalloc(len);
	s[0] = '\0';
	for (i = from; i < n; i++) {
		if (i > from)
			strcat(s, " ");
		strcat(s, w[i]);
	}
	return s;
}

/* Takes the options of w (--session ID, --minutes M, --anonymous, --secret) out of w,
 * into cmd, leaving the other words in order. Returns the words left, or -1 when an
 * option is bad (a value missing, or an option that is not in allowed). */
static int
command_part_options(char **w, int n, struct command *cmd, const char *allowed)
{
	char opt[32];
	int i, k = 0;

	for (i = 0; i < n; i++) {
		if (strncmp(w[i], "--", 2) != 0 || strlen(w[i]) >= sizeof opt - 2) {
			w[k++] = w[i];
			continue;
		}
		snprintf(opt, sizeof opt, " %s ", w[i] + 2);
		if (strstr(allowed, opt) == NULL)
			goto bad;
		if (strcmp(w[i], "--anonymous") == 0 || strcmp(w[i], "--secret") == 0) {
			cmd->flag = true;
			free(w[i]);
			continue;
		}
		if (i + 1 >= n)
			goto bad;
		if (strcmp(w[i], "--session") == 0) {
			free(cmd->arg);
			cmd->arg = xstrdup(w[i + 1]);
			command_lower(cmd->arg);
		} else {              /* --minutes */
			if (!command_digits(w[i + 1], strlen(w[i + 1])) || strlen(w[i + 1]) > 4 ||
			    atoi(w[i + 1]) < 1 || atoi(w[i + 1]) > 1440)
				goto bad;
			cmd->minutes = atoi(w[i + 1]);
		}
		free(w[i]);
		free(w[++i]);
	}
	return k;
bad:
	/* the words already kept stay in w[0..k); the rest are freed here */
	for (; i < n; i++)
		free(w[i]);
	command_part_free_words(w, k);
	return -1;
}

/* A command of one item number: /vote N, /hide N, /topics hide N, ... */
static int
command_part_one(char **w, int n, struct command *cmd, enum command_type type,
    const char *usage, char **cause)
{
	cmd->type = type;
	if (n != 1 || command_part_item(w[0], &cmd->index) != 0)
		return command_usage(cause, usage);
	return 0;
}

#define PROPOSE_USAGE "/propose TITLE [--session ID]"
#define TOPICS_USAGE "/topics [promote N [--minutes M] [CAPACITY] | hide N | merge N M]"

/* /topics [promote N [--minutes M] [CAPACITY] | hide N | merge N M]. */
static int
command_part_topics(char **w, int n, struct command *cmd, char **cause)
{
	if (n == 0) {
		cmd->type = CMD_TOPICS;
		return 0;
	}
	command_lower(w[0]);
	if (strcmp(w[0], "hide") == 0)
		return command_part_one(w + 1, n - 1, cmd, CMD_HIDE, "/topics hide N", cause);
	if (strcmp(w[0], "merge") == 0) {
		cmd->type = CMD_TOPIC_MERGE;
		if (n != 3 || command_part_item(w[1], &cmd->index) != 0 ||
		    command_part_item(w[2], &cmd->index2) != 0)
			return command_usage(cause, "/topics merge N M");
		return 0;
	}
	if (strcmp(w[0], "promote") == 0) {
		cmd->type = CMD_TOPIC_PROMOTE;
		if (n < 2 || n > 3 || command_part_item(w[1], &cmd->index) != 0)
			return command_usage(cause, "/topics promote N [--minutes M] [CAPACITY]");
		if (n == 3) {
			if (!command_digits(w[2], strlen(w[2])) || strlen(w[2]) > 6 ||
			    atol(w[2]) > 100000) {
				*cause = xasprintf(_("bad capacity \"%s\": give a number of people, "
				    "0 for no limit"), w[2]);
				return -1;
			}
			cmd->capacity = atol(w[2]);
		}
		return 0;
	}
	return command_usage(cause, TOPICS_USAGE);
}

/* /signup talk|pitch TITLE. */
static int
command_part_signup(char **w, int n, struct command *cmd, char **cause)
{
	cmd->type = CMD_SIGNUP;
	if (n < 2)
		return command_usage(cause, "/signup talk|pitch TITLE");
	if (strcasecmp(w[0], "talk") == 0)
		cmd->kind = 0;
	else if (strcasecmp(w[0], "pitch") == 0)
		cmd->kind = 1;
	else
		return command_usage(cause, "/signup talk|pitch TITLE");
	if ((cmd->text = command_part_join(w, 1, n)) == NULL)
		return command_usage(cause, "/signup talk|pitch TITLE");
	return 0;
}

/* /signups [accept N | decline N [NOTE]]. */
static int
command_part_signups(char **w, int n, struct command *cmd, char **cause)
{
	if (n == 0) {
		cmd->type = CMD_SIGNUPS;
		return 0;
	}
	command_lower(w[0]);
	if (strcmp(w[0], "accept") == 0)
		return command_part_one(w + 1, n - 1, cmd, CMD_SIGNUP_ACCEPT, "/signups accept N",
		    cause);
	if (strcmp(w[0], "decline") == 0) {
		cmd->type = CMD_SIGNUP_DECLINE;
		if (n < 2 || command_part_item(w[1], &cmd->index) != 0)
			return command_usage(cause, "/signups decline N [NOTE]");
		cmd->text = command_part_join(w, 2, n);
		return 0;
	}
	return command_usage(cause, "/signups [accept N | decline N [NOTE]]");
}

/* /questions [answer N | pin N | unpin N | hide N]. */
static int
command_part_questions(char **w, int n, struct command *cmd, char **cause)
{
	if (n == 0) {
		cmd->type = CMD_QUESTIONS;
		return 0;
	}
	command_lower(w[0]);
	if (strcmp(w[0], "answer") == 0)
		return command_part_one(w + 1, n - 1, cmd, CMD_QUESTION_ANSWER,
		    "/questions answer N", cause);
	if (strcmp(w[0], "pin") == 0 || strcmp(w[0], "unpin") == 0) {
		cmd->flag = w[0][0] == 'p';
		return command_part_one(w + 1, n - 1, cmd, CMD_QUESTION_PIN, cmd->flag ?
		    "/questions pin N" : "/questions unpin N", cause);
	}
	if (strcmp(w[0], "hide") == 0)
		return command_part_one(w + 1, n - 1, cmd, CMD_HIDE, "/questions hide N", cause);
	return command_usage(cause, "/questions [answer N | pin N | unpin N | hide N]");
}

#define POLL_USAGE "/poll [\"QUESTION\" CHOICE... [--minutes M] [--secret] | vote N CHOICE | " \
	"close [N] | hide N]"

/* /poll ..., /polls. */
static int
command_part_poll(char **w, int n, struct command *cmd, char **cause)
{
	int i;

	if (n == 0) {
		cmd->type = CMD_POLLS;
		return 0;
	}
	if (strcasecmp(w[0], "vote") == 0 && n >= 2 && command_part_item(w[1], &cmd->index) == 0) {
		cmd->type = CMD_POLL_VOTE;
		if ((cmd->arg = command_part_join(w, 2, n)) == NULL)
			return command_usage(cause, "/poll vote N CHOICE");
		return 0;
	}
	if (strcasecmp(w[0], "close") == 0 && n <= 2) {
		cmd->type = CMD_POLL_CLOSE;
		if (n == 2 && command_part_item(w[1], &cmd->index) != 0)
			return command_usage(cause, "/poll close [N]");
		return 0;
	}
	if (strcasecmp(w[0], "hide") == 0 && n == 2)
		return command_part_one(w + 1, 1, cmd, CMD_HIDE, "/poll hide N", cause);
	cmd->type = CMD_POLL_OPEN;
	if (n < 3 || n > 11) {
		*cause = xasprintf(_("usage: %s (a question in quotes, then 2 to 10 choices)"),
		    "/poll \"QUESTION\" CHOICE CHOICE... [--minutes M] [--secret]");
		return -1;
	}
	cmd->text = xstrdup(w[0]);
	cmd->list = xcalloc((size_t)n, sizeof *cmd->list);
	for (i = 1; i < n; i++)
		cmd->list[cmd->nlist++] = xstrdup(w[i]);
	return 0;
}

/* /qa anonymous on|off [--session ID]. */
static int
command_part_qa(char **w, int n, struct command *cmd, char **cause)
{
	cmd->type = CMD_QA;
	if (n != 2 || strcasecmp(w[0], "anonymous") != 0 ||
	    (strcasecmp(w[1], "on") != 0 && strcasecmp(w[1], "off") != 0))
		return command_usage(cause, "/qa anonymous on|off [--session ID]");
	cmd->flag = strcasecmp(w[1], "on") == 0;
	return 0;
}

/* /hand [down], /queue [next | clear]. */
static int
command_part_queue(const char *name, char **w, int n, struct command *cmd, char **cause)
{
	if (strcmp(name, "hand") == 0) {
		cmd->type = CMD_HAND;
		cmd->flag = true;
		if (n == 1 && (strcasecmp(w[0], "down") == 0 || strcasecmp(w[0], "up") == 0))
			cmd->flag = strcasecmp(w[0], "up") == 0;
		else if (n != 0)
			return command_usage(cause, "/hand [down]");
		return 0;
	}
	cmd->type = CMD_QUEUE;
	if (n == 1 && strcasecmp(w[0], "next") == 0)
		cmd->type = CMD_QUEUE_NEXT;
	else if (n == 1 && strcasecmp(w[0], "clear") == 0)
		cmd->type = CMD_QUEUE_CLEAR;
	else if (n != 0)
		return command_usage(cause, "/queue [next | clear]");
	return 0;
}

/* The options each command takes (" name " words). */
static const char *
command_part_allowed(const char *name)
{
	if (strcmp(name, "propose") == 0 || strcmp(name, "qa") == 0)
		return " session ";
	if (strcmp(name, "ask") == 0)
		return " session anonymous ";
	if (strcmp(name, "topics") == 0)
		return " minutes ";
	if (strcmp(name, "poll") == 0)
		return " minutes secret ";
	return " ";
}

/* Parses a command of the words w (options taken out). */
static int
command_part_words_cmd(const char *name, char **w, int n, struct command *cmd,
    char **cause)
{
	if (strcmp(name, "propose") == 0) {
		cmd->type = CMD_PROPOSE;
		cmd->text = command_part_join(w, 0, n);
		return cmd->text == NULL ? command_usage(cause, PROPOSE_USAGE) : 0;
	}
	if (strcmp(name, "ask") == 0) {
		cmd->type = CMD_ASK;
		cmd->text = command_part_join(w, 0, n);
		return cmd->text == NULL ? command_usage(cause,
		    "/ask TEXT [--anonymous] [--session ID]") : 0;
	}
	if (strcmp(name, "topics") == 0)
		return command_part_topics(w, n, cmd, cause);
	if (strcmp(name, "vote") == 0 || strcmp(name, "upvote") == 0)
		return command_part_one(w, n, cmd, CMD_VOTE, name[0] == 'u' ? "/upvote N" :
		    "/vote N", cause);
	if (strcmp(name, "unvote") == 0)
		return command_part_one(w, n, cmd, CMD_UNVOTE, "/unvote N", cause);
	if (strcmp(name, "hide") == 0)
		return command_part_one(w, n, cmd, CMD_HIDE, "/hide N", cause);
	if (strcmp(name, "signup") == 0)
		return command_part_signup(w, n, cmd, cause);
	if (strcmp(name, "signups") == 0)
		return command_part_signups(w, n, cmd, cause);
	if (strcmp(name, "questions") == 0)
		return command_part_questions(w, n, cmd, cause);
	if (strcmp(name, "poll") == 0 || strcmp(name, "polls") == 0)
		return command_part_poll(w, name[4] == 's' ? 0 : n, cmd, cause);
	if (strcmp(name, "qa") == 0)
		return command_part_qa(w, n, cmd, cause);
	if (strcmp(name, "board") == 0) {
		cmd->type = CMD_BOARD;
		return n == 0 ? 0 : command_usage(cause, "/board");
	}
	return command_part_queue(name, w, n, cmd, cause);
}

/* The participation commands: 0, -1, or 1 when name is none of them. */
int
command_parse_part(const char *name, const char *p, struct command *cmd, char **cause)
{
	static const char *const names[] = { "propose", "topics", "vote", "unvote", "upvote",
	    "signup", "signups", "ask", "questions", "qa", "poll", "polls", "hand", "queue",
	    "hide", "board" };
	char *w[PART_MAX_WORDS];
	size_t i;
	int n, rc;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0)
			break;
	if (i == sizeof names / sizeof names[0])
		return 1;
	if ((n = command_part_words(p, w)) < 0) {
		*cause = xstrdup(_("a quote is not closed, or there are too many words"));
		return -1;
	}
	if ((n = command_part_options(w, n, cmd, command_part_allowed(name))) < 0) {
		cmd->type = CMD_NONE;
		*cause = xasprintf(_("bad option: /help %s says which options it takes"), name);
		return -1;
	}
	if (strcmp(name, "polls") == 0 && n > 0) {
		command_part_free_words(w, n);
		return command_usage(cause, "/polls");
	}
	rc = command_part_words_cmd(name, w, n, cmd, cause);
	command_part_free_words(w, n);
	if (rc == 0 && cmd->arg != NULL && cmd->type != CMD_POLL_VOTE &&
	    !room_id_valid(cmd->arg)) {
		*cause = xasprintf(_("\"%s\" is not a session id; /schedule shows them"), cmd->arg);
		return -1;
	}
	return rc;
}
