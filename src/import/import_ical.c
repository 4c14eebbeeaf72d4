/* import_ical.c: iCalendar (.ics) files: each VEVENT a session, read with libical.
 *
 * A scan of our own comes first: it checks the content lines (folded lines unfolded, a
 * NAME, parameters, ':'), the BEGIN/END nesting and the UTF-8, so that a broken file is
 * refused with its line, and it notes the line of each VEVENT for later messages.
 * libical then reads the calendar: times with a TZID are converted with the file's
 * VTIMEZONE, else with the IANA zone of that name; floating times are in the program's
 * zone (X-WR-TIMEZONE, else the events' TZID, else --timezone). All-day, cancelled and
 * repeating events are left out and named in the warning. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libical/ical.h>

#include "import/import_int.h"
#include "import/import_text.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/tztime.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define IMPORT_ICAL_MAX_DEPTH 8
/* The last instant a program may hold: the end of 9999 (UTC ms). */
#define IMPORT_ICAL_MAX_TIME 253402300799999LL

/* What the scan notes of a VEVENT. */
struct import_ical_vevent {
	long line;              /* of its BEGIN */
	long dtstart, dtend;    /* of those properties (0: none) */
};

struct import_ical {
	struct import_ctx *ctx;
	struct import_ical_vevent *events;
	size_t nevents;
	size_t end;             /* the offset just after END:VCALENDAR */
	icalcomponent *cal;
};

