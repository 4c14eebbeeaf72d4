/* agenda.c: the starred sessions of one hub, their file, overlaps and reminders. Messages
 * are for the log only, so they are not translated. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "find/agenda.h"
#include "util/files.h"
#include "util/xalloc.h"

/* One star; reminded: the start (ms) of the session when its reminder was given, or
 * INT64_MIN. */
struct star {
	char *id;
	int64_t reminded;
};

struct agenda {
	char *path;
	struct star *stars;
	size_t n;
};

/* A new agenda kept at path (or in memory). */
struct agenda *
agenda_create(const char *path)
{
	struct agenda *a = xcalloc(1, sizeof *a);

	a->path = path != NULL ? xstrdup(path) : NULL;
	return a;
}

/* Frees a (safe on NULL). */
void
agenda_free(struct agenda *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++)
		free(a->stars[i].id);
	free(a->stars);
	free(a->path);
	free(a);
}

/* The index of id's star, or -1. */
static long
agenda_find(const struct agenda *a, const char *id)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (strcmp(a->stars[i].id, id) == 0)
			return (long)i;
	return -1;
}

/* True when id is starred. */
bool
agenda_has(const struct agenda *a, const char *id)
{
	return a != NULL && id != NULL && agenda_find(a, id) >= 0;
}

/* Stars id. */
int
agenda_add(struct agenda *a, const char *id)
{
	if (agenda_find(a, id) >= 0)
		return 0;
	if (a->n >= AGENDA_MAX_STARS)
		return -1;
	a->stars = xreallocarray(a->stars, a->n + 1, sizeof *a->stars);
	a->stars[a->n].id = xstrdup(id);
	a->stars[a->n].reminded = INT64_MIN;
	a->n++;
	return 1;
}

/* Unstars id. */
int
agenda_remove(struct agenda *a, const char *id)
{
	long i = agenda_find(a, id);

	if (i < 0)
		return 0;
	free(a->stars[i].id);
	memmove(&a->stars[i], &a->stars[i + 1], (a->n - (size_t)i - 1) * sizeof *a->stars);
	a->n--;
	return 1;
}

/* Number of stars. */
size_t
agenda_count(const struct agenda *a)
{
	return a != NULL ? a->n : 0;
}

/* Reads the file. */
int
agenda_load(struct agenda *a, char **cause)
{
	char *data;
	size_t len = 0, i;
	json_t *root, *stars, *v;
	json_error_t jerr;

	*cause = NULL;
	if (a->path == NULL)
		return 0;
	data = files_read(a->path, AGENDA_MAX_FILE, &len, NULL);
	if (data == NULL) {
		if (errno == ENOENT)
			return 0;
		*cause = xasprintf("%s: %s", a->path, strerror(errno));
		return -1;
	}
	root = json_loadb(data, len, 0, &jerr);
	free(data);
	stars = root != NULL ? json_object_get(root, "stars") : NULL;
	if (!json_is_array(stars)) {
		*cause = root == NULL ? xasprintf("%s:%d: %s", a->path, jerr.line, jerr.text) :
		    xasprintf("%s: no \"stars\" list", a->path);
		json_decref(root);
		return -1;
	}
	json_array_foreach(stars, i, v) {
		if (json_is_string(v) && json_string_length(v) > 0 &&
		    json_string_length(v) <= PROGRAM_MAX_GUID)
			agenda_add(a, json_string_value(v));
	}
	json_decref(root);
	return 0;
}

/* Writes the file. */
int
agenda_save(const struct agenda *a, char **cause)
{
	json_t *root, *stars = json_array();
	char *data, *slash, *dir;
	size_t i;
	int rc;

	*cause = NULL;
	if (a->path == NULL) {
		json_decref(stars);
		return 0;
	}
	for (i = 0; i < a->n; i++)
		json_array_append_new(stars, json_string(a->stars[i].id));
	root = json_pack("{s:o}", "stars", stars);
	data = json_dumps(root, JSON_INDENT(1));
	json_decref(root);
	dir = xstrdup(a->path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		(void)files_mkdirs(dir);
	}
	free(dir);
	rc = data != NULL ? files_replace(a->path, data, strlen(data)) : -1;
	if (rc != 0)
		*cause = xasprintf("%s: %s", a->path, strerror(errno));
	free(data);
	return rc;
}

/* The starred sessions of p in program order. */
size_t
agenda_sessions(const struct agenda *a, const struct program *p,
    const struct session **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; p != NULL && i < p->nsessions && n < max; i++)
		if (agenda_has(a, p->sessions[i].id))
			out[n++] = &p->sessions[i];
	return n;
}

/* True when x and y share time. */
bool
agenda_overlap(const struct session *x, const struct session *y)
{
	return x->start_ms < y->end_ms && y->start_ms < x->end_ms;
}

/* Flags the sessions that overlap another one: ss is sorted by start, so a session can
 * only overlap the ones after it until one starts at or after its end. */
size_t
agenda_overlaps(const struct session *const *ss, size_t n, bool *flags)
{
	size_t i, j, count = 0;

	for (i = 0; i < n; i++)
		flags[i] = false;
	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n && ss[j]->start_ms < ss[i]->end_ms; j++) {
			if (agenda_overlap(ss[i], ss[j]))
				flags[i] = flags[j] = true;
		}
	}
	for (i = 0; i < n; i++)
		count += flags[i];
	return count;
}

/* The star of session s when a reminder for it is pending (not yet given for its
 * current start), else NULL. */
static struct star *
agenda_pending(const struct agenda *a, const struct session *s)
{
	long i = agenda_find(a, s->id);

	if (i < 0 || a->stars[i].reminded == s->start_ms)
		return NULL;
	return &a->stars[i];
}

/* The next reminder that is due now, marked given. */
const struct session *
agenda_due(struct agenda *a, const struct program *p, int64_t now, int64_t remind_ms)
{
	size_t i;
	struct star *st;
	const struct session *s;

	if (a == NULL || p == NULL || remind_ms <= 0)
		return NULL;
	for (i = 0; i < p->nsessions; i++) {
		s = &p->sessions[i];
		if (s->start_ms <= now || s->start_ms - remind_ms > now)
			continue;
		if ((st = agenda_pending(a, s)) == NULL)
			continue;
		st->reminded = s->start_ms;
		return s;
	}
	return NULL;
}

/* Ms until the next reminder is due, or -1. */
int64_t
agenda_next_due(const struct agenda *a, const struct program *p, int64_t now,
    int64_t remind_ms)
{
	size_t i;
	int64_t at, best = -1;
	const struct session *s;

	if (a == NULL || p == NULL || remind_ms <= 0 || a->n == 0)
		return -1;
	for (i = 0; i < p->nsessions; i++) {
		s = &p->sessions[i];
		if (s->start_ms <= now || agenda_pending(a, s) == NULL)
			continue;
		at = s->start_ms - remind_ms - now;
		if (at < 0)
			at = 0;
		if (best < 0 || at < best)
			best = at;
	}
	return best;
}
