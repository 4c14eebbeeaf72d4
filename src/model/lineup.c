/* lineup.c: the main-stage lineup of lightning talks and pitches. */
#include <string.h>

#include "model/lineup.h"
#include "util/xalloc.h"

/* Wire name of a kind. */
const char *
lineup_kind_name(enum lineup_kind kind)
{
	return kind == LK_PITCH ? "pitch" : "talk";
}

/* Kind for a wire name; 0, or -1 when unknown. */
int
lineup_kind_parse(const char *name, enum lineup_kind *kind)
{
	if (name == NULL)
		return -1;
	if (strcmp(name, "talk") == 0)
		*kind = LK_TALK;
	else if (strcmp(name, "pitch") == 0)
		*kind = LK_PITCH;
	else
		return -1;
	return 0;
}

/* Speaking time of a kind, ms. */
int64_t
lineup_kind_duration(enum lineup_kind kind)
{
	return kind == LK_PITCH ? LINEUP_PITCH_MS : LINEUP_TALK_MS;
}

/* Speaking time of an item, ms. */
int64_t
lineup_item_duration(const struct lineup_item *it)
{
	return it->duration_ms > 0 ? it->duration_ms : lineup_kind_duration(it->kind);
}

/* Fills it from title, speaker and kind. */
void
lineup_item_set(struct lineup_item *it, const char *title, const char *speaker,
    enum lineup_kind kind)
{
	memset(it, 0, sizeof *it);
	strlcpy_cf(it->title, title != NULL ? title : "", sizeof it->title);
	strlcpy_cf(it->speaker, speaker != NULL ? speaker : "", sizeof it->speaker);
	it->kind = kind;
}

/* "Speaker: Title" or the title; a new string. */
char *
lineup_item_label(const struct lineup_item *it)
{
	if (it->speaker[0] == '\0')
		return xstrdup(it->title);
	return xasprintf("%s: %s", it->speaker, it->title);
}

/* Moves item from to position to. */
void
lineup_move(struct lineup_item *v, size_t n, size_t from, size_t to)
{
	struct lineup_item tmp;

	if (from >= n || to >= n || from == to)
		return;
	tmp = v[from];
	if (from < to)
		memmove(&v[from], &v[from + 1], (to - from) * sizeof *v);
	else
		memmove(&v[to + 1], &v[to], (from - to) * sizeof *v);
	v[to] = tmp;
}
