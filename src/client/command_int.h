/* command_int.h: the word helpers of the command parser, shared by its files (command.c,
 * command_mod.c); not for use elsewhere. */
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
/* The moderation commands (command_mod.c): 0 or -1 as command_parse(), or 1 when name is
 * not one of them. */
int command_parse_mod(const char *name, const char *p, struct command *cmd, char **cause);

#endif
