/* import_finish.c: the end of an import: the same event listed twice left out, identities
 * and short ids made unique, the days settled, the warnings written, and the program
 * built and checked by program_from_json. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import_ctx.h"
#include "util/i18n.h"
#include "util/xalloc.h"

/* Ids that name the hub's own rooms and timers: a discussion may not take them. */
static const char *const import_finish_reserved[] = { "lobby", "main" };

/* A string set mapping each key (borrowed) to an index: open addressing, linear probing. */
struct import_finish_set {
	const char **keys;
	size_t *vals;
	size_t cap;             /* a power of two, at least twice the keys */
};

/* Creates a set for at most n keys. */
static void
import_finish_set_init(struct import_finish_set *set, size_t n)
{
	set->cap = 16;
	while (set->cap < 2 * n + 2)
		set->cap *= 2;
	set->keys = xcalloc(set->cap, sizeof *set->keys);
	set->vals = xcalloc(set->cap, sizeof *set->vals);
}

/* Frees a set's tables. */
static void
import_finish_set_free(struct import_finish_set *set)
{
	free(set->keys);
	free(set->vals);
}

/* The slot of key in set: where it is, or the empty slot where it would go. */
static size_t
import_finish_set_slot(const struct import_finish_set *set, const char *key)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const unsigned char *c;
	size_t i;

	for (c = (const unsigned char *)key; *c != '\0'; c++) {
		h ^= *c;
		h *= 0x100000001b3ULL;
	}
	for (i = (size_t)h & (set->cap - 1); set->keys[i] != NULL;
	    i = (i + 1) & (set->cap - 1))
		if (strcmp(set->keys[i], key) == 0)
			break;
	return i;
}

/* The index stored with key, or SIZE_MAX. */
static size_t
import_finish_set_get(const struct import_finish_set *set, const char *key)
{
	size_t i = import_finish_set_slot(set, key);

	return set->keys[i] != NULL ? set->vals[i] : SIZE_MAX;
}

/* Adds key (borrowed, not there yet) with index val. */
static void
import_finish_set_put(struct import_finish_set *set, const char *key, size_t val)
{
	size_t i = import_finish_set_slot(set, key);

	set->keys[i] = key;
	set->vals[i] = val;
}

/* True when s and t are the same listing: same place and times. */
static int
import_finish_same(const struct session *s, const struct session *t)
{
	if (s->start_ms != t->start_ms || s->end_ms != t->end_ms)
		return 0;
	if (s->location == NULL || t->location == NULL)
		return s->location == t->location;
	return strcmp(s->location, t->location) == 0;
}

/* Identities: an event listed twice in the same place at the same time is left out; one
 * listed again elsewhere or at another time (the same talk in two rooms) stays, its
 * identity numbered "#2", "#3"... in the order of the file. */
static void
import_finish_guids(struct import_ctx *ctx)
{
	struct import_finish_set set;
	struct import_session *is;
	size_t i, first, last, k;
	char *g;

	import_finish_set_init(&set, 2 * ctx->n);
	for (i = 0; i < ctx->n; i++) {
		is = &ctx->sessions[i];
		if ((first = import_finish_set_get(&set, is->s.guid)) == SIZE_MAX) {
			import_finish_set_put(&set, is->s.guid, i);
			continue;
		}
		for (last = first, k = 2; ; k++) {
			if (import_finish_same(&ctx->sessions[last].s, &is->s)) {
				is->dropped = 1;
				import_ctx_note_add(&ctx->skipped, is->label, _("listed twice"));
				break;
			}
			if (ctx->sessions[last].next_same == SIZE_MAX)
				break;
			last = ctx->sessions[last].next_same;
		}
		if (is->dropped)
			continue;
		ctx->sessions[last].next_same = i;
		for (;; k++) {          /* "x#2" might be taken by a real guid */
			g = xasprintf("%s#%zu", is->s.guid, k);
			if (import_finish_set_get(&set, g) == SIZE_MAX)
				break;
			free(g);
		}
		free(is->s.guid);
		is->s.guid = g;
		import_finish_set_put(&set, is->s.guid, i);
	}
	import_finish_set_free(&set);
}

/* Short ids: each session keeps the id it wants unless it is taken (or names the lobby
 * or the main stage); then it gets "-2", "-3"... (its end cut to stay within 32). */