/* Length of the name at s (letters, digits, '-'). */
static size_t
import_ical_name(const char *s, size_t len)
{
	size_t n = 0;

	while (n < len && ((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z') ||
	    (s[n] >= '0' && s[n] <= '9') || s[n] == '-'))
		n++;
	return n;
}

/* Checks the content line s[0..len) (unfolded): NAME *(;PARAM=VALUE[,VALUE]) ':' VALUE.
 * Sets the name's length and where the value begins; -1 when malformed. */
static int
import_ical_line(const char *s, size_t len, size_t *nlen, size_t *value)
{
	size_t i = import_ical_name(s, len), n;

	*nlen = i;
	if (i == 0)
		return -1;
	while (i < len && s[i] == ';') {
		i++;
		if ((n = import_ical_name(s + i, len - i)) == 0 || i + n >= len ||
		    s[i + n] != '=')
			return -1;
		i += n + 1;
		for (;;) {
			if (i < len && s[i] == '"') {
				while (++i < len && s[i] != '"')
					;
				if (i++ >= len)
					return -1;
			} else {
				while (i < len && strchr(";:,\"", s[i]) == NULL)
					i++;
			}
			if (i < len && s[i] == ',') {
				i++;
				continue;
			}
			break;
		}
	}
	if (i >= len || s[i] != ':')
		return -1;
	*value = i + 1;
	return 0;
}

/* True when s[0..len) is the component name want (ignoring case and trailing spaces). */
static int
import_ical_is(const char *s, size_t len, const char *want)
{
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return len == strlen(want) && strncasecmp(s, want, len) == 0;
}

/* Keeps a component's name from the file (s, len bytes) in dst (size bytes) for messages:
 * sanitised (a CR or other control inside a line must not reach a message) and cut at a
 * character boundary. Found by fuzz_program_import. */
static void
import_ical_keep_name(char *dst, size_t size, const char *s, size_t len)
{
	char *safe = sanitize_text(s, len, 0);

	if (strlen(safe) >= size)
		import_text_cut(safe, size - 1);
	snprintf(dst, size, "%s", safe);
	free(safe);
}

/* Scans data from off: the content lines, their nesting and the VEVENTs' lines. */
static int
import_ical_scan(struct import_ical *ic, const char *data, size_t len, size_t off)
{
	char stack[IMPORT_ICAL_MAX_DEPTH][32], *logical = NULL;
	long lines[IMPORT_ICAL_MAX_DEPTH], lineno = 0, first;
	size_t depth = 0, cap = 0, nl, vlen, name, value;
	const char *p = data + off, *end = data + len, *eol;
	struct import_buf b = { NULL, 0, 0 };
	int rc = -1;

	while (p < end) {
		/* one logical line: a physical line and the ones folded after it */
		first = ++lineno;
		b.len = 0;
		for (;;) {
			eol = memchr(p, '\n', (size_t)(end - p));
			nl = eol != NULL ? (size_t)(eol - p) : (size_t)(end - p);
			vlen = nl > 0 && p[nl - 1] == '\r' ? nl - 1 : nl;
			if (!utf8_valid(p, vlen) || memchr(p, '\0', vlen) != NULL) {
				import_ctx_fail(ic->ctx, lineno, "%s", _("not UTF-8 text"));
				goto out;
			}
			import_buf_add(&b, p, vlen);
			p += eol != NULL ? nl + 1 : nl;
			if (p >= end || (*p != ' ' && *p != '\t'))
				break;
			p++;            /* a folded line goes on after its first space */
			lineno++;
		}
		logical = b.s != NULL ? b.s : (char *)"";
		if (b.len == 0)
			continue;
		if (import_ical_line(logical, b.len, &name, &value) != 0) {
			import_ctx_fail(ic->ctx, first, "%s", _("not an iCalendar content line "
			    "(NAME:VALUE, or NAME;PARAMETER=VALUE:VALUE)"));
			goto out;
		}
		if (name == 5 && strncasecmp(logical, "BEGIN", 5) == 0) {
			if (depth == 0 && !import_ical_is(logical + value, b.len - value,
			    "VCALENDAR")) {
				import_ctx_fail(ic->ctx, first, "%s", _("expected BEGIN:VCALENDAR"));
				goto out;
			}
			if (depth == IMPORT_ICAL_MAX_DEPTH) {
				import_ctx_fail(ic->ctx, first, _("components nested more than %d "
				    "deep"), IMPORT_ICAL_MAX_DEPTH);
				goto out;
			}
			import_ical_keep_name(stack[depth], sizeof stack[depth], logical + value,
			    b.len - value);
			lines[depth++] = first;
			if (depth == 2 && import_ical_is(logical + value, b.len - value, "VEVENT")) {
				if (ic->nevents == cap) {
					cap = cap ? cap * 2 : 64;
					ic->events = xreallocarray(ic->events, cap, sizeof *ic->events);
				}
				memset(&ic->events[ic->nevents], 0, sizeof *ic->events);
				ic->events[ic->nevents++].line = first;
			}
		} else if (name == 3 && strncasecmp(logical, "END", 3) == 0) {
			if (depth == 0 || !import_ical_is(logical + value, b.len - value,
			    stack[depth - 1])) {
				char *safe = sanitize_text(logical + value, b.len - value, 0);

				if (strlen(safe) > 40)
					import_text_cut(safe, 40);
				import_ctx_fail(ic->ctx, first, _("END:%s does not close "
				    "BEGIN:%s (line %ld)"), safe, depth > 0 ? stack[depth - 1] : "-",
				    depth > 0 ? lines[depth - 1] : 0L);
				free(safe);
				goto out;
			}
			if (--depth == 0) {
				ic->end = (size_t)(p - data);
				rc = 0;
				goto out;
			}
		} else if (depth == 0) {
			import_ctx_fail(ic->ctx, first, "%s", _("expected BEGIN:VCALENDAR"));
			goto out;
		} else if (depth == 2 && ic->nevents > 0 && import_ical_is(stack[1],
		    strlen(stack[1]), "VEVENT")) {
			struct import_ical_vevent *ev = &ic->events[ic->nevents - 1];

			if (name == 7 && strncasecmp(logical, "DTSTART", 7) == 0 && ev->dtstart == 0)
				ev->dtstart = first;
			if (((name == 5 && strncasecmp(logical, "DTEND", 5) == 0) || (name == 8 &&
			    strncasecmp(logical, "DURATION", 8) == 0)) && ev->dtend == 0)
				ev->dtend = first;
		}
	}
	if (depth > 0)
		import_ctx_fail(ic->ctx, lines[0], _("BEGIN:%s is never closed"), stack[0]);
	else
		import_ctx_fail(ic->ctx, 0, "%s", _("no VCALENDAR in the file"));
out:
	free(b.s);
	return rc;
}

/* The IANA zone that tzid names, maybe after a prefix such as
 * "/freeassociation.sourceforge.net/Tzfile/" (borrowed from tzid), or NULL. */
static const char *
import_ical_iana(const char *tzid)
{
	const char *p = tzid;

	while (p != NULL && *p != '\0') {
		if (*p != '/' && tz_valid(p))
			return p;
		p = strchr(p + 1, '/');
		if (p != NULL)
			p++;
	}
	return NULL;
}

/* The text of an X- property, with the iCalendar escapes undone. New string. */
static char *
import_ical_xtext(icalproperty *p)
{
	const char *s = icalproperty_get_x(p);
	char *out = xmalloc(strlen(s != NULL ? s : "") + 1), *w = out;

	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '\\' && s[1] != '\0') {
			s++;
			*w++ = *s == 'n' || *s == 'N' ? '\n' : *s;
		} else
			*w++ = *s;
	}
	*w = '\0';
	return out;
}

