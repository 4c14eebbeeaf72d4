/* program.c: the conference program: load and check it from JSON, write it back in the
 * wire form, and answer schedule questions (current, next, days). */

#include <inttypes.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/program.h"
#include "util/files.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/sat.h"
#include "util/tztime.h"
#include "util/xalloc.h"

#define PROGRAM_FORMAT "confab-program-1"
#define PROGRAM_MAX_FILE (4 * 1024 * 1024)
#define PROGRAM_MAX_ID 32
#define PROGRAM_DAY_MS (24LL * 3600 * 1000)

static const char *const program_kind_names[SK__COUNT] = {
	"panel", "talk", "lightning", "pitches", "discussion", "break"
};

static const char *const program_kind_labels[SK__COUNT] = {
	N_("panel"), N_("talk"), N_("lightning talks"), N_("pitches"),
	N_("open discussion"), N_("break")
};

/* Wire name of kind. */
const char *
session_kind_name(enum session_kind kind)
{
	if ((int)kind < 0 || kind >= SK__COUNT)
		return "panel";
	return program_kind_names[kind];
}

/* Translated display label of kind. */
const char *
session_kind_label(enum session_kind kind)
{
	if ((int)kind < 0 || kind >= SK__COUNT)
		kind = SK_PANEL;
	return _(program_kind_labels[kind]);
}

/* Parses a wire kind name. */
int
session_kind_parse(const char *name, enum session_kind *kind)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < SK__COUNT; i++) {
		if (strcmp(name, program_kind_names[i]) == 0) {
			*kind = (enum session_kind)i;
			return 0;
		}
	}
	return -1;
}

/* True when s is a valid session id: [a-z0-9_-], 1..32 bytes. */
static int
program_id_ok(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > PROGRAM_MAX_ID)
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == len;
}

/* True when s is a valid chat room id: [a-z0-9_-], 1..32 bytes, first alphanumeric. */
static int
program_room_ok(const char *s)
{
	if (!program_id_ok(s))
		return 0;
	return (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9');
}

/* Sets *cause to "where: message" (just the message when where is NULL). */
static void
program_error(char **cause, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void
program_error(char **cause, const char *where, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (cause == NULL)
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (where == NULL) {
		*cause = msg;
		return;
	}
	*cause = xasprintf("%s: %s", where, msg);
	free(msg);
}

/* Frees the contents of one session and zeroes it. */
void
program_session_clear(struct session *s)
{
	size_t i;

	free(s->id);
	free(s->title);
	free(s->description);
	for (i = 0; i < s->nspeakers; i++)
		free(s->speakers[i]);
	free(s->speakers);
	free(s->room);
	free(s->guid);
	free(s->location);
	free(s->track);
	free(s->url);
	memset(s, 0, sizeof *s);
}

/* Frees a program; safe on NULL. */
void
program_free(struct program *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nsessions; i++)
		program_session_clear(&p->sessions[i]);
	free(p->sessions);
	free(p->days);
	free(p->title);
	free(p->timezone);
	free(p->version);
	free(p);
}

/* Reads a time: an ISO 8601 string with an offset, or integer UTC ms. */
static int
program_parse_time(const json_t *v, int64_t *ms)
{
	json_int_t i;

	if (json_is_string(v)) {
		if (iso8601_parse(json_string_value(v), ms) != 0)
			return -1;
	} else if (json_is_integer(v)) {
		i = json_integer_value(v);
		*ms = (int64_t)i;
	} else
		return -1;
	/* 1970-01-01 .. 9999-12-31, so that arithmetic cannot overflow */
	if (!sat_time_ok(*ms))
		return -1;
	return 0;
}

/* Checks and copies an optional string field of at most max bytes (NULL when absent or
 * null). */
static int
program_opt_string(const json_t *obj, const char *key, size_t max, const char *where,
    char **out, char **cause)
{
	const json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		program_error(cause, where, _("%s: not a string"), key);
		return -1;
	}
	if (json_string_length(v) > max) {
		program_error(cause, where, _("%s: longer than %zu bytes"), key, max);
		return -1;
	}
	if (strlen(json_string_value(v)) != json_string_length(v)) {
		program_error(cause, where, _("%s: contains a NUL character"), key);
		return -1;
	}
	*out = xstrdup(json_string_value(v));
	return 0;
}