static void
import_finish_ids(struct import_ctx *ctx)
{
	struct import_finish_set set;
	struct session *s;
	size_t i, k, base;
	char *id, suffix[24];

	import_finish_set_init(&set, ctx->n + 2);
	for (i = 0; i < sizeof import_finish_reserved / sizeof import_finish_reserved[0]; i++)
		import_finish_set_put(&set, import_finish_reserved[i], SIZE_MAX - 1);
	for (i = 0; i < ctx->n; i++) {
		s = &ctx->sessions[i].s;
		if (ctx->sessions[i].dropped)
			continue;
		for (k = 2, id = NULL; import_finish_set_get(&set, id != NULL ? id : s->id) != SIZE_MAX;
		    k++) {
			free(id);
			snprintf(suffix, sizeof suffix, "-%zu", k);
			base = strlen(s->id);
			if (base + strlen(suffix) > IMPORT_CTX_MAX_ID)
				base = IMPORT_CTX_MAX_ID - strlen(suffix);
			while (base > 1 && (s->id[base - 1] == '-' || s->id[base - 1] == '_'))
				base--;
			id = xasprintf("%.*s%s", (int)base, s->id, suffix);
		}
		if (id != NULL) {
			free(s->id);
			s->id = id;
		}
		import_finish_set_put(&set, s->id, i);
	}
	import_finish_set_free(&set);
}

/* The days: each begins at the start the file gives it, or earlier when one of its
 * events does; they must rise, so a day that would not is merged into the one before;
 * days without a start or events go. Returns a new JSON array, or NULL when the file had
 * no days (the program then finds them with the default day change). */
