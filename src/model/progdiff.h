/* progdiff.h: what changed between two versions of a program (a reload, a facilitator's
 * live change), and the "program.changes" event that carries it (doc/PROTOCOL.md 7.7.2).
 *
 * Sessions are matched by id: a session of the old program whose id the new one lacks was
 * removed, one whose id is new was added, and one whose wire form differs was changed
 * (moved in time or place, retitled, delayed, live...). The hub computes the changes,
 * sends them as one event, and the client applies the event to its copy; both front ends
 * show the same list. No lws, no curses. */
#ifndef CONFAB_PROGDIFF_H
#define CONFAB_PROGDIFF_H

#include <jansson.h>
#include <stddef.h>

#include "model/program.h"

enum program_change_kind { PC_ADDED = 0, PC_REMOVED, PC_CHANGED };

/* One change: old is NULL for an added session, new_ NULL for a removed one (both
 * borrowed from the programs compared). */
struct program_change {
	enum program_change_kind kind;
	const struct session *old;
	const struct session *new_;
};

/* The changes from old to new_: removed ones in old's order, then added and changed ones
 * in new_'s order. Returns how many and sets *out to a new array (free() it; NULL when
 * there are none). */
size_t program_changes(const struct program *old, const struct program *new_,
    struct program_change **out);

/* The body of a "program.changes" event from old to new_ (a new reference: "from",
 * "version", "title", "timezone", "days" when new_ has them, "added", "changed" (session
 * objects) and "removed" (ids)), or NULL when the programs are the same. */
json_t *program_diff_json(const struct program *old, const struct program *new_);

/* Applies a "program.changes" body (borrowed) to old: a new program, or NULL with *cause (a
 * new string) when the event does not start from old's version, names sessions old does
 * not have (or has already), or does not give the version it announces. */
struct program *program_diff_apply(const struct program *old, const json_t *diff,
    char **cause);

#endif