/* Checks and copies a required, non-empty string field of at most max bytes. */
static int
program_req_string(const json_t *obj, const char *key, size_t max, const char *where,
    char **out, char **cause)
{
	const json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		program_error(cause, where, _("%s: missing"), key);
		return -1;
	}
	if (json_is_null(v)) {
		program_error(cause, where, _("%s: not a string"), key);
		return -1;
	}
	if (program_opt_string(obj, key, max, where, out, cause) != 0)
		return -1;
	if (**out == '\0') {
		free(*out);
		*out = NULL;
		program_error(cause, where, _("%s: empty"), key);
		return -1;
	}
	return 0;
}

/* Reads the optional text members of an imported session (guid, location, track, url);
 * an empty string counts as absent. */
static int
program_parse_extras(const json_t *obj, struct session *s, const char *where, char **cause)
{
	static const struct {
		const char *key;
		size_t max;
		size_t off;
	} extras[] = {
		{ "guid", PROGRAM_MAX_GUID, offsetof(struct session, guid) },
		{ "location", PROGRAM_MAX_LOCATION, offsetof(struct session, location) },
		{ "track", PROGRAM_MAX_TRACK, offsetof(struct session, track) },
		{ "url", PROGRAM_MAX_URL, offsetof(struct session, url) },
	};
	char **field;
	size_t i;

	for (i = 0; i < sizeof extras / sizeof extras[0]; i++) {
		field = (char **)(void *)((char *)s + extras[i].off);
		if (program_opt_string(obj, extras[i].key, extras[i].max, where, field,
		    cause) != 0)
			return -1;
		if (*field != NULL && **field == '\0') {
			free(*field);
			*field = NULL;
		}
	}
	return 0;
}

/* Reads the speakers array of a session. */
static int
program_parse_speakers(const json_t *obj, struct session *s, const char *where, char **cause)
{
	const json_t *v = json_object_get(obj, "speakers"), *e;
	size_t i, n;

	if (v == NULL)
		return 0;
	if (!json_is_array(v)) {
		program_error(cause, where, _("speakers: not an array"));
		return -1;
	}
	n = json_array_size(v);
	if (n > PROGRAM_MAX_SPEAKERS) {
		program_error(cause, where, _("speakers: more than %d speakers"),
		    PROGRAM_MAX_SPEAKERS);
		return -1;
	}
	s->speakers = xcalloc(n, sizeof *s->speakers);
	for (i = 0; i < n; i++) {
		e = json_array_get(v, i);
		if (!json_is_string(e) || json_string_length(e) == 0 ||
		    strlen(json_string_value(e)) != json_string_length(e)) {
			program_error(cause, where, _("speakers[%zu]: not a non-empty string"), i);
			return -1;
		}
		if (json_string_length(e) > PROGRAM_MAX_SPEAKER) {
			program_error(cause, where, _("speakers[%zu]: longer than %d bytes"), i,
			    PROGRAM_MAX_SPEAKER);
			return -1;
		}
		s->speakers[i] = xstrdup(json_string_value(e));
		s->nspeakers++;
	}
	return 0;
}

