/* import_xml.c: frab / Pentabarf "schedule.xml" (FOSDEM, DebConf, the CCC congresses),
 * read with expat: <schedule> holds <conference> (title, time_zone_name, day_change) and
 * <day>s of <room>s of <event>s. Problems are named by line. FOSDEM's export has no
 * <date>, no guid and no zone: times then come from the day's date and <start>, in the
 * zone given with --timezone. */

#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "import/import_int.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

#define IMPORT_XML_MAX_DEPTH 32
/* Text kept of one element (an abstract is cut far below this anyway). */
#define IMPORT_XML_MAX_TEXT (256 * 1024)

/* Where the reader is. */
enum import_xml_in {
	IX_TOP = 0,
	IX_OTHER,       /* an element the reader passes over */
	IX_CONFERENCE,
	IX_DAY,
	IX_ROOM,
	IX_EVENT,
	IX_PERSONS,
	IX_LINKS
};

struct import_xml {
	struct import_ctx *ctx;
	XML_Parser parser;
	int depth;                      /* of the element being read */
	enum import_xml_in in[IMPORT_XML_MAX_DEPTH + 1]; /* per depth */
	int capture;                    /* the depth whose text is kept, or 0 */
	char **target;                  /* where that text goes */
	struct import_buf text;
	char *title, *zone;             /* of the conference */
	int settled;                    /* title and zone given to the builder */
	int day;                        /* the current day's index */
	char *room;                     /* the current <room name> */
	struct import_event ev;
	char *ev_where;                 /* the event's id, for messages */
	char *href;                     /* the current <link href> */
	char *scratch;                  /* text of elements kept for a moment */
};

/* The value of attribute name in attrs (expat's NULL-ended name, value pairs). */
static const char *
import_xml_attr(const XML_Char **attrs, const char *name)
{
	size_t i;

	for (i = 0; attrs[i] != NULL && attrs[i + 1] != NULL; i += 2)
		if (strcmp(attrs[i], name) == 0)
			return attrs[i + 1];
	return NULL;
}

/* Stops the parser after an error was recorded. */
static void
import_xml_stop(struct import_xml *x)
{
	XML_StopParser(x->parser, XML_FALSE);
}

/* The line expat is on. */
static long
import_xml_line(const struct import_xml *x)
{
	return (long)XML_GetCurrentLineNumber(x->parser);
}

/* Keeps the text of the element just opened (at depth) into *target. */
static void
import_xml_keep(struct import_xml *x, char **target)
{
	x->capture = x->depth;
	x->target = target;
	free(x->text.s);
	memset(&x->text, 0, sizeof x->text);
}

/* Gives the conference's title and zone to the builder, once, before the first day. */
static int
import_xml_settle(struct import_xml *x)
{
	if (x->settled)
		return 0;
	x->settled = 1;
	import_ctx_set_title(x->ctx, x->title);
	if (import_ctx_set_zone(x->ctx, x->zone, _("<time_zone_name> in <conference>")) != 0) {
		import_xml_stop(x);
		return -1;
	}
	return 0;
}

/* A <day>: its date and start attributes. */
static void
import_xml_day(struct import_xml *x, const XML_Char **attrs)
{
	const char *date = import_xml_attr(attrs, "date"), *start = import_xml_attr(attrs,
	    "start");
	struct import_civil d, s;
	const char *bad = NULL;
	int64_t ms = 0;
	char *safe;

	if (import_xml_settle(x) != 0)
		return;
	memset(&d, 0, sizeof d);
	if (date != NULL && import_time_datetime(date, &d) != 0)
		bad = date;
	else if (start != NULL && (import_time_datetime(start, &s) != 0 || !s.has_time ||
	    import_time_civil_ms(&s, import_ctx_zone(x->ctx), &ms) != 0))
		bad = start;
	if (bad != NULL) {
		safe = sanitize_str(bad);
		import_ctx_fail(x->ctx, import_xml_line(x), _("<day>: \"%.60s\" is not a date "
		    "or a date and time (ISO 8601)"), safe);
		free(safe);
		import_xml_stop(x);
		return;
	}
	x->day = import_ctx_add_day(x->ctx, date != NULL ? d.y : 0, d.mo, d.d, start != NULL,
	    ms);
}

