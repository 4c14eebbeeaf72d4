/* import_kinds.h: the kind of an imported session (talk, panel, lightning talks, pitches,
 * open discussion, break), from words of its type, track and title.
 *
 * A mapping is a list of rules, one per line of a small text file (doc/PROGRAM.md,
 * "Kinds"):
 *
 *     # FIELD WORDS... -> KIND
 *     type  lightning*        -> lightning
 *     title open discussion   -> discussion
 *     any   fishbowl          -> discussion
 *
 * FIELD is type, track, title or any; the words must follow each other as whole words
 * of the field, compared without case; a word ending in '*' matches any word it begins.
 * The first rule that matches decides: the file's rules, then the built-in ones; a
 * session that no rule matches is a talk. */
#ifndef CONFAB_IMPORT_KINDS_H
#define CONFAB_IMPORT_KINDS_H

#include <stddef.h>

#include "model/program.h"

struct import_kinds;

/* Reads a kinds file. Returns a new mapping, or NULL with *cause set to a new string
 * ("FILE:LINE: problem", or "FILE: reason" when it cannot be read). */
struct import_kinds *import_kinds_load(const char *path, char **cause);

/* Parses kinds rules from text[0..len); name is used in messages. As import_kinds_load. */
struct import_kinds *import_kinds_parse(const char *text, size_t len, const char *name,
    char **cause);

/* Frees a mapping; safe on NULL. */
void import_kinds_free(struct import_kinds *k);

/* The kind of a session with these fields (each may be NULL): the first matching rule of
 * k (may be NULL), then of the built-in mapping; SK_TALK when none matches. */
enum session_kind import_kinds_classify(const struct import_kinds *k, const char *type,
    const char *track, const char *title);

/* The built-in mapping, in the file format (borrowed, static). */
const char *import_kinds_builtin(void);

#endif
