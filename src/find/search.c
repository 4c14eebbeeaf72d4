/* search.c: /search over a program's sessions and the schedule view's filters. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "find/fold.h"
#include "find/search.h"
#include "util/xalloc.h"

/* True when session s matches the folded query in any of its texts. */
bool
search_session_matches(const struct session *s, const char *query)
{
	size_t i;

	if (fold_contains(s->title, query) || fold_contains(s->track, query) ||
	    fold_contains(s->location, query) || fold_contains(s->room, query))
		return true;
	for (i = 0; i < s->nspeakers; i++)
		if (fold_contains(s->speakers[i], query))
			return true;
	return fold_contains(s->description, query);
}

/* The sessions of p matching text. */
size_t
search_program(const struct program *p, const char *text, const struct session **out,
    size_t max)
{
	char *q = fold_text(text);
	size_t i, n = 0;

	for (i = 0; p != NULL && i < p->nsessions; i++) {
		if (!search_session_matches(&p->sessions[i], q))
			continue;
		if (n < max)
			out[n] = &p->sessions[i];
		n++;
	}
	free(q);
	return n;
}

/* True when s passes the filters of f. */
bool
search_filter_pass(const struct program *p, const struct session *s,
    const struct search_filter *f)
{
	if (f == NULL)
		return true;
	if (f->day >= 0 && program_day_index(p, s) != f->day)
		return false;
	if (f->track != NULL && (s->track == NULL || !fold_contains(s->track, f->track)))
		return false;
	if (f->room != NULL && !fold_contains(s->location, f->room) &&
	    !fold_contains(s->room, f->room))
		return false;
	return true;
}

/* True when a filter is set. */
bool
search_filter_active(const struct search_filter *f)
{
	return f != NULL && (f->day >= 0 || f->track != NULL || f->room != NULL);
}

/* Sets or clears the track or room filter. */
void
search_filter_set(struct search_filter *f, char which, const char *value)
{
	char **slot = which == 't' ? &f->track : &f->room;

	free(*slot);
	*slot = value != NULL ? fold_text(value) : NULL;
}

/* Clears every filter. */
void
search_filter_clear(struct search_filter *f)
{
	free(f->track);
	free(f->room);
	f->track = f->room = NULL;
	f->day = -1;
}

/* The distinct tracks or locations of p, in program order. */
size_t
search_distinct(const struct program *p, char which, const char **out, size_t max)
{
	size_t i, j, n = 0;
	const char *v;

	for (i = 0; p != NULL && i < p->nsessions && n < max; i++) {
		v = which == 't' ? p->sessions[i].track : p->sessions[i].location;
		if (v == NULL || v[0] == '\0')
			continue;
		for (j = 0; j < n && strcmp(out[j], v) != 0; j++)
			;
		if (j == n)
			out[n++] = v;
	}
	return n;
}
