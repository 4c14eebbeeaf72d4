/* search.h: finding sessions of a program: /search over their text, and the filters of the
 * schedule view (day, track, room). No ICU in the interface: see fold.h for matching. */
#ifndef CONFAB_SEARCH_H
#define CONFAB_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "model/program.h"

/* The longest search text or filter value, in bytes. */
#define SEARCH_MAX_QUERY 200

/* The schedule view's filters; each one that is set must match. */
struct search_filter {
	int day;       /* index into program_days(), or -1: every day */
	char *track;   /* folded text that the session's track contains, or NULL */
	char *room;    /* folded text that its location (hall) or chat room contains, or
	                * NULL */
};

/* True when session s of p matches query (already folded: fold_text()) in its title,
 * speakers, track, location, chat room or description. */
bool search_session_matches(const struct session *s, const char *query);

/* The sessions of p that match text (folded here), in program order: at most max go to
 * out; returns how many match in all (possibly more than max). */
size_t search_program(const struct program *p, const char *text,
    const struct session **out, size_t max);

/* True when s (of p) passes every filter of f that is set. */
bool search_filter_pass(const struct program *p, const struct session *s,
    const struct search_filter *f);

/* True when any filter of f is set. */
bool search_filter_active(const struct search_filter *f);

/* Sets f's track (which: 't') or room ('r') filter to value folded, or clears it
 * (value NULL). */
void search_filter_set(struct search_filter *f, char which, const char *value);

/* Frees f's strings and clears every filter (day -1). */
void search_filter_clear(struct search_filter *f);

/* The distinct tracks (which: 't') or locations ('r') of p in program order, borrowed
 * from p: at most max go to out; returns their number. */
size_t search_distinct(const struct program *p, char which, const char **out, size_t max);

#endif