static json_t *
import_finish_days(struct import_ctx *ctx)
{
	int64_t *begin, last = INT64_MIN, first_session = INT64_MAX;
	const struct import_session *is;
	json_t *arr;
	size_t i, nkept = 0;

	if (ctx->ndays == 0)
		return NULL;
	begin = xcalloc(ctx->ndays, sizeof *begin);
	for (i = 0; i < ctx->ndays; i++)
		begin[i] = ctx->days[i].has_start ? ctx->days[i].start_ms : INT64_MAX;
	for (i = 0; i < ctx->n; i++) {
		is = &ctx->sessions[i];
		if (is->dropped)
			continue;
		if (is->s.start_ms < first_session)
			first_session = is->s.start_ms;
		if (is->day >= 0 && (size_t)is->day < ctx->ndays &&
		    is->s.start_ms < begin[is->day])
			begin[is->day] = is->s.start_ms;
	}
	arr = json_array();
	for (i = 0; i < ctx->ndays; i++) {
		if (begin[i] == INT64_MAX || (nkept > 0 && begin[i] <= last))
			continue;
		/* the first day holds whatever comes before it */
		if (nkept == 0 && first_session < begin[i])
			begin[i] = first_session;
		json_array_append_new(arr, json_integer((json_int_t)begin[i]));
		last = begin[i];
		nkept++;
	}
	free(begin);
	if (nkept == 0) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

/* The names a warning lists: the first events of note, and how many more. New string. */
static char *
import_finish_names(const struct import_note *note)
{
	char *more, *names;

	if (note->n <= IMPORT_CTX_NAMED)
		return xstrdup(note->names.s != NULL ? note->names.s : "");
	more = xasprintf(P_("and %zu more", "and %zu more", note->n - IMPORT_CTX_NAMED),
	    note->n - IMPORT_CTX_NAMED);
	names = xasprintf("%s, %s", note->names.s, more);
	free(more);
	return names;
}

/* The warnings about left-out and cut events (one each, naming the events). */
static void
import_finish_warnings(struct import_ctx *ctx)
{
	const struct import_note *n;
	char *names;

	if ((n = &ctx->skipped)->n > 0) {
		names = import_finish_names(n);
		import_ctx_warn(ctx, P_("left out %zu event: %s", "left out %zu events: %s",
		    n->n), n->n, names);
		free(names);
	}
	if ((n = &ctx->cut_title)->n > 0) {
		names = import_finish_names(n);
		import_ctx_warn(ctx, P_("cut %zu title to %d bytes: %s",
		    "cut %zu titles to %d bytes: %s", n->n), n->n, PROGRAM_MAX_TITLE, names);
		free(names);
	}
	if ((n = &ctx->cut_desc)->n > 0) {
		names = import_finish_names(n);
		import_ctx_warn(ctx, P_("cut %zu description to %d bytes: %s",
		    "cut %zu descriptions to %d bytes: %s", n->n), n->n,
		    PROGRAM_MAX_DESCRIPTION, names);
		free(names);
	}
	if ((n = &ctx->cut_speakers)->n > 0) {
		names = import_finish_names(n);
		import_ctx_warn(ctx, P_("cut the speakers of %zu session to %d names of at most "
		    "%d bytes: %s", "cut the speakers of %zu sessions to %d names of at most %d "
		    "bytes: %s", n->n), n->n, PROGRAM_MAX_SPEAKERS, PROGRAM_MAX_SPEAKER, names);
		free(names);
	}
	if ((n = &ctx->cut_other)->n > 0) {
		names = import_finish_names(n);
		import_ctx_warn(ctx, P_("cut the room or track of %zu session to %d bytes: %s",
		    "cut the room or track of %zu sessions to %d bytes: %s", n->n), n->n,
		    PROGRAM_MAX_LOCATION, names);
		free(names);
	}
}

/* Moves the warnings and counts into report (when not NULL). */
static void
import_finish_report(struct import_ctx *ctx, struct import_report *report)
{
	if (report == NULL)
		return;
	memset(report, 0, sizeof *report);
	report->format = ctx->format;
	report->nskipped = ctx->skipped.n;
	report->warnings = ctx->warnings;
	report->nwarnings = ctx->nwarnings;
	ctx->warnings = NULL;
	ctx->nwarnings = 0;
}

/* Hands over the recorded error and the report. */
char *
import_finish_error(struct import_ctx *ctx, struct import_report *report)
{
	char *e = ctx->error;

	ctx->error = NULL;
	import_finish_report(ctx, report);
	return e;
}

/* Builds the program. */
struct program *
import_finish(struct import_ctx *ctx, struct import_report *report, char **cause)
{
	struct program *p = NULL;
	json_t *obj, *arr, *days;
	size_t i, kept = 0, size;
	char *why = NULL;

	if (ctx->error == NULL && ctx->zone == NULL)
		import_ctx_fail(ctx, 0, "%s", _("no time zone"));
	if (ctx->error == NULL) {
		import_finish_guids(ctx);
		import_finish_ids(ctx);
		for (i = 0; i < ctx->n; i++)
			kept += !ctx->sessions[i].dropped;
		if (kept > PROGRAM_MAX_SESSIONS)
			import_ctx_fail(ctx, 0, _("%zu sessions: a program holds at most %d"), kept,
			    PROGRAM_MAX_SESSIONS);
	}
	if (ctx->error == NULL) {
		obj = json_object();
		json_object_set_new(obj, "format", json_string("confab-program-1"));
		if (ctx->title == NULL)
			import_ctx_set_title(ctx, NULL);
		json_object_set_new(obj, "title", json_string(ctx->title));
		json_object_set_new(obj, "timezone", json_string(ctx->zone));
		arr = json_array();
		for (i = 0; i < ctx->n; i++)
			if (!ctx->sessions[i].dropped)
				json_array_append_new(arr, program_session_to_json(&ctx->sessions[i].s));
		json_object_set_new(obj, "sessions", arr);
		if ((days = import_finish_days(ctx)) != NULL)
			json_object_set_new(obj, "days", days);
		size = json_dumpb(obj, NULL, 0, JSON_COMPACT);
		if (size > IMPORT_MAX_PROGRAM)
			import_ctx_fail(ctx, 0, _("the program would take %.1f MiB on the wire, more "
			    "than the %d MiB a hub serves: shorten its descriptions or split it"),
			    (double)size / (1024 * 1024), IMPORT_MAX_PROGRAM / (1024 * 1024));
		else
			p = program_from_json(obj, &why);
		json_decref(obj);
		if (p == NULL && why != NULL) { /* the builder let through what the model refuses */
			import_ctx_fail(ctx, 0, "%s", why);
			free(why);
		}
	}
	if (ctx->error == NULL)
		import_finish_warnings(ctx);
	if (ctx->error != NULL) {
		if (cause != NULL)
			*cause = ctx->error;
		else
			free(ctx->error);
		ctx->error = NULL;
	}
	import_finish_report(ctx, report);
	return p;
}
