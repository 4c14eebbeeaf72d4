/* command.h: parse one line of user input into a command (pure: no state, no output).
 *
 * A line that does not start with '/' is text to say in the current room; "//text" says
 * "/text". Command names are case-insensitive. */
#ifndef CONFAB_COMMAND_H
#define CONFAB_COMMAND_H

#include <stddef.h>
#include <stdint.h>

#define COMMAND_MAX_LINE 8192
#define COMMAND_HISTORY_DEFAULT 50 /* /history without N */
#define COMMAND_HISTORY_MAX 100    /* the most lines one /history asks for */

enum command_type {
	CMD_NONE = 0,  /* a blank line: nothing to do */
	CMD_SAY, CMD_ME, CMD_HELP, CMD_SCHEDULE, CMD_NOW, CMD_NEXT, CMD_INFO, CMD_ROOMS,
	CMD_JOIN, CMD_PART, CMD_WHO, CMD_MSG, CMD_TIMER, CMD_TIMER_START, CMD_TIMER_PAUSE,
	CMD_TIMER_RESUME, CMD_TIMER_RESET, CMD_TIMER_STOP, CMD_TIMER_ADJUST, CMD_ROOM_CREATE, CMD_ROOM_CLOSE, CMD_QUIT,
	CMD_ROOM_EXPIRE, CMD_LINEUP, CMD_LINEUP_ADD, CMD_LINEUP_REMOVE, CMD_LINEUP_MOVE,
	CMD_LINEUP_NEXT, CMD_HISTORY, CMD_STATS,
	/* moderation (command_mod.c); /ids shows the numbers that name lines */
	CMD_DELETE, CMD_REPORT, CMD_REPORTS, CMD_MUTE, CMD_UNMUTE, CMD_KICK, CMD_BAN, CMD_UNBAN,
	CMD_ANNOUNCE, CMD_IDS
};

/* Which day /schedule asks for. */
enum command_day { DAY_ALL = 0, DAY_INDEX, DAY_DATE, DAY_TODAY };

struct command {
	enum command_type type;
	char *arg;            /* room (without '#'), name, session id, help topic, speaker
	                       * of /lineup add, or NULL;
	                       * /timer: the --room scope (NULL: the main stage);
	                       * /delete, /report: the line's room (NULL: the current one) */
	char *text;           /* say/me/msg text, timer label, lineup title, moderation
	                       * reason, announcement (NULL when absent) */
	int64_t duration_ms;  /* /timer start; /lineup add --duration (0: the kind's) */
	int64_t warn_ms;      /* /timer start --warn; -1: the hub's default */
	int64_t danger_ms;    /* /timer start --danger; -1: the hub's default */
	int64_t delta_ms;     /* /timer +DUR / -DUR (signed) */
	int64_t capacity;     /* /room create; 0: no limit */
	int64_t minutes;      /* /room create --minutes, /room expire; 0: none */
	int64_t seconds;      /* the same in seconds (--seconds, or "90s"); 0: none */
	int64_t index, index2; /* /lineup remove N, move N M: 1-based; /history N: lines;
	                        * /delete, /report: the line's number; /ids: 1 on, 0 off,
	                        * -1 toggle */
	int kind;             /* /lineup add: enum lineup_kind (0: talk) */
	enum command_day day; /* /schedule */
	int day_index;        /* DAY_INDEX: 1-based */
	char date[11];        /* DAY_DATE: "YYYY-MM-DD" */
};

/* Parses line (without its newline). Returns 0 and fills cmd (free with command_clear), or
 * -1 with *cause set to a new, translated message that says what would work. */
int command_parse(const char *line, struct command *cmd, char **cause);
/* Frees what command_parse put in cmd and zeroes it. Safe on a zeroed command. */
void command_clear(struct command *cmd);

/* One row of the command table that drives /help. Strings are untranslated (N_()). */
struct command_info {
	const char *name;  /* "join" */
	const char *usage; /* "/join ROOM" */
	const char *help;  /* one-line help */
};

/* The table (borrowed, static); *n gets its length. */
const struct command_info *command_table(size_t *n);

#endif