/* Reads session number idx from obj into s (which starts zeroed). */
static int
program_parse_session(const json_t *obj, size_t idx, struct session *s, char **cause)
{
	const json_t *v;
	char *where, *safe;
	int rc = -1;

	where = xasprintf("sessions[%zu]", idx);
	if (!json_is_object(obj)) {
		program_error(cause, where, _("not an object"));
		goto out;
	}
	v = json_object_get(obj, "id");
	if (v == NULL) {
		program_error(cause, where, _("id: missing"));
		goto out;
	}
	if (!json_is_string(v)) {
		program_error(cause, where, _("id: not a string"));
		goto out;
	}
	if (strlen(json_string_value(v)) != json_string_length(v) ||
	    !program_id_ok(json_string_value(v))) {
		safe = sanitize_str(json_string_value(v));
		program_error(cause, where,
		    _("id: \"%s\" is not 1 to %d characters from a-z, 0-9, '_' and '-'"), safe,
		    PROGRAM_MAX_ID);
		free(safe);
		goto out;
	}
	s->id = xstrdup(json_string_value(v));
	free(where);
	where = xasprintf("sessions[%zu] (\"%s\")", idx, s->id);

	if (program_req_string(obj, "title", PROGRAM_MAX_TITLE, where, &s->title, cause) != 0)
		goto out;

	v = json_object_get(obj, "kind");
	if (v == NULL || !json_is_string(v)) {
		program_error(cause, where, _("kind: missing or not a string"));
		goto out;
	}
	if (session_kind_parse(json_string_value(v), &s->kind) != 0) {
		safe = sanitize_str(json_string_value(v));
		program_error(cause, where, _("kind: unknown kind \"%s\" (expected panel, talk, "
		    "lightning, pitches, discussion or break)"), safe);
		free(safe);
		goto out;
	}

	v = json_object_get(obj, "start");
	if (v == NULL) {
		program_error(cause, where, _("start: missing"));
		goto out;
	}
	if (program_parse_time(v, &s->start_ms) != 0) {
		program_error(cause, where, _("start: not a time (an ISO 8601 string with an "
		    "offset such as \"2020-10-12T10:00:00-04:00\", or UTC milliseconds)"));
		goto out;
	}
	v = json_object_get(obj, "end");
	if (v == NULL) {
		program_error(cause, where, _("end: missing"));
		goto out;
	}
	if (program_parse_time(v, &s->end_ms) != 0) {
		program_error(cause, where, _("end: not a time (an ISO 8601 string with an "
		    "offset such as \"2020-10-12T12:00:00-04:00\", or UTC milliseconds)"));
		goto out;
	}
	if (s->end_ms < s->start_ms) {
		program_error(cause, where, _("end is before start"));
		goto out;
	}
	if (s->end_ms == s->start_ms) {
		program_error(cause, where, _("end is the same as start"));
		goto out;
	}

	if (program_opt_string(obj, "description", PROGRAM_MAX_DESCRIPTION, where,
	    &s->description, cause) != 0)
		goto out;
	if (s->description == NULL)
		s->description = xstrdup("");

	if (program_parse_speakers(obj, s, where, cause) != 0)
		goto out;

	v = json_object_get(obj, "room");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_string(v)) {
			program_error(cause, where, _("room: not a string or null"));
			goto out;
		}
		if (strlen(json_string_value(v)) != json_string_length(v) ||
		    !program_room_ok(json_string_value(v))) {
			safe = sanitize_str(json_string_value(v));
			program_error(cause, where, _("room: \"%s\" is not a valid room id (1 to "
			    "%d characters from a-z, 0-9, '_' and '-', starting with a letter or "
			    "digit)"), safe, PROGRAM_MAX_ID);
			free(safe);
			goto out;
		}
		s->room = xstrdup(json_string_value(v));
	}
	if (program_parse_extras(obj, s, where, cause) != 0)
		goto out;
	rc = 0;
out:
	free(where);
	return rc;
}

/* Orders sessions by start, then id. */
static int
program_cmp_session(const void *a, const void *b)
{
	const struct session *sa = a, *sb = b;

	if (sa->start_ms != sb->start_ms)
		return sa->start_ms < sb->start_ms ? -1 : 1;
	return strcmp(sa->id, sb->id);
}

/* A session's key (id or guid) and its index in the file, for finding duplicates. */
struct program_key {
	const char *key;
	size_t index;
};

/* Orders keys by text, then by index. */
static int
program_cmp_key(const void *a, const void *b)
{
	const struct program_key *ka = a, *kb = b;
	int c = strcmp(ka->key, kb->key);

	if (c != 0)
		return c;
	return ka->index < kb->index ? -1 : ka->index > kb->index;
}

/* Finds two sessions with the same string member at offset off (NULLs never clash):
 * returns 0 and sets *later to the index of the later one, or -1 when all differ. */
static int
program_find_duplicate(const struct program *p, size_t off, size_t *later)
{
	struct program_key *keys;
	const char *k;
	size_t i, n = 0;
	int rc = -1;

	keys = xcalloc(p->nsessions + 1, sizeof *keys);
	for (i = 0; i < p->nsessions; i++) {
		k = *(char *const *)(const void *)((const char *)&p->sessions[i] + off);
		if (k != NULL) {
			keys[n].key = k;
			keys[n++].index = i;
		}
	}
	qsort(keys, n, sizeof *keys, program_cmp_key);
	for (i = 1; i < n && rc != 0; i++) {
		if (strcmp(keys[i - 1].key, keys[i].key) == 0) {
			*later = keys[i].index;
			rc = 0;
		}
	}
	free(keys);
	return rc;
}