/* The first X- property of c called name, as text (new string), or NULL. */
static char *
import_ical_x(icalcomponent *c, const char *name)
{
	icalproperty *p;

	for (p = icalcomponent_get_first_property(c, ICAL_X_PROPERTY); p != NULL;
	    p = icalcomponent_get_next_property(c, ICAL_X_PROPERTY))
		if (icalproperty_get_x_name(p) != NULL &&
		    strcasecmp(icalproperty_get_x_name(p), name) == 0)
			return import_ical_xtext(p);
	return NULL;
}

/* The TZID parameter of p, or NULL. */
static const char *
import_ical_tzid(icalproperty *p)
{
	icalparameter *tz = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);

	return tz != NULL ? icalparameter_get_tzid(tz) : NULL;
}

/* The program's zone: X-WR-TIMEZONE, else the first IANA TZID of an event's DTSTART,
 * else the first VTIMEZONE that names an IANA zone; --timezone wins. */
static int
import_ical_zone(struct import_ical *ic)
{
	icalcomponent *c;
	icalproperty *p;
	const char *iana = NULL;
	char *x = import_ical_x(ic->cal, "X-WR-TIMEZONE");
	int rc;

	for (c = icalcomponent_get_first_component(ic->cal, ICAL_VEVENT_COMPONENT);
	    x == NULL && iana == NULL && c != NULL;
	    c = icalcomponent_get_next_component(ic->cal, ICAL_VEVENT_COMPONENT))
		if ((p = icalcomponent_get_first_property(c, ICAL_DTSTART_PROPERTY)) != NULL &&
		    import_ical_tzid(p) != NULL)
			iana = import_ical_iana(import_ical_tzid(p));
	for (c = icalcomponent_get_first_component(ic->cal, ICAL_VTIMEZONE_COMPONENT);
	    x == NULL && iana == NULL && c != NULL;
	    c = icalcomponent_get_next_component(ic->cal, ICAL_VTIMEZONE_COMPONENT))
		if ((p = icalcomponent_get_first_property(c, ICAL_TZID_PROPERTY)) != NULL)
			iana = import_ical_iana(icalproperty_get_tzid(p));
	if (x != NULL && import_ical_iana(x) != NULL)
		iana = import_ical_iana(x);
	rc = import_ctx_set_zone(ic->ctx, iana != NULL ? iana : x,
	    _("X-WR-TIMEZONE, or the TZID of DTSTART"));
	free(x);
	return rc;
}

/* The instant of the date-time property p (DTSTART, DTEND) of the event at line: UTC,
 * its TZID (the file's VTIMEZONE, else the IANA zone) or floating (the program's zone). */
static int
import_ical_time(struct import_ical *ic, icalproperty *p, struct icaltimetype t,
    const char *what, const struct import_event *ev, long line, int64_t *ms)
{
	const char *tzid = import_ical_tzid(p), *zone;
	icaltimezone *z;
	char *safe;

	zone = icaltime_is_utc(t) ? "UTC" : tzid == NULL ? import_ctx_zone(ic->ctx) : NULL;
	if (zone == NULL && (z = icalcomponent_get_timezone(ic->cal, tzid)) != NULL) {
		/* the file's VTIMEZONE */
		*ms = (int64_t)icaltime_as_timet_with_zone(t, z) * 1000;
		if (*ms >= 0 && *ms <= IMPORT_ICAL_MAX_TIME)
			return 0;
	} else {
		if (zone == NULL && (zone = import_ical_iana(tzid)) == NULL) {
			safe = sanitize_str(tzid);
			import_ctx_fail(ic->ctx, line, _("event %s: %s: unknown time zone "
			    "TZID=%.60s (no VTIMEZONE in the file, and not an IANA name)"), ev->where,
			    what, safe);
			free(safe);
			return -1;
		}
		if (tz_civil_ms(zone, t.year, t.month, t.day, t.is_date ? 0 : t.hour,
		    t.is_date ? 0 : t.minute, t.is_date ? 0 : t.second, ms) == 0 && *ms >= 0 &&
		    *ms <= IMPORT_ICAL_MAX_TIME)
			return 0;
	}
	import_ctx_fail(ic->ctx, line, _("event %s: %s: not a date and time from 1970 to 9999"),
	    ev->where, what);
	return -1;
}

