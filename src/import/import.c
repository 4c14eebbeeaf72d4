/* import.c: the entry points of program import: a file or a buffer, its format told from
 * its content, confab's own format read as it is, the others through their readers and
 * the builder. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "import/import.h"
#include "import/import_int.h"
#include "util/i18n.h"
#include "util/files.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

/* English name of a format, translated. */
const char *
import_format_name(enum import_format format)
{
	switch (format) {
	case IMPORT_FORMAT_FRAB_JSON:
		return _("frab/pretalx schedule.json");
	case IMPORT_FORMAT_FRAB_XML:
		return _("frab/Pentabarf schedule.xml");
	case IMPORT_FORMAT_ICAL:
		return _("iCalendar");
	default:
		return _("confab program");
	}
}

/* Frees the contents of a report. */
void
import_report_clear(struct import_report *report)
{
	size_t i;

	if (report == NULL)
		return;
	for (i = 0; i < report->nwarnings; i++)
		free(report->warnings[i]);
	free(report->warnings);
	memset(report, 0, sizeof *report);
}

/* Sets *cause (when wanted) to "name: message" and returns NULL. */
static struct program *
import_refuse(const char *name, const char *msg, char **cause)
{
	if (cause != NULL)
		*cause = xasprintf("%s: %s", name, msg);
	return NULL;
}

/* Reads confab's own format from obj (borrowed): as a program file, with --timezone
 * applied. */
static struct program *
import_confab(const json_t *obj, const char *name, const struct import_options *opts,
    struct import_report *report, char **cause)
{
	struct import_ctx *ctx = import_ctx_create(name, opts, IMPORT_FORMAT_CONFAB);
	const json_t *zone = json_object_get(obj, "timezone");
	struct program *p = NULL;
	json_t *copy;
	char *why = NULL;

	if (opts != NULL && opts->kinds != NULL)
		import_ctx_warn(ctx, "%s", _("--kinds does not apply to a confab program: its "
		    "sessions name their kinds"));
	copy = json_copy((json_t *)(uintptr_t)obj);
	if (opts != NULL && opts->timezone != NULL) {
		if (import_ctx_set_zone(ctx, json_is_string(zone) ? json_string_value(zone) :
		    NULL, "timezone") == 0)
			json_object_set_new(copy, "timezone", json_string(import_ctx_zone(ctx)));
	}
	if (!import_ctx_failed(ctx) && (p = program_from_json(copy, &why)) == NULL) {
		import_ctx_fail(ctx, 0, "%s", why);
		free(why);
	}
	json_decref(copy);
	why = import_finish_error(ctx, report);
	if (why != NULL) {
		if (cause != NULL)
			*cause = why;
		else
			free(why);
	}
	import_ctx_free(ctx);
	return p;
}

/* A JSON file: a frab/pretalx schedule.json ("schedule") or a confab program. */
static struct program *
import_json(const char *data, size_t len, const char *name,
    const struct import_options *opts, struct import_report *report, char **cause)
{
	struct import_ctx *ctx;
	struct program *p;
	json_error_t jerr;
	json_t *root;
	char *safe, *msg;

	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		safe = sanitize_str(jerr.text);
		if (cause != NULL && jerr.line > 0)
			*cause = xasprintf(_("%s:%d:%d: not valid JSON: %s"), name, jerr.line,
			    jerr.column, safe);
		else if (cause != NULL) {
			msg = xasprintf(_("not valid JSON: %s"), safe);
			import_refuse(name, msg, cause);
			free(msg);
		}
		free(safe);
		return NULL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		return import_refuse(name, _("the JSON is not an object: neither a frab/pretalx "
		    "schedule.json nor a confab program"), cause);
	}
	if (json_object_get(root, "schedule") == NULL) {
		if (json_object_get(root, "sessions") == NULL &&
		    json_object_get(root, "format") == NULL) {
			json_decref(root);
			return import_refuse(name, _("a JSON object with neither \"schedule\" "
			    "(frab/pretalx schedule.json) nor \"sessions\" (confab program)"),
			    cause);
		}
		if (len > IMPORT_MAX_PROGRAM) {         /* as program_load_file says */
			json_decref(root);
			msg = xasprintf(_("file is larger than %d MiB"),
			    IMPORT_MAX_PROGRAM / (1024 * 1024));
			import_refuse(name, msg, cause);
			free(msg);
			return NULL;
		}
		p = import_confab(root, name, opts, report, cause);
		json_decref(root);
		return p;
	}
	ctx = import_ctx_create(name, opts, IMPORT_FORMAT_FRAB_JSON);
	if (import_frab_read(ctx, root) == 0)
		p = import_finish(ctx, report, cause);
	else {
		p = NULL;
		msg = import_finish_error(ctx, report);
		if (cause != NULL)
			*cause = msg;
		else
			free(msg);
	}
	import_ctx_free(ctx);
	json_decref(root);
	return p;
}