/* An <event>: its id, guid and code attributes. */
static void
import_xml_event(struct import_xml *x, const XML_Char **attrs)
{
	const char *id = import_xml_attr(attrs, "id"), *guid = import_xml_attr(attrs, "guid"),
	    *code = import_xml_attr(attrs, "code");

	import_ctx_event_clear(&x->ev);
	free(x->ev_where);
	x->ev.style = IMPORT_STYLE_XML;
	x->ev.line = import_xml_line(x);
	x->ev.day = x->day;
	x->ev.id = id != NULL ? xstrdup(id) : NULL;
	x->ev.guid = guid != NULL ? xstrdup(guid) : NULL;
	x->ev.code = code != NULL ? xstrdup(code) : NULL;
	x->ev_where = sanitize_str(id != NULL ? id : guid != NULL ? guid : code != NULL ? code :
	    "?");
	x->ev.where = x->ev_where;
}

/* The field of an event that element name fills, or NULL; sets its time field's line. */
static char **
import_xml_field(struct import_xml *x, const char *name)
{
	static const struct {
		const char *name;
		size_t off;
		int tfield;
	} fields[] = {
		{ "title", offsetof(struct import_event, title), -1 },
		{ "subtitle", offsetof(struct import_event, subtitle), -1 },
		{ "type", offsetof(struct import_event, type), -1 },
		{ "track", offsetof(struct import_event, track), -1 },
		{ "room", offsetof(struct import_event, location), -1 },
		{ "slug", offsetof(struct import_event, slug), -1 },
		{ "url", offsetof(struct import_event, url), -1 },
		{ "abstract", offsetof(struct import_event, abstract), -1 },
		{ "description", offsetof(struct import_event, description), -1 },
		{ "date", offsetof(struct import_event, date), IMPORT_T_DATE },
		{ "start", offsetof(struct import_event, start), IMPORT_T_START },
		{ "duration", offsetof(struct import_event, duration), IMPORT_T_DURATION },
		{ "end", offsetof(struct import_event, end), IMPORT_T_END },
	};
	size_t i;

	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if (strcmp(fields[i].name, name) != 0)
			continue;
		if (fields[i].tfield >= 0)
			x->ev.lines[fields[i].tfield] = import_xml_line(x);
		return (char **)(void *)((char *)&x->ev + fields[i].off);
	}
	return NULL;
}

/* expat: an element begins. */
static void XMLCALL
import_xml_start(void *arg, const XML_Char *name, const XML_Char **attrs)
{
	struct import_xml *x = arg;
	enum import_xml_in parent = x->in[x->depth], in = IX_OTHER;
	const char *href;
	char **field;

	if (import_ctx_failed(x->ctx))
		return;
	if (x->depth == IMPORT_XML_MAX_DEPTH) {
		import_ctx_fail(x->ctx, import_xml_line(x), _("elements nested more than %d "
		    "deep"), IMPORT_XML_MAX_DEPTH);
		import_xml_stop(x);
		return;
	}
	x->depth++;
	if (x->depth == 1 && strcmp(name, "schedule") != 0) {
		char *safe = sanitize_str(name);

		import_ctx_fail(x->ctx, import_xml_line(x), _("the root element is <%.40s>, not "
		    "<schedule> (frab/Pentabarf XML)"), safe);
		free(safe);
		import_xml_stop(x);
		return;
	}
	if (x->capture == 0) {
		if (x->depth == 2 && strcmp(name, "conference") == 0)
			in = IX_CONFERENCE;
		else if (parent == IX_CONFERENCE && strcmp(name, "title") == 0)
			import_xml_keep(x, &x->title);
		else if (parent == IX_CONFERENCE && strcmp(name, "time_zone_name") == 0)
			import_xml_keep(x, &x->zone);
		else if (parent == IX_CONFERENCE && strcmp(name, "day_change") == 0)
			import_xml_keep(x, &x->scratch);
		else if (x->depth == 2 && strcmp(name, "day") == 0) {
			in = IX_DAY;
			import_xml_day(x, attrs);
		} else if (parent == IX_DAY && strcmp(name, "room") == 0) {
			in = IX_ROOM;
			free(x->room);
			x->room = import_xml_attr(attrs, "name") != NULL ?
			    xstrdup(import_xml_attr(attrs, "name")) : NULL;
		} else if (parent == IX_ROOM && strcmp(name, "event") == 0) {
			in = IX_EVENT;
			import_xml_event(x, attrs);
		} else if (parent == IX_EVENT && strcmp(name, "persons") == 0)
			in = IX_PERSONS;
		else if (parent == IX_EVENT && strcmp(name, "links") == 0)
			in = IX_LINKS;
		else if (parent == IX_PERSONS && strcmp(name, "person") == 0)
			import_xml_keep(x, &x->scratch);
		else if (parent == IX_LINKS && strcmp(name, "link") == 0) {
			href = import_xml_attr(attrs, "href");
			free(x->href);
			x->href = href != NULL ? xstrdup(href) : NULL;
			import_xml_keep(x, &x->scratch);
		} else if (parent == IX_EVENT && (field = import_xml_field(x, name)) != NULL)
			import_xml_keep(x, field);
	}
	x->in[x->depth] = in;
}