/* The libical error noted in c (X-LIC-ERROR), or NULL (borrowed). */
static const char *
import_ical_lic_error(icalcomponent *c)
{
	icalproperty *p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY);

	return p != NULL ? icalproperty_get_xlicerror(p) : NULL;
}

/* The times of VEVENT c into ev: 0, 1 when it is left out (*skip says why), -1. */
static int
import_ical_times(struct import_ical *ic, icalcomponent *c, struct import_event *ev,
    const struct import_ical_vevent *v, const char **skip)
{
	icalproperty *ps = icalcomponent_get_first_property(c, ICAL_DTSTART_PROPERTY);
	icalproperty *pe = icalcomponent_get_first_property(c, ICAL_DTEND_PROPERTY);
	icalproperty *pd = icalcomponent_get_first_property(c, ICAL_DURATION_PROPERTY);
	struct icaltimetype t;
	const char *lic;
	char *safe;

	if (ps == NULL || icaltime_is_null_time(t = icalproperty_get_dtstart(ps))) {
		lic = import_ical_lic_error(c);
		safe = sanitize_str(lic != NULL ? lic : "");
		import_ctx_fail(ic->ctx, v->dtstart > 0 ? v->dtstart : v->line, _("event %s: "
		    "DTSTART: missing or not a date%s%.100s"), ev->where, lic != NULL ? ": " : "",
		    safe);
		free(safe);
		return -1;
	}
	if (t.is_date) {
		*skip = _("all-day event");
		return 1;
	}
	if (import_ical_time(ic, ps, t, "DTSTART", ev, v->dtstart, &ev->start_ms) != 0)
		return -1;
	if (pe != NULL) {
		if (import_ical_time(ic, pe, icalproperty_get_dtend(pe), "DTEND", ev, v->dtend,
		    &ev->end_ms) != 0)
			return -1;
	} else if (pd != NULL)
		ev->end_ms = ev->start_ms +
		    (int64_t)icaldurationtype_as_int(icalproperty_get_duration(pd)) * 1000;
	else {
		*skip = _("no end (DTEND or DURATION)");
		return 1;
	}
	ev->has_times = 1;
	return 0;
}

/* The people of VEVENT c: the CN of each ATTENDEE, else the ORGANIZER's. */
static void
import_ical_people(icalcomponent *c, struct import_event *ev)
{
	icalproperty_kind kinds[2] = { ICAL_ATTENDEE_PROPERTY, ICAL_ORGANIZER_PROPERTY };
	icalparameter *cn;
	icalproperty *p;
	size_t k;

	for (k = 0; k < 2 && ev->npersons == 0; k++) {
		for (p = icalcomponent_get_first_property(c, kinds[k]); p != NULL;
		    p = icalcomponent_get_next_property(c, kinds[k])) {
			cn = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER);
			if (cn != NULL && icalparameter_get_cn(cn) != NULL)
				import_ctx_strv_add(&ev->persons, &ev->npersons, icalparameter_get_cn(cn));
		}
	}
}

/* The text properties of VEVENT c into ev. */
static void
import_ical_texts(icalcomponent *c, struct import_event *ev)
{
	struct import_buf cats = { NULL, 0, 0 };
	const char *uid = icalcomponent_get_uid(c), *at, *s;
	icalproperty *p;

	if (uid != NULL && *uid != '\0') {
		ev->guid = xstrdup(uid);
		at = strchr(uid, '@');  /* the part before '@' may make a short id */
		ev->id = at != NULL ? xstrndup(uid, (size_t)(at - uid)) : xstrdup(uid);
	}
	if ((s = icalcomponent_get_summary(c)) != NULL)
		ev->title = xstrdup(s);
	if ((s = icalcomponent_get_description(c)) != NULL)
		ev->description = xstrdup(s);
	if ((s = icalcomponent_get_location(c)) != NULL)
		ev->location = xstrdup(s);
	if ((p = icalcomponent_get_first_property(c, ICAL_URL_PROPERTY)) != NULL &&
	    (s = icalproperty_get_url(p)) != NULL)
		ev->url = xstrdup(s);
	for (p = icalcomponent_get_first_property(c, ICAL_CATEGORIES_PROPERTY); p != NULL;
	    p = icalcomponent_get_next_property(c, ICAL_CATEGORIES_PROPERTY)) {
		if ((s = icalproperty_get_categories(p)) == NULL || *s == '\0')
			continue;
		if (cats.len > 0)
			import_buf_adds(&cats, ", ");
		import_buf_adds(&cats, s);
	}
	if (cats.len > 0)
		ev->track = import_buf_take(&cats);
	import_ical_people(c, ev);
}

