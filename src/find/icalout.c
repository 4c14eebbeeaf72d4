/* icalout.c: starred sessions as an iCalendar file (see icalout.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "find/icalout.h"
#include "util/xalloc.h"

#define ICAL_FOLD 75   /* octets per line before CRLF (RFC 5545 section 3.1) */

/* Appends n bytes of s to *buf. */
static void
icalout_add(char **buf, size_t *len, const char *s, size_t n)
{
	*buf = xrealloc(*buf, *len + n + 1);
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
}

/* Appends value escaped as TEXT. */
void
icalout_escape(char **buf, size_t *len, const char *value)
{
	const unsigned char *p;

	for (p = (const unsigned char *)(value != NULL ? value : ""); *p != '\0'; p++) {
		if (*p == '\\' || *p == ';' || *p == ',') {
			icalout_add(buf, len, "\\", 1);
			icalout_add(buf, len, (const char *)p, 1);
		} else if (*p == '\n')
			icalout_add(buf, len, "\\n", 2);
		else if (*p == '\r' && p[1] == '\n')
			continue;
		else if (*p == '\r')
			icalout_add(buf, len, "\\n", 2);
		else if (*p < 0x20 || *p == 0x7f)
			continue;
		else
			icalout_add(buf, len, (const char *)p, 1);
	}
}

/* Appends the content line line[0..n) folded: at most ICAL_FOLD octets per physical line,
 * continuation lines starting with a space, breaks only between UTF-8 characters. */
static void
icalout_line(char **out, size_t *outlen, const char *line, size_t n)
{
	size_t pos = 0, room = ICAL_FOLD, take;

	while (n - pos > room) {
		take = room;
		while (take > 0 && ((unsigned char)line[pos + take] & 0xC0) == 0x80)
			take--;   /* do not split a character */
		icalout_add(out, outlen, line + pos, take);
		icalout_add(out, outlen, "\r\n ", 3);
		pos += take;
		room = ICAL_FOLD - 1;   /* the leading space counts */
	}
	icalout_add(out, outlen, line + pos, n - pos);
	icalout_add(out, outlen, "\r\n", 2);
}

/* Appends "NAME:" + value (escaped when text is set) as one folded content line. */
static void
icalout_prop(char **out, size_t *outlen, const char *name, const char *value, int text)
{
	char *line = NULL;
	size_t len = 0;

	icalout_add(&line, &len, name, strlen(name));
	icalout_add(&line, &len, ":", 1);
	if (text)
		icalout_escape(&line, &len, value);
	else
		icalout_add(&line, &len, value, strlen(value));
	icalout_line(out, outlen, line, len);
	free(line);
}

/* ms as a UTC DATE-TIME "20201013T140000Z" into buf. */
static const char *
icalout_time(int64_t ms, char *buf, size_t len)
{
	time_t t = (time_t)(ms / 1000 - (ms % 1000 < 0));
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y%m%dT%H%M%SZ", &tm);
	return buf;
}

/* Appends the VEVENT of session s. */
static void
icalout_event(char **out, size_t *len, const struct session *s, const char *hub,
    const char *stamp)
{
	char t[32], *uid, *desc, *where;
	size_t i;

	icalout_prop(out, len, "BEGIN", "VEVENT", 0);
	uid = xasprintf("%s@%s", s->id, hub);
	icalout_prop(out, len, "UID", uid, 1);
	free(uid);
	icalout_prop(out, len, "DTSTAMP", stamp, 0);
	icalout_prop(out, len, "DTSTART", icalout_time(s->start_ms, t, sizeof t), 0);
	icalout_prop(out, len, "DTEND", icalout_time(s->end_ms, t, sizeof t), 0);
	icalout_prop(out, len, "SUMMARY", s->title, 1);
	desc = xstrdup(s->description != NULL ? s->description : "");
	for (i = 0; i < s->nspeakers; i++) {
		char *d = xasprintf("%s%s%s", desc, i == 0 ? (desc[0] != '\0' ? "\n\n" : "") :
		    ", ", s->speakers[i]);
		free(desc);
		desc = d;
	}
	if (desc[0] != '\0')
		icalout_prop(out, len, "DESCRIPTION", desc, 1);
	free(desc);
	where = s->location != NULL ? xstrdup(s->location) : s->room != NULL &&
	    s->room[0] != '\0' ? xasprintf("#%s", s->room) : NULL;
	if (where != NULL)
		icalout_prop(out, len, "LOCATION", where, 1);
	free(where);
	if (s->track != NULL)
		icalout_prop(out, len, "CATEGORIES", s->track, 1);
	if (s->url != NULL && strncmp(s->url, "http", 4) == 0 && strcspn(s->url, " \t\r\n\x7f") ==
	    strlen(s->url))
		icalout_prop(out, len, "URL", s->url, 0);
	icalout_prop(out, len, "END", "VEVENT", 0);
}

/* The calendar of the n sessions ss. */
char *
icalout_write(const struct program *p, const struct session *const *ss, size_t n,
    const char *hub, int64_t now_ms)
{
	char *out = xstrdup(""), stamp[32];
	size_t len = 0, i;

	icalout_time(now_ms, stamp, sizeof stamp);
	icalout_prop(&out, &len, "BEGIN", "VCALENDAR", 0);
	icalout_prop(&out, &len, "VERSION", "2.0", 0);
	icalout_prop(&out, &len, "PRODID", "-//confab//agenda//EN", 0);
	icalout_prop(&out, &len, "CALSCALE", "GREGORIAN", 0);
	if (p != NULL && p->title != NULL)
		icalout_prop(&out, &len, "X-WR-CALNAME", p->title, 1);
	for (i = 0; i < n; i++)
		icalout_event(&out, &len, ss[i], hub, stamp);
	icalout_prop(&out, &len, "END", "VCALENDAR", 0);
	return out;
}
