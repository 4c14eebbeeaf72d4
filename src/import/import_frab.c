/* import_frab.c: frab / c3voc / pretalx "schedule.json": schedule.conference (title,
 * time_zone_name) and its days, each with rooms that list their events. Problems are
 * named by their JSON path, e.g. schedule.conference.days[1].rooms["Saal 1"][3].date. */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import_int.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

/* Reads member key of obj as text into *out (new string; NULL when absent or null):
 * strings as they are, numbers written out (exports write ids both ways). Anything else
 * is an error at path.key. */
static int
import_frab_str(struct import_ctx *ctx, const json_t *obj, const char *key,
    const char *path, char **out)
{
	const json_t *v = json_object_get(obj, key);
	char *where;

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_string(v))
		*out = xstrdup(json_string_value(v));
	else if (json_is_integer(v))
		*out = xasprintf("%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		*out = xasprintf("%.15g", json_real_value(v));
	else {
		where = xasprintf("%s.%s", path, key);
		import_ctx_fail_path(ctx, where, "%s", _("not a string"));
		free(where);
		return -1;
	}
	return 0;
}

/* The name of a person in any of the shapes exports use: a string, or an object with
 * public_name, name, full_public_name or full_name. NULL when there is none. */
static const char *
import_frab_person(const json_t *p)
{
	static const char *const keys[] = {
		"public_name", "name", "full_public_name", "full_name"
	};
	const json_t *v;
	size_t i;

	if (json_is_string(p))
		return json_string_value(p);
	for (i = 0; json_is_object(p) && i < sizeof keys / sizeof keys[0]; i++) {
		v = json_object_get(p, keys[i]);
		if (json_is_string(v) && json_string_length(v) > 0)
			return json_string_value(v);
	}
	return NULL;
}

/* Reads the persons and links of an event (arrays or null; members of other shapes are
 * passed over). */
static int
import_frab_lists(struct import_ctx *ctx, const json_t *obj, const char *path,
    struct import_event *ev)
{
	const json_t *v, *e, *url, *title;
	const char *name;
	char *where, *line;
	size_t i;

	v = json_object_get(obj, "persons");
	if (v != NULL && !json_is_null(v) && !json_is_array(v)) {
		where = xasprintf("%s.persons", path);
		import_ctx_fail_path(ctx, where, "%s", _("not an array"));
		free(where);
		return -1;
	}
	json_array_foreach(v, i, e) {
		if ((name = import_frab_person(e)) != NULL)
			import_ctx_strv_add(&ev->persons, &ev->npersons, name);
	}
	v = json_object_get(obj, "links");
	if (!json_is_array(v))
		return 0;
	json_array_foreach(v, i, e) {
		url = json_is_object(e) ? json_object_get(e, "url") : e;
		title = json_is_object(e) ? json_object_get(e, "title") : NULL;
		if (!json_is_string(url) || json_string_length(url) == 0)
			continue;
		if (json_is_string(title) && json_string_length(title) > 0 &&
		    strcmp(json_string_value(title), json_string_value(url)) != 0)
			line = xasprintf("%s (%s)", json_string_value(title),
			    json_string_value(url));
		else
			line = xstrdup(json_string_value(url));
		import_ctx_strv_add(&ev->links, &ev->nlinks, line);
		free(line);
	}
	return 0;
}

/* Reads one event (at path, in room, of day) and adds it. */
static int
import_frab_event(struct import_ctx *ctx, const json_t *obj, const char *path,
    const char *room, int day)
{
	struct import_event ev;
	const struct {
		const char *key;
		size_t off;
	} fields[] = {
		{ "guid", offsetof(struct import_event, guid) },
		{ "id", offsetof(struct import_event, id) },
		{ "code", offsetof(struct import_event, code) },
		{ "slug", offsetof(struct import_event, slug) },
		{ "title", offsetof(struct import_event, title) },
		{ "subtitle", offsetof(struct import_event, subtitle) },
		{ "type", offsetof(struct import_event, type) },
		{ "track", offsetof(struct import_event, track) },
		{ "room", offsetof(struct import_event, location) },
		{ "url", offsetof(struct import_event, url) },
		{ "abstract", offsetof(struct import_event, abstract) },
		{ "description", offsetof(struct import_event, description) },
		{ "date", offsetof(struct import_event, date) },
		{ "start", offsetof(struct import_event, start) },
		{ "duration", offsetof(struct import_event, duration) },
		{ "end", offsetof(struct import_event, end) },
	};
	const json_t *track = json_object_get(obj, "track");
	size_t i;
	int rc = -1;

	memset(&ev, 0, sizeof ev);
	ev.style = IMPORT_STYLE_JSON;
	ev.where = path;
	ev.day = day;
	if (!json_is_object(obj)) {
		import_ctx_fail_path(ctx, path, "%s", _("not an object"));
		return -1;
	}
	/* pretalx writes the track as an object in some versions */
	if (json_is_object(track) && json_is_string(json_object_get(track, "name")))
		ev.track = xstrdup(json_string_value(json_object_get(track, "name")));
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		char **field = (char **)(void *)((char *)&ev + fields[i].off);

		if (*field == NULL && import_frab_str(ctx, obj, fields[i].key, path, field) != 0)
			goto out;
	}
	if (ev.location == NULL || *ev.location == '\0') {
		free(ev.location);
		ev.location = xstrdup(room);
	}
	if (import_frab_lists(ctx, obj, path, &ev) != 0)
		goto out;
	rc = import_ctx_add_event(ctx, &ev);