/* Returns a new reference: session s in the wire form. */
json_t *
program_session_to_json(const struct session *s)
{
	json_t *js = json_object(), *sp = json_array();
	size_t j;

	json_object_set_new(js, "id", json_string(s->id));
	json_object_set_new(js, "title", json_string(s->title));
	json_object_set_new(js, "kind", json_string(session_kind_name(s->kind)));
	json_object_set_new(js, "start", json_integer((json_int_t)s->start_ms));
	json_object_set_new(js, "end", json_integer((json_int_t)s->end_ms));
	json_object_set_new(js, "description",
	    json_string(s->description != NULL ? s->description : ""));
	for (j = 0; j < s->nspeakers; j++)
		json_array_append_new(sp, json_string(s->speakers[j]));
	json_object_set_new(js, "speakers", sp);
	json_object_set_new(js, "room", s->room != NULL ? json_string(s->room) : json_null());
	/* imported sessions only: older programs keep their wire form and version */
	if (s->guid != NULL)
		json_object_set_new(js, "guid", json_string(s->guid));
	if (s->location != NULL)
		json_object_set_new(js, "location", json_string(s->location));
	if (s->track != NULL)
		json_object_set_new(js, "track", json_string(s->track));
	if (s->url != NULL)
		json_object_set_new(js, "url", json_string(s->url));
	return js;
}

/* Builds the wire form, with or without the version field. */
static json_t *
program_build_json(const struct program *p, int with_version)
{
	json_t *obj, *arr;
	size_t i;

	obj = json_object();
	json_object_set_new(obj, "format", json_string(PROGRAM_FORMAT));
	json_object_set_new(obj, "title", json_string(p->title));
	json_object_set_new(obj, "timezone", json_string(p->timezone));
	arr = json_array();
	for (i = 0; i < p->nsessions; i++)
		json_array_append_new(arr, program_session_to_json(&p->sessions[i]));
	json_object_set_new(obj, "sessions", arr);
	if (p->ndays > 0) {
		arr = json_array();
		for (i = 0; i < p->ndays; i++)
			json_array_append_new(arr, json_integer((json_int_t)p->days[i]));
		json_object_set_new(obj, "days", arr);
	}
	if (with_version && p->version != NULL)
		json_object_set_new(obj, "version", json_string(p->version));
	return obj;
}

/* Recomputes p->version: FNV-1a 64 over the canonical wire JSON without the version. */
static void
program_update_version(struct program *p)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	json_t *obj;
	char *text;
	const unsigned char *c;

	obj = program_build_json(p, 0);
	text = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(obj);
	if (text == NULL) {
		fprintf(stderr, "confab: program_update_version: out of memory\n");
		abort();
	}
	for (c = (const unsigned char *)text; *c != '\0'; c++) {
		h ^= *c;
		h *= 0x100000001b3ULL;
	}
	free(text);
	free(p->version);
	p->version = xasprintf("%016" PRIx64, h);
}

/* Reads "HH:MM" (00:00 to 23:59) into minutes after midnight. */
static int
program_parse_hhmm(const char *s, int *minutes)
{
	if (strlen(s) != 5 || s[2] != ':' || strspn(s, "0123456789:") != 5)
		return -1;
	*minutes = ((s[0] - '0') * 10 + (s[1] - '0')) * 60 + (s[3] - '0') * 10 + (s[4] - '0');
	if (s[0] > '2' || (s[0] == '2' && s[1] > '3') || s[3] > '5')
		return -1;
	return 0;
}

/* Appends day start ms to p->days unless it is the last one already. */
static void
program_add_day(struct program *p, size_t *cap, int64_t ms)
{
	if (p->ndays > 0 && p->days[p->ndays - 1] == ms)
		return;
	if (p->ndays == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		p->days = xreallocarray(p->days, *cap, sizeof *p->days);
	}
	p->days[p->ndays++] = ms;
}

/* Computes the conference days of p's (sorted) sessions: a day begins at day_change
 * minutes after local midnight, so that a session before that time belongs to the day
 * before. */