/* Reads VEVENT c (the k-th) and adds it. */
static int
import_ical_event(struct import_ical *ic, icalcomponent *c, size_t k)
{
	static const struct import_ical_vevent none = { 0, 0, 0 };
	const struct import_ical_vevent *v = k < ic->nevents ? &ic->events[k] : &none;
	struct import_event ev;
	const char *skip = NULL;
	char *where, *label;
	int rc;

	memset(&ev, 0, sizeof ev);
	ev.style = IMPORT_STYLE_ICAL;
	ev.line = v->line;
	ev.day = -1;
	import_ical_texts(c, &ev);
	where = ev.guid != NULL ? sanitize_str(ev.guid) : xasprintf(_("at line %ld"), v->line);
	if (strlen(where) > 60)
		import_text_cut(where, 60);
	ev.where = where;
	if (icalcomponent_get_status(c) == ICAL_STATUS_CANCELLED)
		skip = _("cancelled");
	else if (icalcomponent_get_first_property(c, ICAL_RRULE_PROPERTY) != NULL ||
	    icalcomponent_get_first_property(c, ICAL_RDATE_PROPERTY) != NULL)
		skip = _("repeats (RRULE)");
	rc = skip != NULL ? 1 : import_ical_times(ic, c, &ev, v, &skip);
	if (rc > 0) {
		/* the title cleaned up and both cut at a character (fuzz_program_import
		 * found a raw CR from a title in this warning) */
		char *title = import_text_line(ev.title != NULL ? ev.title : "");

		if (strlen(title) > 50)
			import_text_cut(title, 50);
		label = *title != '\0' ? xasprintf("%s \"%s\"", where, title) : xstrdup(where);
		free(title);
		import_ctx_skip(ic->ctx, label, skip);
		free(label);
		rc = 0;
	} else if (rc == 0)
		rc = import_ctx_add_event(ic->ctx, &ev);
	import_ctx_event_clear(&ev);
	free(where);
	return rc;
}

/* Reads an iCalendar file. */
int
import_ical_read(struct import_ctx *ctx, const char *data, size_t len)
{
	struct import_ical ic;
	icalcomponent *c;
	char *title, *text;
	size_t off = 0, k = 0, rest;
	int rc = -1;

	memset(&ic, 0, sizeof ic);
	ic.ctx = ctx;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		off = 3;
	while (off < len && strchr(" \t\r\n", data[off]) != NULL && data[off] != '\0')
		off++;
	if (import_ical_scan(&ic, data, len, off) != 0)
		goto out;
	for (rest = ic.end; rest < len && strchr(" \t\r\n", data[rest]) != NULL &&
	    data[rest] != '\0'; rest++)
		;
	if (rest < len)
		import_ctx_warn(ctx, "%s", _("only the first VCALENDAR of the file is read"));
	icalerror_set_errors_are_fatal(0);
	text = xstrndup(data + off, ic.end - off);
	ic.cal = icalparser_parse_string(text);
	free(text);
	if (ic.cal == NULL || icalcomponent_isa(ic.cal) != ICAL_VCALENDAR_COMPONENT) {
		import_ctx_fail(ctx, 0, "%s", _("libical could not read the calendar"));
		goto out;
	}
	title = import_ical_x(ic.cal, "X-WR-CALNAME");
	if (title == NULL && icalcomponent_get_first_property(ic.cal, ICAL_NAME_PROPERTY))
		title = xstrdup(icalproperty_get_name(icalcomponent_get_first_property(ic.cal,
		    ICAL_NAME_PROPERTY)));
	import_ctx_set_title(ctx, title);
	free(title);
	if (import_ical_zone(&ic) != 0)
		goto out;
	for (c = icalcomponent_get_first_component(ic.cal, ICAL_VEVENT_COMPONENT); c != NULL;
	    c = icalcomponent_get_next_component(ic.cal, ICAL_VEVENT_COMPONENT), k++)
		if (import_ical_event(&ic, c, k) != 0)
			goto out;
	rc = 0;
out:
	if (ic.cal != NULL)
		icalcomponent_free(ic.cal);
	free(ic.events);
	return rc;
}