out:
	import_ctx_event_clear(&ev);
	return rc;
}

/* Reads a date-time member of a day (an offset, or local time): 0 and *has set when
 * present, -1 after failing. */
static int
import_frab_day_time(struct import_ctx *ctx, const json_t *day, const char *key,
    const char *path, int *has, int64_t *ms, struct import_civil *c)
{
	const json_t *v = json_object_get(day, key);
	char *where, *safe;

	*has = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v) || import_time_datetime(json_string_value(v), c) != 0 ||
	    (c->has_time && import_time_civil_ms(c, import_ctx_zone(ctx), ms) != 0)) {
		where = xasprintf("%s.%s", path, key);
		safe = sanitize_str(json_is_string(v) ? json_string_value(v) : "");
		import_ctx_fail_path(ctx, where, _("\"%.60s\" is not a date or a date and time "
		    "(ISO 8601)"), safe);
		free(safe);
		free(where);
		return -1;
	}
	*has = 1;
	return 0;
}

/* Reads day number i (at path) and the events of its rooms. */
static int
import_frab_day(struct import_ctx *ctx, const json_t *day, const char *path)
{
	struct import_civil date, start;
	const json_t *rooms, *events, *e;
	const char *room;
	char *rpath, *epath, *safe, *s, *w;
	int has_date, has_start, idx;
	int64_t start_ms = 0, unused;
	size_t j;

	if (!json_is_object(day)) {
		import_ctx_fail_path(ctx, path, "%s", _("not an object"));
		return -1;
	}
	if (import_frab_day_time(ctx, day, "date", path, &has_date, &unused, &date) != 0 ||
	    import_frab_day_time(ctx, day, "day_start", path, &has_start, &start_ms,
	    &start) != 0)
		return -1;
	has_start = has_start && start.has_time;
	idx = import_ctx_add_day(ctx, has_date ? date.y : 0, date.mo, date.d, has_start,
	    start_ms);
	rooms = json_object_get(day, "rooms");
	if (rooms == NULL || json_is_null(rooms))
		return 0;
	if (!json_is_object(rooms)) {
		rpath = xasprintf("%s.rooms", path);
		import_ctx_fail_path(ctx, rpath, "%s", _("not an object"));
		free(rpath);
		return -1;
	}
	json_object_foreach((json_t *)(uintptr_t)rooms, room, events) {
		/* the room's name in the path as a JSON string: quotes escaped, controls shown */
		safe = sanitize_str(room);
		s = xmalloc(2 * strlen(safe) + 1);
		for (j = 0, w = s; safe[j] != '\0'; j++) {
			if (safe[j] == '"' || safe[j] == '\\')
				*w++ = '\\';
			*w++ = safe[j];
		}
		*w = '\0';
		rpath = xasprintf("%s.rooms[\"%s\"]", path, s);
		free(s);
		free(safe);
		if (events != NULL && !json_is_null(events) && !json_is_array(events)) {
			import_ctx_fail_path(ctx, rpath, "%s", _("not an array"));
			free(rpath);
			return -1;
		}
		json_array_foreach(events, j, e) {
			epath = xasprintf("%s[%zu]", rpath, j);
			if (import_frab_event(ctx, e, epath, room, idx) != 0) {
				free(epath);
				free(rpath);
				return -1;
			}
			free(epath);
		}
		free(rpath);
	}
	return 0;
}

/* Reads a schedule.json. */
int
import_frab_read(struct import_ctx *ctx, const json_t *root)
{
	const json_t *sched, *conf, *days, *day, *tz;
	char *title = NULL, *path;
	size_t i;

	sched = json_object_get(root, "schedule");
	if (!json_is_object(sched)) {
		import_ctx_fail_path(ctx, "schedule", "%s", _("not an object"));
		return -1;
	}
	conf = json_object_get(sched, "conference");
	if (!json_is_object(conf)) {
		import_ctx_fail_path(ctx, "schedule.conference", "%s", _("missing or not an "
		    "object"));
		return -1;
	}
	if (import_frab_str(ctx, conf, "title", "schedule.conference", &title) != 0)
		return -1;
	if (title == NULL && import_frab_str(ctx, conf, "acronym", "schedule.conference",
	    &title) != 0)
		return -1;
	import_ctx_set_title(ctx, title);
	free(title);
	tz = json_object_get(conf, "time_zone_name");
	if (tz != NULL && !json_is_null(tz) && !json_is_string(tz)) {
		import_ctx_fail_path(ctx, "schedule.conference.time_zone_name", "%s",
		    _("not a string"));
		return -1;
	}
	if (import_ctx_set_zone(ctx, json_is_string(tz) ? json_string_value(tz) : NULL,
	    "schedule.conference.time_zone_name") != 0)
		return -1;
	days = json_object_get(conf, "days");
	if (!json_is_array(days)) {
		import_ctx_fail_path(ctx, "schedule.conference.days", "%s", _("missing or not "
		    "an array"));
		return -1;
	}
	json_array_foreach(days, i, day) {
		path = xasprintf("schedule.conference.days[%zu]", i);
		if (import_frab_day(ctx, day, path) != 0) {
			free(path);
			return -1;
		}
		free(path);
	}
	return 0;
}