static void
program_compute_days(struct program *p, int day_change)
{
	int64_t start;
	size_t i, cap = 0;

	for (i = 0; i < p->nsessions; i++) {
		start = tz_wall_ms(p->timezone, p->sessions[i].start_ms, 0, day_change);
		if (start > p->sessions[i].start_ms)
			start = tz_wall_ms(p->timezone, p->sessions[i].start_ms, -1, day_change);
		/* a day before 1970 could not be read back from the wire form */
		if (start < 0)
			start = 0;
		program_add_day(p, &cap, start);
	}
}

/* Reads "days" (explicit day starts) or "day_change" ("HH:MM"), or computes the days with
 * the default day change. Days without sessions are left out. */
static int
program_parse_days(const json_t *obj, struct program *p, char **cause)
{
	const json_t *v = json_object_get(obj, "days"), *dc = json_object_get(obj, "day_change");
	int64_t *given, ms;
	size_t i, n, s = 0, cap = 0;
	int minutes = PROGRAM_DAY_CHANGE_DEFAULT;

	if (dc != NULL && !json_is_null(dc)) {
		if (!json_is_string(dc) || program_parse_hhmm(json_string_value(dc),
		    &minutes) != 0) {
			program_error(cause, "day_change", _("not a local time \"HH:MM\" "
			    "(00:00 to 23:59)"));
			return -1;
		}
	}
	if (v == NULL || json_is_null(v)) {
		program_compute_days(p, minutes);
		return 0;
	}
	if (!json_is_array(v)) {
		program_error(cause, "days", _("not an array"));
		return -1;
	}
	n = json_array_size(v);
	if (n > PROGRAM_MAX_SESSIONS) {
		program_error(cause, "days", _("more than %d days"), PROGRAM_MAX_SESSIONS);
		return -1;
	}
	given = xcalloc(n ? n : 1, sizeof *given);
	for (i = 0; i < n; i++) {
		if (program_parse_time(json_array_get(v, i), &ms) != 0) {
			char *where = xasprintf("days[%zu]", i);
			program_error(cause, where, _("not a time (an ISO 8601 string with an "
			    "offset, or UTC milliseconds)"));
			free(where);
			free(given);
			return -1;
		}
		if (i > 0 && ms <= given[i - 1]) {
			char *where = xasprintf("days[%zu]", i);
			program_error(cause, where, _("not after the day before"));
			free(where);
			free(given);
			return -1;
		}
		given[i] = ms;
	}
	if (p->nsessions > 0 && (n == 0 || p->sessions[0].start_ms < given[0])) {
		program_error(cause, "days[0]", _("missing, or after the start of session "
		    "\"%s\""), p->sessions[0].id);
		free(given);
		return -1;
	}
	/* keep the days that hold a session: for each session, the last day before it */
	for (i = 0; i < p->nsessions; i++) {
		while (s + 1 < n && given[s + 1] <= p->sessions[i].start_ms)
			s++;
		program_add_day(p, &cap, given[s]);
	}
	free(given);
	return 0;
}

