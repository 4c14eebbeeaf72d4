/* command_int.h: the word helpers of the command parser, shared by its files (command.c,
 * command_mod.c, command_habits.c); not for use elsewhere. */
#ifndef CONFAB_COMMAND_INT_H
#define CONFAB_COMMAND_INT_H

#include <stddef.h>

#include "client/command.h"

/* Skips the separators (spaces, tabs) at p. */
const char *command_skip(const char *p);
/* The next word of *pp as a new string (NULL at the end); advances *pp. */
char *command_word(const char **pp);
/* The rest of the line after separators, as a new string, or NULL when empty. */
char *command_rest(const char *p);
/* Lower-cases ASCII letters in place. */
void command_lower(char *s);
/* Sets *cause to "usage: USAGE"; returns -1. */
int command_usage(char **cause, const char *usage);
/* Normalises a room argument in place (no '#', lower case); 0, or -1 with *cause. */
int command_room(char **room, char **cause);
/* True when the n bytes of s are ASCII digits (and n > 0). */
int command_digits(const char *s, size_t n);
/* The commands of terminal-chat habits (command_habits.c): /tz, /clock, /away, /ignore,
 * /unignore, /names, /find, /quit [MESSAGE]: 0 or -1 as command_parse(), or 1 when name
 * is not one of them. */
int command_parse_habits(const char *name, const char *p, struct command *cmd, char **cause);
/* The moderation commands (command_mod.c): 0 or -1 as command_parse(), or 1 when name is
 * not one of them. */
int command_parse_mod(const char *name, const char *p, struct command *cmd, char **cause);
/* The participation commands (command_part.c), the same way. */
int command_parse_part(const char *name, const char *p, struct command *cmd, char **cause);
/* Frees cmd->list. */
void command_free_list(struct command *cmd);
/* /session (command_session.c): 0, or -1 with *cause. */
int command_parse_session(const char *p, struct command *cmd, char **cause);
/* Parses the DAY of /schedule and /filter day into cmd; 0, or -1 when it is not a day. */
int command_day(const char *s, struct command *cmd);
/* The finding-your-way commands (command_agenda.c): as command_parse_mod(). */
int command_parse_agenda(const char *name, const char *p, struct command *cmd, char **cause);

#endif