/* XML or iCalendar through its reader (text is NUL-terminated). */
static struct program *
import_text_format(enum import_format f, const char *text, size_t len, const char *name,
    const struct import_options *opts, struct import_report *report, char **cause)
{
	struct import_ctx *ctx = import_ctx_create(name, opts, f);
	struct program *p = NULL;
	char *msg;
	int rc;

	rc = f == IMPORT_FORMAT_FRAB_XML ? import_xml_read(ctx, text, len) :
	    import_ical_read(ctx, text, len);
	if (rc == 0)
		p = import_finish(ctx, report, cause);
	else {
		msg = import_finish_error(ctx, report);
		if (cause != NULL)
			*cause = msg;
		else
			free(msg);
	}
	import_ctx_free(ctx);
	return p;
}

/* True when s (len bytes) begins with the ASCII text w, ignoring case. */
static int
import_starts(const char *s, size_t len, const char *w)
{
	size_t i, n = strlen(w);

	if (len < n)
		return 0;
	for (i = 0; i < n; i++)
		if ((s[i] >= 'A' && s[i] <= 'Z' ? s[i] | 0x20 : s[i]) !=
		    (w[i] >= 'A' && w[i] <= 'Z' ? w[i] | 0x20 : w[i]))
			return 0;
	return 1;
}

/* Reads a program from a buffer, telling its format from the first bytes that are not a
 * byte-order mark or white space. */
struct program *
import_program_from_buffer(const char *data, size_t len, const char *name,
    const struct import_options *opts, struct import_report *report, char **cause)
{
	struct program *p;
	size_t off = 0;
	char *text;

	if (report != NULL)
		memset(report, 0, sizeof *report);
	if (name == NULL)
		name = "-";
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		off = 3;
	while (off < len && strchr(" \t\r\n", data[off]) != NULL && data[off] != '\0')
		off++;
	if (off == len)
		return import_refuse(name, _("the file is empty"), cause);
	if (data[off] == '{' || data[off] == '[')
		return import_json(data + off, len - off, name, opts, report, cause);
	if (data[off] != '<' && !import_starts(data + off, len - off, "BEGIN:VCALENDAR"))
		return import_refuse(name, _("not a program: expected JSON (frab/pretalx "
		    "schedule.json or a confab program), XML (a frab/Pentabarf <schedule>) or "
		    "iCalendar (BEGIN:VCALENDAR)"), cause);
	/* the XML and iCalendar libraries read NUL-terminated text; keep the lines intact */
	text = xmalloc(len + 1);
	memcpy(text, data, len);
	text[len] = '\0';
	p = import_text_format(data[off] == '<' ? IMPORT_FORMAT_FRAB_XML : IMPORT_FORMAT_ICAL,
	    text, len, name, opts, report, cause);
	free(text);
	return p;
}

/* Reads the program file path. */
struct program *
import_program_file(const char *path, const struct import_options *opts,
    struct import_report *report, char **cause)
{
	struct program *p;
	char *data, *why = NULL;
	size_t len;

	if (report != NULL)
		memset(report, 0, sizeof *report);
	if ((data = files_read_plain(path, IMPORT_MAX_FILE, &len, &why)) == NULL) {
		import_refuse(path, why, cause);
		free(why);
		return NULL;
	}
	p = import_program_from_buffer(data, len, path, opts, report, cause);
	free(data);
	return p;
}