/* Builds a program from obj. NULL with *cause on error. */
struct program *
program_from_json(const json_t *obj, char **cause)
{
	struct program *p;
	const json_t *v;
	const char *dup = NULL;
	char *safe;
	size_t i, n;

	if (!json_is_object(obj)) {
		if (cause != NULL)
			*cause = xstrdup(_("the program is not a JSON object"));
		return NULL;
	}
	p = xcalloc(1, sizeof *p);

	v = json_object_get(obj, "format");
	if (v != NULL && (!json_is_string(v) ||
	    strcmp(json_string_value(v), PROGRAM_FORMAT) != 0)) {
		program_error(cause, "format", _("unsupported format (expected \"%s\")"),
		    PROGRAM_FORMAT);
		goto fail;
	}
	if (program_req_string(obj, "title", PROGRAM_MAX_TITLE, NULL, &p->title,
	    cause) != 0)
		goto fail;

	v = json_object_get(obj, "timezone");
	if (v == NULL || !json_is_string(v)) {
		program_error(cause, "timezone", _("missing or not a string (expected an IANA "
		    "time zone name such as \"America/New_York\")"));
		goto fail;
	}
	if (strlen(json_string_value(v)) != json_string_length(v) ||
	    !tz_valid(json_string_value(v))) {
		safe = sanitize_str(json_string_value(v));
		program_error(cause, "timezone", _("unknown time zone \"%s\""), safe);
		free(safe);
		goto fail;
	}
	p->timezone = xstrdup(json_string_value(v));

	v = json_object_get(obj, "sessions");
	if (v == NULL || !json_is_array(v)) {
		program_error(cause, "sessions", _("missing or not an array"));
		goto fail;
	}
	n = json_array_size(v);
	if (n > PROGRAM_MAX_SESSIONS) {
		program_error(cause, "sessions", _("more than %d sessions"),
		    PROGRAM_MAX_SESSIONS);
		goto fail;
	}
	p->sessions = xcalloc(n, sizeof *p->sessions);
	for (i = 0; i < n; i++) {
		p->nsessions++;
		if (program_parse_session(json_array_get(v, i), i, &p->sessions[i], cause) != 0)
			goto fail;
	}

	/* Ids and guids are unique (sessions are still in the file's order here). */
	if (program_find_duplicate(p, offsetof(struct session, id), &i) == 0)
		dup = _("id: duplicate id");
	else if (program_find_duplicate(p, offsetof(struct session, guid), &i) == 0)
		dup = _("guid: duplicate guid");
	if (dup != NULL) {
		char *where = xasprintf("sessions[%zu] (\"%s\")", i, p->sessions[i].id);

		program_error(cause, where, "%s", dup);
		free(where);
		goto fail;
	}

	qsort(p->sessions, p->nsessions, sizeof *p->sessions, program_cmp_session);
	if (program_parse_days(obj, p, cause) != 0)
		goto fail;
	program_update_version(p);
	return p;

fail:
	program_free(p);
	return NULL;
}

/* Loads a program file. NULL with *cause on error. */
struct program *
program_load_file(const char *path, char **cause)
{
	struct program *p;
	json_error_t jerr;
	json_t *obj;
	char *buf;
	size_t len;

	/* a FIFO or a device is refused at once, never waited on */
	if ((buf = files_read_plain(path, PROGRAM_MAX_FILE, &len, cause)) == NULL)
		return NULL;
	obj = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	free(buf);
	if (obj == NULL) {
		if (cause != NULL) {
			char *safe = sanitize_str(jerr.text);
			*cause = xasprintf(_("line %d, column %d: %s"), jerr.line, jerr.column,
			    safe);
			free(safe);
		}
		return NULL;
	}
	p = program_from_json(obj, cause);
	json_decref(obj);
	return p;
}

/* Returns a new reference: the wire form, including "version". */
json_t *
program_to_json(const struct program *p)
{
	return program_build_json(p, 1);
}

/* A deep copy. */
struct program *
program_copy(const struct program *p)
{
	struct program *c;
	const struct session *s;
	struct session *d;
	size_t i, j;

	if (p == NULL)
		return NULL;
	c = xcalloc(1, sizeof *c);
	c->title = xstrdup(p->title);
	c->timezone = xstrdup(p->timezone);
	c->version = p->version != NULL ? xstrdup(p->version) : NULL;
	c->sessions = xcalloc(p->nsessions, sizeof *c->sessions);
	c->nsessions = p->nsessions;
	for (i = 0; i < p->nsessions; i++) {
		s = &p->sessions[i];
		d = &c->sessions[i];
		d->id = xstrdup(s->id);
		d->title = xstrdup(s->title);
		d->kind = s->kind;
		d->start_ms = s->start_ms;
		d->end_ms = s->end_ms;
		d->description = xstrdup(s->description != NULL ? s->description : "");
		d->speakers = xcalloc(s->nspeakers, sizeof *d->speakers);
		for (j = 0; j < s->nspeakers; j++)
			d->speakers[j] = xstrdup(s->speakers[j]);
		d->nspeakers = s->nspeakers;
		d->room = s->room != NULL ? xstrdup(s->room) : NULL;
		d->guid = s->guid != NULL ? xstrdup(s->guid) : NULL;
		d->location = s->location != NULL ? xstrdup(s->location) : NULL;
		d->track = s->track != NULL ? xstrdup(s->track) : NULL;
		d->url = s->url != NULL ? xstrdup(s->url) : NULL;
	}
	if (p->ndays > 0) {
		c->days = xreallocarray(NULL, p->ndays, sizeof *c->days);
		memcpy(c->days, p->days, p->ndays * sizeof *c->days);
	}
	c->ndays = p->ndays;
	return c;
}

