/* progdiff.c: the changes between two programs, and the "program.changes" event. */
#include <string.h>

#include "model/progdiff.h"
#include "util/i18n.h"
#include "util/strmap.h"
#include "util/xalloc.h"

/* True when two sessions have the same wire form. */
static bool
progdiff_same(const struct session *a, const struct session *b)
{
	json_t *ja = program_session_to_json(a), *jb = program_session_to_json(b);
	bool same = json_equal(ja, jb) != 0;

	json_decref(ja);
	json_decref(jb);
	return same;
}

/* An index id -> session of p (a new map). */
static struct strmap *
progdiff_index(const struct program *p)
{
	struct strmap *m = strmap_create();
	size_t i;

	for (i = 0; i < p->nsessions; i++)
		strmap_put(m, p->sessions[i].id, &p->sessions[i]);
	return m;
}

/* The changes from old to new_, as a new array. */
size_t
program_changes(const struct program *old, const struct program *new_,
    struct program_change **out)
{
	struct strmap *io = progdiff_index(old), *in = progdiff_index(new_);
	struct program_change *c = NULL;
	const struct session *s, *o;
	size_t i, n = 0;

	for (i = 0; i < old->nsessions; i++) {
		if (strmap_get(in, old->sessions[i].id) != NULL)
			continue;
		c = xreallocarray(c, n + 1, sizeof *c);
		c[n].kind = PC_REMOVED;
		c[n].old = &old->sessions[i];
		c[n++].new_ = NULL;
	}
	for (i = 0; i < new_->nsessions; i++) {
		s = &new_->sessions[i];
		if ((o = strmap_get(io, s->id)) != NULL && progdiff_same(o, s))
			continue;
		c = xreallocarray(c, n + 1, sizeof *c);
		c[n].kind = o == NULL ? PC_ADDED : PC_CHANGED;
		c[n].old = o;
		c[n++].new_ = s;
	}
	strmap_free(io);
	strmap_free(in);
	*out = c;
	return n;
}

/* The event body from old to new_, or NULL when they are the same. */
json_t *
program_diff_json(const struct program *old, const struct program *new_)
{
	struct program_change *c;
	json_t *o, *added, *changed, *removed, *whole;
	size_t i, n;

	if (old->version != NULL && new_->version != NULL &&
	    strcmp(old->version, new_->version) == 0)
		return NULL;
	n = program_changes(old, new_, &c);
	added = json_array();
	changed = json_array();
	removed = json_array();
	for (i = 0; i < n; i++) {
		if (c[i].kind == PC_REMOVED)
			json_array_append_new(removed, json_string(c[i].old->id));
		else
			json_array_append_new(c[i].kind == PC_ADDED ? added : changed,
			    program_session_to_json(c[i].new_));
	}
	free(c);
	whole = program_to_json(new_);
	o = json_pack("{s:s,s:s,s:O,s:O}", "from", old->version != NULL ? old->version : "",
	    "version", new_->version != NULL ? new_->version : "",
	    "title", json_object_get(whole, "title"),
	    "timezone", json_object_get(whole, "timezone"));
	if (json_object_get(whole, "days") != NULL)
		json_object_set(o, "days", json_object_get(whole, "days"));
	json_decref(whole);
	json_object_set_new(o, "added", added);
	json_object_set_new(o, "changed", changed);
	json_object_set_new(o, "removed", removed);
	return o;
}

/* Replaces or adds session objects of arr into the sessions object by id (id -> object);
 * must: true when each must be there already, false when none may be. */
static int
progdiff_put(json_t *byid, const json_t *arr, bool must, char **cause)
{
	const json_t *v;
	const char *id;
	size_t i;

	if (arr == NULL)
		return 0;
	if (!json_is_array(arr)) {
		*cause = xstrdup(must ? _("\"changed\" is not an array") :
		    _("\"added\" is not an array"));
		return -1;
	}
	json_array_foreach(arr, i, v) {
		id = json_string_value(json_object_get(v, "id"));
		if (id == NULL) {
			*cause = xstrdup(_("a session without an id"));
			return -1;
		}
		if ((json_object_get(byid, id) != NULL) != must) {
			*cause = xasprintf(must ? _("session %s is not in the program") :
			    _("session %s is in the program already"), id);
			return -1;
		}
		json_object_set(byid, id, (json_t *)v);
	}
	return 0;
}

/* Applies a "program.changes" body to old. */
struct program *
program_diff_apply(const struct program *old, const json_t *diff, char **cause)
{
	const char *from = json_string_value(json_object_get(diff, "from"));
	const char *ver = json_string_value(json_object_get(diff, "version"));
	const json_t *v, *removed = json_object_get(diff, "removed");
	json_t *whole, *byid, *arr;
	struct program *p = NULL;
	const char *id;
	size_t i;

	*cause = NULL;
	if (from == NULL || ver == NULL || old->version == NULL || strcmp(from,
	    old->version) != 0) {
		*cause = xstrdup(_("the changes are not to the program held"));
		return NULL;
	}
	whole = program_to_json(old);
	byid = json_object();
	json_array_foreach(json_object_get(whole, "sessions"), i, v)
		json_object_set(byid, json_string_value(json_object_get(v, "id")), (json_t *)v);
	if (removed != NULL && !json_is_array(removed))
		*cause = xstrdup(_("\"removed\" is not an array"));
	json_array_foreach(removed, i, v) {
		if (*cause != NULL)
			break;
		if ((id = json_string_value(v)) == NULL || json_object_del(byid, id) != 0)
			*cause = xasprintf(_("session %s is not in the program"),
			    id != NULL ? id : "?");
	}
	if (*cause == NULL && progdiff_put(byid, json_object_get(diff, "changed"), true,
	    cause) == 0 && progdiff_put(byid, json_object_get(diff, "added"), false,
	    cause) == 0) {
		arr = json_array();
		json_object_foreach(byid, id, v)
			json_array_append(arr, (json_t *)v);
		json_object_set_new(whole, "sessions", arr);
		json_object_set(whole, "title", json_object_get(diff, "title"));
		json_object_set(whole, "timezone", json_object_get(diff, "timezone"));
		json_object_del(whole, "version");
		if (json_object_get(diff, "days") != NULL)
			json_object_set(whole, "days", json_object_get(diff, "days"));
		else
			json_object_del(whole, "days");
		p = program_from_json(whole, cause);
	}
	json_decref(byid);
	json_decref(whole);
	if (p != NULL && strcmp(p->version, ver) != 0) {
		*cause = xasprintf(_("the changed program is version %s, not %s"), p->version,
		    ver);
		program_free(p);
		p = NULL;
	}
	return p;
}