/* Stores the kept text of the element that ends (name) where it belongs. */
static void
import_xml_store(struct import_xml *x, const char *name)
{
	enum import_xml_in parent = x->in[x->depth - 1];
	char *text = import_buf_take(&x->text), *line;
	int secs;

	x->capture = 0;
	free(*x->target);
	*x->target = text;
	if (x->target != &x->scratch)
		return;
	if (parent == IX_PERSONS)
		import_ctx_strv_add(&x->ev.persons, &x->ev.npersons, text);
	else if (parent == IX_LINKS && x->href != NULL) {
		line = *text != '\0' && strcmp(text, x->href) != 0 ? xasprintf("%s (%s)", text,
		    x->href) : xstrdup(x->href);
		import_ctx_strv_add(&x->ev.links, &x->ev.nlinks, line);
		free(line);
	} else if (strcmp(name, "day_change") == 0 && import_time_clock(text, &secs) == 0)
		import_ctx_set_day_change(x->ctx, secs / 60);
}

/* expat: an element ends. */
static void XMLCALL
import_xml_end(void *arg, const XML_Char *name)
{
	struct import_xml *x = arg;

	if (import_ctx_failed(x->ctx))
		return;
	if (x->capture == x->depth)
		import_xml_store(x, name);
	else if (x->in[x->depth] == IX_EVENT) {
		if (x->ev.location == NULL || *x->ev.location == '\0') {
			free(x->ev.location);
			x->ev.location = x->room != NULL ? xstrdup(x->room) : NULL;
		}
		if (import_ctx_add_event(x->ctx, &x->ev) != 0)
			import_xml_stop(x);
		import_ctx_event_clear(&x->ev);
	} else if (x->depth == 1)
		(void)import_xml_settle(x);     /* a schedule without days */
	x->depth--;
}

/* expat: text. */
static void XMLCALL
import_xml_chars(void *arg, const XML_Char *s, int len)
{
	struct import_xml *x = arg;

	if (x->capture == 0 || len <= 0 || import_ctx_failed(x->ctx))
		return;
	if (x->text.len + (size_t)len <= IMPORT_XML_MAX_TEXT)
		import_buf_add(&x->text, s, (size_t)len);
}

/* Reads a schedule.xml. */
int
import_xml_read(struct import_ctx *ctx, const char *data, size_t len)
{
	struct import_xml x;
	enum XML_Status st;
	int rc = 0;

	memset(&x, 0, sizeof x);
	x.ctx = ctx;
	x.day = -1;
	if ((x.parser = XML_ParserCreate(NULL)) == NULL) {
		import_ctx_fail(ctx, 0, "%s", _("out of memory"));
		return -1;
	}
	XML_SetUserData(x.parser, &x);
	XML_SetElementHandler(x.parser, import_xml_start, import_xml_end);
	XML_SetCharacterDataHandler(x.parser, import_xml_chars);
	st = len > (size_t)INT_MAX ? XML_STATUS_ERROR :
	    XML_Parse(x.parser, data, (int)len, XML_TRUE);
	if (!import_ctx_failed(ctx) && st != XML_STATUS_OK)
		import_ctx_fail(ctx, import_xml_line(&x), _("not well-formed XML: %s"),
		    XML_ErrorString(XML_GetErrorCode(x.parser)));
	if (!import_ctx_failed(ctx) && !x.settled)
		import_ctx_fail(ctx, 0, "%s", _("no <schedule> in the XML"));
	if (import_ctx_failed(ctx))
		rc = -1;
	XML_ParserFree(x.parser);
	import_ctx_event_clear(&x.ev);
	free(x.ev_where);
	free(x.text.s);
	free(x.title);
	free(x.zone);
	free(x.room);
	free(x.href);
	free(x.scratch);
	return rc;
}