/* Moves every session by delta_ms and updates the version. */
void
program_shift(struct program *p, int64_t delta_ms)
{
	size_t i;

	for (i = 0; i < p->nsessions; i++) {
		p->sessions[i].start_ms += delta_ms;
		p->sessions[i].end_ms += delta_ms;
	}
	/* The days move with their sessions: a day stays whole wherever the shift puts it,
	 * even across local midnight or a change of the clocks. */
	for (i = 0; i < p->ndays; i++)
		p->days[i] += delta_ms;
	program_update_version(p);
}

/* Borrowed pointer to the session with this id, or NULL. */
const struct session *
program_find(const struct program *p, const char *id)
{
	size_t i;

	if (p == NULL || id == NULL)
		return NULL;
	for (i = 0; i < p->nsessions; i++) {
		if (strcmp(p->sessions[i].id, id) == 0)
			return &p->sessions[i];
	}
	return NULL;
}

/* First session running at now_ms, or NULL. */
const struct session *
program_current(const struct program *p, int64_t now_ms)
{
	size_t i;

	if (p == NULL)
		return NULL;
	for (i = 0; i < p->nsessions; i++) {
		if (p->sessions[i].start_ms <= now_ms && now_ms < p->sessions[i].end_ms)
			return &p->sessions[i];
	}
	return NULL;
}

/* First session starting after now_ms, or NULL. */
const struct session *
program_next(const struct program *p, int64_t now_ms)
{
	size_t i;

	if (p == NULL)
		return NULL;
	for (i = 0; i < p->nsessions; i++) {
		if (p->sessions[i].start_ms > now_ms)
			return &p->sessions[i];
	}
	return NULL;
}

/* Fills up to max conference day starts; returns how many were filled (or, when
 * day_starts is NULL, how many days there are). */
size_t
program_days(const struct program *p, int64_t *day_starts, size_t max)
{
	size_t n;

	if (p == NULL)
		return 0;
	if (day_starts == NULL)
		return p->ndays;
	n = p->ndays < max ? p->ndays : max;
	if (n > 0)
		memcpy(day_starts, p->days, n * sizeof *day_starts);
	return n;
}

/* Index of the last day that begins at or before ms, or -1 (binary search). */
static int
program_day_before(const struct program *p, int64_t ms)
{
	size_t lo = 0, hi = p->ndays, mid;

	while (lo < hi) {           /* the first day beginning after ms */
		mid = lo + (hi - lo) / 2;
		if (p->days[mid] <= ms)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int)lo - 1;
}

/* Index into program_days() of the day of session s, or -1. */
int
program_day_index(const struct program *p, const struct session *s)
{
	if (p == NULL || s == NULL || p->ndays == 0)
		return -1;
	return program_day_before(p, s->start_ms);
}

/* Index of the day that instant ms falls in, or -1. */
int
program_day_at(const struct program *p, int64_t ms)
{
	int64_t end;
	int i;

	if (p == NULL || p->ndays == 0)
		return -1;
	i = program_day_before(p, ms);
	if (i < 0)
		return -1;
	if ((size_t)i + 1 == p->ndays) {
		/* the last day: a whole day, or until its last session ends */
		end = p->days[i] + PROGRAM_DAY_MS;
		if (p->nsessions > 0 && p->sessions[p->nsessions - 1].end_ms > end)
			end = p->sessions[p->nsessions - 1].end_ms;
		if (ms >= end)
			return -1;
	}
	return i;
}

/* The instant that names day i: its first session's start. */
int64_t
program_day_label_ms(const struct program *p, size_t i)
{
	size_t lo = 0, hi, mid;

	if (p == NULL || i >= p->ndays)
		return -1;
	hi = p->nsessions;
	while (lo < hi) {           /* the first session starting at or after the day */
		mid = lo + (hi - lo) / 2;
		if (p->sessions[mid].start_ms < p->days[i])
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->nsessions ? p->sessions[lo].start_ms : p->days[i];
}
