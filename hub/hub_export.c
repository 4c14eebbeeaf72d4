/* hub_export.c: confabd --export: each room's chat from the store, as text and as JSON
 * Lines, for organizers (minutes, code-of-conduct follow-up). Deleted lines are not there;
 * text from attendees is sanitised in the text files (no escape sequences reach a
 * terminal that shows them) and kept exact in the JSON Lines files. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "hub/hub_export.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/tztime.h"
#include "util/xalloc.h"

struct hub_export {
	const char *dir;
	char stream[64];             /* the stream being written */
	FILE *txt, *jsonl;
	char *txt_tmp, *jsonl_tmp, *txt_path, *jsonl_path;
	size_t rooms, lines;
	char *cause;
};

/* Opens path.tmp for writing (0600); NULL with e->cause. */
static FILE *
hub_export_open(struct hub_export *e, const char *path, char **tmp)
{
	FILE *fp;
	int fd;

	*tmp = xasprintf("%s.tmp", path);
	fd = open(*tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || (fp = fdopen(fd, "w")) == NULL) {
		e->cause = xasprintf("%s: %s", *tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	return fp;
}

/* Closes the current room's files, putting them in place. */
static int
hub_export_close(struct hub_export *e)
{
	int rc = 0;

	if (e->txt != NULL) {
		if (fclose(e->txt) != 0 || rename(e->txt_tmp, e->txt_path) != 0)
			rc = -1;
		e->txt = NULL;
	}
	if (e->jsonl != NULL) {
		if (fclose(e->jsonl) != 0 || rename(e->jsonl_tmp, e->jsonl_path) != 0)
			rc = -1;
		e->jsonl = NULL;
	}
	if (rc != 0 && e->cause == NULL)
		e->cause = xasprintf("%s: %s", e->dir, strerror(errno));
	free(e->txt_tmp);
	free(e->jsonl_tmp);
	free(e->txt_path);
	free(e->jsonl_path);
	e->txt_tmp = e->jsonl_tmp = e->txt_path = e->jsonl_path = NULL;
	return rc;
}

/* Starts the files of a room stream ("room:<id>"). */
static int
hub_export_begin(struct hub_export *e, const char *stream)
{
	const char *id = stream + 5;

	if (hub_export_close(e) != 0)
		return -1;
	strlcpy_cf(e->stream, stream, sizeof e->stream);
	e->txt_path = xasprintf("%s/%s.txt", e->dir, id);
	e->jsonl_path = xasprintf("%s/%s.jsonl", e->dir, id);
	if ((e->txt = hub_export_open(e, e->txt_path, &e->txt_tmp)) == NULL ||
	    (e->jsonl = hub_export_open(e, e->jsonl_path, &e->jsonl_tmp)) == NULL)
		return -1;
	fprintf(e->txt, "# %s: %s\n", _("chat of room"), id);
	e->rooms++;
	return 0;
}

/* One line of the text file for event o (UTC times). */
static void
hub_export_text(struct hub_export *e, const json_t *o, int64_t ts)
{
	const char *type = json_string_value(json_object_get(o, "type"));
	const char *from = json_string_value(json_object_get(o, "from"));
	const char *text = json_string_value(json_object_get(o, "text"));
	const char *by = json_string_value(json_object_get(o, "by"));
	char when[32], *sf, *st;

	iso8601_format_utc(ts, when, sizeof when);
	sf = sanitize_str(from != NULL ? from : (by != NULL ? by : ""));
	st = sanitize_str(text != NULL ? text : "");
	if (type == NULL)
		type = "";
	if (strcmp(type, "chat") == 0) {
		if (json_is_true(json_object_get(o, "me")))
			fprintf(e->txt, "%s * %s %s\n", when, sf, st);
		else
			fprintf(e->txt, "%s <%s> %s\n", when, sf, st);
	} else if (strcmp(type, "announcement") == 0)
		fprintf(e->txt, "%s [%s] %s: %s\n", when, _("announcement"), sf, st);
	else if (strcmp(type, "room.closed") == 0 && *sf != '\0') {
		fprintf(e->txt, "%s -- ", when);
		fprintf(e->txt, _("room closed by %s"), sf);
		fputc('\n', e->txt);
	}
	else if (strcmp(type, "room.closed") == 0)
		fprintf(e->txt, "%s -- %s\n", when, _("room closed by its timer"));
	else if (strcmp(type, "chat.deleted") == 0) {
		fprintf(e->txt, "%s -- ", when);
		fprintf(e->txt, _("line %lld was deleted by %s"),
		    (long long)json_integer_value(json_object_get(o, "line")), sf);
		fputc('\n', e->txt);
	}
	free(sf);
	free(st);
	e->lines++;
}

/* store_each_event() callback: one event into the current room's files. */
static int
hub_export_event(void *arg, const struct store_event *ev)
{
	struct hub_export *e = arg;
	json_t *o;

	if (strncmp(ev->stream, "room:", 5) != 0)
		return 0;
	if (strcmp(ev->stream, e->stream) != 0 && hub_export_begin(e, ev->stream) != 0)
		return 1;
	if ((o = json_loadb(ev->data, ev->len, 0, NULL)) == NULL)
		return 0;
	json_object_set_new(o, "stream", json_string(ev->stream));
	json_object_set_new(o, "seq", json_integer((json_int_t)ev->seq));
	hub_export_text(e, o, ev->ts);
	if (json_dumpf(o, e->jsonl, JSON_COMPACT) == 0)
		fputc('\n', e->jsonl);
	json_decref(o);
	return 0;
}

/* Writes the chat of every room into dir (made 0700 if missing). */
int
hub_export(struct store *st, const char *dir, size_t *rooms, size_t *lines, char **cause)
{
	struct hub_export e;
	int rc;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		*cause = xasprintf("%s: %s", dir, strerror(errno));
		return -1;
	}
	memset(&e, 0, sizeof e);
	e.dir = dir;
	rc = store_each_event(st, "room:", hub_export_event, &e, cause);
	if (hub_export_close(&e) != 0 || e.cause != NULL) {
		if (rc == 0) {
			*cause = e.cause;
			e.cause = NULL;
		}
		rc = -1;
	}
	free(e.cause);
	*rooms = e.rooms;
	*lines = e.lines;
	return rc;
}
